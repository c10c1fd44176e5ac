/*
 * values.c — the values file of `razem map --values`: "code;value" lines
 * as spreadsheets save them in Poland (semicolons, decimal commas).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map/map.h"

#define VALUE_MAX 64 /* characters of one number, spaces included */

static void bad(struct map_values *out, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void bad(struct map_values *out, int line, const char *fmt, ...)
{
	va_list ap;
	int at;

	if (out->nerrs < MAP_VALUES_ERRS_MAX) {
		char *e = out->errs[out->nerrs];

		at = snprintf(e, sizeof(out->errs[0]), "line %d: ", line);
		va_start(ap, fmt);
		vsnprintf(e + at, sizeof(out->errs[0]) - (size_t)at, fmt, ap);
		va_end(ap);
	}
	out->nerrs++;
}

static void trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
	if (*n >= 2 && (*s)[0] == '"' && (*s)[*n - 1] == '"')
		(*s)++, *n -= 2;
}

int map_parse_number(const char *s, size_t n, double *out)
{
	char tmp[VALUE_MAX + 1], *end;
	size_t i, j = 0;
	int seps = 0;

	trim(&s, &n);
	if (n == 0 || n > VALUE_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ')
			continue; /* "1 234,5": a space between digit groups */
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xa0) {
			i++; /* a no-break space, as Polish office software groups digits */
			continue;
		}
		if (c == ',' || c == '.') {
			if (++seps > 1)
				return -1;
			tmp[j++] = '.';
		} else if ((c >= '0' && c <= '9') || ((c == '-' || c == '+') && j == 0))
			tmp[j++] = (char)c;
		else
			return -1;
	}
	tmp[j] = '\0';
	if (j == 0 || strcmp(tmp, "-") == 0 || strcmp(tmp, "+") == 0 || strcmp(tmp, ".") == 0)
		return -1;
	errno = 0;
	*out = strtod(tmp, &end);
	if (*end != '\0' || errno == ERANGE || !isfinite(*out))
		return -1;
	return 0;
}

static int code_ok(const char *s, size_t n)
{
	size_t i;

	if (n != 2 && n != 4 && n != 7)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* split() finds the separator of a line: ';' or a tab, else ',' when it is the only one. */
static const char *split(const char *s, size_t n, int *ambiguous)
{
	const char *p = memchr(s, ';', n), *c;

	*ambiguous = 0;
	if (p == NULL)
		p = memchr(s, '\t', n);
	if (p != NULL)
		return p;
	c = memchr(s, ',', n);
	if (c != NULL && memchr(c + 1, ',', n - (size_t)(c + 1 - s)) != NULL) {
		*ambiguous = 1; /* "0201011,12,5": a comma separator or a decimal comma? */
		return NULL;
	}
	return c;
}

static int row(struct arena *a, struct map_values *out, int cap, int line, const char *s, size_t n)
{
	const char *sep, *code, *val;
	size_t clen, vlen;
	int ambiguous;
	struct map_value *mv;

	sep = split(s, n, &ambiguous);
	if (sep == NULL) {
		if (line == 1)
			return 0; /* a one-column header */
		bad(out, line, ambiguous ? "two commas and no semicolon: write code;value (a decimal comma "
					   "needs ';' as the separator)"
					 : "no separator: write code;value");
		return 0;
	}
	code = s;
	clen = (size_t)(sep - s);
	val = sep + 1;
	vlen = n - clen - 1;
	trim(&code, &clen);
	trim(&val, &vlen);
	if (memchr(val, ';', vlen) != NULL || memchr(val, '\t', vlen) != NULL) {
		bad(out, line, "more than two columns");
		return 0;
	}
	if (!code_ok(code, clen)) {
		if (line == 1)
			return 0; /* a header: "kod;wartość" */
		bad(out, line, "'%.*s' is not a TERC code (2, 4 or 7 digits)", (int)(clen > 20 ? 20 : clen), code);
		return 0;
	}
	if (out->n == cap)
		return -1;
	mv = &out->v[out->n];
	mv->code = arena_strndup(a, code, clen);
	mv->line = line;
	mv->has = vlen > 0;
	mv->value = 0;
	if (mv->code == NULL)
		return -1;
	if (vlen > 0 && map_parse_number(val, vlen, &mv->value) != 0) {
		bad(out, line, "'%.*s' is not a number", (int)(vlen > 20 ? 20 : vlen), val);
		return 0;
	}
	out->n++;
	return 0;
}

int map_values_parse(struct arena *a, const char *data, size_t len, struct map_values *out)
{
	const char *p = data, *end = data + len;
	int cap = 1, line = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < len; i++)
		cap += data[i] == '\n';
	out->v = arena_alloc(a, (size_t)cap * sizeof(*out->v));
	if (out->v == NULL)
		return -1;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		line++;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (memchr(p, '\0', n) != NULL)
			bad(out, line, "a NUL byte");
		else if (n > 0 && row(a, out, cap, line, p, n) < 0)
			return -1;
		p = nl != NULL ? nl + 1 : end;
	}
	return out->n;
}
