import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LicensesService, licensesService } from './index.ts'
import { type SignedLicenseFile, verifyLicenseOffline } from './licenses.document.ts'
import {
  BUSINESS_LICENSE,
  businessLicense,
  clock,
  companyUscc,
  ID_CARD,
  inject,
  market,
  police,
  publishedKeys,
  server,
  startLicensesServer,
  system,
} from './licenses.testing.ts'

beforeAll(async () => {
  await startLicensesServer()
})
afterAll(() => server?.close())

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
