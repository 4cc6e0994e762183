import * as client from 'openid-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authenticated, requireActor } from '../../platform/authz.ts'
import type { Module } from '../../platform/module.ts'
import { createTestServer, type TestServer } from '../../testing/test-server.ts'
import { createSsoModule, issueAccessToken, ssoService } from './index.ts'
import { FakeDirectory, formAction, injectFetch, TestBrowser } from './sso.testing.ts'

const ISSUER = 'http://127.0.0.1:3000/oidc'
const WEB_CALLBACK = 'http://127.0.0.1:3000/auth/callback'

const directory = new FakeDirectory([
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
])

/** A route any logged-in account may call, answering who the caller is. */
const probeModule: Module = {
  name: 'probe',
  tables: [],
  register(app) {
    app.get('/api/v1/probe/me', { config: { policy: authenticated } }, async (request) => {
      const actor = requireActor(request)
      return { accountId: actor.accountId, kind: actor.kind, actingFor: actor.actingFor?.accountId ?? null }
    })
  },
}

let server: TestServer
let fetchImpl: typeof fetch

beforeAll(async () => {
  server = await createTestServer({ modules: [createSsoModule({ directory: () => directory }), probeModule] })
  fetchImpl = injectFetch(server.app)
}, 60_000)
afterAll(() => server?.close())

async function discover(clientId: string, secret?: string) {
  return client.discovery(new URL(ISSUER), clientId, secret, undefined, {
    execute: [client.allowInsecureRequests],
    [client.customFetch]: fetchImpl,
  })
}

/** Starts an authorization request the way a relying party does; returns what it needs to finish. */
async function authorize(
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

async function login(
  browser: TestBrowser,
  startUrl: URL,
  redirectUri: string,
  loginName: string,
  password: string,
) {
  const page = await browser.follow(startUrl.href, redirectUri)
  expect(page.status).toBe(200)
  expect(page.body).toContain('name="password"')
  return browser.follow(formAction(page.body), redirectUri, { form: { login: loginName, password } })
}

describe('discovery and keys', () => {
  it('publishes the discovery document with the endpoints, PKCE and the supported algorithms', async () => {
    const response = await server.app.inject({
      method: 'GET',
      url: '/oidc/.well-known/openid-configuration',
      headers: { host: '127.0.0.1:3000' },
    })
    expect(response.statusCode).toBe(200)
    const doc = response.json()
    expect(doc.issuer).toBe(ISSUER)
    expect(doc.authorization_endpoint).toBe(`${ISSUER}/auth`)
    expect(doc.token_endpoint).toBe(`${ISSUER}/token`)
    expect(doc.userinfo_endpoint).toBe(`${ISSUER}/me`)
    expect(doc.end_session_endpoint).toBe(`${ISSUER}/session/end`)
    expect(doc.code_challenge_methods_supported).toEqual(['S256'])
    expect(doc.id_token_signing_alg_values_supported).toEqual(expect.arrayContaining(['RS256', 'ES256']))
    expect(doc.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'offline_access']))
    expect(doc.claims_supported).toEqual(
      expect.arrayContaining(['account_kind', 'realname_level', 'id_masked', 'acting_for', 'roles']),
    )
    expect(doc.grant_types_supported).not.toContain('client_credentials')
  })

  it('publishes public keys only', async () => {
    const response = await server.app.inject({
      method: 'GET',
      url: '/oidc/jwks',
      headers: { host: '127.0.0.1:3000' },
    })
    expect(response.statusCode).toBe(200)
    const { keys } = response.json() as { keys: Record<string, string>[] }
    expect(keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256'])
    for (const key of keys) expect(key.d).toBeUndefined()
  })
})

