/** Test helpers for the SSO module: an in-memory account directory, a cookie-keeping browser, fetch over inject. */
import type { Actor, RoleGrant } from '../../platform/authz.ts'
import type { App } from '../../platform/http.ts'
import type { Platform } from '../../platform/platform.ts'
import type {
  PasswordCheck,
  SsoAccountsPort,
  SsoClaims,
  SsoClaimsPort,
  SsoLoginPort,
  SsoPortFactories,
} from './sso.ports.ts'

export interface FakeAccount {
  id: string
  login: string
  password: string
  kind: 'person' | 'company' | 'staff'
  name: string
  idMasked?: string
  uscc?: string
  roles?: RoleGrant[]
  totp?: string
  lockedUntil?: Date
  disabled?: boolean
  actsFor?: string[]
}

/** The sso module's ports over a fixed list of accounts, for tests that must not depend on the identity module. */
export class FakeDirectory implements SsoAccountsPort, SsoLoginPort, SsoClaimsPort {
  readonly enrolled = new Map<string, string>()
  constructor(readonly accounts: FakeAccount[]) {}

  private byId(id: string) {
    return this.accounts.find((a) => a.id === id)
  }

  async verifyPassword(login: string, password: string): Promise<PasswordCheck> {
    const account = this.accounts.find((a) => a.login === login)
    if (account?.lockedUntil) return { ok: false, reason: 'locked', lockedUntil: account.lockedUntil }
    if (!account || account.password !== password) return { ok: false, reason: 'invalid-credentials' }
    if (account.disabled) return { ok: false, reason: 'disabled' }
    return {
      ok: true,
      accountId: account.id,
      totpRequired: Boolean(account.totp ?? this.enrolled.get(account.id)),
    }
  }

  async verifyTotp(accountId: string, code: string): Promise<boolean> {
    const account = this.byId(accountId)
    return (account?.totp ?? this.enrolled.get(accountId)) === code
  }

  async companiesActedFor(accountId: string) {
    return (this.byId(accountId)?.actsFor ?? []).flatMap((id) => {
      const company = this.byId(id)
      return company ? [{ accountId: company.id, name: company.name, uscc: company.uscc ?? '' }] : []
    })
  }

  async claimsFor(accountId: string, actingForCompanyId?: string): Promise<SsoClaims | undefined> {
    const account = this.byId(accountId)
    if (!account || account.disabled) return undefined
    const company = actingForCompanyId ? this.byId(actingForCompanyId) : undefined
    return {
      sub: account.id,
      name: account.name,
      account_kind: account.kind,
      realname_level: 2,
      ...(account.idMasked ? { id_masked: account.idMasked } : {}),
      ...(company ? { acting_for: { sub: company.id, name: company.name, uscc: company.uscc ?? '' } } : {}),
      ...(account.kind === 'staff' ? { roles: account.roles ?? [] } : {}),
    }
  }

  async actorFor(
    accountId: string,
    actingForCompanyId?: string,
    sessionId?: string,
  ): Promise<Actor | undefined> {
    const account = this.byId(accountId)
    if (!account || account.disabled) return undefined
    const company = actingForCompanyId ? this.byId(actingForCompanyId) : undefined
    if (actingForCompanyId && (!company || !account.actsFor?.includes(actingForCompanyId))) return undefined
    return {
      kind: account.kind,
      accountId: account.id,
      name: account.name,
      roles: account.roles ?? [],
      actingFor: company ? { accountId: company.id, name: company.name } : undefined,
      realNameLevel: 2,
      sessionId,
    }
  }

  async startTotpEnrolment(accountId: string) {
    return { otpauthUri: `otpauth://totp/Tongban:${accountId}?secret=JBSWY3DPEHPK3PXP&issuer=Tongban` }
  }

  async confirmTotpEnrolment(accountId: string, code: string): Promise<boolean> {
    if (code !== '123456') return false
    this.enrolled.set(accountId, code)
    return true
  }
}

/** The ports of the sso module, all answered by one fake directory. */
export function fakeSsoPorts(directory: FakeDirectory): SsoPortFactories {
  const of = (_platform: Platform) => directory
  return { accounts: of, logins: of, claims: of }
}

/** A `fetch` that answers through `app.inject`, so openid-client talks to the provider without a port. */
export function injectFetch(app: App): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    const headers: Record<string, string> = { host: url.host }
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value
    })
    const body = init.body
    const response = await app.inject({
      method: (init.method ?? 'GET') as 'GET',
      url: `${url.pathname}${url.search}`,
      headers,
      ...(body !== undefined && body !== null
        ? { payload: body instanceof URLSearchParams ? body.toString() : String(body) }
        : {}),
    })
    const responseHeaders = new Headers()
    for (const [name, value] of Object.entries(response.headers)) {
      for (const v of Array.isArray(value) ? value : [value])
        if (v !== undefined) responseHeaders.append(name, String(v))
    }
    const status = response.statusCode
    return new Response([101, 204, 205, 304].includes(status) ? null : new Uint8Array(response.rawPayload), {
      status,
      headers: responseHeaders,
    })
  }) as typeof fetch
}

export interface Page {
  status: number
  url: string
  location?: string
  body: string
  headers: Record<string, string | string[] | number | undefined>
}

/** A browser without JavaScript: keeps cookies, follows redirects within the server, submits forms. */
export class TestBrowser {
  readonly cookies = new Map<string, string>()
  constructor(private readonly app: App) {}

  private store(setCookie: string | string[] | number | undefined) {
    if (setCookie === undefined) return
    for (const line of Array.isArray(setCookie) ? setCookie : [String(setCookie)]) {
      const [pair = '', ...attributes] = line.split(';')
      const index = pair.indexOf('=')
      const name = pair.slice(0, index).trim()
      const value = pair.slice(index + 1).trim()
      const expired = attributes.some(
        (a) =>
          /^\s*max-age=0/i.test(a) ||
          (/^\s*expires=/i.test(a) && new Date(a.split('=')[1] ?? '') < new Date()),
      )
      if (expired || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  /** One request; absolute URLs outside the server (a client's redirect URI) are not fetched. */
  async request(
    url: string,
    options: {
      method?: 'GET' | 'POST'
      form?: Record<string, string>
      headers?: Record<string, string>
    } = {},
  ): Promise<Page> {
    const target = new URL(url, 'http://127.0.0.1:3000')
    const response = await this.app.inject({
      method: options.method ?? (options.form ? 'POST' : 'GET'),
      url: `${target.pathname}${target.search}`,
      headers: {
        host: target.host,
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(options.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...options.headers,
      },
      ...(options.form ? { payload: new URLSearchParams(options.form).toString() } : {}),
    })
    this.store(response.headers['set-cookie'])
    const location = response.headers.location
    return {
      status: response.statusCode,
      url: target.href,
      ...(typeof location === 'string' ? { location: new URL(location, target).href } : {}),
      body: response.body,
      headers: response.headers,
    }
  }

  /** Follows redirects until a page is shown or the browser is sent to `stopAt` (a client's callback). */
  async follow(
    url: string,
    stopAt: string,
    options: Parameters<TestBrowser['request']>[1] = {},
  ): Promise<Page> {
    let page = await this.request(url, options)
    for (let i = 0; i < 10 && page.location && !page.location.startsWith(stopAt); i++) {
      page = await this.request(page.location)
    }
    return page
  }
}

/** The action of the first form on a page. */
export function formAction(html: string): string {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]
  if (!action) throw new Error(`no form on page:\n${html.slice(0, 2000)}`)
  return action.replace(/&amp;/g, '&')
}
