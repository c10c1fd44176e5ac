/*
 * consent.c — consents and statutory bases for sharing a person's record
 * (consent.h), and the facts the sharing rule reads at each request.
 */
#include "coop/consent.h"

#include <stdio.h>
#include <string.h>

#include "coop/agreement.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/str.h"
#include "registry/check.h"

/*
 * An agreement in force on a day (?, bound three times), as
 * agreement_in_force() (coop/agreement.c) decides it: signed (or
 * terminated after the day), the day inside its period.
 */
#define AGREEMENT_IN_FORCE(g)                                                              \
	"(" g ".status = 'signed' OR (" g ".status = 'terminated' AND " g ".terminated_on > ?)) AND " g \
	".valid_from <= ? AND (" g ".valid_to IS NULL OR " g ".valid_to >= ?)"

static const struct db_sql SQL_PERSON_INST =
	DB_SQL("SELECT institution_id FROM person WHERE id = ? AND deleted_at IS NULL");
static const struct db_sql SQL_INST_EXISTS = DB_SQL("SELECT COUNT(*) FROM institution WHERE id = ?");
static const struct db_sql SQL_AGREEMENT_PARTY =
	DB_SQL("SELECT COUNT(*) FROM agreement_party WHERE agreement_id = ? AND institution_id = ?");
static const struct db_sql SQL_PURPOSE =
	DB_SQL("SELECT label_pl, label_en FROM consent_purpose WHERE code = ?");
static const struct db_sql SQL_PURPOSE_COUNT =
	DB_SQL("SELECT COUNT(*) FROM consent_purpose WHERE code = ?");
