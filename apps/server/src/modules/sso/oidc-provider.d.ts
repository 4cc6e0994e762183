// The part of oidc-provider 9 (which ships no types) that the SSO module uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  export type AnyObject = Record<string, unknown>

  export interface AdapterPayload extends AnyObject {
    grantId?: string
    userCode?: string
    uid?: string
    consumed?: number
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>
    find(id: string): Promise<AdapterPayload | undefined>
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>
    findByUid(uid: string): Promise<AdapterPayload | undefined>
    consume(id: string): Promise<void>
    destroy(id: string): Promise<void>
    revokeByGrantId(grantId: string): Promise<void>
  }

  export interface Account {
    accountId: string
    claims(use: string, scope: string, claims: AnyObject, rejected: string[]): Promise<AnyObject>
  }

  export interface ClientInstance {
    clientId: string
    clientName?: string
    clientSecret?: string
    [key: string]: unknown
  }

  export interface GrantInstance {
    jti: string
    accountId: string
    clientId: string
    addOIDCScope(scope: string): void
    addOIDCClaims(claims: string[]): void
    addResourceScope(resource: string, scope: string): void
    getOIDCScope(): string
    save(ttl?: number): Promise<string>
  }

  export interface TokenInstance {
    jti: string
    accountId: string
    grantId?: string
    clientId: string
    scope?: string
    aud?: string
    sessionUid?: string
    kind: string
    [key: string]: unknown
  }

  export interface InteractionDetails {
    uid: string
    returnTo: string
    prompt: { name: string; reasons: string[]; details: AnyObject }
    params: AnyObject & { client_id: string; scope?: string; redirect_uri?: string; ui_locales?: string }
    session?: { accountId: string; uid: string; cookie: string }
    grantId?: string
    lastSubmission?: AnyObject
    exp: number
  }

  export interface KoaContext {
    oidc: {
      client?: ClientInstance
      entities: AnyObject
      params?: AnyObject
      session?: { accountId?: string; grantIdFor(clientId: string): string | undefined }
      result?: { consent?: { grantId?: string } } & AnyObject
      provider: Provider
      route: string
    }
    type: string
    body: unknown
    host: string
    status: number
    method: string
    path: string
    headers: Record<string, string | string[] | undefined>
    get(name: string): string
    set?(name: string, value: string): void
    query: AnyObject
  }

  export interface Configuration extends AnyObject {}

  export default class Provider {
    constructor(issuer: string, configuration: Configuration)
    issuer: string
    proxy: boolean
    Grant: {
      new (properties: { accountId: string; clientId: string }): GrantInstance
      find(id: string): Promise<GrantInstance | undefined>
    }
    Client: {
      prototype: ClientInstance & { compareClientSecret(actual: string): boolean | Promise<boolean> }
      find(id: string): Promise<ClientInstance | undefined>
    }
    Session: {
      find(id: string): Promise<{ uid: string; accountId?: string } | undefined>
    }
    /** Authorization codes (the bench mints them with the provider's own model). */
    AuthorizationCode: {
      new (
        properties: AnyObject & { client?: ClientInstance; expiresIn?: number },
      ): { save(): Promise<string> }
      find(value: string): Promise<(AnyObject & { accountId: string; grantId: string }) | undefined>
    }
    callback(): (req: IncomingMessage, res: ServerResponse) => void
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: AnyObject,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>
    on(event: string, listener: (...args: unknown[]) => void): this
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void
  }

  export const errors: Record<string, new (...args: unknown[]) => Error>
}
