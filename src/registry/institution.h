/*
 * institution.h — institutions taking part in the cooperation: social
 * assistance centres, labour offices and their partners.
 *
 * Every user and, later, every record of personal data belongs to one
 * institution. This module owns the institution table and its rules:
 * REGON, NIP, postcode and TERC code are validated with core/ident and
 * REGON is unique.
 */
#ifndef RAZEM_REGISTRY_INSTITUTION_H
#define RAZEM_REGISTRY_INSTITUTION_H

#include <stdint.h>

#include "core/arena.h"
#include "core/verr.h"
#include "db/db.h"
#include "db/list.h"

struct institution {
	int64_t id;             /* 0 before creation */
	const char *kind;       /* code from institution_kinds */
	const char *name;       /* full name */
	const char *regon;      /* 9 or 14 digits, or NULL */
	const char *nip;        /* 10 digits (normalised), or NULL */
	const char *street;     /* street and number */
	const char *postcode;   /* NN-NNN */
	const char *city;       /* locality */
	const char *terc;       /* TERC code of the gmina (7 characters) */
	const char *phone;      /* contact phone */
	const char *email;      /* contact e-mail */
	const char *website;    /* http(s) address */
	const char *latitude;   /* WGS84 degrees as text ("52.2297"), or NULL: both or neither */
	const char *longitude;
	int active;             /* 0 once deactivated */
	const char *created_at; /* UTC timestamps */
	const char *updated_at;
	const char *terc_text;  /* read only: the gmina of terc described, or NULL if unknown */
};

/* Kind codes (NULL-terminated) and their translated labels. */
extern const char *const institution_kinds[];
const char *institution_kind_label(const char *code);
const char *institution_kind_short(const char *code);

/*
 * institution_validate() checks every field and normalises in place (NIP
 * without dashes, empty strings to NULL), allocating from a. Adds errors
 * for the fields at fault to v; returns the number added.
 */
int institution_validate(struct institution *in, struct arena *a, struct verrs *v);

/*
 * institution_resolve_gmina() lets the gmina field (in->terc) hold the
 * gmina's name instead of its code: a name (any letter in it) that one
 * unit of the TERYT register has, up to case and diacritics, is replaced
 * by its code; a name several units have (an urban and a rural gmina of
 * one name) or none gets an error in v naming the candidates with their
 * kinds and codes. A code is left for institution_validate(). Call it
 * before institution_validate(). Returns the number of errors added, or
 * -1 on a database error.
 */
int institution_resolve_gmina(struct db *db, struct arena *a, struct institution *in, struct verrs *v);

/*
 * institution_check_terc() adds an error for in->terc (already validated
 * in form) when the TERYT register holds units but not this gmina. An
 * empty register (a new database before its TERYT import) accepts any
 * well-formed code. Returns the number of errors added, or -1 on error.
 */
int institution_check_terc(struct db *db, struct arena *a, const struct institution *in,
			   struct verrs *v);

/*
 * institution_create() inserts a validated institution; sets *id. Returns
 * 0, 1 when refused with an error in v (REGON already used, or the same
 * name already registered in the same gmina), -1 on a
 * database error. Call inside a transaction: a unique index refusing the
 * row (a concurrent create of the same institution) is rolled back to a
 * savepoint and reported as the same field error.
 */
int institution_create(struct db *db, struct arena *a, const struct institution *in, int64_t *id,
		       struct verrs *v);

/* institution_update() saves all fields of in (by in->id); results as create. */
int institution_update(struct db *db, struct arena *a, const struct institution *in,
		       struct verrs *v);

/*
 * institution_get() reads one institution into arena memory. Returns 0,
 * 1 when there is none with that id, -1 on error.
 */
int institution_get(struct db *db, struct arena *a, int64_t id, struct institution *out);

/* institution_set_active() activates or deactivates; 0, 1 if not found, -1 on error. */
int institution_set_active(struct db *db, int64_t id, int active);

/* An entry for pickers. */
struct institution_option {
	int64_t id;
	const char *name;
	const char *kind;
	const char *gmina;      /* name of its TERC unit, NULL if unknown */
	int active;
};

/* institution_options() lists all institutions by name; returns the count or -1. */
int institution_options(struct db *db, struct arena *a, struct institution_option **out);

/*
 * institution_in_unit() lists, by name, up to max institutions whose TERC
 * code starts with prefix (a unit's code: its gmina, powiat or
 * voivodeship; 6 digits for an urban-rural gmina and its parts). Returns
 * the count or -1.
 */
int institution_in_unit(struct db *db, struct arena *a, const char *prefix, int max,
			struct institution_option **out);

/*
 * An institution as a point of the resource map: its gmina and, when
 * known, its position (has_position 0: draw it at its gmina).
 */
struct institution_point {
	int64_t id;
	const char *name;
	const char *kind;
	const char *terc;      /* may be NULL */
	int has_position;
	double latitude, longitude;
};

/*
 * institution_points() reads the active institutions whose TERC code
 * starts with prefix ("" = all), ordered by name, into arena memory.
 * Returns the count or -1.
 */
int institution_points(struct db *db, struct arena *a, const char *prefix, struct institution_point **out);

/* institution_count() counts institutions, active only when active_only. -1 on error. */
int64_t institution_count(struct db *db, int active_only);

/* The list of institutions for browsing, exports and the API. */
extern const struct list_def institution_list;
enum institution_col { INST_COL_NAME, INST_COL_KIND, INST_COL_CITY, INST_COL_GMINA, INST_COL_TERC,
	INST_COL_REGON, INST_COL_NIP, INST_COL_PHONE, INST_COL_EMAIL, INST_COL_ACTIVE,
	INST_COL__MAX };

#endif
