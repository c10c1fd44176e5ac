/*
 * layer.h — what a map shows, computed from the database: a small table
 * of layers (a value per unit, or the institutions as points), the levels
 * and scales of the territorial hierarchy, matching codes to shapes, and
 * the generation counter that dates the data maps are drawn from.
 *
 * A new indicator is one row in map_layers[] (layer.c) with a values()
 * function; the pages and their cache pick it up from the table. Nothing
 * personal is shown: layers count institutions (public bodies and
 * organisations), never persons.
 */
#ifndef RAZEM_MAP_LAYER_H
#define RAZEM_MAP_LAYER_H

#include <stdint.h>

#include "db/db.h"
#include "map/map.h"
#include "territory/topo.h"

struct map_layer {
	const char *code;        /* in URLs: "institutions", "ops", "resources" */
	const char *label;       /* msgid: the layer's name in the form */
	const char *value_label; /* msgid: what a value is, for the legend and the table's header */
	const char *kind;        /* institutions of this kind only, or NULL for all */
	int points;              /* 1: draws the institutions as points, boundaries only beneath */
	/*
	 * values() fills v[i]/has[i] for each shape of t (level, within as
	 * loaded); NULL for a layer without values. Returns 0 or -1.
	 */
	int (*values)(struct db *db, struct arena *a, const struct map_layer *l, enum topo_level level,
		      const char *within, const struct topo *t, double *v, unsigned char *has);
};

/* The layers, ending with an entry whose code is NULL; the first is the boundaries alone. */
extern const struct map_layer map_layers[];

/* map_layer_find() is the layer with this code, or NULL. */
const struct map_layer *map_layer_find(const char *code);

/* Levels as URLs and the command line name them: "country", "voivodeship", "powiat", "gmina". */
int map_level_parse(const char *s);
const char *map_level_code(enum topo_level level);
/* map_level_label() is the plural, translated ("gminy"). */
const char *map_level_label(enum topo_level level);

/*
 * map_within_ok() is 1 when within (NULL/"" = the country, else 2 or 4
 * digits) can hold units of level: voivodeships only in the country,
 * powiats in the country or a voivodeship, gminas in any of them.
 */
int map_within_ok(enum topo_level level, const char *within);

/* map_scale_for() is the display scale for units of level within an area. */
enum topo_scale map_scale_for(enum topo_level level, const char *within);

/*
 * map_index() maps TERC codes to shapes of t: codes are compared on the
 * level's length (2, 4; 6 for gminas, so a gmina's parts and kind digit
 * fall to the gmina). map_index_find() is the shape of code, or -1.
 */
struct map_index;
struct map_index *map_index_new(struct arena *a, const struct topo *t, enum topo_level level);
int map_index_find(const struct map_index *ix, const char *code);

/*
 * map_institution_points() reads the active institutions within (prefix)
 * as points of the resource layer: placed by their position when known,
 * else at the label point of their gmina (read with boundary_load), with
 * one kind per institution kind. Returns the number of points, or -1.
 */
int map_institution_points(struct db *db, struct arena *a, const char *within, struct map_point **pts,
			   struct map_point_kind **kinds, int *nkinds);

/*
 * map_generation() reads the counter of changes to the data maps are
 * drawn from (institutions, units, boundaries: bumped by triggers of
 * migration 0009 and by map_data_changed()). 0, or -1 on error.
 */
int map_generation(struct db *db, int64_t *out);

/* map_data_changed() bumps the counter: the boundary importer calls it after storing. 0 or -1. */
int map_data_changed(struct db *db);

#endif
