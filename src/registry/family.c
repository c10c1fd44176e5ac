/*
 * family.c — families (households) and their members: validation,
 * changes with their history, moves between households, reads under the
 * access policy, the list.
 *
 * "At most one household at a time" is the unique index
 * family_member_current (0007); the check before it gives the clear
 * error, the index catches what a concurrent change slipped past it.
 */
#include "registry/family.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/i18n.h"
#include "core/ident.h"
#include "core/str.h"
#include "registry/check.h"
#include "registry/history.h"

/* Statements */
static const struct db_sql SQL_FAMILY_INSERT =
	DB_SQL("INSERT INTO family (institution_id, lead_worker_id, applicant_id, street, house_no, "
	       "flat_no, postcode, town, terc, created_at, created_by, updated_at, updated_by) "
	       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_FAMILY_UPDATE =
	DB_SQL("UPDATE family SET lead_worker_id = ?, applicant_id = ?, street = ?, house_no = ?, "
	       "flat_no = ?, postcode = ?, town = ?, terc = ?, updated_at = ?, updated_by = ? "
	       "WHERE id = ? AND deleted_at IS NULL RETURNING id");
static const struct db_sql SQL_FAMILY_GET =
	DB_SQL("SELECT f.id, f.institution_id, f.lead_worker_id, f.applicant_id, f.street, f.house_no, "
	       "f.flat_no, f.postcode, f.town, f.terc, f.created_at, f.updated_at, a.first_names, "
	       "a.surname, w.full_name, f.deleted_at FROM family f LEFT JOIN person a ON "
	       "a.id = f.applicant_id LEFT JOIN app_user w ON w.id = f.lead_worker_id WHERE f.id = ?");
static const struct db_sql SQL_FAMILY_OWNER =
	DB_SQL("SELECT institution_id FROM family WHERE id = ? AND deleted_at IS NULL");
static const struct db_sql SQL_FAMILY_PERSON_OWNER =
	DB_SQL("SELECT institution_id FROM person WHERE id = ? AND deleted_at IS NULL");
static const struct db_sql SQL_FAMILY_WORKER_OK =
	DB_SQL("SELECT COUNT(*) FROM app_user WHERE id = ? AND institution_id = ?");
static const struct db_sql SQL_FAMILY_CURRENT =
	DB_SQL("SELECT id, family_id, member_from FROM family_member WHERE person_id = ? AND "
	       "member_to IS NULL");
static const struct db_sql SQL_FAMILY_OF_PERSON =
	DB_SQL("SELECT family_id FROM family_member WHERE person_id = ? AND member_to IS NULL");
static const struct db_sql SQL_FAMILY_MEMBER_INSERT =
	DB_SQL("INSERT INTO family_member (family_id, person_id, institution_id, relation, member_from) "
	       "VALUES (?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_FAMILY_MEMBER_END =
	DB_SQL("UPDATE family_member SET member_to = ? WHERE id = ? AND member_to IS NULL");
static const struct db_sql SQL_FAMILY_MEMBER_GET =
	DB_SQL("SELECT m.family_id, m.person_id, m.institution_id, m.member_from FROM family_member m "
	       "WHERE m.id = ? AND m.member_to IS NULL");
static const struct db_sql SQL_FAMILY_IS_MEMBER =
	DB_SQL("SELECT COUNT(*) FROM family_member WHERE family_id = ? AND person_id = ? AND "
	       "member_to IS NULL");
static const struct db_sql SQL_FAMILY_MEMBERS =
	DB_SQL("SELECT m.id, m.family_id, m.person_id, m.relation, m.member_from, m.member_to, "
	       "p.first_names, p.surname, p.birth_date, p.pesel FROM family_member m JOIN person p ON "
	       "p.id = m.person_id WHERE m.family_id = ? ORDER BY (CASE WHEN m.member_to IS NULL THEN 0 "
	       "ELSE 1 END), m.member_from, m.id LIMIT ?");

const char *const family_relations[] = { "applicant", "spouse", "child", "parent", "relative",
					 "other", NULL };
static const char *const relation_labels[] = { N_("Applicant"), N_("Spouse or partner"),
					       N_("Child"), N_("Parent"), N_("Other relative"),
					       N_("Other person") };

static int relation_index(const char *code)
{
	int i;

	for (i = 0; code != NULL && family_relations[i] != NULL; i++)
		if (strcmp(family_relations[i], code) == 0)
			return i;
	return -1;
}

const char *family_relation_label(const char *code)
{
	int i = relation_index(code);

	return i >= 0 ? _(relation_labels[i]) : (code != NULL ? code : "");
}

/* ------------------------------------------------------------------ */
/* Validation                                                          */
/* ------------------------------------------------------------------ */

int family_validate(struct family *f, struct arena *a, struct verrs *v)
{
	int before = v->n;

	registry_blank(a, &f->street);
	registry_blank(a, &f->house_no);
	registry_blank(a, &f->flat_no);
	registry_blank(a, &f->postcode);
	registry_blank(a, &f->town);
	registry_blank(a, &f->terc);
	registry_text_ok(v, "street", f->street, 200);
	registry_text_ok(v, "house_no", f->house_no, 20);
	registry_text_ok(v, "flat_no", f->flat_no, 20);
	registry_text_ok(v, "town", f->town, 100);
	registry_postcode(a, v, &f->postcode);
	registry_terc(v, f->terc);
	if (f->applicant_id <= 0)
		verrs_add(v, "applicant_id", "required", "%s",
			  _("Choose the applicant: the person who asks for assistance for the household."));
	return v->n - before;
}

/* ------------------------------------------------------------------ */
/* Changes                                                             */
/* ------------------------------------------------------------------ */

static void today(char out[16])
{
	int ymd = clock_today_ymd();

	snprintf(out, 16, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

/* day_before() writes the day before date (YYYY-MM-DD) into out. */
static void day_before(const char *date, char out[32])
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (!clock_valid_date(date)) {
		snprintf(out, 32, "%s", date);
		return;
	}
	/* YYYY-MM-DD, checked above */
	tm.tm_year = (int)strtol(date, NULL, 10) - 1900;
	tm.tm_mon = (int)strtol(date + 5, NULL, 10) - 1;
	tm.tm_mday = (int)strtol(date + 8, NULL, 10) - 1;
	tm.tm_hour = 12;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	snprintf(out, 32, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static void bind_opt_int(struct db_stmt *st, int i, int64_t v)
{
	if (v > 0)
		db_bind_int(st, i, v);
	else
		db_bind_null(st, i);
}

static const char *num(struct arena *a, int64_t v)
{
	return v > 0 ? arena_printf(a, "%lld", (long long)v) : NULL;
}

/* person_owner() is the institution of a live person; 0 when there is none, -1 on error. */
static int64_t live_owner(struct db *db, const struct db_sql *sql, int64_t id)
{
	int64_t inst = 0;
	int rc = db_get_int(db, &inst, sql, "i", id);

	return rc == DB_ROW ? inst : rc == DB_DONE ? 0 : -1;
}

static int worker_ok(struct db *db, int64_t worker, int64_t institution_id, struct verrs *v)
{
	int64_t n = 0;

	if (worker == 0)
		return 0;
	if (db_get_int(db, &n, &SQL_FAMILY_WORKER_OK, "ii", worker, institution_id) != DB_ROW)
		return -1;
	if (n > 0)
		return 0;
	verrs_add(v, "lead_worker_id", "invalid", "%s",
		  _("The lead worker must be a user of the institution that holds the record."));
	return 1;
}

struct membership {
	int64_t id, family_id;
	char from[16];
};

/* current() reads the person's current membership; 0 (m->id 0 when none) or -1. */
static int current(struct db *db, int64_t person_id, struct membership *m)
{
	struct db_stmt *st = db_query(db, &SQL_FAMILY_CURRENT, "i", person_id);
	int rc;

	memset(m, 0, sizeof(*m));
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		m->id = db_col_int(st, 0);
		m->family_id = db_col_int(st, 1);
		snprintf(m->from, sizeof(m->from), "%s", db_col_text(st, 2));
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

static void in_household(struct verrs *v, const char *field, int64_t family_id)
{
	verrs_add(v, field, "in_household",
		  _("This person already belongs to another household (family number %lld); a person "
		    "belongs to one household at a time: move them instead."),
		  (long long)family_id);
}

/*
 * insert_member() adds the membership row in a savepoint: the unique index
 * of current memberships refusing it (a concurrent change) is rolled back
 * and reported like the check. Returns 0 (*id set), 1 (v), -1.
 */
static int insert_member(struct db *db, int64_t family_id, int64_t person_id, int64_t inst,
			 const char *relation, const char *from, const char *field, int64_t *id,
			 struct verrs *v)
{
	struct membership m;
	struct db_stmt *st;
	int rc;

	st = db_query(db, &SQL_FAMILY_MEMBER_INSERT, "iiitt", family_id, person_id, inst, relation, from);
	if (st == NULL)
		return -1;
	if (db_begin(db) != 0) {
		db_reset(st);
		return -1;
	}
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_reset(st);
	if (rc == DB_CONSTRAINT) {
		if (db_rollback(db) != 0 || current(db, person_id, &m) != 0)
			return -1;
		in_household(v, field, m.family_id);
		return 1;
	}
	if (rc != DB_ROW) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db) == 0 ? 0 : -1;
}

int family_create(struct db *db, struct arena *a, const struct registry_writer *w,
		  struct family *f, int64_t *id, struct verrs *v)
{
	char now[CLOCK_ISO_LEN], day[16];
	struct history_entry e;
	struct membership m;
	struct db_stmt *st;
	int64_t inst, member = 0;
	int rc;

	(void)a;
	if (registry_may_write(w, f->institution_id, v) != 0)
		return 1;
	inst = live_owner(db, &SQL_FAMILY_PERSON_OWNER, f->applicant_id);
	if (inst < 0)
		return -1;
	if (inst != f->institution_id) {
		verrs_add(v, "applicant_id", "not_found", "%s",
			  _("The applicant must be a person registered by the institution."));
		return 1;
	}
	if (current(db, f->applicant_id, &m) != 0)
		return -1;
	if (m.id != 0) {
		in_household(v, "applicant_id", m.family_id);
		return 1;
	}
	if (f->lead_worker_id == 0 && !w->policy.cli)
		f->lead_worker_id = w->policy.user_id;
	if ((rc = worker_ok(db, f->lead_worker_id, f->institution_id, v)) != 0)
		return rc;
	clock_iso(clock_now(), now);
	today(day);
	st = db_prepare(db, &SQL_FAMILY_INSERT);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, f->institution_id);
	bind_opt_int(st, 2, f->lead_worker_id);
	db_bind_int(st, 3, f->applicant_id);
	db_bind_text(st, 4, f->street);
	db_bind_text(st, 5, f->house_no);
	db_bind_text(st, 6, f->flat_no);
	db_bind_text(st, 7, f->postcode);
	db_bind_text(st, 8, f->town);
	db_bind_text(st, 9, f->terc);
	db_bind_text(st, 10, now);
	bind_opt_int(st, 11, w->audit.user_id);
	db_bind_text(st, 12, now);
	bind_opt_int(st, 13, w->audit.user_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_reset(st);
	if (rc != DB_ROW)
		return -1;
	f->id = *id;
	rc = insert_member(db, f->id, f->applicant_id, f->institution_id, "applicant", day,
			   "applicant_id", &member, v);
	if (rc != 0)
		return rc;
	e = (struct history_entry){ "family", f->id, f->applicant_id, f->id, f->institution_id,
				    HISTORY_CREATE, NULL, NULL, NULL };
	if (history_add(db, w, &e) != 0)
		return -1;
	e = (struct history_entry){ "member", member, f->applicant_id, f->id, f->institution_id,
				    HISTORY_CREATE, "relation", NULL, "applicant" };
	return history_add(db, w, &e);
}

int family_get(struct db *db, struct arena *a, int64_t id, struct family *out)
{
	struct db_stmt *st = db_query(db, &SQL_FAMILY_GET, "i", id);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc == DB_DONE ? 1 : -1;
	}
	memset(out, 0, sizeof(*out));
	out->id = db_col_int(st, 0);
	out->institution_id = db_col_int(st, 1);
	out->lead_worker_id = db_col_int(st, 2);
	out->applicant_id = db_col_int(st, 3);
	out->street = arena_strdup(a, db_col_text(st, 4));
	out->house_no = arena_strdup(a, db_col_text(st, 5));
	out->flat_no = arena_strdup(a, db_col_text(st, 6));
	out->postcode = arena_strdup(a, db_col_text(st, 7));
	out->town = arena_strdup(a, db_col_text(st, 8));
	out->terc = arena_strdup(a, db_col_text(st, 9));
	out->created_at = arena_strdup(a, db_col_text(st, 10));
	out->updated_at = arena_strdup(a, db_col_text(st, 11));
	if (!db_col_is_null(st, 13))
		out->applicant_name =
			arena_printf(a, "%s %s", db_col_text(st, 12), db_col_text(st, 13));
	out->lead_worker_name = arena_strdup(a, db_col_text(st, 14));
	out->deleted = !db_col_is_null(st, 15);
	db_reset(st);
	return 0;
}

int family_update(struct db *db, struct arena *a, const struct registry_writer *w,
		  const struct family *f, struct verrs *v)
{
	char now[CLOCK_ISO_LEN];
	struct family old;
	struct history_entry e;
	struct db_stmt *st;
	int64_t n = 0;
	int rc;

	rc = family_get(db, a, f->id, &old);
	if (rc != 0)
		return rc > 0 ? PERSON_NOT_FOUND : -1;
	if (old.deleted || (!w->policy.cli && old.institution_id != w->policy.institution_id))
		return PERSON_NOT_FOUND;
	if (registry_may_write(w, old.institution_id, v) != 0)
		return 1;
	if ((rc = worker_ok(db, f->lead_worker_id, old.institution_id, v)) != 0)
		return rc;
	if (f->applicant_id != old.applicant_id) {
		if (db_get_int(db, &n, &SQL_FAMILY_IS_MEMBER, "ii", f->id, f->applicant_id) != DB_ROW)
			return -1;
		if (n == 0) {
			verrs_add(v, "applicant_id", "not_member", "%s",
				  _("The applicant must be a current member of the household."));
			return 1;
		}
	}
	clock_iso(clock_now(), now);
	st = db_prepare(db, &SQL_FAMILY_UPDATE);
	if (st == NULL)
		return -1;
	bind_opt_int(st, 1, f->lead_worker_id);
	db_bind_int(st, 2, f->applicant_id);
	db_bind_text(st, 3, f->street);
	db_bind_text(st, 4, f->house_no);
	db_bind_text(st, 5, f->flat_no);
	db_bind_text(st, 6, f->postcode);
	db_bind_text(st, 7, f->town);
	db_bind_text(st, 8, f->terc);
	db_bind_text(st, 9, now);
	bind_opt_int(st, 10, w->audit.user_id);
	db_bind_int(st, 11, f->id);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? PERSON_NOT_FOUND : -1;
	e = (struct history_entry){ "family", f->id, 0, f->id, old.institution_id, HISTORY_UPDATE,
				    NULL, NULL, NULL };
	if (history_field(db, w, &e, "street", old.street, f->street) < 0 ||
	    history_field(db, w, &e, "house_no", old.house_no, f->house_no) < 0 ||
	    history_field(db, w, &e, "flat_no", old.flat_no, f->flat_no) < 0 ||
	    history_field(db, w, &e, "postcode", old.postcode, f->postcode) < 0 ||
	    history_field(db, w, &e, "town", old.town, f->town) < 0 ||
	    history_field(db, w, &e, "terc", old.terc, f->terc) < 0 ||
	    history_field(db, w, &e, "lead_worker_id", num(a, old.lead_worker_id),
			  num(a, f->lead_worker_id)) < 0 ||
	    history_field(db, w, &e, "applicant_id", num(a, old.applicant_id), num(a, f->applicant_id)) < 0)
		return -1;
	return 0;
}

/* end_membership() ends membership m on date and records it as change (move or update). */
static int end_membership(struct db *db, struct arena *a, const struct registry_writer *w,
			  int64_t person_id, int64_t inst, const struct membership *m, const char *date,
			  int64_t new_family)
{
	struct history_entry e = { "member", m->id, person_id, m->family_id, inst, HISTORY_UPDATE,
				   "member_to", NULL, date };
	struct db_stmt *st = db_query(db, &SQL_FAMILY_MEMBER_END, "ti", date, m->id);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return -1;
	if (new_family > 0) {
		e.change = HISTORY_MOVE;
		e.field = "family_id";
		e.old_value = num(a, m->family_id);
		e.new_value = num(a, new_family);
	}
	return history_add(db, w, &e);
}

int family_add_member(struct db *db, struct arena *a, const struct registry_writer *w,
		      int64_t family_id, int64_t person_id, const char *relation, const char *date,
		      int move, struct verrs *v)
{
	char day[16], end[32];
	struct history_entry e;
	struct membership m;
	int64_t inst, pinst, id = 0;
	int rc;

	inst = live_owner(db, &SQL_FAMILY_OWNER, family_id);
	pinst = live_owner(db, &SQL_FAMILY_PERSON_OWNER, person_id);
	if (inst < 0 || pinst < 0)
		return -1;
	if (inst == 0 || pinst != inst || (!w->policy.cli && inst != w->policy.institution_id))
		return PERSON_NOT_FOUND;
	if (registry_may_write(w, inst, v) != 0)
		return 1;
	if (relation_index(relation) <= 0) { /* the applicant is chosen on the family itself */
		verrs_add(v, "relation", relation == NULL ? "required" : "invalid", "%s",
			  _("Choose the member's relation to the applicant: spouse or partner, child, "
			    "parent, other relative or other person."));
		return 1;
	}
	today(day);
	if (date != NULL && (!clock_valid_date(date) || strcmp(date, day) > 0)) {
		verrs_add(v, "member_from", "invalid", "%s",
			  _("Enter the date the person joined the household (YYYY-MM-DD, not in the "
			    "future)."));
		return 1;
	}
	if (date == NULL)
		date = day;
	if (current(db, person_id, &m) != 0)
		return -1;
	if (m.id != 0 && m.family_id == family_id) {
		verrs_add(v, "person_id", "already_member", "%s",
			  _("This person is already a member of this household."));
		return 1;
	}
	if (m.id != 0 && !move) {
		in_household(v, "person_id", m.family_id);
		return 1;
	}
	if (m.id != 0) {
		if (strcmp(date, m.from) < 0) {
			verrs_add(v, "member_from", "invalid",
				  _("The move cannot be dated before the person joined the present "
				    "household (%s)."),
				  m.from);
			return 1;
		}
		day_before(date, end);
		if (end_membership(db, a, w, person_id, inst, &m, strcmp(end, m.from) < 0 ? m.from : end,
				   family_id) != 0)
			return -1;
	}
	rc = insert_member(db, family_id, person_id, inst, relation, date, "person_id", &id, v);
	if (rc != 0)
		return rc;
	e = (struct history_entry){ "member", id, person_id, family_id, inst, HISTORY_CREATE,
				    "relation", NULL, relation };
	return history_add(db, w, &e);
}

int family_end_member(struct db *db, struct arena *a, const struct registry_writer *w,
		      int64_t member_id, const char *date)
{
	struct db_stmt *st = db_query(db, &SQL_FAMILY_MEMBER_GET, "i", member_id);
	struct verrs v = VERRS_INIT;
	struct membership m;
	int64_t person = 0, inst = 0;
	char day[16];
	int rc;

	if (st == NULL)
		return -1;
	memset(&m, 0, sizeof(m));
	rc = db_step(st);
	if (rc == DB_ROW) {
		m.id = member_id;
		m.family_id = db_col_int(st, 0);
		person = db_col_int(st, 1);
		inst = db_col_int(st, 2);
		snprintf(m.from, sizeof(m.from), "%s", db_col_text(st, 3));
	}
	db_reset(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? PERSON_NOT_FOUND : -1;
	if ((!w->policy.cli && inst != w->policy.institution_id) || registry_may_write(w, inst, &v) != 0)
		return PERSON_NOT_FOUND;
	today(day);
	if (date == NULL)
		date = day;
	if (!clock_valid_date(date))
		return -1;
	if (strcmp(date, m.from) < 0)
		date = m.from; /* a membership cannot end before it began */
	return end_membership(db, a, w, person, inst, &m, date, 0);
}

int64_t family_of_person(struct db *db, int64_t person_id)
{
	int64_t id = 0;
	int rc = db_get_int(db, &id, &SQL_FAMILY_OF_PERSON, "i", person_id);

	return rc == DB_ROW ? id : rc == DB_DONE ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* Reads                                                               */
/* ------------------------------------------------------------------ */

static int read_members(struct policy_read *r, int64_t id, struct family_member *members, int max,
			int *nmembers)
{
	int ident = (r->decision.mask & SENS_BIT(SENS_IDENTITY)) != 0, rc = DB_DONE;
	struct db_stmt *st;

	if (max <= 0)
		return 0;
	st = db_query(r->db, &SQL_FAMILY_MEMBERS, "ii", id, (int64_t)max);
	if (st == NULL)
		return -1;
	while (*nmembers < max && (rc = db_step(st)) == DB_ROW) {
		struct family_member *m = &members[(*nmembers)++];

		memset(m, 0, sizeof(*m));
		m->id = db_col_int(st, 0);
		m->family_id = db_col_int(st, 1);
		m->person_id = db_col_int(st, 2);
		m->relation = arena_strdup(r->arena, db_col_text(st, 3));
		m->member_from = arena_strdup(r->arena, db_col_text(st, 4));
		m->member_to = arena_strdup(r->arena, db_col_text(st, 5));
		if (ident) {
			m->first_names = arena_strdup(r->arena, db_col_text(st, 6));
			m->surname = arena_strdup(r->arena, db_col_text(st, 7));
			m->birth_date = arena_strdup(r->arena, db_col_text(st, 8));
			m->pesel = arena_strdup(r->arena, db_col_text(st, 9));
		}
	}
	db_reset(st);
	return *nmembers < max && rc != DB_DONE ? -1 : 0;
}

int family_read(struct policy_read *r, int64_t id, struct family *out,
		struct family_member *members, int max, int *nmembers)
{
	struct policy_subject s = { POLICY_FAMILY, id, 0, 0 };
	int rc;

	*nmembers = 0;
	r->kind = POLICY_FAMILY;
	memset(&r->decision, 0, sizeof(r->decision));
	rc = db_get_int(r->db, &s.institution_id, &SQL_FAMILY_OWNER, "i", id);
	if (rc != DB_ROW)
		return rc == DB_DONE ? POLICY_NOT_FOUND : -1;
	if (policy_decide(&r->actor, &s, r->purpose, &r->decision) != 0) {
		if (policy_record_denied(r, id) != 0)
			return -1;
		return r->decision.conceal ? POLICY_NOT_FOUND : POLICY_DENIED;
	}
	rc = family_get(r->db, r->arena, id, out);
	if (rc != 0 || out->deleted)
		return rc < 0 ? -1 : POLICY_NOT_FOUND;
	if (!(r->decision.mask & SENS_BIT(SENS_IDENTITY)))
		out->applicant_name = NULL;
	if (!(r->decision.mask & SENS_BIT(SENS_CONTACT)))
		out->street = out->house_no = out->flat_no = out->postcode = out->town = NULL;
	if (read_members(r, id, members, max, nmembers) != 0)
		return -1;
	if (policy_record(r, arena_printf(r->arena, "%lld", (long long)id),
			  arena_printf(r->arena, "purpose=%s members=%d", policy_purpose_code(r->purpose),
				       *nmembers)) != 0)
		return -1;
	return POLICY_OK;
}

/* ------------------------------------------------------------------ */
/* List                                                                */
/* ------------------------------------------------------------------ */

/*
 * One reason filter per sensitivity class (as person_list): a reader
 * without a special category cannot filter by its reasons, since the
 * answer alone would tell which households have them.
 */
#define FAMILY_REASON_FILTER(sens)                                                                 \
	"EXISTS (SELECT 1 FROM family_reason fr JOIN assistance_reason ar ON ar.code = fr.reason_code " \
	"WHERE fr.family_id = f.id AND " REASON_NOW(sens) ")"

static const struct list_col family_cols[FAMILY_COL__MAX] = {
	[FAMILY_COL_APPLICANT] = { "applicant", N_("Applicant"), "(a.surname || ' ' || a.first_names)",
				   LIST_TEXT, LIST_SORT, NULL, "a.surname_fold",
				   .sens = SENS_IDENTITY },
	[FAMILY_COL_TOWN] = { "town", N_("Locality"), "f.town", LIST_TEXT, LIST_SORT,
			      .sens = SENS_CONTACT },
	[FAMILY_COL_TERC] = { "terc", N_("Gmina (TERC)"), "f.terc", LIST_TEXT,
			      LIST_FILTER | LIST_PREFIX | LIST_NOWRAP | LIST_SUB },
	[FAMILY_COL_MEMBERS] = { "members", N_("Current members"),
				 "(SELECT COUNT(*) FROM family_member m WHERE m.family_id = f.id AND "
				 "m.member_to IS NULL)",
				 LIST_INT, 0 },
	[FAMILY_COL_LEAD_WORKER] = { "lead_worker", N_("Lead worker"), "w.full_name", LIST_TEXT,
				     LIST_SORT, NULL, "w.name_fold" },
	[FAMILY_COL_LEAD_WORKER_ID] = { "lead_worker_id", N_("Lead worker number"), "f.lead_worker_id",
					LIST_INT, LIST_FILTER | LIST_NOSHOW },
	[FAMILY_COL_REASON] = { "reason", N_("Reason for assistance"), "NULL", LIST_CODE,
				LIST_FILTER | LIST_NOSHOW, NULL, NULL, NULL, NULL,
				FAMILY_REASON_FILTER("social"), .sens = SENS_SOCIAL },
	[FAMILY_COL_REASON_HEALTH] = { "reason_health", N_("Reason for assistance (health)"), "NULL",
				       LIST_CODE, LIST_FILTER | LIST_NOSHOW, NULL, NULL, NULL, NULL,
				       FAMILY_REASON_FILTER("health"), .sens = SENS_HEALTH },
	[FAMILY_COL_REASON_ADDICTION] = { "reason_addiction", N_("Reason for assistance (addiction)"),
					  "NULL", LIST_CODE, LIST_FILTER | LIST_NOSHOW, NULL, NULL, NULL,
					  NULL, FAMILY_REASON_FILTER("addiction"), .sens = SENS_ADDICTION },
	[FAMILY_COL_REASON_VIOLENCE] = { "reason_violence", N_("Reason for assistance (violence)"),
					 "NULL", LIST_CODE, LIST_FILTER | LIST_NOSHOW, NULL, NULL, NULL,
					 NULL, FAMILY_REASON_FILTER("violence"), .sens = SENS_VIOLENCE },
	[FAMILY_COL_UPDATED_AT] = { "updated_at", N_("Changed"), "f.updated_at", LIST_TIMESTAMP,
				    LIST_SORT | LIST_RANGE },
};

const struct list_def family_list = {
	.name = "families",
	.entity = "family",
	.from = "family f LEFT JOIN person a ON a.id = f.applicant_id "
		"LEFT JOIN app_user w ON w.id = f.lead_worker_id",
	.where = "f.deleted_at IS NULL",
	.id_expr = "f.id",
	.cols = family_cols,
	.ncols = FAMILY_COL__MAX,
	.default_sort = FAMILY_COL_APPLICANT,
};
