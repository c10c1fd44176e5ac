/*
 * model.c — the Fellegi–Sunter model: m and u of every comparison level
 * and the prior share of matches, estimated by EM from the candidate pairs
 * themselves (the pairs are counted by their pattern of levels, so an EM
 * iteration costs the number of distinct patterns, not of pairs); weights,
 * posterior probabilities, the thresholds suggested by the distribution of
 * posteriors, the explanation of a score, text serialisation.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "link/link_int.h"

#define EM_MAX_ITER 300
#define EM_EPS 1e-7
#define EM_FLOOR 1e-6      /* no level probability is allowed to reach 0 */
#define EM_PSEUDO 10.0     /* pairs of prior belief per class (add_pseudo) */
#define ANCHOR_MIN 50      /* pairs needed to take m from the anchor groups (anchor_m) */
#define EM_SAMPLE_PAIRS 3000000 /* EM is fitted on at most about this many candidate pairs */
#define RECALL_LOWER 0.995 /* the lower threshold keeps this share of the expected matches */
#define RANDOM_PAIRS 200000 /* random pairs that start the unrelated class */

/* Starting agreement probabilities of the address fields, the same for
 * matches and for the related class (a household shares its address). */
#define ADDRESS_START                                  \
	[LINK_F_STREET] = { 0, 0.80, 0.10, 0.10 },     \
	[LINK_F_NUMBER] = { 0, 0.85, 0.15 },           \
	[LINK_F_ADDRESS2] = { 0, 0.80, 0.10, 0.10 },   \
	[LINK_F_POSTCODE] = { 0, 0.85, 0.07, 0.08 },   \
	[LINK_F_CITY] = { 0, 0.85, 0.07, 0.08 },       \
	[LINK_F_REGION] = { 0, 0.92, 0.08 },           \
	[LINK_F_TERC] = { 0, 0.85, 0.05, 0.10 }

/* Starting agreement probabilities for matches, per level (level 0 unused). */
static const double m_start[LINK_F__MAX][LINK_LEVELS_MAX] = {
	[LINK_F_ID] = { 0, 0.90, 0.07, 0.03 },
	[LINK_F_GIVEN] = { 0, 0.85, 0.05, 0.05, 0.03, 0.02 },
	[LINK_F_SURNAME] = { 0, 0.85, 0.04, 0.05, 0.03, 0.01, 0.02 },
	[LINK_F_BIRTH] = { 0, 0.88, 0.03, 0.06, 0.03 },
	[LINK_F_SEX] = { 0, 0.98, 0.02 },
	ADDRESS_START,
};

/* Starting probabilities for the related class (a household member): personal fields differ, address agrees. */
static const double r_start[LINK_F__MAX][LINK_LEVELS_MAX] = {
	[LINK_F_ID] = { 0, 0.02, 0.03, 0.95 },
	[LINK_F_GIVEN] = { 0, 0.04, 0.02, 0.04, 0.10, 0.80 },
	[LINK_F_SURNAME] = { 0, 0.50, 0.10, 0.05, 0.05, 0.20, 0.10 },
	[LINK_F_BIRTH] = { 0, 0.02, 0.01, 0.02, 0.95 },
	[LINK_F_SEX] = { 0, 0.50, 0.50 },
	ADDRESS_START,
};

void link_model_default(struct link_model *m)
{
	int f, l, n;

	memset(m, 0, sizeof(*m));
	m->prior = 0.01;
	for (f = 0; f < LINK_F__MAX; f++) {
		n = link_level_count((enum link_field)f);
		m->m[f][0] = m->u[f][0] = m->r[f][0] = m->v[f][0] = 1.0;
		for (l = 1; l < n; l++) {
			m->m[f][l] = m_start[f][l];
			/* non-matches: agreement rare, "different" common */
			m->u[f][l] = m->v[f][l] = l == n - 1 ? 0.9 : 0.1 / (double)(n - 2);
			m->r[f][l] = r_start[f][l];
		}
	}
}

/* The log2 tables of a model's classes: level 0 (missing) is 0 in each. */
struct log_tables {
	double m[LINK_F__MAX][LINK_LEVELS_MAX], r[LINK_F__MAX][LINK_LEVELS_MAX], v[LINK_F__MAX][LINK_LEVELS_MAX];
	double lp_m, lp_r, lp_v; /* log2 of the priors; lp_r is -inf for a two-class model */
};

