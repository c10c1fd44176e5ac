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
	F_INTS,   /* whole numbers in [min, max] (repeated form field / JSON array of numbers) */
	F_OBJECT, /* JSON only: an object read against sub[0..nsub) */
	F_OBJECTS,/* JSON only: an array of objects, each read against sub[0..nsub) */
};

enum field_flags {
	F_REQUIRED = 1 << 0, /* must be present and non-empty */
	F_UNIQUE = 1 << 1,   /* F_INTS: no value twice */
};

#define INPUT_MAX_ITEMS 1000 /* F_INTS / F_OBJECTS elements when max_items is 0 */

struct field {
	const char *name;            /* form field / JSON member */
	const char *label;           /* msgid for messages */
	enum field_type type;        /* how it is read */
	unsigned flags;              /* enum field_flags */
	int64_t min, max;            /* F_TEXT/F_SECRET: max = characters; F_INT: range */
	const char *const *choices;  /* F_CHOICE, F_MULTI: allowed values, NULL-terminated */
	const struct field *sub;     /* F_OBJECT, F_OBJECTS: the members' own fields */
	int nsub;
	int min_items, max_items;    /* F_INTS, F_OBJECTS: element count (max 0 = INPUT_MAX_ITEMS) */
};

struct input {
	int present;         /* the field was sent (for partial API updates) */
	const char *text;    /* F_TEXT, F_SECRET, F_CHOICE: the value ("" when absent) */
	int64_t num;         /* F_INT: the value; F_BOOL: 0/1 */
	const char **multi;  /* F_MULTI: the values */
	int nmulti;          /* how many */
	int64_t *nums;       /* F_INTS: the values */
	int nnums;           /* how many */
	struct input *sub;   /* F_OBJECT: nsub values; F_OBJECTS: nitems × nsub (input_item) */
	int nitems;          /* F_OBJECTS: how many objects */
};

/* input_item() is the first of the nsub values of object i of an F_OBJECTS input. */
const struct input *input_item(const struct field *f, const struct input *in, int i);

/*
 * input_read() reads n fields into out[0..n) (arena memory) and adds an
 * error to v for each problem. Unknown JSON members are refused too, at
 * every level, so a typo in an API call is reported instead of silently
 * ignored. Errors of nested values name their path as the field:
 * "institutions[1]", "members[0].role". Returns the number of errors added.
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
