/*
 * tests/unit/core/arena.c — the region allocator: 16-byte alignment and
 * rounding in arena_used(), the hard limit (exact fit, one byte over, not
 * sticky, limit 0, size overflow, a huge request under an unlimited arena),
 * chunk growth with big and small requests interleaved (every byte written
 * and read back), zalloc, strdup/strndup/printf copies, NULL in, and
 * deferred cleanups running last-registered-first — also when the limit
 * leaves no room to register them.
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

#define MB ((size_t)1 << 20)

/* ---- helpers ---- */

/* assert_aligned() fails unless p is aligned for any type (16 bytes). */
static void assert_aligned(const void *p)
{
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 16, 0);
}

/* Deferred callbacks append their argument (a small int) to this log. */
static int order[16];
static int norder;

static void record(void *arg)
{
	assert_true(norder < (int)(sizeof(order) / sizeof(order[0])));
	order[norder++] = (int)(intptr_t)arg;
}

/* ---- tests ---- */

static void test_core__arena__new_and_free(void **state)
{
	struct arena *a = arena_new(MB);

	(void)state;
	assert_non_null(a);
	assert_int_equal(arena_used(a), 0);
	arena_free(a);
	arena_free(NULL); /* a no-op */
}

static void test_core__arena__alignment_and_rounding(void **state)
{
	struct arena *a = arena_new(MB);
	size_t sizes[] = { 1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 100, 1000 };
	size_t i, expect = 0;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned char *p = arena_alloc(a, sizes[i]);

		assert_aligned(p);
		memset(p, 0xAB, sizes[i]);
		expect += (sizes[i] + 15) / 16 * 16;
		assert_int_equal(arena_used(a), expect);
	}
	arena_free(a);
}

static void test_core__arena__zero_size(void **state)
{
	struct arena *a = arena_new(0);
	void *p;

	(void)state;
	p = arena_alloc(a, 0);
	assert_non_null(p);
	assert_int_equal(arena_used(a), 0);
	assert_null(arena_alloc(a, 1)); /* limit 0: nothing else fits */
	assert_int_equal(arena_used(a), 0);
	arena_free(a);
}

static void test_core__arena__distinct_blocks(void **state)
{
	struct arena *a = arena_new(MB);
	char *p = arena_alloc(a, 16), *q = arena_alloc(a, 16);

	(void)state;
	assert_non_null(p);
	assert_non_null(q);
	assert_true(p + 16 <= q || q + 16 <= p);
	memset(p, 'p', 16);
	memset(q, 'q', 16);
	assert_int_equal(p[15], 'p');
	assert_int_equal(q[0], 'q');
	arena_free(a);
}

static void test_core__arena__limit_exact(void **state)
{
	struct arena *a = arena_new(1024);

	(void)state;
	assert_non_null(arena_alloc(a, 1000)); /* rounds to 1008 */
	assert_int_equal(arena_used(a), 1008);
	assert_non_null(arena_alloc(a, 16)); /* exactly 1024 */
	assert_int_equal(arena_used(a), 1024);
	assert_null(arena_alloc(a, 1));
	assert_int_equal(arena_used(a), 1024);
	assert_non_null(arena_alloc(a, 0)); /* nothing asked, nothing refused */
	arena_free(a);
}

static void test_core__arena__limit_not_sticky(void **state)
{
	struct arena *a = arena_new(100);

	(void)state;
	assert_null(arena_alloc(a, 200));
	assert_int_equal(arena_used(a), 0);
	assert_non_null(arena_alloc(a, 90)); /* 96 */
	assert_null(arena_alloc(a, 5));      /* 96 + 16 > 100 */
	assert_int_equal(arena_used(a), 96);
	arena_free(a);
}

static void test_core__arena__limit_counts_rounded(void **state)
{
	struct arena *a = arena_new(32);

	(void)state;
	assert_non_null(arena_alloc(a, 1)); /* counts 16 */
	assert_non_null(arena_alloc(a, 1)); /* counts 32 */
	assert_null(arena_alloc(a, 1));
	arena_free(a);
}

static void test_core__arena__size_overflow(void **state)
{
	struct arena *a = arena_new(SIZE_MAX);

	(void)state;
	assert_null(arena_alloc(a, SIZE_MAX));
	assert_null(arena_alloc(a, SIZE_MAX - 1));
	assert_null(arena_alloc(a, SIZE_MAX - 15));
	assert_null(arena_zalloc(a, SIZE_MAX));
	assert_int_equal(arena_used(a), 0);
	arena_free(a);
}

