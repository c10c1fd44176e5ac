/*
 * agreement.c — partnership agreements between institutions and the
 * question "is one in force between A and B" (agreement.h).
 */
#include "coop/agreement.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/role.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/str.h"
#include "registry/check.h"

/*
 * In force on a date (the date bound three times): signed, or terminated
 * with effect from a later day (a notice period), and within its period.
 */
#define IN_FORCE                                                                              \
	"(a.status = 'signed' OR (a.status = 'terminated' AND a.terminated_on > ?)) "        \
	"AND a.valid_from <= ? AND (a.valid_to IS NULL OR a.valid_to >= ?)"

static const struct db_sql SQL_IN_FORCE =
	DB_SQL("SELECT a.id FROM agreement a "
	       "JOIN agreement_party p1 ON p1.agreement_id = a.id AND p1.institution_id = ? "
	       "JOIN agreement_party p2 ON p2.agreement_id = a.id AND p2.institution_id = ? "
	       "WHERE " IN_FORCE " ORDER BY a.valid_from DESC, a.id DESC LIMIT 1");
static const struct db_sql SQL_IN_FORCE_FORM =
	DB_SQL("SELECT a.id FROM agreement a "
	       "JOIN agreement_party p1 ON p1.agreement_id = a.id AND p1.institution_id = ? "
	       "JOIN agreement_party p2 ON p2.agreement_id = a.id AND p2.institution_id = ? "
	       "JOIN agreement_form f ON f.agreement_id = a.id AND f.form_code = ? "
	       "WHERE " IN_FORCE " ORDER BY a.valid_from DESC, a.id DESC LIMIT 1");
static const struct db_sql SQL_PARTNERS =
	DB_SQL("SELECT DISTINCT p2.institution_id FROM agreement_party p1 "
	       "JOIN agreement a ON a.id = p1.agreement_id "
	       "JOIN agreement_party p2 ON p2.agreement_id = a.id AND p2.institution_id <> p1.institution_id "
	       "WHERE p1.institution_id = ? AND " IN_FORCE " ORDER BY p2.institution_id");
static const struct db_sql SQL_OPTIONS =
	DB_SQL("SELECT a.id, a.subject, a.valid_from, a.valid_to FROM agreement a "
	       "JOIN agreement_party p ON p.agreement_id = a.id AND p.institution_id = ? "
	       "WHERE " IN_FORCE " ORDER BY a.valid_from DESC, a.id DESC LIMIT ?");
static const struct db_sql SQL_DATA_IN_FORCE =
	DB_SQL("SELECT DISTINCT d.category FROM agreement a "
	       "JOIN agreement_party p1 ON p1.agreement_id = a.id AND p1.institution_id = ? "
	       "JOIN agreement_party p2 ON p2.agreement_id = a.id AND p2.institution_id = ? "
	       "JOIN agreement_data d ON d.agreement_id = a.id WHERE " IN_FORCE);
static const struct db_sql SQL_DATA_ALLOWS =
	DB_SQL("SELECT COUNT(*) FROM agreement_data WHERE agreement_id = ? AND category = ?");
static const struct db_sql SQL_INST_ACTIVE = DB_SQL("SELECT active FROM institution WHERE id = ?");
static const struct db_sql SQL_FORM_DEF =
	DB_SQL("SELECT valid_from, valid_to FROM cooperation_form WHERE code = ?");
static const struct db_sql SQL_FORMS =
	DB_SQL("SELECT code, label_pl, label_en, legal_basis, valid_from, valid_to FROM cooperation_form "
	       "ORDER BY sort, code");
