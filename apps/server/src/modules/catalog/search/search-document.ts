import { type GuideContent, ITEM_TYPES, THEMES } from '@tongban/contracts'
import type { Department } from '../catalog.ports.ts'
import type { ImplementationRecord } from '../repositories/implementations.repository.ts'
import type { ItemRecord } from '../repositories/items.repository.ts'
import type { SearchDocumentRow } from '../repositories/search.repository.ts'
import { indexTokens } from './catalog.text.ts'

const join = (...texts: string[]) => indexTokens(texts.filter(Boolean).join(' ')).join(' ')

/** The search document of a published guide: tokens by weight (A name, B keywords/themes/type, C department, D guide text). */
export function searchDocument(
  implementation: ImplementationRecord,
  item: ItemRecord,
  department: Pick<Department, 'name' | 'shortName'> | undefined,
  content: GuideContent,
  version: number,
): SearchDocumentRow {
  const themeNames = item.themes.map((t) => THEMES[t as keyof typeof THEMES]?.zh ?? t)
  const typeName = ITEM_TYPES[item.type]?.zh ?? ''
  return {
    implementationId: implementation.id,
    itemCode: item.code,
    regionCode: implementation.region_code,
    departmentId: implementation.department_id,
    name: implementation.name,
    audience: item.audience,
    themes: item.themes,
    visits: content.visits,
    onlineDepth: content.onlineDepth,
    version,
    weighted: {
      a: join(implementation.name),
      b: join(...item.keywords, ...themeNames, typeName),
      c: departmentTokens(department),
      d: join(item.description, content.conditions, content.result, ...content.materials.map((m) => m.name)),
    },
  }
}

/** The search tokens of a department (weight C of its implementations' documents): name and short name. */
export function departmentTokens(department: Pick<Department, 'name' | 'shortName'> | undefined): string {
  return join(department?.name ?? '', department?.shortName ?? '')
}
