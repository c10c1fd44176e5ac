/*
 * link.h — record linkage: the same human in one or two registers.
 *
 * The pipeline (docs/LINKAGE.md describes the method):
 *   1. records (struct link_record, raw UTF-8 fields by role) are added one
 *      by one to a struct link_set, which folds and interns every field and
 *      computes the record's blocking keys;
 *   2. the candidate pairs are the records sharing at least one blocking
 *      key (link_record_keys()), each pair enumerated once;
 *   3. link_model_estimate() fits a Fellegi–Sunter model (m and u of every
 *      comparison level, with the non-matches split into related and
 *      unrelated, and the priors) to the candidate pairs by EM; models can
 *      be saved to text and loaded back;
 *   4. link_score_all() scores every candidate pair above a lower
 *      probability through a callback, link_thresholds() suggests the
 *      upper/lower thresholds from the score distribution (or
 *      link_thresholds_of() from levels the caller already holds);
 *   5. link_cluster() joins the pairs above the upper threshold into
 *      clusters (one human each) without ever joining a cannot-link pair.
 * One record can be linked against a prepared set with link_match_one()
 * (the set's blocking index answers it without a full pass).
 *
 * No database, no HTTP. Strings passed in are copied; nothing returned
 * points into the caller's memory. Functions returning int return 0 on
 * success and -1 on failure (out of memory, bad input) unless told.
 */
#ifndef RAZEM_LINK_LINK_H
#define RAZEM_LINK_LINK_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* The roles a column can play (SPEC names in link_role_name()). */
enum link_role {
	LINK_ROLE_ID,            /* "id": the record's identifier, written in the output */
	LINK_ROLE_GIVEN,         /* "given": first name(s) */
	LINK_ROLE_SURNAME,       /* "surname": family name now */
	LINK_ROLE_BIRTH_SURNAME, /* "birth_surname": family name at birth (nazwisko rodowe) */
	LINK_ROLE_SEX,           /* "sex": K/F/female/kobieta or M/male/mężczyzna */
	LINK_ROLE_BIRTH,         /* "birth": date of birth, with a format (link_date_parse) */
	LINK_ROLE_PESEL,         /* "pesel": Polish PESEL (checksum, encoded date and sex used) */
	LINK_ROLE_NATIONAL_ID,   /* "national_id": any other personal number, compared as digits/text */
	LINK_ROLE_STREET,        /* "street": street name (address line 1) */
	LINK_ROLE_STREET_NUMBER, /* "street_number": house (and flat) number */
	LINK_ROLE_ADDRESS2,      /* "address2": second address line (locality part, building) */
	LINK_ROLE_POSTCODE,      /* "postcode" */
	LINK_ROLE_CITY,          /* "city": town, suburb, locality */
	LINK_ROLE_REGION,        /* "region": state, voivodeship, province */
	LINK_ROLE_TERC,          /* "terc": TERYT gmina code (7 digits; 4 = powiat) */
	LINK_ROLE__MAX
};

/* Sex as linkage sees it. */
enum link_sex { LINK_SEX_UNKNOWN = 0, LINK_SEX_F = 'K', LINK_SEX_M = 'M' };

/*
 * One record: every role a NUL-terminated UTF-8 string or NULL/"" when
 * missing, except sex and birth, which are already parsed (birth as
 * YYYYMMDD, 0 unknown; link_date_parse() and link_sex_parse() read them).
 */
struct link_record {
	const char *id;
	const char *given, *surname, *birth_surname;
	enum link_sex sex;
	int birth; /* YYYYMMDD; 0 unknown */
	const char *pesel, *national_id;
	const char *street, *street_number, *address2, *postcode, *city, *region, *terc;
	int group;   /* file 0 or 1, or the institution: pairs may be limited to across groups */
	int64_t key; /* the caller's key (row number, person id); given back untouched */
};

