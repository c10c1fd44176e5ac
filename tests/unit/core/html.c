/*
 * tests/unit/core/html.c — escaping writers: html_raw unchanged, html_text
 * and html_textn escaping & < > " ' (every byte 1..255 checked; UTF-8 and
 * other bytes pass through; NULs inside html_textn; NULL appends nothing),
 * and html_fmt: %s and %.*s escaped (NULL, precision, negative precision),
 * every integer conversion with width, zero and minus flags and their
 * limits, %%, literal text kept verbatim, and every other conversion
 * (%x %c %f %p %hd %ls %10s %.3s %.*d, a trailing '%') marking the buffer
 * failed. Also that the buffer maximum is honoured.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/buf.h"
#include "core/html.h"

/* html_fmt() is printf-checked; the failure tests pass valid printf formats
 * that html_fmt() deliberately refuses. */

#define EXPECT(call, want)                                         \
	do {                                                       \
		struct buf b_ = BUF_INIT(1 << 16);                 \
		struct buf *b = &b_;                               \
		call;                                              \
		assert_int_equal(b_.failed, 0);                    \
		assert_string_equal(buf_str(&b_), want);           \
		buf_release(&b_);                                  \
	} while (0)

#define EXPECT_FAIL(call)                                          \
	do {                                                       \
		struct buf b_ = BUF_INIT(1 << 16);                 \
		struct buf *b = &b_;                               \
		call;                                              \
		assert_int_equal(b_.failed, 1);                    \
		buf_release(&b_);                                  \
	} while (0)

/* a NULL the compiler cannot see (it warns about a literal NULL for %s) */
static const char *volatile nothing = NULL;

/* ---- raw and text ---- */

static void test_core__html__raw(void **state)
{
	(void)state;
	EXPECT(html_raw(b, "<p class=\"x\">&nbsp;'</p>"), "<p class=\"x\">&nbsp;'</p>");
	EXPECT(html_raw(b, ""), "");
}

