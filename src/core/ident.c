/*
 * ident.c — validation of Polish identifiers (PESEL, NIP, REGON, TERYT TERC
 * codes and postcodes) as typed or pasted into forms and imports. Each check
 * first trims the whitespace that comes along with pasted values (ASCII
 * whitespace, no-break and thin spaces, a byte-order mark), then applies the
 * rules of DOMAIN.md §5 in a fixed order: empty, non-digit characters,
 * length, then the identifier's own rules. The first failing rule is
 * reported in struct ident_error with the position, expected and found
 * values the message needs; ident_message() turns that into one translated
 * sentence. Character positions are 1-based and count UTF-8 characters of
 * the trimmed value, so they match what the user sees. Everything works on
 * the caller's memory: no allocation, no state besides the i18n language.
 */
#include "core/ident.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"

/* Characters trimmed around every value (and, for NIP, removed inside it). */
static const char *const spaces[] = {
	" ", "\t", "\n", "\r", "\v", "\f",
	"\xC2\xA0",     /* U+00A0 no-break space */
	"\xE2\x80\x87", /* U+2007 figure space */
	"\xE2\x80\x89", /* U+2009 thin space */
	"\xE2\x80\xAF", /* U+202F narrow no-break space */
	"\xEF\xBB\xBF", /* U+FEFF byte-order mark */
};

/* space_at() returns the length of the space character starting at p, or 0. */
static size_t space_at(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(spaces) / sizeof(spaces[0]); i++) {
		size_t l = strlen(spaces[i]);

		if (l <= n && memcmp(p, spaces[i], l) == 0)
			return l;
	}
	return 0;
}

/* space_before() returns the length of the space character ending at p + n, or 0. */
static size_t space_before(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(spaces) / sizeof(spaces[0]); i++) {
		size_t l = strlen(spaces[i]);

		if (l <= n && memcmp(p + n - l, spaces[i], l) == 0)
			return l;
	}
	return 0;
}

/* trim() sets *p, *n to s without surrounding spaces (length 0 for NULL). */
static void trim(const char *s, const char **p, size_t *n)
{
	size_t l;

	*p = s != NULL ? s : "";
	*n = s != NULL ? strlen(s) : 0;
	for (l = space_at(*p, *n); l > 0; l = space_at(*p, *n)) {
		*p += l;
		*n -= l;
	}
	for (l = space_before(*p, *n); l > 0; l = space_before(*p, *n))
		*n -= l;
}

static int clamp(size_t n)
{
	return n > (size_t)INT_MAX ? INT_MAX : (int)n;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* char_pos() is the 1-based position, in UTF-8 characters, of byte i of p. */
static int char_pos(const char *p, size_t i)
{
	size_t k, n = 1;

	for (k = 0; k < i; k++)
		if (((unsigned char)p[k] & 0xC0) != 0x80)
			n++;
	return clamp(n);
}

/* char_count() is the number of UTF-8 characters in p[0..n). */
static int char_count(const char *p, size_t n)
{
	return char_pos(p, n) - 1;
}

/* fail() records a failed rule in err (which may be NULL) and returns -1. */
static int fail(struct ident_error *err, enum ident_kind kind, enum ident_code code, int position,
	int expected, int got)
{
	if (err != NULL) {
		err->kind = kind;
		err->code = code;
		err->position = position;
		err->expected = expected;
		err->got = got;
	}
	return -1;
}

static int pass(struct ident_error *err, enum ident_kind kind)
{
	fail(err, kind, IDENT_OK, 0, -1, -1);
	return 0;
}

/*
 * digits() checks that the n bytes at p are all digits and copies up to max
 * of their values into d. Returns 0, or -1 with IDENT_CHAR in err.
 */
static int digits(enum ident_kind kind, const char *p, size_t n, int *d, size_t max,
	struct ident_error *err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!is_digit(p[i]))
			return fail(err, kind, IDENT_CHAR, char_pos(p, i), -1, -1);
		if (i < max)
			d[i] = p[i] - '0';
	}
	return 0;
}

