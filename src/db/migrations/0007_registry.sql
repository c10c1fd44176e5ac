-- 0007_registry.sql — the registry: persons, families (households) and
-- their members, the dictionaries of reasons for assistance and of forms
-- of assistance, the history of every change (src/registry/).
--
-- Every personal row carries its owning institution: the same human held
-- by two institutions is two person rows, joined later by a link (record
-- linkage), never one shared row. A PESEL is unique within an institution.
-- Deletion is soft (deleted_at); anonymisation (retention) blanks the
-- identifying columns and sets anonymised_at.
--
-- *_fold columns hold the text folded for case and Polish letters
-- (core/str str_fold: "Łukasz" -> "lukasz") for accent-blind prefix search.

CREATE TABLE person (
	id {{ID}},
	institution_id {{INT}} NOT NULL REFERENCES institution (id),
	lead_worker_id {{INT}} REFERENCES app_user (id),
	pesel TEXT CHECK (pesel IS NULL OR length(pesel) = 11),
	doc_kind TEXT CHECK (doc_kind IS NULL OR doc_kind IN ('id_card', 'passport', 'residence_card', 'other')),
	doc_number TEXT CHECK (doc_number IS NULL OR length(doc_number) BETWEEN 1 AND 40),
	first_names TEXT NOT NULL CHECK (length(first_names) BETWEEN 1 AND 200),
	surname TEXT NOT NULL CHECK (length(surname) BETWEEN 1 AND 200),
	birth_surname TEXT,
	sex TEXT CHECK (sex IS NULL OR sex IN ('K', 'M')),
	birth_date TEXT CHECK (birth_date IS NULL OR length(birth_date) = 10),
	citizenship TEXT,             -- ISO 3166-1 alpha-2, "PL" by default in forms
	street TEXT,
	house_no TEXT,
	flat_no TEXT,
	postcode TEXT CHECK (postcode IS NULL OR length(postcode) = 6),
	town TEXT,
	terc TEXT CHECK (terc IS NULL OR length(terc) = 7),
	corr_address TEXT,            -- correspondence address when different, free text
	phone TEXT,
	email TEXT,
	education TEXT CHECK (education IS NULL OR education IN ('none', 'primary', 'lower_secondary',
		'vocational', 'secondary', 'post_secondary', 'higher')),
	disability TEXT CHECK (disability IS NULL OR disability IN ('none', 'light', 'moderate', 'significant')),
	disability_from TEXT,
	disability_to TEXT,
	surname_fold TEXT NOT NULL,
	first_fold TEXT NOT NULL,
	town_fold TEXT,
	street_fold TEXT,
	created_at TEXT NOT NULL,
	created_by {{INT}} REFERENCES app_user (id),
	updated_at TEXT NOT NULL,
	updated_by {{INT}} REFERENCES app_user (id),
	deleted_at TEXT,
	deleted_by {{INT}} REFERENCES app_user (id),
	anonymised_at TEXT
) {{STRICT}};
CREATE UNIQUE INDEX person_pesel ON person (institution_id, pesel)
	WHERE pesel IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX person_pesel_any ON person (pesel) WHERE pesel IS NOT NULL;
CREATE INDEX person_surname ON person (institution_id, surname_fold, first_fold);
CREATE INDEX person_first ON person (institution_id, first_fold);
CREATE INDEX person_birth ON person (institution_id, birth_date);
CREATE INDEX person_town ON person (institution_id, town_fold);
CREATE INDEX person_lead ON person (lead_worker_id);