/* The comparisons of a pair, in the order of the packed levels. */
enum link_field {
	LINK_F_ID,       /* PESEL or national id */
	LINK_F_GIVEN,    /* first name */
	LINK_F_SURNAME,  /* surname (and birth surname) */
	LINK_F_BIRTH,    /* date of birth */
	LINK_F_SEX,
	LINK_F_STREET,
	LINK_F_NUMBER,   /* street number */
	LINK_F_ADDRESS2,
	LINK_F_POSTCODE,
	LINK_F_CITY,
	LINK_F_REGION,
	LINK_F_TERC,
	LINK_F__MAX
};

#define LINK_LEVELS_MAX 8 /* levels of one comparison, level 0 is always "missing" */
#define LINK_LEVEL_MISSING 0

/*
 * Packed comparison levels of a pair: 4 bits per field, field f in bits
 * 4f..4f+3. link_level() reads one.
 */
typedef uint64_t link_levels;
static inline int link_level(link_levels lv, enum link_field f)
{
	return (int)((lv >> (4 * (unsigned)f)) & 15u);
}

/* Names: "id" ... "terc" for roles; "id", "given", ... for fields. NULL when out of range. */
const char *link_role_name(enum link_role r);
const char *link_field_name(enum link_field f);
/* link_level_count() is the number of levels of f; link_level_name() an English msgid ("exact", "diminutive"). */
int link_level_count(enum link_field f);
const char *link_level_name(enum link_field f, int level);

/*
 * link_date_parse() reads s in format fmt (YYYYMMDD, YYYY-MM-DD,
 * DD.MM.YYYY, DD/MM/YYYY, DD-MM-YYYY, YYYY/MM/DD, YYYY.MM.DD, MM/DD/YYYY;
 * a time after 'T' or ' ' ignored) into YYYYMMDD. Returns 0 for a calendar
 * date, 2 when it fits the format but is not a calendar date (out holds its
 * digits anyway: a typo still compares), 1 when s is empty (out = 0), -1
 * when it does not fit the format. link_date_format_ok() is true for a
 * known format name.
 */
int link_date_parse(const char *s, const char *fmt, int *out);
int link_date_format_ok(const char *fmt);
/* link_sex_parse() reads K/F/female/kobieta/k/f/2 and M/male/mężczyzna/m/1; unknown otherwise. */
enum link_sex link_sex_parse(const char *s);

/* ---- SPEC: roles mapped to column names ---- */

struct link_spec {
	const char *column[LINK_ROLE__MAX]; /* column name per role, NULL when not mapped */
	char date_format[16];               /* of the birth role; "YYYYMMDD" by default */
	char storage[512];                  /* the names point here */
};

/*
 * link_spec_parse() reads "role=column[,role=column...]" (birth may carry
 * ":FORMAT"; role names as link_role_name(); spaces around names are
 * trimmed). Requires the id role and at least one other. On error returns
 * -1 and writes a sentence naming the fault to err (errlen > 0).
 */
int link_spec_parse(const char *s, struct link_spec *spec, char *err, size_t errlen);

/* ---- the prepared set ---- */

struct link_set;

/* link_set_new() makes an empty set; link_set_free() releases it (NULL is fine). */
struct link_set *link_set_new(void);
void link_set_free(struct link_set *s);

/*
 * link_set_add() folds, interns and keys a copy of r and returns its index
 * (0, 1, 2, ... in the order added), or -1 when out of memory.
 */
long link_set_add(struct link_set *s, const struct link_record *r);
size_t link_set_count(const struct link_set *s);
/* link_set_id(), link_set_key(), link_set_group() give back what record i was added with. */
const char *link_set_id(const struct link_set *s, size_t i);
int64_t link_set_key(const struct link_set *s, size_t i);
int link_set_group(const struct link_set *s, size_t i);

/*
 * Blocking keys: every record has up to LINK_KEYS_MAX 64-bit keys (0 =
 * none; each key kind hashed with its kind, so kinds never collide).
 * link_record_keys() computes them for a record not in any set (a database
 * stores and looks them up); returns how many non-zero keys were written
 * (the others are 0). The kinds are described in docs/LINKAGE.md.
 */
#define LINK_KEYS_MAX 8
int link_record_keys(const struct link_record *r, uint64_t keys[LINK_KEYS_MAX]);

