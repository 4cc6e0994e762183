/**
 * Licenses benchmark: issuance with SM2 signing (HTTP, PostgreSQL), online QR verification (HTTP, each
 * request a fresh single-use token), and offline SM2 verification of signed licenses on one core, next to
 * the plain-route, single-row SELECT and single-row INSERT baselines of the same run.
 *
 * Besides throughput it records the CPU time each HTTP scenario cost per request, in the API server
 * process and in the PostgreSQL backends serving it (from /proc, Linux): on a machine shared with other
 * work, throughput says how busy the machine was, CPU per request says what the code costs.
 *
 * Run: BENCH_SECONDS=5 DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/licenses.ts
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import pg from 'pg'
import {
  type SignedLicenseFile,
  verifyLicenseOffline,
} from '../apps/server/src/modules/licenses/licenses.document.ts'
import { encodeQrToken } from '../apps/server/src/modules/licenses/licenses.tokens.ts'
import { PersonalDataVault } from '../apps/server/src/platform/crypto.ts'
import { buildUscc } from '../packages/standards/src/index.ts'
import { type Measurement, measure, report, startProcess, tempDataDir } from './harness.ts'

const DB_NAME = 'tongban_bench_licenses'
const MASTER_KEY = '22'.repeat(32)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const adminUrl = process.env.DATABASE_URL
if (!adminUrl) throw new Error('DATABASE_URL (a PostgreSQL server) is required')
const admin = new pg.Client({ connectionString: adminUrl })
await admin.connect()
await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`)
await admin.query(`CREATE DATABASE ${DB_NAME}`)
const url = new URL(adminUrl)
url.pathname = `/${DB_NAME}`

/** CPU seconds (user + system) used so far by a process, or 0 once it is gone. */
async function cpuSecondsOf(pid: number): Promise<number> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100 // utime + stime, in USER_HZ (100 on Linux)
  } catch {
    return 0
  }
}

/** CPU seconds per PostgreSQL backend connected to the bench database. */
async function backendCpu(): Promise<Map<number, number>> {
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
    DB_NAME,
  ])
  return new Map(await Promise.all(rows.map(async (r) => [r.pid, await cpuSecondsOf(r.pid)] as const)))
}

interface CpuCost {
  name: string
  requests: number
  serverMs: number
  databaseMs: number
  loadGeneratorMs: number
}
const costs: CpuCost[] = []

/** Measures a scenario and the CPU it cost per request in the server, the database and the load generator. */
async function measureWithCpu(serverPid: number, name: string, run: () => Promise<Measurement>) {
  const server0 = await cpuSecondsOf(serverPid)
  const db0 = await backendCpu()
  const client0 = process.cpuUsage()
  const row = await run()
  const client = process.cpuUsage(client0)
  const server = (await cpuSecondsOf(serverPid)) - server0
  let database = 0
  for (const [pid, after] of await backendCpu()) database += after - (db0.get(pid) ?? 0)
  const requests = row.requestsPerSecond * SECONDS
  costs.push({
    name,
    requests,
    serverMs: (server * 1000) / requests,
    databaseMs: (database * 1000) / requests,
    loadGeneratorMs: (client.user + client.system) / 1000 / requests,
  })
  return row
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
const loadAtStart = loadAverage()

const rows: Measurement[] = []
const baseline = await startProcess('bench/servers/baseline.ts', { DATABASE_URL: url.toString() })
rows.push(await measure('baseline: plain Fastify route', { url: `${baseline.url}/plain` }))
rows.push(
  await measure('baseline: single-row SELECT', {
    url: baseline.url,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({ ...req, path: `/select/${1 + Math.floor(Math.random() * 10000)}` }),
      },
    ],
  }),
)
rows.push(
  await measure('baseline: single-row INSERT', {
    url: `${baseline.url}/insert`,
    method: 'POST',
    body: JSON.stringify({ title: '压测' }),
  }),
)
await baseline.stop()

