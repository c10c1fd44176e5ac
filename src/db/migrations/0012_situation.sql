-- 0012_situation.sql — the situation of persons and families
-- (src/registry/situation.c): reasons for assistance per family and
-- period, labour-market status periods, benefits granted by decision,
-- community interviews (rodzinny wywiad środowiskowy).
--
-- Every row carries its owning institution (that of the family or
-- person). Dates are YYYY-MM-DD text; an open period has a NULL end.
-- Long-term unemployment is computed from labour_status, never stored.

-- Reasons for assistance (art. 7 u.p.s.) of a family, by period.
CREATE TABLE family_reason (
	id {{ID}},
	institution_id {{INT}} NOT NULL REFERENCES institution (id),
	family_id {{INT}} NOT NULL REFERENCES family (id),
	reason_code TEXT NOT NULL REFERENCES assistance_reason (code),
	period_from TEXT NOT NULL CHECK (length(period_from) = 10),
	period_to TEXT CHECK (period_to IS NULL OR length(period_to) = 10),
	note TEXT CHECK (note IS NULL OR length(note) <= 2000),
	created_at TEXT NOT NULL,
	created_by {{INT}} REFERENCES app_user (id),
	CHECK (period_to IS NULL OR period_to >= period_from)
) {{STRICT}};
CREATE INDEX family_reason_family ON family_reason (family_id, period_from);
CREATE INDEX family_reason_code ON family_reason (institution_id, reason_code, period_to);

-- Labour-market status as dated periods. A registered unemployed
-- person's period that has ended says why (dereg_reason, u.p.z. art. 33
-- ust. 4 in broad groups): job_taken (employment or other paid work),
-- business_started (own business), refused_offer (refused a job offer,
-- training, traineeship or other activation), no_show (did not report
-- when summoned), own_request, pension (right to a pension, retirement
-- or another benefit excluding registration), other. The profil pomocy
-- (I/II/III) existed only from 2014-05-27 to 2019-06-14 (DOMAIN.md §4).
CREATE TABLE labour_status (
	id {{ID}},
	institution_id {{INT}} NOT NULL REFERENCES institution (id),
	person_id {{INT}} NOT NULL REFERENCES person (id),
	status TEXT NOT NULL CHECK (status IN ('registered_unemployed', 'job_seeker', 'employed', 'inactive')),
	from_date TEXT NOT NULL CHECK (length(from_date) = 10),
	to_date TEXT CHECK (to_date IS NULL OR length(to_date) = 10),
	dereg_reason TEXT CHECK (dereg_reason IS NULL OR dereg_reason IN ('job_taken', 'business_started',
		'refused_offer', 'no_show', 'own_request', 'pension', 'other')),
	profile TEXT CHECK (profile IS NULL OR profile IN ('I', 'II', 'III')),
	source TEXT CHECK (source IS NULL OR length(source) <= 200),  -- who told us: "PUP", "oświadczenie"…
	created_at TEXT NOT NULL,
	created_by {{INT}} REFERENCES app_user (id),
	CHECK (to_date IS NULL OR to_date >= from_date),
	CHECK (dereg_reason IS NULL OR (status = 'registered_unemployed' AND to_date IS NOT NULL)),
	CHECK (profile IS NULL OR (status = 'registered_unemployed' AND from_date <= '2019-06-14'
		AND (to_date IS NULL OR to_date >= '2014-05-27')))
) {{STRICT}};
CREATE INDEX labour_status_person ON labour_status (person_id, from_date);
CREATE INDEX labour_status_institution ON labour_status (institution_id, status, to_date);

-- Benefits granted by decision: the form of assistance, the amount where
-- it is cash (grosze), the period and the decision.
CREATE TABLE benefit (
	id {{ID}},
	institution_id {{INT}} NOT NULL REFERENCES institution (id),
	person_id {{INT}} NOT NULL REFERENCES person (id),
	family_id {{INT}} REFERENCES family (id),
	form_code TEXT NOT NULL REFERENCES benefit_form (code),
	amount_grosze {{INT}} CHECK (amount_grosze IS NULL OR amount_grosze >= 0),
	period_from TEXT NOT NULL CHECK (length(period_from) = 10),
	period_to TEXT CHECK (period_to IS NULL OR length(period_to) = 10),
	decision_number TEXT CHECK (decision_number IS NULL OR length(decision_number) BETWEEN 1 AND 100),
	decision_date TEXT CHECK (decision_date IS NULL OR length(decision_date) = 10),
	created_at TEXT NOT NULL,
	created_by {{INT}} REFERENCES app_user (id),
	CHECK (period_to IS NULL OR period_to >= period_from)
) {{STRICT}};
CREATE INDEX benefit_person ON benefit (person_id, period_from);
CREATE INDEX benefit_family ON benefit (family_id) WHERE family_id IS NOT NULL;
CREATE INDEX benefit_institution ON benefit (institution_id, form_code, period_from);

-- Community interviews: free text by area of the family's situation,
-- never shown outside the owning institution.
CREATE TABLE interview (
	id {{ID}},
	institution_id {{INT}} NOT NULL REFERENCES institution (id),
	family_id {{INT}} NOT NULL REFERENCES family (id),
	person_id {{INT}} REFERENCES person (id),     -- the person interviewed, when one
	interview_date TEXT NOT NULL CHECK (length(interview_date) = 10),
	worker_id {{INT}} REFERENCES app_user (id),
	housing TEXT,
	income TEXT,
	employment TEXT,
	health TEXT,
	family_relations TEXT,
	care_upbringing TEXT,
	other TEXT,
	conclusions TEXT,
	work_plan TEXT,
	created_at TEXT NOT NULL,
	created_by {{INT}} REFERENCES app_user (id),
	updated_at TEXT NOT NULL
) {{STRICT}};
CREATE INDEX interview_family ON interview (family_id, interview_date);
CREATE INDEX interview_worker ON interview (worker_id);
