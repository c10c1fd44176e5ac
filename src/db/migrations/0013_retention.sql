-- 0013_retention.sql — retention (src/registry/dataprot.c): families and
-- community interviews record when the retention job anonymised them, as
-- persons already do (person.anonymised_at, 0007). An anonymised family
-- keeps its gmina (terc) and dates; an anonymised interview keeps its date
-- and worker, its free text is gone.

ALTER TABLE family ADD COLUMN anonymised_at TEXT;
ALTER TABLE interview ADD COLUMN anonymised_at TEXT;
CREATE INDEX person_retention ON person (anonymised_at, updated_at);
