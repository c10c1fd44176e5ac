/*
 * tests/unit/coop/contract.c — social contracts on a migrated database
 * (SQLite, and PostgreSQL with RAZEM_TEST_PG_URL), with the teams and the
 * local programme they rest on (coop/team.c): each rule of submission and
 * the member or action its message names; every transition, allowed and
 * refused by role (403) and by state (409); amendment as a new version
 * while the earlier one stays in force; termination for non-cooperation
 * (art. 11 and the social worker's task); who may read a contract.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "auth/role.h"
#include "coop/contract.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "../testdb.h"

#define T(state) ((struct testdb *)*(state))

/*
 * Institutions: 1 MOPS, 2 PUP, 3 PCPR, 4 CIS (all powiat 3050), 5 an NGO.
 * Users: 1 social worker (MOPS), 2 labour adviser (PUP), 3 guardian (PCPR),
 * 4 coordinator (PCPR), 5 social worker of the NGO.
 * Persons of the MOPS: 1 Jan Kowalski (adult), 2 Anna Kowalska (adult),
 * 3 Ola Kowalska (a child); household 1 of all three.
 */
static void seed(struct db *db)
{
	const char *n = "'2026-01-01T00:00:00Z'";
	char q[6000];

	snprintf(q, sizeof(q),
		 "INSERT INTO territory_unit (code, name, kind, parent_code) VALUES ('30', 'W', 'voivodeship', NULL),"
		 "('3050', 'P', 'powiat', '30');"
		 "INSERT INTO institution (kind, name, name_fold, terc, created_at, updated_at) VALUES "
		 "('mops', 'MOPS', 'mops', '3050011', %s, %s), ('pup', 'PUP', 'pup', '3050011', %s, %s),"
		 "('pcpr', 'PCPR', 'pcpr', '3050011', %s, %s), ('cis', 'CIS', 'cis', '3050044', %s, %s),"
		 "('ngo', 'NGO', 'ngo', '3050011', %s, %s);"
		 "INSERT INTO app_user (login, full_name, name_fold, institution_id, password_hash, created_at, "
		 "updated_at) VALUES ('sw', 'Social Worker', 'sw', 1, 'x', %s, %s), ('la', 'Labour Adviser', 'la', 2, "
		 "'x', %s, %s), ('op', 'Olga Opiekun', 'op', 3, 'x', %s, %s), ('ko', 'Karol Koordynator', 'ko', 3, 'x', "
		 "%s, %s), ('ng', 'Ngo Worker', 'ng', 5, 'x', %s, %s);"
		 "INSERT INTO person (institution_id, first_names, surname, surname_fold, first_fold, birth_date, "
		 "created_at, updated_at) VALUES (1, 'Jan', 'Kowalski', 'kowalski', 'jan', '1980-01-01', %s, %s),"
		 "(1, 'Anna', 'Kowalska', 'kowalska', 'anna', '1982-05-05', %s, %s),"
		 "(1, 'Ola', 'Kowalska', 'kowalska', 'ola', '2015-03-03', %s, %s);"
		 "INSERT INTO family (institution_id, applicant_id, created_at, updated_at) VALUES (1, 1, %s, %s);"
		 "INSERT INTO family_member (family_id, person_id, institution_id, relation, member_from) VALUES "
		 "(1, 1, 1, 'applicant', '2020-01-01'), (1, 2, 1, 'spouse', '2020-01-01'), (1, 3, 1, 'child', "
		 "'2020-01-01');",
		 n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n);
	if (db_exec(db, q) != 0)
		fail_msg("seed: %s", db_errmsg(db));
}

static const struct audit_actor admin = { 0, "tester", 0, "127.0.0.1" };

static struct contract_actor actor(int64_t user, unsigned roles, int64_t inst, int pup)
{
	struct contract_actor w;

	memset(&w, 0, sizeof(w));
	w.policy = (struct policy_actor){ user, roles, inst, 0 };
	w.audit = (struct audit_actor){ user, "u", inst, "127.0.0.1" };
	w.labour_office = pup;
	return w;
}

#define SW actor(1, ROLE_BIT(ROLE_SOCIAL_WORKER), 1, 0)
#define LA actor(2, ROLE_BIT(ROLE_LABOUR_ADVISER), 2, 1)
#define GUARD actor(3, ROLE_BIT(ROLE_GUARDIAN), 3, 0)
#define COORD actor(4, ROLE_BIT(ROLE_COORDINATOR), 3, 0)
#define NGO actor(5, ROLE_BIT(ROLE_SOCIAL_WORKER), 5, 0)

