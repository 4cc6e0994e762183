import type { BundleView, PublishedGuideView } from '@tongban/contracts'

/**
 * One materials list for a bundle: a license material is the same material wherever it comes from the
 * same license type, a shared one from the same resource, others when they have the same name. The
 * merged material is required when any item requires it, with the most copies any item asks for. Merged
 * keys are unique across the items (an item's own `m1` and another's `m1` may be different materials);
 * `keyMaps[i]` maps the i-th item's own material keys to the merged ones, so its case gets its own.
 */
export function mergeMaterials(guides: PublishedGuideView[]): {
  list: BundleView['materials']
  keyMaps: Record<string, string>[]
} {
  const list: BundleView['materials'] = []
  const index = new Map<string, number>()
  const keyMaps = guides.map((guide) => {
    const keyMap: Record<string, string> = {}
    for (const material of guide.content.materials) {
      const identity =
        material.source === 'license'
          ? `license:${material.licenseType}`
          : material.source === 'shared'
            ? `shared:${material.sharedResource}`
            : `${material.source}:${material.name}`
      const at = index.get(identity)
      if (at === undefined) {
        let key = material.key
        for (let n = 2; list.some((m) => m.key === key); n += 1) key = `${material.key}_${n}`
        index.set(identity, list.length)
        list.push({
          key,
          name: material.name,
          form: material.form,
          copies: material.copies,
          required: material.required,
          source: material.source,
          ...(material.licenseType ? { licenseType: material.licenseType } : {}),
          ...(material.sharedResource ? { sharedResource: material.sharedResource } : {}),
          usedBy: [guide.itemCode],
        })
        keyMap[material.key] = key
        continue
      }
      const existing = list[at]!
      existing.required ||= material.required
      existing.copies = Math.max(existing.copies, material.copies)
      if (!existing.usedBy.includes(guide.itemCode)) existing.usedBy.push(guide.itemCode)
      keyMap[material.key] = existing.key
    }
    return keyMap
  })
  return { list, keyMaps }
}
