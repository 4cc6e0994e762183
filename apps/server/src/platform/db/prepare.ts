import { StartupRefused } from '../config.ts'
import { checkMasterKey } from '../crypto.ts'
import type { Platform } from '../platform.ts'
import { openDatabase } from './database.ts'
import { migrateToLatest } from './migrate.ts'
import { auditRewriteRisks, grantApplicationRole } from './roles.ts'

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
    applied = await migrateToLatest(platform.db)
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
