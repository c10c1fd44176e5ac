/*
 * tests/fuzz/cookies.c — libFuzzer target for params_cookies()
 * (src/web/params.c): the input is a Cookie header value, parsed with
 * generous limits, with tight limits and with a tiny arena.
 *
 * Aborts when a result breaks the contract of params.h:
 *   - the return code is not one of enum params_rc (and a Cookie header is
 *     never "malformed": bad pairs are skipped);
 *   - on PARAMS_OK a name is empty, a name or value is not valid UTF-8
 *     without NUL bytes, a value is longer than max_value, a name or value
 *     has spaces/tabs at either end, a name contains '=' or ';', a value
 *     contains ';', or there are more than max_fields pairs;
 *   - every pair is not found, byte for byte, in the input;
 *   - params_get()/params_count() disagree with the list;
 *   - writing the pairs back as "name=value; ..." and parsing again does
 *     not give the same list (round trip; values that were quoted and
 *     whose quotes were removed are written back quoted);
 *   - the tiny arena gives anything but the generous result or PARAMS_NOMEM.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"
#include "web/params.h"
#include "params_same.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* found() is true when needle[0..n) occurs in hay[0..len). */
static int found(const char *hay, size_t len, const char *needle, size_t n)
{
	size_t i;

	if (n == 0)
		return 1;
	for (i = 0; i + n <= len; i++)
		if (memcmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

static void check(const struct params *p, const struct params_limits *lim, const char *s,
		  size_t size)
{
	int i;

	if (p->n < 0 || p->n > lim->max_fields)
		abort();
	for (i = 0; i < p->n; i++) {
		const char *nm = p->v[i].name, *val = p->v[i].value;
		size_t nl, vl;

		if (nm == NULL || val == NULL)
			abort();
		nl = strlen(nm);
		vl = strlen(val);
		if (nl == 0 || vl > lim->max_value)
			abort();
		if (!utf8_valid(nm, nl) || !utf8_valid(val, vl))
			abort();
		if (is_blank(nm[0]) || is_blank(nm[nl - 1]) || strpbrk(nm, "=;") != NULL)
			abort();
		if (strchr(val, ';') != NULL)
			abort();
		if (!found(s, size, nm, nl) || !found(s, size, val, vl))
			abort();
		if (params_get(p, nm) == NULL || params_count(p, nm) < 1)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct params_limits big = { 100000, 1 << 20 }, tight = { 3, 6 };
	const char *s = (const char *)data;
	struct arena *a = arena_new(1 << 24), *tiny;
	struct params p = { NULL, 0 }, q = { NULL, 0 }, r = { NULL, 0 };
	int rc, rc2, i;

	if (a == NULL)
		return 0;
	rc = params_cookies(a, s, size, &big, &p);
	if (rc != PARAMS_OK)
		abort(); /* not NOMEM with 16 MiB, never TOO_MANY with 100000 */
	check(&p, &big, s, size);

	/* round trip */
	{
		struct buf b = BUF_INIT(1 << 26);
		int skip = 0;

		for (i = 0; i < p.n; i++) {
			const char *val = p.v[i].value;
			size_t vl = strlen(val);

			/* a value the parser would trim or unquote cannot round-trip as is */
			if (vl > 0 && (is_blank(val[0]) || is_blank(val[vl - 1])))
				skip = 1;
			if (i > 0)
				buf_adds(&b, "; ");
			buf_adds(&b, p.v[i].name);
			buf_addc(&b, '=');
			if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"')
				buf_addf(&b, "\"%s\"", val);
			else
				buf_adds(&b, val);
		}
		if (b.failed)
			abort();
		if (!skip) {
			if (params_cookies(a, buf_str(&b), b.len, &big, &q) != PARAMS_OK)
				abort();
			if (!same(&p, &q))
				abort();
		}
		buf_release(&b);
	}

	rc2 = params_cookies(a, s, size, &tight, &r);
	if (rc2 != PARAMS_OK && rc2 != PARAMS_TOO_MANY)
		abort();
	if (rc2 == PARAMS_OK)
		check(&r, &tight, s, size);

	tiny = arena_new(64 + (size > 0 ? data[0] : 0));
	if (tiny != NULL) {
		struct params t = { NULL, 0 };

		rc2 = params_cookies(tiny, s, size, &big, &t);
		if (rc2 != PARAMS_OK && rc2 != PARAMS_NOMEM)
			abort();
		if (rc2 == PARAMS_OK && !same(&p, &t))
			abort();
		arena_free(tiny);
	}
	arena_free(a);
	return 0;
}
