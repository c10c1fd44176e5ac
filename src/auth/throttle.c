/*
 * throttle.c — the auth_throttle table. A fresh window starts when the
 * previous one has passed or a lock has ended; the lock is set by the
 * failure that reaches the maximum. Attempts in flight count in pending
 * (with pending_at, the time of the last reservation) until their outcome
 * is known.
 */
#include "auth/throttle.h"

#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "core/clock.h"

/* Reservations older than this (seconds) belong to a server that died mid-check. */
#define PENDING_TTL 60

/* Statements */
static const struct db_sql SQL_THROTTLE_LOCKED_UNTIL =
	DB_SQL("SELECT locked_until FROM auth_throttle WHERE key = ?");
/*
 * SET sees the old row. A new count starts when the window has passed or
 * an old lock has ended; stale reservations are dropped. A live lock, or
 * failures and attempts in flight that together reach the maximum, make
 * the WHERE false: no row comes back and nothing is counted.
 */
#define FRESH "(auth_throttle.window_start < ? OR auth_throttle.locked_until IS NOT NULL)"
#define FAILS "(CASE WHEN " FRESH " THEN 0 ELSE auth_throttle.failures END)"
#define STALE "(auth_throttle.pending_at IS NULL OR auth_throttle.pending_at < ?)"
#define PENDING "(CASE WHEN " STALE " THEN 0 ELSE auth_throttle.pending END)"
static const struct db_sql SQL_THROTTLE_RESERVE =
	DB_SQL("INSERT INTO auth_throttle (key, failures, window_start, locked_until, pending, "
	       "pending_at) VALUES (?, 0, ?, NULL, 1, ?) "
	       "ON CONFLICT (key) DO UPDATE SET "
	       "failures = " FAILS ", "
	       "window_start = CASE WHEN " FRESH " THEN excluded.window_start "
	       "ELSE auth_throttle.window_start END, "
	       "locked_until = NULL, "
	       "pending = " PENDING " + 1, "
	       "pending_at = excluded.pending_at "
	       "WHERE (auth_throttle.locked_until IS NULL OR auth_throttle.locked_until <= ?) "
	       "AND " FAILS " + " PENDING " < ? "
	       "RETURNING failures");
#undef PENDING
#undef STALE
#undef FAILS
#undef FRESH
#define TAKE_BACK "pending = CASE WHEN pending > 0 THEN pending - 1 ELSE 0 END"
static const struct db_sql SQL_THROTTLE_FAIL =
	DB_SQL("UPDATE auth_throttle SET " TAKE_BACK ", failures = failures + 1, "
	       "locked_until = CASE WHEN failures + 1 >= ? THEN ? ELSE locked_until END "
	       "WHERE key = ? RETURNING failures");
static const struct db_sql SQL_THROTTLE_RELEASE =
	DB_SQL("UPDATE auth_throttle SET " TAKE_BACK " WHERE key = ?");
static const struct db_sql SQL_THROTTLE_SUCCEED =
	DB_SQL("UPDATE auth_throttle SET " TAKE_BACK ", failures = 0, locked_until = NULL "
	       "WHERE key = ?");
#undef TAKE_BACK
static const struct db_sql SQL_THROTTLE_DROP_EMPTY =
	DB_SQL("DELETE FROM auth_throttle WHERE key = ? AND failures = 0 AND pending = 0");
static const struct db_sql SQL_THROTTLE_STATE =
	DB_SQL("SELECT failures, locked_until FROM auth_throttle WHERE key = ?");
static const struct db_sql SQL_THROTTLE_CLEAR = DB_SQL("DELETE FROM auth_throttle WHERE key = ?");
static const struct db_sql SQL_THROTTLE_LOCKED_COUNT =
	DB_SQL("SELECT COUNT(*) FROM auth_throttle WHERE locked_until > ?");
static const struct db_sql SQL_THROTTLE_ADDR_LOCKED_COUNT =
	DB_SQL("SELECT COUNT(*) FROM auth_throttle WHERE locked_until > ? AND key LIKE '" THROTTLE_ADDR
	       "%'");
static const struct db_sql SQL_THROTTLE_ADDR_LOCKS =
	DB_SQL("SELECT substr(key, " THROTTLE_ADDR_SKIP "), failures, locked_until FROM auth_throttle "
	       "WHERE locked_until > ? AND key LIKE '" THROTTLE_ADDR "%' ORDER BY locked_until, key "
	       "LIMIT ?");
static const struct db_sql SQL_THROTTLE_UNLOCK =
	DB_SQL("DELETE FROM auth_throttle WHERE key = ? AND locked_until > ? RETURNING 1");

int throttle_locked(struct db *db, const char *key, int64_t now, int64_t *until)
{
	struct db_stmt *st = db_query(db, &SQL_THROTTLE_LOCKED_UNTIL, "t", key);
	int rc, ret = 0;
	int64_t t;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW && !db_col_is_null(st, 0) && clock_parse_iso(db_col_text(st, 0), &t) == 0 &&
	    t > now) {
		*until = t;
		ret = 1;
	} else if (rc < 0) {
		ret = -1;
	}
	db_reset(st);
	return ret;
}

