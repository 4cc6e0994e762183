import {
  DEPARTMENT_KINDS,
  type GuideDraftView,
  type ImplementationView,
  ITEM_TYPES,
  type ItemView,
  type LocalizedText,
} from '@tongban/contracts'
import type { DepartmentRecord } from '../org/index.ts'
import type { DraftRecord, ImplementationRecord, ItemRecord } from './catalog.repository.ts'

function nameOf(list: Record<string, LocalizedText>, code: string): LocalizedText {
  const entry = list[code]
  return entry ? { zh: entry.zh, en: entry.en } : { zh: code, en: code }
}

export function presentItem(row: ItemRecord): ItemView {
  return {
    code: row.code,
    name: row.name,
    type: row.type,
    typeName: nameOf(ITEM_TYPES, row.type),
    legalBasis: row.legal_basis,
    departmentKind: row.department_kind,
    departmentKindName: nameOf(DEPARTMENT_KINDS, row.department_kind),
    levels: row.levels as ItemView['levels'],
    audience: row.audience as ItemView['audience'],
    themes: row.themes as ItemView['themes'],
    keywords: row.keywords,
    description: row.description,
    version: row.version,
  }
}

export function presentImplementation(
  row: ImplementationRecord,
  department: DepartmentRecord | undefined,
  regionName: string,
): ImplementationView {
  return {
    id: row.id,
    itemCode: row.item_code,
    implementationCode: `${department?.uscc ?? ''}${row.item_code}`,
    name: row.name,
    type: row.type,
    typeName: nameOf(ITEM_TYPES, row.type),
    legalBasis: row.legal_basis,
    regionCode: row.region_code,
    regionName,
    departmentId: row.department_id,
    departmentName: department?.name ?? '',
    localNotes: row.local_notes,
    status: row.status,
    publishedVersion: row.published_version,
    version: row.version,
  }
}

export function presentDraft(row: DraftRecord): GuideDraftView {
  return {
    implementationId: row.implementation_id,
    status: row.status,
    revision: row.revision,
    content: row.content,
    updatedAt: row.updated_at.toISOString(),
  }
}
