import { sm2PublicKeyOf, sm2Sign, sm2Verify } from '@tongban/standards'
import { type Kysely, sql } from 'kysely'
import { canonicalJson } from './audit.ts'
import type { Clock } from './clock.ts'
import type { PersonalDataVault } from './crypto.ts'
import type { Database } from './db/schema.ts'
import type { EventBus } from './events.ts'
import type { BlobStore } from './storage.ts'

/**
 * 审计链检查点: the chain anchored outside the database. Every so many sealed entries (and at least every so
 * many seconds while entries are sealed) the sealer writes a checkpoint — the head's sequence and hash, the
 * time, and the hash of every entry since the previous checkpoint — signed with SM2, to the file store, and
 * publishes it as `audit.checkpoint` (to NATS when configured). Whoever rewrites the database afterwards
 * cannot make the checkpoints agree: `verify` names the first entry that no longer matches.
 */
export interface AuditCheckpoint {
  seq: number
  hash: string
  at: string
  /** The first entry this checkpoint lists; `hashes[i]` is the hash of entry `from + i`. */
  from: number
  hashes: string[]
  publicKey: string
  signature: string
}

export interface CheckpointOptions {
  everyEntries: number
  everySeconds: number
}

/** What the checkpoints say of the chain. */
export interface CheckpointVerification {
  ok: boolean
  checkpoints: number
  /** The highest entry a checkpoint vouches for. */
  coveredUpTo: number
  /** The first entry that disagrees with a checkpoint, and how. */
  firstAffected?: {
    seq: number
    reason: 'truncated' | 'rechained' | 'bad-signature' | 'unreadable'
    checkpoint: string
  }
}

const PREFIX = 'audit/checkpoints'
/** The SM2 group order n (GM/T 0003): a private key is in [1, n − 1]. */
const SM2_ORDER = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123')

/** Where the checkpoint at `seq` lives in the file store; names sort by sequence. */
export const checkpointKey = (seq: number) => `${PREFIX}/${String(seq).padStart(12, '0')}.json`

/** The signing key of the checkpoints, derived from the master key: every node has it, nothing stores it. */
function signingKey(vault: PersonalDataVault): string {
  const derived = BigInt(`0x${Buffer.from(vault.derive('tongban/audit-checkpoint')).toString('hex')}`)
  return ((derived % (SM2_ORDER - 1n)) + 1n).toString(16).padStart(64, '0')
}

/** The bytes a checkpoint's signature covers: every field but the signature, as canonical JSON. */
const signedText = ({ signature: _, ...rest }: AuditCheckpoint) => canonicalJson(rest)

export class AuditCheckpoints {
  private readonly privateKey: string
  readonly publicKey: string
  private last: { seq: number; at: number } | undefined

  constructor(
    private readonly db: Kysely<Database>,
    private readonly blobs: BlobStore,
    vault: PersonalDataVault,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly options: CheckpointOptions,
  ) {
    this.privateKey = signingKey(vault)
    this.publicKey = sm2PublicKeyOf(this.privateKey)
  }

  /** Writes a checkpoint when enough entries were sealed or enough time passed since the last one. */
  async writeIfDue(): Promise<AuditCheckpoint | undefined> {
    const head = await this.db
      .selectFrom('audit_chain_head')
      .select(['seq', 'hash'])
      .executeTakeFirstOrThrow()
    const seq = Number(head.seq)
    this.last ??= await this.latest()
    const last = this.last
    if (seq <= last.seq) return undefined
    const due =
      seq - last.seq >= this.options.everyEntries ||
      this.clock.now().getTime() - last.at >= this.options.everySeconds * 1000
    return due ? this.write(last.seq + 1, seq, head.hash) : undefined
  }

  /** Signs and stores the checkpoint of entries `from`…`seq`, then announces it. */
  private async write(from: number, seq: number, hash: string): Promise<AuditCheckpoint> {
    const hashes = await this.hashesOf(from, seq)
    const at = this.clock.now()
    const unsigned = {
      seq,
      hash,
      at: at.toISOString(),
      from,
      hashes,
      publicKey: this.publicKey,
      signature: '',
    }
    const checkpoint = { ...unsigned, signature: sm2Sign(signedText(unsigned), this.privateKey) }
    const key = checkpointKey(seq)
    await this.blobs.put(key, Buffer.from(JSON.stringify(checkpoint)), 'application/json')
    await this.db.transaction().execute((trx) =>
      this.events.publish(trx, 'audit.checkpoint', {
        seq,
        hash,
        at: checkpoint.at,
        key,
        publicKey: this.publicKey,
        signature: checkpoint.signature,
      }),
    )
    this.last = { seq, at: at.getTime() }
    return checkpoint
  }

  /** The newest checkpoint's sequence and time; sequence 0 when there is none. */
  private async latest(): Promise<{ seq: number; at: number }> {
    const keys = await this.blobs.list(PREFIX)
    const newest = keys.at(-1)
    const checkpoint = newest ? await this.read(newest) : undefined
    return checkpoint ? { seq: checkpoint.seq, at: Date.parse(checkpoint.at) } : { seq: 0, at: 0 }
  }

  private async read(key: string): Promise<AuditCheckpoint | undefined> {
    const stream = await this.blobs.get(key)
    if (!stream) return undefined
    const chunks: Buffer[] = []
    for await (const chunk of stream) chunks.push(chunk as Buffer)
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as AuditCheckpoint
    } catch {
      return undefined
    }
  }

  /** The hash of every sealed entry from `from` to `to`, archive and live table alike; missing ones absent. */
  private async hashesOf(from: number, to: number): Promise<string[]> {
    const { rows } = await sql<{ seq: string; hash: string }>`
      SELECT seq, hash FROM audit_log_archive WHERE seq BETWEEN ${from} AND ${to}
      UNION ALL
      SELECT seq, hash FROM audit_log WHERE seq BETWEEN ${from} AND ${to}
      ORDER BY seq`.execute(this.db)
    return rows.filter((r, i) => Number(r.seq) === from + i).map((r) => r.hash)
  }

  /**
   * Checks every checkpoint in the file store: its signature under this deployment's key, and each entry
   * hash it lists against the chain in the database. Reports the first entry affected.
   */
  async verify(): Promise<CheckpointVerification> {
    const keys = await this.blobs.list(PREFIX)
    let coveredUpTo = 0
    let first: CheckpointVerification['firstAffected']
    const affect = (seq: number, reason: NonNullable<typeof first>['reason'], checkpoint: string) => {
      if (!first || seq < first.seq) first = { seq, reason, checkpoint }
    }
    for (const key of keys) {
      const checkpoint = await this.read(key)
      if (!checkpoint || !Array.isArray(checkpoint.hashes)) {
        affect(0, 'unreadable', key)
        continue
      }
      if (
        checkpoint.publicKey !== this.publicKey ||
        !sm2Verify(signedText(checkpoint), checkpoint.signature, this.publicKey)
      ) {
        affect(Number(checkpoint.from) || 0, 'bad-signature', key)
        continue
      }
      coveredUpTo = Math.max(coveredUpTo, checkpoint.seq)
      const actual = await this.hashesOf(checkpoint.from, checkpoint.seq)
      const index = checkpoint.hashes.findIndex((hash, i) => actual[i] !== hash)
      if (index >= 0)
        affect(checkpoint.from + index, actual[index] === undefined ? 'truncated' : 'rechained', key)
    }
    return {
      ok: first === undefined,
      checkpoints: keys.length,
      coveredUpTo,
      ...(first ? { firstAffected: first } : {}),
    }
  }
}
