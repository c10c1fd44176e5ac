/*
 * render.c — map_render(): shapes of a topology as one SVG drawing with
 * its title, legend, scale bar and source (see map.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/html.h"
#include "core/i18n.h"
#include "map/map.h"

#define MARGIN 12
#define TOP 62            /* below the title and the period */
#define FOOTER 58         /* scale bar, source, note */
#define LEGEND_W 230
#define LEGEND_ROW 20
#define STROKE "#525252"
#define BOUNDARY_FILL "#f0f0f0"
#define HATCH_ID "razem-nodata"
#define METRES_PER_DEGREE 111320.0

/* The page: where lon/lat land, and the arcs already converted. */
struct frame {
	double lon0, lat1, kx, s; /* X = (lon - lon0) * kx * s + x0, Y = (lat1 - lat) * s + y0 */
	double x0, y0;
	int q;                    /* 10^precision: coordinates are integers in 1/q pixel */
	int w, h, mw, mh;         /* drawing and map area sizes */
	long **ax, **ay;          /* per arc: quantised points */
	long *rx, *ry;            /* one ring's points (scratch) */
	int cap;
	struct arena *arena;
};

static long quant(double v, int q)
{
	return lround(v * q);
}

/* fixed() writes v/q with as few characters as SVG allows: "12.3", ".3", "-.3", "5". */
static int fixed(char *out, long v, int q)
{
	char tmp[32];
	int neg = v < 0, n = 0, i, digits = q == 1 ? 0 : q == 10 ? 1 : 2;
	unsigned long u = neg ? (unsigned long)-v : (unsigned long)v;
	unsigned long ip = u / (unsigned long)q, fp = u % (unsigned long)q;

	if (neg)
		out[n++] = '-';
	if (ip != 0 || fp == 0)
		n += snprintf(out + n, sizeof(tmp), "%lu", ip);
	if (fp != 0) {
		snprintf(tmp, sizeof(tmp), "%0*lu", digits, fp);
		for (i = digits; i > 0 && tmp[i - 1] == '0'; i--)
			tmp[i - 1] = '\0';
		out[n++] = '.';
		for (i = 0; tmp[i] != '\0'; i++)
			out[n++] = tmp[i];
	}
	out[n] = '\0';
	return n;
}

/* pair() appends " x y" (no space before a minus sign: it separates numbers itself). */
static void pair(struct buf *b, long x, long y, int q, int first)
{
	char s[80];
	int n = 0;

	if (!first) {
		if (x >= 0)
			s[n++] = ' ';
	}
	n += fixed(s + n, x, q);
	if (y >= 0)
		s[n++] = ' ';
	n += fixed(s + n, y, q);
	buf_add(b, s, (size_t)n);
}

static int setup(struct frame *f, const struct map_spec *spec, const struct topo *t, int legend,
		 struct arena *a)
{
	double minx = t->bbox[0], miny = t->bbox[1], maxx = t->bbox[2], maxy = t->bbox[3];
	double dx, dy, mid = (miny + maxy) / 2, sx, sy;
	int i, j;

