/*
 * tests/unit/core/csv.c — the streaming CSV reader: separators detected
 * (';' ',' TAB, ties, "sep=" line, quotes ignored), RFC 4180 quoting
 * (separators, doubled quotes, line breaks of every kind inside quotes,
 * text after a closing quote), line ends CRLF / LF / CR and the physical
 * line of each record, empty and trailing lines, ragged rows, UTF-8 with
 * and without BOM, Windows-1250 and ISO-8859-2 detected and forced,
 * invalid text, NUL, UTF-16 and zip refused, the field / record / count
 * limits with their line and recovery, an unclosed quote, reading from a
 * pipe in small pieces across chunk boundaries (a character cut in two),
 * from a FILE *, and csv_write_field() quoting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/i18n.h"

/* ---- helpers ---- */

/*
 * dump() reads the whole of c into a text: one line per result, "L<line>
 * [f1|f2|...]" for a record, "BAD <error>" and "ERROR <error>" for
 * refusals, so a test states every expectation in one string.
 */
static char *dump(struct csv *c)
{
	struct buf b = BUF_INIT(1 << 24);
	struct csv_record r;
	size_t i;
	int rc;

	for (;;) {
		rc = csv_next(c, &r);
		if (rc == CSV_DONE)
			break;
		if (rc == CSV_BAD) {
			buf_addf(&b, "BAD %s\n", csv_error(c));
			continue;
		}
		if (rc == CSV_ERROR) {
			buf_addf(&b, "ERROR %s\n", csv_error(c));
			assert_int_equal(csv_next(c, &r), CSV_ERROR);
			break;
		}
		assert_int_equal(rc, CSV_ROW);
		buf_addf(&b, "L%ld%s [", r.line, r.blank ? " blank" : "");
		for (i = 0; i < r.n; i++) {
			assert_int_equal(strlen(r.field[i]), r.len[i]);
			buf_addf(&b, "%s%s", i ? "|" : "", r.field[i]);
		}
		buf_adds(&b, "]\n");
	}
	assert_false(b.failed);
	return buf_detach(&b, NULL) ?: strdup("");
}

/* parse() reads text of length n with opts; *sep, *enc report what was used. */
static char *parse_n(const char *text, size_t n, const struct csv_opts *o, char *sep, enum csv_encoding *enc)
{
	struct csv *c = csv_open_mem(text, n, o);
	char *out;

	assert_non_null(c);
	out = dump(c);
	if (sep != NULL)
		*sep = csv_sep(c);
	if (enc != NULL)
		*enc = csv_encoding(c);
	csv_free(c);
	return out;
}

static char *parse(const char *text, const struct csv_opts *o)
{
	return parse_n(text, strlen(text), o, NULL, NULL);
}

#define EXPECT(text, opts, want)                                                                                  \
	do {                                                                                                      \
		char *got_ = parse((text), (opts));                                                               \
		assert_string_equal(got_, (want));                                                                \
		free(got_);                                                                                       \
	} while (0)

/* ---- separators ---- */

