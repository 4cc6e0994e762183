import path from 'node:path'

/** One environment variable the server reads: its default, how to parse it and what it means. */
interface Variable<T> {
  name: string
  doc: string
  default: string | undefined
  parse: (raw: string) => T
}

class ConfigError extends Error {
  override name = 'ConfigError'
}

/** The process must not start as configured (wrong master key, a database role too powerful …). */
export class StartupRefused extends Error {
  override name = 'StartupRefused'
}

const integer =
  (min: number, max: number) =>
  (raw: string): number => {
    if (!/^\d+$/.test(raw)) throw new ConfigError(`must be a whole number, got "${raw}"`)
    const n = Number(raw)
    if (n < min || n > max) throw new ConfigError(`must be between ${min} and ${max}, got ${n}`)
    return n
  }
const text = (raw: string): string => raw
const optionalText = (raw: string): string | undefined => (raw === '' ? undefined : raw)
const oneOf =
  <T extends string>(...values: T[]) =>
  (raw: string): T => {
    if (!values.includes(raw as T)) throw new ConfigError(`must be one of ${values.join(', ')}, got "${raw}"`)
    return raw as T
  }
const url =
  (...protocols: string[]) =>
  (raw: string): string | undefined => {
    if (raw === '') return undefined
    let parsed: URL
    try {
      parsed = new URL(raw)
    } catch {
      throw new ConfigError('is not a valid URL')
    }
    if (!protocols.includes(parsed.protocol)) {
      throw new ConfigError(`must use ${protocols.join(' or ')}, got ${parsed.protocol}`)
    }
    return raw
  }
const secret = (raw: string): string | undefined => {
  if (raw === '') return undefined
  if (!/^[0-9a-fA-F]{64}$/.test(raw)) throw new ConfigError('must be 64 hexadecimal characters (32 bytes)')
  return raw.toLowerCase()
}

