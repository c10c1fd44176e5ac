/*
 * tests/unit/core/sheet.c — CSV and XLSX exports: BOM, separator, CRLF,
 * RFC 4180 quoting, the formula guard, typed cells and local time, the
 * XLSX zip and its worksheet XML (when unzip is installed), large sheets,
 * removal of the temporary file and failure on a too-small output buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/sheet.h"

#define BOM "\xEF\xBB\xBF"
#define MAXBUF ((size_t)64 << 20)

/* ---- helpers ---- */

/* make_dir() creates a fresh private directory under /tmp. */
static char *make_dir(void)
{
	char *dir = strdup("/tmp/razem-sheet-test-XXXXXX");

	assert_non_null(dir);
	assert_non_null(mkdtemp(dir));
	return dir;
}

/* count_entries() counts the entries of dir other than . and .. */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	for (e = readdir(d); e != NULL; e = readdir(d)) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	}
	closedir(d);
	return n;
}

/* csv_rows() renders rows (nrows x ncols) as CSV into out. */
static void csv_rows(struct buf *out, const char *const *cells, const enum sheet_cell *types,
	size_t nrows, size_t ncols)
{
	struct sheet *s = sheet_new(SHEET_CSV, "Test", NULL);
	size_t r;

	assert_non_null(s);
	for (r = 0; r < nrows; r++)
		assert_int_equal(sheet_row(s, cells + r * ncols, types, ncols), 0);
	assert_int_equal(sheet_finish(s, out), 0);
	sheet_free(s);
}

/* csv_one() renders a single row and checks it (without the BOM and CRLF). */
static void csv_one(const char *const *cells, const enum sheet_cell *types, size_t n,
	const char *want)
{
	struct buf out = BUF_INIT(MAXBUF);
	struct buf exp = BUF_INIT(MAXBUF);

	csv_rows(&out, cells, types, 1, n);
	buf_addf(&exp, BOM "%s\r\n", want);
	assert_string_equal(buf_str(&out), buf_str(&exp));
	buf_release(&out);
	buf_release(&exp);
}

static int have_unzip(void)
{
	return system("command -v unzip >/dev/null 2>&1") == 0;
}

/* unzip_member() extracts member of the zip in data into out; -1 if it fails. */
static int unzip_member(const struct buf *data, const char *member, struct buf *out)
{
	char *dir = make_dir();
	char path[256], cmd[512], chunk[4096];
	FILE *f, *p;
	size_t n;
	int ret = -1;

	snprintf(path, sizeof path, "%s/x.xlsx", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data->data, 1, data->len, f), data->len);
	fclose(f);
	snprintf(cmd, sizeof cmd, "unzip -p '%s' '%s' 2>/dev/null", path, member);
	p = popen(cmd, "r");
	if (p != NULL) {
		for (n = fread(chunk, 1, sizeof chunk, p); n > 0; n = fread(chunk, 1, sizeof chunk, p))
			buf_add(out, chunk, n);
		ret = pclose(p) == 0 && out->len > 0 ? 0 : -1;
	}
	unlink(path);
	rmdir(dir);
	free(dir);
	return ret;
}

/* xlsx_build() renders rows as XLSX into out, using tmpdir. */
static int xlsx_build(struct buf *out, const char *title, const char *tmpdir,
	const char *const *cells, const enum sheet_cell *types, size_t nrows, size_t ncols)
{
	struct sheet *s = sheet_new(SHEET_XLSX, title, tmpdir);
	size_t r;
	int ret;

	assert_non_null(s);
	for (r = 0; r < nrows; r++)
		assert_int_equal(sheet_row(s, cells + r * ncols, r == 0 ? NULL : types, ncols), 0);
	ret = sheet_finish(s, out);
	sheet_free(s);
	return ret;
}

static void set_warsaw(void)
{
	setenv("TZ", "Europe/Warsaw", 1);
	tzset();
}

/* ---- CSV ---- */

static void test_core__sheet__csv_bom_separator_crlf(void **state)
{
	static const char *const cells[] = { "Imię", "Nazwisko", "Wiek", "Jan", "Kowalski", "42" };
	static const enum sheet_cell types[] = { CELL_TEXT, CELL_TEXT, CELL_INT };
	struct buf out = BUF_INIT(MAXBUF);

	(void)state;
	csv_rows(&out, cells, types, 2, 3);
	assert_true(out.len >= 3);
	assert_memory_equal(out.data, BOM, 3);
	assert_string_equal(out.data, BOM "Imię;Nazwisko;Wiek\r\nJan;Kowalski;42\r\n");
	buf_release(&out);
}

