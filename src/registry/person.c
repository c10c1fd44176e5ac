/*
 * person.c — the person table: dictionaries, validation, changes with
 * their history, reads and search under the access policy, the list.
 *
 * The editable text columns are declared once (PERSON_TEXT below) and
 * that one list makes the INSERT, UPDATE and SELECT statements, the
 * field table that binds, compares (history) and masks them, so a column
 * cannot be stored but forgotten in the history or the mask.
 */
#include "registry/person.h"

#include "coop/agreement.h"
#include "coop/consent.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/role.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/ident.h"
#include "core/log.h"
#include "core/str.h"
#include "registry/check.h"
#include "registry/family.h"
#include "registry/history.h"

/* The editable text columns of person, in table order, with the class of their values. */
#define PERSON_TEXT(X)                                                                            \
	X(pesel, SENS_IDENTITY)                                                                   \
	X(doc_kind, SENS_IDENTITY)                                                                \
	X(doc_number, SENS_IDENTITY)                                                              \
	X(first_names, SENS_IDENTITY)                                                             \
	X(surname, SENS_IDENTITY)                                                                 \
	X(birth_surname, SENS_IDENTITY)                                                           \
	X(sex, SENS_IDENTITY)                                                                     \
	X(birth_date, SENS_IDENTITY)                                                              \
	X(citizenship, SENS_IDENTITY)                                                             \
	X(street, SENS_CONTACT)                                                                   \
	X(house_no, SENS_CONTACT)                                                                 \
	X(flat_no, SENS_CONTACT)                                                                  \
	X(postcode, SENS_CONTACT)                                                                 \
	X(town, SENS_CONTACT)                                                                     \
	X(terc, SENS_NONE) /* a gmina (thousands of people) identifies nobody: statistics keep it */ \
	X(corr_address, SENS_CONTACT)                                                             \
	X(phone, SENS_CONTACT)                                                                    \
	X(email, SENS_CONTACT)                                                                    \
	X(education, SENS_SOCIAL)                                                                 \
	X(disability, SENS_HEALTH)                                                                \
	X(disability_from, SENS_HEALTH)                                                           \
	X(disability_to, SENS_HEALTH)

#define F_COL(n, s) #n ", "
#define F_MARK(n, s) "?, "
#define F_SET(n, s) #n " = ?, "
#define F_PCOL(n, s) "p." #n ", "
#define F_ROW(n, s) { #n, offsetof(struct person, n), s },
#define F_ONE(n, s) +1

struct field {
	const char *name; /* column and struct member, and the history's field */
	size_t off;       /* offsetof(struct person, name) */
	enum list_sens sens;
};

static const struct field fields[] = { PERSON_TEXT(F_ROW) };
#define NFIELDS (0 PERSON_TEXT(F_ONE))

static const char **field_at(struct person *p, const struct field *f)
{
	return (const char **)(void *)((char *)p + f->off);
}

static const char *field_of(const struct person *p, const struct field *f)
{
	return *(const char *const *)(const void *)((const char *)p + f->off);
}

