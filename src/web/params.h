/*
 * params.h — decoding of query strings, form bodies and cookies into
 * name/value lists, with limits.
 *
 * All three parsers are leaf code (arena only, no HTTP types) so they can
 * be fuzzed on their own. Values are NUL-terminated, percent-decoded and
 * guaranteed to be valid UTF-8 without NUL bytes; anything else is refused
 * as malformed rather than passed on.
 */
#ifndef RAZEM_WEB_PARAMS_H
#define RAZEM_WEB_PARAMS_H

#include <stddef.h>

#include "core/arena.h"

struct param {
	const char *name;  /* decoded name */
	const char *value; /* decoded value ("" when the field had no '=') */
};

struct params {
	struct param *v; /* in the order received */
	int n;           /* how many */
};

struct params_limits {
	int max_fields;      /* refuse more fields than this */
	size_t max_value;    /* refuse a value longer than this (bytes, decoded) */
};

enum params_rc {
	PARAMS_OK = 0,
	PARAMS_MALFORMED = -1, /* bad %-escape or invalid UTF-8 */
	PARAMS_TOO_MANY = -2,  /* more than max_fields */
	PARAMS_TOO_LONG = -3,  /* a value longer than max_value */
	PARAMS_NOMEM = -4,     /* arena exhausted */
};

/*
 * params_urlencoded() decodes application/x-www-form-urlencoded text (a
 * query string or a form body): fields separated by '&', '+' as space,
 * %XX escapes. Empty fields are skipped. Appends to out.
 */
int params_urlencoded(struct arena *a, const char *s, size_t len, const struct params_limits *lim,
		      struct params *out);

/*
 * params_cookies() decodes a Cookie header ("a=1; b=2"). Names and values
 * are taken as they are (no %-decoding, surrounding double quotes
 * removed); pairs that are not valid UTF-8 are skipped rather than failing
 * the request. Appends to out.
 */
int params_cookies(struct arena *a, const char *s, size_t len, const struct params_limits *lim,
		   struct params *out);

/* params_get() returns the first value for name, or NULL. */
const char *params_get(const struct params *p, const char *name);

/* params_count() counts the values given for name. */
int params_count(const struct params *p, const char *name);

#endif
