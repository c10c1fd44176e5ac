/*
 * history.c — the record_history table: one row per change of one field
 * (or of a whole record), written in the transaction of the change, read
 * back for the person and family pages under the policy of the record.
 */
#include "registry/history.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/str.h"

/* Statements */
static const struct db_sql SQL_HISTORY_INSERT =
	DB_SQL("INSERT INTO record_history (institution_id, entity, entity_id, person_id, family_id, "
	       "change, field, old_value, new_value, user_id, actor, at) "
	       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
/*
 * A record created by an import has no "create" row of its own: the
 * import's row says who created it and when (0025_import_creates.sql).
 * Those creations are read with the history rows, as rows of id 0 —
 * older than every change, which all came after the import — in the order
 * the import made them: the person, the household, the membership.
 */
#define HISTORY_COLS "SELECT id, at, actor, entity, change, field, old_value, new_value, entity_id, 3 AS k "
/* a membership's relation as created: the old value of its first change, if any */
#define FIRST_RELATION                                                                                  \
	"COALESCE((SELECT h.old_value FROM record_history h WHERE h.entity = 'member' AND h.entity_id = m.id " \
	"AND h.field = 'relation' ORDER BY h.id LIMIT 1), m.relation)"
#define IMPORT_COLS(entity, field, value, id, k) \
	"SELECT 0, i.at, i.actor, '" entity "', 'create', " field ", NULL, " value ", " id ", " k " "
static const struct db_sql SQL_HISTORY_OF_PERSON =
	DB_SQL(HISTORY_COLS "FROM record_history WHERE person_id = ? UNION ALL "
	       IMPORT_COLS("person", "NULL", "NULL", "p.id", "0")
	       "FROM person p JOIN person_import i ON i.id = p.import_id WHERE p.id = ? UNION ALL "
	       IMPORT_COLS("family", "NULL", "NULL", "f.id", "1")
	       "FROM family f JOIN person_import i ON i.id = f.import_id WHERE f.applicant_id = ? UNION ALL "
	       IMPORT_COLS("member", "'relation'", FIRST_RELATION, "m.id", "2")
	       "FROM family_member m JOIN person_import i ON i.id = m.import_id WHERE m.person_id = ? "
	       "ORDER BY 1 DESC, 10 DESC LIMIT ?");
static const struct db_sql SQL_HISTORY_OF_FAMILY =
	DB_SQL(HISTORY_COLS "FROM record_history WHERE family_id = ? UNION ALL "
	       IMPORT_COLS("family", "NULL", "NULL", "f.id", "1")
	       "FROM family f JOIN person_import i ON i.id = f.import_id WHERE f.id = ? UNION ALL "
	       IMPORT_COLS("member", "'relation'", FIRST_RELATION, "m.id", "2")
	       "FROM family_member m JOIN person_import i ON i.id = m.import_id WHERE m.family_id = ? "
	       "ORDER BY 1 DESC, 10 DESC LIMIT ?");
static const struct db_sql SQL_HISTORY_PERSON_OWNER =
	DB_SQL("SELECT institution_id FROM person WHERE id = ? AND deleted_at IS NULL");
static const struct db_sql SQL_HISTORY_FAMILY_OWNER =
	DB_SQL("SELECT institution_id FROM family WHERE id = ? AND deleted_at IS NULL");

static const struct db_sql SQL_HISTORY_REASON_SENS =
	DB_SQL("SELECT sens FROM assistance_reason WHERE code = ?");
/* the situation module's table (0012) */
static const struct db_sql SQL_HISTORY_REASON_NOW =
	DB_SQL("SELECT a.sens FROM family_reason r JOIN assistance_reason a ON a.code = r.reason_code "
	       "WHERE r.id = ?");

static const char *const change_codes[] = { "create", "update", "delete", "move", "anonymise" };

int history_add(struct db *db, const struct registry_writer *w, const struct history_entry *e)
{
	char now[CLOCK_ISO_LEN];
	struct db_stmt *st;
	int rc;

	if (e->change < HISTORY_CREATE || e->change > HISTORY_ANONYMISE)
		return -1;
	clock_iso(clock_now(), now);
	st = db_prepare(db, &SQL_HISTORY_INSERT);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, e->institution_id);
	db_bind_text(st, 2, e->entity);
	db_bind_int(st, 3, e->entity_id);
	if (e->person_id > 0)
		db_bind_int(st, 4, e->person_id);
	else
		db_bind_null(st, 4);
	if (e->family_id > 0)
		db_bind_int(st, 5, e->family_id);
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, change_codes[e->change]);
	db_bind_text(st, 7, e->field);
	db_bind_text(st, 8, e->old_value);
	db_bind_text(st, 9, e->new_value);
	if (w->audit.user_id > 0)
		db_bind_int(st, 10, w->audit.user_id);
	else
		db_bind_null(st, 10);
	db_bind_text(st, 11, w->audit.login != NULL ? w->audit.login : "?");
	db_bind_text(st, 12, now);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

