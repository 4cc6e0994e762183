import type { DidDocument } from '@tongban/contracts'
import type { AuthenticatedActor } from '../../../platform/authz.ts'
import { publicUrlOf } from '../../../platform/config.ts'
import { AppError } from '../../../platform/errors.ts'
import type { AuditWho } from '../licenses.audit.ts'
import type { LicensesContext } from '../licenses.context.ts'
import {
  departmentDid,
  departmentDidDocument,
  type ExportedCredential,
  signLicenseCredential,
} from '../licenses.credentials.ts'
import { messages } from '../licenses.messages.ts'
import { isUsable } from '../licenses.policy.ts'
import { getOwnLicense, signedFileOf } from '../reading/license-detail.ts'

/** A department's did:web identifier under this installation's public URL. */
export function didOf(ctx: LicensesContext, departmentId: string): string {
  return departmentDid(publicUrlOf(ctx.platform.config), departmentId)
}

/** A department's DID document: every Ed25519 key it has used, rotated-out ones with their end. */
export async function didDocumentOf(ctx: LicensesContext, departmentId: string): Promise<DidDocument> {
  await ctx.departments.get(departmentId)
  const keys = await ctx.repository.findKeys({ departmentId })
  return departmentDidDocument(
    didOf(ctx, departmentId),
    keys
      .filter((k) => k.algorithm === 'Ed25519')
      .map((k) => ({ keyId: k.id, publicKey: k.public_key, validUntil: k.valid_until })),
  )
}

/**
 * Exports one of the caller's valid licenses as a W3C Verifiable Credential (VC-JWT) signed with the
 * issuing department's current Ed25519 key; audited, as it makes a credential that travels on its own.
 */
export async function exportCredential(
  ctx: LicensesContext,
  id: string,
  actor: AuthenticatedActor,
  who: AuditWho,
): Promise<ExportedCredential & { issuer: string }> {
  const detail = await getOwnLicense(ctx, id, actor)
  if (!isUsable(detail.status)) throw new AppError('invalid-transition', { detail: messages.notExportable })
  const signer = await ctx.keys.ed25519Signer(detail.department.id)
  const issuer = didOf(ctx, detail.department.id)
  const credential = await signLicenseCredential({
    did: issuer,
    signer,
    file: signedFileOf(ctx, detail.record),
    now: ctx.now(),
  })
  await ctx.platform.audit.record({
    ...who,
    action: 'license.export-credential',
    resourceType: 'license',
    resourceId: detail.record.id,
    regionCode: detail.record.region_code,
    outcome: 'success',
    details: {
      licenseNo: detail.record.license_no,
      credentialId: credential.credentialId,
      verificationMethod: credential.verificationMethod,
    },
  })
  return { ...credential, issuer }
}
