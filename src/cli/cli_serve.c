/*
 * cli_serve.c — razem serve: check the settings, open and migrate the
 * database, then run the web server until SIGINT or SIGTERM.
 */
#include <string.h>

#include "cli/cli.h"
#include "core/str.h"
#include "demo/demo.h"
#include "job/job.h"
#include "web/handlers.h"
#include "web/server.h"

#ifndef RAZEM_VERSION
#define RAZEM_VERSION "0.1.0"
#endif

/* check_listen() refuses an address the server could not bind before anything touches the database. */
static int check_listen(const struct cli *c)
{
	char err[400];

	if (server_parse_listen(c->cfg.listen, NULL, NULL, err, sizeof(err)) != 0)
		return cli_usage(c, "%s", err);
	return 0;
}

/* start_jobs() starts the job runner threads of razem serve (job_workers of them). */
static int start_jobs(const struct cli *c, const struct app *app, char *err, size_t errlen)
{
	static char dir[1024], server[320];
	struct job_runner_opts o;

	config_job_dir(&c->cfg, dir, sizeof(dir));
	job_server_name(c->cfg.listen, server, sizeof(server));
	memset(&o, 0, sizeof(o));
	o.db_url = c->cfg.db;
	o.dir = dir;
	o.server = server;
	o.workers = (int)c->cfg.job_workers;
	o.keep = c->cfg.job_keep;
	o.stale = c->cfg.job_stale;
	o.kinds = job_kinds;
	o.app = app;
	return job_runner_start(&o, err, errlen);
}

static int cmd_serve(struct cli *c)
{
	struct app app;
	struct db *db;
	char err[512], where[1100];
	int demo, rc;

	if ((rc = cli_no_args(c)) != 0 || (rc = check_listen(c)) != 0)
		return rc;
	db = cli_open_db(c);
	if (db == NULL)
		return 1;
	demo = demo_is_demo(db);
	db_close(db);
	if (demo < 0)
		return cli_fail(c, "cannot read the database");
	memset(&app, 0, sizeof(app));
	app.cfg = c->cfg;
	app.demo = demo;
	app.tls = c->cfg.tls_cert[0] != '\0';
	app.version = RAZEM_VERSION;
	db_url_describe(c->cfg.db, where, sizeof(where));
	app.db_describe = where;
	if (start_jobs(c, &app, err, sizeof(err)) != 0)
		return cli_fail(c, "%s", err);
	rc = server_run(&app, err, sizeof(err));
	job_runner_stop(); /* after the last request: a running job ends as failed (interrupted) */
	if (rc != 0)
		return cli_fail(c, "%s", err);
	return 0;
}

const struct cli_command cli_serve_commands[] = {
	{ "serve", NULL, "--db DB [--listen ADDR:PORT] [--threads N] [--SETTING VALUE ...]",
	  "run the web server (pages, JSON API)\n"
	  "Applies pending migrations, then serves until SIGINT or SIGTERM, finishing requests in\n"
	  "flight. --listen ADDR:PORT says where (default 127.0.0.1:8080), --threads N how many\n"
	  "worker threads (default: one per CPU).\n",
	  NULL, CLI_DB, cmd_serve },
	{ NULL },
};
