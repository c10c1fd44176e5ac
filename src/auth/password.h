/*
 * password.h — password hashing (argon2id through libsodium), the policy
 * for new passwords, and generated temporary passwords.
 */
#ifndef RAZEM_AUTH_PASSWORD_H
#define RAZEM_AUTH_PASSWORD_H

#include <stddef.h>
#include <stdint.h>

#include "core/verr.h"

#define PASSWORD_HASH_MAX 128 /* >= crypto_pwhash_STRBYTES */
#define PASSWORD_MAX_LENGTH 256 /* bytes; longer input is refused before hashing */

/* password_init() initialises libsodium and the dummy hash; 0 or -1. Call once. */
int password_init(void);

/*
 * password_hash() writes an argon2id hash string of pw into out
 * (PASSWORD_HASH_MAX bytes). Returns 0, or -1 when out of memory.
 */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);

/*
 * password_verify() is 0 when pw matches hash, -1 otherwise. With hash
 * NULL it verifies against a dummy hash and fails, so that an unknown
 * login costs as much time as a wrong password.
 */
int password_verify(const char *hash, const char *pw);

/*
 * password_policy() checks a new password for a real account: at least
 * min_length characters, at most PASSWORD_MAX_LENGTH bytes, not containing
 * the login, not one of a few very common passwords, and using at least
 * two kinds of characters (letters, digits, others). Adds errors for field
 * to v and returns the number added.
 */
int password_policy(const char *pw, const char *login, int64_t min_length, struct verrs *v,
		    const char *field);

/*
 * password_policy_person() is password_policy() that also refuses a
 * password containing a part of the person's full name (parts of 3 or
 * more letters; full_name may be NULL). The login and the name parts are
 * compared without case and diacritics ("Łukasz" matches "lukasz").
 */
int password_policy_person(const char *pw, const char *login, const char *full_name,
			   int64_t min_length, struct verrs *v, const char *field);

/*
 * password_generate() writes a random temporary password of the form
 * "xxxx-xxxx-xxxx-xxxx" from an alphabet without look-alike characters
 * (out: at least 20 bytes).
 */
void password_generate(char out[20]);

#endif
