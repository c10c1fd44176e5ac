/*
 * tests/unit/coop/sharing.c — the sharing rule (policy.c
 * cross_institution(), coop/consent.c) as a matrix: roles × agreement
 * between the owner and the reader (none, in force, expired, terminated)
 * × consent (none, valid, withdrawn, another purpose, statute, all
 * partners under the agreement) × purpose of the view × field category
 * (identity, contact, health) → allowed or denied, the code, the mask.
 * The pure decision first (given the facts), then person_read() on a
 * migrated database (SQLite, and PostgreSQL with RAZEM_TEST_PG_URL):
 * the facts read at each request (a withdrawal holds at the next read),
 * every decision in the read log with its purpose, the list scope, the
 * consent's validation and its owner's rights.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "coop/agreement.h"
#include "coop/consent.h"
#include "coop/episode.h"
#include "coop/view.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/str.h"
#include "policy/policy.h"
#include "../testdb.h"
#include "../registry/world.h"
#include "registry/family.h"
#include "registry/situation.h"

#define T(state) ((struct testdb *)*(state))

#define WORKER ROLE_BIT(ROLE_SOCIAL_WORKER)
#define ADVISER ROLE_BIT(ROLE_LABOUR_ADVISER)
#define GUARDIAN ROLE_BIT(ROLE_GUARDIAN)
#define ANALYST ROLE_BIT(ROLE_ANALYST)
#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define COORD ROLE_BIT(ROLE_COORDINATOR)

/* ------------------------------------------------------------------ */
/* The decision, given the facts                                       */
/* ------------------------------------------------------------------ */

static void test_decision_matrix(void **state)
{
	static const unsigned roles[] = { WORKER, ADVISER, GUARDIAN, ANALYST, ADMIN, COORD, WORKER | ADVISER };
	size_t r;
	int pup, agr, con;
	unsigned data; /* every subset of the agreement's data categories */

	(void)state;
	for (r = 0; r < sizeof(roles) / sizeof(roles[0]); r++)
		for (pup = 0; pup < 2; pup++)
			for (agr = 0; agr < 2; agr++)
				for (con = 0; con < 2; con++)
				for (data = 0; data <= DATA_ALL; data++) {
					struct policy_coop c;
					struct policy_actor who = { 7, roles[r], 2, 0 };
					struct policy_subject s = { POLICY_PERSON, 40, 1, 0, &c };
					struct policy_decision d;
					int casework = (roles[r] & (WORKER | ADVISER | GUARDIAN)) != 0;
					int rc;

					memset(&c, 0, sizeof(c));
					c.purpose = "labour_market_activation";
					c.purpose_label = "aktywizacja zawodowa";
					c.owner_name = "MOPS Brzozowo";
					c.reader_name = "PUP Brzozowo";
					c.agreement = agr;
					c.consent = con;
					c.labour_market = pup;
					c.data = data;
					rc = policy_decide(&who, &s, PURPOSE_CASEWORK, &d);
					if (!casework) {
						assert_int_equal(rc, POLICY_DENIED);
						assert_string_equal(d.code, "role");
						continue;
					}
					if (!agr) {
						assert_int_equal(rc, POLICY_DENIED);
						assert_string_equal(d.code, "no_agreement");
						assert_non_null(strstr(d.reason, "MOPS Brzozowo"));
						assert_non_null(strstr(d.reason, "PUP Brzozowo"));
						assert_int_equal(d.mask, 0);
						continue;
					}
					if (!con) {
						assert_int_equal(rc, POLICY_DENIED);
						assert_string_equal(d.code, "no_consent");
						assert_non_null(strstr(d.reason, "aktywizacja zawodowa"));
						continue;
					}
					if (!(data & DATA_BIT(DATA_IDENTITY))) {
						/* without identity among the categories nothing can be shown */
						assert_int_equal(rc, POLICY_DENIED);
						assert_string_equal(d.code, "not_in_agreement");
						assert_non_null(strstr(d.reason, "MOPS Brzozowo"));
						assert_int_equal(d.mask, 0);
						continue;
					}
					assert_int_equal(rc, 0);
					assert_string_equal(d.code, "allowed");
					assert_true(d.record);
					assert_int_equal(d.data, data); /* the sections: the agreement's categories */
					/* the field categories: each class only when its category flows */
					assert_true(d.mask & SENS_BIT(SENS_IDENTITY));
					assert_int_equal(!!(d.mask & SENS_BIT(SENS_CONTACT)), !!(data & DATA_BIT(DATA_CONTACT)));
					assert_int_equal(!!(d.mask & SENS_BIT(SENS_SOCIAL)), !!(data & DATA_BIT(DATA_SOCIAL)));
					/* special categories: no agreement category carries them, for any role */
					assert_int_equal(d.mask & SENS_SPECIAL, 0);
				}
}

