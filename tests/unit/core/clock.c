/*
 * tests/unit/core/clock.c — time storage and display: clock_iso (epoch,
 * known instants, leap day, past 2038, year 9999, before 1970),
 * clock_parse_iso (round trips, every malformed shape refused: separators,
 * lower-case t/z, offsets, fractions, out-of-range fields, impossible and
 * leap dates), calendar dates, and local display in Europe/Warsaw for
 * Polish and English: winter and summer time, both DST transitions of 2026
 * (the skipped hour in March, the repeated hour in October), midnight and
 * New Year rolling over, unparseable input copied, and a different TZ.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"

/* ---- helpers ---- */

static void use_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static int setup(void **state)
{
	(void)state;
	use_tz("Europe/Warsaw");
	return 0;
}

static void expect_iso(int64_t t, const char *want)
{
	char out[CLOCK_ISO_LEN];

	memset(out, 'X', sizeof(out));
	clock_iso(t, out);
	assert_string_equal(out, want);
}

static void expect_parse(const char *s, int64_t want)
{
	int64_t t = -12345;

	if (clock_parse_iso(s, &t) != 0)
		fail_msg("\"%s\" refused", s);
	assert_int_equal(t, want);
}

static void expect_show(const char *iso, enum lang lang, const char *want)
{
	char out[32];

	memset(out, 'X', sizeof(out));
	clock_show(iso, lang, out);
	assert_string_equal(out, want);
}

static void expect_show_date(const char *date, enum lang lang, const char *want)
{
	char out[16];

	memset(out, 'X', sizeof(out));
	clock_show_date(date, lang, out);
	assert_string_equal(out, want);
}

/* ---- storage format ---- */

static void test_core__clock__iso(void **state)
{
	(void)state;
	expect_iso(0, "1970-01-01T00:00:00Z");
	expect_iso(1795424700, "2026-11-23T09:05:00Z");
	expect_iso(1709251199, "2024-02-29T23:59:59Z");
	expect_iso(946684800, "2000-01-01T00:00:00Z");
	expect_iso(946684799, "1999-12-31T23:59:59Z");
	expect_iso(2147483648LL, "2038-01-19T03:14:08Z");
	expect_iso(253402300799LL, "9999-12-31T23:59:59Z");
	expect_iso(-1, "1969-12-31T23:59:59Z");
	expect_iso(-5364662400LL, "1800-01-01T00:00:00Z");
	assert_int_equal(strlen("2026-11-23T09:05:00Z") + 1, CLOCK_ISO_LEN);
}

static void test_core__clock__iso_is_utc(void **state)
{
	(void)state;
	/* the local zone does not matter for storage */
	use_tz("America/New_York");
	expect_iso(1795424700, "2026-11-23T09:05:00Z");
	use_tz("Europe/Warsaw");
	expect_iso(1795424700, "2026-11-23T09:05:00Z");
}

static void test_core__clock__now(void **state)
{
	int64_t before = (int64_t)time(NULL), now = clock_now(), after = (int64_t)time(NULL);
	char iso[CLOCK_ISO_LEN];
	int64_t back;

	(void)state;
	assert_true(before <= now && now <= after);
	clock_iso(now, iso);
	assert_int_equal(clock_parse_iso(iso, &back), 0);
	assert_int_equal(back, now);
}

static void test_core__clock__parse(void **state)
{
	(void)state;
	expect_parse("1970-01-01T00:00:00Z", 0);
	expect_parse("2026-11-23T09:05:00Z", 1795424700);
	expect_parse("2024-02-29T23:59:59Z", 1709251199);
	expect_parse("2000-02-29T00:00:00Z", 951782400);
	expect_parse("2038-01-19T03:14:08Z", 2147483648LL);
	expect_parse("9999-12-31T23:59:59Z", 253402300799LL);
	expect_parse("1800-01-01T00:00:00Z", -5364662400LL);
	expect_parse("1969-12-31T23:59:59Z", -1);
	/* a leap second is accepted and lands on the next minute */
	expect_parse("2016-12-31T23:59:60Z", 1483228800);
}

static void test_core__clock__parse_roundtrip(void **state)
{
	int64_t t;

	(void)state;
	for (t = -86400LL * 365; t < 86400LL * 365 * 100; t += 86400LL * 7 + 3607) {
		char iso[CLOCK_ISO_LEN];
		int64_t back = 0;

		clock_iso(t, iso);
		assert_int_equal(clock_parse_iso(iso, &back), 0);
		assert_int_equal(back, t);
	}
}

