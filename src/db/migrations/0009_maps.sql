-- 0009_maps.sql — what the maps (src/map/) need of the data.
--
-- Institutions get an optional position (WGS84 degrees) for the resource
-- layer; without one an institution is drawn at the label point of its
-- gmina. Both or neither are set (registry/institution validates the
-- range: roughly Poland's extent).
--
-- map_generation counts changes of the data maps are drawn from. Rendered
-- maps are cached in memory and sent with an ETag made of this number;
-- triggers bump it on every change of institutions, territorial units and
-- stored boundaries (boundary_shape of 0008: an import replaces a level's
-- shapes), so a change made by any server or by the command line is seen
-- at the next request. The row appears with the first change (an empty
-- table reads as generation 0: a new database holds no data).
-- map_data_changed() (map/layer.h) bumps it for anything else.
ALTER TABLE institution ADD COLUMN latitude {{DOUBLE}};
ALTER TABLE institution ADD COLUMN longitude {{DOUBLE}};
CREATE TABLE map_generation (
	id {{INT}} PRIMARY KEY CHECK (id = 1),
	generation {{INT}} NOT NULL
) {{STRICT}};
-- @sqlite
CREATE TRIGGER map_gen_institution_insert AFTER INSERT ON institution
BEGIN INSERT INTO map_generation (id, generation) VALUES (1, 1)
	ON CONFLICT (id) DO UPDATE SET generation = generation + 1; END;
CREATE TRIGGER map_gen_institution_update AFTER UPDATE ON institution
BEGIN INSERT INTO map_generation (id, generation) VALUES (1, 1)
	ON CONFLICT (id) DO UPDATE SET generation = generation + 1; END;
CREATE TRIGGER map_gen_institution_delete AFTER DELETE ON institution
BEGIN INSERT INTO map_generation (id, generation) VALUES (1, 1)
	ON CONFLICT (id) DO UPDATE SET generation = generation + 1; END;
CREATE TRIGGER map_gen_territory_insert AFTER INSERT ON territory_unit
BEGIN INSERT INTO map_generation (id, generation) VALUES (1, 1)
	ON CONFLICT (id) DO UPDATE SET generation = generation + 1; END;
CREATE TRIGGER map_gen_territory_update AFTER UPDATE ON territory_unit
BEGIN INSERT INTO map_generation (id, generation) VALUES (1, 1)
	ON CONFLICT (id) DO UPDATE SET generation = generation + 1; END;
CREATE TRIGGER map_gen_boundary_insert AFTER INSERT ON boundary_shape
BEGIN INSERT INTO map_generation (id, generation) VALUES (1, 1)
	ON CONFLICT (id) DO UPDATE SET generation = generation + 1; END;
CREATE TRIGGER map_gen_boundary_update AFTER UPDATE ON boundary_shape
BEGIN INSERT INTO map_generation (id, generation) VALUES (1, 1)
	ON CONFLICT (id) DO UPDATE SET generation = generation + 1; END;
CREATE TRIGGER map_gen_boundary_delete AFTER DELETE ON boundary_shape
BEGIN INSERT INTO map_generation (id, generation) VALUES (1, 1)
	ON CONFLICT (id) DO UPDATE SET generation = generation + 1; END;
-- @postgresql
CREATE FUNCTION map_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO map_generation (id, generation) VALUES (1, 1)
		ON CONFLICT (id) DO UPDATE SET generation = map_generation.generation + 1;
	RETURN NULL;
END;
$$;
CREATE TRIGGER map_gen_institution AFTER INSERT OR UPDATE OR DELETE ON institution
	FOR EACH STATEMENT EXECUTE FUNCTION map_generation_bump();
CREATE TRIGGER map_gen_territory AFTER INSERT OR UPDATE ON territory_unit
	FOR EACH STATEMENT EXECUTE FUNCTION map_generation_bump();
CREATE TRIGGER map_gen_boundary AFTER INSERT OR UPDATE OR DELETE ON boundary_shape
	FOR EACH STATEMENT EXECUTE FUNCTION map_generation_bump();
-- @all
