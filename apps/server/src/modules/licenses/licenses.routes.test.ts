import type { CaseCompleted } from '@tongban/contracts'
import { buildUscc, sm2Sign } from '@tongban/standards'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { FixedClock } from '../../platform/clock.ts'
import { createTestServer, type TestServer, useTestActors } from '../../testing/test-server.ts'
import { orgModule, orgService } from '../org/index.ts'
import { licensesPorts } from '../wiring.ts'
import { createLicensesModule, ISSUE_ON_COMPLETION, LicensesService, licensesService } from './index.ts'
import { canonicalize, type SignedLicenseFile, verifyLicenseOffline } from './licenses.document.ts'
import type { CaseFacts } from './licenses.ports.ts'

const BUSINESS_LICENSE = '11100000000010014P001'
const ID_CARD = '11100000000013127D001'
const system = { actorId: null, actorKind: 'system' as const, ip: null, requestId: null }

let server: TestServer
let as: (name: string) => Record<string, string>
const clock = new FixedClock(new Date('2026-11-23T02:00:00Z'))
const cases = new Map<string, CaseFacts>()

/** The `case.completed` payload of a fake case, approved, its form encrypted as the cases module does. */
function completion(caseId: string): CaseCompleted {
  const facts = cases.get(caseId)!
  return {
    caseId,
    caseNo: `TB-TEST-${caseId.slice(-4)}`,
    seq: 6,
    applicantId: facts.applicantId,
    actingForId: facts.actingForId,
    itemName: '测试事项',
    regionCode: facts.regionCode,
    parentId: null,
    departmentId: facts.departmentId,
    implementationId: facts.implementationId,
    guideVersion: facts.guideVersion,
    decision: 'approved',
    formDataEnc: server.platform.vault.encrypt(JSON.stringify(facts.formData)),
  }
}
let market: { id: string; uscc: string }
let police: { id: string }
const companyUscc = buildUscc({
  registrationAuthority: '9',
  entityType: '1',
  regionCode: '330106',
  organizationCode: 77,
})

beforeAll(async () => {
  server = await createTestServer({
    clock,
    modules: [
      orgModule,
      createLicensesModule({
        cases: () => ({ findCase: async (id) => cases.get(id) }),
        guides: () => ({
          resultOf: async (implementationId) => (implementationId === 'impl-bl' ? '营业执照' : '准予注销'),
        }),
        holders: () => ({
          findHolder: async (id) =>
            id === 'c-1' ? { name: '杭州西湖示例科技有限公司', identifier: companyUscc } : undefined,
        }),
        departments: licensesPorts.departments,
      }),
    ],
  })
  const org = orgService(server.platform)
  const dept = (kind: string, name: string, organizationCode: number) =>
    org.createDepartment(
      {
        name,
        shortName: name.slice(0, 8),
        kind,
        regionCode: '330106',
        uscc: buildUscc({
          registrationAuthority: '1',
          entityType: '1',
          regionCode: '330106',
          organizationCode,
        }),
      },
      system,
    )
  market = await dept('market_regulation', '杭州市西湖区市场监督管理局', 2001)
  police = await dept('public_security', '杭州市公安局西湖区分局', 2002)
  const staff = (accountId: string, role: string, departmentId: string | null) => ({
    kind: 'staff' as const,
    accountId,
    name: accountId,
    roles: [{ role: role as 'approver', departmentId, regionCode: '330106' }],
    realNameLevel: 3,
  })
  as = useTestActors(server, {
    security: staff('s-sec', 'security_admin', market.id),
    policeSecurity: staff('s-sec2', 'security_admin', police.id),
    approver: staff('s-app', 'approver', market.id),
    marketAdmin: staff('s-adm', 'department_admin', market.id),
    policeAdmin: staff('s-padm', 'department_admin', police.id),
    marketClerk: staff('s-clk', 'window_clerk', market.id),
    policeClerk: staff('s-pclk', 'window_clerk', police.id),
    agent: {
      kind: 'person',
      accountId: 'p-1',
      name: '张三',
      roles: [],
      realNameLevel: 3,
      actingFor: { accountId: 'c-1', name: '杭州西湖示例科技有限公司' },
    },
    citizen: { kind: 'person', accountId: 'p-2', name: '李四', roles: [], realNameLevel: 3 },
  })
})
afterAll(() => server?.close())

