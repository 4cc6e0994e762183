import { CASE_MOVES, type CaseMove } from '@tongban/contracts'
import { describe, expect, it } from 'vitest'
import { type Actor, anonymous, type RoleGrant } from '../../platform/authz.ts'
import {
  type CaseOfPolicy,
  canSeeCase,
  isHeldByAnother,
  mayBeHandedTask,
  mayChangeClaim,
  mayEditNationalCalendar,
  mayFileWalkIn,
  mayMakeMove,
  mayReadProcessingTimes,
  maySupervise,
  mayWorkTask,
} from './cases.policy.ts'
import { applyEvent, type CaseState, initialState } from './cases.state.ts'
import { caseActors, DEPT } from './cases.testing.ts'
import { defaultSteps } from './lifecycle/workflow.ts'

// The record-level decisions of cases.policy.ts, as tables: who (a role, its department and region) may
// do what with which record. Every caller not listed in a row is refused.

const staff = (
  accountId: string,
  role: RoleGrant['role'],
  departmentId: string | null,
  regionCode: string,
): Actor => ({
  kind: 'staff',
  accountId,
  name: accountId,
  roles: [{ role, departmentId, regionCode }],
  realNameLevel: 3,
})
const CALLERS: Record<string, Actor> = {
  ...caseActors(),
  anonymous,
  marketAdmin: staff('s-market-admin', 'department_admin', DEPT.market, '330106'),
  cityClerk: staff('s-city-clerk', 'window_clerk', DEPT.market, '330100'),
  binjiangReviewer: staff('s-bj-reviewer', 'reviewer', DEPT.market, '330108'),
  binjiangApprover: staff('s-bj-approver', 'approver', DEPT.market, '330108'),
  securityAdmin: staff('s-security', 'security_admin', null, '330000'),
}
const callers = Object.keys(CALLERS)
const allowedOf = (decide: (actor: Actor) => boolean) =>
  callers.filter((name) => decide(CALLERS[name]!)).sort()

const stateAfter = (...types: Parameters<typeof applyEvent>[1]['type'][]): CaseState =>
  types.reduce(
    (state, type) => applyEvent(state, { type, day: '2026-03-02', data: { reviewSteps: 1 } }),
    initialState,
  )
const SUBMITTED = stateAfter('submitted')
const ACCEPTED = stateAfter('submitted', 'accepted')
const REVIEWED = stateAfter('submitted', 'accepted', 'reviewed')
const APPROVED = stateAfter('submitted', 'accepted', 'reviewed', 'approved')
const COMPLETED = stateAfter('submitted', 'accepted', 'reviewed', 'approved', 'completed')
const SUSPENDED = stateAfter('submitted', 'accepted', 'suspended')
const CORRECTING = stateAfter('submitted', 'correction_requested')

/** A case of 张三 (p-1) with 西湖区市场监管局, in the given state. */
const personCase = (state: CaseState): CaseOfPolicy => ({
  applicant_id: 'p-1',
  acting_for_id: null,
  region_code: '330106',
  department_id: DEPT.market,
  workflow: defaultSteps(),
  state,
})

/** The state each move is made from in the table. */
const FROM: Record<CaseMove, CaseState> = {
  startPreReview: SUBMITTED,
  accept: SUBMITTED,
  refuse: SUBMITTED,
  requestCorrection: SUBMITTED,
  resubmit: CORRECTING,
  review: ACCEPTED,
  approve: REVIEWED,
  deny: REVIEWED,
  complete: APPROVED,
  deliver: COMPLETED,
  withdraw: SUBMITTED,
  suspend: ACCEPTED,
  resume: SUSPENDED,
}

const accepting = ['cityClerk', 'clerk', 'clerk2']
const deciding = ['approver']
const anyStep = [...accepting, 'reviewer', ...deciding]

/** Who may make each move on 张三's case: the staff of the move's steps, or its owner. */
const MOVE_TABLE: Record<CaseMove, string[]> = {
  startPreReview: accepting,
  accept: accepting,
  refuse: accepting,
  requestCorrection: accepting,
  resubmit: ['citizen'],
  review: ['reviewer'],
  approve: deciding,
  deny: deciding,
  complete: deciding,
  deliver: [...accepting, ...deciding],
  withdraw: ['citizen'],
  suspend: anyStep,
  resume: anyStep,
}

describe('who may see a case', () => {
  it('is its owner, and staff with a case-reading role for its region and one of its departments', () => {
    expect(allowedOf((a) => canSeeCase(a, personCase(SUBMITTED)))).toEqual(
      ['approver', 'citizen', 'cityClerk', 'clerk', 'clerk2', 'marketAdmin', 'reviewer'].sort(),
    )
  })

  it('is, for a company’s case, the agent who filed it, the company and its agents', () => {
    const companyCase = { ...personCase(SUBMITTED), applicant_id: 'p-3', acting_for_id: 'c-1' }
    const owners = allowedOf((a) => canSeeCase(a, companyCase)).filter(
      (name) => CALLERS[name]!.kind !== 'staff',
    )
    expect(owners).toEqual(['agent', 'company'])
  })

  it('includes the staff of a department working one of its steps', () => {
    const joint = {
      ...personCase(ACCEPTED),
      workflow: defaultSteps().map((s) => (s.kind === 'review' ? { ...s, departmentId: DEPT.tax } : s)),
    }
    expect(allowedOf((a) => canSeeCase(a, joint))).toEqual(
      [
        'approver',
        'citizen',
        'cityClerk',
        'clerk',
        'clerk2',
        'marketAdmin',
        'reviewer',
        'taxApprover',
        'taxClerk',
        'taxReviewer',
      ].sort(),
    )
    expect(allowedOf((a) => mayMakeMove(a, joint, 'review'))).toEqual(['taxReviewer'])
  })
})

