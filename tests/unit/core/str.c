/*
 * tests/unit/core/str.c — the string helpers: trimming (ASCII whitespace
 * only, in place), str_empty and str_eq with NULL, str_to_int64 (signs,
 * leading zeros, spaces and junk refused, inclusive range, int64 limits and
 * overflow, output untouched on failure), UTF-8 validation (Polish letters,
 * 4-byte sequences, overlong forms, surrogates, past U+10FFFF, truncation,
 * stray continuation bytes, NUL), code point counting, str_fold (Polish
 * letters incl. ł, case folding, ß, decomposed input, whitespace runs,
 * invalid UTF-8, arena limit), URL encoding and decoding (unreserved set,
 * UTF-8 bytes, '+', malformed escapes, length-bounded), base64url (RFC
 * 4648 vectors, URL alphabet, no padding) and hex.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"

/* ---- helpers ---- */

/* trimmed() runs str_trim() on a copy of s and checks the result in place. */
static void expect_trim(const char *s, const char *want)
{
	char tmp[128];

	assert_true(strlen(s) < sizeof(tmp));
	strcpy(tmp, s);
	assert_ptr_equal(str_trim(tmp), tmp);
	assert_string_equal(tmp, want);
}

/* expect_int() asserts that s parses to want within [min, max]. */
static void expect_int(const char *s, int64_t min, int64_t max, int64_t want)
{
	int64_t v = 12345;

	if (str_to_int64(s, min, max, &v) != 0)
		fail_msg("\"%s\" refused", s);
	assert_int_equal(v, want);
}

/* expect_bad_int() asserts that s is refused and the output left alone. */
static void expect_bad_int(const char *s, int64_t min, int64_t max)
{
	int64_t v = 12345;

	if (str_to_int64(s, min, max, &v) != -1)
		fail_msg("\"%s\" accepted as %lld", s != NULL ? s : "(null)", (long long)v);
	assert_int_equal(v, 12345);
}

/* valid() is utf8_valid() over the whole string literal. */
static int valid(const char *s)
{
	return utf8_valid(s, strlen(s));
}

/* expect_fold() asserts str_fold(s) == want. */
static void expect_fold(const char *s, const char *want)
{
	struct arena *a = arena_new(1 << 20);
	char *f = str_fold(a, s);

	if (f == NULL)
		fail_msg("str_fold(\"%s\") failed", s);
	assert_string_equal(f, want);
	arena_free(a);
}

/* expect_encode() asserts url_encode(s) == want. */
static void expect_encode(const char *s, const char *want)
{
	struct buf b = BUF_INIT(4096);

	url_encode(&b, s);
	assert_int_equal(b.failed, 0);
	assert_string_equal(buf_str(&b), want);
	buf_release(&b);
}

/* expect_decode() asserts url_decode(s) gives want (of want_len bytes). */
static void expect_decode(const char *s, int plus_space, const char *want, long want_len)
{
	char tmp[256];
	long n;

	assert_true(strlen(s) < sizeof(tmp));
	strcpy(tmp, s);
	n = url_decode(tmp, strlen(tmp), plus_space);
	assert_int_equal(n, want_len);
	if (n >= 0) {
		assert_memory_equal(tmp, want, (size_t)n);
		assert_int_equal(tmp[n], '\0');
	}
}

/* expect_b64() asserts b64url(bin) == want. */
static void expect_b64(const void *bin, size_t n, const char *want)
{
	char out[64];

	memset(out, 'X', sizeof(out));
	b64url(out, 4 * n / 3 + 2, bin, n);
	assert_string_equal(out, want);
}

/* ---- trimming, emptiness, equality ---- */

static void test_core__str__trim(void **state)
{
	(void)state;
	expect_trim("abc", "abc");
	expect_trim("  a b  ", "a b");
	expect_trim("\t\n\r\f\v x \v\f\r\n\t", "x");
	expect_trim("   ", "");
	expect_trim("", "");
	expect_trim(" Łódź ", "Łódź");
	/* only ASCII whitespace: a no-break space stays */
	expect_trim("\xC2\xA0x\xC2\xA0", "\xC2\xA0x\xC2\xA0");
	assert_null(str_trim(NULL));
}

static void test_core__str__empty(void **state)
{
	(void)state;
	assert_true(str_empty(NULL));
	assert_true(str_empty(""));
	assert_true(str_empty(" \t\r\n\f\v"));
	assert_false(str_empty("x"));
	assert_false(str_empty("  x  "));
	assert_false(str_empty("ż"));
	assert_false(str_empty("\xC2\xA0"));
}

