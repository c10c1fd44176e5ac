/*
 * tests/unit/auth/role.c — role codes and their parsing, labels and
 * descriptions in English and Polish and the bit set helpers (the rule
 * that keeps special-category data from labour-office advisers is the
 * access policy's: tests/unit/policy/policy.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "auth/role.h"
#include "core/i18n.h"

static void test_codes(void **state)
{
	static const char *const want[] = { "admin", "social_worker", "labour_adviser", "guardian",
					    "coordinator", "analyst", "project_office" };
	int r;

	(void)state;
	assert_int_equal(ROLE__MAX, 7);
	for (r = 0; r < ROLE__MAX; r++) {
		assert_string_equal(role_code((enum role)r), want[r]);
		assert_string_equal(role_codes[r], want[r]);
		assert_int_equal(role_parse(want[r]), r);
	}
	assert_null(role_codes[ROLE__MAX]);
	assert_string_equal(role_code(ROLE__MAX), "");
	assert_string_equal(role_code((enum role)-1), "");
	assert_int_equal(role_parse(NULL), -1);
	assert_int_equal(role_parse(""), -1);
	assert_int_equal(role_parse("Admin"), -1);
	assert_int_equal(role_parse("admin "), -1);
	assert_int_equal(role_parse("superuser"), -1);
}

static void test_labels(void **state)
{
	int r;

	(void)state;
	assert_int_equal(i18n_init(), 0);
	i18n_set_lang(LANG_EN);
	assert_string_equal(role_label(ROLE_ADMIN), "Administrator");
	assert_string_equal(role_label(ROLE_SOCIAL_WORKER), "Social worker");
	assert_string_equal(role_label(ROLE_LABOUR_ADVISER), "Labour-office adviser");
	assert_string_equal(role_label(ROLE__MAX), "");
	assert_string_equal(role_about(ROLE__MAX), "");
	for (r = 0; r < ROLE__MAX; r++) {
		assert_true(strlen(role_label((enum role)r)) > 0);
		assert_true(strlen(role_about((enum role)r)) > 20);
	}
	i18n_set_lang(LANG_PL);
	assert_string_equal(role_label(ROLE_SOCIAL_WORKER), "Pracownik socjalny");
	for (r = 0; r < ROLE__MAX; r++) {
		i18n_set_lang(LANG_EN);
		const char *en = role_about((enum role)r);

		i18n_set_lang(LANG_PL);
		assert_string_not_equal(role_about((enum role)r), en); /* translated */
	}
	i18n_set_lang(LANG_EN);
}

static void test_sets(void **state)
{
	(void)state;
	assert_int_equal(ROLES_ALL, 0x7f);
	assert_int_equal(ROLE_BIT(ROLE_ANALYST), 1u << 5);
	assert_int_equal(roles_first(0), -1);
	assert_int_equal(roles_first(ROLE_BIT(ROLE_GUARDIAN) | ROLE_BIT(ROLE_ANALYST)), ROLE_GUARDIAN);
	assert_int_equal(roles_first(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PROJECT_OFFICE)), ROLE_ADMIN);
	assert_int_equal(roles_first(ROLE_BIT(ROLE_PROJECT_OFFICE)), ROLE_PROJECT_OFFICE);
	assert_int_equal(roles_first(1u << ROLE__MAX), -1);
}

/* Role sets as stored ("admin,analyst") and as shown ("Administrator, Analityk"). */
static void test_set_text(void **state)
{
	struct arena *a = arena_new(1 << 16);

	(void)state;
	assert_int_equal(role_set_parse(NULL), 0);
	assert_int_equal(role_set_parse(""), 0);
	assert_int_equal(role_set_parse("admin,analyst"), ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_ANALYST));
	assert_int_equal(role_set_parse("analyst,"), ROLE_BIT(ROLE_ANALYST));
	assert_int_equal(role_set_parse("admi,adminx,,guardian"), ROLE_BIT(ROLE_GUARDIAN)); /* whole codes only */
	i18n_set_lang(LANG_PL);
	assert_string_equal(role_set_labels(a, ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_SOCIAL_WORKER)),
			    "Administrator, Pracownik socjalny");
	assert_string_equal(role_set_labels(a, 0), "");
	i18n_set_lang(LANG_EN);
	assert_string_equal(role_set_labels(a, ROLE_BIT(ROLE_ANALYST)), "Analyst");
	i18n_set_lang(LANG_PL);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_sets),
		cmocka_unit_test(test_set_text),
	};

	return cmocka_run_group_tests_name("role", tests, NULL, NULL);
}
