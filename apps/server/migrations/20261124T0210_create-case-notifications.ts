import { type Kysely, sql } from 'kysely'

/**
 * 办件 milestone notifications waiting to be sent. The outbox consumer only records them (inside the
 * relay's transaction, where it must not wait on other queries: PGlite has one connection); a sender
 * looks up the applicant's contact and sends them afterwards, at least once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE case_notifications (
      event_id bigint PRIMARY KEY,
      topic text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      claimed_until timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      last_error text
    );
    COMMENT ON TABLE case_notifications IS 'Milestone notifications of case events (one per outbox event id) not yet sent to the applicant; a row is deleted once sent.';
    COMMENT ON COLUMN case_notifications.claimed_until IS 'A sender is working the row until then (lease); after a failure, when it may be retried.';
  `.execute(db)
}
