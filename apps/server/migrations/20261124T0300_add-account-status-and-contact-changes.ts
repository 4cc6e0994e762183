import { type Kysely, sql } from 'kysely'

/**
 * Disabling accounts (who and why, for the administrators' view; the history is in the audit log),
 * contact changes verified by a code sent to the new phone or address, and the look-up by account of
 * the OpenID Provider's artefacts, so that disabling an account revokes its sessions and tokens.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE accounts
      ADD COLUMN status_changed_at timestamptz,
      ADD COLUMN status_changed_by uuid REFERENCES accounts (id),
      ADD COLUMN status_reason text,
      ADD CONSTRAINT accounts_status_reason_check CHECK (status_reason IS NULL OR length(status_reason) <= 500);
    COMMENT ON COLUMN accounts.status_changed_at IS 'When the account was last disabled or re-enabled (NULL: never).';
    COMMENT ON COLUMN accounts.status_changed_by IS 'The system admin who last disabled or re-enabled the account.';
    COMMENT ON COLUMN accounts.status_reason IS 'Why the account was last disabled or re-enabled, as the administrator wrote it.';

    CREATE TABLE contact_changes (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      channel text NOT NULL,
      value_enc text NOT NULL,
      value_masked text NOT NULL,
      code_hash text NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      CONSTRAINT contact_changes_channel_check CHECK (channel IN ('sms', 'email')),
      CONSTRAINT contact_changes_attempts_check CHECK (attempts BETWEEN 0 AND 5)
    );
    COMMENT ON TABLE contact_changes IS 'A requested change of phone number (sms) or e-mail address (email): applied only when the code sent to the NEW phone or address is entered; short-lived, single-use, at most 5 tries.';
    COMMENT ON COLUMN contact_changes.value_enc IS 'The new phone number or e-mail address, SM4-encrypted by the personal data vault.';
    COMMENT ON COLUMN contact_changes.value_masked IS 'The new value masked for display and audit (138****5678, w***@example.com).';
    COMMENT ON COLUMN contact_changes.code_hash IS 'Keyed HMAC-SM3 of the change id and the code sent.';
    COMMENT ON COLUMN contact_changes.attempts IS 'Wrong codes tried; the change is void after 5.';
    CREATE INDEX contact_changes_account_idx ON contact_changes (account_id, created_at);

    CREATE INDEX oidc_payloads_account_idx ON oidc_payloads ((payload ->> 'accountId'))
      WHERE payload ? 'accountId';
  `.execute(db)
}