static int all_zero(const int *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (d[i] != 0)
			return 0;
	return 1;
}

static int days_in_month(int y, int m)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/*
 * The DATE error of a PESEL is reported in two shapes: position 3 with got =
 * the month digits when they encode no month in any century, or position 5
 * with got = the impossible date as YYYYMMDD and expected = the number of
 * days in that month. FUTURE has got = birth date, expected = today_ymd
 * (a today_ymd of 0 or below disables that rule).
 */
int pesel_check(const char *s, int today_ymd, struct pesel_info *info, struct ident_error *err)
{
	static const int w[10] = { 1, 3, 7, 9, 1, 3, 7, 9, 1, 3 };
	/* month digits = month + offset for births in century year */
	static const struct {
		int offset, year;
	} centuries[5] = { { 80, 1800 }, { 0, 1900 }, { 20, 2000 }, { 40, 2100 }, { 60, 2200 } };
	const char *p;
	size_t n;
	int d[11];
	int i, sum = 0, check, yy, mm, dd, year, month = 0, ymd;

	if (info != NULL)
		memset(info, 0, sizeof(*info));
	trim(s, &p, &n);
	if (n == 0)
		return fail(err, IDENT_PESEL, IDENT_EMPTY, 0, -1, -1);
	if (digits(IDENT_PESEL, p, n, d, 11, err) != 0)
		return -1;
	if (n != 11)
		return fail(err, IDENT_PESEL, IDENT_LENGTH, 0, 11, clamp(n));

	yy = d[0] * 10 + d[1];
	mm = d[2] * 10 + d[3];
	dd = d[4] * 10 + d[5];
	year = -1;
	for (i = 0; i < 5; i++) {
		if (mm > centuries[i].offset && mm <= centuries[i].offset + 12) {
			year = centuries[i].year + yy;
			month = mm - centuries[i].offset;
		}
	}
	if (year < 0)
		return fail(err, IDENT_PESEL, IDENT_DATE, 3, -1, mm);
	ymd = year * 10000 + month * 100 + dd;
	if (dd < 1 || dd > days_in_month(year, month))
		return fail(err, IDENT_PESEL, IDENT_DATE, 5, days_in_month(year, month), ymd);

	for (i = 0; i < 10; i++)
		sum += w[i] * d[i];
	check = (10 - sum % 10) % 10;
	if (check != d[10])
		return fail(err, IDENT_PESEL, IDENT_CHECKSUM, 11, check, d[10]);

	if (today_ymd > 0 && ymd > today_ymd)
		return fail(err, IDENT_PESEL, IDENT_FUTURE, 1, today_ymd, ymd);

	if (info != NULL) {
		info->year = year;
		info->month = month;
		info->day = dd;
		info->sex = d[9] % 2 == 0 ? 'K' : 'M';
	}
	return pass(err, IDENT_PESEL);
}

/*
 * A NIP may be written "PL 123-456-32-18": the prefix (any case) is skipped
 * and dashes and spaces anywhere are dropped. A non-digit is reported at its
 * position in the value as typed; the length and the check digit count bare
 * digits only. NIP_TEN has position 10 and got = the 10th digit. On failure
 * norm (when given) is set to "".
 */