/* Statements */
static const struct db_sql SQL_PERSON_INSERT =
	DB_SQL("INSERT INTO person (institution_id, lead_worker_id, " PERSON_TEXT(F_COL)
	       "surname_fold, first_fold, town_fold, street_fold, created_at, created_by, updated_at, "
	       "updated_by) VALUES (?, ?, " PERSON_TEXT(F_MARK) "?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_PERSON_UPDATE =
	DB_SQL("UPDATE person SET lead_worker_id = ?, " PERSON_TEXT(F_SET)
	       "surname_fold = ?, first_fold = ?, town_fold = ?, street_fold = ?, updated_at = ?, "
	       "updated_by = ? WHERE id = ? AND deleted_at IS NULL RETURNING id");
static const struct db_sql SQL_PERSON_GET =
	DB_SQL("SELECT p.id, p.institution_id, p.lead_worker_id, " PERSON_TEXT(F_PCOL)
	       "p.created_at, p.updated_at, p.created_by, p.updated_by, w.full_name, i.name, "
	       "p.deleted_at, p.anonymised_at FROM person p JOIN institution i ON i.id = p.institution_id "
	       "LEFT JOIN app_user w ON w.id = p.lead_worker_id WHERE p.id = ?");
static const struct db_sql SQL_PERSON_OWNER =
	DB_SQL("SELECT institution_id FROM person WHERE id = ? AND deleted_at IS NULL");
static const struct db_sql SQL_PERSON_DELETE =
	DB_SQL("UPDATE person SET deleted_at = ?, deleted_by = ?, updated_at = ?, updated_by = ? "
	       "WHERE id = ? AND institution_id = ? AND deleted_at IS NULL RETURNING id");
static const struct db_sql SQL_PERSON_SAME_PESEL =
	DB_SQL("SELECT id FROM person WHERE institution_id = ? AND pesel = ? AND deleted_at IS NULL "
	       "AND id <> ? LIMIT 1");
static const struct db_sql SQL_PERSON_WORKER_OK =
	DB_SQL("SELECT COUNT(*) FROM app_user WHERE id = ? AND institution_id = ?");
static const struct db_sql SQL_PERSON_CAND_PESEL =
	DB_SQL("SELECT id, first_names, surname, birth_date, pesel, town FROM person "
	       "WHERE institution_id = ? AND pesel = ? AND deleted_at IS NULL AND id <> ? "
	       "ORDER BY id LIMIT ?");
/* the same surname and first (given) name: "anna" is also the start of "anna maria" */
static const struct db_sql SQL_PERSON_CAND_NAME =
	DB_SQL("SELECT id, first_names, surname, birth_date, pesel, town FROM person "
	       "WHERE institution_id = ? AND surname_fold = ? AND (first_fold = ? OR "
	       "(first_fold >= ? AND first_fold < ?)) AND birth_date = ? AND deleted_at IS NULL "
	       "AND id <> ? AND (pesel IS NULL OR pesel <> COALESCE(?, '')) ORDER BY id LIMIT ?");

/* ------------------------------------------------------------------ */
/* Dictionaries                                                        */
/* ------------------------------------------------------------------ */

const char *const person_doc_kinds[] = { "id_card", "passport", "residence_card", "other", NULL };
static const char *const doc_kind_labels[] = { N_("Identity card"), N_("Passport"),
					       N_("Residence card"), N_("Other document") };

const char *const person_educations[] = { "none", "primary", "lower_secondary", "vocational",
					  "secondary", "post_secondary", "higher", NULL };
static const char *const education_labels[] = {
	N_("No formal education"),    N_("Primary"),	   N_("Lower secondary (gimnazjum)"),
	N_("Basic vocational"),	      N_("Secondary"),	   N_("Post-secondary"),
	N_("Higher"),
};

const char *const person_disabilities[] = { "none", "light", "moderate", "significant", NULL };
static const char *const disability_labels[] = { N_("No disability"), N_("Light degree"),
						 N_("Moderate degree"), N_("Significant degree") };

static int code_index(const char *const *codes, const char *code)
{
	int i;

	for (i = 0; code != NULL && codes[i] != NULL; i++)
		if (strcmp(codes[i], code) == 0)
			return i;
	return -1;
}

static const char *label(const char *const *codes, const char *const *labels, const char *code)
{
	int i = code_index(codes, code);

	return i >= 0 ? _(labels[i]) : (code != NULL ? code : "");
}

const char *person_doc_kind_label(const char *code)
{
	return label(person_doc_kinds, doc_kind_labels, code);
}

const char *person_education_label(const char *code)
{
	return label(person_educations, education_labels, code);
}

const char *person_disability_label(const char *code)
{
	return label(person_disabilities, disability_labels, code);
}

/* ------------------------------------------------------------------ */
/* Validation                                                          */
/* ------------------------------------------------------------------ */

/* upper() is an upper-case (ASCII) copy of s in a. */
static const char *upper(struct arena *a, const char *s)
{
	char *t = arena_strdup(a, s);
	size_t i;

	for (i = 0; t != NULL && t[i] != '\0'; i++)
		if (t[i] >= 'a' && t[i] <= 'z')
			t[i] = (char)(t[i] - 'a' + 'A');
	return t;
}

/* name_ok() is registry_text_ok() for a name, which also may not hold digits. */
static void name_ok(struct verrs *v, const char *field, const char *s)
{
	if (registry_text_ok(v, field, s, 200) && s != NULL && strpbrk(s, "0123456789") != NULL)
		verrs_add(v, field, "invalid", "%s", _("A name may not contain digits."));
}

/*
 * date_ok() checks an entered date: a real date written YYYY-MM-DD (also
 * accepted as DD.MM.YYYY, the Polish way, and rewritten), not before
 * 1800, and not in the future when past_only.
 */
static void date_ok(struct arena *a, struct verrs *v, const char *field, const char **s, int past_only)
{
	char today[16];
	int ymd = clock_today_ymd();
	const char *d = *s;

	if (d == NULL)
		return;
	if (strlen(d) == 10 && d[2] == '.' && d[5] == '.')
		d = *s = arena_printf(a, "%.4s-%.2s-%.2s", d + 6, d + 3, d);
	if (d == NULL || !clock_valid_date(d) || strcmp(d, "1800-01-01") < 0) {
		verrs_add(v, field, "invalid", "%s",
			  _("Enter a real date as YYYY-MM-DD (or DD.MM.YYYY), e.g. 1985-12-31."));
		return;
	}
	snprintf(today, sizeof(today), "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
	if (past_only && strcmp(d, today) > 0)
		verrs_add(v, field, "future", _("The date %s lies in the future."), d);
}

static const char *sex_word(const char *sex)
{
	return sex[0] == 'K' ? _("a woman") : _("a man");
}

/* check_pesel() validates the PESEL and derives or checks the birth date and sex. */
static void check_pesel(struct person *p, struct arena *a, struct verrs *v)
{
	struct pesel_info info;
	struct ident_error e;
	char msg[256], date[16], sex[2];

	if (pesel_check(p->pesel, clock_today_ymd(), &info, &e) != 0) {
		verrs_add(v, "pesel", "invalid", "%s", ident_message(&e, msg, sizeof(msg)));
		return;
	}
	snprintf(date, sizeof(date), "%04d-%02d-%02d", info.year, info.month, info.day);
	sex[0] = info.sex;
	sex[1] = '\0';
	if (p->birth_date == NULL)
		p->birth_date = arena_strdup(a, date);
	else if (!verrs_has(v, "birth_date") && strcmp(p->birth_date, date) != 0)
		verrs_add(v, "birth_date", "pesel_mismatch",
			  _("The birth date %s does not agree with the PESEL, which gives %s: correct "
			    "one of them."),
			  p->birth_date, date);
	if (p->sex == NULL)
		p->sex = arena_strdup(a, sex);
	else if (!verrs_has(v, "sex") && strcmp(p->sex, sex) != 0)
		verrs_add(v, "sex", "pesel_mismatch",
			  _("The sex does not agree with the PESEL: its 10th digit (%c) is that of %s."),
			  p->pesel[9], sex_word(sex));
}

static void check_document(struct person *p, struct arena *a, struct verrs *v)
{
	size_t i;

	if (p->doc_kind != NULL && code_index(person_doc_kinds, p->doc_kind) < 0)
		verrs_add(v, "doc_kind", "invalid", "%s",
			  _("Choose the kind of document: identity card, passport, residence card or "
			    "other."));
	if (p->doc_number != NULL) {
		p->doc_number = upper(a, p->doc_number);
		for (i = 0; p->doc_number != NULL && p->doc_number[i] != '\0'; i++)
			if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -/", p->doc_number[i]) == NULL)
				break;
		if (p->doc_number == NULL || p->doc_number[i] != '\0' || i > 40)
			verrs_add(v, "doc_number", "invalid", "%s",
				  _("A document number has at most 40 Latin letters and digits (spaces, - "
				    "and / allowed)."));
	}
	if (p->doc_number != NULL && p->doc_kind == NULL)
		verrs_add(v, "doc_kind", "required", "%s", _("Choose the kind of the document."));
	if (p->doc_kind != NULL && p->doc_number == NULL)
		verrs_add(v, "doc_number", "required", "%s", _("Enter the number of the document."));
}

static void check_address(struct person *p, struct arena *a, struct verrs *v)
{
	registry_text_ok(v, "street", p->street, 200);
	registry_text_ok(v, "house_no", p->house_no, 20);
	registry_text_ok(v, "flat_no", p->flat_no, 20);
	registry_text_ok(v, "town", p->town, 100);
	registry_text_ok(v, "corr_address", p->corr_address, 500);
	registry_postcode(a, v, &p->postcode);
	registry_terc(v, p->terc);
}

static void check_contact(struct person *p, struct arena *a, struct verrs *v)
{
	size_t i;

	if (p->phone != NULL && !registry_phone_ok(p->phone))
		verrs_add(v, "phone", "invalid", "%s",
			  _("A phone number has 7 to 15 digits and may contain spaces, +, -, ( )."));
	if (p->email != NULL) {
		char *e = arena_strdup(a, p->email);

		for (i = 0; e != NULL && e[i] != '\0'; i++)
			if (e[i] >= 'A' && e[i] <= 'Z')
				e[i] = (char)(e[i] - 'A' + 'a');
		p->email = e;
		if (e == NULL || !str_is_email(e))
			verrs_add(v, "email", "invalid", "%s",
				  _("Enter an e-mail address like name@example.pl."));
	}
}

static void check_disability(struct person *p, struct arena *a, struct verrs *v)
{
	if (p->education != NULL && code_index(person_educations, p->education) < 0)
		verrs_add(v, "education", "invalid", "%s", _("Choose the level of education from the list."));
	if (p->disability != NULL && code_index(person_disabilities, p->disability) < 0)
		verrs_add(v, "disability", "invalid", "%s",
			  _("Choose the degree of disability: none, light, moderate or significant."));
	date_ok(a, v, "disability_from", &p->disability_from, 0);
	date_ok(a, v, "disability_to", &p->disability_to, 0);
	if ((p->disability_from != NULL || p->disability_to != NULL) &&
	    (p->disability == NULL || strcmp(p->disability, "none") == 0))
		verrs_add(v, "disability", "required", "%s",
			  _("Dates of validity are given: choose the degree of disability they belong to."));
	if (p->disability_from != NULL && p->disability_to != NULL && !verrs_has(v, "disability_from") &&
	    !verrs_has(v, "disability_to") && strcmp(p->disability_to, p->disability_from) < 0)
		verrs_add(v, "disability_to", "order", "%s",
			  _("The degree of disability cannot end before it starts."));
}

int person_validate(struct person *p, struct arena *a, struct verrs *v)
{
	int before = v->n;
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		registry_blank(a, field_at(p, &fields[i]));
	if (p->sex != NULL) {
		p->sex = upper(a, p->sex);
		if (p->sex == NULL || (strcmp(p->sex, "K") != 0 && strcmp(p->sex, "M") != 0))
			verrs_add(v, "sex", "invalid", "%s", _("Sex is K (a woman) or M (a man)."));
	}
	date_ok(a, v, "birth_date", &p->birth_date, 1); /* DD.MM.YYYY rewritten before comparing */
	if (p->pesel != NULL)
		check_pesel(p, a, v);
	if (p->first_names == NULL)
		verrs_add(v, "first_names", "required", "%s", _("Enter the first name."));
	if (p->surname == NULL)
		verrs_add(v, "surname", "required", "%s", _("Enter the surname."));
	name_ok(v, "first_names", p->first_names);
	name_ok(v, "surname", p->surname);
	name_ok(v, "birth_surname", p->birth_surname);
	check_document(p, a, v);
	if (p->pesel == NULL && p->doc_kind == NULL && p->doc_number == NULL && p->birth_date == NULL)
		verrs_add(v, "pesel", "required", "%s",
			  _("Enter the PESEL; a person without one needs a document (kind and number) or "
			    "at least the birth date."));
	if (p->citizenship != NULL) {
		p->citizenship = upper(a, p->citizenship);
		if (p->citizenship == NULL || strlen(p->citizenship) != 2 ||
		    strspn(p->citizenship, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 2)
			verrs_add(v, "citizenship", "invalid", "%s",
				  _("Citizenship is a two-letter country code, e.g. PL or UA."));
	}
	check_address(p, a, v);
	check_contact(p, a, v);
	check_disability(p, a, v);
	return v->n - before;
}

/* ------------------------------------------------------------------ */
/* Changes                                                             */
/* ------------------------------------------------------------------ */

int registry_may_write(const struct registry_writer *w, int64_t institution_id, struct verrs *v)
{
	const unsigned writers = ROLE_BIT(ROLE_SOCIAL_WORKER) | ROLE_BIT(ROLE_GUARDIAN) |
				 ROLE_BIT(ROLE_LABOUR_ADVISER) | ROLE_BIT(ROLE_ANALYST);

	if (w->policy.cli)
		return 0;
	if (w->policy.user_id <= 0 || institution_id != w->policy.institution_id) {
		verrs_add(v, "", "other_institution", "%s",
			  _("Records are created and changed only by their own institution."));
		return 1;
	}
	if (!(w->policy.roles & writers)) {
		verrs_add(v, "", "role", "%s",
			  _("Your role does not allow changing the records of persons and families: "
			    "administrators manage accounts, not personal data."));
		return 1;
	}
	return 0;
}

/* worker_ok() checks that the lead worker (if any) is an account of the institution. */
static int worker_ok(struct db *db, int64_t worker, int64_t institution_id, struct verrs *v)
{
	int64_t n = 0;

	if (worker == 0)
		return 0;
	if (db_get_int(db, &n, &SQL_PERSON_WORKER_OK, "ii", worker, institution_id) != DB_ROW)
		return -1;
	if (n > 0)
		return 0;
	verrs_add(v, "lead_worker_id", "invalid", "%s",
		  _("The lead worker must be a user of the institution that holds the record."));
	return 1;
}

/* pesel_taken() adds the duplicate error when another live person of the institution has the PESEL. */
static int pesel_taken(struct db *db, const struct person *p, struct verrs *v)
{
	int64_t other = 0;
	int rc;

	if (p->pesel == NULL)
		return 0;
	rc = db_get_int(db, &other, &SQL_PERSON_SAME_PESEL, "iti", p->institution_id, p->pesel, p->id);
	if (rc < 0)
		return -1;
	if (rc != DB_ROW)
		return 0;
	verrs_add(v, "pesel", "duplicate",
		  _("The institution already has a person with this PESEL (record number %lld): open "
		    "that record instead of creating a new one."),
		  (long long)other);
	return 1;
}

/*
 * refused() turns the unique index refusing a PESEL (a concurrent create
 * the check before could not see) into the same field error: the
 * savepoint is rolled back so the caller's transaction stays usable
 * (PostgreSQL aborts it otherwise), then the other record is looked up.
 */
static int refused(struct db *db, const struct person *p, struct verrs *v)
{
	int rc;

	if (db_rollback(db) != 0)
		return -1;
	rc = pesel_taken(db, p, v);
	if (rc == 0)
		verrs_add(v, "pesel", "duplicate", "%s",
			  _("The institution already has a person with this PESEL."));
	return rc < 0 ? -1 : 1;
}

struct folds {
	const char *surname, *first, *town, *street;
};

static int fold_person(struct arena *a, const struct person *p, struct folds *f)
{
	f->surname = str_fold(a, p->surname);
	f->first = str_fold(a, p->first_names);
	f->town = p->town != NULL ? str_fold(a, p->town) : NULL;
	f->street = p->street != NULL ? str_fold(a, p->street) : NULL;
	return f->surname != NULL && f->first != NULL && (p->town == NULL || f->town != NULL) &&
			       (p->street == NULL || f->street != NULL)
		       ? 0
		       : -1;
}

static void bind_opt_int(struct db_stmt *st, int i, int64_t v)
{
	if (v > 0)
		db_bind_int(st, i, v);
	else
		db_bind_null(st, i);
}

/* step_saved() runs an INSERT/UPDATE … RETURNING id in a savepoint; 0, 1 (v: duplicate), -1. */
static int step_saved(struct db *db, struct db_stmt *st, const struct person *p, int64_t *id,
		      struct verrs *v)
{
	int rc;

	if (db_begin(db) != 0) { /* a savepoint inside the caller's transaction */
		db_reset(st);
		return -1;
	}
	rc = db_step(st);
	if (rc == DB_ROW && id != NULL)
		*id = db_col_int(st, 0);
	db_reset(st);
	if (rc == DB_CONSTRAINT)
		return refused(db, p, v);
	if (rc != DB_ROW) {
		db_rollback(db);
		return rc == DB_DONE ? PERSON_NOT_FOUND : -1;
	}
	return db_commit(db) == 0 ? 0 : -1;
}

static struct history_entry person_entry(const struct person *p, enum history_change change)
{
	struct history_entry e = { "person", p->id, p->id, 0, p->institution_id, change, NULL, NULL,
				   NULL };

	return e;
}

int person_create(struct db *db, struct arena *a, const struct registry_writer *w,
		  struct person *p, int64_t *id, struct verrs *v)
{
	char now[CLOCK_ISO_LEN];
	struct history_entry e;
	struct folds f;
	struct db_stmt *st;
	size_t i;
	int rc;

	if (registry_may_write(w, p->institution_id, v) != 0)
		return 1;
	if (p->lead_worker_id == 0 && !w->policy.cli)
		p->lead_worker_id = w->policy.user_id; /* every person has a lead worker: who created it */
	p->id = 0;
	if ((rc = worker_ok(db, p->lead_worker_id, p->institution_id, v)) != 0 ||
	    (rc = pesel_taken(db, p, v)) != 0)
		return rc;
	if (fold_person(a, p, &f) != 0)
		return -1;
	clock_iso(clock_now(), now);
	st = db_prepare(db, &SQL_PERSON_INSERT);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, p->institution_id);
	bind_opt_int(st, 2, p->lead_worker_id);
	for (i = 0; i < NFIELDS; i++)
		db_bind_text(st, 3 + (int)i, field_of(p, &fields[i]));
	db_bind_text(st, 25, f.surname);
	db_bind_text(st, 26, f.first);
	db_bind_text(st, 27, f.town);
	db_bind_text(st, 28, f.street);
	db_bind_text(st, 29, now);
	bind_opt_int(st, 30, w->audit.user_id);
	db_bind_text(st, 31, now);
	bind_opt_int(st, 32, w->audit.user_id);
	rc = step_saved(db, st, p, id, v);
	if (rc != 0)
		return rc == PERSON_NOT_FOUND ? -1 : rc;
	p->id = *id;
	e = person_entry(p, HISTORY_CREATE);
	return history_add(db, w, &e);
}

int person_get(struct db *db, struct arena *a, int64_t id, struct person *out)
{
	struct db_stmt *st = db_query(db, &SQL_PERSON_GET, "i", id);
	size_t i;
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
	for (i = 0; i < NFIELDS; i++)
		*field_at(out, &fields[i]) = arena_strdup(a, db_col_text(st, 3 + (int)i));
	out->created_at = arena_strdup(a, db_col_text(st, 25));
	out->updated_at = arena_strdup(a, db_col_text(st, 26));
	out->created_by = db_col_int(st, 27);
	out->updated_by = db_col_int(st, 28);
	out->lead_worker_name = arena_strdup(a, db_col_text(st, 29));
	out->institution_name = arena_strdup(a, db_col_text(st, 30));
	out->deleted = !db_col_is_null(st, 31);
	out->anonymised = !db_col_is_null(st, 32);
	db_reset(st);
	return out->surname != NULL && out->first_names != NULL ? 0 : -1;
}

/* record_changes() writes one history row per field of p that differs from old. */
static int record_changes(struct db *db, const struct registry_writer *w, const struct person *old,
			  const struct person *p)
{
	struct history_entry e = person_entry(old, HISTORY_UPDATE);
	char was[24], now[24];
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		if (history_field(db, w, &e, fields[i].name, field_of(old, &fields[i]),
				  field_of(p, &fields[i])) < 0)
			return -1;
	snprintf(was, sizeof(was), "%lld", (long long)old->lead_worker_id);
	snprintf(now, sizeof(now), "%lld", (long long)p->lead_worker_id);
	if (old->lead_worker_id != p->lead_worker_id &&
	    history_field(db, w, &e, "lead_worker_id", old->lead_worker_id > 0 ? was : NULL,
			  p->lead_worker_id > 0 ? now : NULL) < 0)
		return -1;
	return 0;
}

int person_update(struct db *db, struct arena *a, const struct registry_writer *w,
		  const struct person *p, struct verrs *v)
{
	char now[CLOCK_ISO_LEN];
	struct person old, in = *p;
	struct folds f;
	struct db_stmt *st;
	size_t i;
	int rc;

	rc = person_get(db, a, p->id, &old);
	if (rc != 0)
		return rc > 0 ? PERSON_NOT_FOUND : -1;
	if (old.deleted || (!w->policy.cli && old.institution_id != w->policy.institution_id))
		return PERSON_NOT_FOUND;
	in.institution_id = old.institution_id; /* a record never changes hands */
	if (registry_may_write(w, in.institution_id, v) != 0)
		return 1;
	if ((rc = worker_ok(db, in.lead_worker_id, in.institution_id, v)) != 0 ||
	    (rc = pesel_taken(db, &in, v)) != 0)
		return rc;
	if (fold_person(a, &in, &f) != 0)
		return -1;
	clock_iso(clock_now(), now);
	st = db_prepare(db, &SQL_PERSON_UPDATE);
	if (st == NULL)
		return -1;
	bind_opt_int(st, 1, in.lead_worker_id);
	for (i = 0; i < NFIELDS; i++)
		db_bind_text(st, 2 + (int)i, field_of(&in, &fields[i]));
	db_bind_text(st, 24, f.surname);
	db_bind_text(st, 25, f.first);
	db_bind_text(st, 26, f.town);
	db_bind_text(st, 27, f.street);
	db_bind_text(st, 28, now);
	bind_opt_int(st, 29, w->audit.user_id);
	db_bind_int(st, 30, in.id);
	rc = step_saved(db, st, &in, NULL, v);
	if (rc != 0)
		return rc;
	return record_changes(db, w, &old, &in);
}

int person_delete(struct db *db, struct arena *a, const struct registry_writer *w, int64_t id)
{
	char now[CLOCK_ISO_LEN];
	struct person p;
	struct history_entry e;
	struct verrs v = VERRS_INIT;
	struct db_stmt *st;
	int64_t inst = 0;
	int rc;

	(void)a;
	rc = db_get_int(db, &inst, &SQL_PERSON_OWNER, "i", id);
	if (rc != DB_ROW)
		return rc == DB_DONE ? PERSON_NOT_FOUND : -1;
	if (!w->policy.cli && inst != w->policy.institution_id)
		return PERSON_NOT_FOUND;
	if (registry_may_write(w, inst, &v) != 0)
		return PERSON_NOT_FOUND; /* nothing this writer may delete */
	clock_iso(clock_now(), now);
	st = db_prepare(db, &SQL_PERSON_DELETE);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, now);
	bind_opt_int(st, 2, w->audit.user_id);
	db_bind_text(st, 3, now);
	bind_opt_int(st, 4, w->audit.user_id);
	db_bind_int(st, 5, id);
	db_bind_int(st, 6, inst);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? PERSON_NOT_FOUND : -1;
	memset(&p, 0, sizeof(p));
	p.id = id;
	p.institution_id = inst;
	e = person_entry(&p, HISTORY_DELETE);
	return history_add(db, w, &e);
}

/* ------------------------------------------------------------------ */
/* Reads                                                               */
/* ------------------------------------------------------------------ */

/* person_mask() blanks the fields of p whose class mask forbids. */
void person_mask(struct person *p, unsigned mask)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		if (fields[i].sens != SENS_NONE && !(mask & SENS_BIT(fields[i].sens)))
			*field_at(p, &fields[i]) = NULL;
}

