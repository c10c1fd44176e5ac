/*
 * geofile.c — GeoJSON (jansson) and Shapefile (shapelib) polygons to
 * lon/lat rings (PROJ), checked on the way in.
 */
#include "territory/geofile.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <proj.h>
#include <shapefil.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const code_props[] = { "terc", "TERC", "JPT_KOD_JE", "teryt", "TERYT", "kod", "code", NULL };
static const char *const name_props[] = { "name", "nazwa", "NAZWA", "JPT_NAZWA_", "JPT_NAZWA", "Name", NULL };

static void seterr(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void geo_layer_free(struct geo_layer *l)
{
	int i, j;

	for (i = 0; i < l->n; i++) {
		for (j = 0; j < l->f[i].nrings; j++)
			free(l->f[i].rings[j].xy);
		free(l->f[i].rings);
		free(l->f[i].code);
		free(l->f[i].name);
	}
	free(l->f);
	memset(l, 0, sizeof(*l));
}

static struct geo_feature *layer_add(struct geo_layer *l)
{
	struct geo_feature *f;

	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 256;
		struct geo_feature *v = realloc(l->f, sizeof(*v) * (size_t)cap);

		if (v == NULL)
			return NULL;
		l->f = v;
		l->cap = cap;
	}
	f = &l->f[l->n++];
	memset(f, 0, sizeof(*f));
	f->index = l->n;
	return f;
}

static struct geo_ring *feature_ring(struct geo_feature *f, int n, int outer)
{
	struct geo_ring *v = realloc(f->rings, sizeof(*v) * (size_t)(f->nrings + 1)), *r;

	if (v == NULL)
		return NULL;
	f->rings = v;
	r = &v[f->nrings];
	memset(r, 0, sizeof(*r));
	if (n > 0 && (r->xy = malloc(sizeof(double) * 2 * (size_t)n)) == NULL)
		return NULL;
	r->n = n;
	r->outer = outer;
	f->nrings++;
	return r;
}

/* describe() names a feature in messages: "feature 12 (0201011 Bolesławiec)". */
static const char *describe(const struct geo_feature *f, char *out, size_t len)
{
	snprintf(out, len, "feature %d (%s%s%s)", f->index, f->code != NULL && f->code[0] ? f->code : "no code",
		 f->name != NULL && f->name[0] ? " " : "", f->name != NULL ? f->name : "");
	return out;
}

/* ------------------------------------------------------------------ */
/* Rings                                                               */

double geo_ring_area2(const double *xy, int n)
{
	double s = 0;
	int i;

	for (i = 0; i + 1 < n; i++)
		s += (xy[2 * i] - xy[0]) * (xy[2 * i + 3] - xy[1]) - (xy[2 * i + 2] - xy[0]) * (xy[2 * i + 1] - xy[1]);
	return s;
}

struct seg {
	double x0, x1; /* min and max x */
	int i;         /* from point i to i + 1 */
};

static int seg_cmp(const void *a, const void *b)
{
	double d = ((const struct seg *)a)->x0 - ((const struct seg *)b)->x0;

	return d < 0 ? -1 : d > 0;
}

static double orient(const double *a, const double *b, const double *c)
{
	return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

static int on_seg(const double *a, const double *b, const double *p)
{
	return fmin(a[0], b[0]) <= p[0] && p[0] <= fmax(a[0], b[0]) && fmin(a[1], b[1]) <= p[1] &&
	       p[1] <= fmax(a[1], b[1]);
}

static int seg_meet(const double *a, const double *b, const double *c, const double *d)
{
	double o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);

	if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)))
		return 1;
	return (o1 == 0 && on_seg(a, b, c)) || (o2 == 0 && on_seg(a, b, d)) || (o3 == 0 && on_seg(c, d, a)) ||
	       (o4 == 0 && on_seg(c, d, b));
}

