import type { ChangeLicense, ReplaceLicense } from '@tongban/contracts'
import type { AuthenticatedActor } from '../../../platform/authz.ts'
import { AppError } from '../../../platform/errors.ts'
import { type AuditWho, auditLicense } from '../licenses.audit.ts'
import type { LicensesContext } from '../licenses.context.ts'
import { messages } from '../licenses.messages.ts'
import { mayReissue } from '../licenses.policy.ts'
import type { LicenseRecord } from '../licenses.repository.ts'
import { getIssuedLicense, signedFileOf } from '../reading/license-detail.ts'
import { prepareVersion, storeVersion } from './license-version.ts'

/** 变更 changes the fields (and optionally the end date); 补发 replaces the license with the same content. */
export type Reissue = { kind: 'change'; input: ChangeLicense } | { kind: 'replace'; input: ReplaceLicense }

/** 变更 or 补发: a new version of a current license; the current one is superseded, in one transaction. */
export async function reissueLicense(
  ctx: LicensesContext,
  id: string,
  reissue: Reissue,
  actor: AuthenticatedActor,
  who: AuditWho,
): Promise<LicenseRecord> {
  const current = await getIssuedLicense(ctx, id, actor)
  const fields = reissue.kind === 'change' ? reissue.input.fields : current.fields
  if (reissue.kind === 'change') ctx.schemas.validate(current.type, fields)
  const validUntil =
    reissue.kind === 'change' && reissue.input.validUntil
      ? reissue.input.validUntil
      : current.record.valid_until
  const { holder } = signedFileOf(ctx, current.record).document
  const signer = await ctx.keys.sm2Signer(current.department.id)
  return ctx.platform.db.transaction().execute(async (trx) => {
    const locked = await ctx.repository.findByIdForUpdate(trx, id)
    if (!locked || !mayReissue(locked.status))
      throw new AppError('invalid-transition', { detail: messages.notReissuable })
    const params = {
      signer,
      type: current.type,
      department: current.department,
      holder: {
        kind: locked.holder_kind,
        accountId: locked.holder_account_id,
        name: locked.holder_name,
        identifier: holder.identifier,
      },
      fields,
      validFrom: String(locked.valid_from),
      validUntil,
      caseId: locked.case_id,
      previous: locked,
      createdBy: actor.accountId,
    }
    const record = await storeVersion(ctx, trx, prepareVersion(ctx, params), params)
    await auditLicense(ctx.platform, trx, who, `license.${reissue.kind}`, record, {
      reason: reissue.input.reason,
      previousId: id,
    })
    return record
  })
}