int person_read(struct policy_read *r, int64_t id, struct person *out)
{
	struct policy_subject s = { POLICY_PERSON, id, 0, 0 };
	int rc;

	r->kind = POLICY_PERSON;
	memset(&r->decision, 0, sizeof(r->decision));
	/* the owner first: another institution's person is refused (403), a missing one not found */
	rc = db_get_int(r->db, &s.institution_id, &SQL_PERSON_OWNER, "i", id);
	if (rc != DB_ROW)
		return rc == DB_DONE ? POLICY_NOT_FOUND : -1;
	if (!r->actor.cli && s.institution_id != r->actor.institution_id &&
	    (r->coop_purpose != NULL || r->purpose == PURPOSE_COOPERATION)) {
		/* a partner's record: the sharing rule's facts, read now (never cached) */
		if (consent_facts(r->db, r->arena, id, s.institution_id, r->actor.institution_id,
				  r->coop_purpose, &s.coop) != 0)
			return -1;
		r->coop_purpose = s.coop->purpose;
	}
	if (policy_decide(&r->actor, &s, r->purpose, &r->decision) != 0) {
		if (policy_record_denied(r, id) != 0)
			return -1;
		return r->decision.conceal ? POLICY_NOT_FOUND : POLICY_DENIED;
	}
	rc = person_get(r->db, r->arena, id, out);
	if (rc != 0)
		return rc > 0 ? POLICY_NOT_FOUND : -1;
	if (out->deleted)
		return POLICY_NOT_FOUND; /* deleted between the two statements */
	person_mask(out, r->decision.mask);
	if (policy_record(r, arena_printf(r->arena, "%lld", (long long)id),
			  s.coop != NULL ? arena_printf(r->arena, "purpose=cooperation:%s", s.coop->purpose)
					 : arena_printf(r->arena, "purpose=%s", policy_purpose_code(r->purpose))) != 0)
		return -1;
	return POLICY_OK;
}

