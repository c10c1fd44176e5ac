/*
 * tests/unit/core/buf.c — the growable buffer: BUF_INIT and buf_init, every
 * append (bytes with NULs, strings, chars, printf), NUL termination, growth
 * across many reallocations, the hard maximum (exact fit, one byte over,
 * max 0, printf over the maximum, capacity never beyond max + 1, an
 * "unlimited" SIZE_MAX maximum), sticky failure until buf_reset(), reset
 * keeping memory, release, and detach (content handed over, NULL when
 * empty or failed).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

/* ---- tests ---- */

static void test_core__buf__init(void **state)
{
	struct buf a = BUF_INIT(100), b;

	(void)state;
	assert_null(a.data);
	assert_int_equal(a.len, 0);
	assert_int_equal(a.cap, 0);
	assert_int_equal(a.max, 100);
	assert_int_equal(a.failed, 0);
	assert_string_equal(buf_str(&a), "");
	memset(&b, 0x5A, sizeof(b));
	buf_init(&b, 7);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(b.max, 7);
	assert_int_equal(b.failed, 0);
	buf_release(&a); /* releasing an empty buffer is fine */
	assert_int_equal(a.max, 100);
}

static void test_core__buf__reserve(void **state)
{
	struct buf b;
	char *first;

	(void)state;
	buf_init(&b, 100);
	assert_int_equal(buf_reserve(&b, 50), 0);
	assert_true(b.cap >= 51);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	first = b.data;
	assert_int_equal(buf_adds(&b, "0123456789012345678901234567890123456789"), 0);
	assert_ptr_equal(b.data, first); /* no second allocation within what was reserved */
	assert_int_equal(buf_reserve(&b, 61), -1); /* over the maximum: sticky */
	assert_true(b.failed);
	buf_release(&b);
}

static void test_core__buf__appends(void **state)
{
	struct buf b = BUF_INIT(1024);

	(void)state;
	assert_int_equal(buf_adds(&b, "Łódź"), 0);
	assert_int_equal(buf_addc(&b, ' '), 0);
	assert_int_equal(buf_add(&b, "abcdef", 3), 0);
	assert_int_equal(buf_addf(&b, " %d/%s/%05.2f/%zu", -7, "ż", 2.5, (size_t)42), 0);
	assert_string_equal(buf_str(&b), "Łódź abc -7/ż/02.50/42");
	assert_int_equal(b.len, strlen("Łódź abc -7/ż/02.50/42"));
	assert_int_equal(b.data[b.len], '\0');
	assert_int_equal(b.failed, 0);
	buf_release(&b);
}

static void test_core__buf__empty_appends(void **state)
{
	struct buf b = BUF_INIT(16);

	(void)state;
	assert_int_equal(buf_add(&b, NULL, 0), 0);
	assert_int_equal(buf_adds(&b, ""), 0);
	assert_int_equal(buf_addf(&b, "%s", ""), 0);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(b.failed, 0);
	buf_release(&b);
}

static void test_core__buf__binary(void **state)
{
	struct buf b = BUF_INIT(64);
	static const char bytes[] = { 'a', '\0', 'b', '\xFF', '\0' };

	(void)state;
	assert_int_equal(buf_add(&b, bytes, sizeof(bytes)), 0);
	assert_int_equal(buf_addc(&b, '\0'), 0);
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.data, "a\0b\xFF\0\0", 7); /* plus the terminating NUL */
	buf_release(&b);
}

static void test_core__buf__growth(void **state)
{
	struct buf b = BUF_INIT(1 << 20);
	size_t i;

	(void)state;
	for (i = 0; i < 100000; i++) {
		assert_int_equal(buf_addc(&b, (char)('a' + i % 26)), 0);
		assert_true(b.cap > b.len);
	}
	assert_int_equal(b.len, 100000);
	assert_int_equal(strlen(buf_str(&b)), 100000);
	for (i = 0; i < 100000; i++)
		if (b.data[i] != (char)('a' + i % 26))
			fail_msg("byte %zu is %c", i, b.data[i]);
	buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(b.max, 1 << 20);
}

