import { randomUUID } from 'node:crypto'
import { buildIdNumber, validateUscc } from '@tongban/standards'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Actor } from '../../platform/authz.ts'
import { createTestServer, type TestServer, useTestActors } from '../../testing/test-server.ts'
import { identityService } from '../identity/index.ts'
import { modules } from '../index.ts'
import { licenseForCase, licensesService } from './index.ts'

// Outcomes follow the decision (issue 14), through HTTP on the whole demo: every demo item whose 办理结果
// is a license, applied for, accepted, reviewed, approved and completed, puts that license with the
// expected fields into the holder's wallet; the same item denied puts nothing there.

let server: TestServer
let as: (name: string) => Record<string, string>
const actors: Record<string, Actor> = {}
const system = { actorId: null, actorKind: 'system' as const, ip: null, requestId: null }
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')

beforeAll(async () => {
  server = await createTestServer({ modules, config: { demoSeed: true } })
  const identity = identityService(server.platform)
  const login = async (name: string, user: string, company?: string) => {
    const account = (await identity.findByLogin(user))!
    const companyId = company ? (await identity.findByLogin(company))!.id : undefined
    actors[name] = (await identity.actorFor(account.id, companyId))!
  }
  await login('zhangWei', '13800000001')
  await login('liNaForYunqi', '13800000002', '91330106MA2FGGT42K')
  await login('wangFang', '13800000003')
  as = useTestActors(server, actors)
}, 600_000)
afterAll(() => server?.close())

type Inject = { method: 'GET' | 'POST' | 'PUT'; url: string; who: string; payload?: unknown }
const call = async ({ method, url, who, payload }: Inject) =>
  server.app.inject({
    method,
    url,
    headers: {
      ...as(who),
      ...(method === 'POST' && url === '/api/v1/cases' ? { 'idempotency-key': randomUUID() } : {}),
    },
    ...(payload === undefined ? {} : { payload: payload as object }),
  })

/** A staff member of one department in one role (named `<departmentId>:<role>`). */
function staffOf(
  departmentId: string,
  regionCode: string,
  role: 'window_clerk' | 'reviewer' | 'approver' | 'department_admin',
) {
  const name = `${departmentId}:${role}`
  actors[name] ??= {
    kind: 'staff',
    accountId: randomUUID(),
    name: `${role}-${departmentId.slice(0, 4)}`,
    roles: [{ role, departmentId, regionCode }],
    realNameLevel: 3,
  }
  return name
}

interface Guide {
  implementationId: string
  version: number
  departmentId: string
  regionCode: string
  content: {
    form: {
      schema: { properties: Record<string, Record<string, unknown>> }
      prefill?: Record<string, string>
    }
    materials: { key: string; name: string; source: string; required: boolean; licenseType?: string }[]
  }
}

/** The published guide of an item nearest to 西湖区 (county, city, province). */
async function guideOf(itemName: string): Promise<Guide> {
  const hits = (
    await call({
      method: 'GET',
      url: `/api/v1/catalog/search?q=${encodeURIComponent(itemName)}&region=330106&limit=50`,
      who: 'zhangWei',
    })
  ).json().items as { implementationId: string; name: string; regionCode: string }[]
  const order = ['330106', '330100', '330000']
  const hit = hits
    .filter((h) => h.name === itemName && order.includes(h.regionCode))
    .sort((a, b) => order.indexOf(a.regionCode) - order.indexOf(b.regionCode))[0]
  if (!hit) throw new Error(`no implementation of ${itemName} near 西湖区`)
  const guide = await call({
    method: 'GET',
    url: `/api/v1/catalog/implementations/${hit.implementationId}/guide`,
    who: 'zhangWei',
  })
  return guide.json() as Guide
}

/** The application form: the applicant's prefilled values, the item's own answers, a plausible rest. */
async function formFor(guide: Guide, who: string, answers: Record<string, unknown>) {
  const { values: prefill } = await identityService(server.platform).prefill(actors[who] as never, system)
  const data: Record<string, unknown> = {}
  for (const [key, property] of Object.entries(guide.content.form.schema.properties)) {
    const path = guide.content.form.prefill?.[key] as keyof typeof prefill | undefined
    const known = path ? prefill[path] : undefined
    if (key in answers) data[key] = answers[key]
    else if (known) data[key] = known
    else if (Array.isArray(property.enum)) data[key] = property.enum[0]
    else if (property.type === 'integer') data[key] = 1
    else if (property.type === 'boolean') data[key] = false
    else if (property.format === 'date') data[key] = '2026-12-01'
    else data[key] = '示例内容'
  }
  return data
}

/** 用证授权: a grant of `who`'s license of the type to the department, or null when they hold none. */
async function grantOf(who: string, departmentId: string, licenseType: string | undefined) {
  const wallet = (await call({ method: 'GET', url: '/api/v1/me/licenses', who })).json()
  const license = (wallet.items as { id: string; typeCode: string; status: string }[]).find(
    (l) => l.typeCode === licenseType && l.status === 'valid',
  )
  if (!license) return null
  const grant = await call({
    method: 'POST',
    url: `/api/v1/me/licenses/${license.id}/grants`,
    who,
    payload: { departmentId, purpose: '办理申请时用证', validUntil: '2099-01-01T00:00:00Z' },
  })
  expect(grant.statusCode, grant.body).toBe(201)
  return grant.json().id as string
}