static void test_decision_without_facts(void **state)
{
	struct policy_actor who = { 7, WORKER, 2, 0 };
	struct policy_subject s = { POLICY_PERSON, 40, 1, 0, NULL };
	struct policy_subject fam = { POLICY_FAMILY, 40, 1, 0, NULL };
	struct policy_decision d;

	(void)state;
	assert_int_equal(policy_decide(&who, &s, PURPOSE_CASEWORK, &d), POLICY_DENIED);
	assert_string_equal(d.code, "other_institution");
	assert_int_equal(policy_decide(&who, &fam, PURPOSE_COOPERATION, &d), POLICY_DENIED);
	assert_string_equal(d.code, "no_agreement");
	assert_string_equal(d.scope.sql, "0 = 1");
}

static void test_reasons_polish(void **state)
{
	struct policy_coop c;
	struct policy_actor who = { 7, ADVISER, 2, 0 };
	struct policy_subject s = { POLICY_PERSON, 40, 1, 0, &c };
	struct policy_decision d;

	(void)state;
	i18n_set_lang(LANG_PL);
	memset(&c, 0, sizeof(c));
	c.purpose_label = "aktywizacja zawodowa";
	c.owner_name = "MOPS Brzozowo";
	c.reader_name = "PUP Brzozowo";
	assert_int_equal(policy_decide(&who, &s, PURPOSE_CASEWORK, &d), POLICY_DENIED);
	assert_non_null(strstr(d.reason, "brak porozumienia między MOPS Brzozowo a PUP Brzozowo"));
	c.agreement = 1;
	assert_int_equal(policy_decide(&who, &s, PURPOSE_CASEWORK, &d), POLICY_DENIED);
	assert_non_null(strstr(d.reason, "brak zgody osoby na cel „aktywizacja zawodowa”"));
}

/* ------------------------------------------------------------------ */
/* On the database                                                     */
/* ------------------------------------------------------------------ */

enum agr_state { AGR_NONE, AGR_FORCE, AGR_EXPIRED, AGR_TERMINATED, AGR__MAX };
enum con_state { CON_NONE, CON_VALID, CON_WITHDRAWN, CON_OTHER, CON_STATUTE, CON_ALL, CON__MAX };

struct coop_world {
	struct world w;
	int64_t owner;                   /* MOPS (w.inst) */
	int64_t reader[AGR__MAX];        /* PUP per agreement state */
	int64_t agreement[AGR__MAX];
	int64_t ops_reader;              /* an OPS with an agreement in force */
	int64_t ops_agreement;
	int64_t adviser[AGR__MAX], worker[AGR__MAX], analyst_pup;
	int64_t ops_worker, ops_adviser;
	int64_t person[CON__MAX];
};

static int64_t inst_of_kind(struct world *w, const char *kind, const char *name)
{
	struct institution in = { .kind = kind, .name = name };
	struct verrs v = VERRS_INIT;
	int64_t id = 0;

	assert_int_equal(institution_validate(&in, w->a, &v), 0);
	assert_int_equal(institution_create(w->db, w->a, &in, &id, &v), 0);
	return id;
}

static int64_t add_agreement(struct world *w, int64_t a, int64_t b, const char *from, const char *to,
			     const char *status, const char *terminated)
{
	struct audit_actor who = { w->admin, "root", w->inst, "192.0.2.1" };
	struct agreement ag;
	struct verrs v = VERRS_INIT;
	int64_t id = 0;
	int rc;

	memset(&ag, 0, sizeof(ag));
	ag.subject = "Porozumienie o współpracy";
	ag.signed_on = from;
	ag.valid_from = from;
	ag.valid_to = to;
	ag.status = status;
	ag.terminated_on = terminated;
	ag.parties[0] = a;
	ag.parties[1] = b;
	ag.nparties = 2;
	ag.forms[0] = "information_exchange";
	ag.nforms = 1;
	ag.data[ag.ndata++] = "identity";
	ag.data[ag.ndata++] = "contact";
	ag.data[ag.ndata++] = "social";
	ag.data[ag.ndata++] = "labour_status";
	ag.data[ag.ndata++] = "support";
	rc = agreement_create(w->db, w->a, &who, &ag, &id, &v);
	if (rc != 0)
		fail_msg("agreement_create: %d %s %s", rc, v.n > 0 ? v.e[0].field : "", v.n > 0 ? v.e[0].message : "");
	return id;
}