const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, who?: string, payload?: unknown) =>
  server.app.inject({
    method,
    url,
    ...(who ? { headers: as(who) } : {}),
    ...(payload === undefined ? {} : { payload: payload as object }),
  })

const businessLicense = (overrides: Record<string, unknown> = {}) => ({
  typeCode: BUSINESS_LICENSE,
  departmentId: market.id,
  holder: { kind: 'company', accountId: 'c-1', name: '杭州西湖示例科技有限公司', identifier: companyUscc },
  fields: {
    companyName: '杭州西湖示例科技有限公司',
    uscc: companyUscc,
    legalRepresentative: '张三',
    registeredCapital: 100,
    businessScope: '软件开发',
  },
  reason: '窗口补录历史执照',
  ...overrides,
})

async function publishedKeys() {
  return (await inject('GET', '/api/v1/licenses/keys')).json().items
}

let licenseId: string

describe('license types', () => {
  it('lists the shipped types with their definitions', async () => {
    const { items } = (await inject('GET', '/api/v1/license-types')).json()
    const idCard = items.find((t: { code: string }) => t.code === ID_CARD)
    expect(idCard).toMatchObject({
      name: '居民身份证',
      holderKind: 'person',
      validityKind: 'fixed',
      validityMonths: 240,
    })
    expect(idCard.disclosableFields).toEqual(['name', 'gender'])
  })

  it('lets the admin of an issuing department kind define a type, and nobody else', async () => {
    const type = {
      code: '11100000000010014P099',
      name: '测试许可证',
      issuerKind: 'market_regulation',
      holderKind: 'company',
      validityKind: 'fixed',
      validityMonths: 60,
      fieldsSchema: { type: 'object', properties: { scope: { type: 'string' } }, required: ['scope'] },
      disclosableFields: ['scope'],
      displayTemplate: '许可范围 {{scope}}',
    }
    expect((await inject('POST', '/api/v1/license-types', 'policeAdmin', type)).statusCode).toBe(403)
    expect((await inject('POST', '/api/v1/license-types', 'approver', type)).statusCode).toBe(403)
    const broken = await inject('POST', '/api/v1/license-types', 'marketAdmin', {
      ...type,
      fieldsSchema: { type: 'object', properties: { scope: { type: 'strin' } } },
    })
    expect(broken.statusCode).toBe(400)
    expect(broken.json().errors[0].path).toBe('/fieldsSchema')
    const undisclosable = await inject('POST', '/api/v1/license-types', 'marketAdmin', {
      ...type,
      disclosableFields: ['secret'],
    })
    expect(undisclosable.json().errors[0].path).toBe('/disclosableFields/0')
    const created = await inject('POST', '/api/v1/license-types', 'marketAdmin', type)
    expect(created.statusCode).toBe(201)
    const changed = await inject('PUT', `/api/v1/license-types/${type.code}`, 'marketAdmin', {
      name: '测试许可证（新）',
      status: 'active',
      validityKind: 'long_term',
      validityMonths: null,
      fieldsSchema: type.fieldsSchema,
      disclosableFields: [],
      displayTemplate: '',
      version: 1,
    })
    expect(changed.statusCode).toBe(200)
    expect(changed.json()).toMatchObject({ version: 2, validityKind: 'long_term' })
    const stale = await inject('PUT', `/api/v1/license-types/${type.code}`, 'marketAdmin', {
      name: type.name,
      status: 'active',
      validityKind: 'long_term',
      fieldsSchema: type.fieldsSchema,
      disclosableFields: [],
      displayTemplate: '',
      version: 1,
    })
    expect(stale.statusCode).toBe(409)
  })
})

