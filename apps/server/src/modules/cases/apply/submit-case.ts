import type { SubmitCase } from '@tongban/contracts'
import type { AuthenticatedActor } from '../../../platform/authz.ts'
import { AppError } from '../../../platform/errors.ts'
import { type AuditWho, afterCommit, type CasesContext } from '../cases.context.ts'
import { invalidField, messages } from '../cases.messages.ts'
import { shanghaiDate } from '../cases.time-limits.ts'
import { getOwnDraft } from '../drafts.ts'
import { milestoneEvent, notifies } from '../lifecycle/case-change.ts'
import type { SubmissionRows } from '../repository/case-changes.repository.ts'
import { checkOwnFiles, fileRefs } from '../uploads.ts'
import { bindApplicant, checkRealNameLevel } from './applicant.ts'
import {
  type BundleApplied,
  checkApplication,
  materialRows,
  materialsFor,
  partData,
  type ResolvedGuide,
  resolveGuides,
} from './check-application.ts'
import { applicantIdsOf, checkCitedGrants, departmentsOf, licenseTypesOf } from './cited-grants.ts'
import { lostKeyRace, replayIdempotent, requestHashOf, type StoredAnswer } from './idempotency.ts'
import {
  acceptTask,
  type CaseApplicant,
  type NewCase,
  newCase,
  newQueryCode,
  submittedEvent,
} from './new-case.ts'

/**
 * A submission as checked: its guides (with each bundle part's field map), the bundle, if any, and the
 * form data with the applicant's fields taken from the account.
 */
interface CheckedSubmission {
  guides: ResolvedGuide[]
  bundle?: BundleApplied
  formData: Record<string, unknown>
}

/** The cases a submission files: one, or a bundle's parent and one part per department. */
interface FiledCases {
  parent: NewCase
  children: NewCase[]
  queryCode: string
}

/**
 * 申请: files a case (or a bundle's parent and one part per department) in one statement with its first
 * event, tasks, materials, the idempotency record, the outbox events and the audit entry, so that nothing
 * is acknowledged that is not committed, and a retried request gets the original answer.
 */
export async function submitCase(
  ctx: CasesContext,
  input: SubmitCase,
  idempotencyKey: string,
  actor: AuthenticatedActor,
  who: AuditWho,
): Promise<StoredAnswer> {
  const requestHash = requestHashOf(input)
  const replay = () => replayIdempotent(ctx, actor.accountId, idempotencyKey, requestHash)
  let checked: CheckedSubmission
  try {
    checked = await checkSubmission(ctx, input, actor)
  } catch (error) {
    // a retry of an application that was filed (its draft gone since, its guide unpublished since) still
    // gets the original answer: the stored answer is looked for only when the request would fail, so a
    // first submission does not pay for the look-up
    const replayed = error instanceof AppError ? await replay() : undefined
    if (replayed) return replayed
    throw error
  }
  const filed = await fileCases(ctx, checked, actor)
  const answer = answerOf(filed)
  try {
    // one statement, committed on its own (with the submissions arriving with it)
    await ctx.writes.submission(
      submissionOf(ctx, filed, input, { idempotencyKey, requestHash, answer }, actor, who),
    )
  } catch (error) {
    // the same key committed by a concurrent request first: nothing was written; answer as it was answered
    const again = lostKeyRace(error) ? await replay() : undefined
    if (again) return again
    throw error
  }
  afterCommit(ctx)
  for (const guide of checked.guides) await countApplication(ctx, guide.implementationId)
  return answer
}

/**
 * Everything checked before a submission is written: declaration, files, guides, the caller's real-name
 * level, who applies, form, materials, cited grants, draft.
 */
async function checkSubmission(
  ctx: CasesContext,
  input: SubmitCase,
  actor: AuthenticatedActor,
): Promise<CheckedSubmission> {
  if (input.declaration !== true) throw invalidField('/declaration', 'declaration', messages.declaration)
  await checkOwnFiles(ctx, actor, fileRefs(input.materials, '/materials'))
  const resolved = await resolveGuides(ctx, input)
  checkRealNameLevel(actor, resolved.guides)
  const formData = await bindApplicant(ctx, resolved.guides, input.formData, actor)
  await checkApplication(ctx, resolved.guides, formData, input.materials)
  await checkCitedGrants(ctx, input.materials, licenseTypesOf(resolved.guides), {
    applicantIds: applicantIdsOf(actor),
    departmentIds: departmentsOf(resolved.guides),
  })
  if (input.draftId) await getOwnDraft(ctx, input.draftId, actor)
  return { ...resolved, formData }
}

/**
 * The new cases with their numbers, from this process's reserved blocks (no counter row is written per
 * case): the case of the item, or the bundle's parent and its parts, each with its own form data.
 */
