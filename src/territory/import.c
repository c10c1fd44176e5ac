/*
 * import.c — a TERC register applied to territory_unit with validity.
 */
#include "territory/import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct db_sql SQL_IMPORT_EXISTING =
	DB_SQL("SELECT code, name, kind, parent_code, fictional, valid_from, valid_to FROM territory_unit");
static const struct db_sql SQL_IMPORT_ADD =
	DB_SQL("INSERT INTO territory_unit (code, name, kind, parent_code, fictional, valid_from) "
	       "VALUES (?, ?, ?, ?, 0, ?)");
static const struct db_sql SQL_IMPORT_CHANGE =
	DB_SQL("UPDATE territory_unit SET name = ?, kind = ?, parent_code = ?, fictional = 0 WHERE code = ?");
static const struct db_sql SQL_IMPORT_REOPEN =
	DB_SQL("UPDATE territory_unit SET name = ?, kind = ?, parent_code = ?, fictional = 0, "
	       "valid_from = ?, valid_to = NULL WHERE code = ?");
static const struct db_sql SQL_IMPORT_CLOSE =
	DB_SQL("UPDATE territory_unit SET valid_to = ? WHERE code = ?");

/* A unit as the file lists it or as the database holds it. */
struct unit {
	char code[8], parent[8], from[11];
	int kind, fictional, open, seen;
	char *name;
	long line;
};

struct units {
	struct unit *v;
	int n, cap;
};

static void units_free(struct units *u)
{
	int i;

	for (i = 0; i < u->n; i++)
		free(u->v[i].name);
	free(u->v);
	memset(u, 0, sizeof(*u));
}

static struct unit *units_add(struct units *u, const char *name)
{
	struct unit *x;

	if (u->n == u->cap) {
		int cap = u->cap ? u->cap * 2 : 1024;
		struct unit *v = realloc(u->v, sizeof(*v) * (size_t)cap);

		if (v == NULL)
			return NULL;
		u->v = v;
		u->cap = cap;
	}
	x = &u->v[u->n];
	memset(x, 0, sizeof(*x));
	if ((x->name = strdup(name != NULL ? name : "")) == NULL)
		return NULL;
	u->n++;
	return x;
}

static int by_code(const void *a, const void *b)
{
	return strcmp(((const struct unit *)a)->code, ((const struct unit *)b)->code);
}

static struct unit *units_find(const struct units *u, const char *code)
{
	struct unit key;

	snprintf(key.code, sizeof(key.code), "%s", code);
	return u->n > 0 ? bsearch(&key, u->v, (size_t)u->n, sizeof(*u->v), by_code) : NULL;
}

static int collect(void *arg, const struct terc_row *r)
{
	struct unit *x = units_add(arg, r->name);

	if (x == NULL)
		return -1;
	memcpy(x->code, r->code, sizeof(x->code));
	memcpy(x->parent, r->parent, sizeof(x->parent));
	memcpy(x->from, r->valid_from, sizeof(x->from));
	x->kind = (int)r->kind;
	x->line = r->line;
	return 0;
}

static void refuse(struct terc_errs *errs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void refuse(struct terc_errs *errs, const char *fmt, ...)
{
	va_list ap;

	if (errs->n < TERC_ERRS_MAX) {
		va_start(ap, fmt);
		vsnprintf(errs->msg[errs->n], sizeof(errs->msg[0]), fmt, ap);
		va_end(ap);
	}
	errs->n++;
}

/*
 * check_file() sorts the file's units and checks what no single row can
 * show: an empty register, repeated codes, parents missing from the file. Districts and
 * delegations hang under their city's gmina (WWPP011) when the file lists
 * it (the address variant lists only the parts). Sets date to the
 * register's date (the latest STAN_NA).
 */
static void check_file(struct units *f, char date[11], struct terc_errs *errs)
{
	int i;

	date[0] = '\0';
	if (f->n == 0) { /* it would close every unit */
		refuse(errs, "the register lists no units");
		return;
	}
	qsort(f->v, (size_t)f->n, sizeof(*f->v), by_code);
	for (i = 0; i < f->n; i++) {
		struct unit *x = &f->v[i];

		if (strcmp(x->from, date) > 0)
			memcpy(date, x->from, 11);
		if (i > 0 && strcmp(f->v[i - 1].code, x->code) == 0)
			refuse(errs, "line %ld: the code %s repeats line %ld", x->line, x->code, f->v[i - 1].line);
		if (x->kind == UNIT_DISTRICT || x->kind == UNIT_DELEGATION) {
			char city[8];
			struct unit *c;

			snprintf(city, sizeof(city), "%.4s011", x->code);
			c = units_find(f, city);
			if (c != NULL && c->kind == UNIT_URBAN)
				memcpy(x->parent, city, sizeof(city));
		}
		if (x->parent[0] != '\0' && units_find(f, x->parent) == NULL)
			refuse(errs, "line %ld: the unit %s (%s) has no parent %s in the register", x->line,
			       x->code, x->name, x->parent);
	}
}

static int load_existing(struct db *db, struct units *e)
{
	struct db_stmt *st = db_query(db, &SQL_IMPORT_EXISTING, NULL);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct unit *x = units_add(e, db_col_text(st, 1));
		const char *parent = db_col_text(st, 3), *from = db_col_text(st, 5);

		if (x == NULL)
			break;
		snprintf(x->code, sizeof(x->code), "%s", db_col_text(st, 0));
		snprintf(x->parent, sizeof(x->parent), "%s", parent != NULL ? parent : "");
		snprintf(x->from, sizeof(x->from), "%s", from != NULL ? from : "");
		x->kind = unit_kind_parse(db_col_text(st, 2));
		x->fictional = (int)db_col_int(st, 4);
		x->open = db_col_is_null(st, 6);
	}
	db_reset(st);
	if (rc != DB_DONE)
		return -1;
	if (e->n > 0)
		qsort(e->v, (size_t)e->n, sizeof(*e->v), by_code);
	return 0;
}