/** Every variable, in the order documented in docs/configuration.md. */
export const variables = {
  port: {
    name: 'PORT',
    doc: 'TCP port the HTTP server listens on.',
    default: '3000',
    parse: integer(0, 65535),
  },
  host: { name: 'HOST', doc: 'Interface the HTTP server binds to.', default: '127.0.0.1', parse: text },
  publicUrl: {
    name: 'PUBLIC_URL',
    doc: 'External base URL of the platform (OIDC issuer, links in notifications). Defaults to http://HOST:PORT.',
    default: '',
    parse: url('http:', 'https:'),
  },
  dataDir: {
    name: 'DATA_DIR',
    doc: 'Directory for the embedded database, uploaded files, generated keys and local notifications.',
    default: './data',
    parse: (raw: string) => path.resolve(raw),
  },
  databaseUrl: {
    name: 'DATABASE_URL',
    doc: 'PostgreSQL 15+ connection URL. Empty: the embedded PGlite database in DATA_DIR/pglite.',
    default: '',
    parse: url('postgres:', 'postgresql:'),
  },
  databasePoolSize: {
    name: 'DATABASE_POOL_SIZE',
    doc: 'Connections in the PostgreSQL pool (PGlite always uses one session).',
    default: '20',
    parse: integer(1, 500),
  },
  databaseOwnerUrl: {
    name: 'DATABASE_OWNER_URL',
    doc: "PostgreSQL URL of the role that owns the schema: migrations run as it, and it grants DATABASE_URL's role what the application may do. Empty: migrations run as DATABASE_URL's role.",
    default: '',
    parse: url('postgres:', 'postgresql:'),
  },
  databaseSingleRole: {
    name: 'DATABASE_SINGLE_ROLE',
    doc: 'true accepts a PostgreSQL role that could rewrite the audit trail (it owns the schema, or is a superuser): development and tests only.',
    default: 'false',
    parse: (raw: string) => oneOf('true', 'false')(raw) === 'true',
  },
  fileStore: {
    name: 'FILE_STORE',
    doc: 'Where files live: directory (FILES_DIR) or s3 (an S3-compatible object store).',
    default: 'directory',
    parse: oneOf('directory', 's3'),
  },
  filesDir: {
    name: 'FILES_DIR',
    doc: 'Directory of the directory file store; every node must mount the same one. Empty: DATA_DIR/files.',
    default: '',
    parse: (raw: string) => (raw === '' ? undefined : path.resolve(raw)),
  },
  s3Endpoint: {
    name: 'S3_ENDPOINT',
    doc: 'Endpoint URL of the S3-compatible store (MinIO, OSS, …). Empty: AWS S3 of S3_REGION.',
    default: '',
    parse: url('http:', 'https:'),
  },
  s3Region: { name: 'S3_REGION', doc: 'Region of the object store.', default: 'us-east-1', parse: text },
  s3Bucket: { name: 'S3_BUCKET', doc: 'Bucket of the object store.', default: 'tongban', parse: text },
  s3Prefix: {
    name: 'S3_PREFIX',
    doc: 'Prefix of every key, so that one bucket can serve several deployments.',
    default: '',
    parse: optionalText,
  },
  s3AccessKeyId: {
    name: 'S3_ACCESS_KEY_ID',
    doc: "Access key of the object store. Empty: the SDK's default credential chain.",
    default: '',
    parse: optionalText,
  },
  s3SecretAccessKey: {
    name: 'S3_SECRET_ACCESS_KEY',
    doc: 'Secret key of the object store.',
    default: '',
    parse: optionalText,
  },
  role: {
    name: 'ROLE',
    doc: 'What this process runs: all (API and background workers), api, or worker.',
    default: 'all',
    parse: oneOf('all', 'api', 'worker'),
  },
  logLevel: {
    name: 'LOG_LEVEL',
    doc: 'pino log level.',
    default: 'info',
    parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
  },
  bodyLimit: {
    name: 'BODY_LIMIT_BYTES',
    doc: 'Largest accepted JSON request body in bytes.',
    default: '1048576',
    parse: integer(1024, 64 * 1024 * 1024),
  },
  uploadLimit: {
    name: 'UPLOAD_LIMIT_BYTES',
    doc: 'Largest accepted uploaded file in bytes.',
    default: '20971520',
    parse: integer(1024, 1024 * 1024 * 1024),
  },
  idempotencyKeyTtlHours: {
    name: 'IDEMPOTENCY_KEY_TTL_HOURS',
    doc: 'Hours an Idempotency-Key (with the answer it got) is kept; a retry after that is a new request.',
    default: '24',
    parse: integer(1, 8760),
  },
  rateLimitPerMinute: {
    name: 'RATE_LIMIT_PER_MINUTE',
    doc: 'Requests per minute allowed from one client address; 0 disables rate limiting (benchmarks only).',
    default: '1200',
    parse: integer(0, 10_000_000),
  },
  masterKey: {
    name: 'MASTER_KEY',
    doc: 'Hex 32-byte key protecting personal data (SM4) and blind indexes (HMAC-SM3). Empty: generated once into DATA_DIR/keys/master.key. Set it explicitly in production and keep it safe.',
    default: '',
    parse: secret,
  },
  natsUrl: {
    name: 'NATS_URL',
    doc: 'NATS server with JetStream; when set, domain events are also published to the TONGBAN stream.',
    default: '',
    parse: url('nats:', 'tls:'),
  },
  outboxRetentionDays: {
    name: 'OUTBOX_RETENTION_DAYS',
    doc: "Days delivered domain events (and their consumers' receipts) stay in the outbox before workers delete them.",
    default: '7',
    parse: integer(1, 3650),
  },
  auditRetentionDays: {
    name: 'AUDIT_RETENTION_DAYS',
    doc: 'Days audit entries stay in the live table before being archived (never deleted); at least 180.',
    default: '180',
    parse: integer(180, 36500),
  },
  auditCheckpointEntries: {
    name: 'AUDIT_CHECKPOINT_ENTRIES',
    doc: 'A signed checkpoint of the audit chain is written to the file store every this many sealed entries.',
    default: '1000',
    parse: integer(10, 1_000_000),
  },
  auditCheckpointSeconds: {
    name: 'AUDIT_CHECKPOINT_SECONDS',
    doc: 'And at least this often while entries are sealed.',
    default: '60',
    parse: integer(1, 86_400),
  },
  loginMaxFailures: {
    name: 'LOGIN_MAX_FAILURES',
    doc: 'Failed logins (password or second factor) within LOGIN_LOCK_MINUTES that lock an account.',
    default: '5',
    parse: integer(1, 100),
  },
  loginLockMinutes: {
    name: 'LOGIN_LOCK_MINUTES',
    doc: 'Window in which failed logins are counted, and how long a locked account stays locked.',
    default: '15',
    parse: integer(1, 1440),
  },
  shutdownTimeoutMs: {
    name: 'SHUTDOWN_TIMEOUT_MS',
    doc: 'How long graceful shutdown waits for in-flight requests before closing.',
    default: '10000',
    parse: integer(0, 600_000),
  },
  demoSeed: {
    name: 'SEED_DEMO',
    doc: 'Load demo data on start when the database is empty (npm start sets it): true or false.',
    default: 'false',
    parse: (raw: string) => oneOf('true', 'false')(raw) === 'true',
  },
  instanceName: {
    name: 'INSTANCE_NAME',
    doc: 'Name shown in logs and the portal header for this deployment (e.g. the province).',
    default: '',
    parse: optionalText,
  },
} satisfies Record<string, Variable<unknown>>

type Variables = typeof variables
/** The validated configuration of one server process. */
export type Config = { [K in keyof Variables]: ReturnType<Variables[K]['parse']> }

/**
 * Reads and validates the configuration, reporting every bad variable at once by name,
 * so an operator fixes them in one go rather than one start-up at a time.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = []
  const result: Record<string, unknown> = {}
  for (const [key, variable] of Object.entries(variables) as [string, Variable<unknown>][]) {
    const raw = env[variable.name] ?? variable.default ?? ''
    try {
      result[key] = variable.parse(raw.trim())
    } catch (error) {
      problems.push(`${variable.name} ${(error as Error).message}`)
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`)
  }
  const config = { ...(result as Config), ...overrides }
  if (config.databaseOwnerUrl && !config.databaseUrl)
    throw new ConfigError(
      'Invalid configuration:\n  - DATABASE_OWNER_URL needs DATABASE_URL (the application role)',
    )
  return config
}

/** The URL the outside world reaches this server by. */
export function publicUrlOf(config: Config): string {
  return (config.publicUrl ?? `http://${config.host}:${config.port}`).replace(/\/$/, '')
}

export { ConfigError }
