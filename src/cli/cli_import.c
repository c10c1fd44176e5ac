/*
 * cli_import.c — razem import teryt (public registers) and razem import
 * persons (an institution's client register, registry/person_import.h).
 */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "territory/boundary.h"
#include "territory/geofile.h"
#include "coop/episode.h"
#include "core/csv.h"
#include "core/str.h"
#include "registry/person_import.h"
#include "territory/import.h"

#define IMPORT_MAX_BYTES (64u << 20) /* the whole TERC register is under 1 MB */

static void show_progress(void *arg, int done, int total)
{
	const struct cli *c = arg;

	fprintf(stderr, "\rrazem %s: %d/%d units", c->name, done, total);
	if (done == total)
		fputc('\n', stderr);
}

struct teryt_file {
	const char *path;
	const char *data;
	size_t len;
};

static int teryt_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	const struct teryt_file *f = arg;
	struct terc_import_counts n;
	struct terc_errs *errs = malloc(sizeof(*errs));
	struct audit_actor who;
	int rc, i;

	(void)a;
	if (errs == NULL)
		return cli_fail(c, "out of memory");
	cli_actor(&who);
	rc = terc_import(db, &who, f->data, f->len, f->path, &n, errs,
			 isatty(STDERR_FILENO) ? show_progress : NULL, c);
	if (rc > 0) {
		for (i = 0; i < errs->n && i < TERC_ERRS_MAX; i++)
			fprintf(stderr, "razem %s: %s: %s\n", c->name, f->path, errs->msg[i]);
		if (errs->n > TERC_ERRS_MAX)
			fprintf(stderr, "razem %s: %s: %d more rejected rows\n", c->name, f->path,
				errs->n - TERC_ERRS_MAX);
		fprintf(stderr, "razem %s: %s: refused, nothing imported (problems: %d)\n", c->name, f->path, errs->n);
	}
	free(errs);
	if (rc < 0)
		return cli_fail(c, "not imported: %s", db_errmsg(db));
	if (rc > 0)
		return 1;
	printf("TERC register of %s: %d units: %d new, %d closed, %d unchanged (%d changed, %d reopened)\n",
	       n.date, n.rows, n.added, n.closed, n.unchanged, n.changed, n.reopened);
	return 0;
}

static int cmd_teryt(struct cli *c)
{
	struct teryt_file f;
	char *data;
	int rc;

	if (c->npos != 1)
		return cli_usage(c, "give one TERC file (CSV or XML)");
	f.path = c->pos[0];
	data = cli_read_file(f.path, IMPORT_MAX_BYTES, &f.len);
	if (data == NULL)
		return cli_fail(c, "cannot read %s: %s", f.path, strerror(errno));
	f.data = data;
	rc = cli_with_db(c, &f, teryt_in_db);
	free(data);
	return rc;
}

struct boundaries_file {
	const char *path;
	struct geo_layer layer;
	struct boundary_opts o;
};

static void print_note(void *arg, const char *msg)
{
	const struct cli *c = arg;

	fprintf(stderr, "razem %s: %s\n", c->name, msg);
}

static int boundaries_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	struct boundaries_file *f = arg;
	struct boundary_report r;
	struct audit_actor who;
	char err[512];
	int rc;

	(void)a;
	cli_actor(&who);
	f->o.note = print_note;
	f->o.note_arg = c;
	rc = boundary_import(db, &who, &f->layer, &f->o, f->path, &r, err, sizeof(err));
	if (rc > 0)
		return cli_fail(c, "%s: refused, nothing imported: %s", f->path, err);
	if (rc < 0)
		return cli_fail(c, "%s: not imported: %s", f->path, err);
	printf("%s boundaries: %d of %d features imported (%d matched by 6 digits), %d not matched, "
	       "%d units without a boundary; %d arcs, points by scale %ld/%ld/%ld/%ld; %s\n",
	       boundary_level_name((enum topo_level)r.level), r.imported, r.features, r.by_prefix, r.skipped,
	       r.missing, r.arcs, r.points[TOPO_SCALE_COUNTRY], r.points[TOPO_SCALE_REGION],
	       r.points[TOPO_SCALE_COUNTY], r.points[TOPO_SCALE_FULL], f->layer.crs);
	return 0;
}

