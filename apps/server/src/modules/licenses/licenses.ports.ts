import type { ResultLicense } from '@tongban/contracts'
import type { Platform } from '../../platform/platform.ts'

/** What the licenses module needs to know of a case (办件): whose it is, where it is handled, its form. */
export interface CaseFacts {
  id: string
  applicantId: string
  actingForId: string | null
  departmentId: string | null
  regionCode: string
  implementationId: string | null
  guideVersion: number | null
  formData: Record<string, unknown>
}

/** The cases module as the licenses module sees it (tests use a fake). */
export interface CaseLookupPort {
  findCase(id: string): Promise<CaseFacts | undefined>
}

/**
 * The catalog as the licenses module sees it: the 办理结果 a guide version promises, when it is a license
 * (bound by the license type's code, with how a case yields it); undefined when the result is no license.
 */
export interface GuideResultPort {
  resultOf(implementationId: string, version: number): Promise<ResultLicense | undefined>
}

/** The holder's name and identifier (公民身份号码 / 统一社会信用代码) for automatic issuance. */
export interface HolderDirectoryPort {
  findHolder(accountId: string): Promise<{ name: string; identifier: string | null } | undefined>
}

/** A department (部门) as the licenses module sees it: the issuer of licenses, or their grantee. */
export interface Department {
  id: string
  name: string
  /** 统一社会信用代码: the issuer code in license identifiers. */
  uscc: string
  /** The kind of department (market_regulation, public_security, …): what types it issues. */
  kind: string
  regionCode: string
}

/** The org module as the licenses module sees it. */
export interface DepartmentDirectoryPort {
  findDepartment(id: string): Promise<Department | undefined>
  /** Every department of a region and the regions within it (the demo data's issuers). */
  departmentsWithin(regionCode: string): Promise<Department[]>
}

/** A demo citizen as the identity module knows them. */
export interface DemoCitizen {
  accountId: string
  name: string
  idNumber: string
}

/** A demo company, with the name of its legal representative (法定代表人). */
export interface DemoCompany {
  accountId: string
  name: string
  uscc: string
  legalRepresentative: string
}

/** The identity module's demo accounts as the licenses demo sees them (no reach into its tables). */
export interface DemoHolders {
  /** Demo citizens in a stable order, the documented ones (张伟, 李娜, 王芳, 陈建国) first. */
  citizens(): Promise<DemoCitizen[]>
  companies(): Promise<DemoCompany[]>
}

/** Everything the licenses module consumes from other modules. */
export interface LicensesPorts {
  cases: CaseLookupPort
  guides: GuideResultPort
  holders: HolderDirectoryPort
  departments: DepartmentDirectoryPort
}

/** How the module gets its ports on a platform: connected in modules/wiring.ts, faked in tests. */
export type LicensesPortFactories = {
  [K in keyof LicensesPorts]: (platform: Platform) => LicensesPorts[K]
} & {
  /** The demo's holders (only `tongban seed --demo` asks). */
  demoHolders?: (platform: Platform) => DemoHolders
}
