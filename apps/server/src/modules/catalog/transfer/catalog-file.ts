import type { CatalogFile } from '@tongban/contracts'
import { formatCsv, parseCsv } from './catalog.csv.ts'

/** Rows of an import with the line each came from (CSV file line, or 1-based index in a JSON list). */
export interface CatalogImport {
  items: { line: number; row: unknown }[]
  implementations: { line: number; row: unknown }[]
}

/** The CSV columns: one file, a `record` column saying item or implementation; lists joined by `|`. */
export const CSV_COLUMNS = [
  'record',
  'code',
  'name',
  'type',
  'legalBasis',
  'departmentKind',
  'levels',
  'audience',
  'themes',
  'keywords',
  'description',
  'itemCode',
  'regionCode',
  'departmentUscc',
  'localNotes',
] as const

export const LIST_COLUMNS = new Set(['levels', 'audience', 'themes', 'keywords'])
export const ITEM_COLUMNS = [
  'code',
  'name',
  'type',
  'legalBasis',
  'departmentKind',
  'levels',
  'audience',
  'themes',
  'keywords',
  'description',
]
export const IMPLEMENTATION_COLUMNS = [
  'itemCode',
  'regionCode',
  'departmentUscc',
  'name',
  'type',
  'legalBasis',
  'localNotes',
]

/** Reads a JSON catalog file into import rows. */
export function fromJson(file: CatalogFile): CatalogImport {
  return {
    items: (file.items ?? []).map((row, index) => ({ line: index + 1, row })),
    implementations: (file.implementations ?? []).map((row, index) => ({ line: index + 1, row })),
  }
}

/** Reads a CSV catalog file into import rows; a malformed line becomes a row error later (unknown record). */
export function fromCsv(csv: string): CatalogImport {
  const records = parseCsv(csv)
  const header = records.shift()?.fields.map((h) => h.trim()) ?? []
  const result: CatalogImport = { items: [], implementations: [] }
  for (const { line, fields } of records) {
    const raw: Record<string, string> = {}
    header.forEach((column, index) => {
      raw[column] = fields[index] ?? ''
    })
    const record = raw.record
    const columns = record === 'item' ? ITEM_COLUMNS : IMPLEMENTATION_COLUMNS
    const row: Record<string, unknown> = {}
    for (const column of columns) {
      const value = raw[column] ?? ''
      row[column] = LIST_COLUMNS.has(column)
        ? value
            .split('|')
            .map((v) => v.trim())
            .filter(Boolean)
        : value
    }
    if (record === 'item') result.items.push({ line, row })
    else if (record === 'implementation') result.implementations.push({ line, row })
    else result.items.push({ line, row: { __record: record } })
  }
  return result
}

/** Formats an export as CSV (the same layout the importer reads). */
export function toCsv(file: Required<CatalogFile>): string {
  const rows: string[][] = []
  const cell = (row: Record<string, unknown>, column: string) => {
    const value = row[column]
    if (Array.isArray(value)) return value.join('|')
    return value === undefined || value === null ? '' : String(value)
  }
  for (const item of file.items as Record<string, unknown>[])
    rows.push(
      CSV_COLUMNS.map((c) => (c === 'record' ? 'item' : ITEM_COLUMNS.includes(c) ? cell(item, c) : '')),
    )
  for (const m of file.implementations as Record<string, unknown>[])
    rows.push(
      CSV_COLUMNS.map((c) =>
        c === 'record' ? 'implementation' : IMPLEMENTATION_COLUMNS.includes(c) ? cell(m, c) : '',
      ),
    )
  return formatCsv([...CSV_COLUMNS], rows)
}
