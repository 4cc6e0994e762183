import { deflateRawSync } from 'node:zlib'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  application,
  apply,
  catalog,
  drainNotifications,
  gateway,
  inject,
  moveOk,
  multipart,
  PDF,
  png,
  resetClock,
  sent,
  server,
  startRoutesServer,
  upload,
} from './cases.http.testing.ts'
import { casesService } from './index.ts'

// Applying (uploads, submissions, drafts) and following a case (progress, my cases, notifications), through HTTP.

beforeAll(startRoutesServer)
afterAll(() => server?.close())
beforeEach(resetClock)

describe('uploads', () => {
  it('stores documents and photos by content', async () => {
    const response = await upload('citizen', '营业执照 副本.pdf', PDF)
    expect(response.statusCode).toBe(201)
    expect(response.json()).toMatchObject({
      mediaType: 'application/pdf',
      name: '营业执照 副本.pdf',
      sizeBytes: PDF.length,
    })
    expect(png).toMatch(/^[0-9a-f]{64}$/)
  })

  it('rejects a forbidden type by its content, whatever its name says', async () => {
    const exe = await upload(
      'citizen',
      'scan.pdf',
      Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]),
    )
    expect(exe.statusCode).toBe(415)
    const html = await upload('citizen', 'scan.pdf', Buffer.from('<html><script>alert(1)</script></html>'))
    expect(html.statusCode).toBe(415)
  })

  it('rejects zip bombs without unpacking them: archives are not an accepted type at all', async () => {
    // 10 MB of zeros deflated to ~10 KB inside a zip: the store sniffs the first bytes and refuses it
    const zeros = deflateRawSync(Buffer.alloc(10 * 1024 * 1024))
    const header = Buffer.alloc(30)
    header.writeUInt32LE(0x04034b50, 0)
    header.writeUInt16LE(20, 4)
    header.writeUInt16LE(8, 8)
    header.writeUInt32LE(zeros.length, 18)
    header.writeUInt32LE(10 * 1024 * 1024, 22)
    header.writeUInt16LE(8, 26)
    const bomb = Buffer.concat([header, Buffer.from('zero.bin'), zeros])
    const response = await upload('citizen', 'materials.zip', bomb)
    expect(response.statusCode).toBe(415)
    expect(response.json().detail).toContain('zip')
  })

  it('rejects path traversal names', async () => {
    for (const name of ['../../etc/passwd.pdf', '..\\..\\boot.pdf', '/etc/x.pdf', '.hidden.pdf']) {
      const response = await upload('citizen', name, PDF)
      expect(response.statusCode, name).toBe(400)
      expect(response.json().errors[0].path).toBe('/file/name')
    }
  })

  it('rejects files over the upload limit', async () => {
    const limit = server.platform.config.uploadLimit
    const big = Buffer.concat([PDF, Buffer.alloc(limit, 0x20)])
    const response = await upload('citizen', 'big.pdf', big)
    expect(response.statusCode).toBe(413)
  })

  it('requires a login', async () => {
    const { payload, headers } = multipart('a.pdf', PDF)
    expect(
      (await server.app.inject({ method: 'POST', url: '/api/v1/uploads', payload, headers })).statusCode,
    ).toBe(401)
  })
})

