import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestServer, useTestActors } from '../../testing/test-server.ts'
import { catalogActors, departmentAdmin, startCatalogServer } from './catalog.testing.ts'
import { catalogService } from './index.ts'

let server: TestServer
const ids: Record<string, string> = {}

const get = async (url: string, headers: Record<string, string> = {}) => {
  const response = await server.app.inject({ method: 'GET', url, headers })
  return { status: response.statusCode, body: response.json() }
}

beforeAll(async () => {
  server = await startCatalogServer({ demo: true })
  const departments = (await get('/api/v1/departments?region=330106&limit=200')).body.items as {
    id: string
    kind: string
  }[]
  ids.xihuMarket = departments.find((d) => d.kind === 'market_regulation')!.id
  ids.xihuPolice = departments.find((d) => d.kind === 'public_security')!.id
  useTestActors(server, {
    marketAdmin: departmentAdmin('s-market', '西湖区市场监管局管理员', ids.xihuMarket, '330106'),
    policeAdmin: departmentAdmin('s-police', '西湖区公安分局管理员', ids.xihuPolice, '330106'),
    ...catalogActors,
  })
}, 300_000)
afterAll(() => server?.close())

describe('demo catalog', () => {
  it('has at least 60 items across 10+ department kinds, with published guides and 3 bundles', async () => {
    const items = (await get('/api/v1/catalog/items?limit=200')).body
    expect(items.total).toBeGreaterThanOrEqual(60)
    expect(
      new Set(items.items.map((i: { departmentKind: string }) => i.departmentKind)).size,
    ).toBeGreaterThanOrEqual(10)
    const bundles = (await get('/api/v1/catalog/bundles')).body.items
    expect(bundles.map((b: { code: string }) => b.code)).toEqual(['birth', 'business-startup', 'retirement'])
    const guides = (await get('/api/v1/catalog/guides?region=330106&limit=200')).body
    expect(guides.total).toBeGreaterThan(60)
  })
})

describe('search', () => {
  it('finds 公积金 items through the synonym 住房公积金 and ranks name matches first', async () => {
    const { status, body } = await get(
      `/api/v1/catalog/search?q=${encodeURIComponent('公积金提取')}&region=330106`,
    )
    expect(status).toBe(200)
    expect(body.items.length).toBeGreaterThanOrEqual(3)
    expect(body.items.slice(0, 3).every((h: { name: string }) => h.name.startsWith('住房公积金提取'))).toBe(
      true,
    )
  })

  it('expands 身份证 to 居民身份证 and tolerates a typo', async () => {
    const synonyms = (await get(`/api/v1/catalog/search?q=${encodeURIComponent('身份证')}&region=330106`))
      .body
    expect(synonyms.items.map((h: { name: string }) => h.name)).toEqual(
      expect.arrayContaining(['居民身份证换领', '居民身份证补领']),
    )
    const typo = (await get(`/api/v1/catalog/search?q=${encodeURIComponent('居民身份证换岭')}&region=330106`))
      .body
    expect(typo.items[0].name).toBe('居民身份证换领')
  })

  it('shows a county user the county, city and province items, not other counties', async () => {
    const { body } = await get(
      `/api/v1/catalog/search?q=${encodeURIComponent('营业执照')}&region=330106&limit=100`,
    )
    const regions = new Set(body.items.map((h: { regionCode: string }) => h.regionCode))
    expect([...regions].every((r) => ['330106', '330100', '330000'].includes(r as string))).toBe(true)
    expect(regions.has('330106')).toBe(true)
  })

  it('filters by audience, theme and online-only', async () => {
    const { body } = await get(
      '/api/v1/catalog/search?region=330106&theme=birth&audience=person&onlineOnly=true&limit=100',
    )
    expect(body.items.length).toBeGreaterThan(0)
    for (const hit of body.items) {
      expect(hit.themes).toContain('birth')
      expect(hit.audience).toContain('person')
      expect(hit.visits).toBe(0)
    }
  })

  it('lists by popularity when the query is empty', async () => {
    const { body } = await get('/api/v1/catalog/search?region=330106&limit=5')
    const target = body.items[4].implementationId
    await catalogService(server.platform).recordApplication(target, 50)
    const after = (await get('/api/v1/catalog/search?region=330106&limit=5')).body
    expect(after.items[0].implementationId).toBe(target)
    expect(after.items[0].popularity).toBe(50)
  })

  it('refuses punctuation-only and over-long queries with a helpful message', async () => {
    const punctuation = await get(`/api/v1/catalog/search?q=${encodeURIComponent('？！。，,,')}`)
    expect(punctuation.status).toBe(400)
    expect(punctuation.body.errors[0]).toMatchObject({ path: '/query/q', code: 'noTerms' })
    const long = await get(`/api/v1/catalog/search?q=${'办'.repeat(101)}`)
    expect(long.status).toBe(400)
    expect(long.body.errors[0].code).toBe('maxLength')
    const huge = await get(`/api/v1/catalog/search?q=${'a'.repeat(10_000)}`)
    expect(huge.status).toBe(400)
  })
})

