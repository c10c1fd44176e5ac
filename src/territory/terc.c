/*
 * terc.c — the TERC parser: CSV by hand, XML through expat.
 */
#include "territory/terc.h"

#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"

/* The columns a row needs, by their GUS names (NAZDOD is the 2017 XML's NAZWA_DOD). */
enum { F_WOJ, F_POW, F_GMI, F_RODZ, F_NAZWA, F_STAN_NA, F__MAX };
static const char *const field_names[F__MAX] = { "WOJ", "POW", "GMI", "RODZ", "NAZWA", "STAN_NA" };

static void add_err(struct terc_errs *errs, const char *where, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add_err(struct terc_errs *errs, const char *where, long line, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (errs->n < TERC_ERRS_MAX) {
		char *m = errs->msg[errs->n];

		k = snprintf(m, sizeof(errs->msg[0]), "%s %ld: ", where, line);
		va_start(ap, fmt);
		if (k > 0 && (size_t)k < sizeof(errs->msg[0]))
			vsnprintf(m + k, sizeof(errs->msg[0]) - (size_t)k, fmt, ap);
		va_end(ap);
	}
	errs->n++;
}

static int digits(const char *s, size_t n)
{
	return s != NULL && strlen(s) == n && strspn(s, "0123456789") == n;
}

static int is_date(const char *s)
{
	return s != NULL && strlen(s) == 10 && strspn(s, "0123456789") == 4 && s[4] == '-' &&
	       digits((char[]){ s[5], s[6], 0 }, 2) && s[7] == '-' && digits((char[]){ s[8], s[9], 0 }, 2) &&
	       (s[5] - '0') * 10 + (s[6] - '0') >= 1 && (s[5] - '0') * 10 + (s[6] - '0') <= 12 &&
	       (s[8] - '0') * 10 + (s[9] - '0') >= 1 && (s[8] - '0') * 10 + (s[9] - '0') <= 31;
}

static enum unit_kind rodz_kind(char r)
{
	switch (r) {
	case '1': return UNIT_URBAN;
	case '2': return UNIT_RURAL;
	case '3': return UNIT_URBAN_RURAL;
	case '4': return UNIT_TOWN_PART;
	case '5': return UNIT_RURAL_PART;
	case '8': return UNIT_DISTRICT;
	case '9': return UNIT_DELEGATION;
	default: return UNIT__MAX;
	}
}

/*
 * emit() checks one row's fields (NULL or "" for an empty one) and hands
 * the unit to fn. Returns fn's result, or 0 after counting a bad row.
 */
static int emit(const char *const f[F__MAX], const char *where, long line, terc_row_fn fn, void *arg,
		struct terc_errs *errs)
{
	struct terc_row r;
	const char *pow = f[F_POW] != NULL ? f[F_POW] : "", *gmi = f[F_GMI] != NULL ? f[F_GMI] : "";
	const char *rodz = f[F_RODZ] != NULL ? f[F_RODZ] : "", *name = f[F_NAZWA];
	size_t nlen = name != NULL ? strlen(name) : 0;

	memset(&r, 0, sizeof(r));
	if (!digits(f[F_WOJ], 2) || strcmp(f[F_WOJ], "00") == 0)
		return add_err(errs, where, line, "WOJ '%.8s' is not a 2-digit voivodeship code",
			       f[F_WOJ] != NULL ? f[F_WOJ] : ""), 0;
	if (pow[0] != '\0' && (!digits(pow, 2) || strcmp(pow, "00") == 0))
		return add_err(errs, where, line, "POW '%.8s' is not a 2-digit powiat code", pow), 0;
	if (gmi[0] != '\0' && (pow[0] == '\0' || !digits(gmi, 2) || strcmp(gmi, "00") == 0))
		return add_err(errs, where, line, "GMI '%.8s' is not a 2-digit gmina code of a powiat", gmi), 0;
	if ((gmi[0] == '\0') != (rodz[0] == '\0'))
		return add_err(errs, where, line, "RODZ must be given exactly for a gmina row"), 0;
	if (rodz[0] != '\0' && (strlen(rodz) != 1 || rodz_kind(rodz[0]) == UNIT__MAX))
		return add_err(errs, where, line, "RODZ '%.8s' is not a kind of unit (1-5, 8, 9)", rodz), 0;
	if (nlen == 0 || nlen > TERC_NAME_MAX || !utf8_valid(name, nlen))
		return add_err(errs, where, line, "NAZWA is %s",
			       nlen == 0 ? "empty" : nlen > TERC_NAME_MAX ? "too long" : "not UTF-8"), 0;
	if (!is_date(f[F_STAN_NA]))
		return add_err(errs, where, line, "STAN_NA '%.12s' is not a date YYYY-MM-DD",
			       f[F_STAN_NA] != NULL ? f[F_STAN_NA] : ""), 0;
	if (pow[0] == '\0') {
		snprintf(r.code, sizeof(r.code), "%s", f[F_WOJ]);
		r.kind = UNIT_VOIVODESHIP;
	} else if (gmi[0] == '\0') {
		snprintf(r.code, sizeof(r.code), "%.2s%.2s", f[F_WOJ], pow);
		snprintf(r.parent, sizeof(r.parent), "%.2s", f[F_WOJ]);
		/* POW 61-99 are cities with powiat rights (DOMAIN.md 5.4) */
		r.kind = strcmp(pow, "61") >= 0 ? UNIT_CITY_POWIAT : UNIT_POWIAT;
	} else {
		snprintf(r.code, sizeof(r.code), "%.2s%.2s%.2s%c", f[F_WOJ], pow, gmi, rodz[0]);
		snprintf(r.parent, sizeof(r.parent), "%.2s%.2s", f[F_WOJ], pow);
		r.kind = rodz_kind(rodz[0]);
	}
	r.name = name;
	memcpy(r.valid_from, f[F_STAN_NA], 10);
	r.line = line;
	return fn(arg, &r);
}

/* ------------------------------------------------------------------ */
/* CSV                                                                 */
/* ------------------------------------------------------------------ */

#define CSV_MAX_FIELDS 16
#define CSV_LINE_MAX 2048

/* skip_line() moves *p past the line end after s, for a record refused half-read; returns -1. */
static int skip_line(const char **p, const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));

	*p = nl != NULL ? nl + 1 : end;
	return -1;
}

