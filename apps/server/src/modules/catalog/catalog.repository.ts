import type { GuideContent } from '@tongban/contracts'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { Database } from '../../platform/db/schema.ts'

type Executor = Kysely<Database> | Transaction<Database>

export interface ItemRecord {
  id: string
  code: string
  name: string
  type: string
  legal_basis: string
  department_kind: string
  levels: string[]
  audience: string[]
  themes: string[]
  keywords: string[]
  description: string
  version: number
}

export interface ImplementationRecord {
  id: string
  item_id: string
  item_code: string
  region_code: string
  department_id: string
  code: string
  name: string
  type: string
  legal_basis: string
  local_notes: string
  status: string
  origin: string
  published_version: number | null
  version: number
}

export interface DraftRecord {
  implementation_id: string
  status: string
  revision: number
  content: GuideContent
  updated_by: string | null
  updated_at: Date
  submitted_by: string | null
}

export interface GuideVersionRecord {
  implementation_id: string
  version: number
  content: GuideContent
  published_at: Date
  published_by: string | null
}

export interface SearchRow {
  implementation_id: string
  item_code: string
  name: string
  region_code: string
  department_id: string
  audience: string[]
  themes: string[]
  visits: number
  online_depth: number
  version: number
  popularity: number
  relevance: number
  total: number
}

export interface SearchFilter {
  regionCodes?: string[]
  departmentId?: string
  audience?: string
  theme?: string
  onlineOnly?: boolean
  limit: number
  offset: number
}

export interface ItemInsert {
  code: string
  name: string
  type: string
  legalBasis: string
  departmentKind: string
  levels: string[]
  audience: string[]
  themes: string[]
  keywords: string[]
  description: string
}

export interface ImplementationInsert {
  itemId: string
  regionCode: string
  departmentId: string
  code: string
  name: string
  type: string
  legalBasis: string
  localNotes: string
  origin: 'api' | 'import' | 'demo'
}

const itemColumns = [
  'id',
  'code',
  'name',
  'type',
  'legal_basis',
  'department_kind',
  'levels',
  'audience',
  'themes',
  'keywords',
  'description',
  'version',
] as const

/** Queries of the catalog's tables; no rules here. */
export class CatalogRepository {
  constructor(private readonly db: Kysely<Database>) {}

  // ------------------------------------------------------------------ items

  findItemByCode(code: string, db: Executor = this.db): Promise<ItemRecord | undefined> {
    return db.selectFrom('catalog_items').select(itemColumns).where('code', '=', code).executeTakeFirst()
  }

  findItemsByCodes(codes: string[], db: Executor = this.db): Promise<ItemRecord[]> {
    if (codes.length === 0) return Promise.resolve([])
    return db.selectFrom('catalog_items').select(itemColumns).where('code', 'in', codes).execute()
  }

