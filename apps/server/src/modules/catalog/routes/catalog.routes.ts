import {
  ITEM_TYPES,
  PREFILL_SOURCES,
  SearchQuery,
  SearchResult,
  THEMES,
  Vocabulary,
} from '@tongban/contracts'
import { publicAccess } from '../../../platform/authz.ts'
import type { App } from '../../../platform/http.ts'
import { presentLicenseType } from '../catalog.presenter.ts'
import type { CatalogService } from '../catalog.service.ts'
import { registerAdminRoutes } from './admin.routes.ts'
import { registerBundleRoutes } from './bundles.routes.ts'
import { registerGuideRoutes } from './guides.routes.ts'
import { registerImplementationRoutes } from './implementations.routes.ts'
import { registerItemRoutes } from './items.routes.ts'

const tags = ['catalog']
const base = '/api/v1/catalog'

/**
 * The service catalog: public reads, department-admin guide and bundle editing, system-admin catalog
 * administration. Each route declares its route policy; the record policy (catalog.policy.ts) decides
 * the rest once the record is loaded.
 */
export async function registerCatalogRoutes(app: App, catalog: CatalogService): Promise<void> {
  registerVocabulary(app, catalog)
  registerItemRoutes(app, catalog)
  registerImplementationRoutes(app, catalog)
  registerGuideRoutes(app, catalog)
  registerSearch(app, catalog)
  registerBundleRoutes(app, catalog)
  await registerAdminRoutes(app, catalog)
}

/** The code lists forms and filters use. */
function registerVocabulary(app: App, catalog: CatalogService): void {
  app.get(
    `${base}/vocabulary`,
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary: 'Code lists: item types, themes, prefill sources, license types',
        response: { 200: Vocabulary },
      },
    },
    async () => ({
      itemTypes: Object.entries(ITEM_TYPES).map(([code, name]) => ({ code, name: { ...name } })),
      themes: Object.entries(THEMES).map(([code, name]) => ({ code, name: { ...name } })),
      prefillSources: Object.entries(PREFILL_SOURCES).map(([code, name]) => ({ code, name: { ...name } })),
      licenseTypes: (await catalog.licenseTypes()).map(presentLicenseType),
    }),
  )
}

/** Full-text search of published services. */
function registerSearch(app: App, catalog: CatalogService): void {
  app.get(
    `${base}/search`,
    {
      config: { policy: publicAccess },
      schema: {
        tags,
        summary:
          'Search published services (Chinese full text, synonyms, typo tolerant); empty q lists by popularity',
        querystring: SearchQuery,
        response: { 200: SearchResult },
      },
    },
    async (request) => catalog.search(request.query),
  )
}
