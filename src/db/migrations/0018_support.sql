-- 0018_support.sql — support instruments and episodes, duplicated
-- support between institutions (src/coop/episode.c).
--
-- An episode is the providing institution's own record of support given
-- to its own record of a person. When an episode is created or changed,
-- razem looks for episodes of the same kind overlapping in time on the
-- records of the same human at partner institutions (an agreement in
-- force with the form information_exchange) and keeps each pair found in
-- support_overlap, so reports read them instead of recomputing. Each of
-- the two institutions gets its own alert about the pair.

-- The catalogue of instruments (DOMAIN.md §4.2, §4.4). "kind" groups
-- instruments for overlap detection: every vocational course is
-- "training", whoever funds it.
CREATE TABLE instrument (
	code TEXT PRIMARY KEY,
	label_pl TEXT NOT NULL,
	label_en TEXT NOT NULL,
	category TEXT NOT NULL CHECK (category IN ('active_integration_social', 'active_integration_vocational',
		'active_integration_educational', 'active_integration_health', 'labour_market_service',
		'labour_market_instrument', 'social_employment')),
	kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
	legal_basis TEXT NOT NULL,
	valid_from TEXT,
	valid_to TEXT,
	sort {{INT}} NOT NULL
) {{STRICT}};

INSERT INTO instrument (code, label_pl, label_en, category, kind, legal_basis, valid_from, valid_to, sort) VALUES
	('job_placement', 'Pośrednictwo pracy', 'Job placement', 'labour_market_service', 'placement', 'art. 36 u.p.z.', NULL, NULL, 10),
	('vocational_counselling', 'Poradnictwo zawodowe', 'Vocational counselling', 'labour_market_service', 'counselling', 'art. 38 u.p.z.', NULL, NULL, 20),
	('individual_action_plan', 'Indywidualny plan działania (IPD)', 'Individual action plan', 'labour_market_service', 'action_plan', 'art. 34a u.p.z.', NULL, NULL, 30),
	('training', 'Szkolenie', 'Training', 'labour_market_instrument', 'training', 'art. 40 u.p.z.', NULL, NULL, 40),
	('internship', 'Staż', 'Internship (traineeship)', 'labour_market_instrument', 'internship', 'art. 53 u.p.z.', NULL, NULL, 50),
	('intervention_works', 'Prace interwencyjne', 'Intervention works', 'labour_market_instrument', 'intervention_works', 'art. 51 u.p.z.', NULL, NULL, 60),
	('public_works', 'Roboty publiczne', 'Public works', 'labour_market_instrument', 'public_works', 'art. 57 u.p.z.', NULL, NULL, 70),
	('socially_useful_work', 'Prace społecznie użyteczne', 'Socially useful work', 'labour_market_instrument', 'socially_useful_work', 'art. 73a u.p.z.', '2005-11-01', NULL, 80),
	('pai', 'Program Aktywizacja i Integracja', 'Activation and Integration programme', 'labour_market_instrument', 'pai', 'art. 62a u.p.z.', '2014-05-27', NULL, 90),
	('cis', 'Zatrudnienie socjalne w CIS', 'Social employment in a social integration centre (CIS)', 'social_employment', 'social_employment', 'art. 12 u.z.s.', NULL, NULL, 100),
	('kis', 'Zajęcia w KIS', 'Social integration club (KIS)', 'social_employment', 'social_employment', 'art. 18 u.z.s.', NULL, NULL, 110),
	('ai_social_skills', 'Trening kompetencji i umiejętności społecznych', 'Social skills training', 'active_integration_social', 'social_skills', 'PO KL 7.1', '2007-01-01', '2015-12-31', 200),
	('ai_psych_counselling', 'Poradnictwo psychologiczne i psychospołeczne', 'Psychological and psychosocial counselling', 'active_integration_social', 'psych_counselling', 'PO KL 7.1', '2007-01-01', '2015-12-31', 210),
	('ai_legal_counselling', 'Poradnictwo prawne', 'Legal counselling', 'active_integration_social', 'legal_counselling', 'PO KL 7.1', '2007-01-01', '2015-12-31', 220),
	('ai_volunteering', 'Organizacja wolontariatu', 'Volunteering', 'active_integration_social', 'volunteering', 'PO KL 7.1', '2007-01-01', '2015-12-31', 230),
	('ai_vocational_counselling', 'Poradnictwo zawodowe (aktywna integracja)', 'Vocational counselling (active integration)', 'active_integration_vocational', 'counselling', 'PO KL 7.1', '2007-01-01', '2015-12-31', 300),
	('ai_vocational_course', 'Kurs lub szkolenie zawodowe', 'Vocational course or training', 'active_integration_vocational', 'training', 'PO KL 7.1', '2007-01-01', '2015-12-31', 310),
	('ai_internship', 'Staż lub praktyka zawodowa', 'Internship or work placement', 'active_integration_vocational', 'internship', 'PO KL 7.1', '2007-01-01', '2015-12-31', 320),
	('ai_supported_employment', 'Zatrudnienie wspierane, trener pracy', 'Supported employment, job coach', 'active_integration_vocational', 'supported_employment', 'PO KL 7.1', '2007-01-01', '2015-12-31', 330),
	('ai_cis_kis', 'Skierowanie i sfinansowanie zajęć w CIS/KIS', 'Referral to and funding of CIS/KIS', 'active_integration_vocational', 'social_employment', 'PO KL 7.1', '2007-01-01', '2015-12-31', 340),
	('ai_education', 'Sfinansowanie nauki', 'Funding of education', 'active_integration_educational', 'education', 'PO KL 7.1', '2007-01-01', '2015-12-31', 400),
	('ai_youth_classes', 'Zajęcia dla dzieci i młodzieży', 'Classes for children and young people', 'active_integration_educational', 'youth_classes', 'PO KL 7.1', '2007-01-01', '2015-12-31', 410),
	('ai_corrective_programme', 'Program korekcyjno-edukacyjny lub psychokorekcyjny', 'Corrective-educational programme', 'active_integration_health', 'therapy', 'PO KL 7.1', '2007-01-01', '2015-12-31', 500),
	('ai_addiction_therapy', 'Terapia uzależnień', 'Addiction therapy', 'active_integration_health', 'therapy', 'PO KL 7.1', '2007-01-01', '2015-12-31', 510),
	('ai_rehabilitation', 'Rehabilitacja, turnus rehabilitacyjny', 'Rehabilitation', 'active_integration_health', 'rehabilitation', 'PO KL 7.1', '2007-01-01', '2015-12-31', 520),
	('social_vocational_course', 'Kurs zawodowy finansowany przez OPS', 'Vocational course funded by the social-assistance centre', 'active_integration_vocational', 'training', 'art. 110 u.p.s.', NULL, NULL, 600),
	('social_counselling', 'Poradnictwo specjalistyczne', 'Specialist counselling', 'active_integration_social', 'psych_counselling', 'art. 46 u.p.s.', NULL, NULL, 610);

