import { PREFILL_SOURCES } from '@tongban/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthenticatedActor } from '../../platform/authz.ts'
import { FixedClock } from '../../platform/clock.ts'
import type { LocalFileNotifier } from '../../platform/notify.ts'
import { createTestServer, type TestServer } from '../../testing/test-server.ts'
import { orgModule } from '../org/index.ts'
import { createSsoModule, issueAccessToken } from '../sso/index.ts'
import { ssoPorts } from '../wiring.ts'
import { buildCompanyRegistration, buildPersonRegistration, TEST_PASSWORD } from './identity.testing.ts'
import { type IdentityService, identityModule, identityService } from './index.ts'

/*
 * Phone and e-mail changes verified by a code sent to the new channel, and the owner-only prefill
 * endpoint, through the HTTP API with real access tokens. Codes are read from the local notification
 * provider's file, as a developer would.
 */

const clock = new FixedClock(new Date())
const system = { actorId: null, actorKind: 'system' as const, ip: null, requestId: null }
let server: TestServer
let identity: IdentityService

beforeAll(async () => {
  server = await createTestServer({ modules: [orgModule, identityModule, createSsoModule(ssoPorts)], clock })
  identity = identityService(server.platform)
}, 120_000)
afterAll(() => server?.close())

async function person(overrides: Parameters<typeof buildPersonRegistration>[0] = {}) {
  const body = buildPersonRegistration(overrides)
  const account = await identity.registerPerson(body, system)
  const token = await issueAccessToken(server.platform, account.id, { ttlSeconds: 3600 })
  return { ...body, id: account.id, headers: { authorization: `Bearer ${token}` } }
}

const inject = (
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string> = {},
  payload?: object,
) => server.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })

async function lastNotification(to: string) {
  const sent = await (identity.notifier as LocalFileNotifier).sent()
  return sent.filter((n) => n.to === to).at(-1)
}

async function auditOf(accountId: string) {
  return server.platform.db
    .selectFrom('audit_log')
    .select(['action', 'outcome', 'details'])
    .where('resource_id', '=', accountId)
    .orderBy('id')
    .execute()
}