	if (!(maxx > minx) || !(maxy > miny))
		return -1;
	f->q = spec->precision == 0 ? 1 : spec->precision == 2 ? 100 : 10;
	f->w = spec->width > 0 ? spec->width : 800;
	f->mw = f->w - 2 * MARGIN - (legend ? LEGEND_W + MARGIN : 0);
	if (f->mw < 100)
		return -1;
	f->kx = cos(mid * M_PI / 180);
	dx = (maxx - minx) * f->kx;
	dy = maxy - miny;
	sx = f->mw / dx;
	sy = f->mw * 1.25 / dy; /* a tall area is at most 1.25 times as high as wide */
	f->s = sx < sy ? sx : sy;
	f->mh = (int)ceil(dy * f->s);
	f->lon0 = minx;
	f->lat1 = maxy;
	f->x0 = MARGIN + (f->mw - dx * f->s) / 2;
	f->y0 = TOP;
	f->h = TOP + f->mh + FOOTER;
	f->ax = arena_alloc(a, sizeof(*f->ax) * (size_t)(t->narcs + 1));
	f->ay = arena_alloc(a, sizeof(*f->ay) * (size_t)(t->narcs + 1));
	if (f->ax == NULL || f->ay == NULL)
		return -1;
	for (i = 0; i < t->narcs; i++) {
		const struct topo_arc *arc = &t->arcs[i];

		f->ax[i] = arena_alloc(a, sizeof(long) * (size_t)(arc->n > 0 ? arc->n : 1));
		f->ay[i] = arena_alloc(a, sizeof(long) * (size_t)(arc->n > 0 ? arc->n : 1));
		if (f->ax[i] == NULL || f->ay[i] == NULL)
			return -1;
		for (j = 0; j < arc->n; j++) {
			f->ax[i][j] = quant((arc->pts[j].x - f->lon0) * f->kx * f->s + f->x0, f->q);
			f->ay[i][j] = quant((f->lat1 - arc->pts[j].y) * f->s + f->y0, f->q);
		}
	}
	return 0;
}

static void project(const struct frame *f, double lon, double lat, double *x, double *y)
{
	*x = (lon - f->lon0) * f->kx * f->s + f->x0;
	*y = (f->lat1 - lat) * f->s + f->y0;
}

/*
 * ring_path() appends one ring as "M x y l dx dy ... z", walking its arcs
 * (reversed where the index is negative) and dropping points that round
 * onto the one before, and the closing point ('z' draws that side). A
 * ring left with fewer than three points (an island smaller than a pixel)
 * is not drawn.
 */
static void ring_path(struct buf *b, struct frame *f, const struct topo *t, const struct topo_ring *r)
{
	int i, j, n = 0, need = 0;

	for (i = 0; i < r->n; i++) {
		int idx = r->arcs[i], a = idx < 0 ? ~idx : idx;

		if (a >= 0 && a < t->narcs)
			need += t->arcs[a].n;
	}
	if (need > f->cap) {
		f->rx = arena_alloc(f->arena, sizeof(long) * (size_t)need);
		f->ry = arena_alloc(f->arena, sizeof(long) * (size_t)need);
		if (f->rx == NULL || f->ry == NULL) {
			f->cap = 0;
			b->failed = 1;
			return;
		}
		f->cap = need;
	}
	for (i = 0; i < r->n; i++) {
		int idx = r->arcs[i], rev = idx < 0, a = rev ? ~idx : idx, an;

		if (a < 0 || a >= t->narcs)
			continue;
		an = t->arcs[a].n;
		for (j = 0; j < an; j++) {
			int k = rev ? an - 1 - j : j;
			long x = f->ax[a][k], y = f->ay[a][k];

			if (n > 0 && x == f->rx[n - 1] && y == f->ry[n - 1])
				continue;
			f->rx[n] = x;
			f->ry[n] = y;
			n++;
		}
	}
	while (n > 1 && f->rx[n - 1] == f->rx[0] && f->ry[n - 1] == f->ry[0])
		n--;
	if (n < 3)
		return;
	buf_addc(b, 'M');
	pair(b, f->rx[0], f->ry[0], f->q, 1);
	buf_addc(b, 'l');
	for (i = 1; i < n; i++)
		pair(b, f->rx[i] - f->rx[i - 1], f->ry[i] - f->ry[i - 1], f->q, i == 1);
	buf_addc(b, 'z');
}

static const char *value_text(const struct map_spec *spec, int i, int decimals, char *tmp, size_t n)
{
	if (spec->values == NULL)
		return NULL;
	if (spec->has != NULL && !spec->has[i])
		return _("no data");
	return map_fmt_num(tmp, n, spec->values[i], decimals);
}

