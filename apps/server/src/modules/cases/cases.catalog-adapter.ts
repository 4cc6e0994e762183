import { AppError } from '../../platform/errors.ts'
import type { CatalogService } from '../catalog/index.ts'
import type { CatalogPort, GuideMaterial, PublishedGuide } from './cases.ports.ts'

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

/** The catalog service seen through the cases module's CatalogPort. */
export function catalogAdapter(catalog: CatalogService): CatalogPort {
  return {
    async getPublishedVersion(implementationId, version) {
      return orUndefined(async () => {
        let wanted = version
        if (wanted === undefined) {
          const implementation = await catalog.getImplementation(implementationId)
          if (implementation.published_version === null || implementation.status !== 'active')
            return undefined
          wanted = implementation.published_version
        }
        const guide = await catalog.getPublishedVersion(implementationId, wanted)
        const materials: GuideMaterial[] = []
        for (const material of guide.content.materials) {
          const source = sourceOf(material.source)
          // shared data and department-held materials are fetched by the department, not asked of the applicant
          if (source)
            materials.push({ key: material.key, name: material.name, required: material.required, source })
        }
        const published: PublishedGuide = {
          implementationId,
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
        })),
      }
    },
    recordApplication: (implementationId) => catalog.recordApplication(implementationId),
  }
}