int geo_ring_crosses(const double *xy, int n)
{
	int m = n - 1, i, j, found = 0;
	struct seg *s;

	if (m < 4)
		return 0;
	if ((s = malloc(sizeof(*s) * (size_t)m)) == NULL)
		return 0;
	for (i = 0; i < m; i++) {
		s[i].x0 = fmin(xy[2 * i], xy[2 * i + 2]);
		s[i].x1 = fmax(xy[2 * i], xy[2 * i + 2]);
		s[i].i = i;
	}
	qsort(s, (size_t)m, sizeof(*s), seg_cmp);
	for (i = 0; i < m && !found; i++) {
		for (j = i + 1; j < m && s[j].x0 <= s[i].x1 && !found; j++) {
			int a = s[i].i, b = s[j].i, d = abs(a - b);

			if (d == 1 || d == m - 1) /* neighbours share an end point */
				continue;
			found = seg_meet(xy + 2 * a, xy + 2 * a + 2, xy + 2 * b, xy + 2 * b + 2);
		}
	}
	free(s);
	return found;
}

static void reverse(double *xy, int n)
{
	int i, j;

	for (i = 0, j = n - 1; i < j; i++, j--) {
		double x = xy[2 * i], y = xy[2 * i + 1];

		xy[2 * i] = xy[2 * j];
		xy[2 * i + 1] = xy[2 * j + 1];
		xy[2 * j] = x;
		xy[2 * j + 1] = y;
	}
}

