/*
 * tests/unit/web/multipart.c — multipart/form-data: text fields and a file
 * part (its data untouched, CRLF inside kept, the path of an old browser's
 * file name cut), a quoted boundary, LF-only line ends, and the refusals:
 * no boundary, no closing boundary, a part without a name, too many
 * fields, a field too long, bad UTF-8 in a field.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "web/multipart.h"

#define CT "multipart/form-data; boundary=----b0und"

static const char body[] = "------b0und\r\n"
			   "Content-Disposition: form-data; name=\"_csrf\"\r\n\r\n"
			   "tok\r\n"
			   "------b0und\r\n"
			   "Content-Disposition: form-data; name=\"file\"; filename=\"C:\\\\Dane\\\\rejestr.csv\"\r\n"
			   "Content-Type: text/csv\r\n\r\n"
			   "a;b\r\n1;2\r\n\r\n"
			   "------b0und\r\n"
			   "Content-Disposition: form-data; name=\"mapping\"\r\n\r\n"
			   "surname = NAZW\r\n"
			   "------b0und--\r\n";

static void test_web__multipart__parts(void **state)
{
	struct arena *a = arena_new(1 << 20);
	struct mpart p[MULTIPART_MAX_PARTS];
	const struct mpart *f;
	int n;

	(void)state;
	n = multipart_parse(a, CT, body, sizeof(body) - 1, p);
	assert_int_equal(n, 3);
	assert_string_equal(p[0].name, "_csrf");
	assert_null(p[0].filename);
	assert_int_equal(p[0].len, 3);
	f = multipart_file(p, n, "file");
	assert_non_null(f);
	assert_string_equal(f->filename, "rejestr.csv");
	assert_string_equal(f->content_type, " text/csv");
	assert_int_equal(f->len, 10); /* the CRLF before the boundary is the delimiter's */
	assert_memory_equal(f->data, "a;b\r\n1;2\r\n", 10);
	assert_null(multipart_file(p, n, "_csrf"));
	/* quoted boundary, LF line ends */
	{
		const char *lf = "--q\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv\n--q--\n";

		assert_int_equal(multipart_parse(a, "multipart/form-data; boundary=\"q\"", lf, strlen(lf), p), 1);
	}
	assert_int_equal(p[0].len, 1);
	arena_free(a);
}

static void test_web__multipart__form(void **state)
{
	struct arena *a = arena_new(1 << 20);
	struct params form = { NULL, 0 };
	struct params_limits lim = { 8, 100 };

	(void)state;
	assert_int_equal(multipart_form(a, CT, body, sizeof(body) - 1, &lim, &form), PARAMS_OK);
	assert_int_equal(form.n, 2);
	assert_string_equal(params_get(&form, "_csrf"), "tok");
	assert_string_equal(params_get(&form, "mapping"), "surname = NAZW");
	assert_null(params_get(&form, "file"));
	lim.max_fields = 1;
	form.n = 0;
	assert_int_equal(multipart_form(a, CT, body, sizeof(body) - 1, &lim, &form), PARAMS_TOO_MANY);
	lim.max_fields = 8;
	lim.max_value = 5;
	form.n = 0;
	assert_int_equal(multipart_form(a, CT, body, sizeof(body) - 1, &lim, &form), PARAMS_TOO_LONG);
	arena_free(a);
}

static void test_web__multipart__refused(void **state)
{
	struct arena *a = arena_new(1 << 20);
	struct mpart p[MULTIPART_MAX_PARTS];
	struct params form = { NULL, 0 };
	struct params_limits lim = { 8, 100 };
	static const char bad_utf8[] = "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n\xC3(\r\n--b--\r\n";

	(void)state;
	assert_int_equal(multipart_parse(a, "multipart/form-data", body, sizeof(body) - 1, p), -1);
	assert_int_equal(multipart_parse(a, CT, body, 60, p), -1);
	{
		const char *noname = "--b\r\nContent-Disposition: form-data\r\n\r\nv\r\n--b--\r\n";

		assert_int_equal(multipart_parse(a, "multipart/form-data; boundary=b", noname, strlen(noname), p), -1);
	}
	assert_int_equal(multipart_parse(a, CT, "nothing", 7, p), -1);
	assert_int_equal(multipart_form(a, "multipart/form-data; boundary=b", bad_utf8, sizeof(bad_utf8) - 1, &lim, &form),
			 PARAMS_MALFORMED);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_web__multipart__parts),
		cmocka_unit_test(test_web__multipart__form),
		cmocka_unit_test(test_web__multipart__refused),
	};

	return cmocka_run_group_tests_name("web/multipart", tests, NULL, NULL);
}
