// Bench fixture for bench/sso.ts: the server with the org, identity and SSO modules (ROLE=api), one
// registered citizen, and two bench-only routes answering the same trivial body — one public, one
// `authenticated` — plus POST /bench/codes, which mints real authorization codes.
//
// The first code comes from a real login on Tongban's own pages (password form, tongban-web, PKCE S256,
// scope `openid profile offline_access` as the web app asks) and is exchanged at /oidc/token for the
// access token printed as `token <value>`. The rest are minted with the provider's own AuthorizationCode
// model, copying that code's payload (account, grant, scopes, resource, PKCE challenge, auth time, amr) and
// saved through the PostgreSQL adapter, with a 15-minute lifetime so that a bench run's supply does not
// expire while it is being used. Prints `listening <url>` and `token <access token>`.
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import path from 'node:path'
import { Type } from 'typebox'
import { startServer } from '../apps/server/src/main.ts'
import { identityModule, identityService } from '../apps/server/src/modules/identity/index.ts'
import { orgModule } from '../apps/server/src/modules/org/index.ts'
import { createSsoModule, ssoService } from '../apps/server/src/modules/sso/index.ts'
import { formAction, TestBrowser } from '../apps/server/src/modules/sso/sso.testing.ts'
import { ssoPorts } from '../apps/server/src/modules/wiring.ts'
import { authenticated, publicAccess } from '../apps/server/src/platform/authz.ts'
import { loadConfig, publicUrlOf } from '../apps/server/src/platform/config.ts'
import type { Module } from '../apps/server/src/platform/module.ts'
import { buildIdNumber } from '../packages/standards/src/index.ts'

const PASSWORD = 'Tongban@2026'
const CODE_TTL_SECONDS = 15 * 60
const verifier = randomBytes(32).toString('base64url')
const challenge = createHash('sha256').update(verifier).digest('base64url')

let mint: (n: number) => Promise<string[]> = async () => []

const benchModule: Module = {
  name: 'bench',
  tables: [],
  register(app) {
    const answer = { ok: true, service: '通办' }
    app.get('/bench/public', { config: { policy: publicAccess } }, async () => answer)
    app.get('/bench/authenticated', { config: { policy: authenticated } }, async () => answer)
    // this process's CPU time so far (µs): the bench divides the difference by the requests it sent
    app.get('/bench/cpu', { config: { policy: publicAccess } }, async () => {
      const { user, system } = process.cpuUsage()
      return { micros: user + system }
    })
    app.post(
      '/bench/codes',
      {
        config: { policy: publicAccess },
        schema: {
          body: Type.Object(
            { n: Type.Integer({ minimum: 1, maximum: 50_000 }) },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => ({ codes: await mint(request.body.n), verifier }),
    )
  },
}

const config = loadConfig({ ...process.env, ROLE: 'api' })
const server = await startServer(config, {
  modules: [orgModule, identityModule, createSsoModule(ssoPorts), benchModule],
})
const system = { actorId: null, actorKind: 'system' as const, ip: null, requestId: null }
const idNumber = buildIdNumber({ regionCode: '330106', birthDate: '1986-08-08', sequence: 271 })
await identityService(server.platform).registerPerson(
  { name: '压测用户', idNumber, phone: '13700009999', password: PASSWORD },
  system,
)

// one real login through Tongban's pages
const callback = `${publicUrlOf(config)}/auth/callback`
const browser = new TestBrowser(server.app)
const params = new URLSearchParams({
  client_id: 'tongban-web',
  redirect_uri: callback,
  response_type: 'code',
  scope: 'openid profile offline_access',
  code_challenge: challenge,
  code_challenge_method: 'S256',
  state: 'bench',
  prompt: 'consent',
})
const publicUrl = new URL(publicUrlOf(config))
const loginPage = await browser.follow(`${publicUrl.origin}/oidc/auth?${params}`, callback)
const redirected = await browser.follow(formAction(loginPage.body), callback, {
  form: { login: idNumber, password: PASSWORD },
})
const realCode = new URL(redirected.location ?? '').searchParams.get('code')
if (!realCode) throw new Error(`the bench login did not return a code: ${redirected.status}`)

const { provider } = ssoService(server.platform)
const template = await provider.AuthorizationCode.find(realCode)
if (!template) throw new Error('the real authorization code was not found')
const client = await provider.Client.find('tongban-web')
const fields = [
  'accountId',
  'acr',
  'amr',
  'authTime',
  'claims',
  'grantId',
  'nonce',
  'redirectUri',
  'resource',
  'scope',
  'sessionUid',
  'expiresWithSession',
  'codeChallenge',
  'codeChallengeMethod',
  'sid',
] as const
const copied = Object.fromEntries(
  fields.flatMap((name) => {
    const value = (template as unknown as Record<string, unknown>)[name]
    return value === undefined ? [] : [[name, value]]
  }),
)
mint = async (n) => {
  const codes: string[] = []
  for (let i = 0; i < n; i += 50) {
    const batch = Array.from({ length: Math.min(50, n - i) }, () =>
      new provider.AuthorizationCode({ ...copied, client, expiresIn: CODE_TTL_SECONDS }).save(),
    )
    codes.push(...(await Promise.all(batch)))
  }
  return codes
}

// the real code is exchanged like any client would: its access token drives the authenticated route
const exchanged = await server.app.inject({
  method: 'POST',
  url: '/oidc/token',
  headers: { host: publicUrl.host, 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams({
    grant_type: 'authorization_code',
    code: realCode,
    redirect_uri: callback,
    client_id: 'tongban-web',
    code_verifier: verifier,
  }).toString(),
})
if (exchanged.statusCode !== 200) throw new Error(`token exchange failed: ${exchanged.body}`)
// BENCH_PROFILE=<dir>: a V8 CPU profile of the measured part, written when the process is told to stop
const profileDir = process.env.BENCH_PROFILE
const inspector = profileDir ? new Session() : undefined
if (inspector) {
  inspector.connect()
  await inspector.post('Profiler.enable')
  await inspector.post('Profiler.setSamplingInterval', { interval: 100 })
  await inspector.post('Profiler.start')
}
console.log(`token ${exchanged.json().access_token}`)
console.log(`listening ${server.url}`)
process.once('SIGTERM', async () => {
  if (inspector && profileDir) {
    const { profile } = await inspector.post('Profiler.stop')
    await fs.mkdir(profileDir, { recursive: true })
    await fs.writeFile(path.join(profileDir, `sso-${process.pid}.cpuprofile`), JSON.stringify(profile))
  }
  await server.close()
  process.exit(0)
})
