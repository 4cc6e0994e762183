/**
 * Cases benchmark: submissions/s, complete lifecycles/s (submit → accept → review → approve → complete),
 * public progress queries/s with p99, next to the plain-route, single-row SELECT and single-row INSERT
 * baselines of the same run.
 *
 * Each scenario is measured, after one unmeasured warm-up second, in 1-second slices alternating with its
 * baseline (both servers run side by side), so that a machine shared with other work loads both alike:
 * req/s is the mean of the slices, p50/p99 the median of the slices'. Besides throughput it records the
 * CPU time each scenario cost per request in the server process and in the PostgreSQL backends serving it
 * (from /proc, Linux), and the load average: throughput says how busy the machine was, CPU per request
 * what the code costs.
 *
 * Run (PostgreSQL, as the targets are stated):
 *   BENCH_SECONDS=10 DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/cases.ts
 */
import pg from 'pg'
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

const DB_NAME = 'tongban_bench_cases'
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)

const adminUrl = process.env.DATABASE_URL
if (!adminUrl) throw new Error('DATABASE_URL (a PostgreSQL server) is required')
const admin = new pg.Client({ connectionString: adminUrl })
await admin.connect()
await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`)
await admin.query(`CREATE DATABASE ${DB_NAME}`)
const url = new URL(adminUrl)
url.pathname = `/${DB_NAME}`

const loadAtStart = loadAverage()

const application = JSON.stringify({
  implementationId: 'impl-business-license',
  formData: { name: '张三', phone: '13800138000', applicantIdNumber: '330106199005171234' },
  materials: [],
  declaration: true,
})
const citizen = { 'content-type': 'application/json', authorization: 'Bearer citizen' }

const baseline = await startProcess('bench/servers/baseline.ts', { DATABASE_URL: url.toString() })
const server = await startProcess('bench/servers/cases.ts', {
  DATABASE_URL: url.toString(),
  DATA_DIR: await tempDataDir(),
  MASTER_KEY: '11'.repeat(32),
  ROLE: 'all',
}).catch(async (error) => {
  await baseline.stop()
  throw error
})
const { paired, costs } = pairedSlices({
  slices: SECONDS,
  serverPid: Number(server.token),
  admin,
  database: DB_NAME,
})
const guard = <T>(step: Promise<T>): Promise<T> =>
  step.catch(async (error) => {
    await Promise.allSettled([baseline.stop(), server.stop()])
    throw error
  })

const plain = await measure('baseline: plain Fastify route', {
  url: `${baseline.url}/plain`,
  durationSeconds: 3,
})
const insertOptions: LoadOptions = {
  url: `${baseline.url}/insert`,
  method: 'POST',
  body: JSON.stringify({ title: '压测' }),
  connections: CONNECTIONS,
}
const selectOptions: LoadOptions = {
  url: baseline.url,
  connections: CONNECTIONS,
  requests: [
    {
      method: 'GET',
      setupRequest: (req) => ({ ...req, path: `/select/${1 + Math.floor(Math.random() * 10000)}` }),
    },
  ],
}

let key = 0
const [insertBaseline, submitted] = await guard(
  paired(
    'baseline: single-row INSERT',
    insertOptions,
    'POST /api/v1/cases (submission, new Idempotency-Key each)',
    (seconds) =>
      measure('POST /api/v1/cases (submission, new Idempotency-Key each)', {
        url: `${server.url}/api/v1/cases`,
        method: 'POST',
        connections: CONNECTIONS,
        durationSeconds: seconds,
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
  ),
)

// progress: a pool of real cases and their query codes
const pool: { caseNo: string; queryCode: string }[] = []
for (let i = 0; i < 500; i++) {
  const response = await fetch(`${server.url}/api/v1/cases`, {
    method: 'POST',
    headers: { ...citizen, 'idempotency-key': `bench-progress-${i}` },
    body: application,
  })
  pool.push((await response.json()) as { caseNo: string; queryCode: string })
}
let next = 0
const [selectBaseline, progress] = await guard(
  paired(
    'baseline: single-row SELECT',
    selectOptions,
    'POST /api/v1/progress (case number + query code in the body)',
    (seconds) =>
      measure('POST /api/v1/progress (case number + query code in the body)', {
        url: server.url,
        connections: CONNECTIONS,
        durationSeconds: seconds,
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
  ),
)

// complete lifecycles: each autocannon connection runs submit → accept → review → approve → complete in a
// loop, every request built from the answer before it (case id and version)
let completedLifecycles = 0
// per measured slice: lifecycle requests answered and lifecycles completed (a slice ends with up to one
// unfinished lifecycle per connection, whose requests cost CPU but complete nothing)
const lifecycleSlices: { requests: number; completed: number }[] = []
type LifecycleContext = { id?: string; version?: number }
const moves = [
  ['accept', 'clerk'],
  ['review', 'reviewer'],
  ['approve', 'approver'],
  ['complete', 'approver'],
] as const
const lifecycleRequests = [
  {
    method: 'POST' as const,
    path: '/api/v1/cases',
    setupRequest: (req: object) => ({
      ...req,
      body: application,
      headers: { ...citizen, 'idempotency-key': `bench-life-${process.pid}-${++key}` },
    }),
    onResponse: (status: number, body: string, context: LifecycleContext) => {
      if (status !== 201) return
      const answer = JSON.parse(body) as { id: string; version: number }
      context.id = answer.id
      context.version = answer.version
    },
  },
  ...moves.map(([move, who], i) => ({
    method: 'POST' as const,
    setupRequest: (req: object, context: LifecycleContext) =>
      context.id
        ? {
            ...req,
            path: `/api/v1/cases/${context.id}/${move}`,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${who}` },
            body: JSON.stringify({ version: context.version }),
          }
        : undefined,
    onResponse: (status: number, body: string, context: LifecycleContext) => {
      if (status !== 200) {
        context.id = undefined
        return
      }
      context.version = (JSON.parse(body) as { version: number }).version
      if (i === moves.length - 1) completedLifecycles += 1
    },
  })),
]
async function lifecycles(seconds: number): Promise<Measurement> {
  completedLifecycles = 0
  const requests = await measure('lifecycle requests', {
    url: server.url,
    connections: CONNECTIONS,
    durationSeconds: seconds,
    requests: lifecycleRequests as never,
  })
  lifecycleSlices.push({ requests: requests.requestsPerSecond * seconds, completed: completedLifecycles })
  return {
    ...requests,
    name: 'complete lifecycle (5 requests: submit, accept, review, approve, complete)',
    requestsPerSecond: completedLifecycles / seconds,
  }
}
const [insertBaseline2, lifecycle5] = await guard(
  paired(
    'baseline: single-row INSERT (alternating with lifecycles)',
    insertOptions,
    'complete lifecycle (5 requests: submit, accept, review, approve, complete)',
    lifecycles,
  ),
)
await baseline.stop()
await server.stop()
const benchDb = new pg.Client({ connectionString: url.toString() })
await benchDb.connect()
const backlog = await benchDb.query(
  `SELECT count(*) FILTER (WHERE published_at IS NULL) AS waiting, count(*) AS total FROM outbox`,
)
await benchDb.end()