static void test_core__str__eq(void **state)
{
	(void)state;
	assert_true(str_eq(NULL, NULL));
	assert_true(str_eq(NULL, ""));
	assert_true(str_eq("", NULL));
	assert_true(str_eq("gmina", "gmina"));
	assert_false(str_eq("gmina", "Gmina"));
	assert_false(str_eq("a", NULL));
	assert_false(str_eq(NULL, "a"));
	assert_false(str_eq("ą", "a"));
	assert_false(str_eq("ab", "abc"));
}

/* ---- str_to_int64 ---- */

static void test_core__str__int_ok(void **state)
{
	(void)state;
	expect_int("0", INT64_MIN, INT64_MAX, 0);
	expect_int("-0", INT64_MIN, INT64_MAX, 0);
	expect_int("+5", INT64_MIN, INT64_MAX, 5);
	expect_int("-17", INT64_MIN, INT64_MAX, -17);
	expect_int("007", INT64_MIN, INT64_MAX, 7);
	expect_int("1234567890123", INT64_MIN, INT64_MAX, 1234567890123LL);
	expect_int("9223372036854775807", INT64_MIN, INT64_MAX, INT64_MAX);
	expect_int("-9223372036854775808", INT64_MIN, INT64_MAX, INT64_MIN);
}

static void test_core__str__int_range(void **state)
{
	(void)state;
	/* the bounds are inclusive */
	expect_int("1", 1, 10, 1);
	expect_int("10", 1, 10, 10);
	expect_bad_int("0", 1, 10);
	expect_bad_int("11", 1, 10);
	expect_bad_int("-1", 0, 100);
	expect_int("-5", -5, -5, -5);
	expect_bad_int("9223372036854775807", 0, INT64_MAX - 1);
	expect_bad_int("-9223372036854775808", INT64_MIN + 1, 0);
}

static void test_core__str__int_overflow(void **state)
{
	(void)state;
	expect_bad_int("9223372036854775808", INT64_MIN, INT64_MAX);
	expect_bad_int("-9223372036854775809", INT64_MIN, INT64_MAX);
	expect_bad_int("18446744073709551616", INT64_MIN, INT64_MAX);
	expect_bad_int("99999999999999999999999999999", INT64_MIN, INT64_MAX);
	expect_bad_int("-99999999999999999999999999999", INT64_MIN, INT64_MAX);
	/* a failed parse does not leave errno state that breaks the next one */
	expect_int("42", INT64_MIN, INT64_MAX, 42);
}

static void test_core__str__int_malformed(void **state)
{
	static const char *const bad[] = {
		"", " ", " 5", "5 ", "\t5", "5\n", "5a", "a5", "0x10", "1e3", "1.0", "1,0", "--5",
		"+-5", "+", "-", "+ 5", "- 5", "５", "1 000", "\xC2\xA0" "5",
	};
	size_t i;

	(void)state;
	expect_bad_int(NULL, INT64_MIN, INT64_MAX);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad_int(bad[i], INT64_MIN, INT64_MAX);
}

/* ---- UTF-8 ---- */

static void test_core__str__utf8_valid(void **state)
{
	(void)state;
	assert_true(utf8_valid("", 0));
	assert_true(valid("ascii only ~!@#"));
	assert_true(valid("Zażółć gęślą jaźń ZAŻÓŁĆ GĘŚLĄ JAŹŃ"));
	assert_true(valid("\xC2\x80"));          /* U+0080, smallest 2-byte */
	assert_true(valid("\xDF\xBF"));          /* U+07FF */
	assert_true(valid("\xE0\xA0\x80"));      /* U+0800 */
	assert_true(valid("\xED\x9F\xBF"));      /* U+D7FF, below the surrogates */
	assert_true(valid("\xEE\x80\x80"));      /* U+E000, above them */
	assert_true(valid("\xEF\xBB\xBF"));      /* BOM */
	assert_true(valid("\xF0\x9F\x98\x80"));  /* U+1F600 */
	assert_true(valid("\xF4\x8F\xBF\xBF"));  /* U+10FFFF */
	/* only the first n bytes count */
	assert_true(utf8_valid("ab\xFF", 2));
}

