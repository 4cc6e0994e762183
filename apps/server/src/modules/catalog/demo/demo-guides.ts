import type { GuideContent, Material, ResultLicense } from '@tongban/contracts'
import type { DemoItem } from '../catalog.demo-data.ts'
import type { Department } from '../catalog.ports.ts'
import { buildForm } from './demo-forms.ts'

/** Parses the material notation of catalog.demo-data.ts. */
export function buildMaterials(item: DemoItem, licenseCodes: Map<string, string>): Material[] {
  return item.materials.map((spec, index) => {
    const optional = spec.endsWith('?')
    const body = optional ? spec.slice(0, -1) : spec
    const [kind = 'U', rest = ''] = body.split(/:(.*)/s)
    const key = `m${index + 1}`
    if (kind === 'L') {
      const code = licenseCodes.get(rest)
      if (!code) throw new Error(`demo catalog: unknown license type ${rest}`)
      return {
        key,
        name: rest,
        form: 'electronic',
        copies: 0,
        required: !optional,
        source: 'license',
        licenseType: code,
        note: '免提交：由电子证照库调取',
      }
    }
    if (kind === 'S') {
      const [name = rest, resource = rest] = rest.split('@')
      return {
        key,
        name,
        form: 'electronic',
        copies: 0,
        required: !optional,
        source: 'shared',
        sharedResource: resource,
        note: '免提交：通过数据共享获取',
      }
    }
    if (kind === 'D')
      return { key, name: rest, form: 'electronic', copies: 0, required: !optional, source: 'department' }
    return {
      key,
      name: rest,
      form: kind === 'UC' ? 'copy' : 'original',
      copies: 1,
      required: !optional,
      source: 'upload',
    }
  })
}

/** Demo items whose license is a new version of the holder's: a 变更, or a 换领/补领/换证. */
const CHANGE_ITEMS = new Set(['企业变更登记'])
const RENEW_ITEMS = new Set(['居民身份证换领', '居民身份证补领', '机动车驾驶证换证'])
/** Demo items that register a new market entity (市场主体), which holds the 营业执照. */
const NEW_ENTITY_ITEMS: Record<string, NonNullable<ResultLicense['newEntity']>> = {
  企业设立登记: 'company',
  个体工商户登记: 'individual_business',
}

/** A demo item's 办理结果 bound to the license type of that name (by its code), when it is a license. */
export function resultLicenseOf(
  item: Pick<DemoItem, 'name' | 'result'>,
  licenseCodes: Map<string, string>,
): ResultLicense | undefined {
  const typeCode = licenseCodes.get(item.result)
  if (!typeCode) return undefined
  const action = CHANGE_ITEMS.has(item.name) ? 'change' : RENEW_ITEMS.has(item.name) ? 'renew' : 'issue'
  const newEntity = NEW_ENTITY_ITEMS[item.name]
  return { typeCode, action, ...(newEntity ? { newEntity } : {}) }
}

/** The complete guide of a demo item as implemented by one department. */
export function buildGuide(
  item: DemoItem,
  department: Department,
  licenseCodes: Map<string, string>,
): GuideContent {
  const [legalLimit, promisedLimit] = item.limits
  const immediate = promisedLimit === 0
  const resultLicense = resultLicenseOf(item, licenseCodes)
  return {
    kind: immediate ? 'immediate' : 'promised',
    legalLimit,
    promisedLimit,
    visits: item.visits,
    onlineDepth: item.depth,
    conditions: `${item.who === 'c' ? '依法设立的企业或其他组织' : '符合条件的自然人'}申请${item.name}，申请材料齐全、符合法定形式。`,
    procedure: immediate
      ? ['网上或窗口提交申请', '即时受理审核', '当场办结']
      : ['提交申请', '受理', '审查', '作出决定', '送达结果'],
    result: item.result,
    ...(resultLicense ? { resultLicense } : {}),
    fees: item.fee
      ? { free: false, items: [{ name: item.fee[0], amount: item.fee[1], basis: item.fee[2] }] }
      : { free: true, items: [] },
    channels: [
      { kind: 'online', name: '浙江政务服务网', url: 'https://www.zjzwfw.gov.cn' },
      { kind: 'mobile', name: '浙里办 App' },
      {
        kind: 'window',
        name: `${department.shortName}综合窗口`,
        address: department.address ?? '',
        hours: '工作日 9:00—12:00，13:30—17:00',
      },
      ...(item.kind === 'public_security' || item.kind === 'human_resources'
        ? [
            {
              kind: 'self_service' as const,
              name: '政务服务自助终端',
              address: department.address ?? '',
              hours: '全天',
            },
          ]
        : []),
    ],
    consultationPhone: department.phone ?? '12345',
    complaintPhone: '12345',
    materials: buildMaterials(item, licenseCodes),
    form: buildForm(item),
  }
}
