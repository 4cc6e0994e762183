import { type Kysely, sql } from 'kysely'
import type { Adapter, AdapterPayload } from 'oidc-provider'
import type { Clock } from '../../platform/clock.ts'
import type { Database } from '../../platform/db/schema.ts'

/** Where registered third-party clients come from (the provider asks the adapter of type 'Client'). */
export interface ClientMetadataSource {
  findMetadata(clientId: string): Promise<AdapterPayload | undefined>
}

/** The model name under which the company an agent acts for is kept, per grant (see SsoService). */
export const ACTING_FOR_MODEL = 'TongbanActingFor'
/** How long a grant's acting-for company read along with the grant stays usable (one token request). */
export const PREFETCH_MS = 1_000

/** Acting-for companies read together with their grant, by grant id, until used once or PREFETCH_MS old. */
export type ActingForPrefetch = Map<string, { companyId: string | undefined; at: number }>

interface PayloadRow {
  type: string
  payload: unknown
  consumed_at: Date | null
}

const toPayload = (row: PayloadRow | undefined): AdapterPayload | undefined => {
  if (!row) return undefined
  const payload = row.payload as AdapterPayload
  return row.consumed_at ? { ...payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : payload
}

/**
 * The reads of the adapter, with the read-ahead of a token request: a code or refresh token comes with its
 * grant and acting-for company in one round trip, and the grant is answered from that for a moment.
 */
class PayloadReads {
  /** Grants read along with the code or refresh token naming them, by grant id: used once, within PREFETCH_MS. */
  private readonly grants = new Map<string, { row: PayloadRow; at: number }>()

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    readonly prefetch: ActingForPrefetch | undefined,
  ) {}

  async findLive(type: string, column: 'id' | 'uid' | 'user_code', value: string) {
    const { rows } = await sql<PayloadRow>`
      SELECT type, payload, consumed_at FROM oidc_payloads
       WHERE type = ${type} AND ${sql.ref(column)} = ${value}
         AND (expires_at IS NULL OR expires_at > ${this.clock.now()})
       LIMIT 1`.execute(this.db)
    return toPayload(rows[0])
  }

  forgetGrant(grantId: string): void {
    this.grants.delete(grantId)
  }

  /** Remembers a grant row (and its acting-for company) read ahead, for the Grant.find that follows. */
  private prime(grantId: string, rows: PayloadRow[], prefetched: ActingForPrefetch, withGrant: boolean) {
    const grant = rows.find((row) => row.type === 'Grant')
    if (!grant) return undefined
    const actingFor = rows.find((row) => row.type === ACTING_FOR_MODEL)?.payload as
      | { companyId?: unknown }
      | undefined
    const at = Date.now()
    if (prefetched.size >= 10_000) prefetched.clear()
    prefetched.set(grantId, {
      companyId: typeof actingFor?.companyId === 'string' ? actingFor.companyId : undefined,
      at,
    })
    if (withGrant) {
      if (this.grants.size >= 10_000) this.grants.clear()
      this.grants.set(grantId, { row: grant, at })
    }
    return grant
  }

  /**
   * A grant and the company its account acts for under it, in one round trip: every token request reads
   * both (the grant, then the acting-for company for the claims and the access token).
   */
  async findGrant(id: string, prefetched: ActingForPrefetch) {
    const ahead = this.grants.get(id)
    if (ahead) {
      this.grants.delete(id)
      if (Date.now() - ahead.at < PREFETCH_MS) return toPayload(ahead.row)
    }
    const { rows } = await sql<PayloadRow>`
      SELECT type, payload, consumed_at FROM oidc_payloads
       WHERE id = ${id} AND type IN ('Grant', ${ACTING_FOR_MODEL})
         AND (expires_at IS NULL OR expires_at > ${this.clock.now()})`.execute(this.db)
    return toPayload(this.prime(id, rows, prefetched, false))
  }

  /**
   * An authorization code or refresh token together with its grant and acting-for company, in one round
   * trip (read as of the same snapshot): the token endpoint asks for the grant right after.
   */
  async findWithGrant(type: string, id: string, prefetched: ActingForPrefetch) {
    const now = this.clock.now()
    const { rows } = await sql<PayloadRow>`
      WITH source AS (
        SELECT type, payload, consumed_at FROM oidc_payloads
         WHERE type = ${type} AND id = ${id} AND (expires_at IS NULL OR expires_at > ${now}))
      SELECT type, payload, consumed_at FROM source
      UNION ALL
      SELECT g.type, g.payload, g.consumed_at FROM oidc_payloads g, source s
       WHERE g.id = s.payload ->> 'grantId' AND g.type IN ('Grant', ${ACTING_FOR_MODEL})
         AND (g.expires_at IS NULL OR g.expires_at > ${now})`.execute(this.db)
    const source = rows.find((row) => row.type === type)
    if (!source) return undefined
    const grantId = (source.payload as { grantId?: unknown }).grantId
    if (typeof grantId === 'string') this.prime(grantId, rows, prefetched, true)
    return toPayload(source)
  }
}

