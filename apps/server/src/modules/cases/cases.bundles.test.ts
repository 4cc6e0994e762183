import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  application,
  apply,
  clock,
  drainNotifications,
  inject,
  move,
  moveOk,
  nextKey,
  PDF,
  PNG,
  pdf,
  png,
  resetClock,
  sent,
  server,
  startRoutesServer,
  upload,
} from './cases.http.testing.ts'
import { DEPT } from './cases.testing.ts'
import { casesService } from './index.ts'

// Bundles (一件事) through HTTP, whose files may be attached, and how long Idempotency-Keys are kept.

beforeAll(startRoutesServer)
afterAll(() => server?.close())
beforeEach(resetClock)

describe('bundles (并联审批)', () => {
  it('gives each department the materials its own item asks for, even when the items use the same keys', async () => {
    const missing = await inject(
      'POST',
      '/api/v1/cases',
      'citizen',
      {
        bundleId: 'birth',
        regionCode: '330106',
        formData: { name: '张三' },
        materials: [{ key: 'm1', fileSha256: pdf, name: '出生医学证明.pdf' }],
        declaration: true,
      },
      { 'idempotency-key': nextKey() },
    )
    expect(missing.statusCode).toBe(400)
    expect(missing.body).toContain('户口簿')
    const submitted = await apply('citizen', {
      bundleId: 'birth',
      regionCode: '330106',
      formData: { name: '张三' },
      materials: [
        { key: 'm1', fileSha256: pdf, name: '出生医学证明.pdf' },
        { key: 'm1_2', fileSha256: png, name: '户口簿.png' },
      ],
      declaration: true,
    })
    const [hukou, insurance] = submitted.children as { id: string }[]
    const materialsOf = async (id: string) =>
      (await inject('GET', `/api/v1/cases/${id}`, 'citizen'))
        .json()
        .materials.map((m: { key: string; fileSha256: string }) => [m.key, m.fileSha256])
    expect(await materialsOf(hukou!.id)).toEqual([['m1', pdf]])
    expect(await materialsOf(insurance!.id)).toEqual([['m1', png]])
  })

  it('fans out one child per department, worked in parallel; the parent completes when all approve', async () => {
    const submitted = await apply('citizen', {
      bundleId: 'open-a-shop',
      regionCode: '330106',
      formData: { name: '张三' },
      materials: [],
      declaration: true,
    })
    expect(submitted.children).toHaveLength(2)
    const [ps, tax] = submitted.children as { id: string }[]
    await Promise.all([
      (async () => {
        await moveOk(ps!.id, 'accept', 'psClerk')
        await moveOk(ps!.id, 'review', 'psReviewer')
      })(),
      (async () => {
        await moveOk(tax!.id, 'accept', 'taxClerk')
        await moveOk(tax!.id, 'review', 'taxReviewer')
      })(),
    ])
    expect(
      (await inject('POST', `/api/v1/cases/${ps!.id}/approve`, 'taxApprover', { version: 3 })).statusCode,
    ).toBe(404)
    await Promise.all([moveOk(ps!.id, 'approve', 'psApprover'), moveOk(tax!.id, 'approve', 'taxApprover')])
    const parent = (await inject('GET', `/api/v1/cases/${submitted.id}`, 'citizen')).json()
    expect(parent.status).toBe('completed')
    expect(parent.timeline.map((e: { type: string }) => e.type)).toEqual([
      'submitted',
      'approved',
      'completed',
    ])
    expect(parent.children.map((c: { status: string }) => c.status)).toEqual(['approved', 'approved'])
  })

  it('is denied clearly, naming the department and reason, when one part is denied', async () => {
    const submitted = await apply('citizen', {
      bundleId: 'open-a-shop',
      regionCode: '330106',
      formData: { name: '张三' },
      materials: [],
      declaration: true,
    })
    const [ps] = submitted.children as { id: string }[]
    await moveOk(ps!.id, 'accept', 'psClerk')
    await moveOk(ps!.id, 'review', 'psReviewer')
    await moveOk(ps!.id, 'deny', 'psApprover', { reason: '迁入地址不符合落户条件' })
    const parent = (await inject('GET', `/api/v1/cases/${submitted.id}`, 'citizen')).json()
    expect(parent.status).toBe('completed')
    const denied = parent.timeline.find((e: { type: string }) => e.type === 'denied')
    expect(denied.data).toMatchObject({
      departmentId: DEPT.publicSecurity,
      itemName: '户口迁移',
      reason: '迁入地址不符合落户条件',
    })
    expect(denied.comment).toContain('迁入地址不符合落户条件')
  })
})

