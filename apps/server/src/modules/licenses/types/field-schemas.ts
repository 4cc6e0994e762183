import type { FieldError } from '@tongban/contracts'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { invalid } from '../../../platform/errors.ts'
import { messages } from '../licenses.messages.ts'
import type { LicenseTypeRecord } from '../licenses.repository.ts'

/** Compiled validators kept per process before the cache starts over. */
const MAX_VALIDATORS = 500

/** The JSON Schemas of license types' 照面信息 (fields), compiled once and kept. */
export class FieldSchemas {
  private readonly ajv: Ajv
  private readonly validators = new Map<string, ValidateFunction>()

  constructor() {
    this.ajv = new Ajv({ allErrors: true, strict: false })
    addFormats.default(this.ajv)
  }

  /** Compiles a fields schema, or answers (400) which part of it is wrong. */
  compile(schema: unknown, path = '/fieldsSchema'): ValidateFunction {
    const key = JSON.stringify(schema)
    const cached = this.validators.get(key)
    if (cached) return cached
    if (!isObjectSchema(schema)) throw invalid([{ path, code: 'schema', message: messages.schemaNotObject }])
    try {
      const validate = this.ajv.compile(schema)
      if (this.validators.size > MAX_VALIDATORS) this.validators.clear()
      this.validators.set(key, validate)
      return validate
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error)
      throw invalid([{ path, code: 'schema', message: messages.schemaInvalid(why) }])
    }
  }

  /** Checks fields against their type; 400 with one error per violation. */
  validate(type: LicenseTypeRecord, fields: Record<string, unknown>): void {
    const validate = this.compile(type.fields_schema)
    if (validate(fields)) return
    throw invalid((validate.errors ?? []).map(fieldError), messages.fieldsInvalid)
  }

  /** What is wrong with fields, in words (for a log), or undefined when they match their type. */
  problemsOf(type: LicenseTypeRecord, fields: Record<string, unknown>): string | undefined {
    const validate = this.compile(type.fields_schema)
    return validate(fields) ? undefined : this.ajv.errorsText(validate.errors)
  }
}

function isObjectSchema(schema: unknown): schema is { type: 'object' } {
  return Boolean(schema) && typeof schema === 'object' && (schema as { type?: unknown }).type === 'object'
}

type AjvError = NonNullable<ValidateFunction['errors']>[number]

function fieldError(e: AjvError): FieldError {
  const missing =
    e.keyword === 'required' ? `/${(e.params as { missingProperty: string }).missingProperty}` : ''
  return {
    path: `/fields${e.instancePath}${missing}`,
    code: e.keyword,
    message: messages.fieldInvalid(e.message),
  }
}
