/*
 * store.c — record linkage in the database (store.h): the model, the
 * one-record and batch linkers, clusters, the review queue, decisions,
 * unlinking, and merges of duplicates within one institution.
 */
#include "link/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/ident.h"
#include "registry/check.h"
#include "registry/history.h"

/* ------------------------------------------------------------------ */
/* Statements                                                          */
/* ------------------------------------------------------------------ */

#define PERSON_LINK_COLS                                                                        \
	"SELECT id, institution_id, pesel, first_names, surname, birth_surname, sex, birth_date, " \
	"street, house_no, flat_no, postcode, town, terc, updated_at FROM person "
static const struct db_sql SQL_MODEL_LAST =
	DB_SQL("SELECT id, upper_p, lower_p, model FROM link_model ORDER BY id DESC LIMIT 1");
static const struct db_sql SQL_MODEL_INSERT =
	DB_SQL("INSERT INTO link_model (created_at, records, upper_p, lower_p, model) "
	       "VALUES (?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_RUN_INSERT =
	DB_SQL("INSERT INTO link_run (institution_id, started_at, by_user) VALUES (NULLIF(CAST(? AS BIGINT), 0), ?, NULLIF(CAST(? AS BIGINT), 0)) RETURNING id");
static const struct db_sql SQL_RUN_END =
	DB_SQL("UPDATE link_run SET finished_at = ?, model_id = NULLIF(CAST(? AS BIGINT), 0), records = ?, pairs = ?, linked = ?, "
	       "queued = ? WHERE id = ?");
static const struct db_sql SQL_PERSON_ONE = DB_SQL(PERSON_LINK_COLS "WHERE id = ? AND deleted_at IS NULL "
							    "AND anonymised_at IS NULL");
static const struct db_sql SQL_PERSON_ALL =
	DB_SQL(PERSON_LINK_COLS "WHERE deleted_at IS NULL AND anonymised_at IS NULL ORDER BY id");
/* link_key_key (key, person_id), then the person by its primary key */
static const struct db_sql SQL_BY_KEY =
	DB_SQL("SELECT p.id, p.institution_id, p.pesel, p.first_names, p.surname, p.birth_surname, "
	       "p.sex, p.birth_date, p.street, p.house_no, p.flat_no, p.postcode, p.town, p.terc, "
	       "p.updated_at FROM link_key k JOIN person p ON p.id = k.person_id "
	       "WHERE k.key = ? AND k.person_id <> ? "
	       "AND p.deleted_at IS NULL AND p.anonymised_at IS NULL LIMIT 500");
static const struct db_sql SQL_SAME_PESEL_OTHER =
	DB_SQL("SELECT o.id, o.institution_id FROM person o WHERE o.pesel = ? AND o.institution_id <> ? "
	       "AND o.deleted_at IS NULL ORDER BY o.id LIMIT 100");
static const struct db_sql SQL_KEYS_DELETE = DB_SQL("DELETE FROM link_key WHERE person_id = ?");
static const struct db_sql SQL_KEY_INSERT = DB_SQL("INSERT INTO link_key (key, person_id) VALUES (?, ?)");
static const struct db_sql SQL_LINK_STATE =
	DB_SQL("SELECT id, state FROM person_link WHERE person_a = ? AND person_b = ?");
static const struct db_sql SQL_LINK_INSERT =
	DB_SQL("INSERT INTO person_link (person_a, person_b, score, weight, levels, method, state, "
	       "run_id, created_at, decided_at, decided_by) VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?, ?, NULLIF(CAST(? AS BIGINT), 0))");
static const struct db_sql SQL_LINK_DECIDE =
	DB_SQL("UPDATE person_link SET state = ?, method = CASE WHEN ? = 'confirmed' AND method = 'score' "
	       "THEN 'review' ELSE method END, decided_at = ?, decided_by = NULLIF(CAST(? AS BIGINT), 0) WHERE id = ?");
static const struct db_sql SQL_AUTO_DELETE_OF =
	DB_SQL("DELETE FROM person_link WHERE state = 'auto' AND (person_a = ? OR person_b = ?)");
static const struct db_sql SQL_OPEN_DELETE_OF =
	DB_SQL("DELETE FROM link_candidate WHERE state = 'open' AND (person_a = ? OR person_b = ?)");
static const struct db_sql SQL_CAND_STATE =
	DB_SQL("SELECT id, state FROM link_candidate WHERE person_a = ? AND person_b = ?");
static const struct db_sql SQL_CAND_INSERT =
	DB_SQL("INSERT INTO link_candidate (person_a, person_b, institution_a, institution_b, score, "
	       "weight, levels, state, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', NULLIF(CAST(? AS BIGINT), 0), ?)");
static const struct db_sql SQL_CAND_RESCORE =
	DB_SQL("UPDATE link_candidate SET score = ?, weight = ?, levels = ? WHERE id = ?");
#define CAND_COLS                                                                                \
	"SELECT c.id, c.person_a, c.person_b, c.institution_a, c.institution_b, c.score, c.weight, " \
	"c.levels, c.state, c.created_at FROM link_candidate c "                                    \
	"JOIN person pa ON pa.id = c.person_a AND pa.deleted_at IS NULL "                          \
	"JOIN person pb ON pb.id = c.person_b AND pb.deleted_at IS NULL "
static const struct db_sql SQL_QUEUE =
	DB_SQL(CAND_COLS "WHERE c.state IN ('open', 'skipped') AND (c.institution_a = ? OR c.institution_b = ?) "
			 "ORDER BY CASE c.state WHEN 'open' THEN 0 ELSE 1 END, c.score DESC, c.id LIMIT ? OFFSET ?");
static const struct db_sql SQL_QUEUE_COUNT =
	DB_SQL("SELECT COUNT(*) FROM link_candidate c "
	       "JOIN person pa ON pa.id = c.person_a AND pa.deleted_at IS NULL "
	       "JOIN person pb ON pb.id = c.person_b AND pb.deleted_at IS NULL "
	       "WHERE (c.state = 'open' OR (? = 0 AND c.state = 'skipped')) "
	       "AND (c.institution_a = ? OR c.institution_b = ?)");
static const struct db_sql SQL_CAND_GET =
	DB_SQL("SELECT c.id, c.person_a, c.person_b, c.institution_a, c.institution_b, c.score, c.weight, "
	       "c.levels, c.state, c.created_at FROM link_candidate c WHERE c.id = ?");
static const struct db_sql SQL_CAND_SET = DB_SQL("UPDATE link_candidate SET state = ? WHERE id = ?");
static const struct db_sql SQL_DECISION_INSERT =
	DB_SQL("INSERT INTO link_decision (person_a, person_b, decision, candidate_id, score, decided_at, "
	       "decided_by) VALUES (?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?, ?, NULLIF(CAST(? AS BIGINT), 0))");
#define LINK_COLS                                                                                  \
	"SELECT l.id, l.person_a, l.person_b, l.score, l.state, l.method, l.created_at, l.decided_at, " \
	"pa.institution_id, pb.institution_id FROM person_link l "                                    \
	"JOIN person pa ON pa.id = l.person_a JOIN person pb ON pb.id = l.person_b "
static const struct db_sql SQL_PERSON_LINKS =
	DB_SQL(LINK_COLS "WHERE (l.person_a = ? OR l.person_b = ?) AND l.state IN ('auto', 'confirmed') "
			 "AND pa.deleted_at IS NULL AND pb.deleted_at IS NULL ORDER BY l.score DESC, l.id LIMIT 100");
static const struct db_sql SQL_LINK_GET = DB_SQL(LINK_COLS "WHERE l.id = ?");
/* the clusters */
static const struct db_sql SQL_NEIGHBOURS =
	DB_SQL("SELECT person_a, person_b, score, state FROM person_link WHERE person_a = ? OR person_b = ?");
static const struct db_sql SQL_CLUSTER_DELETE = DB_SQL("DELETE FROM person_cluster WHERE person_id = ?");
static const struct db_sql SQL_CLUSTER_INSERT =
	DB_SQL("INSERT INTO person_cluster (person_id, cluster_id) VALUES (?, ?)");
static const struct db_sql SQL_CLUSTER_MATES =
	DB_SQL("SELECT o.person_id FROM person_cluster c JOIN person_cluster o ON o.cluster_id = c.cluster_id "
	       "WHERE c.person_id = ? LIMIT 10000");
static const struct db_sql SQL_LINKS_ALL =
	DB_SQL("SELECT person_a, person_b, score, state FROM person_link ORDER BY person_a, person_b");
static const struct db_sql SQL_LIVE_IDS = DB_SQL("SELECT id FROM person ORDER BY id");
static const struct db_sql SQL_SAME_CLUSTER =
	DB_SQL("SELECT o.person_id FROM person_cluster c JOIN person_cluster o ON o.cluster_id = c.cluster_id "
	       "JOIN person p ON p.id = o.person_id AND p.deleted_at IS NULL "
	       "WHERE c.person_id = ? AND o.person_id <> c.person_id ORDER BY o.person_id LIMIT ?");
static const struct db_sql SQL_SAME_PESEL =
	DB_SQL("SELECT o.id FROM person p JOIN person o ON o.pesel = p.pesel "
	       "WHERE p.id = ? AND p.pesel IS NOT NULL AND o.id <> p.id AND o.deleted_at IS NULL "
	       "AND NOT EXISTS (SELECT 1 FROM person_link l WHERE l.state IN ('separated', 'unlinked') "
	       "AND l.person_a = CASE WHEN p.id < o.id THEN p.id ELSE o.id END "
	       "AND l.person_b = CASE WHEN p.id < o.id THEN o.id ELSE p.id END) "
	       "ORDER BY o.id LIMIT ?");
/* the batch */
static const struct db_sql SQL_DECIDED_PAIRS =
	DB_SQL("SELECT person_a, person_b FROM person_link WHERE state <> 'auto' "
	       "UNION SELECT person_a, person_b FROM link_candidate WHERE state <> 'open'");
static const struct db_sql SQL_AUTO_DELETE_ALL = DB_SQL("DELETE FROM person_link WHERE state = 'auto'");
static const struct db_sql SQL_OPEN_DELETE_ALL = DB_SQL("DELETE FROM link_candidate WHERE state = 'open'");
static const struct db_sql SQL_AUTO_DELETE_INST =
	DB_SQL("DELETE FROM person_link WHERE state = 'auto' AND (person_a IN (SELECT id FROM person WHERE "
	       "institution_id = ?) OR person_b IN (SELECT id FROM person WHERE institution_id = ?))");
static const struct db_sql SQL_OPEN_DELETE_INST =
	DB_SQL("DELETE FROM link_candidate WHERE state = 'open' AND (institution_a = ? OR institution_b = ?)");
static const struct db_sql SQL_KEYS_DELETE_ALL = DB_SQL("DELETE FROM link_key");
static const struct db_sql SQL_CLUSTERS_DELETE_ALL = DB_SQL("DELETE FROM person_cluster");
static const struct db_sql SQL_MARKS =
	DB_SQL("SELECT i.id, m.updated_at, m.person_id FROM institution i "
	       "LEFT JOIN link_mark m ON m.institution_id = i.id WHERE (? = 0 OR i.id = ?) ORDER BY i.id");
/* person_updated (institution_id, updated_at, id): the records past the mark */
static const struct db_sql SQL_CHANGED =
	DB_SQL("SELECT id FROM person WHERE institution_id = ? AND (updated_at > ? OR "
	       "(updated_at = ? AND id > ?)) ORDER BY updated_at, id LIMIT ?");
static const struct db_sql SQL_NEWEST =
	DB_SQL("SELECT updated_at, id FROM person WHERE institution_id = ? "
	       "ORDER BY updated_at DESC, id DESC LIMIT 1");
static const struct db_sql SQL_MARK_DELETE = DB_SQL("DELETE FROM link_mark WHERE institution_id = ?");
static const struct db_sql SQL_MARK_INSERT =
	DB_SQL("INSERT INTO link_mark (institution_id, updated_at, person_id, run_id) VALUES (?, ?, ?, ?)");
static const struct db_sql SQL_INSTITUTIONS = DB_SQL("SELECT id FROM institution WHERE (? = 0 OR id = ?)");
/* merges */
static const struct db_sql SQL_MERGE_PERSON =
	DB_SQL("SELECT institution_id, deleted_at FROM person WHERE id = ?");
static const struct db_sql SQL_CURRENT_FAMILY =
	DB_SQL("SELECT family_id FROM family_member WHERE person_id = ? AND member_to IS NULL");
static const struct db_sql SQL_MERGE_INSERT =
	DB_SQL("INSERT INTO person_merge (institution_id, kept_id, merged_id, merged_at, merged_by) "
	       "VALUES (?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0)) RETURNING id");
static const struct db_sql SQL_MERGE_REF =
	DB_SQL("INSERT INTO person_merge_ref (merge_id, tbl, row_id) VALUES (?, ?, ?)");
static const struct db_sql SQL_MERGE_GET =
	DB_SQL("SELECT institution_id, kept_id, merged_id, undone_at FROM person_merge WHERE id = ?");
static const struct db_sql SQL_MERGE_REFS =
	DB_SQL("SELECT tbl, row_id FROM person_merge_ref WHERE merge_id = ? ORDER BY tbl, row_id");
static const struct db_sql SQL_MERGE_UNDO =
	DB_SQL("UPDATE person_merge SET undone_at = ?, undone_by = NULLIF(CAST(? AS BIGINT), 0) WHERE id = ? AND undone_at IS NULL");
static const struct db_sql SQL_MERGES =
	DB_SQL("SELECT id, kept_id, merged_id, merged_at, undone_at FROM person_merge "
	       "WHERE kept_id = ? OR merged_id = ? ORDER BY id DESC LIMIT 50");
static const struct db_sql SQL_PERSON_BURY =
	DB_SQL("UPDATE person SET deleted_at = ?, deleted_by = NULLIF(CAST(? AS BIGINT), 0), updated_at = ? WHERE id = ? "
	       "AND deleted_at IS NULL");
static const struct db_sql SQL_PERSON_REVIVE =
	DB_SQL("UPDATE person SET deleted_at = NULL, deleted_by = NULL, updated_at = ? WHERE id = ?");
static const struct db_sql SQL_PESEL_TAKEN =
	DB_SQL("SELECT COUNT(*) FROM person o JOIN person p ON p.id = ? WHERE o.pesel = p.pesel "
	       "AND o.institution_id = p.institution_id AND o.deleted_at IS NULL AND o.id <> p.id");

/*
 * Every reference to a person a merge moves: table and column. The
 * record's own history stays with it (the merged record's page is gone,
 * but data-subject reports and the audit still find it by its id).
 */
struct person_ref {
	const char *table;
	struct db_sql select, move;
};
#define REF(t, c)                                                                                 \
	{ t, DB_SQL("SELECT id FROM " t " WHERE " c " = ? ORDER BY id"),                          \
	  DB_SQL("UPDATE " t " SET " c " = ? WHERE id = ?") }
static const struct person_ref person_refs[] = {
	REF("family_member", "person_id"), REF("family", "applicant_id"),
	REF("labour_status", "person_id"), REF("benefit", "person_id"),
	REF("interview", "person_id"),     REF("consent", "person_id"),
	REF("referral", "person_id"),      REF("episode", "person_id"),
};
#define NREFS (sizeof(person_refs) / sizeof(person_refs[0]))

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void now_iso(char out[CLOCK_ISO_LEN])
{
	clock_iso(clock_now(), out);
}

void link_levels_text(link_levels lv, char out[17])
{
	snprintf(out, 17, "%016llx", (unsigned long long)lv);
}

link_levels link_levels_parse(const char *s)
{
	return s != NULL ? (link_levels)strtoull(s, NULL, 16) : 0;
}

static int pesel_valid(const char *s)
{
	return s != NULL && strlen(s) == 11 && pesel_check(s, 0, NULL, NULL) == 0;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void say(char *err, size_t errlen, const char *what, struct db *db)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s: %s", what, db != NULL ? db_errmsg(db) : "out of memory");
}

/* ------------------------------------------------------------------ */
/* The model                                                           */
/* ------------------------------------------------------------------ */

int link_store_model_load(struct db *db, struct link_store_model *out)
{
	struct db_stmt *st = db_query(db, &SQL_MODEL_LAST, NULL);
	int rc;

	memset(out, 0, sizeof(*out));
	link_model_default(&out->m);
	out->upper = LINK_STORE_UPPER_DEFAULT;
	out->lower = LINK_STORE_LOWER_DEFAULT;
	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == DB_ROW && link_model_load(db_col_text(st, 3), &out->m) == 0) {
		out->id = db_col_int(st, 0);
		out->upper = db_col_double(st, 1);
		out->lower = db_col_double(st, 2);
	}
	db_reset(st);
	return rc < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Records                                                             */
/* ------------------------------------------------------------------ */

static int birth_of(const char *iso)
{
	int d = 0;

	return iso != NULL && link_date_parse(iso, "YYYY-MM-DD", &d) == 0 ? d : 0;
}

static const char *number_of(struct arena *a, const char *house, const char *flat)
{
	if (house == NULL || flat == NULL)
		return house;
	return arena_printf(a, "%s/%s", house, flat);
}

void link_record_of(const struct person *p, struct arena *a, struct link_record *r)
{
	memset(r, 0, sizeof(*r));
	r->id = arena_printf(a, "%lld", (long long)p->id);
	r->given = p->first_names;
	r->surname = p->surname;
	r->birth_surname = p->birth_surname;
	r->sex = link_sex_parse(p->sex);
	r->birth = birth_of(p->birth_date);
	r->pesel = p->pesel;
	r->street = p->street;
	r->street_number = number_of(a, p->house_no, p->flat_no);
	r->postcode = p->postcode;
	r->city = p->town;
	r->terc = p->terc;
	r->group = (int)p->institution_id;
	r->key = p->id;
}

/* one row of PERSON_LINK_COLS into a record (strings in a) */
static void record_row(struct db_stmt *st, struct arena *a, struct link_record *r)
{
	struct person p;

	memset(&p, 0, sizeof(p));
	p.id = db_col_int(st, 0);
	p.institution_id = db_col_int(st, 1);
	p.pesel = registry_col(a, st, 2);
	p.first_names = registry_col(a, st, 3);
	p.surname = registry_col(a, st, 4);
	p.birth_surname = registry_col(a, st, 5);
	p.sex = registry_col(a, st, 6);
	p.birth_date = registry_col(a, st, 7);
	p.street = registry_col(a, st, 8);
	p.house_no = registry_col(a, st, 9);
	p.flat_no = registry_col(a, st, 10);
	p.postcode = registry_col(a, st, 11);
	p.town = registry_col(a, st, 12);
	p.terc = registry_col(a, st, 13);
	link_record_of(&p, a, r);
}

/* ------------------------------------------------------------------ */
/* Links and candidates, one pair                                      */
/* ------------------------------------------------------------------ */

/* What is known of a pair already: nothing, an automatic link, or a person's say. */
enum pair_known { PAIR_NEW, PAIR_AUTO, PAIR_DECIDED };

static int pair_known(struct db *db, int64_t a, int64_t b)
{
	struct db_stmt *st = db_query(db, &SQL_LINK_STATE, "ii", a, b);
	int rc, known = PAIR_NEW;

	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		known = strcmp(db_col_text(st, 1), "auto") == 0 ? PAIR_AUTO : PAIR_DECIDED;
	db_reset(st);
	if (rc < 0)
		return -1;
	if (known != PAIR_NEW)
		return known;
	if ((st = db_query(db, &SQL_CAND_STATE, "ii", a, b)) == NULL)
		return -1;
	if ((rc = db_step(st)) == DB_ROW && strcmp(db_col_text(st, 1), "open") != 0)
		known = PAIR_DECIDED; /* skipped or decided: the reviewer has seen it */
	db_reset(st);
	return rc < 0 ? -1 : known;
}

/* A pair as the linker found it (ids ordered a < b). */
struct found {
	int64_t a, b, inst_a, inst_b;
	double p, w;
	link_levels lv;
	int pesel; /* equal valid PESEL: exact */
};

static void found_order(struct found *f)
{
	if (f->a > f->b) {
		int64_t t = f->a, ti = f->inst_a;

		f->a = f->b, f->inst_a = f->inst_b;
		f->b = t, f->inst_b = ti;
	}
}

/* ids_differ(): both records carry a personal number, and the numbers are not near each other */
static int ids_differ(const struct found *f)
{
	return link_level(f->lv, LINK_F_ID) == link_level_count(LINK_F_ID) - 1;
}

/*
 * linked_automatically() is the rule for joining without a person: an
 * equal valid PESEL, or a score at or above the upper threshold unless the
 * two identifiers disagree outright (not a one-digit or transposition
 * slip). Two different valid PESELs under one name and address are most
 * often a parent and a child of the same name: however high the score,
 * such a pair goes to the review queue, never straight to a link. Two
 * records of one institution are never joined: they are a duplicate.
 */
static int linked_automatically(const struct found *f, double upper)
{
	if (f->inst_a == f->inst_b) /* a duplicate within one institution: a person merges it, or not */
		return 0;
	return f->pesel || (f->p >= upper && !ids_differ(f));
}

/* kind_of(): what model m makes of found f: a link (1), a candidate (2), nothing (0) */
static int kind_of(const struct found *f, const struct link_store_model *m)
{
	if (linked_automatically(f, m->upper))
		return 1;
	/*
	 * Within one institution two different PESELs are two people (a parent
	 * and a child of one name at one address, say): only a record without
	 * one, or with a near one (a typo), is a possible duplicate.
	 */
	if (f->inst_a == f->inst_b && ids_differ(f))
		return 0;
	return f->p >= m->lower ? 2 : 0;
}

/* write_found(): a link (1), a candidate (2), nothing (0), or -1 */
static int write_found(struct db *db, const struct found *f, const struct link_store_model *m, int64_t run)
{
	char lv[17], now[CLOCK_ISO_LEN];
	int known = pair_known(db, f->a, f->b), kind = kind_of(f, m), rc;
	int64_t id = 0;

	if (known != PAIR_NEW || kind == 0)
		return known < 0 ? -1 : 0;
	link_levels_text(f->lv, lv);
	now_iso(now);
	if (kind == 1)
		return db_run(db, &SQL_LINK_INSERT, "iiddtttitnn", f->a, f->b,
			      f->pesel ? 1.0 : f->p, f->w, f->pesel ? NULL : lv, f->pesel ? "pesel" : "score",
			      "auto", run, now) < 0 ? -1 : 1;
	if ((rc = db_get_int(db, &id, &SQL_CAND_STATE, "ii", f->a, f->b)) < 0)
		return -1;
	if (rc == DB_ROW) /* an open candidate of an earlier run: scored anew */
		return db_run(db, &SQL_CAND_RESCORE, "ddti", f->p, f->w, lv, id) < 0 ? -1 : 2;
	return db_run(db, &SQL_CAND_INSERT, "iiiiddtit", f->a, f->b, f->inst_a,
		      f->inst_b, f->p, f->w, lv, run, now) < 0 ? -1 : 2;
}

/* ------------------------------------------------------------------ */
/* Clusters                                                            */
/* ------------------------------------------------------------------ */

/*
 * A growable list of ids; idset_add() finds a known one by a linear scan
 * (the sets are one record's few hundred candidates, or one component).
 */
struct idset {
	int64_t *ids;
	size_t n, cap;
};

static long idset_find(const struct idset *s, int64_t id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->ids[i] == id)
			return (long)i;
	return -1;
}

