/*
 * main.c — the razem command line: serve, demo, migrate, user, backup,
 * config, version. Each command's help text sits next to it in the
 * command table. Settings come from razem.conf, then RAZEM_* environment
 * variables, then flags (each overriding the one before); every command
 * that touches the database takes --db.
 *
 * Exit status: 0 success, 1 failure, 2 wrong usage (unknown option, bad
 * value), always with a one-line message on standard error.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "auth/password.h"
#include "auth/role.h"
#include "auth/user.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"
#include "demo/demo.h"
#include "registry/institution.h"
#include "web/server.h"

#ifndef RAZEM_VERSION
#define RAZEM_VERSION "0.1.0"
#endif

extern char **environ;

#define MAX_POSITIONAL 8
#define MAX_ROLES 8

/* What a command line said, after the settings were applied. */
struct cli {
	const char *cmd;                     /* command name, for messages */
	struct config cfg;                   /* effective settings */
	const char *pos[MAX_POSITIONAL];     /* positional arguments */
	int npos;
	const char *roles[MAX_ROLES];        /* --role (user add, may repeat) */
	int nroles;
	const char *institution;             /* --institution */
	const char *name;                    /* --name */
	const char *email;                   /* --email */
	const char *to;                      /* --to */
	const char *kind, *regon, *nip, *terc; /* institution add */
	const char *street, *postcode, *city, *phone;
	int reset;                           /* --reset */
	int temporary;                       /* --temporary */
	int doc;                             /* --doc */
};

struct command {
	const char *name;
	int (*run)(struct cli *cli);
	const char *summary;
	const char *usage;
};

static const struct command *find_command(const char *name);
static void print_help(FILE *fp);

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "razem %s: ", cmd);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see razem %s --help)\n", cmd);
	return 2;
}

/* ------------------------------------------------------------------ */
/* Settings and arguments                                              */
/* ------------------------------------------------------------------ */

static const char *const value_flags[] = { "role", "institution", "name", "email", "to", "kind",
	"regon", "nip", "terc", "street", "postcode", "city", "phone", NULL };
static const char *const bool_flags[] = { "reset", "temporary", "doc", NULL };

static int in_list(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static void set_flag(struct cli *c, const char *key, const char *value)
{
	if (strcmp(key, "role") == 0 && c->nroles < MAX_ROLES)
		c->roles[c->nroles++] = value;
	else if (strcmp(key, "institution") == 0)
		c->institution = value;
	else if (strcmp(key, "name") == 0)
		c->name = value;
	else if (strcmp(key, "email") == 0)
		c->email = value;
	else if (strcmp(key, "to") == 0)
		c->to = value;
	else if (strcmp(key, "kind") == 0)
		c->kind = value;
	else if (strcmp(key, "regon") == 0)
		c->regon = value;
	else if (strcmp(key, "nip") == 0)
		c->nip = value;
	else if (strcmp(key, "terc") == 0)
		c->terc = value;
	else if (strcmp(key, "street") == 0)
		c->street = value;
	else if (strcmp(key, "postcode") == 0)
		c->postcode = value;
	else if (strcmp(key, "city") == 0)
		c->city = value;
	else if (strcmp(key, "phone") == 0)
		c->phone = value;
	else if (strcmp(key, "reset") == 0)
		c->reset = 1;
	else if (strcmp(key, "temporary") == 0)
		c->temporary = 1;
	else if (strcmp(key, "doc") == 0)
		c->doc = 1;
}

/*
 * load_settings() applies the configuration file, the environment and the
 * flags in argv (from index 1), in that order. Returns 0, 1 for --help,
 * or 2 after printing a usage error.
 */
static int load_settings(struct cli *c, int argc, char **argv)
{
	const char *conf = getenv("RAZEM_CONFIG");
	char err[512], key[64];
	int i, explicit = conf != NULL, rc;

	config_defaults(&c->cfg);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			conf = argv[++i];
			explicit = 1;
		} else if (strncmp(argv[i], "--config=", 9) == 0) {
			conf = argv[i] + 9;
			explicit = 1;
		}
	}
	rc = config_load_file(&c->cfg, conf != NULL ? conf : "razem.conf", !explicit, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "razem %s: %s\n", c->cmd, err);
		return 2;
	}
	if (config_load_env(&c->cfg, environ, err, sizeof(err)) != 0) {
		fprintf(stderr, "razem %s: environment: %s\n", c->cmd, err);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *eq, *value;
		size_t n;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return 1;
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (a[0] == '-' && a[1] != '\0')
				return usage_error(c->cmd, "unknown option '%s'", a);
			if (c->npos >= MAX_POSITIONAL)
				return usage_error(c->cmd, "too many arguments at '%s'", a);
			c->pos[c->npos++] = a;
			continue;
		}
		eq = strchr(a + 2, '=');
		n = eq != NULL ? (size_t)(eq - (a + 2)) : strlen(a + 2);
		if (n == 0 || n >= sizeof(key))
			return usage_error(c->cmd, "unknown option '%s'", a);
		memcpy(key, a + 2, n);
		key[n] = '\0';
		if (strcmp(key, "config") == 0) {
			if (eq == NULL)
				i++;
			continue;
		}
		if (in_list(bool_flags, key)) {
			if (eq != NULL)
				return usage_error(c->cmd, "option '--%s' takes no value", key);
			set_flag(c, key, NULL);
			continue;
		}
		if (!in_list(value_flags, key) && !config_has(key))
			return usage_error(c->cmd, "unknown option '%s'", a);
		if (eq != NULL)
			value = eq + 1;
		else if (i + 1 < argc)
			value = argv[++i];
		else
			return usage_error(c->cmd, "option '%s' needs a value", a);
		if (in_list(value_flags, key)) {
			set_flag(c, key, value);
			continue;
		}
		if (config_set(&c->cfg, key, value, err, sizeof(err)) != 0) {
			fprintf(stderr, "razem %s: %s\n", c->cmd, err);
			return 2;
		}
	}
	if (strcmp(c->cfg.log_level, "debug") == 0)
		log_set_level(LOG_DEBUG);
	else if (strcmp(c->cfg.log_level, "warn") == 0)
		log_set_level(LOG_WARN);
	else if (strcmp(c->cfg.log_level, "error") == 0)
		log_set_level(LOG_ERROR);
	setenv("TZ", c->cfg.timezone, 1);
	tzset();
	return 0;
}

