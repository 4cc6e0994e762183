import { type Static, Type } from 'typebox'

/** A message in both of the platform's languages; Chinese first. */
export const LocalizedText = Type.Object({ zh: Type.String(), en: Type.String() })
export type LocalizedText = Static<typeof LocalizedText>

/** One field-level error of a validation problem; `path` is a JSON Pointer into the request body. */
export const FieldError = Type.Object({
  path: Type.String({ description: 'JSON Pointer to the offending field, e.g. /applicant/idNumber' }),
  code: Type.String({ description: 'Stable machine-readable reason, e.g. required, format, checkCharacter' }),
  message: LocalizedText,
})
export type FieldError = Static<typeof FieldError>

/**
 * RFC 9457 problem document. `title` follows the request's Accept-Language (Chinese by default);
 * `titles` always carries both languages so a client can show either without another request.
 */
export const Problem = Type.Object({
  type: Type.String({ description: 'Stable URI naming the kind of problem' }),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.Optional(Type.String()),
  instance: Type.Optional(Type.String()),
  code: Type.String({ description: 'Short stable name of the problem type, e.g. validation, not-found' }),
  titles: LocalizedText,
  details: Type.Optional(LocalizedText),
  errors: Type.Optional(Type.Array(FieldError)),
  allowed: Type.Optional(
    Type.Array(Type.String(), { description: 'For invalid moves: the moves allowed now' }),
  ),
  requestId: Type.Optional(Type.String()),
})
export type Problem = Static<typeof Problem>

/** Base of every problem `type` URI. */
export const PROBLEM_BASE = 'https://tongban.dev/problems/'
