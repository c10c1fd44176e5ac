/*
 * str.h — small string helpers: trimming, range-checked number parsing,
 * UTF-8 validation, folding for search, URL and base64url encoding.
 *
 * Leaf code: allocation, when needed, comes from the caller's arena.
 */
#ifndef RAZEM_CORE_STR_H
#define RAZEM_CORE_STR_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"

/* str_trim() removes ASCII whitespace at both ends in place; returns s. */
char *str_trim(char *s);

/* str_empty() is true for NULL and for strings of only whitespace. */
int str_empty(const char *s);

/* str_eq() compares two strings, treating NULL as "" . */
int str_eq(const char *a, const char *b);

/*
 * str_to_int64() parses a whole decimal string (optional sign, no spaces)
 * into [min, max]. Returns 0, or -1 when s is not a number or is out of range.
 */
int str_to_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/*
 * str_is_email() is a deliberately loose check of an e-mail address:
 * one '@' with something before it, a domain with a dot and something
 * after the last dot, no spaces, quotes or angle brackets, at most 254
 * bytes. Deliverability is not the program's to judge.
 */
int str_is_email(const char *s);

/* utf8_valid() is true when s[0..n) is well-formed UTF-8 without NUL bytes. */
int utf8_valid(const char *s, size_t n);

/*
 * utf8_has_hidden() is true when valid UTF-8 s holds a character that is
 * invisible yet changes what is shown: control characters (tab and line
 * breaks allowed only when lines is set) and the bidirectional overrides
 * and isolates (U+202A-U+202E, U+2066-U+2069, U+061C, U+200E, U+200F),
 * which can make a name read backwards ("spoofing").
 */
int utf8_has_hidden(const char *s, int lines);

/* utf8_length() counts code points of a valid UTF-8 string. */
size_t utf8_length(const char *s);

/*
 * str_fold() returns the search key of s: Unicode case folding, canonical
 * decomposition with combining marks removed (so "Łódź" and "lodz" match),
 * runs of whitespace collapsed to one space, trimmed. Allocated in a;
 * NULL on allocation failure or invalid UTF-8.
 */
char *str_fold(struct arena *a, const char *s);

/* url_encode() appends s percent-encoded for a query component (space as %20). */
void url_encode(struct buf *b, const char *s);

/*
 * url_decode() decodes %XX escapes (and '+' as space when plus_space) in
 * place over s[0..n) and NUL-terminates; returns the new length, or -1 on a
 * malformed escape.
 */
long url_decode(char *s, size_t n, int plus_space);

/* b64url() writes n bytes as unpadded base64url into out (size >= 4*n/3+2). */
void b64url(char *out, size_t outlen, const unsigned char *bin, size_t n);

/* hex_encode() writes n bytes as lowercase hex into out (size >= 2n+1). */
void hex_encode(char *out, const unsigned char *bin, size_t n);

#endif
