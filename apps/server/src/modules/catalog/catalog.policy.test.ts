import { describe, expect, it } from 'vitest'
import type { Actor, StaffRole } from '../../platform/authz.ts'
import {
  catalogAdmins,
  guideEditors,
  mayAdministerCatalog,
  mayEditBundle,
  mayEditBundleLedBy,
  mayEditImplementation,
  mayEditItems,
  mayMakeReviewMove,
} from './catalog.policy.ts'
import type { ReviewMove } from './review/review.state.ts'

const department = '11111111-1111-4111-8111-111111111111'
const other = '22222222-2222-4222-8222-222222222222'
const implementation = { region_code: '330106', department_id: department }
const staff = (role: StaffRole, departmentId: string | null, regionCode: string): Actor => ({
  kind: 'staff',
  accountId: 's',
  name: '工作人员',
  roles: [{ role, departmentId, regionCode }],
  realNameLevel: 3,
})

describe('who may maintain an implementation and its guide', () => {
  const cases: [string, Actor, boolean][] = [
    ['anonymous', { kind: 'anonymous' }, false],
    ['citizen', { kind: 'person', accountId: 'p', name: '张三', roles: [], realNameLevel: 2 }, false],
    ['department admin of the department', staff('department_admin', department, '330106'), true],
    ['department admin of another department', staff('department_admin', other, '330106'), false],
    ['window clerk of the department', staff('window_clerk', department, '330106'), false],
    ['reviewer of the department', staff('reviewer', department, '330106'), false],
    ['system admin of the province', staff('system_admin', null, '330000'), true],
    ['system admin of another city', staff('system_admin', null, '330200'), false],
    ['security admin of the province', staff('security_admin', null, '330000'), false],
    ['audit admin of the province', staff('audit_admin', null, '330000'), false],
  ]
  for (const [name, actor, allowed] of cases)
    it(`${name}: ${allowed ? 'yes' : 'no'}`, () => {
      expect(mayEditImplementation(actor, implementation)).toBe(allowed)
      if (allowed) expect(guideEditors.allows(actor)).toBe(true)
    })

  it('keeps the base catalog to system admins', () => {
    expect(catalogAdmins.allows(staff('system_admin', null, '330000'))).toBe(true)
    expect(catalogAdmins.allows(staff('department_admin', department, '330106'))).toBe(false)
  })
})

describe('who may maintain a bundle (一件事)', () => {
  const lead = { id: department, regionCode: '330106' }
  const cases: [string, Actor, boolean, boolean][] = [
    // name, actor, may maintain a bundle led by the department, may maintain one without a lead
    ['anonymous', { kind: 'anonymous' }, false, false],
    ['citizen', { kind: 'person', accountId: 'p', name: '张三', roles: [], realNameLevel: 2 }, false, false],
    ['department admin of the lead department', staff('department_admin', department, '330106'), true, false],
    ['department admin of another department', staff('department_admin', other, '330106'), false, false],
    ['approver of the lead department', staff('approver', department, '330106'), false, false],
    ['system admin of the province', staff('system_admin', null, '330000'), true, true],
    ['system admin of another city', staff('system_admin', null, '330200'), false, true],
    ['security admin of the province', staff('security_admin', null, '330000'), false, false],
  ]
  for (const [name, actor, led, unled] of cases)
    it(`${name}: ${led ? 'yes' : 'no'} / without a lead: ${unled ? 'yes' : 'no'}`, () => {
      expect(mayEditBundle(actor, lead)).toBe(led)
      expect(mayEditBundle(actor, null)).toBe(unled)
    })
})

describe('who may maintain the base catalog, import, export and read the 四级四同 report', () => {
  const cases: [string, Actor, boolean][] = [
    ['anonymous', { kind: 'anonymous' }, false],
    ['citizen', { kind: 'person', accountId: 'p', name: '张三', roles: [], realNameLevel: 2 }, false],
    ['department admin', staff('department_admin', department, '330106'), false],
    ['system admin of the province', staff('system_admin', null, '330000'), true],
    ['system admin of a city (no department)', staff('system_admin', null, '330200'), true],
    ['system admin bound to a department', staff('system_admin', department, '330106'), false],
    ['security admin of the province', staff('security_admin', null, '330000'), false],
    ['audit admin of the province', staff('audit_admin', null, '330000'), false],
  ]
  for (const [name, actor, allowed] of cases)
    it(`${name}: ${allowed ? 'yes' : 'no'}`, () => {
      expect(mayEditItems(actor)).toBe(allowed)
      expect(mayAdministerCatalog(actor)).toBe(allowed)
      if (allowed) expect(catalogAdmins.allows(actor)).toBe(true)
    })
})

describe('which implementations a department admin may change, by where they sit', () => {
  const admin = staff('department_admin', department, '330106')
  const cases: [string, { region_code: string; department_id: string }, boolean][] = [
    ['their department, in their county', { region_code: '330106', department_id: department }, true],
    [
      'their department, placed in a township of the county',
      { region_code: '330106001000', department_id: department },
      true,
    ],
    [
      'their department, placed in another county',
      { region_code: '330108', department_id: department },
      false,
    ],
    ['another department of their county', { region_code: '330106', department_id: other }, false],
  ]
  for (const [name, record, allowed] of cases)
    it(`${name}: ${allowed ? 'yes' : 'no'}`, () => expect(mayEditImplementation(admin, record)).toBe(allowed))
})

describe('who may maintain a bundle whose lead changes', () => {
  const lead = { id: department, regionCode: '330106' }
  const next = { id: other, regionCode: '330106' }
  const cases: [string, Actor, (typeof lead | null)[], boolean][] = [
    ['admin of the current lead, keeping it', staff('department_admin', department, '330106'), [lead], true],
    [
      'admin of the current lead, handing it to another',
      staff('department_admin', department, '330106'),
      [lead, next],
      false,
    ],
    ['admin of the proposed lead only', staff('department_admin', other, '330106'), [lead, next], false],
    ['system admin over both', staff('system_admin', null, '330000'), [lead, next], true],
    [
      'system admin, a bundle without a lead getting one',
      staff('system_admin', null, '330000'),
      [null, lead],
      true,
    ],
    [
      'department admin, a bundle without a lead',
      staff('department_admin', department, '330106'),
      [null, lead],
      false,
    ],
  ]
  for (const [name, actor, leads, allowed] of cases)
    it(`${name}: ${allowed ? 'yes' : 'no'}`, () => expect(mayEditBundleLedBy(actor, leads)).toBe(allowed))
})

describe('who may make a review move on a draft they may maintain (guides and bundles)', () => {
  const draft = (status: 'draft' | 'submitted') => ({
    status,
    updated_by: 'author',
    submitted_by: status === 'submitted' ? 'submitter' : null,
  })
  const cases: [string, string | null, ReviewMove, 'draft' | 'submitted', boolean][] = [
    ['the author submits', 'author', 'submit', 'draft', true],
    ['a colleague submits', 'colleague', 'submit', 'draft', true],
    ['the author submits again after a change', 'author', 'submit', 'draft', true],
    ['the author publishes their own draft', 'author', 'publish', 'submitted', false],
    ['the submitter publishes what a colleague wrote', 'submitter', 'publish', 'submitted', false],
    ['a colleague publishes', 'colleague', 'publish', 'submitted', true],
    ['the system publishes', null, 'publish', 'submitted', true],
  ]
  for (const [name, actorId, move, status, allowed] of cases)
    it(`${name}: ${allowed ? 'yes' : 'no'}`, () =>
      expect(mayMakeReviewMove(actorId, move, draft(status))).toBe(allowed))
})
