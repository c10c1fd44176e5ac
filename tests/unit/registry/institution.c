/*
 * tests/unit/registry/institution.c — institutions on a migrated database
 * (SQLite, and PostgreSQL with RAZEM_TEST_PG_URL): kind codes and labels,
 * validation of every field (trimming, blank to NULL, NIP normalised,
 * REGON, postcode, gmina-level TERC, phone, e-mail, website, lengths),
 * create and read back with the TERC description, the unique REGON on
 * create and update, update of a missing row, (de)activation, the picker
 * options in name order, counts, and the institution list (kind filter,
 * TERC prefix, folded search).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/log.h"
#include "registry/institution.h"
#include "territory/territory.h"
#include "../testdb.h"

#define T(state) ((struct testdb *)*(state))

static int64_t create(struct db *db, struct arena *a, struct institution in)
{
	struct verrs v = VERRS_INIT;
	int64_t id = 0;

	assert_int_equal(institution_validate(&in, a, &v), 0);
	assert_int_equal(institution_create(db, a, &in, &id, &v), 0);
	assert_true(id > 0);
	return id;
}

static void test_kinds(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; institution_kinds[i] != NULL; i++) {
		assert_string_not_equal(institution_kind_label(institution_kinds[i]), institution_kinds[i]);
		assert_true(strlen(institution_kind_short(institution_kinds[i])) > 0);
	}
	assert_int_equal(i, 17);
	i18n_set_lang(LANG_EN);
	assert_string_equal(institution_kind_short("pup"), "PUP");
	assert_string_equal(institution_kind_label("pup"), "County labour office (PUP)");
	assert_string_equal(institution_kind_label("bank"), "bank");
	assert_string_equal(institution_kind_short(NULL), "");
}

static void test_validate(void **state)
{
	struct arena *a = arena_new(1 << 20);
	struct institution in = { .kind = "ops", .name = "  GOPS  ", .regon = " 123456785 ",
				  .nip = "123-456-32-18", .street = " ", .postcode = "99-310",
				  .city = "Brzozowo", .terc = "3050022", .phone = "+48 (11) 110-10-00",
				  .email = "gops@brzozowo.example", .website = "https://brzozowo.example" };
	struct verrs v = VERRS_INIT;
	char longname[310];

	(void)state;
	assert_int_equal(institution_validate(&in, a, &v), 0);
	assert_string_equal(in.name, "GOPS");
	assert_string_equal(in.regon, "123456785");
	assert_string_equal(in.nip, "1234563218");
	assert_null(in.street);

	/* what people type is tidied: a postcode without its hyphen, a website without its scheme */
	in = (struct institution){ .kind = "ops", .name = "OPS", .postcode = "99310", .website = "www.ops.example" };
	assert_int_equal(institution_validate(&in, a, &v), 0);
	assert_string_equal(in.postcode, "99-310");
	assert_string_equal(in.website, "https://www.ops.example");

	in = (struct institution){ .kind = "bank", .name = "", .regon = "123456789", .nip = "1234563219",
				   .postcode = "9931", .terc = "3050", .phone = "12",
				   .email = "a@b", .website = "ftp://x.example" };
	assert_int_equal(institution_validate(&in, a, &v), 9);
	assert_string_equal(v.e[0].field, "kind");
	assert_string_equal(v.e[0].code, "invalid");
	assert_string_equal(v.e[1].field, "name");
	assert_string_equal(v.e[1].code, "required");
	assert_string_equal(v.e[2].field, "regon");
	assert_string_equal(v.e[3].field, "nip");
	assert_string_equal(v.e[4].field, "postcode");
	assert_string_equal(v.e[5].field, "terc");
	assert_string_equal(v.e[6].field, "phone");
	assert_string_equal(v.e[7].field, "email");
	assert_string_equal(v.e[8].field, "website");

	v.n = 0;
	memset(longname, 'x', 301);
	longname[301] = '\0';
	in = (struct institution){ .name = longname, .terc = "3050O22", .email = "a b@c.pl",
				   .website = "https://a.example/<x>" };
	assert_int_equal(institution_validate(&in, a, &v), 5);
	assert_string_equal(v.e[0].field, "kind");
	assert_string_equal(v.e[0].code, "required");
	assert_string_equal(v.e[1].code, "too_long");
	longname[300] = '\0';
	v.n = 0;
	in = (struct institution){ .kind = "ngo", .name = longname, .phone = "1234567890123456" };
	assert_int_equal(institution_validate(&in, a, &v), 1);
	assert_string_equal(v.e[0].field, "phone");
	arena_free(a);
}

