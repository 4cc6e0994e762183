import type { UpdateItem } from '@tongban/contracts'
import { AppError } from '../../../platform/errors.ts'
import type { CatalogContext } from '../catalog.context.ts'
import { messages } from '../catalog.messages.ts'
import type { AuditWho } from '../catalog.ports.ts'
import type { ItemRecord } from '../repositories/items.repository.ts'
import { getItem } from './read-items.ts'

/**
 * Changes a base item. Implementations keep what they recorded: any that now differ appear in the
 * consistency report until their departments follow (四级四同 is never fixed silently).
 */
export async function updateItem(
  ctx: CatalogContext,
  code: string,
  input: UpdateItem,
  who: AuditWho,
): Promise<ItemRecord> {
  const current = await getItem(ctx, code)
  const changes = itemChanges(input)
  await ctx.platform.db.transaction().execute(async (trx) => {
    if (!(await ctx.repositories.items.update(trx, current.id, input.version, changes)))
      throw new AppError('stale-version', { detail: messages.itemMovedOn(current.version) })
    await ctx.platform.audit.append(trx, {
      ...who,
      action: 'catalog.item.update',
      resourceType: 'catalog_item',
      resourceId: current.id,
      regionCode: null,
      outcome: 'success',
      details: { code, changes },
    })
  })
  return getItem(ctx, code)
}

/** The columns a change names. */
function itemChanges(input: UpdateItem) {
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.type !== undefined ? { type: input.type } : {}),
    ...(input.legalBasis !== undefined ? { legal_basis: input.legalBasis } : {}),
    ...(input.levels !== undefined ? { levels: input.levels } : {}),
    ...(input.audience !== undefined ? { audience: input.audience } : {}),
    ...(input.themes !== undefined ? { themes: input.themes } : {}),
    ...(input.keywords !== undefined ? { keywords: input.keywords } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
  }
}
