-- 0026_link_key.sql — the blocking keys clustered by person.
--
-- link_key held each key in a rowid table and again in two indexes:
-- 411 MB for the 8 million keys of a million persons, and the largest part
-- of the linking that follows a large import (18 s of 30). Clustered on
-- (person_id, key) it is written in the register's order, with one index
-- for the look-up of a key. The keys are derived from person (link/store.c
-- writes them again whenever a record changes), so the table keeps no
-- foreign key: one look-up per key was the price of checking what the
-- linker has just read from person itself.
CREATE TABLE link_key_new (
	person_id {{INT}} NOT NULL,
	key {{INT}} NOT NULL,   -- a link.h blocking key (64 bits, as signed)
	PRIMARY KEY (person_id, key)
-- @sqlite
) STRICT, WITHOUT ROWID;
-- @postgresql
);
-- @all
INSERT INTO link_key_new (person_id, key) SELECT DISTINCT person_id, key FROM link_key;
DROP TABLE link_key;
ALTER TABLE link_key_new RENAME TO link_key;
CREATE INDEX link_key_key ON link_key (key, person_id);
