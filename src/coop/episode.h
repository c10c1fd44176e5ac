/*
 * episode.h — support instruments and episodes, and duplicated support
 * between institutions (issue 8). Schema: src/db/migrations/0018_support.sql.
 *
 * An episode is the providing institution's own record of support given
 * to its own (live) record of a person. Saving one (form, API, import)
 * looks for episodes of the same instrument kind overlapping in time on
 * the records of the same human (same_human()) at other institutions,
 * only where an agreement in force between the two includes the form
 * information_exchange (episode_agreement_hook); elsewhere nothing is
 * looked at and nothing is recorded. A pair found is kept in
 * support_overlap with one alert per institution, resolved by each.
 *
 * Writes run inside the caller's transaction (ended by audit_commit() /
 * tx_audit()), keep their history (registry/history.h, entity "episode")
 * and return 0, 1 when refused (errors in v), EPISODE_DUPLICATE when
 * overlaps were found and not acknowledged (nothing written), EPISODE_NOT_FOUND
 * for no such record of the writer's institution, or -1.
 */
#ifndef RAZEM_COOP_EPISODE_H
#define RAZEM_COOP_EPISODE_H

#include <stdint.h>

#include "core/arena.h"
#include "core/verr.h"
#include "db/db.h"
#include "policy/policy.h"
#include "registry/person.h"

#define EPISODE_NOT_FOUND 11 /* same value as PERSON_NOT_FOUND */
#define EPISODE_DUPLICATE 12
#define SAME_HUMAN_MAX 32    /* records of one human a check looks at */
#define OVERLAPS_MAX 64      /* overlaps one save reports */

/* A row of the instrument catalogue. */
struct instrument {
	const char *code, *label, *category, *kind, *legal_basis, *valid_from, *valid_to;
};

/* instrument_list() reads the catalogue in its order (labels in the thread's language). Count or -1. */
int instrument_list(struct db *db, struct arena *a, struct instrument **out);
/* instrument_category_label() names a category ("labour_market_service" → "Usługa rynku pracy"). */
const char *instrument_category_label(const char *category);

extern const char *const episode_statuses[]; /* planned, ongoing, completed, interrupted; NULL-terminated */
const char *episode_status_label(const char *status);

struct episode {
	int64_t id;
	int64_t institution_id;    /* the provider (set from the person's record) */
	int64_t person_id;         /* the provider's own record of the person */
	const char *instrument_code;
	const char *project;       /* optional */
	const char *start_date;    /* YYYY-MM-DD */
	const char *planned_end;   /* optional */
	const char *actual_end;    /* optional */
	int64_t cost_grosze;       /* -1 = none */
	const char *status;        /* episode_statuses */
	const char *outcome;       /* optional */
	int withdrawn;             /* 1 = taken back through an alert: never overlaps */
	/* read only */
	const char *kind, *instrument_label, *institution_name, *created_at;
};

/*
 * An overlap found for an episode being saved. disclosed says what its
 * reader may be told (the sharing rule: policy_decide() for the partner's
 * person record, PURPOSE_COOPERATION, with coop/consent.h consent_facts()
 * for labour_market_activation, and the support category among the
 * agreement's data categories): 1 → the institution, instrument and
 * period are filled; 0 → only kind (a partner reports overlapping support
 * of that kind and has been notified), the rest NULL / 0.
 */
struct episode_overlap {
	int64_t overlap_id;        /* 0 until recorded */
	int64_t episode_id;        /* the partner's episode (0 when not disclosed) */
	int64_t institution_id;    /* (0 when not disclosed) */
	const char *institution_name, *instrument_code, *instrument_label, *from, *to;
	const char *kind;
	int disclosed;
	/* internal: the partner's episode, always known */
	int64_t other_episode, other_institution, other_person;
	const char *other_from, *other_to;
};

/*
 * The agreement check: 1 when an agreement in force on date between
 * institutions a and b includes form, 0 when none, -1 on error. Defaults
 * to coop/agreement.h's agreement_in_force(); tests may set it.
 */
typedef int (*episode_agreement_fn)(struct db *db, int64_t a, int64_t b, const char *form,
				    const char *date);
extern episode_agreement_fn episode_agreement_hook;

/*
 * same_human() fills out (up to max) with the ids of the other live person
 * records of the same human as person_id, at any institution: the records
 * of its cluster (links auto or confirmed, link/store.h) and those with
 * the same PESEL (the person_pesel_any index). Returns the count or -1.
 */
int same_human(struct db *db, int64_t person_id, int64_t *out, int max);

/*
 * episode_validate() trims and checks e: instrument known and in force on
 * the start date, dates real and ordered, status known, cost ≥ 0 (from
 * cost_text "1 234,56" when not NULL), text lengths. Returns the errors added, or -1.
 */
int episode_validate(struct db *db, struct arena *a, struct episode *e, const char *cost_text,
		     struct verrs *v);

/*
 * episode_overlaps() finds the overlaps of e (validated; e->id 0 for a new
 * one, e->person_id set) without writing anything; who is the reader the
 * disclosure is decided for. Returns the count (≤ OVERLAPS_MAX) or -1.
 */
int episode_overlaps(struct db *db, struct arena *a, const struct policy_actor *who,
		     const struct episode *e, struct episode_overlap **out);

