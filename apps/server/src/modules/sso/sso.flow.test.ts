import * as client from 'openid-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestServer } from '../../testing/test-server.ts'
import { ssoService } from './index.ts'
import { authorize, ISSUER, login, startFlowServer, WEB_CALLBACK } from './sso.flow.testing.ts'
import { formAction, TestBrowser } from './sso.testing.ts'

let server: TestServer
let discover: Awaited<ReturnType<typeof startFlowServer>>['discover']

beforeAll(async () => {
  ;({ server, discover } = await startFlowServer())
}, 60_000)
afterAll(() => server?.close())

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

describe('keys', () => {
  it('exposes the service', () => {
    expect(ssoService(server.platform).issuer).toBe(ISSUER)
  })
})
