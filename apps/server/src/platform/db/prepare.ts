import { type Kysely, sql } from 'kysely'
import { migrations } from '../../../migrations/index.ts'
import { StartupRefused } from '../config.ts'
import { checkMasterKey } from '../crypto.ts'
import type { Platform } from '../platform.ts'
import { openDatabase } from './database.ts'
import { migrateToLatest } from './migrate.ts'
import { auditRewriteRisks, grantApplicationRole } from './roles.ts'
import type { Database } from './schema.ts'

/**
 * Makes the database ready for this process: applies pending migrations (as DATABASE_OWNER_URL's role
 * when set, which then grants the application role its rights), refuses an application role that could
 * rewrite the audit trail (unless DATABASE_SINGLE_ROLE), and checks the master key against the database.
 * Returns the migrations applied.
 */
export async function prepareDatabase(platform: Platform): Promise<string[]> {
  const { config } = platform
  let applied: string[]
  if (config.databaseOwnerUrl) {
    const owner = await openDatabase({ url: config.databaseOwnerUrl, poolSize: 1, pgliteDir: '' })
    try {
      applied = await migrateToLatest(owner.db)
      const role = await grantApplicationRole(owner.db, platform.db)
      platform.logger.info({ role }, 'application role granted its rights')
    } finally {
      await owner.close()
    }
  } else {
    // an application role may not take the migration lock: with nothing pending there is no need to
    applied = (await migrationsPending(platform.db)) ? await migrateToLatest(platform.db) : []
  }
  if (config.databaseUrl && !config.databaseSingleRole) {
    const risks = await auditRewriteRisks(platform.db)
    if (risks.length > 0)
      throw new StartupRefused(
        `The database role of DATABASE_URL could rewrite the audit trail (${risks.join('; ')}). Connect as an application role and name the owner in DATABASE_OWNER_URL (docs/operations.md, "Database roles"), or set DATABASE_SINGLE_ROLE=true on a development machine.`,
      )
  }
  await checkMasterKey(platform.db, platform.masterKey, platform.vault)
  return applied
}

/** Whether the database lacks a migration this code knows (or has no migration table yet). */
async function migrationsPending(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{
    exists: boolean
  }>`SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`.execute(db)
  if (!rows[0]?.exists) return true
  const applied = await sql<{ name: string }>`SELECT name FROM schema_migrations`.execute(db)
  const names = new Set(applied.rows.map((r) => r.name))
  return Object.keys(migrations).some((name) => !names.has(name))
}
