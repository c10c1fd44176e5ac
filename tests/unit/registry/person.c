/*
 * tests/unit/registry/person.c — persons of the registry: validation
 * (PESEL vectors of DOMAIN.md §5.1, the birth date and sex derived from
 * the PESEL or disagreeing with it, documents, names, dates, postcode,
 * e-mail, TERC, disability), and on a migrated database (SQLite, and
 * PostgreSQL with RAZEM_TEST_PG_URL): create with its history row, update
 * with one exact row per field changed, the duplicate PESEL refused (also
 * when a concurrent transaction holds it), candidates, reads under the
 * policy (masked, another institution's refused and audited), folding
 * and search ranking, paging, soft delete hiding a person, the list.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/log.h"
#include "registry/history.h"
#include "registry/person.h"
#include "../testdb.h"
#include "world.h"

#define T(state) ((struct testdb *)*(state))
#define WORKER ROLE_BIT(ROLE_SOCIAL_WORKER)
#define ADVISER ROLE_BIT(ROLE_LABOUR_ADVISER)

/* validate() runs person_validate() on p in Polish and returns the error count. */
static int validate(struct arena *a, struct person *p, struct verrs *v)
{
	v->n = 0;
	return person_validate(p, a, v);
}

static const char *err(const struct verrs *v, const char *field)
{
	const char *m = verrs_for(v, field);

	return m != NULL ? m : "(none)";
}

static const char *code(const struct verrs *v, const char *field)
{
	int i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->e[i].field, field) == 0)
			return v->e[i].code;
	return "(none)";
}

static void test_dictionaries(void **state)
{
	(void)state;
	i18n_set_lang(LANG_PL);
	assert_string_equal(person_doc_kind_label("passport"), "Paszport");
	assert_string_equal(person_education_label("higher"), "Wyższe");
	assert_string_equal(person_disability_label("significant"), "Stopień znaczny");
	assert_string_equal(person_disability_label("huge"), "huge");
	assert_string_equal(person_doc_kind_label(NULL), "");
	assert_null(person_doc_kinds[4]);
	assert_null(person_educations[7]);
	assert_null(person_disabilities[4]);
}

static void test_validate_pesel(void **state)
{
	struct arena *a = arena_new(1 << 20);
	struct verrs v = VERRS_INIT;
	struct person p;

	(void)state;
	i18n_set_lang(LANG_PL);
	/* the vectors of DOMAIN.md §5.1: date and sex derived when not entered */
	p = (struct person){ .pesel = " 44051401458 ", .first_names = "Jan", .surname = "Nowak" };
	assert_int_equal(validate(a, &p, &v), 0);
	assert_string_equal(p.pesel, "44051401458");
	assert_string_equal(p.birth_date, "1944-05-14");
	assert_string_equal(p.sex, "M");
	p = (struct person){ .pesel = "02070803628", .first_names = "Ewa", .surname = "Nowak" };
	assert_int_equal(validate(a, &p, &v), 0);
	assert_string_equal(p.birth_date, "1902-07-08");
	assert_string_equal(p.sex, "K");
	p = (struct person){ .pesel = "02270803624", .first_names = "Ewa", .surname = "Nowak",
			     .birth_date = "2002-07-08", .sex = "k" };
	assert_int_equal(validate(a, &p, &v), 0);
	assert_string_equal(p.sex, "K");
	p = (struct person){ .pesel = "85123101236", .first_names = "Jan", .surname = "Nowak",
			     .birth_date = "31.12.1985" };
	assert_int_equal(validate(a, &p, &v), 0);
	assert_string_equal(p.birth_date, "1985-12-31");
	p = (struct person){ .pesel = "00810102349", .first_names = "Ewa", .surname = "Nowak" };
	assert_int_equal(validate(a, &p, &v), 0);
	assert_string_equal(p.birth_date, "1800-01-01");
	assert_string_equal(p.sex, "K");

	/* a wrong check digit: the precise rule, in Polish */
	p = (struct person){ .pesel = "44051401459", .first_names = "Jan", .surname = "Nowak" };
	assert_int_equal(validate(a, &p, &v), 1);
	assert_string_equal(code(&v, "pesel"), "invalid");
	assert_string_equal(err(&v, "pesel"), "Cyfra kontrolna PESEL (11. cyfra) powinna wynosić 8, a wynosi 9.");
	assert_null(p.birth_date); /* nothing derived from an invalid number */

	/* disagreement with what was entered names the field entered */
	p = (struct person){ .pesel = "02070803628", .first_names = "Ewa", .surname = "Nowak",
			     .birth_date = "1902-07-09", .sex = "M" };
	assert_int_equal(validate(a, &p, &v), 2);
	assert_string_equal(code(&v, "birth_date"), "pesel_mismatch");
	assert_string_equal(err(&v, "birth_date"),
			    "Data urodzenia 1902-07-09 nie zgadza się z numerem PESEL, z którego wynika "
			    "1902-07-08: popraw jedno z nich.");
	assert_string_equal(code(&v, "sex"), "pesel_mismatch");
	assert_string_equal(err(&v, "sex"),
			    "Płeć nie zgadza się z numerem PESEL: jego 10. cyfra (2) oznacza kobiety.");
	p = (struct person){ .pesel = "8512310123", .first_names = "Jan", .surname = "Nowak" };
	assert_int_equal(validate(a, &p, &v), 1);
	assert_string_equal(code(&v, "pesel"), "invalid");
	arena_free(a);
}

