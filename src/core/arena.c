/*
 * arena.c — chunked bump allocator with deferred cleanups.
 *
 * Memory comes in chunks of at least CHUNK_MIN bytes; a request larger than
 * that gets a chunk of its own. Nothing is freed individually. The first
 * chunk is allocated together with the arena header, so a small request
 * costs one malloc.
 */
#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN 8192
#define ALIGN 16

struct chunk {
	struct chunk *next; /* previously filled chunk */
	size_t size;        /* usable bytes in data[] */
	size_t used;        /* bytes handed out from data[] */
	_Alignas(ALIGN) unsigned char data[];
};

struct defer {
	struct defer *next;     /* registered earlier */
	void (*fn)(void *);     /* cleanup */
	void *arg;              /* its argument */
};

struct arena {
	struct chunk *head;     /* current chunk */
	struct defer *defers;   /* last registered first */
	size_t limit;           /* max bytes handed out */
	size_t total;           /* bytes handed out */
	struct chunk first;     /* inline first chunk; must be last */
};

struct arena *arena_new(size_t limit)
{
	struct arena *a = malloc(sizeof(*a) + CHUNK_MIN);

	if (a == NULL)
		return NULL;
	a->first.next = NULL;
	a->first.size = CHUNK_MIN;
	a->first.used = 0;
	a->head = &a->first;
	a->defers = NULL;
	a->limit = limit;
	a->total = 0;
	return a;
}

void arena_free(struct arena *a)
{
	struct chunk *c, *next;

	if (a == NULL)
		return;
	while (a->defers != NULL) {
		struct defer *d = a->defers;

		a->defers = d->next;
		d->fn(d->arg);
	}
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		if (c != &a->first)
			free(c);
	}
	free(a);
}

void *arena_alloc(struct arena *a, size_t size)
{
	struct chunk *c = a->head;
	size_t need = (size + (ALIGN - 1)) & ~(size_t)(ALIGN - 1);
	void *p;

	if (need < size || a->total + need < a->total || a->total + need > a->limit)
		return NULL;
	if (c->size - c->used < need) {
		size_t csize = need > CHUNK_MIN ? need : CHUNK_MIN * 4;
		struct chunk *n;

		if (csize > SIZE_MAX - sizeof(*n)) /* header + size would wrap */
			return NULL;
		n = malloc(sizeof(*n) + csize);
		if (n == NULL)
			return NULL;
		n->size = csize;
		n->used = 0;
		if (need > CHUNK_MIN && c->size - c->used > CHUNK_MIN / 2) {
			/* keep filling the current chunk; slot the big one behind it */
			n->next = c->next;
			c->next = n;
		} else {
			n->next = c;
			a->head = n;
		}
		c = n;
	}
	p = c->data + c->used;
	c->used += need;
	a->total += need;
	return p;
}

void *arena_zalloc(struct arena *a, size_t size)
{
	void *p = arena_alloc(a, size);

	if (p != NULL)
		memset(p, 0, size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if (s == NULL)
		return NULL;
	p = arena_alloc(a, n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *p;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return NULL;
	p = arena_alloc(a, (size_t)n + 1);
	if (p == NULL)
		return NULL;
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

int arena_defer(struct arena *a, void (*fn)(void *), void *arg)
{
	struct defer *d = arena_alloc(a, sizeof(*d));

	if (d == NULL) {
		fn(arg);
		return -1;
	}
	d->fn = fn;
	d->arg = arg;
	d->next = a->defers;
	a->defers = d;
	return 0;
}

size_t arena_used(const struct arena *a)
{
	return a->total;
}
