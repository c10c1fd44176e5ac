/*
 * tests/unit/link/set.c — the prepared set: records keep their id, key
 * and group; equal folded strings are interned once; a valid PESEL fills a
 * missing birth date and sex, an invalid one is kept (its date decoded);
 * many records grow the arrays; hostile strings are cut, not overrun.
 */
#include "linktest.h"

static void test_link__set__add_and_read_back(void **state)
{
	struct link_set *s = link_set_new();
	struct link_record a = person("A-1", "Łukasz", "Nowak", 19800101, LINK_SEX_M, NULL);
	struct link_record b = person("B-7", "LUKASZ", "NOWAK", 0, 0, "85123101236");
	(void)state;

	a.key = 42;
	b.group = 1;
	assert_int_equal(link_set_add(s, &a), 0);
	assert_int_equal(link_set_add(s, &b), 1);
	assert_int_equal(link_set_count(s), 2);
	assert_string_equal(link_set_id(s, 0), "A-1");
	assert_string_equal(link_set_id(s, 1), "B-7");
	assert_int_equal(link_set_key(s, 0), 42);
	assert_int_equal(link_set_group(s, 1), 1);
	assert_null(link_set_id(s, 2));
	/* folded once: the same pool string */
	assert_int_equal(s->rec[0].f[LS_GIVEN], s->rec[1].f[LS_GIVEN]);
	assert_int_equal(s->rec[0].f[LS_SURNAME], s->rec[1].f[LS_SURNAME]);
	/* the valid PESEL gave the birth date and sex */
	assert_int_equal(s->rec[1].birth, 19851231);
	assert_int_equal(s->rec[1].sex, LINK_SEX_M);
	assert_int_equal(s->rec[1].idkind, LID_PESEL_OK);
	link_set_free(s);
}

static void test_link__set__invalid_pesel(void **state)
{
	struct link_set *s = link_set_new();
	struct link_record a = person("x", "Ewa", "Nowak", 0, 0, "02270803625"); /* checksum fails */
	(void)state;

	assert_int_equal(link_set_add(s, &a), 0);
	assert_int_equal(s->rec[0].idkind, LID_PESEL_BAD);
	assert_int_equal(s->rec[0].pesel_birth, 20020708);
	assert_int_equal(s->rec[0].birth, 0); /* not trusted to fill the record */
	a.pesel = "12-34";
	assert_int_equal(link_set_add(s, &a), 1);
	assert_int_equal(s->rec[1].idkind, LID_PESEL_BAD);
	assert_int_equal(s->rec[1].pesel_birth, 0);
	link_set_free(s);
}

static void test_link__set__grows(void **state)
{
	struct link_set *s = link_set_new();
	char id[32], name[32];
	long i;
	(void)state;

	for (i = 0; i < 50000; i++) {
		struct link_record r = person(id, name, "Kowalski", 19500101 + (int)(i % 28), 0, NULL);

		snprintf(id, sizeof(id), "%ld", i);
		snprintf(name, sizeof(name), "name%ld", i % 5000);
		assert_int_equal(link_set_add(s, &r), i);
	}
	assert_string_equal(link_set_id(s, 49999), "49999");
	assert_true(s->pool.n < 5100); /* 5000 names, one surname, interned */
	link_set_free(s);
	link_set_free(NULL);
}

static void test_link__set__hostile(void **state)
{
	struct link_set *s = link_set_new();
	char big[100000];
	struct link_record r = person("x", big, "\xff\xfe", 0, 0, big);
	(void)state;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(link_set_add(s, &r), 0); /* long fields cut, invalid UTF-8 missing */
	assert_true(s->pool.str[s->rec[0].f[LS_GIVEN]].len < LINK_TEXT_MAX);
	assert_int_equal(s->rec[0].f[LS_SURNAME], 0);
	link_set_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link__set__add_and_read_back),
		cmocka_unit_test(test_link__set__invalid_pesel),
		cmocka_unit_test(test_link__set__grows),
		cmocka_unit_test(test_link__set__hostile),
	};

	return cmocka_run_group_tests_name("link/set", tests, NULL, NULL);
}
