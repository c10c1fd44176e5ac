/*
 * throttle.h — limits on failed sign-ins, per account and per address.
 *
 * Failures are counted per key ("login:<login>", "addr:<address>") within
 * a window; at max failures the key is locked for a while. Kept in the
 * database so every worker thread and every restart sees the same counts.
 */
#ifndef RAZEM_AUTH_THROTTLE_H
#define RAZEM_AUTH_THROTTLE_H

#include <stdint.h>

#include "db/db.h"

struct throttle_rule {
	int64_t max_failures; /* failures within window that lock the key */
	int64_t window;       /* seconds */
	int64_t lock;         /* seconds */
};

/*
 * throttle_locked() is 1 when key is locked at time now (setting
 * *until to the Unix time the lock ends), 0 when not, -1 on error.
 */
int throttle_locked(struct db *db, const char *key, int64_t now, int64_t *until);

/*
 * throttle_fail() counts one failure for key; returns 1 when this failure
 * locked it, 0 when not, -1 on error.
 */
int throttle_fail(struct db *db, const char *key, int64_t now, const struct throttle_rule *rule);

/* throttle_clear() forgets the failures of key. */
int throttle_clear(struct db *db, const char *key);

/* throttle_locked_count() counts keys locked at now (for the admin's start page). */
int64_t throttle_locked_count(struct db *db, int64_t now);

#endif
