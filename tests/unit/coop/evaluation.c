/*
 * tests/unit/coop/evaluation.c — the statistics of the evaluation against
 * a comparison group (coop/evaluation.h) on hand-checked examples: the
 * logistic fit (a 2×2 table whose maximum-likelihood coefficients are
 * known in closed form, and a large simulated set with known
 * coefficients), nearest-neighbour matching with a caliper and without
 * replacement, the standardised mean difference, the paired difference of
 * proportions and its Wald interval, the suppression of small counts; and
 * the six-month follow-up day of coop/outcome.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "coop/evaluation.h"
#include "coop/outcome.h"

#define NEAR(a, b, eps) assert_true(fabs((a) - (b)) < (eps))

/* x = 0: 1 of 4 have y = 1; x = 1: 3 of 4. MLE: b0 = ln(1/3), b1 = ln 3 - ln(1/3) = ln 9. */
static void test_coop__evaluation__logit_two_by_two(void **state)
{
	double x[16], beta[2];
	int y[8] = { 1, 0, 0, 0, 1, 1, 1, 0 }, i, it = 0;

	(void)state;
	for (i = 0; i < 8; i++) {
		x[2 * i] = 1;
		x[2 * i + 1] = i < 4 ? 0 : 1;
	}
	assert_int_equal(eval_logit_fit(x, y, 8, 2, 0, beta, &it), 0);
	NEAR(beta[0], log(1.0 / 3), 1e-6);
	NEAR(beta[1], log(9.0), 1e-6);
	assert_true(it > 1 && it < 50);
	NEAR(eval_logit(beta, x + 8, 2), log(3.0), 1e-6); /* the fifth row: x = 1 */
}

/* A simulated set: P(y) = logistic(-0.5 + 1.0 x1 - 0.8 x2); the fit recovers the coefficients. */
static void test_coop__evaluation__logit_known_coefficients(void **state)
{
	enum { N = 20000 };
	double *x = malloc(N * 3 * sizeof(double)), beta[3];
	int *y = malloc(N * sizeof(int)), i, it;
	uint64_t s = 42;

	(void)state;
	assert_non_null(x);
	assert_non_null(y);
	for (i = 0; i < N; i++) {
		double u1, u2, u3, eta;

		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		u1 = (double)(s >> 11) / 9007199254740992.0;
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		u2 = (double)(s >> 11) / 9007199254740992.0;
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		u3 = (double)(s >> 11) / 9007199254740992.0;
		x[3 * i] = 1;
		x[3 * i + 1] = u1 * 4 - 2;       /* uniform on [-2, 2] */
		x[3 * i + 2] = u2 < 0.4 ? 1 : 0; /* a binary covariate */
		eta = -0.5 + 1.0 * x[3 * i + 1] - 0.8 * x[3 * i + 2];
		y[i] = u3 < 1 / (1 + exp(-eta));
	}
	assert_int_equal(eval_logit_fit(x, y, N, 3, 0, beta, &it), 0);
	NEAR(beta[0], -0.5, 0.08);
	NEAR(beta[1], 1.0, 0.08);
	NEAR(beta[2], -0.8, 0.1);
	/* a small ridge penalty barely moves them */
	{
		double b2[3];

		assert_int_equal(eval_logit_fit(x, y, N, 3, 1e-4, b2, &it), 0);
		NEAR(b2[1], beta[1], 1e-3);
	}
	free(x);
	free(y);
}

/* Perfect separation: no finite maximum; the fit says it did not converge, or stays finite with the ridge. */
static void test_coop__evaluation__logit_separation(void **state)
{
	double x[8] = { 1, 0, 1, 0, 1, 1, 1, 1 }, beta[2];
	int y[4] = { 0, 0, 1, 1 }, it;

	(void)state;
	assert_int_equal(eval_logit_fit(x, y, 4, 2, 1e-2, beta, &it), 0);
	assert_true(isfinite(beta[1]) && beta[1] > 2);
}

static void test_coop__evaluation__match_caliper(void **state)
{
	double st[] = { 0.0, 1.0, 2.0, 3.0 }, sc[] = { 0.05, 0.9, 1.95, 5.0 };
	int m[4];

	(void)state;
	assert_int_equal(eval_match(st, 4, sc, 4, 0.2, m), 3);
	assert_int_equal(m[0], 0);
	assert_int_equal(m[1], 1);
	assert_int_equal(m[2], 2);
	assert_int_equal(m[3], -1); /* nearest unused (5.0) is 2.0 away, beyond the caliper */
	/* greedy, highest score first: with a wide caliper 3.0 takes 1.95, then 2.0 takes 0.9, 1.0 takes 0.05 */
	assert_int_equal(eval_match(st, 4, sc, 4, 10, m), 4);
	assert_int_equal(m[3], 2);
	assert_int_equal(m[2], 1);
	assert_int_equal(m[1], 0);
	assert_int_equal(m[0], 3);
}

