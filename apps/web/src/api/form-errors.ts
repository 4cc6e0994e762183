import type { FieldError } from '@tongban/contracts'
import type { FormInstance } from 'antd'
import { type Language, pickLocalized } from '../i18n/i18n.ts'
import { ApiProblem } from './client.ts'

/** An Ant Design form field name. */
export type NamePath = (string | number)[]

/** Turns a JSON Pointer (`/applicant/idNumber`, `/materials/0/file`) into an AntD name path. */
export function pointerToNamePath(pointer: string): NamePath {
  if (pointer === '' || pointer === '/') return []
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment))
}

function key(path: NamePath): string {
  return JSON.stringify(path.map(String))
}

/** The part of an AntD form this helper needs (a real FormInstance satisfies it). */
export type ProblemForm = Pick<FormInstance, 'getFieldsError' | 'setFields'>

/** Result of applying a problem to a form: errors with no matching field are for a global message. */
export interface AppliedProblem {
  applied: FieldError[]
  unmatched: FieldError[]
}

/**
 * Shows the server's field errors next to the form's fields, in the current language
 * (`form.setFields`). Errors whose path matches no registered field are returned as `unmatched`.
 */
export function applyProblemToForm(form: ProblemForm, error: unknown, language: Language): AppliedProblem {
  if (!(error instanceof ApiProblem)) return { applied: [], unmatched: [] }
  const registered = new Set(form.getFieldsError().map((field) => key(field.name as NamePath)))
  const messages = new Map<string, { name: NamePath; errors: string[] }>()
  const applied: FieldError[] = []
  const unmatched: FieldError[] = []
  for (const fieldError of error.fieldErrors) {
    const name = pointerToNamePath(fieldError.path)
    const id = key(name)
    if (!registered.has(id)) {
      unmatched.push(fieldError)
      continue
    }
    const entry = messages.get(id) ?? { name, errors: [] }
    entry.errors.push(pickLocalized(fieldError.message, language))
    messages.set(id, entry)
    applied.push(fieldError)
  }
  if (messages.size > 0) form.setFields([...messages.values()])
  return { applied, unmatched }
}
