import type { ConsistencyReport } from '@tongban/contracts'
import type { CatalogContext } from '../catalog.context.ts'

/** 四级四同: every implementation whose code, name, type or legal basis differs from its base item, by region and department. */
export async function consistencyReport(ctx: CatalogContext, region?: string): Promise<ConsistencyReport> {
  const regionCodes = region ? await ctx.directory.subtreeCodes(region) : undefined
  const { implementations } = ctx.repositories
  const [rows, checked] = await Promise.all([
    implementations.findInconsistent(regionCodes),
    implementations.count(regionCodes),
  ])
  const violations: ConsistencyReport['violations'] = []
  for (const row of rows) {
    const department = await ctx.directory.department(row.department_id)
    const regionName = await ctx.directory.regionName(row.region_code)
    const pairs: [string, string, string][] = [
      ['code', row.expected_code, row.code],
      ['name', row.expected_name, row.name],
      ['type', row.expected_type, row.type],
      ['legalBasis', row.expected_legal_basis, row.legal_basis],
    ]
    for (const [field, expected, actual] of pairs) {
      if (expected === actual) continue
      violations.push({
        implementationId: row.id,
        itemCode: row.item_code,
        regionCode: row.region_code,
        regionName,
        departmentId: row.department_id,
        departmentName: department?.name ?? '',
        field,
        expected,
        actual,
      })
    }
  }
  return { checked, violations }
}