static void test_coop__evaluation__match_without_replacement(void **state)
{
	double st[] = { 1.0, 1.02 }, sc[] = { 1.01 };
	int m[2];

	(void)state;
	assert_int_equal(eval_match(st, 2, sc, 1, 0.1, m), 1);
	assert_int_equal(m[1], 0);  /* the higher score is matched first */
	assert_int_equal(m[0], -1); /* the control is used */
	assert_int_equal(eval_match(st, 2, sc, 0, 0.1, m), 0);
	assert_int_equal(m[0], -1);
}

static void test_coop__evaluation__smd(void **state)
{
	(void)state;
	NEAR(eval_smd(0.6, 0.24, 0.4, 0.24), 0.2 / sqrt(0.24), 1e-12);
	NEAR(eval_smd(3.0, 1.0, 2.0, 3.0), 1.0 / sqrt(2.0), 1e-12);
	NEAR(eval_smd(1, 0, 1, 0), 0, 1e-12);
	NEAR(eval_smd(1, 0, 0, 0), 0, 1e-12); /* no spread: 0, not a division by zero */
}

/*
 * Ten pairs, by hand: b = 4 (treated yes, control no), c = 1; diff = 3/10;
 * se = sqrt(4 + 1 - 3² / 10) / 10 = sqrt(4.1) / 10 = 0.2024846;
 * 95 %: 0.3 ± 1.96 · 0.2024846 = [-0.0968698, 0.6968698].
 */
static void test_coop__evaluation__paired_ci(void **state)
{
	int yt[] = { 1, 1, 1, 1, 1, 0, 0, 0, 1, 0 }, yc[] = { 0, 0, 1, 0, 1, 0, 1, 0, 0, 0 };
	struct eval_diff d;

	(void)state;
	eval_paired_diff(yt, yc, 10, &d);
	assert_int_equal(d.pairs, 10);
	assert_int_equal(d.t_yes, 6);
	assert_int_equal(d.c_yes, 3);
	assert_int_equal(d.b, 4);
	assert_int_equal(d.c, 1);
	NEAR(d.rate_t, 0.6, 1e-12);
	NEAR(d.rate_c, 0.3, 1e-12);
	NEAR(d.diff, 0.3, 1e-12);
	NEAR(d.lo, -0.0968698, 1e-6);
	NEAR(d.hi, 0.6968698, 1e-6);
	eval_paired_diff(yt, yc, 0, &d);
	assert_int_equal(d.pairs, 0);
	NEAR(d.diff, 0, 1e-12);
	/* all concordant: no spread, the interval is the point */
	eval_paired_diff(yt, yt, 10, &d);
	NEAR(d.lo, 0, 1e-12);
	NEAR(d.hi, 0, 1e-12);
}

static void test_coop__evaluation__suppression(void **state)
{
	struct eval_diff d = { .pairs = 20, .t_yes = 10, .c_yes = 0 };

	(void)state;
	assert_int_equal(eval_suppressed(&d, 5), 0); /* zero is not a small count */
	d.c_yes = 3;
	assert_int_equal(eval_suppressed(&d, 5), 1); /* 3 families of the comparison */
	d.c_yes = 17;
	assert_int_equal(eval_suppressed(&d, 5), 1); /* 3 without the outcome */
	d.c_yes = 10;
	d.pairs = 4;
	d.t_yes = 2;
	d.c_yes = 2;
	assert_int_equal(eval_suppressed(&d, 5), 1); /* fewer pairs than the threshold */
	assert_int_equal(eval_suppressed(&d, 0), 0); /* no threshold: nothing hidden */
}

static void test_coop__evaluation__follow_up_day(void **state)
{
	char out[11];

	(void)state;
	assert_string_equal(outcome_follow_up_on("2026-03-15", out), "2026-09-15");
	assert_string_equal(outcome_follow_up_on("2026-08-31", out), "2027-02-28");
	assert_string_equal(outcome_follow_up_on("2027-08-31", out), "2028-02-29");
	assert_string_equal(outcome_follow_up_on("2026-07-01", out), "2027-01-01");
	assert_string_equal(outcome_follow_up_on("2026-02-30", out), "");
	assert_string_equal(outcome_follow_up_on(NULL, out), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coop__evaluation__logit_two_by_two),
		cmocka_unit_test(test_coop__evaluation__logit_known_coefficients),
		cmocka_unit_test(test_coop__evaluation__logit_separation),
		cmocka_unit_test(test_coop__evaluation__match_caliper),
		cmocka_unit_test(test_coop__evaluation__match_without_replacement),
		cmocka_unit_test(test_coop__evaluation__smd),
		cmocka_unit_test(test_coop__evaluation__paired_ci),
		cmocka_unit_test(test_coop__evaluation__suppression),
		cmocka_unit_test(test_coop__evaluation__follow_up_day),
	};

	return cmocka_run_group_tests_name("coop/evaluation", tests, NULL, NULL);
}
