/*
 * cli_misc.c — razem config, version and help: commands about razem
 * itself, without a database.
 */
#include "cli/cli.h"

#ifndef RAZEM_VERSION
#define RAZEM_VERSION "0.1.0"
#endif

static int cmd_config(struct cli *c)
{
	int rc = cli_no_args(c);

	if (rc != 0)
		return rc;
	if (cli_flag(c, "doc"))
		config_write_doc(stdout);
	else
		config_write_values(stdout, &c->cfg);
	return 0;
}

static int cmd_version(struct cli *c)
{
	(void)c;
	printf("razem %s\n", RAZEM_VERSION);
	return 0;
}

static int cmd_help(struct cli *c)
{
	if (c->npos == 0) {
		cli_print_help(stdout);
		return 0;
	}
	if (c->npos > 2 || cli_print_command_help(stdout, c->pos[0], c->npos > 1 ? c->pos[1] : NULL) != 0)
		return cli_usage(c, "unknown command '%s%s%s'", c->pos[0], c->npos > 1 ? " " : "",
				 c->npos > 1 ? c->pos[1] : "");
	return 0;
}

const struct cli_command cli_misc_commands[] = {
	{ "config", NULL, "[--doc] [--SETTING VALUE ...]",
	  "show the effective settings, or the settings reference\n"
	  "Prints the settings after razem.conf, RAZEM_* variables and flags are applied, as the\n"
	  "configuration file would write them (durations as 30m, 12h, 1s); with --doc prints the\n"
	  "reference table of all settings (Markdown).\n",
	  "doc!", 0, cmd_config },
	{ "version", NULL, "", "print the version\n", NULL, 0, cmd_version },
	{ "help", NULL, "[COMMAND [SUBCOMMAND]]", "help on a command\n", NULL, 0, cmd_help },
	{ NULL },
};
