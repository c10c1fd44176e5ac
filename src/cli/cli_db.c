/*
 * cli_db.c — the database as a whole: razem migrate and razem backup.
 */
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static int cmd_migrate(struct cli *c)
{
	struct db *db;
	char err[512];
	int applied, version, rc;

	if ((rc = cli_no_args(c)) != 0)
		return rc;
	if (db_open(c->cfg.db, &db, err, sizeof(err)) != 0)
		return cli_fail(c, "%s", err);
	applied = db_migrate(db, err, sizeof(err));
	if (applied < 0) {
		db_close(db);
		return cli_fail(c, "%s", err);
	}
	version = db_schema_version(db);
	printf("Schema at version %d (%d migration%s applied now).\n", version, applied,
	       applied == 1 ? "" : "s");
	db_close(db);
	return 0;
}

static int cmd_backup(struct cli *c)
{
	const char *to = cli_opt(c, "to") != NULL ? cli_opt(c, "to") : (c->npos > 0 ? c->pos[0] : NULL);
	struct db *db;
	char err[512];
	int rc;

	if (to == NULL)
		return cli_usage(c, "say where to write the copy: razem backup --db DB FILE");
	if (c->npos > (cli_opt(c, "to") != NULL ? 0 : 1))
		return cli_usage(c, "unexpected argument '%s'", c->pos[c->npos - 1]);
	if (access(to, F_OK) == 0)
		return cli_fail(c, "%s already exists; choose a new file name", to);
	/* db_open() would create an empty SQLite file and copy that */
	if (strncmp(c->cfg.db, "postgres", 8) != 0 &&
	    access(strncmp(c->cfg.db, "sqlite:", 7) == 0 ? c->cfg.db + 7 : c->cfg.db, F_OK) != 0)
		return cli_fail(c, "there is no database at %s", c->cfg.db);
	if (db_open(c->cfg.db, &db, err, sizeof(err)) != 0)
		return cli_fail(c, "%s", err);
	rc = db_backup(db, to, err, sizeof(err));
	db_close(db);
	if (rc != 0)
		return cli_fail(c, "%s", err);
	printf("Backup written to %s\n", to);
	return 0;
}

const struct cli_command cli_db_commands[] = {
	{ "migrate", NULL, "--db DB",
	  "apply pending database migrations\n"
	  "Applies the migrations not yet applied and prints the schema version.\n",
	  NULL, CLI_DB, cmd_migrate },
	{ "backup", NULL, "--db DB FILE",
	  "write an online, consistent copy of the database\n"
	  "SQLite: a compact copy of the database file (VACUUM INTO), safe while the server runs.\n"
	  "PostgreSQL: a pg_dump archive in custom format (restore with pg_restore).\n"
	  "--to FILE is the same as the FILE argument.\n",
	  "to", CLI_DB, cmd_backup },
	{ NULL },
};
