import type { FieldError, ImportResult, ItemType } from '@tongban/contracts'
import { isItemType } from '@tongban/contracts'
import type { Transaction } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'
import type { CatalogContext } from '../catalog.context.ts'
import { messages } from '../catalog.messages.ts'
import type { AuditWho, Department } from '../catalog.ports.ts'
import type { ItemRecord } from '../repositories/items.repository.ts'
import type { CatalogImport } from './catalog-file.ts'
import { checkImplementationShape, checkItem, type ImplementationRow, type ItemRow } from './import-rows.ts'

type ValidItem = ItemRow & { type: ItemType }
type ValidImplementation = ImplementationRow & { line: number; departmentId: string }

/** What the checked file holds, beside the result being built. */
interface Checked {
  items: Map<string, ItemRow>
  validItems: ValidItem[]
  stored: Map<string, ItemRecord>
  validImplementations: ValidImplementation[]
}

/**
 * Validates every row, then (unless a dry run, and only when no row failed) writes all of them in one
 * transaction: items by code, implementations by (item, region, department). Implementations are stored
 * as imported; those that differ from their base item are reported as inconsistent, never corrected.
 */
export async function importCatalog(
  ctx: CatalogContext,
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
  const { items, validItems } = checkItems(file, result)
  const stored = new Map((await ctx.repositories.items.findAll()).map((i) => [i.code, i]))
  const checked: Checked = { items, validItems, stored, validImplementations: [] }
  checked.validImplementations = await checkImplementations(ctx, file, checked, result)
  result.errors.sort((a, b) => a.line - b.line || a.record.localeCompare(b.record))
  result.ok = result.errors.length === 0
  for (const item of validItems) stored.has(item.code) ? result.items.updated++ : result.items.created++
  // counts of a failed or dry run say what would have happened
  if (!result.ok || options.dryRun) return countImplementations(ctx, result, checked)
  await ctx.platform.db.transaction().execute(async (trx) => {
    await writeImport(ctx, trx, checked, result)
    await ctx.platform.audit.append(trx, {
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

/** The file's item rows by code; a row with errors goes into the result instead. */
function checkItems(file: CatalogImport, result: ImportResult) {
  const items = new Map<string, ItemRow>()
  const validItems: ValidItem[] = []
  for (const { line, row } of file.items) {
    const errors: FieldError[] = []
    const item = checkItem(row, errors)
    if (item.code && items.has(item.code))
      errors.push({ path: '/code', code: 'duplicate', message: messages.itemCodeRepeated })
    if (errors.length > 0) {
      result.errors.push({ line, record: 'item', errors })
      continue
    }
    items.set(item.code, item)
    if (isItemType(item.type)) validItems.push({ ...item, type: item.type })
  }
  return { items, validItems }
}

/** The file's implementation rows that pass; a row with errors goes into the result instead. */
async function checkImplementations(
  ctx: CatalogContext,
  file: CatalogImport,
  checked: Checked,
  result: ImportResult,
): Promise<ValidImplementation[]> {
  const departments = new Map((await ctx.directory.listDepartments()).map((d) => [d.uscc, d]))
  const regions = new Map<string, boolean>()
  const regionExists = async (code: string) => {
    if (!regions.has(code)) regions.set(code, await ctx.directory.regionExists(code))
    return regions.get(code) ?? false
  }
  const valid: ValidImplementation[] = []
  const keys = new Set<string>()
  for (const { line, row } of file.implementations) {
    const errors: FieldError[] = []
    const m = checkImplementationShape(row, errors)
    const department = departments.get(m.departmentUscc)
    errors.push(...(await placementErrors(m, department, checked, regionExists)))
    const key = `${m.itemCode}|${m.regionCode}|${m.departmentUscc}`
    if (keys.has(key))
      errors.push({ path: '/itemCode', code: 'duplicate', message: messages.implementationRepeated })
    keys.add(key)
    if (errors.length > 0 || !department) {
      result.errors.push({ line, record: 'implementation', errors })
      continue
    }
    valid.push({ ...m, line, departmentId: department.id })
    const differing = differingFields(m, checked)
    if (differing.length > 0) result.inconsistent.push({ line, fields: differing })
  }
  return valid
}

/** The row's item, region and department exist, and the department sits in the region and is of the item's kind. */
async function placementErrors(
  m: ImplementationRow,
  department: Department | undefined,
  checked: Checked,
  regionExists: (code: string) => Promise<boolean>,
): Promise<FieldError[]> {
  const errors: FieldError[] = []
  const fromFile = checked.items.get(m.itemCode)
  const kind = fromFile ? fromFile.departmentKind : checked.stored.get(m.itemCode)?.department_kind
  if (m.itemCode && kind === undefined)
    errors.push({ path: '/itemCode', code: 'item', message: messages.noItemAnywhere(m.itemCode) })
  if (m.regionCode && !(await regionExists(m.regionCode)))
    errors.push({ path: '/regionCode', code: 'region', message: messages.unknownRegion(m.regionCode) })
  if (m.departmentUscc && !department)
    errors.push({ path: '/departmentUscc', code: 'department', message: messages.noDepartmentWithUscc })
  if (department && m.regionCode && department.regionCode !== m.regionCode)
    errors.push({ path: '/regionCode', code: 'region', message: messages.importRegionOfDepartment })
  if (department && kind !== undefined && department.kind !== kind)
    errors.push({ path: '/departmentUscc', code: 'departmentKind', message: messages.departmentKind(kind) })
  return errors
}

/** The 四级四同 fields in which the row differs from its base item (from the file, else the catalog). */
function differingFields(m: ImplementationRow, checked: Checked): ('name' | 'type' | 'legalBasis')[] {
  const stored = checked.stored.get(m.itemCode)
  const expected = checked.items.get(m.itemCode) ?? {
    name: stored?.name,
    type: stored?.type,
    legalBasis: stored?.legal_basis,
  }
  return (['name', 'type', 'legalBasis'] as const).filter((f) => m[f] !== expected[f])
}

/** Writes the checked items and implementations, counting what was created and what updated. */
async function writeImport(
  ctx: CatalogContext,
  trx: Transaction<Database>,
  checked: Checked,
  result: ImportResult,
) {
  const { items, implementations } = ctx.repositories
  const ids = new Map<string, string>()
  for (const item of checked.validItems) {
    const existing = await items.findByCode(item.code, trx)
    if (!existing) {
      ids.set(item.code, await items.insert(trx, item))
      continue
    }
    await items.update(trx, existing.id, null, {
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
  }
  for (const m of checked.validImplementations) {
    const itemId = ids.get(m.itemCode) ?? checked.stored.get(m.itemCode)!.id
    const key = { itemId, regionCode: m.regionCode, departmentId: m.departmentId }
    const values = {
      code: m.itemCode,
      name: m.name,
      type: m.type,
      legalBasis: m.legalBasis,
      localNotes: m.localNotes,
    }
    const existing = await implementations.findByKey(key, trx)
    if (existing) {
      const { legalBasis, localNotes, ...same } = values
      await implementations.update(trx, existing.id, null, {
        ...same,
        legal_basis: legalBasis,
        local_notes: localNotes,
        origin: 'import',
      })
      result.implementations.updated++
    } else {
      await implementations.insert(trx, { ...key, ...values, origin: 'import' })
      result.implementations.created++
    }
  }
}

/** A failed or dry run's implementation counts: what would have been created and what updated. */
async function countImplementations(ctx: CatalogContext, result: ImportResult, checked: Checked) {
  for (const m of checked.validImplementations) {
    const item = checked.stored.get(m.itemCode)
    const existing = item
      ? await ctx.repositories.implementations.findByKey({
          itemId: item.id,
          regionCode: m.regionCode,
          departmentId: m.departmentId,
        })
      : undefined
    existing ? result.implementations.updated++ : result.implementations.created++
  }
  return result
}