describe('tongban-web: authorization code + PKCE with openid-client', () => {
  it('logs a citizen in, calls the API, reads userinfo, refreshes and logs out', async () => {
    const config = await discover('tongban-web')
    const browser = new TestBrowser(server.app)
    const { url, codeVerifier, state } = await authorize(config, WEB_CALLBACK)
    const callback = await login(browser, url, WEB_CALLBACK, '110101199003077777', 'Zhang#San2026')
    expect(callback.location).toMatch(/^http:\/\/127\.0\.0\.1:3000\/auth\/callback\?code=/)

    const tokens = await client.authorizationCodeGrant(config, new URL(callback.location!), {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
    })
    expect(tokens.refresh_token).toBeTruthy()
    const [header, payload] = tokens.access_token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()))
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' })
    expect(payload).toMatchObject({
      iss: ISSUER,
      aud: 'http://127.0.0.1:3000/api',
      sub: 'p-1',
      client_id: 'tongban-web',
    })
    expect(payload.exp - payload.iat).toBe(600)
    expect(tokens.expires_in).toBeLessThanOrEqual(600)
    const idClaims = tokens.claims()!
    expect(idClaims).toMatchObject({
      sub: 'p-1',
      name: '张三',
      account_kind: 'person',
      id_masked: '110***********7777',
    })

    const api = await server.app.inject({
      method: 'GET',
      url: '/api/v1/probe/me',
      headers: { authorization: `Bearer ${tokens.access_token}` },
    })
    expect(api.statusCode).toBe(200)
    expect(api.json()).toEqual({ accountId: 'p-1', kind: 'person', actingFor: null })

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, 'p-1')
    expect(userinfo).toMatchObject({
      sub: 'p-1',
      name: '张三',
      account_kind: 'person',
      realname_level: 2,
      id_masked: '110***********7777',
    })

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!)
    expect(refreshed.access_token).not.toBe(tokens.access_token)
    const again = await server.app.inject({
      method: 'GET',
      url: '/api/v1/probe/me',
      headers: { authorization: `Bearer ${refreshed.access_token}` },
    })
    expect(again.statusCode).toBe(200)

    const logoutUrl = client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: 'http://127.0.0.1:3000/',
    })
    const confirm = await browser.request(logoutUrl.href)
    expect(confirm.status).toBe(200)
    expect(confirm.body).toContain('确定要退出统一身份认证吗')
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)?.[1]
    const done = await browser.request(formAction(confirm.body), { form: { xsrf: xsrf!, logout: 'yes' } })
    expect(done.status).toBe(303)
    expect(done.location).toBe('http://127.0.0.1:3000/')
    // the session is gone: a new authorization asks for the password again
    const fresh = await authorize(config, WEB_CALLBACK)
    const page = await browser.follow(fresh.url.href, WEB_CALLBACK)
    expect(page.body).toContain('name="password"')
  })

  it('refuses a code used twice and revokes what the first use issued (replay detection)', async () => {
    const config = await discover('tongban-web')
    const browser = new TestBrowser(server.app)
    const { url, codeVerifier, state } = await authorize(config, WEB_CALLBACK)
    const callback = await login(browser, url, WEB_CALLBACK, '110101199003077777', 'Zhang#San2026')
    const tokens = await client.authorizationCodeGrant(config, new URL(callback.location!), {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
    })
    const replay = await server.app.inject({
      method: 'POST',
      url: '/oidc/token',
      headers: { host: '127.0.0.1:3000', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'authorization_code',
        code: new URL(callback.location!).searchParams.get('code')!,
        redirect_uri: WEB_CALLBACK,
        client_id: 'tongban-web',
        code_verifier: codeVerifier,
      }).toString(),
    })
    expect(replay.statusCode).toBe(400)
    expect(replay.json().error).toBe('invalid_grant')
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    })
  })

  it('refuses a code with the wrong PKCE verifier, and the code still works with the right one', async () => {
    const config = await discover('tongban-web')
    const browser = new TestBrowser(server.app)
    const { url, codeVerifier, state } = await authorize(config, WEB_CALLBACK)
    const callback = await login(browser, url, WEB_CALLBACK, '110101199003077777', 'Zhang#San2026')
    const code = new URL(callback.location!).searchParams.get('code')!
    const wrong = await server.app.inject({
      method: 'POST',
      url: '/oidc/token',
      headers: { host: '127.0.0.1:3000', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: WEB_CALLBACK,
        client_id: 'tongban-web',
        code_verifier: client.randomPKCECodeVerifier(),
      }).toString(),
    })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().error).toBe('invalid_grant')
    const tokens = await client.authorizationCodeGrant(config, new URL(callback.location!), {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
    })
    expect(tokens.access_token).toBeTruthy()
  })

  it('lets an agent act for a company: acting_for in userinfo and in the API actor', async () => {
    const config = await discover('tongban-web')
    const browser = new TestBrowser(server.app)
    const { url, codeVerifier, state } = await authorize(config, WEB_CALLBACK)
    const choice = await login(browser, url, WEB_CALLBACK, '13800138000', 'Li#Si2026pass')
    expect(choice.body).toContain('杭州通办科技有限公司')
    const callback = await browser.follow(formAction(choice.body), WEB_CALLBACK, { form: { company: 'c-1' } })
    const tokens = await client.authorizationCodeGrant(config, new URL(callback.location!), {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
    })
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, 'p-2')
    expect(userinfo.acting_for).toEqual({
      sub: 'c-1',
      name: '杭州通办科技有限公司',
      uscc: '91330106MA2XXXXXXX',
    })
    const api = await server.app.inject({
      method: 'GET',
      url: '/api/v1/probe/me',
      headers: { authorization: `Bearer ${tokens.access_token}` },
    })
    expect(api.json()).toEqual({ accountId: 'p-2', kind: 'person', actingFor: 'c-1' })
  })

  it('asks staff for the second factor and releases their roles', async () => {
    const config = await discover('tongban-web')
    const browser = new TestBrowser(server.app)
    const { url, codeVerifier, state } = await authorize(config, WEB_CALLBACK)
    const totp = await login(browser, url, WEB_CALLBACK, 'clerk.wang', 'Wang#Clerk2026')
    expect(totp.body).toContain('动态验证码')
    const wrong = await browser.request(formAction(totp.body), { form: { code: '000000' } })
    expect(wrong.status).toBe(401)
    expect(wrong.body).toContain('动态验证码不正确')
    const callback = await browser.follow(formAction(totp.body), WEB_CALLBACK, { form: { code: '654321' } })
    const tokens = await client.authorizationCodeGrant(config, new URL(callback.location!), {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
    })
    expect(tokens.claims()?.roles).toEqual([
      { role: 'window_clerk', departmentId: null, regionCode: '330106' },
    ])
  })

  it('makes a staff account without a second factor enrol one at first login', async () => {
    const config = await discover('tongban-web')
    const browser = new TestBrowser(server.app)
    const { url, codeVerifier, state } = await authorize(config, WEB_CALLBACK)
    const enrol = await login(browser, url, WEB_CALLBACK, 'admin.zhao', 'Zhao#Admin2026')
    expect(enrol.body).toContain('otpauth://totp/Tongban:s-2')
    expect(enrol.body).toContain('src="data:image/png;base64,')
    const callback = await browser.follow(formAction(enrol.body), WEB_CALLBACK, { form: { code: '123456' } })
    const tokens = await client.authorizationCodeGrant(config, new URL(callback.location!), {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
    })
    expect(tokens.claims()?.sub).toBe('s-2')
  })
})

