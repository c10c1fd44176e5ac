/*
 * family.h — families (households, art. 6 pkt 14 u.p.s.): the applicant
 * and the members with their relation to the applicant, dated.
 *
 * A person belongs to at most one household at a time (a unique index on
 * the current membership); moving a member closes one membership and
 * opens another, both kept in the history. A family belongs to one
 * institution, like its members. Writes run inside the caller's
 * transaction (ended by audit_commit()); reads go through the access
 * policy (POLICY_FAMILY).
 */
#ifndef RAZEM_REGISTRY_FAMILY_H
#define RAZEM_REGISTRY_FAMILY_H

#include <stdint.h>

#include "core/arena.h"
#include "core/verr.h"
#include "db/db.h"
#include "db/list.h"
#include "policy/policy.h"
#include "registry/person.h"

struct family {
	int64_t id;
	int64_t institution_id;
	int64_t lead_worker_id;
	int64_t applicant_id;    /* person (wnioskodawca) */
	const char *street, *house_no, *flat_no, *postcode, *town, *terc;
	/* read only: */
	const char *created_at, *updated_at;
	const char *applicant_name;
	const char *lead_worker_name;
	int deleted;
};

/* Relations to the applicant (NULL-terminated codes) and their labels. */
extern const char *const family_relations[]; /* applicant, spouse, child, parent, relative, other */
const char *family_relation_label(const char *code);

struct family_member {
	int64_t id;              /* membership row */
	int64_t family_id;
	int64_t person_id;
	const char *relation;
	const char *member_from; /* YYYY-MM-DD */
	const char *member_to;   /* NULL = current */
	/* read only: the person as the reader may see it */
	const char *first_names, *surname, *birth_date, *pesel;
};

/* family_validate() checks the address fields and normalises; returns errors added to v. */
int family_validate(struct family *f, struct arena *a, struct verrs *v);

/*
 * family_create() creates the household of f->applicant_id (a live person
 * of the writer's institution not in another household now) with that
 * person as its "applicant" member from today; sets *id. Returns 0, 1
 * when refused (v names the field: "applicant_id"), -1 on error.
 */
int family_create(struct db *db, struct arena *a, const struct registry_writer *w,
		  struct family *f, int64_t *id, struct verrs *v);

/* family_update() stores f's address, lead worker and applicant with history. 0, 1 (v), PERSON_NOT_FOUND, -1. */
int family_update(struct db *db, struct arena *a, const struct registry_writer *w,
		  const struct family *f, struct verrs *v);

/*
 * family_add_member() makes person_id a member of family_id with relation
 * from date (NULL = today). A person currently in another household is
 * refused (v: "person_id", code "in_household") unless move is 1: then
 * that membership ends the day before and the move is recorded. Returns
 * 0, 1 (v), PERSON_NOT_FOUND (family or person not of the institution), -1.
 */
int family_add_member(struct db *db, struct arena *a, const struct registry_writer *w,
		      int64_t family_id, int64_t person_id, const char *relation, const char *date,
		      int move, struct verrs *v);

/* family_end_member() ends a current membership on date (NULL = today). 0, PERSON_NOT_FOUND, -1. */
int family_end_member(struct db *db, struct arena *a, const struct registry_writer *w,
		      int64_t member_id, const char *date);

/*
 * family_read() reads one family and its members (current first, then
 * past; at most max) under the policy. Returns POLICY_OK /
 * POLICY_NOT_FOUND / POLICY_DENIED or -1; *nmembers set.
 */
int family_read(struct policy_read *r, int64_t id, struct family *out,
		struct family_member *members, int max, int *nmembers);

/*
 * family_get() reads one family (deleted or not) with no policy and no
 * record: for the code's own checks, never for display. 0, 1 when none, -1.
 */
int family_get(struct db *db, struct arena *a, int64_t id, struct family *out);

/* family_of_person() is the id of the person's current household, 0 when none, -1 on error. */
int64_t family_of_person(struct db *db, int64_t person_id);

/*
 * REASON_NOW(sens) is the SQL condition on a family_reason row fr (joined
 * to its dictionary row ar) that list filters share: the reason asked for
 * (one '?'), of sensitivity class sens, in a period that includes today.
 */
#define REASON_NOW(sens)                                                                            \
	"fr.reason_code = ? AND ar.sens = '" sens "' AND fr.period_from <= CAST(CURRENT_DATE AS TEXT) " \
	"AND (fr.period_to IS NULL OR fr.period_to >= CAST(CURRENT_DATE AS TEXT))"

/*
 * The institution's families as a list (work lists): filters lead worker,
 * gmina (TERC prefix), reason (the situation module's family_reason,
 * 0012). Row scope from the policy over alias f.
 */
extern const struct list_def family_list;
enum family_col { FAMILY_COL_APPLICANT, FAMILY_COL_TOWN, FAMILY_COL_TERC, FAMILY_COL_MEMBERS,
	FAMILY_COL_LEAD_WORKER, FAMILY_COL_LEAD_WORKER_ID, FAMILY_COL_REASON, FAMILY_COL_REASON_HEALTH,
	FAMILY_COL_REASON_ADDICTION, FAMILY_COL_REASON_VIOLENCE, FAMILY_COL_UPDATED_AT,
	FAMILY_COL__MAX };

#endif
