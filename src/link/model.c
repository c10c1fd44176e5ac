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
#define EM_SAMPLE_PAIRS 3000000 /* EM is fitted on at most about this many candidate pairs */
#define RECALL_LOWER 0.995 /* the lower threshold keeps this share of the expected matches */

/* Starting agreement probabilities for matches, per level (level 0 unused). */
static const double m_start[LINK_F__MAX][LINK_LEVELS_MAX] = {
	[LINK_F_ID] = { 0, 0.90, 0.07, 0.03 },
	[LINK_F_GIVEN] = { 0, 0.85, 0.05, 0.05, 0.03, 0.02 },
	[LINK_F_SURNAME] = { 0, 0.85, 0.04, 0.05, 0.03, 0.01, 0.02 },
	[LINK_F_BIRTH] = { 0, 0.88, 0.03, 0.06, 0.03 },
	[LINK_F_SEX] = { 0, 0.98, 0.02 },
	[LINK_F_STREET] = { 0, 0.80, 0.10, 0.10 },
	[LINK_F_NUMBER] = { 0, 0.85, 0.15 },
	[LINK_F_ADDRESS2] = { 0, 0.80, 0.10, 0.10 },
	[LINK_F_POSTCODE] = { 0, 0.85, 0.07, 0.08 },
	[LINK_F_CITY] = { 0, 0.85, 0.07, 0.08 },
	[LINK_F_REGION] = { 0, 0.92, 0.08 },
	[LINK_F_TERC] = { 0, 0.85, 0.05, 0.10 },
};

void link_model_default(struct link_model *m)
{
	int f, l, n;

	memset(m, 0, sizeof(*m));
	m->prior = 0.01;
	for (f = 0; f < LINK_F__MAX; f++) {
		n = link_level_count((enum link_field)f);
		m->m[f][0] = m->u[f][0] = 1.0;
		for (l = 1; l < n; l++) {
			m->m[f][l] = m_start[f][l];
			/* non-matches: agreement rare, "different" common */
			m->u[f][l] = l == n - 1 ? 0.9 : 0.1 / (double)(n - 2);
		}
	}
}

void link_model_table(const struct link_model *m, double w[LINK_F__MAX][LINK_LEVELS_MAX])
{
	int f, l;

	for (f = 0; f < LINK_F__MAX; f++)
		for (l = 0; l < LINK_LEVELS_MAX; l++)
			w[f][l] = l == 0 || m->m[f][l] <= 0 || m->u[f][l] <= 0 ? 0.0 : log2(m->m[f][l] / m->u[f][l]);
}

double link_weight(const struct link_model *m, link_levels lv)
{
	double w = 0;
	int f, l;

	for (f = 0; f < LINK_F__MAX; f++)
		if ((l = link_level(lv, (enum link_field)f)) > 0 && m->m[f][l] > 0 && m->u[f][l] > 0)
			w += log2(m->m[f][l] / m->u[f][l]);
	return w;
}

static double posterior(double prior, double w)
{
	double odds = prior / (1.0 - prior) * exp2(w);

	if (!(prior > 0 && prior < 1))
		return 0.0;
	return isinf(odds) ? 1.0 : odds / (1.0 + odds);
}

