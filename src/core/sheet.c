/*
 * sheet.c — CSV and XLSX exports written row by row from the same calls.
 * CSV is collected in memory (BOM, ';', CRLF, RFC 4180 quoting, an
 * apostrophe in front of text that a spreadsheet would take for a
 * formula); XLSX is streamed by libxlsxwriter in constant-memory mode into
 * a private temporary file that sheet_finish() reads back. Typed cells
 * (integers, dates, UTC date-times shown in local time) become numbers and
 * dates where they parse; anything that does not parse is written as text,
 * so a bad value never breaks an export and never escapes the guard.
 */
#include "core/sheet.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#define CSV_MAX ((size_t)1 << 30)     /* a CSV export is held in memory */
#define SCRATCH_MAX ((size_t)1 << 20) /* one cleaned-up XLSX cell */
#define XLSX_TEXT_MAX 32767           /* Excel's cell text limit (UTF-16 units) */
#define XLSX_NAME_MAX 31              /* Excel's worksheet name limit */
#define XLSX_EXACT_MAX 999999999999999LL /* Excel keeps 15 digits exactly */
#define READ_CHUNK 65536
#define FILE_CHUNK 65536 /* file mode: CSV is written in pieces of this size */
#define XLSX_WIDTH_MIN 8              /* column widths, in characters */
#define XLSX_WIDTH_MAX 60

struct sheet {
	enum sheet_format format;
	int failed;          /* a row failed: sheet_finish() refuses */
	int finished;        /* sheet_finish() was called */
	unsigned long rows;  /* rows written so far (the header included) */
	size_t ncols;        /* columns in the header row */
	int wrote;           /* XLSX: a cell has been written */
	struct buf csv;      /* CSV: the file so far */
	struct buf scratch;  /* XLSX: cleaned-up cell text */
	char *tmpdir;        /* XLSX: directory for libxlsxwriter's files */
	char *path;          /* XLSX: the output file, removed by sheet_free() (file mode: unless finished) */
	FILE *out;           /* CSV in file mode: where full pieces of csv go */
	int keep;            /* file mode: finished, the file stays */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold;
	lxw_format *date;
	lxw_format *datetime;
	unsigned char *width; /* XLSX: widest text per column so far, in characters (capped) */
};

/* A broken-down calendar time. */
struct stamp {
	int year, mon, day, hour, min, sec;
};

/* ---- parsing of typed cells ---- */

/* digits() reads n decimal digits at p; -1 when one is not a digit. */
static int digits(const char *p, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

static int days_in_month(int year, int mon)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return mon == 2 && leap ? 29 : days[mon - 1];
}

/* parse_int() accepts an optional '-' and 1 to 18 digits. */
static int parse_int(const char *s, long long *v)
{
	const char *p = s[0] == '-' ? s + 1 : s;
	size_t n = strlen(p);
	char *end;

	if (n == 0 || n > 18 || strspn(p, "0123456789") != n)
		return -1;
	*v = strtoll(s, &end, 10);
	return *end == '\0' ? 0 : -1;
}

/* parse_ymd() reads "YYYY-MM-DD" at s into st (the date fields only). */
static int parse_ymd(const char *s, struct stamp *st)
{
	if (s[4] != '-' || s[7] != '-')
		return -1;
	st->year = digits(s, 4);
	st->mon = digits(s + 5, 2);
	st->day = digits(s + 8, 2);
	if (st->year < 1 || st->mon < 1 || st->mon > 12 || st->day < 1)
		return -1;
	if (st->day > days_in_month(st->year, st->mon))
		return -1;
	st->hour = 0;
	st->min = 0;
	st->sec = 0;
	return 0;
}

/* parse_date() accepts exactly "YYYY-MM-DD". */
static int parse_date(const char *s, struct stamp *st)
{
	if (strlen(s) != 10)
		return -1;
	return parse_ymd(s, st);
}

/* days_from_civil() counts days from 1970-01-01 (proleptic Gregorian). */
static long long days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/*
 * local_datetime() accepts exactly "YYYY-MM-DDTHH:MM:SSZ" (UTC) and gives
 * the process's local time for it.
 */
