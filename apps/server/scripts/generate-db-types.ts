import fs from 'node:fs/promises'
import { openDatabase } from '../src/platform/db/database.ts'
import { migrateToLatest } from '../src/platform/db/migrate.ts'
import { renderSchemaTypes } from '../src/platform/db/schema-types.ts'

const target = new URL('../src/platform/db/schema.ts', import.meta.url)
const handle = await openDatabase({ pgliteDir: 'memory://', poolSize: 1 })
try {
  await migrateToLatest(handle.db)
  await fs.writeFile(target, await renderSchemaTypes(handle.db))
  console.log(`wrote ${target.pathname}`)
} finally {
  await handle.close()
}
