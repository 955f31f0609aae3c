-- A log-out is final, and the rows anyone can cause are kept bounded.

-- A request that was in flight when its session was deleted (log-out, a new
-- id at log-in, expiry) saves the session again at its end, and the store's
-- upsert would bring the deleted row back. A deleted id is remembered for an
-- hour (far longer than any request may run) and cannot be inserted again.
CREATE TABLE tower_sessions.ended (
    id       text PRIMARY KEY,
    ended_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ended_at_idx ON tower_sessions.ended (ended_at);

CREATE FUNCTION tower_sessions.remember_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM tower_sessions.ended WHERE ended_at < now() - interval '1 hour';
    INSERT INTO tower_sessions.ended (id) VALUES (OLD.id) ON CONFLICT (id) DO NOTHING;
    RETURN OLD;
END;
$$;
CREATE TRIGGER session_ended AFTER DELETE ON tower_sessions.session
    FOR EACH ROW EXECUTE FUNCTION tower_sessions.remember_ended();

CREATE FUNCTION tower_sessions.refuse_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM tower_sessions.ended WHERE id = NEW.id) THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER session_not_revived BEFORE INSERT ON tower_sessions.session
    FOR EACH ROW EXECUTE FUNCTION tower_sessions.refuse_ended();

-- The audit log stays append-only for everything but its retention: rows of
-- anonymous actors (refused log-ins and requests, which anyone can cause)
-- are deleted after a documented period by prune_anonymous_audit() only.
CREATE OR REPLACE FUNCTION forbid_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('dagtilbud.audit_retention', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

CREATE FUNCTION prune_anonymous_audit(keep interval) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    pruned bigint;
BEGIN
    PERFORM set_config('dagtilbud.audit_retention', 'on', true);
    DELETE FROM audit_log WHERE actor_role = 'anonym' AND at < now() - keep;
    GET DIAGNOSTICS pruned = ROW_COUNT;
    PERFORM set_config('dagtilbud.audit_retention', 'off', true);
    RETURN pruned;
END;
$$;