static int local_datetime(const char *s, struct stamp *st)
{
	struct stamp u;
	struct tm tm;
	time_t t;

	if (strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	if (parse_ymd(s, &u) != 0)
		return -1;
	u.hour = digits(s + 11, 2);
	u.min = digits(s + 14, 2);
	u.sec = digits(s + 17, 2);
	if (u.hour < 0 || u.hour > 23 || u.min < 0 || u.min > 59 || u.sec < 0 || u.sec > 59)
		return -1;
	t = (time_t)(days_from_civil(u.year, u.mon, u.day) * 86400
		+ u.hour * 3600 + u.min * 60 + u.sec);
	if (localtime_r(&t, &tm) == NULL)
		return -1;
	st->year = tm.tm_year + 1900;
	st->mon = tm.tm_mon + 1;
	st->day = tm.tm_mday;
	st->hour = tm.tm_hour;
	st->min = tm.tm_min;
	st->sec = tm.tm_sec;
	return st->year >= 1 && st->year <= 9999 ? 0 : -1;
}

/* ---- UTF-8 ---- */

/* utf8_seq() is the length of the valid UTF-8 sequence at p, or 0. */
static size_t utf8_seq(const unsigned char *p)
{
	unsigned int cp;
	size_t len, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		len = 2;
		cp = p[0] & 0x1Fu;
	} else if ((p[0] & 0xF0) == 0xE0) {
		len = 3;
		cp = p[0] & 0x0Fu;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		len = 4;
		cp = p[0] & 0x07u;
	} else {
		return 0;
	}
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3Fu);
	}
	if (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
		return 0;
	if (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))
		return 0;
	return len;
}

/* is_xescape() tells whether p starts "_xHHHH_", which Excel would decode. */
static int is_xescape(const char *p)
{
	return p[0] == '_' && p[1] == 'x' && strspn(p + 2, "0123456789abcdefABCDEF") >= 4
		&& p[6] == '_';
}

/*
 * xlsx_text() copies s into b as valid UTF-8 for a cell: invalid bytes
 * become U+FFFD, a literal "_xHHHH_" is protected from Excel's decoding,
 * and the text is cut at a character boundary to max UTF-16 units.
 */
static const char *xlsx_text(struct buf *b, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t units = 0, len, u;
	int esc;

	buf_reset(b);
	buf_add(b, "", 0);
	while (*p != '\0') {
		len = utf8_seq(p);
		esc = is_xescape((const char *)p);
		u = (len == 4 ? 2 : 1) + (esc ? 6 : 0);
		if (units + u > max)
			break;
		if (esc)
			buf_adds(b, "_x005F");
		if (len == 0) {
			buf_adds(b, "\xEF\xBF\xBD");
			len = 1;
		} else {
			buf_add(b, p, len);
		}
		p += len;
		units += u;
	}
	return b->failed ? NULL : b->data;
}

/* utf8_chars() counts the characters of valid UTF-8 text. */
/*
 * sheet_name() makes an Excel worksheet name from title: invalid UTF-8,
 * control characters and []:*?/\ become '_', as does an apostrophe at
 * either end; at most 31 characters; "Arkusz1" when nothing is left.
 */
static void sheet_name(char *out, size_t size, const char *title)
{
	const unsigned char *p = (const unsigned char *)(title != NULL ? title : "");
	size_t o = 0, units = 0, len, u;

	while (*p != '\0') {
		len = utf8_seq(p);
		u = len == 4 ? 2 : 1;
		if (units + u > XLSX_NAME_MAX || o + 4 >= size)
			break;
		if (len == 0 || *p < 0x20 || *p == 0x7F || strchr("[]:*?/\\", *p) != NULL) {
			out[o++] = '_';
			len = 1;
		} else {
			memcpy(out + o, p, len);
			o += len;
		}
		p += len;
		units += u;
	}
	out[o] = '\0';
	if (o == 0 || strcasecmp(out, "History") == 0) {
		snprintf(out, size, "%s", o == 0 ? "Arkusz1" : "History_");
		return;
	}
	if (out[0] == '\'')
		out[0] = '_';
	if (out[o - 1] == '\'')
		out[o - 1] = '_';
}

