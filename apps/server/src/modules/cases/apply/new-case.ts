import { randomInt } from 'node:crypto'
import type { PersonalDataVault } from '../../../platform/crypto.ts'
import type { WorkflowStep } from '../cases.ports.ts'
import { applyEvent, initialState } from '../cases.state.ts'
import { encryptFormData } from '../form-data.ts'
import type { CaseEventRow } from '../lifecycle/case-change.ts'
import { acceptStepOf, stepsOf } from '../lifecycle/workflow.ts'
import type { NewCaseRow, NewTaskRow } from '../repository/records.ts'
import type { BundleApplied, ResolvedGuide } from './check-application.ts'

const QUERY_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'

/** A new query code (查询码): 8 characters that are not easily confused. */
export function newQueryCode(): string {
  return Array.from({ length: 8 }, () => QUERY_CODE_ALPHABET[randomInt(QUERY_CODE_ALPHABET.length)]).join('')
}

/** The keyed hash of a case's query code, as stored and as the progress query compares it. */
export function queryCodeHash(vault: PersonalDataVault, caseNo: string, queryCode: string): string {
  return vault.blindIndex('case-query-code', `${caseNo}\u0000${queryCode.toUpperCase()}`)
}

/** Who a case is filed for: the applicant's account, and the company they act for. */
export interface CaseApplicant {
  id: string
  actingForId: string | null
  name: string
  kind: 'person' | 'company'
}

/** A case about to be filed: its row, its workflow, and its guide (none for a bundle's parent). */
export interface NewCase {
  row: NewCaseRow
  steps: WorkflowStep[]
  guide: ResolvedGuide | undefined
}

/**
 * A new case in its first state (提交): of one item (its guide), or a bundle's parent (no guide: it has
 * no workflow of its own and is decided by its parts), with its form data encrypted.
 */
export function newCase(
  vault: PersonalDataVault,
  input: {
    caseNo: string
    queryCode: string
    applicant: CaseApplicant
    guide: ResolvedGuide | undefined
    bundle: BundleApplied | undefined
    parentId: string | null
    regionCode: string
    formData: Record<string, unknown>
    day: string
    now: Date
  },
): NewCase {
  const { guide, bundle, applicant, now } = input
  const steps = guide ? stepsOf(guide) : stepsOf({})
  const state = applyEvent(initialState, {
    type: 'submitted',
    day: input.day,
    data: { reviewSteps: steps.filter((s) => s.kind === 'review').length, bundle: !guide },
  })
  const row: NewCaseRow = {
    id: crypto.randomUUID(),
    case_no: input.caseNo,
    query_code_hash: queryCodeHash(vault, input.caseNo, input.queryCode),
    applicant_id: applicant.id,
    acting_for_id: applicant.actingForId,
    applicant_name: applicant.name,
    applicant_kind: applicant.kind,
    implementation_id: guide?.implementationId ?? null,
    guide_version: guide?.version ?? null,
    item_code: guide?.itemCode ?? null,
    item_name: guide?.itemName ?? bundle?.name ?? '',
    bundle_id: bundle?.bundleId ?? null,
    parent_id: input.parentId,
    region_code: guide?.regionCode ?? input.regionCode,
    department_id: guide?.departmentId ?? null,
    status: 'submitted',
    version: 1,
    form_data_enc: encryptFormData(vault, input.formData),
    state,
    workflow: guide ? steps : [],
    processing_kind: guide?.processingKind ?? 'promised',
    legal_limit_days: guide?.legalLimitDays ?? 0,
    promised_limit_days: guide?.promisedLimitDays ?? 0,
    submitted_at: now,
    updated_at: now,
  }
  return { row, steps, guide }
}

/** The first event of a case: submitted (提交), by its applicant online or by a clerk at the window. */
export function submittedEvent(
  row: NewCaseRow,
  actor: Pick<CaseEventRow, 'actor_kind' | 'actor_id' | 'actor_name'>,
  data: Record<string, unknown>,
  comment: string | null,
): CaseEventRow & { case_id: string } {
  return {
    case_id: row.id,
    seq: 1,
    region_code: row.region_code,
    type: 'submitted',
    ...actor,
    occurred_at: row.submitted_at,
    comment,
    attachments: [],
    data,
  }
}

/** The task a new case of a guide waits on: its acceptance step, in that step's department. */
export function acceptTask(row: NewCaseRow, steps: WorkflowStep[], guide: ResolvedGuide): NewTaskRow {
  const accept = acceptStepOf(steps)
  return {
    case_id: row.id,
    step: accept.key,
    department_id: accept.departmentId ?? guide.departmentId,
    region_code: guide.regionCode,
    role: accept.role,
    created_at: row.submitted_at,
  }
}
