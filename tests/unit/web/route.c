/*
 * tests/unit/web/route.c — route matching: literal paths, {id:int} (no
 * leading zero, at most 18 digits, "{id}" as shorthand), {code:terc}
 * (2, 4 or 7 digits, leading zeros kept as text), {name:slug}, several
 * parameters in one pattern, HEAD answered by GET, 405 (path known for
 * another method) versus 404, malformed patterns and duplicates refused
 * at build time, body limits, and the server's own module tables.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "web/route.h"

static int h_a(struct req *req) { (void)req; return 200; }
static int h_b(struct req *req) { (void)req; return 201; }

static const struct route table[] = {
	{ HTTP_GET, "/", h_a, 0, 0 },
	{ HTTP_GET, "/admin/users/new", h_b, 0, 0 },
	{ HTTP_GET, "/admin/users/{id:int}", h_a, 0, 0 },
	{ HTTP_POST, "/admin/users/{id}/edit", h_b, 0, 0, BODY_UPLOAD },
	{ HTTP_GET, "/teryt/{code:terc}", h_a, 0, 0, 1000 },
	{ HTTP_GET, "/p/{name:slug}/rows/{row:int}", h_b, 0, 0 },
};

static struct route_set *build(void)
{
	const struct route *t[] = { table };
	int n[] = { (int)(sizeof(table) / sizeof(table[0])) };
	char err[256] = "";
	struct route_set *s = route_set_build(t, n, 1, err, sizeof(err));

	assert_non_null(s);
	assert_string_equal(err, "");
	return s;
}

static const struct route *find(struct route_set *s, enum http_method m, const char *path,
				struct req_params *p, int *known)
{
	memset(p, 0x5a, sizeof(*p));
	return route_set_find(s, m, path, p, known);
}

static void test_web__route__literal(void **state)
{
	struct route_set *s = build();
	struct req_params p;
	int known;

	(void)state;
	assert_ptr_equal(find(s, HTTP_GET, "/", &p, &known), &table[0]);
	assert_int_equal(p.n, 0);
	assert_ptr_equal(find(s, HTTP_HEAD, "/", &p, &known), &table[0]);
	assert_ptr_equal(find(s, HTTP_GET, "/admin/users/new", &p, &known), &table[1]);
	assert_null(find(s, HTTP_GET, "//", &p, &known));
	assert_null(find(s, HTTP_GET, "/admin/users/new/", &p, &known));
	assert_null(find(s, HTTP_GET, "/admin/users", &p, &known));
	assert_int_equal(known, 0);
	assert_int_equal(p.n, 0);
	route_set_free(s);
}

static void test_web__route__int(void **state)
{
	struct route_set *s = build();
	struct req_params p;
	int known;

	(void)state;
	assert_ptr_equal(find(s, HTTP_GET, "/admin/users/42", &p, &known), &table[2]);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.name[0], "id");
	assert_int_equal(p.num[0], 42);
	assert_string_equal(p.text[0], "42");
	assert_ptr_equal(find(s, HTTP_GET, "/admin/users/999999999999999999", &p, &known), &table[2]);
	assert_int_equal(p.num[0], 999999999999999999LL);
	assert_null(find(s, HTTP_GET, "/admin/users/1000000000000000000", &p, &known)); /* 19 digits */
	assert_null(find(s, HTTP_GET, "/admin/users/0", &p, &known));
	assert_null(find(s, HTTP_GET, "/admin/users/042", &p, &known));
	assert_null(find(s, HTTP_GET, "/admin/users/-1", &p, &known));
	assert_null(find(s, HTTP_GET, "/admin/users/12abc", &p, &known));
	assert_null(find(s, HTTP_GET, "/admin/users/", &p, &known));
	/* "{id}" is "{id:int}" */
	assert_ptr_equal(find(s, HTTP_POST, "/admin/users/7/edit", &p, &known), &table[3]);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.name[0], "id");
	assert_int_equal(p.num[0], 7);
	assert_null(find(s, HTTP_POST, "/admin/users/07/edit", &p, &known));
	route_set_free(s);
}

static void test_web__route__terc(void **state)
{
	struct route_set *s = build();
	struct req_params p;
	int known;

	(void)state;
	assert_ptr_equal(find(s, HTTP_GET, "/teryt/0201011", &p, &known), &table[4]);
	assert_string_equal(p.name[0], "code");
	assert_string_equal(p.text[0], "0201011"); /* the leading zero is kept */
	assert_int_equal(p.num[0], 0);
	assert_ptr_equal(find(s, HTTP_GET, "/teryt/02", &p, &known), &table[4]);
	assert_string_equal(p.text[0], "02");
	assert_ptr_equal(find(s, HTTP_GET, "/teryt/0201", &p, &known), &table[4]);
	assert_string_equal(p.text[0], "0201");
	assert_null(find(s, HTTP_GET, "/teryt/2", &p, &known));
	assert_null(find(s, HTTP_GET, "/teryt/020", &p, &known));
	assert_null(find(s, HTTP_GET, "/teryt/02010", &p, &known));
	assert_null(find(s, HTTP_GET, "/teryt/02010111", &p, &known));
	assert_null(find(s, HTTP_GET, "/teryt/02a1011", &p, &known));
	route_set_free(s);
}

