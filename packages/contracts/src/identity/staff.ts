import { type Static, Type } from 'typebox'
import { RoleGrantView, StaffRole } from './accounts.ts'

/** A staff account as administrators see it. */
export const StaffView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  name: Type.String(),
  regionCode: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  totpEnabled: Type.Boolean(),
  roles: Type.Array(RoleGrantView),
})
export type StaffView = Static<typeof StaffView>

/** The new staff account and its initial password, shown this once. */
export const CreatedStaff = Type.Object({
  account: StaffView,
  initialPassword: Type.String({ description: 'Shown once; hand it over in person' }),
})
export type CreatedStaff = Static<typeof CreatedStaff>

/** POST /api/v1/staff: a system admin creates a staff account in their region (no roles: see role grants). */
export const CreateStaff = Type.Object(
  {
    username: Type.String({ pattern: '^[a-z][a-z0-9._-]{2,39}$' }),
    name: Type.String({ minLength: 1, maxLength: 50 }),
    regionCode: Type.String({ pattern: '^(\\d{6}|\\d{12})$' }),
    phone: Type.Optional(Type.String({ pattern: '^1\\d{10}$' })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 120 })),
  },
  { additionalProperties: false },
)
export type CreateStaff = Static<typeof CreateStaff>

/** POST /api/v1/staff/:id/roles: a security admin grants a role within their region subtree. */
export const GrantRole = Type.Object(
  {
    role: StaffRole,
    departmentId: Type.Optional(
      Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
        description:
          'Required for window_clerk, reviewer, approver and department_admin; absent for the admin roles',
      }),
    ),
    regionCode: Type.String({ pattern: '^(\\d{6}|\\d{12})$' }),
  },
  { additionalProperties: false },
)
export type GrantRole = Static<typeof GrantRole>

export const RoleGrantParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  grantId: Type.String({ format: 'uuid' }),
})
export type RoleGrantParams = Static<typeof RoleGrantParams>
