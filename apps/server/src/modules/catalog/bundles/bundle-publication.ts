import type { BundleContent } from '@tongban/contracts'
import type { Transaction } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'
import type { CatalogContext } from '../catalog.context.ts'
import type { Publication, Review } from '../review/review-flow.ts'

/** A bundle publication: its version, event and audit. */
export type BundlePublication = Publication<'catalog.bundle-published'>

/**
 * What publishing a bundle writes, in `trx`: its published state (the bundle row and its members, in
 * order) and the immutable version.
 */
export async function writeBundleVersion(
  ctx: CatalogContext,
  trx: Transaction<Database>,
  code: string,
  content: BundleContent,
  review: Review,
  who: { actorId: string | null },
): Promise<BundlePublication> {
  const { items, bundles } = ctx.repositories
  const members = await items.findByCodes(content.itemCodes, trx)
  const existing = await bundles.findByCode(code, trx)
  const version = (existing?.version ?? 0) + 1
  const id = await bundles.upsert(
    trx,
    { code, ...content, version },
    content.itemCodes.map((c) => members.find((i) => i.code === c)!.id),
  )
  await bundles.insertVersion(trx, {
    bundleId: id,
    version,
    content,
    publishedBy: who.actorId,
    submittedBy: review.submittedBy,
    comment: review.comment,
  })
  return {
    version,
    event: {
      payload: { code, version, itemCodes: content.itemCodes, leadDepartmentId: content.leadDepartmentId },
      aggregateId: id,
    },
    audit: { regionCode: null, details: { itemCodes: content.itemCodes } },
  }
}
