/**
 * Standards kernel benchmark: validation hot paths and SM2/SM3/SM4 wrappers, on one core.
 * Run: npx tsx bench/standards.ts
 */
import { cpus } from 'node:os'
import {
  buildIdNumber,
  buildUscc,
  deriveKeys,
  listRegions,
  sm2GenerateKeyPair,
  sm2PrecomputePublicKey,
  sm2Sign,
  sm2Verify,
  sm3,
  sm4Decrypt,
  sm4Encrypt,
  validateIdNumber,
  validateUscc,
} from '../packages/standards/src/index.ts'

type Row = { name: string; ops: number; ms: number }
const rows: Row[] = []

const measure = (name: string, ops: number, run: () => void): void => {
  const start = process.hrtime.bigint()
  run()
  rows.push({ name, ops, ms: Number(process.hrtime.bigint() - start) / 1e6 })
}

// Inputs are built before timing: 1,000 distinct valid values, cycled.
const counties = listRegions().filter((r) => r.level === 'county')
const ids = Array.from({ length: 1000 }, (_, i) =>
  buildIdNumber({
    regionCode: counties[(i * 7) % counties.length]!.code,
    birthDate: `19${String(50 + (i % 50))}-0${1 + (i % 9)}-1${i % 10}`,
    sequence: i,
  }),
)
const usccs = Array.from({ length: 1000 }, (_, i) => buildUscc({ organizationCode: i * 99_991 }))
const options = { today: '2026-03-06' }

for (const round of [0, 1]) {
  // The first round warms the JIT; only the second is reported.
  const before = rows.length
  let ok = 0
  measure('validateIdNumber × 1,000,000', 1_000_000, () => {
    for (let i = 0; i < 1_000_000; i++) if (validateIdNumber(ids[i % 1000]!, options).ok) ok++
  })
  measure('validateUscc × 1,000,000', 1_000_000, () => {
    for (let i = 0; i < 1_000_000; i++) if (validateUscc(usccs[i % 1000]!).ok) ok++
  })
  if (ok !== 2_000_000) throw new Error('benchmark inputs must all be valid')
  if (round === 0) rows.splice(before)
}

const { privateKey, publicKey } = sm2GenerateKeyPair()
const precomputed = sm2PrecomputePublicKey(publicKey)
const message = '1.2.156.3005.2.11100000000013127D001.911101051234567883.00000007.001.A'
sm2Sign(message, privateKey)
const signatures: string[] = []
measure('sm2Sign × 2,000', 2000, () => {
  for (let i = 0; i < 2000; i++) signatures.push(sm2Sign(message, privateKey))
})
measure('sm2Verify (precomputed key) × 2,000', 2000, () => {
  for (const s of signatures) if (!sm2Verify(message, s, precomputed)) throw new Error('verify failed')
})
measure('sm2Verify (hex key) × 500', 500, () => {
  for (const s of signatures.slice(0, 500))
    if (!sm2Verify(message, s, publicKey)) throw new Error('verify failed')
})

const mib = new Uint8Array(1 << 20).fill(0x61)
measure('sm3 of 1 MiB × 100', 100, () => {
  for (let i = 0; i < 100; i++) sm3(mib)
})
measure('sm3 of an 18-char ID × 100,000', 100_000, () => {
  for (let i = 0; i < 100_000; i++) sm3(ids[i % 1000]!)
})

const keys = deriveKeys(new Uint8Array(32).fill(7))
const tokens: string[] = []
measure('sm4Encrypt of an 18-char ID × 100,000', 100_000, () => {
  for (let i = 0; i < 100_000; i++) tokens.push(sm4Encrypt(ids[i % 1000]!, keys))
})
measure('sm4Decrypt of an 18-char ID × 100,000', 100_000, () => {
  for (const t of tokens) sm4Decrypt(t, keys)
})

const cpu = cpus()[0]?.model ?? 'unknown CPU'
console.log(`Standards kernel — Node ${process.version}, ${cpu}, one core\n`)
console.log(`| ${'benchmark'.padEnd(40)} | ${'total ms'.padStart(9)} | ${'ops/s'.padStart(12)} |`)
console.log(`|${'-'.repeat(42)}|${'-'.repeat(10)}:|${'-'.repeat(13)}:|`)
for (const r of rows) {
  const opsPerSecond = Math.round((r.ops / r.ms) * 1000)
  console.log(
    `| ${r.name.padEnd(40)} | ${r.ms.toFixed(0).padStart(9)} | ${opsPerSecond.toLocaleString('en-US').padStart(12)} |`,
  )
}
const sm3Row = rows.find((r) => r.name.startsWith('sm3 of 1 MiB'))!
console.log(`\nSM3 throughput: ${((100 / sm3Row.ms) * 1000).toFixed(0)} MiB/s`)
