import type { IssueLicense } from '@tongban/contracts'
import type { AuthenticatedActor } from '../../../platform/authz.ts'
import { AppError, invalid } from '../../../platform/errors.ts'
import type { AuditWho } from '../licenses.audit.ts'
import type { LicensesContext } from '../licenses.context.ts'
import { shanghaiDate } from '../licenses.dates.ts'
import { messages } from '../licenses.messages.ts'
import { mayIssueFor } from '../licenses.policy.ts'
import type { Department } from '../licenses.ports.ts'
import type { LicenseTypeRecord } from '../licenses.repository.ts'
import { type LicenseDetail, statusOf } from '../reading/license-detail.ts'
import { prepareVersion, storeVersion, type VersionParams } from './license-version.ts'
import { validityOf } from './validity.ts'

/**
 * Staff issue (颁发) with a reason; the issuing department must issue licenses of this type. `issuedOn`
 * dates a license first issued on paper (the demo data's licenses); the signature is always made now.
 */
export async function issueLicense(
  ctx: LicensesContext,
  input: IssueLicense,
  actor: AuthenticatedActor,
  who: AuditWho,
  options: { issuedOn?: string } = {},
): Promise<LicenseDetail> {
  const department = await ctx.departments.get(input.departmentId)
  if (!mayIssueFor(actor, department)) throw new AppError('forbidden')
  const type = await ctx.types.get(input.typeCode)
  checkIssuable(type, department, input.holder.kind)
  ctx.schemas.validate(type, input.fields)
  const period = validityOf(type, input.validFrom ?? shanghaiDate(ctx.now()), input.validUntil)
  const signer = await ctx.keys.sm2Signer(department.id)
  const sequence = await ctx.sequences.next(department.uscc, type.code)
  const params: VersionParams = {
    signer,
    sequence,
    type,
    department,
    holder: {
      kind: input.holder.kind,
      accountId: input.holder.accountId,
      name: input.holder.name,
      identifier: input.holder.identifier ?? null,
    },
    fields: input.fields,
    ...period,
    caseId: input.caseId ?? null,
    createdBy: actor.accountId,
    ...(options.issuedOn ? { issuedOn: options.issuedOn } : {}),
  }
  const prepared = prepareVersion(ctx, params)
  // one statement, committed on its own: the license, its outbox event and its audit entry
  const record = await storeVersion(ctx, ctx.platform.db, prepared, params, {
    who,
    action: 'license.issue',
    details: { reason: input.reason },
  })
  // the caller sees what was just stored, without reading it back
  return { record, type, department, fields: input.fields, status: statusOf(record, ctx.now()) }
}

/** A type is issuable by a department: active, of the department's kind, to a holder of the type's kind. */
function checkIssuable(type: LicenseTypeRecord, department: Department, holderKind: string): void {
  if (type.status !== 'active') throw new AppError('unprocessable', { detail: messages.typeRetired })
  if (type.issuer_kind !== department.kind)
    throw new AppError('unprocessable', { detail: messages.notIssuedByDepartment })
  if (type.holder !== holderKind)
    throw invalid([{ path: '/holder/kind', code: 'holderKind', message: messages.holderKind(type.holder) }])
}