static void test_validate_fields(void **state)
{
	struct arena *a = arena_new(1 << 20);
	struct verrs v = VERRS_INIT;
	struct person p;
	char longname[210];

	(void)state;
	i18n_set_lang(LANG_PL);
	/* without a PESEL: a document or at least the birth date */
	p = (struct person){ .first_names = "Olena", .surname = "Kovalenko", .pesel = " " };
	assert_int_equal(validate(a, &p, &v), 1);
	assert_string_equal(code(&v, "pesel"), "required");
	p = (struct person){ .first_names = "Olena", .surname = "Kovalenko", .doc_kind = "passport",
			     .doc_number = "fa 123456", .citizenship = "ua" };
	assert_int_equal(validate(a, &p, &v), 0);
	assert_string_equal(p.doc_number, "FA 123456");
	assert_string_equal(p.citizenship, "UA");
	p = (struct person){ .first_names = "Olena", .surname = "Kovalenko", .birth_date = "1990-02-03" };
	assert_int_equal(validate(a, &p, &v), 0);
	/* a document is kind and number together */
	p = (struct person){ .first_names = "O", .surname = "K", .doc_kind = "passport" };
	assert_int_equal(validate(a, &p, &v), 1);
	assert_string_equal(code(&v, "doc_number"), "required");
	p = (struct person){ .first_names = "O", .surname = "K", .doc_number = "AB1" };
	assert_int_equal(validate(a, &p, &v), 1);
	assert_string_equal(code(&v, "doc_kind"), "required");
	p = (struct person){ .first_names = "O", .surname = "K", .doc_kind = "visa", .doc_number = "AB<1>" };
	assert_int_equal(validate(a, &p, &v), 2);
	assert_string_equal(code(&v, "doc_kind"), "invalid");
	assert_string_equal(code(&v, "doc_number"), "invalid");

	/* names */
	memset(longname, 'a', 201);
	longname[201] = '\0';
	p = (struct person){ .first_names = "", .surname = longname, .birth_surname = "Kowalska2",
			     .birth_date = "1990-01-01" };
	assert_int_equal(validate(a, &p, &v), 3);
	assert_string_equal(code(&v, "first_names"), "required");
	assert_string_equal(err(&v, "first_names"), "Wpisz imię.");
	assert_string_equal(code(&v, "surname"), "too_long");
	assert_string_equal(err(&v, "birth_surname"), "Imię ani nazwisko nie może zawierać cyfr.");
	p = (struct person){ .first_names = "Anna\xe2\x80\xae", .surname = "K", .birth_date = "1990-01-01" };
	assert_int_equal(validate(a, &p, &v), 1);
	assert_string_equal(code(&v, "first_names"), "invalid");

	/* dates: real, not in the future */
	p = (struct person){ .first_names = "A", .surname = "B", .birth_date = "1990-02-30" };
	assert_int_equal(validate(a, &p, &v), 1);
	assert_string_equal(err(&v, "birth_date"),
			    "Wpisz istniejącą datę w postaci RRRR-MM-DD (lub DD.MM.RRRR), np. 1985-12-31.");
	p = (struct person){ .first_names = "A", .surname = "B", .birth_date = "2999-01-01" };
	assert_int_equal(validate(a, &p, &v), 1);
	assert_string_equal(code(&v, "birth_date"), "future");
	assert_string_equal(err(&v, "birth_date"), "Data 2999-01-01 jest z przyszłości.");
	p = (struct person){ .first_names = "A", .surname = "B", .birth_date = "1990-01-01", .sex = "X" };
	assert_int_equal(validate(a, &p, &v), 1);
	assert_string_equal(code(&v, "sex"), "invalid");

	/* address and contact: normalised, then checked */
	p = (struct person){ .first_names = "A", .surname = "B", .birth_date = "1990-01-01",
			     .postcode = "99300", .email = " Anna.K@Example.PL ", .phone = "+48 600 100 200",
			     .terc = "3050022", .town = " Brzozowo " };
	assert_int_equal(validate(a, &p, &v), 0);
	assert_string_equal(p.postcode, "99-300");
	assert_string_equal(p.email, "anna.k@example.pl");
	assert_string_equal(p.town, "Brzozowo");
	p = (struct person){ .first_names = "A", .surname = "B", .birth_date = "1990-01-01",
			     .postcode = "9-9300", .email = "anna@", .phone = "12", .terc = "3050",
			     .education = "phd" };
	assert_int_equal(validate(a, &p, &v), 5);
	assert_string_equal(code(&v, "postcode"), "invalid");
	assert_string_equal(code(&v, "email"), "invalid");
	assert_string_equal(code(&v, "phone"), "invalid");
	assert_string_equal(code(&v, "terc"), "invalid");
	assert_string_equal(code(&v, "education"), "invalid");
	p = (struct person){ .first_names = "A", .surname = "B", .birth_date = "1990-01-01", .terc = "3050021" };
	assert_int_equal(validate(a, &p, &v), 0); /* well-formed; whether it exists is the register's */
	arena_free(a);
}

