/**
 * mulberry32: a small seeded generator of numbers in [0, 1), for what must come out the same on every
 * run (demo data on every install, the fuzzer's requests). Never for secrets: use node:crypto.
 */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}
