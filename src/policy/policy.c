/*
 * policy.c — the rules of the access policy (see policy.h), one function
 * per subject kind, and the policy-aware list reads.
 *
 * Every decision starts denied with an empty mask and a scope that
 * matches nothing; a rule must say "allowed" explicitly. So a new kind, a
 * new purpose or a forgotten case is closed until someone writes its rule.
 */
#include "policy/policy.h"

#include <stdio.h>
#include <string.h>

#include "auth/role.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/str.h"

#define PURPOSE_BIT(p) (1u << (p))
#define ADMIN_BIT ROLE_BIT(ROLE_ADMIN)

/* What the policy knows about a kind. */
struct kind_rules {
	const char *code;           /* stable code */
	const char *entity;         /* audit record type */
	const char *action[3];      /* audit actions by enum policy_how */
	unsigned purposes;          /* PURPOSE_BIT() set this kind may be read for */
	const char *purpose_reason; /* msgid: why the other purposes are refused */
	/* who may read what, and which rows: sets allowed (with allow()) or a denial */
	void (*rule)(const struct policy_actor *who, const struct policy_subject *s,
		     enum policy_purpose purpose, struct policy_decision *out);
};

static void allow(struct policy_decision *out, const char *msgid)
{
	out->allowed = 1;
	out->code = "allowed";
	out->reason = _(msgid);
	out->scope.sql = NULL; /* every row, unless the rule narrows it */
	out->scope.nargs = 0;
	out->record = 1;
}

static void deny(struct policy_decision *out, const char *code, const char *msgid)
{
	out->allowed = 0;
	out->code = code;
	out->reason = _(msgid);
}

/* ------------------------------------------------------------------ */
/* Rules                                                               */
/* ------------------------------------------------------------------ */

/*
 * Accounts: administrators read all of them; everyone reads their own.
 * A read of one's own account is not recorded: nobody else's data is
 * disclosed by it.
 */
static void account_rule(const struct policy_actor *who, const struct policy_subject *s,
			 enum policy_purpose purpose, struct policy_decision *out)
{
	(void)purpose;
	if (who->roles & ADMIN_BIT) {
		allow(out, N_("Administrators read every account."));
		out->record = s->id == 0 || s->id != who->user_id; /* a list is always recorded */
		return;
	}
	if (s->id != 0 && s->id != who->user_id) {
		deny(out, "own_account_only",
		     N_("You may read only your own account; other accounts are read by "
			"administrators."));
		return;
	}
	allow(out, N_("Everyone may read their own account."));
	out->record = 0;
	out->scope.sql = "u.id = ?";
	list_scope_int(&out->scope, who->user_id);
}

/* The audit log: administrators only (it shows who read and changed whose data). */
static void audit_rule(const struct policy_actor *who, const struct policy_subject *s,
		       enum policy_purpose purpose, struct policy_decision *out)
{
	(void)s;
	(void)purpose;
	if (who->roles & ADMIN_BIT)
		allow(out, N_("Administrators read the audit log."));
	else
		deny(out, "admin_only", N_("Only administrators read the audit log."));
}

/*
 * Background jobs: a list shows one's own jobs; one job is read by its
 * owner or an administrator. Jobs name a list and its settings, not the
 * rows, so reading them is not recorded (their results are, as exports).
 */
static void job_rule(const struct policy_actor *who, const struct policy_subject *s,
		     enum policy_purpose purpose, struct policy_decision *out)
{
	(void)purpose;
	if (s->id != 0 && s->owner_id != who->user_id && !(who->roles & ADMIN_BIT)) {
		deny(out, "not_yours", N_("This background job belongs to someone else."));
		out->conceal = 1; /* whether someone else's job exists is not told */
		return;
	}
	allow(out, N_("Everyone reads their own background jobs."));
	out->record = 0;
	if (s->id == 0) {
		out->scope.sql = "j.user_id = ?";
		list_scope_int(&out->scope, who->user_id);
	}
}

/*
 * Persons and families of the registry (registry/person.h, family.h).
 *
 * Who reads a record of their own institution, and for which purpose:
 * registry_roles[purpose] is the set of roles that may. Casework is done
 * by the social worker, the family guardian (asystent/opiekun rodziny)
 * and the labour-office adviser of the institution that holds the record
 * (the adviser without the special categories: policy_mask()); the
 * county coordinator, the analyst and the project office do not work
 * cases. Statistics (counts, reports: never identity or contact) are
 * also the analyst's and the coordinator's. An administrator manages
 * accounts, not personal data: the role allows nothing here, another
 * role of the same account may. The command line (the machine's
 * administrator, acting for the institution it names) may read for
 * casework and statistics.
 */