describe('applying', () => {
  it('answers 201 with the case number and the query code, shown once', async () => {
    const submitted = await apply()
    expect(submitted.caseNo).toMatch(/^330106-20260302-\d{6}-[0-9X]$/)
    expect(submitted.queryCode).toMatch(/^[A-Z2-9]{8}$/)
    const view = (await inject('GET', `/api/v1/cases/${submitted.id}`, 'citizen')).json()
    expect(view).toMatchObject({ status: 'submitted', version: 1, itemName: '个体工商户注册登记' })
    expect(JSON.stringify(view)).not.toContain(submitted.queryCode)
    expect(view.timeline).toHaveLength(1)
    expect(view.materials.map((m: { key: string }) => m.key)).toEqual(['id-card', 'premises'])
    expect(catalog.applications).toContain('impl-business-license')
  })

  it('returns the original answer for a retried Idempotency-Key, and 409 for the same key with another body', async () => {
    const headers = { 'idempotency-key': 'retry-me-0001' }
    const first = await inject('POST', '/api/v1/cases', 'citizen', application(), headers)
    const again = await inject('POST', '/api/v1/cases', 'citizen', application(), headers)
    expect(first.statusCode).toBe(201)
    expect(again.statusCode).toBe(201)
    expect(again.json()).toEqual(first.json())
    const count = await server.platform.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('case_no', '=', first.json().caseNo)
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(1)
    const other = await inject(
      'POST',
      '/api/v1/cases',
      'citizen',
      application({ formData: { name: '张三丰' } }),
      headers,
    )
    expect(other.statusCode).toBe(409)
    // keys belong to their account: another applicant may use the same key
    expect(
      (await inject('POST', '/api/v1/cases', 'otherCitizen', application({}, 'otherCitizen'), headers))
        .statusCode,
    ).toBe(201)
  })

  it('gives concurrent submissions distinct, valid case numbers; concurrent retries of one key make one case', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        inject('POST', '/api/v1/cases', 'citizen', application(), {
          'idempotency-key': `burst-${i % 6}-xxxxxx`,
        }),
      ),
    )
    expect(results.map((r) => r.statusCode)).toEqual(Array(12).fill(201))
    const numbers = new Set(results.map((r) => r.json().caseNo))
    expect(numbers.size).toBe(6)
  })

  it('requires the Idempotency-Key header', async () => {
    const response = await inject('POST', '/api/v1/cases', 'citizen', application())
    expect(response.statusCode).toBe(400)
    expect(response.json().errors[0].path).toBe('/headers/idempotency-key')
  })

  it('answers 400 with every field error at once: form, materials, declaration', async () => {
    const response = await inject(
      'POST',
      '/api/v1/cases',
      'citizen',
      application({
        formData: { phone: '123' },
        materials: [{ key: 'premises', licenseGrantId: 'grant-2', name: '租赁合同' }],
      }),
      { 'idempotency-key': 'bad-form-0001' },
    )
    expect(response.statusCode).toBe(400)
    const paths = response.json().errors.map((e: { path: string }) => e.path)
    expect(paths).toEqual(
      expect.arrayContaining(['/formData/name', '/formData/phone', '/materials', '/materials/0']),
    )
    const undeclared = await inject('POST', '/api/v1/cases', 'citizen', application({ declaration: false }), {
      'idempotency-key': 'bad-form-0002',
    })
    expect(undeclared.json().errors[0].path).toBe('/declaration')
    const unknown = await inject(
      'POST',
      '/api/v1/cases',
      'citizen',
      application({ implementationId: 'nope' }),
      {
        'idempotency-key': 'bad-form-0003',
      },
    )
    expect(unknown.statusCode).toBe(400)
  })

  it('is for applicants only', async () => {
    expect(
      (await inject('POST', '/api/v1/cases', 'clerk', application(), { 'idempotency-key': 'staff-0001' }))
        .statusCode,
    ).toBe(403)
    expect(
      (await inject('POST', '/api/v1/cases', undefined, application(), { 'idempotency-key': 'anon-0001' }))
        .statusCode,
    ).toBe(401)
  })

  it('lets an agent file for the company; the company and the agent both see it', async () => {
    const submitted = await apply('agent')
    const view = (await inject('GET', `/api/v1/cases/${submitted.id}`, 'company')).json()
    expect(view).toMatchObject({ applicantId: 'p-3', actingForId: 'c-1' })
    const mine = (await inject('GET', '/api/v1/me/cases', 'company')).json()
    expect(mine.items.map((c: { id: string }) => c.id)).toContain(submitted.id)
  })

  it('saves, resumes and submits a draft', async () => {
    const created = await inject('POST', '/api/v1/case-drafts', 'citizen', {
      implementationId: 'impl-business-license',
      formData: { name: '张' },
      materials: [],
    })
    expect(created.statusCode).toBe(201)
    const draft = created.json()
    const updated = await inject('PUT', `/api/v1/case-drafts/${draft.id}`, 'citizen', {
      implementationId: 'impl-business-license',
      formData: { name: '张三' },
      materials: [],
      version: 1,
    })
    expect(updated.json()).toMatchObject({ version: 2, formData: { name: '张三' } })
    expect((await inject('GET', `/api/v1/case-drafts/${draft.id}`, 'otherCitizen')).statusCode).toBe(404)
    const stale = await inject('PUT', `/api/v1/case-drafts/${draft.id}`, 'citizen', {
      formData: {},
      materials: [],
      version: 1,
    })
    expect(stale.statusCode).toBe(409)
    await apply('citizen', application({ draftId: draft.id }))
    expect((await inject('GET', `/api/v1/case-drafts/${draft.id}`, 'citizen')).statusCode).toBe(404)
  })
})