static int64_t add_consent(struct coop_world *cw, int64_t person, int64_t recipient, int64_t agreement,
			   const char *purpose, const char *basis)
{
	struct registry_writer wr = world_worker(&cw->w);
	struct consent c;
	struct verrs v = VERRS_INIT;
	int rc;

	memset(&c, 0, sizeof(c));
	c.person_id = person;
	c.recipient_institution_id = recipient;
	c.agreement_id = agreement;
	c.purpose = purpose;
	c.basis = basis;
	c.statute_article = str_eq(basis, "statute") ? "art. 9a ust. 15 u.p.p.r." : NULL;
	c.given_form = str_eq(basis, "consent") ? "written" : NULL;
	c.valid_from = "2024-01-01";
	c.valid_to = "2099-12-31";
	assert_int_equal(db_begin(cw->w.db), 0);
	rc = consent_create(cw->w.db, &wr, &c, &v);
	if (rc != 0)
		fail_msg("consent_create: %d %s", rc, v.n > 0 ? v.e[0].message : db_errmsg(cw->w.db));
	assert_int_equal(db_commit(cw->w.db), 0);
	return c.id;
}

static void coop_world_init(struct coop_world *cw, struct db *db)
{
	static const char *const names[AGR__MAX] = { "PUP bez porozumienia", "PUP Brzozowo", "PUP Dawne",
						     "PUP Rozwiązane" };
	struct registry_writer wr;
	char login[32];
	int a, k;

	memset(cw, 0, sizeof(*cw));
	world_init(&cw->w, db);
	cw->owner = cw->w.inst;
	for (a = 0; a < AGR__MAX; a++) {
		cw->reader[a] = inst_of_kind(&cw->w, "pup", names[a]);
		snprintf(login, sizeof(login), "doradca%d", a);
		cw->adviser[a] = world_user(&cw->w, arena_strdup(cw->w.a, login), cw->reader[a], ADVISER);
		snprintf(login, sizeof(login), "pracownik%d", a);
		cw->worker[a] = world_user(&cw->w, arena_strdup(cw->w.a, login), cw->reader[a], WORKER);
	}
	cw->analyst_pup = world_user(&cw->w, "analityk", cw->reader[AGR_FORCE], ANALYST);
	cw->agreement[AGR_FORCE] = add_agreement(&cw->w, cw->owner, cw->reader[AGR_FORCE], "2024-01-01", NULL,
						 "signed", NULL);
	cw->agreement[AGR_EXPIRED] = add_agreement(&cw->w, cw->owner, cw->reader[AGR_EXPIRED], "2020-01-01",
						   "2021-12-31", "signed", NULL);
	cw->agreement[AGR_TERMINATED] = add_agreement(&cw->w, cw->owner, cw->reader[AGR_TERMINATED],
						      "2022-01-01", NULL, "terminated", "2024-06-30");
	cw->ops_reader = inst_of_kind(&cw->w, "ops", "GOPS Partnerski");
	cw->ops_worker = world_user(&cw->w, "gops_pracownik", cw->ops_reader, WORKER);
	cw->ops_adviser = world_user(&cw->w, "gops_doradca", cw->ops_reader, ADVISER);
	cw->ops_agreement = add_agreement(&cw->w, cw->owner, cw->ops_reader, "2024-01-01", NULL, "signed", NULL);

	wr = world_worker(&cw->w);
	for (k = 0; k < CON__MAX; k++) {
		char pesel[12];
		struct person p = { .first_names = "Anna", .surname = "Zgodna", .birth_date = "1990-05-17",
				    .sex = "K", .town = "Brzozowo", .disability = "moderate",
				    .disability_from = "2020-01-01" };

		snprintf(pesel, sizeof(pesel), "9005170%d%d%d%d", k, 1, 2, 3);
		p.surname = arena_printf(cw->w.a, "Zgodna%c", 'a' + k);
		cw->person[k] = add_person(&cw->w, &wr, p);
	}
	/* every consent to every reader (and the OPS), each of its kind */
	for (a = 0; a <= AGR__MAX; a++) {
		int64_t inst = a < AGR__MAX ? cw->reader[a] : cw->ops_reader;
		int64_t agr = a < AGR__MAX ? cw->agreement[a] : cw->ops_agreement;
		int64_t id;
		struct verrs v = VERRS_INIT;

		add_consent(cw, cw->person[CON_VALID], inst, 0, "labour_market_activation", "consent");
		id = add_consent(cw, cw->person[CON_WITHDRAWN], inst, 0, "labour_market_activation", "consent");
		assert_int_equal(consent_withdraw(cw->w.db, &wr, id, "2025-01-01", &v), 0);
		add_consent(cw, cw->person[CON_OTHER], inst, 0, "social_contract", "consent");
		add_consent(cw, cw->person[CON_STATUTE], inst, 0, "labour_market_activation", "statute");
		if (agr > 0)
			add_consent(cw, cw->person[CON_ALL], 0, agr, "labour_market_activation", "consent");
	}
}

