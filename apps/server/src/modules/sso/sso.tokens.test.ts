import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authenticated, requireActor } from '../../platform/authz.ts'
import { FixedClock } from '../../platform/clock.ts'
import type { Module } from '../../platform/module.ts'
import { createTestServer, type TestServer } from '../../testing/test-server.ts'
import { createSsoModule, issueAccessToken, ssoService } from './index.ts'
import { RETIRED_KEY_PUBLISHED_MS } from './sso.keys.ts'
import { FakeDirectory, fakeSsoPorts } from './sso.testing.ts'

const directory = new FakeDirectory([
  { id: 'p-1', login: 'zhang', password: 'x', kind: 'person', name: '张三', actsFor: ['c-1'] },
  { id: 'p-2', login: 'li', password: 'x', kind: 'person', name: '李四' },
  {
    id: 'c-1',
    login: 'company',
    password: 'x',
    kind: 'company',
    name: '杭州通办科技有限公司',
    uscc: '91330106MA2XXXXXXX',
  },
  { id: 'p-9', login: 'gone', password: 'x', kind: 'person', name: '停用', disabled: true },
])

const probeModule: Module = {
  name: 'probe',
  tables: [],
  register(app) {
    app.get('/api/v1/probe/me', { config: { policy: authenticated } }, async (request) => {
      const actor = requireActor(request)
      return { accountId: actor.accountId, actingFor: actor.actingFor?.accountId ?? null }
    })
  },
}

let server: TestServer
const clock = new FixedClock(new Date())

beforeAll(async () => {
  server = await createTestServer({
    clock,
    modules: [createSsoModule(fakeSsoPorts(directory)), probeModule],
  })
}, 60_000)
afterAll(() => server?.close())

const call = (token?: string) =>
  server.app.inject({
    method: 'GET',
    url: '/api/v1/probe/me',
    headers: token ? { authorization: `Bearer ${token}` } : {},
  })

function expectUnauthenticated(response: Awaited<ReturnType<typeof call>>) {
  expect(response.statusCode).toBe(401)
  expect(response.headers['content-type']).toContain('application/problem+json')
  expect(response.json().code).toBe('unauthenticated')
}

describe('the API authenticator', () => {
  it('accepts a valid access token and resolves the actor', async () => {
    const response = await call(await issueAccessToken(server.platform, 'p-1'))
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ accountId: 'p-1', actingFor: null })
  })

  it('treats a request without a token as anonymous (401 on a route that needs a login)', async () => {
    expectUnauthenticated(await call())
  })

  it('refuses a tampered token', async () => {
    const token = await issueAccessToken(server.platform, 'p-2')
    const [header, payload, signature] = token.split('.') as [string, string, string]
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'p-1' })).toString('base64url')
    expectUnauthenticated(await call(`${header}.${forged}.${signature}`))
    expectUnauthenticated(await call(`${header}.${payload}.${signature.slice(0, -4)}AAAA`))
    expectUnauthenticated(await call('not-a-jwt'))
  })

  it('refuses an expired token, allowing 30 seconds of clock skew', async () => {
    const issuedAt = new Date(clock.now().getTime() - 620_000)
    expect((await call(await issueAccessToken(server.platform, 'p-1', { issuedAt }))).statusCode).toBe(200)
    const older = new Date(clock.now().getTime() - 640_000)
    expectUnauthenticated(await call(await issueAccessToken(server.platform, 'p-1', { issuedAt: older })))
  })

  it('stops accepting a remembered token once it expires', async () => {
    const token = await issueAccessToken(server.platform, 'p-1')
    expect((await call(token)).statusCode).toBe(200)
    clock.advance(11 * 60 * 1000)
    try {
      expectUnauthenticated(await call(token))
    } finally {
      clock.advance(-11 * 60 * 1000)
    }
  })

  it('refuses a token for another audience or from another issuer', async () => {
    expectUnauthenticated(
      await call(
        await issueAccessToken(server.platform, 'p-1', { audience: 'https://other.example.gov.cn/api' }),
      ),
    )
    const { privateKey } = await generateKeyPair('RS256')
    const foreign = await new SignJWT({ client_id: 'tongban-web', scope: 'openid' })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'foreign' })
      .setIssuer(ssoService(server.platform).issuer)
      .setAudience(ssoService(server.platform).apiResource)
      .setSubject('p-1')
      .setJti('x')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey)
    expectUnauthenticated(await call(foreign))
  })

  it('refuses a token signed with a published key but the wrong type (an ID token)', async () => {
    const sso = ssoService(server.platform)
    const key = (await sso.keys.published()).privateJwks.find((k) => k.alg === 'RS256')!
    const { importJWK } = await import('jose')
    const idToken = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: key.kid! })
      .setIssuer(sso.issuer)
      .setAudience(sso.apiResource)
      .setSubject('p-1')
      .setJti('y')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(await importJWK(key, 'RS256'))
    expectUnauthenticated(await call(idToken))
  })

  it('refuses a disabled account (401) and an agent whose authorization is gone (403)', async () => {
    expectUnauthenticated(await call(await issueAccessToken(server.platform, 'p-9')))
    const acting = await call(await issueAccessToken(server.platform, 'p-1', { actingFor: 'c-1' }))
    expect(acting.json()).toEqual({ accountId: 'p-1', actingFor: 'c-1' })
    const notAgent = await call(await issueAccessToken(server.platform, 'p-2', { actingFor: 'c-1' }))
    expect(notAgent.statusCode).toBe(403)
  })
})

