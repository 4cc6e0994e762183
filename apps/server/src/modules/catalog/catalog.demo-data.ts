import type { DepartmentKind, ItemType, Theme } from '@tongban/contracts'

/**
 * The demo catalog, modelled on provincial 政务服务事项 lists, in a compact notation expanded by
 * catalog.demo.ts and demo/:
 * - `levels`: P province, C city (prefecture), X county;  `who`: p person, c company, pc both
 * - `limits`: [legal, promised] working days; promised 0 makes it 即办件
 * - `materials`: `L:<license type name>` (免提交, from an e-license), `S:<name>@<shared resource>`
 *   (免提交, shared data), `U:<name>` upload original, `UC:<name>` upload copy, `D:<name>` produced by
 *   the department; a trailing `?` marks an optional material
 * - `fields`: `key:type:中文:English`, type s string, i integer, d date, b boolean, e(a/b/c) choice;
 *   a trailing `?` marks an optional field, `|if=field=value` shows it only then
 */
export interface DemoItem {
  name: string
  type: ItemType
  kind: DepartmentKind
  levels: string
  who: 'p' | 'c' | 'pc'
  themes: Theme[]
  keywords: string[]
  basis: string
  limits: [number, number]
  visits: number
  depth: 1 | 2 | 3 | 4
  fee?: [string, number, string]
  result: string
  materials: string[]
  fields: string[]
}

const L = '《中华人民共和国行政许可法》'

