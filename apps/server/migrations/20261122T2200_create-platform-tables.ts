import { type Kysely, sql } from 'kysely'

/** Foundation tables: hash-chained audit log with its archive, transactional outbox, stored files. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE EXTENSION IF NOT EXISTS pg_trgm;

    CREATE TABLE audit_log (
      seq bigint PRIMARY KEY,
      occurred_at timestamptz NOT NULL,
      actor_id text,
      actor_kind text NOT NULL,
      action text NOT NULL,
      resource_type text,
      resource_id text,
      region_code text,
      ip text,
      request_id text,
      outcome text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}',
      prev_hash text NOT NULL,
      hash text NOT NULL,
      CONSTRAINT audit_log_outcome_check CHECK (outcome IN ('success', 'denied', 'failure')),
      CONSTRAINT audit_log_actor_kind_check CHECK (actor_kind IN ('person', 'company', 'staff', 'system', 'anonymous'))
    );
    COMMENT ON TABLE audit_log IS 'Append-only, SM3 hash-chained record of sensitive reads and every write (GB/T 22239 level 3).';
    COMMENT ON COLUMN audit_log.seq IS 'Position in the hash chain: gapless, assigned under the chain head lock.';
    COMMENT ON COLUMN audit_log.prev_hash IS 'hash of the entry at seq - 1 (64 zeros for the first entry).';
    COMMENT ON COLUMN audit_log.hash IS 'SM3 over prev_hash and the canonical JSON of this entry''s fields.';
    CREATE INDEX audit_log_occurred_at_idx ON audit_log (occurred_at);
    CREATE INDEX audit_log_resource_idx ON audit_log (resource_type, resource_id);
    CREATE INDEX audit_log_actor_idx ON audit_log (actor_id);

    CREATE TABLE audit_log_archive (LIKE audit_log INCLUDING CONSTRAINTS INCLUDING DEFAULTS);
    ALTER TABLE audit_log_archive ADD PRIMARY KEY (seq);
    ALTER TABLE audit_log_archive ADD COLUMN archived_at timestamptz NOT NULL DEFAULT now();
    COMMENT ON TABLE audit_log_archive IS 'Audit entries older than the retention period, moved here unchanged; the chain continues across both tables.';

    CREATE TABLE audit_chain_head (
      id boolean PRIMARY KEY DEFAULT true,
      seq bigint NOT NULL,
      hash text NOT NULL,
      CONSTRAINT audit_chain_head_single_row CHECK (id)
    );
    COMMENT ON TABLE audit_chain_head IS 'The last link of the audit chain; its row lock serializes appends.';
    INSERT INTO audit_chain_head (seq, hash) VALUES (0, repeat('0', 64));

    CREATE FUNCTION audit_log_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND current_setting('tongban.audit_archiving', true) = 'on' THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'audit entries are append-only (% on %)', TG_OP, TG_TABLE_NAME;
    END $$;
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_forbid_change();
    CREATE TRIGGER audit_log_archive_append_only BEFORE UPDATE OR DELETE ON audit_log_archive
      FOR EACH ROW EXECUTE FUNCTION audit_log_forbid_change();

    CREATE TABLE outbox (
      id bigserial PRIMARY KEY,
      topic text NOT NULL,
      aggregate_id text,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz,
      claimed_until timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      last_error text
    );
    COMMENT ON TABLE outbox IS 'Domain events, written in the same transaction as the change; the relay delivers them at least once.';
    COMMENT ON COLUMN outbox.claimed_until IS 'Lease of the relay that is delivering the event; another relay may take it after this time.';
    CREATE INDEX outbox_pending_idx ON outbox (id) WHERE published_at IS NULL;

    CREATE TABLE event_receipts (
      consumer text NOT NULL,
      event_id bigint NOT NULL,
      handled_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    );
    COMMENT ON TABLE event_receipts IS 'Which consumer has handled which outbox event: makes redelivery harmless.';

    CREATE TABLE stored_files (
      sha256 text PRIMARY KEY,
      size_bytes bigint NOT NULL,
      media_type text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT stored_files_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$')
    );
    COMMENT ON TABLE stored_files IS 'Content-addressed files in the file store; media_type is sniffed from the content.';
  `.execute(db)
}
