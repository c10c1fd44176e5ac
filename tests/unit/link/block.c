/*
 * tests/unit/link/block.c — blocking: recall on a synthetic set with
 * typos (every true pair is a candidate), each candidate pair once, only
 * across groups when asked, no key of a surname alone (a common surname
 * does not make one block), keys of a record without a set equal to the
 * set's, oversized blocks skipped and counted.
 */
#include <pthread.h>

#include "synth.h"

struct seen {
	uint8_t *pair; /* n*n bits would be big: the tests use n <= 2000 records */
	size_t n;
	uint64_t count, duplicates, same_group, true_pairs;
	const struct link_set *s;
};

/* link_pairs() calls back from both its threads at once: the tally takes a lock */
static pthread_mutex_t note_lock = PTHREAD_MUTEX_INITIALIZER;

static int note_batch(int t, const uint32_t *ab, size_t np, void *arg)
{
	struct seen *sn = arg;
	size_t i;
	(void)t;

	pthread_mutex_lock(&note_lock);
	for (i = 0; i < np; i++) {
		size_t a = ab[2 * i], b = ab[2 * i + 1], bit = a * sn->n + b;

		assert_true(a < b);
		if (sn->pair[bit / 8] & (1u << (bit % 8)))
			sn->duplicates++;
		sn->pair[bit / 8] |= (uint8_t)(1u << (bit % 8));
		sn->count++;
		sn->same_group += link_set_group(sn->s, a) == link_set_group(sn->s, b);
		sn->true_pairs += a / 2 == b / 2;
	}
	pthread_mutex_unlock(&note_lock);
	return 0;
}

static void test_link__block__recall_and_once(void **state)
{
	struct link_set *s = link_set_new();
	struct link_opts o = { .cross_only = 1 };
	struct link_stats st = { 0 };
	struct seen sn = { 0 };
	(void)state;

	synth_fill(s, 1000, 0.3, 0.2);
	sn.n = link_set_count(s);
	sn.s = s;
	sn.pair = calloc(sn.n * sn.n / 8 + 1, 1);
	assert_int_equal(link_pairs(s, &o, 1, note_batch, &sn, &st), 0);
	assert_int_equal(sn.duplicates, 0);
	assert_int_equal(sn.same_group, 0);
	assert_int_equal(sn.true_pairs, 1000); /* first name and date typos never lose a pair */
	assert_int_equal(st.candidates, sn.count);
	assert_true(sn.count < 40 * 1000); /* far below the 1000 x 1000 of no blocking */
	free(sn.pair);
	link_set_free(s);
}

static void test_link__block__dedup_mode(void **state)
{
	struct link_set *s = link_set_new();
	struct seen sn = { 0 };
	(void)state;

	synth_fill(s, 300, 0.1, 0.1);
	sn.n = link_set_count(s);
	sn.s = s;
	sn.pair = calloc(sn.n * sn.n / 8 + 1, 1);
	assert_int_equal(link_pairs(s, NULL, 1, note_batch, &sn, NULL), 0);
	assert_int_equal(sn.duplicates, 0);
	assert_true(sn.same_group > 0); /* one file: pairs inside a group too */
	assert_int_equal(sn.true_pairs, 300);
	free(sn.pair);
	link_set_free(s);
}

static void test_link__block__no_surname_alone(void **state)
{
	struct link_set *s = link_set_new();
	struct link_stats st = { 0 };
	struct seen sn = { 0 };
	char id[16], given[16], birth_s[16];
	int i;
	(void)state;

	/* 600 Nowaks of different first names, dates and postcodes: no pair shares a key */
	for (i = 0; i < 600; i++) {
		struct link_record r = person(id, given, "Nowak", 19000101 + (i % 90) * 10000 + (i / 90) * 100, 0, NULL);

		snprintf(id, sizeof(id), "%d", i);
		snprintf(given, sizeof(given), "%cim%cx", (char)('a' + i % 26), (char)('a' + i / 26));
		snprintf(birth_s, sizeof(birth_s), "%05d", i);
		r.postcode = birth_s;
		assert_true(link_set_add(s, &r) >= 0);
	}
	sn.n = link_set_count(s);
	sn.s = s;
	sn.pair = calloc(sn.n * sn.n / 8 + 1, 1);
	assert_int_equal(link_pairs(s, NULL, 1, note_batch, &sn, &st), 0);
	assert_true(sn.count < 600); /* sharing a surname alone makes no candidates */
	free(sn.pair);
	link_set_free(s);
}

static void test_link__block__block_max(void **state)
{
	struct link_set *s = link_set_new();
	struct link_opts o = { .block_max = 10 };
	struct link_stats st = { 0 };
	struct seen sn = { 0 };
	char id[16];
	int i;
	(void)state;

	for (i = 0; i < 20; i++) { /* twenty records of one person: one block of 190 pairs per key */
		struct link_record r = person(id, "Jan", "Nowak", 19800101, LINK_SEX_M, "80010100017");

		snprintf(id, sizeof(id), "%d", i);
		assert_true(link_set_add(s, &r) >= 0);
	}
	sn.n = link_set_count(s);
	sn.s = s;
	sn.pair = calloc(sn.n * sn.n / 8 + 1, 1);
	assert_int_equal(link_pairs(s, &o, 1, note_batch, &sn, &st), 0);
	assert_int_equal(sn.count, 0);
	assert_true(st.blocks_skipped >= 5);
	free(sn.pair);
	link_set_free(s);
}

static void test_link__block__record_keys(void **state)
{
	struct link_record r = person("x", "Kasia", "Nowak-Kowalska", 19850512, LINK_SEX_F, "85051212342");
	struct link_record d = r;
	struct link_set *s = link_set_new();
	uint64_t keys[LINK_KEYS_MAX], dkeys[LINK_KEYS_MAX];
	int k, n;
	(void)state;

	r.postcode = "00-950";
	r.birth_surname = "Nowak";
	n = link_record_keys(&r, keys);
	assert_int_equal(n, LINK_KEYS_MAX); /* every key present */
	assert_int_equal(link_set_add(s, &r), 0);
	for (k = 0; k < LINK_KEYS_MAX; k++) {
		assert_true(keys[k] != 0);
		assert_true(keys[k] == link_key(&s->pool, &s->rec[0], k));
	}
	d.given = "Katarzyna"; /* the diminutive keys like the name */
	d.postcode = "00-950";
	d.birth_surname = "Nowak";
	link_record_keys(&d, dkeys);
	assert_true(keys[4] == dkeys[4]);
	memset(&d, 0, sizeof(d));
	d.id = "empty";
	assert_int_equal(link_record_keys(&d, dkeys), 0);
	link_set_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link__block__recall_and_once),
		cmocka_unit_test(test_link__block__dedup_mode),
		cmocka_unit_test(test_link__block__no_surname_alone),
		cmocka_unit_test(test_link__block__block_max),
		cmocka_unit_test(test_link__block__record_keys),
	};

	return cmocka_run_group_tests_name("link/block", tests, NULL, NULL);
}