static void test_core__sheet__csv_quoting(void **state)
{
	static const char *const cells[] = {
		"a;b", "say \"hi\"", "two\nlines", "cr\rhere", " lead", "trail ", "in side", "",
	};

	(void)state;
	csv_one(cells, NULL, 8,
		"\"a;b\";\"say \"\"hi\"\"\";\"two\nlines\";\"cr\rhere\";\" lead\";\"trail \";in side;");
}

static void test_core__sheet__csv_formula_guard(void **state)
{
	static const char *const text[] = { "=SUM(A1)", "+48 123", "-5", "@cmd", "\tx", "\rx", "a=b" };
	static const char *const typed[] = { "-5", "=1+1", "-7", "2026-03-01", "=HYPERLINK(1)" };
	static const enum sheet_cell types[] = { CELL_INT, CELL_INT, CELL_TEXT, CELL_DATE, CELL_DATETIME };
	static const char *const both[] = { "=1;2" };

	(void)state;
	csv_one(text, NULL, 7, "'=SUM(A1);'+48 123;'-5;'@cmd;'\tx;\"'\rx\";a=b");
	/* Numbers and dates as such; a value that is not one is text and guarded. */
	csv_one(typed, types, 5, "-5;'=1+1;'-7;2026-03-01;'=HYPERLINK(1)");
	/* The guard goes inside the quotes. */
	csv_one(both, NULL, 1, "\"'=1;2\"");
}

static void test_core__sheet__csv_null_cells(void **state)
{
	static const char *const cells[] = { NULL, "b", NULL, NULL };
	static const enum sheet_cell types[] = { CELL_INT, CELL_TEXT, CELL_DATE, CELL_DATETIME };
	struct buf out = BUF_INIT(MAXBUF);
	struct sheet *s;

	(void)state;
	csv_one(cells, NULL, 4, ";b;;");
	csv_one(cells, types, 4, ";b;;");
	/* An empty row is an empty line. */
	s = sheet_new(SHEET_CSV, NULL, NULL);
	assert_non_null(s);
	assert_int_equal(sheet_row(s, NULL, NULL, 0), 0);
	assert_int_equal(sheet_finish(s, &out), 0);
	assert_string_equal(out.data, BOM "\r\n");
	sheet_free(s);
	buf_release(&out);
}

static void test_core__sheet__csv_polish(void **state)
{
	static const char *const cells[] = { "Łódź; Żółć", "zażółć gęślą jaźń", "ĄĆĘŁŃÓŚŹŻ" };

	(void)state;
	csv_one(cells, NULL, 3, "\"Łódź; Żółć\";zażółć gęślą jaźń;ĄĆĘŁŃÓŚŹŻ");
}

static void test_core__sheet__csv_datetime_local(void **state)
{
	static const char *const cells[] = {
		"2026-01-15T10:00:00Z", "2026-07-15T10:00:00Z", "2026-12-31T23:30:00Z",
		"2026-01-15 10:00", "2026-02-30T10:00:00Z", "2026-01-15",
	};
	static const enum sheet_cell types[] = {
		CELL_DATETIME, CELL_DATETIME, CELL_DATETIME, CELL_DATETIME, CELL_DATETIME, CELL_DATE,
	};
	static const char *const dates[] = { "2024-02-29", "2023-02-29", "15.01.2026", "2026-13-01" };
	static const enum sheet_cell dtypes[] = { CELL_DATE, CELL_DATE, CELL_DATE, CELL_DATE };

	(void)state;
	set_warsaw();
	csv_one(cells, types, 6,
		"2026-01-15 11:00:00;2026-07-15 12:00:00;2027-01-01 00:30:00;"
		"2026-01-15 10:00;2026-02-30T10:00:00Z;2026-01-15");
	csv_one(dates, dtypes, 4, "2024-02-29;2023-02-29;15.01.2026;2026-13-01");
}

static void test_core__sheet__csv_appends(void **state)
{
	static const char *const cells[] = { "x" };
	struct buf out = BUF_INIT(MAXBUF);

	(void)state;
	buf_adds(&out, "prefix|");
	csv_rows(&out, cells, NULL, 1, 1);
	assert_string_equal(out.data, "prefix|" BOM "x\r\n");
	buf_release(&out);
}

