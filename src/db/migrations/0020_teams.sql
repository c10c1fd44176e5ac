-- 0020_teams.sql — county teams and the local programme (src/coop/team.c).
--
-- A team belongs to a powiat (TERC, 4 digits): the coordinating team of
-- institutions (pzkw), the mobile interdisciplinary group (mgi) whose
-- members guide families, or an interdisciplinary team. Members are users
-- or institutions, each with a role and a period; people belong to a
-- county through their team membership (the contracts' visibility rule).
-- Meetings keep agenda, attendance and minutes; decisions keep what was
-- decided (kind, the record it concerns), and how (vote counts or
-- consensus). The LPIW is the county's programme of joint actions, drafted
-- and adopted by a PZKW decision; a new version supersedes the adopted one.

CREATE TABLE team (
	id {{ID}},
	kind TEXT NOT NULL CHECK (kind IN ('pzkw', 'mgi', 'interdisciplinary')),
	terc TEXT NOT NULL CHECK (length(terc) = 4),
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
	created_at TEXT NOT NULL,
	created_by {{INT}} REFERENCES app_user (id)
) {{STRICT}};
CREATE INDEX team_terc ON team (terc, kind);

CREATE TABLE team_member (
	id {{ID}},
	team_id {{INT}} NOT NULL REFERENCES team (id),
	user_id {{INT}} REFERENCES app_user (id),
	institution_id {{INT}} REFERENCES institution (id),
	role TEXT NOT NULL CHECK (role IN ('chair', 'member', 'honorary', 'guardian')),
	valid_from TEXT NOT NULL CHECK (length(valid_from) = 10),
	valid_to TEXT CHECK (valid_to IS NULL OR length(valid_to) = 10),
	CHECK ((user_id IS NULL) <> (institution_id IS NULL)),
	CHECK (valid_to IS NULL OR valid_to >= valid_from)
) {{STRICT}};
CREATE INDEX team_member_team ON team_member (team_id);
CREATE INDEX team_member_user ON team_member (user_id);

CREATE TABLE meeting (
	id {{ID}},
	team_id {{INT}} NOT NULL REFERENCES team (id),
	held_on TEXT NOT NULL CHECK (length(held_on) = 10),
	place TEXT CHECK (place IS NULL OR length(place) <= 300),
	agenda TEXT CHECK (agenda IS NULL OR length(agenda) <= 4000),
	minutes TEXT CHECK (minutes IS NULL OR length(minutes) <= 20000),
	created_at TEXT NOT NULL,
	created_by {{INT}} REFERENCES app_user (id)
) {{STRICT}};
CREATE INDEX meeting_team ON meeting (team_id, held_on);

CREATE TABLE meeting_attendance (
	meeting_id {{INT}} NOT NULL REFERENCES meeting (id),
	member_id {{INT}} NOT NULL REFERENCES team_member (id),
	PRIMARY KEY (meeting_id, member_id)
) {{STRICT}};

CREATE TABLE decision (
	id {{ID}},
	team_id {{INT}} NOT NULL REFERENCES team (id),
	meeting_id {{INT}} REFERENCES meeting (id),
	kind TEXT NOT NULL CHECK (kind IN ('adopt_lpiw', 'approve_contract', 'return_contract', 'other')),
	subject_kind TEXT CHECK (subject_kind IS NULL OR subject_kind IN ('lpiw', 'contract')),
	subject_id {{INT}},
	subject_version {{INT}},
	method TEXT NOT NULL CHECK (method IN ('vote', 'consensus')),
	votes_for {{INT}},
	votes_against {{INT}},
	votes_abstain {{INT}},
	text TEXT CHECK (text IS NULL OR length(text) <= 4000),
	decided_on TEXT NOT NULL CHECK (length(decided_on) = 10),
	created_at TEXT NOT NULL,
	created_by {{INT}} REFERENCES app_user (id),
	CHECK ((subject_kind IS NULL) = (subject_id IS NULL)),
	CHECK (method <> 'vote' OR votes_for IS NOT NULL)
) {{STRICT}};
CREATE INDEX decision_team ON decision (team_id, decided_on);
CREATE INDEX decision_subject ON decision (subject_kind, subject_id);

CREATE TABLE lpiw (
	id {{ID}},
	terc TEXT NOT NULL CHECK (length(terc) = 4),
	version {{INT}} NOT NULL CHECK (version >= 1),
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
	state TEXT NOT NULL CHECK (state IN ('draft', 'adopted', 'superseded')),
	valid_from TEXT NOT NULL CHECK (length(valid_from) = 10),
	valid_to TEXT NOT NULL CHECK (length(valid_to) = 10),
	contract_limit {{INT}} NOT NULL CHECK (contract_limit >= 0), -- grosze: the budget of one contract at most
	decision_id {{INT}} REFERENCES decision (id),
	created_at TEXT NOT NULL,
	created_by {{INT}} REFERENCES app_user (id),
	CHECK (valid_to >= valid_from),
	CHECK (state = 'draft' OR decision_id IS NOT NULL),
	UNIQUE (terc, version)
) {{STRICT}};

CREATE TABLE lpiw_action (
	id {{ID}},
	lpiw_id {{INT}} NOT NULL REFERENCES lpiw (id),
	number {{INT}} NOT NULL CHECK (number >= 1),
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
	module TEXT NOT NULL CHECK (module IN ('pro_employment', 'social_integration', 'family', 'sport_culture')),
	responsible_institution_id {{INT}} NOT NULL REFERENCES institution (id),
	target_group TEXT CHECK (target_group IS NULL OR length(target_group) <= 1000),
	infrastructure TEXT CHECK (infrastructure IS NULL OR length(infrastructure) <= 1000),
	rules_of_use TEXT CHECK (rules_of_use IS NULL OR length(rules_of_use) <= 2000),
	funding TEXT CHECK (funding IS NULL OR length(funding) <= 500),
	funding_amount {{INT}} CHECK (funding_amount IS NULL OR funding_amount >= 0),
	period_from TEXT NOT NULL CHECK (length(period_from) = 10),
	period_to TEXT NOT NULL CHECK (length(period_to) = 10),
	CHECK (period_to >= period_from),
	UNIQUE (lpiw_id, number)
) {{STRICT}};

CREATE TABLE lpiw_partner (
	action_id {{INT}} NOT NULL REFERENCES lpiw_action (id),
	institution_id {{INT}} NOT NULL REFERENCES institution (id),
	PRIMARY KEY (action_id, institution_id)
) {{STRICT}};
