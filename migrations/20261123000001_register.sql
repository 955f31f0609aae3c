-- The register: kommuner, postal districts and institutions (Dagtilbudsregisteret's master data).

CREATE TABLE kommuner (
    kode   smallint PRIMARY KEY CHECK (kode BETWEEN 101 AND 860 AND kode <> 411),
    navn   text NOT NULL UNIQUE,
    region text NOT NULL
);

CREATE TABLE postnumre (
    postnummer  smallint PRIMARY KEY CHECK (postnummer BETWEEN 1000 AND 9999),
    navn        text NOT NULL,
    kommunekode smallint NOT NULL REFERENCES kommuner (kode)
);

CREATE INDEX postnumre_kommunekode_idx ON postnumre (kommunekode);

CREATE TABLE institutions (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- dagtilbudsnummer: six letters or digits, stored uppercase, never reused (rows are never deleted).
    nummer           text NOT NULL UNIQUE CHECK (nummer ~ '^[A-Z0-9]{6}$'),
    navn             text NOT NULL CHECK (char_length(navn) BETWEEN 1 AND 132),
    institution_type text NOT NULL CHECK (institution_type IN
                         ('vuggestue', 'boernehave', 'integreret', 'fritidshjem', 'fritidsklub', 'landsbyordning')),
    ejerform         text NOT NULL CHECK (ejerform IN ('kommunal', 'selvejende', 'privat', 'udliciteret')),
    kommunekode      smallint NOT NULL REFERENCES kommuner (kode),
    vejnavn          text NOT NULL CHECK (char_length(vejnavn) BETWEEN 1 AND 100),
    husnummer        text NOT NULL CHECK (char_length(husnummer) BETWEEN 1 AND 10),
    postnummer       smallint NOT NULL CHECK (postnummer BETWEEN 1000 AND 9999),
    postby           text NOT NULL CHECK (char_length(postby) BETWEEN 1 AND 60),
    p_nummer         text CHECK (p_nummer ~ '^[0-9]{10}$'),
    cvr              text CHECK (cvr ~ '^[0-9]{8}$'),
    status           text NOT NULL DEFAULT 'aktiv' CHECK (status IN ('aktiv', 'nedlagt')),
    closed_on        date,
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT institutions_closed_has_date CHECK ((status = 'nedlagt') = (closed_on IS NOT NULL))
);

CREATE INDEX institutions_kommunekode_idx ON institutions (kommunekode);
CREATE INDEX institutions_postnummer_idx ON institutions (postnummer);

-- Closed institutions are kept with their history and their number is never reused.
CREATE FUNCTION forbid_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never deleted; close them instead', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER institutions_never_deleted BEFORE DELETE ON institutions
    FOR EACH ROW EXECUTE FUNCTION forbid_delete();
