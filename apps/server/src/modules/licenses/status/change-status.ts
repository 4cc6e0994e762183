import type { ChangeLicenseStatus } from '@tongban/contracts'
import type { AuthenticatedActor } from '../../../platform/authz.ts'
import { AppError, notFound } from '../../../platform/errors.ts'
import { type AuditWho, auditLicense } from '../licenses.audit.ts'
import type { LicensesContext } from '../licenses.context.ts'
import { messages } from '../licenses.messages.ts'
import { statusAfter } from '../licenses.policy.ts'
import type { LicenseRecord } from '../licenses.repository.ts'
import { getIssuedLicense } from '../reading/license-detail.ts'

/** 注销, 暂停 and 恢复 by the issuing department's staff: effective on the next verification. */
export async function changeLicenseStatus(
  ctx: LicensesContext,
  id: string,
  input: ChangeLicenseStatus,
  actor: AuthenticatedActor,
  who: AuditWho,
): Promise<LicenseRecord> {
  await getIssuedLicense(ctx, id, actor)
  return ctx.platform.db.transaction().execute(async (trx) => {
    const locked = await ctx.repository.findByIdForUpdate(trx, id)
    if (!locked) throw notFound()
    const next = statusAfter(input.action, locked.status)
    if (!next) throw new AppError('invalid-transition', { detail: messages.statusIs(locked.status) })
    await ctx.repository.setStatus(trx, id, next, input.reason, ctx.now())
    await ctx.platform.events.publish(trx, `license.${next}`, { licenseId: id, reason: input.reason }, id)
    await auditLicense(ctx.platform, trx, who, `license.${input.action}`, locked, { reason: input.reason })
    return { ...locked, status: next, status_reason: input.reason }
  })
}
