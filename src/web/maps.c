/*
 * maps.c — the map pages: /maps (a GET form: level, area, layer,
 * classification), drill-down country → voivodeship → powiat → gmina with
 * breadcrumbs, the map inline (its links work without JavaScript) and the
 * table of the same values beside it; /maps/map.svg and /maps/map.png.
 *
 * A map is drawn once per (level, area, layer, classification, language,
 * day, data generation) and kept in a process-wide cache: the SVG, its
 * gzip (sent as it is to clients that accept it, so H2O does not
 * compress it again per request), the table's HTML and, when asked for,
 * the PNG. The ETag names the same key, so a browser revalidates with
 * If-None-Match and gets 304 until the data change: the generation
 * counter of migration 0009 is bumped by triggers on institutions and
 * units and by the boundary importer.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "auth/role.h"
#include "core/clock.h"
#include "core/html.h"
#include "core/log.h"
#include "core/str.h"
#include "map/layer.h"
#include "map/map.h"
#include "registry/institution.h"
#include "territory/territory.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/route.h"
#include "web/widget.h"

#define CACHE_SLOTS 64
#define KEY_MAX 160
#define MAP_WIDTH 800
#define POINTS_LISTED_MAX 2000

/* What a request asks for, checked and in canonical form. */
struct map_params {
	enum topo_level level;
	const char *within;      /* NULL = Poland */
	const struct map_layer *layer;
	enum map_method method;
	int classes;
	enum map_palette palette;
	double breaks[MAP_CLASSES_MAX];
	int nbreaks;
	const char *breaks_text; /* as given, for the form */
	int level_given;         /* the level was chosen, not implied by the area */
	char key[KEY_MAX];
};

/*
 * A drawn map: everything a request for it sends, immutable once cached
 * (but for the PNG, made on its first request) and shared by the requests
 * that send it: each holds a reference until its response is built, so
 * nothing is copied under the lock and a slot can be replaced meanwhile.
 */
struct drawn {
	atomic_int refs;
	int nshapes;        /* 0: no boundaries for this area */
	char *svg;
	size_t svg_len;
	char *gz;           /* the SVG gzipped */
	size_t gz_len;
	char *body;         /* the page under its h1: the form, the map, its table */
	size_t body_len;
	char *title;        /* the page's h1 */
	char *voiv_name;    /* breadcrumbs: the voivodeship above a powiat, or NULL */
	char *area_name;    /* the area, or NULL for Poland */
	char *png;          /* set once, under the lock */
	size_t png_len;
};

struct slot {
	char key[KEY_MAX];
	int64_t generation;
	uint64_t used;
	struct drawn *d;
};

static struct {
	pthread_mutex_t lock;
	struct slot slots[CACHE_SLOTS];
	uint64_t clock;
} cache = { PTHREAD_MUTEX_INITIALIZER, { { { 0 }, 0, 0, NULL } }, 0 };

/* ------------------------------------------------------------------ */
/* Parameters                                                          */
/* ------------------------------------------------------------------ */

static int bad_param(struct req *req, const char *message)
{
	return resp_error(req, 400, "bad_request", _("Wrong map parameters"), message);
}

static int parse_breaks(const char *s, struct map_params *p)
{
	char sep = strchr(s, ';') != NULL ? ';' : ',';

	p->nbreaks = 0;
	for (;;) {
		const char *end = strchr(s, sep);
		size_t n = end != NULL ? (size_t)(end - s) : strlen(s);

		if (p->nbreaks == MAP_CLASSES_MAX - 1 || map_parse_number(s, n, &p->breaks[p->nbreaks]) != 0 ||
		    (p->nbreaks > 0 && !(p->breaks[p->nbreaks] > p->breaks[p->nbreaks - 1])))
			return -1;
		p->nbreaks++;
		if (end == NULL)
			return 0;
		s = end + 1;
	}
}

/*
 * read_params() reads the query; 0, or the status of the 400 already
 * answered. The level follows from the area unless given: the country
 * shows voivodeships, a voivodeship its powiats, a powiat its gminas.
 */