static double safe_log2(double x)
{
	return x > 0 ? log2(x) : -1e9;
}

static void log_tables(const struct link_model *m, struct log_tables *t)
{
	int three = m->prior_related > 0, f, l;

	for (f = 0; f < LINK_F__MAX; f++)
		for (l = 0; l < LINK_LEVELS_MAX; l++) {
			int used = l > 0 && l < link_level_count((enum link_field)f);

			t->m[f][l] = used ? safe_log2(m->m[f][l]) : 0;
			t->r[f][l] = used && three ? safe_log2(m->r[f][l]) : 0;
			t->v[f][l] = used ? safe_log2(three ? m->v[f][l] : m->u[f][l]) : 0;
		}
	t->lp_m = safe_log2(m->prior);
	t->lp_r = three ? safe_log2(m->prior_related) : -INFINITY;
	t->lp_v = safe_log2(1 - m->prior - m->prior_related);
}

/* class_logs() sums the log2 likelihoods of levels lv under each class. */
static void class_logs(const struct log_tables *t, link_levels lv, double *lm, double *lr, double *lu)
{
	int f;

	*lm = *lr = *lu = 0;
	for (f = 0; f < LINK_F__MAX; f++) {
		int l = link_level(lv, (enum link_field)f);

		*lm += t->m[f][l];
		*lr += t->r[f][l];
		*lu += t->v[f][l];
	}
}

/* posteriors3() turns class log likelihoods into the three posteriors. */
static void posteriors3(const struct log_tables *t, double lm, double lr, double lu, double g[3])
{
	double a = t->lp_m + lm, b = t->lp_r + lr, c = t->lp_v + lu, top = fmax(a, fmax(b, c)), sum;

	g[0] = exp2(a - top);
	g[1] = isinf(b) ? 0 : exp2(b - top);
	g[2] = exp2(c - top);
	sum = g[0] + g[1] + g[2];
	g[0] /= sum;
	g[1] /= sum;
	g[2] /= sum;
}

/* non_match_log() is log2 P(lv | non-match), the two classes mixed by their priors. */
static double non_match_log(const struct log_tables *t, double lr, double lu)
{
	double b = t->lp_r + lr, c = t->lp_v + lu, top = fmax(b, c), rest = safe_log2(1 - exp2(t->lp_m));

	if (isinf(b))
		return lu;
	return top + log2(exp2(b - top) + exp2(c - top)) - rest;
}

void link_model_table(const struct link_model *m, double w[LINK_F__MAX][LINK_LEVELS_MAX])
{
	int f, l;

	for (f = 0; f < LINK_F__MAX; f++)
		for (l = 0; l < LINK_LEVELS_MAX; l++)
			w[f][l] = l == 0 || m->m[f][l] <= 0 || m->u[f][l] <= 0 ? 0.0 : log2(m->m[f][l] / m->u[f][l]);
}

static double weight_with(const struct log_tables *t, link_levels lv)
{
	double lm, lr, lu;

	class_logs(t, lv, &lm, &lr, &lu);
	return lm - non_match_log(t, lr, lu);
}

static double probability_with(const struct log_tables *t, link_levels lv)
{
	double lm, lr, lu, g[3];

	class_logs(t, lv, &lm, &lr, &lu);
	posteriors3(t, lm, lr, lu, g);
	return g[0];
}

double link_weight(const struct link_model *m, link_levels lv)
{
	struct log_tables t;

	log_tables(m, &t);
	return weight_with(&t, lv);
}

double link_probability(const struct link_model *m, link_levels lv)
{
	struct log_tables t;

	log_tables(m, &t);
	return probability_with(&t, lv);
}

/* ---- pattern counts ---- */

struct patterns {
	link_levels *lv;
	double *count;
	size_t n, cap; /* cap a power of two; slot empty when count 0 */
};

static int patterns_init(struct patterns *p, size_t cap)
{
	p->n = 0;
	p->cap = cap;
	p->lv = calloc(cap, sizeof(*p->lv));
	p->count = calloc(cap, sizeof(*p->count));
	return p->lv != NULL && p->count != NULL ? 0 : -1;
}

