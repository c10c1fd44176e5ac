/*
 * tests/unit/link/store.c — record linkage in the database (SQLite, and
 * PostgreSQL with RAZEM_TEST_PG_URL): equal PESEL across institutions is
 * an exact link and same_human() answers from it; a reviewer's decisions
 * (same, different, skip) with their refusals; a separated pair stays
 * separated after a full rerun; unlinking is a cannot-link that leaves the
 * records untouched; incremental runs link only new records; one-record
 * linking of a new and of a deleted record; merging two records of one
 * institution moves every reference and unmerging restores them exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/i18n.h"
#include "link/store.h"
#include "registry/history.h"
#include "../testdb.h"
#include "../registry/world.h"

#define T(state) ((struct testdb *)*(state))

static const struct db_sql SQL_COUNT_LINKS =
	DB_SQL("SELECT COUNT(*) FROM person_link WHERE person_a = ? AND person_b = ? AND state = ?");
static const struct db_sql SQL_CLUSTER_OF = DB_SQL("SELECT cluster_id FROM person_cluster WHERE person_id = ?");
static const struct db_sql SQL_CAND_ADD =
	DB_SQL("INSERT INTO link_candidate (person_a, person_b, institution_a, institution_b, score, weight, "
	       "levels, state, created_at) VALUES (?, ?, ?, ?, 0.6, 1.5, '0000000000000000', 'open', "
	       "'2026-01-01T00:00:00Z') RETURNING id");

static int64_t links(struct world *w, int64_t a, int64_t b, const char *state)
{
	int64_t n = -1;

	assert_int_equal(db_get_int(w->db, &n, &SQL_COUNT_LINKS, "iit", a < b ? a : b, a < b ? b : a, state), DB_ROW);
	return n;
}

static int64_t cluster_of(struct world *w, int64_t id)
{
	int64_t c = 0;

	assert_true(db_get_int(w->db, &c, &SQL_CLUSTER_OF, "i", id) >= 0);
	return c;
}

static struct person someone(const char *first, const char *surname, const char *pesel, const char *birth)
{
	struct person p = { .first_names = first, .surname = surname, .pesel = pesel, .birth_date = birth,
			    .street = "ul. Lipowa", .house_no = "3", .postcode = "00-950", .town = "Lipno" };

	if (pesel == NULL)
		p.sex = "K";
	return p;
}

static struct registry_writer other_writer(const struct world *w)
{
	return writer(w->other_worker, ROLE_BIT(ROLE_SOCIAL_WORKER), w->other_inst, "jan");
}

static void run(struct world *w, int full, struct link_run_summary *s)
{
	char err[300] = "";

	assert_int_equal(db_begin(w->db), 0);
	if (link_store_run(w->db, 0, full, 0, s, err, sizeof(err)) != 0)
		fail_msg("link_store_run: %s", err);
	assert_int_equal(db_commit(w->db), 0);
}

static int64_t add_candidate(struct world *w, int64_t a, int64_t b, int64_t ia, int64_t ib)
{
	int64_t id = 0;

	assert_int_equal(db_get_int(w->db, &id, &SQL_CAND_ADD, "iiii", a, b, ia, ib), DB_ROW);
	return id;
}

static int decide(struct world *w, const struct registry_writer *wr, int64_t cand, const char *d, struct verrs *v)
{
	int rc;

	assert_int_equal(db_begin(w->db), 0);
	rc = link_decide(w->db, wr, cand, d, v);
	assert_int_equal(rc == 0 ? db_commit(w->db) : db_rollback(w->db), 0);
	return rc;
}

/* one valid PESEL at two institutions: an exact link, one cluster, same_human() both ways */
static void test_pesel_link(void **state)
{
	struct world w;
	struct registry_writer mine, theirs;
	struct link_run_summary s;
	int64_t a, b, c, ids[8];

	world_init(&w, T(state)->db);
	mine = world_worker(&w), theirs = other_writer(&w);
	a = add_person(&w, &mine, someone("Anna", "Kowalska", "44051401458", NULL));
	b = add_person(&w, &theirs, someone("Anna", "Kowalska", "44051401458", NULL));
	c = add_person(&w, &theirs, someone("Ewa", "Obca", "85123101236", NULL));
	run(&w, 1, &s);
	assert_int_equal(s.full, 1);
	assert_int_equal(s.records, 3);
	assert_int_equal(links(&w, a, b, "auto"), 1);
	assert_int_equal(cluster_of(&w, a), cluster_of(&w, b));
	assert_int_equal(cluster_of(&w, c), 0);
	assert_int_equal(link_same_human(w.db, a, ids, 8), 1);
	assert_int_equal(ids[0], b);
	assert_int_equal(link_same_human(w.db, b, ids, 8), 1);
	assert_int_equal(link_same_human(w.db, c, ids, 8), 0);
	world_free(&w);
}

