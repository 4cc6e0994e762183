// biome-ignore-all lint/suspicious/noExplicitAny: migrations and introspection work on any schema
import { type Kysely, type MigrationResultSet, Migrator } from 'kysely'
import { migrations } from '../../../migrations/index.ts'

function migratorFor(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  })
}

/** Applies every pending migration in order; throws with the failing migration's name on error. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const result: MigrationResultSet = await migratorFor(db).migrateToLatest()
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new Error(`Migration ${failed} failed: ${(result.error as Error).message}`, { cause: result.error })
  }
  return (result.results ?? []).map((r) => r.migrationName)
}

/** Names of migrations the code knows but the database has not applied yet. */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const all = await migratorFor(db).getMigrations()
  return all.filter((m) => !m.executedAt).map((m) => m.name)
}