static void test_core__arena__huge_unlimited(void **state)
{
	struct arena *a = arena_new(SIZE_MAX);
	size_t i;

	(void)state;
	/*
	 * no block of these sizes can exist; the chunk header plus the size
	 * must not wrap around to a small malloc()
	 */
	for (i = 16; i < 32; i++)
		assert_null(arena_alloc(a, SIZE_MAX - i));
	assert_int_equal(arena_used(a), 0);
	assert_non_null(arena_alloc(a, 10));
	assert_int_equal(arena_used(a), 16);
	arena_free(a);
}

static void test_core__arena__big_and_small_interleaved(void **state)
{
	struct arena *a = arena_new(64 * MB);
	unsigned char *blocks[200];
	size_t sizes[200], i, j, total = 0;

	(void)state;
	for (i = 0; i < 200; i++) {
		/* small, just over a chunk, several chunks, odd sizes */
		switch (i % 5) {
		case 0: sizes[i] = 24; break;
		case 1: sizes[i] = 8193; break;
		case 2: sizes[i] = 40000 + i; break;
		case 3: sizes[i] = 3000; break;
		default: sizes[i] = 1 + i; break;
		}
		blocks[i] = arena_alloc(a, sizes[i]);
		assert_aligned(blocks[i]);
		memset(blocks[i], (int)(i & 0xFF), sizes[i]);
		total += (sizes[i] + 15) / 16 * 16;
	}
	assert_int_equal(arena_used(a), total);
	for (i = 0; i < 200; i++)
		for (j = 0; j < sizes[i]; j++)
			if (blocks[i][j] != (unsigned char)(i & 0xFF))
				fail_msg("block %zu byte %zu overwritten", i, j);
	arena_free(a);
}

static void test_core__arena__many_small(void **state)
{
	struct arena *a = arena_new(16 * MB);
	int *prev = NULL;
	int i;

	(void)state;
	for (i = 0; i < 100000; i++) {
		int *p = arena_alloc(a, sizeof(int));

		assert_non_null(p);
		*p = i;
		if (prev != NULL)
			assert_int_equal(*prev, i - 1);
		prev = p;
	}
	assert_int_equal(arena_used(a), 100000 * 16);
	arena_free(a);
}

static void test_core__arena__zalloc(void **state)
{
	struct arena *a = arena_new(MB);
	unsigned char *p;
	size_t i;

	(void)state;
	/* dirty some memory first so zeroing is observable in a fresh chunk too */
	p = arena_alloc(a, 4000);
	memset(p, 0xFF, 4000);
	p = arena_zalloc(a, 20000);
	assert_aligned(p);
	for (i = 0; i < 20000; i++)
		assert_int_equal(p[i], 0);
	p = arena_zalloc(a, 100);
	for (i = 0; i < 100; i++)
		assert_int_equal(p[i], 0);
	assert_null(arena_zalloc(a, 2 * MB));
	arena_free(a);
}

static void test_core__arena__strdup(void **state)
{
	struct arena *a = arena_new(MB);
	char src[] = "Łódź";
	char *p;

	(void)state;
	p = arena_strdup(a, src);
	assert_string_equal(p, "Łódź");
	assert_ptr_not_equal(p, src);
	src[0] = 'X';
	assert_string_equal(p, "Łódź");
	p = arena_strdup(a, "");
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_null(arena_strdup(a, NULL));
	assert_null(arena_strndup(a, NULL, 3));
	arena_free(a);
}

static void test_core__arena__strndup(void **state)
{
	struct arena *a = arena_new(MB);
	char *p;

	(void)state;
	p = arena_strndup(a, "abcdef", 3);
	assert_string_equal(p, "abc");
	p = arena_strndup(a, "abcdef", 0);
	assert_string_equal(p, "");
	/* n bytes are copied as they are, NULs included */
	p = arena_strndup(a, "a\0b", 3);
	assert_memory_equal(p, "a\0b", 4);
	arena_free(a);
}

static void test_core__arena__strdup_limit(void **state)
{
	struct arena *a = arena_new(16);

	(void)state;
	assert_null(arena_strdup(a, "sixteen chars!!!")); /* 17 bytes with the NUL */
	assert_string_equal(arena_strdup(a, "fifteen chars!!"), "fifteen chars!!");
	assert_null(arena_strdup(a, ""));
	arena_free(a);
}

