import { seeded } from '../platform/seeded.ts'

/**
 * A bounded fuzzer over the OpenAPI document: for every operation it builds requests from the operation's
 * own schemas — one valid by construction, and variants that break it (a field missing, of the wrong type,
 * too long, with control characters or SQL and script metacharacters, unknown fields, malformed path
 * parameters) — so that a test can send them as several callers and check that none answers 5xx.
 * Deterministic: a seeded generator, the same requests in every run.
 */

type Schema = {
  type?: string | string[]
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  anyOf?: Schema[]
  oneOf?: Schema[]
  allOf?: Schema[]
  const?: unknown
  enum?: unknown[]
  format?: string
  pattern?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  minItems?: number
  $ref?: string
}

interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required?: boolean
  schema?: Schema
}

interface Operation {
  parameters?: Parameter[]
  requestBody?: { content?: Record<string, { schema?: Schema }> }
}

/** One request of the fuzz run. */
export interface FuzzRequest {
  method: string
  url: string
  headers: Record<string, string>
  payload?: string
  /** What the request tries, for the failure report. */
  variant: string
}

const NASTY = [
  "' OR '1'='1",
  '<script>alert(1)</script>',
  '\u0000',
  '../../etc/passwd',
  '𠈌氏宗祠',
  '%00%ff',
  '{"$ne":null}',
  '9'.repeat(40),
  '',
]

const FORMATS: Record<string, string> = {
  uuid: '7d1f7f6e-0000-4000-8000-000000000001',
  date: '2026-12-07',
  'date-time': '2026-12-07T08:00:00.000Z',
  email: 'zhang.wei@example.cn',
  uri: 'https://example.cn/callback',
}

/** A value the schema accepts, as far as a schema-only generator can tell. */
function valid(schema: Schema | undefined, resolve: (s: Schema) => Schema, depth = 0): unknown {
  const s = schema ? resolve(schema) : {}
  if (s.const !== undefined) return s.const
  if (s.enum?.length) return s.enum[0]
  const choice = s.anyOf ?? s.oneOf
  if (choice?.length) return valid(choice[0], resolve, depth)
  if (s.allOf?.length) return Object.assign({}, ...s.allOf.map((p) => valid(p, resolve, depth) as object))
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type
  switch (type) {
    case 'string':
      if (s.format && FORMATS[s.format]) return FORMATS[s.format]
      if (s.pattern === '^[0-9a-f]{64}$') return 'a'.repeat(64)
      return '测试'.padEnd(Math.max(s.minLength ?? 1, 2), 'x').slice(0, s.maxLength ?? 20)
    case 'integer':
    case 'number':
      return s.minimum ?? 1
    case 'boolean':
      return true
    case 'array':
      return depth > 3
        ? []
        : Array.from({ length: s.minItems ?? 0 }, () => valid(s.items, resolve, depth + 1))
    case 'object': {
      const out: Record<string, unknown> = {}
      if (depth > 4) return out
      for (const key of s.required ?? []) out[key] = valid(s.properties?.[key], resolve, depth + 1)
      return out
    }
    default:
      return 'x'
  }
}

/** Variants of a valid body that each break one thing. */
function brokenBodies(body: unknown, schema: Schema, random: () => number): [string, unknown][] {
  const variants: [string, unknown][] = [
    ['not an object', [1, 2, 3]],
    ['null', null],
    ['unknown field', { ...(body as object), 'x-unknown': true }],
  ]
  const keys = Object.keys(schema.properties ?? {})
  for (const key of keys.slice(0, 6)) {
    const nasty = NASTY[Math.floor(random() * NASTY.length)]
    variants.push([`${key} wrong type`, { ...(body as object), [key]: { nested: [nasty] } }])
    variants.push([`${key} nasty string`, { ...(body as object), [key]: nasty }])
    variants.push([`${key} huge`, { ...(body as object), [key]: '长'.repeat(5000) }])
  }
  for (const key of (schema.required ?? []).slice(0, 3)) {
    const { [key]: _, ...rest } = body as Record<string, unknown>
    variants.push([`${key} missing`, rest])
  }
  return variants
}

function fillPath(path: string, value: (name: string) => string): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(value(name)))
}

/** The requests of a bounded fuzz run over every operation of an OpenAPI 3.1 document. */
export function fuzzRequests(document: {
  paths: Record<string, Record<string, Operation>>
  components?: { schemas?: Record<string, Schema> }
}): FuzzRequest[] {
  const random = seeded(20261207)
  const resolve = (s: Schema): Schema => {
    const name = s.$ref?.replace('#/components/schemas/', '')
    return name ? (document.components?.schemas?.[name] ?? {}) : s
  }
  const requests: FuzzRequest[] = []
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const params = operation.parameters ?? []
      const pathSchema = (name: string) => params.find((p) => p.in === 'path' && p.name === name)?.schema
      const query = new URLSearchParams()
      for (const p of params.filter((p) => p.in === 'query' && p.required))
        query.set(p.name, String(valid(p.schema, resolve)))
      const headers: Record<string, string> = { 'idempotency-key': `fuzz-${requests.length}-0001` }
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema
      const body = bodySchema ? valid(bodySchema, resolve) : undefined
      const url = (p: string) => (query.size > 0 ? `${p}?${query}` : p)
      const validPath = fillPath(path, (name) => String(valid(pathSchema(name), resolve)))
      const send = (variant: string, target: string, payload?: unknown) =>
        requests.push({
          method: method.toUpperCase(),
          url: target,
          headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' },
          ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
          variant,
        })
      send('valid', url(validPath), body)
      if (path.includes('{')) {
        for (const bad of ['not-a-uuid', NASTY[0]!, 'x'.repeat(250), '%E0%A4%A'])
          send(
            `path ${bad.slice(0, 12)}`,
            url(fillPath(path, () => bad)).replace('%25E0%25A4%25A', '%E0%A4%A'),
            body,
          )
      }
      for (const p of params.filter((p) => p.in === 'query').slice(0, 4)) {
        const broken = new URLSearchParams(query)
        broken.set(p.name, NASTY[Math.floor(random() * NASTY.length)]!)
        send(`query ${p.name}`, `${validPath}?${broken}`, body)
        broken.set(p.name, '-1')
        send(`query ${p.name} negative`, `${validPath}?${broken}`, body)
      }
      if (bodySchema) {
        for (const [variant, payload] of brokenBodies(body, resolve(bodySchema), random))
          send(`body ${variant}`, url(validPath), payload)
        requests.push({
          method: method.toUpperCase(),
          url: url(validPath),
          headers: { ...headers, 'content-type': 'application/json' },
          payload: '{"unterminated": ',
          variant: 'body malformed JSON',
        })
      }
    }
  }
  return requests
}
