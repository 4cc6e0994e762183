import { type Kysely, sql } from 'kysely'

/**
 * 办件 search and upload ownership: the applicant's name and kind on the case (staff search by name
 * prefix), the moment of acceptance, who uploaded which file (a file can be attached only by an account
 * that uploaded it), and the indexes of staff search and of idempotency-key expiry.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE cases
      ADD COLUMN applicant_name text,
      ADD COLUMN applicant_kind text,
      ADD COLUMN accepted_at timestamptz,
      ADD CONSTRAINT cases_applicant_kind_check CHECK (applicant_kind IS NULL OR applicant_kind IN ('person', 'company'));
    COMMENT ON COLUMN cases.applicant_name IS 'Name of the applicant when the case was filed: the person, or the company an agent filed for (staff search by name prefix; masked in lists). Null on cases filed before this column existed.';
    COMMENT ON COLUMN cases.applicant_kind IS 'person or company: whether applicant_name is a person''s name (masked in lists) or a company''s.';
    COMMENT ON COLUMN cases.accepted_at IS 'The moment of acceptance (受理); accepted_on is its Asia/Shanghai date, from which the time limit counts.';
    UPDATE cases c SET accepted_at = (
      SELECT max(e.occurred_at) FROM case_events e WHERE e.case_id = c.id AND e.type = 'accepted')
      WHERE c.accepted_on IS NOT NULL;
    CREATE INDEX cases_applicant_name_idx ON cases (applicant_name text_pattern_ops);
    CREATE INDEX cases_region_submitted_idx ON cases (region_code, submitted_at DESC);

    CREATE TABLE case_uploads (
      account_id text NOT NULL,
      sha256 text NOT NULL REFERENCES stored_files (sha256),
      name text NOT NULL,
      uploaded_at timestamptz NOT NULL,
      PRIMARY KEY (account_id, sha256)
    );
    COMMENT ON TABLE case_uploads IS 'Who uploaded which file (the file store is content-addressed and shared): an application, draft or move may only reference files its own account uploaded.';
    COMMENT ON COLUMN case_uploads.name IS 'The file name as first uploaded by this account (already made safe).';

    CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
    COMMENT ON COLUMN idempotency_keys.created_at IS 'When the answer was stored (platform clock); after IDEMPOTENCY_KEY_TTL_HOURS the key is expired: a retry is a new request, and a periodic cleanup deletes the row.';
  `.execute(db)
}