/* apply_one() brings one listed unit into the database, counting what it did. */
static int apply_one(struct db *db, const struct unit *x, struct unit *old, const char *date,
		     struct terc_import_counts *out)
{
	const char *kind = unit_kind_code((enum unit_kind)x->kind);
	const char *parent = x->parent[0] != '\0' ? x->parent : NULL;

	if (old == NULL) {
		out->added++;
		return db_run(db, &SQL_IMPORT_ADD, "ttttt", x->code, x->name, kind, parent, date);
	}
	old->seen = 1;
	if (!old->open) {
		out->reopened++;
		return db_run(db, &SQL_IMPORT_REOPEN, "ttttt", x->name, kind, parent, date, x->code);
	}
	if (strcmp(old->name, x->name) == 0 && old->kind == x->kind && strcmp(old->parent, x->parent) == 0 &&
	    !old->fictional) {
		out->unchanged++;
		return DB_OK;
	}
	out->changed++;
	return db_run(db, &SQL_IMPORT_CHANGE, "tttt", x->name, kind, parent, x->code);
}

/* holds_fictional() is 1 when the unit at i encloses a demo unit (which must keep its parents). */
static int holds_fictional(const struct units *e, int i)
{
	size_t len = strlen(e->v[i].code);
	int j;

	for (j = 0; j < e->n; j++)
		if (e->v[j].fictional && e->v[j].open && strncmp(e->v[j].code, e->v[i].code, len) == 0)
			return 1;
	return 0;
}

static int apply(struct db *db, struct units *f, struct units *e, const char *date,
		 struct terc_import_counts *out, terc_progress_fn progress, void *parg)
{
	int i, rc;

	for (i = 0; i < f->n; i++) {
		rc = apply_one(db, &f->v[i], units_find(e, f->v[i].code), date, out);
		if (rc != DB_OK)
			return rc;
		if (progress != NULL && (i % 256 == 0 || i == f->n - 1))
			progress(parg, i + 1, f->n);
	}
	/* what the register no longer lists closes, except the demo's invented units */
	for (i = 0; i < e->n; i++) {
		if (e->v[i].seen || !e->v[i].open || e->v[i].fictional || holds_fictional(e, i))
			continue;
		rc = db_run(db, &SQL_IMPORT_CLOSE, "tt", date, e->v[i].code);
		if (rc != DB_OK)
			return rc;
		out->closed++;
	}
	return DB_OK;
}

static const char *latest_import(const struct units *e)
{
	const char *latest = "";
	int i;

	for (i = 0; i < e->n; i++)
		if (!e->v[i].fictional && strcmp(e->v[i].from, latest) > 0)
			latest = e->v[i].from;
	return latest;
}

int terc_import(struct db *db, const struct audit_actor *who, const char *data, size_t len,
		const char *source, struct terc_import_counts *out, struct terc_errs *errs,
		terc_progress_fn progress, void *parg)
{
	struct units f = { 0 }, e = { 0 };
	char detail[256];
	int rc;

	memset(out, 0, sizeof(*out));
	rc = terc_parse(data, len, collect, &f, errs);
	if (rc == 0)
		check_file(&f, out->date, errs);
	out->rows = f.n;
	if (rc < 0 || errs->n > 0) {
		units_free(&f);
		return rc < 0 ? -1 : 1;
	}
	if (db_begin(db) != DB_OK) {
		units_free(&f);
		return -1;
	}
	rc = load_existing(db, &e);
	if (rc == 0 && strcmp(out->date, latest_import(&e)) < 0) {
		refuse(errs, "the register of %s is older than the one imported (%s)", out->date,
		       latest_import(&e));
		rc = 1;
	}
	if (rc == 0)
		rc = apply(db, &f, &e, out->date, out, progress, parg) == DB_OK ? 0 : -1;
	snprintf(detail, sizeof(detail), "%s: STAN_NA %s, %d units: %d new, %d reopened, %d changed, "
		 "%d closed, %d unchanged", source != NULL ? source : "-", out->date, out->rows, out->added,
		 out->reopened, out->changed, out->closed, out->unchanged);
	rc = audit_commit(db, who, rc, "territory.import", "territory_unit", 0, detail);
	units_free(&f);
	units_free(&e);
	return rc;
}