double link_probability(const struct link_model *m, link_levels lv)
{
	return posterior(m->prior, link_weight(m, lv));
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

/* em_step() does one E and M step over the patterns; returns the largest parameter change. */
static double em_step(struct link_model *m, const struct patterns *p)
{
	double sm[LINK_F__MAX][LINK_LEVELS_MAX] = { { 0 } }, su[LINK_F__MAX][LINK_LEVELS_MAX] = { { 0 } };
	double tot = 0, match = 0, change = 0, w[LINK_F__MAX][LINK_LEVELS_MAX];
	size_t i;
	int f, l;

	link_model_table(m, w);
	for (i = 0; i < p->cap; i++) {
		double c = p->count[i], wt = 0, g;

		if (c <= 0)
			continue;
		for (f = 0; f < LINK_F__MAX; f++)
			wt += w[f][link_level(p->lv[i], (enum link_field)f)];
		g = posterior(m->prior, wt);
		tot += c;
		match += c * g;
		for (f = 0; f < LINK_F__MAX; f++) {
			l = link_level(p->lv[i], (enum link_field)f);
			sm[f][l] += c * g;
			su[f][l] += c * (1 - g);
		}
	}
	for (f = 0; f < LINK_F__MAX; f++) {
		int n = link_level_count((enum link_field)f);
		double dm = 0, du = 0;

		for (l = 1; l < n; l++) {
			dm += sm[f][l] + EM_FLOOR;
			du += su[f][l] + EM_FLOOR;
		}
		for (l = 1; l < n; l++) {
			double nm = (sm[f][l] + EM_FLOOR) / dm, nu = (su[f][l] + EM_FLOOR) / du;

			change = fmax(change, fmax(fabs(nm - m->m[f][l]), fabs(nu - m->u[f][l])));
			m->m[f][l] = nm;
			m->u[f][l] = nu;
		}
	}
	if (tot > 0) {
		double np = fmin(fmax(match / tot, 1e-9), 1 - 1e-9);

		change = fmax(change, fabs(np - m->prior));
		m->prior = np;
	}
	return change;
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
	size_t i, k = 0;

	if (sc == NULL)
		return -1;
	for (i = 0; i < p->cap; i++)
		if (p->count[i] > 0) {
			sc[k].g = link_probability(m, p->lv[i]);
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

int link_model_estimate(const struct link_set *s, const struct link_opts *o, struct link_model *m,
	struct link_stats *stats)
{
	struct count_arg ca = { .s = s };
	uint64_t est = link_pairs_estimate(s, o), sample = est / EM_SAMPLE_PAIRS + 1;
	struct link_stats st = { 0 };
	double change = 1;
	int rc = -1;

	link_model_default(m);
	if (patterns_init(&ca.pat[0], 1 << 12) != 0 || patterns_init(&ca.pat[1], 1 << 12) != 0)
		goto out;
	if (link_pairs(s, o, sample, count_batch, &ca, &st) != 0 || ca.failed)
		goto out;
	for (size_t i = 0; i < ca.pat[1].cap; i++) /* one table */
		if (ca.pat[1].count[i] > 0 && patterns_add(&ca.pat[0], ca.pat[1].lv[i], ca.pat[1].count[i]) != 0)
			goto out;
	m->pairs = st.candidates * sample;
	if (st.candidates > 0)
		m->prior = fmin(0.5, fmax(1e-6, (double)s->n / 2.0 / (double)m->pairs)); /* about one match per record */
	while (m->iterations < EM_MAX_ITER && change > EM_EPS && st.candidates > 0) {
		change = em_step(m, &ca.pat[0]);
		m->iterations++;
	}
	if (thresholds_from(m, &ca.pat[0], &m->upper, &m->lower) != 0)
		goto out;
	if (stats != NULL)
		stats->candidates += st.candidates;
	rc = 0;
out:
	patterns_free(&ca.pat[0]);
	patterns_free(&ca.pat[1]);
	return rc;
}

int link_thresholds(const struct link_set *s, const struct link_model *m, const struct link_opts *o,
	double *upper, double *lower)
{
	struct count_arg ca = { .s = s };
	uint64_t sample;
	int rc = -1;

	if (m->upper > 0) {
		*upper = m->upper;
		*lower = m->lower;
		return 0;
	}
	sample = link_pairs_estimate(s, o) / EM_SAMPLE_PAIRS + 1;
	if (patterns_init(&ca.pat[0], 1 << 12) == 0 && patterns_init(&ca.pat[1], 1 << 12) == 0 &&
		link_pairs(s, o, sample, count_batch, &ca, NULL) == 0 && !ca.failed) {
		rc = 0;
		for (size_t i = 0; i < ca.pat[1].cap && rc == 0; i++)
			if (ca.pat[1].count[i] > 0)
				rc = patterns_add(&ca.pat[0], ca.pat[1].lv[i], ca.pat[1].count[i]);
		if (rc == 0)
			rc = thresholds_from(m, &ca.pat[0], upper, lower);
	}
	patterns_free(&ca.pat[0]);
	patterns_free(&ca.pat[1]);
	return rc;
}

/* ---- scoring ---- */

struct score_arg {
	const struct link_set *s;
	const struct link_model *m;
	double w[LINK_F__MAX][LINK_LEVELS_MAX];
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
		double w = 0, p;
		int f;

		for (f = 0; f < LINK_F__MAX; f++)
			w += sa->w[f][link_level(lv, (enum link_field)f)];
		p = posterior(sa->m->prior, w);
		if (p < sa->lower)
			continue;
		out[k++] = (struct link_pair){ ab[2 * i], ab[2 * i + 1], p, w, lv };
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

	link_model_table(m, sa.w);
	pthread_mutex_init(&sa.mu, NULL);
	rc = link_pairs(s, o, 1, score_batch, &sa, &st);
	pthread_mutex_destroy(&sa.mu);
	if (stats != NULL) {
		stats->candidates += st.candidates;
		stats->blocks_skipped += st.blocks_skipped;
		stats->above_lower += sa.above;
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
	out->probability = posterior(m->prior, out->weight);
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

	rc = buf_addf(b, "razem-link-model 1\nprior %.17g\npairs %llu\niterations %d\nthresholds %.17g %.17g\n",
		m->prior, (unsigned long long)m->pairs, m->iterations, m->upper, m->lower);
	for (f = 0; f < LINK_F__MAX && rc == 0; f++) {
		int n = link_level_count((enum link_field)f);

		rc = buf_addf(b, "field %s %d", link_field_name((enum link_field)f), n);
		for (l = 1; l < n && rc == 0; l++)
			rc = buf_addf(b, " %.17g %.17g", m->m[f][l], m->u[f][l]);
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
	if (p == NULL || expect_word(&p, "razem-link-model") != 0 || expect_word(&p, "1") != 0 ||
		expect_word(&p, "prior") != 0 || next_number(&p, &m.prior) != 0 || !(m.prior > 0 && m.prior < 1) ||
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
				!in_unit(m.m[f][l]) || !in_unit(m.u[f][l]))
				return -1;
	}
	*out = m;
	return 0;
}