int throttle_reserve(struct db *db, const char *key, int64_t now, const struct throttle_rule *rule,
		     int64_t *failures, int64_t *until)
{
	char now_iso[CLOCK_ISO_LEN], window_start[CLOCK_ISO_LEN], stale[CLOCK_ISO_LEN];
	struct db_stmt *st;
	int rc, ret = -1;

	clock_iso(now, now_iso);
	clock_iso(now - rule->window, window_start);
	clock_iso(now - PENDING_TTL, stale);
	st = db_query(db, &SQL_THROTTLE_RESERVE, "ttttttttti", key, now_iso, now_iso, window_start,
		      window_start, stale, now_iso, window_start, stale, rule->max_failures);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		*failures = db_col_int(st, 0);
		ret = 0;
	}
	db_reset(st);
	if (rc == DB_DONE) {
		int64_t n = 0;

		/* locked by real failures, or only full of attempts in flight */
		rc = throttle_state(db, key, now, &n, until);
		ret = rc < 0 ? -1 : rc == 1 ? 1 : 2;
	}
	return ret;
}

/* drop_empty() removes a row that no longer holds anything, so the table stays small. */
static int drop_empty(struct db *db, const char *key)
{
	return db_run(db, &SQL_THROTTLE_DROP_EMPTY, "t", key) == DB_OK ? 0 : -1;
}

int throttle_fail(struct db *db, const char *key, int64_t now, const struct throttle_rule *rule,
		  int64_t *failures)
{
	char lock_iso[CLOCK_ISO_LEN];
	int rc;

	clock_iso(now + rule->lock, lock_iso);
	*failures = 0;
	rc = db_get_int(db, failures, &SQL_THROTTLE_FAIL, "itt", rule->max_failures, lock_iso, key);
	/* DB_DONE: the row was cleared meanwhile (an unlock); nothing to count on */
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

int throttle_release(struct db *db, const char *key)
{
	if (db_run(db, &SQL_THROTTLE_RELEASE, "t", key) != DB_OK)
		return -1;
	return drop_empty(db, key);
}

int throttle_succeed(struct db *db, const char *key)
{
	if (db_run(db, &SQL_THROTTLE_SUCCEED, "t", key) != DB_OK)
		return -1;
	return drop_empty(db, key);
}

int throttle_state(struct db *db, const char *key, int64_t now, int64_t *failures, int64_t *until)
{
	struct db_stmt *st = db_query(db, &SQL_THROTTLE_STATE, "t", key);
	int rc, ret = 0;
	int64_t t;

	*failures = 0;
	*until = 0;
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		*failures = db_col_int(st, 0);
		if (!db_col_is_null(st, 1) && clock_parse_iso(db_col_text(st, 1), &t) == 0 && t > now) {
			*until = t;
			ret = 1;
		}
	} else if (rc < 0) {
		ret = -1;
	}
	db_reset(st);
	return ret;
}

int throttle_clear(struct db *db, const char *key)
{
	return db_run(db, &SQL_THROTTLE_CLEAR, "t", key) == DB_OK ? 0 : -1;
}

static int64_t count_at(struct db *db, const struct db_sql *sql, int64_t now)
{
	char now_iso[CLOCK_ISO_LEN];
	int64_t n = -1;

	clock_iso(now, now_iso);
	if (db_get_int(db, &n, sql, "t", now_iso) != DB_ROW)
		return -1;
	return n;
}

int64_t throttle_locked_count(struct db *db, int64_t now)
{
	return count_at(db, &SQL_THROTTLE_LOCKED_COUNT, now);
}

int64_t throttle_address_locked_count(struct db *db, int64_t now)
{
	return count_at(db, &SQL_THROTTLE_ADDR_LOCKED_COUNT, now);
}

int throttle_address_locks(struct db *db, struct arena *a, int64_t now, int max,
			   struct throttle_lock **out, int *n)
{
	char now_iso[CLOCK_ISO_LEN];
	struct db_stmt *st;
	int rc;

	*n = 0;
	*out = arena_zalloc(a, sizeof(**out) * (size_t)(max > 0 ? max : 1));
	if (*out == NULL)
		return -1;
	clock_iso(now, now_iso);
	st = db_query(db, &SQL_THROTTLE_ADDR_LOCKS, "ti", now_iso, (int64_t)max);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && *n < max) {
		struct throttle_lock *l = &(*out)[*n];

		l->address = arena_strdup(a, db_col_text(st, 0));
		l->failures = db_col_int(st, 1);
		if (l->address == NULL || clock_parse_iso(db_col_text(st, 2), &l->until) != 0) {
			rc = DB_ERROR;
			break;
		}
		(*n)++;
	}
	db_reset(st);
	return rc == DB_DONE || rc == DB_ROW ? 0 : -1;
}

/* deleted() runs a DELETE ... RETURNING on key at now: 1 when a row went, 0 when none, -1. */
static int deleted(struct db *db, const struct db_sql *sql, const char *key, const char *now_iso)
{
	struct db_stmt *st = db_query(db, sql, "tt", key, now_iso);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int throttle_unlock_address(struct db *db, const struct audit_actor *who, const char *address,
			    int64_t now)
{
	char key[THROTTLE_KEY_MAX], now_iso[CLOCK_ISO_LEN];
	int rc;

	if (address == NULL || address[0] == '\0' || strlen(address) > THROTTLE_ADDR_MAX)
		return 1;
	snprintf(key, sizeof(key), THROTTLE_ADDR "%s", address);
	clock_iso(now, now_iso);
	if (db_begin(db) != 0)
		return -1;
	rc = deleted(db, &SQL_THROTTLE_UNLOCK, key, now_iso);
	if (rc <= 0) {
		db_rollback(db);
		return rc == 0 ? 1 : -1;
	}
	if (audit_write(db, who, "throttle.unlock_address", "address", address, NULL) != DB_OK) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db) == 0 ? 0 : -1;
}
