/*
 * referral.c — referrals and information requests between institutions
 * (see referral.h): creation by record or by PESEL to every partner, the
 * transitions, the lists of both sides.
 */
#include "coop/referral.h"

#include <stdio.h>
#include <string.h>

#include "auth/role.h"
#include "coop/agreement.h"
#include "coop/consent.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/ident.h"
#include "core/str.h"
#include "registry/check.h"

#define MESSAGE_MAX 4000
#define REASON_MAX 1000

const char *const referral_purposes[] = { "labour_market_activation", "social_contract",
					  "interdisciplinary_team", "project_participation",
					  "data_quality", "statistics", NULL };
const char *const referral_states[] = { "requested", "accepted", "refused", "linked", NULL };
const char *const referral_link_kinds[] = { "episode", "contract", "person", NULL };

static const char *label_of(const char *const *codes, const char *const *msgids, const char *code)
{
	int i;

	for (i = 0; code != NULL && codes[i] != NULL; i++)
		if (strcmp(codes[i], code) == 0)
			return _(msgids[i]);
	return code != NULL ? code : "";
}

const char *referral_purpose_label(const char *code)
{
	static const char *const msgids[] = { N_("labour-market activation"), N_("social contract"),
					      N_("interdisciplinary team"), N_("project participation"),
					      N_("data quality (record reconciliation)"), N_("statistics") };

	return label_of(referral_purposes, msgids, code);
}

const char *referral_state_label(const char *code)
{
	static const char *const msgids[] = { N_("awaiting an answer"), N_("accepted"), N_("refused"),
					      N_("linked to the support that followed") };

	return label_of(referral_states, msgids, code);
}

const char *referral_link_kind_label(const char *code)
{
	static const char *const msgids[] = { N_("support episode"), N_("social contract"),
					      N_("person record") };

	return label_of(referral_link_kinds, msgids, code);
}

