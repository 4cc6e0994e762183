import {
  AUDIENCES,
  type CatalogFile,
  DEPARTMENT_KINDS,
  type FieldError,
  type ImportResult,
  ITEM_LEVELS,
  type ItemType,
  isItemType,
  type LocalizedText,
  THEMES,
} from '@tongban/contracts'
import type { Platform } from '../../platform/platform.ts'
import type { OrgService } from '../org/index.ts'
import { formatCsv, parseCsv } from './catalog.csv.ts'
import type { CatalogRepository } from './catalog.repository.ts'
import type { AuditWho } from './catalog.service.ts'

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

const LIST_COLUMNS = new Set(['levels', 'audience', 'themes', 'keywords'])
const ITEM_COLUMNS = [
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
const IMPLEMENTATION_COLUMNS = [
  'itemCode',
  'regionCode',
  'departmentUscc',
  'name',
  'type',
  'legalBasis',
  'localNotes',
]

const text = (zh: string, en: string): LocalizedText => ({ zh, en })

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

interface ItemRow {
  code: string
  name: string
  type: string
  legalBasis: string
  departmentKind: string
  levels: string[]
  audience: string[]
  themes: string[]
  keywords: string[]
  description: string
}
interface ImplementationRow {
  itemCode: string
  regionCode: string
  departmentUscc: string
  name: string
  type: string
  legalBasis: string
  localNotes: string
}

function str(
  row: Record<string, unknown>,
  key: string,
  errors: FieldError[],
  options: { required: boolean; max: number },
): string {
  const value = row[key]
  if (value === undefined || value === null || value === '') {
    if (options.required)
      errors.push({
        path: `/${key}`,
        code: 'required',
        message: text('此项为必填项', 'This field is required'),
      })
    return ''
  }
  if (typeof value !== 'string') {
    errors.push({ path: `/${key}`, code: 'type', message: text('类型应为文本', 'Must be a string') })
    return ''
  }
  if (value.length > options.max)
    errors.push({
      path: `/${key}`,
      code: 'maxLength',
      message: text(`长度不能超过 ${options.max} 个字符`, `At most ${options.max} characters`),
    })
  return value
}

function list(
  row: Record<string, unknown>,
  key: string,
  allowed: readonly string[] | null,
  errors: FieldError[],
  required: boolean,
): string[] {
  const value = row[key] ?? []
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    errors.push({ path: `/${key}`, code: 'type', message: text('应为文本列表', 'Must be a list of strings') })
    return []
  }
  if (required && value.length === 0)
    errors.push({
      path: `/${key}`,
      code: 'required',
      message: text('至少需要 1 项', 'Needs at least one value'),
    })
  for (const v of value as string[])
    if (allowed && !allowed.includes(v))
      errors.push({
        path: `/${key}`,
        code: 'enum',
        message: text(`取值 ${v} 不在允许范围内`, `${v} is not an allowed value`),
      })
  return value as string[]
}

function checkItem(raw: unknown, errors: FieldError[]): ItemRow {
  const row = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  if ('__record' in row) {
    errors.push({
      path: '/record',
      code: 'enum',
      message: text(
        'record 列须为 item 或 implementation',
        'The record column must be item or implementation',
      ),
    })
    return {} as ItemRow
  }
  const item: ItemRow = {
    code: str(row, 'code', errors, { required: true, max: 24 }),
    name: str(row, 'name', errors, { required: true, max: 100 }),
    type: str(row, 'type', errors, { required: true, max: 40 }),
    legalBasis: str(row, 'legalBasis', errors, { required: true, max: 4000 }),
    departmentKind: str(row, 'departmentKind', errors, { required: true, max: 40 }),
    levels: list(row, 'levels', ITEM_LEVELS, errors, true),
    audience: list(row, 'audience', AUDIENCES, errors, true),
    themes: list(row, 'themes', Object.keys(THEMES), errors, false),
    keywords: list(row, 'keywords', null, errors, false),
    description: str(row, 'description', errors, { required: false, max: 2000 }),
  }
  if (item.code && !/^[0-9A-Z]{4,24}$/.test(item.code))
    errors.push({
      path: '/code',
      code: 'pattern',
      message: text('事项编码须为 4–24 位大写字母或数字', 'The code is 4–24 upper-case letters or digits'),
    })
  if (item.type && !isItemType(item.type))
    errors.push({
      path: '/type',
      code: 'enum',
      message: text(`未知的事项类型 ${item.type}`, `Unknown item type ${item.type}`),
    })
  if (item.departmentKind && !(item.departmentKind in DEPARTMENT_KINDS))
    errors.push({
      path: '/departmentKind',
      code: 'enum',
      message: text(
        `未知的部门类别 ${item.departmentKind}`,
        `Unknown department kind ${item.departmentKind}`,
      ),
    })
  return item
}

