/*
 * password.c — argon2id hashes via crypto_pwhash_str() with libsodium's
 * "interactive" limits (tuned by libsodium for sign-in), a simple policy,
 * and temporary passwords from a 31-letter alphabet (about 79 bits).
 */
#include "auth/password.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/str.h"

static char dummy_hash[PASSWORD_HASH_MAX];

int password_init(void)
{
	if (sodium_init() < 0)
		return -1;
	return password_hash("razem-dummy-password", dummy_hash);
}

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return -1;
	return 0;
}

int password_verify(const char *hash, const char *pw)
{
	size_t n = pw != NULL ? strlen(pw) : 0;
	int refuse = pw == NULL || n > PASSWORD_MAX_LENGTH;

	if (refuse) {
		/* costs the same time, but never matches (not even the hash of "") */
		pw = "";
		n = 0;
		hash = NULL;
	}
	if (hash == NULL || hash[0] == '\0') {
		/* the same argon2 work as a real check, so timing does not tell accounts apart */
		int same_work = crypto_pwhash_str_verify(dummy_hash, pw, n);

		(void)same_work;
		return -1;
	}
	return crypto_pwhash_str_verify(hash, pw, n) == 0 ? 0 : -1;
}

static const char *const common[] = {
	"password", "haslo", "hasło", "qwerty", "123456", "zaq1@wsx", "admin", "razem", "polska",
	"welcome", "letmein", "iloveyou", NULL,
};

/*
 * contains_name_part() is 1 when the folded password holds a folded part
 * (3+ letters) of name; parts are separated by anything but letters.
 */
static int contains_name_part(const char *pw_fold, const char *name_fold)
{
	const char *p = name_fold;

	while (*p != '\0') {
		const char *q = p;
		size_t letters = 0;

		while (*q != '\0' && (isalpha((unsigned char)*q) || (unsigned char)*q >= 0x80)) {
			letters += ((unsigned char)*q & 0xC0) != 0x80;
			q++;
		}
		if (letters >= 3 && memmem(pw_fold, strlen(pw_fold), p, (size_t)(q - p)) != NULL)
			return 1;
		p = *q != '\0' ? q + 1 : q;
	}
	return 0;
}

/* personal() adds the errors for a password that holds the login or a part of the name. */
static void personal(const char *pw, const char *login, const char *full_name, struct verrs *v,
		     const char *field)
{
	struct arena *a = arena_new(64 * 1024);
	const char *pf = a != NULL ? str_fold(a, pw) : NULL;
	const char *lf = a != NULL && login != NULL ? str_fold(a, login) : NULL;
	const char *nf = a != NULL && full_name != NULL ? str_fold(a, full_name) : NULL;

	if (pf == NULL) /* out of memory or invalid UTF-8: the plain comparison still holds */
		pf = pw;
	if (login != NULL && strlen(login) >= 3 &&
	    (strcasestr(pw, login) != NULL || (lf != NULL && strstr(pf, lf) != NULL)))
		verrs_add(v, field, "contains_login", "%s", _("The password must not contain the login."));
	else if (nf != NULL && contains_name_part(pf, nf))
		verrs_add(v, field, "contains_name", "%s",
			  _("The password must not contain the person's first name or surname "
			    "(nor a part of them)."));
	arena_free(a);
}

int password_policy(const char *pw, const char *login, int64_t min_length, struct verrs *v,
		    const char *field)
{
	return password_policy_person(pw, login, NULL, min_length, v, field);
}

int password_policy_person(const char *pw, const char *login, const char *full_name,
			   int64_t min_length, struct verrs *v, const char *field)
{
	int before = v->n, letters = 0, digits = 0, others = 0, i;
	const char *p;

	if (pw == NULL || pw[0] == '\0') {
		verrs_add(v, field, "required", "%s", _("Enter a password."));
		return v->n - before;
	}
	if (strlen(pw) > PASSWORD_MAX_LENGTH) {
		verrs_add(v, field, "too_long", _("The password may have at most %d characters."),
			  PASSWORD_MAX_LENGTH);
		return v->n - before;
	}
	if ((int64_t)utf8_length(pw) < min_length)
		verrs_add(v, field, "too_short", _("The password must have at least %lld characters."),
			  (long long)min_length);
	for (p = pw; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (isdigit(c))
			digits = 1;
		else if (isalpha(c) || c >= 0x80)
			letters = 1;
		else
			others = 1;
	}
	if (letters + digits + others < 2)
		verrs_add(v, field, "too_simple", "%s",
			  _("Use at least two kinds of characters: letters, digits, other signs."));
	personal(pw, login, full_name, v, field);
	for (i = 0; common[i] != NULL; i++) {
		if (strcasestr(pw, common[i]) != NULL && strlen(pw) < strlen(common[i]) + 6) {
			verrs_add(v, field, "too_common", "%s",
				  _("This password is too easy to guess; choose another."));
			break;
		}
	}
	return v->n - before;
}

void password_generate(char out[20])
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	int i, k = 0;

	for (i = 0; i < 16; i++) {
		if (i > 0 && i % 4 == 0)
			out[k++] = '-';
		out[k++] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	}
	out[k] = '\0';
}