static void test_core__csv__separators(void **state)
{
	char sep;
	char *out;

	(void)state;
	out = parse_n("a;b;c\n1;2;3\n", 12, NULL, &sep, NULL);
	assert_string_equal(out, "L1 [a|b|c]\nL2 [1|2|3]\n");
	assert_int_equal(sep, ';');
	free(out);
	out = parse_n("a,b,c\n1,\"2,5\",3\n", 16, NULL, &sep, NULL);
	assert_string_equal(out, "L1 [a|b|c]\nL2 [1|2,5|3]\n");
	assert_int_equal(sep, ',');
	free(out);
	out = parse_n("a\tb\n1\t2\n", 8, NULL, &sep, NULL);
	assert_string_equal(out, "L1 [a|b]\nL2 [1|2]\n");
	assert_int_equal(sep, '\t');
	free(out);
	/* commas inside the header's quotes do not count; the most frequent wins */
	out = parse_n("\"Nazwisko, imię\";b\n1;2\n", strlen("\"Nazwisko, imię\";b\n1;2\n"), NULL, &sep, NULL);
	assert_string_equal(out, "L1 [Nazwisko, imię|b]\nL2 [1|2]\n");
	assert_int_equal(sep, ';');
	free(out);
	out = parse_n("a,b,c;d\n", 8, NULL, &sep, NULL);
	assert_int_equal(sep, ',');
	free(out);
	/* ties: ';' before TAB before ','; a single column reads as ';' */
	out = parse_n("a;b,c\n", 6, NULL, &sep, NULL);
	assert_int_equal(sep, ';');
	free(out);
	out = parse_n("a\tb,c\n", 6, NULL, &sep, NULL);
	assert_int_equal(sep, '\t');
	free(out);
	out = parse_n("PESEL\n1\n", 8, NULL, &sep, NULL);
	assert_string_equal(out, "L1 [PESEL]\nL2 [1]\n");
	assert_int_equal(sep, ';');
	free(out);
	/* Excel's first line names the separator and is not a record */
	out = parse_n("sep=,\r\na;b,c\r\n1;2,3\r\n", 21, NULL, &sep, NULL);
	assert_string_equal(out, "L2 [a;b|c]\nL3 [1;2|3]\n");
	assert_int_equal(sep, ',');
	free(out);
	/* a forced separator */
	EXPECT("a;b,c\n", (&(struct csv_opts){ .sep = ',' }), "L1 [a;b|c]\n");
}

/* ---- quoting ---- */

static void test_core__csv__quoting(void **state)
{
	(void)state;
	EXPECT("\"a;b\";\"say \"\"hi\"\"\";\"\"\n", NULL, "L1 [a;b|say \"hi\"|]\n");
	/* line breaks inside quotes become \n; the next record's line is physical */
	EXPECT("n;addr\n1;\"ul. Długa 5\r\nm. 3\"\n2;\"a\nb\rc\"\n3;x\n", NULL,
	       "L1 [n|addr]\nL2 [1|ul. Długa 5\nm. 3]\nL4 [2|a\nb\nc]\nL7 [3|x]\n");
	/* text after a closing quote is kept; a quote inside plain text too */
	EXPECT("\"ab\"c;d\"e\n", NULL, "L1 [abc|d\"e]\n");
	/* spaces around fields are data; a quote after a space is text */
	EXPECT(" a ; \"b\" \n", NULL, "L1 [ a | \"b\" ]\n");
	/* an empty last field, an empty first one */
	EXPECT("a;\n;b\n", NULL, "L1 [a|]\nL2 [|b]\n");
}

static void test_core__csv__lines(void **state)
{
	struct csv_record r;
	struct csv *c;
	const char *t = "a;b\r\n\"x\ny\";z";

	(void)state;
	EXPECT("a\r\nb\r\nc", NULL, "L1 [a]\nL2 [b]\nL3 [c]\n");
	EXPECT("a\rb\rc\r", NULL, "L1 [a]\nL2 [b]\nL3 [c]\n");
	EXPECT("a\nb\r\nc\rd\n", NULL, "L1 [a]\nL2 [b]\nL3 [c]\nL4 [d]\n");
	/* empty lines are skipped but counted, the trailing ones too */
	EXPECT("a\n\nb\r\n\r\n\r\n", NULL, "L1 [a]\nL3 [b]\n");
	EXPECT("\n\na\n", NULL, "L3 [a]\n");
	EXPECT("", NULL, "");
	EXPECT("\r\n", NULL, "");
	/* a line of separators only is a blank record, reported as such */
	EXPECT("a;b\n;\n1;2\n", NULL, "L1 [a|b]\nL2 blank [|]\nL3 [1|2]\n");
	/* lines a record spans */
	c = csv_open_mem(t, strlen(t), NULL);
	assert_int_equal(csv_next(c, &r), CSV_ROW);
	assert_int_equal(r.line, 1);
	assert_int_equal(r.lines, 1);
	assert_int_equal(csv_next(c, &r), CSV_ROW);
	assert_int_equal(r.line, 2);
	assert_int_equal(r.lines, 2);
	assert_int_equal(csv_next(c, &r), CSV_DONE);
	assert_int_equal(csv_next(c, &r), CSV_DONE);
	csv_free(c);
}