int geo_check_ring(struct geo_ring *r, char *err, size_t errlen)
{
	double a;
	int i;

	if (r->n < 4) {
		seterr(err, errlen, "a ring has %d points (at least 4 are needed)", r->n);
		return -1;
	}
	for (i = 0; i < 2 * r->n; i++)
		if (!isfinite(r->xy[i])) {
			seterr(err, errlen, "point %d of a ring is not a finite number", i / 2 + 1);
			return -1;
		}
	if (r->xy[0] != r->xy[2 * r->n - 2] || r->xy[1] != r->xy[2 * r->n - 1]) {
		seterr(err, errlen, "a ring is not closed (its last point differs from its first)");
		return -1;
	}
	a = geo_ring_area2(r->xy, r->n);
	if ((r->outer && a < 0) || (!r->outer && a > 0))
		reverse(r->xy, r->n);
	r->crosses = geo_ring_crosses(r->xy, r->n);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Coordinate systems                                                  */

/* One transformation to lon/lat, set up once per file (PROJ's setup reads its database: slow). */
struct to_ll {
	PJ_CONTEXT *ctx;
	PJ *p, *norm;
};

static void to_ll_close(struct to_ll *t)
{
	proj_destroy(t->norm);
	proj_destroy(t->p);
	proj_context_destroy(t->ctx);
	memset(t, 0, sizeof(*t));
}

static int to_ll_open(struct to_ll *t, const char *crs, char *err, size_t errlen)
{
	memset(t, 0, sizeof(*t));
	if ((t->ctx = proj_context_create()) == NULL) {
		seterr(err, errlen, "cannot start PROJ");
		return -1;
	}
	proj_log_level(t->ctx, PJ_LOG_NONE);
	t->p = proj_create_crs_to_crs(t->ctx, crs, "OGC:CRS84", NULL);
	if (t->p == NULL) {
		seterr(err, errlen, "unknown coordinate system \"%.60s\": %s", crs,
		       proj_context_errno_string(t->ctx, proj_context_errno(t->ctx)));
		to_ll_close(t);
		return -1;
	}
	/* GIS order (easting, northing / lon, lat) whatever the CRS's official axis order */
	if ((t->norm = proj_normalize_for_visualization(t->ctx, t->p)) == NULL) {
		seterr(err, errlen, "coordinate system \"%.60s\": cannot order its axes", crs);
		to_ll_close(t);
		return -1;
	}
	return 0;
}

static int to_ll_run(struct to_ll *t, const char *crs, double *xy, size_t n, char *err, size_t errlen)
{
	size_t i;

	if (n > 0)
		proj_trans_generic(t->norm, PJ_FWD, xy, 2 * sizeof(double), n, xy + 1, 2 * sizeof(double), n, NULL,
				   0, 0, NULL, 0, 0);
	for (i = 0; i < 2 * n; i++)
		if (!isfinite(xy[i]) || fabs(xy[i]) > 360) {
			seterr(err, errlen, "point %zu does not transform from \"%.60s\" to longitude/latitude",
			       i / 2 + 1, crs);
			return -1;
		}
	return 0;
}

int geo_transform(const char *crs, double *xy, size_t n, char *err, size_t errlen)
{
	struct to_ll t;
	int rc;

	if (to_ll_open(&t, crs, err, errlen) != 0)
		return -1;
	rc = to_ll_run(&t, crs, xy, n, err, errlen);
	to_ll_close(&t);
	return rc;
}

/*
 * to_lonlat() brings every ring of l to lon/lat: from crs when the file
 * names one, else from what the coordinates' ranges show.
 */
static int to_lonlat(struct geo_layer *l, const char *crs, char *err, size_t errlen)
{
	double b[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };
	struct to_ll t;
	int i, j, k;

	for (i = 0; i < l->n; i++)
		for (j = 0; j < l->f[i].nrings; j++)
			for (k = 0; k < l->f[i].rings[j].n; k++) {
				const double *p = l->f[i].rings[j].xy + 2 * k;

				b[0] = fmin(b[0], p[0]);
				b[1] = fmin(b[1], p[1]);
				b[2] = fmax(b[2], p[0]);
				b[3] = fmax(b[3], p[1]);
			}
	if (crs == NULL) {
		if (l->points == 0 || (b[0] >= -180 && b[2] <= 180 && b[1] >= -90 && b[3] <= 90)) {
			snprintf(l->crs, sizeof(l->crs), "lon/lat");
			return 0;
		}
		/* PUWG 1992 covers Poland with eastings 140–880 km and northings 120–800 km */
		if (b[0] >= 100000 && b[2] <= 1000000 && b[1] >= 50000 && b[3] <= 900000) {
			crs = "EPSG:2180";
		} else {
			seterr(err, errlen,
			       "the file names no coordinate system and its coordinates (%.0f..%.0f, %.0f..%.0f) "
			       "are neither longitude/latitude nor EPSG:2180",
			       b[0], b[2], b[1], b[3]);
			return -1;
		}
	}
	snprintf(l->crs, sizeof(l->crs), "%.60s", strlen(crs) > 60 ? "named in the file" : crs);
	if (to_ll_open(&t, crs, err, errlen) != 0)
		return -1;
	for (i = 0; i < l->n; i++)
		for (j = 0; j < l->f[i].nrings; j++) {
			struct geo_ring *r = &l->f[i].rings[j];
			char why[200], who[300];

			if (to_ll_run(&t, crs, r->xy, (size_t)r->n, why, sizeof(why)) != 0) {
				seterr(err, errlen, "%s: %s", describe(&l->f[i], who, sizeof(who)), why);
				to_ll_close(&t);
				return -1;
			}
		}
	to_ll_close(&t);
	return 0;
}

static int check_rings(struct geo_layer *l, char *err, size_t errlen)
{
	int i, j;

	for (i = 0; i < l->n; i++)
		for (j = 0; j < l->f[i].nrings; j++) {
			char why[200], who[300];

			if (geo_check_ring(&l->f[i].rings[j], why, sizeof(why)) != 0) {
				seterr(err, errlen, "%s, ring %d: %s", describe(&l->f[i], who, sizeof(who)), j + 1, why);
				return -1;
			}
		}
	return 0;
}

/* ------------------------------------------------------------------ */
/* GeoJSON                                                             */

/*
 * number_code() writes a code stored as a number: TERC codes start with a
 * zero for voivodeships 02–08, which a number loses; a number of 1, 3 or
 * 5 digits gets it back (2, 4, 6 digits). 6 digits stay as they are: it
 * may be a kind-less gmina code or a 7-digit one without its zero.
 */
static char *number_code(double v)
{
	char num[40];
	int n = snprintf(num + 1, sizeof(num) - 1, "%.0f", v);

	num[0] = '0';
	return strdup(v >= 0 && (n == 1 || n == 3 || n == 5) ? num : num + 1);
}

/* prop_text() is a property as text: a string, or an integer number written out. */
static char *prop_text(json_t *props, const char *const *names, const char *want)
{
	json_t *v = NULL;
	char num[32];
	int i;

	if (!json_is_object(props))
		return strdup("");
	if (want != NULL)
		v = json_object_get(props, want);
	for (i = 0; want == NULL && v == NULL && names[i] != NULL; i++)
		v = json_object_get(props, names[i]);
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_integer(v) && names == code_props)
		return number_code((double)json_integer_value(v));
	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		return strdup(num);
	}
	return strdup("");
}

