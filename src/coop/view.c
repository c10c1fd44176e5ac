/*
 * view.c — the partner's view of a person (view.h): the sections the
 * sharing rule and the agreement's data categories allow, read after one
 * decision and recorded as one read.
 */
#include "coop/view.h"

#include <stdio.h>
#include <string.h>

#include "coop/consent.h"
#include "coop/episode.h"
#include "core/str.h"
#include "registry/check.h"
#include "registry/family.h"

static const struct db_sql SQL_MEMBERS =
	DB_SQL("SELECT m.person_id, m.relation, p.first_names, p.surname, p.birth_date "
	       "FROM family_member m JOIN person p ON p.id = m.person_id "
	       "WHERE m.family_id = ? AND m.member_to IS NULL AND m.person_id <> ? "
	       "AND p.deleted_at IS NULL ORDER BY m.member_from, m.id LIMIT ?");
static const struct db_sql SQL_OWN_RELATION =
	DB_SQL("SELECT relation FROM family_member WHERE family_id = ? AND person_id = ? AND member_to IS NULL");
static const struct db_sql SQL_STATUSES =
	DB_SQL("SELECT id, status, from_date, to_date FROM labour_status WHERE person_id = ? "
	       "ORDER BY from_date DESC, id DESC LIMIT 200");
static const struct db_sql SQL_OWNER = DB_SQL("SELECT institution_id FROM person WHERE id = ?");

/* A list of ids for the audit detail ("12,40"). */
struct ids {
	char s[800]; /* VIEW_MEMBERS_MAX + SAME_HUMAN_MAX ids of up to 15 digits */
	size_t len;
};

static void ids_add(struct ids *x, int64_t id)
{
	int n = snprintf(x->s + x->len, sizeof(x->s) - x->len, "%s%lld", x->len > 0 ? "," : "", (long long)id);

	if (n > 0 && (size_t)n < sizeof(x->s) - x->len)
		x->len += (size_t)n;
}

/*
 * member_shared() is 1 when the rule opens member's identity to r's reader
 * as it opened the person's: the same agreement facts (the member belongs
 * to the same institution), the member's own consent for the purpose.
 */
static int member_shared(struct policy_read *r, int64_t member, int64_t owner)
{
	struct policy_coop c;
	struct policy_subject s = { POLICY_PERSON, member, owner, 0, &c };
	struct policy_decision d;
	int rc = consent_covers(r->db, member, r->actor.institution_id, r->coop_purpose, NULL);

	if (rc < 0)
		return -1;
	memset(&c, 0, sizeof(c));
	c.purpose = r->coop_purpose;
	c.agreement = 1; /* the person's read was allowed: an agreement is in force */
	c.consent = rc;
	c.data = r->decision.data;
	return policy_decide(&r->actor, &s, r->purpose, &d) == 0 && (d.mask & SENS_BIT(SENS_IDENTITY));
}

/* read_members() fills the household's current members (relations; names as the rule allows). */
static int read_members(struct policy_read *r, int64_t id, int64_t owner, struct coop_view *out,
			struct ids *also)
{
	int64_t fam = family_of_person(r->db, id);
	struct db_stmt *st;
	int rc = DB_DONE, i;

	if (fam <= 0)
		return fam < 0 ? -1 : 0;
	st = db_query(r->db, &SQL_OWN_RELATION, "ii", fam, id);
	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		out->relation = registry_col(r->arena, st, 0);
	db_reset(st);
	if (rc < 0)
		return -1;
	st = db_query(r->db, &SQL_MEMBERS, "iii", fam, id, (int64_t)VIEW_MEMBERS_MAX);
	if (st == NULL)
		return -1;
	while (out->nmembers < VIEW_MEMBERS_MAX && (rc = db_step(st)) == DB_ROW) {
		struct view_member *m = &out->members[out->nmembers++];

		m->person_id = db_col_int(st, 0);
		m->relation = registry_col(r->arena, st, 1);
		m->first_names = registry_col(r->arena, st, 2);
		m->surname = registry_col(r->arena, st, 3);
		m->birth_date = registry_col(r->arena, st, 4);
	}
	db_reset(st);
	if (rc < 0)
		return -1;
	/* decided after the statement is reset: the rule's look-ups use the same connection */
	for (i = 0; i < out->nmembers; i++) {
		struct view_member *m = &out->members[i];
		int shared = member_shared(r, m->person_id, owner);

		if (shared < 0)
			return -1;
		if (shared) {
			ids_add(also, m->person_id);
			continue;
		}
		m->person_id = 0;
		m->first_names = m->surname = m->birth_date = NULL;
	}
	return 0;
}

