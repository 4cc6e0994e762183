import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../../test/cli.ts'
import { openTestDb, type TestDb } from '../../../test/database.ts'
import { TEST_MASTER_KEY } from '../../testing/test-server.ts'

const FIXTURE = 'bench/servers/cases.ts'

interface Running {
  child: ChildProcess
  url: string
  exited: Promise<void>
}

async function startFixture(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: '0',
      MASTER_KEY: TEST_MASTER_KEY,
      ROLE: 'all',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const match = /listening (\S+)/.exec(buffer)
      if (match?.[1]) resolve(match[1])
    })
    child.once('exit', (code) => reject(new Error(`fixture exited with ${code} before listening`)))
  })
  return { child, url, exited }
}

const body = (i: number) => ({
  implementationId: 'impl-business-license',
  formData: { name: `申请人${i}` },
  materials: [],
  declaration: true,
})

async function submit(
  url: string,
  i: number,
): Promise<{ status: number; json: { caseNo: string; id: string } } | undefined> {
  try {
    const response = await fetch(`${url}/api/v1/cases`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer citizen',
        'idempotency-key': `crash-key-${i}`,
      },
      body: JSON.stringify(body(i)),
    })
    return { status: response.status, json: (await response.json()) as { caseNo: string; id: string } }
  } catch {
    return undefined // connection reset: no answer received
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error('timed out waiting')
}

describe('a server SIGKILLed during a burst of submissions', () => {
  let db: TestDb
  beforeAll(async () => {
    db = await openTestDb({ file: true })
  })
  afterAll(() => db?.drop())

  it('acknowledged cases exist exactly once, retries do not duplicate, committed steps are notified', async () => {
    if (!db.url) await db.close() // PGlite: one process at a time
    const total = 80
    const answers = new Map<number, { caseNo: string; id: string }>()
    const first = await startFixture(db.env)
    let acknowledged = 0
    const inFlight: Promise<void>[] = []
    for (let i = 0; i < total; i++) {
      inFlight.push(
        submit(first.url, i).then((result) => {
          if (result?.status === 201) {
            answers.set(i, result.json)
            acknowledged += 1
            // mid-burst: the process dies without any chance to finish what it was doing
            if (acknowledged === 20) first.child.kill('SIGKILL')
          }
        }),
      )
      if (i % 8 === 7) await new Promise((r) => setTimeout(r, 5))
    }
    await Promise.all(inFlight)
    await first.exited
    expect(first.child.signalCode).toBe('SIGKILL')
    const acknowledgedBeforeCrash = new Map(answers)
    expect(acknowledgedBeforeCrash.size).toBeGreaterThanOrEqual(20)
    expect(acknowledgedBeforeCrash.size).toBeLessThan(total)

    const second = await startFixture(db.env)
    try {
      // retry every request whose answer was not received, and a few that were
      for (let i = 0; i < total; i++) {
        if (answers.has(i) && i % 5 !== 0) continue
        const result = await submit(second.url, i)
        expect(result?.status, `request ${i}`).toBe(201)
        if (answers.has(i)) expect(result!.json).toEqual(answers.get(i))
        answers.set(i, result!.json)
      }
      expect(answers.size).toBe(total)

      const handle = db.url ? db.handle : undefined
      const rows = handle
        ? await handle.db.selectFrom('cases').select(['id', 'case_no']).execute()
        : await (async () => {
            const response = await fetch(`${second.url}/api/v1/me/cases?limit=200`, {
              headers: { authorization: 'Bearer citizen' },
            })
            return ((await response.json()) as { items: { id: string; caseNo: string }[] }).items.map(
              (c) => ({ id: c.id, case_no: c.caseNo }),
            )
          })()
      // exactly one case per request: none lost, none doubled
      expect(rows).toHaveLength(total)
      const numbers = rows.map((r) => r.case_no)
      expect(new Set(numbers).size).toBe(total)
      for (const [, answer] of acknowledgedBeforeCrash) expect(numbers).toContain(answer.caseNo)

      // the restarted relay delivers every committed submission's notification (after the dead relay's lease)
      const log = path.join(db.dataDir, 'notifications.log')
      await waitFor(async () => {
        const text = await fs.readFile(log, 'utf8').catch(() => '')
        return numbers.every((n) => text.includes(n))
      }, 60_000)
      const lines = (await fs.readFile(log, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
      const submitted = lines.filter((l) => l.template === 'case.submitted').map((l) => l.params.caseNo)
      expect(new Set(submitted)).toEqual(new Set(numbers))
    } finally {
      second.child.kill('SIGTERM')
      await second.exited
    }
    if (!db.url) await db.reopen()
  }, 180_000)
})

describe.skipIf(!process.env.DATABASE_URL)('the database going away', () => {
  let db: TestDb
  let proxy: net.Server
  let sockets: net.Socket[] = []
  beforeAll(async () => {
    db = await openTestDb()
  })
  afterAll(async () => {
    proxy?.close()
    await db?.drop()
  })

  it('answers 503 and acknowledges nothing', async () => {
    const target = new URL(db.url!)
    proxy = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname)
      sockets.push(client, upstream)
      client.pipe(upstream).pipe(client)
      client.on('error', () => {})
      upstream.on('error', () => {})
    })
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()))
    const port = (proxy.address() as net.AddressInfo).port
    const viaProxy = new URL(db.url!)
    viaProxy.host = `127.0.0.1:${port}`
    const server = await startFixture({
      DATA_DIR: db.dataDir,
      DATABASE_URL: viaProxy.toString(),
      ROLE: 'api',
    })
    try {
      expect((await submit(server.url, 1))?.status).toBe(201)
      // the database goes away: open connections drop and new ones are refused
      await new Promise<void>((r) => proxy.close(() => r()))
      for (const socket of sockets) socket.destroy()
      sockets = []
      const down = await submit(server.url, 2)
      expect(down?.status).toBe(503)
      const count = await db.handle.db
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      expect(Number(count.n)).toBe(1)
      expect(await db.handle.db.selectFrom('idempotency_keys').selectAll().execute()).toHaveLength(1)
    } finally {
      server.child.kill('SIGKILL')
      await server.exited
    }
  }, 60_000)
})