static long idset_add(struct idset *s, int64_t id)
{
	long at = idset_find(s, id);

	if (at >= 0)
		return at;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		int64_t *ids = realloc(s->ids, cap * sizeof(*ids));

		if (ids == NULL)
			return -1;
		s->ids = ids, s->cap = cap;
	}
	s->ids[s->n] = id;
	return (long)s->n++;
}

/* idset_add_tail() appends id (known not to be in s yet): 0 or -1 */
static int idset_add_tail(struct idset *s, int64_t id)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		int64_t *ids = realloc(s->ids, cap * sizeof(*ids));

		if (ids == NULL)
			return -1;
		s->ids = ids, s->cap = cap;
	}
	s->ids[s->n++] = id;
	return 0;
}

/* cluster_mates(): id and the records of its cluster now, into s (seeds for recluster()) */
static int cluster_mates(struct db *db, int64_t id, struct idset *s)
{
	struct db_stmt *st = db_query(db, &SQL_CLUSTER_MATES, "i", id);
	int r;

	if (st == NULL || idset_add(s, id) < 0) {
		if (st != NULL)
			db_reset(st);
		return -1;
	}
	while ((r = db_step(st)) == DB_ROW)
		if (idset_add(s, db_col_int(st, 0)) < 0) {
			r = -1;
			break;
		}
	db_reset(st);
	return r < 0 ? -1 : 0;
}

