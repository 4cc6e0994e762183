-- Writes whole submissions in one statement whose text never changes (decision 0013): :submissions is a
-- JSON array, one object per submission, with distinct idempotency keys.
--
-- The idempotency keys go in first: a key takes over an expired row of the same key (created before
-- :expired_before); a key a live row holds (a concurrent request with the key committed first) writes
-- nothing. Only the submissions whose key went in (`stored`) write their cases (one, or a bundle's parent
-- and parts), first events, tasks and materials, delete the draft they came from, and write their outbox
-- events, queued notifications (with `notify_data` added, such as a walk-in's encrypted query code) and
-- audit entry. Answers the numbers (n) of the submissions written.
--
-- :outbox is the platform's outbox INSERT of every event of `stored` (`s.outbox` elements), :audit its
-- audit INSERT of `SELECT s.audit AS entry FROM stored s`.
WITH input AS (
  SELECT * FROM jsonb_to_recordset(:submissions::jsonb) AS i(n int, key jsonb, draft_id uuid, cases jsonb,
    events jsonb, tasks jsonb, materials jsonb, outbox jsonb, notify jsonb, notify_data jsonb, audit jsonb)
), stored_key AS (
  INSERT INTO idempotency_keys (account_id, key, request_hash, status_code, response, created_at)
  SELECT k.account_id, k.key, k.request_hash, k.status_code, k.response, k.created_at
  FROM input i CROSS JOIN LATERAL jsonb_to_record(i.key) AS k(account_id text, key text,
    request_hash text, status_code int, response jsonb, created_at timestamptz)
  ON CONFLICT (account_id, key) DO UPDATE SET request_hash = excluded.request_hash,
    status_code = excluded.status_code, response = excluded.response, created_at = excluded.created_at
    WHERE idempotency_keys.created_at < :expired_before
  RETURNING account_id, key
), stored AS (
  SELECT i.* FROM input i JOIN stored_key k ON k.account_id = i.key->>'account_id' AND k.key = i.key->>'key'
), new_cases AS (
  INSERT INTO cases (id, case_no, query_code_hash, applicant_id, acting_for_id, applicant_name,
    applicant_kind, implementation_id, guide_version, item_code, item_name, bundle_id, parent_id,
    region_code, department_id, status, version, form_data_enc, state, workflow, processing_kind,
    legal_limit_days, promised_limit_days, submitted_at, updated_at)
  SELECT r.id, r.case_no, r.query_code_hash, r.applicant_id, r.acting_for_id, r.applicant_name,
    r.applicant_kind, r.implementation_id, r.guide_version, r.item_code, r.item_name, r.bundle_id,
    r.parent_id, r.region_code, r.department_id, r.status, r.version, r.form_data_enc, r.state,
    r.workflow, r.processing_kind, r.legal_limit_days, r.promised_limit_days, r.submitted_at, r.updated_at
  FROM stored s CROSS JOIN LATERAL jsonb_populate_recordset(null::cases, s.cases) AS r
  RETURNING id
), new_events AS (
  INSERT INTO case_events (case_id, seq, region_code, type, actor_kind, actor_id, actor_name,
    occurred_at, comment, attachments, data)
  SELECT r.case_id, r.seq, r.region_code, r.type, r.actor_kind, r.actor_id, r.actor_name,
    r.occurred_at, r.comment, r.attachments, r.data
  FROM stored s CROSS JOIN LATERAL jsonb_populate_recordset(null::case_events, s.events) AS r
  WHERE EXISTS (SELECT 1 FROM new_cases)
), new_tasks AS (
  INSERT INTO case_tasks (case_id, step, department_id, region_code, role, created_at)
  SELECT r.case_id, r.step, r.department_id, r.region_code, r.role, r.created_at
  FROM stored s CROSS JOIN LATERAL jsonb_populate_recordset(null::case_tasks, s.tasks) AS r
  WHERE EXISTS (SELECT 1 FROM new_cases)
), new_materials AS (
  INSERT INTO case_materials (case_id, material_key, name, file_sha256, license_grant_id, added_at)
  SELECT r.case_id, r.material_key, r.name, r.file_sha256, r.license_grant_id, r.added_at
  FROM stored s CROSS JOIN LATERAL jsonb_populate_recordset(null::case_materials, s.materials) AS r
  WHERE EXISTS (SELECT 1 FROM new_cases)
), used_draft AS (
  DELETE FROM case_drafts WHERE id IN (SELECT draft_id FROM stored)
), published AS (:outbox
  RETURNING id, topic, aggregate_id, payload
), notified AS (
  INSERT INTO case_notifications (event_id, topic, payload)
  SELECT p.id, p.topic, p.payload || s.notify_data FROM published p
  JOIN stored s ON p.aggregate_id IN (SELECT jsonb_array_elements_text(s.notify))
), audited AS (:audit
)
SELECT n FROM stored