static const struct db_sql SQL_INSERT =
	DB_SQL("INSERT INTO agreement (subject, signed_on, valid_from, valid_to, duration, status, "
	       "terminated_on, attachments, created_at, created_by, updated_at, updated_by) "
	       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_UPDATE =
	DB_SQL("UPDATE agreement SET subject = ?, signed_on = ?, valid_from = ?, valid_to = ?, "
	       "duration = ?, status = ?, terminated_on = ?, attachments = ?, updated_at = ?, "
	       "updated_by = ? WHERE id = ?");
static const struct db_sql SQL_TERMINATE =
	DB_SQL("UPDATE agreement SET status = 'terminated', terminated_on = ?, updated_at = ?, "
	       "updated_by = ? WHERE id = ? AND status <> 'terminated'");
static const struct db_sql SQL_EXISTS = DB_SQL("SELECT status FROM agreement WHERE id = ?");
static const struct db_sql SQL_DEL_PARTIES = DB_SQL("DELETE FROM agreement_party WHERE agreement_id = ?");
static const struct db_sql SQL_DEL_FORMS = DB_SQL("DELETE FROM agreement_form WHERE agreement_id = ?");
static const struct db_sql SQL_DEL_DATA = DB_SQL("DELETE FROM agreement_data WHERE agreement_id = ?");
static const struct db_sql SQL_ADD_PARTY =
	DB_SQL("INSERT INTO agreement_party (agreement_id, institution_id) VALUES (?, ?)");
static const struct db_sql SQL_ADD_FORM =
	DB_SQL("INSERT INTO agreement_form (agreement_id, form_code) VALUES (?, ?)");
static const struct db_sql SQL_ADD_DATA =
	DB_SQL("INSERT INTO agreement_data (agreement_id, category) VALUES (?, ?)");
static const struct db_sql SQL_GET =
	DB_SQL("SELECT id, subject, signed_on, valid_from, valid_to, duration, status, terminated_on, "
	       "attachments, created_at, updated_at FROM agreement WHERE id = ?");
static const struct db_sql SQL_GET_PARTIES =
	DB_SQL("SELECT i.id, i.name, i.kind FROM agreement_party p JOIN institution i ON i.id = "
	       "p.institution_id WHERE p.agreement_id = ? ORDER BY i.name, i.id");
static const struct db_sql SQL_GET_FORMS =
	DB_SQL("SELECT f.form_code FROM agreement_form f JOIN cooperation_form c ON c.code = f.form_code "
	       "WHERE f.agreement_id = ? ORDER BY c.sort, c.code");
static const struct db_sql SQL_GET_DATA =
	DB_SQL("SELECT category FROM agreement_data WHERE agreement_id = ? ORDER BY category");
static const struct db_sql SQL_EXPIRING =
	DB_SQL("SELECT a.id, a.subject, a.valid_to, (SELECT string_agg(x.name, ', ') FROM (SELECT i.name "
	       "FROM agreement_party q JOIN institution i ON i.id = q.institution_id WHERE q.agreement_id = "
	       "a.id ORDER BY i.name) x) FROM agreement a WHERE a.status = 'signed' "
	       "AND a.valid_to IS NOT NULL AND a.valid_to >= ? AND a.valid_to <= ? "
	       "AND (? = 0 OR EXISTS (SELECT 1 FROM agreement_party p WHERE p.agreement_id = a.id "
	       "AND p.institution_id = ?)) ORDER BY a.valid_to, a.id LIMIT 50");

const char *const agreement_statuses[] = { "negotiating", "signed", "terminated", NULL };
const char *const agreement_durations[] = { "one_year", "multi_year", "indefinite", NULL };
const char *const agreement_data_categories[] = { "identity", "contact", "social", "labour_status",
						  "support", NULL };

static const char *const status_labels[] = { N_("In negotiation"), N_("Signed"), N_("Terminated") };
static const char *const duration_labels[] = { N_("One year"), N_("Multi-year"), N_("Indefinite") };
static const char *const data_labels[] = { N_("Identity"), N_("Contact details"),
					   N_("Social situation"), N_("Labour-market status"),
					   N_("Support received") };

struct form_name {
	const char *code, *label;
};

/* The dictionary's labels for the UI (the table's label_pl/label_en are for other systems). */
static const struct form_name form_names[] = {
	{ "information_exchange", N_("Exchange of information on planned actions for the unemployed") },
	{ "socially_useful_work", N_("Socially useful work") },
	{ "public_works", N_("Public works") },
	{ "intervention_works", N_("Intervention works") },
	{ "internships", N_("Internships") },
	{ "referrals", N_("Referrals to a social contract and programmes (art. 50(2) of the 2004 act)") },
	{ "referrals_2025", N_("Referrals to a social contract and programmes (2025 act)") },
	{ "job_offers", N_("Passing on job offers") },
	{ "information_point", N_("Information point") },
	{ "shared_premises", N_("Shared premises") },
};

static int code_index(const char *const *codes, const char *code)
{
	int i;

	for (i = 0; code != NULL && codes[i] != NULL; i++)
		if (strcmp(codes[i], code) == 0)
			return i;
	return -1;
}

const char *agreement_status_label(const char *code)
{
	int i = code_index(agreement_statuses, code);

	return i < 0 ? code : _(status_labels[i]);
}

const char *agreement_duration_label(const char *code)
{
	int i = code_index(agreement_durations, code);

	return i < 0 ? code : _(duration_labels[i]);
}

const char *agreement_data_label(const char *code)
{
	int i = code_index(agreement_data_categories, code);

	return i < 0 ? code : _(data_labels[i]);
}

const char *agreement_form_label(const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < sizeof(form_names) / sizeof(form_names[0]); i++)
		if (strcmp(form_names[i].code, code) == 0)
			return _(form_names[i].label);
	return code;
}

