-- 0001_foundation.sql — territory, institutions, users and roles, sessions,
-- sign-in throttling, the append-only audit log, instance metadata.
--
-- Portable SQL for SQLite and PostgreSQL. {{ID}} is an auto-increment
-- primary key, {{INT}} a 64-bit integer, {{STRICT}} marks SQLite STRICT
-- tables; lines between "-- @sqlite" /
-- "-- @postgresql" and "-- @all" apply to one backend only (see db.c).
-- Timestamps are UTC ISO 8601 text; codes are text with CHECK constraints.

-- Instance facts: 'demo' = '1' marks a demonstration database.
CREATE TABLE app_meta (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
) {{STRICT}};

-- Territorial units keyed by their TERYT TERC code (2, 4 or 7 characters).
CREATE TABLE territory_unit (
	code TEXT PRIMARY KEY CHECK (length(code) IN (2, 4, 7)),
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('voivodeship', 'powiat', 'city_powiat',
		'urban', 'rural', 'urban_rural', 'town_part', 'rural_part', 'district', 'delegation')),
	parent_code TEXT REFERENCES territory_unit (code),
	fictional {{INT}} NOT NULL DEFAULT 0 CHECK (fictional IN (0, 1))
) {{STRICT}};
CREATE INDEX territory_unit_parent ON territory_unit (parent_code);

CREATE TABLE institution (
	id {{ID}},
	kind TEXT NOT NULL CHECK (kind IN ('ops', 'mops', 'pcpr', 'pup', 'cis', 'kis', 'social_coop',
		'ngo', 'wtz', 'zaz', 'dps', 'sds', 'shelter', 'court', 'police', 'school', 'other')),
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
	name_fold TEXT NOT NULL,
	regon TEXT CHECK (regon IS NULL OR length(regon) IN (9, 14)),
	nip TEXT CHECK (nip IS NULL OR length(nip) = 10),
	street TEXT,
	postcode TEXT CHECK (postcode IS NULL OR length(postcode) = 6),
	city TEXT,
	city_fold TEXT,         -- city folded (core/str str_fold) for accent-blind search
	terc TEXT CHECK (terc IS NULL OR length(terc) = 7),
	phone TEXT,
	email TEXT,
	website TEXT,
	active {{INT}} NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
) {{STRICT}};
CREATE UNIQUE INDEX institution_regon ON institution (regon) WHERE regon IS NOT NULL;
CREATE INDEX institution_name_fold ON institution (name_fold);
CREATE INDEX institution_terc ON institution (terc);

-- "user" is reserved in PostgreSQL, hence app_user.
CREATE TABLE app_user (
	id {{ID}},
	login TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 2 AND 64),
	full_name TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
	name_fold TEXT NOT NULL,
	email TEXT,
	institution_id {{INT}} NOT NULL REFERENCES institution (id),
	password_hash TEXT NOT NULL,
	must_change_password {{INT}} NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
	active {{INT}} NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	lang TEXT CHECK (lang IS NULL OR lang IN ('pl', 'en')),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	last_login_at TEXT,
	password_changed_at TEXT
) {{STRICT}};
CREATE INDEX app_user_institution ON app_user (institution_id);

CREATE TABLE user_role (
	user_id {{INT}} NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
	role TEXT NOT NULL CHECK (role IN ('admin', 'social_worker', 'labour_adviser', 'guardian',
		'coordinator', 'analyst', 'project_office')),
	PRIMARY KEY (user_id, role)
) {{STRICT}};

-- Sessions are found by the SHA-256 of their token; the token itself is
-- only ever in the user's cookie. The previous sign-in and the failures
-- since are taken from the audit log once, at sign-in, for the start page.
CREATE TABLE session (
	token_hash TEXT PRIMARY KEY,
	user_id {{INT}} NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
	csrf_token TEXT NOT NULL,
	created_at TEXT NOT NULL,
	last_seen_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	ip TEXT,
	user_agent TEXT,
	prev_login_at TEXT,
	prev_login_ip TEXT,
	failures_since {{INT}} NOT NULL DEFAULT 0
) {{STRICT}};
CREATE INDEX session_by_user ON session (user_id);
CREATE INDEX session_by_expiry ON session (expires_at);

-- Failed sign-ins counted per key: 'login:<login>' and 'addr:<address>'.
CREATE TABLE auth_throttle (
	key TEXT PRIMARY KEY,
	failures {{INT}} NOT NULL,
	window_start TEXT NOT NULL,
	locked_until TEXT
) {{STRICT}};

-- Who did what to which record, when and from where. Rows are never
-- changed or removed: triggers below refuse UPDATE and DELETE.
CREATE TABLE audit_log (
	id {{ID}},
	at TEXT NOT NULL,
	user_id {{INT}},
	login TEXT,
	institution_id {{INT}},
	action TEXT NOT NULL,
	entity TEXT,
	entity_id TEXT,
	ip TEXT,
	detail TEXT,
	detail_fold TEXT        -- detail folded for accent-blind search
) {{STRICT}};
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_user ON audit_log (user_id, action, id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

-- @sqlite
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- @postgresql
CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_refuse();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse();
-- @all
