import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CHROMIUM_PATH } from './browser.ts'

const webRoot = fileURLToPath(new URL('../apps/web', import.meta.url))
const builtIndex = join(webRoot, 'dist', 'index.html')

function newestMtime(path: string): number {
  const info = statSync(path)
  if (!info.isDirectory()) return info.mtimeMs
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), 0)
}

/** True when apps/web/dist is missing or older than any source of the web app. */
export function webBuildIsStale(): boolean {
  if (!existsSync(builtIndex)) return true
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json', '../../packages/contracts/src']
  const newestSource = Math.max(
    ...sources
      .map((source) => join(webRoot, source))
      .filter(existsSync)
      .map(newestMtime),
  )
  return newestSource > statSync(builtIndex).mtimeMs
}

/** Builds the web app once before the browser tests when needed, and checks chromium is there. */
export default function setup(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: run scripts/install-browser.sh`)
  }
  if (webBuildIsStale()) {
    execFileSync('npm', ['run', 'build', '-w', 'apps/web'], {
      cwd: join(webRoot, '..', '..'),
      stdio: 'inherit',
      // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
    })
  }
}
