/*
 * link_int.h — what the files of src/link share and nobody else sees:
 * the string pool, the prepared record, the text helpers (folding,
 * Jaro–Winkler, phonetic code), the name rules and the blocking pass.
 */
#ifndef RAZEM_LINK_LINK_INT_H
#define RAZEM_LINK_LINK_INT_H

#include <stddef.h>
#include <stdint.h>

#include "link/link.h"

/* ---- text.c ---- */

#define LINK_TEXT_MAX 128 /* folded fields are cut to this many bytes (names and addresses are shorter) */

/*
 * link_fold() writes the comparison form of s to out (LINK_TEXT_MAX
 * bytes): case folded, Polish and other diacritics removed (ł → l),
 * only letters, digits, single spaces and single hyphens kept (spaces
 * around hyphens dropped), trimmed. Returns its length (0 = missing).
 */
size_t link_fold(const char *s, char out[LINK_TEXT_MAX]);
/* link_digits() keeps only the digits of s (at most outlen-1); returns their count. */
size_t link_digits(const char *s, char *out, size_t outlen);
/* link_jaro_winkler() of a[0..na) and b[0..nb): 1 equal, 0 nothing in common. */
double link_jaro_winkler(const char *a, size_t na, const char *b, size_t nb);
/* link_jaro_winkler_min() is link_jaro_winkler(), or 0 when a bound shows it is below min (cheaper). */
double link_jaro_winkler_min(const char *a, size_t na, const char *b, size_t nb, double min);
/* link_phonetic() is a 32-bit code of a folded word (Polish digraphs, then Soundex-like classes, 6 places); 0 for "". */
uint32_t link_phonetic(const char *s, size_t n);
/* link_digit_near() is true when a and b (same length) differ in one place or one adjacent transposition. */
int link_digit_near(const char *a, const char *b, size_t n);
/* link_hash() is a 64-bit hash of n bytes with a seed. */
uint64_t link_hash(const void *p, size_t n, uint64_t seed);
static inline uint64_t link_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* ---- names.c ---- */

/* link_name_canonical() is the dictionary form of a folded first name ("kasia" → "katarzyna"), or NULL. */
const char *link_name_canonical(const char *folded);
/* link_name_dictionary_size() is the number of variants the dictionary knows (for docs/tests). */
size_t link_name_dictionary_size(void);
/* link_name_dictionary_variant() is the i-th variant in sorted order, NULL past the end. */
const char *link_name_dictionary_variant(size_t i);
/*
 * link_surname_gender_pair() is true when a and b (folded) are the
 * feminine and masculine form of one surname: -ski/-ska, -cki/-cka,
 * -dzki/-dzka, -ny/-na, -owy/-owa and other adjectival -y/-a or -i/-a.
 */
int link_surname_gender_pair(const char *a, size_t na, const char *b, size_t nb);
/* link_surname_part() is true when a is one of the hyphen-separated parts of b (or b of a). */
int link_surname_part(const char *a, size_t na, const char *b, size_t nb);

/* ---- set.c: the pool of folded strings ---- */

/* A folded string, interned once per set. */
struct link_str {
	uint32_t off;   /* in pool.text */
	uint16_t len;
	uint32_t code;  /* link_phonetic() of it */
	uint32_t canon; /* for first names: pool id of the dictionary form (itself when none) */
};

struct link_pool {
	char *text;
	size_t len, cap;
	struct link_str *str; /* str[0] is the empty string (missing) */
	uint32_t n, ncap;
	uint32_t *slot; /* open addressing table of ids, 0 empty */
	size_t nslot;
	uint32_t serial; /* unique per pool in the process (keys the comparison cache) */
};

/* The string fields of a prepared record, index into link_prec.f. */
enum link_sfield {
	LS_GIVEN,
	LS_SURNAME,
	LS_BIRTH_SURNAME,
	LS_STREET,
	LS_NUMBER,
	LS_ADDRESS2,
	LS_POSTCODE,
	LS_CITY,
	LS_REGION,
	LS_TERC,
	LS_IDNUM, /* digits of the PESEL, or the folded national id */
	LS__MAX
};

/* idkind of a prepared record */
enum { LID_NONE, LID_PESEL_OK, LID_PESEL_BAD, LID_OTHER };

/* A record prepared for comparison: pool ids, parsed date and sex. */
struct link_prec {
	uint32_t f[LS__MAX];
	int32_t birth;
	uint8_t sex;    /* enum link_sex */
	uint8_t idkind;
	uint8_t pesel_sex; /* sex encoded in a PESEL (valid or not), 0 when none */
	int32_t pesel_birth; /* birth date encoded in the PESEL, 0 when none */
	int32_t group;
	uint32_t id; /* offset of the id string in ids */
	int64_t key;
};

struct link_index;
/* link_index_free() releases the one-record index (index.c); NULL is fine. */
void link_index_free(struct link_index *ix);

struct link_set {
	struct link_pool pool;
	struct link_prec *rec;
	size_t n, cap;
	char *ids;
	size_t idlen, idcap;
	struct link_index *index; /* for link_match_one(); NULL until built */
	size_t index_n;           /* records the index covers */
};

/* link_pool_text() is the text of pool id (not NUL-terminated: use len). */
static inline const char *link_pool_text(const struct link_pool *p, uint32_t id)
{
	return p->text + p->str[id].off;
}

/*
 * link_prepare() folds r into *out, interning into pool; with pool NULL
 * nothing is interned (used for one-off keys): then ids are not set and
 * only keys can be computed via link_keys_of_record().
 */
int link_prepare(struct link_pool *pool, const struct link_record *r, struct link_prec *out);
void link_pool_free(struct link_pool *p);

/* ---- compare.c ---- */

link_levels link_compare_prec(const struct link_pool *p, const struct link_prec *a, const struct link_prec *b);

/* ---- block.c ---- */

/* link_key() is key kind k of a prepared record (0 = none). */
uint64_t link_key(const struct link_pool *p, const struct link_prec *r, int k);

/*
 * link_pairs() enumerates the distinct candidate pairs of s (blocks over
 * block_max skipped) with nthreads threads; each thread calls fn with its
 * thread number and batches of pairs. sample > 1 keeps only pairs whose
 * hash is 0 modulo sample. Returns 0 or fn's non-zero return.
 */
typedef int (*link_batch_fn)(int thread, const uint32_t *ab, size_t npairs, void *arg);
int link_pairs(const struct link_set *s, const struct link_opts *o, uint64_t sample, link_batch_fn fn, void *arg,
	struct link_stats *stats);
/* link_pairs_estimate() is an upper bound of the candidate pairs (duplicates counted). */
uint64_t link_pairs_estimate(const struct link_set *s, const struct link_opts *o);

/* ---- model.c ---- */

/* link_model_table() builds the log2(m/u) table of a model: w[f][l]. */
void link_model_table(const struct link_model *m, double w[LINK_F__MAX][LINK_LEVELS_MAX]);

#endif