/* open_db() connects and brings the schema up to date. Returns NULL after printing why. */
static struct db *open_db(struct cli *c)
{
	struct db *db;
	char err[512];

	if (db_open(c->cfg.db, &db, err, sizeof(err)) != 0) {
		fprintf(stderr, "razem %s: %s\n", c->cmd, err);
		return NULL;
	}
	if (db_migrate(db, err, sizeof(err)) < 0) {
		fprintf(stderr, "razem %s: %s\n", c->cmd, err);
		db_close(db);
		return NULL;
	}
	return db;
}

static void cli_actor(struct audit_actor *who)
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
/* Commands                                                            */
/* ------------------------------------------------------------------ */

static int cmd_serve(struct cli *c)
{
	struct app app;
	struct db *db;
	char err[512], where[1100];
	int demo;

	if (c->npos > 0)
		return usage_error(c->cmd, "unexpected argument '%s'", c->pos[0]);
	db = open_db(c);
	if (db == NULL)
		return 1;
	demo = demo_is_demo(db);
	db_close(db);
	if (demo < 0) {
		fprintf(stderr, "razem serve: cannot read the database\n");
		return 1;
	}
	memset(&app, 0, sizeof(app));
	app.cfg = c->cfg;
	app.demo = demo;
	app.tls = c->cfg.tls_cert[0] != '\0';
	app.version = RAZEM_VERSION;
	db_url_describe(c->cfg.db, where, sizeof(where));
	app.db_describe = where;
	if (server_run(&app, err, sizeof(err)) != 0) {
		fprintf(stderr, "razem serve: %s\n", err);
		return 1;
	}
	return 0;
}