async function fileCases(
  ctx: CasesContext,
  { guides, bundle, formData }: CheckedSubmission,
  actor: AuthenticatedActor,
): Promise<FiledCases> {
  const now = ctx.platform.clock.now()
  const day = shanghaiDate(now)
  const queryCode = newQueryCode()
  const single = bundle ? undefined : guides[0]
  const regionCode = bundle?.regionCode ?? single?.regionCode ?? ''
  const parentNo = await ctx.caseNumbers.next(regionCode, day)
  const childNos = bundle ? await Promise.all(guides.map((g) => ctx.caseNumbers.next(g.regionCode, day))) : []
  const applicant = applicantOf(actor)
  const build = (guide: ResolvedGuide | undefined, caseNo: string, parentId: string | null) =>
    newCase(ctx.platform.vault, {
      caseNo,
      queryCode,
      applicant,
      guide,
      bundle,
      parentId,
      regionCode,
      formData: guide ? partData(formData, guide.fields) : formData,
      day,
      now,
    })
  const parent = build(single, parentNo, null)
  const children = bundle ? guides.map((g, i) => build(g, childNos[i] ?? '', parent.row.id)) : []
  return { parent, children, queryCode }
}

/** The applicant of an online case: the caller, or the company an agent acts for. */
function applicantOf(actor: AuthenticatedActor): CaseApplicant {
  return {
    id: actor.accountId,
    actingForId: actor.actingFor?.accountId ?? null,
    name: actor.actingFor?.name ?? actor.name,
    kind: actor.actingFor || actor.kind === 'company' ? 'company' : 'person',
  }
}

/** 201 with the case number and the query code (shown only here), and the parts of a bundle. */
function answerOf({ parent, children, queryCode }: FiledCases): StoredAnswer {
  return {
    statusCode: 201,
    body: {
      id: parent.row.id,
      caseNo: parent.row.case_no,
      queryCode,
      status: 'submitted',
      version: 1,
      children: children.map((c) => ({
        id: c.row.id,
        caseNo: c.row.case_no,
        departmentId: c.guide?.departmentId ?? '',
      })),
    },
  }
}

/** Everything a submission writes, in one value for the one statement that writes it. */
function submissionOf(
  ctx: CasesContext,
  { parent, children }: FiledCases,
  input: SubmitCase,
  key: { idempotencyKey: string; requestHash: string; answer: StoredAnswer },
  actor: AuthenticatedActor,
  who: AuditWho,
): SubmissionRows {
  const all = [parent, ...children]
  const now = parent.row.submitted_at
  const by = {
    actor_kind: actor.kind,
    actor_id: actor.accountId,
    actor_name: actor.actingFor ? `${actor.name}（代 ${actor.actingFor.name}）` : actor.name,
  }
  const channel = (c: NewCase) =>
    c.row.parent_id
      ? { channel: 'online', parentCaseNo: parent.row.case_no }
      : children.length > 0
        ? { channel: 'online', children: children.map((x) => x.row.case_no) }
        : { channel: 'online' }
  return {
    cases: all.map((c) => c.row),
    events: all.map((c) => submittedEvent(c.row, by, channel(c), null)),
    tasks: all.flatMap(({ row, steps, guide }) => (guide ? [acceptTask(row, steps, guide)] : [])),
    materials: all.flatMap(({ row, guide }) =>
      guide ? materialRows(row.id, materialsFor(guide, input.materials), now) : [],
    ),
    draftId: input.draftId ?? null,
    idempotencyKey: {
      account_id: actor.accountId,
      key: key.idempotencyKey,
      request_hash: key.requestHash,
      status_code: key.answer.statusCode,
      response: key.answer.body,
      created_at: now,
    },
    outbox: all.map((c) => milestoneEvent(c.row, 'submitted', 1)),
    notify: all.filter((c) => notifies(c.row, 'submitted')).map((c) => c.row.id),
    audit: ctx.platform.audit.jsonEntry({
      ...who,
      action: 'case.submit',
      resourceType: 'case',
      resourceId: parent.row.id,
      regionCode: parent.row.region_code,
      outcome: 'success',
      details: {
        caseNo: parent.row.case_no,
        implementationId: parent.row.implementation_id,
        bundleId: parent.row.bundle_id,
        children: children.map((c) => c.row.case_no),
      },
    }),
  }
}

/** Counts an application for the item's statistics: best effort, a failure is logged and forgotten. */
export async function countApplication(ctx: CasesContext, implementationId: string): Promise<void> {
  try {
    await ctx.ports.catalog.recordApplication?.(implementationId)
  } catch (err) {
    ctx.platform.logger.warn({ err, implementationId }, 'counting an application failed')
  }
}
