import type { FormDocument } from '@tongban/contracts'
import { describe, expect, it } from 'vitest'
import { formDataToSend, isVisible, prefillSources, prefillValues, sectionsOf } from './form-document.ts'

const form: FormDocument = {
  schema: {
    type: 'object',
    properties: {
      applicantName: { type: 'string' },
      applicantIdNumber: { type: 'string', format: 'id-number' },
      delivery: { type: 'string', enum: ['window', 'post'] },
      address: { type: 'string' },
      note: { type: 'string' },
    },
    required: ['applicantName', 'applicantIdNumber'],
  },
  ui: {
    sections: [
      {
        key: 'applicant',
        title: { zh: '申请人', en: 'Applicant' },
        fields: ['applicantName', 'applicantIdNumber'],
      },
      { key: 'details', title: { zh: '申请事项', en: 'Details' }, fields: ['delivery', 'address', 'gone'] },
    ],
    fields: {
      applicantName: { label: { zh: '姓名', en: 'Name' } },
      address: { label: { zh: '邮寄地址', en: 'Address' }, showIf: { field: 'delivery', equals: 'post' } },
    },
  },
  prefill: { applicantName: 'profile.name', applicantIdNumber: 'profile.idNumber' },
}

describe('form documents', () => {
  it('orders fields by the UI sections and keeps schema fields no section names', () => {
    expect(sectionsOf(form).map((s) => [s.key, s.fields])).toEqual([
      ['applicant', ['applicantName', 'applicantIdNumber']],
      ['details', ['delivery', 'address']],
      ['other', ['note']],
    ])
  })

  it('hides a field until its showIf condition holds, and leaves hidden or empty values out', () => {
    expect(isVisible(form, 'address', { delivery: 'window' })).toBe(false)
    expect(isVisible(form, 'address', { delivery: 'post' })).toBe(true)
    expect(
      formDataToSend(form, { applicantName: ' 张伟 ', delivery: 'window', address: 'x', note: '' }),
    ).toEqual({
      applicantName: '张伟',
      delivery: 'window',
    })
  })

  it('prefills the fields whose source is known in full, never a masked value', () => {
    expect(
      prefillValues(form, {
        'profile.name': '张伟',
        'profile.idNumber': '330***********1234',
        'profile.phone': null,
      }),
    ).toEqual({ applicantName: '张伟' })
    expect(prefillValues(form, { 'profile.idNumber': '33010619850312933X' })).toEqual({
      applicantIdNumber: '33010619850312933X',
    })
  })

  it('takes prefill from the owner-only answer, else what the account view shows in full', () => {
    const values = { 'profile.name': '李娜', 'company.uscc': '91330106MA2FGGT42K' }
    expect(prefillSources({ values, actingFor: null } as never, undefined)).toBe(values)
    const me = {
      id: 'a',
      kind: 'person',
      name: '李娜',
      email: null,
      uscc: null,
      actingFor: { id: 'c', name: '杭州云栖数字科技有限公司' },
      companies: [
        { id: 'c', name: '杭州云栖数字科技有限公司', uscc: '91330106MA2FGGT42K', relation: 'agent' },
      ],
    }
    expect(prefillSources(undefined, me as never)).toEqual({
      'profile.name': '李娜',
      'profile.email': null,
      'company.uscc': '91330106MA2FGGT42K',
      'company.name': '杭州云栖数字科技有限公司',
    })
  })
})
