import type { KoaContext } from 'oidc-provider'
import type { Language } from './sso.messages.ts'
import { renderErrorPage, renderLoggedOutPage, renderLogoutPage } from './sso.pages.ts'

/** The page language of a provider-rendered page (logout, errors): query, then cookie, then browser. */
function languageOfContext(ctx: KoaContext): Language {
  const query = typeof ctx.query?.lang === 'string' ? ctx.query.lang : ''
  if (query === 'en' || query === 'zh') return query
  const cookie = /(?:^|;\s*)tb_lang=(en|zh)/.exec(String(ctx.headers.cookie ?? ''))?.[1]
  if (cookie === 'en' || cookie === 'zh') return cookie
  return /^\s*en\b/i.test(String(ctx.headers['accept-language'] ?? '')) ? 'en' : 'zh'
}

function largeTypeOf(ctx: KoaContext): boolean {
  return /(?:^|;\s*)tb_large=1/.test(String(ctx.headers.cookie ?? ''))
}

/** A CSP for a page whose form may end in a redirect to the given origins (browsers check form-action on redirects). */
export function pageCsp(formTargets: string[] = []): string {
  const targets = [...new Set(formTargets)].join(' ')
  return [
    "default-src 'self'",
    "script-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    `form-action 'self'${targets ? ` ${targets}` : ''}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ')
}

function originsOf(uris: unknown): string[] {
  if (!Array.isArray(uris)) return []
  return uris.flatMap((uri) => {
    try {
      return [new URL(String(uri)).origin]
    } catch {
      return []
    }
  })
}

/** Tongban's logout confirmation, in place of the provider's own (its form may return to the client). */
export async function logoutSource(ctx: KoaContext, form: string): Promise<void> {
  const client = ctx.oidc.client
  ctx.set?.('content-security-policy', pageCsp(originsOf(client?.postLogoutRedirectUris)))
  ctx.type = 'html'
  ctx.body = renderLogoutPage({
    language: languageOfContext(ctx),
    largeType: largeTypeOf(ctx),
    form,
    clientName: client ? String(client.clientName ?? client.clientId) : undefined,
  })
}

/** The page after a logout without a return address. */
export async function postLogoutSuccessSource(ctx: KoaContext): Promise<void> {
  ctx.set?.('content-security-policy', pageCsp())
  ctx.type = 'html'
  ctx.body = renderLoggedOutPage({ language: languageOfContext(ctx), largeType: largeTypeOf(ctx) })
}

/** The provider's error page (a bad authorization request, an unknown client …). */
export async function renderError(ctx: KoaContext, out: Record<string, string>): Promise<void> {
  ctx.set?.('content-security-policy', pageCsp())
  ctx.type = 'html'
  ctx.body = renderErrorPage({
    language: languageOfContext(ctx),
    largeType: largeTypeOf(ctx),
    error: out.error ?? 'server_error',
    description: out.error_description,
  })
}
