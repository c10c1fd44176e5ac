/*
 * tests/unit/coop/referral.c — referrals on a migrated database (SQLite,
 * and PostgreSQL with RAZEM_TEST_PG_URL): creation by record (one's own,
 * or the recipient's named by an earlier referral; never a third's) and by
 * PESEL (validated; one per partner with an agreement in force, sharing a
 * batch; none without a partner); the transitions allowed and refused
 * (accept twice, refuse without a reason, link before accepting, a
 * decision by the sender, a non-party); the privacy of messages and names
 * (a third institution reads nothing, a sender never learns the
 * recipient's names, lists name no one).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "auth/role.h"
#include "coop/consent.h"
#include "coop/referral.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "../testdb.h"

#define T(state) ((struct testdb *)*(state))
#define SW ROLE_BIT(ROLE_SOCIAL_WORKER)
#define LA ROLE_BIT(ROLE_LABOUR_ADVISER)
#define PESEL_ANNA "44051401458"
#define PESEL_NOBODY "02070803628"

/*
 * Institutions 1 (MOPS), 2 (PUP), 3 (GOPS), 4 (OPS with no agreement);
 * users 1 (worker of 1), 2 (adviser of 2), 3 (worker of 3), 4 (analyst of 1);
 * persons 1 (Anna, PESEL_ANNA) and 2 of institution 1, person 3 of 3 (same PESEL).
 * Agreements in force 1–2 and 2–3; 2–4 terminated.
 */
static void seed(struct db *db)
{
	const char *now = "'2026-01-01T00:00:00Z'";
	char q[6000];

	snprintf(q, sizeof(q),
		 "INSERT INTO institution (kind, name, name_fold, created_at, updated_at) VALUES "
		 "('mops', 'MOPS', 'mops', %s, %s), ('pup', 'PUP', 'pup', %s, %s),"
		 "('ops', 'GOPS', 'gops', %s, %s), ('ops', 'OPS bez', 'ops bez', %s, %s);"
		 "INSERT INTO app_user (login, full_name, name_fold, institution_id, password_hash, "
		 "created_at, updated_at) VALUES ('sw', 'Social Worker', 'social worker', 1, 'x', %s, %s),"
		 "('la', 'Labour Adviser', 'labour adviser', 2, 'x', %s, %s),"
		 "('gw', 'Gops Worker', 'gops worker', 3, 'x', %s, %s),"
		 "('an', 'Analyst', 'analyst', 1, 'x', %s, %s);"
		 "INSERT INTO person (institution_id, first_names, surname, surname_fold, first_fold, pesel, "
		 "created_at, updated_at) VALUES (1, 'Anna', 'Nowak', 'nowak', 'anna', '" PESEL_ANNA "', %s, %s),"
		 "(1, 'Jan', 'Nowak', 'nowak', 'jan', NULL, %s, %s),"
		 "(3, 'Anna', 'Nowak', 'nowak', 'anna', '" PESEL_ANNA "', %s, %s);",
		 now, now, now, now, now, now, now, now, now, now, now, now, now, now, now, now, now, now,
		 now, now, now, now);
	if (db_exec(db, q) != 0)
		fail_msg("seed: %s", db_errmsg(db));
	/* the agreements of 0015 (their own module writes them; the rows are enough here) */
	if (db_exec(db,
		    "INSERT INTO agreement (id, subject, signed_on, valid_from, valid_to, duration, status, "
		    "terminated_on, created_at, updated_at) VALUES "
		    "(1, 'MOPS–PUP', '2025-01-01', '2025-01-01', NULL, 'indefinite', 'signed', NULL, 'x', 'x'),"
		    "(2, 'PUP–GOPS', '2025-01-01', '2025-01-01', '2099-12-31', 'multi_year', 'signed', NULL, 'x', 'x'),"
		    "(3, 'PUP–OPS', '2025-01-01', '2025-01-01', NULL, 'indefinite', 'terminated', '2025-06-01', 'x', 'x');"
		    "INSERT INTO agreement_party (agreement_id, institution_id) VALUES (1, 1), (1, 2), (2, 2), "
		    "(2, 3), (3, 2), (3, 4);") != 0)
		fail_msg("agreements: %s", db_errmsg(db));
}

static struct registry_writer writer_of(int64_t user, unsigned roles, int64_t inst)
{
	struct registry_writer w = { { user, roles, inst, 0 }, { user, "tester", inst, "127.0.0.1" } };

	return w;
}

static int64_t count(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare_dynamic(db, sql);
	int64_t n;

	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	n = db_col_int(st, 0);
	db_reset(st);
	return n;
}