/* blank() is NULL for NULL and "", else s: history does not tell "" from "no value". */
static const char *blank(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : NULL;
}

int history_field(struct db *db, const struct registry_writer *w, const struct history_entry *base,
		  const char *field, const char *old_value, const char *new_value)
{
	struct history_entry e = *base;

	old_value = blank(old_value);
	new_value = blank(new_value);
	if (str_eq(old_value, new_value))
		return 0;
	e.change = HISTORY_UPDATE;
	e.field = field;
	e.old_value = old_value;
	e.new_value = new_value;
	return history_add(db, w, &e) == 0 ? 1 : -1;
}

/*
 * Fields of history rows and the column class their values belong to, so
 * that a reader who may not see a class sees that the field changed but
 * not its values. A field not named here is shown (codes, dates of
 * membership, relations).
 */
static const struct {
	const char *field;
	enum list_sens sens;
} field_sens[] = {
	{ "pesel", SENS_IDENTITY },	    { "doc_kind", SENS_IDENTITY },
	{ "doc_number", SENS_IDENTITY },    { "first_names", SENS_IDENTITY },
	{ "surname", SENS_IDENTITY },	    { "birth_surname", SENS_IDENTITY },
	{ "sex", SENS_IDENTITY },	    { "birth_date", SENS_IDENTITY },
	{ "citizenship", SENS_IDENTITY },   { "street", SENS_CONTACT },
	{ "house_no", SENS_CONTACT },	    { "flat_no", SENS_CONTACT },
	{ "postcode", SENS_CONTACT },	    { "town", SENS_CONTACT },
	{ "corr_address", SENS_CONTACT },   { "phone", SENS_CONTACT },
	{ "email", SENS_CONTACT },	    { "education", SENS_SOCIAL },
	{ "disability", SENS_HEALTH },	    { "disability_from", SENS_HEALTH },
	{ "disability_to", SENS_HEALTH },   { "reason", SENS_SOCIAL },
	{ "status", SENS_SOCIAL },	    { "benefit", SENS_SOCIAL },
	{ "interview", SENS_SOCIAL },
};

enum list_sens history_field_sens(const char *entity, const char *field)
{
	size_t i;

	/* a whole entity of the situation: its values are of its class */
	if (entity != NULL && strcmp(entity, "person") != 0 && strcmp(entity, "family") != 0 &&
	    strcmp(entity, "member") != 0)
		for (i = 0; i < sizeof(field_sens) / sizeof(field_sens[0]); i++)
			if (strcmp(field_sens[i].field, entity) == 0)
				return field_sens[i].sens;
	for (i = 0; field != NULL && i < sizeof(field_sens) / sizeof(field_sens[0]); i++)
		if (strcmp(field_sens[i].field, field) == 0)
			return field_sens[i].sens;
	return SENS_NONE;
}

/* sens_allowed() is 1 when mask lets a reader see a reason of class sens ("social", "health", ...). */
static int sens_allowed(unsigned mask, const char *sens)
{
	enum list_sens c = str_eq(sens, "health")	? SENS_HEALTH
			   : str_eq(sens, "addiction") ? SENS_ADDICTION
			   : str_eq(sens, "violence")  ? SENS_VIOLENCE
						       : SENS_SOCIAL;

	return (mask & SENS_BIT(c)) != 0;
}

/* code_hidden() is 1 when value starts with a reason code ("ALKOHOLIZM 2026-01-01–") mask forbids. */
static int code_hidden(struct db *db, const char *value, unsigned mask)
{
	char code[64];
	struct db_stmt *st;
	size_t n = 0;
	int hidden = 0;

	while (value != NULL && n < sizeof(code) - 1 &&
	       ((value[n] >= 'A' && value[n] <= 'Z') || value[n] == '_'))
		n++;
	if (n == 0)
		return 0;
	memcpy(code, value, n);
	code[n] = '\0';
	st = db_query(db, &SQL_HISTORY_REASON_SENS, "t", code);
	if (st == NULL)
		return 1; /* when in doubt, leave it out */
	if (db_step(st) == DB_ROW)
		hidden = !sens_allowed(mask, db_col_text(st, 0));
	db_reset(st);
	return hidden;
}

