/*
 * sheet.h — tabular exports: CSV and XLSX written from the same calls.
 *
 * Lists export "exactly the rows and columns the user may see" by feeding
 * the same rows to a sheet writer that they render on screen. CSV follows
 * RFC 4180 quoting with the conventions Polish spreadsheet users expect:
 * UTF-8 with a byte-order mark, ';' as the separator, CRLF line ends.
 * XLSX goes through libxlsxwriter with a bold, frozen header row, numbers
 * stored as numbers and dates as dates.
 *
 * Formula injection: a text cell starting with = + - @ (or tab/CR) is
 * prefixed with an apostrophe in CSV and always written as a string in
 * XLSX, so a spreadsheet never evaluates user-entered text.
 */
#ifndef RAZEM_CORE_SHEET_H
#define RAZEM_CORE_SHEET_H

#include <stddef.h>

#include "core/buf.h"

enum sheet_format { SHEET_CSV, SHEET_XLSX };

enum sheet_cell {
	CELL_TEXT,     /* any text */
	CELL_INT,      /* a whole number in decimal; stored as a number in XLSX */
	CELL_DATE,     /* YYYY-MM-DD; a date cell in XLSX */
	CELL_DATETIME, /* YYYY-MM-DDTHH:MM:SSZ (UTC); a local date-time cell in XLSX */
};

struct sheet;

/*
 * sheet_new() starts a sheet named title (used as the worksheet name, cut
 * to 31 characters). XLSX is built in a temporary file under tmpdir
 * (NULL = $TMPDIR or /tmp) that sheet_free() removes. Returns NULL on
 * failure.
 */
struct sheet *sheet_new(enum sheet_format format, const char *title, const char *tmpdir);

/*
 * sheet_row() appends one row of n cells; types may be NULL (all text).
 * A NULL cell is empty. Returns 0 or -1.
 */
int sheet_row(struct sheet *s, const char *const *cells, const enum sheet_cell *types, size_t n);

/*
 * sheet_finish() completes the file and appends its bytes to out.
 * Returns 0 or -1. The sheet must still be freed.
 */
int sheet_finish(struct sheet *s, struct buf *out);

/*
 * sheet_new_file() starts a sheet written to the file at path as rows
 * come, so memory stays small whatever the size: CSV goes out in 64 KiB
 * pieces, XLSX is libxlsxwriter's constant-memory mode (its temporary
 * files beside path). sheet_finish_file() completes the file, which then
 * stays; a sheet freed unfinished (or that failed) removes it.
 */
struct sheet *sheet_new_file(enum sheet_format format, const char *title, const char *path);
int sheet_finish_file(struct sheet *s);

/* sheet_free() releases s and its temporary file. NULL is a no-op. */
void sheet_free(struct sheet *s);

/* Content type and file extension for a format. */
const char *sheet_content_type(enum sheet_format format);
const char *sheet_extension(enum sheet_format format);

#endif
