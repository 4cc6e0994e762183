import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  auditActions,
  clock,
  count,
  get,
  identity,
  idOf,
  MONDAY,
  nextIdNumber,
  nextPhone,
  nextUscc,
  server,
  startWalkInServer,
  walkIn,
  walkInBody,
} from './cases.walk-in.testing.ts'

// 一窗受理 through HTTP: a company and its agent, idempotency, who may file.

beforeAll(startWalkInServer, 120_000)
afterAll(() => server?.close())
beforeEach(() => clock.set(MONDAY))

describe('POST /api/v1/walk-ins: a company', () => {
  it('opens the company and its new agent, and files like an online agent filing, without an agent authorization', async () => {
    const uscc = nextUscc()
    const agentId = nextIdNumber()
    const response = await walkIn(
      walkInBody({
        applicant: {
          kind: 'company',
          uscc,
          name: '杭州窗口测试有限公司',
          agent: { name: '陈经办', idNumber: agentId, phone: nextPhone() },
        },
      }),
    )
    expect(response.statusCode, response.body).toBe(201)
    const receipt = response.json()
    expect(receipt.applicant).toEqual({
      kind: 'company',
      name: '杭州窗口测试有限公司',
      maskedId: `${uscc.slice(0, 3)}***********${uscc.slice(-4)}`,
      agent: {
        name: '陈经办',
        maskedId: `${agentId.slice(0, 3)}***********${agentId.slice(-4)}`,
        accountCreated: true,
      },
      accountCreated: true,
    })
    const company = (await identity().findByLogin(uscc))!
    const agent = (await identity().findByLogin(agentId))!
    expect(company).toMatchObject({
      kind: 'company',
      realname_level: 3,
      realname_method: 'counter',
      password_hash: null,
      legal_representative_id: null,
    })
    expect(agent).toMatchObject({ kind: 'person', realname_level: 3, password_hash: null })
    const view = (await get(`/api/v1/cases/${receipt.id}`, 'clerk')).json()
    expect(view).toMatchObject({ applicantId: agent.id, actingForId: company.id, channel: 'window' })
    const row = await server.platform.db
      .selectFrom('cases')
      .select(['applicant_name', 'applicant_kind'])
      .where('id', '=', receipt.id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ applicant_name: '杭州窗口测试有限公司', applicant_kind: 'company' })
    // the paper 授权委托书 at the window does not let the agent act for the company online
    expect(await identity().companiesActedFor(agent.id)).toEqual([])
    // the agent sees it among their cases
    const mine = (await get('/api/v1/me/cases', agent.id)).json()
    expect(mine.items.map((c: { id: string }) => c.id)).toContain(receipt.id)
    expect(await auditActions(company.id)).toContain('account.open-at-counter')
    expect(await auditActions(agent.id)).toContain('account.open-at-counter')
  })

  it('refuses an invalid credit code and a company name that does not match the existing company', async () => {
    const bad = await walkIn(
      walkInBody({
        applicant: {
          kind: 'company',
          uscc: '91330106MA2FGGT42X',
          name: '杭州某某有限公司',
          agent: { name: '陈经办', idNumber: nextIdNumber() },
        },
      }),
    )
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(['/applicant/uscc'])

    const uscc = nextUscc()
    const first = await walkIn(
      walkInBody({
        applicant: {
          kind: 'company',
          uscc,
          name: '杭州真名有限公司',
          agent: { name: '褚经办', idNumber: nextIdNumber(), phone: nextPhone() },
        },
      }),
    )
    expect(first.statusCode, first.body).toBe(201)
    const accounts = await count('accounts')
    const second = await walkIn(
      walkInBody({
        applicant: {
          kind: 'company',
          uscc,
          name: '杭州别名有限公司',
          agent: { name: '卫经办', idNumber: nextIdNumber(), phone: nextPhone() },
        },
      }),
    )
    expect(second.statusCode).toBe(400)
    expect(second.json().errors).toEqual([
      expect.objectContaining({ path: '/applicant/name', code: 'mismatch' }),
    ])
    expect(await count('accounts')).toBe(accounts)
  })
})

describe('POST /api/v1/walk-ins: idempotency', () => {
  it('answers a retry with the same receipt and never files a second case or opens a second account', async () => {
    const body = walkInBody()
    const { idNumber } = body.applicant as { idNumber: string }
    const [cases, accounts] = [await count('cases'), await count('accounts')]
    const first = await walkIn(body, 'clerk', 'walk-in-retry-1')
    expect(first.statusCode, first.body).toBe(201)
    const again = await walkIn(body, 'clerk', 'walk-in-retry-1')
    expect(again.statusCode).toBe(201)
    expect(again.json()).toEqual(first.json())
    expect([await count('cases'), await count('accounts')]).toEqual([cases + 1, accounts + 1])
    const applicantId = (await identity().findByLogin(idNumber))!.id
    const filed = await server.platform.db
      .selectFrom('cases')
      .select('id')
      .where('applicant_id', '=', applicantId)
      .execute()
    expect(filed).toEqual([{ id: first.json().id }])

    // the same key for a different application
    const other = await walkIn({ ...body, accept: false }, 'clerk', 'walk-in-retry-1')
    expect(other.statusCode).toBe(409)
  })

  it('answers concurrent requests with the same key alike, with one case and one account', async () => {
    const body = walkInBody()
    const { idNumber } = body.applicant as { idNumber: string }
    const [cases, accounts] = [await count('cases'), await count('accounts')]
    const answers = await Promise.all([1, 2, 3].map(() => walkIn(body, 'clerk', 'walk-in-race-1')))
    for (const answer of answers) expect(answer.statusCode, answer.body).toBe(201)
    expect(new Set(answers.map((a) => a.json().caseNo)).size).toBe(1)
    expect([await count('cases'), await count('accounts')]).toEqual([cases + 1, accounts + 1])
    expect(await identity().findByLogin(idNumber)).toBeDefined()
  })
})

describe('POST /api/v1/walk-ins: who may', () => {
  it('refuses citizens, reviewers and clerks of another department (403, audited)', async () => {
    const [cases, accounts] = [await count('cases'), await count('accounts')]
    for (const who of ['citizen', 'reviewer', 'psClerk']) {
      const response = await walkIn(walkInBody(), who)
      expect(response.statusCode, who).toBe(403)
    }
    expect((await walkIn(walkInBody(), '')).statusCode).toBe(401)
    expect([await count('cases'), await count('accounts')]).toEqual([cases, accounts])
    const denied = await server.platform.db
      .selectFrom('audit_log')
      .select(['actor_id'])
      .where('action', '=', 'route.denied')
      .where('resource_id', '=', 'POST /api/v1/walk-ins')
      .execute()
    const ids = ['citizen', 'reviewer', 'psClerk'].map(idOf)
    expect(denied.map((d) => d.actor_id)).toEqual(expect.arrayContaining(ids))
  })

  it('lets the clerk of the other department take that department’s items', async () => {
    const response = await walkIn(walkInBody({ implementationId: 'impl-ps', materials: [] }), 'psClerk')
    expect(response.statusCode, response.body).toBe(201)
    expect(response.json()).toMatchObject({ departmentName: '杭州市公安局西湖区分局', status: 'accepted' })
  })
})
