import { type Kysely, sql } from 'kysely'

/**
 * Service catalog: base items (基本目录), implementations (实施清单), versioned guides (办事指南) with their
 * forms, search documents, synonyms, bundles (一件事), and the license-type reference list that guides'
 * 免提交 materials point to (to be taken over by the licenses module).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE license_types (
      code text PRIMARY KEY,
      name text NOT NULL UNIQUE,
      issuer_kind text NOT NULL,
      holder text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT license_types_holder_check CHECK (holder IN ('person', 'company'))
    );
    COMMENT ON TABLE license_types IS '证照类型 (GB/T 36902 style): the issuing authority''s 统一社会信用代码 followed by a 3-digit serial. Owned by the catalog until the licenses module takes it over.';
    COMMENT ON COLUMN license_types.issuer_kind IS 'Department kind that issues licenses of this type (DEPARTMENT_KINDS).';
    INSERT INTO license_types (code, name, issuer_kind, holder) VALUES
      ('11100000000013127D001', '居民身份证', 'public_security', 'person'),
      ('11100000000013127D002', '居民户口簿', 'public_security', 'person'),
      ('11100000000013127D003', '机动车驾驶证', 'public_security', 'person'),
      ('11100000000013127D004', '机动车行驶证', 'public_security', 'person'),
      ('11100000000013127D005', '居住证', 'public_security', 'person'),
      ('11100000000010014P001', '营业执照', 'market_regulation', 'company'),
      ('11100000000010014P002', '食品经营许可证', 'market_regulation', 'company'),
      ('11100000000010022J001', '结婚证', 'civil_affairs', 'person'),
      ('11100000000010022J002', '离婚证', 'civil_affairs', 'person'),
      ('11100000000010030D001', '出生医学证明', 'health', 'person'),
      ('11100000000010049A001', '不动产权证书', 'natural_resources', 'person'),
      ('11100000000010049A002', '建设工程规划许可证', 'natural_resources', 'company'),
      ('111000000000100575001', '社会保障卡', 'human_resources', 'person'),
      ('111000000000100575002', '退休证', 'human_resources', 'person'),
      ('111000000000100650001', '教师资格证书', 'education', 'person'),
      ('111000000000100650002', '学历证书', 'education', 'person'),
      ('11100000000010073T001', '道路运输经营许可证', 'transport', 'company'),
      ('11100000000010081M001', '排污许可证', 'ecology', 'company'),
      ('111000000000101026001', '中华人民共和国残疾人证', 'disabled_persons', 'person'),
      ('111000000000101101001', '建筑工程施工许可证', 'housing', 'company');

    CREATE TABLE catalog_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE,
      name text NOT NULL,
      type text NOT NULL,
      legal_basis text NOT NULL,
      department_kind text NOT NULL,
      levels text[] NOT NULL,
      audience text[] NOT NULL,
      themes text[] NOT NULL DEFAULT '{}',
      keywords text[] NOT NULL DEFAULT '{}',
      description text NOT NULL DEFAULT '',
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT catalog_items_code_check CHECK (code ~ '^[0-9A-Z]{4,24}$'),
      CONSTRAINT catalog_items_type_check CHECK (type IN ('administrative_license', 'administrative_confirmation',
        'administrative_payment', 'administrative_ruling', 'administrative_reward', 'administrative_levy',
        'administrative_inspection', 'administrative_penalty', 'administrative_enforcement', 'other_power', 'public_service')),
      CONSTRAINT catalog_items_levels_check CHECK (levels <@ ARRAY['province', 'prefecture', 'county', 'township']::text[] AND cardinality(levels) > 0),
      CONSTRAINT catalog_items_audience_check CHECK (audience <@ ARRAY['person', 'company']::text[] AND cardinality(audience) > 0)
    );
    COMMENT ON TABLE catalog_items IS '基本目录: the standard service items; implementations in regions must keep their code, name, type and legal basis (四级四同).';
    COMMENT ON COLUMN catalog_items.code IS '事项基本编码: the standard item code.';
    COMMENT ON COLUMN catalog_items.legal_basis IS '设定依据: the laws and articles that create the power or service.';
    COMMENT ON COLUMN catalog_items.levels IS 'Levels at which the item is implemented (province, prefecture, county, township).';
    COMMENT ON COLUMN catalog_items.themes IS 'Themes and life events (THEMES in @tongban/contracts).';

    CREATE TABLE catalog_implementations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      item_id uuid NOT NULL REFERENCES catalog_items (id),
      region_code text NOT NULL REFERENCES regions (code),
      department_id uuid NOT NULL REFERENCES departments (id),
      code text NOT NULL,
      name text NOT NULL,
      type text NOT NULL,
      legal_basis text NOT NULL,
      local_notes text NOT NULL DEFAULT '',
      status text NOT NULL DEFAULT 'active',
      origin text NOT NULL DEFAULT 'api',
      published_version integer,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT catalog_implementations_unique UNIQUE (item_id, region_code, department_id),
      CONSTRAINT catalog_implementations_status_check CHECK (status IN ('active', 'suspended')),
      CONSTRAINT catalog_implementations_origin_check CHECK (origin IN ('api', 'import', 'demo', 'bench'))
    );
    COMMENT ON TABLE catalog_implementations IS '实施清单: one region''s and department''s implementation of a base item.';
    COMMENT ON COLUMN catalog_implementations.code IS 'Item code as recorded for this implementation; must equal the base item''s (四级四同). Imports store what they carry and the consistency report flags differences.';
    COMMENT ON COLUMN catalog_implementations.origin IS 'How the row arrived: api (checked on write), import or demo (stored as given), bench (generated).';
    COMMENT ON COLUMN catalog_implementations.published_version IS 'Latest published guide version, null until the first publication.';
    CREATE INDEX catalog_implementations_region_idx ON catalog_implementations (region_code);
    CREATE INDEX catalog_implementations_department_idx ON catalog_implementations (department_id);

    CREATE TABLE catalog_guide_drafts (
      implementation_id uuid PRIMARY KEY REFERENCES catalog_implementations (id),
      status text NOT NULL DEFAULT 'draft',
      revision integer NOT NULL DEFAULT 1,
      content jsonb NOT NULL,
      updated_by text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      submitted_by text,
      submitted_at timestamptz,
      CONSTRAINT catalog_guide_drafts_status_check CHECK (status IN ('draft', 'submitted'))
    );
    COMMENT ON TABLE catalog_guide_drafts IS 'The guide being edited for an implementation: draft, then submitted for review; publishing turns it into a version and removes it.';
    COMMENT ON COLUMN catalog_guide_drafts.revision IS 'Incremented on every save; submit and publish name the revision they act on.';

    CREATE TABLE catalog_guide_versions (
      implementation_id uuid NOT NULL REFERENCES catalog_implementations (id),
      version integer NOT NULL,
      content jsonb NOT NULL,
      published_at timestamptz NOT NULL DEFAULT now(),
      published_by text,
      submitted_by text,
      comment text NOT NULL DEFAULT '',
      PRIMARY KEY (implementation_id, version),
      CONSTRAINT catalog_guide_versions_version_check CHECK (version > 0)
    );
    COMMENT ON TABLE catalog_guide_versions IS 'Published guides with their forms. Immutable: a case keeps the version it was filed under.';
    CREATE FUNCTION catalog_guide_versions_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'published guide versions are immutable (% on %)', TG_OP, TG_TABLE_NAME;
    END $$;
    CREATE TRIGGER catalog_guide_versions_immutable BEFORE UPDATE OR DELETE ON catalog_guide_versions
      FOR EACH ROW EXECUTE FUNCTION catalog_guide_versions_forbid_change();

    CREATE TABLE catalog_search (
      implementation_id uuid PRIMARY KEY REFERENCES catalog_implementations (id),
      item_code text NOT NULL,
      region_code text NOT NULL,
      department_id uuid NOT NULL,
      name text NOT NULL,
      audience text[] NOT NULL,
      themes text[] NOT NULL,
      visits integer NOT NULL,
      online_depth integer NOT NULL,
      version integer NOT NULL,
      document tsvector NOT NULL,
      popularity bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    COMMENT ON TABLE catalog_search IS 'One search document per implementation with a published guide, rebuilt at each publication.';
    COMMENT ON COLUMN catalog_search.document IS 'jieba tokens (search mode plus precise mode) of name (weight A), keywords and themes (B) and guide text (D), in the simple configuration.';
    COMMENT ON COLUMN catalog_search.popularity IS 'Applications filed against this implementation (incremented by the cases module); ranks equally relevant hits.';
    CREATE INDEX catalog_search_document_idx ON catalog_search USING gin (document);
    CREATE INDEX catalog_search_name_trgm_idx ON catalog_search USING gin (name gin_trgm_ops);
    CREATE INDEX catalog_search_region_idx ON catalog_search (region_code, popularity DESC);
    CREATE INDEX catalog_search_department_idx ON catalog_search (department_id);
    CREATE INDEX catalog_search_popularity_idx ON catalog_search (popularity DESC);

    CREATE TABLE catalog_synonyms (
      term text PRIMARY KEY,
      canonical text NOT NULL
    );
    COMMENT ON TABLE catalog_synonyms IS 'Search synonyms: terms with the same canonical form are interchangeable in queries.';
    CREATE INDEX catalog_synonyms_canonical_idx ON catalog_synonyms (canonical);
    INSERT INTO catalog_synonyms (term, canonical) VALUES
      ('公积金', '住房公积金'), ('住房公积金', '住房公积金'),
      ('身份证', '居民身份证'), ('居民身份证', '居民身份证'),
      ('社保', '社会保险'), ('社会保险', '社会保险'),
      ('医保', '医疗保险'), ('医疗保险', '医疗保险'), ('医疗保障', '医疗保险'),
      ('户口', '户籍'), ('户籍', '户籍'),
      ('驾照', '驾驶证'), ('驾驶证', '驾驶证'),
      ('护照', '出入境证件'), ('港澳通行证', '出入境证件'), ('出入境证件', '出入境证件'),
      ('执照', '营业执照'), ('营业执照', '营业执照'),
      ('开公司', '企业设立'), ('注册公司', '企业设立'), ('企业设立', '企业设立'),
      ('房产证', '不动产权证书'), ('不动产权证书', '不动产权证书'), ('不动产', '不动产权证书'),
      ('低保', '最低生活保障'), ('最低生活保障', '最低生活保障'),
      ('养老金', '基本养老金'), ('基本养老金', '基本养老金'),
      ('失业金', '失业保险金'), ('失业保险金', '失业保险金'),
      ('生育津贴', '生育津贴'), ('产假工资', '生育津贴'),
      ('上学', '入学'), ('入学', '入学'),
      ('结婚', '婚姻登记'), ('婚姻登记', '婚姻登记'), ('领证', '婚姻登记');

    CREATE TABLE catalog_bundles (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE,
      name text NOT NULL,
      description text NOT NULL DEFAULT '',
      audience text[] NOT NULL,
      themes text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT catalog_bundles_code_check CHECK (code ~ '^[a-z0-9-]{2,40}$')
    );
    COMMENT ON TABLE catalog_bundles IS '一件事: items of several departments applied for together with one form; resolved per region to published implementations.';
    CREATE TABLE catalog_bundle_items (
      bundle_id uuid NOT NULL REFERENCES catalog_bundles (id),
      item_id uuid NOT NULL REFERENCES catalog_items (id),
      position integer NOT NULL,
      PRIMARY KEY (bundle_id, item_id)
    );
  `.execute(db)
}
