/*
 * outcome.c — outcomes of social contracts at completion and six months
 * later (outcome.h; migration 0023; docs/CONTRACTS.md "Outcomes").
 */
#include "coop/outcome.h"

#include <stdio.h>
#include <string.h>

#include "auth/role.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/str.h"
#include "registry/check.h"

const char *const outcome_points[] = { "completion", "follow_up", NULL };

const char *outcome_point_label(const char *code)
{
	if (str_eq(code, "completion"))
		return _("at completion");
	if (str_eq(code, "follow_up"))
		return _("six months later");
	return code != NULL ? code : "";
}

static const struct db_sql SQL_KINDS =
	DB_SQL("SELECT code, label_pl, label_en, subject, comparable, valid_from, valid_to FROM outcome_kind ORDER BY sort");
static const struct db_sql SQL_START =
	DB_SQL("SELECT valid_from FROM contract_version WHERE contract_id = ? AND version = 1");
static const struct db_sql SQL_IN_FORCE =
	DB_SQL("SELECT id FROM contract_outcome WHERE contract_id = ? AND point = ? AND kind = ? "
	       "AND COALESCE(person_id, 0) = ? AND superseded_by IS NULL");
static const struct db_sql SQL_INSERT =
	DB_SQL("INSERT INTO contract_outcome (contract_id, point, kind, person_id, achieved, observed_on, note, "
	       "recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_SUPERSEDE =
	DB_SQL("UPDATE contract_outcome SET superseded_by = ?, superseded_at = ? WHERE id = ?");
static const struct db_sql SQL_LIST =
	DB_SQL("SELECT o.id, o.point, o.kind, o.person_id, o.achieved, o.observed_on, o.note, o.recorded_at, "
	       "u.full_name, p.first_names || ' ' || p.surname, k.label_pl, k.label_en, o.superseded_by, "
	       "o.superseded_at FROM contract_outcome o JOIN outcome_kind k ON k.code = o.kind "
	       "LEFT JOIN app_user u ON u.id = o.recorded_by LEFT JOIN person p ON p.id = o.person_id "
	       "WHERE o.contract_id = ? AND (o.superseded_by IS NULL OR ? = 1) "
	       "ORDER BY CASE WHEN o.superseded_by IS NULL THEN 0 ELSE 1 END, "
	       "CASE WHEN o.superseded_by IS NULL THEN o.point ELSE '' END, k.sort, o.id DESC");
/* ended contracts of the user (guardian or social worker) without a follow-up outcome in force */
static const struct db_sql SQL_DUE =
	DB_SQL("SELECT c.id, p.first_names || ' ' || p.surname, c.ended_on FROM contract c "
	       "JOIN person p ON p.id = c.person_id LEFT JOIN team_member g ON g.id = c.guardian_member_id "
	       "WHERE c.state IN ('completed', 'terminated') AND c.ended_on IS NOT NULL "
	       "AND (c.social_worker_id = ? OR g.user_id = ?) AND NOT EXISTS (SELECT 1 FROM contract_outcome o "
	       "WHERE o.contract_id = c.id AND o.point = 'follow_up' AND o.superseded_by IS NULL) "
	       "ORDER BY c.ended_on, c.id");

static const char *label_col(struct arena *a, struct db_stmt *st, int pl)
{
	return registry_col(a, st, i18n_lang() == LANG_EN ? pl + 1 : pl);
}

int outcome_kinds(struct db *db, struct arena *a, struct outcome_kind **out)
{
	struct db_stmt *st = db_query(db, &SQL_KINDS, "");
	struct outcome_kind *k;
	int n = 0, rc;

	*out = k = arena_zalloc(a, 16 * sizeof(*k));
	if (st == NULL || k == NULL) {
		db_reset(st);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW && n < 16) {
		k[n].code = registry_col(a, st, 0);
		k[n].label = label_col(a, st, 1);
		k[n].subject = registry_col(a, st, 3);
		k[n].comparable = (int)db_col_int(st, 4);
		k[n].valid_from = registry_col(a, st, 5);
		k[n].valid_to = registry_col(a, st, 6);
		n++;
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? n : -1;
}

static int days_in_month(int y, int m)
{
	static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : d[m - 1];
}

/* digits() is the number written by the n digits at s (a checked date). */
static int digits(const char *s, int n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

const char *outcome_follow_up_on(const char *date, char out[11])
{
	int y, m, d;

	out[0] = '\0';
	if (date == NULL || !clock_valid_date(date))
		return out;
	y = digits(date, 4);
	m = digits(date + 5, 2);
	d = digits(date + 8, 2);
	m += 6;
	if (m > 12) {
		m -= 12;
		y++;
	}
	if (d > days_in_month(y, m))
		d = days_in_month(y, m);
	snprintf(out, 11, "%04d-%02d-%02d", (y % 10000 + 10000) % 10000, (m % 100 + 100) % 100, (d % 100 + 100) % 100);
	return out;
}

static const struct outcome_kind *kind_of(const struct outcome_kind *k, int n, const char *code)
{
	int i;

	for (i = 0; code != NULL && i < n; i++)
		if (str_eq(k[i].code, code))
			return &k[i];
	return NULL;
}

/* member() is the contract's member person (or the party), NULL when not one. */
static const struct contract_member *member(const struct contract *c, const struct contract_content *x,
					    int64_t person, int *is_party)
{
	int i;

	*is_party = person == c->person_id;
	for (i = 0; i < x->nmembers; i++)
		if (x->members[i].person_id == person)
			return &x->members[i];
	return NULL;
}

/* check_subject() checks the kind and whom it is about. */
static void check_subject(const struct outcome_kind *k, const struct contract *c, const struct contract_content *x,
			  const struct outcome *o, struct verrs *v)
{
	const struct contract_member *m;
	int party;

	if (str_eq(k->subject, "family")) {
		if (o->person_id != 0)
			verrs_add(v, "person_id", "invalid", _("%s: recorded for the whole family, not for a member."),
				  k->label);
		return;
	}
	if (o->person_id == 0) {
		verrs_add(v, "person_id", "required", _("%s: choose the member it concerns."), k->label);
		return;
	}
	m = member(c, x, o->person_id, &party);
	if (m == NULL && !party)
		verrs_add(v, "person_id", "not_member", _("%s: the person is not a member of the contract."), k->label);
	else if (str_eq(k->code, "school_attendance") && (m == NULL || !m->child))
		verrs_add(v, "person_id", "not_child", _("%s: recorded for a child of the family."), k->label);
}

/* check_date() checks observed_on against today, the start and, for the follow-up, the end + six months. */
static int check_date(struct db *db, struct arena *a, const struct contract *c, const struct outcome *o,
		      const char *today, struct verrs *v)
{
	char due[11];
	struct db_stmt *st;
	const char *start = NULL;

	if (o->observed_on == NULL || !clock_valid_date(o->observed_on)) {
		verrs_add(v, "observed_on", "invalid", "%s", _("Observed on: enter a real date (YYYY-MM-DD)."));
		return 0;
	}
	if (strcmp(o->observed_on, today) > 0)
		verrs_add(v, "observed_on", "future", "%s", _("Observed on: the date cannot be in the future."));
	st = db_query(db, &SQL_START, "i", c->id);
	if (st == NULL)
		return -1;
	if (db_step(st) == DB_ROW)
		start = arena_strdup(a, db_col_text(st, 0));
	db_reset(st);
	if (start != NULL && strcmp(o->observed_on, start) < 0)
		verrs_add(v, "observed_on", "before_start", "%s",
			  _("Observed on: the date cannot be before the contract's start."));
	outcome_follow_up_on(c->ended_on, due);
	if (str_eq(o->point, "follow_up") && due[0] != '\0' && strcmp(o->observed_on, due) < 0)
		verrs_add(v, "observed_on", "before_follow_up", _("Observed on: the follow-up is observed on %s or later."),
			  due);
	return 0;
}

/* allowed() checks the role and the state; 0 or the CONTRACT_* refusal with v. */
static int allowed(const struct contract_actor *who, const struct contract *c, const struct outcome *o,
		   const char *today, struct verrs *v)
{
	char due[11];

	if (!contract_is_author(who, c) && !(who->policy.roles & ROLE_BIT(ROLE_COORDINATOR))) {
		verrs_add(v, "", "role", "%s",
			  _("Outcomes are recorded by the contract's social worker, guardian or a coordinator."));
		return CONTRACT_FORBIDDEN;
	}
	if (!str_eq(c->state, "completed") && !str_eq(c->state, "terminated")) {
		verrs_add(v, "", "state", "%s", _("Outcomes are recorded once the contract has been completed or terminated."));
		return CONTRACT_STATE;
	}
	outcome_follow_up_on(c->ended_on, due);
	if (str_eq(o->point, "follow_up") && (due[0] == '\0' || strcmp(today, due) < 0)) {
		verrs_add(v, "", "not_due", _("The six-month follow-up is due on %s."), due[0] != '\0' ? due : "—");
		return CONTRACT_STATE;
	}
	return 0;
}

static int validate(struct db *db, struct arena *a, const struct contract *c, const struct contract_content *x,
		    struct outcome *o, const char *today, struct verrs *v)
{
	struct outcome_kind *kinds;
	const struct outcome_kind *k;
	int n = outcome_kinds(db, a, &kinds), before = v->n;

	if (n < 0)
		return -1;
	if (!coop_code_ok(outcome_points, o->point))
		verrs_add(v, "point", "invalid", "%s", _("When: at completion (completion) or six months later (follow_up)."));
	if (o->achieved != 0 && o->achieved != 1)
		verrs_add(v, "achieved", "invalid", "%s", _("Achieved: yes or no."));
	o->note = registry_clean(a, o->note);
	coop_check_text(v, "note", N_("Note"), o->note, 2000);
	k = kind_of(kinds, n, o->kind);
	if (k == NULL) {
		verrs_add(v, "kind", "invalid", "%s", _("Outcome: choose a kind from the dictionary."));
	} else {
		check_subject(k, c, x, o, v);
		if (o->observed_on != NULL && ((k->valid_from != NULL && strcmp(o->observed_on, k->valid_from) < 0) ||
					       (k->valid_to != NULL && strcmp(o->observed_on, k->valid_to) > 0)))
			verrs_add(v, "kind", "not_valid", _("%s: the kind is not in the dictionary on that day."), k->label);
	}
	if (check_date(db, a, c, o, today, v) != 0)
		return -1;
	return v->n > before ? 1 : 0;
}

int outcome_record(struct db *db, struct arena *a, const struct contract_actor *who, int64_t id,
		   struct outcome *o, int64_t *new_id, struct verrs *v)
{
	struct contract c;
	struct contract_content *x = arena_zalloc(a, sizeof(*x));
	char now[CLOCK_ISO_LEN], today[11];
	int64_t old = 0;
	int rc;

	if (x == NULL)
		return -1;
	rc = contract_read(db, a, who, id, 0, &c, x);
	if (rc != 0)
		return rc;
	clock_iso(clock_now(), now);
	snprintf(today, sizeof(today), "%.10s", now);
	o->contract_id = id;
	if ((rc = allowed(who, &c, o, today, v)) != 0)
		return rc;
	if ((rc = validate(db, a, &c, x, o, today, v)) != 0)
		return rc;
	if (db_begin(db) != 0)
		return -1;
	rc = db_get_int(db, &old, &SQL_IN_FORCE, "itti", id, o->point, o->kind, o->person_id) >= 0 ? 0 : -1;
	if (rc == 0)
		rc = coop_insert(db, new_id, &SQL_INSERT, "ittIittti", id, o->point, o->kind, o->person_id,
				 (int64_t)o->achieved, o->observed_on, o->note, now, who->audit.user_id) == DB_OK ? 0 : -1;
	if (rc == 0 && old > 0 && db_run(db, &SQL_SUPERSEDE, "iti", *new_id, now, old) != DB_OK)
		rc = -1;
	return audit_commit(db, &who->audit, rc, "contract.outcome", "contract", id,
			    arena_printf(a, "point=%s kind=%s person=%lld achieved=%d replaces=%lld", o->point, o->kind,
					 (long long)o->person_id, o->achieved, (long long)old));
}

int outcome_list(struct db *db, struct arena *a, int64_t id, int history, struct outcome **out)
{
	struct db_stmt *st = db_query(db, &SQL_LIST, "ii", id, (int64_t)(history ? 1 : 0));
	struct outcome *o = NULL;
	int n = 0, cap = 0, rc;

	*out = NULL;
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct outcome *g = arena_zalloc(a, (size_t)(cap = cap ? cap * 2 : 16) * sizeof(*g));

			if (g == NULL)
				break;
			if (n > 0)
				memcpy(g, o, (size_t)n * sizeof(*g));
			o = g;
		}
		o[n].id = db_col_int(st, 0);
		o[n].contract_id = id;
		o[n].point = registry_col(a, st, 1);
		o[n].kind = registry_col(a, st, 2);
		o[n].person_id = db_col_int(st, 3);
		o[n].achieved = (int)db_col_int(st, 4);
		o[n].observed_on = registry_col(a, st, 5);
		o[n].note = registry_col(a, st, 6);
		o[n].recorded_at = registry_col(a, st, 7);
		o[n].recorded_by_name = registry_col(a, st, 8);
		o[n].person_name = registry_col(a, st, 9);
		o[n].kind_label = label_col(a, st, 10);
		o[n].superseded_by = db_col_int(st, 12);
		o[n].superseded_at = registry_col(a, st, 13);
		n++;
	}
	db_reset(st);
	*out = o;
	return rc == DB_DONE ? n : -1;
}

int outcome_due(struct db *db, struct arena *a, int64_t user_id, struct outcome_due *out, int max)
{
	struct db_stmt *st = db_query(db, &SQL_DUE, "ii", user_id, user_id);
	char now[CLOCK_ISO_LEN], today[11], due[11];
	int n = 0, rc;

	if (st == NULL)
		return -1;
	clock_iso(clock_now(), now);
	snprintf(today, sizeof(today), "%.10s", now);
	while ((rc = db_step(st)) == DB_ROW) {
		outcome_follow_up_on(db_col_text(st, 2), due);
		if (due[0] == '\0' || strcmp(due, today) > 0)
			continue;
		if (n < max) {
			out[n].contract_id = db_col_int(st, 0);
			out[n].person_name = registry_col(a, st, 1);
			out[n].due_on = arena_strdup(a, due);
			n++;
		}
	}
	db_reset(st);
	return rc == DB_DONE ? n : -1;
}
