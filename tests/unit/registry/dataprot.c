/*
 * tests/unit/registry/dataprot.c — the data-subject report and retention
 * (src/registry/dataprot.c) on the demo database (SQLite, and PostgreSQL
 * with RAZEM_TEST_PG_URL): the report of an own person holds its parts and
 * records them plus "person.report"; another institution's person is
 * refused; a list read naming the person is found among those who saw it;
 * retention lists only records past their period, anonymises them (blank
 * identity, kept statistics, history and audit rows, the household's
 * address once all its members are done) and finds nothing afterwards;
 * a record with recent activity is not due.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/password.h"
#include "auth/role.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/log.h"
#include "demo/demo.h"
#include "registry/dataprot.h"
#include "../testdb.h"

#define T(state) ((struct testdb *)*(state))

static void build(struct db *db)
{
	char err[512] = "";

	if (demo_build(db, err, sizeof(err)) != 0)
		fail_msg("demo_build: %s", err);
}

static struct policy_read reader(struct db *db, struct arena *a, struct audit_reads *log, int64_t inst)
{
	struct policy_read r;

	memset(&r, 0, sizeof(r));
	r.db = db;
	r.arena = a;
	r.actor.user_id = 2; /* pracownik */
	r.actor.roles = ROLE_BIT(ROLE_SOCIAL_WORKER);
	r.actor.institution_id = inst;
	r.kind = POLICY_PERSON;
	r.purpose = PURPOSE_CASEWORK;
	r.log = log;
	return r;
}

static int64_t count(struct db *db, const char *fmt, int64_t id)
{
	char sql[600];

	snprintf(sql, sizeof(sql), fmt, (long long)id);
	return testdb_count(db, sql);
}

static void test_report(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(64u << 20);
	struct audit_reads log = AUDIT_READS_INIT;
	struct audit_actor who = { 2, "pracownik", 0, "127.0.0.1" };
	struct dataprot_report *rep = arena_zalloc(a, sizeof(*rep));
	struct policy_read r;
	struct buf b;
	int64_t id, inst, other;
	int i, found = 0;

	build(db);
	id = testdb_count(db, "SELECT MIN(p.id) FROM person p JOIN family_member m ON m.person_id = p.id "
			      "JOIN institution i ON i.id = p.institution_id WHERE i.kind = 'mops'");
	inst = dataprot_owner(db, id);
	assert_true(inst > 0);
	assert_int_equal(dataprot_owner(db, 999999), 0);
	who.institution_id = inst;
	/* a list page that showed the person, as the search records it */
	assert_int_equal(audit_write(db, &who, "person.list", "person", NULL,
				     arena_printf(a, "shown=2 total=2 ids=1%lld,%lld query=q=x", (long long)id,
						  (long long)id)),
			 DB_OK);
	r = reader(db, a, &log, inst);
	assert_int_equal(dataprot_report(&r, id, rep), POLICY_OK);
	assert_int_equal(rep->person.id, id);
	assert_non_null(rep->person.pesel);
	assert_true(rep->family_id > 0);
	assert_true(rep->nmembers >= 1);
	assert_true(rep->nreasons >= 1); /* every demo household has one */
	assert_true(rep->nhistory >= 3);  /* person, family, member */
	/* the list page above names the person; its first id (1ID) does not count twice */
	for (i = 0; i < rep->naccess; i++)
		found += strcmp(rep->access[i].action, "person.list") == 0;
	assert_int_equal(found, 1);
	/* every part recorded, the report last */
	assert_true(log.n >= 4);
	assert_string_equal(log.r[log.n - 1].action, "person.report");
	assert_string_equal(log.r[log.n - 1].entity_id, arena_printf(a, "%lld", (long long)id));
	assert_int_equal(audit_reads_flush(db, &who, &log), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.report' AND "
				   "entity_id = '%lld'", id),
			 1);
	/* rendered, escaped, in Polish */
	buf_init(&b, 1u << 22);
	dataprot_html(&b, a, rep);
	assert_false(b.failed);
	assert_non_null(strstr(buf_str(&b), "<h2>Tożsamość i kontakt</h2>"));
	assert_non_null(strstr(buf_str(&b), rep->person.pesel));
	buf_reset(&b);
	dataprot_text(&b, a, rep);
	assert_non_null(strstr(buf_str(&b), "Kto widział lub zmieniał dane"));
	buf_release(&b);
	/* another institution's person: refused, and the refusal recorded */
	other = testdb_count(db, "SELECT MIN(p.id) FROM person p JOIN institution i ON i.id = p.institution_id "
				 "WHERE i.kind = 'ops'");
	log.n = 0;
	r = reader(db, a, &log, inst);
	assert_int_equal(dataprot_report(&r, other, rep), POLICY_DENIED);
	assert_string_equal(r.decision.code, "other_institution");
	assert_int_equal(log.n, 1);
	assert_string_equal(log.r[0].action, "person.read_denied");
	arena_free(a);
}

struct seen {
	int64_t persons, interviews, first_person;
};