static int in_list(const char *const *codes, const char *s)
{
	int i;

	for (i = 0; s != NULL && codes[i] != NULL; i++)
		if (strcmp(codes[i], s) == 0)
			return 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* SQL                                                                 */
/* ------------------------------------------------------------------ */

#define SELECT_REFERRAL                                                                       \
	"SELECT r.id, r.batch, r.from_institution_id, r.to_institution_id, r.person_id, r.pesel, " \
	"r.purpose, r.message, r.state, r.refusal_reason, r.linked_kind, r.linked_id, "           \
	"r.created_at, r.decided_at, r.linked_at, r.created_by, r.decided_by, fi.name, ti.name, " \
	"cu.full_name, du.full_name, p.institution_id, p.first_names, p.surname, p.pesel "        \
	"FROM referral r JOIN institution fi ON fi.id = r.from_institution_id "                   \
	"JOIN institution ti ON ti.id = r.to_institution_id "                                      \
	"LEFT JOIN app_user cu ON cu.id = r.created_by LEFT JOIN app_user du ON du.id = r.decided_by " \
	"LEFT JOIN person p ON p.id = r.person_id "

static const struct db_sql SQL_GET = DB_SQL(SELECT_REFERRAL "WHERE r.id = ?");
static const struct db_sql SQL_LIST_TO = DB_SQL(SELECT_REFERRAL
	"WHERE r.to_institution_id = ? AND (CAST(? AS TEXT) IS NULL OR r.state = ?) ORDER BY r.id DESC LIMIT ?");
static const struct db_sql SQL_LIST_FROM = DB_SQL(SELECT_REFERRAL
	"WHERE r.from_institution_id = ? AND (CAST(? AS TEXT) IS NULL OR r.state = ?) ORDER BY r.id DESC LIMIT ?");
static const struct db_sql SQL_COUNT_TO = DB_SQL(
	"SELECT count(*) FROM referral WHERE to_institution_id = ? AND (CAST(? AS TEXT) IS NULL OR state = ?)");
static const struct db_sql SQL_COUNT_FROM = DB_SQL(
	"SELECT count(*) FROM referral WHERE from_institution_id = ? AND (CAST(? AS TEXT) IS NULL OR state = ?)");
static const struct db_sql SQL_INSERT = DB_SQL(
	"INSERT INTO referral (batch, from_institution_id, to_institution_id, person_id, pesel, purpose, "
	"message, state, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, 'requested', ?, ?) RETURNING id");
static const struct db_sql SQL_SET_BATCH = DB_SQL("UPDATE referral SET batch = ? WHERE id = ?");
static const struct db_sql SQL_PERSON_INST = DB_SQL(
	"SELECT institution_id FROM person WHERE id = ? AND deleted_at IS NULL");
static const struct db_sql SQL_PERSON_BY_PESEL = DB_SQL(
	"SELECT id FROM person WHERE institution_id = ? AND pesel = ? AND deleted_at IS NULL");
/* the recipient's record named by an earlier referral between the two (either direction) */
static const struct db_sql SQL_NAMED_BEFORE = DB_SQL(
	"SELECT count(*) FROM referral WHERE person_id = ? AND ((from_institution_id = ? AND "
	"to_institution_id = ?) OR (from_institution_id = ? AND to_institution_id = ?))");
static const struct db_sql SQL_EPISODE_INST = DB_SQL("SELECT institution_id FROM episode WHERE id = ?");
static const struct db_sql SQL_INST_ACTIVE = DB_SQL("SELECT active FROM institution WHERE id = ?");
static const struct db_sql SQL_ACCEPT = DB_SQL(
	"UPDATE referral SET state = 'accepted', person_id = ?, decided_at = ?, decided_by = ? "
	"WHERE id = ? AND state = 'requested'");
static const struct db_sql SQL_REFUSE = DB_SQL(
	"UPDATE referral SET state = 'refused', refusal_reason = ?, decided_at = ?, decided_by = ? "
	"WHERE id = ? AND state = 'requested'");
static const struct db_sql SQL_LINK = DB_SQL(
	"UPDATE referral SET state = 'linked', linked_kind = ?, linked_id = ?, linked_at = ?, linked_by = ? "
	"WHERE id = ? AND state = 'accepted'");

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void now_iso(char out[CLOCK_ISO_LEN])
{
	clock_iso(clock_now(), out);
}

int referral_may_work(const struct registry_writer *w)
{
	return w->policy.cli ||
	       (w->policy.roles & (ROLE_BIT(ROLE_SOCIAL_WORKER) | ROLE_BIT(ROLE_GUARDIAN) |
				   ROLE_BIT(ROLE_LABOUR_ADVISER))) != 0;
}

static void read_row(struct db_stmt *st, struct arena *a, struct referral *r)
{
	const char *first, *sur;

	memset(r, 0, sizeof(*r));
	r->id = db_col_int(st, 0);
	r->batch = db_col_int(st, 1);
	r->from_institution_id = db_col_int(st, 2);
	r->to_institution_id = db_col_int(st, 3);
	r->person_id = db_col_int(st, 4);
	r->pesel = registry_col(a, st, 5);
	r->purpose = registry_col(a, st, 6);
	r->message = registry_col(a, st, 7);
	r->state = registry_col(a, st, 8);
	r->refusal_reason = registry_col(a, st, 9);
	r->linked_kind = registry_col(a, st, 10);
	r->linked_id = db_col_int(st, 11);
	r->created_at = registry_col(a, st, 12);
	r->decided_at = registry_col(a, st, 13);
	r->linked_at = registry_col(a, st, 14);
	r->created_by = db_col_int(st, 15);
	r->decided_by = db_col_int(st, 16);
	r->from_name = registry_col(a, st, 17);
	r->to_name = registry_col(a, st, 18);
	r->created_by_name = registry_col(a, st, 19);
	r->decided_by_name = registry_col(a, st, 20);
	r->person_institution_id = db_col_int(st, 21);
	first = registry_col(a, st, 22);
	sur = registry_col(a, st, 23);
	if (first != NULL || sur != NULL)
		r->person_name = arena_printf(a, "%s %s", first != NULL ? first : "", sur != NULL ? sur : "");
	r->person_pesel = registry_col(a, st, 24);
}

/* may_show_person() is 1 when inst may read the names of r's record (see referral_get()). */
static int may_show_person(const struct referral *r, int64_t inst)
{
	return inst == 0 || r->person_institution_id == inst ||
	       r->person_institution_id == r->from_institution_id;
}

int referral_get(struct db *db, struct arena *a, int64_t inst, int64_t id, struct referral *out)
{
	struct db_stmt *st = db_query(db, &SQL_GET, "i", id);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		read_row(st, a, out);
	db_reset(st);
	if (rc < 0)
		return -1;
	if (rc != DB_ROW || (inst != 0 && out->from_institution_id != inst && out->to_institution_id != inst))
		return REFERRAL_NOT_FOUND;
	if (!may_show_person(out, inst)) {
		out->person_name = NULL;
		out->person_pesel = NULL;
	}
	return 0;
}

static int list_rows(struct db_stmt *st, struct arena *a, struct referral **out, int max)
{
	struct referral *rows = arena_zalloc(a, sizeof(*rows) * (size_t)(max > 0 ? max : 1));
	int n = 0, rc;

	if (rows == NULL) {
		db_reset(st);
		return -1;
	}
	while (n < max && (rc = db_step(st)) == DB_ROW) {
		read_row(st, a, &rows[n]);
		rows[n].person_name = NULL; /* lists name no one: the referral page does, for its parties */
		n++;
	}
	db_reset(st);
	if (n < max && rc < 0)
		return -1;
	*out = rows;
	return n;
}

int referral_list(struct db *db, struct arena *a, int64_t inst, enum referral_box box,
		  const char *state, struct referral **out, int max)
{
	struct db_stmt *st = db_query(db, box == REFERRAL_RECEIVED ? &SQL_LIST_TO : &SQL_LIST_FROM, "itti",
				      inst, state, state, (int64_t)max);

	*out = NULL;
	return st == NULL ? -1 : list_rows(st, a, out, max);
}

int64_t referral_count(struct db *db, int64_t inst, enum referral_box box, const char *state)
{
	int64_t n = 0;

	if (db_get_int(db, &n, box == REFERRAL_RECEIVED ? &SQL_COUNT_TO : &SQL_COUNT_FROM, "itt", inst,
		       state, state) < 0)
		return -1;
	return n;
}

/* ------------------------------------------------------------------ */
/* Create                                                              */
/* ------------------------------------------------------------------ */

static int validate_new(struct referral_new *n, struct arena *a, const struct registry_writer *w,
			struct verrs *v)
{
	struct ident_error ie;

	if (n->pesel != NULL && n->pesel[0] == '\0')
		n->pesel = NULL;
	if (n->message != NULL) {
		char *m = str_trim(arena_strdup(a, n->message));

		n->message = m != NULL && m[0] != '\0' ? m : NULL;
	}
	if (n->person_id > 0 && n->pesel != NULL)
		verrs_add(v, "pesel", "invalid", "%s",
			  _("Send either a record or a PESEL, not both."));
	else if (n->person_id <= 0 && n->pesel == NULL)
		verrs_add(v, "pesel", "required", "%s",
			  _("Name the person: a record of yours, or a PESEL to ask the partners about."));
	else if (n->pesel != NULL && pesel_check(n->pesel, clock_today_ymd(), NULL, &ie) != 0)
		verrs_add(v, "pesel", "invalid", "%s",
			  _("This is not a valid PESEL: check the digits."));
	if (n->person_id > 0 && n->to_institution_id <= 0)
		verrs_add(v, "to_institution_id", "required", "%s",
			  _("Choose the institution the referral goes to."));
	if (n->to_institution_id > 0 && n->to_institution_id == w->policy.institution_id)
		verrs_add(v, "to_institution_id", "invalid", "%s",
			  _("A referral goes to another institution, not your own."));
	if (!in_list(referral_purposes, n->purpose))
		verrs_add(v, "purpose", n->purpose == NULL || n->purpose[0] == '\0' ? "required" : "invalid",
			  "%s", _("Choose the purpose of the referral."));
	if (n->message != NULL && strlen(n->message) > MESSAGE_MAX)
		verrs_add(v, "message", "too_long", _("The message may have at most %d characters."),
			  MESSAGE_MAX);
	return v->n;
}

/*
 * may_name() is 0 when w may name record person_id in a referral to
 * inst `to`: its own live record, or the recipient's that an earlier
 * referral between the two named. 1 otherwise (with the same error
 * whether or not the record exists), -1.
 */
static int may_name(struct db *db, const struct registry_writer *w, int64_t person_id, int64_t to,
		    struct verrs *v)
{
	int64_t owner = 0, n = 0;
	int64_t me = w->policy.institution_id;
	int rc = db_get_int(db, &owner, &SQL_PERSON_INST, "i", person_id);

	if (rc < 0)
		return -1;
	if (rc == DB_ROW && owner == me)
		return 0;
	if (rc == DB_ROW && owner == to) {
		if (db_get_int(db, &n, &SQL_NAMED_BEFORE, "iiiii", person_id, me, to, to, me) < 0)
			return -1;
		if (n > 0)
			return 0;
	}
	verrs_add(v, "person_id", "not_found", "%s",
		  _("No record with this number may be named by your institution: send a record of "
		    "your own, one named in a referral you received from this institution, or a PESEL."));
	return 1;
}

static int check_recipient(struct db *db, int64_t to, struct verrs *v)
{
	int64_t active = 0;
	int rc = db_get_int(db, &active, &SQL_INST_ACTIVE, "i", to);

	if (rc < 0)
		return -1;
	if (rc != DB_ROW || active != 1) {
		verrs_add(v, "to_institution_id", "invalid", "%s",
			  _("No such active institution to send the referral to."));
		return 1;
	}
	return 0;
}

/* bind_id() binds an id, or NULL for 0 (no batch, no record, the command line). */
static int bind_id(struct db_stmt *st, int i, int64_t v)
{
	return v > 0 ? db_bind_int(st, i, v) : db_bind_null(st, i);
}

static int insert_one(struct db *db, const struct registry_writer *w, const struct referral_new *n,
		      int64_t batch, int64_t to, const char *now, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, &SQL_INSERT);
	int rc;

	if (st == NULL)
		return -1;
	if (bind_id(st, 1, batch) != 0 || db_bind_int(st, 2, w->policy.institution_id) != 0 ||
	    db_bind_int(st, 3, to) != 0 || bind_id(st, 4, n->person_id) != 0 ||
	    db_bind_text(st, 5, n->pesel) != 0 || db_bind_text(st, 6, n->purpose) != 0 ||
	    db_bind_text(st, 7, n->message) != 0 || db_bind_text(st, 8, now) != 0 ||
	    bind_id(st, 9, w->audit.user_id) != 0) {
		db_reset(st);
		return -1;
	}
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_reset(st);
	return rc == DB_ROW ? 0 : -1;
}

