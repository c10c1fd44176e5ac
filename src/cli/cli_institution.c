/*
 * cli_institution.c — razem institution add | list | enable | disable.
 * The first institution of a new database (the home of its first
 * administrator) is created here; the rest usually through the pages.
 */
#include <stdint.h>
#include <string.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/str.h"
#include "registry/institution.h"

/* kind_error() names the valid kinds when --kind is not one of them. */
static void kind_error(const char *kind, struct verrs *v)
{
	char list[400];
	size_t len = 0;
	int i, known = 0;

	for (i = 0; institution_kinds[i] != NULL; i++) {
		known |= strcmp(institution_kinds[i], kind) == 0;
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i > 0 ? ", " : "",
					institution_kinds[i]);
		if (len >= sizeof(list))
			break;
	}
	if (!known)
		verrs_add(v, "kind", "invalid", "unknown kind '%s'; the kinds are: %s", kind, list);
}

static int add_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	struct institution *in = arg;
	struct verrs v = VERRS_INIT;
	struct audit_actor who;
	int64_t id = 0;
	int rc;

	kind_error(in->kind, &v);
	/* every field's problem at once, as the form shows them */
	if (institution_resolve_gmina(db, a, in, &v) < 0)
		return cli_fail(c, "cannot read the TERYT register: %s", db_errmsg(db));
	institution_validate(in, a, &v);
	if (institution_check_terc(db, a, in, &v) < 0)
		return cli_fail(c, "cannot read the TERYT register: %s", db_errmsg(db));
	if (v.n > 0) {
		cli_print_verrs(c, &v);
		return 2;
	}
	cli_actor(&who);
	if (db_begin(db) != 0)
		return cli_fail(c, "%s", db_errmsg(db));
	rc = institution_create(db, a, in, &id, &v); /* sets id, which the audit row names */
	rc = audit_commit(db, &who, rc, "institution.create", "institution", id, in->name);
	if (rc != 0) {
		if (v.n > 0)
			cli_print_verrs(c, &v);
		else
			cli_fail(c, "not saved: %s", db_errmsg(db));
		return 1;
	}
	printf("Created institution %s (number %lld).\n", in->name, (long long)id);
	return 0;
}

static int cmd_add(struct cli *c)
{
	struct institution in;

	if (c->npos > 0)
		return cli_usage(c, "unexpected argument '%s'", c->pos[0]);
	if (cli_opt(c, "kind") == NULL || cli_opt(c, "name") == NULL)
		return cli_usage(c, "needs --kind KIND and --name NAME");
	memset(&in, 0, sizeof(in));
	in.kind = cli_opt(c, "kind");
	in.name = cli_opt(c, "name");
	in.regon = cli_opt(c, "regon");
	in.nip = cli_opt(c, "nip");
	in.terc = cli_opt(c, "terc");
	in.street = cli_opt(c, "street");
	in.postcode = cli_opt(c, "postcode");
	in.city = cli_opt(c, "city");
	in.phone = cli_opt(c, "phone");
	in.email = cli_opt(c, "email");
	in.website = cli_opt(c, "website");
	in.latitude = cli_opt(c, "latitude");
	in.longitude = cli_opt(c, "longitude");
	in.active = 1;
	return cli_with_db(c, &in, add_in_db);
}

static int list_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	struct institution_option *o;
	int n = institution_options(db, a, &o), i;

	(void)arg;
	if (n < 0)
		return cli_fail(c, "%s", db_errmsg(db));
	printf("%-6s %-12s %-8s %s\n", "ID", "KIND", "ACTIVE", "NAME");
	for (i = 0; i < n; i++)
		printf("%-6lld %-12s %-8s %s\n", (long long)o[i].id, o[i].kind, o[i].active ? "yes" : "no",
		       o[i].name);
	return 0;
}

static int cmd_list(struct cli *c)
{
	int rc = cli_no_args(c);

	return rc != 0 ? rc : cli_with_db(c, NULL, list_in_db);
}

struct set_active {
	int64_t id;
	int active;
};

static int active_in_db(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	const struct set_active *s = arg;
	struct institution in;
	struct audit_actor who;
	int rc = institution_get(db, a, s->id, &in);

	if (rc != 0)
		return cli_fail(c, "%s", rc > 0 ? "no institution with that number" : db_errmsg(db));
	cli_actor(&who);
	if (db_begin(db) != 0 ||
	    audit_commit(db, &who, institution_set_active(db, s->id, s->active),
			 s->active ? "institution.reactivate" : "institution.deactivate", "institution",
			 s->id, in.name) != 0)
		return cli_fail(c, "not saved: %s", db_errmsg(db));
	printf("Institution %s is now %s.\n", in.name,
	       s->active ? "active" : "inactive (its users cannot sign in)");
	return 0;
}

static int set_active(struct cli *c, int active)
{
	struct set_active s = { 0, active };

	if (c->npos != 1 || str_to_int64(c->pos[0], 1, INT64_MAX, &s.id) != 0)
		return cli_usage(c, "needs the institution's number (see razem institution list)");
	return cli_with_db(c, &s, active_in_db);
}

static int cmd_enable(struct cli *c)
{
	return set_active(c, 1);
}

static int cmd_disable(struct cli *c)
{
	return set_active(c, 0);
}

const struct cli_command cli_institution_commands[] = {
	{ "institution", "add",
	  "--kind KIND --name NAME [--regon R] [--nip N] [--terc GMINA]\n"
	  "                             [--street S] [--postcode NN-NNN] [--city C] [--phone P]\n"
	  "                             [--email E] [--website URL] [--latitude DEG --longitude DEG]",
	  "register an institution\n"
	  "For the first institution of a new database (the others are usually added in the\n"
	  "browser). Kinds: ops, mops, pcpr, pup, cis, kis, social_coop, ngo, wtz, zaz, dps, sds,\n"
	  "shelter, court, police, school, other. REGON, NIP and postcode are validated; --terc\n"
	  "takes the gmina's 7-digit TERC code or its name; --latitude and --longitude (WGS84\n"
	  "degrees, within Poland) place it on the resource map. Every field's error is reported.\n",
	  "kind name regon nip terc street postcode city phone email website latitude longitude", CLI_DB, cmd_add },
	{ "institution", "list", "", "list the institutions with their numbers\n", NULL, CLI_DB,
	  cmd_list },
	{ "institution", "enable", "ID", "reactivate an institution, with its users\n", NULL, CLI_DB,
	  cmd_enable },
	{ "institution", "disable", "ID", "deactivate an institution (its users cannot sign in)\n", NULL,
	  CLI_DB, cmd_disable },
	{ NULL },
};