/* expect() says what the rule must answer: "allowed", or the code. */
static const char *expect(enum agr_state a, enum con_state c, const char *purpose, int casework)
{
	int lma = str_eq(purpose, "labour_market_activation");

	if (!casework)
		return "role";
	if (a != AGR_FORCE)
		return "no_agreement";
	if ((lma && (c == CON_VALID || c == CON_STATUTE || c == CON_ALL)) || (!lma && c == CON_OTHER))
		return "allowed";
	return "no_consent";
}

static void read_as(struct coop_world *cw, int64_t user, unsigned roles, int64_t inst, int64_t person,
		    const char *purpose, int *rc, struct person *p, struct policy_read *r, struct audit_reads *log)
{
	*r = reader(&cw->w, user, roles, inst, log);
	r->coop_purpose = purpose != NULL ? purpose : "labour_market_activation";
	memset(p, 0, sizeof(*p));
	*rc = person_read(r, person, p);
}

static void test_db_matrix(void **state)
{
	static const char *const purposes[] = { "labour_market_activation", "social_contract" };
	struct coop_world cw;
	int a, c, k, role;

	coop_world_init(&cw, T(state)->db);
	for (a = 0; a < AGR__MAX; a++)
		for (c = 0; c < CON__MAX; c++)
			for (k = 0; k < 2; k++)
				for (role = 0; role < 3; role++) {
					struct audit_reads log = AUDIT_READS_INIT;
					struct policy_read r;
					struct person p;
					int64_t user = role == 0   ? cw.adviser[a]
						       : role == 1 ? cw.worker[a]
								   : cw.analyst_pup;
					unsigned roles = role == 0 ? ADVISER : role == 1 ? WORKER : ANALYST;
					int64_t inst = role == 2 ? cw.reader[AGR_FORCE] : cw.reader[a];
					const char *want;
					int rc;

					if (role == 2 && a != AGR_FORCE)
						continue;
					want = expect((enum agr_state)a, (enum con_state)c, purposes[k], role != 2);
					read_as(&cw, user, roles, inst, cw.person[c], purposes[k], &rc, &p, &r, &log);
					if (!str_eq(r.decision.code, want))
						fail_msg("agreement %d consent %d purpose %s role %d: %s, expected %s", a, c,
							 purposes[k], role, r.decision.code, want);
					assert_int_equal(log.n, 1); /* every decision recorded */
					if (str_eq(want, "allowed")) {
						assert_int_equal(rc, POLICY_OK);
						assert_non_null(p.surname);          /* identity */
						assert_string_equal(p.town, "Brzozowo"); /* contact */
						assert_null(p.disability);           /* health: never to a labour office */
						assert_null(p.disability_from);
						assert_string_equal(log.r[0].action, "person.read");
						assert_string_equal(log.r[0].detail,
								    arena_printf(cw.w.a, "purpose=cooperation:%s",
										 purposes[k]));
					} else {
						assert_int_equal(rc, POLICY_DENIED);
						assert_null(p.surname);
						assert_string_equal(log.r[0].action, "person.read_denied");
						assert_string_equal(log.r[0].detail,
								    arena_printf(cw.w.a, "reason=%s purpose=cooperation:%s",
										 want, purposes[k]));
					}
				}
	world_free(&cw.w);
}

