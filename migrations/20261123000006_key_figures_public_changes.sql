-- Kommune key figures (Danmarks Statistik's kind: normering, staff, children),
-- imported from CSV for the public portal; and a notification whenever
-- something the public pages show changes, so that every server drops the
-- rendered pages it keeps.

CREATE TABLE kommune_key_figures (
    kommunekode          smallint NOT NULL REFERENCES kommuner (kode),
    aar                  smallint NOT NULL CHECK (aar BETWEEN 2000 AND 2100),
    -- Children per pedagogical full-time employee (BOERN8's normering).
    normering_0_2        numeric(4, 1) CHECK (normering_0_2 > 0 AND normering_0_2 < 100),
    normering_3_5        numeric(4, 1) CHECK (normering_3_5 > 0 AND normering_3_5 < 100),
    normering_dagpleje   numeric(4, 1) CHECK (normering_dagpleje > 0 AND normering_dagpleje < 100),
    -- Shares in per cent.
    andel_paedagoger     numeric(4, 1) CHECK (andel_paedagoger BETWEEN 0 AND 100),
    boern                integer CHECK (boern >= 0),
    andel_ikke_dansk     numeric(4, 1) CHECK (andel_ikke_dansk BETWEEN 0 AND 100),
    -- Invented figures (demo and example files) are labelled so on every page.
    opdigtet             boolean NOT NULL,
    kilde                text NOT NULL CHECK (char_length(kilde) BETWEEN 1 AND 200),
    imported_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kommunekode, aar)
);

-- Channel 'dagtilbud_offentlig': the payload is an institution's number, or
-- '*' when something every page may show changed. Sent at commit, so a server
-- never drops a page before the change is visible to it.
CREATE FUNCTION notify_public_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'institution_sections' THEN
        PERFORM pg_notify('dagtilbud_offentlig',
            (SELECT nummer FROM institutions WHERE id = NEW.institution_id));
    ELSIF TG_TABLE_NAME = 'institutions' THEN
        PERFORM pg_notify('dagtilbud_offentlig', NEW.nummer);
    ELSE
        PERFORM pg_notify('dagtilbud_offentlig', '*');
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER institution_sections_public_change AFTER INSERT OR UPDATE ON institution_sections
    FOR EACH ROW EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER institutions_public_change AFTER UPDATE ON institutions
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER kommune_key_figures_public_change AFTER INSERT OR UPDATE OR DELETE ON kommune_key_figures
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