  async findItems(filter: {
    type?: string
    departmentKind?: string
    theme?: string
    limit: number
    offset: number
  }): Promise<{ items: ItemRecord[]; total: number }> {
    let query = this.db.selectFrom('catalog_items')
    if (filter.type) query = query.where('type', '=', filter.type)
    if (filter.departmentKind) query = query.where('department_kind', '=', filter.departmentKind)
    if (filter.theme) query = query.where(sql<boolean>`themes @> ARRAY[${filter.theme}]::text[]`)
    const [items, count] = await Promise.all([
      query.select(itemColumns).orderBy('code').limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { items, total: Number(count.n) }
  }

  allItems(db: Executor = this.db): Promise<ItemRecord[]> {
    return db.selectFrom('catalog_items').select(itemColumns).orderBy('code').execute()
  }

  async insertItem(db: Executor, row: ItemInsert): Promise<string> {
    const { id } = await db
      .insertInto('catalog_items')
      .values({
        code: row.code,
        name: row.name,
        type: row.type,
        legal_basis: row.legalBasis,
        department_kind: row.departmentKind,
        levels: row.levels,
        audience: row.audience,
        themes: row.themes,
        keywords: row.keywords,
        description: row.description,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return id
  }

  /** Applies changes when the row is still at `version`; false when it moved on. */
  async updateItem(
    db: Executor,
    id: string,
    version: number | null,
    changes: Partial<Omit<ItemRecord, 'id' | 'code' | 'version'>>,
  ): Promise<boolean> {
    let query = db
      .updateTable('catalog_items')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
    if (version !== null) query = query.where('version', '=', version)
    const result = await query.executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  // ------------------------------------------------------------------ implementations

  private implementations(db: Executor) {
    return db
      .selectFrom('catalog_implementations as m')
      .innerJoin('catalog_items as i', 'i.id', 'm.item_id')
      .select([
        'm.id',
        'm.item_id',
        'i.code as item_code',
        'm.region_code',
        'm.department_id',
        'm.code',
        'm.name',
        'm.type',
        'm.legal_basis',
        'm.local_notes',
        'm.status',
        'm.origin',
        'm.published_version',
        'm.version',
      ])
  }

  findImplementation(id: string, db: Executor = this.db): Promise<ImplementationRecord | undefined> {
    return this.implementations(db).where('m.id', '=', id).executeTakeFirst()
  }

  findImplementationByKey(
    key: { itemId: string; regionCode: string; departmentId: string },
    db: Executor = this.db,
  ): Promise<ImplementationRecord | undefined> {
    return this.implementations(db)
      .where('m.item_id', '=', key.itemId)
      .where('m.region_code', '=', key.regionCode)
      .where('m.department_id', '=', key.departmentId)
      .executeTakeFirst()
  }

  async findImplementations(filter: {
    regionCodes?: string[]
    departmentId?: string
    itemCode?: string
    publishedOnly?: boolean
    limit: number
    offset: number
  }): Promise<{ items: ImplementationRecord[]; total: number }> {
    let query = this.implementations(this.db)
    if (filter.regionCodes) query = query.where('m.region_code', 'in', filter.regionCodes)
    if (filter.departmentId) query = query.where('m.department_id', '=', filter.departmentId)
    if (filter.itemCode) query = query.where('i.code', '=', filter.itemCode)
    if (filter.publishedOnly)
      query = query.where('m.published_version', 'is not', null).where('m.status', '=', 'active')
    const [items, count] = await Promise.all([
      query.orderBy('i.code').orderBy('m.region_code').limit(filter.limit).offset(filter.offset).execute(),
      query
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ])
    return { items, total: Number(count.n) }
  }

  /** Published, active implementations of the given items located in the given regions. */
  findPublishedFor(itemIds: string[], regionCodes: string[]): Promise<ImplementationRecord[]> {
    if (itemIds.length === 0 || regionCodes.length === 0) return Promise.resolve([])
    return this.implementations(this.db)
      .where('m.item_id', 'in', itemIds)
      .where('m.region_code', 'in', regionCodes)
      .where('m.published_version', 'is not', null)
      .where('m.status', '=', 'active')
      .execute()
  }

  allImplementations(db: Executor = this.db): Promise<ImplementationRecord[]> {
    return this.implementations(db).orderBy('i.code').orderBy('m.region_code').execute()
  }

  /** Implementations whose recorded code, name, type or legal basis differ from their base item. */
  findInconsistent(regionCodes?: string[]) {
    let query = this.db
      .selectFrom('catalog_implementations as m')
      .innerJoin('catalog_items as i', 'i.id', 'm.item_id')
      .select([
        'm.id',
        'm.region_code',
        'm.department_id',
        'i.code as item_code',
        'm.code',
        'm.name',
        'm.type',
        'm.legal_basis',
        'i.code as expected_code',
        'i.name as expected_name',
        'i.type as expected_type',
        'i.legal_basis as expected_legal_basis',
      ])
      .where((eb) =>
        eb.or([
          eb('m.code', '<>', eb.ref('i.code')),
          eb('m.name', '<>', eb.ref('i.name')),
          eb('m.type', '<>', eb.ref('i.type')),
          eb('m.legal_basis', '<>', eb.ref('i.legal_basis')),
        ]),
      )
    if (regionCodes) query = query.where('m.region_code', 'in', regionCodes)
    return query.orderBy('m.region_code').orderBy('m.department_id').orderBy('i.code').execute()
  }

  async countImplementations(regionCodes?: string[]): Promise<number> {
    let query = this.db.selectFrom('catalog_implementations').select((eb) => eb.fn.countAll<number>().as('n'))
    if (regionCodes) query = query.where('region_code', 'in', regionCodes)
    return Number((await query.executeTakeFirstOrThrow()).n)
  }

  async insertImplementation(db: Executor, row: ImplementationInsert): Promise<string> {
    const { id } = await db
      .insertInto('catalog_implementations')
      .values({
        item_id: row.itemId,
        region_code: row.regionCode,
        department_id: row.departmentId,
        code: row.code,
        name: row.name,
        type: row.type,
        legal_basis: row.legalBasis,
        local_notes: row.localNotes,
        origin: row.origin,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return id
  }

  async updateImplementation(
    db: Executor,
    id: string,
    version: number | null,
    changes: Partial<
      Pick<
        ImplementationRecord,
        'code' | 'name' | 'type' | 'legal_basis' | 'local_notes' | 'status' | 'origin'
      >
    >,
  ): Promise<boolean> {
    let query = db
      .updateTable('catalog_implementations')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
    if (version !== null) query = query.where('version', '=', version)
    return Number((await query.executeTakeFirst()).numUpdatedRows) === 1
  }

  // ------------------------------------------------------------------ guides

  findDraft(implementationId: string, db: Executor = this.db): Promise<DraftRecord | undefined> {
    return db
      .selectFrom('catalog_guide_drafts')
      .select([
        'implementation_id',
        'status',
        'revision',
        'content',
        'updated_by',
        'updated_at',
        'submitted_by',
      ])
      .where('implementation_id', '=', implementationId)
      .executeTakeFirst() as Promise<DraftRecord | undefined>
  }

  /** Locks the draft row until the transaction ends. */
  lockDraft(db: Transaction<Database>, implementationId: string): Promise<DraftRecord | undefined> {
    return db
      .selectFrom('catalog_guide_drafts')
      .select([
        'implementation_id',
        'status',
        'revision',
        'content',
        'updated_by',
        'updated_at',
        'submitted_by',
      ])
      .where('implementation_id', '=', implementationId)
      .forUpdate()
      .executeTakeFirst() as Promise<DraftRecord | undefined>
  }

  async upsertDraft(
    db: Executor,
    implementationId: string,
    content: GuideContent,
    by: string | null,
  ): Promise<number> {
    const row = await db
      .insertInto('catalog_guide_drafts')
      .values({ implementation_id: implementationId, content: JSON.stringify(content), updated_by: by })
      .onConflict((oc) =>
        oc.column('implementation_id').doUpdateSet({
          content: JSON.stringify(content),
          updated_by: by,
          updated_at: sql`now()`,
          status: 'draft',
          submitted_by: null,
          submitted_at: null,
          revision: sql`catalog_guide_drafts.revision + 1`,
        }),
      )
      .returning('revision')
      .executeTakeFirstOrThrow()
    return row.revision
  }

  async markSubmitted(db: Executor, implementationId: string, by: string | null): Promise<void> {
    await db
      .updateTable('catalog_guide_drafts')
      .set({ status: 'submitted', submitted_by: by, submitted_at: sql`now()` })
      .where('implementation_id', '=', implementationId)
      .execute()
  }

  async deleteDraft(db: Executor, implementationId: string): Promise<void> {
    await db.deleteFrom('catalog_guide_drafts').where('implementation_id', '=', implementationId).execute()
  }

  async insertVersion(
    db: Executor,
    row: {
      implementationId: string
      version: number
      content: GuideContent
      publishedBy: string | null
      submittedBy: string | null
      comment: string
    },
  ): Promise<Date> {
    const inserted = await db
      .insertInto('catalog_guide_versions')
      .values({
        implementation_id: row.implementationId,
        version: row.version,
        content: JSON.stringify(row.content),
        published_by: row.publishedBy,
        submitted_by: row.submittedBy,
        comment: row.comment,
      })
      .returning('published_at')
      .executeTakeFirstOrThrow()
    await db
      .updateTable('catalog_implementations')
      .set({ published_version: row.version, updated_at: sql`now()` })
      .where('id', '=', row.implementationId)
      .execute()
    return inserted.published_at
  }

  findVersion(implementationId: string, version: number): Promise<GuideVersionRecord | undefined> {
    return this.db
      .selectFrom('catalog_guide_versions')
      .select(['implementation_id', 'version', 'content', 'published_at', 'published_by'])
      .where('implementation_id', '=', implementationId)
      .where('version', '=', version)
      .executeTakeFirst() as Promise<GuideVersionRecord | undefined>
  }

  // ------------------------------------------------------------------ search

  async upsertSearchDocument(
    db: Executor,
    row: {
      implementationId: string
      itemCode: string
      regionCode: string
      departmentId: string
      name: string
      audience: string[]
      themes: string[]
      visits: number
      onlineDepth: number
      version: number
      /** Space-joined tokens per weight. */
      weighted: { a: string; b: string; c: string; d: string }
    },
  ): Promise<void> {
    const document = sql<string>`setweight(to_tsvector('simple', ${row.weighted.a}), 'A')
      || setweight(to_tsvector('simple', ${row.weighted.b}), 'B')
      || setweight(to_tsvector('simple', ${row.weighted.c}), 'C')
      || setweight(to_tsvector('simple', ${row.weighted.d}), 'D')`
    const values = {
      implementation_id: row.implementationId,
      item_code: row.itemCode,
      region_code: row.regionCode,
      department_id: row.departmentId,
      name: row.name,
      audience: row.audience,
      themes: row.themes,
      visits: row.visits,
      online_depth: row.onlineDepth,
      version: row.version,
      document,
    }
    await db
      .insertInto('catalog_search')
      .values(values)
      .onConflict((oc) =>
        oc.column('implementation_id').doUpdateSet({
          ...values,
          document: sql`excluded.document`,
          updated_at: sql`now()`,
        }),
      )
      .execute()
  }

  async deleteSearchDocument(db: Executor, implementationId: string): Promise<void> {
    await db.deleteFrom('catalog_search').where('implementation_id', '=', implementationId).execute()
  }

  async incrementPopularity(implementationId: string, by: number): Promise<boolean> {
    const result = await this.db
      .updateTable('catalog_search')
      .set({ popularity: sql`popularity + ${by}` })
      .where('implementation_id', '=', implementationId)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  /**
   * Matches a query. `tsQuery` null lists by popularity. Relevance = weighted ts_rank_cd of the document
   * + trigram similarity of the name + 1 for an exact name; ranked on relevance rounded to one decimal,
   * then popularity, so equally relevant hits are ordered by how often they are used.
   */
  async search(query: { text: string; tsQuery: string } | null, filter: SearchFilter): Promise<SearchRow[]> {
    const conditions = [sql`true`]
    if (filter.regionCodes) conditions.push(sql`s.region_code = ANY(${filter.regionCodes}::text[])`)
    if (filter.departmentId) conditions.push(sql`s.department_id = ${filter.departmentId}::uuid`)
    if (filter.audience) conditions.push(sql`s.audience @> ARRAY[${filter.audience}]::text[]`)
    if (filter.theme) conditions.push(sql`s.themes @> ARRAY[${filter.theme}]::text[]`)
    if (filter.onlineOnly) conditions.push(sql`s.visits = 0`)
    const where = sql.join(conditions, sql` AND `)
    if (!query) {
      const result = await sql<SearchRow>`
        SELECT s.implementation_id, s.item_code, s.name, s.region_code, s.department_id, s.audience, s.themes,
          s.visits, s.online_depth, s.version, s.popularity, 0::float8 AS relevance, count(*) OVER () AS total
        FROM catalog_search s WHERE ${where}
        ORDER BY s.popularity DESC, s.name, s.implementation_id
        LIMIT ${filter.limit} OFFSET ${filter.offset}`.execute(this.db)
      return result.rows
    }
    const rank = sql`round((ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', s.document, q.query, 1)
          + similarity(s.name, ${query.text})
          + CASE WHEN s.name = ${query.text} THEN 1 ELSE 0 END)::numeric, 1)::float8`
    const matches = sql`(s.document @@ q.query OR s.name % ${query.text} OR s.name LIKE ${`%${query.text}%`})`
    // With a region, its few thousand entries are read first and matched in memory: otherwise the planner
    // may AND the region index with country-wide full-text bitmaps, which costs ~200 ms at a million rows.
    const source = filter.regionCodes
      ? sql`(SELECT * FROM catalog_search s WHERE ${where} OFFSET 0) s`
      : sql`catalog_search s`
    const result = await sql<SearchRow>`
      WITH q AS (SELECT to_tsquery('simple', ${query.tsQuery}) AS query)
      SELECT s.implementation_id, s.item_code, s.name, s.region_code, s.department_id, s.audience, s.themes,
        s.visits, s.online_depth, s.version, s.popularity, ${rank} AS relevance, count(*) OVER () AS total
      FROM ${source}, q
      WHERE ${filter.regionCodes ? sql`true` : where} AND ${matches}
      ORDER BY relevance DESC, s.popularity DESC, s.name, s.implementation_id
      LIMIT ${filter.limit} OFFSET ${filter.offset}`.execute(this.db)
    return result.rows
  }

  async synonyms(): Promise<{ term: string; canonical: string }[]> {
    return this.db.selectFrom('catalog_synonyms').select(['term', 'canonical']).execute()
  }

  // ------------------------------------------------------------------ reference data, bundles

  licenseTypes(): Promise<{ code: string; name: string; issuer_kind: string; holder: string }[]> {
    return this.db
      .selectFrom('license_types')
      .select(['code', 'name', 'issuer_kind', 'holder'])
      .orderBy('code')
      .execute()
  }

  findBundles(): Promise<
    { id: string; code: string; name: string; description: string; audience: string[]; themes: string[] }[]
  > {
    return this.db
      .selectFrom('catalog_bundles')
      .select(['id', 'code', 'name', 'description', 'audience', 'themes'])
      .orderBy('code')
      .execute()
  }

  async bundleItemCodes(bundleIds: string[]): Promise<Map<string, { itemId: string; code: string }[]>> {
    const map = new Map<string, { itemId: string; code: string }[]>()
    if (bundleIds.length === 0) return map
    const rows = await this.db
      .selectFrom('catalog_bundle_items as b')
      .innerJoin('catalog_items as i', 'i.id', 'b.item_id')
      .select(['b.bundle_id', 'b.item_id', 'i.code'])
      .where('b.bundle_id', 'in', bundleIds)
      .orderBy('b.position')
      .execute()
    for (const row of rows) {
      const list = map.get(row.bundle_id) ?? []
      list.push({ itemId: row.item_id, code: row.code })
      map.set(row.bundle_id, list)
    }
    return map
  }

  async insertBundle(
    db: Executor,
    bundle: { code: string; name: string; description: string; audience: string[]; themes: string[] },
    itemIds: string[],
  ): Promise<string> {
    const { id } = await db
      .insertInto('catalog_bundles')
      .values(bundle)
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('catalog_bundle_items')
      .values(itemIds.map((itemId, position) => ({ bundle_id: id, item_id: itemId, position })))
      .execute()
    return id
  }
}
