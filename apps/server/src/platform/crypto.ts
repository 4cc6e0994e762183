import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { deriveKeys, hmacSm3, type Sm4Keys, sm4Decrypt, sm4Encrypt } from '@tongban/standards'

/**
 * Protects personal identifiers at rest (SM4, authenticated) and makes them searchable by equality
 * through a keyed blind index (HMAC-SM3), so that an ID number is never stored or compared in clear.
 */
export class PersonalDataVault {
  private readonly keys: Sm4Keys
  private readonly indexKey: Uint8Array

  constructor(masterKey: Uint8Array) {
    this.keys = deriveKeys(masterKey, { info: 'tongban/personal-data' })
    this.indexKey = deriveKeys(masterKey, { info: 'tongban/blind-index' }).macKey
  }

  encrypt(value: string): string {
    return sm4Encrypt(value, this.keys)
  }

  decrypt(token: string): string {
    return new TextDecoder().decode(sm4Decrypt(token, this.keys))
  }

  /** Equality look-up key for a normalized identifier; different purposes get different indexes. */
  blindIndex(purpose: string, value: string): string {
    return hmacSm3(this.indexKey, `${purpose}\u0000${value}`)
  }
}

/**
 * The installation's master key: MASTER_KEY when set, otherwise generated once into
 * DATA_DIR/keys/master.key (readable by the owner only). Every node of a cluster must share it.
 */
export async function loadMasterKey(configured: string | undefined, dataDir: string): Promise<Uint8Array> {
  if (configured) return Buffer.from(configured, 'hex')
  const file = path.join(dataDir, 'keys', 'master.key')
  try {
    return Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'hex')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 })
  const key = randomBytes(32)
  try {
    await fs.writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' })
    return key
  } catch (error) {
    // another process created it first: use theirs
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'hex')
    throw error
  }
}
