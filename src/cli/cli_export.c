/*
 * cli_export.c — razem export: a list written to a file by the same export
 * job the web runs, in this process, with a progress line on a terminal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "job/job.h"
#include "web/handlers.h"
#include "web/http.h"

#ifndef RAZEM_VERSION
#define RAZEM_VERSION "0.1.0"
#endif

/* The lists razem export knows: the page whose list is exported, and its audit action. */
static const struct {
	const char *name, *path, *audit, *entity;
} export_lists[] = {
	{ "institutions", "/admin/institutions", "institution.export", "institution" },
	{ "users", "/admin/users", "user.export", "user" },
	{ "audit", "/admin/audit", "audit.export", "audit" },
};

/* export_progress() keeps one line on a terminal up to date (stderr; nothing when not a terminal). */
static void export_progress(int64_t done, int64_t total, void *arg)
{
	(void)arg;
	if (total > 0)
		fprintf(stderr, "\rExporting: %lld of %lld rows (%lld%%)", (long long)done, (long long)total,
			(long long)(done * 100 / total));
	else
		fprintf(stderr, "\rExporting: %lld rows", (long long)done);
}

/* export_move() puts the finished file at its destination (rename, else copy). */
static int export_move(const char *from, const char *to)
{
	char chunk[65536];
	FILE *in, *out;
	size_t n;
	int rc = 0;

	if (rename(from, to) == 0)
		return 0;
	in = fopen(from, "rb");
	out = in != NULL ? fopen(to, "wb") : NULL;
	if (in == NULL || out == NULL)
		rc = -1;
	while (rc == 0 && (n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		if (fwrite(chunk, 1, n, out) != n)
			rc = -1;
	if (in != NULL && ferror(in))
		rc = -1;
	if (out != NULL && fclose(out) != 0)
		rc = -1;
	if (in != NULL)
		fclose(in);
	if (rc != 0 && out != NULL)
		unlink(to); /* no half-written file under the name the user asked for */
	unlink(from);
	return rc;
}

/*
 * razem export runs the export job kind in this process: the job row is
 * created and claimed here (audited as (cli:USER)), the rows are written
 * to a file in job_dir and moved to --output.
 */
static int cmd_export(struct cli *c)
{
	static char dir[1024];
	struct job_runner_opts o;
	struct audit_actor who;
	struct app app;
	struct arena *a = NULL;
	struct db *db;
	struct job j = { 0 };
	char err[512], *params = NULL;
	const char *name = c->npos > 0 ? c->pos[0] : NULL, *src;
	const char *format = cli_opt(c, "format"), *output = cli_opt(c, "output");
	enum job_state state = JOB_FAILED;
	int64_t id = 0;
	size_t i;
	int rc = 1, tty = isatty(2);

	for (i = 0; name != NULL && i < sizeof(export_lists) / sizeof(export_lists[0]); i++)
		if (strcmp(export_lists[i].name, name) == 0)
			break;
	if (name == NULL || i == sizeof(export_lists) / sizeof(export_lists[0]))
		return cli_usage(c, "name the list: institutions, users or audit");
	if (c->npos > 1)
		return cli_usage(c, "unexpected argument '%s'", c->pos[1]);
	if (format == NULL || (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0))
		return cli_usage(c, "say --format csv or --format xlsx");
	if (output == NULL)
		return cli_usage(c, "say where to write the file: --output FILE");
	db = cli_open_db(c);
	if (db == NULL)
		return 1;
	memset(&app, 0, sizeof(app));
	app.cfg = c->cfg;
	app.version = RAZEM_VERSION;
	config_job_dir(&c->cfg, dir, sizeof(dir));
	memset(&o, 0, sizeof(o));
	o.db_url = c->cfg.db;
	o.dir = dir;
	o.server = "cli";
	o.kinds = job_kinds;
	o.app = &app;
	job_kinds_set(job_kinds);
	cli_actor(&who);
	if (asprintf(&params, "{\"list\":\"%s\",\"path\":\"%s\",\"query\":[],\"format\":\"%s\","
		     "\"audit\":\"%s\",\"entity\":\"%s\"}", export_lists[i].name, export_lists[i].path,
		     format, export_lists[i].audit, export_lists[i].entity) < 0)
		params = NULL;
	a = arena_new(16u * 1024u * 1024u);
	if (params == NULL || a == NULL || job_prepare_dir(dir, err, sizeof(err)) != 0) {
		cli_fail(c, "%s", params == NULL || a == NULL ? "out of memory" : err);
		goto out;
	}
	/*
	 * Created and claimed in one transaction: a running server never sees
	 * the job queued, so it cannot take the command line's export.
	 */
	if (db_begin(db) != 0) {
		cli_fail(c, "cannot start the export: %s", db_errmsg(db));
		goto out;
	}
	if (job_create(db, &who, "export", params, &id) != 0 || job_claim(db, a, "cli", id, &j) != 0 ||
	    db_commit(db) != 0) {
		cli_fail(c, "cannot start the export: %s", db_errmsg(db));
		db_rollback(db);
		goto out;
	}
	state = job_run_claimed(db, &o, &j, tty ? export_progress : NULL, NULL);
	i18n_set_lang(LANG_EN);
	if (tty)
		fputc('\n', stderr);
	if (job_get(db, a, id, &j) != 0 || state != JOB_DONE || j.result_file == NULL) {
		/* the stored reason is a message id: shown in the CLI's language, English */
		cli_fail(c, "the export failed: %s", j.id == id && j.error != NULL ? j.error : "see the log");
		goto out;
	}
	src = arena_printf(a, "%s/%s", dir, j.result_file);
	if (src == NULL || export_move(src, output) != 0) {
		cli_fail(c, "cannot write %s: %s", output, strerror(errno));
		goto out;
	}
	job_forget_result(db, id);
	if (audit_write(db, &who, export_lists[i].audit, export_lists[i].entity, NULL,
			arena_printf(a, "job %lld to %s", (long long)id, output)) != DB_OK) {
		cli_fail(c, "cannot write the audit log");
		unlink(output);
		goto out;
	}
	printf("Exported %lld rows to %s\n", (long long)j.done, output);
	rc = 0;
out:
	free(params);
	arena_free(a);
	db_close(db);
	return rc;
}


const struct cli_command cli_export_commands[] = {
	{ "export", NULL, "LIST --format csv|xlsx --output FILE [--db DB]",
	  "export a list (institutions, users, audit) as CSV or XLSX\n"
	  "Writes the whole list (LIST: institutions, users or audit) as the administrator's\n"
	  "download would, row by row through the export job (at most export_max_rows rows), and\n"
	  "records it in the audit log as (cli:USER). On a terminal a progress line is shown.\n",
	  "format output", CLI_DB, cmd_export },
	{ NULL },
};
