/*
 * cli.c — parsing, checking and dispatching the command line from the
 * modules' command tables, the help texts written from the same tables,
 * and the helpers every command uses (messages, database, audit actor).
 *
 * Settings come from razem.conf, then RAZEM_* environment variables, then
 * flags (each overriding the one before).
 */
#include "cli/cli.h"
#include "core/arena.h"

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/password.h"
#include "core/i18n.h"
#include "core/log.h"

extern char **environ;

static const struct cli_command *const *all_modules;

/* ------------------------------------------------------------------ */
/* Messages                                                            */
/* ------------------------------------------------------------------ */

int cli_usage(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "razem %s: ", c->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see razem %s --help)\n", c->name);
	return 2;
}

int cli_fail(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "razem %s: ", c->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int cli_no_args(const struct cli *c)
{
	return c->npos > 0 ? cli_usage(c, "unexpected argument '%s'", c->pos[0]) : 0;
}

void cli_print_verrs(const struct cli *c, const struct verrs *v)
{
	int i;

	for (i = 0; i < v->n; i++) {
		if (v->e[i].field[0] != '\0')
			fprintf(stderr, "razem %s: --%s: %s\n", c->name, v->e[i].field, v->e[i].message);
		else
			fprintf(stderr, "razem %s: %s\n", c->name, v->e[i].message);
	}
}

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

/*
 * option_kind() looks key up in a command's option list: 'v' (takes a
 * value), '+' (a value, may repeat), '!' (no value), or 0 when absent.
 */
static int option_kind(const char *options, const char *key)
{
	const char *p = options != NULL ? options : "";
	size_t n = strlen(key);

	while (*p != '\0') {
		size_t len = strcspn(p, " ");

		if (len > 0) {
			int mark = strchr("+!", p[len - 1]) != NULL ? p[len - 1] : 0;
			size_t name = mark ? len - 1 : len;

			if (name == n && strncmp(p, key, n) == 0)
				return mark ? mark : 'v';
		}
		p += len;
		p += strspn(p, " ");
	}
	return 0;
}

const char *cli_opt(const struct cli *c, const char *key)
{
	const char *v = NULL;
	int i;

	for (i = 0; i < c->nopt; i++)
		if (strcmp(c->opt[i].key, key) == 0)
			v = c->opt[i].value;
	return v;
}

int cli_flag(const struct cli *c, const char *key)
{
	int i;

	for (i = 0; i < c->nopt; i++)
		if (strcmp(c->opt[i].key, key) == 0)
			return 1;
	return 0;
}

int cli_opts(const struct cli *c, const char *key, const char **out, int max)
{
	int i, n = 0;

	for (i = 0; i < c->nopt && n < max; i++)
		if (strcmp(c->opt[i].key, key) == 0)
			out[n++] = c->opt[i].value;
	return n;
}

static void set_log_level(const char *level)
{
	if (strcmp(level, "debug") == 0)
		log_set_level(LOG_DEBUG);
	else if (strcmp(level, "warn") == 0)
		log_set_level(LOG_WARN);
	else if (strcmp(level, "error") == 0)
		log_set_level(LOG_ERROR);
}

/* load_config() applies the configuration file and the environment; 0, or 2 after the message. */
static int load_config(struct cli *c, int argc, char **argv)
{
	const char *conf = getenv("RAZEM_CONFIG");
	char err[512];
	int i, explicit = conf != NULL;

	config_defaults(&c->cfg);
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			conf = argv[++i];
			explicit = 1;
		} else if (strncmp(argv[i], "--config=", 9) == 0) {
			conf = argv[i] + 9;
			explicit = 1;
		}
	}
	if (config_load_file(&c->cfg, conf != NULL ? conf : "razem.conf", !explicit, err, sizeof(err)) < 0) {
		fprintf(stderr, "razem %s: %s\n", c->name, err);
		return 2;
	}
	if (config_load_env(&c->cfg, environ, err, sizeof(err)) != 0) {
		fprintf(stderr, "razem %s: environment: %s\n", c->name, err);
		return 2;
	}
	return 0;
}

/*
 * parse_args() applies the flags of argv (after the command) over the
 * settings and collects the command's options and positional arguments.
 * Returns 0, 1 for --help, or 2 after printing a usage error.
 */
