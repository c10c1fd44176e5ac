/*
 * html.h — HTML output that escapes by default.
 *
 * Everything that reaches a page goes through these writers. html_fmt()
 * takes printf conversions and HTML-escapes every %s argument, so a value
 * can only become markup through html_raw(), which is reserved for
 * constant markup written in the source. The compiler checks the argument
 * types of html_fmt() like printf's.
 */
#ifndef RAZEM_CORE_HTML_H
#define RAZEM_CORE_HTML_H

#include <stddef.h>

#include "core/buf.h"

/* html_raw() appends trusted markup (a literal in the source) unchanged. */
void html_raw(struct buf *b, const char *markup);

/* html_text()/html_textn() append text with & < > " ' escaped. NULL appends nothing. */
void html_text(struct buf *b, const char *s);
void html_textn(struct buf *b, const char *s, size_t n);

/*
 * html_fmt() appends fmt with its conversions expanded: %s (and %.*s) are
 * escaped, integer conversions (%d %i %u %ld %lu %lld %llu %zu %zd, with
 * width/zero flags) are formatted as printf does, %% is a percent sign.
 * Any other conversion marks the buffer failed. A NULL %s appends nothing.
 */
void html_fmt(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
