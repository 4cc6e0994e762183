import { AppError } from '../../platform/errors.ts'
import type { CatalogService } from '../catalog/index.ts'
import type { CatalogPort, GuideMaterial, PublishedGuide } from './cases.ports.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** How often counted applications are added to the catalog's popularity figures. */
const POPULARITY_FLUSH_MS = 5_000

/** Not found in the catalog is "no such published guide" to the cases module, never an error of its own. */
async function orUndefined<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof AppError && error.code === 'not-found') return undefined
    throw error
  }
}

/** What the applicant supplies: an upload, or a license (免提交 when authorized); shared data the department fetches. */
function sourceOf(source: string): GuideMaterial['source'] | undefined {
  if (source === 'upload') return 'upload'
  if (source === 'license') return 'either'
  return undefined
}

type GuideView = Awaited<ReturnType<CatalogService['getPublishedVersion']>>

function toPublishedGuide(guide: GuideView): PublishedGuide {
  const materials: GuideMaterial[] = []
  for (const material of guide.content.materials) {
    const source = sourceOf(material.source)
    // shared data and department-held materials are fetched by the department, not asked of the applicant
    if (source)
      materials.push({ key: material.key, name: material.name, required: material.required, source })
  }
  return {
    implementationId: guide.implementationId,
    version: guide.version,
    itemCode: guide.itemCode,
    itemName: guide.name,
    regionCode: guide.regionCode,
    departmentId: guide.departmentId,
    processingKind: guide.content.kind === 'immediate' ? 'immediate' : 'promised',
    legalLimitDays: guide.content.legalLimit,
    promisedLimitDays: Math.min(guide.content.promisedLimit, guide.content.legalLimit),
    materials,
  }
}

/**
 * The catalog service seen through the cases module's CatalogPort, without a database round trip per
 * submission once warm:
 * - the current version of an implementation comes from the catalog's published-guide answer, which the
 *   catalog keeps in memory and drops on every node when its change log (catalog_changes) says the guide
 *   changed; the version is parsed once per answer the catalog builds;
 * - a version's mapping is kept per guide object the catalog hands out (its cache returns the same frozen
 *   object until a change drops it);
 * - applications are counted in memory and added to the catalog's popularity every few seconds, one update
 *   per item instead of one per submission on the same hot row (best effort: a crash loses a few seconds
 *   of counts, which only rank search results).
 */
export function catalogAdapter(
  catalog: CatalogService,
  options: { flushMs?: number } = {},
): CatalogPort & { flushApplications(): Promise<void> } {
  const currentVersions = new Map<string, { json: string; version: number }>()
  const mapped = new WeakMap<GuideView, PublishedGuide>()
  let counts = new Map<string, number>()
  let timer: NodeJS.Timeout | undefined

  const flushApplications = async () => {
    if (timer) clearTimeout(timer)
    timer = undefined
    const due = counts
    counts = new Map()
    for (const [implementationId, count] of due)
      await catalog.recordApplication(implementationId, count).catch(() => {})
  }

  return {
    async getPublishedVersion(implementationId, version) {
      // implementation ids are uuids: anything else names no implementation (not a database error, a 500)
      if (!UUID.test(implementationId)) return undefined
      return orUndefined(async () => {
        let wanted = version
        if (wanted === undefined) {
          // throws not-found when nothing is published or the implementation is not active
          const json = await catalog.publishedGuideJson(implementationId)
          let current = currentVersions.get(implementationId)
          if (current?.json !== json) {
            current = { json, version: (JSON.parse(json) as { version: number }).version }
            if (currentVersions.size >= 20_000) currentVersions.clear()
            currentVersions.set(implementationId, current)
          }
          wanted = current.version
        }
        const guide = await catalog.getPublishedVersion(implementationId, wanted)
        let published = mapped.get(guide)
        if (!published) {
          published = toPublishedGuide(guide)
          mapped.set(guide, published)
        }
        return published
      })
    },
    validateApplication: (implementationId, version, data) =>
      catalog.validateApplication(implementationId, version, data),
    async getBundle(bundleId, regionCode) {
      const bundle = await orUndefined(() => catalog.getBundle(bundleId, regionCode))
      if (!bundle?.available) return undefined
      return {
        bundleId: bundle.code,
        name: bundle.name,
        regionCode,
        parts: bundle.fanOut.map((part) => ({
          implementationId: part.implementationId,
          version: part.version,
          fields: part.fields,
          materials: part.materials,
        })),
      }
    },
    async recordApplication(implementationId) {
      counts.set(implementationId, (counts.get(implementationId) ?? 0) + 1)
      if (!timer) {
        timer = setTimeout(() => void flushApplications(), options.flushMs ?? POPULARITY_FLUSH_MS)
        timer.unref()
      }
    },
    flushApplications,
  }
}
