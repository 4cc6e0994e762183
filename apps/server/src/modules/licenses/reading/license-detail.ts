import type { Actor } from '../../../platform/authz.ts'
import { notFound } from '../../../platform/errors.ts'
import type { LicensesContext } from '../licenses.context.ts'
import { shanghaiDate } from '../licenses.dates.ts'
import type { SignedLicenseFile } from '../licenses.document.ts'
import { holdsLicense, type LicenseStatus, mayManageLicense } from '../licenses.policy.ts'
import type { Department } from '../licenses.ports.ts'
import type { LicenseRecord, LicenseTypeRecord } from '../licenses.repository.ts'

/** A license with its decrypted fields and its status as of now (expiry is judged, not stored). */
export interface LicenseDetail {
  record: LicenseRecord
  type: LicenseTypeRecord
  department: Department
  fields: Record<string, unknown>
  status: LicenseStatus
}

/** A license's status as of `now`: the stored one, or expired once its end date (Shanghai) has passed. */
export function statusOf(record: Pick<LicenseRecord, 'status' | 'valid_until'>, now: Date): LicenseStatus {
  if (record.status !== 'valid') return record.status
  if (record.valid_until && String(record.valid_until) < shanghaiDate(now)) return 'expired'
  return 'valid'
}

/** A stored license with its type, its issuer and its fields in clear. */
export async function describeLicense(ctx: LicensesContext, record: LicenseRecord): Promise<LicenseDetail> {
  const [type, department] = await Promise.all([
    ctx.types.get(record.type_code),
    ctx.departments.get(record.issuer_department_id),
  ])
  return {
    record,
    type,
    department,
    fields: JSON.parse(ctx.platform.vault.decrypt(record.fields_enc)) as Record<string, unknown>,
    status: statusOf(record, ctx.now()),
  }
}

/** A license by id; 404 when there is none. */
export async function getLicense(ctx: LicensesContext, id: string): Promise<LicenseDetail> {
  const record = await ctx.repository.findById(id)
  if (!record) throw notFound()
  return describeLicense(ctx, record)
}

/** One of the caller's licenses; someone else's is answered as not existing. */
export async function getOwnLicense(ctx: LicensesContext, id: string, actor: Actor): Promise<LicenseDetail> {
  const record = await ctx.repository.findById(id)
  if (!record || !holdsLicense(actor, record)) throw notFound()
  return describeLicense(ctx, record)
}

/** The license as its issuing staff may touch it: 404 unless they hold an issuing role for it. */
export async function getIssuedLicense(
  ctx: LicensesContext,
  id: string,
  actor: Actor,
): Promise<LicenseDetail> {
  const detail = await getLicense(ctx, id)
  if (!mayManageLicense(actor, detail.department)) throw notFound()
  return detail
}

/** The signed document and SM2 signature, as stored when it was issued. */
export function signedFileOf(ctx: LicensesContext, record: LicenseRecord): SignedLicenseFile {
  return JSON.parse(ctx.platform.vault.decrypt(record.document_enc)) as SignedLicenseFile
}
