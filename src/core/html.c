/*
 * html.c — escaping writers for HTML output.
 */
#include "core/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* html_fmt() hands validated single conversions to snprintf. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

void html_raw(struct buf *b, const char *markup)
{
	buf_adds(b, markup);
}

/* needs_escape[c] is the entity for c, or NULL: one table look-up a byte. */
static const char *const needs_escape[256] = {
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
};

void html_textn(struct buf *b, const char *s, size_t n)
{
	size_t i, start = 0;

	if (s == NULL)
		return;
	for (i = 0; i < n; i++) {
		const char *rep = needs_escape[(unsigned char)s[i]];

		if (rep == NULL)
			continue;
		buf_add(b, s + start, i - start);
		buf_adds(b, rep);
		start = i + 1;
	}
	buf_add(b, s + start, n - start);
}

void html_text(struct buf *b, const char *s)
{
	if (s != NULL)
		html_textn(b, s, strlen(s));
}

/* spec_len() measures a conversion after '%' that html_fmt() supports; 0 if unsupported. */
static size_t spec_len(const char *p, char *conv, int *lmod, int *star)
{
	size_t i = 0;

	*lmod = 0;
	*star = 0;
	while (p[i] == '-' || p[i] == '0')
		i++;
	while (p[i] >= '0' && p[i] <= '9')
		i++;
	if (p[i] == '.') {
		i++;
		if (p[i] == '*') {
			*star = 1;
			i++;
		}
		while (p[i] >= '0' && p[i] <= '9')
			i++;
	}
	if (p[i] == 'l' && p[i + 1] == 'l') {
		*lmod = 2;
		i += 2;
	} else if (p[i] == 'l') {
		*lmod = 1;
		i++;
	} else if (p[i] == 'z') {
		*lmod = 3;
		i++;
	}
	*conv = p[i];
	switch (p[i]) {
	case 'd': case 'i': case 'u':
		return i + 1;
	case 's': /* only %s and %.*s: no width, fixed precision or %ls */
		return i == 0 || (i == 2 && *star) ? i + 1 : 0;
	default:
		return 0;
	}
}

/* add_decimal() writes v in decimal, with a minus sign when negative is set. */
static void add_decimal(struct buf *b, unsigned long long v, int negative)
{
	char digits[24];
	int i = (int)sizeof(digits);

	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	if (negative)
		digits[--i] = '-';
	buf_add(b, digits + i, sizeof(digits) - (size_t)i);
}

/* add_plain_int() formats %d %i %u with their l, ll and z modifiers, without snprintf. */
static void add_plain_int(struct buf *b, char conv, int lmod, va_list *ap)
{
	long long v;

	if (conv == 'u') {
		unsigned long long u = lmod == 2   ? va_arg(*ap, unsigned long long)
				       : lmod == 1 ? va_arg(*ap, unsigned long)
				       : lmod == 3 ? va_arg(*ap, size_t)
						   : va_arg(*ap, unsigned int);

		add_decimal(b, u, 0);
		return;
	}
	v = lmod == 2	? va_arg(*ap, long long)
	    : lmod == 1 ? va_arg(*ap, long)
	    : lmod == 3 ? (long long)va_arg(*ap, size_t)
			: va_arg(*ap, int);
	add_decimal(b, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0);
}

void html_fmt(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	const char *p = fmt, *lit = fmt;

	va_start(ap, fmt);
	while (*p != '\0') {
		char spec[32], conv, num[64];
		int lmod, star, prec = -1;
		size_t n;

		if (*p != '%') {
			p++;
			continue;
		}
		buf_add(b, lit, (size_t)(p - lit));
		if (p[1] == '%') {
			buf_addc(b, '%');
			p += 2;
			lit = p;
			continue;
		}
		n = spec_len(p + 1, &conv, &lmod, &star);
		if (n == 0 || n + 2 > sizeof(spec)) {
			b->failed = 1;
			break;
		}
		memcpy(spec, p, n + 1);
		spec[n + 1] = '\0';
		p += n + 1;
		lit = p;
		if (star)
			prec = va_arg(ap, int);
		if (conv == 's') {
			const char *s = va_arg(ap, const char *);

			if (s != NULL)
				html_textn(b, s, prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s));
			continue;
		}
		if (star) { /* precision on integers is not used here */
			b->failed = 1;
			break;
		}
		if (n == 1 || (n == 2 && lmod == 1) || (n == 3 && lmod == 2) || (n == 2 && lmod == 3)) {
			add_plain_int(b, conv, lmod, &ap); /* no flags or width: the common case */
			continue;
		}
		if (conv == 'u') {
			if (lmod == 2)
				snprintf(num, sizeof(num), spec, va_arg(ap, unsigned long long));
			else if (lmod == 1)
				snprintf(num, sizeof(num), spec, va_arg(ap, unsigned long));
			else if (lmod == 3)
				snprintf(num, sizeof(num), spec, va_arg(ap, size_t));
			else
				snprintf(num, sizeof(num), spec, va_arg(ap, unsigned int));
		} else {
			if (lmod == 2)
				snprintf(num, sizeof(num), spec, va_arg(ap, long long));
			else if (lmod == 1)
				snprintf(num, sizeof(num), spec, va_arg(ap, long));
			else if (lmod == 3)
				snprintf(num, sizeof(num), spec, va_arg(ap, size_t));
			else
				snprintf(num, sizeof(num), spec, va_arg(ap, int));
		}
		buf_adds(b, num);
	}
	buf_add(b, lit, (size_t)(p - lit));
	va_end(ap);
}
