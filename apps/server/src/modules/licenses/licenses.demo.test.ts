import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestServer, type TestServer, useTestActors } from '../../testing/test-server.ts'
import { identityModule, identityService } from '../identity/index.ts'
import { orgModule, orgService } from '../org/index.ts'
import { licensesPorts } from '../wiring.ts'
import { createLicensesModule, licensesService } from './index.ts'
import { type PublishedKey, type SignedLicenseFile, verifyLicenseOffline } from './licenses.document.ts'

let server: TestServer
let as: (name: string) => Record<string, string>

beforeAll(async () => {
  server = await createTestServer({
    modules: [orgModule, identityModule, createLicensesModule(licensesPorts)],
    config: { demoSeed: true },
  })
  const identity = identityService(server.platform)
  const zhangWei = (await identity.findByLogin('13800000001'))!
  const liNa = (await identity.findByLogin('13800000002'))!
  const yunqi = (await identity.findByLogin('91330106MA2FGGT42K'))!
  as = useTestActors(server, {
    zhangWei: { kind: 'person', accountId: zhangWei.id, name: zhangWei.name, roles: [], realNameLevel: 3 },
    liNaForYunqi: {
      kind: 'person',
      accountId: liNa.id,
      name: liNa.name,
      roles: [],
      realNameLevel: 3,
      actingFor: { accountId: yunqi.id, name: yunqi.name },
    },
  })
}, 180_000)
afterAll(() => server?.close())

const licenseRows = () => server.platform.db.selectFrom('licenses').selectAll().execute()

describe('licenses demo data', () => {
  it('gives every issuing demo department SM2 and Ed25519 keys', async () => {
    const { items } = await orgService(server.platform).listDepartments({
      region: '330000',
      within: true,
      limit: 1000,
      offset: 0,
    })
    const market = items.filter((d) => d.kind === 'market_regulation')
    expect(market.length).toBeGreaterThan(3)
    const keys = await licensesService(server.platform).publishedKeys()
    for (const department of market)
      expect(
        keys
          .filter((k) => k.department_id === department.id && k.valid_until === null)
          .map((k) => k.algorithm)
          .sort(),
      ).toEqual(['Ed25519', 'SM2'])
    // 政务服务中心 issue no licenses of their own
    const services = items.find((d) => d.kind === 'government_services')!
    expect(keys.some((k) => k.department_id === services.id)).toBe(false)
  })

  it('issues realistic person and company licenses, every one genuine offline', async () => {
    const rows = await licenseRows()
    expect(rows.length).toBeGreaterThan(60)
    const types = new Set(rows.map((r) => r.type_code))
    for (const code of [
      '11100000000013127D001', // 居民身份证
      '11100000000013127D003', // 机动车驾驶证
      '11100000000010014P001', // 营业执照
      '11100000000010022J001', // 结婚证
      '11100000000010030D001', // 出生医学证明
      '11100000000010049A001', // 不动产权证书
      '111000000000100575001', // 社会保障卡
    ])
      expect(types, code).toContain(code)
    const companies = await server.platform.db
      .selectFrom('accounts')
      .select('id')
      .where('kind', '=', 'company')
      .execute()
    const businessHolders = new Set(
      rows
        .filter((r) => r.type_code === '11100000000010014P001' && r.status !== 'superseded')
        .map((r) => r.holder_account_id),
    )
    expect(businessHolders).toEqual(new Set(companies.map((c) => c.id)))
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['valid', 'suspended', 'superseded']))
    const keys: PublishedKey[] = (await server.app.inject({ url: '/api/v1/licenses/keys' })).json().items
    const licenses = licensesService(server.platform)
    for (const row of rows) {
      const file: SignedLicenseFile = licenses.signedFile(row)
      expect(verifyLicenseOffline(file, keys), row.license_no).toMatchObject({ ok: true })
    }
  })

  it('shows 张伟 his licenses in the wallet, one of them expired, and lets a verifier scan one', async () => {
    const wallet = (await server.app.inject({ url: '/api/v1/me/licenses', headers: as('zhangWei') })).json()
      .items as { id: string; typeName: string; status: string; fields: Record<string, unknown> }[]
    const names = wallet.map((l) => l.typeName)
    expect(names).toEqual(expect.arrayContaining(['居民身份证', '社会保障卡', '结婚证', '不动产权证书']))
    const idCard = wallet.find((l) => l.typeName === '居民身份证')!
    expect(idCard.fields).toMatchObject({ name: '张伟', idNumber: '33010619850312933X', gender: '男' })
    const qr = await server.app.inject({
      method: 'POST',
      url: `/api/v1/me/licenses/${idCard.id}/qr`,
      headers: as('zhangWei'),
    })
    const verified = await server.app.inject({
      url: `/api/v1/licenses/verify?token=${encodeURIComponent(qr.json().token)}`,
    })
    expect(verified.json()).toMatchObject({ genuine: true, status: 'valid', fields: { name: '张伟' } })
    const all = (await licenseRows()).filter((r) => r.type_code === '11100000000013127D003')
    expect(all.some((r) => r.valid_until !== null && String(r.valid_until) < '2026-01-01')).toBe(true)
  })

  it('shows an agent the company’s 营业执照 in its second version', async () => {
    const wallet = (
      await server.app.inject({ url: '/api/v1/me/licenses', headers: as('liNaForYunqi') })
    ).json().items as { typeName: string; version: number; fields: Record<string, unknown> }[]
    const business = wallet.find((l) => l.typeName === '营业执照')!
    expect(business).toMatchObject({ version: 2 })
    expect(business.fields).toMatchObject({
      companyName: '杭州云栖数字科技有限公司',
      uscc: '91330106MA2FGGT42K',
      legalRepresentative: '张伟',
    })
  })

  it('adds nothing when seeded again', async () => {
    const before = (await licenseRows()).length
    const module = createLicensesModule(licensesPorts)
    await module.seedDemo!(server.platform)
    expect((await licenseRows()).length).toBe(before)
    const keys = await server.platform.db.selectFrom('license_signing_keys').select('id').execute()
    await module.seedDemo!(server.platform)
    expect(await server.platform.db.selectFrom('license_signing_keys').select('id').execute()).toHaveLength(
      keys.length,
    )
  })
})
