import { generateCaseNo } from '@tongban/standards'
import type { SequencesRepository } from './repository/sequences.repository.ts'

/** Bounds of the size of a block of 办件编号 sequence numbers reserved at once. */
const SEQUENCE_BLOCK_MIN = 4
const SEQUENCE_BLOCK_MAX = 512

/** A block of 办件编号 sequence numbers reserved by this process. */
interface SequenceBlock {
  next: number
  last: number
  size: number
  /** Date.now() when it was reserved. */
  reservedAt: number
}

/**
 * 办件编号: the next case number of a region and day, from this process's reserved block of sequence
 * numbers (one counter write per block instead of one per case, like a PostgreSQL sequence's cache), so
 * that no counter row is written (or locked) per case. A block lasts about a second under load and holds a
 * few numbers when quiet: its size doubles when the previous one was used up within a second and halves
 * when it lasted more than ten. A rolled-back submission, or a process that stops, leaves a gap, as any
 * database sequence does.
 */
export class CaseNumbers {
  /** Blocks reserved by this process, by region and day, and reservations under way. */
  private readonly blocks = new Map<string, SequenceBlock>()
  private readonly reservations = new Map<string, Promise<void>>()

  constructor(private readonly sequences: SequencesRepository) {}

  /** The next 办件编号 of the region (its county code) on the Asia/Shanghai day. */
  async next(regionCode: string, day: string): Promise<string> {
    const region = regionCode.slice(0, 6)
    const key = `${region}/${day}`
    for (;;) {
      const block = this.blocks.get(key)
      if (block && block.next <= block.last)
        return generateCaseNo({ regionCode: region, date: day, sequence: block.next++ })
      await (this.reservations.get(key) ?? this.reserve(region, day, block))
    }
  }

  /** Reserves the region's next block of the day, sized by how long the previous one lasted. */
  private reserve(region: string, day: string, current: SequenceBlock | undefined): Promise<void> {
    const key = `${region}/${day}`
    const now = Date.now()
    const size = nextBlockSize(current ?? this.lastBlockOf(region), now)
    const reservation = this.sequences
      .reserve(region, day, size)
      .then((last) => {
        // blocks of other days are done with
        for (const other of this.blocks.keys()) if (!other.endsWith(`/${day}`)) this.blocks.delete(other)
        this.blocks.set(key, { next: last - size + 1, last, size, reservedAt: now })
      })
      .finally(() => this.reservations.delete(key))
    this.reservations.set(key, reservation)
    return reservation
  }

  /** The latest block of a region on any day (a new day starts with yesterday's pace). */
  private lastBlockOf(region: string): SequenceBlock | undefined {
    let latest: SequenceBlock | undefined
    for (const [key, block] of this.blocks)
      if (key.startsWith(`${region}/`) && (!latest || block.reservedAt > latest.reservedAt)) latest = block
    return latest
  }
}

/** Doubled when the previous block lasted under a second, halved when it lasted over ten. */
function nextBlockSize(previous: SequenceBlock | undefined, now: number): number {
  if (!previous) return SEQUENCE_BLOCK_MIN
  const lasted = now - previous.reservedAt
  if (lasted < 1_000) return Math.min(previous.size * 2, SEQUENCE_BLOCK_MAX)
  if (lasted > 10_000) return Math.max(Math.floor(previous.size / 2), SEQUENCE_BLOCK_MIN)
  return previous.size
}
