import { type Static, type TSchema, type TSchemaOptions, Type } from 'typebox'
import type { LocalizedText } from '../common/problem.ts'

/** A non-empty text of at most `max` characters; `options` may add a description or `x-missing`. */
export const Text = (max: number, options: TSchemaOptions = {}) =>
  Type.String({ minLength: 1, maxLength: max, ...options })

/** A value or null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/**
 * The message a caller gets when a required field is missing, instead of the generic one: the platform's
 * validator reads `x-missing` from the field's schema (an OpenAPI extension, ignored by other tools).
 */
export function missing(message: LocalizedText): { 'x-missing': LocalizedText } {
  return { 'x-missing': message }
}

/** A file uploaded before (its SHA-256 as the upload answered), attached under a name. */
export const Attachment = Type.Object(
  { fileSha256: Type.String({ pattern: '^[0-9a-f]{64}$' }), name: Text(120) },
  { additionalProperties: false },
)

/** A material attached to an application: a file uploaded before, or a license the applicant authorizes. */
export const MaterialRef = Type.Union([
  Type.Object(
    {
      key: Text(64),
      fileSha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
      name: Text(120),
    },
    { additionalProperties: false },
  ),
  Type.Object({ key: Text(64), licenseGrantId: Text(100), name: Text(120) }, { additionalProperties: false }),
])
export type MaterialRef = Static<typeof MaterialRef>