static void test_core__sheet__csv_small_max_fails(void **state)
{
	static const char *const cells[] = { "a rather long value that will not fit" };
	struct buf out = BUF_INIT(16);
	struct sheet *s = sheet_new(SHEET_CSV, "t", NULL);

	(void)state;
	assert_non_null(s);
	assert_int_equal(sheet_row(s, cells, NULL, 1), 0);
	assert_int_equal(sheet_finish(s, &out), -1);
	assert_true(out.failed);
	sheet_free(s);
	buf_release(&out);
}

static void test_core__sheet__misuse(void **state)
{
	static const char *const cells[] = { "a" };
	struct buf out = BUF_INIT(MAXBUF);
	struct sheet *s = sheet_new(SHEET_CSV, "t", NULL);

	(void)state;
	sheet_free(NULL);
	assert_int_equal(sheet_row(NULL, cells, NULL, 1), -1);
	assert_int_equal(sheet_finish(NULL, &out), -1);
	assert_null(sheet_new((enum sheet_format)42, "t", NULL));
	assert_non_null(s);
	/* A failed row poisons the sheet. */
	assert_int_equal(sheet_row(s, NULL, NULL, 1), -1);
	assert_int_equal(sheet_row(s, cells, NULL, 1), -1);
	assert_int_equal(sheet_finish(s, &out), -1);
	assert_int_equal(sheet_finish(s, &out), -1);
	sheet_free(s);
	s = sheet_new(SHEET_CSV, "t", NULL);
	assert_non_null(s);
	assert_int_equal(sheet_finish(s, &out), 0);
	assert_int_equal(sheet_row(s, cells, NULL, 1), -1);
	assert_int_equal(sheet_finish(s, &out), -1);
	sheet_free(s);
	buf_release(&out);
}

