import * as client from 'openid-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestServer } from '../../testing/test-server.ts'
import { issueAccessToken } from './index.ts'
import { authorize, login, startFlowServer, WEB_CALLBACK } from './sso.flow.testing.ts'
import { formAction, TestBrowser } from './sso.testing.ts'

let server: TestServer
let discover: Awaited<ReturnType<typeof startFlowServer>>['discover']

beforeAll(async () => {
  ;({ server, discover } = await startFlowServer())
}, 60_000)
afterAll(() => server?.close())

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
