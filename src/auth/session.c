/*
 * session.c — the session table and the sign-in procedure.
 */
#include "auth/session.h"

#include <pthread.h>
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
	st = db_query_text(db,
		      "SELECT s.csrf_token, s.last_seen_at, s.expires_at, s.created_at, u.id, u.login, "
		      "u.full_name, u.institution_id, i.name, i.kind, u.must_change_password, u.lang, "
		      "u.active * i.active, s.prev_login_at, s.prev_login_ip, s.failures_since, "
		      "(SELECT string_agg(r.role, ',') FROM user_role r WHERE r.user_id = u.id), "
		      "i.street, i.postcode, i.city, i.phone, i.email, t.name, t.kind, p.name, p.kind "
		      "FROM session s JOIN app_user u ON u.id = s.user_id "
		      "JOIN institution i ON i.id = u.institution_id "
		      "LEFT JOIN territory_unit t ON t.code = i.terc "
		      "LEFT JOIN territory_unit p ON p.code = t.parent_code WHERE s.token_hash = ?",
		      "t", out->token_hash);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc == DB_DONE ? 1 : -1;
	}
	live = alive(db_col_text(st, 1), db_col_text(st, 2), lim, now, &seen) && db_col_int(st, 12) == 1;
	if (live) {
		snprintf(out->csrf, sizeof(out->csrf), "%s", db_col_text(st, 0));
		out->created_at = arena_strdup(a, db_col_text(st, 3));
		out->user_id = db_col_int(st, 4);
		out->login = arena_strdup(a, db_col_text(st, 5));
		out->full_name = arena_strdup(a, db_col_text(st, 6));
		out->institution_id = db_col_int(st, 7);
		out->institution_name = arena_strdup(a, db_col_text(st, 8));
		out->institution_kind = arena_strdup(a, db_col_text(st, 9));
		out->must_change_password = (int)db_col_int(st, 10);
		out->lang = arena_strdup(a, db_col_text(st, 11));
		out->prev_login_at = arena_strdup(a, db_col_text(st, 13));
		out->prev_login_ip = arena_strdup(a, db_col_text(st, 14));
		out->failures_since = db_col_int(st, 15);
		out->roles = role_set_parse(db_col_text(st, 16));
		out->institution_street = arena_strdup(a, db_col_text(st, 17));
		out->institution_postcode = arena_strdup(a, db_col_text(st, 18));
		out->institution_city = arena_strdup(a, db_col_text(st, 19));
		out->institution_phone = arena_strdup(a, db_col_text(st, 20));
		out->institution_email = arena_strdup(a, db_col_text(st, 21));
		out->gmina_name = arena_strdup(a, db_col_text(st, 22));
		out->gmina_kind = arena_strdup(a, db_col_text(st, 23));
		out->powiat_name = arena_strdup(a, db_col_text(st, 24));
		out->powiat_kind = arena_strdup(a, db_col_text(st, 25));
	}
	db_reset(st);
	if (!live) {
		session_end(db, out->token_hash);
		return 1;
	}
	if (out->login == NULL || out->full_name == NULL)
		return -1;
	if (now - seen >= touch) {
		char now_iso[CLOCK_ISO_LEN];

		clock_iso(now, now_iso);
		db_run_text(db, "UPDATE session SET last_seen_at = ? WHERE token_hash = ?", "tt", now_iso,
		       out->token_hash);
	}
	return 0;
}

int session_end(struct db *db, const char *token_hash)
{
	return db_run_text(db, "DELETE FROM session WHERE token_hash = ?", "t", token_hash) == DB_OK ? 0 : -1;
}

int64_t session_purge(struct db *db, const struct session_limits *lim, int64_t now)
{
	char now_iso[CLOCK_ISO_LEN], idle_iso[CLOCK_ISO_LEN];
	struct db_stmt *st;
	int64_t n = 0;
	int rc;

	clock_iso(now, now_iso);
	clock_iso(now - lim->idle, idle_iso);
	st = db_query_text(db, "DELETE FROM session WHERE expires_at <= ? OR last_seen_at <= ? RETURNING 1",
		      "tt", now_iso, idle_iso);
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

	if (db_get_int_text(db, &n, "SELECT COUNT(*) FROM session WHERE user_id = ?", "i", user_id) != DB_ROW)
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
	return db_run_text(db,
		      "INSERT INTO session (token_hash, user_id, csrf_token, created_at, last_seen_at, "
		      "expires_at, ip, user_agent, prev_login_at, prev_login_ip, failures_since) "
		      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		      "titttttttti", hash, s->user_id, csrf, now_iso, now_iso, exp_iso, s->ip, ua,
		      prev.at, prev.ip, failures) == DB_OK
		       ? 0
		       : -1;
}

/* throttle_keys() builds the two throttle keys for a sign-in attempt. */
static void throttle_keys(struct arena *a, const char *login, const char *ip, char **klogin,
			  char **kaddr)
{
	*klogin = arena_printf(a, "login:%.64s", login);
	*kaddr = arena_printf(a, "addr:%.64s", ip != NULL ? ip : "");
}