describe('withdrawing a bundle (一件事撤回)', () => {
  const bundle = () =>
    apply('citizen', {
      bundleId: 'open-a-shop',
      regionCode: '330106',
      formData: { name: '张三' },
      materials: [],
      declaration: true,
    })
  const liveTasks = (caseId: string) =>
    server.platform.db.selectFrom('case_tasks').select(['status']).where('case_id', '=', caseId).execute()

  it('withdraws every department part with it and cancels their tasks', async () => {
    const submitted = await bundle()
    const [ps, tax] = submitted.children as { id: string; caseNo: string }[]
    await moveOk(ps!.id, 'accept', 'psClerk')
    const psTask = (await inject('GET', '/api/v1/tasks?status=open&limit=200', 'psReviewer'))
      .json()
      .items.find((t: { caseId: string }) => t.caseId === ps!.id)
    await inject('POST', `/api/v1/tasks/${psTask.id}/claim`, 'psReviewer', { version: psTask.version })

    const withdrawn = await moveOk(submitted.id, 'withdraw', 'citizen', { comment: '不再开店' })
    expect(withdrawn.status).toBe('withdrawn')
    expect(withdrawn.children.map((c: { status: string }) => c.status)).toEqual(['withdrawn', 'withdrawn'])
    expect(withdrawn.timeline.at(-1).data.withdrawnParts.sort()).toEqual([ps!.caseNo, tax!.caseNo].sort())
    expect(withdrawn.timeline.at(-1).data.decidedParts).toEqual([])
    for (const part of [ps!, tax!]) {
      const view = (await inject('GET', `/api/v1/cases/${part.id}`, 'citizen')).json()
      expect(view).toMatchObject({ status: 'withdrawn', allowedMoves: [] })
      expect(view.timeline.at(-1)).toMatchObject({
        type: 'withdrawn',
        actor: { id: 'p-1' },
        data: { parentCaseNo: submitted.caseNo },
      })
      expect((await liveTasks(part.id)).map((t) => t.status)).not.toContain('open')
      expect((await liveTasks(part.id)).map((t) => t.status)).not.toContain('claimed')
      expect((await liveTasks(part.id)).map((t) => t.status)).toContain('cancelled')
    }
    // gone from the department queues
    for (const who of ['psReviewer', 'taxClerk']) {
      const queue = (await inject('GET', '/api/v1/tasks?limit=200', who)).json()
      expect(queue.items.map((t: { caseId: string }) => t.caseId)).not.toContain(ps!.id)
      expect(queue.items.map((t: { caseId: string }) => t.caseId)).not.toContain(tax!.id)
    }
    // the applicant hears of the bundle's withdrawal once, not once per department
    await drainNotifications()
    const heard = sent.filter(
      (n) =>
        n.template === 'case.withdrawn' &&
        [submitted.caseNo, ps!.caseNo, tax!.caseNo].includes(n.params.caseNo!),
    )
    expect(heard.map((n) => n.params.caseNo)).toEqual([submitted.caseNo])
  })

  it('does not let one part be withdrawn alone', async () => {
    const submitted = await bundle()
    const [ps] = submitted.children as { id: string }[]
    const view = (await inject('GET', `/api/v1/cases/${ps!.id}`, 'citizen')).json()
    expect(view.allowedMoves).not.toContain('withdraw')
    const response = await move(ps!.id, 'withdraw', 'citizen')
    expect(response.statusCode).toBe(409)
    expect(response.json().details.zh).toContain('一件事的部门办件不能单独撤回')
    expect((await inject('GET', `/api/v1/cases/${ps!.id}`, 'citizen')).json().status).toBe('submitted')
  })

  it('keeps a part already decided and withdraws the rest', async () => {
    const submitted = await bundle()
    const [ps, tax] = submitted.children as { id: string; caseNo: string }[]
    await moveOk(ps!.id, 'accept', 'psClerk')
    await moveOk(ps!.id, 'review', 'psReviewer')
    await moveOk(ps!.id, 'approve', 'psApprover')
    const withdrawn = await moveOk(submitted.id, 'withdraw', 'citizen')
    const statusOf = (id: string) => withdrawn.children.find((c: { id: string }) => c.id === id).status
    expect([statusOf(ps!.id), statusOf(tax!.id)]).toEqual(['approved', 'withdrawn'])
    expect(withdrawn.timeline.at(-1).data).toEqual({
      withdrawnParts: [tax!.caseNo],
      decidedParts: [ps!.caseNo],
    })
    const audit = await server.platform.audit.list({
      resourceType: 'case',
      resourceId: submitted.id,
      limit: 5,
    })
    expect(audit.find((e) => e.action === 'case.withdraw')?.details).toMatchObject({
      withdrawnParts: [tax!.caseNo],
      decidedParts: [ps!.caseNo],
    })
  })
})

