/*
 * tests/unit/map/values.c — the values file of `razem map --values`:
 * decimal commas and points, digit groups, a BOM, CRLF, a header line,
 * quotes, tabs, ',' as the separator only when unambiguous, an empty value
 * as "no data", and bad rows counted with their line numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "map/map.h"

static void test_good_rows(void **state)
{
	struct arena *a = arena_new(1u << 20);
	struct map_values v;
	const char *in = "\xef\xbb\xbf" "kod;wartość\r\n"
			 "3050011;12,5\r\n"
			 "\"3050022\"; 1 234.25 \r\n"
			 "30\t-3\n"
			 "3050,7\n"
			 "3050032;\n"
			 "\n"
			 "3050043;1\xc2\xa0" "000,5";

	(void)state;
	assert_int_equal(map_values_parse(a, in, strlen(in), &v), 6);
	assert_int_equal(v.nerrs, 0);
	assert_string_equal(v.v[0].code, "3050011");
	assert_true(v.v[0].value == 12.5 && v.v[0].has && v.v[0].line == 2);
	assert_string_equal(v.v[1].code, "3050022");
	assert_true(v.v[1].value == 1234.25);
	assert_true(v.v[2].value == -3 && strcmp(v.v[2].code, "30") == 0);
	assert_true(v.v[3].value == 7 && strcmp(v.v[3].code, "3050") == 0);
	assert_false(v.v[4].has);
	assert_int_equal(v.v[4].line, 6);
	assert_true(v.v[5].value == 1000.5 && v.v[5].line == 8);
	arena_free(a);
}

static void test_bad_rows(void **state)
{
	struct arena *a = arena_new(1u << 20);
	struct map_values v;
	const char *in = "3050011;x\n12345;1\n3050022,1,5\n3050022\n3050032;1;2\n3050043;1,2,3\n3050052;1e5\n3050062;5\n";

	(void)state;
	assert_int_equal(map_values_parse(a, in, strlen(in), &v), 1);
	assert_int_equal(v.nerrs, 7);
	assert_string_equal(v.errs[0], "line 1: 'x' is not a number");
	assert_string_equal(v.errs[1], "line 2: '12345' is not a TERC code (2, 4 or 7 digits)");
	assert_string_equal(v.errs[2], "line 3: two commas and no semicolon: write code;value (a decimal comma "
				       "needs ';' as the separator)");
	assert_string_equal(v.errs[3], "line 4: no separator: write code;value");
	assert_string_equal(v.errs[4], "line 5: more than two columns");
	assert_string_equal(v.errs[5], "line 6: '1,2,3' is not a number");
	assert_string_equal(v.errs[6], "line 7: '1e5' is not a number");
	assert_int_equal(v.v[0].line, 8);
	arena_free(a);
}

static void test_numbers(void **state)
{
	double d;

	(void)state;
	assert_int_equal(map_parse_number("2,5", 3, &d), 0);
	assert_true(d == 2.5);
	assert_int_equal(map_parse_number("-0.5", 4, &d), 0);
	assert_true(d == -0.5);
	assert_int_equal(map_parse_number("", 0, &d), -1);
	assert_int_equal(map_parse_number("-", 1, &d), -1);
	assert_int_equal(map_parse_number("1-2", 3, &d), -1);
	assert_int_equal(map_parse_number("nan", 3, &d), -1);
	assert_int_equal(map_parse_number("1,5.2", 5, &d), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_rows),
		cmocka_unit_test(test_bad_rows),
		cmocka_unit_test(test_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
