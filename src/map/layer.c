/*
 * layer.c — the layers of the maps and the data they are drawn from.
 */
#include "map/layer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "registry/institution.h"

static int count_institutions(struct db *db, struct arena *a, const struct map_layer *l, enum topo_level level,
			      const char *within, const struct topo *t, double *v, unsigned char *has);

const struct map_layer map_layers[] = {
	{ "boundaries", N_("Boundaries only"), NULL, NULL, 0, NULL },
	{ "institutions", N_("Institutions: number of all kinds"), N_("Number of institutions"), NULL, 0,
	  count_institutions },
	{ "ops", N_("Social assistance centres (OPS): number"), N_("Number of OPS"), "ops", 0, count_institutions },
	{ "pcpr", N_("County family support centres (PCPR): number"), N_("Number of PCPR"), "pcpr", 0,
	  count_institutions },
	{ "pup", N_("County labour offices (PUP): number"), N_("Number of PUP"), "pup", 0, count_institutions },
	{ "cis", N_("Social integration centres (CIS): number"), N_("Number of CIS"), "cis", 0,
	  count_institutions },
	{ "social_coop", N_("Social cooperatives: number"), N_("Number of social cooperatives"), "social_coop", 0,
	  count_institutions },
	{ "ngo", N_("Non-governmental organisations: number"), N_("Number of NGOs"), "ngo", 0,
	  count_institutions },
	{ "resources", N_("Local resources: institutions as points"), NULL, NULL, 1, NULL },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

const struct map_layer *map_layer_find(const char *code)
{
	int i;

	for (i = 0; code != NULL && map_layers[i].code != NULL; i++)
		if (strcmp(map_layers[i].code, code) == 0)
			return &map_layers[i];
	return NULL;
}

static const char *const level_codes[TOPO_LEVEL__MAX] = { "country", "voivodeship", "powiat", "gmina" };
static const char *const level_labels[TOPO_LEVEL__MAX] = { N_("Poland"), N_("voivodeships"), N_("powiats"),
							   N_("gminas") };

int map_level_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < TOPO_LEVEL__MAX; i++)
		if (strcmp(s, level_codes[i]) == 0)
			return i;
	return -1;
}

const char *map_level_code(enum topo_level level)
{
	return (unsigned)level < TOPO_LEVEL__MAX ? level_codes[level] : "";
}

const char *map_level_label(enum topo_level level)
{
	return (unsigned)level < TOPO_LEVEL__MAX ? _(level_labels[level]) : "";
}

static int digits(const char *s)
{
	size_t n = strlen(s);

	return strspn(s, "0123456789") == n ? (int)n : -1;
}

int map_within_ok(enum topo_level level, const char *within)
{
	int n = within == NULL ? 0 : digits(within);

	if ((unsigned)level >= TOPO_LEVEL__MAX || n < 0 || (n != 0 && n != 2 && n != 4))
		return 0;
	switch (level) {
	case TOPO_LEVEL_COUNTRY:
	case TOPO_LEVEL_VOIVODESHIP:
		return n == 0;
	case TOPO_LEVEL_POWIAT:
		return n <= 2;
	default:
		return 1;
	}
}

enum topo_scale map_scale_for(enum topo_level level, const char *within)
{
	size_t n = within == NULL ? 0 : strlen(within);

	if (level == TOPO_LEVEL_GMINA && n == 4)
		return TOPO_SCALE_COUNTY;
	if (n == 2)
		return TOPO_SCALE_REGION;
	return TOPO_SCALE_COUNTRY;
}

/* ------------------------------------------------------------------ */
/* Codes to shapes                                                     */
/* ------------------------------------------------------------------ */

struct map_index {
	const struct topo *t;
	size_t len; /* characters compared */
	int *order; /* shape indexes sorted by code */
};

static __thread const struct map_index *sorting;

static int by_code(const void *a, const void *b)
{
	const struct topo_shape *s = sorting->t->shapes;

	return strncmp(s[*(const int *)a].code, s[*(const int *)b].code, sorting->len);
}

struct map_index *map_index_new(struct arena *a, const struct topo *t, enum topo_level level)
{
	struct map_index *ix = arena_alloc(a, sizeof(*ix));
	int i;

	if (ix == NULL || (ix->order = arena_alloc(a, sizeof(int) * (size_t)(t->nshapes + 1))) == NULL)
		return NULL;
	ix->t = t;
	ix->len = level == TOPO_LEVEL_COUNTRY ? 0 : level == TOPO_LEVEL_VOIVODESHIP ? 2 : level == TOPO_LEVEL_POWIAT ? 4 : 6;
	for (i = 0; i < t->nshapes; i++)
		ix->order[i] = i;
	sorting = ix;
	qsort(ix->order, (size_t)t->nshapes, sizeof(int), by_code);
	sorting = NULL;
	return ix;
}