/*
 * csv_record() splits one record starting at *p into fields (unquoted,
 * "" inside quotes is one "), stored in buf; a quoted field may hold a
 * newline. Advances *p past the record's line end and *line by the lines
 * it spans. Returns the field count, or -1 for an unterminated quote or a
 * record too long (then *p is past the next line end: parsing goes on).
 */
static int csv_record(const char **p, const char *end, long *line, char *buf, char *fields[CSV_MAX_FIELDS])
{
	const char *s = *p;
	size_t o = 0;
	int n = 0, quoted = 0, started = 0;

	fields[n++] = buf;
	while (s < end) {
		char ch = *s++;

		if (o + 2 >= CSV_LINE_MAX)
			return skip_line(p, s, end);
		if (quoted) {
			if (ch == '"' && s < end && *s == '"') {
				buf[o++] = '"';
				s++;
			} else if (ch == '"') {
				quoted = 0;
			} else {
				if (ch == '\n')
					(*line)++;
				buf[o++] = ch;
			}
			continue;
		}
		if (ch == '"' && !started) {
			quoted = started = 1;
		} else if (ch == ';') {
			buf[o++] = '\0';
			if (n == CSV_MAX_FIELDS)
				return skip_line(p, s, end);
			fields[n++] = buf + o;
			started = 0;
		} else if (ch == '\n') {
			break;
		} else if (ch == '\r' && (s == end || *s == '\n')) {
			continue;
		} else {
			buf[o++] = ch;
			started = 1;
		}
	}
	buf[o] = '\0';
	*p = s;
	return quoted ? -1 : n;
}

static int csv_blank(char *fields[], int n)
{
	return n == 1 && str_trim(fields[0])[0] == '\0';
}

