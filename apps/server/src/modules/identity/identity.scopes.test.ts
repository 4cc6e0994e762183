import diagnostics from 'node:diagnostics_channel'
import type { RouteOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor, StaffRole } from '../../platform/authz.ts'
import { createTestServer, type TestServer, useTestActors } from '../../testing/test-server.ts'
import { modules } from '../index.ts'

/*
 * Every route of the whole app × every kind of caller, against the table below. A route without a row
 * fails the test, and so does a row without a route (for the modules that are registered), so the table
 * always says exactly who may call what. "Allowed" means the route's policy lets the caller through;
 * finer scope and ownership checks inside the services are tested by each module (see
 * identity.routes.test.ts for ownership: citizen A gets 404 for citizen B's resources).
 */

const CALLERS = [
  'anonymous',
  'person',
  'agent',
  'company',
  'window_clerk',
  'reviewer',
  'approver',
  'department_admin',
  'system_admin',
  'security_admin',
  'audit_admin',
] as const
type Caller = (typeof CALLERS)[number]

const everyone: readonly Caller[] = CALLERS
const loggedIn = CALLERS.filter((c) => c !== 'anonymous')
const applicants: readonly Caller[] = ['person', 'agent', 'company']
const staff = (...roles: StaffRole[]): readonly Caller[] => roles

