/*
 * topology.h — shared arcs from polygons, and their simplification.
 *
 * tp_build() turns the rings of many units into a topology as TopoJSON and
 * mapshaper do: coordinates are quantised to a grid of 1e-7 degree
 * (about 1 cm) so that the two copies of a shared border match exactly;
 * a point is a junction where the pair of neighbours it has in one ring
 * differs from the pair it has in another (three units meet there, or
 * the border leaves the coast); every ring is cut into arcs at junctions
 * (a ring without any is one closed arc starting at its lowest point, so
 * that an enclave and the hole it fills cut alike); an arc met again, in
 * the same or the opposite direction, is stored once and referred to by
 * both rings (~i for the reverse, as in topo.h).
 *
 * Simplification is Visvalingam–Whyatt on each arc with its end points
 * fixed: every point gets the area (m², on a local equirectangular
 * projection) of the triangle it forms when it would be removed, made
 * monotone so that a threshold keeps a consistent subset. A scale keeps
 * the points whose area reaches its tolerance; a ring left with fewer
 * than three distinct points gets back the largest-area points of its
 * arcs until it has three. Since shared borders are one arc, both sides
 * stay identical at every scale: no gaps, no overlaps.
 */
#ifndef RAZEM_TERRITORY_TOPOLOGY_H
#define RAZEM_TERRITORY_TOPOLOGY_H

#include <stddef.h>
#include <stdint.h>

#include "territory/geofile.h"
#include "territory/topo.h"

#define TP_QUANT 1e7 /* grid steps per degree */

struct tp_arc {
	int n;
	int32_t *xy;  /* quantised lon, lat pairs */
	double *imp;  /* per point: the simplification area; the end points INFINITY */
};

struct tp_ring {
	int n;
	int *arcs;    /* arc refs, ~i reversed */
	int outer;
};

struct tp_shape {
	const char *code;
	const char *name;
	int src;            /* index of the input it came from */
	int nrings;
	struct tp_ring *rings;
	double label[2];    /* lon, lat */
	double bbox[4];
};

struct tp_topo {
	int narcs, arccap;
	struct tp_arc *arcs;
	int nshapes;
	struct tp_shape *shapes;
	long points;        /* points of all arcs */
};

/* One unit's polygons for tp_build(): code and name are referred to, not copied. */
struct tp_input {
	const char *code;
	const char *name;
	const struct geo_feature *f;
};

/*
 * tp_build() builds t (zeroed by the caller) from n inputs. Returns 0, or
 * -1 with err set (out of memory; a ring that collapses below three
 * points on the grid, naming the input).
 */
int tp_build(struct tp_topo *t, const struct tp_input *in, int n, char *err, size_t errlen);

void tp_free(struct tp_topo *t);

/* Tolerances of the scales (m² of Visvalingam's triangle; 0 keeps every point). */
extern const double tp_tolerance[TOPO_SCALE__MAX];

/*
 * tp_thresholds() fills thr[scale * narcs + arc] with the area each arc
 * keeps points from at each scale: the scale's tolerance, lowered for the
 * arcs of rings that would collapse. thr has TOPO_SCALE__MAX * narcs
 * entries.
 */
void tp_thresholds(const struct tp_topo *t, double *thr);

/* tp_keep() writes into out (room for a->n pairs) the points of a kept at threshold thr; returns their count. */
int tp_keep(const struct tp_arc *a, double thr, int32_t *out);

/*
 * tp_dissolve() is the outline of the shapes listed in which (indexes
 * into t->shapes): the arcs used once among them, chained into rings
 * (outer ones counter-clockwise, each followed by its holes). Fills
 * *out (malloc'd; free rings[i].arcs and the array). Returns the number
 * of rings or -1.
 */
int tp_dissolve(const struct tp_topo *t, const int *which, int n, struct tp_ring **out);

/* tp_ring_points() expands a ring at full detail into malloc'd lon/lat doubles, closed; returns points or -1. */
int tp_ring_points(const struct tp_topo *t, const struct tp_ring *r, double **xy);

/* tp_shape_geometry() sets s's bbox and label point (inside the shape) from its rings. */
int tp_shape_geometry(const struct tp_topo *t, struct tp_shape *s);

#endif
