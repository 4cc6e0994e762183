import type { CaseMove, StaffMove, TaskActionName } from '@tongban/contracts'
import { type Actor, holdsRoleFor, type RoleGrant, type StaffRole } from '../../platform/authz.ts'
import type { CitedGrant, WorkflowStep } from './cases.ports.ts'
import { isApplicantMove } from './cases.state.ts'
import { currentReview } from './lifecycle/workflow.ts'
import type { CaseRecord, CaseTaskRecord } from './repository/records.ts'

/*
 * Record-level decisions of the 办件 module, as named pure functions: who may see a case, make a move on
 * it, work its task, file a walk-in, supervise, edit the national calendar. Routes decide who may call at
 * all (their route policy); the use cases ask these first thing, with the record loaded.
 */

/** The staff roles that may see a case of their department (besides the workflow roles). */
export const CASE_READERS: readonly StaffRole[] = ['window_clerk', 'reviewer', 'approver', 'department_admin']

/** The staff roles that work case steps, and so hold task queues. */
export const WORKFLOW_ROLES = ['window_clerk', 'reviewer', 'approver'] as const satisfies StaffRole[]

/** What the policies read of a case. */
export type CaseOfPolicy = Pick<
  CaseRecord,
  'applicant_id' | 'acting_for_id' | 'region_code' | 'department_id' | 'workflow' | 'state'
>

/** What the policies read of a task. */
export type TaskOfPolicy = Pick<CaseTaskRecord, 'role' | 'region_code' | 'department_id' | 'claimed_by'>

/** The case's applicant, or the company an agent acted for (the company, or an agent acting for it now). */
export function isCaseOwner(actor: Actor, record: CaseOfPolicy): boolean {
  if (actor.kind === 'anonymous') return false
  if (record.applicant_id === actor.accountId) return true
  const company = record.acting_for_id
  return company !== null && (company === actor.accountId || company === actor.actingFor?.accountId)
}

/**
 * 办件可见: its owner, or staff holding a case-reading role for its region and one of the departments
 * working it (the implementing department, or a department of one of its steps). Anyone else gets 404.
 */
export function canSeeCase(actor: Actor, record: CaseOfPolicy): boolean {
  if (actor.kind !== 'staff') return isCaseOwner(actor, record)
  const departments = new Set([
    record.department_id,
    ...record.workflow.map((s) => s.departmentId ?? record.department_id),
  ])
  return [...departments].some((departmentId) =>
    holdsRoleFor(actor, CASE_READERS, { regionCode: record.region_code, departmentId }),
  )
}

/**
 * Which steps of a workflow each staff move belongs to; the staff of those steps make it. `review` is the
 * review step the case is at; `correction` is that step once the case is accepted (if the workflow has a
 * review), the acceptance before; `any` is every step.
 */
export const MOVE_STEPS: Record<
  StaffMove,
  readonly ('accept' | 'review' | 'decide' | 'correction' | 'any')[]
> = {
  startPreReview: ['accept'],
  accept: ['accept'],
  refuse: ['accept'],
  requestCorrection: ['correction'],
  review: ['review'],
  approve: ['decide'],
  deny: ['decide'],
  complete: ['decide'],
  deliver: ['accept', 'decide'],
  suspend: ['any'],
  resume: ['any'],
}

/** The workflow steps whose staff make a staff move on the case now (MOVE_STEPS). */
export function stepsMaking(move: StaffMove, record: CaseOfPolicy): WorkflowStep[] {
  const steps = record.workflow
  const review = currentReview(record.state, steps)
  return MOVE_STEPS[move].flatMap((part) => {
    if (part === 'any') return steps
    if (part === 'review') return review ? [review] : []
    if (part === 'correction')
      return record.state.acceptedOn && review ? [review] : steps.filter((s) => s.kind === 'accept')
    return steps.filter((s) => s.kind === part)
  })
}

/**
 * Whether the actor may make the move on the case (403 otherwise): the applicant's moves are its owner's;
 * a staff move is made by staff holding the role of one of its steps, in the step's department and the
 * case's region.
 */
export function mayMakeMove(actor: Actor, record: CaseOfPolicy, move: CaseMove): boolean {
  if (isApplicantMove(move)) return actor.kind !== 'staff' && isCaseOwner(actor, record)
  if (actor.kind !== 'staff') return false
  return stepsMaking(move, record).some((step) =>
    holdsRoleFor(actor, [step.role], {
      regionCode: record.region_code,
      departmentId: step.departmentId ?? record.department_id,
    }),
  )
}

/**
 * Whether the case's live task is claimed by someone else, which keeps the caller from a staff move on it
 * (409): a claimed task is worked by its holder. Suspending and resuming are anyone's of the case's steps.
 */
export function isHeldByAnother(
  actor: Actor,
  liveTask: Pick<CaseTaskRecord, 'status' | 'claimed_by'> | undefined,
  move: CaseMove,
): boolean {
  if (isApplicantMove(move) || move === 'suspend' || move === 'resume') return false
  if (liveTask?.status !== 'claimed') return false
  return actor.kind === 'anonymous' || liveTask.claimed_by !== actor.accountId
}

/** Whether the actor works the task: holds its role in its department and region (404 otherwise). */
export function mayWorkTask(actor: Actor, task: TaskOfPolicy): boolean {
  return holdsRoleFor(actor, [task.role], { regionCode: task.region_code, departmentId: task.department_id })
}

