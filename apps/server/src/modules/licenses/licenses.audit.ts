import type { Transaction } from 'kysely'
import type { AuditEntry } from '../../platform/audit.ts'
import type { Database } from '../../platform/db/schema.ts'
import type { Platform } from '../../platform/platform.ts'
import type { LicenseRecord } from './licenses.repository.ts'

/** Who did it, from where: the caller of a request, or the system. */
export type AuditWho = Pick<AuditEntry, 'actorId' | 'actorKind' | 'ip' | 'requestId'>

/** The platform itself: automatic issuance and the demo data. */
export const SYSTEM: AuditWho = { actorId: null, actorKind: 'system', ip: null, requestId: null }

type Audited = Pick<LicenseRecord, 'id' | 'region_code' | 'license_no'>

/** The audit entry of something done to a license: its number, and what the caller says about it. */
export function licenseAuditEntry(
  who: AuditWho,
  action: string,
  record: Audited,
  details: Record<string, unknown>,
): AuditEntry {
  return {
    ...who,
    action,
    resourceType: 'license',
    resourceId: record.id,
    regionCode: record.region_code,
    outcome: 'success',
    details: { licenseNo: record.license_no, ...details },
  }
}

/** Appends the audit entry of something done to a license, in the transaction that did it. */
export async function auditLicense(
  platform: Platform,
  trx: Transaction<Database>,
  who: AuditWho,
  action: string,
  record: Audited,
  details: Record<string, unknown>,
): Promise<void> {
  await platform.audit.append(trx, licenseAuditEntry(who, action, record, details))
}
