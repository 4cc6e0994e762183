import type { Module } from '../../platform/module.ts'
import { localNotifier } from '../../platform/notify.ts'
import type { Platform } from '../../platform/platform.ts'
import { catalogService } from '../catalog/index.ts'
import { identityService } from '../identity/index.ts'
import { orgService } from '../org/index.ts'
import { catalogAdapter } from './cases.catalog-adapter.ts'
import { type DemoCatalog, type DemoDirectory, seedCasesDemo } from './cases.demo.ts'
import { applicantAccountsAdapter, departmentDirectoryAdapter } from './cases.identity-adapter.ts'
import type {
  ApplicantAccountsPort,
  CatalogPort,
  ContactPort,
  DepartmentDirectoryPort,
  StaffDirectoryPort,
} from './cases.ports.ts'
import { registerCasesRoutes } from './cases.routes.ts'
import { type CasesDependencies, CasesService } from './cases.service.ts'

export type {
  ApplicantAccount,
  ApplicantAccountsPort,
  BundleDescription,
  CatalogPort,
  ContactPort,
  CounterAccount,
  DepartmentDirectoryPort,
  PublishedGuide,
  StaffDirectoryPort,
  WorkflowStep,
} from './cases.ports.ts'
export { CasesService } from './cases.service.ts'

/** How the cases module reaches other modules and providers; each part defaults to the installed one. */
export interface CasesModuleOptions {
  catalog?: (platform: Platform) => CatalogPort
  staff?: (platform: Platform) => StaffDirectoryPort
  contacts?: (platform: Platform) => ContactPort
  notifier?: (platform: Platform) => CasesDependencies['notifier']
  /** Applicants' accounts for 一窗受理; the identity module's by default. */
  applicants?: (platform: Platform) => ApplicantAccountsPort
  /** Department names for 受理回执; the org module's by default. */
  departments?: (platform: Platform) => DepartmentDirectoryPort
  /** Demo accounts and implementations for `seedDemo`; the identity and catalog modules by default. */
  demo?: (platform: Platform) => { directory: DemoDirectory; catalog: DemoCatalog }
}

/** The identity module's demo accounts and the catalog's implementations, through their services. */
function installedDemoPorts(platform: Platform): { directory: DemoDirectory; catalog: DemoCatalog } {
  const identity = identityService(platform)
  const catalog = catalogService(platform)
  return {
    directory: {
      async findAccount(login) {
        const account = await identity.findByLogin(login)
        if (!account) return undefined
        return {
          id: account.id,
          name: account.name,
          idNumber: account.id_number_enc ? platform.vault.decrypt(account.id_number_enc) : undefined,
          phone: account.phone_enc ? platform.vault.decrypt(account.phone_enc) : undefined,
        }
      },
      async findCompany(personId, name) {
        const company = (await identity.companiesActedFor(personId)).find((c) => c.name === name)
        if (!company) return undefined
        const record = await identity.getAccount(company.accountId)
        const representative = record.legal_representative_id
          ? (await identity.getAccount(record.legal_representative_id)).name
          : ''
        return {
          id: company.accountId,
          name: company.name,
          uscc: company.uscc,
          legalRepresentative: representative,
        }
      },
      async actorFor(accountId, companyId) {
        const actor = await identity.actorFor(accountId, companyId)
        return actor && actor.kind !== 'anonymous' ? actor : undefined
      },
    },
    catalog: {
      async findImplementation(itemName, regionCode) {
        const { items } = await catalog.listImplementations({
          region: regionCode,
          publishedOnly: true,
          limit: 1_000,
          offset: 0,
        })
        return items.find((i) => i.region_code === regionCode && i.name === itemName)?.id
      },
    },
  }
}

const services = new WeakMap<Platform, CasesService>()

/** The cases service of a platform (one per process), once the module is registered. */
export function casesService(platform: Platform): CasesService {
  const service = services.get(platform)
  if (!service) throw new Error('the cases module is not registered on this platform')
  return service
}

/** Builds the 办件 module with its ports (tests pass fakes). */
export function createCasesModule(options: CasesModuleOptions = {}): Module {
  return {
    name: 'cases',
    tables: [
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
    ],
    async register(app, platform) {
      const service = new CasesService(platform, {
        catalog: options.catalog?.(platform) ?? catalogAdapter(catalogService(platform)),
        ...(options.staff ? { staff: options.staff(platform) } : {}),
        ...(options.contacts ? { contacts: options.contacts(platform) } : {}),
        notifier: options.notifier?.(platform) ?? localNotifier(platform.config.dataDir, platform.clock),
        applicants: options.applicants?.(platform) ?? applicantAccountsAdapter(identityService(platform)),
        departments: options.departments?.(platform) ?? departmentDirectoryAdapter(orgService(platform)),
      })
      services.set(platform, service)
      // form data stored before it was encrypted is encrypted before this node serves (the master key is
      // the platform's, not known to migrations); a no-op once done
      const encrypted = await service.encryptPlaintextFormData()
      if (encrypted > 0) platform.logger.info({ encrypted }, 'plaintext case form data encrypted')
      app.addHook('onClose', async () => {
        await service.deps.catalog.flushApplications?.()
      })
      // milestones are queued with the step that reached them (same statement), so a committed step is
      // notified even after a crash; worker processes send them soon after each step and every few seconds
      const send = () =>
        void service
          .sendNotifications()
          .catch((err) => platform.logger.error({ err }, 'sending case notifications failed'))
      if (platform.config.role !== 'api') {
        const timer = setInterval(send, 5_000)
        timer.unref()
        app.addHook('onClose', async () => clearInterval(timer))
      }
      // expired idempotency keys are deleted by worker processes: soon after start, then hourly
      if (platform.config.role !== 'api') {
        const purge = () =>
          void service
            .purgeExpiredIdempotencyKeys()
            .then((n) => n > 0 && platform.logger.info({ deleted: n }, 'expired idempotency keys deleted'))
            .catch((err) => platform.logger.error({ err }, 'deleting expired idempotency keys failed'))
        const first = setTimeout(purge, 5_000)
        const hourly = setInterval(purge, 3_600_000)
        first.unref()
        hourly.unref()
        app.addHook('onClose', async () => {
          clearTimeout(first)
          clearInterval(hourly)
        })
      }
      await registerCasesRoutes(app, service)
    },
    async seedDemo(platform) {
      const ports = options.demo?.(platform) ?? installedDemoPorts(platform)
      await seedCasesDemo(platform, casesService(platform).deps, ports.directory, ports.catalog)
    },
  }
}

/** 办件 module: applying, lifecycle, tasks, time limits, supervision and progress. */
export const casesModule: Module = createCasesModule()