/* ---- CSV ---- */

/* csv_text() writes one text field: formula guard, then RFC 4180 quoting. */
static void csv_text(struct buf *b, const char *s)
{
	size_t n = strlen(s);
	int guard = n > 0 && strchr("=+-@\t\r", s[0]) != NULL;
	int quote = strpbrk(s, ";\"\r\n") != NULL || (n > 0 && (s[0] == ' ' || s[n - 1] == ' '));
	const char *q;

	if (quote)
		buf_addc(b, '"');
	if (guard)
		buf_addc(b, '\'');
	if (quote) {
		for (q = strchr(s, '"'); q != NULL; q = strchr(s, '"')) {
			buf_add(b, s, (size_t)(q - s) + 1);
			buf_addc(b, '"');
			s = q + 1;
		}
	}
	buf_adds(b, s);
	if (quote)
		buf_addc(b, '"');
}

/* csv_cell() writes a typed value as is when it parses, else as text. */
static void csv_cell(struct buf *b, const char *v, enum sheet_cell type)
{
	struct stamp st;
	long long n;

	switch (type) {
	case CELL_INT:
		if (parse_int(v, &n) == 0) {
			buf_adds(b, v);
			return;
		}
		break;
	case CELL_DATE:
		if (parse_date(v, &st) == 0) {
			buf_adds(b, v);
			return;
		}
		break;
	case CELL_DATETIME:
		if (local_datetime(v, &st) == 0) {
			buf_addf(b, "%04d-%02d-%02d %02d:%02d:%02d", st.year, st.mon, st.day,
				st.hour, st.min, st.sec);
			return;
		}
		break;
	default:
		break;
	}
	csv_text(b, v);
}

/* csv_flush() writes what is buffered to the file (file mode). */
static int csv_flush(struct sheet *s)
{
	if (s->csv.len > 0 && fwrite(s->csv.data, 1, s->csv.len, s->out) != s->csv.len)
		return -1;
	buf_reset(&s->csv);
	return 0;
}

static int csv_row(struct sheet *s, const char *const *cells, const enum sheet_cell *types, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&s->csv, ';');
		if (cells[i] != NULL)
			csv_cell(&s->csv, cells[i], types != NULL ? types[i] : CELL_TEXT);
	}
	buf_adds(&s->csv, "\r\n");
	if (s->csv.failed)
		return -1;
	return s->out != NULL && s->csv.len >= FILE_CHUNK ? csv_flush(s) : 0;
}

/* csv_finish() appends the CSV to dst, handing the memory over when dst is empty. */
static int csv_finish(struct sheet *s, struct buf *dst)
{
	if (s->csv.failed)
		return -1;
	if (dst->len == 0 && !dst->failed && s->csv.len <= dst->max) {
		free(dst->data);
		dst->data = s->csv.data;
		dst->len = s->csv.len;
		dst->cap = s->csv.cap;
		buf_init(&s->csv, CSV_MAX);
		return 0;
	}
	return buf_add(dst, s->csv.data, s->csv.len);
}

/* ---- XLSX ---- */

/* widen() records that column c holds text chars wide (the longest line counts). */
static void widen(struct sheet *s, lxw_col_t c, size_t chars)
{
	if (s->width == NULL || c >= s->ncols)
		return;
	if (chars > XLSX_WIDTH_MAX)
		chars = XLSX_WIDTH_MAX;
	if (chars > s->width[c])
		s->width[c] = (unsigned char)chars;
}

/* line_chars() is the length in characters of the longest line of text. */
static size_t line_chars(const char *text)
{
	size_t best = 0, n = 0;

	for (; *text != '\0'; text++) {
		if (*text == '\n') {
			n = 0;
			continue;
		}
		n += ((unsigned char)*text & 0xC0) != 0x80;
		if (n > best)
			best = n;
	}
	return best;
}

static int xlsx_string(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *v, lxw_format *f)
{
	const char *text = xlsx_text(&s->scratch, v, XLSX_TEXT_MAX);

	if (text == NULL || worksheet_write_string(s->ws, r, c, text, f) != LXW_NO_ERROR)
		return -1;
	widen(s, c, line_chars(text) + (f == s->bold ? 3 : 1)); /* bold and the filter arrow need room */
	s->wrote = 1;
	return 0;
}

