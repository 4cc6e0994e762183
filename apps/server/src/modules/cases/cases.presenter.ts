import type {
  CalendarAdditionList,
  CalendarAdditionView,
  CaseEventView,
  CaseSearchItem,
  CaseSummary,
  CaseView,
  DraftView,
  ItemProcessingTime,
  ProgressView,
  SupervisionCase,
  TaskView,
  TimeLimitSummary,
  WarningLevel,
} from '@tongban/contracts'
import type { WorkingDayCalendar } from '@tongban/standards'
import { movesOf } from './cases.state.ts'
import type { TimeLimitFacts, Warning } from './cases.time-limits.ts'
import type { CaseDetail } from './reading.ts'
import type {
  CalendarAdditionRecord,
  CaseEventRecord,
  CaseRecord,
  DraftRecord,
  TaskWithCase,
} from './repository/records.ts'

function presentEvent(row: CaseEventRecord): CaseEventView {
  return {
    seq: row.seq,
    type: row.type,
    at: row.occurred_at.toISOString(),
    actor: { kind: row.actor_kind, id: row.actor_id, name: row.actor_name },
    comment: row.comment,
    attachments: row.attachments,
    data: row.data,
  }
}

/** How a case was filed, as its submission event says (events from before channels were recorded say nothing). */
function channelOf(events: CaseEventRecord[]): CaseView['channel'] {
  const channel = events.find((e) => e.type === 'submitted')?.data.channel
  return channel === 'online' || channel === 'window' ? channel : undefined
}

/** The full case: projection, timeline, materials, time limit and the moves possible now. */
export function presentCase(detail: CaseDetail): CaseView {
  const { record, timeLimit } = detail
  const channel = channelOf(detail.events)
  return {
    id: record.id,
    caseNo: record.case_no,
    status: record.status,
    version: record.version,
    implementationId: record.implementation_id,
    guideVersion: record.guide_version,
    itemCode: record.item_code,
    itemName: record.item_name,
    bundleId: record.bundle_id,
    parentId: record.parent_id,
    regionCode: record.region_code,
    departmentId: record.department_id,
    applicantId: record.applicant_id,
    actingForId: record.acting_for_id,
    formData: detail.formData,
    materials: detail.materials.map((m) => ({
      key: m.material_key,
      name: m.name,
      ...(m.file_sha256 ? { fileSha256: m.file_sha256 } : { licenseGrantId: m.license_grant_id }),
      addedAt: m.added_at.toISOString(),
    })),
    submittedAt: record.submitted_at.toISOString(),
    timeLimit: {
      acceptedAt: record.accepted_at?.toISOString() ?? null,
      acceptedOn: record.accepted_on,
      legalLimitDays: record.legal_limit_days,
      promisedLimitDays: record.promised_limit_days,
      legalDeadline: record.legal_deadline,
      promisedDeadline: record.promised_deadline,
      pausedWorkingDays: record.paused_working_days,
      pausedSince: record.paused_since,
      clockStopped: record.paused_since !== null,
      level: timeLimit.level,
      workingDaysLeft: timeLimit.workingDaysLeft,
      warning: timeLimit.warning,
    },
    allowedMoves: movesOf(record.state, record.parent_id !== null),
    children: detail.children.map((c) => ({ id: c.id, caseNo: c.case_no, status: c.status })),
    timeline: detail.events.map(presentEvent),
    ...(channel ? { channel } : {}),
  }
}

export function presentCaseSummary(record: CaseRecord, level: WarningLevel): CaseSummary {
  return {
    id: record.id,
    caseNo: record.case_no,
    status: record.status,
    itemName: record.item_name,
    submittedAt: record.submitted_at.toISOString(),
    regionCode: record.region_code,
    departmentId: record.department_id,
    level,
    promisedDeadline: record.promised_deadline,
  }
}