int referral_create(struct db *db, struct arena *a, const struct registry_writer *w,
		    struct referral_new *n, int64_t *ids, int max, int *nids, struct verrs *v)
{
	int64_t to[REFERRAL_PARTNERS_MAX];
	char now[CLOCK_ISO_LEN];
	int nto = 1, i, rc;

	*nids = 0;
	if (!referral_may_work(w)) {
		verrs_add(v, "", "role", "%s",
			  _("Referrals are sent and answered by social workers, family guardians and "
			    "labour-office advisers."));
		return 1;
	}
	if (validate_new(n, a, w, v) > 0)
		return 1;
	if (n->to_institution_id > 0) {
		if ((rc = check_recipient(db, n->to_institution_id, v)) != 0)
			return rc;
		to[0] = n->to_institution_id;
	} else {
		nto = agreement_partners(db, w->policy.institution_id, NULL, to, REFERRAL_PARTNERS_MAX);
		if (nto > REFERRAL_PARTNERS_MAX)
			nto = REFERRAL_PARTNERS_MAX;
		if (nto < 0)
			return -1;
		if (nto == 0) {
			verrs_add(v, "to_institution_id", "no_partner", "%s",
				  _("Your institution has no agreement in force with another institution: "
				    "choose the institution to ask."));
			return 1;
		}
	}
	if (n->person_id > 0 && (rc = may_name(db, w, n->person_id, to[0], v)) != 0)
		return rc;
	now_iso(now);
	for (i = 0; i < nto; i++) {
		int64_t id = 0;

		if (insert_one(db, w, n, i == 0 ? 0 : ids[0], to[i], now, &id) != 0)
			return -1;
		if (i < max)
			ids[i] = id;
		if (i == 0 && nto > 1 && db_run(db, &SQL_SET_BATCH, "ii", id, id) != DB_OK)
			return -1;
	}
	*nids = nto < max ? nto : max;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Transitions                                                         */
/* ------------------------------------------------------------------ */

/*
 * run_update() runs a transition's UPDATE: its parameters are text (when
 * not NULL), an id (when not negative; 0 binds NULL), the time, the user
 * (NULL for the command line) and the referral. A row not in the state
 * the UPDATE expects (a concurrent answer) is refused by its WHERE.
 */
static int run_update(struct db *db, const struct db_sql *sql, const char *text, int64_t num,
		      const char *now, int64_t user, int64_t id)
{
	struct db_stmt *st = db_prepare(db, sql);
	int i = 1, rc;

	if (st == NULL)
		return -1;
	rc = text != NULL ? db_bind_text(st, i++, text) : 0;
	if (rc == 0 && num >= 0)
		rc = bind_id(st, i++, num);
	if (rc == 0)
		rc = db_bind_text(st, i, now) | bind_id(st, i + 1, user) | db_bind_int(st, i + 2, id);
	if (rc != 0) {
		db_reset(st);
		return -1;
	}
	rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE || rc == DB_OK ? 0 : -1;
}

/* load_party() reads referral id if w's institution is a party (REFERRAL_NOT_FOUND otherwise). */
static int load_party(struct db *db, struct arena *a, const struct registry_writer *w, int64_t id,
		      struct referral *r, struct verrs *v)
{
	int rc = referral_get(db, a, w->policy.cli ? 0 : w->policy.institution_id, id, r);