static void test_validate_disability(void **state)
{
	struct arena *a = arena_new(1 << 20);
	struct verrs v = VERRS_INIT;
	struct person p;

	(void)state;
	i18n_set_lang(LANG_PL);
	p = (struct person){ .first_names = "A", .surname = "B", .birth_date = "1990-01-01",
			     .disability = "moderate", .disability_from = "2020-01-01",
			     .disability_to = "2030-01-01" };
	assert_int_equal(validate(a, &p, &v), 0);
	p.disability_to = "2019-12-31";
	assert_int_equal(validate(a, &p, &v), 1);
	assert_string_equal(code(&v, "disability_to"), "order");
	assert_string_equal(err(&v, "disability_to"),
			    "Orzeczenie o niepełnosprawności nie może wygasać przed datą, od której obowiązuje.");
	p = (struct person){ .first_names = "A", .surname = "B", .birth_date = "1990-01-01",
			     .disability = "none", .disability_from = "2020-01-01" };
	assert_int_equal(validate(a, &p, &v), 1);
	assert_string_equal(code(&v, "disability"), "required");
	p = (struct person){ .first_names = "A", .surname = "B", .birth_date = "1990-01-01",
			     .disability = "heavy", .disability_from = "2020-13-01" };
	assert_int_equal(validate(a, &p, &v), 2);
	assert_string_equal(code(&v, "disability"), "invalid");
	assert_string_equal(code(&v, "disability_from"), "invalid");
	arena_free(a);
}

/* history_rows() is the number of history rows of person id with this change. */
static int64_t history_rows(struct db *db, int64_t id, const char *change)
{
	char sql[200];

	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM record_history WHERE person_id = %lld AND change = '%s'",
		 (long long)id, change);
	return testdb_count(db, sql);
}

static void test_create_update_history(void **state)
{
	struct world w;
	struct registry_writer wr;
	struct verrs v = VERRS_INIT;
	struct audit_reads log = AUDIT_READS_INIT;
	struct policy_read r;
	struct history_row h[10];
	struct person p, got;
	int64_t id;
	int n;

	world_init(&w, T(state)->db);
	wr = world_worker(&w);
	id = add_person(&w, &wr, (struct person){ .pesel = "85123101236", .first_names = "Jan",
						  .surname = "Kowalski", .town = "Brzozowo" });
	assert_int_equal(history_rows(w.db, id, "create"), 1);
	assert_int_equal(testdb_count(w.db, "SELECT COUNT(*) FROM record_history"), 1);
	assert_int_equal(testdb_count(w.db, "SELECT COUNT(*) FROM record_history WHERE entity = 'person' "
					    "AND field IS NULL AND actor = 'anna' AND user_id IS NOT NULL"),
			 1);
	/* the lead worker is who created the record; folds are stored */
	assert_int_equal(person_get(w.db, w.a, id, &got), 0);
	assert_int_equal(got.lead_worker_id, w.worker);
	assert_string_equal(got.birth_date, "1985-12-31");
	assert_int_equal(testdb_count(w.db, "SELECT COUNT(*) FROM person WHERE surname_fold = 'kowalski' "
					    "AND first_fold = 'jan' AND town_fold = 'brzozowo'"),
			 1);

	/* an update writes one row per field changed, with the exact old and new values */
	p = got;
	p.surname = "Kowalski-Nowak";
	p.phone = "600100200";
	p.town = "Brzozowo";
	assert_int_equal(person_validate(&p, w.a, &v), 0);
	assert_int_equal(db_begin(w.db), 0);
	assert_int_equal(person_update(w.db, w.a, &wr, &p, &v), 0);
	assert_int_equal(db_commit(w.db), 0);
	assert_int_equal(history_rows(w.db, id, "update"), 2);
	assert_int_equal(testdb_count(w.db, "SELECT COUNT(*) FROM record_history WHERE field = 'surname' "
					    "AND old_value = 'Kowalski' AND new_value = 'Kowalski-Nowak'"),
			 1);
	assert_int_equal(testdb_count(w.db, "SELECT COUNT(*) FROM record_history WHERE field = 'phone' "
					    "AND old_value IS NULL AND new_value = '600100200'"),
			 1);
	/* nothing changed: no row */
	assert_int_equal(db_begin(w.db), 0);
	assert_int_equal(person_update(w.db, w.a, &wr, &p, &v), 0);
	assert_int_equal(db_commit(w.db), 0);
	assert_int_equal(history_rows(w.db, id, "update"), 2);

	/* the history as read back: newest first; an adviser sees the field, not the PESEL's values */
	r = reader(&w, w.worker, WORKER, w.inst, &log);
	n = history_read(&r, id, 0, h, 10);
	assert_int_equal(n, 3);
	assert_string_equal(h[2].change, "create");
	assert_string_equal(h[0].entity, "person");
	assert_int_equal(log.n, 1);
	p.pesel = NULL;
	p.doc_kind = "id_card";
	p.doc_number = "ABC123456";
	assert_int_equal(person_validate(&p, w.a, &v), 0);
	assert_int_equal(db_begin(w.db), 0);
	assert_int_equal(person_update(w.db, w.a, &wr, &p, &v), 0);
	assert_int_equal(db_commit(w.db), 0);
	r = reader(&w, w.adviser, ADVISER, w.inst, &log);
	n = history_read(&r, id, 0, h, 10);
	assert_int_equal(n, 6);
	assert_string_equal(h[0].field, "doc_number");
	assert_string_equal(h[0].new_value, "ABC123456"); /* identity: an adviser sees it */
	assert_int_equal(history_field_sens("person", "disability"), SENS_HEALTH);
	assert_int_equal(history_field_sens("reason", NULL), SENS_SOCIAL);
	/* the situation's rows: a special-category reason and an interview are left out for the adviser */
	{
		struct registry_writer ww = world_worker(&w);
		struct history_entry e = { "reason", 77, id, 0, w.inst, HISTORY_CREATE, "reason_code", NULL,
					   "ALKOHOLIZM 2026-01-01–" };

		assert_int_equal(history_add(w.db, &ww, &e), 0);
		e = (struct history_entry){ "interview", 78, id, 0, w.inst, HISTORY_CREATE, NULL, NULL, NULL };
		assert_int_equal(history_add(w.db, &ww, &e), 0);
		e = (struct history_entry){ "status", 79, id, 0, w.inst, HISTORY_CREATE, "status", NULL,
					    "registered_unemployed" };
		assert_int_equal(history_add(w.db, &ww, &e), 0);
	}
	r = reader(&w, w.adviser, ADVISER, w.inst, &log);
	assert_int_equal(history_read(&r, id, 0, h, 10), 7);
	assert_string_equal(h[0].entity, "status");
	assert_string_equal(h[0].new_value, "registered_unemployed");
	assert_string_equal(h[1].field, "doc_number");
	r = reader(&w, w.worker, WORKER, w.inst, &log);
	assert_int_equal(history_read(&r, id, 0, h, 10), 9);
	assert_string_equal(h[2].new_value, "ALKOHOLIZM 2026-01-01–");
	/* another institution's worker: refused, recorded as a denial */
	r = reader(&w, w.other_worker, WORKER, w.other_inst, &log);
	assert_int_equal(history_read(&r, id, 0, h, 10), -POLICY_DENIED);
	assert_string_equal(r.decision.code, "other_institution");
	assert_string_equal(log.r[log.n - 1].action, "person.read_denied");

	/* not the writer's institution: not found */
	wr = writer(w.other_worker, WORKER, w.other_inst, "jan");
	assert_int_equal(db_begin(w.db), 0);
	assert_int_equal(person_update(w.db, w.a, &wr, &p, &v), PERSON_NOT_FOUND);
	assert_int_equal(person_delete(w.db, w.a, &wr, id), PERSON_NOT_FOUND);
	assert_int_equal(db_commit(w.db), 0);
	world_free(&w);
}

