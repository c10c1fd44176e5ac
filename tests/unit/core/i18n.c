/*
 * tests/unit/core/i18n.c — UI language and catalogues: Polish as the
 * default (also in a new thread, the language being per thread), setting
 * and clamping the language, codes both ways, gettext in Polish and English
 * (unknown and empty ids returned as they are, the .mo header never
 * leaking), ngettext with the three Polish plural forms (1, 2-4, 5, 12-14,
 * 22, 25, 112, 0, 102, large n) and the English two, untranslated plurals,
 * and Accept-Language negotiation: region tags, case, q-values (ordering,
 * q=0 refusing, malformed, spaces), ties, unsupported and wildcard tags,
 * NULL, empty and garbage headers, and the length bound.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"

#define POSTCODE_1 "A postcode must be written NN-NNN (two digits, a dash, three digits), but the value given has %d character."
#define POSTCODE_N "A postcode must be written NN-NNN (two digits, a dash, three digits), but the value given has %d characters."
#define POSTCODE_PL "Kod pocztowy należy podać w formacie NN-NNN (dwie cyfry, myślnik, trzy cyfry), a podana wartość ma "

/* ---- helpers ---- */

static int setup(void **state)
{
	(void)state;
	return i18n_init();
}

/* Each test starts in Polish. */
static int reset(void **state)
{
	(void)state;
	i18n_set_lang(LANG_PL);
	return 0;
}

static enum lang al(const char *h)
{
	return i18n_from_accept_language(h, h != NULL ? strlen(h) : 0);
}

/* expect_al() asserts the language picked for header h. */
static void expect_al(const char *h, enum lang want)
{
	enum lang got = al(h);

	if (got != want)
		fail_msg("\"%s\": got %s, want %s", h != NULL ? h : "(null)", i18n_code(got),
			 i18n_code(want));
}

/* institutions() is the Polish form for n active institutions. */
static const char *institutions(unsigned long n)
{
	return i18n_ngettext("active institution", "active institutions", n);
}

static void *thread_lang(void *arg)
{
	enum lang *out = arg;

	*out = i18n_lang();
	i18n_set_lang(LANG_EN); /* must not leak into the main thread */
	return NULL;
}

/* ---- language state ---- */

static void test_core__i18n__default_polish(void **state)
{
	(void)state;
	assert_int_equal(i18n_lang(), LANG_PL);
	assert_string_equal(_("Sign in"), "Zaloguj się");
}

