import secureJson from 'secure-json-parse'
import { AppError } from './errors.ts'

const MAX_DEPTH = 32
const decoder = new TextDecoder('utf-8', { fatal: true })

/**
 * Parses a JSON request body defensively: rejects invalid UTF-8 (instead of silently replacing it),
 * nesting deeper than 32 levels (before parsing, so a hostile body cannot exhaust the stack),
 * prototype-poisoning keys, and NUL characters, which PostgreSQL cannot store in text.
 */
export function parseJsonBody(body: Buffer): unknown {
  let text: string
  try {
    text = decoder.decode(body)
  } catch {
    throw malformed({ zh: '请求体不是合法的 UTF-8 编码', en: 'The body is not valid UTF-8' })
  }
  if (text.trim() === '') throw malformed({ zh: '请求体为空', en: 'The body is empty' })
  if (nestingDepth(text) > MAX_DEPTH) {
    throw malformed({
      zh: `JSON 嵌套层级超过 ${MAX_DEPTH} 层`,
      en: `JSON is nested deeper than ${MAX_DEPTH} levels`,
    })
  }
  let value: unknown
  try {
    value = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' })
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'forbidden key'
    throw malformed({ zh: `JSON 格式错误：${reason}`, en: `Malformed JSON: ${reason}` })
  }
  const nulPath = findNul(value, '')
  if (nulPath !== undefined) {
    throw new AppError('validation', {
      errors: [
        {
          path: nulPath || '/',
          code: 'nul',
          message: { zh: '不能包含空字符（U+0000）', en: 'Must not contain NUL characters' },
        },
      ],
    })
  }
  return value
}

function malformed(detail: { zh: string; en: string }): AppError {
  return new AppError('malformed-body', { detail })
}

function nestingDepth(text: string): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92 /* \ */) i++
      else if (c === 34 /* " */) inString = false
    } else if (c === 34) inString = true
    else if (c === 123 || c === 91) {
      depth++
      if (depth > max) max = depth
    } else if (c === 125 || c === 93) depth--
  }
  return max
}

function findNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined
  if (value === null || typeof value !== 'object') return undefined
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`
    if (key.includes('\u0000')) return childPath
    const found = findNul(child, childPath)
    if (found !== undefined) return found
  }
  return undefined
}
