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
 * REPEAT times; prints the best and the mean per check in microseconds.
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
	double best = 1e18, total = 0;
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
		for (i = 0; i < count; i++) {
			/* odd ids are institution 1's records (bench/overlap.sh) */
			struct episode e = { .institution_id = 1, .person_id = 1 + 2 * ((max / 2 - 1) * i / count),
					     .kind = "training", .start_date = "2023-01-01", .planned_end = "2023-12-31",
					     .status = "planned" };
			struct episode_overlap *ov;
			double t0 = now_us(), dt;
			int n = episode_overlaps(db, a, &who, &e, &ov);

			dt = now_us() - t0;
			if (n < 0)
				return fprintf(stderr, "check failed: %s\n", db_errmsg(db)), 1;
			found += n;
			total += dt;
			if (dt < best)
				best = dt;
			arena_free(a);
			a = arena_new(64u << 20);
		}
	}
	printf("overlap check: %d checks over %lld persons, best %.1f µs, mean %.1f µs, %d overlaps found\n",
	       count * repeat, (long long)max, best, total / (count * repeat), found);
	arena_free(a);
	db_close(db);
	return 0;
}