/* read_ring() copies a GeoJSON linear ring (an array of positions). */
static int read_ring(struct geo_feature *f, json_t *ring, int outer, char *why, size_t whylen)
{
	size_t n, i;
	struct geo_ring *r;

	if (!json_is_array(ring)) {
		seterr(why, whylen, "a ring is not an array of positions");
		return -1;
	}
	n = json_array_size(ring);
	if (n > 100000000u || (r = feature_ring(f, (int)n, outer)) == NULL) {
		seterr(why, whylen, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		json_t *p = json_array_get(ring, i), *x = json_array_get(p, 0), *y = json_array_get(p, 1);

		if (!json_is_array(p) || !json_is_number(x) || !json_is_number(y)) {
			seterr(why, whylen, "ring %d, point %zu is not a position [x, y]", f->nrings, i + 1);
			return -1;
		}
		r->xy[2 * i] = json_number_value(x);
		r->xy[2 * i + 1] = json_number_value(y);
	}
	return 0;
}

static int read_polygon(struct geo_feature *f, json_t *poly, char *why, size_t whylen)
{
	size_t i;

	if (!json_is_array(poly) || json_array_size(poly) == 0) {
		seterr(why, whylen, "a polygon has no rings");
		return -1;
	}
	for (i = 0; i < json_array_size(poly); i++)
		if (read_ring(f, json_array_get(poly, i), i == 0, why, whylen) != 0)
			return -1;
	return 0;
}

static int read_geometry(struct geo_feature *f, json_t *g, char *why, size_t whylen)
{
	const char *type = json_string_value(json_object_get(g, "type"));
	json_t *c = json_object_get(g, "coordinates");
	size_t i;

	if (!json_is_object(g)) {
		seterr(why, whylen, "it has no geometry");
		return -1;
	}
	if (type != NULL && strcmp(type, "Polygon") == 0)
		return read_polygon(f, c, why, whylen);
	if (type != NULL && strcmp(type, "MultiPolygon") == 0) {
		if (!json_is_array(c) || json_array_size(c) == 0) {
			seterr(why, whylen, "a MultiPolygon has no polygons");
			return -1;
		}
		for (i = 0; i < json_array_size(c); i++)
			if (read_polygon(f, json_array_get(c, i), why, whylen) != 0)
				return -1;
		return 0;
	}
	seterr(why, whylen, "geometry type \"%.40s\" is not Polygon or MultiPolygon", type != NULL ? type : "");
	return -1;
}

/* named_crs() is the coordinate system a GeoJSON file names (the 2008 "crs" member), or NULL. */
static const char *named_crs(json_t *root)
{
	json_t *crs = json_object_get(root, "crs");

	return json_string_value(json_object_get(json_object_get(crs, "properties"), "name"));
}

static int from_json(json_t *root, const char *code_prop, struct geo_layer *out, char *err, size_t errlen)
{
	json_t *features = json_object_get(root, "features");
	const char *type = json_string_value(json_object_get(root, "type"));
	size_t i;

	if (type == NULL || strcmp(type, "FeatureCollection") != 0 || !json_is_array(features)) {
		seterr(err, errlen, "not a GeoJSON FeatureCollection (no \"features\" array)");
		return -1;
	}
	for (i = 0; i < json_array_size(features); i++) {
		json_t *ft = json_array_get(features, i), *props = json_object_get(ft, "properties");
		struct geo_feature *f = layer_add(out);
		char why[200], who[300];
		int j;

		if (f == NULL || (f->code = prop_text(props, code_props, code_prop)) == NULL ||
		    (f->name = prop_text(props, name_props, NULL)) == NULL) {
			seterr(err, errlen, "out of memory");
			return -1;
		}
		if (read_geometry(f, json_object_get(ft, "geometry"), why, sizeof(why)) != 0) {
			seterr(err, errlen, "%s: %s", describe(f, who, sizeof(who)), why);
			return -1;
		}
		for (j = 0; j < f->nrings; j++)
			out->points += f->rings[j].n;
	}
	if (out->n == 0) {
		seterr(err, errlen, "the file has no features");
		return -1;
	}
	return 0;
}

static int finish(struct geo_layer *out, const char *crs, char *err, size_t errlen)
{
	if (to_lonlat(out, crs, err, errlen) != 0 || check_rings(out, err, errlen) != 0)
		return -1;
	return 0;
}

int geo_read_geojson(const char *data, size_t len, const char *code_prop, struct geo_layer *out, char *err,
		     size_t errlen)
{
	json_error_t je;
	json_t *root;
	int rc;

	memset(out, 0, sizeof(*out));
	root = json_loadb(data, len, JSON_ALLOW_NUL, &je);
	if (root == NULL) {
		seterr(err, errlen, "not valid JSON: %s (line %d, column %d)", je.text, je.line, je.column);
		return -1;
	}
	rc = from_json(root, code_prop, out, err, errlen);
	if (rc == 0)
		rc = finish(out, named_crs(root), err, errlen);
	json_decref(root);
	if (rc != 0)
		geo_layer_free(out);
	return rc;
}

static int read_geojson_file(const char *path, const char *code_prop, struct geo_layer *out, char *err,
			     size_t errlen)
{
	json_error_t je;
	json_t *root;
	int rc;

	memset(out, 0, sizeof(*out));
	root = json_load_file(path, 0, &je);
	if (root == NULL) {
		if (je.line < 0 && je.position == 0)
			seterr(err, errlen, "cannot read it: %s", je.text);
		else
			seterr(err, errlen, "not valid JSON: %s (line %d, column %d)", je.text, je.line, je.column);
		return -1;
	}
	rc = from_json(root, code_prop, out, err, errlen);
	if (rc == 0)
		rc = finish(out, named_crs(root), err, errlen);
	json_decref(root);
	if (rc != 0)
		geo_layer_free(out);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Shapefile                                                           */

/* shapelib's complaints: kept for the message instead of printed to standard error */
static _Thread_local char shp_said[200];

static void shp_error(const char *msg)
{
	snprintf(shp_said, sizeof(shp_said), "%s", msg);
}

/* sidecar() is path with its .shp extension replaced by ext; NULL when it does not exist. */
static char *read_sidecar(const char *path, const char *ext)
{
	size_t n = strlen(path), cap = 1 << 16, got;
	char *p = malloc(n + 8), *data = NULL;
	FILE *fp;

	if (p == NULL)
		return NULL;
	memcpy(p, path, n - 4);
	snprintf(p + n - 4, 12, "%s", ext);
	fp = fopen(p, "rb");
	free(p);
	if (fp == NULL || (data = malloc(cap)) == NULL) {
		if (fp != NULL)
			fclose(fp);
		return NULL;
	}
	got = fread(data, 1, cap - 1, fp);
	fclose(fp);
	data[got] = '\0';
	return data;
}

/* dbf_text() is the feature's field as text (a numeric code as number_code() writes it). */
static char *dbf_text(DBFHandle dbf, int rec, int field)
{
	if (field < 0 || DBFIsAttributeNULL(dbf, rec, field))
		return strdup("");
	switch (DBFGetFieldInfo(dbf, field, NULL, NULL, NULL)) {
	case FTInteger:
	case FTDouble:
		return number_code(DBFReadDoubleAttribute(dbf, rec, field));
	default: {
		const char *s = DBFReadStringAttribute(dbf, rec, field);
		size_t n;

		if (s == NULL)
			return strdup("");
		while (*s == ' ')
			s++;
		n = strlen(s);
		while (n > 0 && s[n - 1] == ' ')
			n--;
		return strndup(s, n);
	}
	}
}

static int dbf_field(DBFHandle dbf, const char *want, const char *const *names)
{
	int i, f = -1;

	if (dbf == NULL)
		return -1;
	if (want != NULL)
		return DBFGetFieldIndex(dbf, want);
	for (i = 0; f < 0 && names[i] != NULL; i++)
		f = DBFGetFieldIndex(dbf, names[i]);
	return f;
}

/* point_in() is 1 when (x, y) lies inside the closed ring. */
static int point_in(const struct geo_ring *r, double x, double y)
{
	int i, in = 0;

	for (i = 0; i + 1 < r->n; i++) {
		const double *a = r->xy + 2 * i, *b = a + 2;

		if ((a[1] > y) != (b[1] > y) && x < a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1]))
			in = !in;
	}
	return in;
}

