import { type Kysely, sql } from 'kysely'

/** Row triggers do not see TRUNCATE: refuse it on the audit tables too, so they stay append-only. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_forbid_change();
    CREATE TRIGGER audit_log_archive_no_truncate BEFORE TRUNCATE ON audit_log_archive
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_forbid_change();
  `.execute(db)
}
