import { invalid } from '../../../platform/errors.ts'
import { addMonths } from '../licenses.dates.ts'
import { messages } from '../licenses.messages.ts'
import type { LicenseTypeRecord } from '../licenses.repository.ts'

/**
 * The validity of a new license by its type's rule: long-term (no end unless given), fixed (months from
 * the start unless an end is given), or explicit (the end must be given, not before the start).
 */
export function validityOf(
  type: Pick<LicenseTypeRecord, 'validity_kind' | 'validity_months'>,
  validFrom: string,
  validUntil: string | undefined,
): { validFrom: string; validUntil: string | null } {
  if (type.validity_kind === 'long_term') return { validFrom, validUntil: validUntil ?? null }
  if (type.validity_kind === 'fixed')
    return { validFrom, validUntil: validUntil ?? addMonths(validFrom, type.validity_months ?? 12) }
  if (!validUntil)
    throw invalid([{ path: '/validUntil', code: 'required', message: messages.endDateRequired }])
  if (validUntil < validFrom)
    throw invalid([{ path: '/validUntil', code: 'range', message: messages.endBeforeStart }])
  return { validFrom, validUntil }
}
