import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestServer, useTestActors } from '../../testing/test-server.ts'
import { anotherCatalogNode, callAs, catalogActors, startCatalogServer } from './catalog.testing.ts'
import { catalogService } from './index.ts'

let server: TestServer
let as: (name: string) => Record<string, string>
const ids = { xihuPolice: '', idCard: '' }

interface Hit {
  implementationId: string
  name: string
  regionCode: string
  departmentId: string
  departmentName: string
  relevance: number
}

const call = (method: 'GET' | 'PUT' | 'POST' | 'PATCH', url: string, actor?: string, payload?: unknown) =>
  callAs(server, as, method, url, actor, payload)
const search = async (params: Record<string, string>) => {
  const response = await call('GET', `/api/v1/catalog/search?${new URLSearchParams(params)}`)
  expect(response.status).toBe(200)
  return response.body as { items: Hit[]; total: number; terms: string[] }
}
const count = async (table: 'catalog_search_texts' | 'catalog_search') =>
  Number(
    (
      await server.platform.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

/** Saves and submits a guide as the system admin, published by a second one; returns the published version. */
const publish = async (implementationId: string, content: unknown) => {
  const url = `/api/v1/catalog/implementations/${implementationId}/guide`
  const saved = await call('PUT', `${url}/draft`, 'systemAdmin', { content })
  expect(saved.status).toBe(200)
  await call('POST', `${url}/draft/submit`, 'systemAdmin', { revision: saved.body.revision })
  const published = await call('POST', `${url}/publish`, 'catalogReviewer', {
    revision: saved.body.revision,
  })
  expect(published.status).toBe(201)
  return published.body.version as number
}

beforeAll(async () => {
  server = await startCatalogServer({ demo: true })
  as = useTestActors(server, {
    systemAdmin: catalogActors.systemAdmin,
    catalogReviewer: catalogActors.catalogReviewer,
  })
  const police = (await call('GET', '/api/v1/departments?region=330106&kind=public_security')).body.items
  ids.xihuPolice = police[0].id
  const hits = await search({ q: '居民身份证换领', region: '330106' })
  ids.idCard = hits.items.find((h) => h.regionCode === '330106')!.implementationId
}, 300_000)
afterAll(() => server?.close())

describe('search over shared texts', () => {
  it('keeps one text per distinct guide text, shared by the implementations of an item', async () => {
    const codes = await server.platform.db
      .selectFrom('catalog_search')
      .select('item_code')
      .distinct()
      .execute()
    // the demo guides of an item differ only in channels and phones, which are not searched
    expect(await count('catalog_search_texts')).toBe(codes.length)
    expect(await count('catalog_search')).toBeGreaterThan(codes.length * 2)
  })

  it("matches a department's name together with the item text, as one document", async () => {
    const { items } = await search({ q: '公安分局 身份证', region: '330106' })
    expect(items.map((h) => h.name)).toEqual(expect.arrayContaining(['居民身份证换领', '居民身份证补领']))
    // only the county's public security branch has 分局 in its name; the city's bureau does not
    expect(items.every((h) => h.departmentId === ids.xihuPolice)).toBe(true)
    const anywhere = await search({ q: '公安分局 身份证', limit: '100' })
    expect(new Set(anywhere.items.map((h) => h.departmentName.slice(-4)))).toEqual(new Set(['公安分局']))
    expect(anywhere.items.length).toBeGreaterThan(items.length)
    // a place name matches the departments located there
    const named = await search({ q: '西湖 身份证', region: '330106' })
    expect(named.items.map((h) => h.implementationId)).toContain(ids.idCard)
    expect(named.items.every((h) => h.regionCode === '330106')).toBe(true)
  })

  it('pages through the hits of both kinds in one order, in a region and in the whole country', async () => {
    for (const where of [{ region: '330106' }, {}] as Record<string, string>[]) {
      const all = await search({ q: '公安', ...where, limit: '100' })
      expect(all.total).toBe(all.items.length)
      const pages = []
      for (let offset = 0; offset < all.total; offset += 3)
        pages.push(...(await search({ q: '公安', ...where, limit: '3', offset: String(offset) })).items)
      expect(pages.map((h) => h.implementationId)).toEqual(all.items.map((h) => h.implementationId))
    }
    // a text matched everywhere: the best of each text make the best of all
    const licences = await search({ q: '营业执照', limit: '100' })
    expect(licences.total).toBeGreaterThan(20)
    const firstPages = [
      ...(await search({ q: '营业执照', limit: '10' })).items,
      ...(await search({ q: '营业执照', limit: '10', offset: '10' })).items,
    ]
    expect(firstPages.map((h) => h.implementationId)).toEqual(
      licences.items.slice(0, 20).map((h) => h.implementationId),
    )
    const sorted = [...licences.items].sort((a, b) => b.relevance - a.relevance)
    expect(licences.items.map((h) => h.relevance)).toEqual(sorted.map((h) => h.relevance))
  })

  it('drops a suspended implementation from search, brings it back on reactivation, and deletes unused texts', async () => {
    const url = `/api/v1/catalog/implementations/${ids.idCard}`
    const texts = await count('catalog_search_texts')
    // a guide text of its own: one more text, found by its own words
    const guide = (await call('GET', `${url}/guide`)).body
    await publish(ids.idCard, { ...guide.content, conditions: '萤火虫夜间窗口办理，需预约。' })
    expect(await count('catalog_search_texts')).toBe(texts + 1)
    expect((await search({ q: '萤火虫', region: '330106' })).items.map((h) => h.implementationId)).toEqual([
      ids.idCard,
    ])

    const current = (await call('GET', url)).body
    const suspended = await call('PATCH', url, 'systemAdmin', {
      version: current.version,
      status: 'suspended',
    })
    expect(suspended.status).toBe(200)
    expect((await search({ q: '萤火虫', region: '330106' })).items).toEqual([])
    // nothing uses the text any more
    expect(await count('catalog_search_texts')).toBe(texts)

    await call('PATCH', url, 'systemAdmin', { version: suspended.body.version, status: 'active' })
    expect((await search({ q: '萤火虫', region: '330106' })).items.map((h) => h.implementationId)).toEqual([
      ids.idCard,
    ])
    // back to the shared text: the implementation's own goes again
    await publish(ids.idCard, guide.content)
    expect(await count('catalog_search_texts')).toBe(texts)
  })
})

describe('caches on several nodes', () => {
  it('serves a guide and a search published on another node once this node has read the change log', async () => {
    // a second API node: its own caches over the same database
    const other = anotherCatalogNode(server.platform)
    await other.syncChanges()
    const before = JSON.parse(await other.publishedGuideJson(ids.idCard))
    expect((await other.search({ q: '蝴蝶兰', region: '330106' })).items).toEqual([])

    const version = await publish(ids.idCard, { ...before.content, result: '居民身份证（蝴蝶兰版式）' })
    expect(version).toBe(before.version + 1)
    // this node sees it at once; the other serves its copy until it reads the change log
    expect((await call('GET', `/api/v1/catalog/implementations/${ids.idCard}/guide`)).body.version).toBe(
      version,
    )
    expect(JSON.parse(await other.publishedGuideJson(ids.idCard)).version).toBe(before.version)

    expect(await other.syncChanges()).toBeGreaterThanOrEqual(2)
    expect(JSON.parse(await other.publishedGuideJson(ids.idCard)).version).toBe(version)
    expect(
      (await other.search({ q: '蝴蝶兰', region: '330106' })).items.map((h) => h.implementationId),
    ).toEqual([ids.idCard])
    const first = await catalogService(server.platform).getPublishedVersion(ids.idCard, before.version)
    expect(first.content.result).toBe(before.content.result)
  })
})
