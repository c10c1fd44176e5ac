/*
 * tests/unit/auth/password.c — argon2id hashing and verification (right
 * and wrong passwords, the dummy hash for unknown logins, NULL and
 * over-long input never matching, not even the hash of ""), the password
 * policy (each error code, the first one per field kept, UTF-8 length, the login and common-password
 * rules, the 256-byte cap) and generated temporary passwords (form,
 * alphabet, randomness).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "core/verr.h"

static int setup(void **state)
{
	(void)state;
	return password_init();
}

static void test_hash_verify(void **state)
{
	char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];

	(void)state;
	assert_int_equal(password_hash("Correct-horse-7", h1), 0);
	assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
	assert_int_equal(password_verify(h1, "Correct-horse-7"), 0);
	assert_int_equal(password_verify(h1, "correct-horse-7"), -1);
	assert_int_equal(password_verify(h1, "Correct-horse-7 "), -1);
	assert_int_equal(password_verify(h1, ""), -1);
	assert_int_equal(password_verify(h1, NULL), -1);
	/* salted: the same password hashes differently, both verify */
	assert_int_equal(password_hash("Correct-horse-7", h2), 0);
	assert_string_not_equal(h1, h2);
	assert_int_equal(password_verify(h2, "Correct-horse-7"), 0);
	/* no hash (unknown login) or an empty or broken one never matches */
	assert_int_equal(password_verify(NULL, "Correct-horse-7"), -1);
	assert_int_equal(password_verify(NULL, "razem-dummy-password"), -1);
	assert_int_equal(password_verify("", "Correct-horse-7"), -1);
	assert_int_equal(password_verify("$argon2id$garbage", "Correct-horse-7"), -1);
	/* UTF-8 passwords */
	assert_int_equal(password_hash("Zażółć-gęślą-1", h1), 0);
	assert_int_equal(password_verify(h1, "Zażółć-gęślą-1"), 0);
	assert_int_equal(password_verify(h1, "Zazolc-gesla-1"), -1);
}

static void test_long_and_null_never_match(void **state)
{
	char h[PASSWORD_HASH_MAX], longpw[PASSWORD_MAX_LENGTH + 2];

	(void)state;
	memset(longpw, 'a', sizeof(longpw) - 1);
	longpw[sizeof(longpw) - 1] = '\0'; /* 257 bytes */
	/* a password of exactly the maximum length works */
	assert_int_equal(password_hash(longpw + 1, h), 0);
	assert_int_equal(password_verify(h, longpw + 1), 0);
	assert_int_equal(password_verify(h, longpw), -1);
	/* over-long or missing input must not match the hash of the empty password */
	assert_int_equal(password_hash("", h), 0);
	assert_int_equal(password_verify(h, ""), 0);
	assert_int_equal(password_verify(h, longpw), -1);
	assert_int_equal(password_verify(h, NULL), -1);
}

/* codes() runs the policy and returns its error codes joined by ','. */
static const char *codes(const char *pw, const char *login, int64_t min)
{
	static char out[256];
	struct verrs v = VERRS_INIT;
	int i, n;

	n = password_policy(pw, login, min, &v, "pw");
	assert_int_equal(n, v.n);
	out[0] = '\0';
	for (i = 0; i < v.n; i++) {
		assert_string_equal(v.e[i].field, "pw");
		assert_true(strlen(v.e[i].message) > 0);
		if (i > 0)
			strcat(out, ",");
		strcat(out, v.e[i].code);
	}
	return out;
}

