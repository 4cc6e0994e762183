import { Type } from 'typebox'
import { publicAccess } from '../../platform/authz.ts'
import { pendingMigrations } from '../../platform/db/migrate.ts'
import { AppError } from '../../platform/errors.ts'
import type { App } from '../../platform/http.ts'
import type { Platform } from '../../platform/platform.ts'

const Health = Type.Object({ status: Type.Literal('ok') })
const Readiness = Type.Object({
  status: Type.Literal('ready'),
  database: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
  eventBacklog: Type.Integer(),
})

/** Liveness and readiness for load balancers and orchestrators. */
export function registerSystemRoutes(app: App, platform: Platform): void {
  app.get(
    '/healthz',
    {
      config: { policy: publicAccess },
      schema: { tags: ['system'], summary: 'Process is alive', response: { 200: Health } },
    },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/readyz',
    {
      config: { policy: publicAccess },
      schema: {
        tags: ['system'],
        summary: 'Database reachable and migrations current',
        response: { 200: Readiness },
      },
    },
    async () => {
      let pending: string[]
      let backlog: number
      try {
        pending = await pendingMigrations(platform.db)
        backlog = await platform.events.backlog()
      } catch (error) {
        throw new AppError('unavailable', {
          detail: { zh: '数据库不可达', en: 'The database is unreachable' },
          cause: error,
        })
      }
      if (pending.length > 0) {
        throw new AppError('unavailable', {
          detail: {
            zh: `有 ${pending.length} 个数据库迁移未执行`,
            en: `${pending.length} database migrations are pending`,
          },
        })
      }
      return { status: 'ready' as const, database: platform.database.engine, eventBacklog: backlog }
    },
  )
}