struct fixture {
	int64_t pzkw, mgi, guardian_member, lpiw, lpiw_action;
	int64_t pzkw_members[2]; /* the coordinator (chair) and the PUP */
};

/* The county's PZKW (the coordinator chairs it, the PUP is a member), its MGI, an adopted LPIW. */
static void county(struct db *db, struct arena *a, struct fixture *f)
{
	struct team t = { .kind = "pzkw", .terc = "3050", .name = "PZKW" };
	struct team_member m = { 0 };
	struct lpiw_action act[1];
	struct lpiw l;
	struct decision d;
	struct verrs v = VERRS_INIT;

	assert_int_equal(team_create(db, &admin, &t, &f->pzkw, &v), 0);
	t.kind = "mgi";
	t.name = "MGI";
	assert_int_equal(team_create(db, &admin, &t, &f->mgi, &v), 0);
	m = (struct team_member){ .team_id = f->pzkw, .user_id = 4, .role = "chair", .valid_from = "2020-01-01" };
	assert_int_equal(team_add_member(db, &admin, &m, &f->pzkw_members[0], &v), 0);
	m = (struct team_member){ .team_id = f->pzkw, .institution_id = 2, .role = "member", .valid_from = "2020-01-01" };
	assert_int_equal(team_add_member(db, &admin, &m, &f->pzkw_members[1], &v), 0);
	m = (struct team_member){ .team_id = f->mgi, .user_id = 3, .role = "guardian", .valid_from = "2020-01-01" };
	assert_int_equal(team_add_member(db, &admin, &m, &f->guardian_member, &v), 0);
	memset(act, 0, sizeof(act));
	act[0] = (struct lpiw_action){ .title = "Szkolenia zawodowe", .module = "pro_employment", .responsible_id = 2,
				       .partners = { 4 }, .npartners = 1, .funding_amount = -1 };
	l = (struct lpiw){ .terc = "3050", .title = "LPIW", .valid_from = "2020-01-01", .valid_to = "2099-12-31",
			   .contract_limit = 500000, .actions = act, .nactions = 1 };
	assert_int_equal(lpiw_create(db, a, &admin, &l, &f->lpiw, &v), 0);
	f->lpiw_action = act[0].id;
	assert_int_equal(lpiw_adopted(db, "3050"), 0);
	memset(&d, 0, sizeof(d));
	d.method = "vote";
	d.votes_for = 5;
	assert_int_equal(lpiw_adopt(db, &admin, f->lpiw, &d, &v), 0);
	assert_int_equal(lpiw_adopted(db, "3050"), f->lpiw);
	assert_int_equal(lpiw_adopt(db, &admin, f->lpiw, &d, &v), 1); /* adopted already */
}

static int has(const struct verrs *v, const char *field, const char *code, const char *text)
{
	int i;

	for (i = 0; i < v->n; i++)
		if ((field == NULL || strcmp(v->e[i].field, field) == 0) && strcmp(v->e[i].code, code) == 0 &&
		    (text == NULL || strstr(v->e[i].message, text) != NULL))
			return 1;
	for (i = 0; i < v->n; i++)
		print_message("have %s/%s: %s\n", v->e[i].field, v->e[i].code, v->e[i].message);
	return 0;
}

static void base(struct contract_content *x, const struct fixture *f)
{
	memset(x, 0, sizeof(*x));
	x->valid_from = "2026-01-01";
	x->valid_to = "2026-12-31";
	x->lpiw_id = f->lpiw;
	x->goals[0] = (struct contract_goal){ .kind = "main", .text = "Zatrudnienie rodziców" };
	x->ngoals = 1;
}

static struct contract_action act(int64_t member, const char *module, const char *deadline)
{
	return (struct contract_action){ .module = module, .title = "Działanie", .member_person_id = member,
					 .performer = "client", .deadline = deadline };
}

/* A family contract that meets every rule. */
static void good_family(struct contract_content *x, const struct fixture *f)
{
	base(x, f);
	x->actions[0] = act(1, "pro_employment", "2026-03-01");
	x->actions[0].performer = "institution";
	x->actions[0].institution_id = 4;
	x->actions[0].lpiw_action_id = f->lpiw_action;
	x->actions[1] = act(2, "pro_employment", "2026-04-01");
	x->actions[2] = act(3, "sport_culture", "2026-05-01");
	x->nactions = 3;
	x->budget[0] = (struct contract_budget){ .line = "Kurs", .source = "efs", .planned = 300000 };
	x->nbudget = 1;
}