#define WORKER_BIT ROLE_BIT(ROLE_SOCIAL_WORKER)
#define GUARDIAN_BIT ROLE_BIT(ROLE_GUARDIAN)
#define ADVISER_BIT ROLE_BIT(ROLE_LABOUR_ADVISER)
#define ANALYST_BIT ROLE_BIT(ROLE_ANALYST)
#define COORDINATOR_BIT ROLE_BIT(ROLE_COORDINATOR)

static const unsigned registry_roles[PURPOSE__MAX] = {
	[PURPOSE_CASEWORK] = WORKER_BIT | GUARDIAN_BIT | ADVISER_BIT,
	[PURPOSE_STATISTICS] = WORKER_BIT | GUARDIAN_BIT | ADVISER_BIT | ANALYST_BIT | COORDINATOR_BIT,
};

/*
 * cross_institution() decides a read of another institution's record:
 * the sharing rule (docs/COOPERATION.md). A user of institution B reads
 * a person owned by A when an agreement A–B is in force today and a
 * consent or statutory basis covers B (or every partner under that
 * agreement) for the purpose of the view; the facts come in s->coop
 * (coop/consent.h consent_facts()), looked up at each request. Without
 * them (a caller that did not look, a family, the situation's records)
 * nothing of A's is shown. What is shown is policy_coop_mask(). A list
 * for cooperation holds the reader's own rows and the partners' rows
 * the rule covers for s->coop->purpose (s->coop may carry only the
 * purpose for a list; NULL = labour_market_activation), in SQL
 * (POLICY_COOP_PERSON_EXISTS).
 */
static void cross_institution(const struct policy_actor *who, const struct policy_subject *s,
			      enum policy_purpose purpose, struct policy_decision *out)
{
	struct policy_coop *c = s->coop;

	if (s->id == 0 && s->kind == POLICY_PERSON && purpose == PURPOSE_COOPERATION &&
	    (who->roles & registry_roles[PURPOSE_CASEWORK])) {
		allow(out, N_("Your institution's persons and the partners' persons whose consent "
			      "covers your institution under an agreement in force."));
		out->scope.sql = "p.institution_id = ? OR " POLICY_COOP_PERSON_EXISTS;
		list_scope_int(&out->scope, who->institution_id);
		list_scope_int(&out->scope, who->institution_id);
		list_scope_text(&out->scope, c != NULL && c->purpose != NULL ? c->purpose
									   : "labour_market_activation");
		list_scope_int(&out->scope, who->institution_id);
		return;
	}
	if (c == NULL || s->id == 0 || s->kind != POLICY_PERSON) {
		if (purpose == PURPOSE_COOPERATION) {
			deny(out, "no_agreement",
			     N_("No cooperation agreement with the person's consent covers this record."));
			return;
		}
		deny(out, "other_institution",
		     N_("This record belongs to another institution. Records are shared between "
			"institutions only under a cooperation agreement, which does not cover it."));
		return;
	}
	if (!who->cli && !(who->roles & registry_roles[PURPOSE_CASEWORK])) {
		deny(out, "role",
		     N_("Your role does not include casework: persons and families are read "
			"by social workers, family guardians and labour-office advisers of "
			"their institution."));
		return;
	}
	if (!c->agreement) {
		snprintf(c->reason, sizeof(c->reason),
			 _("No cooperation agreement between %s and %s is in force. The record can be "
			   "shared once the institutions sign an agreement and the person consents (or "
			   "the law gives a basis) to the purpose \"%s\"."),
			 c->owner_name != NULL ? c->owner_name : "?",
			 c->reader_name != NULL ? c->reader_name : "?",
			 c->purpose_label != NULL ? c->purpose_label : "?");
		out->allowed = 0;
		out->code = "no_agreement";
		out->reason = c->reason;
		return;
	}
	if (!c->consent) {
		snprintf(c->reason, sizeof(c->reason),
			 _("No consent of the person for the purpose \"%s\" covers %s. %s can show the "
			   "record once it records the person's consent (or a statutory basis) for this "
			   "purpose naming your institution or all partners under the agreement."),
			 c->purpose_label != NULL ? c->purpose_label : "?",
			 c->reader_name != NULL ? c->reader_name : "?",
			 c->owner_name != NULL ? c->owner_name : "?");
		out->allowed = 0;
		out->code = "no_consent";
		out->reason = c->reason;
		return;
	}
	if (!(c->data & DATA_BIT(DATA_IDENTITY))) {
		snprintf(c->reason, sizeof(c->reason),
			 _("The agreement between %s and %s does not list identity data among the data that "
			   "may flow under it, so the record cannot be shown. The institutions can add the "
			   "category to the agreement."),
			 c->owner_name != NULL ? c->owner_name : "?",
			 c->reader_name != NULL ? c->reader_name : "?");
		out->allowed = 0;
		out->code = "not_in_agreement";
		out->reason = c->reason;
		return;
	}
	allow(out, N_("An agreement in force and the person's consent (or a statutory basis) share "
		      "this record with your institution for this purpose."));
	out->scope.sql = "p.id = ?";
	list_scope_int(&out->scope, s->id);
}