/* A social-assistance partner (OPS) sees identity and contact under consent, never health. */
static void test_db_ops_partner(void **state)
{
	struct coop_world cw;
	struct audit_reads log = AUDIT_READS_INIT;
	struct policy_read r;
	struct person p;
	int rc;

	coop_world_init(&cw, T(state)->db);
	read_as(&cw, cw.ops_worker, WORKER, cw.ops_reader, cw.person[CON_VALID], NULL, &rc, &p, &r, &log);
	assert_int_equal(rc, POLICY_OK);
	assert_null(p.disability); /* special categories never flow under an agreement */
	log.n = 0;
	read_as(&cw, cw.ops_adviser, ADVISER, cw.ops_reader, cw.person[CON_VALID], NULL, &rc, &p, &r, &log);
	assert_int_equal(rc, POLICY_OK);
	assert_null(p.disability);
	/* the owner itself: everything, casework, no cooperation facts */
	log.n = 0;
	read_as(&cw, cw.w.worker, WORKER, cw.owner, cw.person[CON_NONE], NULL, &rc, &p, &r, &log);
	assert_int_equal(rc, POLICY_OK);
	assert_string_equal(p.disability, "moderate");
	assert_string_equal(log.r[0].detail, "purpose=casework");
	world_free(&cw.w);
}

/* Withdrawal and the agreement's end hold at the next read: nothing is cached. */
static void test_db_withdraw_next_read(void **state)
{
	struct coop_world cw;
	struct registry_writer wr;
	struct audit_reads log = AUDIT_READS_INIT;
	struct policy_read r;
	struct person p;
	struct verrs v = VERRS_INIT;
	struct consent list[8];
	int64_t id;
	int rc, n;

	coop_world_init(&cw, T(state)->db);
	wr = world_worker(&cw.w);
	id = add_consent(&cw, cw.person[CON_NONE], cw.reader[AGR_FORCE], 0, "labour_market_activation", "consent");
	assert_int_equal(consent_covers(cw.w.db, cw.person[CON_NONE], cw.reader[AGR_FORCE],
					"labour_market_activation", NULL), 1);
	read_as(&cw, cw.adviser[AGR_FORCE], ADVISER, cw.reader[AGR_FORCE], cw.person[CON_NONE], NULL, &rc, &p,
		&r, &log);
	assert_int_equal(rc, POLICY_OK);
	assert_int_equal(consent_withdraw(cw.w.db, &wr, id, NULL, &v), 0);
	assert_int_equal(consent_withdraw(cw.w.db, &wr, id, NULL, &v), 1); /* once */
	assert_string_equal(v.e[0].code, "withdrawn");
	log.n = 0;
	read_as(&cw, cw.adviser[AGR_FORCE], ADVISER, cw.reader[AGR_FORCE], cw.person[CON_NONE], NULL, &rc, &p,
		&r, &log);
	assert_int_equal(rc, POLICY_DENIED);
	assert_string_equal(r.decision.code, "no_consent");
	assert_int_equal(consent_covers(cw.w.db, cw.person[CON_NONE], cw.reader[AGR_FORCE],
					"labour_market_activation", NULL), 0);
	n = consent_list(cw.w.db, cw.w.a, cw.person[CON_NONE], list, 8);
	assert_int_equal(n, 1);
	assert_non_null(list[0].withdrawn_on);
	assert_string_equal(list[0].recipient_name, "PUP Brzozowo");
	/* the agreement's end: the valid consent no longer opens the record */
	{
		struct audit_actor who = { cw.w.admin, "root", cw.w.inst, "192.0.2.1" };
		struct verrs v2 = VERRS_INIT;

		assert_int_equal(agreement_terminate(cw.w.db, &who, cw.agreement[AGR_FORCE], NULL, &v2), 0);
	}
	log.n = 0;
	read_as(&cw, cw.adviser[AGR_FORCE], ADVISER, cw.reader[AGR_FORCE], cw.person[CON_VALID], NULL, &rc, &p,
		&r, &log);
	assert_int_equal(rc, POLICY_DENIED);
	assert_string_equal(r.decision.code, "no_agreement");
	world_free(&cw.w);
}