-- An episode: support given by institution_id (the provider, owner of the
-- record) to its own record of a person. Dates are YYYY-MM-DD; cost in grosze.
CREATE TABLE episode (
	id {{ID}},
	institution_id {{INT}} NOT NULL REFERENCES institution (id),
	person_id {{INT}} NOT NULL REFERENCES person (id),
	instrument_code TEXT NOT NULL REFERENCES instrument (code),
	kind TEXT NOT NULL,  -- the instrument's kind when written: overlap look-ups need no join
	project TEXT CHECK (project IS NULL OR length(project) <= 200),
	start_date TEXT NOT NULL CHECK (length(start_date) = 10),
	planned_end TEXT CHECK (planned_end IS NULL OR length(planned_end) = 10),
	actual_end TEXT CHECK (actual_end IS NULL OR length(actual_end) = 10),
	cost_grosze {{INT}} CHECK (cost_grosze IS NULL OR cost_grosze >= 0),
	status TEXT NOT NULL CHECK (status IN ('planned', 'ongoing', 'completed', 'interrupted')),
	outcome TEXT CHECK (outcome IS NULL OR length(outcome) <= 2000),
	withdrawn {{INT}} NOT NULL DEFAULT 0,  -- 1: the alert "withdrawn" took it back; no longer overlaps
	created_at TEXT NOT NULL,
	created_by {{INT}} REFERENCES app_user (id),
	updated_at TEXT,
	updated_by {{INT}} REFERENCES app_user (id),
	CHECK (planned_end IS NULL OR planned_end >= start_date),
	CHECK (actual_end IS NULL OR actual_end >= start_date)
) {{STRICT}};
CREATE INDEX episode_person ON episode (person_id, kind, start_date);
CREATE INDEX episode_institution ON episode (institution_id, start_date);

-- A pair of overlapping episodes as found (episode_a the one being
-- saved, episode_b the partner's). Kept when the episodes change later,
-- so the report of a year reads what was found.
CREATE TABLE support_overlap (
	id {{ID}},
	episode_a {{INT}} NOT NULL REFERENCES episode (id),
	episode_b {{INT}} NOT NULL REFERENCES episode (id),
	kind TEXT NOT NULL,
	overlap_from TEXT NOT NULL CHECK (length(overlap_from) = 10),
	overlap_to TEXT CHECK (overlap_to IS NULL OR length(overlap_to) = 10),
	found_at TEXT NOT NULL,
	CHECK (episode_a <> episode_b)
) {{STRICT}};
CREATE UNIQUE INDEX support_overlap_pair ON support_overlap (episode_a, episode_b);
CREATE INDEX support_overlap_b ON support_overlap (episode_b);
CREATE INDEX support_overlap_from ON support_overlap (overlap_from);

-- One alert per institution per overlap; resolved by its own institution.
CREATE TABLE alert (
	id {{ID}},
	institution_id {{INT}} NOT NULL REFERENCES institution (id),
	overlap_id {{INT}} NOT NULL REFERENCES support_overlap (id),
	episode_id {{INT}} NOT NULL REFERENCES episode (id),  -- the institution's own episode of the pair
	state TEXT NOT NULL CHECK (state IN ('open', 'coordinated', 'intended', 'withdrawn')),
	comment TEXT CHECK (comment IS NULL OR length(comment) <= 2000),
	created_at TEXT NOT NULL,
	resolved_by {{INT}} REFERENCES app_user (id),
	resolved_at TEXT
) {{STRICT}};
CREATE UNIQUE INDEX alert_one ON alert (overlap_id, institution_id);
CREATE INDEX alert_open ON alert (institution_id, state, created_at);

-- What happened to an alert, oldest first.
CREATE TABLE alert_history (
	id {{ID}},
	alert_id {{INT}} NOT NULL REFERENCES alert (id),
	state TEXT NOT NULL,
	comment TEXT,
	at TEXT NOT NULL,
	by_user {{INT}} REFERENCES app_user (id)
) {{STRICT}};
CREATE INDEX alert_history_alert ON alert_history (alert_id, id);
