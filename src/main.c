/*
 * main.c — the razem command line. The commands live in src/cli/, one
 * table per module; this list decides which modules exist and in which
 * order razem --help shows them. See cli/cli.h.
 */
#include "cli/cli.h"

static const struct cli_command *const modules[] = {
	cli_serve_commands,
	cli_demo_commands,
	cli_db_commands,
	cli_user_commands,
	cli_institution_commands,
	cli_export_commands,
	cli_import_commands,
	cli_map_commands,
	cli_misc_commands,
	cli_dataprot_commands,
	cli_person_commands,
	cli_coop_commands,
	cli_evaluation_commands,
	cli_link_commands,
	NULL,
};

int main(int argc, char **argv)
{
	return cli_main(modules, argc, argv);
}
