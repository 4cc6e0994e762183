import { generateCaseNo } from '@tongban/standards'
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/schema.ts'
import { SequenceBlocks } from '../../platform/db/sequence-blocks.ts'

/**
 * 办件编号: the next case number of a region and day, from this process's reserved block of sequence
 * numbers in `case_sequences` (one counter write per block instead of one per case), so that no counter row
 * is written (or locked) per case. A block lasts about a second under load and holds a few numbers when
 * quiet (4 to 512); a new day starts at the previous day's pace. A rolled-back submission, or a process that
 * stops, leaves a gap, as any database sequence does.
 */
export class CaseNumbers {
  private readonly blocks: SequenceBlocks

  constructor(db: Kysely<Database>) {
    this.blocks = new SequenceBlocks(
      db,
      { name: 'case_sequences', keys: ['region_code', 'day'] },
      { sizes: { min: 4, max: 512 }, period: true },
    )
  }

  /** The next 办件编号 of the region (its county code) on the Asia/Shanghai day. */
  async next(regionCode: string, day: string): Promise<string> {
    const region = regionCode.slice(0, 6)
    return generateCaseNo({ regionCode: region, date: day, sequence: await this.blocks.next(region, day) })
  }
}
