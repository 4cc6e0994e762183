import type { LoggerOptions } from 'pino'

// 18-character ID numbers (GB 11643) and mainland mobile numbers, wherever they appear in a message.
const ID_NUMBER = /(?<![0-9A-Za-z])(\d{3})\d{11}(\d{3}[\dXx])(?![0-9A-Za-z])/g
// A mobile number may carry the country code (+8613812345678, +86-138…); the prefix stays visible.
const MOBILE = /(?<!\d)((?:\+?86[- ]?)?1[3-9]\d)\d{4}(\d{4})(?!\d)/g

/** Masks personal identifiers inside free text: 110***********1234, 138****5678. */
export function maskIdentifiers(text: string): string {
  return text
    .replace(ID_NUMBER, (_, head: string, tail: string) => `${head}***********${tail}`)
    .replace(MOBILE, (_, head: string, tail: string) => `${head}****${tail}`)
}

const SECRET_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'secret',
  'totp',
  'code',
  'privateKey',
  'authorization',
  'cookie',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
]
const PERSONAL_KEYS = ['idNumber', 'id_number', 'phone', 'mobile', 'email', 'name']
/** Query parameters that carry a credential: a license QR token, an authorization code, a query code. */
const SECRET_QUERY = new Set([
  'token',
  't',
  'code',
  'queryCode',
  'query_code',
  'access_token',
  'id_token_hint',
])

/** A request URL as logged: identifiers masked, credential parameters replaced. */
export function loggedUrl(url: string): string {
  const question = url.indexOf('?')
  if (question < 0) return maskIdentifiers(url)
  const params = url
    .slice(question + 1)
    .split('&')
    .map((pair) => {
      const name = decodeURIComponentSafe(pair.split('=')[0] ?? '')
      return SECRET_QUERY.has(name) ? `${pair.split('=')[0]}=[redacted]` : pair
    })
  return maskIdentifiers(`${url.slice(0, question)}?${params.join('&')}`)
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/**
 * What replaces a redacted value. A `code` is a one-time code (six digits) only sometimes: an error's code
 * (`ENOENT`, `23505`, `FST_ERR_…`) is kept, so that logs still say what failed.
 */
function censor(value: unknown, path: string[]): unknown {
  if (path.at(-1) === 'code' && typeof value === 'string' && !/^\d{6}$/.test(value)) return value
  return typeof value === 'string' ? maskIdentifiers(value).replace(/^(.).*$/s, '$1***') : '[redacted]'
}

/**
 * pino options that keep secrets and personal identifiers out of the logs: known keys are
 * redacted at any of the first levels of nesting, and identifiers in messages are masked.
 */
export function loggerOptions(level: string): LoggerOptions {
  const paths = [
    'req.headers.authorization',
    'req.headers.cookie',
    'req.headers["set-cookie"]',
    'res.headers["set-cookie"]',
    ...[...SECRET_KEYS, ...PERSONAL_KEYS].flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  ]
  return {
    level,
    redact: {
      paths,
      censor,
    },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((arg) => (typeof arg === 'string' ? maskIdentifiers(arg) : arg))
        method.apply(this, masked as Parameters<typeof method>)
      },
      // Identifiers also hide in fields no redact path names: error messages quoting a row, search
      // queries, child-logger bindings. The finished line is masked as a whole.
      streamWrite: (line) => maskIdentifiers(line),
    },
    serializers: {
      req: (req: { method: string; url: string; id: string; ip?: string }) => ({
        id: req.id,
        method: req.method,
        url: loggedUrl(req.url),
        ip: req.ip,
      }),
    },
  }
}
