/*
 * tests/unit/core/ident.c — PESEL, NIP, REGON, TERC and postcode checks: the
 * verified vectors of DOMAIN.md §5, every failure code with its position,
 * expected and found values, trimming and NIP normalisation, PESEL centuries,
 * leap years and future dates, the messages (English ids, Polish when the
 * catalogue is loaded, buffer truncation), hostile input, and every TERC code
 * of the GUS reference file when ../shared/data is present.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/ident.h"

#define TERC_CSV "../shared/data/teryt/TERC_urzedowy_2020-01-01.csv"
#define NBSP "\xC2\xA0"

/* ---- helpers ---- */

/* expect_err() asserts every field of e. */
static void expect_err(const struct ident_error *e, enum ident_kind kind, enum ident_code code,
	int position, int expected, int got)
{
	assert_int_equal(e->kind, kind);
	assert_int_equal(e->code, code);
	assert_int_equal(e->position, position);
	assert_int_equal(e->expected, expected);
	assert_int_equal(e->got, got);
}

/* pesel_make() appends the correct check digit to ten PESEL digits. */
static void pesel_make(char out[12], const char *ten)
{
	static const int w[10] = { 1, 3, 7, 9, 1, 3, 7, 9, 1, 3 };
	int i, sum = 0;

	assert_int_equal(strlen(ten), 10);
	for (i = 0; i < 10; i++)
		sum += w[i] * (ten[i] - '0');
	memcpy(out, ten, 10);
	out[10] = (char)('0' + (10 - sum % 10) % 10);
	out[11] = '\0';
}

/* nip_sum() is the weighted sum mod 11 of the first nine digits of a NIP. */
static int nip_sum(const char *nip)
{
	static const int w[9] = { 6, 5, 7, 2, 3, 4, 5, 6, 7 };
	int i, sum = 0;

	for (i = 0; i < 9; i++)
		sum += w[i] * (nip[i] - '0');
	return sum % 11;
}

/* message_en() renders e in English (the message ids). */
static const char *message_en(const struct ident_error *e, char *out, size_t len)
{
	i18n_set_lang(LANG_EN);
	ident_message(e, out, len);
	i18n_set_lang(LANG_PL);
	return out;
}

/* assert_contains() fails unless needle occurs in hay. */
static void assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", hay, needle);
}

/* valid_utf8() tells whether s is well-formed UTF-8 (no overlong checks needed). */
static int valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 :
			(*p & 0xF8) == 0xF0 ? 3 : -1;
		int i;

		if (n < 0)
			return 0;
		for (i = 1; i <= n; i++)
			if ((p[i] & 0xC0) != 0x80)
				return 0;
		p += n + 1;
	}
	return 1;
}

/* polish_loaded() loads the catalogue and tells whether ident's Polish messages are in it. */
static int polish_loaded(void)
{
	const char *id = "The PESEL check digit (11th digit) should be %d but is %d.";

	if (i18n_init() != 0)
		return 0;
	i18n_set_lang(LANG_PL);
	return strcmp(i18n_gettext(id), id) != 0;
}

/* ---- PESEL ---- */

static void test_core__ident__pesel_valid_vectors(void **state)
{
	static const struct {
		const char *s;
		int year, month, day;
		char sex;
	} v[] = {
		{ "44051401458", 1944, 5, 14, 'M' },
		{ "02070803628", 1902, 7, 8, 'K' },
		{ "02270803624", 2002, 7, 8, 'K' },
		{ "85123101236", 1985, 12, 31, 'M' },
		{ "00810102349", 1800, 1, 1, 'K' },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct pesel_info info;
		struct ident_error e;

		assert_int_equal(pesel_check(v[i].s, 20261123, &info, &e), 0);
		expect_err(&e, IDENT_PESEL, IDENT_OK, 0, -1, -1);
		assert_int_equal(info.year, v[i].year);
		assert_int_equal(info.month, v[i].month);
		assert_int_equal(info.day, v[i].day);
		assert_int_equal(info.sex, v[i].sex);
		assert_int_equal(pesel_check(v[i].s, 0, NULL, NULL), 0);
	}
}

