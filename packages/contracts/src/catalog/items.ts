import { type Static, Type } from 'typebox'
import { LocalizedText } from '../common/problem.ts'
import { DepartmentKind } from '../org/org.ts'
import { AudienceCode, ItemCode, ItemLevelCode, ItemTypeCode, ThemeCode } from './vocabulary.ts'

// ---------------------------------------------------------------- base items (基本目录)

export const ItemCodeParams = Type.Object({ code: ItemCode })

const itemFields = {
  name: Type.String({ minLength: 2, maxLength: 100 }),
  type: ItemTypeCode,
  legalBasis: Type.String({ minLength: 2, maxLength: 4000, description: '设定依据' }),
  departmentKind: DepartmentKind,
  levels: Type.Array(ItemLevelCode, { minItems: 1, maxItems: 4, uniqueItems: true }),
  audience: Type.Array(AudienceCode, { minItems: 1, maxItems: 2, uniqueItems: true }),
  themes: Type.Array(ThemeCode, { maxItems: 10, uniqueItems: true }),
  keywords: Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 30, uniqueItems: true }),
  description: Type.String({ maxLength: 2000 }),
}

/** 基本目录事项 as the API shows it. */
export const ItemView = Type.Object({
  code: Type.String(),
  ...itemFields,
  typeName: LocalizedText,
  departmentKindName: LocalizedText,
  version: Type.Integer(),
})
export type ItemView = Static<typeof ItemView>
export const ItemList = Type.Object({ items: Type.Array(ItemView), total: Type.Integer() })
export type ItemList = Static<typeof ItemList>

export const ItemQuery = Type.Object(
  {
    type: Type.Optional(ItemTypeCode),
    departmentKind: Type.Optional(Type.String({ maxLength: 40 })),
    theme: Type.Optional(ThemeCode),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
  },
  { additionalProperties: false },
)
export type ItemQuery = Static<typeof ItemQuery>

/** Adds an item to the base catalog (system administrator). */
export const CreateItem = Type.Object(
  {
    code: ItemCode,
    ...itemFields,
    themes: Type.Optional(itemFields.themes),
    keywords: Type.Optional(itemFields.keywords),
    description: Type.Optional(itemFields.description),
  },
  { additionalProperties: false },
)
export type CreateItem = Static<typeof CreateItem>

/** Changes a base item; the code never changes. Implementations that then differ show in the consistency report. */
export const UpdateItem = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(itemFields.name),
    type: Type.Optional(ItemTypeCode),
    legalBasis: Type.Optional(itemFields.legalBasis),
    levels: Type.Optional(itemFields.levels),
    audience: Type.Optional(itemFields.audience),
    themes: Type.Optional(itemFields.themes),
    keywords: Type.Optional(itemFields.keywords),
    description: Type.Optional(itemFields.description),
  },
  { additionalProperties: false },
)
export type UpdateItem = Static<typeof UpdateItem>
