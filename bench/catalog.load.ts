/** Load generators and CPU accounting of the catalog bench (bench/catalog.ts). */
import fs from 'node:fs'
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import type { Measurement } from './harness.ts'

/** Kernel clock ticks per second (USER_HZ), 100 on Linux. */
const CLOCK_TICKS = 100

/** The part of autocannon this file uses (loaded untyped: the package ships no declarations). */
type Autocannon = (options: Record<string, unknown>) => PromiseLike<{
  requests: { average: number }
  errors: number
  timeouts: number
  non2xx: number
}> & {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void
}
const autocannon = (await import('autocannon' as string)).default as Autocannon
/** A request as autocannon hands it to `setupRequest`. */
type RequestOptions = Record<string, unknown>

/**
 * CPU time (ms) used so far by each catalog server process (this process's child running bench/catalog.server.ts)
 * and each PostgreSQL backend connected to the bench database, by pid. Linux /proc, same host only;
 * undefined elsewhere.
 */
export async function cpuTimes(url: string): Promise<Map<number, number> | undefined> {
  const ticksOf = (pid: number) => {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
    } catch {
      return 0
    }
  }
  try {
    const children = fs
      .readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number)
      .filter((pid) => {
        try {
          const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
          const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')
          return Number(stat[1]) === process.pid && cmdline.includes('bench/catalog.server.ts')
        } catch {
          return false
        }
      })
    if (children.length === 0) return undefined
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    const backends = (
      await client.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      )
    ).rows.map((r) => r.pid)
    await client.end()
    // server processes as negative keys, so that the two kinds of pid never mix
    return new Map([
      ...children.map((pid): [number, number] => [-pid, ticksOf(pid)]),
      ...backends.map((pid): [number, number] => [pid, ticksOf(pid)]),
    ])
  } catch {
    return undefined
  }
}

/**
 * CPU used between two snapshots, server and database apart. A backend that closed in between (the pool
 * drops idle connections) is not counted: it was idle.
 */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>) {
  let server = 0
  let database = 0
  for (const [pid, ms] of after) {
    const used = ms - (before.get(pid) ?? 0)
    if (pid < 0) server += used
    else database += used
  }
  return { server, database }
}

/**
 * Requests sent at a constant rate, evenly spaced, whatever the answers (open loop; autocannon's
 * `overallRate` sends each connection's per-second budget in a burst at the start of each second, which
 * measures bursts, not a rate). Latency counts from when a request was due, so a server falling behind
 * shows it (no coordinated omission).
 */
export async function paced(
  name: string,
  base: string,
  path: () => string,
  seconds: number,
  rate: number,
): Promise<Measurement> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })
  const total = Math.round(rate * seconds)
  const times: number[] = []
  let errors = 0
  let non2xx = 0
  let sent = 0
  let done = 0
  const start = performance.now()
  let end = start
  await new Promise<void>((resolve) => {
    const finished = () => {
      done += 1
      end = performance.now()
      if (done === total) resolve()
    }
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1)
      while (sent < due) {
        const scheduled = start + (sent * 1000) / rate
        sent += 1
        const request = http.get(`${base}${path()}`, { agent }, (response) => {
          response.resume()
          response.on('end', () => {
            times.push(performance.now() - scheduled)
            if ((response.statusCode ?? 0) >= 300) non2xx += 1
            finished()
          })
        })
        request.on('error', () => {
          errors += 1
          finished()
        })
      }
      if (sent < total) setTimeout(tick, 1)
    }
    tick()
  })
  agent.destroy()
  times.sort((a, b) => a - b)
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))] ?? 0
  return {
    name,
    requestsPerSecond: (total * 1000) / (end - start),
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    errors,
    non2xx,
  }
}

/** A load run with exact percentiles from every response time (autocannon reports p90 and p97.5 only). */
export async function run(
  name: string,
  base: string,
  path: () => string,
  seconds: number,
  connections: number,
): Promise<Measurement> {
  const times: number[] = []
  const instance = autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [{ setupRequest: (r: RequestOptions) => ({ ...r, path: path() }) }],
  })
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    times.push(responseTime)
  })
  const result = await instance
  times.sort((a, b) => a - b)
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))] ?? 0
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }
}