static int read_params(struct req *req, struct map_params *p)
{
	const char *level = req_query(req, "level"), *within = req_query(req, "within");
	const char *layer = req_query(req, "layer"), *method = req_query(req, "method");
	const char *classes = req_query(req, "classes"), *palette = req_query(req, "palette");
	const char *breaks = req_query(req, "breaks");
	int64_t k = 5;
	int lv, i;

	memset(p, 0, sizeof(*p));
	p->within = within != NULL && within[0] != '\0' ? within : NULL;
	if (p->within != NULL && !map_within_ok(TOPO_LEVEL_GMINA, p->within))
		return bad_param(req, _("The area is a TERC code of a voivodeship (2 digits) or a powiat (4 digits)."));
	if (level != NULL && level[0] != '\0') {
		lv = map_level_parse(level);
		if (lv < 0 || lv == TOPO_LEVEL_COUNTRY)
			return bad_param(req, _("The level is one of: voivodeships, powiats, gminas."));
		p->level_given = 1;
	} else
		lv = p->within == NULL ? TOPO_LEVEL_VOIVODESHIP : strlen(p->within) == 2 ? TOPO_LEVEL_POWIAT
											: TOPO_LEVEL_GMINA;
	p->level = (enum topo_level)lv;
	if (!map_within_ok(p->level, p->within))
		return bad_param(req, _("This area has no units of this level: choose a larger area or a lower "
					"level."));
	p->layer = map_layer_find(layer != NULL && layer[0] != '\0' ? layer : "institutions");
	if (p->layer == NULL)
		return bad_param(req, _("There is no such map layer."));
	p->method = MAP_QUANTILE;
	if (method != NULL && method[0] != '\0' && (int)(p->method = (enum map_method)map_method_parse(method)) < 0)
		return bad_param(req, _("The classification is one of: quantiles, equal intervals, natural breaks, "
					"manual breaks."));
	if (classes != NULL && classes[0] != '\0' && str_to_int64(classes, MAP_CLASSES_MIN, MAP_CLASSES_MAX, &k) != 0)
		return bad_param(req, _("The number of classes is a number from 1 to 7."));
	p->classes = (int)k;
	if (palette != NULL && palette[0] != '\0' &&
	    (int)(p->palette = (enum map_palette)map_palette_parse(palette)) < 0)
		return bad_param(req, _("There is no such colour scheme."));
	if (p->method == MAP_MANUAL) {
		if (breaks == NULL || breaks[0] == '\0' || parse_breaks(breaks, p) != 0)
			return bad_param(req, _("Manual breaks are 1 to 6 increasing numbers separated by commas "
						"(or by semicolons when they have decimal commas)."));
		p->breaks_text = breaks;
	}
	i = snprintf(p->key, sizeof(p->key), "%s|%s|%s|%s|%d|%s|%s|%d|", map_level_code(p->level),
		     p->within != NULL ? p->within : "", p->layer->code, map_method_code(p->method), p->classes,
		     map_palette_code(p->palette), i18n_code(req->lang), clock_today_ymd());
	for (lv = 0; lv < p->nbreaks && i > 0 && (size_t)i < sizeof(p->key); lv++)
		i += snprintf(p->key + i, sizeof(p->key) - (size_t)i, "%g;", p->breaks[lv]);
	return 0;
}

