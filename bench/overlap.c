/*
 * bench/overlap.c — bench/overlap.sh's driver: times episode_overlaps(),
 * the check a save runs (same human by PESEL, the partner's episodes of
 * the kind by episode_person, the agreement, the sharing rule's facts),
 * on a filled database.
 *
 *   build/bench/overlap DB COUNT REPEAT
 *
 * Picks COUNT persons of institution 1 spread over the register and, for
 * each, checks a training over 2023 as a social worker of institution 1,
 * REPEAT times; prints per run the mean check and the mean of a baseline
 * (one indexed read of the same record) with their ratio, then the best,
 * the mean and the median of the runs, in microseconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "auth/role.h"
#include "coop/episode.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/str.h"

static const struct db_sql SQL_MAX = DB_SQL("SELECT MAX(id) FROM person");
static const struct db_sql SQL_OWNER = DB_SQL("SELECT institution_id FROM person WHERE id = ?");

static int cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	struct db *db;
	struct arena *a;
	char err[256];
	int64_t max = 0;
	int count, repeat, i, k, found = 0;
	double best = 1e18, total = 0, means[1000], ratios[1000];
	struct policy_actor who = { 1, ROLE_BIT(ROLE_SOCIAL_WORKER), 1, 0 };

	if (argc != 4)
		return fprintf(stderr, "usage: %s DB COUNT REPEAT\n", argv[0]), 2;
	{
		int64_t c = 0, r = 0;

		if (str_to_int64(argv[2], 1, 1000000, &c) != 0 || str_to_int64(argv[3], 1, 1000, &r) != 0)
			return fprintf(stderr, "COUNT and REPEAT: whole numbers\n"), 2;
		count = (int)c;
		repeat = (int)r;
	}
	log_set_level(LOG_WARN);
	i18n_init();
	if (db_open(argv[1], &db, err, sizeof(err)) != 0)
		return fprintf(stderr, "%s\n", err), 1;
	a = arena_new(64u << 20);
	db_get_int(db, &max, &SQL_MAX, NULL);
	for (k = 0; k < repeat; k++) {
		double run = 0, base = 0;

		for (i = 0; i < count; i++) {
			/* odd ids are institution 1's records (bench/overlap.sh) */
			struct episode e = { .institution_id = 1, .person_id = 1 + 2 * ((max / 2 - 1) * i / count),
					     .kind = "training", .start_date = "2023-01-01", .planned_end = "2023-12-31",
					     .status = "planned" };
			struct episode_overlap *ov;
			int64_t inst = 0;
			double t0 = now_us(), dt;
			int n = episode_overlaps(db, a, &who, &e, &ov);

			dt = now_us() - t0;
			if (n < 0)
				return fprintf(stderr, "check failed: %s\n", db_errmsg(db)), 1;
			found += n;
			total += dt;
			run += dt;
			if (dt < best)
				best = dt;
			/* the baseline: one indexed read of the same record */
			t0 = now_us();
			if (db_get_int(db, &inst, &SQL_OWNER, "i", e.person_id) != DB_ROW)
				return fprintf(stderr, "baseline read failed: %s\n", db_errmsg(db)), 1;
			base += now_us() - t0;
			arena_free(a);
			a = arena_new(64u << 20);
		}
		means[k] = run / count;
		ratios[k] = run / base;
		printf("run %d: check mean %.1f µs, baseline (one indexed read) mean %.2f µs, ratio %.1f×\n", k + 1,
		       run / count, base / count, run / base);
	}
	qsort(means, (size_t)repeat, sizeof(double), cmp);
	qsort(ratios, (size_t)repeat, sizeof(double), cmp);
	printf("overlap check: %d checks over %lld persons, best %.1f µs, mean %.1f µs, median of the runs' means "
	       "%.1f µs (%.1f× the baseline), %d overlaps found\n",
	       count * repeat, (long long)max, best, total / (count * repeat), means[repeat / 2],
	       ratios[repeat / 2], found);
	arena_free(a);
	db_close(db);
	return 0;
}