static void test_core__csv__ragged(void **state)
{
	(void)state;
	EXPECT("a;b;c\n1;2\n1;2;3;4\n5\n", NULL, "L1 [a|b|c]\nL2 [1|2]\nL3 [1|2|3|4]\nL4 [5]\n");
}

/* ---- encodings ---- */

static void test_core__csv__utf8(void **state)
{
	enum csv_encoding enc;
	char *out;
	const char *bom = "\xEF\xBB\xBFImię;Nazwisko\nŁukasz;Żółć\n";

	(void)state;
	out = parse_n(bom, strlen(bom), NULL, NULL, &enc);
	assert_string_equal(out, "L1 [Imię|Nazwisko]\nL2 [Łukasz|Żółć]\n");
	assert_int_equal(enc, CSV_ENC_UTF8);
	free(out);
	out = parse_n(bom + 3, strlen(bom) - 3, NULL, NULL, &enc);
	assert_string_equal(out, "L1 [Imię|Nazwisko]\nL2 [Łukasz|Żółć]\n");
	assert_int_equal(enc, CSV_ENC_UTF8);
	free(out);
	/* pure ASCII: still undecided, reads the same */
	out = parse_n("a;b\n", 4, NULL, NULL, &enc);
	assert_int_equal(enc, CSV_ENC_AUTO);
	free(out);
	/* a BOM, then a separator other than ';' */
	EXPECT("\xEF\xBB\xBF" "a,b\n", NULL, "L1 [a|b]\n");
}

static void test_core__csv__cp1250(void **state)
{
	/* "Imię;Nazwisko\nŁukasz;Śląska\nźółć\n" in Windows-1250 */
	const char win[] = "Imi\xEA;Nazwisko\n\xA3ukasz;\x8Cl\xB9ska\n\x9F\xF3\xB3\xE6\n";
	/* the same in ISO-8859-2 */
	const char iso[] = "Imi\xEA;Nazwisko\n\xA3ukasz;\xA6l\xB1ska\n\xBC\xF3\xB3\xE6\n";
	const char *want = "L1 [Imię|Nazwisko]\nL2 [Łukasz|Śląska]\nL3 [źółć]\n";
	enum csv_encoding enc;
	char *out;

	(void)state;
	out = parse_n(win, sizeof(win) - 1, NULL, NULL, &enc);
	assert_string_equal(out, want);
	assert_int_equal(enc, CSV_ENC_CP1250);
	free(out);
	out = parse_n(iso, sizeof(iso) - 1, NULL, NULL, &enc);
	assert_string_equal(out, want);
	assert_int_equal(enc, CSV_ENC_ISO8859_2);
	free(out);
	/* forced */
	out = parse_n(iso, sizeof(iso) - 1, &(struct csv_opts){ .encoding = CSV_ENC_CP1250 }, NULL, &enc);
	assert_string_equal(out, "L1 [Imię|Nazwisko]\nL2 [Łukasz|¦l±ska]\nL3 [Ľółć]\n");
	assert_int_equal(enc, CSV_ENC_CP1250);
	free(out);
	/* UTF-8 forced on Windows-1250 bytes: refused at the line, not guessed */
	EXPECT("a;b\nx;y\n\xA3ukasz;z\n", (&(struct csv_opts){ .encoding = CSV_ENC_UTF8 }),
	       "L1 [a|b]\nL2 [x|y]\nERROR line 3: bytes that are not UTF-8 text (is the file in another encoding?)\n");
	/* a byte Windows-1250 does not define */
	EXPECT("a;\x81\n", (&(struct csv_opts){ .encoding = CSV_ENC_CP1250 }),
	       "ERROR line 1: bytes that are not Windows-1250 text (is the file in another encoding?)\n");
}

