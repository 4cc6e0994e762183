import type { CaseMove, CaseMoveBodies } from '@tongban/contracts'

/*
 * The demo 办件 of the 浙江省 demo (docs/demo-accounts.md): cases of the demo citizens and companies in
 * every state, across items and departments that have demo staff, each with the steps it went through;
 * cases.demo.ts makes them through the use cases.
 */

/** Who files a demo case: a person (by phone number), acting for a company when named. */
export interface Applicant {
  phone: string
  company?: string
}

/** A move's body without its version (the demo reads the version before each step). */
type WithoutVersion<T> = T extends unknown ? Omit<T, 'version'> : never

/** One step of a demo case: `daysAgo` working days before the day of seeding, `minute` after 9:00. */
export type Step = {
  [M in CaseMove]: {
    daysAgo: number
    minute: number
    move: M
    by: string
    body?: WithoutVersion<CaseMoveBodies[M]>
  }
}[CaseMove]

export interface DemoCase {
  key: string
  applicant: Applicant
  item: string
  region: string
  submitted: { daysAgo: number; minute: number }
  form: (who: FormFacts) => Record<string, unknown>
  /** Materials supplied as scans: material key and file name. */
  files: [string, string][]
  steps: Step[]
}

/** What the demo forms are filled in from: the applicant, or the company an agent acts for. */
export interface FormFacts {
  name: string
  idNumber: string
  phone: string
  company?: { name: string; uscc: string; legalRepresentative: string }
}

export const person = (f: FormFacts) => ({
  applicantName: f.name,
  applicantIdNumber: f.idNumber,
  applicantPhone: f.phone,
})
const company = (f: FormFacts) => {
  if (!f.company) throw new Error('cases demo: a company form needs the company the applicant acts for')
  return {
    companyName: f.company.name,
    uscc: f.company.uscc,
    legalRepresentative: f.company.legalRepresentative,
    contactPhone: f.phone,
  }
}

const ZHANG_WEI = '13800000001'
const LI_NA = '13800000002'
const WANG_FANG = '13800000003'
const CHEN_JIANGUO = '13800000004'
const YUNQI = '杭州云栖数字科技有限公司'
const GANGCHENG = '宁波港城贸易有限公司'
const BINJIANG_IOT = '杭州滨江物联网技术有限公司'