static void test_core__ident__pesel_checksum(void **state)
{
	struct ident_error e;
	char s[12] = "44051401458";
	int d;

	(void)state;
	assert_int_equal(pesel_check("44051401459", 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_CHECKSUM, 11, 8, 9);
	for (d = 0; d <= 9; d++) {
		s[10] = (char)('0' + d);
		assert_int_equal(pesel_check(s, 0, NULL, &e), d == 8 ? 0 : -1);
		if (d != 8)
			expect_err(&e, IDENT_PESEL, IDENT_CHECKSUM, 11, 8, d);
	}
	/* a changed serial digit is caught by the check digit */
	assert_int_equal(pesel_check("44051401558", 0, NULL, &e), -1);
	assert_int_equal(e.code, IDENT_CHECKSUM);
}

static void test_core__ident__pesel_empty_and_trim(void **state)
{
	struct ident_error e;
	struct pesel_info info;

	(void)state;
	assert_int_equal(pesel_check(NULL, 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_EMPTY, 0, -1, -1);
	assert_int_equal(pesel_check("", 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_EMPTY, 0, -1, -1);
	assert_int_equal(pesel_check(" \t\r\n" NBSP " ", 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_EMPTY, 0, -1, -1);
	assert_int_equal(pesel_check(NULL, 0, NULL, NULL), -1);

	assert_int_equal(pesel_check(" 44051401458 ", 0, &info, &e), 0);
	assert_int_equal(info.year, 1944);
	assert_int_equal(pesel_check("\t44051401458\r\n", 0, NULL, &e), 0);
	assert_int_equal(pesel_check(NBSP "44051401458" NBSP, 0, NULL, &e), 0);
	assert_int_equal(pesel_check("\xEF\xBB\xBF" "44051401458", 0, NULL, &e), 0);
	/* inner spaces are not trimmed */
	assert_int_equal(pesel_check("440514 01458", 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_CHAR, 7, -1, -1);
}

static void test_core__ident__pesel_length_and_chars(void **state)
{
	struct ident_error e;
	char *big;

	(void)state;
	assert_int_equal(pesel_check("4405140145", 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_LENGTH, 0, 11, 10);
	assert_int_equal(pesel_check("440514014580", 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_LENGTH, 0, 11, 12);
	assert_int_equal(pesel_check("4", 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_LENGTH, 0, 11, 1);

	assert_int_equal(pesel_check("4405140145a", 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_CHAR, 11, -1, -1);
	assert_int_equal(pesel_check("44-05-14-01458", 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_CHAR, 3, -1, -1);
	/* a letter O typed for a zero */
	assert_int_equal(pesel_check("44O51401458", 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_CHAR, 3, -1, -1);
	/* positions count characters, not bytes, and ignore trimmed spaces */
	assert_int_equal(pesel_check("  \xC3\xB3" "4405140145", 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_CHAR, 1, -1, -1);
	assert_int_equal(pesel_check("44\xC3\xB3" "0514014", 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_CHAR, 3, -1, -1);
	assert_int_equal(pesel_check("\xFF\xFE", 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_CHAR, 1, -1, -1);
	assert_int_equal(pesel_check("12\x80", 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_CHAR, 3, -1, -1);

	big = malloc(1000001);
	assert_non_null(big);
	memset(big, '7', 1000000);
	big[1000000] = '\0';
	assert_int_equal(pesel_check(big, 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_LENGTH, 0, 11, 1000000);
	big[999999] = 'x';
	assert_int_equal(pesel_check(big, 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_CHAR, 1000000, -1, -1);
	free(big);
}

static void test_core__ident__pesel_centuries(void **state)
{
	static const struct {
		const char *ten;
		int year, month;
	} v[] = {
		{ "9981010000", 1899, 1 },  { "0092310000", 1800, 12 }, { "9901010000", 1999, 1 },
		{ "0012310000", 1900, 12 }, { "0021010000", 2000, 1 },  { "9932310000", 2099, 12 },
		{ "0041010000", 2100, 1 },  { "9952310000", 2199, 12 }, { "0061010000", 2200, 1 },
		{ "9972310000", 2299, 12 },
	};
	static const int bad_months[] = { 0, 13, 19, 20, 33, 40, 53, 60, 73, 80, 93, 99 };
	struct pesel_info info;
	struct ident_error e;
	char s[12], ten[11];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		pesel_make(s, v[i].ten);
		assert_int_equal(pesel_check(s, 0, &info, &e), 0);
		assert_int_equal(info.year, v[i].year);
		assert_int_equal(info.month, v[i].month);
	}
	for (i = 0; i < sizeof(bad_months) / sizeof(bad_months[0]); i++) {
		snprintf(ten, sizeof(ten), "44%02d010000", bad_months[i]);
		pesel_make(s, ten);
		assert_int_equal(pesel_check(s, 0, &info, &e), -1);
		expect_err(&e, IDENT_PESEL, IDENT_DATE, 3, -1, bad_months[i]);
	}
}

static void test_core__ident__pesel_impossible_dates(void **state)
{
	struct ident_error e;
	char s[12];

	(void)state;
	/* 30 February 1944 (a leap year: February has 29 days) */
	pesel_make(s, "4402301234");
	assert_int_equal(pesel_check(s, 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_DATE, 5, 29, 19440230);
	/* 31 April 1985 */
	pesel_make(s, "8504310123");
	assert_int_equal(pesel_check(s, 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_DATE, 5, 30, 19850431);
	/* day 00 and day 32 */
	pesel_make(s, "4405000145");
	assert_int_equal(pesel_check(s, 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_DATE, 5, 31, 19440500);
	pesel_make(s, "0281320234");
	assert_int_equal(pesel_check(s, 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_DATE, 5, 31, 18020132);
	/* an impossible date is reported even when the check digit is wrong too */
	assert_int_equal(pesel_check("44023012340", 0, NULL, &e) == -1 && e.code == IDENT_DATE, 1);
}

static void test_core__ident__pesel_leap_days(void **state)
{
	static const struct {
		const char *ten;
		int year; /* 0 when 29 February does not exist that year */
	} v[] = {
		{ "0022290000", 2000 }, /* divisible by 400 */
		{ "0402290000", 1904 }, { "0422290000", 2004 }, { "9682290000", 1896 },
		{ "0002290000", 0 },    /* 1900: divisible by 100 */
		{ "0042290000", 0 },    /* 2100 */
		{ "0082290000", 0 },    /* 1800 */
		{ "0062290000", 0 },    /* 2200 */
		{ "0102290000", 0 },    /* 1901 */
	};
	struct pesel_info info;
	struct ident_error e;
	char s[12];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		pesel_make(s, v[i].ten);
		if (v[i].year != 0) {
			assert_int_equal(pesel_check(s, 0, &info, &e), 0);
			assert_int_equal(info.year, v[i].year);
			assert_int_equal(info.month, 2);
			assert_int_equal(info.day, 29);
		} else {
			assert_int_equal(pesel_check(s, 0, &info, &e), -1);
			assert_int_equal(e.code, IDENT_DATE);
			assert_int_equal(e.position, 5);
			assert_int_equal(e.expected, 28);
			assert_int_equal(e.got % 10000, 229);
		}
	}
	pesel_make(s, "0002290000");
	assert_int_equal(pesel_check(s, 0, NULL, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_DATE, 5, 28, 19000229);
}

static void test_core__ident__pesel_future(void **state)
{
	struct pesel_info info;
	struct ident_error e;
	char s[12];

	(void)state;
	pesel_make(s, "2631240000"); /* 2026-11-24 */
	assert_int_equal(pesel_check(s, 20261123, &info, &e), -1);
	expect_err(&e, IDENT_PESEL, IDENT_FUTURE, 1, 20261123, 20261124);
	assert_int_equal(pesel_check(s, 20261124, &info, &e), 0);
	assert_int_equal(info.year, 2026);
	assert_int_equal(pesel_check(s, 0, NULL, &e), 0);
	pesel_make(s, "0041010000"); /* 2100-01-01 */
	assert_int_equal(pesel_check(s, 20261123, NULL, &e), -1);
	assert_int_equal(e.code, IDENT_FUTURE);
	assert_int_equal(pesel_check("44051401458", 20261123, NULL, &e), 0);
	/* a wrong check digit is reported before the future date */
	s[10] = s[10] == '9' ? '0' : (char)(s[10] + 1);
	assert_int_equal(pesel_check(s, 20261123, NULL, &e), -1);
	assert_int_equal(e.code, IDENT_CHECKSUM);
}

static void test_core__ident__pesel_sex(void **state)
{
	struct pesel_info info;
	char ten[11], s[12];
	int d;

	(void)state;
	for (d = 0; d <= 9; d++) {
		snprintf(ten, sizeof(ten), "850101012%d", d);
		pesel_make(s, ten);
		assert_int_equal(pesel_check(s, 0, &info, NULL), 0);
		assert_int_equal(info.sex, d % 2 == 0 ? 'K' : 'M');
	}
}

/* ---- NIP ---- */

static void test_core__ident__nip_vectors(void **state)
{
	struct ident_error e;
	char norm[11];

	(void)state;
	assert_int_equal(nip_check("1234563218", norm, &e), 0);
	expect_err(&e, IDENT_NIP, IDENT_OK, 0, -1, -1);
	assert_string_equal(norm, "1234563218");
	assert_int_equal(nip_check("1234563218", NULL, NULL), 0);

	memcpy(norm, "xxxxxxxxxx", 11);
	assert_int_equal(nip_check("1234563219", norm, &e), -1);
	expect_err(&e, IDENT_NIP, IDENT_CHECKSUM, 10, 8, 9);
	assert_string_equal(norm, "");
}

static void test_core__ident__nip_normalise(void **state)
{
	static const char *const forms[] = {
		"PL 123-456-32-18", "pl1234563218",   "PL1234563218", "Pl 1234563218",
		"123-456-32-18",    "123-45-63-218",  "123 456 32 18", " PL 123 456 32 18\t",
		("1234563218" NBSP), "PL-123-456-3218",
	};
	struct ident_error e;
	char norm[11];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		memset(norm, 0, sizeof(norm));
		if (nip_check(forms[i], norm, &e) != 0)
			fail_msg("\"%s\" rejected with code %d", forms[i], (int)e.code);
		assert_string_equal(norm, "1234563218");
	}
}

static void test_core__ident__nip_ten(void **state)
{
	struct ident_error e;
	char nip[11] = "1234563200";
	int d;

	(void)state;
	/* the 9th digit (weight 7) that makes the weighted sum leave remainder 10 */
	for (d = 0; d <= 9 && nip_sum(nip) != 10; d++)
		nip[8] = (char)('0' + d);
	assert_int_equal(nip_sum(nip), 10);
	assert_string_equal(nip, "1234563260");
	for (d = 0; d <= 9; d++) {
		nip[9] = (char)('0' + d);
		assert_int_equal(nip_check(nip, NULL, &e), -1);
		expect_err(&e, IDENT_NIP, IDENT_NIP_TEN, 10, -1, d);
	}
}

static void test_core__ident__nip_failures(void **state)
{
	struct ident_error e;

	(void)state;
	assert_int_equal(nip_check(NULL, NULL, &e), -1);
	expect_err(&e, IDENT_NIP, IDENT_EMPTY, 0, -1, -1);
	assert_int_equal(nip_check("  ", NULL, &e), -1);
	assert_int_equal(e.code, IDENT_EMPTY);
	assert_int_equal(nip_check("PL", NULL, &e), -1);
	assert_int_equal(e.code, IDENT_EMPTY);
	assert_int_equal(nip_check("PL - -", NULL, &e), -1);
	assert_int_equal(e.code, IDENT_EMPTY);

	assert_int_equal(nip_check("0000000000", NULL, &e), -1);
	expect_err(&e, IDENT_NIP, IDENT_ALL_ZERO, 0, -1, -1);
	assert_int_equal(nip_check("PL 000-000-00-00", NULL, &e), -1);
	assert_int_equal(e.code, IDENT_ALL_ZERO);

	assert_int_equal(nip_check("123456321", NULL, &e), -1);
	expect_err(&e, IDENT_NIP, IDENT_LENGTH, 0, 10, 9);
	assert_int_equal(nip_check("PL 123-456-32-18-1", NULL, &e), -1);
	expect_err(&e, IDENT_NIP, IDENT_LENGTH, 0, 10, 11);

	/* positions are in the value as typed */
	assert_int_equal(nip_check("PL 123-45X-32-18", NULL, &e), -1);
	expect_err(&e, IDENT_NIP, IDENT_CHAR, 10, -1, -1);
	assert_int_equal(nip_check("DE1234563218", NULL, &e), -1);
	expect_err(&e, IDENT_NIP, IDENT_CHAR, 1, -1, -1);
	assert_int_equal(nip_check("123/456/32/18", NULL, &e), -1);
	expect_err(&e, IDENT_NIP, IDENT_CHAR, 4, -1, -1);
	assert_int_equal(nip_check("1234563218PL", NULL, &e), -1);
	expect_err(&e, IDENT_NIP, IDENT_CHAR, 11, -1, -1);
	assert_int_equal(nip_check("PLPL1234563218", NULL, &e), -1);
	expect_err(&e, IDENT_NIP, IDENT_CHAR, 3, -1, -1);
}

/* ---- REGON ---- */

static void test_core__ident__regon_vectors(void **state)
{
	struct ident_error e;

	(void)state;
	assert_int_equal(regon_check("123456785", &e), 0);
	expect_err(&e, IDENT_REGON, IDENT_OK, 0, -1, -1);
	assert_int_equal(regon_check("192598184", &e), 0);
	assert_int_equal(regon_check("12345678512347", &e), 0);
	assert_int_equal(regon_check(" 12345678512347 ", NULL), 0);

	assert_int_equal(regon_check("123456786", &e), -1);
	expect_err(&e, IDENT_REGON, IDENT_CHECKSUM, 9, 5, 6);
	assert_int_equal(regon_check("12345678512348", &e), -1);
	expect_err(&e, IDENT_REGON, IDENT_CHECKSUM, 14, 7, 8);
}

static void test_core__ident__regon_remainder_ten(void **state)
{
	struct ident_error e;

	(void)state;
	/* 8*1+9*2+2*3+3*4+4*5+5*6+6*7+7*4 = 164 = 14*11 + 10: the check digit is 0 */
	assert_int_equal(regon_check("123456740", &e), 0);
	assert_int_equal(regon_check("123456741", &e), -1);
	expect_err(&e, IDENT_REGON, IDENT_CHECKSUM, 9, 0, 1);
}

static void test_core__ident__regon_failures(void **state)
{
	struct ident_error e;

	(void)state;
	/* a 14-digit REGON whose first nine digits are not a valid REGON */
	assert_int_equal(regon_check("12345678612347", &e), -1);
	expect_err(&e, IDENT_REGON, IDENT_REGON_BASE, 9, 5, 6);
	assert_int_equal(regon_check("00000000012348", &e), -1);
	expect_err(&e, IDENT_REGON, IDENT_REGON_BASE, 9, -1, -1);

	assert_int_equal(regon_check("000000000", &e), -1);
	expect_err(&e, IDENT_REGON, IDENT_ALL_ZERO, 0, -1, -1);
	assert_int_equal(regon_check("00000000000000", &e), -1);
	expect_err(&e, IDENT_REGON, IDENT_ALL_ZERO, 0, -1, -1);

	assert_int_equal(regon_check("12345678", &e), -1);
	expect_err(&e, IDENT_REGON, IDENT_LENGTH, 0, 9, 8);
	assert_int_equal(regon_check("1234567851", &e), -1);
	expect_err(&e, IDENT_REGON, IDENT_LENGTH, 0, 14, 10);
	assert_int_equal(regon_check("123456785123470", &e), -1);
	expect_err(&e, IDENT_REGON, IDENT_LENGTH, 0, 14, 15);

	/* spaces and dashes inside are not accepted */
	assert_int_equal(regon_check("123 456 785", &e), -1);
	expect_err(&e, IDENT_REGON, IDENT_CHAR, 4, -1, -1);
	assert_int_equal(regon_check("123-456-785", &e), -1);
	expect_err(&e, IDENT_REGON, IDENT_CHAR, 4, -1, -1);
	assert_int_equal(regon_check(NULL, &e), -1);
	expect_err(&e, IDENT_REGON, IDENT_EMPTY, 0, -1, -1);
	assert_int_equal(regon_check("", NULL), -1);
}

/* ---- TERC ---- */

static void test_core__ident__terc_valid(void **state)
{
	static const struct {
		const char *s;
		enum terc_level level;
		int woj, pow, gmi, rodz, city_county;
	} v[] = {
		{ "02", TERC_WOJ, 2, 0, 0, 0, 0 },        { "32", TERC_WOJ, 32, 0, 0, 0, 0 },
		{ "0201", TERC_POW, 2, 1, 0, 0, 0 },      { "1465", TERC_POW, 14, 65, 0, 0, 1 },
		{ "0201011", TERC_GMI, 2, 1, 1, 1, 0 },   { "0201022", TERC_GMI, 2, 1, 2, 2, 0 },
		{ "3201011", TERC_GMI, 32, 1, 1, 1, 0 },  { "3201033", TERC_GMI, 32, 1, 3, 3, 0 },
		{ "3201034", TERC_GMI, 32, 1, 3, 4, 0 },  { "3201035", TERC_GMI, 32, 1, 3, 5, 0 },
		{ "1465011", TERC_GMI, 14, 65, 1, 1, 1 }, { "1465028", TERC_GMI, 14, 65, 2, 8, 1 },
		{ "1261019", TERC_GMI, 12, 61, 1, 9, 1 }, { "0260011", TERC_GMI, 2, 60, 1, 1, 0 },
		{ " 0201011\r\n", TERC_GMI, 2, 1, 1, 1, 0 },
	};
	struct terc_info info;
	struct ident_error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (terc_check(v[i].s, &info, &e) != 0)
			fail_msg("\"%s\" rejected with code %d", v[i].s, (int)e.code);
		expect_err(&e, IDENT_TERC, IDENT_OK, 0, -1, -1);
		assert_int_equal(info.level, v[i].level);
		assert_int_equal(info.woj, v[i].woj);
		assert_int_equal(info.pow, v[i].pow);
		assert_int_equal(info.gmi, v[i].gmi);
		assert_int_equal(info.rodz, v[i].rodz);
		assert_int_equal(info.city_county, v[i].city_county);
	}
}

static void test_core__ident__terc_invalid(void **state)
{
	static const struct {
		const char *s;
		enum ident_code code;
		int position, expected, got;
	} v[] = {
		{ "03", IDENT_TERC_WOJ, 1, -1, 3 },       { "34", IDENT_TERC_WOJ, 1, -1, 34 },
		{ "00", IDENT_TERC_WOJ, 1, -1, 0 },       { "0301", IDENT_TERC_WOJ, 1, -1, 3 },
		{ "9801011", IDENT_TERC_WOJ, 1, -1, 98 }, { "0200", IDENT_TERC_POW, 3, -1, 0 },
		{ "0200011", IDENT_TERC_POW, 3, -1, 0 },  { "0201001", IDENT_TERC_GMI, 5, -1, 0 },
		{ "0201016", IDENT_TERC_RODZ, 7, -1, 6 }, { "0201010", IDENT_TERC_RODZ, 7, -1, 0 },
		{ "0201017", IDENT_TERC_RODZ, 7, -1, 7 }, { "020101", IDENT_LENGTH, 0, 7, 6 },
		{ "02011", IDENT_LENGTH, 0, 7, 5 },       { "020", IDENT_LENGTH, 0, 4, 3 },
		{ "2", IDENT_LENGTH, 0, 2, 1 },           { "02010111", IDENT_LENGTH, 0, 7, 8 },
		{ "02a1", IDENT_CHAR, 3, -1, -1 },        { "02 01 01 1", IDENT_CHAR, 3, -1, -1 },
		{ "", IDENT_EMPTY, 0, -1, -1 },           { NULL, IDENT_EMPTY, 0, -1, -1 },
	};
	struct ident_error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(terc_check(v[i].s, NULL, &e), -1);
		expect_err(&e, IDENT_TERC, v[i].code, v[i].position, v[i].expected, v[i].got);
	}
}

/* split_terc() builds WOJ+POW+GMI+RODZ from a line of the TERC file; -1 if malformed. */
static int split_terc(char *line, char code[16])
{
	char *f[4];
	char *p = line;
	int i;

	line[strcspn(line, "\r\n")] = '\0';
	for (i = 0; i < 4; i++) {
		char *semi = strchr(p, ';');

		if (semi == NULL)
			return -1;
		*semi = '\0';
		f[i] = p;
		p = semi + 1;
	}
	if (strlen(f[0]) + strlen(f[1]) + strlen(f[2]) + strlen(f[3]) >= 16)
		return -1;
	snprintf(code, 16, "%s%s%s%s", f[0], f[1], f[2], f[3]);
	return 0;
}

static void test_core__ident__terc_reference_data(void **state)
{
	FILE *f = fopen(TERC_CSV, "r");
	char line[1024], code[16];
	int n = 0, levels[8] = { 0 };

	(void)state;
	if (f == NULL) {
		print_message("reference data absent (%s), skipping\n", TERC_CSV);
		skip();
		return;
	}
	assert_non_null(fgets(line, sizeof(line), f));
	assert_int_equal(strncmp(line, "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA", 40), 0);
	while (fgets(line, sizeof(line), f) != NULL) {
		struct terc_info info;
		struct ident_error e;

		if (line[0] == '\r' || line[0] == '\n' || line[0] == '\0')
			continue;
		assert_int_equal(split_terc(line, code), 0);
		if (terc_check(code, &info, &e) != 0)
			fail_msg("reference TERC %s rejected with code %d", code, (int)e.code);
		assert_int_equal((int)info.level, (int)strlen(code));
		levels[info.level]++;
		n++;
	}
	fclose(f);
	assert_int_equal(levels[TERC_WOJ], 16);
	assert_true(levels[TERC_POW] > 300);
	assert_true(levels[TERC_GMI] > 3000);
	print_message("%d reference TERC codes valid\n", n);
}

/* ---- postcode ---- */

static void test_core__ident__postcode(void **state)
{
	static const struct {
		const char *s;
		enum ident_code code;
		int position, expected, got;
	} v[] = {
		{ "00-950", IDENT_OK, 0, -1, -1 },
		{ " 12-345 ", IDENT_OK, 0, -1, -1 },
		{ "99-999\r\n", IDENT_OK, 0, -1, -1 },
		{ "00950", IDENT_POSTCODE_FORMAT, 3, 6, 5 },
		{ "0-0950", IDENT_POSTCODE_FORMAT, 2, 6, 6 },
		{ "ab-cde", IDENT_POSTCODE_FORMAT, 1, 6, 6 },
		{ "00 950", IDENT_POSTCODE_FORMAT, 3, 6, 6 },
		{ "00\xE2\x80\x93" "950", IDENT_POSTCODE_FORMAT, 3, 6, 6 }, /* en dash */
		{ "00-95\xC3\xB3", IDENT_POSTCODE_FORMAT, 6, 6, 6 },
		{ "00-95", IDENT_POSTCODE_FORMAT, 0, 6, 5 },
		{ "00-9500", IDENT_POSTCODE_FORMAT, 0, 6, 7 },
		{ "00-950 Warszawa", IDENT_POSTCODE_FORMAT, 0, 6, 15 },
		{ "", IDENT_EMPTY, 0, -1, -1 },
		{ NULL, IDENT_EMPTY, 0, -1, -1 },
	};
	struct ident_error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(postcode_check(v[i].s, &e), v[i].code == IDENT_OK ? 0 : -1);
		expect_err(&e, IDENT_POSTCODE, v[i].code, v[i].position, v[i].expected, v[i].got);
	}
	assert_int_equal(postcode_check("00-950", NULL), 0);
}

/* ---- messages ---- */

static void test_core__ident__message_checksum(void **state)
{
	struct ident_error e;
	char m[256];

	(void)state;
	assert_int_equal(pesel_check("44051401459", 0, NULL, &e), -1);
	message_en(&e, m, sizeof(m));
	assert_string_equal(m, "The PESEL check digit (11th digit) should be 8 but is 9.");
	assert_contains(m, "8");
	assert_int_equal(nip_check("1234563219", NULL, &e), -1);
	assert_string_equal(message_en(&e, m, sizeof(m)),
		"The NIP check digit (10th digit) should be 8 but is 9.");
	assert_int_equal(regon_check("12345678512348", &e), -1);
	assert_string_equal(message_en(&e, m, sizeof(m)),
		"The REGON check digit (digit 14) should be 7 but is 8.");
}

static void test_core__ident__message_rules(void **state)
{
	struct ident_error e;
	char m[256], s[12];

	(void)state;
	pesel_check("4405140145", 0, NULL, &e);
	assert_string_equal(message_en(&e, m, sizeof(m)),
		"A PESEL number must have 11 digits, but the value given has 10.");
	pesel_check("4405140145a", 0, NULL, &e);
	assert_string_equal(message_en(&e, m, sizeof(m)),
		"The PESEL number may contain only digits, but character 11 is not a digit.");
	pesel_make(s, "4413010000");
	pesel_check(s, 0, NULL, &e);
	assert_contains(message_en(&e, m, sizeof(m)), "(13) are not a month");
	pesel_make(s, "4402301234");
	pesel_check(s, 0, NULL, &e);
	assert_string_equal(message_en(&e, m, sizeof(m)),
		"The birth date in the PESEL number, 1944-02-30, does not exist: "
		"that month has only 29 days.");
	pesel_make(s, "0002290000");
	pesel_check(s, 0, NULL, &e);
	assert_contains(message_en(&e, m, sizeof(m)), "1900-02-29, does not exist: 1900 is not a leap year");
	pesel_make(s, "4405000000");
	pesel_check(s, 0, NULL, &e);
	assert_contains(message_en(&e, m, sizeof(m)), "no day 00");
	pesel_make(s, "2631240000");
	pesel_check(s, 20261123, NULL, &e);
	assert_contains(message_en(&e, m, sizeof(m)), "2026-11-24, is later than today (2026-11-23)");
	pesel_check(NULL, 0, NULL, &e);
	assert_string_equal(message_en(&e, m, sizeof(m)), "No PESEL number was given.");

	nip_check("1234563260", NULL, &e);
	assert_contains(message_en(&e, m, sizeof(m)), "remainder 10");
	assert_contains(m, "never issued");
	nip_check("PL 123-45X-32-18", NULL, &e);
	assert_contains(message_en(&e, m, sizeof(m)), "character 10");
	nip_check("0000000000", NULL, &e);
	assert_string_equal(message_en(&e, m, sizeof(m)), "The NIP number cannot consist of zeros only.");

	regon_check("12345678612347", &e);
	assert_contains(message_en(&e, m, sizeof(m)), "first nine digits");
	assert_contains(m, "should be 5 and is 6");
	regon_check("00000000012348", &e);
	assert_contains(message_en(&e, m, sizeof(m)), "zeros only");
	regon_check("1234567851", &e);
	assert_contains(message_en(&e, m, sizeof(m)), "9 or 14 digits, but the value given has 10");

	terc_check("03", NULL, &e);
	assert_contains(message_en(&e, m, sizeof(m)), "voivodeship");
	assert_contains(m, "but is 03");
	terc_check("0200", NULL, &e);
	assert_contains(message_en(&e, m, sizeof(m)), "powiat code (digits 3-4");
	terc_check("0201001", NULL, &e);
	assert_contains(message_en(&e, m, sizeof(m)), "gmina code (digits 5-6");
	terc_check("0201016", NULL, &e);
	assert_contains(message_en(&e, m, sizeof(m)), "unit type code");
	assert_contains(m, "but is 6");
	terc_check("020101", NULL, &e);
	assert_contains(message_en(&e, m, sizeof(m)), "2, 4 or 7 digits");
	assert_contains(m, "has 6");

	postcode_check("00950", &e);
	assert_contains(message_en(&e, m, sizeof(m)), "NN-NNN");
	assert_contains(m, "3rd character should be a dash");
	postcode_check("0-0950", &e);
	assert_contains(message_en(&e, m, sizeof(m)), "character 2 should be a digit");
	postcode_check("00-95", &e);
	assert_contains(message_en(&e, m, sizeof(m)), "has 5 characters");
	postcode_check("0", &e);
	assert_contains(message_en(&e, m, sizeof(m)), "has 1 character.");

	e.kind = IDENT_PESEL;
	e.code = IDENT_OK;
	assert_string_equal(message_en(&e, m, sizeof(m)), "The PESEL number is valid.");
}

/* every_message() renders every kind x code in the current language and checks it. */
static void every_message(void)
{
	static const int fields[][3] = {
		{ 3, 5, 6 }, { 11, 11, 10 }, { 5, 28, 19000229 }, { 0, -1, -1 },
		{ INT_MIN, INT_MIN, INT_MIN }, { INT_MAX, INT_MAX, INT_MAX },
	};
	int kind, code;
	size_t f;

	for (kind = 0; kind <= IDENT_KIND__MAX + 1; kind++) {
		for (code = 0; code <= IDENT_CODE__MAX + 1; code++) {
			for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
				struct ident_error e;
				char m[256];

				e.kind = (enum ident_kind)kind;
				e.code = (enum ident_code)code;
				e.position = fields[f][0];
				e.expected = fields[f][1];
				e.got = fields[f][2];
				memset(m, 'x', sizeof(m));
				assert_ptr_equal(ident_message(&e, m, sizeof(m)), m);
				assert_true(strlen(m) > 10);
				assert_true(valid_utf8(m));
				/* the callers' buffers are 256 bytes: nothing may be cut there */
				if (f < 4 && strlen(m) >= sizeof(m) - 1)
					fail_msg("message too long: %s", m);
			}
		}
	}
}

static void test_core__ident__message_every_code(void **state)
{
	char m[256];

	(void)state;
	i18n_set_lang(LANG_EN);
	every_message();
	assert_true(strlen(ident_message(NULL, m, sizeof(m))) > 0);
	if (polish_loaded()) {
		every_message();
		assert_true(strlen(ident_message(NULL, m, sizeof(m))) > 0);
	}
	i18n_set_lang(LANG_PL);
}

static void test_core__ident__message_polish(void **state)
{
	struct ident_error e;
	char m[256], s[12];

	(void)state;
	if (!polish_loaded()) {
		print_message("Polish catalogue not loaded, skipping\n");
		skip();
		return;
	}
	pesel_check("44051401459", 0, NULL, &e);
	assert_string_equal(ident_message(&e, m, sizeof(m)),
		"Cyfra kontrolna PESEL (11. cyfra) powinna wynosić 8, a wynosi 9.");
	pesel_make(s, "4402301234");
	pesel_check(s, 0, NULL, &e);
	assert_string_equal(ident_message(&e, m, sizeof(m)),
		"Data urodzenia zapisana w numerze PESEL, 30.02.1944, nie "
		"istnieje: ten miesiąc ma tylko 29 dni.");
	terc_check("0201016", NULL, &e);
	assert_contains(ident_message(&e, m, sizeof(m)), "Kod rodzaju jednostki");
	postcode_check("00-95", &e);
	assert_contains(ident_message(&e, m, sizeof(m)), "ma 5 znaków");
	postcode_check("0", &e);
	assert_contains(ident_message(&e, m, sizeof(m)), "ma 1 znak.");
	postcode_check("00-9", &e);
	assert_contains(ident_message(&e, m, sizeof(m)), "ma 4 znaki.");
	pesel_check("", 0, NULL, &e);
	assert_string_equal(ident_message(&e, m, sizeof(m)), "Nie podano numeru PESEL.");
}

static void test_core__ident__message_buffers(void **state)
{
	struct ident_error e;
	char m[256], whole[256];
	size_t n;
	int pl;

	(void)state;
	memset(&e, 0, sizeof(e));
	assert_null(ident_message(&e, NULL, 0));
	m[0] = 'x';
	assert_ptr_equal(ident_message(NULL, m, 0), m);
	assert_int_equal(m[0], 'x');
	ident_message(NULL, m, 1);
	assert_string_equal(m, "");

	for (pl = 0; pl <= 1; pl++) {
		if (pl && !polish_loaded())
			break;
		i18n_set_lang(pl ? LANG_PL : LANG_EN);
		nip_check("1234563260", NULL, &e);
		ident_message(&e, whole, sizeof(whole));
		for (n = 1; n <= strlen(whole) + 1; n++) {
			memset(m, 'x', sizeof(m));
			ident_message(&e, m, n);
			assert_true(strlen(m) < n);
			assert_true(valid_utf8(m));
			assert_int_equal(strncmp(m, whole, strlen(m)), 0);
			assert_true(strlen(m) + 4 > n - 1 || n > strlen(whole));
		}
	}
	i18n_set_lang(LANG_PL);
}

/* ---- robustness ---- */

static void check_all(const char *s)
{
	struct ident_error e;
	struct pesel_info pi;
	struct terc_info ti;
	char norm[11], m[256];

	if (pesel_check(s, 20261123, &pi, &e) != 0)
		assert_int_not_equal(e.code, IDENT_OK);
	ident_message(&e, m, sizeof(m));
	if (nip_check(s, norm, &e) == 0)
		assert_int_equal(strlen(norm), 10);
	ident_message(&e, m, sizeof(m));
	if (regon_check(s, &e) != 0)
		assert_int_not_equal(e.code, IDENT_OK);
	ident_message(&e, m, sizeof(m));
	if (terc_check(s, &ti, &e) != 0)
		assert_int_not_equal(e.code, IDENT_OK);
	ident_message(&e, m, sizeof(m));
	if (postcode_check(s, &e) != 0)
		assert_int_not_equal(e.code, IDENT_OK);
	assert_true(valid_utf8(ident_message(&e, m, sizeof(m))));
}

static void test_core__ident__hostile_input(void **state)
{
	static const size_t size = 1000000;
	static const char fill[] = { ' ', 'x', '0', '\xC3', '\x80', '-' };
	char one[3];
	size_t i;
	int c;

	(void)state;
	for (c = 1; c < 256; c++) {
		one[0] = (char)c;
		one[1] = '\0';
		check_all(one);
		one[1] = (char)c;
		one[2] = '\0';
		check_all(one);
	}
	for (i = 0; i < sizeof(fill); i++) {
		char *big = malloc(size + 1);

		assert_non_null(big);
		memset(big, fill[i], size);
		big[size] = '\0';
		check_all(big);
		free(big);
	}
	check_all("PL");
	check_all("\xE2\x80");
	check_all(" \xE2\x80\xAF");
	check_all("\xEF\xBB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core__ident__pesel_valid_vectors),
		cmocka_unit_test(test_core__ident__pesel_checksum),
		cmocka_unit_test(test_core__ident__pesel_empty_and_trim),
		cmocka_unit_test(test_core__ident__pesel_length_and_chars),
		cmocka_unit_test(test_core__ident__pesel_centuries),
		cmocka_unit_test(test_core__ident__pesel_impossible_dates),
		cmocka_unit_test(test_core__ident__pesel_leap_days),
		cmocka_unit_test(test_core__ident__pesel_future),
		cmocka_unit_test(test_core__ident__pesel_sex),
		cmocka_unit_test(test_core__ident__nip_vectors),
		cmocka_unit_test(test_core__ident__nip_normalise),
		cmocka_unit_test(test_core__ident__nip_ten),
		cmocka_unit_test(test_core__ident__nip_failures),
		cmocka_unit_test(test_core__ident__regon_vectors),
		cmocka_unit_test(test_core__ident__regon_remainder_ten),
		cmocka_unit_test(test_core__ident__regon_failures),
		cmocka_unit_test(test_core__ident__terc_valid),
		cmocka_unit_test(test_core__ident__terc_invalid),
		cmocka_unit_test(test_core__ident__terc_reference_data),
		cmocka_unit_test(test_core__ident__postcode),
		cmocka_unit_test(test_core__ident__message_checksum),
		cmocka_unit_test(test_core__ident__message_rules),
		cmocka_unit_test(test_core__ident__message_every_code),
		cmocka_unit_test(test_core__ident__message_polish),
		cmocka_unit_test(test_core__ident__message_buffers),
		cmocka_unit_test(test_core__ident__hostile_input),
	};

	return cmocka_run_group_tests_name("core/ident", tests, NULL, NULL);
}