/** Files a case of the item as `who` with every material (uploads, or a license by grant). */
async function applyFor(guide: Guide, who: string, answers: Record<string, unknown>) {
  const boundary = '----outcomes'
  const upload = await server.app.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    headers: { ...as(who), 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      PDF,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  })
  const sha256 = upload.json().sha256 as string
  // what the applicant gives: uploads and licenses (shared data and the department's own records are not theirs)
  const given = guide.content.materials.filter((m) => m.source === 'upload' || m.source === 'license')
  const materials = []
  for (const m of given) {
    if (m.source === 'upload') materials.push({ key: m.key, fileSha256: sha256, name: `${m.name}.pdf` })
    else {
      const licenseGrantId = await grantOf(who, guide.departmentId, m.licenseType)
      if (licenseGrantId) materials.push({ key: m.key, licenseGrantId, name: m.name })
      else if (m.required) throw new Error(`${who} holds no ${m.name} to apply here`)
    }
  }
  const body = {
    implementationId: guide.implementationId,
    guideVersion: guide.version,
    formData: await formFor(guide, who, answers),
    materials,
    declaration: true,
  }
  const response = await call({ method: 'POST', url: '/api/v1/cases', who, payload: body })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().id as string
}

/** Makes a move as the department's staff in the role, at the case's current version. */
async function move(caseId: string, name: string, who: string, body: Record<string, unknown> = {}) {
  const current = (await call({ method: 'GET', url: `/api/v1/cases/${caseId}`, who })).json()
  const response = await call({
    method: 'POST',
    url: `/api/v1/cases/${caseId}/${name}`,
    who,
    payload: { version: current.version, ...body },
  })
  expect(response.statusCode, `${name}: ${response.body}`).toBe(200)
}

/** accept → review → approve or deny → complete, by the department's clerk, reviewer and approver. */
async function decide(caseId: string, guide: Guide, decision: 'approve' | 'deny') {
  const staff = (role: Parameters<typeof staffOf>[2]) => staffOf(guide.departmentId, guide.regionCode, role)
  await move(caseId, 'accept', staff('window_clerk'), { comment: '材料齐全' })
  await move(caseId, 'review', staff('reviewer'), { comment: '符合条件' })
  if (decision === 'approve') await move(caseId, 'approve', staff('approver'))
  else await move(caseId, 'deny', staff('approver'), { reason: '不符合法定条件' })
  await move(caseId, 'complete', staff('approver'))
}

/** Relays the outbox and works the issue queue until the case's request is finished. */
async function settle(caseId: string) {
  return vi.waitFor(
    async () => {
      while ((await server.platform.events.deliverPending()) > 0) {}
      await licensesService(server.platform).processIssueRequests()
      const state = await licenseForCase(server.platform, caseId)
      expect(state.state).not.toBe('pending')
      expect(state.state).not.toBe('none')
      return state
    },
    { timeout: 20_000, interval: 200 },
  )
}

/** The holder's wallet entry of a license. */
async function walletEntry(who: string, licenseId: string) {
  const wallet = (await call({ method: 'GET', url: '/api/v1/me/licenses', who })).json()
  return (
    wallet.items as { id: string; fields: Record<string, unknown>; status: string; version: number }[]
  ).find((l) => l.id === licenseId)
}

const idNumberOf = async (who: string) =>
  (await identityService(server.platform).prefill(actors[who] as never, system)).values

interface Row {
  item: string
  who: string
  answers: Record<string, unknown>
  typeName: string
  expected: (applicant: { name: string; idNumber: string }) => Record<string, unknown>
  check?: (fields: Record<string, unknown>) => void
}

const PARTNER_ID = buildIdNumber({ regionCode: '330106', birthDate: '1992-03-04', sex: 'female' })

