/**
 * Catalog benchmark: a generated catalog of 1,000,000 implementation entries over every county of the
 * country, then search latency/throughput and guide fetch throughput over HTTP, next to the baselines.
 *
 * Run (PostgreSQL only; the database `tongban_bench_catalog` on that server is dropped and rebuilt):
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/catalog.ts
 * Options: BENCH_IMPLEMENTATIONS (default 1000000), BENCH_SECONDS (default 10), BENCH_REUSE=1 (keep an
 * already generated database).
 */
import { performance } from 'node:perf_hooks'
import { listRegions } from '@tongban/standards'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { searchDocument } from '../apps/server/src/modules/catalog/catalog.service.ts'
import type { Database } from '../apps/server/src/platform/db/schema.ts'
import { type Measurement, measure, report, startProcess } from './harness.ts'

const DB_NAME = 'tongban_bench_catalog'

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

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL
  if (!adminUrl) throw new Error('DATABASE_URL (a PostgreSQL server) is required')
  const target = Number(process.env.BENCH_IMPLEMENTATIONS ?? 1_000_000)
  const url = new URL(adminUrl)
  url.pathname = `/${DB_NAME}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME])).rowCount
  const reuse = process.env.BENCH_REUSE === '1' && exists
  if (!reuse) {
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`)
    await admin.query(`CREATE DATABASE ${DB_NAME}`)
  }
  await admin.end()

  const env = {
    DATABASE_URL: url.toString(),
    SEED_DEMO: reuse ? 'false' : 'true',
    CATALOG_BENCH_ROLE: 'serve',
  }
  // the first start migrates and loads the demo catalog (real guides and forms) that the generator copies
  let started = performance.now()
  let server = await startProcess('bench/catalog.ts', env)
  console.log(`server up with demo catalog in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), max: 4 }) }),
  })
  let generated = Number(
    (
      await sql<{
        n: number
      }>`SELECT count(*)::int AS n FROM catalog_implementations WHERE origin = 'bench'`.execute(db)
    ).rows[0]?.n,
  )
  if (!reuse || generated === 0) {
    started = performance.now()
    generated = await generate(db, target)
    console.log(
      `generated ${generated.toLocaleString('en-US')} implementations in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    )
    // restart so that the server starts with empty caches on the generated data
    await server.stop()
    server = await startProcess('bench/catalog.ts', { ...env, SEED_DEMO: 'false' })
  }
  const total = Number(
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM catalog_implementations`.execute(db)).rows[0]?.n,
  )
  const documents = Number(
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM catalog_search`.execute(db)).rows[0]?.n,
  )
  console.log(
    `catalog: ${total.toLocaleString('en-US')} implementations, ${documents.toLocaleString('en-US')} search documents`,
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
      await measure(`guide fetch (${guideIds.length.toLocaleString('en-US')} guides, cached)`, {
        url: server.url,
        requests: [{ setupRequest: (r) => ({ ...r, path: guidePath() }) }],
        durationSeconds: seconds,
      }),
    )
    rows.push(await searchRun('search, max throughput (20 connections)', server.url, searchPath, seconds, 20))
    rows.push(
      await searchRun('search at 500/s (p95 target ≤ 50 ms)', server.url, searchPath, seconds, 20, 500),
    )
    rows.push(
      await searchRun(
        'search without region filter, whole country',
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
  const table = report(`Catalog (${total.toLocaleString('en-US')} implementations)`, rows, (row) =>
    row.name.startsWith('guide') ? rows[1] : row.name.startsWith('search') ? rows[1] : undefined,
  )
  console.log(table)
  for (const row of rows) if (row.p95 !== undefined) console.log(`${row.name}: p95 ${row.p95.toFixed(1)} ms`)
}

/** A search load run with exact p95 from every response time (autocannon reports p90 and p97.5 only). */
async function searchRun(
  name: string,
  base: string,
  path: () => string,
  seconds: number,
  connections: number,
  rate?: number,
): Promise<Measurement> {
  const times: number[] = []
  const instance = autocannon({
    url: base,
    connections,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
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
 * Generates the catalog with set-based SQL: 6 business variants (新办, 变更, 延续 …) of every demo item as
 * base items; a department of every needed kind in every county; `target` implementations spread evenly
 * over the counties; a search document each (jieba tokens computed once per base item by the same
 * function the service uses at publication); and published guide versions (copied from the demo guide
 * of the same item) for 50,000 of them.
 */
async function generate(db: Kysely<Database>, target: number): Promise<number> {
  const t = (label: string, since: number) =>
    console.log(`  ${label}: ${((performance.now() - since) / 1000).toFixed(1)} s`)
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
  await sql`
    INSERT INTO departments (region_code, name, short_name, kind, uscc)
    SELECT r.code, r.name || k.kind || '部门', left(r.name, 4) || k.kind, k.kind, 'BENCH' || r.code || lpad(k.n::text, 2, '0')
    FROM regions r CROSS JOIN (SELECT DISTINCT department_kind AS kind, dense_rank() OVER (ORDER BY department_kind) AS n FROM catalog_items) k
    WHERE r.level = 'county' AND r.source = 'gb2260'`.execute(db)
  t('items and departments', since)

  since = performance.now()
  await sql`DROP INDEX IF EXISTS catalog_search_document_idx, catalog_search_name_trgm_idx, catalog_search_region_idx, catalog_search_department_idx, catalog_search_popularity_idx`.execute(
    db,
  )
  // every county gets the first `perCounty` variants in a county-specific rotation, so all items occur
  await sql`
    INSERT INTO catalog_implementations (item_id, region_code, department_id, code, name, type, legal_basis, origin, published_version)
    SELECT i.id, d.region_code, d.id, i.code, i.name, i.type, i.legal_basis, 'bench', 1
    FROM (SELECT code, row_number() OVER (ORDER BY code) AS n FROM regions WHERE level = 'county' AND source = 'gb2260') c
    JOIN (SELECT id, code, name, type, legal_basis, department_kind, row_number() OVER (ORDER BY code) - 1 AS n FROM catalog_items WHERE code ~ 'V') i
      ON ((i.n + c.n * 37) % ${items.length}) < ${perCounty}
    JOIN departments d ON d.region_code = c.code AND d.kind = i.department_kind AND d.uscc LIKE 'BENCH%'`.execute(
    db,
  )
  t('implementations', since)

  since = performance.now()
  // the weighted token strings of each base item, computed by the service's own function
  const tokens: {
    item_id: string
    a: string
    b: string
    c: string
    d: string
    visits: number
    depth: number
  }[] = []
  const full = await db.selectFrom('catalog_items').selectAll().where('code', '~', 'V').execute()
  const templates = await sql<{ code: string; content: unknown }>`
    SELECT DISTINCT ON (i.code) i.code, v.content FROM catalog_guide_versions v
    JOIN catalog_implementations m ON m.id = v.implementation_id JOIN catalog_items i ON i.id = m.item_id
    ORDER BY i.code, v.version DESC`.execute(db)
  const templateOf = new Map(templates.rows.map((r) => [r.code, r.content]))
  for (const item of full) {
    const content = templateOf.get(item.code.split('V')[0]!) as Parameters<typeof searchDocument>[3]
    const doc = searchDocument(
      {
        id: '',
        item_id: item.id,
        item_code: item.code,
        region_code: '',
        department_id: '',
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
      {
        ...item,
        themes: item.themes,
        keywords: item.keywords,
        description: item.description,
        version: item.version,
      },
      {
        id: '',
        region_code: '',
        region_name: '',
        name: `${item.department_kind}部门`,
        short_name: item.department_kind,
        kind: item.department_kind,
        uscc: '',
        phone: null,
        address: null,
        version: 1,
      },
      content,
      1,
    )
    tokens.push({ item_id: item.id, ...doc.weighted, visits: content.visits, depth: content.onlineDepth })
  }
  await sql`CREATE TABLE bench_tokens (item_id uuid PRIMARY KEY, a text, b text, c text, d text, visits int, depth int)`.execute(
    db,
  )
  await db
    .insertInto('bench_tokens' as never)
    .values(tokens as never)
    .execute()
  await sql`
    INSERT INTO catalog_search (implementation_id, item_code, region_code, department_id, name, audience, themes, visits, online_depth, version, document, popularity)
    SELECT m.id, m.code, m.region_code, m.department_id, m.name, i.audience, i.themes, t.visits, t.depth, 1,
      setweight(to_tsvector('simple', t.a), 'A') || setweight(to_tsvector('simple', t.b), 'B')
        || setweight(to_tsvector('simple', t.c), 'C') || setweight(to_tsvector('simple', t.d), 'D'),
      (abs(hashtext(m.id::text)) % 1000)
    FROM catalog_implementations m JOIN catalog_items i ON i.id = m.item_id JOIN bench_tokens t ON t.item_id = m.item_id
    WHERE m.origin = 'bench'`.execute(db)
  t('search documents', since)

  since = performance.now()
  await sql`SET maintenance_work_mem = '512MB'`.execute(db)
  await sql`CREATE INDEX catalog_search_document_idx ON catalog_search USING gin (document)`.execute(db)
  await sql`CREATE INDEX catalog_search_name_trgm_idx ON catalog_search USING gin (name gin_trgm_ops)`.execute(
    db,
  )
  await sql`CREATE INDEX catalog_search_region_idx ON catalog_search (region_code, popularity DESC)`.execute(
    db,
  )
  await sql`CREATE INDEX catalog_search_department_idx ON catalog_search (department_id)`.execute(db)
  await sql`CREATE INDEX catalog_search_popularity_idx ON catalog_search (popularity DESC)`.execute(db)
  t('search indexes', since)

  since = performance.now()
  await sql`
    INSERT INTO catalog_guide_versions (implementation_id, version, content, published_by, comment)
    SELECT m.id, 1, tpl.content, 'bench', 'generated'
    FROM (SELECT id, code FROM catalog_implementations WHERE origin = 'bench' ORDER BY id LIMIT 50000) m
    JOIN (SELECT DISTINCT ON (i.code) i.code, v.content FROM catalog_guide_versions v
          JOIN catalog_implementations dm ON dm.id = v.implementation_id JOIN catalog_items i ON i.id = dm.item_id
          ORDER BY i.code, v.version DESC) tpl ON tpl.code = split_part(m.code, 'V', 1)`.execute(db)
  await sql`DROP TABLE bench_tokens`.execute(db)
  // one region's documents on neighbouring pages, as a deployment keeps them (periodic CLUSTER, or
  // partitions by province): a county search then reads a few pages instead of one per entry
  await sql`CLUSTER catalog_search USING catalog_search_region_idx`.execute(db)
  await sql`ANALYZE`.execute(db)
  t('guide versions and analyze', since)
  return Number(
    (
      await sql<{
        n: number
      }>`SELECT count(*)::int AS n FROM catalog_implementations WHERE origin = 'bench'`.execute(db)
    ).rows[0]?.n,
  )
}