static void test_core__clock__parse_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"2026-11-23",
		"2026-11-23T09:05:00",
		"2026-11-23T09:05Z",
		"2026-11-23 09:05:00Z",
		"2026-11-23t09:05:00Z",
		"2026-11-23T09:05:00z",
		"2026-11-23T09:05:00+01:00",
		"2026-11-23T09:05:00.000Z",
		"2026-11-23T09:05:00Z ",
		" 2026-11-23T09:05:00Z",
		"2026/11/23T09:05:00Z",
		"2026-11-23T09.05.00Z",
		"26-11-23T09:05:00Z",
		"2026-1-23T09:05:00ZZ",
		"2026-13-01T00:00:00Z",
		"2026-00-01T00:00:00Z",
		"2026-11-00T00:00:00Z",
		"2026-11-31T00:00:00Z",
		"2026-02-29T00:00:00Z",
		"1900-02-29T00:00:00Z",
		"2026-04-31T00:00:00Z",
		"2026-11-23T24:00:00Z",
		"2026-11-23T23:60:00Z",
		"2026-11-23T23:59:61Z",
		"1799-12-31T23:59:59Z",
		"0000-01-01T00:00:00Z",
		"+026-11-23T09:05:00Z",
		"2026-+1-23T09:05:00Z",
		"2026-11-2xT09:05:00Z",
		"2026-11-23T0x:05:00Z",
		"2026-11-23T-1:05:00Z",
		"2026-11-23T09:05:-1Z",
		"２026-11-23T09:05:00Z",
	};
	size_t i;
	int64_t t = 777;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (clock_parse_iso(bad[i], &t) != -1)
			fail_msg("\"%s\" accepted", bad[i]);
	assert_int_equal(clock_parse_iso(NULL, &t), -1);
	assert_int_equal(t, 777);
}

/* ---- dates ---- */

static void test_core__clock__valid_date(void **state)
{
	(void)state;
	assert_true(clock_valid_date("2026-11-23"));
	assert_true(clock_valid_date("2024-02-29"));
	assert_true(clock_valid_date("2000-02-29"));
	assert_true(clock_valid_date("2026-12-31"));
	assert_true(clock_valid_date("2026-01-31"));
	assert_true(clock_valid_date("2026-04-30"));
	assert_true(clock_valid_date("1800-01-01"));
	assert_false(clock_valid_date("1799-12-31"));
	assert_false(clock_valid_date("2026-02-29"));
	assert_false(clock_valid_date("2100-02-29"));
	assert_false(clock_valid_date("1900-02-29"));
	assert_false(clock_valid_date("2026-04-31"));
	assert_false(clock_valid_date("2026-06-31"));
	assert_false(clock_valid_date("2026-09-31"));
	assert_false(clock_valid_date("2026-11-31"));
	assert_false(clock_valid_date("2026-13-01"));
	assert_false(clock_valid_date("2026-00-10"));
	assert_false(clock_valid_date("2026-01-00"));
	assert_false(clock_valid_date("2026-1-01"));
	assert_false(clock_valid_date("2026-01-1"));
	assert_false(clock_valid_date("2026/01/01"));
	assert_false(clock_valid_date("23.11.2026"));
	assert_false(clock_valid_date("2026-11-23T09:05:00Z"));
	assert_false(clock_valid_date("2026-11-23 "));
	assert_false(clock_valid_date(" 2026-11-23"));
	assert_false(clock_valid_date(""));
	assert_false(clock_valid_date(NULL));
}

static void test_core__clock__today(void **state)
{
	time_t now = time(NULL);
	struct tm tm;
	int want, got;

	(void)state;
	localtime_r(&now, &tm);
	want = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
	got = clock_today_ymd();
	/* allow for midnight passing between the two calls */
	assert_true(got == want || got == want + 1 || got / 100 != want / 100);
	assert_true(got >= 20240101 && got < 99991232);
	assert_true(got % 100 >= 1 && got % 100 <= 31);
	assert_true(got / 100 % 100 >= 1 && got / 100 % 100 <= 12);
}

/* ---- display ---- */

static void test_core__clock__show_winter_summer(void **state)
{
	(void)state;
	/* CET is UTC+1 */
	expect_show("2026-11-23T09:05:00Z", LANG_PL, "23.11.2026 10:05");
	expect_show("2026-11-23T09:05:00Z", LANG_EN, "2026-11-23 10:05");
	expect_show("2026-01-05T07:00:59Z", LANG_PL, "05.01.2026 08:00");
	/* CEST is UTC+2 */
	expect_show("2026-07-01T12:00:00Z", LANG_PL, "01.07.2026 14:00");
	expect_show("2026-07-01T12:00:00Z", LANG_EN, "2026-07-01 14:00");
}

static void test_core__clock__show_rollover(void **state)
{
	(void)state;
	expect_show("2025-12-31T23:30:00Z", LANG_PL, "01.01.2026 00:30");
	expect_show("2025-12-31T23:30:00Z", LANG_EN, "2026-01-01 00:30");
	expect_show("2025-12-31T22:59:59Z", LANG_PL, "31.12.2025 23:59");
	expect_show("2024-02-28T23:00:00Z", LANG_PL, "29.02.2024 00:00");
	expect_show("2026-06-30T22:15:00Z", LANG_PL, "01.07.2026 00:15");
}

