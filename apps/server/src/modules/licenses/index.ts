import type { CaseLicenseView } from '@tongban/contracts'
import type { Module } from '../../platform/module.ts'
import type { Platform } from '../../platform/platform.ts'
import { seedLicensesDemo } from './licenses.demo.ts'
import type { CjkFontSource } from './licenses.pdf.ts'
import type { LicensesPortFactories } from './licenses.ports.ts'
import { registerLicensesRoutes } from './licenses.routes.ts'
import { LicensesService } from './licenses.service.ts'

export type { LicenseDocument, PublishedKey, SignedLicenseFile } from './licenses.document.ts'
export { canonicalize, verifyLicenseOffline } from './licenses.document.ts'
export type {
  CaseFacts,
  CaseLookupPort,
  DemoCitizen,
  DemoCompany,
  DemoHolders,
  Department,
  DepartmentDirectoryPort,
  GuideResultPort,
  HolderDirectoryPort,
  LicensesPortFactories,
  LicensesPorts,
} from './licenses.ports.ts'
export type { LicenseDetail } from './licenses.service.ts'
export { LicensesService } from './licenses.service.ts'

/** The consumer name of automatic issuance on the outbox (its receipts make redelivery harmless). */
export const ISSUE_ON_COMPLETION = 'licenses.issue-on-completion'
/** How often a worker node works the queue of automatic issuance, besides right after each event. */
const ISSUE_QUEUE_MS = 10_000

/** What the module is built with besides its ports. */
export interface LicensesModuleOptions {
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

/**
 * The license a case yields (for the cases module, through its port: `deliver` by e-license needs
 * state `issued`; a failure carries its reason): issued, pending, failed, not-applicable or none.
 */
export function licenseForCase(platform: Platform, caseId: string): Promise<CaseLicenseView> {
  return licensesService(platform).licenseForCase(caseId)
}

/** Builds the 电子证照 module on the ports it consumes (wired in modules/wiring.ts; tests pass fakes). */
export function createLicensesModule(
  ports: LicensesPortFactories,
  options: LicensesModuleOptions = {},
): Module {
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
          cases: ports.cases(platform),
          guides: ports.guides(platform),
          holders: ports.holders(platform),
          departments: ports.departments(platform),
        },
        options.pdfFonts ? { pdfFonts: options.pdfFonts } : {},
      )
      services.set(platform, service)
      subscribeToCompletions(platform, service)
      if (platform.config.role !== 'api') {
        const timer = setInterval(() => workIssueQueue(platform, service), ISSUE_QUEUE_MS)
        timer.unref()
        app.addHook('onClose', async () => clearInterval(timer))
      }
      registerLicensesRoutes(app, service)
    },
    async seedDemo(platform) {
      if (!ports.demoHolders) throw new Error('the licenses demo needs the demo holders port')
      await seedLicensesDemo(
        licensesService(platform),
        ports.departments(platform),
        ports.demoHolders(platform),
      )
    },
  }
}

/** Queues every completed case for automatic issuance, committed with the event's receipt. */
function subscribeToCompletions(platform: Platform, service: LicensesService): void {
  platform.events.subscribe(ISSUE_ON_COMPLETION, 'case.completed', async (event, trx) => {
    await service.requestIssueForCase(event.payload, trx)
    // work the queue once this transaction has committed; the worker's timer catches anything missed
    setImmediate(() => workIssueQueue(platform, service))
  })
}

/** One pass over the issue queue; a failure is logged, and the next pass retries. */
function workIssueQueue(platform: Platform, service: LicensesService): void {
  service.processIssueRequests().catch((error: unknown) => {
    platform.logger.warn({ err: error }, 'a pass over the license issue queue failed; the next one retries')
  })
}
