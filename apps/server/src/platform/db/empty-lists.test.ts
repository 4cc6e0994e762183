import { afterAll, beforeAll, expect, it } from 'vitest'
import { openTestDb, type TestDb } from '../../../test/database.ts'
import { modules } from '../../modules/index.ts'
import { createTestServer } from '../../testing/test-server.ts'

let testDb: TestDb
beforeAll(async () => {
  testDb = await openTestDb()
}, 180_000)
afterAll(() => testDb?.drop())

it('reads IN () as no row and NOT IN () as every row, instead of a syntax error', async () => {
  const db = testDb.handle.db
  const all = await db.selectFrom('audit_chain_head').select('seq').execute()
  expect(await db.selectFrom('audit_chain_head').select('seq').where('seq', 'in', []).execute()).toEqual([])
  expect(await db.selectFrom('audit_chain_head').select('seq').where('seq', 'not in', []).execute()).toEqual(
    all,
  )
  const none: string[] = []
  const rows = await db
    .selectFrom('audit_log')
    .select('id')
    .where((eb) => eb.or([eb('action', 'in', none), eb('actor_id', 'in', none)]))
    .execute()
  expect(rows).toEqual([])
})

it('answers an unknown region with an empty list, not a 500', async () => {
  const server = await createTestServer({ modules })
  try {
    const response = await server.app.inject({ url: '/api/v1/departments?region=999999&within=true' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ items: [], total: 0 })
  } finally {
    await server.close()
  }
}, 120_000)
