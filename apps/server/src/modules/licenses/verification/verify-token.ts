import { AppError } from '../../../platform/errors.ts'
import type { LicensesContext } from '../licenses.context.ts'
import { messages } from '../licenses.messages.ts'
import type { LicenseStatus } from '../licenses.policy.ts'
import type { VerificationRow } from '../licenses.repository.ts'
import { decodeQrToken, type QrTokenClaims } from '../licenses.tokens.ts'
import { statusOf } from '../reading/license-detail.ts'
import { tokenMac } from './show-license.ts'

/** A verification answer; only disclosable fields, and those only while the license is valid. */
export interface Verification {
  status: LicenseStatus
  licenseNo: string
  typeName: string
  issuerName: string
  validFrom: string
  validUntil: string | null
  fields: Record<string, unknown>
  checkedAt: Date
}

/**
 * Online verification of a scanned token: forged, expired and replayed tokens are refused with nothing
 * disclosed; a genuine one answers the license's status as of now and, while it is valid, the fields
 * its type allows to disclose.
 */
export async function verifyToken(ctx: LicensesContext, token: string): Promise<Verification> {
  const now = ctx.now()
  const claims = genuineClaims(ctx, token, now)
  const row = await ctx.consumeToken({
    tokenId: claims.tokenId,
    licenseId: claims.licenseId,
    expiresAt: claims.expiresAt,
  })
  if (!row) throw notGenuine(messages.codeNotGenuine)
  if (!row.fresh)
    throw new AppError('conflict', {
      detail: messages.codeReplayed,
      errors: [{ path: '/query/token', code: 'replayed', message: messages.replayed }],
    })
  return verificationOf(ctx, row, now)
}

/** The claims of a token with a genuine MAC that has not expired; 410 or 422 otherwise. */
function genuineClaims(ctx: LicensesContext, token: string, now: Date): QrTokenClaims {
  const decoded = decodeQrToken(token, tokenMac(ctx), now)
  if (decoded.ok) return decoded.claims
  if (decoded.error === 'expired')
    throw new AppError('gone', {
      detail: messages.codeExpired,
      errors: [{ path: '/query/token', code: 'expired', message: messages.expired }],
    })
  throw notGenuine(messages.codeForged)
}

function notGenuine(detail: { zh: string; en: string }): AppError {
  return new AppError('unprocessable', {
    detail,
    errors: [{ path: '/query/token', code: 'forged', message: messages.notGenuine }],
  })
}

/** What a verifier is told of a license: its status, and its disclosable fields while valid. */
async function verificationOf(ctx: LicensesContext, row: VerificationRow, now: Date): Promise<Verification> {
  const status = statusOf(row, now)
  const [type, department] = await Promise.all([
    ctx.types.get(row.type_code),
    ctx.departments.find(row.issuer_department_id),
  ])
  const disclosed: Record<string, unknown> = {}
  if (status === 'valid') {
    const fields = JSON.parse(ctx.platform.vault.decrypt(row.fields_enc)) as Record<string, unknown>
    for (const name of type.disclosable_fields) if (name in fields) disclosed[name] = fields[name]
  }
  return {
    status,
    licenseNo: row.license_no,
    typeName: type.name,
    issuerName: department?.name ?? '',
    validFrom: String(row.valid_from),
    validUntil: row.valid_until === null ? null : String(row.valid_until),
    fields: disclosed,
    checkedAt: now,
  }
}
