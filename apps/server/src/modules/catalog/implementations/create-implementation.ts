import type { CreateImplementation } from '@tongban/contracts'
import { AppError, invalid } from '../../../platform/errors.ts'
import type { CatalogContext } from '../catalog.context.ts'
import { messages } from '../catalog.messages.ts'
import type { AuditWho } from '../catalog.ports.ts'
import type { ImplementationRecord } from '../repositories/implementations.repository.ts'
import { checkPlacement, fourSameErrors } from './four-same.ts'
import { getImplementation } from './read-implementations.ts'

/**
 * Adds an implementation (实施清单条目) of a base item by a department in its region: what it states of the
 * item must equal the base item (四级四同), and a department implements an item once.
 */
export async function createImplementation(
  ctx: CatalogContext,
  input: CreateImplementation,
  who: AuditWho,
): Promise<ImplementationRecord> {
  const item = await ctx.repositories.items.findByCode(input.itemCode)
  if (!item) throw invalid([{ path: '/itemCode', code: 'item', message: messages.noSuchBaseItem }])
  const errors = fourSameErrors(item, input)
  if (errors.length > 0) throw invalid(errors)
  await checkPlacement(ctx, item, input.regionCode, input.departmentId)
  const { implementations } = ctx.repositories
  const id = await ctx.platform.db.transaction().execute(async (trx) => {
    const key = { itemId: item.id, regionCode: input.regionCode, departmentId: input.departmentId }
    if (await implementations.findByKey(key, trx))
      throw new AppError('duplicate', { detail: messages.alreadyImplemented })
    const id = await implementations.insert(trx, {
      ...key,
      code: item.code,
      name: item.name,
      type: item.type,
      legalBasis: item.legal_basis,
      localNotes: input.localNotes ?? '',
      origin: 'api',
    })
    await ctx.platform.audit.append(trx, {
      ...who,
      action: 'catalog.implementation.create',
      resourceType: 'catalog_implementation',
      resourceId: id,
      regionCode: input.regionCode,
      outcome: 'success',
      details: { itemCode: item.code, departmentId: input.departmentId },
    })
    return id
  })
  return getImplementation(ctx, id)
}
