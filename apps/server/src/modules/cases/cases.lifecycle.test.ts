import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  application,
  apply,
  clock,
  inject,
  move,
  moveOk,
  pdf,
  png,
  resetClock,
  server,
  startRoutesServer,
} from './cases.http.testing.ts'
import { DEPT } from './cases.testing.ts'

// The lifecycle of a case through HTTP: moves, task queues, time limits.

beforeAll(startRoutesServer)
afterAll(() => server?.close())
beforeEach(resetClock)

describe('the lifecycle', () => {
  it('runs submit → pre-review → accept → review → approve → complete → deliver, each step an event', async () => {
    const { id } = await apply()
    await moveOk(id, 'startPreReview', 'clerk')
    const accepted = await moveOk(id, 'accept', 'clerk', { comment: '材料齐全' })
    expect(accepted.timeLimit).toMatchObject({
      acceptedOn: '2026-03-02',
      promisedDeadline: '2026-03-16',
      legalDeadline: '2026-03-30',
      level: 'green',
    })
    await moveOk(id, 'review', 'reviewer', { comment: '符合条件' })
    await moveOk(id, 'approve', 'approver')
    await moveOk(id, 'complete', 'approver')
    const delivered = await moveOk(id, 'deliver', 'clerk', { method: 'post', trackingNumber: 'SF1234567890' })
    expect(delivered.status).toBe('delivered')
    expect(delivered.timeline.map((e: { type: string }) => e.type)).toEqual([
      'submitted',
      'pre_review_started',
      'accepted',
      'reviewed',
      'approved',
      'completed',
      'delivered',
    ])
    expect(delivered.timeline[2]).toMatchObject({
      actor: { kind: 'staff', id: 's-clerk', name: '窗口甲' },
      comment: '材料齐全',
    })
    expect(delivered.timeline[6].data).toEqual({ method: 'post', trackingNumber: 'SF1234567890' })
    const audit = await server.platform.audit.list({ resourceType: 'case', resourceId: id, limit: 20 })
    expect(audit.map((e) => e.action)).toContain('case.approve')
  })

  it('answers 409 invalid-transition naming the moves allowed now, in words and as codes', async () => {
    const { id } = await apply()
    const response = await move(id, 'approve', 'approver')
    expect(response.statusCode).toBe(409)
    const problem = response.json()
    expect(problem).toMatchObject({
      code: 'invalid-transition',
      allowed: ['startPreReview', 'accept', 'refuse', 'requestCorrection', 'withdraw'],
    })
    expect(problem.details.zh).toBe(
      '办件当前状态为「已提交」，不能准予许可。当前可执行：开始预审、受理、不予受理、一次性告知补正、撤回申请',
    )
    expect(problem.details.en).toBe(
      'The case is submitted: “Approve” is not possible now. Possible now: Start pre-review, Accept, Refuse, Request correction, Withdraw',
    )
    // the caller's language picks the detail; no raw move or status code appears in either
    const english = await inject(
      'POST',
      `/api/v1/cases/${id}/approve`,
      'approver',
      { version: 1 },
      {
        'accept-language': 'en',
      },
    )
    expect(english.json().detail).toBe(problem.details.en)
    expect(`${problem.details.zh} ${problem.details.en}`).not.toMatch(
      /startPreReview|requestCorrection|submitted_/,
    )
    const refused = await apply()
    await moveOk(refused.id, 'refuse', 'clerk', {
      reason: '不属于本部门职权',
      legalBasis: '《行政许可法》第三十二条',
    })
    const none = (await move(refused.id, 'withdraw', 'citizen')).json()
    expect(none).toMatchObject({ allowed: [] })
    expect(none.details.zh).toBe('办件当前状态为「不予受理」，不能撤回申请。当前没有可执行的操作')
  })

  it('names the allowed task actions in words when a task action is not possible', async () => {
    const { caseNo } = await apply()
    const task = (await inject('GET', '/api/v1/tasks?status=open&limit=200', 'clerk'))
      .json()
      .items.find((t: { caseNo: string }) => t.caseNo === caseNo)
    const response = await inject('POST', `/api/v1/tasks/${task.id}/release`, 'clerk', {
      version: task.version,
    })
    expect(response.statusCode).toBe(409)
    expect(response.json()).toMatchObject({ allowed: ['claim', 'handOver'] })
    expect(response.json().details.zh).toBe('任务当前状态为「待签收」，不能退回。当前可执行：签收、转交')
  })

  it('lets one of two clerks acting on the same version win; the other gets 409 stale-version', async () => {
    const { id } = await apply()
    const [a, b] = await Promise.all([
      inject('POST', `/api/v1/cases/${id}/accept`, 'clerk', { version: 1 }),
      inject('POST', `/api/v1/cases/${id}/accept`, 'clerk2', { version: 1 }),
    ])
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409])
    expect([a, b].find((r) => r.statusCode === 409)?.json().code).toBe('stale-version')
    const view = (await inject('GET', `/api/v1/cases/${id}`, 'citizen')).json()
    expect(view.timeline.filter((e: { type: string }) => e.type === 'accepted')).toHaveLength(1)
  })

  it('checks role, department and region for every move (403, audited)', async () => {
    const { id } = await apply()
    expect((await move(id, 'accept', 'reviewer')).statusCode).toBe(403)
    expect((await inject('POST', `/api/v1/cases/${id}/accept`, 'psClerk', { version: 1 })).statusCode).toBe(
      404,
    )
    expect(
      (await inject('POST', `/api/v1/cases/${id}/accept`, 'binjiangClerk', { version: 1 })).statusCode,
    ).toBe(404)
    expect((await move(id, 'accept', 'citizen')).statusCode).toBe(403)
    const denied = await server.platform.audit.list({ action: 'route.denied', limit: 20 })
    expect(denied.map((e) => e.actorId)).toEqual(expect.arrayContaining(['s-reviewer', 'p-1']))
  })

  it('hides a case from another citizen (404)', async () => {
    const { id } = await apply()
    expect((await inject('GET', `/api/v1/cases/${id}`, 'otherCitizen')).statusCode).toBe(404)
    expect(
      (await inject('POST', `/api/v1/cases/${id}/withdraw`, 'otherCitizen', { version: 1 })).statusCode,
    ).toBe(404)
  })

  it('refuses only with a reason and a legal basis', async () => {
    const { id } = await apply()
    const bare = await move(id, 'refuse', 'clerk', { reason: '不属于本部门职权' })
    expect(bare.statusCode).toBe(400)
    expect(bare.json().errors[0].path).toBe('/legalBasis')
    const refused = await moveOk(id, 'refuse', 'clerk', {
      reason: '不属于本部门职权',
      legalBasis: '《行政许可法》第三十二条',
    })
    expect(refused).toMatchObject({ status: 'refused', allowedMoves: [] })
  })

  it('asks for correction once, listing everything; the applicant resubmits the listed materials', async () => {
    const { id } = await apply()
    const items = [
      { kind: 'material', key: 'premises', problem: 'defective', note: '租赁合同缺少签字页' },
      { kind: 'material', key: 'photo', problem: 'missing' },
      { kind: 'field', key: 'phone', problem: 'defective' },
    ]
    const asked = await moveOk(id, 'requestCorrection', 'clerk', { items })
    expect(asked.status).toBe('correction_requested')
    expect(asked.timeline.at(-1).data.items).toEqual(items)
    const incomplete = await move(id, 'resubmit', 'citizen', {
      materials: [{ key: 'premises', fileSha256: pdf, name: '租赁合同（补正）.pdf' }],
    })
    expect(incomplete.statusCode).toBe(400)
    const resubmitted = await moveOk(id, 'resubmit', 'citizen', {
      formData: { name: '张三', phone: '13900139000' },
      materials: [
        { key: 'premises', fileSha256: pdf, name: '租赁合同（补正）.pdf' },
        { key: 'photo', fileSha256: png, name: '照片.png' },
      ],
    })
    expect(resubmitted.status).toBe('pre_review')
    expect(resubmitted.formData.phone).toBe('13900139000')
    expect(resubmitted.materials.map((m: { name: string }) => m.name).sort()).toEqual([
      '居民身份证（电子证照）',
      '照片.png',
      '租赁合同（补正）.pdf',
    ])
  })

  it('lets the applicant withdraw before the decision, not after', async () => {
    const { id } = await apply()
    await moveOk(id, 'accept', 'clerk')
    expect((await moveOk(id, 'withdraw', 'citizen')).status).toBe('withdrawn')
    const { id: decided } = await apply()
    await moveOk(decided, 'accept', 'clerk')
    await moveOk(decided, 'review', 'reviewer')
    await moveOk(decided, 'deny', 'approver', { reason: '经营范围涉及前置许可' })
    expect((await move(decided, 'withdraw', 'citizen')).statusCode).toBe(409)
  })
})

