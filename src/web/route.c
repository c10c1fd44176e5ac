/*
 * route.c — compiling route patterns once and matching paths against them.
 *
 * At start-up each pattern is cut into segments (literal text and typed
 * parameters) and checked; matching then walks the segments with memcmp
 * and character classes, copying parameter values into the request's
 * fixed struct req_params, so no request allocates to be routed. The scan
 * is linear in table order (the first route of the method wins): tables
 * are short and a literal prefix fails at its first differing byte.
 */
#include "web/route.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

enum seg_kind { SEG_LIT, SEG_INT, SEG_TERC, SEG_SLUG };

struct seg {
	enum seg_kind kind;
	const char *text; /* SEG_LIT: into the pattern (len bytes); else the parameter name */
	size_t len;
};

struct compiled {
	const struct route *r;
	struct seg seg[2 * REQ_MAX_PARAMS + 1];
	int nseg;
};

struct route_set {
	struct compiled *c;
	int n;
	char *names; /* parameter names, NUL-separated */
};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_slug(char c)
{
	return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-';
}

static int is_name(char c)
{
	return (c >= 'a' && c <= 'z') || is_digit(c) || c == '_';
}

/* compile() cuts pattern into c's segments, copying names to *names. Returns 0 or -1. */
static int compile(const struct route *r, struct compiled *c, char **names, char *err, size_t errlen)
{
	const char *p = r->pattern;
	int nparams = 0;

	c->r = r;
	c->nseg = 0;
	if (p == NULL || p[0] != '/' || r->handler == NULL) {
		snprintf(err, errlen, "route %s: a pattern starts with '/' and has a handler",
			 p != NULL ? p : "(null)");
		return -1;
	}
	while (*p != '\0') {
		struct seg *s = &c->seg[c->nseg];
		const char *end, *colon;
		size_t nlen;

		if (*p != '{') {
			end = strchr(p, '{');
			if (end == NULL)
				end = p + strlen(p);
			s->kind = SEG_LIT;
			s->text = p;
			s->len = (size_t)(end - p);
			c->nseg++;
			p = end;
			continue;
		}
		end = strchr(p, '}');
		if (end == NULL || nparams == REQ_MAX_PARAMS ||
		    (c->nseg > 0 && c->seg[c->nseg - 1].kind != SEG_LIT)) {
			snprintf(err, errlen, "route %s: unclosed, adjacent or too many parameters",
				 r->pattern);
			return -1;
		}
		colon = memchr(p, ':', (size_t)(end - p));
		nlen = (size_t)((colon != NULL ? colon : end) - p - 1);
		if (colon == NULL && nlen == 2 && strncmp(p + 1, "id", 2) == 0)
			s->kind = SEG_INT; /* "{id}" is "{id:int}" */
		else if (colon != NULL && end - colon - 1 == 3 && strncmp(colon + 1, "int", 3) == 0)
			s->kind = SEG_INT;
		else if (colon != NULL && end - colon - 1 == 4 && strncmp(colon + 1, "terc", 4) == 0)
			s->kind = SEG_TERC;
		else if (colon != NULL && end - colon - 1 == 4 && strncmp(colon + 1, "slug", 4) == 0)
			s->kind = SEG_SLUG;
		else {
			snprintf(err, errlen, "route %s: unknown parameter type (int, terc or slug)",
				 r->pattern);
			return -1;
		}
		if (nlen == 0) {
			snprintf(err, errlen, "route %s: a parameter needs a name", r->pattern);
			return -1;
		}
		for (size_t i = 0; i < nlen; i++)
			if (!is_name(p[1 + i])) {
				snprintf(err, errlen, "route %s: parameter names are [a-z0-9_]", r->pattern);
				return -1;
			}
		memcpy(*names, p + 1, nlen);
		(*names)[nlen] = '\0';
		s->text = *names;
		s->len = nlen;
		*names += nlen + 1;
		nparams++;
		c->nseg++;
		p = end + 1;
	}
	return 0;
}

struct route_set *route_set_build(const struct route *const *tables, const int *counts, int ntables,
				  char *err, size_t errlen)
{
	struct route_set *s = calloc(1, sizeof(*s));
	size_t names = 0;
	char *np;
	int t, i, j, total = 0;

	if (s == NULL)
		goto nomem;
	for (t = 0; t < ntables; t++) {
		total += counts[t];
		for (i = 0; i < counts[t]; i++)
			names += tables[t][i].pattern != NULL ? strlen(tables[t][i].pattern) + 1 : 0;
	}
	s->c = calloc((size_t)total + 1, sizeof(*s->c));
	s->names = malloc(names + 1);
	if (s->c == NULL || s->names == NULL)
		goto nomem;
	np = s->names;
	for (t = 0; t < ntables; t++)
		for (i = 0; i < counts[t]; i++) {
			const struct route *r = &tables[t][i];

			if (compile(r, &s->c[s->n], &np, err, errlen) != 0)
				goto fail;
			for (j = 0; j < s->n; j++)
				if (s->c[j].r->method == r->method && strcmp(s->c[j].r->pattern, r->pattern) == 0) {
					snprintf(err, errlen, "route %s %s is declared twice",
						 http_method_name(r->method), r->pattern);
					goto fail;
				}
			s->n++;
		}
	return s;
nomem:
	snprintf(err, errlen, "out of memory compiling the routes");
fail:
	route_set_free(s);
	return NULL;
}