int nip_check(const char *s, char norm[11], struct ident_error *err)
{
	static const int w[9] = { 6, 5, 7, 2, 3, 4, 5, 6, 7 };
	const char *p;
	size_t n, i = 0, count = 0;
	int d[10];
	int k, sum = 0;

	if (norm != NULL)
		norm[0] = '\0';
	trim(s, &p, &n);
	if (n >= 2 && (p[0] == 'P' || p[0] == 'p') && (p[1] == 'L' || p[1] == 'l'))
		i = 2;
	while (i < n) {
		size_t l = space_at(p + i, n - i);

		if (l > 0) {
			i += l;
			continue;
		}
		if (p[i] == '-') {
			i++;
			continue;
		}
		if (!is_digit(p[i]))
			return fail(err, IDENT_NIP, IDENT_CHAR, char_pos(p, i), -1, -1);
		if (count < 10)
			d[count] = p[i] - '0';
		count++;
		i++;
	}
	if (count == 0)
		return fail(err, IDENT_NIP, IDENT_EMPTY, 0, -1, -1);
	if (count != 10)
		return fail(err, IDENT_NIP, IDENT_LENGTH, 0, 10, clamp(count));
	if (all_zero(d, 10))
		return fail(err, IDENT_NIP, IDENT_ALL_ZERO, 0, -1, -1);
	for (k = 0; k < 9; k++)
		sum += w[k] * d[k];
	sum %= 11;
	if (sum == 10)
		return fail(err, IDENT_NIP, IDENT_NIP_TEN, 10, -1, d[9]);
	if (sum != d[9])
		return fail(err, IDENT_NIP, IDENT_CHECKSUM, 10, sum, d[9]);
	if (norm != NULL) {
		for (k = 0; k < 10; k++)
			norm[k] = (char)('0' + d[k]);
		norm[10] = '\0';
	}
	return pass(err, IDENT_NIP);
}

/* regon9_check_digit() is the check digit of the 9-digit REGON starting d. */
static int regon9_check_digit(const int *d)
{
	static const int w[8] = { 8, 9, 2, 3, 4, 5, 6, 7 };
	int i, sum = 0;

	for (i = 0; i < 8; i++)
		sum += w[i] * d[i];
	return sum % 11 % 10;
}

/*
 * For a wrong length, expected is the nearest allowed length not below the
 * one given (9 or 14). REGON_BASE has position 9 and the base's check digit
 * in expected/got, or -1/-1 when the base is all zeros.
 */
int regon_check(const char *s, struct ident_error *err)
{
	static const int w[13] = { 2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8 };
	const char *p;
	size_t n;
	int d[14];
	int i, sum = 0, check;

	trim(s, &p, &n);
	if (n == 0)
		return fail(err, IDENT_REGON, IDENT_EMPTY, 0, -1, -1);
	if (digits(IDENT_REGON, p, n, d, 14, err) != 0)
		return -1;
	if (n != 9 && n != 14)
		return fail(err, IDENT_REGON, IDENT_LENGTH, 0, n < 9 ? 9 : 14, clamp(n));
	if (all_zero(d, n))
		return fail(err, IDENT_REGON, IDENT_ALL_ZERO, 0, -1, -1);
	check = regon9_check_digit(d);
	if (n == 9) {
		if (check != d[8])
			return fail(err, IDENT_REGON, IDENT_CHECKSUM, 9, check, d[8]);
		return pass(err, IDENT_REGON);
	}
	if (all_zero(d, 9))
		return fail(err, IDENT_REGON, IDENT_REGON_BASE, 9, -1, -1);
	if (check != d[8])
		return fail(err, IDENT_REGON, IDENT_REGON_BASE, 9, check, d[8]);
	for (i = 0; i < 13; i++)
		sum += w[i] * d[i];
	check = sum % 11 % 10;
	if (check != d[13])
		return fail(err, IDENT_REGON, IDENT_CHECKSUM, 14, check, d[13]);
	return pass(err, IDENT_REGON);
}

/*
 * For a wrong length, expected is the nearest allowed length not below the
 * one given (2, 4 or 7). The part errors carry the part's first position and
 * its value in got.
 */
