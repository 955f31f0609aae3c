-- Kommunal dagpleje, reported by the kommune: a dagplejeområde is a register
-- row of type 'dagpleje' with the area it covers (postnumre, roughly how many
-- dagplejere; never who they are), no log-in of its own, and a sixth
-- section, gæstedagpleje.
ALTER TABLE institutions DROP CONSTRAINT institutions_institution_type_check;
ALTER TABLE institutions ADD CONSTRAINT institutions_institution_type_check CHECK (institution_type IN
  ('vuggestue', 'boernehave', 'integreret', 'fritidshjem', 'fritidsklub', 'landsbyordning', 'dagpleje'));

ALTER TABLE institutions
  ADD COLUMN omraade_postnumre smallint[],
  ADD COLUMN dagplejere integer CHECK (dagplejere BETWEEN 1 AND 1000),
  ADD CONSTRAINT institutions_dagpleje_area CHECK (
    CASE WHEN institution_type = 'dagpleje'
         THEN ejerform = 'kommunal' AND cardinality(omraade_postnumre) BETWEEN 1 AND 40 AND dagplejere IS NOT NULL
         ELSE omraade_postnumre IS NULL AND dagplejere IS NULL END);

-- A search by postnummer finds the dagpleje areas that cover it.
CREATE INDEX institutions_omraade_postnumre ON institutions USING gin (omraade_postnumre);

ALTER TABLE institution_sections DROP CONSTRAINT institution_sections_section_check;
ALTER TABLE institution_sections ADD CONSTRAINT institution_sections_section_check CHECK (section IN
  ('profil', 'madordning', 'lukkedage', 'aabningstider', 'kontakt', 'gaestedagpleje'));

-- A dagpleje has no log-in: no account row may point at one.
CREATE FUNCTION forbid_dagpleje_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM institutions WHERE id = NEW.institution_id AND institution_type = 'dagpleje') THEN
    RAISE EXCEPTION 'a dagpleje has no log-in (institution %)', NEW.institution_id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER institution_accounts_never_for_dagpleje BEFORE INSERT ON institution_accounts
  FOR EACH ROW EXECUTE FUNCTION forbid_dagpleje_account();
