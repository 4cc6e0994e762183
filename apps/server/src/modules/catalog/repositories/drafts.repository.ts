import type { DraftStatus } from '@tongban/contracts'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'
import type { Executor } from './executor.ts'

/** A draft under review (a guide's or a bundle's), as stored. */
export interface DraftRecord<C> {
  /** The implementation's id for a guide, the bundle's code for a bundle. */
  key: string
  status: DraftStatus
  /** Incremented on every save; submit and publish name the revision they act on. */
  revision: number
  content: C
  updated_by: string | null
  updated_at: Date
  submitted_by: string | null
}

/**
 * Where one kind of draft is kept: guide drafts and bundle drafts have the same columns, keyed differently;
 * `columnsOf` gives the columns a kind keeps beside its content (a bundle's lead department).
 */
export interface DraftTable<C> {
  table: 'catalog_guide_drafts' | 'catalog_bundle_drafts'
  key: 'implementation_id' | 'code'
  columnsOf?(content: C): Record<string, string>
}

/** Queries of a draft table (catalog_guide_drafts or catalog_bundle_drafts); no rules here. */
export class DraftsRepository<C> {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly drafts: DraftTable<C>,
  ) {}

  private select(key: string, lock: boolean) {
    const { table, key: column } = this.drafts
    return sql<DraftRecord<C>>`
      SELECT ${sql.ref(column)} AS key, status, revision, content, updated_by, updated_at, submitted_by
      FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${key} ${lock ? sql`FOR UPDATE` : sql``}`
  }

  async findByKey(key: string, db: Executor = this.db): Promise<DraftRecord<C> | undefined> {
    return (await this.select(key, false).execute(db)).rows[0]
  }

  /** Locks the draft row until the transaction ends. */
  async lockByKey(db: Transaction<Database>, key: string): Promise<DraftRecord<C> | undefined> {
    return (await this.select(key, true).execute(db)).rows[0]
  }

  /** Creates the draft, or replaces its content as the next revision, back in status draft. */
  async upsert(db: Executor, key: string, content: C, by: string | null): Promise<number> {
    const { table, key: column } = this.drafts
    const extra = Object.entries(this.drafts.columnsOf?.(content) ?? {})
    const columns = [column, 'content', 'updated_by', ...extra.map(([name]) => name)].map((c) => sql.ref(c))
    const values = [key, JSON.stringify(content), by, ...extra.map(([, value]) => value)]
    const kept = extra.map(([name]) => sql`${sql.ref(name)} = excluded.${sql.ref(name)}`)
    const result = await sql<{ revision: number }>`
      INSERT INTO ${sql.table(table)} (${sql.join(columns)}) VALUES (${sql.join(values)})
      ON CONFLICT (${sql.ref(column)}) DO UPDATE SET
        content = excluded.content, updated_by = excluded.updated_by, updated_at = now(),
        status = 'draft', submitted_by = NULL, submitted_at = NULL,
        ${sql.join([...kept, sql`revision = ${sql.table(table)}.revision + 1`])}
      RETURNING revision`.execute(db)
    const [row] = result.rows
    if (!row) throw new Error(`${table}: the upsert of ${key} returned no row`)
    return row.revision
  }

  /** Moves the draft to `status`, recording who submitted it. */
  async updateStatus(db: Executor, key: string, status: 'submitted', by: string | null): Promise<void> {
    const { table, key: column } = this.drafts
    await sql`
      UPDATE ${sql.table(table)} SET status = ${status}, submitted_by = ${by}, submitted_at = now()
      WHERE ${sql.ref(column)} = ${key}`.execute(db)
  }

  async delete(db: Executor, key: string): Promise<void> {
    const { table, key: column } = this.drafts
    await sql`DELETE FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${key}`.execute(db)
  }
}
