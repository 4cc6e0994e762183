/**
 * Offline 电子证照 verifier: checks a license's SM2 signature with the issuing department's published
 * public key, and that the key was within its validity period when it signed. No network, no database.
 *
 *   npx tsx apps/server/scripts/verify-license.ts <signed-license.json | license.pdf> <published-keys.json>
 *
 * The license: the file of GET /api/v1/me/licenses/:id/signed, or the PDF of GET /api/v1/me/licenses/:id/pdf
 * (its attached license.signed.json is checked); `published-keys.json`: GET /api/v1/licenses/keys.
 * Exit 0: genuine; 1: not genuine (reason printed); 2: usage or unreadable input. Revocation and
 * suspension are not visible offline: scan the QR code for the current status.
 */
import fs from 'node:fs/promises'
import {
  type PublishedKey,
  type SignedLicenseFile,
  verifyLicenseOffline,
} from '../src/modules/licenses/licenses.document.ts'
import { signedFileOfPdf } from '../src/modules/licenses/licenses.pdf.ts'

const REASONS = {
  'unknown-key': '签名密钥不在公布的密钥列表中 / the signing key is not among the published keys',
  'key-not-valid-then': '签名时间不在该密钥的有效期内 / the key was not valid when this was signed',
  'bad-signature':
    'SM2 签名不匹配：证照内容被篡改或伪造 / the SM2 signature does not match: altered or forged',
  malformed: '文件格式不正确 / the file is not a signed license',
} as const

export async function main(args: string[]): Promise<number> {
  const [licensePath, keysPath] = args
  if (!licensePath || !keysPath) {
    console.error('usage: verify-license <signed-license.json | license.pdf> <published-keys.json>')
    return 2
  }
  let file: SignedLicenseFile
  let keys: PublishedKey[]
  try {
    const bytes = await fs.readFile(licensePath)
    if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
      const attached = await signedFileOfPdf(bytes)
      if (!attached) throw new Error('the PDF carries no signed license file (license.signed.json)')
      file = attached
    } else file = JSON.parse(bytes.toString('utf8')) as SignedLicenseFile
    const published = JSON.parse(await fs.readFile(keysPath, 'utf8')) as
      | PublishedKey[]
      | { items: PublishedKey[] }
    keys = Array.isArray(published) ? published : published.items
  } catch (error) {
    console.error(`cannot read input: ${(error as Error).message}`)
    return 2
  }
  const verdict = verifyLicenseOffline(file, keys)
  if (!verdict.ok) {
    console.log(`NOT GENUINE: ${REASONS[verdict.reason]}`)
    return 1
  }
  const d = file.document
  console.log(`GENUINE 真实有效签名: ${d.licenseType.name} ${d.licenseId}`)
  console.log(`  holder 持证主体: ${d.holder.name}; issuer 颁证单位: ${d.issuer.name} (${d.issuer.code})`)
  console.log(`  valid 有效期: ${d.validFrom} – ${d.validUntil ?? '长期'}; signed 签名时间: ${d.signedAt}`)
  return 0
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2))
