import type { ParseArgsConfig } from 'node:util'
import type { Platform } from '../platform/platform.ts'
import { identityCliCommands } from './identity/index.ts'

/** A command a module adds to the `tongban` CLI, e.g. `admin create`. */
export interface CliCommand {
  command: string
  subcommand: string
  usage: string
  summary: string
  options: NonNullable<ParseArgsConfig['options']>
  run(platform: Platform, values: Record<string, string | boolean | undefined>): Promise<number>
}

/** Commands contributed by modules. */
export const cliCommands: CliCommand[] = [...identityCliCommands]