/* ASCII for longer than a chunk, then a Windows-1250 letter: detected late, read right */
static void test_core__csv__late_detection(void **state)
{
	struct buf b = BUF_INIT(1 << 22);
	struct csv_record r;
	struct csv *c;
	long i;
	int rc;

	(void)state;
	buf_adds(&b, "n;name\n");
	for (i = 2; i <= 20000; i++)
		buf_addf(&b, "%ld;Kowalski\n", i);
	buf_adds(&b, "20001;\xA3ukasz\n");
	c = csv_open_mem(b.data, b.len, NULL);
	for (i = 1; (rc = csv_next(c, &r)) == CSV_ROW; i++)
		assert_int_equal(r.line, i);
	assert_int_equal(rc, CSV_DONE);
	assert_int_equal(i, 20002);
	assert_string_equal(r.field[1], "Łukasz");
	assert_int_equal(csv_encoding(c), CSV_ENC_CP1250);
	csv_free(c);
	buf_release(&b);
}

static void test_core__csv__not_text(void **state)
{
	(void)state;
	EXPECT("\xFF\xFE" "a\0;\0", NULL, "ERROR the file is in UTF-16; save it as CSV in UTF-8 or Windows-1250\n");
	EXPECT("PK\x03\x04rest", NULL,
	       "ERROR the file is a spreadsheet (XLSX or another zip file), not CSV; save it as CSV\n");
	{
		char *out = parse_n("a;b\nc\0d\n", 8, NULL, NULL, NULL);

		assert_string_equal(out, "L1 [a|b]\nERROR line 2: the file holds a NUL byte (is it a CSV file?)\n");
		free(out);
	}
	/* UTF-8 cut short at the end of the file (detection would call it Windows-1250) */
	EXPECT("a;\xC5", (&(struct csv_opts){ .encoding = CSV_ENC_UTF8 }), "ERROR line 1: bytes that are not UTF-8 text (is the file in another encoding?)\n");
	/* an overlong encoding is not UTF-8: read as Windows-1250 instead */
	EXPECT("\xC0\xAF\n", NULL, "L1 [ŔŻ]\n");
}

/* ---- limits ---- */

static void test_core__csv__limits(void **state)
{
	const struct csv_opts small = { .field_max = 4, .record_max = 8, .fields_max = 3 };

	(void)state;
	EXPECT("abcd;x\nabcde;x\nok\n", &small,
	       "L1 [abcd|x]\nBAD line 2: a field is longer than 4 bytes\nL3 [ok]\n");
	EXPECT("abcd;abcd\nabcd;abcd;a\nok\n", &small,
	       "L1 [abcd|abcd]\nBAD line 2: the record is longer than 8 bytes\nL3 [ok]\n");
	EXPECT("a;b;c\na;b;c;d\nok\n", &small, "L1 [a|b|c]\nBAD line 2: the record has more than 3 fields\nL3 [ok]\n");
	/* an unclosed quote swallows lines until a limit; reading resumes after the line where it stopped */
	EXPECT("a\n\"b\nc\nd\ne\nf\ng\nh\n", &(struct csv_opts){ .field_max = 5 },
	       "L1 [a]\nBAD line 2: a field is longer than 5 bytes\nL6 [f]\nL7 [g]\nL8 [h]\n");
	/* at the end of the file */
	EXPECT("a\nb;\"c\nd\n", NULL, "L1 [a]\nBAD line 2: a quoted field is not closed before the end of the file\n");
	i18n_set_lang(LANG_PL);
	EXPECT("abcde\n", &small, "BAD wiersz 1: pole jest dłuższe niż 4 bajty\n");
	i18n_set_lang(LANG_EN);
}

/* ---- sources ---- */

/* a pipe fed one byte at a time: every chunk boundary, a character cut in two */
static void test_core__csv__pipe(void **state)
{
	const char text[] = "\xEF\xBB\xBFImię;\"Na\r\nzwisko\"\r\nŁukasz;Żak\r\n";
	struct csv *c;
	char *out;
	int fd[2];
	pid_t pid;
	size_t i;

	(void)state;
	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fd[0]);
		for (i = 0; i < sizeof(text) - 1; i++) {
			if (write(fd[1], text + i, 1) != 1)
				_exit(1);
			usleep(200);
		}
		_exit(0);
	}
	close(fd[1]);
	c = csv_open_fd(fd[0], NULL);
	out = dump(c);
	assert_string_equal(out, "L1 [Imię|Na\nzwisko]\nL3 [Łukasz|Żak]\n");
	free(out);
	csv_free(c);
	close(fd[0]);
	waitpid(pid, NULL, 0);
}