static void test_core__sheet__content_types(void **state)
{
	(void)state;
	assert_string_equal(sheet_content_type(SHEET_CSV), "text/csv; charset=utf-8");
	assert_string_equal(sheet_content_type(SHEET_XLSX),
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	assert_string_equal(sheet_extension(SHEET_CSV), "csv");
	assert_string_equal(sheet_extension(SHEET_XLSX), "xlsx");
}

/* ---- XLSX ---- */

static void test_core__sheet__xlsx_zip(void **state)
{
	static const char *const cells[] = {
		"Nazwisko", "Liczba", "Data", "Utworzono", "Uwagi",
		"Łódź; Żółć", "42", "2026-03-01", "2026-01-15T10:00:00Z", "=SUM(A1:A2)",
		"Nowak", "-7", "1.3.2026", "2026-07-15T10:00:00Z", NULL,
	};
	static const enum sheet_cell types[] = { CELL_TEXT, CELL_INT, CELL_DATE, CELL_DATETIME, CELL_TEXT };
	struct buf out = BUF_INIT(MAXBUF);
	struct buf xml = BUF_INIT(MAXBUF);
	char *dir = make_dir();

	(void)state;
	set_warsaw();
	buf_adds(&out, "pre");
	assert_int_equal(xlsx_build(&out, "Lista osób", dir, cells, types, 3, 5), 0);
	assert_true(out.len > 3 + 2000);
	assert_memory_equal(out.data, "pre" "PK\x03\x04", 7);
	assert_int_equal(count_entries(dir), 0);
	rmdir(dir);
	free(dir);
	if (!have_unzip()) {
		buf_release(&out);
		skip();
	}
	memmove(out.data, out.data + 3, out.len - 3);
	out.len -= 3;
	assert_int_equal(unzip_member(&out, "xl/worksheets/sheet1.xml", &xml), 0);
	assert_non_null(strstr(xml.data, "Łódź; Żółć"));
	assert_non_null(strstr(xml.data, "=SUM(A1:A2)"));
	assert_null(strstr(xml.data, "<f>"));
	assert_non_null(strstr(xml.data, "<v>42</v>"));
	assert_non_null(strstr(xml.data, "<v>-7</v>"));
	assert_non_null(strstr(xml.data, "<v>46082</v>"));      /* 2026-03-01 */
	assert_non_null(strstr(xml.data, "<v>46037.4583333"));  /* 11:00 local */
	assert_non_null(strstr(xml.data, "<v>46218.5</v>"));     /* 12:00 local */
	assert_non_null(strstr(xml.data, "1.3.2026"));
	assert_non_null(strstr(xml.data, "ySplit=\"1\""));
	assert_non_null(strstr(xml.data, "<autoFilter ref=\"A1:E3\"/>"));
	assert_non_null(strstr(xml.data, "<col "));
	buf_reset(&xml);
	assert_int_equal(unzip_member(&out, "xl/workbook.xml", &xml), 0);
	assert_non_null(strstr(xml.data, "name=\"Lista osób\""));
	buf_reset(&xml);
	assert_int_equal(unzip_member(&out, "xl/styles.xml", &xml), 0);
	assert_non_null(strstr(xml.data, "<b/>"));
	assert_non_null(strstr(xml.data, "dd.mm.yyyy hh:mm"));
	buf_release(&xml);
	buf_release(&out);
}

/* col_width() reads the width libxlsxwriter wrote for column number col (1-based); -1 if none. */
static double col_width(const char *xml, int col)
{
	char want[64];
	const char *p;

	snprintf(want, sizeof want, "<col min=\"%d\" max=\"%d\" width=\"", col, col);
	p = strstr(xml, want);
	return p != NULL ? atof(p + strlen(want)) : -1;
}

/* Columns are as wide as their widest text (header or value), within 8 and 60 characters. */
static void test_core__sheet__xlsx_widths(void **state)
{
	static const char *const cells[] = {
		"Nazwa", "Nr", "Data", "Opis",
		"Miejsko-Gminny Ośrodek Pomocy Społecznej w Jarzębinie", "7", "2026-03-01", NULL,
		"Krótka", "123456", "2026-03-02",
		"Bardzo długi opis, który ma znacznie więcej niż sześćdziesiąt znaków, więc zostaje przycięty",
	};
	static const enum sheet_cell types[] = { CELL_TEXT, CELL_INT, CELL_DATE, CELL_TEXT };
	struct buf out = BUF_INIT(MAXBUF);
	struct buf xml = BUF_INIT(MAXBUF);
	char *dir = make_dir();
	double w;

	(void)state;
	assert_int_equal(xlsx_build(&out, "Lista", dir, cells, types, 3, 4), 0);
	rmdir(dir);
	free(dir);
	if (!have_unzip()) {
		buf_release(&out);
		skip();
	}
	assert_int_equal(unzip_member(&out, "xl/worksheets/sheet1.xml", &xml), 0);
	w = col_width(xml.data, 1); /* 53 characters (UTF-8 counted as characters) */
	assert_true(w >= 54 && w <= 56);
	w = col_width(xml.data, 2); /* "123456" and "Nr": the minimum */
	assert_true(w >= 8 && w <= 9);
	w = col_width(xml.data, 3); /* a date */
	assert_true(w >= 11 && w <= 13);
	w = col_width(xml.data, 4); /* capped */
	assert_true(w >= 60 && w <= 61);
	buf_release(&xml);
	buf_release(&out);
}

static void test_core__sheet__xlsx_text_cleanup(void **state)
{
	static const enum sheet_cell types[] = {
		CELL_TEXT, CELL_TEXT, CELL_TEXT, CELL_TEXT, CELL_INT, CELL_DATE, CELL_DATETIME,
	};
	const char *cells[14] = {
		"h1", "h2", "h3", "h4", "h5", "h6", "h7",
		"bad \xFF\xC3 utf", "_x0041_", "ctl\x01z", NULL,
		"12345678901234567", "1899-12-31", "1800-01-01T00:00:00Z",
	};
	struct buf out = BUF_INIT(MAXBUF);
	struct buf xml = BUF_INIT(MAXBUF);
	char *longtext = malloc(40001);
	const char *long_at;

	(void)state;
	assert_non_null(longtext);
	memset(longtext, 'y', 40000);
	longtext[0] = 'L';
	longtext[40000] = '\0';
	cells[10] = longtext;
	/* Text past Excel's 32,767 characters is cut rather than refused. */
	assert_int_equal(xlsx_build(&out, "t", NULL, cells, types, 2, 7), 0);
	free(longtext);
	if (!have_unzip()) {
		buf_release(&out);
		skip();
	}
	assert_int_equal(unzip_member(&out, "xl/worksheets/sheet1.xml", &xml), 0);
	assert_non_null(strstr(xml.data, "bad \xEF\xBF\xBD\xEF\xBF\xBD utf"));
	assert_non_null(strstr(xml.data, "_x005F_x0041_"));
	assert_non_null(strstr(xml.data, "ctl_x0001_z"));
	long_at = strstr(xml.data, "<t>L");
	assert_non_null(long_at);
	assert_int_equal(strspn(long_at + 4, "y"), 32766);
	assert_memory_equal(long_at + 4 + 32766, "</t>", 4);
	/* Beyond 15 digits and before 1900: strings, unchanged. */
	assert_non_null(strstr(xml.data, "<t>12345678901234567</t>"));
	assert_non_null(strstr(xml.data, "<t>1899-12-31</t>"));
	assert_non_null(strstr(xml.data, "<t>1800-01-01T00:00:00Z</t>"));
	buf_release(&xml);
	buf_release(&out);
}

static void test_core__sheet__xlsx_sheet_name(void **state)
{
	static const struct {
		const char *title, *want;
	} cases[] = {
		{ NULL, "Arkusz1" },
		{ "", "Arkusz1" },
		{ "a[b]c:d*e?f/g\\h", "a_b_c_d_e_f_g_h" },
		{ "'quoted'", "_quoted_" },
		/* 31 characters, cut at a character boundary. */
		{ "Świadczenia rodzinne – zestawienie miesięczne",
		  "Świadczenia rodzinne – zestawie" },
		{ "ŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁ", "ŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁ" },
	};
	static const char *const cells[] = { "h" };
	size_t i;
	int unzip = have_unzip();

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf out = BUF_INIT(MAXBUF);
		struct buf xml = BUF_INIT(MAXBUF);
		struct buf want = BUF_INIT(4096);

		assert_int_equal(xlsx_build(&out, cases[i].title, NULL, cells, NULL, 1, 1), 0);
		if (unzip) {
			assert_int_equal(unzip_member(&out, "xl/workbook.xml", &xml), 0);
			buf_addf(&want, "<sheet name=\"%s\"", cases[i].want);
			assert_non_null(strstr(xml.data, want.data));
		}
		buf_release(&want);
		buf_release(&xml);
		buf_release(&out);
	}
}

