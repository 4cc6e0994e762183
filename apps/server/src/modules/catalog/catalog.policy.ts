import { type Actor, holdsRoleFor, staffWith } from '../../platform/authz.ts'
import { AppError } from '../../platform/errors.ts'
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
export function assertCatalogAdmin(actor: Actor): void {
  if (
    actor.kind !== 'staff' ||
    !actor.roles.some((g) => g.role === 'system_admin' && g.departmentId === null)
  )
    throw new AppError('forbidden')
}
