import fs from 'node:fs/promises'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openTestDb, type TestDb } from '../../test/database.ts'
import { renderSchemaTypes } from './db/schema-types.ts'

let testDb: TestDb
beforeAll(async () => {
  testDb = await openTestDb()
}, 180_000)
afterAll(() => testDb?.drop())

it('the checked-in Kysely types match the migrated schema (else: npm run db:types -w apps/server)', async () => {
  const checkedIn = await fs.readFile(new URL('./db/schema.ts', import.meta.url), 'utf8')
  const rendered = await renderSchemaTypes(testDb.handle.db)
  expect(rendered).toContain('export interface Database {')
  expect(checkedIn).toBe(rendered)
})