/* An edge list: links (joined) and cannot-links, over record indexes. */
struct edges {
	struct link_pair *pairs;
	size_t npairs, cap;
	uint32_t *cannot;
	size_t ncannot, ccap;
};

static int edge_link(struct edges *e, uint32_t a, uint32_t b, double p)
{
	if (e->npairs == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 64;
		struct link_pair *x = realloc(e->pairs, cap * sizeof(*x));

		if (x == NULL)
			return -1;
		e->pairs = x, e->cap = cap;
	}
	e->pairs[e->npairs++] = (struct link_pair){ a < b ? a : b, a < b ? b : a, p, 0, 0 };
	return 0;
}

static int edge_cannot(struct edges *e, uint32_t a, uint32_t b)
{
	if (e->ncannot + 2 > e->ccap) {
		size_t cap = e->ccap ? e->ccap * 2 : 64;
		uint32_t *x = realloc(e->cannot, cap * sizeof(*x));

		if (x == NULL)
			return -1;
		e->cannot = x, e->ccap = cap;
	}
	e->cannot[e->ncannot++] = a;
	e->cannot[e->ncannot++] = b;
	return 0;
}

static void edges_free(struct edges *e)
{
	free(e->pairs);
	free(e->cannot);
}

/* one link row into the edges: a person's decision weighs most (confirmed = 1) */
static int edge_row(struct edges *e, uint32_t a, uint32_t b, double score, const char *state)
{
	if (strcmp(state, "auto") == 0)
		return edge_link(e, a, b, score);
	if (strcmp(state, "confirmed") == 0)
		return edge_link(e, a, b, 1.0);
	return edge_cannot(e, a, b);
}

/*
 * recluster() rebuilds the clusters of the component of the given seeds:
 * every record reachable through links (any state: a cannot-link joins
 * the component too, so the constraint is seen), clustered by link.h.
 */
static int recluster(struct db *db, const int64_t *seeds, int nseeds)
{
	struct idset s = { 0 };
	struct edges e = { 0 };
	uint32_t *cluster = NULL, *size = NULL;
	int64_t *min = NULL;
	size_t done = 0, i;
	int rc = -1, k;

	for (k = 0; k < nseeds; k++)
		if (idset_add(&s, seeds[k]) < 0)
			goto out;
	while (done < s.n && s.n < 10000) {
		int64_t id = s.ids[done++];
		struct db_stmt *st = db_query(db, &SQL_NEIGHBOURS, "ii", id, id);
		int r;

		if (st == NULL)
			goto out;
		while ((r = db_step(st)) == DB_ROW) {
			long a = idset_add(&s, db_col_int(st, 0)), b = idset_add(&s, db_col_int(st, 1));

			/* each edge is seen from both ends: take it from its first end only */
			if (a < 0 || b < 0 || (db_col_int(st, 0) == id &&
					       edge_row(&e, (uint32_t)a, (uint32_t)b, db_col_double(st, 2),
							db_col_text(st, 3)) != 0)) {
				db_reset(st);
				goto out;
			}
		}
		db_reset(st);
		if (r < 0)
			goto out;
	}
	/* edges whose first end is past the walk's limit are left out: a giant component stays as it was */
	if ((cluster = malloc(s.n * sizeof(*cluster))) == NULL ||
	    link_cluster(s.n, e.pairs, e.npairs, 0.0, e.cannot, e.ncannot, cluster) != 0)
		goto out;
	/* one pass for each cluster's size and smallest id: the component may hold thousands of records */
	if ((size = calloc(s.n, sizeof(*size))) == NULL || (min = malloc(s.n * sizeof(*min))) == NULL)
		goto out;
	for (i = 0; i < s.n; i++)
		min[i] = INT64_MAX;
	for (i = 0; i < s.n; i++) {
		size[cluster[i]]++;
		if (s.ids[i] < min[cluster[i]])
			min[cluster[i]] = s.ids[i];
	}
	for (i = 0; i < s.n; i++) {
		if (db_run(db, &SQL_CLUSTER_DELETE, "i", s.ids[i]) < 0)
			goto out;
		if (size[cluster[i]] > 1 && db_run(db, &SQL_CLUSTER_INSERT, "ii", s.ids[i], min[cluster[i]]) < 0)
			goto out;
	}
	rc = 0;
out:
	free(s.ids);
	free(cluster);
	free(size);
	free(min);
	edges_free(&e);
	return rc;
}

/* ids are sorted: the index of id, or -1 */
static long index_of(const int64_t *ids, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ids[mid] == id)
			return (long)mid;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* cluster rows of the whole register, from the links, written in bulk */
static int clusters_write(struct db *db, const int64_t *ids, size_t n, struct edges *e)
{
	static const char *const cols[] = { "person_id", "cluster_id" };
	uint32_t *cluster = malloc((n ? n : 1) * sizeof(*cluster));
	uint32_t *size = calloc(n ? n : 1, sizeof(*size));
	struct db_bulk *bulk = NULL;
	char err[200], a[24], b[24];
	int rc = -1;
	size_t i;

	if (cluster == NULL || size == NULL ||
	    link_cluster(n, e->pairs, e->npairs, 0.0, e->cannot, e->ncannot, cluster) != 0)
		goto out;
	for (i = 0; i < n; i++)
		size[cluster[i]]++;
	if (db_run(db, &SQL_CLUSTERS_DELETE_ALL, NULL) < 0 ||
	    (bulk = db_bulk_begin(db, "person_cluster", cols, 2, err, sizeof(err))) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		const char *row[2] = { a, b };

		if (size[cluster[i]] < 2)
			continue;
		snprintf(a, sizeof(a), "%lld", (long long)ids[i]);
		snprintf(b, sizeof(b), "%lld", (long long)ids[cluster[i]]); /* smallest index = smallest id */
		if (db_bulk_row(bulk, row) != DB_OK) {
			db_bulk_abort(bulk);
			goto out;
		}
	}
	rc = db_bulk_end(bulk) == DB_OK ? 0 : -1;
out:
	free(cluster);
	free(size);
	return rc;
}

/* every live and deleted person's id, and the edges of every link, by index */
static int clusters_all(struct db *db, int64_t **ids_out, size_t *n_out, struct edges *e)
{
	struct db_stmt *st = db_query(db, &SQL_LIVE_IDS, NULL);
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int r;

	if (st == NULL)
		return -1;
	while ((r = db_step(st)) == DB_ROW) {
		if (n == cap) {
			int64_t *x = realloc(ids, (cap = cap ? cap * 2 : 1024) * sizeof(*x));

			if (x == NULL) {
				db_reset(st);
				free(ids);
				return -1;
			}
			ids = x;
		}
		ids[n++] = db_col_int(st, 0);
	}
	db_reset(st);
	if (r < 0 || (st = db_query(db, &SQL_LINKS_ALL, NULL)) == NULL) {
		free(ids);
		return -1;
	}
	while ((r = db_step(st)) == DB_ROW) {
		long a = index_of(ids, n, db_col_int(st, 0)), b = index_of(ids, n, db_col_int(st, 1));

		if (a >= 0 && b >= 0 &&
		    edge_row(e, (uint32_t)a, (uint32_t)b, db_col_double(st, 2), db_col_text(st, 3)) != 0) {
			r = -1;
			break;
		}
	}
	db_reset(st);
	*ids_out = ids, *n_out = n;
	return r < 0 ? -1 : 0;
}

int link_clusters_rebuild(struct db *db)
{
	struct edges e = { 0 };
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = clusters_all(db, &ids, &n, &e);

	if (rc == 0)
		rc = clusters_write(db, ids, n, &e);
	free(ids);
	edges_free(&e);
	return rc;
}

