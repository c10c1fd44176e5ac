/*
 * multipart.c — multipart/form-data parsing (see multipart.h).
 */
#include "web/multipart.h"

#include <string.h>
#include <strings.h>

#include "core/str.h"

/* boundary_of() copies the boundary parameter of content_type ("--" prefixed) into out. */
static int boundary_of(const char *ct, char *out, size_t outlen)
{
	const char *p = ct != NULL ? strcasestr(ct, "boundary=") : NULL;
	size_t n;

	if (p == NULL)
		return -1;
	p += 9;
	if (*p == '"') {
		const char *e = strchr(++p, '"');

		if (e == NULL)
			return -1;
		n = (size_t)(e - p);
	} else {
		n = strcspn(p, "; \t");
	}
	if (n == 0 || n > 70 || n + 3 > outlen)
		return -1;
	out[0] = out[1] = '-';
	memcpy(out + 2, p, n);
	out[n + 2] = '\0';
	return 0;
}

/* param_of() copies the value of key="..." from a header line h[0..n) into the arena, or NULL. */
static const char *param_of(struct arena *a, const char *h, size_t n, const char *key)
{
	size_t k = strlen(key), i;

	for (i = 0; i + k + 2 <= n; i++) {
		if ((i == 0 || h[i - 1] == ' ' || h[i - 1] == ';') && strncasecmp(h + i, key, k) == 0 &&
		    h[i + k] == '=' && h[i + k + 1] == '"') {
			const char *v = h + i + k + 2, *e = memchr(v, '"', n - (size_t)(v - h));

			return e != NULL ? arena_strndup(a, v, (size_t)(e - v)) : NULL;
		}
	}
	return NULL;
}

/* part_headers() reads the headers of one part (h[0..n)) into p. */
static int part_headers(struct arena *a, const char *h, size_t n, struct mpart *p)
{
	const char *line = h, *end = h + n;

	memset(p, 0, sizeof(*p));
	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t len = (size_t)((nl != NULL ? nl : end) - line);

		if (len > 0 && line[len - 1] == '\r')
			len--;
		if (len > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
			p->name = param_of(a, line + 20, len - 20, "name");
			p->filename = param_of(a, line + 20, len - 20, "filename");
		} else if (len > 13 && strncasecmp(line, "Content-Type:", 13) == 0) {
			p->content_type = arena_strndup(a, line + 13, len - 13);
		}
		line = nl != NULL ? nl + 1 : end;
	}
	if (p->filename != NULL) {
		const char *base = strrchr(p->filename, '/'), *win = strrchr(p->filename, '\\');

		if (win != NULL && (base == NULL || win > base))
			base = win; /* old browsers send C:\path\name.csv */
		if (base != NULL)
			p->filename = base + 1;
	}
	return p->name != NULL ? 0 : -1;
}

int multipart_parse(struct arena *a, const char *content_type, const char *body, size_t len,
		    struct mpart *parts)
{
	char bnd[80];
	const char *p, *end = body + len;
	size_t blen;
	int n = 0;

	if (boundary_of(content_type, bnd, sizeof(bnd)) != 0)
		return -1;
	blen = strlen(bnd);
	p = memmem(body, len, bnd, blen);
	if (p == NULL)
		return -1;
	for (;;) {
		const char *hdr, *hend, *data, *next;

		p += blen;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return n; /* the closing boundary */
		if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
			p += 2;
		else if (end - p >= 1 && p[0] == '\n')
			p += 1;
		else
			return -1;
		hdr = p;
		hend = memmem(hdr, (size_t)(end - hdr), "\r\n\r\n", 4);
		if (hend == NULL || n == MULTIPART_MAX_PARTS)
			return -1;
		data = hend + 4;
		next = memmem(data, (size_t)(end - data), bnd, blen);
		if (next == NULL || next - data < 2 || next[-1] != '\n')
			return -1;
		if (part_headers(a, hdr, (size_t)(hend - hdr), &parts[n]) != 0)
			return -1;
		parts[n].data = data;
		parts[n].len = (size_t)(next - data) - (next[-2] == '\r' ? 2 : 1);
		n++;
		p = next;
	}
}

int multipart_form(struct arena *a, const char *content_type, const char *body, size_t len,
		   const struct params_limits *lim, struct params *form)
{
	struct mpart parts[MULTIPART_MAX_PARTS];
	struct param *v;
	int n = multipart_parse(a, content_type, body, len, parts), i, k = 0;

	if (n < 0)
		return PARAMS_MALFORMED;
	v = arena_alloc(a, (size_t)(n + form->n + 1) * sizeof(*v));
	if (v == NULL)
		return PARAMS_NOMEM;
	if (form->n > 0)
		memcpy(v, form->v, (size_t)form->n * sizeof(*v));
	k = form->n;
	for (i = 0; i < n; i++) {
		if (parts[i].filename != NULL)
			continue;
		if (k >= lim->max_fields)
			return PARAMS_TOO_MANY;
		if (parts[i].len > lim->max_value)
			return PARAMS_TOO_LONG;
		if (!utf8_valid(parts[i].data, parts[i].len) && parts[i].len > 0)
			return PARAMS_MALFORMED;
		v[k].name = parts[i].name;
		v[k].value = arena_strndup(a, parts[i].data, parts[i].len);
		if (v[k].value == NULL)
			return PARAMS_NOMEM;
		k++;
	}
	form->v = v;
	form->n = k;
	return PARAMS_OK;
}

const struct mpart *multipart_file(const struct mpart *parts, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (parts[i].filename != NULL && strcmp(parts[i].name, name) == 0)
			return &parts[i];
	return NULL;
}
