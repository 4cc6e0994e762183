import type { FormDocument, GuideContent } from '@tongban/contracts'
import { type Kysely, sql } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'
import type { Executor } from './executor.ts'

/** A published, immutable guide version (办事指南). */
export interface GuideVersionRecord {
  implementation_id: string
  version: number
  content: GuideContent
  published_at: Date
  published_by: string | null
}

/** A published form of an item, and one implementation publishing it. */
export interface PublishedForm {
  item_code: string
  implementation_id: string
  region_code: string
  version: number
  form: FormDocument
}

/** Queries of catalog_guide_versions; no rules here. */
export class GuideVersionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(
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

  find(implementationId: string, version: number): Promise<GuideVersionRecord | undefined> {
    return this.db
      .selectFrom('catalog_guide_versions')
      .select(['implementation_id', 'version', 'content', 'published_at', 'published_by'])
      .where('implementation_id', '=', implementationId)
      .where('version', '=', version)
      .executeTakeFirst() as Promise<GuideVersionRecord | undefined>
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