static int note(void *ctx, const struct retention_item *it)
{
	struct seen *s = ctx;

	if (strcmp(it->kind, "person") == 0) {
		if (s->persons++ == 0)
			s->first_person = it->id;
	} else {
		s->interviews++;
	}
	assert_non_null(it->institution);
	assert_int_equal(strlen(it->last_activity), 10);
	assert_int_equal(strlen(it->due), 10);
	return 0;
}

static void test_retention(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(64u << 20);
	struct retention_policy p = { 10, 10, 0, 0 };
	struct audit_actor who = { 0, "(test)", 0, "local" };
	struct seen s = { 0, 0, 0 }, again = { 0, 0, 0 };
	struct retention_item it;
	int64_t n, id, fam;

	build(db);
	n = retention_scan(db, a, &p, note, &s);
	assert_true(n > 10);
	assert_int_equal(n, s.persons + s.interviews);
	id = s.first_person;
	/* only records whose last activity is older than the period */
	{
		char now[CLOCK_ISO_LEN], sql[300];

		clock_iso(clock_now(), now);
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM record_history WHERE person_id = %lld AND "
			 "at >= '%04d%s'", (long long)id, (int)strtol(now, NULL, 10) - 10, now + 4);
		assert_int_equal(testdb_count(db, sql), 0);
	}
	/* a longer period: fewer (or none) */
	p.person_years = 20;
	assert_true(retention_scan(db, a, &p, note, &again) < n);
	p.person_years = 10;
	/* anonymise the first one */
	fam = count(db, "SELECT MIN(family_id) FROM family_member WHERE person_id = %lld", id);
	memset(&it, 0, sizeof(it));
	it.kind = "person";
	it.id = id;
	it.institution_id = dataprot_owner(db, id);
	it.last_activity = "2010-01-01";
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(retention_anonymise(db, a, &p, &who, &it), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM person WHERE id = %lld AND pesel IS NULL AND "
				   "surname = '—' AND phone IS NULL AND street IS NULL AND town IS NULL AND "
				   "anonymised_at IS NOT NULL AND sex IS NOT NULL AND terc IS NOT NULL AND "
				   "birth_date LIKE '%%-01-01'", id),
			 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM record_history WHERE entity = 'person' AND "
				   "entity_id = %lld AND change = 'anonymise'", id),
			 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.anonymise' AND "
				   "entity_id = '%lld'", id),
			 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM benefit WHERE person_id = %lld AND "
				   "decision_number IS NOT NULL", id),
			 0);
	/* a second time: no longer due, nothing written */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(retention_anonymise(db, a, &p, &who, &it), 1);
	assert_int_equal(db_commit(db), 0);
	/* the rest of the run: the household goes once all its members are anonymised */
	{
		struct seen rest = { 0, 0, 0 };

		assert_int_equal(retention_scan(db, a, &p, note, &rest), n - 1);
	}
	assert_int_equal(db_begin(db), 0);
	{
		/* anonymise every member of the first person's household */
		char sql[300];
		struct db_stmt *st;
		int64_t ids[16];
		int k = 0, j, rc;

		snprintf(sql, sizeof(sql), "SELECT person_id FROM family_member WHERE family_id = %lld AND "
			 "person_id <> %lld", (long long)fam, (long long)id);
		st = db_prepare_dynamic(db, sql);
		assert_non_null(st);
		while ((rc = db_step(st)) == DB_ROW && k < 16)
			ids[k++] = db_col_int(st, 0);
		db_reset(st);
		for (j = 0; j < k; j++) {
			it.id = ids[j];
			assert_int_equal(retention_anonymise(db, a, &p, &who, &it), 0);
		}
	}
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM family WHERE id = %lld AND anonymised_at IS NOT "
				   "NULL AND street IS NULL AND town IS NULL AND terc IS NOT NULL", fam),
			 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'family.anonymise' AND "
				   "entity_id = '%lld'", fam),
			 1);
	/* a record changed today is not due, whatever its age */
	{
		int64_t recent = testdb_count(db, "SELECT MAX(id) FROM person WHERE anonymised_at IS NULL");

		it.id = recent;
		assert_int_equal(db_begin(db), 0);
		assert_int_equal(retention_anonymise(db, a, &p, &who, &it), 1);
		assert_int_equal(db_commit(db), 0);
	}
	arena_free(a);
}

static void test_csv_line(void **state)
{
	struct arena *a = arena_new(1 << 20);
	struct retention_item it = { "person", 7, 3, "Stowarzyszenie \"Dłoń\"", "2012-01-02", "2022-01-02" };

	(void)state;
	assert_string_equal(retention_csv_line(a, &it, 0),
			    "osoba;7;\"Stowarzyszenie \"\"Dłoń\"\"\";2012-01-02;2022-01-02;do anonimizacji\r\n");
	it.kind = "interview";
	assert_string_equal(retention_csv_line(a, &it, 1),
			    "wywiad;7;\"Stowarzyszenie \"\"Dłoń\"\"\";2012-01-02;2022-01-02;zanonimizowano\r\n");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_retention),
		testdb_plain(test_csv_line),
	};

	log_set_level(LOG_ERROR + 1);
	if (password_init() != 0 || i18n_init() != 0)
		return 1;
	i18n_set_lang(LANG_PL);
	return TESTDB_RUN("dataprot", tests, 1);
}
