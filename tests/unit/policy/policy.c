/*
 * tests/unit/policy/policy.c — the access policy: every rule (signed out,
 * purposes per kind, administrators on accounts and the audit log, one's
 * own account, placeholders closed), reasons in Polish, the column mask
 * for every role combination and purpose (statistics without identity and
 * contact; any labour-office adviser role without special categories),
 * and the reads on a migrated database (SQLite, and PostgreSQL with
 * RAZEM_TEST_PG_URL): list scopes run through list_fetch, masked columns
 * not read, the one audit row per list read naming the ids shown (pages
 * and exports), no row for reading one's own account, user_read() denied
 * before reading, not found, masked, recorded.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/role.h"
#include "auth/user.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "core/log.h"
#include "policy/policy.h"
#include "../testdb.h"

/* Statements of the tests */
static const struct db_sql SQL_ADD_INSTITUTION =
	DB_SQL("INSERT INTO institution (kind, name, name_fold, created_at, "
	       "updated_at) VALUES ('ops', 'MOPS', 'mops', ?, ?) RETURNING id");
static const struct db_sql SQL_USER_EXPORT_AUDIT =
	DB_SQL("SELECT detail, entity, user_id FROM audit_log WHERE action = 'user.export'");
static const struct db_sql SQL_USER_EXPORT_AUDIT_ID =
	DB_SQL("SELECT id FROM audit_log WHERE action = 'user.export'");

#define T(state) ((struct testdb *)*(state))
#define TS "2024-01-01T00:00:00Z"

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define WORKER ROLE_BIT(ROLE_SOCIAL_WORKER)
#define ADVISER ROLE_BIT(ROLE_LABOUR_ADVISER)
#define IDENT_CONTACT (SENS_BIT(SENS_IDENTITY) | SENS_BIT(SENS_CONTACT))

static int decide(int64_t user, unsigned roles, enum policy_kind kind, int64_t id,
		  enum policy_purpose purpose, struct policy_decision *d)
{
	struct policy_actor who = { user, roles, 5 };
	struct policy_subject s = { kind, id, 0 };

	return policy_decide(&who, &s, purpose, d);
}

/* denied() checks that a decision is a closed one with this code. */
static void denied(const struct policy_decision *d, const char *code)
{
	assert_int_equal(d->allowed, 0);
	assert_string_equal(d->code, code);
	assert_non_null(d->reason);
	assert_true(d->reason[0] != '\0');
	assert_int_equal(d->mask, 0);
	assert_int_equal(d->record, 0);
	assert_string_equal(d->scope.sql, "0 = 1");
	assert_int_equal(d->scope.nargs, 0);
}

static void test_signed_out(void **state)
{
	struct policy_decision d;
	int k, p;

	(void)state;
	for (k = POLICY_ACCOUNT; k < POLICY_KIND__MAX; k++)
		for (p = 0; p < PURPOSE__MAX; p++) {
			assert_int_equal(decide(0, ADMIN, (enum policy_kind)k, 0, (enum policy_purpose)p, &d),
					 POLICY_DENIED);
			denied(&d, "signed_out"); /* before any other reason */
		}
	assert_int_equal(policy_decide(NULL, &(struct policy_subject){ POLICY_AUDIT, 0, 0 }, PURPOSE_AUDIT, &d),
			 POLICY_DENIED);
	denied(&d, "signed_out");
}