const rows = [plain, selectBaseline, insertBaseline, insertBaseline2, submitted, progress, lifecycle5]
report('Cases (PostgreSQL)', rows, (row) =>
  row === progress
    ? selectBaseline
    : row === submitted
      ? insertBaseline
      : row === lifecycle5
        ? insertBaseline2
        : undefined,
)
console.log('| scenario | server CPU ms per unit | PostgreSQL CPU ms per unit | one server core sustains |')
console.log('|---|---:|---:|---:|')
for (const c of costs)
  console.log(
    `| ${c.name} | ${c.serverMs.toFixed(3)} | ${c.databaseMs.toFixed(3)} | ${Math.round(1000 / c.serverMs).toLocaleString('en-US')}/s |`,
  )
// the same CPU spread over every lifecycle request answered (5 of them make a lifecycle): unlike the
// per-lifecycle figure, not inflated by the unfinished lifecycles of each slice's end when few complete
const measuredSlices = lifecycleSlices.slice(-SECONDS)
const lifecycleCost = costs.find((c) => c.name.startsWith('complete lifecycle'))
if (lifecycleCost) {
  const requests = measuredSlices.reduce((sum, s) => sum + s.requests, 0)
  const completed = measuredSlices.reduce((sum, s) => sum + s.completed, 0)
  const perFive = (ms: number) => ((ms * completed) / requests) * 5
  console.log(
    `| lifecycle CPU per 5 lifecycle requests (${Math.round(requests)} requests, ${completed} lifecycles) | ${perFive(lifecycleCost.serverMs).toFixed(3)} | ${perFive(lifecycleCost.databaseMs).toFixed(3)} | |`,
  )
}
console.log(
  `\nprogress p99 ${progress.p99} ms; lifecycle = 5 requests (${Math.round(lifecycle5.requestsPerSecond * 5)} req/s)`,
)
console.log(
  `outbox events waiting for the relay at the end: ${backlog.rows[0]?.waiting} of ${backlog.rows[0]?.total}`,
)
console.log(`load average (1, 5, 15 min): ${loadAtStart} at start, ${loadAverage()} at the end\n`)
await admin.end()