/* What the enumeration of candidate pairs (estimate, thresholds, scoring) may be asked. */
struct link_opts {
	int cross_only;      /* only pairs of records of different groups */
	size_t block_max;    /* skip a block whose pair count exceeds this (0 = default 10000) */
	int threads;         /* 0 = default (2) */
	int within_only;     /* only pairs of records of one group (duplicates within an institution) */
};

/* Counters of a run (for --stats). */
struct link_stats {
	uint64_t candidates;     /* distinct candidate pairs compared */
	uint64_t blocks_skipped; /* blocks over block_max */
	uint64_t above_lower;    /* pairs given to the callback */
	uint64_t per_key[LINK_KEYS_MAX]; /* candidate pairs first met in a block of each key kind */
};

/* ---- the model ---- */

/*
 * The non-matches are a mixture of two latent classes: "related" (another
 * member of the household: same address and surname, another first name
 * and birth date) and "unrelated". Modelling the household as its own class
 * keeps the agreement of address and surname, which are not independent
 * among non-matches, from passing a sibling for the same person. With
 * prior_related 0 the model is the classic two-class one (u alone), as
 * link_model_labelled() counts it.
 */
struct link_model {
	double prior;                                 /* share of candidate pairs that are matches */
	double m[LINK_F__MAX][LINK_LEVELS_MAX];       /* P(level | match) */
	double u[LINK_F__MAX][LINK_LEVELS_MAX];       /* P(level | non-match), both classes mixed (per field) */
	double prior_related;                         /* share of the related class; 0 = two classes */
	double r[LINK_F__MAX][LINK_LEVELS_MAX];       /* P(level | related) */
	double v[LINK_F__MAX][LINK_LEVELS_MAX];       /* P(level | unrelated) */
	int iterations;                               /* EM iterations used */
	uint64_t pairs;                               /* candidate pairs it was fitted on */
	double upper, lower; /* thresholds suggested by link_model_estimate(); 0 = not yet */
};

/* link_model_default() fills a starting model (also used when EM has too few pairs). */
void link_model_default(struct link_model *m);

/*
 * Pairs whose answer the data give: two records with one valid PESEL are
 * one human, two with different valid PESELs are two. link_labels_add()
 * counts the levels of one such pair (start from a zeroed struct).
 * link_model_labelled() counts a two-class model from them when there are
 * at least LINK_LABELLED_MIN of each (returns 0), instead of EM, which on
 * a register of households tends to take "same household" for "same
 * person"; else returns 1 and leaves m untouched. u is add-one smoothed
 * (it holds household members and strangers alike: no related class); m
 * starts from link_model_default() as LINK_LABELLED_PRIOR pseudo-pairs,
 * because records one office copied from another agree more than records
 * typed twice (a moved person must not become a stranger). The
 * identifier's m stays the default's (its typos are not among the
 * labelled pairs); its u is counted. The thresholds are left 0.
 */
#define LINK_LABELLED_MIN 20
#define LINK_LABELLED_PRIOR 100.0
struct link_labels {
	double same[LINK_F__MAX][LINK_LEVELS_MAX], different[LINK_F__MAX][LINK_LEVELS_MAX];
	double nsame, ndifferent;
};
void link_labels_add(struct link_labels *l, link_levels lv, int same);
int link_model_labelled(const struct link_labels *l, struct link_model *m);

/*
 * link_model_estimate() fits m, u and the prior to the candidate pairs of
 * s by EM (starting from link_model_default()); stats may be NULL.
 */
int link_model_estimate(const struct link_set *s, const struct link_opts *o, struct link_model *m,
	struct link_stats *stats);

/*
 * link_model_save() appends the model as text to b; link_model_load() reads
 * it back (-1 on malformed text, m untouched).
 */
int link_model_save(const struct link_model *m, struct buf *b);
int link_model_load(const char *text, struct link_model *m);

/*
 * link_weight() is the log2 likelihood ratio P(lv | match) / P(lv | non-match)
 * of levels lv; link_probability() the posterior with the priors.
 */
