/*
 * session.h — signed-in sessions and the sign-in procedure.
 *
 * A session token is 256 random bits, given to the browser once in an
 * HttpOnly cookie and stored only as its SHA-256, so a copy of the
 * database does not let anyone sign in. Each session carries its own
 * CSRF token. A session ends after session_idle of inactivity or
 * session_max after sign-in, whichever comes first.
 */
#ifndef RAZEM_AUTH_SESSION_H
#define RAZEM_AUTH_SESSION_H

#include <stdint.h>

#include "auth/throttle.h"
#include "core/arena.h"
#include "db/db.h"

#define SESSION_TOKEN_LEN 44 /* base64url of 32 bytes, NUL included */
#define SESSION_HASH_LEN 65  /* hex SHA-256, NUL included */

/*
 * The signed-in user as every request sees it: identity, roles and
 * institution, nothing more (every request copies it out of the session
 * cache). The institution's name is here because every page's header
 * shows it; its address, the previous sign-in and the like are read by
 * the page that shows them (session_history(), institution_get()).
 */
struct session {
	char token_hash[SESSION_HASH_LEN]; /* identifies the session */
	char csrf[SESSION_TOKEN_LEN];      /* CSRF token for forms and API calls */
	int64_t user_id;
	const char *login;
	const char *full_name;
	int64_t institution_id;
	const char *institution_name; /* for the page header */
	unsigned roles;           /* ROLE_BIT() set */
	int must_change_password; /* must set a new password before anything else */
	const char *lang;         /* preferred language or NULL */
	int touch;                /* the last use is old enough to record: call session_touch() */
	int dead;                 /* (lookup returned 1) the row has ended: session_end() it */
};

/* What a session remembers of the sign-ins around it (the start page shows it). */
struct session_history {
	const char *created_at;    /* this sign-in */
	const char *prev_login_at; /* the sign-in before this one, or NULL */
	const char *prev_login_ip; /* its address */
	int64_t failures_since;    /* failed attempts on the account between the two */
};

/* session_history() reads it for the session with this token hash: 0, 1 when gone, -1 on error. */
int session_history(struct db *db, struct arena *a, const char *token_hash,
		    struct session_history *out);

struct session_limits {
	int64_t idle; /* seconds of inactivity that end a session */
	int64_t max;  /* seconds after sign-in that end a session */
};

/* session_hash_token() writes the hex SHA-256 of token into out. */
void session_hash_token(const char *token, char out[SESSION_HASH_LEN]);

/*
 * session_lookup() finds the live session for a cookie token at time now.
 * It only reads, so it can run inside a page's read transaction: when the
 * last use should be recorded (at most once a minute, to spare writes) it
 * sets out->touch, and the caller calls session_touch() after its read
 * transaction; a session that has ended (expired, or its account or
 * institution deactivated) sets out->dead, and the caller deletes it then
 * with session_end(out->token_hash). Returns 0 with out filled (arena
 * memory), 1 when there is no such live session, -1 on error.
 */
int session_lookup(struct db *db, struct arena *a, const char *token,
		   const struct session_limits *lim, int64_t now, struct session *out);

/* session_touch() records now as the last use of the session with this token hash; 0 or -1. */
int session_touch(struct db *db, const char *token_hash, int64_t now);

/* session_end() deletes the session with this token hash. */
int session_end(struct db *db, const char *token_hash);

/* session_purge() deletes sessions past their limits; returns the count or -1. */
int64_t session_purge(struct db *db, const struct session_limits *lim, int64_t now);

/* session_count_user() counts the live sessions of a user. */
int64_t session_count_user(struct db *db, int64_t user_id);

enum sign_in_result {
	SIGN_IN_OK,        /* session created (a password check: the password is right) */
	SIGN_IN_BAD,       /* unknown or malformed login, wrong password or inactive account */
	SIGN_IN_THROTTLED, /* too many failures: try again at retry_at */
	SIGN_IN_BUSY,      /* not locked, but the limit is taken by attempts in flight: retry at once */
	SIGN_IN_ERROR,     /* database or memory failure */
	SIGN_IN_VERIFY,    /* from a _begin(): verify the password (session_verify), then _finish() */
};

struct sign_in {
	const char *login;    /* as typed */
	const char *password; /* as typed */
	const char *ip;       /* client address */
	const char *user_agent;
	const struct throttle_rule *throttle;      /* per account */
	const struct throttle_rule *throttle_addr; /* per address */
	const struct session_limits *limits;
	int64_t now;
	/* results */
	char token[SESSION_TOKEN_LEN]; /* the new session's token (SIGN_IN_OK) */
	int64_t user_id;               /* the user, when known (also for SIGN_IN_BAD with a known login) */
	int64_t institution_id;
	int64_t retry_at;              /* SIGN_IN_THROTTLED: when a new attempt may succeed */
	/* state from _begin() to _finish() */
	const char *norm_login;        /* user_login_normalise() of login */
	const char *key_login, *key_addr; /* throttle keys, reserved by _begin() */
	const char *hash;              /* the stored hash; NULL for an unknown login */
	int found, active;             /* the account exists; it and its institution are active */
	int verified;                  /* session_verify(): the password matched */
	const char *failed_why;        /* the audit detail if it fails */
	int64_t failures;              /* the account's failures after a failed attempt (throttle_fail) */
};

/*
 * The sign-in in three steps, so that the slow password check can run off
 * the event loop. session_sign_in_begin() normalises the login, reserves
 * the attempt on the account and the address (throttle_reserve: counted
 * before the check, so parallel attempts anywhere lock after exactly
 * max_failures) and reads the account; it returns SIGN_IN_VERIFY to go on,
 * or the final result (throttled, malformed login) with its audit row
 * written. session_verify() does the argon2id check (an unknown login
 * costs the same time); it touches no database and may run on any thread.
 * session_sign_in_finish() then creates the session, forgets the
 * account's failures and writes the audit row (session.login,
 * session.login_failed or session.login_throttled). An attempt refused
 * only because others in flight fill a limit is SIGN_IN_BUSY, not audited.
 */
enum sign_in_result session_sign_in_begin(struct db *db, struct arena *a, struct sign_in *s);
void session_verify(struct sign_in *s);
enum sign_in_result session_sign_in_finish(struct db *db, struct arena *a, struct sign_in *s);

/*
 * session_sign_in_cancel() takes back the reservations of an attempt
 * begun (SIGN_IN_VERIFY) whose password will not be checked (the password
 * threads had no room); also after a session_check_begin().
 */
void session_sign_in_cancel(struct db *db, struct sign_in *s);

/* session_sign_in() is the three steps in a row (the CLI and tests). */
enum sign_in_result session_sign_in(struct db *db, struct arena *a, struct sign_in *s);

/*
 * The current-password check before a password change, throttled like a
 * sign-in on the same account and address keys (so it cannot be used to
 * guess past the sign-in lock). s->user_id, ->institution_id, ->login (the
 * session's), ->password, ->ip, the rules and ->now are given.
 * session_check_begin() returns SIGN_IN_VERIFY or SIGN_IN_THROTTLED
 * (audited as account.password_check_throttled); after session_verify(),
 * session_check_finish() returns SIGN_IN_OK (failures forgotten) or
 * SIGN_IN_BAD (audited as account.password_check_failed).
 */
enum sign_in_result session_check_begin(struct db *db, struct arena *a, struct sign_in *s);
enum sign_in_result session_check_finish(struct db *db, struct arena *a, struct sign_in *s);

#endif
