import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'
import type { Executor } from './executor.ts'

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

/** A search text matched by a query, with its relevance (see `findMatchingTexts`). */
export interface TextMatch {
  id: string
  relevance: number
}

/** Departments picked by id, or as those whose terms match any of the query's (`a | b | …`). */
export type DepartmentSelection = { ids: string[] } | { anyTsQuery: string }

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

/** Queries of the search tables (catalog_search, its texts, departments' terms, synonyms); no rules here. */
export class SearchRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Stores the search document of a published guide: its text (shared with every implementation whose
   * text is the same), its department's terms, and its own row. Says what changed, for the caches.
   */
  async upsertDocument(
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
  async deleteDocument(db: Executor, implementationId: string): Promise<string | null> {
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
  async findMatchingTexts(query: { text: string; tsQuery: string }): Promise<TextMatch[]> {
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
  async findLexemes(tokens: string[]): Promise<string[]> {
    const result = await sql<{ lexemes: string[] }>`
      SELECT tsvector_to_array(to_tsvector('simple', ${tokens.join(' ')})) AS lexemes`.execute(this.db)
    return result.rows[0]?.lexemes ?? []
  }

  /** The search terms (lexemes) of every department with a published guide. */
  async findDepartmentTerms(): Promise<{ department_id: string; region_code: string; lexemes: string[] }[]> {
    const result = await sql<{ department_id: string; region_code: string; lexemes: string[] }>`
      SELECT department_id, region_code, tsvector_to_array(document) AS lexemes
      FROM catalog_search_departments`.execute(this.db)
    return result.rows
  }

  /**
   * Second step, for departments whose name has none of the query's terms: the implementations using the
   * matched texts, with the texts' relevance. `departments` names the departments to leave out (their
   * implementations go through `findByDepartments`): by id, or as those matching any query term.
   */
  async findByTexts(
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
  async findByDepartments(
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
  findPopular(filter: SearchFilter, take: number): Promise<SearchRow[]> {
    return capped(
      sql`SELECT ${searchColumns}, 0::float8 AS relevance FROM catalog_search s WHERE ${filterConditions(filter)}`,
      take,
      this.db,
    )
  }

  async findSynonyms(): Promise<{ term: string; canonical: string }[]> {
    return this.db.selectFrom('catalog_synonyms').select(['term', 'canonical']).execute()
  }
}

/** Searches count at most this many matches (the answer's `total` is capped there). */
const TOTAL_CAP = 1000

const RANK_WEIGHTS = sql.raw(`'{0.1, 0.2, 0.4, 1.0}'`)

const searchColumns = sql`s.implementation_id, s.item_code, s.name, s.region_code, s.department_id, s.audience,
  s.themes, s.visits, s.online_depth, s.version, s.popularity`

/** Relevance of text `t` (its document given, maybe joined with a department's): see `findMatchingTexts`. */
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
