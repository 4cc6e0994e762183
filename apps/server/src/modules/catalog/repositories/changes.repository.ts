import { type Kysely, type Selectable, sql } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'
import type { Executor } from './executor.ts'

/** What a change to the catalog invalidates on every node (catalog_changes.kind). */
export type CatalogChangeKind = Selectable<Database['catalog_changes']>['kind']

/** Queries of the change log (catalog_changes) that keeps every node's caches current; no rules here. */
export class ChangesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(db: Executor, kind: CatalogChangeKind, key: string | null): Promise<void> {
    await db.insertInto('catalog_changes').values({ kind, key }).execute()
  }

  async findLatestSeq(): Promise<number> {
    const row = await this.db
      .selectFrom('catalog_changes')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst()
    return Number(row?.seq ?? 0)
  }

  /** Changes after `after`, and those of `missing` (sequence numbers skipped earlier) that have committed since. */
  findSince(
    after: number,
    missing: number[],
    limit: number,
  ): Promise<{ seq: number; kind: CatalogChangeKind; key: string | null }[]> {
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

  async deleteOlderThan(olderThanHours: number): Promise<void> {
    await this.db
      .deleteFrom('catalog_changes')
      .where('changed_at', '<', sql<Date>`now() - make_interval(hours => ${olderThanHours})`)
      .execute()
  }
}
