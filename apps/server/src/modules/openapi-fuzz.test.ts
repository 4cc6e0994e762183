import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Actor } from '../platform/authz.ts'
import { fuzzRequests } from '../testing/openapi-fuzz.ts'
import { createTestServer, type TestServer, useTestActors } from '../testing/test-server.ts'
import { identityService } from './identity/index.ts'
import { modules } from './index.ts'

// A bounded fuzz run over the whole OpenAPI document, on the demo data: every operation gets a valid
// request and requests that break it, sent anonymously, as a citizen, as a company's agent and as staff.
// None may answer 5xx: a caller's mistake is a 4xx problem document.

let server: TestServer
let as: (name: string) => Record<string, string>

beforeAll(async () => {
  server = await createTestServer({ modules, config: { demoSeed: true } })
  const identity = identityService(server.platform)
  const actors: Record<string, Actor> = {}
  for (const [name, login, company] of [
    ['citizen', '13800000001'],
    ['agent', '13800000002', '91330106MA2FGGT42K'],
    ['clerk', 'xh.sj.clerk'],
    ['sysadmin', 'sysadmin'],
  ] as const) {
    const account = await identity.findByLogin(login)
    const companyId = company ? (await identity.findByLogin(company))?.id : undefined
    if (account) actors[name] = (await identity.actorFor(account.id, companyId))!
  }
  as = useTestActors(server, actors)
}, 600_000)
afterAll(() => server?.close())

it('answers no request of a few thousand with a 5xx', async () => {
  const document = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json()
  const requests = fuzzRequests(document)
  expect(requests.length).toBeGreaterThan(800)
  const failures: string[] = []
  let sent = 0
  const statuses: Record<number, number> = {}
  for (const caller of ['anonymous', 'citizen', 'agent', 'clerk', 'sysadmin']) {
    const identity = caller === 'anonymous' ? {} : as(caller)
    for (const request of requests) {
      const response = await server.app.inject({
        method: request.method as 'GET',
        url: request.url,
        headers: { ...request.headers, ...identity },
        ...(request.payload === undefined ? {} : { payload: request.payload }),
      })
      sent += 1
      statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1
      if (response.statusCode >= 500)
        failures.push(
          `${response.statusCode} ${request.method} ${request.url.slice(0, 120)} [${request.variant}] as ${caller}: ${response.body.slice(0, 200)}`,
        )
    }
  }
  // the valid requests get through: the run reaches the handlers, not only the validators
  expect(
    Object.entries(statuses)
      .filter(([s]) => Number(s) < 300)
      .reduce((n, [, c]) => n + c, 0),
  ).toBeGreaterThan(100)
  expect(sent).toBeGreaterThan(3000)
  expect(failures.slice(0, 20)).toEqual([])
}, 900_000)