static void unit(struct buf *b, const struct map_spec *spec, struct frame *f, const struct topo *t,
		 int i, int decimals)
{
	const struct topo_shape *s = &t->shapes[i];
	const char *href = spec->href != NULL ? spec->href(spec->href_arg, s) : NULL;
	char tmp[64];
	const char *val = value_text(spec, i, decimals, tmp, sizeof(tmp));
	size_t start;
	int r;

	if (href != NULL)
		html_fmt(b, "<a href=\"%s\">", href);
	html_raw(b, "<path d=\"");
	start = b->len;
	for (r = 0; r < s->nrings; r++)
		ring_path(b, f, t, &s->rings[r]);
	if (b->len == start)
		buf_adds(b, "M0 0"); /* smaller than a pixel: kept for its title and link */
	if (val != NULL)
		html_fmt(b, "\"><title>%s: %s</title></path>", s->name, val);
	else
		html_fmt(b, "\"><title>%s</title></path>", s->name);
	if (href != NULL)
		html_raw(b, "</a>");
	html_raw(b, "\n");
}

/* ------------------------------------------------------------------ */
/* Points                                                              */
/* ------------------------------------------------------------------ */

/* Okabe & Ito's colours, distinguishable with every common colour-vision deficiency. */
static const char *const point_colors[] = { "#0072b2", "#e69f00", "#009e73", "#cc79a7",
					    "#d55e00", "#56b4e9", "#f0e442", "#000000" };
#define NCOLORS 8
#define NSYMBOLS 6

/* symbol() draws kind's marker centred on x, y: the shape and colour together tell the kinds apart. */
static void symbol(struct buf *b, int kind, double x, double y, const char *extra_open)
{
	const char *fill = point_colors[kind % NCOLORS];

	switch (kind % NSYMBOLS) {
	case 0:
		buf_addf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"%s", x, y, fill, extra_open);
		break;
	case 1:
		buf_addf(b, "<path d=\"M%.1f %.1fh7v7h-7z\" fill=\"%s\"%s", x - 3.5, y - 3.5, fill, extra_open);
		break;
	case 2:
		buf_addf(b, "<path d=\"M%.1f %.1fl4.5 8h-9z\" fill=\"%s\"%s", x, y - 5, fill, extra_open);
		break;
	case 3:
		buf_addf(b, "<path d=\"M%.1f %.1fl5 5-5 5-5-5z\" fill=\"%s\"%s", x, y - 5, fill, extra_open);
		break;
	case 4:
		buf_addf(b, "<path d=\"M%.1f %.1fl4.5-8h-9z\" fill=\"%s\"%s", x, y + 4, fill, extra_open);
		break;
	default:
		buf_addf(b, "<path d=\"M%.1f %.1fh3v3h3v3h-3v3h-3v-3h-3v-3h3z\" fill=\"%s\"%s", x - 1.5, y - 4.5,
			 fill, extra_open);
		break;
	}
}

static void points(struct buf *b, struct map_spec *spec, const struct frame *f)
{
	int i;

	if (spec->npoints == 0)
		return;
	html_raw(b, "<g class=\"points\" stroke=\"#000\" stroke-width=\".8\">\n");
	for (i = 0; i < spec->npoints; i++) {
		const struct map_point *p = &spec->points[i];
		double x, y;

		if (p->kind < 0 || p->kind >= spec->nkinds)
			continue;
		project(f, p->lon, p->lat, &x, &y);
		if (p->slot > 0) { /* institutions of one gmina without a position: a sunflower around its point */
			double r = 5 * sqrt(p->slot), phi = p->slot * 2.399963;

			x += r * cos(phi);
			y += r * sin(phi);
		}
		if (x < MARGIN || x > MARGIN + f->mw || y < TOP || y > TOP + f->mh)
			continue; /* a position outside the area drawn (a typo, or the institution's gmina elsewhere) */
		if (p->href != NULL)
			html_fmt(b, "<a href=\"%s\">", p->href);
		symbol(b, p->kind, x, y, ">");
		html_fmt(b, "<title>%s</title>", p->label);
		html_raw(b, p->kind % NSYMBOLS == 0 ? "</circle>" : "</path>");
		html_raw(b, p->href != NULL ? "</a>\n" : "\n");
	}
	html_raw(b, "</g>\n");
}