function checkImplementationShape(raw: unknown, errors: FieldError[]): ImplementationRow {
  const row = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  return {
    itemCode: str(row, 'itemCode', errors, { required: true, max: 24 }),
    regionCode: str(row, 'regionCode', errors, { required: true, max: 12 }),
    departmentUscc: str(row, 'departmentUscc', errors, { required: true, max: 40 }),
    name: str(row, 'name', errors, { required: true, max: 100 }),
    type: str(row, 'type', errors, { required: true, max: 40 }),
    legalBasis: str(row, 'legalBasis', errors, { required: true, max: 4000 }),
    localNotes: str(row, 'localNotes', errors, { required: false, max: 2000 }),
  }
}

/**
 * Validates every row, then (unless a dry run, and only when no row failed) writes all of them in one
 * transaction: items by code, implementations by (item, region, department). Implementations are stored
 * as imported; those that differ from their base item are reported as inconsistent, never corrected.
 */
export async function runImport(
  platform: Platform,
  repository: CatalogRepository,
  org: OrgService,
  file: CatalogImport,
  options: { dryRun: boolean },
  who: AuditWho,
): Promise<ImportResult> {
  const result: ImportResult = {
    ok: true,
    dryRun: options.dryRun,
    committed: false,
    items: { created: 0, updated: 0 },
    implementations: { created: 0, updated: 0 },
    errors: [],
    inconsistent: [],
  }
  const items = new Map<string, ItemRow>()
  const validItems: (ItemRow & { type: ItemType })[] = []
  for (const { line, row } of file.items) {
    const errors: FieldError[] = []
    const item = checkItem(row, errors)
    if (item.code && items.has(item.code))
      errors.push({
        path: '/code',
        code: 'duplicate',
        message: text('文件中重复的事项编码', 'The code repeats in the file'),
      })
    if (errors.length > 0) {
      result.errors.push({ line, record: 'item', errors })
      continue
    }
    items.set(item.code, item)
    if (isItemType(item.type)) validItems.push({ ...item, type: item.type })
  }
  const stored = new Map((await repository.allItems()).map((i) => [i.code, i]))
  const departments = new Map(
    (await org.listDepartments({ limit: 1_000_000, offset: 0 })).items.map((d) => [d.uscc, d]),
  )
  const regions = new Map<string, boolean>()
  const validImplementations: (ImplementationRow & { line: number; departmentId: string })[] = []
  const keys = new Set<string>()
  for (const { line, row } of file.implementations) {
    const errors: FieldError[] = []
    const m = checkImplementationShape(row, errors)
    const item = items.get(m.itemCode) ?? stored.get(m.itemCode)
    const base = item
      ? { kind: 'departmentKind' in item ? item.departmentKind : item.department_kind }
      : undefined
    if (m.itemCode && !base)
      errors.push({
        path: '/itemCode',
        code: 'item',
        message: text(
          `基本目录和文件中都没有事项 ${m.itemCode}`,
          `No base item ${m.itemCode} in the catalog or the file`,
        ),
      })
    if (m.regionCode) {
      if (!regions.has(m.regionCode))
        regions.set(m.regionCode, Boolean(await org.repository.findRegion(m.regionCode)))
      if (!regions.get(m.regionCode))
        errors.push({
          path: '/regionCode',
          code: 'region',
          message: text(`行政区划 ${m.regionCode} 不存在`, `Unknown region ${m.regionCode}`),
        })
    }
    const department = departments.get(m.departmentUscc)
    if (m.departmentUscc && !department)
      errors.push({
        path: '/departmentUscc',
        code: 'department',
        message: text('没有该统一社会信用代码的部门', 'No department has this credit code'),
      })
    if (department && m.regionCode && department.region_code !== m.regionCode)
      errors.push({
        path: '/regionCode',
        code: 'region',
        message: text('实施区划须为实施部门所在区划', "The region must be the department's region"),
      })
    if (department && base && department.kind !== base.kind)
      errors.push({
        path: '/departmentUscc',
        code: 'departmentKind',
        message: text(
          `该事项应由 ${base.kind} 类部门实施`,
          `This item is implemented by ${base.kind} departments`,
        ),
      })
    const key = `${m.itemCode}|${m.regionCode}|${m.departmentUscc}`
    if (keys.has(key))
      errors.push({
        path: '/itemCode',
        code: 'duplicate',
        message: text('文件中重复的实施清单条目', 'The implementation repeats in the file'),
      })
    keys.add(key)
    if (errors.length > 0) {
      result.errors.push({ line, record: 'implementation', errors })
      continue
    }
    validImplementations.push({ ...m, line, departmentId: department!.id })
    const expected = items.get(m.itemCode) ?? {
      code: stored.get(m.itemCode)!.code,
      name: stored.get(m.itemCode)!.name,
      type: stored.get(m.itemCode)!.type,
      legalBasis: stored.get(m.itemCode)!.legal_basis,
    }
    const differing = (['name', 'type', 'legalBasis'] as const).filter((f) => m[f] !== expected[f])
    if (differing.length > 0) result.inconsistent.push({ line, fields: differing })
  }
  result.errors.sort((a, b) => a.line - b.line || a.record.localeCompare(b.record))
  result.ok = result.errors.length === 0
  for (const item of validItems) stored.has(item.code) ? result.items.updated++ : result.items.created++
  if (!result.ok || options.dryRun) {
    // counts of a failed or dry run say what would have happened
    return countImplementations(result, repository, validImplementations, stored, items)
  }
  await platform.db.transaction().execute(async (trx) => {
    const ids = new Map<string, string>()
    for (const item of validItems) {
      const existing = await repository.findItemByCode(item.code, trx)
      if (existing) {
        await repository.updateItem(trx, existing.id, null, {
          name: item.name,
          type: item.type,
          legal_basis: item.legalBasis,
          department_kind: item.departmentKind,
          levels: item.levels,
          audience: item.audience,
          themes: item.themes,
          keywords: item.keywords,
          description: item.description,
        })
        ids.set(item.code, existing.id)
      } else ids.set(item.code, await repository.insertItem(trx, item))
    }
    for (const m of validImplementations) {
      const itemId = ids.get(m.itemCode) ?? stored.get(m.itemCode)!.id
      const existing = await repository.findImplementationByKey(
        { itemId, regionCode: m.regionCode, departmentId: m.departmentId },
        trx,
      )
      const values = {
        code: m.itemCode,
        name: m.name,
        type: m.type,
        legal_basis: m.legalBasis,
        local_notes: m.localNotes,
        origin: 'import' as const,
      }
      if (existing) {
        await repository.updateImplementation(trx, existing.id, null, values)
        result.implementations.updated++
      } else {
        await repository.insertImplementation(trx, {
          itemId,
          regionCode: m.regionCode,
          departmentId: m.departmentId,
          code: m.itemCode,
          name: m.name,
          type: m.type,
          legalBasis: m.legalBasis,
          localNotes: m.localNotes,
          origin: 'import',
        })
        result.implementations.created++
      }
    }
    await platform.audit.append(trx, {
      ...who,
      action: 'catalog.import',
      resourceType: 'catalog',
      resourceId: null,
      regionCode: null,
      outcome: 'success',
      details: {
        items: result.items,
        implementations: result.implementations,
        inconsistent: result.inconsistent.length,
      },
    })
  })
  result.committed = true
  return result
}

async function countImplementations(
  result: ImportResult,
  repository: CatalogRepository,
  rows: (ImplementationRow & { departmentId: string })[],
  stored: Map<string, { id: string }>,
  _items: Map<string, ItemRow>,
): Promise<ImportResult> {
  for (const m of rows) {
    const item = stored.get(m.itemCode)
    const existing = item
      ? await repository.findImplementationByKey({
          itemId: item.id,
          regionCode: m.regionCode,
          departmentId: m.departmentId,
        })
      : undefined
    existing ? result.implementations.updated++ : result.implementations.created++
  }
  return result
}
