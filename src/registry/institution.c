/*
 * institution.c — the institution table: validation, changes, reads and
 * the list definition.
 */
#include "registry/institution.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/i18n.h"
#include "core/ident.h"
#include "core/str.h"
#include "registry/check.h"
#include "territory/territory.h"

/* Statements */
static const struct db_sql SQL_INSTITUTION_SAME_NAME =
	DB_SQL("SELECT id FROM institution WHERE name_fold = ? AND COALESCE(terc, '') = ? "
	       "AND id <> ? LIMIT 1");
static const struct db_sql SQL_INSTITUTION_INSERT =
	DB_SQL("INSERT INTO institution (kind, name, name_fold, regon, nip, street, "
	       "postcode, city, terc, phone, email, website, updated_at, city_fold, created_at, "
	       "active, latitude, longitude) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) "
	       "RETURNING id");
static const struct db_sql SQL_INSTITUTION_EXISTS =
	DB_SQL("SELECT COUNT(*) FROM institution WHERE id = ?");
static const struct db_sql SQL_INSTITUTION_UPDATE =
	DB_SQL("UPDATE institution SET kind = ?, name = ?, name_fold = ?, regon = ?, "
	       "nip = ?, street = ?, postcode = ?, city = ?, terc = ?, phone = ?, "
	       "email = ?, website = ?, updated_at = ?, city_fold = ?, latitude = ?, longitude = ? "
	       "WHERE id = ? RETURNING id");
static const struct db_sql SQL_INSTITUTION_GET =
	DB_SQL("SELECT i.id, i.kind, i.name, i.regon, i.nip, i.street, i.postcode, "
	       "i.city, i.terc, i.phone, i.email, i.website, i.active, i.created_at, "
	       "i.updated_at, t.name, t.kind, p.name, p.kind, i.latitude, i.longitude FROM institution i "
	       "LEFT JOIN territory_unit t ON t.code = i.terc "
	       "LEFT JOIN territory_unit p ON p.code = t.parent_code WHERE i.id = ?");
static const struct db_sql SQL_INSTITUTION_SET_ACTIVE =
	DB_SQL("UPDATE institution SET active = ?, updated_at = ? WHERE id = ? RETURNING id");
static const struct db_sql SQL_INSTITUTION_COUNT = DB_SQL("SELECT COUNT(*) FROM institution");
static const struct db_sql SQL_INSTITUTION_COUNT_ACTIVE =
	DB_SQL("SELECT COUNT(*) FROM institution WHERE active = 1");
static const struct db_sql SQL_INSTITUTION_OPTIONS =
	DB_SQL("SELECT i.id, i.name, i.kind, i.active, t.name FROM institution i "
	       "LEFT JOIN territory_unit t ON t.code = i.terc ORDER BY i.name_fold, i.id");

const char *const institution_kinds[] = {
	"ops", "mops", "pcpr", "pup", "cis", "kis", "social_coop", "ngo", "wtz", "zaz", "dps",
	"sds", "shelter", "court", "police", "school", "other", NULL,
};

struct kind_name {
	const char *label; /* full name (msgid) */
	const char *abbr;  /* abbreviation used in the field (msgid) */
};

static const struct kind_name kind_names[] = {
	{ N_("Social assistance centre (OPS/GOPS)"), N_("OPS") },
	{ N_("Municipal social assistance centre (MOPS/MOPR)"), N_("MOPS") },
	{ N_("County family support centre (PCPR)"), N_("PCPR") },
	{ N_("County labour office (PUP)"), N_("PUP") },
	{ N_("Social integration centre (CIS)"), N_("CIS") },
	{ N_("Social integration club (KIS)"), N_("KIS") },
	{ N_("Social cooperative"), N_("Social cooperative") },
	{ N_("Non-governmental organisation"), N_("NGO") },
	{ N_("Occupational therapy workshop (WTZ)"), N_("WTZ") },
	{ N_("Vocational activity enterprise (ZAZ)"), N_("ZAZ") },
	{ N_("Residential care home (DPS)"), N_("DPS") },
	{ N_("Community self-help home (ŚDS)"), N_("ŚDS") },
	{ N_("Shelter for homeless persons"), N_("Shelter") },
	{ N_("Court / probation officers"), N_("Court") },
	{ N_("Police"), N_("Police") },
	{ N_("School"), N_("School") },
	{ N_("Other"), N_("Other") },
};