static void test_core__csv__file(void **state)
{
	FILE *fp = tmpfile();
	struct csv_record r;
	struct csv *c;
	long i;
	int rc;

	(void)state;
	assert_non_null(fp);
	fputs("n,\"text\"\n", fp);
	for (i = 2; i <= 50000; i++)
		fprintf(fp, "%ld,\"a \"\"q\"\" b\nline\"\n", i);
	rewind(fp);
	c = csv_open_file(fp, NULL);
	assert_int_equal(csv_next(c, &r), CSV_ROW);
	for (i = 2; (rc = csv_next(c, &r)) == CSV_ROW; i++) {
		assert_int_equal(r.line, 2 * i - 2);
		assert_int_equal(r.n, 2);
		assert_string_equal(r.field[1], "a \"q\" b\nline");
	}
	assert_int_equal(rc, CSV_DONE);
	assert_int_equal(i, 50001);
	csv_free(c);
	fclose(fp);
}

/* ---- writing ---- */

static void test_core__csv__write(void **state)
{
	struct buf b = BUF_INIT(1024);

	(void)state;
	csv_write_field(&b, "plain", ';');
	buf_addc(&b, ';');
	csv_write_field(&b, "a;b", ';');
	buf_addc(&b, ';');
	csv_write_field(&b, "a,b", ';');
	buf_addc(&b, ';');
	csv_write_field(&b, "say \"hi\"", ';');
	buf_addc(&b, ';');
	csv_write_field(&b, "two\nlines", ';');
	buf_addc(&b, ';');
	csv_write_field(&b, " pad", ';');
	buf_addc(&b, ';');
	csv_write_field(&b, "", ';');
	assert_string_equal(buf_str(&b), "plain;\"a;b\";a,b;\"say \"\"hi\"\"\";\"two\nlines\";\" pad\";");
	buf_release(&b);
}

static void test_core__csv__encoding_names(void **state)
{
	enum csv_encoding e;

	(void)state;
	assert_int_equal(csv_parse_encoding("UTF-8", &e), 0);
	assert_int_equal(e, CSV_ENC_UTF8);
	assert_int_equal(csv_parse_encoding("cp1250", &e), 0);
	assert_int_equal(e, CSV_ENC_CP1250);
	assert_int_equal(csv_parse_encoding("Windows-1250", &e), 0);
	assert_int_equal(e, CSV_ENC_CP1250);
	assert_int_equal(csv_parse_encoding("latin2", &e), 0);
	assert_int_equal(e, CSV_ENC_ISO8859_2);
	assert_int_equal(csv_parse_encoding("auto", &e), 0);
	assert_int_equal(e, CSV_ENC_AUTO);
	assert_int_equal(csv_parse_encoding("ebcdic", &e), -1);
	assert_int_equal(csv_parse_encoding(NULL, &e), -1);
	assert_string_equal(csv_encoding_name(CSV_ENC_CP1250), "Windows-1250");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core__csv__separators),
		cmocka_unit_test(test_core__csv__quoting),
		cmocka_unit_test(test_core__csv__lines),
		cmocka_unit_test(test_core__csv__ragged),
		cmocka_unit_test(test_core__csv__utf8),
		cmocka_unit_test(test_core__csv__cp1250),
		cmocka_unit_test(test_core__csv__late_detection),
		cmocka_unit_test(test_core__csv__not_text),
		cmocka_unit_test(test_core__csv__limits),
		cmocka_unit_test(test_core__csv__pipe),
		cmocka_unit_test(test_core__csv__file),
		cmocka_unit_test(test_core__csv__write),
		cmocka_unit_test(test_core__csv__encoding_names),
	};

	if (i18n_init() != 0)
		return 1;
	i18n_set_lang(LANG_EN);
	return cmocka_run_group_tests_name("core/csv", tests, NULL, NULL);
}
