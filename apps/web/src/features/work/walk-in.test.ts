import { type FormDocument, WalkInCase } from '@tongban/contracts'
import { buildIdNumber, buildUscc } from '@tongban/standards/pure'
import { Value } from 'typebox/value'
import { describe, expect, it } from 'vitest'
import { ApiProblem, clientProblem } from '../../api/client.ts'
import type { TongbanClaims } from '../../auth/session.ts'
import { prefillValues } from '../cases/form-document.ts'
import { clerkGrants, isWindowClerk } from './clerk-role.ts'
import {
  clerkScopes,
  idNumberError,
  inScope,
  keepIdempotencyKey,
  prefillUpdates,
  scopeQuery,
  stepOfPath,
  toWalkInApplicant,
  toWalkInCase,
  usccError,
  walkInPrefillSources,
} from './walk-in.ts'

const ID = buildIdNumber({ regionCode: '330106', birthDate: '1991-04-12', sex: 'female', sequence: 368 })
const USCC = buildUscc({ regionCode: '330106', organizationCode: 'MA2H7K3Q' })

const staff = (...grants: [string, string | null, string][]): TongbanClaims => ({
  sub: 's',
  account_kind: 'staff',
  roles: grants.map(([role, departmentId, regionCode]) => ({ role, departmentId, regionCode })),
})

/** A form like the demo catalog's: who applies (prefilled) and the item's own questions. */
const form: FormDocument = {
  schema: {
    type: 'object',
    properties: {
      applicantName: { type: 'string' },
      applicantIdNumber: { type: 'string', format: 'id-number' },
      applicantPhone: { type: 'string' },
      shopName: { type: 'string' },
      hasBranch: { type: 'boolean' },
      branchAddress: { type: 'string' },
    },
    required: ['applicantName', 'applicantIdNumber'],
  },
  ui: {
    sections: [],
    fields: {
      branchAddress: {
        label: { zh: '分店地址', en: 'Branch' },
        showIf: { field: 'hasBranch', equals: true },
      },
    },
  },
  prefill: {
    applicantName: 'profile.name',
    applicantIdNumber: 'profile.idNumber',
    applicantPhone: 'profile.phone',
  },
}

describe('who may take walk-ins, and from which services', () => {
  it('shows 窗口受理 only to staff holding the window clerk role', () => {
    expect(isWindowClerk(staff(['window_clerk', 'd1', '330106']))).toBe(true)
    expect(isWindowClerk(staff(['reviewer', 'd1', '330106'], ['department_admin', 'd1', '330106']))).toBe(
      false,
    )
    expect(isWindowClerk(undefined)).toBe(false)
  })

  it('offers each department the clerk is window clerk of, and the region of a grant without one', () => {
    const grants = clerkGrants(
      staff(
        ['window_clerk', 'd1', '330106'],
        ['reviewer', 'd9', '330106'],
        ['window_clerk', 'd1', '330106'],
        ['window_clerk', null, '330108'],
      ),
    )
    const scopes = clerkScopes(grants)
    expect(scopes.map((scope) => scope.key)).toEqual(['department:d1', 'region:330108'])
    expect(scopeQuery(scopes[0]!)).toEqual({ department: 'd1' })
    expect(scopeQuery(scopes[1]!)).toEqual({ region: '330108' })
  })

  it('keeps a region’s services to those the server lets the clerk file: not the province’s', () => {
    const [region] = clerkScopes(clerkGrants(staff(['window_clerk', null, '330106'])))
    expect(inScope(region!, { departmentId: 'x', regionCode: '330106' })).toBe(true)
    expect(inScope(region!, { departmentId: 'x', regionCode: '330000' })).toBe(false)
    expect(inScope(region!, { departmentId: 'x', regionCode: '330108' })).toBe(false)
    const [department] = clerkScopes(clerkGrants(staff(['window_clerk', 'd1', '330106'])))
    expect(inScope(department!, { departmentId: 'd1', regionCode: '330106' })).toBe(true)
    expect(inScope(department!, { departmentId: 'd2', regionCode: '330106' })).toBe(false)
  })
})

