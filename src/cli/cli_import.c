/*
 * cli_import.c — razem import teryt: loading public registers from files.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "territory/boundary.h"
#include "territory/geofile.h"
#include "territory/import.h"

#define IMPORT_MAX_BYTES (64u << 20) /* the whole TERC register is under 1 MB */

/* read_file() reads path whole into malloc'd memory; NULL with errno set. */
static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *data = NULL;
	size_t n = 0, cap = 0, got;

	if (fp == NULL)
		return NULL;
	do {
		if (n == cap) {
			char *d;

			cap = cap ? cap * 2 : 1u << 20;
			if (cap > IMPORT_MAX_BYTES || (d = realloc(data, cap)) == NULL) {
				free(data);
				fclose(fp);
				errno = EFBIG;
				return NULL;
			}
			data = d;
		}
		got = fread(data + n, 1, cap - n, fp);
		n += got;
	} while (got > 0);
	if (ferror(fp)) {
		free(data);
		data = NULL;
	}
	fclose(fp);
	*len = n;
	return data;
}

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
	data = read_file(f.path, &f.len);
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
	{ NULL },
};
