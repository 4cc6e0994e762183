import type { FieldError, MaterialRef } from '@tongban/contracts'
import { AppError, invalid } from '../../../platform/errors.ts'
import type { CasesContext } from '../cases.context.ts'
import { fieldError, invalidField, messages } from '../cases.messages.ts'
import type { PublishedGuide } from '../cases.ports.ts'
import type { MaterialRow } from '../repository/records.ts'

/** A guide as applied for: for a bundle's part, how its own fields and materials map to the merged ones. */
export type ResolvedGuide = PublishedGuide & {
  /** The part's own form field → the key in the bundle's merged form. */
  fields?: Record<string, string>
  /** The part's own material key → the key in the bundle's merged materials list. */
  materialKeys?: Record<string, string>
}

/** What an application names: one item's implementation (and version), or a bundle in a region. */
export interface ApplicationTarget {
  implementationId?: string | undefined
  guideVersion?: number | undefined
  bundleId?: string | undefined
  regionCode?: string | undefined
}

/** The bundle (一件事) an application is for. */
export interface BundleApplied {
  bundleId: string
  name: string
  regionCode: string
}

/** The published guides an application is for (one, or a bundle's parts), and the bundle; 400 otherwise. */
export async function resolveGuides(
  ctx: CasesContext,
  target: ApplicationTarget,
): Promise<{ guides: ResolvedGuide[]; bundle?: BundleApplied }> {
  const { implementationId, bundleId } = target
  if (bundleId && !implementationId) return resolveBundle(ctx, bundleId, target.regionCode)
  if (!implementationId || bundleId) throw invalidField('/implementationId', 'oneOf', messages.itemOrBundle)
  const guide = await ctx.ports.catalog.getPublishedVersion(implementationId, target.guideVersion)
  if (!guide) throw invalidField('/implementationId', 'unknown', messages.unknownVersion)
  return { guides: [guide] }
}

/** A bundle's parts as published in the region, each with its field and material maps. */
async function resolveBundle(
  ctx: CasesContext,
  bundleId: string,
  regionCode: string | undefined,
): Promise<{ guides: ResolvedGuide[]; bundle: BundleApplied }> {
  if (!regionCode) throw invalidField('/regionCode', 'required', messages.regionRequired)
  const bundle = await ctx.ports.catalog.getBundle(bundleId, regionCode)
  if (!bundle) throw invalidField('/bundleId', 'unknown', messages.unknownBundle)
  const guides: ResolvedGuide[] = []
  for (const part of bundle.parts) {
    const guide = await ctx.ports.catalog.getPublishedVersion(part.implementationId, part.version)
    if (!guide) throw new AppError('unprocessable', { detail: messages.unpublishedPart })
    guides.push({
      ...guide,
      ...(part.fields ? { fields: part.fields } : {}),
      ...(part.materials ? { materialKeys: part.materials } : {}),
    })
  }
  return { guides, bundle: { bundleId: bundle.bundleId, name: bundle.name, regionCode: bundle.regionCode } }
}

/** The current published version of an implementation; 400 when unknown, or when `version` is not it. */
export async function currentGuide(
  ctx: CasesContext,
  implementationId: string,
  version: number | undefined,
): Promise<PublishedGuide> {
  const guide = await ctx.ports.catalog.getPublishedVersion(implementationId)
  if (!guide) throw invalidField('/implementationId', 'unknown', messages.unknownItem)
  if (version !== undefined && version !== guide.version)
    throw invalidField('/guideVersion', 'not-current', messages.guideChanged(guide.version))
  return guide
}

/** Form data through the catalog's schema; every required material present; every file known. 400 otherwise. */
export async function checkApplication(
  ctx: CasesContext,
  guides: ResolvedGuide[],
  formData: Record<string, unknown>,
  materials: MaterialRef[],
): Promise<void> {
  const errors = await applicationErrors(ctx, guides, formData, materials)
  if (errors.length > 0) throw invalid(errors)
}

