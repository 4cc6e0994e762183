import { type Static, Type } from 'typebox'
import { LocalizedText } from '../common/problem.ts'

/** A case's id in a path. */
export const CaseLicenseParams = Type.Object({ caseId: Type.String({ format: 'uuid' }) })
export type CaseLicenseParams = Static<typeof CaseLicenseParams>

/**
 * The license a completed case yields: issued (with its id and number), pending (queued or being retried),
 * failed (why, and whether staff may retry), not-applicable (its result is no license, or it was not
 * approved), or none (the case has not completed).
 */
export const CaseLicenseView = Type.Object({
  caseId: Type.String(),
  state: Type.Union([
    Type.Literal('issued'),
    Type.Literal('pending'),
    Type.Literal('failed'),
    Type.Literal('not-applicable'),
    Type.Literal('none'),
  ]),
  licenseId: Type.Union([Type.String(), Type.Null()]),
  licenseNo: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([LocalizedText, Type.Null()]),
  retryable: Type.Boolean(),
  attempts: Type.Integer({ minimum: 0 }),
})
export type CaseLicenseView = Static<typeof CaseLicenseView>
