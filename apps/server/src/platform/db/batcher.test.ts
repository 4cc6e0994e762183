import { describe, expect, it } from 'vitest'
import { batched } from './batcher.ts'

describe('batched', () => {
  it('answers calls of one event-loop turn with one run, each with its own result', async () => {
    const runs: number[][] = []
    const double = batched(async (inputs: number[]) => {
      runs.push(inputs)
      return inputs.map((n) => n * 2)
    })
    expect(await Promise.all([double(1), double(2), double(2), double(3)])).toEqual([2, 4, 4, 6])
    expect(runs).toEqual([[1, 2, 2, 3]])
    expect(await double(5)).toBe(10)
    expect(runs).toHaveLength(2)
  })

  it('splits a turn into batches of at most maxBatch', async () => {
    const sizes: number[] = []
    const echo = batched(
      async (inputs: number[]) => {
        sizes.push(inputs.length)
        return inputs
      },
      { maxBatch: 3 },
    )
    expect(await Promise.all([1, 2, 3, 4, 5, 6, 7].map(echo))).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(sizes).toEqual([3, 3, 1])
  })

  it('fails every call of a failed batch, and goes on serving later ones', async () => {
    let fail = true
    const run = batched(async (inputs: string[]) => {
      if (fail) throw new Error('database down')
      return inputs
    })
    const results = await Promise.allSettled([run('a'), run('b')])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    fail = false
    expect(await run('c')).toBe('c')
  })

  it('fails the calls when the run answers the wrong number of results (and a synchronous throw)', async () => {
    const short = batched(async (inputs: number[]) => inputs.slice(1))
    await expect(Promise.all([short(1), short(2)])).rejects.toThrow('1 results for 2 inputs')
    const throwing = batched((): Promise<number[]> => {
      throw new Error('synchronous')
    })
    await expect(throwing(1)).rejects.toThrow('synchronous')
  })
})
