/*
 * policy.h — the one access policy for reading personal data.
 *
 * Every read of a person's data asks the policy first: who reads (the
 * actor: user, roles, institution), what (the subject: its kind, id and
 * owning institution) and why (the purpose). The answer is a decision:
 * allowed or denied with a reason (a code and a translated sentence), the
 * row scope a list may hold (constant SQL with bound values, for
 * db/list.h), the mask of column sensitivity classes the reader may see,
 * and whether the read must be recorded in the audit log.
 *
 * The domain function that reads applies the decision and records the
 * read, with the ids actually returned, in the caller's read log
 * (audit/audit.h struct audit_reads); the caller writes the log before
 * it shows the data. policy_list_fetch() and policy_list_each() do this
 * for lists; single-record readers (user_read()) do it themselves.
 *
 * The rules live in policy.c, one function per subject kind. A module
 * that brings a new kind of personal data adds its kind to enum
 * policy_kind, its rule function and its row in the kinds table there,
 * and classes for its list columns (docs/ARCHITECTURE.md, "Access policy").
 * Nothing here knows HTTP: the web layer fills struct policy_actor from
 * the session.
 */
#ifndef RAZEM_POLICY_POLICY_H
#define RAZEM_POLICY_POLICY_H

#include <stdint.h>

#include "audit/audit.h"
#include "core/arena.h"
#include "db/db.h"
#include "db/list.h"

/* What is read. Lists of a kind use the table alias the kind's rule names in its scope. */
enum policy_kind {
	POLICY_NONE,     /* not personal data: no policy, no audit (institutions, territory) */
	POLICY_ACCOUNT,  /* a user account (app_user, alias u) */
	POLICY_AUDIT,    /* an audit log entry (audit_log, alias a) */
	POLICY_PERSON,   /* a person of the registry (person, alias p) */
	POLICY_FAMILY,   /* a family (household) (family, alias f) */
	POLICY_CONTRACT, /* placeholder: a social contract */
	POLICY_JOB,      /* a background job (job, alias j): its owner's, or an administrator's */
	POLICY_KIND__MAX
};

/* Why it is read. */
enum policy_purpose {
	PURPOSE_CASEWORK,       /* working with the person or family (own institution's cases) */
	PURPOSE_COOPERATION,    /* a partner institution's shared case (agreement + consent) */
	PURPOSE_STATISTICS,     /* counts and reports: never identity or contact */
	PURPOSE_ADMINISTRATION, /* managing accounts and institutions; one's own account */
	PURPOSE_AUDIT,          /* reviewing who did what */
	PURPOSE__MAX
};

/* Who reads. Filled by the caller (web: from the session; CLI: the operator). */
struct policy_actor {
	int64_t user_id;        /* 0 = nobody signed in (always denied, unless cli) */
	unsigned roles;         /* ROLE_BIT() set (auth/role.h) */
	int64_t institution_id; /* the actor's institution */
	int cli;                /* the command line: the machine's administrator, no account */
};

/*
 * The categories of data a partnership agreement lets flow between its
 * parties (agreement_data, migration 0015; coop/agreement.h
 * agreement_data_categories[] in this order). A partner's view shows a
 * section only when its category is among them: identity, contact and
 * social are the column classes of those names (db/list.h); household
 * composition is social; labour_status the labour-market status periods
 * and long-term unemployment; support the episodes. No category carries
 * the special classes (health, addiction, violence): they never flow.
 */
enum policy_data { DATA_IDENTITY, DATA_CONTACT, DATA_SOCIAL, DATA_LABOUR_STATUS, DATA_SUPPORT, DATA__MAX };
#define DATA_BIT(d) (1u << (d))
#define DATA_ALL ((1u << DATA__MAX) - 1)

/*
 * What the sharing rule needs to decide a read of another institution's
 * person or family (docs/COOPERATION.md): the facts, looked up from the
 * database at each request by coop/consent.h consent_facts() (never
 * cached, so an agreement's end or a consent's withdrawal holds at the
 * next request on every server), and a buffer for the reason, which
 * names the institutions and the purpose.
 */