static void test_web__route__slug_and_two_params(void **state)
{
	struct route_set *s = build();
	struct req_params p;
	char path[128], slug[70];
	int known;

	(void)state;
	assert_ptr_equal(find(s, HTTP_GET, "/p/umowa-2024/rows/15", &p, &known), &table[5]);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.name[0], "name");
	assert_string_equal(p.text[0], "umowa-2024");
	assert_string_equal(p.name[1], "row");
	assert_int_equal(p.num[1], 15);
	assert_null(find(s, HTTP_GET, "/p/Umowa/rows/15", &p, &known));
	assert_null(find(s, HTTP_GET, "/p/a_b/rows/15", &p, &known));
	assert_null(find(s, HTTP_GET, "/p//rows/15", &p, &known));
	memset(slug, 'a', 64);
	slug[64] = '\0';
	snprintf(path, sizeof(path), "/p/%s/rows/1", slug);
	assert_non_null(find(s, HTTP_GET, path, &p, &known));
	assert_int_equal(strlen(p.text[0]), 64);
	snprintf(path, sizeof(path), "/p/%sa/rows/1", slug);
	assert_null(find(s, HTTP_GET, path, &p, &known));
	route_set_free(s);
}

static void test_web__route__405_vs_404(void **state)
{
	struct route_set *s = build();
	struct req_params p;
	int known;

	(void)state;
	assert_null(find(s, HTTP_POST, "/admin/users/5", &p, &known));
	assert_int_equal(known, 1);
	assert_null(find(s, HTTP_DELETE, "/", &p, &known));
	assert_int_equal(known, 1);
	assert_null(find(s, HTTP_GET, "/admin/users/5/edit", &p, &known));
	assert_int_equal(known, 1);
	assert_null(find(s, HTTP_POST, "/admin/users/05", &p, &known));
	assert_int_equal(known, 0);
	assert_null(find(s, HTTP_GET, "/nothing", &p, &known));
	assert_int_equal(known, 0);
	route_set_free(s);
}

static void expect_bad(const char *pattern, const char *why)
{
	const struct route bad[] = { { HTTP_GET, pattern, h_a, 0, 0 } };
	const struct route *t[] = { bad };
	int n[] = { 1 };
	char err[256] = "";

	assert_null(route_set_build(t, n, 1, err, sizeof(err)));
	assert_non_null(strstr(err, why));
}

static void test_web__route__bad_patterns(void **state)
{
	const struct route dup[] = { { HTTP_GET, "/x/{id}", h_a, 0, 0 }, { HTTP_POST, "/x/{id}", h_a, 0, 0 },
				     { HTTP_GET, "/x/{id}", h_b, 0, 0 } };
	const struct route *t[] = { dup };
	int n[] = { 3 };
	char err[256];

	(void)state;
	expect_bad("x", "starts with '/'");
	expect_bad("/a/{id:float}", "unknown parameter type");
	expect_bad("/a/{code}", "unknown parameter type");
	expect_bad("/a/{id:int", "unclosed");
	expect_bad("/a/{a:int}{b:int}", "adjacent");
	expect_bad("/{a:int}/{b:int}/{c:int}/{d:int}/{e:int}", "too many");
	expect_bad("/a/{:int}", "needs a name");
	expect_bad("/a/{A:int}", "names are");
	assert_null(route_set_build(t, n, 1, err, sizeof(err)));
	assert_non_null(strstr(err, "GET /x/{id} is declared twice"));
}

static void test_web__route__body_limits(void **state)
{
	struct route_set *s = build();
	struct config c;

	(void)state;
	config_defaults(&c);
	assert_int_equal(route_body_limit(&table[0], &c), 64 * 1024);
	assert_int_equal(route_body_limit(&table[3], &c), 64 * 1024 * 1024);
	assert_int_equal(route_body_limit(&table[4], &c), 1000);
	assert_int_equal(route_set_max_body(s, &c), 64 * 1024 * 1024);
	c.max_upload_body = 2048;
	assert_int_equal(route_set_max_body(s, &c), 64 * 1024);
	route_set_free(s);
}

/* The server's tables compile and answer the paths the application uses. */
static void test_web__route__server_tables(void **state)
{
	struct req_params p;
	char err[256];
	const struct route *r;
	int known;

	(void)state;
	assert_int_equal(route_init(err, sizeof(err)), 0);
	r = route_find(HTTP_GET, "/", &p, &known);
	assert_non_null(r);
	assert_int_equal(p.n, 0);
	r = route_find(HTTP_POST, "/admin/users/12/edit", &p, &known);
	assert_non_null(r);
	assert_int_equal(p.num[0], 12);
	r = route_find(HTTP_POST, "/api/v1/session", &p, &known);
	assert_non_null(r);
	assert_int_equal(r->flags & R_PUBLIC, R_PUBLIC);
	assert_int_equal(r->body_max, BODY_FORM);
	assert_null(route_find(HTTP_PUT, "/login", &p, &known));
	assert_int_equal(known, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_web__route__literal),
		cmocka_unit_test(test_web__route__int),
		cmocka_unit_test(test_web__route__terc),
		cmocka_unit_test(test_web__route__slug_and_two_params),
		cmocka_unit_test(test_web__route__405_vs_404),
		cmocka_unit_test(test_web__route__bad_patterns),
		cmocka_unit_test(test_web__route__body_limits),
		cmocka_unit_test(test_web__route__server_tables),
	};

	return cmocka_run_group_tests_name("web/route", tests, NULL, NULL);
}