describe('keys and issuing', () => {
  it('refuses to issue before the security admin has generated the department’s keys', async () => {
    const response = await inject('POST', '/api/v1/licenses', 'approver', businessLicense())
    expect(response.statusCode).toBe(409)
  })

  it('lets only the department’s security admin generate keys, and publishes them', async () => {
    expect(
      (await inject('POST', `/api/v1/departments/${market.id}/license-keys/rotate`, 'approver')).statusCode,
    ).toBe(403)
    expect(
      (await inject('POST', `/api/v1/departments/${market.id}/license-keys/rotate`, 'policeSecurity'))
        .statusCode,
    ).toBe(403)
    const response = await inject('POST', `/api/v1/departments/${market.id}/license-keys/rotate`, 'security')
    expect(response.statusCode).toBe(201)
    expect(
      response
        .json()
        .items.map((k: { algorithm: string }) => k.algorithm)
        .sort(),
    ).toEqual(['Ed25519', 'SM2'])
    const keys = await publishedKeys()
    expect(keys[0]).not.toHaveProperty('privateKey')
    const stored = await server.platform.db
      .selectFrom('license_signing_keys')
      .select('private_key_enc')
      .execute()
    for (const row of stored) expect(row.private_key_enc).not.toMatch(/^[0-9a-f]{64}$/)
  })

  it('issues a license with a GB/T 36904 identifier and an SM2 signature that verifies offline', async () => {
    const response = await inject('POST', '/api/v1/licenses', 'approver', businessLicense())
    expect(response.statusCode).toBe(201)
    const license = response.json()
    licenseId = license.id
    expect(license.licenseNo).toMatch(
      new RegExp(
        `^1\\.2\\.156\\.3005\\.2\\.${BUSINESS_LICENSE}\\.${market.uscc}\\.00000001\\.001\\.[0-9A-Z]$`,
      ),
    )
    expect(license).toMatchObject({ status: 'valid', validUntil: null, version: 1 })
    const signed: SignedLicenseFile = (
      await inject('GET', `/api/v1/me/licenses/${licenseId}/signed`, 'agent')
    ).json()
    expect(signed.document.holder.identifier).toBe(companyUscc)
    const keys = await publishedKeys()
    expect(verifyLicenseOffline(signed, keys)).toMatchObject({ ok: true })
    const tampered = structuredClone(signed)
    tampered.document.fields.registeredCapital = 100000
    expect(verifyLicenseOffline(tampered, keys)).toEqual({ ok: false, reason: 'bad-signature' })
    // committed with its outbox event and its audit entry (one statement)
    const events = await server.platform.db
      .selectFrom('outbox')
      .select(['topic', 'payload'])
      .where('aggregate_id', '=', licenseId)
      .execute()
    expect(events).toEqual([
      {
        topic: 'license.issued',
        payload: expect.objectContaining({ licenseId, licenseNo: license.licenseNo, version: 1 }),
      },
    ])
    const audit = await server.platform.db
      .selectFrom('audit_log')
      .select(['action', 'outcome', 'details'])
      .where('resource_id', '=', licenseId)
      .execute()
    expect(audit).toEqual([
      {
        action: 'license.issue',
        outcome: 'success',
        details: expect.objectContaining({ licenseNo: license.licenseNo }),
      },
    ])
  })

  it('keeps 流水号 unique across nodes, each reserving its own block', async () => {
    const next = (await inject('POST', '/api/v1/licenses', 'approver', businessLicense())).json()
    expect(next.licenseNo).toContain('.00000002.001.')
    // a second node of the same installation: its own service over the same database
    const service = licensesService(server.platform)
    const otherNode = new LicensesService(server.platform, service.deps)
    const actor = {
      kind: 'staff' as const,
      accountId: 's-app',
      name: 's-app',
      roles: [{ role: 'approver' as const, departmentId: market.id, regionCode: '330106' }],
      realNameLevel: 3,
    }
    const elsewhere = await otherNode.issue(businessLicense() as never, actor, system)
    expect(elsewhere.record.sequence).toBe(21)
    const third = (await inject('POST', '/api/v1/licenses', 'approver', businessLicense())).json()
    expect(third.licenseNo).toContain('.00000003.001.')
  })

  it('refuses fields that violate the type’s schema, a wrong holder kind and a department of another kind', async () => {
    const bad = await inject(
      'POST',
      '/api/v1/licenses',
      'approver',
      businessLicense({ fields: { companyName: 'x' } }),
    )
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toContain('/fields/uscc')
    const person = await inject(
      'POST',
      '/api/v1/licenses',
      'approver',
      businessLicense({ holder: { kind: 'person', accountId: 'p-2', name: '李四' } }),
    )
    expect(person.statusCode).toBe(400)
    const wrongDept = await inject(
      'POST',
      '/api/v1/licenses',
      'approver',
      businessLicense({ departmentId: police.id }),
    )
    expect(wrongDept.statusCode).toBe(403)
    expect((await inject('POST', '/api/v1/licenses', 'marketClerk', businessLicense())).statusCode).toBe(403)
  })
})

