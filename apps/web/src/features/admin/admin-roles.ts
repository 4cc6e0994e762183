import type { TongbanClaims } from '../../auth/session.ts'

/** The staff roles the admin console knows (三员: system, security and audit admins, kept apart). */
export type AdminRole = 'department_admin' | 'system_admin' | 'security_admin' | 'audit_admin'

/** Whether the logged-in staff member holds any of the roles (in any department or region). */
export function hasRole(claims: TongbanClaims | undefined, ...roles: string[]): boolean {
  return (claims?.roles ?? []).some((grant) => roles.includes(grant.role))
}

/** The grants of one role, for scoping lists to the admin's region or department. */
export function grantsOf(claims: TongbanClaims | undefined, role: string) {
  return (claims?.roles ?? []).filter((grant) => grant.role === role)
}

/** The admin console's sections and the roles that see each (a section's API enforces the same). */
export const SECTION_ROLES = {
  items: ['department_admin', 'system_admin'],
  licenseTypes: ['department_admin', 'system_admin', 'security_admin'],
  keys: ['security_admin', 'system_admin'],
  calendar: ['system_admin'],
  staff: ['system_admin', 'security_admin'],
  audit: ['audit_admin'],
} as const satisfies Record<string, readonly AdminRole[]>

export type AdminSection = keyof typeof SECTION_ROLES

/** The sections a staff member may open, in menu order. */
export function sectionsFor(claims: TongbanClaims | undefined): AdminSection[] {
  return (Object.keys(SECTION_ROLES) as AdminSection[]).filter((section) =>
    hasRole(claims, ...SECTION_ROLES[section]),
  )
}
