/*
 * situation.c — reasons for assistance, labour-market status periods and
 * long-term unemployment, benefits, community interviews (situation.h).
 */
#include "registry/situation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/role.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/str.h"
#include "registry/check.h"
#include "registry/history.h"

/* Statements */
static const struct db_sql SQL_FAMILY_INST =
	DB_SQL("SELECT institution_id FROM family WHERE id = ? AND deleted_at IS NULL");
static const struct db_sql SQL_PERSON_INST =
	DB_SQL("SELECT institution_id FROM person WHERE id = ? AND deleted_at IS NULL");
static const struct db_sql SQL_USER_INST = DB_SQL("SELECT institution_id FROM app_user WHERE id = ?");
static const struct db_sql SQL_REASON_DICT =
	DB_SQL("SELECT code, label_pl, label_en, legal_basis, sens, parent_code, valid_from, valid_to "
	       "FROM assistance_reason ORDER BY sort, code");
static const struct db_sql SQL_REASON_DEF =
	DB_SQL("SELECT sens, valid_from, valid_to FROM assistance_reason WHERE code = ?");
static const struct db_sql SQL_REASON_OVERLAP =
	DB_SQL("SELECT COUNT(*) FROM family_reason WHERE family_id = ? AND reason_code = ? AND id <> ? "
	       "AND period_from <= COALESCE(?, '9999-12-31') AND COALESCE(period_to, '9999-12-31') >= ?");
