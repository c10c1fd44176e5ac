/*
 * str.c — string helpers. Unicode work is delegated to utf8proc and
 * encodings to libsodium; what is left is small enough to write here.
 */
#include "core/str.h"

#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char *str_trim(char *s)
{
	size_t n, start = 0;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		n--;
	while (start < n && is_space(s[start]))
		start++;
	memmove(s, s + start, n - start);
	s[n - start] = '\0';
	return s;
}

int str_empty(const char *s)
{
	if (s == NULL)
		return 1;
	for (; *s != '\0'; s++)
		if (!is_space(*s))
			return 0;
	return 1;
}

int str_eq(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

int str_to_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || is_space(*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int utf8_valid(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(n - i), &cp);

		if (k <= 0 || cp == 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

int utf8_has_hidden(const char *s, int lines)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;

	while (*p != '\0') {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);

		if (n <= 0)
			return 1; /* not UTF-8 at all: callers check validity first */
		p += n;
		if ((cp == '\t' || cp == '\n' || cp == '\r') && lines)
			continue;
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x061c || cp == 0x200e || cp == 0x200f)
			return 1;
	}
	return 0;
}

size_t utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

char *str_fold(struct arena *a, const char *s)
{
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t n;
	char *out = NULL;
	size_t i, j = 0;
	int space = 0;

	if (s == NULL)
		return arena_strdup(a, "");
	n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &mapped,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
				 UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
	if (n < 0)
		return NULL;
	out = arena_alloc(a, (size_t)n + 1);
	if (out == NULL)
		goto out;
	for (i = 0; i < (size_t)n; i++) {
		unsigned char c = mapped[i];

		/* ł has no decomposition; fold it to l by hand (U+0142 = C5 82) */
		if (c == 0xC5 && i + 1 < (size_t)n && mapped[i + 1] == 0x82) {
			c = 'l';
			i++;
		}
		if (is_space((char)c)) {
			space = j > 0;
			continue;
		}
		if (space)
			out[j++] = ' ';
		space = 0;
		out[j++] = (char)c;
	}
	out[j] = '\0';
out:
	free(mapped);
	return out;
}

void url_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			buf_addc(b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };

			buf_add(b, e, 3);
		}
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long url_decode(char *s, size_t n, int plus_space)
{
	size_t i, j = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi, lo;

			if (i + 2 >= n)
				return -1;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			s[j++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (s[i] == '+' && plus_space) {
			s[j++] = ' ';
		} else {
			s[j++] = s[i];
		}
	}
	s[j] = '\0';
	return (long)j;
}

void b64url(char *out, size_t outlen, const unsigned char *bin, size_t n)
{
	sodium_bin2base64(out, outlen, bin, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void hex_encode(char *out, const unsigned char *bin, size_t n)
{
	sodium_bin2hex(out, 2 * n + 1, bin, n);
}

int str_is_email(const char *s)
{
	const char *at = s != NULL ? strchr(s, '@') : NULL, *dot;

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL || strpbrk(s, " \t\r\n<>\"'") != NULL ||
	    strlen(s) > 254)
		return 0;
	dot = strrchr(at, '.');
	return dot != NULL && dot > at + 1 && dot[1] != '\0';
}
