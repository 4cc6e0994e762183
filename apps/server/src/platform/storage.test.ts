import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestS3, type TestS3 } from '../testing/s3.ts'
import { AppError } from './errors.ts'
import { type BlobStore, DirectoryBlobStore, S3BlobStore } from './storage.ts'

async function text(stream: Readable | undefined): Promise<string | undefined> {
  if (!stream) return undefined
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

let s3: TestS3
let dir: string
beforeAll(async () => {
  s3 = await startTestS3()
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tongban-blobs-'))
}, 60_000)
afterAll(async () => {
  await s3?.close()
  await fs.rm(dir, { recursive: true, force: true })
})

const stores: [string, () => BlobStore][] = [
  ['a directory', () => new DirectoryBlobStore(dir)],
  ['an S3-compatible store (s3rver)', () => new S3BlobStore(s3.options)],
  ['an S3-compatible store under a prefix', () => new S3BlobStore({ ...s3.options, prefix: 'province-33' })],
]

describe.each(stores)('the blob store on %s', (_, open) => {
  it('puts, gets, tells and lists keys; a missing key is undefined, not an error', async () => {
    const store = open()
    const run = `run-${Math.random().toString(36).slice(2)}`
    await store.put(`${run}/ab/cd/one`, Buffer.from('第一份材料'), 'text/plain')
    const staged = path.join(dir, `staged-${run}`)
    await fs.writeFile(staged, '第二份')
    await store.put(`${run}/ab/two`, { file: staged })
    await expect(fs.access(staged)).rejects.toThrow()
    expect(await text(await store.get(`${run}/ab/cd/one`))).toBe('第一份材料')
    expect(await text(await store.get(`${run}/ab/two`))).toBe('第二份')
    expect(await store.get(`${run}/ab/missing`)).toBeUndefined()
    expect(await store.has(`${run}/ab/two`)).toBe(true)
    expect(await store.has(`${run}/nothing`)).toBe(false)
    expect(await store.list(`${run}/ab`)).toEqual([`${run}/ab/cd/one`, `${run}/ab/two`])
    expect(await store.list(`${run}/none`)).toEqual([])
    await store.put(`${run}/ab/two`, Buffer.from('替换'))
    expect(await text(await store.get(`${run}/ab/two`))).toBe('替换')
  })

  it('refuses keys that could leave the store', async () => {
    const store = open()
    for (const key of ['../etc/passwd', 'a/../../b', '/abs', 'a//b', ''])
      await expect(store.put(key, Buffer.from('x'))).rejects.toThrow(/not a storage key/)
  })
})

describe('an unreachable store', () => {
  it('answers 503 (unavailable), never "missing"', async () => {
    const store = new S3BlobStore({ ...s3.options, endpoint: 'http://127.0.0.1:9' })
    const operations = [
      () => store.get('a/b'),
      () => store.has('a/b'),
      () => store.list('a'),
      () => store.put('a/b', Buffer.from('x')),
    ]
    for (const operation of operations) {
      const error = await operation().then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).status).toBe(503)
    }
  })
})
