/*
 * embed.h — files compiled into the binary by tools/embed.c: migrations,
 * message catalogues, static assets. Each generated table is sorted by
 * name and ends with the count in <symbol>_count.
 */
#ifndef RAZEM_CORE_EMBED_H
#define RAZEM_CORE_EMBED_H

#include <stddef.h>

struct embed {
	const char *name;          /* file name without directories */
	const unsigned char *data; /* contents, followed by a NUL not counted in len */
	size_t len;                /* size in bytes */
};

#endif
