import { readFileSync } from 'node:fs'
import { CASE_STATUSES } from '@tongban/contracts'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDb, type TestDb } from '../../../test/database.ts'
import { enumeratedValues } from '../../platform/db/schema-types.ts'
import { CLOSED_STATUSES, FINISHED_STATUSES } from './cases.state.ts'
import { MOVE_COLUMNS } from './lifecycle/case-change.ts'

// The module's lists of statuses and columns against the migrated schema and its SQL files: one list each,
// kept in step by these tests.

let testDb: TestDb
beforeAll(async () => {
  testDb = await openTestDb()
}, 180_000)
afterAll(() => testDb?.drop())

describe('status lists', () => {
  it('name the statuses the cases_status_check constraint allows', async () => {
    const { rows } = await sql<{ definition: string }>`
      SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
      WHERE conname = 'cases_status_check'`.execute(testDb.handle.db)
    expect(enumeratedValues('status', rows[0]!.definition)?.sort()).toEqual([...CASE_STATUSES].sort())
  })

  it('close a case exactly where the generated `closed` column says it is closed', async () => {
    const { rows } = await sql<{ expression: string }>`
      SELECT pg_get_expr(d.adbin, d.adrelid) AS expression FROM pg_attrdef d
      JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
      WHERE d.adrelid = 'cases'::regclass AND a.attname = 'closed'`.execute(testDb.handle.db)
    const literals = [...rows[0]!.expression.matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1])
    expect(literals.sort()).toEqual([...CLOSED_STATUSES].sort())
    for (const status of CLOSED_STATUSES) expect(FINISHED_STATUSES).toContain(status)
    for (const status of FINISHED_STATUSES) expect(CASE_STATUSES).toContain(status)
  })
})

describe('write-changes.sql', () => {
  const text = readFileSync(new URL('./repository/write-changes.sql', import.meta.url), 'utf8')

  it('sets exactly the projection columns a change may set (MOVE_COLUMNS), and the version', () => {
    const set = /UPDATE cases c SET \(([^)]*)\)/.exec(text)?.[1]
    expect(set?.split(',').map((c) => c.trim())).toEqual([...MOVE_COLUMNS, 'version'])
    const from = /\(SELECT (r\.[^)]*?), c\.version \+ 1/.exec(text)?.[1]
    expect(from?.split(',').map((c) => c.trim())).toEqual(MOVE_COLUMNS.map((c) => `r.${c}`))
  })
})
