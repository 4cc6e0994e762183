import { type Kysely, sql } from 'kysely'

/**
 * Form data of cases and drafts holds personal identifiers (an applicant's ID number, phone, address): it
 * is stored SM4-encrypted by the personal data vault in `form_data_enc`, like every personal identifier.
 *
 * The master key is not known to migrations (only to the running platform), so existing plaintext rows
 * are encrypted by the cases module when a node starts (`CasesService.encryptPlaintextFormData`, run before
 * the node serves), which empties `form_data`. Until then reads fall back to it; a later migration drops it.
 * The partial indexes find what is left to encrypt without scanning.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE cases ADD COLUMN form_data_enc text;
    ALTER TABLE cases ALTER COLUMN form_data DROP NOT NULL, ALTER COLUMN form_data DROP DEFAULT;
    ALTER TABLE cases ADD CONSTRAINT cases_form_data_once_check CHECK (form_data IS NULL OR form_data_enc IS NULL);
    COMMENT ON COLUMN cases.form_data_enc IS 'The application form data (JSON), SM4-encrypted by the personal data vault: it holds personal identifiers.';
    COMMENT ON COLUMN cases.form_data IS 'Legacy plaintext form data of cases filed before encryption; encrypted into form_data_enc and emptied when a node starts. Always null on new rows.';
    CREATE INDEX cases_plaintext_form_data_idx ON cases (id) WHERE form_data IS NOT NULL;

    ALTER TABLE case_drafts ADD COLUMN form_data_enc text;
    ALTER TABLE case_drafts ALTER COLUMN form_data DROP NOT NULL, ALTER COLUMN form_data DROP DEFAULT;
    ALTER TABLE case_drafts ADD CONSTRAINT case_drafts_form_data_once_check CHECK (form_data IS NULL OR form_data_enc IS NULL);
    COMMENT ON COLUMN case_drafts.form_data_enc IS 'The draft''s form data (JSON), SM4-encrypted by the personal data vault.';
    COMMENT ON COLUMN case_drafts.form_data IS 'Legacy plaintext form data of drafts saved before encryption; encrypted into form_data_enc and emptied when a node starts.';
    CREATE INDEX case_drafts_plaintext_form_data_idx ON case_drafts (id) WHERE form_data IS NOT NULL;
  `.execute(db)
}
