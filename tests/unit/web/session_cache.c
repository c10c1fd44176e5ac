/*
 * tests/unit/web/session_cache.c — the per-thread caches of the web
 * layer: a session trusted until its user or session is invalidated or
 * its second has passed; the sign-in history kept beside the session
 * across re-reads of the same token and dropped when another session
 * takes the slot; a shared page fragment keyed by kind, id and language,
 * dropped by any invalidation and after the second, never kept when the
 * epoch moved while it was read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "web/session_cache.h"

/* a session whose token hash is 64 hex digits starting with prefix (same slot for the same first 8) */
static void session(struct session *s, const char *prefix, int64_t user)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->token_hash, sizeof(s->token_hash), "%s", prefix);
	memset(s->token_hash + strlen(prefix), 'a', SESSION_HASH_LEN - 1 - strlen(prefix));
	s->token_hash[SESSION_HASH_LEN - 1] = '\0';
	s->user_id = user;
	s->login = "ewa";
	s->full_name = "Ewa Nowak";
	s->institution_name = "MOPS";
	s->institution_id = 3;
	s->roles = 1;
}

static void sleep_past_ttl(void)
{
	struct timespec ts = { 0, (SESSION_CACHE_TTL_MS + 50) * 1000000L };

	while (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	nanosleep(&ts, NULL);
}

static void test_web__session_cache__session(void **state)
{
	struct arena *a = arena_new(1 << 20);
	struct session s, out;

	(void)state;
	session(&s, "00000001", 7);
	assert_int_equal(session_cache_get(s.token_hash, a, &out), 0);
	session_cache_put(&s, session_cache_epoch());
	assert_int_equal(session_cache_get(s.token_hash, a, &out), 1);
	assert_string_equal(out.full_name, "Ewa Nowak");
	assert_int_equal(out.user_id, 7);
	session_cache_invalidate_user(8); /* another user (another bucket) */
	assert_int_equal(session_cache_get(s.token_hash, a, &out), 1);
	session_cache_invalidate_user(7);
	assert_int_equal(session_cache_get(s.token_hash, a, &out), 0);
	/* read before a change that happened meanwhile: not trusted */
	{
		uint64_t seen = session_cache_epoch();

		session_cache_invalidate_session("ffffffffffffffff");
		session_cache_put(&s, seen);
		assert_int_equal(session_cache_get(s.token_hash, a, &out), 0);
	}
	session_cache_put(&s, session_cache_epoch());
	assert_int_equal(session_cache_get(s.token_hash, a, &out), 1);
	session_cache_invalidate_session(s.token_hash);
	assert_int_equal(session_cache_get(s.token_hash, a, &out), 0);
	arena_free(a);
}

static void test_web__session_cache__history(void **state)
{
	struct arena *a = arena_new(1 << 20);
	struct session s, other;
	struct session_history h = { "2026-12-01T10:00:00Z", "2026-11-30T09:00:00Z", "192.0.2.7", 2 }, got;

	(void)state;
	session(&s, "00000002", 9);
	session(&other, "00000002b", 10); /* the same slot, another token */
	/* only beside the session's own entry */
	session_cache_put_history(s.token_hash, &h);
	assert_int_equal(session_cache_history(s.token_hash, a, &got), 0);
	session_cache_put(&s, session_cache_epoch());
	session_cache_put_history(s.token_hash, &h);
	assert_int_equal(session_cache_history(s.token_hash, a, &got), 1);
	assert_string_equal(got.created_at, "2026-12-01T10:00:00Z");
	assert_string_equal(got.prev_login_at, "2026-11-30T09:00:00Z");
	assert_string_equal(got.prev_login_ip, "192.0.2.7");
	assert_int_equal(got.failures_since, 2);
	/* the session re-read (its second over, or its user changed): the history stays */
	session_cache_invalidate_user(9);
	session_cache_put(&s, session_cache_epoch());
	assert_int_equal(session_cache_history(s.token_hash, a, &got), 1);
	assert_string_equal(got.prev_login_ip, "192.0.2.7");
	/* another session takes the slot: gone, and not given to it */
	session_cache_put(&other, session_cache_epoch());
	assert_int_equal(session_cache_history(other.token_hash, a, &got), 0);
	assert_int_equal(session_cache_history(s.token_hash, a, &got), 0);
	/* a first sign-in: no previous one */
	h.prev_login_at = h.prev_login_ip = NULL;
	session_cache_put_history(other.token_hash, &h);
	assert_int_equal(session_cache_history(other.token_hash, a, &got), 1);
	assert_null(got.prev_login_at);
	assert_null(got.prev_login_ip);
	arena_free(a);
}

static void test_web__session_cache__fragment(void **state)
{
	size_t len = 0;
	uint64_t seen;

	(void)state;
	assert_null(fragment_cache_get(FRAGMENT_INSTITUTION_CARD, 3, 0, &len));
	fragment_cache_put(FRAGMENT_INSTITUTION_CARD, 3, 0, "<p>MOPS</p>", 11, session_cache_epoch());
	assert_non_null(fragment_cache_get(FRAGMENT_INSTITUTION_CARD, 3, 0, &len));
	assert_int_equal(len, 11);
	assert_memory_equal(fragment_cache_get(FRAGMENT_INSTITUTION_CARD, 3, 0, &len), "<p>MOPS</p>", 11);
	/* another institution, another language */
	assert_null(fragment_cache_get(FRAGMENT_INSTITUTION_CARD, 4, 0, &len));
	assert_null(fragment_cache_get(FRAGMENT_INSTITUTION_CARD, 3, 1, &len));
	/* any invalidation drops it */
	session_cache_invalidate();
	assert_null(fragment_cache_get(FRAGMENT_INSTITUTION_CARD, 3, 0, &len));
	fragment_cache_put(FRAGMENT_INSTITUTION_CARD, 3, 0, "<p>MOPS</p>", 11, session_cache_epoch());
	session_cache_invalidate_user(1);
	assert_null(fragment_cache_get(FRAGMENT_INSTITUTION_CARD, 3, 0, &len));
	/* read before a change: not kept */
	seen = session_cache_epoch();
	session_cache_invalidate();
	fragment_cache_put(FRAGMENT_INSTITUTION_CARD, 3, 0, "<p>old</p>", 10, seen);
	assert_null(fragment_cache_get(FRAGMENT_INSTITUTION_CARD, 3, 0, &len));
	/* after its second */
	fragment_cache_put(FRAGMENT_INSTITUTION_CARD, 3, 0, "<p>MOPS</p>", 11, session_cache_epoch());
	assert_non_null(fragment_cache_get(FRAGMENT_INSTITUTION_CARD, 3, 0, &len));
	sleep_past_ttl();
	assert_null(fragment_cache_get(FRAGMENT_INSTITUTION_CARD, 3, 0, &len));
	session_cache_release();
	assert_null(fragment_cache_get(FRAGMENT_INSTITUTION_CARD, 3, 0, &len));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_web__session_cache__session),
		cmocka_unit_test(test_web__session_cache__history),
		cmocka_unit_test(test_web__session_cache__fragment),
	};

	return cmocka_run_group_tests_name("web/session_cache", tests, NULL, NULL);
}