static void test_core__sheet__xlsx_10000_rows(void **state)
{
	static const char *const head[] = { "Lp.", "Nazwisko", "Data" };
	static const enum sheet_cell types[] = { CELL_INT, CELL_TEXT, CELL_DATE };
	struct buf out = BUF_INIT(MAXBUF);
	struct buf xml = BUF_INIT(MAXBUF);
	char *dir = make_dir();
	struct sheet *s = sheet_new(SHEET_XLSX, "Duży", dir);
	char num[32], name[64];
	int i;

	(void)state;
	assert_non_null(s);
	assert_int_equal(count_entries(dir), 1);
	assert_int_equal(sheet_row(s, head, NULL, 3), 0);
	for (i = 1; i <= 10000; i++) {
		const char *row[3];

		snprintf(num, sizeof num, "%d", i);
		snprintf(name, sizeof name, "Kowalski-Żuk %d", i);
		row[0] = num;
		row[1] = name;
		row[2] = "2026-01-15";
		assert_int_equal(sheet_row(s, row, types, 3), 0);
	}
	assert_int_equal(sheet_finish(s, &out), 0);
	sheet_free(s);
	assert_memory_equal(out.data, "PK\x03\x04", 4);
	assert_true(out.len > 50000);
	assert_int_equal(count_entries(dir), 0);
	rmdir(dir);
	free(dir);
	if (have_unzip()) {
		assert_int_equal(unzip_member(&out, "xl/worksheets/sheet1.xml", &xml), 0);
		assert_non_null(strstr(xml.data, "Kowalski-Żuk 10000"));
		assert_non_null(strstr(xml.data, "<v>10000</v>"));
		assert_non_null(strstr(xml.data, "<autoFilter ref=\"A1:C10001\"/>"));
	}
	buf_release(&xml);
	buf_release(&out);
}

/* open_fds() counts this process's open descriptors; -1 without /proc. */
static int open_fds(void)
{
	return access("/proc/self/fd", R_OK) == 0 ? count_entries("/proc/self/fd") : -1;
}