describe('progress', () => {
  it('shows status and milestones to whoever has the number and code, nothing personal; 404 otherwise', async () => {
    const { id, caseNo, queryCode } = await apply()
    await moveOk(id, 'accept', 'clerk', { comment: '张三的材料齐全' })
    const response = await inject('POST', '/api/v1/progress', undefined, { caseNo, queryCode })
    expect(response.statusCode).toBe(200)
    const progress = response.json()
    expect(progress).toMatchObject({
      caseNo,
      status: 'accepted',
      milestones: [{ type: 'submitted' }, { type: 'accepted' }],
    })
    expect(JSON.stringify(progress)).not.toMatch(/张三|p-1|s-clerk|13800138000/)
    const wrong = queryCode.startsWith('A') ? `B${queryCode.slice(1)}` : `A${queryCode.slice(1)}`
    expect(
      (await inject('POST', '/api/v1/progress', undefined, { caseNo, queryCode: wrong })).statusCode,
    ).toBe(404)
    expect(
      (
        await inject('POST', '/api/v1/progress', undefined, {
          caseNo: '330106-20260302-999999-1',
          queryCode,
        })
      ).statusCode,
    ).toBe(404)
    // the query code never travels in a URL: the old GET form is gone
    expect((await inject('GET', `/api/v1/progress?caseNo=${caseNo}&queryCode=${queryCode}`)).statusCode).toBe(
      404,
    )
  })

  it('lists my cases, not others’', async () => {
    const mine = (await inject('GET', '/api/v1/me/cases?limit=200', 'otherCitizen')).json()
    expect(mine.items.length).toBeGreaterThan(0)
    for (const item of mine.items) {
      const view = await inject('GET', `/api/v1/cases/${item.id}`, 'otherCitizen')
      expect(view.json().applicantId).toBe('p-2')
    }
  })

  it('notifies the applicant of each milestone from the outbox', async () => {
    const { id, caseNo } = await apply()
    await moveOk(id, 'accept', 'clerk')
    // the relay queues the milestones in its transaction; the contact is looked up and the message sent
    // afterwards (on PGlite's single connection a lookup inside the relay's transaction would never end)
    await drainNotifications()
    const forCase = sent.filter((n) => n.params.caseNo === caseNo)
    expect(forCase.map((n) => n.template)).toEqual(['case.submitted', 'case.accepted'])
    expect(forCase[0]).toMatchObject({ channel: 'sms', to: '13900000001' })
    // redelivery is harmless: receipts make the consumer run once per event
    expect(await server.platform.events.deliverPending()).toBe(0)
    expect(await casesService(server.platform).sendNotifications()).toBe(0)
    expect(sent.filter((n) => n.params.caseNo === caseNo)).toHaveLength(2)
  })

  it('retries a notification the provider failed to send, keeping each case’s milestones in order', async () => {
    const { id, caseNo } = await apply('otherCitizen')
    await moveOk(id, 'accept', 'clerk')
    gateway.failures = 1
    await drainNotifications()
    // the first milestone failed and waits for its back-off; the next one waits behind it
    const waiting = await server.platform.db
      .selectFrom('case_notifications')
      .select(['topic', 'attempts', 'last_error'])
      .orderBy('event_id')
      .execute()
    expect(waiting).toEqual([
      { topic: 'case.submitted', attempts: 1, last_error: 'SMS gateway unavailable' },
      { topic: 'case.accepted', attempts: 0, last_error: null },
    ])
    expect(sent.filter((n) => n.params.caseNo === caseNo)).toEqual([])
    await new Promise((resolve) => setTimeout(resolve, 1_200))
    expect(await casesService(server.platform).sendNotifications()).toBe(2)
    expect(sent.filter((n) => n.params.caseNo === caseNo).map((n) => n.template)).toEqual([
      'case.submitted',
      'case.accepted',
    ])
    expect(await server.platform.db.selectFrom('case_notifications').selectAll().execute()).toEqual([])
  })
})

describe('public progress by form (POST)', () => {
  it('takes the number and code in the body, accepts them as typed by hand, 404 when wrong', async () => {
    const { id, caseNo, queryCode } = await apply()
    await moveOk(id, 'accept', 'clerk')
    const response = await inject('POST', '/api/v1/progress', undefined, { caseNo, queryCode })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({
      caseNo,
      status: 'accepted',
      milestones: [{ type: 'submitted' }, { type: 'accepted' }],
    })
    expect(JSON.stringify(response.json())).not.toMatch(/张三|p-1|s-clerk|13800138000/)
    // lower case and spaces as typed by hand are accepted
    const typed = await inject('POST', '/api/v1/progress', undefined, {
      caseNo: ` ${caseNo.toLowerCase()} `,
      queryCode: queryCode.toLowerCase(),
    })
    expect(typed.statusCode).toBe(200)
    const wrong = queryCode.startsWith('A') ? `B${queryCode.slice(1)}` : `A${queryCode.slice(1)}`
    const miss = await inject('POST', '/api/v1/progress', undefined, { caseNo, queryCode: wrong })
    expect(miss.statusCode).toBe(404)
    expect(miss.json().details).toEqual({
      zh: '办件编号或查询码不正确',
      en: 'Wrong case number or query code',
    })
    const bad = await inject('POST', '/api/v1/progress', undefined, { caseNo })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0].path).toBe('/queryCode')
  })
})
