import { buildIdNumber } from '@tongban/standards'
import * as client from 'openid-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthenticatedActor } from '../../platform/authz.ts'
import { FixedClock } from '../../platform/clock.ts'
import { createTestServer, type TestServer } from '../../testing/test-server.ts'
import { orgModule } from '../org/index.ts'
import { createSsoModule, issueAccessToken } from '../sso/index.ts'
import { formAction, injectFetch, TestBrowser } from '../sso/sso.testing.ts'
import { ssoPorts } from '../wiring.ts'
import { TEST_PASSWORD } from './identity.testing.ts'
import { IdentityService, identityModule, identityService } from './index.ts'

/*
 * Disabling and re-enabling accounts, end to end: real logins on Tongban's pages, real tokens from the
 * OpenID Provider, the API's own token check, and the event that revokes the provider's sessions.
 */

const ISSUER = 'http://127.0.0.1:3000/oidc'
const CALLBACK = 'http://127.0.0.1:3000/auth/callback'
const system = { actorId: null, actorKind: 'system' as const, ip: null, requestId: null }
// the provider keeps wall-clock time; the platform clock starts there and is moved only to age caches
const clock = new FixedClock(new Date())

let server: TestServer
let identity: IdentityService
const admins = { province: '', city: '', security: '' }
const tokens = { province: '', city: '', security: '' }
let sequence = 0

beforeAll(async () => {
  server = await createTestServer({ modules: [orgModule, identityModule, createSsoModule(ssoPorts)], clock })
  identity = identityService(server.platform)
  const admin = async (username: string, role: 'system_admin' | 'security_admin', regionCode: string) =>
    (await identity.createAdmin({ username, name: username, role, regionCode })).account.id
  admins.province = await admin('sys.province', 'system_admin', '330000')
  admins.city = await admin('sys.hangzhou', 'system_admin', '330100')
  admins.security = await admin('sec.province', 'security_admin', '330000')
  for (const key of Object.keys(admins) as (keyof typeof admins)[])
    tokens[key] = await issueAccessToken(server.platform, admins[key])
}, 120_000)
afterAll(() => server?.close())

const as = (token: string) => ({ authorization: `Bearer ${token}` })
const inject = (
  method: 'GET' | 'POST',
  url: string,
  options: { payload?: object; headers?: Record<string, string> } = {},
) =>
  server.app.inject({
    method,
    url,
    ...(options.payload ? { payload: options.payload } : {}),
    headers: options.headers ?? {},
  })

async function registerCitizen() {
  sequence += 1
  const idNumber = buildIdNumber({
    regionCode: '330106',
    birthDate: '1988-03-09',
    sequence: 101 + sequence * 2,
  })
  const person = await identity.registerPerson(
    { name: '孙停用', idNumber, phone: `1370000${String(1000 + sequence)}`, password: TEST_PASSWORD },
    system,
  )
  return { id: person.id, idNumber }
}

async function discover() {
  return client.discovery(new URL(ISSUER), 'tongban-web', undefined, undefined, {
    execute: [client.allowInsecureRequests],
    [client.customFetch]: injectFetch(server.app),
  })
}

/** A real login of tongban-web on Tongban's pages: the login page's answer, and tokens if it let us in. */
async function logIn(login: string, lang?: 'en') {
  const config = await discover()
  const browser = new TestBrowser(server.app)
  const codeVerifier = client.randomPKCECodeVerifier()
  const state = client.randomState()
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope: 'openid profile offline_access',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    prompt: 'consent',
  })
  const page = await browser.follow(url.href, CALLBACK)
  expect(page.body).toContain('name="password"')
  const action = `${formAction(page.body)}${lang ? `?lang=${lang}` : ''}`
  const answer = await browser.follow(action, CALLBACK, { form: { login, password: TEST_PASSWORD } })
  if (!answer.location?.startsWith(CALLBACK)) return { answer, config }
  const granted = await client.authorizationCodeGrant(config, new URL(answer.location), {
    pkceCodeVerifier: codeVerifier,
    expectedState: state,
  })
  return { answer, config, tokens: granted }
}

async function providerRows(accountId: string): Promise<string[]> {
  const rows = await server.platform.db
    .selectFrom('oidc_payloads')
    .select('type')
    .where((eb) => eb(eb.fn('jsonb_extract_path_text', ['payload', eb.val('accountId')]), '=', accountId))
    .execute()
  return rows.map((r) => r.type).sort()
}

async function audit(resourceId: string) {
  return server.platform.db
    .selectFrom('audit_log')
    .select(['action', 'outcome', 'actor_id', 'details'])
    .where('resource_id', '=', resourceId)
    .orderBy('id')
    .execute()
}

async function relay() {
  while ((await server.platform.events.deliverPending()) > 0) {}
}

