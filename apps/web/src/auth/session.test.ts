import { describe, expect, it } from 'vitest'
import { toClaims } from './session.ts'

describe('toClaims', () => {
  it('keeps the claims Tongban issues, typed', () => {
    expect(
      toClaims({
        sub: 'a1',
        name: '张三',
        account_kind: 'company',
        realname_level: 2,
        id_masked: '110***********1234',
        acting_for: { sub: 'c1', name: '某某有限公司', uscc: '91350100M000100Y43' },
        roles: [{ role: 'reviewer', departmentId: 'd1', regionCode: '330106' }, 'junk'],
        extra: 'ignored',
      }),
    ).toEqual({
      sub: 'a1',
      name: '张三',
      account_kind: 'company',
      realname_level: 2,
      id_masked: '110***********1234',
      acting_for: { sub: 'c1', name: '某某有限公司', uscc: '91350100M000100Y43' },
      roles: [{ role: 'reviewer', departmentId: 'd1', regionCode: '330106' }],
    })
  })

  it('drops claims of the wrong shape', () => {
    expect(toClaims({ sub: 's', account_kind: 'admin', acting_for: 'x', roles: 'staff' })).toEqual({
      sub: 's',
    })
  })
})
