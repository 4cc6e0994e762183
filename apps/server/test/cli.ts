import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { TEST_MASTER_KEY } from '../src/testing/test-server.ts'

/** The repository root, where `node apps/server/bin/tongban.js` is run from. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Runs a command in a child process with the given extra environment, never rejecting on a failed exit. */
export function runProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 180_000,
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: REPO_ROOT,
        timeout: timeoutMs,
        env: { ...process.env, LOG_LEVEL: 'silent', MASTER_KEY: TEST_MASTER_KEY, ...env },
      },
      (error, stdout, stderr) => {
        const failure = error as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null
        resolve({
          code: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0,
          signal: failure?.signal ?? null,
          stdout,
          stderr,
        })
      },
    )
  })
}

/** Runs `tongban <args>` as an operator would. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return runProcess(process.execPath, ['apps/server/bin/tongban.js', ...args], env)
}
