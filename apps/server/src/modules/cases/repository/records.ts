import type { Kysely, Selectable, Transaction } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'
import type { WorkflowStep } from '../cases.ports.ts'
import type { CaseState } from '../cases.state.ts'

/** Where a query runs: the pool (its own commit) or the caller's transaction. */
export type Executor = Kysely<Database> | Transaction<Database>

/** A row of `cases` as the database gives it (its jsonb columns untyped). */
export type CaseRow = Selectable<Database['cases']>

/** 办件 as the module reads it: the row, with its lifecycle state and its workflow typed. */
export type CaseRecord = Omit<CaseRow, 'state' | 'workflow'> & { state: CaseState; workflow: WorkflowStep[] }

/**
 * The one place the jsonb columns of a case get their types: `state` is written only from a CaseState
 * (the reducer's), `workflow` only from the guide's WorkflowSteps, both by this module.
 */
export function caseRecordOf(row: CaseRow): CaseRecord {
  return { ...row, state: asWritten<CaseState>(row.state), workflow: asWritten<WorkflowStep[]>(row.workflow) }
}

/** A jsonb column's value as the type this module writes into it (the generated type says only "JSON"). */
function asWritten<T>(value: unknown): T {
  return value as T
}

/** A case event as read: its jsonb columns as the module writes them. */
export type CaseEventRecord = Omit<Selectable<Database['case_events']>, 'attachments' | 'data'> & {
  attachments: unknown[]
  data: Record<string, unknown>
}
export type CaseTaskRecord = Selectable<Database['case_tasks']>
export type DraftRecord = Selectable<Database['case_drafts']>
export type CalendarAdditionRecord = Selectable<Database['holiday_calendar_additions']>
export type CaseMaterialRecord = Selectable<Database['case_materials']>
export type CaseStatus = CaseRow['status']
export type TaskRole = CaseTaskRecord['role']

/** A bundle part as listed with its parent. */
export type ChildSummary = Pick<CaseRow, 'id' | 'case_no' | 'status'>

/** A case with its live task, history, current materials and parts (findManyWithHistory). */
export interface CaseWithHistory {
  record: CaseRecord
  liveTask: CaseTaskRecord | undefined
  events: CaseEventRecord[]
  materials: CaseMaterialRecord[]
  children: ChildSummary[]
}

/** What the public progress query reads of a case. */
export interface ProgressRow {
  id: string
  case_no: string
  query_code_hash: string
  item_name: string
  status: CaseStatus
  promised_deadline: string | null
  milestones: { type: string; at: string }[] | null
}

/** The columns a time limit is computed from (cases.time-limits.ts). */
export type TimeLimitColumns = Pick<
  CaseRow,
  | 'status'
  | 'processing_kind'
  | 'legal_limit_days'
  | 'promised_limit_days'
  | 'accepted_on'
  | 'accepted_at'
  | 'legal_deadline'
  | 'promised_deadline'
  | 'paused_working_days'
  | 'paused_since'
  | 'deadline_unknown'
  | 'completed_on'
>

/** The columns the facts of a time limit come from (factsOf). */
export type TimeLimitFactColumns = Pick<
  TimeLimitColumns,
  | 'status'
  | 'processing_kind'
  | 'legal_limit_days'
  | 'promised_limit_days'
  | 'accepted_on'
  | 'paused_working_days'
  | 'paused_since'
  | 'completed_on'
>

/** A task with its case's number, item, version, status and time-limit columns. */
export type TaskWithCase = CaseTaskRecord &
  Omit<TimeLimitColumns, 'status'> & {
    case_no: string
    item_name: string
    case_version: number
    case_status: CaseStatus
  }

/** A new case's row, as a submission writes it (insert-submissions.sql). */
export type NewCaseRow = Pick<
  CaseRow,
  | 'id'
  | 'case_no'
  | 'query_code_hash'
  | 'applicant_id'
  | 'acting_for_id'
  | 'applicant_name'
  | 'applicant_kind'
  | 'implementation_id'
  | 'guide_version'
  | 'item_code'
  | 'item_name'
  | 'bundle_id'
  | 'parent_id'
  | 'region_code'
  | 'department_id'
  | 'version'
  | 'form_data_enc'
  | 'processing_kind'
  | 'legal_limit_days'
  | 'promised_limit_days'
  | 'submitted_at'
  | 'updated_at'
> & { status: 'submitted'; state: CaseState; workflow: WorkflowStep[] }

/** A new task of a case, as written. */
export type NewTaskRow = Pick<
  CaseTaskRecord,
  'case_id' | 'step' | 'department_id' | 'region_code' | 'role' | 'created_at'
>

/** A material row of a case as written. */
export interface MaterialRow {
  case_id: string
  material_key: string
  name: string
  file_sha256: string | null
  license_grant_id: string | null
  added_at: Date
}

/** The code prefix shared by every region within a region (330100 → 3301, 330000 → 33). */
export function regionPrefix(code: string): string {
  if (code.length === 12) return code.endsWith('000') ? code.slice(0, 9) : code
  if (code.endsWith('0000')) return code.slice(0, 2)
  if (code.endsWith('00')) return code.slice(0, 4)
  return code
}

/** A LIKE pattern matching `text` literally (PostgreSQL's default escape character is the backslash). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** A value for a jsonb column (the generated types wrap defaulted jsonb columns twice). */
export function json(value: unknown): never {
  return JSON.stringify(value) as never
}

/** Ids of cases are uuids: anything else names no case (and must not reach a uuid column). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