static int64_t scope_count(struct db *db, const struct list_scope *s)
{
	char sql[4096];
	struct db_stmt *st;
	int64_t n = -1;
	int i;

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM person p WHERE p.deleted_at IS NULL AND (%s)", s->sql);
	st = db_prepare_dynamic(db, sql);
	assert_non_null(st);
	for (i = 0; i < s->nargs; i++)
		if (list_scope_arg(s, i)->type == 't')
			db_bind_text(st, i + 1, list_scope_arg(s, i)->t);
		else
			db_bind_int(st, i + 1, list_scope_arg(s, i)->i);
	if (db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	db_reset(st);
	return n;
}

/* A cooperation list holds only the partners' records the rule opens; a search nothing else. */
static void test_db_list_scope(void **state)
{
	struct coop_world cw;
	struct policy_decision d;
	int a;

	coop_world_init(&cw, T(state)->db);
	for (a = 0; a < AGR__MAX; a++) {
		struct policy_actor who = { cw.adviser[a], ADVISER, cw.reader[a], 0 };
		struct policy_subject s = { POLICY_PERSON, 0, cw.reader[a], 0, NULL };

		assert_int_equal(policy_decide(&who, &s, PURPOSE_COOPERATION, &d), 0);
		/* valid, statute, all partners: 3 under the agreement in force, none otherwise */
		assert_int_equal(scope_count(cw.w.db, &d.scope), a == AGR_FORCE ? 3 : 0);
		assert_int_equal(policy_decide(&who, &s, PURPOSE_CASEWORK, &d), 0);
		assert_int_equal(scope_count(cw.w.db, &d.scope), 0); /* casework: own records only */
	}
	world_free(&cw.w);
}

/* An agreement's data categories are the view's mask: identity only, or none of identity. */
static void test_db_agreement_categories(void **state)
{
	struct coop_world cw;
	struct audit_reads log = AUDIT_READS_INIT;
	struct policy_read r;
	struct coop_view *v;
	int64_t ag;
	int rc;

	coop_world_init(&cw, T(state)->db);
	v = arena_zalloc(cw.w.a, sizeof(*v));
	ag = cw.agreement[AGR_FORCE];
	assert_true(db_exec(cw.w.db, arena_printf(cw.w.a, "DELETE FROM agreement_data WHERE agreement_id = %lld "
						   "AND category <> 'identity'", (long long)ag)) == 0);
	r = reader(&cw.w, cw.adviser[AGR_FORCE], ADVISER, cw.reader[AGR_FORCE], &log);
	r.coop_purpose = "labour_market_activation";
	rc = coop_view_read(&r, cw.person[CON_VALID], v);
	assert_int_equal(rc, POLICY_OK);
	assert_int_equal(v->data, DATA_BIT(DATA_IDENTITY));
	assert_non_null(v->person.surname);     /* identity: listed */
	assert_null(v->person.town);            /* contact: not listed */
	assert_null(v->person.education);       /* social: not listed */
	assert_int_equal(v->nstatuses, 0);
	assert_int_equal(log.n, 1);
	assert_string_equal(log.r[0].detail, "purpose=cooperation:labour_market_activation sections=identity");
	/* without identity among the categories: refused, and the refusal audited */
	assert_true(db_exec(cw.w.db, arena_printf(cw.w.a, "UPDATE agreement_data SET category = 'contact' "
						   "WHERE agreement_id = %lld", (long long)ag)) == 0);
	log.n = 0;
	r = reader(&cw.w, cw.adviser[AGR_FORCE], ADVISER, cw.reader[AGR_FORCE], &log);
	r.coop_purpose = "labour_market_activation";
	assert_int_equal(coop_view_read(&r, cw.person[CON_VALID], v), POLICY_DENIED);
	assert_string_equal(r.decision.code, "not_in_agreement");
	assert_int_equal(log.n, 1);
	assert_string_equal(log.r[0].detail, "reason=not_in_agreement purpose=cooperation:labour_market_activation");
	/* and a search finds nothing: the list scope asks for identity too */
	{
		struct policy_actor who = { cw.adviser[AGR_FORCE], ADVISER, cw.reader[AGR_FORCE], 0 };
		struct policy_subject s = { POLICY_PERSON, 0, cw.reader[AGR_FORCE], 0, NULL };
		struct policy_decision d;

		assert_int_equal(policy_decide(&who, &s, PURPOSE_COOPERATION, &d), 0);
		assert_int_equal(scope_count(cw.w.db, &d.scope), 0);
	}
	world_free(&cw.w);
}

static void in_tx(struct db *db, int rc, struct verrs *v)
{
	if (rc != 0)
		fail_msg("write refused: %d %s %s", rc, v->n > 0 ? v->e[0].field : "", v->n > 0 ? v->e[0].message : db_errmsg(db));
	assert_int_equal(db_commit(db), 0);
}

/* The partner's view: household (names only of members the rule opens), labour status, support; one read. */
static void test_db_partner_view(void **state)
{
	struct coop_world cw;
	struct registry_writer wr;
	struct audit_reads log = AUDIT_READS_INIT;
	struct policy_read r;
	struct coop_view *v;
	struct family f;
	struct labour_status ls;
	struct episode e;
	struct verrs vv = VERRS_INIT;
	int64_t fam = 0, id = 0, child, spouse;
	char buf[64];
	int i, shared = 0;

	coop_world_init(&cw, T(state)->db);
	wr = world_worker(&cw.w);
	v = arena_zalloc(cw.w.a, sizeof(*v));
	child = cw.person[CON_NONE];   /* no consent: only the relation is told */
	spouse = cw.person[CON_STATUTE]; /* a statutory basis for the purpose: shown */
	memset(&f, 0, sizeof(f));
	f.applicant_id = cw.person[CON_VALID];
	f.institution_id = cw.owner;
	f.town = "Brzozowo";
	assert_int_equal(family_validate(&f, cw.w.a, &vv), 0);
	assert_int_equal(db_begin(cw.w.db), 0);
	in_tx(cw.w.db, family_create(cw.w.db, cw.w.a, &wr, &f, &fam, &vv), &vv);
	assert_int_equal(db_begin(cw.w.db), 0);
	in_tx(cw.w.db, family_add_member(cw.w.db, cw.w.a, &wr, fam, child, "child", NULL, 0, &vv), &vv);
	assert_int_equal(db_begin(cw.w.db), 0);
	in_tx(cw.w.db, family_add_member(cw.w.db, cw.w.a, &wr, fam, spouse, "spouse", NULL, 0, &vv), &vv);
	/* registered unemployed for three years until today: long-term */
	memset(&ls, 0, sizeof(ls));
	ls.person_id = cw.person[CON_VALID];
	ls.institution_id = cw.owner;
	ls.status = "registered_unemployed";
	ls.from_date = "2023-01-02";
	assert_int_equal(status_validate(&ls, cw.w.a, &vv), 0);
	assert_int_equal(db_begin(cw.w.db), 0);
	in_tx(cw.w.db, status_create(cw.w.db, cw.w.a, &wr, &ls, &id, &vv), &vv);
	memset(&e, 0, sizeof(e));
	e.person_id = cw.person[CON_VALID];
	e.instrument_code = "training";
	e.start_date = "2025-03-01";
	e.planned_end = "2025-06-30";
	e.status = "completed";
	e.cost_grosze = 150000;
	assert_int_equal(episode_validate(cw.w.db, cw.w.a, &e, NULL, &vv), 0);
	assert_int_equal(db_begin(cw.w.db), 0);
	in_tx(cw.w.db, episode_create(cw.w.db, cw.w.a, &wr, &e, 1, &id, NULL, NULL, &vv), &vv);

	r = reader(&cw.w, cw.adviser[AGR_FORCE], ADVISER, cw.reader[AGR_FORCE], &log);
	r.coop_purpose = "labour_market_activation";
	assert_int_equal(coop_view_read(&r, cw.person[CON_VALID], v), POLICY_OK);
	assert_int_equal(v->data, DATA_ALL);
	assert_null(v->person.disability); /* never a special category */
	assert_string_equal(v->relation, "applicant");
	assert_int_equal(v->nmembers, 2);
	for (i = 0; i < v->nmembers; i++) {
		const struct view_member *m = &v->members[i];

		if (str_eq(m->relation, "spouse")) {
			assert_int_equal(m->person_id, spouse);
			assert_non_null(m->surname);
			shared++;
		} else {
			assert_string_equal(m->relation, "child");
			assert_int_equal(m->person_id, 0);
			assert_null(m->surname);
		}
	}
	assert_int_equal(shared, 1);
	assert_int_equal(v->nstatuses, 1);
	assert_true(v->long_term);
	assert_true(v->ltu_days > 365);
	assert_int_equal(v->nsupport, 1);
	assert_string_equal(v->support[0].instrument_code, "training");
	assert_string_equal(v->support[0].from, "2025-03-01");
	assert_false(v->support[0].own);
	/* one audit row for the person's view: the purpose, the sections, the other record shown;
	   and one naming the other record, for that person's data-subject report */
	assert_int_equal(log.n, 2);
	assert_null(log.r[1].entity_id);
	assert_string_equal(log.r[1].detail, arena_printf(cw.w.a, "ids=%lld of=%lld purpose=cooperation:"
							  "labour_market_activation", (long long)spouse,
							  (long long)cw.person[CON_VALID]));
	snprintf(buf, sizeof(buf), " also=%lld", (long long)spouse);
	assert_string_equal(log.r[0].action, "person.read");
	assert_non_null(strstr(log.r[0].detail, "purpose=cooperation:labour_market_activation "
						"sections=identity,contact,social,labour_status,support"));
	assert_non_null(strstr(log.r[0].detail, buf));
	/* the owner's own read is the plain record, recorded as casework */
	log.n = 0;
	r = reader(&cw.w, cw.w.worker, WORKER, cw.owner, &log);
	assert_int_equal(coop_view_read(&r, cw.person[CON_VALID], v), POLICY_OK);
	assert_string_equal(v->person.disability, "moderate");
	assert_int_equal(log.n, 1);
	assert_string_equal(log.r[0].detail, "purpose=casework");
	world_free(&cw.w);
}

static void test_db_consent_rules(void **state)
{
	struct coop_world cw;
	struct registry_writer other, analyst;
	struct consent c;
	struct verrs v = VERRS_INIT;

	coop_world_init(&cw, T(state)->db);
	memset(&c, 0, sizeof(c));
	assert_int_equal(consent_validate(&c, &v), 1);
	assert_true(verrs_has(&v, "person_id"));
	assert_true(verrs_has(&v, "purpose"));
	assert_true(verrs_has(&v, "recipient_institution_id"));
	assert_true(verrs_has(&v, "basis"));
	assert_true(verrs_has(&v, "valid_from"));
	v.n = 0;
	c.person_id = cw.person[CON_NONE];
	c.purpose = "labour_market_activation";
	c.recipient_institution_id = cw.reader[AGR_FORCE];
	c.basis = "statute";
	c.valid_from = "2025-01-01";
	c.valid_to = "2024-01-01";
	assert_int_equal(consent_validate(&c, &v), 1);
	assert_true(verrs_has(&v, "statute_article"));
	assert_true(verrs_has(&v, "valid_to"));
	/* only the owner's workers record consents */
	v.n = 0;
	c.valid_to = NULL;
	c.statute_article = "art. 50 ust. 2 u.p.z.";
	other = writer(cw.adviser[AGR_FORCE], ADVISER, cw.reader[AGR_FORCE], "doradca1");
	assert_int_equal(consent_create(cw.w.db, &other, &c, &v), PERSON_NOT_FOUND);
	analyst = writer(cw.w.admin, ADMIN, cw.owner, "root");
	assert_int_equal(consent_create(cw.w.db, &analyst, &c, &v), 1);
	assert_string_equal(v.e[0].code, "role");
	v.n = 0;
	c.purpose = "nonsense";
	analyst = world_worker(&cw.w);
	assert_int_equal(consent_create(cw.w.db, &analyst, &c, &v), 1);
	assert_true(verrs_has(&v, "purpose"));
	v.n = 0;
	c.purpose = "statistics";
	c.recipient_institution_id = cw.owner;
	assert_int_equal(consent_create(cw.w.db, &analyst, &c, &v), 1);
	assert_true(verrs_has(&v, "recipient_institution_id"));
	world_free(&cw.w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_plain(test_decision_matrix),
		testdb_plain(test_decision_without_facts),
		testdb_plain(test_reasons_polish),
		cmocka_unit_test(test_db_matrix),
		cmocka_unit_test(test_db_ops_partner),
		cmocka_unit_test(test_db_withdraw_next_read),
		cmocka_unit_test(test_db_list_scope),
		cmocka_unit_test(test_db_agreement_categories),
		cmocka_unit_test(test_db_partner_view),
		cmocka_unit_test(test_db_consent_rules),
	};

	log_set_level(LOG_ERROR + 1);
	i18n_init();
	return TESTDB_RUN("coop/sharing", tests, 1);
}
