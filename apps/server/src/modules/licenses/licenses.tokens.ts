/**
 * 亮证 QR token: `1.<license id, 32 hex>.<token id, 24 hex>.<expiry, Unix seconds>.<MAC, 32 hex>`. The MAC is
 * a keyed HMAC-SM3 under the installation's key: only this platform can make or check one, so online
 * verification costs one MAC and one indexed read, not an SM2 verification.
 */
export interface QrTokenClaims {
  licenseId: string
  tokenId: string
  expiresAt: Date
}

export type QrTokenError = 'forged' | 'expired'

const TOKEN = /^1\.([0-9a-f]{32})\.([0-9a-f]{24})\.(\d{1,12})\.([0-9a-f]{32})$/

const toUuid = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`

/** Makes a token; `mac` is the keyed MAC (hex) of the token's body. */
export function encodeQrToken(claims: QrTokenClaims, mac: (body: string) => string): string {
  const body = `1.${claims.licenseId.replaceAll('-', '')}.${claims.tokenId}.${Math.floor(claims.expiresAt.getTime() / 1000)}`
  return `${body}.${mac(body).slice(0, 32)}`
}

/** Checks a token's form, MAC and expiry; a token that fails any of them discloses nothing. */
export function decodeQrToken(
  token: string,
  mac: (body: string) => string,
  now: Date,
): { ok: true; claims: QrTokenClaims } | { ok: false; error: QrTokenError } {
  const m = TOKEN.exec(token)
  if (!m) return { ok: false, error: 'forged' }
  // the pattern has four groups: each is there when it matched
  const [license = '', tokenId = '', exp = '', given = ''] = m.slice(1)
  const body = `1.${license}.${tokenId}.${exp}`
  if (!timingSafeEqualHex(mac(body).slice(0, 32), given)) return { ok: false, error: 'forged' }
  const expiresAt = new Date(Number(exp) * 1000)
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, error: 'expired' }
  return { ok: true, claims: { licenseId: toUuid(license), tokenId, expiresAt } }
}

function timingSafeEqualHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/** The public page a QR code opens; the token rides in the query. */
export function verificationUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/verify/license?t=${encodeURIComponent(token)}`
}