static void test_accounts(void **state)
{
	struct policy_decision d;

	(void)state;
	/* administrators: every account, all rows, recorded unless it is their own */
	assert_int_equal(decide(1, ADMIN, POLICY_ACCOUNT, 0, PURPOSE_ADMINISTRATION, &d), 0);
	assert_int_equal(d.allowed, 1);
	assert_string_equal(d.code, "allowed");
	assert_null(d.scope.sql);
	assert_int_equal(d.record, 1);
	assert_int_equal(d.conceal, 0);
	assert_int_equal(decide(1, ADMIN, POLICY_ACCOUNT, 7, PURPOSE_ADMINISTRATION, &d), 0);
	assert_int_equal(d.record, 1);
	assert_int_equal(decide(1, ADMIN, POLICY_ACCOUNT, 1, PURPOSE_ADMINISTRATION, &d), 0);
	assert_int_equal(d.record, 0);
	assert_int_equal(decide(1, ADMIN, POLICY_ACCOUNT, 7, PURPOSE_AUDIT, &d), 0);
	assert_int_equal(decide(1, ADMIN, POLICY_ACCOUNT, 0, PURPOSE_STATISTICS, &d), 0);
	/* accounts are no casework */
	assert_int_equal(decide(1, ADMIN, POLICY_ACCOUNT, 7, PURPOSE_CASEWORK, &d), POLICY_DENIED);
	denied(&d, "purpose");
	assert_int_equal(decide(1, ADMIN | WORKER, POLICY_ACCOUNT, 0, PURPOSE_COOPERATION, &d), POLICY_DENIED);
	denied(&d, "purpose");
	/* everyone else: their own account, not recorded; a list of it is scoped to it */
	assert_int_equal(decide(9, WORKER, POLICY_ACCOUNT, 9, PURPOSE_ADMINISTRATION, &d), 0);
	assert_int_equal(d.allowed, 1);
	assert_int_equal(d.record, 0);
	assert_int_equal(decide(9, WORKER, POLICY_ACCOUNT, 0, PURPOSE_ADMINISTRATION, &d), 0);
	assert_string_equal(d.scope.sql, "u.id = ?");
	assert_int_equal(d.scope.nargs, 1);
	assert_int_equal(list_scope_arg(&d.scope, 0)->type, 'i');
	assert_int_equal(list_scope_arg(&d.scope, 0)->i, 9);
	assert_int_equal(d.record, 0);
	assert_int_equal(decide(9, WORKER | ADVISER, POLICY_ACCOUNT, 10, PURPOSE_ADMINISTRATION, &d),
			 POLICY_DENIED);
	denied(&d, "own_account_only");
	assert_int_equal(d.conceal, 0); /* a 403 with the reason, not a 404 */
	assert_int_equal(decide(9, 0, POLICY_ACCOUNT, 10, PURPOSE_ADMINISTRATION, &d), POLICY_DENIED);
	denied(&d, "own_account_only");
}

static void test_audit_and_placeholders(void **state)
{
	struct policy_decision d;
	int k, p;

	(void)state;
	assert_int_equal(decide(1, ADMIN, POLICY_AUDIT, 0, PURPOSE_AUDIT, &d), 0);
	assert_null(d.scope.sql);
	assert_int_equal(d.record, 1);
	assert_int_equal(decide(1, ADMIN, POLICY_AUDIT, 0, PURPOSE_STATISTICS, &d), 0);
	assert_int_equal(decide(1, ADMIN, POLICY_AUDIT, 0, PURPOSE_ADMINISTRATION, &d), POLICY_DENIED);
	denied(&d, "purpose");
	for (k = 0; k < ROLE__MAX; k++) {
		if (k == ROLE_ADMIN)
			continue;
		assert_int_equal(decide(2, ROLE_BIT(k), POLICY_AUDIT, 0, PURPOSE_AUDIT, &d), POLICY_DENIED);
		denied(&d, "admin_only");
	}
	/* kinds whose module is not written: closed for everyone and every purpose
	   (persons and families have their rules: tests/unit/registry/access.c) */
	for (k = POLICY_CONTRACT; k <= POLICY_CONTRACT; k++)
		for (p = 0; p < PURPOSE__MAX; p++) {
			assert_int_equal(decide(1, ROLES_ALL, (enum policy_kind)k, 3, (enum policy_purpose)p, &d),
					 POLICY_DENIED);
			denied(&d, "not_available");
		}
	/* no kind, or out of range */
	assert_int_equal(decide(1, ADMIN, POLICY_NONE, 0, PURPOSE_ADMINISTRATION, &d), POLICY_DENIED);
	denied(&d, "not_available");
	assert_int_equal(decide(1, ADMIN, POLICY_KIND__MAX, 0, PURPOSE_ADMINISTRATION, &d), POLICY_DENIED);
	assert_int_equal(decide(1, ADMIN, POLICY_ACCOUNT, 0, PURPOSE__MAX, &d), POLICY_DENIED);
}