static void test_create_update(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	static const struct territory_unit units[] = {
		{ "30", "WIELKOPOLSKIE", UNIT_VOIVODESHIP, NULL, 0 },
		{ "3050", "przykładowy", UNIT_POWIAT, "30", 1 },
		{ "3050022", "Brzozowo", UNIT_RURAL, "3050", 1 },
	};
	struct institution got, in;
	struct verrs v = VERRS_INIT;
	int64_t id, id2, id3 = 0;
	size_t i;

	i18n_set_lang(LANG_EN);
	for (i = 0; i < 3; i++)
		assert_int_equal(territory_put(db, &units[i]), DB_OK);
	id = create(db, a, (struct institution){ .kind = "ops", .name = "Gminny Ośrodek Pomocy Społecznej",
						 .regon = "123456785", .nip = "1234563218",
						 .street = "Brzozowo 14", .postcode = "99-310",
						 .city = "Brzozowo", .terc = "3050022", .phone = "+48 11 110 10 00",
						 .email = "g@b.example", .website = "https://b.example" });
	assert_int_equal(institution_get(db, a, id, &got), 0);
	assert_int_equal(got.id, id);
	assert_string_equal(got.kind, "ops");
	assert_string_equal(got.name, "Gminny Ośrodek Pomocy Społecznej");
	assert_string_equal(got.regon, "123456785");
	assert_string_equal(got.nip, "1234563218");
	assert_string_equal(got.street, "Brzozowo 14");
	assert_string_equal(got.postcode, "99-310");
	assert_string_equal(got.city, "Brzozowo");
	assert_string_equal(got.terc, "3050022");
	assert_string_equal(got.phone, "+48 11 110 10 00");
	assert_string_equal(got.email, "g@b.example");
	assert_string_equal(got.website, "https://b.example");
	assert_int_equal(got.active, 1);
	assert_int_equal(strlen(got.created_at), 20);
	assert_string_equal(got.updated_at, got.created_at);
	assert_string_equal(got.terc_text, "Brzozowo (rural gmina, powiat przykładowy)");
	assert_int_equal(testdb_count(db, "SELECT COUNT(*) FROM institution WHERE "
					  "name_fold = 'gminny osrodek pomocy spolecznej'"),
			 1);
	assert_int_equal(institution_get(db, a, id + 1, &got), 1);

	/* REGON is unique */
	in = (struct institution){ .kind = "pup", .name = "PUP", .regon = "123456785" };
	assert_int_equal(institution_create(db, a, &in, &id2, &v), 1);
	assert_string_equal(v.e[0].field, "regon");
	assert_string_equal(v.e[0].code, "taken");
	id2 = create(db, a, (struct institution){ .kind = "pup", .name = "PUP", .regon = "987654326" });
	assert_int_equal(institution_get(db, a, id2, &got), 0);
	assert_null(got.terc);
	assert_null(got.terc_text);
	assert_null(got.nip);

	/* update: all fields; NULLs clear */
	in = (struct institution){ .id = id2, .kind = "mops", .name = "MOPS", .regon = NULL,
				   .terc = "3050099", .city = "X" };
	v.n = 0;
	assert_int_equal(institution_update(db, a, &in, &v), 0);
	assert_int_equal(institution_get(db, a, id2, &got), 0);
	assert_string_equal(got.kind, "mops");
	assert_null(got.regon);
	assert_string_equal(got.terc, "3050099");
	assert_null(got.terc_text); /* not in the register */
	in.regon = "123456785";
	assert_int_equal(institution_update(db, a, &in, &v), 1);
	assert_string_equal(v.e[0].code, "taken");
	v.n = 0;
	in.id = id2 + 100;
	in.regon = NULL;
	assert_int_equal(institution_update(db, a, &in, &v), 1);
	assert_string_equal(v.e[0].field, "");
	assert_string_equal(v.e[0].code, "not_found");
	assert_int_equal(institution_count(db, 0), 2);

	/* the same name (up to case and diacritics) in the same gmina is the same institution */
	v.n = 0;
	in = (struct institution){ .kind = "ops", .name = "mops", .terc = "3050099" };
	assert_int_equal(institution_create(db, a, &in, &id3, &v), 1);
	assert_string_equal(v.e[0].field, "name");
	assert_string_equal(v.e[0].code, "taken");
	v.n = 0;
	in.terc = "3050011"; /* another gmina: another institution */
	assert_int_equal(institution_create(db, a, &in, &id3, &v), 0);
	in = (struct institution){ .id = id3, .kind = "ops", .name = "MÓPS", .terc = "3050099" };
	assert_int_equal(institution_update(db, a, &in, &v), 1); /* moving into the first one's gmina */
	assert_string_equal(v.e[0].code, "taken");
	assert_int_equal(institution_count(db, 0), 3);

	/* (de)activation */
	assert_int_equal(institution_set_active(db, id, 0), 0);
	assert_int_equal(institution_get(db, a, id, &got), 0);
	assert_int_equal(got.active, 0);
	assert_int_equal(institution_count(db, 1), 2);
	assert_int_equal(institution_count(db, 0), 3);
	assert_int_equal(institution_set_active(db, id, 1), 0);
	assert_int_equal(institution_count(db, 1), 3);
	assert_int_equal(institution_set_active(db, id2 + 100, 0), 1);
	arena_free(a);
}

