import { buildIdNumber } from '@tongban/standards'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FixedClock } from '../../platform/clock.ts'
import { createTestServer, type TestServer, useTestActors } from '../../testing/test-server.ts'
import { buildGuide, caseActors, FakeCatalog, fakeStaffDirectory } from './cases.testing.ts'
import { casesService, createCasesModule } from './index.ts'

const actors = caseActors()
const catalog = new FakeCatalog([buildGuide({ materials: [] })])
const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'))
const idNumber = buildIdNumber({ regionCode: '330106', birthDate: '1990-05-17' })
const phone = '13912345678'

let server: TestServer
let as: (name: string) => Record<string, string>
let keyCounter = 0

beforeAll(async () => {
  server = await createTestServer({
    clock,
    modules: [createCasesModule({ catalog: () => catalog, staff: () => fakeStaffDirectory(actors) })],
  })
  as = useTestActors(server, actors)
}, 180_000)
afterAll(() => server?.close())

const inject = (method: 'GET' | 'POST' | 'PUT', url: string, who: string, payload?: object) =>
  server.app.inject({ method, url, headers: as(who), ...(payload ? { payload } : {}) })

async function apply(formData: Record<string, unknown>) {
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/v1/cases',
    headers: { ...as('citizen'), 'idempotency-key': `encryption-test-${++keyCounter}` },
    payload: { implementationId: 'impl-business-license', formData, materials: [], declaration: true },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json() as { id: string; caseNo: string }
}

/** Every row of a table as text, to look for a value anywhere in it. */
async function tableText(table: string): Promise<string> {
  const { rows } = await sql<{ t: string }>`SELECT t::text AS t FROM ${sql.table(table)} t`.execute(
    server.platform.db,
  )
  return rows.map((r) => r.t).join('\n')
}

