/** Fixtures of the sso module's flow tests: the accounts, a probe route, and a relying party's steps. */
import * as client from 'openid-client'
import { authenticated, requireActor } from '../../platform/authz.ts'
import type { Module } from '../../platform/module.ts'
import { createTestServer, type TestServer } from '../../testing/test-server.ts'
import { createSsoModule } from './index.ts'
import { FakeDirectory, fakeSsoPorts, formAction, injectFetch, type TestBrowser } from './sso.testing.ts'

export const ISSUER = 'http://127.0.0.1:3000/oidc'
export const WEB_CALLBACK = 'http://127.0.0.1:3000/auth/callback'

/** A citizen, an agent of a company, the company, a clerk with a second factor, an admin without, a locked account. */
export function flowDirectory(): FakeDirectory {
  return new FakeDirectory(ACCOUNTS)
}

const ACCOUNTS: ConstructorParameters<typeof FakeDirectory>[0] = [
  {
    id: 'p-1',
    login: '110101199003077777',
    password: 'Zhang#San2026',
    kind: 'person',
    name: '张三',
    idMasked: '110***********7777',
  },
  {
    id: 'p-2',
    login: '13800138000',
    password: 'Li#Si2026pass',
    kind: 'person',
    name: '李四',
    idMasked: '330***********1234',
    actsFor: ['c-1'],
  },
  {
    id: 'c-1',
    login: '91330106MA2XXXXXXX',
    password: 'Company#2026',
    kind: 'company',
    name: '杭州通办科技有限公司',
    uscc: '91330106MA2XXXXXXX',
  },
  {
    id: 's-1',
    login: 'clerk.wang',
    password: 'Wang#Clerk2026',
    kind: 'staff',
    name: '王窗口',
    totp: '654321',
    roles: [{ role: 'window_clerk', departmentId: null, regionCode: '330106' }],
  },
  {
    id: 's-2',
    login: 'admin.zhao',
    password: 'Zhao#Admin2026',
    kind: 'staff',
    name: '赵管理',
    roles: [{ role: 'system_admin', departmentId: null, regionCode: '330000' }],
  },
  {
    id: 'p-3',
    login: '110101199001011234',
    password: 'Locked#2026',
    kind: 'person',
    name: '锁定',
    lockedUntil: new Date('2026-11-23T02:15:00Z'),
  },
]

/** A route any logged-in account may call, answering who the caller is. */
export const probeModule: Module = {
  name: 'probe',
  tables: [],
  register(app) {
    app.get('/api/v1/probe/me', { config: { policy: authenticated } }, async (request) => {
      const actor = requireActor(request)
      return { accountId: actor.accountId, kind: actor.kind, actingFor: actor.actingFor?.accountId ?? null }
    })
  },
}

/** Discovers the provider as a relying party does, through the test server. */
export async function discover(fetchImpl: typeof fetch, clientId: string, secret?: string) {
  return client.discovery(new URL(ISSUER), clientId, secret, undefined, {
    execute: [client.allowInsecureRequests],
    [client.customFetch]: fetchImpl,
  })
}

/** Starts an authorization request the way a relying party does; returns what it needs to finish. */
export async function authorize(
  config: client.Configuration,
  redirectUri: string,
  extra: Record<string, string> = {},
) {
  const codeVerifier = client.randomPKCECodeVerifier()
  const state = client.randomState()
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile offline_access',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    prompt: 'consent',
    ...extra,
  })
  return { url, codeVerifier, state }
}

/** Follows an authorization request to the login page and submits the account and password. */
export async function login(
  browser: TestBrowser,
  startUrl: URL,
  redirectUri: string,
  loginName: string,
  password: string,
) {
  const page = await browser.follow(startUrl.href, redirectUri)
  if (page.status !== 200 || !page.body.includes('name="password"'))
    throw new Error(`expected the login page, got ${page.status}`)
  return browser.follow(formAction(page.body), redirectUri, { form: { login: loginName, password } })
}

/** A test server with the sso module over the flow accounts and the probe route, and discovery through it. */
export async function startFlowServer(): Promise<{
  server: TestServer
  discover: (clientId: string, secret?: string) => Promise<client.Configuration>
}> {
  const server = await createTestServer({
    modules: [createSsoModule(fakeSsoPorts(flowDirectory())), probeModule],
  })
  const fetchImpl = injectFetch(server.app)
  return { server, discover: (clientId, secret) => discover(fetchImpl, clientId, secret) }
}