/* registry_rule() is the rule of POLICY_PERSON and POLICY_FAMILY (list alias p or f). */
static void registry_rule(const struct policy_actor *who, const struct policy_subject *s,
			  enum policy_purpose purpose, struct policy_decision *out)
{
	int own = s->id == 0 || s->institution_id == who->institution_id;

	if (purpose == PURPOSE_COOPERATION || (!own && s->institution_id != 0)) {
		cross_institution(who, s, purpose, out);
		return;
	}
	if (!own) { /* a record whose owner the caller did not say: closed */
		deny(out, "other_institution", N_("This record belongs to another institution."));
		return;
	}
	if (!who->cli && !(who->roles & registry_roles[purpose])) {
		if ((who->roles & ~ADMIN_BIT) == 0 && (who->roles & ADMIN_BIT))
			deny(out, "admin_not_casework",
			     N_("Administrators manage accounts and institutions, not the people the "
				"institutions serve; an administrator reads persons only with a "
				"casework role as well."));
		else if (purpose == PURPOSE_CASEWORK)
			deny(out, "role",
			     N_("Your role does not include casework: persons and families are read "
				"by social workers, family guardians and labour-office advisers of "
				"their institution."));
		else
			deny(out, "role", N_("Your role does not include reports on persons and families."));
		return;
	}
	allow(out, s->kind == POLICY_FAMILY
			   ? N_("The family is one of your institution's cases.")
			   : N_("The person is one of your institution's cases."));
	out->scope.sql = s->kind == POLICY_FAMILY ? "f.institution_id = ?" : "p.institution_id = ?";
	list_scope_int(&out->scope, who->institution_id);
}

/* Kinds whose module is not written yet: closed until their rules are. */
static void placeholder_rule(const struct policy_actor *who, const struct policy_subject *s,
			     enum policy_purpose purpose, struct policy_decision *out)
{
	(void)who;
	(void)s;
	(void)purpose;
	deny(out, "not_available",
	     N_("Nobody may read this kind of record yet: its access rules are not in place."));
}

#define ALL_PURPOSES ((1u << PURPOSE__MAX) - 1)
#define REGISTRY_PURPOSES                                                                    \
	(PURPOSE_BIT(PURPOSE_CASEWORK) | PURPOSE_BIT(PURPOSE_COOPERATION) |                   \
	 PURPOSE_BIT(PURPOSE_STATISTICS))
#define REGISTRY_PURPOSE_REASON                                                              \
	N_("Persons and families are read for casework, cooperation or statistics, not to "  \
	   "administer accounts or for an audit.")

static const struct kind_rules kinds[POLICY_KIND__MAX] = {
	[POLICY_NONE] = { "none", NULL, { NULL, NULL, NULL }, 0, NULL, NULL },
	[POLICY_ACCOUNT] = { "account", "user", { "user.read", "user.list", "user.export" },
			     PURPOSE_BIT(PURPOSE_ADMINISTRATION) | PURPOSE_BIT(PURPOSE_AUDIT) |
				     PURPOSE_BIT(PURPOSE_STATISTICS),
			     N_("Accounts are read to administer them, for an audit or for statistics, "
				"not for casework or cooperation."),
			     account_rule },
	[POLICY_AUDIT] = { "audit", "audit", { "audit.read", "audit.list", "audit.export" },
			   PURPOSE_BIT(PURPOSE_AUDIT) | PURPOSE_BIT(PURPOSE_STATISTICS),
			   N_("The audit log is read for an audit or for statistics only."), audit_rule },
	[POLICY_PERSON] = { "person", "person", { "person.read", "person.list", "person.export" },
			    REGISTRY_PURPOSES, REGISTRY_PURPOSE_REASON, registry_rule },
	[POLICY_FAMILY] = { "family", "family", { "family.read", "family.list", "family.export" },
			    REGISTRY_PURPOSES, REGISTRY_PURPOSE_REASON, registry_rule },
	[POLICY_CONTRACT] = { "contract", "contract",
			      { "contract.read", "contract.list", "contract.export" }, ALL_PURPOSES, NULL,
			      placeholder_rule },
	[POLICY_JOB] = { "job", "job", { "job.read", "job.list", "job.export" }, ALL_PURPOSES, NULL,
			 job_rule },
};

