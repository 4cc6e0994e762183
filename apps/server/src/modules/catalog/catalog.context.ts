import type { Platform } from '../../platform/platform.ts'
import { CatalogCaches } from './catalog.caches.ts'
import { CatalogDirectory } from './catalog.directory.ts'
import type { CatalogPorts, LicenseTypesPort } from './catalog.ports.ts'
import { type CatalogRepositories, createCatalogRepositories } from './repositories/catalog.repositories.ts'

/** What every catalog use case works with: the platform, the repositories, the ports and this node's caches. */
export interface CatalogContext {
  platform: Platform
  repositories: CatalogRepositories
  directory: CatalogDirectory
  licenseTypes: LicenseTypesPort
  caches: CatalogCaches
}

/** A catalog context with empty caches (one per node; tests build a second one to play another node). */
export function createCatalogContext(platform: Platform, ports: CatalogPorts): CatalogContext {
  const caches = new CatalogCaches()
  return {
    platform,
    repositories: createCatalogRepositories(platform.db),
    directory: new CatalogDirectory(ports.org, caches),
    licenseTypes: ports.licenseTypes,
    caches,
  }
}