int agreement_may_write(unsigned roles)
{
	return (roles & (ROLE_BIT(ROLE_COORDINATOR) | ROLE_BIT(ROLE_ADMIN))) != 0;
}

/* ------------------------------------------------------------------ */
/* In force                                                            */
/* ------------------------------------------------------------------ */

int agreement_in_force(struct db *db, int64_t inst_a, int64_t inst_b, const char *form,
		       const char *date, int64_t *agreement_id)
{
	char t[16];
	int64_t id = 0;
	int rc;

	if (agreement_id != NULL)
		*agreement_id = 0;
	if (inst_a <= 0 || inst_b <= 0 || inst_a == inst_b)
		return 0; /* one institution has no agreement with itself */
	if (date == NULL) {
		registry_today(t);
		date = t;
	}
	if (form != NULL)
		rc = db_get_int(db, &id, &SQL_IN_FORCE_FORM, "iitttt", inst_a, inst_b, form, date, date, date);
	else
		rc = db_get_int(db, &id, &SQL_IN_FORCE, "iittt", inst_a, inst_b, date, date, date);
	if (rc < 0)
		return -1;
	if (rc != DB_ROW)
		return 0;
	if (agreement_id != NULL)
		*agreement_id = id;
	return 1;
}

int agreement_partners(struct db *db, int64_t inst, const char *date, int64_t *out, int max)
{
	struct db_stmt *st;
	char t[16];
	int n = 0, rc;

	if (date == NULL) {
		registry_today(t);
		date = t;
	}
	st = db_query(db, &SQL_PARTNERS, "ittt", inst, date, date, date);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n < max)
			out[n] = db_col_int(st, 0);
		n++;
	}
	db_reset(st);
	return rc == DB_DONE ? n : -1;
}

int agreement_options(struct db *db, struct arena *a, int64_t inst, const char *date,
		      struct agreement_option *out, int max)
{
	struct db_stmt *st;
	char t[16];
	int n = 0, rc = DB_DONE;