/** Who may call each route, per module (rows of modules that are not registered are ignored). */
const TABLE: Record<string, Record<string, readonly Caller[]>> = {
  system: {
    'GET /healthz': everyone,
    'GET /readyz': everyone,
    'GET /openapi.json': everyone,
    'GET /docs/api': everyone,
    'GET /docs/api/json': everyone,
    'GET /docs/api/yaml': everyone,
    'GET /docs/api/static/*': everyone,
  },
  org: {
    'GET /api/v1/regions/:code': everyone,
    'GET /api/v1/regions/:code/children': everyone,
    'POST /api/v1/regions': staff('system_admin'),
    'GET /api/v1/departments': everyone,
    'GET /api/v1/departments/:id': everyone,
    'POST /api/v1/departments': staff('system_admin'),
    'PATCH /api/v1/departments/:id': staff('system_admin', 'department_admin'),
  },
  catalog: {
    'GET /api/v1/catalog/items': everyone,
    'GET /api/v1/catalog/items/:code': everyone,
    'POST /api/v1/catalog/items': staff('system_admin'),
    'PATCH /api/v1/catalog/items/:code': staff('system_admin'),
    'GET /api/v1/catalog/implementations': everyone,
    'GET /api/v1/catalog/implementations/:id': everyone,
    'POST /api/v1/catalog/implementations': staff('department_admin', 'system_admin'),
    'PATCH /api/v1/catalog/implementations/:id': staff('department_admin', 'system_admin'),
    'GET /api/v1/catalog/implementations/:id/guide': everyone,
    'GET /api/v1/catalog/implementations/:id/guide/draft': staff('department_admin', 'system_admin'),
    'PUT /api/v1/catalog/implementations/:id/guide/draft': staff('department_admin', 'system_admin'),
    'POST /api/v1/catalog/implementations/:id/guide/draft/submit': staff('department_admin', 'system_admin'),
    'POST /api/v1/catalog/implementations/:id/guide/publish': staff('department_admin', 'system_admin'),
    'GET /api/v1/catalog/implementations/:id/guide/versions/:version': everyone,
    'GET /api/v1/catalog/guides': everyone,
    'GET /api/v1/catalog/bundles': everyone,
    'GET /api/v1/catalog/bundles/:code': everyone,
    'GET /api/v1/catalog/bundles/:code/versions/:version': everyone,
    'GET /api/v1/catalog/bundles/:code/draft': staff('department_admin', 'system_admin'),
    'PUT /api/v1/catalog/bundles/:code/draft': staff('department_admin', 'system_admin'),
    'POST /api/v1/catalog/bundles/:code/draft/submit': staff('department_admin', 'system_admin'),
    'POST /api/v1/catalog/bundles/:code/publish': staff('department_admin', 'system_admin'),
    'GET /api/v1/catalog/search': everyone,
    'GET /api/v1/catalog/vocabulary': everyone,
    'GET /api/v1/catalog/export': staff('system_admin'),
    'POST /api/v1/catalog/import': staff('system_admin'),
    'GET /api/v1/catalog/consistency': staff('system_admin'),
  },
  cases: {
    'POST /api/v1/cases': applicants,
    'POST /api/v1/walk-ins': staff('window_clerk'),
    'GET /api/v1/cases': staff('window_clerk', 'reviewer', 'approver', 'department_admin'),
    'GET /api/v1/cases/:id': loggedIn,
    'GET /api/v1/cases/:id/materials/:sha256': loggedIn,
    'POST /api/v1/cases/:id/startPreReview': staff('window_clerk', 'reviewer', 'approver'),
    'POST /api/v1/cases/:id/accept': staff('window_clerk', 'reviewer', 'approver'),
    'POST /api/v1/cases/:id/refuse': staff('window_clerk', 'reviewer', 'approver'),
    'POST /api/v1/cases/:id/requestCorrection': staff('window_clerk', 'reviewer', 'approver'),
    'POST /api/v1/cases/:id/resubmit': applicants,
    'POST /api/v1/cases/:id/review': staff('window_clerk', 'reviewer', 'approver'),
    'POST /api/v1/cases/:id/approve': staff('window_clerk', 'reviewer', 'approver'),
    'POST /api/v1/cases/:id/deny': staff('window_clerk', 'reviewer', 'approver'),
    'POST /api/v1/cases/:id/complete': staff('window_clerk', 'reviewer', 'approver'),
    'POST /api/v1/cases/:id/deliver': staff('window_clerk', 'reviewer', 'approver'),
    'POST /api/v1/cases/:id/withdraw': applicants,
    'POST /api/v1/cases/:id/suspend': staff('window_clerk', 'reviewer', 'approver'),
    'POST /api/v1/cases/:id/resume': staff('window_clerk', 'reviewer', 'approver'),
    'GET /api/v1/me/cases': applicants,
    'POST /api/v1/progress': everyone,
    'GET /api/v1/case-drafts': applicants,
    'POST /api/v1/case-drafts': applicants,
    'GET /api/v1/case-drafts/:id': applicants,
    'PUT /api/v1/case-drafts/:id': applicants,
    'GET /api/v1/tasks': staff('window_clerk', 'reviewer', 'approver'),
    'POST /api/v1/tasks/:id/claim': staff('window_clerk', 'reviewer', 'approver'),
    'POST /api/v1/tasks/:id/release': staff('window_clerk', 'reviewer', 'approver'),
    'POST /api/v1/tasks/:id/hand-over': staff('window_clerk', 'reviewer', 'approver'),
    'GET /api/v1/calendar/additions': staff('system_admin'),
    'POST /api/v1/calendar/additions': staff('system_admin'),
    'GET /api/v1/supervision/cases': staff(
      'window_clerk',
      'reviewer',
      'approver',
      'department_admin',
      'system_admin',
    ),
    'GET /api/v1/supervision/items': staff(
      'window_clerk',
      'reviewer',
      'approver',
      'department_admin',
      'system_admin',
    ),
    'POST /api/v1/uploads': loggedIn,
  },
  sso: {
    'GET /oidc/*': everyone,
    'POST /oidc/*': everyone,
    'OPTIONS /oidc/*': everyone,
    'GET /oidc/me': everyone,
    'POST /oidc/me': everyone,
    'GET /oidc/interaction/:uid': everyone,
    'GET /oidc/interaction/:uid/abort': everyone,
    'POST /oidc/interaction/:uid/login': everyone,
    'POST /oidc/interaction/:uid/totp': everyone,
    'POST /oidc/interaction/:uid/enrol': everyone,
    'POST /oidc/interaction/:uid/acting': everyone,
    'POST /oidc/interaction/:uid/consent': everyone,
    'GET /api/v1/sso/clients': staff('system_admin'),
    'POST /api/v1/sso/clients': staff('system_admin'),
  },
  licenses: {
    'GET /api/v1/license-types': everyone,
    'GET /api/v1/license-types/:code': everyone,
    'POST /api/v1/license-types': staff('department_admin'),
    'PUT /api/v1/license-types/:code': staff('department_admin'),
    'GET /api/v1/licenses/keys': everyone,
    'POST /api/v1/departments/:departmentId/license-keys/rotate': staff('security_admin'),
    'POST /api/v1/licenses': staff('approver', 'department_admin'),
    'GET /api/v1/cases/:caseId/license': staff('window_clerk', 'reviewer', 'approver', 'department_admin'),
    'POST /api/v1/cases/:caseId/license/retry': staff('approver', 'department_admin'),
    'POST /api/v1/licenses/:id/change': staff('approver', 'department_admin'),
    'POST /api/v1/licenses/:id/replace': staff('approver', 'department_admin'),
    'POST /api/v1/licenses/:id/status': staff('approver', 'department_admin'),
    'GET /api/v1/licenses/verify': everyone,
    'GET /api/v1/me/licenses': applicants,
    'GET /api/v1/me/licenses/:id': applicants,
    'GET /api/v1/me/licenses/:id/signed': applicants,
    'POST /api/v1/me/licenses/:id/qr': applicants,
    'GET /api/v1/me/licenses/:id/pdf': applicants,
    'GET /api/v1/me/licenses/:id/credential': applicants,
    'GET /departments/:departmentId/did.json': everyone,
    'GET /api/v1/me/licenses/:id/grants': applicants,
    'POST /api/v1/me/licenses/:id/grants': applicants,
    'DELETE /api/v1/me/licenses/:id/grants/:grantId': applicants,
    'GET /api/v1/me/licenses/:id/uses': applicants,
    'GET /api/v1/license-grants/:grantId/license': staff(
      'window_clerk',
      'reviewer',
      'approver',
      'department_admin',
    ),
  },
  identity: {
    'POST /api/v1/accounts/persons': everyone,
    'POST /api/v1/accounts/companies': ['person'],
    'GET /api/v1/me': loggedIn,
    'PATCH /api/v1/me': loggedIn,
    'POST /api/v1/me/password': loggedIn,
    'POST /api/v1/me/contact-changes': loggedIn,
    'POST /api/v1/me/contact-changes/:id/confirm': loggedIn,
    'GET /api/v1/me/prefill': applicants,
    'POST /api/v1/me/totp': loggedIn,
    'POST /api/v1/me/totp/confirm': loggedIn,
    'POST /api/v1/password-resets': everyone,
    'POST /api/v1/password-resets/confirm': everyone,
    'GET /api/v1/persons/:id': loggedIn,
    'POST /api/v1/persons/lookup': staff('window_clerk'),
    'POST /api/v1/persons/:id/realname': staff('window_clerk'),
    'GET /api/v1/companies/:id/agents': applicants,
    'POST /api/v1/companies/:id/agents': applicants,
    'DELETE /api/v1/companies/:id/agents/:authorizationId': applicants,
    'POST /api/v1/staff': staff('system_admin'),
    'GET /api/v1/staff': staff('system_admin', 'security_admin'),
    'GET /api/v1/staff/:id': staff('system_admin', 'security_admin'),
    'POST /api/v1/staff/:id/roles': staff('security_admin'),
    'DELETE /api/v1/staff/:id/roles/:grantId': staff('security_admin'),
    'POST /api/v1/accounts/:id/disable': staff('system_admin'),
    'POST /api/v1/accounts/:id/enable': staff('system_admin'),
    'GET /api/v1/audit': staff('audit_admin'),
  },
}

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const grant = (role: StaffRole) => ({
  role,
  departmentId: role.endsWith('_admin') && role !== 'department_admin' ? null : id(99),
  regionCode: '330000',
})
const staffActor = (role: StaffRole, n: number): Actor => ({
  kind: 'staff',
  accountId: id(n),
  name: role,
  roles: [grant(role)],
  realNameLevel: 3,
})
const ACTORS: Record<Exclude<Caller, 'anonymous'>, Actor> = {
  person: { kind: 'person', accountId: id(1), name: '张三', roles: [], realNameLevel: 1 },
  agent: {
    kind: 'person',
    accountId: id(2),
    name: '李四',
    roles: [],
    actingFor: { accountId: id(3), name: '某公司' },
    realNameLevel: 2,
  },
  company: { kind: 'company', accountId: id(3), name: '某公司', roles: [], realNameLevel: 1 },
  window_clerk: staffActor('window_clerk', 10),
  reviewer: staffActor('reviewer', 11),
  approver: staffActor('approver', 12),
  department_admin: staffActor('department_admin', 13),
  system_admin: staffActor('system_admin', 14),
  security_admin: staffActor('security_admin', 15),
  audit_admin: staffActor('audit_admin', 16),
}