/** The field errors of an application: its form against each guide's schema, then its materials. */
export async function applicationErrors(
  ctx: CasesContext,
  guides: ResolvedGuide[],
  formData: Record<string, unknown>,
  materials: MaterialRef[],
): Promise<FieldError[]> {
  const errors: FieldError[] = []
  const seen = new Set<string>()
  for (const guide of guides) {
    const data = partData(formData, guide.fields)
    for (const error of await ctx.ports.catalog.validateApplication(
      guide.implementationId,
      guide.version,
      data,
    )) {
      // a bundle part's own field names are reported under the merged form's names
      const [, own = '', ...rest] = error.path.split('/')
      const mergedName = guide.fields?.[own]
      const path = mergedName ? ['', mergedName, ...rest].join('/') : error.path
      const key = `${path}|${error.code}`
      if (!seen.has(key)) errors.push({ ...error, path: formDataPath(path) })
      seen.add(key)
    }
  }
  errors.push(...materialErrors(guides, materials))
  return errors
}

/** A path of the form's schema as a path of the request (under /formData). */
export function formDataPath(path: string): string {
  return `/formData${path === '/' ? '' : path}`
}

/**
 * Required materials present (of `onlyKeys`, when given), each of a kind the guide accepts; files were
 * checked to be the caller's. A bundle's materials go by their merged keys; one that two parts share is
 * required when either requires it.
 */
export function materialErrors(
  guides: ResolvedGuide[],
  materials: MaterialRef[],
  onlyKeys?: string[],
): FieldError[] {
  const known = new Map<string, PublishedGuide['materials'][number]>()
  for (const guide of guides) {
    for (const material of guide.materials) {
      const key = mergedMaterialKey(guide, material.key)
      const seen = known.get(key)
      known.set(key, seen ? { ...seen, required: seen.required || material.required } : material)
    }
  }
  const given = new Set(materials.map((m) => m.key))
  const errors: FieldError[] = []
  for (const [key, material] of known) {
    if (onlyKeys && !onlyKeys.includes(key)) continue
    if (material.required && !given.has(key))
      errors.push(fieldError('/materials', 'missing-material', messages.missingMaterial(material.name, key)))
  }
  for (const [i, ref] of materials.entries()) {
    const material = known.get(ref.key)
    if (!material)
      errors.push(fieldError(`/materials/${i}/key`, 'unknown-material', messages.unknownMaterial))
    else if ('fileSha256' in ref && material.source === 'license')
      errors.push(fieldError(`/materials/${i}`, 'license-required', messages.licenseRequired))
    else if (!('fileSha256' in ref) && material.source === 'upload')
      errors.push(fieldError(`/materials/${i}`, 'upload-required', messages.uploadRequired))
  }
  return errors
}

/** A bundle part's own material key as the bundle's merged materials list names it (itself for one item). */
function mergedMaterialKey(guide: ResolvedGuide, ownKey: string): string {
  return guide.materialKeys?.[ownKey] ?? ownKey
}

/** The materials of one case (a bundle part gets those its own guide asks for, under its own keys). */
export function materialsFor(guide: ResolvedGuide, materials: MaterialRef[]): MaterialRef[] {
  return guide.materials.flatMap((own) => {
    const key = mergedMaterialKey(guide, own.key)
    return materials.filter((m) => m.key === key).map((m) => ({ ...m, key: own.key }))
  })
}

/** A bundle part's own form data, taken from the merged form; the whole data for a single item. */
export function partData(
  formData: Record<string, unknown>,
  fields: Record<string, string> | undefined,
): Record<string, unknown> {
  if (!fields) return formData
  const data: Record<string, unknown> = {}
  for (const [own, merged] of Object.entries(fields)) if (merged in formData) data[own] = formData[merged]
  return data
}

/** The material rows of a case, added at `at`. */
export function materialRows(caseId: string, materials: MaterialRef[], at: Date): MaterialRow[] {
  return materials.map((m) => ({
    case_id: caseId,
    material_key: m.key,
    name: m.name,
    file_sha256: 'fileSha256' in m ? m.fileSha256 : null,
    license_grant_id: 'licenseGrantId' in m ? m.licenseGrantId : null,
    added_at: at,
  }))
}
