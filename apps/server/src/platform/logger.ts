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
      censor: (value: unknown) =>
        typeof value === 'string' ? maskIdentifiers(value).replace(/^(.).*$/s, '$1***') : '[redacted]',
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
        url: maskIdentifiers(req.url),
        ip: req.ip,
      }),
    },
  }
}
