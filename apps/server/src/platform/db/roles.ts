import { type Kysely, sql } from 'kysely'
import type { Database } from './schema.ts'

/** The audit tables: the application role may read them and add entries, never change or remove any. */
const AUDIT_TABLES = ['audit_log', 'audit_log_archive', 'audit_chain_head'] as const
/** The columns of an entry the application writes; seq, prev_hash and hash are set by audit_seal() only. */
const AUDIT_ENTRY_COLUMNS = [
  'occurred_at',
  'actor_id',
  'actor_kind',
  'action',
  'resource_type',
  'resource_id',
  'region_code',
  'ip',
  'request_id',
  'outcome',
  'details',
] as const
const AUDIT_FUNCTIONS = [
  'audit_chain_lock(boolean)',
  'audit_seal(bigint[], bigint[], text[], text[])',
  'audit_archive(timestamptz)',
] as const

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`

/**
 * The GRANT statements that make `role` the application role of a database owned by another role: it
 * reads and writes every table but may not UPDATE, DELETE or TRUNCATE an audit table, inserts only an
 * entry's own columns, and seals and archives through the owner's functions. docs/operations.md lists
 * them; the server runs them as DATABASE_OWNER_URL's role after each migration.
 */
export function applicationGrants(role: string): string[] {
  const r = quoted(role)
  return [
    `GRANT USAGE ON SCHEMA public TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
    `REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${AUDIT_TABLES.join(', ')} FROM ${r}`,
    `REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations, schema_migrations_lock FROM ${r}`,
    `GRANT INSERT (${AUDIT_ENTRY_COLUMNS.join(', ')}) ON audit_log TO ${r}`,
    ...AUDIT_FUNCTIONS.map((f) => `GRANT EXECUTE ON FUNCTION ${f} TO ${r}`),
  ]
}

/** Grants the application role of `appDb` what `applicationGrants` lists, as the owner. */
export async function grantApplicationRole(
  owner: Kysely<Database>,
  appDb: Kysely<Database>,
): Promise<string> {
  const { rows } = await sql<{ role: string }>`SELECT current_user AS role`.execute(appDb)
  const role = rows[0]!.role
  await owner.transaction().execute(async (trx) => {
    for (const statement of applicationGrants(role)) await sql.raw(statement).execute(trx)
  })
  return role
}

/**
 * What the connected role could do to the audit trail that it must not: empty for a proper application
 * role. A superuser or the owner of the audit tables can do anything (disable the triggers, too).
 */
export async function auditRewriteRisks(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{
    role: string
    superuser: boolean
    owner: boolean
    update_delete: string[]
    seals_directly: boolean
  }>`
    SELECT current_user AS role,
      (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
      pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'audit_log'::regclass), 'USAGE') AS owner,
      ARRAY(SELECT p || ' ' || t FROM unnest(${[...AUDIT_TABLES]}::text[]) AS t,
              unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE']) AS p
            WHERE has_table_privilege(t, p)) AS update_delete,
      has_column_privilege('audit_log', 'seq', 'INSERT') OR has_table_privilege('audit_log_archive', 'INSERT')
        AS seals_directly`.execute(db)
  const facts = rows[0]!
  const risks: string[] = []
  if (facts.superuser) risks.push(`${facts.role} is a superuser`)
  if (facts.owner) risks.push(`${facts.role} owns the audit tables`)
  for (const grant of facts.update_delete) risks.push(`${facts.role} may ${grant}`)
  if (facts.seals_directly) risks.push(`${facts.role} may write audit links or the archive directly`)
  return risks
}