/* query() is the query string of p with within replaced (NULL = Poland) and the level implied. */
static const char *query(struct req *req, const struct map_params *p, const char *within, int keep_level)
{
	struct buf b = BUF_INIT(1024);
	const char *out;

	buf_adds(&b, "layer=");
	buf_adds(&b, p->layer->code);
	if (keep_level)
		buf_addf(&b, "&level=%s", map_level_code(p->level));
	if (within != NULL)
		buf_addf(&b, "&within=%s", within);
	if (p->method != MAP_QUANTILE)
		buf_addf(&b, "&method=%s", map_method_code(p->method));
	if (p->classes != 5)
		buf_addf(&b, "&classes=%d", p->classes);
	if (p->palette != MAP_BLUES)
		buf_addf(&b, "&palette=%s", map_palette_code(p->palette));
	if (p->breaks_text != NULL) {
		buf_adds(&b, "&breaks=");
		url_encode(&b, p->breaks_text);
	}
	out = arena_strdup(req->arena, buf_str(&b));
	buf_release(&b);
	return out;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                             */
/* ------------------------------------------------------------------ */

struct href_ctx {
	struct req *req;
	const struct map_params *p;
};

/* drill() links a unit to the map of its children; a gmina to its page. */
static const char *drill(void *arg, const struct topo_shape *s)
{
	struct href_ctx *h = arg;

	if (strlen(s->code) >= 7 || h->p->level == TOPO_LEVEL_GMINA)
		return arena_printf(h->req->arena, "/territory/%s", s->code);
	return arena_printf(h->req->arena, "/maps?%s", query(h->req, h->p, s->code, 0));
}

static const char *area_name(struct req *req, const char *within)
{
	struct territory_unit u;

	if (within == NULL)
		return _("Poland");
	return territory_get(req->db, req->arena, within, &u) == 0 ? u.name : within;
}

static const char *map_title(struct req *req, const struct map_params *p)
{
	const char *what = p->layer->value_label != NULL ? _(p->layer->value_label) : _(p->layer->label);

	return arena_printf(req->arena, "%s — %s, %s", what, map_level_label(p->level), area_name(req, p->within));
}

static int gzip_of(const char *data, size_t len, char **out, size_t *out_len)
{
	z_stream z;
	uLong cap = compressBound((uLong)len) + 64;
	unsigned char *dst = malloc(cap);
	int rc;

	if (dst == NULL)
		return -1;
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(dst);
		return -1;
	}
	z.next_in = (unsigned char *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = dst;
	z.avail_out = (uInt)cap;
	rc = deflate(&z, Z_FINISH);
	*out_len = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(dst);
		return -1;
	}
	*out = (char *)dst;
	return 0;
}

static char *dup_bytes(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* value_table() writes the table beside a choropleth: every unit, its value and its class. */
static void value_table(struct buf *b, struct req *req, const struct map_params *p, const struct topo *t,
			const struct map_spec *spec, struct href_ctx *h)
{
	int decimals = map_decimals(spec->values, t->nshapes), i;
	char num[64], cls[160];

	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list map-values\"><caption>%s</caption><thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
		    "<th scope=\"col\">%s</th></tr></thead><tbody>\n",
		 _("Values on the map"), _("Unit"), _("TERC code"),
		 p->layer->value_label != NULL ? _(p->layer->value_label) : _("Value"), _("Class"));
	for (i = 0; i < t->nshapes; i++) {
		const struct topo_shape *s = &t->shapes[i];
		int has = spec->has == NULL || spec->has[i];

		if (has && spec->classes_out.nclasses > 0) {
			int c = map_class_of(&spec->classes_out, spec->values[i]);
			char range[96];

			map_class_label(range, sizeof(range), &spec->classes_out, c, decimals);
			snprintf(cls, sizeof(cls), "%d (%s)", c + 1, range);
		} else
			snprintf(cls, sizeof(cls), "%s", "—");
		html_fmt(b, "<tr><th scope=\"row\"><a href=\"%s\">%s</a></th><td>%s</td><td class=\"num\">%s</td>"
			    "<td>%s</td></tr>\n",
			 drill(h, s), s->name, s->code,
			 has ? map_fmt_num(num, sizeof(num), spec->values[i], decimals) : _("no data"), cls);
	}
	html_raw(b, "</tbody></table></div>");
	(void)req;
}

