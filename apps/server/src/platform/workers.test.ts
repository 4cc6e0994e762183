import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { startServer } from '../main.ts'
import { createTestDatabase, TEST_MASTER_KEY } from '../testing/test-server.ts'
import { FixedClock } from './clock.ts'
import { loadConfig } from './config.ts'

const DAY = 86_400_000
const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

it('a worker archives old audit entries as soon as it starts, not only after a day of uptime', async () => {
  const database = await createTestDatabase()
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tongban-worker-'))
  cleanups.push(
    () => database.drop(),
    () => fs.rm(dataDir, { recursive: true, force: true }),
  )
  const env = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    MASTER_KEY: TEST_MASTER_KEY,
    DATABASE_SINGLE_ROLE: 'true',
  }
  const clock = new FixedClock(new Date('2026-01-05T02:00:00Z'))

  const api = await startServer(loadConfig({ ...env, ROLE: 'api' }, { databaseUrl: database.url }), {
    clock,
    listen: false,
  })
  for (const n of [1, 2, 3]) {
    await api.platform.audit.record({
      actorId: `staff-${n}`,
      actorKind: 'staff',
      action: 'case.accept',
      resourceType: 'case',
      resourceId: `case-${n}`,
      regionCode: '110101',
      ip: null,
      requestId: null,
      outcome: 'success',
    })
  }
  await api.close()

  clock.advance(200 * DAY)
  const worker = await startServer(loadConfig({ ...env, ROLE: 'worker' }, { databaseUrl: database.url }), {
    clock,
  })
  cleanups.push(() => worker.close())
  const deadline = Date.now() + 10_000
  let archived = 0
  while (archived < 3 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    const row = await worker.platform.db
      .selectFrom('audit_log_archive')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    archived = Number(row.n)
  }
  expect(archived).toBe(3)
  expect(await worker.platform.audit.verify()).toMatchObject({ ok: true, checked: 3, unsealed: { count: 0 } })
  await worker.close()
}, 300_000)
