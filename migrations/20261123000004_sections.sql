-- The five sections an institution reports, their versions, and every change.

CREATE TABLE institution_sections (
    institution_id   bigint NOT NULL REFERENCES institutions (id),
    section          text NOT NULL CHECK (section IN ('profil', 'madordning', 'lukkedage', 'aabningstider', 'kontakt')),
    -- The typed section as JSON; only valid values are ever written (parsed in Rust first).
    data             jsonb NOT NULL,
    -- Optimistic concurrency: a save names the version it started from.
    version          integer NOT NULL CHECK (version >= 1),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    updated_by_role  text NOT NULL CHECK (updated_by_role IN ('institution', 'kommune', 'support')),
    updated_by_label text NOT NULL,
    PRIMARY KEY (institution_id, section)
);

-- One row per save: who, when, and each changed field's old and new value.
CREATE TABLE section_history (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    institution_id bigint NOT NULL REFERENCES institutions (id),
    section        text NOT NULL,
    version        integer NOT NULL,
    changed_at     timestamptz NOT NULL DEFAULT now(),
    actor_role     text NOT NULL,
    actor_label    text NOT NULL,
    -- [{"felt": "Pladser", "foer": "40", "efter": "44"}, …]
    changes        jsonb NOT NULL,
    UNIQUE (institution_id, section, version)
);

CREATE INDEX section_history_institution_idx ON section_history (institution_id, changed_at DESC);

CREATE TRIGGER section_history_append_only BEFORE UPDATE OR DELETE ON section_history
    FOR EACH STATEMENT EXECUTE FUNCTION forbid_audit_change();
