import type { FormDocument, MeView, PrefillView } from '@tongban/contracts'

/** A JSON Schema property as the form renderer understands it (a subset of draft-07). */
export interface SchemaProperty {
  type?: string
  enum?: unknown[]
  format?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  pattern?: string
  title?: string
}

/** One section of the rendered form with its fields in order. */
export interface FormSection {
  key: string
  title: { zh: string; en: string } | undefined
  fields: string[]
}

/** The properties of a form document's schema. */
export function propertiesOf(form: FormDocument): Record<string, SchemaProperty> {
  const properties = form.schema.properties
  return typeof properties === 'object' && properties !== null
    ? (properties as Record<string, SchemaProperty>)
    : {}
}

/** The required field keys of a form document's schema. */
export function requiredOf(form: FormDocument): Set<string> {
  const required = form.schema.required
  return new Set(Array.isArray(required) ? required.filter((k): k is string => typeof k === 'string') : [])
}

/**
 * Sections in the order of the UI hints; fields of the schema that no section names are gathered in a
 * last, untitled section so that nothing the schema asks for is left out.
 */
export function sectionsOf(form: FormDocument): FormSection[] {
  const properties = propertiesOf(form)
  const placed = new Set<string>()
  const sections: FormSection[] = form.ui.sections.map((section) => {
    const fields = section.fields.filter((key) => key in properties)
    for (const key of fields) placed.add(key)
    return { key: section.key, title: section.title, fields }
  })
  const rest = Object.keys(properties).filter((key) => !placed.has(key))
  if (rest.length > 0) sections.push({ key: 'other', title: undefined, fields: rest })
  return sections.filter((section) => section.fields.length > 0)
}

/** Whether a field is shown, given the current values (`showIf` hides; it never makes a field required). */
export function isVisible(form: FormDocument, key: string, values: Record<string, unknown>): boolean {
  const condition = form.ui.fields[key]?.showIf
  if (!condition) return true
  const value = values[condition.field]
  // Select values are strings; compare loosely so `true` and 'true', 2 and '2' match.
  return value === condition.equals || String(value) === String(condition.equals)
}

/** The application data to send: only the schema's visible fields, without empty values. */
export function formDataToSend(form: FormDocument, values: Record<string, unknown>): Record<string, unknown> {
  const properties = propertiesOf(form)
  const data: Record<string, unknown> = {}
  for (const key of Object.keys(properties)) {
    const value = values[key]
    if (value === undefined || value === null || value === '') continue
    if (!isVisible(form, key, values)) continue
    data[key] = typeof value === 'string' ? value.trim() : value
  }
  return data
}

/** What is known of the applicant, by the catalog's prefill source (`profile.name`, `company.uscc` …). */
export type PrefillSources = Record<string, string | null | undefined>

/**
 * Values for the fields that declare a prefill source the applicant's data answers. Masked values
 * (110***********1234) are never filled in: they are not valid answers.
 */
export function prefillValues(form: FormDocument, known: PrefillSources): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [key, source] of Object.entries(form.prefill)) {
    const value = known[source]
    if (value && !value.includes('*')) values[key] = value
  }
  return values
}

/**
 * What is known of the applicant by prefill source: the owner-only prefill answer (full values), or —
 * when it cannot be had — what the account view shows in full (name, e-mail, the company acted for).
 */
export function prefillSources(prefill: PrefillView | undefined, me: MeView | undefined): PrefillSources {
  if (prefill) return prefill.values
  if (!me) return {}
  const company = me.actingFor ? me.companies.find((c) => c.id === me.actingFor?.id) : undefined
  return {
    'profile.name': me.name,
    'profile.email': me.email,
    'company.uscc': company?.uscc ?? me.uscc,
    'company.name': me.actingFor?.name ?? (me.kind === 'company' ? me.name : null),
  }
}

/** Where the confirmation page finds the answer (the query code is shown once and kept nowhere else). */
export const SUBMITTED_KEY = 'tongban.submitted'
