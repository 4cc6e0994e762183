import type { UpdateImplementation } from '@tongban/contracts'
import { AppError, invalid, notFound } from '../../../platform/errors.ts'
import type { CatalogContext } from '../catalog.context.ts'
import { messages } from '../catalog.messages.ts'
import type { AuditWho } from '../catalog.ports.ts'
import { getItem } from '../items/read-items.ts'
import type { ImplementationRecord } from '../repositories/implementations.repository.ts'
import { afterChange, removeSearchDocument, writeSearchDocument } from '../search/catalog-changes.ts'
import { searchDocument } from '../search/search-document.ts'
import { fourSameErrors } from './four-same.ts'
import { getImplementation } from './read-implementations.ts'

/**
 * Changes an implementation's local details or status (四级四同 checked). Its search document follows:
 * gone while suspended, rebuilt (name, status) while published.
 */
export async function updateImplementation(
  ctx: CatalogContext,
  id: string,
  input: UpdateImplementation,
  who: AuditWho,
): Promise<ImplementationRecord> {
  const current = await getImplementation(ctx, id)
  const item = await getItem(ctx, current.item_code)
  const errors = fourSameErrors(item, input)
  if (errors.length > 0) throw invalid(errors)
  const changes = implementationChanges(input)
  const { implementations, guideVersions } = ctx.repositories
  const published =
    current.published_version === null ? undefined : await guideVersions.find(id, current.published_version)
  const department = await ctx.directory.department(current.department_id)
  const searchChanges = await ctx.platform.db.transaction().execute(async (trx) => {
    if (!(await implementations.update(trx, id, input.version, changes)))
      throw new AppError('stale-version', { detail: messages.implementationMovedOn(current.version) })
    const updated = await implementations.findById(id, trx)
    if (!updated) throw notFound(messages.implementationNotFound)
    const searchChanges =
      updated.status === 'active' && published
        ? await writeSearchDocument(
            ctx,
            trx,
            searchDocument(updated, item, department, published.content, published.version),
          )
        : await removeSearchDocument(ctx, trx, updated)
    await ctx.platform.audit.append(trx, {
      ...who,
      action: 'catalog.implementation.update',
      resourceType: 'catalog_implementation',
      resourceId: id,
      regionCode: current.region_code,
      outcome: 'success',
      details: changes,
    })
    return searchChanges
  })
  await afterChange(ctx, searchChanges)
  return getImplementation(ctx, id)
}

/** The columns a change names; a checked write brings an imported row back in line with its base item. */
function implementationChanges(input: UpdateImplementation) {
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.type !== undefined ? { type: input.type } : {}),
    ...(input.legalBasis !== undefined ? { legal_basis: input.legalBasis } : {}),
    ...(input.localNotes !== undefined ? { local_notes: input.localNotes } : {}),
    ...(input.status !== undefined ? { status: input.status } : {}),
  }
}
