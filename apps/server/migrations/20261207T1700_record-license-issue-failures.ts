import { type Kysely, sql } from 'kysely'

/**
 * Outcomes follow the decision (issue 14): a failed automatic issuance keeps its reason in Chinese and
 * English and whether a staff retry can succeed; the shipped license types take their holder fields from
 * the holder's record (居民身份证: gender and birth date), a 营业执照 can be issued to a market entity a case
 * registers (企业设立, 个体工商户: name, type, operator and premises from the form), a 不动产权证书 takes
 * its 坐落 from the form, and the shipped types that had a name only get a definition to issue from.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE license_issue_requests
      ADD COLUMN reason jsonb,
      ADD COLUMN retryable boolean;
    COMMENT ON COLUMN license_issue_requests.reason IS 'Why the case yields no license ({"zh","en"}): shown to the case''s staff and its applicant.';
    COMMENT ON COLUMN license_issue_requests.retryable IS 'For a failed request: whether a staff retry can succeed once the cause is fixed elsewhere (a type''s definition, the holder''s current license).';
    COMMENT ON COLUMN license_types.issuance_map IS 'Automatic issuance on case completion: license field -> source, alternatives a|b (the first with a value): a case form field, or $holder.name, $holder.identifier, $holder.gender, $holder.birthDate (from the holder''s record), $holder.representative, $holder.entityType (a market entity the case registers), $issuedOn.';
  `.execute(db)
  const maps: Record<string, Record<string, string>> = {
    '11100000000013127D001': {
      name: '$holder.name',
      gender: '$holder.gender',
      birthDate: '$holder.birthDate',
      idNumber: '$holder.identifier',
    },
    '11100000000010014P001': {
      companyName: 'proposedName|shopName|$holder.name',
      uscc: '$holder.identifier',
      companyType: '$holder.entityType',
      legalRepresentative: '$holder.representative',
      registeredCapital: 'registeredCapital',
      establishedOn: '$issuedOn',
      address: 'companyAddress|shopAddress',
      businessScope: 'businessScope',
    },
    '11100000000010049A001': { ownerName: '$holder.name', location: 'propertyAddress' },
  }
  for (const [code, map] of Object.entries(maps))
    await sql`UPDATE license_types SET issuance_map = ${JSON.stringify(map)}::jsonb WHERE code = ${code}`.execute(
      db,
    )
  await defineNamedTypes(db)
}

const text = (title: string, maxLength = 200) => ({ type: 'string', title, minLength: 1, maxLength })
const idNumber = (title: string) => ({ type: 'string', title, pattern: '^\\d{17}[\\dX]$' })
const uscc = { type: 'string', title: '统一社会信用代码', pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' }
const object = (properties: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
})

/** A shipped license type that had a name only: its fields, disclosure, rendering, validity and case mapping. */
interface Definition {
  code: string
  months: number | null
  schema: Record<string, unknown>
  disclosable: string[]
  map: Record<string, string>
}

/**
 * The definitions of the shipped types a demo item yields but that had a name only, so that their
 * automatic issuance has fields to issue (issue 14: every demo item whose result is a license issues it).
 */
