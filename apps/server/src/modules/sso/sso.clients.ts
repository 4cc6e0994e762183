import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { CreateSsoClient } from '@tongban/contracts'
import type { AdapterPayload } from 'oidc-provider'
import type { AuditEntry } from '../../platform/audit.ts'
import { invalid } from '../../platform/errors.ts'
import type { Platform } from '../../platform/platform.ts'
import { redirectUriRefused, SSO_PROBLEMS } from './sso.messages.ts'
import { isAllowedRedirectUri } from './sso.policy.ts'

/** A registered third-party client. */
export interface SsoClientRecord {
  clientId: string
  name: string
  redirectUris: string[]
  postLogoutRedirectUris: string[]
  ownerDepartmentId: string | null
  createdAt: Date
}

/** Third-party OIDC clients (表 oidc_clients): registration by the system admin and look-up by the provider. */
export class SsoClientStore {
  constructor(private readonly platform: Platform) {}

  /** Keyed HMAC-SM3 of a client secret (high-entropy, so a fast keyed hash is enough). */
  hashSecret(secret: string): string {
    return this.platform.vault.blindIndex('oidc-client-secret', secret)
  }

  secretMatches(stored: string, presented: string): boolean {
    const a = Buffer.from(stored)
    const b = Buffer.from(this.hashSecret(presented))
    return a.length === b.length && timingSafeEqual(a, b)
  }

  /** Registers a client; the secret is returned once and only its hash is kept. Audited. */
  async create(
    input: CreateSsoClient,
    context: Pick<AuditEntry, 'actorId' | 'actorKind' | 'ip' | 'requestId'>,
  ): Promise<{ client: SsoClientRecord; clientSecret: string }> {
    const uris = [...input.redirectUris, ...(input.postLogoutRedirectUris ?? [])]
    const bad = uris.filter((uri) => !isAllowedRedirectUri(uri))
    if (bad.length > 0)
      throw invalid(
        bad.map((uri) => ({
          path: input.redirectUris.includes(uri) ? '/redirectUris' : '/postLogoutRedirectUris',
          code: 'redirectUri',
          message: redirectUriRefused(uri),
        })),
        SSO_PROBLEMS.redirectUrisRefused,
      )
    const clientId = `tb-${randomBytes(9).toString('base64url')}`
    const clientSecret = randomBytes(32).toString('base64url')
    const row = await this.platform.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('oidc_clients')
        .values({
          client_id: clientId,
          client_name: input.name,
          secret_hash: this.hashSecret(clientSecret),
          redirect_uris: input.redirectUris,
          post_logout_redirect_uris: input.postLogoutRedirectUris ?? [],
          owner_department_id: input.ownerDepartmentId ?? null,
          created_by: context.actorId,
          created_at: this.platform.clock.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      await this.platform.audit.append(trx, {
        ...context,
        action: 'sso.client.created',
        resourceType: 'oidc_client',
        resourceId: clientId,
        regionCode: null,
        outcome: 'success',
        details: {
          name: input.name,
          redirectUris: input.redirectUris,
          ownerDepartmentId: input.ownerDepartmentId ?? null,
        },
      })
      return inserted
    })
    return { client: toRecord(row), clientSecret }
  }

  async list(): Promise<SsoClientRecord[]> {
    const rows = await this.platform.db
      .selectFrom('oidc_clients')
      .selectAll()
      .where('disabled_at', 'is', null)
      .orderBy('created_at', 'desc')
      .execute()
    return rows.map(toRecord)
  }

  /** The client's metadata for oidc-provider; the stored hash stands in for the secret (see compareClientSecret). */
  async findMetadata(clientId: string): Promise<AdapterPayload | undefined> {
    const row = await this.platform.db
      .selectFrom('oidc_clients')
      .selectAll()
      .where('client_id', '=', clientId)
      .where('disabled_at', 'is', null)
      .executeTakeFirst()
    if (!row) return undefined
    return {
      client_id: row.client_id,
      client_secret: row.secret_hash,
      client_name: row.client_name,
      application_type: 'web',
      redirect_uris: row.redirect_uris,
      post_logout_redirect_uris: row.post_logout_redirect_uris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }
  }
}

function toRecord(row: {
  client_id: string
  client_name: string
  redirect_uris: string[]
  post_logout_redirect_uris: string[]
  owner_department_id: string | null
  created_at: Date
}): SsoClientRecord {
  return {
    clientId: row.client_id,
    name: row.client_name,
    redirectUris: row.redirect_uris,
    postLogoutRedirectUris: row.post_logout_redirect_uris,
    ownerDepartmentId: row.owner_department_id,
    createdAt: row.created_at,
  }
}
