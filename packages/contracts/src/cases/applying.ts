import { type Static, Type } from 'typebox'
import { MaterialRef, Nullable, Text } from './fields.ts'

/** 申请: files a case for a published item version, or for a bundle (一件事). */
export const SubmitCase = Type.Object(
  {
    implementationId: Type.Optional(Text(100)),
    guideVersion: Type.Optional(Type.Integer({ minimum: 1 })),
    bundleId: Type.Optional(Text(100)),
    /** For a bundle: the region applied in (its parts resolve to the implementations nearest to it). */
    regionCode: Type.Optional(Type.String({ pattern: '^(\\d{6}|\\d{12})$' })),
    formData: Type.Record(Type.String(), Type.Unknown()),
    materials: Type.Array(MaterialRef, { maxItems: 100 }),
    /** 承诺: the applicant declares the information true. Must be true. */
    declaration: Type.Boolean(),
    draftId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
)
export type SubmitCase = Static<typeof SubmitCase>

export const SubmitCaseHeaders = Type.Object({
  'idempotency-key': Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$' }),
})

/** The answer to a submission; the query code is shown only here, once. */
export const SubmittedCase = Type.Object({
  id: Type.String(),
  caseNo: Type.String(),
  queryCode: Type.String({ description: 'Shown once: with the case number it lets anyone see progress.' }),
  status: Type.String(),
  version: Type.Integer(),
  children: Type.Array(
    Type.Object({ id: Type.String(), caseNo: Type.String(), departmentId: Type.String() }),
  ),
})
export type SubmittedCase = Static<typeof SubmittedCase>

/** A saved, unsubmitted application (草稿). */
export const SaveDraft = Type.Object(
  {
    implementationId: Type.Optional(Text(100)),
    guideVersion: Type.Optional(Type.Integer({ minimum: 1 })),
    bundleId: Type.Optional(Text(100)),
    formData: Type.Record(Type.String(), Type.Unknown()),
    materials: Type.Array(MaterialRef, { maxItems: 100 }),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
)
export type SaveDraft = Static<typeof SaveDraft>

export const DraftView = Type.Object({
  id: Type.String(),
  implementationId: Nullable(Type.String()),
  guideVersion: Type.Union([Type.Integer(), Type.Null()]),
  bundleId: Nullable(Type.String()),
  formData: Type.Record(Type.String(), Type.Unknown()),
  materials: Type.Array(Type.Unknown()),
  version: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
})
export type DraftView = Static<typeof DraftView>

export const DraftList = Type.Object({ items: Type.Array(DraftView) })
export type DraftList = Static<typeof DraftList>

export const UploadView = Type.Object({
  sha256: Type.String(),
  sizeBytes: Type.Integer(),
  mediaType: Type.String(),
  name: Type.String(),
})
export type UploadView = Static<typeof UploadView>
