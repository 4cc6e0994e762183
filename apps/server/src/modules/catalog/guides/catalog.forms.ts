import type { FieldError, FormDocument, LocalizedText } from '@tongban/contracts'
import { PREFILL_SOURCES } from '@tongban/contracts'
import { validateIdNumber, validateUscc } from '@tongban/standards'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { toFieldErrors } from '../../../platform/validation.ts'

/**
 * The Ajv instance for application forms (JSON Schema draft-07): strict about the schema itself (an
 * unknown keyword is a mistake in the form, not something to ignore), with the standard formats and
 * two of ours: `id-number` (GB 11643) and `uscc` (GB 32100).
 */
function formAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTypes: false })
  addFormats.default(ajv)
  ajv.addFormat('id-number', { type: 'string', validate: (value: string) => validateIdNumber(value).ok })
  ajv.addFormat('uscc', { type: 'string', validate: (value: string) => validateUscc(value).ok })
  return ajv
}

const ajv = formAjv()

/** Compiles a form's schema; the Ajv message when it does not compile. */
export function compileForm(
  form: FormDocument,
): { ok: true; validate: ValidateFunction } | { ok: false; message: string } {
  try {
    // a fresh compilation every time: a schema's $id must not collide with an earlier draft's
    const { $id: _id, ...schema } = form.schema
    const validate = ajv.compile(schema)
    return { ok: true, validate }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  } finally {
    ajv.removeSchema()
  }
}

const text = (zh: string, en: string): LocalizedText => ({ zh, en })

function propertiesOf(schema: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const properties = schema.properties
  return properties && typeof properties === 'object'
    ? (properties as Record<string, Record<string, unknown>>)
    : {}
}

const PREFILL_PATTERN = /^(shared|license):[\w.-]{1,60}$/

/**
 * Checks a form document beyond its shape: the schema compiles, is an object schema, and the hints and
 * prefill declarations name fields that exist. Paths are relative to `base` (e.g. /content/form).
 */
export function checkForm(form: FormDocument, base: string): FieldError[] {
  const errors: FieldError[] = []
  const compiled = compileForm(form)
  if (!compiled.ok) {
    errors.push({
      path: `${base}/schema`,
      code: 'schemaCompile',
      message: text(
        `表单 JSON Schema 无法编译：${compiled.message}`,
        `The form's JSON Schema does not compile: ${compiled.message}`,
      ),
    })
    return errors
  }
  if (form.schema.type !== 'object') {
    errors.push({
      path: `${base}/schema/type`,
      code: 'objectSchema',
      message: text('表单的顶层类型须为 object', 'The form schema must be of type object'),
    })
    return errors
  }
  const fields = propertiesOf(form.schema)
  for (const [s, section] of form.ui.sections.entries()) {
    for (const [f, key] of section.fields.entries()) {
      if (!(key in fields))
        errors.push({
          path: `${base}/ui/sections/${s}/fields/${f}`,
          code: 'unknownField',
          message: text(`分组引用了不存在的字段 ${key}`, `The section names an unknown field ${key}`),
        })
    }
  }
  for (const [key, hint] of Object.entries(form.ui.fields)) {
    if (!(key in fields))
      errors.push({
        path: `${base}/ui/fields/${key}`,
        code: 'unknownField',
        message: text(`字段提示引用了不存在的字段 ${key}`, `Hints for an unknown field ${key}`),
      })
    if (hint.showIf && !(hint.showIf.field in fields))
      errors.push({
        path: `${base}/ui/fields/${key}/showIf/field`,
        code: 'unknownField',
        message: text(
          `显示条件引用了不存在的字段 ${hint.showIf.field}`,
          `The condition names an unknown field ${hint.showIf.field}`,
        ),
      })
  }
  for (const [key, source] of Object.entries(form.prefill)) {
    if (!(key in fields))
      errors.push({
        path: `${base}/prefill/${key}`,
        code: 'unknownField',
        message: text(`预填声明引用了不存在的字段 ${key}`, `Prefill declared for an unknown field ${key}`),
      })
    if (!(source in PREFILL_SOURCES) && !PREFILL_PATTERN.test(source))
      errors.push({
        path: `${base}/prefill/${key}`,
        code: 'prefillSource',
        message: text(`未知的预填来源 ${source}`, `Unknown prefill source ${source}`),
      })
  }
  return errors
}

/** Validates application data against a compiled form; field errors point into the data. */
export function validateWith(validate: ValidateFunction, data: unknown): FieldError[] {
  if (validate(data)) return []
  return toFieldErrors(validate.errors ?? [])
}

// ------------------------------------------------------------------------------------ bundle merge

/** One member form of a bundle, in bundle order. */
export interface MemberForm {
  itemCode: string
  form: FormDocument
}

export interface MergedForm {
  form: FormDocument
  /** Per member: its own field key → the key in the merged form. */
  fieldMaps: Record<string, string>[]
}

/**
 * Merges member forms into one (一表申请). Merge rule: two fields are the same question when they
 * declare the same prefill source, or, without prefill, have the same key and the same JSON type. The
 * first member's definition (schema, label, help) wins; the merged field is required when any member
 * requires it. A field whose key is taken by a different question is renamed `<key>_<itemCode>`.
 * Sections are merged by key, in member order.
 */
export function mergeForms(members: MemberForm[]): MergedForm {
  const properties: Record<string, Record<string, unknown>> = {}
  const required = new Set<string>()
  const hints: FormDocument['ui']['fields'] = {}
  const prefill: Record<string, string> = {}
  const byPrefill = new Map<string, string>()
  const sections: FormDocument['ui']['sections'] = []
  const fieldMaps: Record<string, string>[] = []

  for (const member of members) {
    const map: Record<string, string> = {}
    const own = propertiesOf(member.form.schema)
    const ownRequired = new Set(
      Array.isArray(member.form.schema.required) ? (member.form.schema.required as string[]) : [],
    )
    for (const [key, definition] of Object.entries(own)) {
      const source = member.form.prefill[key]
      let target = source ? byPrefill.get(source) : undefined
      if (!target && !source && properties[key] && !prefill[key] && properties[key].type === definition.type)
        target = key
      if (!target) {
        target = properties[key] ? `${key}_${member.itemCode.toLowerCase()}` : key
        properties[target] = definition
        const hint = member.form.ui.fields[key]
        if (hint) {
          const showIf = hint.showIf ? { ...hint.showIf } : undefined
          hints[target] = { ...hint, ...(showIf ? { showIf } : {}) }
        }
        if (source) {
          prefill[target] = source
          byPrefill.set(source, target)
        }
      }
      if (ownRequired.has(key)) required.add(target)
      map[key] = target
    }
    // conditions refer to the member's own keys: point them at the merged ones
    for (const [key, target] of Object.entries(map)) {
      const condition = hints[target]?.showIf
      if (condition && member.form.ui.fields[key]?.showIf && map[condition.field])
        condition.field = map[condition.field]!
    }
    for (const section of member.form.ui.sections) {
      let merged = sections.find((s) => s.key === section.key)
      if (!merged) {
        merged = { key: section.key, title: section.title, fields: [] }
        sections.push(merged)
      }
      for (const key of section.fields) {
        const target = map[key]
        if (target && !merged.fields.includes(target) && !sections.some((s) => s.fields.includes(target)))
          merged.fields.push(target)
      }
    }
    fieldMaps.push(map)
  }
  return {
    form: {
      schema: { type: 'object', properties, required: [...required], additionalProperties: false },
      ui: { sections, fields: hints },
      prefill,
    },
    fieldMaps,
  }
}