/* ------------------------------------------------------------------ */
/* Legend, scale, texts                                                */
/* ------------------------------------------------------------------ */

void map_class_label(char *out, size_t n, const struct map_classes *c, int i, int decimals)
{
	char lo[40], hi[40];
	double l = c->bounds[i], h = c->bounds[i + 1];

	if (decimals == 0) {
		l = i == 0 ? ceil(l) : floor(l) + 1;
		h = floor(h);
		if (l > h) {
			snprintf(out, n, "–");
			return;
		}
	}
	map_fmt_num(lo, sizeof(lo), l, decimals);
	map_fmt_num(hi, sizeof(hi), h, decimals);
	if (l == h)
		snprintf(out, n, "%s", lo);
	else
		snprintf(out, n, "%s – %s", lo, hi);
}

static void legend(struct buf *b, struct map_spec *spec, const struct frame *f, int decimals)
{
	const struct map_classes *c = &spec->classes_out;
	const char *const *colors = map_palette_colors(spec->palette, c->nclasses);
	double x = f->w - MARGIN - LEGEND_W, y = TOP + 4;
	char label[96];
	int i;

	html_fmt(b, "<g class=\"legend\" font-size=\"12\" fill=\"#222\">\n");
	if (spec->values != NULL) {
		html_fmt(b, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>\n", (int)x, (int)y + 10,
			 spec->value_label != NULL ? spec->value_label : _("Value"));
		html_fmt(b, "<text x=\"%d\" y=\"%d\">%s</text>\n", (int)x, (int)y + 26,
			 map_method_label(spec->method));
		y += 36;
		for (i = 0; colors != NULL && i < c->nclasses; i++, y += LEGEND_ROW) {
			map_class_label(label, sizeof(label), c, i, decimals);
			html_fmt(b, "<rect x=\"%d\" y=\"%d\" width=\"20\" height=\"14\" fill=\"%s\" stroke=\"" STROKE
				    "\" stroke-width=\".5\"/>",
				 (int)x, (int)y, colors[i]);
			html_fmt(b, "<text x=\"%d\" y=\"%d\">%s (%d)</text>\n", (int)x + 28, (int)y + 11, label,
				 c->count[i]);
		}
		html_fmt(b, "<rect x=\"%d\" y=\"%d\" width=\"20\" height=\"14\" fill=\"url(#" HATCH_ID ")\" stroke=\"" STROKE
			    "\" stroke-width=\".5\"/>",
			 (int)x, (int)y);
		html_fmt(b, "<text x=\"%d\" y=\"%d\">%s (%d)</text>\n", (int)x + 28, (int)y + 11, _("no data"),
			 spec->nodata);
		y += LEGEND_ROW + 12;
	}
	if (spec->nkinds > 0 && spec->npoints > 0) {
		html_fmt(b, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>\n", (int)x, (int)y + 10,
			 _("Institutions"));
		y += 20;
		for (i = 0; i < spec->nkinds; i++) {
			if (spec->kinds[i].count == 0)
				continue;
			html_raw(b, "<g stroke=\"#000\" stroke-width=\".8\">");
			symbol(b, i, x + 10, y + 7, "/>");
			html_raw(b, "</g>");
			html_fmt(b, "<text x=\"%d\" y=\"%d\">%s (%d)</text>\n", (int)x + 28, (int)y + 11,
				 spec->kinds[i].label, spec->kinds[i].count);
			y += LEGEND_ROW;
		}
	}
	html_raw(b, "</g>\n");
}