	if (rc != 0)
		return rc;
	if (!referral_may_work(w)) {
		verrs_add(v, "", "role", "%s",
			  _("Referrals are sent and answered by social workers, family guardians and "
			    "labour-office advisers."));
		return 1;
	}
	return 0;
}

/* decidable() is 0 when w may decide r now: the recipient, while it is requested. */
static int decidable(const struct registry_writer *w, const struct referral *r, struct verrs *v)
{
	if (!w->policy.cli && r->to_institution_id != w->policy.institution_id) {
		verrs_add(v, "", "forbidden", "%s",
			  _("Only the institution the referral was sent to accepts or refuses it."));
		return 1;
	}
	if (strcmp(r->state, "requested") != 0) {
		verrs_add(v, "", "state", "%s", _("This referral has already been answered."));
		return 1;
	}
	return 0;
}

/*
 * record_consent() records, with an acceptance, the person's consent for
 * the referral's purpose to its sender (coop/consent.h): from today, in
 * the form given, until acc->consent_valid_to or withdrawn.
 */
static int record_consent(struct db *db, struct arena *a, const struct registry_writer *w,
			  const struct referral *r, int64_t person_id, struct referral_accept *acc,
			  struct verrs *v)
{
	struct consent c;
	char d[16];
	int rc;

