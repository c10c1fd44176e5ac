-- 0027_family_member_person.sql — every membership of a person, found by
-- the person.
--
-- family_member_current (0007) finds only the current one. The person's
-- history (the memberships an import created, registry/history.c), the
-- data-subject report and anonymisation (registry/dataprot.c) read all of
-- a person's memberships, past ones too, and scanned the whole table for
-- them: a million rows after a large import, on every person page.
CREATE INDEX family_member_person ON family_member (person_id);
