/*
 * csv.h — a streaming reader of CSV files as offices really export them.
 *
 * The input is read in chunks from a file descriptor, a FILE * or memory,
 * never whole: memory stays bounded by the chunk and the record limits.
 * Each csv_next() returns one record: its fields as NUL-terminated UTF-8
 * and the 1-based physical line where it starts.
 *
 * What it accepts:
 *  - RFC 4180 quoting: a quoted field may hold the separator, doubled
 *    quotes ("" is one ") and line breaks (kept as "\n" whatever the file
 *    used); text after a closing quote is kept (`"ab"c` reads abc) and a
 *    quote inside an unquoted field is kept as it is, as spreadsheets do;
 *  - line ends CRLF, LF or a lone CR (each counts as one physical line);
 *  - UTF-8 with or without a byte-order mark; Windows-1250 or ISO-8859-2,
 *    converted to UTF-8 with iconv. Unless forced, the encoding is UTF-8
 *    while the text is valid UTF-8; at the first byte outside ASCII that
 *    does not start valid UTF-8 the reader looks at the buffered text and
 *    picks Windows-1250 or ISO-8859-2 (the letters where they differ). A
 *    UTF-8 byte-order mark always means UTF-8;
 *  - the separator ';', ',' or TAB, the most frequent of them outside
 *    quotes on the first line (ties: ';' then TAB then ','), or the
 *    Excel "sep=X" first line (that line is not a record);
 *  - empty lines (anywhere, the trailing one too) are skipped but counted.
 *
 * What it refuses, with the line: a field, a record or a field count over
 * the limits, and an unclosed quote at the end of the file — that record
 * alone (CSV_BAD: reading goes on at the next physical line); bytes that
 * are not text in the encoding, NUL bytes, UTF-16, spreadsheet (zip)
 * files and read errors — the rest of the file (CSV_ERROR).
 *
 * Ragged rows (a field count other than the header's) are not the
 * reader's business: the record says how many fields it has.
 */
#ifndef RAZEM_CORE_CSV_H
#define RAZEM_CORE_CSV_H

#include <stddef.h>
#include <stdio.h>

enum csv_encoding {
	CSV_ENC_AUTO,      /* detect (the default) */
	CSV_ENC_UTF8,      /* UTF-8, a BOM skipped */
	CSV_ENC_CP1250,    /* Windows-1250 */
	CSV_ENC_ISO8859_2, /* ISO-8859-2 (Latin-2) */
};

enum csv_rc {
	CSV_ERROR = -2, /* the input cannot be read further; csv_error() says why */
	CSV_BAD = -1,   /* this record was refused and skipped; reading may go on */
	CSV_ROW = 1,    /* a record is in *r */
	CSV_DONE = 2,   /* no more records */
};

struct csv_opts {
	enum csv_encoding encoding; /* CSV_ENC_AUTO detects */
	char sep;                   /* 0 detects from the first line */
	size_t field_max;           /* bytes of one field (UTF-8); 0 = CSV_FIELD_MAX */
	size_t record_max;          /* bytes of one record's fields; 0 = CSV_RECORD_MAX */
	size_t fields_max;          /* fields of one record; 0 = CSV_FIELDS_MAX */
};

#define CSV_FIELD_MAX ((size_t)64 << 10)
#define CSV_RECORD_MAX ((size_t)256 << 10)
#define CSV_FIELDS_MAX ((size_t)1024)

struct csv_record {
	long line;          /* physical line (1-based) where the record starts */
	long lines;         /* physical lines it spans (more than 1 with line breaks in quotes) */
	size_t n;           /* number of fields, at least 1 */
	const char *const *field; /* n NUL-terminated UTF-8 strings, valid until the next csv_next() */
	const size_t *len;  /* their lengths in bytes */
	int blank;          /* every field is empty (a line of only separators) */
};

struct csv;

/*
 * csv_open_fd(), csv_open_file() and csv_open_mem() start reading fd, fp
 * or data[0..len) (which must outlive the reader); opts may be NULL (all
 * detected, default limits). Nothing is read yet. They do not take
 * ownership: the caller closes fd or fp after csv_free(). NULL when out
 * of memory.
 */
struct csv *csv_open_fd(int fd, const struct csv_opts *opts);
struct csv *csv_open_file(FILE *fp, const struct csv_opts *opts);
struct csv *csv_open_mem(const void *data, size_t len, const struct csv_opts *opts);

/* csv_free() releases the reader. NULL is a no-op. */
void csv_free(struct csv *c);

/*
 * csv_next() reads the next record into *r: CSV_ROW, CSV_DONE at the end,
 * CSV_BAD for a refused record (csv_error() names its line and reason;
 * call again for the next one) or CSV_ERROR (every later call returns it
 * too).
 */
int csv_next(struct csv *c, struct csv_record *r);

/*
 * csv_error() is the last refusal as a sentence in the thread's language
 * ("line 12: a field is longer than 65536 bytes"); "" when none.
 * csv_error_line() is its line (0 when none). Valid until the next call.
 */
const char *csv_error(const struct csv *c);
long csv_error_line(const struct csv *c);

/* The separator and encoding in use: known after the first csv_next(). */
char csv_sep(const struct csv *c);
enum csv_encoding csv_encoding(const struct csv *c);

/* csv_encoding_name() is "UTF-8", "Windows-1250", "ISO-8859-2" or "auto". */
const char *csv_encoding_name(enum csv_encoding e);

/*
 * csv_parse_encoding() reads a user's name for an encoding ("utf-8",
 * "utf8", "cp1250", "windows-1250", "iso-8859-2", "latin2", "auto", case
 * ignored). Returns 0, or -1 when unknown.
 */
int csv_parse_encoding(const char *name, enum csv_encoding *out);

/*
 * csv_write_field() appends field s to b as RFC 4180 wants it for the
 * separator sep: quoted (quotes doubled) when it holds sep, a quote, a
 * line break, or leading or trailing space; as it is otherwise.
 */
struct buf;
void csv_write_field(struct buf *b, const char *s, char sep);

#endif
