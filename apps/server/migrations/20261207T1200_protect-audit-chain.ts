import { type Kysely, sql } from 'kysely'

/**
 * The audit chain against its own application role (GB/T 22239 level 3: nothing changes unseen).
 *
 * Before, any session could `SET tongban.audit_archiving = on` and DELETE entries, and the chain head had
 * no guard, so a role that could write the database could cut or re-chain the log. Now only the owner of
 * the audit tables (the role that runs migrations) may link or move entries, and only inside the SECURITY
 * DEFINER functions below, which the application role calls: `audit_chain_lock`, `audit_seal`,
 * `audit_archive`. The application role gets no UPDATE, DELETE or TRUNCATE on the audit tables (see
 * platform/db/roles.ts), so the settings alone unlock nothing. On a single-role setup (PGlite, or a
 * development PostgreSQL) the owner is the application: there the signed checkpoints in the file store
 * are what detects tampering. See docs/decisions/0016-audit-chain-against-its-own-role.md.
 *
 * Also: `key_checks`, so a node started with another master key refuses to start.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION audit_owner_acts(relation oid) RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT current_user = (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = relation)
    $$;
    COMMENT ON FUNCTION audit_owner_acts(oid) IS 'Whether the current user owns the relation: true inside the audit functions (SECURITY DEFINER), false for the application role.';

    CREATE OR REPLACE FUNCTION audit_log_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND audit_owner_acts(TG_RELID)
        AND current_setting('tongban.audit_archiving', true) = 'on' THEN
        RETURN OLD;
      END IF;
      -- the sealer links an unsealed entry into the chain, once, changing nothing else
      IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'audit_log' AND audit_owner_acts(TG_RELID)
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

    CREATE FUNCTION audit_chain_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND audit_owner_acts(TG_RELID)
        AND current_setting('tongban.audit_sealing', true) = 'on' AND NEW.seq > OLD.seq THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'the audit chain head only moves forward, through audit_seal() (% on %)', TG_OP, TG_TABLE_NAME;
    END $$;
    CREATE TRIGGER audit_chain_head_forward_only BEFORE INSERT OR UPDATE OR DELETE ON audit_chain_head
      FOR EACH ROW EXECUTE FUNCTION audit_chain_head_guard();
    CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
      FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_guard();

    CREATE FUNCTION audit_chain_lock(wait boolean) RETURNS TABLE (seq bigint, hash text)
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
      IF wait THEN
        RETURN QUERY SELECT h.seq, h.hash FROM audit_chain_head h FOR UPDATE;
      ELSE
        RETURN QUERY SELECT h.seq, h.hash FROM audit_chain_head h FOR UPDATE SKIP LOCKED;
      END IF;
    END $$;
    COMMENT ON FUNCTION audit_chain_lock(boolean) IS 'Locks the chain head for the rest of the transaction (one sealer at a time); no row when another holds it and wait is false.';

    CREATE FUNCTION audit_seal(ids bigint[], seqs bigint[], prev_hashes text[], hashes text[]) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
      head record;
      n integer := coalesce(cardinality(ids), 0);
      linked integer;
    BEGIN
      SELECT h.seq, h.hash INTO head FROM audit_chain_head h FOR UPDATE;
      IF n = 0 THEN RETURN 0; END IF;
      IF cardinality(seqs) <> n OR cardinality(prev_hashes) <> n OR cardinality(hashes) <> n THEN
        RAISE EXCEPTION 'audit_seal: the arrays differ in length';
      END IF;
      IF seqs[1] <> head.seq + 1 OR prev_hashes[1] <> head.hash THEN
        RAISE EXCEPTION 'audit_seal: the links do not continue the chain head (seq %)', head.seq;
      END IF;
      FOR i IN 2..n LOOP
        IF seqs[i] <> seqs[i - 1] + 1 OR prev_hashes[i] <> hashes[i - 1] THEN
          RAISE EXCEPTION 'audit_seal: link % does not follow the one before it', seqs[i];
        END IF;
      END LOOP;
      PERFORM set_config('tongban.audit_sealing', 'on', true);
      UPDATE audit_log AS a SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
        FROM unnest(ids, seqs, prev_hashes, hashes) AS v(id, seq, prev_hash, hash)
        WHERE a.id = v.id AND a.seq IS NULL;
      GET DIAGNOSTICS linked = ROW_COUNT;
      IF linked <> n THEN
        RAISE EXCEPTION 'audit_seal: % of % entries are missing or sealed already', n - linked, n;
      END IF;
      UPDATE audit_chain_head SET seq = seqs[n], hash = hashes[n];
      PERFORM set_config('tongban.audit_sealing', 'off', true);
      RETURN n;
    END $$;
    COMMENT ON FUNCTION audit_seal(bigint[], bigint[], text[], text[]) IS 'Links unsealed entries into the chain: the links must continue the head and each other; the only way the chain head moves.';

    CREATE FUNCTION audit_archive(cutoff timestamptz) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
      moved integer;
      bound timestamptz := least(cutoff, now() - interval '180 days');
    BEGIN
      PERFORM set_config('tongban.audit_archiving', 'on', true);
      WITH boundary AS (
        SELECT coalesce(min(seq), (SELECT max(seq) + 1 FROM audit_log)) AS seq FROM audit_log
        WHERE occurred_at >= bound AND seq IS NOT NULL
      ),
      gone AS (DELETE FROM audit_log WHERE seq < (SELECT seq FROM boundary) RETURNING *)
      INSERT INTO audit_log_archive (id, seq, occurred_at, actor_id, actor_kind, action, resource_type,
        resource_id, region_code, ip, request_id, outcome, details, prev_hash, hash)
      SELECT id, seq, occurred_at, actor_id, actor_kind, action, resource_type, resource_id,
        region_code, ip, request_id, outcome, details, prev_hash, hash FROM gone;
      GET DIAGNOSTICS moved = ROW_COUNT;
      PERFORM set_config('tongban.audit_archiving', 'off', true);
      RETURN moved;
    END $$;
    COMMENT ON FUNCTION audit_archive(timestamptz) IS 'Moves sealed entries older than the cutoff (and at least 180 days, GB/T 22239) to the archive, unchanged, as a prefix of the chain.';

    CREATE FUNCTION audit_archive_insert_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF audit_owner_acts(TG_RELID) AND current_setting('tongban.audit_archiving', true) = 'on' THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'the audit archive is written only by audit_archive() (% on %)', TG_OP, TG_TABLE_NAME;
    END $$;
    CREATE TRIGGER audit_log_archive_written_by_archiving BEFORE INSERT ON audit_log_archive
      FOR EACH ROW EXECUTE FUNCTION audit_archive_insert_guard();

    -- callable only by the roles platform/db/roles.ts grants them to
    REVOKE ALL ON FUNCTION audit_chain_lock(boolean) FROM PUBLIC;
    REVOKE ALL ON FUNCTION audit_seal(bigint[], bigint[], text[], text[]) FROM PUBLIC;
    REVOKE ALL ON FUNCTION audit_archive(timestamptz) FROM PUBLIC;

    CREATE TABLE key_checks (
      purpose text PRIMARY KEY,
      value text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    COMMENT ON TABLE key_checks IS 'Key check values: HMAC-SM3 of a fixed text under an installation key, written by the first node; a node whose key gives another value refuses to start.';
  `.execute(db)
}