	if (date == NULL) {
		registry_today(t);
		date = t;
	}
	st = db_query(db, &SQL_OPTIONS, "ittti", inst, date, date, date, (int64_t)max);
	if (st == NULL)
		return -1;
	while (n < max && (rc = db_step(st)) == DB_ROW) {
		out[n].id = db_col_int(st, 0);
		out[n].subject = registry_col(a, st, 1);
		out[n].valid_from = registry_col(a, st, 2);
		out[n].valid_to = registry_col(a, st, 3);
		n++;
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? n : -1;
}

int agreement_data_in_force(struct db *db, int64_t inst_a, int64_t inst_b, const char *date,
			    unsigned *bits)
{
	struct db_stmt *st;
	char t[16];
	int rc, i;

	*bits = 0;
	if (date == NULL) {
		registry_today(t);
		date = t;
	}
	st = db_query(db, &SQL_DATA_IN_FORCE, "iittt", inst_a, inst_b, date, date, date);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		if ((i = code_index(agreement_data_categories, db_col_text(st, 0))) >= 0)
			*bits |= 1u << i;
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

int agreement_data_allows(struct db *db, int64_t id, const char *category)
{
	int64_t n = 0;

	if (db_get_int(db, &n, &SQL_DATA_ALLOWS, "it", id, category) < 0)
		return -1;
	return n > 0;
}

/* ------------------------------------------------------------------ */
/* Dictionary                                                          */
/* ------------------------------------------------------------------ */

int coop_forms(struct db *db, struct arena *a, struct coop_form **out)
{
	struct db_stmt *st = db_query(db, &SQL_FORMS, "");
	struct coop_form *f;
	int n = 0, cap = 32, rc;

	*out = NULL;
	f = arena_zalloc(a, sizeof(*f) * (size_t)cap);
	if (st == NULL || f == NULL) {
		db_reset(st);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW && n < cap) {
		f[n].code = arena_strdup(a, db_col_text(st, 0));
		f[n].label = agreement_form_label(f[n].code);
		if (f[n].label == f[n].code) /* a form added to the table later: its own label */
			f[n].label = arena_strdup(a, db_col_text(st, i18n_lang() == LANG_PL ? 1 : 2));
		f[n].legal_basis = arena_strdup(a, db_col_text(st, 3));
		f[n].valid_from = arena_strdup(a, db_col_text(st, 4));
		f[n].valid_to = arena_strdup(a, db_col_text(st, 5));
		n++;
	}
	db_reset(st);
	if (rc < 0)
		return -1;
	*out = f;
	return n;
}

/* ------------------------------------------------------------------ */
/* Validation                                                          */
/* ------------------------------------------------------------------ */

/* one_year_on() writes the day one year after date (29 February goes to 28 February). */
static void one_year_on(const char *date, char out[16])
{
	int y = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
	int m = (date[5] - '0') * 10 + (date[6] - '0'), d = (date[8] - '0') * 10 + (date[9] - '0');

	if (m == 2 && d == 29)
		d = 28;
	snprintf(out, 16, "%04d-%02d-%02d", (y + 1) % 10000, m % 100, d % 100);
}

static void check_parties(struct db *db, struct agreement *ag, struct verrs *v, int *dberr)
{
	int i, j;

	if (ag->nparties < 2) {
		verrs_add(v, "institutions", "too_few", "%s",
			  _("Parties: an agreement needs at least two institutions."));
		return;
	}
	for (i = 0; i < ag->nparties; i++) {
		int64_t active = -1;

		for (j = 0; j < i; j++)
			if (ag->parties[j] == ag->parties[i]) {
				verrs_add(v, "institutions", "duplicate", "%s",
					  _("Parties: each institution may be a party once; choose different "
					    "institutions."));
				return;
			}
		if (db_get_int(db, &active, &SQL_INST_ACTIVE, "i", ag->parties[i]) < 0) {
			*dberr = 1;
			return;
		}
		if (active < 0) {
			verrs_add(v, "institutions", "not_found", _("Parties: there is no institution number %lld."),
				  (long long)ag->parties[i]);
			return;
		}
		if (active == 0) {
			verrs_add(v, "institutions", "inactive",
				  _("Parties: institution number %lld is inactive."), (long long)ag->parties[i]);
			return;
		}
	}
}

static void check_forms(struct db *db, struct arena *a, struct agreement *ag, struct verrs *v, int *dberr)
{
	int i, j;

	for (i = 0; i < ag->nforms; i++) {
		struct db_stmt *st = db_query(db, &SQL_FORM_DEF, "t", ag->forms[i]);
		const char *from, *to;
		int rc;

		for (j = 0; j < i; j++)
			if (strcmp(ag->forms[i], ag->forms[j]) == 0)
				break;
		if (j < i) {
			db_reset(st);
			continue; /* named twice: saved once */
		}
		rc = st != NULL ? db_step(st) : DB_ERROR;
		if (rc < 0) {
			db_reset(st);
			*dberr = 1;
			return;
		}
		if (rc != DB_ROW) {
			db_reset(st);
			verrs_add(v, "forms", "invalid", _("Forms of cooperation: there is no form \"%s\"."),
				  ag->forms[i]);
			return;
		}
		from = arena_strdup(a, db_col_text(st, 0));
		to = arena_strdup(a, db_col_text(st, 1));
		db_reset(st);
		if (ag->valid_from == NULL || !clock_valid_date(ag->valid_from))
			continue;
		/* the form must exist during at least part of the agreement's period */
		if ((to != NULL && strcmp(to, ag->valid_from) < 0) ||
		    (from != NULL && ag->valid_to != NULL && strcmp(from, ag->valid_to) > 0)) {
			verrs_add(v, "forms", "not_valid",
				  _("Forms of cooperation: \"%s\" is not in force in the agreement's period "
				    "(it is in force from %s to %s)."),
				  agreement_form_label(ag->forms[i]), from != NULL ? from : "—",
				  to != NULL ? to : "—");
			return;
		}
	}
}

static void check_period(struct agreement *ag, struct arena *a, struct verrs *v)
{
	int from_ok = registry_check_date(v, "valid_from", N_("In force from"), ag->valid_from, 1) == 0;
	int to_ok = registry_check_date(v, "valid_to", N_("In force until"), ag->valid_to, 0) == 0;
	char year[16];

	if (from_ok && to_ok && ag->valid_to != NULL && strcmp(ag->valid_to, ag->valid_from) < 0) {
		verrs_add(v, "valid_to", "before_start", "%s",
			  _("In force until: the end cannot be before the start."));
		to_ok = 0;
	}
	if (ag->duration == NULL && from_ok && to_ok) {
		if (ag->valid_to == NULL)
			ag->duration = "indefinite";
		else {
			one_year_on(ag->valid_from, year);
			ag->duration = strcmp(ag->valid_to, year) <= 0 ? "one_year" : "multi_year";
		}
	}
	if (ag->duration != NULL && code_index(agreement_durations, ag->duration) < 0)
		verrs_add(v, "duration", "invalid", "%s", _("Duration: choose one of the listed periods."));
	else if (ag->duration != NULL && to_ok &&
		 (strcmp(ag->duration, "indefinite") == 0) != (ag->valid_to == NULL))
		verrs_add(v, "valid_to", "duration",
			  "%s", strcmp(ag->duration, "indefinite") == 0
					? _("In force until: an agreement for an indefinite period has no end date.")
					: _("In force until: enter the end date of an agreement for a fixed period."));
	(void)a;
}

int agreement_validate(struct db *db, struct arena *a, struct agreement *ag, struct verrs *v)
{
	int before = v->n, dberr = 0, i;

	ag->subject = registry_clean(a, ag->subject);
	ag->signed_on = registry_clean(a, ag->signed_on);
	ag->valid_from = registry_clean(a, ag->valid_from);
	ag->valid_to = registry_clean(a, ag->valid_to);
	ag->duration = registry_clean(a, ag->duration);
	ag->status = registry_clean(a, ag->status);
	ag->terminated_on = registry_clean(a, ag->terminated_on);
	ag->attachments = registry_clean(a, ag->attachments);
	if (ag->subject == NULL)
		verrs_add(v, "subject", "required", "%s", _("Subject: enter what the agreement is about."));
	else if (utf8_length(ag->subject) > 500)
		verrs_add(v, "subject", "too_long", "%s", _("Subject: at most 500 characters."));
	if (ag->attachments != NULL && utf8_length(ag->attachments) > 1000)
		verrs_add(v, "attachments", "too_long", "%s",
			  _("Attachments: at most 1000 characters."));
	check_parties(db, ag, v, &dberr);
	if (ag->status == NULL)
		ag->status = "negotiating";
	if (code_index(agreement_statuses, ag->status) < 0)
		verrs_add(v, "status", "invalid", "%s", _("Status: choose one of the listed states."));
	if (registry_check_date(v, "signed_on", N_("Signed on"), ag->signed_on, 0) == 0 &&
	    ag->signed_on == NULL && strcmp(ag->status, "negotiating") != 0)
		verrs_add(v, "signed_on", "required", "%s",
			  _("Signed on: a signed agreement needs the date it was signed."));
	if (registry_check_date(v, "terminated_on", N_("Terminated on"), ag->terminated_on, 0) == 0) {
		if (strcmp(ag->status, "terminated") == 0 && ag->terminated_on == NULL)
			verrs_add(v, "terminated_on", "required", "%s",
				  _("Terminated on: enter the date the agreement ended."));
		else if (strcmp(ag->status, "terminated") != 0)
			ag->terminated_on = NULL;
	}
	check_period(ag, a, v);
	check_forms(db, a, ag, v, &dberr);
	for (i = 0; i < ag->ndata; i++)
		if (code_index(agreement_data_categories, ag->data[i]) < 0) {
			verrs_add(v, "data", "invalid", _("Categories of data: there is no category \"%s\"."),
				  ag->data[i]);
			break;
		}
	return dberr ? -1 : v->n - before;
}

/* ------------------------------------------------------------------ */
/* Writes                                                              */
/* ------------------------------------------------------------------ */

static int save_lists(struct db *db, const struct agreement *ag, int64_t id)
{
	int i, j;

	if (db_run(db, &SQL_DEL_PARTIES, "i", id) != DB_OK || db_run(db, &SQL_DEL_FORMS, "i", id) != DB_OK ||
	    db_run(db, &SQL_DEL_DATA, "i", id) != DB_OK)
		return -1;
	for (i = 0; i < ag->nparties; i++)
		if (db_run(db, &SQL_ADD_PARTY, "ii", id, ag->parties[i]) != DB_OK)
			return -1;
	for (i = 0; i < ag->nforms; i++) {
		for (j = 0; j < i && strcmp(ag->forms[i], ag->forms[j]) != 0; j++)
			;
		if (j == i && db_run(db, &SQL_ADD_FORM, "it", id, ag->forms[i]) != DB_OK)
			return -1;
	}
	for (i = 0; i < ag->ndata; i++) {
		for (j = 0; j < i && strcmp(ag->data[i], ag->data[j]) != 0; j++)
			;
		if (j == i && db_run(db, &SQL_ADD_DATA, "it", id, ag->data[i]) != DB_OK)
			return -1;
	}
	return 0;
}

static int64_t user_or_null(const struct audit_actor *who)
{
	return who != NULL ? who->user_id : 0;
}

int agreement_create(struct db *db, struct arena *a, const struct audit_actor *who,
		     struct agreement *ag, int64_t *id, struct verrs *v)
{
	char now[CLOCK_ISO_LEN];
	struct db_stmt *st;
	int rc = agreement_validate(db, a, ag, v);
	int64_t uid = user_or_null(who);

	if (rc != 0)
		return rc < 0 ? -1 : 1;
	clock_iso(clock_now(), now);
	if (db_begin(db) != 0)
		return -1;
	if (uid > 0)
		st = db_query(db, &SQL_INSERT, "tttttttttiti", ag->subject, ag->signed_on, ag->valid_from,
			      ag->valid_to, ag->duration, ag->status, ag->terminated_on, ag->attachments, now,
			      uid, now, uid);
	else /* the demo, the command line: no account */
		st = db_query(db, &SQL_INSERT, "tttttttttntn", ag->subject, ag->signed_on, ag->valid_from,
			      ag->valid_to, ag->duration, ag->status, ag->terminated_on, ag->attachments, now,
			      now);
	rc = st != NULL ? db_step(st) : DB_ERROR;
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		rc = 0;
	} else if (rc >= 0) {
		rc = DB_ERROR;
	}
	db_reset(st);
	if (rc == 0) {
		ag->id = *id;
		rc = save_lists(db, ag, *id);
	}
	return audit_commit(db, who, rc, "agreement.create", "agreement", rc == 0 ? *id : 0, ag->subject);
}

int agreement_update(struct db *db, struct arena *a, const struct audit_actor *who,
		     struct agreement *ag, struct verrs *v)
{
	char now[CLOCK_ISO_LEN];
	int64_t uid = user_or_null(who);
	struct db_stmt *st = db_query(db, &SQL_EXISTS, "i", ag->id);
	int rc = st != NULL ? db_step(st) : DB_ERROR;

