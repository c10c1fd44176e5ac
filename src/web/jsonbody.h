/*
 * jsonbody.h — reading JSON request bodies safely.
 *
 * jansson parses (rejecting duplicate keys, invalid UTF-8 and NUL
 * characters); this module adds the limits jansson lacks: body size,
 * nesting depth and the number of object members, and requires the top
 * level to be an object, as every razem API body is. A failure is
 * classified (enum jsonbody_kind) so the caller can say it in the UI
 * language; jansson's English text is kept apart.
 */
#ifndef RAZEM_WEB_JSONBODY_H
#define RAZEM_WEB_JSONBODY_H

#include <jansson.h>
#include <stddef.h>

struct jsonbody_limits {
	size_t max_bytes;  /* body size */
	int max_depth;     /* nesting of arrays and objects */
	size_t max_members; /* members and elements in total */
};

enum jsonbody_kind {
	JB_OTHER,      /* any other parse error */
	JB_EMPTY,      /* no body */
	JB_TOO_LARGE,  /* over max_bytes */
	JB_TOO_DEEP,   /* over max_depth */
	JB_TOO_MANY,   /* over max_members */
	JB_NOT_OBJECT, /* valid JSON, but not an object */
	JB_END,        /* input ends inside a value */
	JB_TOKEN,      /* an unexpected character or word */
	JB_STRING,     /* a bad string: control character, escape, invalid UTF-8 */
	JB_NUL,        /* \u0000 in a string */
	JB_DUPLICATE,  /* a repeated member name */
	JB_NUMBER,     /* a number out of range */
	JB_GARBAGE,    /* data after the top-level value */
};

struct jsonbody_error {
	enum jsonbody_kind kind;
	int line, column;   /* 1-based position, 0 when not applicable */
	char text[160];     /* a one-line English reason (the parser's own words) */
};

/*
 * jsonbody_parse() parses body[0..len) into *out (release with
 * json_decref()). Returns 0, or -1 with *err filled.
 */
int jsonbody_parse(const char *body, size_t len, const struct jsonbody_limits *lim, json_t **out,
		   struct jsonbody_error *err);

#endif
