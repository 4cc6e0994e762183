import type { App } from './http.ts'
import type { Platform } from './platform.ts'

/** A domain module: its routes, its event consumers, and its demo data. */
export interface Module {
  name: string
  /**
   * The tables this module owns (created by its migrations). No other module's code names them: it calls
   * this module's service instead (checked by modules/boundaries.test.ts).
   */
  tables: readonly string[]
  /** Registers routes and event subscriptions; called once per process. */
  register(app: App, platform: Platform): Promise<void> | void
  /** Loads realistic demo data; called by `tongban seed --demo`, in module order, on an empty module. */
  seedDemo?(platform: Platform): Promise<void>
}

/** Tables the platform itself owns (audit chain, outbox, stored files); modules reach them only through it. */
export const platformTables: readonly string[] = [
  'audit_chain_head',
  'audit_log',
  'audit_log_archive',
  'event_receipts',
  'key_checks',
  'outbox',
  'stored_files',
]