static const struct db_sql SQL_REASON_INSERT =
	DB_SQL("INSERT INTO family_reason (institution_id, family_id, reason_code, period_from, "
	       "period_to, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_REASON_UPDATE =
	DB_SQL("UPDATE family_reason SET reason_code = ?, period_from = ?, period_to = ?, note = ? "
	       "WHERE id = ?");
static const struct db_sql SQL_REASON_SET_TO =
	DB_SQL("UPDATE family_reason SET period_to = ? WHERE id = ?");
#define REASON_COLS                                                                           \
	"SELECT fr.id, fr.institution_id, fr.family_id, fr.reason_code, fr.period_from, "     \
	"fr.period_to, fr.note, ar.label_pl, ar.label_en, ar.legal_basis, ar.sens, fr.created_at " \
	"FROM family_reason fr JOIN assistance_reason ar ON ar.code = fr.reason_code "
static const struct db_sql SQL_REASON_GET = DB_SQL(REASON_COLS "WHERE fr.id = ?");
static const struct db_sql SQL_REASON_LIST =
	DB_SQL(REASON_COLS "WHERE fr.family_id = ? ORDER BY fr.period_from DESC, fr.id DESC");

static const struct db_sql SQL_STATUS_OVERLAP =
	DB_SQL("SELECT COUNT(*) FROM labour_status WHERE person_id = ? AND id <> ? "
	       "AND from_date <= COALESCE(?, '9999-12-31') AND COALESCE(to_date, '9999-12-31') >= ?");
static const struct db_sql SQL_STATUS_INSERT =
	DB_SQL("INSERT INTO labour_status (institution_id, person_id, status, from_date, to_date, "
	       "dereg_reason, profile, source, created_at, created_by) "
	       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_STATUS_UPDATE =
	DB_SQL("UPDATE labour_status SET status = ?, from_date = ?, to_date = ?, dereg_reason = ?, "
	       "profile = ?, source = ? WHERE id = ?");
#define STATUS_COLS                                                                          \
	"SELECT id, institution_id, person_id, status, from_date, to_date, dereg_reason, profile, " \
	"source FROM labour_status "
static const struct db_sql SQL_STATUS_GET = DB_SQL(STATUS_COLS "WHERE id = ?");
static const struct db_sql SQL_STATUS_LIST =
	DB_SQL(STATUS_COLS "WHERE person_id = ? ORDER BY from_date DESC, id DESC");

static const struct db_sql SQL_FORMS =
	DB_SQL("SELECT code, label_pl, label_en, legal_basis, valid_from, valid_to, cash "
	       "FROM benefit_form ORDER BY sort, code");
static const struct db_sql SQL_FORM_DEF =
	DB_SQL("SELECT cash, valid_from, valid_to FROM benefit_form WHERE code = ?");
static const struct db_sql SQL_BENEFIT_INSERT =
	DB_SQL("INSERT INTO benefit (institution_id, person_id, family_id, form_code, amount_grosze, "
	       "period_from, period_to, decision_number, decision_date, created_at, created_by) "
	       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_BENEFIT_UPDATE =
	DB_SQL("UPDATE benefit SET family_id = ?, form_code = ?, amount_grosze = ?, period_from = ?, "
	       "period_to = ?, decision_number = ?, decision_date = ? WHERE id = ?");
#define BENEFIT_COLS                                                                             \
	"SELECT b.id, b.institution_id, b.person_id, b.family_id, b.form_code, b.amount_grosze, "  \
	"b.period_from, b.period_to, b.decision_number, b.decision_date, f.label_pl, f.label_en, " \
	"f.legal_basis, f.cash FROM benefit b JOIN benefit_form f ON f.code = b.form_code "
static const struct db_sql SQL_BENEFIT_GET = DB_SQL(BENEFIT_COLS "WHERE b.id = ?");
static const struct db_sql SQL_BENEFIT_LIST =
	DB_SQL(BENEFIT_COLS "WHERE b.person_id = ? ORDER BY b.period_from DESC, b.id DESC");
static const struct db_sql SQL_MEMBER_OF =
	DB_SQL("SELECT COUNT(*) FROM family_member WHERE family_id = ? AND person_id = ?");

static const struct db_sql SQL_INTERVIEW_INSERT =
	DB_SQL("INSERT INTO interview (institution_id, family_id, person_id, interview_date, "
	       "worker_id, housing, income, employment, health, family_relations, care_upbringing, "
	       "other, conclusions, work_plan, created_at, created_by, updated_at) "
	       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_INTERVIEW_UPDATE =
	DB_SQL("UPDATE interview SET person_id = ?, interview_date = ?, worker_id = ?, housing = ?, "
	       "income = ?, employment = ?, health = ?, family_relations = ?, care_upbringing = ?, "
	       "other = ?, conclusions = ?, work_plan = ?, updated_at = ? WHERE id = ?");
#define INTERVIEW_COLS                                                                          \
	"SELECT i.id, i.institution_id, i.family_id, i.person_id, i.interview_date, i.worker_id, " \
	"i.housing, i.income, i.employment, i.health, i.family_relations, i.care_upbringing, "    \
	"i.other, i.conclusions, i.work_plan, u.full_name, i.created_at, i.updated_at "          \
	"FROM interview i LEFT JOIN app_user u ON u.id = i.worker_id "
static const struct db_sql SQL_INTERVIEW_GET = DB_SQL(INTERVIEW_COLS "WHERE i.id = ?");
static const struct db_sql SQL_INTERVIEW_LIST =
	DB_SQL(INTERVIEW_COLS "WHERE i.family_id = ? ORDER BY i.interview_date DESC, i.id DESC");

static const struct db_sql SQL_OWNER_REASON = DB_SQL("SELECT family_id FROM family_reason WHERE id = ?");
static const struct db_sql SQL_OWNER_STATUS = DB_SQL("SELECT person_id FROM labour_status WHERE id = ?");
static const struct db_sql SQL_OWNER_BENEFIT = DB_SQL("SELECT person_id FROM benefit WHERE id = ?");
static const struct db_sql SQL_OWNER_INTERVIEW = DB_SQL("SELECT family_id FROM interview WHERE id = ?");

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

#define MAX_ROWS 500 /* rows one list shows (a family's reasons over decades stay far below) */

/* load_row() reads the one row of sql for id into out with fill(); 0, SITUATION_NOT_FOUND or -1. */
static int load_row(struct db *db, struct arena *a, const struct db_sql *sql, int64_t id,
		    void (*fill)(struct arena *a, struct db_stmt *st, void *o), void *out)
{
	struct db_stmt *st = db_query(db, sql, "i", id);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		fill(a, st, out);
	db_reset(st);
	return rc < 0 ? -1 : rc == DB_ROW ? 0 : SITUATION_NOT_FOUND;
}

static void now_iso(char out[CLOCK_ISO_LEN])
{
	clock_iso(clock_now(), out);
}

static const char *id_text(struct arena *a, int64_t id)
{
	return id > 0 ? arena_printf(a, "%lld", (long long)id) : NULL;
}

/* owner_of() is the owning institution of a live family/person (sql), 0 when none, -1 on error. */
static int64_t owner_of(struct db *db, const struct db_sql *sql, int64_t id)
{
	int64_t inst = 0;
	int rc = db_get_int(db, &inst, sql, "i", id);

	return rc < 0 ? -1 : rc == DB_ROW ? inst : 0;
}

/*
 * may_write() is 0 when w may change records owned by institution inst;
 * SITUATION_NOT_FOUND for another institution's (or no) record, whose
 * existence is not told; 1 with the reason in v when w's role may not
 * (registry_may_write(): the same rule as persons and families).
 */
static int may_write(const struct registry_writer *w, int64_t inst, struct verrs *v)
{
	if (inst <= 0 || (!w->policy.cli && w->policy.institution_id != inst))
		return SITUATION_NOT_FOUND;
	return registry_may_write(w, inst, v) != 0 ? 1 : 0;
}

/*
 * may_add() finds the institution of a new record's family or person
 * (sql, owner) into *inst and checks that w may write there; 0, -1 or
 * as may_write().
 */
static int may_add(struct db *db, const struct db_sql *sql, int64_t owner, const struct registry_writer *w,
		   int64_t *inst, struct verrs *v)
{
	*inst = owner_of(db, sql, owner);
	if (*inst < 0)
		return -1;
	return may_write(w, *inst, v);
}

/*
 * may_change() checks that the family or person (sql, owner) of a stored
 * record is still there and that w may write in its institution inst;
 * 0, SITUATION_NOT_FOUND or as may_write().
 */
static int may_change(struct db *db, const struct db_sql *sql, int64_t owner, int64_t inst,
		      const struct registry_writer *w, struct verrs *v)
{
	if (owner_of(db, sql, owner) <= 0)
		return SITUATION_NOT_FOUND;
	return may_write(w, inst, v);
}

/* writer_mask() is what the writer may see: a labour adviser never writes special categories. */
static unsigned writer_mask(const struct registry_writer *w)
{
	return w->policy.cli ? SENS_ALL : policy_mask(w->policy.roles, PURPOSE_CASEWORK);
}

/* A date field: required or optional, real, and (with not_future) not after today. */
static int check_date(struct verrs *v, const char *field, const char *label, const char *value,
		      int required, int not_future)
{
	char t[16];
	int rc = registry_check_date(v, field, label, value, required);

	if (rc != 0 || value == NULL)
		return rc;
	registry_today(t);
	if (not_future && strcmp(value, t) > 0) {
		verrs_add(v, field, "future", _("%s: the date cannot be in the future."), _(label));
		return -1;
	}
	return 0;
}

/* check_period() checks from (required) and to (optional, not before from). */
static void check_period(struct verrs *v, const char *ffield, const char *flabel, const char *from,
			 const char *tfield, const char *tlabel, const char *to, int from_not_future)
{
	int ok = check_date(v, ffield, flabel, from, 1, from_not_future) == 0;

	if (check_date(v, tfield, tlabel, to, 0, 0) == 0 && ok && to != NULL && strcmp(to, from) < 0)
		verrs_add(v, tfield, "before_start", _("%s: the end cannot be before the start (%s)."),
			  _(tlabel), from);
}

static int in_list(const char *const *list, const char *code)
{
	int i;

	for (i = 0; code != NULL && list[i] != NULL; i++)
		if (strcmp(list[i], code) == 0)
			return 1;
	return 0;
}

static int check_text(struct verrs *v, const char *field, const char *label, const char *s, size_t max)
{
	if (s == NULL)
		return 0;
	if (utf8_length(s) > max) {
		verrs_add(v, field, "too_long", _("%s: at most %zu characters."), _(label), max);
		return -1;
	}
	return 0;
}

/* history helpers: one base entry per record, fields compared one by one */
static int hist_create(struct db *db, const struct registry_writer *w, struct history_entry *e,
		       const char *summary)
{
	e->change = HISTORY_CREATE;
	e->field = NULL;
	e->old_value = NULL;
	e->new_value = summary;
	return history_add(db, w, e);
}

static int hist_fields(struct db *db, const struct registry_writer *w, struct history_entry *e,
		       const char *const *names, const char *const *olds, const char *const *news, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (history_field(db, w, e, names[i], olds[i], news[i]) < 0)
			return -1;
	return 0;
}

static const char *i64s(struct arena *a, int64_t v)
{
	return v < 0 ? NULL : arena_printf(a, "%lld", (long long)v);
}

/* ------------------------------------------------------------------ */
/* Reasons                                                             */
/* ------------------------------------------------------------------ */

int reason_sens_class(const char *sens)
{
	if (str_eq(sens, "health"))
		return SENS_HEALTH;
	if (str_eq(sens, "addiction"))
		return SENS_ADDICTION;
	if (str_eq(sens, "violence"))
		return SENS_VIOLENCE;
	return SENS_SOCIAL;
}

static int sens_allowed(unsigned mask, const char *sens)
{
	return (mask & SENS_BIT(SENS_SOCIAL)) && (mask & SENS_BIT(reason_sens_class(sens)));
}

static const char *pick_label(struct db_stmt *st, int pl)
{
	return db_col_text(st, i18n_lang() == LANG_EN ? pl + 1 : pl);
}

int reason_dictionary(struct db *db, struct arena *a, unsigned mask, struct reason_def **out)
{
	struct db_stmt *st = db_query(db, &SQL_REASON_DICT, NULL);
	struct reason_def *d;
	int n = 0, rc;

	*out = d = arena_zalloc(a, sizeof(*d) * 64);
	if (st == NULL || d == NULL) {
		db_reset(st);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW && n < 64) {
		if (!sens_allowed(mask, db_col_text(st, 4)))
			continue;
		d[n] = (struct reason_def){ registry_col(a, st, 0), arena_strdup(a, pick_label(st, 1)),
					    registry_col(a, st, 3), registry_col(a, st, 4),
					    registry_col(a, st, 5), registry_col(a, st, 6),
					    registry_col(a, st, 7) };
		n++;
	}
	db_reset(st);
	return rc < 0 ? -1 : n;
}

int reason_validate(struct db *db, struct arena *a, struct family_reason *r, unsigned mask,
		    struct verrs *v)
{
	struct db_stmt *st;
	int before = v->n, rc;

	r->reason_code = registry_clean(a, r->reason_code);
	r->period_from = registry_clean(a, r->period_from);
	r->period_to = registry_clean(a, r->period_to);
	r->note = registry_clean(a, r->note);
	check_period(v, "period_from", N_("Period from"), r->period_from, "period_to", N_("Period to"),
		     r->period_to, 0);
	check_text(v, "note", N_("Note"), r->note, 2000);
	if (r->reason_code == NULL) {
		verrs_add(v, "reason_code", "required", "%s", _("Reason: choose a reason for assistance."));
		return v->n - before;
	}
	st = db_query(db, &SQL_REASON_DEF, "t", r->reason_code);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW && sens_allowed(mask, db_col_text(st, 0))) {
		const char *vf = db_col_is_null(st, 1) ? NULL : db_col_text(st, 1);
		const char *vt = db_col_is_null(st, 2) ? NULL : db_col_text(st, 2);

		if (r->period_from != NULL && vf != NULL && strcmp(r->period_from, vf) < 0)
			verrs_add(v, "reason_code", "not_valid",
				  _("Reason: this reason is in force only from %s."), vf);
		else if (r->period_from != NULL && vt != NULL &&
			 (strcmp(r->period_from, vt) > 0 || r->period_to == NULL ||
			  strcmp(r->period_to, vt) > 0))
			verrs_add(v, "reason_code", "not_valid",
				  _("Reason: this reason was in force only until %s; the period must "
				    "end by then."),
				  vt);
	} else if (rc >= 0) { /* unknown, or a class this writer may not see: the same answer */
		verrs_add(v, "reason_code", "invalid", "%s", _("Reason: choose a reason from the list."));
	}
	db_reset(st);
	return rc < 0 ? -1 : v->n - before;
}

static int reason_overlaps(struct db *db, const struct family_reason *r, struct verrs *v)
{
	int64_t n = 0;

	if (db_get_int(db, &n, &SQL_REASON_OVERLAP, "ititt", r->family_id, r->reason_code, r->id,
		       r->period_to, r->period_from) < 0)
		return -1;
	if (n > 0)
		verrs_add(v, "period_from", "overlap", "%s",
			  _("Period from: the family already has this reason for part of this period."));
	return n > 0;
}

static void reason_fill(struct arena *a, struct db_stmt *st, void *o)
{
	*(struct family_reason *)o = (struct family_reason){
		db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), registry_col(a, st, 3),
		registry_col(a, st, 4), registry_col(a, st, 5), registry_col(a, st, 6),
		arena_strdup(a, pick_label(st, 7)), registry_col(a, st, 9), registry_col(a, st, 10),
		registry_col(a, st, 11)
	};
}

static int load_reason(struct db *db, struct arena *a, int64_t id, void *out)
{
	return load_row(db, a, &SQL_REASON_GET, id, reason_fill, out);
}

/* by() is the type letter of the created_by value: the user, or NULL for the command line. */
static const char *by(const struct registry_writer *w)
{
	return w->audit.user_id > 0 ? "i" : "n";
}

static const char *types(struct arena *a, const char *head, const struct registry_writer *w)
{
	return arena_printf(a, "%s%s", head, by(w));
}

static const char *reason_summary(struct arena *a, const struct family_reason *r)
{
	return arena_printf(a, "%s %s–%s", r->reason_code, r->period_from,
			    r->period_to != NULL ? r->period_to : "");
}

int reason_create(struct db *db, struct arena *a, const struct registry_writer *w,
		  struct family_reason *r, int64_t *id, struct verrs *v)
{
	struct history_entry e = { .entity = "reason" };
	char now[CLOCK_ISO_LEN];
	int64_t inst = 0;
	int rc = may_add(db, &SQL_FAMILY_INST, r->family_id, w, &inst, v);

	if (rc != 0)
		return rc;
	r->institution_id = inst;
	r->id = 0;
	if ((rc = reason_overlaps(db, r, v)) != 0)
		return rc;
	now_iso(now);
	if (db_get_int(db, id, &SQL_REASON_INSERT, types(a, "iittttt", w), inst, r->family_id,
		       r->reason_code, r->period_from, r->period_to, r->note, now,
		       w->audit.user_id) != DB_ROW)
		return -1;
	r->id = *id;
	e.entity_id = *id;
	e.family_id = r->family_id;
	e.institution_id = inst;
	return hist_create(db, w, &e, reason_summary(a, r)) == 0 ? 0 : -1;
}

/* writable_reason() loads reason id if w may change it (and see it); else SITUATION_NOT_FOUND. */
static int writable_reason(struct db *db, struct arena *a, const struct registry_writer *w, int64_t id,
			   struct family_reason *old, struct verrs *v)
{
	int rc = load_reason(db, a, id, old);

	if (rc != 0)
		return rc;
	if (!sens_allowed(writer_mask(w), old->sens))
		return SITUATION_NOT_FOUND;
	return may_change(db, &SQL_FAMILY_INST, old->family_id, old->institution_id, w, v);
}

int reason_update(struct db *db, struct arena *a, const struct registry_writer *w,
		  struct family_reason *r, struct verrs *v)
{
	static const char *const names[] = { "reason_code", "period_from", "period_to", "note" };
	struct family_reason old;
	struct history_entry e = { .entity = "reason", .change = HISTORY_UPDATE };
	int rc = writable_reason(db, a, w, r->id, &old, v);

	if (rc != 0)
		return rc;
	r->family_id = old.family_id;
	r->institution_id = old.institution_id;
	if ((rc = reason_overlaps(db, r, v)) != 0)
		return rc;
	if (db_run(db, &SQL_REASON_UPDATE, "tttti", r->reason_code, r->period_from, r->period_to,
		   r->note, r->id) != DB_OK)
		return -1;
	e.entity_id = r->id;
	e.family_id = r->family_id;
	e.institution_id = r->institution_id;
	{
		const char *olds[] = { old.reason_code, old.period_from, old.period_to, old.note };
		const char *news[] = { r->reason_code, r->period_from, r->period_to, r->note };

		return hist_fields(db, w, &e, names, olds, news, 4);
	}
}

int reason_end(struct db *db, struct arena *a, const struct registry_writer *w, int64_t id,
	       const char *date, struct verrs *v)
{
	struct family_reason old;
	struct history_entry e = { .entity = "reason", .change = HISTORY_UPDATE };
	int rc = writable_reason(db, a, w, id, &old, v);

	if (rc != 0)
		return rc;
	date = registry_clean(a, date);
	if (check_date(v, "period_to", N_("Period to"), date, 1, 0) != 0)
		return 1;
	if (strcmp(date, old.period_from) < 0) {
		verrs_add(v, "period_to", "before_start", _("%s: the end cannot be before the start (%s)."),
			  _("Period to"), old.period_from);
		return 1;
	}
	if (db_run(db, &SQL_REASON_SET_TO, "ti", date, id) != DB_OK)
		return -1;
	e.entity_id = id;
	e.family_id = old.family_id;
	e.institution_id = old.institution_id;
	return history_field(db, w, &e, "period_to", old.period_to, date) < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Labour-market status                                                */
/* ------------------------------------------------------------------ */

const char *const labour_statuses[] = { "registered_unemployed", "job_seeker", "employed", "inactive",
					NULL };
const char *const labour_dereg_reasons[] = { "job_taken", "business_started", "refused_offer",
					     "no_show", "own_request", "pension", "other", NULL };
const char *const labour_profiles[] = { "I", "II", "III", NULL };

static const char *const status_labels[] = {
	N_("registered unemployed"), N_("job seeker"), N_("employed"), N_("economically inactive"),
};
static const char *const dereg_labels[] = {
	N_("took up a job or other paid work"), N_("started a business"),
	N_("refused a job offer or activation"), N_("did not report when summoned"),
	N_("at own request"), N_("acquired a right to a pension or benefit"), N_("other reason"),
};

static const char *label_in(const char *const *codes, const char *const *labels, const char *code)
{
	int i;

	for (i = 0; code != NULL && codes[i] != NULL; i++)
		if (strcmp(codes[i], code) == 0)
			return _(labels[i]);
	return code != NULL ? code : "";
}

const char *labour_status_label(const char *code)
{
	return label_in(labour_statuses, status_labels, code);
}

const char *labour_dereg_label(const char *code)
{
	return label_in(labour_dereg_reasons, dereg_labels, code);
}

int status_validate(struct labour_status *s, struct arena *a, struct verrs *v)
{
	int before = v->n;
	int unemployed;

	s->status = registry_clean(a, s->status);
	s->from_date = registry_clean(a, s->from_date);
	s->to_date = registry_clean(a, s->to_date);
	s->dereg_reason = registry_clean(a, s->dereg_reason);
	s->profile = registry_clean(a, s->profile);
	s->source = registry_clean(a, s->source);
	if (s->status == NULL)
		verrs_add(v, "status", "required", "%s", _("Status: choose a labour-market status."));
	else if (!in_list(labour_statuses, s->status))
		verrs_add(v, "status", "invalid", "%s", _("Status: choose a status from the list."));
	check_period(v, "from_date", N_("From"), s->from_date, "to_date", N_("To"), s->to_date, 1);
	check_text(v, "source", N_("Source"), s->source, 200);
	unemployed = str_eq(s->status, "registered_unemployed");
	if (s->dereg_reason != NULL) {
		if (!in_list(labour_dereg_reasons, s->dereg_reason))
			verrs_add(v, "dereg_reason", "invalid", "%s",
				  _("Reason for deregistration: choose a reason from the list."));
		else if (!unemployed || s->to_date == NULL)
			verrs_add(v, "dereg_reason", "not_applicable", "%s",
				  _("Reason for deregistration: only an ended registration as "
				    "unemployed has one; give the end date or leave it empty."));
	}
	if (s->profile != NULL) {
		if (!in_list(labour_profiles, s->profile))
			verrs_add(v, "profile", "invalid", "%s",
				  _("Assistance profile: choose I, II or III."));
		else if (!unemployed || (s->from_date != NULL && strcmp(s->from_date, PROFILE_TO) > 0) ||
			 (s->to_date != NULL && strcmp(s->to_date, PROFILE_FROM) < 0))
			verrs_add(v, "profile", "not_applicable",
				  _("Assistance profile: profiles were assigned to registered "
				    "unemployed persons only from %s to %s; this period lies outside."),
				  "27.05.2014", "14.06.2019");
	}
	return v->n - before;
}

static int status_overlaps(struct db *db, const struct labour_status *s, struct verrs *v)
{
	int64_t n = 0;

	if (db_get_int(db, &n, &SQL_STATUS_OVERLAP, "iitt", s->person_id, s->id, s->to_date,
		       s->from_date) < 0)
		return -1;
	if (n > 0)
		verrs_add(v, "from_date", "overlap", "%s",
			  _("From: this period overlaps another labour-market status period of the "
			    "person; end that one first or correct the dates."));
	return n > 0;
}

static void status_row(struct arena *a, struct db_stmt *st, void *p)
{
	struct labour_status *o = p;
	*o = (struct labour_status){ db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2),
				     registry_col(a, st, 3), registry_col(a, st, 4), registry_col(a, st, 5),
				     registry_col(a, st, 6), registry_col(a, st, 7), registry_col(a, st, 8) };
}

static int load_status(struct db *db, struct arena *a, int64_t id, void *out)
{
	return load_row(db, a, &SQL_STATUS_GET, id, status_row, out);
}

int status_create(struct db *db, struct arena *a, const struct registry_writer *w,
		  struct labour_status *s, int64_t *id, struct verrs *v)
{
	struct history_entry e = { .entity = "status" };
	char now[CLOCK_ISO_LEN];
	int64_t inst = 0;
	int rc = may_add(db, &SQL_PERSON_INST, s->person_id, w, &inst, v);

	if (rc != 0)
		return rc;
	s->institution_id = inst;
	s->id = 0;
	if ((rc = status_overlaps(db, s, v)) != 0)
		return rc;
	now_iso(now);
	if (db_get_int(db, id, &SQL_STATUS_INSERT, types(a, "iittttttt", w), inst, s->person_id,
		       s->status, s->from_date, s->to_date, s->dereg_reason, s->profile, s->source, now,
		       w->audit.user_id) != DB_ROW)
		return -1;
	s->id = *id;
	e.entity_id = *id;
	e.person_id = s->person_id;
	e.institution_id = inst;
	return hist_create(db, w, &e,
			   arena_printf(a, "%s %s–%s", s->status, s->from_date,
					s->to_date != NULL ? s->to_date : "")) == 0
		       ? 0
		       : -1;
}

int status_update(struct db *db, struct arena *a, const struct registry_writer *w,
		  struct labour_status *s, struct verrs *v)
{
	static const char *const names[] = { "status", "from_date", "to_date", "dereg_reason",
					     "profile", "source" };
	struct labour_status old;
	struct history_entry e = { .entity = "status", .change = HISTORY_UPDATE };
	int rc = load_status(db, a, s->id, &old);

	if (rc == 0)
		rc = may_change(db, &SQL_PERSON_INST, old.person_id, old.institution_id, w, v);
	if (rc != 0)
		return rc;
	s->person_id = old.person_id;
	s->institution_id = old.institution_id;
	if ((rc = status_overlaps(db, s, v)) != 0)
		return rc;
	if (db_run(db, &SQL_STATUS_UPDATE, "tttttti", s->status, s->from_date, s->to_date,
		   s->dereg_reason, s->profile, s->source, s->id) != DB_OK)
		return -1;
	e.entity_id = s->id;
	e.person_id = s->person_id;
	e.institution_id = s->institution_id;
	{
		const char *olds[] = { old.status, old.from_date, old.to_date, old.dereg_reason,
				       old.profile, old.source };
		const char *news[] = { s->status, s->from_date, s->to_date, s->dereg_reason,
				       s->profile, s->source };

		return hist_fields(db, w, &e, names, olds, news, 6);
	}
}

/* ------------------------------------------------------------------ */
/* Benefits                                                            */
/* ------------------------------------------------------------------ */

int benefit_forms(struct db *db, struct arena *a, struct form_def **out)
{
	struct db_stmt *st = db_query(db, &SQL_FORMS, NULL);
	struct form_def *d;
	int n = 0, rc;

	*out = d = arena_zalloc(a, sizeof(*d) * 64);
	if (st == NULL || d == NULL) {
		db_reset(st);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW && n < 64) {
		d[n] = (struct form_def){ registry_col(a, st, 0), arena_strdup(a, pick_label(st, 1)),
					  registry_col(a, st, 3), registry_col(a, st, 4),
					  registry_col(a, st, 5), (int)db_col_int(st, 6) };
		n++;
	}
	db_reset(st);
	return rc < 0 ? -1 : n;
}

static void money_error(struct verrs *v, int rc)
{
	const char *f = "amount";

	if (rc == MONEY_DECIMALS)
		verrs_add(v, f, "invalid", "%s", _("Amount: at most two digits after the comma (grosze)."));
	else if (rc == MONEY_NEGATIVE)
		verrs_add(v, f, "invalid", "%s", _("Amount: cannot be negative."));
	else if (rc == MONEY_TOO_LARGE)
		verrs_add(v, f, "too_large", "%s", _("Amount: too large (at most 1 000 000 000,00 zł)."));
	else
		verrs_add(v, f, "invalid", "%s",
			  _("Amount: enter an amount in złoty with a decimal comma, e.g. 1 234,56."));
}

int benefit_validate(struct db *db, struct arena *a, struct benefit *b, const char *amount_text,
		     struct verrs *v)
{
	struct db_stmt *st;
	int before = v->n, rc, cash = -1;

	b->form_code = registry_clean(a, b->form_code);
	b->period_from = registry_clean(a, b->period_from);
	b->period_to = registry_clean(a, b->period_to);
	b->decision_number = registry_clean(a, b->decision_number);
	b->decision_date = registry_clean(a, b->decision_date);
	if (amount_text != NULL) {
		amount_text = registry_clean(a, amount_text);
		b->amount_grosze = -1;
		if (amount_text != NULL && (rc = money_parse(amount_text, &b->amount_grosze)) != 0) {
			money_error(v, rc);
			b->amount_grosze = -2; /* refused: no "required" on top */
		}
	}
	check_period(v, "period_from", N_("Period from"), b->period_from, "period_to", N_("Period to"),
		     b->period_to, 0);
	check_date(v, "decision_date", N_("Decision date"), b->decision_date, 0, 1);
	check_text(v, "decision_number", N_("Decision number"), b->decision_number, 100);
	if (b->form_code == NULL) {
		verrs_add(v, "form_code", "required", "%s", _("Form of assistance: choose a form."));
	} else {
		st = db_query(db, &SQL_FORM_DEF, "t", b->form_code);
		if (st == NULL)
			return -1;
		rc = db_step(st);
		if (rc == DB_ROW) {
			const char *vf = db_col_is_null(st, 1) ? NULL : db_col_text(st, 1);
			const char *vt = db_col_is_null(st, 2) ? NULL : db_col_text(st, 2);

			cash = (int)db_col_int(st, 0);
			if (b->period_from != NULL &&
			    ((vf != NULL && strcmp(b->period_from, vf) < 0) ||
			     (vt != NULL && strcmp(b->period_from, vt) > 0)))
				verrs_add(v, "form_code", "not_valid", "%s",
					  _("Form of assistance: this form was not in force on the start "
					    "of the period."));
		} else if (rc >= 0) {
			verrs_add(v, "form_code", "invalid", "%s",
				  _("Form of assistance: choose a form from the list."));
		}
		db_reset(st);
		if (rc < 0)
			return -1;
	}
	if (cash == 1 && b->amount_grosze == -1)
		verrs_add(v, "amount", "required", "%s",
			  _("Amount: an allowance is granted in money; enter its amount in złoty."));
	else if (cash == 1 && b->amount_grosze == 0)
		verrs_add(v, "amount", "invalid", "%s", _("Amount: an allowance must be more than 0 zł."));
	else if (cash == 0 && b->amount_grosze >= 0)
		verrs_add(v, "amount", "not_applicable", "%s",
			  _("Amount: this form of assistance is not granted in money; leave the "
			    "amount empty."));
	if (b->amount_grosze < -1)
		b->amount_grosze = -1;
	return v->n - before;
}

static void benefit_row(struct arena *a, struct db_stmt *st, void *p)
{
	struct benefit *o = p;
	*o = (struct benefit){ db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2),
			       db_col_is_null(st, 3) ? 0 : db_col_int(st, 3), registry_col(a, st, 4),
			       db_col_is_null(st, 5) ? -1 : db_col_int(st, 5), registry_col(a, st, 6),
			       registry_col(a, st, 7), registry_col(a, st, 8), registry_col(a, st, 9),
			       arena_strdup(a, pick_label(st, 10)), registry_col(a, st, 12),
			       (int)db_col_int(st, 13) };
}

static int load_benefit(struct db *db, struct arena *a, int64_t id, void *out)
{
	return load_row(db, a, &SQL_BENEFIT_GET, id, benefit_row, out);
}

/* benefit_family_ok() checks that the family given is the person's (now or once) and of inst. */
static int benefit_family_ok(struct db *db, const struct benefit *b, int64_t inst, struct verrs *v)
{
	int64_t n = 0, finst;

	if (b->family_id == 0)
		return 0;
	finst = owner_of(db, &SQL_FAMILY_INST, b->family_id);
	if (finst < 0 || db_get_int(db, &n, &SQL_MEMBER_OF, "ii", b->family_id, b->person_id) < 0)
		return -1;
	if (finst != inst || n == 0) {
		verrs_add(v, "family_id", "invalid", "%s",
			  _("Family: choose a household the person belongs or belonged to."));
		return 1;
	}
	return 0;
}

int benefit_create(struct db *db, struct arena *a, const struct registry_writer *w,
		   struct benefit *b, int64_t *id, struct verrs *v)
{
	struct history_entry e = { .entity = "benefit" };
	char now[CLOCK_ISO_LEN];
	int64_t inst = 0;
	int rc = may_add(db, &SQL_PERSON_INST, b->person_id, w, &inst, v);

	if (rc != 0)
		return rc;
	if ((rc = benefit_family_ok(db, b, inst, v)) != 0)
		return rc;
	b->institution_id = inst;
	now_iso(now);
	/* integers that may be NULL go as text (NULL or digits): both backends convert them */
	rc = db_get_int(db, id, &SQL_BENEFIT_INSERT, types(a, "iitttttttt", w), inst, b->person_id,
			i64s(a, b->family_id > 0 ? b->family_id : -1), b->form_code,
			i64s(a, b->amount_grosze), b->period_from, b->period_to, b->decision_number,
			b->decision_date, now, w->audit.user_id);
	if (rc != DB_ROW)
		return -1;
	b->id = *id;
	e.entity_id = *id;
	e.person_id = b->person_id;
	e.family_id = b->family_id;
	e.institution_id = inst;
	return hist_create(db, w, &e,
			   arena_printf(a, "%s %s %s–%s", b->form_code, money_input(a, b->amount_grosze),
					b->period_from, b->period_to != NULL ? b->period_to : "")) == 0
		       ? 0
		       : -1;
}

int benefit_update(struct db *db, struct arena *a, const struct registry_writer *w,
		   struct benefit *b, struct verrs *v)
{
	static const char *const names[] = { "family_id", "form_code", "amount_grosze", "period_from",
					     "period_to", "decision_number", "decision_date" };
	struct benefit old;
	struct history_entry e = { .entity = "benefit", .change = HISTORY_UPDATE };
	int rc = load_benefit(db, a, b->id, &old);

	if (rc == 0)
		rc = may_change(db, &SQL_PERSON_INST, old.person_id, old.institution_id, w, v);
	if (rc != 0)
		return rc;
	b->person_id = old.person_id;
	b->institution_id = old.institution_id;
	if ((rc = benefit_family_ok(db, b, old.institution_id, v)) != 0)
		return rc;
	if (db_run(db, &SQL_BENEFIT_UPDATE, "ttttttti", i64s(a, b->family_id > 0 ? b->family_id : -1),
		   b->form_code, i64s(a, b->amount_grosze), b->period_from, b->period_to,
		   b->decision_number, b->decision_date, b->id) != DB_OK)
		return -1;
	e.entity_id = b->id;
	e.person_id = b->person_id;
	e.family_id = b->family_id > 0 ? b->family_id : old.family_id;
	e.institution_id = b->institution_id;
	{
		const char *olds[] = { i64s(a, old.family_id > 0 ? old.family_id : -1), old.form_code,
				       i64s(a, old.amount_grosze), old.period_from, old.period_to,
				       old.decision_number, old.decision_date };
		const char *news[] = { i64s(a, b->family_id > 0 ? b->family_id : -1), b->form_code,
				       i64s(a, b->amount_grosze), b->period_from, b->period_to,
				       b->decision_number, b->decision_date };

		return hist_fields(db, w, &e, names, olds, news, 7);
	}
}

/* ------------------------------------------------------------------ */
/* Interviews                                                          */
/* ------------------------------------------------------------------ */

const char *const interview_areas[INTERVIEW_NAREAS] = {
	"housing", "income", "employment", "health", "family_relations", "care_upbringing", "other",
	"conclusions", "work_plan",
};
const char *const interview_area_labels[INTERVIEW_NAREAS] = {
	N_("Housing"), N_("Income and maintenance"), N_("Employment"), N_("Health"),
	N_("Family relations"), N_("Care and upbringing"), N_("Other circumstances"),
	N_("Conclusions"), N_("Plan of work"),
};

#define INTERVIEW_TEXT_MAX 20000

const char **interview_area(struct interview *i, int k)
{
	const char **areas[INTERVIEW_NAREAS] = { &i->housing, &i->income, &i->employment, &i->health,
						 &i->family_relations, &i->care_upbringing, &i->other,
						 &i->conclusions, &i->work_plan };

	return k >= 0 && k < INTERVIEW_NAREAS ? areas[k] : NULL;
}

int interview_validate(struct interview *i, struct arena *a, struct verrs *v)
{
	int before = v->n, k, any = 0;

	i->interview_date = registry_clean(a, i->interview_date);
	check_date(v, "interview_date", N_("Date of the interview"), i->interview_date, 1, 1);
	for (k = 0; k < INTERVIEW_NAREAS; k++) {
		const char **f = interview_area(i, k);

		*f = registry_clean(a, *f);
		any |= *f != NULL;
		check_text(v, interview_areas[k], interview_area_labels[k], *f, INTERVIEW_TEXT_MAX);
	}
	if (!any)
		verrs_add(v, "housing", "required", "%s",
			  _("Housing: describe at least one area of the family's situation."));
	return v->n - before;
}

static void interview_row(struct arena *a, struct db_stmt *st, void *p)
{
	struct interview *o = p;
	int k;

	memset(o, 0, sizeof(*o));
	o->id = db_col_int(st, 0);
	o->institution_id = db_col_int(st, 1);
	o->family_id = db_col_int(st, 2);
	o->person_id = db_col_is_null(st, 3) ? 0 : db_col_int(st, 3);
	o->interview_date = registry_col(a, st, 4);
	o->worker_id = db_col_is_null(st, 5) ? 0 : db_col_int(st, 5);
	for (k = 0; k < INTERVIEW_NAREAS; k++)
		*interview_area(o, k) = registry_col(a, st, 6 + k);
	o->worker_name = registry_col(a, st, 15);
	o->created_at = registry_col(a, st, 16);
	o->updated_at = registry_col(a, st, 17);
}

static int load_interview(struct db *db, struct arena *a, int64_t id, void *out)
{
	return load_row(db, a, &SQL_INTERVIEW_GET, id, interview_row, out);
}

/* interview_people_ok() checks the worker and the person belong to the family's institution. */
static int interview_people_ok(struct db *db, struct interview *i, int64_t inst, struct verrs *v)
{
	int64_t n = 0, winst;

	if (i->worker_id > 0) {
		winst = owner_of(db, &SQL_USER_INST, i->worker_id);
		if (winst < 0)
			return -1;
		if (winst != inst)
			verrs_add(v, "worker_id", "invalid", "%s",
				  _("Worker: choose a worker of the family's institution."));
	}
	if (i->person_id > 0) {
		if (db_get_int(db, &n, &SQL_MEMBER_OF, "ii", i->family_id, i->person_id) < 0)
			return -1;
		if (n == 0)
			verrs_add(v, "person_id", "invalid", "%s",
				  _("Person interviewed: choose a member of the family."));
	}
	return v->n > 0;
}

int interview_create(struct db *db, struct arena *a, const struct registry_writer *w,
		     struct interview *i, int64_t *id, struct verrs *v)
{
	struct history_entry e = { .entity = "interview" };
	char now[CLOCK_ISO_LEN];
	int64_t inst = 0;
	int rc = may_add(db, &SQL_FAMILY_INST, i->family_id, w, &inst, v);

	if (rc != 0)
		return rc;
	if ((writer_mask(w) & SENS_SPECIAL) != SENS_SPECIAL) { /* interviews are read by them only */
		verrs_add(v, "", "role", "%s",
			  _("Your role does not include community interviews: they may hold health, "
			    "addiction and violence matters."));
		return 1;
	}
	if (i->worker_id <= 0)
		i->worker_id = w->audit.user_id;
	if ((rc = interview_people_ok(db, i, inst, v)) != 0)
		return rc;
	i->institution_id = inst;
	now_iso(now);
	rc = db_get_int(db, id, &SQL_INTERVIEW_INSERT,
			arena_printf(a, "iittttttttttttt%st", by(w)), inst, i->family_id,
			i64s(a, i->person_id > 0 ? i->person_id : -1), i->interview_date,
			i64s(a, i->worker_id > 0 ? i->worker_id : -1), i->housing, i->income,
			i->employment, i->health, i->family_relations, i->care_upbringing, i->other,
			i->conclusions, i->work_plan, now, w->audit.user_id, now);
	if (rc != DB_ROW)
		return -1;
	i->id = *id;
	e.entity_id = *id;
	e.family_id = i->family_id;
	e.person_id = i->person_id;
	e.institution_id = inst;
	/* the free text stays out of the history (it is shown to every reader of the family) */
	return hist_create(db, w, &e, i->interview_date) == 0 ? 0 : -1;
}

int interview_update(struct db *db, struct arena *a, const struct registry_writer *w,
		     struct interview *i, struct verrs *v)
{
	struct interview old;
	struct history_entry e = { .entity = "interview", .change = HISTORY_UPDATE };
	char now[CLOCK_ISO_LEN];
	int rc = load_interview(db, a, i->id, &old), k;

	if (rc == 0 && (writer_mask(w) & SENS_SPECIAL) != SENS_SPECIAL)
		return SITUATION_NOT_FOUND;
	if (rc == 0)
		rc = may_change(db, &SQL_FAMILY_INST, old.family_id, old.institution_id, w, v);
	if (rc != 0)
		return rc;
	i->family_id = old.family_id;
	i->institution_id = old.institution_id;
	if (i->worker_id <= 0)
		i->worker_id = old.worker_id;
	if ((rc = interview_people_ok(db, i, old.institution_id, v)) != 0)
		return rc;
	now_iso(now);
	if (db_run(db, &SQL_INTERVIEW_UPDATE, "ttttttttttttti",
		   i64s(a, i->person_id > 0 ? i->person_id : -1), i->interview_date,
		   i64s(a, i->worker_id > 0 ? i->worker_id : -1), i->housing, i->income, i->employment,
		   i->health, i->family_relations, i->care_upbringing, i->other, i->conclusions,
		   i->work_plan, now, i->id) != DB_OK)
		return -1;
	e.entity_id = i->id;
	e.family_id = i->family_id;
	e.person_id = i->person_id;
	e.institution_id = i->institution_id;
	if (history_field(db, w, &e, "interview_date", old.interview_date, i->interview_date) < 0 ||
	    history_field(db, w, &e, "worker_id", i64s(a, old.worker_id > 0 ? old.worker_id : -1),
			  i64s(a, i->worker_id > 0 ? i->worker_id : -1)) < 0 ||
	    history_field(db, w, &e, "person_id", i64s(a, old.person_id > 0 ? old.person_id : -1),
			  i64s(a, i->person_id > 0 ? i->person_id : -1)) < 0)
		return -1;
	for (k = 0; k < INTERVIEW_NAREAS; k++) { /* which areas changed, not their text */
		const char *o = *interview_area(&old, k), *n = *interview_area(i, k);

		if (str_eq(o != NULL ? o : "", n != NULL ? n : ""))
			continue;
		e.field = interview_areas[k];
		e.old_value = NULL;
		e.new_value = NULL;
		if (history_add(db, w, &e) != 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Reads                                                               */
/* ------------------------------------------------------------------ */

int situation_decide(struct policy_read *r, enum policy_kind kind, int64_t id)
{
	struct policy_subject s = { kind, id, 0, 0 };

	r->kind = kind;
	memset(&r->decision, 0, sizeof(r->decision));
	s.institution_id = owner_of(r->db, kind == POLICY_FAMILY ? &SQL_FAMILY_INST : &SQL_PERSON_INST, id);
	if (s.institution_id < 0)
		return -1;
	if (s.institution_id == 0)
		return POLICY_NOT_FOUND;
	if (policy_decide(&r->actor, &s, r->purpose, &r->decision) != 0) {
		if (policy_record_denied(r, id) != 0)
			return -1;
		return r->decision.conceal ? POLICY_NOT_FOUND : POLICY_DENIED;
	}
	return POLICY_OK;
}

int situation_owner(struct db *db, const char *entity, int64_t id, int64_t *parent_id)
{
	const struct db_sql *sql = str_eq(entity, "reason")	 ? &SQL_OWNER_REASON
				   : str_eq(entity, "status")	 ? &SQL_OWNER_STATUS
				   : str_eq(entity, "benefit")	 ? &SQL_OWNER_BENEFIT
				   : str_eq(entity, "interview") ? &SQL_OWNER_INTERVIEW
								 : NULL;
	int rc;

	if (sql == NULL)
		return -1;
	rc = db_get_int(db, parent_id, sql, "i", id);
	return rc < 0 ? -1 : rc == DB_ROW ? 0 : SITUATION_NOT_FOUND;
}

/* record() names the rows shown in one read of the family's or person's record. */
static int record(struct policy_read *r, int64_t parent, const char *what, const struct audit_ids *ids)
{
	return policy_record(r, id_text(r->arena, parent),
			     arena_printf(r->arena, "%s shown=%lld ids=%s", what, (long long)ids->n,
					  ids->text));
}

/*
 * list_rows() reads the rows of sql for parent (at most MAX_ROWS, those
 * row() keeps) into *out and records their ids; the count, or negative.
 * need is the sensitivity a reader must see for any row: without it
 * the list is empty.
 */
static int list_rows(struct policy_read *r, const struct db_sql *sql, int64_t parent, size_t size,
		     void **out, int (*row)(struct policy_read *r, struct db_stmt *st, void *o),
		     const char *what, unsigned need)
{
	struct audit_ids *ids;
	struct db_stmt *st;
	char *rows;
	int n = 0, rc;

	*out = NULL;
	if (r->decision.allowed && (r->decision.mask & need) != need)
		return 0;
	if (!r->decision.allowed)
		return -POLICY_DENIED;
	rows = arena_zalloc(r->arena, size * MAX_ROWS);
	ids = arena_zalloc(r->arena, sizeof(*ids));
	if (rows == NULL || ids == NULL)
		return -1;
	*out = rows;
	st = db_query(r->db, sql, "i", parent);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && n < MAX_ROWS) {
		if (row(r, st, rows + size * (size_t)n)) {
			audit_ids_add(ids, arena_printf(r->arena, "%lld", (long long)db_col_int(st, 0)));
			n++;
		}
	}
	db_reset(st);
	if (rc < 0 || record(r, parent, what, ids) != 0)
		return -1;
	return n;
}

static int reason_row(struct policy_read *r, struct db_stmt *st, void *o)
{
	if (!sens_allowed(r->decision.mask, db_col_text(st, 10)))
		return 0; /* a special category this reader may not know of: left out */
	reason_fill(r->arena, st, o);
	return 1;
}

static int status_row_cb(struct policy_read *r, struct db_stmt *st, void *o)
{
	status_row(r->arena, st, o);
	return 1;
}

static int benefit_row_cb(struct policy_read *r, struct db_stmt *st, void *o)
{
	benefit_row(r->arena, st, o);
	return 1;
}

/* interviews_visible() is 1 when r's reader may see interviews of institution inst. */
static int interviews_visible(const struct policy_read *r, int64_t inst)
{
	return r->decision.allowed && r->purpose == PURPOSE_CASEWORK &&
	       (r->decision.mask & SENS_SPECIAL) == SENS_SPECIAL &&
	       (r->actor.cli || r->actor.institution_id == inst);
}

static int interview_row_cb(struct policy_read *r, struct db_stmt *st, void *o)
{
	if (!interviews_visible(r, db_col_int(st, 1)))
		return 0;
	interview_row(r->arena, st, o);
	return 1;
}

int reason_list(struct policy_read *r, int64_t family_id, struct family_reason **out)
{
	return list_rows(r, &SQL_REASON_LIST, family_id, sizeof(**out), (void **)out, reason_row,
			 "reasons", SENS_BIT(SENS_SOCIAL));
}

int status_list(struct policy_read *r, int64_t person_id, struct labour_status **out)
{
	return list_rows(r, &SQL_STATUS_LIST, person_id, sizeof(**out), (void **)out, status_row_cb,
			 "statuses", SENS_BIT(SENS_SOCIAL));
}

int benefit_list(struct policy_read *r, int64_t person_id, struct benefit **out)
{
	return list_rows(r, &SQL_BENEFIT_LIST, person_id, sizeof(**out), (void **)out, benefit_row_cb,
			 "benefits", SENS_BIT(SENS_SOCIAL));
}

int interview_list(struct policy_read *r, int64_t family_id, struct interview **out)
{
	return list_rows(r, &SQL_INTERVIEW_LIST, family_id, sizeof(**out), (void **)out,
			 interview_row_cb, "interviews", 0);
}

/* How one record of each kind is read (the *_read() functions), as data. */
struct one {
	const char *entity;	   /* for situation_owner() */
	enum policy_kind kind;	   /* whose it is */
	const char *shown;	   /* the read's row: "<shown> shown=1 ids=<id>" */
	int (*load)(struct db *db, struct arena *a, int64_t id, void *out);
	int (*visible)(const struct policy_read *r, const void *o); /* NULL: every row of the owner */
};

static int reason_visible(const struct policy_read *r, const void *o)
{
	return sens_allowed(r->decision.mask, ((const struct family_reason *)o)->sens);
}

static int interview_visible(const struct policy_read *r, const void *o)
{
	return interviews_visible(r, ((const struct interview *)o)->institution_id);
}

static const struct one REASON = { "reason", POLICY_FAMILY, "reasons", load_reason, reason_visible };
static const struct one STATUS = { "status", POLICY_PERSON, "statuses", load_status, NULL };
static const struct one BENEFIT = { "benefit", POLICY_PERSON, "benefits", load_benefit, NULL };
static const struct one INTERVIEW = { "interview", POLICY_FAMILY, "interview", load_interview,
				      interview_visible };

/*
 * read_one() reads record id of kind k into out: decides for its family
 * or person first, loads it, and records the read; POLICY_OK with
 * r->decision set, or why not.
 */
static int read_one(struct policy_read *r, const struct one *k, int64_t id, void *out)
{
	struct audit_ids ids = AUDIT_IDS_INIT;
	int64_t parent = 0;
	int rc = situation_owner(r->db, k->entity, id, &parent);

	if (rc != 0)
		return rc < 0 ? -1 : POLICY_NOT_FOUND;
	rc = situation_decide(r, k->kind, parent);
	if (rc == POLICY_OK && !(r->decision.mask & SENS_BIT(SENS_SOCIAL)))
		return POLICY_NOT_FOUND;
	if (rc != POLICY_OK)
		return rc;
	if ((rc = k->load(r->db, r->arena, id, out)) != 0)
		return rc < 0 ? -1 : POLICY_NOT_FOUND;
	if (k->visible != NULL && !k->visible(r, out))
		return POLICY_NOT_FOUND;
	audit_ids_add(&ids, id_text(r->arena, id));
	return record(r, parent, k->shown, &ids) == 0 ? POLICY_OK : -1;
}

int reason_read(struct policy_read *r, int64_t id, struct family_reason *out)
{
	return read_one(r, &REASON, id, out);
}

int status_read(struct policy_read *r, int64_t id, struct labour_status *out)
{
	return read_one(r, &STATUS, id, out);
}

int benefit_read(struct policy_read *r, int64_t id, struct benefit *out)
{
	return read_one(r, &BENEFIT, id, out);
}

int interview_read(struct policy_read *r, int64_t id, struct interview *out)
{
	return read_one(r, &INTERVIEW, id, out);
}

/* ------------------------------------------------------------------ */
/* Attention (work lists)                                              */
/* ------------------------------------------------------------------ */

static const struct db_sql SQL_BENEFIT_ENDING =
	DB_SQL("SELECT MIN(period_to) FROM benefit WHERE person_id = ? AND period_to >= ? AND period_to <= ?");
static const struct db_sql SQL_STATUS_UNEMPLOYED =
	DB_SQL("SELECT id, institution_id, person_id, status, from_date, to_date, dereg_reason, profile, "
	       "source FROM labour_status WHERE person_id = ? AND status = 'registered_unemployed' "
	       "ORDER BY from_date DESC LIMIT 50");

static void date_in(int days, char out[16])
{
	time_t t = (time_t)(clock_now() + (int64_t)days * 86400);
	struct tm tm;

	localtime_r(&t, &tm);
	snprintf(out, 16, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
		 tm.tm_mday % 100);
}

const char *situation_attention(struct db *db, struct arena *a, int64_t person_id, unsigned mask)
{
	struct labour_status s[50];
	struct db_stmt *st;
	const char *what = NULL;
	char t[16], soon[16], shown[16];
	int n = 0;

	if (!(mask & SENS_BIT(SENS_SOCIAL)))
		return NULL;
	date_in(0, t);
	date_in(30, soon);
	st = db_query(db, &SQL_BENEFIT_ENDING, "itt", person_id, t, soon);
	if (st != NULL && db_step(st) == DB_ROW && !db_col_is_null(st, 0)) {
		clock_show_date(db_col_text(st, 0), i18n_lang(), shown);
		what = arena_printf(a, _("benefit decision ends %s"), shown);
	}
	db_reset(st);
	st = db_query(db, &SQL_STATUS_UNEMPLOYED, "i", person_id);
	while (st != NULL && n < 50 && db_step(st) == DB_ROW)
		status_row(a, st, &s[n++]);
	db_reset(st);
	if (n > 0 && labour_long_term(s, n, t) == 1)
		what = what != NULL ? arena_printf(a, "%s; %s", what, _("long-term unemployed"))
				    : _("long-term unemployed");
	return what;
}
