import { getRegion, regionAncestors } from '@tongban/standards'
import type { CatalogCaches } from './catalog.caches.ts'
import type { Department, OrgDirectoryPort, RegionStep } from './catalog.ports.ts'

/** Departments and regions as the catalog reads them: through the org port, cached on this node. */
export class CatalogDirectory {
  constructor(
    private readonly org: OrgDirectoryPort,
    private readonly caches: CatalogCaches,
  ) {}

  /** A department by id, cached; undefined when unknown. */
  async department(id: string): Promise<Department | undefined> {
    let department = this.caches.departments.get(id)
    if (department === undefined) {
      department = (await this.org.findDepartment(id)) ?? null
      this.caches.departments.set(id, department)
    }
    return department ?? undefined
  }

  /** Whether the department is in this node's cache (known or known to be missing). */
  isCached(id: string): boolean {
    return this.caches.departments.get(id) !== undefined
  }

  /**
   * Loads every department into the cache with one query, at most every five minutes: the hits of a
   * search name departments anywhere, and one look-up per department would cost more than the search.
   */
  async loadAllDepartments(): Promise<void> {
    const all = this.caches.allDepartments
    if (Date.now() - all.loaded < 300_000) return
    all.loading ??= (async () => {
      for (const department of await this.org.listDepartments())
        this.caches.departments.set(department.id, department)
      all.loaded = Date.now()
    })().finally(() => {
      all.loading = undefined
    })
    await all.loading
  }

  /**
   * The region and its ancestors, nearest first. National codes (GB/T 2260, the table org loads into its
   * regions) are resolved from the standards package without a query; township and village codes by org.
   */
  async regionPath(code: string): Promise<RegionStep[]> {
    let path = this.caches.regionPaths.get(code)
    if (!path) {
      const national = getRegion(code)
      path =
        national && !national.retired
          ? [national, ...regionAncestors(code)].map((r) => ({ code: r.code, name: r.name }))
          : await this.org.regionPath(code)
      this.caches.regionPaths.set(code, path)
    }
    return path
  }

  /** The name of a region (its code when it has none). */
  async regionName(code: string): Promise<string> {
    return (await this.regionPath(code))[0]?.name ?? code
  }

  /** Every department (one query; an export or import may name a million rows). */
  listDepartments(): Promise<Department[]> {
    return this.org.listDepartments()
  }

  subtreeCodes(code: string): Promise<string[]> {
    return this.org.subtreeCodes(code)
  }

  regionExists(code: string): Promise<boolean> {
    return this.org.regionExists(code)
  }
}
