import type { CaseCompleted, LocalizedText } from '@tongban/contracts'
import { type Kysely, type RawBuilder, type Selectable, sql, type Transaction } from 'kysely'
import { PREPARED } from '../../platform/db/database.ts'
import type { Database } from '../../platform/db/schema.ts'

type SigningAlgorithm = Selectable<Database['license_signing_keys']>['algorithm']

type Executor = Kysely<Database> | Transaction<Database>

export type LicenseTypeRecord = Selectable<Database['license_types']>
export type SigningKeyRecord = Selectable<Database['license_signing_keys']>
export type LicenseRecord = Selectable<Database['licenses']>
export type GrantRecord = Selectable<Database['license_grants']>
export type LicenseReadRecord = Selectable<Database['license_reads']>
/** A license type as written: its JSON columns as JSON text. */
export type LicenseTypeRow = Omit<
  LicenseTypeRecord,
  'fields_schema' | 'issuance_map' | 'created_at' | 'updated_at' | 'version' | 'status'
> & { fields_schema: string; issuance_map: string; status?: LicenseTypeRecord['status'] }
/** A signing key as published: everything but the encrypted private key. */
export type PublicKeyRecord = Omit<SigningKeyRecord, 'private_key_enc' | 'created_by' | 'created_at'>

/** A license row as verification reads it, with whether the token was used for the first time. */
export type VerificationRow = Pick<
  LicenseRecord,
  'license_no' | 'type_code' | 'status' | 'valid_from' | 'valid_until' | 'fields_enc' | 'issuer_department_id'
> & { fresh: boolean }

