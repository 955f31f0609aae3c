-- Sessions (tower-sessions' PostgreSQL store, same schema as its own migrate()) and log-in throttling.

CREATE SCHEMA IF NOT EXISTS tower_sessions;

CREATE TABLE IF NOT EXISTS tower_sessions.session (
    id          text PRIMARY KEY NOT NULL,
    data        bytea NOT NULL,
    expiry_date timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS session_expiry_idx ON tower_sessions.session (expiry_date);

-- Failed log-ins per key ("konto:<user>" or "ip:<address>"), shared by every server process.
CREATE TABLE login_throttle (
    key             text PRIMARY KEY,
    failures        integer NOT NULL DEFAULT 0,
    last_failure_at timestamptz NOT NULL,
    blocked_until   timestamptz
);
