/*
 * throttle.c — the auth_throttle table. A fresh window starts when the
 * previous one has passed or a lock has ended; the lock is set by the
 * attempt that reaches the maximum.
 */
#include "auth/throttle.h"

#include "core/clock.h"

/* Statements */
static const struct db_sql SQL_THROTTLE_LOCKED_UNTIL =
	DB_SQL("SELECT locked_until FROM auth_throttle WHERE key = ?");
/*
 * SET sees the old row. A new count starts when the window has passed or
 * an old lock has ended; a live lock makes the WHERE false, so no row
 * comes back and nothing is counted.
 */
#define FRESH "(auth_throttle.window_start < ? OR auth_throttle.locked_until IS NOT NULL)"
#define COUNT "(CASE WHEN " FRESH " THEN 1 ELSE auth_throttle.failures + 1 END)"
static const struct db_sql SQL_THROTTLE_RESERVE =
	DB_SQL("INSERT INTO auth_throttle (key, failures, window_start, locked_until) "
	       "VALUES (?, 1, ?, CASE WHEN 1 >= ? THEN ? END) "
	       "ON CONFLICT (key) DO UPDATE SET "
	       "failures = " COUNT ", "
	       "window_start = CASE WHEN " FRESH " THEN excluded.window_start "
	       "ELSE auth_throttle.window_start END, "
	       "locked_until = CASE WHEN " COUNT " >= ? THEN ? END "
	       "WHERE auth_throttle.locked_until IS NULL OR auth_throttle.locked_until <= ? "
	       "RETURNING failures");
#undef COUNT
#undef FRESH
static const struct db_sql SQL_THROTTLE_RELEASE =
	DB_SQL("UPDATE auth_throttle SET failures = failures - 1, "
	       "locked_until = CASE WHEN failures - 1 < ? THEN NULL ELSE locked_until END "
	       "WHERE key = ? AND failures > 0");
static const struct db_sql SQL_THROTTLE_STATE =
	DB_SQL("SELECT failures, locked_until FROM auth_throttle WHERE key = ?");
static const struct db_sql SQL_THROTTLE_CLEAR = DB_SQL("DELETE FROM auth_throttle WHERE key = ?");
static const struct db_sql SQL_THROTTLE_LOCKED_COUNT =
	DB_SQL("SELECT COUNT(*) FROM auth_throttle WHERE locked_until > ?");

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
	char now_iso[CLOCK_ISO_LEN], window_start[CLOCK_ISO_LEN], lock_iso[CLOCK_ISO_LEN];
	struct db_stmt *st;
	int rc, ret = -1;

	clock_iso(now, now_iso);
	clock_iso(now - rule->window, window_start);
	clock_iso(now + rule->lock, lock_iso);
	st = db_query(db, &SQL_THROTTLE_RESERVE, "ttittttitt", key, now_iso, rule->max_failures, lock_iso,
		      window_start, window_start, window_start, rule->max_failures, lock_iso, now_iso);
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

		/* locked by someone else's attempt: say until when */
		ret = throttle_state(db, key, now, &n, until) == 1 ? 1 : -1;
	}
	return ret;
}

int throttle_release(struct db *db, const char *key, const struct throttle_rule *rule)
{
	return db_run(db, &SQL_THROTTLE_RELEASE, "it", rule->max_failures, key) == DB_OK
		       ? 0
		       : -1;
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

int64_t throttle_locked_count(struct db *db, int64_t now)
{
	char now_iso[CLOCK_ISO_LEN];
	int64_t n = -1;

	clock_iso(now, now_iso);
	if (db_get_int(db, &n, &SQL_THROTTLE_LOCKED_COUNT, "t", now_iso) != DB_ROW)
		return -1;
	return n;
}