static void test_create_by_record(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct registry_writer sw = writer_of(1, SW, 1), la = writer_of(2, LA, 2), an = writer_of(4, ROLE_BIT(ROLE_ANALYST), 1);
	struct referral_new n = { .person_id = 1, .to_institution_id = 2, .purpose = "labour_market_activation",
				  .message = "  Pani Anna szuka pracy.  " };
	struct verrs v = VERRS_INIT;
	struct referral r;
	int64_t ids[4];
	int nids;

	seed(db);
	i18n_set_lang(LANG_EN);
	assert_int_equal(referral_create(db, a, &sw, &n, ids, 4, &nids, &v), 0);
	assert_int_equal(nids, 1);
	assert_int_equal(referral_get(db, a, 2, ids[0], &r), 0);
	assert_string_equal(r.state, "requested");
	assert_string_equal(r.message, "Pani Anna szuka pracy.");
	assert_int_equal(r.batch, 0);
	/* the sender disclosed its own record by sending: the recipient reads the name */
	assert_string_equal(r.person_name, "Anna Nowak");
	assert_string_equal(r.from_name, "MOPS");
	/* the adviser may name the MOPS record now (from the referral received), not another */
	n = (struct referral_new){ .person_id = 1, .to_institution_id = 1, .purpose = "social_contract" };
	assert_int_equal(referral_create(db, a, &la, &n, ids, 4, &nids, &v), 0);
	n = (struct referral_new){ .person_id = 2, .to_institution_id = 1, .purpose = "social_contract" };
	assert_int_equal(referral_create(db, a, &la, &n, ids, 4, &nids, &v), 1);
	assert_string_equal(v.e[0].field, "person_id");
	assert_string_equal(v.e[0].code, "not_found");
	v.n = 0;
	/* a record that does not exist is refused the same way */
	n.person_id = 999;
	assert_int_equal(referral_create(db, a, &la, &n, ids, 4, &nids, &v), 1);
	assert_string_equal(v.e[0].code, "not_found");
	v.n = 0;
	/* to oneself, no recipient, unknown purpose, too long a message */
	n = (struct referral_new){ .person_id = 1, .to_institution_id = 1, .purpose = "gossip" };
	assert_int_equal(referral_create(db, a, &sw, &n, ids, 4, &nids, &v), 1);
	assert_int_equal(v.n, 2);
	assert_string_equal(v.e[0].field, "to_institution_id");
	assert_string_equal(v.e[1].field, "purpose");
	v.n = 0;
	n = (struct referral_new){ .person_id = 1, .to_institution_id = 99, .purpose = "statistics" };
	assert_int_equal(referral_create(db, a, &sw, &n, ids, 4, &nids, &v), 1);
	assert_string_equal(v.e[0].field, "to_institution_id");
	v.n = 0;
	/* roles: the analyst does not send referrals */
	n = (struct referral_new){ .person_id = 1, .to_institution_id = 2, .purpose = "statistics" };
	assert_int_equal(referral_create(db, a, &an, &n, ids, 4, &nids, &v), 1);
	assert_string_equal(v.e[0].code, "role");
	assert_int_equal(count(db, "SELECT count(*) FROM referral"), 2);
	/* the recipient does not record a consent for the sender's record */
	v.n = 0;
	{
		struct referral_accept acc = { .consent = 1 };

		assert_int_equal(referral_accept(db, a, &la, 1, &acc, &v), 1);
		assert_string_equal(v.e[0].code, "not_yours");
		v.n = 0;
	}
	arena_free(a);
}