describe('disabling an account (system admin)', () => {
  it('stops its tokens at once, revokes its sessions and refresh tokens, refuses its login; re-enabling restores login', async () => {
    const citizen = await registerCitizen()
    const first = await logIn(citizen.idNumber)
    expect(first.tokens?.refresh_token).toBeTruthy()
    const bearer = as(first.tokens!.access_token)
    expect((await inject('GET', '/api/v1/me', { headers: bearer })).statusCode).toBe(200)
    expect(await providerRows(citizen.id)).toEqual(
      expect.arrayContaining(['Grant', 'RefreshToken', 'Session']),
    )

    const disabled = await inject('POST', `/api/v1/accounts/${citizen.id}/disable`, {
      payload: { reason: '本人申请注销前冻结' },
      headers: as(tokens.province),
    })
    expect(disabled.statusCode, disabled.body).toBe(200)
    expect(disabled.json()).toMatchObject({
      id: citizen.id,
      status: 'disabled',
      statusChangedBy: admins.province,
      statusReason: '本人申请注销前冻结',
    })

    // this node: the very next request with the still-unexpired access token is refused
    const refused = await inject('GET', '/api/v1/me', { headers: bearer })
    expect(refused.statusCode).toBe(401)
    expect(refused.json()).toMatchObject({
      code: 'unauthenticated',
      details: { zh: expect.stringContaining('该账户已停用') },
    })
    // the provider's artefacts go with the event written in the same transaction
    await relay()
    expect(await providerRows(citizen.id)).toEqual([])
    await expect(client.refreshTokenGrant(first.config, first.tokens!.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    })

    // the login page says why, after the right password only, in both languages
    const zh = await logIn(citizen.idNumber)
    expect(zh.tokens).toBeUndefined()
    expect(zh.answer.status).toBe(401)
    expect(zh.answer.body).toContain('该账户已停用')
    const en = await logIn(citizen.idNumber, 'en')
    expect(en.answer.body).toContain('This account is disabled')

    const enabled = await inject('POST', `/api/v1/accounts/${citizen.id}/enable`, {
      payload: { reason: '核实后恢复' },
      headers: as(tokens.province),
    })
    expect(enabled.statusCode, enabled.body).toBe(200)
    expect(enabled.json()).toMatchObject({ status: 'active', statusReason: '核实后恢复' })
    const again = await logIn(citizen.idNumber)
    expect(again.tokens?.access_token).toBeTruthy()
    expect((await inject('GET', '/api/v1/me', { headers: as(again.tokens!.access_token) })).statusCode).toBe(
      200,
    )
    // the old refresh token stays revoked
    await expect(client.refreshTokenGrant(first.config, first.tokens!.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    })

    const trail = await audit(citizen.id)
    const actions = trail.map((e) => `${e.action}:${e.outcome}`)
    expect(actions).toEqual(
      expect.arrayContaining([
        'account.disable:success',
        'sso.revoke-account:success',
        'login.refused:denied',
        'account.enable:success',
      ]),
    )
    const disable = trail.find((e) => e.action === 'account.disable')!
    expect(disable.actor_id).toBe(admins.province)
    expect(disable.details).toMatchObject({ reason: '本人申请注销前冻结', kind: 'person' })
    const revoke = trail.find((e) => e.action === 'sso.revoke-account')!
    expect((revoke.details as unknown as { artefacts: number }).artefacts).toBeGreaterThanOrEqual(3)
  })

  it('reaches another node within the actor cache lifetime (5 s)', async () => {
    const citizen = await registerCitizen()
    const otherNode = new IdentityService(server.platform)
    expect(await otherNode.actorFor(citizen.id)).toBeDefined()
    const response = await inject('POST', `/api/v1/accounts/${citizen.id}/disable`, {
      payload: { reason: '测试多节点' },
      headers: as(tokens.province),
    })
    expect(response.statusCode).toBe(200)
    // the other process still has the account cached...
    clock.advance(4_000)
    expect(await otherNode.actorFor(citizen.id)).toBeDefined()
    // ...and reads it again once the entry is older than ACTOR_CACHE_MS
    clock.advance(1_500)
    expect(await otherNode.actorFor(citizen.id)).toBeUndefined()
    expect(await identity.actorFor(citizen.id)).toBeUndefined()
  })

  it('lets only a system admin in scope do it, never on oneself or on a 三员 administrator; audits refusals', async () => {
    const citizen = await registerCitizen()
    const disable = (id: string, token: string, reason = '违规使用') =>
      inject('POST', `/api/v1/accounts/${id}/disable`, { payload: { reason }, headers: as(token) })

    // citizens and companies: provincial system admins only
    const city = await disable(citizen.id, tokens.city)
    expect(city.statusCode).toBe(403)
    expect(city.json().details.zh).toContain('省级系统管理员')
    // the security admin manages roles, not accounts (route policy)
    expect((await disable(citizen.id, tokens.security)).statusCode).toBe(403)
    // a citizen cannot either
    const citizenToken = await issueAccessToken(server.platform, citizen.id)
    expect((await disable(admins.city, citizenToken)).statusCode).toBe(403)

    // staff: a system admin whose region subtree holds the staff account
    const provincial = (await identity.actorFor(admins.province)) as AuthenticatedActor
    const { account: clerk } = await identity.createStaff(
      { username: 'clerk.ningbo', name: '宁波窗口', regionCode: '330200' },
      provincial,
      system,
    )
    expect((await disable(clerk.id, tokens.city)).statusCode).toBe(403)

    const self = await disable(admins.province, tokens.province)
    expect(self.statusCode).toBe(403)
    expect(self.json().details.en).toContain('their own account')
    const separation = await disable(admins.security, tokens.province)
    expect(separation.statusCode).toBe(403)
    expect(separation.json().details.zh).toContain('三员分立')

    expect((await disable(citizen.id, tokens.province, ' ')).statusCode).toBe(400)
    expect((await disable('00000000-0000-4000-8000-000000000001', tokens.province)).statusCode).toBe(404)
    expect((await disable(citizen.id, tokens.province)).statusCode).toBe(200)
    const twice = await disable(citizen.id, tokens.province)
    expect(twice.statusCode).toBe(409)
    expect(twice.json().details).toEqual({ zh: '该账户已停用', en: 'The account is already disabled' })

    const denied = (await audit(citizen.id)).filter((e) => e.outcome === 'denied')
    expect(denied.map((e) => (e.details as unknown as { reason: string }).reason)).toEqual([
      'not-system-admin-of-region',
    ])
    const separationAudit = (await audit(admins.security)).find((e) => e.action === 'account.disable')
    expect(separationAudit).toMatchObject({ outcome: 'denied', actor_id: admins.province })
  })
})
