import type { WorkingDayCalendar } from '@tongban/standards'
import type { Transaction } from 'kysely'
import type { AuthenticatedActor } from '../../../platform/authz.ts'
import type { Database } from '../../../platform/db/schema.ts'
import type { CasesContext } from '../cases.context.ts'
import { cascadeComments } from '../cases.messages.ts'
import { allowedMoves, applyEvent, type CaseEventType } from '../cases.state.ts'
import { shanghaiDate } from '../cases.time-limits.ts'
import type { CaseRecord } from '../repository/records.ts'
import { type CaseChange, milestoneEvent, notifies, projectionOf } from './case-change.ts'
import type { PlannedMove } from './plan-move.ts'

/** What a bundle's withdrawal did to its parts: withdrawn with it, or kept (decided before). */
export interface Withdrawal {
  withdrawnParts: string[]
  decidedParts: string[]
}

/**
 * 一件事撤回: the bundle is withdrawn with every part still before its decision (an event of its own, its
 * department task cancelled); a part already decided keeps its decision. The parts are locked first, in
 * the order a part's decision locks them (part, then parent), so the two never deadlock; then the parts'
 * and the parent's changes are written together, in the caller's transaction: all or nothing.
 */
export async function withdrawBundle(
  ctx: CasesContext,
  trx: Transaction<Database>,
  parent: CaseRecord,
  plan: PlannedMove,
  actor: AuthenticatedActor,
  calendar: WorkingDayCalendar,
): Promise<Withdrawal> {
  const parts = await ctx.repositories.cases.findChildren(trx, parent.id, true)
  const now = plan.change.event.occurred_at
  const withdrawal: Withdrawal = { withdrawnParts: [], decidedParts: [] }
  const changes: CaseChange[] = []
  for (const part of parts) {
    if (!allowedMoves(part.state).includes('withdraw')) {
      withdrawal.decidedParts.push(part.case_no)
      continue
    }
    changes.push(partWithdrawal(part, parent, actor, now, calendar))
    withdrawal.withdrawnParts.push(part.case_no)
  }
  // the parent's event and audit entry say what became of the parts
  const audit = ctx.platform.audit.jsonEntry({
    ...plan.auditEntry,
    details: { ...plan.auditEntry.details, ...withdrawal },
  })
  const event = { ...plan.change.event, data: { ...plan.change.event.data, ...withdrawal } }
  await ctx.writes.changesIn(trx, [...changes, { ...plan.change, event, audit }])
  return withdrawal
}

/** A part withdrawn with its bundle: by the applicant, its live task cancelled, its applicant not told. */
function partWithdrawal(
  part: CaseRecord,
  parent: CaseRecord,
  actor: AuthenticatedActor,
  now: Date,
  calendar: WorkingDayCalendar,
): CaseChange {
  const next = applyEvent(part.state, { type: 'withdrawn', day: shanghaiDate(now) })
  return {
    caseId: part.id,
    version: part.version,
    projection: { ...projectionOf(part, next, calendar), state: next, updated_at: now },
    event: {
      seq: part.version + 1,
      region_code: part.region_code,
      type: 'withdrawn',
      actor_kind: actor.kind,
      actor_id: actor.accountId,
      actor_name: actor.name,
      occurred_at: now,
      comment: cascadeComments.withdrawnWithBundle,
      attachments: [],
      data: { parentCaseNo: parent.case_no },
    },
    // whatever task it waits on (a withdrawn case waits on none)
    closeTask: 'cancelled',
    openTask: null,
    outbox: milestoneEvent(part, 'withdrawn', part.version + 1),
    notify: notifies(part, 'withdrawn'),
    audit: null,
  }
}

/**
 * 并联审批: after a part's decision (written in the caller's transaction), its parent is approved once
 * every part is, or denied as soon as one is, naming the department and its reason; then completed. The
 * parent's row lock serializes parts decided at once.
 */
export async function decideParent(
  ctx: CasesContext,
  trx: Transaction<Database>,
  part: CaseRecord,
  plan: PlannedMove,
): Promise<void> {
  const { next } = plan
  const { data, occurred_at: now } = plan.change.event
  if (!part.parent_id) return
  const parent = await ctx.repositories.cases.findByIdForUpdate(trx, part.parent_id)
  if (parent?.status !== 'submitted') return
  const siblings = await ctx.repositories.cases.findChildren(trx, parent.id)
  const decisions = siblings.map((s) => (s.id === part.id ? next : s.state))
  const deniedHere = next.status === 'denied' || next.status === 'refused'
  if (!deniedHere && !decisions.every((s) => s.decision === 'approved')) return
  const decision: ParentEvent = deniedHere
    ? {
        type: 'denied',
        data: {
          departmentId: part.department_id,
          itemName: part.item_name,
          caseNo: part.case_no,
          reason: data.reason ?? null,
        },
        comment: cascadeComments.partDenied(part.item_name, data.reason),
      }
    : { type: 'approved', data: { parts: siblings.map((s) => s.case_no) }, comment: null }
  await ctx.writes.changesIn(
    trx,
    parentChanges(parent, [decision, { type: 'completed', data: {}, comment: null }], now),
  )
}

/** An event the system appends to a bundle's parent. */
interface ParentEvent {
  type: CaseEventType
  data: Record<string, unknown>
  comment: string | null
}

/** The parent's changes, one per event, each on the version the one before it leaves. */
function parentChanges(parent: CaseRecord, events: ParentEvent[], now: Date): CaseChange[] {
  let state = parent.state
  return events.map(({ type, data, comment }, i) => {
    state = applyEvent(state, { type, day: shanghaiDate(now) })
    const version = parent.version + i
    return {
      caseId: parent.id,
      version,
      projection: {
        status: state.status ?? parent.status,
        state,
        completed_on: state.completedOn,
        updated_at: now,
      },
      event: {
        seq: version + 1,
        region_code: parent.region_code,
        type,
        actor_kind: 'system',
        actor_id: null,
        actor_name: null,
        occurred_at: now,
        comment,
        attachments: [],
        data,
      },
      closeTask: null,
      openTask: null,
      outbox: milestoneEvent(parent, type, version + 1, state.decision),
      notify: notifies(parent, type),
      audit: null,
    }
  })
}
