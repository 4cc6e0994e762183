import type { CreateItem } from '@tongban/contracts'
import { AppError } from '../../../platform/errors.ts'
import type { CatalogContext } from '../catalog.context.ts'
import { messages } from '../catalog.messages.ts'
import type { AuditWho } from '../catalog.ports.ts'
import type { ItemRecord } from '../repositories/items.repository.ts'
import { getItem } from './read-items.ts'

/** Adds an item to the base catalog (基本目录); its code is unique. */
export async function createItem(ctx: CatalogContext, input: CreateItem, who: AuditWho): Promise<ItemRecord> {
  const { items } = ctx.repositories
  await ctx.platform.db.transaction().execute(async (trx) => {
    if (await items.findByCode(input.code, trx))
      throw new AppError('duplicate', {
        errors: [{ path: '/code', code: 'duplicate', message: messages.itemCodeTaken }],
      })
    const id = await items.insert(trx, {
      code: input.code,
      name: input.name,
      type: input.type,
      legalBasis: input.legalBasis,
      departmentKind: input.departmentKind,
      levels: input.levels,
      audience: input.audience,
      themes: input.themes ?? [],
      keywords: input.keywords ?? [],
      description: input.description ?? '',
    })
    await ctx.platform.audit.append(trx, {
      ...who,
      action: 'catalog.item.create',
      resourceType: 'catalog_item',
      resourceId: id,
      regionCode: null,
      outcome: 'success',
      details: { code: input.code, name: input.name, type: input.type },
    })
  })
  return getItem(ctx, input.code)
}