describe('key rotation', () => {
  it('signs with the new key and keeps old tokens verifiable until the old key is unpublished', async () => {
    const sso = ssoService(server.platform)
    const before = await issueAccessToken(server.platform, 'p-1')
    const oldKid = JSON.parse(Buffer.from(before.split('.')[0]!, 'base64url').toString()).kid
    const [newRsaKid, newEcKid] = await sso.rotateKeys()

    const after = await issueAccessToken(server.platform, 'p-1')
    expect(JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString()).kid).toBe(newEcKid)
    expect((await call(before)).statusCode).toBe(200)
    expect((await call(after)).statusCode).toBe(200)

    const jwks = await server.app.inject({
      method: 'GET',
      url: '/oidc/jwks',
      headers: { host: '127.0.0.1:3000' },
    })
    const kids = (jwks.json() as { keys: { kid: string }[] }).keys.map((k) => k.kid)
    expect(kids).toEqual(expect.arrayContaining([oldKid, newRsaKid, newEcKid]))
    // the provider signs with the first key of an algorithm: the current ones come first
    expect(kids.slice(0, 2).sort()).toEqual([newRsaKid, newEcKid].sort())

    clock.advance(RETIRED_KEY_PUBLISHED_MS + 1000)
    try {
      const published = (await sso.keys.published()).publicJwks.map((k) => k.kid)
      expect(published).not.toContain(oldKid)
      expect(published).toEqual(expect.arrayContaining([newRsaKid, newEcKid]))
    } finally {
      clock.advance(-(RETIRED_KEY_PUBLISHED_MS + 1000))
    }
  })

  it('stores private keys encrypted', async () => {
    const rows = await server.platform.db
      .selectFrom('oidc_signing_keys')
      .select(['private_jwk_encrypted', 'public_jwk'])
      .execute()
    for (const row of rows) {
      expect(row.private_jwk_encrypted).not.toContain('"d"')
      expect(row.public_jwk).not.toHaveProperty('d')
    }
    void exportJWK
  })
})

