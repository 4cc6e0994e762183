/** A problem found in user input, with a stable machine code and a bilingual message. */
export type Problem = { code: string; message: { zh: string; en: string } }

/** Result of a validator: validators never throw on user input. */
export type Validation<T> = { ok: true; value: T } | { ok: false; error: Problem }

/** Builds a failed validation. */
export const invalid = <T>(code: string, zh: string, en: string): Validation<T> => ({
  ok: false,
  error: { code, message: { zh, en } },
})

/** Builds a successful validation. */
export const valid = <T>(value: T): Validation<T> => ({ ok: true, value })
