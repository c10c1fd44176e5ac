/*
 * topo.h — boundaries of territorial units as a topology: shared arcs.
 *
 * The border between two neighbouring units is stored once, as one arc,
 * and both units' rings refer to it (the TopoJSON model). Simplifying an
 * arc therefore changes both sides identically: no gaps or overlaps appear
 * between neighbours at any display scale.
 *
 * Coordinates are WGS84 longitude/latitude in degrees (x = lon, y = lat),
 * whatever the source file's projection was; the importer transforms with
 * PROJ. Each arc is stored once per display scale (simplified at import).
 *
 * The importer (territory/boundary.c) builds a struct topo from a file and
 * stores it; boundary_load() reads one back for the renderer (map/).
 */
#ifndef RAZEM_TERRITORY_TOPO_H
#define RAZEM_TERRITORY_TOPO_H

#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

struct topo_point {
	double x; /* longitude, degrees */
	double y; /* latitude, degrees */
};

struct topo_arc {
	int n;                   /* points, at least 2 */
	struct topo_point *pts;  /* from the arc's start to its end */
};

/*
 * A ring is a closed sequence of arcs. arcs[i] >= 0 is arc arcs[i] in its
 * own direction; arcs[i] < 0 is arc ~arcs[i] (bitwise not) reversed, as
 * in TopoJSON. The last point of each arc equals the first of the next.
 */
struct topo_ring {
	int n;
	int *arcs;
};

/*
 * One unit's shape: polygons, each an outer ring (counter-clockwise in
 * lon/lat) followed by its holes (clockwise). nrings counts all rings;
 * outer[i] is 1 for an outer ring, 0 for a hole.
 */
struct topo_shape {
	const char *code;        /* TERC code of the unit (2, 4 or 7 characters) */
	const char *name;        /* the unit's name in the register */
	int nrings;
	struct topo_ring *rings;
	unsigned char *outer;
	struct topo_point label; /* a point inside the shape (for labels and point layers) */
	double bbox[4];          /* min x, min y, max x, max y */
};

struct topo {
	int narcs;
	struct topo_arc *arcs;
	int nshapes;
	struct topo_shape *shapes;
	double bbox[4];          /* of all shapes */
};

/* Display scales simplified at import: the whole country, a voivodeship, a powiat, full detail. */
enum topo_scale {
	TOPO_SCALE_COUNTRY,
	TOPO_SCALE_REGION,
	TOPO_SCALE_COUNTY,
	TOPO_SCALE_FULL,
	TOPO_SCALE__MAX
};

/* Levels of the territorial hierarchy that have boundaries. */
enum topo_level {
	TOPO_LEVEL_COUNTRY,      /* the voivodeships' outline, as one shape "PL" */
	TOPO_LEVEL_VOIVODESHIP,
	TOPO_LEVEL_POWIAT,
	TOPO_LEVEL_GMINA,
	TOPO_LEVEL__MAX
};

/*
 * boundary_load() reads the shapes of the units of level within the unit
 * within (a TERC code prefix of 2 or 4 characters; NULL or "" = the whole
 * country) at scale, with only the arcs they use, into out (allocated from
 * a). Returns the number of shapes (0 when no boundaries are stored), or
 * -1 on a database error.
 */
int boundary_load(struct db *db, struct arena *a, enum topo_level level, const char *within,
		  enum topo_scale scale, struct topo *out);

#endif