// biome-ignore format: one item per line keeps the table readable
export const DEMO_ITEMS: DemoItem[] = [
  // 市场监管
  { name: '企业设立登记', type: 'administrative_license', kind: 'market_regulation', levels: 'PCX', who: 'p', themes: ['business_startup'], keywords: ['开公司', '注册公司', '营业执照', '有限责任公司'], basis: `《中华人民共和国公司法》；《中华人民共和国市场主体登记管理条例》第三条；${L}`, limits: [15, 1], visits: 0, depth: 4, result: '营业执照', materials: ['U:公司登记（备案）申请书', 'U:公司章程', 'L:居民身份证', 'U:住所使用证明'], fields: ['proposedName:s:拟设企业名称:Proposed company name', 'registeredCapital:i:注册资本（万元）:Registered capital (10k yuan)', 'businessScope:s:经营范围:Business scope', 'companyAddress:s:住所:Registered address'] },
  { name: '企业变更登记', type: 'administrative_license', kind: 'market_regulation', levels: 'PCX', who: 'c', themes: ['business_operation'], keywords: ['变更', '营业执照变更', '法定代表人变更'], basis: `《中华人民共和国市场主体登记管理条例》；${L}`, limits: [15, 1], visits: 0, depth: 4, result: '营业执照', materials: ['U:变更登记申请书', 'L:营业执照', 'U:股东会决议'], fields: ['changeItem:e(名称/住所/法定代表人/注册资本/经营范围):变更事项:What changes', 'changeDetail:s:变更后内容:New value'] },
  { name: '企业注销登记', type: 'administrative_license', kind: 'market_regulation', levels: 'PCX', who: 'c', themes: ['business_operation'], keywords: ['注销', '简易注销', '公司注销'], basis: `《中华人民共和国公司法》；《中华人民共和国市场主体登记管理条例》`, limits: [10, 3], visits: 0, depth: 4, result: '准予注销登记通知书', materials: ['U:注销登记申请书', 'L:营业执照', 'U:清算报告'], fields: ['simplified:b:简易注销:Simplified deregistration', 'reason:s:注销原因:Reason'] },
  { name: '食品经营许可', type: 'administrative_license', kind: 'market_regulation', levels: 'CX', who: 'c', themes: ['business_operation'], keywords: ['食品经营许可证', '餐饮', '开饭店', '小超市'], basis: `《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》`, limits: [20, 5], visits: 1, depth: 3, result: '食品经营许可证', materials: ['U:食品经营许可申请书', 'L:营业执照', 'U:经营场所平面布局图', 'U:食品安全管理制度'], fields: ['premises:s:经营场所:Premises', 'category:e(预包装食品销售/散装食品销售/热食类食品制售/冷食类食品制售):经营项目:Business category', 'area:i:经营面积（平方米）:Floor area (m²)'] },
  { name: '个体工商户登记', type: 'administrative_license', kind: 'market_regulation', levels: 'X', who: 'p', themes: ['business_startup'], keywords: ['个体户', '个体营业执照', '开店'], basis: `《促进个体工商户发展条例》；《中华人民共和国市场主体登记管理条例》`, limits: [15, 1], visits: 0, depth: 4, result: '营业执照', materials: ['U:个体工商户登记申请书', 'L:居民身份证', 'U:经营场所使用证明'], fields: ['shopName:s:字号名称:Shop name?', 'businessScope:s:经营范围:Business scope', 'shopAddress:s:经营场所:Premises'] },
  { name: '特种设备使用登记', type: 'administrative_license', kind: 'market_regulation', levels: 'CX', who: 'c', themes: ['business_operation'], keywords: ['电梯', '锅炉', '压力容器', '特种设备'], basis: `《中华人民共和国特种设备安全法》；${L}`, limits: [15, 5], visits: 0, depth: 4, result: '特种设备使用登记证', materials: ['U:特种设备使用登记表', 'U:产品合格证', 'U:监督检验证明'], fields: ['equipmentType:e(电梯/锅炉/压力容器/起重机械):设备种类:Equipment type', 'equipmentCode:s:设备代码:Equipment code'] },
  // 公安
  { name: '居民身份证换领', type: 'administrative_confirmation', kind: 'public_security', levels: 'X', who: 'p', themes: ['identity'], keywords: ['身份证到期', '换身份证', '身份证'], basis: '《中华人民共和国居民身份证法》', limits: [60, 20], visits: 1, depth: 3, fee: ['居民身份证工本费', 20, '《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》'], result: '居民身份证', materials: ['L:居民身份证', 'L:居民户口簿', 'D:现场采集的相片和指纹'], fields: ['reason:e(有效期满换领/证件损坏换领/登记项目变更换领):换领原因:Reason for renewal', 'delivery:b:邮寄送达:Deliver by post'] },
  { name: '居民身份证补领', type: 'administrative_confirmation', kind: 'public_security', levels: 'X', who: 'p', themes: ['identity'], keywords: ['身份证丢了', '身份证遗失', '身份证'], basis: '《中华人民共和国居民身份证法》', limits: [60, 20], visits: 1, depth: 3, fee: ['居民身份证工本费', 40, '《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》'], result: '居民身份证', materials: ['L:居民户口簿', 'D:现场采集的相片和指纹'], fields: ['lostDate:d:遗失日期:Date lost', 'delivery:b:邮寄送达:Deliver by post'] },
  { name: '出生登记', type: 'administrative_confirmation', kind: 'public_security', levels: 'X', who: 'p', themes: ['birth', 'identity'], keywords: ['新生儿落户', '报户口', '上户口'], basis: '《中华人民共和国户口登记条例》第七条', limits: [10, 0], visits: 0, depth: 4, result: '居民户口簿（出生登记页）', materials: ['L:出生医学证明', 'L:居民户口簿', 'L:结婚证?'], fields: ['childName:s:新生儿姓名:Child name', 'childBirthDate:d:出生日期:Date of birth', 'householdHead:s:户主姓名:Head of household'] },
  { name: '户口迁移', type: 'administrative_confirmation', kind: 'public_security', levels: 'X', who: 'p', themes: ['identity', 'housing'], keywords: ['迁户口', '落户', '户籍迁移'], basis: '《中华人民共和国户口登记条例》', limits: [20, 5], visits: 0, depth: 4, result: '户口迁移证明', materials: ['L:居民户口簿', 'L:居民身份证', 'L:不动产权证书?', 'L:结婚证?'], fields: ['moveReason:e(购房落户/投靠配偶/人才引进/就业落户):迁移原因:Reason', 'spouseName:s:配偶姓名:Spouse name?|if=moveReason=投靠配偶', 'fromAddress:s:迁出地址:Current registered address', 'toAddress:s:迁入地址:New address'] },
  { name: '普通护照签发', type: 'administrative_license', kind: 'public_security', levels: 'C', who: 'p', themes: ['travel'], keywords: ['护照', '出国', '出入境证件'], basis: '《中华人民共和国出境入境管理法》第九条；《中华人民共和国护照法》', limits: [15, 7], visits: 1, depth: 3, fee: ['普通护照工本费', 120, '《国家发展改革委 财政部关于降低部分行政事业性收费标准的通知》'], result: '普通护照', materials: ['L:居民身份证', 'D:现场采集的相片和指纹'], fields: ['purpose:e(旅游/探亲/留学/商务):出境事由:Purpose of travel', 'delivery:b:邮寄送达:Deliver by post'] },
  { name: '往来港澳通行证签发', type: 'administrative_license', kind: 'public_security', levels: 'C', who: 'p', themes: ['travel'], keywords: ['港澳通行证', '去香港', '出入境证件'], basis: '《中国公民因私事往来香港地区或者澳门地区的暂行管理办法》', limits: [15, 7], visits: 1, depth: 3, fee: ['往来港澳通行证工本费', 60, '《国家发展改革委 财政部关于降低部分行政事业性收费标准的通知》'], result: '往来港澳通行证', materials: ['L:居民身份证', 'D:现场采集的相片和指纹'], fields: ['endorsement:e(旅游/探亲/商务/其他):签注种类:Endorsement', 'delivery:b:邮寄送达:Deliver by post'] },
  { name: '机动车驾驶证换证', type: 'administrative_license', kind: 'public_security', levels: 'C', who: 'p', themes: ['travel'], keywords: ['驾照到期', '换驾照', '驾驶证'], basis: '《中华人民共和国道路交通安全法》第十九条；《机动车驾驶证申领和使用规定》', limits: [1, 0], visits: 0, depth: 4, fee: ['机动车驾驶证工本费', 10, '《机动车驾驶证工本费收费标准》'], result: '机动车驾驶证', materials: ['L:机动车驾驶证', 'L:居民身份证', 'S:身体条件证明@驾驶人体检信息'], fields: ['licenseNumber:s:驾驶证档案编号:Licence file number', 'delivery:b:邮寄送达:Deliver by post'] },
  { name: '公章刻制备案', type: 'other_power', kind: 'public_security', levels: 'X', who: 'c', themes: ['business_startup'], keywords: ['刻章', '公章', '印章'], basis: '《印铸刻字业暂行管理规则》；《国务院关于第三批取消中央指定地方实施行政许可事项的决定》', limits: [1, 0], visits: 0, depth: 4, result: '印章备案回执', materials: ['L:营业执照', 'L:居民身份证'], fields: ['sealTypes:s:印章种类（公章、财务章、发票专用章等）:Seals to engrave', 'engraver:s:刻章企业:Engraving company'] },
  { name: '居住证申领', type: 'administrative_confirmation', kind: 'public_security', levels: 'X', who: 'p', themes: ['identity', 'housing'], keywords: ['居住证', '暂住证', '外地人'], basis: '《居住证暂行条例》', limits: [15, 5], visits: 0, depth: 4, result: '居住证', materials: ['L:居民身份证', 'U:居住证明（租房合同等）'], fields: ['residence:s:居住地址:Address of residence', 'employer:s:就业单位:Employer?'] },
  // 人力社保
  { name: '社会保障卡申领', type: 'public_service', kind: 'human_resources', levels: 'CX', who: 'p', themes: ['social_insurance', 'birth'], keywords: ['社保卡', '办社保卡', '新生儿社保卡'], basis: '《中华人民共和国社会保险法》第五十八条', limits: [20, 5], visits: 0, depth: 4, result: '社会保障卡', materials: ['L:居民身份证', 'S:证件照片@人口基础信息库'], fields: ['bank:e(中国工商银行/中国农业银行/中国银行/中国建设银行):服务银行:Bank', 'delivery:b:邮寄送达:Deliver by post'] },
  { name: '失业保险金申领', type: 'administrative_payment', kind: 'human_resources', levels: 'CX', who: 'p', themes: ['employment', 'social_insurance'], keywords: ['失业金', '领失业金', '失业'], basis: '《中华人民共和国社会保险法》第四十五条；《失业保险条例》', limits: [20, 5], visits: 0, depth: 4, result: '失业保险金核定结果', materials: ['L:居民身份证', 'S:解除劳动关系证明@就业失业登记信息', 'L:社会保障卡'], fields: ['lastEmployer:s:原工作单位:Last employer', 'separationDate:d:离职日期:Date of separation', 'bankAccount:s:银行账号:Bank account'] },
  { name: '职工退休审批', type: 'administrative_confirmation', kind: 'human_resources', levels: 'CX', who: 'pc', themes: ['retirement'], keywords: ['办退休', '退休', '退休手续'], basis: '《国务院关于工人退休、退职的暂行办法》；《中华人民共和国社会保险法》第十六条', limits: [20, 10], visits: 0, depth: 4, result: '退休审批表', materials: ['L:居民身份证', 'S:参保缴费记录@社会保险参保信息', 'U:职工档案?'], fields: ['employer:s:工作单位:Employer', 'retireDate:d:拟退休日期:Planned retirement date', 'specialJob:b:特殊工种:Special occupation'] },
  { name: '基本养老保险待遇申领', type: 'administrative_payment', kind: 'human_resources', levels: 'CX', who: 'p', themes: ['retirement', 'elderly_care', 'social_insurance'], keywords: ['养老金', '退休金', '领养老金'], basis: '《中华人民共和国社会保险法》第十六条', limits: [20, 10], visits: 0, depth: 4, result: '基本养老金核定表', materials: ['L:居民身份证', 'L:社会保障卡', 'D:退休审批表'], fields: ['bankAccount:s:银行账号:Bank account', 'retireDate:d:退休日期:Retirement date'] },
  { name: '单位社会保险登记', type: 'administrative_confirmation', kind: 'human_resources', levels: 'CX', who: 'c', themes: ['business_startup', 'social_insurance'], keywords: ['社保开户', '单位参保', '社保登记'], basis: '《中华人民共和国社会保险法》第五十七条；《社会保险登记管理暂行办法》', limits: [15, 0], visits: 0, depth: 4, result: '社会保险登记信息', materials: ['L:营业执照'], fields: ['employees:i:参保职工人数:Insured employees', 'bankAccount:s:单位银行账号:Company bank account'] },
  { name: '就业登记', type: 'public_service', kind: 'human_resources', levels: 'X', who: 'pc', themes: ['employment'], keywords: ['就业', '用工备案', '招工'], basis: '《中华人民共和国就业促进法》；《就业服务与就业管理规定》', limits: [5, 0], visits: 0, depth: 4, result: '就业登记信息', materials: ['L:居民身份证', 'U:劳动合同'], fields: ['employer:s:用人单位:Employer', 'startDate:d:入职日期:Start date'] },
  { name: '职业技能等级证书查询核验', type: 'public_service', kind: 'human_resources', levels: 'P', who: 'pc', themes: ['employment', 'education_career'], keywords: ['技能证书', '职业资格', '证书查询'], basis: '《国家职业资格目录》；《关于改革完善技能人才评价制度的意见》', limits: [1, 0], visits: 0, depth: 4, result: '核验结果', materials: ['L:居民身份证'], fields: ['certificateNo:s:证书编号:Certificate number'] },
  { name: '创业担保贷款申请', type: 'public_service', kind: 'human_resources', levels: 'CX', who: 'p', themes: ['employment', 'business_startup'], keywords: ['创业贷款', '贴息', '创业扶持'], basis: '《关于进一步做好创业担保贷款财政贴息工作的通知》', limits: [20, 10], visits: 1, depth: 3, result: '创业担保贷款审核意见', materials: ['L:居民身份证', 'L:营业执照', 'U:创业计划书'], fields: ['amount:i:申请额度（万元）:Amount (10k yuan)', 'project:s:创业项目:Business project'] },
  // 卫生健康
  { name: '出生医学证明首次签发', type: 'public_service', kind: 'health', levels: 'X', who: 'p', themes: ['birth'], keywords: ['出生证', '出生医学证明', '新生儿'], basis: '《中华人民共和国母婴保健法》第二十三条；《出生医学证明管理办法》', limits: [5, 0], visits: 0, depth: 4, result: '出生医学证明', materials: ['L:居民身份证', 'D:分娩记录'], fields: ['childName:s:新生儿姓名:Child name', 'childBirthDate:d:出生日期:Date of birth', 'hospital:s:出生医院:Hospital', 'childGender:e(男/女):新生儿性别:Child gender'] },
  { name: '生育登记', type: 'public_service', kind: 'health', levels: 'X', who: 'p', themes: ['birth'], keywords: ['准生证', '生育服务登记', '怀孕'], basis: '《中华人民共和国人口与计划生育法》', limits: [1, 0], visits: 0, depth: 4, result: '生育登记信息', materials: ['L:居民身份证', 'L:结婚证?'], fields: ['expectedDate:d:预产期:Expected date of birth?', 'spouseName:s:配偶姓名:Spouse name?'] },
  { name: '医师执业注册', type: 'administrative_license', kind: 'health', levels: 'PCX', who: 'p', themes: ['employment', 'medical'], keywords: ['医师注册', '执业医师', '多点执业'], basis: '《中华人民共和国医师法》；《医师执业注册管理办法》', limits: [20, 5], visits: 0, depth: 4, result: '医师执业证书', materials: ['L:居民身份证', 'U:医师资格证书', 'U:健康证明'], fields: ['institution:s:执业机构:Practice institution', 'specialty:s:执业范围:Specialty'] },
  { name: '公共场所卫生许可', type: 'administrative_license', kind: 'health', levels: 'X', who: 'c', themes: ['business_operation'], keywords: ['卫生许可证', '理发店', '宾馆', '游泳馆'], basis: `《公共场所卫生管理条例》；${L}`, limits: [20, 5], visits: 1, depth: 3, result: '公共场所卫生许可证', materials: ['L:营业执照', 'U:卫生管理制度', 'U:场所平面图'], fields: ['venueType:e(住宿/美容美发/游泳场所/沐浴场所):场所类别:Venue type', 'venueAddress:s:场所地址:Address'] },
  // 医保
  { name: '城乡居民基本医疗保险参保登记', type: 'public_service', kind: 'medical_insurance', levels: 'CX', who: 'p', themes: ['medical', 'birth', 'social_insurance'], keywords: ['医保', '新生儿医保', '居民医保', '参保'], basis: '《中华人民共和国社会保险法》第二十五条；《医疗保障经办政务服务事项清单》', limits: [5, 0], visits: 0, depth: 4, fee: ['城乡居民基本医疗保险个人缴费', 380, '所在设区市当年度城乡居民医保个人缴费标准'], result: '参保登记信息', materials: ['L:居民身份证', 'L:居民户口簿?', 'L:出生医学证明?'], fields: ['insuredName:s:参保人姓名:Insured person', 'insuredIdNumber:s:参保人身份号码:Insured ID number?', 'relation:e(本人/子女/配偶/父母):与申请人关系:Relation to applicant'] },
  { name: '异地就医备案', type: 'public_service', kind: 'medical_insurance', levels: 'CX', who: 'p', themes: ['medical', 'travel'], keywords: ['异地就医', '医保备案', '跨省就医'], basis: '《关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》', limits: [1, 0], visits: 0, depth: 4, result: '异地就医备案信息', materials: ['L:社会保障卡', 'U:异地居住证明?'], fields: ['destination:s:就医地:Where care is sought', 'filingType:e(异地长期居住/常驻异地工作/异地转诊/临时外出就医):备案类型:Filing type', 'startDate:d:开始日期:Start date'] },
  { name: '医保退休人员待遇核定', type: 'administrative_confirmation', kind: 'medical_insurance', levels: 'CX', who: 'p', themes: ['retirement', 'medical'], keywords: ['退休医保', '医保年限', '医保待遇'], basis: '《中华人民共和国社会保险法》第二十七条', limits: [10, 5], visits: 0, depth: 4, result: '医保退休待遇核定结果', materials: ['L:居民身份证', 'D:退休审批表'], fields: ['retireDate:d:退休日期:Retirement date'] },
  { name: '生育津贴申领', type: 'administrative_payment', kind: 'medical_insurance', levels: 'CX', who: 'pc', themes: ['birth', 'social_insurance'], keywords: ['生育津贴', '产假工资', '生育保险'], basis: '《中华人民共和国社会保险法》第五十六条', limits: [20, 10], visits: 0, depth: 4, result: '生育津贴核定结果', materials: ['L:居民身份证', 'L:出生医学证明', 'L:结婚证?'], fields: ['employer:s:用人单位:Employer', 'childBirthDate:d:分娩日期:Date of delivery', 'bankAccount:s:银行账号:Bank account'] },
  { name: '门诊慢特病待遇认定', type: 'administrative_confirmation', kind: 'medical_insurance', levels: 'CX', who: 'p', themes: ['medical'], keywords: ['慢性病', '特殊病', '门诊'], basis: '《关于建立健全职工基本医疗保险门诊共济保障机制的指导意见》', limits: [20, 10], visits: 0, depth: 4, result: '慢特病待遇认定结果', materials: ['L:社会保障卡', 'U:病历及诊断证明'], fields: ['disease:s:病种:Condition', 'hospital:s:定点医院:Designated hospital'] },
  // 民政
  { name: '内地居民结婚登记', type: 'administrative_confirmation', kind: 'civil_affairs', levels: 'X', who: 'p', themes: ['marriage'], keywords: ['结婚', '领证', '婚姻登记'], basis: '《婚姻登记条例》第四条', limits: [1, 0], visits: 1, depth: 2, result: '结婚证', materials: ['L:居民身份证', 'L:居民户口簿', 'U:本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明'], fields: ['partnerName:s:对方姓名:Partner name', 'partnerIdNumber:s:对方身份号码:Partner ID number', 'appointment:d:预约登记日期:Appointment date'] },
  { name: '内地居民离婚登记', type: 'administrative_confirmation', kind: 'civil_affairs', levels: 'X', who: 'p', themes: ['marriage'], keywords: ['离婚', '婚姻登记', '冷静期'], basis: '《中华人民共和国民法典》第一千零七十六条；《婚姻登记条例》', limits: [30, 30], visits: 2, depth: 2, result: '离婚证', materials: ['L:居民身份证', 'L:结婚证', 'U:离婚协议书'], fields: ['partnerName:s:对方姓名:Partner name', 'appointment:d:预约登记日期:Appointment date'] },
  { name: '婚姻登记记录证明', type: 'public_service', kind: 'civil_affairs', levels: 'X', who: 'p', themes: ['marriage', 'housing'], keywords: ['婚姻状况证明', '单身证明', '婚姻记录'], basis: '《民政部关于贯彻落实〈国务院关于取消一批行政许可事项的决定〉有关事项的通知》', limits: [1, 0], visits: 0, depth: 4, result: '婚姻登记记录证明', materials: ['L:居民身份证'], fields: ['purpose:e(购房/落户/公证/其他):用途:Purpose'] },
  { name: '最低生活保障审核确认', type: 'administrative_payment', kind: 'civil_affairs', levels: 'X', who: 'p', themes: ['social_assistance'], keywords: ['低保', '困难补助', '救助'], basis: '《社会救助暂行办法》；《最低生活保障审核确认办法》', limits: [30, 20], visits: 0, depth: 3, result: '最低生活保障金', materials: ['L:居民身份证', 'L:居民户口簿', 'U:家庭收入和财产状况声明', 'S:家庭经济状况@居民家庭经济状况核对信息'], fields: ['familySize:i:家庭人口:Household size', 'monthlyIncome:i:家庭月收入（元）:Monthly household income (yuan)', 'bankAccount:s:银行账号:Bank account'] },
  { name: '高龄津贴发放', type: 'administrative_payment', kind: 'civil_affairs', levels: 'X', who: 'p', themes: ['elderly_care'], keywords: ['高龄补贴', '老年人津贴', '80岁'], basis: '《中华人民共和国老年人权益保障法》；《浙江省老年人权益保障条例》', limits: [20, 10], visits: 0, depth: 4, result: '高龄津贴', materials: ['L:居民身份证', 'L:居民户口簿'], fields: ['elderName:s:老人姓名:Elder name', 'elderIdNumber:s:老人身份号码:Elder ID number', 'bankAccount:s:银行账号:Bank account'] },
  { name: '养老机构备案', type: 'other_power', kind: 'civil_affairs', levels: 'CX', who: 'c', themes: ['elderly_care', 'business_operation'], keywords: ['养老院', '养老机构', '备案'], basis: '《中华人民共和国老年人权益保障法》；《养老机构管理办法》', limits: [5, 1], visits: 0, depth: 4, result: '养老机构备案回执', materials: ['L:营业执照', 'U:养老机构备案书', 'U:消防安全承诺书'], fields: ['beds:i:床位数:Beds', 'institutionAddress:s:机构地址:Address'] },
  { name: '困难残疾人生活补贴和重度残疾人护理补贴', type: 'administrative_payment', kind: 'civil_affairs', levels: 'X', who: 'p', themes: ['disability', 'social_assistance'], keywords: ['残疾人两项补贴', '护理补贴', '生活补贴'], basis: '《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》', limits: [20, 10], visits: 0, depth: 4, result: '补贴发放', materials: ['L:中华人民共和国残疾人证', 'L:居民身份证'], fields: ['bankAccount:s:银行账号:Bank account'] },
  { name: '社会团体成立登记', type: 'administrative_license', kind: 'civil_affairs', levels: 'PCX', who: 'c', themes: ['business_operation'], keywords: ['社团', '协会', '商会'], basis: `《社会团体登记管理条例》；${L}`, limits: [60, 20], visits: 1, depth: 3, result: '社会团体法人登记证书', materials: ['U:登记申请书', 'U:章程草案', 'U:业务主管单位批准文件'], fields: ['orgName:s:社团名称:Association name', 'members:i:会员数量:Members'] },
  // 住房公积金
  { name: '住房公积金提取（购房）', type: 'public_service', kind: 'housing_fund', levels: 'C', who: 'p', themes: ['housing'], keywords: ['公积金提取', '买房提取', '住房公积金'], basis: '《住房公积金管理条例》第二十四条', limits: [3, 1], visits: 0, depth: 4, result: '提取到账', materials: ['L:居民身份证', 'L:不动产权证书', 'U:购房合同?'], fields: ['amount:i:提取金额（元）:Amount (yuan)', 'bankAccount:s:银行账号:Bank account'] },
  { name: '住房公积金提取（租房）', type: 'public_service', kind: 'housing_fund', levels: 'C', who: 'p', themes: ['housing'], keywords: ['公积金提取', '租房提取', '住房公积金'], basis: '《住房公积金管理条例》第二十四条', limits: [3, 0], visits: 0, depth: 4, result: '提取到账', materials: ['L:居民身份证', 'S:无房证明@不动产登记信息'], fields: ['rentCity:s:租房城市:City of rental', 'bankAccount:s:银行账号:Bank account'] },
  { name: '住房公积金提取（退休）', type: 'public_service', kind: 'housing_fund', levels: 'C', who: 'p', themes: ['housing', 'retirement'], keywords: ['退休提取', '销户提取', '住房公积金'], basis: '《住房公积金管理条例》第二十四条', limits: [3, 0], visits: 0, depth: 4, result: '提取到账并销户', materials: ['L:居民身份证', 'D:退休审批表'], fields: ['bankAccount:s:银行账号:Bank account'] },
  { name: '住房公积金个人住房贷款', type: 'public_service', kind: 'housing_fund', levels: 'C', who: 'p', themes: ['housing'], keywords: ['公积金贷款', '买房贷款', '住房公积金'], basis: '《住房公积金管理条例》第二十六条', limits: [15, 10], visits: 1, depth: 3, result: '贷款审批结果', materials: ['L:居民身份证', 'L:结婚证?', 'U:购房合同', 'U:首付款凭证'], fields: ['loanAmount:i:贷款金额（万元）:Loan (10k yuan)', 'loanYears:i:贷款年限:Years', 'propertyAddress:s:房屋坐落:Property address'] },
  { name: '住房公积金单位缴存登记', type: 'public_service', kind: 'housing_fund', levels: 'C', who: 'c', themes: ['business_startup'], keywords: ['公积金开户', '单位公积金', '住房公积金'], basis: '《住房公积金管理条例》第十四条', limits: [5, 0], visits: 0, depth: 4, result: '单位公积金账户', materials: ['L:营业执照'], fields: ['employees:i:缴存职工人数:Employees', 'depositRate:i:缴存比例（%）:Rate (%)'] },
  // 自然资源、住建
  { name: '不动产转移登记（二手房）', type: 'administrative_confirmation', kind: 'natural_resources', levels: 'C', who: 'pc', themes: ['housing'], keywords: ['过户', '二手房过户', '房产证', '不动产登记'], basis: '《中华人民共和国民法典》第二百零九条；《不动产登记暂行条例》', limits: [30, 5], visits: 1, depth: 3, fee: ['不动产登记费（住宅）', 80, '《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》'], result: '不动产权证书', materials: ['L:居民身份证', 'L:不动产权证书', 'U:存量房买卖合同', 'S:完税信息@税务缴税信息'], fields: ['propertyAddress:s:不动产坐落:Property address', 'buyerName:s:买受人:Buyer', 'price:i:成交价格（元）:Price (yuan)'] },
  { name: '不动产首次登记', type: 'administrative_confirmation', kind: 'natural_resources', levels: 'C', who: 'pc', themes: ['housing', 'construction'], keywords: ['新房办证', '首次登记', '不动产登记'], basis: '《不动产登记暂行条例》', limits: [30, 10], visits: 1, depth: 3, fee: ['不动产登记费（住宅）', 80, '《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》'], result: '不动产权证书', materials: ['L:营业执照?', 'U:竣工验收材料', 'U:房屋测绘报告'], fields: ['propertyAddress:s:不动产坐落:Property address'] },
  { name: '不动产抵押登记', type: 'administrative_confirmation', kind: 'natural_resources', levels: 'C', who: 'pc', themes: ['housing'], keywords: ['抵押', '房贷', '不动产登记'], basis: '《中华人民共和国民法典》第四百零二条；《不动产登记暂行条例》', limits: [30, 3], visits: 0, depth: 4, fee: ['不动产登记费（住宅）', 80, '《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》'], result: '不动产登记证明', materials: ['L:不动产权证书', 'U:抵押合同', 'U:主债权合同'], fields: ['propertyAddress:s:不动产坐落:Property address', 'mortgagee:s:抵押权人:Mortgagee', 'amount:i:债权数额（元）:Secured amount (yuan)'] },
  { name: '建设工程规划许可证核发', type: 'administrative_license', kind: 'natural_resources', levels: 'CX', who: 'c', themes: ['construction'], keywords: ['规划许可', '工程规划', '建设工程'], basis: `《中华人民共和国城乡规划法》第四十条；${L}`, limits: [20, 10], visits: 0, depth: 4, result: '建设工程规划许可证', materials: ['L:营业执照', 'U:建设工程设计方案', 'U:使用土地的有关证明文件'], fields: ['projectName:s:项目名称:Project', 'projectAddress:s:建设位置:Location', 'floorArea:i:建筑面积（平方米）:Floor area (m²)'] },
  { name: '建设用地规划许可证核发', type: 'administrative_license', kind: 'natural_resources', levels: 'CX', who: 'c', themes: ['construction'], keywords: ['用地规划', '规划许可', '建设用地'], basis: `《中华人民共和国城乡规划法》第三十七条；${L}`, limits: [20, 10], visits: 0, depth: 4, result: '建设用地规划许可证', materials: ['L:营业执照', 'U:建设项目批准、核准或备案文件', 'U:土地出让合同'], fields: ['projectName:s:项目名称:Project', 'landArea:i:用地面积（平方米）:Land area (m²)'] },
  { name: '建筑工程施工许可证核发', type: 'administrative_license', kind: 'housing', levels: 'PCX', who: 'c', themes: ['construction'], keywords: ['施工许可', '开工', '建筑工程'], basis: `《中华人民共和国建筑法》第七条；《建筑工程施工许可管理办法》`, limits: [7, 3], visits: 0, depth: 4, result: '建筑工程施工许可证', materials: ['L:营业执照', 'L:建设工程规划许可证', 'U:施工合同', 'U:施工图审查合格书'], fields: ['projectName:s:项目名称:Project', 'contractPrice:i:合同价格（万元）:Contract price (10k yuan)', 'builder:s:施工单位:Contractor'] },
  { name: '商品房预售许可', type: 'administrative_license', kind: 'housing', levels: 'PC', who: 'c', themes: ['housing', 'construction'], keywords: ['预售证', '商品房', '楼盘'], basis: `《中华人民共和国城市房地产管理法》第四十五条；《城市商品房预售管理办法》`, limits: [10, 5], visits: 0, depth: 4, result: '商品房预售许可证', materials: ['L:营业执照', 'L:建筑工程施工许可证', 'U:预售方案'], fields: ['projectName:s:项目名称:Project', 'units:i:预售套数:Units'] },
  { name: '建筑业企业资质核准', type: 'administrative_license', kind: 'housing', levels: 'PC', who: 'c', themes: ['construction', 'business_operation'], keywords: ['资质', '施工资质', '建筑企业'], basis: `《中华人民共和国建筑法》第十三条；《建筑业企业资质管理规定》`, limits: [20, 15], visits: 0, depth: 4, result: '建筑业企业资质证书', materials: ['L:营业执照', 'U:企业资质申请表', 'U:技术负责人证明'], fields: ['qualification:s:申请资质类别和等级:Qualification applied for'] },
  // 教育
  { name: '义务教育入学报名', type: 'public_service', kind: 'education', levels: 'X', who: 'p', themes: ['schooling'], keywords: ['小学报名', '初中报名', '入学', '上学'], basis: '《中华人民共和国义务教育法》第十二条', limits: [20, 20], visits: 0, depth: 4, result: '入学通知', materials: ['L:居民户口簿', 'L:不动产权证书?', 'L:居住证?'], fields: ['childName:s:学生姓名:Pupil name', 'childIdNumber:s:学生身份号码:Pupil ID number', 'stage:e(小学/初中):学段:Stage', 'school:s:报名学校:School'] },
  { name: '教师资格认定', type: 'administrative_license', kind: 'education', levels: 'CX', who: 'p', themes: ['education_career', 'employment'], keywords: ['教师资格证', '教资认定', '当老师'], basis: '《中华人民共和国教师法》第十条；《教师资格条例》', limits: [60, 30], visits: 0, depth: 4, result: '教师资格证书', materials: ['L:居民身份证', 'L:学历证书', 'U:体检报告', 'S:教师资格考试合格证明@教师资格考试信息'], fields: ['level:e(幼儿园/小学/初级中学/高级中学/中等职业学校):资格种类:Level', 'subject:s:任教学科:Subject'] },
  { name: '民办学校办学许可', type: 'administrative_license', kind: 'education', levels: 'PCX', who: 'c', themes: ['schooling', 'business_operation'], keywords: ['办学许可证', '培训学校', '民办学校'], basis: `《中华人民共和国民办教育促进法》第十二条；${L}`, limits: [90, 60], visits: 1, depth: 3, result: '民办学校办学许可证', materials: ['U:申办报告', 'U:学校章程', 'U:资产证明'], fields: ['schoolName:s:学校名称:School name', 'schoolType:s:办学类型:Type'] },
  { name: '学生资助申请', type: 'administrative_payment', kind: 'education', levels: 'CX', who: 'p', themes: ['schooling', 'social_assistance'], keywords: ['助学金', '贫困生', '资助'], basis: '《关于建立健全家庭经济困难学生认定工作的指导意见》', limits: [20, 10], visits: 0, depth: 4, result: '资助结果', materials: ['L:居民户口簿', 'S:家庭经济状况@居民家庭经济状况核对信息'], fields: ['studentName:s:学生姓名:Student', 'school:s:就读学校:School'] },
  // 交通
  { name: '道路货物运输经营许可', type: 'administrative_license', kind: 'transport', levels: 'P', who: 'c', themes: ['business_operation', 'travel'], keywords: ['道路运输许可证', '货运', '物流'], basis: `《中华人民共和国道路运输条例》；${L}`, limits: [20, 10], visits: 0, depth: 4, result: '道路运输经营许可证', materials: ['L:营业执照', 'U:车辆情况说明', 'U:安全生产管理制度'], fields: ['vehicles:i:车辆数:Vehicles', 'scope:s:经营范围:Scope'] },
  { name: '道路旅客运输经营许可', type: 'administrative_license', kind: 'transport', levels: 'P', who: 'c', themes: ['business_operation', 'travel'], keywords: ['客运', '道路运输许可证', '班车'], basis: `《中华人民共和国道路运输条例》；${L}`, limits: [20, 10], visits: 0, depth: 4, result: '道路运输经营许可证', materials: ['L:营业执照', 'U:客运车辆证明', 'U:驾驶人员从业资格证明'], fields: ['routes:s:拟经营线路:Routes', 'vehicles:i:车辆数:Vehicles'] },
  { name: '出租汽车驾驶员从业资格注册', type: 'administrative_confirmation', kind: 'transport', levels: 'P', who: 'p', themes: ['employment', 'travel'], keywords: ['网约车', '出租车司机', '从业资格'], basis: '《出租汽车驾驶员从业资格管理规定》', limits: [10, 5], visits: 0, depth: 4, result: '从业资格注册信息', materials: ['L:机动车驾驶证', 'L:居民身份证'], fields: ['company:s:服务企业:Operator'] },
  // 生态环境
  { name: '排污许可证核发', type: 'administrative_license', kind: 'ecology', levels: 'P', who: 'c', themes: ['environment', 'business_operation'], keywords: ['排污许可', '排污证', '环保'], basis: `《中华人民共和国环境保护法》第四十五条；《排污许可管理条例》`, limits: [20, 15], visits: 0, depth: 4, result: '排污许可证', materials: ['L:营业执照', 'U:排污许可证申请表', 'U:自行监测方案'], fields: ['industry:s:行业类别:Industry', 'pollutants:s:主要污染物:Main pollutants'] },
  { name: '建设项目环境影响报告书审批', type: 'administrative_license', kind: 'ecology', levels: 'P', who: 'c', themes: ['environment', 'construction'], keywords: ['环评', '环境影响评价', '环评审批'], basis: `《中华人民共和国环境影响评价法》第二十二条；${L}`, limits: [60, 20], visits: 0, depth: 4, result: '环评批复', materials: ['L:营业执照', 'U:环境影响报告书'], fields: ['projectName:s:项目名称:Project', 'investment:i:总投资（万元）:Investment (10k yuan)'] },
  // 税务
  { name: '发票领用', type: 'administrative_confirmation', kind: 'taxation', levels: 'X', who: 'c', themes: ['business_startup', 'business_operation'], keywords: ['领发票', '发票申领', '数电发票'], basis: '《中华人民共和国税收征收管理法》第二十一条；《中华人民共和国发票管理办法》', limits: [1, 0], visits: 0, depth: 4, result: '发票领用', materials: ['L:营业执照', 'L:居民身份证'], fields: ['invoiceType:e(数电发票/增值税专用发票/增值税普通发票):发票种类:Invoice type', 'monthlyQuantity:i:每月数量:Per month'] },
  { name: '个人所得税综合所得汇算清缴', type: 'administrative_levy', kind: 'taxation', levels: 'X', who: 'p', themes: ['employment'], keywords: ['个税', '退税', '年度汇算'], basis: '《中华人民共和国个人所得税法》第十一条', limits: [1, 0], visits: 0, depth: 4, result: '汇算结果', materials: ['L:居民身份证'], fields: ['taxYear:i:所属年度:Tax year', 'bankAccount:s:退税账户:Refund account?'] },
  { name: '契税申报', type: 'administrative_levy', kind: 'taxation', levels: 'X', who: 'pc', themes: ['housing'], keywords: ['契税', '买房交税', '房产税费'], basis: '《中华人民共和国契税法》', limits: [1, 0], visits: 0, depth: 4, result: '完税证明', materials: ['L:居民身份证', 'U:房屋买卖合同'], fields: ['propertyAddress:s:房屋坐落:Property address', 'price:i:计税价格（元）:Taxable price (yuan)'] },
  // 残联
  { name: '残疾人证新办', type: 'administrative_confirmation', kind: 'disabled_persons', levels: 'X', who: 'p', themes: ['disability'], keywords: ['残疾证', '办残疾证', '残疾评定'], basis: '《中华人民共和国残疾人保障法》；《中华人民共和国残疾人证管理办法》', limits: [20, 10], visits: 1, depth: 3, result: '中华人民共和国残疾人证', materials: ['L:居民身份证', 'L:居民户口簿', 'D:残疾评定结果'], fields: ['disabilityType:e(视力/听力/言语/肢体/智力/精神/多重):残疾类别:Type of disability', 'guardianName:s:监护人姓名:Guardian?'] },
  { name: '残疾人辅助器具适配补贴', type: 'administrative_payment', kind: 'disabled_persons', levels: 'X', who: 'p', themes: ['disability'], keywords: ['辅具', '轮椅', '助听器'], basis: '《中华人民共和国残疾人保障法》；《浙江省残疾人辅助器具适配补贴办法》', limits: [20, 10], visits: 0, depth: 4, result: '辅助器具补贴', materials: ['L:中华人民共和国残疾人证'], fields: ['device:s:辅助器具名称:Device'] },
]

