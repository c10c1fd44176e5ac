/*
 * tests/unit/link/model.c — EM recovers the known m of a synthetic set
 * (first-name typos 20 %, date typos 10 %) and a prior near the true share
 * of matches among the candidates; matches score high, strangers low;
 * thresholds in order; the text form round-trips and refuses damage;
 * explanations name every field; the thresholds of pairs already compared
 * are those of enumerating them again; labelled pairs count a two-class model.
 */
#include "synth.h"

#include "core/buf.h"

struct truth_count {
	double upper;
	uint64_t pairs, matches, tp, fp;
};

static int count_truth(const struct link_pair *p, void *arg)
{
	struct truth_count *t = arg;
	int same = p->a / 2 == p->b / 2;

	t->pairs++;
	t->matches += same;
	if (p->probability >= t->upper) {
		t->tp += same;
		t->fp += !same;
	}
	return 0;
}

static void test_link__model__em_recovers_m(void **state)
{
	struct link_set *s = link_set_new();
	struct link_opts o = { .cross_only = 1 };
	struct truth_count t = { 0 };
	struct link_model m;
	(void)state;

	synth_fill(s, 3000, 0.20, 0.10);
	assert_int_equal(link_model_estimate(s, &o, &m, NULL), 0);
	assert_float_equal(m.m[LINK_F_GIVEN][1], 0.80, 0.04);  /* 20 % first-name typos */
	assert_float_equal(m.m[LINK_F_BIRTH][1], 0.90, 0.04);  /* 10 % date typos, */
	assert_float_equal(m.m[LINK_F_BIRTH][3], 0.10, 0.04);  /* each one digit */
	assert_float_equal(m.m[LINK_F_SURNAME][1], 1.0, 0.02);
	assert_float_equal(m.m[LINK_F_ID][1], 1.0, 0.02);
	assert_float_equal(m.m[LINK_F_STREET][1], 0.90, 0.05); /* 10 % moved */
	/* strangers of these short name lists share a first name often, a number hardly ever */
	assert_true(m.v[LINK_F_ID][1] < 0.01);
	assert_true(m.upper >= m.lower && m.upper > 0 && m.upper <= 1);
	t.upper = m.upper;
	assert_int_equal(link_score_all(s, &m, &o, 0.0, count_truth, &t, NULL), 0);
	assert_true(t.pairs > 3000);
	assert_true(t.tp > 0.95 * 3000);          /* recall */
	assert_true(t.fp < 0.01 * (double)t.tp);  /* precision */
	link_set_free(s);
}

static void test_link__model__scores(void **state)
{
	struct link_set *s = link_set_new();
	struct link_opts o = { .cross_only = 1 };
	struct link_model m;
	struct link_pair p;
	(void)state;

	synth_fill(s, 2000, 0.10, 0.05);
	assert_int_equal(link_model_estimate(s, &o, &m, NULL), 0);
	link_score_pair(s, &m, 0, 1, &p); /* one person */
	assert_true(p.probability > 0.9);
	assert_true(p.weight > 0);
	link_score_pair(s, &m, 0, 3, &p); /* two */
	if (link_level(p.levels, LINK_F_BIRTH) != 1)
		assert_true(p.probability < 0.5);
	assert_float_equal(link_probability(&m, p.levels), p.probability, 1e-12);
	link_set_free(s);
}

static void test_link__model__save_load(void **state)
{
	struct link_model m, back;
	struct buf b = BUF_INIT(1 << 20);
	char *bad;
	(void)state;

	link_model_default(&m);
	m.prior = 0.125;
	m.prior_related = 0.25;
	m.upper = 0.75;
	m.lower = 0.5;
	m.m[LINK_F_GIVEN][1] = 0.8125;
	assert_int_equal(link_model_save(&m, &b), 0);
	assert_int_equal(link_model_load(buf_str(&b), &back), 0);
	assert_float_equal(back.prior, 0.125, 0);
	assert_float_equal(back.prior_related, 0.25, 0);
	assert_float_equal(back.upper, 0.75, 0);
	assert_float_equal(back.m[LINK_F_GIVEN][1], 0.8125, 0);
	assert_memory_equal(back.v, m.v, sizeof(m.v));
	bad = strdup(buf_str(&b));
	bad[strlen(bad) / 2] = 'x';
	assert_int_equal(link_model_load(bad, &back), -1);
	assert_int_equal(link_model_load("razem-link-model 2\nprior 2 0\n", &back), -1);
	assert_int_equal(link_model_load("", &back), -1);
	assert_int_equal(link_model_load(NULL, &back), -1);
	free(bad);
	buf_release(&b);
}

static void test_link__model__explain(void **state)
{
	struct link_model m;
	struct link_explain_row rows[LINK_F__MAX];
	link_levels lv = (link_levels)1 << (4 * LINK_F_GIVEN) | (link_levels)5 << (4 * LINK_F_SURNAME);
	int f;
	(void)state;

	link_model_default(&m);
	link_explain(&m, lv, rows);
	for (f = 0; f < LINK_F__MAX; f++)
		assert_int_equal(rows[f].field, f);
	assert_string_equal(rows[LINK_F_GIVEN].level_name, "exact");
	assert_true(rows[LINK_F_GIVEN].weight > 0);
	assert_string_equal(rows[LINK_F_SURNAME].level_name, "other gender form");
	assert_true(rows[LINK_F_SURNAME].weight < 0);
	assert_string_equal(rows[LINK_F_ID].level_name, "missing");
	assert_float_equal(rows[LINK_F_ID].weight, 0, 0);
}