static void test_reasons_in_polish(void **state)
{
	struct policy_decision d;

	(void)state;
	assert_int_equal(i18n_init(), 0);
	i18n_set_lang(LANG_PL);
	decide(9, WORKER, POLICY_ACCOUNT, 10, PURPOSE_ADMINISTRATION, &d);
	assert_string_equal(d.reason,
			    "Możesz odczytać tylko własne konto; inne konta odczytują administratorzy.");
	decide(9, ADVISER, POLICY_AUDIT, 0, PURPOSE_AUDIT, &d);
	assert_string_equal(d.reason, "Dziennik zdarzeń odczytują tylko administratorzy.");
	decide(1, ADMIN, POLICY_ACCOUNT, 0, PURPOSE_ADMINISTRATION, &d);
	assert_string_equal(d.reason, "Administratorzy odczytują wszystkie konta.");
	decide(0, 0, POLICY_ACCOUNT, 0, PURPOSE_ADMINISTRATION, &d);
	assert_string_equal(d.reason, "Najpierw się zaloguj.");
	i18n_set_lang(LANG_EN);
	decide(1, ADMIN, POLICY_CONTRACT, 0, PURPOSE_CASEWORK, &d);
	assert_string_equal(d.reason,
			    "Nobody may read this kind of record yet: its access rules are not in place.");
}

/* The mask for every role set and purpose: the most restrictive role wins on special categories. */
static void test_mask(void **state)
{
	unsigned roles, m;
	int p;

	(void)state;
	for (roles = 0; roles <= ROLES_ALL; roles++)
		for (p = 0; p < PURPOSE__MAX; p++) {
			m = policy_mask(roles, (enum policy_purpose)p);
			assert_int_equal((m & SENS_SPECIAL) != 0, !(roles & ADVISER));
			assert_int_equal((m & IDENT_CONTACT) != 0, p != PURPOSE_STATISTICS);
			assert_true((m & SENS_BIT(SENS_SOCIAL)) != 0); /* social situation stays */
			if (roles & ADVISER)
				assert_int_equal(m & SENS_SPECIAL, 0); /* all three, never one of them */
		}
	assert_int_equal(policy_mask(WORKER, PURPOSE_CASEWORK), SENS_ALL);
	assert_int_equal(policy_mask(ADVISER | WORKER | ADMIN, PURPOSE_CASEWORK), SENS_ALL & ~SENS_SPECIAL);
	assert_int_equal(policy_mask(WORKER, PURPOSE_STATISTICS), SENS_ALL & ~IDENT_CONTACT);
	assert_int_equal(policy_mask(ADVISER, PURPOSE_STATISTICS),
			 SENS_ALL & ~IDENT_CONTACT & ~SENS_SPECIAL);
}

/* Decisions carry the mask of the actor's roles. */
static void test_decision_masks(void **state)
{
	struct policy_decision d;

	(void)state;
	assert_int_equal(decide(1, ADMIN, POLICY_ACCOUNT, 0, PURPOSE_ADMINISTRATION, &d), 0);
	assert_int_equal(d.mask, SENS_ALL);
	assert_int_equal(decide(1, ADMIN | ADVISER, POLICY_ACCOUNT, 0, PURPOSE_ADMINISTRATION, &d), 0);
	assert_int_equal(d.mask, SENS_ALL & ~SENS_SPECIAL);
	assert_int_equal(decide(1, ADMIN, POLICY_ACCOUNT, 0, PURPOSE_STATISTICS, &d), 0);
	assert_int_equal(d.mask, SENS_ALL & ~IDENT_CONTACT);
	assert_int_equal(decide(1, ADMIN | ADVISER, POLICY_AUDIT, 0, PURPOSE_STATISTICS, &d), 0);
	assert_int_equal(d.mask, SENS_ALL & ~IDENT_CONTACT & ~SENS_SPECIAL);
	assert_int_equal(decide(9, ADVISER, POLICY_ACCOUNT, 9, PURPOSE_ADMINISTRATION, &d), 0);
	assert_int_equal(d.mask, SENS_ALL & ~SENS_SPECIAL);
	/* the user and audit lists: statistics hide who, not what */
	assert_int_equal(list_masked_cols(&user_list, SENS_ALL & ~IDENT_CONTACT),
			 (1u << USER_COL_LOGIN) | (1u << USER_COL_NAME) | (1u << USER_COL_EMAIL));
	assert_int_equal(list_masked_cols(&audit_list, SENS_ALL & ~IDENT_CONTACT),
			 (1u << AUDIT_COL_LOGIN) | (1u << AUDIT_COL_IP) | (1u << AUDIT_COL_DETAIL));
	assert_int_equal(list_masked_cols(&user_list, SENS_ALL), 0);
}