/*
 * row_hidden() is 1 when a row must be left out, not only blanked: its
 * very existence would tell what the reader may not see — a reason for
 * assistance of a special category (in either value, or the reason row's
 * present code), an interview for a reader without every special
 * category.
 */
int history_row_hidden(struct db *db, const char *entity, int64_t entity_id, const char *old_value,
		      const char *new_value, unsigned mask)
{
	struct db_stmt *st;
	int hidden, rc;

	if (str_eq(entity, "interview"))
		return (mask & SENS_SPECIAL) != SENS_SPECIAL;
	if (!str_eq(entity, "reason") || (mask & SENS_SPECIAL) == SENS_SPECIAL)
		return 0;
	if (code_hidden(db, old_value, mask) || code_hidden(db, new_value, mask))
		return 1;
	st = db_query(db, &SQL_HISTORY_REASON_NOW, "i", entity_id);
	if (st == NULL)
		return 1;
	rc = db_step(st);
	hidden = rc == DB_ROW ? !sens_allowed(mask, db_col_text(st, 0)) : rc != DB_DONE;
	db_reset(st);
	return hidden;
}

/* owner() reads the owning institution of the record; 1 when it is missing or deleted. */
static int owner(struct db *db, int64_t person_id, int64_t family_id, int64_t *inst)
{
	int rc = person_id > 0 ? db_get_int(db, inst, &SQL_HISTORY_PERSON_OWNER, "i", person_id)
			       : db_get_int(db, inst, &SQL_HISTORY_FAMILY_OWNER, "i", family_id);

	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/*
 * mask_rows() leaves out the rows the reader may not know of and blanks
 * the values of classes the reader may not see; returns the rows kept.
 */
static int mask_rows(struct policy_read *r, struct history_row *rows, int n)
{
	unsigned mask = r->decision.mask;
	int i, k = 0;

	for (i = 0; i < n; i++) {
		struct history_row h = rows[i];
		enum list_sens c = history_field_sens(h.entity, h.field);

		if (history_row_hidden(r->db, h.entity, h.entity_id, h.old_value, h.new_value, mask))
			continue;
		if (c != SENS_NONE && !(mask & SENS_BIT(c)))
			h.old_value = h.new_value = NULL;
		rows[k++] = h;
	}
	return k;
}

int history_read(struct policy_read *r, int64_t person_id, int64_t family_id,
		 struct history_row *out, int max)
{
	struct policy_subject s = { person_id > 0 ? POLICY_PERSON : POLICY_FAMILY,
				    person_id > 0 ? person_id : family_id, 0, 0 };
	struct db_stmt *st;
	int n = 0, rc;

	r->kind = s.kind;
	if (s.id <= 0 || max < 0)
		return -1;
	rc = owner(r->db, person_id, family_id, &s.institution_id);
	if (rc != 0) {
		memset(&r->decision, 0, sizeof(r->decision));
		return rc > 0 ? 0 : -1; /* a missing record has no history to show */
	}
	if (policy_decide(&r->actor, &s, r->purpose, &r->decision) != 0) {
		if (policy_record_denied(r, s.id) != 0)
			return -1;
		return -POLICY_DENIED;
	}
	st = person_id > 0 ? db_query(r->db, &SQL_HISTORY_OF_PERSON, "iiiii", person_id, person_id, person_id,
				      person_id, (int64_t)max)
			   : db_query(r->db, &SQL_HISTORY_OF_FAMILY, "iiii", family_id, family_id, family_id,
				      (int64_t)max);
	if (st == NULL)
		return -1;
	while (n < max && (rc = db_step(st)) == DB_ROW) {
		struct history_row *h = &out[n++];

		h->id = db_col_int(st, 0);
		h->at = arena_strdup(r->arena, db_col_text(st, 1));
		h->actor = arena_strdup(r->arena, db_col_text(st, 2));
		h->entity = arena_strdup(r->arena, db_col_text(st, 3));
		h->change = arena_strdup(r->arena, db_col_text(st, 4));
		h->field = arena_strdup(r->arena, db_col_text(st, 5));
		h->old_value = arena_strdup(r->arena, db_col_text(st, 6));
		h->new_value = arena_strdup(r->arena, db_col_text(st, 7));
		h->entity_id = db_col_int(st, 8);
	}
	db_reset(st);
	if (n < max && rc != DB_DONE)
		return -1;
	n = mask_rows(r, out, n);
	if (policy_record(r, arena_printf(r->arena, "%lld", (long long)s.id),
			  arena_printf(r->arena, "history purpose=%s", policy_purpose_code(r->purpose))) != 0)
		return -1;
	return n;
}