/*
 * Attempts on one account are serialised within the process, so parallel
 * wrong passwords cannot all pass the lock check before any of them has
 * counted: the account lock lands after exactly login_max_failures. The
 * account picks one of SIGN_IN_LOCKS mutexes by its normalised login.
 */
#define SIGN_IN_LOCKS 64
static pthread_mutex_t sign_in_locks[SIGN_IN_LOCKS] = {
#define M PTHREAD_MUTEX_INITIALIZER
	M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
	M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
#undef M
};

/* account_lock() hashes login as sign-in normalises it (trimmed, ASCII lower case). */
static pthread_mutex_t *account_lock(const char *login)
{
	unsigned h = 2166136261u;
	size_t i, n = login != NULL ? strnlen(login, 64) : 0;

	while (n > 0 && (login[n - 1] == ' ' || login[n - 1] == '\t'))
		n--;
	for (i = 0; i < n && (login[i] == ' ' || login[i] == '\t'); i++)
		;
	for (; i < n; i++)
		h = (h ^ (unsigned char)(login[i] >= 'A' && login[i] <= 'Z' ? login[i] + 32 : login[i])) *
		    16777619u;
	return &sign_in_locks[h % SIGN_IN_LOCKS];
}

static enum sign_in_result sign_in(struct db *db, struct arena *a, struct sign_in *s);

enum sign_in_result session_sign_in(struct db *db, struct arena *a, struct sign_in *s)
{
	pthread_mutex_t *m = account_lock(s->login);
	enum sign_in_result r;

	pthread_mutex_lock(m);
	r = sign_in(db, a, s);
	pthread_mutex_unlock(m);
	return r;
}

static enum sign_in_result sign_in(struct db *db, struct arena *a, struct sign_in *s)
{
	struct audit_actor who = { .login = NULL, .ip = s->ip };
	struct user u;
	const char *hash = NULL;
	char *login, *klogin, *kaddr;
	int64_t until = 0, until2 = 0;
	int found, lock_login, lock_addr, ok;
	size_t i;

	login = s->login != NULL ? arena_strndup(a, s->login, strnlen(s->login, 64)) : arena_strdup(a, "");
	if (login == NULL)
		return SIGN_IN_ERROR;
	str_trim(login);
	for (i = 0; login[i] != '\0'; i++)
		if (login[i] >= 'A' && login[i] <= 'Z')
			login[i] = (char)(login[i] - 'A' + 'a');
	if (!utf8_valid(login, strlen(login)))
		login[0] = '\0';
	who.login = login;
	throttle_keys(a, login, s->ip, &klogin, &kaddr);
	if (klogin == NULL || kaddr == NULL)
		return SIGN_IN_ERROR;

	lock_login = throttle_locked(db, klogin, s->now, &until);
	lock_addr = throttle_locked(db, kaddr, s->now, &until2);
	if (lock_login < 0 || lock_addr < 0)
		return SIGN_IN_ERROR;
	if (lock_login || lock_addr) {
		s->retry_at = until > until2 ? until : until2;
		if (audit_write(db, &who, "session.login_throttled", "session", NULL,
				lock_login ? "account locked" : "address locked") != DB_OK)
			return SIGN_IN_ERROR;
		return SIGN_IN_THROTTLED;
	}

	found = login[0] != '\0' ? user_get_by_login(db, a, login, &u, &hash) : 1;
	if (found < 0)
		return SIGN_IN_ERROR;
	if (found == 0) {
		s->user_id = u.id;
		s->institution_id = u.institution_id;
		who.user_id = u.id;
		who.institution_id = u.institution_id;
	}
	ok = password_verify(found == 0 ? hash : NULL, s->password) == 0 && found == 0 && u.active &&
	     u.institution_active;
	/* the outcome's writes (counters or session, and the audit row) commit together */
	if (db_begin(db) != 0)
		return SIGN_IN_ERROR;
	if (!ok) {
		int locked = throttle_fail(db, klogin, s->now, s->throttle);
		int locked2 = throttle_fail(db, kaddr, s->now,
					    s->throttle_addr != NULL ? s->throttle_addr : s->throttle);
		const char *why = found != 0 ? "unknown login"
				  : !u.active ? "inactive account"
				  : !u.institution_active ? "inactive institution"
							 : "wrong password";

		if (locked < 0 || locked2 < 0 ||
		    audit_write(db, &who, "session.login_failed", "session", NULL, why) != DB_OK) {
			db_rollback(db);
			return SIGN_IN_ERROR;
		}
		if (db_commit(db) != 0)
			return SIGN_IN_ERROR;
		if (locked > 0 || locked2 > 0)
			log_warn("sign-in locked for login '%s' / address %s", login, s->ip);
		return SIGN_IN_BAD;
	}
	if (create(db, a, s) != 0 || throttle_clear(db, klogin) != 0 || user_touch_login(db, u.id) != 0 ||
	    audit_write(db, &who, "session.login", "session", NULL, NULL) != DB_OK) {
		db_rollback(db);
		return SIGN_IN_ERROR;
	}
	return db_commit(db) == 0 ? SIGN_IN_OK : SIGN_IN_ERROR;
}
