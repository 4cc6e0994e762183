import type { GuideContent } from '@tongban/contracts'
import type { Transaction } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'
import type { CatalogContext } from '../catalog.context.ts'
import type { Department } from '../catalog.ports.ts'
import type { ImplementationRecord } from '../repositories/implementations.repository.ts'
import type { ItemRecord } from '../repositories/items.repository.ts'
import type { Publication, Review } from '../review/review-flow.ts'
import { type CatalogChanges, recordChanges, writeSearchDocument } from '../search/catalog-changes.ts'
import { searchDocument } from '../search/search-document.ts'

/** An implementation with what its guide's search document is made of. */
export interface GuideSubject {
  implementation: ImplementationRecord
  item: ItemRecord
  department: Department | undefined
}

/** A guide publication: its version, event and audit, and what it changed in search (for the caches). */
export type GuidePublication = Publication<'catalog.guide-published'> & { changes: CatalogChanges }

/**
 * What publishing a guide writes, in `trx`: the immutable version row (the implementation's published
 * version moves on), its search document while the implementation is active, and the change-log rows.
 */
export async function writeGuideVersion(
  ctx: CatalogContext,
  trx: Transaction<Database>,
  subject: GuideSubject,
  content: GuideContent,
  review: Review,
  who: { actorId: string | null },
): Promise<GuidePublication> {
  const { implementation, item, department } = subject
  const implementationId = implementation.id
  const version = (implementation.published_version ?? 0) + 1
  await ctx.repositories.guideVersions.insert(trx, {
    implementationId,
    version,
    content,
    publishedBy: who.actorId,
    submittedBy: review.submittedBy,
    comment: review.comment,
  })
  const changes =
    implementation.status === 'active'
      ? await writeSearchDocument(
          ctx,
          trx,
          searchDocument(implementation, item, department, content, version),
        )
      : await recordChanges(ctx, trx, { implementationId, regionCode: implementation.region_code })
  return {
    version,
    changes,
    event: {
      payload: {
        implementationId,
        version,
        itemCode: implementation.item_code,
        regionCode: implementation.region_code,
        departmentId: implementation.department_id,
      },
      aggregateId: implementationId,
    },
    audit: { regionCode: implementation.region_code, details: {} },
  }
}