static int64_t draft_family(struct db *db, struct arena *a, const struct fixture *f, struct contract_content *x,
			    const char *consent)
{
	struct contract_actor sw = SW;
	struct contract_new n = { .kind = "family", .person_id = 1, .family_id = 1,
				  .guardian_member_id = f->guardian_member, .consent_form = consent };
	struct verrs v = VERRS_INIT;
	int64_t id = 0;

	assert_int_equal(contract_create(db, a, &sw, &n, x, &id, &v), 0);
	return id;
}

static int step(struct db *db, struct arena *a, struct contract_actor w, int64_t id, enum contract_op op,
		const char *comment, struct verrs *v)
{
	struct contract_step s;

	memset(&s, 0, sizeof(s));
	s.comment = comment;
	return contract_transition(db, a, &w, id, op, &s, v);
}

static void test_rules(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(16u << 20);
	struct contract_content *x = arena_zalloc(a, sizeof(*x));
	struct contract_actor sw = SW;
	struct contract_new nb = { .kind = "individual_b", .person_id = 1 };
	struct fixture f;
	struct verrs v = VERRS_INIT;
	int64_t id;

	seed(db);
	county(db, a, &f);
	/* a family contract with no action: every member named, and the missing parts */
	base(x, &f);
	x->ngoals = 0;
	id = draft_family(db, a, &f, x, NULL);
	assert_int_equal(step(db, a, sw, id, CONTRACT_SUBMIT, NULL, &v), 1);
	assert_true(has(&v, "goals", "main_goal", NULL));
	assert_true(has(&v, "actions", "no_actions", NULL));
	assert_true(has(&v, NULL, "adult_pro_employment", "Jan Kowalski"));
	assert_true(has(&v, NULL, "adult_pro_employment", "Anna Kowalska"));
	assert_true(has(&v, NULL, "child_support", "Ola Kowalska"));

	/* an adult whose only action is not pro-employment; a deadline outside; over the limit; not a partner */
	good_family(x, &f);
	x->actions[1].module = "family";
	x->actions[2].deadline = "2027-02-01";
	x->actions[0].institution_id = 5;
	x->budget[0].planned = 600000;
	v.n = 0;
	if (contract_update(db, a, &sw, id, x, 0, &v) != 0)
		has(&v, "-", "-", NULL);
	assert_int_equal(v.n, 0);
	assert_int_equal(step(db, a, sw, id, CONTRACT_SUBMIT, NULL, &v), 1);
	assert_true(has(&v, "members[1].person_id", "adult_pro_employment", "Anna Kowalska"));
	assert_true(has(&v, "actions[2].deadline", "deadline_outside", "2027-02-01"));
	assert_true(has(&v, "budget", "budget_limit", "6\u00a0000,00\u00a0zł"));
	assert_true(has(&v, "actions[0].institution_id", "not_lpiw_partner", "Działanie 1"));

	/* a text with a hidden control character (a right-to-left override) is refused, naming the field; lines are fine */
	good_family(x, &f);
	x->causes = "Zadłużenie\nbrak pracy \u202Eikswokok";
	v.n = 0;
	assert_int_equal(contract_update(db, a, &sw, id, x, 0, &v), 1);
	assert_true(has(&v, "causes", "invalid", "Przyczyny trudnej sytuacji"));
	x->causes = "Zadłużenie\nbrak pracy";
	v.n = 0;
	assert_int_equal(contract_update(db, a, &sw, id, x, 0, &v), 0);

	/* an institution's action with no LPIW action is refused unless marked outside the programme */
	good_family(x, &f);
	x->actions[0].lpiw_action_id = 0;
	v.n = 0;
	assert_int_equal(contract_update(db, a, &sw, id, x, 0, &v), 0);
	assert_int_equal(step(db, a, sw, id, CONTRACT_SUBMIT, NULL, &v), 1);
	assert_true(has(&v, "actions[0].lpiw_action_id", "no_lpiw_action", NULL));
	x->actions[0].outside_lpiw = 1;
	v.n = 0;
	assert_int_equal(contract_update(db, a, &sw, id, x, 0, &v), 0);
	assert_int_equal(step(db, a, sw, id, CONTRACT_SUBMIT, NULL, &v), 0);

	/* variant B without the vocational data */
	base(x, &f);
	x->actions[0] = act(0, "pro_employment", "2026-02-01");
	x->nactions = 1;
	v.n = 0;
	assert_int_equal(contract_create(db, a, &sw, &nb, x, &id, &v), 0);
	assert_int_equal(step(db, a, sw, id, CONTRACT_SUBMIT, NULL, &v), 1);
	assert_true(has(&v, "education", "vocational", NULL));
	assert_true(has(&v, "employment_barriers", "vocational", NULL));

	/* field checks at saving: a dropped action needs its reason, a member must be a member */
	good_family(x, &f);
	x->actions[1].status = "dropped";
	x->actions[2].member_person_id = 99;
	v.n = 0;
	assert_int_equal(contract_update(db, a, &sw, id, x, 0, &v), 1);
	assert_true(has(&v, "actions[1].drop_reason", "required", NULL));
	assert_true(has(&v, "actions[2].member_person_id", "not_member", NULL));
	arena_free(a);
}