static int cmd_boundaries(struct cli *c)
{
	struct boundaries_file f;
	const char *level = cli_opt(c, "level");
	char err[512];
	int rc;

	memset(&f, 0, sizeof(f));
	if (c->npos != 1)
		return cli_usage(c, "give one boundary file (GeoJSON or .shp)");
	f.path = c->pos[0];
	f.o.level = -1;
	f.o.strict = cli_flag(c, "strict");
	if (level != NULL && (f.o.level = boundary_level_parse(level)) < 0)
		return cli_usage(c, "--level must be voivodeship, powiat or gmina");
	if (geo_read(f.path, cli_opt(c, "code-property"), &f.layer, err, sizeof(err)) != 0)
		return cli_fail(c, "%s: refused, nothing imported: %s", f.path, err);
	rc = cli_with_db(c, &f, boundaries_in_db);
	geo_layer_free(&f.layer);
	return rc;
}

/* ------------------------------------------------------------------ */
/* razem import persons                                                 */
/* ------------------------------------------------------------------ */

#define MAPPING_MAX_BYTES (1u << 20)

struct persons_job {
	const char *path;
	const char *rejects_path;
	struct person_import_opts opts;
	struct csv_opts csv;
	int fd;
	char *mapping;
};

static int persons_progress(void *arg, long rows)
{
	const struct cli *c = arg;

	fprintf(stderr, "\rrazem %s: %ld rows read", c->name, rows);
	return 0;
}

/* persons_summary() prints the outcome and returns the exit status (0, 3, 1). */
static int persons_summary(const struct cli *c, const struct persons_job *j, const struct person_import_result *r)
{
	long kept = r->imported + r->updated, left = r->refused + r->duplicates;
	int i;

	for (i = 0; i < 5 && i < r->warnings; i++)
		fprintf(stderr, "razem %s: warning: %s\n", c->name, r->first_warnings[i]);
	if (r->warnings > 5)
		fprintf(stderr, "razem %s: %ld more rows with warnings\n", c->name, r->warnings - 5);
	printf("%s: read %ld, imported %ld, refused %ld, duplicates %ld, updated %ld, households %ld, "
	       "warnings %ld, %.1f s (%s, separator %s)\n",
	       j->path, r->read, r->imported, r->refused, r->duplicates, r->updated, r->households, r->warnings,
	       r->seconds, r->encoding, r->sep == '\t' ? "TAB" : (char[2]){ r->sep, '\0' });
	if (r->link_error[0] != '\0')
		fprintf(stderr, "razem %s: the records were imported but not linked (razem link --db links them): %s\n",
			c->name, r->link_error);
	else if (r->linked + r->queued > 0)
		printf("linked %ld, sent to review %ld, %.1f s\n", r->linked, r->queued, r->link_seconds);
	if (r->unmapped != NULL)
		printf("ignored columns: %s\n", r->unmapped);
	if (left > 0)
		printf("refused rows and duplicates: %s (import no. %lld)\n",
		       j->rejects_path != NULL ? j->rejects_path : "not written (give --rejects FILE)",
		       (long long)r->import_id);
	if (left == 0)
		return 0;
	return kept > 0 ? 3 : 1;
}

static int persons_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	struct persons_job *j = arg;
	struct registry_writer w = { .policy = { .cli = 1 } };
	struct person_import_result r;
	struct csv *in = csv_open_fd(j->fd, &j->csv);
	int rc;

	if (in == NULL)
		return cli_fail(c, "out of memory");
	cli_actor(&w.audit);
	{
		struct stat sb;

		j->opts.size_hint = fstat(j->fd, &sb) == 0 && S_ISREG(sb.st_mode) ? (int64_t)sb.st_size : 0;
	}
	j->opts.progress = isatty(STDERR_FILENO) ? persons_progress : NULL;
	j->opts.progress_arg = c;
	rc = person_import(db, a, &w, in, &j->opts, &r);
	csv_free(in);
	if (j->opts.progress != NULL && r.read >= 10000)
		fputc('\n', stderr);
	if (rc != 0)
		return cli_fail(c, "%s: nothing imported: %s", j->path, r.error);
	return persons_summary(c, j, &r);
}