describe('the applicant', () => {
  it('checks ID numbers and USCCs before sending, in the user’s language', () => {
    expect(idNumberError(ID, 'zh-CN')).toBeUndefined()
    expect(idNumberError(` ${ID.toLowerCase()} `, 'zh-CN')).toBeUndefined()
    const mistyped = `${ID.slice(0, 16)}${ID[16] === '1' ? '2' : '1'}${ID[17]}`
    expect(idNumberError(mistyped, 'zh-CN')).toMatch(/校验码错误/)
    expect(idNumberError(mistyped, 'en')).toMatch(/check character/)
    expect(idNumberError('3301', 'zh-CN')).toMatch(/18 位/)
    expect(usccError(USCC, 'zh-CN')).toBeUndefined()
    const badUscc = `${USCC.slice(0, 17)}${USCC[17] === '0' ? '1' : '0'}`
    expect(usccError(badUscc, 'zh-CN')).toMatch(/校验/)
  })

  it('sends a person trimmed, with the check character in upper case and no empty phone', () => {
    const idLower = ID.endsWith('X') ? ID.toLowerCase() : ID
    expect(
      toWalkInApplicant({ kind: 'person', name: ' 林晓雯 ', idNumber: ` ${idLower}`, phone: '' }),
    ).toEqual({
      kind: 'person',
      name: '林晓雯',
      idNumber: ID,
    })
  })

  it('sends a company with its agent, leaving the person’s own fields out', () => {
    expect(
      toWalkInApplicant({
        kind: 'company',
        name: '杭州西溪茶舍有限公司',
        uscc: USCC.toLowerCase(),
        idNumber: 'left over from the person tab',
        agent: { name: '林晓雯', idNumber: ID, phone: '13900001111' },
      }),
    ).toEqual({
      kind: 'company',
      name: '杭州西溪茶舍有限公司',
      uscc: USCC,
      agent: { name: '林晓雯', idNumber: ID, phone: '13900001111' },
    })
  })
})

describe('prefill at the window: from the applicant entered, never from the clerk', () => {
  it('fills the form’s applicant fields from the person at the counter', () => {
    const applicant = toWalkInApplicant({
      kind: 'person',
      name: '林晓雯',
      idNumber: ID,
      phone: '13900001111',
    })
    expect(prefillValues(form, walkInPrefillSources(applicant))).toEqual({
      applicantName: '林晓雯',
      applicantIdNumber: ID,
      applicantPhone: '13900001111',
    })
  })

  it('takes a company’s agent as the person, and the company’s code and name', () => {
    const sources = walkInPrefillSources(
      toWalkInApplicant({
        kind: 'company',
        name: '茶舍',
        uscc: USCC,
        agent: { name: '林晓雯', idNumber: ID },
      }),
    )
    expect(sources).toMatchObject({ 'profile.name': '林晓雯', 'company.uscc': USCC, 'company.name': '茶舍' })
    expect(sources['profile.phone']).toBeUndefined()
  })

  it('overwrites empty and previously prefilled fields, not what the clerk changed', () => {
    expect(
      prefillUpdates(
        { applicantName: '林晓雯', applicantIdNumber: ID, applicantPhone: '13900002222' },
        { applicantName: '林小雯', applicantPhone: '13900001111' },
        { applicantName: '林小雯', applicantPhone: '13700000000' },
      ),
    ).toEqual({ applicantName: '林晓雯', applicantIdNumber: ID })
  })
})

describe('the request', () => {
  it('matches the WalkInCase contract, with only visible, non-empty form fields', () => {
    const body = toWalkInCase({
      applicant: { kind: 'person', name: '林晓雯', idNumber: ID, phone: '13900001111' },
      guide: { implementationId: 'impl-1', version: 3, form },
      formData: {
        applicantName: '林晓雯',
        shopName: ' 晓雯茶铺 ',
        hasBranch: false,
        branchAddress: '西湖区 1 号',
      },
      materials: [{ key: 'm1', fileSha256: 'a'.repeat(64), name: '申请书.pdf' }],
      declaration: true,
      accept: true,
      comment: '  ',
    })
    expect(body.formData).toEqual({ applicantName: '林晓雯', shopName: '晓雯茶铺', hasBranch: false })
    expect(body).not.toHaveProperty('comment')
    expect(body.guideVersion).toBe(3)
    expect(Value.Check(WalkInCase, body)).toBe(true)
  })

  it('reuses the Idempotency-Key after a failure of unknown outcome, not after a refusal', () => {
    expect(keepIdempotencyKey(new ApiProblem(clientProblem(0, 'network', 'error.network')))).toBe(true)
    expect(keepIdempotencyKey(new ApiProblem(clientProblem(502, 'http-error', 'error.generic')))).toBe(true)
    expect(keepIdempotencyKey(new ApiProblem(clientProblem(422, 'validation', 'error.generic')))).toBe(false)
    expect(keepIdempotencyKey(new ApiProblem(clientProblem(409, 'conflict', 'error.generic')))).toBe(false)
  })

  it('sends the clerk back to the step an error is about', () => {
    expect(stepOfPath('/applicant/agent/idNumber')).toBe(1)
    expect(stepOfPath('/formData/shopName')).toBe(2)
    expect(stepOfPath('/materials/0')).toBe(2)
    expect(stepOfPath('/implementationId')).toBe(0)
  })
})
