import type { WalkInCase, WalkInReceipt } from '@tongban/contracts'
import { maskIdNumber, type WorkingDayCalendar } from '@tongban/standards'
import type { AuthenticatedActor } from '../../../platform/authz.ts'
import { AppError, invalid } from '../../../platform/errors.ts'
import { type AuditWho, afterCommit, type CasesContext } from '../cases.context.ts'
import { fieldError, messages } from '../cases.messages.ts'
import { mayFileWalkIn } from '../cases.policy.ts'
import type { ApplicantAccountsPort, PublishedGuide } from '../cases.ports.ts'
import { applyEvent, type CaseState } from '../cases.state.ts'
import { shanghaiDate } from '../cases.time-limits.ts'
import {
  type CaseChange,
  milestoneEvent,
  notifies,
  openTaskOf,
  projectionOf,
  taskChangeOf,
} from '../lifecycle/case-change.ts'
import { acceptStepOf, stepsOf } from '../lifecycle/workflow.ts'
import type { SubmissionRows } from '../repository/case-changes.repository.ts'
import { checkOwnFiles, fileRefs } from '../uploads.ts'
import { applicationErrors, currentGuide, materialRows, materialsFor } from './check-application.ts'
import { checkCitedGrants, departmentsOf, licenseTypesOf } from './cited-grants.ts'
import {
  isUniqueViolation,
  lostKeyRace,
  replayIdempotent,
  requestHashOf,
  type StoredAnswer,
} from './idempotency.ts'
import { acceptTask, type NewCase, newCase, newQueryCode, submittedEvent } from './new-case.ts'
import { countApplication } from './submit-case.ts'
import {
  checkWalkInApplicant,
  type FoundAccounts,
  findApplicantAccounts,
  openApplicantAccounts,
  type VerifiedApplicant,
} from './walk-in-applicant.ts'

/** A walk-in as checked, before anything is written. */
interface CheckedWalkIn {
  accounts: ApplicantAccountsPort
  guide: PublishedGuide
  applicant: VerifiedApplicant
  found: FoundAccounts
}

/** A walk-in's request: its Idempotency-Key and the hash a retry must repeat. */
interface WalkInRequest {
  idempotencyKey: string
  requestHash: string
}

/**
 * 一窗受理: a window clerk files a case for an applicant at the counter — a person by ID card, or a
 * company by business licence with its agent (经办人), filed like an online agent filing (applicant =
 * agent, acting for = company; no online agent authorization is made) — and, when asked, accepts it at
 * once. Accounts the applicant lacks are opened (real-name L3 by counter, no password) in the same
 * transaction as the case, its events, tasks, materials, the idempotency record, outbox events and audit
 * entries: nothing half-written, nothing acknowledged before commit. A retry with the same key gets the
 * original receipt.
 */
export async function walkIn(
  ctx: CasesContext,
  input: WalkInCase,
  idempotencyKey: string,
  clerk: AuthenticatedActor,
  who: AuditWho,
): Promise<StoredAnswer<WalkInReceipt>> {
  const request = { idempotencyKey, requestHash: requestHashOf({ walkIn: input }) }
  const replay = () =>
    replayIdempotent<WalkInReceipt>(ctx, clerk.accountId, idempotencyKey, request.requestHash)
  // not the hot path: the stored receipt is looked for first, so a retry has no side effects at all
  const replayed = await replay()
  if (replayed) return replayed
  for (let attempt = 1; ; attempt++) {
    try {
      return await fileWalkIn(ctx, input, request, clerk, who)
    } catch (error) {
      const raced = lostKeyRace(error)
      // the same key committed by a concurrent request first (nothing was written here; a refusal such as
      // "phone in use" may come from the very account that request opened): answer as it was answered
      const again = raced || error instanceof AppError ? await replay() : undefined
      if (again) return again
      if (!raced) throw error
      // another window opened the applicant's account meanwhile: look them up again, once
      if (isUniqueViolation(error) && attempt === 1) continue
      throw new AppError('conflict', { cause: error, detail: messages.accountBeingOpened })
    }
  }
}

