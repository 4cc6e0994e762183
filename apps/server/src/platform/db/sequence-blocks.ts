import { type Kysely, sql } from 'kysely'
import type { Database } from './schema.ts'

/**
 * A table of sequence counters keyed by two columns, with a `last_value` column: `case_sequences`
 * (region_code, day) for 办件编号, `license_sequences` (issuer_code, type_code) for 证照流水号.
 */
export interface SequenceTable {
  name: string
  keys: readonly [string, string]
}

/** How many numbers a block holds: it starts at `min` and never grows past `max`. */
export interface SequenceBlockSizes {
  min: number
  max: number
}

export interface SequenceBlockOptions {
  sizes: SequenceBlockSizes
  /**
   * The second key is a period (a day): a block of a new period starts at the pace of the scope's latest
   * block, and the blocks of other periods are dropped once it is reserved.
   */
  period?: boolean
  /** Milliseconds of process time, for the pace of blocks (tests pass a fake). */
  now?: () => number
}

/** A block of numbers reserved by this process: next … last are still to be handed out. */
interface Block {
  scope: string
  part: string
  next: number
  last: number
  size: number
  /** now() when it was reserved. */
  reservedAt: number
}

/** A block used up within this long doubles the next one's size; one lasting longer than `SLOW_MS` halves it. */
const FAST_MS = 1_000
const SLOW_MS = 10_000

/**
 * Sequence numbers handed out from blocks reserved in the database, like a PostgreSQL sequence's cache:
 * one counter write per block instead of one committed write per number. Numbers are unique across
 * processes (each reserves its own blocks) and increase within a process; a process that stops leaves the
 * rest of its block unused (gaps, as rolled-back work leaves too). Calls arriving while a block is being
 * reserved wait for that one reservation. With sizes min < max a block lasts about a second under load
 * and holds a few numbers when quiet.
 */
export class SequenceBlocks {
  private readonly blocks = new Map<string, Block>()
  private readonly reservations = new Map<string, Promise<void>>()
  private readonly now: () => number

  constructor(
    private readonly db: Kysely<Database>,
    private readonly table: SequenceTable,
    private readonly options: SequenceBlockOptions,
  ) {
    this.now = options.now ?? Date.now
  }

  /** The next number of a counter (`scope`, `part`: the table's two key values). */
  async next(scope: string, part: string): Promise<number> {
    const key = `${scope}\u0000${part}`
    for (;;) {
      const block = this.blocks.get(key)
      if (block && block.next <= block.last) return block.next++
      let reservation = this.reservations.get(key)
      if (!reservation) {
        reservation = this.reserve(key, scope, part, block).finally(() => this.reservations.delete(key))
        this.reservations.set(key, reservation)
      }
      await reservation
    }
  }

  /** Reserves the next block of a counter, sized by the pace of the previous one. */
  private async reserve(key: string, scope: string, part: string, used: Block | undefined): Promise<void> {
    const reservedAt = this.now()
    const previous = used ?? (this.options.period ? this.latestOf(scope) : undefined)
    const size = this.sizeAfter(previous, reservedAt)
    const last = await reserveSequenceBlock(this.db, this.table, [scope, part], size)
    if (this.options.period)
      for (const [other, block] of this.blocks) if (block.part !== part) this.blocks.delete(other)
    this.blocks.set(key, { scope, part, next: last - size + 1, last, size, reservedAt })
  }

  /** The size of the next block: doubled when the previous one went fast, halved when it went slow. */
  private sizeAfter(previous: Block | undefined, at: number): number {
    const { min, max } = this.options.sizes
    if (!previous) return min
    const lasted = at - previous.reservedAt
    if (lasted < FAST_MS) return Math.min(previous.size * 2, max)
    if (lasted > SLOW_MS) return Math.max(Math.floor(previous.size / 2), min)
    return previous.size
  }

  /** The latest block of a scope in any period (a new day starts at yesterday's pace). */
  private latestOf(scope: string): Block | undefined {
    let latest: Block | undefined
    for (const block of this.blocks.values())
      if (block.scope === scope && (!latest || block.reservedAt > latest.reservedAt)) latest = block
    return latest
  }
}

/**
 * Reserves the next `count` numbers of one counter (atomic, safe under concurrency and across nodes: one
 * upsert) and answers the last of them; the block is last - count + 1 … last.
 */
export async function reserveSequenceBlock(
  db: Kysely<Database>,
  table: SequenceTable,
  [scope, part]: readonly [string, string],
  count: number,
): Promise<number> {
  const name = sql.table(table.name)
  const [first, second] = [sql.ref(table.keys[0]), sql.ref(table.keys[1])]
  const { rows } = await sql<{ last_value: number | string }>`
    INSERT INTO ${name} (${first}, ${second}, last_value) VALUES (${scope}, ${part}, ${count})
    ON CONFLICT (${first}, ${second}) DO UPDATE SET last_value = ${name}.last_value + ${count}
    RETURNING last_value`.execute(db)
  const row = rows[0]
  if (!row) throw new Error(`no row answered reserving a block of ${table.name}`)
  return Number(row.last_value)
}
