/*
 * tests/fuzz/clock.c — libFuzzer target for the date and time parsers of
 * src/core/clock.c (stored values and list filters come back through
 * them). The input, NUL-terminated, goes to clock_parse_iso(),
 * clock_valid_date(), clock_show() and clock_show_date() in both
 * languages; the first bytes also make a timestamp for clock_iso().
 * Aborts when:
 *   - clock_parse_iso() accepts something not 20 characters long, or an
 *     accepted time (seconds below 60) does not print back identically
 *     through clock_iso(), or a printed time does not parse back to itself
 *     (years 1800-9999);
 *   - clock_valid_date() accepts something other than a real YYYY-MM-DD
 *     date (checked against a reference calendar);
 *   - clock_show()/clock_show_date() leave their output unterminated, or
 *     for input they cannot read write anything but a prefix of it, or
 *     write a Polish date (from exactly YYYY-MM-DD) that is not DD.MM.YYYY.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/i18n.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", "Europe/Warsaw", 1);
	tzset();
	return 0;
}

static int num(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + s[i] - '0';
	}
	return v;
}

/* ref_date() is true for a real date YYYY-MM-DD (years 1800-9999) in s[0..10). */
static int ref_date(const char *s)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2), leap;

	if (s[4] != '-' || s[7] != '-' || y < 1800 || m < 1 || m > 12 || d < 1)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= dm[m - 1] + (m == 2 && leap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), iso[CLOCK_ISO_LEN], out[32], day[16];
	size_t n;
	int64_t t = 0, t2 = 0;
	uint64_t raw = 0;
	int rc, lang;

	if (s == NULL)
		return 0;
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	n = strlen(s);

	rc = clock_parse_iso(s, &t);
	if (rc != 0 && rc != -1)
		abort();
	if (rc == 0) {
		if (n != 20 || !ref_date(s) || s[10] != 'T' || s[19] != 'Z')
			abort();
		if (num(s + 17, 2) < 60) {
			clock_iso(t, iso);
			if (strcmp(iso, s) != 0)
				abort();
		}
	}

	if (clock_valid_date(s) != (n == 10 && ref_date(s)))
		abort();

	for (lang = LANG_PL; lang <= LANG_EN; lang++) {
		memset(out, 'X', sizeof(out));
		clock_show(s, (enum lang)lang, out);
		if (memchr(out, '\0', sizeof(out)) == NULL)
			abort();
		if (rc != 0 && strncmp(out, s, strlen(out)) != 0)
			abort();
		memset(day, 'X', sizeof(day));
		clock_show_date(s, (enum lang)lang, day);
		if (memchr(day, '\0', sizeof(day)) == NULL)
			abort();
		if (lang == LANG_PL && n == 10 && ref_date(s)) {
			if (strlen(day) != 10 || day[2] != '.' || day[5] != '.' ||
			    memcmp(day + 6, s, 4) != 0 || memcmp(day + 3, s + 5, 2) != 0 ||
			    memcmp(day, s + 8, 2) != 0)
				abort();
		} else if (strncmp(day, s, strlen(day)) != 0) {
			abort();
		}
	}

	/* a timestamp from 1800 to 9999 prints and parses back */
	for (n = 0; n < 8 && n < size; n++)
		raw = raw << 8 | data[n];
	t = -5364662400LL + (int64_t)(raw % (253402300800ULL + 5364662400ULL));
	clock_iso(t, iso);
	if (strlen(iso) != 20 || clock_parse_iso(iso, &t2) != 0 || t2 != t)
		abort();
	free(s);
	return 0;
}