int terc_check(const char *s, struct terc_info *info, struct ident_error *err)
{
	const char *p;
	size_t n;
	int d[7];
	int woj, pow = 0, gmi = 0, rodz = 0;

	if (info != NULL)
		memset(info, 0, sizeof(*info));
	trim(s, &p, &n);
	if (n == 0)
		return fail(err, IDENT_TERC, IDENT_EMPTY, 0, -1, -1);
	if (digits(IDENT_TERC, p, n, d, 7, err) != 0)
		return -1;
	if (n != 2 && n != 4 && n != 7)
		return fail(err, IDENT_TERC, IDENT_LENGTH, 0, n < 2 ? 2 : n < 4 ? 4 : 7, clamp(n));
	woj = d[0] * 10 + d[1];
	if (woj < 2 || woj > 32 || woj % 2 != 0)
		return fail(err, IDENT_TERC, IDENT_TERC_WOJ, 1, -1, woj);
	if (n >= 4) {
		pow = d[2] * 10 + d[3];
		if (pow == 0)
			return fail(err, IDENT_TERC, IDENT_TERC_POW, 3, -1, pow);
	}
	if (n == 7) {
		gmi = d[4] * 10 + d[5];
		if (gmi == 0)
			return fail(err, IDENT_TERC, IDENT_TERC_GMI, 5, -1, gmi);
		rodz = d[6];
		if (rodz == 0 || rodz == 6 || rodz == 7)
			return fail(err, IDENT_TERC, IDENT_TERC_RODZ, 7, -1, rodz);
	}
	if (info != NULL) {
		info->level = n == 2 ? TERC_WOJ : n == 4 ? TERC_POW : TERC_GMI;
		info->woj = woj;
		info->pow = pow;
		info->gmi = gmi;
		info->rodz = rodz;
		info->city_county = pow >= 61;
	}
	return pass(err, IDENT_TERC);
}

/*
 * POSTCODE_FORMAT always has expected = 6 and got = the number of
 * characters; position is the first character that does not fit NN-NNN, or
 * 0 when all present ones fit but there are too few or too many.
 */
int postcode_check(const char *s, struct ident_error *err)
{
	const char *p;
	size_t n, i;

	trim(s, &p, &n);
	if (n == 0)
		return fail(err, IDENT_POSTCODE, IDENT_EMPTY, 0, -1, -1);
	for (i = 0; i < 6 && i < n; i++) {
		if (i == 2 ? p[i] != '-' : !is_digit(p[i]))
			return fail(err, IDENT_POSTCODE, IDENT_POSTCODE_FORMAT, clamp(i + 1), 6,
				char_count(p, n));
	}
	if (n != 6)
		return fail(err, IDENT_POSTCODE, IDENT_POSTCODE_FORMAT, 0, 6, char_count(p, n));
	return pass(err, IDENT_POSTCODE);
}

/* ---- messages ---- */

/* label() names the identifier at the start of a sentence. */
static const char *label(enum ident_kind kind)
{
	switch (kind) {
	case IDENT_PESEL:
		return _("The PESEL number");
	case IDENT_NIP:
		return _("The NIP number");
	case IDENT_REGON:
		return _("The REGON number");
	case IDENT_TERC:
		return _("The TERC code");
	case IDENT_POSTCODE:
		return _("The postcode");
	default:
		return _("The identifier");
	}
}

static void msg_empty(const struct ident_error *e, char *out, size_t len)
{
	const char *m;

	switch (e->kind) {
	case IDENT_PESEL:
		m = _("No PESEL number was given.");
		break;
	case IDENT_NIP:
		m = _("No NIP number was given.");
		break;
	case IDENT_REGON:
		m = _("No REGON number was given.");
		break;
	case IDENT_TERC:
		m = _("No TERC code was given.");
		break;
	case IDENT_POSTCODE:
		m = _("No postcode was given.");
		break;
	default:
		m = _("No value was given.");
		break;
	}
	snprintf(out, len, "%s", m);
}

static void msg_length(const struct ident_error *e, char *out, size_t len)
{
	if (e->kind == IDENT_PESEL && e->expected == 11)
		snprintf(out, len, _("A PESEL number must have 11 digits, but the value given has %d."),
			e->got);
	else if (e->kind == IDENT_NIP && e->expected == 10)
		snprintf(out, len, _("A NIP number must have 10 digits, but the value given has %d."),
			e->got);
	else if (e->kind == IDENT_REGON)
		snprintf(out, len,
			_("A REGON number must have 9 or 14 digits, but the value given has %d."),
			e->got);
	else if (e->kind == IDENT_TERC)
		snprintf(out, len,
			_("A TERC code must have 2, 4 or 7 digits (voivodeship, powiat or gmina), "
			  "but the value given has %d."),
			e->got);
	else
		snprintf(out, len, _("%s has the wrong number of characters: %d instead of %d."),
			label(e->kind), e->got, e->expected);
}

