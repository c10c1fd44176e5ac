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

/* session_cache_release() frees the calling thread's table (at thread exit). */
void session_cache_release(void);

#endif