static void test_core__str__utf8_invalid(void **state)
{
	static const char *const bad[] = {
		"\x80",              /* stray continuation */
		"a\xBFz",            /* stray continuation inside */
		"\xC5",              /* truncated 2-byte */
		"\xC5z",             /* lead without continuation */
		"\xE2\x82",          /* truncated 3-byte */
		"\xF0\x9F\x98",      /* truncated 4-byte */
		"\xC0\x80",          /* overlong NUL */
		"\xC1\xBF",          /* overlong 2-byte */
		"\xE0\x80\x80",      /* overlong 3-byte */
		"\xE0\x9F\xBF",      /* overlong U+07FF */
		"\xF0\x80\x80\x80",  /* overlong 4-byte */
		"\xF0\x8F\xBF\xBF",  /* overlong U+FFFF */
		"\xED\xA0\x80",      /* U+D800, a surrogate */
		"\xED\xBF\xBF",      /* U+DFFF */
		"\xF4\x90\x80\x80",  /* U+110000 */
		"\xF5\x80\x80\x80",  /* lead byte F5 */
		"\xF8\x88\x80\x80\x80", /* 5-byte form */
		"\xFE",
		"\xFF",
		"\xC4\x85\xC5",      /* "ą" then a truncated letter */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (valid(bad[i]))
			fail_msg("bad[%zu] accepted", i);
	/* NUL bytes are refused */
	assert_false(utf8_valid("a\0b", 3));
	assert_false(utf8_valid("\0", 1));
	/* n cutting a letter in half */
	assert_false(utf8_valid("ż", 1));
	assert_false(utf8_valid("\xF0\x9F\x98\x80", 3));
}

static void test_core__str__utf8_hidden(void **state)
{
	(void)state;
	assert_false(utf8_has_hidden("Zażółć gęślą jaźń", 0));
	assert_false(utf8_has_hidden("", 0));
	assert_true(utf8_has_hidden("X\u202eY", 0));   /* right-to-left override */
	assert_true(utf8_has_hidden("a\u2066b", 0));   /* left-to-right isolate */
	assert_true(utf8_has_hidden("a\u200fb", 0));   /* right-to-left mark */
	assert_true(utf8_has_hidden("a\x1b[31m", 0));  /* escape */
	assert_true(utf8_has_hidden("a\xc2\x85" "b", 0)); /* C1 next line */
	assert_true(utf8_has_hidden("a\nb", 0));
	assert_false(utf8_has_hidden("a\nb\tc\r\n", 1)); /* line breaks where lines are allowed */
	assert_true(utf8_has_hidden("a\nb\x7f", 1));
}

static void test_core__str__utf8_length(void **state)
{
	(void)state;
	assert_int_equal(utf8_length(""), 0);
	assert_int_equal(utf8_length("abc"), 3);
	assert_int_equal(utf8_length("Łódź"), 4);
	assert_int_equal(utf8_length("Zażółć gęślą jaźń"), 17);
	assert_int_equal(utf8_length("\xF0\x9F\x98\x80"), 1);
	assert_int_equal(utf8_length("a\xE2\x82\xAC" "b"), 3);
}

/* ---- str_fold ---- */

static void test_core__str__fold_polish(void **state)
{
	(void)state;
	expect_fold("Łódź", "lodz");
	expect_fold("łódź", "lodz");
	expect_fold("ZAŻÓŁĆ GĘŚLĄ JAŹŃ", "zazolc gesla jazn");
	expect_fold("zażółć gęślą jaźń", "zazolc gesla jazn");
	expect_fold("Ąą Ćć Ęę Łł Ńń Óó Śś Źź Żż", "aa cc ee ll nn oo ss zz zz");
	expect_fold("Wał Miedzeszyński", "wal miedzeszynski");
}

static void test_core__str__fold_case_and_marks(void **state)
{
	(void)state;
	expect_fold("ABCxyz 123", "abcxyz 123");
	expect_fold("Straße", "strasse");
	expect_fold("Ärger Öl Übel", "arger ol ubel");
	expect_fold("Crème Brûlée", "creme brulee");
	/* decomposed input (o + combining acute) folds the same as composed */
	expect_fold("Lo\xCC\x81" "dz\xCC\x81", "lodz");
	expect_fold("Kraków", "krakow");
	expect_fold("KRAKÓW", "krakow");
}

static void test_core__str__fold_whitespace(void **state)
{
	(void)state;
	expect_fold("", "");
	expect_fold("   ", "");
	expect_fold(" \t\r\n", "");
	expect_fold("  Nowa   Huta  ", "nowa huta");
	expect_fold("Nowa\t\n Huta", "nowa huta");
	expect_fold("a b", "a b");
	expect_fold("x", "x");
}

static void test_core__str__fold_null_invalid_limit(void **state)
{
	struct arena *a = arena_new(1 << 20), *tiny = arena_new(16);

	(void)state;
	assert_string_equal(str_fold(a, NULL), "");
	assert_null(str_fold(a, "ab\xFF"));
	assert_null(str_fold(a, "\xC5"));
	assert_null(str_fold(a, "\xED\xA0\x80"));
	/* a result that does not fit in the arena: NULL, and nothing leaks */
	assert_null(str_fold(tiny, "a string much longer than sixteen bytes"));
	assert_string_equal(str_fold(tiny, "ŁÓDŹ"), "lodz");
	arena_free(tiny);
	arena_free(a);
}

static void test_core__str__fold_matches(void **state)
{
	static const char *const same[][2] = {
		{ "Łódź", "LODZ" },
		{ "  gmina   Żółkiewka ", "GMINA ZOLKIEWKA" },
		{ "Szkoła Podstawowa nr 1", "szkola podstawowa NR 1" },
	};
	struct arena *a = arena_new(1 << 20);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		assert_string_equal(str_fold(a, same[i][0]), str_fold(a, same[i][1]));
	arena_free(a);
}

/* ---- URL encoding ---- */

static void test_core__str__url_encode(void **state)
{
	(void)state;
	expect_encode("", "");
	expect_encode("abcXYZ0189-_.~", "abcXYZ0189-_.~");
	expect_encode("a b", "a%20b");
	expect_encode("a+b&c=d/e?f#g%h", "a%2Bb%26c%3Dd%2Fe%3Ff%23g%25h");
	expect_encode("ż", "%C5%BC");
	expect_encode("Łódź", "%C5%81%C3%B3d%C5%BA");
	expect_encode("\"'<>\\", "%22%27%3C%3E%5C");
	expect_encode("\x01\x7F\xFF", "%01%7F%FF");
}

static void test_core__str__url_encode_appends(void **state)
{
	struct buf b = BUF_INIT(64), small = BUF_INIT(5);

	(void)state;
	buf_adds(&b, "?q=");
	url_encode(&b, "a b");
	url_encode(&b, NULL); /* nothing */
	assert_string_equal(buf_str(&b), "?q=a%20b");
	buf_release(&b);
	/* the buffer's maximum is honoured */
	url_encode(&small, "żż");
	assert_int_equal(small.failed, 1);
	buf_release(&small);
}

static void test_core__str__url_decode(void **state)
{
	(void)state;
	expect_decode("", 1, "", 0);
	expect_decode("abc", 1, "abc", 3);
	expect_decode("a%20b", 0, "a b", 3);
	expect_decode("a+b", 1, "a b", 3);
	expect_decode("a+b", 0, "a+b", 3);
	expect_decode("a%2Bb", 1, "a+b", 3);
	expect_decode("%C5%BC", 1, "ż", 2);
	expect_decode("%c5%bc", 1, "ż", 2);
	expect_decode("%C5%81%C3%B3d%C5%BA", 1, "Łódź", 7);
	expect_decode("%25", 1, "%", 1);
	expect_decode("%2525", 1, "%25", 3); /* decoded once only */
	expect_decode("%41%42%43", 1, "ABC", 3);
	expect_decode("%00x", 1, "\0x", 2);
}

static void test_core__str__url_decode_malformed(void **state)
{
	static const char *const bad[] = { "%", "%4", "a%", "a%4", "%G1", "%1G", "%%", "%%41",
					   "abc%zz", "%-1", "% 1", "100%" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_decode(bad[i], 1, NULL, -1);
}

static void test_core__str__url_decode_bounded(void **state)
{
	char s[] = "ab%41cd";

	(void)state;
	/* only s[0..n) is decoded and the result is terminated */
	assert_int_equal(url_decode(s, 5, 0), 3);
	assert_string_equal(s, "abA");
	strcpy(s, "ab%41cd");
	assert_int_equal(url_decode(s, 4, 0), -1); /* "%4" cut short */
	strcpy(s, "ab%41cd");
	assert_int_equal(url_decode(s, 0, 0), 0);
	assert_string_equal(s, "");
}

static void test_core__str__url_roundtrip(void **state)
{
	char all[256], tmp[1024];
	struct buf b = BUF_INIT(4096);
	int i;

	(void)state;
	for (i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	url_encode(&b, all);
	assert_int_equal(b.failed, 0);
	assert_true(b.len < sizeof(tmp));
	memcpy(tmp, b.data, b.len + 1);
	assert_int_equal(url_decode(tmp, b.len, 1), 255); /* '+' is encoded, so plus_space is safe */
	assert_memory_equal(tmp, all, 256);
	buf_release(&b);
}

/* ---- base64url, hex ---- */

static void test_core__str__b64url_rfc4648(void **state)
{
	(void)state;
	expect_b64("", 0, "");
	expect_b64("f", 1, "Zg");
	expect_b64("fo", 2, "Zm8");
	expect_b64("foo", 3, "Zm9v");
	expect_b64("foob", 4, "Zm9vYg");
	expect_b64("fooba", 5, "Zm9vYmE");
	expect_b64("foobar", 6, "Zm9vYmFy");
	expect_b64("Łódź", 7, "xYHDs2TFug");
}

static void test_core__str__b64url_alphabet(void **state)
{
	static const unsigned char plus_slash[] = { 0xFB, 0xFF };         /* "+/8=" in base64 */
	static const unsigned char minus_under[] = { 0xFF, 0xFF, 0xFE };  /* "///+" */
	static const unsigned char zeros[] = { 0, 0, 0, 0 };
	unsigned char all[48];
	char out[80];
	size_t i;

	(void)state;
	expect_b64(plus_slash, sizeof(plus_slash), "-_8");
	expect_b64(minus_under, sizeof(minus_under), "___-");
	expect_b64(zeros, sizeof(zeros), "AAAAAA");
	for (i = 0; i < sizeof(all); i++)
		all[i] = (unsigned char)(i * 37 + 11);
	b64url(out, sizeof(out), all, sizeof(all));
	assert_int_equal(strlen(out), 64);
	for (i = 0; out[i] != '\0'; i++)
		assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
				       out[i]));
}

static void test_core__str__hex(void **state)
{
	static const unsigned char bin[] = { 0x00, 0x01, 0x7F, 0x80, 0xAB, 0xFF };
	char out[2 * sizeof(bin) + 1];
	char one[1] = { 'X' };

	(void)state;
	hex_encode(out, bin, sizeof(bin));
	assert_string_equal(out, "00017f80abff");
	hex_encode(one, bin, 0);
	assert_int_equal(one[0], '\0');
	hex_encode(out, (const unsigned char *)"ż", 2);
	assert_string_equal(out, "c5bc");
}

static void test_core__str__is_email(void **state)
{
	char big[300];

	(void)state;
	assert_true(str_is_email("ops@przykladowo.pl"));
	assert_true(str_is_email("a.b-c@sub.gmina.gov.pl"));
	assert_true(str_is_email("żaneta@łódź.pl")); /* internationalised addresses exist */
	assert_false(str_is_email(NULL));
	assert_false(str_is_email(""));
	assert_false(str_is_email("zle@"));
	assert_false(str_is_email("@gmina.pl"));
	assert_false(str_is_email("bez-malpy.pl"));
	assert_false(str_is_email("a@b@c.pl"));
	assert_false(str_is_email("a@gmina"));
	assert_false(str_is_email("a@.pl"));
	assert_false(str_is_email("a@gmina."));
	assert_false(str_is_email("jan kowalski@gmina.pl"));
	assert_false(str_is_email("<a@gmina.pl>"));
	memset(big, 'a', sizeof(big));
	memcpy(big + sizeof(big) - 10, "@gmina.pl", 10); /* 299 bytes: too long */
	assert_false(str_is_email(big));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core__str__trim),
		cmocka_unit_test(test_core__str__empty),
		cmocka_unit_test(test_core__str__eq),
		cmocka_unit_test(test_core__str__int_ok),
		cmocka_unit_test(test_core__str__int_range),
		cmocka_unit_test(test_core__str__int_overflow),
		cmocka_unit_test(test_core__str__int_malformed),
		cmocka_unit_test(test_core__str__utf8_valid),
		cmocka_unit_test(test_core__str__utf8_invalid),
		cmocka_unit_test(test_core__str__utf8_hidden),
		cmocka_unit_test(test_core__str__utf8_length),
		cmocka_unit_test(test_core__str__fold_polish),
		cmocka_unit_test(test_core__str__fold_case_and_marks),
		cmocka_unit_test(test_core__str__fold_whitespace),
		cmocka_unit_test(test_core__str__fold_null_invalid_limit),
		cmocka_unit_test(test_core__str__fold_matches),
		cmocka_unit_test(test_core__str__url_encode),
		cmocka_unit_test(test_core__str__url_encode_appends),
		cmocka_unit_test(test_core__str__url_decode),
		cmocka_unit_test(test_core__str__url_decode_malformed),
		cmocka_unit_test(test_core__str__url_decode_bounded),
		cmocka_unit_test(test_core__str__url_roundtrip),
		cmocka_unit_test(test_core__str__b64url_rfc4648),
		cmocka_unit_test(test_core__str__b64url_alphabet),
		cmocka_unit_test(test_core__str__hex),
		cmocka_unit_test(test_core__str__is_email),
	};

	return cmocka_run_group_tests_name("core/str", tests, NULL, NULL);
}
