-- A new institution is on no kept page yet, but the public search's index
-- (app/src/portal/index.rs) and the open data CSV list it. Announce it on
-- 'dagtilbud_offentlig' once per statement (an import adds thousands) with
-- the payload '+', which names no page: it only tells every server that the
-- register changed.
CREATE FUNCTION notify_new_institutions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('dagtilbud_offentlig', '+');
    RETURN NULL;
END;
$$;

CREATE TRIGGER institutions_public_insert AFTER INSERT ON institutions
    FOR EACH STATEMENT EXECUTE FUNCTION notify_new_institutions();