unsigned policy_mask(unsigned roles, enum policy_purpose purpose)
{
	unsigned m = SENS_ALL;

	if (purpose == PURPOSE_STATISTICS)
		m &= ~(SENS_BIT(SENS_IDENTITY) | SENS_BIT(SENS_CONTACT));
	if (roles & ROLE_BIT(ROLE_LABOUR_ADVISER)) /* also when the account holds other roles */
		m &= ~SENS_SPECIAL;
	return m;
}

unsigned policy_coop_mask(unsigned roles, const struct policy_coop *c)
{
	unsigned m = SENS_BIT(SENS_NONE);

	if (c == NULL)
		return m;
	if (c->data & DATA_BIT(DATA_IDENTITY))
		m |= SENS_BIT(SENS_IDENTITY);
	if (c->data & DATA_BIT(DATA_CONTACT))
		m |= SENS_BIT(SENS_CONTACT);
	if (c->data & DATA_BIT(DATA_SOCIAL))
		m |= SENS_BIT(SENS_SOCIAL);
	if (c->labour_market || (roles & ROLE_BIT(ROLE_LABOUR_ADVISER)))
		m &= ~SENS_SPECIAL; /* disability details are SENS_HEALTH; no category adds them anyway */
	return m;
}

static const char *const data_codes[DATA__MAX] = { "identity", "contact", "social", "labour_status",
						   "support" };

const char *policy_data_code(enum policy_data d)
{
	return d >= 0 && d < DATA__MAX ? data_codes[d] : "";
}

unsigned policy_data_bit(const char *code)
{
	int i;

	for (i = 0; code != NULL && i < DATA__MAX; i++)
		if (strcmp(code, data_codes[i]) == 0)
			return DATA_BIT(i);
	return 0;
}

int policy_decide(const struct policy_actor *who, const struct policy_subject *s,
		  enum policy_purpose purpose, struct policy_decision *out)
{
	const struct kind_rules *k;

	memset(out, 0, sizeof(*out));
	out->scope.sql = "0 = 1";
	deny(out, "not_available",
	     N_("Nobody may read this kind of record yet: its access rules are not in place."));
	if (s->kind <= POLICY_NONE || s->kind >= POLICY_KIND__MAX || purpose < 0 ||
	    purpose >= PURPOSE__MAX)
		return POLICY_DENIED;
	k = &kinds[s->kind];
	if (who == NULL || (who->user_id <= 0 && !who->cli)) {
		deny(out, "signed_out", N_("Sign in first."));
		return POLICY_DENIED;
	}
	if (!(k->purposes & PURPOSE_BIT(purpose))) {
		deny(out, "purpose", k->purpose_reason);
		return POLICY_DENIED;
	}
	k->rule(who, s, purpose, out);
	if (!out->allowed) {
		out->scope.sql = "0 = 1";
		out->scope.nargs = 0;
		out->mask = 0;
		out->record = 0;
		return POLICY_DENIED;
	}
	out->mask = policy_mask(who->roles, purpose);
	out->data = DATA_ALL;
	if (s->coop != NULL && s->id != 0 && s->institution_id != who->institution_id) {
		out->mask &= policy_coop_mask(who->roles, s->coop); /* a partner's record */
		out->data = s->coop->data;
	} else if (s->id == 0 && purpose == PURPOSE_COOPERATION) {
		out->mask &= ~SENS_SPECIAL; /* a list that may hold partners' rows */
	}
	return 0;
}

const char *policy_kind_code(enum policy_kind kind)
{
	return kind >= 0 && kind < POLICY_KIND__MAX ? kinds[kind].code : "";
}

const char *policy_purpose_code(enum policy_purpose purpose)
{
	static const char *const codes[PURPOSE__MAX] = { "casework", "cooperation", "statistics",
							 "administration", "audit" };

	return purpose >= 0 && purpose < PURPOSE__MAX ? codes[purpose] : "";
}

