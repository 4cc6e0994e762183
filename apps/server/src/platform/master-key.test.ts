import fs from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runCli } from '../../test/cli.ts'
import { openTestDb, type TestDb } from '../../test/database.ts'

// Two processes on one database, the second with another master key: it must refuse to start rather than
// register a second account for an existing ID number (another blind index) that cannot log in elsewhere.

const KEY_A = 'a1'.repeat(32)
const KEY_B = 'b2'.repeat(32)

let testDb: TestDb
beforeAll(async () => {
  testDb = await openTestDb({ file: true, migrate: false })
  await testDb.close() // the CLI processes open it, one at a time
}, 180_000)
afterAll(() => testDb?.drop())

it('lets the first node set the key, refuses another key and no key, and keeps working with the first', async () => {
  const first = await runCli(['migrate'], { ...testDb.env, MASTER_KEY: KEY_A })
  expect(first.stderr).not.toMatch(/Error|refuse/i)
  expect(first.code).toBe(0)

  const other = await runCli(['migrate'], { ...testDb.env, MASTER_KEY: KEY_B })
  expect(other.code).toBe(1)
  expect(other.stderr).toContain('MASTER_KEY')
  expect(other.stderr).toContain('is not the one this database was set up with')

  const none = await runCli(['migrate'], { ...testDb.env, MASTER_KEY: '' })
  expect(none.code).toBe(1)
  expect(none.stderr).toContain('MASTER_KEY is empty and DATA_DIR/keys/master.key does not exist')
  // and it did not invent a key for the database
  await expect(fs.access(path.join(testDb.dataDir, 'keys', 'master.key'))).rejects.toThrow()

  const again = await runCli(['migrate'], { ...testDb.env, MASTER_KEY: KEY_A })
  expect(again.code).toBe(0)
  expect(again.stdout).toContain('database is up to date')
}, 600_000)

it('saves a generated key only for a database that has none yet', async () => {
  const fresh = await openTestDb({ file: true, migrate: false })
  await fresh.close()
  try {
    const generated = await runCli(['migrate'], { ...fresh.env, MASTER_KEY: '' })
    expect(generated.code).toBe(0)
    const key = (await fs.readFile(path.join(fresh.dataDir, 'keys', 'master.key'), 'utf8')).trim()
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    expect((await runCli(['migrate'], { ...fresh.env, MASTER_KEY: '' })).code).toBe(0)
    expect((await runCli(['migrate'], { ...fresh.env, MASTER_KEY: KEY_B })).code).toBe(1)
  } finally {
    await fresh.drop()
  }
}, 600_000)