static void test_core__buf__max_exact(void **state)
{
	struct buf b = BUF_INIT(10);

	(void)state;
	assert_int_equal(buf_adds(&b, "0123456789"), 0);
	assert_int_equal(b.len, 10);
	assert_true(b.cap <= 11);
	assert_string_equal(buf_str(&b), "0123456789");
	assert_int_equal(buf_add(&b, "", 0), 0); /* nothing more is still fine */
	assert_int_equal(buf_addc(&b, 'x'), -1);
	assert_int_equal(b.failed, 1);
	assert_string_equal(buf_str(&b), "0123456789"); /* content unchanged */
	buf_release(&b);
}

static void test_core__buf__max_one_over(void **state)
{
	struct buf b = BUF_INIT(10);

	(void)state;
	assert_int_equal(buf_adds(&b, "0123"), 0);
	assert_int_equal(buf_adds(&b, "4567890"), -1); /* would be 11 */
	assert_int_equal(b.failed, 1);
	assert_int_equal(b.len, 4);
	assert_string_equal(buf_str(&b), "0123");
	buf_release(&b);
}

static void test_core__buf__max_zero(void **state)
{
	struct buf b = BUF_INIT(0);

	(void)state;
	assert_int_equal(buf_adds(&b, ""), 0);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_addc(&b, 'a'), -1);
	assert_int_equal(b.failed, 1);
	buf_release(&b);
}

static void test_core__buf__cap_bounded(void **state)
{
	struct buf b = BUF_INIT(300);
	int i;

	(void)state;
	for (i = 0; i < 300; i++)
		assert_int_equal(buf_addc(&b, 'x'), 0);
	assert_int_equal(b.len, 300);
	assert_true(b.cap <= 301); /* doubling never allocates past max + 1 */
	assert_int_equal(buf_addc(&b, 'x'), -1);
	buf_release(&b);
}

static void test_core__buf__huge_len(void **state)
{
	struct buf b = BUF_INIT(100);

	(void)state;
	assert_int_equal(buf_adds(&b, "abc"), 0);
	/* len + extra would wrap around: must fail, not write */
	assert_int_equal(buf_add(&b, "x", SIZE_MAX), -1);
	assert_int_equal(buf_add(&b, "x", SIZE_MAX - 1), -1);
	assert_int_equal(b.failed, 1);
	assert_string_equal(buf_str(&b), "abc");
	buf_release(&b);
}

static void test_core__buf__max_unlimited(void **state)
{
	struct buf b = BUF_INIT(SIZE_MAX);
	int i;

	(void)state;
	assert_int_equal(buf_adds(&b, "x"), 0);
	assert_true(b.cap > b.len); /* room for the content and its NUL */
	for (i = 0; i < 1000; i++)
		assert_int_equal(buf_adds(&b, "0123456789"), 0);
	assert_int_equal(b.len, 10001);
	assert_true(b.cap > b.len);
	assert_int_equal(b.data[10000], '9');
	assert_int_equal(b.data[10001], '\0');
	buf_release(&b);
}

static void test_core__buf__printf_over_max(void **state)
{
	struct buf b = BUF_INIT(8);

	(void)state;
	assert_int_equal(buf_addf(&b, "%d", 1234567), 0);
	assert_int_equal(buf_addf(&b, "%s", "ab"), -1);
	assert_int_equal(b.failed, 1);
	assert_string_equal(buf_str(&b), "1234567");
	buf_release(&b);
}

static void test_core__buf__printf_large(void **state)
{
	struct buf b = BUF_INIT(1 << 20);

	(void)state;
	assert_int_equal(buf_addf(&b, "<%10000s>", "x"), 0);
	assert_int_equal(b.len, 10002);
	assert_int_equal(b.data[0], '<');
	assert_int_equal(b.data[10000], 'x');
	assert_int_equal(b.data[10001], '>');
	buf_release(&b);
}

static void test_core__buf__sticky(void **state)
{
	struct buf b = BUF_INIT(5);

	(void)state;
	assert_int_equal(buf_adds(&b, "ab"), 0);
	assert_int_equal(buf_adds(&b, "cdefgh"), -1);
	/* everything after a failure fails, even what would fit */
	assert_int_equal(buf_addc(&b, 'c'), -1);
	assert_int_equal(buf_add(&b, "", 0), -1);
	assert_int_equal(buf_adds(&b, ""), -1);
	assert_int_equal(buf_addf(&b, "%s", "c"), -1);
	assert_int_equal(b.failed, 1);
	assert_string_equal(buf_str(&b), "ab");
	buf_release(&b);
	/* release clears the failure */
	assert_int_equal(b.failed, 0);
	assert_int_equal(b.max, 5);
	assert_int_equal(buf_adds(&b, "abcde"), 0);
	buf_release(&b);
}