static int read_candidates(struct db_stmt *st, struct arena *a, const char *why,
			   struct person_candidate *out, int n, int max)
{
	int rc = DB_DONE;

	while (n < max && (rc = db_step(st)) == DB_ROW) {
		struct person_candidate *c = &out[n++];

		c->id = db_col_int(st, 0);
		c->first_names = arena_strdup(a, db_col_text(st, 1));
		c->surname = arena_strdup(a, db_col_text(st, 2));
		c->birth_date = arena_strdup(a, db_col_text(st, 3));
		c->pesel = arena_strdup(a, db_col_text(st, 4));
		c->town = arena_strdup(a, db_col_text(st, 5));
		c->why = why;
	}
	db_reset(st);
	return n < max && rc != DB_DONE ? -1 : n;
}

/* first_word() is the first word of a folded text ("anna maria" → "anna"), in a. */
static char *first_word(struct arena *a, const char *fold)
{
	const char *sp = strchr(fold, ' ');

	return sp != NULL ? arena_strndup(a, fold, (size_t)(sp - fold)) : arena_strdup(a, fold);
}

int person_candidates(struct db *db, struct arena *a, const struct person *p,
		      struct person_candidate *out, int max)
{
	struct db_stmt *st;
	int n = 0;

	if (max <= 0)
		return 0;
	if (p->pesel != NULL) {
		st = db_query(db, &SQL_PERSON_CAND_PESEL, "itii", p->institution_id, p->pesel, p->id,
			      (int64_t)max);
		if (st == NULL || (n = read_candidates(st, a, "pesel", out, 0, max)) < 0)
			return -1;
	}
	if (n < max && p->surname != NULL && p->first_names != NULL && p->birth_date != NULL) {
		const char *sur = str_fold(a, p->surname), *first = str_fold(a, p->first_names);
		char *w = first != NULL ? first_word(a, first) : NULL;
		const char *lo = w != NULL ? arena_printf(a, "%s ", w) : NULL;
		const char *hi = w != NULL ? arena_printf(a, "%s!", w) : NULL; /* ' ' + 1 */

		if (sur == NULL || lo == NULL || hi == NULL)
			return -1;
		st = db_query(db, &SQL_PERSON_CAND_NAME, "itttttiti", p->institution_id, sur, w, lo, hi,
			      p->birth_date, p->id, p->pesel, (int64_t)(max - n));
		if (st == NULL || (n = read_candidates(st, a, "name_birth", out, n, max)) < 0)
			return -1;
	}
	return n;
}