static const struct db_sql SQL_INSERT =
	DB_SQL("INSERT INTO consent (person_id, institution_id, recipient_institution_id, agreement_id, "
	       "purpose, basis, statute_article, given_form, recorded_by, valid_from, valid_to, note, "
	       "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_WITHDRAW =
	DB_SQL("UPDATE consent SET withdrawn_on = ?, withdrawn_by = ? WHERE id = ? AND withdrawn_on IS NULL");
#define CONSENT_COLS                                                                               \
	"SELECT c.id, c.person_id, c.institution_id, c.recipient_institution_id, c.agreement_id, "   \
	"c.purpose, c.basis, c.statute_article, c.given_form, c.valid_from, c.valid_to, "             \
	"c.withdrawn_on, c.note, c.recorded_by, c.withdrawn_by, c.created_at, i.name, cp.label_pl, " \
	"cp.label_en, u.full_name FROM consent c JOIN consent_purpose cp ON cp.code = c.purpose "    \
	"LEFT JOIN institution i ON i.id = c.recipient_institution_id "                              \
	"LEFT JOIN app_user u ON u.id = c.recorded_by "
static const struct db_sql SQL_GET = DB_SQL(CONSENT_COLS "WHERE c.id = ?");
static const struct db_sql SQL_LIST =
	DB_SQL(CONSENT_COLS "WHERE c.person_id = ? ORDER BY c.valid_from DESC, c.id DESC");
static const struct db_sql SQL_COVERS = DB_SQL(
	"SELECT COUNT(*) FROM consent c WHERE c.person_id = ? AND c.purpose = ? "
	"AND c.valid_from <= ? AND (c.valid_to IS NULL OR c.valid_to >= ?) "
	"AND (c.withdrawn_on IS NULL OR c.withdrawn_on > ?) AND (c.recipient_institution_id = ? OR "
	"(c.recipient_institution_id IS NULL AND EXISTS (SELECT 1 FROM agreement g JOIN agreement_party "
	"gp ON gp.agreement_id = g.id WHERE g.id = c.agreement_id AND gp.institution_id = ? AND " AGREEMENT_IN_FORCE("g") ")))");
static const struct db_sql SQL_INST = DB_SQL("SELECT name, kind FROM institution WHERE id = ?");
static const struct db_sql SQL_EXPIRING = DB_SQL(
	"SELECT c.id, c.person_id, p.first_names, p.surname, cp.label_pl, cp.label_en, c.valid_to "
	"FROM consent c JOIN person p ON p.id = c.person_id JOIN consent_purpose cp ON cp.code = c.purpose "
	"WHERE c.institution_id = ? AND c.withdrawn_on IS NULL AND c.valid_to IS NOT NULL "
	"AND c.valid_to >= ? AND c.valid_to <= ? AND p.deleted_at IS NULL "
	"ORDER BY c.valid_to, c.id LIMIT ?");

static const char *const bases[] = { "consent", "statute", NULL };
static const char *const forms[] = { "written", "electronic", "oral_recorded", NULL };

static int one_of(const char *s, const char *const *set)
{
	for (; *set != NULL; set++)
		if (str_eq(s, *set))
			return 1;
	return 0;
}

/* today() is today's date YYYY-MM-DD (UTC, as the database's CURRENT_DATE). */
static void today(char out[11])
{
	char iso[CLOCK_ISO_LEN];

	clock_iso(clock_now(), iso);
	memcpy(out, iso, 10);
	out[10] = '\0';
}

const char *consent_purpose_label(struct db *db, struct arena *a, const char *code)
{
	struct db_stmt *st = db_query(db, &SQL_PURPOSE, "t", code);
	const char *label = NULL;

	if (st == NULL)
		return NULL;
	if (db_step(st) == DB_ROW)
		label = arena_strdup(a, db_col_text(st, i18n_lang() == LANG_EN ? 1 : 0));
	db_reset(st);
	return label;
}

int consent_validate(const struct consent *c, struct verrs *v)
{
	int n = v->n;

	if (c->person_id <= 0)
		verrs_add(v, "person_id", "required", "%s", _("Choose the person."));
	if (c->purpose == NULL || c->purpose[0] == '\0')
		verrs_add(v, "purpose", "required", "%s", _("Choose the purpose."));
	if (c->recipient_institution_id <= 0 && c->agreement_id <= 0)
		verrs_add(v, "recipient_institution_id", "required", "%s",
			  _("Name the receiving institution, or all partners under an agreement."));
	if (!one_of(c->basis, bases))
		verrs_add(v, "basis", "invalid", "%s", _("The basis is the person's consent or a statute."));
	else if (str_eq(c->basis, "statute") && (c->statute_article == NULL || c->statute_article[0] == '\0'))
		verrs_add(v, "statute_article", "required", "%s", _("Give the article of the statute."));
	else if (str_eq(c->basis, "consent") && !one_of(c->given_form, forms))
		verrs_add(v, "given_form", "required", "%s",
			  _("Say how the consent was given: in writing, electronically or orally (recorded)."));
	if (c->statute_article != NULL && strlen(c->statute_article) > 200)
		verrs_add(v, "statute_article", "too_long", "%s", _("At most 200 characters."));
	if (c->valid_from == NULL || !clock_valid_date(c->valid_from))
		verrs_add(v, "valid_from", "invalid", "%s", _("Give the first day as a date (YYYY-MM-DD)."));
	if (c->valid_to != NULL && !clock_valid_date(c->valid_to))
		verrs_add(v, "valid_to", "invalid", "%s", _("Give the last day as a date (YYYY-MM-DD)."));
	else if (c->valid_to != NULL && c->valid_from != NULL && strcmp(c->valid_to, c->valid_from) < 0)
		verrs_add(v, "valid_to", "invalid", "%s", _("The last day comes before the first."));
	if (c->note != NULL && strlen(c->note) > 1000)
		verrs_add(v, "note", "too_long", "%s", _("At most 1000 characters."));
	return v->n > n;
}

static void bind_opt(struct db_stmt *st, int i, int64_t v)
{
	if (v > 0)
		db_bind_int(st, i, v);
	else
		db_bind_null(st, i);
}

int consent_create(struct db *db, const struct registry_writer *w, struct consent *c, struct verrs *v)
{
	char now[CLOCK_ISO_LEN];
	struct db_stmt *st;
	int64_t inst = 0, n = 0;
	int rc;

	if (consent_validate(c, v) != 0)
		return 1;
	rc = db_get_int(db, &inst, &SQL_PERSON_INST, "i", c->person_id);
	if (rc != DB_ROW)
		return rc == DB_DONE ? PERSON_NOT_FOUND : -1;
	if (!w->policy.cli && inst != w->policy.institution_id)
		return PERSON_NOT_FOUND; /* whether another institution holds the person is not told */
	if (registry_may_write(w, inst, v) != 0)
		return 1;
	if (db_get_int(db, &n, &SQL_PURPOSE_COUNT, "t", c->purpose) != DB_ROW)
		return -1;
	if (n == 0) {
		verrs_add(v, "purpose", "invalid", "%s", _("No such purpose."));
		return 1;
	}
	if (c->recipient_institution_id > 0) {
		if (c->recipient_institution_id == inst) {
			verrs_add(v, "recipient_institution_id", "invalid", "%s",
				  _("The receiving institution is another one than the person's."));
			return 1;
		}
		if (db_get_int(db, &n, &SQL_INST_EXISTS, "i", c->recipient_institution_id) != DB_ROW)
			return -1;
		if (n == 0) {
			verrs_add(v, "recipient_institution_id", "invalid", "%s", _("No such institution."));
			return 1;
		}
	}
	if (c->agreement_id > 0) {
		if (db_get_int(db, &n, &SQL_AGREEMENT_PARTY, "ii", c->agreement_id, inst) != DB_ROW)
			return -1;
		if (n == 0) {
			verrs_add(v, "agreement_id", "invalid", "%s",
				  _("The person's institution is not a party to this agreement."));
			return 1;
		}
	}
	c->institution_id = inst;
	c->recorded_by = w->policy.user_id;
	clock_iso(clock_now(), now);
	st = db_prepare(db, &SQL_INSERT);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, c->person_id);
	db_bind_int(st, 2, inst);
	bind_opt(st, 3, c->recipient_institution_id);
	bind_opt(st, 4, c->agreement_id);
	db_bind_text(st, 5, c->purpose);
	db_bind_text(st, 6, c->basis);
	db_bind_text(st, 7, str_eq(c->basis, "statute") ? c->statute_article : NULL);
	db_bind_text(st, 8, str_eq(c->basis, "consent") ? c->given_form : NULL);
	bind_opt(st, 9, c->recorded_by);
	db_bind_text(st, 10, c->valid_from);
	db_bind_text(st, 11, c->valid_to);
	db_bind_text(st, 12, c->note);
	db_bind_text(st, 13, now);
	rc = db_step(st);
	if (rc == DB_ROW)
		c->id = db_col_int(st, 0);
	db_reset(st);
	return rc == DB_ROW ? 0 : -1;
}