static void test_writers(void **state)
{
	struct world w;
	struct registry_writer wr;
	struct verrs v = VERRS_INIT;
	struct person p = { .first_names = "A", .surname = "B", .birth_date = "1990-01-01" };
	int64_t id = 0;

	world_init(&w, T(state)->db);
	i18n_set_lang(LANG_PL);
	p.institution_id = w.inst;
	/* an administrator manages accounts, not personal data */
	wr = writer(w.admin, ROLE_BIT(ROLE_ADMIN), w.inst, "root");
	assert_int_equal(db_begin(w.db), 0);
	assert_int_equal(person_create(w.db, w.a, &wr, &p, &id, &v), 1);
	assert_string_equal(v.e[0].code, "role");
	/* another institution's record cannot be created */
	v.n = 0;
	wr = writer(w.other_worker, WORKER, w.other_inst, "jan");
	assert_int_equal(person_create(w.db, w.a, &wr, &p, &id, &v), 1);
	assert_string_equal(v.e[0].code, "other_institution");
	/* a lead worker of another institution is refused */
	v.n = 0;
	wr = world_worker(&w);
	p.lead_worker_id = w.other_worker;
	assert_int_equal(person_create(w.db, w.a, &wr, &p, &id, &v), 1);
	assert_string_equal(v.e[0].field, "lead_worker_id");
	/* the command line may create for any institution, without a lead worker */
	v.n = 0;
	memset(&wr, 0, sizeof(wr));
	wr.policy.cli = 1;
	wr.audit.login = "(cli:test)";
	p.lead_worker_id = 0;
	assert_int_equal(person_create(w.db, w.a, &wr, &p, &id, &v), 0);
	assert_int_equal(db_commit(w.db), 0);
	assert_int_equal(testdb_count(w.db, "SELECT COUNT(*) FROM record_history WHERE actor = '(cli:test)' "
					    "AND user_id IS NULL"),
			 1);
	world_free(&w);
}

static void test_duplicate_pesel(void **state)
{
	struct world w;
	struct registry_writer wr;
	struct verrs v = VERRS_INIT;
	struct person p = { .pesel = "44051401458", .first_names = "Jan", .surname = "Nowak" };
	int64_t first, id = 0;

	world_init(&w, T(state)->db);
	i18n_set_lang(LANG_PL);
	wr = world_worker(&w);
	first = add_person(&w, &wr, p);
	p.institution_id = w.inst;
	assert_int_equal(person_validate(&p, w.a, &v), 0);
	assert_int_equal(db_begin(w.db), 0);
	assert_int_equal(person_create(w.db, w.a, &wr, &p, &id, &v), 1);
	assert_int_equal(db_commit(w.db), 0);
	assert_string_equal(v.e[0].field, "pesel");
	assert_string_equal(v.e[0].code, "duplicate");
	assert_non_null(strstr(v.e[0].message, "Instytucja ma już osobę z tym numerem PESEL"));
	/* the same PESEL in another institution is another record */
	wr = writer(w.other_worker, WORKER, w.other_inst, "jan");
	p.institution_id = 0;
	p.lead_worker_id = 0;
	assert_true(add_person(&w, &wr, p) > 0);
	/* after a soft delete the number is free again */
	wr = world_worker(&w);
	assert_int_equal(db_begin(w.db), 0);
	assert_int_equal(person_delete(w.db, w.a, &wr, first), 0);
	assert_int_equal(person_delete(w.db, w.a, &wr, first), PERSON_NOT_FOUND);
	assert_int_equal(db_commit(w.db), 0);
	assert_int_equal(history_rows(w.db, first, "delete"), 1);
	assert_true(add_person(&w, &wr, p) > 0);
	world_free(&w);
}