static void test_policy(void **state)
{
	char longpw[PASSWORD_MAX_LENGTH + 2];
	struct verrs v = VERRS_INIT;

	(void)state;
	assert_string_equal(codes(NULL, "jan", 10), "required");
	assert_string_equal(codes("", "jan", 10), "required");
	memset(longpw, 'a', sizeof(longpw) - 1);
	longpw[sizeof(longpw) - 1] = '\0';
	assert_string_equal(codes(longpw, "jan", 10), "too_long");
	longpw[0] = '1';
	assert_string_equal(codes(longpw + 1, "jan", 10), "too_simple"); /* 256 letters: length fine */
	assert_string_equal(codes("abc", "jan", 10), "too_short"); /* a field keeps its first error */
	assert_string_equal(codes("abcdefghijkl", "jan", 10), "too_simple");
	assert_string_equal(codes("123456789012", "jan", 10), "too_simple");
	assert_string_equal(codes("!@#$%^&*()-=", "jan", 10), "too_simple");
	assert_string_equal(codes("abcdef-ghijk", "jan", 10), "");
	assert_string_equal(codes("abcdef7ghijk", "jan", 10), "");
	/* the length is counted in characters, not bytes */
	assert_string_equal(codes("zażółć1234", "jan", 10), "");
	assert_string_equal(codes("zażółć123", "jan", 10), "too_short");
	/* non-ASCII counts as letters */
	assert_string_equal(codes("ąęćźżółńśą", "jan", 10), "too_simple");
	assert_string_equal(codes("ąęćźżółńś1", "jan", 10), "");
	/* the login, case-insensitively, when it has at least 3 characters */
	assert_string_equal(codes("XKowalski-2024", "kowalski", 10), "contains_login");
	assert_string_equal(codes("ab-13572468", "ab", 10), "");
	assert_string_equal(codes("nologin-12345", NULL, 10), "");
	/* common passwords, unless well padded */
	assert_string_equal(codes("qwerty12", "jan", 8), "too_common");
	assert_string_equal(codes("Password-1", "jan", 8), "too_common");
	assert_string_equal(codes("hasło123", "jan", 8), "too_common");
	assert_string_equal(codes("my-long-password-9", "jan", 8), "");
	assert_string_equal(codes("admin", "jan", 10), "too_short");
	assert_string_equal(codes("adminadmin", "jan", 10), "too_simple");
	assert_string_equal(codes("admin-jan-1", "jan", 10), "contains_login");
	/* errors are added after existing ones */
	verrs_add(&v, "other", "x", "%s", "earlier");
	assert_int_equal(password_policy("abc", "jan", 10, &v, "new_password"), 1);
	assert_int_equal(v.n, 2);
	assert_string_equal(v.e[1].field, "new_password");
	assert_string_equal(v.e[1].code, "too_short");
	/* nothing is added to a field that already has an error */
	assert_int_equal(password_policy("abc", "jan", 10, &v, "new_password"), 0);
	assert_int_equal(v.n, 2);
}

static void test_generate(void **state)
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	char a[20], b[20];
	int i, round;

	(void)state;
	for (round = 0; round < 50; round++) {
		password_generate(a);
		assert_int_equal(strlen(a), 19);
		for (i = 0; i < 19; i++) {
			if (i == 4 || i == 9 || i == 14)
				assert_int_equal(a[i], '-');
			else
				assert_non_null(strchr(alphabet, a[i]));
		}
		/* a generated password passes the policy */
		assert_string_equal(codes(a, "someone", 12), "");
	}
	password_generate(b);
	assert_string_not_equal(a, b);
}

/* person() runs the policy for a person; returns the first error code or "". */
static const char *person(const char *pw, const char *login, const char *name)
{
	static char out[64];
	struct verrs v = VERRS_INIT;

	password_policy_person(pw, login, name, 8, &v, "pw");
	snprintf(out, sizeof(out), "%s", v.n > 0 ? v.e[0].code : "");
	return out;
}

static void test_policy_person(void **state)
{
	(void)state;
	/* parts of the name, without case and diacritics */
	assert_string_equal(person("lukasz-Tajne-77", "lz", "Łukasz Żółkiewski-Nowak"), "contains_name");
	assert_string_equal(person("XX-ZOLKIEWSKI-9", "lz", "Łukasz Żółkiewski-Nowak"), "contains_name");
	assert_string_equal(person("Kasztan-nOWAK-1", "lz", "Łukasz Żółkiewski-Nowak"), "contains_name");
	assert_string_equal(person("Kasztan-Łukasz1", "lz", "Lukasz Nowak"), "contains_name");
	/* parts shorter than 3 letters do not count */
	assert_string_equal(person("Kasztan-zielony-42", "lz", "Jo Li"), "");
	assert_string_equal(person("Kasztan-zielony-42", "lz", "Łukasz Żółkiewski-Nowak"), "");
	assert_string_equal(person("Kasztan-zielony-42", "lz", NULL), "");
	/* the login, without case and diacritics */
	assert_string_equal(person("ab-LZOLK-2024-xy", "lzolk", "Ewa Ma"), "contains_login");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_verify),
		cmocka_unit_test(test_long_and_null_never_match),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_policy_person),
		cmocka_unit_test(test_generate),
	};

	return cmocka_run_group_tests_name("password", tests, setup, NULL);
}