	registry_today(d);
	memset(&c, 0, sizeof(c));
	c.person_id = person_id;
	c.recipient_institution_id = r->from_institution_id;
	c.purpose = r->purpose;
	c.basis = "consent";
	c.given_form = acc->consent_form != NULL && acc->consent_form[0] != '\0' ? acc->consent_form : "written";
	c.valid_from = arena_strdup(a, d);
	c.valid_to = acc->consent_valid_to != NULL && acc->consent_valid_to[0] != '\0' ? acc->consent_valid_to
										     : NULL;
	c.note = arena_printf(a, "referral %lld", (long long)r->id);
	rc = consent_create(db, w, &c, v);
	if (rc == 0)
		acc->consent_id = c.id;
	return rc == PERSON_NOT_FOUND ? 1 : rc;
}

int referral_accept(struct db *db, struct arena *a, const struct registry_writer *w, int64_t id,
		    struct referral_accept *acc, struct verrs *v)
{
	struct referral r;
	char now[CLOCK_ISO_LEN];
	int64_t person = 0, owner = 0;
	int rc = load_party(db, a, w, id, &r, v);

	if (rc != 0)
		return rc;
	if ((rc = decidable(w, &r, v)) != 0)
		return rc;
	/* the record the answer is about: the one named, or chosen, or the one with the PESEL */
	if (acc->person_id > 0) {
		rc = db_get_int(db, &owner, &SQL_PERSON_INST, "i", acc->person_id);
		if (rc < 0)
			return -1;
		if (rc != DB_ROW || owner != r.to_institution_id) {
			verrs_add(v, "person_id", "not_found", "%s",
				  _("Choose a record of your own institution."));
			return 1;
		}
		person = acc->person_id;
	} else if (r.person_id > 0) {
		person = r.person_id;
	} else if (r.pesel != NULL) {
		rc = db_get_int(db, &person, &SQL_PERSON_BY_PESEL, "it", r.to_institution_id, r.pesel);
		if (rc < 0)
			return -1;
	}
	if (acc->consent) {
		if (person <= 0) {
			verrs_add(v, "consent", "no_record", "%s",
				  _("A consent is recorded for a record of your institution: register the "
				    "person first, then accept with the consent."));
			return 1;
		}
		if (person == r.person_id && r.person_institution_id != r.to_institution_id) {
			/* the sender's own record: its consent is the sender's to record, not the recipient's */
			verrs_add(v, "consent", "not_yours", "%s",
				  _("The record belongs to the institution that sent the referral: it records "
				    "the person's consent itself."));
			return 1;
		}
		if ((rc = record_consent(db, a, w, &r, person, acc, v)) != 0)
			return rc;
	}
	now_iso(now);
	return run_update(db, &SQL_ACCEPT, NULL, person, now, w->audit.user_id, id);
}

int referral_refuse(struct db *db, struct arena *a, const struct registry_writer *w, int64_t id,
		    const char *reason, struct verrs *v)
{
	struct referral r;
	char now[CLOCK_ISO_LEN];
	char *why = reason != NULL ? str_trim(arena_strdup(a, reason)) : NULL;
	int rc = load_party(db, a, w, id, &r, v);

	if (rc != 0)
		return rc;
	if ((rc = decidable(w, &r, v)) != 0)
		return rc;
	if (why == NULL || why[0] == '\0') {
		verrs_add(v, "reason", "required", "%s",
			  _("Say why the referral is refused (for example: not our client)."));
		return 1;
	}
	if (strlen(why) > REASON_MAX) {
		verrs_add(v, "reason", "too_long", _("The reason may have at most %d characters."),
			  REASON_MAX);
		return 1;
	}
	now_iso(now);
	return run_update(db, &SQL_REFUSE, why, -1, now, w->audit.user_id, id);
}

int referral_link(struct db *db, struct arena *a, const struct registry_writer *w, int64_t id,
		  const char *kind, int64_t linked_id, struct verrs *v)
{
	struct referral r;
	char now[CLOCK_ISO_LEN];
	int64_t owner = 0;
	int rc = load_party(db, a, w, id, &r, v);

	if (rc != 0)
		return rc;
	if (strcmp(r.state, "accepted") != 0) {
		verrs_add(v, "", "state", "%s",
			  strcmp(r.state, "linked") == 0
				  ? _("This referral is already linked to what followed.")
				  : _("Only an accepted referral is linked to what followed."));
		return 1;
	}
	if (!in_list(referral_link_kinds, kind))
		verrs_add(v, "kind", kind == NULL || kind[0] == '\0' ? "required" : "invalid", "%s",
			  _("Choose what followed: a support episode, a social contract or a person record."));
	if (linked_id <= 0)
		verrs_add(v, "linked_id", "required", "%s", _("Give the number of the record that followed."));
	if (v->n > 0)
		return 1;
	/* a record of one's own: the take-over, the episode one provides; contracts have no table yet */
	if (strcmp(kind, "person") == 0 || strcmp(kind, "episode") == 0) {
		rc = db_get_int(db, &owner, strcmp(kind, "person") == 0 ? &SQL_PERSON_INST : &SQL_EPISODE_INST, "i",
				linked_id);
		if (rc < 0)
			return -1;
		if (rc != DB_ROW || (!w->policy.cli && owner != w->policy.institution_id)) {
			verrs_add(v, "linked_id", "not_found", "%s",
				  _("Choose a record of your own institution."));
			return 1;
		}
	}
	now_iso(now);
	return run_update(db, &SQL_LINK, kind, linked_id, now, w->audit.user_id, id);
}
