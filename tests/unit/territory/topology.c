/*
 * tests/unit/territory/topology.c — shared arcs: two squares sharing an
 * edge give one shared arc; a wiggly shared border stays identical on
 * both sides at every scale and is stored once; an enclave and the hole
 * it fills share one closed arc; a tiny ring never collapses; dissolving
 * gives the outline.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "territory/topology.h"

/* feature() makes a one-polygon feature from a closed ring of lon/lat pairs (plus an optional hole). */
static void feature(struct geo_feature *f, int index, const double *outer, int n, const double *hole, int nh)
{
	int k;

	memset(f, 0, sizeof(*f));
	f->index = index;
	f->code = strdup("x");
	f->name = strdup("x");
	f->nrings = hole != NULL ? 2 : 1;
	f->rings = calloc(2, sizeof(*f->rings));
	for (k = 0; k < f->nrings; k++) {
		char err[100];

		f->rings[k].n = k == 0 ? n : nh;
		f->rings[k].outer = k == 0;
		f->rings[k].xy = malloc(sizeof(double) * 2 * (size_t)f->rings[k].n);
		memcpy(f->rings[k].xy, k == 0 ? outer : hole, sizeof(double) * 2 * (size_t)f->rings[k].n);
		assert_int_equal(geo_check_ring(&f->rings[k], err, sizeof(err)), 0);
	}
}

static void free_feature(struct geo_feature *f)
{
	int k;

	for (k = 0; k < f->nrings; k++)
		free(f->rings[k].xy);
	free(f->rings);
	free(f->code);
	free(f->name);
}

static void build(struct tp_topo *t, struct geo_feature *f, int n)
{
	struct tp_input in[8];
	char err[200];
	int i;

	for (i = 0; i < n; i++) {
		in[i].code = i == 0 ? "A" : i == 1 ? "B" : "C";
		in[i].name = in[i].code;
		in[i].f = &f[i];
	}
	memset(t, 0, sizeof(*t));
	if (tp_build(t, in, n, err, sizeof(err)) != 0)
		fail_msg("%s", err);
}

/* uses() counts the references to each arc over all rings; every arc must be used once or twice. */
static void uses(const struct tp_topo *t, int *count)
{
	int i, j, k;

	memset(count, 0, sizeof(int) * (size_t)t->narcs);
	for (i = 0; i < t->nshapes; i++)
		for (j = 0; j < t->shapes[i].nrings; j++)
			for (k = 0; k < t->shapes[i].rings[j].n; k++) {
				int r = t->shapes[i].rings[j].arcs[k];

				count[r < 0 ? ~r : r]++;
			}
	for (i = 0; i < t->narcs; i++)
		assert_in_range(count[i], 1, 2);
}

/* ring_at() expands ring r at scale s into quantised points (closed); returns the count. */
static int ring_at(const struct tp_topo *t, const double *thr, int s, const struct tp_ring *r, int32_t *out)
{
	int32_t buf[2 * 4096];
	int i, k, m = 0;

	for (i = 0; i < r->n; i++) {
		int id = r->arcs[i] < 0 ? ~r->arcs[i] : r->arcs[i];
		int n = tp_keep(&t->arcs[id], thr[(size_t)s * (size_t)t->narcs + (size_t)id], buf);

		assert_true(n >= 2);
		for (k = i == 0 ? 0 : 1; k < n; k++) {
			int j = r->arcs[i] < 0 ? n - 1 - k : k;

			out[2 * m] = buf[2 * j];
			out[2 * m + 1] = buf[2 * j + 1];
			m++;
		}
	}
	assert_true(out[0] == out[2 * (m - 1)] && out[1] == out[2 * (m - 1) + 1]); /* closed, no gap */
	return m;
}

static const double sq_a[] = { 17, 52, 18, 52, 18, 53, 17, 53, 17, 52 };
static const double sq_b[] = { 18, 52, 19, 52, 19, 53, 18, 53, 18, 52 };

