/**
 * Licenses benchmark: issuance with SM2 signing (HTTP, PostgreSQL), online QR verification (HTTP, each
 * request a fresh single-use token), and offline SM2 verification of signed licenses on one core, next to
 * the plain-route, single-row SELECT and single-row INSERT baselines of the same run.
 *
 * Each HTTP scenario is measured, after one unmeasured warm-up second, in 1-second slices alternating
 * with its baseline (both servers run side by side), so that a machine shared with other work loads both alike: req/s is the mean of the slices,
 * p50/p99 the median of the slices' (every slice's p99 is printed too). Besides throughput it records the
 * CPU time each scenario cost per request, in the API server process and in the PostgreSQL backends serving
 * it (from /proc, Linux): throughput says how busy the machine was, CPU per request what the code costs.
 *
 * Run: BENCH_SECONDS=5 DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/licenses.ts
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import {
  type SignedLicenseFile,
  verifyLicenseOffline,
} from '../apps/server/src/modules/licenses/licenses.document.ts'
import { encodeQrToken } from '../apps/server/src/modules/licenses/licenses.tokens.ts'
import { PersonalDataVault } from '../apps/server/src/platform/crypto.ts'
import { buildUscc } from '../packages/standards/src/index.ts'
import {
  type LoadOptions,
  loadAverage,
  type Measurement,
  measure,
  pairedSlices,
  report,
  startProcess,
  tempDataDir,
} from './harness.ts'

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

const loadAtStart = loadAverage()

const baseline = await startProcess('bench/servers/baseline.ts', { DATABASE_URL: url.toString() })
const server = await startProcess('bench/licenses.server.ts', {
  DATABASE_URL: url.toString(),
  DATA_DIR: await tempDataDir(),
  MASTER_KEY,
}).catch(async (error) => {
  await baseline.stop()
  throw error
})
/** A failed step must not leave the servers behind. */
const guard = <T>(step: Promise<T>): Promise<T> =>
  step.catch(async (error) => {
    await Promise.allSettled([baseline.stop(), server.stop()])
    throw error
  })
const [departmentId, licenseId, pid] = (server.token ?? '').split(',') as [string, string, string]
const { paired: pairedSlice, costs } = pairedSlices({
  slices: SECONDS,
  serverPid: Number(pid),
  admin,
  database: DB_NAME,
})
/** A scenario of one autocannon load against its baseline. */
const paired = (baselineName: string, baselineLoad: LoadOptions, name: string, load: LoadOptions) =>
  pairedSlice(baselineName, baselineLoad, name, (seconds) =>
    measure(name, { ...load, durationSeconds: seconds }),
  )

// the platform's floor: a public route through every request hook of the server, with no work of its own
const [plain, healthz] = await guard(
  paired(
    'baseline: plain Fastify route',
    { url: `${baseline.url}/plain` },
    'GET /healthz on the same server (platform floor: every request hook, no handler work)',
    { url: `${server.url}/healthz` },
  ),
)

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
const [insertBaseline, issued] = await guard(
  paired(
    'baseline: single-row INSERT',
    {
      url: `${baseline.url}/insert`,
      method: 'POST',
      body: JSON.stringify({ title: '压测' }),
      connections: 20,
    },
    'POST /api/v1/licenses (issue: validate, GB/T 36904 id, SM2 sign, outbox, audit)',
    {
      url: `${server.url}/api/v1/licenses`,
      method: 'POST',
      headers: { authorization: 'Bearer approver' },
      body: issue,
      connections: 20,
    },
  ),
)

// every verification needs a fresh token (a second scan is a replay): made here with the same key
const vault = new PersonalDataVault(Buffer.from(MASTER_KEY, 'hex'))
const mac = (body: string) => vault.blindIndex('license-qr-token', body)
const expiresAt = new Date(Date.now() + 3_600_000)
const [selectBaseline, verified] = await guard(
  paired(
    'baseline: single-row SELECT',
    {
      url: baseline.url,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => ({ ...req, path: `/select/${1 + Math.floor(Math.random() * 10000)}` }),
        },
      ],
    },
    'GET /api/v1/licenses/verify (fresh single-use QR token each)',
    {
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
    },
  ),
)
await baseline.stop()
const rows: Measurement[] = [plain, selectBaseline, insertBaseline, healthz, issued, verified]

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
  row === verified ? selectBaseline : row === issued ? insertBaseline : row === healthz ? plain : undefined,
)
console.log(
  '| scenario | server CPU ms/req | PostgreSQL CPU ms/req | load generator CPU ms/req | one server core sustains | p99 of each slice, ms |',
)
console.log('|---|---:|---:|---:|---:|---|')
for (const c of costs)
  console.log(
    `| ${c.name} | ${c.serverMs.toFixed(3)} | ${c.databaseMs.toFixed(3)} | ${c.loadGeneratorMs.toFixed(3)} | ${Math.round(1000 / c.serverMs).toLocaleString('en-US')}/s | ${c.p99s.join(', ')} |`,
  )
const cpuSeconds = (cpu.user + cpu.system) / 1e6
console.log(
  `\noffline SM2 verification: ${Math.round(n / seconds)}/s wall, ${Math.round(n / cpuSeconds)} per CPU-second (one core)`,
)
console.log(`load average (1, 5, 15 min): ${loadAtStart} at start, ${loadAverage()} at the end\n`)