/* read_statuses() fills the labour-market status periods and long-term unemployment today. */
static int read_statuses(struct policy_read *r, int64_t id, struct coop_view *out)
{
	struct db_stmt *st = db_query(r->db, &SQL_STATUSES, "i", id);
	char today[16];
	int rc, cap = 200;

	if (st == NULL)
		return -1;
	out->statuses = arena_zalloc(r->arena, sizeof(*out->statuses) * (size_t)cap);
	while (out->statuses != NULL && out->nstatuses < cap && (rc = db_step(st)) == DB_ROW) {
		struct labour_status *s = &out->statuses[out->nstatuses++];

		s->id = db_col_int(st, 0);
		s->person_id = id;
		s->status = registry_col(r->arena, st, 1);
		s->from_date = registry_col(r->arena, st, 2);
		s->to_date = registry_col(r->arena, st, 3);
	}
	db_reset(st);
	if (out->statuses == NULL)
		return -1;
	registry_today(today);
	out->ltu_days = labour_ltu_days(out->statuses, out->nstatuses, today);
	out->long_term = labour_long_term(out->statuses, out->nstatuses, today) == 1;
	return 0;
}

/*
 * record_support_allowed() is 1 when the reader may be told the support
 * on record rec (institution inst): the reader's own, the person's (the
 * decision already made), or another institution's record opened to the
 * reader by the rule with the support category.
 */
static int record_support_allowed(struct policy_read *r, int64_t rec, int64_t inst, int64_t person)
{
	struct policy_subject s = { POLICY_PERSON, rec, inst, 0, NULL };
	struct policy_decision d;

	if (inst == r->actor.institution_id)
		return 1;
	if (rec == person)
		return (r->decision.data & DATA_BIT(DATA_SUPPORT)) != 0;
	if (consent_facts(r->db, r->arena, rec, inst, r->actor.institution_id, r->coop_purpose, &s.coop) != 0)
		return -1;
	return policy_decide(&r->actor, &s, PURPOSE_COOPERATION, &d) == 0 && (d.data & DATA_BIT(DATA_SUPPORT));
}

static int add_support(struct policy_read *r, int64_t rec, struct coop_view *out)
{
	struct episode *e;
	int n = episode_person_list(r->db, r->arena, rec, &e), i;

	if (n < 0)
		return -1;
	for (i = 0; i < n && out->nsupport < VIEW_SUPPORT_MAX; i++) {
		struct view_support *v = &out->support[out->nsupport];

		if (e[i].withdrawn)
			continue;
		out->nsupport++;
		v->institution_id = e[i].institution_id;
		v->institution_name = e[i].institution_name;
		v->instrument_code = e[i].instrument_code;
		v->instrument_label = e[i].instrument_label;
		v->kind = e[i].kind;
		v->from = e[i].start_date;
		v->to = e[i].actual_end != NULL ? e[i].actual_end : e[i].planned_end;
		v->status = e[i].status;
		v->own = e[i].institution_id == r->actor.institution_id;
	}
	return 0;
}

/* read_support() lists the episodes on every record of the same human the reader may be told about. */
static int read_support(struct policy_read *r, int64_t id, int64_t owner, struct coop_view *out,
			struct ids *also)
{
	int64_t recs[SAME_HUMAN_MAX + 1];
	int n = same_human(r->db, id, recs + 1, SAME_HUMAN_MAX), i;

