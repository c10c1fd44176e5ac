/*
 * person.h — persons of the registry: the people an institution serves.
 *
 * A person record belongs to one institution (institution_id). The same
 * human held by two institutions is two records, joined by a link (the
 * linkage module), never one shared row; a PESEL is unique within an
 * institution. Every person has a lead worker of the owning institution.
 *
 * Writes go through person_create() / person_update() / person_delete(),
 * which validate, keep the history of every field changed
 * (registry/history.h) and must run inside the caller's transaction (ended
 * by audit_commit(), so the change, its history and its audit row commit
 * together). Reads go through the access policy (policy/policy.h,
 * POLICY_PERSON): person_read() and person_search() decide, mask the
 * columns the reader may not see and record the read in the caller's read
 * log. Nothing else reads the person table for display.
 *
 * Schema: src/db/migrations/0007_registry.sql.
 */
#ifndef RAZEM_REGISTRY_PERSON_H
#define RAZEM_REGISTRY_PERSON_H

#include <stdint.h>

#include "audit/audit.h"
#include "core/arena.h"
#include "core/verr.h"
#include "db/db.h"
#include "db/list.h"
#include "policy/policy.h"

/* Who writes registry records: what they may write, and how rows name them. */
struct registry_writer {
	struct policy_actor policy; /* roles and institution */
	struct audit_actor audit;   /* user id, login, institution, address (history and audit rows) */
};

struct person {
	int64_t id;              /* 0 before creation */
	int64_t institution_id;  /* owning institution */
	int64_t lead_worker_id;  /* app_user of the owning institution, 0 = none yet */
	const char *pesel;       /* 11 digits, or NULL */
	const char *doc_kind;    /* "id_card", "passport", "residence_card", "other", or NULL */
	const char *doc_number;  /* without PESEL: the document's number */
	const char *first_names; /* as written: "Anna Maria" */
	const char *surname;
	const char *birth_surname; /* nazwisko rodowe, or NULL */
	const char *sex;         /* "K" or "M" (derived from PESEL when empty), or NULL */
	const char *birth_date;  /* YYYY-MM-DD (derived from PESEL when empty), or NULL */
	const char *citizenship; /* ISO 3166-1 alpha-2 ("PL"), or NULL */
	const char *street;
	const char *house_no;
	const char *flat_no;
	const char *postcode;    /* NN-NNN */
	const char *town;
	const char *terc;        /* TERC code of the gmina (7 characters), or NULL */
	const char *corr_address; /* correspondence address when different */
	const char *phone;
	const char *email;
	const char *education;   /* code of person_educations, or NULL */
	const char *disability;  /* "none", "light", "moderate", "significant", or NULL */
	const char *disability_from; /* validity of the disability degree (YYYY-MM-DD) */
	const char *disability_to;
	/* read only: */
	const char *created_at, *updated_at;
	int64_t created_by, updated_by;
	const char *lead_worker_name; /* full name of the lead worker, or NULL */
	const char *institution_name;
	int deleted;             /* 1 once soft-deleted */
	int anonymised;          /* 1 once anonymised by retention */
};

/* Codes (NULL-terminated) of the dictionaries above, and their translated labels. */
extern const char *const person_doc_kinds[];
extern const char *const person_educations[];
extern const char *const person_disabilities[];
const char *person_doc_kind_label(const char *code);
const char *person_education_label(const char *code);
const char *person_disability_label(const char *code);

/*
 * person_validate() checks every field as the form and the import do and
 * normalises in place (trimmed, empty strings to NULL, postcode NN-NNN,
 * e-mail lower case), allocating from a: a PESEL must be valid
 * (core/ident.h) and agree with the birth date and sex entered, which are
 * derived from it when empty; without a PESEL a document (kind and number)
 * or at least a birth date is required; names 1–200 characters; dates
 * real and not in the future; disability dates ordered. Adds errors for
 * the fields at fault to v (field names as in struct person); returns
 * the number added. No database access: the import calls it per row.
 */
int person_validate(struct person *p, struct arena *a, struct verrs *v);

/* A record that may be the same person as one about to be created. */
struct person_candidate {
	int64_t id;
	const char *first_names, *surname, *birth_date, *pesel, *town;
	const char *why;        /* "pesel" (same PESEL) or "name_birth" (same folded names and birth date) */
};

/*
 * person_candidates() looks up, within p->institution_id, the persons
 * that a new record p may duplicate: the same PESEL, or the same folded
 * surname and first name and the same birth date. At most max, PESEL
 * matches first. Returns the number found (0..max), or -1 on error.
 * A look-up, not a read of personal data for display: the caller shows
 * candidates only to a user allowed to create persons there, and records
 * the read (person_record_candidates()).
 */
int person_candidates(struct db *db, struct arena *a, const struct person *p,
		      struct person_candidate *out, int max);

/*
 * person_record_candidates() records in r->log the look-up of the n
 * candidates c shown to the reader (one "person.list" read naming their
 * ids, detail "candidates"), after deciding that r->actor may read the
 * persons of their institution (r->kind set to POLICY_PERSON). Returns 0,
 * POLICY_DENIED (recorded as a denial), or -1.
 */
int person_record_candidates(struct policy_read *r, const struct person_candidate *c, int n);