-- A household (rodzina, art. 6 pkt 14 u.p.s.): people living and housekeeping together.
CREATE TABLE family (
	id {{ID}},
	institution_id {{INT}} NOT NULL REFERENCES institution (id),
	lead_worker_id {{INT}} REFERENCES app_user (id),
	applicant_id {{INT}} REFERENCES person (id),  -- wnioskodawca
	street TEXT,
	house_no TEXT,
	flat_no TEXT,
	postcode TEXT CHECK (postcode IS NULL OR length(postcode) = 6),
	town TEXT,
	terc TEXT CHECK (terc IS NULL OR length(terc) = 7),
	created_at TEXT NOT NULL,
	created_by {{INT}} REFERENCES app_user (id),
	updated_at TEXT NOT NULL,
	updated_by {{INT}} REFERENCES app_user (id),
	deleted_at TEXT,
	deleted_by {{INT}} REFERENCES app_user (id)
) {{STRICT}};
CREATE INDEX family_institution ON family (institution_id, id);
CREATE INDEX family_lead ON family (lead_worker_id);
CREATE INDEX family_applicant ON family (applicant_id);

-- Membership: a person belongs to at most one household at a time
-- (member_to NULL = current); a move closes one row and opens another.
CREATE TABLE family_member (
	id {{ID}},
	family_id {{INT}} NOT NULL REFERENCES family (id),
	person_id {{INT}} NOT NULL REFERENCES person (id),
	institution_id {{INT}} NOT NULL REFERENCES institution (id),
	relation TEXT NOT NULL CHECK (relation IN ('applicant', 'spouse', 'child', 'parent',
		'relative', 'other')),
	member_from TEXT NOT NULL,
	member_to TEXT,
	CHECK (member_to IS NULL OR member_to >= member_from)
) {{STRICT}};
CREATE UNIQUE INDEX family_member_current ON family_member (person_id) WHERE member_to IS NULL;
CREATE INDEX family_member_family ON family_member (family_id, member_to);

-- Reasons for assistance (art. 7 u.p.s., DOMAIN.md §1): stable string
-- codes, never the point numbers; sens marks the special categories the
-- access policy hides from labour-office roles (db/list.h SENS_*).
CREATE TABLE assistance_reason (
	code TEXT PRIMARY KEY,
	label_pl TEXT NOT NULL,
	label_en TEXT NOT NULL,
	legal_basis TEXT NOT NULL,
	sens TEXT NOT NULL CHECK (sens IN ('social', 'health', 'addiction', 'violence')),
	parent_code TEXT REFERENCES assistance_reason (code),  -- sub-rows of MPiPS-03
	valid_from TEXT,
	valid_to TEXT,
	sort {{INT}} NOT NULL
) {{STRICT}};

