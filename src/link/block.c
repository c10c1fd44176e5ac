/*
 * block.c — blocking: which pairs are compared at all.
 *
 * Every record has up to LINK_KEYS_MAX keys, one per kind (docs/LINKAGE.md):
 *   0     the PESEL / national id;
 *   1, 2  the first / the second half of its digits with the initial of the
 *         first name (one typo in the number leaves one half intact);
 *   3     the phonetic codes of first name and surname, sorted (so swapped
 *         names meet), with the birth year;
 *   4     the birth date with the initial of the first name (its dictionary
 *         form: Kasia meets Katarzyna; a changed surname meets);
 *   5     the birth date with the initial of the surname;
 *   6     the codes of first name and surname with the postcode (the birth
 *         date wrong or missing);
 *   7     the code of the birth surname (the surname when none is given)
 *         with the first name's initial and the birth year, so a maiden
 *         name meets the birth surname of a married woman's other record.
 * No key is a name alone: the most common surname (0.5 % of people) with a
 * birth year or a date or a postcode makes small blocks. For each kind the
 * (key, record) array is radix-sorted and every block walked; a block with
 * more pairs than block_max is skipped (counted). A pair met in an earlier
 * kind's (not skipped) block is not emitted again, so each candidate pair
 * is compared once without a table of pairs. Two threads split the blocks.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "link/link_int.h"

#define BLOCK_MAX_DEFAULT 10000
#define BATCH 4096

/* kind_key() mixes the parts of a key of kind k; 0 when a part is missing. */
static uint64_t kind_key(int k, uint64_t x, uint64_t y)
{
	uint64_t h = link_mix(x * 0x9e3779b97f4a7c15ULL + (uint64_t)(k + 1));

	h = link_mix(h ^ (y + 0x632be59bd9b4e019ULL));
	return h != 0 ? h : 1;
}

static uint64_t text_key(const struct link_pool *p, uint32_t id)
{
	return id != 0 ? link_hash(link_pool_text(p, id), p->str[id].len, 7) : 0;
}

/* id_half_key() is the hash of the first (half 0) or second half of the identifier. */
static uint64_t id_half_key(const struct link_pool *p, const struct link_prec *r, int half)
{
	uint32_t id = r->f[LS_IDNUM];
	size_t n, cut;
	const char *s;

	if (id == 0)
		return 0;
	s = link_pool_text(p, id);
	n = p->str[id].len;
	if (n < 4)
		return half == 0 ? link_hash(s, n, 11) : 0;
	cut = (n + 1) / 2;
	return half == 0 ? link_hash(s, cut, 11) : link_hash(s + cut, n - cut, 12);
}

static uint32_t code_of(const struct link_pool *p, uint32_t id)
{
	return id != 0 ? p->str[id].code : 0;
}

static char initial_of(const struct link_pool *p, uint32_t id)
{
	return id != 0 ? link_pool_text(p, id)[0] : 0;
}

uint64_t link_key(const struct link_pool *p, const struct link_prec *r, int k)
{
	uint32_t given = r->f[LS_GIVEN], canon = given != 0 ? p->str[given].canon : 0;
	uint32_t gc = code_of(p, canon), sc = code_of(p, r->f[LS_SURNAME]);
	uint32_t bsc = r->f[LS_BIRTH_SURNAME] != 0 ? code_of(p, r->f[LS_BIRTH_SURNAME]) : sc;
	uint64_t pc = text_key(p, r->f[LS_POSTCODE]);
	uint64_t gi = (uint64_t)(unsigned char)initial_of(p, canon);
	uint64_t si = (uint64_t)(unsigned char)initial_of(p, r->f[LS_SURNAME]);
	int year = r->birth / 10000;

	switch (k) {
	case 0:
		return r->f[LS_IDNUM] != 0 ? kind_key(k, text_key(p, r->f[LS_IDNUM]), 0) : 0;
	case 1:
	case 2: {
		uint64_t h = id_half_key(p, r, k - 1);

		return h != 0 && gi != 0 ? kind_key(k, h, gi) : 0;
	}
	case 3:
		if (gc == 0 || sc == 0 || year == 0)
			return 0;
		return kind_key(k, gc < sc ? ((uint64_t)gc << 32 | sc) : ((uint64_t)sc << 32 | gc), (uint64_t)year);
	case 4:
		return gi != 0 && r->birth > 0 ? kind_key(k, (uint64_t)r->birth, gi) : 0;
	case 5:
		return si != 0 && r->birth > 0 ? kind_key(k, (uint64_t)r->birth, si) : 0;
	case 6:
		return gc != 0 && sc != 0 && pc != 0 ? kind_key(k, (uint64_t)gc << 32 | sc, pc) : 0;
	case 7:
		return bsc != 0 && gi != 0 && year != 0 ? kind_key(k, bsc, gi << 16 | (uint64_t)year) : 0;
	default:
		return 0;
	}
}