static void test_options_and_list(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct institution_option *o = NULL;
	struct list_query q = LIST_QUERY_INIT;
	struct list_page p;
	int64_t zz;

	assert_int_equal(institution_options(db, a, &o), 0);
	zz = create(db, a, (struct institution){ .kind = "ops", .name = "Żywiec OPS", .terc = "3050022",
						 .city = "Żywiec" });
	create(db, a, (struct institution){ .kind = "pup", .name = "Urząd Pracy", .terc = "3050011",
					    .city = "Przykładowo" });
	create(db, a, (struct institution){ .kind = "ops", .name = "Ośrodek w Dębinie", .terc = "3061011",
					    .city = "Dębina" });
	assert_int_equal(institution_set_active(db, zz, 0), 0);
	assert_int_equal(institution_options(db, a, &o), 3);
	assert_string_equal(o[0].name, "Ośrodek w Dębinie"); /* by folded name */
	assert_string_equal(o[1].name, "Urząd Pracy");
	assert_string_equal(o[2].name, "Żywiec OPS");
	assert_int_equal(o[2].active, 0);
	assert_int_equal(o[2].id, zz);
	assert_string_equal(o[0].kind, "ops");

	assert_int_equal(list_fetch(db, a, &institution_list, &q, &p), 0);
	assert_int_equal(p.total, 3);
	assert_string_equal(p.values[0][INST_COL_NAME], "Ośrodek w Dębinie");
	assert_string_equal(p.values[2][INST_COL_ACTIVE], "0");
	assert_int_equal(list_add_filter(&q, INST_COL_KIND, LIST_EQ, "ops"), 0);
	assert_int_equal(list_fetch(db, a, &institution_list, &q, &p), 0);
	assert_int_equal(p.total, 2);
	assert_int_equal(list_add_filter(&q, INST_COL_TERC, LIST_EQ, "3050"), 0);
	assert_int_equal(list_fetch(db, a, &institution_list, &q, &p), 0);
	assert_int_equal(p.total, 1);
	assert_string_equal(p.values[0][INST_COL_NAME], "Żywiec OPS");
	q = (struct list_query)LIST_QUERY_INIT;
	q.q = "osrodek"; /* folded, no diacritics */
	assert_int_equal(list_fetch(db, a, &institution_list, &q, &p), 0);
	assert_int_equal(p.total, 1);
	/* the city is searched folded too: "przykladowo" finds "Przykładowo" */
	q.q = "przykladowo";
	assert_int_equal(list_fetch(db, a, &institution_list, &q, &p), 0);
	assert_int_equal(p.total, 1);
	assert_string_equal(p.values[0][INST_COL_NAME], "Urząd Pracy");
	assert_string_equal(p.values[0][INST_COL_CITY], "Przykładowo");
	q.q = "zywiec"; /* folded "Żywiec": name and city both match, one row */
	assert_int_equal(list_fetch(db, a, &institution_list, &q, &p), 0);
	assert_int_equal(p.total, 1);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_plain(test_kinds),
		testdb_plain(test_validate),
		cmocka_unit_test(test_create_update),
		cmocka_unit_test(test_options_and_list),
	};

	log_set_level(LOG_ERROR + 1);
	if (i18n_init() != 0)
		return 1;
	return TESTDB_RUN("institution", tests, 1);
}
