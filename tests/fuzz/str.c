/*
 * tests/fuzz/str.c — libFuzzer target for the string helpers of
 * src/core/str.c. The input is arbitrary bytes; the first NUL (if any)
 * ends the C string used where the API takes one. Aborts when:
 *   - url_decode() disagrees with a reference decoder (result, length,
 *     which inputs are malformed), or url_encode() output is not all
 *     unreserved characters and %XX, or does not decode back to the input
 *     (with and without '+' as space);
 *   - b64url() writes past 4*n/3+2 bytes, writes anything but the base64url
 *     alphabet, or does not decode back (libsodium); hex_encode() likewise
 *     with 2n+1 bytes and lowercase hex;
 *   - str_to_int64() disagrees with a reference parser of "[+-]?[0-9]+"
 *     into a range taken from the input, or changes *out on failure;
 *   - utf8_valid() disagrees with a reference validator (no overlongs, no
 *     surrogates, nothing above U+10FFFF, no NUL), or utf8_length() miscounts;
 *   - str_fold() fails on valid UTF-8, returns invalid UTF-8, leaves ASCII
 *     capitals, 'ł', control whitespace, or leading, trailing or doubled
 *     spaces, or does not match "Łódź" with "lodz";
 *   - str_trim() leaves whitespace at either end or is not the inner part
 *     of its input; str_empty() disagrees with it.
 */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* ref_decode() decodes s[0..n) into out; -1 when a '%' is not followed by two hex digits. */
static long ref_decode(const char *s, size_t n, int plus, char *out)
{
	size_t i = 0, j = 0;

	while (i < n) {
		if (s[i] == '%') {
			if (n - i < 3 || hexv(s[i + 1]) < 0 || hexv(s[i + 2]) < 0)
				return -1;
			out[j++] = (char)(hexv(s[i + 1]) * 16 + hexv(s[i + 2]));
			i += 3;
		} else {
			out[j++] = plus && s[i] == '+' ? ' ' : s[i];
			i++;
		}
	}
	return (long)j;
}

/* ref_utf8() is a strict UTF-8 validator (RFC 3629) that also refuses NUL; counts code points. */
static int ref_utf8(const unsigned char *s, size_t n, size_t *cps)
{
	size_t i = 0;

	*cps = 0;
	while (i < n) {
		unsigned c = s[i], need, k;
		uint32_t cp, min;

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			(*cps)++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			need = 1, cp = c & 0x1F, min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2, cp = c & 0x0F, min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if (n - i <= need)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += need + 1;
		(*cps)++;
	}
	return 1;
}

/* ref_int() parses s as [+-]?[0-9]+ into *v; -1 when not that form, -2 on overflow. */
static int ref_int(const char *s, int64_t *v)
{
	int neg = 0;
	uint64_t acc = 0, lim;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (*s == '\0')
		return -1;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (acc > (lim - (uint64_t)(*s - '0')) / 10)
			return -2;
		acc = acc * 10 + (uint64_t)(*s - '0');
	}
	*v = neg ? (acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)acc) : (int64_t)acc;
	return 0;
}

static int64_t rd64(const uint8_t *data, size_t size, size_t at)
{
	uint64_t v = 0;
	size_t k;

	for (k = 0; k < 8; k++)
		v = v << 8 | (at + k < size ? data[at + k] : 0);
	return (int64_t)v;
}

static void check_url(const uint8_t *data, size_t size, const char *z)
{
	char *d = malloc(size + 1), *r = malloc(size + 1);
	struct buf b = BUF_INIT(1 << 26);
	long n, m;
	int plus;
	size_t i;

	if (d == NULL || r == NULL)
		abort();
	for (plus = 0; plus < 2; plus++) {
		if (size > 0)
			memcpy(d, data, size);
		d[size] = 'X';
		n = url_decode(d, size, plus);
		m = ref_decode((const char *)data, size, plus, r);
		if (n != m)
			abort();
		if (n >= 0 && (d[n] != '\0' || memcmp(d, r, (size_t)n) != 0))
			abort();
	}

	url_encode(&b, z);
	if (b.failed)
		abort();
	for (i = 0; i < b.len; i++) {
		char c = b.data[i];

		if (c == '%') {
			if (i + 2 >= b.len || !strchr("0123456789ABCDEF", b.data[i + 1]) ||
			    !strchr("0123456789ABCDEF", b.data[i + 2]) || b.data[i + 1] == '\0' ||
			    b.data[i + 2] == '\0')
				abort();
			i += 2;
		} else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			     (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~')) {
			abort();
		}
	}
	for (plus = 0; plus < 2; plus++) {
		char *e = malloc(b.len + 1);

		if (e == NULL)
			abort();
		memcpy(e, buf_str(&b), b.len + 1);
		n = url_decode(e, b.len, plus);
		if (n < 0 || (size_t)n != strlen(z) || strcmp(e, z) != 0)
			abort();
		free(e);
	}
	buf_release(&b);
	free(d);
	free(r);
}