static void test_core__sheet__xlsx_tmp_removed(void **state)
{
	static const char *const cells[] = { "a", "b", "1", "2" };
	struct buf out = BUF_INIT(MAXBUF);
	char *dir = make_dir();
	struct sheet *s;
	int fds = open_fds();

	(void)state;
	/* Finished: the file is gone after sheet_free(). */
	s = sheet_new(SHEET_XLSX, "t", dir);
	assert_non_null(s);
	assert_int_equal(count_entries(dir), 1);
	assert_int_equal(sheet_row(s, cells, NULL, 2), 0);
	assert_int_equal(sheet_row(s, cells + 2, NULL, 2), 0);
	assert_int_equal(sheet_finish(s, &out), 0);
	sheet_free(s);
	assert_int_equal(count_entries(dir), 0);
	/* Abandoned before sheet_finish(). */
	s = sheet_new(SHEET_XLSX, "t", dir);
	assert_non_null(s);
	assert_int_equal(sheet_row(s, cells, NULL, 2), 0);
	sheet_free(s);
	assert_int_equal(count_entries(dir), 0);
	/* Empty sheet. */
	s = sheet_new(SHEET_XLSX, "t", dir);
	assert_non_null(s);
	buf_reset(&out);
	assert_int_equal(sheet_finish(s, &out), 0);
	assert_memory_equal(out.data, "PK\x03\x04", 4);
	sheet_free(s);
	assert_int_equal(count_entries(dir), 0);
	/* An empty header row and only empty cells after it. */
	s = sheet_new(SHEET_XLSX, "t", dir);
	assert_non_null(s);
	assert_int_equal(sheet_row(s, NULL, NULL, 0), 0);
	assert_int_equal(sheet_row(s, cells, NULL, 0), 0);
	buf_reset(&out);
	assert_int_equal(sheet_finish(s, &out), 0);
	sheet_free(s);
	assert_int_equal(count_entries(dir), 0);
	/* No descriptor is left open (libxlsxwriter leaks one for an empty sheet). */
	assert_int_equal(open_fds(), fds);
	/* $TMPDIR when no directory is given. */
	setenv("TMPDIR", dir, 1);
	s = sheet_new(SHEET_XLSX, "t", NULL);
	assert_non_null(s);
	assert_int_equal(count_entries(dir), 1);
	sheet_free(s);
	unsetenv("TMPDIR");
	assert_int_equal(count_entries(dir), 0);
	/* A directory that does not exist. */
	assert_null(sheet_new(SHEET_XLSX, "t", "/nonexistent/razem-sheet-test"));
	rmdir(dir);
	free(dir);
	buf_release(&out);
}

static void test_core__sheet__xlsx_small_max_fails(void **state)
{
	static const char *const cells[] = { "a", "b" };
	struct buf out = BUF_INIT(1000);
	char *dir = make_dir();

	(void)state;
	assert_int_equal(xlsx_build(&out, "t", dir, cells, NULL, 1, 2), -1);
	assert_true(out.failed);
	assert_int_equal(count_entries(dir), 0);
	rmdir(dir);
	free(dir);
	buf_release(&out);
}

static void test_core__sheet__xlsx_row_limit(void **state)
{
	static const char *const cells[] = { "a" };
	struct buf out = BUF_INIT(MAXBUF);
	struct sheet *s = sheet_new(SHEET_XLSX, "t", NULL);
	long i;

	(void)state;
	assert_non_null(s);
	for (i = 0; i < 1048576; i++) {
		if (sheet_row(s, i == 0 ? cells : NULL, NULL, i == 0 ? 1 : 0) != 0)
			fail_msg("row %ld refused", i);
	}
	assert_int_equal(sheet_row(s, NULL, NULL, 0), -1);
	assert_int_equal(sheet_finish(s, &out), -1);
	sheet_free(s);
	buf_release(&out);
}

