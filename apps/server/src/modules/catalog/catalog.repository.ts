import type { BundleContent, FormDocument, GuideContent } from '@tongban/contracts'
import { type Kysely, type RawBuilder, type Selectable, sql, type Transaction } from 'kysely'
import type { Database } from '../../platform/db/schema.ts'

type ItemType = Selectable<Database['catalog_items']>['type']

type Executor = Kysely<Database> | Transaction<Database>

export interface ItemRecord {
  id: string
  code: string
  name: string
  type: ItemType
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
  status: Selectable<Database['catalog_implementations']>['status']
  origin: Selectable<Database['catalog_implementations']>['origin']
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

export interface BundleRecord {
  id: string
  code: string
  name: string
  description: string
  audience: string[]
  themes: string[]
  lead_department_id: string | null
  version: number
}

export interface BundleDraftRecord {
  code: string
  lead_department_id: string
  status: string
  revision: number
  content: BundleContent
  updated_by: string | null
  updated_at: Date
  submitted_by: string | null
}

/** A published form of an item, and one implementation publishing it. */
export interface PublishedForm {
  item_code: string
  implementation_id: string
  region_code: string
  version: number
  form: FormDocument
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
}

/** A search text matched by a query, with its relevance (see `matchTexts`). */
export interface TextMatch {
  id: string
  relevance: number
}

/** Departments picked by id, or as those whose terms match any of the query's (`a | b | …`). */
export type DepartmentSelection = { ids: string[] } | { anyTsQuery: string }

/** What a change to the catalog invalidates on every node (catalog_changes.kind). */
export type CatalogChangeKind = 'guide' | 'text' | 'department'

/** The search document of one implementation, as tokens by weight (see `searchDocument`). */
export interface SearchDocumentRow {
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
  /** Space-joined tokens per weight: a name, b keywords/themes/type, c department, d guide text. */
  weighted: { a: string; b: string; c: string; d: string }
}

export interface ItemInsert {
  code: string
  name: string
  type: ItemType
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
    type?: ItemType
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

  private draftQuery(db: Executor, implementationId: string) {
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
  }

  findDraft(implementationId: string, db: Executor = this.db): Promise<DraftRecord | undefined> {
    return this.draftQuery(db, implementationId).executeTakeFirst() as Promise<DraftRecord | undefined>
  }

  /** Locks the draft row until the transaction ends. */
  lockDraft(db: Transaction<Database>, implementationId: string): Promise<DraftRecord | undefined> {
    return this.draftQuery(db, implementationId).forUpdate().executeTakeFirst() as Promise<
      DraftRecord | undefined
    >
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

  /**
   * Stores the search document of a published guide: its text (shared with every implementation whose
   * text is the same), its department's terms, and its own row. Says what changed, for the caches.
   */
  async upsertSearchDocument(
    db: Executor,
    row: SearchDocumentRow,
  ): Promise<{
    textId: string
    previousTextId: string | null
    textCreated: boolean
    departmentChanged: boolean
  }> {
    const previous = await db
      .selectFrom('catalog_search')
      .select('text_id')
      .where('implementation_id', '=', row.implementationId)
      .executeTakeFirst()
    const text = await sql<{ id: string; created: boolean }>`
      WITH doc AS (
        SELECT ${row.name}::text AS name,
          setweight(to_tsvector('simple', ${row.weighted.a}), 'A')
            || setweight(to_tsvector('simple', ${row.weighted.b}), 'B')
            || setweight(to_tsvector('simple', ${row.weighted.d}), 'D') AS document),
      keyed AS (SELECT md5(name || chr(10) || document::text) AS id, name, document FROM doc),
      inserted AS (
        INSERT INTO catalog_search_texts (id, name, document) SELECT id, name, document FROM keyed
        ON CONFLICT (id) DO NOTHING RETURNING id)
      SELECT keyed.id, EXISTS (SELECT 1 FROM inserted) AS created FROM keyed`.execute(db)
    const { id: textId, created } = text.rows[0]!
    const department = await sql<{ department_id: string }>`
      INSERT INTO catalog_search_departments AS d (department_id, region_code, document)
      VALUES (${row.departmentId}::uuid, ${row.regionCode}, setweight(to_tsvector('simple', ${row.weighted.c}), 'C'))
      ON CONFLICT (department_id) DO UPDATE
        SET region_code = excluded.region_code, document = excluded.document, updated_at = now()
        WHERE d.document IS DISTINCT FROM excluded.document OR d.region_code IS DISTINCT FROM excluded.region_code
      RETURNING department_id`.execute(db)
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
      text_id: textId,
    }
    await db
      .insertInto('catalog_search')
      .values(values)
      .onConflict((oc) => oc.column('implementation_id').doUpdateSet({ ...values, updated_at: sql`now()` }))
      .execute()
    return {
      textId,
      previousTextId: previous?.text_id ?? null,
      textCreated: created,
      departmentChanged: department.rows.length > 0,
    }
  }

