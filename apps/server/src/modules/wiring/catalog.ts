import type { Platform } from '../../platform/platform.ts'
import type {
  Department as CatalogDepartment,
  CatalogPorts,
  LicenseTypesPort,
  OrgDirectoryPort,
} from '../catalog/index.ts'
import { licensesService } from '../licenses/index.ts'
import { type DepartmentRecord, orgService } from '../org/index.ts'

// The catalog consumes the org and licenses modules.

/** A department of the org module as the catalog sees it. */
function catalogDepartment(record: DepartmentRecord): CatalogDepartment {
  return {
    id: record.id,
    regionCode: record.region_code,
    name: record.name,
    shortName: record.short_name,
    kind: record.kind,
    uscc: record.uscc,
    phone: record.phone,
    address: record.address,
  }
}

/** Regions and departments for the catalog, through the org module's service. */
export function catalogOrgDirectory(platform: Platform): OrgDirectoryPort {
  const org = orgService(platform)
  return {
    async findDepartment(id) {
      const record = await org.findDepartment(id)
      return record ? catalogDepartment(record) : undefined
    },
    async listDepartments(filter = {}) {
      const { items } = await org.listDepartments({
        ...(filter.regionCode ? { region: filter.regionCode } : {}),
        ...(filter.kind ? { kind: filter.kind } : {}),
        limit: 1_000_000,
        offset: 0,
      })
      return items.map(catalogDepartment)
    },
    async regionPath(code) {
      return (await org.regionPath(code)).map((r) => ({ code: r.code, name: r.name }))
    },
    subtreeCodes: (code) => org.repository.findSubtreeCodes(code),
    async regionExists(code) {
      return Boolean(await org.repository.findRegion(code))
    },
    async createDepartment(input, who) {
      return catalogDepartment(await org.createDepartment(input, who))
    },
  }
}

/** License types for the catalog's 免提交 materials, through the licenses module's service. */
export function catalogLicenseTypes(platform: Platform): LicenseTypesPort {
  return {
    async listLicenseTypes() {
      const types = await licensesService(platform).types()
      return [...types.values()]
        .map((t) => ({ code: t.code, name: t.name, issuerKind: t.issuer_kind, holder: t.holder }))
        .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    },
  }
}

/** Everything the catalog consumes, from the installed org and licenses modules. */
export function catalogPorts(platform: Platform): CatalogPorts {
  return { org: catalogOrgDirectory(platform), licenseTypes: catalogLicenseTypes(platform) }
}
