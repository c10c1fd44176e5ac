/*
 * compare.c — the comparisons of a pair of prepared records, each giving a
 * level (0 = a value missing on either side, then from the strongest
 * agreement to "different"). The levels and their meaning are listed in
 * docs/LINKAGE.md; the model gives each a weight.
 */
#include <string.h>

#include "link/link_int.h"

#define JW_HIGH 0.94 /* a typo or two in a name */
#define JW_LOW 0.85  /* still the same name, badly typed or heard */
#define JW_ADDR 0.90 /* addresses and towns */

/* Level names (English msgids): per field, index = level. */
static const char *const level_names[LINK_F__MAX][LINK_LEVELS_MAX] = {
	[LINK_F_ID] = { "missing", "exact", "one digit or transposition", "different" },
	[LINK_F_GIVEN] = { "missing", "exact", "name variant", "similar", "somewhat similar", "different" },
	[LINK_F_SURNAME] = { "missing", "exact", "birth surname or part", "similar", "somewhat similar",
		"other gender form", "different" },
	[LINK_F_BIRTH] = { "missing", "exact", "day and month swapped", "one digit typo", "different" },
	[LINK_F_SEX] = { "missing", "agree", "different" },
	[LINK_F_STREET] = { "missing", "exact", "similar", "different" },
	[LINK_F_NUMBER] = { "missing", "exact", "different" },
	[LINK_F_ADDRESS2] = { "missing", "exact", "similar", "different" },
	[LINK_F_POSTCODE] = { "missing", "exact", "one digit or transposition", "different" },
	[LINK_F_CITY] = { "missing", "exact", "similar", "different" },
	[LINK_F_REGION] = { "missing", "agree", "different" },
	[LINK_F_TERC] = { "missing", "exact", "same powiat", "different" },
};

static const char *const field_names[LINK_F__MAX] = {
	"id", "given", "surname", "birth", "sex", "street", "street_number", "address2", "postcode", "city",
	"region", "terc",
};

const char *link_field_name(enum link_field f)
{
	return (unsigned)f < LINK_F__MAX ? field_names[f] : NULL;
}

int link_level_count(enum link_field f)
{
	int n = 0;

	if ((unsigned)f >= LINK_F__MAX)
		return 0;
	while (n < LINK_LEVELS_MAX && level_names[f][n] != NULL)
		n++;
	return n;
}

const char *link_level_name(enum link_field f, int level)
{
	if ((unsigned)f >= LINK_F__MAX || level < 0 || level >= LINK_LEVELS_MAX)
		return NULL;
	return level_names[f][level];
}

/* A string of the pool, as pointer and length. */
struct text {
	const char *s;
	size_t n;
};

static struct text text_of(const struct link_pool *p, uint32_t id)
{
	return (struct text){ link_pool_text(p, id), p->str[id].len };
}

/* word_in() is true when w[0..n) is one of the words of t (separated by spaces or hyphens). */
static int word_in(const char *w, size_t n, struct text t)
{
	size_t i = 0;

	while (i < t.n) {
		size_t j = i;

		while (j < t.n && t.s[j] != ' ' && t.s[j] != '-')
			j++;
		if (j - i == n && memcmp(t.s + i, w, n) == 0)
			return 1;
		i = j + 1;
	}
	return 0;
}

static double jw_min(struct text a, struct text b, double min)
{
	return link_jaro_winkler_min(a.s, a.n, b.s, b.n, min);
}

/*
 * A per-thread direct-mapped cache of similarities by pair of pool ids:
 * towns, streets and names repeat across millions of pairs, Jaro–Winkler
 * is the costliest part of a comparison, and its result depends only on
 * the two strings (and the bound used, part of the key).
 */
#define JW_CACHE 65536
struct jw_slot {
	uint64_t key;  /* the two ids and the bound, + 1 (0 = empty) */
	uint32_t pool; /* link_pool.serial: ids mean something only in their pool */
	float sim;
};
static __thread struct jw_slot jw_cache[JW_CACHE];

static double jw_ids(const struct link_pool *p, uint32_t a, uint32_t b, double min)
{
	uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
	uint64_t key = ((uint64_t)lo << 32 | hi) ^ ((uint64_t)(min * 100) << 58), h = link_mix(key ^ p->serial);
	struct jw_slot *slot = &jw_cache[h & (JW_CACHE - 1)];
	double sim;

	if (slot->key == key + 1 && slot->pool == p->serial)
		return slot->sim;
	sim = jw_min(text_of(p, lo), text_of(p, hi), min);
	slot->key = key + 1;
	slot->pool = p->serial;
	slot->sim = (float)sim;
	return sim;
}

