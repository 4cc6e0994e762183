/**
 * 合理性: business plausibility of what a valid identifier says. The standards kernel accepts any ID
 * number GB 11643 admits (a birth date long ago included); whether an account may be registered for it
 * is decided here, with its own error.
 */

/** Oldest age, in whole years at registration, of a person an account is registered for. */
export const MAX_AGE_AT_REGISTRATION_YEARS = 150

/** A plausibility refusal: a stable code and a bilingual message, in the form of a field problem. */
export interface ImplausibleValue {
  code: 'implausibleBirthDate'
  message: { zh: string; en: string }
}

/** Whole years from `birthDate` to `today` (both 'YYYY-MM-DD'): the age as people count it. */
export function ageOn(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4))
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years
}

/**
 * Whether a person born on `birthDate` may have an account registered `today`: not more than
 * MAX_AGE_AT_REGISTRATION_YEARS old. Undefined when plausible, else why not.
 */
export function implausibleBirthDateAtRegistration(
  birthDate: string,
  today: string,
): ImplausibleValue | undefined {
  if (ageOn(birthDate, today) <= MAX_AGE_AT_REGISTRATION_YEARS) return undefined
  return {
    code: 'implausibleBirthDate',
    message: {
      zh: `证件号码中的出生日期 ${birthDate} 早于 ${MAX_AGE_AT_REGISTRATION_YEARS} 年前，无法在线注册，请携带证件到政务服务中心办理`,
      en: `The birth date ${birthDate} in the ID number is more than ${MAX_AGE_AT_REGISTRATION_YEARS} years ago: the account cannot be registered online; please visit a government service centre with the ID card`,
    },
  }
}