void route_set_free(struct route_set *s)
{
	if (s == NULL)
		return;
	free(s->c);
	free(s->names);
	free(s);
}

/* span() is how many characters of the parameter kind start path + pos. */
static size_t span(enum seg_kind k, const char *s, size_t max)
{
	size_t n = 0;

	if (k == SEG_SLUG)
		while (n < max && is_slug(s[n]))
			n++;
	else
		while (n < max && is_digit(s[n]))
			n++;
	return n;
}

/* match() tests one compiled route; on success fills params. */
static int match(const struct compiled *c, const char *path, size_t plen, struct req_params *params)
{
	size_t pos = 0, off[REQ_MAX_PARAMS], len[REQ_MAX_PARAMS];
	int i, k = 0;

	for (i = 0; i < c->nseg; i++) {
		const struct seg *s = &c->seg[i];
		size_t n;

		if (s->kind == SEG_LIT) {
			if (plen - pos < s->len || memcmp(path + pos, s->text, s->len) != 0)
				return 0;
			pos += s->len;
			continue;
		}
		n = span(s->kind, path + pos, plen - pos);
		if (s->kind == SEG_INT && (n == 0 || n > 18 || path[pos] == '0'))
			return 0;
		if (s->kind == SEG_TERC && n != 2 && n != 4 && n != 7)
			return 0;
		if (s->kind == SEG_SLUG && (n == 0 || n > REQ_PARAM_MAX))
			return 0;
		off[k] = pos;
		len[k++] = n;
		pos += n;
	}
	if (pos != plen)
		return 0;
	if (params == NULL)
		return 1;
	params->n = 0;
	for (i = 0; i < c->nseg; i++) {
		const struct seg *s = &c->seg[i];
		int64_t v = 0;
		int j = params->n;
		size_t x;

		if (s->kind == SEG_LIT)
			continue;
		memcpy(params->text[j], path + off[j], len[j]);
		params->text[j][len[j]] = '\0';
		if (s->kind == SEG_INT)
			for (x = 0; x < len[j]; x++)
				v = v * 10 + (path[off[j] + x] - '0');
		params->name[j] = s->text;
		params->num[j] = v;
		params->n++;
	}
	return 1;
}

const struct route *route_set_find(const struct route_set *s, enum http_method method,
				   const char *path, struct req_params *params, int *path_known)
{
	enum http_method m = method == HTTP_HEAD ? HTTP_GET : method;
	size_t plen = strlen(path);
	int i;

	*path_known = 0;
	if (params != NULL)
		params->n = 0;
	for (i = 0; i < s->n; i++) {
		const struct compiled *c = &s->c[i];

		if (c->r->method != m) {
			if (!*path_known && match(c, path, plen, NULL))
				*path_known = 1;
			continue;
		}
		if (match(c, path, plen, params)) {
			*path_known = 0;
			return c->r;
		}
	}
	if (params != NULL)
		params->n = 0;
	return NULL;
}

int64_t route_body_limit(const struct route *r, const struct config *cfg)
{
	if (r->body_max == BODY_UPLOAD)
		return cfg->max_upload_body;
	if (r->body_max <= 0)
		return cfg->max_form_body;
	return r->body_max;
}

int64_t route_set_max_body(const struct route_set *s, const struct config *cfg)
{
	/* the largest limit a route actually declares: no upload route, no 64 MiB body read */
	int64_t max = cfg->max_form_body;
	int i;

	for (i = 0; s != NULL && i < s->n; i++)
		if (route_body_limit(s->c[i].r, cfg) > max)
			max = route_body_limit(s->c[i].r, cfg);
	return max;
}

/* ------------------------------------------------------------------ */
/* The server's set                                                    */
/* ------------------------------------------------------------------ */

static struct route_set *server_set;
static pthread_once_t server_once = PTHREAD_ONCE_INIT;
static char server_err[256];

static void build_server_set(void)
{
	const struct route *tables[64];
	int counts[64], n = 0;

	for (n = 0; route_modules[n].routes != NULL && n < 64; n++) {
		tables[n] = route_modules[n].routes;
		counts[n] = *route_modules[n].n;
	}
	server_set = route_set_build(tables, counts, n, server_err, sizeof(server_err));
	if (server_set == NULL)
		log_error("%s", server_err);
}

int route_init(char *err, size_t errlen)
{
	pthread_once(&server_once, build_server_set);
	if (server_set == NULL) {
		snprintf(err, errlen, "%s", server_err);
		return -1;
	}
	return 0;
}

const struct route_set *route_table(void)
{
	pthread_once(&server_once, build_server_set);
	return server_set;
}

const struct route *route_find(enum http_method method, const char *path, struct req_params *params,
			       int *path_known)
{
	const struct route_set *s = route_table();

	*path_known = 0;
	if (s == NULL)
		return NULL;
	return route_set_find(s, method, path, params, path_known);
}
