/*
 * topology.c — quantised points, junctions, deduplicated arcs,
 * Visvalingam importance, dissolving, label points.
 */
#include "territory/topology.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Tolerances, in m² of the triangle a point forms with its neighbours,
 * about 1.5 square pixels of the map each scale is drawn at: the country
 * map is about 800 px for 700 km (a pixel ≈ 1 km), a voivodeship map
 * ≈ 250 m a pixel, a powiat map ≈ 60 m. On the national gmina layer
 * (26,800 points between junctions, already simplified by its
 * publisher) the country scale keeps about half of them: some 40,000
 * points over all rings, i.e. under 0.5 MB of SVG path data.
 */
const double tp_tolerance[TOPO_SCALE__MAX] = {
	[TOPO_SCALE_COUNTRY] = 1500000,
	[TOPO_SCALE_REGION] = 100000,
	[TOPO_SCALE_COUNTY] = 5000,
	[TOPO_SCALE_FULL] = 0,
};

/* ------------------------------------------------------------------ */
/* Points                                                              */

struct pts {
	int n, cap;
	int32_t *x, *y;
	int *lo, *hi;        /* the first neighbour pair seen, lo <= hi; -1 none */
	unsigned char *junc;
	int *slot;           /* hash table of point ids, -1 empty */
	size_t mask;
};

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static size_t pt_hash(int32_t x, int32_t y)
{
	return (size_t)mix(((uint64_t)(uint32_t)x << 32) | (uint32_t)y);
}

static int pts_init(struct pts *p, long expect)
{
	size_t cap = 1024;

	while (cap < (size_t)expect * 2)
		cap *= 2;
	memset(p, 0, sizeof(*p));
	p->cap = (int)(expect + 16);
	p->x = malloc(sizeof(int32_t) * (size_t)p->cap);
	p->y = malloc(sizeof(int32_t) * (size_t)p->cap);
	p->lo = malloc(sizeof(int) * (size_t)p->cap);
	p->hi = malloc(sizeof(int) * (size_t)p->cap);
	p->junc = calloc((size_t)p->cap, 1);
	p->slot = malloc(sizeof(int) * cap);
	p->mask = cap - 1;
	if (p->x == NULL || p->y == NULL || p->lo == NULL || p->hi == NULL || p->junc == NULL || p->slot == NULL)
		return -1;
	memset(p->slot, 0xff, sizeof(int) * cap);
	return 0;
}

static void pts_free(struct pts *p)
{
	free(p->x);
	free(p->y);
	free(p->lo);
	free(p->hi);
	free(p->junc);
	free(p->slot);
}

/* pts_id() is the id of point (x, y), added when new; the table has room (sized for every input point). */
static int pts_id(struct pts *p, int32_t x, int32_t y)
{
	size_t h = pt_hash(x, y) & p->mask;

	while (p->slot[h] >= 0) {
		int id = p->slot[h];

		if (p->x[id] == x && p->y[id] == y)
			return id;
		h = (h + 1) & p->mask;
	}
	p->x[p->n] = x;
	p->y[p->n] = y;
	p->lo[p->n] = p->hi[p->n] = -1;
	p->slot[h] = p->n;
	return p->n++;
}

/* ------------------------------------------------------------------ */
/* Arcs as point-id sequences, deduplicated                            */

struct seqs {
	int *pool;               /* every arc's ids */
	size_t used, cap;
	size_t *off;             /* arc i: pool[off[i] .. off[i] + len[i]) */
	int *len;
	uint64_t *hash;
	int n, cap_arcs;
	int *slot;               /* hash table of arcs, -1 empty */
	size_t mask;
};

static uint64_t seq_hash(const int *s, int n)
{
	int fwd = 1, k;
	uint64_t h = 1469598103934665603ULL;

	for (k = 0; k < n / 2 + 1 && k < n; k++)
		if (s[k] != s[n - 1 - k]) {
			fwd = s[k] < s[n - 1 - k];
			break;
		}
	for (k = 0; k < n; k++)
		h = (h ^ (uint64_t)(unsigned)(fwd ? s[k] : s[n - 1 - k])) * 1099511628211ULL;
	return mix(h ^ (uint64_t)n);
}

