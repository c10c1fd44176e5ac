/*
 * cli_user.c — razem user add | passwd | disable | enable | unlock | list: user
 * accounts from the terminal, each change with its audit row; and razem
 * unlock-address, the sign-in lock of an address.
 */
#include <stdint.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "auth/password.h"
#include "auth/role.h"
#include "auth/throttle.h"
#include "auth/user.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"
#include "demo/demo.h"

/* Statements */
static const struct db_sql SQL_USER_LIST =
	DB_SQL("SELECT u.id, u.login, u.full_name, i.name, u.active, "
	       "(SELECT string_agg(x.role, ',') FROM (SELECT r.role FROM user_role r "
	       "WHERE r.user_id = u.id ORDER BY r.role) x) "
	       "FROM app_user u JOIN institution i ON i.id = u.institution_id "
	       "ORDER BY u.login");

#define MAX_ROLES 8

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

/*
 * new_password() reads and checks a password for login (policy unless a
 * seeded demo account): 0, or the exit status after the message (2 for a
 * password the policy refuses).
 */
static int new_password(struct cli *c, struct db *db, const char *login, const char *full_name,
			char hash[PASSWORD_HASH_MAX])
{
	char pw[PASSWORD_MAX_LENGTH + 2];
	struct verrs v = VERRS_INIT;
	int i;

	if (read_password(pw, sizeof(pw), 1) != 0)
		return cli_fail(c, "no password given on standard input");
	if (seeded_demo_account(db, login)) {
		if (pw[0] == '\0')
			verrs_add(&v, "password", "required", "%s", "Enter a password.");
	} else {
		password_policy_person(pw, login, full_name, c->cfg.password_min_length, &v, "password");
	}
	for (i = 0; i < v.n; i++)
		fprintf(stderr, "razem %s: password: %s\n", c->name, v.e[i].message);
	if (v.n > 0)
		return 2; /* a wrong value, like any other refused input */
	return password_hash(pw, hash) == 0 ? 0 : cli_fail(c, "the password could not be hashed");
}

/* print_verrs() is cli_print_verrs() with the form's field names turned into this command's options. */
static void print_verrs(const struct cli *c, struct verrs *v)
{
	int i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->e[i].field, "roles") == 0)
			v->e[i].field = "role";
		else if (strcmp(v->e[i].field, "institution_id") == 0)
			v->e[i].field = "institution";
		else if (strcmp(v->e[i].field, "full_name") == 0)
			v->e[i].field = "name";
		else if (strcmp(v->e[i].field, "login") == 0)
			v->e[i].field = ""; /* the LOGIN argument: its message names it */
	cli_print_verrs(c, v);
}

static int add_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	struct user *u = arg;
	struct verrs v = VERRS_INIT;
	struct audit_actor who;
	char hash[PASSWORD_HASH_MAX];
	int64_t id = 0;
	int rc;

	if (user_validate(u, a, &v) > 0) {
		print_verrs(c, &v);
		return 2;
	}
	rc = new_password(c, db, u->login, u->full_name, hash);
	if (rc != 0)
		return rc;
	cli_actor(&who);
	if (db_begin(db) != 0)
		return cli_fail(c, "%s", db_errmsg(db));
	rc = user_create(db, a, u, hash, &id, &v); /* sets id, which the audit row names */
	rc = audit_commit(db, &who, rc, "user.create", "user", id, u->login);
	if (rc != 0) {
		if (v.n > 0)
			print_verrs(c, &v);
		else
			cli_fail(c, "not saved: %s", db_errmsg(db));
		return 1;
	}
	printf("Created user %s (number %lld).\n", u->login, (long long)id);
	return 0;
}

