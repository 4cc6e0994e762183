import { type Kysely, sql } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'

/** Stored answers of requests by their Idempotency-Key (written with the submission); no rules here. */
export class IdempotencyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  find(accountId: string, key: string) {
    return this.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('key', '=', key)
      .executeTakeFirst()
  }

  /** Deletes up to `batch` keys created before `before`; the number deleted. */
  async deleteBefore(before: Date, batch: number): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      WITH gone AS (
        DELETE FROM idempotency_keys WHERE (account_id, key) IN (
          SELECT account_id, key FROM idempotency_keys WHERE created_at < ${before} LIMIT ${batch})
        RETURNING 1)
      SELECT count(*)::int AS n FROM gone`.execute(this.db)
    return Number(rows[0]?.n ?? 0)
  }
}
