import { type Static, Type } from 'typebox'
import { Nullable } from './fields.ts'
import { TimeLimitSummary } from './views.ts'
import { CASE_STATUSES } from './vocabulary.ts'

const day = (description: string) => Type.String({ format: 'date', description })

/** 办件查询 (staff): cases within the caller's departments and regions. */
export const CaseSearchQuery = Type.Object(
  {
    caseNo: Type.Optional(
      Type.String({ minLength: 1, maxLength: 40, description: 'Case number, or its beginning' }),
    ),
    item: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'Item code or implementation id (exact), or part of the item name',
      }),
    ),
    status: Type.Optional(Type.Union(CASE_STATUSES.map((s) => Type.Literal(s)))),
    applicant: Type.Optional(
      Type.String({ minLength: 1, maxLength: 50, description: 'Beginning of the applicant’s name' }),
    ),
    from: Type.Optional(day('Submitted on or after this Asia/Shanghai date')),
    to: Type.Optional(day('Submitted on or before this Asia/Shanghai date')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  },
  { additionalProperties: false },
)
export type CaseSearchQuery = Static<typeof CaseSearchQuery>

/** One case in a staff search: no form data, the applicant's name masked (张*), the time limit in brief. */
export const CaseSearchItem = Type.Object({
  id: Type.String(),
  caseNo: Type.String(),
  status: Type.String(),
  itemCode: Nullable(Type.String()),
  itemName: Type.String(),
  implementationId: Nullable(Type.String()),
  bundleId: Nullable(Type.String()),
  parentId: Nullable(Type.String()),
  regionCode: Type.String(),
  departmentId: Nullable(Type.String()),
  applicant: Type.Object({
    kind: Nullable(Type.String()),
    name: Nullable(Type.String({ description: 'A person’s name is masked (张*); a company’s is shown' })),
  }),
  submittedAt: Type.String({ format: 'date-time' }),
  version: Type.Integer(),
  timeLimit: TimeLimitSummary,
})
export type CaseSearchItem = Static<typeof CaseSearchItem>
export const CaseSearchResult = Type.Object({ items: Type.Array(CaseSearchItem), total: Type.Integer() })
export type CaseSearchResult = Static<typeof CaseSearchResult>
