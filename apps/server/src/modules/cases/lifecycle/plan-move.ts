import type { AnyMoveBody, CaseMove } from '@tongban/contracts'
import type { WorkingDayCalendar } from '@tongban/standards'
import type { AuditEntry } from '../../../platform/audit.ts'
import type { AuthenticatedActor } from '../../../platform/authz.ts'
import type { AuditWho, CasesContext } from '../cases.context.ts'
import { applyEvent, type CaseState, MOVES } from '../cases.state.ts'
import { pausedDays, shanghaiDate } from '../cases.time-limits.ts'
import { encryptFormData } from '../form-data.ts'
import type { CaseWithHistory } from '../repository/records.ts'
import {
  type CaseChange,
  type CaseEventRow,
  milestoneEvent,
  notifies,
  openTaskOf,
  type Projection,
  projectionOf,
  taskChangeOf,
} from './case-change.ts'
import type { Resubmission } from './resubmission.ts'

/** A move as asked: which, and its body. */
export interface MoveRequest {
  move: CaseMove
  body: AnyMoveBody
}

/** A move as planned: the state it reaches, the change recording it, and the form data it brings. */
export interface PlannedMove {
  next: CaseState
  change: CaseChange
  /** The audit entry before it is stamped: a bundle's withdrawal adds what became of its parts. */
  auditEntry: AuditEntry
  /** A resubmission's corrected form. */
  formData: Record<string, unknown> | undefined
}

/** The fields of a move's body that its event records as its data, in this order. */
const MOVE_DATA = ['reason', 'legalBasis', 'items', 'method', 'trackingNumber', 'licenseId'] as const

/** What a move's event records of its body: its reason, legal basis, items, delivery. */
function moveData(body: AnyMoveBody): Record<string, unknown> {
  const fields: Record<string, unknown> = body
  const data: Record<string, unknown> = {}
  for (const key of MOVE_DATA) if (fields[key]) data[key] = fields[key]
  return data
}

/** What a resubmission brings (nothing for any other move). */
export function resubmissionOf({ move, body }: MoveRequest): Resubmission {
  if (move !== 'resubmit' || !('materials' in body || 'formData' in body)) return {}
  return { formData: 'formData' in body ? body.formData : undefined, materials: body.materials }
}

/**
 * Plans a move on a case read with its history (its checks passed): the state it reaches by the reducer,
 * the projection columns of that state (deadlines, the clock stopped or running again, the corrected form),
 * its event, the task the case waits on next, the outbox event, the notification and the audit entry.
 */
export function planMove(
  ctx: CasesContext,
  { record, liveTask }: CaseWithHistory,
  request: MoveRequest,
  actor: AuthenticatedActor,
  who: AuditWho,
  calendar: WorkingDayCalendar,
): PlannedMove {
  const now = ctx.platform.clock.now()
  const type = MOVES[request.move].event
  const data = moveData(request.body)
  // resuming, or resubmitting after acceptance, adds the working days the clock stood still
  const pause =
    (request.move === 'resume' || request.move === 'resubmit') && record.state.pausedSince
      ? pausedDays(calendar, record.state.pausedSince, shanghaiDate(now))
      : undefined
  if (pause) data.pausedWorkingDays = pause.days
  const next = applyEvent(record.state, { type, day: shanghaiDate(now), data })
  const { formData } = resubmissionOf(request)
  const projection: Projection = {
    ...projectionOf(record, next, calendar),
    ...(type === 'accepted' ? { accepted_at: now } : {}),
    ...(pause && !pause.exact ? { supervision_flag: 'calendar-missing' as const } : {}),
    ...(formData ? { form_data_enc: encryptFormData(ctx.platform.vault, formData), form_data: null } : {}),
    state: next,
    updated_at: now,
  }
  const event: CaseEventRow = {
    seq: record.version + 1,
    region_code: record.region_code,
    type,
    actor_kind: actor.kind,
    actor_id: actor.accountId,
    actor_name: actor.name,
    occurred_at: now,
    comment: request.body.comment ?? null,
    attachments: request.body.attachments ?? [],
    data,
  }
  const auditEntry: AuditEntry = {
    ...who,
    action: `case.${request.move}`,
    resourceType: 'case',
    resourceId: record.id,
    regionCode: record.region_code,
    outcome: 'success',
    details: { caseNo: record.case_no, from: record.status, to: next.status, version: record.version + 1 },
  }
  const change: CaseChange = {
    caseId: record.id,
    version: record.version,
    projection,
    event,
    ...taskChangeOf(liveTask, openTaskOf(next, record.workflow, record), next),
    outbox: milestoneEvent(record, type, record.version + 1, next.decision),
    notify: notifies(record, type),
    audit: ctx.platform.audit.jsonEntry(auditEntry),
  }
  return { next, change, auditEntry, formData }
}