/*
 * order_rings() puts each hole after the outer ring that contains it. A
 * Shapefile tells them apart only by orientation (outer rings clockwise)
 * and lists parts in any order.
 */
static int order_rings(struct geo_feature *f)
{
	struct geo_ring *v = malloc(sizeof(*v) * (size_t)f->nrings);
	int *done = calloc((size_t)f->nrings, sizeof(int)), i, j, k = 0;

	if (v == NULL || done == NULL) {
		free(v);
		free(done);
		return -1;
	}
	for (i = 0; i < f->nrings; i++)
		f->rings[i].outer = f->rings[i].n < 4 || geo_ring_area2(f->rings[i].xy, f->rings[i].n) <= 0;
	for (i = 0; i < f->nrings; i++) {
		if (!f->rings[i].outer)
			continue;
		v[k++] = f->rings[i];
		done[i] = 1;
		for (j = 0; j < f->nrings; j++)
			if (!done[j] && !f->rings[j].outer && point_in(&f->rings[i], f->rings[j].xy[0], f->rings[j].xy[1])) {
				v[k++] = f->rings[j];
				done[j] = 1;
			}
	}
	for (j = 0; j < f->nrings; j++)
		if (!done[j]) { /* a hole in no outer ring: keep it as an outer ring, so nothing is lost */
			v[k] = f->rings[j];
			v[k++].outer = 1;
		}
	free(f->rings);
	free(done);
	f->rings = v;
	return 0;
}

