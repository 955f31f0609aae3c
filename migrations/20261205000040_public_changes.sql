-- The change feed of open data (issue 23): one row whenever something the
-- public pages show changes, written by triggers in the same transaction as
-- the change. No personal data: the institution's number and what changed.
--
-- A reader pages by (txid, id) and only sees rows of transactions older than
-- every transaction still running (pg_snapshot_xmin), so a row can never
-- appear behind a cursor that was already handed out: the feed neither
-- skips nor repeats a change under concurrent saves.
CREATE TABLE public_changes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    txid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    nummer      text NOT NULL,
    -- A section's name, or 'oprettet', 'nedlagt', 'stamdata'.
    what        text NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX public_changes_order ON public_changes (txid, id);
CREATE INDEX public_changes_time ON public_changes (changed_at);

CREATE FUNCTION record_public_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'institution_sections' THEN
        -- A confirmation without a change ("stadig rigtigt") changes no data.
        IF TG_OP = 'INSERT' OR OLD.data IS DISTINCT FROM NEW.data THEN
            INSERT INTO public_changes (nummer, what)
            SELECT nummer, NEW.section FROM institutions WHERE id = NEW.institution_id;
        END IF;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO public_changes (nummer, what) VALUES (NEW.nummer, 'oprettet');
    ELSIF OLD.status = 'aktiv' AND NEW.status <> 'aktiv' THEN
        INSERT INTO public_changes (nummer, what) VALUES (NEW.nummer, 'nedlagt');
    ELSE
        INSERT INTO public_changes (nummer, what) VALUES (NEW.nummer, 'stamdata');
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER institution_sections_change_feed AFTER INSERT OR UPDATE ON institution_sections
    FOR EACH ROW EXECUTE FUNCTION record_public_change();
CREATE TRIGGER institutions_change_feed AFTER INSERT ON institutions
    FOR EACH ROW EXECUTE FUNCTION record_public_change();
CREATE TRIGGER institutions_change_feed_update AFTER UPDATE ON institutions
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION record_public_change();

-- What is there already, as of now, so a first reader gets every institution's sections.
INSERT INTO public_changes (nummer, what, changed_at)
SELECT i.nummer, s.section, s.updated_at
FROM institution_sections s JOIN institutions i ON i.id = s.institution_id
ORDER BY s.updated_at;