static int kind_index(const char *code)
{
	int i;

	for (i = 0; code != NULL && institution_kinds[i] != NULL; i++)
		if (strcmp(institution_kinds[i], code) == 0)
			return i;
	return -1;
}

const char *institution_kind_label(const char *code)
{
	int i = kind_index(code);

	return i >= 0 ? _(kind_names[i].label) : (code != NULL ? code : "");
}

const char *institution_kind_short(const char *code)
{
	int i = kind_index(code);

	return i >= 0 ? _(kind_names[i].abbr) : (code != NULL ? code : "");
}

/* ------------------------------------------------------------------ */
/* Validation                                                          */
/* ------------------------------------------------------------------ */

static void check_ident(struct verrs *v, const char *field, int rc, const struct ident_error *e)
{
	char msg[256];

	if (rc != 0)
		verrs_add(v, field, "invalid", "%s", ident_message(e, msg, sizeof(msg)));
}

/*
 * check_position() reads latitude and longitude (a decimal point or
 * comma) within a box a little larger than Poland (49.0–55.0 N, 14.0–24.2
 * E: a position outside is a typo or swapped fields) and writes them back
 * normalised; both or neither.
 */
static void check_position(struct institution *in, struct arena *a, struct verrs *v)
{
	static const struct {
		const char *field;
		double lo, hi;
	} box[2] = { { "latitude", 49.0, 55.0 }, { "longitude", 14.0, 24.2 } };
	const char **val[2] = { &in->latitude, &in->longitude };
	int i;

	if ((in->latitude == NULL) != (in->longitude == NULL)) {
		verrs_add(v, in->latitude == NULL ? "latitude" : "longitude", "required", "%s",
			  _("Give both the latitude and the longitude, or neither."));
		return;
	}
	for (i = 0; i < 2 && in->latitude != NULL; i++) {
		char tmp[32], *end, *c;
		double d;

		if (strlen(*val[i]) >= sizeof(tmp)) {
			verrs_add(v, box[i].field, "invalid", "%s", _("Enter the degrees as a number, e.g. 52,2297."));
			continue;
		}
		snprintf(tmp, sizeof(tmp), "%s", *val[i]);
		if ((c = strchr(tmp, ',')) != NULL)
			*c = '.';
		d = strtod(tmp, &end);
		if (end == tmp || *end != '\0' || tmp[0] == ' ' || !(d == d)) {
			verrs_add(v, box[i].field, "invalid", "%s", _("Enter the degrees as a number, e.g. 52,2297."));
			continue;
		}
		if (d < box[i].lo || d > box[i].hi) {
			verrs_add(v, box[i].field, "range", "%s",
				  i == 0 ? _("The latitude of a place in Poland lies between 49 and 55 degrees.")
					 : _("The longitude of a place in Poland lies between 14 and 24.2 degrees."));
			continue;
		}
		*val[i] = arena_printf(a, "%.6f", d);
	}
}

static void check_length(struct verrs *v, const char *field, const char *s, size_t max)
{
	if (s != NULL && utf8_length(s) > max)
		verrs_add(v, field, "too_long", _("At most %zu characters."), max);
}

