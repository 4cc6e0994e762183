import type { BundleContent, BundleDraftView, FieldError, PublishedGuideView } from '@tongban/contracts'
import type { CatalogContext } from '../catalog.context.ts'
import { messages } from '../catalog.messages.ts'
import type { Department, RegionStep } from '../catalog.ports.ts'
import { mergeForms } from '../guides/catalog.forms.ts'
import { getPublishedVersion } from '../guides/published-guides.ts'
import type { PublishedForm } from '../repositories/guide-versions.repository.ts'
import type { ItemRecord } from '../repositories/items.repository.ts'
import { mergeMaterials } from './merge-materials.ts'
import { sharedFieldConflicts, typeSignature } from './shared-fields.ts'

type Preview = BundleDraftView['preview']

/**
 * Checks a bundle's content: the lead department exists; every item exists and has a published guide
 * in the lead department's region or a region above or below it (where the bundle is offered); fields
 * the items share — the same key, or the same prefill source — have the same type in every published
 * form. Returns the field errors (paths into the request), and, when there are none, the preview.
 */
export async function checkBundle(
  ctx: CatalogContext,
  content: BundleContent,
): Promise<{ errors: FieldError[]; preview: Preview }> {
  const none = { form: mergeForms([]).form, materials: [], sharedFields: [] }
  const { lead, items, errors } = await checkMembers(ctx, content)
  if (!lead || errors.length > 0) return { errors, preview: none }
  const path = await ctx.directory.regionPath(lead.regionCode)
  const forms = await publishedFormsAround(ctx, lead, path, items)
  errors.push(...unpublishedErrors(content, items, forms, path, lead), ...sharedFieldConflicts(forms))
  if (errors.length > 0) return { errors, preview: none }
  return { errors, preview: await previewOf(ctx, content, forms, path) }
}

/** The lead department and the member items, with an error for each that does not exist. */
async function checkMembers(ctx: CatalogContext, content: BundleContent) {
  const errors: FieldError[] = []
  const lead = await ctx.directory.department(content.leadDepartmentId)
  if (!lead)
    errors.push({
      path: '/content/leadDepartmentId',
      code: 'department',
      message: messages.leadDepartmentMissing,
    })
  const items = await ctx.repositories.items.findByCodes(content.itemCodes)
  for (const [index, code] of content.itemCodes.entries())
    if (!items.some((i) => i.code === code))
      errors.push({
        path: `/content/itemCodes/${index}`,
        code: 'item',
        message: messages.noBaseItemCode(code),
      })
  return { lead, items, errors }
}

/** The members' published forms in the lead's region, the regions above it and those below it. */
async function publishedFormsAround(
  ctx: CatalogContext,
  lead: Department,
  path: RegionStep[],
  items: ItemRecord[],
): Promise<PublishedForm[]> {
  const scope = [
    ...new Set([...path.map((r) => r.code), ...(await ctx.directory.subtreeCodes(lead.regionCode))]),
  ]
  return ctx.repositories.guideVersions.findPublishedForms(
    items.map((i) => i.id),
    scope,
  )
}

function unpublishedErrors(
  content: BundleContent,
  items: ItemRecord[],
  forms: PublishedForm[],
  path: RegionStep[],
  lead: Department,
): FieldError[] {
  const errors: FieldError[] = []
  for (const [index, code] of content.itemCodes.entries()) {
    if (forms.some((f) => f.item_code === code)) continue
    const name = items.find((i) => i.code === code)?.name ?? code
    errors.push({
      path: `/content/itemCodes/${index}`,
      code: 'unpublished',
      message: messages.unpublishedNearLead(code, name, path[0]?.name ?? lead.regionCode),
    })
  }
  return errors
}

/** The preview: for each item, its published guide nearest the lead department (its region, then above). */
async function previewOf(
  ctx: CatalogContext,
  content: BundleContent,
  forms: PublishedForm[],
  path: RegionStep[],
): Promise<Preview> {
  const near = (regionCode: string) => {
    const at = path.findIndex((r) => r.code === regionCode)
    return at < 0 ? path.length : at
  }
  const guides: PublishedGuideView[] = []
  for (const code of content.itemCodes) {
    const best = forms
      .filter((f) => f.item_code === code)
      .sort((a, b) => near(a.region_code) - near(b.region_code))[0]!
    guides.push(await getPublishedVersion(ctx, best.implementation_id, best.version))
  }
  const merged = mergeForms(guides.map((g) => ({ itemCode: g.itemCode, form: g.content.form })))
  const users = new Map<string, string[]>()
  for (const [index, map] of merged.fieldMaps.entries())
    for (const target of Object.values(map))
      users.set(target, [...(users.get(target) ?? []), guides[index]!.itemCode])
  const properties = (merged.form.schema.properties ?? {}) as Record<string, Record<string, unknown>>
  return {
    form: merged.form,
    materials: mergeMaterials(guides).list,
    sharedFields: [...users]
      .filter(([, codes]) => codes.length > 1)
      .map(([field, codes]) => ({ field, type: typeSignature(properties[field] ?? {}), itemCodes: codes })),
  }
}
