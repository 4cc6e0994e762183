import type { FormDocument } from '@tongban/contracts'
import { describe, expect, it } from 'vitest'
import { formDataToSend, isVisible, prefillValues, sectionsOf } from './form-document.ts'

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
})