int institution_validate(struct institution *in, struct arena *a, struct verrs *v)
{
	int before = v->n;
	struct ident_error e;
	char nip[11];

	registry_blank(a, &in->name);
	registry_blank(a, &in->regon);
	registry_blank(a, &in->nip);
	registry_blank(a, &in->street);
	registry_blank(a, &in->postcode);
	registry_blank(a, &in->city);
	registry_blank(a, &in->terc);
	registry_blank(a, &in->phone);
	registry_blank(a, &in->email);
	registry_blank(a, &in->website);
	registry_blank(a, &in->latitude);
	registry_blank(a, &in->longitude);
	check_position(in, a, v);
	if (kind_index(in->kind) < 0)
		verrs_add(v, "kind", in->kind == NULL ? "required" : "invalid", "%s",
			  _("Choose the type of institution."));
	if (in->name == NULL)
		verrs_add(v, "name", "required", "%s", _("Enter the name of the institution."));
	check_length(v, "name", in->name, 300);
	if (in->regon != NULL)
		check_ident(v, "regon", regon_check(in->regon, &e), &e);
	if (in->nip != NULL) {
		if (nip_check(in->nip, nip, &e) == 0)
			in->nip = arena_strdup(a, nip);
		else
			check_ident(v, "nip", -1, &e);
	}
	registry_postcode(a, v, &in->postcode);
	/* "www.ops.pl" means https://www.ops.pl */
	if (in->website != NULL && strstr(in->website, "://") == NULL && strchr(in->website, '.') != NULL)
		in->website = arena_printf(a, "https://%s", in->website);
	registry_terc(v, in->terc);
	check_length(v, "street", in->street, 200);
	check_length(v, "city", in->city, 100);
	if (in->phone != NULL && !registry_phone_ok(in->phone))
		verrs_add(v, "phone", "invalid", "%s",
			  _("A phone number has 7 to 15 digits and may contain spaces, +, -, ( )."));
	if (in->email != NULL && !str_is_email(in->email))
		verrs_add(v, "email", "invalid", "%s", _("Enter an e-mail address like name@example.pl."));
	if (in->website != NULL &&
	    ((strncmp(in->website, "http://", 7) != 0 && strncmp(in->website, "https://", 8) != 0) ||
	     strlen(in->website) > 300 || strpbrk(in->website, " \t<>\"") != NULL))
		verrs_add(v, "website", "invalid", "%s",
			  _("Enter a web address starting with https:// or http://."));
	return v->n - before;
}

/* ------------------------------------------------------------------ */
/* Changes                                                             */
/* ------------------------------------------------------------------ */

static void regon_taken(struct verrs *v)
{
	verrs_add(v, "regon", "taken", "%s", _("Another institution already has this REGON."));
}

/*
 * name_taken() is 1 (with an error in v) when another institution in the
 * same gmina has the same name up to case and diacritics — usually the
 * same one entered twice — 0 if not, -1 on error.
 */
static int name_taken(struct db *db, const char *fold, const char *terc, int64_t self, struct verrs *v)
{
	int64_t other = 0;
	int rc = db_get_int(db, &other, &SQL_INSTITUTION_SAME_NAME, "tti", fold, terc != NULL ? terc : "",
			    self);

	if (rc < 0)
		return -1;
	if (rc != DB_ROW)
		return 0;
	verrs_add(v, "name", "taken", _("An institution with this name is already registered in this gmina "
					"(number %lld)."),
		  (long long)other);
	return 1;
}

/*
 * refused() turns a unique index refusing the row into the field error the
 * checks before it would have given: the checks cannot see a row another
 * transaction has not committed yet, the indexes (0001 REGON, 0004 name in
 * gmina) can. Rolling back to the savepoint (a nested db_begin()) keeps
 * the caller's transaction usable (PostgreSQL aborts it on an error otherwise), so the other
 * institution's number can be read for the message. Returns 1, or -1.
 */
static int refused(struct db *db, const struct institution *in, const char *fold, int64_t self,
		   struct verrs *v)
{
	int name = strstr(db_errmsg(db), "institution_name_gmina") != NULL;
	int rc;

