/*
 * tests/unit/link/index.c — one record against a prepared set: the same
 * person found (with a typo, a diminutive, a PESEL digit), strangers not
 * compared, records added after the index was built still found,
 * cross_only skipping the record's own group.
 */
#include "synth.h"

struct hits {
	uint32_t rec[64];
	double p[64];
	int n;
};

static int note_hit(const struct link_pair *p, void *arg)
{
	struct hits *h = arg;

	assert_int_equal(p->b, UINT32_MAX);
	if (h->n < 64) {
		h->rec[h->n] = p->a;
		h->p[h->n++] = p->probability;
	}
	return 0;
}

static int found(const struct hits *h, uint32_t rec, double min)
{
	int i;

	for (i = 0; i < h->n; i++)
		if (h->rec[i] == rec && h->p[i] >= min)
			return 1;
	return 0;
}

static void test_link__index__match_one(void **state)
{
	struct link_set *s = link_set_new();
	struct link_opts o = { .cross_only = 1 };
	struct link_model m;
	struct hits h = { .n = 0 };
	struct link_record q = person("q", "Kasia", "Nowak", 19850512, LINK_SEX_F, "85051212345");
	struct link_record target = person("t", "Katarzyna", "Nowak", 19850512, LINK_SEX_F, "85051212345");
	long t;
	(void)state;

	synth_fill(s, 2000, 0.1, 0.1);
	target.street = "ulica 7";
	target.street_number = "3";
	t = link_set_add(s, &target);
	assert_int_equal(link_model_estimate(s, &o, &m, NULL), 0);
	q.group = 1;
	q.pesel = "85051221345"; /* two digits of the serial swapped */
	assert_int_equal(link_match_one(s, &m, &q, 0, 0.5, note_hit, &h), 0);
	assert_true(found(&h, (uint32_t)t, 0.5));
	assert_true(h.n < 64);
	/* added after the index: found from the tail */
	h.n = 0;
	target.id = "t2";
	t = link_set_add(s, &target);
	assert_int_equal(link_match_one(s, &m, &q, 0, 0.5, note_hit, &h), 0);
	assert_true(found(&h, (uint32_t)t, 0.5));
	/* cross_only: a query of group 0 skips the target (group 0) */
	h.n = 0;
	q.group = 0;
	assert_int_equal(link_match_one(s, &m, &q, 1, 0.0, note_hit, &h), 0);
	assert_false(found(&h, (uint32_t)t, 0.0));
	link_set_free(s);
}

static int stop_at_first(const struct link_pair *p, void *arg)
{
	(void)p;
	(*(int *)arg)++;
	return 7;
}

static void test_link__index__callback_stops(void **state)
{
	struct link_set *s = link_set_new();
	struct link_record r = person("a", "Jan", "Nowak", 19800101, LINK_SEX_M, NULL);
	struct link_model m;
	int calls = 0;
	(void)state;

	link_set_add(s, &r);
	r.id = "b";
	link_set_add(s, &r);
	link_model_default(&m);
	assert_int_equal(link_match_one(s, &m, &r, 0, 0.0, stop_at_first, &calls), 7);
	assert_int_equal(calls, 1);
	link_set_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link__index__match_one),
		cmocka_unit_test(test_link__index__callback_stops),
	};

	return cmocka_run_group_tests_name("link/index", tests, NULL, NULL);
}
