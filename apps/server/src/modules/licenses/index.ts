import type { Module } from '../../platform/module.ts'
import type { Platform } from '../../platform/platform.ts'
import { casesService } from '../cases/index.ts'
import { catalogService } from '../catalog/index.ts'
import { identityService } from '../identity/index.ts'
import { orgService } from '../org/index.ts'
import { type DemoCitizen, type DemoCompany, type DemoHolders, seedLicensesDemo } from './licenses.demo.ts'
import type { CjkFontSource } from './licenses.pdf.ts'
import type { CaseLookupPort, GuideResultPort, HolderDirectoryPort } from './licenses.ports.ts'
import { registerLicensesRoutes } from './licenses.routes.ts'
import { LicensesService } from './licenses.service.ts'

export type { LicenseDocument, PublishedKey, SignedLicenseFile } from './licenses.document.ts'
export { canonicalize, verifyLicenseOffline } from './licenses.document.ts'
export type { CaseFacts, CaseLookupPort, GuideResultPort, HolderDirectoryPort } from './licenses.ports.ts'
export { LicensesService } from './licenses.service.ts'

/** The consumer name of automatic issuance on the outbox (its receipts make redelivery harmless). */
export const ISSUE_ON_COMPLETION = 'licenses.issue-on-completion'

/** How the licenses module reaches other modules; each part defaults to the installed one. */
export interface LicensesModuleOptions {
  cases?: (platform: Platform) => CaseLookupPort
  guides?: (platform: Platform) => GuideResultPort
  holders?: (platform: Platform) => HolderDirectoryPort
  /** Where PDF rendering looks for a CJK font (default: Debian's Noto CJK and other common CJK fonts). */
  pdfFonts?: readonly CjkFontSource[]
}

const services = new WeakMap<Platform, LicensesService>()

/** The licenses service of a platform (one per process), once the module is registered. */
export function licensesService(platform: Platform): LicensesService {
  const service = services.get(platform)
  if (!service) throw new Error('the licenses module is not registered on this platform')
  return service
}

/** The cases module's repository, read through its public service: a case's owner, department and form. */
function casesAdapter(platform: Platform): CaseLookupPort {
  return {
    async findCase(id) {
      const cases = casesService(platform)
      const record = await cases.repository.findById(id)
      if (!record) return undefined
      return {
        id: record.id,
        applicantId: record.applicant_id,
        actingForId: record.acting_for_id,
        departmentId: record.department_id,
        regionCode: record.region_code,
        implementationId: record.implementation_id,
        guideVersion: record.guide_version,
        formData: cases.formDataOf(record),
      }
    },
  }
}

function guidesAdapter(platform: Platform): GuideResultPort {
  return {
    async resultOf(implementationId, version) {
      try {
        return (await catalogService(platform).getPublishedVersion(implementationId, version)).content.result
      } catch {
        return undefined
      }
    },
  }
}

/**
 * The identity module's demo accounts, found through its public service the way a user would log in: the
 * documented demo phone numbers 13800000001–13800000060, and the companies each of them represents.
 */
function demoHoldersOf(platform: Platform): DemoHolders {
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

/** Without an account directory, automatic issuance finds no holder and records why. */
const noHolders: HolderDirectoryPort = { findHolder: async () => undefined }

/** Builds the 电子证照 module with its ports (tests pass fakes). */
export function createLicensesModule(options: LicensesModuleOptions = {}): Module {
  return {
    name: 'licenses',
    tables: [
      'license_grants',
      'license_issue_requests',
      'license_reads',
      'license_sequences',
      'license_signing_keys',
      'license_token_uses',
      'license_types',
      'licenses',
    ],
    register(app, platform) {
      const service = new LicensesService(
        platform,
        {
          org: orgService(platform),
          cases: options.cases?.(platform) ?? casesAdapter(platform),
          guides: options.guides?.(platform) ?? guidesAdapter(platform),
          holders: options.holders?.(platform) ?? noHolders,
        },
        options.pdfFonts ? { pdfFonts: options.pdfFonts } : {},
      )
      services.set(platform, service)
      platform.events.subscribe(ISSUE_ON_COMPLETION, 'case.completed', async (event, trx) => {
        await service.requestIssueForCase((event.payload as { caseId: string }).caseId, trx)
        // work the queue once this transaction has committed; the worker's timer catches anything missed
        setImmediate(() => void service.processIssueRequests().catch(() => undefined))
      })
      if (platform.config.role !== 'api') {
        const timer = setInterval(() => void service.processIssueRequests().catch(() => undefined), 10_000)
        timer.unref()
        app.addHook('onClose', async () => clearInterval(timer))
      }
      registerLicensesRoutes(app, service)
    },
    async seedDemo(platform) {
      await seedLicensesDemo(licensesService(platform), orgService(platform), demoHoldersOf(platform))
    },
  }
}

/** 电子证照 module: license types, signing keys, issuing, wallet, 亮证, verification and 用证授权. */
export const licensesModule: Module = createLicensesModule()
