import { type Insertable, type Kysely, type Selectable, sql, type Transaction, type Updateable } from 'kysely'
import type { RoleGrant, StaffRole } from '../../platform/authz.ts'
import type { AccountsTable, Database } from '../../platform/db/schema.ts'

type Executor = Kysely<Database> | Transaction<Database>

export type AccountRecord = Selectable<AccountsTable>
export type NewAccount = Insertable<AccountsTable>
export type AccountChanges = Updateable<AccountsTable>
export type RoleGrantRecord = Selectable<Database['role_grants']>
export type PasswordResetRecord = Selectable<Database['password_resets']>
export type ContactChangeRecord = Selectable<Database['contact_changes']>

export interface AgentAuthorizationRecord {
  id: string
  company_id: string
  agent_id: string
  agent_name: string
  agent_id_number_masked: string
  granted_by: string
  granted_at: Date
  expires_at: Date
  revoked_at: Date | null
  revoked_by: string | null
}

/** The columns by which an account is found at login. */
export type LoginColumn = 'id_number_index' | 'phone_index' | 'uscc' | 'username'

/** What the per-request actor needs, read in one statement. */
export interface ActorSnapshot {
  id: string
  kind: string
  name: string
  status: string
  realname_level: number
  id_number_masked: string | null
  uscc: string | null
  roles: RoleGrant[]
  company: { id: string; name: string; uscc: string; expires_at: Date | null } | null
}