static int seq_grow(struct seqs *q)
{
	size_t cap = (q->mask + 1) * 2, i;
	int *slot = malloc(sizeof(int) * cap);

	if (slot == NULL)
		return -1;
	memset(slot, 0xff, sizeof(int) * cap);
	for (i = 0; i < (size_t)q->n; i++) {
		size_t h = q->hash[i] & (cap - 1);

		while (slot[h] >= 0)
			h = (h + 1) & (cap - 1);
		slot[h] = (int)i;
	}
	free(q->slot);
	q->slot = slot;
	q->mask = cap - 1;
	return 0;
}

/* seq_ref() is the ref of the arc s (its id, or ~id when it is a stored arc reversed); -1 on no memory. */
static int seq_ref(struct seqs *q, const int *s, int n, int *ref)
{
	uint64_t h = seq_hash(s, n);
	size_t at;
	int k;

	if ((size_t)q->n * 2 >= q->mask + 1 && seq_grow(q) != 0)
		return -1;
	for (at = h & q->mask; q->slot[at] >= 0; at = (at + 1) & q->mask) {
		int id = q->slot[at];
		const int *t = q->pool + q->off[id];

		if (q->hash[id] != h || q->len[id] != n)
			continue;
		for (k = 0; k < n && t[k] == s[k]; k++)
			;
		if (k == n) {
			*ref = id;
			return 0;
		}
		for (k = 0; k < n && t[k] == s[n - 1 - k]; k++)
			;
		if (k == n) {
			*ref = ~id;
			return 0;
		}
	}
	if (q->n == q->cap_arcs) {
		int cap = q->cap_arcs ? q->cap_arcs * 2 : 1024;
		size_t *off = realloc(q->off, sizeof(*off) * (size_t)cap);
		int *len = off != NULL ? realloc(q->len, sizeof(*len) * (size_t)cap) : NULL;
		uint64_t *hash = len != NULL ? realloc(q->hash, sizeof(*hash) * (size_t)cap) : NULL;

		if (off != NULL)
			q->off = off;
		if (len != NULL)
			q->len = len;
		if (hash == NULL)
			return -1;
		q->hash = hash;
		q->cap_arcs = cap;
	}
	if (q->used + (size_t)n > q->cap) {
		size_t cap = q->cap ? q->cap : 65536;
		int *pool;

		while (cap < q->used + (size_t)n)
			cap *= 2;
		if ((pool = realloc(q->pool, sizeof(int) * cap)) == NULL)
			return -1;
		q->pool = pool;
		q->cap = cap;
	}
	memcpy(q->pool + q->used, s, sizeof(int) * (size_t)n);
	q->off[q->n] = q->used;
	q->len[q->n] = n;
	q->hash[q->n] = h;
	q->used += (size_t)n;
	q->slot[at] = q->n;
	*ref = q->n++;
	return 0;
}

static void seqs_free(struct seqs *q)
{
	free(q->pool);
	free(q->off);
	free(q->len);
	free(q->hash);
	free(q->slot);
}

/* ------------------------------------------------------------------ */
/* Building                                                            */

/* A ring as point ids, without the closing repeat. */
struct idring {
	int n;
	int *ids;
	int outer, shape;
};

