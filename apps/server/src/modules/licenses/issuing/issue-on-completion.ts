import { CaseCompleted } from '@tongban/contracts'
import type { Transaction } from 'kysely'
import { Value } from 'typebox/value'
import type { Database } from '../../../platform/db/schema.ts'
import { auditLicense, SYSTEM } from '../licenses.audit.ts'
import type { LicensesContext } from '../licenses.context.ts'
import { messages } from '../licenses.messages.ts'
import { mayReissue } from '../licenses.policy.ts'
import { prepareVersion, storeVersion } from './license-version.ts'
import { type NoLicense, planIssue } from './plan-issue.ts'

/**
 * Outbox consumer of case.completed, inside the event's transaction: queues the case for automatic
 * issuance with the event, which says all issuing needs (the receipt and the request commit together, so
 * a completed case is never forgotten).
 */
export async function requestIssueForCase(
  ctx: LicensesContext,
  completion: CaseCompleted,
  trx: Transaction<Database>,
): Promise<void> {
  await ctx.repository.requestIssue(trx, completion.caseId, completion)
}

/**
 * Works the queue of completed cases: issues the license each approved item's guide binds as its 办理结果
 * (by license type code, `plan-issue.ts`), all from the case.completed event (the case is not read back).
 * A case that gets no license says why (kept with the request, audited, announced when it failed); a
 * transient failure (no signing key yet) is retried on the next pass.
 */
export async function processIssueRequests(ctx: LicensesContext, limit = 50): Promise<number> {
  let processed = 0
  for (const request of await ctx.repository.findPendingIssues(limit)) {
    try {
      await issueForCase(ctx, request.case_id, request.completion)
      processed += 1
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      ctx.platform.logger.warn(
        { caseId: request.case_id, err: error },
        'automatic license issuance failed; will retry',
      )
      await ctx.repository.retryIssueLater(request.case_id, message)
    }
  }
  return processed
}

/** One queued case: plan its license, sign it, and store it with the request finished, or say why not. */
async function issueForCase(ctx: LicensesContext, caseId: string, completion: unknown): Promise<void> {
  if (!Value.Check(CaseCompleted, completion))
    return finishWithout(ctx, caseId, null, {
      outcome: 'failed',
      reason: messages.completionLost,
      retryable: false,
      regionCode: null,
      typeCode: null,
    })
  const plan = await planIssue(ctx, completion, formDataOf(ctx, completion))
  if ('outcome' in plan) return finishWithout(ctx, caseId, completion, plan)
  const prepared = prepareVersion(ctx, plan)
  await ctx.platform.db.transaction().execute(async (trx) => {
    if (!(await ctx.repository.lockPendingIssue(trx, caseId))) return
    if (plan.previous) {
      // a 变更 or 换领 supersedes the version it read; another change since then makes this one stale
      const locked = await ctx.repository.findByIdForUpdate(trx, plan.previous.id)
      if (!locked || !mayReissue(locked.status)) throw new Error('the license changed meanwhile; retrying')
    }
    const record = await storeVersion(ctx, trx, prepared, plan)
    await ctx.repository.finishIssue(trx, caseId, 'issued', ctx.now(), { licenseId: record.id })
    await auditLicense(ctx.platform, trx, SYSTEM, 'license.issue', record, {
      caseId,
      automatic: true,
      ...(plan.previous ? { previousId: plan.previous.id } : {}),
    })
  })
}

/** The application form the case was decided on, in clear (the event carries it SM4-encrypted). */
function formDataOf(ctx: LicensesContext, completion: CaseCompleted): Record<string, unknown> {
  if (!completion.formDataEnc) return {}
  return JSON.parse(ctx.platform.vault.decrypt(completion.formDataEnc)) as Record<string, unknown>
}

/**
 * Finishes a request that yields no license. A failure is logged, audited against the case and announced
 * (`license.issue-failed`, for the case's staff and its applicant), with its reason and whether a retry
 * can succeed.
 */
async function finishWithout(
  ctx: LicensesContext,
  caseId: string,
  completion: CaseCompleted | null,
  { outcome, reason, retryable, regionCode, typeCode }: NoLicense,
) {
  await ctx.platform.db.transaction().execute(async (trx) => {
    if (!(await ctx.repository.lockPendingIssue(trx, caseId))) return
    await ctx.repository.finishIssue(trx, caseId, outcome, ctx.now(), {
      error: reason.en,
      reason,
      retryable,
    })
    if (outcome !== 'failed') return
    ctx.platform.logger.warn({ caseId, why: reason.en }, 'license not issued for case')
    await ctx.platform.audit.append(trx, {
      ...SYSTEM,
      action: 'license.issue',
      resourceType: 'case',
      resourceId: caseId,
      regionCode,
      outcome: 'failure',
      details: { why: reason.en, retryable },
    })
    if (completion)
      await ctx.platform.events.publish(
        trx,
        'license.issue-failed',
        {
          caseId,
          caseNo: completion.caseNo,
          applicantId: completion.applicantId,
          actingForId: completion.actingForId,
          departmentId: completion.departmentId,
          typeCode,
          reason,
          retryable,
        },
        caseId,
      )
  })
}
