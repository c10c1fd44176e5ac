/*
 * session.c — the session table and the sign-in procedure.
 */
#include "auth/session.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/password.h"
#include "auth/role.h"
#include "auth/user.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"

/* Sessions are marked used at most this often (seconds), or every idle/4 if shorter. */
#define TOUCH_EVERY 60

/* Statements */
/* The columns of SQL_SESSION_BY_TOKEN, in order. */
enum session_col {
	SC_CSRF, SC_LAST_SEEN, SC_EXPIRES, SC_USER, SC_LOGIN, SC_NAME, SC_INSTITUTION,
	SC_INSTITUTION_NAME, SC_MUST_CHANGE, SC_LANG, SC_ACTIVE, SC_ROLES,
};
static const struct db_sql SQL_SESSION_BY_TOKEN =
	DB_SQL("SELECT s.csrf_token, s.last_seen_at, s.expires_at, u.id, u.login, u.full_name, "
	       "u.institution_id, i.name, u.must_change_password, u.lang, u.active * i.active, "
	       "(SELECT string_agg(r.role, ',') FROM user_role r WHERE r.user_id = u.id) "
	       "FROM session s JOIN app_user u ON u.id = s.user_id "
	       "JOIN institution i ON i.id = u.institution_id WHERE s.token_hash = ?");
static const struct db_sql SQL_SESSION_HISTORY =
	DB_SQL("SELECT created_at, prev_login_at, prev_login_ip, failures_since FROM session "
	       "WHERE token_hash = ?");
static const struct db_sql SQL_SESSION_TOUCH =
	DB_SQL("UPDATE session SET last_seen_at = ? WHERE token_hash = ?");
static const struct db_sql SQL_SESSION_DELETE = DB_SQL("DELETE FROM session WHERE token_hash = ?");
static const struct db_sql SQL_SESSION_THROTTLE_PURGE =
	DB_SQL("DELETE FROM auth_throttle WHERE locked_until <= ?");
static const struct db_sql SQL_SESSION_PURGE =
	DB_SQL("DELETE FROM session WHERE expires_at <= ? OR last_seen_at <= ? RETURNING 1");
static const struct db_sql SQL_SESSION_COUNT_USER = DB_SQL("SELECT COUNT(*) FROM session WHERE user_id = ?");
static const struct db_sql SQL_SESSION_INSERT =
	DB_SQL("INSERT INTO session (token_hash, user_id, csrf_token, created_at, last_seen_at, "
	       "expires_at, ip, user_agent, prev_login_at, prev_login_ip, failures_since) "
	       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

void session_hash_token(const char *token, char out[SESSION_HASH_LEN])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	hex_encode(out, h, sizeof(h));
}

static void random_token(char out[SESSION_TOKEN_LEN])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	b64url(out, SESSION_TOKEN_LEN, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
}

/* alive() decides from the stored times whether a session is still valid at now. */
static int alive(const char *last_seen, const char *expires, const struct session_limits *lim,
		 int64_t now, int64_t *seen)
{
	int64_t exp;

	if (clock_parse_iso(last_seen, seen) != 0 || clock_parse_iso(expires, &exp) != 0)
		return 0;
	return now < exp && now - *seen < lim->idle;
}

int session_lookup(struct db *db, struct arena *a, const char *token,
		   const struct session_limits *lim, int64_t now, struct session *out)
{
	struct db_stmt *st;
	int64_t seen = 0, touch = lim->idle / 4 < TOUCH_EVERY ? lim->idle / 4 : TOUCH_EVERY;
	int rc, live;

	if (token == NULL || strlen(token) != SESSION_TOKEN_LEN - 1)
		return 1;
	memset(out, 0, sizeof(*out));
	session_hash_token(token, out->token_hash);
	st = db_query(db, &SQL_SESSION_BY_TOKEN, "t", out->token_hash);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc == DB_DONE ? 1 : -1;
	}
	live = alive(db_col_text(st, SC_LAST_SEEN), db_col_text(st, SC_EXPIRES), lim, now, &seen) &&
	       db_col_int(st, SC_ACTIVE) == 1;
	if (live) {
		snprintf(out->csrf, sizeof(out->csrf), "%s", db_col_text(st, SC_CSRF));
		out->user_id = db_col_int(st, SC_USER);
		out->login = arena_strdup(a, db_col_text(st, SC_LOGIN));
		out->full_name = arena_strdup(a, db_col_text(st, SC_NAME));
		out->institution_id = db_col_int(st, SC_INSTITUTION);
		out->institution_name = arena_strdup(a, db_col_text(st, SC_INSTITUTION_NAME));
		out->must_change_password = (int)db_col_int(st, SC_MUST_CHANGE);
		out->lang = arena_strdup(a, db_col_text(st, SC_LANG));
		out->roles = role_set_parse(db_col_text(st, SC_ROLES));
	}
	db_reset(st);
	if (!live) {
		out->dead = 1;
		return 1;
	}
	if (out->login == NULL || out->full_name == NULL || out->institution_name == NULL)
		return -1;
	out->touch = now - seen >= touch;
	return 0;
}

