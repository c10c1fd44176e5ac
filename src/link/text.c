/*
 * text.c — the text helpers of linkage: folding a field to its comparison
 * form, Jaro–Winkler similarity, a phonetic code for blocking, digit
 * typos, hashing.
 */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/str.h"
#include "link/link_int.h"

/* fold_filter() keeps letters, digits, one space between words and hyphens without spaces around them. */
static size_t fold_filter(const unsigned char *in, char out[LINK_TEXT_MAX])
{
	size_t j = 0;
	int pending_space = 0;

	for (; *in != '\0' && j + 2 < LINK_TEXT_MAX; in++) {
		unsigned char c = *in;

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (c == '-') {
			if (j > 0 && out[j - 1] != '-')
				out[j++] = '-';
			pending_space = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)) {
			pending_space = j > 0; /* space, punctuation: a word break */
			continue;
		}
		if (pending_space && out[j - 1] != '-')
			out[j++] = ' ';
		pending_space = 0;
		out[j++] = (char)c;
	}
	while (j > 0 && out[j - 1] == '-')
		j--;
	out[j] = '\0';
	return j;
}

/*
 * polish_letter() maps the two-byte UTF-8 of a Polish letter (either case)
 * to its ASCII base letter, 0 for anything else: the common case of
 * Polish records folded without Unicode tables.
 */
static char polish_letter(unsigned char c1, unsigned char c2)
{
	static const struct { unsigned char c1, c2; char base; } map[] = {
		{ 0xC4, 0x84, 'a' }, { 0xC4, 0x85, 'a' }, { 0xC4, 0x86, 'c' }, { 0xC4, 0x87, 'c' },
		{ 0xC4, 0x98, 'e' }, { 0xC4, 0x99, 'e' }, { 0xC5, 0x81, 'l' }, { 0xC5, 0x82, 'l' },
		{ 0xC5, 0x83, 'n' }, { 0xC5, 0x84, 'n' }, { 0xC3, 0x93, 'o' }, { 0xC3, 0xB3, 'o' },
		{ 0xC5, 0x9A, 's' }, { 0xC5, 0x9B, 's' }, { 0xC5, 0xB9, 'z' }, { 0xC5, 0xBA, 'z' },
		{ 0xC5, 0xBB, 'z' }, { 0xC5, 0xBC, 'z' },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].c1 == c1 && map[i].c2 == c2)
			return map[i].base;
	return 0;
}

/* fold_polish() replaces Polish letters by hand; -1 when another non-ASCII character is met. */
static int fold_polish(const char *s, char *tmp, size_t tmplen)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t j = 0;

	for (; *p != '\0' && j + 1 < tmplen; p++) {
		if (*p < 0x80) {
			tmp[j++] = (char)*p;
			continue;
		}
		if (p[1] == '\0' || (tmp[j] = polish_letter(p[0], p[1])) == 0)
			return -1;
		j++;
		p++;
	}
	tmp[j] = '\0';
	return 0;
}

size_t link_fold(const char *s, char out[LINK_TEXT_MAX])
{
	char tmp[4 * LINK_TEXT_MAX];
	struct arena *a;
	char *folded;
	size_t n;

	out[0] = '\0';
	if (s == NULL)
		return 0;
	if (fold_polish(s, tmp, sizeof(tmp)) == 0)
		return fold_filter((const unsigned char *)tmp, out);
	a = arena_new((size_t)64 << 10); /* other scripts and letters: the Unicode folding of str_fold() */
	if (a == NULL)
		return 0;
	folded = str_fold(a, s);
	n = folded != NULL ? fold_filter((const unsigned char *)folded, out) : 0;
	arena_free(a);
	return n;
}

size_t link_digits(const char *s, char *out, size_t outlen)
{
	size_t j = 0;

	if (outlen == 0)
		return 0;
	for (; s != NULL && *s != '\0' && j + 1 < outlen; s++)
		if (*s >= '0' && *s <= '9')
			out[j++] = *s;
	out[j] = '\0';
	return j;
}

double link_jaro_winkler_min(const char *a, size_t na, const char *b, size_t nb, double min)
{
	double shorter = (double)(na < nb ? na : nb), jaro_max, jw_max;

	if (na == 0 || nb == 0)
		return 0.0;
	/* at most every letter of the shorter string matches, untransposed: a bound that needs no work */
	jaro_max = (shorter / (double)na + shorter / (double)nb + 1.0) / 3.0;
	jw_max = jaro_max + 0.4 * (1.0 - jaro_max);
	if (jw_max < min)
		return 0.0;
	if (a[0] != b[0] && min > 0 && jaro_max < min)
		return 0.0; /* no common prefix: Jaro alone must reach min */
	return link_jaro_winkler(a, na, b, nb);
}