static void test_core__clock__show_dst_spring(void **state)
{
	(void)state;
	/* 29 March 2026: 02:00 CET becomes 03:00 CEST at 01:00 UTC */
	expect_show("2026-03-29T00:59:00Z", LANG_PL, "29.03.2026 01:59");
	expect_show("2026-03-29T01:00:00Z", LANG_PL, "29.03.2026 03:00");
	expect_show("2026-03-29T01:30:00Z", LANG_PL, "29.03.2026 03:30");
	expect_show("2026-03-28T12:00:00Z", LANG_PL, "28.03.2026 13:00");
	expect_show("2026-03-30T12:00:00Z", LANG_PL, "30.03.2026 14:00");
}

static void test_core__clock__show_dst_autumn(void **state)
{
	(void)state;
	/* 25 October 2026: 03:00 CEST becomes 02:00 CET at 01:00 UTC, so 02:xx happens twice */
	expect_show("2026-10-25T00:30:00Z", LANG_PL, "25.10.2026 02:30");
	expect_show("2026-10-25T00:59:00Z", LANG_PL, "25.10.2026 02:59");
	expect_show("2026-10-25T01:00:00Z", LANG_PL, "25.10.2026 02:00");
	expect_show("2026-10-25T01:30:00Z", LANG_PL, "25.10.2026 02:30");
	expect_show("2026-10-25T02:00:00Z", LANG_PL, "25.10.2026 03:00");
	expect_show("2026-10-24T12:00:00Z", LANG_EN, "2026-10-24 14:00");
	expect_show("2026-10-26T12:00:00Z", LANG_EN, "2026-10-26 13:00");
}

static void test_core__clock__show_other_zone(void **state)
{
	(void)state;
	use_tz("UTC");
	expect_show("2026-11-23T09:05:00Z", LANG_PL, "23.11.2026 09:05");
	use_tz("Asia/Tokyo");
	expect_show("2026-11-23T20:05:00Z", LANG_EN, "2026-11-24 05:05");
	use_tz("Europe/Warsaw");
	expect_show("2026-11-23T09:05:00Z", LANG_PL, "23.11.2026 10:05");
}

static void test_core__clock__show_unparseable(void **state)
{
	(void)state;
	expect_show("", LANG_PL, "");
	expect_show(NULL, LANG_PL, "");
	expect_show("wczoraj", LANG_PL, "wczoraj");
	expect_show("2026-11-23", LANG_EN, "2026-11-23");
	expect_show("2026-02-30T10:00:00Z", LANG_PL, "2026-02-30T10:00:00Z");
	expect_show("<b>&</b>", LANG_PL, "<b>&</b>"); /* copied as it is; escaping is the page's job */
	/* too long for the output: cut to 31 bytes */
	expect_show("0123456789012345678901234567890123456789", LANG_PL,
		    "0123456789012345678901234567890");
}

static void test_core__clock__show_date(void **state)
{
	(void)state;
	expect_show_date("2026-11-23", LANG_PL, "23.11.2026");
	expect_show_date("2026-11-23", LANG_EN, "2026-11-23");
	expect_show_date("2024-02-29", LANG_PL, "29.02.2024");
	expect_show_date("1800-01-01", LANG_PL, "01.01.1800");
	expect_show_date("2026-02-30", LANG_PL, "2026-02-30");
	expect_show_date("2026-13-01", LANG_PL, "2026-13-01");
	expect_show_date("jutro", LANG_PL, "jutro");
	expect_show_date("", LANG_PL, "");
	expect_show_date(NULL, LANG_PL, "");
	expect_show_date(NULL, LANG_EN, "");
	expect_show_date("0123456789abcdefghij", LANG_EN, "0123456789abcde");
}

static void test_core__clock__ms(void **state)
{
	int64_t a = clock_ms(), b;
	struct timespec pause = { 0, 20 * 1000 * 1000 };

	(void)state;
	nanosleep(&pause, NULL);
	b = clock_ms();
	assert_true(b - a >= 20); /* monotonic, in milliseconds */
	assert_true(b - a < 60 * 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core__clock__ms),
		cmocka_unit_test(test_core__clock__iso),
		cmocka_unit_test(test_core__clock__iso_is_utc),
		cmocka_unit_test(test_core__clock__now),
		cmocka_unit_test(test_core__clock__parse),
		cmocka_unit_test(test_core__clock__parse_roundtrip),
		cmocka_unit_test(test_core__clock__parse_bad),
		cmocka_unit_test(test_core__clock__valid_date),
		cmocka_unit_test(test_core__clock__today),
		cmocka_unit_test(test_core__clock__show_winter_summer),
		cmocka_unit_test(test_core__clock__show_rollover),
		cmocka_unit_test(test_core__clock__show_dst_spring),
		cmocka_unit_test(test_core__clock__show_dst_autumn),
		cmocka_unit_test(test_core__clock__show_other_zone),
		cmocka_unit_test(test_core__clock__show_unparseable),
		cmocka_unit_test(test_core__clock__show_date),
	};

	return cmocka_run_group_tests_name("core/clock", tests, setup, NULL);
}
