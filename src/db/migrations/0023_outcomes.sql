-- 0023_outcomes.sql — outcomes of social contracts (src/coop/outcome.c)
-- and what the evaluation against a comparison group reads
-- (src/coop/evaluation.c; docs/CONTRACTS.md "Outcomes", "Evaluation").
--
-- An outcome is recorded when a contract ends (point 'completion') and
-- six months after it ended (point 'follow_up'), per kind of the dated
-- dictionary outcome_kind, for the whole family (person_id NULL) or for
-- one member. A correction never overwrites: it writes a new row and
-- marks the old one superseded (superseded_by, superseded_at), so the
-- history of what was recorded, by whom and when stays. The row in force
-- for (contract, point, kind, person) is the one not superseded.
-- comparable = 1: the registry holds an observable equivalent for
-- families without a contract, so the evaluation compares it.

CREATE TABLE outcome_kind (
	code TEXT PRIMARY KEY,
	label_pl TEXT NOT NULL,
	label_en TEXT NOT NULL,
	subject TEXT NOT NULL CHECK (subject IN ('family', 'person')),
	comparable {{INT}} NOT NULL CHECK (comparable IN (0, 1)),
	valid_from TEXT CHECK (valid_from IS NULL OR length(valid_from) = 10),
	valid_to TEXT CHECK (valid_to IS NULL OR length(valid_to) = 10),
	sort {{INT}} NOT NULL
) {{STRICT}};

INSERT INTO outcome_kind (code, label_pl, label_en, subject, comparable, valid_from, valid_to, sort) VALUES
	('employment', 'podjęcie zatrudnienia', 'employment taken up', 'person', 1, '2010-01-01', NULL, 10),
	('left_benefits', 'wyjście z systemu świadczeń pieniężnych', 'left cash benefits', 'family', 1,
		'2010-01-01', NULL, 20),
	('school_attendance', 'regularne uczęszczanie dzieci do szkoły', 'children attend school regularly',
		'person', 0, '2010-01-01', NULL, 30),
	('housing', 'poprawa sytuacji mieszkaniowej', 'housing situation improved', 'family', 0,
		'2010-01-01', NULL, 40);

CREATE TABLE contract_outcome (
	id {{ID}},
	contract_id {{INT}} NOT NULL REFERENCES contract (id),
	point TEXT NOT NULL CHECK (point IN ('completion', 'follow_up')),
	kind TEXT NOT NULL REFERENCES outcome_kind (code),
	person_id {{INT}} REFERENCES person (id),          -- NULL: the whole family
	achieved {{INT}} NOT NULL CHECK (achieved IN (0, 1)),
	observed_on TEXT NOT NULL CHECK (length(observed_on) = 10),
	note TEXT CHECK (note IS NULL OR length(note) <= 2000),
	recorded_at TEXT NOT NULL,
	recorded_by {{INT}} REFERENCES app_user (id),
	superseded_by {{INT}} REFERENCES contract_outcome (id),
	superseded_at TEXT
) {{STRICT}};
CREATE INDEX contract_outcome_contract ON contract_outcome (contract_id, point, superseded_by);
CREATE INDEX contract_outcome_kind ON contract_outcome (kind, point, superseded_by);
