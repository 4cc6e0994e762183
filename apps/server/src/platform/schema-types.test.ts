import fs from 'node:fs/promises'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openTestDb, type TestDb } from '../../test/database.ts'
import { enumeratedValues, renderSchemaTypes } from './db/schema-types.ts'

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

it('reads enumerations back from CHECK constraints as PostgreSQL prints them', () => {
  expect(
    enumeratedValues('status', "CHECK ((status = ANY (ARRAY['active'::text, 'disabled'::text])))"),
  ).toEqual(['active', 'disabled'])
  expect(
    enumeratedValues(
      'method',
      "CHECK (((method IS NULL) OR (method = ANY (ARRAY['self'::text, 'it''s'::text]))))",
    ),
  ).toEqual(['self', "it's"])
  expect(enumeratedValues('flag', "CHECK (((flag IS NULL) OR (flag = 'calendar-missing'::text)))")).toEqual([
    'calendar-missing',
  ])
  expect(enumeratedValues('n', 'CHECK (((n >= 1) AND (n <= 3)))')).toBeUndefined()
  expect(enumeratedValues('code', "CHECK ((code ~ '^[a-z]+$'::text))")).toBeUndefined()
})