async function storedPhone(accountId: string) {
  const row = await server.platform.db
    .selectFrom('accounts')
    .select(['phone_enc', 'phone_index', 'phone_masked', 'email'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow()
  return { ...row, phone: row.phone_enc ? server.platform.vault.decrypt(row.phone_enc) : null }
}

describe('changing the phone number', () => {
  it('applies a new phone only after the code sent to it, keeps it encrypted, and tells the old one', async () => {
    const me = await person()
    const newPhone = '13911112222'
    const wrongPassword = await inject('POST', '/api/v1/me/contact-changes', me.headers, {
      channel: 'sms',
      value: newPhone,
      currentPassword: 'Wrong#Password1',
    })
    expect(wrongPassword.statusCode).toBe(400)
    expect(wrongPassword.json().errors[0]).toMatchObject({ path: '/currentPassword', code: 'wrongPassword' })
    const malformed = await inject('POST', '/api/v1/me/contact-changes', me.headers, {
      channel: 'sms',
      value: '2391111222',
      currentPassword: TEST_PASSWORD,
    })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json().errors[0]).toMatchObject({ path: '/value', code: 'pattern' })
    expect(await lastNotification(newPhone)).toBeUndefined()

    const requested = await inject('POST', '/api/v1/me/contact-changes', me.headers, {
      channel: 'sms',
      value: newPhone,
      currentPassword: TEST_PASSWORD,
    })
    expect(requested.statusCode, requested.body).toBe(202)
    const change = requested.json()
    expect(change).toMatchObject({
      channel: 'sms',
      sentTo: '139****2222',
      expiresInSeconds: 600,
      maxAttempts: 5,
    })
    const sent = await lastNotification(newPhone)
    expect(sent).toMatchObject({ channel: 'sms', template: 'contact-change-code' })
    const code = sent!.params.code!
    // nothing changed yet
    expect((await storedPhone(me.id)).phone).toBe(me.phone)

    const wrong = await inject('POST', `/api/v1/me/contact-changes/${change.id}/confirm`, me.headers, {
      code: code === '000000' ? '000001' : '000000',
    })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().errors[0].message).toEqual({
      zh: '验证码错误，还可尝试 4 次',
      en: 'The code is wrong; 4 tries left',
    })
    expect((await storedPhone(me.id)).phone).toBe(me.phone)

    const confirmed = await inject('POST', `/api/v1/me/contact-changes/${change.id}/confirm`, me.headers, {
      code,
    })
    expect(confirmed.statusCode, confirmed.body).toBe(200)
    expect(confirmed.json()).toMatchObject({ id: me.id, phoneMasked: '139****2222' })
    expect(confirmed.body).not.toContain(newPhone)
    const stored = await storedPhone(me.id)
    expect(stored.phone).toBe(newPhone)
    expect(stored.phone_enc).not.toContain(newPhone)
    expect(stored.phone_index).toBe(server.platform.vault.blindIndex('phone', newPhone))
    // the new number logs in, the old one no longer does
    const context = { ip: null, requestId: null }
    expect((await identity.verifyPassword(newPhone, TEST_PASSWORD, context)).ok).toBe(true)
    expect((await identity.verifyPassword(me.phone, TEST_PASSWORD, context)).ok).toBe(false)
    expect(await lastNotification(me.phone)).toMatchObject({
      template: 'contact-changed',
      params: { to: '139****2222' },
    })

    const reused = await inject('POST', `/api/v1/me/contact-changes/${change.id}/confirm`, me.headers, {
      code,
    })
    expect(reused.statusCode).toBe(400)
    expect(reused.json().errors[0].code).toBe('invalidCode')

    const trail = await auditOf(me.id)
    expect(trail.map((e) => `${e.action}:${e.outcome}`)).toEqual(
      expect.arrayContaining([
        'account.confirm-password:failure',
        'contact-change.request:success',
        'contact-change.confirm:failure',
        'contact-change.confirm:success',
      ]),
    )
    const applied = trail.find((e) => e.action === 'contact-change.confirm' && e.outcome === 'success')!
    expect(applied.details).toMatchObject({ channel: 'sms', to: '139****2222' })
    expect(JSON.stringify(trail)).not.toContain(newPhone)
  })

  it('voids a code after 5 wrong tries or 10 minutes, throttles requests, and refuses a taken number', async () => {
    const me = await person()
    const other = await person()
    const request = (value: string) =>
      inject('POST', '/api/v1/me/contact-changes', me.headers, {
        channel: 'sms',
        value,
        currentPassword: TEST_PASSWORD,
      })
    const taken = await request(other.phone)
    expect(taken.statusCode).toBe(409)
    expect(taken.json().errors[0]).toMatchObject({ path: '/value', code: 'duplicate' })
    const same = await request(me.phone)
    expect(same.statusCode).toBe(409)
    expect(same.json().details.zh).toBe('这已是您的手机号码')

    const first = (await request('13922223333')).json()
    const code = (await lastNotification('13922223333'))!.params.code!
    const notCode = code === '111111' ? '222222' : '111111'
    for (let i = 0; i < 5; i++)
      await inject('POST', `/api/v1/me/contact-changes/${first.id}/confirm`, me.headers, { code: notCode })
    const exhausted = await inject('POST', `/api/v1/me/contact-changes/${first.id}/confirm`, me.headers, {
      code,
    })
    expect(exhausted.statusCode).toBe(400)
    expect(exhausted.json().errors[0].message.en).toMatch(/no longer valid/)

    const second = (await request('13922224444')).json()
    const late = (await lastNotification('13922224444'))!.params.code!
    clock.advance(11 * 60_000)
    const expired = await inject('POST', `/api/v1/me/contact-changes/${second.id}/confirm`, me.headers, {
      code: late,
    })
    expect(expired.statusCode).toBe(400)

    // another account cannot use my change, even with the right code
    const third = (await request('13922225555')).json()
    const mine = (await lastNotification('13922225555'))!.params.code!
    const stolen = await inject('POST', `/api/v1/me/contact-changes/${third.id}/confirm`, other.headers, {
      code: mine,
    })
    expect(stolen.statusCode).toBe(404)

    // three codes within the lockout window (15 minutes) are enough
    const throttled = await request('13922226666')
    expect(throttled.statusCode).toBe(429)
    expect(throttled.json().details.en).toMatch(/Too many codes/)
    expect(await lastNotification('13922226666')).toBeUndefined()
    expect((await storedPhone(me.id)).phone).toBe(me.phone)
    clock.advance(15 * 60_000)
    expect((await request('13922226666')).statusCode).toBe(202)
  })
})

describe('changing the e-mail address', () => {
  it('sends the code to the new address and applies it on confirmation', async () => {
    const me = await person()
    const requested = await inject('POST', '/api/v1/me/contact-changes', me.headers, {
      channel: 'email',
      value: 'Wang.New@Example.com',
      currentPassword: TEST_PASSWORD,
    })
    expect(requested.statusCode, requested.body).toBe(202)
    expect(requested.json().sentTo).toBe('w***@example.com')
    const sent = await lastNotification('wang.new@example.com')
    expect(sent).toMatchObject({ channel: 'email', template: 'contact-change-code' })
    const bad = await inject('POST', '/api/v1/me/contact-changes', me.headers, {
      channel: 'email',
      value: 'not-an-address',
      currentPassword: TEST_PASSWORD,
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0]).toMatchObject({ path: '/value', code: 'format' })
    const confirmed = await inject(
      'POST',
      `/api/v1/me/contact-changes/${requested.json().id}/confirm`,
      me.headers,
      { code: sent!.params.code },
    )
    expect(confirmed.statusCode).toBe(200)
    expect(confirmed.json().email).toBe('wang.new@example.com')
  })
})