/** Queries of the identity module's tables; no rules here. */
export class IdentityRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insertAccount(db: Executor, row: NewAccount): Promise<string> {
    const { id } = await db.insertInto('accounts').values(row).returning('id').executeTakeFirstOrThrow()
    return id
  }

  findAccountById(id: string, db: Executor = this.db): Promise<AccountRecord | undefined> {
    return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst()
  }

  findAccountBy(
    column: LoginColumn,
    value: string,
    db: Executor = this.db,
  ): Promise<AccountRecord | undefined> {
    return db.selectFrom('accounts').selectAll().where(column, '=', value).executeTakeFirst()
  }

  /** Locks the account row until the transaction ends (login counting, TOTP step). */
  findAccountForUpdate(db: Transaction<Database>, id: string): Promise<AccountRecord | undefined> {
    return db.selectFrom('accounts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
  }

  async updateAccount(db: Executor, id: string, changes: AccountChanges): Promise<void> {
    await db
      .updateTable('accounts')
      .set({ ...changes, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute()
  }

  async insertLoginFailure(
    db: Executor,
    accountId: string,
    at: Date,
    factor: 'password' | 'totp',
  ): Promise<void> {
    await db.insertInto('login_failures').values({ account_id: accountId, occurred_at: at, factor }).execute()
  }

  async countLoginFailuresSince(db: Executor, accountId: string, since: Date): Promise<number> {
    const row = await db
      .selectFrom('login_failures')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('occurred_at', '>', since)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async deleteLoginFailures(db: Executor, accountId: string): Promise<void> {
    await db.deleteFrom('login_failures').where('account_id', '=', accountId).execute()
  }

  async insertPasswordReset(
    db: Executor,
    row: {
      id: string
      accountId: string
      channel: Selectable<Database['password_resets']>['channel']
      codeHash: string
      createdAt: Date
      expiresAt: Date
    },
  ): Promise<void> {
    await db
      .insertInto('password_resets')
      .values({
        id: row.id,
        account_id: row.accountId,
        channel: row.channel,
        code_hash: row.codeHash,
        created_at: row.createdAt,
        expires_at: row.expiresAt,
      })
      .execute()
  }

  /** Resets of an account still open (unused, unexpired, not exhausted), newest first. */
  findOpenPasswordResets(db: Executor, accountId: string, now: Date): Promise<PasswordResetRecord[]> {
    return db
      .selectFrom('password_resets')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .where('attempts', '<', 5)
      .orderBy('created_at', 'desc')
      .forUpdate()
      .execute()
  }

  /** Counts a wrong code against every open reset of the account. */
  async countPasswordResetAttempt(db: Executor, ids: string[]): Promise<void> {
    if (ids.length === 0) return
    await db
      .updateTable('password_resets')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', ids)
      .execute()
  }

  /** Marks resets used: one code sets one password, and the other open codes die with it. */
  async usePasswordResets(db: Executor, ids: string[], at: Date): Promise<void> {
    if (ids.length === 0) return
    await db.updateTable('password_resets').set({ used_at: at }).where('id', 'in', ids).execute()
  }

  async countPasswordResetsSince(db: Executor, accountId: string, since: Date): Promise<number> {
    const row = await db
      .selectFrom('password_resets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async insertContactChange(
    db: Executor,
    row: {
      id: string
      accountId: string
      channel: 'sms' | 'email'
      valueEnc: string
      valueMasked: string
      codeHash: string
      createdAt: Date
      expiresAt: Date
    },
  ): Promise<void> {
    await db
      .insertInto('contact_changes')
      .values({
        id: row.id,
        account_id: row.accountId,
        channel: row.channel,
        value_enc: row.valueEnc,
        value_masked: row.valueMasked,
        code_hash: row.codeHash,
        created_at: row.createdAt,
        expires_at: row.expiresAt,
      })
      .execute()
  }

  /** A contact change of an account, locked until the transaction ends. */
  findContactChangeForUpdate(
    db: Transaction<Database>,
    id: string,
    accountId: string,
  ): Promise<ContactChangeRecord | undefined> {
    return db
      .selectFrom('contact_changes')
      .selectAll()
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .forUpdate()
      .executeTakeFirst()
  }

  async countContactChangeAttempt(db: Executor, id: string): Promise<void> {
    await db
      .updateTable('contact_changes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .execute()
  }

  /** Marks a change used, and voids the account's other open changes of the same channel. */
  async useContactChanges(
    db: Executor,
    accountId: string,
    channel: Selectable<Database['contact_changes']>['channel'],
    at: Date,
  ): Promise<void> {
    await db
      .updateTable('contact_changes')
      .set({ used_at: at })
      .where('account_id', '=', accountId)
      .where('channel', '=', channel)
      .where('used_at', 'is', null)
      .execute()
  }

  async countContactChangesSince(db: Executor, accountId: string, since: Date): Promise<number> {
    const row = await db
      .selectFrom('contact_changes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  private authorizations(db: Executor = this.db) {
    return db
      .selectFrom('agent_authorizations as g')
      .innerJoin('accounts as a', 'a.id', 'g.agent_id')
      .select([
        'g.id',
        'g.company_id',
        'g.agent_id',
        'a.name as agent_name',
        'a.id_number_masked as agent_id_number_masked',
        'g.granted_by',
        'g.granted_at',
        'g.expires_at',
        'g.revoked_at',
        'g.revoked_by',
      ])
  }

  async findAgentAuthorization(
    id: string,
    db: Executor = this.db,
  ): Promise<AgentAuthorizationRecord | undefined> {
    const row = await this.authorizations(db).where('g.id', '=', id).executeTakeFirst()
    return row as AgentAuthorizationRecord | undefined
  }

  async findAgentAuthorizationsByCompany(companyId: string): Promise<AgentAuthorizationRecord[]> {
    const rows = await this.authorizations()
      .where('g.company_id', '=', companyId)
      .orderBy('g.granted_at', 'desc')
      .execute()
    return rows as AgentAuthorizationRecord[]
  }

  /** The live (unrevoked) authorization of an agent for a company, expired or not. */
  async findLiveAgentAuthorization(
    db: Executor,
    companyId: string,
    agentId: string,
  ): Promise<AgentAuthorizationRecord | undefined> {
    const row = await this.authorizations(db)
      .where('g.company_id', '=', companyId)
      .where('g.agent_id', '=', agentId)
      .where('g.revoked_at', 'is', null)
      .executeTakeFirst()
    return row as AgentAuthorizationRecord | undefined
  }

  async insertAgentAuthorization(
    db: Executor,
    row: { companyId: string; agentId: string; grantedBy: string; grantedAt: Date; expiresAt: Date },
  ): Promise<string> {
    const { id } = await db
      .insertInto('agent_authorizations')
      .values({
        company_id: row.companyId,
        agent_id: row.agentId,
        granted_by: row.grantedBy,
        granted_at: row.grantedAt,
        expires_at: row.expiresAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return id
  }

  /** Marks an authorization revoked; false when it already was. */
  async revokeAgentAuthorization(db: Executor, id: string, by: string, at: Date): Promise<boolean> {
    const result = await db
      .updateTable('agent_authorizations')
      .set({ revoked_at: at, revoked_by: by })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  /** Companies an account represents legally or acts for under an unrevoked, unexpired authorization. */
  async findCompaniesActedFor(
    accountId: string,
    now: Date,
  ): Promise<{ id: string; name: string; uscc: string; relation: 'legal_representative' | 'agent' }[]> {
    const result = await sql<{
      id: string
      name: string
      uscc: string
      relation: 'legal_representative' | 'agent'
    }>`
      SELECT c.id, c.name, c.uscc, 'legal_representative' AS relation
        FROM accounts c WHERE c.legal_representative_id = ${accountId} AND c.kind = 'company' AND c.status = 'active'
      UNION
      SELECT c.id, c.name, c.uscc, 'agent' AS relation
        FROM agent_authorizations g JOIN accounts c ON c.id = g.company_id
       WHERE g.agent_id = ${accountId} AND g.revoked_at IS NULL AND g.expires_at > ${now} AND c.status = 'active'
      ORDER BY name`.execute(this.db)
    return result.rows
  }

  /**
   * The account, its live role grants and (when asked) the company it may act for, in one statement:
   * primary-key look-up plus two indexed sub-selects. `company` is null when the account may not act
   * for it (no live authorization and not its legal representative).
   */
  async findActorSnapshot(
    accountId: string,
    companyId: string | null,
    now: Date,
  ): Promise<ActorSnapshot | undefined> {
    const result = await sql<{
      id: string
      kind: string
      name: string
      status: string
      realname_level: number
      id_number_masked: string | null
      uscc: string | null
      roles: { role: StaffRole; departmentId: string | null; regionCode: string }[] | null
      company: { id: string; name: string; uscc: string; expires_at: string | null } | null
    }>`
      SELECT a.id, a.kind, a.name, a.status, a.realname_level, a.id_number_masked, a.uscc,
        (SELECT json_agg(json_build_object('role', r.role, 'departmentId', r.department_id, 'regionCode', r.region_code)
                         ORDER BY r.granted_at)
           FROM role_grants r WHERE r.account_id = a.id AND r.revoked_at IS NULL) AS roles,
        (SELECT json_build_object('id', c.id, 'name', c.name, 'uscc', c.uscc,
                  'expires_at', CASE WHEN c.legal_representative_id = a.id THEN NULL
                                     ELSE (SELECT max(g.expires_at) FROM agent_authorizations g
                                            WHERE g.company_id = c.id AND g.agent_id = a.id
                                              AND g.revoked_at IS NULL AND g.expires_at > ${now}) END)
           FROM accounts c
          WHERE c.id = ${companyId}::uuid AND c.kind = 'company' AND c.status = 'active'
            AND (c.legal_representative_id = a.id OR EXISTS (
                  SELECT 1 FROM agent_authorizations g
                   WHERE g.company_id = c.id AND g.agent_id = a.id AND g.revoked_at IS NULL AND g.expires_at > ${now}))
        ) AS company
      FROM accounts a WHERE a.id = ${accountId}::uuid`.execute(this.db)
    const row = result.rows[0]
    if (!row) return undefined
    return {
      id: row.id,
      kind: row.kind,
      name: row.name,
      status: row.status,
      realname_level: row.realname_level,
      id_number_masked: row.id_number_masked,
      uscc: row.uscc,
      roles: (row.roles ?? []).map((r) => ({
        role: r.role,
        departmentId: r.departmentId,
        regionCode: r.regionCode,
      })),
      company: row.company
        ? {
            id: row.company.id,
            name: row.company.name,
            uscc: row.company.uscc,
            expires_at: row.company.expires_at ? new Date(row.company.expires_at) : null,
          }
        : null,
    }
  }

  findLiveRoleGrants(accountId: string, db: Executor = this.db): Promise<RoleGrantRecord[]> {
    return db
      .selectFrom('role_grants')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .orderBy('granted_at')
      .execute()
  }

  findRoleGrant(id: string, db: Executor = this.db): Promise<RoleGrantRecord | undefined> {
    return db.selectFrom('role_grants').selectAll().where('id', '=', id).executeTakeFirst()
  }

  async insertRoleGrant(
    db: Executor,
    row: {
      accountId: string
      role: StaffRole
      departmentId: string | null
      regionCode: string
      grantedBy: string | null
      grantedAt: Date
    },
  ): Promise<string> {
    const { id } = await db
      .insertInto('role_grants')
      .values({
        account_id: row.accountId,
        role: row.role,
        department_id: row.departmentId,
        region_code: row.regionCode,
        granted_by: row.grantedBy,
        granted_at: row.grantedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return id
  }

  async revokeRoleGrant(db: Executor, id: string, by: string, at: Date): Promise<boolean> {
    const result = await db
      .updateTable('role_grants')
      .set({ revoked_at: at, revoked_by: by })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  async findStaffByRegions(regionCodes: string[], limit: number, offset: number): Promise<AccountRecord[]> {
    return this.db
      .selectFrom('accounts')
      .selectAll()
      .where('kind', '=', 'staff')
      .where('region_code', 'in', regionCodes)
      .orderBy('username')
      .limit(limit)
      .offset(offset)
      .execute()
  }

  async countAccounts(kind: Selectable<AccountsTable>['kind']): Promise<number> {
    const row = await this.db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', kind)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }
}