static void patterns_free(struct patterns *p)
{
	free(p->lv);
	free(p->count);
	p->lv = NULL;
	p->count = NULL;
}

static int patterns_add(struct patterns *p, link_levels lv, double c);

static int patterns_grow(struct patterns *p)
{
	struct patterns bigger;
	size_t i;

	if (patterns_init(&bigger, p->cap * 2) != 0) {
		patterns_free(&bigger);
		return -1;
	}
	for (i = 0; i < p->cap; i++)
		if (p->count[i] > 0)
			patterns_add(&bigger, p->lv[i], p->count[i]);
	patterns_free(p);
	*p = bigger;
	return 0;
}

static int patterns_add(struct patterns *p, link_levels lv, double c)
{
	size_t i = link_mix(lv) & (p->cap - 1);

	while (p->count[i] > 0 && p->lv[i] != lv)
		i = (i + 1) & (p->cap - 1);
	if (p->count[i] == 0) {
		p->lv[i] = lv;
		p->n++;
	}
	p->count[i] += c;
	if (p->n * 2 > p->cap)
		return patterns_grow(p);
	return 0;
}

struct count_arg {
	const struct link_set *s;
	struct patterns pat[2];
	int failed;
};

static int count_batch(int t, const uint32_t *ab, size_t n, void *arg)
{
	struct count_arg *ca = arg;
	size_t i;

	for (i = 0; i < n; i++)
		if (patterns_add(&ca->pat[t], link_compare(ca->s, ab[2 * i], ab[2 * i + 1]), 1.0) != 0) {
			ca->failed = 1;
			return -1;
		}
	return 0;
}

/* ---- EM ---- */

/* normalise_class() turns the level sums of one class into probabilities (with a floor); returns the largest change. */
static double normalise_class(double sum[LINK_F__MAX][LINK_LEVELS_MAX], double out[LINK_F__MAX][LINK_LEVELS_MAX],
	int skip)
{
	double change = 0;
	int f, l;

	for (f = 0; f < LINK_F__MAX; f++) {
		int n = link_level_count((enum link_field)f);
		double d = 0;

		if (f == skip)
			continue; /* a field held fixed */

		for (l = 1; l < n; l++)
			d += sum[f][l] + EM_FLOOR;
		for (l = 1; l < n; l++) {
			double x = (sum[f][l] + EM_FLOOR) / d;

			change = fmax(change, fabs(x - out[f][l]));
			out[f][l] = x;
		}
	}
	return change;
}

/*
 * add_pseudo() adds EM_PSEUDO pairs distributed as the starting model to a
 * class's counts (a Dirichlet prior): a level the data never shows in that
 * class (a PESEL typo among few matches) keeps a plausible probability
 * instead of a near zero that would veto every future pair showing it.
 */
static void add_pseudo(double sum[LINK_F__MAX][LINK_LEVELS_MAX], const double start[LINK_F__MAX][LINK_LEVELS_MAX])
{
	int f, l;

	for (f = 0; f < LINK_F__MAX; f++)
		for (l = 1; l < link_level_count((enum link_field)f); l++)
			sum[f][l] += EM_PSEUDO * start[f][l];
}

/*
 * personal_field() is true for the fields that say who a person is, not
 * where or in which family they live: in the related class they agree no
 * more often than between strangers, which is what tells a sibling from
 * the same person (and keeps the classes from trading places).
 */
static int personal_field(int f)
{
	return f == LINK_F_ID || f == LINK_F_GIVEN || f == LINK_F_BIRTH;
}

/* mix_u() sets u, per field, to the mixture of the related and unrelated classes. */
static void mix_u(struct link_model *m)
{
	double pr = m->prior_related, pv = 1 - m->prior - m->prior_related;
	int f, l;

	for (f = 0; f < LINK_F__MAX; f++)
		for (l = 1; l < link_level_count((enum link_field)f); l++)
			m->u[f][l] = (pr * m->r[f][l] + pv * m->v[f][l]) / (pr + pv);
}

/*
 * em_step() does one E and M step over the patterns; returns the largest
 * parameter change. The identifier of the unrelated class stays as the
 * random pairs gave it: two strangers share a PESEL only by a typo, while
 * the blocking makes them agree on other fields more than chance would.
 */
