import { Type } from 'typebox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestServer, type TestServer } from '../testing/test-server.ts'
import { type Actor, authenticated, publicAccess, staffWith } from './authz.ts'
import { type AnyEvents, EventBus } from './events.ts'
import type { Module } from './module.ts'
import { auditContext } from './platform.ts'

const Note = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 50 }),
    count: Type.Integer({ minimum: 0 }),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 5 })),
  },
  { additionalProperties: false },
)

/** A module that writes an audited event, to prove a refused request writes nothing. */
const notes: Module = {
  name: 'notes',
  tables: [],
  register(app, platform) {
    app.post(
      '/api/v1/test/notes',
      { config: { policy: publicAccess }, schema: { body: Note } },
      async (request, reply) => {
        await platform.db.transaction().execute(async (trx) => {
          await new EventBus<AnyEvents>(platform.db, platform.logger).publish(
            trx,
            'note.created',
            request.body,
          )
          await platform.audit.append(trx, {
            ...auditContext(request),
            action: 'note.create',
            resourceType: 'note',
            resourceId: request.body.title,
            regionCode: null,
            outcome: 'success',
          })
        })
        return reply.code(201).send({ title: request.body.title })
      },
    )
    app.get('/api/v1/test/private', { config: { policy: authenticated } }, async () => ({ ok: true }))
    app.get('/api/v1/test/admin', { config: { policy: staffWith('system_admin') } }, async () => ({
      ok: true,
    }))
    app.get('/api/v1/test/boom', { config: { policy: publicAccess } }, async () => {
      throw new Error('secret internal detail')
    })
  },
}

let server: TestServer
const citizen: Actor = { kind: 'person', accountId: 'p-1', name: '张三', roles: [], realNameLevel: 2 }

beforeAll(async () => {
  server = await createTestServer({ modules: [notes] })
  server.platform.authenticator = async (request) =>
    request.headers.authorization === 'Bearer citizen' ? citizen : { kind: 'anonymous' }
})
afterAll(() => server?.close())

async function counts() {
  const outbox = await server.platform.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const audit = await server.platform.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return { outbox: Number(outbox.n), audit: Number(audit.n) }
}

function post(
  payload: string | Buffer,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) {
  return server.app.inject({ method: 'POST', url: '/api/v1/test/notes', payload, headers })
}

