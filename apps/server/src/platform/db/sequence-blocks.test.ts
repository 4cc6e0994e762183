import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDb, type TestDb } from '../../../test/database.ts'
import { reserveSequenceBlock, SequenceBlocks, type SequenceTable } from './sequence-blocks.ts'

/** A counter table of the shape the modules' sequence tables have, made for this test alone. */
const table: SequenceTable = { name: 'test_sequences', keys: ['scope', 'part'] }

let testDb: TestDb
beforeAll(async () => {
  testDb = await openTestDb({ migrate: false })
  await sql`CREATE TABLE test_sequences (
    scope text NOT NULL, part text NOT NULL, last_value bigint NOT NULL, PRIMARY KEY (scope, part))`.execute(
    testDb.handle.db,
  )
}, 180_000)
afterAll(() => testDb?.drop())

const db = () => testDb.handle.db
const counter = async (scope: string, part: string) => {
  const { rows } = await sql<{ last_value: number }>`
    SELECT last_value FROM test_sequences WHERE scope = ${scope} AND part = ${part}`.execute(db())
  return rows[0]?.last_value
}
/** A fake process clock the test moves by hand. */
const fakeTime = () => {
  let ms = 1_000_000
  return { now: () => ms, advance: (by: number) => (ms += by) }
}

describe('reserving a block', () => {
  it('creates the counter, then adds to it, answering the last number reserved', async () => {
    expect(await reserveSequenceBlock(db(), table, ['r', 'a'], 5)).toBe(5)
    expect(await reserveSequenceBlock(db(), table, ['r', 'a'], 3)).toBe(8)
    expect(await reserveSequenceBlock(db(), table, ['r', 'b'], 2)).toBe(2)
    expect(await counter('r', 'a')).toBe(8)
  })
})

describe('sequence blocks', () => {
  it('hands out 1, 2, 3 … per counter, one counter write per block', async () => {
    const blocks = new SequenceBlocks(db(), table, { sizes: { min: 20, max: 20 } })
    const numbers: number[] = []
    for (let i = 0; i < 45; i += 1) numbers.push(await blocks.next('seq', 'one'))
    expect(numbers).toEqual(Array.from({ length: 45 }, (_, i) => i + 1))
    expect(await blocks.next('seq', 'two')).toBe(1)
    // three blocks of 20 for 45 numbers: the rest of the third is this process's to hand out
    expect(await counter('seq', 'one')).toBe(60)
  })

  it('never hands out a number twice across nodes, increasing within each node, under concurrency', async () => {
    const nodes = [0, 1, 2].map(() => new SequenceBlocks(db(), table, { sizes: { min: 4, max: 64 } }))
    const handed: number[][] = nodes.map(() => [])
    await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const node = i % nodes.length
        const number = await nodes[node]!.next('race', 'x')
        handed[node]!.push(number)
      }),
    )
    const all = handed.flat()
    expect(all).toHaveLength(300)
    expect(new Set(all).size).toBe(300)
    for (const numbers of handed) expect(numbers).toEqual([...numbers].sort((a, b) => a - b))
    expect(Math.max(...all)).toBeLessThanOrEqual((await counter('race', 'x')) ?? 0)
  })

  it('doubles a block used up within a second, up to the maximum, and halves one that lasted long', async () => {
    const time = fakeTime()
    const blocks = new SequenceBlocks(db(), table, { sizes: { min: 4, max: 16 }, now: time.now })
    const take = async (n: number) => {
      for (let i = 0; i < n; i += 1) await blocks.next('pace', 'p')
    }
    await take(4)
    expect(await counter('pace', 'p')).toBe(4)
    await take(1) // the first block went fast: the second holds 8
    expect(await counter('pace', 'p')).toBe(12)
    await take(7 + 1) // then 16
    expect(await counter('pace', 'p')).toBe(28)
    await take(15 + 1) // and no more than the maximum
    expect(await counter('pace', 'p')).toBe(44)
    await take(15)
    time.advance(11_000)
    await take(1) // that one lasted more than ten seconds: halved
    expect(await counter('pace', 'p')).toBe(52)
    await take(7)
    time.advance(5_000)
    await take(1) // between one and ten seconds: the same size
    expect(await counter('pace', 'p')).toBe(60)
  })

  it('starts a new period at the pace of the scope’s last one, and drops the other periods’ blocks', async () => {
    const time = fakeTime()
    const blocks = new SequenceBlocks(db(), table, {
      sizes: { min: 4, max: 64 },
      now: time.now,
      period: true,
    })
    for (let i = 0; i < 5; i += 1) await blocks.next('330106', '2026-12-07')
    expect(await counter('330106', '2026-12-07')).toBe(12)
    expect(await blocks.next('330106', '2026-12-08')).toBe(1)
    // yesterday's pace: its last block held 8, used within a second, so today's first holds 16
    expect(await counter('330106', '2026-12-08')).toBe(16)
    // yesterday's block was dropped: a late number of that day comes from a new block
    expect(await blocks.next('330106', '2026-12-07')).toBe(13)
  })

  it('fails the callers of a failed reservation and reserves again on the next call', async () => {
    const blocks = new SequenceBlocks(
      db(),
      { name: 'test_late_sequences', keys: ['scope', 'part'] },
      {
        sizes: { min: 4, max: 4 },
      },
    )
    const results = await Promise.allSettled([blocks.next('f', 'x'), blocks.next('f', 'x')])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    await sql`CREATE TABLE test_late_sequences (
      scope text NOT NULL, part text NOT NULL, last_value bigint NOT NULL, PRIMARY KEY (scope, part))`.execute(
      db(),
    )
    expect(await blocks.next('f', 'x')).toBe(1)
  })
})
