-- Log-in accounts for the three roles and the append-only audit log.

-- One shared account per institution (as in the ministry's 2018 letter).
CREATE TABLE institution_accounts (
    institution_id  bigint PRIMARY KEY REFERENCES institutions (id),
    -- argon2id PHC strings; a NULL password means none has been chosen yet.
    password_hash   text,
    -- the single-use code from the kommune's letter; NULL once used or replaced.
    code_hash       text,
    code_issued_at  timestamptz,
    disabled        boolean NOT NULL DEFAULT false,
    -- bumped by a reset, a new code or disabling: every older session ends.
    epoch           integer NOT NULL DEFAULT 0,
    last_login_at   timestamptz,
    demo            boolean NOT NULL DEFAULT false
);

-- Personal accounts of kommune administrators and STIL support.
CREATE TABLE admin_accounts (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email                text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    navn                 text NOT NULL CHECK (char_length(navn) BETWEEN 1 AND 100),
    role                 text NOT NULL CHECK (role IN ('kommune', 'support')),
    kommunekode          smallint REFERENCES kommuner (kode),
    password_hash        text,
    -- set when the password was generated (first password or reset): it must be replaced at next log-in.
    must_change_password boolean NOT NULL DEFAULT true,
    disabled             boolean NOT NULL DEFAULT false,
    epoch                integer NOT NULL DEFAULT 0,
    created_at           timestamptz NOT NULL DEFAULT now(),
    last_login_at        timestamptz,
    demo                 boolean NOT NULL DEFAULT false,
    CONSTRAINT admin_accounts_email_key UNIQUE (email),
    CONSTRAINT admin_accounts_kommune_scope CHECK ((role = 'kommune') = (kommunekode IS NOT NULL))
);

-- Append-only: who did what, when, from where. Never a secret.
CREATE TABLE audit_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    actor_role      text NOT NULL CHECK (actor_role IN ('anonym', 'institution', 'kommune', 'support', 'system')),
    actor_id        bigint,
    actor_label     text NOT NULL,
    action          text NOT NULL,
    institution_id  bigint REFERENCES institutions (id),
    kommunekode     smallint REFERENCES kommuner (kode),
    client_ip       inet,
    details         jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_institution_idx ON audit_log (institution_id, at DESC);
CREATE INDEX audit_log_kommune_idx ON audit_log (kommunekode, at DESC);

CREATE FUNCTION forbid_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION forbid_audit_change();
