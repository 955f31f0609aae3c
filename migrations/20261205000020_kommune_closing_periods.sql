-- Fælles lukkedage: closing periods a kommune keeps for all its institutions.
-- An institution that accepts one copies it into its own Lukkedage section,
-- marked with the period's id, and the copy follows the kommune's changes
-- until the institution changes it itself (issue 22).
CREATE TABLE kommune_closing_periods (
    id               bigserial PRIMARY KEY,
    kommunekode      smallint NOT NULL REFERENCES kommuner (kode),
    -- The period as the Lukkedage section stores one (dates, reason, alternative care).
    data             jsonb NOT NULL,
    fra              date NOT NULL,
    til              date NOT NULL CHECK (til >= fra),
    version          integer NOT NULL DEFAULT 1,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    updated_by_label text NOT NULL,
    removed_at       timestamptz
);
CREATE INDEX kommune_closing_periods_current ON kommune_closing_periods (kommunekode, fra)
    WHERE removed_at IS NULL;

-- Every change of a kommune period, and how many institutions' copies it changed.
CREATE TABLE kommune_closing_history (
    id           bigserial PRIMARY KEY,
    period_id    bigint NOT NULL REFERENCES kommune_closing_periods (id),
    version      integer NOT NULL,
    action       text NOT NULL CHECK (action IN ('oprettet', 'rettet', 'slettet')),
    summary      text NOT NULL,
    actor_label  text NOT NULL,
    institutions integer NOT NULL DEFAULT 0,
    changed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kommune_closing_history_period ON kommune_closing_history (period_id, version);
