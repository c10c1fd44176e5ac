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

/* The signed-in user as every request sees it. */
struct session {
	char token_hash[SESSION_HASH_LEN]; /* identifies the session */
	char csrf[SESSION_TOKEN_LEN];      /* CSRF token for forms and API calls */
	int64_t user_id;
	const char *login;
	const char *full_name;
	int64_t institution_id;
	const char *institution_name;
	const char *institution_kind;
	/* the institution's address and contact, for the start page */
	const char *institution_street, *institution_postcode, *institution_city;
	const char *institution_phone, *institution_email;
	const char *gmina_name, *gmina_kind;   /* the unit of its TERC code, if known */
	const char *powiat_name, *powiat_kind; /* and the unit above it */
	unsigned roles;           /* ROLE_BIT() set */
	int must_change_password; /* must set a new password before anything else */
	const char *lang;         /* preferred language or NULL */
	const char *created_at;   /* sign-in time */
	const char *prev_login_at;/* the sign-in before this one, or NULL */
	const char *prev_login_ip;/* its address */
	int64_t failures_since;   /* failed attempts on the account between the two */
};

struct session_limits {
	int64_t idle; /* seconds of inactivity that end a session */
	int64_t max;  /* seconds after sign-in that end a session */
};

/* session_hash_token() writes the hex SHA-256 of token into out. */
void session_hash_token(const char *token, char out[SESSION_HASH_LEN]);

/*
 * session_lookup() finds the live session for a cookie token at time now
 * and marks it used (at most once a minute, to spare writes). Returns 0
 * with out filled (arena memory), 1 when there is no such live session
 * (expired ones are deleted), -1 on error.
 */
int session_lookup(struct db *db, struct arena *a, const char *token,
		   const struct session_limits *lim, int64_t now, struct session *out);

/* session_end() deletes the session with this token hash. */
int session_end(struct db *db, const char *token_hash);

/* session_purge() deletes sessions past their limits; returns the count or -1. */
int64_t session_purge(struct db *db, const struct session_limits *lim, int64_t now);

/* session_count_user() counts the live sessions of a user. */
int64_t session_count_user(struct db *db, int64_t user_id);

enum sign_in_result {
	SIGN_IN_OK,        /* session created */
	SIGN_IN_BAD,       /* unknown login, wrong password or inactive account */
	SIGN_IN_THROTTLED, /* too many failures: try again at retry_at */
	SIGN_IN_ERROR,     /* database or memory failure */
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
};

/*
 * session_sign_in() checks the throttles, the login and the password
 * (argon2id; an unknown login costs the same time), counts failures,
 * creates the session and writes the audit row (session.login,
 * session.login_failed or session.login_throttled).
 */
enum sign_in_result session_sign_in(struct db *db, struct arena *a, struct sign_in *s);

#endif
