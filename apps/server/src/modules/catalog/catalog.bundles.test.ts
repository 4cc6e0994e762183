import type { GuideContent } from '@tongban/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestServer, useTestActors } from '../../testing/test-server.ts'
import {
  buildGuideContent,
  callAs,
  catalogActors,
  departmentAdmin,
  startCatalogServer,
} from './catalog.testing.ts'

let server: TestServer
let as: (name: string) => Record<string, string>
const ids = {
  provinceHr: '',
  provinceMarket: '',
  provinceHealth: '',
  xihuMarket: '',
  itemA: 'XK01801',
  itemB: 'XK01802',
  itemC: 'XK01803',
  implementationC: '',
}
const codes: Record<string, string> = {}

const call = (method: 'GET' | 'PUT' | 'POST' | 'PATCH', url: string, actor?: string, payload?: unknown) =>
  callAs(server, as, method, url, actor, payload)
const bundles = '/api/v1/catalog/bundles'

/** A guide whose form asks the given fields (besides the company, prefilled). */
const guide = (
  fields: Record<string, Record<string, unknown>>,
  prefill: Record<string, string>,
): GuideContent =>
  buildGuideContent({
    schema: { type: 'object', properties: fields, required: [], additionalProperties: false },
    ui: {
      sections: [{ key: 'main', title: { zh: '申请信息', en: 'Application' }, fields: Object.keys(fields) }],
      fields: {},
    },
    prefill,
  })

/** A base item implemented and published by 西湖区市场监管局 with the given guide. */
const publishedItem = async (code: string, name: string, content: GuideContent): Promise<string> => {
  const item = await call('POST', '/api/v1/catalog/items', 'systemAdmin', {
    code,
    name,
    type: 'administrative_license',
    legalBasis: '《中华人民共和国行政许可法》',
    departmentKind: 'market_regulation',
    levels: ['county'],
    audience: ['company'],
  })
  expect(item.status).toBe(201)
  const implementation = await call('POST', '/api/v1/catalog/implementations', 'xihuMarketAdmin', {
    itemCode: code,
    regionCode: '330106',
    departmentId: ids.xihuMarket,
  })
  expect(implementation.status).toBe(201)
  const url = `/api/v1/catalog/implementations/${implementation.body.id}/guide`
  expect((await call('PUT', `${url}/draft`, 'xihuMarketAdmin', { content })).status).toBe(200)
  await call('POST', `${url}/draft/submit`, 'xihuMarketAdmin', { revision: 1 })
  expect((await call('POST', `${url}/publish`, 'xihuMarketReviewer', { revision: 1 })).status).toBe(201)
  return implementation.body.id
}

const content = (overrides: Record<string, unknown> = {}) => ({
  name: '企业用工一件事',
  description: '发票领用、社保开户、公积金开户一次申请。',
  audience: ['company'],
  themes: ['business_operation'],
  itemCodes: [codes.发票领用, codes.单位社会保险登记, codes.住房公积金单位缴存登记],
  leadDepartmentId: ids.provinceHr,
  ...overrides,
})

beforeAll(async () => {
  server = await startCatalogServer({ demo: true })
  const department = async (region: string, kind: string) =>
    (await call('GET', `/api/v1/departments?region=${region}&kind=${kind}`)).body.items[0].id as string
  ids.provinceHr = await department('330000', 'human_resources')
  ids.provinceMarket = await department('330000', 'market_regulation')
  ids.provinceHealth = await department('330000', 'health')
  ids.xihuMarket = await department('330106', 'market_regulation')
  const staff = (departmentId: string, region: string, name: string) =>
    departmentAdmin(`s-${name}`, name, departmentId, region)
  as = useTestActors(server, {
    hrAdmin: staff(ids.provinceHr, '330000', '省人社厅管理员'),
    marketAdmin: staff(ids.provinceMarket, '330000', '省市场监管局管理员'),
    healthAdmin: staff(ids.provinceHealth, '330000', '省卫健委管理员'),
    xihuMarketAdmin: staff(ids.xihuMarket, '330106', '西湖区市场监管局管理员'),
    hrReviewer: staff(ids.provinceHr, '330000', '省人社厅审核人'),
    xihuMarketReviewer: staff(ids.xihuMarket, '330106', '西湖区市场监管局审核人'),
    ...catalogActors,
  })
  for (const item of (await call('GET', '/api/v1/catalog/items?limit=200')).body.items)
    codes[item.name] = item.code
}, 300_000)
afterAll(() => server?.close())

