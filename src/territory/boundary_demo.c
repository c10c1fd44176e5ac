/*
 * boundary_demo.c — invented boundaries for the demo county (powiat 3050,
 * src/demo/demo.c), so that maps work without any downloaded data.
 *
 * The county is a wobbly disc of about 45 km across, placed in
 * wielkopolskie. Its gminas are the Voronoi cells of fixed seed points
 * clipped to that outline; the town of Przykładowo (an urban gmina) is a
 * small polygon inside the rural gmina of the same name, which gets it
 * as a hole (an enclave, as real towns often are). The powiat and the
 * voivodeship are the union of the gminas. Everything goes through the
 * importer's topology, simplification and storage, flagged fictional.
 *
 * Shared Voronoi edges come out bit-identical on both sides: a cell is
 * clipped by the bisector of two seeds and its neighbour by the same
 * line with every term negated, which IEEE arithmetic does exactly.
 */
#include "territory/boundary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "territory/topology.h"

#define LON0 17.35 /* the county's centre */
#define LAT0 52.45
#define OUTLINE_N 48
#define TOWN_N 14
#define CELL_MAX (OUTLINE_N + 64)

struct seed {
	const char *code, *name;
	double x, y; /* km from the centre */
};

/* The gminas of demo.c with territory (RODZ 1-3); the town is placed separately. */
static const struct seed seeds[] = {
	{ "3050082", "Przykładowo", 0.5, -0.5 },
	{ "3050022", "Brzozowo", -11.0, 9.5 },
	{ "3050032", "Dębina", 2.0, 14.0 },
	{ "3050043", "Jarzębin", 14.5, 7.0 },
	{ "3050052", "Kalinowo", 13.0, -8.5 },
	{ "3050062", "Lipnica", 1.5, -14.5 },
	{ "3050073", "Olszyny", -12.5, -10.0 },
	{ "3050092", "Wierzbno", -16.0, 0.5 },
	{ "3050102", "Zielonka Mała", 8.0, 1.0 },
};

#define NSEEDS ((int)(sizeof(seeds) / sizeof(seeds[0])))

static void to_lonlat(double x, double y, double *out)
{
	out[0] = LON0 + x / (111.32 * cos(LAT0 * M_PI / 180));
	out[1] = LAT0 + y / 110.54;
}

static void outline(double *xy)
{
	int i;

	for (i = 0; i < OUTLINE_N; i++) {
		double t = 2 * M_PI * i / OUTLINE_N;
		double r = 22.0 * (1 + 0.09 * sin(3 * t + 0.5) + 0.05 * cos(5 * t + 1.1) + 0.025 * sin(11 * t));

		xy[2 * i] = r * cos(t);
		xy[2 * i + 1] = r * sin(t);
	}
}

/* clip() keeps the part of polygon p (n points, open) where nx*x + ny*y <= c (Sutherland–Hodgman). */
static int clip(const double *p, int n, double nx, double ny, double c, double *out)
{
	int i, m = 0;

	for (i = 0; i < n; i++) {
		const double *a = p + 2 * i, *b = p + 2 * ((i + 1) % n);
		double da = nx * a[0] + ny * a[1] - c, db = nx * b[0] + ny * b[1] - c;

		if (da <= 0) {
			out[2 * m] = a[0];
			out[2 * m + 1] = a[1];
			m++;
		}
		if ((da < 0 && db > 0) || (da > 0 && db < 0)) {
			double t = da / (da - db);

			out[2 * m] = a[0] + t * (b[0] - a[0]);
			out[2 * m + 1] = a[1] + t * (b[1] - a[1]);
			m++;
		}
		if (m >= CELL_MAX - 2)
			break;
	}
	return m;
}

/* ring_from() makes a closed lon/lat ring of the open km polygon p. */
static int ring_from(struct geo_feature *f, const double *p, int n, int outer)
{
	struct geo_ring *v = realloc(f->rings, sizeof(*v) * (size_t)(f->nrings + 1)), *r;
	int i;

	if (v == NULL)
		return -1;
	f->rings = v;
	r = &v[f->nrings++];
	memset(r, 0, sizeof(*r));
	r->outer = outer;
	r->n = n + 1;
	if ((r->xy = malloc(sizeof(double) * 2 * (size_t)(n + 1))) == NULL)
		return -1;
	for (i = 0; i <= n; i++)
		to_lonlat(p[2 * (i % n)], p[2 * (i % n) + 1], r->xy + 2 * i);
	return 0;
}

static void town(double *xy)
{
	int i;

	for (i = 0; i < TOWN_N; i++) {
		double t = 2 * M_PI * i / TOWN_N, r = 2.6 * (1 + 0.15 * sin(2 * t) + 0.08 * cos(5 * t));

		xy[2 * i] = seeds[0].x + r * cos(t);
		xy[2 * i + 1] = seeds[0].y + r * sin(t);
	}
}