/* one_of_names() is true when a word of a equals a word of b ("anna maria" and "maria"). */
static int one_of_names(struct text a, struct text b)
{
	size_t i = 0;

	while (i < a.n) {
		size_t j = i;

		while (j < a.n && a.s[j] != ' ' && a.s[j] != '-')
			j++;
		if (j > i && word_in(a.s + i, j - i, b))
			return 1;
		i = j + 1;
	}
	return 0;
}

/* given_level() compares first names: exact, dictionary variant or one of several names, similarity. */
static int given_level(const struct link_pool *p, uint32_t a, uint32_t b)
{
	struct text ta, tb;
	double sim;

	if (a == 0 || b == 0)
		return 0;
	if (a == b)
		return 1;
	if (p->str[a].canon == p->str[b].canon)
		return 2;
	ta = text_of(p, a);
	tb = text_of(p, b);
	if (one_of_names(ta, tb))
		return 2;
	sim = jw_ids(p, a, b, JW_LOW);
	if (sim < JW_HIGH) { /* a typo in a diminutive: the dictionary forms may be closer */
		double canon = jw_ids(p, p->str[a].canon, p->str[b].canon, JW_LOW);

		sim = canon > sim ? canon : sim;
	}
	return sim >= JW_HIGH ? 3 : sim >= JW_LOW ? 4 : 5;
}

/* surname_text_level() compares two surnames as text (no birth surname). */
static int surname_text_level(const struct link_pool *p, uint32_t ia, uint32_t ib)
{
	struct text a = text_of(p, ia), b = text_of(p, ib);
	double sim;

	if (ia == ib)
		return 1;
	if (link_surname_gender_pair(a.s, a.n, b.s, b.n))
		return 5; /* Kowalski / Kowalska: a family, not one person */
	if (link_surname_part(a.s, a.n, b.s, b.n))
		return 2; /* Nowak-Kowalska / Kowalska */
	sim = jw_ids(p, ia, ib, JW_LOW);
	return sim >= JW_HIGH ? 3 : sim >= JW_LOW ? 4 : 6;
}

/* surname_level() adds the family name at birth: a surname changed at marriage still matches. */
static int surname_level(const struct link_pool *p, const struct link_prec *a, const struct link_prec *b)
{
	uint32_t sa = a->f[LS_SURNAME], sb = b->f[LS_SURNAME];
	int lv;

	if (sa == 0 && sb == 0)
		return 0;
	if (sa != 0 && sb != 0 && (lv = surname_text_level(p, sa, sb)) <= 4)
		return lv;
	if ((a->f[LS_BIRTH_SURNAME] != 0 && (a->f[LS_BIRTH_SURNAME] == sb || a->f[LS_BIRTH_SURNAME] == b->f[LS_BIRTH_SURNAME])) ||
		(b->f[LS_BIRTH_SURNAME] != 0 && b->f[LS_BIRTH_SURNAME] == sa))
		return 2;
	if (sa == 0 || sb == 0)
		return 0;
	return surname_text_level(p, sa, sb);
}

/* date_digits() writes YYYYMMDD as 8 characters. */
static void date_digits(int32_t d, char out[8])
{
	int i;

	for (i = 7; i >= 0; i--, d /= 10)
		out[i] = (char)('0' + d % 10);
}

static int birth_level(int32_t a, int32_t b)
{
	char da[8], db[8];

	if (a <= 0 || b <= 0)
		return 0;
	if (a == b)
		return 1;
	if (a / 10000 == b / 10000 && a % 100 == (b / 100) % 100 && (a / 100) % 100 == b % 100)
		return 2;
	date_digits(a, da);
	date_digits(b, db);
	return link_digit_near(da, db, 8) ? 3 : 4;
}

/* pesel_consistent() is false when the date or sex a PESEL encodes contradicts the other record. */
static int pesel_consistent(const struct link_prec *r, const struct link_prec *other)
{
	if (r->pesel_birth != 0 && other->birth != 0 && birth_level(r->pesel_birth, other->birth) > 3)
		return 0;
	return r->pesel_sex == 0 || other->sex == 0 || r->pesel_sex == other->sex;
}

