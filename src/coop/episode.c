/*
 * episode.c — support instruments, episodes, duplicated support and its
 * alerts and report (episode.h).
 */
#include "coop/episode.h"

#include <stdio.h>
#include <string.h>

#include "auth/role.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/str.h"
#include "registry/check.h"
#include "registry/history.h"
#include "registry/situation.h"

#include "coop/agreement.h"
#include "coop/consent.h"
#include "link/store.h"

/* Statements */
static const struct db_sql SQL_INSTRUMENTS =
	DB_SQL("SELECT code, label_pl, label_en, category, kind, legal_basis, valid_from, valid_to "
	       "FROM instrument ORDER BY sort, code");
static const struct db_sql SQL_INSTRUMENT =
	DB_SQL("SELECT kind, valid_from, valid_to FROM instrument WHERE code = ?");
static const struct db_sql SQL_PERSON_INST =
	DB_SQL("SELECT institution_id FROM person WHERE id = ? AND deleted_at IS NULL");
/* episode_person (person_id, kind, start_date): the partner's episodes of one kind starting by the end */
static const struct db_sql SQL_OVERLAPPING =
	DB_SQL("SELECT e.id, e.institution_id, e.instrument_code, e.start_date, "
	       "COALESCE(e.actual_end, e.planned_end) FROM episode e "
	       "WHERE e.person_id = ? AND e.kind = ? AND e.start_date <= ? AND e.withdrawn = 0 "
	       "AND e.institution_id <> ? "
	       "AND COALESCE(e.actual_end, e.planned_end, '9999-12-31') >= ? ORDER BY e.start_date, e.id");
static const struct db_sql SQL_INST_NAME = DB_SQL("SELECT name FROM institution WHERE id = ?");
static const struct db_sql SQL_INSTRUMENT_LABEL =
	DB_SQL("SELECT label_pl, label_en FROM instrument WHERE code = ?");
