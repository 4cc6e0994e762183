import type { Module } from '../../platform/module.ts'
import type { Platform } from '../../platform/platform.ts'
import { orgService } from '../org/index.ts'
import { seedCatalogDemo } from './catalog.demo.ts'
import { registerCatalogRoutes } from './catalog.routes.ts'
import { CatalogService } from './catalog.service.ts'

export { CatalogService, departmentTokens, GUIDE_PUBLISHED, searchDocument } from './catalog.service.ts'

const services = new WeakMap<Platform, CatalogService>()

/** The catalog service of a platform (one per process). */
export function catalogService(platform: Platform): CatalogService {
  let service = services.get(platform)
  if (!service) {
    service = new CatalogService(platform, orgService(platform))
    services.set(platform, service)
  }
  return service
}

/** 政务服务事项目录 module: items, implementations, guides, forms, bundles and search. */
export const catalogModule: Module = {
  name: 'catalog',
  tables: [
    'catalog_bundle_drafts',
    'catalog_bundle_items',
    'catalog_bundle_versions',
    'catalog_bundles',
    'catalog_changes',
    'catalog_guide_drafts',
    'catalog_guide_versions',
    'catalog_implementations',
    'catalog_items',
    'catalog_search',
    'catalog_search_departments',
    'catalog_search_texts',
    'catalog_synonyms',
  ],
  async register(app, platform) {
    const catalog = catalogService(platform)
    // every node follows the change log, so a publication on any node reaches the caches of all
    await catalog.startChangeFeed()
    app.addHook('onClose', async () => catalog.stopChangeFeed())
    await registerCatalogRoutes(app, catalog)
  },
  async seedDemo(platform) {
    await seedCatalogDemo(catalogService(platform), orgService(platform))
  },
}