static void test_codes(void **state)
{
	(void)state;
	assert_string_equal(policy_kind_code(POLICY_ACCOUNT), "account");
	assert_string_equal(policy_kind_code(POLICY_CONTRACT), "contract");
	assert_string_equal(policy_purpose_code(PURPOSE_STATISTICS), "statistics");
	assert_string_equal(policy_purpose_code(PURPOSE__MAX), "");
	assert_string_equal(policy_entity(POLICY_ACCOUNT), "user");
	assert_null(policy_entity(POLICY_NONE));
	assert_string_equal(policy_action(POLICY_ACCOUNT, POLICY_READ_ONE), "user.read");
	assert_string_equal(policy_action(POLICY_ACCOUNT, POLICY_READ_PAGE), "user.list");
	assert_string_equal(policy_action(POLICY_ACCOUNT, POLICY_READ_ALL), "user.export");
	assert_string_equal(policy_action(POLICY_AUDIT, POLICY_READ_PAGE), "audit.list");
	assert_string_equal(policy_action(POLICY_AUDIT, POLICY_READ_ALL), "audit.export");
	assert_null(policy_action(POLICY_NONE, POLICY_READ_ONE));
}

/* ------------------------------------------------------------------ */
/* On a database                                                       */
/* ------------------------------------------------------------------ */

struct fixture {
	int64_t inst, admin, ola, ewa; /* the institution and three accounts */
};

static int64_t make(struct db *db, struct arena *a, const char *login, const char *name,
		    int64_t inst, unsigned roles)
{
	struct user u = { .login = login, .full_name = name, .email = "x@example.pl",
			  .institution_id = inst, .roles = roles };
	struct verrs v = VERRS_INIT;
	int64_t id = 0;

	assert_int_equal(user_validate(&u, a, &v), 0);
	assert_int_equal(user_create(db, a, &u, "$argon2id$fake-hash", &id, &v), 0);
	return id;
}

static void fixture(struct db *db, struct arena *a, struct fixture *f)
{
	assert_int_equal(db_get_int(db, &f->inst, &SQL_ADD_INSTITUTION, "tt", TS, TS), DB_ROW);
	f->admin = make(db, a, "admin", "Anna Admin", f->inst, ADMIN);
	f->ola = make(db, a, "ola", "Ola Nowak", f->inst, WORKER);
	f->ewa = make(db, a, "ewa", "Ewa Kos", f->inst, ADVISER | ROLE_BIT(ROLE_COORDINATOR));
}

static void reader(struct policy_read *r, struct db *db, struct arena *a, int64_t user,
		   unsigned roles, enum policy_kind kind, enum policy_purpose purpose,
		   struct audit_reads *log)
{
	memset(r, 0, sizeof(*r));
	r->db = db;
	r->arena = a;
	r->actor.user_id = user;
	r->actor.roles = roles;
	r->actor.institution_id = 1;
	r->kind = kind;
	r->purpose = purpose;
	r->log = log;
	r->query = "q=x";
}

static const char *idlist(struct arena *a, const struct list_page *p)
{
	const char *s = "";
	int i;

	for (i = 0; i < p->nrows; i++)
		s = arena_printf(a, "%s%s%s", s, i > 0 ? "," : "", p->ids[i]);
	return s;
}