const char *policy_entity(enum policy_kind kind)
{
	return kind > POLICY_NONE && kind < POLICY_KIND__MAX ? kinds[kind].entity : NULL;
}

const char *policy_action(enum policy_kind kind, enum policy_how how)
{
	if (kind <= POLICY_NONE || kind >= POLICY_KIND__MAX || how < POLICY_READ_ONE ||
	    how > POLICY_READ_ALL)
		return NULL;
	return kinds[kind].action[how];
}

/* ------------------------------------------------------------------ */
/* Reads                                                               */
/* ------------------------------------------------------------------ */

int policy_record(struct policy_read *r, const char *id, const char *detail)
{
	if (!r->decision.record)
		return 0;
	return audit_reads_add(r->log, policy_action(r->kind, POLICY_READ_ONE), policy_entity(r->kind),
			       id, detail);
}

int policy_record_denied(struct policy_read *r, int64_t id)
{
	const char *entity = policy_entity(r->kind);
	const char *action, *eid, *detail;

	if (entity == NULL || r->decision.allowed)
		return 0;
	action = arena_printf(r->arena, "%s.read_denied", entity);
	eid = id > 0 ? arena_printf(r->arena, "%lld", (long long)id) : NULL;
	detail = r->coop_purpose != NULL /* a partner's record: the cooperation purpose asked */
			 ? arena_printf(r->arena, "reason=%s purpose=cooperation:%s", r->decision.code,
					r->coop_purpose)
			 : arena_printf(r->arena, "reason=%s purpose=%s", r->decision.code,
					policy_purpose_code(r->purpose));
	if (action == NULL || detail == NULL || (id > 0 && eid == NULL))
		return -1;
	return audit_reads_add(r->log, action, entity, eid, detail);
}

/* begin_list() decides for a list of r->kind and applies the decision to q. */
static int begin_list(struct policy_read *r, struct list_query *q)
{
	struct policy_subject s = { r->kind, 0, 0, 0, NULL };

	if (policy_decide(&r->actor, &s, r->purpose, &r->decision) != 0)
		return POLICY_DENIED;
	q->scope = r->decision.scope;
	q->mask = r->decision.mask;
	return 0;
}

/* record_list() records a list read (how) naming the ids shown. */
static int record_list(struct policy_read *r, enum policy_how how, const struct audit_ids *ids,
		       int64_t total)
{
	const char *detail;

	if (!r->decision.record)
		return 0;
	detail = audit_ids_detail(r->arena, ids, total, r->query);
	if (detail == NULL || audit_reads_add(r->log, policy_action(r->kind, how),
					       policy_entity(r->kind), NULL, detail) != 0) {
		log_error("%s: the read could not be recorded", policy_action(r->kind, how));
		return -1;
	}
	return 0;
}

int policy_list_fetch(struct policy_read *r, const struct list_def *def, struct list_query *q,
		      struct list_page *out)
{
	struct audit_ids ids = AUDIT_IDS_INIT;
	int i;

	memset(out, 0, sizeof(*out));
	if (begin_list(r, q) != 0)
		return POLICY_DENIED;
	if (list_fetch(r->db, r->arena, def, q, out) != 0)
		return -1;
	for (i = 0; i < out->nrows; i++)
		audit_ids_add(&ids, out->ids[i]);
	return record_list(r, POLICY_READ_PAGE, &ids, out->total);
}

struct each_ctx {
	int (*fn)(void *ctx, const char *id, const char *const *values);
	void *ctx;
	struct audit_ids ids;
};

static int each_row(void *ctx, const char *id, const char *const *values)
{
	struct each_ctx *x = ctx;

	audit_ids_add(&x->ids, id);
	return x->fn(x->ctx, id, values);
}

int policy_list_each(struct policy_read *r, const struct list_def *def, struct list_query *q,
		     int (*fn)(void *ctx, const char *id, const char *const *values), void *ctx)
{
	struct each_ctx *x;
	int rc;

	if (begin_list(r, q) != 0)
		return POLICY_DENIED;
	x = arena_zalloc(r->arena, sizeof(*x)); /* the id buffer is too big for the stack */
	if (x == NULL)
		return -1;
	x->fn = fn;
	x->ctx = ctx;
	rc = list_each(r->db, r->arena, def, q, each_row, x);
	if (rc != 0)
		return rc;
	return record_list(r, POLICY_READ_ALL, &x->ids, x->ids.n);
}
