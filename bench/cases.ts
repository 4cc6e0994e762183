/**
 * Cases benchmark: submissions/s, complete lifecycles/s (submit → accept → review → approve → complete),
 * public progress queries/s with p99, next to the plain-route and single-row SELECT baselines of the same run.
 * Run (PostgreSQL, as the targets are stated):
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/cases.ts
 */
import pg from 'pg'
import { type Measurement, measure, report, startProcess, tempDataDir } from './harness.ts'

const DB_NAME = 'tongban_bench_cases'
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)

const adminUrl = process.env.DATABASE_URL
if (!adminUrl) throw new Error('DATABASE_URL (a PostgreSQL server) is required')
const admin = new pg.Client({ connectionString: adminUrl })
await admin.connect()
await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`)
await admin.query(`CREATE DATABASE ${DB_NAME}`)
await admin.end()
const url = new URL(adminUrl)
url.pathname = `/${DB_NAME}`
const env = {
  DATABASE_URL: url.toString(),
  DATA_DIR: await tempDataDir(),
  MASTER_KEY: '11'.repeat(32),
  ROLE: 'all',
}

const application = JSON.stringify({
  implementationId: 'impl-business-license',
  formData: { name: '张三', phone: '13800138000' },
  materials: [],
  declaration: true,
})
const citizen = { 'content-type': 'application/json', authorization: 'Bearer citizen' }

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
await baseline.stop()

const server = await startProcess('apps/server/src/modules/cases/cases.fixture-server.ts', env)
let key = 0
rows.push(
  await measure('POST /api/v1/cases (submission, new Idempotency-Key each)', {
    url: `${server.url}/api/v1/cases`,
    method: 'POST',
    requests: [
      {
        method: 'POST',
        body: application,
        setupRequest: (req) => ({
          ...req,
          headers: { ...citizen, 'idempotency-key': `bench-${process.pid}-${++key}` },
        }),
      },
    ],
  }),
)

// progress: a pool of real cases and their query codes
const pool: { caseNo: string; queryCode: string }[] = []
for (let i = 0; i < 200; i++) {
  const response = await fetch(`${server.url}/api/v1/cases`, {
    method: 'POST',
    headers: { ...citizen, 'idempotency-key': `bench-progress-${i}` },
    body: application,
  })
  pool.push((await response.json()) as { caseNo: string; queryCode: string })
}
let next = 0
rows.push(
  await measure('POST /api/v1/progress (case number + query code in the body)', {
    url: server.url,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const c = pool[next++ % pool.length]!
          return {
            ...req,
            path: '/api/v1/progress',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ caseNo: c.caseNo, queryCode: c.queryCode }),
          }
        },
      },
    ],
  }),
)

// complete lifecycles: 50 concurrent applicants/clerks each running submit → accept → review → approve → complete
async function lifecycle(n: number): Promise<boolean> {
  const submitted = await fetch(`${server.url}/api/v1/cases`, {
    method: 'POST',
    headers: { ...citizen, 'idempotency-key': `bench-life-${process.pid}-${n}` },
    body: application,
  })
  if (submitted.status !== 201) return false
  let { id, version } = (await submitted.json()) as { id: string; version: number }
  for (const [move, who] of [
    ['accept', 'clerk'],
    ['review', 'reviewer'],
    ['approve', 'approver'],
    ['complete', 'approver'],
  ] as const) {
    const response = await fetch(`${server.url}/api/v1/cases/${id}/${move}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${who}` },
      body: JSON.stringify({ version }),
    })
    if (response.status !== 200) return false
    version = ((await response.json()) as { version: number }).version
  }
  return true
}
let started = 0
let completed = 0
let failed = 0
const latencies: number[] = []
const end = Date.now() + SECONDS * 1000
await Promise.all(
  Array.from({ length: 50 }, async () => {
    while (Date.now() < end) {
      const t = performance.now()
      if (await lifecycle(++started)) completed++
      else failed++
      latencies.push(performance.now() - t)
    }
  }),
)
latencies.sort((a, b) => a - b)
const at = (q: number) => Math.round(latencies[Math.floor(q * (latencies.length - 1))] ?? 0)
rows.push({
  name: 'complete lifecycle (5 requests: submit, accept, review, approve, complete)',
  requestsPerSecond: completed / SECONDS,
  p50: at(0.5),
  p99: at(0.99),
  errors: 0,
  non2xx: failed,
})
await server.stop()

const select = rows[1]!
const text = report('Cases (PostgreSQL)', rows, (row) =>
  row.name.startsWith('baseline') ? undefined : select,
)
console.log(text.includes('###') ? '' : text)
