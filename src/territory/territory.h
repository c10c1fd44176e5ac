/*
 * territory.h — territorial units of the TERYT TERC register.
 *
 * Units are keyed by their TERC code: 2 characters for a voivodeship, 4 for
 * a powiat, 7 for a gmina or a part of one (WWPPGGR); a unit's parent code
 * is a prefix of its own. This module owns the territory_unit table.
 */
#ifndef RAZEM_TERRITORY_TERRITORY_H
#define RAZEM_TERRITORY_TERRITORY_H

#include "core/arena.h"
#include "db/db.h"

enum unit_kind {
	UNIT_VOIVODESHIP, /* województwo */
	UNIT_POWIAT,      /* powiat */
	UNIT_CITY_POWIAT, /* miasto na prawach powiatu */
	UNIT_URBAN,       /* gmina miejska (RODZ 1) */
	UNIT_RURAL,       /* gmina wiejska (RODZ 2) */
	UNIT_URBAN_RURAL, /* gmina miejsko-wiejska (RODZ 3) */
	UNIT_TOWN_PART,   /* miasto w gminie miejsko-wiejskiej (RODZ 4) */
	UNIT_RURAL_PART,  /* obszar wiejski w gminie miejsko-wiejskiej (RODZ 5) */
	UNIT_DISTRICT,    /* dzielnica m.st. Warszawy (RODZ 8) */
	UNIT_DELEGATION,  /* delegatura (RODZ 9) */
	UNIT__MAX
};

struct territory_unit {
	const char *code;        /* TERC code */
	const char *name;        /* official name */
	enum unit_kind kind;     /* kind of unit */
	const char *parent_code; /* enclosing unit, NULL for a voivodeship */
	int fictional;           /* 1 for demo units that do not exist */
	const char *valid_from;  /* STAN_NA of the register that opened it, or NULL */
	const char *valid_to;    /* STAN_NA of the register that closed it; NULL while open */
};

const char *unit_kind_code(enum unit_kind k);
int unit_kind_parse(const char *code);
const char *unit_kind_label(enum unit_kind k);

/*
 * territory_put() inserts or updates a unit. Returns DB_OK or an error
 * (DB_CONSTRAINT when the parent does not exist).
 */
int territory_put(struct db *db, const struct territory_unit *u);

/*
 * territory_get() reads one unit into arena memory. Returns 0 when found,
 * 1 when there is no such unit, -1 on a database error.
 */
int territory_get(struct db *db, struct arena *a, const char *code, struct territory_unit *out);

/*
 * territory_voivodeships() reads the open voivodeships ordered by code.
 * Returns the count or -1.
 */
int territory_voivodeships(struct db *db, struct arena *a, struct territory_unit **out);

/* territory_count() is the number of units in the register, or -1 on error. */
int64_t territory_count(struct db *db);

/*
 * territory_children() reads the open units whose parent is code (gminas
 * of a powiat, ...), ordered by code, into an arena array. Returns the count,
 * or -1 on error.
 */
int territory_children(struct db *db, struct arena *a, const char *code,
		       struct territory_unit **out);

/*
 * territory_gminas() reads every open unit with a 7-character code (gminas
 * and their parts) ordered by name — for pickers. Returns the count or -1.
 */
int territory_gminas(struct db *db, struct arena *a, struct territory_unit **out);

/*
 * territory_find_gmina() finds the units with a 7-character code (gminas
 * and their parts) called text, up to case and diacritics, or whose label
 * "Name (kind)" is text (the pickers' wording, to tell apart an urban and
 * a rural gmina of one name). Stores up to max of them in out (arena
 * memory); returns how many matched, possibly more than max, or -1.
 */
int territory_find_gmina(struct db *db, struct arena *a, const char *text, struct territory_unit *out,
			 int max);

/*
 * territory_format() writes "Name (kind, powiat Parent)" in arena memory
 * from the parts as stored: kind codes ("rural", "powiat"); parent_name
 * and parent_kind may be NULL; an unknown kind gives the name alone.
 */
const char *territory_format(struct arena *a, const char *name, const char *kind,
			     const char *parent_name, const char *parent_kind);

/*
 * territory_describe() writes "Name (gmina wiejska, powiat X)"-style text
 * for code, or NULL when unknown.
 */
const char *territory_describe(struct db *db, struct arena *a, const char *code);

#endif
