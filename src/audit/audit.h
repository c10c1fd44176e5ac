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

/* One row for audit_write_rows(). */
struct audit_row {
	const struct audit_actor *who;
	const char *action, *entity, *entity_id, *detail; /* as for audit_write() */
};

/*
 * audit_write_rows() appends n rows, all stamped with the same time, with
 * a few multi-row INSERTs instead of one statement each (the group commit
 * of the read log: one round trip to PostgreSQL per 12 rows). Inside the
 * caller's transaction; DB_OK or an error (then roll back: some may be in).
 */
int audit_write_rows(struct db *db, const struct audit_row *rows, int n);

/* audit_write_id() is audit_write() with a numeric entity id. */
int audit_write_id(struct db *db, const struct audit_actor *who, const char *action,
		   const char *entity, int64_t entity_id, const char *detail);

/* ------------------------------------------------------------------ */
/* The read log: reads of personal data, recorded with what was shown   */
/* ------------------------------------------------------------------ */

#define AUDIT_READS_MAX 8       /* reads one request may record */
#define AUDIT_IDS_MAX_CHARS 4000 /* ids named in one row's detail (about 500) */

/*
 * A read log belongs to one request (or one CLI command): the domain
 * function that reads personal data appends the read — with the ids of
 * the records it returned — and the caller writes the whole log in one
 * transaction before it shows the data (audit_reads_flush()). If the log
 * cannot be written, the data must not be shown. Strings added must live
 * until the flush (the request's arena).
 */
struct audit_reads {
	struct {
		const char *action;    /* "user.list" */
		const char *entity;    /* record type of what was read: "user" */
		const char *entity_id; /* one record's id, or NULL for a list */
		const char *detail;    /* ids shown and the query, or NULL */
	} r[AUDIT_READS_MAX];
	int n; /* reads queued */
};

#define AUDIT_READS_INIT { .n = 0 }

/* audit_reads_add() queues one read. Returns 0, or -1 when the log is full (fail the read). */
int audit_reads_add(struct audit_reads *log, const char *action, const char *entity,
		    const char *entity_id, const char *detail);

/*
 * audit_reads_flush() writes the queued reads as who, in one transaction
 * of their own, and empties the log. Returns 0 (also when empty) or -1:
 * then nothing was written and the caller must not show the data.
 */
int audit_reads_flush(struct db *db, const struct audit_actor *who, struct audit_reads *log);

/*
 * The ids of the rows a list read returned, collected as they are shown:
 * the first AUDIT_IDS_MAX_CHARS characters of them, and the count of all.
 */
struct audit_ids {
	char text[AUDIT_IDS_MAX_CHARS + 1]; /* "4,7,9" */
	size_t len;                         /* characters used */
	int64_t n;                          /* rows shown */
	int64_t dropped;                    /* rows shown but not named (no room) */
};

#define AUDIT_IDS_INIT { .len = 0 }

/* audit_ids_add() notes one row shown (a NULL id counts, unnamed). */
void audit_ids_add(struct audit_ids *x, const char *id);

/*
 * audit_ids_detail() is the detail of a list read, in a's memory:
 * "shown=3 total=12 ids=4,7,9 query=role=admin" ("ids=…,+N" when not all
 * fit; query left out when NULL or empty). NULL when out of memory.
 */
const char *audit_ids_detail(struct arena *a, const struct audit_ids *x, int64_t total,
			     const char *query);

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
