/**
 * A problem found in user input, with a stable machine code, a bilingual message and, for a standard's
 * validator, the rule of the standard it broke (e.g. 'GB 11643-1999 校验码 (ISO 7064 MOD 11-2)').
 */
export type Problem = { code: string; message: { zh: string; en: string }; rule?: string }

/** Result of a validator: validators never throw on user input. */
export type Validation<T> = { ok: true; value: T } | { ok: false; error: Problem }

/** Builds a failed validation. */
export const invalid = <T>(code: string, zh: string, en: string, rule?: string): Validation<T> => ({
  ok: false,
  error: { code, message: { zh, en }, ...(rule ? { rule } : {}) },
})

/** Builds a successful validation. */
export const valid = <T>(value: T): Validation<T> => ({ ok: true, value })
