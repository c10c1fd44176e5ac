/*
 * geofile.h — reading boundary files: GeoJSON and Shapefile polygons in
 * WGS84 longitude/latitude, each ring checked.
 *
 * A file becomes a geo_layer: one feature per unit with its code and name
 * from the attribute table and its rings as doubles. Coordinates are
 * transformed to lon/lat with PROJ from the coordinate system the file
 * names (GeoJSON "crs" member, the Shapefile's .prj) or, when it names
 * none, the one its coordinate ranges show (lon/lat, or the Polish
 * planar EPSG:2180 — PUWG 1992). Every ring must be closed and have at
 * least 4 points; outer rings are made counter-clockwise and holes
 * clockwise; rings that cross themselves are flagged (not refused: the
 * importer reports them). A broken file is refused whole with a message
 * naming the feature (its index from 1, its code and name).
 */
#ifndef RAZEM_TERRITORY_GEOFILE_H
#define RAZEM_TERRITORY_GEOFILE_H

#include <stddef.h>

struct geo_ring {
	int n;        /* points, the last equal to the first */
	double *xy;   /* x0, y0, x1, y1, ... (lon, lat) */
	int outer;    /* 1 outer ring, 0 hole (follows its outer ring) */
	int crosses;  /* 1 when the ring crosses itself */
};

struct geo_feature {
	int index;    /* 1-based position in the file */
	char *code;   /* as the file gives it (digits), "" when missing */
	char *name;   /* "" when missing */
	int nrings;
	struct geo_ring *rings;
};

struct geo_layer {
	int n, cap;
	struct geo_feature *f;
	char crs[64]; /* what the coordinates were read as: "lon/lat", "EPSG:2180", "named: ..." */
	long points;  /* all ring points */
};

/*
 * geo_read() reads path: a Shapefile when it ends in .shp (with its .dbf
 * and .prj beside it), GeoJSON otherwise. code_prop names the attribute
 * that holds the TERC code; NULL tries terc, TERC, JPT_KOD_JE, teryt,
 * TERYT, kod, code in turn. Returns 0, or -1 with err set (out then
 * empty).
 */
int geo_read(const char *path, const char *code_prop, struct geo_layer *out, char *err, size_t errlen);

/* geo_read_geojson() is geo_read() for GeoJSON text already in memory. */
int geo_read_geojson(const char *data, size_t len, const char *code_prop, struct geo_layer *out, char *err,
		     size_t errlen);

/* geo_read_shapefile() is geo_read() for a Shapefile (path of the .shp). */
int geo_read_shapefile(const char *path, const char *code_prop, struct geo_layer *out, char *err,
		       size_t errlen);

void geo_layer_free(struct geo_layer *l);

/*
 * geo_transform() transforms n points xy (x, y pairs in the CRS's
 * easting/northing or lon/lat order) from the coordinate system crs
 * (anything PROJ's proj_create() takes: "EPSG:2180", a URN, WKT) to
 * lon/lat in place. Returns 0, or -1 with err set.
 */
int geo_transform(const char *crs, double *xy, size_t n, char *err, size_t errlen);

/* geo_ring_area2() is twice the signed area of a closed ring (positive counter-clockwise). */
double geo_ring_area2(const double *xy, int n);

/*
 * geo_ring_crosses() is 1 when two non-adjacent segments of the closed
 * ring intersect (a sweep over segments sorted by x; near O(n log n) for
 * real borders), else 0.
 */
int geo_ring_crosses(const double *xy, int n);

/*
 * geo_check_ring() checks and normalises one ring as read: at least 4
 * points, closed, every coordinate finite; reverses it to the
 * orientation of its role; sets crosses. Returns 0, or -1 with the reason
 * in err (no feature named: the caller adds it).
 */
int geo_check_ring(struct geo_ring *r, char *err, size_t errlen);

#endif
