import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  auditActions,
  clock,
  count,
  get,
  identity,
  idOf,
  MONDAY,
  NEW_PASSWORD,
  nextIdNumber,
  nextPhone,
  notifications,
  PDF,
  pdf,
  SYSTEM,
  server,
  startWalkInServer,
  walkIn,
  walkInBody,
} from './cases.walk-in.testing.ts'
import { casesService } from './index.ts'

// 一窗受理 through HTTP: a new person, existing accounts, one transaction.

beforeAll(startWalkInServer, 120_000)
afterAll(() => server?.close())
beforeEach(() => clock.set(MONDAY))

describe('POST /api/v1/walk-ins: a new person', () => {
  it('files and accepts the case, opens an L3 account without password, and the applicant takes it over', async () => {
    const body = walkInBody({ comment: '现场核验身份证原件' })
    const { idNumber, phone } = body.applicant as { idNumber: string; phone: string }
    const response = await walkIn(body)
    expect(response.statusCode, response.body).toBe(201)
    const receipt = response.json()
    expect(receipt).toEqual({
      id: expect.any(String),
      caseNo: expect.stringMatching(/^330106/),
      queryCode: expect.stringMatching(/^[A-Z2-9]{8}$/),
      status: 'accepted',
      version: 2,
      itemName: '个体工商户注册登记',
      departmentName: '杭州市西湖区市场监督管理局',
      applicant: {
        kind: 'person',
        name: '赵窗口',
        maskedId: `${idNumber.slice(0, 3)}***********${idNumber.slice(-4)}`,
        agent: null,
        accountCreated: true,
      },
      acceptedAt: MONDAY.toISOString(),
      legalDeadline: '2026-03-30',
      promisedDeadline: '2026-03-16',
      materials: [
        { key: 'id-card', name: '身份证扫描件.pdf' },
        { key: 'premises', name: '租赁合同.pdf' },
      ],
      clerk: { name: 'clerk姓名' },
    })

    // the account: real-name level 3 at the counter, raised by this clerk, no password
    const account = (await identity().findByLogin(idNumber))!
    expect(account).toMatchObject({
      kind: 'person',
      name: '赵窗口',
      realname_level: 3,
      realname_method: 'counter',
      realname_raised_by: idOf('clerk'),
      password_hash: null,
      legal_representative_id: null,
    })
    expect(await identity().companiesActedFor(account.id)).toEqual([])

    // the case: filed by the clerk at the window, accepted by the clerk, in the department's queue
    const view = (await get(`/api/v1/cases/${receipt.id}`, 'clerk')).json()
    expect(view).toMatchObject({
      status: 'accepted',
      applicantId: account.id,
      actingForId: null,
      channel: 'window',
      timeLimit: { acceptedOn: '2026-03-02', promisedDeadline: '2026-03-16', legalDeadline: '2026-03-30' },
    })
    const clerkId = idOf('clerk')
    expect(view.timeline).toMatchObject([
      {
        seq: 1,
        type: 'submitted',
        actor: { kind: 'staff', id: clerkId, name: 'clerk姓名' },
        comment: '现场核验身份证原件',
        data: { channel: 'window', clerkName: 'clerk姓名' },
      },
      { seq: 2, type: 'accepted', actor: { kind: 'staff', id: clerkId } },
    ])
    const queue = (await get('/api/v1/tasks?limit=200', 'reviewer')).json()
    expect(queue.items.find((t: { caseId: string }) => t.caseId === receipt.id)).toMatchObject({
      step: 'review',
      caseStatus: 'accepted',
    })

    // audited: the walk-in (who, which case, which applicant), the account opened, the acceptance
    expect(await auditActions(receipt.id)).toEqual(expect.arrayContaining(['case.walk-in', 'case.accept']))
    expect(await auditActions(account.id)).toContain('account.open-at-counter')
    const [entry] = await server.platform.db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('action', '=', 'case.walk-in')
      .where('resource_id', '=', receipt.id)
      .execute()
    expect(entry).toMatchObject({
      actor_id: clerkId,
      details: { caseNo: receipt.caseNo, applicantId: account.id, accountsCreated: [account.id] },
    })

    // told by SMS, with the case number and the query code of the receipt
    await casesService(server.platform).sendNotifications()
    const sms = (await notifications()).filter((n) => n.to === phone)
    expect(sms).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          template: 'case.submitted',
          params: expect.objectContaining({ caseNo: receipt.caseNo, queryCode: receipt.queryCode }),
        }),
        expect.objectContaining({ template: 'case.accepted' }),
      ]),
    )
    const progress = await server.app.inject({
      method: 'POST',
      url: '/api/v1/progress',
      payload: { caseNo: receipt.caseNo, queryCode: receipt.queryCode },
    })
    expect(progress.json()).toMatchObject({ status: 'accepted' })

    // no password yet: no login; the applicant sets one with a code sent to the verified phone
    expect(await identity().verifyPassword(idNumber, NEW_PASSWORD, { ip: null, requestId: null })).toEqual({
      ok: false,
      reason: 'invalid-credentials',
    })
    const requested = await server.app.inject({
      method: 'POST',
      url: '/api/v1/password-resets',
      payload: { login: idNumber, channel: 'sms' },
    })
    expect(requested.statusCode).toBe(202)
    const code = (await notifications()).findLast(
      (n) => n.template === 'password-reset-code' && n.to === phone,
    )?.params.code
    expect(code).toMatch(/^\d{6}$/)
    const confirmed = await server.app.inject({
      method: 'POST',
      url: '/api/v1/password-resets/confirm',
      payload: { login: idNumber, code, newPassword: NEW_PASSWORD },
    })
    expect(confirmed.statusCode, confirmed.body).toBe(204)
    const login = await identity().verifyPassword(idNumber, NEW_PASSWORD, { ip: null, requestId: null })
    expect(login).toMatchObject({ ok: true, accountId: account.id })

    // logged in, the case is theirs: in their list, and the clerk's scans download as their materials
    const mine = (await get('/api/v1/me/cases', account.id)).json()
    expect(mine.items.map((c: { id: string }) => c.id)).toContain(receipt.id)
    const own = await get(`/api/v1/cases/${receipt.id}`, account.id)
    expect(own.statusCode).toBe(200)
    const download = await get(`/api/v1/cases/${receipt.id}/materials/${pdf}`, account.id)
    expect(download.statusCode).toBe(200)
    expect(download.rawPayload.equals(PDF)).toBe(true)
  })

  it('leaves the case submitted for pre-review when accept is false', async () => {
    const response = await walkIn(walkInBody({ accept: false }))
    expect(response.statusCode, response.body).toBe(201)
    const receipt = response.json()
    expect(receipt).toMatchObject({
      status: 'submitted',
      version: 1,
      acceptedAt: null,
      legalDeadline: null,
      promisedDeadline: null,
    })
    const view = (await get(`/api/v1/cases/${receipt.id}`, 'clerk')).json()
    expect(view).toMatchObject({ status: 'submitted', channel: 'window', allowedMoves: expect.any(Array) })
    expect(view.timeline.map((e: { type: string }) => e.type)).toEqual(['submitted'])
    const queue = (await get('/api/v1/tasks?limit=200', 'clerk')).json()
    expect(queue.items.find((t: { caseId: string }) => t.caseId === receipt.id)).toMatchObject({
      step: 'accept',
      status: 'open',
    })
  })
})

