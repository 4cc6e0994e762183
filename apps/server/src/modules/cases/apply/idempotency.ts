import { createHash } from 'node:crypto'
import type { SubmittedCase } from '@tongban/contracts'
import { canonicalJson } from '../../../platform/audit.ts'
import { AppError } from '../../../platform/errors.ts'
import { type CasesContext, keysExpiredBefore } from '../cases.context.ts'
import { messages } from '../cases.messages.ts'
import { KeyTakenError } from '../repository/case-writes.ts'

/** The answer to a submission (or a walk-in's receipt), as stored with its Idempotency-Key. */
export interface StoredAnswer<Body = SubmittedCase> {
  statusCode: number
  body: Body
}

/** What a retry must repeat to be the same request: the SHA-256 of its body's canonical JSON. */
export function requestHashOf(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex')
}

/**
 * The answer stored for an earlier request of the account with the key, when there is one that has not
 * expired (an expired key is forgotten: the request is a new one); 409 when the earlier request was
 * another one.
 */
export async function replayIdempotent<Body = SubmittedCase>(
  ctx: CasesContext,
  accountId: string,
  key: string,
  requestHash: string,
): Promise<StoredAnswer<Body> | undefined> {
  const stored = await ctx.repositories.idempotency.find(accountId, key)
  if (!stored || stored.created_at < keysExpiredBefore(ctx.platform)) return undefined
  if (stored.request_hash !== requestHash) throw new AppError('conflict', { detail: messages.keyReused })
  return { statusCode: stored.status_code, body: stored.response as Body }
}

/** SQLSTATE of a unique violation (an account opened by a concurrent request, a key taken). */
const UNIQUE_VIOLATION = '23505'

/** Whether the database refused a row as a duplicate of a committed one (a unique violation). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === UNIQUE_VIOLATION
}

/** Whether a submission was not written because a concurrent request with its key committed first. */
export function lostKeyRace(error: unknown): boolean {
  return error instanceof KeyTakenError || isUniqueViolation(error)
}

/** Deletes expired idempotency keys (and the query codes in their stored answers); the number deleted. */
export async function purgeExpiredIdempotencyKeys(ctx: CasesContext, batch = 1_000): Promise<number> {
  const before = keysExpiredBefore(ctx.platform)
  let total = 0
  for (;;) {
    const deleted = await ctx.repositories.idempotency.deleteBefore(before, batch)
    total += deleted
    if (deleted < batch) return total
  }
}
