import type { FieldError, GuideContent } from '@tongban/contracts'
import type { CatalogContext } from '../catalog.context.ts'
import { messages } from '../catalog.messages.ts'
import { checkForm } from './catalog.forms.ts'

/** Checks a guide's rules beyond its shape; paths point into the request body (`/content/…`). */
export async function guideErrors(ctx: CatalogContext, content: GuideContent): Promise<FieldError[]> {
  const licenseTypes = new Set((await ctx.licenseTypes.listLicenseTypes()).map((t) => t.code))
  return [
    ...limitErrors(content),
    ...feeErrors(content),
    ...materialErrors(content, licenseTypes),
    ...resultErrors(content, licenseTypes),
    ...checkForm(content.form, '/content/form'),
  ]
}

/** 承诺时限 ≤ 法定时限; 即办件 promise 0 days, 承诺件 at least one. */
function limitErrors(content: GuideContent): FieldError[] {
  const errors: FieldError[] = []
  const path = '/content/promisedLimit'
  if (content.promisedLimit > content.legalLimit)
    errors.push({
      path,
      code: 'promisedAboveLegal',
      message: messages.promisedAboveLegal(content.promisedLimit, content.legalLimit),
    })
  if (content.kind === 'immediate' && content.promisedLimit !== 0)
    errors.push({ path, code: 'immediate', message: messages.immediateLimit })
  if (content.kind === 'promised' && content.promisedLimit < 1)
    errors.push({ path, code: 'promised', message: messages.promisedLimit })
  return errors
}

/** A free item lists no fees; a charged one lists them with their basis. */
function feeErrors(content: GuideContent): FieldError[] {
  const path = '/content/fees/items'
  if (content.fees.free && content.fees.items.length > 0)
    return [{ path, code: 'free', message: messages.freeWithFees }]
  if (!content.fees.free && content.fees.items.length === 0)
    return [{ path, code: 'fees', message: messages.feesMissing }]
  return []
}

/** A result bound to a license names a known license type (by code). */
function resultErrors(content: GuideContent, licenseTypes: Set<string>): FieldError[] {
  const code = content.resultLicense?.typeCode
  if (code === undefined || licenseTypes.has(code)) return []
  return [
    {
      path: '/content/resultLicense/typeCode',
      code: 'licenseType',
      message: messages.unknownResultLicenseType(code),
    },
  ]
}

/** Material keys are unique; a 免提交 material names a known license type or its shared resource. */
function materialErrors(content: GuideContent, licenseTypes: Set<string>): FieldError[] {
  const errors: FieldError[] = []
  const keys = new Set<string>()
  for (const [index, material] of content.materials.entries()) {
    const path = `/content/materials/${index}`
    if (keys.has(material.key))
      errors.push({
        path: `${path}/key`,
        code: 'duplicate',
        message: messages.materialKeyRepeated(material.name),
      })
    keys.add(material.key)
    if (material.source === 'license' && !(material.licenseType && licenseTypes.has(material.licenseType)))
      errors.push({
        path: `${path}/licenseType`,
        code: 'licenseType',
        message: messages.unknownLicenseType(material.name, material.licenseType),
      })
    if (material.source === 'shared' && !material.sharedResource)
      errors.push({
        path: `${path}/sharedResource`,
        code: 'sharedResource',
        message: messages.sharedResourceMissing(material.name),
      })
  }
  return errors
}
