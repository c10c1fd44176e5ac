-- 0021_contracts.sql — social contracts (src/coop/contract.c): the
-- statutory individual contract in variants A and B (art. 108 u.p.s., the
-- 2010 template), the family contract of the Schematom STOP! model, and the
-- individual programme of exit from homelessness (art. 108 ust. 3).
--
-- The contract row is the lifecycle (state, who drafted it, its county,
-- guardian, consent, PUP referral); its content lives in versions: the
-- version in force (current_version) and, while an amendment awaits
-- approval, the pending one (pending_version). Earlier versions are kept
-- (state superseded) so they can be compared. Every transition is a row
-- of contract_event (who, when, why, the decision). "Overdue" is never
-- stored: an action is overdue when planned and its deadline has passed.

CREATE TABLE contract (
	id {{ID}},
	kind TEXT NOT NULL CHECK (kind IN ('individual_a', 'individual_b', 'family', 'homelessness')),
	state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'approved', 'active',
		'completed', 'terminated')),
	institution_id {{INT}} NOT NULL REFERENCES institution (id), -- the centre that concludes it
	county_terc TEXT NOT NULL CHECK (length(county_terc) = 4),
	person_id {{INT}} NOT NULL REFERENCES person (id),              -- the party (the family's applicant)
	family_id {{INT}} REFERENCES family (id),
	social_worker_id {{INT}} NOT NULL REFERENCES app_user (id),
	guardian_member_id {{INT}} REFERENCES team_member (id),         -- an MGI member
	referral_id {{INT}} REFERENCES referral (id),                   -- the PUP referral (art. 50 ust. 2)
	consent_id {{INT}} REFERENCES consent (id),                     -- purpose social_contract
	current_version {{INT}} NOT NULL DEFAULT 1,
	pending_version {{INT}},
	end_reason TEXT CHECK (end_reason IS NULL OR end_reason IN ('non_cooperation', 'agreement',
		'lost_contact', 'death', 'other')),
	end_note TEXT CHECK (end_note IS NULL OR length(end_note) <= 2000),
	art11_consequence TEXT CHECK (art11_consequence IS NULL OR art11_consequence IN
		('refuse', 'revoke', 'suspend')),
	ended_on TEXT,
	created_at TEXT NOT NULL,
	created_by {{INT}} REFERENCES app_user (id),
	updated_at TEXT NOT NULL,
	CHECK (state <> 'terminated' OR end_reason IS NOT NULL),
	CHECK (end_reason IS NULL OR end_reason <> 'non_cooperation' OR art11_consequence IS NOT NULL)
) {{STRICT}};
CREATE INDEX contract_county ON contract (county_terc, state);
CREATE INDEX contract_institution ON contract (institution_id, state);
CREATE INDEX contract_guardian ON contract (guardian_member_id, state);

CREATE TABLE contract_version (
	id {{ID}},
	contract_id {{INT}} NOT NULL REFERENCES contract (id),
	version {{INT}} NOT NULL CHECK (version >= 1),
	state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'approved', 'superseded')),
	valid_from TEXT NOT NULL CHECK (length(valid_from) = 10),
	valid_to TEXT NOT NULL CHECK (length(valid_to) = 10),
	lpiw_id {{INT}} REFERENCES lpiw (id),
	causes TEXT CHECK (causes IS NULL OR length(causes) <= 4000),
	strengths TEXT CHECK (strengths IS NULL OR length(strengths) <= 4000),
	barriers TEXT CHECK (barriers IS NULL OR length(barriers) <= 4000),
	special_notes TEXT CHECK (special_notes IS NULL OR length(special_notes) <= 4000), -- health, addiction, violence
	education TEXT CHECK (education IS NULL OR length(education) <= 500),
	qualifications TEXT CHECK (qualifications IS NULL OR length(qualifications) <= 1000),
	work_experience TEXT CHECK (work_experience IS NULL OR length(work_experience) <= 2000),
	employment_barriers TEXT CHECK (employment_barriers IS NULL OR length(employment_barriers) <= 2000),
	assistance_forms TEXT CHECK (assistance_forms IS NULL OR length(assistance_forms) <= 2000),
	homeless_stage TEXT CHECK (homeless_stage IS NULL OR homeless_stage IN ('street', 'night_shelter',
		'shelter', 'training_flat', 'housing')),
	homeless_target TEXT CHECK (homeless_target IS NULL OR homeless_target IN ('street', 'night_shelter',
		'shelter', 'training_flat', 'housing')),
	return_comment TEXT CHECK (return_comment IS NULL OR length(return_comment) <= 4000),
	decision_id {{INT}} REFERENCES decision (id),
	created_at TEXT NOT NULL,
	created_by {{INT}} REFERENCES app_user (id),
	CHECK (valid_to >= valid_from),
	UNIQUE (contract_id, version)
) {{STRICT}};

