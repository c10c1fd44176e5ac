/*
 * tests/unit/core/verr.c — field errors: VERRS_INIT, recording field, code
 * and formatted message (Polish letters kept), NULL field as the whole
 * form, a named field keeping only its first error while whole-form errors
 * accumulate, lookup of the first message, order of errors, the VERR_MAX
 * cap and message truncation at the buffer size.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "core/verr.h"

/* ---- tests ---- */

static void test_core__verr__init(void **state)
{
	struct verrs v = VERRS_INIT;

	(void)state;
	assert_int_equal(v.n, 0);
	assert_null(verrs_for(&v, "regon"));
	assert_null(verrs_for(&v, ""));
	assert_false(verrs_has(&v, "regon"));
}

static void test_core__verr__add(void **state)
{
	struct verrs v = VERRS_INIT;

	(void)state;
	verrs_add(&v, "regon", "invalid", "REGON %s ma błędną cyfrę kontrolną (%d).", "123456785", 7);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.e[0].field, "regon");
	assert_string_equal(v.e[0].code, "invalid");
	assert_string_equal(v.e[0].message, "REGON 123456785 ma błędną cyfrę kontrolną (7).");
	assert_string_equal(verrs_for(&v, "regon"), "REGON 123456785 ma błędną cyfrę kontrolną (7).");
	assert_ptr_equal(verrs_for(&v, "regon"), v.e[0].message);
	assert_true(verrs_has(&v, "regon"));
	assert_false(verrs_has(&v, "nip"));
	assert_false(verrs_has(&v, "Regon")); /* names are exact */
	assert_false(verrs_has(&v, "rego"));
	assert_false(verrs_has(&v, ""));
}

static void test_core__verr__whole_form(void **state)
{
	struct verrs v = VERRS_INIT;

	(void)state;
	verrs_add(&v, NULL, "stale", "Formularz wygasł.");
	verrs_add(&v, "", "conflict", "Ktoś zmienił ten rekord.");
	assert_int_equal(v.n, 2);
	assert_string_equal(v.e[0].field, "");
	assert_string_equal(v.e[1].field, "");
	/* both whole-form errors are kept; lookup gives the first */
	assert_string_equal(verrs_for(&v, ""), "Formularz wygasł.");
	assert_true(verrs_has(&v, ""));
	assert_string_equal(v.e[1].message, "Ktoś zmienił ten rekord.");
}

static void test_core__verr__first_per_field(void **state)
{
	struct verrs v = VERRS_INIT;

	(void)state;
	verrs_add(&v, "age", "invalid", "Podaj liczbę.");
	verrs_add(&v, "name", "required", "Podaj nazwę.");
	verrs_add(&v, "age", "required", "Pole jest wymagane.");
	verrs_add(&v, "name", "too_long", "Za długa nazwa.");
	assert_int_equal(v.n, 2);
	assert_string_equal(verrs_for(&v, "age"), "Podaj liczbę.");
	assert_string_equal(v.e[0].code, "invalid");
	assert_string_equal(verrs_for(&v, "name"), "Podaj nazwę.");
	assert_string_equal(v.e[1].code, "required");
}

static void test_core__verr__order(void **state)
{
	struct verrs v = VERRS_INIT;

	(void)state;
	verrs_add(&v, "b", "required", "B");
	verrs_add(&v, "a", "taken", "A");
	verrs_add(&v, "", "x", "form");
	verrs_add(&v, "c", "invalid", "C");
	assert_int_equal(v.n, 4);
	assert_string_equal(v.e[0].field, "b");
	assert_string_equal(v.e[1].field, "a");
	assert_string_equal(v.e[2].field, "");
	assert_string_equal(v.e[3].field, "c");
	assert_string_equal(v.e[1].code, "taken");
	assert_string_equal(v.e[3].message, "C");
}

static void test_core__verr__max(void **state)
{
	static char names[VERR_MAX + 8][16];
	struct verrs v = VERRS_INIT;
	int i;

	(void)state;
	for (i = 0; i < VERR_MAX + 8; i++) {
		snprintf(names[i], sizeof(names[i]), "f%d", i);
		verrs_add(&v, names[i], "invalid", "error %d", i);
	}
	assert_int_equal(v.n, VERR_MAX);
	assert_string_equal(verrs_for(&v, "f0"), "error 0");
	assert_string_equal(verrs_for(&v, "f31"), "error 31");
	assert_null(verrs_for(&v, "f32"));
	assert_null(verrs_for(&v, "f39"));
	verrs_add(&v, "", "x", "form");
	verrs_add(&v, NULL, "x", "form");
	assert_int_equal(v.n, VERR_MAX);
	assert_false(verrs_has(&v, ""));
}

static void test_core__verr__truncation(void **state)
{
	struct verrs v = VERRS_INIT;
	char longmsg[1000];

	(void)state;
	memset(longmsg, 'x', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	verrs_add(&v, "f", "too_long", "%s", longmsg);
	assert_int_equal(strlen(v.e[0].message), sizeof(v.e[0].message) - 1);
	assert_int_equal(v.e[0].message[0], 'x');
	verrs_add(&v, "g", "c", "100%% %s", "");
	assert_string_equal(verrs_for(&v, "g"), "100% ");
	verrs_add(&v, "h", "c", "%s", "");
	assert_string_equal(verrs_for(&v, "h"), "");
	assert_true(verrs_has(&v, "h")); /* an empty message is still an error */
}

/* A message cut at the buffer size ends on a whole UTF-8 character. */
static void test_core__verr__truncation_utf8(void **state)
{
	struct verrs v = VERRS_INIT;
	char longmsg[1001];
	size_t i, len;

	(void)state;
	for (i = 0; i + 2 < sizeof(longmsg); i += 2)
		memcpy(longmsg + i, "\xC4\x85", 2); /* ą, two bytes each */
	longmsg[i] = '\0';
	for (i = 0; i < 2; i++) { /* an odd and an even cut */
		verrs_add(&v, i == 0 ? "a" : "b", "c", i == 0 ? "%s" : "x%s", longmsg);
		len = strlen(v.e[i].message);
		assert_true(len >= sizeof(v.e[i].message) - 3);
		assert_true(utf8_valid(v.e[i].message, len));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core__verr__init),
		cmocka_unit_test(test_core__verr__add),
		cmocka_unit_test(test_core__verr__whole_form),
		cmocka_unit_test(test_core__verr__first_per_field),
		cmocka_unit_test(test_core__verr__order),
		cmocka_unit_test(test_core__verr__max),
		cmocka_unit_test(test_core__verr__truncation),
		cmocka_unit_test(test_core__verr__truncation_utf8),
	};

	return cmocka_run_group_tests_name("core/verr", tests, NULL, NULL);
}
