import type { FieldError, LocalizedText } from '@tongban/contracts'

/** The subset of an Ajv error the platform reads. */
export interface SchemaError {
  instancePath: string
  keyword: string
  params: Record<string, unknown>
  message?: string | undefined
  /** The schema holding the failed keyword (Ajv's `verbose`): where a field's own message is found. */
  parentSchema?: object | undefined
}

function describe(error: SchemaError): LocalizedText {
  const p = error.params
  switch (error.keyword) {
    case 'required':
      return { zh: '此项为必填项', en: 'This field is required' }
    case 'additionalProperties':
      return { zh: '不允许的字段', en: 'This field is not allowed' }
    case 'type':
      return { zh: `类型应为 ${typeName(String(p.type)).zh}`, en: `Must be ${typeName(String(p.type)).en}` }
    case 'minLength':
      return { zh: `长度不能少于 ${p.limit} 个字符`, en: `Must be at least ${p.limit} characters` }
    case 'maxLength':
      return { zh: `长度不能超过 ${p.limit} 个字符`, en: `Must be at most ${p.limit} characters` }
    case 'minimum':
    case 'exclusiveMinimum':
      return { zh: `不能小于 ${p.limit}`, en: `Must be at least ${p.limit}` }
    case 'maximum':
    case 'exclusiveMaximum':
      return { zh: `不能大于 ${p.limit}`, en: `Must be at most ${p.limit}` }
    case 'minItems':
      return { zh: `至少需要 ${p.limit} 项`, en: `Needs at least ${p.limit} items` }
    case 'maxItems':
      return { zh: `最多 ${p.limit} 项`, en: `At most ${p.limit} items` }
    case 'pattern':
      return { zh: '格式不正确', en: 'Has the wrong format' }
    case 'format':
      return { zh: `格式不正确（应为 ${p.format}）`, en: `Must be a valid ${p.format}` }
    case 'enum':
    case 'const':
      return { zh: '取值不在允许范围内', en: 'Is not one of the allowed values' }
    case 'uniqueItems':
      return { zh: '不能包含重复项', en: 'Must not contain duplicates' }
    default:
      return { zh: '取值不符合要求', en: error.message ? capitalize(error.message) : 'Is invalid' }
  }
}

const typeNames: Record<string, LocalizedText> = {
  string: { zh: '文本', en: 'a string' },
  number: { zh: '数字', en: 'a number' },
  integer: { zh: '整数', en: 'an integer' },
  boolean: { zh: '布尔值', en: 'a boolean' },
  object: { zh: '对象', en: 'an object' },
  array: { zh: '数组', en: 'an array' },
  null: { zh: '空值', en: 'null' },
}
function typeName(type: string): LocalizedText {
  return typeNames[type] ?? { zh: type, en: type }
}
function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}
function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1')
}

/**
 * A union told apart by a tag property (an OpenAPI discriminator) reports a missing or unknown tag as its
 * own keyword; it is the tag field's fault, reported like any other field's: `required` or `enum`.
 */
function asFieldFault(error: SchemaError): SchemaError {
  if (error.keyword !== 'discriminator') return error
  const tag = String(error.params.tag)
  return error.params.tagValue === undefined
    ? { ...error, keyword: 'required', params: { missingProperty: tag } }
    : { ...error, instancePath: `${error.instancePath}/${escapePointer(tag)}`, keyword: 'enum', params: {} }
}

/** The message a schema gives for its missing field (`x-missing`, see the contracts), if it gives one. */
function missingMessage(error: SchemaError): LocalizedText | undefined {
  if (error.keyword !== 'required') return undefined
  const schema = error.parentSchema as
    | { properties?: Record<string, { 'x-missing'?: LocalizedText }> }
    | undefined
  return schema?.properties?.[String(error.params.missingProperty)]?.['x-missing']
}

/**
 * Turns schema validation errors into field errors with messages in both languages. The path is a JSON
 * Pointer into the validated part of the request: the body as is, other parts under `/query`, `/params`.
 */
export function toFieldErrors(errors: SchemaError[], part = 'body'): FieldError[] {
  const prefix = part === 'body' ? '' : `/${part === 'querystring' ? 'query' : part}`
  const seen = new Set<string>()
  const result: FieldError[] = []
  for (const error of errors.map(asFieldFault)) {
    let path = error.instancePath
    if (error.keyword === 'required') path += `/${escapePointer(String(error.params.missingProperty))}`
    if (error.keyword === 'additionalProperties')
      path += `/${escapePointer(String(error.params.additionalProperty))}`
    const key = `${path}|${error.keyword}`
    if (seen.has(key)) continue
    seen.add(key)
    const message = missingMessage(error) ?? describe(error)
    result.push({ path: `${prefix}${path}` || '/', code: error.keyword, message })
  }
  return result
}
