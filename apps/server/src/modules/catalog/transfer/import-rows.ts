import {
  AUDIENCES,
  DEPARTMENT_KINDS,
  type FieldError,
  ITEM_LEVELS,
  isItemType,
  THEMES,
} from '@tongban/contracts'
import { messages } from '../catalog.messages.ts'

/** A base item row of an import, once its shape is checked. */
export interface ItemRow {
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
/** An implementation row of an import, once its shape is checked. */
export interface ImplementationRow {
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
        message: messages.required,
      })
    return ''
  }
  if (typeof value !== 'string') {
    errors.push({ path: `/${key}`, code: 'type', message: messages.notText })
    return ''
  }
  if (value.length > options.max)
    errors.push({
      path: `/${key}`,
      code: 'maxLength',
      message: messages.tooLong(options.max),
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
    errors.push({ path: `/${key}`, code: 'type', message: messages.notTextList })
    return []
  }
  if (required && value.length === 0)
    errors.push({
      path: `/${key}`,
      code: 'required',
      message: messages.listEmpty,
    })
  for (const v of value as string[])
    if (allowed && !allowed.includes(v))
      errors.push({
        path: `/${key}`,
        code: 'enum',
        message: messages.notAllowed(v),
      })
  return value as string[]
}

/** Checks the shape of an item row; its errors are added to `errors`. */
export function checkItem(raw: unknown, errors: FieldError[]): ItemRow {
  const row = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  if ('__record' in row) {
    errors.push({
      path: '/record',
      code: 'enum',
      message: messages.unknownRecord,
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
      message: messages.itemCodePattern,
    })
  if (item.type && !isItemType(item.type))
    errors.push({
      path: '/type',
      code: 'enum',
      message: messages.unknownItemType(item.type),
    })
  if (item.departmentKind && !(item.departmentKind in DEPARTMENT_KINDS))
    errors.push({
      path: '/departmentKind',
      code: 'enum',
      message: messages.unknownDepartmentKind(item.departmentKind),
    })
  return item
}

/** Checks the shape of an implementation row; its errors are added to `errors`. */
export function checkImplementationShape(raw: unknown, errors: FieldError[]): ImplementationRow {
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