static void msg_char(const struct ident_error *e, char *out, size_t len)
{
	if (e->kind == IDENT_NIP)
		snprintf(out, len,
			_("A NIP number may contain only digits, dashes, spaces and a leading PL, "
			  "but character %d is none of these."),
			e->position);
	else
		snprintf(out, len, _("%s may contain only digits, but character %d is not a digit."),
			label(e->kind), e->position);
}

static void msg_checksum(const struct ident_error *e, char *out, size_t len)
{
	if (e->kind == IDENT_PESEL && e->position == 11)
		snprintf(out, len, _("The PESEL check digit (11th digit) should be %d but is %d."),
			e->expected, e->got);
	else if (e->kind == IDENT_NIP && e->position == 10)
		snprintf(out, len, _("The NIP check digit (10th digit) should be %d but is %d."),
			e->expected, e->got);
	else if (e->kind == IDENT_REGON)
		snprintf(out, len, _("The REGON check digit (digit %d) should be %d but is %d."),
			e->position, e->expected, e->got);
	else
		snprintf(out, len, _("%s: the check digit (digit %d) should be %d but is %d."),
			label(e->kind), e->position, e->expected, e->got);
}

/* msg_date() explains an impossible PESEL birth date (see pesel_check()). */
static void msg_date(const struct ident_error *e, char *out, size_t len)
{
	int y = e->got / 10000, m = e->got / 100 % 100, d = e->got % 100;

	if (e->position == 3)
		snprintf(out, len,
			_("Digits 3-4 of the PESEL number (%02d) are not a month: months are coded "
			  "01-12, 21-32, 41-52, 61-72 or 81-92, depending on the century."),
			e->got);
	else if (d == 0)
		snprintf(out, len,
			_("The birth date in the PESEL number, %04d-%02d-%02d, does not exist: "
			  "there is no day 00."),
			y, m, d);
	else if (m == 2 && d == 29 && e->expected == 28)
		snprintf(out, len,
			_("The birth date in the PESEL number, %04d-%02d-%02d, does not exist: "
			  "%04d is not a leap year."),
			y, m, d, y);
	else if (e->expected > 0)
		snprintf(out, len,
			_("The birth date in the PESEL number, %04d-%02d-%02d, does not exist: "
			  "that month has only %d days."),
			y, m, d, e->expected);
	else
		snprintf(out, len,
			_("The birth date in the PESEL number, %04d-%02d-%02d, does not exist."), y, m,
			d);
}

static void msg_future(const struct ident_error *e, char *out, size_t len)
{
	snprintf(out, len,
		_("The birth date in the PESEL number, %04d-%02d-%02d, is later than today "
		  "(%04d-%02d-%02d)."),
		e->got / 10000, e->got / 100 % 100, e->got % 100, e->expected / 10000,
		e->expected / 100 % 100, e->expected % 100);
}

static void msg_regon_base(const struct ident_error *e, char *out, size_t len)
{
	if (e->expected >= 0 && e->got >= 0)
		snprintf(out, len,
			_("The first nine digits of a 14-digit REGON number must be a valid 9-digit "
			  "REGON, but their check digit (9th digit) should be %d and is %d."),
			e->expected, e->got);
	else
		snprintf(out, len, "%s",
			_("The first nine digits of a 14-digit REGON number must be a valid 9-digit "
			  "REGON, and zeros only are not."));
}