describe('bundles', () => {
  it('merges 开办企业 into one form and one materials list, and describes the fan-out', async () => {
    const { status, body } = await get('/api/v1/catalog/bundles/business-startup?region=330106')
    expect(status).toBe(200)
    expect(body).toMatchObject({ name: '开办企业一件事', available: true, missing: [] })
    expect(body.fanOut).toHaveLength(5)
    expect(new Set(body.fanOut.map((f: { departmentId: string }) => f.departmentId)).size).toBe(5)
    // the company's identity is asked once, prefilled, for all five departments
    const keys = Object.keys(body.form.schema.properties)
    expect(keys.filter((k) => k.startsWith('uscc'))).toEqual(['uscc'])
    expect(body.form.prefill.uscc).toBe('company.uscc')
    // 企业设立登记 creates the company and asks no credit code; every other part maps it to the one field
    const asking = body.fanOut.filter((f: { fields: Record<string, string> }) => 'uscc' in f.fields)
    expect(asking).toHaveLength(4)
    for (const entry of asking) expect(entry.fields.uscc).toBe('uscc')
    // the business licence is one material, used by every item that needs it
    const licences = body.materials.filter(
      (m: { licenseType?: string }) => m.licenseType === '11100000000010014P001',
    )
    expect(licences).toHaveLength(1)
    expect(licences[0].usedBy.length).toBeGreaterThanOrEqual(4)
  })

  it('resolves 出生一件事 in a county to the nearest implementation of each item', async () => {
    const { body } = await get('/api/v1/catalog/bundles/birth?region=330106')
    expect(body.available).toBe(true)
    const regions = body.fanOut.map((f: { regionCode: string }) => f.regionCode)
    expect(regions).toContain('330106')
    // the demo counties have no medical insurance bureau: the city's serves them
    expect(regions).toContain('330100')
    // the child's name is asked once though two items ask for it
    expect(Object.keys(body.form.schema.properties).filter((k) => k.startsWith('childName'))).toEqual([
      'childName',
    ])
    const catalog = catalogService(server.platform)
    const first = body.fanOut[0]
    const guide = await catalog.getPublishedVersion(first.implementationId, first.version)
    expect(Object.keys(first.fields)).toEqual(Object.keys(guide.content.form.schema.properties as object))
  })

  it('answers 404 for an unknown bundle and says what is missing where an item is not offered', async () => {
    expect((await get('/api/v1/catalog/bundles/nope?region=330106')).status).toBe(404)
    const elsewhere = (await get('/api/v1/catalog/bundles/birth?region=110101')).body
    expect(elsewhere.available).toBe(false)
    expect(elsewhere.missing.length).toBe(4)
  })
})
