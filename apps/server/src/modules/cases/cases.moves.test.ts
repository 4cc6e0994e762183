import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { apply, inject, move, moveOk, resetClock, server, startRoutesServer } from './cases.http.testing.ts'

// Each move and task action takes its own body: what a missing reason, legal basis, list of items,
// delivery method or tracking number answers, and what the API document says each move takes.

beforeAll(startRoutesServer)
afterAll(() => server?.close())
beforeEach(resetClock)

const errorsOf = (response: { json(): { errors?: unknown[] } }) => response.json().errors

describe('per-move bodies', () => {
  it('refuses a refusal without its reason and legal basis, each named with its own message', async () => {
    const { id } = await apply()
    const bare = await move(id, 'refuse', 'clerk')
    expect(bare.statusCode).toBe(400)
    expect(errorsOf(bare)).toEqual([
      {
        path: '/reason',
        code: 'required',
        message: { zh: '不予受理须说明理由', en: 'A refusal needs a reason' },
      },
      {
        path: '/legalBasis',
        code: 'required',
        message: { zh: '不予受理须写明法律依据', en: 'A refusal needs its legal basis' },
      },
    ])
  })

  it('needs a correction request to list at least one item', async () => {
    const { id } = await apply()
    expect(errorsOf(await move(id, 'requestCorrection', 'clerk'))).toEqual([
      {
        path: '/items',
        code: 'required',
        message: { zh: '须一次性告知全部需补正的材料和内容', en: 'List everything to correct, at once' },
      },
    ])
    const empty = await move(id, 'requestCorrection', 'clerk', { items: [] })
    expect(empty.statusCode).toBe(400)
    expect(errorsOf(empty)).toMatchObject([{ path: '/items', code: 'minItems' }])
  })

  it('delivers by a method, and by post only with the tracking number', async () => {
    const { id } = await apply()
    for (const [step, who] of [
      ['accept', 'clerk'],
      ['review', 'reviewer'],
      ['approve', 'approver'],
      ['complete', 'approver'],
    ] as const)
      await moveOk(id, step, who)
    expect(errorsOf(await move(id, 'deliver', 'clerk'))).toEqual([
      {
        path: '/method',
        code: 'required',
        message: { zh: '请选择出件方式', en: 'Choose how the result is delivered' },
      },
    ])
    expect(errorsOf(await move(id, 'deliver', 'clerk', { method: 'post' }))).toEqual([
      {
        path: '/trackingNumber',
        code: 'required',
        message: { zh: '邮寄须填写运单号', en: 'Delivery by post needs a tracking number' },
      },
    ])
    expect(errorsOf(await move(id, 'deliver', 'clerk', { method: 'fax' }))).toMatchObject([
      { path: '/method', code: 'enum' },
    ])
    // what a method does not take is not taken
    const extra = await move(id, 'deliver', 'clerk', { method: 'window_pickup', trackingNumber: 'SF1' })
    expect(errorsOf(extra)).toMatchObject([{ path: '/trackingNumber', code: 'additionalProperties' }])
    const delivered = await moveOk(id, 'deliver', 'clerk', { method: 'window_pickup' })
    expect(delivered.timeline.at(-1).data).toEqual({ method: 'window_pickup' })
  })

  it('suspends and denies only with a reason', async () => {
    const { id } = await apply()
    await moveOk(id, 'accept', 'clerk')
    expect(errorsOf(await move(id, 'suspend', 'reviewer'))).toEqual([
      {
        path: '/reason',
        code: 'required',
        message: {
          zh: '中止须说明理由（如现场核查、听证）',
          en: 'A suspension needs a reason (e.g. inspection, hearing)',
        },
      },
    ])
    await moveOk(id, 'review', 'reviewer')
    expect(errorsOf(await move(id, 'deny', 'approver'))).toEqual([
      {
        path: '/reason',
        code: 'required',
        message: { zh: '不予许可须说明理由', en: 'A denial needs a reason' },
      },
    ])
  })

  it('hands a task over only to a named colleague', async () => {
    const { caseNo } = await apply()
    const task = (await inject('GET', '/api/v1/tasks?status=open&limit=200', 'clerk'))
      .json()
      .items.find((t: { caseNo: string }) => t.caseNo === caseNo)
    const response = await inject('POST', `/api/v1/tasks/${task.id}/hand-over`, 'clerk', {
      version: task.version,
    })
    expect(errorsOf(response)).toEqual([
      { path: '/to', code: 'required', message: { zh: '请指定接收人', en: 'Name the colleague' } },
    ])
  })

  it('keeps the applicant’s moves to applicants and the staff moves to staff (403)', async () => {
    const { id } = await apply()
    expect((await move(id, 'withdraw', 'clerk')).statusCode).toBe(403)
    expect((await move(id, 'accept', 'citizen')).statusCode).toBe(403)
    expect((await inject('POST', `/api/v1/cases/${id}/teleport`, 'clerk', { version: 1 })).statusCode).toBe(
      404,
    )
  })
})

describe('the OpenAPI document', () => {
  it('says what each move takes', async () => {
    const doc = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    const body = (move: string) =>
      doc.paths[`/api/v1/cases/{id}/${move}`].post.requestBody.content['application/json'].schema
    expect(body('refuse').required.sort()).toEqual(['legalBasis', 'reason', 'version'])
    expect(body('accept').required).toEqual(['version'])
    expect(body('requestCorrection').properties.items.minItems).toBe(1)
    expect(body('deliver').discriminator).toEqual({ propertyName: 'method' })
    expect(body('deliver').oneOf).toHaveLength(3)
    expect(doc.paths['/api/v1/cases/{id}/{move}']).toBeUndefined()
  })
})
