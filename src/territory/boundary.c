/*
 * boundary.c — matching boundary features to units, storing their
 * topology (0008_boundaries.sql), reading it back for maps, neighbours.
 */
#include "territory/boundary.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "territory/topology.h"

static const struct db_sql SQL_BND_UNITS =
	DB_SQL("SELECT code, name, kind FROM territory_unit WHERE valid_to IS NULL AND length(code) = ? ORDER BY code");
static const struct db_sql SQL_BND_DEL_SHAPES = DB_SQL("DELETE FROM boundary_shape WHERE level = ? AND fictional = ?");
static const struct db_sql SQL_BND_DEL_SHAPE = DB_SQL("DELETE FROM boundary_shape WHERE level = ? AND code = ?");
static const struct db_sql SQL_BND_DEL_LEVEL = DB_SQL("DELETE FROM boundary_shape WHERE level = ?");
static const struct db_sql SQL_BND_DEL_USES =
	DB_SQL("DELETE FROM boundary_shape_arc WHERE level = ? AND code NOT IN "
	       "(SELECT code FROM boundary_shape WHERE level = ?)");
static const struct db_sql SQL_BND_DEL_ARCS = DB_SQL("DELETE FROM boundary_arc WHERE level = ? AND fictional = ?");
static const struct db_sql SQL_BND_ARC_BASE =
	DB_SQL("SELECT COALESCE(MAX(id) + 1, 0) FROM boundary_arc WHERE level = ?");
static const struct db_sql SQL_BND_FICTIONAL =
	DB_SQL("SELECT COUNT(*) FROM boundary_shape WHERE level = ? AND fictional = 1");
static const struct db_sql SQL_BND_ARC_ADD =
	DB_SQL("INSERT INTO boundary_arc (level, id, fictional, country, region, county, full_detail) "
	       "VALUES (?, ?, ?, ?, ?, ?, ?)");
