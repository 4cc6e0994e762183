import { type Kysely, sql } from 'kysely'

/**
 * Automatic issuance issues from the `case.completed` event, not from the case read back: the request
 * keeps the event's payload (applicant, company, department, region, implementation, guide version,
 * decision and the SM4-encrypted form). Requests still pending take theirs from the outbox, where the
 * event they were queued from still is.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE license_issue_requests ADD COLUMN completion jsonb;
    COMMENT ON COLUMN license_issue_requests.completion IS 'The case.completed payload the request was queued from (its form SM4-encrypted, as in the event): what automatic issuance issues from. Null only for requests finished before it was kept.';
    UPDATE license_issue_requests r SET completion = o.payload
      FROM outbox o
      WHERE r.processed_at IS NULL AND o.topic = 'case.completed' AND o.aggregate_id = r.case_id::text;
  `.execute(db)
}
