import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestServer, type TestServer } from '../testing/test-server.ts'
import { testCatalogModule } from './catalog/catalog.testing.ts'
import { catalogService } from './catalog/index.ts'
import { orgModule } from './org/index.ts'
import { catalogForCases } from './wiring.ts'

let server: TestServer

beforeAll(async () => {
  server = await createTestServer({ modules: [orgModule, testCatalogModule()], config: { demoSeed: true } })
}, 180_000)
afterAll(() => server?.close())

describe('the catalog seen through the CatalogPort', () => {
  it('maps a published guide: limits, kind, the materials the applicant supplies', async () => {
    const port = catalogForCases(server.platform)
    const row = await server.platform.db
      .selectFrom('catalog_implementations')
      .select(['id', 'published_version'])
      .where('published_version', 'is not', null)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow()
    const guide = await port.getPublishedVersion(row.id)
    expect(guide).toMatchObject({ implementationId: row.id, version: row.published_version })
    expect(guide!.promisedLimitDays).toBeLessThanOrEqual(guide!.legalLimitDays)
    expect(['immediate', 'promised']).toContain(guide!.processingKind)
    for (const material of guide!.materials) expect(['upload', 'either']).toContain(material.source)
    expect(await port.getPublishedVersion(row.id, 999)).toBeUndefined()
    expect(await port.getPublishedVersion('00000000-0000-4000-8000-000000000000')).toBeUndefined()
    expect(await port.getPublishedVersion('impl-business-license')).toBeUndefined()
    const errors = await port.validateApplication(row.id, guide!.version, {})
    expect(Array.isArray(errors)).toBe(true)
  })

  it('maps a bundle to its parts with their field maps, and an unknown one to undefined', async () => {
    const port = catalogForCases(server.platform)
    const bundle = await port.getBundle('business-startup', '330106')
    if (bundle) {
      expect(bundle.parts.length).toBeGreaterThan(1)
      expect(bundle.parts[0]).toHaveProperty('fields')
    }
    expect(await port.getBundle('no-such-bundle', '330106')).toBeUndefined()
  })

  it('follows a new publication without asking the database each time for the current version', async () => {
    const catalog = catalogService(server.platform)
    const port = catalogForCases(server.platform)
    const row = await server.platform.db
      .selectFrom('catalog_implementations')
      .select(['id', 'published_version'])
      .where('published_version', 'is not', null)
      .where('status', '=', 'active')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    const before = await port.getPublishedVersion(row.id)
    expect(await port.getPublishedVersion(row.id)).toBe(before) // the same mapping, from memory
    const current = await catalog.getPublishedVersion(row.id, row.published_version!)
    await catalog.publishReviewed(row.id, current.content, {
      actorId: null,
      actorKind: 'system',
      ip: null,
      requestId: null,
    })
    const after = await port.getPublishedVersion(row.id)
    expect(after?.version).toBe(row.published_version! + 1)
  })

  it('counts applications in memory and adds them to the popularity in one update', async () => {
    const _catalog = catalogService(server.platform)
    const port = catalogForCases(server.platform, { flushMs: 60_000 })
    const row = await server.platform.db
      .selectFrom('catalog_search')
      .select(['implementation_id', 'popularity'])
      .executeTakeFirstOrThrow()
    const popularity = async () =>
      (
        await server.platform.db
          .selectFrom('catalog_search')
          .select('popularity')
          .where('implementation_id', '=', row.implementation_id)
          .executeTakeFirstOrThrow()
      ).popularity
    for (let i = 0; i < 3; i++) await port.recordApplication!(row.implementation_id)
    expect(await popularity()).toBe(row.popularity) // not yet
    await port.flushApplications()
    expect(await popularity()).toBe(row.popularity + 3)
  })
})