/* persons_args() reads the command line into j; 0, or the exit status of a refusal. */
static int persons_args(struct cli *c, struct persons_job *j)
{
	const char *inst = cli_opt(c, "institution"), *enc = cli_opt(c, "encoding"), *map = cli_opt(c, "mapping");
	size_t len;

	if (c->npos != 1)
		return cli_usage(c, "give one CSV file");
	if (inst == NULL || str_to_int64(inst, 1, INT64_MAX, &j->opts.institution_id) != 0)
		return cli_usage(c, "--institution ID is required (the number of the institution whose register it is)");
	if (enc != NULL && csv_parse_encoding(enc, &j->csv.encoding) != 0)
		return cli_usage(c, "--encoding must be utf-8, cp1250 or iso-8859-2, not '%s'", enc);
	j->path = c->pos[0];
	j->opts.file_name = strrchr(j->path, '/') != NULL ? strrchr(j->path, '/') + 1 : j->path;
	j->opts.update = cli_flag(c, "update");
	j->rejects_path = cli_opt(c, "rejects");
	if (map != NULL) {
		j->mapping = cli_read_file(map, IMPORT_MAX_BYTES, &len);
		if (j->mapping == NULL || len >= MAPPING_MAX_BYTES)
			return cli_fail(c, "cannot read the mapping %s: %s", map, j->mapping ? "too large" : strerror(errno));
		j->mapping[len < MAPPING_MAX_BYTES ? len : 0] = '\0';
		j->opts.mapping = j->mapping;
	}
	return 0;
}

static int cmd_persons(struct cli *c)
{
	struct persons_job j;
	FILE *rejects = NULL;
	int rc;

	memset(&j, 0, sizeof(j));
	j.fd = -1;
	rc = persons_args(c, &j);
	if (rc == 0) {
		j.fd = open(j.path, O_RDONLY | O_CLOEXEC);
		if (j.fd < 0)
			rc = cli_fail(c, "%s: nothing imported: cannot read it: %s", j.path, strerror(errno));
	}
	if (rc == 0 && j.rejects_path != NULL) {
		rejects = fopen(j.rejects_path, "wb");
		if (rejects == NULL)
			rc = cli_fail(c, "cannot write the rejects to %s: %s", j.rejects_path, strerror(errno));
		j.opts.rejects = rejects;
	}
	if (rc == 0)
		rc = cli_with_db(c, &j, persons_in_db);
	if (rejects != NULL) {
		long size = ftell(rejects);

		if (fclose(rejects) != 0 && rc != 1)
			rc = cli_fail(c, "cannot write the rejects to %s: %s", j.rejects_path, strerror(errno));
		if (size == 0)
			unlink(j.rejects_path); /* nothing refused: no file */
	}
	if (j.fd >= 0)
		close(j.fd);
	free(j.mapping);
	return rc;
}

/* ------------------------------------------------------------------ */
/* razem import episodes                                                */
/* ------------------------------------------------------------------ */

struct episodes_job {
	const char *path;
	int64_t inst;
	int fd;
	FILE *rejects;
	const char *rejects_path;
};

static int episodes_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	struct episodes_job *j = arg;
	struct registry_writer w = { .policy = { .cli = 1 } };
	struct episode_import_result r;
	struct csv *in = csv_open_fd(j->fd, NULL);
	int rc;

	if (in == NULL)
		return cli_fail(c, "out of memory");
	cli_actor(&w.audit);
	w.policy.institution_id = j->inst;
	rc = episode_import(db, a, &w, in, j->inst, j->rejects, &r);
	csv_free(in);
	if (rc != 0)
		return cli_fail(c, "%s: nothing imported: %s", j->path, r.error);
	printf("%s: read %ld, imported %ld, refused %ld, overlaps with partners %ld\n", j->path, r.read,
	       r.imported, r.refused, r.overlaps);
	if (r.refused > 0)
		printf("refused rows: %s\n", j->rejects_path != NULL ? j->rejects_path : "not written (give --rejects FILE)");
	if (r.refused == 0)
		return 0;
	return r.imported > 0 ? 3 : 1;
}

static int cmd_episodes(struct cli *c)
{
	struct episodes_job j = { .fd = -1 };
	const char *inst = cli_opt(c, "institution");
	int rc = 0;

	if (c->npos != 1)
		return cli_usage(c, "give one CSV file");
	if (inst == NULL || str_to_int64(inst, 1, INT64_MAX, &j.inst) != 0)
		return cli_usage(c, "--institution ID is required (the number of the institution that gave the support)");
	j.path = c->pos[0];
	j.rejects_path = cli_opt(c, "rejects");
	j.fd = open(j.path, O_RDONLY | O_CLOEXEC);
	if (j.fd < 0)
		return cli_fail(c, "%s: nothing imported: cannot read it: %s", j.path, strerror(errno));
	if (j.rejects_path != NULL && (j.rejects = fopen(j.rejects_path, "wb")) == NULL)
		rc = cli_fail(c, "cannot write the rejects to %s: %s", j.rejects_path, strerror(errno));
	if (rc == 0)
		rc = cli_with_db(c, &j, episodes_in_db);
	if (j.rejects != NULL) {
		long size = ftell(j.rejects);

		if (fclose(j.rejects) != 0 && rc != 1)
			rc = cli_fail(c, "cannot write the rejects to %s: %s", j.rejects_path, strerror(errno));
		if (size == 0)
			unlink(j.rejects_path);
	}
	close(j.fd);
	return rc;
}