static int parse_args(struct cli *c, int argc, char **argv)
{
	char key[64], err[512];
	int i, rc = load_config(c, argc, argv);

	if (rc != 0)
		return rc;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *eq, *value = NULL;
		size_t n;
		int kind;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return 1;
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (a[0] == '-' && a[1] != '\0')
				return cli_usage(c, "unknown option '%s'", a);
			if (c->npos >= CLI_MAX_ARGS)
				return cli_usage(c, "too many arguments at '%s'", a);
			c->pos[c->npos++] = a;
			continue;
		}
		eq = strchr(a + 2, '=');
		n = eq != NULL ? (size_t)(eq - (a + 2)) : strlen(a + 2);
		if (n == 0 || n >= sizeof(key))
			return cli_usage(c, "unknown option '%s'", a);
		memcpy(key, a + 2, n);
		key[n] = '\0';
		if (strcmp(key, "config") == 0) {
			if (eq == NULL)
				i++;
			continue;
		}
		kind = option_kind(c->cmd->options, key);
		if (kind == 0 && !config_has(key))
			return cli_usage(c, "unknown option '%s'", a);
		if (kind == '!') {
			if (eq != NULL)
				return cli_usage(c, "option '--%s' takes no value", key);
		} else if (eq != NULL) {
			value = eq + 1;
		} else if (i + 1 < argc) {
			value = argv[++i];
		} else {
			return cli_usage(c, "option '%s' needs a value", a);
		}
		if (kind == 0) {
			if (config_set(&c->cfg, key, value, err, sizeof(err)) != 0) {
				fprintf(stderr, "razem %s: %s\n", c->name, err);
				return 2;
			}
			continue;
		}
		if (kind == 'v' && cli_opt(c, key) != NULL)
			return cli_usage(c, "option '--%s' given twice", key);
		if (c->nopt >= CLI_MAX_OPTS)
			return cli_usage(c, "too many options at '%s'", a);
		c->opt[c->nopt].key = strndup(key, n); /* lives until exit, like argv */
		if (c->opt[c->nopt].key == NULL)
			return cli_fail(c, "out of memory");
		c->opt[c->nopt++].value = value;
	}
	set_log_level(c->cfg.log_level);
	setenv("TZ", c->cfg.timezone, 1);
	tzset();
	return 0;
}

/* ------------------------------------------------------------------ */
/* The database and the audit actor                                    */
/* ------------------------------------------------------------------ */

struct db *cli_open_db(const struct cli *c)
{
	struct db *db;
	char err[512];

	if (db_open(c->cfg.db, &db, err, sizeof(err)) != 0) {
		cli_fail(c, "%s", err);
		return NULL;
	}
	if (db_migrate(db, err, sizeof(err)) < 0) {
		cli_fail(c, "%s", err);
		db_close(db);
		return NULL;
	}
	return db;
}

int cli_with_db(struct cli *c, void *arg, int (*fn)(struct cli *c, struct db *db, struct arena *a, void *arg))
{
	struct db *db = cli_open_db(c);
	struct arena *a;
	int rc;

	if (db == NULL)
		return 1;
	a = arena_new(16u * 1024u * 1024u);
	if (a == NULL) {
		db_close(db);
		return cli_fail(c, "out of memory");
	}
	rc = fn(c, db, a, arg);
	arena_free(a);
	db_close(db);
	return rc;
}