static int shp_feature(SHPHandle shp, DBFHandle dbf, int rec, int fcode, int fname, struct geo_layer *out,
		       char *err, size_t errlen)
{
	struct geo_feature *f = layer_add(out);
	SHPObject *o;
	char who[300];
	int p, i;

	if (f == NULL || (f->code = dbf_text(dbf, rec, fcode)) == NULL || (f->name = dbf_text(dbf, rec, fname)) == NULL) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	o = SHPReadObject(shp, rec);
	if (o == NULL) {
		seterr(err, errlen, "%s: its shape record cannot be read (corrupt .shp%s%s)",
		       describe(f, who, sizeof(who)), shp_said[0] ? ": " : "", shp_said);
		return -1;
	}
	if (o->nSHPType != SHPT_POLYGON && o->nSHPType != SHPT_POLYGONZ && o->nSHPType != SHPT_POLYGONM) {
		seterr(err, errlen, "%s: shape type %d is not a polygon", describe(f, who, sizeof(who)), o->nSHPType);
		SHPDestroyObject(o);
		return -1;
	}
	if (o->nParts <= 0 || o->nVertices <= 0) {
		seterr(err, errlen, "%s: it has no geometry", describe(f, who, sizeof(who)));
		SHPDestroyObject(o);
		return -1;
	}
	for (p = 0; p < o->nParts; p++) {
		int start = o->panPartStart[p], end = p + 1 < o->nParts ? o->panPartStart[p + 1] : o->nVertices;
		struct geo_ring *r;

		if (start < 0 || end > o->nVertices || end < start) {
			seterr(err, errlen, "%s: part %d lies outside the record (corrupt .shp)",
			       describe(f, who, sizeof(who)), p + 1);
			SHPDestroyObject(o);
			return -1;
		}
		if ((r = feature_ring(f, end - start, 1)) == NULL) {
			seterr(err, errlen, "out of memory");
			SHPDestroyObject(o);
			return -1;
		}
		for (i = start; i < end; i++) {
			r->xy[2 * (i - start)] = o->padfX[i];
			r->xy[2 * (i - start) + 1] = o->padfY[i];
		}
		out->points += r->n;
	}
	SHPDestroyObject(o);
	if (order_rings(f) != 0) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

int geo_read_shapefile(const char *path, const char *code_prop, struct geo_layer *out, char *err,
		       size_t errlen)
{
	SHPHandle shp;
	DBFHandle dbf;
	SAHooks hooks;
	int n, type, rec, fcode, fname, rc = 0;
	char *prj;

	memset(out, 0, sizeof(*out));
	SASetupDefaultHooks(&hooks);
	hooks.Error = shp_error;
	shp_said[0] = '\0';
	if ((shp = SHPOpenLL(path, "rb", &hooks)) == NULL) {
		seterr(err, errlen, "cannot open it as a Shapefile (a missing or corrupt .shp or .shx%s%s)",
		       shp_said[0] ? ": " : "", shp_said);
		return -1;
	}
	SHPGetInfo(shp, &n, &type, NULL, NULL);
	if ((dbf = DBFOpenLL(path, "rb", &hooks)) == NULL) {
		SHPClose(shp);
		seterr(err, errlen, "its attribute table (.dbf) cannot be read");
		return -1;
	}
	if (DBFGetRecordCount(dbf) != n) {
		seterr(err, errlen, "its .shp has %d shapes and its .dbf %d rows", n, DBFGetRecordCount(dbf));
		rc = -1;
	}
	fcode = dbf_field(dbf, code_prop, code_props);
	fname = dbf_field(dbf, NULL, name_props);
	if (rc == 0 && code_prop != NULL && fcode < 0) {
		seterr(err, errlen, "its attribute table has no field %.40s", code_prop);
		rc = -1;
	}
	if (rc == 0 && n == 0) {
		seterr(err, errlen, "the file has no features");
		rc = -1;
	}
	for (rec = 0; rc == 0 && rec < n; rec++)
		rc = shp_feature(shp, dbf, rec, fcode, fname, out, err, errlen);
	DBFClose(dbf);
	SHPClose(shp);
	prj = rc == 0 ? read_sidecar(path, ".prj") : NULL;
	if (rc == 0)
		rc = finish(out, prj != NULL && prj[0] != '\0' ? prj : NULL, err, errlen);
	free(prj);
	if (rc != 0)
		geo_layer_free(out);
	return rc;
}

int geo_read(const char *path, const char *code_prop, struct geo_layer *out, char *err, size_t errlen)
{
	size_t n = strlen(path);

	if (n > 4 && strcasecmp(path + n - 4, ".shp") == 0)
		return geo_read_shapefile(path, code_prop, out, err, errlen);
	return read_geojson_file(path, code_prop, out, err, errlen);
}