static void test_pesel_to_all_partners(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct registry_writer la = writer_of(2, LA, 2), gw = writer_of(3, SW, 3);
	struct referral_new n = { .pesel = PESEL_ANNA, .purpose = "labour_market_activation",
				  .message = "Czy to Państwa klientka?" };
	struct verrs v = VERRS_INIT;
	struct referral r, *rows;
	int64_t ids[8];
	int nids;

	seed(db);
	i18n_set_lang(LANG_EN);
	/* PUP's partners in force: MOPS (1) and GOPS (3); the terminated agreement with 4 is not */
	assert_int_equal(referral_create(db, a, &la, &n, ids, 8, &nids, &v), 0);
	assert_int_equal(nids, 2);
	assert_int_equal(referral_get(db, a, 2, ids[0], &r), 0);
	assert_int_equal(r.to_institution_id, 1);
	assert_int_equal(r.batch, ids[0]);
	assert_int_equal(r.person_id, 0);
	assert_int_equal(referral_get(db, a, 2, ids[1], &r), 0);
	assert_int_equal(r.to_institution_id, 3);
	assert_int_equal(r.batch, ids[0]);
	assert_int_equal(count(db, "SELECT count(*) FROM referral WHERE to_institution_id = 4"), 0);
	/* each partner sees its own request only */
	assert_int_equal(referral_get(db, a, 3, ids[0], &r), REFERRAL_NOT_FOUND);
	assert_int_equal(referral_list(db, a, 3, REFERRAL_RECEIVED, NULL, &rows, 10), 1);
	assert_int_equal(rows[0].id, ids[1]);
	assert_null(rows[0].person_name);
	assert_int_equal(referral_count(db, 2, REFERRAL_SENT, "requested"), 2);
	assert_int_equal(referral_count(db, 1, REFERRAL_RECEIVED, "requested"), 1);
	/* a bad PESEL; neither record nor PESEL; both */
	n.pesel = "44051401459";
	assert_int_equal(referral_create(db, a, &la, &n, ids, 8, &nids, &v), 1);
	assert_string_equal(v.e[0].field, "pesel");
	assert_string_equal(v.e[0].code, "invalid");
	v.n = 0;
	n.pesel = NULL;
	assert_int_equal(referral_create(db, a, &la, &n, ids, 8, &nids, &v), 1);
	assert_string_equal(v.e[0].code, "required");
	v.n = 0;
	/* an institution without partners must name the recipient */
	n = (struct referral_new){ .pesel = PESEL_NOBODY, .purpose = "statistics" };
	gw.policy.institution_id = 4;
	gw.audit.institution_id = 4;
	assert_int_equal(referral_create(db, a, &gw, &n, ids, 8, &nids, &v), 1);
	assert_string_equal(v.e[0].code, "no_partner");
	arena_free(a);
}

static void test_transitions(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct registry_writer la = writer_of(2, LA, 2), sw = writer_of(1, SW, 1), gw = writer_of(3, SW, 3);
	struct referral_new n = { .pesel = PESEL_ANNA, .purpose = "labour_market_activation" };
	struct referral_accept acc = { 0 };
	struct verrs v = VERRS_INIT;
	struct referral r;
	int64_t ids[8];
	int nids;

	seed(db);
	i18n_set_lang(LANG_EN);
	assert_int_equal(referral_create(db, a, &la, &n, ids, 8, &nids, &v), 0);
	/* link before accepting */
	assert_int_equal(referral_link(db, a, &sw, ids[0], "person", 1, &v), 1);
	assert_string_equal(v.e[0].code, "state");
	v.n = 0;
	/* the sender does not decide; a non-party is not told the referral exists */
	assert_int_equal(referral_accept(db, a, &la, ids[0], &acc, &v), 1);
	assert_string_equal(v.e[0].code, "forbidden");
	v.n = 0;
	assert_int_equal(referral_accept(db, a, &gw, ids[0], &acc, &v), REFERRAL_NOT_FOUND);
	assert_int_equal(referral_refuse(db, a, &gw, ids[0], "x", &v), REFERRAL_NOT_FOUND);
	/* refuse without a reason */
	assert_int_equal(referral_refuse(db, a, &sw, ids[0], "   ", &v), 1);
	assert_string_equal(v.e[0].field, "reason");
	assert_string_equal(v.e[0].code, "required");
	v.n = 0;
	/* accept: the record with the PESEL becomes the one named; the sender sees no name */
	assert_int_equal(referral_accept(db, a, &sw, ids[0], &acc, &v), 0);
	assert_int_equal(referral_get(db, a, 2, ids[0], &r), 0);
	assert_string_equal(r.state, "accepted");
	assert_int_equal(r.person_id, 1);
	assert_int_equal(r.decided_by, 1);
	assert_non_null(r.decided_at);
	assert_null(r.person_name);
	assert_null(r.person_pesel);
	assert_int_equal(referral_get(db, a, 1, ids[0], &r), 0);
	assert_string_equal(r.person_name, "Anna Nowak");
	/* accept twice, refuse after accepting */
	assert_int_equal(referral_accept(db, a, &sw, ids[0], &acc, &v), 1);
	assert_string_equal(v.e[0].code, "state");
	v.n = 0;
	assert_int_equal(referral_refuse(db, a, &sw, ids[0], "nie", &v), 1);
	assert_string_equal(v.e[0].code, "state");
	v.n = 0;
	/* link: a bad kind, someone else's record, then the sender's own record */
	assert_int_equal(referral_link(db, a, &la, ids[0], "lunch", 1, &v), 1);
	assert_string_equal(v.e[0].field, "kind");
	v.n = 0;
	assert_int_equal(referral_link(db, a, &la, ids[0], "person", 1, &v), 1);
	assert_string_equal(v.e[0].field, "linked_id");
	v.n = 0;
	assert_int_equal(referral_link(db, a, &la, ids[0], "episode", 77, &v), 1); /* no such episode */
	assert_string_equal(v.e[0].field, "linked_id");
	v.n = 0;
	assert_int_equal(referral_link(db, a, &la, ids[0], "contract", 77, &v), 0);
	assert_int_equal(referral_get(db, a, 1, ids[0], &r), 0);
	assert_string_equal(r.state, "linked");
	assert_string_equal(r.linked_kind, "contract");
	assert_int_equal(r.linked_id, 77);
	assert_int_equal(referral_link(db, a, &la, ids[0], "contract", 78, &v), 1);
	assert_string_equal(v.e[0].code, "state");
	v.n = 0;
	/* GOPS holds the PESEL too, and answers "not our client" anyway: its choice */
	assert_int_equal(referral_refuse(db, a, &gw, ids[1], " Nie jest naszym klientem. ", &v), 0);
	assert_int_equal(referral_get(db, a, 2, ids[1], &r), 0);
	assert_string_equal(r.state, "refused");
	assert_string_equal(r.refusal_reason, "Nie jest naszym klientem.");
	assert_int_equal(r.person_id, 0); /* nothing of GOPS's records reaches the sender */
	/* a consent needs a record of the recipient */
	n = (struct referral_new){ .pesel = PESEL_NOBODY, .to_institution_id = 1, .purpose = "social_contract" };
	assert_int_equal(referral_create(db, a, &la, &n, ids, 8, &nids, &v), 0);
	acc.consent = 1;
	assert_int_equal(referral_accept(db, a, &sw, ids[0], &acc, &v), 1);
	assert_string_equal(v.e[0].field, "consent");
	v.n = 0;
	/* a record chosen on acceptance must be the recipient's own */
	acc = (struct referral_accept){ .person_id = 3 };
	assert_int_equal(referral_accept(db, a, &sw, ids[0], &acc, &v), 1);
	assert_string_equal(v.e[0].field, "person_id");
	v.n = 0;
	/* accepted with the person's consent: the view opens for the purpose, to the sender */
	n = (struct referral_new){ .pesel = PESEL_ANNA, .to_institution_id = 1, .purpose = "social_contract" };
	assert_int_equal(referral_create(db, a, &la, &n, ids, 8, &nids, &v), 0);
	assert_int_equal(consent_covers(db, 1, 2, "social_contract", NULL), 0);
	acc = (struct referral_accept){ .consent = 1 };
	assert_int_equal(referral_accept(db, a, &sw, ids[0], &acc, &v), 0);
	assert_true(acc.consent_id > 0);
	assert_int_equal(consent_covers(db, 1, 2, "social_contract", NULL), 1);
	assert_int_equal(consent_covers(db, 1, 3, "social_contract", NULL), 0);
	arena_free(a);
}

