import type { Transaction } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'
import type { CatalogContext } from '../catalog.context.ts'
import type { SearchDocumentRow } from '../repositories/search.repository.ts'

/** What one change did to the search tables, for the change log and the caches. */
export interface CatalogChanges {
  implementationId: string
  regionCode: string
  textCreated?: boolean
  departmentChanged?: boolean
  /** The text the implementation used before, when it now uses another. */
  unusedText?: string | null
}

/** Writes an implementation's search document and the change-log rows saying what it changed. */
export async function writeSearchDocument(
  ctx: CatalogContext,
  trx: Transaction<Database>,
  row: SearchDocumentRow,
): Promise<CatalogChanges> {
  const written = await ctx.repositories.search.upsertDocument(trx, row)
  return recordChanges(ctx, trx, {
    implementationId: row.implementationId,
    regionCode: row.regionCode,
    textCreated: written.textCreated,
    departmentChanged: written.departmentChanged,
    unusedText: written.previousTextId !== written.textId ? written.previousTextId : null,
  })
}

/** Takes an implementation out of search, recording the change. */
export async function removeSearchDocument(
  ctx: CatalogContext,
  trx: Transaction<Database>,
  implementation: { id: string; region_code: string },
): Promise<CatalogChanges> {
  return recordChanges(ctx, trx, {
    implementationId: implementation.id,
    regionCode: implementation.region_code,
    unusedText: await ctx.repositories.search.deleteDocument(trx, implementation.id),
  })
}

/** Records in the change log what other nodes must drop from their caches. */
export async function recordChanges(
  ctx: CatalogContext,
  trx: Transaction<Database>,
  changes: CatalogChanges,
): Promise<CatalogChanges> {
  const log = ctx.repositories.changes
  await log.insert(trx, 'guide', changes.implementationId)
  if (changes.textCreated) await log.insert(trx, 'text', null)
  if (changes.departmentChanged) await log.insert(trx, 'department', changes.regionCode)
  return changes
}

/**
 * After a committed change: drops this node's copies at once (other nodes follow the change log), and
 * deletes the text the implementation no longer uses when nothing else does.
 */
export async function afterChange(ctx: CatalogContext, changes: CatalogChanges): Promise<void> {
  ctx.caches.apply('guide', changes.implementationId)
  if (changes.textCreated) ctx.caches.apply('text', null)
  if (changes.departmentChanged) ctx.caches.apply('department', changes.regionCode)
  if (!changes.unusedText) return
  try {
    await ctx.repositories.search.deleteUnusedText(changes.unusedText)
  } catch (error) {
    // another publication started using it meanwhile (foreign key): it stays, as it should
    ctx.platform.logger.debug({ err: error, textId: changes.unusedText }, 'search text kept')
  }
}