/* file mode: the same bytes as in memory, written in pieces; unfinished files are removed */
static void test_core__sheet__file_mode(void **state)
{
	char *dir = make_dir();
	char path[256], xpath[256], big[200];
	const char *cells[3] = { big, "=1+1", "2026-11-23" };
	const enum sheet_cell types[3] = { CELL_TEXT, CELL_TEXT, CELL_DATE };
	struct buf mem = BUF_INIT(64u << 20);
	struct sheet *m, *f;
	FILE *fp;
	long size;
	int r;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(path, sizeof(path), "%s/out.csv", dir);
	m = sheet_new(SHEET_CSV, "T", NULL);
	f = sheet_new_file(SHEET_CSV, "T", path);
	assert_non_null(m);
	assert_non_null(f);
	for (r = 0; r < 2000; r++) { /* ~400 KiB: several pieces */
		assert_int_equal(sheet_row(m, cells, types, 3), 0);
		assert_int_equal(sheet_row(f, cells, types, 3), 0);
	}
	assert_int_equal(sheet_finish(m, &mem), 0);
	assert_int_equal(sheet_finish_file(f), 0);
	assert_int_equal(sheet_finish_file(f), -1);
	sheet_free(m);
	sheet_free(f);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	assert_int_equal((size_t)size, mem.len);
	{
		char *data = malloc((size_t)size);

		assert_non_null(data);
		rewind(fp);
		assert_int_equal(fread(data, 1, (size_t)size, fp), (size_t)size);
		assert_memory_equal(data, mem.data, mem.len);
		free(data);
	}
	fclose(fp);
	/* XLSX in file mode is a zip; nothing else is left in the directory */
	snprintf(xpath, sizeof(xpath), "%s/out.xlsx", dir);
	f = sheet_new_file(SHEET_XLSX, "T", xpath);
	assert_non_null(f);
	assert_int_equal(sheet_row(f, cells, types, 3), 0);
	assert_int_equal(sheet_finish_file(f), 0);
	sheet_free(f);
	fp = fopen(xpath, "rb");
	assert_non_null(fp);
	assert_int_equal(fgetc(fp), 'P');
	assert_int_equal(fgetc(fp), 'K');
	fclose(fp);
	assert_int_equal(count_entries(dir), 2);
	if (have_unzip()) { /* columns sized in file mode too (the review found them all 10 wide) */
		struct buf zip = BUF_INIT(MAXBUF), xml = BUF_INIT(MAXBUF);

		fp = fopen(xpath, "rb");
		assert_non_null(fp);
		for (int ch; (ch = fgetc(fp)) != EOF;)
			assert_int_equal(buf_addc(&zip, (char)ch), 0);
		fclose(fp);
		assert_int_equal(unzip_member(&zip, "xl/worksheets/sheet1.xml", &xml), 0);
		assert_non_null(strstr(xml.data, "<cols>"));
		buf_release(&zip);
		buf_release(&xml);
	}
	/* freed unfinished: the file goes */
	unlink(path);
	unlink(xpath);
	f = sheet_new_file(SHEET_CSV, "T", path);
	assert_int_equal(sheet_row(f, cells, types, 3), 0);
	sheet_free(f);
	f = sheet_new_file(SHEET_XLSX, "T", xpath);
	assert_int_equal(sheet_row(f, cells, types, 3), 0);
	sheet_free(f);
	assert_int_equal(count_entries(dir), 0);
	assert_null(sheet_new_file(SHEET_CSV, "T", "/nonexistent-dir/x.csv"));
	buf_release(&mem);
	rmdir(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core__sheet__csv_bom_separator_crlf),
		cmocka_unit_test(test_core__sheet__csv_quoting),
		cmocka_unit_test(test_core__sheet__csv_formula_guard),
		cmocka_unit_test(test_core__sheet__csv_null_cells),
		cmocka_unit_test(test_core__sheet__csv_polish),
		cmocka_unit_test(test_core__sheet__csv_datetime_local),
		cmocka_unit_test(test_core__sheet__csv_appends),
		cmocka_unit_test(test_core__sheet__csv_small_max_fails),
		cmocka_unit_test(test_core__sheet__misuse),
		cmocka_unit_test(test_core__sheet__content_types),
		cmocka_unit_test(test_core__sheet__xlsx_zip),
		cmocka_unit_test(test_core__sheet__xlsx_widths),
		cmocka_unit_test(test_core__sheet__xlsx_text_cleanup),
		cmocka_unit_test(test_core__sheet__xlsx_sheet_name),
		cmocka_unit_test(test_core__sheet__xlsx_10000_rows),
		cmocka_unit_test(test_core__sheet__xlsx_tmp_removed),
		cmocka_unit_test(test_core__sheet__xlsx_small_max_fails),
		cmocka_unit_test(test_core__sheet__xlsx_row_limit),
		cmocka_unit_test(test_core__sheet__file_mode),
	};

	return cmocka_run_group_tests_name("core/sheet", tests, NULL, NULL);
}