describe('who may make which move', () => {
  for (const move of CASE_MOVES)
    it(`${move}: ${MOVE_TABLE[move].join(', ')}`, () => {
      expect(allowedOf((a) => mayMakeMove(a, personCase(FROM[move]), move))).toEqual(
        [...MOVE_TABLE[move]].sort(),
      )
    })

  it('asks for correction after acceptance by the review step, before it by the acceptance step', () => {
    expect(allowedOf((a) => mayMakeMove(a, personCase(ACCEPTED), 'requestCorrection'))).toEqual(['reviewer'])
  })

  it('lets the agent and the company make the applicant’s moves on the company’s case, not the person alone', () => {
    const companyCase = { ...personCase(SUBMITTED), applicant_id: 'p-3', acting_for_id: 'c-1' }
    expect(allowedOf((a) => mayMakeMove(a, companyCase, 'withdraw'))).toEqual(['agent', 'company'])
  })

  it('keeps others from a case whose task is claimed, except for suspending and resuming', () => {
    const claimed = { status: 'claimed' as const, claimed_by: 's-clerk' }
    expect(allowedOf((a) => isHeldByAnother(a, claimed, 'accept'))).toEqual(
      callers.filter((n) => n !== 'clerk').sort(),
    )
    expect(allowedOf((a) => isHeldByAnother(a, claimed, 'suspend'))).toEqual([])
    expect(allowedOf((a) => isHeldByAnother(a, claimed, 'withdraw'))).toEqual([])
    expect(allowedOf((a) => isHeldByAnother(a, { status: 'open', claimed_by: null }, 'accept'))).toEqual([])
  })
})

describe('who may work a task', () => {
  const task = {
    role: 'window_clerk' as const,
    region_code: '330106',
    department_id: DEPT.market,
    claimed_by: null,
  }
  const claimed = { ...task, claimed_by: 's-clerk', status: 'claimed' }

  it('is staff holding its role in its department and region', () => {
    expect(allowedOf((a) => mayWorkTask(a, task))).toEqual(accepting)
  })

  it('claims an open task; releases or hands over a claimed one only as its holder', () => {
    expect(allowedOf((a) => mayChangeClaim(a, { ...task, status: 'open' }, 'claim'))).toEqual(callers.sort())
    expect(allowedOf((a) => mayChangeClaim(a, { ...task, status: 'open' }, 'handOver'))).toEqual(
      callers.sort(),
    )
    expect(allowedOf((a) => mayChangeClaim(a, claimed, 'release'))).toEqual(['clerk'])
    expect(allowedOf((a) => mayChangeClaim(a, claimed, 'handOver'))).toEqual(['clerk'])
  })

  it('is handed over to a colleague holding its role for it', () => {
    const handed = allowedOf((a) => a.kind === 'staff' && mayBeHandedTask(a.roles, task))
    expect(handed).toEqual(accepting)
  })
})

describe('who may file a walk-in, supervise, and edit the national calendar', () => {
  const market = { regionCode: '330106', departmentId: DEPT.market }

  it('files a walk-in: a window clerk of the accepting department and region (accepting it: of the step’s role)', () => {
    expect(allowedOf((a) => mayFileWalkIn(a, market, { now: true, role: 'window_clerk' }))).toEqual(accepting)
    expect(allowedOf((a) => mayFileWalkIn(a, market, { now: true, role: 'reviewer' }))).toEqual([])
    expect(allowedOf((a) => mayFileWalkIn(a, market, { now: false, role: 'reviewer' }))).toEqual(accepting)
  })

  it('supervises a region with any grant but the security and audit administrators’ covering it', () => {
    const west = allowedOf((a) => maySupervise(a, '330106'))
    expect(west).toEqual(
      [
        ...anyStep,
        'countyAdmin',
        'marketAdmin',
        'provinceAdmin',
        'psApprover',
        'psClerk',
        'psReviewer',
        'taxApprover',
        'taxClerk',
        'taxReviewer',
      ].sort(),
    )
    expect(allowedOf((a) => maySupervise(a, '330106', DEPT.tax))).toEqual(
      ['countyAdmin', 'provinceAdmin', 'taxApprover', 'taxClerk', 'taxReviewer'].sort(),
    )
    expect(allowedOf((a) => maySupervise(a, undefined))).toEqual([])
    expect(allowedOf((a) => mayReadProcessingTimes(a, '330106')).filter((n) => !west.includes(n))).toEqual([
      'securityAdmin',
    ])
  })

  it('edits the national calendar: a system administrator of a province or above', () => {
    expect(allowedOf(mayEditNationalCalendar)).toEqual(['provinceAdmin'])
  })
})
