/*
 * input.h — typed reading of a form or a JSON body against a declared
 * list of fields.
 *
 * Each handler that accepts data declares its fields once (name, label,
 * type, limits); input_read() takes them from the urlencoded form of an
 * HTML request or from the JSON object of an API request, so both paths
 * share one validation. Problems become field errors in the UI language.
 * Domain rules (checksums, uniqueness) are checked afterwards by the
 * domain module's own validate function into the same struct verrs.
 */
#ifndef RAZEM_WEB_INPUT_H
#define RAZEM_WEB_INPUT_H

#include <stdint.h>

#include "core/verr.h"
#include "web/http.h"

enum field_type {
	F_TEXT,   /* a string, trimmed, at most max characters */
	F_SECRET, /* a string kept exactly as typed (passwords), at most max characters */
	F_INT,    /* a whole number in [min, max] */
	F_BOOL,   /* checkbox / JSON true/false; absent = false */
	F_CHOICE, /* one of choices */
	F_MULTI,  /* zero or more of choices (repeated form field / JSON array) */
};

enum field_flags {
	F_REQUIRED = 1 << 0, /* must be present and non-empty */
};

struct field {
	const char *name;            /* form field / JSON member */
	const char *label;           /* msgid for messages */
	enum field_type type;        /* how it is read */
	unsigned flags;              /* enum field_flags */
	int64_t min, max;            /* F_TEXT/F_SECRET: max = characters; F_INT: range */
	const char *const *choices;  /* F_CHOICE, F_MULTI: allowed values, NULL-terminated */
};

struct input {
	int present;         /* the field was sent (for partial API updates) */
	const char *text;    /* F_TEXT, F_SECRET, F_CHOICE: the value ("" when absent) */
	int64_t num;         /* F_INT: the value; F_BOOL: 0/1 */
	const char **multi;  /* F_MULTI: the values */
	int nmulti;          /* how many */
};

/*
 * input_read() reads n fields into out[0..n) (arena memory) and adds an
 * error to v for each problem. Unknown JSON members are refused too, so a
 * typo in an API call is reported instead of silently ignored. Returns the
 * number of errors added.
 */
int input_read(struct req *req, const struct field *fields, int n, struct input *out,
	       struct verrs *v);

/*
 * input_order_errors() puts v in the order of fields (errors of other
 * fields, and form-wide ones, after them), so the summary at the top of a
 * form reads top to bottom like the form itself.
 */
void input_order_errors(const struct field *fields, int n, struct verrs *v);

#endif
