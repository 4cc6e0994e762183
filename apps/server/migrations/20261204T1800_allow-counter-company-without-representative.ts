import { type Kysely, sql } from 'kysely'

/**
 * 一窗受理: a window clerk may open the account of a company whose agent (经办人) applies at the counter. The
 * business licence the clerk checks names the legal representative but carries no ID number, so no person
 * account can be tied to it, and the agent must not become the representative (that would let them manage
 * the company's online agents). Such a company (opened at a counter) has no legal representative until one
 * is established; every other company still needs one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE accounts DROP CONSTRAINT accounts_company_check;
    ALTER TABLE accounts ADD CONSTRAINT accounts_company_check CHECK (kind <> 'company' OR (uscc IS NOT NULL
      AND (legal_representative_id IS NOT NULL OR realname_method = 'counter')));
    COMMENT ON COLUMN accounts.legal_representative_id IS 'The person account of a company''s legal representative (法定代表人); NULL only for a company opened at a window (一窗受理) until the representative is established.';
  `.execute(db)
}
