/**
 * Catalog benchmark: a generated catalog of 1,000,000 implementation entries over every county of the
 * country, then search latency/throughput and guide fetch throughput over HTTP, next to the baselines.
 *
 * Run (PostgreSQL only; uses the database `tongban_bench_catalog` on that server):
 *   BENCH_SECONDS=5 DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/catalog.ts
 * Options: BENCH_IMPLEMENTATIONS (default 1000000), BENCH_SECONDS (default 10), BENCH_REGENERATE=1
 * (rebuild the database even when a matching generated one exists; by default it is kept and reused).
 */
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { listRegions } from '@tongban/standards'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import type { Database } from '../apps/server/src/platform/db/schema.ts'
import { generate } from './catalog.generate.ts'
import { cpuBetween, cpuTimes, paced, run } from './catalog.load.ts'
import { type Measurement, measure, startProcess } from './harness.ts'

const DB_NAME = 'tongban_bench_catalog'
/** Bump when what `generate` writes, or the schema it writes to, changes: older databases are rebuilt. */
const GENERATOR = 2

await main()

interface GeneratedMeta {
  generator: number
  target: number
  implementations: number
  seconds: number
}

/** What a previous run generated in the database, if it finished. */
async function generatedMeta(url: string): Promise<GeneratedMeta | undefined> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const result = await client.query<GeneratedMeta>(
      'SELECT generator, target, implementations, seconds::float8 AS seconds FROM bench_catalog_meta',
    )
    return result.rows[0]
  } catch {
    return undefined
  } finally {
    await client.end()
  }
}

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL
  if (!adminUrl) throw new Error('DATABASE_URL (a PostgreSQL server) is required')
  const target = Number(process.env.BENCH_IMPLEMENTATIONS ?? 1_000_000)
  const url = new URL(adminUrl)
  url.pathname = `/${DB_NAME}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME])).rowCount
  const meta = exists ? await generatedMeta(url.toString()) : undefined
  const reuse =
    process.env.BENCH_REGENERATE !== '1' && meta?.generator === GENERATOR && meta.target === target
  if (!reuse) {
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`)
    await admin.query(`CREATE DATABASE ${DB_NAME}`)
  }
  await admin.end()
  console.log(
    `load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  )

  const env = {
    DATABASE_URL: url.toString(),
    SEED_DEMO: reuse ? 'false' : 'true',
  }
  // the first start migrates and loads the demo catalog (real guides and forms) that the generator copies
  let started = performance.now()
  let server = await startProcess('bench/catalog.server.ts', env)
  if (reuse) {
    console.log(
      `reusing the generated database (${meta.implementations.toLocaleString('en-US')} implementations, generated in ${meta.seconds.toFixed(0)} s; BENCH_REGENERATE=1 rebuilds it)`,
    )
  } else {
    console.log(`server up with demo catalog in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    started = performance.now()
    const generated = await generate(url.toString(), target)
    const seconds = (performance.now() - started) / 1000
    console.log(`generated ${generated.toLocaleString('en-US')} implementations in ${seconds.toFixed(0)} s`)
    const client = new pg.Client({ connectionString: url.toString() })
    await client.connect()
    await client.query(
      `CREATE TABLE bench_catalog_meta (generator integer, target integer, implementations integer, seconds numeric)`,
    )
    await client.query('INSERT INTO bench_catalog_meta VALUES ($1, $2, $3, $4)', [
      GENERATOR,
      target,
      generated,
      seconds,
    ])
    await client.end()
    // restart so that the server starts with empty caches on the generated data
    await server.stop()
    server = await startProcess('bench/catalog.server.ts', { ...env, SEED_DEMO: 'false' })
  }
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), max: 2 }) }),
  })
  const countOf = async (table: string) =>
    Number(
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db)).rows[0]?.n,
    )
  const total = await countOf('catalog_implementations')
  console.log(
    `catalog: ${total.toLocaleString('en-US')} implementations, ${(await countOf('catalog_search')).toLocaleString('en-US')} searchable, ${await countOf('catalog_search_texts')} distinct search texts, ${(await countOf('catalog_search_departments')).toLocaleString('en-US')} departments`,
  )

  const counties = listRegions()
    .filter((r) => r.level === 'county')
    .map((r) => r.code)
  const queries = [
    '公积金提取',
    '身份证',
    '营业执照',
    '社保卡',
    '出生',
    '结婚登记',
    '食品经营许可',
    '不动产登记',
    '居民身份证换岭',
    '失业金',
    '护照',
    '施工许可',
    '低保',
    '教师资格',
    '驾驶证换证',
    '异地就医',
  ]
  const guideIds = (
    await sql<{
      id: string
    }>`SELECT implementation_id AS id FROM catalog_guide_versions ORDER BY implementation_id LIMIT 5000`.execute(
      db,
    )
  ).rows.map((r) => r.id)
  await db.destroy()

  const seconds = Number(process.env.BENCH_SECONDS ?? 10)
  let i = 0
  const searchPath = () => {
    i += 1
    const q = queries[i % queries.length]!
    const region = counties[(i * 7919) % counties.length]!
    return `/api/v1/catalog/search?q=${encodeURIComponent(q)}&region=${region}`
  }
  let g = 0
  const guidePath = () => `/api/v1/catalog/implementations/${guideIds[g++ % guideIds.length]}/guide`

  const baseline = await startProcess('bench/servers/baseline.ts', { DATABASE_URL: url.toString() })
  const rows: Measurement[] = []
  let cpuPerSearch: { server: number; database: number } | undefined
  try {
    rows.push(
      await measure('baseline: plain Fastify route', {
        url: `${baseline.url}/plain`,
        durationSeconds: seconds,
      }),
    )
    let n = 0
    rows.push(
      await measure('baseline: single-row PK SELECT', {
        url: baseline.url,
        requests: [{ setupRequest: (r) => ({ ...r, path: `/select/${(n++ % 10_000) + 1}` }) }],
        durationSeconds: seconds,
      }),
    )
    // warm the guide cache with one pass, as a running portal would be
    for (let k = 0; k < guideIds.length; k += 50)
      await Promise.all(
        guideIds
          .slice(k, k + 50)
          .map((id) =>
            fetch(`${server.url}/api/v1/catalog/implementations/${id}/guide`).then((r) => r.arrayBuffer()),
          ),
      )
    rows.push(
      await run(
        `guide fetch (${guideIds.length.toLocaleString('en-US')} guides, cached, 50 connections)`,
        server.url,
        guidePath,
        seconds,
        50,
      ),
    )
    rows.push(
      await run(
        'search in a county, first run: new connections, per-query caches empty (20 connections)',
        server.url,
        searchPath,
        seconds,
        20,
      ),
    )
    rows.push(
      await run('search in a county, max throughput (20 connections)', server.url, searchPath, seconds, 20),
    )
    // the open-loop client's own floor on this machine, for reading the next row
    rows.push(
      await paced(
        'baseline: plain route at a constant 500/s (open loop)',
        `${baseline.url}/plain`,
        () => '',
        seconds,
        500,
      ),
    )
    const cpuBefore = await cpuTimes(url.toString())
    rows.push(
      await paced('search in a county at a constant 500/s (open loop)', server.url, searchPath, seconds, 500),
    )
    const cpuAfter = await cpuTimes(url.toString())
    if (cpuBefore && cpuAfter) {
      const searches = Math.round(500 * seconds)
      const used = cpuBetween(cpuBefore, cpuAfter)
      cpuPerSearch = { server: used.server / searches, database: used.database / searches }
    }
    rows.push(
      await run(
        'search without region filter, whole country (10 connections)',
        server.url,
        () => `/api/v1/catalog/search?q=${encodeURIComponent(queries[i++ % queries.length]!)}`,
        seconds,
        10,
      ),
    )
  } finally {
    await baseline.stop()
    await server.stop()
  }
  const plain = rows[0]!
  const select = rows[1]!
  const lines = [
    `### Catalog (${total.toLocaleString('en-US')} implementations)`,
    '',
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load average at the end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    '',
    '| scenario | req/s | p50 ms | p95 ms | p99 ms | vs plain route | vs PK SELECT | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ]
  const ratio = (row: Measurement, base: Measurement) =>
    row === base ? '—' : `${((row.requestsPerSecond / base.requestsPerSecond) * 100).toFixed(0)}%`
  for (const row of rows)
    lines.push(
      `| ${row.name} | ${Math.round(row.requestsPerSecond).toLocaleString('en-US')} | ${row.p50.toFixed(1)} | ${row.p95?.toFixed(1) ?? '—'} | ${row.p99.toFixed(1)} | ${ratio(row, plain)} | ${ratio(row, select)} | ${row.errors + row.non2xx} |`,
    )
  console.log(`\n${lines.join('\n')}\n`)
  console.log('(baseline p95 columns are autocannon’s p97.5; the others are exact, from every response time)')
  if (cpuPerSearch)
    console.log(
      `CPU per search during the constant-rate run: server process ${cpuPerSearch.server.toFixed(2)} ms, PostgreSQL backends ${cpuPerSearch.database.toFixed(2)} ms (independent of other load, unlike the rates above)`,
    )
}