/** The demo bundles (一件事一次办), naming their member items. */
export const DEMO_BUNDLES = [
  {
    code: 'business-startup',
    name: '开办企业一件事',
    description: '营业执照、公章刻制、发票领用、社保登记、公积金开户一次申请，一日办结。',
    audience: ['company'],
    themes: ['business_startup'],
    items: ['企业设立登记', '公章刻制备案', '发票领用', '单位社会保险登记', '住房公积金单位缴存登记'],
  },
  {
    code: 'birth',
    name: '出生一件事',
    description: '出生医学证明、户口登记、医保参保、社会保障卡申领一次办，新生儿证照全程网办。',
    audience: ['person'],
    themes: ['birth'],
    items: ['出生医学证明首次签发', '出生登记', '城乡居民基本医疗保险参保登记', '社会保障卡申领'],
  },
  {
    code: 'retirement',
    name: '退休一件事',
    description: '退休审批、养老金申领、医保退休待遇核定、公积金退休提取一次办。',
    audience: ['person'],
    themes: ['retirement'],
    items: ['职工退休审批', '基本养老保险待遇申领', '医保退休人员待遇核定', '住房公积金提取（退休）'],
  },
]

/** Departments the demo catalog needs beyond org's demo list: tax bureaus and disabled persons' federations. */
export const DEMO_EXTRA_DEPARTMENTS: {
  regionCode: string
  name: string
  shortName: string
  kind: DepartmentKind
}[] = [
  { regionCode: '330000', name: '国家税务总局浙江省税务局', shortName: '浙江省税务局', kind: 'taxation' },
  { regionCode: '330100', name: '国家税务总局杭州市税务局', shortName: '杭州市税务局', kind: 'taxation' },
  {
    regionCode: '330106',
    name: '国家税务总局杭州市西湖区税务局',
    shortName: '西湖区税务局',
    kind: 'taxation',
  },
  {
    regionCode: '330108',
    name: '国家税务总局杭州市滨江区税务局',
    shortName: '滨江区税务局',
    kind: 'taxation',
  },
  {
    regionCode: '330110',
    name: '国家税务总局杭州市余杭区税务局',
    shortName: '余杭区税务局',
    kind: 'taxation',
  },
  { regionCode: '330200', name: '国家税务总局宁波市税务局', shortName: '宁波市税务局', kind: 'taxation' },
  {
    regionCode: '330212',
    name: '国家税务总局宁波市鄞州区税务局',
    shortName: '鄞州区税务局',
    kind: 'taxation',
  },
  { regionCode: '330000', name: '浙江省残疾人联合会', shortName: '省残联', kind: 'disabled_persons' },
  {
    regionCode: '330106',
    name: '杭州市西湖区残疾人联合会',
    shortName: '西湖区残联',
    kind: 'disabled_persons',
  },
  {
    regionCode: '330108',
    name: '杭州市滨江区残疾人联合会',
    shortName: '滨江区残联',
    kind: 'disabled_persons',
  },
  {
    regionCode: '330110',
    name: '杭州市余杭区残疾人联合会',
    shortName: '余杭区残联',
    kind: 'disabled_persons',
  },
  {
    regionCode: '330212',
    name: '宁波市鄞州区残疾人联合会',
    shortName: '鄞州区残联',
    kind: 'disabled_persons',
  },
]
