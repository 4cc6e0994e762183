import fs from 'node:fs/promises'
import path from 'node:path'
import { buildIdNumber, buildUscc, validateIdNumber } from '@tongban/standards'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FixedClock } from '../../platform/clock.ts'
import { createTestServer, type TestServer } from '../../testing/test-server.ts'
import { orgModule, orgService } from '../org/index.ts'
import { totpCode } from './identity.secrets.ts'
import {
  bearer,
  buildCompanyRegistration,
  buildPersonRegistration,
  TEST_PASSWORD,
  useAccountTokens,
} from './identity.testing.ts'
import { type IdentityService, identityModule, identityService } from './index.ts'

const clock = new FixedClock(new Date('2026-11-23T02:00:00Z'))
const context = { ip: '203.0.113.9', requestId: 'test-request' }
let server: TestServer
let identity: IdentityService
const ids = { systemAdmin: '', securityAdmin: '', citySecurityAdmin: '', auditAdmin: '', department: '' }

beforeAll(async () => {
  server = await createTestServer({ modules: [orgModule, identityModule], clock })
  identity = identityService(server.platform)
  useAccountTokens(server.platform)
  const admin = async (
    username: string,
    role: 'system_admin' | 'security_admin' | 'audit_admin',
    regionCode = '330000',
  ) => (await identity.createAdmin({ username, name: username, role, regionCode })).account.id
  ids.systemAdmin = await admin('sysadmin', 'system_admin')
  ids.securityAdmin = await admin('secadmin', 'security_admin')
  ids.citySecurityAdmin = await admin('nbsecadmin', 'security_admin', '330200')
  ids.auditAdmin = await admin('auditadmin', 'audit_admin')
  const department = await orgService(server.platform).createDepartment(
    {
      name: '杭州市西湖区政务服务中心',
      shortName: '西湖政务中心',
      kind: 'government_services',
      regionCode: '330106',
      uscc: buildUscc({
        registrationAuthority: '1',
        entityType: '1',
        regionCode: '330106',
        organizationCode: 4242,
      }),
    },
    { actorId: null, actorKind: 'system', ip: null, requestId: null },
  )
  ids.department = department.id
})
afterAll(() => server?.close())

const inject = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers = {}) =>
  server.app.inject({
    method,
    url,
    ...(payload !== undefined ? { payload: payload as object } : {}),
    headers,
  })

async function register(overrides: Parameters<typeof buildPersonRegistration>[0] = {}) {
  const body = buildPersonRegistration(overrides)
  const response = await inject('POST', '/api/v1/accounts/persons', body)
  expect(response.statusCode, response.body).toBe(201)
  return { ...body, id: response.json().id as string }
}

async function auditActions(resourceId: string): Promise<string[]> {
  const rows = await server.platform.db
    .selectFrom('audit_log')
    .select(['action', 'outcome'])
    .where('resource_id', '=', resourceId)
    .orderBy('id')
    .execute()
  return rows.map((r) => `${r.action}:${r.outcome}`)
}

