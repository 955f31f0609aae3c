-- Where institutions lie, so the portal can show and sort by straight-line
-- distance ("Afstand til dagtilbud: systemgenereret oplysning").
-- earthdistance (with cube) is a contrib extension shipped with PostgreSQL;
-- creating it needs a superuser once per database (see docs/deployment.md).
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;

ALTER TABLE institutions
  ADD COLUMN breddegrad double precision,
  ADD COLUMN laengdegrad double precision,
  -- The point on the earth's surface, kept by the trigger below. A plain
  -- column rather than an index on ll_to_earth(...): earthdistance's SQL
  -- functions are not search_path-safe, so an expression index over them
  -- cannot be rebuilt by pg_restore (which runs with an empty search_path).
  ADD COLUMN sted earth,
  ADD CONSTRAINT institutions_position_in_denmark CHECK (
    (breddegrad IS NULL) = (laengdegrad IS NULL)
    AND (breddegrad IS NULL OR (breddegrad BETWEEN 54.5 AND 57.8 AND laengdegrad BETWEEN 8.0 AND 15.3)));

CREATE FUNCTION institutions_set_sted() RETURNS trigger LANGUAGE plpgsql
  SET search_path = public, pg_temp AS $$
BEGIN
  NEW.sted := CASE WHEN NEW.breddegrad IS NULL THEN NULL ELSE ll_to_earth(NEW.breddegrad, NEW.laengdegrad) END;
  RETURN NEW;
END $$;
CREATE TRIGGER institutions_sted BEFORE INSERT OR UPDATE OF breddegrad, laengdegrad ON institutions
  FOR EACH ROW EXECUTE FUNCTION institutions_set_sted();

-- Radius filters (earth_box(...) @> sted) use this index.
CREATE INDEX institutions_position ON institutions USING gist (sted);