static void test_core__i18n__per_thread(void **state)
{
	pthread_t th;
	enum lang seen = LANG__MAX;

	(void)state;
	i18n_set_lang(LANG_EN);
	assert_int_equal(pthread_create(&th, NULL, thread_lang, &seen), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(seen, LANG_PL); /* a new thread starts in Polish */
	assert_int_equal(i18n_lang(), LANG_EN);
}

static void test_core__i18n__set_lang(void **state)
{
	(void)state;
	i18n_set_lang(LANG_EN);
	assert_int_equal(i18n_lang(), LANG_EN);
	i18n_set_lang(LANG_PL);
	assert_int_equal(i18n_lang(), LANG_PL);
	i18n_set_lang(LANG_EN);
	i18n_set_lang(LANG__MAX); /* out of range falls back to Polish */
	assert_int_equal(i18n_lang(), LANG_PL);
	i18n_set_lang(LANG_EN);
	i18n_set_lang((enum lang)42);
	assert_int_equal(i18n_lang(), LANG_PL);
	i18n_set_lang(LANG_EN);
	i18n_set_lang((enum lang)-1);
	assert_int_equal(i18n_lang(), LANG_PL);
}

static void test_core__i18n__codes(void **state)
{
	(void)state;
	assert_string_equal(i18n_code(LANG_PL), "pl");
	assert_string_equal(i18n_code(LANG_EN), "en");
	assert_int_equal(i18n_parse("pl"), LANG_PL);
	assert_int_equal(i18n_parse("en"), LANG_EN);
	assert_int_equal(i18n_parse(NULL), -1);
	assert_int_equal(i18n_parse(""), -1);
	assert_int_equal(i18n_parse("PL"), -1);
	assert_int_equal(i18n_parse("de"), -1);
	assert_int_equal(i18n_parse("pl-PL"), -1);
	assert_int_equal(i18n_parse("pl "), -1);
	assert_int_equal(i18n_parse("english"), -1);
	assert_int_equal(i18n_parse(i18n_code(LANG_PL)), LANG_PL);
	assert_int_equal(i18n_parse(i18n_code(LANG_EN)), LANG_EN);
}

/* ---- gettext ---- */

static void test_core__i18n__gettext(void **state)
{
	static const char unknown[] = "No such message id in any catalogue";

	(void)state;
	assert_string_equal(_("Sign in"), "Zaloguj się");
	assert_string_equal(_("Administration"), "Administracja");
	assert_ptr_equal(_(unknown), unknown);
	assert_string_equal(_("sign in"), "sign in"); /* ids are case-sensitive */
	assert_string_equal(_("Sign in "), "Sign in ");
	i18n_set_lang(LANG_EN);
	assert_string_equal(_("Sign in"), "Sign in");
	assert_ptr_equal(_(unknown), unknown);
}

/*
 * A msgid in writable memory is looked up by its text every time: the
 * cache by address (for literals) must not answer for a buffer whose
 * content has changed under the same address. Literals answer the same
 * on every call, in each language.
 */
static void test_core__i18n__gettext_buffer(void **state)
{
	char buf[64];
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		snprintf(buf, sizeof(buf), "%s", "Sign in");
		assert_string_equal(_(buf), "Zaloguj się");
		snprintf(buf, sizeof(buf), "%s", "Administration");
		assert_string_equal(_(buf), "Administracja");
		snprintf(buf, sizeof(buf), "%s", "No such message");
		assert_ptr_equal(_(buf), buf);
		assert_string_equal(_("Sign in"), "Zaloguj się");
		assert_string_equal(_("Administration"), "Administracja");
	}
	i18n_set_lang(LANG_EN);
	assert_string_equal(_("Sign in"), "Sign in");
	snprintf(buf, sizeof(buf), "%s", "Sign in");
	assert_ptr_equal(_(buf), buf);
	i18n_set_lang(LANG_PL);
	assert_string_equal(_("Sign in"), "Zaloguj się");
	assert_string_equal(i18n_ngettext("Your role", "Your roles", 2), "Twoje role");
	assert_string_equal(i18n_ngettext("Your role", "Your roles", 1), "Twoja rola");
}

static void test_core__i18n__gettext_empty(void **state)
{
	(void)state;
	/* the catalogue header (msgid "") must never be shown */
	assert_string_equal(_(""), "");
	i18n_set_lang(LANG_EN);
	assert_string_equal(_(""), "");
}

static void test_core__i18n__n_(void **state)
{
	static const char *const later = N_("Sign in");

	(void)state;
	assert_string_equal(later, "Sign in");
	assert_string_equal(_(later), "Zaloguj się");
}

/* ---- plurals ---- */

