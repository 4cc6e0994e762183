/**
 * The token in what was scanned or pasted: a verification link (`…/verify/license?t=<token>`) or the
 * bare token.
 */
export function tokenFrom(text: string): string {
  const trimmed = text.trim()
  if (/^https?:\/\//i.test(trimmed)) {
    try {
      const url = new URL(trimmed)
      return url.searchParams.get('t') ?? url.searchParams.get('token') ?? trimmed
    } catch {
      return trimmed
    }
  }
  return trimmed
}
