import { type Actor, holdsRoleFor, type StaffRole, staffWith } from '../../platform/authz.ts'
import type { Department } from './licenses.ports.ts'
import type { GrantRecord, LicenseRecord } from './licenses.repository.ts'

/**
 * Who may do what with 电子证照, decided on the record: every read, issue, status change, grant and key
 * decision of the module, as pure functions of the actor and the record (route policies only say who
 * may call a route at all).
 */

/** Roles that may issue, change, replace, suspend and revoke licenses of their department. */
export const ISSUING_ROLES: StaffRole[] = ['approver', 'department_admin']
/** Roles of the staff who work cases and may read a license granted to their department or case. */
export const READING_ROLES: StaffRole[] = ['window_clerk', 'reviewer', 'approver', 'department_admin']

/** Route policy: staff who issue licenses in some scope. */
export const issuers = staffWith(...ISSUING_ROLES)
/** Route policy: staff who may read granted licenses in some scope. */
export const grantReaders = staffWith(...READING_ROLES)
/** Route policy: department admins (license types). */
export const typeAdmins = staffWith('department_admin')
/** Route policy: security admins (signing keys, 三员). */
export const keyAdmins = staffWith('security_admin')

type Where = Pick<Department, 'id' | 'regionCode'>
const scopeOf = (department: Where) => ({ regionCode: department.regionCode, departmentId: department.id })

/** The accounts whose licenses the actor holds (持证人): their own, and the company they act for. */
export function holderIdsOf(actor: Actor): string[] {
  if (actor.kind === 'anonymous') return []
  return [actor.accountId, ...(actor.actingFor ? [actor.actingFor.accountId] : [])]
}

/** Whether the license is the actor's (wallet, 亮证, download, export, grants, its uses). */
export function holdsLicense(actor: Actor, license: Pick<LicenseRecord, 'holder_account_id'>): boolean {
  return holderIdsOf(actor).includes(license.holder_account_id)
}

/** Whether the actor may issue licenses in the name of the department (an approver or its admin). */
export function mayIssueFor(actor: Actor, department: Where): boolean {
  return holdsRoleFor(actor, ISSUING_ROLES, scopeOf(department))
}

/** Whether the actor may see what became of a case's license: the case department's staff (any step). */
export function mayFollowCaseLicense(actor: Actor, department: Where): boolean {
  return holdsRoleFor(actor, READING_ROLES, scopeOf(department))
}

/** Whether the actor may see, change, replace, suspend, resume and revoke a license the department issued. */
export function mayManageLicense(actor: Actor, issuer: Where): boolean {
  return holdsRoleFor(actor, ISSUING_ROLES, scopeOf(issuer))
}

/**
 * Whether the actor may define and change license types issued by departments of `issuerKind`: a
 * department admin of a department of that kind, or a department admin bound to no department.
 * `kindOf` answers the kind of the actor's departments.
 */
export function mayAdministerType(
  actor: Actor,
  issuerKind: string,
  kindOf: (departmentId: string) => string | undefined,
): boolean {
  if (actor.kind !== 'staff') return false
  return actor.roles.some(
    (grant) =>
      grant.role === 'department_admin' &&
      (grant.departmentId === null || kindOf(grant.departmentId) === issuerKind),
  )
}

/** 三员: whether the actor may generate or rotate the department's signing keys (its security admin). */
export function mayRotateKeys(actor: Actor, department: Where): boolean {
  return holdsRoleFor(actor, ['security_admin'], scopeOf(department))
}

/** Whether a case is one the actor may name in a grant: theirs, or the company's they act for. */
export function mayGrantForCase(
  actor: Actor,
  facts: { applicantId: string; actingForId: string | null },
): boolean {
  return holderIdsOf(actor).includes(facts.actingForId ?? facts.applicantId)
}

/** Whether a grant is in force: not withdrawn, not past its end. */
export function isGrantActive(grant: Pick<GrantRecord, 'withdrawn_at' | 'valid_until'>, now: Date): boolean {
  return grant.withdrawn_at === null && grant.valid_until.getTime() > now.getTime()
}

/**
 * Whether the actor may read a license through a grant: the grant is in force and names their
 * department, or a case of it (`grantee`: that department, undefined when there is none).
 */
export function mayReadThroughGrant(
  actor: Actor,
  grant: Pick<GrantRecord, 'withdrawn_at' | 'valid_until'>,
  grantee: Where | undefined,
  now: Date,
): boolean {
  return (
    isGrantActive(grant, now) && grantee !== undefined && holdsRoleFor(actor, READING_ROLES, scopeOf(grantee))
  )
}

/** A license's status as of now: what is stored, or expired once past its end date. */
export type LicenseStatus = 'valid' | 'expired' | 'suspended' | 'revoked' | 'superseded'

/** The status actions of staff (注销, 暂停, 恢复). */
export type StatusAction = 'revoke' | 'suspend' | 'resume'

/** The status a license takes by an action, or undefined when the action does not apply to its status. */
export function statusAfter(
  action: StatusAction,
  current: LicenseRecord['status'],
): 'revoked' | 'suspended' | 'valid' | undefined {
  if (action === 'revoke' && (current === 'valid' || current === 'suspended')) return 'revoked'
  if (action === 'suspend' && current === 'valid') return 'suspended'
  if (action === 'resume' && current === 'suspended') return 'valid'
  return undefined
}

/** Whether a license may get a new version (变更, 补发): only a current one, valid or suspended. */
export function mayReissue(current: LicenseRecord['status']): boolean {
  return current === 'valid' || current === 'suspended'
}

/** Whether a license may be shown (亮证), downloaded or exported: only while valid. */
export function isUsable(status: LicenseStatus): boolean {
  return status === 'valid'
}

/** 办理结果: only an approved case (批准) yields its result; one denied and then completed yields nothing. */
export function yieldsResult(decision: 'approved' | 'denied' | null): boolean {
  return decision === 'approved'
}