int link_same_human(struct db *db, int64_t person_id, int64_t *out, int max)
{
	const struct db_sql *q[2] = { &SQL_SAME_CLUSTER, &SQL_SAME_PESEL };
	int n = 0, k;

	for (k = 0; k < 2; k++) {
		struct db_stmt *st = db_query(db, q[k], "ii", person_id, (int64_t)max);
		int rc;

		if (st == NULL)
			return -1;
		while ((rc = db_step(st)) == DB_ROW && n < max) {
			int64_t id = db_col_int(st, 0);
			int i, seen = 0;

			for (i = 0; i < n && !seen; i++)
				seen = out[i] == id;
			if (!seen)
				out[n++] = id;
		}
		db_reset(st);
		if (rc < 0)
			return -1;
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* One record                                                          */
/* ------------------------------------------------------------------ */

struct one {
	struct db *db;
	struct link_set *set;
	const struct link_record *r;
	const struct link_store_model *m;
	int64_t *inst;     /* institution per set index */
	int linked, queued, failed;
};

static int one_found(const struct link_pair *p, void *arg)
{
	struct one *o = arg;
	struct found f = { o->r->key, link_set_key(o->set, p->a), o->r->group, o->inst[p->a], p->probability,
			   p->weight, p->levels, 0 };
	int rc;

	found_order(&f);
	if ((rc = write_found(o->db, &f, o->m, 0)) < 0) {
		o->failed = 1;
		return 1;
	}
	o->linked += rc == 1;
	o->queued += rc == 2;
	return 0;
}

/* key_cmp() orders keys as the table stores them: signed 64-bit values. */
static int key_cmp(const void *a, const void *b)
{
	int64_t x = (int64_t)*(const uint64_t *)a, y = (int64_t)*(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * keys_distinct() writes to out a record's keys as link_key stores them
 * (0026_link_key.sql): the non-zero ones, each once (two rules may give
 * one key), in the primary key's order. Returns how many.
 */
static int keys_distinct(const uint64_t *keys, uint64_t out[LINK_KEYS_MAX])
{
	int n = 0, j, k;

	for (k = 0; k < LINK_KEYS_MAX; k++) {
		for (j = 0; j < n && out[j] != keys[k]; j++)
			;
		if (keys[k] != 0 && j == n)
			out[n++] = keys[k];
	}
	qsort(out, (size_t)n, sizeof(out[0]), key_cmp);
	return n;
}

/* keys_store(): the record's blocking keys into link_key (old ones replaced) */
static int keys_store(struct db *db, const struct link_record *r, uint64_t keys[LINK_KEYS_MAX])
{
	uint64_t distinct[LINK_KEYS_MAX];
	int n, k;

	if (db_run(db, &SQL_KEYS_DELETE, "i", r->key) < 0)
		return -1;
	link_record_keys(r, keys);
	n = keys_distinct(keys, distinct);
	for (k = 0; k < n; k++)
		if (db_run(db, &SQL_KEY_INSERT, "ii", (int64_t)distinct[k], r->key) < 0)
			return -1;
	return 0;
}

/* the records sharing a key with r, into o (set and institutions) */
static int one_candidates(struct db *db, struct arena *a, const struct link_record *r,
			  const uint64_t keys[LINK_KEYS_MAX], struct one *o, struct idset *seen)
{
	int k, cap = 0;

	for (k = 0; k < LINK_KEYS_MAX; k++) {
		struct db_stmt *st;
		int rc;

		if (keys[k] == 0)
			continue;
		if ((st = db_query(db, &SQL_BY_KEY, "ii", (int64_t)keys[k], r->key)) == NULL)
			return -1;
		while ((rc = db_step(st)) == DB_ROW) {
			struct link_record c;
			size_t had = seen->n;
			long at = idset_add(seen, db_col_int(st, 0));

			if (at < 0 || (size_t)at < had)
				continue; /* known (or no memory: left out) */
			if ((int)seen->n > cap) {
				int64_t *x = arena_alloc(a, (size_t)(cap = cap ? cap * 2 : 64) * sizeof(*x));

				if (x == NULL)
					break;
				if (o->inst != NULL)
					memcpy(x, o->inst, (seen->n - 1) * sizeof(*x));
				o->inst = x;
			}
			record_row(st, a, &c);
			o->inst[seen->n - 1] = db_col_int(st, 1);
			if (link_set_add(o->set, &c) < 0)
				break;
		}
		db_reset(st);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* forget(): the record's keys, automatic links and open candidates go (decisions stay) */
static int forget(struct db *db, int64_t id)
{
	return db_run(db, &SQL_KEYS_DELETE, "i", id) < 0 || db_run(db, &SQL_AUTO_DELETE_OF, "ii", id, id) < 0 ||
			       db_run(db, &SQL_OPEN_DELETE_OF, "ii", id, id) < 0
		       ? -1
		       : 0;
}

/* equal valid PESEL at another institution: exact links */
static int pesel_links(struct db *db, const struct link_record *r, const struct link_store_model *m,
		       int *linked)
{
	struct db_stmt *st;
	int64_t other[100], other_inst[100];
	int n = 0, i, rc;

	if (!pesel_valid(r->pesel))
		return 0;
	if ((st = db_query(db, &SQL_SAME_PESEL_OTHER, "ti", r->pesel, (int64_t)r->group)) == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && n < 100) {
		other[n] = db_col_int(st, 0);
		other_inst[n++] = db_col_int(st, 1);
	}
	db_reset(st);
	for (i = 0; rc >= 0 && i < n; i++) {
		struct found f = { r->key, other[i], r->group, other_inst[i], 1.0, 0, 0, 1 };
		int w;

		found_order(&f);
		if ((w = write_found(db, &f, m, 0)) < 0)
			return -1;
		*linked += w == 1;
	}
	return rc < 0 ? -1 : 0;
}

static int link_one_with(struct db *db, const struct link_store_model *m, int64_t person_id, int *linked,
			 int *queued)
{
	struct arena *a = arena_new(8u << 20);
	struct idset seen = { 0 }, mates = { 0 };
	struct one o = { db, NULL, NULL, m, NULL, 0, 0, 0 };
	uint64_t keys[LINK_KEYS_MAX];
	struct link_record r;
	struct db_stmt *st;
	int rc = -1, row;

	if (linked != NULL)
		*linked = 0;
	if (queued != NULL)
		*queued = 0;
	/* the cluster it is in now may fall apart when its links go: all of it is rebuilt */
	if (a == NULL || cluster_mates(db, person_id, &mates) != 0 || forget(db, person_id) != 0)
		goto out;
	if ((st = db_query(db, &SQL_PERSON_ONE, "i", person_id)) == NULL)
		goto out;
	row = db_step(st);
	if (row == DB_ROW)
		record_row(st, a, &r);
	db_reset(st);
	if (row != DB_ROW) { /* deleted or anonymised: nothing to link, its clusters rebuilt */
		rc = row < 0 ? -1 : recluster(db, mates.ids, (int)mates.n);
		goto out;
	}
	o.r = &r;
	if (keys_store(db, &r, keys) != 0 || (o.set = link_set_new()) == NULL ||
	    one_candidates(db, a, &r, keys, &o, &seen) != 0 || pesel_links(db, &r, m, &o.linked) != 0)
		goto out;
	/* its own institution's records too: a pair of those is queued as a duplicate, never joined */
	if (link_set_count(o.set) > 0 && link_match_one(o.set, &m->m, &r, 0, m->lower, one_found, &o) != 0 &&
	    o.failed)
		goto out;
	if (o.failed || recluster(db, mates.ids, (int)mates.n) != 0)
		goto out;
	if (linked != NULL)
		*linked = o.linked;
	if (queued != NULL)
		*queued = o.queued;
	rc = 0;
out:
	link_set_free(o.set);
	free(seen.ids);
	free(mates.ids);
	arena_free(a);
	return rc;
}

int link_store_one(struct db *db, int64_t person_id, int *linked, int *queued)
{
	struct link_store_model m;

	if (link_store_model_load(db, &m) != 0)
		return -1;
	return link_one_with(db, &m, person_id, linked, queued);
}

/* ------------------------------------------------------------------ */
/* The batch                                                           */
/* ------------------------------------------------------------------ */

/* The whole register in memory: the set, ids (sorted), institutions, PESELs. */
struct reg {
	struct link_set *set;
	int64_t *ids, *inst;
	char (*pesel)[12];
	uint64_t *keys; /* LINK_KEYS_MAX per record */
	size_t n, cap;
};

static void reg_free(struct reg *g)
{
	link_set_free(g->set);
	free(g->ids);
	free(g->inst);
	free(g->pesel);
	free(g->keys);
}

static int reg_grow(struct reg *g)
{
	size_t cap = g->cap ? g->cap * 2 : 4096;
	int64_t *ids = realloc(g->ids, cap * sizeof(*ids)), *inst;
	char(*pesel)[12];
	uint64_t *keys;

	if (ids == NULL)
		return -1;
	g->ids = ids;
	if ((inst = realloc(g->inst, cap * sizeof(*inst))) == NULL)
		return -1;
	g->inst = inst;
	if ((pesel = realloc(g->pesel, cap * sizeof(*pesel))) == NULL)
		return -1;
	g->pesel = pesel;
	if ((keys = realloc(g->keys, cap * LINK_KEYS_MAX * sizeof(*keys))) == NULL)
		return -1;
	g->keys = keys;
	g->cap = cap;
	return 0;
}

static int reg_load(struct db *db, struct reg *g)
{
	struct arena *a = arena_new(1u << 20);
	struct db_stmt *st;
	int rc = 0, r;

	if (a == NULL || (g->set = link_set_new()) == NULL || (st = db_stream(db, &SQL_PERSON_ALL, NULL)) == NULL) {
		arena_free(a);
		return -1;
	}
	while ((r = db_step(st)) == DB_ROW) {
		struct link_record rec;

		if ((g->n == g->cap && reg_grow(g) != 0)) {
			rc = -1;
			break;
		}
		record_row(st, a, &rec);
		g->ids[g->n] = rec.key;
		g->inst[g->n] = db_col_int(st, 1);
		snprintf(g->pesel[g->n], 12, "%s", rec.pesel != NULL && pesel_valid(rec.pesel) ? rec.pesel : "");
		link_record_keys(&rec, &g->keys[g->n * LINK_KEYS_MAX]);
		if (link_set_add(g->set, &rec) < 0) {
			rc = -1;
			break;
		}
		g->n++;
		if ((g->n & 1023) == 0) { /* the set copied the strings: renew the scratch */
			arena_free(a);
			if ((a = arena_new(1u << 20)) == NULL) {
				rc = -1;
				break;
			}
		}
	}
	db_reset(st);
	arena_free(a);
	return r < 0 ? -1 : rc;
}


/* A hash set of decided pairs (person ids a < b). */
struct pairset {
	uint64_t *slot; /* a * 2^32-ish mix; 0 = empty */
	int64_t (*pair)[2];
	size_t cap, n;
};

static uint64_t pair_hash(int64_t a, int64_t b)
{
	uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15ull ^ ((uint64_t)b + 0x632BE59BD9B4E019ull);

	h ^= h >> 31;
	return h ? h : 1;
}

static int pairset_has(const struct pairset *s, int64_t a, int64_t b)
{
	size_t i;

	if (s->cap == 0)
		return 0;
	for (i = pair_hash(a, b) & (s->cap - 1); s->slot[i] != 0; i = (i + 1) & (s->cap - 1))
		if (s->pair[i][0] == a && s->pair[i][1] == b)
			return 1;
	return 0;
}

static int pairset_put(struct pairset *s, int64_t a, int64_t b)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		struct pairset g = { NULL, NULL, s->cap ? s->cap * 2 : 1024, 0 };

		if ((g.slot = calloc(g.cap, sizeof(*g.slot))) == NULL ||
		    (g.pair = malloc(g.cap * sizeof(*g.pair))) == NULL) {
			free(g.slot);
			return -1;
		}
		for (i = 0; i < s->cap; i++)
			if (s->slot[i] != 0)
				pairset_put(&g, s->pair[i][0], s->pair[i][1]);
		free(s->slot);
		free(s->pair);
		*s = g;
	}
	for (i = pair_hash(a, b) & (s->cap - 1); s->slot[i] != 0; i = (i + 1) & (s->cap - 1))
		if (s->pair[i][0] == a && s->pair[i][1] == b)
			return 0;
	s->slot[i] = pair_hash(a, b);
	s->pair[i][0] = a, s->pair[i][1] = b;
	s->n++;
	return 0;
}

static void pairset_free(struct pairset *s)
{
	free(s->slot);
	free(s->pair);
}

static int decided_load(struct db *db, struct pairset *s)
{
	struct db_stmt *st = db_query(db, &SQL_DECIDED_PAIRS, NULL);
	int r;

	if (st == NULL)
		return -1;
	while ((r = db_step(st)) == DB_ROW)
		if (pairset_put(s, db_col_int(st, 0), db_col_int(st, 1)) != 0) {
			r = -1;
			break;
		}
	db_reset(st);
	return r < 0 ? -1 : 0;
}

/* The batch's writers: links and candidates in bulk. */
struct batch {
	struct db *db;
	struct reg *g;
	const struct link_store_model *m;
	struct pairset decided;
	int64_t only;        /* 0, or the institution whose records are (re)linked */
	int64_t run;
	struct db_bulk *links, *cands;
	char now[CLOCK_ISO_LEN], run_text[24];
	int64_t records, pairs, linked, queued, model_id;
	double upper, lower;
	int failed;
};

static int batch_row(struct batch *b, const struct found *f)
{
	char a[24], bb[24], ia[24], ib[24], p[32], w[32], lv[17];

	snprintf(a, sizeof(a), "%lld", (long long)f->a);
	snprintf(bb, sizeof(bb), "%lld", (long long)f->b);
	snprintf(p, sizeof(p), "%.6f", f->pesel ? 1.0 : f->p);
	snprintf(w, sizeof(w), "%.4f", f->w);
	link_levels_text(f->lv, lv);
	if (linked_automatically(f, b->m->upper)) {
		const char *row[] = { a, bb, p, w, f->pesel ? NULL : lv, f->pesel ? "pesel" : "score", "auto",
				      b->run_text, b->now };

		b->linked++;
		return db_bulk_row(b->links, row) == DB_OK ? 0 : -1;
	} else {
		const char *row[] = { a, bb, ia, ib, p, w, lv, "open", b->run_text, b->now };

		snprintf(ia, sizeof(ia), "%lld", (long long)f->inst_a);
		snprintf(ib, sizeof(ib), "%lld", (long long)f->inst_b);
		b->queued++;
		return db_bulk_row(b->cands, row) == DB_OK ? 0 : -1;
	}
}

static const struct db_sql SQL_KEYS_STALE =
	DB_SQL("SELECT p.id FROM person p LEFT JOIN link_mark m ON m.institution_id = p.institution_id "
	       "WHERE p.deleted_at IS NULL AND p.anonymised_at IS NULL AND (m.updated_at IS NULL OR "
	       "p.updated_at > m.updated_at OR (p.updated_at = m.updated_at AND p.id > m.person_id) OR "
	       "NOT EXISTS (SELECT 1 FROM link_key k WHERE k.person_id = p.id)) ORDER BY p.id");
static const struct db_sql SQL_KEYS_DEAD =
	DB_SQL("DELETE FROM link_key WHERE person_id IN (SELECT id FROM person WHERE deleted_at IS NOT NULL "
	       "OR anonymised_at IS NOT NULL)");

static const struct db_sql SQL_CACHE_SIZE = DB_SQL("PRAGMA cache_size");

/* cache_now() is SQLite's page-cache setting (pages, or -KiB); 0 on PostgreSQL or when unread. */
static int64_t cache_now(struct db *db)
{
	int64_t was = 0;

	if (db_backend(db) != DB_SQLITE || db_get_int(db, &was, &SQL_CACHE_SIZE, NULL) != DB_ROW)
		return 0;
	return was;
}

/* cache_restore() sets the page cache back to was, a cache_now() (0: nothing to do). */
static void cache_restore(struct db *db, int64_t was)
{
	char q[64];

	if (was == 0)
		return;
	snprintf(q, sizeof(q), "PRAGMA cache_size = %lld", (long long)was);
	db_exec(db, q);
}

/*
 * index_keys() creates the index of the keys (as in 0026_link_key.sql).
 * SQLite's sorter holds up to the page cache's size (the run's 512 MB)
 * in one list and merge-sorts it by chasing pointers: 10.9 s for the 8
 * million keys of a million persons. With a cache of 8 MB for the build
 * it sorts runs that fit the processor's caches, on a second thread
 * (PRAGMA threads), and merges them: 4.0 s. The keys' pages it pushes out
 * of the cache were written once and are not touched again.
 */
static int index_keys(struct db *db)
{
	int64_t was = cache_now(db);
	int rc;

	if (was != 0) {
		db_exec(db, "PRAGMA threads = 2");
		db_exec(db, "PRAGMA cache_size = -8192");
	}
	rc = db_exec(db, "CREATE INDEX link_key_key ON link_key (key, person_id)") != 0 ? -1 : 0;
	if (was != 0) {
		cache_restore(db, was);
		db_exec(db, "PRAGMA threads = 0");
	}
	return rc;
}

/*
 * keys_all(): every record's keys in bulk (the first run, a big import),
 * in the table's order (person, key) and the index of the keys built
 * afterwards (0026_link_key.sql).
 */
static int keys_all(struct db *db, const struct reg *g)
{
	static const char *const cols[] = { "key", "person_id" };
	char err[200], k[24], id[24];
	struct db_bulk *bulk;
	size_t i;
	int j;

	/* the keys are hashes: inserted into their index one by one they land all over the B-tree;
	   built afterwards, the index is one sort */
	if (db_exec(db, "DROP INDEX link_key_key") != 0 || db_run(db, &SQL_KEYS_DELETE_ALL, NULL) < 0 ||
	    (bulk = db_bulk_begin(db, "link_key", cols, 2, err, sizeof(err))) == NULL)
		return -1;
	for (i = 0; i < g->n; i++) {
		uint64_t sorted[LINK_KEYS_MAX];
		int nk = keys_distinct(&g->keys[i * LINK_KEYS_MAX], sorted);

		snprintf(id, sizeof(id), "%lld", (long long)g->ids[i]);
		for (j = 0; j < nk; j++) {
			const char *row[2] = { k, id };
			uint64_t key = sorted[j];

			snprintf(k, sizeof(k), "%lld", (long long)(int64_t)key);
			if (db_bulk_row(bulk, row) != DB_OK) {
				db_bulk_abort(bulk);
				return -1;
			}
		}
	}
	if (db_bulk_end(bulk) != DB_OK)
		return -1;
	return index_keys(db);
}

/*
 * keys_write(): the keys of the records changed since their institution's
 * mark or without keys are replaced, the dead records' dropped; when that
 * is more than an eighth of the register, all are written again in bulk.
 */
static int keys_write(struct db *db, const struct reg *g)
{
	struct idset stale = { 0 };
	struct db_stmt *st = db_query(db, &SQL_KEYS_STALE, NULL);
	uint64_t distinct[LINK_KEYS_MAX];
	size_t i;
	int r, j, nk;

	if (st == NULL)
		return -1;
	while ((r = db_step(st)) == DB_ROW)
		if (idset_add_tail(&stale, db_col_int(st, 0)) < 0) {
			r = -1;
			break;
		}
	db_reset(st);
	if (r < 0) {
		free(stale.ids);
		return -1;
	}
	if (stale.n * 8 > g->n) { /* one by one, a key costs several bulk-written ones */
		free(stale.ids);
		return keys_all(db, g);
	}
	for (i = 0, r = db_run(db, &SQL_KEYS_DEAD, NULL); r >= 0 && i < stale.n; i++) {
		long at = index_of(g->ids, g->n, stale.ids[i]);

		if (at < 0 || (r = db_run(db, &SQL_KEYS_DELETE, "i", stale.ids[i])) < 0)
			continue;
		nk = keys_distinct(&g->keys[(size_t)at * LINK_KEYS_MAX], distinct);
		for (j = 0; r >= 0 && j < nk; j++)
			r = db_run(db, &SQL_KEY_INSERT, "ii", (int64_t)distinct[j], stale.ids[i]);
	}
	free(stale.ids);
	return r < 0 ? -1 : 0;
}

/*
 * The candidate pairs of a full run, held as register indexes and levels
 * only (16 bytes a pair): ids, institutions and whether the PESELs agree
 * are the register's, probability and weight follow from the levels once
 * the model is fitted, and the pairs that model leaves below the lower
 * threshold are dropped then. Two bulk loads cannot be open at once on
 * PostgreSQL (one COPY per connection): the pairs are collected first,
 * then written table by table.
 */
struct collected {
	uint32_t (*ab)[2];      /* register indexes, a < b (so ids ordered too) */
	link_levels *lv;        /* 0 for an equal-PESEL pair no block gave (never compared) */
	size_t n, cap;
	size_t compared;        /* the first this many were compared: the thresholds' pairs */
	struct link_labels labels; /* the compared pairs whose PESELs say the answer */
};

/* same_pesel(): records i and j have one valid PESEL (an exact link) */
static int same_pesel(const struct reg *g, uint32_t i, uint32_t j)
{
	return g->pesel[i][0] != '\0' && strcmp(g->pesel[i], g->pesel[j]) == 0;
}

/* found_at(): collected pair k as the writers take it, with its score */
static struct found found_at(const struct reg *g, const struct collected *c, size_t k, double p, double w)
{
	uint32_t i = c->ab[k][0], j = c->ab[k][1];

	return (struct found){ g->ids[i], g->ids[j], g->inst[i], g->inst[j], p, w, c->lv[k], same_pesel(g, i, j) };
}

/* the model (labelled pairs, else EM), thresholds from the pairs already compared, stored */
static int model_fit(struct db *db, const struct reg *g, const struct collected *c, const struct link_opts *o,
		     struct link_store_model *m)
{
	struct buf text;
	char now[CLOCK_ISO_LEN];
	int rc = -1;

	buf_init(&text, 1u << 20);
	if (link_model_labelled(&c->labels, &m->m) != 0 && link_model_estimate(g->set, o, &m->m, NULL) != 0)
		goto out;
	if (link_thresholds_of(&m->m, c->lv, c->compared, &m->upper, &m->lower) != 0 ||
	    link_model_save(&m->m, &text) != 0 || buf_add(&text, "", 1) != 0)
		goto out;
	/* every pair with a fair chance of being one person is seen by a person */
	if (m->lower > LINK_STORE_LOWER_DEFAULT)
		m->lower = LINK_STORE_LOWER_DEFAULT;
	if (m->lower > m->upper)
		m->lower = m->upper;
	now_iso(now);
	rc = db_get_int(db, &m->id, &SQL_MODEL_INSERT, "tiddt", now, (int64_t)g->n, m->upper, m->lower,
			text.data) == DB_ROW ? 0 : -1;
out:
	buf_release(&text);
	return rc;
}

#define SCORE_CHUNK 1024

/*
 * each_scored() calls fn for every collected pair of kind (kind_of()),
 * scored under the fitted model a chunk at a time (its tables built once
 * per chunk).
 */
typedef int (*found_fn)(struct batch *b, const struct found *f);
static int each_scored(struct batch *b, const struct collected *c, int kind, found_fn fn)
{
	double p[SCORE_CHUNK], w[SCORE_CHUNK];
	size_t i, k;
	int rc = 0;

	for (i = 0; i < c->n && rc == 0; i += SCORE_CHUNK) {
		size_t n = c->n - i < SCORE_CHUNK ? c->n - i : SCORE_CHUNK;

		link_score_levels(&b->m->m, c->lv + i, n, p, w);
		for (k = 0; k < n && rc == 0; k++) {
			struct found f = found_at(b->g, c, i + k, p[k], w[k]);

			if (kind_of(&f, b->m) == kind)
				rc = fn(b, &f);
		}
	}
	return rc;
}

/* keep_written(): only the pairs the fitted model links or queues stay in c (the rest is freed) */
static void keep_written(struct batch *b, struct collected *c)
{
	double p[SCORE_CHUNK];
	size_t i, k, out = 0;

	for (i = 0; i < c->n; i += SCORE_CHUNK) {
		size_t n = c->n - i < SCORE_CHUNK ? c->n - i : SCORE_CHUNK;

		link_score_levels(&b->m->m, c->lv + i, n, p, NULL);
		for (k = 0; k < n; k++) {
			struct found f = found_at(b->g, c, i + k, p[k], 0);

			if (kind_of(&f, b->m) == 0)
				continue;
			memmove(c->ab[out], c->ab[i + k], sizeof(c->ab[0]));
			c->lv[out++] = c->lv[i + k];
		}
	}
	c->n = out;
	c->compared = 0; /* the thresholds are taken */
	if (out > 0) {   /* a smaller block: realloc failing leaves the bigger one, still right */
		uint32_t(*ab)[2] = realloc(c->ab, out * sizeof(*ab));
		link_levels *lv = realloc(c->lv, out * sizeof(*lv));

		c->ab = ab != NULL ? ab : c->ab;
		c->lv = lv != NULL ? lv : c->lv;
		c->cap = out;
	}
}

static int collect(struct collected *c, uint32_t a, uint32_t b, link_levels lv)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 4096;
		uint32_t(*ab)[2] = realloc(c->ab, cap * sizeof(*ab));
		link_levels *l;

		if (ab == NULL)
			return -1;
		c->ab = ab;
		if ((l = realloc(c->lv, cap * sizeof(*l))) == NULL)
			return -1;
		c->lv = l, c->cap = cap;
	}
	c->ab[c->n][0] = a, c->ab[c->n][1] = b;
	c->lv[c->n++] = lv;
	return 0;
}

static void collected_free(struct collected *c)
{
	free(c->ab);
	free(c->lv);
}

/* cands_write(): the pairs of c the fitted model queues, loaded in bulk into link_candidate */
static int cands_write(struct batch *b, const struct collected *c)
{
	static const char *const ccols[] = { "person_a", "person_b", "institution_a", "institution_b",
					     "score", "weight", "levels", "state", "run_id", "created_at" };
	char err[200];

	if ((b->cands = db_bulk_begin(b->db, "link_candidate", ccols, 10, err, sizeof(err))) == NULL)
		return -1;
	if (each_scored(b, c, 2, batch_row) != 0) {
		db_bulk_abort(b->cands);
		return -1;
	}
	return db_bulk_end(b->cands) == DB_OK ? 0 : -1;
}

static int batch_write(struct batch *b, struct collected *c)
{
	static const char *const lcols[] = { "person_a", "person_b", "score", "weight", "levels",
					     "method", "state", "run_id", "created_at" };
	char err[200];

	keep_written(b, c);
	if ((b->links = db_bulk_begin(b->db, "person_link", lcols, 9, err, sizeof(err))) == NULL)
		return -1;
	if (each_scored(b, c, 1, batch_row) != 0) {
		db_bulk_abort(b->links);
		return -1;
	}
	return db_bulk_end(b->links) == DB_OK ? cands_write(b, c) : -1;
}

struct gather {
	struct batch *b;
	struct collected c;
};

/* wanted(): a pair of this run (its institution's when only), not decided by a person */
static int wanted(const struct batch *b, uint32_t i, uint32_t j)
{
	const struct reg *g = b->g;

	if (b->only != 0 && g->inst[i] != b->only && g->inst[j] != b->only)
		return 0;
	return !pairset_has(&b->decided, g->ids[i], g->ids[j]);
}

static int gather_pair(const struct link_pair *p, void *arg)
{
	struct gather *x = arg;
	struct reg *g = x->b->g;

	x->b->pairs++;
	if (!wanted(x->b, p->a, p->b))
		return 0;
	if (g->pesel[p->a][0] != '\0' && g->pesel[p->b][0] != '\0')
		link_labels_add(&x->c.labels, p->levels, same_pesel(g, p->a, p->b));
	if (collect(&x->c, p->a, p->b, p->levels) != 0) {
		x->b->failed = 1;
		return 1;
	}
	return 0;
}

/* gather_dup(): a pair of records of one institution, not decided by a person: a possible duplicate */
static int gather_dup(const struct link_pair *p, void *arg)
{
	struct gather *x = arg;

	if (!wanted(x->b, p->a, p->b))
		return 0;
	if (collect(&x->c, p->a, p->b, p->levels) != 0) {
		x->b->failed = 1;
		return 1;
	}
	return 0;
}

/*
 * dups_write(): the pairs of records within one institution that the fitted
 * model puts above its lower threshold go to the review queue (a person
 * merges them, or separates them for good). Their own pass after the
 * fit: the cross-institution pairs alone fit the model and fill the
 * blocks' caps, so linking across institutions is the same with or
 * without it.
 */
static int dups_write(struct batch *b)
{
	struct link_opts o = { .within_only = 1 };
	struct gather x = { b, { 0 } };
	int rc = -1;

	if (link_score_all(b->g->set, &b->m->m, &o, b->m->lower, gather_dup, &x, NULL) == 0 && !b->failed)
		rc = x.c.n == 0 ? 0 : cands_write(b, &x.c);
	collected_free(&x.c);
	return rc;
}

/* A record's PESEL with its index, sorted: records sharing one are exact links. */
struct pesel_ix {
	char pesel[12];
	uint32_t i;
};

static int by_pesel(const void *x, const void *y)
{
	const struct pesel_ix *a = x, *b = y;
	int c = strcmp(a->pesel, b->pesel);

	return c != 0 ? c : (a->i > b->i) - (a->i < b->i);
}

/* one pair i < j of records with the same valid PESEL, unless known or of one institution */
static int gather_pesel_pair(struct gather *x, const struct pairset *have, uint32_t i, uint32_t j)
{
	const struct reg *g = x->b->g;

	if (g->inst[i] == g->inst[j] || !wanted(x->b, i, j) || pairset_has(have, g->ids[i], g->ids[j]))
		return 0;
	return collect(&x->c, i, j, 0);
}

/* exact PESEL pairs the scorer did not give (no shared block): added to the gathered ones */
static int gather_pesel(struct gather *x)
{
	struct reg *g = x->b->g;
	struct pesel_ix *ix = malloc((g->n ? g->n : 1) * sizeof(*ix));
	struct pairset have = { 0 };
	size_t i, j, k, l, m = 0;
	int rc = 0;

	if (ix == NULL)
		return -1;
	x->c.compared = x->c.n;
	for (i = 0; i < x->c.n && rc == 0; i++)
		if (same_pesel(g, x->c.ab[i][0], x->c.ab[i][1]))
			rc = pairset_put(&have, g->ids[x->c.ab[i][0]], g->ids[x->c.ab[i][1]]);
	for (i = 0; i < g->n; i++)
		if (g->pesel[i][0] != '\0') {
			memcpy(ix[m].pesel, g->pesel[i], 12);
			ix[m++].i = (uint32_t)i;
		}
	qsort(ix, m, sizeof(*ix), by_pesel);
	for (i = 0; i < m && rc == 0; i = j) {
		for (j = i + 1; j < m && strcmp(ix[i].pesel, ix[j].pesel) == 0; j++)
			;
		for (k = i; k < j && rc == 0; k++)
			for (l = k + 1; l < j && rc == 0; l++)
				rc = gather_pesel_pair(x, &have, ix[k].i, ix[l].i);
	}
	free(ix);
	pairset_free(&have);
	return rc;
}

static int marks_write(struct db *db, int64_t only, int64_t run)
{
	struct db_stmt *st = db_query(db, &SQL_INSTITUTIONS, "ii", only, only);
	int64_t inst[4096];
	int n = 0, i, r;

	if (st == NULL)
		return -1;
	while ((r = db_step(st)) == DB_ROW && n < 4096)
		inst[n++] = db_col_int(st, 0);
	db_reset(st);
	for (i = 0; r >= 0 && i < n; i++) {
		char at[CLOCK_ISO_LEN] = "";
		int64_t id = 0;

		if ((st = db_query(db, &SQL_NEWEST, "i", inst[i])) == NULL)
			return -1;
		if ((r = db_step(st)) == DB_ROW) {
			snprintf(at, sizeof(at), "%s", db_col_text(st, 0));
			id = db_col_int(st, 1);
		}
		db_reset(st);
		/* an institution without persons is marked too: its first record is a change */
		if (r < 0 || db_run(db, &SQL_MARK_DELETE, "i", inst[i]) < 0 ||
		    db_run(db, &SQL_MARK_INSERT, "itii", inst[i], at, id, run) < 0)
			return -1;
		r = 0;
	}
	return r < 0 ? -1 : 0;
}

/* clear_auto(): the automatic links and open candidates a full run replaces (of institution only, or all) */
static int clear_auto(struct db *db, int64_t only)
{
	if (only == 0)
		return db_run(db, &SQL_AUTO_DELETE_ALL, NULL) < 0 || db_run(db, &SQL_OPEN_DELETE_ALL, NULL) < 0 ? -1 : 0;
	return db_run(db, &SQL_AUTO_DELETE_INST, "ii", only, only) < 0 ||
			       db_run(db, &SQL_OPEN_DELETE_INST, "ii", only, only) < 0
		       ? -1
		       : 0;
}

/*
 * A full run rewrites a few rows per record in one transaction: SQLite's
 * page cache (2 MB by default) would spill them to the WAL and read them
 * back. Like the import, the run widens it to 512 MB and gives back what
 * it found (the import's own 1 GB when the import called it).
 */
#define RUN_CACHE_KIB 524288

static int64_t cache_widen(struct db *db)
{
	int64_t was = cache_now(db);

	if (was == 0 || (was < 0 ? -was : was * 4) >= RUN_CACHE_KIB)
		return 0;
	db_exec(db, "PRAGMA cache_size = -524288");
	return was;
}

static int run_full_in(struct db *db, int64_t only, struct batch *b, char *err, size_t errlen);

static int run_full(struct db *db, int64_t only, struct batch *b, char *err, size_t errlen)
{
	int64_t was = cache_widen(db);
	int rc = run_full_in(db, only, b, err, errlen);

	cache_restore(db, was);
	return rc;
}

static int run_full_in(struct db *db, int64_t only, struct batch *b, char *err, size_t errlen)
{
	struct link_opts o = { 1, 0, 0 };
	struct gather x = { b, { 0 } };
	struct reg g = { 0 };
	struct link_store_model m;
	int rc = -1;

	b->g = &g;
	b->m = &m;
	if (reg_load(db, &g) != 0) {
		say(err, errlen, "reading the register", db);
		goto out;
	}
	b->records = (int64_t)g.n;
	link_model_default(&m.m);
	if (decided_load(db, &b->decided) != 0 || clear_auto(db, only) != 0) {
		say(err, errlen, "clearing the automatic links", db);
		goto out;
	}
	b->only = only;
	/* every candidate pair with its comparisons; probabilities once the model is fitted */
	if (link_score_all(g.set, &m.m, &o, 0.0, gather_pair, &x, NULL) != 0 || b->failed ||
	    gather_pesel(&x) != 0) {
		say(err, errlen, "scoring the pairs", NULL);
		goto out;
	}
	if (model_fit(db, &g, &x.c, &o, &m) != 0) {
		say(err, errlen, "estimating the model", db);
		goto out;
	}
	if (batch_write(b, &x.c) != 0 || dups_write(b) != 0 || keys_write(db, &g) != 0 ||
	    link_clusters_rebuild(db) != 0) {
		say(err, errlen, "writing the links", db);
		goto out;
	}
	rc = 0;
out:
	collected_free(&x.c);
	reg_free(&g);
	b->g = NULL;
	b->m = NULL;
	if (rc == 0)
		b->upper = m.upper, b->lower = m.lower, b->model_id = m.id;
	return rc;
}

/* the records of the institutions past their marks (at most max + 1), or -1 */
static int changed_ids(struct db *db, int64_t only, struct idset *out, int *unmarked)
{
	struct db_stmt *st = db_query(db, &SQL_MARKS, "ii", only, only);
	struct { int64_t inst; char at[CLOCK_ISO_LEN]; int64_t id; int marked; } m[4096];
	int n = 0, i, r;

	if (st == NULL)
		return -1;
	while ((r = db_step(st)) == DB_ROW && n < 4096) {
		m[n].inst = db_col_int(st, 0);
		m[n].marked = !db_col_is_null(st, 1);
		snprintf(m[n].at, sizeof(m[n].at), "%s", m[n].marked ? db_col_text(st, 1) : "");
		m[n].id = m[n].marked ? db_col_int(st, 2) : 0;
		n++;
	}
	db_reset(st);
	*unmarked = 0;
	for (i = 0; r >= 0 && i < n; i++) {
		*unmarked += !m[i].marked;
		if ((st = db_query(db, &SQL_CHANGED, "ittii", m[i].inst, m[i].at, m[i].at, m[i].id,
				   (int64_t)LINK_STORE_INCREMENTAL_MAX + 1)) == NULL)
			return -1;
		while ((r = db_step(st)) == DB_ROW)
			if (idset_add(out, db_col_int(st, 0)) < 0) {
				r = -1;
				break;
			}
		db_reset(st);
		if (r >= 0 && out->n > LINK_STORE_INCREMENTAL_MAX)
			break;
	}
	return r < 0 ? -1 : 0;
}

static int run_incremental(struct db *db, const struct idset *ids, struct batch *b)
{
	struct link_store_model m;
	size_t i;

	if (link_store_model_load(db, &m) != 0)
		return -1;
	for (i = 0; i < ids->n; i++) {
		int linked = 0, queued = 0;

		if (link_one_with(db, &m, ids->ids[i], &linked, &queued) != 0)
			return -1;
		b->linked += linked;
		b->queued += queued;
	}
	b->upper = m.upper, b->lower = m.lower, b->model_id = m.id;
	return 0;
}

int link_store_run(struct db *db, int64_t only, int full, int64_t by_user, struct link_run_summary *out,
		   char *err, size_t errlen)
{
	struct batch b;
	struct idset changed = { 0 };
	struct timespec t0;
	int unmarked = 0, rc = -1;

	memset(&b, 0, sizeof(b));
	memset(out, 0, sizeof(*out));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	b.db = db;
	now_iso(b.now);
	if (db_get_int(db, &b.run, &SQL_RUN_INSERT, "iti", only, b.now, by_user) != DB_ROW) {
		say(err, errlen, "starting the run", db);
		return -1;
	}
	snprintf(b.run_text, sizeof(b.run_text), "%lld", (long long)b.run);
	if (changed_ids(db, only, &changed, &unmarked) != 0) {
		say(err, errlen, "finding the changed records", db);
		goto out;
	}
	out->full = full || unmarked > 0 || changed.n > LINK_STORE_INCREMENTAL_MAX;
	if (out->full ? run_full(db, only, &b, err, errlen) != 0 : run_incremental(db, &changed, &b) != 0) {
		if (!out->full)
			say(err, errlen, "linking the changed records", db);
		goto out;
	}
	out->records = out->full ? 0 : (int64_t)changed.n;
	if (marks_write(db, only, b.run) != 0) {
		say(err, errlen, "writing the marks", db);
		goto out;
	}
	rc = 0;
out:
	free(changed.ids);
	pairset_free(&b.decided);
	if (rc != 0)
		return -1;
	out->run_id = b.run;
	out->pairs = b.pairs;
	out->linked = b.linked;
	out->queued = b.queued;
	out->upper = b.upper;
	out->lower = b.lower;
	if (out->full)
		out->records = b.records;
	out->seconds = seconds_since(&t0);
	now_iso(b.now);
	if (db_run(db, &SQL_RUN_END, "tiiiiii", b.now, b.model_id, out->records,
		   out->pairs, out->linked, out->queued, b.run) < 0) {
		say(err, errlen, "ending the run", db);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The review queue                                                    */
/* ------------------------------------------------------------------ */

const char *const link_decisions[] = { "same", "different", "skip", NULL };

static void cand_row(struct db_stmt *st, struct arena *a, struct link_cand *c)
{
	c->id = db_col_int(st, 0);
	c->person_a = db_col_int(st, 1);
	c->person_b = db_col_int(st, 2);
	c->institution_a = db_col_int(st, 3);
	c->institution_b = db_col_int(st, 4);
	c->score = db_col_double(st, 5);
	c->weight = db_col_double(st, 6);
	c->levels = link_levels_parse(db_col_text(st, 7));
	c->state = a != NULL ? registry_col(a, st, 8) : NULL;
	c->created_at = a != NULL ? registry_col(a, st, 9) : NULL;
}

int link_queue_count(struct db *db, int64_t institution_id, int open_only, int64_t *out)
{
	return db_get_int(db, out, &SQL_QUEUE_COUNT, "iii", (int64_t)open_only, institution_id, institution_id) ==
			       DB_ROW
		       ? 0
		       : -1;
}

int link_queue_list(struct db *db, struct arena *a, int64_t institution_id, int64_t offset, int limit,
		    struct link_cand **out)
{
	struct db_stmt *st = db_query(db, &SQL_QUEUE, "iiii", institution_id, institution_id, (int64_t)limit, offset);
	int n = 0, rc;

	*out = arena_zalloc(a, sizeof(**out) * (size_t)(limit > 0 ? limit : 1));
	if (st == NULL || *out == NULL) {
		if (st != NULL)
			db_reset(st);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW && n < limit)
		cand_row(st, a, &(*out)[n++]);
	db_reset(st);
	return rc < 0 ? -1 : n;
}

int link_cand_get(struct db *db, int64_t id, struct link_cand *out)
{
	struct db_stmt *st = db_query(db, &SQL_CAND_GET, "i", id);
	int rc;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		cand_row(st, NULL, out);
		out->state = strcmp(db_col_text(st, 8), "open") == 0	  ? "open"
			     : strcmp(db_col_text(st, 8), "skipped") == 0 ? "skipped"
									  : "decided";
	}
	db_reset(st);
	return rc < 0 ? -1 : rc == DB_ROW ? 0 : 1;
}

int link_cand_explain(struct db *db, link_levels lv, struct link_explain_row rows[LINK_F__MAX])
{
	struct link_store_model m;

	if (link_store_model_load(db, &m) != 0)
		return -1;
	link_explain(&m.m, lv, rows);
	return 0;
}

static int writer_party(const struct registry_writer *w, int64_t a, int64_t b)
{
	return w->policy.cli || w->policy.institution_id == a || w->policy.institution_id == b;
}

static int decision_row(struct db *db, const struct registry_writer *w, int64_t a, int64_t b, const char *what,
			int64_t cand, double score)
{
	char now[CLOCK_ISO_LEN];

	now_iso(now);
	return db_run(db, &SQL_DECISION_INSERT, "iitidti", a, b, what, cand, score, now, w->audit.user_id) < 0 ? -1 : 0;
}

/* set_link(): the pair's link row takes state (inserted when none), decided by w */
static int set_link(struct db *db, const struct registry_writer *w, const struct link_cand *c, const char *state)
{
	struct db_stmt *st = db_query(db, &SQL_LINK_STATE, "ii", c->person_a, c->person_b);
	char now[CLOCK_ISO_LEN], lv[17];
	int64_t id = 0;
	int rc;

	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		id = db_col_int(st, 0);
	db_reset(st);
	if (rc < 0)
		return -1;
	now_iso(now);
	link_levels_text(c->levels, lv);
	if (id > 0)
		return db_run(db, &SQL_LINK_DECIDE, "tttii", state, state, now,
			      w->audit.user_id, id) < 0 ? -1 : 0;
	return db_run(db, &SQL_LINK_INSERT, "iiddtttitti", c->person_a,
		      c->person_b, c->score, c->weight, lv, "review", state, (int64_t)0, now, now,
		      w->audit.user_id) < 0 ? -1 : 0;
}

/*
 * merge_duplicate(): "the same person" on two records of one institution is
 * a duplicate, not a link: the older record keeps, the newer is merged into
 * it by person_merge() (every reference moved and remembered, reversible by
 * person_unmerge()). "Different people" stays a separated pair, a
 * cannot-link the runs honour.
 */
static int merge_duplicate(struct db *db, const struct registry_writer *w, const struct link_cand *c,
			   struct verrs *v)
{
	struct arena *a = arena_new((size_t)1 << 22);
	int64_t merge = 0;
	int rc;

	if (a == NULL)
		return -1;
	rc = db_run(db, &SQL_CAND_SET, "ti", "decided", c->id) < 0
		     ? -1
		     : person_merge(db, a, w, c->person_a, c->person_b, &merge, v);
	arena_free(a);
	return rc;
}

int link_decide(struct db *db, const struct registry_writer *w, int64_t id, const char *decision, struct verrs *v)
{
	struct link_cand c;
	int rc = link_cand_get(db, id, &c), i, known = 0;
	int64_t seeds[2];

	if (rc != 0)
		return rc < 0 ? -1 : LINK_NOT_FOUND;
	if (!writer_party(w, c.institution_a, c.institution_b))
		return LINK_NOT_FOUND;
	for (i = 0; decision != NULL && link_decisions[i] != NULL; i++)
		known |= strcmp(decision, link_decisions[i]) == 0;
	if (!known) {
		verrs_add(v, "decision", "invalid", "%s", _("Choose: the same person, different people or skip."));
		return 1;
	}
	if (strcmp(c.state, "decided") == 0) {
		verrs_add(v, "decision", "decided", "%s", _("This pair has already been decided."));
		return 1;
	}
	if (decision_row(db, w, c.person_a, c.person_b, decision, c.id, c.score) != 0)
		return -1;
	if (c.institution_a == c.institution_b && strcmp(decision, "same") == 0)
		return merge_duplicate(db, w, &c, v);
	if (strcmp(decision, "skip") == 0)
		return db_run(db, &SQL_CAND_SET, "ti", "skipped", c.id) < 0 ? -1 : 0;
	if (db_run(db, &SQL_CAND_SET, "ti", "decided", c.id) < 0 ||
	    set_link(db, w, &c, strcmp(decision, "same") == 0 ? "confirmed" : "separated") != 0)
		return -1;
	seeds[0] = c.person_a, seeds[1] = c.person_b;
	return recluster(db, seeds, 2);
}

/* ------------------------------------------------------------------ */
/* Links of a record, unlinking                                        */
/* ------------------------------------------------------------------ */

static void link_row_of(struct db_stmt *st, struct arena *a, int64_t me, struct link_row *r)
{
	int64_t pa = db_col_int(st, 1), pb = db_col_int(st, 2);
	int other_b = me == 0 || me == pa;

	r->id = db_col_int(st, 0);
	r->person_id = other_b ? pa : pb;
	r->other_id = other_b ? pb : pa;
	r->other_institution = db_col_int(st, other_b ? 9 : 8);
	r->score = db_col_double(st, 3);
	r->state = registry_col(a, st, 4);
	r->method = registry_col(a, st, 5);
	r->created_at = registry_col(a, st, 6);
	r->decided_at = registry_col(a, st, 7);
}

int link_person_links(struct db *db, struct arena *a, int64_t person_id, struct link_row **out)
{
	struct db_stmt *st = db_query(db, &SQL_PERSON_LINKS, "ii", person_id, person_id);
	int n = 0, rc;

	*out = arena_zalloc(a, sizeof(**out) * 100);
	if (st == NULL || *out == NULL) {
		if (st != NULL)
			db_reset(st);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW && n < 100)
		link_row_of(st, a, person_id, &(*out)[n++]);
	db_reset(st);
	return rc < 0 ? -1 : n;
}

int link_get(struct db *db, struct arena *a, int64_t id, struct link_row *out)
{
	struct db_stmt *st = db_query(db, &SQL_LINK_GET, "i", id);
	int rc;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		link_row_of(st, a, 0, out);
		out->person_id = db_col_int(st, 1);
		out->other_id = db_col_int(st, 2);
		out->other_institution = db_col_int(st, 8); /* the institution of person_id (a) */
	}
	db_reset(st);
	return rc < 0 ? -1 : rc == DB_ROW ? 0 : 1;
}

static const struct db_sql SQL_LINK_INSTS =
	DB_SQL("SELECT pa.institution_id, pb.institution_id, l.state, l.score, l.person_a, l.person_b "
	       "FROM person_link l JOIN person pa ON pa.id = l.person_a JOIN person pb ON pb.id = l.person_b "
	       "WHERE l.id = ?");

int link_unlink(struct db *db, const struct registry_writer *w, int64_t id, struct verrs *v)
{
	struct db_stmt *st = db_query(db, &SQL_LINK_INSTS, "i", id);
	int64_t ia = 0, ib = 0, seeds[2] = { 0, 0 };
	char now[CLOCK_ISO_LEN];
	double score = 0;
	int rc, live = 0;

	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		ia = db_col_int(st, 0), ib = db_col_int(st, 1);
		live = strcmp(db_col_text(st, 2), "auto") == 0 || strcmp(db_col_text(st, 2), "confirmed") == 0;
		score = db_col_double(st, 3);
		seeds[0] = db_col_int(st, 4), seeds[1] = db_col_int(st, 5);
	}
	db_reset(st);
	if (rc < 0)
		return -1;
	if (rc != DB_ROW || !writer_party(w, ia, ib))
		return LINK_NOT_FOUND;
	if (!live) {
		verrs_add(v, "", "unlinked", "%s", _("These records are not linked."));
		return 1;
	}
	now_iso(now);
	if (db_run(db, &SQL_LINK_DECIDE, "tttii", "unlinked", "unlinked", now,
		   w->audit.user_id, id) < 0 ||
	    decision_row(db, w, seeds[0], seeds[1], "unlink", 0, score) != 0)
		return -1;
	return recluster(db, seeds, 2);
}

/* ------------------------------------------------------------------ */
/* Duplicates within one institution                                   */
/* ------------------------------------------------------------------ */

/* a live record of the writer's institution: 0, or PERSON_NOT_FOUND / -1 */
static int merge_party(struct db *db, const struct registry_writer *w, int64_t id, int64_t *inst)
{
	struct db_stmt *st = db_query(db, &SQL_MERGE_PERSON, "i", id);
	int rc, live = 0;

	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		*inst = db_col_int(st, 0);
		live = db_col_is_null(st, 1);
	}
	db_reset(st);
	if (rc < 0)
		return -1;
	return rc == DB_ROW && live && (w->policy.cli || *inst == w->policy.institution_id) ? 0 : PERSON_NOT_FOUND;
}

