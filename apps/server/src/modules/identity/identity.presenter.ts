import type {
  AccountStatusView,
  AgentAuthorizationView,
  AuditEntryView,
  CompanyRef,
  CompanyView,
  MeView,
  PersonView,
  RoleGrantView,
  StaffView,
} from '@tongban/contracts'
import type { AuditRecord } from '../../platform/audit.ts'
import type { StaffRole } from '../../platform/authz.ts'
import type { AccountRecord, AgentAuthorizationRecord, RoleGrantRecord } from './identity.repository.ts'

/*
 * Row → response shapes. Only masked identifiers leave the module: never a hash, a secret, an encrypted
 * value or a clear ID or phone number.
 */

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null)

export function presentRoleGrant(row: RoleGrantRecord): RoleGrantView {
  return {
    id: row.id,
    role: row.role as StaffRole,
    departmentId: row.department_id,
    regionCode: row.region_code,
    grantedBy: row.granted_by,
    grantedAt: row.granted_at.toISOString(),
    revokedAt: iso(row.revoked_at),
  }
}

export function presentMe(input: {
  account: AccountRecord
  roles: RoleGrantRecord[]
  companies: CompanyRef[]
  actingFor: { accountId: string; name: string } | null
}): MeView {
  const { account } = input
  return {
    id: account.id,
    kind: account.kind as MeView['kind'],
    name: account.name,
    realNameLevel: account.realname_level,
    realNameRaisedAt: iso(account.realname_raised_at),
    idNumberMasked: account.id_number_masked,
    phoneMasked: account.phone_masked,
    email: account.email,
    uscc: account.uscc,
    username: account.username,
    regionCode: account.region_code,
    totpEnabled: account.totp_enabled_at !== null,
    roles: input.roles.map(presentRoleGrant),
    actingFor: input.actingFor ? { id: input.actingFor.accountId, name: input.actingFor.name } : null,
    companies: input.companies,
  }
}

export function presentPerson(account: AccountRecord): PersonView {
  return {
    id: account.id,
    kind: 'person',
    name: account.name,
    realNameLevel: account.realname_level,
    realNameRaisedAt: iso(account.realname_raised_at),
    idNumberMasked: account.id_number_masked ?? '',
    phoneMasked: account.phone_masked,
  }
}

export function presentCompany(account: AccountRecord, legalRepresentative: AccountRecord): CompanyView {
  return {
    id: account.id,
    kind: 'company',
    name: account.name,
    uscc: account.uscc ?? '',
    legalRepresentative: { id: legalRepresentative.id, name: legalRepresentative.name },
    realNameLevel: account.realname_level,
  }
}

export function presentAgentAuthorization(row: AgentAuthorizationRecord, now: Date): AgentAuthorizationView {
  return {
    id: row.id,
    companyId: row.company_id,
    agent: { id: row.agent_id, name: row.agent_name, idNumberMasked: row.agent_id_number_masked },
    grantedBy: row.granted_by,
    grantedAt: row.granted_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    revokedAt: iso(row.revoked_at),
    status: row.revoked_at ? 'revoked' : row.expires_at <= now ? 'expired' : 'active',
  }
}

export function presentStaff(account: AccountRecord, roles: RoleGrantRecord[]): StaffView {
  return {
    id: account.id,
    username: account.username ?? '',
    name: account.name,
    regionCode: account.region_code ?? '',
    status: account.status as StaffView['status'],
    totpEnabled: account.totp_enabled_at !== null,
    roles: roles.map(presentRoleGrant),
  }
}

export function presentAuditEntry(record: AuditRecord): AuditEntryView {
  return {
    seq: record.seq,
    occurredAt: record.occurredAt.toISOString(),
    actorId: record.actorId,
    actorKind: record.actorKind,
    action: record.action,
    resourceType: record.resourceType,
    resourceId: record.resourceId,
    regionCode: record.regionCode,
    ip: record.ip,
    requestId: record.requestId,
    outcome: record.outcome,
    details: record.details,
    hash: record.hash,
  }
}

export function presentAccountStatus(account: AccountRecord): AccountStatusView {
  return {
    id: account.id,
    kind: account.kind as AccountStatusView['kind'],
    name: account.name,
    status: account.status as AccountStatusView['status'],
    statusChangedAt: iso(account.status_changed_at),
    statusChangedBy: account.status_changed_by,
    statusReason: account.status_reason,
  }
}
