import { type Kysely, sql } from 'kysely'

/**
 * Search in two steps instead of one pass over every implementation. The text of a published guide (name,
 * keywords, themes, type, guide text) moves to `catalog_search_texts`, one row per distinct text: the
 * implementations of one base item nearly always share it, so a query is matched against a few hundred
 * texts, then joined to the region's implementations through (text, region). The department's name, the
 * only per-implementation part of the old document, moves to `catalog_search_departments`, one row per
 * department. `catalog_changes` is the change log every API node polls to drop what it caches (guides,
 * matched texts, department terms) when another node publishes.
 *
 * Existing documents are split in place: weight C (the department) and the rest, with positions renumbered
 * as if each part had been built on its own, so a backfilled text equals the one a new publication builds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE catalog_search_texts (
      id text PRIMARY KEY,
      name text NOT NULL,
      document tsvector NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT catalog_search_texts_id_check CHECK (id ~ '^[0-9a-f]{32}$')
    );
    COMMENT ON TABLE catalog_search_texts IS 'Distinct search texts of published guides; implementations sharing a text share the row.';
    COMMENT ON COLUMN catalog_search_texts.id IS 'md5 of the name, a newline and the document''s text form: equal texts get equal ids.';
    COMMENT ON COLUMN catalog_search_texts.document IS 'jieba tokens in the simple configuration: name (weight A), keywords, themes and type (B), description and guide text (D).';
    CREATE INDEX catalog_search_texts_document_idx ON catalog_search_texts USING gin (document);
    CREATE INDEX catalog_search_texts_name_trgm_idx ON catalog_search_texts USING gin (name gin_trgm_ops);

    CREATE TABLE catalog_search_departments (
      department_id uuid PRIMARY KEY,
      region_code text NOT NULL,
      document tsvector NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    COMMENT ON TABLE catalog_search_departments IS 'Search terms of each department with a published guide (its name and short name, weight C), as of its latest publication.';
    CREATE INDEX catalog_search_departments_region_idx ON catalog_search_departments (region_code);
    CREATE INDEX catalog_search_departments_document_idx ON catalog_search_departments USING gin (document);

    CREATE TABLE catalog_changes (
      seq bigserial PRIMARY KEY,
      kind text NOT NULL,
      key text,
      changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      CONSTRAINT catalog_changes_kind_check CHECK (kind IN ('guide', 'text', 'department'))
    );
    COMMENT ON TABLE catalog_changes IS 'What changed for the caches of every node: guide (key: implementation id), text (a new search text), department (key: region code). Kept one day.';
    CREATE INDEX catalog_changes_changed_at_idx ON catalog_changes (changed_at);

    CREATE FUNCTION catalog_tsvector_part(doc tsvector, part text) RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
      WITH e AS (SELECT u.lexeme, p.pos, p.w FROM unnest(doc) u, unnest(u.positions, u.weights) AS p(pos, w)),
      m AS (SELECT coalesce(max(pos) FILTER (WHERE w IN ('A', 'B')), 0) AS ab,
                   coalesce(max(pos) FILTER (WHERE w IN ('A', 'B', 'C')), 0) AS abc FROM e),
      kept AS (
        SELECT lexeme, w,
          CASE WHEN part = 'department' THEN pos - m.ab WHEN w = 'D' THEN pos - (m.abc - m.ab) ELSE pos END AS pos
        FROM e, m WHERE (part = 'department') = (w = 'C')),
      lexemes AS (SELECT lexeme, string_agg(pos::text || w, ',' ORDER BY pos) AS positions FROM kept GROUP BY lexeme)
      SELECT coalesce(string_agg(
        '''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || ''':' || positions, ' ')::tsvector, ''::tsvector)
      FROM lexemes
    $$;

    CREATE TEMPORARY TABLE catalog_search_split AS
      SELECT md5(d.document::text) AS full_key, d.name, catalog_tsvector_part(d.document, 'text') AS document
      FROM (SELECT DISTINCT name, document FROM catalog_search) d;
    INSERT INTO catalog_search_texts (id, name, document)
      SELECT DISTINCT ON (id) id, name, document
      FROM (SELECT md5(name || chr(10) || document::text) AS id, name, document FROM catalog_search_split) k
      ORDER BY id;
    INSERT INTO catalog_search_departments (department_id, region_code, document)
      SELECT DISTINCT ON (department_id) department_id, region_code, catalog_tsvector_part(document, 'department')
      FROM catalog_search ORDER BY department_id, updated_at DESC;

    ALTER TABLE catalog_search ADD COLUMN text_id text;
    UPDATE catalog_search s SET text_id = md5(b.name || chr(10) || b.document::text)
      FROM catalog_search_split b WHERE b.full_key = md5(s.document::text) AND b.name = s.name;
    DROP TABLE catalog_search_split;
    DROP FUNCTION catalog_tsvector_part(tsvector, text);

    ALTER TABLE catalog_search ALTER COLUMN text_id SET NOT NULL;
    ALTER TABLE catalog_search ADD CONSTRAINT catalog_search_text_id_fkey
      FOREIGN KEY (text_id) REFERENCES catalog_search_texts (id);
    ALTER TABLE catalog_search DROP COLUMN document;
    DROP INDEX catalog_search_name_trgm_idx;
    DROP INDEX catalog_search_department_idx;
    CREATE INDEX catalog_search_department_idx ON catalog_search (department_id, region_code);
    CREATE INDEX catalog_search_text_idx ON catalog_search (text_id, region_code);
    COMMENT ON TABLE catalog_search IS 'One row per implementation with a published guide: its text, filters and popularity; rebuilt at each publication.';
    COMMENT ON COLUMN catalog_search.text_id IS 'The search text of the published guide (shared by implementations with the same text).';
  `.execute(db)
}