/* The concurrent create: another connection holds the same PESEL, uncommitted. */
struct racer {
	struct testdb *t;
	struct world *w;
	int rc;
	struct verrs v;
};

static void *race(void *arg)
{
	struct racer *x = arg;
	struct db *db = testdb_connect(x->t);
	struct arena *a = arena_new(1 << 20);
	struct registry_writer wr = world_worker(x->w);
	struct person p = { .pesel = "02270803624", .first_names = "Ewa", .surname = "Lis",
			    .institution_id = x->w->inst };
	int64_t id = 0;

	person_validate(&p, a, &x->v);
	if (db_begin(db) == 0) {
		x->rc = person_create(db, a, &wr, &p, &id, &x->v);
		/* the caller's transaction is still usable after the refusal */
		x->rc = audit_commit(db, &wr.audit, x->rc, "person.create", "person", id, NULL) == 1 &&
				testdb_count(db, "SELECT COUNT(*) FROM person") >= 1
			? x->rc
			: -5;
	}
	arena_free(a);
	db_close(db);
	return NULL;
}

static void test_duplicate_pesel_concurrent(void **state)
{
	struct world w;
	struct racer x;
	struct db *other;
	pthread_t th;

	world_init(&w, T(state)->db);
	memset(&x, 0, sizeof(x));
	x.t = T(state);
	x.w = &w;
	other = testdb_connect(T(state));
	assert_int_equal(db_begin(other), 0);
	{
		struct arena *a = arena_new(1 << 20);
		struct registry_writer wr = world_worker(&w);
		struct verrs v = VERRS_INIT;
		struct person p = { .pesel = "02270803624", .first_names = "Ewa", .surname = "Lisowska",
				    .institution_id = w.inst };
		int64_t id = 0;

		assert_int_equal(person_validate(&p, a, &v), 0);
		assert_int_equal(person_create(other, a, &wr, &p, &id, &v), 0);
		arena_free(a);
	}
	/* the racer checks (sees nothing committed on PostgreSQL), inserts and waits on the index */
	assert_int_equal(pthread_create(&th, NULL, race, &x), 0);
	usleep(300 * 1000);
	assert_int_equal(db_commit(other), 0);
	pthread_join(th, NULL);
	db_close(other);
	assert_int_equal(x.rc, 1);
	assert_string_equal(x.v.e[x.v.n - 1].field, "pesel");
	assert_string_equal(x.v.e[x.v.n - 1].code, "duplicate");
	assert_int_equal(testdb_count(w.db, "SELECT COUNT(*) FROM person WHERE pesel = '02270803624'"), 1);
	world_free(&w);
}

static void test_read_policy(void **state)
{
	struct world w;
	struct registry_writer wr;
	struct audit_reads log = AUDIT_READS_INIT;
	struct audit_actor who = { 0 };
	struct policy_read r;
	struct person got;
	int64_t id;

	world_init(&w, T(state)->db);
	wr = world_worker(&w);
	id = add_person(&w, &wr, (struct person){ .pesel = "85123101236", .first_names = "Jan",
						  .surname = "Kowalski", .phone = "600100200",
						  .disability = "light", .disability_from = "2020-01-01" });
	/* the worker reads everything, and the read is recorded with its purpose */
	r = reader(&w, w.worker, WORKER, w.inst, &log);
	assert_int_equal(person_read(&r, id, &got), POLICY_OK);
	assert_string_equal(got.surname, "Kowalski");
	assert_string_equal(got.disability, "light");
	assert_string_equal(got.phone, "600100200");
	assert_string_equal(got.lead_worker_name, "anna");
	assert_string_equal(got.institution_name, "MOPS Brzozowo");
	assert_int_equal(log.n, 1);
	assert_string_equal(log.r[0].action, "person.read");
	assert_string_equal(log.r[0].detail, "purpose=casework");
	/* the adviser: no special categories */
	r = reader(&w, w.adviser, ADVISER, w.inst, &log);
	assert_int_equal(person_read(&r, id, &got), POLICY_OK);
	assert_string_equal(got.surname, "Kowalski");
	assert_null(got.disability);
	assert_null(got.disability_from);
	/* another institution: 403 with its reason code, and the denial is audited */
	r = reader(&w, w.other_worker, WORKER, w.other_inst, &log);
	assert_int_equal(person_read(&r, id, &got), POLICY_DENIED);
	assert_string_equal(r.decision.code, "other_institution");
	assert_string_equal(log.r[2].action, "person.read_denied");
	assert_string_equal(log.r[2].detail, "reason=other_institution purpose=casework");
	/* the administrator: none */
	r = reader(&w, w.admin, ROLE_BIT(ROLE_ADMIN), w.inst, &log);
	assert_int_equal(person_read(&r, id, &got), POLICY_DENIED);
	assert_string_equal(r.decision.code, "admin_not_casework");
	/* missing */
	r = reader(&w, w.worker, WORKER, w.inst, &log);
	assert_int_equal(person_read(&r, id + 100, &got), POLICY_NOT_FOUND);
	who.user_id = w.worker;
	who.ip = "192.0.2.1";
	assert_int_equal(audit_reads_flush(w.db, &who, &log), 0);
	assert_int_equal(testdb_count(w.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.read' "
					    "AND entity = 'person' AND ip = '192.0.2.1'"),
			 2);
	assert_int_equal(testdb_count(w.db, "SELECT COUNT(*) FROM audit_log WHERE action = "
					    "'person.read_denied'"),
			 2);
	world_free(&w);
}

