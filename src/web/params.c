/*
 * params.c — urlencoded and cookie decoding.
 */
#include "web/params.h"

#include <string.h>

#include "core/str.h"

/* push() appends one decoded pair, growing the array in the arena. */
static int push(struct arena *a, struct params *out, const char *name, const char *value,
		const struct params_limits *lim)
{
	if (out->n >= lim->max_fields)
		return PARAMS_TOO_MANY;
	if (out->n == 0 || (out->n >= 8 && (out->n & (out->n - 1)) == 0)) { /* 8, 16, 32 ... */
		size_t cap = out->n == 0 ? 8 : (size_t)out->n * 2;
		struct param *v = arena_alloc(a, sizeof(*v) * cap);

		if (v == NULL)
			return PARAMS_NOMEM;
		if (out->n > 0)
			memcpy(v, out->v, sizeof(*v) * (size_t)out->n);
		out->v = v;
	}
	out->v[out->n].name = name;
	out->v[out->n].value = value;
	out->n++;
	return PARAMS_OK;
}

/* decode() copies s[0..n) into the arena and percent-decodes it. */
static int decode(struct arena *a, const char *s, size_t n, int plus, char **out)
{
	char *d = arena_strndup(a, s, n);
	long len;

	if (d == NULL)
		return PARAMS_NOMEM;
	len = url_decode(d, n, plus);
	if (len < 0 || !utf8_valid(d, (size_t)len))
		return PARAMS_MALFORMED;
	*out = d;
	return PARAMS_OK;
}

int params_urlencoded(struct arena *a, const char *s, size_t len, const struct params_limits *lim,
		      struct params *out)
{
	size_t i = 0;

	while (i < len) {
		size_t start = i, eq = (size_t)-1;
		char *name, *value;
		int rc;

		while (i < len && s[i] != '&') {
			if (s[i] == '=' && eq == (size_t)-1)
				eq = i;
			i++;
		}
		if (i > start) {
			size_t name_end = eq != (size_t)-1 ? eq : i;
			size_t vstart = eq != (size_t)-1 ? eq + 1 : i;

			if (i - vstart > lim->max_value * 3 + 3)
				return PARAMS_TOO_LONG;
			rc = decode(a, s + start, name_end - start, 1, &name);
			if (rc == PARAMS_OK)
				rc = decode(a, s + vstart, i - vstart, 1, &value);
			if (rc != PARAMS_OK)
				return rc;
			if (strlen(value) > lim->max_value)
				return PARAMS_TOO_LONG;
			rc = push(a, out, name, value, lim);
			if (rc != PARAMS_OK)
				return rc;
		}
		i++; /* skip '&' */
	}
	return PARAMS_OK;
}

int params_cookies(struct arena *a, const char *s, size_t len, const struct params_limits *lim,
		   struct params *out)
{
	size_t i = 0;

	while (i < len) {
		size_t ns, ne, vs, ve;
		char *name, *value;
		int rc;

		while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == ';'))
			i++;
		ns = i;
		while (i < len && s[i] != '=' && s[i] != ';')
			i++;
		ne = i;
		while (ne > ns && (s[ne - 1] == ' ' || s[ne - 1] == '\t'))
			ne--;
		if (i >= len || s[i] != '=') {
			continue; /* a name without a value: ignore */
		}
		i++;
		vs = i;
		while (i < len && s[i] != ';')
			i++;
		ve = i;
		while (ve > vs && (s[ve - 1] == ' ' || s[ve - 1] == '\t'))
			ve--;
		while (vs < ve && (s[vs] == ' ' || s[vs] == '\t'))
			vs++;
		if (ve - vs >= 2 && s[vs] == '"' && s[ve - 1] == '"') {
			vs++;
			ve--;
		}
		if (ne == ns || ve - vs > lim->max_value)
			continue;
		if (!utf8_valid(s + ns, ne - ns) || !utf8_valid(s + vs, ve - vs))
			continue;
		name = arena_strndup(a, s + ns, ne - ns);
		value = arena_strndup(a, s + vs, ve - vs);
		if (name == NULL || value == NULL)
			return PARAMS_NOMEM;
		rc = push(a, out, name, value, lim);
		if (rc != PARAMS_OK)
			return rc;
	}
	return PARAMS_OK;
}

const char *params_get(const struct params *p, const char *name)
{
	int i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return p->v[i].value;
	return NULL;
}

int params_count(const struct params *p, const char *name)
{
	int i, n = 0;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			n++;
	return n;
}