	if (db_rollback(db) != 0)
		return -1;
	if (!name) {
		regon_taken(v);
		return 1;
	}
	rc = name_taken(db, fold, in->terc, self, v);
	if (rc == 0) /* the other one is gone again: still the same rule */
		verrs_add(v, "name", "taken", "%s",
			  _("An institution with this name is already registered in this gmina."));
	return rc < 0 ? -1 : 1;
}

/*
 * bind_fields() binds the editable columns (and the folded name and city
 * for search) in the order used by create and update: 1..14.
 */
static void bind_fields(struct db_stmt *st, struct arena *a, const struct institution *in,
			const char *fold, const char *now)
{
	db_bind_text(st, 1, in->kind);
	db_bind_text(st, 2, in->name);
	db_bind_text(st, 3, fold);
	db_bind_text(st, 4, in->regon);
	db_bind_text(st, 5, in->nip);
	db_bind_text(st, 6, in->street);
	db_bind_text(st, 7, in->postcode);
	db_bind_text(st, 8, in->city);
	db_bind_text(st, 9, in->terc);
	db_bind_text(st, 10, in->phone);
	db_bind_text(st, 11, in->email);
	db_bind_text(st, 12, in->website);
	db_bind_text(st, 13, now);
	db_bind_text(st, 14, in->city != NULL ? str_fold(a, in->city) : NULL);
}

/* bind_position() binds latitude and longitude (validated text) at i and i + 1. */
static void bind_position(struct db_stmt *st, int i, const struct institution *in)
{
	if (in->latitude != NULL && in->longitude != NULL) {
		db_bind_double(st, i, strtod(in->latitude, NULL));
		db_bind_double(st, i + 1, strtod(in->longitude, NULL));
	} else {
		db_bind_null(st, i);
		db_bind_null(st, i + 1);
	}
}

int institution_create(struct db *db, struct arena *a, const struct institution *in, int64_t *id,
		       struct verrs *v)
{
	char now[CLOCK_ISO_LEN];
	const char *fold = str_fold(a, in->name);
	struct db_stmt *st;
	int rc;

	if (fold == NULL)
		return -1;
	rc = name_taken(db, fold, in->terc, 0, v);
	if (rc != 0)
		return rc;
	clock_iso(clock_now(), now);
	st = db_prepare(db, &SQL_INSTITUTION_INSERT);
	if (st == NULL) {
		db_reset(st);
		return -1;
	}
	bind_fields(st, a, in, fold, now);
	db_bind_text(st, 15, now);
	bind_position(st, 16, in);
	if (db_begin(db) != 0) { /* a savepoint inside the caller's transaction */
		db_reset(st);
		return -1;
	}
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_reset(st);
	if (rc == DB_CONSTRAINT)
		return refused(db, in, fold, 0, v);
	if (rc != DB_ROW) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db) == 0 ? 0 : -1;
}

int institution_update(struct db *db, struct arena *a, const struct institution *in,
		       struct verrs *v)
{
	char now[CLOCK_ISO_LEN];
	const char *fold = str_fold(a, in->name);
	struct db_stmt *st;
	int rc;

	int64_t exists = 0;