int person_record_candidates(struct policy_read *r, const struct person_candidate *c, int n)
{
	struct policy_subject s = { POLICY_PERSON, 0, r->actor.institution_id, 0 };
	struct audit_ids *ids;
	const char *detail;
	int i;

	r->kind = POLICY_PERSON;
	if (policy_decide(&r->actor, &s, r->purpose, &r->decision) != 0)
		return policy_record_denied(r, 0) == 0 ? POLICY_DENIED : -1;
	if (n == 0 || !r->decision.record)
		return 0;
	ids = arena_zalloc(r->arena, sizeof(*ids));
	if (ids == NULL)
		return -1;
	for (i = 0; i < n; i++)
		audit_ids_add(ids, arena_printf(r->arena, "%lld", (long long)c[i].id));
	detail = audit_ids_detail(r->arena, ids, n, "candidates");
	if (detail == NULL ||
	    audit_reads_add(r->log, policy_action(POLICY_PERSON, POLICY_READ_PAGE), "person", NULL,
			    detail) != 0)
		return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Search                                                              */
/* ------------------------------------------------------------------ */

#define SEARCH_WORDS 4
#define PAIR_FEW_FIRST 2000 /* first names few enough to drive a pair of words and be sorted */
#define SEARCH_BINDS 512 /* 4 words: 12 pair arms of about 30 each */

/* A statement being assembled from constant pieces, and its values. */
struct sql_build {
	struct buf sql;
	int n;
	struct {
		char type; /* 'i', 't' */
		int64_t i;
		const char *t;
	} v[SEARCH_BINDS];
};

static void sb_int(struct sql_build *b, int64_t v)
{
	if (b->n < SEARCH_BINDS) {
		b->v[b->n].type = 'i';
		b->v[b->n++].i = v;
	} else {
		b->sql.failed = 1;
	}
}

static void sb_text(struct sql_build *b, const char *t)
{
	if (b->n < SEARCH_BINDS && t != NULL) {
		b->v[b->n].type = 't';
		b->v[b->n++].t = t;
	} else {
		b->sql.failed = 1;
	}
}

/*
 * prefix_end() is the least string greater than every string that starts
 * with s: s with its last character's code point plus one ("kowal" →
 * "kowam"), so that "x >= s AND x < end" is a prefix match an index
 * serves on both backends (a LIKE 'x%' does not on PostgreSQL without
 * the C collation). Folded text has no U+10FFFF to overflow.
 */
static char *prefix_end(struct arena *a, const char *s)
{
	size_t n = strlen(s), start = n;
	uint32_t cp;
	char *out;

	if (n == 0)
		return NULL;
	while (start > 0 && ((unsigned char)s[start - 1] & 0xC0) == 0x80)
		start--;
	start = start > 0 ? start - 1 : 0;
	{
		const unsigned char *u = (const unsigned char *)s + start;
		size_t len = n - start;

		cp = len == 1 ? u[0]
		     : len == 2 ? (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F)
		     : len == 3 ? (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F)
				: (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3F) << 12 |
					  (uint32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
	}
	cp = cp + 1 == 0xD800 ? 0xE000 : cp + 1;
	out = arena_alloc(a, start + 5);
	if (out == NULL)
		return NULL;
	memcpy(out, s, start);
	if (cp < 0x80) {
		out[start++] = (char)cp;
	} else if (cp < 0x800) {
		out[start++] = (char)(0xC0 | cp >> 6);
		out[start++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		out[start++] = (char)(0xE0 | cp >> 12);
		out[start++] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[start++] = (char)(0x80 | (cp & 0x3F));
	} else {
		out[start++] = (char)(0xF0 | cp >> 18);
		out[start++] = (char)(0x80 | (cp >> 12 & 0x3F));
		out[start++] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[start++] = (char)(0x80 | (cp & 0x3F));
	}
	out[start] = '\0';
	return out;
}

/* A word of the query and its prefix range. */
struct word {
	const char *w, *end, *like; /* like: "% w%" for a later given name */
	int few_first;              /* starts fewer than PAIR_FEW_FIRST first names (mark_few_first()) */
};

/* range() appends "(col >= ? AND col < ?)". */
static void range(struct sql_build *b, const char *col, const struct word *w)
{
	buf_addf(&b->sql, "(%s >= ? AND %s < ?)", col, col);
	sb_text(b, w->w);
	sb_text(b, w->end);
}

/* driver() appends "(p.institution_id = ? AND col >= ? AND col < ?)": one index range. */
static void driver(struct sql_build *b, int64_t inst, const char *col, const struct word *w)
{
	buf_addf(&b->sql, "(p.institution_id = ? AND %s >= ? AND %s < ?)", col, col);
	sb_int(b, inst);
	sb_text(b, w->w);
	sb_text(b, w->end);
}

/* What the query asks, parsed. */
struct parsed {
	const char *pesel;      /* exact */
	const char *birth_date; /* exact */
	struct word words[SEARCH_WORDS];
	int nwords;
	struct word town;       /* prefix of the town or the street */
	int has_town;
	int nothing;            /* a free text that can match nothing (only LIKE characters) */
};

static int looks_like_pesel(const char *s)
{
	return strlen(s) == 11 && strspn(s, "0123456789") == 11;
}

/* as_date() reads "YYYY-MM-DD" or "DD.MM.YYYY" into out (11 bytes); 0 or -1. */
static int as_date(const char *s, char out[11])
{
	if (strlen(s) == 10 && s[2] == '.' && s[5] == '.')
		snprintf(out, 11, "%.4s-%.2s-%.2s", s + 6, s + 3, s);
	else
		snprintf(out, 11, "%.10s", s);
	return strlen(s) == 10 && clock_valid_date(out) ? 0 : -1;
}

static int make_word(struct arena *a, const char *w, struct word *out)
{
	out->w = w;
	out->end = prefix_end(a, w);
	out->like = arena_printf(a, "%% %s%%", w);
	return out->end != NULL && out->like != NULL && strpbrk(w, "%_\\") == NULL ? 0 : -1;
}

/* parse() reads the query; -1 when out of memory. Words with LIKE characters are dropped. */
static int parse(struct arena *a, const struct person_query *q, struct parsed *p)
{
	char date[11];
	char *text, *save = NULL, *tok;

	memset(p, 0, sizeof(*p));
	if (q->pesel != NULL && q->pesel[0] != '\0')
		p->pesel = q->pesel;
	if (q->birth_date != NULL && q->birth_date[0] != '\0')
		p->birth_date = q->birth_date;
	if (q->town != NULL && !str_empty(q->town)) {
		const char *t = str_fold(a, q->town);

		if (t == NULL)
			return -1;
		p->has_town = make_word(a, t, &p->town) == 0;
	}
	if (q->q == NULL || str_empty(q->q))
		return 0;
	text = arena_strdup(a, q->q);
	if (text == NULL)
		return -1;
	str_trim(text);
	if (looks_like_pesel(text)) {
		p->pesel = text;
		return 0;
	}
	if (as_date(text, date) == 0) {
		p->birth_date = arena_strdup(a, date);
		return p->birth_date != NULL ? 0 : -1;
	}
	text = str_fold(a, text);
	if (text == NULL) {
		p->nothing = 1; /* not text: nothing matches */
		return 0;
	}
	for (tok = strtok_r(text, " ", &save); tok != NULL && p->nwords < SEARCH_WORDS;
	     tok = strtok_r(NULL, " ", &save))
		if (make_word(a, tok, &p->words[p->nwords]) == 0)
			p->nwords++;
	p->nothing = p->nwords == 0;
	return 0;
}

/*
 * The search runs as segments, one per rank, in rank order: each is one
 * index range (or a few, OR-ed) whose rows come out in the order of the
 * index, so a page is read by stopping early instead of ranking every
 * match. A segment leaves out the rows of the segments before it. Counts
 * stop at PERSON_SEARCH_COUNT_MAX: "kowal" over a million persons
 * matches tens of thousands, and nobody pages through them.
 */
enum seg_kind { SEG_PESEL, SEG_SURNAME_EXACT, SEG_SURNAME_PREFIX, SEG_FIRST, SEG_BIRTH, SEG_TOWN,
	SEG_STREET, SEG_ALL, SEG_PAIR_EXACT, SEG_PAIR_PREFIX, SEG_LATER_NAME };

static const struct {
	int rank;
	const char *matched;
	const char *order; /* the order of the segment's index */
} segs[] = {
	[SEG_PESEL] = { 0, "pesel", "p.id" },
	[SEG_SURNAME_EXACT] = { 0, "surname", "p.surname_fold, p.first_fold, p.id" },
	[SEG_SURNAME_PREFIX] = { 1, "surname", "p.surname_fold, p.first_fold, p.id" },
	[SEG_FIRST] = { 2, "first_names", "p.first_fold, p.id" },
	/*
	 * by name within one birth date; the expressions keep SQLite from
	 * walking the surname index of the whole institution for this order
	 * (without statistics it prefers an index that gives the order over
	 * the one that finds the few persons born that day)
	 */
	[SEG_BIRTH] = { 3, "birth_date", "(p.surname_fold || ''), (p.first_fold || ''), p.id" },
	[SEG_TOWN] = { 4, "town", "p.town_fold, p.id" },
	[SEG_STREET] = { 5, "street", "p.street_fold, p.id" },
	[SEG_ALL] = { 9, NULL, "p.surname_fold, p.first_fold, p.id" },
	/* several words: one the whole surname and another the start of the first given name, */
	/* (one arm per pair of words, each in its index's order, merged: pair_arms()) */
	[SEG_PAIR_EXACT] = { 0, "surname", "sk, fk, id" },
	/* one the start of the surname and another of the first given name, */
	[SEG_PAIR_PREFIX] = { 1, "surname", "sk, fk, id" },
	/* and only when neither found anyone: a later given name ("maria" of "Anna Maria") */
	[SEG_LATER_NAME] = { 2, "first_names", "p.surname_fold, p.first_fold, p.id" },
};

/* pair() appends (word i the surname, word j the start of the first name). */
static void pair(struct sql_build *b, const struct parsed *p, int64_t inst, int exact, int i, int j)
{
	buf_adds(&b->sql, "(p.institution_id = ? AND ");
	sb_int(b, inst);
	if (exact) {
		buf_adds(&b->sql, "p.surname_fold = ?");
		sb_text(b, p->words[i].w);
	} else if (p->words[j].few_first) {
		/*
		 * Few first names start with word j ("ma now": nobody is
		 * called "now…"): they drive, and the surname range is
		 * kept off its index, else a prefix of thousands of
		 * surnames is walked to find none.
		 */
		buf_adds(&b->sql, "(p.surname_fold || '') > ? AND (p.surname_fold || '') < ? AND "
				  "p.first_fold >= ? AND p.first_fold < ?)");
		sb_text(b, p->words[i].w);
		sb_text(b, p->words[i].end);
		sb_text(b, p->words[j].w);
		sb_text(b, p->words[j].end);
		return;
	} else { /* strictly after the word: the whole surname was the segment before */
		buf_adds(&b->sql, "p.surname_fold > ? AND p.surname_fold < ?");
		sb_text(b, p->words[i].w);
		sb_text(b, p->words[i].end);
	}
	/*
	 * With two ranges the planner may drive by the first
	 * names ("anna": every twentieth woman); "|| ''" keeps
	 * that range off the index on both backends, so the
	 * surname drives.
	 */
	buf_adds(&b->sql, exact ? " AND p.first_fold >= ? AND p.first_fold < ?)"
				: " AND (p.first_fold || '') >= ? AND (p.first_fold || '') < ?)");
	sb_text(b, p->words[j].w);
	sb_text(b, p->words[j].end);
}

/*
 * mark_few_first() marks the words that start fewer than PAIR_FEW_FIRST
 * first names of the institution (deleted records counted too: it is an
 * estimate, read from the index alone), for pair(). 0 or -1.
 */
static int mark_few_first(struct db *db, int64_t inst, struct parsed *p)
{
	static const struct db_sql sql = DB_SQL(
		"SELECT COUNT(*) FROM (SELECT 1 FROM person WHERE institution_id = ? AND first_fold >= ? "
		"AND first_fold < ? LIMIT ?) c");
	int i;

	for (i = 0; p->nwords > 1 && i < p->nwords; i++) {
		int64_t n;

		if (db_get_int(db, &n, &sql, "itti", inst, p->words[i].w, p->words[i].end,
			       (int64_t)PAIR_FEW_FIRST) != DB_ROW)
			return -1;
		p->words[i].few_first = n < PAIR_FEW_FIRST;
	}
	return 0;
}

/* pairs() appends the OR of pair(i, j) over i ≠ j (for counting: no order needed). */
static void pairs(struct sql_build *b, const struct parsed *p, int64_t inst, int exact)
{
	int i, j, any = 0;

	buf_adds(&b->sql, "(");
	for (i = 0; i < p->nwords; i++)
		for (j = 0; j < p->nwords; j++) {
			if (i == j)
				continue;
			buf_adds(&b->sql, any++ ? " OR " : "");
			pair(b, p, inst, exact, i, j);
		}
	buf_adds(&b->sql, ")");
}

/* not_range() appends " AND NOT (col >= ? AND col < ?)" (NULL columns are outside). */
static void not_range(struct sql_build *b, const char *col, const struct word *w)
{
	buf_addf(&b->sql, " AND NOT (COALESCE(%s, '') >= ? AND COALESCE(%s, '') < ?)", col, col);
	sb_text(b, w->w);
	sb_text(b, w->end);
}

/* words_driver() appends the surname ranges (or exact surnames) of every word, OR-ed. */
static void words_driver(struct sql_build *b, const struct parsed *p, int64_t inst, int exact)
{
	int i;

	buf_adds(&b->sql, "(");
	for (i = 0; i < p->nwords; i++) {
		buf_adds(&b->sql, i > 0 ? " OR " : "");
		if (exact) {
			buf_adds(&b->sql, "(p.institution_id = ? AND p.surname_fold = ?)");
			sb_int(b, inst);
			sb_text(b, p->words[i].w);
		} else {
			driver(b, inst, "p.surname_fold", &p->words[i]);
		}
	}
	buf_adds(&b->sql, ")");
}

/* segment() appends the driving condition of segment k, and what it leaves to the ones before. */
static void segment(struct sql_build *b, enum seg_kind k, const struct parsed *p, int64_t inst)
{
	const struct word *w = p->nwords > 0 ? &p->words[0] : &p->town;
	int i;

	switch (k) {
	case SEG_PESEL:
		buf_adds(&b->sql, "p.institution_id = ? AND p.pesel = ?");
		sb_int(b, inst);
		sb_text(b, p->pesel);
		break;
	case SEG_SURNAME_EXACT:
		words_driver(b, p, inst, 1);
		break;
	case SEG_SURNAME_PREFIX:
		words_driver(b, p, inst, 0);
		for (i = 0; i < p->nwords; i++) {
			buf_adds(&b->sql, " AND p.surname_fold <> ?");
			sb_text(b, p->words[i].w);
		}
		break;
	case SEG_FIRST:
		driver(b, inst, "p.first_fold", w);
		not_range(b, "p.surname_fold", w);
		break;
	case SEG_BIRTH:
		buf_adds(&b->sql, "p.institution_id = ? AND p.birth_date = ?");
		sb_int(b, inst);
		sb_text(b, p->birth_date);
		break;
	case SEG_TOWN:
	case SEG_STREET:
		driver(b, inst, k == SEG_TOWN ? "p.town_fold" : "p.street_fold", w);
		if (p->nwords > 0) { /* the word was also a name */
			not_range(b, "p.surname_fold", w);
			not_range(b, "p.first_fold", w);
		}
		if (k == SEG_STREET)
			not_range(b, "p.town_fold", w);
		break;
	case SEG_ALL:
		buf_adds(&b->sql, "p.institution_id = ?");
		sb_int(b, inst);
		break;
	case SEG_PAIR_EXACT:
	case SEG_PAIR_PREFIX:
		pairs(b, p, inst, k == SEG_PAIR_EXACT);
		break;
	case SEG_LATER_NAME:
		words_driver(b, p, inst, 0);
		break;
	}
}

/* filters() appends what every segment must also meet: the other fields, the worker, the policy's scope. */
static void filters(struct sql_build *b, const struct parsed *p, enum seg_kind k, int64_t worker,
		    const struct list_scope *scope)
{
	int i;

	/* several words: each starts the surname or one of the given names */
	for (i = 0; p->nwords > 1 && i < p->nwords; i++) {
		buf_adds(&b->sql, " AND (");
		range(b, "p.surname_fold", &p->words[i]);
		buf_adds(&b->sql, " OR ");
		range(b, "p.first_fold", &p->words[i]);
		buf_adds(&b->sql, " OR (' ' || p.first_fold) LIKE ?)");
		sb_text(b, p->words[i].like);
	}
	if (p->birth_date != NULL && k != SEG_BIRTH) {
		buf_adds(&b->sql, " AND p.birth_date = ?");
		sb_text(b, p->birth_date);
	}
	if (p->has_town && p->nwords + (p->pesel != NULL) + (p->birth_date != NULL) > 0) {
		buf_adds(&b->sql, " AND (");
		range(b, "p.town_fold", &p->town);
		buf_adds(&b->sql, " OR ");
		range(b, "p.street_fold", &p->town);
		buf_adds(&b->sql, ")");
	}
	if (worker > 0) {
		buf_adds(&b->sql, " AND p.lead_worker_id = ?");
		sb_int(b, worker);
	}
	if (scope->sql != NULL) { /* the policy's rows, whatever the search says */
		buf_adds(&b->sql, " AND (");
		buf_adds(&b->sql, scope->sql);
		buf_adds(&b->sql, ")");
		for (i = 0; i < scope->nargs; i++) {
			const struct list_scope_arg *v = list_scope_arg(scope, i);

			if (v->type == 'i')
				sb_int(b, v->i);
			else
				sb_text(b, v->t);
		}
	}
}

/* plan() lists the segments the parsed query runs, in rank order; returns how many. */
static int plan(const struct parsed *p, enum seg_kind out[8])
{
	int n = 0;

	if (p->nothing)
		return 0;
	if (p->pesel != NULL) {
		out[n++] = SEG_PESEL;
	} else if (p->nwords > 1) { /* several words: one of them starts the surname */
		out[n++] = SEG_PAIR_EXACT;
		out[n++] = SEG_PAIR_PREFIX;
		out[n++] = SEG_LATER_NAME;
	} else if (p->nwords == 1) {
		out[n++] = SEG_SURNAME_EXACT;
		out[n++] = SEG_SURNAME_PREFIX;
		out[n++] = SEG_FIRST;
		if (!p->has_town) {
			out[n++] = SEG_TOWN;
			out[n++] = SEG_STREET;
		}
	} else if (p->birth_date != NULL) {
		out[n++] = SEG_BIRTH;
	} else if (p->has_town) {
		out[n++] = SEG_TOWN;
		out[n++] = SEG_STREET;
	} else {
		out[n++] = SEG_ALL;
	}
	return n;
}

static struct db_stmt *prepare_built(struct db *db, const struct sql_build *b)
{
	struct db_stmt *st;
	int i;

	if (b->sql.failed)
		return NULL;
	st = db_prepare_dynamic(db, buf_str(&b->sql));
	if (st == NULL) {
		log_error("person search: %s (SQL: %.300s)", db_errmsg(db), buf_str(&b->sql));
		return NULL;
	}
	for (i = 0; i < b->n; i++)
		if ((b->v[i].type == 'i' ? db_bind_int(st, i + 1, b->v[i].i)
					 : db_bind_text(st, i + 1, b->v[i].t)) != 0) {
			db_reset(st);
			return NULL;
		}
	return st;
}

/* One search in progress. */
struct search {
	struct db *db;
	struct arena *a;
	const struct parsed *p;
	int64_t inst, worker;
	const struct list_scope *scope;
	int contact;            /* town and street may be shown */
	struct sql_build *b;
};

/* seg_count() counts the rows of segment k, at most max. -1 on error. */
static int64_t seg_count(struct search *x, enum seg_kind k, int64_t max)
{
	struct sql_build *b = x->b;
	struct db_stmt *st;
	int64_t n = -1;

	buf_reset(&b->sql);
	b->n = 0;
	buf_adds(&b->sql, "SELECT COUNT(*) FROM (SELECT 1 FROM person p WHERE p.deleted_at IS NULL AND ");
	segment(b, k, x->p, x->inst);
	filters(b, x->p, k, x->worker, x->scope);
	buf_adds(&b->sql, " LIMIT ?) c");
	sb_int(b, max);
	st = prepare_built(x->db, b);
	if (st != NULL && db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	db_reset(st);
	return n;
}

#define HIT_COLUMNS "p.id, p.first_names, p.surname, p.pesel, p.birth_date, p.town, p.street"

/*
 * pair_arms() builds the rows of a pair segment (several words) as the
 * UNION of one arm per pair of words, each read in the order of the
 * surname index and stopped after offset + limit rows, then merged: an OR
 * of the pairs would give the rows in no order, and sorting every match
 * of two common prefixes ("now ma": thousands) is what took the time.
 * The UNION also drops a row that two pairs both match.
 */
static void pair_arms(struct sql_build *b, const struct search *x, enum seg_kind k, int64_t offset, int limit)
{
	int i, j, arm = 0;

	for (i = 0; i < x->p->nwords; i++)
		for (j = 0; j < x->p->nwords; j++) {
			if (i == j)
				continue;
			buf_addf(&b->sql, "%sSELECT * FROM (SELECT " HIT_COLUMNS ", p.surname_fold AS sk, "
					  "p.first_fold AS fk FROM person p WHERE p.deleted_at IS NULL AND ",
				 arm > 0 ? " UNION " : "");
			pair(b, x->p, x->inst, k == SEG_PAIR_EXACT, i, j);
			filters(b, x->p, k, x->worker, x->scope);
			buf_addf(&b->sql, " ORDER BY p.surname_fold, p.first_fold, p.id LIMIT ?) a%d", arm++);
			sb_int(b, offset + limit);
		}
	buf_adds(&b->sql, " ORDER BY sk, fk, id LIMIT ? OFFSET ?");
	sb_int(b, limit);
	sb_int(b, offset);
}

/* seg_sql() builds the statement for up to limit rows of segment k from offset, in rank order. */
static void seg_sql(struct sql_build *b, const struct search *x, enum seg_kind k, int64_t offset, int limit)
{
	buf_reset(&b->sql);
	b->n = 0;
	if (k == SEG_PAIR_EXACT || k == SEG_PAIR_PREFIX) {
		pair_arms(b, x, k, offset, limit);
		return;
	}
	buf_adds(&b->sql, "SELECT " HIT_COLUMNS " FROM person p WHERE p.deleted_at IS NULL AND ");
	segment(b, k, x->p, x->inst);
	filters(b, x->p, k, x->worker, x->scope);
	buf_addf(&b->sql, " ORDER BY %s LIMIT ? OFFSET ?", segs[k].order);
	sb_int(b, limit);
	sb_int(b, offset);
}

/* seg_fetch() appends up to limit rows of segment k from offset to out. 0 or -1. */
static int seg_fetch(struct search *x, enum seg_kind k, int64_t offset, int limit, struct person_hits *out)
{
	struct sql_build *b = x->b;
	struct db_stmt *st;
	int rc = DB_DONE, stop = out->n + limit;

	seg_sql(b, x, k, offset, limit);
	st = prepare_built(x->db, b);
	if (st == NULL)
		return -1;
	while (out->n < stop && (rc = db_step(st)) == DB_ROW) {
		struct person_hit *h = &out->hits[out->n++];

		h->id = db_col_int(st, 0);
		h->first_names = arena_strdup(x->a, db_col_text(st, 1));
		h->surname = arena_strdup(x->a, db_col_text(st, 2));
		h->pesel = arena_strdup(x->a, db_col_text(st, 3));
		h->birth_date = arena_strdup(x->a, db_col_text(st, 4));
		h->town = x->contact ? arena_strdup(x->a, db_col_text(st, 5)) : NULL;
		h->street = x->contact ? arena_strdup(x->a, db_col_text(st, 6)) : NULL;
		h->rank = segs[k].rank;
		h->matched = segs[k].matched != NULL ? segs[k].matched
			     : x->p->birth_date != NULL ? "birth_date" : NULL;
	}
	db_reset(st);
	return out->n == stop || rc == DB_DONE ? 0 : -1;
}

/* run() counts (up to the cap) and reads the page asked for, segment after segment. */
static int run(struct search *x, const struct person_query *q, int limit, struct person_hits *out)
{
	enum seg_kind plan_[8];
	int64_t offset = q->offset > 0 ? q->offset : 0, n;
	int i, nseg = plan(x->p, plan_);

	out->hits = arena_zalloc(x->a, sizeof(*out->hits) * (size_t)limit);
	if (out->hits == NULL)
		return -1;
	for (i = 0; i < nseg && out->total < PERSON_SEARCH_COUNT_MAX; i++) {
		if (plan_[i] == SEG_LATER_NAME && out->total > 0)
			break; /* a fallback: scanning every surname's given names costs */
		n = seg_count(x, plan_[i], PERSON_SEARCH_COUNT_MAX - out->total);
		if (n < 0)
			return -1;
		out->total += n;
		if (offset >= n) {
			offset -= n;
			continue;
		}
		if (out->n < limit && seg_fetch(x, plan_[i], offset, limit - out->n, out) != 0)
			return -1;
		offset = 0;
	}
	out->capped = out->total >= PERSON_SEARCH_COUNT_MAX;
	return 0;
}

/*
 * partner_hits() appends the partners' persons with this PESEL that the
 * sharing rule opens to the reader's institution (an agreement in force
 * and a consent for the purpose, policy.h POLICY_COOP_PERSON_EXISTS):
 * without them nothing of a partner's records is found — being a
 * client of social assistance is itself protected (art. 100 u.p.s.).
 * By PESEL only: a name search stays within the reader's institution.
 */
static int partner_hits(struct policy_read *r, const char *pesel, int limit, struct person_hits *out)
{
	static const struct db_sql sql = DB_SQL(
		"SELECT p.id, p.first_names, p.surname, p.pesel, p.birth_date, p.town, p.street, p.institution_id "
		"FROM person p "
		"WHERE p.pesel = ? AND p.institution_id <> ? AND p.deleted_at IS NULL AND " POLICY_COOP_PERSON_EXISTS
		" ORDER BY p.id LIMIT ?");
	const char *purpose = r->coop_purpose != NULL ? r->coop_purpose : "labour_market_activation";
	struct db_stmt *st;
	int64_t owner[100];
	int rc = DB_DONE, first = out->n, i;

	if (out->n >= limit || r->actor.cli)
		return 0;
	st = db_query(r->db, &sql, "tiitii", pesel, r->actor.institution_id, r->actor.institution_id, purpose,
		      r->actor.institution_id, (int64_t)(limit - out->n));
	if (st == NULL)
		return -1;
	while (out->n < limit && (rc = db_step(st)) == DB_ROW) {
		struct person_hit *h = &out->hits[out->n++];

		h->id = db_col_int(st, 0);
		h->first_names = arena_strdup(r->arena, db_col_text(st, 1));
		h->surname = arena_strdup(r->arena, db_col_text(st, 2));
		h->pesel = arena_strdup(r->arena, db_col_text(st, 3));
		h->birth_date = arena_strdup(r->arena, db_col_text(st, 4));
		h->town = arena_strdup(r->arena, db_col_text(st, 5));
		h->street = arena_strdup(r->arena, db_col_text(st, 6));
		h->matched = "pesel";
		owner[(out->n - 1 - first) % 100] = db_col_int(st, 7);
		out->total++;
	}
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return -1;
	/* the address only where the agreement lets contact details flow (docs/COOPERATION.md) */
	for (i = first; i < out->n && i - first < 100; i++) {
		unsigned data = 0;

		if (agreement_data_in_force(r->db, owner[i - first], r->actor.institution_id, NULL, &data) != 0)
			return -1;
		if (!(data & DATA_BIT(DATA_CONTACT)))
			out->hits[i].town = out->hits[i].street = NULL;
	}
	return 0;
}

int person_search(struct policy_read *r, const struct person_query *q, struct person_hits *out)
{
	struct policy_subject s = { POLICY_PERSON, 0, r->actor.institution_id, 0 };
	struct audit_ids *ids;
	struct search x;
	struct parsed p;
	const char *detail;
	int limit = q->limit > 0 && q->limit <= 100 ? q->limit : 20, i, rc;

	memset(out, 0, sizeof(*out));
	r->kind = POLICY_PERSON;
	if (policy_decide(&r->actor, &s, r->purpose, &r->decision) == 0 &&
	    !(r->decision.mask & SENS_BIT(SENS_IDENTITY))) {
		/* a search by name would tell the names to a reader who may not see them */
		memset(&r->decision, 0, sizeof(r->decision));
		r->decision.code = "purpose";
		r->decision.reason = _("Persons are searched by name or PESEL only for casework.");
		r->decision.scope.sql = "0 = 1";
	}
	if (!r->decision.allowed)
		return policy_record_denied(r, 0) == 0 ? POLICY_DENIED : -1;
	if (parse(r->arena, q, &p) != 0 || mark_few_first(r->db, r->actor.institution_id, &p) != 0)
		return -1;
	memset(&x, 0, sizeof(x));
	x.db = r->db;
	x.a = r->arena;
	x.p = &p;
	x.inst = r->actor.institution_id;
	x.worker = q->lead_worker_id;
	x.scope = &r->decision.scope;
	x.contact = (r->decision.mask & SENS_BIT(SENS_CONTACT)) != 0;
	x.b = calloc(1, sizeof(*x.b));
	if (x.b == NULL)
		return -1;
	buf_init(&x.b->sql, 16384);
	rc = run(&x, q, limit, out);
	buf_release(&x.b->sql);
	free(x.b);
	if (rc == 0 && p.pesel != NULL && q->lead_worker_id == 0 && q->offset == 0)
		rc = partner_hits(r, p.pesel, limit, out);
	if (rc != 0)
		return -1;
	if (!r->decision.record)
		return POLICY_OK;
	ids = arena_zalloc(r->arena, sizeof(*ids));
	if (ids == NULL)
		return -1;
	for (i = 0; i < out->n; i++)
		audit_ids_add(ids, arena_printf(r->arena, "%lld", (long long)out->hits[i].id));
	detail = audit_ids_detail(r->arena, ids, out->total, r->query != NULL ? r->query : q->q);
	if (detail == NULL || audit_reads_add(r->log, policy_action(POLICY_PERSON, POLICY_READ_PAGE),
					       "person", NULL, detail) != 0)
		return -1;
	return POLICY_OK;
}

/* ------------------------------------------------------------------ */
/* List                                                                */
/* ------------------------------------------------------------------ */

/*
 * The reason and status filters read the situation module's tables
 * (migration 0012: family_reason, labour_status): a reason of the
 * person's current household in a period that includes today, a labour
 * status period that includes today.
 *
 * Each sensitivity class of reasons has its own filter column, so a
 * reader whose mask lacks a special category (a labour adviser) cannot
 * filter by such a reason: the filter itself would tell who has it
 * (db/list.c refuses filters on masked columns). "reason" only matches
 * the reasons that are not special categories.
 */
#define REASON_FILTER(sens)                                                                        \
	"EXISTS (SELECT 1 FROM family_member m JOIN family_reason fr ON fr.family_id = m.family_id " \
	"JOIN assistance_reason ar ON ar.code = fr.reason_code WHERE m.person_id = p.id AND "          \
	"m.member_to IS NULL AND " REASON_NOW(sens) ")"

static const struct list_col person_cols[PERSON_COL__MAX] = {
	[PERSON_COL_SURNAME] = { "surname", N_("Surname"), "p.surname", LIST_TEXT, LIST_SORT, NULL,
				 "p.surname_fold", .sens = SENS_IDENTITY },
	[PERSON_COL_FIRST_NAMES] = { "first_names", N_("First names"), "p.first_names", LIST_TEXT,
				     LIST_SORT, NULL, "p.first_fold", .sens = SENS_IDENTITY },
	[PERSON_COL_PESEL] = { "pesel", N_("PESEL"), "p.pesel", LIST_TEXT, LIST_NOWRAP,
			       .sens = SENS_IDENTITY },
	[PERSON_COL_BIRTH_DATE] = { "birth_date", N_("Birth date"), "p.birth_date", LIST_DATE,
				    LIST_SORT | LIST_RANGE | LIST_NOWRAP, .sens = SENS_IDENTITY },
	[PERSON_COL_TOWN] = { "town", N_("Locality"), "p.town", LIST_TEXT, LIST_SORT, NULL,
			      "p.town_fold", .sens = SENS_CONTACT },
	[PERSON_COL_TERC] = { "terc", N_("Gmina (TERC)"), "p.terc", LIST_TEXT,
			      LIST_FILTER | LIST_PREFIX | LIST_NOWRAP | LIST_SUB },
	[PERSON_COL_LEAD_WORKER] = { "lead_worker", N_("Lead worker"), "w.full_name", LIST_TEXT,
				     LIST_SORT, NULL, "w.name_fold" },
	[PERSON_COL_LEAD_WORKER_ID] = { "lead_worker_id", N_("Lead worker number"), "p.lead_worker_id",
					LIST_INT, LIST_FILTER | LIST_NOSHOW },
	[PERSON_COL_REASON] = { "reason", N_("Reason for assistance"), "NULL", LIST_CODE,
				LIST_FILTER | LIST_NOSHOW, NULL, NULL, NULL, NULL,
				REASON_FILTER("social"), .sens = SENS_SOCIAL },
	[PERSON_COL_REASON_HEALTH] = { "reason_health", N_("Reason for assistance (health)"), "NULL",
				       LIST_CODE, LIST_FILTER | LIST_NOSHOW, NULL, NULL, NULL, NULL,
				       REASON_FILTER("health"), .sens = SENS_HEALTH },
	[PERSON_COL_REASON_ADDICTION] = { "reason_addiction", N_("Reason for assistance (addiction)"),
					  "NULL", LIST_CODE, LIST_FILTER | LIST_NOSHOW, NULL, NULL, NULL,
					  NULL, REASON_FILTER("addiction"), .sens = SENS_ADDICTION },
	[PERSON_COL_REASON_VIOLENCE] = { "reason_violence", N_("Reason for assistance (violence)"),
					 "NULL", LIST_CODE, LIST_FILTER | LIST_NOSHOW, NULL, NULL, NULL,
					 NULL, REASON_FILTER("violence"), .sens = SENS_VIOLENCE },
	[PERSON_COL_STATUS] = { "status", N_("Labour-market status"), "NULL", LIST_CODE,
				LIST_FILTER | LIST_NOSHOW, NULL, NULL, NULL, NULL,
				"EXISTS (SELECT 1 FROM labour_status ls WHERE ls.person_id = p.id AND "
				"ls.status = ? AND ls.from_date <= CAST(CURRENT_DATE AS TEXT) AND "
				"(ls.to_date IS NULL OR ls.to_date >= CAST(CURRENT_DATE AS TEXT)))",
				.sens = SENS_SOCIAL },
	[PERSON_COL_UPDATED_AT] = { "updated_at", N_("Changed"), "p.updated_at", LIST_TIMESTAMP,
				    LIST_SORT | LIST_RANGE },
};

const struct list_def person_list = {
	.name = "persons",
	.entity = "person",
	.from = "person p LEFT JOIN app_user w ON w.id = p.lead_worker_id",
	.where = "p.deleted_at IS NULL",
	.id_expr = "p.id",
	.cols = person_cols,
	.ncols = PERSON_COL__MAX,
	.default_sort = PERSON_COL_SURNAME,
};