CREATE TABLE contract_member (
	version_id {{INT}} NOT NULL REFERENCES contract_version (id),
	person_id {{INT}} NOT NULL REFERENCES person (id),
	PRIMARY KEY (version_id, person_id)
) {{STRICT}};

CREATE TABLE contract_goal (
	version_id {{INT}} NOT NULL REFERENCES contract_version (id),
	number {{INT}} NOT NULL CHECK (number >= 1),
	kind TEXT NOT NULL CHECK (kind IN ('main', 'specific')),
	text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
	evaluation TEXT CHECK (evaluation IS NULL OR evaluation IN ('achieved', 'partly', 'not')),
	evaluation_reason TEXT CHECK (evaluation_reason IS NULL OR length(evaluation_reason) <= 2000),
	PRIMARY KEY (version_id, number)
) {{STRICT}};

CREATE TABLE contract_action (
	version_id {{INT}} NOT NULL REFERENCES contract_version (id),
	number {{INT}} NOT NULL CHECK (number >= 1),
	module TEXT NOT NULL CHECK (module IN ('pro_employment', 'social_integration', 'family', 'sport_culture')),
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
	member_person_id {{INT}} REFERENCES person (id),  -- whom it is for (NULL: the whole family)
	performer TEXT NOT NULL CHECK (performer IN ('client', 'family_member', 'worker', 'institution')),
	institution_id {{INT}} REFERENCES institution (id),
	lpiw_action_id {{INT}} REFERENCES lpiw_action (id),
	outside_lpiw {{INT}} NOT NULL DEFAULT 0 CHECK (outside_lpiw IN (0, 1)),
	deadline TEXT NOT NULL CHECK (length(deadline) = 10),
	cost {{INT}} NOT NULL DEFAULT 0 CHECK (cost >= 0),
	status TEXT NOT NULL CHECK (status IN ('planned', 'done', 'dropped')),
	drop_reason TEXT CHECK (drop_reason IS NULL OR length(drop_reason) <= 1000),
	evidence TEXT CHECK (evidence IS NULL OR length(evidence) <= 2000),
	CHECK (status <> 'dropped' OR drop_reason IS NOT NULL),
	CHECK (performer <> 'institution' OR institution_id IS NOT NULL),
	PRIMARY KEY (version_id, number)
) {{STRICT}};

CREATE TABLE contract_budget (
	version_id {{INT}} NOT NULL REFERENCES contract_version (id),
	number {{INT}} NOT NULL CHECK (number >= 1),
	line TEXT NOT NULL CHECK (length(line) BETWEEN 1 AND 300),
	source TEXT NOT NULL CHECK (source IN ('ops', 'pup', 'pfron', 'efs', 'gmina', 'powiat', 'other')),
	planned {{INT}} NOT NULL CHECK (planned >= 0),
	spent {{INT}} NOT NULL DEFAULT 0 CHECK (spent >= 0),
	PRIMARY KEY (version_id, number)
) {{STRICT}};

CREATE TABLE contract_event (
	id {{ID}},
	contract_id {{INT}} NOT NULL REFERENCES contract (id),
	version {{INT}} NOT NULL,
	action TEXT NOT NULL CHECK (action IN ('create', 'update', 'submit', 'approve', 'return', 'activate',
		'amend', 'complete', 'terminate')),
	from_state TEXT,
	to_state TEXT NOT NULL,
	comment TEXT CHECK (comment IS NULL OR length(comment) <= 4000),
	decision_id {{INT}} REFERENCES decision (id),
	at TEXT NOT NULL,
	by_user {{INT}} REFERENCES app_user (id)
) {{STRICT}};
CREATE INDEX contract_event_contract ON contract_event (contract_id, id);

-- A task for a worker: what termination for non-cooperation leaves to the
-- social worker (return the family to statutory assistance).
CREATE TABLE contract_task (
	id {{ID}},
	contract_id {{INT}} NOT NULL REFERENCES contract (id),
	user_id {{INT}} NOT NULL REFERENCES app_user (id),
	kind TEXT NOT NULL CHECK (kind IN ('return_to_statutory')),
	created_at TEXT NOT NULL,
	done_at TEXT
) {{STRICT}};
CREATE INDEX contract_task_user ON contract_task (user_id, done_at);
