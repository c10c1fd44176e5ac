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
#define HIST_MAX 160
#define BUCKETS 1024
#define FRAG_SLOTS 32
#define FRAG_MAX 4096

struct entry {
	int used;               /* slot holds a session */
	uint64_t user_gen;      /* its user's bucket when read */
	uint64_t sess_gen;      /* its session's bucket when read */
	int64_t read_at_ms;     /* monotonic time it was read */
	struct session s;       /* strings point into text */
	char text[TEXT_MAX];    /* the session's strings, NUL-separated */
	/*
	 * The session's sign-in history (struct session_history), which never
	 * changes while the session lives: kept across re-reads of the same
	 * token, whether or not the entry is trusted at the moment.
	 */
	int has_hist;
	struct session_history hist; /* strings point into hist_text */
	char hist_text[HIST_MAX];
};

/* A fragment of a page shared by many sessions (an institution's card), per thread. */
struct frag {
	int used;
	unsigned kind;
	int64_t id;
	int lang;
	uint64_t epoch;     /* session_cache_epoch() before it was read */
	int64_t read_at_ms; /* monotonic time it was read */
	size_t len;
	char html[FRAG_MAX];
};

static atomic_uint_fast64_t epoch = 1; /* counts every invalidation */
static atomic_uint_fast64_t frag_epoch; /* counts the invalidations of fragments alone */
static atomic_uint_fast64_t user_gen[BUCKETS], sess_gen[BUCKETS];
static __thread struct entry *slots; /* allocated on first use, per thread */
static __thread struct frag *frags;  /* the same */

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
	if (e->has_hist && strcmp(e->s.token_hash, s->token_hash) != 0)
		e->has_hist = 0; /* another session's */
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

/* keep_hist() copies s into the entry's hist_text like keep(). */
static int keep_hist(struct entry *e, size_t *used, const char **dst, const char *s)
{
	size_t n;

	if (s == NULL) {
		*dst = NULL;
		return 0;
	}
	n = strlen(s) + 1;
	if (*used + n > HIST_MAX)
		return -1;
	memcpy(e->hist_text + *used, s, n);
	*dst = e->hist_text + *used;
	*used += n;
	return 0;
}

int session_cache_history(const char *token_hash, struct arena *a, struct session_history *out)
{
	struct entry *e;

	if (slots == NULL)
		return 0;
	e = &slots[slot_of(token_hash)];
	if (!e->has_hist || strcmp(e->s.token_hash, token_hash) != 0)
		return 0;
	*out = e->hist;
	out->created_at = arena_strdup(a, e->hist.created_at);
	out->prev_login_at = e->hist.prev_login_at != NULL ? arena_strdup(a, e->hist.prev_login_at) : NULL;
	out->prev_login_ip = e->hist.prev_login_ip != NULL ? arena_strdup(a, e->hist.prev_login_ip) : NULL;
	return out->created_at != NULL && (e->hist.prev_login_at == NULL || out->prev_login_at != NULL) &&
	       (e->hist.prev_login_ip == NULL || out->prev_login_ip != NULL);
}

void session_cache_put_history(const char *token_hash, const struct session_history *h)
{
	struct entry *e;
	size_t used = 0;

	if (slots == NULL)
		return;
	e = &slots[slot_of(token_hash)];
	/* only beside the session's own entry: it names the token */
	if (!e->used || strcmp(e->s.token_hash, token_hash) != 0)
		return;
	e->has_hist = 0;
	e->hist = *h;
	if (h->created_at == NULL || keep_hist(e, &used, &e->hist.created_at, h->created_at) ||
	    keep_hist(e, &used, &e->hist.prev_login_at, h->prev_login_at) ||
	    keep_hist(e, &used, &e->hist.prev_login_ip, h->prev_login_ip))
		return;
	e->has_hist = 1;
}

static struct frag *frag_slot(unsigned kind, int64_t id, int lang)
{
	uint64_t h = ((uint64_t)id * 31u + kind) * 7u + (unsigned)lang;

	return &frags[h % FRAG_SLOTS];
}

uint64_t fragment_cache_epoch(void)
{
	return atomic_load(&epoch) + atomic_load(&frag_epoch);
}

void fragment_cache_invalidate(void)
{
	atomic_fetch_add(&frag_epoch, 1);
}

const char *fragment_cache_get(unsigned kind, int64_t id, int lang, size_t *len)
{
	struct frag *f;

	if (frags == NULL)
		return NULL;
	f = frag_slot(kind, id, lang);
	if (!f->used || f->kind != kind || f->id != id || f->lang != lang ||
	    f->epoch != fragment_cache_epoch() || clock_ms() - f->read_at_ms >= SESSION_CACHE_TTL_MS)
		return NULL;
	*len = f->len;
	return f->html;
}

void fragment_cache_put(unsigned kind, int64_t id, int lang, const char *html, size_t len,
			uint64_t epoch_before_read)
{
	struct frag *f;

	if (len > FRAG_MAX || fragment_cache_epoch() != epoch_before_read)
		return; /* too large, or something changed while it was read */
	if (frags == NULL && (frags = calloc(FRAG_SLOTS, sizeof(*frags))) == NULL)
		return;
	f = frag_slot(kind, id, lang);
	f->used = 0;
	f->kind = kind;
	f->id = id;
	f->lang = lang;
	f->epoch = epoch_before_read;
	memcpy(f->html, html, len);
	f->len = len;
	f->read_at_ms = clock_ms();
	f->used = 1;
}

void session_cache_release(void)
{
	free(slots);
	slots = NULL;
	free(frags);
	frags = NULL;
}
