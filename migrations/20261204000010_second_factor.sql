-- A second factor (TOTP, RFC 6238) for kommune administrators and STIL support.

-- The shared secret (20 random bytes). It must be stored in the clear to
-- verify codes; it is never logged or shown again after set-up. Set while
-- setting up (confirmed_at NULL) and kept once a first code confirmed it.
ALTER TABLE admin_accounts
    ADD COLUMN totp_secret       bytea CHECK (octet_length(totp_secret) = 20),
    ADD COLUMN totp_confirmed_at timestamptz,
    -- The last accepted time step (unix time / 30): a code works once.
    ADD COLUMN totp_last_step    bigint,
    ADD CONSTRAINT admin_accounts_totp_confirmed_has_secret
        CHECK (totp_confirmed_at IS NULL OR totp_secret IS NOT NULL);

-- Single-use recovery codes: only their SHA-256, deleted when used.
CREATE TABLE admin_recovery_codes (
    admin_id   bigint NOT NULL REFERENCES admin_accounts (id) ON DELETE CASCADE,
    code_hash  bytea NOT NULL CHECK (octet_length(code_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (admin_id, code_hash)
);

-- Every administrator logged in with a password alone logs in again, now with
-- the second factor (set up at that log-in).
UPDATE admin_accounts SET epoch = epoch + 1;
