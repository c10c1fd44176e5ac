/*
 * episode_import.c — razem import episodes: an institution's register of
 * support given (episode.h, episode_import()).
 *
 * Same discipline as the persons import: the file is streamed through
 * core/csv; each row is validated like the form and saved in a savepoint
 * of the one transaction of the whole import (a refused row is rolled back
 * alone, a killed import leaves nothing); refused rows go to the rejects
 * file with every reason, in Polish; overlaps with partners are found and
 * recorded for imported rows like for the form (the file is the
 * acknowledgement: an import cannot ask).
 */
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "coop/episode.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/i18n.h"
#include "core/ident.h"
#include "core/str.h"

static const struct db_sql SQL_BY_PESEL =
	DB_SQL("SELECT id FROM person WHERE institution_id = ? AND pesel = ? AND deleted_at IS NULL");

enum { C_PESEL, C_INSTRUMENT, C_START, C_PLANNED, C_ACTUAL, C_COST, C_STATUS, C_PROJECT, C_OUTCOME, NC };

/* the header names a column may have, folded (str_fold: no case, no diacritics) */
static const char *const names[NC][6] = {
	[C_PESEL] = { "pesel", NULL },
	[C_INSTRUMENT] = { "instrument", "kod instrumentu", "kod", NULL },
	[C_START] = { "start", "poczatek", "data rozpoczecia", "od", NULL },
	[C_PLANNED] = { "planned_end", "planowany koniec", "planowane zakonczenie", "planowana data zakonczenia", NULL },
	[C_ACTUAL] = { "actual_end", "faktyczny koniec", "faktyczne zakonczenie", "data zakonczenia", "do", NULL },
	[C_COST] = { "cost", "koszt", "koszt zl", "koszt (zl)", NULL },
	[C_STATUS] = { "status", "stan", NULL },
	[C_PROJECT] = { "project", "projekt", "program", NULL },
	[C_OUTCOME] = { "outcome", "rezultat", "efekt", NULL },
};

struct run {
	struct db *db;
	struct arena *a;
	const struct registry_writer *w;
	int64_t inst;
	FILE *rejects;
	int col[NC];
	const char *const *header;
	size_t ncols;
	int rejects_started;
	struct episode_import_result *r;
};

static int map_header(struct run *x, const struct csv_record *rec)
{
	size_t i;
	int k, j;

	for (k = 0; k < NC; k++)
		x->col[k] = -1;
	for (i = 0; i < rec->n; i++) {
		const char *f = str_fold(x->a, rec->field[i]);

		for (k = 0; f != NULL && k < NC; k++)
			for (j = 0; names[k][j] != NULL; j++)
				if (x->col[k] < 0 && strcmp(f, names[k][j]) == 0)
					x->col[k] = (int)i;
	}
	return x->col[C_PESEL] >= 0 && x->col[C_INSTRUMENT] >= 0 && x->col[C_START] >= 0 ? 0 : -1;
}

static const char *field(const struct run *x, const struct csv_record *rec, int k)
{
	const char *s;

	if (x->col[k] < 0 || (size_t)x->col[k] >= rec->n)
		return NULL;
	s = rec->field[x->col[k]];
	return str_empty(s) ? NULL : s;
}

/* a date as YYYY-MM-DD, or DD.MM.YYYY rewritten; anything else is left for the check to refuse */
static const char *date_of(struct arena *a, const char *s)
{
	if (s != NULL && strlen(s) == 10 && s[2] == '.' && s[5] == '.')
		return arena_printf(a, "%.4s-%.2s-%.2s", s + 6, s + 3, s);
	return s;
}

/* the status as its code or its Polish word; empty: completed with an actual end, else ongoing */
static const char *status_of(struct arena *a, const char *s, const char *actual)
{
	static const char *const pl[][2] = { { "zaplanowane", "planned" }, { "planowane", "planned" },
					     { "w trakcie", "ongoing" },  { "trwa", "ongoing" },
					     { "zakonczone", "completed" }, { "przerwane", "interrupted" } };
	const char *f;
	size_t i;

	if (s == NULL)
		return actual != NULL ? "completed" : "ongoing";
	f = str_fold(a, s);
	for (i = 0; f != NULL && i < sizeof(pl) / sizeof(pl[0]); i++)
		if (strcmp(f, pl[i][0]) == 0)
			return pl[i][1];
	return f != NULL ? f : s;
}

static void reject(struct run *x, const struct csv_record *rec, const char *reason)
{
	struct buf line = BUF_INIT(CSV_RECORD_MAX * 2 + 4096);
	size_t i;

	x->r->refused++;
	if (x->rejects == NULL)
		return;
	if (!x->rejects_started) {
		x->rejects_started = 1;
		buf_adds(&line, "\xEF\xBB\xBF");
		for (i = 0; i < x->ncols; i++) {
			csv_write_field(&line, x->header[i], ';');
			buf_addc(&line, ';');
		}
		csv_write_field(&line, _("Reasons for refusal"), ';');
		buf_adds(&line, "\r\n");
	}
	for (i = 0; i < rec->n || i < x->ncols; i++) {
		csv_write_field(&line, i < rec->n ? rec->field[i] : "", ';');
		buf_addc(&line, ';');
	}
	csv_write_field(&line, reason, ';');
	buf_adds(&line, "\r\n");
	fwrite(line.data, 1, line.len, x->rejects);
	buf_release(&line);
}

