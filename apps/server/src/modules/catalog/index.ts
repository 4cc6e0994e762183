import type { Module } from '../../platform/module.ts'
import type { Platform } from '../../platform/platform.ts'
import { seedCatalogDemo } from './catalog.demo.ts'
import type { CatalogPorts } from './catalog.ports.ts'
import { CatalogService } from './catalog.service.ts'
import { registerCatalogRoutes } from './routes/catalog.routes.ts'

export { BUNDLE_PUBLISHED } from './bundles/bundle-review.ts'
export type {
  AuditWho,
  CatalogPorts,
  Department,
  LicenseTypeEntry,
  LicenseTypesPort,
  OrgDirectoryPort,
  RegionStep,
} from './catalog.ports.ts'
export { CatalogService } from './catalog.service.ts'
export { GUIDE_PUBLISHED } from './guides/guide-review.ts'
export { departmentTokens, searchDocument } from './search/search-document.ts'

const services = new WeakMap<Platform, CatalogService>()

/** The catalog service of a platform (one per process), once the module is registered. */
export function catalogService(platform: Platform): CatalogService {
  const service = services.get(platform)
  if (!service) throw new Error('the catalog module is not registered on this platform')
  return service
}

/**
 * Builds the 政务服务事项目录 module — items, implementations, guides, forms, bundles and search — with the
 * ports it consumes (modules/wiring.ts connects them to the org and licenses modules; tests pass fakes).
 */
export function createCatalogModule(ports: (platform: Platform) => CatalogPorts): Module {
  return {
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
      const catalog = new CatalogService(platform, ports(platform))
      services.set(platform, catalog)
      // every node follows the change log, so a publication on any node reaches the caches of all
      await catalog.startChangeFeed()
      app.addHook('onClose', async () => catalog.stopChangeFeed())
      await registerCatalogRoutes(app, catalog)
    },
    async seedDemo(platform) {
      await seedCatalogDemo(catalogService(platform), ports(platform).org)
    },
  }
}
