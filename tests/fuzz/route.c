/*
 * tests/fuzz/route.c — libFuzzer target for route matching
 * (src/web/route.c). The input is a request path (the last byte picks the
 * method). It is matched against the server's own route tables and a
 * table with every parameter type. Aborts when:
 *   - a match's parameters break their type: an int with a leading zero,
 *     more than 18 digits or a value other than its digits; a terc code
 *     not of 2, 4 or 7 digits; a slug outside [a-z0-9-]{1,64};
 *   - the pattern with its parameters put back is not the path (the match
 *     is exact and nothing is lost);
 *   - a route is found and path_known is set, or HEAD and GET disagree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/route.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int h(struct req *req)
{
	(void)req;
	return 200;
}

static const struct route typed[] = {
	{ HTTP_GET, "/t/{code:terc}", h, 0, 0, 0 },
	{ HTTP_GET, "/t/{code:terc}/{name:slug}", h, 0, 0, 0 },
	{ HTTP_POST, "/a/{id:int}/b/{n:int}-{s:slug}.x", h, 0, 0, 0 },
	{ HTTP_GET, "/{name:slug}", h, 0, 0, 0 },
	{ HTTP_GET, "/{id}/{code:terc}/{s:slug}/{n:int}", h, 0, 0, 0 },
};

static struct route_set *typed_set;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const struct route *t[] = { typed };
	int n[] = { (int)(sizeof(typed) / sizeof(typed[0])) };
	char err[256];

	(void)argc;
	(void)argv;
	typed_set = route_set_build(t, n, 1, err, sizeof(err));
	if (typed_set == NULL || route_init(err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	return 0;
}

static int all(const char *s, const char *set)
{
	return s[strspn(s, set)] == '\0';
}

/* rebuild() puts params back into pattern; aborts on a parameter that breaks its type. */
static void rebuild(const char *pattern, const struct req_params *p, char *out, size_t outlen)
{
	size_t o = 0;
	int k = 0;

	while (*pattern != '\0') {
		const char *end, *colon, *v;
		size_t vl;

		if (*pattern != '{') {
			if (o + 1 >= outlen)
				abort();
			out[o++] = *pattern++;
			continue;
		}
		end = strchr(pattern, '}');
		colon = memchr(pattern, ':', (size_t)(end - pattern));
		if (k >= p->n)
			abort();
		v = p->text[k];
		vl = strlen(v);
		if (colon == NULL || strncmp(colon + 1, "int", 3) == 0) {
			int64_t num = 0;
			size_t i;

			if (vl == 0 || vl > 18 || v[0] == '0' || !all(v, "0123456789"))
				abort();
			for (i = 0; i < vl; i++)
				num = num * 10 + (v[i] - '0');
			if (num != p->num[k])
				abort();
		} else if (strncmp(colon + 1, "terc", 4) == 0) {
			if ((vl != 2 && vl != 4 && vl != 7) || !all(v, "0123456789") || p->num[k] != 0)
				abort();
		} else if (vl == 0 || vl > 64 || !all(v, "abcdefghijklmnopqrstuvwxyz0123456789-")) {
			abort();
		}
		if (o + vl >= outlen)
			abort();
		memcpy(out + o, v, vl);
		o += vl;
		k++;
		pattern = end + 1;
	}
	if (k != p->n)
		abort();
	out[o] = '\0';
}

static void check(const struct route_set *s, enum http_method m, const char *path)
{
	struct req_params p, q;
	const struct route *r, *r2;
	char back[8192];
	int known, known2;

	r = s != NULL ? route_set_find(s, m, path, &p, &known) : route_find(m, path, &p, &known);
	if (r == NULL) {
		if (p.n != 0)
			abort();
		return;
	}
	if (known)
		abort();
	rebuild(r->pattern, &p, back, sizeof(back));
	if (strcmp(back, path) != 0)
		abort();
	if (m == HTTP_GET) {
		r2 = s != NULL ? route_set_find(s, HTTP_HEAD, path, &q, &known2)
			       : route_find(HTTP_HEAD, path, &q, &known2);
		if (r2 != r || q.n != p.n)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum http_method methods[] = { HTTP_GET, HTTP_POST, HTTP_PUT, HTTP_DELETE };
	char path[4096];
	enum http_method m;

	if (size == 0 || size >= sizeof(path))
		return 0;
	m = methods[data[size - 1] % 4];
	memcpy(path, data, size - 1);
	path[size - 1] = '\0';
	check(typed_set, m, path);
	check(NULL, m, path);
	return 0;
}
