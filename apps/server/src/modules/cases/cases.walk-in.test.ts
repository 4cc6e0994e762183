import { buildIdNumber, buildUscc } from '@tongban/standards'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type Actor, anonymous } from '../../platform/authz.ts'
import { FixedClock } from '../../platform/clock.ts'
import { localNotifier } from '../../platform/notify.ts'
import { createTestServer, type TestServer } from '../../testing/test-server.ts'
import { identityModule, identityService } from '../identity/index.ts'
import { orgModule, orgService } from '../org/index.ts'
import { casesPorts } from '../wiring.ts'
import { buildGuide, FakeCatalog } from './cases.testing.ts'
import { casesService, createCasesModule } from './index.ts'

// 一窗受理 through HTTP on a real database: the real identity module opens accounts (in the same
// transaction as the case), the real org module names the department; the catalog is a fake.

const SYSTEM = { actorId: null, actorKind: 'system' as const, ip: null, requestId: null }
// Monday 2 March 2026, 10:00 in Hangzhou
const MONDAY = new Date('2026-03-02T02:00:00Z')
const clock = new FixedClock(MONDAY)
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
const NEW_PASSWORD = 'Counter@2026x'

let server: TestServer
/** Its guides are added once the departments exist (the module takes the catalog when it registers). */
const catalog = new FakeCatalog([])
let departments: { market: string; ps: string }
let pdf: string
/** Test callers by name; real accounts (an applicant after activating) are resolved by account id. */
const actors: Record<string, Actor> = {}

let serial = 0
const nextIdNumber = () =>
  buildIdNumber({ regionCode: '330106', birthDate: '1988-08-08', sequence: 100 + ++serial * 2 })
const nextUscc = () =>
  buildUscc({
    registrationAuthority: '9',
    entityType: '1',
    regionCode: '330106',
    organizationCode: 8_100_000 + ++serial,
  })
const nextPhone = () => `1391234${String(1000 + ++serial).slice(-4)}`

const idOf = (name: string) => (actors[name] as { accountId: string }).accountId
const headers = (who?: string) => (who ? { authorization: `Bearer ${who}` } : {})

async function upload(who: string): Promise<string> {
  const boundary = '----tongbanWalkInTest'
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="身份证扫描件.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    PDF,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    payload,
    headers: { ...headers(who), 'content-type': `multipart/form-data; boundary=${boundary}` },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().sha256
}

let keys = 0
function walkInBody(overrides: Record<string, unknown> = {}) {
  return {
    applicant: { kind: 'person', name: '赵窗口', idNumber: nextIdNumber(), phone: nextPhone() },
    implementationId: 'impl-business-license',
    formData: { name: '赵窗口', phone: '13800138000' },
    materials: [
      { key: 'id-card', fileSha256: pdf, name: '身份证扫描件.pdf' },
      { key: 'premises', fileSha256: pdf, name: '租赁合同.pdf' },
    ],
    declaration: true,
    accept: true,
    ...overrides,
  }
}
const walkIn = (body: unknown, who = 'clerk', key = `walk-in-test-${++keys}`) =>
  server.app.inject({
    method: 'POST',
    url: '/api/v1/walk-ins',
    payload: body as object,
    headers: { ...headers(who), 'idempotency-key': key },
  })
const get = (url: string, who: string) => server.app.inject({ method: 'GET', url, headers: headers(who) })

const count = async (table: 'cases' | 'accounts') =>
  Number(
    (
      await server.platform.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
const identity = () => identityService(server.platform)
const auditActions = async (resourceId: string) =>
  (
    await server.platform.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'details'])
      .where('resource_id', '=', resourceId)
      .execute()
  ).map((r) => r.action)

async function staffAccount(username: string, name: string) {
  const admin: Actor = {
    kind: 'staff',
    accountId: 'bootstrap',
    name: 'bootstrap',
    roles: [{ role: 'system_admin', departmentId: null, regionCode: '330000' }],
    realNameLevel: 3,
  }
  const { account } = await identity().createStaff(
    { username, name, regionCode: '330106' },
    admin as Exclude<Actor, { kind: 'anonymous' }>,
    SYSTEM,
  )
  return account.id
}

beforeAll(async () => {
  server = await createTestServer({
    clock,
    modules: [
      orgModule,
      identityModule,
      createCasesModule({
        catalog: () => catalog,
        applicants: casesPorts.applicants,
        departments: casesPorts.departments,
        contacts: (platform) => ({
          async findContact(accountId) {
            const account = await identityService(platform).getAccount(accountId)
            return account.phone_enc ? { phone: platform.vault.decrypt(account.phone_enc) } : undefined
          },
        }),
      }),
    ],
  })
  const org = orgService(server.platform)
  const department = async (name: string, kind: string, n: number) =>
    (
      await org.createDepartment(
        {
          name,
          shortName: name.slice(0, 4),
          kind: kind as 'market_regulation',
          regionCode: '330106',
          uscc: buildUscc({
            registrationAuthority: '1',
            entityType: '1',
            regionCode: '330106',
            organizationCode: 9_100_000 + n,
          }),
        },
        SYSTEM,
      )
    ).id
  departments = {
    market: await department('杭州市西湖区市场监督管理局', 'market_regulation', 1),
    ps: await department('杭州市公安局西湖区分局', 'public_security', 2),
  }
  catalog.guides.push(
    buildGuide({ departmentId: departments.market }),
    buildGuide({
      implementationId: 'impl-ps',
      itemCode: '000201001000',
      itemName: '户口迁移',
      departmentId: departments.ps,
      materials: [],
    }),
    // a guide whose department the cases table cannot hold: the case insert fails after the account's
    buildGuide({ implementationId: 'impl-broken', departmentId: 'not-a-department', materials: [] }),
  )
  const staff = async (name: string, username: string, role: 'window_clerk' | 'reviewer', dept: string) => {
    actors[name] = {
      kind: 'staff',
      accountId: await staffAccount(username, `${name}姓名`),
      name: `${name}姓名`,
      roles: [{ role, departmentId: dept, regionCode: '330106' }],
      realNameLevel: 3,
    }
  }
  await staff('clerk', 'xh.sj.walkin', 'window_clerk', departments.market)
  await staff('reviewer', 'xh.sj.walkin.reviewer', 'reviewer', departments.market)
  await staff('psClerk', 'xh.ga.walkin', 'window_clerk', departments.ps)
  await staff('brokenClerk', 'xh.broken.walkin', 'window_clerk', 'not-a-department')
  const citizen = await identity().registerPerson(
    {
      name: '钱市民',
      idNumber: nextIdNumber(),
      phone: nextPhone(),
      password: 'Tongban@2026',
    },
    SYSTEM,
  )
  actors.citizen = (await identity().actorFor(citizen.id))!
  // named test callers first; any other bearer is a real account id, resolved as the SSO module does
  server.platform.authenticator = async (request) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
    if (!token) return anonymous
    return actors[token] ?? (await identity().actorFor(token)) ?? anonymous
  }
  pdf = await upload('clerk')
}, 120_000)
afterAll(() => server?.close())
beforeEach(() => clock.set(MONDAY))

const notifications = () => localNotifier(server.dataDir, clock).sent()

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