	if (fold == NULL || db_get_int(db, &exists, &SQL_INSTITUTION_EXISTS, "i", in->id) != DB_ROW)
		return -1;
	if (exists == 0) {
		verrs_add(v, "", "not_found", "%s", _("This institution no longer exists."));
		return 1;
	}
	rc = name_taken(db, fold, in->terc, in->id, v);
	if (rc != 0)
		return rc;
	clock_iso(clock_now(), now);
	st = db_prepare(db, &SQL_INSTITUTION_UPDATE);
	if (st == NULL) {
		db_reset(st);
		return -1;
	}
	bind_fields(st, a, in, fold, now);
	bind_position(st, 15, in);
	db_bind_int(st, 17, in->id);
	if (db_begin(db) != 0) { /* a savepoint inside the caller's transaction */
		db_reset(st);
		return -1;
	}
	rc = db_step(st);
	db_reset(st);
	if (rc == DB_CONSTRAINT)
		return refused(db, in, fold, in->id, v);
	if ((rc == DB_ROW || rc == DB_DONE ? db_commit(db) : db_rollback(db)) != 0)
		return -1;
	if (rc == DB_DONE) {
		verrs_add(v, "", "not_found", "%s", _("This institution no longer exists."));
		return 1;
	}
	return rc == DB_ROW ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* Reads                                                               */
/* ------------------------------------------------------------------ */

int institution_get(struct db *db, struct arena *a, int64_t id, struct institution *out)
{
	struct db_stmt *st = db_query(db, &SQL_INSTITUTION_GET, "i", id);
	int rc, ret = -1;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		out->kind = arena_strdup(a, db_col_text(st, 1));
		out->name = arena_strdup(a, db_col_text(st, 2));
		out->regon = arena_strdup(a, db_col_text(st, 3));
		out->nip = arena_strdup(a, db_col_text(st, 4));
		out->street = arena_strdup(a, db_col_text(st, 5));
		out->postcode = arena_strdup(a, db_col_text(st, 6));
		out->city = arena_strdup(a, db_col_text(st, 7));
		out->terc = arena_strdup(a, db_col_text(st, 8));
		out->phone = arena_strdup(a, db_col_text(st, 9));
		out->email = arena_strdup(a, db_col_text(st, 10));
		out->website = arena_strdup(a, db_col_text(st, 11));
		out->active = (int)db_col_int(st, 12);
		out->created_at = arena_strdup(a, db_col_text(st, 13));
		out->updated_at = arena_strdup(a, db_col_text(st, 14));
		out->terc_text = NULL;
		if (!db_col_is_null(st, 15))
			out->terc_text = territory_format(a, db_col_text(st, 15), db_col_text(st, 16),
							  db_col_text(st, 17), db_col_text(st, 18));
		out->latitude = db_col_is_null(st, 19) ? NULL : arena_printf(a, "%.6f", db_col_double(st, 19));
		out->longitude = db_col_is_null(st, 20) ? NULL : arena_printf(a, "%.6f", db_col_double(st, 20));
		ret = out->kind != NULL && out->name != NULL ? 0 : -1;
	} else if (rc == DB_DONE) {
		ret = 1;
	}
	db_reset(st);
	return ret;
}

