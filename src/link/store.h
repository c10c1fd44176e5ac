/*
 * store.h — record linkage in the database: the links between person
 * records of different institutions, the review queue, the reviewers'
 * decisions, the clusters (one human each), and merges of duplicates
 * within one institution. The scoring itself is link/link.h.
 *
 * A link is a fact of its own (table person_link): the records stay owned
 * by their institutions, and a link can be undone without touching them.
 * Links are made by the batch linker (link_store_run(): the whole register,
 * or the records new and changed since the last run one by one), by the
 * one-record linker (link_store_one(): the new-person form, the API, the
 * import), or by a reviewer ("same person"). A pair a person separated
 * ("different people", or an unlink) is a cannot-link constraint: no
 * linker ever links it again and the clustering never joins across it.
 * An equal valid PESEL in two institutions is always an exact link.
 *
 * Writes run in the caller's transaction (ended by audit_commit() or
 * tx_audit(), so the change and its audit row commit together). Nothing
 * here reads personal data for display: the pages show the records of a
 * pair through person_read() under the sharing rule (purpose
 * data_quality, docs/COOPERATION.md).
 *
 * Schema: src/db/migrations/0019_linkage.sql. Method: docs/LINKAGE.md.
 */
#ifndef RAZEM_LINK_STORE_H
#define RAZEM_LINK_STORE_H

#include <stdint.h>

#include "core/arena.h"
#include "core/verr.h"
#include "db/db.h"
#include "link/link.h"
#include "registry/person.h"

/*
 * Thresholds when no model has been estimated yet (probabilities). A
 * fitted model's lower threshold is lowered to LINK_STORE_LOWER_DEFAULT
 * when above it: every pair with at least that chance of being one person
 * is shown to a reviewer.
 */
#define LINK_STORE_UPPER_DEFAULT 0.95
#define LINK_STORE_LOWER_DEFAULT 0.30

/* The model in use: the newest link_model row, else link_model_default(). */
struct link_store_model {
	int64_t id;        /* 0 = the default model */
	struct link_model m;
	double upper, lower;
};
int link_store_model_load(struct db *db, struct link_store_model *out);

/* What a run did (razem link --db prints it). */
struct link_run_summary {
	int64_t run_id;
	int full;          /* 1 = the whole register was scored, 0 = records one by one */
	int64_t records;   /* records (re)linked */
	int64_t pairs;     /* candidate pairs scored */
	int64_t linked;    /* auto links written */
	int64_t queued;    /* pairs sent to review */
	double upper, lower;
	double seconds;
};

/* Changed records above which an incremental run scores the whole register instead. */
#define LINK_STORE_INCREMENTAL_MAX 2000

/*
 * link_store_run() links the register: with full set, or when no run has
 * marked the institutions yet, or when more than LINK_STORE_INCREMENTAL_MAX
 * records changed, it loads every live person, estimates the model by EM,
 * scores every cross-institution candidate pair, replaces the automatic
 * links and the open candidates (decided pairs and skipped candidates
 * stay as they are), rebuilds the clusters and the blocking keys; else it
 * links the records new or changed since the high-water mark one by one
 * (link_store_one()). institution_id 0 = every institution, else only the
 * records of that one are (re)linked (against the whole register).
 * by_user may be 0 (the command line). Call inside a transaction.
 * Returns 0, or -1 with a sentence in err.
 */
int link_store_run(struct db *db, int64_t institution_id, int full, int64_t by_user,
		   struct link_run_summary *out, char *err, size_t errlen);

/*
 * link_store_one() links one record against the database: its blocking
 * keys are stored, the records sharing a key are scored against it with
 * the stored model, its automatic links and open candidates are replaced
 * (decided pairs stay), and its cluster is rebuilt. A deleted record loses
 * its keys, automatic links and open candidates. linked/queued (may be
 * NULL) say how many links and candidates it made. Under 10 ms against a
 * register of 1,000,000 (docs/BENCHMARKS.md). Returns 0 or -1.
 */
int link_store_one(struct db *db, int64_t person_id, int *linked, int *queued);

/*
 * link_same_human() fills out (up to max) with the ids of the other live
 * records of the same human: same cluster (links auto or confirmed) or
 * the same PESEL. Returns how many, or -1.
 */
int link_same_human(struct db *db, int64_t person_id, int64_t *out, int max);

/* ---- the review queue ---- */

struct link_cand {
	int64_t id, person_a, person_b, institution_a, institution_b;
	double score, weight;
	link_levels levels;
	const char *state;      /* "open" or "skipped" ("decided" once decided) */
	const char *created_at;
};

/*
 * The queue of an institution: candidates with one record of institution
 * (both records live), open ones first by falling score, then skipped.
 * link_queue_count() counts them (open only when open_only).
 */