describe('a registered third-party client', () => {
  it('is registered by the system admin, shown a consent page, and logs a user in with openid-client', async () => {
    const admin = await issueAccessToken(server.platform, 's-2')
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/sso/clients',
      headers: { authorization: `Bearer ${admin}` },
      payload: { name: '不动产登记系统', redirectUris: ['https://bdc.example.gov.cn/callback'] },
    })
    expect(created.statusCode).toBe(201)
    const { clientId, clientSecret } = created.json() as { clientId: string; clientSecret: string }
    const audit = await server.platform.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('resource_id', '=', clientId)
      .execute()
    expect(audit).toEqual([{ action: 'sso.client.created', actor_id: 's-2' }])

    const callbackUri = 'https://bdc.example.gov.cn/callback'
    const config = await discover(clientId, clientSecret)
    const browser = new TestBrowser(server.app)
    const { url, codeVerifier, state } = await authorize(config, callbackUri)
    const consent = await login(browser, url, callbackUri, '110101199003077777', 'Zhang#San2026')
    expect(consent.status).toBe(200)
    expect(consent.body).toContain('授权确认')
    expect(consent.body).toContain('不动产登记系统')
    expect(consent.headers['content-security-policy']).toContain(
      "form-action 'self' https://bdc.example.gov.cn",
    )
    const callback = await browser.follow(formAction(consent.body), callbackUri, {
      form: { decision: 'allow' },
    })
    const tokens = await client.authorizationCodeGrant(config, new URL(callback.location!), {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
    })
    expect(tokens.claims()).toMatchObject({ sub: 'p-1', name: '张三' })
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, 'p-1')
    expect(userinfo).toMatchObject({ sub: 'p-1', account_kind: 'person', id_masked: '110***********7777' })
    // its access token is not for the Tongban API
    const api = await server.app.inject({
      method: 'GET',
      url: '/api/v1/probe/me',
      headers: { authorization: `Bearer ${tokens.access_token}` },
    })
    expect(api.statusCode).toBe(401)
    expect(api.headers['content-type']).toContain('application/problem+json')
  })

  it('refuses registration to anyone but the system admin, and insecure redirect URIs', async () => {
    const citizen = await issueAccessToken(server.platform, 'p-1')
    const denied = await server.app.inject({
      method: 'POST',
      url: '/api/v1/sso/clients',
      headers: { authorization: `Bearer ${citizen}` },
      payload: { name: '某系统', redirectUris: ['https://x.example/cb'] },
    })
    expect(denied.statusCode).toBe(403)
    const admin = await issueAccessToken(server.platform, 's-2')
    const insecure = await server.app.inject({
      method: 'POST',
      url: '/api/v1/sso/clients',
      headers: { authorization: `Bearer ${admin}` },
      payload: { name: '某系统', redirectUris: ['http://x.example/cb'] },
    })
    expect(insecure.statusCode).toBe(400)
  })
})

