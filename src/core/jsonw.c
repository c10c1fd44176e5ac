/*
 * jsonw.c — the JSON writer (see jsonw.h).
 */
#include "core/jsonw.h"

#include <string.h>

void jsonw_init(struct jsonw *w, struct buf *b)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
}

/* utf8_len() is the length of the valid UTF-8 sequence at s, or 0 (as jansson's utf8_check_first/full). */
static size_t utf8_len(const unsigned char *s)
{
	unsigned c = s[0], cp;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0; /* overlong, beyond Unicode, or a surrogate */
	return n;
}

/* quoted() writes s as a JSON string. */
static void quoted(struct jsonw *w, const char *s)
{
	static const char hex[] = "0123456789ABCDEF"; /* upper case, as jansson */
	const unsigned char *p = (const unsigned char *)s, *run = p;

	buf_addc(w->b, '"');
	while (*p != '\0') {
		const char *esc = NULL;
		char u[7];
		size_t n;

		if (*p >= 0x20 && *p != '"' && *p != '\\') {
			n = utf8_len(p);
			if (n == 0) {
				w->failed = 1;
				return;
			}
			p += n;
			continue;
		}
		buf_add(w->b, run, (size_t)(p - run));
		switch (*p) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			memcpy(u, "\\u00", 4);
			u[4] = hex[*p >> 4];
			u[5] = hex[*p & 15];
			u[6] = '\0';
			esc = u;
		}
		buf_adds(w->b, esc);
		run = ++p;
	}
	buf_add(w->b, run, (size_t)(p - run));
	buf_addc(w->b, '"');
}

/* member() writes the comma before a value and its key. */
static void member(struct jsonw *w, const char *key)
{
	if (w->depth > 0 && w->count[w->depth - 1]++ > 0)
		buf_addc(w->b, ',');
	if (key != NULL) {
		quoted(w, key);
		buf_addc(w->b, ':');
	}
}

static void open_(struct jsonw *w, const char *key, char open, char close)
{
	member(w, key);
	if (w->depth >= JSONW_DEPTH) {
		w->failed = 1;
		return;
	}
	buf_addc(w->b, open);
	w->close[w->depth] = close;
	w->count[w->depth++] = 0;
}

void jsonw_object(struct jsonw *w, const char *key)
{
	open_(w, key, '{', '}');
}

void jsonw_array(struct jsonw *w, const char *key)
{
	open_(w, key, '[', ']');
}

void jsonw_end(struct jsonw *w)
{
	if (w->depth == 0) {
		w->failed = 1;
		return;
	}
	buf_addc(w->b, w->close[--w->depth]);
}

void jsonw_string(struct jsonw *w, const char *key, const char *value)
{
	member(w, key);
	if (value != NULL)
		quoted(w, value);
	else
		buf_add(w->b, "null", 4);
}

void jsonw_int(struct jsonw *w, const char *key, int64_t value)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t u = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;

	member(w, key);
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (value < 0)
		*--p = '-';
	buf_add(w->b, p, (size_t)(tmp + sizeof(tmp) - p));
}

void jsonw_null(struct jsonw *w, const char *key)
{
	member(w, key);
	buf_add(w->b, "null", 4);
}

int jsonw_ok(const struct jsonw *w)
{
	return !w->failed && !w->b->failed && w->depth == 0;
}