static int cmd_add(struct cli *c)
{
	const char *roles[MAX_ROLES];
	int nroles = cli_opts(c, "role", roles, MAX_ROLES), i;
	const char *inst = cli_opt(c, "institution");
	struct user u;

	if (c->npos != 1)
		return c->npos == 0 ? cli_usage(c, "needs a LOGIN")
				    : cli_usage(c, "unexpected argument '%s'", c->pos[1]);
	if (nroles == 0 || inst == NULL)
		return cli_usage(c, "needs --role ROLE and --institution ID");
	memset(&u, 0, sizeof(u));
	if (str_to_int64(inst, 1, INT64_MAX, &u.institution_id) != 0)
		return cli_usage(c, "--institution must be an institution number, not '%s'", inst);
	u.login = c->pos[0];
	u.full_name = cli_opt(c, "name") != NULL ? cli_opt(c, "name") : c->pos[0];
	u.email = cli_opt(c, "email");
	u.active = 1;
	for (i = 0; i < nroles; i++) {
		int r = role_parse(roles[i]);

		if (r < 0)
			return cli_usage(c, "unknown role '%s' (admin, social_worker, labour_adviser, "
					    "guardian, coordinator, analyst, project_office)",
					 roles[i]);
		u.roles |= ROLE_BIT(r);
	}
	return cli_with_db(c, &u, add_in_db);
}

/* find_user() reads the user named by the LOGIN argument; 0, or the exit status after the message. */
static int find_user(struct cli *c, struct db *db, struct arena *a, struct user *u)
{
	int rc = user_get_by_login(db, a, user_login_normalise(a, c->pos[0]), u, NULL);

	if (rc < 0)
		return cli_fail(c, "%s", db_errmsg(db));
	if (rc > 0)
		return cli_fail(c, "there is no user with login '%s' (razem user list shows them)",
				c->pos[0]);
	return 0;
}

static int need_login(const struct cli *c)
{
	if (c->npos == 0)
		return cli_usage(c, "needs a LOGIN");
	if (c->npos > 1)
		return cli_usage(c, "unexpected argument '%s'", c->pos[1]);
	return 0;
}

static int passwd_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	struct user u;
	struct audit_actor who;
	char hash[PASSWORD_HASH_MAX];
	int rc = find_user(c, db, a, &u), temporary = cli_flag(c, "temporary");

	(void)arg;
	if (rc != 0)
		return rc;
	rc = new_password(c, db, u.login, u.full_name, hash);
	if (rc != 0)
		return rc;
	cli_actor(&who);
	if (db_begin(db) != 0 ||
	    audit_commit(db, &who, user_set_password(db, u.id, hash, temporary, NULL),
			 "user.password_reset", "user", u.id, u.login) != 0)
		return cli_fail(c, "not saved: %s", db_errmsg(db));
	printf("Password of %s changed%s; its sessions were signed out.\n", u.login,
	       temporary ? " (temporary: must be changed at the next sign-in)" : "");
	return 0;
}

static int cmd_passwd(struct cli *c)
{
	int rc = need_login(c);

	return rc != 0 ? rc : cli_with_db(c, NULL, passwd_in_db);
}

static int active_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	int active = *(const int *)arg;
	struct user u;
	struct audit_actor who;
	int rc = find_user(c, db, a, &u);

	if (rc != 0)
		return rc;
	cli_actor(&who);
	if (db_begin(db) != 0 ||
	    audit_commit(db, &who, user_set_active(db, u.id, active), active ? "user.enable" : "user.disable",
			 "user", u.id, u.login) != 0)
		return cli_fail(c, "not saved: %s", db_errmsg(db));
	printf("User %s is now %s.\n", u.login, active ? "active" : "inactive (signed out everywhere)");
	return 0;
}

static int cmd_disable(struct cli *c)
{
	static const int no = 0;
	int rc = need_login(c);

	return rc != 0 ? rc : cli_with_db(c, (void *)&no, active_in_db);
}

static int cmd_enable(struct cli *c)
{
	static const int yes = 1;
	int rc = need_login(c);

	return rc != 0 ? rc : cli_with_db(c, (void *)&yes, active_in_db);
}

static int unlock_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	struct user u;
	struct audit_actor who;
	int64_t failures = 0, until = 0;
	int rc = find_user(c, db, a, &u), locked;

	(void)arg;
	if (rc != 0)
		return rc;
	locked = user_lock_state(db, u.login, clock_now(), &failures, &until);
	if (locked < 0)
		return cli_fail(c, "%s", db_errmsg(db));
	if (locked == 0 && failures == 0) {
		printf("Sign-in of %s was not locked; nothing to do.\n", u.login);
		return 0;
	}
	cli_actor(&who);
	if (user_unlock(db, &who, u.id) != 0)
		return cli_fail(c, "not saved: %s", db_errmsg(db));
	if (locked)
		printf("Sign-in of %s is unlocked; its failed attempts are forgotten.\n", u.login);
	else
		printf("Sign-in of %s was not locked; its %lld failed attempt(s) are forgotten.\n",
		       u.login, (long long)failures);
	return 0;
}