static int current_family(struct db *db, int64_t person, int64_t *family)
{
	*family = 0;
	return db_get_int(db, family, &SQL_CURRENT_FAMILY, "i", person) < 0 ? -1 : 0;
}

static const struct person_ref *ref_named(const char *table)
{
	size_t t;

	for (t = 0; t < NREFS; t++)
		if (strcmp(person_refs[t].table, table) == 0)
			return &person_refs[t];
	return NULL;
}

/* One row of one of person_refs' tables that points at a person. */
struct ref_row {
	const struct person_ref *ref; /* NULL: a table no longer among person_refs */
	int64_t row;
};

/* read_refs(): every row st returns, read in full before any of them is
 * moved (st is reset before the return); with ref, each row is an id of
 * ref's table, without, a (table name, id) pair. 0, or -1 with nothing to free. */
static int read_refs(struct db_stmt *st, const struct person_ref *ref, struct ref_row **out, size_t *n)
{
	struct ref_row *x = NULL;
	size_t cap = 0;
	int r;

	*n = 0;
	while ((r = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			struct ref_row *y = realloc(x, (cap = cap ? cap * 2 : 32) * sizeof(*x));

			if (y == NULL) {
				r = -1;
				break;
			}
			x = y;
		}
		x[*n].ref = ref != NULL ? ref : ref_named(db_col_text(st, 0));
		x[(*n)++].row = db_col_int(st, ref != NULL ? 0 : 1);
	}
	db_reset(st);
	if (r < 0) {
		free(x);
		*out = NULL;
		return -1;
	}
	*out = x;
	return 0;
}

