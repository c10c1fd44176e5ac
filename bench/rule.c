/*
 * bench/rule.c — the sharing rule's decision given its facts (issue 8:
 * under 5 µs): policy_decide() for a labour-office adviser reading a
 * MOPS person with struct policy_coop filled (agreement, consent, the
 * agreement's data categories), against the same call for a person of the
 * reader's own institution (the baseline: the policy without the sharing
 * rule), and a denial (no consent, the reason written).
 *
 *   build/bench/rule [N]   N decisions per run (default 1000000), three runs
 *
 * Prints per run the ns per decision of each case and the ratio to the
 * baseline; then the medians.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/role.h"
#include "core/i18n.h"
#include "core/str.h"
#include "policy/policy.h"

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static volatile unsigned sink; /* keeps the decisions from being optimised away */

/* per_call() is the mean ns of n decisions of s by who. */
static double per_call(const struct policy_actor *who, const struct policy_subject *s, long n)
{
	struct policy_decision d;
	double t0 = now_ns();
	long i;

	for (i = 0; i < n; i++) {
		policy_decide(who, s, PURPOSE_CASEWORK, &d);
		sink += d.mask + (unsigned)d.allowed;
	}
	return (now_ns() - t0) / (double)n;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct policy_actor who = { 7, ROLE_BIT(ROLE_LABOUR_ADVISER), 2, 0 };
	struct policy_coop c, denied;
	struct policy_subject partner = { POLICY_PERSON, 40, 1, 0, &c };
	struct policy_subject refused = { POLICY_PERSON, 40, 1, 0, &denied };
	struct policy_subject own = { POLICY_PERSON, 41, 2, 0, NULL };
	double base[3], rule[3], deny[3];
	int64_t n = 1000000;
	int k;

	if (argc > 1 && str_to_int64(argv[1], 1000, 100000000, &n) != 0)
		return fprintf(stderr, "usage: %s [N]\n", argv[0]), 2;
	i18n_init();
	i18n_set_lang(LANG_PL);
	memset(&c, 0, sizeof(c));
	c.purpose = "labour_market_activation";
	c.purpose_label = "aktywizacja zawodowa";
	c.owner_name = "MOPS w Przykładowie";
	c.reader_name = "PUP w Przykładowie";
	c.agreement = 1;
	c.consent = 1;
	c.labour_market = 1;
	c.data = DATA_BIT(DATA_IDENTITY) | DATA_BIT(DATA_CONTACT) | DATA_BIT(DATA_LABOUR_STATUS) |
		 DATA_BIT(DATA_SUPPORT);
	denied = c;
	denied.consent = 0;
	for (k = 0; k < 3; k++) {
		base[k] = per_call(&who, &own, (long)n);
		rule[k] = per_call(&who, &partner, (long)n);
		deny[k] = per_call(&who, &refused, (long)n);
		printf("run %d: own record %.1f ns, partner allowed %.1f ns (%.2fx), partner denied %.1f ns "
		       "(%.2fx)\n",
		       k + 1, base[k], rule[k], rule[k] / base[k], deny[k], deny[k] / base[k]);
	}
	qsort(base, 3, sizeof(double), cmp);
	qsort(rule, 3, sizeof(double), cmp);
	qsort(deny, 3, sizeof(double), cmp);
	printf("median: own record %.1f ns, partner allowed %.1f ns (%.2fx), partner denied %.1f ns (%.2fx)\n",
	       base[1], rule[1], rule[1] / base[1], deny[1], deny[1] / base[1]);
	return 0;
}
