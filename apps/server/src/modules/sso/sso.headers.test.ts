import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestServer, type TestServer } from '../../testing/test-server.ts'
import { createSsoModule } from './index.ts'
import { flowDirectory, WEB_CALLBACK } from './sso.flow.testing.ts'
import { DEV_WEB_ORIGIN } from './sso.policy.ts'
import { fakeSsoPorts, formAction, type Page, TestBrowser } from './sso.testing.ts'

let production: TestServer
let development: TestServer

beforeAll(async () => {
  production = await createTestServer({ modules: [createSsoModule(fakeSsoPorts(flowDirectory()))] })
  development = await createTestServer({
    modules: [createSsoModule(fakeSsoPorts(flowDirectory()), { development: true })],
  })
}, 120_000)
afterAll(async () => {
  await production?.close()
  await development?.close()
})

/** The headers every answer carries: it cannot be framed, sniffed, or leak its address. */
function expectSecurityHeaders(page: Page) {
  expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'")
  expect(page.headers['x-frame-options']).toBe('SAMEORIGIN')
  expect(page.headers['x-content-type-options']).toBe('nosniff')
  expect(page.headers['referrer-policy']).toBe('no-referrer')
  expect(page.headers['x-request-id']).toBeTruthy()
}

const authorizeUrl = (redirectUri: string, clientId = 'tongban-web') =>
  `/oidc/auth?${new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGjSstw-cM',
    code_challenge_method: 'S256',
    state: 'state-1',
  })}`

describe("the provider's own pages carry the security headers", () => {
  it('the logout confirmation cannot be framed', async () => {
    const browser = new TestBrowser(production.app)
    const page = await browser.follow(authorizeUrl(WEB_CALLBACK), WEB_CALLBACK)
    const done = await browser.follow(formAction(page.body), WEB_CALLBACK, {
      form: { login: '110101199003077777', password: 'Zhang#San2026' },
    })
    expect(done.location).toContain('code=')
    const confirm = await browser.request('/oidc/session/end')
    expect(confirm.status).toBe(200)
    expect(confirm.body).toContain('确定要退出统一身份认证吗')
    expectSecurityHeaders(confirm)
    expect(confirm.headers['content-security-policy']).toContain("script-src 'none'")
  })

  // the provider gives this page a CSP of its own that allows exactly its script, by hash
  it('the self-submitting logout page without a session: framed never, its own script only', async () => {
    const page = await new TestBrowser(production.app).request('/oidc/session/end')
    expect(page.status).toBe(200)
    expectSecurityHeaders(page)
    const script = /<script>([\s\S]*?)<\/script>/.exec(page.body)?.[1]
    expect(script).toContain('document.forms[0].submit()')
    const hash = createHash('sha256').update(script!).digest('base64')
    expect(page.headers['content-security-policy']).toContain(`script-src 'self' 'sha256-${hash}'`)
  })

  it('the discovery document and the key set', async () => {
    const browser = new TestBrowser(production.app)
    for (const url of ['/oidc/.well-known/openid-configuration', '/oidc/jwks']) {
      const page = await browser.request(url)
      expect(page.status).toBe(200)
      expectSecurityHeaders(page)
    }
  })

  it('the error page of a bad authorization request', async () => {
    const page = await new TestBrowser(production.app).request(authorizeUrl(WEB_CALLBACK, 'no-such-client'))
    expect(page.status).toBe(400)
    expect(page.body).toContain('登录出现问题')
    expectSecurityHeaders(page)
  })

  it('the login page and the expired-interaction page', async () => {
    const browser = new TestBrowser(production.app)
    const login = await browser.follow(authorizeUrl(WEB_CALLBACK), WEB_CALLBACK)
    expect(login.body).toContain('name="password"')
    expectSecurityHeaders(login)
    const expired = await browser.request('/oidc/interaction/unknown-uid')
    expect(expired.status).toBe(400)
    expectSecurityHeaders(expired)
  })
})

describe('development redirect URIs', () => {
  const devCallback = `${DEV_WEB_ORIGIN}/auth/callback`

  it('are not registered outside development: the Vite dev server cannot receive a code', async () => {
    const page = await new TestBrowser(production.app).request(authorizeUrl(devCallback))
    expect(page.status).toBe(400)
    expect(page.location).toBeUndefined()
    expect(page.body).toContain('redirect_uri')
  })

  it('are registered in development', async () => {
    const browser = new TestBrowser(development.app)
    const page = await browser.follow(authorizeUrl(devCallback), devCallback)
    expect(page.status).toBe(200)
    expect(page.body).toContain('name="password"')
  })

  it('leave the public URL registered in both', async () => {
    for (const server of [production, development]) {
      const page = await new TestBrowser(server.app).follow(authorizeUrl(WEB_CALLBACK), WEB_CALLBACK)
      expect(page.body).toContain('name="password"')
    }
  })
})
