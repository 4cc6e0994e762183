import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FixedClock } from '../../platform/clock.ts'
import { createTestServer, type TestServer, useTestActors } from '../../testing/test-server.ts'
import { buildGuide, caseActors, FakeCatalog, fakeStaffDirectory } from './cases.testing.ts'
import { createCasesModule } from './index.ts'
import { MOVE_COLUMNS } from './lifecycle/case-change.ts'

// How many SQL statements each hot request sends (every one is a round trip to the database): the
// benchmark's targets depend on keeping these few. Counted at the driver, so nothing escapes.
const actors = caseActors()
const catalog = new FakeCatalog([buildGuide({ materials: [] })])
const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'))

let server: TestServer
let as: (name: string) => Record<string, string>
let statements: string[] = []
const query = pg.Client.prototype.query

beforeAll(async () => {
  server = await createTestServer({
    clock,
    modules: [createCasesModule({ catalog: () => catalog, staff: () => fakeStaffDirectory(actors) })],
  })
  as = useTestActors(server, actors)
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const text = args[0]
    statements.push(typeof text === 'string' ? text : ((text as { text?: string })?.text ?? ''))
    return (query as (...a: unknown[]) => unknown).apply(this, args)
  } as typeof query
}, 180_000)
afterAll(async () => {
  pg.Client.prototype.query = query
  await server?.close()
})

let keyCounter = 0
async function counted<T>(run: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  statements = []
  const result = await run()
  return { result, statements: statements.map((s) => s.replace(/\s+/g, ' ').trim().slice(0, 60)) }
}
const submit = () =>
  server.app.inject({
    method: 'POST',
    url: '/api/v1/cases',
    headers: { ...as('citizen'), 'idempotency-key': `round-trips-${++keyCounter}` },
    payload: {
      implementationId: 'impl-business-license',
      formData: { name: '张三' },
      materials: [],
      declaration: true,
    },
  })
const move = (id: string, name: string, who: string, version: number) =>
  server.app.inject({
    method: 'POST',
    url: `/api/v1/cases/${id}/${name}`,
    headers: as(who),
    payload: { version },
  })