/* reset_db() empties the database named by --db (for demo --reset). */
static int reset_db(struct cli *c)
{
	struct db *db;
	char err[512];
	const char *path = c->cfg.db;

	if (strncmp(path, "postgres", 8) == 0) {
		if (db_open(path, &db, err, sizeof(err)) != 0) {
			fprintf(stderr, "razem demo: %s\n", err);
			return -1;
		}
		if (db_exec(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public") != 0) {
			fprintf(stderr, "razem demo: cannot reset: %s\n", db_errmsg(db));
			db_close(db);
			return -1;
		}
		db_close(db);
		return 0;
	}
	if (strncmp(path, "sqlite:", 7) == 0)
		path += 7;
	{
		const char *suffix[] = { "", "-wal", "-shm" };
		char f[1100];
		int i;

		for (i = 0; i < 3; i++) {
			snprintf(f, sizeof(f), "%s%s", path, suffix[i]);
			if (unlink(f) != 0 && errno != ENOENT) {
				fprintf(stderr, "razem demo: cannot remove %s: %s\n", f, strerror(errno));
				return -1;
			}
		}
	}
	return 0;
}

static void print_demo_accounts(const char *where)
{
	int i;

	const char *role, *inst;

	printf("Demo database: %s\n", where);
	printf("Demo accounts, one per role, all with the password \"%s\":\n", DEMO_PASSWORD);
	for (i = 0; demo_account((size_t)i, &role, &inst) == 0; i++)
		printf("  %-12s %-15s %s\n", demo_logins[i], role, inst);
}

static int cmd_demo(struct cli *c)
{
	struct db *db;
	char err[512], where[1100];
	int64_t users = 0;
	int demo, ret = 1;

	if (c->npos > 0)
		return usage_error(c->cmd, "unexpected argument '%s'", c->pos[0]);
	if (c->reset && reset_db(c) != 0)
		return 1;
	db = open_db(c);
	if (db == NULL)
		return 1;
	db_url_describe(c->cfg.db, where, sizeof(where));
	demo = demo_is_demo(db);
	if (demo < 0 || db_get_int(db, &users, "SELECT COUNT(*) FROM app_user", NULL) != DB_ROW) {
		fprintf(stderr, "razem demo: cannot read the database: %s\n", db_errmsg(db));
		goto out;
	}
	if (demo == 1) {
		printf("%s already holds the demo data; kept as it is (use --reset to start over).\n", where);
		print_demo_accounts(where);
		ret = 0;
		goto out;
	}
	if (users > 0) {
		fprintf(stderr, "razem demo: %s already holds real data; refusing to add demo data to it\n",
			where);
		goto out;
	}
	if (demo_build(db, err, sizeof(err)) != 0) {
		fprintf(stderr, "razem demo: %s\n", err);
		goto out;
	}
	printf("Created the demo data: a fictional county (powiat przykładowy) with 10 gminas.\n");
	print_demo_accounts(where);
	ret = 0;
out:
	db_close(db);
	return ret;
}

static int cmd_migrate(struct cli *c)
{
	struct db *db;
	char err[512];
	int applied, version;

	if (c->npos > 0)
		return usage_error(c->cmd, "unexpected argument '%s'", c->pos[0]);
	if (db_open(c->cfg.db, &db, err, sizeof(err)) != 0) {
		fprintf(stderr, "razem migrate: %s\n", err);
		return 1;
	}
	applied = db_migrate(db, err, sizeof(err));
	if (applied < 0) {
		fprintf(stderr, "razem migrate: %s\n", err);
		db_close(db);
		return 1;
	}
	version = db_schema_version(db);
	printf("Schema at version %d (%d migration%s applied now).\n", version, applied,
	       applied == 1 ? "" : "s");
	db_close(db);
	return 0;
}

/* read_password() reads a password from standard input: prompted twice on a terminal, else one line. */
static int read_password(char *out, size_t outlen, int confirm)
{
	struct termios old, quiet;
	char again[PASSWORD_MAX_LENGTH + 2];
	int tty = isatty(STDIN_FILENO);

	if (tty) {
		if (tcgetattr(STDIN_FILENO, &old) != 0)
			return -1;
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		fprintf(stderr, "Password: ");
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (fgets(out, (int)outlen, stdin) == NULL) {
		if (tty)
			tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		return -1;
	}
	out[strcspn(out, "\r\n")] = '\0';
	if (tty && confirm) {
		fprintf(stderr, "\nPassword again: ");
		if (fgets(again, sizeof(again), stdin) == NULL)
			again[0] = '\0';
		again[strcspn(again, "\r\n")] = '\0';
	}
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
		if (confirm && strcmp(out, again) != 0) {
			fprintf(stderr, "The passwords differ.\n");
			return -1;
		}
	}
	return 0;
}

/* seeded_demo_account() is 1 for the accounts a demo database was built with (policy-exempt). */
static int seeded_demo_account(struct db *db, const char *login)
{
	size_t i;

	if (demo_is_demo(db) != 1)
		return 0;
	for (i = 0; demo_logins[i] != NULL; i++)
		if (strcmp(demo_logins[i], login) == 0)
			return 1;
	return 0;
}

/* new_password() reads and checks a password for login (policy unless a seeded demo account); 0 or -1. */
static int new_password(struct cli *c, struct db *db, const char *login, const char *full_name,
			char hash[PASSWORD_HASH_MAX])
{
	char pw[PASSWORD_MAX_LENGTH + 2];
	struct verrs v = VERRS_INIT;
	int i;

	if (read_password(pw, sizeof(pw), 1) != 0) {
		fprintf(stderr, "razem %s: no password given on standard input\n", c->cmd);
		return -1;
	}
	if (seeded_demo_account(db, login)) {
		if (pw[0] == '\0')
			verrs_add(&v, "password", "required", "%s", "Enter a password.");
	} else {
		password_policy_person(pw, login, full_name, c->cfg.password_min_length, &v, "password");
	}
	for (i = 0; i < v.n; i++)
		fprintf(stderr, "razem %s: password: %s\n", c->cmd, v.e[i].message);
	if (v.n > 0)
		return -1;
	return password_hash(pw, hash);
}

static int user_add(struct cli *c, struct db *db, struct arena *a)
{
	struct user u;
	struct verrs v = VERRS_INIT;
	struct audit_actor who;
	char hash[PASSWORD_HASH_MAX];
	int64_t id = 0, inst;
	int i;

	if (c->npos != 2)
		return usage_error(c->cmd, "%s", "user add needs a LOGIN");
	if (c->nroles == 0 || c->institution == NULL)
		return usage_error(c->cmd, "%s", "user add needs --role ROLE and --institution ID");
	if (str_to_int64(c->institution, 1, INT64_MAX, &inst) != 0)
		return usage_error(c->cmd, "--institution must be an institution number, not '%s'",
				   c->institution);
	memset(&u, 0, sizeof(u));
	u.login = c->pos[1];
	u.full_name = c->name != NULL ? c->name : c->pos[1];
	u.email = c->email;
	u.institution_id = inst;
	u.active = 1;
	for (i = 0; i < c->nroles; i++) {
		int r = role_parse(c->roles[i]);

		if (r < 0)
			return usage_error(c->cmd, "unknown role '%s' (admin, social_worker, labour_adviser, "
						   "guardian, coordinator, analyst, project_office)",
					   c->roles[i]);
		u.roles |= ROLE_BIT(r);
	}
	if (user_validate(&u, a, &v) > 0) {
		fprintf(stderr, "razem user add: %s: %s\n", v.e[0].field, v.e[0].message);
		return 2;
	}
	if (new_password(c, db, u.login, u.full_name, hash) != 0)
		return 1;
	cli_actor(&who);
	if (db_begin(db) != 0)
		return 1;
	i = user_create(db, a, &u, hash, &id, &v); /* sets id, which the audit row names */
	i = audit_commit(db, &who, i, "user.create", "user", id, u.login);
	if (i != 0) {
		fprintf(stderr, "razem user add: %s\n", v.n > 0 ? v.e[0].message : "not saved (see above)");
		return 1;
	}
	printf("Created user %s (number %lld).\n", u.login, (long long)id);
	return 0;
}

static int user_find(struct cli *c, struct db *db, struct arena *a, struct user *u)
{
	int rc;

	if (c->npos != 2)
		return usage_error(c->cmd, "%s", "this needs a LOGIN");
	rc = user_get_by_login(db, a, user_login_normalise(a, c->pos[1]), u, NULL);
	if (rc < 0) {
		fprintf(stderr, "razem user: %s\n", db_errmsg(db));
		return 1;
	}
	if (rc > 0) {
		fprintf(stderr, "razem user: no user with login '%s'\n", c->pos[1]);
		return 1;
	}
	return 0;
}

static int user_passwd(struct cli *c, struct db *db, struct arena *a)
{
	struct user u;
	struct audit_actor who;
	char hash[PASSWORD_HASH_MAX];
	int rc = user_find(c, db, a, &u);

	if (rc != 0)
		return rc;
	if (new_password(c, db, u.login, u.full_name, hash) != 0)
		return 1;
	cli_actor(&who);
	if (db_begin(db) != 0 ||
	    audit_commit(db, &who, user_set_password(db, u.id, hash, c->temporary, NULL),
			 "user.password_reset", "user", u.id, u.login) != 0) {
		fprintf(stderr, "razem user passwd: not saved (see above)\n");
		return 1;
	}
	printf("Password of %s changed%s; its sessions were signed out.\n", u.login,
	       c->temporary ? " (temporary: must be changed at the next sign-in)" : "");
	return 0;
}

static int user_active(struct cli *c, struct db *db, struct arena *a, int active)
{
	struct user u;
	struct audit_actor who;
	int rc = user_find(c, db, a, &u);

	if (rc != 0)
		return rc;
	cli_actor(&who);
	if (db_begin(db) != 0 ||
	    audit_commit(db, &who, user_set_active(db, u.id, active), active ? "user.enable" : "user.disable",
			 "user", u.id, u.login) != 0) {
		fprintf(stderr, "razem user: not saved (see above)\n");
		return 1;
	}
	printf("User %s is now %s.\n", u.login, active ? "active" : "inactive (signed out everywhere)");
	return 0;
}

static int user_unlock_cmd(struct cli *c, struct db *db, struct arena *a)
{
	struct user u;
	struct audit_actor who;
	int rc = user_find(c, db, a, &u);

	if (rc != 0)
		return rc;
	cli_actor(&who);
	if (user_unlock(db, &who, u.id) != 0) {
		fprintf(stderr, "razem user unlock: not saved (see above)\n");
		return 1;
	}
	printf("Sign-in of %s is unlocked; its failed attempts are forgotten.\n", u.login);
	return 0;
}

static int user_list_cmd(struct db *db)
{
	struct db_stmt *st = db_query(db,
				      "SELECT u.id, u.login, u.full_name, i.name, u.active, "
				      "(SELECT string_agg(x.role, ',') FROM (SELECT r.role FROM user_role r "
				      "WHERE r.user_id = u.id ORDER BY r.role) x) "
				      "FROM app_user u JOIN institution i ON i.id = u.institution_id "
				      "ORDER BY u.login",
				      NULL);

	if (st == NULL) {
		fprintf(stderr, "razem user list: %s\n", db_errmsg(db));
		return 1;
	}
	printf("%-6s %-16s %-28s %-8s %-32s %s\n", "ID", "LOGIN", "NAME", "ACTIVE", "ROLES",
	       "INSTITUTION");
	while (db_step(st) == DB_ROW)
		printf("%-6lld %-16s %-28s %-8s %-32s %s\n", (long long)db_col_int(st, 0),
		       db_col_text(st, 1), db_col_text(st, 2), db_col_int(st, 4) ? "yes" : "no",
		       db_col_text(st, 5) != NULL ? db_col_text(st, 5) : "", db_col_text(st, 3));
	db_reset(st);
	return 0;
}

static int cmd_user(struct cli *c)
{
	struct db *db;
	struct arena *a;
	const char *sub = c->npos > 0 ? c->pos[0] : NULL;
	int rc;

	if (sub == NULL)
		return usage_error(c->cmd, "%s", "say what to do: add, passwd, disable, enable, unlock or list");
	if (strcmp(sub, "add") != 0 && strcmp(sub, "passwd") != 0 && strcmp(sub, "disable") != 0 &&
	    strcmp(sub, "enable") != 0 && strcmp(sub, "unlock") != 0 && strcmp(sub, "list") != 0)
		return usage_error(c->cmd, "unknown subcommand '%s'", sub);
	db = open_db(c);
	if (db == NULL)
		return 1;
	a = arena_new(16u * 1024u * 1024u);
	if (a == NULL) {
		db_close(db);
		return 1;
	}
	if (strcmp(sub, "add") == 0)
		rc = user_add(c, db, a);
	else if (strcmp(sub, "passwd") == 0)
		rc = user_passwd(c, db, a);
	else if (strcmp(sub, "disable") == 0)
		rc = user_active(c, db, a, 0);
	else if (strcmp(sub, "enable") == 0)
		rc = user_active(c, db, a, 1);
	else if (strcmp(sub, "unlock") == 0)
		rc = user_unlock_cmd(c, db, a);
	else
		rc = user_list_cmd(db);
	arena_free(a);
	db_close(db);
	return rc;
}

/*
 * institution add: the first institution of a new database (the home of
 * its first administrator) is created here; the rest through the pages.
 */
static int institution_add(struct cli *c, struct db *db, struct arena *a)
{
	struct institution in;
	struct verrs v = VERRS_INIT;
	struct audit_actor who;
	int64_t id = 0;
	int rc;

	if (c->npos != 1)
		return usage_error(c->cmd, "unexpected argument '%s'", c->pos[1]);
	if (c->kind == NULL || c->name == NULL)
		return usage_error(c->cmd, "%s", "institution add needs --kind KIND and --name NAME");
	memset(&in, 0, sizeof(in));
	in.kind = c->kind;
	in.name = c->name;
	in.regon = c->regon;
	in.nip = c->nip;
	in.terc = c->terc;
	in.street = c->street;
	in.postcode = c->postcode;
	in.city = c->city;
	in.phone = c->phone;
	in.email = c->email;
	in.active = 1;
	if (institution_validate(&in, a, &v) > 0 || institution_check_terc(db, a, &in, &v) > 0) {
		fprintf(stderr, "razem institution add: --%s: %s\n", v.e[0].field, v.e[0].message);
		return 2;
	}
	cli_actor(&who);
	if (db_begin(db) != 0)
		return 1;
	rc = institution_create(db, a, &in, &id, &v); /* sets id, which the audit row names */
	rc = audit_commit(db, &who, rc, "institution.create", "institution", id, in.name);
	if (rc != 0) {
		fprintf(stderr, "razem institution add: %s\n", v.n > 0 ? v.e[0].message : "not saved (see above)");
		return 1;
	}
	printf("Created institution %s (number %lld).\n", in.name, (long long)id);
	return 0;
}

static int institution_list_cmd(struct db *db, struct arena *a)
{
	struct institution_option *o;
	int n = institution_options(db, a, &o), i;

	if (n < 0) {
		fprintf(stderr, "razem institution list: %s\n", db_errmsg(db));
		return 1;
	}
	printf("%-6s %-8s %-8s %s\n", "ID", "KIND", "ACTIVE", "NAME");
	for (i = 0; i < n; i++)
		printf("%-6lld %-8s %-8s %s\n", (long long)o[i].id, o[i].kind, o[i].active ? "yes" : "no",
		       o[i].name);
	return 0;
}

static int institution_active_cmd(struct cli *c, struct db *db, struct arena *a, int active)
{
	struct institution in;
	struct audit_actor who;
	int64_t id;
	int rc;

	if (c->npos != 2 || str_to_int64(c->pos[1], 1, INT64_MAX, &id) != 0)
		return usage_error(c->cmd, "%s", "this needs the institution's number (see razem institution list)");
	rc = institution_get(db, a, id, &in);
	if (rc != 0) {
		fprintf(stderr, "razem institution: %s\n", rc > 0 ? "no institution with that number" : db_errmsg(db));
		return 1;
	}
	cli_actor(&who);
	if (db_begin(db) != 0 ||
	    audit_commit(db, &who, institution_set_active(db, id, active),
			 active ? "institution.reactivate" : "institution.deactivate", "institution", id,
			 in.name) != 0) {
		fprintf(stderr, "razem institution: not saved (see above)\n");
		return 1;
	}
	printf("Institution %s is now %s.\n", in.name,
	       active ? "active" : "inactive (its users cannot sign in)");
	return 0;
}

static int cmd_institution(struct cli *c)
{
	struct db *db;
	struct arena *a;
	const char *sub = c->npos > 0 ? c->pos[0] : NULL;
	int rc;

	if (sub == NULL)
		return usage_error(c->cmd, "%s", "say what to do: add, list, enable or disable");
	if (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0 && strcmp(sub, "enable") != 0 &&
	    strcmp(sub, "disable") != 0)
		return usage_error(c->cmd, "unknown subcommand '%s'", sub);
	db = open_db(c);
	if (db == NULL)
		return 1;
	a = arena_new(4u * 1024u * 1024u);
	if (a == NULL) {
		db_close(db);
		return 1;
	}
	if (strcmp(sub, "add") == 0)
		rc = institution_add(c, db, a);
	else if (strcmp(sub, "list") == 0)
		rc = institution_list_cmd(db, a);
	else
		rc = institution_active_cmd(c, db, a, strcmp(sub, "enable") == 0);
	arena_free(a);
	db_close(db);
	return rc;
}

static int cmd_backup(struct cli *c)
{
	const char *to = c->to != NULL ? c->to : (c->npos > 0 ? c->pos[0] : NULL);
	struct db *db;
	char err[512];
	int rc;

	if (to == NULL)
		return usage_error(c->cmd, "%s", "say where to write the copy: razem backup --db DB FILE");
	if (access(to, F_OK) == 0) {
		fprintf(stderr, "razem backup: %s already exists; choose a new file name\n", to);
		return 1;
	}
	if (db_open(c->cfg.db, &db, err, sizeof(err)) != 0) {
		fprintf(stderr, "razem backup: %s\n", err);
		return 1;
	}
	rc = db_backup(db, to, err, sizeof(err));
	db_close(db);
	if (rc != 0) {
		fprintf(stderr, "razem backup: %s\n", err);
		return 1;
	}
	printf("Backup written to %s\n", to);
	return 0;
}

static int cmd_config(struct cli *c)
{
	if (c->doc) {
		config_write_doc(stdout);
		return 0;
	}
	printf("db = %s\nlisten = %s\nthreads = %lld\naccess_log = %s\nlog_level = %s\n", c->cfg.db,
	       c->cfg.listen, (long long)c->cfg.threads, c->cfg.access_log, c->cfg.log_level);
	printf("session_idle = %llds\nsession_max = %llds\nlogin_max_failures = %lld\n"
	       "login_max_failures_address = %lld\n",
	       (long long)c->cfg.session_idle, (long long)c->cfg.session_max,
	       (long long)c->cfg.login_max_failures, (long long)c->cfg.login_max_failures_address);
	printf("login_window = %llds\nlogin_lock = %llds\npassword_min_length = %lld\n",
	       (long long)c->cfg.login_window, (long long)c->cfg.login_lock,
	       (long long)c->cfg.password_min_length);
	printf("max_body = %lld\nmax_fields = %lld\nexport_max_rows = %lld\nsmall_count = %lld\n",
	       (long long)c->cfg.max_body, (long long)c->cfg.max_fields,
	       (long long)c->cfg.export_max_rows, (long long)c->cfg.small_count);
	printf("secure_cookies = %s\ntrust_proxy = %s\ntimezone = %s\nuser = %s\n",
	       c->cfg.secure_cookies == SECURE_AUTO ? "auto"
	       : c->cfg.secure_cookies == SECURE_ALWAYS ? "always" : "never",
	       c->cfg.trust_proxy ? "on" : "off", c->cfg.timezone, c->cfg.user);
	printf("tls_cert = %s\ntls_key = %s\n", c->cfg.tls_cert, c->cfg.tls_key[0] ? "(set)" : "");
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
	const struct command *cmd = c->npos > 0 ? find_command(c->pos[0]) : NULL;

	if (c->npos > 0 && cmd == NULL)
		return usage_error("help", "unknown command '%s'", c->pos[0]);
	if (cmd != NULL)
		fputs(cmd->usage, stdout);
	else
		print_help(stdout);
	return 0;
}

#define COMMON_OPTIONS                                                                       \
	"  --db DB            database: a file path, sqlite:PATH or postgresql://... (setting db)\n" \
	"  --config FILE      configuration file (default ./razem.conf when present)\n"            \
	"  --help             this text\n"

static const struct command commands[] = {
	{ "serve", cmd_serve, "run the web server (pages, JSON API)",
	  "usage: razem serve [--db DB] [--listen ADDR:PORT] [--threads N] [--SETTING VALUE ...]\n"
	  "Applies pending migrations, then serves until SIGINT or SIGTERM, finishing requests in\n"
	  "flight. Any setting (see razem config --doc) can be given as --SETTING VALUE.\n"
	  "Options:\n" COMMON_OPTIONS "  --listen ADDR:PORT where to listen (default 127.0.0.1:8080)\n"
	  "  --threads N        worker threads (default: one per CPU)\n" },
	{ "demo", cmd_demo, "create a demonstration database (fictional county)",
	  "usage: razem demo --db DB [--reset]\n"
	  "Creates the schema and fills it with a fictional county (powiat przykładowy), its\n"
	  "institutions and one account per role (password \"demo\"). A database that already holds\n"
	  "the demo data is kept; one with real data is refused.\n"
	  "Options:\n" COMMON_OPTIONS "  --reset            delete the database first and start over\n" },
	{ "migrate", cmd_migrate, "apply pending database migrations",
	  "usage: razem migrate --db DB\nApplies the migrations not yet applied and prints the schema version.\n"
	  "Options:\n" COMMON_OPTIONS },
	{ "user", cmd_user, "manage user accounts (add, passwd, disable, enable, unlock, list)",
	  "usage: razem user add LOGIN --role ROLE [--role ROLE...] --institution ID [--name NAME] [--email E]\n"
	  "       razem user passwd LOGIN [--temporary]\n"
	  "       razem user disable LOGIN | razem user enable LOGIN\n"
	  "       razem user unlock LOGIN   (lift a sign-in lock after too many failures)\n"
	  "       razem user list\n"
	  "add and passwd read the password from standard input when it is not a terminal\n"
	  "(one line), and ask twice on a terminal. Roles: admin, social_worker, labour_adviser,\n"
	  "guardian, coordinator, analyst, project_office.\n"
	  "Options:\n" COMMON_OPTIONS
	  "  --temporary        (passwd) the user must choose a new password at the next sign-in\n" },
	{ "institution", cmd_institution, "manage institutions (add, list, enable, disable)",
	  "usage: razem institution add --kind KIND --name NAME [--regon R] [--nip N] [--terc CODE]\n"
	  "                             [--street S] [--postcode NN-NNN] [--city C] [--phone P] [--email E]\n"
	  "       razem institution list | enable ID | disable ID\n"
	  "add creates the first institution of a new database (the others are added in the\n"
	  "browser); enable brings back one deactivated by mistake, with its users.\n"
	  "Kinds: ops, mops, pcpr, pup, cis, kis, social_coop, ngo, wtz, zaz, dps, sds, shelter, court,\n"
	  "police, school, other. REGON, NIP, TERC and postcode are validated.\n"
	  "Options:\n" COMMON_OPTIONS },
	{ "backup", cmd_backup, "write an online, consistent copy of the database",
	  "usage: razem backup --db DB FILE\n"
	  "SQLite: a compact copy of the database file (VACUUM INTO), safe while the server runs.\n"
	  "PostgreSQL: a pg_dump archive in custom format (restore with pg_restore).\n"
	  "Options:\n" COMMON_OPTIONS "  --to FILE          the same as the FILE argument\n" },
	{ "config", cmd_config, "show the effective settings, or the settings reference",
	  "usage: razem config [--doc] [--SETTING VALUE ...]\n"
	  "Prints the settings after razem.conf, RAZEM_* variables and flags are applied;\n"
	  "with --doc prints the reference table of all settings (Markdown).\n"
	  "Options:\n" COMMON_OPTIONS "  --doc              print the settings reference\n" },
	{ "version", cmd_version, "print the version", "usage: razem version\n" },
	{ "help", cmd_help, "help on a command", "usage: razem help [COMMAND]\n" },
};

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void print_help(FILE *fp)
{
	size_t i;

	fputs("razem — cooperation of social assistance and labour offices around families\n\n"
	      "usage: razem COMMAND [OPTIONS]\n\ncommands:\n",
	      fp);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fputs("\nrazem COMMAND --help explains a command. Settings: razem config --doc.\n", fp);
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	struct cli cli;
	int rc;

	if (argc < 2) {
		print_help(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_help(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(NULL);
	cmd = find_command(argv[1]);
	if (cmd == NULL) {
		fprintf(stderr, "razem: unknown command '%s' (see razem --help)\n", argv[1]);
		return 2;
	}
	memset(&cli, 0, sizeof(cli));
	cli.cmd = cmd->name;
	rc = load_settings(&cli, argc - 1, argv + 1);
	if (rc == 1) {
		fputs(cmd->usage, stdout);
		return 0;
	}
	if (rc != 0)
		return rc;
	if (i18n_init() != 0 || password_init() != 0) {
		fprintf(stderr, "razem: cannot initialise (message catalogue or libsodium)\n");
		return 1;
	}
	i18n_set_lang(LANG_EN); /* the CLI speaks English; the server picks a language per request */
	return cmd->run(&cli);
}