/* points_table() lists the institutions of the resource layer (by name), with their gminas. */
static void points_table(struct buf *b, struct req *req, const struct map_params *p)
{
	struct institution_point *ip;
	int n = institution_points(req->db, req->arena, p->within != NULL ? p->within : "", &ip), i;

	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list map-values\"><caption>%s</caption><thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "</tr></thead><tbody>\n",
		 _("Institutions on the map"), _("Name"), _("Type"), _("Gmina (TERC code)"), _("Placed"));
	for (i = 0; i < n && i < POINTS_LISTED_MAX; i++)
		html_fmt(b, "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td><td>%s</td></tr>\n", ip[i].name,
			 institution_kind_label(ip[i].kind), ip[i].terc != NULL ? ip[i].terc : "—",
			 ip[i].has_position ? _("at its position") : _("in its gmina"));
	html_raw(b, "</tbody></table></div>");
	if (n > POINTS_LISTED_MAX)
		html_fmt(b, "<p>%s</p>", arena_printf(req->arena, _("The first %d institutions are listed."),
						      POINTS_LISTED_MAX));
}

static void drawn_release(void *arg)
{
	struct drawn *d = arg;

	if (d == NULL || atomic_fetch_sub(&d->refs, 1) != 1)
		return;
	free(d->svg);
	free(d->gz);
	free(d->body);
	free(d->title);
	free(d->voiv_name);
	free(d->area_name);
	free(d->png);
	free(d);
}

static char *dup_str(const char *s)
{
	return s != NULL ? dup_bytes(s, strlen(s)) : NULL;
}

static void choose_form(struct buf *b, struct req *req, const struct map_params *p);
static void map_block(struct buf *b, struct req *req, const struct map_params *p, const char *svg, size_t svg_len,
		      const char *table, size_t table_len);

/*
 * draw() makes everything the cache keeps for p, in malloc'd memory, with
 * one reference (the caller's). NULL when something failed.
 */
static struct drawn *draw(struct req *req, const struct map_params *p)
{
	struct topo t;
	struct map_spec spec;
	struct href_ctx h = { req, p };
	struct buf svg = BUF_INIT(32u << 20), table = BUF_INIT(32u << 20), body = BUF_INIT(64u << 20);
	char period[64], date[16], today[24], voiv[3] = "";
	int n, ymd = clock_today_ymd(), ok = 0;
	struct drawn *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	atomic_init(&d->refs, 1);
	if (p->within != NULL) {
		d->area_name = dup_str(area_name(req, p->within));
		if (strlen(p->within) == 4) {
			memcpy(voiv, p->within, 2);
			d->voiv_name = dup_str(area_name(req, voiv));
		}
	}
	d->title = dup_str(p->within == NULL ? _("Maps") : arena_printf(req->arena, _("Maps: %s"), area_name(req, p->within)));
	n = boundary_load(req->db, req->arena, p->level, p->within, map_scale_for(p->level, p->within), &t);
	if (n <= 0) {
		d->nshapes = 0;
		ok = n == 0 && d->title != NULL;
		goto done;
	}
	memset(&spec, 0, sizeof(spec));
	snprintf(today, sizeof(today), "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
	clock_show_date(today, req->lang, date);
	snprintf(period, sizeof(period), _("As of %s"), date);
	spec.title = map_title(req, p);
	spec.period = period;
	spec.source = _("Source: the institution register of razem; boundaries: the database's boundary layer");
	spec.width = MAP_WIDTH;
	spec.precision = 1;
	spec.method = p->method;
	spec.classes = p->classes;
	spec.breaks = p->breaks;
	spec.nbreaks = p->nbreaks;
	spec.palette = p->palette;
	spec.decimals = -1;
	spec.value_label = p->layer->value_label != NULL ? _(p->layer->value_label) : NULL;
	spec.href = drill;
	spec.href_arg = &h;
	if (p->layer->values != NULL) {
		double *v = arena_zalloc(req->arena, sizeof(double) * (size_t)t.nshapes);
		unsigned char *has = arena_zalloc(req->arena, (size_t)t.nshapes);

		if (v == NULL || has == NULL ||
		    p->layer->values(req->db, req->arena, p->layer, p->level, p->within, &t, v, has) != 0)
			goto done;
		spec.values = v;
		spec.has = has;
	} else if (p->layer->points) {
		spec.npoints = map_institution_points(req->db, req->arena, p->within, (struct map_point **)&spec.points,
						      &spec.kinds, &spec.nkinds);
		if (spec.npoints < 0)
			goto done;
	}
	if (map_render(&spec, &t, req->arena, &svg) != 0)
		goto done;
	if (spec.values != NULL)
		value_table(&table, req, p, &t, &spec, &h);
	else if (p->layer->points)
		points_table(&table, req, p);
	choose_form(&body, req, p);
	map_block(&body, req, p, buf_str(&svg), svg.len, buf_str(&table), table.len);
	if (svg.failed || table.failed || body.failed)
		goto done;
	d->nshapes = t.nshapes;
	d->svg = buf_detach(&svg, &d->svg_len);
	d->body = buf_detach(&body, &d->body_len);
	ok = d->svg != NULL && d->body != NULL && d->title != NULL &&
	     gzip_of(d->svg, d->svg_len, &d->gz, &d->gz_len) == 0;
done:
	buf_release(&svg);
	buf_release(&table);
	buf_release(&body);
	if (!ok) {
		drawn_release(d);
		return NULL;
	}
	return d;
}

/* cache_get() is the drawing of key at gen with a reference for the caller, or NULL. */
static struct drawn *cache_get(const char *key, int64_t gen)
{
	struct drawn *d = NULL;
	int i;