static void test_core__buf__reset(void **state)
{
	struct buf b = BUF_INIT(5);
	char *mem;

	(void)state;
	buf_reset(&b); /* on an empty buffer */
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_adds(&b, "abcd"), 0);
	mem = b.data;
	assert_int_equal(buf_adds(&b, "ef"), -1);
	buf_reset(&b);
	assert_int_equal(b.failed, 0);
	assert_int_equal(b.len, 0);
	assert_ptr_equal(b.data, mem); /* memory kept */
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_adds(&b, "12345"), 0);
	assert_string_equal(buf_str(&b), "12345");
	buf_release(&b);
}

static void test_core__buf__detach(void **state)
{
	struct buf b = BUF_INIT(100);
	size_t len = 99;
	char *p;

	(void)state;
	buf_adds(&b, "zażółć");
	p = buf_detach(&b, &len);
	assert_non_null(p);
	assert_string_equal(p, "zażółć");
	assert_int_equal(len, strlen("zażółć"));
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(b.max, 100);
	free(p);
	/* the buffer is usable again */
	assert_int_equal(buf_adds(&b, "x"), 0);
	p = buf_detach(&b, NULL);
	assert_string_equal(p, "x");
	free(p);
}

static void test_core__buf__detach_empty(void **state)
{
	struct buf b = BUF_INIT(100);
	size_t len = 99;

	(void)state;
	assert_null(buf_detach(&b, &len));
	assert_int_equal(len, 0);
	assert_null(buf_detach(&b, NULL));
}

static void test_core__buf__detach_failed(void **state)
{
	struct buf b = BUF_INIT(3);
	size_t len = 99;

	(void)state;
	buf_adds(&b, "ab");
	buf_adds(&b, "cd");
	assert_null(buf_detach(&b, &len));
	assert_int_equal(len, 0);
	/* the content was freed (LeakSanitizer) and the buffer reset */
	assert_null(b.data);
	assert_int_equal(b.failed, 0);
	assert_int_equal(b.max, 3);
}

/* vadd() exercises buf_vaddf() through a variadic wrapper. */
static int vadd(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int vadd(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return r;
}

static void test_core__buf__vaddf(void **state)
{
	struct buf b = BUF_INIT(64);

	(void)state;
	assert_int_equal(vadd(&b, "%s:%lld", "n", (long long)INT64_MAX), 0);
	assert_int_equal(vadd(&b, "|%c", 'q'), 0);
	assert_string_equal(buf_str(&b), "n:9223372036854775807|q");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core__buf__init),
		cmocka_unit_test(test_core__buf__reserve),
		cmocka_unit_test(test_core__buf__appends),
		cmocka_unit_test(test_core__buf__empty_appends),
		cmocka_unit_test(test_core__buf__binary),
		cmocka_unit_test(test_core__buf__growth),
		cmocka_unit_test(test_core__buf__max_exact),
		cmocka_unit_test(test_core__buf__max_one_over),
		cmocka_unit_test(test_core__buf__max_zero),
		cmocka_unit_test(test_core__buf__cap_bounded),
		cmocka_unit_test(test_core__buf__huge_len),
		cmocka_unit_test(test_core__buf__max_unlimited),
		cmocka_unit_test(test_core__buf__printf_over_max),
		cmocka_unit_test(test_core__buf__printf_large),
		cmocka_unit_test(test_core__buf__sticky),
		cmocka_unit_test(test_core__buf__reset),
		cmocka_unit_test(test_core__buf__detach),
		cmocka_unit_test(test_core__buf__detach_empty),
		cmocka_unit_test(test_core__buf__detach_failed),
		cmocka_unit_test(test_core__buf__vaddf),
	};

	return cmocka_run_group_tests_name("core/buf", tests, NULL, NULL);
}