static double em_step(struct link_model *m, const struct patterns *p, int m_fixed)
{
	static double sum_m[LINK_F__MAX][LINK_LEVELS_MAX], sum_r[LINK_F__MAX][LINK_LEVELS_MAX],
		sum_v[LINK_F__MAX][LINK_LEVELS_MAX];
	double(*sum[3])[LINK_LEVELS_MAX] = { sum_m, sum_r, sum_v };
	double tot = 0, cls[3] = { 0, 0, 0 }, change = 0;
	struct log_tables t;
	size_t i;
	int f, c;

	memset(sum_m, 0, sizeof(sum_m));
	memset(sum_r, 0, sizeof(sum_r));
	memset(sum_v, 0, sizeof(sum_v));
	log_tables(m, &t);
	for (i = 0; i < p->cap; i++) {
		double n = p->count[i], lm, lr, lu, g[3];

		if (n <= 0)
			continue;
		class_logs(&t, p->lv[i], &lm, &lr, &lu);
		posteriors3(&t, lm, lr, lu, g);
		tot += n;
		for (c = 0; c < 3; c++) {
			cls[c] += n * g[c];
			for (f = 0; f < LINK_F__MAX; f++)
				sum[c][f][link_level(p->lv[i], (enum link_field)f)] += n * g[c];
		}
	}
	add_pseudo(sum_m, m_start);
	add_pseudo(sum_r, r_start);
	if (!m_fixed)
		change = fmax(change, normalise_class(sum_m, m->m, -1));
	change = fmax(change, normalise_class(sum_r, m->r, -1));
	/* strangers share a number only by chance: their identifier stays as the random pairs gave it */
	change = fmax(change, normalise_class(sum_v, m->v, LINK_F_ID));
	for (f = 0; f < LINK_F__MAX; f++)
		if (personal_field(f)) /* a relative is a stranger as to who they are */
			memcpy(m->r[f], m->v[f], sizeof(m->r[f]));
	if (tot > 0) {
		double pm = fmin(fmax(cls[0] / tot, 1e-9), 0.999), pr = fmin(fmax(cls[1] / tot, 1e-9), 0.999 - pm);

		change = fmax(change, fmax(fabs(pm - m->prior), fabs(pr - m->prior_related)));
		m->prior = pm;
		m->prior_related = pr;
	}
	mix_u(m);
	return change;
}

/*
 * random_u() starts the unrelated class from the levels of random record
 * pairs (nearly all non-matches): how often two strangers agree by chance.
 */
static void random_u(const struct link_set *s, int cross_only, struct link_model *m)
{
	static double sum[LINK_F__MAX][LINK_LEVELS_MAX];
	uint64_t x = 0x2545F4914F6CDD1DULL;
	size_t k, done = 0;
	int f;

	size_t want = s->n * 20 < RANDOM_PAIRS ? s->n * 20 : RANDOM_PAIRS; /* small files: fewer suffice */

	if (s->n < 2)
		return;
	memset(sum, 0, sizeof(sum));
	for (k = 0; k < 20 * want && done < want; k++) {
		size_t i, j;
		link_levels lv;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		i = (size_t)(x % s->n);
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		j = (size_t)(x % s->n);
		if (i == j || (cross_only && s->rec[i].group == s->rec[j].group))
			continue;
		lv = link_compare(s, i, j);
		for (f = 0; f < LINK_F__MAX; f++)
			sum[f][link_level(lv, (enum link_field)f)] += 1;
		done++;
	}
	if (done > 0)
		normalise_class(sum, m->v, -1);
	for (f = 0; f < LINK_F__MAX; f++)
		if (personal_field(f))
			memcpy(m->r[f], m->v[f], sizeof(m->r[f]));
}

/* A pattern with its posterior and count, for the thresholds. */
struct scored {
	double g, c;
};

static int scored_desc(const void *x, const void *y)
{
	double a = ((const struct scored *)x)->g, b = ((const struct scored *)y)->g;

	return a < b ? 1 : a > b ? -1 : 0;
}

