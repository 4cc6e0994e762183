// The Tongban server as deployed (every module, demo data), plus one bench-only route that exercises the
// foundation's per-request work on a trivial handler: token verification, strict body validation and an
// audit entry appended in its own transaction. Prints `listening <url>` and `token <access token>`.
import { Type } from 'typebox'
import { startServer } from '../../apps/server/src/main.ts'
import { modules } from '../../apps/server/src/modules/index.ts'
import { issueAccessToken } from '../../apps/server/src/modules/sso/index.ts'
import { authenticated, requireActor } from '../../apps/server/src/platform/authz.ts'
import { loadConfig } from '../../apps/server/src/platform/config.ts'
import type { Module } from '../../apps/server/src/platform/module.ts'
import { auditContext } from '../../apps/server/src/platform/platform.ts'

const Echo = Type.Object(
  { title: Type.String({ minLength: 1, maxLength: 50 }), count: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
)

const benchModule: Module = {
  name: 'bench',
  tables: [],
  register(app, platform) {
    app.post(
      '/bench/validated',
      { config: { policy: authenticated }, schema: { body: Echo } },
      async (request) => ({ by: requireActor(request).name, title: request.body.title }),
    )
    app.post(
      '/bench/audited',
      { config: { policy: authenticated }, schema: { body: Echo } },
      async (request) => {
        const actor = requireActor(request)
        await platform.audit.record({
          ...auditContext(request),
          action: 'bench.echo',
          resourceType: 'bench',
          resourceId: request.body.title,
          regionCode: null,
          outcome: 'success',
        })
        return { by: actor.name, title: request.body.title }
      },
    )
  },
}

const config = loadConfig({ ...process.env, SEED_DEMO: 'true', ROLE: 'all' })
const server = await startServer(config, { modules: [...modules, benchModule] })
const person = await server.platform.db
  .selectFrom('accounts')
  .select('id')
  .where('kind', '=', 'person')
  .orderBy('created_at')
  .executeTakeFirstOrThrow()
console.log(`token ${await issueAccessToken(server.platform, person.id, { ttlSeconds: 3600 })}`)
console.log(`listening ${server.url}`)
process.once('SIGTERM', () => server.close().then(() => process.exit(0)))
