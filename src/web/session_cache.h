/*
 * session_cache.h — a short-lived, per-thread memory of sessions already
 * checked against the database, so a burst of requests from one browser
 * or API client does not re-read the same session for each.
 *
 * An entry is trusted for at most SESSION_CACHE_TTL_MS and only until a
 * change in this process that concerns it invalidates it: its own
 * session (sign-out) or its user (password, roles, lock, deactivation,
 * language), through counters shared by all threads. Other requests,
 * anonymous sign-ins included, leave the cache alone. A change made
 * outside this process (the razem CLI, another server on the same
 * PostgreSQL) is seen within SESSION_CACHE_TTL_MS: that one second is the
 * horizon several servers behind a load balancer accept (docs/DEPLOYMENT.md).
 */
#ifndef RAZEM_WEB_SESSION_CACHE_H
#define RAZEM_WEB_SESSION_CACHE_H

#include <stdint.h>

#include "auth/session.h"
#include "core/arena.h"

#define SESSION_CACHE_TTL_MS 1000

/*
 * session_cache_get() copies a trusted entry for token_hash into out
 * (strings in a) and returns 1; returns 0 when there is none to trust.
 */
int session_cache_get(const char *token_hash, struct arena *a, struct session *out);

/*
 * session_cache_epoch() is the current epoch; read it before reading a
 * session from the database and give it to session_cache_put(), so a row
 * read before a concurrent change is never trusted after it.
 */
uint64_t session_cache_epoch(void);

/* session_cache_put() remembers s, read from the database in epoch, for this thread. */
void session_cache_put(const struct session *s, uint64_t epoch_before_read);

/*
 * session_cache_invalidate_user() untrusts every thread's entries of the
 * user's sessions; session_cache_invalidate_session() those of one
 * session (its token hash). Call after the change has committed.
 * session_cache_invalidate() untrusts all entries (a change to many
 * users at once, e.g. an institution deactivated).
 */
void session_cache_invalidate_user(int64_t user_id);
void session_cache_invalidate_session(const char *token_hash);
void session_cache_invalidate(void);

/*
 * session_cache_history() copies the sign-in history kept beside the
 * session's entry into out (strings in a) and returns 1; 0 when there is
 * none. The history never changes while the session lives, so it is kept
 * across re-reads of the session (session_cache_put() of the same token)
 * and needs no epoch: it is only asked for after the session itself was
 * found trusted. session_cache_put_history() keeps h (read from the
 * database) beside the session's entry, if the entry is this token's.
 */
int session_cache_history(const char *token_hash, struct arena *a, struct session_history *out);
void session_cache_put_history(const char *token_hash, const struct session_history *h);

/*
 * A per-thread cache of page fragments that many sessions share (an
 * institution's card is the same for all its staff), keyed by a kind
 * (FRAGMENT_*), a record id and the language. A fragment is trusted for
 * SESSION_CACHE_TTL_MS and only while fragment_cache_epoch() has not moved
 * since it was read: every invalidation in this process (an institution
 * changed calls session_cache_invalidate()) drops them all, a change on
 * another server is seen within the TTL. fragment_cache_get() returns the
 * HTML (valid until this thread's next put) with its length, or NULL.
 * fragment_cache_put() keeps a copy (not when larger than 4 KiB, or when
 * the epoch moved since epoch_before_read).
 */
enum {
	FRAGMENT_INSTITUTION_CARD = 1, /* by institution */
	FRAGMENT_PANELS = 2,           /* the start page's "waiting for you", by institution and roles */
	FRAGMENT_USER_PANELS = 3,      /* the start page's reminders of one user's contracts, by user */
};
const char *fragment_cache_get(unsigned kind, int64_t id, int lang, size_t *len);
/*
 * fragment_cache_epoch() is what a fragment's reader notes before reading
 * (epoch_before_read); fragment_cache_invalidate() drops every thread's
 * fragments and nothing else (the dispatcher calls it after every
 * successful change in this process, so one's own change shows at once).
 */
uint64_t fragment_cache_epoch(void);
void fragment_cache_invalidate(void);
void fragment_cache_put(unsigned kind, int64_t id, int lang, const char *html, size_t len,
			uint64_t epoch_before_read);

/* session_cache_release() frees the calling thread's table (at thread exit). */
void session_cache_release(void);

#endif