/*
 * thresholds_from() reads the thresholds off the posteriors of the
 * patterns: taking pairs in order of falling posterior g, the expected
 * true links among the first k are the sum of their g, the expected
 * matches in all are the sum of every g, so the expected F1 of every cut
 * is known; upper is the posterior at the best cut, lower the posterior
 * where the expected recall reaches RECALL_LOWER.
 */
static int thresholds_from(const struct link_model *m, const struct patterns *p, double *upper, double *lower)
{
	struct scored *sc = malloc((p->n ? p->n : 1) * sizeof(*sc));
	double total = 0, tp = 0, sel = 0, best = -1;
	struct log_tables t;
	size_t i, k = 0;

	if (sc == NULL)
		return -1;
	log_tables(m, &t);
	for (i = 0; i < p->cap; i++)
		if (p->count[i] > 0) {
			sc[k].g = probability_with(&t, p->lv[i]);
			sc[k].c = p->count[i];
			total += sc[k].g * sc[k].c;
			k++;
		}
	qsort(sc, k, sizeof(*sc), scored_desc);
	*upper = 0.5;
	*lower = 0.5;
	for (i = 0; i < k && total > 0; i++) {
		double f1;

		tp += sc[i].g * sc[i].c;
		sel += sc[i].c;
		f1 = 2 * tp / (sel + total);
		if (f1 > best && (i + 1 == k || sc[i + 1].g < sc[i].g)) {
			best = f1;
			*upper = sc[i].g;
		}
	}
	tp = 0;
	for (i = 0; i < k && total > 0; i++) {
		tp += sc[i].g * sc[i].c;
		*lower = sc[i].g;
		if (tp >= RECALL_LOWER * total)
			break;
	}
	if (*lower > *upper)
		*lower = *upper;
	free(sc);
	return 0;
}

/*
 * anchor_m() estimates m without EM when the data allow it: the pairs that
 * agree exactly on the identifier are (nearly all) matches, so their levels
 * on the other fields are m of those fields; the pairs agreeing exactly on
 * first name, surname and birth date are (nearly all) matches too, and
 * their identifier levels are m of the identifier. EM then estimates only
 * the non-match classes and the priors: on a large register the blocking
 * makes strangers sharing a birth date or half a PESEL the bulk of the
 * candidates, and an unanchored match class drifts towards them. Returns 1
 * when m was set so, 0 (m untouched) when either group has fewer than
 * ANCHOR_MIN pairs.
 */
static int anchor_m(struct link_model *m, const struct patterns *p)
{
	static double sum[LINK_F__MAX][LINK_LEVELS_MAX];
	double by_id = 0, by_names = 0, id_levels[LINK_LEVELS_MAX] = { 0 };
	size_t i;
	int f;

	memset(sum, 0, sizeof(sum));
	for (i = 0; i < p->cap; i++) {
		link_levels lv = p->lv[i];

		if (p->count[i] <= 0)
			continue;
		if (link_level(lv, LINK_F_ID) == 1) {
			for (f = 0; f < LINK_F__MAX; f++)
				sum[f][link_level(lv, (enum link_field)f)] += p->count[i];
			by_id += p->count[i];
		}
		if (link_level(lv, LINK_F_GIVEN) == 1 && link_level(lv, LINK_F_SURNAME) == 1 &&
			link_level(lv, LINK_F_BIRTH) == 1 && link_level(lv, LINK_F_ID) != 0) {
			id_levels[link_level(lv, LINK_F_ID)] += p->count[i];
			by_names += p->count[i];
		}
	}
	if (by_id < ANCHOR_MIN || by_names < ANCHOR_MIN)
		return 0;
	for (i = 0; i < LINK_LEVELS_MAX; i++)
		sum[LINK_F_ID][i] = id_levels[i];
	add_pseudo(sum, m_start);
	normalise_class(sum, m->m, -1);
	return 1;
}

/*
 * count_patterns() counts the levels of the candidate pairs of s (every
 * sample-th by hash) into one table p, each thread into a table of its own
 * first.
 */
static int count_patterns(const struct link_set *s, const struct link_opts *o, uint64_t sample, struct patterns *p,
	struct link_stats *st)
{
	struct count_arg ca = { .s = s };
	int rc = -1;

