import { type Static, Type } from 'typebox'
import { LocalizedText } from '../common/problem.ts'
import { Nullable, Text } from './fields.ts'
import { WARNING_LEVELS } from './vocabulary.ts'

/** 节假日补充: an administrator's addition to the working-day calendar. */
export const CalendarAdditionBody = Type.Union([
  Type.Object(
    {
      kind: Type.Union([Type.Literal('holiday'), Type.Literal('workday')]),
      date: Type.String({ format: 'date' }),
      name: Type.Optional(Text(60)),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('year'), year: Type.Integer({ minimum: 2000, maximum: 2100 }) },
    { additionalProperties: false },
  ),
])
export type CalendarAdditionBody = Static<typeof CalendarAdditionBody>
export const CalendarAdditionView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  date: Nullable(Type.String()),
  year: Type.Union([Type.Integer(), Type.Null()]),
  name: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
})
export type CalendarAdditionView = Static<typeof CalendarAdditionView>
export const CalendarAdditionList = Type.Object({
  items: Type.Array(CalendarAdditionView),
  coveredYears: Type.Array(Type.Integer()),
})
export type CalendarAdditionList = Static<typeof CalendarAdditionList>

export const SupervisionQuery = Type.Object({
  level: Type.Optional(Type.Union(WARNING_LEVELS.map((l) => Type.Literal(l)))),
  region: Type.Optional(Type.String({ pattern: '^(\\d{6}|\\d{12})$' })),
  department: Type.Optional(Type.String({ format: 'uuid' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
})
export type SupervisionQuery = Static<typeof SupervisionQuery>
export const SupervisionCase = Type.Object({
  id: Type.String(),
  caseNo: Type.String(),
  itemName: Type.String(),
  status: Type.String(),
  regionCode: Type.String(),
  departmentId: Nullable(Type.String()),
  level: Type.String(),
  promisedDeadline: Nullable(Type.String()),
  legalDeadline: Nullable(Type.String()),
  workingDaysLeft: Type.Union([Type.Integer(), Type.Null()]),
  flag: Nullable(Type.String()),
  warning: Type.Union([LocalizedText, Type.Null()]),
})
export type SupervisionCase = Static<typeof SupervisionCase>
export const SupervisionCaseList = Type.Object({
  items: Type.Array(SupervisionCase),
  counts: Type.Record(Type.String(), Type.Integer()),
})
export type SupervisionCaseList = Static<typeof SupervisionCaseList>
export const ItemProcessingTime = Type.Object({
  implementationId: Type.String(),
  itemName: Type.String(),
  completed: Type.Integer(),
  averageWorkingDays: Type.Number(),
})
export type ItemProcessingTime = Static<typeof ItemProcessingTime>
export const ItemProcessingTimeList = Type.Object({ items: Type.Array(ItemProcessingTime) })
export type ItemProcessingTimeList = Static<typeof ItemProcessingTimeList>

/** The average processing time per item, in a region subtree and optionally one department. */
export const ProcessingTimeQuery = Type.Object({
  region: Type.Optional(Type.String({ pattern: '^(\\d{6}|\\d{12})$' })),
  department: Type.Optional(Type.String({ format: 'uuid' })),
})
export type ProcessingTimeQuery = Static<typeof ProcessingTimeQuery>
