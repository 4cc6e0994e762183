import { readFileSync } from 'node:fs'
import { isOperationNodeSource, type RawBuilder, sql } from 'kysely'
import { PREPARED } from '../../../platform/db/database.ts'

/** A placeholder of a statement file: `:name`, not part of a cast (`::jsonb`) or of a word. */
const PLACEHOLDER = /(?<![:\w]):([a-z_]+)\b/g

/**
 * A statement kept as SQL in a file beside its repository, so that a reviewer reads it as SQL; read once,
 * when the module loads. `:name` marks where a value (a parameter) or a fragment (another statement's
 * text, such as the platform's outbox INSERT) goes. Full-line `--` comments are dropped: the text sent,
 * marked to be prepared, is the statement alone, the same on every call.
 */
export function sqlFile<Row>(url: URL): (values: Record<string, unknown>) => RawBuilder<Row> {
  const text = readFileSync(url, 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .trim()
  const parts = text.split(PLACEHOLDER)
  return (values) => {
    const pieces = parts.map((part, i) => {
      if (i % 2 === 0) return sql.raw(part)
      if (!(part in values)) throw new Error(`${url.pathname}: no value for :${part}`)
      const value = values[part]
      return isOperationNodeSource(value) ? value : sql.val(value)
    })
    return sql<Row>`${sql.join([sql.raw(`${PREPARED}\n`), ...pieces], sql.raw(''))}`
  }
}
