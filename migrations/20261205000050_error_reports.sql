-- "Meld en fejl" (issue 23): a parent reports that something on an
-- institution's public page is wrong. The institution sees its open reports
-- and marks them handled; the kommune sees those left open too long. The
-- e-mail is personal data: only the institution and its kommune see it, it
-- is never in the open data, and the retention job deletes reports (e-mail
-- and all) after a while (server/src/retention.rs).
CREATE TABLE error_reports (
    id                bigserial PRIMARY KEY,
    institution_id    bigint NOT NULL REFERENCES institutions (id),
    section           text NOT NULL CHECK (section IN
                        ('profil', 'madordning', 'lukkedage', 'aabningstider', 'kontakt', 'gaestedagpleje', 'andet')),
    message           text NOT NULL CHECK (char_length(message) BETWEEN 1 AND 1000),
    email             text CHECK (email IS NULL OR char_length(email) <= 254),
    created_at        timestamptz NOT NULL DEFAULT now(),
    handled_at        timestamptz,
    answer            text CHECK (answer IS NULL OR char_length(answer) <= 1000),
    handled_by_label  text
);
CREATE INDEX error_reports_open ON error_reports (institution_id, created_at) WHERE handled_at IS NULL;
CREATE INDEX error_reports_age ON error_reports (created_at);
