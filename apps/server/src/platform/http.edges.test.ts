import { Type } from 'typebox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestServer, type TestServer } from '../testing/test-server.ts'
import { authenticated, publicAccess } from './authz.ts'
import { toAppError } from './http.ts'
import type { Module } from './module.ts'

// The edges of the HTTP boundary: router-level errors, throttled failures, an unavailable database, and
// what the OpenAPI document says of each operation.

const probe: Module = {
  name: 'probe',
  tables: [],
  register(app) {
    app.get(
      '/api/v1/test/things/:id',
      {
        config: { policy: publicAccess },
        schema: { params: Type.Object({ id: Type.String({ maxLength: 40 }) }) },
      },
      async () => ({ ok: true }),
    )
    app.get('/api/v1/test/private', { config: { policy: authenticated } }, async () => ({ ok: true }))
    app.get('/api/v1/test/db-down', { config: { policy: publicAccess } }, async () => {
      throw Object.assign(new Error('cannot execute in the current state'), { code: '55000' })
    })
  },
}

let server: TestServer
beforeAll(async () => {
  server = await createTestServer({ modules: [probe], config: { rateLimitPerMinute: 30 } })
})
afterAll(() => server?.close())

describe('router-level errors', () => {
  for (const [what, url] of [
    ['a bad percent-encoding', '/api/v1/test/things/%E0%A4%A'],
    ['an over-long path parameter', `/api/v1/test/things/${'x'.repeat(300)}`],
  ] as const) {
    it(`answer ${what} with a problem document and the usual security headers`, async () => {
      const response = await server.app.inject({ method: 'GET', url, remoteAddress: '10.1.1.1' })
      expect(response.statusCode).toBeGreaterThanOrEqual(400)
      expect(response.statusCode).toBeLessThan(500)
      expect(response.headers['content-type']).toContain('application/problem+json')
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'")
      expect(response.headers['x-content-type-options']).toBe('nosniff')
      expect(response.json()).toMatchObject({ titles: { zh: expect.any(String), en: expect.any(String) } })
    })
  }
})

describe('rate limiting', () => {
  it('counts requests that fail authentication', async () => {
    const answers: number[] = []
    for (let i = 0; i < 40; i += 1)
      answers.push(
        (
          await server.app.inject({
            method: 'GET',
            url: '/api/v1/test/private',
            headers: { authorization: 'Bearer not-a-token' },
            remoteAddress: '10.2.2.2',
          })
        ).statusCode,
      )
    expect(answers.filter((s) => s === 401).length).toBeLessThanOrEqual(30)
    expect(answers.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10)
  })
})

describe('an unavailable database', () => {
  it('maps connection and operator SQLSTATEs to 503, and answers with Retry-After', async () => {
    for (const code of ['08006', '57P01', '57P03', '53300', '55000'])
      expect(toAppError(Object.assign(new Error('x'), { code })).status, code).toBe(503)
    expect(toAppError(Object.assign(new Error('x'), { code: '42P01' })).status).toBe(500)
    const response = await server.app.inject({
      method: 'GET',
      url: '/api/v1/test/db-down',
      remoteAddress: '10.3.3.3',
    })
    expect(response.statusCode).toBe(503)
    expect(response.headers['retry-after']).toBe('5')
    expect(response.headers['content-type']).toContain('application/problem+json')
  })
})

describe('the OpenAPI document', () => {
  it('says who may call each operation and which problems it answers', async () => {
    const doc = (
      await server.app.inject({ method: 'GET', url: '/openapi.json', remoteAddress: '10.4.4.4' })
    ).json()
    const open = doc.paths['/api/v1/test/things/{id}'].get
    const closed = doc.paths['/api/v1/test/private'].get
    expect(open.security).toEqual([])
    expect(closed.security).toEqual([{ bearer: [] }])
    expect(Object.keys(closed.responses)).toEqual(expect.arrayContaining(['401', '403', '429', '503']))
    expect(Object.keys(open.responses)).toEqual(expect.arrayContaining(['400', '404', '429', '503']))
    expect(open.responses['401']).toBeUndefined()
    expect(closed.responses['403'].content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/Problem',
    })
    expect(doc.components.schemas.Problem.properties.type).toBeDefined()
  })
})
