import { type Kysely, sql } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'

/** The counters of 办件编号 sequence numbers, per region and day; no rules here. */
export class SequencesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Reserves `count` sequence numbers of a region and day (atomic, safe under concurrency) and returns the
   * last of them: the block is last - count + 1 … last.
   */
  async reserve(regionCode: string, day: string, count: number): Promise<number> {
    const { rows } = await sql<{ last_value: number }>`
      INSERT INTO case_sequences (region_code, day, last_value) VALUES (${regionCode}, ${day}, ${count})
      ON CONFLICT (region_code, day) DO UPDATE SET last_value = case_sequences.last_value + ${count}
      RETURNING last_value`.execute(this.db)
    const [row] = rows
    if (!row) throw new Error('reserving case numbers returned no row')
    return Number(row.last_value)
  }
}
