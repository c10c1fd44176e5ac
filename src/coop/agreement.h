/*
 * agreement.h — partnership agreements (porozumienia) between
 * institutions: parties, subject, period, status, the forms of
 * cooperation they cover and the categories of fields that may flow
 * under them; and the question the sharing rule, referrals and the
 * overlap detection ask: is an agreement in force between A and B?
 *
 * Agreements are not personal data (POLICY_NONE: anyone signed in reads
 * them); only coordinators and administrators write them
 * (agreement_may_write()). Expiry is computed from the dates, never
 * stored. Nothing is cached beyond one call: agreement_in_force() reads
 * the database every time, so an agreement's end (terminated, or its
 * valid_to passed) takes effect at the next request on every server.
 */
#ifndef RAZEM_COOP_AGREEMENT_H
#define RAZEM_COOP_AGREEMENT_H

#include <stdint.h>

#include "audit/audit.h"
#include "core/arena.h"
#include "core/verr.h"
#include "db/db.h"
#include "db/list.h"

#define AGREEMENT_MAX_PARTIES 16
#define AGREEMENT_MAX_FORMS 16
#define AGREEMENT_MAX_DATA 8

struct agreement {
	int64_t id;                 /* 0 before creation */
	const char *subject;        /* what it is about */
	const char *signed_on;      /* YYYY-MM-DD; required when status is signed (and terminated) */
	const char *valid_from;     /* YYYY-MM-DD */
	const char *valid_to;       /* YYYY-MM-DD, NULL = indefinite */
	const char *duration;       /* "one_year", "multi_year", "indefinite" (NULL: derived from dates) */
	const char *status;         /* "negotiating", "signed", "terminated" */
	const char *terminated_on;  /* YYYY-MM-DD when terminated */
	const char *attachments;    /* reference numbers of attachments, free text, or NULL */
	int64_t parties[AGREEMENT_MAX_PARTIES]; /* institution ids, 2 or more, distinct */
	int nparties;
	const char *forms[AGREEMENT_MAX_FORMS]; /* cooperation_form codes */
	int nforms;
	const char *data[AGREEMENT_MAX_DATA];   /* agreement_data categories */
	int ndata;
	/* read only (agreement_get) */
	const char *party_names[AGREEMENT_MAX_PARTIES];
	const char *party_kinds[AGREEMENT_MAX_PARTIES];
	const char *created_at, *updated_at;
};

/* Codes (NULL-terminated) and translated labels. */
extern const char *const agreement_statuses[];
extern const char *const agreement_durations[];
extern const char *const agreement_data_categories[];
const char *agreement_status_label(const char *code);
const char *agreement_duration_label(const char *code);
const char *agreement_data_label(const char *code);

/* agreement_may_write() is 1 for roles that may create, change, terminate (coordinator, admin). */
int agreement_may_write(unsigned roles);

/*
 * agreement_validate() checks every field and normalises in place (empty
 * strings to NULL; duration derived from the dates when NULL), with the
 * database for the rules it decides: parties exist, are active and
 * distinct; forms exist and are valid on the agreement's dates. Adds
 * errors (Polish, naming the field) to v; returns their number or -1 on
 * a database error.
 */
int agreement_validate(struct db *db, struct arena *a, struct agreement *ag, struct verrs *v);

/*
 * agreement_create() / agreement_update() validate and save ag with its
 * parties, forms and data categories, in one transaction with the audit
 * row (agreement.create / agreement.update). Return 0 (*id set by
 * create), 1 when refused with errors in v, -1 on error. update: 1 with
 * no error in v when there is no agreement ag->id.
 */
int agreement_create(struct db *db, struct arena *a, const struct audit_actor *who,
		     struct agreement *ag, int64_t *id, struct verrs *v);
int agreement_update(struct db *db, struct arena *a, const struct audit_actor *who,
		     struct agreement *ag, struct verrs *v);

/*
 * agreement_terminate() ends agreement id on date (NULL = today): status
 * terminated, terminated_on set; audited (agreement.terminate). Returns
 * 0, 1 when not found or refused (errors in v), -1 on error.
 */
int agreement_terminate(struct db *db, const struct audit_actor *who, int64_t id, const char *date,
			struct verrs *v);

/* agreement_get() reads one agreement into arena memory; 0, 1 when none, -1 on error. */
int agreement_get(struct db *db, struct arena *a, int64_t id, struct agreement *out);

/*
 * agreement_in_force() answers whether an agreement between inst_a and
 * inst_b (both among its parties) is in force on date (NULL = today,
 * YYYY-MM-DD): status signed, valid_from <= date, valid_to NULL or >=
 * date, and, when form is not NULL, covering that form. Sets
 * *agreement_id (may be NULL) to the one found (the latest valid_from).
 * Reads the database on every call. Returns 1 in force, 0 not, -1 on error.
 */