async function registerClient(name: string, redirectUri: string) {
  const admin = await issueAccessToken(server.platform, 's-2')
  const created = await server.app.inject({
    method: 'POST',
    url: '/api/v1/sso/clients',
    headers: { authorization: `Bearer ${admin}` },
    payload: { name, redirectUris: [redirectUri] },
  })
  expect(created.statusCode).toBe(201)
  return created.json() as { clientId: string; clientSecret: string }
}

describe('single sign-on', () => {
  it('lets a user logged in on tongban-web into a third-party client after consent only', async () => {
    const web = await discover('tongban-web')
    const browser = new TestBrowser(server.app)
    const first = await authorize(web, WEB_CALLBACK)
    const callback = await login(browser, first.url, WEB_CALLBACK, '110101199003077777', 'Zhang#San2026')
    expect(callback.location).toContain('code=')

    const callbackUri = 'https://shebao.example.gov.cn/oidc/callback'
    const { clientId, clientSecret } = await registerClient('社保经办系统', callbackUri)
    const config = await discover(clientId, clientSecret)
    const second = await authorize(config, callbackUri)
    const consent = await browser.follow(second.url.href, callbackUri)
    expect(consent.body).not.toContain('name="password"')
    expect(consent.body).toContain('社保经办系统')
    const denied = await browser.follow(formAction(consent.body), callbackUri, { form: { decision: 'deny' } })
    expect(denied.location).toContain('error=access_denied')

    const third = await authorize(config, callbackUri)
    const again = await browser.follow(third.url.href, callbackUri)
    const back = await browser.follow(formAction(again.body), callbackUri, { form: { decision: 'allow' } })
    const tokens = await client.authorizationCodeGrant(config, new URL(back.location!), {
      pkceCodeVerifier: third.codeVerifier,
      expectedState: third.state,
    })
    expect(tokens.claims()?.sub).toBe('p-1')
  })

  it('rejects a wrong client secret and a redirect URI that was not registered', async () => {
    const callbackUri = 'https://gjj.example.gov.cn/callback'
    const { clientId } = await registerClient('公积金系统', callbackUri)
    const wrong = await discover(clientId, 'not-the-secret')
    const browser = new TestBrowser(server.app)
    const { url, codeVerifier, state } = await authorize(wrong, callbackUri)
    const consent = await login(browser, url, callbackUri, '110101199003077777', 'Zhang#San2026')
    const callback = await browser.follow(formAction(consent.body), callbackUri, {
      form: { decision: 'allow' },
    })
    await expect(
      client.authorizationCodeGrant(wrong, new URL(callback.location!), {
        pkceCodeVerifier: codeVerifier,
        expectedState: state,
      }),
    ).rejects.toMatchObject({ error: 'invalid_client' })
    const evil = await browser.request((await authorize(wrong, 'https://evil.example.com/callback')).url.href)
    expect(evil.status).toBe(400)
    expect(evil.location).toBeUndefined()
    expect(evil.body).toContain('登录出现问题')
  })
})

describe('login page', () => {
  it('says the account is locked, with the time, in Chinese and in English', async () => {
    const config = await discover('tongban-web')
    const browser = new TestBrowser(server.app)
    const { url } = await authorize(config, WEB_CALLBACK)
    const zh = await login(browser, url, WEB_CALLBACK, '110101199001011234', 'Locked#2026')
    expect(zh.status).toBe(401)
    expect(zh.body).toContain('账户已暂时锁定')
    expect(zh.body).toContain('2026/11/23 10:15')
    expect(zh.body).toContain('<html lang="zh-CN"')
    const en = await browser.request(`${formAction(zh.body)}?lang=en`, {
      form: { login: '110101199001011234', password: 'Locked#2026' },
    })
    expect(en.body).toContain('the account is locked until 23/11/2026, 10:15')
    expect(en.body).toContain('<html lang="en"')
  })

  it('does not tell whether an account exists', async () => {
    const config = await discover('tongban-web')
    const browser = new TestBrowser(server.app)
    const { url } = await authorize(config, WEB_CALLBACK)
    const unknown = await login(browser, url, WEB_CALLBACK, 'nobody', 'Whatever#2026')
    const wrong = await browser.request(formAction(unknown.body), {
      form: { login: '110101199003077777', password: 'wrong' },
    })
    expect(unknown.body).toContain('账号或密码不正确')
    expect(wrong.body).toContain('账号或密码不正确')
  })

  it('serves its stylesheet from /oidc/assets and no external assets', async () => {
    const css = await server.app.inject({ method: 'GET', url: '/oidc/assets/tongban.css' })
    expect(css.statusCode).toBe(200)
    expect(css.headers['content-type']).toContain('text/css')
  })
})

describe('keys', () => {
  it('exposes the service', () => {
    expect(ssoService(server.platform).issuer).toBe(ISSUER)
  })
})
