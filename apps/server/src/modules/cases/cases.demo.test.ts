import { DOMAIN_EVENTS } from '@tongban/contracts'
import type { TSchema } from 'typebox'
import { Value } from 'typebox/value'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Actor } from '../../platform/authz.ts'
import { createTestServer, type TestServer, useTestActors } from '../../testing/test-server.ts'
import { identityService } from '../identity/index.ts'
import { modules } from '../index.ts'
import { licensesService } from '../licenses/index.ts'
import { seedCasesDemo } from './cases.demo.ts'
import { DEMO_CASES } from './cases.demo-data.ts'
import { casesService } from './index.ts'

// The whole demo (every module's seed, as `npm start` loads it), then the cases it made, through HTTP.

let server: TestServer
let as: (name: string) => Record<string, string>
const ids: Record<string, string> = {}

beforeAll(async () => {
  server = await createTestServer({ modules, config: { demoSeed: true } })
  const identity = identityService(server.platform)
  const actors: Record<string, Actor> = {}
  const login = async (name: string, user: string, company?: string) => {
    const account = (await identity.findByLogin(user))!
    const companyId = company ? (await identity.findByLogin(company))!.id : undefined
    actors[name] = (await identity.actorFor(account.id, companyId))!
    ids[name] = account.id
  }
  await login('zhangWei', '13800000001')
  await login('liNa', '13800000002')
  await login('liNaForYunqi', '13800000002', '91330106MA2FGGT42K')
  await login('wangFang', '13800000003')
  for (const staff of [
    'xh.ga.reviewer',
    'xh.ga.clerk',
    'xh.sj.approver',
    'xh.sj.clerk',
    'bj.sj.clerk',
    'hz.rs.reviewer',
  ])
    await login(staff, staff)
  as = useTestActors(server, actors)
}, 300_000)
afterAll(() => server?.close())

const get = (url: string, who: string) => server.app.inject({ method: 'GET', url, headers: as(who) })
const demoRows = () =>
  server.platform.db
    .selectFrom('cases')
    .select(['id', 'case_no', 'status', 'item_name', 'applicant_name', 'parent_id', 'region_code'])
    .execute()

