import type { StaffRole } from '../../platform/authz.ts'

// The fixed data of the demo accounts and how their names are drawn (identity.demo.ts seeds them).

export const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢钟陆汪金',
]
export const MALE_GIVEN = [
  '伟',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '杰',
  '涛',
  '明',
  '超',
  '刚',
  '平',
  '建华',
  '建国',
  '志强',
  '国平',
  '俊杰',
  '浩然',
  '宇轩',
  '文博',
  '一鸣',
  '天宇',
  '明轩',
  '子豪',
  '晓东',
  '海波',
  '振华',
  '家豪',
  '思远',
  '嘉诚',
]
export const FEMALE_GIVEN = [
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '艳',
  '娟',
  '霞',
  '秀英',
  '桂英',
  '丽华',
  '海燕',
  '婷婷',
  '佳怡',
  '欣怡',
  '梓萱',
  '雨桐',
  '诗涵',
  '雅琴',
  '晓燕',
  '慧敏',
  '颖',
  '琳',
  '倩',
  '思琪',
  '若曦',
  '梦瑶',
  '雪梅',
  '春燕',
  '佳琪',
]
/** A few names with characters outside the Basic Multilingual Plane or rare in fonts, as real registers have. */
export const RARE_NAMES: [string, 'male' | 'female'][] = [
  ['王𠈌', 'male'],
  ['陈䶮', 'male'],
  ['李㛃', 'female'],
]

/** Fixed citizens the documentation names; the others are generated. */
export const NAMED_CITIZENS: {
  name: string
  sex: 'male' | 'female'
  region: string
  birth: string
  phone: string
}[] = [
  { name: '张伟', sex: 'male', region: '330106', birth: '1985-03-12', phone: '13800000001' },
  { name: '李娜', sex: 'female', region: '330108', birth: '1992-07-21', phone: '13800000002' },
  { name: '王芳', sex: 'female', region: '330212', birth: '1978-11-05', phone: '13800000003' },
  { name: '陈建国', sex: 'male', region: '330110', birth: '1968-01-30', phone: '13800000004' },
]

export const COMPANIES: [string, string][] = [
  ['杭州云栖数字科技有限公司', '330106'],
  ['杭州西溪文化旅游发展有限公司', '330106'],
  ['杭州之江智能装备有限公司', '330106'],
  ['杭州文三数码商贸有限公司', '330106'],
  ['杭州滨江物联网技术有限公司', '330108'],
  ['杭州钱塘江医疗器械有限公司', '330108'],
  ['杭州白马湖动漫文化有限公司', '330108'],
  ['杭州江南云计算服务有限公司', '330108'],
  ['杭州余杭未来科技城生物医药有限公司', '330110'],
  ['杭州良渚茶业有限公司', '330110'],
  ['杭州径山竹木制品有限公司', '330110'],
  ['杭州仓前跨境电子商务有限公司', '330110'],
  ['杭州上城丝绸服饰有限公司', '330102'],
  ['杭州拱墅运河物流有限公司', '330105'],
  ['宁波港城贸易有限公司', '330212'],
  ['宁波鄞州模具制造有限公司', '330212'],
  ['宁波东钱湖餐饮管理有限公司', '330212'],
  ['宁波甬江新材料科技有限公司', '330212'],
  ['宁波海曙服装有限公司', '330203'],
  ['宁波北仑港口机械有限公司', '330206'],
  ['宁波镇海石化工程有限公司', '330211'],
  ['宁波慈溪小家电有限公司', '330282'],
  ['宁波余姚光电科技有限公司', '330281'],
  ['宁波象山海洋渔业有限公司', '330225'],
]

/** Staff places: region, a short code for usernames, and the department kinds staffed there. */
export const STAFF_PLACES: { region: string; code: string; kinds: [string, string][] }[] = [
  {
    region: '330100',
    code: 'hz',
    kinds: [
      ['market_regulation', 'sj'],
      ['human_resources', 'rs'],
    ],
  },
  {
    region: '330106',
    code: 'xh',
    kinds: [
      ['government_services', 'zw'],
      ['market_regulation', 'sj'],
      ['public_security', 'ga'],
    ],
  },
  {
    region: '330108',
    code: 'bj',
    kinds: [
      ['government_services', 'zw'],
      ['market_regulation', 'sj'],
    ],
  },
  {
    region: '330200',
    code: 'nb',
    kinds: [
      ['market_regulation', 'sj'],
      ['public_security', 'ga'],
    ],
  },
]
export const DEPARTMENT_ROLES: [StaffRole, string][] = [
  ['window_clerk', 'clerk'],
  ['reviewer', 'reviewer'],
  ['approver', 'approver'],
  ['department_admin', 'admin'],
]
export const ADMINS: [string, string, StaffRole][] = [
  ['sysadmin', '周志强', 'system_admin'],
  ['secadmin', '沈雅琴', 'security_admin'],
  ['auditadmin', '钟国平', 'audit_admin'],
]

/** Draws names (surname, given name by sex) from `random` that are not in `used`, adding each to it. */
export function nameDrawer(random: () => number, used: Set<string>) {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  return () => {
    for (;;) {
      const sex = random() < 0.5 ? 'male' : 'female'
      const name = pick(SURNAMES) + pick(sex === 'male' ? MALE_GIVEN : FEMALE_GIVEN)
      if (used.has(name)) continue
      used.add(name)
      return { name, sex } as const
    }
  }
}
