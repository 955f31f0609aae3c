-- "Bekræft at oplysningerne stadig er rigtige": a section confirmed without a
-- change. The current row remembers the newest confirmation (what the
-- public page and staleness read); every confirmation is kept, append-only,
-- beside the history of changes.
ALTER TABLE institution_sections
  ADD COLUMN confirmed_at timestamptz,
  ADD COLUMN confirmed_by_role text CHECK (confirmed_by_role IN ('institution', 'kommune', 'support'));

CREATE TABLE section_confirmations (
    id             bigserial PRIMARY KEY,
    institution_id bigint NOT NULL REFERENCES institutions (id),
    section        text NOT NULL,
    version        integer NOT NULL,
    confirmed_at   timestamptz NOT NULL,
    actor_role     text NOT NULL CHECK (actor_role IN ('institution', 'kommune', 'support')),
    actor_label    text NOT NULL
);
CREATE INDEX section_confirmations_institution_idx ON section_confirmations (institution_id, confirmed_at DESC);
CREATE TRIGGER section_confirmations_append_only BEFORE DELETE OR UPDATE ON section_confirmations
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_audit_change();