describe('wallet', () => {
  it('shows an agent the licenses of the company they act for, and others nothing', async () => {
    const mine = (await inject('GET', '/api/v1/me/licenses', 'agent')).json().items
    expect(mine.map((l: { id: string }) => l.id)).toContain(licenseId)
    expect((await inject('GET', '/api/v1/me/licenses', 'citizen')).json().items).toEqual([])
    expect((await inject('GET', `/api/v1/me/licenses/${licenseId}`, 'citizen')).statusCode).toBe(404)
    expect((await inject('GET', `/api/v1/me/licenses/${licenseId}/signed`, 'citizen')).statusCode).toBe(404)
    expect((await inject('POST', `/api/v1/me/licenses/${licenseId}/qr`, 'citizen')).statusCode).toBe(404)
    expect((await inject('GET', '/api/v1/me/licenses')).statusCode).toBe(401)
  })
})

describe('亮证 and verification', () => {
  const showQr = async () => {
    const response = await inject('POST', `/api/v1/me/licenses/${licenseId}/qr`, 'agent')
    expect(response.statusCode).toBe(201)
    return response.json() as { token: string; url: string; expiresAt: string; qrSvg: string }
  }
  const verify = (token: string) =>
    inject('GET', `/api/v1/licenses/verify?token=${encodeURIComponent(token)}`)

  it('answers genuine and valid with only the disclosable fields, once', async () => {
    const qr = await showQr()
    expect(qr.qrSvg).toContain('<svg')
    expect(qr.url).toContain('/verify/license?t=')
    expect(Date.parse(qr.expiresAt) - clock.now().getTime()).toBe(5 * 60_000)
    const response = await verify(qr.token)
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body).toMatchObject({
      genuine: true,
      status: 'valid',
      typeName: '营业执照',
      issuerName: '杭州市西湖区市场监督管理局',
    })
    expect(body.fields).toEqual({
      companyName: '杭州西湖示例科技有限公司',
      uscc: companyUscc,
      legalRepresentative: '张三',
      businessScope: '软件开发',
    })
    // the use is committed asynchronously, for that statement only: the connection's setting is untouched
    const { rows } = await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(
      server.platform.db,
    )
    expect(rows[0]?.synchronous_commit).toBe('on')
    const replay = await verify(qr.token)
    expect(replay.statusCode).toBe(409)
    expect(replay.json().errors[0].code).toBe('replayed')
    expect(replay.json()).not.toHaveProperty('fields')
  })

  it('lets one of simultaneous scans of a token through, and answers scans of different tokens together', async () => {
    // requests arriving together share one statement: a token twice in a batch is still used once
    const [qr1, qr2] = [await showQr(), await showQr()]
    const answers = await Promise.all([
      verify(qr1.token),
      verify(qr1.token),
      verify(qr2.token),
      verify(qr1.token),
    ])
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 409, 409])
    expect(answers[2]?.statusCode).toBe(200)
    expect(answers[2]?.json().status).toBe('valid')
    for (const replay of answers.filter((a) => a.statusCode === 409))
      expect(replay.json().errors[0].code).toBe('replayed')
  })

  it('refuses forged, tampered and expired tokens, disclosing nothing', async () => {
    const qr = await showQr()
    const forged = await verify(`1.${'0'.repeat(32)}.${'1'.repeat(24)}.9999999999.${'a'.repeat(32)}`)
    expect(forged.statusCode).toBe(422)
    expect(forged.json().errors[0].code).toBe('forged')
    const parts = qr.token.split('.')
    parts[3] = String(Number(parts[3]) + 3600)
    const extended = await verify(parts.join('.'))
    expect(extended.statusCode).toBe(422)
    expect((await verify('garbage')).statusCode).toBe(422)
    clock.advance(5 * 60_000 + 1000)
    const expired = await verify(qr.token)
    expect(expired.statusCode).toBe(410)
    expect(expired.json().errors[0].code).toBe('expired')
    expect(JSON.stringify(expired.json())).not.toContain('示例科技')
  })

  it('shows suspension and revocation at once, without fields', async () => {
    const qr = await showQr()
    const suspended = await inject('POST', `/api/v1/licenses/${licenseId}/status`, 'approver', {
      action: 'suspend',
      reason: '涉嫌违法经营，暂停使用',
    })
    expect(suspended.json().status).toBe('suspended')
    const seen = (await verify(qr.token)).json()
    expect(seen).toMatchObject({ genuine: true, status: 'suspended', fields: {} })
    expect((await inject('POST', `/api/v1/me/licenses/${licenseId}/qr`, 'agent')).statusCode).toBe(409)
    await inject('POST', `/api/v1/licenses/${licenseId}/status`, 'approver', {
      action: 'resume',
      reason: '核查完毕恢复',
    })
    const again = await showQr()
    expect((await verify(again.token)).json().status).toBe('valid')
    const third = await showQr()
    // another department cannot touch it, nor learn that it exists
    expect(
      (
        await inject('POST', `/api/v1/licenses/${licenseId}/status`, 'policeAdmin', {
          action: 'revoke',
          reason: '越权注销',
        })
      ).statusCode,
    ).toBe(404)
    await inject('POST', `/api/v1/licenses/${licenseId}/status`, 'approver', {
      action: 'revoke',
      reason: '企业已注销',
    })
    expect((await verify(third.token)).json()).toMatchObject({ status: 'revoked', fields: {} })
    const resume = await inject('POST', `/api/v1/licenses/${licenseId}/status`, 'approver', {
      action: 'resume',
      reason: '试图恢复',
    })
    expect(resume.statusCode).toBe(409)
  })

  it('answers expired for a license past its end date', async () => {
    const issued = (
      await inject(
        'POST',
        '/api/v1/licenses',
        'approver',
        businessLicense({ validFrom: '2020-01-01', validUntil: '2026-12-31' }),
      )
    ).json()
    const token = (await inject('POST', `/api/v1/me/licenses/${issued.id}/qr`, 'agent')).json().token
    clock.set(new Date('2027-01-01T01:00:00Z'))
    expect((await verify(token)).statusCode).toBe(410)
    clock.set(new Date('2026-12-31T15:58:00Z')) // 2026-12-31 23:58 in Shanghai
    const fresh = (await inject('POST', `/api/v1/me/licenses/${issued.id}/qr`, 'agent')).json().token
    clock.set(new Date('2026-12-31T16:01:00Z')) // 2027-01-01 00:01 in Shanghai
    expect((await verify(fresh)).json()).toMatchObject({ status: 'expired', fields: {} })
    clock.set(new Date('2026-11-23T03:00:00Z'))
  })
})