static void test_two_squares(void **state)
{
	struct geo_feature f[2];
	struct tp_topo t;
	int count[8], i, shared = -1, nshared = 0, ref_a = 0, ref_b = 0, j;

	(void)state;
	feature(&f[0], 1, sq_a, 5, NULL, 0);
	feature(&f[1], 2, sq_b, 5, NULL, 0);
	build(&t, f, 2);
	assert_int_equal(t.narcs, 3); /* the shared edge, A's other three sides, B's */
	uses(&t, count);
	for (i = 0; i < t.narcs; i++)
		if (count[i] == 2) {
			shared = i;
			nshared++;
		}
	assert_int_equal(nshared, 1);
	assert_int_equal(t.arcs[shared].n, 2);
	assert_int_equal(t.arcs[shared].xy[0], 180000000);
	assert_int_equal(t.arcs[shared].xy[2], 180000000);
	for (j = 0; j < 2; j++)
		for (i = 0; i < t.shapes[j].rings[0].n; i++) {
			int r = t.shapes[j].rings[0].arcs[i];

			if ((r < 0 ? ~r : r) == shared)
				*(j == 0 ? &ref_a : &ref_b) = r;
		}
	assert_int_equal(ref_a, ~ref_b); /* the two sides run it in opposite directions */
	/* the label point lies inside */
	assert_true(t.shapes[1].label[0] > 18 && t.shapes[1].label[0] < 19);
	assert_true(t.shapes[1].label[1] > 52 && t.shapes[1].label[1] < 53);
	tp_free(&t);
	free_feature(&f[0]);
	free_feature(&f[1]);
}

/* A and B share a border of 401 wiggly points from (18, 52) to (18, 53); their other sides are straight. */
static void wiggly(double *a, double *b, int *na, int *nb)
{
	int i, k = 0, m = 0;

	a[k++] = 17;
	a[k++] = 52;
	for (i = 0; i <= 400; i++) {
		a[k++] = 18 + 0.02 * sin(i * 0.37) * sin(i * 0.05);
		a[k++] = 52 + i / 400.0;
	}
	a[k++] = 17;
	a[k++] = 53;
	a[k++] = 17;
	a[k++] = 52;
	*na = k / 2;
	for (i = 400; i >= 0; i--) {
		b[m++] = a[2 + 2 * i];
		b[m++] = a[3 + 2 * i];
	}
	b[m++] = 19;
	b[m++] = 52;
	b[m++] = b[0];
	b[m++] = b[1];
	/* B: from (18, 53) down the border to (18, 52), then (19, 52), back to (18, 53): a triangle-ish shape */
	{
		double c[2 * 420];
		int n = m / 2;

		memcpy(c, b, sizeof(double) * (size_t)m);
		/* insert (19, 53) before closing to make it a quadrilateral */
		memcpy(b, c, sizeof(double) * 2 * (size_t)(n - 1));
		b[2 * (n - 1)] = 19;
		b[2 * (n - 1) + 1] = 53;
		b[2 * n] = c[0];
		b[2 * n + 1] = c[1];
		*nb = n + 1;
	}
}

static void test_shared_border_at_every_scale(void **state)
{
	double a[2 * 420], b[2 * 420];
	int na, nb, count[16], s, i, k, shared = -1;
	struct geo_feature f[2];
	struct tp_topo t;
	double *thr;
	int32_t *ra = malloc(sizeof(int32_t) * 2 * 4096), *rb = malloc(sizeof(int32_t) * 2 * 4096);

	(void)state;
	wiggly(a, b, &na, &nb);
	feature(&f[0], 1, a, na, NULL, 0);
	feature(&f[1], 2, b, nb, NULL, 0);
	build(&t, f, 2);
	assert_int_equal(t.narcs, 3);
	uses(&t, count);
	for (i = 0; i < t.narcs; i++)
		if (count[i] == 2)
			shared = i;
	assert_true(shared >= 0);
	assert_int_equal(t.arcs[shared].n, 401); /* stored once, whole */
	thr = malloc(sizeof(double) * TOPO_SCALE__MAX * (size_t)t.narcs);
	tp_thresholds(&t, thr);
	for (s = 0; s < TOPO_SCALE__MAX; s++) {
		int32_t keep[2 * 401];
		int n = tp_keep(&t.arcs[shared], thr[(size_t)s * (size_t)t.narcs + (size_t)shared], keep), m, hits = 0;
		int fa = ring_at(&t, thr, s, &t.shapes[0].rings[0], ra), fb = ring_at(&t, thr, s, &t.shapes[1].rings[0], rb);

		if (s == TOPO_SCALE_FULL)
			assert_int_equal(n, 401);
		else
			assert_true(n < 401);
		assert_true(fa >= 4 && fb >= 4);
		/* every kept point of the border is in both rings, and no other point of x near 18 is */
		for (k = 0; k < n; k++) {
			int inA = 0, inB = 0;

			for (m = 0; m < fa; m++)
				inA |= ra[2 * m] == keep[2 * k] && ra[2 * m + 1] == keep[2 * k + 1];
			for (m = 0; m < fb; m++)
				inB |= rb[2 * m] == keep[2 * k] && rb[2 * m + 1] == keep[2 * k + 1];
			assert_true(inA && inB);
			hits++;
		}
		for (m = 0; m < fb; m++)
			if (abs(rb[2 * m] - 180000000) < 300000)
				hits--;
		assert_int_equal(hits, -1); /* B's closing point repeats its first, which is on the border */
	}
	free(thr);
	free(ra);
	free(rb);
	tp_free(&t);
	free_feature(&f[0]);
	free_feature(&f[1]);
}

