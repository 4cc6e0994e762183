import { type Static, Type } from 'typebox'
import { FieldError } from '../common/problem.ts'
import { RegionCode } from '../org/org.ts'
import { literals } from './literals.ts'

export const ConsistencyViolation = Type.Object({
  implementationId: Type.String(),
  itemCode: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  field: Type.String({ description: 'code, name, type or legalBasis' }),
  expected: Type.String(),
  actual: Type.String(),
})
export const ConsistencyReport = Type.Object({
  checked: Type.Integer(),
  violations: Type.Array(ConsistencyViolation),
})
export type ConsistencyReport = Static<typeof ConsistencyReport>
export const ConsistencyQuery = Type.Object(
  { region: Type.Optional(RegionCode) },
  { additionalProperties: false },
)

export const ImportQuery = Type.Object(
  {
    dryRun: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
)
export const ExportQuery = Type.Object(
  { format: Type.Optional(literals(['json', 'csv'], 'json or csv')) },
  { additionalProperties: false },
)

/** One base item in an import file (JSON form; the CSV form has the same columns, lists joined by `|`). */
export const ImportItemRow = Type.Object({
  code: Type.String(),
  name: Type.String(),
  type: Type.String(),
  legalBasis: Type.String(),
  departmentKind: Type.String(),
  levels: Type.Array(Type.String()),
  audience: Type.Array(Type.String()),
  themes: Type.Optional(Type.Array(Type.String())),
  keywords: Type.Optional(Type.Array(Type.String())),
  description: Type.Optional(Type.String()),
})
/** One implementation in an import file; the department is named by its USCC so files travel between deployments. */
export const ImportImplementationRow = Type.Object({
  itemCode: Type.String(),
  regionCode: Type.String(),
  departmentUscc: Type.String(),
  name: Type.String(),
  type: Type.String(),
  legalBasis: Type.String(),
  localNotes: Type.Optional(Type.String()),
})
export const CatalogFile = Type.Object(
  {
    items: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 100_000 })),
    implementations: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 100_000 })),
  },
  { additionalProperties: false },
)
export type CatalogFile = Static<typeof CatalogFile>

export const ImportRowError = Type.Object({
  line: Type.Integer({
    description: 'CSV: the file line (header is line 1); JSON: 1-based index in its list',
  }),
  record: Type.String({ description: 'item or implementation' }),
  errors: Type.Array(FieldError),
})
export const ImportResult = Type.Object({
  ok: Type.Boolean(),
  dryRun: Type.Boolean(),
  committed: Type.Boolean(),
  items: Type.Object({ created: Type.Integer(), updated: Type.Integer() }),
  implementations: Type.Object({ created: Type.Integer(), updated: Type.Integer() }),
  errors: Type.Array(ImportRowError),
  inconsistent: Type.Array(Type.Object({ line: Type.Integer(), fields: Type.Array(Type.String()) }), {
    description: 'Implementations stored as imported but differing from their base item (四级四同 flagged)',
  }),
})
export type ImportResult = Static<typeof ImportResult>