/* scale_bar() draws a bar of a round length, about a fifth of the map's width. */
static void scale_bar(struct buf *b, const struct frame *f, int y)
{
	double mpp = METRES_PER_DEGREE / f->s, want = mpp * f->mw / 5 / 1000, km = 1, px;
	char len[32];

	while (km * 10 <= want)
		km *= 10;
	if (km * 5 <= want)
		km *= 5;
	else if (km * 2 <= want)
		km *= 2;
	px = km * 1000 / mpp;
	map_fmt_num(len, sizeof(len), km, 0);
	html_fmt(b, "<g class=\"scale\" font-size=\"11\" fill=\"#222\"><path d=\"M%d %dv4h%dv-4\" fill=\"none\" "
		    "stroke=\"#222\"/><text x=\"%d\" y=\"%d\">%s km</text>",
		 MARGIN, y, (int)lround(px), MARGIN + (int)lround(px) + 6, y + 5, len);
	html_fmt(b, "<text x=\"%d\" y=\"%d\">%s</text></g>\n", MARGIN + (int)lround(px) + 60, y + 5,
		 _("Equirectangular projection; the scale holds at the middle latitude of the map."));
}

static void texts(struct buf *b, const struct map_spec *spec, const struct frame *f)
{
	html_fmt(b, "<text x=\"%d\" y=\"28\" font-size=\"18\" font-weight=\"bold\" fill=\"#111\">%s</text>\n", MARGIN,
		 spec->title != NULL ? spec->title : "");
	if (spec->period != NULL)
		html_fmt(b, "<text x=\"%d\" y=\"48\" font-size=\"13\" fill=\"#333\">%s</text>\n", MARGIN, spec->period);
	scale_bar(b, f, f->h - FOOTER + 14);
	if (spec->source != NULL)
		html_fmt(b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#333\">%s</text>\n", MARGIN, f->h - 22,
			 spec->source);
	if (spec->note != NULL)
		html_fmt(b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#333\">%s</text>\n", MARGIN, f->h - 8,
			 spec->note);
}

/* ------------------------------------------------------------------ */
/* The drawing                                                         */
/* ------------------------------------------------------------------ */

/* classify() fills spec->classes_out from the shapes that have a value; -1 when it cannot. */
static int classify(struct map_spec *spec, const struct topo *t, struct arena *a, int *cls)
{
	double *v = arena_alloc(a, sizeof(double) * (size_t)(t->nshapes + 1));
	int i, n = 0, k = spec->classes > 0 ? spec->classes : 5;

	if (v == NULL)
		return -1;
	spec->nodata = 0;
	for (i = 0; i < t->nshapes; i++)
		if (spec->has == NULL || spec->has[i])
			v[n++] = spec->values[i];
		else
			spec->nodata++;
	memset(&spec->classes_out, 0, sizeof(spec->classes_out));
	if (n == 0)
		return 0; /* every unit without data: all hatched */
	if (map_classify(a, spec->method, v, n, k, spec->breaks, spec->nbreaks, &spec->classes_out) != 0)
		return -1;
	for (i = 0; i < t->nshapes; i++)
		cls[i] = spec->has == NULL || spec->has[i] ? map_class_of(&spec->classes_out, spec->values[i])
							   : -1;
	return 0;
}

static void group(struct buf *b, const struct map_spec *spec, struct frame *f, const struct topo *t,
		  const int *cls, int c, const char *fill, int decimals)
{
	int i, any = 0;

	for (i = 0; i < t->nshapes; i++) {
		if (cls != NULL && cls[i] != c)
			continue;
		if (!any)
			html_fmt(b, "<g fill=\"%s\">\n", fill);
		any = 1;
		unit(b, spec, f, t, i, decimals);
	}
	if (any)
		html_raw(b, "</g>\n");
}

static void defs(struct buf *b)
{
	html_raw(b, "<defs><pattern id=\"" HATCH_ID "\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" "
		    "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff\"/>"
		    "<path d=\"M0 0v6\" stroke=\"#737373\" stroke-width=\"2.5\"/></pattern></defs>\n");
}