struct policy_coop {
	const char *purpose;       /* consent_purpose code of the view ("labour_market_activation") */
	const char *purpose_label; /* its label in the reader's language */
	const char *owner_name;    /* institution A, which holds the record */
	const char *reader_name;   /* institution B, the reader's */
	int agreement;             /* 1 = an agreement A–B is in force on the day */
	int consent;               /* 1 = a consent or statutory basis covers B for purpose */
	int labour_market;         /* 1 = B is a labour-market institution (kind 'pup') */
	unsigned data;             /* DATA_BIT() set: the categories the agreements A–B in force let flow */
	char reason[600];          /* written by the rule */
};

/* The record (or, with id 0, the list) read. */
struct policy_subject {
	enum policy_kind kind;  /* what */
	int64_t id;             /* the record; 0 = a list of them */
	int64_t institution_id; /* its owning institution; 0 = unknown or none */
	int64_t owner_id;       /* the account it belongs to (a job), 0 = none */
	struct policy_coop *coop; /* another institution's person or family: the sharing facts, or NULL */
};

/* Results of policy-aware reads (0, these, or negative on error). */
enum policy_result {
	POLICY_OK = 0,        /* read (and recorded when it must be) */
	POLICY_NOT_FOUND = 1, /* no such record */
	POLICY_DENIED = 2,    /* the decision says no: show its reason */
};

struct policy_decision {
	int allowed;            /* 1 = may read */
	const char *code;       /* "allowed" or why not: "signed_out", "purpose", "admin_only",
				   "own_account_only", "not_available", "other_institution",
				   "role", "admin_not_casework", "no_agreement", "no_consent",
				   "not_in_agreement" */
	const char *reason;     /* translated sentence explaining the decision */
	unsigned mask;          /* SENS_BIT() set of column classes that may be shown */
	unsigned data;          /* DATA_BIT() set of the sections a view may show: DATA_ALL for one's
				   own records, the agreement's categories for a partner's */
	int record;             /* 1 = the read must be recorded in the audit log */
	int conceal;            /* 1 = a denial answers "not found" (existence is protected) */
	struct list_scope scope;/* rows a list may hold ("0 = 1" when denied) */
};

/*
 * policy_decide() decides whether who may read s for purpose, filling out
 * (every field, allowed or not; the reason in the thread's language).
 * Returns 0 when allowed, POLICY_DENIED when not.
 */
int policy_decide(const struct policy_actor *who, const struct policy_subject *s,
		  enum policy_purpose purpose, struct policy_decision *out);

/*
 * policy_mask() is the part of the column mask that holds for every kind:
 * statistics never get identity or contact; any labour-office adviser
 * role removes the special categories (the more restrictive role wins).
 */
unsigned policy_mask(unsigned roles, enum policy_purpose purpose);

/*
 * policy_coop_mask() is what a partner institution may ever see of
 * another institution's person: the column classes of the agreement's
 * categories (c->data: identity, contact, social), never the special
 * categories (health — disability details too —, addiction, violence),
 * which no category carries — and, should one ever, still not when the
 * reader's institution is a labour-market one or the reader holds the
 * labour-adviser role. Free text (interviews, notes) has no class: it
 * never leaves the owner (situation.c refuses it to other institutions).
 */
unsigned policy_coop_mask(unsigned roles, const struct policy_coop *c);

/*
 * The rows of another institution a cooperation list may hold (alias p):
 * persons with a consent or statutory basis in force today for reader
 * institution ? and purpose ? (bound: reader, purpose, reader) under an
 * agreement in force today between
 * the owner and the reader that lets identity data flow (the in-force
 * test of coop/agreement.c agreement_in_force(), in SQL). Also used by
 * person_search().
 */
