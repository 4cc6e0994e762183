import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ISSUE_ON_COMPLETION, licensesService } from './index.ts'
import {
  BUSINESS_LICENSE,
  cases,
  companyUscc,
  completion,
  inject,
  market,
  rotateMarketKeys,
  server,
  startLicensesServer,
} from './licenses.testing.ts'

beforeAll(async () => {
  await startLicensesServer()
  await rotateMarketKeys()
})
afterAll(() => server?.close())

/** A case of the 营业执照 item (impl-bl, version 3) at the market regulator, filed by the agent for c-1. */
const marketCase = (id: string, formData: Record<string, unknown>) => ({
  id,
  applicantId: 'p-1',
  actingForId: 'c-1',
  departmentId: market.id,
  regionCode: '330106',
  implementationId: 'impl-bl',
  guideVersion: 3,
  formData,
})

describe('automatic issuance on case completion', () => {
  it('issues the license the guide promises, once, to the company the agent acted for', async () => {
    const caseId = '7d1f7f6e-0000-4000-8000-000000000002'
    cases.set(
      caseId,
      marketCase(caseId, {
        registeredCapital: 300,
        businessScope: '技术服务',
        companyAddress: '杭州市西湖区文三路 1 号',
      }),
    )
    const other = '7d1f7f6e-0000-4000-8000-000000000003'
    cases.set(other, { ...cases.get(caseId)!, id: other, implementationId: 'impl-close' })
    await server.platform.db.transaction().execute(async (trx) => {
      await server.platform.events.publish(trx, 'case.completed', completion(caseId), caseId)
      await server.platform.events.publish(trx, 'case.completed', completion(caseId), caseId)
      await server.platform.events.publish(trx, 'case.completed', completion(other), other)
    })
    await server.platform.events.deliverPending()
    // the relay's own pass and the subscriber's follow-up may hold the request: wait until both settle
    const issued = await vi.waitFor(
      async () => {
        await server.platform.events.deliverPending()
        const undelivered = await server.platform.db
          .selectFrom('outbox')
          .select('id')
          .where('aggregate_id', 'in', [caseId, other])
          .where('published_at', 'is', null)
          .execute()
        expect(undelivered).toHaveLength(0)
        await licensesService(server.platform).processIssueRequests()
        const pending = await server.platform.db
          .selectFrom('license_issue_requests')
          .select('case_id')
          .where('case_id', 'in', [caseId, other])
          .where('processed_at', 'is', null)
          .execute()
        expect(pending).toHaveLength(0)
        const rows = await server.platform.db
          .selectFrom('licenses')
          .selectAll()
          .where('case_id', 'in', [caseId, other])
          .execute()
        expect(rows).toHaveLength(1)
        return rows
      },
      { timeout: 10_000, interval: 100 },
    )
    expect(issued[0]).toMatchObject({ holder_account_id: 'c-1', type_code: BUSINESS_LICENSE })
    const view = (await inject('GET', `/api/v1/me/licenses/${issued[0]!.id}`, 'agent')).json()
    expect(view.fields).toMatchObject({
      companyName: '杭州西湖示例科技有限公司',
      uscc: companyUscc,
      registeredCapital: 300,
      address: '杭州市西湖区文三路 1 号',
    })
    const receipts = await server.platform.db
      .selectFrom('event_receipts')
      .selectAll()
      .where('consumer', '=', ISSUE_ON_COMPLETION)
      .execute()
    expect(receipts).toHaveLength(3)
  })

  it('issues nothing for a case denied and then completed, and finishes its request as not applicable', async () => {
    const caseId = '7d1f7f6e-0000-4000-8000-000000000004'
    cases.set(caseId, marketCase(caseId, { registeredCapital: 300, businessScope: '技术服务' }))
    await server.platform.db.transaction().execute(async (trx) => {
      await server.platform.events.publish(
        trx,
        'case.completed',
        { ...completion(caseId), decision: 'denied' },
        caseId,
      )
    })
    const request = await vi.waitFor(
      async () => {
        await server.platform.events.deliverPending()
        await licensesService(server.platform).processIssueRequests()
        const row = await server.platform.db
          .selectFrom('license_issue_requests')
          .selectAll()
          .where('case_id', '=', caseId)
          .executeTakeFirst()
        expect(row?.processed_at).not.toBeNull()
        return row
      },
      { timeout: 10_000, interval: 100 },
    )
    expect(request).toMatchObject({ outcome: 'not-applicable', license_id: null })
    expect(request?.last_error).toContain('not approved')
    const licenses = await server.platform.db
      .selectFrom('licenses')
      .select('id')
      .where('case_id', '=', caseId)
      .execute()
    expect(licenses).toEqual([])
  })
})
