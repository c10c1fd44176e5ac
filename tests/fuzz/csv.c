/*
 * tests/fuzz/csv.c — libFuzzer target for src/core/csv.c. The first byte
 * picks the options (encoding forced or detected, small or default
 * limits), the rest is the file, read from memory. Aborts when a result
 * breaks the reader's contract: a record's fields not valid UTF-8, a
 * length that disagrees with its string, a field or record over its
 * limit, lines that do not grow, a refusal without a message, a fatal
 * error that does not stay, or a run that does not end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum csv_encoding encs[] = { CSV_ENC_AUTO, CSV_ENC_UTF8, CSV_ENC_CP1250, CSV_ENC_ISO8859_2 };
	struct csv_opts o = { 0 };
	struct csv_record r;
	struct csv *c;
	long last = 0, rounds = 0;
	size_t i, total;
	int rc;

	if (size < 1)
		return 0;
	o.encoding = encs[data[0] & 3];
	if (data[0] & 4) {
		o.field_max = 8;
		o.record_max = 24;
		o.fields_max = 4;
	}
	c = csv_open_mem(data + 1, size - 1, &o);
	if (c == NULL)
		return 0;
	for (;;) {
		if (++rounds > (long)size + 2)
			abort(); /* every call consumes input or ends */
		rc = csv_next(c, &r);
		if (rc == CSV_DONE)
			break;
		if (rc == CSV_ERROR) {
			if (csv_error(c)[0] == '\0' || csv_next(c, &r) != CSV_ERROR)
				abort();
			break;
		}
		if (rc == CSV_BAD) {
			if (csv_error(c)[0] == '\0' || csv_error_line(c) < 1)
				abort();
			continue;
		}
		if (rc != CSV_ROW || r.n < 1 || r.line <= last || r.lines < 1)
			abort();
		last = r.line;
		total = 0;
		for (i = 0; i < r.n; i++) {
			if (strlen(r.field[i]) != r.len[i] || !utf8_valid(r.field[i], r.len[i]))
				abort();
			if (r.len[i] > (o.field_max ? o.field_max : CSV_FIELD_MAX))
				abort();
			total += r.len[i];
		}
		if (total > (o.record_max ? o.record_max : CSV_RECORD_MAX) ||
		    r.n > (o.fields_max ? o.fields_max : CSV_FIELDS_MAX))
			abort();
	}
	csv_free(c);
	return 0;
}
