/*
 * tests/fuzz/ident.c — libFuzzer target for src/core/ident.c: the input,
 * NUL-terminated, goes through all five checks (PESEL with and without a
 * "today"), each result through ident_message() with a full and a tiny
 * buffer, and the same bytes also make up an arbitrary struct ident_error
 * for ident_message(); the language (Polish or English) follows the last
 * byte. Aborts when a result contradicts the contract (return
 * value and code disagree, a bad NIP normal form, a PESEL date out of range,
 * an unterminated or oversized message).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/ident.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The Polish catalogue, when it loads, is used for every other input. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	i18n_init();
	return 0;
}

/* check() enforces the common contract of a check's result and renders it. */
static void check(int rc, const struct ident_error *e, enum ident_kind kind, size_t tiny)
{
	char m[256], small[16];

	if (rc != 0 && rc != -1)
		abort();
	if ((rc == 0) != (e->code == IDENT_OK) || e->kind != kind)
		abort();
	if (e->code < IDENT_OK || e->code >= IDENT_CODE__MAX)
		abort();
	if (ident_message(e, m, sizeof(m)) != m || m[0] == '\0' || strlen(m) >= sizeof(m) - 1)
		abort();
	ident_message(e, small, tiny);
	if (strlen(small) >= tiny)
		abort();
}

/* rd32() reads 4 bytes of data at i as an int (zero past the end). */
static int rd32(const uint8_t *data, size_t size, size_t i)
{
	uint32_t v = 0;
	size_t k;

	for (k = 0; k < 4; k++)
		v = v << 8 | (i + k < size ? data[i + k] : 0);
	return (int)(int32_t)v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct ident_error e, raw;
	struct pesel_info pi;
	struct terc_info ti;
	char norm[11], m[256];
	size_t tiny = 1 + (size > 0 ? data[0] % 15 : 0);
	int rc;

	if (s == NULL)
		return 0;
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	i18n_set_lang(size > 0 && data[size - 1] % 2 == 1 ? LANG_EN : LANG_PL);

	rc = pesel_check(s, 0, &pi, &e);
	check(rc, &e, IDENT_PESEL, tiny);
	if (rc == 0 && (pi.year < 1800 || pi.year > 2299 || pi.month < 1 || pi.month > 12 ||
			pi.day < 1 || pi.day > 31 || (pi.sex != 'K' && pi.sex != 'M')))
		abort();
	check(pesel_check(s, 20261123, NULL, &e), &e, IDENT_PESEL, tiny);
	pesel_check(s, rd32(data, size, 1), &pi, NULL);

	rc = nip_check(s, norm, &e);
	check(rc, &e, IDENT_NIP, tiny);
	if (rc == 0 && (strlen(norm) != 10 || strspn(norm, "0123456789") != 10))
		abort();
	if (rc == 0 && nip_check(norm, NULL, NULL) != 0)
		abort();

	check(regon_check(s, &e), &e, IDENT_REGON, tiny);

	rc = terc_check(s, &ti, &e);
	check(rc, &e, IDENT_TERC, tiny);
	if (rc == 0 && ti.level != TERC_WOJ && ti.level != TERC_POW && ti.level != TERC_GMI)
		abort();

	check(postcode_check(s, &e), &e, IDENT_POSTCODE, tiny);

	/* any struct ident_error at all must render without harm */
	raw.kind = (enum ident_kind)(size > 1 ? data[1] % (IDENT_KIND__MAX + 2) : 0);
	raw.code = (enum ident_code)(size > 2 ? data[2] % (IDENT_CODE__MAX + 2) : 0);
	raw.position = rd32(data, size, 3);
	raw.expected = rd32(data, size, 7);
	raw.got = rd32(data, size, 11);
	if (ident_message(&raw, m, sizeof(m)) != m || strlen(m) >= sizeof(m))
		abort();
	ident_message(&raw, m, tiny);
	ident_message(NULL, m, tiny);

	free(s);
	return 0;
}