/* move_refs(): every reference of from moved to to, each remembered under merge */
static int move_refs(struct db *db, int64_t merge, int64_t from, int64_t to)
{
	size_t t;

	for (t = 0; t < NREFS; t++) {
		struct db_stmt *st = db_query(db, &person_refs[t].select, "i", from);
		struct ref_row *rows;
		size_t n, i;
		int r = 0;

		if (st == NULL || read_refs(st, &person_refs[t], &rows, &n) != 0)
			return -1;
		for (i = 0; r == 0 && i < n; i++)
			if (db_run(db, &rows[i].ref->move, "ii", to, rows[i].row) < 0 ||
			    db_run(db, &SQL_MERGE_REF, "iti", merge, rows[i].ref->table, rows[i].row) < 0)
				r = -1;
		free(rows);
		if (r < 0)
			return -1;
	}
	return 0;
}

static int merge_history(struct db *db, const struct registry_writer *w, int64_t inst, int64_t id,
			 enum history_change change, const char *field, const char *old, const char *new)
{
	struct history_entry e = { "person", id, id, 0, inst, change, field, old, new };

	return history_add(db, w, &e);
}

/* merge_decided(): the decision (merge or unmerge) on the pair kept/merged
 * recorded, smaller id first, and both records linked afresh. 0, or -1. */
