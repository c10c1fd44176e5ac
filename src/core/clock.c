/*
 * clock.c — UTC storage format and local display format for times.
 */
#include "core/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t clock_now(void)
{
	return (int64_t)time(NULL);
}

int64_t clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void clock_iso(int64_t t, char out[CLOCK_ISO_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;

	char tmp[64];

	gmtime_r(&tt, &tm);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02dZ", (tm.tm_year + 1900) % 10000,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	memcpy(out, tmp, CLOCK_ISO_LEN - 1);
	out[CLOCK_ISO_LEN - 1] = '\0';
}

static int digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static int parse_date(const char *s, int *y, int *m, int *d)
{
	if (strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (digits(s, 4, y) || digits(s + 5, 2, m) || digits(s + 8, 2, d))
		return -1;
	if (*y < 1800 || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
		return -1;
	return 0;
}

int clock_valid_date(const char *s)
{
	int y, m, d;

	return s != NULL && strlen(s) == 10 && parse_date(s, &y, &m, &d) == 0;
}

int clock_parse_iso(const char *s, int64_t *t)
{
	struct tm tm;
	int y, mo, d, h, mi, se;

	if (s == NULL || strlen(s) != 20 || parse_date(s, &y, &mo, &d) != 0)
		return -1;
	if (s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	if (digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &se))
		return -1;
	if (h > 23 || mi > 59 || se > 60)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*t = (int64_t)timegm(&tm);
	return 0;
}

int clock_today_ymd(void)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

void clock_show(const char *iso, enum lang lang, char out[32])
{
	int64_t t;
	time_t tt;
	struct tm tm;

	if (clock_parse_iso(iso, &t) != 0) {
		snprintf(out, 32, "%s", iso != NULL ? iso : "");
		return;
	}
	tt = (time_t)t;
	localtime_r(&tt, &tm);
	strftime(out, 32, lang == LANG_PL ? "%d.%m.%Y %H:%M" : "%Y-%m-%d %H:%M", &tm);
}

void clock_show_date(const char *date, enum lang lang, char out[16])
{
	int y, m, d;

	if (date == NULL || strlen(date) != 10 || parse_date(date, &y, &m, &d) != 0 || lang != LANG_PL) {
		snprintf(out, 16, "%s", date != NULL ? date : "");
		return;
	}
	snprintf(out, 16, "%02d.%02d.%04d", d % 100, m % 100, y % 10000);
}