describe('变更, 补发 and key rotation', () => {
  let current: { id: string; licenseNo: string }

  it('changes and replaces as new versions, superseding the old', async () => {
    const issued = (await inject('POST', '/api/v1/licenses', 'approver', businessLicense())).json()
    const changed = await inject('POST', `/api/v1/licenses/${issued.id}/change`, 'approver', {
      fields: { ...businessLicense().fields, registeredCapital: 500 },
      reason: '注册资本变更',
    })
    expect(changed.statusCode).toBe(201)
    expect(changed.json().licenseNo).toMatch(/\.002\.[0-9A-Z]$/)
    expect(changed.json().fields.registeredCapital).toBe(500)
    const replaced = await inject('POST', `/api/v1/licenses/${changed.json().id}/replace`, 'approver', {
      reason: '持证人申请补发',
    })
    expect(replaced.json()).toMatchObject({ version: 3, previousId: changed.json().id })
    expect((await inject('GET', `/api/v1/me/licenses/${issued.id}`, 'agent')).json().status).toBe(
      'superseded',
    )
    const again = await inject('POST', `/api/v1/licenses/${issued.id}/replace`, 'approver', {
      reason: '重复补发',
    })
    expect(again.statusCode).toBe(409)
    const invalidChange = await inject('POST', `/api/v1/licenses/${replaced.json().id}/change`, 'approver', {
      fields: { companyName: '缺少信用代码' },
      reason: '错误的变更',
    })
    expect(invalidChange.statusCode).toBe(400)
    current = replaced.json()
  })

  it('keeps old licenses verifiable after rotation, and rejects a signature the old key made after its period', async () => {
    const before = (await inject('GET', `/api/v1/me/licenses/${current.id}/signed`, 'agent')).json()
    const oldKey = (await publishedKeys()).find(
      (k: { algorithm: string; validUntil: null }) => k.algorithm === 'SM2' && k.validUntil === null,
    )
    await inject('POST', `/api/v1/departments/${market.id}/license-keys/rotate`, 'security')
    const keys = await publishedKeys()
    const retired = keys.find((k: { keyId: string }) => k.keyId === oldKey.keyId)
    expect(retired.validUntil).not.toBeNull()
    expect(
      keys.filter(
        (k: { algorithm: string; validUntil: null }) => k.algorithm === 'SM2' && k.validUntil === null,
      ),
    ).toHaveLength(1)
    expect(verifyLicenseOffline(before, keys)).toMatchObject({ ok: true })

    // a thief with the old private key signs a fresh license dated after the key's period
    const row = await server.platform.db
      .selectFrom('license_signing_keys')
      .select('private_key_enc')
      .where('id', '=', oldKey.keyId)
      .executeTakeFirstOrThrow()
    const privateKey = server.platform.vault.decrypt(row.private_key_enc)
    const document = {
      ...before.document,
      signedAt: new Date(Date.parse(retired.validUntil) + 1000).toISOString(),
    }
    const late = {
      document,
      signature: { ...before.signature, value: sm2Sign(canonicalize(document), privateKey) },
    }
    expect(verifyLicenseOffline(late, keys)).toEqual({ ok: false, reason: 'key-not-valid-then' })

    // new issues use the new key
    const fresh = (await inject('POST', '/api/v1/licenses', 'approver', businessLicense())).json()
    const signed = (await inject('GET', `/api/v1/me/licenses/${fresh.id}/signed`, 'agent')).json()
    expect(signed.document.keyId).not.toBe(oldKey.keyId)
    expect(verifyLicenseOffline(signed, keys)).toMatchObject({ ok: true })
  })
})

