import { describe, expect, it } from 'vitest'
import { registrationBody } from './register-page.tsx'

describe('registrationBody', () => {
  it('trims, reads x as X and leaves out blank contacts and the repeated password', () => {
    expect(
      registrationBody({
        name: ' 林晓 ',
        idNumber: ' 33010619900307271x ',
        phone: '  ',
        email: '',
        password: 'Secret#2026x',
        passwordAgain: 'Secret#2026x',
      }),
    ).toEqual({ name: '林晓', idNumber: '33010619900307271X', password: 'Secret#2026x' })
  })

  it('keeps the phone and e-mail given', () => {
    expect(
      registrationBody({
        name: '林晓',
        idNumber: '330106199003072710',
        phone: '13912345678',
        email: 'lin@example.cn',
        password: 'p',
        passwordAgain: 'p',
      }),
    ).toMatchObject({ phone: '13912345678', email: 'lin@example.cn' })
  })
})
