/*
 * jsonw.h — JSON written straight into a buffer, for the hot API answers
 * (a person read): no tree of nodes built, allocated and freed per value
 * as jansson does, the same bytes as json_dumps(JSON_COMPACT) gives for
 * the same keys in the same order (strings escaped as jansson escapes
 * them: '"', '\\', the control characters; UTF-8 kept as it is).
 *
 *   struct jsonw w;
 *   jsonw_init(&w, &req->out);
 *   jsonw_object(&w, NULL);
 *   jsonw_int(&w, "id", 7);
 *   jsonw_string(&w, "name", name);      NULL writes null
 *   jsonw_end(&w);                       closes the object
 *
 * Errors are the buffer's (sticky, buf.h); a string that is not valid
 * UTF-8 fails the writer too (w.failed), as jansson refuses it.
 */
#ifndef RAZEM_CORE_JSONW_H
#define RAZEM_CORE_JSONW_H

#include <stdint.h>

#include "core/buf.h"

#define JSONW_DEPTH 8

struct jsonw {
	struct buf *b;
	int depth;                  /* open objects and arrays */
	int count[JSONW_DEPTH];     /* values written in each, for the commas */
	char close[JSONW_DEPTH];    /* '}' or ']' */
	int failed;                 /* invalid UTF-8, or nesting beyond JSONW_DEPTH */
};

void jsonw_init(struct jsonw *w, struct buf *b);

/* Each writes key (inside an object; NULL in an array or at the top) and a value. */
void jsonw_object(struct jsonw *w, const char *key);
void jsonw_array(struct jsonw *w, const char *key);
void jsonw_end(struct jsonw *w);
void jsonw_string(struct jsonw *w, const char *key, const char *value);
void jsonw_int(struct jsonw *w, const char *key, int64_t value);
void jsonw_null(struct jsonw *w, const char *key);

/* jsonw_ok() is 1 when everything was written and every object closed. */
int jsonw_ok(const struct jsonw *w);

#endif