int link_record_keys(const struct link_record *r, uint64_t keys[LINK_KEYS_MAX])
{
	struct link_set *s = link_set_new();
	int k, n = 0;

	memset(keys, 0, LINK_KEYS_MAX * sizeof(keys[0]));
	if (s == NULL || link_set_add(s, r) < 0) {
		link_set_free(s);
		return -1;
	}
	for (k = 0; k < LINK_KEYS_MAX; k++)
		n += (keys[k] = link_key(&s->pool, &s->rec[0], k)) != 0;
	link_set_free(s);
	return n;
}

/* ---- the sorted (key, record) array of one kind ---- */

struct entry {
	uint64_t key;
	uint32_t rec;
};

/* radix_sort() sorts e[0..n) by key, least significant 16 bits first; tmp has room for n. */
static int radix_sort(struct entry *e, struct entry *tmp, size_t n)
{
	size_t *count = calloc(65536, sizeof(*count)), i;
	int pass;

	if (count == NULL)
		return -1;
	for (pass = 0; pass < 4; pass++) {
		unsigned shift = 16u * (unsigned)pass;
		size_t sum = 0;

		memset(count, 0, 65536 * sizeof(*count));
		for (i = 0; i < n; i++)
			count[(e[i].key >> shift) & 0xffff]++;
		for (i = 0; i < 65536; i++) {
			size_t c = count[i];

			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			tmp[count[(e[i].key >> shift) & 0xffff]++] = e[i];
		memcpy(e, tmp, n * sizeof(*e));
	}
	free(count);
	return 0;
}

/* What the threads of one pass share. */
struct pass {
	const struct link_set *s;
	const uint64_t *keys; /* n * LINK_KEYS_MAX */
	uint8_t *capped;      /* per record: bit k = its block of kind k was skipped */
	const struct entry *e;
	size_t ne;
	int kind;
	int cross_only;
	int within_only;
	uint64_t block_max;
	uint64_t sample;
	int nthreads;
	link_batch_fn fn;
	void *arg;
	int rc;             /* first non-zero return of fn */
	uint64_t emitted[2];
	uint64_t skipped[2];
	uint64_t per_key[LINK_KEYS_MAX][2];
};

/* block_pairs() is the number of pairs block e[lo..hi) would give. */
static uint64_t block_pairs(const struct pass *ps, size_t lo, size_t hi)
{
	uint64_t n = hi - lo, g0 = 0;
	size_t i;

	if (!ps->cross_only && !ps->within_only)
		return n * (n - 1) / 2;
	for (i = lo; i < hi; i++)
		g0 += ps->s->rec[ps->e[i].rec].group == ps->s->rec[ps->e[lo].rec].group;
	/* as if two groups: more groups only lower the true count */
	if (ps->within_only)
		return g0 * (g0 - 1) / 2 + (n - g0) * (n - g0 - 1) / 2;
	return g0 * (n - g0);
}

/* seen_before() is true when records a and b already met in an earlier kind's compared block. */
static int seen_before(const struct pass *ps, uint32_t a, uint32_t b)
{
	const uint64_t *ka = ps->keys + (size_t)a * LINK_KEYS_MAX, *kb = ps->keys + (size_t)b * LINK_KEYS_MAX;
	int k;

	for (k = 0; k < ps->kind; k++)
		if (ka[k] != 0 && ka[k] == kb[k] && !(ps->capped[a] & (1u << k)))
			return 1;
	return 0;
}

struct worker {
	struct pass *ps;
	int t;
	uint32_t batch[2 * BATCH];
	size_t nb;
};

static int flush(struct worker *w)
{
	int rc = 0;

	if (w->nb > 0)
		rc = w->ps->fn(w->t, w->batch, w->nb, w->ps->arg);
	w->ps->emitted[w->t] += w->nb;
	w->ps->per_key[w->ps->kind][w->t] += w->nb;
	w->nb = 0;
	return rc;
}

/* emit_block() hands the new pairs of block e[lo..hi) to the callback in batches. */
static int emit_block(struct worker *w, size_t lo, size_t hi)
{
	const struct pass *ps = w->ps;
	size_t i, j;

	for (i = lo; i < hi; i++)
		for (j = i + 1; j < hi; j++) {
			uint32_t a = ps->e[i].rec, b = ps->e[j].rec, t;

			if (ps->cross_only && ps->s->rec[a].group == ps->s->rec[b].group)
				continue;
			if (ps->within_only && ps->s->rec[a].group != ps->s->rec[b].group)
				continue;
			if (a > b) {
				t = a;
				a = b;
				b = t;
			}
			if (seen_before(ps, a, b))
				continue;
			if (ps->sample > 1 && link_mix(((uint64_t)a << 32) | b) % ps->sample != 0)
				continue;
			w->batch[2 * w->nb] = a;
			w->batch[2 * w->nb + 1] = b;
			if (++w->nb == BATCH) {
				int rc = flush(w);

				if (rc != 0)
					return rc;
			}
		}
	return 0;
}

/* walk() processes the blocks of this pass that belong to thread w->t. */
static void *walk(void *arg)
{
	struct worker *w = arg;
	struct pass *ps = w->ps;
	size_t lo = 0, hi;
	int rc = 0;

	while (lo < ps->ne && rc == 0) {
		for (hi = lo + 1; hi < ps->ne && ps->e[hi].key == ps->e[lo].key; hi++)
			;
		if (hi - lo > 1 && (int)(link_mix(ps->e[lo].key) % (uint64_t)ps->nthreads) == w->t) {
			if (block_pairs(ps, lo, hi) > ps->block_max) {
				size_t i;

				for (i = lo; i < hi; i++)
					ps->capped[ps->e[i].rec] |= (uint8_t)(1u << ps->kind);
				ps->skipped[w->t]++;
			} else {
				rc = emit_block(w, lo, hi);
			}
		}
		lo = hi;
	}
	if (rc == 0)
		rc = flush(w);
	if (rc != 0)
		ps->rc = rc;
	return NULL;
}

/* run_pass() walks the blocks of one kind with the threads. */
static int run_pass(struct pass *ps)
{
	struct worker *w = calloc((size_t)ps->nthreads, sizeof(*w));
	pthread_t th[2];
	int t, started[2] = { 0, 0 };

	if (w == NULL)
		return -1;
	for (t = 0; t < ps->nthreads; t++) {
		w[t].ps = ps;
		w[t].t = t;
	}
	for (t = 1; t < ps->nthreads; t++)
		started[t] = pthread_create(&th[t], NULL, walk, &w[t]) == 0;
	walk(&w[0]);
	for (t = 1; t < ps->nthreads; t++) {
		if (started[t])
			pthread_join(th[t], NULL);
		else
			walk(&w[t]); /* no thread: do its share here */
	}
	free(w);
	return ps->rc;
}

/* fill_kind() writes the (key, record) entries of kind k; returns their count. */
static size_t fill_kind(const struct link_set *s, const uint64_t *keys, int k, struct entry *e)
{
	size_t i, n = 0;

	for (i = 0; i < s->n; i++)
		if (keys[i * LINK_KEYS_MAX + k] != 0)
			e[n++] = (struct entry){ keys[i * LINK_KEYS_MAX + k], (uint32_t)i };
	return n;
}

static uint64_t *all_keys(const struct link_set *s)
{
	uint64_t *keys = malloc((s->n ? s->n : 1) * LINK_KEYS_MAX * sizeof(*keys));
	size_t i;
	int k;

	for (i = 0; keys != NULL && i < s->n; i++)
		for (k = 0; k < LINK_KEYS_MAX; k++)
			keys[i * LINK_KEYS_MAX + k] = link_key(&s->pool, &s->rec[i], k);
	return keys;
}

int link_pairs(const struct link_set *s, const struct link_opts *o, uint64_t sample, link_batch_fn fn, void *arg,
	struct link_stats *stats)
{
	uint64_t *keys = all_keys(s);
	uint8_t *capped = calloc(s->n ? s->n : 1, 1);
	struct entry *e = malloc((s->n ? s->n : 1) * sizeof(*e)), *tmp = malloc((s->n ? s->n : 1) * sizeof(*tmp));
	struct pass ps = { 0 };
	int k, rc = 0;

	if (keys == NULL || capped == NULL || e == NULL || tmp == NULL) {
		rc = -1;
		goto out;
	}
	ps.s = s;
	ps.keys = keys;
	ps.capped = capped;
	ps.e = e;
	ps.cross_only = o != NULL && o->cross_only;
	ps.within_only = o != NULL && o->within_only;
	ps.block_max = o != NULL && o->block_max > 0 ? o->block_max : BLOCK_MAX_DEFAULT;
	ps.nthreads = o != NULL && o->threads == 1 ? 1 : 2;
	ps.sample = sample;
	ps.fn = fn;
	ps.arg = arg;
	for (k = 0; k < LINK_KEYS_MAX && rc == 0; k++) {
		ps.kind = k;
		ps.ne = fill_kind(s, keys, k, e);
		rc = radix_sort(e, tmp, ps.ne) != 0 ? -1 : run_pass(&ps);
	}
	if (stats != NULL) {
		stats->candidates += ps.emitted[0] + ps.emitted[1];
		stats->blocks_skipped += ps.skipped[0] + ps.skipped[1];
		for (k = 0; k < LINK_KEYS_MAX; k++)
			stats->per_key[k] += ps.per_key[k][0] + ps.per_key[k][1];
	}
out:
	free(keys);
	free(capped);
	free(e);
	free(tmp);
	return rc;
}

uint64_t link_pairs_estimate(const struct link_set *s, const struct link_opts *o)
{
	uint64_t *keys = all_keys(s), total = 0;
	struct entry *e = malloc((s->n ? s->n : 1) * sizeof(*e)), *tmp = malloc((s->n ? s->n : 1) * sizeof(*tmp));
	struct pass ps = { 0 };
	size_t lo, hi;
	int k;

	if (keys != NULL && e != NULL && tmp != NULL) {
		ps.s = s;
		ps.e = e;
		ps.cross_only = o != NULL && o->cross_only;
		ps.within_only = o != NULL && o->within_only;
		ps.block_max = o != NULL && o->block_max > 0 ? o->block_max : BLOCK_MAX_DEFAULT;
		for (k = 0; k < LINK_KEYS_MAX; k++) {
			ps.ne = fill_kind(s, keys, k, e);
			if (radix_sort(e, tmp, ps.ne) != 0)
				break;
			for (lo = 0; lo < ps.ne; lo = hi) {
				uint64_t np;

				for (hi = lo + 1; hi < ps.ne && e[hi].key == e[lo].key; hi++)
					;
				np = block_pairs(&ps, lo, hi);
				total += np <= ps.block_max ? np : 0;
			}
		}
	}
	free(keys);
	free(e);
	free(tmp);
	return total;
}
