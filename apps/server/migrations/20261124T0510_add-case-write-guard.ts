import { type Kysely, sql } from 'kysely'

/**
 * A submission or a move of a case is written in one statement (data-modifying CTEs: the case, its event,
 * task, the outbox event and the audit entry), so it commits in one round trip without BEGIN/COMMIT. When
 * a condition fails inside it (the Idempotency-Key is held by a committed request, the case moved on
 * since it was read), `cases_abort` raises an error with a code of its own, and the whole statement
 * writes nothing.
 *
 * Milestone notifications are claimed per case in order: the index serves the claim's look-up of an
 * earlier waiting notification of the same case (a scan of the whole queue per row before).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION cases_abort(code text, message text) RETURNS boolean LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION USING ERRCODE = code, MESSAGE = message;
    END $$;
    COMMENT ON FUNCTION cases_abort(text, text) IS 'Aborts a one-statement case write: TB001 the Idempotency-Key is taken, TB002 the case moved on (stale version).';

    CREATE INDEX case_notifications_case_idx ON case_notifications ((payload->>'caseId'), event_id);
  `.execute(db)
}
