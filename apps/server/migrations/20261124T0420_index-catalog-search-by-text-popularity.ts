import { type Kysely, sql } from 'kysely'

/**
 * A search without a region reads, for each matched text, its most popular implementations first: an index
 * on (text, popularity) lets it stop after a page instead of sorting thousands of rows per text.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX catalog_search_text_popularity_idx ON catalog_search (text_id, popularity DESC)`.execute(
    db,
  )
}
