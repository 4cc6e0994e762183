import type { CatalogFile } from '@tongban/contracts'
import type { CatalogContext } from '../catalog.context.ts'

/** Every base item and implementation, in the import format (departments named by their USCC). */
export async function exportCatalog(ctx: CatalogContext): Promise<Required<CatalogFile>> {
  const [items, implementations] = await Promise.all([
    ctx.repositories.items.findAll(),
    ctx.repositories.implementations.findAll(),
  ])
  // one query for every department rather than one per row (an export may hold a million rows)
  const departments = new Map((await ctx.directory.listDepartments()).map((d) => [d.id, d]))
  return {
    items: items.map((i) => ({
      code: i.code,
      name: i.name,
      type: i.type,
      legalBasis: i.legal_basis,
      departmentKind: i.department_kind,
      levels: i.levels,
      audience: i.audience,
      themes: i.themes,
      keywords: i.keywords,
      description: i.description,
    })),
    implementations: implementations.map((m) => ({
      itemCode: m.item_code,
      regionCode: m.region_code,
      departmentUscc: departments.get(m.department_id)?.uscc ?? '',
      name: m.name,
      type: m.type,
      legalBasis: m.legal_basis,
      localNotes: m.local_notes,
    })),
  }
}
