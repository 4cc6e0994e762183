import path from 'node:path'
import type { FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import pino, { type Logger } from 'pino'
import { type AuditEntry, AuditLog } from './audit.ts'
import { AuditCheckpoints } from './audit-checkpoints.ts'
import { type Actor, type Authenticator, anonymous } from './authz.ts'
import { type Clock, systemClock } from './clock.ts'
import type { Config } from './config.ts'
import { loadMasterKey, type MasterKey, PersonalDataVault } from './crypto.ts'
import { type Db, openDatabase, pgliteDirOf } from './db/database.ts'
import type { Database } from './db/schema.ts'
import { EventBus } from './events.ts'
import { ContentStore, type FileStore } from './files.ts'
import { loggerOptions } from './logger.ts'
import { type BlobStore, DirectoryBlobStore, S3BlobStore } from './storage.ts'

/** The shared services every module is built on. Created once per process. */
export interface Platform {
  config: Config
  logger: Logger
  clock: Clock
  database: Db
  db: Kysely<Database>
  audit: AuditLog
  /** Signed checkpoints of the audit chain in the file store. */
  auditCheckpoints: AuditCheckpoints
  events: EventBus
  /** The deployment's blob store (files, audit checkpoints). */
  blobs: BlobStore
  files: FileStore
  vault: PersonalDataVault
  /** Where the master key came from; checked against the database at start-up (`checkMasterKey`). */
  masterKey: MasterKey
  /** Resolves a request's caller; the identity module installs the real one at start-up. */
  authenticator: Authenticator
}

export interface PlatformOverrides {
  clock?: Clock
  logger?: Logger
  /** Embedded database location instead of DATA_DIR/pglite (tests use `memory://`). */
  pgliteDir?: string
  /** Dump of a PGlite data directory to start from (tests start from a migrated template). */
  pgliteTemplate?: Blob
}

/** Opens the database and builds the platform services for one process. */
export async function createPlatform(config: Config, overrides: PlatformOverrides = {}): Promise<Platform> {
  const logger = overrides.logger ?? pino(loggerOptions(config.logLevel))
  const clock = overrides.clock ?? systemClock
  const database = await openDatabase({
    url: config.databaseUrl,
    pgliteDir: overrides.pgliteDir ?? pgliteDirOf(config.dataDir),
    poolSize: config.databasePoolSize,
    pgliteTemplate: overrides.pgliteTemplate,
  })
  const masterKey = await loadMasterKey(config.masterKey, config.dataDir)
  const blobs = openBlobStore(config)
  const vault = new PersonalDataVault(masterKey.key)
  const events = new EventBus(database.db, logger, { natsUrl: config.natsUrl })
  const staging =
    blobs instanceof DirectoryBlobStore ? path.join(blobs.root, 'tmp') : path.join(config.dataDir, 'tmp')
  return {
    config,
    logger,
    clock,
    database,
    db: database.db,
    audit: new AuditLog(database.db, clock),
    auditCheckpoints: new AuditCheckpoints(database.db, blobs, vault, events, clock, {
      everyEntries: config.auditCheckpointEntries,
      everySeconds: config.auditCheckpointSeconds,
    }),
    events,
    blobs,
    files: new ContentStore(blobs, staging, database.db),
    vault,
    masterKey,
    authenticator: async () => anonymous,
  }
}

/** The blob store the configuration names: a (shared) directory or an S3-compatible object store. */
export function openBlobStore(config: Config): BlobStore {
  if (config.fileStore === 'directory')
    return new DirectoryBlobStore(config.filesDir ?? path.join(config.dataDir, 'files'))
  return new S3BlobStore({
    endpoint: config.s3Endpoint,
    region: config.s3Region,
    bucket: config.s3Bucket,
    prefix: config.s3Prefix,
    accessKeyId: config.s3AccessKeyId,
    secretAccessKey: config.s3SecretAccessKey,
  })
}

/** The who/where part of an audit entry for the caller of a request. */
export function auditContext(
  request: FastifyRequest,
): Pick<AuditEntry, 'actorId' | 'actorKind' | 'ip' | 'requestId'> {
  const actor: Actor = request.actor
  return {
    actorId: actor.kind === 'anonymous' ? null : actor.accountId,
    actorKind: actor.kind,
    ip: request.ip,
    requestId: request.id,
  }
}