static void row(struct arena *a, struct db_stmt *st, struct consent *o)
{
	memset(o, 0, sizeof(*o));
	o->id = db_col_int(st, 0);
	o->person_id = db_col_int(st, 1);
	o->institution_id = db_col_int(st, 2);
	o->recipient_institution_id = db_col_int(st, 3);
	o->agreement_id = db_col_int(st, 4);
	o->purpose = registry_col(a, st, 5);
	o->basis = registry_col(a, st, 6);
	o->statute_article = registry_col(a, st, 7);
	o->given_form = registry_col(a, st, 8);
	o->valid_from = registry_col(a, st, 9);
	o->valid_to = registry_col(a, st, 10);
	o->withdrawn_on = registry_col(a, st, 11);
	o->note = registry_col(a, st, 12);
	o->recorded_by = db_col_int(st, 13);
	o->withdrawn_by = db_col_int(st, 14);
	o->created_at = registry_col(a, st, 15);
	o->recipient_name = registry_col(a, st, 16);
	o->purpose_label = registry_col(a, st, i18n_lang() == LANG_EN ? 18 : 17);
	o->recorded_by_name = registry_col(a, st, 19);
}

int consent_get(struct db *db, struct arena *a, int64_t id, struct consent *out)
{
	struct db_stmt *st = db_query(db, &SQL_GET, "i", id);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		row(a, st, out);
	db_reset(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int consent_list(struct db *db, struct arena *a, int64_t person_id, struct consent *out, int max)
{
	struct db_stmt *st = db_query(db, &SQL_LIST, "i", person_id);
	int n = 0, rc = DB_DONE;

	if (st == NULL)
		return -1;
	while (n < max && (rc = db_step(st)) == DB_ROW)
		row(a, st, &out[n++]);
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? n : -1;
}

int consent_withdraw(struct db *db, const struct registry_writer *w, int64_t id, const char *date,
		     struct verrs *v)
{
	struct consent c;
	struct arena *a = arena_new(64u << 10);
	char day[11];
	int rc;

	if (a == NULL)
		return -1;
	rc = consent_get(db, a, id, &c);
	if (rc != 0) {
		arena_free(a);
		return rc > 0 ? PERSON_NOT_FOUND : -1;
	}
	if (!w->policy.cli && c.institution_id != w->policy.institution_id) {
		arena_free(a);
		return PERSON_NOT_FOUND;
	}
	rc = 0;
	if (date == NULL) {
		today(day);
		date = day;
	}
	if (registry_may_write(w, c.institution_id, v) != 0)
		rc = 1;
	else if (c.withdrawn_on != NULL) {
		verrs_add(v, "", "withdrawn", "%s", _("The consent was already withdrawn."));
		rc = 1;
	} else if (!clock_valid_date(date)) {
		verrs_add(v, "withdrawn_on", "invalid", "%s", _("Give the date as YYYY-MM-DD."));
		rc = 1;
	}
	arena_free(a);
	if (rc != 0)
		return rc;
	if (w->policy.user_id > 0)
		rc = db_run(db, &SQL_WITHDRAW, "tii", date, w->policy.user_id, id);
	else
		rc = db_run(db, &SQL_WITHDRAW, "tni", date, id);
	return rc == DB_OK ? 0 : -1;
}

int consent_covers(struct db *db, int64_t person_id, int64_t recipient_inst, const char *purpose,
		   const char *date)
{
	char day[11];
	int64_t n = 0;

	if (date == NULL) {
		today(day);
		date = day;
	}
	if (db_get_int(db, &n, &SQL_COVERS, "ittttiittt", person_id, purpose, date, date, date,
		       recipient_inst, recipient_inst, date, date, date) != DB_ROW)
		return -1;
	return n > 0;
}

int consent_facts(struct db *db, struct arena *a, int64_t person_id, int64_t owner, int64_t reader,
		  const char *purpose, struct policy_coop **out)
{
	struct policy_coop *c = arena_zalloc(a, sizeof(*c));
	struct db_stmt *st;
	char day[11];
	int k, rc;

	*out = c;
	if (c == NULL)
		return -1;
	today(day);
	c->purpose = purpose != NULL ? purpose : "labour_market_activation";
	c->purpose_label = consent_purpose_label(db, a, c->purpose);
	if (c->purpose_label == NULL)
		c->purpose_label = c->purpose;
	for (k = 0; k < 2; k++) { /* the names for the reason; the reader's kind */
		st = db_query(db, &SQL_INST, "i", k == 0 ? owner : reader);
		if (st == NULL)
			return -1;
		if (db_step(st) == DB_ROW) {
			if (k == 0)
				c->owner_name = registry_col(a, st, 0);
			else {
				c->reader_name = registry_col(a, st, 0);
				c->labour_market = str_eq(db_col_text(st, 1), "pup");
			}
		}
		db_reset(st);
	}
	rc = agreement_in_force(db, owner, reader, NULL, day, NULL);
	if (rc < 0)
		return -1;
	c->agreement = rc;
	if (!c->agreement)
		return 0;
	if (agreement_data_in_force(db, owner, reader, day, &c->data) != 0)
		return -1;
	rc = consent_covers(db, person_id, reader, c->purpose, day);
	if (rc < 0)
		return -1;
	c->consent = rc;
	return 0;
}

int consent_expiring(struct db *db, struct arena *a, int64_t institution, int days,
		     struct consent_expiring *out, int max)
{
	char from[11], to[CLOCK_ISO_LEN];
	struct db_stmt *st;
	int n = 0, rc = DB_DONE;

	today(from);
	clock_iso(clock_now() + (int64_t)days * 86400, to);
	to[10] = '\0';
	st = db_query(db, &SQL_EXPIRING, "itti", institution, from, to, (int64_t)max);
	if (st == NULL)
		return -1;
	while (n < max && (rc = db_step(st)) == DB_ROW) {
		struct consent_expiring *e = &out[n++];

		e->id = db_col_int(st, 0);
		e->person_id = db_col_int(st, 1);
		e->first_names = registry_col(a, st, 2);
		e->surname = registry_col(a, st, 3);
		e->purpose_label = registry_col(a, st, i18n_lang() == LANG_EN ? 5 : 4);
		e->valid_to = registry_col(a, st, 6);
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? n : -1;
}
