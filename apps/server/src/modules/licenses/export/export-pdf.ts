import type { AuthenticatedActor } from '../../../platform/authz.ts'
import { AppError } from '../../../platform/errors.ts'
import type { LicensesContext } from '../licenses.context.ts'
import { messages } from '../licenses.messages.ts'
import { isUsable } from '../licenses.policy.ts'
import { getOwnLicense, signedFileOf } from '../reading/license-detail.ts'
import { tokenFor, verificationUrlOf } from '../verification/show-license.ts'

/**
 * The PDF rendering of one of the caller's valid licenses, with the QR code of a fresh token (it expires
 * like one shown on screen, so a printed copy cannot be used for long) and the signed file attached.
 */
export async function exportPdf(
  ctx: LicensesContext,
  id: string,
  actor: AuthenticatedActor,
): Promise<{ bytes: Uint8Array; licenseNo: string }> {
  const detail = await getOwnLicense(ctx, id, actor)
  if (!isUsable(detail.status)) throw new AppError('invalid-transition', { detail: messages.notDownloadable })
  const { token, expiresAt } = await tokenFor(ctx, detail)
  const properties = (detail.type.fields_schema as { properties?: Record<string, { title?: string }> })
    .properties
  const bytes = await ctx.pdf.render({
    file: signedFileOf(ctx, detail.record),
    displayTemplate: detail.type.display_template,
    fieldTitles: Object.fromEntries(
      Object.entries(properties ?? {}).map(([name, p]) => [name, p.title ?? name]),
    ),
    issuerName: detail.department.name,
    verificationUrl: verificationUrlOf(ctx, token),
    tokenExpiresAt: expiresAt,
    generatedAt: ctx.now(),
  })
  return { bytes, licenseNo: detail.record.license_no }
}
