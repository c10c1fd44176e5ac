-- 0014_registry_search.sql — the index person search needs beside those
-- of 0007: a prefix of the folded street. A one-word search is an OR of
-- index ranges (surname, first name, town, street); one branch without
-- an index would make the whole OR a scan of the register.

CREATE INDEX person_street ON person (institution_id, street_fold);