describe('creating a bundle', () => {
  it('saves a draft for the lead department, with the merged form and one materials list', async () => {
    const saved = await call('PUT', `${bundles}/staff-onboarding/draft`, 'hrAdmin', { content: content() })
    expect(saved.status).toBe(200)
    expect(saved.body).toMatchObject({
      code: 'staff-onboarding',
      status: 'draft',
      revision: 1,
      publishedVersion: null,
    })
    const { preview } = saved.body
    // the business licence is asked for by all three items: listed once
    const licences = preview.materials.filter(
      (m: { licenseType?: string }) => m.licenseType === '11100000000010014P001',
    )
    expect(licences).toHaveLength(1)
    expect(licences[0].usedBy).toHaveLength(3)
    expect(new Set(preview.materials.map((m: { name: string }) => m.name)).size).toBe(
      preview.materials.length,
    )
    // the company is asked once for all three, and so is the head count of 社保 and 公积金
    expect(preview.sharedFields).toContainEqual({
      field: 'uscc',
      type: 'string (uscc)',
      itemCodes: content().itemCodes,
    })
    expect(preview.sharedFields).toContainEqual(
      expect.objectContaining({
        field: 'employees',
        type: 'integer',
        itemCodes: content().itemCodes.slice(1),
      }),
    )
    expect(Object.keys(preview.form.schema.properties).filter((k) => k.startsWith('uscc'))).toEqual(['uscc'])
    // not public until published
    expect((await call('GET', `${bundles}/staff-onboarding?region=330106`)).status).toBe(404)
  })

  it('refuses other departments, citizens and staff below the lead department', async () => {
    for (const actor of ['healthAdmin', 'xihuMarketAdmin', 'citizen'])
      expect(
        (await call('PUT', `${bundles}/staff-onboarding/draft`, actor, { content: content() })).status,
      ).toBe(403)
    // nor may anyone take a bundle over by naming their own department as its lead
    const takeover = await call('PUT', `${bundles}/staff-onboarding/draft`, 'healthAdmin', {
      content: content({ leadDepartmentId: ids.provinceHealth }),
    })
    expect(takeover.status).toBe(403)
    expect((await call('GET', `${bundles}/staff-onboarding/draft`, 'healthAdmin')).status).toBe(403)
    expect((await call('GET', `${bundles}/staff-onboarding/draft`, 'systemAdmin')).status).toBe(200)
  })

  it('goes draft → submitted → published, and is then offered in the regions', async () => {
    const stale = await call('PUT', `${bundles}/staff-onboarding/draft`, 'hrAdmin', {
      content: content(),
      revision: 7,
    })
    expect(stale.status).toBe(409)
    const early = await call('POST', `${bundles}/staff-onboarding/publish`, 'hrAdmin', { revision: 1 })
    expect(early.status).toBe(409)
    const submitted = await call('POST', `${bundles}/staff-onboarding/draft/submit`, 'hrAdmin', {
      revision: 1,
    })
    expect(submitted.body.status).toBe('submitted')
    // 四眼原则: the author cannot approve their own bundle; a second person of the lead department can
    const own = await call('POST', `${bundles}/staff-onboarding/publish`, 'hrAdmin', { revision: 1 })
    expect(own.status).toBe(403)
    expect(own.body.detail).toContain('不能审核发布自己')
    const published = await call('POST', `${bundles}/staff-onboarding/publish`, 'hrReviewer', {
      revision: 1,
      comment: '审核通过',
    })
    expect(published.status).toBe(201)
    expect(published.body).toMatchObject({
      code: 'staff-onboarding',
      version: 1,
      leadDepartmentId: ids.provinceHr,
    })
    expect((await call('GET', `${bundles}/staff-onboarding/draft`, 'hrAdmin')).status).toBe(404)

    const list = (await call('GET', bundles)).body.items.map((b: { code: string }) => b.code)
    expect(list).toContain('staff-onboarding')
    const offered = await call('GET', `${bundles}/staff-onboarding?region=330106`)
    expect(offered.body).toMatchObject({ available: true, version: 1, itemCodes: content().itemCodes })
    expect(offered.body.fanOut).toHaveLength(3)
    const version = await call('GET', `${bundles}/staff-onboarding/versions/1`)
    expect(version.body).toMatchObject({ version: 1, comment: '审核通过', content: content() })
    const [entry] = await server.platform.audit.list({ resourceId: 'staff-onboarding', limit: 1 })
    expect(entry).toMatchObject({ action: 'catalog.bundle.publish', actorId: 's-省人社厅审核人' })
  })

  it('changes a published bundle as a new version; the old version stays as it was', async () => {
    const demo = (await call('GET', `${bundles}/business-startup?region=330106`)).body
    expect(demo.leadDepartmentId).toBe(ids.provinceMarket)
    const changed = {
      name: demo.name,
      description: '营业执照、公章刻制、发票领用一次申请。',
      audience: demo.audience,
      themes: demo.themes,
      itemCodes: demo.itemCodes.slice(0, 3),
      leadDepartmentId: ids.provinceMarket,
    }
    expect(
      (await call('PUT', `${bundles}/business-startup/draft`, 'hrAdmin', { content: changed })).status,
    ).toBe(403)
    const saved = await call('PUT', `${bundles}/business-startup/draft`, 'marketAdmin', { content: changed })
    expect(saved.body).toMatchObject({ revision: 1, publishedVersion: demo.version })
    await call('POST', `${bundles}/business-startup/draft/submit`, 'marketAdmin', { revision: 1 })
    const published = await call('POST', `${bundles}/business-startup/publish`, 'systemAdmin', {
      revision: 1,
    })
    expect(published.body).toMatchObject({ version: demo.version + 1, itemCodes: changed.itemCodes })
    expect((await call('GET', `${bundles}/business-startup?region=330106`)).body.fanOut).toHaveLength(3)
    const first = (await call('GET', `${bundles}/business-startup/versions/${demo.version}`)).body
    expect(first.content.itemCodes).toEqual(demo.itemCodes)
  })
})

