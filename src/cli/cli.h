/*
 * cli.h — the razem command line as data.
 *
 * Each module (cli_serve.c, cli_demo.c, cli_user.c, ...) declares its
 * commands in a table of struct cli_command ending with an empty entry;
 * main.c lists the modules' tables and cli_main() parses, checks and
 * dispatches from them and writes every help text from them. A new
 * subcommand is one row in its module's table; a new module is one table
 * and one line in main.c.
 *
 * Exit status: 0 success, 1 failure, 2 wrong usage (unknown option, bad
 * value, missing --db), always with a one-line message on standard error
 * ("razem user add: ...").
 */
#ifndef RAZEM_CLI_CLI_H
#define RAZEM_CLI_CLI_H

#include <stdio.h>

#include "audit/audit.h"
#include "core/config.h"
#include "core/verr.h"
#include "db/db.h"

#define CLI_MAX_ARGS 8
#define CLI_MAX_OPTS 32

/* cli_command.flags */
#define CLI_DB 1u /* uses the database: refused (exit 2) when no db is set */

struct cli;

struct cli_command {
	const char *name;    /* "user" */
	const char *sub;     /* "add", or NULL for a command without subcommands */
	const char *usage;   /* what follows "razem name sub": "LOGIN --role ROLE [--name NAME]" */
	const char *help;    /* first line: the summary in razem --help; then lines for --help */
	/*
	 * The options the command takes besides the settings (which every
	 * command takes as --SETTING VALUE), separated by spaces: "role+" may
	 * repeat, "temporary!" takes no value, "name" takes one value.
	 */
	const char *options;
	unsigned flags;      /* CLI_DB */
	int (*run)(struct cli *c);
};

/* What a command line said, after the settings were applied. */
struct cli {
	const struct cli_command *cmd;
	char name[64];                   /* "user add", for messages */
	struct config cfg;               /* effective settings */
	const char *pos[CLI_MAX_ARGS];   /* positional arguments after the (sub)command */
	int npos;
	struct { const char *key, *value; } opt[CLI_MAX_OPTS]; /* options in the order given */
	int nopt;
};

/* cli_main() runs the command line against the modules' tables (NULL-ended). */
int cli_main(const struct cli_command *const *modules, int argc, char **argv);

/* cli_opt() is the last value of --key, or NULL; cli_flag() is 1 when --key was given. */
const char *cli_opt(const struct cli *c, const char *key);
int cli_flag(const struct cli *c, const char *key);
/* cli_opts() stores up to max values of a repeatable --key in out; returns how many. */
int cli_opts(const struct cli *c, const char *key, const char **out, int max);

/* cli_usage() prints "razem CMD: message (see razem CMD --help)" and returns 2. */
int cli_usage(const struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* cli_fail() prints "razem CMD: message" and returns 1. */
int cli_fail(const struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* cli_no_args() refuses positional arguments: 0, or 2 after the message. */
int cli_no_args(const struct cli *c);

/*
 * cli_print_verrs() prints every field error of v, one line each, as
 * "razem CMD: --field: message" (the CLI's names for the form's fields).
 */
void cli_print_verrs(const struct cli *c, const struct verrs *v);

/* cli_open_db() connects and brings the schema up to date; NULL after printing why. */
struct db *cli_open_db(const struct cli *c);

/*
 * cli_with_db() opens the database and an arena for fn and closes both
 * after it; returns fn's exit status (1 when the database cannot be
 * opened). Commands check their arguments first, so a wrong command line
 * never creates a database.
 */
struct arena;
int cli_with_db(struct cli *c, void *arg, int (*fn)(struct cli *c, struct db *db, struct arena *a, void *arg));

/*
 * cli_read_file() reads path whole into malloc'd memory of at most max
 * bytes (a power of two); NULL with errno set (EFBIG when it is larger).
 */
char *cli_read_file(const char *path, size_t max, size_t *len);

/* cli_actor() describes the person at the terminal for audit rows: "(cli:login)". */
void cli_actor(struct audit_actor *who);

/* cli_print_help() writes the summary of all commands (razem --help). */
void cli_print_help(FILE *fp);

/*
 * cli_print_command_help() writes the help of "name sub", or the usage of
 * every subcommand of name when sub is NULL. -1 when there is no such command.
 */
int cli_print_command_help(FILE *fp, const char *name, const char *sub);

/* The modules' tables, listed in main.c. */
extern const struct cli_command cli_serve_commands[];
extern const struct cli_command cli_demo_commands[];
extern const struct cli_command cli_db_commands[];
extern const struct cli_command cli_user_commands[];
extern const struct cli_command cli_institution_commands[];
extern const struct cli_command cli_export_commands[];
extern const struct cli_command cli_import_commands[];
extern const struct cli_command cli_map_commands[];
extern const struct cli_command cli_misc_commands[];
extern const struct cli_command cli_dataprot_commands[];
extern const struct cli_command cli_person_commands[];
extern const struct cli_command cli_coop_commands[];
extern const struct cli_command cli_evaluation_commands[];
extern const struct cli_command cli_link_commands[];

/* cli_link_db() runs `razem link --db DB [--institution ID] [--full]` (cli_link_db.c). */
int cli_link_db(struct cli *c);

#endif
