import type { Kysely } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'

/** Which account uploaded which file (the file store is shared and content-addressed); no rules here. */
export class UploadsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: { account_id: string; sha256: string; name: string; uploaded_at: Date }): Promise<void> {
    await this.db
      .insertInto('case_uploads')
      .values(row)
      .onConflict((oc) => oc.columns(['account_id', 'sha256']).doNothing())
      .execute()
  }

  /** Which of the files the account uploaded. */
  async findUploadedBy(accountId: string, sha256s: string[]): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('case_uploads')
      .select('sha256')
      .where('account_id', '=', accountId)
      .where('sha256', 'in', [...new Set(sha256s)])
      .execute()
    return new Set(rows.map((r) => r.sha256))
  }
}
