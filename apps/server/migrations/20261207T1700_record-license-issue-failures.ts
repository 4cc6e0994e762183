import { type Kysely, sql } from 'kysely'

/**
 * Outcomes follow the decision (issue 14): a failed automatic issuance keeps its reason in Chinese and
 * English and whether a staff retry can succeed; the shipped license types take their holder fields from
 * the holder's record (居民身份证: gender and birth date), a 营业执照 can be issued to a market entity a case
 * registers (企业设立, 个体工商户: name, type, operator and premises from the form), and a 不动产权证书 takes
 * its 坐落 from the form.
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
}
