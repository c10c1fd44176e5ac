/*
 * tests/unit/registry/unemployment.c — long-term unemployment computed
 * from labour-market status periods: worked examples as of 2026-12-01
 * (the window is 2024-12-02..2026-12-01), exactly 12 months (365 days:
 * not long-term) against one day more, periods crossing the window's
 * start, gaps between registrations, other statuses not counted,
 * overlaps counted once, 29 February, periods outside the window, and
 * dates that are not real.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "registry/situation.h"

#define U(from, to) { .status = "registered_unemployed", .from_date = (from), .to_date = (to) }
#define S(st, from, to) { .status = (st), .from_date = (from), .to_date = (to) }
#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define AS_OF "2026-12-01"

static void test_none(void **state)
{
	(void)state;
	assert_int_equal(labour_ltu_days(NULL, 0, AS_OF), 0);
	assert_int_equal(labour_long_term(NULL, 0, AS_OF), 0);
}

static void test_exactly_twelve_months(void **state)
{
	struct labour_status twelve[] = { U("2025-12-02", NULL) };   /* 365 days: exactly 12 months */
	struct labour_status more[] = { U("2025-12-01", NULL) };     /* 366 days: more than 12 months */
	struct labour_status closed[] = { U("2025-01-01", "2025-12-31") }; /* a calendar year: 365 */

	(void)state;
	assert_int_equal(labour_ltu_days(twelve, 1, AS_OF), 365);
	assert_int_equal(labour_long_term(twelve, 1, AS_OF), 0);
	assert_int_equal(labour_ltu_days(more, 1, AS_OF), 366);
	assert_int_equal(labour_long_term(more, 1, AS_OF), 1);
	assert_int_equal(labour_ltu_days(closed, 1, AS_OF), 365);
	assert_int_equal(labour_long_term(closed, 1, AS_OF), 0);
}

static void test_crossing_the_window(void **state)
{
	/* registered since 2023: only 2024-12-02..2025-06-30 lies in the window */
	struct labour_status p[] = { U("2023-01-01", "2025-06-30") };
	/* registered for years and still: the whole window, 730 days */
	struct labour_status all[] = { U("2019-03-01", NULL) };
	/* ended the day before the window */
	struct labour_status before[] = { U("2022-01-01", "2024-12-01") };
	/* starts after the date asked about */
	struct labour_status after[] = { U("2026-12-02", NULL) };

	(void)state;
	assert_int_equal(labour_ltu_days(p, 1, AS_OF), 211);
	assert_int_equal(labour_long_term(p, 1, AS_OF), 0);
	assert_int_equal(labour_ltu_days(all, 1, AS_OF), 730);
	assert_int_equal(labour_long_term(all, 1, AS_OF), 1);
	assert_int_equal(labour_ltu_days(before, 1, AS_OF), 0);
	assert_int_equal(labour_ltu_days(after, 1, AS_OF), 0);
	/* the same registration seen a year earlier: 2023-12-02..2025-06-30 in the window */
	assert_int_equal(labour_ltu_days(p, 1, "2025-12-01"), 577);
	assert_int_equal(labour_long_term(p, 1, "2025-12-01"), 1);
}

static void test_gaps(void **state)
{
	/* 211 + 181 days with a job between: in total more than 12 months */
	struct labour_status p[] = {
		U("2024-12-02", "2025-06-30"),
		S("employed", "2025-07-01", "2025-08-31"),
		U("2025-09-01", "2026-02-28"),
		S("inactive", "2026-03-01", NULL),
	};
	/* the same with the second registration shorter: 211 + 150 = 361, not long-term */
	struct labour_status q[] = {
		U("2024-12-02", "2025-06-30"),
		U("2025-09-01", "2026-01-28"),
	};

	(void)state;
	assert_int_equal(labour_ltu_days(p, N(p), AS_OF), 392);
	assert_int_equal(labour_long_term(p, N(p), AS_OF), 1);
	assert_int_equal(labour_ltu_days(q, N(q), AS_OF), 361);
	assert_int_equal(labour_long_term(q, N(q), AS_OF), 0);
}

static void test_other_statuses_and_overlaps(void **state)
{
	struct labour_status others[] = { S("job_seeker", "2020-01-01", NULL),
					  S("employed", "2024-01-01", NULL) };
	struct labour_status twice[] = { U("2025-01-01", "2025-12-31"), U("2025-06-01", "2026-01-31") };

	(void)state;
	assert_int_equal(labour_ltu_days(others, N(others), AS_OF), 0);
	/* 2025-01-01..2026-01-31 once: 396 days, not 365 + 245 */
	assert_int_equal(labour_ltu_days(twice, N(twice), AS_OF), 396);
}

static void test_leap_day(void **state)
{
	struct labour_status all[] = { U("2020-01-01", NULL) };

	(void)state;
	/* 29 Feb 2028: the window starts on 1 March 2026 (28 Feb 2026 + 1), 731 days with 29 Feb 2028 */
	assert_int_equal(labour_ltu_days(all, 1, "2028-02-29"), 731);
	assert_int_equal(labour_ltu_days(all, 1, "2028-03-01"), 731);
	assert_int_equal(labour_ltu_days(all, 1, "2027-03-01"), 730);
}

static void test_bad_dates(void **state)
{
	struct labour_status bad[] = { U("2025-02-30", NULL) };
	struct labour_status reversed[] = { U("2025-05-01", "2025-04-30") };
	struct labour_status ok[] = { U("2025-01-01", NULL) };

	(void)state;
	assert_int_equal(labour_ltu_days(ok, 1, "2026-13-01"), -1);
	assert_int_equal(labour_ltu_days(ok, 1, NULL), -1);
	assert_int_equal(labour_ltu_days(bad, 1, AS_OF), -1);
	assert_int_equal(labour_ltu_days(reversed, 1, AS_OF), -1);
	assert_int_equal(labour_long_term(reversed, 1, AS_OF), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_exactly_twelve_months),
		cmocka_unit_test(test_crossing_the_window),
		cmocka_unit_test(test_gaps),
		cmocka_unit_test(test_other_statuses_and_overlaps),
		cmocka_unit_test(test_leap_day),
		cmocka_unit_test(test_bad_dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