/* search() runs person_search as the worker and returns the hits. */
static struct person_hits search(struct world *w, const char *q, int64_t offset, int limit)
{
	struct audit_reads log = AUDIT_READS_INIT;
	struct policy_read r = reader(w, w->worker, WORKER, w->inst, &log);
	struct person_query pq = { .q = q, .offset = offset, .limit = limit };
	struct person_hits hits;

	assert_int_equal(person_search(&r, &pq, &hits), POLICY_OK);
	assert_int_equal(log.n, 1);
	assert_string_equal(log.r[0].action, "person.list");
	return hits;
}

static void test_search(void **state)
{
	struct world w;
	struct registry_writer wr;
	struct person_hits h;
	struct audit_reads log = AUDIT_READS_INIT;
	struct policy_read r;
	struct person_query pq;
	int64_t kowal, kowalska, kowalski, first, town, lukasz, pesel;

	world_init(&w, T(state)->db);
	wr = world_worker(&w);
	kowalski = add_person(&w, &wr, (struct person){ .first_names = "Jan", .surname = "Kowalski",
							.birth_date = "1970-01-01" });
	kowalska = add_person(&w, &wr, (struct person){ .first_names = "Anna Maria", .surname = "Kowalska",
							.birth_date = "1972-03-04" });
	kowal = add_person(&w, &wr, (struct person){ .first_names = "Piotr", .surname = "Kowal",
						     .birth_date = "1980-01-01" });
	first = add_person(&w, &wr, (struct person){ .first_names = "Kowalina", .surname = "Adamska",
						     .birth_date = "1990-01-01" });
	town = add_person(&w, &wr, (struct person){ .first_names = "Zofia", .surname = "Zielińska",
						    .birth_date = "1991-01-01", .town = "Kowalewo",
						    .street = "Polna" });
	lukasz = add_person(&w, &wr, (struct person){ .first_names = "Łukasz", .surname = "Żółkiewski",
						      .birth_date = "1985-12-31" });
	pesel = add_person(&w, &wr, (struct person){ .pesel = "85123101236", .first_names = "Jan",
						     .surname = "Kowalczyk" });
	/* another institution's Kowalska is never found */
	wr = writer(w.other_worker, WORKER, w.other_inst, "jan");
	add_person(&w, &wr, (struct person){ .first_names = "Anna", .surname = "Kowalska",
					     .birth_date = "1972-03-04" });

	/* "kowal": the whole surname first, then surnames starting so, given names, the town */
	h = search(&w, "kowal", 0, 20);
	assert_int_equal(h.total, 6);
	assert_int_equal(h.n, 6);
	assert_int_equal(h.hits[0].id, kowal);
	assert_int_equal(h.hits[0].rank, 0);
	assert_string_equal(h.hits[0].matched, "surname");
	assert_int_equal(h.hits[1].id, pesel); /* kowalczyk < kowalska < kowalski */
	assert_int_equal(h.hits[2].id, kowalska);
	assert_int_equal(h.hits[3].id, kowalski);
	assert_int_equal(h.hits[3].rank, 1);
	assert_int_equal(h.hits[4].id, first);
	assert_string_equal(h.hits[4].matched, "first_names");
	assert_int_equal(h.hits[5].id, town);
	assert_string_equal(h.hits[5].matched, "town");
	assert_string_equal(h.hits[5].town, "Kowalewo");
	/* case and Polish letters folded */
	h = search(&w, "LUKASZ", 0, 20);
	assert_int_equal(h.total, 1);
	assert_int_equal(h.hits[0].id, lukasz);
	assert_string_equal(h.hits[0].first_names, "Łukasz");
	h = search(&w, "żółk", 0, 20);
	assert_int_equal(h.total, 1);
	h = search(&w, "zolkiewski", 0, 20);
	assert_int_equal(h.hits[0].rank, 0);
	/* several words: each starts the surname or a given name, in any order */
	h = search(&w, "kowalska anna", 0, 20);
	assert_int_equal(h.total, 1);
	assert_int_equal(h.hits[0].id, kowalska);
	assert_int_equal(h.hits[0].rank, 0);
	h = search(&w, "anna kowalska", 0, 20);
	assert_int_equal(h.total, 1);
	assert_int_equal(h.hits[0].rank, 0);
	h = search(&w, "kowal anna", 0, 20);
	assert_int_equal(h.total, 1);
	assert_int_equal(h.hits[0].rank, 1);
	/* a later given name only when nothing matched the first one */
	h = search(&w, "Maria Kowal", 0, 20);
	assert_int_equal(h.total, 1);
	assert_int_equal(h.hits[0].id, kowalska);
	assert_int_equal(h.hits[0].rank, 2);
	assert_string_equal(h.hits[0].matched, "first_names");
	h = search(&w, "kowal jan", 0, 20);
	assert_int_equal(h.total, 2);
	/* PESEL exact, birth date exact, in both forms */
	h = search(&w, "85123101236", 0, 20);
	assert_int_equal(h.total, 1);
	assert_int_equal(h.hits[0].id, pesel);
	assert_string_equal(h.hits[0].matched, "pesel");
	h = search(&w, "31.12.1985", 0, 20);
	assert_int_equal(h.total, 2);
	assert_string_equal(h.hits[0].matched, "birth_date");
	h = search(&w, "polna", 0, 20);
	assert_int_equal(h.total, 1);
	assert_string_equal(h.hits[0].matched, "street");
	/* paging: the total of all pages, the page asked for */
	h = search(&w, "kowal", 2, 2);
	assert_int_equal(h.total, 6);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.hits[0].id, kowalska);
	assert_int_equal(h.hits[1].id, kowalski);
	h = search(&w, "kowal", 6, 2);
	assert_int_equal(h.total, 6);
	assert_int_equal(h.n, 0);
	/* LIKE's own characters are not patterns */
	h = search(&w, "kow%", 0, 20);
	assert_int_equal(h.total, 0);
	/* the explicit fields: town prefix with a birth date */
	r = reader(&w, w.worker, WORKER, w.inst, &log);
	pq = (struct person_query){ .town = "kowale", .birth_date = "1991-01-01" };
	assert_int_equal(person_search(&r, &pq, &h), POLICY_OK);
	assert_int_equal(h.total, 1);
	assert_int_equal(h.hits[0].id, town);
	assert_non_null(strstr(log.r[0].detail, "shown=1 total=1"));
	/* soft delete hides a person from search and reads */
	wr = world_worker(&w);
	assert_int_equal(db_begin(w.db), 0);
	assert_int_equal(person_delete(w.db, w.a, &wr, kowalski), 0);
	assert_int_equal(db_commit(w.db), 0);
	h = search(&w, "kowal", 0, 20);
	assert_int_equal(h.total, 5);
	{
		struct person got;

		r = reader(&w, w.worker, WORKER, w.inst, &log);
		assert_int_equal(person_read(&r, kowalski, &got), POLICY_NOT_FOUND);
	}
	/* an analyst (statistics) may not search by name; an admin at all */
	r = reader(&w, w.analyst, ROLE_BIT(ROLE_ANALYST), w.inst, &log);
	r.purpose = PURPOSE_STATISTICS;
	pq = (struct person_query){ .q = "kowal" };
	assert_int_equal(person_search(&r, &pq, &h), POLICY_DENIED);
	assert_string_equal(r.decision.code, "purpose");
	r = reader(&w, w.admin, ROLE_BIT(ROLE_ADMIN), w.inst, &log);
	assert_int_equal(person_search(&r, &pq, &h), POLICY_DENIED);
	world_free(&w);
}