describe('person registration', () => {
  it('registers at real-name level 1, stores the ID number encrypted and shows it masked', async () => {
    const body = buildPersonRegistration({ name: '李 华' })
    const response = await inject('POST', '/api/v1/accounts/persons', body)
    expect(response.statusCode).toBe(201)
    const person = response.json()
    expect(person).toMatchObject({
      kind: 'person',
      name: '李 华',
      realNameLevel: 1,
      idNumberMasked: `330***********${body.idNumber.slice(-4)}`,
      phoneMasked: `138****${body.phone.slice(-4)}`,
    })
    expect(response.body).not.toContain(body.idNumber)
    expect(response.body).not.toContain(body.phone)
    const row = await server.platform.db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow()
    expect(row.id_number_enc).not.toContain(body.idNumber)
    expect(server.platform.vault.decrypt(row.id_number_enc!)).toBe(body.idNumber)
    expect(row.id_number_index).toBe(server.platform.vault.blindIndex('id_number', body.idNumber))
    expect(row.password_hash).toMatch(/^scrypt\$15\$8\$1\$/)
    expect(await auditActions(person.id)).toEqual(['account.register:success'])
  })

  it('names what is wrong with an ID number', async () => {
    const good = buildPersonRegistration().idNumber
    const wrongCheck = `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`
    const cases: [string, string, RegExp][] = [
      [wrongCheck, 'checkCharacter', /校验码错误/],
      [good.slice(0, 15), 'length', /应为 18 位/],
      ['990106199005170011', 'region', /地址码 990106/],
      [`${good.slice(0, 6)}19901332${good.slice(14)}`, 'birthDate', /出生日期码/],
    ]
    for (const [idNumber, code, message] of cases) {
      const response = await inject('POST', '/api/v1/accounts/persons', {
        ...buildPersonRegistration(),
        idNumber,
      })
      expect(response.statusCode).toBe(400)
      const error = response.json().errors.find((e: { path: string }) => e.path === '/idNumber')
      expect(error.code).toBe(code)
      expect(error.message.zh).toMatch(message)
    }
  })

  it('refuses online registration for a birth date more than 150 years ago, which the kernel accepts', async () => {
    const idNumber = buildIdNumber({ regionCode: '330106', birthDate: '1850-06-15' })
    expect(validateIdNumber(idNumber).ok).toBe(true)
    const response = await inject('POST', '/api/v1/accounts/persons', {
      ...buildPersonRegistration(),
      idNumber,
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().errors).toEqual([
      expect.objectContaining({ path: '/idNumber', code: 'implausibleBirthDate' }),
    ])
    expect(response.json().errors[0].message.zh).toMatch(/政务服务中心/)
    const old = buildIdNumber({ regionCode: '330106', birthDate: '1930-03-02' })
    expect(
      (await inject('POST', '/api/v1/accounts/persons', { ...buildPersonRegistration(), idNumber: old }))
        .statusCode,
    ).toBe(201)
  })

  it('answers 409 naming the field for a second registration of an ID number or phone', async () => {
    const first = await register()
    const again = await inject('POST', '/api/v1/accounts/persons', {
      ...buildPersonRegistration(),
      idNumber: first.idNumber.toLowerCase(),
    })
    expect(again.statusCode).toBe(409)
    expect(again.json().errors[0]).toMatchObject({ path: '/idNumber', code: 'duplicate' })
    const samePhone = await inject('POST', '/api/v1/accounts/persons', {
      ...buildPersonRegistration(),
      phone: first.phone,
    })
    expect(samePhone.statusCode).toBe(409)
    expect(samePhone.json().errors[0].path).toBe('/phone')
  })

  it('enforces the password policy with messages in both languages', async () => {
    const body = buildPersonRegistration()
    const short = await inject(
      'POST',
      '/api/v1/accounts/persons',
      { ...body, password: 'abc' },
      { 'accept-language': 'en' },
    )
    expect(short.statusCode).toBe(400)
    expect(short.json().errors.map((e: { code: string }) => e.code)).toEqual([
      'passwordLength',
      'passwordClasses',
    ])
    const withId = await inject('POST', '/api/v1/accounts/persons', {
      ...body,
      password: `Aa!${body.idNumber}`,
    })
    expect(withId.json().errors[0]).toMatchObject({ code: 'passwordContainsIdentifier' })
    expect(withId.json().errors[0].message.zh).toContain('身份证号码')
    const withPhone = await inject('POST', '/api/v1/accounts/persons', {
      ...body,
      password: `Pw-${body.phone}`,
    })
    expect(withPhone.json().errors[0].message.en).toContain('phone number')
  })
})

describe('password login and lockout', () => {
  it('logs in by ID number or phone and locks after 5 failures in 15 minutes, all audited', async () => {
    const person = await register()
    expect(await identity.verifyPassword(person.idNumber, TEST_PASSWORD, context)).toMatchObject({
      ok: true,
      accountId: person.id,
      totpRequired: false,
    })
    expect((await identity.verifyPassword(person.phone, TEST_PASSWORD, context)).ok).toBe(true)
    for (let i = 0; i < 4; i++)
      expect(await identity.verifyPassword(person.idNumber, 'Wrong-password-1', context)).toEqual({
        ok: false,
        reason: 'invalid-credentials',
      })
    const fifth = await identity.verifyPassword(person.idNumber, 'Wrong-password-1', context)
    expect(fifth).toMatchObject({ ok: false, reason: 'locked' })
    // the right password does not open a locked account
    expect(await identity.verifyPassword(person.idNumber, TEST_PASSWORD, context)).toMatchObject({
      reason: 'locked',
    })
    const actions = await auditActions(person.id)
    expect(actions.filter((a) => a === 'login.failure:failure')).toHaveLength(5)
    expect(actions).toContain('login.locked:denied')
    expect(actions).toContain('login.refused:denied')
    clock.advance(15 * 60_000 + 1000)
    expect((await identity.verifyPassword(person.idNumber, TEST_PASSWORD, context)).ok).toBe(true)
  })

  it('answers unknown logins like wrong passwords, and audits them', async () => {
    expect(await identity.verifyPassword('nobody-here', TEST_PASSWORD, context)).toEqual({
      ok: false,
      reason: 'invalid-credentials',
    })
    const row = await server.platform.db
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'login.failure')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(row.details).toMatchObject({ reason: 'unknown-login' })
  })
})

