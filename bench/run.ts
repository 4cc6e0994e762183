// Runs every benchmark one after another, each in its own process, printing their reports (Markdown) in
// turn: `npm run bench` (embedded database) or `DATABASE_URL=postgres://… npm run bench` (the HTTP targets
// are stated for PostgreSQL; cases, licenses and catalog need it and are skipped without it).
// `BENCH_ONLY=foundation,sso` runs some of them. Run it on an otherwise idle machine: other work on the
// same cores lowers every figure (the CPU-per-request columns suffer least).
import { spawnSync } from 'node:child_process'

const all = [
  { name: 'standards', postgres: false },
  { name: 'foundation', postgres: false },
  { name: 'sso', postgres: false },
  { name: 'licenses', postgres: true },
  { name: 'cases', postgres: true },
  { name: 'catalog', postgres: true },
]
const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim())
let failed = 0
for (const bench of all) {
  if (only && !only.includes(bench.name)) continue
  if (bench.postgres && !process.env.DATABASE_URL) {
    console.log(`\n(${bench.name}: skipped, it needs DATABASE_URL to name a PostgreSQL server)`)
    continue
  }
  console.log(`\n## ${bench.name}\n`)
  const result = spawnSync(process.execPath, ['--import', 'tsx', `bench/${bench.name}.ts`], {
    stdio: 'inherit',
  })
  if (result.status !== 0) {
    console.error(`bench/${bench.name}.ts failed (exit ${result.status ?? result.signal})`)
    failed += 1
  }
}
process.exit(failed > 0 ? 1 : 0)
