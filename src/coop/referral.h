/*
 * referral.h — referrals and information requests between institutions
 * (skierowania, zapytania): B asks A (or A sends B) about a person, by a
 * record or by PESEL to every partner, for a purpose, with a message.
 *
 *   requested → accepted (optionally with the person's consent recorded
 *               at once, which opens the view for the purpose)
 *             → refused (a reason is required: "not our client" too)
 *   accepted  → linked (to what followed: an episode, a contract, a record)
 *
 * A referral is seen only by its two institutions: its message is free
 * text about a person. By PESEL to all partners (the institutions with an
 * agreement in force with the sender) it is one referral per recipient
 * sharing a batch id: every partner sees the request and answers it,
 * whether or not it holds the person, so the sender learns only what each
 * partner chooses to answer. By record, the sender names a record it may
 * name: its own, or the recipient's that an earlier referral between the
 * two already named.
 *
 * Writes must run inside the caller's transaction, ended by
 * audit_commit() / tx_audit() with the action REFERRAL_ACTION_*.
 * Schema: src/db/migrations/0017_referrals.sql.
 */
#ifndef RAZEM_COOP_REFERRAL_H
#define RAZEM_COOP_REFERRAL_H

#include <stdint.h>

#include "core/arena.h"
#include "core/verr.h"
#include "db/db.h"
#include "registry/person.h"

/* Results besides 0, 1 (refused, errors in v) and -1. */
#define REFERRAL_NOT_FOUND 12
/* Partners one PESEL goes to at most (referral_create() writes this many ids at most). */
#define REFERRAL_PARTNERS_MAX 200 /* no such referral, or the actor's institution is not a party */

/* Purposes (the consent purposes, 0016) and states: codes, NULL-terminated. */
extern const char *const referral_purposes[];
extern const char *const referral_states[];
extern const char *const referral_link_kinds[];
const char *referral_purpose_label(const char *code);
const char *referral_state_label(const char *code);
const char *referral_link_kind_label(const char *code);

struct referral {
	int64_t id;
	int64_t batch;               /* sent together (PESEL to all partners), 0 = alone */
	int64_t from_institution_id, to_institution_id;
	int64_t person_id;           /* the record named, 0 = none (by PESEL, not yet accepted) */
	const char *pesel;           /* by PESEL, or NULL */
	const char *purpose;         /* referral_purposes code */
	const char *message;         /* free text, or NULL: only the two institutions read it */
	const char *state;           /* referral_states code */
	const char *refusal_reason;
	const char *linked_kind;     /* referral_link_kinds code, or NULL */
	int64_t linked_id;
	const char *created_at, *decided_at, *linked_at;
	int64_t created_by, decided_by;
	/* read only, for display */
	const char *from_name, *to_name;   /* the institutions */
	const char *created_by_name, *decided_by_name;
	int64_t person_institution_id;     /* owner of person_id, 0 = none */
	const char *person_name;           /* "First Surname" of person_id (see referral_get()) */
	const char *person_pesel;
};

/* A new referral as asked for. */
struct referral_new {
	int64_t person_id;          /* by record; 0 = by PESEL */
	const char *pesel;          /* by PESEL */
	int64_t to_institution_id;  /* 0 with a PESEL = every partner */
	const char *purpose;
	const char *message;        /* may be NULL */
};

/*
 * referral_may_work() is 1 when w may send and answer referrals of its
 * institution: the command line, or a casework role (social worker,
 * family guardian, labour-office adviser).
 */
int referral_may_work(const struct registry_writer *w);

/*
 * referral_create() validates n and creates its referrals, from w's
 * institution: one to n->to_institution_id, or by PESEL without a
 * recipient one per partner (agreement in force with the sender today).
 * Writes up to max ids to ids and their number to *nids; the batch is the
 * first id (max REFERRAL_PARTNERS_MAX holds them all). Returns 0; 1 with errors in v (a bad PESEL, purpose, message,
 * recipient; a record the sender may not name: field "person_id", which
 * does not tell whether it exists; no partner); -1.
 */
int referral_create(struct db *db, struct arena *a, const struct registry_writer *w,
		    struct referral_new *n, int64_t *ids, int max, int *nids, struct verrs *v);

/*
 * referral_get() reads referral id for institution inst (0 = the command
 * line: any). person_name and person_pesel are filled only when inst
 * owns the record or the record's owner sent the referral (it disclosed
 * them by sending): a sender never learns names from the recipient's
 * records. Returns 0, REFERRAL_NOT_FOUND (none, or inst is not a party),
 * -1.
 */
int referral_get(struct db *db, struct arena *a, int64_t inst, int64_t id, struct referral *out);

/*
 * Transitions, by w's institution; each fills v and returns 1 when the
 * transition is not allowed now (code "state": already decided, not yet
 * accepted; "forbidden": only the recipient decides; "required": no
 * reason), REFERRAL_NOT_FOUND when w's institution is not a party, 0, -1.
 */

/* What an acceptance records with it. */
struct referral_accept {
	int64_t person_id;          /* the recipient's record; 0 = the record named, or the one with the PESEL */
	int consent;                /* 1 = the person's consent for the purpose to the sender, recorded now */
	const char *consent_form;   /* "written" (default), "electronic", "oral_recorded" */
	const char *consent_valid_to; /* YYYY-MM-DD or NULL (until withdrawn) */
	int64_t consent_id;         /* out: the consent recorded */
};

int referral_accept(struct db *db, struct arena *a, const struct registry_writer *w, int64_t id,
		    struct referral_accept *acc, struct verrs *v);
int referral_refuse(struct db *db, struct arena *a, const struct registry_writer *w, int64_t id,
		    const char *reason, struct verrs *v);
int referral_link(struct db *db, struct arena *a, const struct registry_writer *w, int64_t id,
		  const char *kind, int64_t linked_id, struct verrs *v);

/* Audit actions of the writes (entity "referral"). */
#define REFERRAL_ACTION_CREATE "referral.create"
#define REFERRAL_ACTION_ACCEPT "referral.accept"
#define REFERRAL_ACTION_REFUSE "referral.refuse"
#define REFERRAL_ACTION_LINK "referral.link"

/* Which side of inst's referrals a list shows. */
enum referral_box { REFERRAL_RECEIVED, REFERRAL_SENT };

/*
 * referral_list() reads up to max referrals of inst's box, newest first;
 * with state non-NULL only those in it. Returns the number read (0..max)
 * or -1. Rows carry the institutions' names and the PESEL, not the
 * person's name (a list is not a read of records).
 */
int referral_list(struct db *db, struct arena *a, int64_t inst, enum referral_box box,
		  const char *state, struct referral **out, int max);

/* referral_count() counts inst's referrals of box in state (NULL = any); -1 on error. */
int64_t referral_count(struct db *db, int64_t inst, enum referral_box box, const char *state);

#endif