describe('tasks', () => {
  it('queues each step for its department and role; claim, release, hand over', async () => {
    const { id, caseNo } = await apply()
    const queue = (await inject('GET', '/api/v1/tasks?status=open', 'clerk')).json()
    const task = queue.items.find((t: { caseNo: string }) => t.caseNo === caseNo)
    expect(task).toMatchObject({
      step: 'accept',
      role: 'window_clerk',
      departmentId: DEPT.market,
      status: 'open',
    })
    expect(
      (await inject('GET', '/api/v1/tasks', 'psClerk'))
        .json()
        .items.find((t: { caseNo: string }) => t.caseNo === caseNo),
    ).toBeUndefined()
    expect((await inject('GET', '/api/v1/tasks', 'citizen')).statusCode).toBe(403)

    const claimed = await inject('POST', `/api/v1/tasks/${task.id}/claim`, 'clerk', { version: task.version })
    expect(claimed.json()).toMatchObject({ status: 'claimed', claimedBy: 's-clerk' })
    expect(
      (await inject('POST', `/api/v1/tasks/${task.id}/claim`, 'clerk2', { version: task.version }))
        .statusCode,
    ).toBe(409)
    // a claimed task is worked by its holder
    expect((await move(id, 'accept', 'clerk2')).statusCode).toBe(409)
    const badHandOver = await inject('POST', `/api/v1/tasks/${task.id}/hand-over`, 'clerk', {
      version: claimed.json().version,
      to: 's-ps-clerk',
    })
    expect(badHandOver.statusCode).toBe(400)
    const handed = await inject('POST', `/api/v1/tasks/${task.id}/hand-over`, 'clerk', {
      version: claimed.json().version,
      to: 's-clerk2',
    })
    expect(handed.json()).toMatchObject({ status: 'claimed', claimedBy: 's-clerk2' })
    const released = await inject('POST', `/api/v1/tasks/${task.id}/release`, 'clerk2', {
      version: handed.json().version,
    })
    expect(released.json()).toMatchObject({ status: 'open', claimedBy: null })

    await moveOk(id, 'accept', 'clerk')
    const review = (await inject('GET', '/api/v1/tasks', 'reviewer'))
      .json()
      .items.find((t: { caseNo: string }) => t.caseNo === caseNo)
    expect(review).toMatchObject({ step: 'review', role: 'reviewer', status: 'open' })
  })
})

