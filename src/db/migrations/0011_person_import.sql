-- 0011_person_import.sql — imports of client registers (razem import
-- persons, the import page; src/registry/person_import.c).
--
-- One row per import that read its file: who, when, which file for which
-- institution, the counts, and the rejects file itself (the refused rows
-- with their reasons, CSV) — personal data, so it is downloaded again only
-- by the importing institution, through the access policy, each download
-- audited. Rows are never updated: an import happens once.

CREATE TABLE person_import (
	id {{ID}},
	institution_id {{INT}} NOT NULL REFERENCES institution (id),
	user_id {{INT}} REFERENCES app_user (id),  -- NULL: the command line
	actor TEXT NOT NULL,                     -- login, or "(cli:USER)"
	at TEXT NOT NULL,
	file_name TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
	encoding TEXT NOT NULL,                  -- "UTF-8", "Windows-1250", ...
	separator TEXT NOT NULL,                 -- ";", ",", "\t"
	rows_read {{INT}} NOT NULL,
	imported {{INT}} NOT NULL,               -- persons created
	updated {{INT}} NOT NULL,                -- persons updated (--update)
	refused {{INT}} NOT NULL,
	duplicates {{INT}} NOT NULL,             -- PESELs already registered, left alone
	warnings {{INT}} NOT NULL,
	households {{INT}} NOT NULL,             -- families created
	unmapped TEXT,                           -- columns nothing mapped, "; "-separated
	seconds {{DOUBLE}} NOT NULL,
	rejects {{BLOB}},                        -- the rejects CSV (UTF-8 BOM, ';', CRLF); NULL when none
	rejects_truncated {{INT}} NOT NULL DEFAULT 0 CHECK (rejects_truncated IN (0, 1))
) {{STRICT}};
CREATE INDEX person_import_institution ON person_import (institution_id, id);