/** Queries of the licenses module's tables; no rules here. */
export class LicensesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findTypes(): Promise<LicenseTypeRecord[]> {
    return this.db.selectFrom('license_types').selectAll().orderBy('code').execute()
  }

  findType(code: string, db: Executor = this.db): Promise<LicenseTypeRecord | undefined> {
    return db.selectFrom('license_types').selectAll().where('code', '=', code).executeTakeFirst()
  }

  /** Inserts a type; JSON columns come as JSON text (the generated Json type takes no plain value). */
  insertType(db: Executor, row: LicenseTypeRow): Promise<LicenseTypeRecord> {
    return db
      .insertInto('license_types')
      .values(row as never)
      .returningAll()
      .executeTakeFirstOrThrow()
  }

  updateType(
    db: Executor,
    code: string,
    version: number,
    changes: Partial<LicenseTypeRow>,
  ): Promise<LicenseTypeRecord | undefined> {
    return db
      .updateTable('license_types')
      .set({ ...(changes as Record<string, never>), version: sql`version + 1`, updated_at: sql`now()` })
      .where('code', '=', code)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst()
  }

  /** Every signing key ever made (of one department), oldest first: what offline verifiers trust. */
  findKeys(filter: { departmentId?: string } = {}): Promise<PublicKeyRecord[]> {
    let query = this.db
      .selectFrom('license_signing_keys')
      .select(['id', 'department_id', 'algorithm', 'public_key', 'valid_from', 'valid_until'])
    if (filter.departmentId) query = query.where('department_id', '=', filter.departmentId)
    return query.orderBy('valid_from').orderBy('algorithm').execute()
  }

  findCurrentKey(departmentId: string, algorithm: SigningAlgorithm): Promise<SigningKeyRecord | undefined> {
    return this.db
      .selectFrom('license_signing_keys')
      .selectAll()
      .where('department_id', '=', departmentId)
      .where('algorithm', '=', algorithm)
      .where('valid_until', 'is', null)
      .executeTakeFirst()
  }

  async endCurrentKeys(db: Executor, departmentId: string, at: Date): Promise<void> {
    await db
      .updateTable('license_signing_keys')
      .set({ valid_until: at })
      .where('department_id', '=', departmentId)
      .where('valid_until', 'is', null)
      .execute()
  }

  insertKey(
    db: Executor,
    row: {
      department_id: string
      algorithm: SigningAlgorithm
      public_key: string
      private_key_enc: string
      valid_from: Date
      created_by: string | null
    },
  ) {
    return db.insertInto('license_signing_keys').values(row).returningAll().executeTakeFirstOrThrow()
  }

  /**
   * Inserts a license together with the given INSERTs (its outbox event, its audit entry: the platform's
   * statements, embedded as data-modifying CTEs), in one statement: one round trip, and without a
   * transaction of the caller's, one commit.
   */
  async insertLicense(
    db: Executor,
    row: Omit<LicenseRecord, 'status' | 'status_reason' | 'status_changed_at'>,
    with_: RawBuilder<unknown>[] = [],
  ): Promise<LicenseRecord> {
    const insert = db.insertInto('licenses').values(row).returningAll()
    const others = with_.map((query, i) => sql`, with_${sql.raw(String(i))} AS (${query})`)
    const { rows } = await sql<LicenseRecord>`WITH inserted AS (${insert}) ${sql.join(others, sql` `)}
      SELECT * FROM inserted`.execute(db)
    return rows[0]!
  }

  findById(id: string, db: Executor = this.db): Promise<LicenseRecord | undefined> {
    return db.selectFrom('licenses').selectAll().where('id', '=', id).executeTakeFirst()
  }

  findByIdForUpdate(db: Executor, id: string): Promise<LicenseRecord | undefined> {
    return db.selectFrom('licenses').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
  }

  findByCase(caseId: string, typeCode: string): Promise<LicenseRecord | undefined> {
    return this.db
      .selectFrom('licenses')
      .selectAll()
      .where('case_id', '=', caseId)
      .where('type_code', '=', typeCode)
      .executeTakeFirst()
  }

  findByHolders(holderIds: string[]): Promise<LicenseRecord[]> {
    return this.db
      .selectFrom('licenses')
      .selectAll()
      .where('holder_account_id', 'in', holderIds)
      .where('status', '!=', 'superseded')
      .orderBy('issued_at', 'desc')
      .limit(500)
      .execute()
  }

  async setStatus(
    db: Executor,
    id: string,
    status: Selectable<Database['licenses']>['status'],
    reason: string | null,
    at: Date,
  ): Promise<void> {
    await db
      .updateTable('licenses')
      .set({ status, status_reason: reason, status_changed_at: at })
      .where('id', '=', id)
      .execute()
  }

  /**
   * Online verifications, many in one round trip: marks each token used (a second use finds it there) and
   * reads its license by primary key; answers one row per use, in order, undefined where the license does
   * not exist. A token named twice in `uses` is fresh only the first time. No join with the type: its name
   * and disclosure list come from the service's cache of types, which keeps the statement cheap to plan.
   *
   * The statement commits asynchronously (`synchronous_commit` off for its own transaction only, through
   * set_config(…, true)): a verification does not wait for a WAL flush. The price: if the database crashes
   * within a fraction of a second (wal_writer_delay) after a scan, that one use may be forgotten and the
   * token could be scanned once more in its remaining minutes. Issuing and every other write stay durable.
   */
  async consumeTokensAndRead(
    uses: { tokenId: string; licenseId: string; expiresAt: Date }[],
  ): Promise<(VerificationRow | undefined)[]> {
    const first = new Map<string, number>()
    uses.forEach((use, i) => {
      if (!first.has(use.tokenId)) first.set(use.tokenId, i)
    })
    const distinct = [...first.values()].map((i) => uses[i]!)
    const { rows } = await sql<VerificationRow & { token_id: string }>`${sql.raw(PREPARED)}
      WITH async_commit AS (SELECT set_config('synchronous_commit', 'off', true) AS setting),
      input AS (
        SELECT * FROM unnest(${distinct.map((u) => u.tokenId)}::text[], ${distinct.map((u) => u.licenseId)}::uuid[],
          ${distinct.map((u) => u.expiresAt.toISOString())}::timestamptz[]) AS t (token_id, license_id, expires_at)),
      used AS (
        INSERT INTO license_token_uses (token_id, license_id, expires_at) SELECT token_id, license_id, expires_at FROM input
        ON CONFLICT (token_id) DO NOTHING RETURNING token_id)
      SELECT input.token_id, license_no, type_code, status, valid_from::text AS valid_from,
        valid_until::text AS valid_until, fields_enc, issuer_department_id,
        input.token_id IN (SELECT token_id FROM used) AS fresh
      FROM input JOIN licenses ON licenses.id = input.license_id CROSS JOIN async_commit`.execute(this.db)
    const byToken = new Map(rows.map(({ token_id, ...row }) => [token_id, row]))
    return uses.map((use, i) => {
      const row = byToken.get(use.tokenId)
      return row && first.get(use.tokenId) !== i ? { ...row, fresh: false } : row
    })
  }

  async purgeTokenUses(before: Date): Promise<number> {
    const result = await this.db
      .deleteFrom('license_token_uses')
      .where('expires_at', '<', before)
      .executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  /** Queues a completed case with the event it completed with (once: a redelivery changes nothing). */
  async requestIssue(db: Executor, caseId: string, completion: CaseCompleted): Promise<void> {
    await db
      .insertInto('license_issue_requests')
      .values({ case_id: caseId, completion: JSON.stringify(completion) })
      .onConflict((oc) => oc.column('case_id').doNothing())
      .execute()
  }

  findPendingIssues(limit: number) {
    return this.db
      .selectFrom('license_issue_requests')
      .selectAll()
      .where('processed_at', 'is', null)
      .orderBy('requested_at')
      .limit(limit)
      .execute()
  }

  /** Locks a pending request for processing; undefined when another node has it or it is done. */
  lockPendingIssue(db: Executor, caseId: string) {
    return db
      .selectFrom('license_issue_requests')
      .selectAll()
      .where('case_id', '=', caseId)
      .where('processed_at', 'is', null)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst()
  }

  async finishIssue(
    db: Executor,
    caseId: string,
    outcome: 'issued' | 'not-applicable' | 'failed',
    at: Date,
    details: { licenseId?: string; error?: string; reason?: LocalizedText; retryable?: boolean },
  ): Promise<void> {
    await db
      .updateTable('license_issue_requests')
      .set({
        processed_at: at,
        outcome,
        license_id: details.licenseId ?? null,
        last_error: details.error ?? null,
        reason: details.reason ? JSON.stringify(details.reason) : null,
        retryable: details.retryable ?? null,
      })
      .where('case_id', '=', caseId)
      .execute()
  }

  findIssueRequest(caseId: string) {
    return this.db
      .selectFrom('license_issue_requests')
      .selectAll()
      .where('case_id', '=', caseId)
      .executeTakeFirst()
  }

  /** Puts a finished request back on the queue (a staff retry), once; false when it is not finished. */
  async reopenIssue(db: Executor, caseId: string): Promise<boolean> {
    const result = await db
      .updateTable('license_issue_requests')
      .set({ processed_at: null, outcome: null, reason: null, retryable: null, attempts: sql`attempts + 1` })
      .where('case_id', '=', caseId)
      .where('outcome', '=', 'failed')
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async retryIssueLater(caseId: string, error: string): Promise<void> {
    await this.db
      .updateTable('license_issue_requests')
      .set({ attempts: sql`attempts + 1`, last_error: error.slice(0, 2000) })
      .where('case_id', '=', caseId)
      .execute()
  }

  insertGrant(db: Executor, row: Omit<GrantRecord, 'id' | 'withdrawn_at'>) {
    return db.insertInto('license_grants').values(row).returningAll().executeTakeFirstOrThrow()
  }

  findGrants(licenseId: string): Promise<GrantRecord[]> {
    return this.db
      .selectFrom('license_grants')
      .selectAll()
      .where('license_id', '=', licenseId)
      .orderBy('granted_at', 'desc')
      .execute()
  }

  findGrant(id: string): Promise<GrantRecord | undefined> {
    return this.db.selectFrom('license_grants').selectAll().where('id', '=', id).executeTakeFirst()
  }

  withdrawGrant(db: Executor, id: string, at: Date) {
    return db
      .updateTable('license_grants')
      .set({ withdrawn_at: at })
      .where('id', '=', id)
      .where('withdrawn_at', 'is', null)
      .returningAll()
      .executeTakeFirst()
  }

  async insertRead(db: Executor, row: Omit<LicenseReadRecord, 'id'>): Promise<void> {
    await db.insertInto('license_reads').values(row).execute()
  }

  findReads(licenseIds: string[]): Promise<LicenseReadRecord[]> {
    return this.db
      .selectFrom('license_reads')
      .selectAll()
      .where('license_id', 'in', licenseIds)
      .orderBy('read_at', 'desc')
      .limit(500)
      .execute()
  }

  /** All versions of a license (same issuer, type and 流水号), to find the chain of 变更/补发. */
  findVersions(licenseId: string) {
    return this.db
      .selectFrom('licenses as l')
      .innerJoin('licenses as v', (join) =>
        join
          .onRef('v.type_code', '=', 'l.type_code')
          .onRef('v.issuer_department_id', '=', 'l.issuer_department_id')
          .onRef('v.sequence', '=', 'l.sequence'),
      )
      .selectAll('v')
      .where('l.id', '=', licenseId)
      .orderBy('v.version')
      .execute()
  }
}
