import { buildUscc } from '@tongban/standards'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestServer, type TestServer, useTestActors } from '../../testing/test-server.ts'
import { orgModule } from './index.ts'

let server: TestServer
let as: (name: string) => Record<string, string>

beforeAll(async () => {
  server = await createTestServer({ modules: [orgModule] })
  as = useTestActors(server, {
    provinceAdmin: {
      kind: 'staff',
      accountId: 's-1',
      name: '省系统管理员',
      roles: [{ role: 'system_admin', departmentId: null, regionCode: '330000' }],
      realNameLevel: 3,
    },
    hangzhouAdmin: {
      kind: 'staff',
      accountId: 's-2',
      name: '杭州系统管理员',
      roles: [{ role: 'system_admin', departmentId: null, regionCode: '330100' }],
      realNameLevel: 3,
    },
    clerk: {
      kind: 'staff',
      accountId: 's-3',
      name: '窗口人员',
      roles: [{ role: 'window_clerk', departmentId: null, regionCode: '330106' }],
      realNameLevel: 3,
    },
    citizen: { kind: 'person', accountId: 'p-1', name: '张三', roles: [], realNameLevel: 2 },
  })
})
afterAll(() => server?.close())

const department = (overrides: Record<string, unknown> = {}) => ({
  name: '杭州市西湖区市场监督管理局',
  shortName: '西湖区市场监管局',
  kind: 'market_regulation',
  regionCode: '330106',
  uscc: buildUscc({
    registrationAuthority: '1',
    entityType: '1',
    regionCode: '330106',
    organizationCode: 1001,
  }),
  ...overrides,
})

describe('regions', () => {
  it('shows a county with its ancestors, nearest first', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/regions/330106' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({
      region: { code: '330106', name: '西湖区', level: 'county', parentCode: '330100' },
      path: [
        { code: '330100', name: '杭州市', level: 'prefecture', parentCode: '330000' },
        { code: '330000', name: '浙江省', level: 'province', parentCode: null },
      ],
    })
  })

  it('lists the counties of a city', async () => {
    const { items } = (
      await server.app.inject({ method: 'GET', url: '/api/v1/regions/330100/children' })
    ).json()
    expect(items.map((r: { name: string }) => r.name)).toEqual(
      expect.arrayContaining(['上城区', '西湖区', '滨江区', '余杭区']),
    )
  })

  it('answers 404 for an unknown code and 400 for a malformed one', async () => {
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/regions/999999' })).statusCode).toBe(404)
    const bad = await server.app.inject({ method: 'GET', url: '/api/v1/regions/33A106' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0].path).toBe('/params/code')
  })

  it('lets a system admin add a township and a village below it, and no one else', async () => {
    const township = { code: '330106001000', name: '北山街道', parentCode: '330106' }
    expect(
      (
        await server.app.inject({
          method: 'POST',
          url: '/api/v1/regions',
          payload: township,
          headers: as('clerk'),
        })
      ).statusCode,
    ).toBe(403)
    expect(
      (
        await server.app.inject({
          method: 'POST',
          url: '/api/v1/regions',
          payload: township,
          headers: as('hangzhouAdmin'),
        })
      ).statusCode,
    ).toBe(201)
    const village = { code: '330106001001', name: '保俶塔社区', parentCode: '330106001000' }
    expect(
      (
        await server.app.inject({
          method: 'POST',
          url: '/api/v1/regions',
          payload: village,
          headers: as('hangzhouAdmin'),
        })
      ).statusCode,
    ).toBe(201)
    const path = (await server.app.inject({ method: 'GET', url: '/api/v1/regions/330106001001' })).json().path
    expect(path.map((r: { code: string }) => r.code)).toEqual(['330106001000', '330106', '330100', '330000'])
    const misplaced = await server.app.inject({
      method: 'POST',
      url: '/api/v1/regions',
      payload: { code: '330108002000', name: '错位街道', parentCode: '330106' },
      headers: as('hangzhouAdmin'),
    })
    expect(misplaced.statusCode).toBe(400)
    expect(misplaced.json().errors[0].path).toBe('/parentCode')
  })
})

