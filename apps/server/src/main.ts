import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import { modules as allModules } from './modules/index.ts'
import { registerSystemRoutes } from './modules/system/system.routes.ts'
import { type Config, loadConfig, publicUrlOf } from './platform/config.ts'
import { prepareDatabase } from './platform/db/prepare.ts'
import { type App, createHttpServer, registerPublic } from './platform/http.ts'
import type { Module } from './platform/module.ts'
import { auditContext, createPlatform, type Platform, type PlatformOverrides } from './platform/platform.ts'

export const VERSION = '0.1.0'
const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url))
const DAY = 86_400_000

export interface RunningServer {
  app: App
  platform: Platform
  /** Base URL the server listens on. */
  url: string
  /** Graceful stop: finishes in-flight requests, stops workers, closes the database. */
  close(): Promise<void>
}

export interface StartOptions extends PlatformOverrides {
  modules?: Module[]
  /** Do not listen on a port (tests use app.inject). */
  listen?: boolean
}

/** Builds the HTTP app for a ready platform: system routes, every module, and the web app's files. */
export async function buildApp(platform: Platform, modules: Module[] = allModules): Promise<App> {
  const app = await createHttpServer({
    logger: platform.logger,
    bodyLimit: platform.config.bodyLimit,
    rateLimitPerMinute: platform.config.rateLimitPerMinute,
    version: VERSION,
    fallbackPage: webAppIndex(),
    authenticate: (request) => platform.authenticator(request),
    onDenied: async (request, policyName) => {
      await platform.audit.record({
        ...auditContext(request),
        action: 'route.denied',
        resourceType: 'route',
        resourceId: `${request.method} ${request.routeOptions.url}`,
        regionCode: null,
        outcome: 'denied',
        details: { policy: policyName },
      })
    },
  })
  registerSystemRoutes(app, platform)
  for (const module of modules) await module.register(app, platform)
  if (webAppIndex()) {
    await registerPublic(app, (child) =>
      child.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: ['index.html'] }),
    )
  }
  return app
}

/** The built web app's entry page, when the web app has been built. */
function webAppIndex(): string | undefined {
  const file = path.join(WEB_DIST, 'index.html')
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined
}

/** Starts a server process: configuration → database → migrations → modules → listen → workers. */
export async function startServer(
  config: Config = loadConfig(),
  options: StartOptions = {},
): Promise<RunningServer> {
  const platform = await createPlatform(config, options)
  const { logger } = platform
  let stopWorkers = () => platform.events.stop()
  try {
    const applied = await prepareDatabase(platform)
    if (applied.length > 0) logger.info({ applied }, 'database migrated')
    const modules = options.modules ?? allModules
    const app = await buildApp(platform, modules)
    // after every module has registered: demo data goes through the modules' own services
    if (config.demoSeed) await seedDemo(platform, modules)
    if (config.role !== 'api') stopWorkers = await startWorkers(platform)
    if (options.listen !== false && config.role !== 'worker') {
      await app.listen({ port: config.port, host: config.host })
    } else {
      await app.ready()
    }
    const address = app.server.address()
    const url =
      address && typeof address === 'object' ? `http://${config.host}:${address.port}` : publicUrlOf(config)
    let closing: Promise<void> | undefined
    return {
      app,
      platform,
      url,
      close: () => {
        closing ??= (async () => {
          await app.close()
          await stopWorkers()
          await platform.database.close()
        })()
        return closing
      },
    }
  } catch (error) {
    await stopWorkers()
    await platform.database.close()
    throw error
  }
}

/**
 * Background work of a worker process: the event relay, the audit sealer, and audit archiving and deleting delivered
 * events, once at start and then daily (a worker restarted more often than daily, e.g. by deployments, must still
 * archive).
 * Returns the function that stops them.
 */
async function startWorkers(platform: Platform): Promise<() => Promise<void>> {
  await platform.events.start()
  const stopSealer = platform.audit.startSealer(
    (err) => platform.logger.error({ err }, 'audit sealing or checkpointing failed; will retry'),
    500,
    () => platform.auditCheckpoints.writeIfDue(),
  )
  let running: Promise<unknown> = Promise.resolve()
  const archive = () => {
    running = Promise.all([
      platform.audit
        .archive(platform.config.auditRetentionDays)
        .then((moved) => moved > 0 && platform.logger.info({ moved }, 'audit entries archived'))
        .catch((err) => platform.logger.error({ err }, 'audit archiving failed')),
      platform.events
        .prune(platform.config.outboxRetentionDays)
        .then((deleted) => deleted > 0 && platform.logger.info({ deleted }, 'delivered events deleted'))
        .catch((err) => platform.logger.error({ err }, 'deleting delivered events failed')),
    ])
  }
  const first = setTimeout(archive, 0)
  const daily = setInterval(archive, DAY)
  first.unref()
  daily.unref()
  return async () => {
    clearTimeout(first)
    clearInterval(daily)
    await platform.events.stop()
    await stopSealer()
    await running
  }
}

/** Loads every module's demo data, unless demo data was loaded before. */
export async function seedDemo(platform: Platform, modules: Module[] = allModules): Promise<boolean> {
  const marker = await platform.db
    .selectFrom('audit_log')
    .select('id')
    .where('action', '=', 'system.demo-seeded')
    .executeTakeFirst()
  if (marker) return false
  for (const module of modules) await module.seedDemo?.(platform)
  await platform.audit.record({
    actorId: null,
    actorKind: 'system',
    action: 'system.demo-seeded',
    resourceType: null,
    resourceId: null,
    regionCode: null,
    ip: null,
    requestId: null,
    outcome: 'success',
  })
  platform.logger.info('demo data loaded')
  return true
}
