import { describe, expect, it } from 'vitest'
import {
  actingForChoice,
  DEV_WEB_ORIGIN,
  grantedScopes,
  isAllowedRedirectUri,
  isFirstParty,
  mayGetAccessToken,
  needsConsent,
  secondFactorStep,
  WEB_CLIENT_ID,
  webClientReturnUris,
} from './sso.policy.ts'

const API = 'https://tongban.example.gov.cn/api'

describe('which client may do what', () => {
  // client × (first party, consent asked, access token for the API, access token for another resource)
  it.each([
    [WEB_CLIENT_ID, true, false, true, false],
    ['tb-department-system', false, true, false, false],
    [undefined, false, true, false, false],
    ['tongban-web ', false, true, false, false],
  ] as const)(
    '%s: first party %s, consent %s, API token %s, other token %s',
    (client, first, consent, api, other) => {
      expect(isFirstParty(client)).toBe(first)
      expect(needsConsent(client)).toBe(consent)
      expect(mayGetAccessToken(client, API, API)).toBe(api)
      expect(mayGetAccessToken(client, 'https://elsewhere.example/api', API)).toBe(other)
    },
  )

  it('grants the known scopes only, in the order asked, and openid when nothing is asked', () => {
    expect(grantedScopes('openid profile email offline_access')).toEqual([
      'openid',
      'profile',
      'offline_access',
    ])
    expect(grantedScopes(undefined)).toEqual(['openid'])
    expect(grantedScopes('admin')).toEqual([])
  })
})

describe('where a client may return to', () => {
  it.each([
    ['https://bdc.example.gov.cn/callback', true],
    ['http://localhost:8080/cb', true],
    ['http://127.0.0.1/cb', true],
    ['http://[::1]:3000/cb', true],
    ['http://bdc.example.gov.cn/callback', false],
    ['https://bdc.example.gov.cn/callback#frag', false],
    ['https://user:pw@bdc.example.gov.cn/callback', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('registering %s: %s', (uri, allowed) => {
    expect(isAllowedRedirectUri(uri)).toBe(allowed)
  })

  it('returns the web client to the Vite dev server only in development', () => {
    const publicUrl = 'https://tongban.example.gov.cn'
    expect(webClientReturnUris(publicUrl, false)).toEqual({
      redirectUris: [`${publicUrl}/auth/callback`],
      postLogoutRedirectUris: [`${publicUrl}/`],
    })
    expect(webClientReturnUris(publicUrl, true)).toEqual({
      redirectUris: [`${publicUrl}/auth/callback`, `${DEV_WEB_ORIGIN}/auth/callback`],
      postLogoutRedirectUris: [`${publicUrl}/`, `${DEV_WEB_ORIGIN}/`],
    })
  })
})

describe('which second factor an account passes', () => {
  // password check × account kind → step
  it.each([
    [{ totpRequired: true, totpEnrolled: true }, 'staff', 'totp'],
    [{ totpRequired: true, totpEnrolled: false }, 'staff', 'enrol'],
    [{ totpRequired: true }, 'person', 'totp'],
    [{ totpRequired: false }, 'staff', 'enrol'],
    [{ totpRequired: false }, 'person', undefined],
    [{ totpRequired: false }, 'company', undefined],
    [{ totpRequired: false }, undefined, undefined],
  ] as const)('%o as %s → %s', (check, kind, step) => {
    expect(secondFactorStep({ ok: true, accountId: 'a-1', ...check }, kind)).toBe(step)
  })
})

describe('whom an agent acts for', () => {
  const companies = [{ accountId: 'c-1', name: '杭州通办科技有限公司', uscc: '91330106MA2XXXXXXX' }]
  it.each([
    ['c-1', 'c-1'],
    ['c-2', ''],
    ['', ''],
  ])('choosing %j acts for %j', (chosen, actingFor) => {
    expect(actingForChoice(companies, chosen)).toBe(actingFor)
  })
})