static void test_workflow(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(16u << 20);
	struct contract_content *x = arena_zalloc(a, sizeof(*x));
	struct contract_actor sw = SW, guard = GUARD, coord = COORD;
	struct contract_task tasks[4];
	struct contract_step s;
	struct contract c;
	struct fixture f;
	struct verrs v = VERRS_INIT;
	int64_t id, n = 0;

	seed(db);
	county(db, a, &f);
	good_family(x, &f);
	id = draft_family(db, a, &f, x, "written");
	/* the coordinator cannot approve a draft (state); the guardian cannot approve at all (role) */
	assert_int_equal(step(db, a, coord, id, CONTRACT_APPROVE, NULL, &v), CONTRACT_STATE);
	assert_int_equal(step(db, a, guard, id, CONTRACT_SUBMIT, NULL, &v), 0);
	v.n = 0;
	assert_int_equal(step(db, a, guard, id, CONTRACT_APPROVE, NULL, &v), CONTRACT_FORBIDDEN);
	assert_true(has(&v, "", "role", NULL));
	assert_int_equal(step(db, a, sw, id, CONTRACT_RETURN, "x", &v), CONTRACT_FORBIDDEN);
	/* return needs a comment */
	v.n = 0;
	assert_int_equal(step(db, a, coord, id, CONTRACT_RETURN, NULL, &v), 1);
	assert_true(has(&v, "", "comment_required", NULL));
	v.n = 0;
	if (step(db, a, coord, id, CONTRACT_RETURN, "Dodać termin", &v) != 0)
		has(&v, "-", "-", NULL);
	assert_int_equal(v.n, 0);
	assert_int_equal(contract_read(db, a, &sw, id, 0, &c, x), 0);
	assert_string_equal(c.state, "returned");
	assert_string_equal(x->return_comment, "Dodać termin");
	/* fixed and submitted again, approved at a meeting */
	good_family(x, &f);
	x->actions[1].title = "Staż";
	v.n = 0;
	assert_int_equal(contract_update(db, a, &guard, id, x, 0, &v), 0);
	assert_int_equal(step(db, a, sw, id, CONTRACT_SUBMIT, NULL, &v), 0);
	{
		struct meeting m = { .team_id = f.pzkw, .held_on = "2026-01-15", .agenda = "Kontrakty",
				     .attendees = f.pzkw_members, .nattendees = 2 };
		int64_t mid;

		assert_int_equal(meeting_create(db, a, &admin, &m, &mid, &v), 0);
		memset(&s, 0, sizeof(s));
		s.meeting_id = mid;
		s.method = "vote";
		s.votes_for = 2;
		s.votes_against = 1; /* three votes, two present: refused, naming the field */
		assert_int_equal(contract_transition(db, a, &coord, id, CONTRACT_APPROVE, &s, &v), 1);
		assert_true(has(&v, "votes_for", "exceeds_attendance", "(3) przekracza liczbę członków obecnych na posiedzeniu (2)"));
		v.n = 0;
		s.votes_against = 0;
		assert_int_equal(contract_transition(db, a, &coord, id, CONTRACT_APPROVE, &s, &v), 0);
		assert_true(s.decision_id > 0);
	}
	assert_int_equal(step(db, a, coord, id, CONTRACT_APPROVE, NULL, &v), CONTRACT_STATE);
	assert_int_equal(step(db, a, sw, id, CONTRACT_ACTIVATE, NULL, &v), 0);
	/* the start page's reminders: the three actions' deadlines (early 2026) have passed */
	{
		int o = -1, d = -1, k = -1;

		assert_int_equal(contract_reminders(db, &sw, &o, &d, &k), 0);
		assert_int_equal(o, 3);
		assert_int_equal(d, 0);
		assert_int_equal(contract_reminders(db, &coord, &o, &d, &k), 0);
		assert_int_equal(o, 3);
		assert_int_equal(k, 0);
		/* a done action leaves the count (and the partial index of planned actions, 0024), back when planned */
		assert_int_equal(contract_progress(db, a, &sw, id, 1, "done", NULL, "Zaświadczenie", 0, 0, &v), 0);
		assert_int_equal(contract_reminders(db, &coord, &o, &d, &k), 0);
		assert_int_equal(o, 2);
		assert_int_equal(contract_progress(db, a, &sw, id, 1, "planned", NULL, NULL, 0, 0, &v), 0);
		assert_int_equal(contract_reminders(db, &coord, &o, &d, &k), 0);
		assert_int_equal(o, 3);
	}
	/* amendment: version 2 pending, version 1 in force; changing an active version is refused */
	assert_int_equal(contract_update(db, a, &sw, id, x, 0, &v), CONTRACT_STATE);
	assert_int_equal(step(db, a, sw, id, CONTRACT_AMEND, NULL, &v), 0);
	assert_int_equal(step(db, a, sw, id, CONTRACT_AMEND, NULL, &v), CONTRACT_STATE);
	assert_int_equal(contract_read(db, a, &sw, id, 0, &c, x), 0);
	assert_int_equal(c.current_version, 1);
	assert_int_equal(c.pending_version, 2);
	assert_string_equal(c.state, "active");
	assert_int_equal(contract_read(db, a, &sw, id, 2, &c, x), 0);
	x->actions[2].title = "Basen";
	v.n = 0;
	assert_int_equal(contract_update(db, a, &sw, id, x, 0, &v), 0);
	assert_int_equal(step(db, a, sw, id, CONTRACT_SUBMIT, NULL, &v), 0);
	{
		int o, d, k = 0;

		assert_int_equal(contract_reminders(db, &coord, &o, &d, &k), 0);
		assert_int_equal(k, 1); /* the submitted amendment awaits the PZKW */
		assert_int_equal(contract_reminders(db, &guard, &o, &d, &k), 0);
		assert_int_equal(o, 3); /* the guardian's own, with the consent */
	}
	assert_int_equal(step(db, a, coord, id, CONTRACT_APPROVE, NULL, &v), 0);
	assert_int_equal(contract_read(db, a, &sw, id, 0, &c, x), 0);
	assert_int_equal(c.current_version, 2);
	assert_int_equal(c.pending_version, 0);
	assert_string_equal(x->actions[2].title, "Basen");
	assert_int_equal(contract_read(db, a, &sw, id, 1, &c, x), 0);
	assert_string_equal(x->state, "superseded");
	assert_string_equal(x->actions[2].title, "Działanie");
	/* termination for non-cooperation needs the art. 11 consequence and leaves a task */
	memset(&s, 0, sizeof(s));
	s.end_reason = "non_cooperation";
	v.n = 0;
	assert_int_equal(contract_transition(db, a, &sw, id, CONTRACT_TERMINATE, &s, &v), CONTRACT_FORBIDDEN);
	assert_int_equal(contract_transition(db, a, &coord, id, CONTRACT_TERMINATE, &s, &v), 1);
	assert_true(has(&v, "art11_consequence", "required", NULL));
	s.art11_consequence = "suspend";
	assert_int_equal(contract_transition(db, a, &coord, id, CONTRACT_TERMINATE, &s, &v), 0);
	assert_int_equal(contract_tasks(db, a, 1, tasks, 4), 1);
	assert_int_equal(tasks[0].contract_id, id);
	assert_int_equal(step(db, a, coord, id, CONTRACT_TERMINATE, NULL, &v), CONTRACT_STATE);
	/* every transition is an event and an audit row */
	assert_int_equal(db_get_int(db, &n, &(const struct db_sql)DB_SQL("SELECT COUNT(*) FROM contract_event WHERE "
									 "contract_id = ?"), "i", id), DB_ROW);
	assert_int_equal(n, 14); /* with the two progress updates */
	assert_int_equal(db_get_int(db, &n, &(const struct db_sql)DB_SQL("SELECT COUNT(*) FROM audit_log WHERE "
									 "action = 'contract.approve'"), NULL), DB_ROW);
	assert_int_equal(n, 2);
	arena_free(a);
}

