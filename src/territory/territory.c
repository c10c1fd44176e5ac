/*
 * territory.c — the territory_unit table.
 */
#include "territory/territory.h"

#include <string.h>

#include "core/i18n.h"
#include "core/str.h"

/* Statements */
#define UNIT_COLS "code, name, kind, parent_code, fictional, valid_from, valid_to"

static const struct db_sql SQL_UNIT_PUT =
	DB_SQL("INSERT INTO territory_unit (code, name, kind, parent_code, fictional) "
	       "VALUES (?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
	       "kind = excluded.kind, parent_code = excluded.parent_code, "
	       "fictional = excluded.fictional");
static const struct db_sql SQL_UNIT_GET =
	DB_SQL("SELECT " UNIT_COLS " FROM territory_unit WHERE code = ?");
static const struct db_sql SQL_UNIT_CHILDREN =
	DB_SQL("SELECT " UNIT_COLS " FROM territory_unit WHERE parent_code = ? AND valid_to IS NULL "
	       "ORDER BY code");
static const struct db_sql SQL_UNIT_GMINAS =
	DB_SQL("SELECT " UNIT_COLS " FROM territory_unit WHERE length(code) = 7 AND valid_to IS NULL "
	       "ORDER BY name, code");
static const struct db_sql SQL_UNIT_VOIVODESHIPS =
	DB_SQL("SELECT " UNIT_COLS " FROM territory_unit WHERE length(code) = 2 AND valid_to IS NULL "
	       "ORDER BY code");
static const struct db_sql SQL_UNIT_COUNT = DB_SQL("SELECT COUNT(*) FROM territory_unit");

static const char *const kind_codes[UNIT__MAX] = {
	"voivodeship", "powiat", "city_powiat", "urban", "rural", "urban_rural", "town_part",
	"rural_part", "district", "delegation",
};

static const char *const kind_labels[UNIT__MAX] = {
	N_("voivodeship"),
	N_("powiat"),
	N_("city with powiat rights"),
	N_("urban gmina"),
	N_("rural gmina"),
	N_("urban-rural gmina"),
	N_("town in an urban-rural gmina"),
	N_("rural area of an urban-rural gmina"),
	N_("district of Warsaw"),
	N_("city delegation"),
};

const char *unit_kind_code(enum unit_kind k)
{
	return k >= 0 && k < UNIT__MAX ? kind_codes[k] : "";
}

int unit_kind_parse(const char *code)
{
	int i;

	for (i = 0; code != NULL && i < UNIT__MAX; i++)
		if (strcmp(code, kind_codes[i]) == 0)
			return i;
	return -1;
}

const char *unit_kind_label(enum unit_kind k)
{
	return k >= 0 && k < UNIT__MAX ? _(kind_labels[k]) : "";
}

int territory_put(struct db *db, const struct territory_unit *u)
{
	return db_run(db, &SQL_UNIT_PUT, "tttti", u->code, u->name, unit_kind_code(u->kind),
		      u->parent_code, (int64_t)u->fictional);
}

static int read_unit(struct db_stmt *st, struct arena *a, struct territory_unit *u)
{
	int k = unit_kind_parse(db_col_text(st, 2));

	u->code = arena_strdup(a, db_col_text(st, 0));
	u->name = arena_strdup(a, db_col_text(st, 1));
	u->kind = k >= 0 ? (enum unit_kind)k : UNIT_RURAL;
	u->parent_code = arena_strdup(a, db_col_text(st, 3));
	u->fictional = (int)db_col_int(st, 4);
	u->valid_from = db_col_is_null(st, 5) ? NULL : arena_strdup(a, db_col_text(st, 5));
	u->valid_to = db_col_is_null(st, 6) ? NULL : arena_strdup(a, db_col_text(st, 6));
	return u->code != NULL && u->name != NULL ? 0 : -1;
}

int territory_get(struct db *db, struct arena *a, const char *code, struct territory_unit *out)
{
	struct db_stmt *st = db_query(db, &SQL_UNIT_GET, "t", code);
	int rc, ret = -1;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		ret = read_unit(st, a, out);
	else if (rc == DB_DONE)
		ret = 1;
	db_reset(st);
	return ret;
}

