/*
 * situation.h — the situation of persons and families: reasons for
 * assistance per family and period (art. 7 u.p.s.), labour-market status
 * periods with long-term unemployment computed from them, benefits
 * granted by decision, community interviews (rodzinny wywiad
 * środowiskowy). Schema: src/db/migrations/0012_situation.sql.
 *
 * Writes validate, refuse records of another institution (as not found),
 * keep their history (registry/history.h: entities "reason", "status",
 * "benefit", "interview") and run inside the caller's transaction (ended
 * by audit_commit()/tx_audit()). They return 0, 1 when refused (errors in
 * v, field names as in the structs), SITUATION_NOT_FOUND, or -1.
 *
 * Reads go through the access policy. situation_decide() decides the read
 * of the person or family the rows belong to (POLICY_PERSON /
 * POLICY_FAMILY) into r->decision; the *_list() and *_read() functions
 * then apply that decision — which must be the one for that person or
 * family — and record the read in r->log:
 *   - reasons are SENS_SOCIAL; a reason whose dictionary sens is health,
 *     addiction or violence is left out, not masked, when the decision's
 *     mask lacks SENS_HEALTH / SENS_ADDICTION / SENS_VIOLENCE (a
 *     labour-office adviser does not learn it exists);
 *   - statuses and benefits need SENS_SOCIAL;
 *   - interviews are free text that may hold any special category: only
 *     readers of the owning institution, for casework, with every special
 *     class in their mask see them; for others they do not exist.
 */
#ifndef RAZEM_REGISTRY_SITUATION_H
#define RAZEM_REGISTRY_SITUATION_H

#include <stdint.h>

#include "core/arena.h"
#include "core/verr.h"
#include "db/db.h"
#include "policy/policy.h"
#include "registry/person.h"

#define SITUATION_NOT_FOUND 11 /* same value as PERSON_NOT_FOUND */

/* ------------------------------------------------------------------ */
/* Reasons for assistance                                              */
/* ------------------------------------------------------------------ */

struct family_reason {
	int64_t id;
	int64_t institution_id;  /* the family's (set by reason_create) */
	int64_t family_id;
	const char *reason_code; /* assistance_reason.code */
	const char *period_from; /* YYYY-MM-DD */
	const char *period_to;   /* NULL = open */
	const char *note;
	/* read only: from the dictionary */
	const char *label, *legal_basis, *sens, *created_at;
};

/* A row of the assistance_reason dictionary. */
struct reason_def {
	const char *code, *label, *legal_basis, *sens, *parent_code, *valid_from, *valid_to;
};

/*
 * reason_dictionary() reads the dictionary in its order, labels in the
 * thread's language, leaving out the classes mask does not allow (a form
 * offers only what its user may see). Returns the count, or -1.
 */
int reason_dictionary(struct db *db, struct arena *a, unsigned mask, struct reason_def **out);

/* reason_sens_class() is the SENS_* class of a dictionary sens ("health" → SENS_HEALTH). */
int reason_sens_class(const char *sens);

/*
 * reason_validate() checks the dates (real, ordered) and the code: known,
 * valid on the whole period (the dictionary's validity dates), and one
 * the writer may see (mask). Returns the number of errors added.
 */
int reason_validate(struct db *db, struct arena *a, struct family_reason *r, unsigned mask,
		    struct verrs *v);

/* reason_create(): a live family of the writer's institution; the same reason overlapping refused. */
int reason_create(struct db *db, struct arena *a, const struct registry_writer *w,
		  struct family_reason *r, int64_t *id, struct verrs *v);
/* reason_update() stores code, period and note of r->id (history per field changed). */
int reason_update(struct db *db, struct arena *a, const struct registry_writer *w,
		  struct family_reason *r, struct verrs *v);
/* reason_end() closes an open reason on date (YYYY-MM-DD, not before its start). */
int reason_end(struct db *db, struct arena *a, const struct registry_writer *w, int64_t id,
	       const char *date, struct verrs *v);

/* ------------------------------------------------------------------ */
/* Labour-market status                                                */
/* ------------------------------------------------------------------ */

struct labour_status {
	int64_t id;
	int64_t institution_id;
	int64_t person_id;
	const char *status;       /* labour_statuses */
	const char *from_date;
	const char *to_date;      /* NULL = open */
	const char *dereg_reason; /* labour_dereg_reasons, ended registered_unemployed only */
	const char *profile;      /* "I", "II", "III": registered 2014-05-27..2019-06-14 only */
	const char *source;
};