	db_reset(st);
	if (rc < 0)
		return -1;
	if (rc != DB_ROW)
		return 1;
	rc = agreement_validate(db, a, ag, v);
	if (rc != 0)
		return rc < 0 ? -1 : 1;
	clock_iso(clock_now(), now);
	if (db_begin(db) != 0)
		return -1;
	if (uid > 0)
		rc = db_run(db, &SQL_UPDATE, "ttttttttti" "i", ag->subject, ag->signed_on, ag->valid_from,
			    ag->valid_to, ag->duration, ag->status, ag->terminated_on, ag->attachments, now, uid,
			    ag->id);
	else
		rc = db_run(db, &SQL_UPDATE, "tttttttttn" "i", ag->subject, ag->signed_on, ag->valid_from,
			    ag->valid_to, ag->duration, ag->status, ag->terminated_on, ag->attachments, now,
			    ag->id);
	if (rc == DB_OK)
		rc = save_lists(db, ag, ag->id);
	return audit_commit(db, who, rc == DB_OK ? 0 : -1, "agreement.update", "agreement", ag->id,
			    ag->subject);
}

int agreement_terminate(struct db *db, const struct audit_actor *who, int64_t id, const char *date,
			struct verrs *v)
{
	char now[CLOCK_ISO_LEN], t[16];
	int64_t uid = user_or_null(who);
	struct db_stmt *st = db_query(db, &SQL_EXISTS, "i", id);
	int rc = st != NULL ? db_step(st) : DB_ERROR;
	int terminated = rc == DB_ROW && str_eq(db_col_text(st, 0), "terminated");