/*
 * episode_create() / episode_update(): the person must be a live record
 * of the writer's institution. With overlaps and acknowledge 0 nothing
 * is written and EPISODE_DUPLICATE returned with ov and nov set; with
 * acknowledge 1 the episode is saved, each overlap recorded with an alert
 * for both institutions (overlap_id of each filled). ov may be NULL.
 */
int episode_create(struct db *db, struct arena *a, const struct registry_writer *w,
		   struct episode *e, int acknowledge, int64_t *id, struct episode_overlap **ov,
		   int *nov, struct verrs *v);
int episode_update(struct db *db, struct arena *a, const struct registry_writer *w,
		   struct episode *e, int acknowledge, struct episode_overlap **ov, int *nov,
		   struct verrs *v);

/* episode_get() reads one episode, no policy (callers check the institution). 0, EPISODE_NOT_FOUND, -1. */
int episode_get(struct db *db, struct arena *a, int64_t id, struct episode *out);

/* episode_person_list() reads the episodes of one person record, newest first. Count or -1. */
int episode_person_list(struct db *db, struct arena *a, int64_t person_id, struct episode **out);

/* ------------------------------------------------------------------ */
/* Alerts                                                              */
/* ------------------------------------------------------------------ */

extern const char *const alert_resolutions[]; /* coordinated, intended, withdrawn; NULL-terminated */
const char *alert_state_label(const char *state);

struct alert {
	int64_t id, institution_id, overlap_id, episode_id;
	const char *state, *comment, *created_at, *resolved_at;
	/* the overlap and the institution's own episode */
	const char *kind, *overlap_from, *overlap_to, *instrument_label;
	int64_t person_id;
	/* the partner's side (other_*), told per the sharing rule: disclosed 0 → NULL / 0 */
	int disclosed;
	int64_t other_episode, other_institution;
	const char *other_institution_name, *other_instrument_label, *other_from, *other_to;
};

/*
 * alert_list() reads the alerts of institution inst (state NULL = all,
 * "open" = open only), newest first, at most max, the partner's side
 * decided for who. Count or -1.
 */
int alert_list(struct db *db, struct arena *a, const struct policy_actor *who, int64_t inst,
	       const char *state, int max, struct alert **out);
/* alert_get(): one alert of who's institution. 0, EPISODE_NOT_FOUND, -1. */
int alert_get(struct db *db, struct arena *a, const struct policy_actor *who, int64_t id,
	      struct alert *out);
/* alert_count_open() counts the open alerts of inst. */
int alert_count_open(struct db *db, int64_t inst, int64_t *n);

/*
 * alert_resolve() sets an alert of the writer's institution to resolution
 * (alert_resolutions) with an optional comment (at most 2000
 * characters) and writes its history; "withdrawn" also marks
 * the institution's own episode withdrawn (it no longer counts as
 * support). 0, 1 refused (v), EPISODE_NOT_FOUND, -1.
 */
int alert_resolve(struct db *db, struct arena *a, const struct registry_writer *w, int64_t id,
		  const char *resolution, const char *comment, struct verrs *v);

struct alert_event {
	const char *state, *comment, *at, *by;
};
/* alert_history_read() reads an alert's history, oldest first. Count or -1. */
int alert_history_read(struct db *db, struct arena *a, int64_t alert_id, struct alert_event **out);

/* ------------------------------------------------------------------ */
/* Report                                                              */
/* ------------------------------------------------------------------ */

/* One row of the duplicated-support report: a powiat, a kind, the year. */
struct dup_row {
	const char *terc, *powiat, *kind;
	int64_t overlaps;   /* pairs found that year */
	int64_t persons;    /* distinct humans involved (a cluster of linked records or a PESEL once) */
	int64_t cost_grosze;/* cost of the episodes involved */
	int suppressed;     /* 1: counts under the threshold, not shown */
};

/*
 * dup_report() counts the overlaps found with overlap_from in year, per
 * powiat (of the institution of episode_a) within terc (prefix, "" = all)
 * and kind. With threshold > 0 counts of persons below it are suppressed
 * (counts and cost zeroed, suppressed 1). Institution inst > 0 limits to
 * overlaps one of whose episodes is that institution's. Count or -1.
 */
int dup_report(struct db *db, struct arena *a, const char *terc, int year, int64_t inst,
	       int threshold, struct dup_row **out);

/* ------------------------------------------------------------------ */
/* Import (episode_import.c)                                            */
/* ------------------------------------------------------------------ */

struct episode_import_result {
	long read, imported, refused, overlaps;
	char error[256]; /* why nothing was imported */
};

struct csv;
#include <stdio.h>

/*
 * episode_import() loads the CSV in (header: PESEL, Instrument, Start /
 * Początek, Planowany koniec, Faktyczny koniec, Koszt, Status, Projekt,
 * Rezultat — matched without case or diacritics) as institution inst's
 * episodes, persons found by PESEL among inst's live records, in one
 * transaction ended with its audit row (episode.import). Refused rows go
 * to rejects (may be NULL) with their reasons. Overlaps are recorded as
 * acknowledged. 0 (see r for counts), -1 nothing imported (r->error).
 */
int episode_import(struct db *db, struct arena *a, const struct registry_writer *w, struct csv *in,
		   int64_t inst, FILE *rejects, struct episode_import_result *r);

#endif