/** One attempt: check, number, then write accounts, case, acceptance and receipt in one transaction. */
async function fileWalkIn(
  ctx: CasesContext,
  input: WalkInCase,
  request: WalkInRequest,
  clerk: AuthenticatedActor,
  who: AuditWho,
): Promise<StoredAnswer<WalkInReceipt>> {
  const checked = await checkWalkIn(ctx, input, clerk, who)
  const now = ctx.platform.clock.now()
  const queryCode = newQueryCode()
  const [calendar, departmentName, caseNo] = await Promise.all([
    ctx.calendar.get(),
    ctx.ports.departments?.findDepartmentName(checked.guide.departmentId),
    ctx.caseNumbers.next(checked.guide.regionCode, shanghaiDate(now)),
  ])
  const receipt = await ctx.platform.db.transaction().execute(async (trx) => {
    const { accounts, applicant, found } = checked
    const opened = await openApplicantAccounts(trx, accounts, applicant, found, clerk, who)
    const filed = newCase(ctx.platform.vault, {
      caseNo,
      queryCode,
      applicant: {
        id: opened.agent.id,
        actingForId: opened.company?.id ?? null,
        name: opened.company?.name ?? opened.agent.name,
        kind: opened.company ? 'company' : 'person',
      },
      guide: checked.guide,
      bundle: undefined,
      parentId: null,
      regionCode: checked.guide.regionCode,
      formData: input.formData,
      day: shanghaiDate(now),
      now,
    })
    const acceptance = input.accept ? acceptAtWindow(ctx, filed, calendar, clerk, who) : undefined
    const answer = receiptOf(filed, { checked, opened, acceptance, departmentName, queryCode, clerk, input })
    const facts = { answer, request, opened, queryCode, input, clerk, who }
    await ctx.writes.submissionIn(trx, walkInSubmission(ctx, filed, facts))
    if (acceptance) await ctx.writes.changesIn(trx, [acceptance.change])
    return answer
  })
  afterCommit(ctx)
  await countApplication(ctx, checked.guide.implementationId)
  return { statusCode: 201, body: receipt }
}

/**
 * Everything checked before a walk-in is written: the clerk accepts this item's cases (403), the
 * applicant's numbers, the declaration, the form and the materials (400, every field error at once), the
 * files are the clerk's uploads (404), and the applicant's accounts as found (400 when names differ).
 */
async function checkWalkIn(
  ctx: CasesContext,
  input: WalkInCase,
  clerk: AuthenticatedActor,
  who: AuditWho,
): Promise<CheckedWalkIn> {
  const accounts = ctx.ports.applicants
  if (!accounts) throw new Error('the cases module has no applicant accounts port')
  const guide = await currentGuide(ctx, input.implementationId, input.guideVersion)
  const acceptStep = acceptStepOf(stepsOf(guide))
  const scope = { regionCode: guide.regionCode, departmentId: acceptStep.departmentId ?? guide.departmentId }
  if (!mayFileWalkIn(clerk, scope, { now: input.accept, role: acceptStep.role }))
    throw new AppError('forbidden', { detail: messages.notItemsWindowClerk })
  const { errors, verified } = checkWalkInApplicant(input.applicant, shanghaiDate(ctx.platform.clock.now()))
  if (input.declaration !== true)
    errors.push(fieldError('/declaration', 'declaration', messages.windowDeclaration))
  await checkOwnFiles(ctx, clerk, fileRefs(input.materials, '/materials'))
  errors.push(...(await applicationErrors(ctx, [guide], input.formData, input.materials)))
  if (errors.length > 0 || !verified) throw invalid(errors)
  const found = await findApplicantAccounts(accounts, verified, clerk, who)
  // a license the applicant authorized: theirs (an account opened here holds none), for this department
  await checkCitedGrants(ctx, input.materials, licenseTypesOf([guide]), {
    applicantIds: [found.person?.id, found.company?.id].filter((id): id is string => id !== undefined),
    departmentIds: departmentsOf([guide]),
  })
  return { accounts, guide, applicant: verified, found }
}

/** 当场受理: the acceptance of a case just filed, as an ordinary accept computes it from the case as submitted. */
function acceptAtWindow(
  ctx: CasesContext,
  { row, steps, guide }: NewCase,
  calendar: WorkingDayCalendar,
  clerk: AuthenticatedActor,
  who: AuditWho,
): { change: CaseChange; state: CaseState } {
  const now = row.submitted_at
  const state = applyEvent(row.state, { type: 'accepted', day: shanghaiDate(now) })
  const submitted = {
    ...row,
    accepted_on: null,
    paused_since: null,
    paused_working_days: 0,
    completed_on: null,
  }
  const projection = projectionOf(submitted, state, calendar)
  const live = guide ? acceptTask(row, steps, guide) : undefined
  const change: CaseChange = {
    caseId: row.id,
    version: 1,
    projection: { ...projection, accepted_at: now, state, updated_at: now },
    event: {
      seq: 2,
      region_code: row.region_code,
      type: 'accepted',
      actor_kind: 'staff',
      actor_id: clerk.accountId,
      actor_name: clerk.name,
      occurred_at: now,
      comment: null,
      attachments: [],
      data: { channel: 'window', clerkName: clerk.name },
    },
    ...taskChangeOf(live, openTaskOf(state, steps, row), state),
    outbox: milestoneEvent(row, 'accepted', 2),
    notify: notifies(row, 'accepted'),
    audit: ctx.platform.audit.jsonEntry({
      ...who,
      action: 'case.accept',
      resourceType: 'case',
      resourceId: row.id,
      regionCode: row.region_code,
      outcome: 'success',
      details: { caseNo: row.case_no, from: 'submitted', to: state.status, version: 2, channel: 'window' },
    }),
  }
  return { change, state }
}