describe('POST /api/v1/walk-ins: existing accounts', () => {
  it('files for the existing person when the name matches, without touching the account', async () => {
    const person = await identity().registerPerson(
      { name: '孙已有', idNumber: nextIdNumber(), phone: nextPhone(), password: 'Tongban@2026' },
      SYSTEM,
    )
    const idNumber = server.platform.vault.decrypt(person.id_number_enc!)
    const accounts = await count('accounts')
    const response = await walkIn(walkInBody({ applicant: { kind: 'person', name: ' 孙已有 ', idNumber } }))
    expect(response.statusCode, response.body).toBe(201)
    expect(response.json().applicant).toMatchObject({ name: '孙已有', accountCreated: false })
    expect(await count('accounts')).toBe(accounts)
    const row = await server.platform.db
      .selectFrom('cases')
      .select(['applicant_id', 'applicant_kind'])
      .where('id', '=', response.json().id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ applicant_id: person.id, applicant_kind: 'person' })
    expect((await identity().getAccount(person.id)).realname_level).toBe(1)
  })

  it('refuses a name that does not match the account of the ID number, writing nothing', async () => {
    const person = await identity().registerPerson(
      { name: '周真名', idNumber: nextIdNumber(), password: 'Tongban@2026' },
      SYSTEM,
    )
    const idNumber = server.platform.vault.decrypt(person.id_number_enc!)
    const [cases, accounts] = [await count('cases'), await count('accounts')]
    const response = await walkIn(walkInBody({ applicant: { kind: 'person', name: '周假名', idNumber } }))
    expect(response.statusCode).toBe(400)
    expect(response.json().errors).toEqual([
      expect.objectContaining({ path: '/applicant/name', code: 'mismatch' }),
    ])
    // nothing about the account is disclosed
    expect(response.body).not.toContain('周真名')
    expect([await count('cases'), await count('accounts')]).toEqual([cases, accounts])
  })

  it('refuses an invalid ID number with a field error naming applicant.idNumber', async () => {
    const valid = nextIdNumber()
    const wrongCheck = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0')
    const accounts = await count('accounts')
    const response = await walkIn(
      walkInBody({ applicant: { kind: 'person', name: '吴错号', idNumber: wrongCheck } }),
    )
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({
      code: 'validation',
      errors: [expect.objectContaining({ path: '/applicant/idNumber', message: expect.any(Object) })],
    })
    expect(await count('accounts')).toBe(accounts)
  })

  it('refuses form data failing the schema with field errors, and opens no account', async () => {
    const [cases, accounts] = [await count('cases'), await count('accounts')]
    const response = await walkIn(
      walkInBody({ formData: { phone: '123' }, materials: [], declaration: false }),
    )
    expect(response.statusCode).toBe(400)
    const paths = response.json().errors.map((e: { path: string }) => e.path)
    expect(paths).toEqual(
      expect.arrayContaining(['/formData/name', '/formData/phone', '/materials', '/declaration']),
    )
    expect([await count('cases'), await count('accounts')]).toEqual([cases, accounts])
  })

  it('refuses a guide version that is not the current one', async () => {
    const response = await walkIn(walkInBody({ guideVersion: 7 }))
    expect(response.statusCode).toBe(400)
    expect(response.json().errors[0]).toMatchObject({ path: '/guideVersion' })
  })

  it('refuses a phone number another account uses when opening an account', async () => {
    const other = await identity().registerPerson(
      { name: '郑号码', idNumber: nextIdNumber(), phone: nextPhone(), password: 'Tongban@2026' },
      SYSTEM,
    )
    const phone = server.platform.vault.decrypt(other.phone_enc!)
    const accounts = await count('accounts')
    const response = await walkIn(
      walkInBody({ applicant: { kind: 'person', name: '冯新人', idNumber: nextIdNumber(), phone } }),
    )
    expect(response.statusCode).toBe(400)
    expect(response.json().errors[0]).toMatchObject({ path: '/applicant/phone', code: 'duplicate' })
    expect(await count('accounts')).toBe(accounts)
  })

  it('needs a phone to open an account (its only way to be activated), not for an existing one', async () => {
    const [cases, accounts] = [await count('cases'), await count('accounts')]
    const opening = await walkIn(
      walkInBody({ applicant: { kind: 'person', name: '卫无号', idNumber: nextIdNumber() } }),
    )
    expect(opening.statusCode).toBe(400)
    expect(opening.json().errors[0]).toMatchObject({ path: '/applicant/phone', code: 'required' })
    expect([await count('cases'), await count('accounts')]).toEqual([cases, accounts])
    const known = await identity().registerPerson(
      { name: '蒋已注册', idNumber: nextIdNumber(), phone: nextPhone(), password: 'Tongban@2026' },
      SYSTEM,
    )
    const idNumber = server.platform.vault.decrypt(known.id_number_enc!)
    const filed = await walkIn(walkInBody({ applicant: { kind: 'person', name: '蒋已注册', idNumber } }))
    expect(filed.statusCode).toBe(201)
    expect(filed.json().applicant.accountCreated).toBe(false)
  })
})

describe('POST /api/v1/walk-ins: one transaction', () => {
  it('opens no account when the case cannot be written after it', async () => {
    const body = walkInBody({ implementationId: 'impl-broken', materials: [] })
    const { idNumber } = body.applicant as { idNumber: string }
    const [cases, accounts] = [await count('cases'), await count('accounts')]
    const response = await walkIn(body, 'brokenClerk')
    expect(response.statusCode).toBe(500)
    expect([await count('cases'), await count('accounts')]).toEqual([cases, accounts])
    expect(await identity().findByLogin(idNumber)).toBeUndefined()
    expect(
      await server.platform.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'account.open-at-counter')
        .where('actor_id', '=', idOf('brokenClerk'))
        .execute(),
    ).toEqual([])
  })
})
