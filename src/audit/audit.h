/*
 * audit.h — the append-only audit log: who did what to which record, when
 * and from where.
 *
 * Every state-changing action and every read of personal data writes one
 * row. Rows are never updated or deleted (database triggers refuse it).
 * Actions are dotted codes, "<entity>.<verb>": session.login,
 * session.login_failed, user.create, user.read, institution.update, ...
 */
#ifndef RAZEM_AUDIT_AUDIT_H
#define RAZEM_AUDIT_AUDIT_H

#include <stdint.h>

#include "db/db.h"
#include "db/list.h"

/* Who acts: the signed-in user (user_id 0 for anonymous) and the address. */
struct audit_actor {
	int64_t user_id;        /* 0 when nobody is signed in */
	const char *login;      /* as typed or as stored; may be NULL */
	int64_t institution_id; /* 0 when unknown */
	const char *ip;         /* client address */
};

/*
 * audit_write() appends one row. entity and entity_id name the record
 * ("user", "17"); detail is free text (a query, a changed field list) and
 * may be NULL. Returns DB_OK or an error; the caller decides whether a
 * failed audit write must fail the action (it must for reads of personal
 * data).
 */
int audit_write(struct db *db, const struct audit_actor *who, const char *action, const char *entity,
		const char *entity_id, const char *detail);

/*
 * audit_commit() ends the transaction of a change: when rc is 0 it writes
 * the change's audit row and commits; otherwise, or when that fails, it
 * rolls back (logging the database's reason first). So there is never a
 * change without its row. Returns rc, or -1 if writing or committing failed.
 */
int audit_commit(struct db *db, const struct audit_actor *who, int rc, const char *action,
		 const char *entity, int64_t entity_id, const char *detail);

/* audit_write_id() is audit_write() with a numeric entity id. */
int audit_write_id(struct db *db, const struct audit_actor *who, const char *action,
		   const char *entity, int64_t entity_id, const char *detail);

/* A past sign-in, for "your previous sign-in was…" notices. */
struct audit_signin {
	const char *at; /* UTC timestamp */
	const char *ip; /* address */
};

/*
 * audit_last_signin() finds the user's latest recorded sign-in and counts
 * failed attempts on the account recorded after it (by row order, so a
 * failure in the same second counts) (over all time when there is
 * none). Called at sign-in, before the new sign-in is recorded, it yields
 * the "previous sign-in" shown to the user. Returns 0 (found), 1 (none),
 * -1 on error.
 */
int audit_last_signin(struct db *db, struct arena *a, int64_t user_id, struct audit_signin *out,
		      int64_t *failures_since);

/* audit_action_label() is a translated description of an action code (the code itself if unknown). */
const char *audit_action_label(const char *action);

/* The audit log as a list (for the admin's browser, CSV/XLSX and the API). */
extern const struct list_def audit_list;

/* Column indexes in audit_list. */
enum audit_col { AUDIT_COL_AT, AUDIT_COL_LOGIN, AUDIT_COL_ACTION, AUDIT_COL_ENTITY,
	AUDIT_COL_ENTITY_ID, AUDIT_COL_IP, AUDIT_COL_DETAIL, AUDIT_COL__MAX };

/* audit_actions is the NULL-terminated list of known action codes (for filters). */
extern const char *const audit_actions[];

#endif