/** 受理回执: what the clerk prints and hands over; the query code is shown only here, once. */
function receiptOf(
  { row, guide }: NewCase,
  facts: {
    checked: CheckedWalkIn
    opened: { agent: { name: string }; company: { name: string } | undefined }
    acceptance: { change: CaseChange; state: CaseState } | undefined
    departmentName: string | undefined
    queryCode: string
    clerk: AuthenticatedActor
    input: WalkInCase
  },
): WalkInReceipt {
  const { checked, opened, acceptance, input } = facts
  const { person, company } = checked.applicant
  const projection = acceptance?.change.projection
  return {
    id: row.id,
    caseNo: row.case_no,
    queryCode: facts.queryCode,
    status: acceptance?.state.status ?? 'submitted',
    version: acceptance ? 2 : 1,
    itemName: row.item_name,
    departmentName: facts.departmentName ?? '',
    applicant: {
      kind: company ? 'company' : 'person',
      name: opened.company?.name ?? opened.agent.name,
      maskedId: maskIdNumber(company?.uscc ?? person.idNumber),
      agent: company
        ? {
            name: opened.agent.name,
            maskedId: maskIdNumber(person.idNumber),
            accountCreated: !checked.found.person,
          }
        : null,
      accountCreated: company ? !checked.found.company : !checked.found.person,
    },
    acceptedAt: acceptance ? row.submitted_at.toISOString() : null,
    legalDeadline: projection?.legal_deadline ?? null,
    promisedDeadline: projection?.promised_deadline ?? null,
    materials: (guide ? materialsFor(guide, input.materials) : []).map((m) => ({ key: m.key, name: m.name })),
    clerk: { name: facts.clerk.name },
  }
}

/** Everything a walk-in's submission writes: the case, its first event and task, its materials, the key
 * with the receipt, the outbox event, the notification (with the query code, encrypted) and the audit entry. */
function walkInSubmission(
  ctx: CasesContext,
  { row, steps, guide }: NewCase,
  facts: {
    answer: WalkInReceipt
    request: WalkInRequest
    opened: { agent: { id: string }; company: { id: string } | undefined; created: string[] }
    queryCode: string
    input: WalkInCase
    clerk: AuthenticatedActor
    who: AuditWho
  },
): SubmissionRows {
  const { answer, request, opened, input, clerk } = facts
  const now = row.submitted_at
  const by = { actor_kind: 'staff' as const, actor_id: clerk.accountId, actor_name: clerk.name }
  const channel = { channel: 'window', clerkName: clerk.name }
  return {
    cases: [row],
    events: [submittedEvent(row, by, channel, input.comment ?? null)],
    tasks: guide ? [acceptTask(row, steps, guide)] : [],
    materials: guide ? materialRows(row.id, materialsFor(guide, input.materials), now) : [],
    draftId: null,
    idempotencyKey: {
      account_id: clerk.accountId,
      key: request.idempotencyKey,
      request_hash: request.requestHash,
      status_code: 201,
      response: answer,
      created_at: now,
    },
    outbox: [milestoneEvent(row, 'submitted', 1)],
    notify: [row.id],
    notifyData: { queryCodeEnc: ctx.platform.vault.encrypt(facts.queryCode) },
    audit: ctx.platform.audit.jsonEntry({
      ...facts.who,
      action: 'case.walk-in',
      resourceType: 'case',
      resourceId: row.id,
      regionCode: row.region_code,
      outcome: 'success',
      details: {
        caseNo: row.case_no,
        implementationId: row.implementation_id,
        channel: 'window',
        clerkName: clerk.name,
        applicantId: opened.agent.id,
        actingForId: opened.company?.id ?? null,
        applicantKind: row.applicant_kind,
        applicant: answer.applicant.maskedId,
        accountsCreated: opened.created,
        accept: input.accept,
      },
    }),
  }
}