const ROWS: Row[] = [
  {
    item: '企业设立登记',
    who: 'zhangWei',
    answers: {
      proposedName: '杭州西湖通办示范科技有限公司',
      registeredCapital: 500,
      businessScope: '软件开发',
      companyAddress: '杭州市西湖区文三路 90 号',
    },
    typeName: '营业执照',
    expected: (a) => ({
      companyName: '杭州西湖通办示范科技有限公司',
      companyType: '有限责任公司',
      legalRepresentative: a.name,
      registeredCapital: 500,
      address: '杭州市西湖区文三路 90 号',
      businessScope: '软件开发',
    }),
    check: (fields) => {
      expect(validateUscc(String(fields.uscc)).ok).toBe(true)
      expect(String(fields.uscc)).toMatch(/^91330106/)
    },
  },
  {
    item: '个体工商户登记',
    who: 'zhangWei',
    answers: {
      shopName: '西湖区张伟便民小吃店',
      businessScope: '小吃服务',
      shopAddress: '杭州市西湖区古墩路 12 号',
    },
    typeName: '营业执照',
    expected: (a) => ({
      companyName: '西湖区张伟便民小吃店',
      companyType: '个体工商户',
      legalRepresentative: a.name,
      address: '杭州市西湖区古墩路 12 号',
      businessScope: '小吃服务',
    }),
    check: (fields) => {
      expect(validateUscc(String(fields.uscc)).ok).toBe(true)
      expect(String(fields.uscc)).toMatch(/^92330106/)
    },
  },
  {
    item: '居民身份证换领',
    who: 'wangFang',
    answers: { reason: '有效期满换领' },
    typeName: '居民身份证',
    expected: (a) => ({
      name: a.name,
      idNumber: a.idNumber,
      gender: Number(a.idNumber[16]) % 2 === 1 ? '男' : '女',
      birthDate: `${a.idNumber.slice(6, 10)}-${a.idNumber.slice(10, 12)}-${a.idNumber.slice(12, 14)}`,
    }),
  },
  {
    item: '社会保障卡申领',
    who: 'wangFang',
    answers: { bank: '中国银行' },
    typeName: '社会保障卡',
    expected: (a) => ({ name: a.name, socialSecurityNumber: a.idNumber, bank: '中国银行' }),
  },
  {
    item: '出生医学证明首次签发',
    who: 'wangFang',
    answers: {
      childName: '王小满',
      childBirthDate: '2026-11-30',
      hospital: '杭州市西湖区妇幼保健院',
      childGender: '女',
    },
    typeName: '出生医学证明',
    expected: (a) => ({
      childName: '王小满',
      childGender: '女',
      childBirthDate: '2026-11-30',
      birthPlace: '杭州市西湖区妇幼保健院',
      motherName: a.name,
    }),
  },
  {
    item: '内地居民结婚登记',
    who: 'zhangWei',
    answers: { partnerName: '刘晓', partnerIdNumber: PARTNER_ID, appointment: '2026-12-10' },
    typeName: '结婚证',
    expected: (a) => ({ holderName: a.name, spouseName: '刘晓', spouseIdNumber: PARTNER_ID }),
  },
  {
    item: '不动产转移登记（二手房）',
    who: 'wangFang',
    answers: { propertyAddress: '杭州市西湖区文一路 8 幢 1 单元 502 室', price: 3_000_000 },
    typeName: '不动产权证书',
    expected: (a) => ({ ownerName: a.name, location: '杭州市西湖区文一路 8 幢 1 单元 502 室' }),
  },
]

describe('every demo item whose result is a license', () => {
  for (const row of ROWS) {
    it(`${row.item}: approved and completed, its ${row.typeName} is in the holder's wallet with the expected fields`, async () => {
      const guide = await guideOf(row.item)
      const caseId = await applyFor(guide, row.who, row.answers)
      await decide(caseId, guide, 'approve')
      const outcome = await settle(caseId)
      expect(outcome, JSON.stringify(outcome.reason)).toMatchObject({ state: 'issued' })
      const license = await walletEntry(row.who, outcome.licenseId!)
      const prefill = await idNumberOf(row.who)
      const applicant = {
        name: String(prefill['profile.name']),
        idNumber: String(prefill['profile.idNumber']),
      }
      expect(license?.status).toBe('valid')
      expect(license?.fields).toMatchObject(row.expected(applicant))
      row.check?.(license!.fields)
    })

    it(`${row.item}: denied and then completed, it issues nothing`, async () => {
      const guide = await guideOf(row.item)
      const caseId = await applyFor(guide, row.who, row.answers)
      await decide(caseId, guide, 'deny')
      const outcome = await settle(caseId)
      expect(outcome).toMatchObject({ state: 'not-applicable', licenseId: null })
      expect(outcome.reason?.zh).toContain('未获批准')
      const issued = await server.platform.db
        .selectFrom('licenses')
        .select('id')
        .where('case_id', '=', caseId)
        .execute()
      expect(issued).toEqual([])
    })
  }
})

describe("a case's license, as staff see it (issue 15: no IDOR)", () => {
  it("shows the case department's staff what became of it; other departments get 404", async () => {
    const guide = await guideOf('社会保障卡申领')
    const caseId = await applyFor(guide, 'zhangWei', {})
    await decide(caseId, guide, 'approve')
    const { licenseId } = await settle(caseId)
    const url = `/api/v1/cases/${caseId}/license`
    const own = await call({
      method: 'GET',
      url,
      who: staffOf(guide.departmentId, guide.regionCode, 'reviewer'),
    })
    expect(own.statusCode, own.body).toBe(200)
    expect(own.json()).toMatchObject({ state: 'issued', licenseId })
    const other = (await guideOf('企业设立登记')).departmentId
    expect(other).not.toBe(guide.departmentId)
    for (const role of ['reviewer', 'approver', 'department_admin'] as const) {
      const elsewhere = await call({ method: 'GET', url, who: staffOf(other, guide.regionCode, role) })
      expect(elsewhere.statusCode, role).toBe(404)
      const retry = await call({
        method: 'POST',
        url: `${url}/retry`,
        who: staffOf(other, guide.regionCode, role),
      })
      expect([403, 404], role).toContain(retry.statusCode)
    }
  })
})