static int xlsx_stamp(struct sheet *s, lxw_row_t r, lxw_col_t c, const struct stamp *st, lxw_format *f)
{
	lxw_datetime dt = { st->year, st->mon, st->day, st->hour, st->min, st->sec };

	if (worksheet_write_datetime(s->ws, r, c, &dt, f) != LXW_NO_ERROR)
		return -1;
	widen(s, c, f == s->datetime ? 17 : 11); /* YYYY-MM-DD HH:MM, YYYY-MM-DD */
	s->wrote = 1;
	return 0;
}

static int xlsx_number(struct sheet *s, lxw_row_t r, lxw_col_t c, double v)
{
	char digits_of[32];

	if (worksheet_write_number(s->ws, r, c, v, NULL) != LXW_NO_ERROR)
		return -1;
	widen(s, c, (size_t)snprintf(digits_of, sizeof(digits_of), "%.0f", v) + 1);
	s->wrote = 1;
	return 0;
}

/* xlsx_cell() writes a number or date where the value parses, else a string. */
static int xlsx_cell(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *v, enum sheet_cell type)
{
	struct stamp st;
	long long n;

	switch (type) {
	case CELL_INT:
		if (parse_int(v, &n) == 0 && n >= -XLSX_EXACT_MAX && n <= XLSX_EXACT_MAX)
			return xlsx_number(s, r, c, (double)n);
		break;
	case CELL_DATE:
		if (parse_date(v, &st) == 0 && st.year >= 1900)
			return xlsx_stamp(s, r, c, &st, s->date);
		break;
	case CELL_DATETIME:
		if (local_datetime(v, &st) == 0 && st.year >= 1900)
			return xlsx_stamp(s, r, c, &st, s->datetime);
		break;
	default:
		break;
	}
	return xlsx_string(s, r, c, v, NULL);
}

/*
 * xlsx_header() writes the bold header row and freezes it. The columns
 * are sized at the end (xlsx_widths()), when every value has been seen.
 */
static int xlsx_header(struct sheet *s, const char *const *cells, size_t n)
{
	size_t i;

	s->width = calloc(n > 0 ? n : 1, 1);
	if (s->width == NULL)
		return -1;
	s->ncols = n;
	for (i = 0; i < n; i++)
		if (xlsx_string(s, 0, (lxw_col_t)i, cells[i] != NULL ? cells[i] : "", s->bold) != 0)
			return -1;
	worksheet_freeze_panes(s->ws, 1, 0);
	return 0;
}

/* xlsx_widths() sets each column as wide as its header or widest value, within limits. */
static int xlsx_widths(struct sheet *s)
{
	size_t i, w;

	for (i = 0; i < s->ncols && s->width != NULL; i++) {
		w = (size_t)s->width[i] + 1;
		w = w < XLSX_WIDTH_MIN ? XLSX_WIDTH_MIN : w > XLSX_WIDTH_MAX ? XLSX_WIDTH_MAX : w;
		if (worksheet_set_column(s->ws, (lxw_col_t)i, (lxw_col_t)i, (double)w, NULL) != LXW_NO_ERROR)
			return -1;
	}
	return 0;
}

static int xlsx_row(struct sheet *s, const char *const *cells, const enum sheet_cell *types, size_t n)
{
	lxw_row_t r = (lxw_row_t)s->rows;
	size_t i;

	if (s->rows >= LXW_ROW_MAX || n > LXW_COL_MAX)
		return -1;
	if (s->rows == 0)
		return xlsx_header(s, cells, n);
	for (i = 0; i < n; i++) {
		if (cells[i] == NULL || cells[i][0] == '\0')
			continue;
		if (xlsx_cell(s, r, (lxw_col_t)i, cells[i], types != NULL ? types[i] : CELL_TEXT) != 0)
			return -1;
	}
	return 0;
}

