-- 0025_import_creates.sql — a record created by an import names the import.
--
-- An import of a client register creates its persons, households and
-- memberships in one transaction by one user at one moment. Their
-- "created" history was a record_history row each (2.4 million rows and
-- three index builds for a million persons, a fifth of the import); the
-- import's own row (person_import: who, when, which file) now says it once,
-- and each record created by it points there. registry/history.c shows
-- that creation on the person's and the family's page as before. Changes
-- after the import are history rows as always.
ALTER TABLE person ADD COLUMN import_id {{INT}} REFERENCES person_import (id);
ALTER TABLE family ADD COLUMN import_id {{INT}} REFERENCES person_import (id);
ALTER TABLE family_member ADD COLUMN import_id {{INT}} REFERENCES person_import (id);