	if (patterns_init(&ca.pat[0], 1 << 12) != 0 || patterns_init(&ca.pat[1], 1 << 12) != 0)
		goto out;
	if (link_pairs(s, o, sample, count_batch, &ca, st) != 0 || ca.failed)
		goto out;
	rc = 0;
	for (size_t i = 0; i < ca.pat[1].cap && rc == 0; i++) /* one table */
		if (ca.pat[1].count[i] > 0)
			rc = patterns_add(&ca.pat[0], ca.pat[1].lv[i], ca.pat[1].count[i]);
out:
	patterns_free(&ca.pat[1]);
	if (rc != 0)
		patterns_free(&ca.pat[0]);
	else
		*p = ca.pat[0];
	return rc;
}

int link_model_estimate(const struct link_set *s, const struct link_opts *o, struct link_model *m,
	struct link_stats *stats)
{
	uint64_t est = link_pairs_estimate(s, o), sample = est / EM_SAMPLE_PAIRS + 1;
	struct link_stats st = { 0 };
	struct patterns p;
	double change = 1;
	int m_fixed, rc;

	link_model_default(m);
	if (count_patterns(s, o, sample, &p, &st) != 0)
		return -1;
	m->pairs = st.candidates * sample;
	random_u(s, o != NULL && o->cross_only, m);
	if (st.candidates > 0)
		m->prior = fmin(0.4, fmax(1e-6, (double)s->n / 2.0 / (double)m->pairs)); /* about one match per record */
	m->prior_related = fmin(0.1, (1 - m->prior) / 2);
	m_fixed = anchor_m(m, &p);
	mix_u(m);
	while (m->iterations < EM_MAX_ITER && change > EM_EPS && st.candidates > 0) {
		change = em_step(m, &p, m_fixed);
		m->iterations++;
	}
	rc = thresholds_from(m, &p, &m->upper, &m->lower);
	if (rc == 0 && stats != NULL)
		stats->candidates += st.candidates;
	patterns_free(&p);
	return rc;
}

int link_thresholds(const struct link_set *s, const struct link_model *m, const struct link_opts *o,
	double *upper, double *lower)
{
	struct patterns p;
	int rc;

	if (m->upper > 0) {
		*upper = m->upper;
		*lower = m->lower;
		return 0;
	}
	if (count_patterns(s, o, link_pairs_estimate(s, o) / EM_SAMPLE_PAIRS + 1, &p, NULL) != 0)
		return -1;
	rc = thresholds_from(m, &p, upper, lower);
	patterns_free(&p);
	return rc;
}

