import { type Static, Type } from 'typebox'

/** One entry of the audit log as the audit admin reads it. */
export const AuditEntryView = Type.Object({
  seq: Type.Integer(),
  occurredAt: Type.String({ format: 'date-time' }),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorKind: Type.String(),
  action: Type.String(),
  resourceType: Type.Union([Type.String(), Type.Null()]),
  resourceId: Type.Union([Type.String(), Type.Null()]),
  regionCode: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
  hash: Type.String(),
})
export type AuditEntryView = Static<typeof AuditEntryView>

/** GET /api/v1/audit: newest first; page with `beforeSeq` = the previous page's `nextBeforeSeq`. */
export const AuditQuery = Type.Object(
  {
    actorId: Type.Optional(Type.String({ maxLength: 64 })),
    resourceType: Type.Optional(Type.String({ maxLength: 64 })),
    resourceId: Type.Optional(Type.String({ maxLength: 200 })),
    action: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    beforeSeq: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
)
export type AuditQuery = Static<typeof AuditQuery>

export const AuditList = Type.Object({
  items: Type.Array(AuditEntryView),
  nextBeforeSeq: Type.Union([Type.Integer(), Type.Null()]),
})
export type AuditList = Static<typeof AuditList>
