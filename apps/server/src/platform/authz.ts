import { isRegionWithin } from '@tongban/standards'
import type { FastifyRequest } from 'fastify'

/** Staff roles. The last three are the separated administrator duties (三员分立). */
export const STAFF_ROLES = [
  'window_clerk',
  'reviewer',
  'approver',
  'department_admin',
  'system_admin',
  'security_admin',
  'audit_admin',
] as const
export type StaffRole = (typeof STAFF_ROLES)[number]

/** A role held by a staff account, scoped to a department (if any) and a region subtree. */
export interface RoleGrant {
  role: StaffRole
  departmentId: string | null
  regionCode: string
}

/** Whoever is calling: nobody, or an account with its kind, roles and (for agents) the company it acts for. */
export type Actor =
  | { kind: 'anonymous' }
  | {
      kind: 'person' | 'company' | 'staff'
      accountId: string
      name: string
      roles: RoleGrant[]
      /** The company account an agent is acting for, when logged in as an agent. */
      actingFor?: { accountId: string; name: string } | undefined
      realNameLevel: number
      /** The access token's identifier, for audit. */
      sessionId?: string | undefined
    }

export type AuthenticatedActor = Exclude<Actor, { kind: 'anonymous' }>

export const anonymous: Actor = { kind: 'anonymous' }

/**
 * A named rule deciding whether an actor may call a route at all. Finer decisions that depend on the
 * record (ownership, department, region of a case) are made by the module's service with the same actor.
 */
export interface Policy {
  name: string
  /** True for routes anyone may call, logged in or not. */
  public?: boolean
  allows(actor: Actor): boolean
}

/** Anyone, logged in or not: health checks, the public catalog, progress queries by case number and code. */
export const publicAccess: Policy = { name: 'public', public: true, allows: () => true }

/** Any logged-in account. */
export const authenticated: Policy = { name: 'authenticated', allows: (actor) => actor.kind !== 'anonymous' }

/** Citizens and companies (including agents acting for a company): the applicant side. */
export const applicant: Policy = {
  name: 'applicant',
  allows: (actor) => actor.kind === 'person' || actor.kind === 'company',
}

/** Staff holding at least one of the given roles (in any scope; the service checks the scope). */
export function staffWith(...roles: StaffRole[]): Policy {
  return {
    name: `staff:${roles.join('|')}`,
    allows: (actor) => actor.kind === 'staff' && actor.roles.some((grant) => roles.includes(grant.role)),
  }
}

/** Resolves the caller of a request from its credentials; the identity module provides the real one. */
export type Authenticator = (request: FastifyRequest) => Actor | Promise<Actor>

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route. Every route must declare one: there is no default. */
    policy?: Policy
  }
  interface FastifyRequest {
    actor: Actor
  }
}

/** The actor of a route whose policy guarantees someone is logged in. */
export function requireActor(request: FastifyRequest): AuthenticatedActor {
  if (request.actor.kind === 'anonymous') throw new Error('route policy let an anonymous caller through')
  return request.actor
}

/**
 * Whether `code` lies within `ancestor` (or is it). 6-digit codes follow the GB/T 2260 table (which knows
 * the irregular cases such as counties directly under a province); 12-digit township and village codes
 * follow their structure: 6-digit county, 3-digit township, 3-digit village.
 */
export function regionWithin(code: string, ancestor: string): boolean {
  if (code === ancestor) return true
  if (ancestor.length === 12) {
    const isTownship = ancestor.endsWith('000')
    return code.length === 12 && isTownship && code.startsWith(ancestor.slice(0, 9))
  }
  return isRegionWithin(code.length === 12 ? code.slice(0, 6) : code, ancestor)
}

/** Where a record sits, for scoped role checks. */
export interface Scope {
  regionCode: string
  departmentId?: string | null | undefined
}

/**
 * Whether the actor holds one of the roles for a record in this scope: a grant covers a record when the
 * record's region lies in the grant's region subtree and, for department-bound grants, the department
 * is the grant's own.
 */
export function holdsRoleFor(actor: Actor, roles: readonly StaffRole[], scope: Scope): boolean {
  if (actor.kind !== 'staff') return false
  return actor.roles.some(
    (grant) =>
      roles.includes(grant.role) &&
      regionWithin(scope.regionCode, grant.regionCode) &&
      (grant.departmentId === null || grant.departmentId === scope.departmentId),
  )
}
