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
 * throttle_reserve() counts one attempt on key before it is checked, in
 * one atomic statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING),
 * so parallel attempts — on any number of threads or servers sharing the
 * database — each get their own number and the lock lands on exactly the
 * max_failures-th. Do not call it inside a longer transaction: the count
 * must be visible to everyone at once. Returns 0 when the attempt may go on
 * (*failures: its number in the window; this one may be the one that set
 * the lock), 1 when key is locked (*until: when the lock ends), -1 on
 * error. It commits at once when called outside a transaction; inside a
 * short one of its own it holds the key's row until that commits. A
 * successful attempt then calls throttle_clear() (account) or
 * throttle_release() (address).
 */
int throttle_reserve(struct db *db, const char *key, int64_t now, const struct throttle_rule *rule,
		     int64_t *failures, int64_t *until);

/*
 * throttle_release() takes back one reserved attempt of key that turned
 * out to succeed (lifting a lock it set). 0 or -1.
 */
int throttle_release(struct db *db, const char *key, const struct throttle_rule *rule);

/*
 * throttle_state() reads key at now: 1 when locked, 0 when not, -1 on
 * error; *failures is the count in the current window (0 when none),
 * *until the end of the lock (0 when not locked).
 */
int throttle_state(struct db *db, const char *key, int64_t now, int64_t *failures, int64_t *until);

/* THROTTLE_LOGIN is the prefix of an account's key: "login:" + the normalised login. */
#define THROTTLE_LOGIN "login:"

/* throttle_clear() forgets the failures of key. */
int throttle_clear(struct db *db, const char *key);

/* throttle_locked_count() counts keys locked at now (for the admin's start page). */
int64_t throttle_locked_count(struct db *db, int64_t now);

#endif
