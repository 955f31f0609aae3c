-- Reminders by e-mail (issue 22): a kommune administrator sends a reminder to
-- chosen institutions' contact e-mail. A job and each of its messages keep
-- their state here, so any server shows the progress and a restarted server
-- goes on with what is unsent without sending anything twice.
CREATE TABLE reminder_jobs (
    id           bigserial PRIMARY KEY,
    kommunekode  smallint NOT NULL REFERENCES kommuner (kode),
    created_by   bigint REFERENCES admin_accounts (id) ON DELETE SET NULL,
    actor_label  text NOT NULL,
    -- Which filter chose the institutions ('mangler', 'foraeldet', 'aldrig').
    chosen_by    text NOT NULL,
    subject      text NOT NULL,
    body         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reminder_jobs_kommune ON reminder_jobs (kommunekode, created_at DESC);

-- One message per institution, written out in full when the job is made:
-- what is recorded is exactly what was sent.
--   pending   waiting for its (next) attempt at next_attempt_at
--   sending   claimed by a server; a claim older than the lease becomes
--             'uncertain' (the server stopped mid-send: it is not sent again)
--   sent      accepted by the mail server, or put in the outbox
--   failed    refused for good, or still failing after the last attempt
CREATE TABLE reminder_messages (
    id              bigserial PRIMARY KEY,
    job_id          bigint NOT NULL REFERENCES reminder_jobs (id) ON DELETE CASCADE,
    institution_id  bigint NOT NULL REFERENCES institutions (id),
    to_address      text NOT NULL,
    subject         text NOT NULL,
    body            text NOT NULL,
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'uncertain')),
    -- 'smtp' or 'outbox': where the message went (set when it is sent).
    transport       text CHECK (transport IN ('smtp', 'outbox')),
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_at      timestamptz,
    sent_at         timestamptz,
    UNIQUE (job_id, institution_id)
);
CREATE INDEX reminder_messages_due ON reminder_messages (next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX reminder_messages_sending ON reminder_messages (claimed_at)
    WHERE status = 'sending';
CREATE INDEX reminder_messages_institution ON reminder_messages (institution_id, sent_at DESC);

-- The kommune's own wording of the reminder, kept for its next one.
CREATE TABLE kommune_reminder_templates (
    kommunekode  smallint PRIMARY KEY REFERENCES kommuner (kode),
    subject      text NOT NULL,
    body         text NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