const routes: RouteOptions[] = []
const collect = ({
  fastify,
}: {
  fastify: { addHook(name: 'onRoute', hook: (route: RouteOptions) => void): void }
}) =>
  fastify.addHook('onRoute', (route) => {
    routes.push(route)
  })

let server: TestServer
let as: (name: string) => Record<string, string>

beforeAll(async () => {
  // hook into the Fastify instance as it is created, before any route is registered
  diagnostics.subscribe('fastify.initialization', collect as (message: unknown) => void)
  try {
    server = await createTestServer()
  } finally {
    diagnostics.unsubscribe('fastify.initialization', collect as (message: unknown) => void)
  }
  as = useTestActors(server, ACTORS)
}, 180_000)
afterAll(() => server?.close())

/** Method and URL of every registered route, HEAD variants of GET routes left out. */
function registered(): string[] {
  const keys = new Set<string>()
  for (const route of routes)
    for (const method of [route.method].flat()) if (method !== 'HEAD') keys.add(`${method} ${route.url}`)
  return [...keys].sort()
}

/**
 * Files of the built web app and of the API reference page (served by @fastify/static, one route per
 * file, names changing with every build): always public, so one rule covers them instead of a row each.
 */
function isStaticFile(key: string): boolean {
  const [method, url] = key.split(' ') as [string, string]
  return method === 'GET' && !url.includes(':') && (url === '/' || /\/[^/]+\.[a-z0-9]+$/i.test(url))
}

