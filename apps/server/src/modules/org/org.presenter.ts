import {
  DEPARTMENT_KINDS,
  type DepartmentKind,
  type DepartmentView,
  type RegionView,
} from '@tongban/contracts'
import type { DepartmentRecord, RegionRecord } from './org.repository.ts'

export function presentRegion(row: RegionRecord): RegionView {
  return { code: row.code, name: row.name, level: row.level, parentCode: row.parent_code }
}

export function presentDepartment(row: DepartmentRecord): DepartmentView {
  const kind = DEPARTMENT_KINDS[row.kind as DepartmentKind] ?? { zh: row.kind, en: row.kind }
  return {
    id: row.id,
    name: row.name,
    shortName: row.short_name,
    kind: row.kind,
    kindName: { zh: kind.zh, en: kind.en },
    regionCode: row.region_code,
    regionName: row.region_name,
    uscc: row.uscc,
    phone: row.phone,
    address: row.address,
    version: row.version,
  }
}
