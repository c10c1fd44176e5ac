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

#include "audit/audit.h"
#include "core/arena.h"
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
 * throttle_reserve() reserves one attempt on key before its password is
 * checked, in one atomic statement (INSERT ... ON CONFLICT DO UPDATE ...
 * RETURNING): it counts as pending until its outcome is known, and is let
 * through only while the failures of the window plus the attempts in
 * flight stay below max_failures. So parallel attempts — on any number of
 * threads or servers sharing the database — can never make more than
 * max_failures failures, and the lock lands on exactly the max_failures-th.
 * Reservations older than a minute (a server that died mid-check) no
 * longer count. Do not call it inside a longer transaction: the count must
 * be visible to everyone at once. Returns 0 when the attempt may go on
 * (*failures: the real failures so far in the window), 1 when key is
 * locked by failures (*until: when the lock ends), 2 when it is not locked
 * but full of attempts in flight (busy: try again in a moment), -1 on
 * error. Every reservation that returned 0 ends in exactly one of
 * throttle_fail(), throttle_succeed() or throttle_release().
 */
int throttle_reserve(struct db *db, const char *key, int64_t now, const struct throttle_rule *rule,
		     int64_t *failures, int64_t *until);

/*
 * throttle_fail() turns one reservation of key into a failure at now,
 * locking key until now + rule->lock when it reaches max_failures.
 * *failures: the count after it (== max_failures: this one locked). 0 or -1.
 */
int throttle_fail(struct db *db, const char *key, int64_t now, const struct throttle_rule *rule,
		  int64_t *failures);

/*
 * throttle_succeed() ends one reservation of key that succeeded and
 * forgets key's failures (an account after its right password). 0 or -1.
 */
int throttle_succeed(struct db *db, const char *key);

/*
 * throttle_release() takes back one reservation of key, leaving its
 * failures (an address after a right password; an attempt not made). 0 or -1.
 */
int throttle_release(struct db *db, const char *key);

/*
 * throttle_state() reads key at now: 1 when locked, 0 when not, -1 on
 * error; *failures is the count in the current window (0 when none),
 * *until the end of the lock (0 when not locked).
 */
int throttle_state(struct db *db, const char *key, int64_t now, int64_t *failures, int64_t *until);

/* THROTTLE_LOGIN is the prefix of an account's key: "login:" + the normalised login. */
#define THROTTLE_LOGIN "login:"
/* THROTTLE_ADDR is the prefix of an address's key, followed by at most THROTTLE_ADDR_MAX bytes. */
#define THROTTLE_ADDR "addr:"
#define THROTTLE_ADDR_SKIP "6" /* SQL substr() start of the address in a key */
#define THROTTLE_ADDR_MAX 64
#define THROTTLE_KEY_MAX 80

/* throttle_clear() forgets the failures of key. */
int throttle_clear(struct db *db, const char *key);

/* throttle_locked_count() counts keys locked at now (for the admin's start page). */
int64_t throttle_locked_count(struct db *db, int64_t now);

/* throttle_address_locked_count() counts addresses locked at now; -1 on error. */
int64_t throttle_address_locked_count(struct db *db, int64_t now);

/* An address locked by too many failures from it (an office behind one NAT locks everyone). */
struct throttle_lock {
	const char *address;
	int64_t failures;
	int64_t until; /* Unix time the lock ends */
};

/*
 * throttle_address_locks() lists up to max addresses locked at now, the
 * soonest to end first, into an array in a: 0 (*out, *n set) or -1.
 */
int throttle_address_locks(struct db *db, struct arena *a, int64_t now, int max,
			   struct throttle_lock **out, int *n);

/*
 * throttle_unlock_address() lifts the lock of address at now, with its
 * audit row (throttle.unlock_address, by who) in one transaction: 0
 * lifted, 1 the address was not locked, -1 on error.
 */
int throttle_unlock_address(struct db *db, const struct audit_actor *who, const char *address,
			    int64_t now);

#endif
