import type { MaterialRef } from '@tongban/contracts'
import type { AuthenticatedActor } from '../../../platform/authz.ts'
import { notFound } from '../../../platform/errors.ts'
import type { CasesContext } from '../cases.context.ts'
import { messages } from '../cases.messages.ts'
import { type GrantCitation, mayCiteGrant } from '../cases.policy.ts'
import type { PublishedGuide } from '../cases.ports.ts'

/** Where a cited grant must point: the applicant's accounts, the departments and (once it exists) the case. */
export type CitationScope = Omit<GrantCitation, 'licenseType'>

/**
 * 用证授权 as materials: every material that cites a grant cites one the applicant may use here
 * (mayCiteGrant) — their own license, in force, of the material's type, naming the case or one of its
 * departments. Anything else is 404, answered like a grant that does not exist, so nobody learns of
 * others' grants; nothing is written.
 */
export async function checkCitedGrants(
  ctx: CasesContext,
  materials: readonly MaterialRef[],
  licenseTypeOf: (key: string) => string | undefined,
  scope: CitationScope,
): Promise<void> {
  for (const [i, ref] of materials.entries()) {
    if (!('licenseGrantId' in ref)) continue
    const grant = await ctx.ports.grants?.findGrant(ref.licenseGrantId)
    if (!grant || !mayCiteGrant(grant, { ...scope, licenseType: licenseTypeOf(ref.key) }))
      throw notFound(messages.noSuchGrant(`/materials/${i}/licenseGrantId`))
  }
}

/** The applicant's accounts a cited license may belong to: the caller, and the company they act for. */
export function applicantIdsOf(actor: AuthenticatedActor): string[] {
  return actor.actingFor ? [actor.accountId, actor.actingFor.accountId] : [actor.accountId]
}

/** The departments working an item: the implementing department and every step's. */
export function departmentsOf(guides: readonly PublishedGuide[]): string[] {
  const ids = new Set<string>()
  for (const guide of guides) {
    ids.add(guide.departmentId)
    for (const step of guide.steps ?? []) if (step.departmentId) ids.add(step.departmentId)
  }
  return [...ids]
}

/**
 * The license type a material (by its key as the request names it) asks for, over the guides applied for;
 * `materialKeys` maps a bundle part's own keys to the merged ones.
 */
export function licenseTypesOf(
  guides: readonly (PublishedGuide & { materialKeys?: Record<string, string> })[],
): (key: string) => string | undefined {
  const types = new Map<string, string>()
  for (const guide of guides)
    for (const material of guide.materials)
      if (material.licenseType)
        types.set(guide.materialKeys?.[material.key] ?? material.key, material.licenseType)
  return (key) => types.get(key)
}