static int merge_decided(struct db *db, const struct registry_writer *w, int64_t kept, int64_t merged,
			 const char *what)
{
	if (decision_row(db, w, kept < merged ? kept : merged, kept < merged ? merged : kept, what, 0, 0) != 0)
		return -1;
	return link_store_one(db, merged, NULL, NULL) != 0 || link_store_one(db, kept, NULL, NULL) != 0 ? -1 : 0;
}

int person_merge(struct db *db, struct arena *a, const struct registry_writer *w, int64_t kept, int64_t merged,
		 int64_t *merge_id, struct verrs *v)
{
	int64_t ik = 0, im = 0, fk, fm;
	char now[CLOCK_ISO_LEN];
	int rc;

	if (kept == merged) {
		verrs_add(v, "merged_id", "same", "%s", _("Choose two different records."));
		return 1;
	}
	if ((rc = merge_party(db, w, kept, &ik)) != 0)
		return rc;
	if ((rc = merge_party(db, w, merged, &im)) != 0 || ik != im) {
		if (rc < 0)
			return -1;
		verrs_add(v, "merged_id", "other_institution",
			  "%s", _("Only two records of your institution can be merged."));
		return 1;
	}
	if (current_family(db, kept, &fk) != 0 || current_family(db, merged, &fm) != 0)
		return -1;
	if (fk != 0 && fm != 0) {
		verrs_add(v, "merged_id", "households",
			  "%s", _("Both records are current members of a household: end one membership first."));
		return 1;
	}
	now_iso(now);
	if (db_get_int(db, merge_id, &SQL_MERGE_INSERT, "iiiti", ik, kept, merged,
		       now, w->audit.user_id) != DB_ROW ||
	    move_refs(db, *merge_id, merged, kept) != 0 ||
	    db_run(db, &SQL_PERSON_BURY, "titi", now, w->audit.user_id, now, merged) <
		    0 ||
	    merge_history(db, w, ik, merged, HISTORY_DELETE, "merged_into", NULL,
			  arena_printf(a, "%lld", (long long)kept)) != 0 ||
	    merge_history(db, w, ik, kept, HISTORY_UPDATE, "merged_from", NULL,
			  arena_printf(a, "%lld", (long long)merged)) != 0 ||
	    merge_decided(db, w, kept, merged, "merge") != 0)
		return -1;
	return 0;
}

