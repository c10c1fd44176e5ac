/*
 * dataprot.h — the data-protection duties of the owning institution
 * (RODO): the report for a data-subject request (art. 15: what we hold
 * about the person and who has seen or changed it) and retention (records
 * past their period anonymised).
 *
 * The report reads what it shows through the registry's and the
 * situation's read functions, under the access policy (POLICY_PERSON for
 * casework: only the owning institution), so it holds exactly what the
 * reader may see and every part of it is recorded in the read log, plus
 * one "person.report" read naming the report itself. "Who saw it" comes
 * from the audit log: the reads and changes of the person and of their
 * household, including list and search pages that showed the person.
 *
 * Retention finds persons whose last activity (any change of the person,
 * their household, reasons, labour-market periods, benefits or
 * interviews, and the end of every period) is older than
 * retention_person_years, and interviews older than
 * retention_interview_years. Anonymising blanks identity and contact
 * (names, PESEL, document, address, phone, e-mail, decision numbers,
 * notes, the old and new values in the history), keeps what statistics
 * need (sex, birth year, gmina, education, disability degree, the
 * reasons, periods and amounts), sets anonymised_at and writes an
 * "anonymise" history row and one audit row per record.
 */
#ifndef RAZEM_REGISTRY_DATAPROT_H
#define RAZEM_REGISTRY_DATAPROT_H

#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "policy/policy.h"
#include "registry/family.h"
#include "registry/history.h"
#include "registry/person.h"
#include "registry/situation.h"

/* One read or change of the person's data, from the audit log. */
struct dataprot_access {
	const char *at;          /* UTC timestamp */
	const char *login;       /* who ("(cli:USER)" for the command line) */
	const char *institution; /* their institution's name, or NULL */
	const char *action;      /* "person.read", "person.update", "family.read", ... */
	const char *what;        /* translated label of the action */
	const char *purpose;     /* "casework", ... when recorded, else NULL */
	const char *ip;          /* from where */
};

#define DATAPROT_MAX_ACCESS 500
#define DATAPROT_MAX_HISTORY 500
#define DATAPROT_MAX_MEMBERS 20

struct dataprot_report {
	struct person person;
	int64_t family_id;                 /* current household, 0 = none */
	struct family family;
	struct family_member members[DATAPROT_MAX_MEMBERS];
	int nmembers;
	struct family_reason *reasons;
	int nreasons;
	struct labour_status *statuses;
	int nstatuses;
	int long_term_unemployed;          /* computed from the periods today (0/1) */
	struct benefit *benefits;
	int nbenefits;
	struct interview *interviews;
	int ninterviews;
	struct history_row history[DATAPROT_MAX_HISTORY];
	int nhistory;
	struct dataprot_access *access;    /* newest first */
	int naccess;
	int access_more;                   /* 1 when older entries were left out */
	const char *generated_at;          /* UTC */
};

/*
 * dataprot_report() gathers the report on person id for r->actor
 * (r->purpose must be PURPOSE_CASEWORK: the owning institution's own
 * read). Records every read, then the report itself ("person.report").
 * Returns POLICY_OK, POLICY_NOT_FOUND, POLICY_DENIED (r->decision says
 * why; the denial is recorded), or -1.
 */
int dataprot_report(struct policy_read *r, int64_t id, struct dataprot_report *out);

/* dataprot_owner() is the institution owning person id (0 when there is none), -1 on error. */
int64_t dataprot_owner(struct db *db, int64_t id);

/*
 * dataprot_html() writes the report as an HTML fragment (sections with
 * headings from h2, tables; escaped) for a page or a printable file;
 * dataprot_text() as plain text. In the thread's language.
 */
void dataprot_html(struct buf *b, struct arena *a, const struct dataprot_report *rep);
void dataprot_text(struct buf *b, struct arena *a, const struct dataprot_report *rep);

/* ------------------------------------------------------------------ */
/* Retention                                                           */
/* ------------------------------------------------------------------ */

struct retention_policy {
	int64_t person_years;    /* retention_person_years */
	int64_t interview_years; /* retention_interview_years */
	int64_t institution_id;  /* 0 = every institution */
	int64_t now;             /* Unix time the periods are counted from (0 = now) */
};

/* A record past its period. No names: the list is for whoever runs the job, admins included. */
struct retention_item {
	const char *kind;          /* "person" or "interview" */
	int64_t id;
	int64_t institution_id;
	const char *institution;   /* its name */
	const char *last_activity; /* YYYY-MM-DD or a timestamp */
	const char *due;           /* when its period ended (YYYY-MM-DD) */
};

/*
 * retention_scan() calls fn for each record past its period (persons,
 * then interviews, by institution and id). Returns the number found, fn's
 * non-zero value, or -1.
 */
int64_t retention_scan(struct db *db, struct arena *a, const struct retention_policy *p,
		       int (*fn)(void *ctx, const struct retention_item *it), void *ctx);

/*
 * retention_anonymise() anonymises one record found by retention_scan()
 * as who (history "anonymise" and an audit row "person.anonymise" /
 * "interview.anonymise"), in the caller's transaction. A household whose
 * members are all anonymised loses its address too. Returns 0, 1 when the
 * record is no longer past its period or already anonymised, -1.
 */
int retention_anonymise(struct db *db, struct arena *a, const struct retention_policy *p,
			const struct audit_actor *who, const struct retention_item *it);
/*
 * retention_anonymise_tx() is retention_anonymise() in its own
 * transaction (the CLI and the job commit record by record, so a failure
 * keeps what was done before it); same returns.
 */
int retention_anonymise_tx(struct db *db, struct arena *a, const struct retention_policy *p,
			   const struct audit_actor *who, const struct retention_item *it);

/* The CSV line of an item (header: retention_csv_header), for the downloadable list. */
extern const char retention_csv_header[];
const char *retention_csv_line(struct arena *a, const struct retention_item *it, int applied);

#endif