describe('request boundary', () => {
  it('accepts a valid body, including CJK characters outside the BMP', async () => {
    const response = await post(JSON.stringify({ title: '𠈌氏宗祠', count: 1 }))
    expect(response.statusCode).toBe(201)
    expect(response.json()).toEqual({ title: '𠈌氏宗祠' })
  })

  const bad: [string, string | Buffer, Record<string, string> | undefined, number, string][] = [
    ['malformed JSON', '{"title": "a",', undefined, 400, 'malformed-body'],
    ['an empty body', '', undefined, 400, 'malformed-body'],
    [
      'a wrong content type',
      'title=a&count=1',
      { 'content-type': 'application/x-www-form-urlencoded' },
      415,
      'unsupported-media-type',
    ],
    ['plain text', 'hello', { 'content-type': 'text/plain' }, 415, 'unsupported-media-type'],
    [
      'an oversized body',
      JSON.stringify({ title: 'a', count: 1, pad: 'x'.repeat(2_000_000) }),
      undefined,
      413,
      'payload-too-large',
    ],
    ['deeply nested JSON', `${'['.repeat(5000)}${']'.repeat(5000)}`, undefined, 400, 'malformed-body'],
    ['wrong types', JSON.stringify({ title: 12, count: '1' }), undefined, 400, 'validation'],
    ['unknown fields', JSON.stringify({ title: 'a', count: 1, admin: true }), undefined, 400, 'validation'],
    ['NUL bytes', JSON.stringify({ title: 'a\u0000b', count: 1 }), undefined, 400, 'validation'],
    [
      'an overlong string',
      JSON.stringify({ title: '长'.repeat(51), count: 1 }),
      undefined,
      400,
      'validation',
    ],
    [
      'invalid UTF-8',
      Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      undefined,
      400,
      'malformed-body',
    ],
    [
      'prototype poisoning',
      '{"title":"a","count":1,"__proto__":{"admin":true}}',
      undefined,
      400,
      'malformed-body',
    ],
  ]
  it.each(bad)(
    'answers %s with a problem document and writes nothing',
    async (_, payload, headers, status, code) => {
      const before = await counts()
      const response = await post(payload, headers)
      expect(response.statusCode).toBe(status)
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
      const problem = response.json()
      expect(problem).toMatchObject({ status, code, type: `https://tongban.dev/problems/${code}` })
      expect(problem.titles.zh).toMatch(/[\u4e00-\u9fff]/)
      expect(problem.titles.en).toMatch(/[A-Za-z]/)
      expect(await counts()).toEqual(before)
    },
  )

  it('lists every field error at once, with JSON Pointers and both languages', async () => {
    const response = await post(JSON.stringify({ count: -1, extra: 1, tags: ['x'.repeat(21)] }))
    const { errors } = response.json() as {
      errors: { path: string; code: string; message: { zh: string; en: string } }[]
    }
    expect(errors.map((e) => [e.path, e.code]).sort()).toEqual(
      [
        ['/count', 'minimum'],
        ['/extra', 'additionalProperties'],
        ['/tags/0', 'maxLength'],
        ['/title', 'required'],
      ].sort(),
    )
    expect(errors.find((e) => e.path === '/title')?.message).toEqual({
      zh: '此项为必填项',
      en: 'This field is required',
    })
  })

  it('resists SQL metacharacters (they are just data)', async () => {
    const title = "'; DROP TABLE audit_log; --"
    expect((await post(JSON.stringify({ title, count: 0 }))).statusCode).toBe(201)
    const row = await server.platform.db
      .selectFrom('audit_log')
      .select('resource_id')
      .where('resource_id', '=', title)
      .executeTakeFirst()
    expect(row?.resource_id).toBe(title)
  })

  it('answers in English when asked, Chinese by default', async () => {
    const zh = await server.app.inject({ method: 'GET', url: '/api/v1/nothing-here' })
    expect(zh.json().title).toBe('未找到请求的资源')
    const en = await server.app.inject({
      method: 'GET',
      url: '/api/v1/nothing-here',
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    })
    expect(en.json().title).toBe('The resource was not found')
  })

  it('hides internal errors behind a generic 500 problem', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/test/boom' })
    expect(response.statusCode).toBe(500)
    expect(response.body).not.toContain('secret internal detail')
    expect(response.json().code).toBe('internal')
  })

  it('echoes a safe request id and invents one otherwise', async () => {
    const given = await server.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'abc-12345678' },
    })
    expect(given.headers['x-request-id']).toBe('abc-12345678')
    const hostile = await server.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': '<script>' },
    })
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('sends security headers', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/healthz' })
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'")
  })
})

describe('policies', () => {
  it('answers 401 to an anonymous caller of a protected route', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/test/private' })
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('unauthenticated')
  })

  it('lets a logged-in caller through', async () => {
    const response = await server.app.inject({
      method: 'GET',
      url: '/api/v1/test/private',
      headers: { authorization: 'Bearer citizen' },
    })
    expect(response.statusCode).toBe(200)
  })

  it('answers 403 to a caller without the role, and audits the attempt', async () => {
    const response = await server.app.inject({
      method: 'GET',
      url: '/api/v1/test/admin',
      headers: { authorization: 'Bearer citizen' },
    })
    expect(response.statusCode).toBe(403)
    const [entry] = await server.platform.audit.list({ actorId: 'p-1', action: 'route.denied', limit: 1 })
    expect(entry).toMatchObject({
      outcome: 'denied',
      resourceId: 'GET /api/v1/test/admin',
      details: { policy: 'staff:system_admin' },
    })
  })

  it('refuses to start when a route declares no policy', async () => {
    const careless: Module = {
      name: 'careless',
      tables: [],
      register(app) {
        app.get('/api/v1/test/open', async () => ({}))
      },
    }
    await expect(createTestServer({ modules: [careless] })).rejects.toThrow(
      /without a policy.*\/api\/v1\/test\/open/,
    )
  })
})

describe('health and documentation', () => {
  it('reports alive and ready', async () => {
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' })
    const ready = (await server.app.inject({ method: 'GET', url: '/readyz' })).json()
    expect(ready).toMatchObject({ status: 'ready', database: server.databaseUrl ? 'postgres' : 'pglite' })
  })

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const doc = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    expect(doc.openapi).toBe('3.1.0')
    expect(
      doc.paths['/api/v1/test/notes'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['title', 'count'])
    expect(doc.components.schemas.Problem).toBeDefined()
    expect((await server.app.inject({ method: 'GET', url: '/docs/api/' })).statusCode).toBe(200)
  })
})
