/*
 * tests/unit/link/cluster.c — clustering: pairs above the threshold join,
 * transitively; below it they do not; a cannot-link pair is never in one
 * cluster: a chain is split at its weakest link; no cluster grows past
 * LINK_CLUSTER_MAX; out-of-range input ignored.
 */
#include "linktest.h"

static struct link_pair pair(uint32_t a, uint32_t b, double p)
{
	struct link_pair x = { a, b, p, 0, 0 };

	return x;
}

static void test_link__cluster__joins(void **state)
{
	struct link_pair p[] = { pair(0, 1, 0.99), pair(1, 2, 0.95), pair(3, 4, 0.40), pair(5, 9, 0.99) };
	uint32_t c[6];
	(void)state;

	assert_int_equal(link_cluster(6, p, 4, 0.9, NULL, 0, c), 0);
	assert_int_equal(c[0], 0);
	assert_int_equal(c[1], 0);
	assert_int_equal(c[2], 0);
	assert_int_equal(c[3], 3); /* below the threshold */
	assert_int_equal(c[4], 4);
	assert_int_equal(c[5], 5); /* a pair naming a record past n is ignored */
}

static void test_link__cluster__cannot_link_splits_weakest(void **state)
{
	/* A-B strong, B-C weak, C-D strong; a person said A and D are different */
	struct link_pair p[] = { pair(0, 1, 0.999), pair(1, 2, 0.91), pair(2, 3, 0.998) };
	uint32_t cannot[] = { 0, 3 }, c[4];
	(void)state;

	assert_int_equal(link_cluster(4, p, 3, 0.9, cannot, 1, c), 0);
	assert_int_equal(c[0], 0);
	assert_int_equal(c[1], 0);
	assert_int_equal(c[2], 2);
	assert_int_equal(c[3], 2);
	assert_int_not_equal(c[0], c[3]);
	/* without the constraint all four join */
	assert_int_equal(link_cluster(4, p, 3, 0.9, NULL, 0, c), 0);
	assert_int_equal(c[3], 0);
}

static void test_link__cluster__cannot_link_direct(void **state)
{
	struct link_pair p[] = { pair(0, 1, 1.0) };
	uint32_t cannot[] = { 1, 0, 7, 8 }, c[2]; /* the second constraint is out of range */
	(void)state;

	assert_int_equal(link_cluster(2, p, 1, 0.5, cannot, 2, c), 0);
	assert_int_equal(c[0], 0);
	assert_int_equal(c[1], 1); /* never linked, however high the score */
}

static void test_link__cluster__size_cap(void **state)
{
	struct link_pair p[LINK_CLUSTER_MAX + 10];
	uint32_t c[LINK_CLUSTER_MAX + 11];
	size_t i, in_first = 0;
	(void)state;

	for (i = 0; i < LINK_CLUSTER_MAX + 10; i++) /* a chain of 75 records */
		p[i] = pair((uint32_t)i, (uint32_t)i + 1, 0.99 - (double)i * 0.001);
	assert_int_equal(link_cluster(LINK_CLUSTER_MAX + 11, p, LINK_CLUSTER_MAX + 10, 0.5, NULL, 0, c), 0);
	for (i = 0; i < LINK_CLUSTER_MAX + 11; i++)
		in_first += c[i] == 0;
	assert_int_equal(in_first, LINK_CLUSTER_MAX); /* the strongest links kept, the chain cut there */
	assert_int_equal(c[LINK_CLUSTER_MAX], LINK_CLUSTER_MAX);
}

static void test_link__cluster__empty(void **state)
{
	uint32_t c[1];
	(void)state;

	assert_int_equal(link_cluster(0, NULL, 0, 0.5, NULL, 0, c), 0);
	assert_int_equal(link_cluster(1, NULL, 0, 0.5, NULL, 0, c), 0);
	assert_int_equal(c[0], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link__cluster__joins),
		cmocka_unit_test(test_link__cluster__cannot_link_splits_weakest),
		cmocka_unit_test(test_link__cluster__cannot_link_direct),
		cmocka_unit_test(test_link__cluster__size_cap),
		cmocka_unit_test(test_link__cluster__empty),
	};

	return cmocka_run_group_tests_name("link/cluster", tests, NULL, NULL);
}
