import type { FieldError, LocalizedText, Problem } from '@tongban/contracts'
import { PROBLEM_BASE } from '@tongban/contracts'

/** The kinds of problem the platform reports; each has a stable `type` URI and titles in both languages. */
export const problemTypes = {
  validation: { status: 400, zh: '请求内容不符合要求', en: 'The request is invalid' },
  'malformed-body': { status: 400, zh: '请求体无法解析', en: 'The request body cannot be parsed' },
  unauthenticated: { status: 401, zh: '请先登录', en: 'Authentication is required' },
  forbidden: { status: 403, zh: '无权执行此操作', en: 'You are not allowed to do this' },
  'not-found': { status: 404, zh: '未找到请求的资源', en: 'The resource was not found' },
  'method-not-allowed': { status: 405, zh: '不支持该请求方法', en: 'Method not allowed' },
  conflict: { status: 409, zh: '与当前状态冲突', en: 'The request conflicts with the current state' },
  'invalid-transition': {
    status: 409,
    zh: '当前状态下不能执行此操作',
    en: 'This move is not allowed in the current state',
  },
  'stale-version': {
    status: 409,
    zh: '记录已被他人修改，请刷新后重试',
    en: 'The record was changed by someone else; reload and retry',
  },
  duplicate: { status: 409, zh: '记录已存在', en: 'The record already exists' },
  gone: { status: 410, zh: '资源已失效', en: 'The resource is no longer available' },
  'payload-too-large': { status: 413, zh: '请求内容过大', en: 'The request body is too large' },
  'unsupported-media-type': { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  unprocessable: { status: 422, zh: '请求无法处理', en: 'The request cannot be processed' },
  locked: { status: 423, zh: '账户已锁定，请稍后再试', en: 'The account is locked; try again later' },
  'rate-limited': { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; slow down' },
  internal: {
    status: 500,
    zh: '服务器内部错误，请稍后再试',
    en: 'Internal server error; please retry later',
  },
  unavailable: {
    status: 503,
    zh: '服务暂时不可用，请稍后再试',
    en: 'The service is temporarily unavailable',
  },
} as const satisfies Record<string, { status: number; zh: string; en: string }>

export type ProblemCode = keyof typeof problemTypes

export interface AppErrorOptions {
  detail?: LocalizedText
  errors?: FieldError[]
  allowed?: string[]
  status?: number
  cause?: unknown
}

/**
 * An error meant for the caller: it carries a problem type and becomes an RFC 9457 document.
 * Anything else thrown inside a request is a bug and is answered with a generic 500.
 */
export class AppError extends Error {
  override name = 'AppError'
  readonly code: ProblemCode
  readonly detail: LocalizedText | undefined
  readonly errors: FieldError[] | undefined
  readonly allowed: string[] | undefined
  readonly status: number

  constructor(code: ProblemCode, options: AppErrorOptions = {}) {
    super(options.detail?.en ?? problemTypes[code].en, { cause: options.cause })
    this.code = code
    this.detail = options.detail
    this.errors = options.errors
    this.allowed = options.allowed
    this.status = options.status ?? problemTypes[code].status
  }
}

/** Shorthand for a validation problem on named fields. */
export function invalid(errors: FieldError[], detail?: LocalizedText): AppError {
  return new AppError('validation', { errors, ...(detail ? { detail } : {}) })
}

/** Shorthand for a missing resource: the same answer whether it does not exist or is not the caller's. */
export function notFound(what?: LocalizedText): AppError {
  return new AppError('not-found', what ? { detail: what } : {})
}

/** Builds the problem document for an error in the caller's language. */
export function toProblem(
  error: AppError,
  context: { language: 'zh' | 'en'; instance?: string; requestId?: string },
): Problem {
  const kind = problemTypes[error.code]
  return {
    type: `${PROBLEM_BASE}${error.code}`,
    title: context.language === 'en' ? kind.en : kind.zh,
    status: error.status,
    ...(error.detail ? { detail: context.language === 'en' ? error.detail.en : error.detail.zh } : {}),
    ...(context.instance ? { instance: context.instance } : {}),
    code: error.code,
    titles: { zh: kind.zh, en: kind.en },
    ...(error.detail ? { details: error.detail } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
    ...(error.allowed ? { allowed: error.allowed } : {}),
    ...(context.requestId ? { requestId: context.requestId } : {}),
  }
}
