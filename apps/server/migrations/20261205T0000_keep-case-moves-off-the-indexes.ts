import { type Kysely, sql } from 'kysely'

/**
 * A move that changes no indexed column of its case is a heap-only (HOT) update: PostgreSQL writes the new
 * row version next to the old one and touches none of the table's ten indexes. Every move changes
 * `status`, which the open-cases index used in its predicate, so every move wrote an entry into every
 * index. That index now keys on `closed`, a column PostgreSQL derives from `status` and which changes
 * once, when the case's work is over (completed, delivered, refused or withdrawn), so accepting,
 * reviewing, approving, suspending and resuming stay off the indexes, as long as the page has room for the
 * new version: pages keep 30% free (at 20%, half of the moves found none). See
 * docs/decisions/0014-hot-case-moves.md.
 *
 * `cases_abort`, which aborted the one-statement case writes of before decision 0013, is no longer called.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE cases ADD COLUMN closed boolean NOT NULL
      GENERATED ALWAYS AS (status IN ('completed', 'delivered', 'refused', 'withdrawn')) STORED;
    COMMENT ON COLUMN cases.closed IS 'The case''s work is over (completed, delivered, refused, withdrawn), derived from status: what the open-cases index keys on instead of status, so that moves between open states change no indexed column.';
    DROP INDEX cases_open_idx;
    CREATE INDEX cases_open_idx ON cases (region_code, department_id) WHERE NOT closed;
    ALTER TABLE cases SET (fillfactor = 70);
    DROP FUNCTION cases_abort(text, text);
  `.execute(db)
}
