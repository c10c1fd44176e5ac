/*
 * spec.c — reading what the user says about the input: the SPEC of
 * roles and columns, the date formats, sex codes.
 */
#include <stdio.h>
#include <string.h>

#include "link/link_int.h"

static const char *const role_names[LINK_ROLE__MAX] = {
	[LINK_ROLE_ID] = "id", [LINK_ROLE_GIVEN] = "given", [LINK_ROLE_SURNAME] = "surname",
	[LINK_ROLE_BIRTH_SURNAME] = "birth_surname", [LINK_ROLE_SEX] = "sex", [LINK_ROLE_BIRTH] = "birth",
	[LINK_ROLE_PESEL] = "pesel", [LINK_ROLE_NATIONAL_ID] = "national_id", [LINK_ROLE_STREET] = "street",
	[LINK_ROLE_STREET_NUMBER] = "street_number", [LINK_ROLE_ADDRESS2] = "address2",
	[LINK_ROLE_POSTCODE] = "postcode", [LINK_ROLE_CITY] = "city", [LINK_ROLE_REGION] = "region",
	[LINK_ROLE_TERC] = "terc",
};

const char *link_role_name(enum link_role r)
{
	return (unsigned)r < LINK_ROLE__MAX ? role_names[r] : NULL;
}

/* The date formats: Y, M and D stand for digits, anything else must be there as it is. */
static const char *const date_formats[] = {
	"YYYYMMDD", "YYYY-MM-DD", "DD.MM.YYYY", "DD/MM/YYYY", "DD-MM-YYYY", "YYYY/MM/DD", "MM/DD/YYYY", "YYYY.MM.DD",
};

int link_date_format_ok(const char *fmt)
{
	size_t i;

	for (i = 0; fmt != NULL && i < sizeof(date_formats) / sizeof(date_formats[0]); i++)
		if (strcmp(fmt, date_formats[i]) == 0)
			return 1;
	return 0;
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int calendar_ok(int y, int m, int d)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return y >= 1800 && y <= 2299 && m >= 1 && m <= 12 && d >= 1 &&
		d <= days[m - 1] + (m == 2 && leap(y));
}

/*
 * date_fields() reads s against fmt: a run of Y, M or D letters in fmt takes
 * that many digits, or (when the format has separators) one digit fewer for
 * D and M ("5.3.1980"); other characters must match.
 */
static int date_fields(const char *s, const char *fmt, int *y, int *m, int *d)
{
	int separated = strchr(fmt, '.') != NULL || strchr(fmt, '-') != NULL || strchr(fmt, '/') != NULL;

	*y = *m = *d = 0;
	while (*fmt != '\0') {
		char letter = *fmt;
		int want = 0, got = 0, value = 0;

		if (letter != 'Y' && letter != 'M' && letter != 'D') {
			if (*s++ != letter)
				return -1;
			fmt++;
			continue;
		}
		while (*fmt == letter) {
			want++;
			fmt++;
		}
		while (got < want && *s >= '0' && *s <= '9') {
			value = value * 10 + (*s++ - '0');
			got++;
		}
		if (got != want && !(separated && letter != 'Y' && got == want - 1 && got > 0))
			return -1;
		*(letter == 'Y' ? y : letter == 'M' ? m : d) = value;
	}
	return *s == '\0' || *s == 'T' || *s == ' ' ? 0 : -1;
}

int link_date_parse(const char *s, const char *fmt, int *out)
{
	char buf[64];
	size_t n;
	int y, m, d;

	*out = 0;
	if (s == NULL)
		return 1;
	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n == 0)
		return 1;
	if (n >= sizeof(buf) || !link_date_format_ok(fmt))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (date_fields(buf, fmt, &y, &m, &d) != 0)
		return -1;
	*out = y * 10000 + m * 100 + d;
	return calendar_ok(y, m, d) ? 0 : 2;
}

enum link_sex link_sex_parse(const char *s)
{
	static const char *const female[] = { "k", "f", "2", "female", "kobieta", "w", "woman", "z" };
	static const char *const male[] = { "m", "1", "male", "mezczyzna", "man" };
	char folded[LINK_TEXT_MAX];
	size_t i;

