import { type Static, Type } from 'typebox'
import { LocalizedText } from '../common/problem.ts'
import { RegionCode } from '../org/org.ts'
import { literals } from './literals.ts'
import { ItemCode } from './vocabulary.ts'

// ---------------------------------------------------------------- implementations (实施清单)

export const UuidParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

/** 实施清单条目: one region's and department's implementation of a base item. */
export const ImplementationView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  itemCode: Type.String(),
  implementationCode: Type.String({
    description: '实施编码: the department’s USCC followed by the item code',
  }),
  name: Type.String(),
  type: Type.String(),
  typeName: LocalizedText,
  legalBasis: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  localNotes: Type.String({ description: 'Local details of this implementation (办理地点补充说明 …)' }),
  status: Type.String({ description: 'active or suspended' }),
  publishedVersion: Type.Union([Type.Integer(), Type.Null()]),
  version: Type.Integer(),
})
export type ImplementationView = Static<typeof ImplementationView>
export const ImplementationList = Type.Object({
  items: Type.Array(ImplementationView),
  total: Type.Integer(),
})

export const ImplementationQuery = Type.Object(
  {
    region: Type.Optional(RegionCode),
    department: Type.Optional(Type.String({ format: 'uuid' })),
    item: Type.Optional(ItemCode),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
  },
  { additionalProperties: false },
)
export type ImplementationQuery = Static<typeof ImplementationQuery>

/**
 * Adds an implementation. `name`, `type` and `legalBasis` may be given to state what the department
 * believes; they must equal the base item (四级四同), otherwise 400 names the differing field.
 */
export const CreateImplementation = Type.Object(
  {
    itemCode: ItemCode,
    regionCode: RegionCode,
    departmentId: Type.String({ format: 'uuid' }),
    name: Type.Optional(Type.String({ maxLength: 100 })),
    type: Type.Optional(Type.String({ maxLength: 40 })),
    legalBasis: Type.Optional(Type.String({ maxLength: 4000 })),
    localNotes: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
)
export type CreateImplementation = Static<typeof CreateImplementation>

export const UpdateImplementation = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Type.String({ maxLength: 100 })),
    type: Type.Optional(Type.String({ maxLength: 40 })),
    legalBasis: Type.Optional(Type.String({ maxLength: 4000 })),
    localNotes: Type.Optional(Type.String({ maxLength: 2000 })),
    status: Type.Optional(literals(['active', 'suspended'], 'active or suspended')),
  },
  { additionalProperties: false },
)
export type UpdateImplementation = Static<typeof UpdateImplementation>
