import { type Kysely, sql } from 'kysely'

/** A demo type's definition: fields schema, disclosure, display template, validity, case-field mapping. */
interface TypeDefinition {
  code: string
  validityKind: 'long_term' | 'fixed'
  validityMonths: number | null
  schema: Record<string, unknown>
  disclosable: string[]
  template: string
  issuanceMap: Record<string, string>
}

const text = (title: string, maxLength = 200) => ({ type: 'string', title, minLength: 1, maxLength })
const date = (title: string) => ({ type: 'string', title, format: 'date' })
const object = (properties: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
})

/** The license types the platform ships with a full definition (the catalog's codes). */
const DEFINITIONS: TypeDefinition[] = [
  {
    code: '11100000000013127D001',
    validityKind: 'fixed',
    validityMonths: 240,
    schema: object(
      {
        name: text('姓名', 60),
        gender: { type: 'string', title: '性别', enum: ['男', '女'] },
        ethnicity: text('民族', 20),
        birthDate: date('出生'),
        address: text('住址'),
        idNumber: { type: 'string', title: '公民身份号码', pattern: '^\\d{17}[\\dX]$' },
      },
      ['name', 'gender', 'birthDate', 'idNumber'],
    ),
    disclosable: ['name', 'gender'],
    template:
      '姓名 {{name}}\n性别 {{gender}}  民族 {{ethnicity}}\n出生 {{birthDate}}\n住址 {{address}}\n公民身份号码 {{idNumber}}',
    issuanceMap: { name: '$holder.name', idNumber: '$holder.identifier' },
  },
  {
    code: '11100000000010014P001',
    validityKind: 'long_term',
    validityMonths: null,
    schema: object(
      {
        companyName: text('名称'),
        uscc: { type: 'string', title: '统一社会信用代码', pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' },
        companyType: text('类型', 60),
        legalRepresentative: text('法定代表人', 60),
        registeredCapital: { type: 'integer', title: '注册资本（万元）', minimum: 0 },
        establishedOn: date('成立日期'),
        address: text('住所'),
        businessScope: text('经营范围', 2000),
      },
      ['companyName', 'uscc'],
    ),
    disclosable: [
      'companyName',
      'uscc',
      'companyType',
      'legalRepresentative',
      'establishedOn',
      'address',
      'businessScope',
    ],
    template:
      '名称 {{companyName}}\n统一社会信用代码 {{uscc}}\n类型 {{companyType}}\n法定代表人 {{legalRepresentative}}\n注册资本 {{registeredCapital}} 万元\n成立日期 {{establishedOn}}\n住所 {{address}}\n经营范围 {{businessScope}}',
    issuanceMap: {
      companyName: '$holder.name',
      uscc: '$holder.identifier',
      registeredCapital: 'registeredCapital',
      establishedOn: '$issuedOn',
      address: 'companyAddress',
      businessScope: 'businessScope',
    },
  },
  {
    code: '11100000000010022J001',
    validityKind: 'long_term',
    validityMonths: null,
    schema: object(
      {
        holderName: text('持证人', 60),
        holderIdNumber: { type: 'string', title: '身份证件号', pattern: '^\\d{17}[\\dX]$' },
        spouseName: text('配偶姓名', 60),
        spouseIdNumber: { type: 'string', title: '配偶身份证件号', pattern: '^\\d{17}[\\dX]$' },
        registeredOn: date('登记日期'),
      },
      ['holderName', 'spouseName', 'registeredOn'],
    ),
    disclosable: ['holderName', 'spouseName', 'registeredOn'],
    template:
      '持证人 {{holderName}}\n登记日期 {{registeredOn}}\n姓名 {{holderName}}  身份证件号 {{holderIdNumber}}\n姓名 {{spouseName}}  身份证件号 {{spouseIdNumber}}',
    issuanceMap: {
      holderName: '$holder.name',
      spouseName: 'partnerName',
      spouseIdNumber: 'partnerIdNumber',
      registeredOn: '$issuedOn',
    },
  },
  {
    code: '11100000000010030D001',
    validityKind: 'long_term',
    validityMonths: null,
    schema: object(
      {
        childName: text('新生儿姓名', 60),
        childGender: { type: 'string', title: '性别', enum: ['男', '女'] },
        childBirthDate: date('出生时间'),
        birthPlace: text('出生地点'),
        motherName: text('母亲姓名', 60),
        fatherName: text('父亲姓名', 60),
      },
      ['childName', 'childGender', 'childBirthDate'],
    ),
    disclosable: ['childName', 'childGender', 'childBirthDate'],
    template:
      '新生儿姓名 {{childName}}  性别 {{childGender}}\n出生时间 {{childBirthDate}}\n出生地点 {{birthPlace}}\n母亲姓名 {{motherName}}  父亲姓名 {{fatherName}}',
    issuanceMap: {
      childName: 'childName',
      childGender: 'childGender',
      childBirthDate: 'childBirthDate',
      birthPlace: 'hospital',
      motherName: '$holder.name',
    },
  },
  {
    code: '11100000000010049A001',
    validityKind: 'long_term',
    validityMonths: null,
    schema: object(
      {
        ownerName: text('权利人', 100),
        location: text('坐落'),
        unitNumber: text('不动产单元号', 40),
        rightType: text('权利类型', 60),
        usage: text('用途', 60),
        area: { type: 'number', title: '面积（平方米）', exclusiveMinimum: 0 },
      },
      ['ownerName', 'location'],
    ),
    disclosable: ['ownerName', 'location', 'usage'],
    template:
      '权利人 {{ownerName}}\n坐落 {{location}}\n不动产单元号 {{unitNumber}}\n权利类型 {{rightType}}\n用途 {{usage}}\n面积 {{area}} 平方米',
    issuanceMap: { ownerName: '$holder.name' },
  },
  {
    code: '111000000000100575001',
    validityKind: 'fixed',
    validityMonths: 120,
    schema: object(
      {
        name: text('姓名', 60),
        socialSecurityNumber: { type: 'string', title: '社会保障号码', pattern: '^\\d{17}[\\dX]$' },
        cardNumber: text('卡号', 20),
        bank: text('服务银行', 60),
      },
      ['name', 'socialSecurityNumber'],
    ),
    disclosable: ['name', 'bank'],
    template: '姓名 {{name}}\n社会保障号码 {{socialSecurityNumber}}\n卡号 {{cardNumber}}\n服务银行 {{bank}}',
    issuanceMap: { name: '$holder.name', socialSecurityNumber: '$holder.identifier', bank: 'bank' },
  },
  {
    code: '11100000000013127D003',
    validityKind: 'fixed',
    validityMonths: 72,
    schema: object(
      {
        name: text('姓名', 60),
        idNumber: { type: 'string', title: '证号', pattern: '^\\d{17}[\\dX]$' },
        vehicleClass: text('准驾车型', 20),
        firstIssuedOn: date('初次领证日期'),
        fileNumber: text('档案编号', 20),
      },
      ['name', 'idNumber', 'vehicleClass'],
    ),
    disclosable: ['name', 'vehicleClass', 'firstIssuedOn'],
    template:
      '姓名 {{name}}\n证号 {{idNumber}}\n准驾车型 {{vehicleClass}}\n初次领证日期 {{firstIssuedOn}}\n档案编号 {{fileNumber}}',
    issuanceMap: { name: '$holder.name', idNumber: '$holder.identifier', fileNumber: 'licenseNumber' },
  },
]

/**
 * 电子证照: takes over the catalog's license_types (adding the definition a license is issued from),
 * per-department signing keys, licenses with their signatures, QR token uses, use grants and reads.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE license_types
      ADD COLUMN validity_kind text NOT NULL DEFAULT 'long_term',
      ADD COLUMN validity_months integer,
      ADD COLUMN fields_schema jsonb NOT NULL DEFAULT '{"type":"object"}',
      ADD COLUMN disclosable_fields text[] NOT NULL DEFAULT '{}',
      ADD COLUMN display_template text NOT NULL DEFAULT '',
      ADD COLUMN issuance_map jsonb NOT NULL DEFAULT '{}',
      ADD COLUMN token_minutes integer NOT NULL DEFAULT 5,
      ADD COLUMN status text NOT NULL DEFAULT 'active',
      ADD COLUMN version integer NOT NULL DEFAULT 1,
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
      ADD CONSTRAINT license_types_validity_check CHECK (
        (validity_kind = 'long_term' AND validity_months IS NULL)
        OR (validity_kind = 'fixed' AND validity_months BETWEEN 1 AND 1200)
        OR (validity_kind = 'explicit' AND validity_months IS NULL)),
      ADD CONSTRAINT license_types_token_minutes_check CHECK (token_minutes BETWEEN 1 AND 60),
      ADD CONSTRAINT license_types_status_check CHECK (status IN ('active', 'retired'));
    COMMENT ON TABLE license_types IS '证照类型 (GB/T 36902 style code: the issuing authority''s 统一社会信用代码 followed by a 3-digit serial). Owned by the licenses module.';
    COMMENT ON COLUMN license_types.validity_kind IS 'long_term: 长期有效; fixed: validity_months from the start date; explicit: the issuer states the end date.';
    COMMENT ON COLUMN license_types.fields_schema IS 'JSON Schema (draft 2020-12 subset, compiled with Ajv) of the 照面信息 fields of a license of this type.';
    COMMENT ON COLUMN license_types.disclosable_fields IS 'Fields a verifier scanning the QR code is shown; every other field stays hidden.';
    COMMENT ON COLUMN license_types.display_template IS 'Lines of the rendering (PDF, wallet), with {{field}} placeholders.';
    COMMENT ON COLUMN license_types.issuance_map IS 'Automatic issuance on case completion: license field -> case form field, or $holder.name, $holder.identifier, $issuedOn.';
    COMMENT ON COLUMN license_types.token_minutes IS 'Lifetime of a 亮证 QR token of this type, in minutes.';

    CREATE TABLE license_signing_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      department_id uuid NOT NULL REFERENCES departments (id),
      algorithm text NOT NULL,
      public_key text NOT NULL,
      private_key_enc text NOT NULL,
      valid_from timestamptz NOT NULL,
      valid_until timestamptz,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT license_signing_keys_algorithm_check CHECK (algorithm IN ('SM2', 'Ed25519')),
      CONSTRAINT license_signing_keys_validity_check CHECK (valid_until IS NULL OR valid_until >= valid_from)
    );
    CREATE UNIQUE INDEX license_signing_keys_current ON license_signing_keys (department_id, algorithm) WHERE valid_until IS NULL;
    COMMENT ON TABLE license_signing_keys IS 'Per-department signing keys: SM2 for licenses, Ed25519 for W3C credential export. Public keys are published with their validity; a rotated-out key still verifies what it signed while valid.';
    COMMENT ON COLUMN license_signing_keys.public_key IS 'SM2: uncompressed point, 130 hex; Ed25519: the raw 32-byte key, base64url.';
    COMMENT ON COLUMN license_signing_keys.private_key_enc IS 'The private key, SM4-encrypted with the installation master key (PersonalDataVault).';
    COMMENT ON COLUMN license_signing_keys.valid_until IS 'End of the signing period (rotation); NULL for the current key. A signature dated after it is rejected.';

    CREATE TABLE license_sequences (
      issuer_code text NOT NULL,
      type_code text NOT NULL,
      last_value integer NOT NULL,
      PRIMARY KEY (issuer_code, type_code)
    );
    COMMENT ON TABLE license_sequences IS 'Last 流水号 of the GB/T 36904 identifier per (issuing authority, license type); taken with an atomic upsert.';

    CREATE TABLE licenses (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      license_no text NOT NULL UNIQUE,
      type_code text NOT NULL REFERENCES license_types (code),
      issuer_department_id uuid NOT NULL REFERENCES departments (id),
      region_code text NOT NULL,
      holder_kind text NOT NULL,
      holder_account_id text NOT NULL,
      holder_name text NOT NULL,
      fields_enc text NOT NULL,
      document_enc text NOT NULL,
      signature text NOT NULL,
      key_id uuid NOT NULL REFERENCES license_signing_keys (id),
      issued_at timestamptz NOT NULL,
      valid_from date NOT NULL,
      valid_until date,
      status text NOT NULL DEFAULT 'valid',
      status_reason text,
      status_changed_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      sequence integer NOT NULL,
      previous_id uuid REFERENCES licenses (id),
      case_id uuid,
      created_by text,
      CONSTRAINT licenses_status_check CHECK (status IN ('valid', 'suspended', 'revoked', 'superseded')),
      CONSTRAINT licenses_holder_kind_check CHECK (holder_kind IN ('person', 'company'))
    );
    CREATE INDEX licenses_holder ON licenses (holder_account_id, issued_at DESC);
    CREATE UNIQUE INDEX licenses_case_type ON licenses (case_id, type_code) WHERE case_id IS NOT NULL AND previous_id IS NULL;
    COMMENT ON TABLE licenses IS '电子证照: one version of a license. 变更 and 补发 add a new version (same 流水号, next 版本号) and supersede the old one.';
    COMMENT ON COLUMN licenses.license_no IS '电子证照标识 (GB/T 36904 structure, generateLicenseId).';
    COMMENT ON COLUMN licenses.fields_enc IS '照面信息 as JSON, SM4-encrypted: licenses carry identifiers of people.';
    COMMENT ON COLUMN licenses.document_enc IS 'The exact canonical serialization that was SM2-signed (GB/T 36903-style metadata + fields), SM4-encrypted.';
    COMMENT ON COLUMN licenses.signature IS 'SM2 signature (r||s hex, SM3 with the default user ID) over the canonical document, by key_id.';
    COMMENT ON COLUMN licenses.status IS 'valid; suspended (暂停, reversible); revoked (注销); superseded by a 变更/补发 version. Expiry is valid_until, judged at verification.';

    CREATE TABLE license_issue_requests (
      case_id uuid PRIMARY KEY,
      requested_at timestamptz NOT NULL DEFAULT now(),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      processed_at timestamptz,
      outcome text,
      license_id uuid REFERENCES licenses (id),
      CONSTRAINT license_issue_requests_outcome_check CHECK (outcome IS NULL OR outcome IN ('issued', 'not-applicable', 'failed'))
    );
    CREATE INDEX license_issue_requests_pending ON license_issue_requests (requested_at) WHERE processed_at IS NULL;
    COMMENT ON TABLE license_issue_requests IS 'Completed cases waiting for automatic issuance: written with the case.completed receipt, processed outside that transaction (the lookups reach other modules), retried until processed.';

    CREATE TABLE license_token_uses (
      token_id text PRIMARY KEY,
      license_id uuid NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX license_token_uses_expiry ON license_token_uses (expires_at);
    COMMENT ON TABLE license_token_uses IS '亮证 QR tokens already verified once: a second scan of the same token is a replay. Rows past their expiry are purged.';

    CREATE TABLE license_grants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      license_id uuid NOT NULL REFERENCES licenses (id),
      grantee_kind text NOT NULL,
      grantee_department_id uuid REFERENCES departments (id),
      grantee_case_id uuid,
      purpose text NOT NULL,
      valid_until timestamptz NOT NULL,
      granted_by text NOT NULL,
      granted_at timestamptz NOT NULL,
      withdrawn_at timestamptz,
      CONSTRAINT license_grants_grantee_check CHECK (
        (grantee_kind = 'department' AND grantee_department_id IS NOT NULL AND grantee_case_id IS NULL)
        OR (grantee_kind = 'case' AND grantee_case_id IS NOT NULL))
    );
    CREATE INDEX license_grants_license ON license_grants (license_id);
    COMMENT ON TABLE license_grants IS '用证授权: the holder lets a department, or the staff of one case, read a license for a purpose until a time.';

    CREATE TABLE license_reads (
      id bigserial PRIMARY KEY,
      license_id uuid NOT NULL REFERENCES licenses (id),
      grant_id uuid NOT NULL REFERENCES license_grants (id),
      reader_account_id text NOT NULL,
      reader_name text NOT NULL,
      department_id uuid,
      case_id uuid,
      purpose text NOT NULL,
      read_at timestamptz NOT NULL
    );
    CREATE INDEX license_reads_license ON license_reads (license_id, read_at DESC);
    COMMENT ON TABLE license_reads IS 'Every read of a license through a grant: what the holder sees as "who used my license, when, for what".';
  `.execute(db)
  for (const d of DEFINITIONS) {
    await sql`
      UPDATE license_types SET validity_kind = ${d.validityKind}, validity_months = ${d.validityMonths},
        fields_schema = ${JSON.stringify(d.schema)}::jsonb, disclosable_fields = ${d.disclosable},
        display_template = ${d.template}, issuance_map = ${JSON.stringify(d.issuanceMap)}::jsonb
      WHERE code = ${d.code}`.execute(db)
  }
}