describe('SQL round trips per request', () => {
  it('a submission: one statement (case, event, task, key, outbox event, audit entry), no BEGIN/COMMIT', async () => {
    await submit() // reserves a block of case numbers
    const { result, statements } = await counted(submit)
    expect(result.statusCode).toBe(201)
    expect(statements, statements.join('\n')).toHaveLength(1)
  })

  it('submissions arriving together: one statement for all; a retried key answered as first answered', async () => {
    const first = await submit()
    const retryKey = `round-trips-${keyCounter}`
    const { result, statements } = await counted(() =>
      Promise.all([
        submit(),
        submit(),
        server.app.inject({
          method: 'POST',
          url: '/api/v1/cases',
          headers: { ...as('citizen'), 'idempotency-key': retryKey },
          payload: {
            implementationId: 'impl-business-license',
            formData: { name: '张三' },
            materials: [],
            declaration: true,
          },
        }),
        submit(),
      ]),
    )
    expect(result.map((r) => r.statusCode)).toEqual([201, 201, 201, 201])
    expect(result[2]!.json()).toEqual(first.json())
    const numbers = [first, result[0]!, result[1]!, result[3]!].map((r) => r.json().caseNo)
    expect(new Set(numbers).size).toBe(4)
    // the batch (three new ones written, the retry's key found taken), then the retry's stored answer; a
    // request that waited for a new block of case numbers joins the next batch
    const batches = statements.filter((s) => s.includes('WITH input AS'))
    expect(batches.length, statements.join('\n')).toBeGreaterThanOrEqual(1)
    expect(batches.length, statements.join('\n')).toBeLessThanOrEqual(2)
    for (const r of [result[0]!, result[1]!, result[3]!]) {
      const view = await server.app.inject({
        method: 'GET',
        url: `/api/v1/cases/${r.json().id}`,
        headers: as('citizen'),
      })
      expect(view.json().timeline.map((e: { type: string }) => e.type)).toEqual(['submitted'])
    }
  })

  it('a move: one read, one statement (case, event, task, outbox event, audit entry)', async () => {
    const { id } = (await submit()).json()
    await server.app.inject({ method: 'GET', url: `/api/v1/cases/${id}`, headers: as('clerk') }) // calendar
    let version = 1
    for (const [name, who] of [
      ['accept', 'clerk'],
      ['review', 'reviewer'],
      ['approve', 'approver'],
      ['complete', 'approver'],
    ] as const) {
      const { result, statements } = await counted(() => move(id, name, who, version))
      expect(result.statusCode, result.body).toBe(200)
      expect(statements, `${name}:\n${statements.join('\n')}`).toHaveLength(2)
      version = result.json().version
    }
    expect(version).toBe(5)
  })

  it('a move between open states changes no indexed column (a heap-only update); a final state closes the case', async () => {
    // indexed columns may be those only closing changes (that move writes index entries anyway; `closed`,
    // derived from status, changes then too), and form_data, NULL since form data is encrypted (a
    // resubmission clears it on a row from before)
    const closing = new Set(['completed_on', 'elapsed_working_days', 'form_data'])
    const { rows: indexes } = await sql<{ definition: string }>`
      SELECT pg_get_indexdef(indexrelid) AS definition FROM pg_index WHERE indrelid = 'cases'::regclass`.execute(
      server.platform.db,
    )
    expect(indexes.length).toBeGreaterThan(5)
    for (const column of MOVE_COLUMNS.filter((c) => !closing.has(c)))
      for (const { definition } of indexes) expect(definition).not.toMatch(new RegExp(`\\b${column}\\b`))

    const { id } = (await submit()).json()
    const closed = async () =>
      (
        await server.platform.db
          .selectFrom('cases')
          .select('closed')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).closed
    let version = 1
    for (const [name, who, after] of [
      ['accept', 'clerk', false],
      ['review', 'reviewer', false],
      ['approve', 'approver', false],
      ['complete', 'approver', true],
    ] as const) {
      const result = await move(id, name, who, version)
      expect(result.statusCode, result.body).toBe(200)
      expect(await closed(), name).toBe(after)
      version = result.json().version
    }
  })

  it('reading a case, and the public progress query: one statement each', async () => {
    const submitted = (await submit()).json()
    const detail = await counted(() =>
      server.app.inject({ method: 'GET', url: `/api/v1/cases/${submitted.id}`, headers: as('citizen') }),
    )
    expect(detail.result.statusCode).toBe(200)
    expect(detail.statements).toHaveLength(1)
    const progress = await counted(() =>
      server.app.inject({
        method: 'POST',
        url: '/api/v1/progress',
        payload: { caseNo: submitted.caseNo, queryCode: submitted.queryCode },
      }),
    )
    expect(progress.result.statusCode).toBe(200)
    expect(progress.statements).toHaveLength(1)
  })

  it('progress queries arriving together: one statement, each answered for its own number and code', async () => {
    const a = (await submit()).json()
    const b = (await submit()).json()
    await move(b.id, 'accept', 'clerk', 1)
    const ask = (caseNo: string, queryCode: string) =>
      server.app.inject({ method: 'POST', url: '/api/v1/progress', payload: { caseNo, queryCode } })
    const { result, statements } = await counted(() =>
      Promise.all([
        ask(a.caseNo, a.queryCode),
        ask(b.caseNo.toLowerCase(), b.queryCode),
        ask(a.caseNo, b.queryCode),
        ask('CX20260302999999', a.queryCode),
        ask(a.caseNo, a.queryCode),
      ]),
    )
    expect(statements).toHaveLength(1)
    expect(result.map((r) => r.statusCode)).toEqual([200, 200, 404, 404, 200])
    expect(result[0]!.json()).toMatchObject({ caseNo: a.caseNo, status: 'submitted' })
    expect(result[1]!.json()).toMatchObject({ caseNo: b.caseNo, status: 'accepted' })
    expect(result[4]!.json()).toEqual(result[0]!.json())
    // the milestones are the case's own, and no personal data is in the answer
    expect(JSON.stringify(result[1]!.json())).not.toContain('张三')
  })

  it('moves arriving together read their cases in one statement and write them in one, each answered for its own case', async () => {
    const ids: string[] = []
    for (let i = 0; i < 4; i++) ids.push((await submit()).json().id)
    const { result, statements } = await counted(() =>
      Promise.all([
        ...ids.slice(0, 3).map((id) => move(id, 'accept', 'clerk', 1)),
        move(ids[3]!, 'accept', 'clerk', 7),
        move(randomUUID(), 'accept', 'clerk', 1),
      ]),
    )
    expect(result.map((r) => r.statusCode)).toEqual([200, 200, 200, 409, 404])
    expect(result.slice(0, 3).map((r) => r.json().id)).toEqual(ids.slice(0, 3))
    expect(result.slice(0, 3).map((r) => r.json().status)).toEqual(['accepted', 'accepted', 'accepted'])
    // one read of all five, then one write of the three moves
    expect(statements, statements.join('\n')).toHaveLength(2)
    expect(statements[1]).toContain('WITH input AS')
    for (const id of ids.slice(0, 3)) {
      const view = (
        await server.app.inject({ method: 'GET', url: `/api/v1/cases/${id}`, headers: as('citizen') })
      ).json()
      expect(view.timeline.map((e: { type: string }) => e.type)).toEqual(['submitted', 'accepted'])
      expect(view.version).toBe(2)
    }
  })

  it('writes each move of a batch alone when the batch fails, so that one failure stays its own', async () => {
    const ids: string[] = []
    for (let i = 0; i < 3; i++) ids.push((await submit()).json().id)
    // the database refuses the event of the second case (as a broken row would)
    await sql`CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused for the test'; END $$`.execute(server.platform.db)
    await sql`CREATE TRIGGER refuse_event BEFORE INSERT ON case_events FOR EACH ROW
      WHEN (NEW.case_id = ${sql.lit(ids[1]!)}::uuid) EXECUTE FUNCTION refuse_event()`.execute(
      server.platform.db,
    )
    try {
      const { result, statements } = await counted(() =>
        Promise.all(ids.map((id) => move(id, 'accept', 'clerk', 1))),
      )
      expect(result.map((r) => r.statusCode)).toEqual([200, 500, 200])
      // the read, the failed batch, then each move alone
      expect(statements).toHaveLength(5)
      const audit = await server.platform.db
        .selectFrom('audit_log')
        .select('resource_id')
        .where('action', '=', 'case.accept')
        .where('resource_id', 'in', ids)
        .execute()
      expect(audit.map((a) => a.resource_id).sort()).toEqual([ids[0], ids[2]].sort())
      const outbox = await server.platform.db
        .selectFrom('outbox')
        .select('aggregate_id')
        .where('topic', '=', 'case.accepted')
        .where('aggregate_id', 'in', ids)
        .execute()
      expect(outbox.map((o) => o.aggregate_id).sort()).toEqual([ids[0], ids[2]].sort())
    } finally {
      await sql`DROP TRIGGER refuse_event ON case_events`.execute(server.platform.db)
      await sql`DROP FUNCTION refuse_event()`.execute(server.platform.db)
    }
  })
})
