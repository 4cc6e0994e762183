import type { ItemType } from '@tongban/contracts'
import { notFound } from '../../../platform/errors.ts'
import type { CatalogContext } from '../catalog.context.ts'
import { messages } from '../catalog.messages.ts'
import type { ItemRecord } from '../repositories/items.repository.ts'

/** 基本目录事项: a base item by its code; not found when unknown. */
export async function getItem(ctx: CatalogContext, code: string): Promise<ItemRecord> {
  const item = await ctx.repositories.items.findByCode(code)
  if (!item) throw notFound(messages.itemNotFound(code))
  return item
}

/** Base items, by code, filtered by type, department kind or theme. */
export function listItems(
  ctx: CatalogContext,
  filter: { type?: ItemType; departmentKind?: string; theme?: string; limit: number; offset: number },
): Promise<{ items: ItemRecord[]; total: number }> {
  return ctx.repositories.items.findMany(filter)
}
