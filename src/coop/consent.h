/*
 * consent.h — a person's consents and statutory bases for sharing the
 * person's record with partner institutions (migration 0016), and the
 * facts the sharing rule (policy/policy.c cross_institution()) needs.
 *
 * A consent belongs to the institution that holds the person's record
 * (A); it names the recipient B, or every partner under one agreement,
 * one purpose (dictionary consent_purpose), a period and its basis: the
 * person's consent in a form, or a statute with its article. Withdrawal
 * is a date; it holds from that day. Nothing here is cached: the rule
 * reads the rows at each request, so a withdrawal holds at the next
 * request on every server.
 */
#ifndef RAZEM_COOP_CONSENT_H
#define RAZEM_COOP_CONSENT_H

#include <stdint.h>

#include "core/arena.h"
#include "core/verr.h"
#include "db/db.h"
#include "policy/policy.h"
#include "registry/person.h"

struct consent {
	int64_t id;
	int64_t person_id;
	int64_t institution_id;           /* owner A (the person's institution; set by consent_create) */
	int64_t recipient_institution_id; /* B, or 0 = all partners under agreement_id */
	int64_t agreement_id;             /* 0 = none */
	const char *purpose;              /* consent_purpose code */
	const char *basis;                /* "consent" or "statute" */
	const char *statute_article;      /* required for "statute" */
	const char *given_form;           /* "written", "electronic", "oral_recorded" (required for "consent") */
	const char *valid_from, *valid_to; /* YYYY-MM-DD; valid_to NULL = until withdrawn */
	const char *withdrawn_on;         /* NULL = not withdrawn */
	const char *note;
	int64_t recorded_by, withdrawn_by;
	const char *created_at;
	/* read back */
	const char *recipient_name;       /* NULL for all partners */
	const char *purpose_label;
	const char *recorded_by_name;
};

/* consent_purpose_label() is the purpose's label in the thread's language (arena), or NULL when unknown. */
const char *consent_purpose_label(struct db *db, struct arena *a, const char *code);

/* consent_validate() checks c's fields (not the database); 0, or 1 with errors in v. */
int consent_validate(const struct consent *c, struct verrs *v);

/*
 * consent_create() records c for its person: the writer must be a worker
 * of the person's institution (registry_may_write()); sets c->id and
 * c->institution_id. 0, 1 refused (v), PERSON_NOT_FOUND, -1. Call inside
 * a transaction (the caller writes the audit row "consent.create").
 */
int consent_create(struct db *db, const struct registry_writer *w, struct consent *c, struct verrs *v);

/*
 * consent_withdraw() records the withdrawal of consent id on date (NULL =
 * today). 0, 1 refused (v: already withdrawn, date before valid_from),
 * PERSON_NOT_FOUND (no such consent of the writer's institution), -1.
 */
int consent_withdraw(struct db *db, const struct registry_writer *w, int64_t id, const char *date,
		     struct verrs *v);

/* consent_get() reads one consent (no policy: for the owner's pages after their check). 0, 1 none, -1. */
int consent_get(struct db *db, struct arena *a, int64_t id, struct consent *out);

/* consent_list() reads the person's consents, newest first (at most max). Count, or -1. */
int consent_list(struct db *db, struct arena *a, int64_t person_id, struct consent *out, int max);

/*
 * consent_covers() is 1 when a consent or statutory basis of person_id,
 * not withdrawn by date and in its period on date (YYYY-MM-DD; NULL =
 * today), covers recipient_inst for purpose: naming it, or all partners
 * under an agreement in force on date that recipient_inst is a party to.
 * 0 when none does, -1 on error.
 */
int consent_covers(struct db *db, int64_t person_id, int64_t recipient_inst, const char *purpose,
		   const char *date);

/*
 * consent_facts() looks up, for a read by institution reader of
 * person_id (owned by owner) for purpose (NULL = labour_market_activation),
 * what the sharing rule needs, into *out (allocated in a; names and the
 * purpose's label included). 0, or -1.
 */
int consent_facts(struct db *db, struct arena *a, int64_t person_id, int64_t owner, int64_t reader,
		  const char *purpose, struct policy_coop **out);

/* An expiring consent, for the owner's start page. */
struct consent_expiring {
	int64_t id, person_id;
	const char *first_names, *surname, *purpose_label, *valid_to;
};

/*
 * consent_expiring() reads the consents of institution whose valid_to is
 * within days from today (not withdrawn), soonest first. Count, or -1.
 */
int consent_expiring(struct db *db, struct arena *a, int64_t institution, int days,
		     struct consent_expiring *out, int max);

#endif