static void test_enclave(void **state)
{
	static const double outer[] = { 17, 52, 19, 52, 19, 54, 17, 54, 17, 52 };
	static const double hole[] = { 17.5, 52.5, 17.5, 53.5, 18.5, 53.5, 18.5, 52.5, 17.5, 52.5 };
	struct geo_feature f[2];
	struct tp_topo t;
	struct tp_ring *out;
	int count[8], n, all[2] = { 0, 1 };

	(void)state;
	feature(&f[0], 1, outer, 5, hole, 5);
	feature(&f[1], 2, hole, 5, NULL, 0);
	build(&t, f, 2);
	assert_int_equal(t.narcs, 2);
	uses(&t, count);
	assert_int_equal(count[0] + count[1], 3);
	assert_int_equal(t.shapes[0].rings[1].n, 1);
	assert_int_equal(t.shapes[1].rings[0].n, 1);
	assert_int_equal(t.shapes[0].rings[1].arcs[0], ~t.shapes[1].rings[0].arcs[0]);
	/* the label of the outer shape is not in its hole */
	assert_false(t.shapes[0].label[0] > 17.5 && t.shapes[0].label[0] < 18.5 && t.shapes[0].label[1] > 52.5 &&
		     t.shapes[0].label[1] < 53.5);
	/* dissolving both: the outer square alone, no hole */
	n = tp_dissolve(&t, all, 2, &out);
	assert_int_equal(n, 1);
	assert_true(out[0].outer);
	free(out[0].arcs);
	free(out);
	/* the outer shape alone: its square and its hole */
	n = tp_dissolve(&t, all, 1, &out);
	assert_int_equal(n, 2);
	assert_true(out[0].outer);
	assert_false(out[1].outer);
	free(out[0].arcs);
	free(out[1].arcs);
	free(out);
	tp_free(&t);
	free_feature(&f[0]);
	free_feature(&f[1]);
}

static void test_two_squares_dissolve(void **state)
{
	struct geo_feature f[2];
	struct tp_topo t;
	struct tp_ring *out;
	int all[2] = { 0, 1 }, n;
	double *xy;

	(void)state;
	feature(&f[0], 1, sq_a, 5, NULL, 0);
	feature(&f[1], 2, sq_b, 5, NULL, 0);
	build(&t, f, 2);
	n = tp_dissolve(&t, all, 2, &out);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].n, 2); /* the shared edge is gone */
	assert_int_equal(tp_ring_points(&t, &out[0], &xy), 7);
	assert_true(geo_ring_area2(xy, 7) > 0);
	assert_float_equal(geo_ring_area2(xy, 7), 4.0, 1e-9); /* 2 square degrees, doubled */
	free(xy);
	free(out[0].arcs);
	free(out);
	tp_free(&t);
	free_feature(&f[0]);
	free_feature(&f[1]);
}

static void test_tiny_ring_kept(void **state)
{
	/* a 30 m triangle-like island far below the country tolerance still keeps 3 distinct points */
	static const double tiny[] = { 17, 52, 17.0004, 52, 17.0004, 52.0002, 17.0002, 52.0003, 17, 52.0002, 17, 52 };
	struct geo_feature f[1];
	struct tp_topo t;
	double *thr;
	int32_t pts[64];
	int s;

	(void)state;
	feature(&f[0], 1, tiny, 6, NULL, 0);
	build(&t, f, 1);
	assert_int_equal(t.narcs, 1);
	thr = malloc(sizeof(double) * TOPO_SCALE__MAX);
	tp_thresholds(&t, thr);
	for (s = 0; s < TOPO_SCALE__MAX; s++)
		assert_true(ring_at(&t, thr, s, &t.shapes[0].rings[0], pts) >= 4);
	assert_true(tp_keep(&t.arcs[0], thr[TOPO_SCALE_COUNTRY], pts) == 4);
	free(thr);
	tp_free(&t);
	free_feature(&f[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_squares),
		cmocka_unit_test(test_shared_border_at_every_scale),
		cmocka_unit_test(test_enclave),
		cmocka_unit_test(test_two_squares_dissolve),
		cmocka_unit_test(test_tiny_ring_kept),
	};

	return cmocka_run_group_tests_name("territory_topology", tests, NULL, NULL);
}