function expectedRows(): Record<string, readonly Caller[]> {
  const names = new Set(['system', ...modules.map((m) => m.name)])
  const rows: Record<string, readonly Caller[]> = Object.assign(
    {},
    ...Object.entries(TABLE)
      .filter(([name]) => names.has(name))
      .map(([, rows]) => rows),
  )
  for (const key of registered()) if (isStaticFile(key) && !(key in rows)) rows[key] = everyone
  return rows
}

describe('route × caller table', () => {
  it('has a row for every registered route and a route for every row', () => {
    const rows = expectedRows()
    const present = registered()
    expect(
      present.filter((r) => !(r in rows)),
      'routes without a row in TABLE',
    ).toEqual([])
    expect(
      Object.keys(rows).filter((r) => !present.includes(r)),
      'rows without a route',
    ).toEqual([])
  })

  it('lets exactly the listed callers through each route’s policy', { timeout: 300_000 }, async () => {
    const rows = expectedRows()
    const mismatches: string[] = []
    for (const key of registered()) {
      const allowed = rows[key]
      if (!allowed) continue
      const [method, url] = key.split(' ') as [string, string]
      const path = url.replace(/:[A-Za-z]+/g, id(4242)).replace('*', 'x')
      const responses = await Promise.all(
        CALLERS.map((caller) =>
          server.app.inject({
            method: method as 'GET',
            url: path,
            headers: { ...(caller === 'anonymous' ? {} : as(caller)), 'content-type': 'application/json' },
            ...(['POST', 'PATCH', 'PUT'].includes(method) ? { payload: '{}' } : {}),
          }),
        ),
      )
      for (const [index, caller] of CALLERS.entries()) {
        const response = responses[index]!
        // refused by the route's policy: 401 for nobody, 403 naming the policy for anybody else
        // (a handler's own 401, such as the OIDC userinfo endpoint's invalid_token, is not a refusal)
        const problem = String(response.headers['content-type'] ?? '').startsWith('application/problem+json')
          ? (response.json() as { code?: string; detail?: string })
          : {}
        const refused =
          (response.statusCode === 401 && problem.code === 'unauthenticated') ||
          (response.statusCode === 403 && /^需要权限/.test(problem.detail ?? ''))
        if (refused === allowed.includes(caller))
          mismatches.push(
            `${key} as ${caller}: ${response.statusCode} (expected ${allowed.includes(caller) ? 'allowed' : 'refused'})`,
          )
      }
    }
    expect(mismatches).toEqual([])
  })
})
