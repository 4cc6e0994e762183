import type { GuideContent } from '@tongban/contracts'
import { buildUscc } from '@tongban/standards'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestServer, useTestActors } from '../../testing/test-server.ts'
import { orgService } from '../org/index.ts'
import { demoDepartments } from '../org/org.demo.ts'
import {
  buildGuideContent,
  callAs,
  catalogActors,
  departmentAdmin,
  LICENCE_MATERIAL,
  startCatalogServer,
} from './catalog.testing.ts'
import { catalogService } from './index.ts'

let server: TestServer
let as: (name: string) => Record<string, string>
const ids: Record<string, string> = {}

const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, actor?: string, payload?: unknown) =>
  callAs(server, as, method, url, actor, payload)

const item = {
  code: 'XK01901',
  name: '户外广告设施设置许可',
  type: 'administrative_license',
  legalBasis: '《中华人民共和国行政许可法》；《城市市容和环境卫生管理条例》第十一条',
  departmentKind: 'market_regulation',
  levels: ['county'],
  audience: ['company'],
  themes: ['business_operation'],
  keywords: ['广告牌', '招牌'],
}

const guide = (overrides: Partial<GuideContent> = {}): GuideContent =>
  buildGuideContent(
    {
      schema: {
        type: 'object',
        properties: {
          companyName: { type: 'string', minLength: 2 },
          uscc: { type: 'string', format: 'uscc' },
          size: { type: 'integer', minimum: 1 },
          lit: { type: 'boolean' },
          lighting: { type: 'string' },
        },
        required: ['companyName', 'uscc', 'size'],
        additionalProperties: false,
      },
      ui: {
        sections: [
          {
            key: 'main',
            title: { zh: '申请信息', en: 'Application' },
            fields: ['companyName', 'uscc', 'size', 'lit', 'lighting'],
          },
        ],
        fields: {
          size: {
            label: { zh: '面积（平方米）', en: 'Area (m²)' },
            help: { zh: '按外框计算', en: 'Outer frame' },
          },
          lighting: { label: { zh: '照明方式', en: 'Lighting' }, showIf: { field: 'lit', equals: true } },
        },
      },
      prefill: { companyName: 'company.name', uscc: 'company.uscc' },
    },
    {
      conditions: '依法设立的企业设置户外广告设施。',
      result: '户外广告设施设置许可决定书',
      materials: [
        LICENCE_MATERIAL,
        { key: 'design', name: '设计效果图', form: 'original', copies: 1, required: true, source: 'upload' },
      ],
      ...overrides,
    },
  )

beforeAll(async () => {
  server = await startCatalogServer()
  const org = orgService(server.platform)
  const system = { actorId: null, actorKind: 'system' as const, ip: null, requestId: null }
  for (const d of demoDepartments().filter((d) => d.regionCode === '330106' || d.regionCode === '330108'))
    await org.createDepartment(d, system)
  const departments = (await call('GET', '/api/v1/departments?region=330106&limit=200')).body.items
  const binjiang = (await call('GET', '/api/v1/departments?region=330108&limit=200')).body.items
  ids.market = departments.find((d: { kind: string }) => d.kind === 'market_regulation').id
  ids.police = departments.find((d: { kind: string }) => d.kind === 'public_security').id
  ids.binjiangMarket = binjiang.find((d: { kind: string }) => d.kind === 'market_regulation').id
  as = useTestActors(server, {
    marketAdmin: departmentAdmin('s-m', '市场监管局管理员', ids.market!, '330106'),
    marketReviewer: departmentAdmin('s-m2', '市场监管局审核人', ids.market!, '330106'),
    policeAdmin: departmentAdmin('s-p', '公安分局管理员', ids.police!, '330106'),
    ...catalogActors,
  })
}, 300_000)
afterAll(() => server?.close())

describe('base items and implementations', () => {
  it('lets only a system admin add a base item', async () => {
    expect((await call('POST', '/api/v1/catalog/items', 'marketAdmin', item)).status).toBe(403)
    expect((await call('POST', '/api/v1/catalog/items', undefined, item)).status).toBe(401)
    const created = await call('POST', '/api/v1/catalog/items', 'systemAdmin', item)
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ code: 'XK01901', typeName: { zh: '行政许可' }, version: 1 })
    expect((await call('POST', '/api/v1/catalog/items', 'systemAdmin', item)).status).toBe(409)
  })

  it('refuses an implementation breaking 四级四同, naming the differing field', async () => {
    const response = await call('POST', '/api/v1/catalog/implementations', 'marketAdmin', {
      itemCode: item.code,
      regionCode: '330106',
      departmentId: ids.market,
      name: '户外广告设置审批',
    })
    expect(response.status).toBe(400)
    expect(response.body.errors).toEqual([expect.objectContaining({ path: '/name', code: 'fourSame' })])
    expect(response.body.errors[0].message.zh).toContain('户外广告设施设置许可')
  })

  it('lets the department admin implement the item in their department only', async () => {
    const body = {
      itemCode: item.code,
      regionCode: '330106',
      departmentId: ids.market,
      localNotes: '西湖区行政服务中心二楼',
    }
    expect((await call('POST', '/api/v1/catalog/implementations', 'policeAdmin', body)).status).toBe(403)
    const created = await call('POST', '/api/v1/catalog/implementations', 'marketAdmin', {
      ...body,
      name: item.name,
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ itemCode: 'XK01901', regionName: '西湖区', publishedVersion: null })
    expect(created.body.implementationCode).toMatch(/^[0-9A-Z]{18}XK01901$/)
    ids.implementation = created.body.id
    const [entry] = await server.platform.audit.list({ resourceId: created.body.id, limit: 1 })
    expect(entry).toMatchObject({ action: 'catalog.implementation.create', actorId: 's-m' })
  })

  it('refuses a department of another kind', async () => {
    const response = await call('POST', '/api/v1/catalog/implementations', 'policeAdmin', {
      itemCode: item.code,
      regionCode: '330106',
      departmentId: ids.police,
    })
    expect(response.status).toBe(400)
    expect(response.body.errors[0].code).toBe('departmentKind')
  })
})

