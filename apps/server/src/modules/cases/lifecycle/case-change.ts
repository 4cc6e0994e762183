import type { CaseMilestone, DomainEvents } from '@tongban/contracts'
import type { WorkingDayCalendar } from '@tongban/standards'
import type { AuditEntry } from '../../../platform/audit.ts'
import type { OutboxEvent } from '../../../platform/events.ts'
import type { WorkflowStep } from '../cases.ports.ts'
import type { CaseEventType, CaseState } from '../cases.state.ts'
import { deadlinesOf, factsOf, pausedDays } from '../cases.time-limits.ts'
import type { CaseRecord, CaseTaskRecord, TaskRole, TimeLimitFactColumns } from '../repository/records.ts'
import { nextStep } from './workflow.ts'

/** The projection columns a change may set, besides the version; each listed once (decision 0013). */
export const MOVE_COLUMNS = [
  'status',
  'form_data_enc',
  'form_data',
  'state',
  'accepted_on',
  'accepted_at',
  'paused_since',
  'paused_working_days',
  'legal_deadline',
  'promised_deadline',
  'deadline_unknown',
  'supervision_flag',
  'completed_on',
  'elapsed_working_days',
  'updated_at',
] as const satisfies readonly (keyof CaseRecord)[]

/** The projection columns a change sets (the others keep their values). */
export type Projection = Partial<Pick<CaseRecord, (typeof MOVE_COLUMNS)[number]>>

/** A case event as a change writes it, without its case. */
export interface CaseEventRow {
  seq: number
  region_code: string
  type: CaseEventType
  actor_kind: 'person' | 'company' | 'staff' | 'system'
  actor_id: string | null
  actor_name: string | null
  occurred_at: Date
  comment: string | null
  attachments: unknown[]
  data: Record<string, unknown>
}

/** The task a change opens: the step the case waits on next, in its department. */
export interface OpenTask {
  step: string
  department_id: string
  region_code: string
  role: TaskRole
}

/** An audit entry as a one-statement write carries it (AuditLog.jsonEntry). */
export type AuditJson = AuditEntry & { occurredAt: string }

/**
 * 办件变更: one change of one case, planned by a move or a bundle's cascade as a value and written by the
 * one writer of case changes (CaseWrites): its projection, applied only while the case is still at
 * `version`; its event; the closing of its live task and the opening of the next one; its outbox event;
 * whether the applicant is told of it; its audit entry, if it has one.
 */
export interface CaseChange {
  caseId: string
  version: number
  projection: Projection
  event: CaseEventRow
  closeTask: 'done' | 'cancelled' | null
  openTask: OpenTask | null
  outbox: OutboxEvent<DomainEvents>
  notify: boolean
  audit: AuditJson | null
}

/** Milestones the applicant is notified of. */
const NOTIFIED: CaseEventType[] = [
  'submitted',
  'accepted',
  'refused',
  'correction_requested',
  'approved',
  'denied',
  'completed',
  'delivered',
  'suspended',
  'resumed',
  'withdrawn',
]

/**
 * Whether a case event is a milestone the applicant is told of: a bundle's parts speak through the parent
 * (their submission and withdrawal are the parent's).
 */
export function notifies(record: Pick<CaseRecord, 'parent_id'>, type: CaseEventType): boolean {
  if (!NOTIFIED.includes(type)) return false
  return !(record.parent_id && (type === 'submitted' || type === 'withdrawn'))
}

/** The case columns a milestone event carries. */
export type MilestoneSource = Pick<
  CaseRecord,
  | 'id'
  | 'case_no'
  | 'applicant_id'
  | 'acting_for_id'
  | 'item_name'
  | 'region_code'
  | 'parent_id'
  | 'department_id'
  | 'implementation_id'
  | 'guide_version'
  | 'form_data_enc'
>