describe('TOTP second factor', () => {
  it('enrols with a confirmed code, then requires it at staff login; a code works once', async () => {
    const { account, password } = await identity.createStaff(
      { username: 'totp.clerk', name: '徐静', regionCode: '330106' },
      {
        kind: 'staff',
        accountId: ids.systemAdmin,
        name: 'x',
        roles: [{ role: 'system_admin', departmentId: null, regionCode: '330000' }],
        realNameLevel: 3,
      },
      { actorId: ids.systemAdmin, actorKind: 'staff', ip: null, requestId: null },
    )
    expect(await identity.verifyPassword('totp.clerk', password, context)).toMatchObject({
      ok: true,
      totpRequired: true,
      totpEnrolled: false,
    })
    const enrolment = await inject('POST', '/api/v1/me/totp', undefined, bearer(account.id))
    expect(enrolment.statusCode).toBe(200)
    const { secret, otpauthUri } = enrolment.json()
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//)
    const wrong = await inject('POST', '/api/v1/me/totp/confirm', { code: '000000' }, bearer(account.id))
    expect(wrong.statusCode).toBe(400)
    const confirmed = await inject(
      'POST',
      '/api/v1/me/totp/confirm',
      { code: totpCode(secret, clock.now()) },
      bearer(account.id),
    )
    expect(confirmed.statusCode).toBe(204)
    const row = await identity.getAccount(account.id)
    expect(row.totp_secret_enc).not.toContain(secret)
    clock.advance(30_000)
    const code = totpCode(secret, clock.now())
    expect(await identity.verifyTotp(account.id, code, context)).toBe(true)
    expect(await identity.verifyTotp(account.id, code, context)).toBe(false)
    expect((await inject('GET', '/api/v1/me', undefined, bearer(account.id))).json().totpEnabled).toBe(true)
  })
})

describe('password reset', () => {
  it('sends a single-use code to the verified phone, answering unknown accounts the same', async () => {
    const person = await register()
    const log = path.join(server.dataDir, 'notifications.log')
    const known = await inject('POST', '/api/v1/password-resets', { login: person.idNumber, channel: 'sms' })
    const unknown = await inject('POST', '/api/v1/password-resets', {
      login: buildIdNumber({ regionCode: '330108', sequence: 901 }),
      channel: 'sms',
    })
    expect(known.statusCode).toBe(202)
    expect(unknown.statusCode).toBe(202)
    expect(unknown.json()).toEqual(known.json())
    const lines = (await fs.readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ channel: 'sms', to: person.phone, template: 'password-reset-code' })
    const code: string = lines[0].params.code
    const stored = await server.platform.db
      .selectFrom('password_resets')
      .select('code_hash')
      .executeTakeFirstOrThrow()
    expect(stored.code_hash).not.toContain(code)
    const newPassword = 'Another#Pass2027'
    const wrongCode = code === '000000' ? '111111' : '000000'
    const wrong = await inject('POST', '/api/v1/password-resets/confirm', {
      login: person.idNumber,
      code: wrongCode,
      newPassword,
    })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().errors[0].path).toBe('/code')
    const ok = await inject('POST', '/api/v1/password-resets/confirm', {
      login: person.idNumber,
      code,
      newPassword,
    })
    expect(ok.statusCode).toBe(204)
    const reused = await inject('POST', '/api/v1/password-resets/confirm', {
      login: person.idNumber,
      code,
      newPassword: 'Third#Pass20288',
    })
    expect(reused.statusCode).toBe(400)
    expect((await identity.verifyPassword(person.idNumber, newPassword, context)).ok).toBe(true)
    expect((await identity.verifyPassword(person.idNumber, TEST_PASSWORD, context)).ok).toBe(false)
  })

  it('lets a code expire after 10 minutes', async () => {
    const person = await register()
    await inject('POST', '/api/v1/password-resets', { login: person.phone, channel: 'sms' })
    const lines = (await fs.readFile(path.join(server.dataDir, 'notifications.log'), 'utf8'))
      .trim()
      .split('\n')
    const code = JSON.parse(lines.at(-1)!).params.code
    clock.advance(11 * 60_000)
    const late = await inject('POST', '/api/v1/password-resets/confirm', {
      login: person.phone,
      code,
      newPassword: 'Late#Password99',
    })
    expect(late.statusCode).toBe(400)
  })
})

