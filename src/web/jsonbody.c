/*
 * jsonbody.c — a pre-scan bounds the depth and size before jansson
 * builds anything, so hostile bodies cannot make the parser recurse deep
 * or allocate much.
 */
#include "web/jsonbody.h"

#include <stdio.h>
#include <string.h>

/* prescan() measures nesting depth and the number of values outside strings. */
static int prescan(const char *s, size_t len, const struct jsonbody_limits *lim,
		   struct jsonbody_error *err)
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
				err->kind = JB_TOO_DEEP;
				snprintf(err->text, sizeof(err->text), "nesting deeper than %d levels",
					 lim->max_depth);
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
			err->kind = JB_TOO_MANY;
			snprintf(err->text, sizeof(err->text), "more than %zu values", lim->max_members);
			return -1;
		}
	}
	return 0;
}

/* classify() maps a jansson error to the kinds the UI explains. */
static enum jsonbody_kind classify(const json_error_t *je)
{
	switch (json_error_code(je)) {
	case json_error_invalid_utf8: return JB_STRING;
	case json_error_premature_end_of_input: return JB_END;
	case json_error_end_of_input_expected: return JB_GARBAGE;
	case json_error_null_character: return JB_NUL;
	case json_error_duplicate_key: return JB_DUPLICATE;
	case json_error_numeric_overflow: return JB_NUMBER;
	case json_error_stack_overflow: return JB_TOO_DEEP;
	case json_error_invalid_syntax:
		if (strstr(je->text, "end of file") != NULL)
			return JB_END;
		if (strstr(je->text, "escape") != NULL || strstr(je->text, "control character") != NULL ||
		    strstr(je->text, "UTF-8") != NULL)
			return JB_STRING;
		if (strstr(je->text, "too big") != NULL)
			return JB_NUMBER;
		return JB_TOKEN;
	default: return JB_OTHER;
	}
}

int jsonbody_parse(const char *body, size_t len, const struct jsonbody_limits *lim, json_t **out,
		   struct jsonbody_error *err)
{
	json_error_t je;
	json_t *j;

	*out = NULL;
	memset(err, 0, sizeof(*err));
	if (len == 0) {
		err->kind = JB_EMPTY;
		snprintf(err->text, sizeof(err->text), "the request body is empty; a JSON object is expected");
		return -1;
	}
	if (len > lim->max_bytes) {
		err->kind = JB_TOO_LARGE;
		snprintf(err->text, sizeof(err->text), "body larger than %zu bytes", lim->max_bytes);
		return -1;
	}
	if (prescan(body, len, lim, err) != 0)
		return -1;
	j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL) {
		err->kind = classify(&je);
		snprintf(err->text, sizeof(err->text), "%s", je.text);
		err->line = je.line > 0 ? je.line : 0;
		err->column = je.column > 0 ? je.column : 0;
		return -1;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		err->kind = JB_NOT_OBJECT;
		snprintf(err->text, sizeof(err->text), "a JSON object is expected at the top level");
		return -1;
	}
	*out = j;
	return 0;
}