/* a separated pair stays separated: not linked by a rerun, not in one cluster, not the same human */
static void test_separated_stays(void **state)
{
	struct world w;
	struct registry_writer mine, theirs;
	struct link_run_summary s;
	struct verrs v = VERRS_INIT;
	int64_t a, b, cand, ids[8];

	world_init(&w, T(state)->db);
	mine = world_worker(&w), theirs = other_writer(&w);
	a = add_person(&w, &mine, someone("Anna", "Kowalska", "44051401458", NULL));
	b = add_person(&w, &theirs, someone("Anna", "Kowalska", "44051401458", NULL));
	cand = add_candidate(&w, a, b, w.inst, w.other_inst);
	assert_int_equal(decide(&w, &mine, cand, "different", &v), 0);
	assert_int_equal(links(&w, a, b, "separated"), 1);
	run(&w, 1, &s);
	assert_int_equal(links(&w, a, b, "separated"), 1);
	assert_int_equal(links(&w, a, b, "auto"), 0);
	assert_int_equal(cluster_of(&w, a), 0);
	assert_int_equal(link_same_human(w.db, a, ids, 8), 0);
	world_free(&w);
}

/* same joins the clusters; skip puts the pair behind; refusals name the field */
static void test_decisions(void **state)
{
	struct world w;
	struct registry_writer mine, theirs, stranger;
	struct verrs v = VERRS_INIT;
	struct link_cand *q;
	int64_t a, b, c, cand, cand2, n = 0, third;

	world_init(&w, T(state)->db);
	mine = world_worker(&w), theirs = other_writer(&w);
	third = world_institution(&w, "PUP Lipno");
	stranger = writer(w.other_worker, ROLE_BIT(ROLE_SOCIAL_WORKER), third, "jan");
	a = add_person(&w, &mine, someone("Anna", "Kowalska", NULL, "1980-05-01"));
	b = add_person(&w, &theirs, someone("Anna", "Kowlaska", NULL, "1980-05-01"));
	c = add_person(&w, &theirs, someone("Anna", "Kowalewska", NULL, "1980-05-01"));
	cand = add_candidate(&w, a, b, w.inst, w.other_inst);
	cand2 = add_candidate(&w, a, c, w.inst, w.other_inst);
	assert_int_equal(link_queue_count(w.db, w.inst, 1, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(decide(&w, &mine, cand, "maybe", &v), 1);
	assert_string_equal(v.e[0].field, "decision");
	assert_int_equal(decide(&w, &stranger, cand, "same", &v), LINK_NOT_FOUND);
	assert_int_equal(decide(&w, &mine, cand2, "skip", &v), 0);
	assert_int_equal(link_queue_count(w.db, w.inst, 1, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(link_queue_list(w.db, w.a, w.inst, 0, 10, &q), 2);
	assert_int_equal(q[0].id, cand); /* open first, then skipped */
	assert_string_equal(q[1].state, "skipped");
	assert_int_equal(decide(&w, &theirs, cand, "same", &v), 0);
	assert_int_equal(links(&w, a, b, "confirmed"), 1);
	assert_int_equal(cluster_of(&w, a), a < b ? a : b);
	assert_int_equal(cluster_of(&w, b), a < b ? a : b);
	v = (struct verrs)VERRS_INIT;
	assert_int_equal(decide(&w, &mine, cand, "different", &v), 1);
	assert_string_equal(v.e[0].code, "decided");
	world_free(&w);
}

/* unlink: the link becomes a cannot-link, the records stay as they were, a rerun keeps it */
static void test_unlink(void **state)
{
	struct world w;
	struct registry_writer mine, theirs;
	struct link_run_summary s;
	struct verrs v = VERRS_INIT;
	struct link_row *l;
	struct person before, after;
	int64_t a, b, ids[8];

	world_init(&w, T(state)->db);
	mine = world_worker(&w), theirs = other_writer(&w);
	a = add_person(&w, &mine, someone("Anna", "Kowalska", "44051401458", NULL));
	b = add_person(&w, &theirs, someone("Anna", "Kowalska", "44051401458", NULL));
	run(&w, 1, &s);
	assert_int_equal(person_get(w.db, w.a, b, &before), 0);
	assert_int_equal(link_person_links(w.db, w.a, a, &l), 1);
	assert_int_equal(l[0].other_id, b);
	assert_int_equal(db_begin(w.db), 0);
	assert_int_equal(link_unlink(w.db, &theirs, l[0].id, &v), 0);
	assert_int_equal(db_commit(w.db), 0);
	assert_int_equal(links(&w, a, b, "unlinked"), 1);
	assert_int_equal(link_same_human(w.db, a, ids, 8), 0);
	assert_int_equal(person_get(w.db, w.a, b, &after), 0);
	assert_string_equal(before.updated_at, after.updated_at);
	assert_string_equal(before.surname, after.surname);
	assert_int_equal(db_begin(w.db), 0);
	assert_int_equal(link_unlink(w.db, &theirs, l[0].id, &v), 1); /* already undone */
	assert_int_equal(db_rollback(w.db), 0);
	run(&w, 1, &s);
	assert_int_equal(links(&w, a, b, "unlinked"), 1);
	assert_int_equal(links(&w, a, b, "auto"), 0);
	world_free(&w);
}

/* a second run links only what is new; a deleted record loses its links */
static void test_incremental(void **state)
{
	struct world w;
	struct registry_writer mine, theirs;
	struct link_run_summary s;
	int64_t a, b, ids[8];
	int linked = -1;

	world_init(&w, T(state)->db);
	mine = world_worker(&w), theirs = other_writer(&w);
	a = add_person(&w, &mine, someone("Anna", "Kowalska", "44051401458", NULL));
	add_person(&w, &theirs, someone("Ewa", "Obca", "85123101236", NULL));
	run(&w, 0, &s);
	assert_int_equal(s.full, 1); /* the first run scores everything */
	run(&w, 0, &s);
	assert_int_equal(s.full, 0);
	assert_int_equal(s.records, 0);
	b = add_person(&w, &theirs, someone("Anna", "Kowalska", "44051401458", NULL));
	run(&w, 0, &s);
	assert_int_equal(s.full, 0);
	assert_int_equal(s.records, 1);
	assert_int_equal(s.linked, 1);
	assert_int_equal(links(&w, a, b, "auto"), 1);
	assert_int_equal(link_same_human(w.db, a, ids, 8), 1);
	assert_int_equal(db_begin(w.db), 0);
	assert_int_equal(person_delete(w.db, w.a, &theirs, b), 0);
	assert_int_equal(link_store_one(w.db, b, &linked, NULL), 0);
	assert_int_equal(db_commit(w.db), 0);
	assert_int_equal(linked, 0);
	assert_int_equal(links(&w, a, b, "auto"), 0);
	assert_int_equal(link_same_human(w.db, a, ids, 8), 0);
	assert_int_equal(cluster_of(&w, a), 0);
	world_free(&w);
}

/* the typo pair of one record linked on its own: keys stored, a link or a candidate made */
static void test_one_record(void **state)
{
	static const struct db_sql keys = DB_SQL("SELECT COUNT(*) FROM link_key WHERE person_id = ?");
	static const struct db_sql known =
		DB_SQL("SELECT (SELECT COUNT(*) FROM person_link) + (SELECT COUNT(*) FROM link_candidate)");
	struct world w;
	struct registry_writer mine, theirs;
	int64_t a, b, n = 0;
	int linked = 0, queued = 0;

	world_init(&w, T(state)->db);
	mine = world_worker(&w), theirs = other_writer(&w);
	a = add_person(&w, &mine, someone("Anna", "Kowalska", NULL, "1980-05-01"));
	b = add_person(&w, &theirs, someone("Anna", "Kowlaska", NULL, "1980-05-01"));
	assert_int_equal(db_begin(w.db), 0);
	assert_int_equal(link_store_one(w.db, a, NULL, NULL), 0);
	assert_int_equal(link_store_one(w.db, b, &linked, &queued), 0);
	assert_int_equal(db_commit(w.db), 0);
	assert_int_equal(db_get_int(w.db, &n, &keys, "i", b), DB_ROW);
	assert_true(n > 0);
	assert_int_equal(linked + queued, 1);
	assert_int_equal(db_get_int(w.db, &n, &known, NULL), DB_ROW);
	assert_int_equal(n, 1);
	world_free(&w);
}


/*
 * two records of one human in one institution are queued as a duplicate,
 * never linked: on their own (link_store_one) and in a full run
 */
static void test_duplicate_queued(void **state)
{
	static const struct db_sql dups =
		DB_SQL("SELECT COUNT(*) FROM link_candidate WHERE institution_a = institution_b AND state = 'open' "
		       "AND person_a = ? AND person_b = ?");
	static const struct db_sql links_n = DB_SQL("SELECT COUNT(*) FROM person_link");
	struct world w;
	struct registry_writer mine;
	struct link_run_summary s;
	int64_t a, b, n = 0;
	int linked = 0, queued = 0;

	world_init(&w, T(state)->db);
	mine = world_worker(&w);
	a = add_person(&w, &mine, someone("Anna", "Kowalska", NULL, "1980-05-01"));
	b = add_person(&w, &mine, someone("Anna", "Kowlaska", NULL, "1980-05-01"));
	assert_int_equal(db_begin(w.db), 0);
	assert_int_equal(link_store_one(w.db, a, NULL, NULL), 0);
	assert_int_equal(link_store_one(w.db, b, &linked, &queued), 0);
	assert_int_equal(db_commit(w.db), 0);
	assert_int_equal(linked, 0);
	assert_int_equal(queued, 1);
	assert_int_equal(db_get_int(w.db, &n, &dups, "ii", a, b), DB_ROW);
	assert_int_equal(n, 1);
	run(&w, 1, &s); /* the full run finds it again, in its pass within institutions */
	assert_int_equal(s.linked, 0);
	assert_int_equal(db_get_int(w.db, &n, &dups, "ii", a, b), DB_ROW);
	assert_int_equal(n, 1);
	assert_int_equal(db_get_int(w.db, &n, &links_n, NULL), DB_ROW);
	assert_int_equal(n, 0);
	world_free(&w);
}

/* a candidate of two records of one institution is a duplicate: "same" merges them, undone by unmerge */
static void test_duplicate_same_merges(void **state)
{
	struct world w;
	struct registry_writer mine;
	struct verrs v = VERRS_INIT;
	struct person p;
	int64_t kept, merged, cand, other, n = 0;
	static const struct db_sql merges = DB_SQL("SELECT COUNT(*) FROM person_merge WHERE kept_id = ?");

	world_init(&w, T(state)->db);
	mine = world_worker(&w);
	kept = add_person(&w, &mine, someone("Anna", "Kowalska", "44051401458", NULL));
	merged = add_person(&w, &mine, someone("Ania", "Kowalska", NULL, "1944-05-14"));
	other = add_person(&w, &mine, someone("Ewa", "Nowak", NULL, "1950-01-02"));
	cand = add_candidate(&w, kept, merged, w.inst, w.inst);
	assert_int_equal(decide(&w, &mine, cand, "same", &v), 0);
	assert_int_equal(person_get(w.db, w.a, merged, &p), 0);
	assert_int_equal(p.deleted, 1);
	assert_int_equal(db_get_int(w.db, &n, &merges, "i", kept), DB_ROW);
	assert_int_equal(n, 1);
	/* "different" on a duplicate pair is a cannot-link, the record stays */
	cand = add_candidate(&w, kept, other, w.inst, w.inst);
	assert_int_equal(decide(&w, &mine, cand, "different", &v), 0);
	assert_int_equal(person_get(w.db, w.a, other, &p), 0);
	assert_int_equal(p.deleted, 0);
	world_free(&w);
}

/* merge moves every reference, unmerge restores them and the record */
static void test_merge(void **state)
{
	static const struct db_sql status =
		DB_SQL("INSERT INTO labour_status (institution_id, person_id, status, from_date, created_at) "
		       "VALUES (?, ?, 'job_seeker', '2025-01-01', '2025-01-01T00:00:00Z')");
	static const struct db_sql of =
		DB_SQL("SELECT COUNT(*) FROM labour_status WHERE person_id = ?");
	struct world w;
	struct registry_writer mine, theirs;
	struct verrs v = VERRS_INIT;
	struct person p;
	int64_t kept, merged, stranger, merge = 0, n = 0;

	world_init(&w, T(state)->db);
	mine = world_worker(&w), theirs = other_writer(&w);
	kept = add_person(&w, &mine, someone("Anna", "Kowalska", "44051401458", NULL));
	merged = add_person(&w, &mine, someone("Ania", "Kowalska", NULL, "1944-05-14"));
	stranger = add_person(&w, &theirs, someone("Ewa", "Obca", "85123101236", NULL));
	assert_int_equal(db_run(w.db, &status, "ii", w.inst, merged), DB_OK);
	assert_int_equal(db_run(w.db, &status, "ii", w.inst, merged), DB_OK);
	assert_int_equal(db_begin(w.db), 0);
	assert_int_equal(person_merge(w.db, w.a, &mine, kept, kept, &merge, &v), 1);
	v = (struct verrs)VERRS_INIT;
	assert_int_equal(person_merge(w.db, w.a, &mine, kept, stranger, &merge, &v), 1);
	assert_string_equal(v.e[v.n - 1].code, "other_institution");
	assert_int_equal(person_merge(w.db, w.a, &mine, kept, merged, &merge, &v), 0);
	assert_int_equal(db_commit(w.db), 0);
	assert_int_equal(db_get_int(w.db, &n, &of, "i", kept), DB_ROW);
	assert_int_equal(n, 2);
	assert_int_equal(person_get(w.db, w.a, merged, &p), 0);
	assert_int_equal(p.deleted, 1);
	v = (struct verrs)VERRS_INIT;
	assert_int_equal(db_begin(w.db), 0);
	assert_int_equal(person_unmerge(w.db, w.a, &theirs, merge, &v), LINK_NOT_FOUND);
	assert_int_equal(person_unmerge(w.db, w.a, &mine, merge, &v), 0);
	assert_int_equal(db_commit(w.db), 0);
	assert_int_equal(db_get_int(w.db, &n, &of, "i", kept), DB_ROW);
	assert_int_equal(n, 0);
	assert_int_equal(db_get_int(w.db, &n, &of, "i", merged), DB_ROW);
	assert_int_equal(n, 2);
	assert_int_equal(person_get(w.db, w.a, merged, &p), 0);
	assert_int_equal(p.deleted, 0);
	assert_string_equal(p.first_names, "Ania");
	assert_int_equal(db_begin(w.db), 0);
	assert_int_equal(person_unmerge(w.db, w.a, &mine, merge, &v), 1);
	assert_string_equal(v.e[v.n - 1].code, "undone");
	assert_int_equal(db_rollback(w.db), 0);
	world_free(&w);
}

int main(void)
{
	(void)reader; /* world.h's, for the tests that read */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pesel_link),  cmocka_unit_test(test_separated_stays),
		cmocka_unit_test(test_decisions),   cmocka_unit_test(test_unlink),
		cmocka_unit_test(test_incremental), cmocka_unit_test(test_one_record),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_duplicate_same_merges), cmocka_unit_test(test_duplicate_queued),
	};

	i18n_init();
	return TESTDB_RUN("link_store", tests, 1);
}