describe('upload ownership', () => {
  const countRows = async (
    table: 'cases' | 'case_drafts' | 'idempotency_keys',
    column: string,
    value: string,
  ) =>
    Number(
      (
        await server.platform.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where(column as never, '=', value as never)
          .executeTakeFirstOrThrow()
      ).n,
    )
  const otherPdf = Buffer.from(
    '%PDF-1.4\n1 0 obj << /Type /Catalog /Note (Li Si lease) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  )

  it('refuses to attach another account’s upload to an application (404, nothing written)', async () => {
    const theirs = (await upload('otherCitizen', '李四的租赁合同.pdf', otherPdf)).json().sha256
    const before = await countRows('cases', 'applicant_id', 'p-1')
    const headers = { 'idempotency-key': 'foreign-file-0001' }
    const body = application({
      materials: [
        { key: 'id-card', licenseGrantId: 'grant-1', name: '居民身份证（电子证照）' },
        { key: 'premises', fileSha256: theirs, name: '租赁合同.pdf' },
      ],
    })
    const response = await inject('POST', '/api/v1/cases', 'citizen', body, headers)
    expect(response.statusCode).toBe(404)
    expect(response.json().details.zh).toContain('/materials/1/fileSha256')
    // a file nobody uploaded gets the very same answer, so the 404 tells nothing about others' files
    const unknown = await inject(
      'POST',
      '/api/v1/cases',
      'citizen',
      application({ materials: [{ key: 'premises', fileSha256: 'e'.repeat(64), name: 'x.pdf' }] }),
      { 'idempotency-key': 'foreign-file-0002' },
    )
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().title).toBe(response.json().title)
    expect(await countRows('cases', 'applicant_id', 'p-1')).toBe(before)
    expect(await countRows('idempotency_keys', 'key', 'foreign-file-0001')).toBe(0)
    // once the applicant uploads the same content themselves, it is theirs too (the store is shared)
    expect((await upload('citizen', '租赁合同.pdf', otherPdf)).json().sha256).toBe(theirs)
    expect((await inject('POST', '/api/v1/cases', 'citizen', body, headers)).statusCode).toBe(201)
  })

  it('refuses another account’s upload in a draft, new or updated (404, draft unchanged)', async () => {
    const theirs = (
      await upload('otherCitizen', 'photo.png', Buffer.concat([PNG, Buffer.from('li-si-photo')]))
    ).json().sha256
    const before = await countRows('case_drafts', 'account_id', 'p-1')
    const foreign = [{ key: 'photo', fileSha256: theirs, name: '照片.png' }]
    const created = await inject('POST', '/api/v1/case-drafts', 'citizen', {
      implementationId: 'impl-business-license',
      formData: {},
      materials: foreign,
    })
    expect(created.statusCode).toBe(404)
    expect(await countRows('case_drafts', 'account_id', 'p-1')).toBe(before)
    const draft = (
      await inject('POST', '/api/v1/case-drafts', 'citizen', {
        implementationId: 'impl-business-license',
        formData: { name: '张三' },
        materials: [{ key: 'photo', fileSha256: png, name: '照片.png' }],
      })
    ).json()
    const updated = await inject('PUT', `/api/v1/case-drafts/${draft.id}`, 'citizen', {
      formData: { name: '张三' },
      materials: foreign,
      version: draft.version,
    })
    expect(updated.statusCode).toBe(404)
    const unchanged = (await inject('GET', `/api/v1/case-drafts/${draft.id}`, 'citizen')).json()
    expect(unchanged).toMatchObject({ version: 1, materials: [{ fileSha256: png }] })
  })

  it('refuses another account’s upload in a correction or a staff attachment (404, no event)', async () => {
    const theirs = (
      await upload('otherCitizen', 'lease.pdf', Buffer.concat([otherPdf, Buffer.from('% again\n')]))
    ).json().sha256
    const { id } = await apply()
    await moveOk(id, 'requestCorrection', 'clerk', {
      items: [{ kind: 'material', key: 'premises', problem: 'defective' }],
    })
    const resubmit = await move(id, 'resubmit', 'citizen', {
      materials: [{ key: 'premises', fileSha256: theirs, name: '租赁合同.pdf' }],
    })
    expect(resubmit.statusCode).toBe(404)
    const attach = await move(id, 'resubmit', 'citizen', {
      materials: [{ key: 'premises', fileSha256: pdf, name: '租赁合同.pdf' }],
      attachments: [{ fileSha256: theirs, name: '说明.pdf' }],
    })
    expect(attach.statusCode).toBe(404)
    const view = (await inject('GET', `/api/v1/cases/${id}`, 'citizen')).json()
    expect(view).toMatchObject({ status: 'correction_requested', version: 2 })
    // staff attach only what they uploaded themselves
    const other = await apply()
    const staffAttachment = await move(other.id, 'requestCorrection', 'clerk', {
      items: [{ kind: 'field', key: 'phone', problem: 'defective' }],
      attachments: [{ fileSha256: pdf, name: '张三的合同.pdf' }],
    })
    expect(staffAttachment.statusCode).toBe(404)
    const scan = (await upload('clerk', '补正告知书.pdf', PDF)).json().sha256
    const own = await moveOk(other.id, 'requestCorrection', 'clerk', {
      items: [{ kind: 'field', key: 'phone', problem: 'defective' }],
      attachments: [{ fileSha256: scan, name: '补正告知书.pdf' }],
    })
    expect(own.timeline.at(-1).attachments).toEqual([{ fileSha256: scan, name: '补正告知书.pdf' }])
  })
})

