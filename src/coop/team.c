/*
 * team.c — county teams, their meetings and decisions, and the county's
 * local programme (team.h).
 */
#include "coop/team.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "auth/role.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/str.h"
#include "registry/check.h"
#include "territory/territory.h"

const char *const team_kinds[] = { "pzkw", "mgi", "interdisciplinary", NULL };
const char *const team_member_roles[] = { "chair", "member", "honorary", "guardian", NULL };
const char *const decision_kinds[] = { "adopt_lpiw", "approve_contract", "return_contract", "other", NULL };
const char *const decision_methods[] = { "vote", "consensus", NULL };
const char *const action_modules[] = { "pro_employment", "social_integration", "family", "sport_culture",
				       NULL };
const char *const lpiw_states[] = { "draft", "adopted", "superseded", NULL };

static const char *const team_kind_labels[] = {
	N_("County coordinating team (PZKW)"), N_("Mobile interdisciplinary group (MGI)"),
	N_("Interdisciplinary team") };
static const char *const role_labels[] = { N_("Chair"), N_("Member"), N_("Honorary member"), N_("Guardian") };
static const char *const decision_labels[] = { N_("Adoption of the local programme"),
	N_("Approval of a contract"), N_("Return of a contract"), N_("Other decision") };
static const char *const module_labels[] = { N_("Pro-employment"), N_("Social and integration"),
	N_("Family"), N_("Sport and culture") };
static const char *const lpiw_state_labels[] = { N_("Draft"), N_("Adopted"), N_("Superseded by a later version") };

static int code_at(const char *const *codes, const char *code)
{
	int i;

	for (i = 0; code != NULL && codes[i] != NULL; i++)
		if (strcmp(codes[i], code) == 0)
			return i;
	return -1;
}

int coop_code_ok(const char *const *codes, const char *code)
{
	return code_at(codes, code) >= 0;
}

static const char *label_of(const char *const *codes, const char *const *labels, const char *code)
{
	int i = code_at(codes, code);

	return i >= 0 ? _(labels[i]) : code;
}

const char *team_kind_label(const char *code) { return label_of(team_kinds, team_kind_labels, code); }
const char *team_member_role_label(const char *code) { return label_of(team_member_roles, role_labels, code); }
const char *decision_kind_label(const char *code) { return label_of(decision_kinds, decision_labels, code); }
const char *action_module_label(const char *code) { return label_of(action_modules, module_labels, code); }
const char *lpiw_state_label(const char *code) { return label_of(lpiw_states, lpiw_state_labels, code); }

int team_may_write(unsigned roles)
{
	return (roles & (ROLE_BIT(ROLE_COORDINATOR) | ROLE_BIT(ROLE_ADMIN))) != 0;
}

void coop_check_text(struct verrs *v, const char *field, const char *label, const char *s, size_t max)
{
	if (s == NULL)
		return;
	/* the checks of registry_text_ok(), with the field's name in the message: one form has many texts */
	if (!utf8_valid(s, strlen(s)) || utf8_has_hidden(s, 1))
		verrs_add(v, field, "invalid",
			  _("%s: the text contains invisible control characters (for example ones that reverse the direction "
			    "of writing); type it again without them."), _(label));
	else if (utf8_length(s) > max)
		verrs_add(v, field, "too_long", _("%s: at most %zu characters."), _(label), max);
}

/* ------------------------------------------------------------------ */
/* Binding optional values                                             */
/* ------------------------------------------------------------------ */

static struct db_stmt *vbind(struct db *db, const struct db_sql *sql, const char *types, va_list ap)
{
	struct db_stmt *st = db_prepare(db, sql);
	int i, bad = 0;

	if (st == NULL)
		return NULL;
	for (i = 0; types != NULL && types[i] != '\0'; i++) {
		int64_t n;
		const char *s;

		switch (types[i]) {
		case 'i':
			bad |= db_bind_int(st, i + 1, va_arg(ap, int64_t));
			break;
		case 'I':
			n = va_arg(ap, int64_t);
			bad |= n == 0 ? db_bind_null(st, i + 1) : db_bind_int(st, i + 1, n);
			break;
		case 'N':
			n = va_arg(ap, int64_t);
			bad |= n < 0 ? db_bind_null(st, i + 1) : db_bind_int(st, i + 1, n);
			break;
		case 't':
			s = va_arg(ap, const char *);
			bad |= db_bind_text(st, i + 1, s);
			break;
		default:
			bad = 1;
		}
	}
	if (bad) {
		db_reset(st);
		return NULL;
	}
	return st;
}

struct db_stmt *coop_query(struct db *db, const struct db_sql *sql, const char *types, ...)
{
	struct db_stmt *st;
	va_list ap;

	va_start(ap, types);
	st = vbind(db, sql, types, ap);
	va_end(ap);
	return st;
}

/* vstep() binds and runs one step of sql, keeping the first column of a row in *id (when id is not NULL). */
static int vstep(struct db *db, int64_t *id, const struct db_sql *sql, const char *types, va_list ap)
{
	struct db_stmt *st = vbind(db, sql, types, ap);
	int rc = st != NULL ? db_step(st) : DB_ERROR;

	if (rc == DB_ROW && id != NULL)
		*id = db_col_int(st, 0);
	db_reset(st);
	return rc;
}

int coop_insert(struct db *db, int64_t *id, const struct db_sql *sql, const char *types, ...)
{
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = vstep(db, id, sql, types, ap);
	va_end(ap);
	return rc == DB_ROW ? DB_OK : (rc < 0 ? rc : DB_ERROR);
}

int coop_run(struct db *db, const struct db_sql *sql, const char *types, ...)
{
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = vstep(db, NULL, sql, types, ap);
	va_end(ap);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERROR);
}

static void now_iso(char out[CLOCK_ISO_LEN])
{
	clock_iso(clock_now(), out);
}