static int gminas(struct geo_layer *l)
{
	double a[2 * CELL_MAX], b[2 * CELL_MAX], t[2 * TOWN_N];
	int i, j, n;

	town(t);
	for (i = 0; i < NSEEDS; i++) {
		struct geo_feature *f = &l->f[l->n];

		memset(f, 0, sizeof(*f));
		f->index = ++l->n;
		f->code = strdup(seeds[i].code);
		f->name = strdup(seeds[i].name);
		outline(a);
		n = OUTLINE_N;
		for (j = 0; j < NSEEDS && n > 0; j++) {
			double nx = seeds[j].x - seeds[i].x, ny = seeds[j].y - seeds[i].y;
			double c = ((seeds[j].x * seeds[j].x + seeds[j].y * seeds[j].y) -
				    (seeds[i].x * seeds[i].x + seeds[i].y * seeds[i].y)) / 2;

			if (j == i)
				continue;
			n = clip(a, n, nx, ny, c, b);
			memcpy(a, b, sizeof(double) * 2 * (size_t)n);
		}
		if (f->code == NULL || f->name == NULL || n < 3 || ring_from(f, a, n, 1) != 0)
			return -1;
		if (i == 0 && ring_from(f, t, TOWN_N, 0) != 0) /* the town is an enclave */
			return -1;
	}
	{
		struct geo_feature *f = &l->f[l->n];

		memset(f, 0, sizeof(*f));
		f->index = ++l->n;
		f->code = strdup("3050011");
		f->name = strdup("Przykładowo");
		if (f->code == NULL || f->name == NULL || ring_from(f, t, TOWN_N, 1) != 0)
			return -1;
	}
	for (i = 0; i < l->n; i++)
		for (j = 0; j < l->f[i].nrings; j++) {
			char why[200];

			if (geo_check_ring(&l->f[i].rings[j], why, sizeof(why)) != 0)
				return -1;
		}
	return 0;
}

/* outline_feature() is the union of the gminas as a feature of its own (for the powiat and the voivodeship). */
static int outline_feature(const struct tp_topo *t, struct geo_feature *f)
{
	int *all = malloc(sizeof(int) * (size_t)t->nshapes), i, n, rc = 0;
	struct tp_ring *rings = NULL;

	if (all == NULL)
		return -1;
	for (i = 0; i < t->nshapes; i++)
		all[i] = i;
	n = tp_dissolve(t, all, t->nshapes, &rings);
	free(all);
	if (n <= 0)
		return -1;
	if ((f->rings = calloc((size_t)n, sizeof(*f->rings))) == NULL)
		rc = -1;
	for (i = 0; rc == 0 && i < n; i++) {
		f->rings[i].outer = rings[i].outer;
		if ((f->rings[i].n = tp_ring_points(t, &rings[i], &f->rings[i].xy)) < 0)
			rc = -1;
		else
			f->nrings++;
	}
	for (i = 0; i < n; i++)
		free(rings[i].arcs);
	free(rings);
	return rc;
}

int boundary_demo(struct db *db, char *err, size_t errlen)
{
	struct geo_feature feats[NSEEDS + 1], whole;
	struct geo_layer l = { 0, NSEEDS + 1, feats, "lon/lat", 0 };
	struct tp_input in[NSEEDS + 1];
	struct tp_topo t = { 0 };
	int i, rc = -1;

	memset(&whole, 0, sizeof(whole));
	if (gminas(&l) != 0) {
		snprintf(err, errlen, "demo boundaries: out of memory");
		goto out;
	}
	for (i = 0; i < l.n; i++) {
		in[i].code = feats[i].code;
		in[i].name = feats[i].name;
		in[i].f = &feats[i];
	}
	if (tp_build(&t, in, l.n, err, errlen) != 0 || outline_feature(&t, &whole) != 0) {
		snprintf(err, errlen, "demo boundaries: the gminas do not make one outline");
		goto out;
	}
	whole.index = 1;
	if (boundary_store(db, TOPO_LEVEL_GMINA, 1, in, l.n, NULL, NULL, err, errlen) != 0)
		goto out;
	in[0].code = "3050";
	in[0].name = "przykładowy";
	in[0].f = &whole;
	if (boundary_store(db, TOPO_LEVEL_POWIAT, 1, in, 1, NULL, NULL, err, errlen) != 0)
		goto out;
	in[0].code = "30";
	in[0].name = "WIELKOPOLSKIE";
	if (boundary_store(db, TOPO_LEVEL_VOIVODESHIP, 1, in, 1, NULL, NULL, err, errlen) != 0)
		goto out;
	rc = 0;
out:
	tp_free(&t);
	for (i = 0; i < whole.nrings; i++)
		free(whole.rings[i].xy);
	free(whole.rings);
	for (i = 0; i < l.n; i++) {
		int j;

		for (j = 0; j < feats[i].nrings; j++)
			free(feats[i].rings[j].xy);
		free(feats[i].rings);
		free(feats[i].code);
		free(feats[i].name);
	}
	return rc;
}
