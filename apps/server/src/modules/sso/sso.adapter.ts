import { type Kysely, sql } from 'kysely'
import type { Adapter, AdapterPayload } from 'oidc-provider'
import type { Clock } from '../../platform/clock.ts'
import type { Database } from '../../platform/db/schema.ts'

/** Where registered third-party clients come from (the provider asks the adapter of type 'Client'). */
export interface ClientMetadataSource {
  findMetadata(clientId: string): Promise<AdapterPayload | undefined>
}

/**
 * oidc-provider's storage adapter over one `oidc_payloads` table: every artefact (session,
 * interaction, authorization code, refresh token, grant, ...) is a JSON payload keyed by (type, id),
 * with the few columns the provider looks artefacts up by.
 */
/** The model name under which the company an agent acts for is kept, per grant (see SsoService). */
export const ACTING_FOR_MODEL = 'TongbanActingFor'
/** How long a grant's acting-for company read along with the grant stays usable (one token request). */
export const PREFETCH_MS = 1_000

/** Acting-for companies read together with their grant, by grant id, until used once or PREFETCH_MS old. */
export type ActingForPrefetch = Map<string, { companyId: string | undefined; at: number }>

export function adapterClass(
  db: Kysely<Database>,
  clock: Clock,
  clients: ClientMetadataSource,
  prefetch?: ActingForPrefetch,
): new (
  name: string,
) => Adapter {
  const live = (type: string) =>
    db
      .selectFrom('oidc_payloads')
      .select(['payload', 'consumed_at'])
      .where('type', '=', type)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', clock.now())]))

  const toPayload = (
    row: { payload: unknown; consumed_at: Date | null } | undefined,
  ): AdapterPayload | undefined => {
    if (!row) return undefined
    const payload = row.payload as AdapterPayload
    return row.consumed_at ? { ...payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : payload
  }

  /**
   * A grant and the company its account acts for under it, in one round trip: every token request reads
   * both (the grant, then the acting-for company for the claims and the access token).
   */
  const findGrant = async (id: string, prefetched: ActingForPrefetch) => {
    const rows = await db
      .selectFrom('oidc_payloads')
      .select(['type', 'payload', 'consumed_at'])
      .where('id', '=', id)
      .where('type', 'in', ['Grant', ACTING_FOR_MODEL])
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', clock.now())]))
      .execute()
    const grant = rows.find((row) => row.type === 'Grant')
    if (!grant) return undefined
    const actingFor = rows.find((row) => row.type === ACTING_FOR_MODEL)?.payload as
      | { companyId?: unknown }
      | undefined
    if (prefetched.size >= 10_000) prefetched.clear()
    prefetched.set(id, {
      companyId: typeof actingFor?.companyId === 'string' ? actingFor.companyId : undefined,
      at: Date.now(),
    })
    return toPayload(grant)
  }

  return class PostgresAdapter implements Adapter {
    constructor(private readonly type: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const row = {
        id,
        type: this.type,
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        user_code: payload.userCode ?? null,
        uid: payload.uid ?? null,
        expires_at: expiresIn ? new Date(clock.now().getTime() + expiresIn * 1000) : null,
      }
      await db
        .insertInto('oidc_payloads')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['type', 'id']).doUpdateSet({
            payload: row.payload,
            grant_id: row.grant_id,
            user_code: row.user_code,
            uid: row.uid,
            expires_at: row.expires_at,
          }),
        )
        .execute()
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.type === 'Client') return clients.findMetadata(id)
      if (this.type === 'Grant' && prefetch) return findGrant(id, prefetch)
      return toPayload(await live(this.type).where('id', '=', id).executeTakeFirst())
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return toPayload(await live(this.type).where('user_code', '=', userCode).executeTakeFirst())
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return toPayload(await live(this.type).where('uid', '=', uid).executeTakeFirst())
    }

    async consume(id: string): Promise<void> {
      await db
        .updateTable('oidc_payloads')
        .set({ consumed_at: clock.now() })
        .where('type', '=', this.type)
        .where('id', '=', id)
        .execute()
    }

    async destroy(id: string): Promise<void> {
      await db.deleteFrom('oidc_payloads').where('type', '=', this.type).where('id', '=', id).execute()
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db.deleteFrom('oidc_payloads').where('grant_id', '=', grantId).execute()
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
