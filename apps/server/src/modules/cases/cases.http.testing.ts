import { expect } from 'vitest'
import { FixedClock } from '../../platform/clock.ts'
import type { Notification, Notifier } from '../../platform/notify.ts'
import { createTestServer, type TestServer, useTestActors } from '../../testing/test-server.ts'
import {
  buildGuide,
  caseActors,
  DEPT,
  FakeCatalog,
  fakeGrants,
  fakeStaffDirectory,
  ID_CARD_GRANTS,
} from './cases.testing.ts'
import { casesService, createCasesModule } from './index.ts'

/*
 * The HTTP fixture of the cases tests split by endpoint family (cases.applying, cases.lifecycle,
 * cases.bundles, cases.progress tests): a server with the cases module on a fake catalog of items and
 * bundles, fixed test actors, a notifier that records what it sends (and fails on demand), and helpers
 * that apply and move through HTTP. Each test file starts its own server (startRoutesServer).
 */

export const actors = caseActors()
export const catalog = new FakeCatalog(
  [
    buildGuide(),
    buildGuide({
      implementationId: 'impl-immediate',
      itemName: '即办事项',
      processingKind: 'immediate',
      legalLimitDays: 0,
      promisedLimitDays: 0,
    }),
    buildGuide({
      implementationId: 'impl-ps',
      itemName: '户口迁移',
      departmentId: DEPT.publicSecurity,
      materials: [],
    }),
    buildGuide({ implementationId: 'impl-tax', itemName: '税务登记', departmentId: DEPT.tax, materials: [] }),
    // two items whose own material keys collide: the bundle's merged list tells them apart
    buildGuide({
      implementationId: 'impl-birth-hukou',
      itemName: '出生登记',
      departmentId: DEPT.publicSecurity,
      materials: [{ key: 'm1', name: '出生医学证明', required: true, source: 'upload' }],
    }),
    buildGuide({
      implementationId: 'impl-birth-insurance',
      itemName: '城乡居民医保参保登记',
      departmentId: DEPT.tax,
      materials: [{ key: 'm1', name: '户口簿', required: true, source: 'upload' }],
    }),
  ],
  [
    {
      bundleId: 'open-a-shop',
      name: '开办个体工商户一件事',
      regionCode: '330106',
      parts: [
        { implementationId: 'impl-ps', version: 1 },
        { implementationId: 'impl-tax', version: 1 },
      ],
    },
    {
      bundleId: 'birth',
      name: '出生一件事',
      regionCode: '330106',
      parts: [
        { implementationId: 'impl-birth-hukou', version: 1, materials: { m1: 'm1' } },
        { implementationId: 'impl-birth-insurance', version: 1, materials: { m1: 'm1_2' } },
      ],
    },
  ],
)
/** What the notifier sent; `failures` makes the next sends fail (an SMS gateway down). */
export const sent: Notification[] = []
export const gateway = { failures: 0 }
const notifier: Notifier = {
  send: async (n) => {
    if (gateway.failures > 0) {
      gateway.failures -= 1
      throw new Error('SMS gateway unavailable')
    }
    sent.push(n)
  },
}
// Monday 2 March 2026, 10:00 in Hangzhou
export const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'))

export let server: TestServer
export let as: (name: string) => Record<string, string>
/** A PDF and a PNG the citizen uploaded (the other applicants uploaded their own copies of the PDF). */
export let pdf: string
export let png: string

export const inject = (
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  who?: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) =>
  server.app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload: payload as object }),
    headers: { ...(who ? as(who) : {}), ...headers },
  })

export function multipart(name: string, content: Buffer, contentType = 'application/octet-stream') {
  const boundary = '----tongbanTestBoundary'
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}
export const upload = async (who: string, name: string, content: Buffer) => {
  const { payload, headers } = multipart(name, content)
  return server.app.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    payload,
    headers: { ...as(who), ...headers },
  })
}
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
)
export const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.alloc(17, 1),
])

let keyCounter = 0
/** A fresh Idempotency-Key. */
export const nextKey = () => `test-key-${++keyCounter}`
/** The grants the fake licenses module knows (add to `grants.grants` in a test). */
export const grants = fakeGrants()
/** An application for the business license by `who`, citing their own ID card grant. */
export const application = (overrides: Record<string, unknown> = {}, who = 'citizen') => ({
  implementationId: 'impl-business-license',
  formData: { name: '张三', phone: '13800138000' },
  materials: [
    { key: 'id-card', licenseGrantId: ID_CARD_GRANTS[who] ?? 'grant-1', name: '居民身份证（电子证照）' },
    { key: 'premises', fileSha256: pdf, name: '租赁合同.pdf' },
  ],
  declaration: true,
  ...overrides,
})
export async function apply(who = 'citizen', body: Record<string, unknown> = application({}, who)) {
  const response = await inject('POST', '/api/v1/cases', who, body, {
    'idempotency-key': nextKey(),
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json() as {
    id: string
    caseNo: string
    queryCode: string
    version: number
    children: { id: string }[]
  }
}
export async function move(id: string, name: string, who: string, body: Record<string, unknown> = {}) {
  const current = (await inject('GET', `/api/v1/cases/${id}`, who)).json()
  return inject('POST', `/api/v1/cases/${id}/${name}`, who, { version: current.version, ...body })
}
/**
 * Relays the outbox and sends the queued notifications. The module also sends them in the background
 * right after the relay; sends run one after another, so once this one returns every earlier one has too.
 */
export async function drainNotifications() {
  while ((await server.platform.events.deliverPending()) > 0) {}
  await casesService(server.platform).sendNotifications()
}
export async function moveOk(id: string, name: string, who: string, body: Record<string, unknown> = {}) {
  const response = await move(id, name, who, body)
  expect(response.statusCode, response.body).toBe(200)
  return response.json()
}

/** Starts the file's server and uploads the citizen's files (call in beforeAll). */
export async function startRoutesServer(): Promise<void> {
  server = await createTestServer({
    clock,
    modules: [
      createCasesModule({
        catalog: () => catalog,
        staff: () => fakeStaffDirectory(actors),
        grants: () => grants,
        notifier: () => notifier,
        // like the identity module's, the lookup is a database query of its own
        contacts: (platform) => ({
          async findContact(accountId) {
            await platform.db.selectFrom('cases').select('id').limit(1).execute()
            return accountId === 'p-1' ? { phone: '13900000001' } : undefined
          },
        }),
      }),
    ],
  })
  as = useTestActors(server, actors)
  pdf = (await upload('citizen', '租赁合同.pdf', PDF)).json().sha256
  png = (await upload('citizen', 'photo.png', PNG)).json().sha256
  // an account attaches only what it uploaded: the other applicants upload their own copies
  for (const who of ['otherCitizen', 'agent']) await upload(who, '租赁合同.pdf', PDF)
}

/** Monday 2 March 2026, 10:00 in Hangzhou: where each test starts (call in beforeEach). */
export const resetClock = () => clock.set(new Date('2026-03-02T02:00:00Z'))