const struct cli_command cli_import_commands[] = {
	{ "import", "teryt", "FILE",
	  "import the TERYT TERC register (territorial units)\n"
	  "Reads the register as GUS publishes it: CSV (WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA, the\n"
	  "official or the address variant, with or without a BOM) or XML. Units the database has\n"
	  "and the register no longer lists are closed at its date, not deleted; new ones are\n"
	  "opened; the demo county is kept. Re-importing the same file changes nothing. A file\n"
	  "with any bad row is refused whole, every bad row named.\n",
	  NULL, CLI_DB, cmd_teryt },
	{ "import", "boundaries", "FILE [--level voivodeship|powiat|gmina] [--code-property NAME] [--strict]",
	  "import official boundaries of territorial units (GeoJSON or Shapefile)\n"
	  "Reads a GeoJSON FeatureCollection or a Shapefile (.shp with its .dbf and .prj) of polygons,\n"
	  "in longitude/latitude or any coordinate system the file names (EPSG:2180 when it names none\n"
	  "and its coordinates are planar). The TERC code is read from --code-property (by default terc,\n"
	  "JPT_KOD_JE, teryt, kod or code); the level from --level or the codes' length. A gmina is\n"
	  "matched by its 7-digit code, else by its first 6 digits when they name one open gmina;\n"
	  "every feature that matches no unit is reported by name and left out (--strict refuses the\n"
	  "file instead). Borders are stored once, shared by both neighbours, and simplified for each\n"
	  "map scale. The level's previous boundaries are replaced in one transaction; a broken file\n"
	  "is refused whole, naming the feature.\n",
	  "level code-property strict!", CLI_DB, cmd_boundaries },
	{ "import", "persons",
	  "FILE --institution ID [--mapping MAPPING] [--encoding utf-8|cp1250] [--rejects OUT.csv] [--update]",
	  "import an institution's client register (persons, households) from CSV\n"
	  "Reads the CSV as offices export it: UTF-8 with or without BOM or Windows-1250 (detected,\n"
	  "or --encoding), ';' ',' or TAB (detected), quoted fields with line breaks. Columns are\n"
	  "found by their Polish names (PESEL, Imię, Nazwisko, Data urodzenia, Kod pocztowy,\n"
	  "Miejscowość, Ulica, Nr domu, Nr gospodarstwa, ...) or by a mapping file (docs/IMPORT.md).\n"
	  "Each row is validated like the form; the valid rows are committed in one transaction,\n"
	  "so nothing is half-imported when the command is killed. Refused rows go to --rejects\n"
	  "with every reason (in Polish). A PESEL the institution already holds is a duplicate and\n"
	  "is left alone, unless --update (then it is updated, with history). Exit status: 0 all\n"
	  "imported, 3 some refused and the rest imported, 1 nothing imported, 2 wrong usage.\n",
	  "institution mapping encoding rejects update!", CLI_DB, cmd_persons },
	{ "import", "episodes", "FILE --institution ID [--rejects OUT.csv]",
	  "import an institution's register of support given (episodes) from CSV\n"
	  "Columns by their names: PESEL, Instrument (a code of GET /api/v1/instruments), Start or\n"
	  "Początek, Planowany koniec, Faktyczny koniec, Koszt (zł with a decimal comma), Status\n"
	  "(planned/ongoing/completed/interrupted or zaplanowane/w trakcie/zakończone/przerwane),\n"
	  "Projekt, Rezultat; dates YYYY-MM-DD or DD.MM.YYYY. Persons are found by PESEL among the\n"
	  "institution's own records. Every row is validated like the form; the valid rows are\n"
	  "committed in one transaction; refused rows go to --rejects with every reason (in Polish).\n"
	  "Overlapping support of the same kind at partner institutions (an agreement with\n"
	  "information exchange) is recorded with an alert for both. Exit status: 0 all imported,\n"
	  "3 some refused and the rest imported, 1 nothing imported, 2 wrong usage.\n",
	  "institution rejects", CLI_DB, cmd_episodes },
	{ NULL },
};