static void test_complete(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(16u << 20);
	struct contract_content *x = arena_zalloc(a, sizeof(*x));
	struct contract_actor sw = SW, coord = COORD;
	struct contract_step s;
	struct contract c;
	struct fixture f;
	struct verrs v = VERRS_INIT;
	int64_t id;

	seed(db);
	county(db, a, &f);
	good_family(x, &f);
	x->goals[1] = (struct contract_goal){ .kind = "specific", .text = "Szkoła" };
	x->ngoals = 2;
	id = draft_family(db, a, &f, x, "written");
	assert_int_equal(step(db, a, coord, id, CONTRACT_COMPLETE, NULL, &v), CONTRACT_STATE);
	assert_int_equal(step(db, a, sw, id, CONTRACT_SUBMIT, NULL, &v), 0);
	assert_int_equal(step(db, a, coord, id, CONTRACT_APPROVE, NULL, &v), 0);
	assert_int_equal(step(db, a, coord, id, CONTRACT_ACTIVATE, NULL, &v), 0);
	memset(&s, 0, sizeof(s));
	s.evaluations[0] = "achieved";
	s.evaluations[1] = "partly";
	v.n = 0;
	assert_int_equal(contract_transition(db, a, &coord, id, CONTRACT_COMPLETE, &s, &v), 1);
	assert_true(has(&v, "goals[1].reason", "reason_required", "Szkoła"));
	s.reasons[1] = "Nieobecności";
	assert_int_equal(contract_transition(db, a, &sw, id, CONTRACT_COMPLETE, &s, &v), CONTRACT_FORBIDDEN);
	assert_int_equal(contract_transition(db, a, &coord, id, CONTRACT_COMPLETE, &s, &v), 0);
	assert_int_equal(contract_read(db, a, &sw, id, 0, &c, x), 0);
	assert_string_equal(c.state, "completed");
	assert_string_equal(x->goals[1].evaluation, "partly");
	arena_free(a);
}

