import { randomBytes } from 'node:crypto'
import type { AuthenticatedActor } from '../../../platform/authz.ts'
import { publicUrlOf } from '../../../platform/config.ts'
import { AppError } from '../../../platform/errors.ts'
import type { LicensesContext } from '../licenses.context.ts'
import { messages } from '../licenses.messages.ts'
import { isUsable } from '../licenses.policy.ts'
import { encodeQrToken, verificationUrl } from '../licenses.tokens.ts'
import { getOwnLicense, type LicenseDetail } from '../reading/license-detail.ts'

const TOKEN_MAC_PURPOSE = 'license-qr-token'
/** Token uses are kept this long past their token's expiry, then purged now and then. */
const TOKEN_USES_KEPT_MS = 3_600_000

/** A 亮证 token with its expiry. */
export interface QrToken {
  token: string
  expiresAt: Date
}

/** The keyed MAC (HMAC-SM3 under the installation key) of a token's body. */
export function tokenMac(ctx: LicensesContext): (body: string) => string {
  return (body) => ctx.platform.vault.blindIndex(TOKEN_MAC_PURPOSE, body)
}

/** 亮证: a short-lived, single-use token for the QR code of a valid license the caller holds. */
export async function showLicense(
  ctx: LicensesContext,
  id: string,
  actor: AuthenticatedActor,
): Promise<QrToken> {
  return tokenFor(ctx, await getOwnLicense(ctx, id, actor))
}

/** A fresh token of a valid license; now and then, the uses of long-expired tokens are purged. */
export async function tokenFor(ctx: LicensesContext, detail: LicenseDetail): Promise<QrToken> {
  if (!isUsable(detail.status)) throw new AppError('invalid-transition', { detail: messages.notShowable })
  const now = ctx.now()
  const expiresAt = new Date(now.getTime() + detail.type.token_minutes * 60_000)
  const token = encodeQrToken(
    { licenseId: detail.record.id, tokenId: randomBytes(12).toString('hex'), expiresAt },
    tokenMac(ctx),
  )
  if (Math.random() < 0.01) await ctx.repository.purgeTokenUses(new Date(now.getTime() - TOKEN_USES_KEPT_MS))
  return { token, expiresAt }
}

/** The public verification page a QR code of the token opens. */
export function verificationUrlOf(ctx: LicensesContext, token: string): string {
  return verificationUrl(publicUrlOf(ctx.platform.config), token)
}
