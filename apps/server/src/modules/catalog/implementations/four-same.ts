import type { FieldError } from '@tongban/contracts'
import { invalid } from '../../../platform/errors.ts'
import type { CatalogContext } from '../catalog.context.ts'
import { messages } from '../catalog.messages.ts'
import type { Department } from '../catalog.ports.ts'
import type { ItemRecord } from '../repositories/items.repository.ts'

/** What an implementation states of the fields 四级四同 keeps identical at every level. */
export interface FourSameFields {
  code?: string | undefined
  name?: string | undefined
  type?: string | undefined
  legalBasis?: string | undefined
}

/** 四级四同: the fields of `given` that differ from the base item, as field errors. */
export function fourSameErrors(item: ItemRecord, given: FourSameFields, base = ''): FieldError[] {
  const expected: Record<keyof FourSameFields, string> = {
    code: item.code,
    name: item.name,
    type: item.type,
    legalBasis: item.legal_basis,
  }
  const errors: FieldError[] = []
  for (const field of ['code', 'name', 'type', 'legalBasis'] as const) {
    const value = given[field]
    if (value === undefined || value === expected[field]) continue
    errors.push({
      path: `${base}/${field}`,
      code: 'fourSame',
      message: messages.fourSame(field, expected[field]),
    })
  }
  return errors
}

/** Checks that a department may implement an item in a region: it sits there and is of the item's kind. */
export async function checkPlacement(
  ctx: CatalogContext,
  item: ItemRecord,
  regionCode: string,
  departmentId: string,
): Promise<Department> {
  const department = await ctx.directory.department(departmentId)
  if (!department)
    throw invalid([{ path: '/departmentId', code: 'department', message: messages.unknownDepartment }])
  if (department.regionCode !== regionCode)
    throw invalid([{ path: '/regionCode', code: 'region', message: messages.regionOfDepartment }])
  if (department.kind !== item.department_kind)
    throw invalid([
      {
        path: '/departmentId',
        code: 'departmentKind',
        message: messages.departmentKind(item.department_kind),
      },
    ])
  return department
}
