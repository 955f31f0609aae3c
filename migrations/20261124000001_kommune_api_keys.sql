-- API keys of kommune systems (pladsanvisningssystemer) for /api/v1/kommune/.
-- A key is shown once when support creates it; only its SHA-256 is kept (the
-- key is 160 random bits, so a fast hash is enough), with a short prefix to
-- recognise it in lists. Keys are revoked, never deleted.
CREATE TABLE kommune_api_keys (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kommunekode  smallint NOT NULL REFERENCES kommuner (kode),
    label        text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 100),
    prefix       text NOT NULL,
    key_hash     text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   bigint REFERENCES admin_accounts (id),
    revoked_at   timestamptz,
    last_used_at timestamptz
);

CREATE INDEX kommune_api_keys_kommunekode_idx ON kommune_api_keys (kommunekode);

CREATE TRIGGER kommune_api_keys_never_deleted BEFORE DELETE ON kommune_api_keys
    FOR EACH ROW EXECUTE FUNCTION forbid_delete();

-- The API's actor in the audit log: a kommune system acting with a key.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_actor_role_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_actor_role_check
    CHECK (actor_role IN ('anonym', 'institution', 'kommune', 'kommunesystem', 'support', 'system'));
