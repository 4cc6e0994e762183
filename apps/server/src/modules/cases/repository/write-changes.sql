-- Writes case changes (moves, and a bundle's cascade) in one statement whose text never changes
-- (decisions 0013, 0014): :changes is a JSON array, one object per change, on distinct cases.
--
-- Each case's projection columns are set from the change (`jsonb_populate_record` over the row, so a
-- column the change leaves out keeps its value) only where the case is still at the version the change
-- was planned on; then, for the changed cases only, their events, the closing of their live task and the
-- opening of the next, their outbox events, notifications and audit entries. Answers the numbers (n) of
-- the changes written; an unwritten one found its case moved on.
--
-- :outbox is the platform's outbox INSERT of `SELECT d.outbox AS event FROM done d`, and :audit its audit
-- INSERT of `SELECT d.audit AS entry FROM done d WHERE d.audit IS NOT NULL`.
WITH input AS (
  SELECT * FROM jsonb_to_recordset(:changes::jsonb) AS i(n int, id uuid, version int, changes jsonb,
    event jsonb, close_task text, open_task jsonb, outbox jsonb, notify boolean, audit jsonb)
), moved AS (
  UPDATE cases c SET (status, form_data_enc, form_data, state, accepted_on, accepted_at, paused_since,
      paused_working_days, legal_deadline, promised_deadline, deadline_unknown, supervision_flag,
      completed_on, elapsed_working_days, updated_at, version) =
    (SELECT r.status, r.form_data_enc, r.form_data, r.state, r.accepted_on, r.accepted_at, r.paused_since,
      r.paused_working_days, r.legal_deadline, r.promised_deadline, r.deadline_unknown, r.supervision_flag,
      r.completed_on, r.elapsed_working_days, r.updated_at, c.version + 1
     FROM jsonb_populate_record(c, i.changes) AS r)
  FROM input i WHERE c.id = i.id AND c.version = i.version
  RETURNING i.n
), done AS (
  SELECT i.* FROM input i JOIN moved USING (n)
), appended AS (
  INSERT INTO case_events (case_id, seq, region_code, type, actor_kind, actor_id, actor_name,
    occurred_at, comment, attachments, data)
  SELECT d.id, e.seq, e.region_code, e.type, e.actor_kind, e.actor_id, e.actor_name, e.occurred_at,
    e.comment, e.attachments, e.data
  FROM done d CROSS JOIN LATERAL jsonb_to_record(d.event) AS e(seq int, region_code text, type text,
    actor_kind text, actor_id text, actor_name text, occurred_at timestamptz, comment text,
    attachments jsonb, data jsonb)
), closed_tasks AS (
  UPDATE case_tasks t SET status = d.close_task, closed_at = (d.event->>'occurred_at')::timestamptz,
    version = t.version + 1
  FROM done d
  WHERE t.case_id = d.id AND t.status IN ('open', 'claimed') AND d.close_task IS NOT NULL
  RETURNING 1
), opened AS (
  -- after the live task is closed (the count makes the insert wait for it)
  INSERT INTO case_tasks (case_id, step, department_id, region_code, role, created_at)
  SELECT d.id, o.step, o.department_id, o.region_code, o.role, (d.event->>'occurred_at')::timestamptz
  FROM done d CROSS JOIN LATERAL jsonb_to_record(d.open_task)
    AS o(step text, department_id uuid, region_code text, role text),
    (SELECT count(*) AS n FROM closed_tasks) AS c
  WHERE d.open_task IS NOT NULL
), published AS (:outbox
  RETURNING id, topic, payload, aggregate_id
), notified AS (
  INSERT INTO case_notifications (event_id, topic, payload)
  SELECT p.id, p.topic, p.payload FROM published p JOIN done d ON p.aggregate_id = d.id::text
  WHERE d.notify
), audited AS (:audit
)
SELECT n FROM moved