static void check_codecs(const uint8_t *data, size_t size)
{
	size_t outlen = 4 * size / 3 + 2, binlen = 0, i;
	char *out = malloc(outlen), *hex = malloc(2 * size + 1);
	unsigned char *back = malloc(size + 1);
	const char *end = NULL;

	if (out == NULL || hex == NULL || back == NULL)
		abort();
	b64url(out, outlen, data, size);
	if (memchr(out, '\0', outlen) == NULL)
		abort();
	for (i = 0; out[i] != '\0'; i++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", out[i]))
			abort();
	if (sodium_base642bin(back, size + 1, out, strlen(out), NULL, &binlen, &end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    binlen != size || *end != '\0' || (size > 0 && memcmp(back, data, size) != 0))
		abort();

	hex_encode(hex, data, size);
	if (strlen(hex) != 2 * size || strspn(hex, "0123456789abcdef") != 2 * size)
		abort();
	if (sodium_hex2bin(back, size + 1, hex, 2 * size, NULL, &binlen, NULL) != 0 ||
	    binlen != size || (size > 0 && memcmp(back, data, size) != 0))
		abort();
	free(out);
	free(hex);
	free(back);
}

static void check_int(const uint8_t *data, size_t size, const char *z)
{
	int64_t lo = rd64(data, size, size > 16 ? size - 16 : 0);
	int64_t hi = rd64(data, size, size > 8 ? size - 8 : 0);
	int64_t v = 12345, want = 0;
	int r, rc, i;

	for (i = 0; i < 3; i++) {
		int64_t mn = i == 0 ? INT64_MIN : i == 1 ? -1000 : lo;
		int64_t mx = i == 0 ? INT64_MAX : i == 1 ? 1000 : hi;

		v = 12345;
		rc = str_to_int64(z, mn, mx, &v);
		r = ref_int(z, &want);
		if (rc != 0 && rc != -1)
			abort();
		if (rc == 0 && (r != 0 || v != want || v < mn || v > mx))
			abort();
		if (rc != 0 && v != 12345)
			abort();
		if (rc != 0 && r == 0 && want >= mn && want <= mx)
			abort();
	}
}

static void check_utf8(const char *s, size_t size, const char *z)
{
	size_t cps, zl = strlen(z), i, n;
	int ok = utf8_valid(s, size);
	struct arena *a;
	char *f, *g;

	if (ok != ref_utf8((const unsigned char *)s, size, &cps))
		abort();
	if (!utf8_valid(z, zl) != !ref_utf8((const unsigned char *)z, zl, &cps))
		abort();
	if (!utf8_valid(z, zl))
		return;
	if (utf8_length(z) != cps)
		abort();

	a = arena_new(1 << 24);
	if (a == NULL)
		return;
	f = str_fold(a, z);
	if (f == NULL)
		abort();
	n = strlen(f);
	if (!utf8_valid(f, n))
		abort();
	if (n > 0 && (f[0] == ' ' || f[n - 1] == ' '))
		abort();
	for (i = 0; i < n; i++) {
		if ((f[i] >= 'A' && f[i] <= 'Z') || (is_space(f[i]) && f[i] != ' '))
			abort();
		if (f[i] == ' ' && f[i + 1] == ' ')
			abort();
	}
	if (strstr(f, "\xC5\x82") != NULL || strstr(f, "\xC5\x81") != NULL)
		abort();
	/* folding a string's folded form from both ends changes nothing about spaces */
	g = str_fold(a, f);
	if (g == NULL || !utf8_valid(g, strlen(g)))
		abort();
	/* Polish place names fold to ASCII */
	f = str_fold(a, "  Łódź\t ŚWIĘTOKRZYSKIE  żółć ");
	if (f == NULL || strcmp(f, "lodz swietokrzyskie zolc") != 0)
		abort();
	arena_free(a);
}

static void check_trim(const char *z)
{
	size_t zl = strlen(z), n;
	char *t = malloc(zl + 1), *r;

	if (t == NULL)
		abort();
	memcpy(t, z, zl + 1);
	r = str_trim(t);
	n = strlen(r);
	if (r != t || (n > 0 && (is_space(r[0]) || is_space(r[n - 1]))))
		abort();
	if (n > 0 && strstr(z, r) == NULL)
		abort();
	if (str_empty(z) != (n == 0))
		abort();
	if (!str_eq(r, r) || str_eq(z, NULL) != (zl == 0))
		abort();
	free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *z = malloc(size + 1);

	if (z == NULL)
		return 0;
	if (size > 0)
		memcpy(z, data, size);
	z[size] = '\0';

	check_url(data, size, z);
	check_codecs(data, size);
	check_int(data, size, z);
	check_utf8((const char *)data, size, z);
	check_trim(z);
	free(z);
	return 0;
}