describe('demo cases', () => {
  it('are there in every state, for demo citizens and companies, across departments and regions', async () => {
    const rows = await demoRows()
    expect(rows).toHaveLength(DEMO_CASES.length)
    expect(new Set(rows.map((r) => r.status))).toEqual(
      new Set([
        'submitted',
        'pre_review',
        'accepted',
        'reviewed',
        'correction_requested',
        'suspended',
        'denied',
        'refused',
        'withdrawn',
        'completed',
        'delivered',
      ]),
    )
    expect(new Set(rows.map((r) => r.region_code))).toEqual(new Set(['330106', '330108', '330100', '330200']))
    expect(new Set(rows.map((r) => r.applicant_name))).toEqual(
      expect.objectContaining({ size: expect.any(Number) }),
    )
    expect(rows.map((r) => r.applicant_name)).toEqual(
      expect.arrayContaining([
        '张伟',
        '李娜',
        '王芳',
        '陈建国',
        '杭州云栖数字科技有限公司',
        '宁波港城贸易有限公司',
      ]),
    )
    const draft = (await get('/api/v1/case-drafts', 'zhangWei')).json()
    expect(draft.items).toHaveLength(1)
    expect(draft.items[0].formData).toMatchObject({ applicantName: '张伟', residence: expect.any(String) })
  })

  it('shows each applicant their own cases with real timelines', async () => {
    const mine = (await get('/api/v1/me/cases?limit=50', 'zhangWei')).json()
    expect(mine.items.map((c: { itemName: string }) => c.itemName).sort()).toEqual(
      ['个体工商户登记', '社会保障卡申领'].sort(),
    )
    const card = mine.items.find((c: { itemName: string }) => c.itemName === '社会保障卡申领')
    const view = (await get(`/api/v1/cases/${card.id}`, 'zhangWei')).json()
    expect(view.timeline.map((e: { type: string }) => e.type)).toEqual([
      'submitted',
      'accepted',
      'reviewed',
      'approved',
      'completed',
      'delivered',
    ])
    const times = view.timeline.map((e: { at: string }) => e.at)
    expect([...times].sort()).toEqual(times)
    expect(new Date(times[0]).getTime()).toBeLessThan(Date.now() - 5 * 86_400_000)
    expect(view.timeline[1].actor).toMatchObject({ kind: 'staff' })
    expect(view.timeline.at(-1).data).toMatchObject({ method: 'post' })
    // the materials are real uploads of the applicant, downloadable by them
    const material = view.materials[0]
    const file = await get(`/api/v1/cases/${card.id}/materials/${material.fileSha256}`, 'zhangWei')
    expect(file.statusCode).toBe(200)
    expect(file.headers['content-type']).toBe('application/pdf')
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-')

    const company = (await get('/api/v1/me/cases?limit=50', 'liNaForYunqi')).json()
    expect(company.items.map((c: { itemName: string }) => c.itemName)).toEqual(
      expect.arrayContaining(['企业变更登记', '食品经营许可']),
    )
  })

  it('puts one overdue (red) and one due tomorrow (yellow) in front of supervision', async () => {
    const supervision = (await get('/api/v1/supervision/cases', 'xh.ga.reviewer')).json()
    expect(supervision.counts).toMatchObject({ red: 1, yellow: 1 })
    const queue = (await get('/api/v1/tasks?limit=50', 'xh.ga.reviewer')).json()
    const levels = queue.items.map((t: { timeLimit: { level: string } }) => t.timeLimit.level).sort()
    expect(levels).toEqual(['red', 'yellow'])
    const red = queue.items.find((t: { timeLimit: { level: string } }) => t.timeLimit.level === 'red')
    expect(red.timeLimit.workingDaysLeft).toBe(-3)
    // the stopped clocks: the correction asked after acceptance, the suspension for an inspection
    const paused = (await get('/api/v1/supervision/cases?level=paused', 'hz.rs.reviewer')).json()
    expect(paused.items.map((c: { status: string }) => c.status)).toEqual(['correction_requested'])
  })

  it('waits in the queues of the departments that work them', async () => {
    // the window: a new application to accept, and a completed one to deliver (出件)
    const open = (await get('/api/v1/tasks?status=open&limit=50', 'xh.sj.clerk')).json()
    expect(
      open.items.map((t: { itemName: string; caseStatus: string }) => [t.itemName, t.caseStatus]),
    ).toEqual([
      ['企业变更登记', 'completed'],
      ['个体工商户登记', 'submitted'],
    ])
    const decide = (await get('/api/v1/tasks?limit=50', 'xh.sj.approver')).json()
    expect(decide.items.map((t: { itemName: string }) => t.itemName)).toEqual(['食品经营许可'])
    const search = (
      await get(`/api/v1/cases?applicant=${encodeURIComponent('杭州云栖')}`, 'xh.sj.clerk')
    ).json()
    expect(search.total).toBe(2)
  })

  it('issues the license of a completed case once the outbox is relayed', async () => {
    const change = (await demoRows()).find((r) => r.item_name === '企业变更登记')!
    const card = (await demoRows()).find((r) => r.item_name === '社会保障卡申领')!
    const licenseOf = (caseId: string) =>
      server.platform.db
        .selectFrom('licenses')
        .select(['type_code', 'holder_account_id', 'status'])
        .where('case_id', '=', caseId)
        .executeTakeFirst()
    // the subscriber works the queue itself right after delivering case.completed: while its pass holds a
    // request, this one skips it, so wait until every request is processed
    await vi.waitFor(
      async () => {
        while ((await server.platform.events.deliverPending()) > 0) {}
        await licensesService(server.platform).processIssueRequests()
        const pending = await server.platform.db
          .selectFrom('license_issue_requests')
          .select('case_id')
          .where('processed_at', 'is', null)
          .execute()
        expect(pending).toEqual([])
      },
      { timeout: 10_000, interval: 100 },
    )
    expect(await licenseOf(change.id)).toMatchObject({
      type_code: '11100000000010014P001',
      status: 'valid',
    })
    expect(await licenseOf(card.id)).toMatchObject({
      type_code: '111000000000100575001',
      holder_account_id: ids.zhangWei,
    })
  })

  it('publishes only events of the catalogue, each payload as the catalogue says', async () => {
    const rows = await server.platform.db.selectFrom('outbox').select(['topic', 'payload']).execute()
    const topics = new Set(rows.map((r) => r.topic))
    for (const topic of ['case.submitted', 'case.accepted', 'case.completed', 'license.issued'])
      expect(topics).toContain(topic)
    const catalogue: Record<string, TSchema> = DOMAIN_EVENTS
    const wrong = rows.filter((r) => !catalogue[r.topic] || !Value.Check(catalogue[r.topic]!, r.payload))
    expect(wrong.slice(0, 3)).toEqual([])
  })

  it('changes nothing when seeded again', async () => {
    const before = await demoRows()
    const service = casesService(server.platform)
    const again = await seedCasesDemo(
      server.platform,
      service.deps,
      {
        findAccount: async () => undefined,
        findCompany: async () => undefined,
        actorFor: async () => undefined,
      },
      { findImplementation: async () => undefined },
    )
    expect(again).toEqual({ cases: 0, drafts: 0 })
    const module = modules.find((m) => m.name === 'cases')!
    await module.seedDemo!(server.platform)
    expect(await demoRows()).toEqual(before)
    expect((await get('/api/v1/case-drafts', 'zhangWei')).json().items).toHaveLength(1)
  })
})
