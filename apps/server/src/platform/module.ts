import type { App } from './http.ts'
import type { Platform } from './platform.ts'

/** A domain module: its routes, its event consumers, and its demo data. */
export interface Module {
  name: string
  /** Registers routes and event subscriptions; called once per process. */
  register(app: App, platform: Platform): Promise<void> | void
  /** Loads realistic demo data; called by `tongban seed --demo`, in module order, on an empty module. */
  seedDemo?(platform: Platform): Promise<void>
}