static void msg_postcode(const struct ident_error *e, char *out, size_t len)
{
	unsigned long got = e->got > 0 ? (unsigned long)e->got : 0;

	if (e->position == 3)
		snprintf(out, len, "%s",
			_("A postcode must be written NN-NNN (two digits, a dash, three digits); "
			  "the 3rd character should be a dash."));
	else if (e->position >= 1 && e->position <= 6)
		snprintf(out, len,
			_("A postcode must be written NN-NNN (two digits, a dash, three digits); "
			  "character %d should be a digit."),
			e->position);
	else
		snprintf(out, len,
			i18n_ngettext("A postcode must be written NN-NNN (two digits, a dash, three "
				      "digits), but the value given has %d character.",
				"A postcode must be written NN-NNN (two digits, a dash, three "
				"digits), but the value given has %d characters.",
				got),
			e->got);
}

/*
 * cut_partial_utf8() drops an incomplete UTF-8 sequence that snprintf()
 * truncation may have left at the end of out, so JSON stays valid.
 */
static void cut_partial_utf8(char *out)
{
	size_t n = strlen(out), j = n, need;
	unsigned char c;

	while (j > 0 && n - j < 3 && ((unsigned char)out[j - 1] & 0xC0) == 0x80)
		j--;
	if (j == 0)
		return;
	c = (unsigned char)out[j - 1];
	if (c >= 0xF0)
		need = 4;
	else if (c >= 0xE0)
		need = 3;
	else if (c >= 0xC0)
		need = 2;
	else
		return;
	if (n - (j - 1) < need)
		out[j - 1] = '\0';
}

char *ident_message(const struct ident_error *err, char *out, size_t outlen)
{
	if (out == NULL || outlen == 0)
		return out;
	out[0] = '\0';
	if (err == NULL) {
		snprintf(out, outlen, "%s", _("No validation result is available."));
		return out;
	}
	switch (err->code) {
	case IDENT_OK:
		snprintf(out, outlen, _("%s is valid."), label(err->kind));
		break;
	case IDENT_EMPTY:
		msg_empty(err, out, outlen);
		break;
	case IDENT_LENGTH:
		msg_length(err, out, outlen);
		break;
	case IDENT_CHAR:
		msg_char(err, out, outlen);
		break;
	case IDENT_CHECKSUM:
		msg_checksum(err, out, outlen);
		break;
	case IDENT_DATE:
		msg_date(err, out, outlen);
		break;
	case IDENT_FUTURE:
		msg_future(err, out, outlen);
		break;
	case IDENT_NIP_TEN:
		snprintf(out, outlen, "%s",
			_("The weighted sum of the first nine digits of the NIP number leaves remainder "
			  "10 when divided by 11, so no check digit fits: such NIP numbers are never "
			  "issued."));
		break;
	case IDENT_ALL_ZERO:
		snprintf(out, outlen, _("%s cannot consist of zeros only."), label(err->kind));
		break;
	case IDENT_REGON_BASE:
		msg_regon_base(err, out, outlen);
		break;
	case IDENT_TERC_WOJ:
		snprintf(out, outlen,
			_("The voivodeship code (digits 1-2 of the TERC code) must be an even number "
			  "from 02 to 32, but is %02d."),
			err->got);
		break;
	case IDENT_TERC_POW:
		snprintf(out, outlen,
			_("The powiat code (digits 3-4 of the TERC code) must be from 01 to 99 "
			  "(61-99 are cities with powiat rights), but is %02d."),
			err->got);
		break;
	case IDENT_TERC_GMI:
		snprintf(out, outlen,
			_("The gmina code (digits 5-6 of the TERC code) must be from 01 to 99, "
			  "but is %02d."),
			err->got);
		break;
	case IDENT_TERC_RODZ:
		snprintf(out, outlen,
			_("The unit type code (7th digit of the TERC code) must be 1, 2, 3, 4, 5, 8 "
			  "or 9, but is %d."),
			err->got);
		break;
	case IDENT_POSTCODE_FORMAT:
		msg_postcode(err, out, outlen);
		break;
	default:
		snprintf(out, outlen, _("Unknown validation error (code %d)."), (int)err->code);
		break;
	}
	cut_partial_utf8(out);
	return out;
}