/**
 * oidc-provider's storage adapter over one `oidc_payloads` table: every artefact (session,
 * interaction, authorization code, refresh token, grant, ...) is a JSON payload keyed by (type, id),
 * with the few columns the provider looks artefacts up by. The statements are written as SQL rather than
 * built: every token request makes several, and the query builder cost several times the SQL tag's CPU.
 */
export function adapterClass(
  db: Kysely<Database>,
  clock: Clock,
  clients: ClientMetadataSource,
  prefetch?: ActingForPrefetch,
): new (
  name: string,
) => Adapter {
  const reads = new PayloadReads(db, clock, prefetch)
  return class PostgresAdapter implements Adapter {
    constructor(private readonly type: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      if (this.type === 'Grant') reads.forgetGrant(id)
      const expiresAt = expiresIn ? new Date(clock.now().getTime() + expiresIn * 1000) : null
      await sql`
        INSERT INTO oidc_payloads (id, type, payload, grant_id, user_code, uid, expires_at)
        VALUES (${id}, ${this.type}, ${JSON.stringify(payload)}::jsonb, ${payload.grantId ?? null},
                ${payload.userCode ?? null}, ${payload.uid ?? null}, ${expiresAt})
        ON CONFLICT (type, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
          user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`.execute(db)
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.type === 'Client') return clients.findMetadata(id)
      if (prefetch && this.type === 'Grant') return reads.findGrant(id, prefetch)
      if (prefetch && (this.type === 'AuthorizationCode' || this.type === 'RefreshToken'))
        return reads.findWithGrant(this.type, id, prefetch)
      return reads.findLive(this.type, 'id', id)
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return reads.findLive(this.type, 'user_code', userCode)
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return reads.findLive(this.type, 'uid', uid)
    }

    async consume(id: string): Promise<void> {
      await sql`UPDATE oidc_payloads SET consumed_at = ${clock.now()} WHERE type = ${this.type} AND id = ${id}`.execute(
        db,
      )
    }

    async destroy(id: string): Promise<void> {
      if (this.type === 'Grant') reads.forgetGrant(id)
      await sql`DELETE FROM oidc_payloads WHERE type = ${this.type} AND id = ${id}`.execute(db)
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      reads.forgetGrant(grantId)
      prefetch?.delete(grantId)
      await sql`DELETE FROM oidc_payloads WHERE grant_id = ${grantId}`.execute(db)
    }
  }
}

/** Deletes artefacts that expired more than `graceMs` ago; returns how many. */
export async function deleteExpiredPayloads(
  db: Kysely<Database>,
  clock: Clock,
  graceMs = 60_000,
): Promise<number> {
  const result = await db
    .deleteFrom('oidc_payloads')
    .where('expires_at', '<', new Date(clock.now().getTime() - graceMs))
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/**
 * Deletes every provider artefact of an account — sessions, grants, authorization codes, refresh tokens,
 * opaque access tokens, logins in progress — and whatever hangs off its grants (the acting-for choice).
 * Returns how many rows went. Runs in the caller's transaction.
 */
export async function deleteAccountPayloads(db: Kysely<Database>, accountId: string): Promise<number> {
  const result = await sql`
    DELETE FROM oidc_payloads
     WHERE (payload ? 'accountId' AND payload ->> 'accountId' = ${accountId})
        OR grant_id IN (SELECT g.id FROM oidc_payloads g
                         WHERE g.type = 'Grant' AND g.payload ? 'accountId' AND g.payload ->> 'accountId' = ${accountId})`.execute(
    db,
  )
  return Number(result.numAffectedRows ?? 0)
}