	db_reset(st);
	if (rc < 0)
		return -1;
	if (rc != DB_ROW)
		return 1;
	if (terminated) {
		verrs_add(v, "", "terminated", "%s", _("The agreement has already been terminated."));
		return 1;
	}
	if (date == NULL) {
		registry_today(t);
		date = t;
	} else if (registry_check_date(v, "terminated_on", N_("Terminated on"), date, 1) != 0) {
		return 1;
	}
	clock_iso(clock_now(), now);
	if (db_begin(db) != 0)
		return -1;
	rc = uid > 0 ? db_run(db, &SQL_TERMINATE, "ttii", date, now, uid, id)
		     : db_run(db, &SQL_TERMINATE, "ttni", date, now, id);
	return audit_commit(db, who, rc == DB_OK ? 0 : -1, "agreement.terminate", "agreement", id, date);
}

/* ------------------------------------------------------------------ */
/* Reads                                                               */
/* ------------------------------------------------------------------ */

static int read_codes(struct db *db, struct arena *a, const struct db_sql *sql, int64_t id,
		      const char **out, int max)
{
	struct db_stmt *st = db_query(db, sql, "i", id);
	int n = 0, rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		if (n < max)
			out[n++] = arena_strdup(a, db_col_text(st, 0));
	db_reset(st);
	return rc == DB_DONE ? n : -1;
}

int agreement_get(struct db *db, struct arena *a, int64_t id, struct agreement *out)
{
	struct db_stmt *st = db_query(db, &SQL_GET, "i", id);
	int rc = st != NULL ? db_step(st) : DB_ERROR;

	memset(out, 0, sizeof(*out));
	if (rc != DB_ROW) {
		db_reset(st);
		return rc == DB_DONE ? 1 : -1;
	}
	out->id = db_col_int(st, 0);
	out->subject = arena_strdup(a, db_col_text(st, 1));
	out->signed_on = arena_strdup(a, db_col_text(st, 2));
	out->valid_from = arena_strdup(a, db_col_text(st, 3));
	out->valid_to = arena_strdup(a, db_col_text(st, 4));
	out->duration = arena_strdup(a, db_col_text(st, 5));
	out->status = arena_strdup(a, db_col_text(st, 6));
	out->terminated_on = arena_strdup(a, db_col_text(st, 7));
	out->attachments = arena_strdup(a, db_col_text(st, 8));
	out->created_at = arena_strdup(a, db_col_text(st, 9));
	out->updated_at = arena_strdup(a, db_col_text(st, 10));
	db_reset(st);
	st = db_query(db, &SQL_GET_PARTIES, "i", id);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && out->nparties < AGREEMENT_MAX_PARTIES) {
		out->parties[out->nparties] = db_col_int(st, 0);
		out->party_names[out->nparties] = arena_strdup(a, db_col_text(st, 1));
		out->party_kinds[out->nparties] = arena_strdup(a, db_col_text(st, 2));
		out->nparties++;
	}
	db_reset(st);
	if (rc < 0)
		return -1;
	out->nforms = read_codes(db, a, &SQL_GET_FORMS, id, out->forms, AGREEMENT_MAX_FORMS);
	out->ndata = read_codes(db, a, &SQL_GET_DATA, id, out->data, AGREEMENT_MAX_DATA);
	return out->nforms < 0 || out->ndata < 0 ? -1 : 0;
}

