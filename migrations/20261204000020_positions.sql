-- Where institutions lie, so the portal can show and sort by straight-line
-- distance ("Afstand til dagtilbud: systemgenereret oplysning").
-- earthdistance (with cube) is a contrib extension shipped with PostgreSQL;
-- creating it needs a superuser once per database (see docs/deployment.md).
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;

ALTER TABLE institutions
  ADD COLUMN breddegrad double precision,
  ADD COLUMN laengdegrad double precision,
  ADD CONSTRAINT institutions_position_in_denmark CHECK (
    (breddegrad IS NULL) = (laengdegrad IS NULL)
    AND (breddegrad IS NULL OR (breddegrad BETWEEN 54.5 AND 57.8 AND laengdegrad BETWEEN 8.0 AND 15.3)));

-- Radius filters (earth_box(...) @> ll_to_earth(...)) use this index.
CREATE INDEX institutions_position ON institutions USING gist (ll_to_earth(breddegrad, laengdegrad));