static void test_core__arena__printf(void **state)
{
	struct arena *a = arena_new(MB);
	char *p, *big;

	(void)state;
	p = arena_printf(a, "%s=%d;%05.1f|%-3s|%x", "gmina", -42, 3.14159, "ą", 255u);
	assert_string_equal(p, "gmina=-42;003.1|ą |ff");
	p = arena_printf(a, "%s", "");
	assert_string_equal(p, "");
	p = arena_printf(a, "100%%");
	assert_string_equal(p, "100%");
	big = arena_printf(a, "%20000d|", 7);
	assert_non_null(big);
	assert_int_equal(strlen(big), 20001);
	assert_int_equal(big[19999], '7');
	assert_int_equal(big[20000], '|');
	arena_free(a);
}

static void test_core__arena__printf_limit(void **state)
{
	struct arena *a = arena_new(32);

	(void)state;
	assert_null(arena_printf(a, "%040d", 1));
	assert_string_equal(arena_printf(a, "%031d", 1), "0000000000000000000000000000001");
	assert_null(arena_printf(a, "%s", ""));
	arena_free(a);
}

/* vcall() exercises arena_vprintf() through a variadic wrapper. */
static char *vcall(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *vcall(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

static void test_core__arena__vprintf(void **state)
{
	struct arena *a = arena_new(MB);

	(void)state;
	assert_string_equal(vcall(a, "%s-%lld-%zu", "x", (long long)INT64_MIN, (size_t)SIZE_MAX),
			    "x--9223372036854775808-18446744073709551615");
	arena_free(a);
}

static void test_core__arena__defer_order(void **state)
{
	struct arena *a = arena_new(MB);
	int i;

	(void)state;
	norder = 0;
	for (i = 1; i <= 5; i++)
		assert_int_equal(arena_defer(a, record, (void *)(intptr_t)i), 0);
	assert_int_equal(norder, 0); /* nothing runs before the free */
	arena_free(a);
	assert_int_equal(norder, 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(order[i], 5 - i);
}

static void test_core__arena__defer_at_limit(void **state)
{
	struct arena *a = arena_new(16);

	(void)state;
	norder = 0;
	assert_non_null(arena_alloc(a, 16)); /* the limit is used up */
	assert_int_equal(arena_defer(a, record, (void *)(intptr_t)7), -1);
	/* the resource is released at once rather than leaked */
	assert_int_equal(norder, 1);
	assert_int_equal(order[0], 7);
	arena_free(a);
	assert_int_equal(norder, 1); /* and not a second time */
}

static void test_core__arena__defer_free_memory(void **state)
{
	struct arena *a = arena_new(MB);
	void *heap = malloc(100);

	(void)state;
	assert_non_null(heap);
	assert_int_equal(arena_defer(a, free, heap), 0); /* LeakSanitizer checks this */
	assert_non_null(arena_alloc(a, 100000));
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core__arena__new_and_free),
		cmocka_unit_test(test_core__arena__alignment_and_rounding),
		cmocka_unit_test(test_core__arena__zero_size),
		cmocka_unit_test(test_core__arena__distinct_blocks),
		cmocka_unit_test(test_core__arena__limit_exact),
		cmocka_unit_test(test_core__arena__limit_not_sticky),
		cmocka_unit_test(test_core__arena__limit_counts_rounded),
		cmocka_unit_test(test_core__arena__size_overflow),
		cmocka_unit_test(test_core__arena__huge_unlimited),
		cmocka_unit_test(test_core__arena__big_and_small_interleaved),
		cmocka_unit_test(test_core__arena__many_small),
		cmocka_unit_test(test_core__arena__zalloc),
		cmocka_unit_test(test_core__arena__strdup),
		cmocka_unit_test(test_core__arena__strndup),
		cmocka_unit_test(test_core__arena__strdup_limit),
		cmocka_unit_test(test_core__arena__printf),
		cmocka_unit_test(test_core__arena__printf_limit),
		cmocka_unit_test(test_core__arena__vprintf),
		cmocka_unit_test(test_core__arena__defer_order),
		cmocka_unit_test(test_core__arena__defer_at_limit),
		cmocka_unit_test(test_core__arena__defer_free_memory),
	};

	return cmocka_run_group_tests_name("core/arena", tests, NULL, NULL);
}