int agreement_expiring(struct db *db, struct arena *a, int64_t inst, int days,
		       struct agreement_brief **out)
{
	char t[16], until[16];
	struct agreement_brief *r;
	struct db_stmt *st;
	char iso[CLOCK_ISO_LEN];
	int n = 0, rc;

	registry_today(t);
	/* the day `days` ahead, through the clock (UTC: a day either way does not matter here) */
	clock_iso(clock_now() + (int64_t)days * 86400, iso);
	memcpy(until, iso, 10);
	until[10] = '\0';
	*out = NULL;
	r = arena_zalloc(a, sizeof(*r) * 50);
	st = db_query(db, &SQL_EXPIRING, "ttii", t, until, inst, inst);
	if (r == NULL || st == NULL) {
		db_reset(st);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW && n < 50) {
		r[n].id = db_col_int(st, 0);
		r[n].subject = arena_strdup(a, db_col_text(st, 1));
		r[n].valid_to = arena_strdup(a, db_col_text(st, 2));
		r[n].parties = arena_strdup(a, db_col_text(st, 3));
		n++;
	}
	db_reset(st);
	if (rc < 0)
		return -1;
	*out = r;
	return n;
}

/* ------------------------------------------------------------------ */
/* The list                                                            */
/* ------------------------------------------------------------------ */