int institution_set_active(struct db *db, int64_t id, int active)
{
	char now[CLOCK_ISO_LEN];
	struct db_stmt *st;
	int rc;

	clock_iso(clock_now(), now);
	st = db_query(db, &SQL_INSTITUTION_SET_ACTIVE, "iti", (int64_t)(active ? 1 : 0), now, id);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	db_reset(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

static const struct db_sql SQL_INSTITUTION_IN_UNIT =
	DB_SQL("SELECT id, name, kind, active FROM institution WHERE substr(terc, 1, ?) = ? "
	       "ORDER BY name_fold, id LIMIT ?");

int institution_in_unit(struct db *db, struct arena *a, const char *prefix, int max,
			struct institution_option **out)
{
	struct db_stmt *st;
	int i = 0, rc;

	*out = arena_zalloc(a, sizeof(**out) * (size_t)(max + 1));
	if (*out == NULL)
		return -1;
	st = db_query(db, &SQL_INSTITUTION_IN_UNIT, "iti", (int64_t)strlen(prefix), prefix, (int64_t)max);
	if (st == NULL)
		return -1;
	while (i < max && (rc = db_step(st)) == DB_ROW) {
		(*out)[i].id = db_col_int(st, 0);
		(*out)[i].name = arena_strdup(a, db_col_text(st, 1));
		(*out)[i].kind = arena_strdup(a, db_col_text(st, 2));
		(*out)[i].active = (int)db_col_int(st, 3);
		(*out)[i].gmina = db_col_text(st, 4) != NULL ? arena_strdup(a, db_col_text(st, 4)) : NULL;
		i++;
	}
	if (i < max && rc != DB_DONE)
		i = -1;
	db_reset(st);
	return i;
}

int institution_options(struct db *db, struct arena *a, struct institution_option **out)
{
	struct db_stmt *st;
	int64_t n = 0;
	int i = 0, rc;

	if (db_get_int(db, &n, &SQL_INSTITUTION_COUNT, NULL) != DB_ROW)
		return -1;
	*out = arena_zalloc(a, sizeof(**out) * (size_t)(n + 1));
	if (*out == NULL)
		return -1;
	st = db_query(db, &SQL_INSTITUTION_OPTIONS, NULL);
	if (st == NULL)
		return -1;
	for (rc = DB_ROW; i < n && (rc = db_step(st)) == DB_ROW; i++) {
		(*out)[i].id = db_col_int(st, 0);
		(*out)[i].name = arena_strdup(a, db_col_text(st, 1));
		(*out)[i].kind = arena_strdup(a, db_col_text(st, 2));
		(*out)[i].active = (int)db_col_int(st, 3);
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? i : -1;
}

static const struct db_sql SQL_INSTITUTION_POINTS =
	DB_SQL("SELECT id, name, kind, terc, latitude, longitude FROM institution WHERE active = 1 "
	       "AND substr(COALESCE(terc, ''), 1, ?) = ? ORDER BY name_fold, id");

int institution_points(struct db *db, struct arena *a, const char *prefix, struct institution_point **out)
{
	struct db_stmt *st;
	int64_t n = 0;
	int i = 0, rc;

	if (db_get_int(db, &n, &SQL_INSTITUTION_COUNT_ACTIVE, NULL) != DB_ROW)
		return -1;
	*out = arena_zalloc(a, sizeof(**out) * (size_t)(n + 1));
	if (*out == NULL)
		return -1;
	st = db_query(db, &SQL_INSTITUTION_POINTS, "it", (int64_t)strlen(prefix), prefix);
	if (st == NULL)
		return -1;
	for (rc = DB_ROW; i < n && (rc = db_step(st)) == DB_ROW; i++) {
		struct institution_point *p = &(*out)[i];

		p->id = db_col_int(st, 0);
		p->name = arena_strdup(a, db_col_text(st, 1));
		p->kind = arena_strdup(a, db_col_text(st, 2));
		p->terc = arena_strdup(a, db_col_text(st, 3));
		p->has_position = !db_col_is_null(st, 4) && !db_col_is_null(st, 5);
		p->latitude = db_col_double(st, 4);
		p->longitude = db_col_double(st, 5);
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? i : -1;
}

int64_t institution_count(struct db *db, int active_only)
{
	int64_t n = -1;

	if (db_get_int(db, &n, active_only ? &SQL_INSTITUTION_COUNT_ACTIVE : &SQL_INSTITUTION_COUNT,
		       NULL) != DB_ROW)
		return -1;
	return n;
}

/* ------------------------------------------------------------------ */
/* List                                                                */
/* ------------------------------------------------------------------ */

static const struct list_col inst_cols[INST_COL__MAX] = {
	[INST_COL_NAME] = { "name", N_("Name"), "i.name", LIST_TEXT, LIST_SORT | LIST_SEARCH,
			    "i.name_fold", "i.name_fold" },
	[INST_COL_KIND] = { "kind", N_("Type"), "i.kind", LIST_CODE, LIST_SORT | LIST_FILTER, NULL,
			    NULL, institution_kind_short, institution_kinds },
	[INST_COL_CITY] = { "city", N_("Locality"), "i.city", LIST_TEXT, LIST_SORT | LIST_SEARCH,
			    "i.city_fold" },
	/* the gmina by name, its code under it (a column of its own in exports) */
	[INST_COL_GMINA] = { "gmina", N_("Gmina"), "t.name", LIST_TEXT, LIST_SORT, NULL,
			     "COALESCE(t.name, i.terc)" },
	[INST_COL_TERC] = { "terc", N_("TERC code"), "i.terc", LIST_TEXT,
			    LIST_SORT | LIST_FILTER | LIST_PREFIX | LIST_NOWRAP | LIST_SUB },
	[INST_COL_REGON] = { "regon", N_("REGON"), "i.regon", LIST_TEXT, LIST_SEARCH | LIST_NOWRAP },
	/* under REGON on screen: both identify the institution, and the list must fit 1280 px */
	[INST_COL_NIP] = { "nip", N_("NIP"), "i.nip", LIST_TEXT, LIST_SEARCH | LIST_NOWRAP | LIST_SUB },
	[INST_COL_PHONE] = { "phone", N_("Phone"), "i.phone", LIST_TEXT, LIST_NOWRAP },
	[INST_COL_EMAIL] = { "email", N_("E-mail"), "i.email", LIST_TEXT, LIST_BREAK },
	[INST_COL_ACTIVE] = { "active", N_("Active"), "i.active", LIST_BOOL, LIST_SORT | LIST_FILTER },
};

const struct list_def institution_list = {
	.name = "institutions",
	.entity = "institution",
	.from = "institution i LEFT JOIN territory_unit t ON t.code = i.terc",
	.id_expr = "i.id",
	.cols = inst_cols,
	.ncols = INST_COL__MAX,
	.default_sort = INST_COL_NAME,
};

/* looks_like_name() is true when s has a letter: a gmina's name, not a code. */
static int looks_like_name(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80 || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
			return 1;
	return 0;
}

int institution_resolve_gmina(struct db *db, struct arena *a, struct institution *in, struct verrs *v)
{
	struct territory_unit found[8];
	const char *list = "";
	char *t;
	int n, i;

	if (in->terc == NULL || (t = arena_strdup(a, in->terc)) == NULL)
		return in->terc == NULL ? 0 : -1;
	str_trim(t);
	if (!looks_like_name(t))
		return 0; /* a code (or nothing): institution_validate() checks it */
	n = territory_find_gmina(db, a, t, found, 8);
	if (n < 0)
		return -1;
	if (n == 1) {
		in->terc = found[0].code;
		return 0;
	}
	if (n == 0) {
		verrs_add(v, "terc", "unknown",
			  _("There is no gmina called \"%s\" in the TERYT register; pick it from the list "
			    "or type its 7-digit TERC code."),
			  t);
		return 1;
	}
	for (i = 0; i < n && i < 8; i++)
		list = arena_printf(a, "%s%s%s (%s, %s)", list, i > 0 ? "; " : "", found[i].name,
				    unit_kind_label(found[i].kind), found[i].code);
	verrs_add(v, "terc", "ambiguous",
		  _("Several gminas are called \"%s\": %s. Pick one from the list or type its code."), t,
		  list);
	return 1;
}

int institution_check_terc(struct db *db, struct arena *a, const struct institution *in,
			   struct verrs *v)
{
	struct territory_unit u;
	int64_t n;
	int rc;

	if (in->terc == NULL || verrs_has(v, "terc"))
		return 0;
	n = territory_count(db);
	if (n <= 0)
		return n < 0 ? -1 : 0;
	rc = territory_get(db, a, in->terc, &u);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		verrs_add(v, "terc", "unknown", _("There is no gmina with the TERC code %s in the TERYT register."),
			  in->terc);
		return 1;
	}
	if (u.valid_to != NULL) { /* an imported register closed it: new data names its successor */
		verrs_add(v, "terc", "closed", _("The TERC code %s was closed in the TERYT register of %s."),
			  in->terc, u.valid_to);
		return 1;
	}
	return 0;
}
