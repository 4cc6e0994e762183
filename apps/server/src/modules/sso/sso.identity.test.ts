import { buildIdNumber } from '@tongban/standards'
import { generateSync } from 'otplib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authenticated, requireActor } from '../../platform/authz.ts'
import type { Module } from '../../platform/module.ts'
import { createTestServer, type TestServer } from '../../testing/test-server.ts'
import { identityModule, identityService } from '../identity/index.ts'
import { orgModule } from '../org/index.ts'
import { ssoPorts } from '../wiring.ts'
import { createSsoModule, issueAccessToken } from './index.ts'
import { formAction, TestBrowser } from './sso.testing.ts'

const CALLBACK = 'http://127.0.0.1:3000/auth/callback'
const PASSWORD = 'Tongban@2026'
const LOCKED_ID = buildIdNumber({ regionCode: '110101', birthDate: '1985-06-15', sequence: 17 })
const system = { actorId: null, actorKind: 'system' as const, ip: null, requestId: null }

const probeModule: Module = {
  name: 'probe',
  tables: [],
  register(app) {
    app.get('/api/v1/probe/me', { config: { policy: authenticated } }, async (request) => {
      const actor = requireActor(request)
      return { accountId: actor.accountId, kind: actor.kind, roles: actor.roles.map((r) => r.role) }
    })
  },
}

let server: TestServer

beforeAll(async () => {
  server = await createTestServer({
    modules: [orgModule, identityModule, createSsoModule(ssoPorts), probeModule],
  })
}, 120_000)
afterAll(() => server?.close())

/** Starts a tongban-web authorization request (PKCE S256) and shows the login page. */
async function loginPage(browser: TestBrowser, lang?: 'en') {
  const params = new URLSearchParams({
    client_id: 'tongban-web',
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope: 'openid profile offline_access',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGjSstw-cM',
    code_challenge_method: 'S256',
    state: 'state-1',
    prompt: 'consent',
  })
  const page = await browser.follow(`/oidc/auth?${params}`, CALLBACK)
  expect(page.body).toContain('name="password"')
  return lang ? browser.request(`${page.url}?lang=${lang}`) : page
}

describe('SSO with the identity module as the account directory', () => {
  it('logs a registered citizen in and authenticates API calls with the issued token', async () => {
    const identity = identityService(server.platform)
    const person = await identity.registerPerson(
      { name: '陈一一', idNumber: '110101199003074258', phone: '13900139001', password: PASSWORD },
      system,
    )
    const browser = new TestBrowser(server.app)
    const page = await loginPage(browser)
    const callback = await browser.follow(formAction(page.body), CALLBACK, {
      form: { login: '110101199003074258', password: PASSWORD },
    })
    expect(callback.location).toMatch(/^http:\/\/127\.0\.0\.1:3000\/auth\/callback\?code=/)

    const token = await issueAccessToken(server.platform, person.id)
    const me = await server.app.inject({
      method: 'GET',
      url: '/api/v1/probe/me',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(me.json()).toEqual({ accountId: person.id, kind: 'person', roles: [] })
  })

  it('shows the lockout after repeated failures, with the time, in Chinese and in English', async () => {
    const identity = identityService(server.platform)
    await identity.registerPerson(
      { name: '周二二', idNumber: LOCKED_ID, phone: '13900139002', password: PASSWORD },
      system,
    )
    const browser = new TestBrowser(server.app)
    const page = await loginPage(browser)
    let last = page
    for (let i = 0; i < 6; i++) {
      last = await browser.request(formAction(page.body), {
        form: { login: LOCKED_ID, password: 'Wrong@2026x' },
      })
    }
    expect(last.status).toBe(401)
    expect(last.body).toContain('账户已暂时锁定')
    expect(last.body).toMatch(/请于 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2} 后再试/)
    const en = await browser.request(`${formAction(page.body)}?lang=en`, {
      form: { login: LOCKED_ID, password: PASSWORD },
    })
    expect(en.body).toContain('<html lang="en"')
    expect(en.body).toMatch(/the account is locked until \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}/)
  })

  it('makes a new staff account enrol an authenticator at first login, then releases its roles', async () => {
    const identity = identityService(server.platform)
    const { account, password } = await identity.createAdmin({
      username: 'sysadmin.sso',
      name: '系统管理员',
      role: 'system_admin',
      regionCode: '330000',
    })
    const browser = new TestBrowser(server.app)
    const page = await loginPage(browser)
    const enrol = await browser.request(formAction(page.body), { form: { login: 'sysadmin.sso', password } })
    expect(enrol.body).toContain('绑定身份验证器')
    const uri = /(otpauth:\/\/totp\/[^<]+)</.exec(enrol.body)?.[1]?.replace(/&amp;/g, '&')
    expect(uri).toBeDefined()
    expect(enrol.body).toContain('src="data:image/png;base64,')
    const secret = new URL(uri!).searchParams.get('secret')!
    const code = generateSync({ secret, epoch: Math.floor(Date.now() / 1000), period: 30 })
    const callback = await browser.follow(formAction(enrol.body), CALLBACK, { form: { code } })
    expect(callback.location).toContain('code=')

    const token = await issueAccessToken(server.platform, account.id)
    const me = await server.app.inject({
      method: 'GET',
      url: '/api/v1/probe/me',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(me.json()).toMatchObject({ kind: 'staff', roles: ['system_admin'] })
  })
})
