import type { BundleSummary, BundleVersionView, BundleView, PublishedGuideView } from '@tongban/contracts'
import { notFound } from '../../../platform/errors.ts'
import type { CatalogContext } from '../catalog.context.ts'
import { messages } from '../catalog.messages.ts'
import { presentBundle } from '../catalog.presenter.ts'
import { mergeForms } from '../guides/catalog.forms.ts'
import { getPublishedVersion } from '../guides/published-guides.ts'
import type { BundleRecord } from '../repositories/bundles.repository.ts'
import type { ImplementationRecord } from '../repositories/implementations.repository.ts'
import { mergeMaterials } from './merge-materials.ts'

/** A published bundle with its member items' codes, in the order the merged form asks them. */
export type ListedBundle = BundleRecord & { itemCodes: string[] }

/** Every published bundle (一件事), by code. */
export async function listBundles(ctx: CatalogContext): Promise<ListedBundle[]> {
  const { bundles } = ctx.repositories
  const rows = await bundles.findAll()
  const members = await bundles.findItemCodes(rows.map((b) => b.id))
  return rows.map((bundle) => ({ ...bundle, itemCodes: (members.get(bundle.id) ?? []).map((m) => m.code) }))
}

async function getListedBundle(ctx: CatalogContext, code: string): Promise<ListedBundle> {
  const bundle = (await listBundles(ctx)).find((b) => b.code === code)
  if (!bundle) throw notFound(messages.bundleNotFound(code))
  return bundle
}

/** A published bundle as listed; not found when unknown. */
export async function getBundleSummary(ctx: CatalogContext, code: string): Promise<BundleSummary> {
  return presentBundle(await getListedBundle(ctx, code))
}

/**
 * A bundle (一件事) as it is offered in a region: each member item resolved to its published
 * implementation nearest to the region (county before city before province), one merged form, one
 * de-duplicated materials list, and the fan-out telling the cases module which department gets what.
 */
export async function getBundle(ctx: CatalogContext, code: string, regionCode: string): Promise<BundleView> {
  const bundle = await getListedBundle(ctx, code)
  const { resolved, missing } = await resolveParts(ctx, bundle.itemCodes, regionCode)
  const merged = mergeForms(resolved.map((r) => ({ itemCode: r.guide.itemCode, form: r.guide.content.form })))
  const materials = mergeMaterials(resolved.map((r) => r.guide))
  return {
    ...presentBundle(bundle),
    regionCode,
    available: missing.length === 0,
    missing,
    form: merged.form,
    materials: materials.list,
    fanOut: resolved.map((r, index) => ({
      itemCode: r.guide.itemCode,
      implementationId: r.implementation.id,
      version: r.guide.version,
      departmentId: r.guide.departmentId,
      departmentName: r.guide.departmentName,
      regionCode: r.guide.regionCode,
      fields: merged.fieldMaps[index] ?? {},
      materials: materials.keyMaps[index] ?? {},
    })),
  }
}

/** Each member item's published implementation nearest the region, and the items with none there. */
async function resolveParts(ctx: CatalogContext, itemCodes: string[], regionCode: string) {
  const path = (await ctx.directory.regionPath(regionCode)).map((r) => r.code)
  const items = await ctx.repositories.items.findByCodes(itemCodes)
  const candidates = await ctx.repositories.implementations.findPublishedFor(
    items.map((i) => i.id),
    path,
  )
  const missing: string[] = []
  const resolved: { implementation: ImplementationRecord; guide: PublishedGuideView }[] = []
  for (const itemCode of itemCodes) {
    const nearest = candidates
      .filter((c) => c.item_code === itemCode)
      .sort(
        (a, b) =>
          path.indexOf(a.region_code) - path.indexOf(b.region_code) ||
          a.department_id.localeCompare(b.department_id),
      )[0]
    if (!nearest || nearest.published_version === null) {
      missing.push(itemCode)
      continue
    }
    resolved.push({
      implementation: nearest,
      guide: await getPublishedVersion(ctx, nearest.id, nearest.published_version),
    })
  }
  return { resolved, missing }
}

/** One published bundle version (immutable). */
export async function getBundleVersion(
  ctx: CatalogContext,
  code: string,
  version: number,
): Promise<BundleVersionView> {
  const row = await ctx.repositories.bundles.findVersion(code, version)
  if (!row) throw notFound(messages.bundleVersionNotFound(code, version))
  return {
    code,
    version: row.version,
    publishedAt: row.published_at.toISOString(),
    comment: row.comment,
    content: row.content as BundleVersionView['content'],
  }
}