#define POLICY_COOP_PERSON_EXISTS                                                                   \
	"EXISTS (SELECT 1 FROM consent c JOIN agreement g ON (g.status = 'signed' OR (g.status = "   \
	"'terminated' AND g.terminated_on > CAST(CURRENT_DATE AS TEXT))) AND "                        \
	"g.valid_from <= CAST(CURRENT_DATE AS TEXT) AND (g.valid_to IS NULL OR g.valid_to >= "        \
	"CAST(CURRENT_DATE AS TEXT)) JOIN agreement_party ga ON ga.agreement_id = g.id AND "          \
	"ga.institution_id = p.institution_id JOIN agreement_party gb ON gb.agreement_id = g.id AND " \
	"gb.institution_id = ? JOIN agreement_data gd ON gd.agreement_id = g.id AND gd.category = "    \
	"'identity' WHERE c.person_id = p.id AND (c.withdrawn_on IS NULL OR "              \
	"c.withdrawn_on > CAST(CURRENT_DATE AS TEXT)) AND "                                           \
	"c.valid_from <= CAST(CURRENT_DATE AS TEXT) AND (c.valid_to IS NULL OR c.valid_to >= "        \
	"CAST(CURRENT_DATE AS TEXT)) AND c.purpose = ? AND (c.recipient_institution_id = ? OR "      \
	"(c.recipient_institution_id IS NULL AND c.agreement_id = g.id)))"

/* policy_data_code() is the agreement_data code of d ("labour_status"); policy_data_bit() the
   DATA_BIT() of a code, 0 when unknown. */
const char *policy_data_code(enum policy_data d);
unsigned policy_data_bit(const char *code);

/* Stable codes ("account", "casework"), for logs and documentation. */
const char *policy_kind_code(enum policy_kind kind);
const char *policy_purpose_code(enum policy_purpose purpose);

/* How a read is recorded: one record, a page of a list, or every row (exports). */
enum policy_how { POLICY_READ_ONE, POLICY_READ_PAGE, POLICY_READ_ALL };

/* policy_entity() is the audit record type of a kind ("user"); policy_action() its action ("user.list"). */
const char *policy_entity(enum policy_kind kind);
const char *policy_action(enum policy_kind kind, enum policy_how how);

/* One read under the policy: who, what, why, and where it is recorded. */
struct policy_read {
	struct db *db;
	struct arena *arena;              /* results and the recorded detail */
	struct policy_actor actor;        /* who */
	enum policy_kind kind;            /* what */
	enum policy_purpose purpose;      /* why */
	struct audit_reads *log;          /* the caller's read log */
	const char *query;                /* the request as asked (recorded with the ids), or NULL */
	const char *coop_purpose;         /* a read that may be of a partner's record (person_read()):
					     the cooperation purpose, a consent_purpose code; NULL = no
					     cooperation (other institutions refused) unless purpose is
					     PURPOSE_COOPERATION, then labour_market_activation */
	struct policy_decision decision;  /* out: the decision applied */
};

/*
 * policy_record() records in r->log the read of one record of r->kind
 * (id, detail) when r->decision says reads must be recorded. Returns 0,
 * or -1 when the log is full.
 */
int policy_record(struct policy_read *r, const char *id, const char *detail);

/*
 * policy_record_denied() records in r->log a refused read of one record
 * (id; 0 = a list) as "<entity>.read_denied" with the decision's code and
 * the purpose ("reason=other_institution purpose=casework"): denials of
 * personal data are audited too. Nothing when r->decision allowed the
 * read. Returns 0, or -1 when the log is full.
 */
int policy_record_denied(struct policy_read *r, int64_t id);

/*
 * policy_list_fetch() is list_fetch() under the policy: it decides for a
 * list of r->kind, replaces q's scope and mask by the decision's (masked
 * columns come back NULL), reads the page and records one read naming
 * the ids of its rows and the total. Returns 0, POLICY_DENIED (nothing
 * read; r->decision says why) or -1 (database error, or the log is full).
 */
int policy_list_fetch(struct policy_read *r, const struct list_def *def, struct list_query *q,
		      struct list_page *out);

/*
 * policy_list_each() is list_each() under the policy, for exports: every
 * row passed to fn is named in the one read recorded (as far as
 * AUDIT_IDS_MAX_CHARS allows; the count is always exact). Nothing is
 * recorded when the iteration fails. Returns 0, POLICY_DENIED, -1, or
 * fn's non-zero value.
 */
int policy_list_each(struct policy_read *r, const struct list_def *def, struct list_query *q,
		     int (*fn)(void *ctx, const char *id, const char *const *values), void *ctx);

#endif
