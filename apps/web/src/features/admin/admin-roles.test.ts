import { describe, expect, it } from 'vitest'
import type { TongbanClaims } from '../../auth/session.ts'
import { hasRole, sectionsFor } from './admin-roles.ts'

const staff = (...roles: string[]): TongbanClaims => ({
  sub: 's',
  account_kind: 'staff',
  roles: roles.map((role) => ({ role, departmentId: null, regionCode: '330000' })),
})

describe('admin sections by role (三员分立)', () => {
  it('gives the security admin grants and keys, never the audit log', () => {
    expect(sectionsFor(staff('security_admin'))).toEqual(['licenseTypes', 'keys', 'staff'])
  })

  it('gives the audit admin the audit log alone', () => {
    expect(sectionsFor(staff('audit_admin'))).toEqual(['audit'])
  })

  it('gives the system admin items, calendar and staff, without the audit log', () => {
    const sections = sectionsFor(staff('system_admin'))
    expect(sections).toContain('calendar')
    expect(sections).toContain('staff')
    expect(sections).not.toContain('audit')
  })

  it('gives a window clerk nothing', () => {
    expect(sectionsFor(staff('window_clerk'))).toEqual([])
    expect(hasRole(undefined, 'system_admin')).toBe(false)
  })
})