describe('time limits (电子监察)', () => {
  it('stops the clock during suspension and extends the deadline by the working days it stood', async () => {
    const { id } = await apply()
    await moveOk(id, 'accept', 'clerk')
    clock.set(new Date('2026-03-04T02:00:00Z'))
    expect((await move(id, 'suspend', 'reviewer')).statusCode).toBe(400)
    const suspended = await moveOk(id, 'suspend', 'reviewer', { reason: '现场核查' })
    expect(suspended.timeLimit.level).toBe('paused')
    clock.set(new Date('2026-03-09T02:00:00Z'))
    const resumed = await moveOk(id, 'resume', 'reviewer')
    // Wed 4 → Mon 9 March: Thu, Fri, Mon = 3 working days added
    expect(resumed.timeLimit).toMatchObject({
      pausedWorkingDays: 3,
      promisedDeadline: '2026-03-19',
      legalDeadline: '2026-04-02',
      level: 'green',
    })
    clock.set(new Date('2026-03-18T02:00:00Z'))
    expect((await inject('GET', `/api/v1/cases/${id}`, 'citizen')).json().timeLimit.level).toBe('yellow')
    clock.set(new Date('2026-03-20T02:00:00Z'))
    expect((await inject('GET', `/api/v1/cases/${id}`, 'citizen')).json().timeLimit.level).toBe('red')
    const supervision = (await inject('GET', '/api/v1/supervision/cases?level=red', 'clerk')).json()
    expect(supervision.items.map((c: { id: string }) => c.id)).toContain(id)
    await moveOk(id, 'review', 'reviewer')
    await moveOk(id, 'approve', 'approver')
    await moveOk(id, 'complete', 'approver')
    const items = (await inject('GET', '/api/v1/supervision/items', 'clerk')).json().items
    // 2 → 20 March is 14 working days, 3 of them suspended: 11; the lifecycle test's case took 0
    expect(
      items.find((i: { implementationId: string }) => i.implementationId === 'impl-business-license'),
    ).toMatchObject({
      completed: 2,
      averageWorkingDays: 5.5,
    })
    clock.set(new Date('2026-03-02T02:00:00Z'))
  })

  it('gives 即办件 the day of acceptance', async () => {
    const { id } = await apply('citizen', application({ implementationId: 'impl-immediate' }))
    const accepted = await moveOk(id, 'accept', 'clerk')
    expect(accepted.timeLimit).toMatchObject({
      promisedDeadline: '2026-03-02',
      legalDeadline: '2026-03-02',
      level: 'yellow',
    })
  })

  it('flags a case whose deadline falls in a year the calendar lacks, and resolves it once the year is added', async () => {
    clock.set(new Date('2026-12-21T02:00:00Z'))
    const { id } = await apply()
    const accepted = await moveOk(id, 'accept', 'clerk')
    expect(accepted.timeLimit).toMatchObject({ level: 'unknown', promisedDeadline: null })
    expect(accepted.timeLimit.warning.zh).toContain('2027')
    const flagged = (await inject('GET', '/api/v1/supervision/cases?level=unknown', 'clerk')).json()
    expect(flagged.items.find((c: { id: string }) => c.id === id)).toMatchObject({ flag: 'calendar-missing' })

    expect(
      (await inject('POST', '/api/v1/calendar/additions', 'clerk', { kind: 'year', year: 2027 })).statusCode,
    ).toBe(403)
    expect(
      (await inject('POST', '/api/v1/calendar/additions', 'countyAdmin', { kind: 'year', year: 2027 }))
        .statusCode,
    ).toBe(403)
    const holiday = await inject('POST', '/api/v1/calendar/additions', 'provinceAdmin', {
      kind: 'holiday',
      date: '2027-01-01',
      name: '元旦',
    })
    expect(holiday.statusCode).toBe(201)
    await inject('POST', '/api/v1/calendar/additions', 'provinceAdmin', { kind: 'year', year: 2027 })
    const listed = (await inject('GET', '/api/v1/calendar/additions', 'provinceAdmin')).json()
    expect(listed.coveredYears).toContain(2027)
    const fixed = (await inject('GET', `/api/v1/cases/${id}`, 'citizen')).json()
    expect(fixed.timeLimit).toMatchObject({ promisedDeadline: '2027-01-05', level: 'green' })
    clock.set(new Date('2026-03-02T02:00:00Z'))
  })
})
