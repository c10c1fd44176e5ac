/*
 * view.h — what a partner institution sees of another institution's
 * person under the sharing rule (docs/COOPERATION.md, "The partner's
 * view"): identity and contact as the decision's mask allows, the
 * household's composition, the labour-market status with long-term
 * unemployment computed, and the support the person receives from every
 * institution — each section only when the agreement's data categories
 * (policy.h enum policy_data) include it. Never the special categories,
 * never the owner's free text (interviews, notes, reasons for assistance,
 * benefits).
 *
 * The view is one read of personal data: one decision (person_read(),
 * facts looked up now), one audit row for the person naming the purpose,
 * the sections shown and the other records whose data it showed — and,
 * when there are such records (household members the rule opens, the
 * same human's record at a third institution), one more row naming them
 * (entity id NULL, "ids=…"), so their data-subject reports list it.
 */
#ifndef RAZEM_COOP_VIEW_H
#define RAZEM_COOP_VIEW_H

#include <stdint.h>

#include "policy/policy.h"
#include "registry/person.h"
#include "registry/situation.h"

#define VIEW_MEMBERS_MAX 20  /* household members a view lists */
#define VIEW_SUPPORT_MAX 100 /* episodes a view lists */

/* A member of the person's household: the relation always; names only when the rule opens that member. */
struct view_member {
	int64_t person_id;       /* 0 when the member's identity is not shared */
	const char *relation;    /* family_relations code */
	const char *first_names, *surname, *birth_date; /* NULL when not shared */
};

/* An episode of support the person receives, at any institution the reader may be told about. */
struct view_support {
	int64_t institution_id;
	const char *institution_name, *instrument_code, *instrument_label, *kind;
	const char *from, *to;   /* to: actual end, else planned; NULL = open */
	const char *status;      /* episode_statuses */
	int own;                 /* 1 = the reader's institution provides it */
};

struct coop_view {
	struct person person;         /* masked by the decision */
	unsigned data;                /* DATA_BIT() set of the sections shown */
	const char *relation;         /* the person's own relation to the household's applicant, or NULL */
	struct view_member members[VIEW_MEMBERS_MAX];
	int nmembers;                 /* current members other than the person */
	struct labour_status *statuses;
	int nstatuses;
	int ltu_days, long_term;      /* long-term unemployment today (situation.h) */
	struct view_support support[VIEW_SUPPORT_MAX];
	int nsupport;
};

/*
 * coop_view_read() reads person id as r's reader may see it (r->coop_purpose
 * the cooperation purpose; NULL = labour_market_activation) into out, and
 * records the read in r->log (allowed: "person.read" with "purpose=
 * cooperation:P sections=… also=…", and "ids=… of=ID purpose=…" for the
 * other records shown; denied: "person.read_denied").
 * For the reader's own institution's record the view is the whole of
 * these sections (DATA_ALL). POLICY_OK, POLICY_NOT_FOUND, POLICY_DENIED
 * (r->decision says why) or -1.
 */
int coop_view_read(struct policy_read *r, int64_t id, struct coop_view *out);

#endif