describe('departments', () => {
  it('is created by a system admin of the region, audited', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      payload: department(),
      headers: as('hangzhouAdmin'),
    })
    expect(response.statusCode).toBe(201)
    const created = response.json()
    expect(created).toMatchObject({
      name: '杭州市西湖区市场监督管理局',
      kindName: { zh: '市场监管' },
      regionName: '西湖区',
      version: 1,
    })
    const [entry] = await server.platform.audit.list({
      resourceType: 'department',
      resourceId: created.id,
      limit: 1,
    })
    expect(entry).toMatchObject({ action: 'department.create', actorId: 's-2', outcome: 'success' })
  })

  it('refuses citizens, staff without the role and admins of another region — each refusal audited', async () => {
    for (const [who, status] of [
      ['citizen', 403],
      ['clerk', 403],
    ] as const) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/v1/departments',
        payload: department({ name: '某部门' }),
        headers: as(who),
      })
      expect(response.statusCode).toBe(status)
    }
    const ningbo = department({
      regionCode: '330212',
      name: '宁波某局',
      uscc: buildUscc({
        registrationAuthority: '1',
        entityType: '1',
        regionCode: '330212',
        organizationCode: 7,
      }),
    })
    expect(
      (
        await server.app.inject({
          method: 'POST',
          url: '/api/v1/departments',
          payload: ningbo,
          headers: as('hangzhouAdmin'),
        })
      ).statusCode,
    ).toBe(403)
    const denied = await server.platform.audit.list({ action: 'route.denied', limit: 10 })
    expect(denied.map((e) => e.actorId)).toEqual(expect.arrayContaining(['p-1', 's-3', 's-2']))
    expect(
      (
        await server.app.inject({
          method: 'POST',
          url: '/api/v1/departments',
          payload: department(),
          headers: {},
        })
      ).statusCode,
    ).toBe(401)
  })

  it('rejects an invalid credit code naming the problem, and a duplicate one', async () => {
    const uscc = buildUscc({
      registrationAuthority: '1',
      entityType: '1',
      regionCode: '330106',
      organizationCode: 2002,
    })
    const broken = `${uscc.slice(0, 17)}${uscc[17] === '0' ? '1' : '0'}`
    const bad = await server.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      payload: department({ name: '新部门', uscc: broken }),
      headers: as('provinceAdmin'),
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0]).toMatchObject({ path: '/uscc' })
    const duplicate = await server.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      payload: department({ name: '另一个部门' }),
      headers: as('provinceAdmin'),
    })
    expect(duplicate.statusCode).toBe(409)
    expect(duplicate.json().errors[0].path).toBe('/uscc')
  })

  it('lists by region subtree and kind', async () => {
    const result = (
      await server.app.inject({
        method: 'GET',
        url: '/api/v1/departments?region=330100&within=true&kind=market_regulation',
      })
    ).json()
    expect(result.total).toBe(1)
    expect(
      (await server.app.inject({ method: 'GET', url: '/api/v1/departments?region=330100' })).json().total,
    ).toBe(0)
  })

  it('updates with optimistic concurrency: the second writer of a version gets 409', async () => {
    const { items } = (
      await server.app.inject({ method: 'GET', url: '/api/v1/departments?q=西湖区市场' })
    ).json()
    const id = items[0].id
    const first = await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/departments/${id}`,
      payload: { version: 1, phone: '0571-87966001' },
      headers: as('hangzhouAdmin'),
    })
    expect(first.statusCode).toBe(200)
    expect(first.json().version).toBe(2)
    const second = await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/departments/${id}`,
      payload: { version: 1, phone: '0571-1' },
      headers: as('hangzhouAdmin'),
    })
    expect(second.statusCode).toBe(409)
    expect(second.json().code).toBe('stale-version')
  })
})