/** Public progress: milestones without actors, comments or any personal data. */
export function presentProgress(row: {
  case_no: string
  item_name: string
  status: string
  promised_deadline: string | null
  milestones: { type: string; at: string }[] | null
}): ProgressView {
  return {
    caseNo: row.case_no,
    itemName: row.item_name,
    status: row.status,
    promisedDeadline: row.promised_deadline,
    milestones: (row.milestones ?? []).map((m) => ({ type: m.type, at: new Date(m.at).toISOString() })),
  }
}

/** A task with its case's time limit (computed by the service, which holds the calendar). */
export function presentTask(row: TaskWithCase, timeLimit: TimeLimitSummary): TaskView {
  return {
    id: row.id,
    caseId: row.case_id,
    caseNo: row.case_no,
    itemName: row.item_name,
    step: row.step,
    role: row.role,
    departmentId: row.department_id,
    regionCode: row.region_code,
    status: row.status,
    claimedBy: row.claimed_by,
    version: row.version,
    caseVersion: row.case_version,
    caseStatus: row.case_status,
    createdAt: row.created_at.toISOString(),
    timeLimit,
  }
}

/** A person's name shows its first character only (张*, 欧阳**); a company's name is public. */
export function maskName(name: string | null, kind: string | null): string | null {
  if (name === null || kind === 'company') return name
  const chars = Array.from(name)
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`
}

/** A case in a staff search: no form data, no account ids, the applicant's name masked. */
export function presentSearchItem(record: CaseRecord, timeLimit: TimeLimitSummary): CaseSearchItem {
  return {
    id: record.id,
    caseNo: record.case_no,
    status: record.status,
    itemCode: record.item_code,
    itemName: record.item_name,
    implementationId: record.implementation_id,
    bundleId: record.bundle_id,
    parentId: record.parent_id,
    regionCode: record.region_code,
    departmentId: record.department_id,
    applicant: {
      kind: record.applicant_kind,
      name: maskName(record.applicant_name, record.applicant_kind),
    },
    submittedAt: record.submitted_at.toISOString(),
    version: record.version,
    timeLimit,
  }
}

/** A draft for its owner, with its form data in clear (decrypted by the service). */
export function presentDraft(row: DraftRecord, formData: Record<string, unknown>): DraftView {
  return {
    id: row.id,
    implementationId: row.implementation_id,
    guideVersion: row.guide_version,
    bundleId: row.bundle_id,
    formData,
    materials: Array.isArray(row.materials) ? row.materials : [],
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
  }
}

export function presentCalendarAddition(row: CalendarAdditionRecord): CalendarAdditionView {
  return {
    id: row.id,
    kind: row.kind,
    date: row.date,
    year: row.year,
    name: row.name,
    createdAt: row.created_at.toISOString(),
  }
}

/** The calendar's additions with the years it covers. */
export function presentCalendarAdditions(
  rows: CalendarAdditionRecord[],
  calendar: WorkingDayCalendar,
): CalendarAdditionList {
  return { items: rows.map(presentCalendarAddition), coveredYears: calendar.coveredYears() }
}

/** An open case in the supervision list: where, how late, and why it is flagged. */
export function presentSupervisionCase(
  row: CaseRecord,
  limit: Warning & { facts: TimeLimitFacts },
): SupervisionCase {
  return {
    id: row.id,
    caseNo: row.case_no,
    itemName: row.item_name,
    status: row.status,
    regionCode: row.region_code,
    departmentId: row.department_id,
    level: limit.level,
    promisedDeadline: row.promised_deadline,
    legalDeadline: row.legal_deadline,
    workingDaysLeft: limit.workingDaysLeft,
    flag: row.supervision_flag,
    warning: limit.warning,
  }
}

/** The average processing time of an item, rounded to hundredths of a working day. */
export function presentProcessingTime(row: {
  implementation_id: string | null
  item_name: unknown
  completed: unknown
  average: unknown
}): ItemProcessingTime {
  return {
    implementationId: row.implementation_id ?? '',
    itemName: String(row.item_name),
    completed: Number(row.completed),
    averageWorkingDays: Math.round(Number(row.average) * 100) / 100,
  }
}
