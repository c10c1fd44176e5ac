/*
 * cluster.c — clusters of records (one human each) from the scored pairs:
 * union-find over the pairs at or above the upper threshold taken in order
 * of falling probability (so the clusters are a maximum spanning forest),
 * refusing any join that would put the two records of a cannot-link pair
 * (a pair a person separated) in one cluster. A chain A–B–C with A, C
 * separated thus loses its weakest link instead of joining across it. A
 * join that would make a cluster of more than LINK_CLUSTER_MAX records is
 * refused as well: such a cluster is a chain of doubtful links, not a human.
 */
#include <stdlib.h>
#include <string.h>

#include "link/link_int.h"

struct uf {
	uint32_t *parent, *next, *size; /* next: circular list of a component's members */
	uint32_t *cl_start, *cl;        /* cannot-link partners per record (CSR) */
};

static uint32_t uf_find(struct uf *u, uint32_t x)
{
	while (u->parent[x] != x) {
		u->parent[x] = u->parent[u->parent[x]];
		x = u->parent[x];
	}
	return x;
}

/* forbidden() is true when a member of component ra cannot be with one of component rb. */
static int forbidden(struct uf *u, uint32_t ra, uint32_t rb)
{
	uint32_t x = ra, k;

	do {
		for (k = u->cl_start[x]; k < u->cl_start[x + 1]; k++)
			if (uf_find(u, u->cl[k]) == rb)
				return 1;
		x = u->next[x];
	} while (x != ra);
	return 0;
}

static void uf_join(struct uf *u, uint32_t ra, uint32_t rb)
{
	uint32_t t;

	if (u->size[ra] < u->size[rb]) {
		t = ra;
		ra = rb;
		rb = t;
	}
	u->parent[rb] = ra;
	u->size[ra] += u->size[rb];
	t = u->next[ra]; /* splice the two member rings */
	u->next[ra] = u->next[rb];
	u->next[rb] = t;
}

/* cannot_index() builds the CSR lists of cannot-link partners (both directions). */
static int cannot_index(struct uf *u, size_t n, const uint32_t *cannot, size_t ncannot)
{
	size_t k;

	u->cl_start = calloc(n + 1, sizeof(*u->cl_start));
	u->cl = malloc((2 * ncannot + 1) * sizeof(*u->cl));
	if (u->cl_start == NULL || u->cl == NULL)
		return -1;
	for (k = 0; k < 2 * ncannot; k++)
		if (cannot[k] < n)
			u->cl_start[cannot[k] + 1]++;
	for (k = 0; k < n; k++)
		u->cl_start[k + 1] += u->cl_start[k];
	{
		uint32_t *fill = malloc((n + 1) * sizeof(*fill));

		if (fill == NULL)
			return -1;
		memcpy(fill, u->cl_start, (n + 1) * sizeof(*fill));
		for (k = 0; k < ncannot; k++) {
			uint32_t a = cannot[2 * k], b = cannot[2 * k + 1];

			if (a >= n || b >= n)
				continue;
			u->cl[fill[a]++] = b;
			u->cl[fill[b]++] = a;
		}
		free(fill);
	}
	return 0;
}

static int by_probability_desc(const void *x, const void *y)
{
	const struct link_pair *a = *(const struct link_pair *const *)x, *b = *(const struct link_pair *const *)y;

	if (a->probability != b->probability)
		return a->probability < b->probability ? 1 : -1;
	if (a->weight != b->weight)
		return a->weight < b->weight ? 1 : -1;
	return a->a != b->a ? (a->a < b->a ? -1 : 1) : (a->b < b->b ? -1 : a->b > b->b);
}

int link_cluster(size_t n, const struct link_pair *pairs, size_t npairs, double upper,
	const uint32_t *cannot, size_t ncannot, uint32_t *cluster)
{
	struct uf u = { 0 };
	const struct link_pair **order = malloc((npairs + 1) * sizeof(*order));
	size_t i, k = 0;
	int rc = -1;

	u.parent = malloc((n + 1) * sizeof(uint32_t));
	u.next = malloc((n + 1) * sizeof(uint32_t));
	u.size = malloc((n + 1) * sizeof(uint32_t));
	if (order == NULL || u.parent == NULL || u.next == NULL || u.size == NULL || n > UINT32_MAX ||
		cannot_index(&u, n, cannot, ncannot) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		u.parent[i] = u.next[i] = (uint32_t)i;
		u.size[i] = 1;
	}
	for (i = 0; i < npairs; i++)
		if (pairs[i].probability >= upper && pairs[i].a < n && pairs[i].b < n)
			order[k++] = &pairs[i];
	qsort(order, k, sizeof(*order), by_probability_desc);
	for (i = 0; i < k; i++) {
		uint32_t ra = uf_find(&u, order[i]->a), rb = uf_find(&u, order[i]->b);

		if (ra == rb)
			continue;
		if (u.size[ra] + u.size[rb] > LINK_CLUSTER_MAX)
			continue; /* no human has that many records: a chain of doubtful links, cut */
		if (u.size[ra] > u.size[rb] ? forbidden(&u, rb, ra) : forbidden(&u, ra, rb))
			continue; /* a person said these are different people: the weakest link goes */
		uf_join(&u, ra, rb);
	}
	for (i = 0; i < n; i++)
		cluster[i] = UINT32_MAX;
	for (i = 0; i < n; i++) { /* the smallest index of each cluster names it */
		uint32_t r = uf_find(&u, (uint32_t)i);

		if (cluster[r] == UINT32_MAX || cluster[r] > i)
			cluster[r] = (uint32_t)i;
	}
	for (i = 0; i < n; i++)
		cluster[i] = cluster[uf_find(&u, (uint32_t)i)];
	rc = 0;
out:
	free(order);
	free(u.parent);
	free(u.next);
	free(u.size);
	free(u.cl_start);
	free(u.cl);
	return rc;
}