describe('用证授权', () => {
  let grantId: string
  let granted: string

  it('lets the holder grant a department; its staff read it, logged; others get 404', async () => {
    granted = (await inject('POST', '/api/v1/licenses', 'approver', businessLicense())).json().id
    const grantBody = {
      departmentId: police.id,
      purpose: '公章刻制备案核验营业执照',
      validUntil: '2026-12-01T00:00:00Z',
    }
    expect(
      (await inject('POST', `/api/v1/me/licenses/${granted}/grants`, 'citizen', grantBody)).statusCode,
    ).toBe(404)
    const past = await inject('POST', `/api/v1/me/licenses/${granted}/grants`, 'agent', {
      ...grantBody,
      validUntil: '2020-01-01T00:00:00Z',
    })
    expect(past.statusCode).toBe(400)
    const response = await inject('POST', `/api/v1/me/licenses/${granted}/grants`, 'agent', grantBody)
    expect(response.statusCode).toBe(201)
    grantId = response.json().id

    expect((await inject('GET', `/api/v1/license-grants/${grantId}/license`, 'marketClerk')).statusCode).toBe(
      404,
    )
    const read = await inject('GET', `/api/v1/license-grants/${grantId}/license`, 'policeClerk')
    expect(read.statusCode).toBe(200)
    expect(read.json().license.fields.registeredCapital).toBe(100)

    const uses = (await inject('GET', `/api/v1/me/licenses/${granted}/uses`, 'agent')).json().items
    expect(uses).toHaveLength(1)
    expect(uses[0]).toMatchObject({
      readerName: 's-pclk',
      departmentName: '杭州市公安局西湖区分局',
      purpose: grantBody.purpose,
    })
    expect((await inject('GET', `/api/v1/me/licenses/${granted}/uses`, 'citizen')).statusCode).toBe(404)
    const audit = await server.platform.audit.list({ action: 'license.read', limit: 5 })
    expect(audit[0]).toMatchObject({ actorId: 's-pclk', resourceId: granted })
  })

  it('withdraws a grant at once; an expired grant reads nothing', async () => {
    const withdrawn = await inject('DELETE', `/api/v1/me/licenses/${granted}/grants/${grantId}`, 'agent')
    expect(withdrawn.json()).toMatchObject({ active: false })
    expect((await inject('GET', `/api/v1/license-grants/${grantId}/license`, 'policeClerk')).statusCode).toBe(
      404,
    )
    const short = (
      await inject('POST', `/api/v1/me/licenses/${granted}/grants`, 'agent', {
        departmentId: police.id,
        purpose: '短期核验',
        validUntil: new Date(clock.now().getTime() + 60_000).toISOString(),
      })
    ).json()
    expect(
      (await inject('GET', `/api/v1/license-grants/${short.id}/license`, 'policeClerk')).statusCode,
    ).toBe(200)
    clock.advance(61_000)
    expect(
      (await inject('GET', `/api/v1/license-grants/${short.id}/license`, 'policeClerk')).statusCode,
    ).toBe(404)
    const list = (await inject('GET', `/api/v1/me/licenses/${granted}/grants`, 'agent')).json().items
    expect(list.every((g: { active: boolean }) => !g.active)).toBe(true)
  })

  it('lets the holder grant one of their cases; the staff of the case’s department read it', async () => {
    cases.set('7d1f7f6e-0000-4000-8000-000000000001', {
      id: '7d1f7f6e-0000-4000-8000-000000000001',
      applicantId: 'p-1',
      actingForId: 'c-1',
      departmentId: police.id,
      regionCode: '330106',
      implementationId: 'impl-seal',
      guideVersion: 1,
      formData: {},
    })
    const forCase = await inject('POST', `/api/v1/me/licenses/${granted}/grants`, 'agent', {
      caseId: '7d1f7f6e-0000-4000-8000-000000000001',
      purpose: '公章刻制备案',
      validUntil: '2026-12-31T00:00:00Z',
    })
    expect(forCase.statusCode).toBe(201)
    expect(
      (await inject('GET', `/api/v1/license-grants/${forCase.json().id}/license`, 'policeClerk')).statusCode,
    ).toBe(200)
    expect(
      (await inject('GET', `/api/v1/license-grants/${forCase.json().id}/license`, 'marketClerk')).statusCode,
    ).toBe(404)
    const notMine = await inject('POST', `/api/v1/me/licenses/${granted}/grants`, 'agent', {
      caseId: '7d1f7f6e-0000-4000-8000-000000000099',
      purpose: '别人的办件',
      validUntil: '2026-12-31T00:00:00Z',
    })
    expect(notMine.statusCode).toBe(400)
  })
})