/** The demo cases; `key` makes each one's Idempotency-Key. */
export const DEMO_CASES: DemoCase[] = [
  {
    // submitted today: waiting in the 西湖区市场监管局 window's queue
    key: 'getihu-zhangwei',
    applicant: { phone: ZHANG_WEI },
    item: '个体工商户登记',
    region: '330106',
    submitted: { daysAgo: 0, minute: 0 },
    form: (f) => ({
      ...person(f),
      shopName: '西湖区张记茶饮店',
      businessScope: '饮料及冷饮服务；预包装食品销售',
      shopAddress: '杭州市西湖区文三路 259 号 1 层 102 室',
    }),
    files: [
      ['m1', '个体工商户登记申请书.pdf'],
      ['m2', '居民身份证（正反面扫描件）.pdf'],
      ['m3', '经营场所租赁合同.pdf'],
    ],
    steps: [],
  },
  {
    // approved, completed (the licenses module issues the 社会保障卡) and sent by post
    key: 'sbk-zhangwei',
    applicant: { phone: ZHANG_WEI },
    item: '社会保障卡申领',
    region: '330100',
    submitted: { daysAgo: 9, minute: 35 },
    form: (f) => ({ ...person(f), bank: '中国工商银行', delivery: true }),
    files: [['m1', '居民身份证（正反面扫描件）.pdf']],
    steps: [
      { daysAgo: 9, minute: 90, move: 'accept', by: 'hz.rs.clerk', body: { comment: '材料齐全，予以受理' } },
      { daysAgo: 7, minute: 60, move: 'review', by: 'hz.rs.reviewer', body: { comment: '参保信息核对无误' } },
      { daysAgo: 6, minute: 30, move: 'approve', by: 'hz.rs.approver' },
      { daysAgo: 6, minute: 45, move: 'complete', by: 'hz.rs.approver' },
      {
        daysAgo: 5,
        minute: 120,
        move: 'deliver',
        by: 'hz.rs.clerk',
        body: { method: 'post', trackingNumber: 'SF1400237851', comment: '制卡完成，已邮寄' },
      },
    ],
  },
  {
    // completed: the licenses module issues the company a new 营业执照
    key: 'biangeng-yunqi',
    applicant: { phone: LI_NA, company: YUNQI },
    item: '企业变更登记',
    region: '330106',
    submitted: { daysAgo: 3, minute: 20 },
    form: (f) => ({
      ...company(f),
      changeItem: '住所',
      changeDetail: '杭州市西湖区西溪路 550 号 3 幢 501 室',
    }),
    files: [
      ['m1', '公司变更登记申请书.pdf'],
      ['m2', '营业执照（副本扫描件）.pdf'],
      ['m3', '股东会决议.pdf'],
    ],
    steps: [
      { daysAgo: 3, minute: 80, move: 'accept', by: 'xh.sj.clerk' },
      { daysAgo: 2, minute: 40, move: 'review', by: 'xh.sj.reviewer', body: { comment: '变更事项符合规定' } },
      { daysAgo: 1, minute: 15, move: 'approve', by: 'xh.sj.approver' },
      { daysAgo: 1, minute: 20, move: 'complete', by: 'xh.sj.approver' },
    ],
  },
  {
    // reviewed: waiting for the 西湖区市场监管局 approver's decision
    key: 'shipin-yunqi',
    applicant: { phone: LI_NA, company: YUNQI },
    item: '食品经营许可',
    region: '330106',
    submitted: { daysAgo: 4, minute: 50 },
    form: (f) => ({
      ...company(f),
      premises: '杭州市西湖区文二路 391 号 1 层',
      category: '热食类食品制售',
      area: 120,
    }),
    files: [
      ['m1', '食品经营许可申请书.pdf'],
      ['m2', '营业执照（副本扫描件）.pdf'],
      ['m3', '经营场所平面布局图.pdf'],
      ['m4', '食品安全管理制度.pdf'],
    ],
    steps: [
      { daysAgo: 4, minute: 70, move: 'startPreReview', by: 'xh.sj.clerk' },
      { daysAgo: 3, minute: 30, move: 'accept', by: 'xh.sj.clerk', body: { comment: '预审通过，予以受理' } },
      {
        daysAgo: 1,
        minute: 200,
        move: 'review',
        by: 'xh.sj.reviewer',
        body: { comment: '现场核查：布局流程符合要求' },
      },
    ],
  },
  {
    // refused (不予受理) with its reason and legal basis
    key: 'zhuxiao-gangcheng',
    applicant: { phone: LI_NA, company: GANGCHENG },
    item: '企业注销登记',
    region: '330200',
    submitted: { daysAgo: 6, minute: 10 },
    form: (f) => ({ ...company(f), simplified: true, reason: '经营期满，股东会决议解散' }),
    files: [
      ['m1', '注销登记申请书.pdf'],
      ['m2', '营业执照（正副本扫描件）.pdf'],
      ['m3', '清算报告.pdf'],
    ],
    steps: [
      {
        daysAgo: 5,
        minute: 45,
        move: 'refuse',
        by: 'nb.sj.clerk',
        body: {
          reason: '企业尚有未结清的税款和未办结的行政处罚，不适用简易注销程序',
          legalBasis: '《中华人民共和国市场主体登记管理条例》第三十三条',
        },
      },
    ],
  },
  {
    // withdrawn by the applicant before acceptance
    key: 'qianyi-lina',
    applicant: { phone: LI_NA },
    item: '户口迁移',
    region: '330106',
    submitted: { daysAgo: 2, minute: 5 },
    form: (f) => ({
      ...person(f),
      moveReason: '购房落户',
      fromAddress: '杭州市滨江区长河街道江南大道 588 号',
      toAddress: '杭州市西湖区古荡街道文一路 115 号 2 幢 1 单元 302 室',
    }),
    files: [
      ['m1', '居民户口簿（扫描件）.pdf'],
      ['m2', '居民身份证（正反面扫描件）.pdf'],
    ],
    steps: [{ daysAgo: 1, minute: 25, move: 'withdraw', by: LI_NA, body: { comment: '改为在滨江区办理' } }],
  },
  {
    // accepted: under review in 宁波市公安局
    key: 'huzhao-wangfang',
    applicant: { phone: WANG_FANG },
    item: '普通护照签发',
    region: '330200',
    submitted: { daysAgo: 2, minute: 15 },
    form: (f) => ({ ...person(f), purpose: '旅游', delivery: true }),
    files: [['m1', '居民身份证（正反面扫描件）.pdf']],
    steps: [
      {
        daysAgo: 2,
        minute: 95,
        move: 'accept',
        by: 'nb.ga.clerk',
        body: { comment: '已现场采集相片和指纹' },
      },
    ],
  },
  {
    // correction asked after acceptance (一次性告知): the clock stands still until the applicant resubmits
    key: 'shiye-wangfang',
    applicant: { phone: WANG_FANG },
    item: '失业保险金申领',
    region: '330100',
    submitted: { daysAgo: 6, minute: 40 },
    form: (f) => ({
      ...person(f),
      lastEmployer: '杭州余杭未来科技城生物医药有限公司',
      separationDate: '2026-09-30',
      bankAccount: '6222 0212 0300 4567 890',
    }),
    files: [
      ['m1', '居民身份证（正反面扫描件）.pdf'],
      ['m3', '社会保障卡（扫描件）.pdf'],
    ],
    steps: [
      { daysAgo: 5, minute: 60, move: 'accept', by: 'hz.rs.clerk' },
      {
        daysAgo: 3,
        minute: 110,
        move: 'requestCorrection',
        by: 'hz.rs.reviewer',
        body: {
          items: [
            { kind: 'material', key: 'm1', problem: 'defective', note: '身份证反面扫描件模糊，请重新上传' },
            {
              kind: 'field',
              key: 'bankAccount',
              problem: 'defective',
              note: '银行账号须为本人社会保障卡金融账户',
            },
          ],
        },
      },
    ],
  },
  {
    // suspended for an on-site inspection (现场核查): the clock stands still
    key: 'tezhong-binjiang-1',
    applicant: { phone: CHEN_JIANGUO, company: BINJIANG_IOT },
    item: '特种设备使用登记',
    region: '330108',
    submitted: { daysAgo: 7, minute: 30 },
    form: (f) => ({ ...company(f), equipmentType: '电梯', equipmentCode: '31103301082021060017' }),
    files: [
      ['m1', '特种设备使用登记表.pdf'],
      ['m2', '产品合格证.pdf'],
      ['m3', '监督检验证明.pdf'],
    ],
    steps: [
      { daysAgo: 6, minute: 50, move: 'accept', by: 'bj.sj.clerk' },
      {
        daysAgo: 2,
        minute: 70,
        move: 'suspend',
        by: 'bj.sj.reviewer',
        body: { reason: '需现场核查电梯安装及监督检验情况', comment: '已预约现场核查' },
      },
    ],
  },
  {
    // in pre-review (预审) at the 滨江区 window
    key: 'tezhong-binjiang-2',
    applicant: { phone: CHEN_JIANGUO, company: BINJIANG_IOT },
    item: '特种设备使用登记',
    region: '330108',
    submitted: { daysAgo: 1, minute: 140 },
    form: (f) => ({ ...company(f), equipmentType: '压力容器', equipmentCode: '21603301082024110032' }),
    files: [
      ['m1', '特种设备使用登记表.pdf'],
      ['m2', '产品合格证.pdf'],
      ['m3', '监督检验证明.pdf'],
    ],
    steps: [{ daysAgo: 0, minute: 0, move: 'startPreReview', by: 'bj.sj.clerk' }],
  },
  {
    // denied (不予许可) with its reason, waiting to be closed
    key: 'juzhuzheng-chenjianguo',
    applicant: { phone: CHEN_JIANGUO },
    item: '居住证申领',
    region: '330106',
    submitted: { daysAgo: 10, minute: 25 },
    form: (f) => ({
      ...person(f),
      residence: '杭州市西湖区翠苑街道学院路 77 号',
      employer: '杭州滨江物联网技术有限公司',
    }),
    files: [
      ['m1', '居民身份证（正反面扫描件）.pdf'],
      ['m2', '房屋租赁合同.pdf'],
    ],
    steps: [
      { daysAgo: 10, minute: 60, move: 'accept', by: 'xh.ga.clerk' },
      { daysAgo: 8, minute: 30, move: 'review', by: 'xh.ga.reviewer', body: { comment: '居住登记时间不足' } },
      {
        daysAgo: 7,
        minute: 15,
        move: 'deny',
        by: 'xh.ga.approver',
        body: {
          reason: '在本市办理居住登记未满半年，不符合《居住证暂行条例》第九条规定的申领条件',
        },
      },
    ],
  },
  {
    // overdue (red): accepted 8 working days ago, 5 promised
    key: 'qianyi-overdue',
    applicant: { phone: '13800000008' },
    item: '户口迁移',
    region: '330106',
    submitted: { daysAgo: 9, minute: 100 },
    form: (f) => ({
      ...person(f),
      moveReason: '人才引进',
      fromAddress: '宁波市鄞州区首南街道天童南路 999 号',
      toAddress: '杭州市西湖区西溪街道教工路 88 号 6 幢 201 室',
    }),
    files: [
      ['m1', '居民户口簿（扫描件）.pdf'],
      ['m2', '居民身份证（正反面扫描件）.pdf'],
    ],
    steps: [{ daysAgo: 8, minute: 40, move: 'accept', by: 'xh.ga.clerk' }],
  },
  {
    // one working day left (yellow): accepted 4 working days ago, 5 promised
    key: 'qianyi-due-tomorrow',
    applicant: { phone: '13800000009' },
    item: '户口迁移',
    region: '330106',
    submitted: { daysAgo: 4, minute: 10 },
    form: (f) => ({
      ...person(f),
      moveReason: '就业落户',
      fromAddress: '温州市鹿城区五马街道解放路 12 号',
      toAddress: '杭州市西湖区北山街道保俶路 146 号 3 幢 402 室',
    }),
    files: [
      ['m1', '居民户口簿（扫描件）.pdf'],
      ['m2', '居民身份证（正反面扫描件）.pdf'],
    ],
    steps: [{ daysAgo: 4, minute: 55, move: 'accept', by: 'xh.ga.clerk' }],
  },
]

/** A saved, unsubmitted application (草稿) of 张伟. */
export const DEMO_DRAFT = {
  applicant: { phone: ZHANG_WEI },
  item: '居住证申领',
  region: '330106',
  form: { residence: '杭州市西湖区文三路 259 号' },
}