/* move_back(): every remembered reference of merge back to merged */
static int move_back(struct db *db, int64_t merge, int64_t merged)
{
	struct db_stmt *st = db_query(db, &SQL_MERGE_REFS, "i", merge);
	struct ref_row *x;
	size_t n, i;
	int r = 0;

	if (st == NULL || read_refs(st, NULL, &x, &n) != 0)
		return -1;
	for (i = 0; r == 0 && i < n; i++)
		if (x[i].ref == NULL || db_run(db, &x[i].ref->move, "ii", merged, x[i].row) < 0)
			r = -1;
	free(x);
	return r;
}

int person_unmerge(struct db *db, struct arena *a, const struct registry_writer *w, int64_t merge_id,
		   struct verrs *v)
{
	struct db_stmt *st = db_query(db, &SQL_MERGE_GET, "i", merge_id);
	int64_t inst = 0, kept = 0, merged = 0, taken = 0;
	char now[CLOCK_ISO_LEN];
	int rc, undone = 0;

	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		inst = db_col_int(st, 0), kept = db_col_int(st, 1), merged = db_col_int(st, 2);
		undone = !db_col_is_null(st, 3);
	}
	db_reset(st);
	if (rc < 0)
		return -1;
	if (rc != DB_ROW || !(w->policy.cli || w->policy.institution_id == inst))
		return LINK_NOT_FOUND;
	if (undone) {
		verrs_add(v, "merge_id", "undone", "%s", _("This merge has already been undone."));
		return 1;
	}
	if (db_get_int(db, &taken, &SQL_PESEL_TAKEN, "i", merged) != DB_ROW)
		return -1;
	if (taken > 0) {
		verrs_add(v, "merge_id", "duplicate",
			  "%s", _("Another record of the institution now holds the merged record's PESEL."));
		return 1;
	}
	now_iso(now);
	if (db_run(db, &SQL_MERGE_UNDO, "tii", now, w->audit.user_id, merge_id) < 0 ||
	    move_back(db, merge_id, merged) != 0 || db_run(db, &SQL_PERSON_REVIVE, "ti", now, merged) < 0 ||
	    merge_history(db, w, inst, merged, HISTORY_UPDATE, "merged_into",
			  arena_printf(a, "%lld", (long long)kept), NULL) != 0 ||
	    merge_history(db, w, inst, kept, HISTORY_UPDATE, "merged_from",
			  arena_printf(a, "%lld", (long long)merged), NULL) != 0 ||
	    merge_decided(db, w, kept, merged, "unmerge") != 0)
		return -1;
	return 0;
}

static const struct db_sql SQL_MERGE_ROW =
	DB_SQL("SELECT id, kept_id, merged_id, merged_at, undone_at FROM person_merge WHERE id = ?");

static void merge_row(struct db_stmt *st, struct arena *a, struct person_merge_row *m)
{
	m->id = db_col_int(st, 0);
	m->kept_id = db_col_int(st, 1);
	m->merged_id = db_col_int(st, 2);
	m->merged_at = registry_col(a, st, 3);
	m->undone_at = registry_col(a, st, 4);
}

int person_merge_get(struct db *db, struct arena *a, int64_t id, struct person_merge_row *out)
{
	struct db_stmt *st = db_query(db, &SQL_MERGE_ROW, "i", id);
	int rc;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		merge_row(st, a, out);
	db_reset(st);
	return rc < 0 ? -1 : rc == DB_ROW ? 0 : 1;
}

int person_merges(struct db *db, struct arena *a, int64_t person_id, struct person_merge_row **out)
{
	struct db_stmt *st = db_query(db, &SQL_MERGES, "ii", person_id, person_id);
	int n = 0, rc;

	*out = arena_zalloc(a, sizeof(**out) * 50);
	if (st == NULL || *out == NULL) {
		if (st != NULL)
			db_reset(st);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW && n < 50)
		merge_row(st, a, &(*out)[n++]);
	db_reset(st);
	return rc < 0 ? -1 : n;
}