static void test_list_reads(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct audit_reads log = AUDIT_READS_INIT;
	struct list_query q = LIST_QUERY_INIT;
	struct policy_read r;
	struct list_page p;
	struct fixture f;
	const char *want;

	fixture(db, a, &f);
	/* an administrator: every account, one read naming the ids on the page */
	reader(&r, db, a, f.admin, ADMIN, POLICY_ACCOUNT, PURPOSE_ADMINISTRATION, &log);
	q.limit = 2; /* logins in order: admin, ewa, ola */
	assert_int_equal(policy_list_fetch(&r, &user_list, &q, &p), 0);
	assert_int_equal(p.total, 3);
	assert_string_equal(p.values[0][USER_COL_LOGIN], "admin");
	assert_string_equal(p.values[1][USER_COL_EMAIL], "x@example.pl");
	assert_int_equal(log.n, 1);
	assert_string_equal(log.r[0].action, "user.list");
	assert_string_equal(log.r[0].entity, "user");
	assert_null(log.r[0].entity_id);
	want = arena_printf(a, "shown=2 total=3 ids=%lld,%lld query=q=x", (long long)f.admin,
			    (long long)f.ewa);
	assert_string_equal(log.r[0].detail, want);
	/* anyone else: the scope keeps their own row only, and nothing is recorded */
	q = (struct list_query)LIST_QUERY_INIT;
	q.mask = SENS_ALL; /* replaced by the policy's anyway */
	reader(&r, db, a, f.ola, WORKER, POLICY_ACCOUNT, PURPOSE_ADMINISTRATION, &log);
	assert_int_equal(policy_list_fetch(&r, &user_list, &q, &p), 0);
	assert_int_equal(p.total, 1);
	assert_string_equal(idlist(a, &p), arena_printf(a, "%lld", (long long)f.ola));
	assert_int_equal(log.n, 1);
	/* statistics: identity and contact are not read at all */
	reader(&r, db, a, f.admin, ADMIN, POLICY_ACCOUNT, PURPOSE_STATISTICS, &log);
	q = (struct list_query)LIST_QUERY_INIT;
	q.q = "nowak"; /* a search on masked columns finds nothing */
	assert_int_equal(policy_list_fetch(&r, &user_list, &q, &p), 0);
	assert_int_equal(p.total, 0);
	q.q = "mops"; /* the institution is not masked */
	assert_int_equal(policy_list_fetch(&r, &user_list, &q, &p), 0);
	assert_int_equal(p.total, 3);
	assert_null(p.values[0][USER_COL_LOGIN]);
	assert_null(p.values[0][USER_COL_NAME]);
	assert_null(p.values[0][USER_COL_EMAIL]);
	assert_string_equal(p.values[0][USER_COL_INSTITUTION], "MOPS");
	assert_int_equal(log.n, 3);
	/* denied: nothing read, nothing recorded, the reason given */
	reader(&r, db, a, f.ola, WORKER, POLICY_AUDIT, PURPOSE_AUDIT, &log);
	q = (struct list_query)LIST_QUERY_INIT;
	assert_int_equal(policy_list_fetch(&r, &audit_list, &q, &p), POLICY_DENIED);
	assert_string_equal(r.decision.code, "admin_only");
	assert_int_equal(p.nrows, 0);
	assert_int_equal(log.n, 3);
	arena_free(a);
}

struct counter {
	int rows;
};

static int count_row(void *ctx, const char *id, const char *const *values)
{
	struct counter *c = ctx;

	(void)id;
	(void)values;
	c->rows++;
	return 0;
}

static int stop_row(void *ctx, const char *id, const char *const *values)
{
	(void)ctx;
	(void)id;
	(void)values;
	return 5;
}

static void test_export_reads(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct audit_reads log = AUDIT_READS_INIT;
	struct list_query q = LIST_QUERY_INIT;
	struct audit_actor who = { .login = "admin", .ip = "local" };
	struct policy_read r;
	struct counter c = { 0 };
	struct fixture f;
	int64_t n = 0;
	char *detail = NULL;
	struct db_stmt *st;

	fixture(db, a, &f);
	who.user_id = f.admin;
	reader(&r, db, a, f.admin, ADMIN, POLICY_ACCOUNT, PURPOSE_ADMINISTRATION, &log);
	q.limit = 1; /* exports ignore paging */
	assert_int_equal(policy_list_each(&r, &user_list, &q, count_row, &c), 0);
	assert_int_equal(c.rows, 3);
	assert_int_equal(log.n, 1);
	assert_string_equal(log.r[0].action, "user.export");
	/* the flush writes the row; the export's row names every account exported */
	assert_int_equal(audit_reads_flush(db, &who, &log), 0);
	assert_int_equal(log.n, 0);
	st = db_query(db, &SQL_USER_EXPORT_AUDIT, NULL);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	detail = arena_strdup(a, db_col_text(st, 0));
	assert_string_equal(db_col_text(st, 1), "user");
	assert_int_equal(db_col_int(st, 2), f.admin);
	db_reset(st);
	assert_string_equal(detail, arena_printf(a, "shown=3 total=3 ids=%lld,%lld,%lld query=q=x",
						 (long long)f.admin, (long long)f.ewa, (long long)f.ola));
	/* a failed export records nothing */
	assert_int_equal(policy_list_each(&r, &user_list, &q, stop_row, NULL), 5);
	assert_int_equal(log.n, 0);
	/* the audit log's own export, filtered: names the entries exported */
	reader(&r, db, a, f.admin, ADMIN, POLICY_AUDIT, PURPOSE_AUDIT, &log);
	q = (struct list_query)LIST_QUERY_INIT;
	c.rows = 0;
	assert_int_equal(list_add_filter(&q, AUDIT_COL_ACTION, LIST_EQ, "user."), 0);
	assert_int_equal(policy_list_each(&r, &audit_list, &q, count_row, &c), 0);
	assert_int_equal(c.rows, 1);
	assert_int_equal(db_get_int(db, &n, &SQL_USER_EXPORT_AUDIT_ID, NULL), DB_ROW);
	assert_string_equal(log.r[0].action, "audit.export");
	assert_string_equal(log.r[0].detail, arena_printf(a, "shown=1 total=1 ids=%lld query=q=x", (long long)n));
	arena_free(a);
}

