import fs from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { startServer } from '../main.ts'
import { createTestDatabase, TEST_MASTER_KEY } from '../testing/test-server.ts'
import { publicAccess } from './authz.ts'
import { loadConfig } from './config.ts'
import type { Module } from './module.ts'

/** A GET on a new connection (no keep-alive pool), resolving to status and body or rejecting. */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => {
          body += chunk
        })
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
      })
      .on('error', reject)
  })
}

const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

it('finishes in-flight requests, then refuses connections and closes the database', async () => {
  let arrived: () => void = () => {}
  const requestArrived = new Promise<void>((resolve) => {
    arrived = resolve
  })
  const slow: Module = {
    name: 'slow',
    tables: [],
    register(app, platform) {
      app.get('/api/v1/test/slow', { config: { policy: publicAccess } }, async () => {
        arrived()
        await new Promise((resolve) => setTimeout(resolve, 500))
        // the database must still be open at the end of an in-flight request
        const row = await platform.db.selectFrom('audit_chain_head').select('seq').executeTakeFirstOrThrow()
        return { done: true, seq: row.seq }
      })
    },
  }

  const database = await createTestDatabase()
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tongban-shutdown-'))
  cleanups.push(
    () => database.drop(),
    () => fs.rm(dataDir, { recursive: true, force: true }),
  )
  const config = loadConfig(
    {
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      MASTER_KEY: TEST_MASTER_KEY,
      DATABASE_SINGLE_ROLE: 'true',
      RATE_LIMIT_PER_MINUTE: '0',
      ROLE: 'all',
    },
    { databaseUrl: database.url },
  )
  const server = await startServer(config, { modules: [slow] })
  cleanups.push(() => server.close())
  expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  expect((await get(`${server.url}/healthz`)).status).toBe(200)

  const inFlight = get(`${server.url}/api/v1/test/slow`)
  await requestArrived
  const started = Date.now()
  const closed = server.close()

  // while the slow request is still running, a new connection is not served
  await new Promise((resolve) => setTimeout(resolve, 50))
  await expect(get(`${server.url}/healthz`)).rejects.toMatchObject({ code: 'ECONNREFUSED' })

  const response = await inFlight
  expect(response.status).toBe(200)
  expect(JSON.parse(response.body)).toEqual({ done: true, seq: 0 })
  await closed
  // it waited for the request (~500 ms) and did not hang on idle connections or workers
  const took = Date.now() - started
  expect(took).toBeGreaterThanOrEqual(400)
  expect(took).toBeLessThan(config.shutdownTimeoutMs)

  await expect(get(`${server.url}/healthz`)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  await expect(server.platform.db.selectFrom('audit_log').select('seq').execute()).rejects.toThrow()
  // closing twice is harmless
  await server.close()
}, 300_000)
