/*
 * outcome.h — outcomes of social contracts (migration 0023;
 * docs/CONTRACTS.md "Outcomes"): what a contract achieved, recorded when
 * it ended (point "completion") and six months later ("follow_up"), per
 * kind of a small dated dictionary (outcome_kind: employment taken up,
 * leaving cash benefits, children's school attendance, housing), for the
 * whole family or for one member.
 *
 * Recording is open to the contract's authors (contract_is_author()) and
 * coordinators, on a contract that has ended (completed or terminated);
 * the follow-up only from six months after the end. A correction writes a
 * new row and marks the previous one superseded, so the history (who,
 * when, what) stays; every write has its audit row (contract.outcome).
 * Reading follows the contract (contract_read(): 404 to whoever may not
 * see it).
 */
#ifndef RAZEM_COOP_OUTCOME_H
#define RAZEM_COOP_OUTCOME_H

#include <stdint.h>

#include "coop/contract.h"

extern const char *const outcome_points[]; /* completion, follow_up */
const char *outcome_point_label(const char *code);

/* A row of the outcome_kind dictionary (label in the thread's language). */
struct outcome_kind {
	const char *code, *label, *subject; /* subject: family, person */
	int comparable;                     /* 1: the evaluation compares it with the registry */
	const char *valid_from, *valid_to;
};

/* outcome_kinds() reads the dictionary in its order. Count or -1. */
int outcome_kinds(struct db *db, struct arena *a, struct outcome_kind **out);

/* One recorded outcome. */
struct outcome {
	int64_t id, contract_id;
	const char *point, *kind;
	int64_t person_id;             /* 0 = the whole family */
	int achieved;                  /* 1 yes, 0 no */
	const char *observed_on, *note;
	/* read */
	const char *recorded_at, *recorded_by_name, *person_name, *kind_label, *superseded_at;
	int64_t superseded_by;
};

/*
 * outcome_follow_up_on() writes into out (11 bytes) the day six calendar
 * months after date (the 31st clamped to the month's last day); "" when
 * date is not a real date. Returns out.
 */
const char *outcome_follow_up_on(const char *date, char out[11]);

/*
 * outcome_record() records o for contract id (o->contract_id is set):
 * the kind known and valid on observed_on, its subject (a person kind
 * names a member of the version in force, or the party; school
 * attendance a child; a family kind no person), observed_on a real day
 * not in the future, not before the contract's start, and for the
 * follow-up not before six months after the end (before that day:
 * CONTRACT_STATE "not_due"). A row in force for the same point, kind and
 * person is superseded. 0 (*id), 1 (v), CONTRACT_NOT_FOUND,
 * CONTRACT_FORBIDDEN, CONTRACT_STATE, -1.
 */
int outcome_record(struct db *db, struct arena *a, const struct contract_actor *who, int64_t id,
		   struct outcome *o, int64_t *new_id, struct verrs *v);

/*
 * outcome_list() reads the outcomes of contract id (no access check: the
 * caller has read the contract), in force first by point and kind, then
 * with history = 1 the superseded ones, newest first. Count or -1.
 */
int outcome_list(struct db *db, struct arena *a, int64_t id, int history, struct outcome **out);

/* A contract whose six-month follow-up is due. */
struct outcome_due {
	int64_t contract_id;
	const char *person_name, *due_on;
};

/*
 * outcome_due() lists the ended contracts of user — the ones they guard
 * (MGI guardian) or concluded as the social worker — whose follow-up day
 * has come (today >= end + six months) and that have no follow-up outcome
 * yet, the longest due first. At most max; count or -1.
 */
int outcome_due(struct db *db, struct arena *a, int64_t user_id, struct outcome_due *out, int max);

#endif
