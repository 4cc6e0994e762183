import { AppError } from '../../platform/errors.ts'
import type { Platform } from '../../platform/platform.ts'

/**
 * "Not found" from another module's service, as undefined — the one error an adapter turns into an answer,
 * logged; everything else propagates.
 */
export async function unlessNotFound<T>(
  platform: Platform,
  what: string,
  run: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await run()
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'not-found') throw error
    platform.logger.debug({ what }, 'not found, answered as none')
    return undefined
  }
}

/** A UUID, checked before asking a module for a record by id (other ids are simply not found). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
