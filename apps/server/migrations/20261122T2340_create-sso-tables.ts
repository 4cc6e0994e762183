import { type Kysely, sql } from 'kysely'

/** The OpenID Provider's storage: its artefacts (codes, sessions, grants, tokens), signing keys, clients. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE oidc_payloads (
      id text NOT NULL,
      type text NOT NULL,
      payload jsonb NOT NULL,
      grant_id text,
      user_code text,
      uid text,
      expires_at timestamptz,
      consumed_at timestamptz,
      PRIMARY KEY (type, id)
    );
    COMMENT ON TABLE oidc_payloads IS 'oidc-provider artefacts (Session, Interaction, AuthorizationCode, RefreshToken, Grant, ...) stored by its adapter; one row per artefact, keyed by model type and id.';
    COMMENT ON COLUMN oidc_payloads.grant_id IS 'The grant an artefact belongs to: revoking a grant deletes every artefact carrying its id.';
    COMMENT ON COLUMN oidc_payloads.consumed_at IS 'When a one-time artefact (authorization code, rotated refresh token) was used.';
    CREATE INDEX oidc_payloads_grant_idx ON oidc_payloads (grant_id) WHERE grant_id IS NOT NULL;
    CREATE INDEX oidc_payloads_uid_idx ON oidc_payloads (uid) WHERE uid IS NOT NULL;
    CREATE INDEX oidc_payloads_user_code_idx ON oidc_payloads (user_code) WHERE user_code IS NOT NULL;
    CREATE INDEX oidc_payloads_expires_idx ON oidc_payloads (expires_at) WHERE expires_at IS NOT NULL;

    CREATE TABLE oidc_signing_keys (
      kid text PRIMARY KEY,
      alg text NOT NULL,
      public_jwk jsonb NOT NULL,
      private_jwk_encrypted text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      retired_at timestamptz,
      CONSTRAINT oidc_signing_keys_alg_check CHECK (alg IN ('RS256', 'ES256'))
    );
    COMMENT ON TABLE oidc_signing_keys IS 'Signing keys of the OpenID Provider. The newest unretired key of each algorithm signs; retired keys stay published in the JWKS until every token they signed has expired.';
    COMMENT ON COLUMN oidc_signing_keys.private_jwk_encrypted IS 'The private JWK, SM4-encrypted with the installation master key (PersonalDataVault).';
    COMMENT ON COLUMN oidc_signing_keys.retired_at IS 'When a newer key replaced this one for signing; null for the current key.';

    CREATE TABLE oidc_clients (
      client_id text PRIMARY KEY,
      client_name text NOT NULL,
      secret_hash text NOT NULL,
      redirect_uris text[] NOT NULL,
      post_logout_redirect_uris text[] NOT NULL DEFAULT '{}',
      owner_department_id uuid REFERENCES departments (id),
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      disabled_at timestamptz,
      CONSTRAINT oidc_clients_redirect_uris_check CHECK (cardinality(redirect_uris) > 0)
    );
    COMMENT ON TABLE oidc_clients IS 'Third-party (confidential) OIDC clients registered by the system administrator, e.g. a department''s legacy system.';
    COMMENT ON COLUMN oidc_clients.secret_hash IS 'Keyed HMAC-SM3 of the client secret; the secret itself is shown once at registration and never stored.';
  `.execute(db)
}
