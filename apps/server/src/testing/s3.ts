import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import S3rver from 's3rver'
import type { S3Options } from '../platform/storage.ts'

/** An S3-protocol server on loopback (s3rver) with one bucket, for tests of the S3 blob store. */
export interface TestS3 {
  options: S3Options
  /** The environment that points a server process at it (FILE_STORE=s3 …). */
  env: Record<string, string>
  close(): Promise<void>
}

/** Starts s3rver on a free port with a fresh directory and the bucket `tongban`. */
export async function startTestS3(): Promise<TestS3> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'tongban-s3-'))
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: 'tongban', configs: [] }],
  })
  const { port } = await server.run()
  const endpoint = `http://127.0.0.1:${port}`
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }
  return {
    options: { endpoint, region: 'us-east-1', bucket: 'tongban', ...credentials },
    env: {
      FILE_STORE: 's3',
      S3_ENDPOINT: endpoint,
      S3_BUCKET: 'tongban',
      S3_ACCESS_KEY_ID: credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
    async close() {
      await server.close()
      await fs.rm(directory, { recursive: true, force: true })
    },
  }
}
