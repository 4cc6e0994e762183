import type { FastifyReply, FastifyRequest } from 'fastify'
import type { InteractionDetails } from 'oidc-provider'
import type { Language } from '../sso.messages.ts'
import type { PageContext } from '../sso.pages.ts'
import { pageCsp } from '../sso.provider-pages.ts'

const INTERACTION_PATH = '/oidc/interaction'

function cookieOf(request: FastifyRequest, name: string): string | undefined {
  return new RegExp(`(?:^|;\\s*)${name}=([^;]*)`).exec(request.headers.cookie ?? '')?.[1]
}

/** The language the user asked for before: the cookie, the client's ui_locales, or the browser's. */
function languageAskedBefore(request: FastifyRequest, details: InteractionDetails | undefined): Language {
  const cookieLanguage = cookieOf(request, 'tb_lang')
  if (cookieLanguage === 'en' || cookieLanguage === 'zh') return cookieLanguage
  const uiLocales = typeof details?.params.ui_locales === 'string' ? details.params.ui_locales : ''
  if (uiLocales) return /^en\b/i.test(uiLocales) ? 'en' : 'zh'
  return /^\s*en\b/i.test(request.headers['accept-language'] ?? '') ? 'en' : 'zh'
}

/** Language and large type: from the query (then remembered in a cookie), the cookie, or the browser. */
export function pageContextOf(
  request: FastifyRequest,
  reply: FastifyReply,
  details: InteractionDetails | undefined,
): PageContext {
  const query = request.query as Record<string, string | undefined>
  const cookies: string[] = []
  let language: Language | undefined
  if (query.lang === 'en' || query.lang === 'zh') {
    language = query.lang
    cookies.push(`tb_lang=${language}; Path=/oidc; Max-Age=31536000; SameSite=Lax; HttpOnly`)
  }
  let largeType: boolean | undefined
  if (query.large === '1' || query.large === '0') {
    largeType = query.large === '1'
    cookies.push(`tb_large=${query.large}; Path=/oidc; Max-Age=31536000; SameSite=Lax; HttpOnly`)
  }
  if (cookies.length > 0) reply.header('set-cookie', cookies)
  language ??= languageAskedBefore(request, details)
  largeType ??= cookieOf(request, 'tb_large') === '1'
  const path = details ? `${INTERACTION_PATH}/${details.uid}` : undefined
  return { language, largeType, ...(path ? { path } : {}) }
}

/** Sends a login page: never cached, no scripts, forms only to here and to the given origins. */
export function sendPage(
  reply: FastifyReply,
  html: string,
  formTargets: string[] = [],
  status?: number,
): FastifyReply {
  if (status) reply.code(status)
  return reply
    .header('content-security-policy', pageCsp(formTargets))
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html)
}

/** A lock's end as the user reads it, in Beijing time. */
export function formatLockedUntil(date: Date, language: Language): string {
  return new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date)
}

/** The links of an interaction's pages: each step's form action, and the way out. */
export function interactionLinks(uid: string) {
  return {
    action: (step: string) => `${INTERACTION_PATH}/${uid}/${step}`,
    abort: `${INTERACTION_PATH}/${uid}/abort`,
  }
}