/*
 * Two words over two pairs (each word the surname, the other the first
 * name): the rows of both pairs merged in one order, paged across them;
 * whether the first names drive (few of them, as in a small register) or
 * the surnames do (more than PAIR_FEW_FIRST "jan…": filled in SQL).
 */
static void test_search_pairs(void **state)
{
	struct world w;
	struct registry_writer wr;
	struct person_hits h;
	int64_t janik, kowalczyk, kowalski, round;
	char sql[600];

	world_init(&w, T(state)->db);
	wr = world_worker(&w);
	kowalski = add_person(&w, &wr, (struct person){ .first_names = "Jan", .surname = "Kowalski",
							.birth_date = "1970-01-01" });
	kowalczyk = add_person(&w, &wr, (struct person){ .first_names = "Jan", .surname = "Kowalczyk",
							 .birth_date = "1970-01-02" });
	janik = add_person(&w, &wr, (struct person){ .first_names = "Kowalina", .surname = "Janik",
						    .birth_date = "1970-01-03" });
	add_person(&w, &wr, (struct person){ .first_names = "Anna", .surname = "Kowalska",
					     .birth_date = "1970-01-04" });
	for (round = 0; round < 2; round++) {
		h = search(&w, "kowal jan", 0, 20);
		assert_int_equal(h.total, 3);
		assert_int_equal(h.n, 3);
		assert_int_equal(h.hits[0].id, janik); /* janik < kowalczyk < kowalski */
		assert_int_equal(h.hits[1].id, kowalczyk);
		assert_int_equal(h.hits[2].id, kowalski);
		assert_int_equal(h.hits[2].rank, 1);
		h = search(&w, "jan kowal", 1, 1);
		assert_int_equal(h.total, 3);
		assert_int_equal(h.n, 1);
		assert_int_equal(h.hits[0].id, kowalczyk);
		h = search(&w, "jan kowal", 2, 5);
		assert_int_equal(h.n, 1);
		assert_int_equal(h.hits[0].id, kowalski);
		if (round == 1)
			break;
		/* then many more first names "jan…" (surnames that match nothing): the surnames drive */
		snprintf(sql, sizeof(sql),
			 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2100) "
			 "INSERT INTO person (institution_id, first_names, surname, surname_fold, first_fold, "
			 "created_at, updated_at) SELECT institution_id, 'Janina', 'Zych', 'zych', 'janina', "
			 "created_at, updated_at FROM person, n WHERE id = %lld",
			 (long long)kowalski);
		assert_int_equal(db_exec(w.db, sql), 0);
	}
	world_free(&w);
}

