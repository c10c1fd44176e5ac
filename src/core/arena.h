/*
 * arena.h — a region allocator: many allocations, one free.
 *
 * Each HTTP request and each CLI command gets one arena; everything it
 * allocates comes from there and is released by arena_free(). Non-memory
 * resources (temporary files, statements) are registered with
 * arena_defer() and released, last registered first, by arena_free().
 * An arena has a hard limit on the bytes it will hand out, so a hostile
 * request cannot grow without bound: allocation past the limit fails
 * (returns NULL) and the request turns that into a 503.
 */
#ifndef RAZEM_CORE_ARENA_H
#define RAZEM_CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/*
 * arena_new() creates an arena that hands out at most limit bytes in total.
 * Returns NULL when out of memory. Free with arena_free().
 */
struct arena *arena_new(size_t limit);

/* arena_free() runs the deferred callbacks, then frees all memory. NULL is a no-op. */
void arena_free(struct arena *a);

/* arena_alloc() returns size bytes aligned for any type, or NULL (OOM or limit). */
void *arena_alloc(struct arena *a, size_t size);

/* arena_zalloc() is arena_alloc() with the memory zeroed. */
void *arena_zalloc(struct arena *a, size_t size);

/* arena_strdup()/arena_strndup() copy a string (NULL in gives NULL out). */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* arena_printf() formats into arena memory; NULL on failure. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/*
 * arena_defer() arranges for fn(arg) to run when the arena is freed.
 * Returns 0, or -1 when out of memory (fn is then called at once, so the
 * resource is not leaked).
 */
int arena_defer(struct arena *a, void (*fn)(void *), void *arg);

/* arena_used() reports the bytes handed out so far (for tests and limits). */
size_t arena_used(const struct arena *a);

#endif
