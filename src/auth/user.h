/*
 * user.h — user accounts: who may sign in, in which institution, with
 * which roles. Owns the app_user and user_role tables.
 *
 * Logins are stored in lower case; letters, digits and . _ - only.
 */
#ifndef RAZEM_AUTH_USER_H
#define RAZEM_AUTH_USER_H

#include <stdint.h>

#include "core/arena.h"
#include "core/verr.h"
#include "db/db.h"
#include "db/list.h"
#include "policy/policy.h"

struct user {
	int64_t id;                   /* 0 before creation */
	const char *login;            /* unique, lower case */
	const char *full_name;        /* shown in the header and in the audit log */
	const char *email;            /* optional */
	int64_t institution_id;       /* the user's institution */
	const char *institution_name; /* read only (joined) */
	const char *institution_kind; /* read only (joined) */
	int institution_active;       /* read only (joined): 0 = nobody there may sign in */
	unsigned roles;               /* ROLE_BIT() set, never empty */
	int active;                   /* 0 = may not sign in */
	int must_change_password;     /* 1 = must choose a new password at next sign-in */
	const char *lang;             /* "pl", "en" or NULL (follow the browser) */
	const char *created_at;       /* UTC timestamps */
	const char *last_login_at;
	const char *password_changed_at;
};

/*
 * user_validate() refuses, besides missing or malformed fields, a role
 * set that holds both the social-worker and the labour-office-adviser
 * role: advisers must never see special categories, which social workers
 * do. It checks and normalises (login to lower case, trimmed
 * names) the fields of u, allocating from a. Adds errors to v; returns the
 * number added. The institution's existence is checked by the database.
 */
int user_validate(struct user *u, struct arena *a, struct verrs *v);


/*
 * user_create() inserts a validated user with the given password hash and
 * roles; sets *id. Returns 0, 1 when refused with an error in v (login
 * taken, no such institution), -1 on a database error.
 */
int user_create(struct db *db, struct arena *a, const struct user *u, const char *password_hash,
		int64_t *id, struct verrs *v);

/* user_update() saves name, e-mail, institution and roles of u->id. Results as create. */
int user_update(struct db *db, struct arena *a, const struct user *u, struct verrs *v);

/* Reads. Return 0, 1 when not found, -1 on error. */
int user_get(struct db *db, struct arena *a, int64_t id, struct user *out);
int user_get_by_login(struct db *db, struct arena *a, const char *login, struct user *out,
		      const char **password_hash);

/*
 * user_read() is the read of an account that shows it to someone: it asks
 * the access policy whether r->actor may read account id for r->purpose,
 * reads it, blanks what the column mask forbids (login and name are
 * identity, e-mail contact), and records the read (user.read, the id and
 * login) in r->log when the policy says so. user_get() is for the code's
 * own use (sign-in, checks); what a person is shown comes from here.
 * Returns POLICY_OK, POLICY_NOT_FOUND, POLICY_DENIED (before anything is
 * read; r->decision says why) or -1 on error (or a full read log).
 */
int user_read(struct policy_read *r, int64_t id, struct user *out);

/*
 * user_login_normalise() is the one form of a typed login that sign-in,
 * the throttle keys and every lookup use: spaces at both ends removed,
 * ASCII letters in lower case. Returns it in a; "" when the text cannot be
 * a login (control characters, invalid UTF-8, longer than 64 bytes), so
 * it is refused without reaching a log raw; NULL when out of memory.
 */
const char *user_login_normalise(struct arena *a, const char *login);

/*
 * user_lock_state() tells whether the account's sign-in is locked by too
 * many failures at now: 1 locked (until: its end), 0 not, -1 on error;
 * *failures counts the failures in the current window.
 */
int user_lock_state(struct db *db, const char *login, int64_t now, int64_t *failures, int64_t *until);

/* user_locked_count() counts accounts whose sign-in is locked at now; -1 on error. */
int64_t user_locked_count(struct db *db, int64_t now);

/*
 * user_unlock() lifts the sign-in lock of the account and forgets its
 * failures, with its audit row (user.unlock) in the same transaction.
 * Returns 0, 1 when there is no such user, -1 on error. The caller
 * invalidates cached sessions if it keeps any.
 */
struct audit_actor;
int user_unlock(struct db *db, const struct audit_actor *who, int64_t user_id);

/* user_roles() reads the role set of a user (0 on error or none). */
unsigned user_roles(struct db *db, int64_t id);

/*
 * user_set_active() (de)activates an account; deactivation also ends all
 * its sessions. Returns 0, 1 when not found, -1 on error.
 */
int user_set_active(struct db *db, int64_t id, int active);

/*
 * user_set_password() stores a new hash and the must-change flag, lifts a
 * sign-in lock and ends the user's sessions except keep_session (a token
 * hash, may be NULL).
 */
int user_set_password(struct db *db, int64_t id, const char *hash, int must_change,
		      const char *keep_session);

/* user_set_lang() stores the preferred language ("pl", "en" or NULL). */
int user_set_lang(struct db *db, int64_t id, const char *lang);

/* user_touch_login() records a successful sign-in time. */
int user_touch_login(struct db *db, int64_t id);

/* user_count() counts accounts (active only when active_only); -1 on error. */
int64_t user_count(struct db *db, int active_only);

/* A colleague to pick (a lead worker): an active account of an institution. */
struct user_option {
	int64_t id;
	const char *full_name;
	const char *institution_name; /* user_options() only */
	int active;                   /* user_options() only */
};

/*
 * user_colleagues() lists, by name, up to max active accounts of
 * institution_id (the lead-worker picker of the registry's forms; names
 * of one's own colleagues, not an account read). Returns the count or -1.
 */
int user_colleagues(struct db *db, struct arena *a, int64_t institution_id, int max,
		    struct user_option **out);

/* user_options() lists all users by name (at most 2000); returns the count or -1. */
int user_options(struct db *db, struct arena *a, struct user_option **out);

/* The list of users for browsing, exports and the API. */
extern const struct list_def user_list;
enum user_col { USER_COL_LOGIN, USER_COL_NAME, USER_COL_INSTITUTION, USER_COL_INSTITUTION_ID,
	USER_COL_ROLE, USER_COL_EMAIL, USER_COL_ACTIVE, USER_COL_LAST_LOGIN, USER_COL_LOCKED,
	USER_COL__MAX };

#endif