static void test_core__html__text_specials(void **state)
{
	(void)state;
	EXPECT(html_text(b, "&"), "&amp;");
	EXPECT(html_text(b, "<"), "&lt;");
	EXPECT(html_text(b, ">"), "&gt;");
	EXPECT(html_text(b, "\""), "&quot;");
	EXPECT(html_text(b, "'"), "&#39;");
	EXPECT(html_text(b, "<script>alert('x\" & y')</script>"),
	       "&lt;script&gt;alert(&#39;x&quot; &amp; y&#39;)&lt;/script&gt;");
	EXPECT(html_text(b, "\"><img src=x onerror=alert(1)>"),
	       "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
	EXPECT(html_text(b, "&amp;"), "&amp;amp;"); /* escaped again, not trusted */
	EXPECT(html_text(b, "<<>>&&''\"\""), "&lt;&lt;&gt;&gt;&amp;&amp;&#39;&#39;&quot;&quot;");
}

static void test_core__html__text_plain(void **state)
{
	(void)state;
	EXPECT(html_text(b, ""), "");
	EXPECT(html_text(b, NULL), "");
	EXPECT(html_text(b, "Zażółć gęślą jaźń"), "Zażółć gęślą jaźń");
	EXPECT(html_text(b, "a = b; c / d \\ e ` f"), "a = b; c / d \\ e ` f");
	EXPECT(html_text(b, "Łódź <ul. Piotrkowska>"), "Łódź &lt;ul. Piotrkowska&gt;");
}

static void test_core__html__text_every_byte(void **state)
{
	int c;

	(void)state;
	for (c = 1; c < 256; c++) {
		struct buf b = BUF_INIT(64);
		char in[4] = { 'a', (char)c, 'z', '\0' };
		const char *want;
		char plain[4] = { 'a', (char)c, 'z', '\0' };

		html_text(&b, in);
		switch (c) {
		case '&': want = "a&amp;z"; break;
		case '<': want = "a&lt;z"; break;
		case '>': want = "a&gt;z"; break;
		case '"': want = "a&quot;z"; break;
		case '\'': want = "a&#39;z"; break;
		default: want = plain; break;
		}
		if (strcmp(buf_str(&b), want) != 0)
			fail_msg("byte %d: got \"%s\"", c, buf_str(&b));
		buf_release(&b);
	}
}

static void test_core__html__textn(void **state)
{
	(void)state;
	EXPECT(html_textn(b, "<abc>", 3), "&lt;ab");
	EXPECT(html_textn(b, "<abc>", 0), "");
	EXPECT(html_textn(b, NULL, 5), "");
	EXPECT(html_textn(b, "a&b", 2), "a&amp;");
	{
		struct buf b = BUF_INIT(64);

		/* n bytes are written, NULs included */
		html_textn(&b, "a\0<", 3);
		assert_int_equal(b.len, 6);
		assert_memory_equal(b.data, "a\0&lt;", 6);
		buf_release(&b);
	}
}

static void test_core__html__appends(void **state)
{
	struct buf b = BUF_INIT(256);

	(void)state;
	html_raw(&b, "<b>");
	html_text(&b, "1 < 2");
	html_raw(&b, "</b>");
	html_fmt(&b, " %s=%d", "<k>", 3);
	assert_string_equal(buf_str(&b), "<b>1 &lt; 2</b> &lt;k&gt;=3");
	buf_release(&b);
}

static void test_core__html__max(void **state)
{
	struct buf b = BUF_INIT(6);

	(void)state;
	html_text(&b, "a&b"); /* "a&amp;b" is 7 bytes */
	assert_int_equal(b.failed, 1);
	buf_release(&b);
	html_text(&b, "<>");  /* "&lt;&gt;" is 8 */
	assert_int_equal(b.failed, 1);
	buf_release(&b);
	html_text(&b, "&"); /* 5 fits */
	assert_int_equal(b.failed, 0);
	assert_string_equal(buf_str(&b), "&amp;");
	buf_release(&b);
	html_fmt(&b, "%s", "<>");
	assert_int_equal(b.failed, 1);
	buf_release(&b);
}

/* ---- html_fmt ---- */

static void test_core__html__fmt_strings(void **state)
{
	(void)state;
	EXPECT(html_fmt(b, "plain"), "plain");
	EXPECT(html_fmt(b, "<p title=\"%s\">%s</p>", "a\"b", "<i>"),
	       "<p title=\"a&quot;b\">&lt;i&gt;</p>");
	EXPECT(html_fmt(b, "%s%s%s", "&", "'", "\""), "&amp;&#39;&quot;");
	EXPECT(html_fmt(b, "[%s]", nothing), "[]");
	EXPECT(html_fmt(b, "[%s]", ""), "[]");
	EXPECT(html_fmt(b, "%s", "Łódź"), "Łódź");
	/* the literal text is trusted markup: not escaped */
	EXPECT(html_fmt(b, "<a href='/x?a=1&b=2'>%s</a>", "&"), "<a href='/x?a=1&b=2'>&amp;</a>");
}

static void test_core__html__fmt_precision(void **state)
{
	(void)state;
	EXPECT(html_fmt(b, "%.*s", 3, "<abcdef"), "&lt;ab");
	EXPECT(html_fmt(b, "%.*s|", 0, "abc"), "|");
	EXPECT(html_fmt(b, "%.*s", 10, "a<b"), "a&lt;b");
	EXPECT(html_fmt(b, "%.*s", -1, "a<b"), "a&lt;b"); /* negative: no precision */
	EXPECT(html_fmt(b, "%.*s", 2, nothing), "");
	/* precision counts input bytes, and the string need not be terminated */
	{
		static const char unterminated[3] = { 'x', '&', 'y' };

		EXPECT(html_fmt(b, "%.*s", 3, unterminated), "x&amp;y");
	}
	EXPECT(html_fmt(b, "%.*s-%d", 1, "ab", 5), "a-5");
}

static void test_core__html__fmt_integers(void **state)
{
	(void)state;
	EXPECT(html_fmt(b, "%d %i %u", -1, 2, 3u), "-1 2 3");
	EXPECT(html_fmt(b, "%d|%d", INT_MIN, INT_MAX), "-2147483648|2147483647");
	EXPECT(html_fmt(b, "%u", UINT_MAX), "4294967295");
	EXPECT(html_fmt(b, "%ld|%lu", LONG_MIN, ULONG_MAX), "-9223372036854775808|18446744073709551615");
	EXPECT(html_fmt(b, "%li", -5L), "-5");
	EXPECT(html_fmt(b, "%lld|%llu", LLONG_MIN, ULLONG_MAX), "-9223372036854775808|18446744073709551615");
	EXPECT(html_fmt(b, "%lli", 7LL), "7");
	EXPECT(html_fmt(b, "%zu", SIZE_MAX), "18446744073709551615");
	EXPECT(html_fmt(b, "%zu", (size_t)0), "0");
	EXPECT(html_fmt(b, "%zd", (ssize_t)-3), "-3");
}

static void test_core__html__fmt_flags(void **state)
{
	(void)state;
	EXPECT(html_fmt(b, "[%5d]", 42), "[   42]");
	EXPECT(html_fmt(b, "[%-5d]", 42), "[42   ]");
	EXPECT(html_fmt(b, "[%05d]", -42), "[-0042]");
	EXPECT(html_fmt(b, "%02d.%02d.%04d", 3, 11, 2026), "03.11.2026");
	EXPECT(html_fmt(b, "[%3u]", 12345u), "[12345]");
	EXPECT(html_fmt(b, "[%.3d]", 7), "[007]");
	EXPECT(html_fmt(b, "[%08zu]", (size_t)123), "[00000123]");
	EXPECT(html_fmt(b, "[%20lld]", -1LL), "[                  -1]");
}

static void test_core__html__fmt_percent(void **state)
{
	(void)state;
	EXPECT(html_fmt(b, "100%%"), "100%");
	EXPECT(html_fmt(b, "%%%d%%", 5), "%5%");
	EXPECT(html_fmt(b, "%%s"), "%s");
	EXPECT(html_fmt(b, "%%%%"), "%%");
}

static void test_core__html__fmt_unsupported(void **state)
{
	static const wchar_t wide[] = L"<b>";

	(void)state;
	EXPECT_FAIL(html_fmt(b, "%x", 255u));
	EXPECT_FAIL(html_fmt(b, "%X", 255u));
	EXPECT_FAIL(html_fmt(b, "%o", 8u));
	EXPECT_FAIL(html_fmt(b, "%c", 'x'));
	EXPECT_FAIL(html_fmt(b, "%f", 1.0));
	EXPECT_FAIL(html_fmt(b, "%g", 1.0));
	EXPECT_FAIL(html_fmt(b, "%e", 1.0));
	EXPECT_FAIL(html_fmt(b, "%p", (void *)b));
	EXPECT_FAIL(html_fmt(b, "%hd", (short)1));
	EXPECT_FAIL(html_fmt(b, "%hhu", (unsigned char)1));
	EXPECT_FAIL(html_fmt(b, "%jd", (intmax_t)1));
	EXPECT_FAIL(html_fmt(b, "%.*d", 3, 1));
	EXPECT_FAIL(html_fmt(b, "%+d", 1));
	EXPECT_FAIL(html_fmt(b, "% d", 1));
	/* string conversions other than %s and %.*s */
	EXPECT_FAIL(html_fmt(b, "%ls", wide));
	EXPECT_FAIL(html_fmt(b, "%10s", "<b>"));
	EXPECT_FAIL(html_fmt(b, "%-10s", "<b>"));
	EXPECT_FAIL(html_fmt(b, "%.3s", "<b>"));
}

/* trailing() hides a lone trailing '%' from the compiler's format check. */
static const char *trailing(void)
{
	return "50%";
}

static void test_core__html__fmt_trailing_percent(void **state)
{
	struct buf b = BUF_INIT(64);
	void (*fmt)(struct buf *, const char *, ...) = html_fmt;

	(void)state;
	fmt(&b, trailing());
	assert_int_equal(b.failed, 1);
	buf_release(&b);
}

static void test_core__html__fmt_failure_stops(void **state)
{
	struct buf b = BUF_INIT(64);

	(void)state;
	html_fmt(&b, "a%xb%s", 1u, "c");
	assert_int_equal(b.failed, 1);
	assert_string_equal(buf_str(&b), "a"); /* nothing after the bad conversion */
	html_text(&b, "more");
	assert_string_equal(buf_str(&b), "a"); /* sticky */
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core__html__raw),
		cmocka_unit_test(test_core__html__text_specials),
		cmocka_unit_test(test_core__html__text_plain),
		cmocka_unit_test(test_core__html__text_every_byte),
		cmocka_unit_test(test_core__html__textn),
		cmocka_unit_test(test_core__html__appends),
		cmocka_unit_test(test_core__html__max),
		cmocka_unit_test(test_core__html__fmt_strings),
		cmocka_unit_test(test_core__html__fmt_precision),
		cmocka_unit_test(test_core__html__fmt_integers),
		cmocka_unit_test(test_core__html__fmt_flags),
		cmocka_unit_test(test_core__html__fmt_percent),
		cmocka_unit_test(test_core__html__fmt_unsupported),
		cmocka_unit_test(test_core__html__fmt_trailing_percent),
		cmocka_unit_test(test_core__html__fmt_failure_stops),
	};

	return cmocka_run_group_tests_name("core/html", tests, NULL, NULL);
}
