import type { CaseLicenseView, LocalizedText } from '@tongban/contracts'
import type { AuthenticatedActor } from '../../../platform/authz.ts'
import { AppError, notFound } from '../../../platform/errors.ts'
import type { LicensesContext } from '../licenses.context.ts'
import { messages } from '../licenses.messages.ts'
import { mayFollowCaseLicense, mayIssueFor } from '../licenses.policy.ts'
import { processIssueRequests } from './issue-on-completion.ts'

type IssueRequest = NonNullable<Awaited<ReturnType<LicensesContext['repository']['findIssueRequest']>>>

/**
 * The license a case yields, as the cases module and the case's staff see it: issued, pending, failed
 * (with the reason and whether a retry can succeed), not applicable, or none yet (not completed).
 */
export async function licenseForCase(ctx: LicensesContext, caseId: string): Promise<CaseLicenseView> {
  return viewOfRequest(ctx, caseId, await ctx.repository.findIssueRequest(caseId))
}

/** The view of a case's issue request (read once by the caller). */
async function viewOfRequest(
  ctx: LicensesContext,
  caseId: string,
  request: IssueRequest | undefined,
): Promise<CaseLicenseView> {
  if (!request) return view(caseId, 'none', null, null)
  if (request.processed_at === null) return view(caseId, 'pending', null, request)
  if (request.outcome === 'issued' && request.license_id) {
    const license = await ctx.repository.findById(request.license_id)
    return {
      ...view(caseId, 'issued', null, request),
      licenseId: request.license_id,
      licenseNo: license?.license_no ?? null,
    }
  }
  const state = request.outcome === 'failed' ? 'failed' : 'not-applicable'
  return view(caseId, state, reasonOf(request), request)
}

/**
 * What became of a case's license, for staff: only those of the case's department see it (others get
 * 404, as for a case they cannot see); a case not completed yet answers `none`.
 */
export async function licenseForCaseStaff(
  ctx: LicensesContext,
  caseId: string,
  actor: AuthenticatedActor,
): Promise<CaseLicenseView> {
  const request = await ctx.repository.findIssueRequest(caseId)
  const departmentId = departmentOf(request)
  if (!departmentId) {
    // nothing queued yet: nothing to tell, and nothing that says whether the case exists
    if (actor.kind !== 'staff') throw notFound(messages.issueNotFound)
    return view(caseId, 'none', null, null)
  }
  const department = await ctx.departments.get(departmentId)
  if (!mayFollowCaseLicense(actor, department)) throw notFound(messages.issueNotFound)
  return viewOfRequest(ctx, caseId, request)
}

/**
 * A staff retry of a failed issuance (the approver or department admin of the case's department), once
 * its cause is fixed: the request goes back on the queue and is worked at once; answers what became of it.
 */
export async function retryCaseLicense(
  ctx: LicensesContext,
  caseId: string,
  actor: AuthenticatedActor,
): Promise<CaseLicenseView> {
  const request = await ctx.repository.findIssueRequest(caseId)
  const departmentId = departmentOf(request)
  if (!request || !departmentId) throw notFound(messages.issueNotFound)
  const department = await ctx.departments.get(departmentId)
  if (!mayIssueFor(actor, department)) throw new AppError('forbidden')
  if (request.outcome !== 'failed' || request.retryable === false)
    throw new AppError('invalid-transition', { detail: messages.issueNotRetryable })
  if (!(await ctx.repository.reopenIssue(ctx.platform.db, caseId)))
    throw new AppError('invalid-transition', { detail: messages.issueNotRetryable })
  await processIssueRequests(ctx)
  return licenseForCase(ctx, caseId)
}

/** The department of the case a request was queued for, from the completion it keeps. */
function departmentOf(request: IssueRequest | undefined): string | null {
  const completion = request?.completion as { departmentId?: unknown } | null | undefined
  return typeof completion?.departmentId === 'string' ? completion.departmentId : null
}

function reasonOf(request: IssueRequest): LocalizedText | null {
  const reason = request.reason as Partial<LocalizedText> | null
  if (reason && typeof reason.zh === 'string' && typeof reason.en === 'string')
    return { zh: reason.zh, en: reason.en }
  return request.last_error ? { zh: request.last_error, en: request.last_error } : null
}

function view(
  caseId: string,
  state: CaseLicenseView['state'],
  reason: LocalizedText | null,
  request: IssueRequest | null,
): CaseLicenseView {
  return {
    caseId,
    state,
    licenseId: null,
    licenseNo: null,
    reason,
    retryable: state === 'failed' && request?.retryable !== false,
    attempts: request?.attempts ?? 0,
  }
}