describe('guides', () => {
  const url = () => `/api/v1/catalog/implementations/${ids.implementation}/guide`

  it('refuses a promised limit above the legal one, an unknown license type and a schema that does not compile', async () => {
    const promised = await call('PUT', `${url()}/draft`, 'marketAdmin', {
      content: guide({ promisedLimit: 30 }),
    })
    expect(promised.status).toBe(400)
    expect(promised.body.errors[0]).toMatchObject({
      path: '/content/promisedLimit',
      code: 'promisedAboveLegal',
    })

    const immediate = await call('PUT', `${url()}/draft`, 'marketAdmin', {
      content: guide({ kind: 'immediate' }),
    })
    expect(immediate.body.errors[0].code).toBe('immediate')

    const materials = guide().materials.map((m) => (m.key === 'licence' ? { ...m, licenseType: 'NOPE' } : m))
    const license = await call('PUT', `${url()}/draft`, 'marketAdmin', { content: guide({ materials }) })
    expect(license.status).toBe(400)
    expect(license.body.errors[0]).toMatchObject({
      path: '/content/materials/0/licenseType',
      code: 'licenseType',
    })
    expect(license.body.errors[0].message.zh).toContain('营业执照')

    const broken = guide()
    broken.form.schema = { type: 'object', properties: { size: { type: 'integr' } } }
    const schema = await call('PUT', `${url()}/draft`, 'marketAdmin', { content: broken })
    expect(schema.status).toBe(400)
    expect(schema.body.errors[0]).toMatchObject({ path: '/content/form/schema', code: 'schemaCompile' })
    expect(schema.body.errors[0].message.en).toMatch(/does not compile: .*type/)
  })

  it('is edited only by its own department', async () => {
    expect((await call('PUT', `${url()}/draft`, 'policeAdmin', { content: guide() })).status).toBe(403)
    expect((await call('PUT', `${url()}/draft`, 'citizen', { content: guide() })).status).toBe(403)
  })

  it('goes draft → submitted → published, and a publication is an immutable version', async () => {
    const saved = await call('PUT', `${url()}/draft`, 'marketAdmin', { content: guide() })
    expect(saved.status).toBe(200)
    expect(saved.body).toMatchObject({ status: 'draft', revision: 1 })
    const early = await call('POST', `${url()}/publish`, 'marketAdmin', { revision: 1 })
    expect(early.status).toBe(409)
    expect((await call('GET', url())).status).toBe(404)

    expect((await call('POST', `${url()}/draft/submit`, 'marketAdmin', { revision: 1 })).body.status).toBe(
      'submitted',
    )
    // 四眼原则: the one who wrote and submitted the draft cannot approve it; a colleague can
    const own = await call('POST', `${url()}/publish`, 'marketAdmin', { revision: 1 })
    expect(own.status).toBe(403)
    expect(own.body.detail).toContain('不能审核发布自己')
    const published = await call('POST', `${url()}/publish`, 'marketReviewer', {
      revision: 1,
      comment: '审核通过',
    })
    expect(published.status).toBe(201)
    expect(published.body).toMatchObject({ version: 1, name: item.name, departmentId: ids.market })
    expect((await call('GET', `${url()}/draft`, 'marketAdmin')).status).toBe(404)

    const first = await call('GET', url())
    expect(first.body.version).toBe(1)
    const events = await server.platform.db
      .selectFrom('outbox')
      .select(['topic', 'aggregate_id'])
      .where('topic', '=', 'catalog.guide-published')
      .execute()
    expect(events).toContainEqual({ topic: 'catalog.guide-published', aggregate_id: ids.implementation })

    // a second version: the cache answers the new one at once, the first stays as it was
    await call('PUT', `${url()}/draft`, 'marketAdmin', { content: guide({ promisedLimit: 3 }) })
    await call('POST', `${url()}/draft/submit`, 'marketAdmin', { revision: 1 })
    await call('POST', `${url()}/publish`, 'marketReviewer', { revision: 1 })
    expect((await call('GET', url())).body).toMatchObject({ version: 2, content: { promisedLimit: 3 } })
    const v1 = await catalogService(server.platform).getPublishedVersion(ids.implementation!, 1)
    expect(v1.content.promisedLimit).toBe(5)
    expect((await call('GET', `${url()}/versions/1`)).body.content.promisedLimit).toBe(5)
    await expect(
      server.platform.db
        .updateTable('catalog_guide_versions')
        .set({ comment: 'x' })
        .where('implementation_id', '=', ids.implementation!)
        .execute(),
    ).rejects.toThrow(/immutable/)
  })

  it('validates application data against the published form', async () => {
    const catalog = catalogService(server.platform)
    expect(
      await catalog.validateApplication(ids.implementation!, 1, {
        companyName: '杭州示例科技有限公司',
        uscc: '91330106MA2AXXXX0X',
        size: 0,
        extra: 1,
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/uscc', code: 'format' }),
        expect.objectContaining({ path: '/size', code: 'minimum' }),
        expect.objectContaining({ path: '/extra', code: 'additionalProperties' }),
      ]),
    )
    expect(
      await catalog.validateApplication(ids.implementation!, 1, {
        companyName: '杭州示例科技有限公司',
        uscc: buildUscc({ organizationCode: 12_345 }),
        size: 12,
      }),
    ).toEqual([])
  })

  it('is found by search once published', async () => {
    const { body } = await call(
      'GET',
      `/api/v1/catalog/search?q=${encodeURIComponent('广告牌')}&region=330106`,
    )
    expect(body.items[0]).toMatchObject({ implementationId: ids.implementation, publishedVersion: 2 })
  })
})

