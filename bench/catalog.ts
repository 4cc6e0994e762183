/**
 * Catalog benchmark: a generated catalog of 1,000,000 implementation entries over every county of the
 * country, then search latency/throughput and guide fetch throughput over HTTP, next to the baselines.
 *
 * Run (PostgreSQL only; uses the database `tongban_bench_catalog` on that server):
 *   BENCH_SECONDS=5 DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/catalog.ts
 * Options: BENCH_IMPLEMENTATIONS (default 1000000), BENCH_SECONDS (default 10), BENCH_REGENERATE=1
 * (rebuild the database even when a matching generated one exists; by default it is kept and reused).
 */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { DEPARTMENT_KINDS, type GuideContent } from '@tongban/contracts'
import { listRegions } from '@tongban/standards'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { CatalogRepository } from '../apps/server/src/modules/catalog/catalog.repository.ts'
import { departmentTokens, searchDocument } from '../apps/server/src/modules/catalog/index.ts'
import type { Database } from '../apps/server/src/platform/db/schema.ts'
import { type Measurement, measure, startProcess } from './harness.ts'

const DB_NAME = 'tongban_bench_catalog'
/** Kernel clock ticks per second (USER_HZ), 100 on Linux. */
const CLOCK_TICKS = 100
/** Bump when what `generate` writes, or the schema it writes to, changes: older databases are rebuilt. */
const GENERATOR = 2

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

/** Department names of the generated counties, by kind: `<county><name>` and a short `<county><short>`. */
const DEPARTMENT_NAMES: Partial<Record<keyof typeof DEPARTMENT_KINDS, [string, string]>> = {
  government_services: ['政务服务中心', '政务中心'],
  market_regulation: ['市场监督管理局', '市场监管局'],
  public_security: ['公安局', '公安局'],
  human_resources: ['人力资源和社会保障局', '人社局'],
  health: ['卫生健康局', '卫健局'],
  medical_insurance: ['医疗保障局', '医保局'],
  civil_affairs: ['民政局', '民政局'],
  taxation: ['税务局', '税务局'],
  housing: ['住房和城乡建设局', '住建局'],
  housing_fund: ['住房公积金管理中心', '公积金中心'],
  natural_resources: ['自然资源和规划局', '自然资源局'],
  education: ['教育局', '教育局'],
  transport: ['交通运输局', '交通局'],
  ecology: ['生态环境分局', '环保分局'],
  disabled_persons: ['残疾人联合会', '残联'],
}

// ------------------------------------------------------------------------------------------ server mode
if (process.env.CATALOG_BENCH_ROLE === 'serve') {
  const { startServer } = await import('../apps/server/src/main.ts')
  const { loadConfig } = await import('../apps/server/src/platform/config.ts')
  const { orgModule } = await import('../apps/server/src/modules/org/index.ts')
  const { catalogModule } = await import('../apps/server/src/modules/catalog/index.ts')
  const server = await startServer(loadConfig({ ...process.env, PORT: '0', ROLE: 'api' }), {
    modules: [orgModule, catalogModule],
  })
  console.log(`listening ${server.url}`)
  process.once('SIGTERM', () => server.close().then(() => process.exit(0)))
} else {
  await main()
}

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
    CATALOG_BENCH_ROLE: 'serve',
  }
  // the first start migrates and loads the demo catalog (real guides and forms) that the generator copies
  let started = performance.now()
  let server = await startProcess('bench/catalog.ts', env)
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
    server = await startProcess('bench/catalog.ts', { ...env, SEED_DEMO: 'false' })
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

/**
 * CPU time (ms) used so far by each catalog server process (this process's child running bench/catalog.ts)
 * and each PostgreSQL backend connected to the bench database, by pid. Linux /proc, same host only;
 * undefined elsewhere.
 */