describe('prefill (owner only)', () => {
  it('gives a person their own full data, keyed by the catalog’s prefill sources, never cached, audited', async () => {
    const me = await person({ name: '赵 小 燕' })
    const response = await inject('GET', '/api/v1/me/prefill', me.headers)
    expect(response.statusCode).toBe(200)
    expect(response.headers['cache-control']).toBe('no-store')
    const body = response.json()
    expect(Object.keys(body.values).sort()).toEqual(Object.keys(PREFILL_SOURCES).sort())
    expect(body).toEqual({
      values: {
        'profile.name': '赵 小 燕',
        'profile.idNumber': me.idNumber,
        'profile.phone': me.phone,
        'profile.email': null,
        'profile.address': null,
        'profile.gender': Number(me.idNumber[16]) % 2 === 1 ? '男' : '女',
        'profile.birthDate': '1990-05-17',
        'company.uscc': null,
        'company.name': null,
        'company.legalRepresentative': null,
        'company.address': null,
      },
      actingFor: null,
    })
    const reveal = (await auditOf(me.id)).find((e) => e.action === 'account.reveal')
    expect(reveal).toMatchObject({
      outcome: 'success',
      details: {
        purpose: 'prefill',
        fields: ['profile.name', 'profile.idNumber', 'profile.phone', 'profile.gender', 'profile.birthDate'],
      },
    })
    expect(JSON.stringify(reveal)).not.toContain(me.idNumber)
  })

  it('gives an agent their own profile and the company’s USCC, name and legal representative', async () => {
    const representative = await person({ name: '钱法人' })
    const agent = await person({ name: '孙经办' })
    const repActor = (await identity.actorFor(representative.id)) as AuthenticatedActor
    const companyBody = { ...buildCompanyRegistration(), password: TEST_PASSWORD }
    const company = await identity.registerCompany(companyBody, repActor, system)
    const authorization = await identity.authorizeAgent(
      company.id,
      {
        agentName: '孙经办',
        agentIdNumber: agent.idNumber,
        expiresAt: new Date(clock.now().getTime() + 86_400_000).toISOString(),
      },
      repActor,
      system,
    )
    const agentToken = await issueAccessToken(server.platform, agent.id, {
      actingFor: company.id,
      ttlSeconds: 3600,
    })
    const asAgent = { authorization: `Bearer ${agentToken}` }
    const response = await inject('GET', '/api/v1/me/prefill', asAgent)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.json()).toMatchObject({
      values: {
        'profile.name': '孙经办',
        'profile.idNumber': agent.idNumber,
        'profile.phone': agent.phone,
        'company.uscc': companyBody.uscc,
        'company.name': companyBody.name,
        'company.legalRepresentative': '钱法人',
      },
      actingFor: { id: company.id, name: companyBody.name },
    })
    const reveal = (await auditOf(agent.id)).find((e) => e.action === 'account.reveal')
    expect(reveal?.details).toMatchObject({ companyId: company.id })

    // the company logged in itself: its own identity, no person
    const companyToken = await issueAccessToken(server.platform, company.id, { ttlSeconds: 3600 })
    const asCompany = await inject('GET', '/api/v1/me/prefill', { authorization: `Bearer ${companyToken}` })
    expect(asCompany.json().values).toMatchObject({
      'profile.name': null,
      'profile.idNumber': null,
      'company.uscc': companyBody.uscc,
      'company.legalRepresentative': '钱法人',
    })

    // once the authorization is revoked the agent gets nothing for the company
    await identity.revokeAgent(company.id, authorization.id, repActor, system)
    expect((await inject('GET', '/api/v1/me/prefill', asAgent)).statusCode).toBe(403)
  })

  it('is refused to staff and to anonymous callers', async () => {
    const { account } = await identity.createAdmin({
      username: 'sys.prefill',
      name: '系统管理员',
      role: 'system_admin',
      regionCode: '330000',
    })
    const staffToken = await issueAccessToken(server.platform, account.id, { ttlSeconds: 3600 })
    expect(
      (await inject('GET', '/api/v1/me/prefill', { authorization: `Bearer ${staffToken}` })).statusCode,
    ).toBe(403)
    expect((await inject('GET', '/api/v1/me/prefill')).statusCode).toBe(401)
  })
})
