/*
 * session_cache.c — a direct-mapped table per worker thread, indexed by
 * the first bytes of the session's token hash. Shared by all threads:
 * generation counters per user and per session (hashed into buckets, so
 * an unrelated change may now and then untrust an entry, never the
 * reverse) and one counter of all invalidations. A reader snapshots that
 * counter before reading a session from the database and does not cache
 * the row when it has moved meanwhile: the row may predate the change.
 * Invalidation bumps the counter first, then the bucket; the reader takes
 * the bucket, then checks the counter — so either it sees the change or
 * its entry carries the old bucket value and is untrusted at once.
 */
#include "web/session_cache.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"

#define SLOTS 256
#define TEXT_MAX 3072
#define BUCKETS 1024

struct entry {
	int used;               /* slot holds a session */
	uint64_t user_gen;      /* its user's bucket when read */
	uint64_t sess_gen;      /* its session's bucket when read */
	int64_t read_at_ms;     /* monotonic time it was read */
	struct session s;       /* strings point into text */
	char text[TEXT_MAX];    /* the session's strings, NUL-separated */
};

static atomic_uint_fast64_t epoch = 1; /* counts every invalidation */
static atomic_uint_fast64_t user_gen[BUCKETS], sess_gen[BUCKETS];
static __thread struct entry *slots; /* allocated on first use, per thread */

static unsigned slot_of(const char *token_hash)
{
	unsigned h = 0;
	int i;

	for (i = 0; i < 8 && token_hash[i] != '\0'; i++)
		h = h * 16 + (unsigned)(token_hash[i] <= '9' ? token_hash[i] - '0' : token_hash[i] - 'a' + 10);
	return h % SLOTS;
}

static unsigned user_bucket(int64_t user_id)
{
	return (unsigned)((uint64_t)user_id % BUCKETS);
}

static unsigned sess_bucket(const char *token_hash)
{
	unsigned h = 0;
	int i;

	for (i = 8; i < 16 && token_hash[i] != '\0'; i++)
		h = h * 16 + (unsigned)(token_hash[i] <= '9' ? token_hash[i] - '0' : token_hash[i] - 'a' + 10);
	return h % BUCKETS;
}

/* keep() copies s into the entry's text; NULL stays NULL. Returns 0 or -1 if it does not fit. */
static int keep(struct entry *e, size_t *used, const char **dst, const char *s)
{
	size_t n;

	if (s == NULL) {
		*dst = NULL;
		return 0;
	}
	n = strlen(s) + 1;
	if (*used + n > TEXT_MAX)
		return -1;
	memcpy(e->text + *used, s, n);
	*dst = e->text + *used;
	*used += n;
	return 0;
}

uint64_t session_cache_epoch(void)
{
	return atomic_load(&epoch);
}

/* The text members of struct session: each is copied into the cache and out of it. */
static const size_t strings[] = {
	offsetof(struct session, login), offsetof(struct session, full_name),
	offsetof(struct session, institution_name), offsetof(struct session, lang),
};
#define NSTRINGS (sizeof(strings) / sizeof(strings[0]))

/* field() is where the k-th text member of s lives; text() is its value. */
static const char **field(struct session *s, size_t k)
{
	return (const char **)(void *)((char *)s + strings[k]);
}

static const char *text(const struct session *s, size_t k)
{
	return *(const char *const *)(const void *)((const char *)s + strings[k]);
}

void session_cache_put(const struct session *s, uint64_t epoch_before_read)
{
	struct entry *e;
	size_t used = 0, k;

	if (slots == NULL) {
		slots = calloc(SLOTS, sizeof(*slots));
		if (slots == NULL)
			return;
	}
	e = &slots[slot_of(s->token_hash)];
	e->used = 0;
	e->s = *s;
	e->s.touch = 0; /* the request that read it records the use */
	for (k = 0; k < NSTRINGS; k++)
		if (keep(e, &used, field(&e->s, k), text(s, k)))
			return;
	e->user_gen = atomic_load(&user_gen[user_bucket(s->user_id)]);
	e->sess_gen = atomic_load(&sess_gen[sess_bucket(s->token_hash)]);
	if (atomic_load(&epoch) != epoch_before_read)
		return; /* something changed while it was read: do not trust the row */
	e->read_at_ms = clock_ms();
	e->used = 1;
}

int session_cache_get(const char *token_hash, struct arena *a, struct session *out)
{
	struct entry *e;
	size_t k;

	if (slots == NULL)
		return 0;
	e = &slots[slot_of(token_hash)];
	if (!e->used || strcmp(e->s.token_hash, token_hash) != 0 ||
	    e->user_gen != atomic_load(&user_gen[user_bucket(e->s.user_id)]) ||
	    e->sess_gen != atomic_load(&sess_gen[sess_bucket(token_hash)]) ||
	    clock_ms() - e->read_at_ms >= SESSION_CACHE_TTL_MS)
		return 0;
	*out = e->s;
	for (k = 0; k < NSTRINGS; k++) {
		const char *v = text(&e->s, k);

		*field(out, k) = v != NULL ? arena_strdup(a, v) : NULL;
		if (v != NULL && *field(out, k) == NULL)
			return 0; /* out of memory: read it from the database instead */
	}
	return 1;
}

void session_cache_invalidate_user(int64_t user_id)
{
	atomic_fetch_add(&epoch, 1);
	atomic_fetch_add(&user_gen[user_bucket(user_id)], 1);
}

void session_cache_invalidate_session(const char *token_hash)
{
	atomic_fetch_add(&epoch, 1);
	atomic_fetch_add(&sess_gen[sess_bucket(token_hash)], 1);
}

/* every bucket: all entries untrusted */
void session_cache_invalidate(void)
{
	size_t i;

	atomic_fetch_add(&epoch, 1);
	for (i = 0; i < BUCKETS; i++)
		atomic_fetch_add(&user_gen[i], 1);
}

void session_cache_release(void)
{
	free(slots);
	slots = NULL;
}
