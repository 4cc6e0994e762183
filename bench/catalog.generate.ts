/** Generates the catalog bench's database (bench/catalog.ts): a million implementations over every county. */

import { performance } from 'node:perf_hooks'
import { DEPARTMENT_KINDS, type GuideContent } from '@tongban/contracts'
import { listRegions } from '@tongban/standards'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { departmentTokens, searchDocument } from '../apps/server/src/modules/catalog/index.ts'
import { SearchRepository } from '../apps/server/src/modules/catalog/repositories/search.repository.ts'
import type { Database } from '../apps/server/src/platform/db/schema.ts'

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

/**
 * Generates the catalog, set-based where it can: 6 business variants (新办, 变更, 延续 …) of every demo
 * item as base items; a department of every needed kind in every county, named as real ones are;
 * `target` implementations spread evenly over the counties, each county's rows together; the search data
 * — one text per base item written by the service's own repository from `searchDocument` (as a
 * publication does), every department's terms from `departmentTokens`, and a search row per
 * implementation; and published guide versions (copied from the demo guide of the same item) for 50,000
 * of them. Foreign keys are not re-checked row by row while loading (session_replication_role).
 */
export async function generate(url: string, target: number): Promise<number> {
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
      const batch = departments.slice(k, k + 2_000).map((d) => ({
        id: d.id,
        region: d.region_code,
        c: departmentTokens({ name: d.name, shortName: d.short_name }),
      }))
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
    const repository = new SearchRepository(db)
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
        toDepartment(departmentOf.get(representative.department_id)),
        content,
        1,
      )
      const written = await repository.upsertDocument(db, document)
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

/** A generated department as the catalog's search document names it. */
function toDepartment(row: { name: string; short_name: string } | undefined) {
  return row ? { name: row.name, shortName: row.short_name } : undefined
}
