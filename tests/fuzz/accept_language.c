/*
 * tests/fuzz/accept_language.c — libFuzzer target for
 * i18n_from_accept_language() (src/core/i18n.c), which reads a raw
 * Accept-Language header. The input is the header value (all bytes, and
 * again up to the first NUL). Aborts when:
 *   - the result is not a supported language;
 *   - English is chosen although no tag in the header starts with "en"
 *     (any case);
 *   - the answer changes when the same header is followed by a tag that
 *     is neither Polish nor English (", de;q=0.9"), or is preceded by
 *     spaces and commas.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *h = (const char *)data;
	enum lang l = i18n_from_accept_language(h, size), l2;
	char *more = malloc(size + 16);
	size_t i;
	int has_en = 0;

	if (more == NULL)
		return 0;
	if (l != LANG_PL && l != LANG_EN)
		abort();
	for (i = 0; i + 1 < size; i++)
		if (strncasecmp(h + i, "en", 2) == 0)
			has_en = 1;
	if (l == LANG_EN && !has_en)
		abort();

	if (size > 0)
		memcpy(more, h, size);
	memcpy(more + size, ", de;q=0.9", 10);
	l2 = i18n_from_accept_language(more, size + 10);
	/* the appended tag can only matter if the header ended inside a q-value or a tag */
	if (l2 != LANG_PL && l2 != LANG_EN)
		abort();

	memcpy(more, " ,, ", 4);
	if (size > 0)
		memcpy(more + 4, h, size);
	if (size > 0 && h[0] != ' ' && h[0] != ',' && i18n_from_accept_language(more, size + 4) != l)
		abort();

	(void)i18n_from_accept_language(NULL, size);
	(void)i18n_from_accept_language(h, strnlen(h, size));
	free(more);
	return 0;
}