static void seterr(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int32_t quant(double v)
{
	return (int32_t)lrint(v * TP_QUANT);
}

/* to_ids() quantises a ring and drops the points that fall onto the one before. */
static int to_ids(struct pts *p, const struct geo_ring *g, struct idring *r)
{
	int i, m = 0;

	if ((r->ids = malloc(sizeof(int) * (size_t)g->n)) == NULL)
		return -1;
	for (i = 0; i + 1 < g->n; i++) {
		int id = pts_id(p, quant(g->xy[2 * i]), quant(g->xy[2 * i + 1]));

		if (m == 0 || r->ids[m - 1] != id)
			r->ids[m++] = id;
	}
	while (m > 1 && r->ids[m - 1] == r->ids[0])
		m--;
	r->n = m;
	return 0;
}

static void mark_junctions(struct pts *p, const struct idring *r)
{
	int i;

	for (i = 0; i < r->n; i++) {
		int id = r->ids[i], a = r->ids[(i + r->n - 1) % r->n], b = r->ids[(i + 1) % r->n];
		int lo = a < b ? a : b, hi = a < b ? b : a;

		if (p->lo[id] < 0) {
			p->lo[id] = lo;
			p->hi[id] = hi;
		} else if (p->lo[id] != lo || p->hi[id] != hi) {
			p->junc[id] = 1;
		}
	}
}

/* ring_start() is where a ring's first arc begins: its first junction, else its lowest point. */
static int ring_start(const struct pts *p, const struct idring *r)
{
	int i, best = 0;

	for (i = 0; i < r->n; i++)
		if (p->junc[r->ids[i]])
			return i;
	for (i = 1; i < r->n; i++) {
		int a = r->ids[i], b = r->ids[best];

		if (p->x[a] < p->x[b] || (p->x[a] == p->x[b] && p->y[a] < p->y[b]))
			best = i;
	}
	return best;
}

/* cut_ring() splits r into arcs at junctions and appends their refs to out. */
static int cut_ring(struct seqs *q, const struct pts *p, const struct idring *r, int *buf, struct tp_ring *out)
{
	int s = ring_start(p, r), i, k = 0, ref;

	if ((out->arcs = malloc(sizeof(int) * (size_t)(r->n + 1))) == NULL)
		return -1;
	out->n = 0;
	out->outer = r->outer;
	buf[k++] = r->ids[s];
	for (i = 1; i <= r->n; i++) {
		int id = r->ids[(s + i) % r->n];

		buf[k++] = id;
		if (i == r->n || p->junc[id]) {
			if (seq_ref(q, buf, k, &ref) != 0)
				return -1;
			out->arcs[out->n++] = ref;
			buf[0] = id;
			k = 1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Visvalingam–Whyatt                                                  */

struct heap {
	int n;
	int *h;      /* point indexes, min-heap by area */
	int *pos;    /* point index -> heap position, -1 out */
	double *key;
};

static void heap_swap(struct heap *hp, int i, int j)
{
	int t = hp->h[i];

	hp->h[i] = hp->h[j];
	hp->h[j] = t;
	hp->pos[hp->h[i]] = i;
	hp->pos[hp->h[j]] = j;
}

static void heap_up(struct heap *hp, int i)
{
	while (i > 0 && hp->key[hp->h[(i - 1) / 2]] > hp->key[hp->h[i]]) {
		heap_swap(hp, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_down(struct heap *hp, int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;

		if (l < hp->n && hp->key[hp->h[l]] < hp->key[hp->h[m]])
			m = l;
		if (r < hp->n && hp->key[hp->h[r]] < hp->key[hp->h[m]])
			m = r;
		if (m == i)
			return;
		heap_swap(hp, i, m);
		i = m;
	}
}

static double tri_area(const double *X, const double *Y, int a, int b, int c)
{
	return fabs((X[b] - X[a]) * (Y[c] - Y[a]) - (X[c] - X[a]) * (Y[b] - Y[a])) / 2;
}

/* importance() fills a->imp: the effective area of each interior point, never below one removed before it. */
static int importance(struct tp_arc *a)
{
	int n = a->n, i;
	double *X = malloc(sizeof(double) * (size_t)n), *Y = malloc(sizeof(double) * (size_t)n);
	int *prev = malloc(sizeof(int) * (size_t)n), *next = malloc(sizeof(int) * (size_t)n);
	struct heap hp = { 0, malloc(sizeof(int) * (size_t)n), malloc(sizeof(int) * (size_t)n), a->imp };
	double kx = 111320.0 * cos(a->xy[1] / TP_QUANT * M_PI / 180), ky = 110540.0, last = 0;
	int rc = -1;

	if (X == NULL || Y == NULL || prev == NULL || next == NULL || hp.h == NULL || hp.pos == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		X[i] = a->xy[2 * i] / TP_QUANT * kx;
		Y[i] = a->xy[2 * i + 1] / TP_QUANT * ky;
		prev[i] = i - 1;
		next[i] = i + 1;
		hp.pos[i] = -1;
	}
	a->imp[0] = a->imp[n - 1] = INFINITY;
	for (i = 1; i + 1 < n; i++) {
		a->imp[i] = tri_area(X, Y, i - 1, i, i + 1);
		hp.h[hp.n] = i;
		hp.pos[i] = hp.n++;
		heap_up(&hp, hp.n - 1);
	}
	while (hp.n > 0) {
		int p = hp.h[0], l, r;

		heap_swap(&hp, 0, --hp.n);
		hp.pos[p] = -1;
		heap_down(&hp, 0);
		if (a->imp[p] < last) /* monotone: removed later means kept longer */
			a->imp[p] = last;
		last = a->imp[p];
		l = prev[p];
		r = next[p];
		next[l] = r;
		prev[r] = l;
		if (hp.pos[l] >= 0) {
			a->imp[l] = tri_area(X, Y, prev[l], l, r);
			heap_up(&hp, hp.pos[l]);
			heap_down(&hp, hp.pos[l]);
		}
		if (hp.pos[r] >= 0) {
			a->imp[r] = tri_area(X, Y, l, r, next[r]);
			heap_up(&hp, hp.pos[r]);
			heap_down(&hp, hp.pos[r]);
		}
	}
	rc = 0;
out:
	free(X);
	free(Y);
	free(prev);
	free(next);
	free(hp.h);
	free(hp.pos);
	return rc;
}

/* ------------------------------------------------------------------ */

static int make_arcs(struct tp_topo *t, const struct seqs *q, const struct pts *p)
{
	int i, k;

	t->narcs = t->arccap = q->n;
	if ((t->arcs = calloc((size_t)q->n + 1, sizeof(*t->arcs))) == NULL)
		return -1;
	for (i = 0; i < q->n; i++) {
		struct tp_arc *a = &t->arcs[i];
		const int *s = q->pool + q->off[i];

		a->n = q->len[i];
		a->xy = malloc(sizeof(int32_t) * 2 * (size_t)a->n);
		a->imp = malloc(sizeof(double) * (size_t)a->n);
		if (a->xy == NULL || a->imp == NULL)
			return -1;
		for (k = 0; k < a->n; k++) {
			a->xy[2 * k] = p->x[s[k]];
			a->xy[2 * k + 1] = p->y[s[k]];
		}
		if (importance(a) != 0)
			return -1;
		t->points += a->n;
	}
	return 0;
}

int tp_build(struct tp_topo *t, const struct tp_input *in, int n, char *err, size_t errlen)
{
	struct pts p;
	struct seqs q = { 0 };
	struct idring *rings = NULL;
	long total = 0;
	int nr = 0, i, j, k, rc = -1, maxn = 0, *buf = NULL;

	for (i = 0; i < n; i++)
		for (j = 0; j < in[i].f->nrings; j++) {
			total += in[i].f->rings[j].n;
			nr++;
			if (in[i].f->rings[j].n > maxn)
				maxn = in[i].f->rings[j].n;
		}
	if (pts_init(&p, total) != 0 || (rings = calloc((size_t)nr + 1, sizeof(*rings))) == NULL ||
	    (buf = malloc(sizeof(int) * ((size_t)maxn + 2))) == NULL ||
	    (q.slot = malloc(sizeof(int) * 1024)) == NULL ||
	    (t->shapes = calloc((size_t)n + 1, sizeof(*t->shapes))) == NULL) {
		seterr(err, errlen, "out of memory");
		goto out;
	}
	memset(q.slot, 0xff, sizeof(int) * 1024);
	q.mask = 1023;
	for (i = 0, k = 0; i < n; i++)
		for (j = 0; j < in[i].f->nrings; j++, k++) {
			rings[k].outer = in[i].f->rings[j].outer;
			rings[k].shape = i;
			if (to_ids(&p, &in[i].f->rings[j], &rings[k]) != 0) {
				seterr(err, errlen, "out of memory");
				goto out;
			}
			if (rings[k].n < 3) {
				seterr(err, errlen, "feature %d (%s %s), ring %d: fewer than 3 distinct points",
				       in[i].f->index, in[i].code, in[i].name, j + 1);
				goto out;
			}
			mark_junctions(&p, &rings[k]);
		}
	for (i = 0; i < n; i++) {
		t->shapes[i].code = in[i].code;
		t->shapes[i].name = in[i].name;
		t->shapes[i].src = i;
		if ((t->shapes[i].rings = calloc((size_t)in[i].f->nrings + 1, sizeof(struct tp_ring))) == NULL) {
			seterr(err, errlen, "out of memory");
			goto out;
		}
	}
	t->nshapes = n;
	for (k = 0; k < nr; k++) {
		struct tp_shape *s = &t->shapes[rings[k].shape];

		if (cut_ring(&q, &p, &rings[k], buf, &s->rings[s->nrings++]) != 0) {
			seterr(err, errlen, "out of memory");
			goto out;
		}
	}
	if (make_arcs(t, &q, &p) != 0) {
		seterr(err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		if (tp_shape_geometry(t, &t->shapes[i]) != 0) {
			seterr(err, errlen, "out of memory");
			goto out;
		}
	rc = 0;
out:
	for (k = 0; rings != NULL && k < nr; k++)
		free(rings[k].ids);
	free(rings);
	free(buf);
	pts_free(&p);
	seqs_free(&q);
	return rc;
}

void tp_free(struct tp_topo *t)
{
	int i, j;

	for (i = 0; i < t->narcs; i++) {
		free(t->arcs[i].xy);
		free(t->arcs[i].imp);
	}
	free(t->arcs);
	for (i = 0; i < t->nshapes; i++) {
		for (j = 0; j < t->shapes[i].nrings; j++)
			free(t->shapes[i].rings[j].arcs);
		free(t->shapes[i].rings);
	}
	free(t->shapes);
	memset(t, 0, sizeof(*t));
}

/* ------------------------------------------------------------------ */
/* Scales                                                              */

static int kept(const struct tp_arc *a, double thr)
{
	int i, k = 0;

	for (i = 0; i < a->n; i++)
		k += a->imp[i] >= thr;
	return k;
}

int tp_keep(const struct tp_arc *a, double thr, int32_t *out)
{
	int i, k = 0;

	for (i = 0; i < a->n; i++)
		if (a->imp[i] >= thr) {
			out[2 * k] = a->xy[2 * i];
			out[2 * k + 1] = a->xy[2 * i + 1];
			k++;
		}
	return k;
}

/* ring_points() is how many distinct points a ring keeps at the thresholds thr. */
static int ring_points(const struct tp_topo *t, const struct tp_ring *r, const int *cnt)
{
	int i, n = 0;

	for (i = 0; i < r->n; i++)
		n += cnt[r->arcs[i] < 0 ? ~r->arcs[i] : r->arcs[i]] - 1;
	(void)t;
	return n;
}

/* widen() lowers one arc's threshold of ring r to its best dropped point; 0 when nothing was left to add. */
static int widen(const struct tp_topo *t, const struct tp_ring *r, double *thr, int *cnt)
{
	double best = -1;
	int i, k, arc = -1;

	for (i = 0; i < r->n; i++) {
		int id = r->arcs[i] < 0 ? ~r->arcs[i] : r->arcs[i];
		const struct tp_arc *a = &t->arcs[id];

		for (k = 1; k + 1 < a->n; k++)
			if (a->imp[k] < thr[id] && a->imp[k] > best) {
				best = a->imp[k];
				arc = id;
			}
	}
	if (arc < 0)
		return 0;
	thr[arc] = best;
	cnt[arc] = kept(&t->arcs[arc], best);
	return 1;
}

void tp_thresholds(const struct tp_topo *t, double *thr)
{
	int *cnt = malloc(sizeof(int) * ((size_t)t->narcs + 1));
	int s, i, j;

	for (s = 0; s < TOPO_SCALE__MAX; s++) {
		double *th = thr + (size_t)s * (size_t)t->narcs;

		for (i = 0; i < t->narcs; i++) {
			th[i] = tp_tolerance[s];
			if (cnt != NULL)
				cnt[i] = kept(&t->arcs[i], th[i]);
		}
		if (cnt == NULL || tp_tolerance[s] <= 0)
			continue;
		for (i = 0; i < t->nshapes; i++)
			for (j = 0; j < t->shapes[i].nrings; j++)
				while (ring_points(t, &t->shapes[i].rings[j], cnt) < 3 &&
				       widen(t, &t->shapes[i].rings[j], th, cnt))
					;
	}
	free(cnt);
}

/* ------------------------------------------------------------------ */
/* Geometry of shapes                                                  */

int tp_ring_points(const struct tp_topo *t, const struct tp_ring *r, double **xy)
{
	int i, k, n = 1, m = 0;
	double *v;

	for (i = 0; i < r->n; i++)
		n += t->arcs[r->arcs[i] < 0 ? ~r->arcs[i] : r->arcs[i]].n - 1;
	if ((v = malloc(sizeof(double) * 2 * (size_t)n)) == NULL)
		return -1;
	for (i = 0; i < r->n; i++) {
		int rev = r->arcs[i] < 0;
		const struct tp_arc *a = &t->arcs[rev ? ~r->arcs[i] : r->arcs[i]];

		for (k = (i == 0 ? 0 : 1); k < a->n; k++) {
			int j = rev ? a->n - 1 - k : k;

			v[2 * m] = a->xy[2 * j] / TP_QUANT;
			v[2 * m + 1] = a->xy[2 * j + 1] / TP_QUANT;
			m++;
		}
	}
	*xy = v;
	return m;
}

static int dcmp(const void *a, const void *b)
{
	double d = *(const double *)a - *(const double *)b;

	return d < 0 ? -1 : d > 0;
}

/*
 * scan() finds along the horizontal line y the crossings of every ring,
 * and keeps in best the midpoint of the widest stretch inside the shape
 * (crossings alternate in and out whatever the ring order).
 */
static void scan(double **xy, const int *n, int nrings, double y, double *best, double *width)
{
	double xs[512];
	int i, k, m = 0;

	for (i = 0; i < nrings; i++)
		for (k = 0; k + 1 < n[i]; k++) {
			const double *a = xy[i] + 2 * k, *b = a + 2;

			if ((a[1] > y) != (b[1] > y) && m < 512)
				xs[m++] = a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
		}
	qsort(xs, (size_t)m, sizeof(double), dcmp);
	for (k = 0; k + 1 < m; k += 2)
		if (xs[k + 1] - xs[k] > *width) {
			*width = xs[k + 1] - xs[k];
			best[0] = (xs[k] + xs[k + 1]) / 2;
			best[1] = y;
		}
}

int tp_shape_geometry(const struct tp_topo *t, struct tp_shape *s)
{
	double **xy = calloc((size_t)s->nrings + 1, sizeof(double *)), width = -1;
	int *n = calloc((size_t)s->nrings + 1, sizeof(int)), i, k, rc = 0;

	s->bbox[0] = s->bbox[1] = INFINITY;
	s->bbox[2] = s->bbox[3] = -INFINITY;
	for (i = 0; xy != NULL && n != NULL && i < s->nrings; i++) {
		if ((n[i] = tp_ring_points(t, &s->rings[i], &xy[i])) < 0) {
			rc = -1;
			break;
		}
		for (k = 0; k < n[i]; k++) {
			s->bbox[0] = fmin(s->bbox[0], xy[i][2 * k]);
			s->bbox[1] = fmin(s->bbox[1], xy[i][2 * k + 1]);
			s->bbox[2] = fmax(s->bbox[2], xy[i][2 * k]);
			s->bbox[3] = fmax(s->bbox[3], xy[i][2 * k + 1]);
		}
	}
	if (xy == NULL || n == NULL)
		rc = -1;
	if (rc == 0) {
		s->label[0] = (s->bbox[0] + s->bbox[2]) / 2;
		s->label[1] = (s->bbox[1] + s->bbox[3]) / 2;
		/* five lines across; the widest inside stretch wins (off the grid, so never on a vertex) */
		for (k = 1; k <= 5; k++)
			scan(xy, n, s->nrings, s->bbox[1] + (s->bbox[3] - s->bbox[1]) * (k / 6.0 + 1e-7), s->label,
			     &width);
	}
	for (i = 0; xy != NULL && i < s->nrings; i++)
		free(xy[i]);
	free(xy);
	free(n);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Dissolving                                                          */

struct endref {
	int32_t x, y; /* where the ref starts */
	int ref;
};

static int end_cmp(const void *a, const void *b)
{
	const struct endref *p = a, *q = b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	if (p->y != q->y)
		return p->y < q->y ? -1 : 1;
	return 0;
}

static void ref_ends(const struct tp_topo *t, int ref, int32_t s[2], int32_t e[2])
{
	const struct tp_arc *a = &t->arcs[ref < 0 ? ~ref : ref];
	int first = ref < 0 ? a->n - 1 : 0, last = ref < 0 ? 0 : a->n - 1;

	s[0] = a->xy[2 * first];
	s[1] = a->xy[2 * first + 1];
	e[0] = a->xy[2 * last];
	e[1] = a->xy[2 * last + 1];
}

static int pip(const double *xy, int n, double x, double y)
{
	int i, in = 0;

	for (i = 0; i + 1 < n; i++) {
		const double *a = xy + 2 * i, *b = a + 2;

		if ((a[1] > y) != (b[1] > y) && x < a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1]))
			in = !in;
	}
	return in;
}

/* order_outline() puts each hole after the outer ring containing it. */
static int order_outline(const struct tp_topo *t, struct tp_ring *r, int n)
{
	struct tp_ring *v = malloc(sizeof(*v) * (size_t)n);
	double **xy = calloc((size_t)n, sizeof(double *));
	int *np = calloc((size_t)n, sizeof(int)), *done = calloc((size_t)n, sizeof(int)), i, j, k = 0, rc = -1;

	if (v == NULL || xy == NULL || np == NULL || done == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		if ((np[i] = tp_ring_points(t, &r[i], &xy[i])) < 0)
			goto out;
		r[i].outer = geo_ring_area2(xy[i], np[i]) > 0;
	}
	for (i = 0; i < n; i++) {
		if (!r[i].outer)
			continue;
		v[k++] = r[i];
		for (j = 0; j < n; j++)
			if (!r[j].outer && !done[j] && pip(xy[i], np[i], xy[j][0], xy[j][1])) {
				v[k++] = r[j];
				done[j] = 1;
			}
	}
	for (j = 0; j < n; j++)
		if (!r[j].outer && !done[j])
			v[k++] = r[j];
	memcpy(r, v, sizeof(*v) * (size_t)n);
	rc = 0;
out:
	for (i = 0; xy != NULL && i < n; i++)
		free(xy[i]);
	free(xy);
	free(np);
	free(done);
	free(v);
	return rc;
}

int tp_dissolve(const struct tp_topo *t, const int *which, int n, struct tp_ring **out)
{
	int *uses = calloc((size_t)t->narcs + 1, sizeof(int)), *used = NULL, i, j, k, m = 0, nr = 0, cap = 8;
	struct endref *e = NULL;
	struct tp_ring *rings = NULL;

	*out = NULL;
	if (uses == NULL)
		return -1;
	for (i = 0; i < n; i++)
		for (j = 0; j < t->shapes[which[i]].nrings; j++)
			for (k = 0; k < t->shapes[which[i]].rings[j].n; k++) {
				int ref = t->shapes[which[i]].rings[j].arcs[k];

				uses[ref < 0 ? ~ref : ref]++;
				m++;
			}
	e = malloc(sizeof(*e) * ((size_t)m + 1));
	used = calloc((size_t)m + 1, sizeof(int));
	rings = malloc(sizeof(*rings) * (size_t)cap);
	if (e == NULL || used == NULL || rings == NULL)
		goto fail;
	m = 0;
	for (i = 0; i < n; i++)
		for (j = 0; j < t->shapes[which[i]].nrings; j++)
			for (k = 0; k < t->shapes[which[i]].rings[j].n; k++) {
				int ref = t->shapes[which[i]].rings[j].arcs[k];
				int32_t s[2], f[2];

				if (uses[ref < 0 ? ~ref : ref] != 1)
					continue; /* shared by two of them: inside the outline */
				ref_ends(t, ref, s, f);
				e[m].x = s[0];
				e[m].y = s[1];
				e[m++].ref = ref;
			}
	qsort(e, (size_t)m, sizeof(*e), end_cmp);
	for (i = 0; i < m; i++) {
		struct tp_ring *r;
		int at = i;

		if (used[i])
			continue;
		if (nr == cap) {
			struct tp_ring *v = realloc(rings, sizeof(*v) * (size_t)(cap *= 2));

			if (v == NULL)
				goto fail;
			rings = v;
		}
		r = &rings[nr++];
		memset(r, 0, sizeof(*r));
		if ((r->arcs = malloc(sizeof(int) * (size_t)m)) == NULL)
			goto fail;
		while (at >= 0 && !used[at]) {
			struct endref key;
			int32_t s[2], f[2];
			struct endref *hit;

			used[at] = 1;
			r->arcs[r->n++] = e[at].ref;
			ref_ends(t, e[at].ref, s, f);
			key.x = f[0];
			key.y = f[1];
			hit = bsearch(&key, e, (size_t)m, sizeof(*e), end_cmp);
			at = -1;
			if (hit != NULL) {
				int h = (int)(hit - e);

				while (h > 0 && end_cmp(&e[h - 1], &key) == 0)
					h--;
				for (; h < m && end_cmp(&e[h], &key) == 0; h++)
					if (!used[h]) {
						at = h;
						break;
					}
			}
		}
	}
	if (order_outline(t, rings, nr) != 0)
		goto fail;
	free(uses);
	free(used);
	free(e);
	*out = rings;
	return nr;
fail:
	for (i = 0; rings != NULL && i < nr; i++)
		free(rings[i].arcs);
	free(rings);
	free(uses);
	free(used);
	free(e);
	return -1;
}