double link_weight(const struct link_model *m, link_levels lv);
double link_probability(const struct link_model *m, link_levels lv);

/* ---- scoring ---- */

/* link_compare() compares records i and j of s. */
link_levels link_compare(const struct link_set *s, size_t i, size_t j);

/* One scored pair. */
struct link_pair {
	uint32_t a, b;      /* record indexes, a < b */
	double probability; /* 0..1 */
	double weight;      /* log2 likelihood ratio */
	link_levels levels;
};

/*
 * link_score_all() calls fn for every candidate pair whose probability is
 * at least lower (in no particular order, from one thread at a time); a
 * non-zero return from fn stops it (that value is returned).
 */
typedef int (*link_pair_fn)(const struct link_pair *p, void *arg);
int link_score_all(const struct link_set *s, const struct link_model *m, const struct link_opts *o,
	double lower, link_pair_fn fn, void *arg, struct link_stats *stats);

/* link_score_pair() scores records i and j. */
void link_score_pair(const struct link_set *s, const struct link_model *m, size_t i, size_t j,
	struct link_pair *out);

/*
 * link_score_pairs() scores n pairs given as ab[2k], ab[2k+1] into out[k]
 * (as link_score_pair() does, with the model's tables built once).
 */
void link_score_pairs(const struct link_set *s, const struct link_model *m, const uint32_t *ab, size_t n,
	struct link_pair *out);

/* One line of an explanation. */
struct link_explain_row {
	enum link_field field;
	int level;
	const char *level_name; /* English msgid for _() */
	double weight;          /* log2(m/u) of that level (u: both non-match classes); 0 when missing */
};

/* link_explain() fills one row per field (LINK_F__MAX rows) for levels lv. */
void link_explain(const struct link_model *m, link_levels lv, struct link_explain_row rows[LINK_F__MAX]);

/*
 * link_thresholds() suggests the thresholds (probabilities) from the
 * distribution of the candidate pairs' posteriors: upper maximises the
 * expected F1, lower keeps 99.5 % of the expected matches (never above
 * upper). Candidate pairs are enumerated again. See docs/LINKAGE.md.
 */
int link_thresholds(const struct link_set *s, const struct link_model *m, const struct link_opts *o,
	double *upper, double *lower);

/*
 * link_thresholds_of() is link_thresholds() over the levels of n pairs the
 * caller has already compared (no enumeration, no comparison: a caller
 * that holds its candidate pairs does not pay for them twice).
 */
int link_thresholds_of(const struct link_model *m, const link_levels *lv, size_t n, double *upper, double *lower);

/*
 * link_score_levels() fills probability[k] and weight[k] (either may be
 * NULL) of levels lv[k], k < n, as link_probability() and link_weight()
 * do, with the model's tables built once.
 */
void link_score_levels(const struct link_model *m, const link_levels *lv, size_t n, double *probability,
	double *weight);

/* ---- one record against a set ---- */

/*
 * link_match_one() compares r (not added to s) with every record of s that
 * shares a blocking key with it and calls fn for those with probability at
 * least lower (p->a is the index in s, p->b is (uint32_t)-1). When
 * cross_only is set, records of r->group are skipped. The set's index is
 * built on first use (and rebuilt after link_set_add()).
 */
int link_match_one(struct link_set *s, const struct link_model *m, const struct link_record *r,
	int cross_only, double lower, link_pair_fn fn, void *arg);

/* ---- clustering ---- */

/*
 * link_cluster() assigns cluster[i] in 0..n-1 (the smallest record index
 * of the cluster) to every record: pairs at or above upper are joined in
 * order of falling probability (a maximum spanning forest), a join that
 * would put the two records of a cannot-link pair (cannot[2k], cannot[2k+1])
 * in one cluster is refused, so a chain is split at its weakest link; so is
 * a join that would make a cluster of more than LINK_CLUSTER_MAX records.
 */
#define LINK_CLUSTER_MAX 64
int link_cluster(size_t n, const struct link_pair *pairs, size_t npairs, double upper,
	const uint32_t *cannot, size_t ncannot, uint32_t *cluster);

#endif
