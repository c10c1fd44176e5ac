/*
 * tests/fuzz/multipart.c — libFuzzer target for src/web/multipart.c: the
 * input is a body under a fixed boundary. Aborts when a part lies outside
 * the body, has no name, or when the form fields it yields are not
 * NUL-terminated UTF-8 within the limits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/str.h"
#include "web/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new(1 << 22);
	struct mpart parts[MULTIPART_MAX_PARTS];
	struct params form = { NULL, 0 };
	struct params_limits lim = { 8, 64 };
	const char *body = (const char *)data, *ct = "multipart/form-data; boundary=XyZ";
	int n, i;

	if (a == NULL)
		return 0;
	n = multipart_parse(a, ct, body, size, parts);
	if (n < -1 || n > MULTIPART_MAX_PARTS)
		abort();
	for (i = 0; i < n; i++) {
		if (parts[i].name == NULL || parts[i].data < body || parts[i].data + parts[i].len > body + size)
			abort();
	}
	if (multipart_form(a, ct, body, size, &lim, &form) == 0) {
		if (form.n > lim.max_fields)
			abort();
		for (i = 0; i < form.n; i++)
			if (strlen(form.v[i].value) > lim.max_value || !utf8_valid(form.v[i].value, strlen(form.v[i].value)))
				abort();
	}
	arena_free(a);
	return 0;
}
