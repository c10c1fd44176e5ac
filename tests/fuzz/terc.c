/*
 * tests/fuzz/terc.c — libFuzzer target for src/territory/terc.c: the input
 * is a whole TERC file (CSV or XML, told apart by the parser). Aborts when
 * a row breaks the parser's contract: a code of 2, 4 or 7 digits whose
 * parent is its prefix, a kind that fits the code's length, a valid date,
 * a non-empty UTF-8 name within TERC_NAME_MAX; or when the result and the
 * error count disagree, or a kept reason is unterminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "territory/terc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check_row(void *arg, const struct terc_row *r)
{
	size_t n = strlen(r->code), np = strlen(r->parent), nl = strlen(r->name);

	(void)arg;
	if ((n != 2 && n != 4 && n != 7) || strspn(r->code, "0123456789") != n)
		abort();
	if ((n == 2 && np != 0) || (n == 4 && np != 2) || (n == 7 && np != 4) ||
	    strncmp(r->code, r->parent, np) != 0)
		abort();
	if ((n == 2) != (r->kind == UNIT_VOIVODESHIP) ||
	    (n == 4) != (r->kind == UNIT_POWIAT || r->kind == UNIT_CITY_POWIAT) || r->kind >= UNIT__MAX)
		abort();
	if (strlen(r->valid_from) != 10 || r->valid_from[4] != '-' || r->valid_from[7] != '-')
		abort();
	if (nl == 0 || nl > TERC_NAME_MAX || !utf8_valid(r->name, nl) || r->line < 1)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct terc_errs e;
	int rc = terc_parse((const char *)data, size, check_row, NULL, &e), i;

	if (rc != (e.n > 0 ? 1 : 0))
		abort();
	for (i = 0; i < e.n && i < TERC_ERRS_MAX; i++)
		if (memchr(e.msg[i], '\0', sizeof(e.msg[i])) == NULL || e.msg[i][0] == '\0')
			abort();
	return 0;
}
