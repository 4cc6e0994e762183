import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import pg from 'pg'

/** One measured scenario. */
export interface Measurement {
  name: string
  requestsPerSecond: number
  p50: number
  p95?: number
  p99: number
  errors: number
  non2xx: number
}

export interface LoadOptions {
  url: string
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH'
  headers?: Record<string, string>
  body?: string
  /** Requests generated per request, for scenarios that vary the path or body. */
  requests?: autocannon.Request[]
  connections?: number
  durationSeconds?: number
}

/** Runs autocannon against one URL and summarizes throughput and latency. */
export async function measure(name: string, options: LoadOptions): Promise<Measurement> {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.body ? { body: options.body } : {}),
    ...(options.requests ? { requests: options.requests } : {}),
    connections: options.connections ?? 50,
    duration: options.durationSeconds ?? Number(process.env.BENCH_SECONDS ?? 10),
  })
  const latency = result.latency as unknown as Record<string, number>
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50: latency.p50 ?? 0,
    p95: latency.p97_5 ?? latency.p90,
    p99: latency.p99 ?? 0,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }
}

/** A server started as a child process for the duration of a benchmark. */
export interface BenchProcess {
  url: string
  /** What the process printed as `token <value>`, if anything. */
  token: string | undefined
  stop(): Promise<void>
}

/**
 * Starts a TypeScript entry point under tsx in its own process (so the load generator does not share its
 * event loop) and waits for the line `listening <url>` on its stdout.
 */
export async function startProcess(entry: string, env: Record<string, string> = {}): Promise<BenchProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry], {
    // benches connect as the database superuser they create their databases with
    env: {
      ...process.env,
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: '0',
      DATABASE_SINGLE_ROLE: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let buffer = ''
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const match = /listening (\S+)/.exec(buffer)
      if (match?.[1]) resolve(match[1])
    })
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before listening`)))
  })
  return {
    url,
    token: /token (\S+)/.exec(buffer)?.[1],
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

/**
 * A fresh PostgreSQL database next to DATABASE_URL's (so a run never migrates or fills the database the
 * URL names), or nothing for the embedded engine. `drop` removes it after the run.
 */
export async function freshDatabase(
  purpose: string,
): Promise<{ url: string | undefined; drop(): Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL
  if (!adminUrl) return { url: undefined, drop: async () => {} }
  const name = `tongban_bench_${purpose}_${randomBytes(4).toString('hex')}`
  const run = async (statement: string) => {
    const admin = new pg.Client({ connectionString: adminUrl })
    await admin.connect()
    await admin.query(statement)
    await admin.end()
  }
  await run(`CREATE DATABASE ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
}

/** A fresh data directory for an embedded-database benchmark run. */
export async function tempDataDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'tongban-bench-'))
}

/** Prints measurements as a Markdown table with the ratio of each to the named baseline. */
export function report(
  title: string,
  rows: Measurement[],
  baselineOf: (row: Measurement) => Measurement | undefined,
): string {
  const lines = [
    `### ${title}`,
    '',
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | vs baseline | errors |',
    '|---|---:|---:|---:|---|---:|',
  ]
  for (const row of rows) {
    const baseline = baselineOf(row)
    const ratio =
      baseline && baseline !== row
        ? `${((row.requestsPerSecond / baseline.requestsPerSecond) * 100).toFixed(0)}% of ${baseline.name}`
        : '—'
    lines.push(
      `| ${row.name} | ${Math.round(row.requestsPerSecond).toLocaleString('en-US')} | ${row.p50} | ${row.p99} | ${ratio} | ${row.errors + row.non2xx} |`,
    )
  }
  const text = lines.join('\n')
  console.log(`\n${text}\n`)
  return text
}

/** The 1-, 5- and 15-minute load averages, as reports print them. */
export const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')

/** CPU seconds (user + system) used so far by a process, or 0 once it is gone (Linux /proc). */
export async function cpuSecondsOf(pid: number): Promise<number> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100 // utime + stime, in USER_HZ (100 on Linux)
  } catch {
    return 0
  }
}

/** CPU seconds per PostgreSQL backend connected to one database, read through an admin connection. */
async function backendCpu(admin: pg.Client, database: string): Promise<Map<number, number>> {
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
    database,
  ])
  return new Map(await Promise.all(rows.map(async (r) => [r.pid, await cpuSecondsOf(r.pid)] as const)))
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

/** Slices of one scenario as one measurement: mean req/s, median of the p50s and p99s, errors summed. */
function combineSlices(name: string, slices: Measurement[]): Measurement {
  return {
    name,
    requestsPerSecond: slices.reduce((sum, m) => sum + m.requestsPerSecond, 0) / slices.length,
    p50: median(slices.map((m) => m.p50)),
    p99: median(slices.map((m) => m.p99)),
    errors: slices.reduce((sum, m) => sum + m.errors, 0),
    non2xx: slices.reduce((sum, m) => sum + m.non2xx, 0),
  }
}

/** What a paired scenario cost per unit (request, or whatever its slices count) in CPU milliseconds. */
export interface SliceCost {
  name: string
  units: number
  serverMs: number
  databaseMs: number
  loadGeneratorMs: number
  /** The p99 of each measured slice, ms. */
  p99s: number[]
}

/**
 * Pairs scenarios with their baselines for one bench run. `paired` measures a scenario against its
 * baseline in alternating 1-second slices, after one unmeasured second of each (JIT warm-up, pools
 * filled), so that load from other work on a shared machine hits both alike, and records in `costs` what
 * the scenario's slices cost per unit in CPU: in the server process, in the PostgreSQL backends of the
 * bench database and in the load generator (this process). On a shared machine the CPU per unit is the
 * steadier measure of the code; throughput says how busy the machine was.
 */
export function pairedSlices(run: {
  /** Measured slices per scenario. */
  slices: number
  serverPid: number
  /** A connection to the PostgreSQL server, and the bench database whose backends are counted. */
  admin: pg.Client
  database: string
}) {
  const costs: SliceCost[] = []
  const paired = async (
    baselineName: string,
    baselineLoad: LoadOptions,
    name: string,
    /** Runs one slice of the scenario for `seconds` and measures it. */
    slice: (seconds: number) => Promise<Measurement>,
  ): Promise<[Measurement, Measurement]> => {
    console.error(`measuring: ${name}`)
    const baselineSlices: Measurement[] = []
    const slices: Measurement[] = []
    let server = 0
    let database = 0
    let client = 0
    let units = 0
    await measure(baselineName, { ...baselineLoad, durationSeconds: 1 })
    await slice(1)
    for (let round = 0; round < run.slices; round += 1) {
      baselineSlices.push(await measure(baselineName, { ...baselineLoad, durationSeconds: 1 }))
      const server0 = await cpuSecondsOf(run.serverPid)
      const db0 = await backendCpu(run.admin, run.database)
      const client0 = process.cpuUsage()
      const measured = await slice(1)
      const used = process.cpuUsage(client0)
      client += (used.user + used.system) / 1e6
      server += (await cpuSecondsOf(run.serverPid)) - server0
      for (const [pid, after] of await backendCpu(run.admin, run.database))
        database += after - (db0.get(pid) ?? 0)
      units += measured.requestsPerSecond
      slices.push(measured)
    }
    costs.push({
      name,
      units,
      serverMs: (server * 1000) / units,
      databaseMs: (database * 1000) / units,
      loadGeneratorMs: (client * 1000) / units,
      p99s: slices.map((m) => m.p99),
    })
    return [combineSlices(baselineName, baselineSlices), combineSlices(name, slices)]
  }
  return { paired, costs }
}
