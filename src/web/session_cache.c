/*
 * session_cache.c — a direct-mapped table per worker thread, indexed by
 * the first bytes of the session's token hash; the epoch is one atomic
 * counter shared by all threads.
 */
#include "web/session_cache.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOTS 256
#define TEXT_MAX 3072

struct entry {
	int used;               /* slot holds a session */
	uint64_t epoch;         /* the epoch it was read in */
	int64_t read_at_ms;     /* monotonic time it was read */
	struct session s;       /* strings point into text */
	char text[TEXT_MAX];    /* the session's strings, NUL-separated */
};

static atomic_uint_fast64_t epoch = 1;
static __thread struct entry *slots; /* allocated on first use, per thread */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned slot_of(const char *token_hash)
{
	unsigned h = 0;
	int i;

	for (i = 0; i < 8 && token_hash[i] != '\0'; i++)
		h = h * 16 + (unsigned)(token_hash[i] <= '9' ? token_hash[i] - '0' : token_hash[i] - 'a' + 10);
	return h % SLOTS;
}

/* keep() copies s into the entry's text; NULL stays NULL. Returns 0 or -1 if it does not fit. */
static int keep(struct entry *e, size_t *used, const char **field, const char *s)
{
	size_t n;

	if (s == NULL) {
		*field = NULL;
		return 0;
	}
	n = strlen(s) + 1;
	if (*used + n > TEXT_MAX)
		return -1;
	memcpy(e->text + *used, s, n);
	*field = e->text + *used;
	*used += n;
	return 0;
}

uint64_t session_cache_epoch(void)
{
	return atomic_load(&epoch);
}

void session_cache_put(const struct session *s, uint64_t epoch_before_read)
{
	struct entry *e;
	size_t used = 0;

	if (slots == NULL) {
		slots = calloc(SLOTS, sizeof(*slots));
		if (slots == NULL)
			return;
	}
	e = &slots[slot_of(s->token_hash)];
	e->used = 0;
	e->s = *s;
	if (keep(e, &used, &e->s.login, s->login) || keep(e, &used, &e->s.full_name, s->full_name) ||
	    keep(e, &used, &e->s.institution_name, s->institution_name) ||
	    keep(e, &used, &e->s.institution_kind, s->institution_kind) ||
	    keep(e, &used, &e->s.lang, s->lang) || keep(e, &used, &e->s.created_at, s->created_at) ||
	    keep(e, &used, &e->s.prev_login_at, s->prev_login_at) ||
	    keep(e, &used, &e->s.prev_login_ip, s->prev_login_ip) ||
	    keep(e, &used, &e->s.institution_street, s->institution_street) ||
	    keep(e, &used, &e->s.institution_postcode, s->institution_postcode) ||
	    keep(e, &used, &e->s.institution_city, s->institution_city) ||
	    keep(e, &used, &e->s.institution_phone, s->institution_phone) ||
	    keep(e, &used, &e->s.institution_email, s->institution_email) ||
	    keep(e, &used, &e->s.gmina_name, s->gmina_name) ||
	    keep(e, &used, &e->s.gmina_kind, s->gmina_kind) ||
	    keep(e, &used, &e->s.powiat_name, s->powiat_name) ||
	    keep(e, &used, &e->s.powiat_kind, s->powiat_kind))
		return;
	e->epoch = epoch_before_read;
	e->read_at_ms = now_ms();
	e->used = 1;
}

int session_cache_get(const char *token_hash, struct arena *a, struct session *out)
{
	struct entry *e;

	if (slots == NULL)
		return 0;
	e = &slots[slot_of(token_hash)];
	if (!e->used || strcmp(e->s.token_hash, token_hash) != 0 || e->epoch != atomic_load(&epoch) ||
	    now_ms() - e->read_at_ms >= SESSION_CACHE_TTL_MS)
		return 0;
	*out = e->s;
	out->login = arena_strdup(a, e->s.login);
	out->full_name = arena_strdup(a, e->s.full_name);
	out->institution_name = arena_strdup(a, e->s.institution_name);
	out->institution_kind = arena_strdup(a, e->s.institution_kind);
	out->lang = arena_strdup(a, e->s.lang);
	out->created_at = arena_strdup(a, e->s.created_at);
	out->prev_login_at = arena_strdup(a, e->s.prev_login_at);
	out->prev_login_ip = arena_strdup(a, e->s.prev_login_ip);
	out->institution_street = arena_strdup(a, e->s.institution_street);
	out->institution_postcode = arena_strdup(a, e->s.institution_postcode);
	out->institution_city = arena_strdup(a, e->s.institution_city);
	out->institution_phone = arena_strdup(a, e->s.institution_phone);
	out->institution_email = arena_strdup(a, e->s.institution_email);
	out->gmina_name = arena_strdup(a, e->s.gmina_name);
	out->gmina_kind = arena_strdup(a, e->s.gmina_kind);
	out->powiat_name = arena_strdup(a, e->s.powiat_name);
	out->powiat_kind = arena_strdup(a, e->s.powiat_kind);
	return out->login != NULL && out->full_name != NULL;
}

void session_cache_invalidate(void)
{
	atomic_fetch_add(&epoch, 1);
}

void session_cache_release(void)
{
	free(slots);
	slots = NULL;
}
