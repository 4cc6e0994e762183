import { notFound } from '../../../platform/errors.ts'
import type { CatalogContext } from '../catalog.context.ts'
import { messages } from '../catalog.messages.ts'
import type { ImplementationRecord } from '../repositories/implementations.repository.ts'

/** 实施清单条目: one implementation; not found when unknown. */
export async function getImplementation(ctx: CatalogContext, id: string): Promise<ImplementationRecord> {
  const implementation = await ctx.repositories.implementations.findById(id)
  if (!implementation) throw notFound(messages.implementationNotFound)
  return implementation
}

/** Implementations by item and region; `region` includes its ancestors (a county sees the province's). */
export async function listImplementations(
  ctx: CatalogContext,
  filter: {
    region?: string
    department?: string
    item?: string
    publishedOnly?: boolean
    limit: number
    offset: number
  },
): Promise<{ items: ImplementationRecord[]; total: number }> {
  const regionCodes = filter.region
    ? (await ctx.directory.regionPath(filter.region)).map((r) => r.code)
    : undefined
  return ctx.repositories.implementations.findMany({
    ...(regionCodes ? { regionCodes } : {}),
    ...(filter.department ? { departmentId: filter.department } : {}),
    ...(filter.item ? { itemCode: filter.item } : {}),
    ...(filter.publishedOnly ? { publishedOnly: true } : {}),
    limit: filter.limit,
    offset: filter.offset,
  })
}
