import type { FormDocument } from '@tongban/contracts'
import type { DemoItem } from '../catalog.demo-data.ts'

type Property = Record<string, unknown>
interface FieldSpec {
  key: string
  property: Property
  label: { zh: string; en: string }
  required: boolean
  prefill?: string
  showIf?: { field: string; equals: string }
}

const text = (zh: string, en: string) => ({ zh, en })

const PERSON_FIELDS: FieldSpec[] = [
  {
    key: 'applicantName',
    property: { type: 'string', minLength: 2, maxLength: 50 },
    label: text('申请人姓名', 'Applicant name'),
    required: true,
    prefill: 'profile.name',
  },
  {
    key: 'applicantIdNumber',
    property: { type: 'string', format: 'id-number' },
    label: text('公民身份号码', 'ID number'),
    required: true,
    prefill: 'profile.idNumber',
  },
  {
    key: 'applicantPhone',
    property: { type: 'string', pattern: '^1\\d{10}$' },
    label: text('手机号码', 'Mobile phone'),
    required: true,
    prefill: 'profile.phone',
  },
]
const COMPANY_FIELDS: FieldSpec[] = [
  {
    key: 'companyName',
    property: { type: 'string', minLength: 2, maxLength: 100 },
    label: text('企业名称', 'Company name'),
    required: true,
    prefill: 'company.name',
  },
  {
    key: 'uscc',
    property: { type: 'string', format: 'uscc' },
    label: text('统一社会信用代码', 'Unified social credit code'),
    required: true,
    prefill: 'company.uscc',
  },
  {
    key: 'legalRepresentative',
    property: { type: 'string', minLength: 2, maxLength: 50 },
    label: text('法定代表人', 'Legal representative'),
    required: true,
    prefill: 'company.legalRepresentative',
  },
  {
    key: 'contactPhone',
    property: { type: 'string', pattern: '^1\\d{10}$' },
    label: text('联系电话', 'Contact phone'),
    required: true,
    prefill: 'profile.phone',
  },
]

/** Parses `key:type:中文:English`, `?` for optional, `|if=field=value` for a condition. */
function parseField(spec: string): FieldSpec {
  const [main = '', condition] = spec.split('|if=')
  const optional = main.endsWith('?')
  const [key = '', type = 's', zh = '', en = ''] = (optional ? main.slice(0, -1) : main).split(':')
  let property: Property
  if (type === 'i') property = { type: 'integer', minimum: 0 }
  else if (type === 'b') property = { type: 'boolean' }
  else if (type === 'd') property = { type: 'string', format: 'date' }
  else if (type.startsWith('e(')) property = { type: 'string', enum: type.slice(2, -1).split('/') }
  else if (/idnumber$/i.test(key)) property = { type: 'string', format: 'id-number' }
  else property = { type: 'string', minLength: 1, maxLength: 200 }
  const field: FieldSpec = { key, property, label: text(zh, en), required: !optional }
  if (condition) {
    const [field_, equals = ''] = condition.split('=')
    field.showIf = { field: field_ ?? '', equals }
  }
  return field
}

/** The form of a demo item: who applies (prefilled) and the item's own questions. */
export function buildForm(item: DemoItem): FormDocument {
  const who = item.who === 'c' ? COMPANY_FIELDS : PERSON_FIELDS
  const own = item.fields.map(parseField)
  const properties: Record<string, Property> = {}
  const fields: FormDocument['ui']['fields'] = {}
  const prefill: Record<string, string> = {}
  for (const field of [...who, ...own]) {
    properties[field.key] = { ...field.property, title: field.label.zh }
    fields[field.key] = { label: field.label, ...(field.showIf ? { showIf: field.showIf } : {}) }
    if (field.prefill) prefill[field.key] = field.prefill
  }
  return {
    schema: {
      type: 'object',
      properties,
      required: [...who, ...own].filter((f) => f.required).map((f) => f.key),
      additionalProperties: false,
    },
    ui: {
      sections: [
        {
          key: item.who === 'c' ? 'company' : 'applicant',
          title: item.who === 'c' ? text('申请单位', 'Applicant company') : text('申请人', 'Applicant'),
          fields: who.map((f) => f.key),
        },
        { key: 'details', title: text('申请事项', 'Application details'), fields: own.map((f) => f.key) },
      ],
      fields,
    },
    prefill,
  }
}
