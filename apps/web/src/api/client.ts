import type { FieldError, LocalizedText, Problem } from '@tongban/contracts'
import { dictionaries, type Language, type MessageKey, pickLocalized, translate } from '../i18n/i18n.ts'

/** Where the HTTP API lives, on the same origin as the web app. */
export const API_BASE = '/api/v1'

const PROBLEM_TYPE_BASE = 'https://tongban.dev/problems/'

/** An API failure as an RFC 9457 problem; network failures and non-problem answers are wrapped too. */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem'
  readonly problem: Problem

  constructor(problem: Problem) {
    // The Error message is for developers' consoles only; users see describeError().
    super(`${problem.status} ${problem.code}: ${problem.titles.en || problem.title}`)
    this.problem = problem
  }

  get status(): number {
    return this.problem.status
  }

  get code(): string {
    return this.problem.code
  }

  /** Field-level errors of a validation problem (may be empty). */
  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? []
  }
}

/** Hooks that tie the client to the session and the UI without importing them (no cycles). */
export interface ApiClientHooks {
  /** The bearer token to send, refreshed if needed; undefined when logged out. */
  getAccessToken: () => Promise<string | undefined>
  /** The UI language, sent as Accept-Language. */
  getLanguage: () => Language
  /** Called on 401: start login and come back to the current location. */
  onUnauthorized: () => void
}

const hooks: ApiClientHooks = {
  getAccessToken: async () => undefined,
  getLanguage: () => 'zh-CN',
  onUnauthorized: () => {},
}

/** Wires the client to the auth session and the language; called once by the shell. */
export function configureApiClient(next: Partial<ApiClientHooks>): void {
  Object.assign(hooks, next)
}

/** Options of one API call. */
export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Sent as JSON. */
  body?: unknown
  query?: Record<string, string | number | boolean | undefined>
  signal?: AbortSignal
  /** Do not send the bearer token even when logged in (public endpoints). */
  anonymous?: boolean
  /** Extra request headers (e.g. `Idempotency-Key`). */
  headers?: Record<string, string>
}

/** Builds the URL of an API path such as `/cases/123`, with query parameters. */
export function apiUrl(path: string, query?: ApiRequest['query']): string {
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== '') search.set(name, String(value))
  }
  const qs = search.toString()
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`
}

function localizedFromDictionary(key: MessageKey): LocalizedText {
  return { zh: dictionaries['zh-CN'][key], en: dictionaries.en[key] }
}

/** A problem made on the client for failures that did not come with a problem document. */
export function clientProblem(status: number, code: string, key: MessageKey): Problem {
  const titles = localizedFromDictionary(key)
  return { type: `${PROBLEM_TYPE_BASE}${code}`, title: titles.zh, status, code, titles }
}

function isLocalizedText(value: unknown): value is LocalizedText {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as LocalizedText).zh === 'string' &&
    typeof (value as LocalizedText).en === 'string'
  )
}

/**
 * Turns a response body into a Problem, repairing what a client must not trust: a body without both
 * languages gets the generic bilingual title, so a Chinese user never sees an English-only message.
 */
export function toProblem(status: number, body: unknown): Problem {
  const fallback = clientProblem(status, status === 404 ? 'not-found' : 'http-error', 'error.generic')
  if (typeof body !== 'object' || body === null) return fallback
  const raw = body as Partial<Problem>
  const titles = isLocalizedText(raw.titles) ? raw.titles : fallback.titles
  const errors = Array.isArray(raw.errors)
    ? raw.errors.filter(
        (error): error is FieldError =>
          typeof error?.path === 'string' && typeof error.code === 'string' && isLocalizedText(error.message),
      )
    : undefined
  return {
    type: typeof raw.type === 'string' ? raw.type : fallback.type,
    title: typeof raw.title === 'string' && isLocalizedText(raw.titles) ? raw.title : titles.zh,
    status: typeof raw.status === 'number' ? raw.status : status,
    code: typeof raw.code === 'string' ? raw.code : fallback.code,
    titles,
    ...(isLocalizedText(raw.details) ? { details: raw.details } : {}),
    ...(typeof raw.detail === 'string' ? { detail: raw.detail } : {}),
    ...(errors ? { errors } : {}),
    ...(Array.isArray(raw.allowed) ? { allowed: raw.allowed.filter((m) => typeof m === 'string') } : {}),
    ...(typeof raw.requestId === 'string' ? { requestId: raw.requestId } : {}),
  }
}

/** The bearer token for requests made outside apiFetch (uploads with progress). */
export function accessToken(): Promise<string | undefined> {
  return hooks.getAccessToken()
}

/** The language header value for requests made outside apiFetch. */
export function acceptLanguage(): string {
  return hooks.getLanguage() === 'en' ? 'en' : 'zh-CN'
}

/** Reports a 401 met outside apiFetch, so the user logs in again and comes back. */
export function reportUnauthorized(): void {
  hooks.onUnauthorized()
}

/** Calls the API and returns the parsed JSON body; throws ApiProblem on any failure. */
export async function apiFetch<T>(path: string, request: ApiRequest = {}): Promise<T> {
  const headers = new Headers({
    Accept: 'application/json, application/problem+json',
    'Accept-Language': hooks.getLanguage() === 'en' ? 'en' : 'zh-CN',
  })
  if (request.body !== undefined) headers.set('Content-Type', 'application/json')
  for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value)
  const token = request.anonymous ? undefined : await hooks.getAccessToken()
  if (token) headers.set('Authorization', `Bearer ${token}`)

  let response: Response
  try {
    response = await fetch(apiUrl(path, request.query), {
      method: request.method ?? (request.body === undefined ? 'GET' : 'POST'),
      headers,
      body: request.body === undefined ? null : JSON.stringify(request.body),
      signal: request.signal ?? null,
      credentials: 'same-origin',
    })
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error
    throw new ApiProblem(clientProblem(0, 'network', 'error.network'))
  }

  const contentType = response.headers.get('Content-Type') ?? ''
  const isJson = /\bjson\b/.test(contentType)
  const body: unknown = isJson ? await response.json().catch(() => undefined) : undefined

  if (!response.ok) {
    const problem = toProblem(response.status, body)
    if (response.status === 401) hooks.onUnauthorized()
    throw new ApiProblem(problem)
  }
  if (response.status === 204) return undefined as T
  // A 200 that is not JSON is a proxy or SPA fallback page, not an API answer.
  if (!isJson) throw new ApiProblem(clientProblem(response.status, 'not-json', 'error.generic'))
  return body as T
}

/** What a user is shown about an error, in their language; never a stack trace. */
export interface ErrorDescription {
  title: string
  detail?: string
  requestId?: string
}

/** Describes any thrown value for display; unknown errors become the generic localized message. */
export function describeError(error: unknown, language: Language): ErrorDescription {
  if (!(error instanceof ApiProblem)) return { title: translate(language, 'error.unexpected') }
  const { problem } = error
  const description: ErrorDescription = { title: pickLocalized(problem.titles, language) }
  if (problem.details) description.detail = pickLocalized(problem.details, language)
  else if (problem.errors?.length) description.detail = translate(language, 'error.fieldsInvalid')
  if (problem.requestId) description.requestId = problem.requestId
  return description
}
