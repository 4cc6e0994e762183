import { type Kysely, sql } from 'kysely'

/**
 * Accounts (persons, companies, staff), login failures, password resets, agent authorizations and staff
 * role grants, with 三员分立 enforced by the database as well as by the service.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE accounts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL,
      name text NOT NULL,
      status text NOT NULL DEFAULT 'active',
      realname_level smallint NOT NULL DEFAULT 1,
      realname_raised_by uuid REFERENCES accounts (id),
      realname_raised_at timestamptz,
      realname_method text,
      id_number_enc text,
      id_number_index text UNIQUE,
      id_number_masked text,
      phone_enc text,
      phone_index text UNIQUE,
      phone_masked text,
      email text,
      uscc text UNIQUE,
      legal_representative_id uuid REFERENCES accounts (id),
      username text UNIQUE,
      region_code text REFERENCES regions (code),
      password_hash text,
      password_changed_at timestamptz,
      totp_secret_enc text,
      totp_enabled_at timestamptz,
      totp_pending_enc text,
      totp_last_step bigint,
      locked_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT accounts_kind_check CHECK (kind IN ('person', 'company', 'staff')),
      CONSTRAINT accounts_status_check CHECK (status IN ('active', 'disabled')),
      CONSTRAINT accounts_realname_level_check CHECK (realname_level BETWEEN 1 AND 3),
      CONSTRAINT accounts_realname_method_check CHECK (realname_method IS NULL OR realname_method IN ('self', 'population', 'counter', 'face')),
      CONSTRAINT accounts_person_check CHECK (kind <> 'person' OR (id_number_enc IS NOT NULL AND id_number_index IS NOT NULL AND id_number_masked IS NOT NULL)),
      CONSTRAINT accounts_company_check CHECK (kind <> 'company' OR (uscc IS NOT NULL AND legal_representative_id IS NOT NULL)),
      CONSTRAINT accounts_staff_check CHECK (kind <> 'staff' OR (username IS NOT NULL AND region_code IS NOT NULL)),
      CONSTRAINT accounts_username_check CHECK (username IS NULL OR username ~ '^[a-z][a-z0-9._-]{2,39}$')
    );
    COMMENT ON TABLE accounts IS '账户: natural persons (自然人), companies (法人) and staff (工作人员).';
    COMMENT ON COLUMN accounts.realname_level IS '实名等级: 1 self-declared, 2 checked against population data, 3 verified at a counter or by face.';
    COMMENT ON COLUMN accounts.realname_raised_by IS 'The staff account that last raised the real-name level (NULL: self-declared at registration).';
    COMMENT ON COLUMN accounts.id_number_enc IS '公民身份号码, SM4-encrypted by the personal data vault.';
    COMMENT ON COLUMN accounts.id_number_index IS 'HMAC-SM3 blind index of the normalized ID number (purpose id_number): equality look-up and uniqueness.';
    COMMENT ON COLUMN accounts.id_number_masked IS 'Masked ID number for display (330***********1234).';
    COMMENT ON COLUMN accounts.phone_index IS 'HMAC-SM3 blind index of the phone number (purpose phone).';
    COMMENT ON COLUMN accounts.uscc IS '统一社会信用代码 of a company account; public, stored in clear.';
    COMMENT ON COLUMN accounts.legal_representative_id IS 'The person account of a company''s legal representative (法定代表人).';
    COMMENT ON COLUMN accounts.region_code IS 'Home region of a staff account: the system admin of a region creates its staff.';
    COMMENT ON COLUMN accounts.password_hash IS 'scrypt$N$r$p$salt$hash over HMAC-SM3(pepper, password); NULL: no password login.';
    COMMENT ON COLUMN accounts.totp_secret_enc IS 'SM4-encrypted TOTP secret of a confirmed second factor.';
    COMMENT ON COLUMN accounts.totp_pending_enc IS 'SM4-encrypted TOTP secret offered at enrolment, until a code confirms it.';
    COMMENT ON COLUMN accounts.totp_last_step IS 'Time step of the last accepted TOTP code: a code is never accepted twice.';
    COMMENT ON COLUMN accounts.locked_until IS 'Password login refused until this time (too many failures).';

    CREATE TABLE login_failures (
      id bigserial PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      occurred_at timestamptz NOT NULL,
      factor text NOT NULL,
      CONSTRAINT login_failures_factor_check CHECK (factor IN ('password', 'totp'))
    );
    COMMENT ON TABLE login_failures IS 'Recent failed logins per account, counted for lockout; cleared by a successful login.';
    CREATE INDEX login_failures_account_idx ON login_failures (account_id, occurred_at);

    CREATE TABLE password_resets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      channel text NOT NULL,
      code_hash text NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      CONSTRAINT password_resets_channel_check CHECK (channel IN ('sms', 'email'))
    );
    COMMENT ON TABLE password_resets IS 'Password reset codes sent through a verified channel: short-lived, single-use, stored as a keyed hash.';
    COMMENT ON COLUMN password_resets.attempts IS 'Wrong codes tried against this reset; it is void after 5.';
    CREATE INDEX password_resets_account_idx ON password_resets (account_id, created_at);

    CREATE TABLE agent_authorizations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES accounts (id),
      agent_id uuid NOT NULL REFERENCES accounts (id),
      granted_by uuid NOT NULL REFERENCES accounts (id),
      granted_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      revoked_by uuid REFERENCES accounts (id),
      CONSTRAINT agent_authorizations_expiry_check CHECK (expires_at > granted_at),
      CONSTRAINT agent_authorizations_not_self_check CHECK (company_id <> agent_id)
    );
    COMMENT ON TABLE agent_authorizations IS '法人经办人授权: the legal representative lets a person account act for the company until expires_at, unless revoked.';
    CREATE UNIQUE INDEX agent_authorizations_active_idx ON agent_authorizations (company_id, agent_id) WHERE revoked_at IS NULL;
    CREATE INDEX agent_authorizations_agent_idx ON agent_authorizations (agent_id) WHERE revoked_at IS NULL;

    CREATE TABLE role_grants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts (id),
      role text NOT NULL,
      department_id uuid REFERENCES departments (id),
      region_code text NOT NULL REFERENCES regions (code),
      granted_by uuid REFERENCES accounts (id),
      granted_at timestamptz NOT NULL,
      revoked_at timestamptz,
      revoked_by uuid REFERENCES accounts (id),
      CONSTRAINT role_grants_role_check CHECK (role IN ('window_clerk', 'reviewer', 'approver', 'department_admin', 'system_admin', 'security_admin', 'audit_admin')),
      CONSTRAINT role_grants_scope_check CHECK (
        (role IN ('system_admin', 'security_admin', 'audit_admin') AND department_id IS NULL)
        OR (role NOT IN ('system_admin', 'security_admin', 'audit_admin') AND department_id IS NOT NULL)
      )
    );
    COMMENT ON TABLE role_grants IS 'Staff role grants, scoped to a department (roles below admin) and a region subtree; revoked grants are kept.';
    COMMENT ON COLUMN role_grants.granted_by IS 'The security admin who granted it; NULL when granted by the system (tongban admin create).';
    -- 三员分立 (GB/T 22239-2019): at most one live administrator grant per account, whatever the role or region.
    CREATE UNIQUE INDEX role_grants_one_admin_role_idx ON role_grants (account_id)
      WHERE revoked_at IS NULL AND role IN ('system_admin', 'security_admin', 'audit_admin');
    CREATE UNIQUE INDEX role_grants_active_idx ON role_grants (account_id, role, department_id, region_code) NULLS NOT DISTINCT
      WHERE revoked_at IS NULL;
    CREATE INDEX role_grants_account_idx ON role_grants (account_id) WHERE revoked_at IS NULL;

    CREATE FUNCTION role_grants_staff_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF (SELECT kind FROM accounts WHERE id = NEW.account_id) <> 'staff' THEN
        RAISE EXCEPTION 'roles are granted to staff accounts only' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER role_grants_staff_only BEFORE INSERT OR UPDATE ON role_grants
      FOR EACH ROW EXECUTE FUNCTION role_grants_staff_only();
  `.execute(db)
}