static const struct db_sql SQL_BND_SHAPE_ADD =
	DB_SQL("INSERT INTO boundary_shape (level, code, name, fictional, source_code, rings, label_x, label_y, "
	       "min_x, min_y, max_x, max_y) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
static const struct db_sql SQL_BND_COUNT = DB_SQL("SELECT COUNT(*) FROM boundary_shape WHERE level = ?");
/*
 * Shapes within a prefix are those with lo <= code < hi, hi the prefix
 * plus one ("0201" -> "0202"): digit strings, so every collation orders
 * them alike, and the primary key's index serves the range.
 */
static const struct db_sql SQL_BND_SHAPES =
	DB_SQL("SELECT s.code, COALESCE(u.name, s.name), s.rings, s.label_x, s.label_y, s.min_x, s.min_y, "
	       "s.max_x, s.max_y FROM boundary_shape s LEFT JOIN territory_unit u ON u.code = s.code "
	       "WHERE s.level = ? AND s.code >= ? AND s.code < ? ORDER BY s.code");
static const struct db_sql SQL_BND_SHAPES_ALL =
	DB_SQL("SELECT s.code, COALESCE(u.name, s.name), s.rings, s.label_x, s.label_y, s.min_x, s.min_y, "
	       "s.max_x, s.max_y FROM boundary_shape s LEFT JOIN territory_unit u ON u.code = s.code "
	       "WHERE s.level = ? ORDER BY s.code");
/* the arcs of a level at each scale: all of them, or those the shapes within a prefix use */
static const struct db_sql SQL_BND_ARCS_ALL[TOPO_SCALE__MAX] = {
	DB_SQL("SELECT id, country FROM boundary_arc WHERE level = ?"),
	DB_SQL("SELECT id, region FROM boundary_arc WHERE level = ?"),
	DB_SQL("SELECT id, county FROM boundary_arc WHERE level = ?"),
	DB_SQL("SELECT id, full_detail FROM boundary_arc WHERE level = ?"),
};
#define ARCS_WITHIN(col)                                                                        \
	DB_SQL("SELECT id, " col " FROM boundary_arc WHERE level = ? AND id IN "                \
	       "(SELECT arc FROM boundary_shape_arc WHERE level = ? AND code >= ? AND code < ?)")
static const struct db_sql SQL_BND_ARCS_WITHIN[TOPO_SCALE__MAX] = {
	ARCS_WITHIN("country"),
	ARCS_WITHIN("region"),
	ARCS_WITHIN("county"),
	ARCS_WITHIN("full_detail"),
};
static const struct db_sql SQL_BND_NEIGHBOURS =
	DB_SQL("SELECT u.code, u.name, u.kind, u.parent_code, u.fictional, u.valid_from, u.valid_to "
	       "FROM territory_unit u WHERE u.code IN (SELECT b.code FROM boundary_shape_arc a "
	       "JOIN boundary_shape_arc b ON b.level = a.level AND b.arc = a.arc AND b.code <> a.code "
	       "WHERE a.level = ? AND a.code = ?) ORDER BY u.name, u.code");

static void seterr(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static void note(const struct boundary_opts *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(const struct boundary_opts *o, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (o->note == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	o->note(o->note_arg, msg);
}

/* ------------------------------------------------------------------ */
/* Levels and codes                                                    */

static const char *const level_names[TOPO_LEVEL__MAX] = { "country", "voivodeship", "powiat", "gmina" };
static const int level_len[TOPO_LEVEL__MAX] = { 0, 2, 4, 7 };

int boundary_level_parse(const char *s)
{
	int i;

	for (i = TOPO_LEVEL_VOIVODESHIP; s != NULL && i < TOPO_LEVEL__MAX; i++)
		if (strcmp(s, level_names[i]) == 0)
			return i;
	return -1;
}

const char *boundary_level_name(enum topo_level level)
{
	return (unsigned)level < TOPO_LEVEL__MAX ? level_names[level] : "?";
}

int boundary_level_of_code(const char *code)
{
	size_t n = strlen(code);

	if (strspn(code, "0123456789") != n)
		return -1;
	switch (n) {
	case 2: return TOPO_LEVEL_VOIVODESHIP;
	case 4: return TOPO_LEVEL_POWIAT;
	case 6:
	case 7: return TOPO_LEVEL_GMINA;
	default: return -1;
	}
}

static int kind_fits(enum topo_level level, enum unit_kind k)
{
	switch (level) {
	case TOPO_LEVEL_VOIVODESHIP: return k == UNIT_VOIVODESHIP;
	case TOPO_LEVEL_POWIAT: return k == UNIT_POWIAT || k == UNIT_CITY_POWIAT;
	case TOPO_LEVEL_GMINA: return k == UNIT_URBAN || k == UNIT_RURAL || k == UNIT_URBAN_RURAL;
	default: return 0;
	}
}

static int unit_cmp(const void *a, const void *b)
{
	return strcmp(((const struct boundary_unit *)a)->code, ((const struct boundary_unit *)b)->code);
}

enum boundary_match boundary_match_code(const struct boundary_unit *units, int n, enum topo_level level,
					const char *code, int *which)
{
	struct boundary_unit key = { code, NULL, UNIT_VOIVODESHIP };
	const struct boundary_unit *hit;
	size_t len = strlen(code);
	int lo, hi, mid, found = -1, count = 0, i;

	*which = -1;
	if (len == (size_t)level_len[level] && n > 0 &&
	    (hit = bsearch(&key, units, (size_t)n, sizeof(*units), unit_cmp)) != NULL) {
		*which = (int)(hit - units);
		return BOUNDARY_EXACT;
	}
	if (level != TOPO_LEVEL_GMINA || (len != 6 && len != 7))
		return BOUNDARY_UNKNOWN;
	/* the first unit whose code is not below the prefix, then every unit that starts with it */
	for (lo = 0, hi = n; lo < hi;) {
		mid = (lo + hi) / 2;
		if (strncmp(units[mid].code, code, 6) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < n && strncmp(units[i].code, code, 6) == 0; i++) {
		found = i;
		count++;
	}
	if (count == 0)
		return BOUNDARY_UNKNOWN;
	if (count > 1)
		return BOUNDARY_AMBIGUOUS;
	*which = found;
	return BOUNDARY_PREFIX;
}

/* load_units() reads the open units of level, sorted by code, into arena memory. */
static int load_units(struct db *db, struct arena *a, enum topo_level level, struct boundary_unit **out)
{
	struct db_stmt *st = db_query(db, &SQL_BND_UNITS, "i", (int64_t)level_len[level]);
	int n = 0, cap = 64, rc;
	struct boundary_unit *v = arena_alloc(a, sizeof(*v) * (size_t)cap);

	if (st == NULL || v == NULL) {
		db_reset(st);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		int kind = unit_kind_parse(db_col_text(st, 2));

		if (kind < 0 || !kind_fits(level, (enum unit_kind)kind))
			continue;
		if (n == cap) {
			struct boundary_unit *w = arena_alloc(a, sizeof(*w) * (size_t)cap * 2);

			if (w == NULL)
				break;
			memcpy(w, v, sizeof(*v) * (size_t)n);
			v = w;
			cap *= 2;
		}
		v[n].code = arena_strdup(a, db_col_text(st, 0));
		v[n].name = arena_strdup(a, db_col_text(st, 1));
		v[n].kind = (enum unit_kind)kind;
		if (v[n].code == NULL || v[n].name == NULL)
			break;
		n++;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return -1;
	*out = v;
	return n;
}

/* ------------------------------------------------------------------ */
/* Blobs                                                               */

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static int32_t get32(const unsigned char *p)
{
	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

/* rings_blob() encodes a shape's rings with its arc ids moved up by base. */
static unsigned char *rings_blob(const struct tp_ring *r, int nrings, int base, size_t *len)
{
	size_t n = 0;
	unsigned char *b, *p;
	int i, k;

	for (i = 0; i < nrings; i++)
		n += 1 + (size_t)r[i].n;
	if ((b = p = malloc(n * 4 + 1)) == NULL)
		return NULL;
	for (i = 0; i < nrings; i++) {
		put32(p, (uint32_t)r[i].n | (r[i].outer ? 0 : 0x80000000u));
		p += 4;
		for (k = 0; k < r[i].n; k++, p += 4)
			put32(p, (uint32_t)(r[i].arcs[k] < 0 ? ~(~r[i].arcs[k] + base) : r[i].arcs[k] + base));
	}
	*len = n * 4;
	return b;
}

/* ------------------------------------------------------------------ */
/* Storing                                                             */

struct store {
	struct db *db;
	int level, fictional, base;
	const struct tp_topo *t;
	const double *thr;
	const char *const *source; /* per shape: the file's code when it differs, or NULL */
	long points[TOPO_SCALE__MAX];
};

static int store_arcs(struct store *s)
{
	const struct tp_topo *t = s->t;
	size_t maxn = 0;
	int32_t *pts;
	unsigned char *blob[TOPO_SCALE__MAX] = { 0 };
	int i, sc, k, rc = DB_OK;

	for (i = 0; i < t->narcs; i++)
		if ((size_t)t->arcs[i].n > maxn)
			maxn = (size_t)t->arcs[i].n;
	pts = malloc(sizeof(int32_t) * 2 * (maxn + 1));
	for (sc = 0; sc < TOPO_SCALE__MAX; sc++)
		if ((blob[sc] = malloc(8 * (maxn + 1))) == NULL)
			rc = DB_ERROR;
	if (pts == NULL)
		rc = DB_ERROR;
	for (i = 0; rc == DB_OK && i < t->narcs; i++) {
		size_t len[TOPO_SCALE__MAX];

		for (sc = 0; sc < TOPO_SCALE__MAX; sc++) {
			int n = tp_keep(&t->arcs[i], s->thr[(size_t)sc * (size_t)t->narcs + (size_t)i], pts);

			for (k = 0; k < 2 * n; k++)
				put32(blob[sc] + 4 * k, (uint32_t)pts[k]);
			len[sc] = 8 * (size_t)n;
			s->points[sc] += n;
		}
		rc = db_run(s->db, &SQL_BND_ARC_ADD, "iiibbbb", (int64_t)s->level, (int64_t)(i + s->base),
			    (int64_t)s->fictional, blob[0], len[0], blob[1], len[1], blob[2], len[2], blob[3], len[3]);
	}
	free(pts);
	for (sc = 0; sc < TOPO_SCALE__MAX; sc++)
		free(blob[sc]);
	return rc;
}

/* store_shape() writes one shape. */
static int store_shape(struct store *s, int level, const char *code, const char *name, const char *source,
		       const struct tp_ring *rings, int nrings, const double label[2], const double bbox[4])
{
	size_t len;
	unsigned char *blob = rings_blob(rings, nrings, s->base, &len);
	int rc;

	if (blob == NULL)
		return DB_ERROR;
	rc = db_run(s->db, &SQL_BND_SHAPE_ADD, "ittitbdddddd", (int64_t)level, code, name, (int64_t)s->fictional,
		    source, blob, len, label[0], label[1], bbox[0], bbox[1], bbox[2], bbox[3]);
	free(blob);
	return rc;
}

/*
 * store_uses() lists the arcs a shape uses through the bulk load b (after
 * every shape is written: PostgreSQL runs nothing else during a COPY).
 */
static int store_uses(const struct store *s, int level, const char *code, const struct tp_ring *rings, int nrings,
		      struct db_bulk *b)
{
	char lv[8], arc[16];
	const char *row[3] = { lv, code, arc };
	int rc = DB_OK, i, k;

	snprintf(lv, sizeof(lv), "%d", level);
	for (i = 0; rc == DB_OK && i < nrings; i++)
		for (k = 0; rc == DB_OK && k < rings[i].n; k++) {
			int ref = rings[i].arcs[k], dup = 0, j, m;

			/* an arc used twice by one shape (a ring touching itself) is listed once */
			for (j = 0; j <= i && !dup; j++)
				for (m = 0; m < (j == i ? k : rings[j].n) && !dup; m++)
					dup = (rings[j].arcs[m] < 0 ? ~rings[j].arcs[m] : rings[j].arcs[m]) ==
					      (ref < 0 ? ~ref : ref);
			if (dup)
				continue;
			snprintf(arc, sizeof(arc), "%d", (ref < 0 ? ~ref : ref) + s->base);
			rc = db_bulk_row(b, row);
		}
	return rc;
}

static const char *const use_cols[] = { "level", "code", "arc" };

/* store_country() derives the country's outline 'PL' from the voivodeships' arcs. */
static int store_country(struct store *s, char *err, size_t errlen)
{
	const struct tp_topo *t = s->t;
	int *all = malloc(sizeof(int) * ((size_t)t->nshapes + 1)), i, n, rc;
	struct tp_ring *rings = NULL;
	struct tp_shape pl;
	struct db_bulk *b;

	if (all == NULL)
		return DB_ERROR;
	for (i = 0; i < t->nshapes; i++)
		all[i] = i;
	n = tp_dissolve(t, all, t->nshapes, &rings);
	free(all);
	if (n < 0)
		return DB_ERROR;
	memset(&pl, 0, sizeof(pl));
	pl.rings = rings;
	pl.nrings = n;
	rc = tp_shape_geometry(t, &pl) == 0 ? DB_OK : DB_ERROR;
	if (rc == DB_OK)
		rc = db_run(s->db, &SQL_BND_DEL_LEVEL, "i", (int64_t)TOPO_LEVEL_COUNTRY);
	if (rc == DB_OK)
		rc = db_run(s->db, &SQL_BND_DEL_USES, "ii", (int64_t)TOPO_LEVEL_COUNTRY, (int64_t)TOPO_LEVEL_COUNTRY);
	if (rc == DB_OK)
		rc = store_shape(s, TOPO_LEVEL_COUNTRY, "PL", "Polska", NULL, rings, n, pl.label, pl.bbox);
	if (rc == DB_OK) {
		b = db_bulk_begin(s->db, "boundary_shape_arc", use_cols, 3, err, errlen);
		rc = b == NULL ? DB_ERROR : store_uses(s, TOPO_LEVEL_COUNTRY, "PL", rings, n, b);
		if (b != NULL && rc == DB_OK)
			rc = db_bulk_end(b);
		else
			db_bulk_abort(b);
	}
	for (i = 0; i < n; i++)
		free(rings[i].arcs);
	free(rings);
	return rc;
}

/*
 * store() replaces the level's boundaries (of the same fictional flag;
 * a real import also replaces demo shapes of the codes it brings) inside
 * the caller's transaction.
 */
static int store(struct store *s, char *err, size_t errlen)
{
	const struct tp_topo *t = s->t;
	int64_t lv = s->level, fict = 0, base = 0;
	struct db_bulk *b;
	int rc, i;

	rc = db_run(s->db, &SQL_BND_DEL_SHAPES, "ii", lv, (int64_t)s->fictional);
	if (rc == DB_OK && !s->fictional && db_get_int(s->db, &fict, &SQL_BND_FICTIONAL, "i", lv) < 0)
		rc = DB_ERROR;
	for (i = 0; rc == DB_OK && fict > 0 && i < t->nshapes; i++)
		rc = db_run(s->db, &SQL_BND_DEL_SHAPE, "it", lv, t->shapes[i].code);
	if (rc == DB_OK)
		rc = db_run(s->db, &SQL_BND_DEL_USES, "ii", lv, lv);
	if (rc == DB_OK)
		rc = db_run(s->db, &SQL_BND_DEL_ARCS, "ii", lv, (int64_t)s->fictional);
	if (rc == DB_OK && db_get_int(s->db, &base, &SQL_BND_ARC_BASE, "i", lv) < 0)
		rc = DB_ERROR;
	s->base = (int)base;
	if (rc == DB_OK)
		rc = store_arcs(s);
	if (rc != DB_OK) {
		seterr(err, errlen, "storing the boundaries: %s", db_errmsg(s->db));
		return rc;
	}
	for (i = 0; rc == DB_OK && i < t->nshapes; i++) {
		const struct tp_shape *sh = &t->shapes[i];

		rc = store_shape(s, s->level, sh->code, sh->name, s->source != NULL ? s->source[sh->src] : NULL,
				 sh->rings, sh->nrings, sh->label, sh->bbox);
	}
	if (rc != DB_OK) {
		seterr(err, errlen, "storing the boundaries: %s", db_errmsg(s->db));
		return rc;
	}
	if ((b = db_bulk_begin(s->db, "boundary_shape_arc", use_cols, 3, err, errlen)) == NULL)
		return DB_ERROR;
	for (i = 0; rc == DB_OK && i < t->nshapes; i++)
		rc = store_uses(s, s->level, t->shapes[i].code, t->shapes[i].rings, t->shapes[i].nrings, b);
	if (rc != DB_OK) {
		seterr(err, errlen, "storing the boundaries: %s", db_errmsg(s->db));
		db_bulk_abort(b);
		return rc;
	}
	if ((rc = db_bulk_end(b)) != DB_OK)
		return rc;
	if (s->level == TOPO_LEVEL_VOIVODESHIP && (rc = store_country(s, err, errlen)) != DB_OK)
		seterr(err, errlen, "storing the country's outline: %s", db_errmsg(s->db));
	return rc;
}

int boundary_store(struct db *db, int level, int fictional, const struct tp_input *in, int n,
		   const char *const *source, struct boundary_report *rep, char *err, size_t errlen)
{
	struct tp_topo t = { 0 };
	struct store s = { db, level, fictional, 0, &t, NULL, source, { 0 } };
	double *thr = NULL;
	int rc, sc;

	if (tp_build(&t, in, n, err, errlen) != 0) {
		tp_free(&t);
		return 1;
	}
	if ((thr = malloc(sizeof(double) * TOPO_SCALE__MAX * ((size_t)t.narcs + 1))) == NULL) {
		tp_free(&t);
		seterr(err, errlen, "out of memory");
		return 1;
	}
	tp_thresholds(&t, thr);
	s.thr = thr;
	rc = store(&s, err, errlen) == DB_OK ? 0 : -1;
	if (rep != NULL) {
		rep->arcs = t.narcs;
		for (sc = 0; sc < TOPO_SCALE__MAX; sc++)
			rep->points[sc] = s.points[sc];
	}
	free(thr);
	tp_free(&t);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Importing                                                           */

static const char *feature_name(const struct geo_feature *f, char *buf, size_t len)
{
	snprintf(buf, len, "feature %d (%s%s%s)", f->index, f->code[0] ? f->code : "no code", f->name[0] ? " " : "",
		 f->name);
	return buf;
}

/* detect_level() is the level all features' codes have; -1 with err when they disagree. */
static int detect_level(const struct geo_layer *l, char *err, size_t errlen)
{
	int i, level = -1;

	for (i = 0; i < l->n; i++) {
		int v = boundary_level_of_code(l->f[i].code);
		char who[300];

		if (v < 0)
			continue;
		if (level >= 0 && v != level) {
			seterr(err, errlen, "%s has a %s code while earlier features have %s codes; give --level",
			       feature_name(&l->f[i], who, sizeof(who)), level_names[v], level_names[level]);
			return -1;
		}
		level = v;
	}
	if (level < 0)
		seterr(err, errlen, "no feature has a TERC code of 2, 4, 6 or 7 digits; give --code-property");
	return level;
}

struct matching {
	struct tp_input *in;
	const char **source;
	int n;
	unsigned char *taken;
	int *taker;
};

static int match_all(const struct geo_layer *l, const struct boundary_unit *u, int nu, int level,
		     const struct boundary_opts *o, struct matching *m, struct boundary_report *rep)
{
	int i, j;

	for (i = 0; i < l->n; i++) {
		const struct geo_feature *f = &l->f[i];
		char who[300];
		int w;
		enum boundary_match r = boundary_match_code(u, nu, (enum topo_level)level, f->code, &w);

		feature_name(f, who, sizeof(who));
		if (r == BOUNDARY_UNKNOWN) {
			note(o, "%s: no open %s of the register has this code; not imported", who, level_names[level]);
		} else if (r == BOUNDARY_AMBIGUOUS) {
			note(o, "%s: several open gminas have codes starting %.6s; not imported", who, f->code);
		} else if (m->taken[w]) {
			r = BOUNDARY_REPEATED;
			note(o, "%s: the unit %s %s already has the boundary of feature %d; not imported", who, u[w].code,
			     u[w].name, l->f[m->taker[w]].index);
		}
		if (r != BOUNDARY_EXACT && r != BOUNDARY_PREFIX) {
			rep->skipped++;
			continue;
		}
		if (r == BOUNDARY_PREFIX) {
			rep->by_prefix++;
			note(o, "%s: matched to %s %s by its first 6 digits", who, u[w].code, u[w].name);
		}
		m->taken[w] = 1;
		m->taker[w] = i;
		m->in[m->n].code = u[w].code;
		m->in[m->n].name = u[w].name;
		m->in[m->n].f = f;
		m->source[m->n++] = strcmp(f->code, u[w].code) != 0 ? f->code : NULL;
		for (j = 0; j < f->nrings; j++)
			if (f->rings[j].crosses) {
				rep->crossing++;
				note(o, "%s: ring %d crosses itself", who, j + 1);
			}
	}
	for (i = 0; i < nu; i++)
		if (!m->taken[i]) {
			rep->missing++;
			note(o, "%s %s: no boundary in the file", u[i].code, u[i].name);
		}
	return 0;
}

int boundary_import(struct db *db, const struct audit_actor *who, const struct geo_layer *l,
		    const struct boundary_opts *o, const char *source, struct boundary_report *rep, char *err,
		    size_t errlen)
{
	struct arena *a = arena_new(64u << 20);
	struct boundary_unit *u = NULL;
	struct matching m = { 0 };
	char detail[300];
	int level = o->level, nu, rc = -1;

	memset(rep, 0, sizeof(*rep));
	rep->features = l->n;
	err[0] = '\0';
	if (a == NULL) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	if (level < 0 && (level = detect_level(l, err, errlen)) < 0) {
		arena_free(a);
		return 1;
	}
	rep->level = level;
	if (db_begin(db) != DB_OK) {
		seterr(err, errlen, "%s", db_errmsg(db));
		arena_free(a);
		return -1;
	}
	if ((nu = load_units(db, a, (enum topo_level)level, &u)) < 0) {
		seterr(err, errlen, "reading the register: %s", db_errmsg(db));
		goto done;
	}
	m.in = arena_zalloc(a, sizeof(*m.in) * ((size_t)l->n + 1));
	m.source = arena_zalloc(a, sizeof(*m.source) * ((size_t)l->n + 1));
	m.taken = arena_zalloc(a, (size_t)nu + 1);
	m.taker = arena_zalloc(a, sizeof(int) * ((size_t)nu + 1));
	if (m.in == NULL || m.source == NULL || m.taken == NULL || m.taker == NULL) {
		seterr(err, errlen, "out of memory");
		goto done;
	}
	match_all(l, u, nu, level, o, &m, rep);
	if (nu == 0) {
		seterr(err, errlen, "the register has no open %s; import it first (razem import teryt)", level_names[level]);
		rc = 1;
	} else if (m.n == 0) {
		seterr(err, errlen, "no feature matches a %s of the register", level_names[level]);
		rc = 1;
	} else if (o->strict && rep->skipped > 0) {
		seterr(err, errlen, "%d features match no unit (--strict)", rep->skipped);
		rc = 1;
	} else {
		rc = boundary_store(db, level, 0, m.in, m.n, m.source, rep, err, errlen);
	}
	if (rc == 0)
		rep->imported = m.n;
done:
	snprintf(detail, sizeof(detail), "%s: %s, %d features: %d imported (%d by 6 digits), %d skipped, %d arcs",
		 source != NULL ? source : "-", level_names[level], rep->features, rep->imported, rep->by_prefix,
		 rep->skipped, rep->arcs);
	if (audit_commit(db, who, rc, "territory.boundaries", "boundary_shape", 0, detail) != rc && rc == 0) {
		seterr(err, errlen, "saving the boundaries: %s", db_errmsg(db));
		rc = -1;
	}
	arena_free(a);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Reading back                                                        */

int boundary_count(struct db *db, enum topo_level level)
{
	int64_t n = 0;

	return db_get_int(db, &n, &SQL_BND_COUNT, "i", (int64_t)level) < 0 ? -1 : (int)n;
}

/* decode_rings() turns a rings blob into s's rings, noting each arc id needed in need (grown). */
static int decode_rings(struct arena *a, const unsigned char *p, size_t len, struct topo_shape *s)
{
	size_t at = 0;
	int n = 0, i, k;

	while (at + 4 <= len) {
		uint32_t h = (uint32_t)get32(p + at);

		at += 4 + 4 * (size_t)(h & 0x7fffffffu);
		n++;
	}
	if (at != len)
		return -1;
	s->nrings = n;
	s->rings = arena_alloc(a, sizeof(*s->rings) * (size_t)(n + 1));
	s->outer = arena_alloc(a, (size_t)n + 1);
	if (s->rings == NULL || s->outer == NULL)
		return -1;
	for (at = 0, i = 0; i < n; i++) {
		uint32_t h = (uint32_t)get32(p + at);

		at += 4;
		s->outer[i] = !(h & 0x80000000u);
		s->rings[i].n = (int)(h & 0x7fffffffu);
		if ((s->rings[i].arcs = arena_alloc(a, sizeof(int) * ((size_t)s->rings[i].n + 1))) == NULL)
			return -1;
		for (k = 0; k < s->rings[i].n; k++, at += 4)
			s->rings[i].arcs[k] = get32(p + at);
	}
	return 0;
}

struct loading {
	struct topo_shape *v;
	int n, cap, maxid;
};

static int load_shapes(struct db *db, struct arena *a, int level, const char *lo, const char *hi,
		       struct loading *L)
{
	struct db_stmt *st = lo[0] == '\0' ? db_query(db, &SQL_BND_SHAPES_ALL, "i", (int64_t)level)
					    : db_query(db, &SQL_BND_SHAPES, "itt", (int64_t)level, lo, hi);
	int rc, i, k;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct topo_shape *s;
		const unsigned char *blob;
		size_t len;

		if (L->n == L->cap) {
			int cap = L->cap ? L->cap * 2 : 64;
			struct topo_shape *w = arena_alloc(a, sizeof(*w) * (size_t)cap);

			if (w == NULL) {
				rc = DB_ERROR;
				break;
			}
			if (L->n > 0)
				memcpy(w, L->v, sizeof(*w) * (size_t)L->n);
			L->v = w;
			L->cap = cap;
		}
		s = &L->v[L->n];
		memset(s, 0, sizeof(*s));
		s->code = arena_strdup(a, db_col_text(st, 0));
		s->name = arena_strdup(a, db_col_text(st, 1));
		blob = db_col_blob(st, 2, &len);
		if (s->code == NULL || s->name == NULL || decode_rings(a, blob, len, s) != 0) {
			rc = DB_ERROR;
			break;
		}
		s->label.x = db_col_double(st, 3);
		s->label.y = db_col_double(st, 4);
		for (k = 0; k < 4; k++)
			s->bbox[k] = db_col_double(st, 5 + k);
		for (i = 0; i < s->nrings; i++)
			for (k = 0; k < s->rings[i].n; k++) {
				int id = s->rings[i].arcs[k] < 0 ? ~s->rings[i].arcs[k] : s->rings[i].arcs[k];

				if (id > L->maxid)
					L->maxid = id;
			}
		L->n++;
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

static int load_arcs(struct arena *a, struct db_stmt *st, int *map, int maxid, struct topo *out)
{
	int rc, k;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		const unsigned char *p;
		struct topo_arc *arc;
		size_t len;

		if (id < 0 || id > maxid || map[id] != -2)
			continue; /* no loaded shape uses it */
		p = db_col_blob(st, 1, &len);
		arc = &out->arcs[out->narcs];
		arc->n = (int)(len / 8);
		if (arc->n < 2 || (arc->pts = arena_alloc(a, sizeof(*arc->pts) * (size_t)arc->n)) == NULL) {
			rc = DB_ERROR;
			break;
		}
		for (k = 0; k < arc->n; k++) {
			arc->pts[k].x = get32(p + 8 * k) / TP_QUANT;
			arc->pts[k].y = get32(p + 8 * k + 4) / TP_QUANT;
		}
		map[id] = out->narcs++;
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

int boundary_load(struct db *db, struct arena *a, enum topo_level level, const char *within,
		  enum topo_scale scale, struct topo *out)
{
	struct loading L = { 0 };
	char lo[16], hi[16];
	int arc_level = level == TOPO_LEVEL_COUNTRY ? TOPO_LEVEL_VOIVODESHIP : (int)level, *map, need = 0, i, k;
	size_t wl = within != NULL ? strlen(within) : 0;
	struct db_stmt *st;

	memset(out, 0, sizeof(*out));
	if ((unsigned)level >= TOPO_LEVEL__MAX || (unsigned)scale >= TOPO_SCALE__MAX)
		return -1;
	if (level == TOPO_LEVEL_COUNTRY || wl > 7 || strspn(within != NULL ? within : "", "0123456789") != wl)
		wl = 0;
	snprintf(lo, sizeof(lo), "%.*s", (int)wl, wl > 0 ? within : "");
	snprintf(hi, sizeof(hi), "%s", lo);
	for (i = (int)wl - 1; i >= 0 && hi[i] == '9'; i--)
		hi[i] = '0';
	if (i >= 0)
		hi[i]++;
	else
		snprintf(hi, sizeof(hi), "99999999"); /* "99": every code from lo on starts with it */
	if (load_shapes(db, a, level, lo, hi, &L) != 0)
		return -1;
	if (L.n == 0)
		return 0;
	if ((map = arena_alloc(a, sizeof(int) * ((size_t)L.maxid + 1))) == NULL)
		return -1;
	for (i = 0; i <= L.maxid; i++)
		map[i] = -1;
	for (i = 0; i < L.n; i++)
		for (k = 0; k < L.v[i].nrings; k++) {
			int j;

			for (j = 0; j < L.v[i].rings[k].n; j++) {
				int id = L.v[i].rings[k].arcs[j] < 0 ? ~L.v[i].rings[k].arcs[j] : L.v[i].rings[k].arcs[j];

				if (map[id] == -1) {
					map[id] = -2;
					need++;
				}
			}
		}
	if ((out->arcs = arena_alloc(a, sizeof(*out->arcs) * ((size_t)need + 1))) == NULL)
		return -1;
	if (wl == 0)
		st = db_query(db, &SQL_BND_ARCS_ALL[scale], "i", (int64_t)arc_level);
	else
		st = db_query(db, &SQL_BND_ARCS_WITHIN[scale], "iitt", (int64_t)arc_level, (int64_t)level, lo, hi);
	if (load_arcs(a, st, map, L.maxid, out) != 0 || out->narcs != need)
		return -1;
	out->bbox[0] = out->bbox[1] = INFINITY;
	out->bbox[2] = out->bbox[3] = -INFINITY;
	for (i = 0; i < L.n; i++) {
		for (k = 0; k < L.v[i].nrings; k++) {
			int j;

			for (j = 0; j < L.v[i].rings[k].n; j++) {
				int ref = L.v[i].rings[k].arcs[j];

				L.v[i].rings[k].arcs[j] = ref < 0 ? ~map[~ref] : map[ref];
			}
		}
		out->bbox[0] = fmin(out->bbox[0], L.v[i].bbox[0]);
		out->bbox[1] = fmin(out->bbox[1], L.v[i].bbox[1]);
		out->bbox[2] = fmax(out->bbox[2], L.v[i].bbox[2]);
		out->bbox[3] = fmax(out->bbox[3], L.v[i].bbox[3]);
	}
	out->shapes = L.v;
	out->nshapes = L.n;
	return L.n;
}

int boundary_neighbours(struct db *db, struct arena *a, const char *code, struct territory_unit **out)
{
	int level = boundary_level_of_code(code), n = 0, cap = 16, rc;
	struct territory_unit *v = arena_alloc(a, sizeof(*v) * (size_t)cap);
	struct db_stmt *st;

	*out = v;
	if (level < 0 || strlen(code) == 6)
		return 0;
	if (v == NULL || (st = db_query(db, &SQL_BND_NEIGHBOURS, "it", (int64_t)level, code)) == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct territory_unit *u;
		const char *parent = db_col_text(st, 3), *from = db_col_text(st, 5), *to = db_col_text(st, 6);
		int kind = unit_kind_parse(db_col_text(st, 2));

		if (n == cap) {
			struct territory_unit *w = arena_alloc(a, sizeof(*w) * (size_t)cap * 2);

			if (w == NULL) {
				rc = DB_ERROR;
				break;
			}
			memcpy(w, v, sizeof(*v) * (size_t)n);
			v = w;
			cap *= 2;
		}
		u = &v[n++];
		u->code = arena_strdup(a, db_col_text(st, 0));
		u->name = arena_strdup(a, db_col_text(st, 1));
		u->kind = kind < 0 ? UNIT_RURAL : (enum unit_kind)kind;
		u->parent_code = parent != NULL ? arena_strdup(a, parent) : NULL;
		u->fictional = (int)db_col_int(st, 4);
		u->valid_from = from != NULL ? arena_strdup(a, from) : NULL;
		u->valid_to = to != NULL ? arena_strdup(a, to) : NULL;
	}
	db_reset(st);
	*out = v;
	return rc == DB_DONE ? n : -1;
}