/* rows_ready() is 0 when a list's statement and rows are there to read; else the statement is reset and -1. */
static int rows_ready(struct db_stmt *st, const void *rows)
{
	if (st != NULL && rows != NULL)
		return 0;
	db_reset(st);
	return -1;
}

/* rows_done() ends a list read with rc its last step: n rows, or -1 when the step failed. */
static int rows_done(struct db_stmt *st, int rc, int n)
{
	db_reset(st);
	return rc < 0 ? -1 : n;
}

/* A row reader fills one element of a list (row) from the statement's current row. */
typedef void row_reader(struct arena *a, struct db_stmt *st, void *row);

/* read_rows() reads up to max rows of size bytes each from st into a new array *out: their count, or -1. */
static int read_rows(struct arena *a, struct db_stmt *st, size_t size, int max, row_reader *read, void **out)
{
	char *r = arena_zalloc(a, size * (size_t)max);
	int n = 0, rc;

	*out = r;
	if (rows_ready(st, r) != 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && n < max)
		read(a, st, r + size * (size_t)n++);
	return rows_done(st, rc, n);
}

/* read_one() reads the row of sql for this id into out (size bytes, zeroed first): 0, 1 when there is none, -1. */
static int read_one(struct db *db, struct arena *a, const struct db_sql *sql, int64_t id, size_t size,
		    row_reader *read, void *out)
{
	struct db_stmt *st = db_query(db, sql, "i", id);
	int rc = st != NULL ? db_step(st) : DB_ERROR;

	memset(out, 0, size);
	if (rc == DB_ROW)
		read(a, st, out);
	db_reset(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* read_ids() reads the first column of st's rows into ids[*n..max) (a member's attendance, partners). */
static int read_ids(struct db_stmt *st, int64_t *ids, int *n, int max)
{
	int rc;

	if (rows_ready(st, ids) != 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && *n < max)
		ids[(*n)++] = db_col_int(st, 0);
	return rows_done(st, rc, 0);
}

/* ------------------------------------------------------------------ */
/* Teams and members                                                   */
/* ------------------------------------------------------------------ */

static const struct db_sql SQL_TEAM_INSERT =
	DB_SQL("INSERT INTO team (kind, terc, name, created_at, created_by) VALUES (?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_TEAM_GET = DB_SQL("SELECT id, kind, terc, name FROM team WHERE id = ?");
static const struct db_sql SQL_TEAM_LIST =
	DB_SQL("SELECT id, kind, terc, name FROM team WHERE (CAST(? AS TEXT) IS NULL OR terc = ?) ORDER BY terc, kind, id");
static const struct db_sql SQL_TEAM_OF =
	DB_SQL("SELECT id FROM team WHERE terc = ? AND kind = ? ORDER BY id LIMIT 1");
static const struct db_sql SQL_UNIT_POWIAT =
	DB_SQL("SELECT COUNT(*) FROM territory_unit WHERE code = ?");
static const struct db_sql SQL_MEMBER_INSERT =
	DB_SQL("INSERT INTO team_member (team_id, user_id, institution_id, role, valid_from, valid_to) "
	       "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_MEMBERS =
	DB_SQL("SELECT m.id, m.team_id, m.user_id, m.institution_id, m.role, m.valid_from, m.valid_to, "
	       "COALESCE(u.full_name, i.name), COALESCE(ui.kind, i.kind) FROM team_member m "
	       "LEFT JOIN app_user u ON u.id = m.user_id LEFT JOIN institution ui ON ui.id = u.institution_id "
	       "LEFT JOIN institution i ON i.id = m.institution_id WHERE m.team_id = ? "
	       "ORDER BY CASE m.role WHEN 'chair' THEN 0 WHEN 'guardian' THEN 1 WHEN 'member' THEN 2 ELSE 3 END, "
	       "m.id");
static const struct db_sql SQL_MEMBER_GET =
	DB_SQL("SELECT m.id, m.team_id, m.user_id, m.institution_id, m.role, m.valid_from, m.valid_to, "
	       "COALESCE(u.full_name, i.name), COALESCE(ui.kind, i.kind), t.kind, t.terc FROM team_member m "
	       "JOIN team t ON t.id = m.team_id "
	       "LEFT JOIN app_user u ON u.id = m.user_id LEFT JOIN institution ui ON ui.id = u.institution_id "
	       "LEFT JOIN institution i ON i.id = m.institution_id WHERE m.id = ?");
static const struct db_sql SQL_MEMBER_OF =
	DB_SQL("SELECT m.id FROM team_member m JOIN team t ON t.id = m.team_id "
	       "WHERE t.terc = ? AND t.kind = ? AND m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to >= ?) "
	       "AND (m.user_id = ? OR (? = 0 AND m.institution_id = ?)) AND (? = 0 OR m.role = 'guardian') "
	       "ORDER BY m.user_id IS NULL, m.id LIMIT 1");
static const struct db_sql SQL_USER_OK = DB_SQL("SELECT active FROM app_user WHERE id = ?");
static const struct db_sql SQL_INST_OK = DB_SQL("SELECT active FROM institution WHERE id = ?");

int team_create(struct db *db, const struct audit_actor *who, struct team *t, int64_t *id, struct verrs *v)
{
	char now[CLOCK_ISO_LEN];
	int64_t n = 0;
	int rc;

	if (!coop_code_ok(team_kinds, t->kind))
		verrs_add(v, "kind", "invalid", "%s", _("Kind: choose PZKW, MGI or an interdisciplinary team."));
	if (t->terc == NULL || strlen(t->terc) != 4 ||
	    db_get_int(db, &n, &SQL_UNIT_POWIAT, "t", t->terc) < 0 || n == 0)
		verrs_add(v, "terc", "invalid", "%s", _("County: enter the 4-digit TERC code of a powiat."));
	if (str_empty(t->name))
		verrs_add(v, "name", "required", "%s", _("Name: enter the team's name."));
	coop_check_text(v, "name", N_("Name"), t->name, 300);
	if (v->n > 0)
		return 1;
	now_iso(now);
	if (db_begin(db) != 0)
		return -1;
	rc = coop_insert(db, id, &SQL_TEAM_INSERT, "ttttI", t->kind, t->terc, t->name, now,
			 who != NULL ? who->user_id : 0) == DB_OK ? 0 : -1;
	return audit_commit(db, who, rc, "team.create", "team", rc == 0 ? *id : 0, t->kind);
}

static int exists_active(struct db *db, const struct db_sql *sql, int64_t id)
{
	int64_t active = -1;
	int rc = db_get_int(db, &active, sql, "i", id);

	return rc < 0 ? -1 : active == 1;
}

int team_add_member(struct db *db, const struct audit_actor *who, struct team_member *m, int64_t *id,
		    struct verrs *v)
{
	char detail[64];
	int64_t n = 0;
	int rc;

	if (db_get_int(db, &n, &SQL_TEAM_GET, "i", m->team_id) < 0)
		return -1;
	if (n == 0) {
		verrs_add(v, "team_id", "not_found", "%s", _("Team: there is no such team."));
		return 1;
	}
	if ((m->user_id > 0) == (m->institution_id > 0))
		verrs_add(v, "user_id", "required", "%s", _("Member: choose a user or an institution (one of them)."));
	else if (m->user_id > 0 && exists_active(db, &SQL_USER_OK, m->user_id) != 1)
		verrs_add(v, "user_id", "invalid", "%s", _("Member: there is no active user with this number."));
	else if (m->institution_id > 0 && exists_active(db, &SQL_INST_OK, m->institution_id) != 1)
		verrs_add(v, "institution_id", "invalid", "%s",
			  _("Member: there is no active institution with this number."));
	if (!coop_code_ok(team_member_roles, m->role))
		verrs_add(v, "role", "invalid", "%s", _("Role: choose chair, member, honorary member or guardian."));
	else if (str_eq(m->role, "guardian") && m->user_id == 0)
		verrs_add(v, "role", "guardian_user", "%s", _("Role: a guardian is a person (a user), not an institution."));
	if (registry_check_date(v, "valid_from", N_("Member from"), m->valid_from, 1) == 0 &&
	    registry_check_date(v, "valid_to", N_("Member until"), m->valid_to, 0) == 0 && m->valid_to != NULL &&
	    strcmp(m->valid_to, m->valid_from) < 0)
		verrs_add(v, "valid_to", "before_start", "%s", _("Member until: the end cannot be before the start."));
	if (v->n > 0)
		return 1;
	if (db_begin(db) != 0)
		return -1;
	rc = coop_insert(db, id, &SQL_MEMBER_INSERT, "iIIttt", m->team_id, m->user_id, m->institution_id, m->role,
			 m->valid_from, m->valid_to) == DB_OK ? 0 : -1;
	snprintf(detail, sizeof(detail), "member=%lld role=%s", rc == 0 ? (long long)*id : 0LL, m->role);
	return audit_commit(db, who, rc, "team.member", "team", m->team_id, detail);
}

static void read_member(struct arena *a, struct db_stmt *st, void *row)
{
	struct team_member *m = row;

	m->id = db_col_int(st, 0);
	m->team_id = db_col_int(st, 1);
	m->user_id = db_col_int(st, 2);
	m->institution_id = db_col_int(st, 3);
	m->role = registry_col(a, st, 4);
	m->valid_from = registry_col(a, st, 5);
	m->valid_to = registry_col(a, st, 6);
	m->name = registry_col(a, st, 7);
	m->institution_kind = registry_col(a, st, 8);
}

/* read_team() reads a team's row (id, kind, terc, name) without its members. */
static void read_team(struct arena *a, struct db_stmt *st, void *row)
{
	struct team *t = row;

	t->id = db_col_int(st, 0);
	t->kind = registry_col(a, st, 1);
	t->terc = registry_col(a, st, 2);
	t->name = registry_col(a, st, 3);
}

int team_get(struct db *db, struct arena *a, int64_t id, struct team *out)
{
	int rc = read_one(db, a, &SQL_TEAM_GET, id, sizeof(*out), read_team, out);
	void *members;

	if (rc != 0)
		return rc;
	rc = read_rows(a, db_query(db, &SQL_MEMBERS, "i", id), sizeof(*out->members), TEAM_MAX_MEMBERS, read_member,
		       &members);
	out->members = members;
	out->nmembers = rc > 0 ? rc : 0;
	return rc < 0 ? -1 : 0;
}

int team_list(struct db *db, struct arena *a, const char *terc, struct team **out)
{
	void *r;
	int n = read_rows(a, db_query(db, &SQL_TEAM_LIST, "tt", terc, terc), sizeof(**out), 200, read_team, &r);

	*out = r;
	return n;
}

int64_t team_of_county(struct db *db, const char *terc, const char *kind)
{
	int64_t id = 0;

	return db_get_int(db, &id, &SQL_TEAM_OF, "tt", terc, kind) < 0 ? -1 : id;
}

int64_t team_member_of(struct db *db, int64_t user_id, int64_t institution_id, const char *terc,
		       const char *kind, int guardian_only, const char *date)
{
	char t[16];
	int64_t id = 0;

	if (terc == NULL)
		return 0;
	if (date == NULL) {
		registry_today(t);
		date = t;
	}
	return db_get_int(db, &id, &SQL_MEMBER_OF, "ttttiiii", terc, kind, date, date, user_id,
			  (int64_t)guardian_only, institution_id, (int64_t)guardian_only) < 0 ? -1 : id;
}

int team_member_get(struct db *db, struct arena *a, int64_t id, struct team_member *out, const char **kind,
		    const char **terc)
{
	struct db_stmt *st = db_query(db, &SQL_MEMBER_GET, "i", id);
	int rc = st != NULL ? db_step(st) : DB_ERROR;

	memset(out, 0, sizeof(*out));
	if (rc == DB_ROW) {
		read_member(a, st, out);
		if (kind != NULL)
			*kind = registry_col(a, st, 9);
		if (terc != NULL)
			*terc = registry_col(a, st, 10);
	}
	db_reset(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* ------------------------------------------------------------------ */
/* Meetings and decisions                                              */
/* ------------------------------------------------------------------ */

static const struct db_sql SQL_MEETING_INSERT =
	DB_SQL("INSERT INTO meeting (team_id, held_on, place, agenda, minutes, created_at, created_by) "
	       "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_ATTEND = DB_SQL("INSERT INTO meeting_attendance (meeting_id, member_id) VALUES (?, ?)");
static const struct db_sql SQL_MEMBER_IN_TEAM =
	DB_SQL("SELECT COUNT(*) FROM team_member WHERE id = ? AND team_id = ? AND valid_from <= ? "
	       "AND (valid_to IS NULL OR valid_to >= ?)");
static const struct db_sql SQL_MEETING_GET =
	DB_SQL("SELECT m.id, m.team_id, m.held_on, m.place, m.agenda, m.minutes, t.name FROM meeting m "
	       "JOIN team t ON t.id = m.team_id WHERE m.id = ?");
static const struct db_sql SQL_MEETING_LIST =
	DB_SQL("SELECT m.id, m.team_id, m.held_on, m.place, m.agenda, m.minutes, t.name FROM meeting m "
	       "JOIN team t ON t.id = m.team_id WHERE (? = 0 OR m.team_id = ?) ORDER BY m.held_on DESC, m.id DESC "
	       "LIMIT 200");
static const struct db_sql SQL_ATTENDANCE =
	DB_SQL("SELECT member_id FROM meeting_attendance WHERE meeting_id = ? ORDER BY member_id");
static const struct db_sql SQL_MEETING_TEAM = DB_SQL("SELECT team_id FROM meeting WHERE id = ?");
static const struct db_sql SQL_MEETING_DAY = DB_SQL("SELECT held_on FROM meeting WHERE id = ?");
static const struct db_sql SQL_MEETING_PRESENT =
	DB_SQL("SELECT COUNT(*) FROM meeting_attendance WHERE meeting_id = ?");
static const struct db_sql SQL_DECISION_INSERT =
	DB_SQL("INSERT INTO decision (team_id, meeting_id, kind, subject_kind, subject_id, subject_version, method, "
	       "votes_for, votes_against, votes_abstain, text, decided_on, created_at, created_by) "
	       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_DECISIONS =
	DB_SQL("SELECT id, team_id, meeting_id, kind, subject_kind, subject_id, subject_version, method, votes_for, "
	       "votes_against, votes_abstain, text, decided_on FROM decision WHERE (? = 0 OR team_id = ?) "
	       "AND (? = 0 OR meeting_id = ?) ORDER BY decided_on DESC, id DESC LIMIT 500");

int meeting_create(struct db *db, struct arena *a, const struct audit_actor *who, struct meeting *m,
		   int64_t *id, struct verrs *v)
{
	char now[CLOCK_ISO_LEN];
	int64_t n = 0;
	int rc, i;

	m->place = registry_clean(a, m->place);
	m->agenda = registry_clean(a, m->agenda);
	m->minutes = registry_clean(a, m->minutes);
	if (db_get_int(db, &n, &SQL_TEAM_GET, "i", m->team_id) < 0)
		return -1;
	if (n == 0)
		verrs_add(v, "team_id", "not_found", "%s", _("Team: there is no such team."));
	registry_check_date(v, "held_on", N_("Held on"), m->held_on, 1);
	coop_check_text(v, "place", N_("Place"), m->place, 300);
	coop_check_text(v, "agenda", N_("Agenda"), m->agenda, 4000);
	coop_check_text(v, "minutes", N_("Minutes"), m->minutes, 20000);
	for (i = 0; v->n == 0 && i < m->nattendees; i++) {
		n = 0;
		if (db_get_int(db, &n, &SQL_MEMBER_IN_TEAM, "iitt", m->attendees[i], m->team_id, m->held_on,
			       m->held_on) < 0)
			return -1;
		if (n == 0)
			verrs_add(v, "attendees", "not_member",
				  _("Attendance: number %lld is not a member of the team on the meeting's day."),
				  (long long)m->attendees[i]);
	}
	if (v->n > 0)
		return 1;
	now_iso(now);
	if (db_begin(db) != 0)
		return -1;
	rc = coop_insert(db, id, &SQL_MEETING_INSERT, "ittttt" "I", m->team_id, m->held_on, m->place, m->agenda,
			 m->minutes, now, who != NULL ? who->user_id : 0) == DB_OK ? 0 : -1;
	for (i = 0; rc == 0 && i < m->nattendees; i++) {
		int j;

		for (j = 0; j < i && m->attendees[j] != m->attendees[i]; j++)
			;
		if (j == i && db_run(db, &SQL_ATTEND, "ii", *id, m->attendees[i]) != DB_OK)
			rc = -1;
	}
	return audit_commit(db, who, rc, "meeting.create", "meeting", rc == 0 ? *id : 0, m->held_on);
}

static void read_meeting(struct arena *a, struct db_stmt *st, void *row)
{
	struct meeting *m = row;

	m->id = db_col_int(st, 0);
	m->team_id = db_col_int(st, 1);
	m->held_on = registry_col(a, st, 2);
	m->place = registry_col(a, st, 3);
	m->agenda = registry_col(a, st, 4);
	m->minutes = registry_col(a, st, 5);
	m->team_name = registry_col(a, st, 6);
}

int meeting_get(struct db *db, struct arena *a, int64_t id, struct meeting *out)
{
	int rc = read_one(db, a, &SQL_MEETING_GET, id, sizeof(*out), read_meeting, out);

	if (rc != 0)
		return rc;
	out->attendees = arena_zalloc(a, sizeof(int64_t) * TEAM_MAX_MEMBERS);
	return read_ids(db_query(db, &SQL_ATTENDANCE, "i", id), out->attendees, &out->nattendees, TEAM_MAX_MEMBERS);
}

int meeting_list(struct db *db, struct arena *a, int64_t team_id, struct meeting **out)
{
	void *r;
	int n = read_rows(a, db_query(db, &SQL_MEETING_LIST, "ii", team_id, team_id), sizeof(**out), 200, read_meeting,
			  &r);

	*out = r;
	return n;
}

/*
 * votes_exceed_attendance() refuses a vote at a meeting cast by more members than were
 * present: only the members on the attendance list can vote, so for + against +
 * abstaining is at most their number. Returns -1 on a database error, else 0.
 */
static int votes_exceed_attendance(struct db *db, const struct decision *d, struct verrs *v)
{
	int64_t present = 0, cast = (int64_t)d->votes_for + d->votes_against + d->votes_abstain;

	if (db_get_int(db, &present, &SQL_MEETING_PRESENT, "i", d->meeting_id) < 0)
		return -1;
	if (cast > present)
		verrs_add(v, "votes_for", "exceeds_attendance",
			  _("Votes: the votes cast (%lld) exceed the members present at the meeting (%lld); "
			    "for, against and abstaining together cannot exceed the attendance."),
			  (long long)cast, (long long)present);
	return 0;
}

int team_decide(struct db *db, const struct audit_actor *who, struct decision *d, int64_t *id, struct verrs *v)
{
	char now[CLOCK_ISO_LEN];
	int64_t team = 0;
	int rc, before = v->n;

	if (d->meeting_id > 0) {
		if (db_get_int(db, &team, &SQL_MEETING_TEAM, "i", d->meeting_id) < 0)
			return -1;
		if (team != d->team_id) {
			verrs_add(v, "meeting_id", "other_team", "%s",
				  _("Meeting: there is no meeting of this team with this number."));
			return 1;
		}
	}
	if (!coop_code_ok(decision_kinds, d->kind))
		verrs_add(v, "kind", "invalid", "%s", _("Kind of decision: choose one of the listed kinds."));
	if (d->method == NULL)
		d->method = "consensus";
	if (!coop_code_ok(decision_methods, d->method))
		verrs_add(v, "method", "invalid", "%s", _("Method: choose a vote or a consensus."));
	else if (str_eq(d->method, "vote") &&
		 (d->votes_for < 0 || d->votes_against < 0 || d->votes_abstain < 0 || d->votes_for == 0))
		verrs_add(v, "votes_for", "required", "%s",
			  _("Votes: a decision by vote needs the numbers of votes for, against and abstaining."));
	else if (str_eq(d->method, "vote") && d->votes_for <= d->votes_against)
		verrs_add(v, "votes_for", "not_carried", "%s",
			  _("Votes: a decision needs more votes for than against."));
	if (v->n == before && str_eq(d->method, "vote") && d->meeting_id > 0 && votes_exceed_attendance(db, d, v) < 0)
		return -1;
	coop_check_text(v, "comment", N_("Comment"), d->text, 4000);
	if (d->decided_on == NULL && d->meeting_id > 0) {
		struct db_stmt *st = db_query(db, &SQL_MEETING_DAY, "i", d->meeting_id);

		if (st != NULL && db_step(st) == DB_ROW) {
			snprintf(d->day, sizeof(d->day), "%s", db_col_text(st, 0));
			d->decided_on = d->day;
		}
		db_reset(st);
	}
	if (d->decided_on == NULL) {
		registry_today(d->day);
		d->decided_on = d->day;
	}
	if (v->n > before)
		return 1;
	now_iso(now);
	if (str_eq(d->method, "consensus"))
		rc = coop_insert(db, id, &SQL_DECISION_INSERT, "iIttIItNNNtttI", d->team_id, d->meeting_id, d->kind,
				 d->subject_kind, d->subject_id, d->subject_version, d->method, (int64_t)-1,
				 (int64_t)-1, (int64_t)-1, d->text, d->decided_on, now,
				 who != NULL ? who->user_id : 0);
	else
		rc = coop_insert(db, id, &SQL_DECISION_INSERT, "iIttIItiiitttI", d->team_id, d->meeting_id, d->kind,
				 d->subject_kind, d->subject_id, d->subject_version, d->method,
				 (int64_t)d->votes_for, (int64_t)d->votes_against, (int64_t)d->votes_abstain, d->text,
				 d->decided_on, now, who != NULL ? who->user_id : 0);
	return rc == DB_OK ? 0 : -1;
}

static void read_decision(struct arena *a, struct db_stmt *st, void *row)
{
	struct decision *d = row;

	d->id = db_col_int(st, 0);
	d->team_id = db_col_int(st, 1);
	d->meeting_id = db_col_int(st, 2);
	d->kind = registry_col(a, st, 3);
	d->subject_kind = registry_col(a, st, 4);
	d->subject_id = db_col_int(st, 5);
	d->subject_version = db_col_int(st, 6);
	d->method = registry_col(a, st, 7);
	d->votes_for = (int)db_col_int(st, 8);
	d->votes_against = (int)db_col_int(st, 9);
	d->votes_abstain = (int)db_col_int(st, 10);
	d->text = registry_col(a, st, 11);
	d->decided_on = registry_col(a, st, 12);
}

int decision_list(struct db *db, struct arena *a, int64_t team_id, int64_t meeting_id, struct decision **out)
{
	void *r;
	int n = read_rows(a, db_query(db, &SQL_DECISIONS, "iiii", team_id, team_id, meeting_id, meeting_id),
			  sizeof(**out), 500, read_decision, &r);

	*out = r;
	return n;
}

/* ------------------------------------------------------------------ */
/* The local programme                                                 */
/* ------------------------------------------------------------------ */

static const struct db_sql SQL_LPIW_NEXT =
	DB_SQL("SELECT COALESCE(MAX(version), 0) + 1 FROM lpiw WHERE terc = ?");
static const struct db_sql SQL_LPIW_INSERT =
	DB_SQL("INSERT INTO lpiw (terc, version, title, state, valid_from, valid_to, contract_limit, created_at, "
	       "created_by) VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_LPIW_ACTION_INSERT =
	DB_SQL("INSERT INTO lpiw_action (lpiw_id, number, title, module, responsible_institution_id, target_group, "
	       "infrastructure, rules_of_use, funding, funding_amount, period_from, period_to) "
	       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_LPIW_PARTNER_INSERT =
	DB_SQL("INSERT INTO lpiw_partner (action_id, institution_id) VALUES (?, ?)");
static const struct db_sql SQL_LPIW_GET =
	DB_SQL("SELECT id, terc, version, title, state, valid_from, valid_to, contract_limit, decision_id "
	       "FROM lpiw WHERE id = ?");
static const struct db_sql SQL_LPIW_LIST =
	DB_SQL("SELECT id, terc, version, title, state, valid_from, valid_to, contract_limit, decision_id "
	       "FROM lpiw WHERE (CAST(? AS TEXT) IS NULL OR terc = ?) ORDER BY terc, version DESC LIMIT 200");
static const struct db_sql SQL_LPIW_ACTIONS =
	DB_SQL("SELECT a.id, a.number, a.title, a.module, a.responsible_institution_id, a.target_group, "
	       "a.infrastructure, a.rules_of_use, a.funding, a.funding_amount, a.period_from, a.period_to, i.name, "
	       "(SELECT string_agg(x.name, ', ') FROM (SELECT j.name FROM lpiw_partner p JOIN institution j ON "
	       "j.id = p.institution_id WHERE p.action_id = a.id ORDER BY j.name) x) "
	       "FROM lpiw_action a JOIN institution i ON i.id = a.responsible_institution_id "
	       "WHERE a.lpiw_id = ? ORDER BY a.number");
static const struct db_sql SQL_LPIW_PARTNERS =
	DB_SQL("SELECT institution_id FROM lpiw_partner WHERE action_id = ? ORDER BY institution_id");
static const struct db_sql SQL_LPIW_ADOPTED =
	DB_SQL("SELECT id FROM lpiw WHERE terc = ? AND state = 'adopted' ORDER BY version DESC LIMIT 1");
static const struct db_sql SQL_LPIW_SUPERSEDE =
	DB_SQL("UPDATE lpiw SET state = 'superseded' WHERE terc = ? AND state = 'adopted'");
static const struct db_sql SQL_LPIW_SET_ADOPTED =
	DB_SQL("UPDATE lpiw SET state = 'adopted', decision_id = ? WHERE id = ?");
static const struct db_sql SQL_LPIW_PARTNER =
	DB_SQL("SELECT COUNT(*) FROM lpiw_action a WHERE a.id = ? AND a.lpiw_id = ? AND "
	       "(a.responsible_institution_id = ? OR EXISTS (SELECT 1 FROM lpiw_partner p WHERE p.action_id = a.id "
	       "AND p.institution_id = ?))");

static void check_lpiw_action(struct db *db, struct arena *a, const struct lpiw *l, struct lpiw_action *x,
			      int i, struct verrs *v)
{
	char f[64];
	int k;

	x->title = registry_clean(a, x->title);
	x->target_group = registry_clean(a, x->target_group);
	x->infrastructure = registry_clean(a, x->infrastructure);
	x->rules_of_use = registry_clean(a, x->rules_of_use);
	x->funding = registry_clean(a, x->funding);
	snprintf(f, sizeof(f), "actions[%d].title", i);
	if (x->title == NULL)
		verrs_add(v, arena_strdup(a, f), "required", _("Action %d: enter what it is."), i + 1);
	coop_check_text(v, arena_strdup(a, f), N_("Action"), x->title, 500);
	if (!coop_code_ok(action_modules, x->module))
		verrs_add(v, arena_printf(a, "actions[%d].module", i), "invalid",
			  _("Action %d: choose one of the four modules."), i + 1);
	if (exists_active(db, &SQL_INST_OK, x->responsible_id) != 1)
		verrs_add(v, arena_printf(a, "actions[%d].responsible_institution_id", i), "invalid",
			  _("Action %d: choose the responsible institution."), i + 1);
	for (k = 0; k < x->npartners; k++)
		if (exists_active(db, &SQL_INST_OK, x->partners[k]) != 1)
			verrs_add(v, arena_printf(a, "actions[%d].partners", i), "invalid",
				  _("Action %d: partner %lld is not an active institution."), i + 1,
				  (long long)x->partners[k]);
	coop_check_text(v, arena_printf(a, "actions[%d].target_group", i), N_("Target group"), x->target_group, 1000);
	coop_check_text(v, arena_printf(a, "actions[%d].infrastructure", i), N_("Shared infrastructure"),
			x->infrastructure, 1000);
	coop_check_text(v, arena_printf(a, "actions[%d].rules_of_use", i), N_("Rules of use"), x->rules_of_use, 2000);
	coop_check_text(v, arena_printf(a, "actions[%d].funding", i), N_("Funding"), x->funding, 500);
	if (x->period_from == NULL)
		x->period_from = l->valid_from;
	if (x->period_to == NULL)
		x->period_to = l->valid_to;
	if (!clock_valid_date(x->period_from) || !clock_valid_date(x->period_to) ||
	    strcmp(x->period_to, x->period_from) < 0 ||
	    (clock_valid_date(l->valid_from) && strcmp(x->period_from, l->valid_from) < 0) ||
	    (clock_valid_date(l->valid_to) && strcmp(x->period_to, l->valid_to) > 0))
		verrs_add(v, arena_printf(a, "actions[%d].period_from", i), "period",
			  _("Action %d: the period must be real dates within the programme's period."), i + 1);
}

int lpiw_create(struct db *db, struct arena *a, const struct audit_actor *who, struct lpiw *l, int64_t *id,
		struct verrs *v)
{
	char now[CLOCK_ISO_LEN];
	int64_t version = 1, aid, n = 0;
	int rc, i, k;

	l->title = registry_clean(a, l->title);
	if (l->terc == NULL || strlen(l->terc) != 4 ||
	    db_get_int(db, &n, &SQL_UNIT_POWIAT, "t", l->terc) < 0 || n == 0)
		verrs_add(v, "terc", "invalid", "%s", _("County: enter the 4-digit TERC code of a powiat."));
	if (l->title == NULL)
		verrs_add(v, "title", "required", "%s", _("Title: enter the programme's title."));
	coop_check_text(v, "title", N_("Title"), l->title, 300);
	if (registry_check_date(v, "valid_from", N_("In force from"), l->valid_from, 1) == 0 &&
	    registry_check_date(v, "valid_to", N_("In force until"), l->valid_to, 1) == 0 &&
	    strcmp(l->valid_to, l->valid_from) < 0)
		verrs_add(v, "valid_to", "before_start", "%s", _("In force until: the end cannot be before the start."));
	if (l->contract_limit < 0)
		verrs_add(v, "contract_limit", "invalid", "%s",
			  _("Limit per contract: enter an amount of zero or more."));
	if (l->nactions == 0)
		verrs_add(v, "actions", "required", "%s", _("Actions: the programme needs at least one action."));
	for (i = 0; i < l->nactions; i++)
		check_lpiw_action(db, a, l, &l->actions[i], i, v);
	if (v->n > 0)
		return 1;
	now_iso(now);
	if (db_begin(db) != 0)
		return -1;
	rc = db_get_int(db, &version, &SQL_LPIW_NEXT, "t", l->terc) == DB_ROW ? 0 : -1;
	if (rc == 0)
		rc = coop_insert(db, id, &SQL_LPIW_INSERT, "titttitI", l->terc, version, l->title, l->valid_from,
				 l->valid_to, l->contract_limit, now, who != NULL ? who->user_id : 0) == DB_OK ? 0 : -1;
	for (i = 0; rc == 0 && i < l->nactions; i++) {
		struct lpiw_action *x = &l->actions[i];

		x->number = i + 1;
		rc = coop_insert(db, &aid, &SQL_LPIW_ACTION_INSERT, "iittittttNtt", *id, (int64_t)x->number,
				 x->title, x->module, x->responsible_id, x->target_group, x->infrastructure,
				 x->rules_of_use, x->funding, x->funding_amount, x->period_from, x->period_to) == DB_OK
			     ? 0 : -1;
		x->id = aid;
		for (k = 0; rc == 0 && k < x->npartners; k++) {
			int j;

			for (j = 0; j < k && x->partners[j] != x->partners[k]; j++)
				;
			if (j == k && db_run(db, &SQL_LPIW_PARTNER_INSERT, "ii", aid, x->partners[k]) != DB_OK)
				rc = -1;
		}
	}
	l->version = (int)version;
	return audit_commit(db, who, rc, "lpiw.create", "lpiw", rc == 0 ? *id : 0, l->terc);
}

int lpiw_adopt(struct db *db, const struct audit_actor *who, int64_t id, struct decision *d, struct verrs *v)
{
	struct arena *a = arena_new(64 * 1024);
	struct lpiw l;
	int64_t did = 0;
	int rc;

	if (a == NULL)
		return -1;
	rc = lpiw_get(db, a, id, &l);
	if (rc != 0) {
		arena_free(a);
		return rc;
	}
	if (!str_eq(l.state, "draft")) {
		verrs_add(v, "", "state", "%s", _("Only a draft programme can be adopted."));
		arena_free(a);
		return 1;
	}
	d->team_id = team_of_county(db, l.terc, "pzkw");
	if (d->team_id <= 0) {
		verrs_add(v, "", "no_pzkw", "%s", _("The county has no coordinating team (PZKW) to adopt it."));
		arena_free(a);
		return d->team_id < 0 ? -1 : 1;
	}
	d->kind = "adopt_lpiw";
	d->subject_kind = "lpiw";
	d->subject_id = id;
	d->subject_version = l.version;
	if (db_begin(db) != 0) {
		arena_free(a);
		return -1;
	}
	rc = team_decide(db, who, d, &did, v);
	if (rc == 0 && (db_run(db, &SQL_LPIW_SUPERSEDE, "t", l.terc) != DB_OK ||
			db_run(db, &SQL_LPIW_SET_ADOPTED, "ii", did, id) != DB_OK))
		rc = -1;
	if (rc > 0) {
		db_rollback(db);
		arena_free(a);
		return 1;
	}
	rc = audit_commit(db, who, rc, "lpiw.adopt", "lpiw", id, arena_printf(a, "decision=%lld", (long long)did));
	arena_free(a);
	return rc;
}

static void read_lpiw(struct arena *a, struct db_stmt *st, void *row)
{
	struct lpiw *l = row;

	l->id = db_col_int(st, 0);
	l->terc = registry_col(a, st, 1);
	l->version = (int)db_col_int(st, 2);
	l->title = registry_col(a, st, 3);
	l->state = registry_col(a, st, 4);
	l->valid_from = registry_col(a, st, 5);
	l->valid_to = registry_col(a, st, 6);
	l->contract_limit = db_col_int(st, 7);
	l->decision_id = db_col_int(st, 8);
}

int lpiw_get(struct db *db, struct arena *a, int64_t id, struct lpiw *out)
{
	struct db_stmt *st;
	int rc = read_one(db, a, &SQL_LPIW_GET, id, sizeof(*out), read_lpiw, out), n = 0, i;

	if (rc != 0)
		return rc;
	out->actions = arena_zalloc(a, sizeof(*out->actions) * LPIW_MAX_ACTIONS);
	st = db_query(db, &SQL_LPIW_ACTIONS, "i", id);
	if (rows_ready(st, out->actions) != 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && n < LPIW_MAX_ACTIONS) {
		struct lpiw_action *x = &out->actions[n++];

		x->id = db_col_int(st, 0);
		x->number = (int)db_col_int(st, 1);
		x->title = registry_col(a, st, 2);
		x->module = registry_col(a, st, 3);
		x->responsible_id = db_col_int(st, 4);
		x->target_group = registry_col(a, st, 5);
		x->infrastructure = registry_col(a, st, 6);
		x->rules_of_use = registry_col(a, st, 7);
		x->funding = registry_col(a, st, 8);
		x->funding_amount = db_col_is_null(st, 9) ? -1 : db_col_int(st, 9);
		x->period_from = registry_col(a, st, 10);
		x->period_to = registry_col(a, st, 11);
		x->responsible_name = registry_col(a, st, 12);
		x->partner_names = registry_col(a, st, 13);
	}
	if (rows_done(st, rc, 0) < 0)
		return -1;
	out->nactions = n;
	for (i = 0; i < n; i++) {
		struct lpiw_action *x = &out->actions[i];

		if (read_ids(db_query(db, &SQL_LPIW_PARTNERS, "i", x->id), x->partners, &x->npartners,
			     LPIW_MAX_PARTNERS) != 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The programme as printed                                            */
/* ------------------------------------------------------------------ */

static const struct db_sql SQL_LPIW_DECISION =
	DB_SQL("SELECT d.id, d.team_id, d.meeting_id, d.kind, d.subject_kind, d.subject_id, d.subject_version, "
	       "d.method, d.votes_for, d.votes_against, d.votes_abstain, d.text, d.decided_on, t.name, m.held_on "
	       "FROM decision d JOIN team t ON t.id = d.team_id LEFT JOIN meeting m ON m.id = d.meeting_id "
	       "WHERE d.id = ?");
static const struct db_sql SQL_LPIW_INSTITUTIONS =
	DB_SQL("SELECT i.name FROM institution i WHERE i.id IN (SELECT responsible_institution_id FROM lpiw_action "
	       "WHERE lpiw_id = ?) OR i.id IN (SELECT p.institution_id FROM lpiw_partner p JOIN lpiw_action a ON "
	       "a.id = p.action_id WHERE a.lpiw_id = ?) ORDER BY i.name");

/* doc_decision() reads the adopting decision, its team's name and its meeting's day into out. 0, -1. */
static int doc_decision(struct db *db, struct arena *a, struct lpiw_doc *out)
{
	struct db_stmt *st = db_query(db, &SQL_LPIW_DECISION, "i", out->l.decision_id);
	int rc = st != NULL ? db_step(st) : DB_ERROR;

	if (rc == DB_ROW) {
		read_decision(a, st, &out->decision);
		out->team_name = registry_col(a, st, 13);
		out->meeting_on = registry_col(a, st, 14);
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

/* doc_institutions() reads the names of the programme's institutions (each once). 0, -1. */
static int doc_institutions(struct db *db, struct arena *a, struct lpiw_doc *out)
{
	int max = LPIW_MAX_ACTIONS * (LPIW_MAX_PARTNERS + 1), rc;
	struct db_stmt *st = db_query(db, &SQL_LPIW_INSTITUTIONS, "ii", out->l.id, out->l.id);

	out->institutions = arena_zalloc(a, sizeof(*out->institutions) * (size_t)max);
	if (rows_ready(st, out->institutions) != 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && out->ninstitutions < max)
		out->institutions[out->ninstitutions++] = registry_col(a, st, 0);
	return rows_done(st, rc, 0);
}

int lpiw_doc_get(struct db *db, struct arena *a, int64_t id, struct lpiw_doc *out)
{
	struct territory_unit county;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = lpiw_get(db, a, id, &out->l);
	if (rc != 0)
		return rc;
	if ((rc = territory_get(db, a, out->l.terc, &county)) < 0)
		return -1;
	out->county_name = rc == 0 ? county.name : out->l.terc;
	if (out->l.decision_id > 0 && doc_decision(db, a, out) != 0)
		return -1;
	return doc_institutions(db, a, out);
}

int lpiw_list(struct db *db, struct arena *a, const char *terc, struct lpiw **out)
{
	void *r;
	int n = read_rows(a, db_query(db, &SQL_LPIW_LIST, "tt", terc, terc), sizeof(**out), 200, read_lpiw, &r);

	*out = r;
	return n;
}

int64_t lpiw_adopted(struct db *db, const char *terc)
{
	int64_t id = 0;

	return db_get_int(db, &id, &SQL_LPIW_ADOPTED, "t", terc) < 0 ? -1 : id;
}

int lpiw_partner(struct db *db, int64_t lpiw_id, int64_t action_id, int64_t institution)
{
	int64_t n = 0;

	if (db_get_int(db, &n, &SQL_LPIW_PARTNER, "iiii", action_id, lpiw_id, institution, institution) < 0)
		return -1;
	return n > 0;
}