static void test_user_read(void **state)
{
	struct db *db = T(state)->db;
	struct arena *a = arena_new(1 << 20);
	struct audit_reads log = AUDIT_READS_INIT;
	struct policy_read r;
	struct fixture f;
	struct user u;

	fixture(db, a, &f);
	/* an administrator reading someone: recorded with the id and login */
	reader(&r, db, a, f.admin, ADMIN, POLICY_ACCOUNT, PURPOSE_ADMINISTRATION, &log);
	assert_int_equal(user_read(&r, f.ola, &u), POLICY_OK);
	assert_string_equal(u.login, "ola");
	assert_string_equal(u.email, "x@example.pl");
	assert_int_equal(log.n, 1);
	assert_string_equal(log.r[0].action, "user.read");
	assert_string_equal(log.r[0].entity, "user");
	assert_string_equal(log.r[0].entity_id, arena_printf(a, "%lld", (long long)f.ola));
	assert_string_equal(log.r[0].detail, "ola");
	/* their own account: not recorded */
	assert_int_equal(user_read(&r, f.admin, &u), POLICY_OK);
	assert_int_equal(log.n, 1);
	/* no such account */
	assert_int_equal(user_read(&r, 999999, &u), POLICY_NOT_FOUND);
	assert_int_equal(log.n, 1);
	/* someone else's account, by a non-administrator: denied before reading */
	reader(&r, db, a, f.ola, WORKER, POLICY_ACCOUNT, PURPOSE_ADMINISTRATION, &log);
	memset(&u, 0, sizeof(u));
	assert_int_equal(user_read(&r, f.ewa, &u), POLICY_DENIED);
	assert_string_equal(r.decision.code, "own_account_only");
	assert_null(u.login);
	assert_int_equal(user_read(&r, 999999, &u), POLICY_DENIED); /* existence is not told */
	assert_int_equal(user_read(&r, f.ola, &u), POLICY_OK);
	assert_string_equal(u.full_name, "Ola Nowak");
	assert_int_equal(log.n, 1);
	/* statistics: identity and contact blanked, the rest kept */
	reader(&r, db, a, f.admin, ADMIN, POLICY_ACCOUNT, PURPOSE_STATISTICS, &log);
	assert_int_equal(user_read(&r, f.ewa, &u), POLICY_OK);
	assert_null(u.login);
	assert_null(u.full_name);
	assert_null(u.email);
	assert_int_equal(u.roles, ADVISER | ROLE_BIT(ROLE_COORDINATOR));
	assert_string_equal(u.institution_name, "MOPS");
	assert_int_equal(log.n, 2);
	assert_null(log.r[1].detail); /* the login is not recorded where it was not shown */
	/* a full read log fails the read */
	log.n = AUDIT_READS_MAX;
	reader(&r, db, a, f.admin, ADMIN, POLICY_ACCOUNT, PURPOSE_ADMINISTRATION, &log);
	assert_int_equal(user_read(&r, f.ola, &u), -1);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_plain(test_signed_out),
		testdb_plain(test_accounts),
		testdb_plain(test_audit_and_placeholders),
		testdb_plain(test_reasons_in_polish),
		testdb_plain(test_mask),
		testdb_plain(test_decision_masks),
		testdb_plain(test_codes),
		cmocka_unit_test(test_list_reads),
		cmocka_unit_test(test_export_reads),
		cmocka_unit_test(test_user_read),
	};

	log_set_level(LOG_ERROR + 1);
	return TESTDB_RUN("policy", tests, 1);
}