/** The outbox event of a case event (events.ts): what consumers (notifications, licenses) need of it. */
export function milestoneEvent(
  record: MilestoneSource,
  type: CaseEventType,
  seq: number,
  decision: CaseState['decision'] = null,
): OutboxEvent<DomainEvents> {
  const payload: CaseMilestone = {
    caseId: record.id,
    caseNo: record.case_no,
    seq,
    applicantId: record.applicant_id,
    actingForId: record.acting_for_id,
    itemName: record.item_name,
    regionCode: record.region_code,
    parentId: record.parent_id,
    departmentId: record.department_id,
    implementationId: record.implementation_id,
    guideVersion: record.guide_version,
    decision,
  }
  if (type === 'completed')
    return {
      topic: 'case.completed',
      payload: { ...payload, formDataEnc: record.form_data_enc ?? null },
      aggregateId: record.id,
    }
  return { topic: `case.${type}`, payload, aggregateId: record.id }
}

/** What a projection is computed from: the case's time-limit columns. */
export type ProjectionSource = TimeLimitFactColumns

/** The projection columns of a new state: status, deadlines, completion. */
export function projectionOf(
  record: ProjectionSource,
  next: CaseState,
  calendar: WorkingDayCalendar,
): Projection {
  const projection: Projection = {
    status: next.status ?? record.status,
    accepted_on: next.acceptedOn,
    paused_since: next.pausedSince,
    paused_working_days: next.pausedWorkingDays,
  }
  if (next.acceptedOn && !next.pausedSince) Object.assign(projection, deadlineColumns(record, next, calendar))
  if (next.completedOn && !record.completed_on) {
    projection.completed_on = next.completedOn
    if (next.acceptedOn) {
      const elapsed = pausedDays(calendar, next.acceptedOn, next.completedOn)
      projection.elapsed_working_days = Math.max(0, elapsed.days - next.pausedWorkingDays)
    }
  }
  return projection
}

/** The deadline columns once accepted and running: known dates, or flagged unknown (a missing year). */
function deadlineColumns(
  record: ProjectionSource,
  next: CaseState,
  calendar: WorkingDayCalendar,
): Projection {
  const deadlines = deadlinesOf(calendar, {
    ...factsOf(record),
    acceptedOn: next.acceptedOn,
    pausedWorkingDays: next.pausedWorkingDays,
  })
  if (deadlines?.known)
    return {
      legal_deadline: deadlines.legal,
      promised_deadline: deadlines.promised,
      deadline_unknown: false,
      supervision_flag: null,
    }
  // a deadline in a covered year is kept (with its warning); the other waits for its year's calendar
  if (deadlines)
    return {
      legal_deadline: deadlines.legal ?? null,
      promised_deadline: deadlines.promised ?? null,
      deadline_unknown: true,
      supervision_flag: 'calendar-missing',
    }
  return {}
}

/**
 * The task changes of reaching a state: the live task stays when the case waits on the same step (a claim
 * survives a suspension); otherwise it is closed (cancelled by a withdrawal) and the next step's opened.
 */
export function taskChangeOf(
  live: Pick<CaseTaskRecord, 'step' | 'department_id' | 'role'> | undefined,
  target: OpenTask | undefined,
  next: CaseState,
): Pick<CaseChange, 'closeTask' | 'openTask'> {
  const keep =
    live &&
    target &&
    live.step === target.step &&
    live.department_id === target.department_id &&
    live.role === target.role
  if (keep) return { closeTask: null, openTask: null }
  return {
    closeTask: live ? (next.status === 'withdrawn' ? 'cancelled' : 'done') : null,
    openTask: target ?? null,
  }
}

/** The task a case waits on in a state: its next step's, in the step's department (the case's by default). */
export function openTaskOf(
  state: CaseState,
  steps: WorkflowStep[],
  record: Pick<CaseRecord, 'department_id' | 'region_code'>,
): OpenTask | undefined {
  const step = nextStep(state, steps)
  const departmentId = step?.departmentId ?? record.department_id
  if (!step || !departmentId) return undefined
  return { step: step.key, department_id: departmentId, role: step.role, region_code: record.region_code }
}
