import fs from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import { AppError } from './errors.ts'

/**
 * Where blobs live — uploaded materials, generated documents, audit checkpoints: keys like
 * `ab/cd/<sha256>` or `audit/checkpoints/000000001000.json`. Two implementations: a directory (on one node,
 * or a volume every node mounts) and any S3-compatible object store. Every node of a deployment must see
 * the same store.
 */
export interface BlobStore {
  /** Writes a key from a buffer or a local file, replacing what it held. */
  put(key: string, content: Buffer | { file: string }, mediaType?: string): Promise<void>
  /** A key's content; undefined when the store holds no such key. */
  get(key: string): Promise<Readable | undefined>
  /** Whether the store holds the key. */
  has(key: string): Promise<boolean>
  /** Every key under a prefix, in ascending order. */
  list(prefix: string): Promise<string[]>
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/

function checkKey(key: string): string {
  if (!KEY.test(key) || key.split('/').some((part) => part === '' || part === '.' || part === '..'))
    throw new Error(`not a storage key: ${key}`)
  return key
}

/** The store could not be reached: the caller is told to retry, never that the blob does not exist. */
export function storageUnavailable(cause: unknown): AppError {
  return new AppError('unavailable', {
    detail: { zh: '文件存储暂时不可用，请稍后再试', en: 'The file store is unavailable; retry later' },
    cause,
  })
}

/** Waits for a store operation; a failure to reach the store becomes `storageUnavailable`. */
async function reachable<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation
  } catch (error) {
    throw storageUnavailable(error)
  }
}

/** Blobs as files below a root directory; the key is the relative path. */
export class DirectoryBlobStore implements BlobStore {
  constructor(readonly root: string) {}

  async put(key: string, content: Buffer | { file: string }): Promise<void> {
    const target = path.join(this.root, checkKey(key))
    await fs.mkdir(path.dirname(target), { recursive: true })
    if (Buffer.isBuffer(content)) {
      // write beside, then rename: a reader never sees half a blob
      const tmp = `${target}.${process.pid}.${Date.now()}.tmp`
      await fs.writeFile(tmp, content)
      await fs.rename(tmp, target)
    } else {
      await fs.rename(content.file, target)
    }
  }

  async get(key: string): Promise<Readable | undefined> {
    const file = path.join(this.root, checkKey(key))
    try {
      const handle = await fs.open(file, 'r')
      return handle.createReadStream()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw storageUnavailable(error)
    }
  }

  async has(key: string): Promise<boolean> {
    try {
      await fs.access(path.join(this.root, checkKey(key)))
      return true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
      throw storageUnavailable(error)
    }
  }

  async list(prefix: string): Promise<string[]> {
    const dir = path.join(this.root, checkKey(prefix.replace(/\/$/, '')))
    try {
      const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true })
      return entries
        .filter((e) => e.isFile() && !e.name.endsWith('.tmp'))
        .map((e) => path.relative(this.root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
        .sort()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw storageUnavailable(error)
    }
  }
}

export interface S3Options {
  endpoint?: string | undefined
  region: string
  bucket: string
  /** A prefix for every key, so one bucket can serve several deployments. */
  prefix?: string | undefined
  accessKeyId?: string | undefined
  secretAccessKey?: string | undefined
  /** Path-style URLs (`endpoint/bucket/key`), as MinIO and most on-premises stores want. */
  forcePathStyle?: boolean
}

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound'])

/** Blobs in an S3-compatible object store (AWS S3, MinIO, Aliyun OSS, …). */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client
  private readonly prefix: string

  constructor(private readonly options: S3Options) {
    this.prefix = options.prefix ? `${options.prefix.replace(/\/$/, '')}/` : ''
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? true,
      ...(options.accessKeyId && options.secretAccessKey
        ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
        : {}),
      maxAttempts: 2,
    })
  }

  async put(key: string, content: Buffer | { file: string }, mediaType?: string): Promise<void> {
    const body = Buffer.isBuffer(content) ? content : await fs.readFile(content.file)
    await reachable(
      this.client.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: this.prefix + checkKey(key),
          Body: body,
          ContentType: mediaType ?? 'application/octet-stream',
        }),
      ),
    )
    if (!Buffer.isBuffer(content)) await fs.rm(content.file, { force: true })
  }

  async get(key: string): Promise<Readable | undefined> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: this.prefix + checkKey(key) }),
      )
      const body = object.Body
      if (body instanceof Readable) return body
      return body ? Readable.from(Buffer.from(await body.transformToByteArray())) : Readable.from([])
    } catch (error) {
      if (NOT_FOUND.has((error as Error).name)) return undefined
      throw storageUnavailable(error)
    }
  }

  async has(key: string): Promise<boolean> {
    try {
      await this.client.send(
        new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.prefix + checkKey(key) }),
      )
      return true
    } catch (error) {
      if (NOT_FOUND.has((error as Error).name)) return false
      throw storageUnavailable(error)
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = []
    let token: string | undefined
    do {
      const page = await reachable(
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.options.bucket,
            Prefix: this.prefix + checkKey(prefix.replace(/\/$/, '')),
            ...(token ? { ContinuationToken: token } : {}),
          }),
        ),
      )
      for (const object of page.Contents ?? [])
        if (object.Key) keys.push(object.Key.slice(this.prefix.length))
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token)
    return keys.sort()
  }
}