/* read_file() appends the file at path to dst, refusing past dst->max. */
static int read_file(const char *path, struct buf *dst)
{
	char chunk[READ_CHUNK];
	struct stat st;
	FILE *f;
	size_t n;
	int ret = -1;

	f = fopen(path, "rb");
	if (f == NULL)
		goto out;
	if (fstat(fileno(f), &st) != 0 || st.st_size < 0)
		goto out;
	if (dst->failed || (uintmax_t)st.st_size > dst->max - dst->len) {
		dst->failed = 1;
		goto out;
	}
	do {
		n = fread(chunk, 1, sizeof chunk, f);
		if (buf_add(dst, chunk, n) != 0)
			goto out;
	} while (n == sizeof chunk);
	if (ferror(f))
		goto out;
	ret = 0;
out:
	if (f != NULL)
		fclose(f);
	return ret;
}

/*
 * xlsx_close() writes the file and frees the workbook. libxlsxwriter
 * 1.1.4 leaks its constant-memory temporary file (an open descriptor)
 * when a sheet has no cell at all, so an empty sheet gets a blank A1.
 */
static lxw_error xlsx_close(struct sheet *s)
{
	lxw_error err;

	if (s->ws != NULL && !s->wrote)
		(void)worksheet_write_blank(s->ws, 0, 0, s->bold);
	err = workbook_close(s->wb);
	s->wb = NULL;
	s->ws = NULL;
	return err;
}

/*
 * xlsx_finish() closes the workbook, which writes the file, and appends
 * the file to dst. The file is removed at once.
 */
static int xlsx_finish(struct sheet *s, struct buf *dst)
{
	lxw_error err;
	int ret = -1;

	if (s->ncols > 0)
		(void)worksheet_autofilter(s->ws, 0, 0, (lxw_row_t)(s->rows - 1),
			(lxw_col_t)(s->ncols - 1));
	if (xlsx_widths(s) != 0)
		goto out;
	err = xlsx_close(s);
	if (err != LXW_NO_ERROR)
		goto out;
	if (read_file(s->path, dst) != 0)
		goto out;
	ret = 0;
out:
	unlink(s->path);
	free(s->path);
	s->path = NULL;
	return ret;
}

/* xlsx_open() creates the temporary file and the workbook with its formats. */
static int xlsx_open(struct sheet *s, const char *title, const char *tmpdir)
{
	lxw_workbook_options opt = { LXW_TRUE, NULL, LXW_FALSE };
	char name[XLSX_NAME_MAX * 4 + 1];
	char *path;
	size_t len;
	int fd;
	int ret = -1;

	if (tmpdir == NULL || tmpdir[0] == '\0')
		tmpdir = getenv("TMPDIR");
	if (tmpdir == NULL || tmpdir[0] == '\0')
		tmpdir = "/tmp";
	s->tmpdir = strdup(tmpdir);
	if (s->tmpdir == NULL)
		goto out;
	len = strlen(tmpdir) + sizeof "/razem-XXXXXX.xlsx";
	path = malloc(len);
	if (path == NULL)
		goto out;
	snprintf(path, len, "%s/razem-XXXXXX.xlsx", tmpdir);
	fd = mkstemps(path, 5);
	if (fd < 0) {
		free(path);
		goto out;
	}
	close(fd);
	if (s->path != NULL) { /* file mode: the named file instead */
		unlink(path);
		free(path);
	} else {
		s->path = path;
	}
	opt.tmpdir = s->tmpdir;
	s->wb = workbook_new_opt(s->path, &opt);
	if (s->wb == NULL)
		goto out;
	sheet_name(name, sizeof name, title);
	s->ws = workbook_add_worksheet(s->wb, name);
	s->bold = workbook_add_format(s->wb);
	s->date = workbook_add_format(s->wb);
	s->datetime = workbook_add_format(s->wb);
	if (s->ws == NULL || s->bold == NULL || s->date == NULL || s->datetime == NULL)
		goto out;
	format_set_bold(s->bold);
	format_set_num_format(s->date, "dd.mm.yyyy");
	format_set_num_format(s->datetime, "dd.mm.yyyy hh:mm");
	ret = 0;
out:
	return ret;
}

/* ---- the interface ---- */

