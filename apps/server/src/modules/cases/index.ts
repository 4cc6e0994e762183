import type { Module } from '../../platform/module.ts'
import { localNotifier } from '../../platform/notify.ts'
import type { Platform } from '../../platform/platform.ts'
import { catalogService } from '../catalog/index.ts'
import { catalogAdapter } from './cases.catalog-adapter.ts'
import type { CatalogPort, ContactPort, StaffDirectoryPort } from './cases.ports.ts'
import { registerCasesRoutes } from './cases.routes.ts'
import { type CasesDependencies, CasesService } from './cases.service.ts'

export type {
  BundleDescription,
  CatalogPort,
  ContactPort,
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
    async register(app, platform) {
      const service = new CasesService(platform, {
        catalog: options.catalog?.(platform) ?? catalogAdapter(catalogService(platform)),
        ...(options.staff ? { staff: options.staff(platform) } : {}),
        ...(options.contacts ? { contacts: options.contacts(platform) } : {}),
        notifier: options.notifier?.(platform) ?? localNotifier(platform.config.dataDir, platform.clock),
      })
      services.set(platform, service)
      // milestones are notified from the outbox, so a committed step is notified even after a crash
      platform.events.subscribe('cases.notify', 'case.*', async (event) => {
        await service.notifyMilestone(
          event.topic,
          event.payload as Parameters<CasesService['notifyMilestone']>[1],
        )
      })
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
  }
}

/** 办件 module: applying, lifecycle, tasks, time limits, supervision and progress. */
export const casesModule: Module = createCasesModule()