int map_index_find(const struct map_index *ix, const char *code)
{
	int lo = 0, hi = ix->t->nshapes - 1;

	if (code == NULL || strlen(code) < ix->len)
		return -1;
	if (ix->len == 0) /* the country: one shape */
		return ix->t->nshapes > 0 ? 0 : -1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strncmp(code, ix->t->shapes[ix->order[mid]].code, ix->len);

		if (c == 0)
			return ix->order[mid];
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* Layers' values                                                      */
/* ------------------------------------------------------------------ */

static int count_institutions(struct db *db, struct arena *a, const struct map_layer *l, enum topo_level level,
			      const char *within, const struct topo *t, double *v, unsigned char *has)
{
	struct institution_point *p;
	struct map_index *ix = map_index_new(a, t, level);
	int n = institution_points(db, a, within != NULL ? within : "", &p), i;

	if (n < 0 || ix == NULL)
		return -1;
	for (i = 0; i < t->nshapes; i++) {
		v[i] = 0; /* a unit without institutions has zero, which is data */
		has[i] = 1;
	}
	for (i = 0; i < n; i++) {
		int s;

		if (l->kind != NULL && strcmp(p[i].kind, l->kind) != 0)
			continue;
		s = map_index_find(ix, p[i].terc);
		if (s >= 0)
			v[s]++;
	}
	return 0;
}

int map_institution_points(struct db *db, struct arena *a, const char *within, struct map_point **pts,
			   struct map_point_kind **kinds, int *nkinds)
{
	struct institution_point *p;
	struct topo gminas;
	struct map_index *ix = NULL;
	int *slots = NULL, n, i, k, nk = 0, out = 0;

	n = institution_points(db, a, within != NULL ? within : "", &p);
	if (n < 0)
		return -1;
	while (institution_kinds[nk] != NULL)
		nk++;
	*kinds = arena_zalloc(a, sizeof(**kinds) * (size_t)nk);
	*pts = arena_zalloc(a, sizeof(**pts) * (size_t)(n + 1));
	if (*kinds == NULL || *pts == NULL)
		return -1;
	for (k = 0; k < nk; k++)
		(*kinds)[k].label = institution_kind_short(institution_kinds[k]);
	*nkinds = nk;
	if (n > 0 && boundary_load(db, a, TOPO_LEVEL_GMINA, within, TOPO_SCALE_COUNTRY, &gminas) > 0) {
		ix = map_index_new(a, &gminas, TOPO_LEVEL_GMINA);
		slots = arena_zalloc(a, sizeof(int) * (size_t)gminas.nshapes);
		if (ix == NULL || slots == NULL)
			return -1;
	}
	for (i = 0; i < n; i++) {
		struct map_point *m = &(*pts)[out];

		for (k = 0; k < nk && strcmp(institution_kinds[k], p[i].kind) != 0; k++)
			;
		m->kind = k < nk ? k : nk - 1;
		m->label = arena_printf(a, "%s (%s)", p[i].name, institution_kind_short(p[i].kind));
		if (p[i].has_position) {
			m->lon = p[i].longitude;
			m->lat = p[i].latitude;
		} else {
			int s = ix != NULL ? map_index_find(ix, p[i].terc) : -1;

			if (s < 0)
				continue; /* no gmina, or no boundary for it: listed, not drawn */
			m->lon = gminas.shapes[s].label.x;
			m->lat = gminas.shapes[s].label.y;
			m->slot = slots[s]++;
		}
		if (m->label == NULL)
			return -1;
		out++;
	}
	return out;
}

/* ------------------------------------------------------------------ */
/* Generation                                                          */
/* ------------------------------------------------------------------ */

static const struct db_sql SQL_MAP_GENERATION = DB_SQL("SELECT COALESCE(MAX(generation), 0) FROM map_generation");
static const struct db_sql SQL_MAP_BUMP =
	DB_SQL("INSERT INTO map_generation (id, generation) VALUES (1, 1) "
	       "ON CONFLICT (id) DO UPDATE SET generation = map_generation.generation + 1");

int map_generation(struct db *db, int64_t *out)
{
	return db_get_int(db, out, &SQL_MAP_GENERATION, NULL) == DB_ROW ? 0 : -1;
}

int map_data_changed(struct db *db)
{
	return db_run(db, &SQL_MAP_BUMP, NULL) == DB_OK ? 0 : -1;
}