struct sheet *sheet_new(enum sheet_format format, const char *title, const char *tmpdir)
{
	struct sheet *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->format = format;
	buf_init(&s->csv, CSV_MAX);
	buf_init(&s->scratch, SCRATCH_MAX);
	if (format == SHEET_CSV) {
		buf_add(&s->csv, "\xEF\xBB\xBF", 3);
	} else if (format != SHEET_XLSX || xlsx_open(s, title, tmpdir) != 0) {
		sheet_free(s);
		return NULL;
	}
	return s;
}

/* A failed row poisons the sheet: a partial export is never delivered. */
int sheet_row(struct sheet *s, const char *const *cells, const enum sheet_cell *types, size_t n)
{
	int ret = -1;

	if (s == NULL)
		return -1;
	if (s->failed || s->finished || (cells == NULL && n > 0))
		goto out;
	if (s->format == SHEET_CSV)
		ret = csv_row(s, cells, types, n);
	else
		ret = xlsx_row(s, cells, types, n);
out:
	if (ret == 0)
		s->rows++;
	else
		s->failed = 1;
	return ret;
}

int sheet_finish(struct sheet *s, struct buf *out)
{
	if (s == NULL || out == NULL || s->finished)
		return -1;
	s->finished = 1;
	if (s->failed)
		return -1;
	if (s->format == SHEET_CSV)
		return csv_finish(s, out);
	return xlsx_finish(s, out);
}

struct sheet *sheet_new_file(enum sheet_format format, const char *title, const char *path)
{
	struct sheet *s = calloc(1, sizeof *s);
	char *dir = NULL, *slash;

	if (s == NULL)
		return NULL;
	s->format = format;
	buf_init(&s->csv, CSV_MAX);
	buf_init(&s->scratch, SCRATCH_MAX);
	s->path = strdup(path);
	if (s->path == NULL)
		goto fail;
	if (format == SHEET_CSV) {
		s->out = fopen(path, "wb");
		if (s->out == NULL)
			goto fail;
		buf_add(&s->csv, "\xEF\xBB\xBF", 3);
		return s;
	}
	/* libxlsxwriter's own temporary files go beside the result */
	dir = strdup(path);
	if (dir == NULL)
		goto fail;
	slash = strrchr(dir, '/');
	if (slash != NULL)
		*slash = '\0';
	if (format != SHEET_XLSX || xlsx_open(s, title, slash != NULL ? dir : ".") != 0)
		goto fail;
	free(dir);
	return s;
fail:
	free(dir);
	sheet_free(s);
	return NULL;
}

int sheet_finish_file(struct sheet *s)
{
	int ret = -1;

	if (s == NULL || s->finished || s->path == NULL)
		return -1;
	s->finished = 1;
	if (s->failed)
		return -1;
	if (s->format == SHEET_CSV) {
		ret = csv_flush(s);
		if (fclose(s->out) != 0)
			ret = -1;
		s->out = NULL;
	} else {
		if (s->ncols > 0)
			(void)worksheet_autofilter(s->ws, 0, 0, (lxw_row_t)(s->rows - 1),
				(lxw_col_t)(s->ncols - 1));
		/* column widths are written with the sheet's head at close, also in constant-memory mode */
		ret = xlsx_widths(s) == 0 && xlsx_close(s) == LXW_NO_ERROR ? 0 : -1;
	}
	if (ret == 0)
		s->keep = 1;
	return ret;
}

void sheet_free(struct sheet *s)
{
	if (s == NULL)
		return;
	if (s->wb != NULL)
		xlsx_close(s); /* the only way to free it with its files */
	if (s->out != NULL)
		fclose(s->out);
	if (s->path != NULL) {
		if (!s->keep)
			unlink(s->path);
		free(s->path);
	}
	free(s->tmpdir);
	free(s->width);
	buf_release(&s->csv);
	buf_release(&s->scratch);
	free(s);
}

const char *sheet_content_type(enum sheet_format format)
{
	if (format == SHEET_XLSX)
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	return "text/csv; charset=utf-8";
}

const char *sheet_extension(enum sheet_format format)
{
	return format == SHEET_XLSX ? "xlsx" : "csv";
}
