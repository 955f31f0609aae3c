-- A saved section is no longer announced on 'dagtilbud_offentlig' by a
-- trigger: a commit that notifies holds a database-wide lock from its
-- pre-commit until it ends, so notifying saves flushed one at a time, and
-- under many concurrent saves every save waited for all the others. The
-- saving server now announces the numbers it saved after commit, many in one
-- statement (app/src/portal/cache.rs). Only the server writes sections, so
-- nothing goes unannounced; institutions and key figures keep their triggers.

DROP TRIGGER institution_sections_public_change ON institution_sections;

CREATE OR REPLACE FUNCTION notify_public_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'institutions' THEN
        PERFORM pg_notify('dagtilbud_offentlig', NEW.nummer);
    ELSE
        PERFORM pg_notify('dagtilbud_offentlig', '*');
    END IF;
    RETURN NULL;
END;
$$;
