/**
 * Bundle budget of the citizen portal's first page: the JavaScript a browser loads for `/` (the
 * entry, the portal area chunk and everything they import statically) must stay within 300 KB
 * gzip-compressed. Reads Vite's manifest, so it measures exactly what `vite build` produced.
 *
 *   npx tsx apps/web/scripts/check-bundle.ts            # builds first
 *   npx tsx apps/web/scripts/check-bundle.ts --no-build # measures the existing dist/
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

/** Budget in bytes (300 KB). */
export const BUDGET_BYTES = 300 * 1024

/** Manifest keys of what `/` renders: the HTML entry and the lazily loaded portal area. */
export const FIRST_PAGE_MODULES = ['index.html', 'src/features/portal/portal-area.tsx']

interface ManifestChunk {
  file: string
  imports?: string[]
  dynamicImports?: string[]
  isEntry?: boolean
}

type Manifest = Record<string, ManifestChunk>

const webRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
const distDir = join(webRoot, 'dist')

/** Files of the given manifest keys and of everything they import statically (not dynamically). */
export function staticClosure(manifest: Manifest, roots: string[]): string[] {
  const seen = new Set<string>()
  const files = new Set<string>()
  const visit = (key: string) => {
    if (seen.has(key)) return
    seen.add(key)
    const chunk = manifest[key]
    if (!chunk) throw new Error(`${key} is not in the Vite manifest; did a module move?`)
    if (chunk.file.endsWith('.js')) files.add(chunk.file)
    for (const imported of chunk.imports ?? []) visit(imported)
  }
  for (const root of roots) visit(root)
  return [...files]
}

function main(): void {
  if (!process.argv.includes('--no-build')) {
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
      cwd: webRoot,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    })
  }
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite', 'manifest.json'), 'utf8')) as Manifest
  const files = staticClosure(manifest, FIRST_PAGE_MODULES)
  const sizes = files
    .map((file) => {
      const content = readFileSync(join(distDir, file))
      return { file, raw: content.length, gzip: gzipSync(content, { level: 9 }).length }
    })
    .sort((a, b) => b.gzip - a.gzip)
  const total = sizes.reduce((sum, size) => sum + size.gzip, 0)
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
  for (const size of sizes)
    console.log(`${kb(size.gzip).padStart(10)} gz  ${kb(size.raw).padStart(10)} raw  ${size.file}`)
  console.log(
    `first page of /: ${kb(total)} gzip of JavaScript in ${files.length} files; budget ${kb(BUDGET_BYTES)}`,
  )
  if (total > BUDGET_BYTES) {
    console.error(`Over budget by ${kb(total - BUDGET_BYTES)}`)
    process.exitCode = 1
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main()