int link_queue_count(struct db *db, int64_t institution_id, int open_only, int64_t *out);
int link_queue_list(struct db *db, struct arena *a, int64_t institution_id, int64_t offset, int limit,
		    struct link_cand **out);
/* link_cand_get() reads one candidate: 0, 1 when there is none, -1. */
int link_cand_get(struct db *db, int64_t id, struct link_cand *out);

/* The explanation of a score: per field its level and weight under the stored model. */
int link_cand_explain(struct db *db, link_levels lv, struct link_explain_row rows[LINK_F__MAX]);

/* link_levels_text() writes levels as 16 hex digits (a 17-byte buffer); link_levels_parse() reads them. */
void link_levels_text(link_levels lv, char out[17]);
link_levels link_levels_parse(const char *s);

/* The decisions of a reviewer. */
extern const char *const link_decisions[]; /* "same", "different", "skip", NULL */

/*
 * link_decide() records a reviewer's decision on candidate id: "same"
 * confirms the link (clusters joined), "different" separates the pair
 * for good (a cannot-link: never linked again), "skip" puts it behind
 * the open ones. The writer must belong to one of the pair's
 * institutions (else LINK_NOT_FOUND); a candidate already decided is
 * refused (field "decision", code "decided"); an unknown decision too
 * (code "invalid"). Returns 0, 1 (v), LINK_NOT_FOUND, -1. Call in a
 * transaction.
 */
#define LINK_NOT_FOUND 31
int link_decide(struct db *db, const struct registry_writer *w, int64_t candidate_id,
		const char *decision, struct verrs *v);

/* ---- the links of a record ---- */

struct link_row {
	int64_t id, person_id, other_id, other_institution;
	double score;
	const char *state, *method, *created_at, *decided_at;
};

/* link_person_links() lists the links auto or confirmed of person_id (live records), strongest first. */
int link_person_links(struct db *db, struct arena *a, int64_t person_id, struct link_row **out);
/* link_get() reads one link: 0, 1 none, -1. */
int link_get(struct db *db, struct arena *a, int64_t id, struct link_row *out);

/*
 * link_unlink() undoes link id (auto or confirmed): its state becomes
 * unlinked, a cannot-link like a separation, the decision is recorded and
 * the clusters of both records rebuilt; the records themselves are not
 * touched. The writer must belong to one of the two institutions (else
 * LINK_NOT_FOUND); a link already undone or separated is refused (code
 * "unlinked"). Returns 0, 1 (v), LINK_NOT_FOUND, -1.
 */
int link_unlink(struct db *db, const struct registry_writer *w, int64_t id, struct verrs *v);

/* link_clusters_rebuild() rebuilds person_cluster from every link and cannot-link. 0 or -1. */
int link_clusters_rebuild(struct db *db);

/* ---- duplicates within one institution ---- */

/*
 * person_merge() merges record merged_id into kept_id, two records of the
 * same human in the writer's institution: every reference to merged_id
 * (household membership, household applicant, labour-market periods,
 * benefits, interviews, consents, referrals, episodes) moves to kept_id
 * and is remembered, merged_id is soft-deleted (history "delete" with the
 * reason "merged into N", and a "merge" row on kept_id), and both are
 * linked again. Refused (field "merged_id"): the same record, another
 * institution's record, a deleted one, or both current members of
 * different households (code "households": move one first). Returns 0
 * with *merge_id, 1 (v), PERSON_NOT_FOUND, -1. Call in a transaction.
 */
int person_merge(struct db *db, struct arena *a, const struct registry_writer *w, int64_t kept_id,
		 int64_t merged_id, int64_t *merge_id, struct verrs *v);

/*
 * person_unmerge() undoes merge merge_id exactly: the remembered
 * references move back, merged_id lives again, both are linked again.
 * Refused (field "merge_id"): already undone (code "undone"), or the
 * PESEL of the merged record taken since by another live record (code
 * "duplicate"). Returns 0, 1 (v), LINK_NOT_FOUND, -1.
 */
int person_unmerge(struct db *db, struct arena *a, const struct registry_writer *w, int64_t merge_id,
		   struct verrs *v);

/* A merge, for the person page. */
struct person_merge_row {
	int64_t id, kept_id, merged_id;
	const char *merged_at, *undone_at;
};
/* person_merge_get() reads merge id: 0, 1 when there is none, -1. */
int person_merge_get(struct db *db, struct arena *a, int64_t id, struct person_merge_row *out);
/* person_merges() lists the merges into or of person_id (newest first). Returns how many, or -1. */
int person_merges(struct db *db, struct arena *a, int64_t person_id, struct person_merge_row **out);

/* link_record_of() fills r from person p (roles of link.h; group = institution, key = id). */
void link_record_of(const struct person *p, struct arena *a, struct link_record *r);

#endif
