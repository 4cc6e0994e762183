import { type FieldError, ITEM_TYPES, type PublishedGuideView } from '@tongban/contracts'
import { notFound } from '../../../platform/errors.ts'
import type { CatalogContext } from '../catalog.context.ts'
import { messages } from '../catalog.messages.ts'
import { getImplementation } from '../implementations/read-implementations.ts'
import { getItem } from '../items/read-items.ts'
import type { ImplementationRecord } from '../repositories/implementations.repository.ts'
import { compileForm, validateWith } from './catalog.forms.ts'

/**
 * One published guide version, immutable: the cases module calls this with the version a case was
 * filed under, so a later publication never changes what the applicant saw. Cached, frozen.
 */
export async function getPublishedVersion(
  ctx: CatalogContext,
  implementationId: string,
  version: number,
): Promise<PublishedGuideView> {
  const cache = ctx.caches.versions
  const cached = cache.get(implementationId)?.get(version)
  if (cached) return cached
  const epoch = cache.epoch
  const [implementation, row] = await Promise.all([
    getImplementation(ctx, implementationId),
    ctx.repositories.guideVersions.find(implementationId, version),
  ])
  if (!row) throw notFound(messages.guideVersionNotFound(version))
  const view = await presentVersion(ctx, implementation, row)
  // shared by every caller from the cache: frozen so that no caller can change what others see
  deepFreeze(view)
  const versions = cache.get(implementationId) ?? new Map<number, PublishedGuideView>()
  versions.set(version, view)
  cache.set(implementationId, versions, epoch)
  return view
}

/** A version with its implementation's identity, as the API shows it. */
async function presentVersion(
  ctx: CatalogContext,
  implementation: ImplementationRecord,
  row: { version: number; published_at: Date; content: PublishedGuideView['content'] },
): Promise<PublishedGuideView> {
  const item = await getItem(ctx, implementation.item_code)
  const department = await ctx.directory.department(implementation.department_id)
  const region = (await ctx.directory.regionPath(implementation.region_code))[0]
  return {
    implementationId: implementation.id,
    version: row.version,
    publishedAt: row.published_at.toISOString(),
    itemCode: item.code,
    implementationCode: `${department?.uscc ?? ''}${item.code}`,
    name: implementation.name,
    type: implementation.type,
    typeName: ITEM_TYPES[implementation.type as keyof typeof ITEM_TYPES] ?? {
      zh: implementation.type,
      en: implementation.type,
    },
    legalBasis: implementation.legal_basis,
    audience: item.audience,
    themes: item.themes,
    regionCode: implementation.region_code,
    regionName: region?.name ?? '',
    departmentId: implementation.department_id,
    departmentName: department?.name ?? '',
    localNotes: implementation.local_notes,
    content: row.content,
  }
}

/** The latest published guide as its JSON answer, served from memory after the first fetch. */
export async function publishedGuideJson(ctx: CatalogContext, implementationId: string): Promise<string> {
  const cache = ctx.caches.guides
  const cached = cache.get(implementationId)
  if (cached) return cached
  const epoch = cache.epoch
  const implementation = await getImplementation(ctx, implementationId)
  if (implementation.published_version === null || implementation.status !== 'active')
    throw notFound(messages.noPublishedGuide)
  const json = JSON.stringify(
    await getPublishedVersion(ctx, implementationId, implementation.published_version),
  )
  cache.set(implementationId, json, epoch)
  return json
}

/**
 * Validates application data against the form of a published guide version; the field errors are in
 * the problem format (an empty list means valid). For the cases module, at filing.
 */
export async function validateApplication(
  ctx: CatalogContext,
  implementationId: string,
  version: number,
  data: unknown,
): Promise<FieldError[]> {
  const key = `${implementationId}@${version}`
  let validate = ctx.caches.validators.get(key)
  if (!validate) {
    const guide = await getPublishedVersion(ctx, implementationId, version)
    const compiled = compileForm(guide.content.form)
    if (!compiled.ok) throw new Error(`published form of ${key} does not compile: ${compiled.message}`)
    validate = compiled.validate
    ctx.caches.validators.set(key, validate)
  }
  return validateWith(validate, data)
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}