describe('provider storage', () => {
  it('finds, consumes, revokes by grant and cleans up expired artefacts', async () => {
    const { Adapter } = ssoService(server.platform)
    const codes = new Adapter('AuthorizationCode')
    await codes.upsert('code-1', { grantId: 'g-1', uid: 'u-1', accountId: 'p-1' }, 60)
    await codes.upsert('code-2', { grantId: 'g-2' }, 60)
    expect(await codes.find('code-1')).toMatchObject({ accountId: 'p-1' })
    expect(await codes.findByUid('u-1')).toMatchObject({ grantId: 'g-1' })
    await codes.consume('code-1')
    expect((await codes.find('code-1'))?.consumed).toEqual(expect.any(Number))
    await codes.revokeByGrantId('g-1')
    expect(await codes.find('code-1')).toBeUndefined()
    expect(await codes.find('code-2')).toBeDefined()

    await server.platform.db
      .updateTable('oidc_payloads')
      .set({ expires_at: new Date(Date.now() - 3_600_000) })
      .where('id', '=', 'code-2')
      .execute()
    expect(await codes.find('code-2')).toBeUndefined()
    expect(await ssoService(server.platform).cleanUp()).toBeGreaterThanOrEqual(1)
    const left = await server.platform.db
      .selectFrom('oidc_payloads')
      .select('id')
      .where('id', '=', 'code-2')
      .execute()
    expect(left).toEqual([])
  })
})

describe('keys rotated by another process', () => {
  it('are picked up by the running provider', async () => {
    const sso = ssoService(server.platform)
    expect(await sso.reloadKeysIfChanged()).toBe(false)
    const { SigningKeyStore } = await import('./sso.keys.ts')
    const [, newEcKid] = await new SigningKeyStore(server.platform.db, server.platform.vault, clock).rotate()
    expect(await sso.reloadKeysIfChanged()).toBe(true)
    const token = await issueAccessToken(server.platform, 'p-1')
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid).toBe(newEcKid)
    expect((await call(token)).statusCode).toBe(200)
    const jwks = await server.app.inject({
      method: 'GET',
      url: '/oidc/jwks',
      headers: { host: '127.0.0.1:3000' },
    })
    expect((jwks.json() as { keys: { kid: string }[] }).keys.map((k) => k.kid)).toContain(newEcKid)
  })
})

describe('tongban sso rotate-keys', () => {
  it('rotates the keys and audits it', async () => {
    const { cliCommands } = await import('../cli.ts')
    const command = cliCommands.find((c) => c.command === 'sso' && c.subcommand === 'rotate-keys')!
    const before = await server.platform.db
      .selectFrom('oidc_signing_keys')
      .select('kid')
      .where('retired_at', 'is', null)
      .execute()
    const log = console.log
    console.log = () => {}
    try {
      expect(await command.run(server.platform, {})).toBe(0)
    } finally {
      console.log = log
    }
    const current = await server.platform.db
      .selectFrom('oidc_signing_keys')
      .select('kid')
      .where('retired_at', 'is', null)
      .execute()
    expect(current).toHaveLength(2)
    expect(current.map((k) => k.kid)).not.toEqual(expect.arrayContaining(before.map((k) => k.kid)))
    const audit = await server.platform.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'sso.keys.rotated')
      .execute()
    expect(audit).toHaveLength(1)
  })
})

describe('signing keys under a replaced master key', () => {
  it('retires keys it cannot decrypt and signs with new ones', async () => {
    const { PersonalDataVault } = await import('../../platform/crypto.ts')
    const { SigningKeyStore } = await import('./sso.keys.ts')
    const other = new SigningKeyStore(
      server.platform.db,
      new PersonalDataVault(new Uint8Array(32).fill(7)),
      clock,
    )
    const before = await server.platform.db
      .selectFrom('oidc_signing_keys')
      .select('kid')
      .where('retired_at', 'is', null)
      .execute()
    const keys = await other.load()
    expect(keys.privateJwks.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256'])
    expect(keys.privateJwks.map((k) => k.kid)).not.toEqual(expect.arrayContaining([before[0]!.kid]))
    // the old keys are still published for verification
    expect(keys.publicJwks.map((k) => k.kid)).toEqual(expect.arrayContaining(before.map((k) => k.kid)))
    // and the original store now finds the new keys undecryptable in turn: it rotates back
    const again = await ssoService(server.platform).keys.load()
    const current = await server.platform.db
      .selectFrom('oidc_signing_keys')
      .select('kid')
      .where('retired_at', 'is', null)
      .execute()
    expect(current).toHaveLength(2)
    for (const alg of ['RS256', 'ES256'])
      expect(current.map((k) => k.kid)).toContain(again.privateJwks.find((k) => k.alg === alg)?.kid)
  })
})
