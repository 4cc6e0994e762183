import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { loggerOptions, maskIdentifiers } from './logger.ts'

const ID = '110101199003071234'
const ID_X = '11010519491231002X'
const MOBILE = '13812345678'

describe('maskIdentifiers', () => {
  it.each([
    [ID, '110***********1234'],
    [ID_X, '110***********002X'],
    ['11010519491231002x', '110***********002x'],
    [MOBILE, '138****5678'],
    [`身份证号码：${ID}，联系电话${MOBILE}。`, '身份证号码：110***********1234，联系电话138****5678。'],
    [
      `/api/v1/profiles?idNumber=${ID_X}&phone=${MOBILE}`,
      '/api/v1/profiles?idNumber=110***********002X&phone=138****5678',
    ],
    [`"idNumber":"${ID}"`, '"idNumber":"110***********1234"'],
    ['tel:+8613812345678', 'tel:+86138****5678'],
    ['tel:+86-13812345678', 'tel:+86-138****5678'],
  ])('masks %j', (input, expected) => {
    expect(maskIdentifiers(input)).toBe(expected)
  })

  it.each([
    ['a 20-digit order number', '20261122123456789012'],
    ['a 19-digit bank card number', '6222021234567890123'],
    ['a 12-digit township code', '110101001001'],
    ['a 13-digit millisecond timestamp', '1763850000000'],
    ['an 11-digit number that is not a mobile number', '12345678901'],
    ['a landline', '010-65123456'],
    ['a case number', 'TB-110101-20261122-000123'],
    ['a USCC', '91110000600037341L'],
    ['a UUID', '3f2a1b13-8123-4567-8a9b-138123456789'],
  ])('leaves %s alone', (_, input) => {
    expect(maskIdentifiers(input)).toBe(input)
  })
})

describe('loggerOptions', () => {
  function capture() {
    const lines: string[] = []
    const logger = pino(loggerOptions('trace'), { write: (line: string) => void lines.push(line) })
    return { logger, output: () => lines.join('') }
  }

  it('never writes a password, a token, an authorization header or a clear identifier', () => {
    const { logger, output } = capture()
    logger.info({ password: 'hunter2-secret' }, 'login attempt')
    logger.info({ body: { newPassword: 'hunter3-secret', currentPassword: 'hunter4-secret' } })
    logger.info({ form: { account: { password: 'hunter5-secret' } } })
    logger.info({
      req: {
        method: 'GET',
        url: `/x?idNumber=${ID}`,
        id: 'r1',
        headers: { authorization: 'Bearer abc.def.ghi' },
      },
    })
    logger.info({ headers: { authorization: 'Bearer jkl.mno.pqr', cookie: 'sid=cookie-secret' } })
    logger.info({ authorization: 'Basic dXNlcjpzZWNyZXQ=' })
    logger.info({ idNumber: ID, phone: MOBILE }, 'citizen registered')
    logger.info({ applicant: { idNumber: ID_X } })
    logger.info(`lookup of ${ID} by ${MOBILE}`)
    logger.info('lookup of %s', ID_X)
    logger.warn({ query: { q: ID, contacts: [MOBILE] } }, 'search')
    logger.error(
      { err: new Error(`duplicate key value violates unique constraint: (id_number)=(${ID})`) },
      'failed',
    )
    logger.child({ caller: ID_X }).info('child logger')

    const text = output()
    expect(text.split('\n').filter(Boolean)).toHaveLength(13)
    for (const secret of [
      'hunter2-secret',
      'hunter3-secret',
      'hunter4-secret',
      'hunter5-secret',
      'abc.def.ghi',
      'jkl.mno.pqr',
      'cookie-secret',
      'dXNlcjpzZWNyZXQ=',
      ID,
      ID_X,
      MOBILE,
    ]) {
      expect(text).not.toContain(secret)
    }
    expect(text).toContain('110***********1234')
    expect(text).toContain('citizen registered')
  })

  it('keeps the useful parts of a request', () => {
    const { logger, output } = capture()
    logger.info({
      req: { method: 'POST', url: '/api/v1/cases', id: 'req-12345678', ip: '10.1.2.3', headers: {} },
    })
    expect(JSON.parse(output())).toMatchObject({
      req: { method: 'POST', url: '/api/v1/cases', id: 'req-12345678', ip: '10.1.2.3' },
    })
  })

  it('keeps error codes, hides one-time codes and credentials in request URLs', () => {
    const { logger, output } = capture()
    const missing = Object.assign(new Error('no such file'), { code: 'ENOENT' })
    logger.error({ err: missing }, 'read failed')
    logger.error({ err: Object.assign(new Error('duplicate'), { code: '23505' }) }, 'insert failed')
    logger.info({ body: { code: '482913' } }, 'code confirmed')
    logger.info({
      req: { method: 'GET', url: '/api/v1/licenses/verify?token=eyJsecret.token&lang=zh', id: 'r2' },
    })
    logger.info({ req: { method: 'GET', url: '/oidc/cb?code=authz-secret&state=s1', id: 'r3' } })
    const text = output()
    expect(text).toContain('"code":"ENOENT"')
    expect(text).toContain('"code":"23505"')
    for (const secret of ['482913', 'eyJsecret.token', 'authz-secret']) expect(text).not.toContain(secret)
    expect(text).toContain('/api/v1/licenses/verify?token=[redacted]&lang=zh')
  })

  it('respects the level', () => {
    const lines: string[] = []
    const logger = pino(loggerOptions('warn'), { write: (line: string) => void lines.push(line) })
    logger.info('quiet')
    logger.warn('loud')
    expect(lines).toHaveLength(1)
  })
})
