-- 0016_consents.sql — a person's consents and the statutory bases for
-- sharing the person's record with partner institutions
-- (src/coop/consent.c; the sharing rule in src/policy/policy.c).
--
-- A row says: institution A (the owner of the person's record) may show
-- the record to recipient institution B — or, with recipient NULL, to
-- every partner under agreement agreement_id — for one purpose, from
-- valid_from to valid_to (NULL = until withdrawn), on the person's
-- consent (given in some form, recorded by someone) or on a statute
-- (its article). Withdrawal is a date and who recorded it; the row
-- stays. Nothing is cached: the policy reads these rows at each request.

-- Purposes of sharing (dictionary; the codes are stable).
CREATE TABLE consent_purpose (
	code TEXT PRIMARY KEY,
	label_pl TEXT NOT NULL,
	label_en TEXT NOT NULL,
	sort {{INT}} NOT NULL
) {{STRICT}};

INSERT INTO consent_purpose (code, label_pl, label_en, sort) VALUES
	('labour_market_activation', 'aktywizacja zawodowa', 'labour-market activation', 10),
	('social_contract', 'kontrakt socjalny', 'social contract', 20),
	('interdisciplinary_team', 'zespół interdyscyplinarny', 'interdisciplinary team', 30),
	('project_participation', 'udział w projekcie', 'project participation', 40),
	('data_quality', 'jakość danych (uzgodnienie rekordów)', 'data quality (record reconciliation)', 50),
	('statistics', 'statystyka', 'statistics', 60);

CREATE TABLE consent (
	id {{ID}},
	person_id {{INT}} NOT NULL REFERENCES person (id),
	institution_id {{INT}} NOT NULL REFERENCES institution (id),      -- the owner A (the person's)
	recipient_institution_id {{INT}} REFERENCES institution (id),      -- B; NULL = all partners under agreement_id
	agreement_id {{INT}},                                              -- agreement (0015); required without a recipient
	purpose TEXT NOT NULL REFERENCES consent_purpose (code),
	basis TEXT NOT NULL CHECK (basis IN ('consent', 'statute')),
	statute_article TEXT CHECK (statute_article IS NULL OR length(statute_article) BETWEEN 1 AND 200),
	given_form TEXT CHECK (given_form IS NULL OR given_form IN ('written', 'electronic', 'oral_recorded')),
	recorded_by {{INT}} REFERENCES app_user (id),
	valid_from TEXT NOT NULL CHECK (length(valid_from) = 10),
	valid_to TEXT CHECK (valid_to IS NULL OR length(valid_to) = 10),
	withdrawn_on TEXT CHECK (withdrawn_on IS NULL OR length(withdrawn_on) = 10),
	withdrawn_by {{INT}} REFERENCES app_user (id),
	note TEXT CHECK (note IS NULL OR length(note) <= 1000),
	created_at TEXT NOT NULL,
	CHECK (valid_to IS NULL OR valid_to >= valid_from),
	CHECK (recipient_institution_id IS NOT NULL OR agreement_id IS NOT NULL),
	CHECK (basis <> 'statute' OR statute_article IS NOT NULL),
	CHECK (basis <> 'consent' OR given_form IS NOT NULL)
) {{STRICT}};
CREATE INDEX consent_person ON consent (person_id, purpose);
CREATE INDEX consent_recipient ON consent (recipient_institution_id, person_id);
CREATE INDEX consent_expiry ON consent (institution_id, valid_to);
