import { type Kysely, sql } from 'kysely'

/** 办件: cases, their events, department tasks, materials, drafts, idempotency keys, case numbering. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE case_sequences (
      region_code text NOT NULL,
      day date NOT NULL,
      last_value integer NOT NULL,
      PRIMARY KEY (region_code, day)
    );
    COMMENT ON TABLE case_sequences IS 'Last 办件编号 sequence number given out per (region, Asia/Shanghai date); taken with an atomic upsert, so concurrent submissions never share a number.';

    CREATE TABLE cases (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_no text NOT NULL UNIQUE,
      query_code_hash text NOT NULL,
      applicant_id text NOT NULL,
      acting_for_id text,
      implementation_id text,
      guide_version integer,
      item_code text,
      item_name text NOT NULL,
      bundle_id text,
      parent_id uuid REFERENCES cases (id),
      region_code text NOT NULL,
      department_id uuid,
      status text NOT NULL,
      version integer NOT NULL DEFAULT 1,
      form_data jsonb NOT NULL DEFAULT '{}',
      state jsonb NOT NULL DEFAULT '{}',
      workflow jsonb NOT NULL DEFAULT '[]',
      processing_kind text NOT NULL DEFAULT 'promised',
      legal_limit_days integer NOT NULL DEFAULT 0,
      promised_limit_days integer NOT NULL DEFAULT 0,
      accepted_on date,
      legal_deadline date,
      promised_deadline date,
      paused_working_days integer NOT NULL DEFAULT 0,
      paused_since date,
      deadline_unknown boolean NOT NULL DEFAULT false,
      supervision_flag text,
      completed_on date,
      elapsed_working_days integer,
      submitted_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CONSTRAINT cases_status_check CHECK (status IN ('submitted', 'pre_review', 'correction_requested',
        'accepted', 'reviewed', 'suspended', 'approved', 'denied', 'refused', 'withdrawn', 'completed', 'delivered')),
      CONSTRAINT cases_processing_kind_check CHECK (processing_kind IN ('immediate', 'promised')),
      CONSTRAINT cases_supervision_flag_check CHECK (supervision_flag IS NULL OR supervision_flag IN ('calendar-missing')),
      CONSTRAINT cases_limits_check CHECK (legal_limit_days >= 0 AND promised_limit_days >= 0 AND promised_limit_days <= legal_limit_days)
    );
    COMMENT ON TABLE cases IS '办件: one application. status, version and the deadline columns are the projection of case_events, updated in the same transaction as each appended event.';
    COMMENT ON COLUMN cases.query_code_hash IS 'Keyed SM3-HMAC (blind index ''case-query-code'') of the random query code shown to the applicant once; the code itself is never stored.';
    COMMENT ON COLUMN cases.acting_for_id IS 'The company account an agent (法人经办人) filed the case for; the company owns the case with the agent.';
    COMMENT ON COLUMN cases.parent_id IS 'For a bundle (一件事): the parent case whose submission fanned out into one child case per department.';
    COMMENT ON COLUMN cases.version IS 'Optimistic concurrency: every move names the version it saw and increments it.';
    COMMENT ON COLUMN cases.state IS 'The reducer''s full state (step index, status before suspension, pause start), JSON of applyEvent.';
    COMMENT ON COLUMN cases.workflow IS 'The workflow steps (role and department of accept, review and decide) of the guide version the case was filed under, fixed at submission.';
    COMMENT ON COLUMN cases.processing_kind IS 'immediate: 即办件, completed the day it is accepted; promised: 承诺件.';
    COMMENT ON COLUMN cases.paused_working_days IS 'Working days excluded from the time limit (correction after acceptance, suspension).';
    COMMENT ON COLUMN cases.paused_since IS 'Asia/Shanghai date the clock stopped; null while it runs.';
    COMMENT ON COLUMN cases.deadline_unknown IS 'True when the working-day calendar lacks a year needed for the deadline: a supervision problem for the administrator, never an error for the applicant.';
    COMMENT ON COLUMN cases.elapsed_working_days IS 'Working days from acceptance to completion, pauses excluded: the processing time of supervision metrics.';
    CREATE INDEX cases_applicant_idx ON cases (applicant_id, submitted_at DESC);
    CREATE INDEX cases_acting_for_idx ON cases (acting_for_id, submitted_at DESC) WHERE acting_for_id IS NOT NULL;
    CREATE INDEX cases_parent_idx ON cases (parent_id) WHERE parent_id IS NOT NULL;
    CREATE INDEX cases_open_idx ON cases (region_code, department_id) WHERE status IN ('accepted', 'reviewed', 'suspended', 'correction_requested');
    CREATE INDEX cases_completed_idx ON cases (implementation_id) WHERE elapsed_working_days IS NOT NULL;

    CREATE TABLE case_events (
      case_id uuid NOT NULL REFERENCES cases (id),
      seq integer NOT NULL,
      region_code text NOT NULL,
      type text NOT NULL,
      actor_kind text NOT NULL,
      actor_id text,
      actor_name text,
      occurred_at timestamptz NOT NULL,
      comment text,
      attachments jsonb NOT NULL DEFAULT '[]',
      data jsonb NOT NULL DEFAULT '{}',
      PRIMARY KEY (case_id, seq),
      CONSTRAINT case_events_type_check CHECK (type IN ('submitted', 'pre_review_started', 'accepted', 'refused',
        'correction_requested', 'resubmitted', 'reviewed', 'approved', 'denied', 'completed', 'delivered',
        'withdrawn', 'suspended', 'resumed')),
      CONSTRAINT case_events_actor_kind_check CHECK (actor_kind IN ('person', 'company', 'staff', 'system'))
    );
    COMMENT ON TABLE case_events IS 'Append-only history of every case; the case''s state is a projection of these. Designed to be partitioned by month of occurred_at and distributed by region_code (the key a distributed PostgreSQL would shard on; cases carry the same region_code).';
    COMMENT ON COLUMN case_events.seq IS 'Position in the case''s history, 1-based, gapless; (case_id, seq) is unique so two writers cannot append the same step.';
    COMMENT ON COLUMN case_events.region_code IS 'Copied from the case: the distribution key.';
    COMMENT ON COLUMN case_events.data IS 'Event details: refusal reason and legal basis, correction items (一次性告知), delivery method and tracking number, deadlines.';
    CREATE INDEX case_events_occurred_at_idx ON case_events (occurred_at);
    CREATE FUNCTION case_events_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'case events are append-only (% on %)', TG_OP, TG_TABLE_NAME;
    END $$;
    CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
      FOR EACH ROW EXECUTE FUNCTION case_events_forbid_change();

    CREATE TABLE case_tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases (id),
      step text NOT NULL,
      department_id uuid NOT NULL,
      region_code text NOT NULL,
      role text NOT NULL,
      status text NOT NULL DEFAULT 'open',
      claimed_by text,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      closed_at timestamptz,
      CONSTRAINT case_tasks_status_check CHECK (status IN ('open', 'claimed', 'done', 'cancelled')),
      CONSTRAINT case_tasks_role_check CHECK (role IN ('window_clerk', 'reviewer', 'approver')),
      CONSTRAINT case_tasks_claim_check CHECK ((status = 'claimed') = (claimed_by IS NOT NULL) OR status IN ('done', 'cancelled'))
    );
    COMMENT ON TABLE case_tasks IS '办理任务: the step of a case waiting in a department''s queue for a role; one live (open or claimed) task per case.';
    CREATE INDEX case_tasks_queue_idx ON case_tasks (department_id, status, created_at) WHERE status IN ('open', 'claimed');
    CREATE UNIQUE INDEX case_tasks_live_idx ON case_tasks (case_id) WHERE status IN ('open', 'claimed');

    CREATE TABLE case_materials (
      case_id uuid NOT NULL REFERENCES cases (id),
      material_key text NOT NULL,
      name text NOT NULL,
      file_sha256 text REFERENCES stored_files (sha256),
      license_grant_id text,
      added_at timestamptz NOT NULL,
      superseded_at timestamptz,
      CONSTRAINT case_materials_source_check CHECK ((file_sha256 IS NULL) <> (license_grant_id IS NULL))
    );
    COMMENT ON TABLE case_materials IS 'Materials of a case: a file in the file store or a 用证授权 (license grant) reference. A correction supersedes the material of the same key.';
    CREATE INDEX case_materials_case_idx ON case_materials (case_id);

    CREATE TABLE case_drafts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id text NOT NULL,
      acting_for_id text,
      implementation_id text,
      guide_version integer,
      bundle_id text,
      form_data jsonb NOT NULL DEFAULT '{}',
      materials jsonb NOT NULL DEFAULT '[]',
      version integer NOT NULL DEFAULT 1,
      updated_at timestamptz NOT NULL
    );
    COMMENT ON TABLE case_drafts IS '草稿: an application being filled in, saved to be resumed; removed when submitted.';
    CREATE INDEX case_drafts_account_idx ON case_drafts (account_id, updated_at DESC);

    CREATE TABLE idempotency_keys (
      account_id text NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      status_code integer NOT NULL,
      response jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, key)
    );
    COMMENT ON TABLE idempotency_keys IS 'Idempotency-Key of a request and the answer given, stored in the same transaction as its effect, so a retry gets the original answer and never a second effect.';
    COMMENT ON COLUMN idempotency_keys.request_hash IS 'SHA-256 of the canonical request body: the same key with another body is refused (409).';
    COMMENT ON COLUMN idempotency_keys.response IS 'The original answer, as sent; contains the query code of a submission, so rows are expired after a retention period.';

    CREATE TABLE holiday_calendar_additions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL,
      date date,
      year integer,
      name text,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT holiday_calendar_additions_kind_check CHECK (kind IN ('holiday', 'workday', 'year')),
      CONSTRAINT holiday_calendar_additions_shape_check CHECK ((kind = 'year') = (year IS NOT NULL AND date IS NULL)),
      CONSTRAINT holiday_calendar_additions_date_unique UNIQUE (date),
      CONSTRAINT holiday_calendar_additions_year_unique UNIQUE (year)
    );
    COMMENT ON TABLE holiday_calendar_additions IS 'Administrator additions to the working-day calendar (法定节假日, 调休 make-up days), and years declared complete (kind year): fed to createWorkingDayCalendar on top of the shipped seed.';
  `.execute(db)
}
