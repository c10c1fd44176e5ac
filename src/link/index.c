/*
 * index.c — linking one record against a prepared set: per key kind a
 * sorted array of (key, record), searched by binary search, plus the
 * records added since the arrays were built, checked one by one (the
 * arrays are rebuilt when that tail grows past INDEX_TAIL_MAX).
 */
#include <stdlib.h>
#include <string.h>

#include "link/link_int.h"

#define INDEX_TAIL_MAX 4096
#define MATCH_MAX 4096 /* candidates of one record compared at most */

struct ix_entry {
	uint64_t key;
	uint32_t rec;
};

struct link_index {
	struct ix_entry *e[LINK_KEYS_MAX];
	size_t n[LINK_KEYS_MAX];
};

void link_index_free(struct link_index *ix)
{
	int k;

	if (ix == NULL)
		return;
	for (k = 0; k < LINK_KEYS_MAX; k++)
		free(ix->e[k]);
	free(ix);
}

static int ix_cmp(const void *x, const void *y)
{
	const struct ix_entry *a = x, *b = y;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->rec < b->rec ? -1 : a->rec > b->rec;
}

static int index_build(struct link_set *s)
{
	struct link_index *ix = calloc(1, sizeof(*ix));
	size_t i;
	int k;

	if (ix == NULL)
		return -1;
	for (k = 0; k < LINK_KEYS_MAX; k++) {
		if ((ix->e[k] = malloc((s->n ? s->n : 1) * sizeof(*ix->e[k]))) == NULL) {
			link_index_free(ix);
			return -1;
		}
		for (i = 0; i < s->n; i++) {
			uint64_t key = link_key(&s->pool, &s->rec[i], k);

			if (key != 0)
				ix->e[k][ix->n[k]++] = (struct ix_entry){ key, (uint32_t)i };
		}
		qsort(ix->e[k], ix->n[k], sizeof(*ix->e[k]), ix_cmp);
	}
	link_index_free(s->index);
	s->index = ix;
	s->index_n = s->n;
	return 0;
}

/* lower_bound() is the first entry of e[0..n) with a key not below key. */
static size_t lower_bound(const struct ix_entry *e, size_t n, uint64_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int u32_cmp(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

/* gather() collects the distinct records sharing a key with keys[] into cand; returns how many. */
static size_t gather(const struct link_set *s, const uint64_t keys[LINK_KEYS_MAX], uint32_t *cand)
{
	const struct link_index *ix = s->index;
	size_t nc = 0, i, j, out = 0;
	int k;

	for (k = 0; k < LINK_KEYS_MAX; k++) {
		if (keys[k] == 0)
			continue;
		for (i = lower_bound(ix->e[k], ix->n[k], keys[k]); i < ix->n[k] && ix->e[k][i].key == keys[k] && nc < MATCH_MAX; i++)
			cand[nc++] = ix->e[k][i].rec;
		for (i = s->index_n; i < s->n && nc < MATCH_MAX; i++)
			if (link_key(&s->pool, &s->rec[i], k) == keys[k])
				cand[nc++] = (uint32_t)i;
	}
	qsort(cand, nc, sizeof(*cand), u32_cmp);
	for (i = 0; i < nc; i = j) {
		for (j = i + 1; j < nc && cand[j] == cand[i]; j++)
			;
		cand[out++] = cand[i];
	}
	return out;
}

int link_match_one(struct link_set *s, const struct link_model *m, const struct link_record *r,
	int cross_only, double lower, link_pair_fn fn, void *arg)
{
	struct link_prec q;
	uint64_t keys[LINK_KEYS_MAX];
	uint32_t *cand;
	size_t nc, i;
	int k, rc = 0;

	if ((s->index == NULL || s->n - s->index_n > INDEX_TAIL_MAX) && index_build(s) != 0)
		return -1;
	if (link_prepare(&s->pool, r, &q) != 0) /* the query's strings join the pool: ids compare */
		return -1;
	for (k = 0; k < LINK_KEYS_MAX; k++)
		keys[k] = link_key(&s->pool, &q, k);
	if ((cand = malloc(LINK_KEYS_MAX * MATCH_MAX * sizeof(*cand))) == NULL)
		return -1;
	nc = gather(s, keys, cand);
	for (i = 0; i < nc && rc == 0; i++) {
		struct link_pair p;

		if (cross_only && s->rec[cand[i]].group == r->group)
			continue;
		p.a = cand[i];
		p.b = UINT32_MAX;
		p.levels = link_compare_prec(&s->pool, &s->rec[cand[i]], &q);
		p.weight = link_weight(m, p.levels);
		p.probability = link_probability(m, p.levels);
		if (p.probability >= lower)
			rc = fn(&p, arg);
	}
	free(cand);
	return rc;
}
