import type { BundleContent, GuideContent } from '@tongban/contracts'
import type { Kysely } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'
import { BundlesRepository } from './bundles.repository.ts'
import { ChangesRepository } from './changes.repository.ts'
import { DraftsRepository } from './drafts.repository.ts'
import { GuideVersionsRepository } from './guide-versions.repository.ts'
import { ImplementationsRepository } from './implementations.repository.ts'
import { ItemsRepository } from './items.repository.ts'
import { SearchRepository } from './search.repository.ts'

/** The catalog's repositories, one per table family. */
export interface CatalogRepositories {
  items: ItemsRepository
  implementations: ImplementationsRepository
  guideDrafts: DraftsRepository<GuideContent>
  guideVersions: GuideVersionsRepository
  bundles: BundlesRepository
  bundleDrafts: DraftsRepository<BundleContent>
  search: SearchRepository
  changes: ChangesRepository
}

/** Builds the catalog's repositories over a database. */
export function createCatalogRepositories(db: Kysely<Database>): CatalogRepositories {
  return {
    items: new ItemsRepository(db),
    implementations: new ImplementationsRepository(db),
    guideDrafts: new DraftsRepository(db, { table: 'catalog_guide_drafts', key: 'implementation_id' }),
    guideVersions: new GuideVersionsRepository(db),
    bundles: new BundlesRepository(db),
    bundleDrafts: new DraftsRepository(db, {
      table: 'catalog_bundle_drafts',
      key: 'code',
      columnsOf: (content) => ({ lead_department_id: content.leadDepartmentId }),
    }),
    search: new SearchRepository(db),
    changes: new ChangesRepository(db),
  }
}