	if (link_fold(s, folded) == 0)
		return LINK_SEX_UNKNOWN;
	for (i = 0; i < sizeof(female) / sizeof(female[0]); i++)
		if (strcmp(folded, female[i]) == 0)
			return LINK_SEX_F;
	for (i = 0; i < sizeof(male) / sizeof(male[0]); i++)
		if (strcmp(folded, male[i]) == 0)
			return LINK_SEX_M;
	return LINK_SEX_UNKNOWN;
}

static void spec_error(char *err, size_t errlen, const char *fmt, const char *what)
{
	if (errlen > 0)
		snprintf(err, errlen, fmt, what);
}

/* spec_role() finds a role by name[0..n). */
static int spec_role(const char *name, size_t n)
{
	int r;

	for (r = 0; r < LINK_ROLE__MAX; r++)
		if (strlen(role_names[r]) == n && memcmp(role_names[r], name, n) == 0)
			return r;
	return -1;
}

/* trim_span() narrows [*b, *e) to its non-blank part. */
static void trim_span(const char **b, const char **e)
{
	while (*b < *e && (**b == ' ' || **b == '\t'))
		(*b)++;
	while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

/* spec_item() reads one "role=column[:FORMAT]" of [b, e) into spec. */
static int spec_item(const char *b, const char *e, struct link_spec *spec, size_t *used, char *err, size_t errlen)
{
	char item[256];
	const char *eq = memchr(b, '=', (size_t)(e - b)), *cb, *ce, *colon;
	int role;

	snprintf(item, sizeof(item), "%.*s", (int)(e - b), b);
	if (eq == NULL)
		return spec_error(err, errlen, "SPEC item \"%s\" is not role=column", item), -1;
	cb = eq;
	trim_span(&b, &cb);
	if ((role = spec_role(b, (size_t)(cb - b))) < 0)
		return spec_error(err, errlen, "SPEC: unknown role in \"%s\" (see razem link --help)", item), -1;
	if (spec->column[role] != NULL)
		return spec_error(err, errlen, "SPEC: role %s given twice", role_names[role]), -1;
	cb = eq + 1;
	ce = e;
	colon = role == LINK_ROLE_BIRTH ? memchr(cb, ':', (size_t)(ce - cb)) : NULL;
	if (colon != NULL) {
		const char *fb = colon + 1, *fe = e;

		trim_span(&fb, &fe);
		snprintf(spec->date_format, sizeof(spec->date_format), "%.*s", (int)(fe - fb), fb);
		if ((size_t)(fe - fb) >= sizeof(spec->date_format) || !link_date_format_ok(spec->date_format))
			return spec_error(err, errlen, "SPEC: unknown date format in \"%s\" (see razem link --help)", item), -1;
		ce = colon;
	}
	trim_span(&cb, &ce);
	if (cb == ce)
		return spec_error(err, errlen, "SPEC: no column name in \"%s\"", item), -1;
	if (*used + (size_t)(ce - cb) + 1 > sizeof(spec->storage))
		return spec_error(err, errlen, "SPEC is too long (%s)", "at most 512 bytes of column names"), -1;
	memcpy(spec->storage + *used, cb, (size_t)(ce - cb));
	spec->storage[*used + (size_t)(ce - cb)] = '\0';
	spec->column[role] = spec->storage + *used;
	*used += (size_t)(ce - cb) + 1;
	return 0;
}

int link_spec_parse(const char *s, struct link_spec *spec, char *err, size_t errlen)
{
	size_t used = 0;
	int r, mapped = 0;

	memset(spec, 0, sizeof(*spec));
	snprintf(spec->date_format, sizeof(spec->date_format), "YYYYMMDD");
	if (errlen > 0)
		err[0] = '\0';
	if (s == NULL || *s == '\0')
		return spec_error(err, errlen, "SPEC is empty%s", ""), -1;
	while (*s != '\0') {
		const char *e = strchr(s, ',');

		if (e == NULL)
			e = s + strlen(s);
		if (spec_item(s, e, spec, &used, err, errlen) != 0)
			return -1;
		s = *e == ',' ? e + 1 : e;
	}
	if (spec->column[LINK_ROLE_ID] == NULL)
		return spec_error(err, errlen, "SPEC: the id role is required%s", ""), -1;
	for (r = 0; r < LINK_ROLE__MAX; r++)
		mapped += r != LINK_ROLE_ID && spec->column[r] != NULL;
	if (mapped == 0)
		return spec_error(err, errlen, "SPEC: map at least one role besides id%s", ""), -1;
	return 0;
}
