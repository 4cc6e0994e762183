import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'

/** The database or an open transaction: every repository method takes either. */
export type Executor = Kysely<Database> | Transaction<Database>
