import { type Kysely, sql } from 'kysely'

/**
 * Audit entries are appended unchained inside the business transaction (no lock, so audited
 * transactions commit concurrently) and chained moments later by one sealer, in the order it sees them
 * committed. `id` identifies an entry from its insert; `seq`, `prev_hash` and `hash` are its place in the
 * chain, set once by the sealer. Entries already in the chain keep their links (id = seq).
 * See docs/decisions/0006-sealed-audit-chain.md.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE audit_log DISABLE TRIGGER USER;
    ALTER TABLE audit_log ADD COLUMN id bigint;
    UPDATE audit_log SET id = seq;
    ALTER TABLE audit_log ENABLE TRIGGER USER;
    CREATE SEQUENCE audit_log_id_seq OWNED BY audit_log.id;
    SELECT setval('audit_log_id_seq', greatest(
      (SELECT max(seq) FROM audit_log), (SELECT max(seq) FROM audit_log_archive), 1));
    ALTER TABLE audit_log ALTER COLUMN id SET DEFAULT nextval('audit_log_id_seq'), ALTER COLUMN id SET NOT NULL;
    ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey;
    ALTER TABLE audit_log ADD PRIMARY KEY (id);
    ALTER TABLE audit_log ALTER COLUMN seq DROP NOT NULL, ALTER COLUMN prev_hash DROP NOT NULL,
      ALTER COLUMN hash DROP NOT NULL;
    ALTER TABLE audit_log ADD CONSTRAINT audit_log_sealed_check
      CHECK ((seq IS NULL) = (hash IS NULL) AND (seq IS NULL) = (prev_hash IS NULL));
    CREATE UNIQUE INDEX audit_log_seq_key ON audit_log (seq);
    CREATE INDEX audit_log_unsealed_idx ON audit_log (id) WHERE seq IS NULL;
    COMMENT ON COLUMN audit_log.id IS 'Identity of the entry from its insert, in its business transaction.';
    COMMENT ON COLUMN audit_log.seq IS 'Position in the hash chain: gapless, assigned by the sealer; NULL until sealed.';
    COMMENT ON TABLE audit_chain_head IS 'The last link of the audit chain; its row lock serializes sealers.';

    ALTER TABLE audit_log_archive DISABLE TRIGGER USER;
    ALTER TABLE audit_log_archive ADD COLUMN id bigint;
    UPDATE audit_log_archive SET id = seq;
    ALTER TABLE audit_log_archive ENABLE TRIGGER USER;
    ALTER TABLE audit_log_archive ALTER COLUMN id SET NOT NULL;

    CREATE OR REPLACE FUNCTION audit_log_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND current_setting('tongban.audit_archiving', true) = 'on' THEN
        RETURN OLD;
      END IF;
      -- the sealer links an unsealed entry into the chain, once, changing nothing else
      IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'audit_log'
        AND current_setting('tongban.audit_sealing', true) = 'on'
        AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
        AND (NEW.id, NEW.occurred_at, NEW.actor_id, NEW.actor_kind, NEW.action, NEW.resource_type,
             NEW.resource_id, NEW.region_code, NEW.ip, NEW.request_id, NEW.outcome, NEW.details)
          IS NOT DISTINCT FROM
            (OLD.id, OLD.occurred_at, OLD.actor_id, OLD.actor_kind, OLD.action, OLD.resource_type,
             OLD.resource_id, OLD.region_code, OLD.ip, OLD.request_id, OLD.outcome, OLD.details) THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'audit entries are append-only (% on %)', TG_OP, TG_TABLE_NAME;
    END $$;
  `.execute(db)
}
