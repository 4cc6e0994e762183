import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDb, type TestDb } from '../../test/database.ts'
import { AppError } from './errors.ts'
import { ContentStore, MATERIAL_MEDIA_TYPES, type PutRules, safeFileName } from './files.ts'
import { DirectoryBlobStore } from './storage.ts'

// a real 1×1 PNG
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
)
const PDF = Buffer.from(
  '%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
)
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]),
  Buffer.alloc(64),
])

/** A ZIP archive holding one stored file. */
function zipOf(name: string, content: Buffer): Buffer {
  const fileName = Buffer.from(name)
  const header = Buffer.alloc(30)
  header.writeUInt32LE(0x04034b50, 0)
  header.writeUInt16LE(20, 4)
  header.writeUInt32LE(content.length, 18)
  header.writeUInt32LE(content.length, 22)
  header.writeUInt16LE(fileName.length, 26)
  return Buffer.concat([header, fileName, content])
}

const rules: PutRules = { maxBytes: 64 * 1024, allowedMediaTypes: MATERIAL_MEDIA_TYPES }
const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex')

let testDb: TestDb
let root: string
let store: ContentStore

/** Every file under the store's root, relative, temporary ones included. */
async function filesOnDisk(): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort()
}

async function rowCount(): Promise<number> {
  const row = await testDb.handle.db
    .selectFrom('stored_files')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

beforeAll(async () => {
  testDb = await openTestDb()
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'tongban-files-'))
  store = new ContentStore(new DirectoryBlobStore(root), path.join(root, 'tmp'), testDb.handle.db)
}, 180_000)
afterAll(async () => {
  await testDb?.drop()
  await fs.rm(root, { recursive: true, force: true })
})

describe('ContentStore on a directory', () => {
  it('stores content under its SHA-256, once however often it is put', async () => {
    const first = await store.put(PDF, rules)
    const second = await store.put(Readable.from([PDF.subarray(0, 10), PDF.subarray(10)]), rules)
    expect(first).toEqual({ sha256: sha256(PDF), sizeBytes: PDF.length, mediaType: 'application/pdf' })
    expect(second).toEqual(first)

    const hash = sha256(PDF)
    expect(await filesOnDisk()).toEqual([path.join(hash.slice(0, 2), hash.slice(2, 4), hash)])
    expect(await rowCount()).toBe(1)
    expect(await store.find(hash)).toEqual(first)

    const chunks: Buffer[] = []
    for await (const chunk of await store.read(hash)) chunks.push(chunk as Buffer)
    expect(Buffer.concat(chunks).equals(PDF)).toBe(true)
  })

  it('judges the type from the content, not the name: a PNG called .pdf is image/png', async () => {
    const name = safeFileName('营业执照副本.pdf')
    expect(name).toBe('营业执照副本.pdf')
    const stored = await store.put(PNG, rules)
    expect(stored.mediaType).toBe('image/png')
    expect((await store.put(JPEG, rules)).mediaType).toBe('image/jpeg')
    expect((await store.find(stored.sha256))?.mediaType).toBe('image/png')
  })

  const disguised: [string, Buffer][] = [
    ['plain text', Buffer.from('这是一份申请书，不是 PDF。')],
    ['HTML with a script', Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>')],
    [
      'SVG with a script',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ],
    [
      'an ELF executable',
      Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]),
    ],
    ['a Windows executable', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)])],
    ['a ZIP archive', zipOf('申请书.pdf', PDF)],
  ]
  it.each(disguised)('refuses %s claiming to be a PDF with 415 and keeps nothing', async (_, content) => {
    const filesBefore = await filesOnDisk()
    const rowsBefore = await rowCount()
    const error = await rejection(store.put(content, rules))
    expect(error.code).toBe('unsupported-media-type')
    expect(error.status).toBe(415)
    expect(await filesOnDisk()).toEqual(filesBefore)
    expect(await rowCount()).toBe(rowsBefore)
  })

  it('refuses an oversized upload with 413 while streaming, and leaves no temporary file behind', async () => {
    const filesBefore = await filesOnDisk()
    const rowsBefore = await rowCount()
    let produced = 0
    const endless = new Readable({
      read() {
        produced += 1
        this.push(produced === 1 ? PDF : Buffer.alloc(16 * 1024, produced))
        if (produced > 100) this.push(null)
      },
    })
    const error = await rejection(store.put(endless, { ...rules, maxBytes: 32 * 1024 }))
    expect(error.code).toBe('payload-too-large')
    expect(error.status).toBe(413)
    expect(error.detail?.zh).toContain('32 KB')
    // it stopped reading soon after the limit rather than consuming the whole stream
    expect(produced).toBeLessThan(10)
    expect(endless.destroyed).toBe(true)
    expect(await filesOnDisk()).toEqual(filesBefore)
    expect(await fs.readdir(path.join(root, 'tmp'))).toEqual([])
    expect(await rowCount()).toBe(rowsBefore)
  })

  it('accepts a file of exactly the limit', async () => {
    const content = Buffer.concat([PDF, Buffer.alloc(1024 - PDF.length, 0x20)])
    expect((await store.put(content, { ...rules, maxBytes: 1024 })).sizeBytes).toBe(1024)
  })

  it('refuses an empty file', async () => {
    const error = await rejection(store.put(Buffer.alloc(0), rules))
    expect(error.code).toBe('validation')
    expect(error.status).toBe(400)
    expect(await fs.readdir(path.join(root, 'tmp'))).toEqual([])
  })

  it('never reads outside the store', async () => {
    await expect(store.read('../../etc/passwd')).rejects.toThrow(AppError)
    expect(await store.find('../../etc/passwd')).toBeUndefined()
    expect(await store.find('0'.repeat(64))).toBeUndefined()
  })
})

describe('safeFileName', () => {
  const cases: [string, string | undefined][] = [
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\win.ini', 'win.ini'],
    ['C:\\Users\\张三\\身份证正面.jpg', '身份证正面.jpg'],
    ['营业执照副本.pdf', '营业执照副本.pdf'],
    ['𠈌氏宗祠 申请表.pdf', '𠈌氏宗祠 申请表.pdf'],
    ['申请\u0000书\r\n.pdf', '申请书.pdf'],
    ['\u0007bell\u001b[31m.pdf', 'bell[31m.pdf'],
    ['.htaccess', 'htaccess'],
    ['...  .bashrc', 'bashrc'],
    ['a<b>c:d"e|f?g*h.pdf', 'abcdefgh.pdf'],
    ['cafe\u0301.pdf', 'café.pdf'],
    // right-to-left override would show "invoice_fdp.exe" as "invoice_exe.pdf"
    ['invoice_\u202Efdp.exe', 'invoice_fdp.exe'],
    ['report\u0085\u009b.pdf', 'report.pdf'],
    ['..', undefined],
    ['../', undefined],
    ['', undefined],
    ['\u0000\u0001', undefined],
  ]
  it.each(cases)('%j → %j', (input, expected) => {
    expect(safeFileName(input)).toBe(expected)
  })

  it('keeps at most 120 characters, and the extension', () => {
    const name = safeFileName(`${'长'.repeat(300)}.pdf`)
    expect(Array.from(name ?? '')).toHaveLength(120)
    expect(name?.endsWith('长.pdf')).toBe(true)
  })
})
