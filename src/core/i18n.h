/*
 * i18n.h — UI language and message catalogues (gettext .po/.mo files).
 *
 * Message ids in the source are English, marked with _() (and N_() where
 * the translation happens later); po/pl.po is the Polish catalogue, which
 * is the default UI language and must stay complete (checked in make
 * check). The compiled catalogues are embedded in the binary, so the
 * language can be chosen per request and per thread without installed
 * system locales (which glibc's gettext would need for that).
 */
#ifndef RAZEM_CORE_I18N_H
#define RAZEM_CORE_I18N_H

#include <stddef.h>

enum lang {
	LANG_PL, /* Polish, the default */
	LANG_EN, /* English: the message ids themselves */
	LANG__MAX
};

/*
 * i18n_init() loads the embedded catalogues. Call once at start-up,
 * before any thread starts. Returns 0, or -1 if a catalogue is corrupt.
 */
int i18n_init(void);

/* The calling thread's current language (LANG_PL until set). */
enum lang i18n_lang(void);
void i18n_set_lang(enum lang lang);

/* Two-letter code ("pl", "en") of a language, and the reverse (-1 if unknown). */
const char *i18n_code(enum lang lang);
int i18n_parse(const char *code);

/*
 * i18n_from_accept_language() picks the best supported language from an
 * Accept-Language header value (q-values honoured); LANG_PL when none fits
 * or the header is NULL or malformed.
 */
enum lang i18n_from_accept_language(const char *header, size_t len);

/*
 * i18n_gettext() translates msgid into the thread's language; returns
 * msgid itself when no translation exists. The result is static.
 */
const char *i18n_gettext(const char *msgid);

/*
 * i18n_ngettext() picks the plural form for n (Polish has three) and
 * translates it; falls back to English rules on the ids.
 */
const char *i18n_ngettext(const char *singular, const char *plural, unsigned long n);

#define _(s) i18n_gettext(s)
#define N_(s) (s)

/*
 * i18n_fmt_num() writes x with decimals (0..6) digits after the separator
 * of the calling thread's language: Polish "12 345,5" (a no-break space
 * from five digits up, a decimal comma), English "12,345.5"; "–" for a
 * non-finite x. For people only: JSON and CSV/XLSX keep "12345.5". Returns out.
 */
char *i18n_fmt_num(char *out, size_t size, double x, int decimals);

#endif
