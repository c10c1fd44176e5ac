/*
 * jsonbody.c — a pre-scan bounds the depth and size before jansson
 * builds anything, so hostile bodies cannot make the parser recurse deep
 * or allocate much.
 */
#include "web/jsonbody.h"

#include <stdio.h>

/* prescan() measures nesting depth and the number of values outside strings. */
static int prescan(const char *s, size_t len, const struct jsonbody_limits *lim, char *err,
		   size_t errlen)
{
	int depth = 0, in_str = 0, esc = 0;
	size_t members = 0, i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		switch (c) {
		case '"':
			in_str = 1;
			break;
		case '{': case '[':
			if (++depth > lim->max_depth) {
				snprintf(err, errlen, "nesting deeper than %d levels", lim->max_depth);
				return -1;
			}
			members++;
			break;
		case '}': case ']':
			depth--;
			break;
		case ',':
			members++;
			break;
		default:
			break;
		}
		if (members > lim->max_members) {
			snprintf(err, errlen, "more than %zu values", lim->max_members);
			return -1;
		}
	}
	return 0;
}

int jsonbody_parse(const char *body, size_t len, const struct jsonbody_limits *lim, json_t **out,
		   char *err, size_t errlen, int *line, int *column)
{
	json_error_t je;
	json_t *j;

	*out = NULL;
	*line = 0;
	*column = 0;
	if (len == 0) {
		snprintf(err, errlen, "the request body is empty; a JSON object is expected");
		return -1;
	}
	if (len > lim->max_bytes) {
		snprintf(err, errlen, "body larger than %zu bytes", lim->max_bytes);
		return -1;
	}
	if (prescan(body, len, lim, err, errlen) != 0)
		return -1;
	j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL) {
		snprintf(err, errlen, "%s", je.text);
		*line = je.line > 0 ? je.line : 0;
		*column = je.column > 0 ? je.column : 0;
		return -1;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		snprintf(err, errlen, "a JSON object is expected at the top level");
		return -1;
	}
	*out = j;
	return 0;
}
