import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FixedClock } from '../../platform/clock.ts'
import { createTestServer, type TestServer, useTestActors } from '../../testing/test-server.ts'
import { buildGuide, caseActors, FakeCatalog, fakeStaffDirectory } from './cases.testing.ts'
import { createCasesModule } from './index.ts'

// Supervision counts and filters levels in SQL; each case's own view computes its level in code. They
// must agree, case by case, around every threshold.
const actors = caseActors()
const catalog = new FakeCatalog([
  buildGuide({ materials: [] }),
  buildGuide({
    implementationId: 'impl-immediate',
    processingKind: 'immediate',
    legalLimitDays: 0,
    promisedLimitDays: 0,
    materials: [],
  }),
  buildGuide({ implementationId: 'impl-long', legalLimitDays: 60, promisedLimitDays: 30, materials: [] }),
])
const today = new Date('2026-06-15T02:00:00Z') // a Monday
const clock = new FixedClock(today)

let server: TestServer
let as: (name: string) => Record<string, string>
let keyCounter = 0

beforeAll(async () => {
  server = await createTestServer({
    clock,
    modules: [createCasesModule({ catalog: () => catalog, staff: () => fakeStaffDirectory(actors) })],
  })
  as = useTestActors(server, actors)
}, 180_000)
afterAll(() => server?.close())

const post = (url: string, who: string, payload: object, headers: Record<string, string> = {}) =>
  server.app.inject({ method: 'POST', url, headers: { ...as(who), ...headers }, payload })

/** A case of the item accepted `daysAgo` calendar days ago, suspended then if asked. */
async function acceptedCase(implementationId: string, daysAgo: number, suspend = false): Promise<string> {
  clock.set(new Date(today.getTime() - daysAgo * 86_400_000))
  const submitted = await post(
    '/api/v1/cases',
    'citizen',
    { implementationId, formData: { name: '张三' }, materials: [], declaration: true },
    { 'idempotency-key': `supervision-${++keyCounter}` },
  )
  const { id } = submitted.json()
  expect((await post(`/api/v1/cases/${id}/accept`, 'clerk', { version: 1 })).statusCode).toBe(200)
  if (suspend) {
    const suspended = await post(`/api/v1/cases/${id}/suspend`, 'clerk', { version: 2, reason: '现场核查' })
    expect(suspended.statusCode).toBe(200)
  }
  clock.set(today)
  return id
}

describe('supervision (电子监察)', () => {
  it('gives every open case the level its own view shows, and counts them all', async () => {
    const ids: string[] = []
    for (let daysAgo = 0; daysAgo <= 24; daysAgo += 1)
      ids.push(await acceptedCase('impl-business-license', daysAgo))
    for (const daysAgo of [0, 1, 3]) ids.push(await acceptedCase('impl-immediate', daysAgo))
    for (const daysAgo of [20, 33, 38, 40, 45]) ids.push(await acceptedCase('impl-long', daysAgo))
    ids.push(await acceptedCase('impl-business-license', 5, true))

    const levels = new Map<string, string>()
    for (const id of ids) {
      const view = await server.app.inject({
        method: 'GET',
        url: `/api/v1/cases/${id}`,
        headers: as('clerk'),
      })
      levels.set(id, view.json().timeLimit.level)
    }
    const tally: Record<string, number> = {}
    for (const level of levels.values()) tally[level] = (tally[level] ?? 0) + 1
    expect(Object.keys(tally).sort()).toEqual(['green', 'paused', 'red', 'yellow'])

    const all = (
      await server.app.inject({
        method: 'GET',
        url: '/api/v1/supervision/cases?limit=200',
        headers: as('clerk'),
      })
    ).json()
    expect(all.counts).toEqual(tally)
    expect(all.items).toHaveLength(ids.length)
    for (const item of all.items) expect(item.level, item.caseNo).toBe(levels.get(item.id))
    for (const level of Object.keys(tally)) {
      const some = (
        await server.app.inject({
          method: 'GET',
          url: `/api/v1/supervision/cases?level=${level}&limit=200`,
          headers: as('clerk'),
        })
      ).json()
      expect(some.items.map((i: { id: string }) => i.id).sort()).toEqual(
        ids.filter((id) => levels.get(id) === level).sort(),
      )
      expect(some.counts).toEqual(tally)
    }
  })
})
