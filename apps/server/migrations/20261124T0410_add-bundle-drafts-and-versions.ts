import { type Kysely, sql } from 'kysely'

/**
 * Bundles (一件事) are edited like guides: a draft, submitted for review, published as an immutable version.
 * A bundle names its lead department (牵头部门), whose department admin (and the system admins over its
 * region) maintain it; bundles without one are maintained by catalog administrators. The bundles already
 * present are recorded as their version 1.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE catalog_bundles
      ADD COLUMN lead_department_id uuid REFERENCES departments (id),
      ADD COLUMN version integer NOT NULL DEFAULT 1,
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
    COMMENT ON COLUMN catalog_bundles.lead_department_id IS '牵头部门: its department admin and the system admins over its region maintain the bundle; null: catalog administrators only.';
    COMMENT ON COLUMN catalog_bundles.version IS 'Latest published version (catalog_bundle_versions); name, items and the rest here are that version''s.';

    CREATE TABLE catalog_bundle_drafts (
      code text PRIMARY KEY,
      lead_department_id uuid NOT NULL REFERENCES departments (id),
      status text NOT NULL DEFAULT 'draft',
      revision integer NOT NULL DEFAULT 1,
      content jsonb NOT NULL,
      updated_by text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      submitted_by text,
      submitted_at timestamptz,
      CONSTRAINT catalog_bundle_drafts_code_check CHECK (code ~ '^[a-z0-9-]{2,40}$'),
      CONSTRAINT catalog_bundle_drafts_status_check CHECK (status IN ('draft', 'submitted'))
    );
    COMMENT ON TABLE catalog_bundle_drafts IS 'A bundle being created or changed: draft, then submitted for review; publishing makes it the bundle''s next version and removes the draft.';
    COMMENT ON COLUMN catalog_bundle_drafts.content IS 'name, description, audience, themes, itemCodes and leadDepartmentId, as published.';
    COMMENT ON COLUMN catalog_bundle_drafts.revision IS 'Incremented on every save; submit and publish name the revision they act on.';

    CREATE TABLE catalog_bundle_versions (
      bundle_id uuid NOT NULL REFERENCES catalog_bundles (id),
      version integer NOT NULL,
      content jsonb NOT NULL,
      published_at timestamptz NOT NULL DEFAULT now(),
      published_by text,
      submitted_by text,
      comment text NOT NULL DEFAULT '',
      PRIMARY KEY (bundle_id, version),
      CONSTRAINT catalog_bundle_versions_version_check CHECK (version > 0)
    );
    COMMENT ON TABLE catalog_bundle_versions IS 'Published bundle versions, immutable.';
    CREATE FUNCTION catalog_bundle_versions_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'published bundle versions are immutable (% on %)', TG_OP, TG_TABLE_NAME;
    END $$;
    CREATE TRIGGER catalog_bundle_versions_immutable BEFORE UPDATE OR DELETE ON catalog_bundle_versions
      FOR EACH ROW EXECUTE FUNCTION catalog_bundle_versions_forbid_change();

    INSERT INTO catalog_bundle_versions (bundle_id, version, content, published_at, comment)
      SELECT b.id, 1, jsonb_build_object(
          'name', b.name, 'description', b.description, 'audience', to_jsonb(b.audience),
          'themes', to_jsonb(b.themes), 'leadDepartmentId', NULL,
          'itemCodes', (SELECT coalesce(jsonb_agg(i.code ORDER BY bi.position), '[]'::jsonb)
                        FROM catalog_bundle_items bi JOIN catalog_items i ON i.id = bi.item_id
                        WHERE bi.bundle_id = b.id)),
        b.created_at, 'recorded when bundle versions were introduced'
      FROM catalog_bundles b;
  `.execute(db)
}
