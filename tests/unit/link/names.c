/*
 * tests/unit/link/names.c — the first-name dictionary (sorted, folded,
 * the vectors of the issue) and the surname rules.
 */
#include "linktest.h"

static void test_link__names__dictionary(void **state)
{
	size_t i;
	(void)state;

	assert_string_equal(link_name_canonical("kasia"), "katarzyna");
	assert_string_equal(link_name_canonical("jurek"), "jerzy");
	assert_string_equal(link_name_canonical("kuba"), "jakub");
	assert_string_equal(link_name_canonical("gosia"), "malgorzata");
	assert_null(link_name_canonical("katarzyna"));
	assert_null(link_name_canonical(""));
	assert_null(link_name_canonical(NULL));
	assert_true(link_name_dictionary_size() >= 80);
	for (i = 0; i + 1 < link_name_dictionary_size(); i++) {
		const char *v = link_name_dictionary_variant(i), *p;

		assert_true(strcmp(v, link_name_dictionary_variant(i + 1)) < 0); /* bsearch needs it */
		for (p = v; *p != '\0'; p++)
			assert_true(*p >= 'a' && *p <= 'z'); /* folded */
		assert_null(link_name_canonical(link_name_canonical(v))); /* one step */
	}
	assert_null(link_name_dictionary_variant(link_name_dictionary_size()));
}

static void test_link__names__gender_forms(void **state)
{
	(void)state;
	assert_true(link_surname_gender_pair("kowalski", 8, "kowalska", 8));
	assert_true(link_surname_gender_pair("kowalska", 8, "kowalski", 8));
	assert_true(link_surname_gender_pair("nowicki", 7, "nowicka", 7));
	assert_true(link_surname_gender_pair("zawadzki", 8, "zawadzka", 8));
	assert_false(link_surname_gender_pair("kowalski", 8, "kowalski", 8));
	assert_false(link_surname_gender_pair("kowalski", 8, "nowacka", 7));
	assert_false(link_surname_gender_pair("a", 1, "i", 1));
}

static void test_link__names__parts(void **state)
{
	(void)state;
	assert_true(link_surname_part("kowalska", 8, "nowak-kowalska", 14));
	assert_true(link_surname_part("nowak-kowalska", 14, "nowak", 5));
	assert_false(link_surname_part("kowal", 5, "nowak-kowalska", 14));
	assert_false(link_surname_part("nowak", 5, "nowak", 5)); /* equal is not a part */
	assert_false(link_surname_part("", 0, "nowak", 5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link__names__dictionary),
		cmocka_unit_test(test_link__names__gender_forms),
		cmocka_unit_test(test_link__names__parts),
	};

	return cmocka_run_group_tests_name("link/names", tests, NULL, NULL);
}
