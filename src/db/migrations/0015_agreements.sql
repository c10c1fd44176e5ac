-- 0015_agreements.sql — partnership agreements (porozumienia) between
-- institutions (src/coop/agreement.c): their parties, the forms of
-- cooperation they cover (a dated dictionary), the categories of fields
-- that may flow under them.
--
-- Agreements are not personal data. Expiry is computed from the dates
-- (valid_to < today), never stored: status says only what was decided
-- (negotiating, signed, terminated). valid_to NULL = indefinite.

CREATE TABLE agreement (
	id {{ID}},
	subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
	signed_on TEXT CHECK (signed_on IS NULL OR length(signed_on) = 10),
	valid_from TEXT NOT NULL CHECK (length(valid_from) = 10),
	valid_to TEXT CHECK (valid_to IS NULL OR length(valid_to) = 10),
	duration TEXT NOT NULL CHECK (duration IN ('one_year', 'multi_year', 'indefinite')),
	status TEXT NOT NULL CHECK (status IN ('negotiating', 'signed', 'terminated')),
	terminated_on TEXT CHECK (terminated_on IS NULL OR length(terminated_on) = 10),
	attachments TEXT CHECK (attachments IS NULL OR length(attachments) <= 1000), -- reference numbers
	created_at TEXT NOT NULL,
	created_by {{INT}} REFERENCES app_user (id),
	updated_at TEXT NOT NULL,
	updated_by {{INT}} REFERENCES app_user (id),
	CHECK (valid_to IS NULL OR valid_to >= valid_from),
	CHECK (status <> 'signed' OR signed_on IS NOT NULL),
	CHECK (status <> 'terminated' OR terminated_on IS NOT NULL),
	CHECK ((duration = 'indefinite') = (valid_to IS NULL))
) {{STRICT}};
CREATE INDEX agreement_status ON agreement (status, valid_to);

-- The parties: two or more institutions (checked by agreement_validate()).
CREATE TABLE agreement_party (
	agreement_id {{INT}} NOT NULL REFERENCES agreement (id),
	institution_id {{INT}} NOT NULL REFERENCES institution (id),
	PRIMARY KEY (agreement_id, institution_id)
) {{STRICT}};
CREATE INDEX agreement_party_institution ON agreement_party (institution_id, agreement_id);

-- Forms of cooperation: stable codes, dated (a form the law ended stays
-- for the agreements that named it; new agreements take the successor).
CREATE TABLE cooperation_form (
	code TEXT PRIMARY KEY,
	label_pl TEXT NOT NULL,
	label_en TEXT NOT NULL,
	legal_basis TEXT,
	valid_from TEXT,
	valid_to TEXT,
	sort {{INT}} NOT NULL
) {{STRICT}};

INSERT INTO cooperation_form (code, label_pl, label_en, legal_basis, valid_from, valid_to, sort) VALUES
	('information_exchange', 'wymiana informacji o planowanych działaniach na rzecz bezrobotnych',
		'exchange of information on planned actions for the unemployed', NULL, NULL, NULL, 10),
	('socially_useful_work', 'prace społecznie użyteczne', 'socially useful work',
		'art. 73a u.p.z.', NULL, NULL, 20),
	('public_works', 'roboty publiczne', 'public works', 'art. 57 u.p.z.', NULL, NULL, 30),
	('intervention_works', 'prace interwencyjne', 'intervention works', 'art. 56 u.p.z.', NULL, NULL, 40),
	('internships', 'staże', 'internships', 'art. 53 u.p.z.', NULL, NULL, 50),
	('referrals', 'kierowanie bezrobotnych korzystających z pomocy społecznej do kontraktu socjalnego i programów',
		'referral of unemployed social-assistance clients to a social contract and programmes',
		'art. 50 ust. 2 u.p.z.', NULL, '2025-05-31', 60),
	('referrals_2025', 'kierowanie bezrobotnych korzystających z pomocy społecznej do kontraktu socjalnego i programów (ustawa z 2025 r.)',
		'referral of unemployed social-assistance clients to a social contract and programmes (2025 act)',
		'ustawa z 20 marca 2025 r. o rynku pracy i służbach zatrudnienia', '2025-06-01', NULL, 61),
	('job_offers', 'przekazywanie ofert pracy', 'passing on job offers', NULL, NULL, NULL, 70),
	('information_point', 'punkt informacyjny', 'information point', NULL, NULL, NULL, 80),
	('shared_premises', 'wspólny lokal', 'shared premises', NULL, NULL, NULL, 90);

CREATE TABLE agreement_form (
	agreement_id {{INT}} NOT NULL REFERENCES agreement (id),
	form_code TEXT NOT NULL REFERENCES cooperation_form (code),
	PRIMARY KEY (agreement_id, form_code)
) {{STRICT}};
CREATE INDEX agreement_form_code ON agreement_form (form_code, agreement_id);

-- Which categories of fields may flow under the agreement; the codes are
-- the sensitivity classes of db/list.h (identity, contact, social) plus
-- labour_status and support (episodes). Special categories never flow.
CREATE TABLE agreement_data (
	agreement_id {{INT}} NOT NULL REFERENCES agreement (id),
	category TEXT NOT NULL CHECK (category IN ('identity', 'contact', 'social', 'labour_status', 'support')),
	PRIMARY KEY (agreement_id, category)
) {{STRICT}};