static void test_candidates(void **state)
{
	struct world w;
	struct registry_writer wr;
	struct person_candidate c[5];
	struct audit_reads log = AUDIT_READS_INIT;
	struct policy_read r;
	struct person p;
	int64_t a1, a2;

	world_init(&w, T(state)->db);
	wr = world_worker(&w);
	a1 = add_person(&w, &wr, (struct person){ .pesel = "85123101236", .first_names = "Jan",
						  .surname = "Kowalski" });
	a2 = add_person(&w, &wr, (struct person){ .first_names = "Jan Paweł", .surname = "KOWALSKI",
						  .birth_date = "1985-12-31" });
	add_person(&w, &wr, (struct person){ .first_names = "Janusz", .surname = "Kowalski",
					     .birth_date = "1985-12-31" });
	/* the same PESEL first, then the same folded names and birth date */
	p = (struct person){ .pesel = "85123101236", .first_names = "jan", .surname = "Kowalski",
			     .birth_date = "1985-12-31", .institution_id = w.inst };
	assert_int_equal(person_candidates(w.db, w.a, &p, c, 5), 2);
	assert_int_equal(c[0].id, a1);
	assert_string_equal(c[0].why, "pesel");
	assert_int_equal(c[1].id, a2);
	assert_string_equal(c[1].why, "name_birth");
	assert_int_equal(person_candidates(w.db, w.a, &p, c, 1), 1);
	p.institution_id = w.other_inst;
	assert_int_equal(person_candidates(w.db, w.a, &p, c, 5), 0);
	/* the look-up shown is recorded */
	r = reader(&w, w.worker, WORKER, w.inst, &log);
	assert_int_equal(person_record_candidates(&r, c, 0), 0);
	assert_int_equal(log.n, 0);
	p.institution_id = w.inst;
	assert_int_equal(person_candidates(w.db, w.a, &p, c, 5), 2);
	assert_int_equal(person_record_candidates(&r, c, 2), 0);
	assert_int_equal(log.n, 1);
	assert_non_null(strstr(log.r[0].detail, "candidates"));
	world_free(&w);
}

static void test_list(void **state)
{
	struct world w;
	struct registry_writer wr;
	struct audit_reads log = AUDIT_READS_INIT;
	struct policy_read r;
	struct list_query q = LIST_QUERY_INIT;
	struct list_page page;
	int64_t id;

	world_init(&w, T(state)->db);
	wr = world_worker(&w);
	id = add_person(&w, &wr, (struct person){ .first_names = "Jan", .surname = "Kowalski",
						  .birth_date = "1970-01-01", .terc = "3050022",
						  .town = "Brzozowo" });
	add_person(&w, &wr, (struct person){ .first_names = "Ewa", .surname = "Adamska",
					     .birth_date = "1971-01-01", .terc = "3051011" });
	wr = writer(w.other_worker, WORKER, w.other_inst, "jan");
	add_person(&w, &wr, (struct person){ .first_names = "Ola", .surname = "Baran",
					     .birth_date = "1972-01-01" });
	r = reader(&w, w.worker, WORKER, w.inst, &log);
	assert_int_equal(policy_list_fetch(&r, &person_list, &q, &page), 0);
	assert_int_equal(page.total, 2);
	assert_string_equal(page.values[0][PERSON_COL_SURNAME], "Adamska");
	assert_string_equal(page.values[1][PERSON_COL_LEAD_WORKER], "anna");
	/* gmina prefix (a powiat's code finds its gminas) and lead worker */
	q = (struct list_query)LIST_QUERY_INIT;
	list_add_filter(&q, PERSON_COL_TERC, LIST_EQ, "30500");
	assert_int_equal(policy_list_fetch(&r, &person_list, &q, &page), 0);
	assert_int_equal(page.total, 1);
	assert_int_equal(strtoll(page.ids[0], NULL, 10), id);
	q = (struct list_query)LIST_QUERY_INIT;
	list_add_filter(&q, PERSON_COL_LEAD_WORKER_ID, LIST_EQ, "999");
	assert_int_equal(policy_list_fetch(&r, &person_list, &q, &page), 0);
	assert_int_equal(page.total, 0);
	/* statistics: counts by gmina without names */
	r = reader(&w, w.analyst, ROLE_BIT(ROLE_ANALYST), w.inst, &log);
	r.purpose = PURPOSE_STATISTICS;
	q = (struct list_query)LIST_QUERY_INIT;
	assert_int_equal(policy_list_fetch(&r, &person_list, &q, &page), 0);
	assert_int_equal(page.total, 2);
	assert_null(page.values[0][PERSON_COL_SURNAME]);
	assert_non_null(page.values[0][PERSON_COL_TERC]);
	world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_plain(test_dictionaries),
		testdb_plain(test_validate_pesel),
		testdb_plain(test_validate_fields),
		testdb_plain(test_validate_disability),
		cmocka_unit_test(test_create_update_history),
		cmocka_unit_test(test_writers),
		cmocka_unit_test(test_duplicate_pesel),
		cmocka_unit_test(test_duplicate_pesel_concurrent),
		cmocka_unit_test(test_read_policy),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_search_pairs),
		cmocka_unit_test(test_candidates),
		cmocka_unit_test(test_list),
	};

	log_set_level(LOG_ERROR + 1);
	i18n_init();
	return TESTDB_RUN("registry/person", tests, 1);
}