/*
 * registry_may_write() is 0 when w may create and change persons and
 * families of institution_id: the command line, or a user of that
 * institution holding a casework role (social worker, family guardian,
 * labour-office adviser) or the analyst's (who imports the register);
 * else 1 with an error for the whole form ("" field, code
 * "other_institution" or "role"). Administrators manage accounts, not
 * personal data. Called by person_create()/update()/delete() and family.c.
 */
int registry_may_write(const struct registry_writer *w, int64_t institution_id, struct verrs *v);

/*
 * person_create() inserts a validated person (p->institution_id must be
 * the writer's institution unless the writer is the command line) and its
 * "create" history row; sets *id. Returns 0, 1 when refused with an error
 * in v (the PESEL already held by another person of the institution:
 * field "pesel", code "duplicate"), -1 on a database error. Call inside a
 * transaction.
 */
int person_create(struct db *db, struct arena *a, const struct registry_writer *w,
		  struct person *p, int64_t *id, struct verrs *v);

/*
 * person_update() stores the validated fields of p (p->id) and one history
 * row per field whose value changed (old and new). Returns 0 (also when
 * nothing changed), 1 when refused (v: duplicate PESEL), PERSON_NOT_FOUND
 * when no such live person of the writer's institution exists, -1 on
 * error. Call inside a transaction.
 */
#define PERSON_NOT_FOUND 11
int person_update(struct db *db, struct arena *a, const struct registry_writer *w,
		  const struct person *p, struct verrs *v);

/*
 * person_get() reads one person, deleted or not, with every field, no
 * policy and no record: for the code's own checks (updates, imports),
 * never for display. Returns 0, 1 when there is none, -1.
 */
int person_get(struct db *db, struct arena *a, int64_t id, struct person *out);

/* person_mask() blanks the fields of p whose class (identity, contact, social, health) mask forbids. */
void person_mask(struct person *p, unsigned mask);

/* person_delete() soft-deletes (history "delete"). Returns 0, PERSON_NOT_FOUND, -1. */
int person_delete(struct db *db, struct arena *a, const struct registry_writer *w, int64_t id);

/*
 * person_read() reads one person under the policy (r->kind must be
 * POLICY_PERSON): denied → POLICY_DENIED (r->decision says why; the
 * denial is recorded too), missing or concealed → POLICY_NOT_FOUND,
 * else fills out with the columns the decision's mask allows (others
 * NULL) and records the read. Returns POLICY_OK/POLICY_NOT_FOUND/
 * POLICY_DENIED or -1.
 */
int person_read(struct policy_read *r, int64_t id, struct person *out);

/* A search of the persons a reader may see. Every field optional. */
struct person_query {
	const char *q;          /* free text: PESEL (11 digits), a birth date, or name words (prefixes) */
	const char *pesel;      /* exact */
	const char *birth_date; /* exact, YYYY-MM-DD */
	const char *town;       /* prefix of the folded town or street */
	int64_t lead_worker_id; /* 0 = any */
	int64_t offset;
	int limit;              /* 1..100 (default 20) */
};

struct person_hit {
	int64_t id;
	const char *first_names, *surname, *pesel, *birth_date, *town, *street;
	const char *matched;    /* which field matched, e.g. "pesel", "surname", "first_names", "birth_date", "town" */
	int rank;               /* 0 = exact, higher = weaker */
};

struct person_hits {
	struct person_hit *hits;
	int n;
	int64_t total;          /* matches in all (for paging), at most PERSON_SEARCH_COUNT_MAX */
	int capped;             /* 1 = there are at least total matches: ask to narrow the search */
};

/* Matches counted at most (and so paged through): "kowal" in a large register matches thousands. */
#define PERSON_SEARCH_COUNT_MAX 1000

/*
 * person_search() ranks exact matches first (PESEL, full folded surname,
 * then prefixes), pages, and records one read naming the ids shown.
 * "kowal" finds Kowalska and Kowalski; "lukasz" finds Łukasz. Ranks: 0
 * the PESEL or the whole surname, 1 the start of the surname, 2 of the
 * first given name, 3 the birth date, 4 the town, 5 the street (a word
 * is tried as each, in that order; within a rank by that field, then
 * id). Several words: one of them starts the surname and each starts
 * the surname or a given name ("kowalska anna", "anna kowalska"). Only
 * for readers who may see identity (casework): otherwise POLICY_DENIED
 * with code "purpose". Returns POLICY_OK, POLICY_DENIED or -1.
 */
int person_search(struct policy_read *r, const struct person_query *q, struct person_hits *out);

/*
 * The institution's persons as a list (work lists, exports): filters lead
 * worker, gmina (TERC prefix), reason and labour status (the situation
 * module's tables, 0012). Row scope from the policy over alias p; no free
 * text search (a LIKE '%x%' over the register is a scan: use
 * person_search()).
 */
extern const struct list_def person_list;
enum person_col { PERSON_COL_SURNAME, PERSON_COL_FIRST_NAMES, PERSON_COL_PESEL,
	PERSON_COL_BIRTH_DATE, PERSON_COL_TOWN, PERSON_COL_TERC, PERSON_COL_LEAD_WORKER,
	PERSON_COL_LEAD_WORKER_ID, PERSON_COL_REASON, PERSON_COL_STATUS, PERSON_COL_UPDATED_AT,
	PERSON_COL__MAX };

#endif