static int parse_csv(const char *p, const char *end, terc_row_fn fn, void *arg, struct terc_errs *errs)
{
	char buf[CSV_LINE_MAX], *fields[CSV_MAX_FIELDS];
	int col[F__MAX], n, i, j, rc;
	long line = 1, at;

	n = csv_record(&p, end, &line, buf, fields);
	if (n < 0)
		return add_err(errs, "line", 1L, "the header cannot be read"), 1;
	for (i = 0; i < F__MAX; i++) {
		col[i] = -1;
		for (j = 0; j < n; j++)
			if (strcmp(str_trim(fields[j]), field_names[i]) == 0)
				col[i] = j;
		if (col[i] < 0)
			return add_err(errs, "line", 1L, "the header has no column %s (is this a TERC file?)",
				       field_names[i]), 1;
	}
	while (p < end) {
		const char *f[F__MAX];

		at = ++line;
		n = csv_record(&p, end, &line, buf, fields);
		if (n < 0) {
			add_err(errs, "line", at, "unterminated quote or line too long");
			continue;
		}
		if (csv_blank(fields, n))
			continue;
		for (i = 0; i < F__MAX; i++)
			f[i] = col[i] < n ? str_trim(fields[col[i]]) : NULL;
		rc = emit(f, "line", at, fn, arg, errs);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* XML                                                                 */
/* ------------------------------------------------------------------ */

struct xml {
	XML_Parser p;
	terc_row_fn fn;
	void *arg;
	struct terc_errs *errs;
	int in_row, field, depth, rc;    /* field: F_*, -1 outside a column */
	char val[F__MAX][TERC_NAME_MAX + 32];
	size_t len[F__MAX];
	int over[F__MAX];
	char catalog_date[11];
};

static int field_index(const char *name)
{
	int i;

	for (i = 0; i < F__MAX; i++)
		if (strcmp(name, field_names[i]) == 0)
			return i;
	return -1;
}

static void XMLCALL xml_start(void *ud, const XML_Char *el, const XML_Char **attr)
{
	struct xml *x = ud;
	int i;

	x->depth++;
	if (strcmp(el, "catalog") == 0) {
		for (i = 0; attr[i] != NULL; i += 2)
			if (strcmp(attr[i], "date") == 0 && is_date(attr[i + 1]))
				memcpy(x->catalog_date, attr[i + 1], 11);
	} else if (strcmp(el, "row") == 0) {
		x->in_row = 1;
		memset(x->len, 0, sizeof(x->len));
		memset(x->over, 0, sizeof(x->over));
		for (i = 0; i < F__MAX; i++)
			x->val[i][0] = '\0';
	} else if (x->in_row && strcmp(el, "col") == 0) {
		x->field = -1;
		for (i = 0; attr[i] != NULL; i += 2)
			if (strcmp(attr[i], "name") == 0)
				x->field = field_index(attr[i + 1]);
	} else if (x->in_row) {
		x->field = field_index(el);
	}
}

static void XMLCALL xml_text(void *ud, const XML_Char *s, int n)
{
	struct xml *x = ud;
	int f = x->field;

	if (!x->in_row || f < 0)
		return;
	if (x->len[f] + (size_t)n >= sizeof(x->val[0])) {
		x->over[f] = 1;
		return;
	}
	memcpy(x->val[f] + x->len[f], s, (size_t)n);
	x->len[f] += (size_t)n;
	x->val[f][x->len[f]] = '\0';
}

static void XMLCALL xml_end(void *ud, const XML_Char *el)
{
	struct xml *x = ud;
	const char *f[F__MAX];
	int i, rc;

	x->depth--;
	x->field = -1;
	if (strcmp(el, "row") != 0 || !x->in_row)
		return;
	x->in_row = 0;
	for (i = 0; i < F__MAX; i++)
		f[i] = x->over[i] ? "(too long)" : str_trim(x->val[i]);
	if (f[F_STAN_NA][0] == '\0' && x->catalog_date[0] != '\0')
		f[F_STAN_NA] = x->catalog_date; /* a row may rely on its catalogue's date */
	rc = emit(f, "XML <row> ending on line", (long)XML_GetCurrentLineNumber(x->p), x->fn, x->arg, x->errs);
	if (rc < 0) {
		x->rc = rc;
		XML_StopParser(x->p, XML_FALSE);
	}
}

static int parse_xml(const char *p, size_t len, terc_row_fn fn, void *arg, struct terc_errs *errs)
{
	struct xml *x = calloc(1, sizeof(*x));
	int ok, rc;

	if (x == NULL || (x->p = XML_ParserCreate("UTF-8")) == NULL) {
		free(x);
		return add_err(errs, "line", 0L, "out of memory"), 1;
	}
	x->fn = fn;
	x->arg = arg;
	x->errs = errs;
	x->field = -1;
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, xml_start, xml_end);
	XML_SetCharacterDataHandler(x->p, xml_text);
	ok = len <= (size_t)0x7fffffff && XML_Parse(x->p, p, (int)len, XML_TRUE) == XML_STATUS_OK;
	rc = x->rc;
	if (!ok && rc == 0)
		add_err(errs, "XML line", (long)XML_GetCurrentLineNumber(x->p), "%s",
			XML_ErrorString(XML_GetErrorCode(x->p)));
	XML_ParserFree(x->p);
	free(x);
	return rc;
}

int terc_parse(const char *data, size_t len, terc_row_fn fn, void *arg, struct terc_errs *errs)
{
	const char *p = data, *end = data + len;
	int rc;

	memset(errs, 0, sizeof(*errs));
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p == end) {
		add_err(errs, "line", 1L, "the file is empty");
		return 1;
	}
	/* expat reads the BOM itself; the CSV reader starts after it */
	rc = *p == '<' ? parse_xml(data, len, fn, arg, errs) : parse_csv(p, end, fn, arg, errs);
	if (rc < 0)
		return rc;
	return errs->n > 0 ? 1 : 0;
}
