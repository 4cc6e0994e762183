import { sm2Sign } from '@tongban/standards'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalize, verifyLicenseOffline } from './licenses.document.ts'
import {
  businessLicense,
  cases,
  clock,
  inject,
  market,
  police,
  publishedKeys,
  rotateMarketKeys,
  server,
  startLicensesServer,
} from './licenses.testing.ts'

beforeAll(async () => {
  await startLicensesServer()
  await rotateMarketKeys()
})
afterAll(() => server?.close())

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