describe('checks', () => {
  it('names unknown items and items with no published guide, and writes nothing', async () => {
    await call('POST', '/api/v1/catalog/items', 'systemAdmin', {
      code: 'XK01899',
      name: '未实施的事项',
      type: 'administrative_license',
      legalBasis: '《中华人民共和国行政许可法》',
      departmentKind: 'market_regulation',
      levels: ['county'],
      audience: ['company'],
    })
    const response = await call('PUT', `${bundles}/checks-one/draft`, 'hrAdmin', {
      content: content({ itemCodes: [codes.发票领用, 'XK09999', 'XK01899'] }),
    })
    expect(response.status).toBe(400)
    expect(response.body.errors).toEqual([
      expect.objectContaining({ path: '/content/itemCodes/1', code: 'item' }),
    ])
    const unpublished = await call('PUT', `${bundles}/checks-one/draft`, 'hrAdmin', {
      content: content({ itemCodes: [codes.发票领用, 'XK01899'] }),
    })
    expect(unpublished.status).toBe(400)
    expect(unpublished.body.errors).toEqual([
      expect.objectContaining({ path: '/content/itemCodes/1', code: 'unpublished' }),
    ])
    expect(unpublished.body.errors[0].message.zh).toContain('未实施的事项')
    expect(unpublished.body.errors[0].message.en).toContain('XK01899')
    const unknownLead = await call('PUT', `${bundles}/checks-one/draft`, 'systemAdmin', {
      content: content({ leadDepartmentId: '00000000-0000-4000-8000-000000000000' }),
    })
    expect(unknownLead.status).toBe(400)
    expect(unknownLead.body.errors[0]).toMatchObject({
      path: '/content/leadDepartmentId',
      code: 'department',
    })
    expect((await call('GET', `${bundles}/checks-one/draft`, 'systemAdmin')).status).toBe(404)
  })

  it('refuses items whose shared fields differ in type, naming the field', async () => {
    await publishedItem(
      ids.itemA,
      '户外招牌设置备案',
      guide(
        { companyName: { type: 'string' }, area: { type: 'integer', minimum: 1 } },
        { companyName: 'company.name' },
      ),
    )
    await publishedItem(
      ids.itemB,
      '临时占道经营许可',
      guide({ holder: { type: 'integer' }, area: { type: 'string' } }, { holder: 'company.name' }),
    )
    const response = await call('PUT', `${bundles}/street-signs/draft`, 'xihuMarketAdmin', {
      content: content({ itemCodes: [ids.itemA, ids.itemB], leadDepartmentId: ids.xihuMarket }),
    })
    expect(response.status).toBe(400)
    expect(response.body.errors.map((e: { code: string }) => e.code)).toEqual([
      'sharedFieldType',
      'sharedFieldType',
    ])
    const messages = response.body.errors.map((e: { message: { en: string; zh: string } }) => e.message.en)
    expect(
      messages.some((m: string) => m.includes('(area)') && m.includes('integer') && m.includes('string')),
    ).toBe(true)
    expect(messages.some((m: string) => m.includes('(companyName)'))).toBe(true)
    expect(response.body.errors[0].message.zh).toContain('类型不一致')
    expect((await call('GET', `${bundles}/street-signs/draft`, 'xihuMarketAdmin')).status).toBe(404)
  })

  it('checks again at publication: an item withdrawn since the draft was saved stops it', async () => {
    ids.implementationC = await publishedItem(
      ids.itemC,
      '户外广告牌更新备案',
      guide({ companyName: { type: 'string' }, area: { type: 'integer' } }, { companyName: 'company.name' }),
    )
    const saved = await call('PUT', `${bundles}/street-signs/draft`, 'xihuMarketAdmin', {
      content: content({ itemCodes: [ids.itemA, ids.itemC], leadDepartmentId: ids.xihuMarket }),
    })
    expect(saved.status).toBe(200)
    expect(saved.body.preview.sharedFields.map((f: { field: string }) => f.field).sort()).toEqual([
      'area',
      'companyName',
    ])
    await call('POST', `${bundles}/street-signs/draft/submit`, 'xihuMarketAdmin', { revision: 1 })

    const implementation = (await call('GET', `/api/v1/catalog/implementations/${ids.implementationC}`)).body
    await call('PATCH', `/api/v1/catalog/implementations/${ids.implementationC}`, 'xihuMarketAdmin', {
      version: implementation.version,
      status: 'suspended',
    })
    const refused = await call('POST', `${bundles}/street-signs/publish`, 'xihuMarketReviewer', {
      revision: 1,
    })
    expect(refused.status).toBe(400)
    expect(refused.body.errors[0]).toMatchObject({ path: '/content/itemCodes/1', code: 'unpublished' })
    expect((await call('GET', `${bundles}/street-signs?region=330106`)).status).toBe(404)
    expect((await call('GET', `${bundles}/street-signs/draft`, 'xihuMarketAdmin')).body.status).toBe(
      'submitted',
    )
  })
})
