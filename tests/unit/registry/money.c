/*
 * tests/unit/registry/money.c — amounts in złoty as people type them
 * ("1 234,56 zł", "1234.5", "1.234,56", no-break spaces) into grosze, the
 * refusals (three decimals, negative, too large, not a number) and the
 * display forms.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/arena.h"
#include "registry/situation.h"

static int64_t parsed(const char *s)
{
	int64_t g = -7;
	int rc = money_parse(s, &g);

	if (rc != 0)
		fail_msg("\"%s\" refused with %d", s, rc);
	return g;
}

static void test_accepted(void **state)
{
	(void)state;
	assert_int_equal(parsed("1 234,56 zł"), 123456);
	assert_int_equal(parsed("1234"), 123400);
	assert_int_equal(parsed("1234.5"), 123450);
	assert_int_equal(parsed("1.234,56"), 123456);
	assert_int_equal(parsed("1.234"), 123400); /* a dot before three digits groups thousands */
	assert_int_equal(parsed("12,5"), 1250);
	assert_int_equal(parsed("0,99"), 99);
	assert_int_equal(parsed("  719,00 zl "), 71900);
	assert_int_equal(parsed("1\xC2\xA0" "234,00\xC2\xA0zł"), 123400);
	assert_int_equal(parsed("1\xE2\x80\xAF" "000"), 100000);
	assert_int_equal(parsed("1'000,10 PLN"), 100010);
	assert_int_equal(parsed("1 000 000 000,00 zł"), MONEY_MAX_GROSZE);
	assert_int_equal(parsed("0"), 0);
}

static void test_refused(void **state)
{
	int64_t g = 5;

	(void)state;
	assert_int_equal(money_parse("1 234,567", &g), MONEY_DECIMALS);
	assert_int_equal(money_parse("-5", &g), MONEY_NEGATIVE);
	assert_int_equal(money_parse("1 000 000 000,01", &g), MONEY_TOO_LARGE);
	assert_int_equal(money_parse("99999999999999", &g), MONEY_TOO_LARGE);
	assert_int_equal(money_parse("abc", &g), MONEY_SYNTAX);
	assert_int_equal(money_parse("", &g), MONEY_SYNTAX);
	assert_int_equal(money_parse("zł", &g), MONEY_SYNTAX);
	assert_int_equal(money_parse("12,", &g), MONEY_SYNTAX);
	assert_int_equal(money_parse(",5", &g), MONEY_SYNTAX);
	assert_int_equal(money_parse("1,2,3", &g), MONEY_SYNTAX);
	assert_int_equal(money_parse("12 € ", &g), MONEY_SYNTAX);
	assert_int_equal(money_parse(NULL, &g), MONEY_SYNTAX);
	assert_int_equal(g, 5); /* untouched when refused */
}

static void test_format(void **state)
{
	struct arena *a = arena_new(1 << 16);

	(void)state;
	assert_string_equal(money_format(a, 123456), "1\xC2\xA0" "234,56\xC2\xA0zł");
	assert_string_equal(money_format(a, 5), "0,05\xC2\xA0zł");
	assert_string_equal(money_format(a, 100000000), "1\xC2\xA0" "000\xC2\xA0" "000,00\xC2\xA0zł");
	assert_string_equal(money_format(a, -1), "");
	assert_string_equal(money_input(a, 123456), "1234,56");
	assert_string_equal(money_input(a, -1), "");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
