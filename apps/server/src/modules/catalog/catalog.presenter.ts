import {
  type BundleSummary,
  DEPARTMENT_KINDS,
  type GuideContent,
  type GuideDraftView,
  type ImplementationView,
  ITEM_TYPES,
  type ItemView,
  type LocalizedText,
} from '@tongban/contracts'
import type { Department, LicenseTypeEntry } from './catalog.ports.ts'
import type { BundleRecord } from './repositories/bundles.repository.ts'
import type { DraftRecord } from './repositories/drafts.repository.ts'
import type { ImplementationRecord } from './repositories/implementations.repository.ts'
import type { ItemRecord } from './repositories/items.repository.ts'

function nameOf(list: Record<string, LocalizedText>, code: string): LocalizedText {
  const entry = list[code]
  return entry ? { zh: entry.zh, en: entry.en } : { zh: code, en: code }
}

/** 基本目录事项 as the API shows it. */
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

/** 实施清单条目 as the API shows it, with its department's and region's names. */
export function presentImplementation(
  row: ImplementationRecord,
  department: Department | undefined,
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

/** A guide draft as the API shows it. */
export function presentDraft(row: DraftRecord<GuideContent>): GuideDraftView {
  return {
    implementationId: row.key,
    status: row.status,
    revision: row.revision,
    content: row.content,
    updatedAt: row.updated_at.toISOString(),
  }
}

/** A published bundle (一件事) as listed. */
export function presentBundle(bundle: BundleRecord & { itemCodes: string[] }): BundleSummary {
  return {
    code: bundle.code,
    name: bundle.name,
    description: bundle.description,
    audience: bundle.audience,
    themes: bundle.themes,
    itemCodes: bundle.itemCodes,
    leadDepartmentId: bundle.lead_department_id,
    version: bundle.version,
  }
}

/** A license type as the vocabulary lists it. */
export function presentLicenseType(type: LicenseTypeEntry) {
  return { code: type.code, name: type.name, issuerKind: type.issuerKind, holder: type.holder }
}
