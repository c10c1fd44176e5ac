/*
 * verr.c — a fixed-size list of field errors (no allocation).
 */
#include "core/verr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/str.h"

void verrs_add(struct verrs *v, const char *field, const char *code, const char *fmt, ...)
{
	va_list ap;
	struct verr *e;
	int n;

	if (v->n >= VERR_MAX)
		return;
	if (field != NULL && field[0] != '\0' && verrs_for(v, field) != NULL)
		return;
	e = &v->e[v->n++];
	e->field = field != NULL ? field : "";
	e->code = code;
	va_start(ap, fmt);
	n = vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(e->message)) {
		/* cut back to a whole UTF-8 character: JSON and HTML need valid text */
		size_t len = strlen(e->message);

		while (len > 0 && !utf8_valid(e->message, len))
			len--;
		e->message[len] = '\0';
	}
}

const char *verrs_for(const struct verrs *v, const char *field)
{
	int i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->e[i].field, field) == 0)
			return v->e[i].message;
	return NULL;
}

int verrs_has(const struct verrs *v, const char *field)
{
	return verrs_for(v, field) != NULL;
}