describe('me', () => {
  it('shows the account without secrets; removes contacts only with the current password, never sets them unverified', async () => {
    const person = await register()
    const me = await inject('GET', '/api/v1/me', undefined, bearer(person.id))
    expect(me.statusCode).toBe(200)
    expect(me.json()).toMatchObject({
      id: person.id,
      kind: 'person',
      totpEnabled: false,
      roles: [],
      companies: [],
    })
    expect(me.body).not.toMatch(/scrypt|password|secret/i)
    const wrong = await inject(
      'PATCH',
      '/api/v1/me',
      { currentPassword: 'nope', email: 'w@example.com' },
      bearer(person.id),
    )
    expect(wrong.statusCode).toBe(400)
    const unverified = await inject(
      'PATCH',
      '/api/v1/me',
      { currentPassword: TEST_PASSWORD, email: 'wang@example.com', phone: '13900001111' },
      bearer(person.id),
    )
    expect(unverified.statusCode).toBe(400)
    expect(
      unverified.json().errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`),
    ).toEqual(['/phone verificationRequired', '/email verificationRequired'])
    const removed = await inject(
      'PATCH',
      '/api/v1/me',
      { currentPassword: TEST_PASSWORD, phone: null },
      bearer(person.id),
    )
    expect(removed.statusCode).toBe(200)
    expect(removed.json()).toMatchObject({ phoneMasked: null })
    expect(await auditActions(person.id)).toContain('account.update-contact:success')
    expect((await inject('GET', '/api/v1/me')).statusCode).toBe(401)
  })

  it('changes the password under the policy', async () => {
    const person = await register()
    const weak = await inject(
      'POST',
      '/api/v1/me/password',
      { currentPassword: TEST_PASSWORD, newPassword: 'short' },
      bearer(person.id),
    )
    expect(weak.statusCode).toBe(400)
    expect(weak.json().errors[0].path).toBe('/newPassword')
    const ok = await inject(
      'POST',
      '/api/v1/me/password',
      { currentPassword: TEST_PASSWORD, newPassword: 'Better#Password1' },
      bearer(person.id),
    )
    expect(ok.statusCode).toBe(204)
    expect((await identity.verifyPassword(person.idNumber, 'Better#Password1', context)).ok).toBe(true)
  })
})

describe('companies and agents', () => {
  it('registers a company for its legal representative, validating and de-duplicating the USCC', async () => {
    const rep = await register({ name: '陈建国' })
    const body = buildCompanyRegistration({ name: '杭州云栖数字科技有限公司' })
    expect((await inject('POST', '/api/v1/accounts/companies', body)).statusCode).toBe(401)
    const created = await inject('POST', '/api/v1/accounts/companies', body, bearer(rep.id))
    expect(created.statusCode).toBe(201)
    expect(created.json()).toMatchObject({
      uscc: body.uscc,
      legalRepresentative: { id: rep.id, name: '陈建国' },
    })
    const again = await inject('POST', '/api/v1/accounts/companies', body, bearer(rep.id))
    expect(again.statusCode).toBe(409)
    expect(again.json().errors[0].path).toBe('/uscc')
    const bad = await inject(
      'POST',
      '/api/v1/accounts/companies',
      {
        ...body,
        uscc:
          `${body.uscc.slice(0, 17)}0` === body.uscc
            ? `${body.uscc.slice(0, 17)}1`
            : `${body.uscc.slice(0, 17)}0`,
      },
      bearer(rep.id),
    )
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0]).toMatchObject({ path: '/uscc', code: 'checkCharacter' })
    const me = (await inject('GET', '/api/v1/me', undefined, bearer(rep.id))).json()
    expect(me.companies).toEqual([
      { id: created.json().id, name: body.name, uscc: body.uscc, relation: 'legal_representative' },
    ])
  })

  it('lets an authorized agent act for the company until revoked or expired', async () => {
    const rep = await register({ name: '周海燕' })
    const agent = await register({ name: '吴俊杰' })
    const company = (
      await inject('POST', '/api/v1/accounts/companies', buildCompanyRegistration(), bearer(rep.id))
    ).json()
    const agentsUrl = `/api/v1/companies/${company.id}/agents`
    const mismatch = await inject(
      'POST',
      agentsUrl,
      { agentIdNumber: agent.idNumber, agentName: '吴杰', expiresAt: '2027-06-30T16:00:00Z' },
      bearer(rep.id),
    )
    expect(mismatch.statusCode).toBe(400)
    const past = await inject(
      'POST',
      agentsUrl,
      { agentIdNumber: agent.idNumber, agentName: '吴俊杰', expiresAt: '2020-01-01T00:00:00Z' },
      bearer(rep.id),
    )
    expect(past.json().errors[0].path).toBe('/expiresAt')
    const granted = await inject(
      'POST',
      agentsUrl,
      { agentIdNumber: agent.idNumber, agentName: '吴俊杰', expiresAt: '2027-06-30T16:00:00Z' },
      bearer(rep.id),
    )
    expect(granted.statusCode).toBe(201)
    expect(granted.json()).toMatchObject({ status: 'active', agent: { id: agent.id, name: '吴俊杰' } })
    expect(granted.body).not.toContain(agent.idNumber)
    expect(await identity.companiesActedFor(agent.id)).toEqual([
      { accountId: company.id, name: company.name, uscc: company.uscc },
    ])

    const asAgent = await inject('GET', '/api/v1/me', undefined, bearer(agent.id, company.id))
    expect(asAgent.statusCode).toBe(200)
    expect(asAgent.json().actingFor).toEqual({ id: company.id, name: company.name })
    expect((await identity.claimsFor(agent.id, company.id))?.acting_for).toEqual({
      sub: company.id,
      name: company.name,
      uscc: company.uscc,
    })
    // an agent does not manage the company's agents
    expect((await inject('GET', agentsUrl, undefined, bearer(agent.id, company.id))).statusCode).toBe(403)

    const revoked = await inject('DELETE', `${agentsUrl}/${granted.json().id}`, undefined, bearer(rep.id))
    expect(revoked.statusCode).toBe(204)
    expect(await identity.actorFor(agent.id, company.id)).toBeUndefined()
    expect((await inject('GET', '/api/v1/me', undefined, bearer(agent.id, company.id))).statusCode).toBe(403)
    expect(await identity.companiesActedFor(agent.id)).toEqual([])
    expect(await auditActions(granted.json().id)).toEqual(['agent.authorize:success', 'agent.revoke:success'])

    const brief = await inject(
      'POST',
      agentsUrl,
      {
        agentIdNumber: agent.idNumber,
        agentName: '吴俊杰',
        expiresAt: new Date(clock.now().getTime() + 3_600_000).toISOString(),
      },
      bearer(rep.id),
    )
    expect(brief.statusCode).toBe(201)
    expect(await identity.actorFor(agent.id, company.id)).toBeDefined()
    clock.advance(3_600_000 + 1000)
    expect(await identity.actorFor(agent.id, company.id)).toBeUndefined()
    const list = (await inject('GET', agentsUrl, undefined, bearer(rep.id))).json().items
    expect(list.map((a: { status: string }) => a.status).sort()).toEqual(['expired', 'revoked'])
  })

  it('hides one citizen’s resources from another (404)', async () => {
    const a = await register({ name: '张伟' })
    const b = await register({ name: '刘洋' })
    const company = (
      await inject('POST', '/api/v1/accounts/companies', buildCompanyRegistration(), bearer(b.id))
    ).json()
    expect(
      (await inject('GET', `/api/v1/companies/${company.id}/agents`, undefined, bearer(a.id))).statusCode,
    ).toBe(404)
    expect(
      (
        await inject(
          'POST',
          `/api/v1/companies/${company.id}/agents`,
          { agentIdNumber: a.idNumber, agentName: '张伟', expiresAt: '2027-01-01T00:00:00Z' },
          bearer(a.id),
        )
      ).statusCode,
    ).toBe(404)
    expect((await inject('GET', `/api/v1/persons/${b.id}`, undefined, bearer(a.id))).statusCode).toBe(404)
    expect((await inject('GET', `/api/v1/persons/${b.id}`, undefined, bearer(b.id))).statusCode).toBe(200)
  })
})

describe('staff, roles and 三员分立', () => {
  it('lets a system admin create staff in their region, and a security admin grant department roles', async () => {
    const created = await inject(
      'POST',
      '/api/v1/staff',
      { username: 'xh.clerk', name: '林芳', regionCode: '330106' },
      bearer(ids.systemAdmin),
    )
    expect(created.statusCode).toBe(201)
    const { account, initialPassword } = created.json()
    expect(account.roles).toEqual([])
    expect((await identity.verifyPassword('xh.clerk', initialPassword, context)).ok).toBe(true)
    expect(
      (
        await inject(
          'POST',
          '/api/v1/staff',
          { username: 'xh.clerk', name: '林芳', regionCode: '330106' },
          bearer(ids.systemAdmin),
        )
      ).statusCode,
    ).toBe(409)

    const noDepartment = await inject(
      'POST',
      `/api/v1/staff/${account.id}/roles`,
      { role: 'window_clerk', regionCode: '330106' },
      bearer(ids.securityAdmin),
    )
    expect(noDepartment.statusCode).toBe(400)
    expect(noDepartment.json().errors[0].path).toBe('/departmentId')
    const grant = await inject(
      'POST',
      `/api/v1/staff/${account.id}/roles`,
      { role: 'window_clerk', departmentId: ids.department, regionCode: '330106' },
      bearer(ids.securityAdmin),
    )
    expect(grant.statusCode).toBe(201)
    const me = (await inject('GET', '/api/v1/me', undefined, bearer(account.id))).json()
    expect(me.roles).toEqual([
      expect.objectContaining({ role: 'window_clerk', departmentId: ids.department, regionCode: '330106' }),
    ])
    expect(await auditActions(account.id)).toEqual([
      'staff.create:success',
      'login.password:success',
      'role.grant:success',
    ])

    const revoke = await inject(
      'DELETE',
      `/api/v1/staff/${account.id}/roles/${grant.json().id}`,
      undefined,
      bearer(ids.securityAdmin),
    )
    expect(revoke.statusCode).toBe(204)
    expect(
      (await identity.actorFor(account.id))?.kind === 'staff' && (await identity.actorFor(account.id)),
    ).toMatchObject({ roles: [] })
  })

  it('refuses and audits grants by anyone but a security admin of the region', async () => {
    const { account } = (
      await inject(
        'POST',
        '/api/v1/staff',
        { username: 'nb.reviewer', name: '郑强', regionCode: '330100' },
        bearer(ids.systemAdmin),
      )
    ).json()
    const body = { role: 'reviewer', departmentId: ids.department, regionCode: '330106' }
    const bySystemAdmin = await inject(
      'POST',
      `/api/v1/staff/${account.id}/roles`,
      body,
      bearer(ids.systemAdmin),
    )
    expect(bySystemAdmin.statusCode).toBe(403)
    const byOtherCity = await inject(
      'POST',
      `/api/v1/staff/${account.id}/roles`,
      body,
      bearer(ids.citySecurityAdmin),
    )
    expect(byOtherCity.statusCode).toBe(403)
    const selfGrant = await inject(
      'POST',
      `/api/v1/staff/${ids.securityAdmin}/roles`,
      body,
      bearer(ids.securityAdmin),
    )
    expect(selfGrant.statusCode).toBe(403)
    const denied = await server.platform.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'details'])
      .where('outcome', '=', 'denied')
      .where('action', 'in', ['role.grant', 'route.denied'])
      .execute()
    expect(denied.some((d) => d.action === 'route.denied' && d.actor_id === ids.systemAdmin)).toBe(true)
    expect(denied.some((d) => d.action === 'role.grant' && d.actor_id === ids.citySecurityAdmin)).toBe(true)
    expect(denied.some((d) => (d.details as { reason?: string }).reason === 'self-grant')).toBe(true)
  })

  it('never lets an account hold two of the three admin roles (409 naming the rule; database too)', async () => {
    const conflict = await inject(
      'POST',
      `/api/v1/staff/${ids.auditAdmin}/roles`,
      { role: 'security_admin', regionCode: '330000' },
      bearer(ids.securityAdmin),
    )
    expect(conflict.statusCode).toBe(409)
    expect(conflict.json().detail).toContain('三员分立')
    expect(conflict.json().errors[0]).toMatchObject({ path: '/role', code: 'separationOfDuties' })
    await expect(
      server.platform.db
        .insertInto('role_grants')
        .values({
          account_id: ids.systemAdmin,
          role: 'audit_admin',
          region_code: '330100',
          granted_at: new Date(),
        })
        .execute(),
    ).rejects.toThrow(/role_grants_one_admin_role_idx/)
    await expect(
      sql`INSERT INTO role_grants (account_id, role, region_code, granted_at) SELECT id, 'system_admin', '330000', now() FROM accounts WHERE kind = 'person' LIMIT 1`.execute(
        server.platform.db,
      ),
    ).rejects.toThrow(/staff accounts only/)
  })

  it('lets only the audit admin read the audit log, and records the reading', async () => {
    const read = await inject(
      'GET',
      '/api/v1/audit?limit=5&action=role.grant',
      undefined,
      bearer(ids.auditAdmin),
    )
    expect(read.statusCode).toBe(200)
    const { items, nextBeforeSeq } = read.json()
    expect(items.length).toBeGreaterThan(0)
    expect(items.every((i: { action: string }) => i.action === 'role.grant')).toBe(true)
    expect(nextBeforeSeq === null || typeof nextBeforeSeq === 'number').toBe(true)
    expect((await inject('GET', '/api/v1/audit', undefined, bearer(ids.systemAdmin))).statusCode).toBe(403)
    expect((await inject('GET', '/api/v1/audit', undefined, bearer(ids.securityAdmin))).statusCode).toBe(403)
    const page = await inject('GET', `/api/v1/audit?limit=2`, undefined, bearer(ids.auditAdmin))
    const second = await inject(
      'GET',
      `/api/v1/audit?limit=2&beforeSeq=${page.json().nextBeforeSeq}`,
      undefined,
      bearer(ids.auditAdmin),
    )
    expect(second.json().items[0].seq).toBeLessThan(page.json().items[1].seq + 1)
    expect(
      await server.platform.db
        .selectFrom('audit_log')
        .select('seq')
        .where('action', '=', 'audit.read')
        .execute(),
    ).toHaveLength(3)
  })

  it('lets a window clerk raise a person to real-name level 3 after counter verification', async () => {
    const person = await register()
    const { account } = (
      await inject(
        'POST',
        '/api/v1/staff',
        { username: 'counter.clerk', name: '何丽', regionCode: '330106' },
        bearer(ids.systemAdmin),
      )
    ).json()
    await inject(
      'POST',
      `/api/v1/staff/${account.id}/roles`,
      { role: 'window_clerk', departmentId: ids.department, regionCode: '330106' },
      bearer(ids.securityAdmin),
    )
    const found = await inject(
      'POST',
      '/api/v1/persons/lookup',
      { idNumber: person.idNumber },
      bearer(account.id),
    )
    expect(found.statusCode).toBe(200)
    expect(found.json()).toMatchObject({ id: person.id, realNameLevel: 1 })
    expect(found.body).not.toContain(person.idNumber)
    const unknown = buildIdNumber({ regionCode: '330108', sequence: 902 })
    expect(
      (await inject('POST', '/api/v1/persons/lookup', { idNumber: unknown }, bearer(account.id))).statusCode,
    ).toBe(404)
    expect(
      (
        await inject(
          'POST',
          `/api/v1/persons/${person.id}/realname`,
          { level: 3, method: 'counter' },
          bearer(person.id),
        )
      ).statusCode,
    ).toBe(403)
    const raised = await inject(
      'POST',
      `/api/v1/persons/${person.id}/realname`,
      { level: 3, method: 'counter' },
      bearer(account.id),
    )
    expect(raised.statusCode).toBe(200)
    expect(raised.json().realNameLevel).toBe(3)
    expect(await identity.actorFor(person.id)).toMatchObject({ realNameLevel: 3 })
    const row = await identity.getAccount(person.id)
    expect(row.realname_raised_by).toBe(account.id)
    expect(await auditActions(person.id)).toContain('account.realname-raise:success')
    expect(
      (
        await inject(
          'POST',
          `/api/v1/persons/${person.id}/realname`,
          { level: 2, method: 'counter' },
          bearer(account.id),
        )
      ).statusCode,
    ).toBe(409)
  })
})