static void test_core__i18n__plural_polish(void **state)
{
	static const struct {
		unsigned long n;
		const char *want;
	} cases[] = {
		{ 0, "aktywnych instytucji" },    { 1, "aktywna instytucja" },
		{ 2, "aktywne instytucje" },      { 3, "aktywne instytucje" },
		{ 4, "aktywne instytucje" },      { 5, "aktywnych instytucji" },
		{ 10, "aktywnych instytucji" },   { 11, "aktywnych instytucji" },
		{ 12, "aktywnych instytucji" },   { 13, "aktywnych instytucji" },
		{ 14, "aktywnych instytucji" },   { 15, "aktywnych instytucji" },
		{ 20, "aktywnych instytucji" },   { 21, "aktywnych instytucji" },
		{ 22, "aktywne instytucje" },     { 23, "aktywne instytucje" },
		{ 24, "aktywne instytucje" },     { 25, "aktywnych instytucji" },
		{ 101, "aktywnych instytucji" },  { 102, "aktywne instytucje" },
		{ 104, "aktywne instytucje" },    { 111, "aktywnych instytucji" },
		{ 112, "aktywnych instytucji" },  { 114, "aktywnych instytucji" },
		{ 122, "aktywne instytucje" },    { 1001, "aktywnych instytucji" },
		{ 1002, "aktywne instytucje" },   { 1012, "aktywnych instytucji" },
		{ 4294967294UL, "aktywne instytucje" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strcmp(institutions(cases[i].n), cases[i].want) != 0)
			fail_msg("n=%lu: got \"%s\", want \"%s\"", cases[i].n, institutions(cases[i].n),
				 cases[i].want);
}

static void test_core__i18n__plural_polish_formats(void **state)
{
	char out[256];

	(void)state;
	/* the brief's figures: 1, 2, 5, 22, 25, 112 */
	snprintf(out, sizeof(out), i18n_ngettext(POSTCODE_1, POSTCODE_N, 1), 1);
	assert_string_equal(out, POSTCODE_PL "1 znak.");
	snprintf(out, sizeof(out), i18n_ngettext(POSTCODE_1, POSTCODE_N, 2), 2);
	assert_string_equal(out, POSTCODE_PL "2 znaki.");
	snprintf(out, sizeof(out), i18n_ngettext(POSTCODE_1, POSTCODE_N, 5), 5);
	assert_string_equal(out, POSTCODE_PL "5 znaków.");
	snprintf(out, sizeof(out), i18n_ngettext(POSTCODE_1, POSTCODE_N, 22), 22);
	assert_string_equal(out, POSTCODE_PL "22 znaki.");
	snprintf(out, sizeof(out), i18n_ngettext(POSTCODE_1, POSTCODE_N, 25), 25);
	assert_string_equal(out, POSTCODE_PL "25 znaków.");
	snprintf(out, sizeof(out), i18n_ngettext(POSTCODE_1, POSTCODE_N, 112), 112);
	assert_string_equal(out, POSTCODE_PL "112 znaków.");
	assert_string_equal(i18n_ngettext("active account", "active accounts", 1), "aktywne konto");
	assert_string_equal(i18n_ngettext("active account", "active accounts", 3), "aktywne konta");
	assert_string_equal(i18n_ngettext("active account", "active accounts", 7), "aktywnych kont");
}

static void test_core__i18n__plural_english(void **state)
{
	static const char one[] = "active institution", many[] = "active institutions";
	static const unsigned long ns[] = { 0, 2, 5, 22, 25, 112 };
	size_t i;

	(void)state;
	i18n_set_lang(LANG_EN);
	assert_ptr_equal(i18n_ngettext(one, many, 1), one);
	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		assert_ptr_equal(i18n_ngettext(one, many, ns[i]), many);
}

static void test_core__i18n__plural_untranslated(void **state)
{
	static const char one[] = "%d frobnicated widget", many[] = "%d frobnicated widgets";

	(void)state;
	/* no translation: the English rule picks between the ids, in Polish too */
	assert_ptr_equal(i18n_ngettext(one, many, 1), one);
	assert_ptr_equal(i18n_ngettext(one, many, 2), many);
	assert_ptr_equal(i18n_ngettext(one, many, 5), many);
	assert_ptr_equal(i18n_ngettext(one, many, 0), many);
}

/* ---- Accept-Language ---- */

static void test_core__i18n__accept_simple(void **state)
{
	(void)state;
	expect_al("pl", LANG_PL);
	expect_al("en", LANG_EN);
	expect_al("en-US", LANG_EN);
	expect_al("en-GB,en;q=0.9", LANG_EN);
	expect_al("pl-PL,pl;q=0.9,en-US;q=0.8,en;q=0.7", LANG_PL);
	expect_al("EN-us", LANG_EN);
	expect_al("En", LANG_EN);
	expect_al("PL", LANG_PL);
}

static void test_core__i18n__accept_q(void **state)
{
	(void)state;
	expect_al("en;q=0.8, pl;q=0.9", LANG_PL);
	expect_al("pl;q=0.8, en;q=0.9", LANG_EN);
	expect_al("pl;q=0.5,en", LANG_EN);           /* no q is q=1 */
	expect_al("en;q=0.5,pl", LANG_PL);
	expect_al("en;q=1.0,pl;q=0.999", LANG_EN);
	expect_al("pl;q=0.001,en;q=0.002", LANG_EN);
	expect_al("de-DE,de;q=0.9,en;q=0.5", LANG_EN);
	expect_al("de, en;q=0.1", LANG_EN);
	expect_al("fr;q=1, en;q=0.3, pl;q=0.2", LANG_EN);
	expect_al("en; q=0.5, pl; q=0.7", LANG_PL);   /* spaces before q */
	expect_al("en-US;q=0.9;x=y,pl;q=0.8", LANG_EN); /* other parameters */
	expect_al("pl;q=0.1,en;q=0.8;level=1", LANG_EN);
}

static void test_core__i18n__accept_refused(void **state)
{
	(void)state;
	/* q=0 means "not acceptable" */
	expect_al("en;q=0", LANG_PL);
	expect_al("en;q=0.0", LANG_PL);
	expect_al("en;q=0.000,de", LANG_PL);
	expect_al("pl;q=0,en;q=0.1", LANG_EN);
	expect_al("pl;q=0,en;q=0", LANG_PL);
	/* a malformed q is not a preference */
	expect_al("en;q=abc", LANG_PL);
	expect_al("en;q=", LANG_PL);
}

static void test_core__i18n__accept_ties(void **state)
{
	(void)state;
	/* equal q: the first listed wins */
	expect_al("en, pl", LANG_EN);
	expect_al("pl, en", LANG_PL);
	expect_al("en;q=0.5, pl;q=0.5", LANG_EN);
	expect_al("pl;q=0.5, en;q=0.5", LANG_PL);
	expect_al("en-US, en-GB, pl", LANG_EN);
}

static void test_core__i18n__accept_unsupported(void **state)
{
	(void)state;
	expect_al(NULL, LANG_PL);
	expect_al("", LANG_PL);
	expect_al("   ", LANG_PL);
	expect_al(",,,", LANG_PL);
	expect_al("*", LANG_PL);
	expect_al("de", LANG_PL);
	expect_al("de-DE, fr;q=0.9, uk;q=0.8", LANG_PL);
	expect_al("eng", LANG_PL);    /* not "en" */
	expect_al("english", LANG_PL);
	expect_al("enx-US", LANG_PL);
	expect_al("e", LANG_PL);
	expect_al("pol", LANG_PL);
	expect_al("x-en", LANG_PL);
	expect_al(";q=1", LANG_PL);
	expect_al("q=1", LANG_PL);
	expect_al("\xC5\xBC\xC3\xB3\xC5\x82w", LANG_PL);
	expect_al("en\xFF", LANG_PL);
}

static void test_core__i18n__accept_length(void **state)
{
	static const char h[] = "de,en;q=0.5";
	static const char nul[] = "de\0en";
	char big[4096];
	size_t i;

	(void)state;
	/* only h[0..len) is read */
	assert_int_equal(i18n_from_accept_language(h, 2), LANG_PL);
	assert_int_equal(i18n_from_accept_language(h, 5), LANG_EN);
	assert_int_equal(i18n_from_accept_language(h, sizeof(h) - 1), LANG_EN);
	assert_int_equal(i18n_from_accept_language(h, 0), LANG_PL);
	assert_int_equal(i18n_from_accept_language("en", 1), LANG_PL);
	/* q cut short by len: "q=0." reads as 0 */
	assert_int_equal(i18n_from_accept_language("en;q=0.5", 7), LANG_PL);
	assert_int_equal(i18n_from_accept_language(nul, 2), LANG_PL);
	/* a long header of unsupported languages with English last */
	for (i = 0; i + 6 < sizeof(big) - 16; i += 6)
		memcpy(big + i, "de-DE,", 6);
	strcpy(big + i, "en;q=0.1");
	assert_int_equal(al(big), LANG_EN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_core__i18n__default_polish, NULL),
		cmocka_unit_test_setup(test_core__i18n__per_thread, reset),
		cmocka_unit_test_setup(test_core__i18n__set_lang, reset),
		cmocka_unit_test_setup(test_core__i18n__codes, reset),
		cmocka_unit_test_setup(test_core__i18n__gettext, reset),
		cmocka_unit_test_setup(test_core__i18n__gettext_buffer, reset),
		cmocka_unit_test_setup(test_core__i18n__gettext_empty, reset),
		cmocka_unit_test_setup(test_core__i18n__n_, reset),
		cmocka_unit_test_setup(test_core__i18n__plural_polish, reset),
		cmocka_unit_test_setup(test_core__i18n__plural_polish_formats, reset),
		cmocka_unit_test_setup(test_core__i18n__plural_english, reset),
		cmocka_unit_test_setup(test_core__i18n__plural_untranslated, reset),
		cmocka_unit_test_setup(test_core__i18n__accept_simple, reset),
		cmocka_unit_test_setup(test_core__i18n__accept_q, reset),
		cmocka_unit_test_setup(test_core__i18n__accept_refused, reset),
		cmocka_unit_test_setup(test_core__i18n__accept_ties, reset),
		cmocka_unit_test_setup(test_core__i18n__accept_unsupported, reset),
		cmocka_unit_test_setup(test_core__i18n__accept_length, reset),
	};

	return cmocka_run_group_tests_name("core/i18n", tests, setup, NULL);
}