static int id_level(const struct link_pool *p, const struct link_prec *a, const struct link_prec *b)
{
	struct text ta, tb;

	if (a->f[LS_IDNUM] == 0 || b->f[LS_IDNUM] == 0)
		return 0;
	if (a->f[LS_IDNUM] == b->f[LS_IDNUM])
		return 1;
	if ((a->idkind == LID_OTHER) != (b->idkind == LID_OTHER))
		return 0; /* a PESEL and some other number: not comparable */
	if (a->idkind == LID_PESEL_OK && b->idkind == LID_PESEL_OK)
		return 3; /* two valid PESELs that differ: two people */
	ta = text_of(p, a->f[LS_IDNUM]);
	tb = text_of(p, b->f[LS_IDNUM]);
	if (ta.n != tb.n || !link_digit_near(ta.s, tb.s, ta.n))
		return 3;
	if (a->idkind != LID_OTHER && (!pesel_consistent(a, b) || !pesel_consistent(b, a)))
		return 3;
	return 2;
}

/* simple_level() is exact / similar (Jaro–Winkler at least limit) / different, with similar optional. */
static int simple_level(const struct link_pool *p, uint32_t a, uint32_t b, int with_similar, double limit)
{
	if (a == 0 || b == 0)
		return 0;
	if (a == b)
		return 1;
	if (!with_similar)
		return 2;
	return jw_ids(p, a, b, limit) >= limit ? 2 : 3;
}

static int postcode_level(const struct link_pool *p, uint32_t a, uint32_t b)
{
	struct text ta, tb;

	if (a == 0 || b == 0)
		return 0;
	if (a == b)
		return 1;
	ta = text_of(p, a);
	tb = text_of(p, b);
	return ta.n == tb.n && link_digit_near(ta.s, tb.s, ta.n) ? 2 : 3;
}

static int terc_level(const struct link_pool *p, uint32_t a, uint32_t b)
{
	struct text ta, tb;

	if (a == 0 || b == 0)
		return 0;
	if (a == b)
		return 1;
	ta = text_of(p, a);
	tb = text_of(p, b);
	return ta.n >= 4 && tb.n >= 4 && memcmp(ta.s, tb.s, 4) == 0 ? 2 : 3;
}

/*
 * names_levels() sets the given and surname levels, trying the names
 * swapped (surname typed as first name) when the straight reading
 * disagrees on both and the swapped one agrees on both.
 */
static void names_levels(const struct link_pool *p, const struct link_prec *a, const struct link_prec *b,
	int *given, int *surname)
{
	uint32_t ga = a->f[LS_GIVEN], sa = a->f[LS_SURNAME], gb = b->f[LS_GIVEN], sb = b->f[LS_SURNAME];

	*given = given_level(p, ga, gb);
	*surname = surname_level(p, a, b);
	if (*given >= 4 && *surname >= 4 && ga && sa && gb && sb) {
		int g2 = given_level(p, ga, sb), s2 = surname_text_level(p, sa, gb);

		if (g2 <= 3 && s2 <= 3) {
			*given = g2;
			*surname = s2;
		}
	}
}

link_levels link_compare_prec(const struct link_pool *p, const struct link_prec *a, const struct link_prec *b)
{
	int lv[LINK_F__MAX], f;
	link_levels out = 0;

	lv[LINK_F_ID] = id_level(p, a, b);
	names_levels(p, a, b, &lv[LINK_F_GIVEN], &lv[LINK_F_SURNAME]);
	lv[LINK_F_BIRTH] = birth_level(a->birth, b->birth);
	lv[LINK_F_SEX] = a->sex == 0 || b->sex == 0 ? 0 : a->sex == b->sex ? 1 : 2;
	lv[LINK_F_STREET] = simple_level(p, a->f[LS_STREET], b->f[LS_STREET], 1, JW_ADDR);
	lv[LINK_F_NUMBER] = simple_level(p, a->f[LS_NUMBER], b->f[LS_NUMBER], 0, 0);
	lv[LINK_F_ADDRESS2] = simple_level(p, a->f[LS_ADDRESS2], b->f[LS_ADDRESS2], 1, JW_ADDR);
	lv[LINK_F_POSTCODE] = postcode_level(p, a->f[LS_POSTCODE], b->f[LS_POSTCODE]);
	lv[LINK_F_CITY] = simple_level(p, a->f[LS_CITY], b->f[LS_CITY], 1, JW_ADDR);
	lv[LINK_F_REGION] = simple_level(p, a->f[LS_REGION], b->f[LS_REGION], 0, 0);
	lv[LINK_F_TERC] = terc_level(p, a->f[LS_TERC], b->f[LS_TERC]);
	for (f = 0; f < LINK_F__MAX; f++)
		out |= (link_levels)lv[f] << (4 * f);
	return out;
}

link_levels link_compare(const struct link_set *s, size_t i, size_t j)
{
	return link_compare_prec(&s->pool, &s->rec[i], &s->rec[j]);
}