/** Whether the actor may take this action on a task they work: release and hand over are its holder's. */
export function mayChangeClaim(
  actor: Actor,
  task: TaskOfPolicy & { status: string },
  action: TaskActionName,
) {
  const holderOnly = action === 'release' || (action === 'handOver' && task.status === 'claimed')
  return !holderOnly || (actor.kind !== 'anonymous' && task.claimed_by === actor.accountId)
}

/** Whether a colleague, by their role grants, may be handed the task: they hold its role for it. */
export function mayBeHandedTask(grants: RoleGrant[], task: TaskOfPolicy): boolean {
  return holdsRoleFor(
    { kind: 'staff', accountId: '', name: '', roles: grants, realNameLevel: 3 },
    [task.role],
    {
      regionCode: task.region_code,
      departmentId: task.department_id,
    },
  )
}

/**
 * 一窗受理: whether the clerk may file a walk-in for an item accepted in this scope — a window clerk of
 * the accepting department, in its region — and, to accept it at once, holds the acceptance step's role.
 */
export function mayFileWalkIn(
  actor: Actor,
  scope: { regionCode: string; departmentId: string },
  accept: { now: boolean; role: StaffRole },
): boolean {
  if (!holdsRoleFor(actor, ['window_clerk'], scope)) return false
  return !accept.now || holdsRoleFor(actor, [accept.role], scope)
}

/** Whether one of the grants covers the region and the department asked for (any of its own, when none is). */
function coversRegion(actor: Actor, grants: RoleGrant[], region: string, department: string | undefined) {
  if (actor.kind !== 'staff') return false
  return grants.some((g) =>
    holdsRoleFor({ ...actor, roles: [g] }, [g.role], {
      regionCode: region,
      departmentId: department ?? g.departmentId,
    }),
  )
}

/** The grants that count for supervision: any but the security and audit administrators'. */
export function supervisingGrants(actor: Actor): RoleGrant[] {
  if (actor.kind !== 'staff') return []
  return actor.roles.filter((g) => g.role !== 'security_admin' && g.role !== 'audit_admin')
}

/** 电子监察: whether the actor may see the open cases of a region subtree (and one department). */
export function maySupervise(actor: Actor, region: string | undefined, department?: string): boolean {
  return region !== undefined && coversRegion(actor, supervisingGrants(actor), region, department)
}

/** Whether the actor may read the average processing times of a region subtree (and one department). */
export function mayReadProcessingTimes(actor: Actor, region: string, department?: string): boolean {
  return actor.kind === 'staff' && coversRegion(actor, actor.roles, region, department)
}

/** The national working-day calendar is a province-level (or higher) system administrator's business. */
export function mayEditNationalCalendar(actor: Actor): boolean {
  if (actor.kind !== 'staff') return false
  return actor.roles.some(
    (g) => g.role === 'system_admin' && g.departmentId === null && g.regionCode.endsWith('0000'),
  )
}

/** 办件查询: the region subtrees and departments whose cases the actor may search (as canSeeCase). */
export function caseSearchScopes(actor: Actor): RoleGrant[] {
  if (actor.kind !== 'staff') return []
  return actor.roles.filter((g) => CASE_READERS.includes(g.role))
}

/** The task queues the actor works: their grants of a workflow role. */
export function taskQueueScopes(
  actor: Actor,
): { role: (typeof WORKFLOW_ROLES)[number]; departmentId: string | null; regionCode: string }[] {
  if (actor.kind !== 'staff') return []
  return actor.roles.flatMap((g) =>
    g.role === 'window_clerk' || g.role === 'reviewer' || g.role === 'approver'
      ? [{ role: g.role, departmentId: g.departmentId, regionCode: g.regionCode }]
      : [],
  )
}

/**
 * 实名等级: whether an online applicant's account is real-named enough for the item (an administrative
 * license needs level 3). A walk-in applicant's identity is checked at the window instead.
 */
export function meetsRealNameLevel(actor: Actor, item: { minRealNameLevel?: number | undefined }): boolean {
  if (actor.kind === 'anonymous' || actor.kind === 'staff') return false
  return actor.realNameLevel >= (item.minRealNameLevel ?? 0)
}

/** What a cited grant is checked against: who applies, the departments and the case, the material's type. */
export interface GrantCitation {
  /** The applicant and the company acted for: the license must be one of theirs. */
  applicantIds: readonly string[]
  /** The departments working the case (every part of a bundle). */
  departmentIds: readonly string[]
  /** The case (and a bundle part's parent), once it exists: a resubmission. */
  caseIds?: readonly string[] | undefined
  /** The license type the material asks for, if the guide names one. */
  licenseType?: string | undefined
}

/**
 * 用证授权 as a material: the grant is in force, of a license the applicant (or the company acted for)
 * holds, of the material's license type, and names the case or one of its departments. Anything else is
 * answered as a grant that does not exist.
 */
export function mayCiteGrant(grant: CitedGrant, citation: GrantCitation): boolean {
  if (!grant.active || !citation.applicantIds.includes(grant.holderAccountId)) return false
  if (citation.licenseType && grant.licenseType !== citation.licenseType) return false
  if (grant.caseId !== null) return citation.caseIds?.includes(grant.caseId) === true
  return grant.departmentId !== null && citation.departmentIds.includes(grant.departmentId)
}
