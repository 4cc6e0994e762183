import { type Kysely, sql } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'
import type { Executor } from './executor.ts'

/** 一件事: a bundle's published state as stored. */
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

/** Queries of catalog_bundles, their member items and their versions; no rules here. */
export class BundlesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findAll(db: Executor = this.db): Promise<BundleRecord[]> {
    return db
      .selectFrom('catalog_bundles')
      .select(['id', 'code', 'name', 'description', 'audience', 'themes', 'lead_department_id', 'version'])
      .orderBy('code')
      .execute()
  }

  findByCode(code: string, db: Executor = this.db): Promise<BundleRecord | undefined> {
    return db
      .selectFrom('catalog_bundles')
      .select(['id', 'code', 'name', 'description', 'audience', 'themes', 'lead_department_id', 'version'])
      .where('code', '=', code)
      .executeTakeFirst()
  }

  async findItemCodes(bundleIds: string[]): Promise<Map<string, { itemId: string; code: string }[]>> {
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
  async upsert(
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

  async insertVersion(
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

  findVersion(
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
}