static int cmd_unlock(struct cli *c)
{
	int rc = need_login(c);

	return rc != 0 ? rc : cli_with_db(c, NULL, unlock_in_db);
}

/* list_locks() prints the addresses locked now, for an unlock-address that found nothing. */
static void list_locks(struct db *db, struct arena *a)
{
	struct throttle_lock *l;
	int n, i;

	if (throttle_address_locks(db, a, clock_now(), 20, &l, &n) != 0 || n == 0)
		return;
	fprintf(stderr, "Locked now:");
	for (i = 0; i < n; i++)
		fprintf(stderr, " %s", l[i].address);
	fprintf(stderr, "\n");
}

static int unlock_address_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	struct audit_actor who;
	int rc;

	(void)arg;
	cli_actor(&who);
	rc = throttle_unlock_address(db, &who, c->pos[0], clock_now());
	if (rc < 0)
		return cli_fail(c, "not saved: %s", db_errmsg(db));
	if (rc > 0) {
		cli_fail(c, "sign-in from address %s is not locked; nothing was changed", c->pos[0]);
		list_locks(db, a);
		return 1;
	}
	printf("Sign-in from address %s is unlocked; its failed attempts are forgotten.\n", c->pos[0]);
	return 0;
}

static int cmd_unlock_address(struct cli *c)
{
	if (c->npos == 0)
		return cli_usage(c, "needs an ADDRESS");
	if (c->npos > 1)
		return cli_usage(c, "unexpected argument '%s'", c->pos[1]);
	return cli_with_db(c, NULL, unlock_address_in_db);
}

static int list_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	struct db_stmt *st = db_query(db, &SQL_USER_LIST, NULL);

	(void)a;
	(void)arg;
	if (st == NULL)
		return cli_fail(c, "%s", db_errmsg(db));
	printf("%-6s %-16s %-28s %-8s %-32s %s\n", "ID", "LOGIN", "NAME", "ACTIVE", "ROLES",
	       "INSTITUTION");
	while (db_step(st) == DB_ROW)
		printf("%-6lld %-16s %-28s %-8s %-32s %s\n", (long long)db_col_int(st, 0),
		       db_col_text(st, 1), db_col_text(st, 2), db_col_int(st, 4) ? "yes" : "no",
		       db_col_text(st, 5) != NULL ? db_col_text(st, 5) : "", db_col_text(st, 3));
	db_reset(st);
	return 0;
}

static int cmd_list(struct cli *c)
{
	int rc = cli_no_args(c);

	return rc != 0 ? rc : cli_with_db(c, NULL, list_in_db);
}

const struct cli_command cli_user_commands[] = {
	{ "user", "add", "LOGIN --role ROLE [--role ROLE...] --institution ID [--name NAME] [--email E]",
	  "create a user account\n"
	  "Reads the password from standard input when it is not a terminal (one line), and asks\n"
	  "twice on a terminal. Roles: admin, social_worker, labour_adviser, guardian,\n"
	  "coordinator, analyst, project_office.\n",
	  "role+ institution name email", CLI_DB, cmd_add },
	{ "user", "passwd", "LOGIN [--temporary]",
	  "set a new password (read as for add)\n"
	  "--temporary: the user must choose a new password at the next sign-in.\n",
	  "temporary!", CLI_DB, cmd_passwd },
	{ "user", "disable", "LOGIN", "deactivate an account and sign it out everywhere\n", NULL, CLI_DB,
	  cmd_disable },
	{ "user", "enable", "LOGIN", "reactivate an account\n", NULL, CLI_DB, cmd_enable },
	{ "user", "unlock", "LOGIN", "lift a sign-in lock after too many failed attempts\n", NULL, CLI_DB,
	  cmd_unlock },
	{ "user", "list", "", "list the accounts with their roles and institutions\n", NULL, CLI_DB,
	  cmd_list },
	{ "unlock-address", NULL, "ADDRESS",
	  "lift the sign-in lock of an address after too many failed attempts from it\n"
	  "Failures from one address (login_max_failures_address) lock everyone using it, such as\n"
	  "an office behind one router. The administrator's page /admin/locks lists them.\n",
	  NULL, CLI_DB, cmd_unlock_address },
	{ NULL },
};
