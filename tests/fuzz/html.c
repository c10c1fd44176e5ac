/*
 * tests/fuzz/html.c — libFuzzer target for the escaping writers of
 * src/core/html.c.
 *
 * The input is text from a user. html_textn() (all bytes, NULs included),
 * html_text() (up to the first NUL) and html_fmt() with %s, %.*s and
 * integer conversions around fixed markup each write into a buffer.
 * Aborts when:
 *   - the escaped text contains a raw < > " or ', or an & that does not
 *     start one of &amp; &lt; &gt; &quot; &#39;;
 *   - unescaping the output does not give back the input exactly;
 *   - html_fmt() output differs from the markup with the escaped strings
 *     and the integers as printf formats them spliced in;
 *   - a buffer with a small maximum grows past it, is not marked failed
 *     when the text did not fit, or holds anything but a prefix of the
 *     full output.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const ents[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
static const char raw[] = "&<>\"'";

/* unescape() checks out[0..n) is safely escaped and returns it unescaped (malloc'd). */
static char *unescape(const char *out, size_t n, size_t *len)
{
	char *u = malloc(n + 1);
	size_t i = 0, j = 0, k;

	if (u == NULL)
		abort();
	while (i < n) {
		char c = out[i];

		if (c == '<' || c == '>' || c == '"' || c == '\'')
			abort();
		if (c != '&') {
			u[j++] = c;
			i++;
			continue;
		}
		for (k = 0; k < 5; k++)
			if (n - i >= strlen(ents[k]) && memcmp(out + i, ents[k], strlen(ents[k])) == 0)
				break;
		if (k == 5)
			abort(); /* a bare & */
		u[j++] = raw[k];
		i += strlen(ents[k]);
	}
	*len = j;
	return u;
}

/* check_text() checks that b holds exactly s[0..n) escaped. */
static void check_text(const struct buf *b, const char *s, size_t n)
{
	size_t ulen;
	char *u;

	if (b->failed)
		abort();
	u = unescape(buf_str(b), b->len, &ulen);
	if (ulen != n || (n > 0 && memcmp(u, s, n) != 0))
		abort();
	free(u);
}

static void esc(struct buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *r = strchr(raw, s[i]);

		if (s[i] != '\0' && r != NULL)
			buf_adds(b, ents[r - raw]);
		else
			buf_addc(b, s[i]);
	}
}

static int64_t rd64(const uint8_t *data, size_t size, size_t at)
{
	uint64_t v = 0;
	size_t k;

	for (k = 0; k < 8; k++)
		v = v << 8 | (at + k < size ? data[at + k] : 0);
	return (int64_t)v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char *z = malloc(size + 1);
	struct buf b = BUF_INIT(1 << 26), want = BUF_INIT(1 << 26), small;
	size_t zl, cap;
	int prec = size > 0 ? data[0] % 40 - 3 : 0; /* negative = no precision */
	int64_t v = rd64(data, size, 1);
	char num[256];

	if (z == NULL)
		return 0;
	if (size > 0)
		memcpy(z, data, size);
	z[size] = '\0';
	zl = strlen(z);

	/* every byte, NULs included */
	html_textn(&b, s, size);
	check_text(&b, s, size);
	buf_release(&b);

	/* NUL-terminated, and appending after markup */
	html_raw(&b, "<td class=\"x\">");
	html_text(&b, z);
	html_text(&b, NULL);
	html_textn(&b, NULL, 5);
	if (b.len < 14 || memcmp(b.data, "<td class=\"x\">", 14) != 0)
		abort();
	check_text(&(struct buf){ b.data + 14, b.len - 14, 0, b.max, b.failed }, z, zl);
	buf_release(&b);

	/* html_fmt() against the same output assembled by hand */
	html_fmt(&b, "<a href=\"/x?q=%s\" title='%.*s'>%d|%05u|%-4ld|%lld|%zu|%zd|%llu|%i %% %s</a>", z,
		 prec, z, (int)v, (unsigned)(v >> 7), (long)v, (long long)v, (size_t)v,
		 (ssize_t)(v >> 3), (unsigned long long)v, (int)(v >> 33), (const char *)NULL);
	buf_adds(&want, "<a href=\"/x?q=");
	esc(&want, z, zl);
	buf_adds(&want, "\" title='");
	esc(&want, z, prec >= 0 ? strnlen(z, (size_t)prec) : zl);
	snprintf(num, sizeof(num), "'>%d|%05u|%-4ld|%lld|%zu|%zd|%llu|%i %% </a>", (int)v,
		 (unsigned)(v >> 7), (long)v, (long long)v, (size_t)v, (ssize_t)(v >> 3),
		 (unsigned long long)v, (int)(v >> 33));
	buf_adds(&want, num);
	if (b.failed || want.failed || b.len != want.len || strcmp(buf_str(&b), buf_str(&want)) != 0)
		abort();

	/* a small maximum: never past it, failed when it did not fit, a prefix otherwise */
	cap = size > 1 ? data[1] : 0;
	buf_init(&small, cap);
	html_fmt(&small, "<a href=\"/x?q=%s\" title='%.*s'>%d|%05u|%-4ld|%lld|%zu|%zd|%llu|%i %% %s</a>",
		 z, prec, z, (int)v, (unsigned)(v >> 7), (long)v, (long long)v, (size_t)v,
		 (ssize_t)(v >> 3), (unsigned long long)v, (int)(v >> 33), (const char *)NULL);
	if (small.len > cap || (small.len < want.len && !small.failed) ||
	    (small.failed && want.len <= cap))
		abort();
	if (small.len > 0 && memcmp(small.data, want.data, small.len) != 0)
		abort();
	buf_release(&small);

	buf_release(&b);
	buf_release(&want);
	free(z);
	return 0;
}
