/*
 * tests/unit/link/text.c — folding, Jaro–Winkler (the published vectors),
 * the phonetic code (spelling variants meet, different names do not),
 * digit typos and the hash.
 */
#include "linktest.h"

static void test_link__text__fold(void **state)
{
	char out[LINK_TEXT_MAX];
	(void)state;

	assert_int_equal(link_fold(NULL, out), 0);
	assert_int_equal(link_fold("   ", out), 0);
	link_fold("ŁUKASZ", out);
	assert_string_equal(out, "lukasz");
	link_fold("Ąć Ęł Ńó Śź Ż", out);
	assert_string_equal(out, "ac el no sz z");
	link_fold("O'Brien-Smith, Jr.", out);
	assert_string_equal(out, "o brien-smith jr");
	link_fold("--a--", out);
	assert_string_equal(out, "a");
}

static void test_link__text__fold_long(void **state)
{
	char in[1000], out[LINK_TEXT_MAX];
	(void)state;

	memset(in, 'x', sizeof(in) - 1);
	in[sizeof(in) - 1] = '\0';
	assert_true(link_fold(in, out) < LINK_TEXT_MAX);
	assert_int_equal(strlen(out), link_fold(in, out));
}

static void test_link__text__jaro_winkler(void **state)
{
	(void)state;
	/* Winkler's vectors */
	assert_float_equal(link_jaro_winkler("martha", 6, "marhta", 6), 0.9611, 0.0001);
	assert_float_equal(link_jaro_winkler("dwayne", 6, "duane", 5), 0.84, 0.0001);
	assert_float_equal(link_jaro_winkler("dixon", 5, "dicksonx", 8), 0.8133, 0.0001);
	assert_float_equal(link_jaro_winkler("abc", 3, "abc", 3), 1.0, 0);
	assert_float_equal(link_jaro_winkler("abc", 3, "xyz", 3), 0.0, 0);
	assert_float_equal(link_jaro_winkler("", 0, "abc", 3), 0.0, 0);
}

static void test_link__text__phonetic(void **state)
{
	(void)state;
	assert_int_equal(link_phonetic("", 0), 0);
	assert_int_equal(link_phonetic("szymanski", 9), link_phonetic("symanski", 8));
	assert_int_equal(link_phonetic("grzegorz", 8), link_phonetic("gzegoz", 6));
	assert_int_equal(link_phonetic("nowak", 5), link_phonetic("nowack", 6));
	assert_int_equal(link_phonetic("nowak-kowalska", 14), link_phonetic("nowak", 5));
	assert_int_not_equal(link_phonetic("nowak", 5), link_phonetic("kowalski", 8));
	assert_int_not_equal(link_phonetic("jan", 3), link_phonetic("anna", 4));
}

static void test_link__text__digit_near(void **state)
{
	(void)state;
	assert_true(link_digit_near("12345", "12355", 5));
	assert_true(link_digit_near("12345", "12354", 5));
	assert_false(link_digit_near("12345", "12345", 5));
	assert_false(link_digit_near("12345", "13355", 5));
	assert_false(link_digit_near("12345", "14325", 5));
}

static void test_link__text__digits_and_hash(void **state)
{
	char out[8];
	(void)state;

	assert_int_equal(link_digits("44-05 14x0145", out, sizeof(out)), 7);
	assert_string_equal(out, "4405140");
	assert_int_equal(link_digits(NULL, out, sizeof(out)), 0);
	assert_true(link_hash("a", 1, 1) != link_hash("a", 1, 2));
	assert_true(link_hash("a", 1, 1) == link_hash("a", 1, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link__text__fold),
		cmocka_unit_test(test_link__text__fold_long),
		cmocka_unit_test(test_link__text__jaro_winkler),
		cmocka_unit_test(test_link__text__phonetic),
		cmocka_unit_test(test_link__text__digit_near),
		cmocka_unit_test(test_link__text__digits_and_hash),
	};

	return cmocka_run_group_tests_name("link/text", tests, NULL, NULL);
}