int agreement_in_force(struct db *db, int64_t inst_a, int64_t inst_b, const char *form,
		       const char *date, int64_t *agreement_id);

/*
 * agreement_partners() writes to out (up to max) the ids of institutions
 * with an agreement in force with inst on date (NULL = today), distinct,
 * ascending. Returns their number (may exceed max: only max written) or -1.
 */
int agreement_partners(struct db *db, int64_t inst, const char *date, int64_t *out, int max);

/* An agreement as a picker offers it. */
struct agreement_option {
	int64_t id;
	const char *subject;
	const char *valid_from, *valid_to; /* valid_to NULL = indefinite */
};

#define AGREEMENT_OPTIONS_MAX 200

/*
 * agreement_options() lists into out (arena memory, up to max) the
 * agreements in force on date (NULL = today) to which inst is a party,
 * the latest first. Returns how many were written, or -1.
 */
int agreement_options(struct db *db, struct arena *a, int64_t inst, const char *date,
		      struct agreement_option *out, int max);

/*
 * agreement_data_in_force() sets *bits to the categories (bit i =
 * agreement_data_categories[i], the order of policy.h enum policy_data)
 * that the agreements between inst_a and inst_b in force on date (NULL =
 * today) let flow, all of them together. 0, or -1 on error.
 */
int agreement_data_in_force(struct db *db, int64_t inst_a, int64_t inst_b, const char *date,
			    unsigned *bits);

/*
 * agreement_data_allows() is 1 when agreement id lets category (an
 * agreement_data code) flow, 0 if not, -1 on error.
 */
int agreement_data_allows(struct db *db, int64_t id, const char *category);

/* A form of cooperation of the dictionary. */
struct coop_form {
	const char *code, *label, *legal_basis, *valid_from, *valid_to;
};

/* coop_forms() reads the dictionary in order (labels in the thread's language); count or -1. */
int coop_forms(struct db *db, struct arena *a, struct coop_form **out);

/* agreement_form_label() is the translated label of a form code (the code when unknown). */
const char *agreement_form_label(const char *code);

/*
 * The list of agreements. Filters: party (institution id), status, form
 * (code), in_force ("1": in force today — bind today's date as the
 * filter's value through agreement_list_today()).
 */
extern const struct list_def agreement_list;
enum agreement_col { AGR_COL_SUBJECT, AGR_COL_PARTIES, AGR_COL_STATUS, AGR_COL_DURATION,
	AGR_COL_SIGNED, AGR_COL_FROM, AGR_COL_TO, AGR_COL_FORMS, AGR_COL_PARTY, AGR_COL_FORM,
	AGR_COL_IN_FORCE, AGR_COL__MAX };

/* agreement_expiring() lists (id, subject, valid_to) agreements in force whose valid_to is within days; count or -1. */
struct agreement_brief {
	int64_t id;
	const char *subject, *valid_to, *parties;
};
int agreement_expiring(struct db *db, struct arena *a, int64_t inst, int days,
		       struct agreement_brief **out);

/* ------------------------------------------------------------------ */
/* The cooperation report (report.c)                                    */
/* ------------------------------------------------------------------ */

/* One group of rows: the social-assistance centres (OPS/MOPS/GOPS) or the PCPRs of a unit. */
struct coop_report_row {
	const char *terc;      /* powiat (4) or voivodeship (2) code */
	const char *name;      /* the unit's name, or the code when unknown */
	const char *group;     /* "ops" or "pcpr" */
	int total;             /* institutions of the group in the unit */
	int signed_n;          /* with a signed agreement in force with a PUP of their powiat */
	int negotiating;       /* not signed, but one in negotiation */
	int none;              /* neither */
	int one_year, multi_year, indefinite; /* signed, by duration (of the longest-running one) */
	int *by_form;          /* [nforms]: signed ones covering each form */
};

struct coop_report {
	const char *date;         /* the day it describes (today) */
	int nforms;
	struct coop_form *forms;  /* the columns of by_form */
	int nrows;
	struct coop_report_row *rows; /* powiats, then voivodeships; ops then pcpr */
};

/*
 * coop_report_build() counts, for every powiat and voivodeship whose TERC
 * code starts with terc ("" or NULL = all), the OPS/MOPS (and separately
 * the PCPR) with a signed agreement in force on date (NULL = today) with
 * a PUP of the same powiat. Returns 0 or -1.
 */
int coop_report_build(struct db *db, struct arena *a, const char *terc, const char *date,
		      struct coop_report *out);

#endif
