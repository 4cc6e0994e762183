/** What the licenses module needs to know of a case (办件): whose it is, where it is handled, its form. */
export interface CaseFacts {
  id: string
  applicantId: string
  actingForId: string | null
  departmentId: string | null
  regionCode: string
  implementationId: string | null
  guideVersion: number | null
  formData: Record<string, unknown>
}

/** The cases module as the licenses module sees it (tests use a fake). */
export interface CaseLookupPort {
  findCase(id: string): Promise<CaseFacts | undefined>
}

/** The catalog as the licenses module sees it: the 办理结果 a guide version promises. */
export interface GuideResultPort {
  resultOf(implementationId: string, version: number): Promise<string | undefined>
}

/** The holder's name and identifier (公民身份号码 / 统一社会信用代码) for automatic issuance. */
export interface HolderDirectoryPort {
  findHolder(accountId: string): Promise<{ name: string; identifier: string | null } | undefined>
}
