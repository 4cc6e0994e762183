import { type Actor, holdsRoleFor, staffWith } from '../../platform/authz.ts'
import { AppError } from '../../platform/errors.ts'
import type { DepartmentRecord } from '../org/index.ts'
import type { ImplementationRecord } from './catalog.repository.ts'

/** Department admins (and system admins) may reach the guide-editing routes; the record decides the rest. */
export const guideEditors = staffWith('department_admin', 'system_admin')

/** The base catalog, imports and the consistency report belong to system administrators. */
export const catalogAdmins = staffWith('system_admin')

/**
 * Whether the actor may maintain an implementation and its guide: the department admin of that very
 * department, or a system admin of a region containing it.
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

/** Throws forbidden unless the actor may maintain the implementation. */
export function assertMayEdit(
  actor: Actor,
  implementation: Pick<ImplementationRecord, 'region_code' | 'department_id'>,
): void {
  if (!mayEditImplementation(actor, implementation)) throw new AppError('forbidden')
}

/** A system admin whose region covers the whole catalog (the base catalog is national or provincial). */
export function isCatalogAdmin(actor: Actor): boolean {
  return (
    actor.kind === 'staff' && actor.roles.some((g) => g.role === 'system_admin' && g.departmentId === null)
  )
}

export function assertCatalogAdmin(actor: Actor): void {
  if (!isCatalogAdmin(actor)) throw new AppError('forbidden')
}

/**
 * Whether the actor may maintain a bundle (一件事) led by `lead` (牵头部门): its department admin, or a
 * system admin of a region containing it, as for guides; a bundle without a lead, catalog admins only.
 */
export function mayEditBundle(
  actor: Actor,
  lead: Pick<DepartmentRecord, 'id' | 'region_code'> | null,
): boolean {
  if (lead === null) return isCatalogAdmin(actor)
  return holdsRoleFor(actor, ['department_admin', 'system_admin'], {
    regionCode: lead.region_code,
    departmentId: lead.id,
  })
}

/** Throws forbidden unless the actor may maintain bundles led by every one of `leads`. */
export function assertMayEditBundle(
  actor: Actor,
  leads: (Pick<DepartmentRecord, 'id' | 'region_code'> | null)[],
): void {
  if (!leads.every((lead) => mayEditBundle(actor, lead))) throw new AppError('forbidden')
}
