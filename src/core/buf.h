/*
 * buf.h — a growable byte buffer with a hard maximum (after curl's dynbuf).
 *
 * Errors are sticky: once an append fails (out of memory or past the
 * maximum) the buffer remembers it, later appends do nothing, and the
 * writer checks buf->failed once at the end. This keeps rendering code
 * linear while guaranteeing that no output grows without bound.
 * The content is always NUL-terminated when data is non-NULL.
 */
#ifndef RAZEM_CORE_BUF_H
#define RAZEM_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;   /* malloc'd content, NUL-terminated; NULL while empty */
	size_t len;   /* bytes used, excluding the NUL */
	size_t cap;   /* bytes allocated */
	size_t max;   /* hard maximum of len */
	int failed;   /* non-zero once an append has failed */
};

#define BUF_INIT(maxlen) { NULL, 0, 0, (maxlen), 0 }

void buf_init(struct buf *b, size_t max);

/* buf_release() frees the content and resets b to empty (max is kept). */
void buf_release(struct buf *b);

/* buf_reset() empties b but keeps its memory; clears the failure flag. */
void buf_reset(struct buf *b);

/* Appends; each returns 0, or -1 when b has failed (now or before). */
/*
 * buf_reserve() makes room for n more bytes at once (one allocation
 * instead of doubling from 256); a failure is sticky like any other.
 */
int buf_reserve(struct buf *b, size_t n);

int buf_add(struct buf *b, const void *data, size_t len);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap);

/* buf_str() returns the content as a string ("" when empty). */
const char *buf_str(const struct buf *b);

/*
 * buf_detach() hands the malloc'd content to the caller (free() it) and
 * leaves b empty. Returns NULL when b is empty or failed.
 */
char *buf_detach(struct buf *b, size_t *len);

#endif
