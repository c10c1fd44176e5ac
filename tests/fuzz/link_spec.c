/*
 * tests/fuzz/link_spec.c — libFuzzer target for the SPEC parser of razem
 * link (src/link/spec.c) and the date parser it configures. The input,
 * NUL-terminated, goes to link_spec_parse() with a full and a tiny error
 * buffer; an accepted SPEC's date format then parses the input as a date.
 * Aborts when:
 *   - the return value is neither 0 nor -1, or a refusal leaves the error
 *     empty or unterminated;
 *   - an accepted SPEC has no id column, no other column, an unknown date
 *     format, a column name that is empty, has blanks at either end or
 *     lies outside the spec's storage;
 *   - parsing the same input twice gives different results;
 *   - link_date_parse() returns something other than -1, 0, 1, 2, or a
 *     date (0 or 2) whose month or day is out of 0..99.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "link/link.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_accepted(const struct link_spec *sp)
{
	int r, others = 0;

	if (sp->column[LINK_ROLE_ID] == NULL || !link_date_format_ok(sp->date_format))
		abort();
	for (r = 0; r < LINK_ROLE__MAX; r++) {
		const char *c = sp->column[r];
		size_t n;

		if (c == NULL)
			continue;
		others += r != LINK_ROLE_ID;
		if (c < sp->storage || c >= sp->storage + sizeof(sp->storage))
			abort();
		n = strlen(c);
		if (n == 0 || c + n >= sp->storage + sizeof(sp->storage) || c[0] == ' ' || c[n - 1] == ' ')
			abort();
	}
	if (others == 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct link_spec sp, again;
	char *s = malloc(size + 1), err[256], tiny[4];
	int rc, rc2, out;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	rc = link_spec_parse(s, &sp, err, sizeof(err));
	if (rc != 0 && rc != -1)
		abort();
	if (rc != 0 && (err[0] == '\0' || memchr(err, '\0', sizeof(err)) == NULL))
		abort();
	rc2 = link_spec_parse(s, &again, tiny, sizeof(tiny));
	if (rc2 != rc || memchr(tiny, '\0', sizeof(tiny)) == NULL)
		abort();
	if (rc == 0) {
		check_accepted(&sp);
		rc = link_date_parse(s, sp.date_format, &out);
		if (rc < -1 || rc > 2)
			abort();
		if ((rc == 0 || rc == 2) && ((out / 100) % 100 > 99 || out % 100 > 99 || out < 0))
			abort();
	}
	free(s);
	return 0;
}
