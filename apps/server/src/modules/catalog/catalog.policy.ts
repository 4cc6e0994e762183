import { type Actor, holdsRoleFor, staffWith } from '../../platform/authz.ts'
import { AppError } from '../../platform/errors.ts'
import type { Department } from './catalog.ports.ts'
import type { DraftRecord } from './repositories/drafts.repository.ts'
import type { ImplementationRecord } from './repositories/implementations.repository.ts'
import type { ReviewMove } from './review/review.state.ts'

/** Department admins (and system admins) may reach the guide-editing routes; the record decides the rest. */
export const guideEditors = staffWith('department_admin', 'system_admin')

/** The base catalog, imports and the consistency report belong to system administrators. */
export const catalogAdmins = staffWith('system_admin')

/** Throws forbidden unless a record policy allowed the request. */
export function authorize(allowed: boolean): void {
  if (!allowed) throw new AppError('forbidden')
}

/**
 * Whether the actor may maintain an implementation (实施清单条目) and its guide — add it, change it, save,
 * submit and publish its guide: the department admin of that very department, or a system admin of a
 * region containing it.
 */
export function mayEditImplementation(
  actor: Actor,
  implementation: Pick<ImplementationRecord, 'region_code' | 'department_id'>,
): boolean {
  return holdsRoleFor(actor, ['department_admin', 'system_admin'], {
    regionCode: implementation.region_code,
    departmentId: implementation.department_id,
  })
}

/** A system admin whose region covers the whole catalog (the base catalog is national or provincial). */
export function isCatalogAdmin(actor: Actor): boolean {
  return (
    actor.kind === 'staff' && actor.roles.some((g) => g.role === 'system_admin' && g.departmentId === null)
  )
}

/** Whether the actor may add and change base items (基本目录): catalog administrators only. */
export const mayEditItems = isCatalogAdmin

/** Whether the actor may import and export the catalog, and read the 四级四同 report: catalog administrators. */
export const mayAdministerCatalog = isCatalogAdmin

/**
 * Whether the actor may maintain a bundle (一件事) led by `lead` (牵头部门): its department admin, or a
 * system admin of a region containing it, as for guides; a bundle without a lead, catalog admins only.
 */
export function mayEditBundle(actor: Actor, lead: Pick<Department, 'id' | 'regionCode'> | null): boolean {
  if (lead === null) return isCatalogAdmin(actor)
  return holdsRoleFor(actor, ['department_admin', 'system_admin'], {
    regionCode: lead.regionCode,
    departmentId: lead.id,
  })
}

/** Whether the actor may maintain a bundle whose leads (current and proposed) are all of `leads`. */
export function mayEditBundleLedBy(
  actor: Actor,
  leads: (Pick<Department, 'id' | 'regionCode'> | null)[],
): boolean {
  return leads.every((lead) => mayEditBundle(actor, lead))
}

/** The facts of a draft a review decision may look at. */
export type ReviewedDraft = Pick<DraftRecord<unknown>, 'status' | 'updated_by' | 'submitted_by'>

/**
 * Who, among those who may maintain the subject, may make each review move on a draft (guides and bundles
 * alike): any maintainer submits (送审); publishing (审核发布) needs a second person — neither the one who
 * wrote the draft's current revision nor the one who submitted it (四眼原则); the platform itself (no
 * actor) wrote nothing of it.
 */
const REVIEW_RULES: Record<ReviewMove, (actorId: string | null, draft: ReviewedDraft) => boolean> = {
  submit: () => true,
  publish: (actorId, draft) => !isAuthorOf(actorId, draft),
}

/** Whether the actor wrote or submitted the draft (its author, who may not approve it). */
export function isAuthorOf(actorId: string | null, draft: ReviewedDraft): boolean {
  return actorId !== null && (draft.updated_by === actorId || draft.submitted_by === actorId)
}

/** Whether the actor (a maintainer of the subject) may make the review move on the draft. */
export function mayMakeReviewMove(actorId: string | null, move: ReviewMove, draft: ReviewedDraft): boolean {
  return REVIEW_RULES[move](actorId, draft)
}
