import type { Platform } from '../../platform/platform.ts'
import { casesService } from '../cases/index.ts'
import { catalogService } from '../catalog/index.ts'
import { identityService } from '../identity/index.ts'
import type {
  CaseLookupPort,
  DemoCitizen,
  DemoCompany,
  DemoHolders,
  Department,
  DepartmentDirectoryPort,
  GuideResultPort,
  HolderDirectoryPort,
  LicensesPortFactories,
} from '../licenses/index.ts'
import { orgService } from '../org/index.ts'
import { unlessNotFound } from './not-found.ts'

// The licenses module consumes cases, catalog, org and identity.

/** The cases module's repository, read through its public service: a case's owner, department and form. */
function casesForLicenses(platform: Platform): CaseLookupPort {
  return { findCase: (id) => casesService(platform).findCaseFacts(id) }
}

/** The license a published guide version promises as its 办理结果 (bound by type code), from the catalog. */
function guidesForLicenses(platform: Platform): GuideResultPort {
  return {
    async resultOf(implementationId, version) {
      const guide = await unlessNotFound(platform, `guide ${implementationId} v${version}`, () =>
        catalogService(platform).getPublishedVersion(implementationId, version),
      )
      return guide?.content.resultLicense
    },
  }
}

/** Departments from the org module, in the licenses module's terms. */
function departmentsForLicenses(platform: Platform): DepartmentDirectoryPort {
  const org = orgService(platform)
  const department = (record: {
    id: string
    name: string
    uscc: string
    kind: string
    region_code: string
  }) => ({
    id: record.id,
    name: record.name,
    uscc: record.uscc,
    kind: record.kind,
    regionCode: record.region_code,
  })
  return {
    async findDepartment(id): Promise<Department | undefined> {
      const record = await org.findDepartment(id)
      return record ? department(record) : undefined
    },
    async departmentsWithin(regionCode) {
      const filter = { region: regionCode, within: true, limit: 1000, offset: 0 }
      return (await org.listDepartments(filter)).items.map(department)
    },
  }
}

/** A license holder's name and identifier (公民身份号码 decrypted, or the company's USCC), from identity. */
function holdersForLicenses(platform: Platform): HolderDirectoryPort {
  const identity = identityService(platform)
  return {
    async findHolder(accountId) {
      const account = await unlessNotFound(platform, `account ${accountId}`, () =>
        identity.getAccount(accountId),
      )
      if (!account || account.kind === 'staff') return undefined
      const idNumber = account.id_number_enc ? platform.vault.decrypt(account.id_number_enc) : null
      return { name: account.name, identifier: account.kind === 'company' ? account.uscc : idNumber }
    },
  }
}

/**
 * The identity module's demo accounts, found through its public service the way a user would log in: the
 * documented demo phone numbers 13800000001–13800000060, and the companies each of them represents.
 */
function demoHoldersForLicenses(platform: Platform): DemoHolders {
  const identity = identityService(platform)
  let loaded: Promise<{ citizens: DemoCitizen[]; companies: DemoCompany[] }> | undefined
  const load = async () => {
    const citizens: DemoCitizen[] = []
    const companies = new Map<string, DemoCompany>()
    for (let n = 1; n <= 60; n += 1) {
      const account = await identity.findByLogin(`138000000${String(n).padStart(2, '0')}`)
      if (account?.kind !== 'person' || !account.id_number_enc) continue
      citizens.push({
        accountId: account.id,
        name: account.name,
        idNumber: platform.vault.decrypt(account.id_number_enc),
      })
    }
    for (const citizen of citizens)
      for (const company of await identity.companiesActedFor(citizen.accountId)) {
        const record = await identity.getAccount(company.accountId)
        if (record.legal_representative_id !== citizen.accountId) continue
        companies.set(company.accountId, { ...company, legalRepresentative: citizen.name })
      }
    return { citizens, companies: [...companies.values()].sort((a, b) => a.uscc.localeCompare(b.uscc)) }
  }
  const all = () => {
    loaded ??= load()
    return loaded
  }
  return {
    citizens: async () => (await all()).citizens,
    companies: async () => (await all()).companies,
  }
}

/** What the licenses module consumes, connected to the cases, catalog, org and identity modules. */
export const licensesPorts: LicensesPortFactories = {
  cases: casesForLicenses,
  guides: guidesForLicenses,
  holders: holdersForLicenses,
  departments: departmentsForLicenses,
  demoHolders: demoHoldersForLicenses,
}