static void test_privacy(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct registry_writer sw = writer_of(1, SW, 1);
	struct referral_new n = { .person_id = 2, .to_institution_id = 2, .purpose = "social_contract",
				  .message = "Poufne: sytuacja rodzinna." };
	struct verrs v = VERRS_INIT;
	struct referral r, *rows;
	int64_t ids[2];
	int nids;

	seed(db);
	i18n_set_lang(LANG_EN);
	assert_int_equal(referral_create(db, a, &sw, &n, ids, 2, &nids, &v), 0);
	/* a third institution: not found, nothing in its lists */
	assert_int_equal(referral_get(db, a, 3, ids[0], &r), REFERRAL_NOT_FOUND);
	assert_int_equal(referral_list(db, a, 3, REFERRAL_RECEIVED, NULL, &rows, 10), 0);
	assert_int_equal(referral_list(db, a, 3, REFERRAL_SENT, NULL, &rows, 10), 0);
	/* both parties read the message; the command line (0) too */
	assert_int_equal(referral_get(db, a, 2, ids[0], &r), 0);
	assert_string_equal(r.message, "Poufne: sytuacja rodzinna.");
	assert_int_equal(referral_get(db, a, 1, ids[0], &r), 0);
	assert_string_equal(r.message, "Poufne: sytuacja rodzinna.");
	assert_int_equal(referral_get(db, a, 0, ids[0], &r), 0);
	/* lists of the parties: the message travels, no name */
	assert_int_equal(referral_list(db, a, 2, REFERRAL_RECEIVED, "requested", &rows, 10), 1);
	assert_null(rows[0].person_name);
	assert_int_equal(referral_list(db, a, 2, REFERRAL_RECEIVED, "accepted", &rows, 10), 0);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_by_record),
		cmocka_unit_test(test_pesel_to_all_partners),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_privacy),
	};

	i18n_init();
	return TESTDB_RUN("referral", tests, 1);
}
