import type { LicenseGrantView, LicenseView, PublishedGuideView } from '@tongban/contracts'
import { useCallback } from 'react'
import { apiFetch } from '../../api/client.ts'
import { endpoints, type Page } from '../../api/endpoints.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import type { AttachedFile, LicenseChoice } from './material-upload.tsx'

type Material = PublishedGuideView['content']['materials'][number]

/** How long a 用证授权 made while applying lasts: long enough for the case's legal time limit. */
export const GRANT_DAYS = 180

/**
 * The applicant's e-licenses for the guide's license materials: `choiceFor(material)` lists the valid
 * licenses of the material's type in the wallet, and authorizes the item's department to use the one
 * chosen (用证授权) for this application. A wallet that cannot be read leaves upload of a copy.
 */
export function useLicenseChoices(guide: Pick<PublishedGuideView, 'departmentId' | 'name'> | undefined) {
  const wallet = useApiQuery<Page<LicenseView>>(guide ? endpoints.myLicenses : null)
  const held = wallet.data?.items ?? []
  return useCallback(
    (material: Material): LicenseChoice | undefined => {
      if (material.source !== 'license' || !guide) return undefined
      const options = held.filter(
        (license) =>
          license.status === 'valid' && (!material.licenseType || license.typeCode === material.licenseType),
      )
      return {
        options,
        use: async (license: LicenseView): Promise<AttachedFile> => {
          const grant = await apiFetch<LicenseGrantView>(endpoints.myLicenseGrants(license.id), {
            method: 'POST',
            body: {
              departmentId: guide.departmentId,
              purpose: `办理“${guide.name}”`.slice(0, 200),
              validUntil: new Date(Date.now() + GRANT_DAYS * 86_400_000).toISOString(),
            },
          })
          return {
            key: material.key,
            licenseGrantId: grant.id,
            name: `${license.typeName}（${license.licenseNo}）`.slice(0, 120),
          }
        },
      }
    },
    [guide, held],
  )
}