INSERT INTO assistance_reason (code, label_pl, label_en, legal_basis, sens, parent_code, valid_from, valid_to, sort) VALUES
	('UBOSTWO', 'ubóstwo', 'poverty', 'art. 7 pkt 1 u.p.s.', 'social', NULL, NULL, NULL, 10),
	('SIEROCTWO', 'sieroctwo', 'orphanhood', 'art. 7 pkt 2 u.p.s.', 'social', NULL, NULL, NULL, 20),
	('BEZDOMNOSC', 'bezdomność', 'homelessness', 'art. 7 pkt 3 u.p.s.', 'social', NULL, NULL, NULL, 30),
	('BEZROBOCIE', 'bezrobocie', 'unemployment', 'art. 7 pkt 4 u.p.s.', 'social', NULL, NULL, NULL, 40),
	('NIEPELNOSPRAWNOSC', 'niepełnosprawność', 'disability', 'art. 7 pkt 5 u.p.s.', 'health', NULL, NULL, NULL, 50),
	('CHOROBA', 'długotrwała lub ciężka choroba', 'long-term or serious illness', 'art. 7 pkt 6 u.p.s.', 'health', NULL, NULL, NULL, 60),
	('PRZEMOC', 'przemoc domowa', 'domestic violence', 'art. 7 pkt 7 u.p.s.', 'violence', NULL, NULL, NULL, 70),
	('HANDEL_LUDZMI', 'potrzeba ochrony ofiar handlu ludźmi', 'need to protect victims of human trafficking', 'art. 7 pkt 7a u.p.s.', 'violence', NULL, NULL, NULL, 75),
	('MACIERZYNSTWO', 'potrzeba ochrony macierzyństwa', 'need to protect maternity', 'art. 7 pkt 8 u.p.s.', 'social', NULL, NULL, NULL, 80),
	('WIELODZIETNOSC', 'wielodzietność', 'large family', 'art. 7 pkt 8 u.p.s.', 'social', 'MACIERZYNSTWO', NULL, NULL, 81),
	('BEZRADNOSC', 'bezradność w sprawach opiekuńczo-wychowawczych i prowadzenia gospodarstwa domowego', 'helplessness in care-and-upbringing matters and running a household', 'art. 7 pkt 9 u.p.s.', 'social', NULL, NULL, NULL, 90),
	('RODZINA_NIEPELNA', 'rodzina niepełna', 'single-parent family', 'art. 7 pkt 9 u.p.s.', 'social', 'BEZRADNOSC', NULL, NULL, 91),
	('RODZINA_WIELODZIETNA', 'rodzina wielodzietna', 'large family (helplessness)', 'art. 7 pkt 9 u.p.s.', 'social', 'BEZRADNOSC', NULL, NULL, 92),
	('OPUSZCZAJACY_PIECZE', 'trudności w przystosowaniu do życia młodzieży opuszczającej całodobowe placówki opiekuńczo-wychowawcze', 'youth leaving 24-hour care institutions', 'art. 7 pkt 10 u.p.s. (uchylony)', 'social', NULL, NULL, '2011-12-31', 100),
	('INTEGRACJA_CUDZOZIEMCOW', 'trudności w integracji cudzoziemców', 'difficulties in the integration of foreigners', 'art. 7 pkt 11 u.p.s.', 'social', NULL, NULL, NULL, 110),
	('PO_ZAKLADZIE_KARNYM', 'trudności w przystosowaniu do życia po zwolnieniu z zakładu karnego', 'difficulties adapting to life after release from prison', 'art. 7 pkt 12 u.p.s.', 'social', NULL, NULL, NULL, 120),
	('ALKOHOLIZM', 'alkoholizm', 'alcoholism', 'art. 7 pkt 13 u.p.s.', 'addiction', NULL, NULL, NULL, 130),
	('NARKOMANIA', 'narkomania', 'drug addiction', 'art. 7 pkt 13 u.p.s.', 'addiction', NULL, NULL, NULL, 131),
	('ZDARZENIE_LOSOWE', 'zdarzenie losowe', 'random event', 'art. 7 pkt 14 u.p.s.', 'social', NULL, NULL, NULL, 140),
	('SYTUACJA_KRYZYSOWA', 'sytuacja kryzysowa', 'crisis situation', 'art. 7 pkt 14 u.p.s.', 'social', NULL, NULL, NULL, 141),
	('KLESKA', 'klęska żywiołowa lub ekologiczna', 'natural or ecological disaster', 'art. 7 pkt 15 u.p.s.', 'social', NULL, NULL, NULL, 150),
	('INNE', 'inny powód', 'other reason', 'art. 7 u.p.s. („w szczególności”)', 'social', NULL, NULL, NULL, 900);

-- Forms of assistance granted by decision (benefit decisions).
CREATE TABLE benefit_form (
	code TEXT PRIMARY KEY,
	label_pl TEXT NOT NULL,
	label_en TEXT NOT NULL,
	legal_basis TEXT NOT NULL,
	cash {{INT}} NOT NULL CHECK (cash IN (0, 1)),  -- 1 = an amount is expected
	valid_from TEXT,
	valid_to TEXT,
	sort {{INT}} NOT NULL
) {{STRICT}};

