import type { Kysely } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'
import { type DraftRecord, type Executor, json } from './records.ts'

/** The columns of a draft its owner saves. */
type DraftColumns = Pick<DraftRecord, 'implementation_id' | 'guide_version' | 'bundle_id' | 'updated_at'> & {
  form_data_enc: string
  materials: unknown
}

/** Queries of drafts (草稿); no rules here. */
export class DraftsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findById(id: string): Promise<DraftRecord | undefined> {
    return this.db.selectFrom('case_drafts').selectAll().where('id', '=', id).executeTakeFirst()
  }

  /** An account's drafts, last saved first (at most 100). */
  findByAccount(accountId: string): Promise<DraftRecord[]> {
    return this.db
      .selectFrom('case_drafts')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('updated_at', 'desc')
      .limit(100)
      .execute()
  }

  insert(
    db: Executor,
    row: DraftColumns & Pick<DraftRecord, 'account_id' | 'acting_for_id'>,
  ): Promise<DraftRecord> {
    return db
      .insertInto('case_drafts')
      .values({ ...row, materials: json(row.materials) })
      .returningAll()
      .executeTakeFirstOrThrow()
  }

  /** Changes a draft only if it is still at `version`; the new row, or undefined when someone saved first. */
  update(id: string, version: number, changes: DraftColumns): Promise<DraftRecord | undefined> {
    return this.db
      .updateTable('case_drafts')
      .set({ ...changes, form_data: null, materials: json(changes.materials), version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst()
  }
}