	if (n < 0)
		return -1;
	recs[0] = id;
	for (i = 0; i <= n; i++) {
		int64_t inst = owner;
		int ok;

		if (i > 0 && db_get_int(r->db, &inst, &SQL_OWNER, "i", recs[i]) != DB_ROW)
			return -1;
		if ((ok = record_support_allowed(r, recs[i], inst, id)) < 0)
			return -1;
		if (!ok)
			continue; /* nothing of an institution the rule does not open is told */
		if (add_support(r, recs[i], out) != 0)
			return -1;
		if (i > 0)
			ids_add(also, recs[i]);
	}
	return 0;
}

/* sections_code() names the sections shown, for the audit detail ("identity,contact,support"). */
static const char *sections_code(struct arena *a, unsigned data)
{
	char s[80] = "";
	size_t len = 0;
	int d;

	for (d = 0; d < DATA__MAX; d++)
		if (data & DATA_BIT(d)) {
			int k = snprintf(s + len, sizeof(s) - len, "%s%s", len > 0 ? "," : "",
					 policy_data_code((enum policy_data)d));

			if (k > 0 && (size_t)k < sizeof(s) - len)
				len += (size_t)k;
		}
	return arena_strdup(a, s);
}

/* replay() moves the reads person_read() queued in quiet into the caller's log. */
static int replay(struct audit_reads *log, const struct audit_reads *quiet)
{
	int i;

	for (i = 0; i < quiet->n; i++)
		if (audit_reads_add(log, quiet->r[i].action, quiet->r[i].entity, quiet->r[i].entity_id,
				    quiet->r[i].detail) != 0)
			return -1;
	return 0;
}

/*
 * record_others() records the read of the other records the view showed
 * data of (household members, the same human's record at a third
 * institution) as one row naming them ("ids=12,40 of=8 purpose=…"), so
 * each of those persons' data-subject report (registry/dataprot.c) lists
 * it like a list that named them.
 */
static int record_others(struct policy_read *r, int64_t id, const struct ids *also)
{
	const char *detail;

	if (also->len == 0 || !r->decision.record)
		return 0;
	detail = arena_printf(r->arena, "ids=%s of=%lld purpose=cooperation:%s", also->s, (long long)id,
			      r->coop_purpose);
	return detail == NULL ? -1 : audit_reads_add(r->log, "person.read", "person", NULL, detail);
}

int coop_view_read(struct policy_read *r, int64_t id, struct coop_view *out)
{
	struct audit_reads *log = r->log, quiet = AUDIT_READS_INIT;
	struct ids also = { "", 0 };
	const char *detail;
	int64_t owner;
	int rc;

	memset(out, 0, sizeof(*out));
	if (r->coop_purpose == NULL)
		r->coop_purpose = "labour_market_activation";
	r->log = &quiet;
	rc = person_read(r, id, &out->person);
	r->log = log;
	owner = out->person.institution_id;
	if (rc != POLICY_OK || r->actor.cli || owner == r->actor.institution_id)
		return replay(log, &quiet) != 0 ? -1 : rc; /* denied, or one's own record: as read */
	out->data = r->decision.data;
	if ((out->data & DATA_BIT(DATA_SOCIAL)) && read_members(r, id, owner, out, &also) != 0)
		return -1;
	if ((out->data & DATA_BIT(DATA_LABOUR_STATUS)) && read_statuses(r, id, out) != 0)
		return -1;
	if (read_support(r, id, owner, out, &also) != 0)
		return -1;
	detail = arena_printf(r->arena, "purpose=cooperation:%s sections=%s%s%s", r->coop_purpose,
			      sections_code(r->arena, out->data), also.len > 0 ? " also=" : "", also.s);
	if (detail == NULL || policy_record(r, arena_printf(r->arena, "%lld", (long long)id), detail) != 0)
		return -1;
	return record_others(r, id, &also) != 0 ? -1 : POLICY_OK;
}