describe('consistency and import', () => {
  it('stores an inconsistent imported row, flags it, and reports it by region and department', async () => {
    const departments = (await call('GET', '/api/v1/departments?region=330108&limit=200')).body.items
    const uscc = departments.find((d: { kind: string }) => d.kind === 'market_regulation').uscc
    const file = {
      implementations: [
        {
          itemCode: item.code,
          regionCode: '330108',
          departmentUscc: uscc,
          name: '户外广告审批',
          type: item.type,
          legalBasis: item.legalBasis,
        },
      ],
    }
    const dry = await call('POST', '/api/v1/catalog/import?dryRun=true', 'systemAdmin', file)
    expect(dry.body).toMatchObject({
      ok: true,
      dryRun: true,
      committed: false,
      implementations: { created: 1 },
    })
    const run = await call('POST', '/api/v1/catalog/import', 'systemAdmin', file)
    expect(run.body).toMatchObject({
      ok: true,
      committed: true,
      inconsistent: [{ line: 1, fields: ['name'] }],
    })
    const report = await call('GET', '/api/v1/catalog/consistency', 'systemAdmin')
    expect(report.body.violations).toContainEqual(
      expect.objectContaining({
        regionCode: '330108',
        regionName: '滨江区',
        departmentId: ids.binjiangMarket,
        field: 'name',
        expected: item.name,
        actual: '户外广告审批',
      }),
    )
    expect((await call('GET', '/api/v1/catalog/consistency', 'marketAdmin')).status).toBe(403)
  })

  it('reports bad CSV rows with their line and commits nothing', async () => {
    const csv = [
      'record,code,name,type,legalBasis,departmentKind,levels,audience,themes,keywords,description,itemCode,regionCode,departmentUscc,localNotes',
      'item,XK01902,临时占用城市道路许可,administrative_license,《城市道路管理条例》,market_regulation,county,company,,,,,,,',
      'item,XK01903,"带逗号,的事项",bogus_type,《某法》,market_regulation,county,company,,,,,,,',
      'implementation,,,,,,,,,,,XK01902,330106,NOT-A-USCC,',
    ].join('\n')
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/import',
      payload: csv,
      headers: { ...as('systemAdmin'), 'content-type': 'text/csv' },
    })
    expect(response.statusCode).toBe(422)
    const body = response.json()
    expect(body.committed).toBe(false)
    expect(body.errors.map((e: { line: number }) => e.line)).toEqual([3, 4])
    expect(body.errors[0].errors[0]).toMatchObject({ path: '/type', code: 'enum' })
    expect(body.errors[1].errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['/name', '/departmentUscc']),
    )
    expect((await call('GET', '/api/v1/catalog/items/XK01902')).status).toBe(404)
  })

  it('exports what it imports, as JSON and CSV', async () => {
    expect((await call('GET', '/api/v1/catalog/export', 'marketAdmin')).status).toBe(403)
    const json = await call('GET', '/api/v1/catalog/export', 'systemAdmin')
    expect(json.body.items.map((i: { code: string }) => i.code)).toContain(item.code)
    const csv = await server.app.inject({
      method: 'GET',
      url: '/api/v1/catalog/export?format=csv',
      headers: as('systemAdmin'),
    })
    expect(csv.headers['content-type']).toContain('text/csv')
    const reimport = await server.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/import?dryRun=true',
      payload: csv.body,
      headers: { ...as('systemAdmin'), 'content-type': 'text/csv' },
    })
    expect(reimport.json()).toMatchObject({ ok: true, items: { updated: json.body.items.length } })
  })
})