static const char *reasons(struct arena *a, const struct verrs *v)
{
	const char *out = "";
	int i;

	for (i = 0; i < v->n; i++)
		out = arena_printf(a, "%s%s%s", out, i > 0 ? "; " : "", v->e[i].message);
	return out;
}

/* one_row(): 0 imported, 1 refused (reported), -1 on a database error */
static int one_row(struct run *x, const struct csv_record *rec)
{
	struct verrs v = VERRS_INIT;
	struct episode e = { .cost_grosze = -1 };
	struct episode_overlap *ov = NULL;
	const char *pesel = field(x, rec, C_PESEL);
	int64_t id = 0;
	int nov = 0, rc;

	e.instrument_code = field(x, rec, C_INSTRUMENT);
	e.start_date = date_of(x->a, field(x, rec, C_START));
	e.planned_end = date_of(x->a, field(x, rec, C_PLANNED));
	e.actual_end = date_of(x->a, field(x, rec, C_ACTUAL));
	e.status = status_of(x->a, field(x, rec, C_STATUS), e.actual_end);
	e.project = field(x, rec, C_PROJECT);
	e.outcome = field(x, rec, C_OUTCOME);
	if (pesel == NULL) {
		verrs_add(&v, "pesel", "required", "%s", _("PESEL: the file gives none; the person is found by PESEL."));
	} else {
		rc = db_get_int(x->db, &e.person_id, &SQL_BY_PESEL, "it", x->inst, pesel);
		if (rc < 0)
			return -1;
		if (rc == DB_DONE)
			verrs_add(&v, "pesel", "not_found", _("PESEL %s: the institution has no live record of this person."),
				  pesel);
	}
	rc = episode_validate(x->db, x->a, &e, field(x, rec, C_COST) != NULL ? field(x, rec, C_COST) : "", &v);
	if (rc < 0)
		return -1;
	if (v.n > 0) {
		reject(x, rec, reasons(x->a, &v));
		return 1;
	}
	if (db_begin(x->db) != DB_OK)
		return -1;
	rc = episode_create(x->db, x->a, x->w, &e, 1, &id, &ov, &nov, &v);
	if (rc != 0) {
		db_rollback(x->db);
		if (rc < 0)
			return -1;
		if (v.n == 0)
			verrs_add(&v, "", "refused", "%s", _("The institution may not write this record."));
		reject(x, rec, reasons(x->a, &v));
		return 1;
	}
	if (db_commit(x->db) != DB_OK)
		return -1;
	x->r->imported++;
	x->r->overlaps += nov;
	return 0;
}

int episode_import(struct db *db, struct arena *a, const struct registry_writer *w, struct csv *in,
		   int64_t inst, FILE *rejects, struct episode_import_result *r)
{
	struct run x = { db, a, w, inst, rejects, { 0 }, NULL, 0, 0, r };
	struct csv_record rec;
	enum lang lang = i18n_lang();
	int rc, header = 1;

	memset(r, 0, sizeof(*r));
	i18n_set_lang(LANG_PL); /* reasons in the office's language */
	if (db_begin(db) != DB_OK) {
		i18n_set_lang(lang);
		snprintf(r->error, sizeof(r->error), "%s", db_errmsg(db));
		return -1;
	}
	while ((rc = csv_next(in, &rec)) != CSV_DONE) {
		if (rc == CSV_ERROR) {
			snprintf(r->error, sizeof(r->error), "%s", csv_error(in));
			break;
		}
		if (rc == CSV_BAD) {
			r->read++;
			r->refused++;
			continue;
		}
		if (header) {
			size_t i;
			char **h = arena_zalloc(a, sizeof(*h) * (rec.n + 1));

			for (i = 0; h != NULL && i < rec.n; i++)
				h[i] = arena_strdup(a, rec.field[i]);
			x.header = (const char *const *)h;
			x.ncols = rec.n;
			header = 0;
			if (map_header(&x, &rec) != 0) {
				snprintf(r->error, sizeof(r->error), "%s",
					 _("the header must name the columns PESEL, Instrument and Start (or Początek)."));
				rc = CSV_ERROR;
				break;
			}
			continue;
		}
		if (rec.blank)
			continue;
		r->read++;
		if (one_row(&x, &rec) < 0) {
			snprintf(r->error, sizeof(r->error), "%s", db_errmsg(db));
			rc = CSV_ERROR;
			break;
		}
	}
	i18n_set_lang(lang);
	if (rc != CSV_DONE) {
		db_rollback(db);
		r->imported = 0;
		if (r->error[0] == '\0')
			snprintf(r->error, sizeof(r->error), "%s", csv_error(in));
		return -1;
	}
	if (audit_commit(db, &w->audit, 0, "episode.import", "institution", inst,
			 arena_printf(a, "read %ld, imported %ld, refused %ld, overlaps %ld", r->read, r->imported,
				      r->refused, r->overlaps)) != 0) {
		snprintf(r->error, sizeof(r->error), "%s", db_errmsg(db));
		r->imported = 0;
		return -1;
	}
	return 0;
}