static void test_link__model__empty_set(void **state)
{
	struct link_set *s = link_set_new();
	struct link_model m;
	double up, lo;
	(void)state;

	assert_int_equal(link_model_estimate(s, NULL, &m, NULL), 0);
	assert_int_equal(link_thresholds(s, &m, NULL, &up, &lo), 0);
	assert_true(lo <= up);
	link_set_free(s);
}

struct levels_arg {
	link_levels *lv;
	size_t n, cap;
};

static int keep_levels(const struct link_pair *p, void *arg)
{
	struct levels_arg *a = arg;

	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 1024;
		a->lv = realloc(a->lv, a->cap * sizeof(*a->lv));
		assert_non_null(a->lv);
	}
	a->lv[a->n++] = p->levels;
	return 0;
}

/* the thresholds of pairs already compared are those of enumerating them again; so are their scores */
static void test_link__model__thresholds_of_levels(void **state)
{
	struct link_set *s = link_set_new();
	struct link_opts o = { .cross_only = 1 };
	struct levels_arg a = { 0 };
	struct link_model m;
	double up, lo, up2, lo2, p[64], w[64];
	size_t k;
	(void)state;

	synth_fill(s, 1500, 0.20, 0.10);
	assert_int_equal(link_model_estimate(s, &o, &m, NULL), 0);
	assert_int_equal(link_score_all(s, &m, &o, 0.0, keep_levels, &a, NULL), 0);
	assert_true(a.n > 1500);
	m.upper = m.lower = 0; /* link_thresholds() enumerates again */
	assert_int_equal(link_thresholds(s, &m, &o, &up, &lo), 0);
	assert_int_equal(link_thresholds_of(&m, a.lv, a.n, &up2, &lo2), 0);
	assert_float_equal(up2, up, 1e-12);
	assert_float_equal(lo2, lo, 1e-12);
	assert_true(lo2 <= up2 && up2 > 0);
	link_score_levels(&m, a.lv, 64, p, w);
	for (k = 0; k < 64; k++) {
		assert_float_equal(p[k], link_probability(&m, a.lv[k]), 1e-12);
		assert_float_equal(w[k], link_weight(&m, a.lv[k]), 1e-12);
	}
	assert_int_equal(link_thresholds_of(&m, NULL, 0, &up, &lo), 0); /* nothing compared: the defaults */
	assert_true(lo <= up);
	free(a.lv);
	link_set_free(s);
}

/* levels with every field at level l (capped at each field's last) */
static link_levels all_at(int l)
{
	link_levels lv = 0;

	for (int f = 0; f < LINK_F__MAX; f++) {
		int n = link_level_count((enum link_field)f), v = l < n - 1 ? l : n - 1;

		lv |= (link_levels)v << (4 * f);
	}
	return lv;
}

/* labelled pairs count a two-class model; too few leave the model alone */
static void test_link__model__labelled(void **state)
{
	struct link_labels l;
	struct link_model m, before;
	int i;
	(void)state;

	memset(&l, 0, sizeof(l));
	link_model_default(&m);
	before = m;
	for (i = 0; i < LINK_LABELLED_MIN - 1; i++) { /* 19 of each */
		link_labels_add(&l, all_at(1), 1);
		link_labels_add(&l, all_at(7), 0);
	}
	assert_int_equal(link_model_labelled(&l, &m), 1);
	assert_memory_equal(&m, &before, sizeof(m));
	for (; i < 200; i++) {
		link_labels_add(&l, all_at(1), 1);
		link_labels_add(&l, all_at(7), 0);
		link_labels_add(&l, all_at(7), 0);
	}
	assert_float_equal(l.nsame, 200, 0);
	assert_float_equal(l.ndifferent, 19 + 2 * 181, 0);
	assert_int_equal(link_model_labelled(&l, &m), 0);
	assert_float_equal(m.prior_related, 0, 0); /* two classes */
	assert_float_equal(m.prior, 200.0 / 581.0, 1e-12);
	assert_int_equal(m.pairs, 581);
	assert_float_equal(m.m[LINK_F_ID][1], before.m[LINK_F_ID][1], 0); /* the identifier's m is the default's */
	assert_true(m.u[LINK_F_GIVEN][1] < 0.01);
	assert_true(link_probability(&m, all_at(1)) > 0.99);
	assert_true(link_probability(&m, all_at(7)) < 0.01);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link__model__em_recovers_m),
		cmocka_unit_test(test_link__model__scores),
		cmocka_unit_test(test_link__model__save_load),
		cmocka_unit_test(test_link__model__explain),
		cmocka_unit_test(test_link__model__empty_set),
		cmocka_unit_test(test_link__model__thresholds_of_levels),
		cmocka_unit_test(test_link__model__labelled),
	};

	return cmocka_run_group_tests_name("link/model", tests, NULL, NULL);
}