static const struct db_sql SQL_EPISODE_INSERT =
	DB_SQL("INSERT INTO episode (institution_id, person_id, instrument_code, kind, project, "
	       "start_date, planned_end, actual_end, cost_grosze, status, outcome, created_at, created_by) "
	       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_EPISODE_UPDATE =
	DB_SQL("UPDATE episode SET instrument_code = ?, kind = ?, project = ?, start_date = ?, "
	       "planned_end = ?, actual_end = ?, cost_grosze = ?, status = ?, outcome = ?, "
	       "updated_at = ?, updated_by = ? WHERE id = ?");
#define EPISODE_COLS                                                                              \
	"SELECT e.id, e.institution_id, e.person_id, e.instrument_code, e.project, e.start_date, "  \
	"e.planned_end, e.actual_end, e.cost_grosze, e.status, e.outcome, e.withdrawn, e.kind, "   \
	"i.label_pl, i.label_en, n.name, e.created_at FROM episode e "                              \
	"JOIN instrument i ON i.code = e.instrument_code JOIN institution n ON n.id = e.institution_id "
static const struct db_sql SQL_EPISODE_GET = DB_SQL(EPISODE_COLS "WHERE e.id = ?");
static const struct db_sql SQL_EPISODE_PERSON =
	DB_SQL(EPISODE_COLS "WHERE e.person_id = ? ORDER BY e.start_date DESC, e.id DESC LIMIT 500");
static const struct db_sql SQL_OVERLAP_FIND =
	DB_SQL("SELECT id FROM support_overlap WHERE (episode_a = ? AND episode_b = ?) "
	       "OR (episode_a = ? AND episode_b = ?)");
static const struct db_sql SQL_OVERLAP_INSERT =
	DB_SQL("INSERT INTO support_overlap (episode_a, episode_b, kind, overlap_from, overlap_to, "
	       "found_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_ALERT_INSERT =
	DB_SQL("INSERT INTO alert (institution_id, overlap_id, episode_id, state, created_at) "
	       "VALUES (?, ?, ?, 'open', ?) RETURNING id");
static const struct db_sql SQL_ALERT_HIST =
	DB_SQL("INSERT INTO alert_history (alert_id, state, comment, at, by_user) VALUES (?, ?, ?, ?, ?)");
#define ALERT_COLS                                                                                 \
	"SELECT al.id, al.institution_id, al.overlap_id, al.episode_id, al.state, al.comment, "      \
	"al.created_at, al.resolved_at, o.kind, o.overlap_from, o.overlap_to, i.label_pl, i.label_en, " \
	"me.person_id, ot.id, ot.institution_id, ot.person_id, ot.instrument_code, ot.start_date, "  \
	"COALESCE(ot.actual_end, ot.planned_end) FROM alert al "                                    \
	"JOIN support_overlap o ON o.id = al.overlap_id JOIN episode me ON me.id = al.episode_id "   \
	"JOIN instrument i ON i.code = me.instrument_code "                                          \
	"JOIN episode ot ON ot.id = CASE WHEN o.episode_a = al.episode_id THEN o.episode_b ELSE o.episode_a END "
static const struct db_sql SQL_ALERT_LIST =
	DB_SQL(ALERT_COLS "WHERE al.institution_id = ? ORDER BY al.created_at DESC, al.id DESC LIMIT ?");
static const struct db_sql SQL_ALERT_LIST_STATE =
	DB_SQL(ALERT_COLS "WHERE al.institution_id = ? AND al.state = ? "
	       "ORDER BY al.created_at DESC, al.id DESC LIMIT ?");
static const struct db_sql SQL_ALERT_GET = DB_SQL(ALERT_COLS "WHERE al.id = ?");
static const struct db_sql SQL_ALERT_OPEN =
	DB_SQL("SELECT COUNT(*) FROM alert WHERE institution_id = ? AND state = 'open'");
static const struct db_sql SQL_ALERT_SET =
	DB_SQL("UPDATE alert SET state = ?, comment = ?, resolved_by = ?, resolved_at = ? WHERE id = ?");
static const struct db_sql SQL_EPISODE_WITHDRAW =
	DB_SQL("UPDATE episode SET withdrawn = 1, updated_at = ?, updated_by = ? WHERE id = ?");
static const struct db_sql SQL_ALERT_EVENTS =
	DB_SQL("SELECT h.state, h.comment, h.at, u.full_name FROM alert_history h "
	       "LEFT JOIN app_user u ON u.id = h.by_user WHERE h.alert_id = ? ORDER BY h.id");
/* the report: one row per overlap (the persons are humans: a cluster or a PESEL counts once), the powiat of episode a's institution (TERC's first 4 digits) */
static const struct db_sql SQL_DUP_REPORT =
	DB_SQL("SELECT substr(n.terc, 1, 4) AS pw, o.kind, COUNT(*), "
	       "COUNT(DISTINCT COALESCE(CAST(ca.cluster_id AS TEXT), pa.pesel, CAST(a.person_id AS TEXT))), "
	       "SUM(COALESCE(a.cost_grosze, 0) + COALESCE(b.cost_grosze, 0)), MIN(t.name) "
	       "FROM support_overlap o JOIN episode a ON a.id = o.episode_a "
	       "JOIN person pa ON pa.id = a.person_id LEFT JOIN person_cluster ca ON ca.person_id = a.person_id "
	       "JOIN episode b ON b.id = o.episode_b JOIN institution n ON n.id = a.institution_id "
	       "LEFT JOIN territory_unit t ON t.code = substr(n.terc, 1, 4) "
	       "WHERE o.overlap_from >= ? AND o.overlap_from <= ? AND n.terc IS NOT NULL "
	       "AND (? = '' OR (n.terc >= ? AND n.terc < ?)) "
	       "AND (? = 0 OR a.institution_id = ? OR b.institution_id = ?) "
	       "GROUP BY substr(n.terc, 1, 4), o.kind ORDER BY 1, 2");

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static const char *label_col(struct arena *a, struct db_stmt *st, int pl)
{
	return arena_strdup(a, db_col_text(st, i18n_lang() == LANG_EN ? pl + 1 : pl));
}

static void now_iso(char out[CLOCK_ISO_LEN])
{
	clock_iso(clock_now(), out);
}

static const char *by(const struct registry_writer *w)
{
	return w->audit.user_id > 0 ? "i" : "n";
}

static const char *i64s(struct arena *a, int64_t v)
{
	return v < 0 ? NULL : arena_printf(a, "%lld", (long long)v);
}

static int in_list(const char *const *list, const char *code)
{
	int i;

	for (i = 0; code != NULL && list[i] != NULL; i++)
		if (strcmp(list[i], code) == 0)
			return 1;
	return 0;
}

/* the end of an episode for overlaps: actual, else planned, else open */
static const char *end_of(const struct episode *e)
{
	return e->actual_end != NULL ? e->actual_end : e->planned_end;
}

/* ------------------------------------------------------------------ */
/* Instruments                                                         */
/* ------------------------------------------------------------------ */

int instrument_list(struct db *db, struct arena *a, struct instrument **out)
{
	struct db_stmt *st = db_query(db, &SQL_INSTRUMENTS, NULL);
	int n = 0, cap = 64, rc;

	*out = NULL;
	if (st == NULL)
		return -1;
	*out = arena_zalloc(a, sizeof(**out) * (size_t)cap);
	while (*out != NULL && (rc = db_step(st)) == DB_ROW && n < cap) {
		(*out)[n++] = (struct instrument){ registry_col(a, st, 0), label_col(a, st, 1),
						   registry_col(a, st, 3), registry_col(a, st, 4),
						   registry_col(a, st, 5), registry_col(a, st, 6),
						   registry_col(a, st, 7) };
	}
	db_reset(st);
	return *out == NULL || rc < 0 ? -1 : n;
}

const char *instrument_category_label(const char *c)
{
	static const char *const codes[] = { "active_integration_social", "active_integration_vocational",
					     "active_integration_educational", "active_integration_health",
					     "labour_market_service", "labour_market_instrument",
					     "social_employment" };
	static const char *const labels[] = { N_("Social activation"), N_("Vocational activation"),
					      N_("Educational activation"), N_("Health activation"),
					      N_("Labour-market service"), N_("Labour-market instrument"),
					      N_("Social employment") };
	size_t i;

	for (i = 0; c != NULL && i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(codes[i], c) == 0)
			return _(labels[i]);
	return c != NULL ? c : "";
}

const char *const episode_statuses[] = { "planned", "ongoing", "completed", "interrupted", NULL };

const char *episode_status_label(const char *s)
{
	if (s == NULL)
		return "";
	if (strcmp(s, "planned") == 0)
		return _("Planned");
	if (strcmp(s, "ongoing") == 0)
		return _("Ongoing");
	if (strcmp(s, "completed") == 0)
		return _("Completed");
	if (strcmp(s, "interrupted") == 0)
		return _("Interrupted");
	return s;
}

/* ------------------------------------------------------------------ */
/* Agreements and the same human                                       */
/* ------------------------------------------------------------------ */

static int agreement_default(struct db *db, int64_t a, int64_t b, const char *form, const char *date)
{
	int rc = agreement_in_force(db, a, b, form, date, NULL);

	return rc < 0 ? -1 : rc > 0 ? 1 : 0;
}

episode_agreement_fn episode_agreement_hook = agreement_default;

/* the links (same cluster) and the equal PESEL: link/store.h */
int same_human(struct db *db, int64_t person_id, int64_t *out, int max)
{
	return link_same_human(db, person_id, out, max);
}

/* ------------------------------------------------------------------ */
/* Validation                                                          */
/* ------------------------------------------------------------------ */

static void check_end(struct verrs *v, const char *field, const char *label, const char *end,
		      const char *start, int start_ok)
{
	if (registry_check_date(v, field, label, end, 0) == 0 && start_ok && end != NULL &&
	    strcmp(end, start) < 0)
		verrs_add(v, field, "before_start", _("%s: the end cannot be before the start (%s)."),
			  _(label), start);
}

static void cost_error(struct verrs *v, int rc)
{
	if (rc == MONEY_DECIMALS)
		verrs_add(v, "cost", "invalid", "%s", _("Amount: at most two digits after the comma (grosze)."));
	else if (rc == MONEY_NEGATIVE)
		verrs_add(v, "cost", "invalid", "%s", _("Amount: cannot be negative."));
	else if (rc == MONEY_TOO_LARGE)
		verrs_add(v, "cost", "too_large", "%s", _("Amount: too large (at most 1 000 000 000,00 zł)."));
	else
		verrs_add(v, "cost", "invalid", "%s",
			  _("Amount: enter an amount in złoty with a decimal comma, e.g. 1 234,56."));
}

static int check_instrument(struct db *db, struct arena *a, struct episode *e, int start_ok,
			    struct verrs *v)
{
	struct db_stmt *st;
	int rc;

	if (e->instrument_code == NULL) {
		verrs_add(v, "instrument", "required", "%s", _("Instrument: choose an instrument."));
		return 0;
	}
	if ((st = db_query(db, &SQL_INSTRUMENT, "t", e->instrument_code)) == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		const char *vf = db_col_is_null(st, 1) ? NULL : db_col_text(st, 1);
		const char *vt = db_col_is_null(st, 2) ? NULL : db_col_text(st, 2);

		e->kind = arena_strdup(a, db_col_text(st, 0));
		if (start_ok && ((vf != NULL && strcmp(e->start_date, vf) < 0) ||
				 (vt != NULL && strcmp(e->start_date, vt) > 0)))
			verrs_add(v, "instrument", "not_valid", "%s",
				  _("Instrument: this instrument was not in force on the start date."));
	} else if (rc >= 0) {
		verrs_add(v, "instrument", "invalid", "%s",
			  _("Instrument: choose an instrument from the list."));
	}
	db_reset(st);
	return rc < 0 ? -1 : 0;
}

int episode_validate(struct db *db, struct arena *a, struct episode *e, const char *cost_text,
		     struct verrs *v)
{
	int before = v->n, start_ok, rc;

	e->instrument_code = registry_clean(a, e->instrument_code);
	e->project = registry_clean(a, e->project);
	e->start_date = registry_clean(a, e->start_date);
	e->planned_end = registry_clean(a, e->planned_end);
	e->actual_end = registry_clean(a, e->actual_end);
	e->status = registry_clean(a, e->status);
	e->outcome = registry_clean(a, e->outcome);
	if (cost_text != NULL) {
		cost_text = registry_clean(a, cost_text);
		e->cost_grosze = -1;
		if (cost_text != NULL && (rc = money_parse(cost_text, &e->cost_grosze)) != 0) {
			cost_error(v, rc);
			e->cost_grosze = -1;
		}
	} else if (e->cost_grosze < -1) {
		verrs_add(v, "cost", "invalid", "%s", _("Amount: cannot be negative."));
	}
	start_ok = registry_check_date(v, "start", N_("Start"), e->start_date, 1) == 0;
	check_end(v, "planned_end", N_("Planned end"), e->planned_end, e->start_date, start_ok);
	check_end(v, "actual_end", N_("Actual end"), e->actual_end, e->start_date, start_ok);
	if (e->status == NULL)
		e->status = "planned";
	if (!in_list(episode_statuses, e->status))
		verrs_add(v, "status", "invalid", "%s", _("Status: choose a status from the list."));
	if (e->project != NULL && utf8_length(e->project) > 200)
		verrs_add(v, "project", "too_long", _("%s: at most %zu characters."), _("Project"), (size_t)200);
	if (e->outcome != NULL && utf8_length(e->outcome) > 2000)
		verrs_add(v, "outcome", "too_long", _("%s: at most %zu characters."), _("Outcome"), (size_t)2000);
	if (check_instrument(db, a, e, start_ok, v) < 0)
		return -1;
	return v->n - before;
}

/* ------------------------------------------------------------------ */
/* Overlaps                                                            */
/* ------------------------------------------------------------------ */

static const char *max_s(const char *x, const char *y)
{
	return strcmp(x, y) >= 0 ? x : y;
}

/* the earlier of two ends, NULL being open */
static const char *min_end(const char *x, const char *y)
{
	if (x == NULL)
		return y;
	if (y == NULL)
		return x;
	return strcmp(x, y) <= 0 ? x : y;
}

static int name_of(struct db *db, struct arena *a, const struct db_sql *sql, const char *t,
		   int64_t id, int two, const char **out)
{
	struct db_stmt *st = t != NULL ? db_query(db, sql, "t", t) : db_query(db, sql, "i", id);
	int rc;

	*out = NULL;
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		*out = two ? label_col(a, st, 0) : registry_col(a, st, 0);
	db_reset(st);
	return rc < 0 ? -1 : 0;
}

/*
 * disclose() fills the partner's side of o when the sharing rule lets who
 * read the partner's person record for cooperation; the decision is made
 * for the record, like any read of it (policy_decide()).
 */
static int disclose(struct db *db, struct arena *a, const struct policy_actor *who,
		    struct episode_overlap *o, const char *instrument)
{
	struct policy_subject s = { POLICY_PERSON, o->other_person, o->other_institution, 0, NULL };
	struct policy_decision d;

	if (who == NULL)
		return 0;
	/* the facts of the rule (agreement, consent for labour-market activation), read now */
	if (!who->cli && consent_facts(db, a, o->other_person, o->other_institution, who->institution_id,
				       NULL, &s.coop) < 0)
		return -1;
	/* the partner's episode is told only where the agreement lets support data flow */
	if (policy_decide(who, &s, PURPOSE_COOPERATION, &d) != 0 || !d.allowed ||
	    !(d.data & DATA_BIT(DATA_SUPPORT)))
		return 0;
	o->disclosed = 1;
	o->episode_id = o->other_episode;
	o->institution_id = o->other_institution;
	o->instrument_code = arena_strdup(a, instrument);
	o->from = o->other_from;
	o->to = o->other_to;
	if (name_of(db, a, &SQL_INST_NAME, NULL, o->institution_id, 0, &o->institution_name) < 0 ||
	    name_of(db, a, &SQL_INSTRUMENT_LABEL, instrument, 0, 1, &o->instrument_label) < 0)
		return -1;
	return 0;
}

/* overlaps_of_record() adds the overlaps of e with the episodes of another record of the same human. */
static int overlaps_of_record(struct db *db, struct arena *a, const struct episode *e, int64_t other,
			      struct episode_overlap *out, int *n)
{
	const char *end = end_of(e);
	struct db_stmt *st = db_query(db, &SQL_OVERLAPPING, "ittit", other, e->kind,
				      end != NULL ? end : "9999-12-31", e->institution_id, e->start_date);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && *n < OVERLAPS_MAX) {
		struct episode_overlap *o = &out[*n];
		const char *ofrom = db_col_text(st, 3);
		const char *oto = db_col_is_null(st, 4) ? NULL : db_col_text(st, 4);

		if (e->id > 0 && db_col_int(st, 0) == e->id)
			continue;
		*o = (struct episode_overlap){ 0 };
		o->other_episode = db_col_int(st, 0);
		o->other_institution = db_col_int(st, 1);
		o->other_person = other;
		o->instrument_code = registry_col(a, st, 2); /* kept until disclose() decides */
		o->other_from = arena_strdup(a, ofrom);
		o->other_to = oto != NULL ? arena_strdup(a, oto) : NULL;
		o->kind = e->kind;
		(*n)++;
	}
	db_reset(st);
	return rc < 0 ? -1 : 0;
}

/* partner_ok() asks the agreement check once per partner institution (cache of pairs inst, answer). */
static int partner_ok(struct db *db, int64_t own, int64_t inst, const char *date, int64_t *cache,
		      int *ncache)
{
	int j, ok;

	for (j = 0; j < *ncache; j++)
		if (cache[2 * j] == inst)
			return (int)cache[2 * j + 1];
	ok = episode_agreement_hook(db, own, inst, "information_exchange", date);
	if (ok < 0)
		return -1;
	if (*ncache < SAME_HUMAN_MAX) {
		cache[2 * *ncache] = inst;
		cache[2 * *ncache + 1] = ok;
		(*ncache)++;
	}
	return ok;
}

int episode_overlaps(struct db *db, struct arena *a, const struct policy_actor *who,
		     const struct episode *e, struct episode_overlap **out)
{
	int64_t others[SAME_HUMAN_MAX], cache[2 * SAME_HUMAN_MAX];
	int nothers, i, n = 0, kept = 0, ncache = 0, ok;
	char t[16];
	struct episode_overlap *o;

	*out = NULL;
	if (e->withdrawn || e->kind == NULL || e->start_date == NULL)
		return 0;
	if ((nothers = same_human(db, e->person_id, others, SAME_HUMAN_MAX)) <= 0)
		return nothers;
	if ((o = arena_zalloc(a, sizeof(*o) * OVERLAPS_MAX)) == NULL)
		return -1;
	for (i = 0; i < nothers; i++)
		if (overlaps_of_record(db, a, e, others[i], o, &n) < 0)
			return -1;
	registry_today(t);
	for (i = 0; i < n; i++) {
		struct episode_overlap x = o[i];
		const char *instrument = x.instrument_code;

		if ((ok = partner_ok(db, e->institution_id, x.other_institution, t, cache, &ncache)) < 0)
			return -1;
		if (!ok)
			continue; /* no agreement with information exchange: nothing about them */
		x.instrument_code = NULL;
		x.from = NULL;
		x.to = NULL;
		if (disclose(db, a, who, &x, instrument) < 0)
			return -1;
		x.from = x.disclosed ? x.other_from : NULL;
		x.to = x.disclosed ? x.other_to : NULL;
		o[kept++] = x;
	}
	*out = o;
	return kept;
}

/* the overlapping period of e and the partner's episode */
static void overlap_period(const struct episode *e, const struct episode_overlap *o, const char **from,
			   const char **to)
{
	*from = max_s(e->start_date, o->other_from);
	*to = min_end(end_of(e), o->other_to);
}

static int alert_add(struct db *db, const struct registry_writer *w, int64_t inst, int64_t overlap,
		     int64_t episode, const char *now)
{
	int64_t id = 0;

	if (db_get_int(db, &id, &SQL_ALERT_INSERT, "iiit", inst, overlap, episode, now) != DB_ROW)
		return -1;
	return db_run(db, &SQL_ALERT_HIST, w->audit.user_id > 0 ? "ittti" : "itttn", id, "open",
		      (const char *)NULL, now, w->audit.user_id) == DB_OK
		       ? 0
		       : -1;
}

/* record() keeps each overlap not yet known, with an alert for both institutions. */
static int record(struct db *db, const struct registry_writer *w, const struct episode *e,
		  struct episode_overlap *ov, int n)
{
	char now[CLOCK_ISO_LEN];
	int i;

	now_iso(now);
	for (i = 0; i < n; i++) {
		struct episode_overlap *o = &ov[i];
		const char *from, *to;
		int64_t id = 0;
		int rc = db_get_int(db, &id, &SQL_OVERLAP_FIND, "iiii", e->id, o->other_episode,
				    o->other_episode, e->id);

		if (rc < 0)
			return -1;
		if (rc == DB_ROW) {
			o->overlap_id = id;
			continue;
		}
		overlap_period(e, o, &from, &to);
		if (db_get_int(db, &id, &SQL_OVERLAP_INSERT, "iitttt", e->id, o->other_episode, e->kind,
			       from, to, now) != DB_ROW)
			return -1;
		o->overlap_id = id;
		if (alert_add(db, w, e->institution_id, id, e->id, now) < 0 ||
		    alert_add(db, w, o->other_institution, id, o->other_episode, now) < 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Episodes                                                            */
/* ------------------------------------------------------------------ */

static void episode_row(struct arena *a, struct db_stmt *st, struct episode *o)
{
	*o = (struct episode){ .id = db_col_int(st, 0),
			       .institution_id = db_col_int(st, 1),
			       .person_id = db_col_int(st, 2),
			       .instrument_code = registry_col(a, st, 3),
			       .project = registry_col(a, st, 4),
			       .start_date = registry_col(a, st, 5),
			       .planned_end = registry_col(a, st, 6),
			       .actual_end = registry_col(a, st, 7),
			       .cost_grosze = db_col_is_null(st, 8) ? -1 : db_col_int(st, 8),
			       .status = registry_col(a, st, 9),
			       .outcome = registry_col(a, st, 10),
			       .withdrawn = (int)db_col_int(st, 11),
			       .kind = registry_col(a, st, 12),
			       .instrument_label = label_col(a, st, 13),
			       .institution_name = registry_col(a, st, 15),
			       .created_at = registry_col(a, st, 16) };
}

int episode_get(struct db *db, struct arena *a, int64_t id, struct episode *out)
{
	struct db_stmt *st = db_query(db, &SQL_EPISODE_GET, "i", id);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		episode_row(a, st, out);
	db_reset(st);
	return rc < 0 ? -1 : rc == DB_ROW ? 0 : EPISODE_NOT_FOUND;
}

int episode_person_list(struct db *db, struct arena *a, int64_t person_id, struct episode **out)
{
	struct db_stmt *st = db_query(db, &SQL_EPISODE_PERSON, "i", person_id);
	int n = 0, rc;

	*out = NULL;
	if (st == NULL)
		return -1;
	*out = arena_zalloc(a, sizeof(**out) * 500);
	while (*out != NULL && (rc = db_step(st)) == DB_ROW && n < 500)
		episode_row(a, st, &(*out)[n++]);
	db_reset(st);
	return *out == NULL || rc < 0 ? -1 : n;
}

/*
 * may_write() is 0 when w may write episodes of institution inst;
 * EPISODE_NOT_FOUND for another institution's (or no) record, whose
 * existence is not told; 1 with the reason when w's role may not.
 */
static int may_write(const struct registry_writer *w, int64_t inst, struct verrs *v)
{
	if (inst <= 0 || (!w->policy.cli && w->policy.institution_id != inst))
		return EPISODE_NOT_FOUND;
	return registry_may_write(w, inst, v) != 0 ? 1 : 0;
}

static const char *summary(struct arena *a, const struct episode *e)
{
	return arena_printf(a, "%s %s–%s", e->instrument_code, e->start_date,
			    end_of(e) != NULL ? end_of(e) : "");
}

/* check_overlaps() finds e's overlaps; with some and no acknowledgement the save stops there. */
static int check_overlaps(struct db *db, struct arena *a, const struct registry_writer *w,
			  const struct episode *e, int acknowledge, struct episode_overlap **ov, int *nov)
{
	struct episode_overlap *o = NULL;
	int n = episode_overlaps(db, a, &w->policy, e, &o);

	if (ov != NULL)
		*ov = o;
	if (nov != NULL)
		*nov = n < 0 ? 0 : n;
	if (n < 0)
		return -1;
	return n > 0 && !acknowledge ? EPISODE_DUPLICATE : 0;
}

int episode_create(struct db *db, struct arena *a, const struct registry_writer *w,
		   struct episode *e, int acknowledge, int64_t *id, struct episode_overlap **ov,
		   int *nov, struct verrs *v)
{
	struct history_entry h = { .entity = "episode" };
	struct episode_overlap *o = NULL;
	char now[CLOCK_ISO_LEN];
	int64_t inst = 0;
	int rc, n = 0;

	if (ov != NULL)
		*ov = NULL;
	if (nov != NULL)
		*nov = 0;
	rc = db_get_int(db, &inst, &SQL_PERSON_INST, "i", e->person_id);
	if (rc < 0)
		return -1;
	if (rc == DB_DONE)
		inst = 0;
	if (e->institution_id > 0 && e->institution_id != inst) {
		verrs_add(v, "person_id", "other_institution", "%s",
			  _("Person: choose your institution's own record of the person."));
		return 1;
	}
	if ((rc = may_write(w, inst, v)) != 0)
		return rc;
	e->institution_id = inst;
	e->id = 0;
	if ((rc = check_overlaps(db, a, w, e, acknowledge, &o, &n)) != 0) {
		if (ov != NULL)
			*ov = o;
		if (nov != NULL)
			*nov = n;
		return rc;
	}
	now_iso(now);
	if (db_get_int(db, id, &SQL_EPISODE_INSERT, arena_printf(a, "iitttttttttt%s", by(w)), inst,
		       e->person_id, e->instrument_code, e->kind, e->project, e->start_date,
		       e->planned_end, e->actual_end, i64s(a, e->cost_grosze), e->status, e->outcome,
		       now, w->audit.user_id) != DB_ROW)
		return -1;
	e->id = *id;
	h.entity_id = *id;
	h.person_id = e->person_id;
	h.institution_id = inst;
	h.change = HISTORY_CREATE;
	h.new_value = summary(a, e);
	if (history_add(db, w, &h) < 0 || record(db, w, e, o, n) < 0)
		return -1;
	if (ov != NULL)
		*ov = o;
	if (nov != NULL)
		*nov = n;
	return 0;
}

int episode_update(struct db *db, struct arena *a, const struct registry_writer *w,
		   struct episode *e, int acknowledge, struct episode_overlap **ov, int *nov,
		   struct verrs *v)
{
	static const char *const names[] = { "instrument_code", "project", "start_date", "planned_end",
					     "actual_end", "cost_grosze", "status", "outcome" };
	struct history_entry h = { .entity = "episode", .change = HISTORY_UPDATE };
	struct episode old;
	struct episode_overlap *o = NULL;
	char now[CLOCK_ISO_LEN];
	int rc = episode_get(db, a, e->id, &old), n = 0, i;

	if (ov != NULL)
		*ov = NULL;
	if (nov != NULL)
		*nov = 0;
	if (rc != 0)
		return rc;
	if ((rc = may_write(w, old.institution_id, v)) != 0)
		return rc;
	e->institution_id = old.institution_id;
	e->person_id = old.person_id;
	e->withdrawn = old.withdrawn;
	if ((rc = check_overlaps(db, a, w, e, acknowledge, &o, &n)) != 0) {
		if (ov != NULL)
			*ov = o;
		if (nov != NULL)
			*nov = n;
		return rc;
	}
	now_iso(now);
	if (db_run(db, &SQL_EPISODE_UPDATE, arena_printf(a, "tttttttttt%si", by(w)), e->instrument_code,
		   e->kind, e->project, e->start_date, e->planned_end, e->actual_end,
		   i64s(a, e->cost_grosze), e->status, e->outcome, now,
		   w->audit.user_id > 0 ? w->audit.user_id : e->id, e->id) != DB_OK)
		return -1;
	h.entity_id = e->id;
	h.person_id = e->person_id;
	h.institution_id = e->institution_id;
	{
		const char *olds[] = { old.instrument_code, old.project, old.start_date, old.planned_end,
				       old.actual_end, i64s(a, old.cost_grosze), old.status, old.outcome };
		const char *news[] = { e->instrument_code, e->project, e->start_date, e->planned_end,
				       e->actual_end, i64s(a, e->cost_grosze), e->status, e->outcome };

		for (i = 0; i < 8; i++)
			if (history_field(db, w, &h, names[i], olds[i], news[i]) < 0)
				return -1;
	}
	if (record(db, w, e, o, n) < 0)
		return -1;
	if (ov != NULL)
		*ov = o;
	if (nov != NULL)
		*nov = n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Alerts                                                              */
/* ------------------------------------------------------------------ */

const char *const alert_resolutions[] = { "coordinated", "intended", "withdrawn", NULL };

const char *alert_state_label(const char *s)
{
	if (s == NULL)
		return "";
	if (strcmp(s, "open") == 0)
		return _("Open");
	if (strcmp(s, "coordinated") == 0)
		return _("Coordinated with the partner");
	if (strcmp(s, "intended") == 0)
		return _("Intended (both kept)");
	if (strcmp(s, "withdrawn") == 0)
		return _("Withdrawn");
	return s;
}

static int alert_row(struct db *db, struct arena *a, const struct policy_actor *who,
		     struct db_stmt *st, struct alert *o)
{
	struct episode_overlap x = { 0 };

	*o = (struct alert){ .id = db_col_int(st, 0),
			     .institution_id = db_col_int(st, 1),
			     .overlap_id = db_col_int(st, 2),
			     .episode_id = db_col_int(st, 3),
			     .state = registry_col(a, st, 4),
			     .comment = registry_col(a, st, 5),
			     .created_at = registry_col(a, st, 6),
			     .resolved_at = registry_col(a, st, 7),
			     .kind = registry_col(a, st, 8),
			     .overlap_from = registry_col(a, st, 9),
			     .overlap_to = registry_col(a, st, 10),
			     .instrument_label = label_col(a, st, 11),
			     .person_id = db_col_int(st, 13) };
	x.other_episode = db_col_int(st, 14);
	x.other_institution = db_col_int(st, 15);
	x.other_person = db_col_int(st, 16);
	x.other_from = registry_col(a, st, 18);
	x.other_to = registry_col(a, st, 19);
	{
		const char *instrument = registry_col(a, st, 17);

		/* what the reader is told follows the sharing rule, decided now */
		(void)db;
		o->disclosed = 0;
		if (instrument == NULL)
			return -1;
		x.instrument_code = instrument;
		o->other_instrument_label = instrument; /* replaced below when disclosed */
	}
	(void)who;
	o->other_episode = x.other_episode;
	o->other_institution = x.other_institution;
	o->other_from = x.other_from;
	o->other_to = x.other_to;
	return 0;
}

/* alert_disclose() runs after the rows are read (the policy reads no statement of ours meanwhile). */
static int alert_disclose(struct db *db, struct arena *a, const struct policy_actor *who,
			  struct alert *o, int64_t other_person)
{
	struct episode_overlap x = { 0 };
	const char *instrument = o->other_instrument_label;

	x.other_episode = o->other_episode;
	x.other_institution = o->other_institution;
	x.other_person = other_person;
	x.other_from = o->other_from;
	x.other_to = o->other_to;
	if (disclose(db, a, who, &x, instrument) < 0)
		return -1;
	o->disclosed = x.disclosed;
	if (!x.disclosed) {
		o->other_episode = 0;
		o->other_institution = 0;
		o->other_institution_name = NULL;
		o->other_instrument_label = NULL;
		o->other_from = NULL;
		o->other_to = NULL;
	} else {
		o->other_institution_name = x.institution_name;
		o->other_instrument_label = x.instrument_label;
	}
	return 0;
}

static int alerts_read(struct db *db, struct arena *a, const struct policy_actor *who,
		       struct db_stmt *st, int max, struct alert **out)
{
	int64_t *persons;
	int n = 0, rc = DB_DONE, i;

	*out = arena_zalloc(a, sizeof(**out) * (size_t)(max > 0 ? max : 1));
	persons = arena_zalloc(a, sizeof(*persons) * (size_t)(max > 0 ? max : 1));
	if (st == NULL || *out == NULL || persons == NULL) {
		db_reset(st);
		return -1;
	}
	while (n < max && (rc = db_step(st)) == DB_ROW) {
		if (alert_row(db, a, who, st, &(*out)[n]) < 0)
			rc = -1;
		persons[n++] = db_col_int(st, 16);
	}
	db_reset(st);
	if (rc < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (alert_disclose(db, a, who, &(*out)[i], persons[i]) < 0)
			return -1;
	return n;
}

int alert_list(struct db *db, struct arena *a, const struct policy_actor *who, int64_t inst,
	       const char *state, int max, struct alert **out)
{
	struct db_stmt *st = state != NULL
				     ? db_query(db, &SQL_ALERT_LIST_STATE, "iti", inst, state, (int64_t)max)
				     : db_query(db, &SQL_ALERT_LIST, "ii", inst, (int64_t)max);

	return alerts_read(db, a, who, st, max, out);
}

int alert_get(struct db *db, struct arena *a, const struct policy_actor *who, int64_t id,
	      struct alert *out)
{
	struct alert *x = NULL;
	int n = alerts_read(db, a, who, db_query(db, &SQL_ALERT_GET, "i", id), 1, &x);

	if (n < 0)
		return -1;
	if (n == 0 || (!who->cli && x->institution_id != who->institution_id))
		return EPISODE_NOT_FOUND;
	*out = *x;
	return 0;
}

int alert_count_open(struct db *db, int64_t inst, int64_t *n)
{
	*n = 0;
	return db_get_int(db, n, &SQL_ALERT_OPEN, "i", inst) < 0 ? -1 : 0;
}

int alert_resolve(struct db *db, struct arena *a, const struct registry_writer *w, int64_t id,
		  const char *resolution, const char *comment, struct verrs *v)
{
	struct alert al;
	char now[CLOCK_ISO_LEN];
	int rc = alert_get(db, a, &w->policy, id, &al);

	if (rc != 0)
		return rc;
	if ((rc = may_write(w, al.institution_id, v)) != 0)
		return rc;
	comment = registry_clean(a, comment);
	if (!in_list(alert_resolutions, resolution))
		verrs_add(v, "resolution", "invalid", "%s",
			  _("Resolution: choose coordinated, intended or withdrawn."));
	if (comment != NULL && utf8_length(comment) > 2000)
		verrs_add(v, "comment", "too_long", _("%s: at most %zu characters."), _("Comment"), (size_t)2000);
	if (v->n > 0)
		return 1;
	now_iso(now);
	rc = w->audit.user_id > 0
		     ? db_run(db, &SQL_ALERT_SET, "ttiti", resolution, comment, w->audit.user_id, now, id)
		     : db_run(db, &SQL_ALERT_SET, "ttnti", resolution, comment, now, id);
	if (rc != DB_OK)
		return -1;
	if (db_run(db, &SQL_ALERT_HIST, w->audit.user_id > 0 ? "ittti" : "itttn", id, resolution,
		   comment, now, w->audit.user_id) != DB_OK)
		return -1;
	if (strcmp(resolution, "withdrawn") == 0 &&
	    db_run(db, &SQL_EPISODE_WITHDRAW, w->audit.user_id > 0 ? "tii" : "tni", now,
		   w->audit.user_id > 0 ? w->audit.user_id : al.episode_id, al.episode_id) != DB_OK)
		return -1;
	return 0;
}

int alert_history_read(struct db *db, struct arena *a, int64_t alert_id, struct alert_event **out)
{
	struct db_stmt *st = db_query(db, &SQL_ALERT_EVENTS, "i", alert_id);
	int n = 0, rc = DB_DONE;

	*out = arena_zalloc(a, sizeof(**out) * 100);
	if (st == NULL || *out == NULL) {
		db_reset(st);
		return -1;
	}
	while (n < 100 && (rc = db_step(st)) == DB_ROW) {
		(*out)[n] = (struct alert_event){ registry_col(a, st, 0), registry_col(a, st, 1),
						  registry_col(a, st, 2), registry_col(a, st, 3) };
		n++;
	}
	db_reset(st);
	return rc < 0 ? -1 : n;
}

/* ------------------------------------------------------------------ */
/* Report                                                              */
/* ------------------------------------------------------------------ */

int dup_report(struct db *db, struct arena *a, const char *terc, int year, int64_t inst,
	       int threshold, struct dup_row **out)
{
	char from[16], to[16], hi[16];
	const char *lo = terc != NULL ? terc : "";
	struct db_stmt *st;
	int n = 0, cap = 2000, rc = DB_DONE;
	size_t len = strlen(lo);

	snprintf(from, sizeof(from), "%04d-01-01", year);
	snprintf(to, sizeof(to), "%04d-12-31", year);
	/* the TERC prefix as a range: "3201" → ["3201", "3202"); "" = all */
	if (len == 0 || len >= sizeof(hi)) {
		lo = "";
		hi[0] = '\0';
	} else {
		snprintf(hi, sizeof(hi), "%s", lo);
		hi[len - 1]++;
	}
	st = db_query(db, &SQL_DUP_REPORT, "tttttiii", from, to, lo, lo, hi, inst, inst, inst);
	*out = arena_zalloc(a, sizeof(**out) * (size_t)cap);
	if (st == NULL || *out == NULL) {
		db_reset(st);
		return -1;
	}
	while (n < cap && (rc = db_step(st)) == DB_ROW) {
		struct dup_row *r = &(*out)[n++];

		*r = (struct dup_row){ registry_col(a, st, 0), registry_col(a, st, 5), registry_col(a, st, 1),
				       db_col_int(st, 2), db_col_int(st, 3), db_col_int(st, 4), 0 };
		if (threshold > 0 && r->persons < threshold) {
			r->suppressed = 1;
			r->overlaps = 0;
			r->persons = 0;
			r->cost_grosze = 0;
		}
	}
	db_reset(st);
	return rc < 0 ? -1 : n;
}
