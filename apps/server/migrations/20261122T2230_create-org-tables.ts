import { type Kysely, sql } from 'kysely'

/** Regions (GB/T 2260, extendable to township and village) and departments. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE regions (
      code text PRIMARY KEY,
      name text NOT NULL,
      level text NOT NULL,
      parent_code text REFERENCES regions (code),
      source text NOT NULL DEFAULT 'gb2260',
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT regions_code_check CHECK (code ~ '^(\\d{6}|\\d{12})$'),
      CONSTRAINT regions_level_check CHECK (level IN ('province', 'prefecture', 'county', 'township', 'village')),
      CONSTRAINT regions_source_check CHECK (source IN ('gb2260', 'local'))
    );
    COMMENT ON TABLE regions IS '行政区划: GB/T 2260 provinces, prefectures and counties (synchronised from @tongban/standards), plus townships and villages added locally with 12-digit codes.';
    COMMENT ON COLUMN regions.source IS 'gb2260: from the national table shipped with the standards package; local: added by an administrator.';
    CREATE INDEX regions_parent_idx ON regions (parent_code);

    CREATE TABLE departments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      region_code text NOT NULL REFERENCES regions (code),
      name text NOT NULL,
      short_name text NOT NULL,
      kind text NOT NULL,
      uscc text NOT NULL UNIQUE,
      phone text,
      address text,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT departments_name_unique UNIQUE (region_code, name)
    );
    COMMENT ON TABLE departments IS '部门: a government agency in a region.';
    COMMENT ON COLUMN departments.kind IS 'Department kind (market_regulation, public_security, ...): see DEPARTMENT_KINDS in @tongban/contracts.';
    COMMENT ON COLUMN departments.version IS 'Incremented on every change; updates name the version they change (optimistic concurrency).';
    CREATE INDEX departments_region_idx ON departments (region_code);
    CREATE INDEX departments_kind_idx ON departments (kind);
  `.execute(db)
}
