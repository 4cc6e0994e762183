import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { fileTypeFromBuffer } from 'file-type'
import type { Kysely } from 'kysely'
import type { Database } from './db/schema.ts'
import { AppError, notFound } from './errors.ts'
import type { BlobStore } from './storage.ts'

/** A file kept by the file store, named by the SHA-256 of its content. */
export interface StoredFile {
  sha256: string
  sizeBytes: number
  mediaType: string
}

export interface PutRules {
  maxBytes: number
  /** Media types accepted, judged from the content, never from the name or the client's claim. */
  allowedMediaTypes: readonly string[]
}

/** Where uploaded materials and generated documents live, content-addressed, on any BlobStore. */
export interface FileStore {
  put(content: Readable | Buffer, rules: PutRules): Promise<StoredFile>
  /** A stored file's content: 404 when the store does not hold it, 503 when the store cannot be reached. */
  read(sha256: string): Promise<Readable>
  find(sha256: string): Promise<StoredFile | undefined>
}

/** Media types of ordinary application materials: documents and photos, no archives or executables. */
export const MATERIAL_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp'] as const

const SNIFF_BYTES = 4_100

/**
 * Content-addressed files (`ab/cd/<sha256>` in the blob store) with their size and sniffed type in
 * `stored_files`. Content is streamed to a local staging file while it is hashed and counted, its type
 * sniffed from the first bytes, and only then handed to the blob store, so an oversized or forbidden
 * upload leaves nothing behind.
 */
export class ContentStore implements FileStore {
  constructor(
    private readonly blobs: BlobStore,
    /** A local directory for uploads in progress. */
    private readonly staging: string,
    private readonly db: Kysely<Database>,
  ) {}

  async put(content: Readable | Buffer, rules: PutRules): Promise<StoredFile> {
    await fs.mkdir(this.staging, { recursive: true })
    const tmp = path.join(this.staging, randomUUID())
    const handle = await fs.open(tmp, 'wx')
    const hash = createHash('sha256')
    let size = 0
    const head: Buffer[] = []
    let headSize = 0
    try {
      const chunks: Iterable<Buffer> | AsyncIterable<Buffer> = Buffer.isBuffer(content) ? [content] : content
      for await (const chunk of chunks) {
        size += chunk.length
        if (size > rules.maxBytes) {
          throw new AppError('payload-too-large', {
            detail: {
              zh: `文件不能超过 ${formatBytes(rules.maxBytes)}`,
              en: `Files may be at most ${formatBytes(rules.maxBytes)}`,
            },
          })
        }
        if (headSize < SNIFF_BYTES) {
          head.push(chunk)
          headSize += chunk.length
        }
        hash.update(chunk)
        await handle.write(chunk)
      }
      await handle.close()
      if (size === 0)
        throw new AppError('validation', { detail: { zh: '文件内容为空', en: 'The file is empty' } })
      const sniffed = await fileTypeFromBuffer(Buffer.concat(head).subarray(0, SNIFF_BYTES))
      const mediaType = sniffed?.mime ?? 'application/octet-stream'
      if (!rules.allowedMediaTypes.includes(mediaType)) {
        throw new AppError('unsupported-media-type', {
          detail: {
            zh: `不支持的文件类型（${sniffed?.ext ?? '未知'}），仅接受：${rules.allowedMediaTypes.join('、')}`,
            en: `File type ${sniffed?.ext ?? 'unknown'} is not accepted; allowed: ${rules.allowedMediaTypes.join(', ')}`,
          },
        })
      }
      const sha256 = hash.digest('hex')
      await this.blobs.put(keyOf(sha256), { file: tmp }, mediaType)
      await this.db
        .insertInto('stored_files')
        .values({ sha256, size_bytes: size, media_type: mediaType })
        .onConflict((oc) => oc.doNothing())
        .execute()
      return { sha256, sizeBytes: size, mediaType }
    } finally {
      await handle.close().catch(() => {})
      await fs.rm(tmp, { force: true })
    }
  }

  async read(sha256: string): Promise<Readable> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw notFound()
    const content = await this.blobs.get(keyOf(sha256))
    if (!content)
      throw notFound({ zh: '文件内容已不在文件存储中', en: 'The file store no longer holds the file' })
    return content
  }

  async find(sha256: string): Promise<StoredFile | undefined> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return undefined
    const row = await this.db
      .selectFrom('stored_files')
      .selectAll()
      .where('sha256', '=', sha256)
      .executeTakeFirst()
    return row
      ? { sha256: row.sha256, sizeBytes: Number(row.size_bytes), mediaType: row.media_type }
      : undefined
  }
}

/** Where a file's content lives in the blob store. */
function keyOf(sha256: string): string {
  return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`
}

/**
 * A file name safe to show and to put in a Content-Disposition header: no directories, no control
 * characters, no leading dots, at most 120 characters. Returns undefined when nothing usable is left.
 */
export function safeFileName(name: string): string | undefined {
  const base = name.split(/[\\/]/).pop() ?? ''
  const cleaned = base
    .normalize('NFC')
    // C0 and C1 controls, characters Windows forbids, and bidirectional controls, which would let
    // "invoice_\u202Efdp.exe" show to a clerk as "invoice_exe.pdf"
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f<>:"|?*\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/^[.\s]+/, '')
    .trim()
  const chars = Array.from(cleaned)
  const result = chars.length > 120 ? chars.slice(chars.length - 120).join('') : cleaned
  return result === '' ? undefined : result
}

function formatBytes(n: number): string {
  return n >= 1_048_576 ? `${Math.round(n / 1_048_576)} MB` : `${Math.round(n / 1024)} KB`
}
