import type { FieldError, FormDocument } from '@tongban/contracts'
import { messages } from '../catalog.messages.ts'

/** A field's JSON type as compared across forms: its type, and its format when it has one. */
export function typeSignature(definition: Record<string, unknown>): string {
  const type =
    typeof definition.type === 'string' ? definition.type : JSON.stringify(definition.type ?? 'any')
  return typeof definition.format === 'string' ? `${type} (${definition.format})` : type
}

/**
 * Fields two member items share — the same key, or the same prefill source — must have the same type in
 * every published form of the items, or the merged form cannot serve both. One error per field.
 */
export function sharedFieldConflicts(forms: { item_code: string; form: FormDocument }[]): FieldError[] {
  const fields = new Map<string, { key: string; title: string; bySignature: Map<string, Set<string>> }>()
  for (const { item_code: itemCode, form } of forms) {
    const properties = (form.schema.properties ?? {}) as Record<string, Record<string, unknown>>
    for (const [key, definition] of Object.entries(properties)) {
      const source = form.prefill[key]
      for (const identity of source ? [`key:${key}`, `prefill:${source}`] : [`key:${key}`]) {
        let field = fields.get(identity)
        if (!field) {
          const title = typeof definition.title === 'string' ? definition.title : key
          field = { key, title, bySignature: new Map() }
          fields.set(identity, field)
        }
        const signature = typeSignature(definition)
        field.bySignature.set(signature, (field.bySignature.get(signature) ?? new Set()).add(itemCode))
      }
    }
  }
  const errors: FieldError[] = []
  const reported = new Set<string>()
  for (const field of fields.values()) {
    const itemCodes = new Set([...field.bySignature.values()].flatMap((codes) => [...codes]))
    if (field.bySignature.size < 2 || itemCodes.size < 2 || reported.has(field.key)) continue
    reported.add(field.key)
    const types = [...field.bySignature].map(([signature, codes]) => `${signature}: ${[...codes].join(', ')}`)
    errors.push({
      path: '/content/itemCodes',
      code: 'sharedFieldType',
      message: messages.sharedFieldType(field, types),
    })
  }
  return errors
}
