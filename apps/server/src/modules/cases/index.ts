import type { Module } from '../../platform/module.ts'
import { localNotifier } from '../../platform/notify.ts'
import type { Platform } from '../../platform/platform.ts'
import { seedCasesDemo } from './cases.demo.ts'
import type { CasesPorts } from './cases.ports.ts'
import { registerCasesRoutes } from './cases.routes.ts'
import { CasesService } from './cases.service.ts'

export type {
  ApplicantAccount,
  ApplicantAccountsPort,
  ApplicantFact,
  ApplicantFacts,
  ApplicantFactsPort,
  BundleDescription,
  CasesPorts,
  CatalogPort,
  CitedGrant,
  ContactPort,
  CounterAccount,
  DemoAccount,
  DemoCatalog,
  DemoDirectory,
  DemoPorts,
  DepartmentDirectoryPort,
  GuideMaterial,
  LicenseGrantsPort,
  PublishedGuide,
  StaffDirectoryPort,
  WorkflowStep,
} from './cases.ports.ts'
export { CasesService } from './cases.service.ts'
export type { CaseFacts } from './reading.ts'

const services = new WeakMap<Platform, CasesService>()

/** The cases service of a platform (one per process), once the module is registered. */
export function casesService(platform: Platform): CasesService {
  const service = services.get(platform)
  if (!service) throw new Error('the cases module is not registered on this platform')
  return service
}

/** The tables of the 办件 module. */
const CASES_TABLES = [
  'case_drafts',
  'case_events',
  'case_materials',
  'case_notifications',
  'case_sequences',
  'case_tasks',
  'case_uploads',
  'cases',
  'holiday_calendar_additions',
  'idempotency_keys',
]

/**
 * 办件 module: applying (online and at the window), the lifecycle as events, department tasks, time limits,
 * supervision and progress. Built with the ports it consumes (modules/wiring.ts; tests pass fakes).
 */
export function createCasesModule(ports: CasesPorts): Module {
  return {
    name: 'cases',
    tables: CASES_TABLES,
    async register(app, platform) {
      const service = new CasesService(platform, {
        catalog: ports.catalog(platform),
        staff: ports.staff?.(platform),
        contacts: ports.contacts?.(platform),
        notifier: ports.notifier?.(platform) ?? localNotifier(platform.config.dataDir, platform.clock),
        applicants: ports.applicants?.(platform),
        departments: ports.departments?.(platform),
        applicantFacts: ports.applicantFacts?.(platform),
        grants: ports.grants?.(platform),
      })
      services.set(platform, service)
      // form data stored before it was encrypted is encrypted before this node serves (the master key is
      // the platform's, not known to migrations); a no-op once done
      const encrypted = await service.encryptPlaintextFormData()
      if (encrypted > 0) platform.logger.info({ encrypted }, 'plaintext case form data encrypted')
      app.addHook('onClose', async () => {
        await service.deps.catalog.flushApplications?.()
      })
      if (platform.config.role !== 'api') startWorkers(app, platform, service)
      await registerCasesRoutes(app, service)
    },
    async seedDemo(platform) {
      const demo = ports.demo?.(platform)
      if (!demo) throw new Error('the cases module has no demo ports')
      await seedCasesDemo(platform, casesService(platform).deps, demo.directory, demo.catalog)
    },
  }
}

/**
 * The module's background work in worker processes: milestone notifications (queued with the step that
 * reached them, so a committed step is notified even after a crash) every few seconds besides soon after
 * each step; expired idempotency keys deleted soon after start, then hourly.
 */
function startWorkers(
  app: Parameters<Module['register']>[0],
  platform: Platform,
  service: CasesService,
): void {
  const send = () =>
    void service
      .sendNotifications()
      .catch((err) => platform.logger.error({ err }, 'sending case notifications failed'))
  const purge = () =>
    void service
      .purgeExpiredIdempotencyKeys()
      .then((n) => n > 0 && platform.logger.info({ deleted: n }, 'expired idempotency keys deleted'))
      .catch((err) => platform.logger.error({ err }, 'deleting expired idempotency keys failed'))
  const sending = setInterval(send, 5_000)
  const first = setTimeout(purge, 5_000)
  const hourly = setInterval(purge, 3_600_000)
  for (const timer of [sending, first, hourly]) timer.unref()
  app.addHook('onClose', async () => {
    clearInterval(sending)
    clearTimeout(first)
    clearInterval(hourly)
  })
}