describe('form data at rest', () => {
  it('is stored encrypted: no table holds the ID number or phone in clear', async () => {
    const submitted = await apply({ name: '张三', phone, applicantIdNumber: idNumber })
    const row = await server.platform.db
      .selectFrom('cases')
      .select(['form_data', 'form_data_enc'])
      .where('id', '=', submitted.id)
      .executeTakeFirstOrThrow()
    expect(row.form_data).toBeNull()
    expect(row.form_data_enc).toMatch(/^sm4\.1\./)
    for (const table of ['cases', 'case_events', 'idempotency_keys', 'outbox', 'audit_log']) {
      const text = await tableText(table)
      expect(text, table).not.toContain(idNumber)
      expect(text, table).not.toContain(phone)
    }
  })

  it('is shown in clear to the applicant and to staff of the department, to nobody else', async () => {
    const submitted = await apply({ name: '张三', phone, applicantIdNumber: idNumber })
    for (const who of ['citizen', 'clerk']) {
      const view = await inject('GET', `/api/v1/cases/${submitted.id}`, who)
      expect(view.statusCode, who).toBe(200)
      expect(view.json().formData).toEqual({ name: '张三', phone, applicantIdNumber: idNumber })
    }
    expect((await inject('GET', `/api/v1/cases/${submitted.id}`, 'otherCitizen')).statusCode).toBe(404)
    expect((await inject('GET', `/api/v1/cases/${submitted.id}`, 'binjiangClerk')).statusCode).toBe(404)
    // staff search lists the case without its form data
    const search = await inject('GET', `/api/v1/cases?caseNo=${submitted.caseNo}`, 'clerk')
    expect(search.json().items).toHaveLength(1)
    expect(search.body).not.toContain(idNumber)
    // a move answers with the form data in clear, still encrypted at rest
    const accepted = await inject('POST', `/api/v1/cases/${submitted.id}/accept`, 'clerk', { version: 1 })
    expect(accepted.statusCode).toBe(200)
    expect(accepted.json().formData.applicantIdNumber).toBe(idNumber)
    expect(await tableText('cases')).not.toContain(idNumber)
  })

  it('encrypts a corrected form on resubmission', async () => {
    const submitted = await apply({ name: '张三', phone })
    const asked = await inject('POST', `/api/v1/cases/${submitted.id}/requestCorrection`, 'clerk', {
      version: 1,
      items: [{ kind: 'field', key: 'applicantIdNumber', problem: 'missing' }],
    })
    expect(asked.statusCode).toBe(200)
    const resubmitted = await inject('POST', `/api/v1/cases/${submitted.id}/resubmit`, 'citizen', {
      version: 2,
      formData: { name: '张三', phone, applicantIdNumber: idNumber },
    })
    expect(resubmitted.statusCode).toBe(200)
    expect(resubmitted.json().formData.applicantIdNumber).toBe(idNumber)
    const view = await inject('GET', `/api/v1/cases/${submitted.id}`, 'clerk')
    expect(view.json().formData.applicantIdNumber).toBe(idNumber)
    expect(await tableText('cases')).not.toContain(idNumber)
  })

  it('keeps drafts encrypted, and shows them in clear to their owner only', async () => {
    const saved = await inject('POST', '/api/v1/case-drafts', 'citizen', {
      implementationId: 'impl-business-license',
      formData: { name: '张三', applicantIdNumber: idNumber },
      materials: [],
    })
    expect(saved.statusCode).toBe(201)
    const draft = saved.json()
    expect(draft.formData.applicantIdNumber).toBe(idNumber)
    const updated = await inject('PUT', `/api/v1/case-drafts/${draft.id}`, 'citizen', {
      implementationId: 'impl-business-license',
      formData: { name: '张三', applicantIdNumber: idNumber, phone },
      materials: [],
      version: draft.version,
    })
    expect(updated.statusCode).toBe(200)
    expect((await inject('GET', `/api/v1/case-drafts/${draft.id}`, 'citizen')).json().formData).toEqual({
      name: '张三',
      applicantIdNumber: idNumber,
      phone,
    })
    const list = (await inject('GET', '/api/v1/case-drafts', 'citizen')).json()
    expect(list.items.find((d: { id: string }) => d.id === draft.id).formData.phone).toBe(phone)
    expect((await inject('GET', `/api/v1/case-drafts/${draft.id}`, 'otherCitizen')).statusCode).toBe(404)
    const text = await tableText('case_drafts')
    expect(text).not.toContain(idNumber)
    expect(text).not.toContain(phone)
  })

  it('encrypts rows stored in clear before encryption, and reads them meanwhile', async () => {
    const submitted = await apply({ name: '王五' })
    const { id: draftId } = (
      await inject('POST', '/api/v1/case-drafts', 'citizen', {
        implementationId: 'impl-business-license',
        formData: { name: '王五' },
        materials: [],
      })
    ).json()
    const legacy = { name: '王五', applicantIdNumber: idNumber }
    // rows as they were before the migration: plaintext JSON, nothing encrypted
    for (const [table, id] of [
      ['cases', submitted.id],
      ['case_drafts', draftId],
    ] as const)
      await sql`UPDATE ${sql.table(table)} SET form_data = ${JSON.stringify(legacy)}::jsonb, form_data_enc = NULL
        WHERE id = ${id}`.execute(server.platform.db)
    expect((await inject('GET', `/api/v1/cases/${submitted.id}`, 'citizen')).json().formData).toEqual(legacy)
    expect(await tableText('cases')).toContain(idNumber)

    expect(await casesService(server.platform).encryptPlaintextFormData(1)).toBe(2)
    expect(await tableText('cases')).not.toContain(idNumber)
    expect(await tableText('case_drafts')).not.toContain(idNumber)
    expect((await inject('GET', `/api/v1/cases/${submitted.id}`, 'citizen')).json().formData).toEqual(legacy)
    expect((await inject('GET', `/api/v1/case-drafts/${draftId}`, 'citizen')).json().formData).toEqual(legacy)
    expect(await casesService(server.platform).encryptPlaintextFormData()).toBe(0)
  })
})