INSERT INTO benefit_form (code, label_pl, label_en, legal_basis, cash, valid_from, valid_to, sort) VALUES
	('ZASILEK_STALY', 'zasiłek stały', 'permanent allowance', 'art. 37 u.p.s.', 1, NULL, NULL, 10),
	('ZASILEK_OKRESOWY', 'zasiłek okresowy', 'periodic allowance', 'art. 38 u.p.s.', 1, NULL, NULL, 20),
	('ZASILEK_CELOWY', 'zasiłek celowy', 'targeted allowance', 'art. 39 u.p.s.', 1, NULL, NULL, 30),
	('ZASILEK_CELOWY_SPECJALNY', 'specjalny zasiłek celowy', 'special targeted allowance', 'art. 41 u.p.s.', 1, NULL, NULL, 35),
	('ZASILEK_CELOWY_LOSOWY', 'zasiłek celowy w związku ze zdarzeniem losowym', 'targeted allowance after a random event', 'art. 40 u.p.s.', 1, NULL, NULL, 36),
	('POSILEK', 'posiłek', 'meals', 'art. 48b u.p.s.', 0, NULL, NULL, 40),
	('SCHRONIENIE', 'schronienie', 'shelter', 'art. 48a u.p.s.', 0, NULL, NULL, 50),
	('UBRANIE', 'niezbędne ubranie', 'necessary clothing', 'art. 48 u.p.s.', 0, NULL, NULL, 55),
	('USLUGI_OPIEKUNCZE', 'usługi opiekuńcze', 'care services', 'art. 50 u.p.s.', 0, NULL, NULL, 60),
	('SPECJALISTYCZNE_USLUGI', 'specjalistyczne usługi opiekuńcze', 'specialist care services', 'art. 50 ust. 4 u.p.s.', 0, NULL, NULL, 65),
	('DPS', 'pobyt w domu pomocy społecznej', 'residential care home', 'art. 54 u.p.s.', 0, NULL, NULL, 70),
	('SDS', 'pobyt w środowiskowym domu samopomocy', 'community self-help centre', 'art. 51 u.p.s.', 0, NULL, NULL, 75),
	('POMOC_RZECZOWA', 'pomoc rzeczowa', 'assistance in kind', 'art. 36 pkt 2 u.p.s.', 0, NULL, NULL, 80),
	('PRACA_SOCJALNA', 'praca socjalna', 'social work', 'art. 45 u.p.s.', 0, NULL, NULL, 90),
	('PORADNICTWO', 'poradnictwo specjalistyczne', 'specialist counselling', 'art. 46 u.p.s.', 0, NULL, NULL, 95),
	('INNE', 'inna forma pomocy', 'other form of assistance', 'art. 36 u.p.s.', 0, NULL, NULL, 900);

-- The history of every change to registry records: old and new value of
-- each field, who, when. entity names the record ("person", "family",
-- "member", "reason", "status", "benefit", "interview"); person_id and
-- family_id say whose page shows the row.
CREATE TABLE record_history (
	id {{ID}},
	institution_id {{INT}} NOT NULL REFERENCES institution (id),
	entity TEXT NOT NULL CHECK (length(entity) BETWEEN 1 AND 40),
	entity_id {{INT}} NOT NULL,
	person_id {{INT}},
	family_id {{INT}},
	change TEXT NOT NULL CHECK (change IN ('create', 'update', 'delete', 'move', 'anonymise')),
	field TEXT,                   -- NULL for a create/delete of the whole record
	old_value TEXT,
	new_value TEXT,
	user_id {{INT}} REFERENCES app_user (id),
	actor TEXT NOT NULL,          -- login, or "(cli:USER)"
	at TEXT NOT NULL
) {{STRICT}};
CREATE INDEX record_history_person ON record_history (person_id, id) WHERE person_id IS NOT NULL;
CREATE INDEX record_history_family ON record_history (family_id, id) WHERE family_id IS NOT NULL;
CREATE INDEX record_history_entity ON record_history (entity, entity_id, id);
