/*
 * money.c — amounts in złoty as people type them, kept as grosze
 * (situation.h: money_parse(), money_format(), money_input()).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "registry/situation.h"

/* ------------------------------------------------------------------ */
/* Money                                                               */
/* ------------------------------------------------------------------ */

/* skip_space() skips ASCII spaces, no-break (U+00A0) and narrow no-break (U+202F) spaces. */
static const char *skip_space(const char *p)
{
	for (;;) {
		if (*p == ' ' || *p == '\t')
			p++;
		else if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
			p += 2;
		else if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
			 (unsigned char)p[2] == 0xAF)
			p += 3;
		else
			return p;
	}
}

int money_parse(const char *text, int64_t *grosze)
{
	char digits[64];
	const char *p, *dec = NULL;
	size_t n = 0, len;
	int64_t zl = 0, gr = 0;
	int has_comma, ndec = 0, i;

	if (text == NULL)
		return MONEY_SYNTAX;
	p = skip_space(text);
	if (*p == '-')
		return MONEY_NEGATIVE;
	if (*p == '+')
		p++;
	len = strlen(p);
	/* the currency at the end: "zł", "zl", "PLN" (any case) */
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	if (len >= 3 && strncasecmp(p + len - 3, "zł", 3) == 0)
		len -= 3;
	else if (len >= 3 && strncasecmp(p + len - 3, "pln", 3) == 0)
		len -= 3;
	else if (len >= 2 && strncasecmp(p + len - 2, "zl", 2) == 0)
		len -= 2;
	has_comma = memchr(p, ',', len) != NULL;
	if (!has_comma) { /* a lone dot before one or two final digits is the decimal point */
		const char *dot = NULL;
		for (i = 0; i < (int)len; i++)
			if (p[i] == '.')
				dot = dot == NULL ? p + i : (const char *)-1;
		if (dot != NULL && dot != (const char *)-1) {
			size_t after = (size_t)(p + len - dot - 1);
			while (after > 0 && (dot[after] == ' '))
				after--;
			if (after >= 1 && after <= 2)
				dec = dot;
		}
	}
	for (i = 0; i < (int)len;) {
		const char *q = p + i, *r;
		if (*q >= '0' && *q <= '9') {
			if (has_comma && memchr(p, ',', (size_t)(q - p)) != NULL) {
				if (++ndec > 2)
					return MONEY_DECIMALS;
				gr = gr * 10 + (*q - '0');
			} else {
				if (n >= 13)
					return MONEY_TOO_LARGE;
				digits[n++] = *q;
			}
			i++;
			continue;
		}
		if (*q == ',' ) {
			if (q != memchr(p, ',', len) || n == 0)
				return MONEY_SYNTAX; /* a second comma, or nothing before it */
			i++;
			continue;
		}
		if (dec != NULL && q == dec) {
			if (n == 0)
				return MONEY_SYNTAX;
			/* from here on, digits are grosze */
			has_comma = 0;
			i++;
			for (; i < (int)len; i++) {
				if (p[i] >= '0' && p[i] <= '9') {
					if (++ndec > 2)
						return MONEY_DECIMALS;
					gr = gr * 10 + (p[i] - '0');
				} else if (p[i] != ' ')
					return MONEY_SYNTAX;
			}
			break;
		}
		if ((*q == '.' || *q == '\'') && n > 0 && !(has_comma && memchr(p, ',', (size_t)(q - p)))) {
			i++;
			continue;
		}
		r = skip_space(q);
		if (r != q && n > 0) {
			i += (int)(r - q);
			continue;
		}
		return MONEY_SYNTAX;
	}
	if (n == 0)
		return MONEY_SYNTAX;
	if (has_comma && ndec == 0 && p[len - 1] == ',')
		return MONEY_SYNTAX; /* "12," */
	if (ndec == 1)
		gr *= 10;
	for (i = 0; i < (int)n; i++)
		zl = zl * 10 + (digits[i] - '0');
	if (zl > MONEY_MAX_GROSZE / 100 || zl * 100 + gr > MONEY_MAX_GROSZE)
		return MONEY_TOO_LARGE;
	*grosze = zl * 100 + gr;
	return 0;
}

const char *money_format(struct arena *a, int64_t grosze)
{
	char digits[32], out[64];
	int n, i, k = 0;

	if (grosze < 0)
		return "";
	n = snprintf(digits, sizeof(digits), "%lld", (long long)(grosze / 100));
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0) { /* a no-break space between thousands */
			out[k++] = (char)0xC2;
			out[k++] = (char)0xA0;
		}
		out[k++] = digits[i];
	}
	out[k] = '\0';
	return arena_printf(a, "%s,%02lld\xC2\xA0zł", out, (long long)(grosze % 100));
}

const char *money_input(struct arena *a, int64_t grosze)
{
	return grosze < 0 ? "" : arena_printf(a, "%lld,%02lld", (long long)(grosze / 100),
					      (long long)(grosze % 100));
}

