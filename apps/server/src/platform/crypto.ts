import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { deriveKeys, hmacSm3, type Sm4Keys, sm4Decrypt, sm4Encrypt } from '@tongban/standards'
import type { Kysely } from 'kysely'
import { StartupRefused } from './config.ts'
import type { Database } from './db/schema.ts'

/**
 * Protects personal identifiers at rest (SM4, authenticated) and makes them searchable by equality
 * through a keyed blind index (HMAC-SM3), so that an ID number is never stored or compared in clear.
 */
export class PersonalDataVault {
  private readonly keys: Sm4Keys
  private readonly indexKey: Uint8Array

  constructor(private readonly masterKey: Uint8Array) {
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

  /** A 32-byte key for another purpose (e.g. the audit checkpoints' signing key), derived from the master key. */
  derive(purpose: string): Uint8Array {
    return deriveKeys(this.masterKey, { info: purpose }).macKey
  }

  /** The master key's check value: tells whether two nodes hold the same key without revealing it. */
  keyCheckValue(): string {
    return hmacSm3(this.derive('tongban/key-check'), 'tongban master key check')
  }
}

/** The master key a process runs with, and whether it was generated just now (not yet saved). */
export interface MasterKey {
  key: Uint8Array
  source: 'configured' | 'file' | 'generated'
  /** Saves a generated key to DATA_DIR/keys/master.key; a no-op for the others. */
  save(): Promise<void>
}

/**
 * The installation's master key: MASTER_KEY when set, else DATA_DIR/keys/master.key, else a new random key
 * that is saved only once the database has accepted it (`checkMasterKey`): a node must never invent a key
 * for a database that already has one. Every node of a cluster must share it.
 */
export async function loadMasterKey(configured: string | undefined, dataDir: string): Promise<MasterKey> {
  const noSave = async () => {}
  if (configured) return { key: Buffer.from(configured, 'hex'), source: 'configured', save: noSave }
  const file = path.join(dataDir, 'keys', 'master.key')
  const read = async () => Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'hex')
  try {
    return { key: await read(), source: 'file', save: noSave }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const key = randomBytes(32)
  const save = async () => {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 })
    await fs.writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' })
  }
  return { key, source: 'generated', save }
}

/**
 * Compares the node's master key with the key check value the database was set up with, recording it on
 * the first start (and saving a generated key then). A node holding another key — or none, for a
 * database that has one — refuses to start: it would register duplicate accounts (other blind indexes)
 * and write data no other node can read. `readOnly` (audit verify on a backup) records nothing.
 */
export async function checkMasterKey(
  db: Kysely<Database>,
  masterKey: MasterKey,
  vault: PersonalDataVault,
  readOnly = false,
): Promise<void> {
  const value = vault.keyCheckValue()
  const stored = await db
    .selectFrom('key_checks')
    .select('value')
    .where('purpose', '=', 'master')
    .executeTakeFirst()
  if (stored && stored.value === value) return
  if (stored && masterKey.source === 'generated')
    throw new StartupRefused(
      "This database was set up with a master key, and this node has none: MASTER_KEY is empty and DATA_DIR/keys/master.key does not exist. Start it with the deployment's MASTER_KEY (every node needs the same one).",
    )
  if (stored)
    throw new StartupRefused(
      `The master key of this node (${masterKey.source === 'configured' ? 'MASTER_KEY' : 'DATA_DIR/keys/master.key'}) is not the one this database was set up with. Start it with the deployment's MASTER_KEY: with another key it would write personal data no other node can read.`,
    )
  if (readOnly) return
  const inserted = await db
    .insertInto('key_checks')
    .values({ purpose: 'master', value })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst()
  // another node set the database up at the same moment, with its own key: compare with that one
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return checkMasterKey(db, masterKey, vault, true)
  await masterKey.save()
}