#define TODAY "CAST(CURRENT_DATE AS TEXT)"

static const char *form_label_of(const char *code)
{
	return agreement_form_label(code);
}

static const struct list_col agreement_cols[AGR_COL__MAX] = {
	[AGR_COL_SUBJECT] = { "subject", N_("Subject"), "a.subject", LIST_TEXT, LIST_SORT | LIST_SEARCH,
			      "lower(a.subject)", "a.subject" },
	[AGR_COL_PARTIES] = { "parties", N_("Parties"),
			      "(SELECT string_agg(x.name, ', ') FROM (SELECT i.name FROM agreement_party q "
			      "JOIN institution i ON i.id = q.institution_id WHERE q.agreement_id = a.id "
			      "ORDER BY i.name) x)",
			      LIST_TEXT, 0 },
	[AGR_COL_STATUS] = { "status", N_("Status"), "a.status", LIST_CODE, LIST_SORT | LIST_FILTER, NULL,
			     NULL, agreement_status_label, agreement_statuses },
	[AGR_COL_DURATION] = { "duration", N_("Duration"), "a.duration", LIST_CODE,
			       LIST_SORT | LIST_FILTER, NULL, NULL, agreement_duration_label,
			       agreement_durations },
	[AGR_COL_SIGNED] = { "signed_on", N_("Signed on"), "a.signed_on", LIST_DATE, LIST_SORT | LIST_RANGE },
	[AGR_COL_FROM] = { "valid_from", N_("In force from"), "a.valid_from", LIST_DATE,
			   LIST_SORT | LIST_RANGE },
	[AGR_COL_TO] = { "valid_to", N_("In force until"), "a.valid_to", LIST_DATE, LIST_SORT | LIST_RANGE },
	[AGR_COL_FORMS] = { "forms", N_("Forms of cooperation"),
			    "(SELECT string_agg(x.form_code, ',') FROM (SELECT f.form_code FROM "
			    "agreement_form f JOIN cooperation_form c ON c.code = f.form_code WHERE "
			    "f.agreement_id = a.id ORDER BY c.sort) x)",
			    LIST_CODE, LIST_MULTI, NULL, NULL, form_label_of },
	[AGR_COL_PARTY] = { "party", N_("Party (institution number)"), "a.id", LIST_INT,
			    LIST_FILTER | LIST_NOSHOW, NULL, NULL, NULL, NULL,
			    "EXISTS (SELECT 1 FROM agreement_party x WHERE x.agreement_id = a.id AND "
			    "x.institution_id = CAST(? AS INTEGER))" },
	[AGR_COL_FORM] = { "form", N_("Form of cooperation"), "a.id", LIST_TEXT, LIST_FILTER | LIST_NOSHOW,
			   NULL, NULL, NULL, NULL,
			   "EXISTS (SELECT 1 FROM agreement_form x WHERE x.agreement_id = a.id AND "
			   "x.form_code = ?)" },
	[AGR_COL_IN_FORCE] = { "in_force", N_("In force today"),
			       "(CASE WHEN (a.status = 'signed' OR (a.status = 'terminated' AND "
			       "a.terminated_on > " TODAY ")) AND a.valid_from <= " TODAY " AND (a.valid_to "
			       "IS NULL OR a.valid_to >= " TODAY ") THEN 1 ELSE 0 END)",
			       LIST_BOOL, LIST_SORT | LIST_FILTER },
};

const struct list_def agreement_list = {
	.name = "agreements",
	.entity = "agreement",
	.from = "agreement a",
	.id_expr = "a.id",
	.cols = agreement_cols,
	.ncols = AGR_COL__MAX,
	.default_sort = AGR_COL_FROM,
	.default_desc = 1,
};