double link_jaro_winkler(const char *a, size_t na, const char *b, size_t nb)
{
	unsigned char ma[LINK_TEXT_MAX], mb[LINK_TEXT_MAX];
	size_t i, j, k, window, m = 0, t = 0, prefix = 0;
	double jaro;

	if (na == 0 || nb == 0)
		return 0.0;
	if (na == nb && memcmp(a, b, na) == 0)
		return 1.0;
	if (na > LINK_TEXT_MAX)
		na = LINK_TEXT_MAX;
	if (nb > LINK_TEXT_MAX)
		nb = LINK_TEXT_MAX;
	window = (na > nb ? na : nb) / 2;
	window = window > 0 ? window - 1 : 0;
	memset(ma, 0, na);
	memset(mb, 0, nb);
	for (i = 0; i < na; i++) {
		size_t lo = i > window ? i - window : 0, hi = i + window + 1 < nb ? i + window + 1 : nb;

		for (j = lo; j < hi; j++)
			if (!mb[j] && a[i] == b[j]) {
				ma[i] = mb[j] = 1;
				m++;
				break;
			}
	}
	if (m == 0)
		return 0.0;
	for (i = 0, k = 0; i < na; i++) {
		if (!ma[i])
			continue;
		while (!mb[k])
			k++;
		if (a[i] != b[k])
			t++;
		k++;
	}
	jaro = ((double)m / (double)na + (double)m / (double)nb + ((double)m - (double)t / 2.0) / (double)m) / 3.0;
	while (prefix < 4 && prefix < na && prefix < nb && a[prefix] == b[prefix])
		prefix++;
	return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

/* phon_class() is the Soundex-like class of a letter: 0 for vowels and h, w, y (dropped). */
static char phon_class(char c)
{
	switch (c) {
	case 'b': case 'f': case 'p': case 'v': case 'w':
		return '1';
	case 'c': case 'g': case 'j': case 'k': case 'q': case 's': case 'x': case 'z':
		return '2';
	case 'd': case 't':
		return '3';
	case 'l':
		return '4';
	case 'm': case 'n':
		return '5';
	case 'r':
		return '6';
	default:
		return 0;
	}
}

uint32_t link_phonetic(const char *s, size_t n)
{
	char norm[LINK_TEXT_MAX];
	size_t i, j = 0;
	uint32_t code = 0;
	int places = 0;
	char last = 0;

	/* Polish and English digraphs to one letter, so spelling variants meet */
	for (i = 0; i < n && j + 1 < sizeof(norm); i++) {
		char c = s[i], d = i + 1 < n ? s[i + 1] : 0;

		if (c == ' ' || c == '-')
			break; /* the first word: double-barrelled names meet on their first part */
		if ((c == 's' || c == 'c') && d == 'z') { norm[j++] = c; i++; continue; }
		if (c == 'r' && d == 'z') { norm[j++] = 'z'; i++; continue; }
		if (c == 'c' && d == 'h') { norm[j++] = 'h'; i++; continue; }
		if (c == 'p' && d == 'h') { norm[j++] = 'f'; i++; continue; }
		if (c == 'c' && d == 'k') { norm[j++] = 'k'; i++; continue; }
		norm[j++] = c;
	}
	if (j == 0)
		return 0;
	code = (uint32_t)(unsigned char)norm[0] << 24; /* the first letter kept as it is */
	last = phon_class(norm[0]);
	for (i = 1; i < j && places < 6; i++) {
		char k = phon_class(norm[i]);

		if (k != 0 && k != last) {
			code |= (uint32_t)(k - '0') << (4 * (5 - places));
			places++;
		}
		if (norm[i] != 'h')
			last = k; /* as in Soundex, h and w do not separate equal classes */
	}
	return code | 1u; /* never 0 for a non-empty word */
}

int link_digit_near(const char *a, const char *b, size_t n)
{
	size_t i, diff = 0, first = 0;

	for (i = 0; i < n; i++)
		if (a[i] != b[i]) {
			if (diff++ == 0)
				first = i;
		}
	if (diff == 1)
		return 1;
	return diff == 2 && first + 1 < n && a[first] == b[first + 1] && a[first + 1] == b[first] &&
		memcmp(a + first + 2, b + first + 2, n - first - 2) == 0;
}

uint64_t link_hash(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ link_mix(seed + 0x9e3779b97f4a7c15ULL);
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return link_mix(h);
}
