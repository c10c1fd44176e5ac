/*
 * tests/unit/core/jsonw.c — the JSON writer: the same bytes as jansson's
 * json_dumps(JSON_COMPACT) for the same values (escapes of quotes,
 * backslashes and every control character, UTF-8 kept, null, integers
 * at both ends, nesting and commas), invalid UTF-8 and unclosed or
 * unopened objects refused, a buffer's failure seen.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonw.h"

/* as_jansson() is what jansson writes for {"k": s} (s NULL: null). */
static char *as_jansson(const char *s)
{
	json_t *j = json_pack("{s:s?}", "k", s);
	char *out;

	assert_non_null(j);
	out = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return out;
}

/* as_jansson_valid() is NULL when jansson refuses s as a string (invalid UTF-8), else it (freed). */
static const char *as_jansson_valid(const char *s)
{
	json_t *j = json_string(s);

	json_decref(j);
	return j != NULL ? s : NULL;
}

static void same_as_jansson(const char *s)
{
	struct buf b = BUF_INIT(4096);
	struct jsonw w;
	char *want = as_jansson(s);

	jsonw_init(&w, &b);
	jsonw_object(&w, NULL);
	jsonw_string(&w, "k", s);
	jsonw_end(&w);
	assert_true(jsonw_ok(&w));
	assert_string_equal(buf_str(&b), want);
	free(want);
	buf_release(&b);
}

static void test_core__jsonw__strings(void **state)
{
	char all[40];
	int i;

	(void)state;
	same_as_jansson("");
	same_as_jansson(NULL);
	same_as_jansson("Kowalska");
	same_as_jansson("Łukasz Żółć, ul. \"Długa\" 5/7 \\ a");
	same_as_jansson("line\nnext\r\ttab\bback\fform");
	same_as_jansson("emoji \xF0\x9F\x98\x80 and \xE2\x80\xA8 separator, DEL \x7F");
	for (i = 1; i < 32; i++)
		all[i - 1] = (char)i;
	all[31] = '\0';
	same_as_jansson(all); /* every control character, \u00XX as jansson writes them */
}

static void test_core__jsonw__structure(void **state)
{
	struct buf b = BUF_INIT(4096);
	struct jsonw w;
	json_t *j;
	char *want;

	(void)state;
	jsonw_init(&w, &b);
	jsonw_object(&w, NULL);
	jsonw_int(&w, "id", 1562);
	jsonw_int(&w, "min", INT64_MIN);
	jsonw_int(&w, "max", INT64_MAX);
	jsonw_int(&w, "zero", 0);
	jsonw_null(&w, "none");
	jsonw_object(&w, "inst");
	jsonw_int(&w, "id", -3);
	jsonw_string(&w, "name", "MOPS");
	jsonw_end(&w);
	jsonw_array(&w, "items");
	jsonw_int(&w, NULL, 1);
	jsonw_string(&w, NULL, "a");
	jsonw_object(&w, NULL);
	jsonw_end(&w);
	jsonw_end(&w);
	jsonw_end(&w);
	assert_true(jsonw_ok(&w));
	j = json_pack("{s:I, s:I, s:I, s:I, s:n, s:{s:I, s:s}, s:[I, s, {}]}", "id", (json_int_t)1562, "min",
		      (json_int_t)INT64_MIN, "max", (json_int_t)INT64_MAX, "zero", (json_int_t)0, "none", "inst",
		      "id", (json_int_t)-3, "name", "MOPS", "items", (json_int_t)1, "a");
	assert_non_null(j);
	want = json_dumps(j, JSON_COMPACT);
	assert_string_equal(buf_str(&b), want);
	free(want);
	json_decref(j);
	buf_release(&b);
}

static void test_core__jsonw__refused(void **state)
{
	static const char *const bad[] = {
		"\x80", "a\xC0\x80", "\xC3", "\xE0\x80\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",
	};
	struct buf b = BUF_INIT(4096), small = BUF_INIT(8);
	struct jsonw w;
	size_t i;
	int d;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_reset(&b);
		jsonw_init(&w, &b);
		jsonw_object(&w, NULL);
		jsonw_string(&w, "k", bad[i]);
		jsonw_end(&w);
		assert_false(jsonw_ok(&w));
		assert_null(as_jansson_valid(bad[i]));
	}
	jsonw_init(&w, &b); /* not closed */
	jsonw_object(&w, NULL);
	assert_false(jsonw_ok(&w));
	jsonw_init(&w, &b); /* closed once too often */
	jsonw_end(&w);
	assert_false(jsonw_ok(&w));
	jsonw_init(&w, &b); /* nested too deep */
	for (d = 0; d <= JSONW_DEPTH; d++)
		jsonw_array(&w, NULL);
	for (d = 0; d <= JSONW_DEPTH; d++)
		jsonw_end(&w);
	assert_false(jsonw_ok(&w));
	jsonw_init(&w, &small); /* the buffer's maximum */
	jsonw_object(&w, NULL);
	jsonw_string(&w, "name", "too long for eight bytes");
	jsonw_end(&w);
	assert_false(jsonw_ok(&w));
	buf_release(&b);
	buf_release(&small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core__jsonw__strings),
		cmocka_unit_test(test_core__jsonw__structure),
		cmocka_unit_test(test_core__jsonw__refused),
	};

	return cmocka_run_group_tests_name("core/jsonw", tests, NULL, NULL);
}