describe('idempotency keys expire', () => {
  it('replays within IDEMPOTENCY_KEY_TTL_HOURS, treats a retry after it as new, and the cleanup deletes old keys', async () => {
    expect(server.platform.config.idempotencyKeyTtlHours).toBe(24)
    const headers = { 'idempotency-key': 'expiring-key-0001' }
    const first = await inject('POST', '/api/v1/cases', 'citizen', application(), headers)
    expect(first.statusCode).toBe(201)
    clock.advance(23 * 3_600_000)
    const replayed = await inject('POST', '/api/v1/cases', 'citizen', application(), headers)
    expect(replayed.json()).toEqual(first.json())
    clock.advance(2 * 3_600_000)
    const fresh = await inject('POST', '/api/v1/cases', 'citizen', application(), headers)
    expect(fresh.statusCode).toBe(201)
    expect(fresh.json().caseNo).not.toBe(first.json().caseNo)
    // the new answer is the one remembered now, even for another body after expiry
    expect((await inject('POST', '/api/v1/cases', 'citizen', application(), headers)).json()).toEqual(
      fresh.json(),
    )

    const db = server.platform.db
    const keys = () => db.selectFrom('idempotency_keys').select(['key', 'created_at']).execute()
    const cutoff = clock.now().getTime() - 24 * 3_600_000
    const all = await keys()
    const old = all.filter((k) => k.created_at.getTime() < cutoff)
    expect(old.length).toBeGreaterThan(0)
    const deleted = await casesService(server.platform).purgeExpiredIdempotencyKeys(3)
    expect(deleted).toBe(old.length)
    const left = await keys()
    expect(left.map((k) => k.key).sort()).toEqual(
      all
        .filter((k) => k.created_at.getTime() >= cutoff)
        .map((k) => k.key)
        .sort(),
    )
    expect(left.map((k) => k.key)).toContain('expiring-key-0001')
  })
})