async function cpuTimes(url: string): Promise<Map<number, number> | undefined> {
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
          return Number(stat[1]) === process.pid && cmdline.includes('bench/catalog.ts')
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
function cpuBetween(before: Map<number, number>, after: Map<number, number>) {
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
async function paced(
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
async function run(
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

/**
 * Generates the catalog, set-based where it can: 6 business variants (新办, 变更, 延续 …) of every demo
 * item as base items; a department of every needed kind in every county, named as real ones are;
 * `target` implementations spread evenly over the counties, each county's rows together; the search data
 * — one text per base item written by the service's own repository from `searchDocument` (as a
 * publication does), every department's terms from `departmentTokens`, and a search row per
 * implementation; and published guide versions (copied from the demo guide of the same item) for 50,000
 * of them. Foreign keys are not re-checked row by row while loading (session_replication_role).
 */
async function generate(url: string, target: number): Promise<number> {
  // one connection: the session settings below must hold for every statement
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
  })
  const t = (label: string, since: number) =>
    console.log(`  ${label}: ${((performance.now() - since) / 1000).toFixed(1)} s`)
  try {
    await sql`SET maintenance_work_mem = '512MB'`.execute(db)
    await sql`SET session_replication_role = replica`.execute(db)
    let since = performance.now()
    await sql`
      INSERT INTO catalog_items (code, name, type, legal_basis, department_kind, levels, audience, themes, keywords, description)
      SELECT i.code || 'V' || v.n, i.name || '（' || v.label || '）', i.type, i.legal_basis, i.department_kind, ARRAY['county'],
        i.audience, i.themes, i.keywords, i.description
      FROM catalog_items i CROSS JOIN (VALUES (1, '新办'), (2, '变更'), (3, '延续'), (4, '注销'), (5, '补办'), (6, '信息查询')) v(n, label)
      WHERE i.code !~ 'V'`.execute(db)
    const counties = listRegions().filter((r) => r.level === 'county')
    const items = await db
      .selectFrom('catalog_items')
      .select(['id', 'code', 'name', 'department_kind'])
      .where('code', '~', 'V')
      .orderBy('code')
      .execute()
    const perCounty = Math.ceil(target / counties.length)
    if (perCounty > items.length) throw new Error(`at most ${items.length * counties.length} implementations`)
    const kinds = [...new Set(items.map((i) => i.department_kind))].sort().map((kind, n) => {
      const [title, short] = DEPARTMENT_NAMES[kind as keyof typeof DEPARTMENT_KINDS] ?? [
        `${DEPARTMENT_KINDS[kind as keyof typeof DEPARTMENT_KINDS]?.zh ?? kind}局`,
        `${DEPARTMENT_KINDS[kind as keyof typeof DEPARTMENT_KINDS]?.zh ?? kind}局`,
      ]
      return { kind, title, short, n: n + 1 }
    })
    await sql`
      INSERT INTO departments (region_code, name, short_name, kind, uscc)
      SELECT r.code, r.name || k.title, left(r.name, 3) || k.short, k.kind, 'BENCH' || r.code || lpad(k.n::text, 2, '0')
      FROM regions r CROSS JOIN jsonb_to_recordset(${JSON.stringify(kinds)}::jsonb) AS k(kind text, title text, short text, n int)
      WHERE r.level = 'county' AND r.source = 'gb2260'`.execute(db)
    t('items and departments', since)

    since = performance.now()
    // every county gets the first `perCounty` variants in a county-specific rotation, so all items occur
    await sql`
      INSERT INTO catalog_implementations (item_id, region_code, department_id, code, name, type, legal_basis, origin, published_version)
      SELECT i.id, d.region_code, d.id, i.code, i.name, i.type, i.legal_basis, 'bench', 1
      FROM (SELECT code, row_number() OVER (ORDER BY code) AS n FROM regions WHERE level = 'county' AND source = 'gb2260') c
      JOIN (SELECT id, code, name, type, legal_basis, department_kind, row_number() OVER (ORDER BY code) - 1 AS n FROM catalog_items WHERE code ~ 'V') i
        ON ((i.n + c.n * 37) % ${items.length}) < ${perCounty}
      JOIN departments d ON d.region_code = c.code AND d.kind = i.department_kind AND d.uscc LIKE 'BENCH%'
      ORDER BY c.code, i.code`.execute(db)
    t('implementations', since)

    since = performance.now()
    const departments = await db
      .selectFrom('departments')
      .select(['id', 'region_code', 'name', 'short_name'])
      .where('uscc', 'like', 'BENCH%')
      .execute()
    for (let k = 0; k < departments.length; k += 2_000) {
      const batch = departments
        .slice(k, k + 2_000)
        .map((d) => ({ id: d.id, region: d.region_code, c: departmentTokens(d) }))
      await sql`
        INSERT INTO catalog_search_departments (department_id, region_code, document)
        SELECT b.id, b.region, setweight(to_tsvector('simple', b.c), 'C')
        FROM jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) AS b(id uuid, region text, c text)`.execute(
        db,
      )
    }
    t(`search terms of ${departments.length.toLocaleString('en-US')} departments`, since)

    since = performance.now()
    // one implementation per base item goes through the repository, as a publication would; its text is
    // then every implementation's of that item
    const full = await db.selectFrom('catalog_items').selectAll().where('code', '~', 'V').execute()
    const templates = await sql<{ code: string; content: GuideContent }>`
      SELECT DISTINCT ON (i.code) i.code, v.content FROM catalog_guide_versions v
      JOIN catalog_implementations m ON m.id = v.implementation_id JOIN catalog_items i ON i.id = m.item_id
      ORDER BY i.code, v.version DESC`.execute(db)
    const templateOf = new Map(templates.rows.map((r) => [r.code, r.content]))
    const representatives = new Map(
      (
        await sql<{ item_id: string; id: string; region_code: string; department_id: string }>`
          SELECT DISTINCT ON (m.item_id) m.item_id, m.id, m.region_code, m.department_id
          FROM catalog_implementations m WHERE m.origin = 'bench' ORDER BY m.item_id, m.region_code`.execute(
          db,
        )
      ).rows.map((r) => [r.item_id, r]),
    )
    const departmentOf = new Map(departments.map((d) => [d.id, d]))
    const repository = new CatalogRepository(db)
    const texts: { item_id: string; text_id: string; visits: number; depth: number }[] = []
    for (const item of full) {
      const representative = representatives.get(item.id)
      if (!representative) continue
      const content = templateOf.get(item.code.split('V')[0]!)!
      const document = searchDocument(
        {
          id: representative.id,
          item_id: item.id,
          item_code: item.code,
          region_code: representative.region_code,
          department_id: representative.department_id,
          code: item.code,
          name: item.name,
          type: item.type,
          legal_basis: item.legal_basis,
          local_notes: '',
          status: 'active',
          origin: 'bench',
          published_version: 1,
          version: 1,
        },
        item,
        departmentOf.get(representative.department_id),
        content,
        1,
      )
      const written = await repository.upsertSearchDocument(db, document)
      texts.push({
        item_id: item.id,
        text_id: written.textId,
        visits: content.visits,
        depth: content.onlineDepth,
      })
    }
    await sql`
      INSERT INTO catalog_search (implementation_id, item_code, region_code, department_id, name, audience, themes,
        visits, online_depth, version, text_id, popularity)
      SELECT m.id, m.code, m.region_code, m.department_id, m.name, i.audience, i.themes, t.visits, t.depth, 1, t.text_id,
        abs(hashtext(m.id::text)) % 1000
      FROM catalog_implementations m JOIN catalog_items i ON i.id = m.item_id
      JOIN jsonb_to_recordset(${JSON.stringify(texts)}::jsonb) AS t(item_id uuid, text_id text, visits int, depth int)
        ON t.item_id = m.item_id
      WHERE m.origin = 'bench'
      ORDER BY m.region_code
      ON CONFLICT (implementation_id) DO UPDATE SET popularity = excluded.popularity`.execute(db)
    t(`search rows (${texts.length} texts)`, since)

    since = performance.now()
    await sql`
      INSERT INTO catalog_guide_versions (implementation_id, version, content, published_by, comment)
      SELECT m.id, 1, tpl.content, 'bench', 'generated'
      FROM (SELECT id, code FROM catalog_implementations WHERE origin = 'bench' ORDER BY id LIMIT 50000) m
      JOIN (SELECT DISTINCT ON (i.code) i.code, v.content FROM catalog_guide_versions v
            JOIN catalog_implementations dm ON dm.id = v.implementation_id JOIN catalog_items i ON i.id = dm.item_id
            ORDER BY i.code, v.version DESC) tpl ON tpl.code = split_part(m.code, 'V', 1)`.execute(db)
    await sql`ANALYZE`.execute(db)
    t('guide versions and analyze', since)
    return Number(
      (
        await sql<{
          n: number
        }>`SELECT count(*)::int AS n FROM catalog_implementations WHERE origin = 'bench'`.execute(db)
      ).rows[0]?.n,
    )
  } finally {
    await db.destroy()
  }
}