int session_history(struct db *db, struct arena *a, const char *token_hash,
		    struct session_history *out)
{
	struct db_stmt *st = db_query(db, &SQL_SESSION_HISTORY, "t", token_hash);
	int rc;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->created_at = arena_strdup(a, db_col_text(st, 0));
		out->prev_login_at = db_col_is_null(st, 1) ? NULL : arena_strdup(a, db_col_text(st, 1));
		out->prev_login_ip = db_col_is_null(st, 2) ? NULL : arena_strdup(a, db_col_text(st, 2));
		out->failures_since = db_col_int(st, 3);
	}
	db_reset(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int session_touch(struct db *db, const char *token_hash, int64_t now)
{
	char now_iso[CLOCK_ISO_LEN];

	clock_iso(now, now_iso);
	return db_run(db, &SQL_SESSION_TOUCH, "tt", now_iso, token_hash) == DB_OK
		       ? 0
		       : -1;
}

int session_end(struct db *db, const char *token_hash)
{
	return db_run(db, &SQL_SESSION_DELETE, "t", token_hash) == DB_OK ? 0 : -1;
}

int64_t session_purge(struct db *db, const struct session_limits *lim, int64_t now)
{
	char now_iso[CLOCK_ISO_LEN], idle_iso[CLOCK_ISO_LEN];
	struct db_stmt *st;
	int64_t n = 0;
	int rc;

	clock_iso(now, now_iso);
	clock_iso(now - lim->idle, idle_iso);
	/* sign-in locks that have ended: the user list's "locked" filter then sees only live ones */
	if (db_run(db, &SQL_SESSION_THROTTLE_PURGE, "t", now_iso) != DB_OK)
		return -1;
	st = db_query(db, &SQL_SESSION_PURGE, "tt", now_iso, idle_iso);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		n++;
	db_reset(st);
	return rc == DB_DONE ? n : -1;
}

int64_t session_count_user(struct db *db, int64_t user_id)
{
	int64_t n = -1;

	if (db_get_int(db, &n, &SQL_SESSION_COUNT_USER, "i", user_id) != DB_ROW)
		return -1;
	return n;
}

/*
 * create() stores a new session for the user at now and writes its token.
 * It runs before the new sign-in is written to the audit log, so the
 * latest sign-in found there is the previous one.
 */
static int create(struct db *db, struct arena *a, struct sign_in *s)
{
	char hash[SESSION_HASH_LEN], csrf[SESSION_TOKEN_LEN];
	char now_iso[CLOCK_ISO_LEN], exp_iso[CLOCK_ISO_LEN];
	char ua[256];
	struct audit_signin prev;
	int64_t failures = 0;

	if (audit_last_signin(db, a, s->user_id, &prev, &failures) < 0)
		return -1;

	random_token(s->token);
	random_token(csrf);
	session_hash_token(s->token, hash);
	clock_iso(s->now, now_iso);
	clock_iso(s->now + s->limits->max, exp_iso);
	snprintf(ua, sizeof(ua), "%s", s->user_agent != NULL ? s->user_agent : "");
	if (!utf8_valid(ua, strlen(ua)))
		ua[0] = '\0';
	return db_run(db, &SQL_SESSION_INSERT, "titttttttti", hash, s->user_id, csrf, now_iso, now_iso,
		      exp_iso, s->ip, ua, prev.at, prev.ip, failures) == DB_OK
		       ? 0
		       : -1;
}

/* throttle_keys() builds the two throttle keys for an attempt from the normalised login. */
static int throttle_keys(struct arena *a, struct sign_in *s)
{
	s->key_login = arena_printf(a, THROTTLE_LOGIN "%s", s->norm_login);
	s->key_addr = arena_printf(a, THROTTLE_ADDR "%.*s", THROTTLE_ADDR_MAX, s->ip != NULL ? s->ip : "");
	return s->key_login != NULL && s->key_addr != NULL ? 0 : -1;
}

static const struct throttle_rule *addr_rule(const struct sign_in *s)
{
	return s->throttle_addr != NULL ? s->throttle_addr : s->throttle;
}

/* audit_one() writes one audit row on its own (autocommit); 0 or -1. */
static int audit_one(struct db *db, const struct audit_actor *who, const char *action,
		     const char *entity_id, const char *detail)
{
	return audit_write(db, who, action, entity_id != NULL ? "user" : "session", entity_id, detail) ==
			       DB_OK
		       ? 0
		       : -1;
}

/*
 * reserve() reserves the attempt on the address, then on the account (the
 * address first: a locked address must not use up the account's count).
 * SIGN_IN_VERIFY to go on, SIGN_IN_THROTTLED (retry_at set, *which says
 * what is locked), SIGN_IN_BUSY (only attempts in flight fill a limit) or
 * SIGN_IN_ERROR.
 */
static enum sign_in_result reserve_both(struct db *db, struct sign_in *s, const char **which);

/* reserve() commits both counts in one short transaction (one write lock on SQLite, not two). */
static enum sign_in_result reserve(struct db *db, struct sign_in *s, const char **which)
{
	enum sign_in_result r;

	if (db_begin(db) != 0)
		return SIGN_IN_ERROR;
	r = reserve_both(db, s, which);
	if (r == SIGN_IN_ERROR) {
		db_rollback(db);
		return r;
	}
	return db_commit(db) == 0 ? r : SIGN_IN_ERROR;
}

static enum sign_in_result reserve_both(struct db *db, struct sign_in *s, const char **which)
{
	int64_t n = 0, until = 0;
	int rc = throttle_reserve(db, s->key_addr, s->now, addr_rule(s), &n, &until);

	if (rc < 0)
		return SIGN_IN_ERROR;
	if (rc == 2)
		return SIGN_IN_BUSY;
	if (rc > 0) {
		s->retry_at = until;
		*which = "address locked";
		return SIGN_IN_THROTTLED;
	}
	rc = throttle_reserve(db, s->key_login, s->now, s->throttle, &n, &until);
	if (rc < 0)
		return SIGN_IN_ERROR;
	if (rc > 0) {
		/* this attempt is not made: give the address its reservation back */
		if (throttle_release(db, s->key_addr) != 0)
			return SIGN_IN_ERROR;
		if (rc == 2)
			return SIGN_IN_BUSY;
		s->retry_at = until;
		*which = "account locked";
		return SIGN_IN_THROTTLED;
	}
	return SIGN_IN_VERIFY;
}

enum sign_in_result session_sign_in_begin(struct db *db, struct arena *a, struct sign_in *s)
{
	struct audit_actor who = { .login = NULL, .ip = s->ip };
	const char *which = NULL;
	enum sign_in_result r;
	struct user u;
	int64_t n = 0;
	int malformed;

	s->norm_login = user_login_normalise(a, s->login);
	if (s->norm_login == NULL)
		return SIGN_IN_ERROR;
	/* a login with control characters is refused as it is: no lookup, never logged raw */
	malformed = s->login != NULL && s->login[0] != '\0' && s->norm_login[0] == '\0';
	who.login = malformed ? NULL : s->norm_login;
	if (throttle_keys(a, s) != 0)
		return SIGN_IN_ERROR;
	r = reserve(db, s, &which);
	if (r == SIGN_IN_THROTTLED)
		return audit_one(db, &who, "session.login_throttled", NULL, which) == 0 ? r
											   : SIGN_IN_ERROR;
	if (r != SIGN_IN_VERIFY)
		return r; /* busy or an error: nothing to audit */
	if (malformed) {
		/* no account was tried; the address made a failure */
		if (db_begin(db) != 0)
			return SIGN_IN_ERROR;
		if (throttle_release(db, s->key_login) != 0 ||
		    throttle_fail(db, s->key_addr, s->now, addr_rule(s), &n) != 0 ||
		    audit_write(db, &who, "session.login_failed", "session", NULL, "malformed login") !=
			    DB_OK) {
			db_rollback(db);
			return SIGN_IN_ERROR;
		}
		return db_commit(db) == 0 ? SIGN_IN_BAD : SIGN_IN_ERROR;
	}
	s->found = s->norm_login[0] != '\0' ? user_get_by_login(db, a, s->norm_login, &u, &s->hash) : 1;
	if (s->found < 0) {
		session_sign_in_cancel(db, s);
		return SIGN_IN_ERROR;
	}
	if (s->found == 0) {
		s->user_id = u.id;
		s->institution_id = u.institution_id;
		s->active = u.active && u.institution_active;
		s->failed_why = !u.active ? "inactive account"
			      : !u.institution_active ? "inactive institution" : "wrong password";
	} else {
		s->hash = NULL;
		s->failed_why = "unknown login";
	}
	return SIGN_IN_VERIFY;
}

void session_sign_in_cancel(struct db *db, struct sign_in *s)
{
	/* best effort: a reservation left behind expires after a minute */
	if (throttle_release(db, s->key_login) != 0 || throttle_release(db, s->key_addr) != 0)
		log_warn("sign-in of '%s': reservation not taken back: %s", s->norm_login,
			 db_errmsg(db));
}

/* failed() records a wrong attempt on the account and the address (in the caller's transaction). */
static int failed(struct db *db, struct sign_in *s)
{
	int64_t n = 0;

	return throttle_fail(db, s->key_login, s->now, s->throttle, &s->failures) == 0 &&
			       throttle_fail(db, s->key_addr, s->now, addr_rule(s), &n) == 0
		       ? 0
		       : -1;
}

/* succeeded() forgets the account's failures and takes back the address's reservation. */
static int succeeded(struct db *db, struct sign_in *s)
{
	return throttle_succeed(db, s->key_login) == 0 && throttle_release(db, s->key_addr) == 0 ? 0
												 : -1;
}

void session_verify(struct sign_in *s)
{
	s->verified = password_verify(s->found == 0 ? s->hash : NULL, s->password) == 0;
}

/*
 * gave_up() ends an attempt whose outcome could not be written: its
 * reservations are taken back, or they would count as pending for a
 * minute and a few database errors would make the account look busy.
 */
static enum sign_in_result gave_up(struct db *db, struct sign_in *s)
{
	session_sign_in_cancel(db, s);
	return SIGN_IN_ERROR;
}

enum sign_in_result session_sign_in_finish(struct db *db, struct arena *a, struct sign_in *s)
{
	struct audit_actor who = { .user_id = s->user_id, .login = s->norm_login,
				   .institution_id = s->institution_id, .ip = s->ip };
	int ok = s->verified && s->found == 0 && s->active;

	/* the outcome's writes (session, counters, audit row) commit together */
	if (db_begin(db) != 0)
		return gave_up(db, s);
	if (!ok) {
		if (failed(db, s) != 0 ||
		    audit_write(db, &who, "session.login_failed", "session", NULL, s->failed_why) != DB_OK) {
			db_rollback(db);
			return gave_up(db, s);
		}
		if (db_commit(db) != 0)
			return gave_up(db, s);
		if (s->failures == s->throttle->max_failures)
			log_warn("sign-in locked for login '%s' / address %s", s->norm_login, s->ip);
		return SIGN_IN_BAD;
	}
	if (create(db, a, s) != 0 || succeeded(db, s) != 0 || user_touch_login(db, s->user_id) != 0 ||
	    audit_write(db, &who, "session.login", "session", NULL, NULL) != DB_OK) {
		db_rollback(db);
		return gave_up(db, s);
	}
	return db_commit(db) == 0 ? SIGN_IN_OK : gave_up(db, s);
}

enum sign_in_result session_sign_in(struct db *db, struct arena *a, struct sign_in *s)
{
	enum sign_in_result r = session_sign_in_begin(db, a, s);

	if (r != SIGN_IN_VERIFY)
		return r;
	session_verify(s);
	return session_sign_in_finish(db, a, s);
}

enum sign_in_result session_check_begin(struct db *db, struct arena *a, struct sign_in *s)
{
	struct audit_actor who = { .user_id = s->user_id, .login = s->login,
				   .institution_id = s->institution_id, .ip = s->ip };
	const char *which = NULL, *id = arena_printf(a, "%lld", (long long)s->user_id);
	enum sign_in_result r;
	struct user u;

	s->norm_login = user_login_normalise(a, s->login);
	if (s->norm_login == NULL || id == NULL || throttle_keys(a, s) != 0)
		return SIGN_IN_ERROR;
	r = reserve(db, s, &which);
	if (r == SIGN_IN_THROTTLED)
		return audit_one(db, &who, "account.password_check_throttled", id, which) == 0
			       ? r
			       : SIGN_IN_ERROR;
	if (r != SIGN_IN_VERIFY)
		return r;
	s->found = user_get_by_login(db, a, s->norm_login, &u, &s->hash);
	if (s->found < 0) {
		session_sign_in_cancel(db, s);
		return SIGN_IN_ERROR;
	}
	s->active = s->found == 0;
	return SIGN_IN_VERIFY;
}

enum sign_in_result session_check_finish(struct db *db, struct arena *a, struct sign_in *s)
{
	struct audit_actor who = { .user_id = s->user_id, .login = s->norm_login,
				   .institution_id = s->institution_id, .ip = s->ip };
	const char *id = arena_printf(a, "%lld", (long long)s->user_id);

	if (id == NULL)
		return gave_up(db, s);
	if (s->verified && s->found == 0)
		return succeeded(db, s) == 0 ? SIGN_IN_OK : gave_up(db, s);
	if (db_begin(db) != 0)
		return gave_up(db, s);
	if (failed(db, s) != 0 ||
	    audit_write(db, &who, "account.password_check_failed", "user", id, "wrong password") != DB_OK) {
		db_rollback(db);
		return gave_up(db, s);
	}
	if (db_commit(db) != 0)
		return gave_up(db, s);
	if (s->failures == s->throttle->max_failures)
		log_warn("password check locked login '%s' / address %s", s->norm_login, s->ip);
	return SIGN_IN_BAD;
}