  /** Removes an implementation from search; the id of the text it used, if it had one. */
  async deleteSearchDocument(db: Executor, implementationId: string): Promise<string | null> {
    const removed = await db
      .deleteFrom('catalog_search')
      .where('implementation_id', '=', implementationId)
      .returning('text_id')
      .executeTakeFirst()
    return removed?.text_id ?? null
  }

  /**
   * Deletes a text no implementation uses any more. Fails with a foreign-key violation when a concurrent
   * publication started using it meanwhile, which leaves it in place, as it should.
   */
  async deleteUnusedText(textId: string): Promise<void> {
    await sql`
      DELETE FROM catalog_search_texts t
      WHERE t.id = ${textId} AND NOT EXISTS (SELECT 1 FROM catalog_search s WHERE s.text_id = t.id)`.execute(
      this.db,
    )
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
   * First step of a search: the texts matching a query, each with its relevance = weighted ts_rank_cd of
   * the document + trigram similarity of the name + 1 for an exact name, rounded to one decimal. A text
   * matches when its document matches the query, or its name is trigram-similar to or contains the
   * query text (typos, substrings). Each condition is its own indexed scan.
   */
  async matchTexts(query: { text: string; tsQuery: string }): Promise<TextMatch[]> {
    const result = await sql<TextMatch>`
      WITH matched AS (
        SELECT id FROM catalog_search_texts WHERE document @@ to_tsquery('simple', ${query.tsQuery})
        UNION SELECT id FROM catalog_search_texts WHERE name % ${query.text}
        UNION SELECT id FROM catalog_search_texts WHERE name LIKE ${`%${query.text}%`})
      SELECT t.id, ${relevance(sql`t.document`, query)} AS relevance
      FROM catalog_search_texts t JOIN matched USING (id)`.execute(this.db)
    return result.rows
  }

  /** The lexemes PostgreSQL makes of query tokens (what a department's terms are compared with). */
  async lexemesOf(tokens: string[]): Promise<string[]> {
    const result = await sql<{ lexemes: string[] }>`
      SELECT tsvector_to_array(to_tsvector('simple', ${tokens.join(' ')})) AS lexemes`.execute(this.db)
    return result.rows[0]?.lexemes ?? []
  }

  /** The search terms (lexemes) of every department with a published guide. */
  async departmentTerms(): Promise<{ department_id: string; region_code: string; lexemes: string[] }[]> {
    const result = await sql<{ department_id: string; region_code: string; lexemes: string[] }>`
      SELECT department_id, region_code, tsvector_to_array(document) AS lexemes
      FROM catalog_search_departments`.execute(this.db)
    return result.rows
  }

  /**
   * Second step, for departments whose name has none of the query's terms: the implementations using the
   * matched texts, with the texts' relevance. `departments` names the departments to leave out (their
   * implementations go through `searchByDepartments`): by id, or as those matching any query term.
   */
  async searchByTexts(
    texts: TextMatch[],
    filter: SearchFilter,
    take: number,
    departments: DepartmentSelection,
  ): Promise<SearchRow[]> {
    const conditions = [filterConditions(filter)]
    if ('ids' in departments && departments.ids.length > 0)
      conditions.push(sql`s.department_id <> ALL(${departments.ids}::uuid[])`)
    if ('anyTsQuery' in departments)
      conditions.push(sql`s.department_id NOT IN (SELECT department_id FROM catalog_search_departments
        WHERE document @@ to_tsquery('simple', ${departments.anyTsQuery}))`)
    const where = sql.join(conditions, sql` AND `)
    const ids = texts.map((t) => t.id)
    const matched = sql`unnest(${ids}::text[], ${texts.map((t) => t.relevance)}::float8[]) AS t(id, relevance)`
    if (filter.regionCodes)
      return capped(
        sql`SELECT ${searchColumns}, t.relevance FROM ${matched} JOIN catalog_search s ON s.text_id = t.id WHERE ${where}`,
        take,
        this.db,
      )
    // Without a region a text has thousands of implementations: the best `take` of each text (by the
    // (text, popularity) index) hold the best `take` of all, and counting stops at TOTAL_CAP.
    const result = await sql<SearchRow>`
      SELECT s.*, t.relevance, (SELECT count(*) FROM (SELECT 1 FROM catalog_search s
          WHERE s.text_id = ANY(${ids}::text[]) AND ${where} LIMIT ${TOTAL_CAP}) n) AS total
      FROM ${matched}
      CROSS JOIN LATERAL (SELECT ${searchColumns} FROM catalog_search s WHERE s.text_id = t.id AND ${where}
        ORDER BY s.popularity DESC, s.name, s.implementation_id LIMIT ${take}) s
      ORDER BY t.relevance DESC, s.popularity DESC, s.name, s.implementation_id LIMIT ${take}`.execute(
      this.db,
    )
    return result.rows
  }

  /**
   * Second step, for departments whose name has one of the query's terms: their implementations matched
   * on text and department name together (as one document), or using an already matched text.
   */
  async searchByDepartments(
    query: { text: string; tsQuery: string },
    textIds: string[],
    departments: DepartmentSelection,
    filter: SearchFilter,
    take: number,
  ): Promise<SearchRow[]> {
    const selected =
      'ids' in departments
        ? sql`s.department_id = ANY(${departments.ids}::uuid[])`
        : sql`d.document @@ to_tsquery('simple', ${departments.anyTsQuery})`
    return capped(
      sql`SELECT ${searchColumns}, ${relevance(sql`t.document || d.document`, query)} AS relevance
        FROM catalog_search s
        JOIN catalog_search_departments d ON d.department_id = s.department_id
        JOIN catalog_search_texts t ON t.id = s.text_id
        WHERE ${selected} AND ${filterConditions(filter)}
          AND ((t.document || d.document) @@ to_tsquery('simple', ${query.tsQuery}) OR t.id = ANY(${textIds}::text[]))`,
      take,
      this.db,
    )
  }

  /** Published implementations by popularity (a search without text). */
  listPopular(filter: SearchFilter, take: number): Promise<SearchRow[]> {
    return capped(
      sql`SELECT ${searchColumns}, 0::float8 AS relevance FROM catalog_search s WHERE ${filterConditions(filter)}`,
      take,
      this.db,
    )
  }

  async synonyms(): Promise<{ term: string; canonical: string }[]> {
    return this.db.selectFrom('catalog_synonyms').select(['term', 'canonical']).execute()
  }

  // ------------------------------------------------------------------ change log (caches on every node)

  async recordChange(db: Executor, kind: CatalogChangeKind, key: string | null): Promise<void> {
    await db.insertInto('catalog_changes').values({ kind, key }).execute()
  }

  async latestChange(): Promise<number> {
    const row = await this.db
      .selectFrom('catalog_changes')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst()
    return Number(row?.seq ?? 0)
  }

  /** Changes after `after`, and those of `missing` (sequence numbers skipped earlier) that have committed since. */
  changesSince(
    after: number,
    missing: number[],
    limit: number,
  ): Promise<{ seq: number; kind: string; key: string | null }[]> {
    return this.db
      .selectFrom('catalog_changes')
      .select(['seq', 'kind', 'key'])
      .where((eb) =>
        missing.length > 0 ? eb.or([eb('seq', '>', after), eb('seq', 'in', missing)]) : eb('seq', '>', after),
      )
      .orderBy('seq')
      .limit(limit)
      .execute()
  }

  async pruneChanges(olderThanHours: number): Promise<void> {
    await this.db
      .deleteFrom('catalog_changes')
      .where('changed_at', '<', sql<Date>`now() - make_interval(hours => ${olderThanHours})`)
      .execute()
  }

  // ------------------------------------------------------------------ reference data, bundles

  licenseTypes(): Promise<{ code: string; name: string; issuer_kind: string; holder: string }[]> {
    return this.db
      .selectFrom('license_types')
      .select(['code', 'name', 'issuer_kind', 'holder'])
      .orderBy('code')
      .execute()
  }

  findBundles(db: Executor = this.db): Promise<BundleRecord[]> {
    return db
      .selectFrom('catalog_bundles')
      .select(['id', 'code', 'name', 'description', 'audience', 'themes', 'lead_department_id', 'version'])
      .orderBy('code')
      .execute()
  }

  findBundleByCode(code: string, db: Executor = this.db): Promise<BundleRecord | undefined> {
    return db
      .selectFrom('catalog_bundles')
      .select(['id', 'code', 'name', 'description', 'audience', 'themes', 'lead_department_id', 'version'])
      .where('code', '=', code)
      .executeTakeFirst()
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

  /** Creates or replaces the published state of a bundle (its row and members); returns its id. */
  async upsertBundle(
    db: Executor,
    bundle: {
      code: string
      name: string
      description: string
      audience: string[]
      themes: string[]
      leadDepartmentId: string | null
      version: number
    },
    itemIds: string[],
  ): Promise<string> {
    const values = {
      code: bundle.code,
      name: bundle.name,
      description: bundle.description,
      audience: bundle.audience,
      themes: bundle.themes,
      lead_department_id: bundle.leadDepartmentId,
      version: bundle.version,
    }
    const { id } = await db
      .insertInto('catalog_bundles')
      .values(values)
      .onConflict((oc) => oc.column('code').doUpdateSet({ ...values, updated_at: sql`now()` }))
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.deleteFrom('catalog_bundle_items').where('bundle_id', '=', id).execute()
    await db
      .insertInto('catalog_bundle_items')
      .values(itemIds.map((itemId, position) => ({ bundle_id: id, item_id: itemId, position })))
      .execute()
    return id
  }

  async insertBundleVersion(
    db: Executor,
    row: {
      bundleId: string
      version: number
      content: unknown
      publishedBy: string | null
      submittedBy: string | null
      comment: string
    },
  ): Promise<void> {
    await db
      .insertInto('catalog_bundle_versions')
      .values({
        bundle_id: row.bundleId,
        version: row.version,
        content: JSON.stringify(row.content),
        published_by: row.publishedBy,
        submitted_by: row.submittedBy,
        comment: row.comment,
      })
      .execute()
  }

  findBundleVersion(
    code: string,
    version: number,
  ): Promise<{ version: number; content: unknown; published_at: Date; comment: string } | undefined> {
    return this.db
      .selectFrom('catalog_bundle_versions as v')
      .innerJoin('catalog_bundles as b', 'b.id', 'v.bundle_id')
      .select(['v.version', 'v.content', 'v.published_at', 'v.comment'])
      .where('b.code', '=', code)
      .where('v.version', '=', version)
      .executeTakeFirst()
  }

  private bundleDraftQuery(db: Executor, code: string) {
    return db
      .selectFrom('catalog_bundle_drafts')
      .select([
        'code',
        'lead_department_id',
        'status',
        'revision',
        'content',
        'updated_by',
        'updated_at',
        'submitted_by',
      ])
      .where('code', '=', code)
  }

  findBundleDraft(code: string, db: Executor = this.db): Promise<BundleDraftRecord | undefined> {
    return this.bundleDraftQuery(db, code).executeTakeFirst() as Promise<BundleDraftRecord | undefined>
  }

  /** Locks the bundle draft row until the transaction ends. */
  lockBundleDraft(db: Transaction<Database>, code: string): Promise<BundleDraftRecord | undefined> {
    return this.bundleDraftQuery(db, code).forUpdate().executeTakeFirst() as Promise<
      BundleDraftRecord | undefined
    >
  }

  async upsertBundleDraft(
    db: Executor,
    code: string,
    content: BundleContent,
    by: string | null,
  ): Promise<number> {
    const values = {
      lead_department_id: content.leadDepartmentId,
      content: JSON.stringify(content),
      updated_by: by,
    }
    const row = await db
      .insertInto('catalog_bundle_drafts')
      .values({ code, ...values })
      .onConflict((oc) =>
        oc.column('code').doUpdateSet({
          ...values,
          updated_at: sql`now()`,
          status: 'draft',
          submitted_by: null,
          submitted_at: null,
          revision: sql`catalog_bundle_drafts.revision + 1`,
        }),
      )
      .returning('revision')
      .executeTakeFirstOrThrow()
    return row.revision
  }

  async markBundleSubmitted(db: Executor, code: string, by: string | null): Promise<void> {
    await db
      .updateTable('catalog_bundle_drafts')
      .set({ status: 'submitted', submitted_by: by, submitted_at: sql`now()` })
      .where('code', '=', code)
      .execute()
  }

  async deleteBundleDraft(db: Executor, code: string): Promise<void> {
    await db.deleteFrom('catalog_bundle_drafts').where('code', '=', code).execute()
  }

  /**
   * The distinct forms of the latest published guides of the given items among active implementations in
   * the given regions, with one implementation (and its version) having each.
   */
  async findPublishedForms(itemIds: string[], regionCodes: string[]): Promise<PublishedForm[]> {
    if (itemIds.length === 0 || regionCodes.length === 0) return []
    const result = await sql<PublishedForm>`
      SELECT DISTINCT ON (i.code, md5((v.content -> 'form')::text))
        i.code AS item_code, m.id AS implementation_id, m.region_code, v.version, v.content -> 'form' AS form
      FROM catalog_implementations m
      JOIN catalog_items i ON i.id = m.item_id
      JOIN catalog_guide_versions v ON v.implementation_id = m.id AND v.version = m.published_version
      WHERE m.item_id = ANY(${itemIds}::uuid[]) AND m.status = 'active' AND m.region_code = ANY(${regionCodes}::text[])
      ORDER BY i.code, md5((v.content -> 'form')::text), m.region_code, m.id`.execute(this.db)
    return result.rows
  }
}

/** Searches count at most this many matches (the answer's `total` is capped there). */
const TOTAL_CAP = 1000

const RANK_WEIGHTS = sql.raw(`'{0.1, 0.2, 0.4, 1.0}'`)

const searchColumns = sql`s.implementation_id, s.item_code, s.name, s.region_code, s.department_id, s.audience,
  s.themes, s.visits, s.online_depth, s.version, s.popularity`

/** Relevance of text `t` (its document given, maybe joined with a department's): see `matchTexts`. */
function relevance(document: RawBuilder<unknown>, query: { text: string; tsQuery: string }) {
  return sql<number>`round((ts_rank_cd(${RANK_WEIGHTS}, ${document}, to_tsquery('simple', ${query.tsQuery}), 1)
    + similarity(t.name, ${query.text}) + CASE WHEN t.name = ${query.text} THEN 1 ELSE 0 END)::numeric, 1)::float8`
}

function filterConditions(filter: SearchFilter) {
  const conditions = [sql`true`]
  if (filter.regionCodes) conditions.push(sql`s.region_code = ANY(${filter.regionCodes}::text[])`)
  if (filter.departmentId) conditions.push(sql`s.department_id = ${filter.departmentId}::uuid`)
  if (filter.audience) conditions.push(sql`s.audience @> ARRAY[${filter.audience}]::text[]`)
  if (filter.theme) conditions.push(sql`s.themes @> ARRAY[${filter.theme}]::text[]`)
  if (filter.onlineOnly) conditions.push(sql`s.visits = 0`)
  return sql.join(conditions, sql` AND `)
}

/**
 * The first `take` hits of a query selecting search columns and `relevance`, best first (relevance, then
 * popularity, name, id), each with the number of hits counted up to TOTAL_CAP.
 */
async function capped(query: RawBuilder<unknown>, take: number, db: Kysely<Database>): Promise<SearchRow[]> {
  const result = await sql<SearchRow>`
    SELECT hits.*, count(*) OVER () AS total
    FROM (${query} ORDER BY relevance DESC, popularity DESC, name, implementation_id LIMIT ${Math.max(TOTAL_CAP, take)}) hits
    ORDER BY relevance DESC, popularity DESC, name, implementation_id LIMIT ${take}`.execute(db)
  return result.rows
}