extern const char *const labour_statuses[];      /* registered_unemployed, job_seeker, employed, inactive */
extern const char *const labour_dereg_reasons[]; /* job_taken, business_started, refused_offer, no_show, own_request, pension, other */
extern const char *const labour_profiles[];      /* I, II, III */
const char *labour_status_label(const char *code);
const char *labour_dereg_label(const char *code);

#define PROFILE_FROM "2014-05-27"
#define PROFILE_TO "2019-06-14"

/* status_validate() checks codes, dates, the deregistration reason and the profile. No database. */
int status_validate(struct labour_status *s, struct arena *a, struct verrs *v);

/* status_create() / status_update(): a period overlapping another of the person is refused (from_date). */
int status_create(struct db *db, struct arena *a, const struct registry_writer *w,
		  struct labour_status *s, int64_t *id, struct verrs *v);
int status_update(struct db *db, struct arena *a, const struct registry_writer *w,
		  struct labour_status *s, struct verrs *v);

/*
 * Long-term unemployment (długotrwale bezrobotny, u.p.z. art. 2 ust. 1
 * pkt 2; DOMAIN.md §4): registered as unemployed in total more than 12
 * months within the last 2 years as of a date. Computed here, never
 * stored:
 *   - the window is the two years ending on as_of: from the day after
 *     the same calendar date two years earlier (29 February → 28
 *     February) to as_of, both inclusive;
 *   - only registered_unemployed periods count, clipped to the window,
 *     an open period up to as_of; periods are given without overlap
 *     (status_create refuses overlaps), overlapping days are counted once
 *     anyway;
 *   - 12 months are 365 days: "more than 12 months" is at least 366 days;
 *   - NOT modelled: the statute excludes periods of traineeship (staż)
 *     and vocational preparation of adults, which razem does not record
 *     as periods, so they are counted as registration — the result may
 *     say "long-term" where the PUP, which knows them, would not.
 * labour_ltu_days() is the number of days counted (-1 when as_of or a
 * period's dates are not real dates); labour_long_term() is 1 or 0 (-1).
 */
#define LTU_MIN_DAYS 366
int labour_ltu_days(const struct labour_status *s, int n, const char *as_of);
int labour_long_term(const struct labour_status *s, int n, const char *as_of);

/* ------------------------------------------------------------------ */
/* Benefits                                                            */
/* ------------------------------------------------------------------ */

struct benefit {
	int64_t id;
	int64_t institution_id;
	int64_t person_id;
	int64_t family_id;        /* 0 = none */
	const char *form_code;    /* benefit_form.code */
	int64_t amount_grosze;    /* -1 = none */
	const char *period_from;
	const char *period_to;
	const char *decision_number;
	const char *decision_date;
	/* read only */
	const char *form_label, *legal_basis;
	int cash;
};

/* A row of the benefit_form dictionary. */
struct form_def {
	const char *code, *label, *legal_basis, *valid_from, *valid_to;
	int cash;
};
int benefit_forms(struct db *db, struct arena *a, struct form_def **out);

/*
 * money_parse() reads an amount in złoty as people write it: "1234",
 * "1 234,56 zł", "1234.5", "1.234,56" (spaces, no-break spaces and dots
 * or apostrophes as thousands separators), into grosze. Returns 0, or a
 * negative MONEY_* code.
 */
enum { MONEY_SYNTAX = -1, MONEY_DECIMALS = -2, MONEY_NEGATIVE = -3, MONEY_TOO_LARGE = -4 };
#define MONEY_MAX_GROSZE 100000000000LL /* 1 000 000 000,00 zł */
int money_parse(const char *text, int64_t *grosze);
/* money_format() writes grosze as "1 234,56 zł" (arena); "" for a negative (none). */
const char *money_format(struct arena *a, int64_t grosze);
/* money_input() writes grosze as "1234,56" for a form field (arena); "" for none. */
const char *money_input(struct arena *a, int64_t grosze);

/*
 * benefit_validate() checks the form (known, valid on period_from), the
 * dates, the decision and the amount: amount_text (NULL = amount_grosze
 * is already set) is parsed with money_parse(); a cash form requires an
 * amount, a form in kind or a service takes none.
 */
int benefit_validate(struct db *db, struct arena *a, struct benefit *b, const char *amount_text,
		     struct verrs *v);
