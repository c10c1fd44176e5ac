/*
 * tests/unit/registry/world.h — the small world the registry tests run
 * in: two institutions, users of each with their roles, writers and
 * readers made from them, and a helper that creates a person.
 *
 * Include after testdb.h. Static functions only: each test program
 * includes this header.
 */
#ifndef RAZEM_TESTS_UNIT_REGISTRY_WORLD_H
#define RAZEM_TESTS_UNIT_REGISTRY_WORLD_H

#include <string.h>

#include "audit/audit.h"
#include "auth/role.h"
#include "auth/user.h"
#include "core/arena.h"
#include "registry/institution.h"
#include "registry/person.h"

struct world {
	struct db *db;
	struct arena *a;
	int64_t inst, other_inst;         /* the MOPS and a GOPS elsewhere */
	int64_t worker, adviser, admin, analyst; /* users of inst */
	int64_t other_worker;             /* a social worker of other_inst */
};

static int64_t world_institution(struct world *w, const char *name)
{
	struct institution in = { .kind = "mops", .name = name };
	struct verrs v = VERRS_INIT;
	int64_t id = 0;

	assert_int_equal(institution_validate(&in, w->a, &v), 0);
	assert_int_equal(institution_create(w->db, w->a, &in, &id, &v), 0);
	return id;
}

static int64_t world_user(struct world *w, const char *login, int64_t inst, unsigned roles)
{
	struct user u = { .login = login, .full_name = login, .institution_id = inst, .roles = roles };
	struct verrs v = VERRS_INIT;
	int64_t id = 0;

	assert_int_equal(user_create(w->db, w->a, &u, "x", &id, &v), 0);
	return id;
}

static void world_init(struct world *w, struct db *db)
{
	memset(w, 0, sizeof(*w));
	w->db = db;
	w->a = arena_new(64u << 20);
	assert_non_null(w->a);
	w->inst = world_institution(w, "MOPS Brzozowo");
	w->other_inst = world_institution(w, "GOPS Lipno");
	w->worker = world_user(w, "anna", w->inst, ROLE_BIT(ROLE_SOCIAL_WORKER));
	w->adviser = world_user(w, "piotr", w->inst, ROLE_BIT(ROLE_LABOUR_ADVISER));
	w->admin = world_user(w, "root", w->inst, ROLE_BIT(ROLE_ADMIN));
	w->analyst = world_user(w, "ewa", w->inst, ROLE_BIT(ROLE_ANALYST));
	w->other_worker = world_user(w, "jan", w->other_inst, ROLE_BIT(ROLE_SOCIAL_WORKER));
}

static void world_free(struct world *w)
{
	arena_free(w->a);
}

/* writer() is the user id with roles, as of institution inst. */
static struct registry_writer writer(int64_t user, unsigned roles, int64_t inst, const char *login)
{
	struct registry_writer wr;

	memset(&wr, 0, sizeof(wr));
	wr.policy.user_id = user;
	wr.policy.roles = roles;
	wr.policy.institution_id = inst;
	wr.audit.user_id = user;
	wr.audit.login = login;
	wr.audit.institution_id = inst;
	wr.audit.ip = "192.0.2.1";
	return wr;
}

static struct registry_writer world_worker(const struct world *w)
{
	return writer(w->worker, ROLE_BIT(ROLE_SOCIAL_WORKER), w->inst, "anna");
}

/* reader() prepares a casework read as user with roles of inst, into log. */
static struct policy_read reader(const struct world *w, int64_t user, unsigned roles, int64_t inst,
				 struct audit_reads *log)
{
	struct policy_read r;

	memset(&r, 0, sizeof(r));
	r.db = w->db;
	r.arena = w->a;
	r.actor.user_id = user;
	r.actor.roles = roles;
	r.actor.institution_id = inst;
	r.kind = POLICY_PERSON;
	r.purpose = PURPOSE_CASEWORK;
	r.log = log;
	return r;
}

/*
 * add_person() validates and creates a person of inst as wr in its own
 * transaction (committed); returns its id.
 */
static int64_t add_person(struct world *w, const struct registry_writer *wr, struct person p)
{
	struct verrs v = VERRS_INIT;
	int64_t id = 0;
	int rc;

	if (p.institution_id == 0)
		p.institution_id = wr->policy.institution_id;
	rc = person_validate(&p, w->a, &v);
	if (rc != 0)
		fail_msg("invalid person %s: %s: %s", p.surname, v.e[0].field, v.e[0].message);
	assert_int_equal(db_begin(w->db), 0);
	rc = person_create(w->db, w->a, wr, &p, &id, &v);
	if (rc != 0)
		fail_msg("person_create %s: %d %s", p.surname, rc, v.n > 0 ? v.e[0].message : db_errmsg(w->db));
	assert_int_equal(db_commit(w->db), 0);
	assert_true(id > 0);
	return id;
}

#endif
