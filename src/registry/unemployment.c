/*
 * unemployment.c — long-term unemployment computed from labour-market
 * status periods (situation.h: labour_ltu_days(), labour_long_term()).
 * Pure functions: no database, no clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "registry/situation.h"

/* ------------------------------------------------------------------ */
/* Dates: long-term unemployment                                       */
/* ------------------------------------------------------------------ */

/* days_from_civil() counts days since 1970-01-01 (H. Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int num(const char *s, int n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

/* ymd() splits a real YYYY-MM-DD date; 0, or -1 when it is not one. */
static int ymd(const char *s, int *y, int *m, int *d)
{
	if (!clock_valid_date(s))
		return -1;
	*y = num(s, 4);
	*m = num(s + 5, 2);
	*d = num(s + 8, 2);
	return 0;
}

/* day_number() of a real YYYY-MM-DD date; -1 with *ok 0 when not one. */
static int64_t day_number(const char *s, int *ok)
{
	int y, m, d;

	*ok = ymd(s, &y, &m, &d) == 0;
	return *ok ? days_from_civil(y, m, d) : -1;
}

int labour_ltu_days(const struct labour_status *s, int n, const char *as_of)
{
	int64_t end, start, from, to, total = 0;
	int y, m, d, ok, i, j;
	char *seen;

	end = day_number(as_of, &ok);
	if (!ok || ymd(as_of, &y, &m, &d) != 0)
		return -1;
	if (m == 2 && d == 29 && !leap(y - 2))
		d = 28;
	start = days_from_civil(y - 2, m, d) + 1; /* the window: two years ending on as_of */
	seen = calloc((size_t)(end - start + 1), 1);
	if (seen == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i].status == NULL || strcmp(s[i].status, "registered_unemployed") != 0)
			continue;
		from = day_number(s[i].from_date, &ok);
		if (!ok)
			goto bad;
		to = s[i].to_date == NULL ? end : day_number(s[i].to_date, &ok);
		if (!ok || (s[i].to_date != NULL && to < from))
			goto bad; /* an open period starting after as_of simply counts nothing */
		if (from < start)
			from = start;
		if (to > end)
			to = end;
		for (j = (int)(from - start); from <= to; from++, j++) /* overlaps count once */
			if (!seen[j]) {
				seen[j] = 1;
				total++;
			}
	}
	free(seen);
	return (int)total;
bad:
	free(seen);
	return -1;
}

int labour_long_term(const struct labour_status *s, int n, const char *as_of)
{
	int days = labour_ltu_days(s, n, as_of);

	return days < 0 ? -1 : days >= LTU_MIN_DAYS;
}