/* benefit_create(): the person (and family, if given) live and of the writer's institution. */
int benefit_create(struct db *db, struct arena *a, const struct registry_writer *w,
		   struct benefit *b, int64_t *id, struct verrs *v);
int benefit_update(struct db *db, struct arena *a, const struct registry_writer *w,
		   struct benefit *b, struct verrs *v);

/* ------------------------------------------------------------------ */
/* Community interviews                                                */
/* ------------------------------------------------------------------ */

struct interview {
	int64_t id;
	int64_t institution_id;
	int64_t family_id;
	int64_t person_id;        /* 0 = none */
	const char *interview_date;
	int64_t worker_id;        /* the worker who made it (0 = the writer) */
	const char *housing, *income, *employment, *health, *family_relations, *care_upbringing,
		*other, *conclusions, *work_plan;
	/* read only */
	const char *worker_name, *created_at, *updated_at;
};

/* The free-text areas, in order: field names of struct interview and their labels (msgids). */
#define INTERVIEW_NAREAS 9
extern const char *const interview_areas[INTERVIEW_NAREAS];
extern const char *const interview_area_labels[INTERVIEW_NAREAS];
const char **interview_area(struct interview *i, int k);

int interview_validate(struct interview *i, struct arena *a, struct verrs *v);
/* interview_create(): worker and person (if given) of the family's institution. */
int interview_create(struct db *db, struct arena *a, const struct registry_writer *w,
		     struct interview *i, int64_t *id, struct verrs *v);
int interview_update(struct db *db, struct arena *a, const struct registry_writer *w,
		     struct interview *i, struct verrs *v);

/* ------------------------------------------------------------------ */
/* Reads                                                               */
/* ------------------------------------------------------------------ */

/*
 * situation_decide() decides r->actor's read of person (kind
 * POLICY_PERSON) or family (POLICY_FAMILY) id for r->purpose into
 * r->decision (r->kind set to kind). Returns POLICY_OK, POLICY_NOT_FOUND
 * (no such live record, or a denial that conceals), POLICY_DENIED, -1.
 */
int situation_decide(struct policy_read *r, enum policy_kind kind, int64_t id);

/*
 * situation_owner() finds which person or family a row belongs to, for a
 * page that starts from the row: table "reason", "status", "benefit",
 * "interview"; sets *parent_id (the family for reasons and interviews,
 * the person for statuses and benefits). 0, SITUATION_NOT_FOUND, -1.
 */
int situation_owner(struct db *db, const char *entity, int64_t id, int64_t *parent_id);

/*
 * The lists apply r->decision (decided for that family or person), newest
 * period first, and record one read naming the rows shown. They return
 * the count shown (0..), -POLICY_DENIED when the decision does not allow
 * them, or -1.
 */
int reason_list(struct policy_read *r, int64_t family_id, struct family_reason **out);
int status_list(struct policy_read *r, int64_t person_id, struct labour_status **out);
int benefit_list(struct policy_read *r, int64_t person_id, struct benefit **out);
int interview_list(struct policy_read *r, int64_t family_id, struct interview **out);

/*
 * One row, under r->decision of its family or person. POLICY_OK,
 * POLICY_NOT_FOUND (also: hidden from this reader), POLICY_DENIED, -1.
 */
int reason_read(struct policy_read *r, int64_t id, struct family_reason *out);
int status_read(struct policy_read *r, int64_t id, struct labour_status *out);
int benefit_read(struct policy_read *r, int64_t id, struct benefit *out);
int interview_read(struct policy_read *r, int64_t id, struct interview *out);

/*
 * situation_attention() says what needs attention in person_id's
 * situation for a work list ("benefit decision ends 31.12.2026",
 * "long-term unemployed"), in the thread's language (arena memory), or
 * NULL: nothing, or mask lacks SENS_SOCIAL. A summary for a list whose
 * read the caller records, not a read of its own.
 */
const char *situation_attention(struct db *db, struct arena *a, int64_t person_id, unsigned mask);

/*
 * situation_history_hidden() is 1 when a history row (record_history) of
 * entity and entity_id, with its old and new values, must be left out —
 * not only blanked — for a reader with mask: a reason of a special
 * category the reader may not see (now or in either value; its very
 * existence would tell), or an interview for a reader who may not see
 * interviews. history_read() and the history pages should call it per row.
 */
int situation_history_hidden(struct db *db, const char *entity, int64_t entity_id,
			     const char *old_value, const char *new_value, unsigned mask);

#endif
