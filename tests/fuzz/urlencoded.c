/*
 * tests/fuzz/urlencoded.c — libFuzzer target for params_urlencoded()
 * (src/web/params.c): the input is a query string or form body, parsed
 * with generous limits, with tight limits and with a tiny arena.
 *
 * Aborts when a result breaks the contract of params.h:
 *   - the return code is not one of enum params_rc;
 *   - on PARAMS_OK a name or value is not valid UTF-8 without NUL bytes,
 *     a value is longer than max_value, or there are more than max_fields
 *     fields (or more than the input has '&'-separated pieces);
 *   - params_get()/params_count() disagree with the list;
 *   - re-encoding the decoded fields with url_encode() and parsing them
 *     again does not give back exactly the same list (round trip);
 *   - the tight limits accept what the generous ones refuse, or the tiny
 *     arena gives anything other than the generous result or PARAMS_NOMEM.
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

static int valid_rc(int rc)
{
	return rc == PARAMS_OK || rc == PARAMS_MALFORMED || rc == PARAMS_TOO_MANY ||
	       rc == PARAMS_TOO_LONG || rc == PARAMS_NOMEM;
}

/* check() enforces the invariants of a successful parse. */
static void check(const struct params *p, const struct params_limits *lim, size_t pieces)
{
	int i;

	if (p->n < 0 || p->n > lim->max_fields || (size_t)p->n > pieces)
		abort();
	for (i = 0; i < p->n; i++) {
		const char *nm = p->v[i].name, *val = p->v[i].value;

		if (nm == NULL || val == NULL)
			abort();
		if (!utf8_valid(nm, strlen(nm)) || !utf8_valid(val, strlen(val)))
			abort();
		if (strlen(val) > lim->max_value)
			abort();
		if (params_get(p, nm) == NULL || params_count(p, nm) < 1)
			abort();
	}
	for (i = 0; i < p->n; i++) {
		int j, first = -1, count = 0;

		for (j = 0; j < p->n; j++)
			if (strcmp(p->v[j].name, p->v[i].name) == 0) {
				if (first < 0)
					first = j;
				count++;
			}
		if (params_get(p, p->v[i].name) != p->v[first].value ||
		    params_count(p, p->v[i].name) != count)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct params_limits big = { 100000, 1 << 20 }, tight = { 4, 8 };
	const char *s = (const char *)data;
	struct arena *a = arena_new(1 << 24), *tiny;
	struct params p = { NULL, 0 }, q = { NULL, 0 }, r = { NULL, 0 };
	size_t pieces = 1, i;
	int rc, rc2;

	if (a == NULL)
		return 0;
	for (i = 0; i < size; i++)
		pieces += data[i] == '&';

	rc = params_urlencoded(a, s, size, &big, &p);
	if (!valid_rc(rc) || rc == PARAMS_TOO_MANY || rc == PARAMS_NOMEM)
		abort();
	if (rc == PARAMS_OK) {
		struct buf b = BUF_INIT(1 << 26);

		check(&p, &big, pieces);
		/* round trip: encode what was decoded, decode it again */
		for (i = 0; i < (size_t)p.n; i++) {
			if (i > 0)
				buf_addc(&b, '&');
			url_encode(&b, p.v[i].name);
			buf_addc(&b, '=');
			url_encode(&b, p.v[i].value);
		}
		if (b.failed)
			abort();
		rc2 = params_urlencoded(a, buf_str(&b), b.len, &big, &q);
		if (rc2 != PARAMS_OK || !same(&p, &q))
			abort();
		/* appending to a list keeps what was there */
		rc2 = params_urlencoded(a, buf_str(&b), b.len, &big, &q);
		if (rc2 != PARAMS_OK || q.n != 2 * p.n)
			abort();
		for (i = 0; i < (size_t)p.n; i++)
			if (strcmp(q.v[i].name, q.v[i + (size_t)p.n].name) != 0 ||
			    strcmp(q.v[i].value, q.v[i + (size_t)p.n].value) != 0)
				abort();
		buf_release(&b);
	}

	rc2 = params_urlencoded(a, s, size, &tight, &r);
	if (!valid_rc(rc2) || rc2 == PARAMS_NOMEM)
		abort();
	if (rc2 == PARAMS_OK) {
		check(&r, &tight, pieces);
		if (rc != PARAMS_OK || !same(&p, &r))
			abort();
	}
	if (rc == PARAMS_OK && rc2 != PARAMS_OK && rc2 != PARAMS_TOO_MANY && rc2 != PARAMS_TOO_LONG)
		abort();

	tiny = arena_new(64 + (size > 0 ? data[0] : 0));
	if (tiny != NULL) {
		struct params t = { NULL, 0 };

		rc2 = params_urlencoded(tiny, s, size, &big, &t);
		if (rc2 != rc && rc2 != PARAMS_NOMEM)
			abort();
		if (rc2 == PARAMS_OK && !same(&p, &t))
			abort();
		arena_free(tiny);
	}
	arena_free(a);
	return 0;
}