int map_render(struct map_spec *spec, const struct topo *t, struct arena *a, struct buf *out)
{
	struct frame f;
	int *cls = NULL, decimals = 0, legend_on, i, legend_bottom, n_kinds;
	const char *const *colors;

	if (t == NULL || t->nshapes < 1)
		return -1;
	legend_on = spec->values != NULL || spec->npoints > 0;
	memset(&f, 0, sizeof(f));
	f.arena = a;
	if (setup(&f, spec, t, legend_on, a) != 0)
		return -1;
	memset(&spec->classes_out, 0, sizeof(spec->classes_out));
	spec->nodata = 0;
	for (i = 0; i < spec->nkinds; i++)
		spec->kinds[i].count = 0;
	for (i = 0; i < spec->npoints; i++)
		if (spec->points[i].kind >= 0 && spec->points[i].kind < spec->nkinds)
			spec->kinds[spec->points[i].kind].count++;
	if (spec->values != NULL) {
		double *v = arena_alloc(a, sizeof(double) * (size_t)t->nshapes);
		int n = 0;

		cls = arena_alloc(a, sizeof(int) * (size_t)t->nshapes);
		if (cls == NULL || v == NULL || classify(spec, t, a, cls) != 0)
			return -1;
		for (i = 0; i < t->nshapes; i++)
			if (cls[i] >= 0)
				v[n++] = spec->values[i];
		decimals = spec->decimals >= 0 ? spec->decimals : map_decimals(v, n);
		if (spec->classes_out.nclasses == 0)
			for (i = 0; i < t->nshapes; i++)
				cls[i] = -1;
	}
	/* the legend may be taller than the map: the drawing grows to hold it */
	legend_bottom = TOP + 4;
	if (spec->values != NULL)
		legend_bottom += 36 + LEGEND_ROW * (spec->classes_out.nclasses + 1) + 12;
	for (i = 0, n_kinds = 0; i < spec->nkinds; i++)
		n_kinds += spec->kinds[i].count > 0;
	if (n_kinds > 0)
		legend_bottom += 20 + LEGEND_ROW * n_kinds;
	if (legend_bottom + FOOTER > f.h)
		f.h = legend_bottom + FOOTER;
	html_fmt(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" viewBox=\"0 0 %d %d\" width=\"%d\" "
		      "height=\"%d\" role=\"group\" aria-label=\"%s\" font-family=\"sans-serif\">\n",
		 f.w, f.h, f.w, f.h, spec->title != NULL ? spec->title : _("Map"));
	html_fmt(out, "<title>%s</title>\n", spec->title != NULL ? spec->title : _("Map"));
	if (spec->values != NULL)
		html_fmt(out, "<desc>%s %s</desc>\n",
			 arena_printf(a, _("Units: %d; classes: %d (%s); units without data: %d."), t->nshapes,
				      spec->classes_out.nclasses, map_method_label(spec->method), spec->nodata),
			 _("The table beside the map lists the same values."));
	else
		html_fmt(out, "<desc>%s</desc>\n", arena_printf(a, _("Boundaries of the units (%d)."), t->nshapes));
	defs(out);
	html_raw(out, "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
	texts(out, spec, &f);
	html_raw(out, "<g class=\"units\" stroke=\"" STROKE "\" stroke-width=\".5\" stroke-linejoin=\"round\">\n");
	if (spec->values == NULL)
		group(out, spec, &f, t, NULL, 0, BOUNDARY_FILL, 0);
	else {
		colors = map_palette_colors(spec->palette, spec->classes_out.nclasses);
		for (i = 0; colors != NULL && i < spec->classes_out.nclasses; i++)
			group(out, spec, &f, t, cls, i, colors[i], decimals);
		group(out, spec, &f, t, cls, -1, "url(#" HATCH_ID ")", decimals);
	}
	html_raw(out, "</g>\n");
	points(out, spec, &f);
	if (legend_on)
		legend(out, spec, &f, decimals);
	html_raw(out, "</svg>\n");
	return out->failed ? -1 : 0;
}
