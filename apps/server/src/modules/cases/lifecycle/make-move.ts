import type { WorkingDayCalendar } from '@tongban/standards'
import type { AuthenticatedActor } from '../../../platform/authz.ts'
import { AppError } from '../../../platform/errors.ts'
import { materialRows } from '../apply/check-application.ts'
import { type AuditWho, afterCommit, type CasesContext } from '../cases.context.ts'
import { invalidMove, messages, notYourStep, staleVersion } from '../cases.messages.ts'
import { isHeldByAnother, mayMakeMove } from '../cases.policy.ts'
import { MOVES, movesOf } from '../cases.state.ts'
import { formDataOf } from '../form-data.ts'
import { type CaseDetail, findVisibleWithHistory, timeLimitToday } from '../reading.ts'
import { MovedOnError } from '../repository/case-writes.ts'
import type { CaseWithHistory } from '../repository/records.ts'
import { checkOwnFiles, fileRefs } from '../uploads.ts'
import { decideParent, type Withdrawal, withdrawBundle } from './bundle-parts.ts'
import { type MoveRequest, type PlannedMove, planMove, resubmissionOf } from './plan-move.ts'
import { checkResubmission } from './resubmission.ts'

/**
 * Makes a move on a case: 404 unless the caller may see it, 403 unless they may make the move, 409 for a
 * version other than the one they saw (stale-version), for a move not possible now (invalid-transition,
 * naming the moves that are) and for a task claimed by someone else; 404 for a file not theirs, 400 for a
 * resubmission that does not fix what was asked. Then plans the change and writes it: together with the
 * moves arriving with it, or in a transaction when it cascades (a bundle's withdrawal, a part's decision)
 * or replaces materials. Answers the case as it now is, built from what was read and what was written
 * (the version check guarantees nobody changed it in between).
 */
export async function makeMove(
  ctx: CasesContext,
  caseId: string,
  request: MoveRequest,
  actor: AuthenticatedActor,
  who: AuditWho,
): Promise<CaseDetail> {
  const [found, calendar] = await Promise.all([
    findVisibleWithHistory(ctx, caseId, actor),
    ctx.calendar.get(),
  ])
  await checkMove(ctx, found, request, actor)
  const plan = planMove(ctx, found, request, actor, who, calendar)
  const withdrawal = await writeMove(ctx, found, request, plan, actor, calendar)
  afterCommit(ctx)
  return answerOf(ctx, found, request, plan, withdrawal, calendar)
}

/** Who may, on which version, whether possible now, with whose files, fixing what was asked, claimed by whom. */
async function checkMove(
  ctx: CasesContext,
  { record, liveTask, events }: CaseWithHistory,
  request: MoveRequest,
  actor: AuthenticatedActor,
): Promise<void> {
  const { move, body } = request
  if (!mayMakeMove(actor, record, move)) throw notYourStep()
  if (record.version !== body.version) throw staleVersion(record.version)
  const allowed = movesOf(record.state, record.parent_id !== null)
  if (!allowed.includes(move)) throw invalidMove(record, move, allowed)
  const resubmission = resubmissionOf(request)
  await checkOwnFiles(ctx, actor, [
    ...fileRefs(resubmission.materials ?? [], '/materials'),
    ...fileRefs(body.attachments ?? [], '/attachments'),
  ])
  if (move === 'resubmit') await checkResubmission(ctx, record, resubmission, events)
  if (isHeldByAnother(actor, liveTask, move))
    throw new AppError('conflict', { detail: messages.claimedBy(liveTask?.claimed_by ?? '') })
}

/**
 * Writes the planned change. The common move goes in one statement, committed on its own together with
 * the moves arriving with it; a bundle's withdrawal, a part's decision and a resubmission's materials are
 * written in one transaction with what they cascade to. A case that moved on meanwhile: 409.
 */
async function writeMove(
  ctx: CasesContext,
  { record }: CaseWithHistory,
  request: MoveRequest,
  plan: PlannedMove,
  actor: AuthenticatedActor,
  calendar: WorkingDayCalendar,
): Promise<Withdrawal | undefined> {
  const type = MOVES[request.move].event
  const materials = resubmissionOf(request).materials ?? []
  const withdrawingBundle = record.state.isBundle && request.move === 'withdraw'
  const decidingPart =
    record.parent_id !== null && (type === 'approved' || type === 'denied' || type === 'refused')
  try {
    if (!withdrawingBundle && !decidingPart && materials.length === 0) {
      await ctx.writes.change(plan.change)
      return undefined
    }
    return await ctx.platform.db.transaction().execute(async (trx) => {
      if (withdrawingBundle) return withdrawBundle(ctx, trx, record, plan, actor, calendar)
      await ctx.writes.changesIn(trx, [plan.change])
      const now = plan.change.event.occurred_at
      if (materials.length > 0) {
        const { changes } = ctx.repositories
        await changes.supersedeMaterials(
          trx,
          record.id,
          materials.map((m) => m.key),
          now,
        )
        await changes.insertMaterials(trx, materialRows(record.id, materials, now))
      }
      if (decidingPart) await decideParent(ctx, trx, record, plan)
      return undefined
    })
  } catch (error) {
    if (error instanceof MovedOnError) throw staleVersion(record.version + 1)
    throw error
  }
}

/** The case after the move: as read, with the change applied, its event appended, its materials replaced. */
function answerOf(
  ctx: CasesContext,
  found: CaseWithHistory,
  request: MoveRequest,
  plan: PlannedMove,
  withdrawal: Withdrawal | undefined,
  calendar: WorkingDayCalendar,
): CaseDetail {
  const { record } = found
  const { projection, event, caseId } = plan.change
  const after = { ...record, ...projection, state: plan.next, version: record.version + 1 }
  const materials = resubmissionOf(request).materials ?? []
  const replaced = new Set(materials.map((m) => m.key))
  const withdrawn = new Set(withdrawal?.withdrawnParts ?? [])
  const data = withdrawal ? { ...event.data, ...withdrawal } : event.data
  return {
    record: after,
    formData: plan.formData ?? formDataOf(ctx.platform.vault, record),
    events: [...found.events, { ...event, data, case_id: caseId }],
    materials:
      replaced.size > 0
        ? [
            ...found.materials.filter((m) => !replaced.has(m.material_key)),
            ...materialRows(caseId, materials, event.occurred_at).map((m) => ({ ...m, superseded_at: null })),
          ]
        : found.materials,
    children: found.children.map((c) =>
      withdrawn.has(c.case_no) ? { ...c, status: 'withdrawn' as const } : c,
    ),
    timeLimit: timeLimitToday(ctx, after, calendar),
  }
}