	pthread_mutex_lock(&cache.lock);
	for (i = 0; i < CACHE_SLOTS; i++) {
		struct slot *s = &cache.slots[i];

		if (s->d != NULL && s->generation == gen && strcmp(s->key, key) == 0) {
			s->used = ++cache.clock;
			d = s->d;
			atomic_fetch_add(&d->refs, 1);
			break;
		}
	}
	pthread_mutex_unlock(&cache.lock);
	return d;
}

/* cache_put() keeps d (one more reference) in key's slot or the least recently used one. */
static void cache_put(const char *key, int64_t gen, struct drawn *d)
{
	struct slot *victim = &cache.slots[0];
	struct drawn *old;
	int i;

	atomic_fetch_add(&d->refs, 1);
	pthread_mutex_lock(&cache.lock);
	for (i = 0; i < CACHE_SLOTS; i++) {
		struct slot *s = &cache.slots[i];

		if (s->d != NULL && strcmp(s->key, key) == 0) {
			victim = s; /* the same map: an older generation, or drawn by two threads at once */
			break;
		}
		if (s->used < victim->used)
			victim = s;
	}
	old = victim->d;
	snprintf(victim->key, sizeof(victim->key), "%s", key);
	victim->generation = gen;
	victim->used = ++cache.clock;
	victim->d = d;
	pthread_mutex_unlock(&cache.lock);
	drawn_release(old);
}

/* add_png() makes the PNG of d once (outside the lock: only d's SVG, which never changes, is read). */
static int add_png(struct drawn *d)
{
	struct buf png = BUF_INIT(64u << 20);
	char err[160], *data;
	size_t len = 0;
	int have;

	pthread_mutex_lock(&cache.lock);
	have = d->png != NULL;
	pthread_mutex_unlock(&cache.lock);
	if (have)
		return 0;
	if (map_png(d->svg, d->svg_len, &png, err, sizeof(err)) != 0) {
		buf_release(&png);
		log_warn("map PNG: %s", err);
		return -1;
	}
	data = buf_detach(&png, &len);
	pthread_mutex_lock(&cache.lock);
	if (d->png == NULL) {
		d->png = data;
		d->png_len = len;
		data = NULL;
	}
	pthread_mutex_unlock(&cache.lock);
	free(data);
	return 0;
}

static int check_area(struct req *req, const struct map_params *p);

/*
 * get_map() finds or draws the map of p; *out holds a reference released
 * with the request. 0, or the status of an error already answered (404
 * for an area the register does not have, 500).
 */
static int get_map(struct req *req, const struct map_params *p, struct drawn **out, int64_t *gen)
{
	struct drawn *d;
	int rc;

	if (map_generation(req->db, gen) != 0)
		return resp_server_error(req, "reading the map generation");
	d = cache_get(p->key, *gen);
	if (d == NULL) {
		if ((rc = check_area(req, p)) != 0) /* a cached map's area existed at its generation */
			return rc;
		d = draw(req, p);
		if (d == NULL)
			return resp_server_error(req, "drawing a map");
		cache_put(p->key, *gen, d);
	}
	if (arena_defer(req->arena, drawn_release, d) != 0)
		return resp_oom(req); /* d was released by arena_defer() */
	*out = d;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Pages                                                               */
/* ------------------------------------------------------------------ */

/* check_area() answers 404 when within names no unit of the register. 0 when fine. */
static int check_area(struct req *req, const struct map_params *p)
{
	struct territory_unit u;
	int rc;

	if (p->within == NULL)
		return 0;
	rc = territory_get(req->db, req->arena, p->within, &u);
	if (rc < 0)
		return resp_server_error(req, "reading a territorial unit");
	if (rc > 0)
		return resp_error(req, 404, "not_found", _("No such territorial unit"),
				  _("There is no unit with this TERC code in the TERYT register."));
	return 0;
}

static void crumbs(struct req *req, const struct map_params *p, const struct drawn *d)
{
	page_crumb(req, "/maps", _("Maps"));
	if (p->within == NULL)
		return;
	if (strlen(p->within) == 4) {
		char voiv[3] = { p->within[0], p->within[1], '\0' };

		page_crumb(req, arena_printf(req->arena, "/maps?%s", query(req, p, arena_strdup(req->arena, voiv), 0)),
			   d->voiv_name != NULL ? d->voiv_name : voiv);
	}
	page_crumb(req, NULL, d->area_name != NULL ? d->area_name : p->within);
}

static void option_list(struct buf *b, const char *name, const char *label, const struct option *o, int n,
			const char *selected)
{
	field_select(b, name, label, o, n, selected, NULL, NULL, 0, NULL);
}

/* choose_form() is the GET form: area, level, layer, classification. */
static void choose_form(struct buf *b, struct req *req, const struct map_params *p)
{
	struct territory_unit *voiv = NULL, *pow = NULL;
	int nv = territory_voivodeships(req->db, req->arena, &voiv), np = 0, i, n, na;
	struct option *areas, levels[3], layers[16], methods[MAP_METHOD__MAX], classes[MAP_CLASSES_MAX];
	char voiv_code[3] = "";
	static const char *const class_values[] = { "1", "2", "3", "4", "5", "6", "7" };

	if (p->within != NULL) {
		memcpy(voiv_code, p->within, 2);
		np = territory_children(req->db, req->arena, voiv_code, &pow);
	}
	if (nv < 0)
		nv = 0;
	if (np < 0)
		np = 0;
	areas = arena_alloc(req->arena, sizeof(*areas) * (size_t)(1 + nv + np));
	if (areas == NULL)
		return;
	n = 0;
	areas[n++] = (struct option){ "", _("Poland") };
	for (i = 0; i < nv; i++) {
		areas[n++] = (struct option){ voiv[i].code, voiv[i].name };
		if (strcmp(voiv[i].code, voiv_code) == 0) /* the powiats of the chosen voivodeship under it */
			for (int j = 0; j < np; j++)
				areas[n++] = (struct option){ pow[j].code, arena_printf(req->arena, "— %s", pow[j].name) };
	}
	na = n; /* the powiats only when their voivodeship is listed (open) */
	levels[0] = (struct option){ "voivodeship", _("voivodeships") };
	levels[1] = (struct option){ "powiat", _("powiats") };
	levels[2] = (struct option){ "gmina", _("gminas") };
	for (i = 0; map_layers[i].code != NULL && i < 16; i++)
		layers[i] = (struct option){ map_layers[i].code, _(map_layers[i].label) };
	for (n = 0; n < MAP_METHOD__MAX; n++)
		methods[n] = (struct option){ map_method_code(n), map_method_label(n) };
	for (n = 0; n < MAP_CLASSES_MAX; n++)
		classes[n] = (struct option){ class_values[n], class_values[n] };
	html_fmt(b, "<form method=\"get\" action=\"/maps\" class=\"filters map-form\"><fieldset><legend>%s</legend>",
		 _("What to show"));
	option_list(b, "within", _("Area"), areas, na, p->within != NULL ? p->within : "");
	/* "one level down" unless chosen: picking another area in the form then shows its units */
	field_select(b, "level", _("Units"), levels, 3, p->level_given ? map_level_code(p->level) : "",
		     _("one level below the area"), NULL, 0, NULL);
	option_list(b, "layer", _("Layer"), layers, i, p->layer->code);
	option_list(b, "method", _("Classification"), methods, MAP_METHOD__MAX, map_method_code(p->method));
	option_list(b, "classes", _("Number of classes"), classes, MAP_CLASSES_MAX,
		    class_values[p->classes - 1]);
	field_input(b, "text", "breaks", _("Manual breaks"), p->breaks_text, NULL, 0,
		    _("Only for manual breaks: the inner bounds, e.g. 2,5;5 or 10,20,50."), NULL);
	html_fmt(b, "</fieldset><div class=\"actions\"><button type=\"submit\" class=\"btn primary\">%s</button></div>"
		    "</form>",
		 _("Show the map"));
}

static void no_boundaries(struct buf *b, struct req *req)
{
	page_notice(b, "info",
		    req_has_role(req, ROLE_BIT(ROLE_ADMIN))
			    ? _("No boundaries of this area have been imported yet (razem import boundaries FILE, or "
				"razem demo for the demonstration county).")
			    : _("No boundaries of this area have been imported yet. Ask your administrator to import "
				"them."));
}

/* map_block() writes the map, its download links and the table. */
static void map_block(struct buf *b, struct req *req, const struct map_params *p, const char *svg, size_t svg_len,
		      const char *table, size_t table_len)
{
	const char *q = query(req, p, p->within, 1);

	html_fmt(b, "<section class=\"card map-card\"><h2>%s</h2><figure class=\"map\">", map_title(req, p));
	buf_add(b, svg, svg_len);
	html_fmt(b, "<figcaption>%s</figcaption></figure>",
		 _("Each unit links to its own map; the table below lists the same values."));
	html_fmt(b, "<p class=\"page-actions map-downloads\"><a class=\"btn secondary\" href=\"/maps/map.svg?%s\" "
		    "download>%s</a> <a class=\"btn secondary\" href=\"/maps/map.png?%s\" download>%s</a></p>",
		 q, _("Download SVG"), q, _("Download PNG"));
	buf_add(b, table, table_len);
	html_raw(b, "</section>");
}

int h_maps(struct req *req)
{
	struct map_params p;
	struct drawn *d;
	struct buf *b;
	int64_t gen;
	int rc = read_params(req, &p);

	if (rc != 0 || (rc = get_map(req, &p, &d, &gen)) != 0)
		return rc;
	crumbs(req, &p, d);
	b = page_begin(req, d->title);
	if (d->nshapes == 0) {
		choose_form(b, req, &p);
		no_boundaries(b, req);
	} else
		buf_add(b, d->body, d->body_len);
	return page_end(req, 200);
}

/* etag_of() is the validator of a drawn map: its key and the data generation. */
static const char *etag_of(struct req *req, const struct map_params *p, int64_t gen, const char *kind)
{
	uint64_t h = 1469598103934665603ull;
	const char *s;

	for (s = p->key; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return arena_printf(req->arena, "W/\"%s-%lld-%016llx\"", kind, (long long)gen, (unsigned long long)h);
}

static int not_modified(struct req *req, const char *etag)
{
	const char *inm = req_header(req, "if-none-match");

	resp_header(req, "etag", etag);
	req->cacheable = 2; /* revalidate every time: "private, no-cache" */
	return inm != NULL && (strstr(inm, etag) != NULL || strstr(inm, etag + 2) != NULL);
}

static int accepts_gzip(struct req *req)
{
	const char *ae = req_header(req, "accept-encoding");

	return ae != NULL && strstr(ae, "gzip") != NULL && strstr(ae, "gzip;q=0,") == NULL &&
	       strcmp(ae + strlen(ae) - (strlen(ae) >= 8 ? 8 : 0), "gzip;q=0") != 0;
}

static int no_map(struct req *req)
{
	return resp_error(req, 404, "not_found", _("No map of this area"),
			  _("No boundaries of this area have been imported yet."));
}

int h_maps_svg(struct req *req)
{
	struct map_params p;
	struct drawn *d;
	int64_t gen;
	int rc = read_params(req, &p);

	if (rc != 0 || (rc = get_map(req, &p, &d, &gen)) != 0)
		return rc;
	if (d->nshapes == 0)
		return no_map(req);
	resp_header(req, "vary", "accept-encoding");
	if (not_modified(req, etag_of(req, &p, gen, "svg")))
		return 304;
	req->out_type = "image/svg+xml";
	resp_header(req, "content-disposition", "inline; filename=\"mapa.svg\"");
	buf_reset(&req->out);
	if (accepts_gzip(req)) {
		resp_header(req, "content-encoding", "gzip");
		buf_add(&req->out, d->gz, d->gz_len);
	} else
		buf_add(&req->out, d->svg, d->svg_len);
	return 200;
}

int h_maps_png(struct req *req)
{
	struct map_params p;
	struct drawn *d;
	int64_t gen;
	int rc = read_params(req, &p);

	if (rc != 0 || (rc = get_map(req, &p, &d, &gen)) != 0)
		return rc;
	if (d->nshapes == 0)
		return no_map(req);
	if (not_modified(req, etag_of(req, &p, gen, "png")))
		return 304;
	if (add_png(d) != 0)
		return resp_server_error(req, "converting a map to PNG");
	req->out_type = "image/png";
	resp_header(req, "content-disposition", "inline; filename=\"mapa.png\"");
	buf_reset(&req->out);
	buf_add(&req->out, d->png, d->png_len);
	return 200;
}

void maps_unit_section(struct req *req, struct buf *b, const char *code)
{
	struct map_params p;
	struct drawn *d;
	int64_t gen;

	if (code == NULL || (strlen(code) != 2 && strlen(code) != 4))
		return; /* a gmina has no units with boundaries under it */
	memset(&p, 0, sizeof(p));
	p.within = code;
	p.level = strlen(code) == 2 ? TOPO_LEVEL_POWIAT : TOPO_LEVEL_GMINA;
	p.layer = map_layer_find("institutions");
	p.method = MAP_QUANTILE;
	p.classes = 5;
	snprintf(p.key, sizeof(p.key), "%s|%s|%s|%s|%d|%s|%s|%d|", map_level_code(p.level), code, p.layer->code,
		 map_method_code(p.method), p.classes, map_palette_code(p.palette), i18n_code(req->lang),
		 clock_today_ymd());
	/* the same map as /maps?within=code draws; without a cached one it is drawn (never answers: b is the page) */
	if (map_generation(req->db, &gen) != 0)
		return;
	d = cache_get(p.key, gen);
	if (d == NULL && (d = draw(req, &p)) != NULL)
		cache_put(p.key, gen, d);
	if (d == NULL)
		return; /* the page shows the unit without its map */
	if (d->nshapes > 0) {
		html_fmt(b, "<section class=\"card map-card\"><h2>%s</h2><figure class=\"map\">", _("Map"));
		buf_add(b, d->svg, d->svg_len);
		html_fmt(b, "</figure><p><a href=\"/maps?%s\">%s</a></p></section>", query(req, &p, code, 0),
			 _("More maps of this unit, with the table of values"));
	}
	drawn_release(d);
}

ROUTES(maps) = {
	{ HTTP_GET, "/maps", h_maps, 0, 0 },
	{ HTTP_GET, "/maps/map.svg", h_maps_svg, 0, 0 },
	{ HTTP_GET, "/maps/map.png", h_maps_png, 0, 0 },
};
ROUTES_END(maps);
