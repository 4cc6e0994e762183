import { describe, expect, it } from 'vitest'
import { tokenFrom } from './token.ts'

describe('tokenFrom', () => {
  it('takes the token out of a verification link, as a QR code carries it', () => {
    expect(tokenFrom(' https://gov.example/verify/license?t=1.abc.def.123.mac \n')).toBe('1.abc.def.123.mac')
    expect(tokenFrom('http://127.0.0.1:3000/verify/license?token=1.x')).toBe('1.x')
  })

  it('keeps a bare token, or a link without one, as pasted (the server judges it)', () => {
    expect(tokenFrom('1.abc.def')).toBe('1.abc.def')
    expect(tokenFrom('https://tongban.example/v/abc123')).toBe('https://tongban.example/v/abc123')
  })
})
