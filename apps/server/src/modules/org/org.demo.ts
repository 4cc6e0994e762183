import type { DepartmentKind } from '@tongban/contracts'
import { buildUscc } from '@tongban/standards'

/** Demo province: 浙江省 with 杭州市 (西湖区, 滨江区, 余杭区) and 宁波市 (鄞州区). Real GB/T 2260 codes. */
export const DEMO_PROVINCE = '330000'

interface DemoDepartment {
  regionCode: string
  name: string
  shortName: string
  kind: DepartmentKind
  phone: string
  address: string
}

const province: [string, string, DepartmentKind][] = [
  ['浙江省政务服务办公室', '省政务办', 'government_services'],
  ['浙江省市场监督管理局', '省市场监管局', 'market_regulation'],
  ['浙江省公安厅', '省公安厅', 'public_security'],
  ['浙江省人力资源和社会保障厅', '省人力社保厅', 'human_resources'],
  ['浙江省卫生健康委员会', '省卫生健康委', 'health'],
  ['浙江省医疗保障局', '省医保局', 'medical_insurance'],
  ['浙江省民政厅', '省民政厅', 'civil_affairs'],
  ['浙江省住房和城乡建设厅', '省建设厅', 'housing'],
  ['浙江省自然资源厅', '省自然资源厅', 'natural_resources'],
  ['浙江省教育厅', '省教育厅', 'education'],
  ['浙江省交通运输厅', '省交通运输厅', 'transport'],
  ['浙江省生态环境厅', '省生态环境厅', 'ecology'],
]
const city = (prefix: string): [string, string, DepartmentKind][] => [
  [`${prefix}数据资源管理局`, `${prefix.slice(0, 2)}政务办`, 'government_services'],
  [`${prefix}市场监督管理局`, `${prefix.slice(0, 2)}市场监管局`, 'market_regulation'],
  [`${prefix}公安局`, `${prefix.slice(0, 2)}公安局`, 'public_security'],
  [`${prefix}人力资源和社会保障局`, `${prefix.slice(0, 2)}人社局`, 'human_resources'],
  [`${prefix}卫生健康委员会`, `${prefix.slice(0, 2)}卫健委`, 'health'],
  [`${prefix}医疗保障局`, `${prefix.slice(0, 2)}医保局`, 'medical_insurance'],
  [`${prefix}民政局`, `${prefix.slice(0, 2)}民政局`, 'civil_affairs'],
  [`${prefix}住房公积金管理中心`, `${prefix.slice(0, 2)}公积金中心`, 'housing_fund'],
  [`${prefix}规划和自然资源局`, `${prefix.slice(0, 2)}规划资源局`, 'natural_resources'],
  [`${prefix}教育局`, `${prefix.slice(0, 2)}教育局`, 'education'],
]
const county = (prefix: string): [string, string, DepartmentKind][] => [
  [`${prefix}政务服务中心`, `${prefix.slice(0, 3)}政务中心`, 'government_services'],
  [`${prefix}市场监督管理局`, `${prefix.slice(0, 3)}市场监管局`, 'market_regulation'],
  [`${prefix}公安分局`, `${prefix.slice(0, 3)}公安分局`, 'public_security'],
  [`${prefix}人力资源和社会保障局`, `${prefix.slice(0, 3)}人社局`, 'human_resources'],
  [`${prefix}卫生健康局`, `${prefix.slice(0, 3)}卫健局`, 'health'],
  [`${prefix}民政局`, `${prefix.slice(0, 3)}民政局`, 'civil_affairs'],
  [`${prefix}教育局`, `${prefix.slice(0, 3)}教育局`, 'education'],
]

const places: {
  regionCode: string
  list: [string, string, DepartmentKind][]
  address: string
  phone: string
}[] = [
  { regionCode: '330000', list: province, address: '浙江省杭州市西湖区省府路8号', phone: '0571-12345' },
  {
    regionCode: '330100',
    list: city('杭州市'),
    address: '浙江省杭州市上城区解放东路18号',
    phone: '0571-12345',
  },
  {
    regionCode: '330106',
    list: county('杭州市西湖区'),
    address: '浙江省杭州市西湖区文三路41号',
    phone: '0571-87966000',
  },
  {
    regionCode: '330108',
    list: county('杭州市滨江区'),
    address: '浙江省杭州市滨江区江汉路1785号',
    phone: '0571-87702345',
  },
  {
    regionCode: '330110',
    list: county('杭州市余杭区'),
    address: '浙江省杭州市余杭区南苑街道南大街285号',
    phone: '0571-86223000',
  },
  {
    regionCode: '330200',
    list: city('宁波市'),
    address: '浙江省宁波市鄞州区宁穿路1901号',
    phone: '0574-12345',
  },
  {
    regionCode: '330212',
    list: county('宁波市鄞州区'),
    address: '浙江省宁波市鄞州区惠风东路568号',
    phone: '0574-88225000',
  },
]

/** The demo departments, with valid 统一社会信用代码 of government organs (authority 1, type 1). */
export function demoDepartments(): (DemoDepartment & { uscc: string })[] {
  let serial = 2_480_000
  return places.flatMap((place) =>
    place.list.map(([name, shortName, kind]) => ({
      regionCode: place.regionCode,
      name,
      shortName,
      kind,
      phone: place.phone,
      address: place.address,
      uscc: buildUscc({
        registrationAuthority: '1',
        entityType: '1',
        regionCode: place.regionCode,
        organizationCode: serial++,
      }),
    })),
  )
}
