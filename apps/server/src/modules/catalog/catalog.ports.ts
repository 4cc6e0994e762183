import type { CreateDepartment } from '@tongban/contracts'
import type { AuditEntry } from '../../platform/audit.ts'

/** Who is making a change, for the audit entry. */
export type AuditWho = Pick<AuditEntry, 'actorId' | 'actorKind' | 'ip' | 'requestId'>

/** 部门: a department as the catalog sees it (where it sits, what kind of agency it is, how it is named). */
export interface Department {
  id: string
  regionCode: string
  name: string
  shortName: string
  kind: string
  /** The department's own 统一社会信用代码; an implementation's code (实施编码) starts with it. */
  uscc: string
  phone: string | null
  address: string | null
}

/** A region of the path from a region up to the province, nearest first. */
export interface RegionStep {
  code: string
  name: string
}

/** Regions and departments, owned by the org module; the catalog reads them through this port. */
export interface OrgDirectoryPort {
  findDepartment(id: string): Promise<Department | undefined>
  /** Every department, or those of one region and kind. */
  listDepartments(filter?: { regionCode?: string; kind?: string }): Promise<Department[]>
  /** The region and its ancestors, nearest first; a not-found problem when the region is unknown. */
  regionPath(code: string): Promise<RegionStep[]>
  /** The codes of the region and every region below it. */
  subtreeCodes(code: string): Promise<string[]>
  regionExists(code: string): Promise<boolean>
  /** Adds a department (the demo catalog's tax bureaus and federations). */
  createDepartment(input: CreateDepartment, who: AuditWho): Promise<Department>
}

/** 证照类型: a license type a guide's 免提交 material may name. */
export interface LicenseTypeEntry {
  code: string
  name: string
  /** The kind of department issuing it (DEPARTMENT_KINDS). */
  issuerKind: string
  holder: string
}

/** License types, owned by the licenses module. */
export interface LicenseTypesPort {
  listLicenseTypes(): Promise<LicenseTypeEntry[]>
}

/** Everything the catalog consumes from other modules. */
export interface CatalogPorts {
  org: OrgDirectoryPort
  licenseTypes: LicenseTypesPort
}