const server = await startProcess('bench/licenses.server.ts', {
  DATABASE_URL: url.toString(),
  DATA_DIR: await tempDataDir(),
  MASTER_KEY,
})
const [departmentId, licenseId, pid] = (server.token ?? '').split(',') as [string, string, string]
const serverPid = Number(pid)
const issue = JSON.stringify({
  typeCode: '11100000000010014P001',
  departmentId,
  holder: { kind: 'company', accountId: 'bench-company', name: '压测科技有限公司' },
  fields: {
    companyName: '压测科技有限公司',
    uscc: buildUscc({ organizationCode: 4243 }),
    businessScope: '软件开发',
  },
  reason: '压测颁发',
})
const ISSUE = 'POST /api/v1/licenses (issue: validate, GB/T 36904 id, SM2 sign, outbox, audit)'
rows.push(
  await measureWithCpu(serverPid, ISSUE, () =>
    measure(ISSUE, {
      url: `${server.url}/api/v1/licenses`,
      method: 'POST',
      headers: { authorization: 'Bearer approver' },
      body: issue,
      connections: 20,
    }),
  ),
)

// every verification needs a fresh token (a second scan is a replay): made here with the same key
const vault = new PersonalDataVault(Buffer.from(MASTER_KEY, 'hex'))
const mac = (body: string) => vault.blindIndex('license-qr-token', body)
const expiresAt = new Date(Date.now() + 3_600_000)
const VERIFY = 'GET /api/v1/licenses/verify (fresh single-use QR token each)'
rows.push(
  await measureWithCpu(serverPid, VERIFY, () =>
    measure(VERIFY, {
      url: server.url,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => ({
            ...req,
            path: `/api/v1/licenses/verify?token=${encodeQrToken({ licenseId, tokenId: randomBytes(12).toString('hex'), expiresAt }, mac)}`,
          }),
        },
      ],
    }),
  ),
)

// offline: signed licenses as holders download them, checked against the published keys, one core
const keys = (await (await fetch(`${server.url}/api/v1/licenses/keys`)).json()).items
const signed = (await (
  await fetch(`${server.url}/api/v1/me/licenses/${licenseId}/signed`, {
    headers: { authorization: 'Bearer holder' },
  })
).json()) as SignedLicenseFile
await server.stop()
await admin.end()
const files = Array.from({ length: 50 }, () => ({ ...signed, document: { ...signed.document } }))
verifyLicenseOffline(files[0]!, keys)
const n = 3000
const cpu0 = process.cpuUsage()
const start = process.hrtime.bigint()
let ok = 0
for (let i = 0; i < n; i++) if (verifyLicenseOffline(files[i % files.length]!, keys).ok) ok++
const seconds = Number(process.hrtime.bigint() - start) / 1e9
const cpu = process.cpuUsage(cpu0)
if (ok !== n) throw new Error('offline verification failed')
rows.push({
  name: 'offline SM2 verification (verifyLicenseOffline, one core, in process)',
  requestsPerSecond: n / seconds,
  p50: Number(((seconds * 1000) / n).toFixed(2)),
  p99: 0,
  errors: 0,
  non2xx: 0,
})
report('Licenses', rows, (row) =>
  row.name.startsWith('GET /api/v1/licenses/verify')
    ? rows[1]
    : row.name.startsWith('POST /api/v1/licenses')
      ? rows[2]
      : undefined,
)
console.log(
  '| scenario | server CPU ms/req | PostgreSQL CPU ms/req | load generator CPU ms/req | one server core sustains |',
)
console.log('|---|---:|---:|---:|---:|')
for (const c of costs)
  console.log(
    `| ${c.name} | ${c.serverMs.toFixed(3)} | ${c.databaseMs.toFixed(3)} | ${c.loadGeneratorMs.toFixed(3)} | ${Math.round(1000 / c.serverMs).toLocaleString('en-US')}/s |`,
  )
const cpuSeconds = (cpu.user + cpu.system) / 1e6
console.log(
  `\noffline SM2 verification: ${Math.round(n / seconds)}/s wall, ${Math.round(n / cpuSeconds)} per CPU-second (one core)`,
)
console.log(`load average (1, 5, 15 min): ${loadAtStart} at start, ${loadAverage()} at the end\n`)