const DEFINITIONS: Definition[] = [
  {
    code: '11100000000010014P002',
    months: 60,
    schema: object(
      {
        operatorName: text('经营者名称'),
        uscc,
        premises: text('经营场所'),
        category: text('经营项目', 100),
        area: { type: 'integer', title: '经营面积（平方米）', minimum: 0 },
      },
      ['operatorName', 'uscc', 'premises', 'category'],
    ),
    disclosable: ['operatorName', 'uscc', 'premises', 'category'],
    map: {
      operatorName: '$holder.name',
      uscc: '$holder.identifier',
      premises: 'premises',
      category: 'category',
      area: 'area',
    },
  },
  {
    code: '11100000000013127D005',
    months: 12,
    schema: object(
      {
        name: text('姓名', 60),
        idNumber: idNumber('公民身份号码'),
        residence: text('居住地址'),
        employer: text('就业单位'),
      },
      ['name', 'idNumber', 'residence'],
    ),
    disclosable: ['name'],
    map: {
      name: '$holder.name',
      idNumber: '$holder.identifier',
      residence: 'residence',
      employer: 'employer',
    },
  },
  {
    code: '11100000000010022J002',
    months: null,
    schema: object(
      {
        holderName: text('持证人', 60),
        holderIdNumber: idNumber('身份证件号'),
        spouseName: text('对方姓名', 60),
        registeredOn: { type: 'string', title: '登记日期', format: 'date' },
      },
      ['holderName', 'spouseName', 'registeredOn'],
    ),
    disclosable: ['holderName', 'registeredOn'],
    map: {
      holderName: '$holder.name',
      holderIdNumber: '$holder.identifier',
      spouseName: 'partnerName',
      registeredOn: '$issuedOn',
    },
  },
  {
    code: '11100000000010049A002',
    months: null,
    schema: object(
      {
        builderName: text('建设单位'),
        uscc,
        projectName: text('建设项目名称'),
        projectAddress: text('建设位置'),
        floorArea: { type: 'integer', title: '建设规模（平方米）', minimum: 0 },
      },
      ['builderName', 'projectName', 'projectAddress'],
    ),
    disclosable: ['builderName', 'projectName', 'projectAddress'],
    map: {
      builderName: '$holder.name',
      uscc: '$holder.identifier',
      projectName: 'projectName',
      projectAddress: 'projectAddress',
      floorArea: 'floorArea',
    },
  },
  {
    code: '111000000000101101001',
    months: null,
    schema: object(
      {
        builderName: text('建设单位'),
        uscc,
        projectName: text('工程名称'),
        contractPrice: { type: 'integer', title: '合同价格（万元）', minimum: 0 },
        contractor: text('施工单位'),
      },
      ['builderName', 'projectName'],
    ),
    disclosable: ['builderName', 'projectName', 'contractor'],
    map: {
      builderName: '$holder.name',
      uscc: '$holder.identifier',
      projectName: 'projectName',
      contractPrice: 'contractPrice',
      contractor: 'builder',
    },
  },
  {
    code: '111000000000100650001',
    months: null,
    schema: object(
      {
        name: text('姓名', 60),
        idNumber: idNumber('身份证件号码'),
        level: text('资格种类', 60),
        subject: text('任教学科', 60),
      },
      ['name', 'idNumber', 'level', 'subject'],
    ),
    disclosable: ['name', 'level', 'subject'],
    map: { name: '$holder.name', idNumber: '$holder.identifier', level: 'level', subject: 'subject' },
  },
  {
    code: '11100000000010073T001',
    months: 48,
    schema: object(
      {
        operatorName: text('业户名称'),
        uscc,
        scope: text('经营范围', 500),
        vehicles: { type: 'integer', title: '车辆数', minimum: 0 },
      },
      ['operatorName', 'uscc', 'scope'],
    ),
    disclosable: ['operatorName', 'scope'],
    map: { operatorName: '$holder.name', uscc: '$holder.identifier', scope: 'scope', vehicles: 'vehicles' },
  },
  {
    code: '111000000000101026001',
    months: 120,
    schema: object(
      {
        name: text('姓名', 60),
        gender: { type: 'string', title: '性别', enum: ['男', '女'] },
        birthDate: { type: 'string', title: '出生日期', format: 'date' },
        idNumber: idNumber('公民身份号码'),
        disabilityType: text('残疾类别', 20),
      },
      ['name', 'idNumber', 'disabilityType'],
    ),
    disclosable: ['name', 'disabilityType'],
    map: {
      name: '$holder.name',
      gender: '$holder.gender',
      birthDate: '$holder.birthDate',
      idNumber: '$holder.identifier',
      disabilityType: 'disabilityType',
    },
  },
]

/** Lines of the rendering: each field's title and its placeholder. */
function templateOf(schema: Record<string, unknown>): string {
  const properties = (schema as { properties: Record<string, { title: string }> }).properties
  return Object.entries(properties)
    .map(([field, property]) => `${property.title} {{${field}}}`)
    .join('\n')
}

/** Defines the name-only types (unless an administrator has given one a definition already). */
async function defineNamedTypes(db: Kysely<unknown>): Promise<void> {
  for (const d of DEFINITIONS)
    await sql`
      UPDATE license_types SET
        validity_kind = ${d.months === null ? 'long_term' : 'fixed'}, validity_months = ${d.months},
        fields_schema = ${JSON.stringify(d.schema)}::jsonb, disclosable_fields = ${d.disclosable},
        display_template = ${templateOf(d.schema)}, issuance_map = ${JSON.stringify(d.map)}::jsonb
      WHERE code = ${d.code} AND issuance_map = '{}'::jsonb`.execute(db)
}