static int read_all(struct db_stmt *st, struct arena *a, struct territory_unit **out)
{
	int n = 0, cap = 16, rc;
	struct territory_unit *v = arena_alloc(a, sizeof(*v) * (size_t)cap);

	if (v == NULL)
		goto fail;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct territory_unit *w = arena_alloc(a, sizeof(*w) * (size_t)cap * 2);

			if (w == NULL)
				goto fail;
			memcpy(w, v, sizeof(*v) * (size_t)n);
			v = w;
			cap *= 2;
		}
		if (read_unit(st, a, &v[n]) != 0)
			goto fail;
		n++;
	}
	if (rc != DB_DONE)
		goto fail;
	db_reset(st);
	*out = v;
	return n;
fail:
	db_reset(st);
	return -1;
}

int territory_children(struct db *db, struct arena *a, const char *code,
		       struct territory_unit **out)
{
	struct db_stmt *st = db_query(db, &SQL_UNIT_CHILDREN, "t", code);

	return st != NULL ? read_all(st, a, out) : -1;
}

int territory_voivodeships(struct db *db, struct arena *a, struct territory_unit **out)
{
	struct db_stmt *st = db_query(db, &SQL_UNIT_VOIVODESHIPS, NULL);

	return st != NULL ? read_all(st, a, out) : -1;
}

int territory_gminas(struct db *db, struct arena *a, struct territory_unit **out)
{
	struct db_stmt *st = db_query(db, &SQL_UNIT_GMINAS, NULL);

	return st != NULL ? read_all(st, a, out) : -1;
}

int territory_find_gmina(struct db *db, struct arena *a, const char *text, struct territory_unit *out,
			 int max)
{
	struct territory_unit *units;
	const char *want = str_fold(a, text);
	int n = territory_gminas(db, a, &units), i, found = 0;

	if (n < 0 || want == NULL)
		return -1;
	/* folded in C: SQL has no accent-blind comparison common to both backends */
	for (i = 0; i < n; i++) {
		const char *name = str_fold(a, units[i].name);
		const char *label = str_fold(a, arena_printf(a, "%s (%s)", units[i].name,
							     unit_kind_label(units[i].kind)));

		if (name == NULL || label == NULL)
			return -1;
		if (strcmp(name, want) != 0 && strcmp(label, want) != 0)
			continue;
		if (found < max)
			out[found] = units[i];
		found++;
	}
	return found;
}

const char *territory_format(struct arena *a, const char *name, const char *kind,
			     const char *parent_name, const char *parent_kind)
{
	int k = unit_kind_parse(kind);

	if (k < 0) /* a kind this version does not know: the name alone is still right */
		return arena_strdup(a, name);
	if (parent_name != NULL && unit_kind_parse(parent_kind) == UNIT_POWIAT)
		return arena_printf(a, _("%s (%s, powiat %s)"), name, unit_kind_label((enum unit_kind)k),
				    parent_name);
	if (parent_name != NULL)
		return arena_printf(a, "%s (%s, %s)", name, unit_kind_label((enum unit_kind)k), parent_name);
	return arena_printf(a, "%s (%s)", name, unit_kind_label((enum unit_kind)k));
}

const char *territory_describe(struct db *db, struct arena *a, const char *code)
{
	struct territory_unit u, parent;

	if (code == NULL || territory_get(db, a, code, &u) != 0)
		return NULL;
	if (u.parent_code != NULL && territory_get(db, a, u.parent_code, &parent) == 0)
		return territory_format(a, u.name, unit_kind_code(u.kind), parent.name,
					unit_kind_code(parent.kind));
	return territory_format(a, u.name, unit_kind_code(u.kind), NULL, NULL);
}

int64_t territory_count(struct db *db)
{
	int64_t n = 0;

	return db_get_int(db, &n, &SQL_UNIT_COUNT, NULL) == DB_ROW ? n : -1;
}
