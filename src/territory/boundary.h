/*
 * boundary.h — official boundaries of territorial units: import, storage
 * as shared arcs (topo.h), neighbours, the demo county's boundaries.
 *
 * Matching a file's features to units of the register (docs/BOUNDARIES.md):
 * a voivodeship or powiat by its exact code among the open units of that
 * level; a gmina by its exact 7-character code among the open gminas
 * (RODZ 1, 2, 3), else by its first 6 characters when they name exactly
 * one open gmina (a boundary file older or newer than the register whose
 * gmina changed its kind digit, or a 6-digit code without the digit).
 * Anything else is reported by feature and name: a code no unit has, a
 * 6-digit prefix naming several gminas, two features for one unit; such
 * features are not imported (--strict refuses the whole file instead).
 *
 * The import is one transaction with its territory.boundaries audit row:
 * it replaces the level's boundaries (a failure leaves the previous ones).
 */
#ifndef RAZEM_TERRITORY_BOUNDARY_H
#define RAZEM_TERRITORY_BOUNDARY_H

#include "audit/audit.h"
#include "core/arena.h"
#include "db/db.h"
#include "territory/geofile.h"
#include "territory/territory.h"
#include "territory/topo.h"

/* How a feature's code found its unit. */
enum boundary_match {
	BOUNDARY_EXACT,     /* the same code */
	BOUNDARY_PREFIX,    /* the 6-digit prefix named one gmina */
	BOUNDARY_UNKNOWN,   /* no unit */
	BOUNDARY_AMBIGUOUS, /* several gminas share the 6-digit prefix */
	BOUNDARY_REPEATED,  /* an earlier feature already took the unit */
};

/* A unit of the register as the matcher sees it. */
struct boundary_unit {
	const char *code;
	const char *name;
	enum unit_kind kind;
};

/*
 * boundary_match_code() finds the unit for code among units (sorted by
 * code, open units of the level only), setting *which to its index.
 * Pure: the rule above without the repetition check.
 */
enum boundary_match boundary_match_code(const struct boundary_unit *units, int n, enum topo_level level,
					const char *code, int *which);

/* boundary_level_parse() maps "voivodeship", "powiat", "gmina" to their level; -1 otherwise. */
int boundary_level_parse(const char *s);
/* boundary_level_name() is "voivodeship", "powiat", "gmina" or "country". */
const char *boundary_level_name(enum topo_level level);
/* boundary_level_of_code() is the level of a code by its length (2, 4, 6 or 7); -1 otherwise. */
int boundary_level_of_code(const char *code);

/* What an import did. */
struct boundary_report {
	int level;          /* enum topo_level imported */
	int features;       /* in the file */
	int imported;       /* shapes stored */
	int by_prefix;      /* of them matched by their 6-digit prefix */
	int skipped;        /* features not matched (each reported) */
	int crossing;       /* rings that cross themselves (each reported) */
	int missing;        /* open units of the level without a boundary */
	int arcs;           /* arcs stored */
	long points[TOPO_SCALE__MAX]; /* points of all arcs at each scale */
};

/* Called for each message of an import: a skipped feature, a crossing ring, a unit without a boundary. */
typedef void (*boundary_note_fn)(void *arg, const char *msg);

struct boundary_opts {
	int level;          /* enum topo_level, or -1 to take it from the codes */
	int strict;         /* 1: any unmatched feature refuses the file */
	boundary_note_fn note;
	void *note_arg;
};

/*
 * boundary_import() matches the features of l to the register, builds the
 * topology, simplifies it and stores it, replacing the level's
 * boundaries. Returns 0 when imported; 1 when refused (err says why;
 * nothing changed); -1 on a database error (err says which).
 */
int boundary_import(struct db *db, const struct audit_actor *who, const struct geo_layer *l,
		    const struct boundary_opts *o, const char *source, struct boundary_report *rep, char *err,
		    size_t errlen);

/*
 * boundary_store() builds the topology of in (n units of level, see
 * topology.h), simplifies it and stores it in the caller's transaction,
 * replacing the level's boundaries of the same fictional flag (the
 * importer and the demo). source[i] is the file's code of in[i] when it
 * differs, or NULL (source itself may be NULL). Returns 0, 1 when the
 * geometry is refused (err), -1 on a database error.
 */
struct tp_input;
int boundary_store(struct db *db, int level, int fictional, const struct tp_input *in, int n,
		   const char *const *source, struct boundary_report *rep, char *err, size_t errlen);

/*
 * boundary_neighbours() reads the units of code's level that share a
 * border (an arc) with it, ordered by name, into arena memory. Returns
 * the count (0 also when no boundaries are stored) or -1.
 */
int boundary_neighbours(struct db *db, struct arena *a, const char *code, struct territory_unit **out);

/* boundary_count() is the number of shapes stored for level, or -1. */
int boundary_count(struct db *db, enum topo_level level);

/*
 * boundary_demo() generates and stores the demo county's boundaries:
 * its gminas as a Voronoi partition of seed points inside a jittered
 * outline, the powiat and the voivodeship as their union, all through
 * the importer's topology and storage (fictional). Runs inside the
 * caller's transaction. Returns 0 or -1 with err set.
 */
int boundary_demo(struct db *db, char *err, size_t errlen);

#endif
