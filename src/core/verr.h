/*
 * verr.h — validation errors tied to fields.
 *
 * Input is checked once, at the boundary (form, JSON body, CSV row) and in
 * the domain for rules only the database can decide (a login already
 * taken). Both report here: which field, a stable machine code for the
 * JSON API ("required", "too_long", "invalid", "taken", ...) and a message
 * in the UI language for the person at the screen.
 */
#ifndef RAZEM_CORE_VERR_H
#define RAZEM_CORE_VERR_H

#define VERR_MAX 32

struct verr {
	const char *field;   /* input name, e.g. "regon"; "" for the whole form */
	const char *code;    /* stable code for the API */
	char message[320];   /* sentence in the UI language */
};

struct verrs {
	struct verr e[VERR_MAX]; /* in the order found */
	int n;                   /* how many */
};

#define VERRS_INIT { .n = 0 }

/*
 * verrs_add() records an error; message is a printf format. A field keeps
 * its first error only (the decoder's "not a number" beats the domain's
 * "required"), so every check can run and the user sees each field's
 * problem once. Errors past VERR_MAX are ignored.
 */
void verrs_add(struct verrs *v, const char *field, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* verrs_for() returns the first message for field, or NULL. */
const char *verrs_for(const struct verrs *v, const char *field);

/* verrs_has() is true when field has an error. */
int verrs_has(const struct verrs *v, const char *field);

#endif
