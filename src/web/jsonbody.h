/*
 * jsonbody.h — reading JSON request bodies safely.
 *
 * jansson parses (rejecting duplicate keys, invalid UTF-8 and NUL
 * characters); this module adds the limits jansson lacks: body size,
 * nesting depth and the number of object members, and requires the top
 * level to be an object, as every razem API body is.
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

/*
 * jsonbody_parse() parses body[0..len) into *out (release with
 * json_decref()). Returns 0, or -1 with a one-line English reason in err
 * and the 1-based line/column of the problem where known (in *line,
 * *column; 0 when not applicable).
 */
int jsonbody_parse(const char *body, size_t len, const struct jsonbody_limits *lim, json_t **out,
		   char *err, size_t errlen, int *line, int *column);

#endif