char *cli_read_file(const char *path, size_t max, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *data = NULL;
	size_t n = 0, cap = 0, got;

	if (fp == NULL)
		return NULL;
	do {
		if (n == cap) {
			char *d;

			cap = cap ? cap * 2 : 1u << 16;
			if (cap > max || (d = realloc(data, cap)) == NULL) {
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

void cli_actor(struct audit_actor *who)
{
	static char name[80];
	const struct passwd *pw = getpwuid(getuid());
	const char *user = pw != NULL ? pw->pw_name : getenv("USER");

	snprintf(name, sizeof(name), "(cli:%s)", user != NULL ? user : "?");
	memset(who, 0, sizeof(*who));
	who->login = name;
	who->ip = "local";
}

/* ------------------------------------------------------------------ */
/* The tables and their help                                           */
/* ------------------------------------------------------------------ */

/* find() is the entry for name and sub (sub NULL: the first entry of name). */
static const struct cli_command *find(const char *name, const char *sub)
{
	const struct cli_command *const *m;
	const struct cli_command *e;

	for (m = all_modules; *m != NULL; m++)
		for (e = *m; e->name != NULL; e++)
			if (strcmp(e->name, name) == 0 &&
			    (sub == NULL || (e->sub != NULL && strcmp(e->sub, sub) == 0)))
				return e;
	return NULL;
}

/* subs() writes "add, passwd, ..." for the subcommands of name. */
static void subs(const char *name, char *out, size_t outlen)
{
	const struct cli_command *const *m;
	const struct cli_command *e;
	size_t len = 0;

	out[0] = '\0';
	for (m = all_modules; *m != NULL; m++)
		for (e = *m; e->name != NULL; e++)
			if (strcmp(e->name, name) == 0 && e->sub != NULL && len < outlen)
				len += (size_t)snprintf(out + len, outlen - len, "%s%s", len > 0 ? ", " : "",
							e->sub);
}

static int full_name(const struct cli_command *e, char *out, size_t outlen)
{
	return snprintf(out, outlen, "%s%s%s", e->name, e->sub != NULL ? " " : "",
			e->sub != NULL ? e->sub : "");
}

void cli_print_help(FILE *fp)
{
	const struct cli_command *const *m;
	const struct cli_command *e;
	char name[64];
	int width = 0;

	for (m = all_modules; *m != NULL; m++)
		for (e = *m; e->name != NULL; e++) {
			int n = full_name(e, name, sizeof(name));

			if (n > width)
				width = n;
		}
	fputs("razem — cooperation of social assistance and labour offices around families\n\n"
	      "usage: razem COMMAND [OPTIONS]\n\ncommands:\n",
	      fp);
	for (m = all_modules; *m != NULL; m++)
		for (e = *m; e->name != NULL; e++) {
			full_name(e, name, sizeof(name));
			fprintf(fp, "  %-*s  %.*s\n", width, name, (int)strcspn(e->help, "\n"), e->help);
		}
	fputs("\nrazem COMMAND --help explains a command. Settings: razem config --doc.\n", fp);
}

static void print_usage_line(FILE *fp, const struct cli_command *e, const char *lead)
{
	char name[64];

	full_name(e, name, sizeof(name));
	fprintf(fp, "%srazem %s%s%s\n", lead, name, e->usage[0] != '\0' ? " " : "", e->usage);
}

static void print_entry(FILE *fp, const struct cli_command *e)
{
	const char *more = strchr(e->help, '\n');

	print_usage_line(fp, e, "usage: ");
	fprintf(fp, "%.*s.\n", (int)strcspn(e->help, "\n"), e->help);
	if (more != NULL)
		fputs(more + 1, fp);
	fputs("Options:\n", fp);
	if (e->flags & CLI_DB)
		fputs("  --db DB            database: a file path, sqlite:PATH or postgresql://...; required\n"
		      "                     unless db is set in the configuration file or RAZEM_DB\n",
		      fp);
	fputs("  --config FILE      configuration file (default ./razem.conf when present)\n"
	      "  --SETTING VALUE    any setting (see razem config --doc)\n"
	      "  --help             this text\n",
	      fp);
}

int cli_print_command_help(FILE *fp, const char *name, const char *sub)
{
	const struct cli_command *const *m;
	const struct cli_command *e = find(name, sub);

	if (e == NULL)
		return -1;
	if (sub != NULL || e->sub == NULL) {
		print_entry(fp, e);
		return 0;
	}
	for (m = all_modules; *m != NULL; m++)
		for (e = *m; e->name != NULL; e++)
			if (strcmp(e->name, name) == 0)
				print_usage_line(fp, e, "usage: ");
	fprintf(fp, "\nrazem %s SUBCOMMAND --help explains each one.\n", name);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */
/* ------------------------------------------------------------------ */

int cli_main(const struct cli_command *const *modules, int argc, char **argv)
{
	const struct cli_command *cmd;
	static struct cli cli;
	char list[256];
	int first = 2, rc;

	all_modules = modules;
	if (argc < 2) {
		cli_print_help(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_print_help(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0)
		argv[1] = (char *)"version";
	cmd = find(argv[1], NULL);
	if (cmd == NULL) {
		fprintf(stderr, "razem: unknown command '%s' (see razem --help)\n", argv[1]);
		return 2;
	}
	if (cmd->sub != NULL) {
		subs(cmd->name, list, sizeof(list));
		if (argc < 3 || argv[2][0] == '-') {
			if (argc >= 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0))
				return cli_print_command_help(stdout, cmd->name, NULL), 0;
			fprintf(stderr, "razem %s: say what to do: %s (see razem %s --help)\n", cmd->name,
				list, cmd->name);
			return 2;
		}
		cmd = find(argv[1], argv[2]);
		if (cmd == NULL) {
			fprintf(stderr, "razem %s: unknown subcommand '%s' (one of: %s)\n", argv[1], argv[2],
				list);
			return 2;
		}
		first = 3;
	}
	cli.cmd = cmd;
	full_name(cmd, cli.name, sizeof(cli.name));
	rc = parse_args(&cli, argc - first, argv + first);
	if (rc == 1) {
		print_entry(stdout, cmd);
		return 0;
	}
	if (rc != 0)
		return rc;
	/* no silent ./razem.db: the database is named, here or in the settings */
	if ((cmd->flags & CLI_DB) && cli.cfg.db[0] == '\0') {
		fprintf(stderr, "razem %s: --db is required (or set db in razem.conf or RAZEM_DB)\n",
			cli.name);
		return 2;
	}
	if (i18n_init() != 0 || password_init() != 0) {
		fprintf(stderr, "razem: cannot initialise (message catalogue or libsodium)\n");
		return 1;
	}
	i18n_set_lang(LANG_EN); /* the CLI speaks English; the server picks a language per request */
	return cmd->run(&cli);
}
