import os from 'node:os'
import autocannon from 'autocannon'
import { freshDatabase, type Measurement, report, startProcess, tempDataDir } from './harness.ts'

const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const supply = Number(process.env.BENCH_CODES ?? 600 * seconds)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50)

/** Sends requests for BENCH_SECONDS (or `amount` requests) and summarizes them, with the exact count. */
async function load(
  name: string,
  options: {
    url: string
    headers?: Record<string, string>
    amount?: number
    requests?: autocannon.Request[]
  },
): Promise<Measurement & { total: number }> {
  const result = await autocannon({
    url: options.url,
    connections,
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.amount ? { amount: options.amount } : { duration: seconds }),
    ...(options.requests ? { requests: options.requests } : {}),
  })
  const latency = result.latency as unknown as Record<string, number>
  return {
    name,
    requestsPerSecond: result.requests.total / (result.duration || 1),
    p50: latency.p50 ?? 0,
    p95: latency.p97_5 ?? latency.p90,
    p99: latency.p99 ?? 0,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  }
}

/** Exchanges every code once, as fast as the server answers; throughput is codes ÷ elapsed time. */
function exchangeAll(url: string, codes: string[], verifier: string) {
  const redirectUri = `${url}/auth/callback`
  let next = 0
  return load(`POST /oidc/token (authorization_code + PKCE), ${codes.length} codes`, {
    url: `${url}/oidc/token`,
    amount: codes.length,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({
          ...request,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code: codes[next++ % codes.length] ?? '',
            redirect_uri: redirectUri,
            client_id: 'tongban-web',
            code_verifier: verifier,
          }).toString(),
        }),
      },
    ],
  })
}

/** The server's CPU time (µs) spent on a scenario, per request: what the machine's load inflates least. */
const cpuPerRequest = new Map<Measurement, number>()
async function withCpu(url: string, run: () => Promise<Measurement & { total: number }>) {
  const cpu = async () => ((await (await fetch(`${url}/bench/cpu`)).json()) as { micros: number }).micros
  const before = await cpu()
  const measurement = await run()
  cpuPerRequest.set(measurement, ((await cpu()) - before) / Math.max(1, measurement.total))
  return measurement
}

const database = await freshDatabase('sso')
const dataDir = await tempDataDir()
const port = 3400 + (process.pid % 500)
const server = await startProcess('bench/sso.server.ts', {
  DATA_DIR: dataDir,
  PORT: String(port),
  HOST: '127.0.0.1',
  ...(database.url ? { DATABASE_URL: database.url } : { DATABASE_URL: '' }),
  // BENCH_PROFILE=<dir>: the server writes a V8 CPU profile there when it stops (what node --cpu-prof
  // writes; open it in Chrome DevTools), through node:inspector since NODE_OPTIONS refuses --cpu-prof
  ...(process.env.BENCH_PROFILE ? { BENCH_PROFILE: process.env.BENCH_PROFILE } : {}),
})
try {
  const token = server.token
  if (!token) throw new Error('the bench server printed no access token')
  const only = process.env.BENCH_ONLY
  const skip: Measurement = { name: 'skipped', requestsPerSecond: 0, p50: 0, p99: 0, errors: 0, non2xx: 0 }
  const routes = only !== 'exchanges'
  // the two routes alternate for BENCH_ROUNDS rounds and each reports its median round: on a machine shared
  // with other work, one pair measured back to back can differ by ±30% from noise alone
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
  const publicRuns: Measurement[] = []
  const authenticatedRuns: Measurement[] = []
  for (let round = 0; routes && round < rounds; round++) {
    publicRuns.push(
      await withCpu(server.url, () =>
        load('GET /bench/public (publicAccess, no token)', { url: `${server.url}/bench/public` }),
      ),
    )
    authenticatedRuns.push(
      await withCpu(server.url, () =>
        load('GET /bench/authenticated (authenticated, bearer JWT)', {
          url: `${server.url}/bench/authenticated`,
          headers: { authorization: `Bearer ${token}` },
        }),
      ),
    )
  }
  const median = (runs: Measurement[]) =>
    runs.length === 0
      ? skip
      : ([...runs].sort((x, y) => x.requestsPerSecond - y.requestsPerSecond)[runs.length >> 1] ?? skip)
  const publicRoute = median(publicRuns)
  const authenticatedRoute = median(authenticatedRuns)
  if (routes)
    console.log(
      `rounds (public / authenticated req/s): ${publicRuns
        .map(
          (run, i) =>
            `${Math.round(run.requestsPerSecond)} / ${Math.round(authenticatedRuns[i]?.requestsPerSecond ?? 0)}`,
        )
        .join(', ')}`,
    )
  let exchanges = skip
  if (only !== 'routes') {
    const minted = await fetch(`${server.url}/bench/codes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ n: supply }),
    })
    const { codes, verifier } = (await minted.json()) as { codes: string[]; verifier: string }
    exchanges = await withCpu(server.url, () => exchangeAll(server.url, codes, verifier))
  }
  const cpu = (row: Measurement) => cpuPerRequest.get(row) ?? 0
  const mean = (runs: Measurement[]) =>
    runs.reduce((sum, run) => sum + cpu(run), 0) / Math.max(1, runs.length)
  if (routes) {
    const [pub, auth] = [mean(publicRuns), mean(authenticatedRuns)]
    console.log(
      `server CPU per request, mean of ${rounds} rounds: public ${pub.toFixed(0)} µs, authenticated ${auth.toFixed(0)} µs` +
        ` → the authenticated route needs ${((auth / pub - 1) * 100).toFixed(1)}% more CPU (one core: ${Math.round(1e6 / pub)} vs ${Math.round(1e6 / auth)} req/s)`,
    )
  }
  if (exchanges !== skip)
    console.log(
      `server CPU per code exchange: ${(cpu(exchanges) / 1000).toFixed(2)} ms → one core saturated: ≈ ${Math.round(1e6 / cpu(exchanges))} exchanges/s (PostgreSQL's own CPU not included)`,
    )
  report(
    `SSO (${database.url ? 'PostgreSQL' : 'PGlite'}), ${connections} connections, load average ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')} at the end`,
    [publicRoute, authenticatedRoute, exchanges].filter((row) => row !== skip),
    (row) => (row === authenticatedRoute ? publicRoute : undefined),
  )
} finally {
  await server.stop()
  await database.drop()
}
