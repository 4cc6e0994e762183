import type { FormDocument } from '@tongban/contracts'
import { describe, expect, it } from 'vitest'
import { checkForm, compileForm, mergeForms, validateWith } from './catalog.forms.ts'

const form = (
  properties: Record<string, object>,
  prefill: Record<string, string> = {},
  required: string[] = [],
): FormDocument => ({
  schema: { type: 'object', properties, required, additionalProperties: false },
  ui: {
    sections: [{ key: 'main', title: { zh: '信息', en: 'Details' }, fields: Object.keys(properties) }],
    fields: {},
  },
  prefill,
})

describe('checkForm', () => {
  it('passes the Ajv message through when the schema does not compile', () => {
    const [error] = checkForm(form({ a: { type: 'strnig' } }), '/form')
    expect(error).toMatchObject({ path: '/form/schema', code: 'schemaCompile' })
    expect(error!.message.en).toContain('does not compile')
  })

  it('refuses unknown keywords (strict), unknown fields in hints and unknown prefill sources', () => {
    expect(checkForm(form({ a: { type: 'string', minLenght: 2 } }), '')[0]?.code).toBe('schemaCompile')
    const bad = form({ a: { type: 'string' } }, { a: 'profile.shoeSize', b: 'profile.name' })
    bad.ui.fields.c = { label: { zh: '丙', en: 'C' }, showIf: { field: 'd', equals: true } }
    expect(checkForm(bad, '').map((e) => `${e.path} ${e.code}`)).toEqual([
      '/ui/fields/c unknownField',
      '/ui/fields/c/showIf/field unknownField',
      '/prefill/a prefillSource',
      '/prefill/b unknownField',
    ])
    expect(checkForm(form({ a: { type: 'string' } }, { a: 'license:11100000000013127D001' }), '')).toEqual([])
  })
})

describe('validateWith', () => {
  it('checks ID numbers and credit codes with the national check characters', () => {
    const compiled = compileForm(form({ id: { type: 'string', format: 'id-number' } }, {}, ['id']))
    if (!compiled.ok) throw new Error(compiled.message)
    expect(validateWith(compiled.validate, { id: '110101199003070000' })[0]).toMatchObject({
      path: '/id',
      code: 'format',
    })
    expect(validateWith(compiled.validate, {})[0]).toMatchObject({ path: '/id', code: 'required' })
  })
})

describe('mergeForms', () => {
  it('asks a prefilled or same-key field once, renames a clash, and maps each member’s keys', () => {
    const a = form(
      { name: { type: 'string' }, phone: { type: 'string' }, size: { type: 'integer' } },
      { name: 'profile.name' },
      ['name'],
    )
    const b = form(
      { applicant: { type: 'string' }, size: { type: 'string' }, phone: { type: 'string' } },
      { applicant: 'profile.name' },
      ['phone'],
    )
    const merged = mergeForms([
      { itemCode: 'A1', form: a },
      { itemCode: 'B2', form: b },
    ])
    expect(Object.keys(merged.form.schema.properties as object)).toEqual(['name', 'phone', 'size', 'size_b2'])
    expect(merged.form.schema.required).toEqual(['name', 'phone'])
    expect(merged.fieldMaps[1]).toEqual({ applicant: 'name', size: 'size_b2', phone: 'phone' })
    expect(merged.form.prefill).toEqual({ name: 'profile.name' })
    expect(compileForm(merged.form).ok).toBe(true)
  })
})