describe('automatic issuance on case completion', () => {
  it('issues the license the guide promises, once, to the company the agent acted for', async () => {
    const caseId = '7d1f7f6e-0000-4000-8000-000000000002'
    cases.set(caseId, {
      id: caseId,
      applicantId: 'p-1',
      actingForId: 'c-1',
      departmentId: market.id,
      regionCode: '330106',
      implementationId: 'impl-bl',
      guideVersion: 3,
      formData: {
        registeredCapital: 300,
        businessScope: '技术服务',
        companyAddress: '杭州市西湖区文三路 1 号',
      },
    })
    const other = '7d1f7f6e-0000-4000-8000-000000000003'
    cases.set(other, { ...cases.get(caseId)!, id: other, implementationId: 'impl-close' })
    await server.platform.db.transaction().execute(async (trx) => {
      await server.platform.events.publish(trx, 'case.completed', completion(caseId), caseId)
      await server.platform.events.publish(trx, 'case.completed', completion(caseId), caseId)
      await server.platform.events.publish(trx, 'case.completed', completion(other), other)
    })
    await server.platform.events.deliverPending()
    // the relay's own pass and the subscriber's follow-up may hold the request: wait until both settle
    const issued = await vi.waitFor(
      async () => {
        await server.platform.events.deliverPending()
        const undelivered = await server.platform.db
          .selectFrom('outbox')
          .select('id')
          .where('aggregate_id', 'in', [caseId, other])
          .where('published_at', 'is', null)
          .execute()
        expect(undelivered).toHaveLength(0)
        await licensesService(server.platform).processIssueRequests()
        const pending = await server.platform.db
          .selectFrom('license_issue_requests')
          .select('case_id')
          .where('case_id', 'in', [caseId, other])
          .where('processed_at', 'is', null)
          .execute()
        expect(pending).toHaveLength(0)
        const rows = await server.platform.db
          .selectFrom('licenses')
          .selectAll()
          .where('case_id', 'in', [caseId, other])
          .execute()
        expect(rows).toHaveLength(1)
        return rows
      },
      { timeout: 10_000, interval: 100 },
    )
    expect(issued[0]).toMatchObject({ holder_account_id: 'c-1', type_code: BUSINESS_LICENSE })
    const view = (await inject('GET', `/api/v1/me/licenses/${issued[0]!.id}`, 'agent')).json()
    expect(view.fields).toMatchObject({
      companyName: '杭州西湖示例科技有限公司',
      uscc: companyUscc,
      registeredCapital: 300,
      address: '杭州市西湖区文三路 1 号',
    })
    const receipts = await server.platform.db
      .selectFrom('event_receipts')
      .selectAll()
      .where('consumer', '=', ISSUE_ON_COMPLETION)
      .execute()
    expect(receipts).toHaveLength(3)
  })
})

describe('command-line verifier', () => {
  it('says genuine for a downloaded license and not genuine for a tampered one', async () => {
    const { main } = await import('../../../scripts/verify-license.ts')
    const fs = await import('node:fs/promises')
    const path = await import('node:path')
    const issued = (await inject('POST', '/api/v1/licenses', 'approver', businessLicense())).json()
    const signed = (await inject('GET', `/api/v1/me/licenses/${issued.id}/signed`, 'agent')).json()
    const licenseFile = path.join(server.dataDir, 'license.json')
    const keysFile = path.join(server.dataDir, 'keys.json')
    await fs.writeFile(keysFile, (await inject('GET', '/api/v1/licenses/keys')).body)
    await fs.writeFile(licenseFile, JSON.stringify(signed))
    expect(await main([licenseFile, keysFile])).toBe(0)
    signed.document.holder.name = '冒名公司'
    await fs.writeFile(licenseFile, JSON.stringify(signed))
    expect(await main([licenseFile, keysFile])).toBe(1)
    expect(await main([licenseFile])).toBe(2)
  })
})