static void test_access(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(16u << 20);
	struct contract_content *x = arena_zalloc(a, sizeof(*x));
	struct contract_actor sw = SW, la = LA, guard = GUARD, coord = COORD, ngo = NGO;
	struct contract_row rows[8];
	struct contract_filter all = { 0 };
	struct contract c;
	struct fixture f;
	int64_t with, without;

	seed(db);
	county(db, a, &f);
	good_family(x, &f);
	x->special_notes = "Uzależnienie";
	with = draft_family(db, a, &f, x, "written");
	good_family(x, &f);
	without = draft_family(db, a, &f, x, NULL);
	assert_int_equal(contract_head(db, a, with, &c), 0);
	assert_int_equal(contract_access(db, &sw, &c), CONTRACT_VIEW_FULL);
	assert_int_equal(contract_access(db, &guard, &c), CONTRACT_VIEW_FULL);
	assert_int_equal(contract_access(db, &coord, &c), CONTRACT_VIEW_FULL);
	assert_int_equal(contract_access(db, &la, &c), CONTRACT_VIEW_NO_SPECIAL); /* the PUP sits on the PZKW */
	assert_int_equal(contract_access(db, &ngo, &c), CONTRACT_VIEW_NONE);
	assert_int_equal(contract_read(db, a, &la, with, 0, &c, x), 0);
	assert_null(x->special_notes);
	assert_int_equal(x->special_hidden, 1);
	assert_int_equal(contract_read(db, a, &coord, with, 0, &c, x), 0);
	assert_string_equal(x->special_notes, "Uzależnienie");
	/* without the family's consent only the owner sees it */
	assert_int_equal(contract_read(db, a, &guard, without, 0, &c, x), CONTRACT_NOT_FOUND);
	assert_int_equal(contract_read(db, a, &coord, without, 0, &c, x), CONTRACT_NOT_FOUND);
	assert_int_equal(contract_list(db, a, &sw, &all, rows, 8), 2);
	assert_int_equal(contract_list(db, a, &coord, &all, rows, 8), 1);
	assert_int_equal(rows[0].id, with);
	assert_int_equal(contract_list(db, a, &ngo, &all, rows, 8), 0);
	/* a withdrawn consent closes it again */
	assert_int_equal(db_exec(db, "UPDATE consent SET withdrawn_on = '2000-01-01'"), 0);
	assert_int_equal(contract_read(db, a, &guard, with, 0, &c, x), CONTRACT_NOT_FOUND);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_workflow),
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_access),
	};

	i18n_init();
	return TESTDB_RUN("coop_contract", tests, 1);
}
