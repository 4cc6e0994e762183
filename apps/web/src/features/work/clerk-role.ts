import type { RoleGrant, TongbanClaims } from '../../auth/session.ts'

/** The role that takes applications at the counter (窗口受理人员). */
export const WINDOW_CLERK = 'window_clerk'

/** The window clerk's grants (department and region of each). */
export function clerkGrants(claims: TongbanClaims | undefined): RoleGrant[] {
  return (claims?.roles ?? []).filter((grant) => grant.role === WINDOW_CLERK)
}

/** Whether the logged-in staff member may take walk-in applications (一窗受理). */
export function isWindowClerk(claims: TongbanClaims | undefined): boolean {
  return clerkGrants(claims).length > 0
}