int link_thresholds_of(const struct link_model *m, const link_levels *lv, size_t n, double *upper, double *lower)
{
	struct patterns p;
	int rc = 0;

	if (patterns_init(&p, 1 << 12) != 0) {
		patterns_free(&p);
		return -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = patterns_add(&p, lv[i], 1.0);
	if (rc == 0)
		rc = thresholds_from(m, &p, upper, lower);
	patterns_free(&p);
	return rc;
}

/* ---- the labelled model ---- */

void link_labels_add(struct link_labels *l, link_levels lv, int same)
{
	for (int f = 0; f < LINK_F__MAX; f++)
		(same ? l->same : l->different)[f][link_level(lv, (enum link_field)f)] += 1;
	*(same ? &l->nsame : &l->ndifferent) += 1;
}

int link_model_labelled(const struct link_labels *l, struct link_model *m)
{
	const double k = LINK_LABELLED_PRIOR;

	if (l->nsame < LINK_LABELLED_MIN || l->ndifferent < LINK_LABELLED_MIN)
		return 1;
	link_model_default(m);
	for (int f = 0; f < LINK_F__MAX; f++) {
		int nl = link_level_count((enum link_field)f);

		for (int v = 0; v < nl; v++) {
			if (f != LINK_F_ID) /* the default's m as pseudo-pairs: copies are cleaner than typing */
				m->m[f][v] = (l->same[f][v] + k * m->m[f][v]) / (l->nsame + k);
			m->u[f][v] = (l->different[f][v] + 1) / (l->ndifferent + nl);
		}
	}
	m->prior = l->nsame / (l->nsame + l->ndifferent);
	m->prior_related = 0; /* two classes: log_tables() then scores with u alone */
	m->pairs = (uint64_t)(l->nsame + l->ndifferent);
	return 0;
}

/* ---- scoring ---- */

struct score_arg {
	const struct link_set *s;
	const struct link_model *m;
	struct log_tables t;
	double lower;
	link_pair_fn fn;
	void *arg;
	pthread_mutex_t mu;
	uint64_t above;
};

static int score_batch(int t, const uint32_t *ab, size_t n, void *arg)
{
	struct score_arg *sa = arg;
	struct link_pair out[256];
	size_t i, k = 0, j;
	int rc = 0;

	(void)t;
	for (i = 0; i < n && rc == 0; i++) {
		link_levels lv = link_compare(sa->s, ab[2 * i], ab[2 * i + 1]);
		double lm, lr, lu, g[3];

		class_logs(&sa->t, lv, &lm, &lr, &lu);
		posteriors3(&sa->t, lm, lr, lu, g);
		if (g[0] < sa->lower)
			continue;
		out[k++] = (struct link_pair){ ab[2 * i], ab[2 * i + 1], g[0], lm - non_match_log(&sa->t, lr, lu), lv };
		if (k == sizeof(out) / sizeof(out[0]) || i + 1 == n) {
			pthread_mutex_lock(&sa->mu);
			for (j = 0; j < k && rc == 0; j++)
				rc = sa->fn(&out[j], sa->arg);
			sa->above += k;
			pthread_mutex_unlock(&sa->mu);
			k = 0;
		}
	}
	if (k > 0 && rc == 0) {
		pthread_mutex_lock(&sa->mu);
		for (j = 0; j < k && rc == 0; j++)
			rc = sa->fn(&out[j], sa->arg);
		sa->above += k;
		pthread_mutex_unlock(&sa->mu);
	}
	return rc;
}

int link_score_all(const struct link_set *s, const struct link_model *m, const struct link_opts *o,
	double lower, link_pair_fn fn, void *arg, struct link_stats *stats)
{
	struct score_arg sa = { .s = s, .m = m, .lower = lower, .fn = fn, .arg = arg };
	struct link_stats st = { 0 };
	int rc;

	log_tables(m, &sa.t);
	pthread_mutex_init(&sa.mu, NULL);
	rc = link_pairs(s, o, 1, score_batch, &sa, &st);
	pthread_mutex_destroy(&sa.mu);
	if (stats != NULL) {
		stats->candidates += st.candidates;
		stats->blocks_skipped += st.blocks_skipped;
		stats->above_lower += sa.above;
		for (int k = 0; k < LINK_KEYS_MAX; k++)
			stats->per_key[k] += st.per_key[k];
	}
	return rc;
}

void link_score_pair(const struct link_set *s, const struct link_model *m, size_t i, size_t j,
	struct link_pair *out)
{
	out->a = (uint32_t)(i < j ? i : j);
	out->b = (uint32_t)(i < j ? j : i);
	out->levels = link_compare(s, i, j);
	out->weight = link_weight(m, out->levels);
	out->probability = link_probability(m, out->levels);
}

void link_score_pairs(const struct link_set *s, const struct link_model *m, const uint32_t *ab, size_t n,
	struct link_pair *out)
{
	struct log_tables t;
	size_t k;

	log_tables(m, &t);
	for (k = 0; k < n; k++) {
		uint32_t i = ab[2 * k], j = ab[2 * k + 1];
		double lm, lr, lu, g[3];

		out[k].a = i < j ? i : j;
		out[k].b = i < j ? j : i;
		out[k].levels = link_compare(s, i, j);
		class_logs(&t, out[k].levels, &lm, &lr, &lu);
		posteriors3(&t, lm, lr, lu, g);
		out[k].probability = g[0];
		out[k].weight = lm - non_match_log(&t, lr, lu);
	}
}

void link_score_levels(const struct link_model *m, const link_levels *lv, size_t n, double *probability,
	double *weight)
{
	struct log_tables t;

	log_tables(m, &t);
	for (size_t k = 0; k < n; k++) {
		double lm, lr, lu, g[3];

		class_logs(&t, lv[k], &lm, &lr, &lu);
		if (probability != NULL) {
			posteriors3(&t, lm, lr, lu, g);
			probability[k] = g[0];
		}
		if (weight != NULL)
			weight[k] = lm - non_match_log(&t, lr, lu);
	}
}

void link_explain(const struct link_model *m, link_levels lv, struct link_explain_row rows[LINK_F__MAX])
{
	double w[LINK_F__MAX][LINK_LEVELS_MAX];
	int f;

	link_model_table(m, w);
	for (f = 0; f < LINK_F__MAX; f++) {
		rows[f].field = (enum link_field)f;
		rows[f].level = link_level(lv, (enum link_field)f);
		rows[f].level_name = link_level_name((enum link_field)f, rows[f].level);
		rows[f].weight = w[f][rows[f].level];
	}
}

/* ---- text form ---- */

int link_model_save(const struct link_model *m, struct buf *b)
{
	int f, l, rc;

	rc = buf_addf(b, "razem-link-model 2\nprior %.17g %.17g\npairs %llu\niterations %d\nthresholds %.17g %.17g\n",
		m->prior, m->prior_related, (unsigned long long)m->pairs, m->iterations, m->upper, m->lower);
	for (f = 0; f < LINK_F__MAX && rc == 0; f++) {
		int n = link_level_count((enum link_field)f);

		rc = buf_addf(b, "field %s %d", link_field_name((enum link_field)f), n);
		for (l = 1; l < n && rc == 0; l++)
			rc = buf_addf(b, " %.17g %.17g %.17g %.17g", m->m[f][l], m->u[f][l], m->r[f][l], m->v[f][l]);
		if (rc == 0)
			rc = buf_addc(b, '\n');
	}
	return rc == 0 ? 0 : -1;
}

/* next_number() reads a double at *p, moving past it; -1 when there is none. */
static int next_number(const char **p, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(*p, &end);
	if (end == *p || errno != 0 || !isfinite(*out))
		return -1;
	*p = end;
	return 0;
}

/* expect_word() moves *p past optional spaces and word; -1 when word is not there. */
static int expect_word(const char **p, const char *word)
{
	size_t n = strlen(word);

	while (**p == ' ' || **p == '\n')
		(*p)++;
	if (strncmp(*p, word, n) != 0 || ((*p)[n] != ' ' && (*p)[n] != '\n'))
		return -1;
	*p += n;
	return 0;
}

static int in_unit(double x)
{
	return x > 0 && x <= 1;
}

int link_model_load(const char *text, struct link_model *out)
{
	struct link_model m;
	const char *p = text;
	double pairs, iter;
	int f, l;

	link_model_default(&m);
	if (p == NULL || expect_word(&p, "razem-link-model") != 0 || expect_word(&p, "2") != 0 ||
		expect_word(&p, "prior") != 0 || next_number(&p, &m.prior) != 0 || !(m.prior > 0 && m.prior < 1) ||
		next_number(&p, &m.prior_related) != 0 || !(m.prior_related >= 0 && m.prior + m.prior_related < 1) ||
		expect_word(&p, "pairs") != 0 || next_number(&p, &pairs) != 0 || pairs < 0 ||
		expect_word(&p, "iterations") != 0 || next_number(&p, &iter) != 0 || iter < 0 || iter > 1e6 ||
		expect_word(&p, "thresholds") != 0 || next_number(&p, &m.upper) != 0 || next_number(&p, &m.lower) != 0 ||
		m.upper < 0 || m.upper > 1 || m.lower < 0 || m.lower > 1)
		return -1;
	m.pairs = (uint64_t)pairs;
	m.iterations = (int)iter;
	for (f = 0; f < LINK_F__MAX; f++) {
		int n = link_level_count((enum link_field)f);
		double count;

		if (expect_word(&p, "field") != 0 || expect_word(&p, link_field_name((enum link_field)f)) != 0 ||
			next_number(&p, &count) != 0 || count != n)
			return -1;
		for (l = 1; l < n; l++)
			if (next_number(&p, &m.m[f][l]) != 0 || next_number(&p, &m.u[f][l]) != 0 ||
				next_number(&p, &m.r[f][l]) != 0 || next_number(&p, &m.v[f][l]) != 0 ||
				!in_unit(m.m[f][l]) || !in_unit(m.u[f][l]) || !in_unit(m.r[f][l]) || !in_unit(m.v[f][l]))
				return -1;
	}
	*out = m;
	return 0;
}
