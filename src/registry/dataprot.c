/*
 * dataprot.c — the data-subject report and retention (dataprot.h).
 *
 * The report never reads the registry's tables for display itself: it
 * calls person_read(), history_read(), family_read() and the situation
 * lists, which decide under the policy and record each read. Only "who
 * saw it" is read here, from the audit log, after person_read() has
 * decided that the reader may see the person.
 */
#include "registry/dataprot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/clock.h"
#include "core/html.h"
#include "core/i18n.h"

/* Statements */
static const struct db_sql SQL_OWNER = DB_SQL("SELECT institution_id FROM person WHERE id = ?");
/*
 * Reads and changes of the person, of the households they have belonged
 * to, and list pages that named them (their detail holds "ids=…,ID,…",
 * checked exactly in named_in()).
 */
static const struct db_sql SQL_ACCESS = DB_SQL(
	"SELECT a.at, a.login, i.name, a.action, a.detail, a.ip, a.entity_id FROM audit_log a "
	"LEFT JOIN institution i ON i.id = a.institution_id "
	"WHERE (a.entity = 'person' AND a.entity_id = ?) "
	"OR (a.entity = 'family' AND a.entity_id IN (SELECT CAST(m.family_id AS TEXT) FROM "
	"family_member m WHERE m.person_id = ?)) "
	"OR (a.entity = 'person' AND a.entity_id IS NULL AND a.detail LIKE ?) "
	"ORDER BY a.id DESC LIMIT ?");

int64_t dataprot_owner(struct db *db, int64_t id)
{
	int64_t inst = 0;
	int rc = db_get_int(db, &inst, &SQL_OWNER, "i", id);

	return rc == DB_ROW ? inst : rc == DB_DONE ? 0 : -1;
}

/* Labels of the registry's actions, for the report (the audit log's own labels as a fallback). */
static const struct {
	const char *action, *label;
} labels[] = {
	{ "person.read", N_("Viewed the person's record") },
	{ "person.list", N_("The person appeared in a list or search") },
	{ "person.export", N_("The person was in an export") },
	{ "person.read_denied", N_("Refused a view of the record") },
	{ "person.create", N_("Created the record") },
	{ "person.update", N_("Changed the record") },
	{ "person.delete", N_("Deleted the record") },
	{ "person.report", N_("Prepared this report") },
	{ "person.anonymise", N_("Anonymised the record (retention)") },
	{ "family.read", N_("Viewed the household") },
	{ "family.read_denied", N_("Refused a view of the household") },
	{ "family.create", N_("Created the household") },
	{ "family.update", N_("Changed the household") },
	{ "family.anonymise", N_("Anonymised the household (retention)") },
};

static const char *action_label(const char *action)
{
	size_t i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].action, action) == 0)
			return _(labels[i].label);
	return audit_action_label(action);
}

/* Codes shown in the report, in words. */
static const struct {
	const char *code, *label;
} words[] = {
	{ "casework", N_("casework") },
	{ "cooperation", N_("cooperation between institutions") },
	{ "statistics", N_("statistics") },
	{ "administration", N_("administration") },
	{ "audit", N_("audit") },
	{ "person", N_("person") },
	{ "family", N_("household") },
	{ "member", N_("membership") },
	{ "reason", N_("reason for assistance") },
	{ "status", N_("labour-market status") },
	{ "benefit", N_("benefit") },
	{ "interview", N_("interview") },
	{ "create", N_("created") },
	{ "update", N_("changed") },
	{ "delete", N_("deleted") },
	{ "move", N_("moved") },
	{ "anonymise", N_("anonymised") },
};

static const char *word(const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(words[i].code, code) == 0)
			return _(words[i].label);
	return code;
}

/* named_in() is true when a list read's detail names id among its "ids=". */
static int named_in(const char *detail, const char *id)
{
	const char *p = detail != NULL ? strstr(detail, "ids=") : NULL;
	size_t n = strlen(id);

	if (p == NULL)
		return 0;
	p += 4;
	while (*p != '\0' && *p != ' ') {
		if (strncmp(p, id, n) == 0 && (p[n] == ',' || p[n] == ' ' || p[n] == '\0'))
			return 1;
		p += strcspn(p, ", ");
		if (*p == ',')
			p++;
	}
	return 0;
}

/* purpose_of() is the purpose a detail records ("purpose=casework"), or NULL. */
static const char *purpose_of(struct arena *a, const char *detail)
{
	const char *p = detail != NULL ? strstr(detail, "purpose=") : NULL;

	return p != NULL ? arena_strndup(a, p + 8, strcspn(p + 8, " ")) : NULL;
}

static int read_access(struct db *db, struct arena *a, int64_t id, struct dataprot_report *out)
{
	const char *ids = arena_printf(a, "%lld", (long long)id);
	const char *like = arena_printf(a, "%%%lld%%", (long long)id);
	struct db_stmt *st;
	int rc;

	out->access = arena_zalloc(a, DATAPROT_MAX_ACCESS * sizeof(*out->access));
	if (ids == NULL || like == NULL || out->access == NULL)
		return -1;
	st = db_query(db, &SQL_ACCESS, "titi", ids, id, like, (int64_t)DATAPROT_MAX_ACCESS * 4);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct dataprot_access *x;
		const char *detail = db_col_text(st, 4);

		if (db_col_text(st, 6) == NULL && !named_in(detail, ids))
			continue; /* a list whose ids only contain the digits */
		if (out->naccess == DATAPROT_MAX_ACCESS) {
			out->access_more = 1;
			break;
		}
		x = &out->access[out->naccess++];
		x->at = arena_strdup(a, db_col_text(st, 0));
		x->login = arena_strdup(a, db_col_text(st, 1));
		x->institution = arena_strdup(a, db_col_text(st, 2));
		x->action = arena_strdup(a, db_col_text(st, 3));
		x->what = action_label(x->action);
		x->purpose = purpose_of(a, detail);
		x->ip = arena_strdup(a, db_col_text(st, 5));
	}
	db_reset(st);
	return rc < 0 ? -1 : 0;
}

/* denied() maps a situation list's refusal: the person was readable, so a part is simply not shown. */
static int part(int n)
{
	return n == -POLICY_DENIED ? 0 : n;
}

int dataprot_report(struct policy_read *r, int64_t id, struct dataprot_report *out)
{
	char now[CLOCK_ISO_LEN], today[11];
	int rc, n;

	memset(out, 0, sizeof(*out));
	clock_iso(clock_now(), now);
	out->generated_at = arena_strdup(r->arena, now);
	rc = person_read(r, id, &out->person);
	if (rc != POLICY_OK)
		return rc;
	n = history_read(r, id, 0, out->history, DATAPROT_MAX_HISTORY);
	if (n < 0 && n != -POLICY_DENIED)
		return -1;
	out->nhistory = part(n);
	out->family_id = family_of_person(r->db, id);
	if (out->family_id < 0)
		return -1;
	if (out->family_id > 0) {
		rc = family_read(r, out->family_id, &out->family, out->members, DATAPROT_MAX_MEMBERS,
				 &out->nmembers);
		if (rc < 0)
			return -1;
		if (rc != POLICY_OK) {
			out->family_id = 0;
		} else if (situation_decide(r, POLICY_FAMILY, out->family_id) == POLICY_OK) {
			if ((n = reason_list(r, out->family_id, &out->reasons)) < 0 && n != -POLICY_DENIED)
				return -1;
			out->nreasons = part(n);
			if ((n = interview_list(r, out->family_id, &out->interviews)) < 0 &&
			    n != -POLICY_DENIED)
				return -1;
			out->ninterviews = part(n);
		}
	}
	rc = situation_decide(r, POLICY_PERSON, id);
	if (rc < 0)
		return -1;
	if (rc == POLICY_OK) {
		if ((n = status_list(r, id, &out->statuses)) < 0 && n != -POLICY_DENIED)
			return -1;
		out->nstatuses = part(n);
		if ((n = benefit_list(r, id, &out->benefits)) < 0 && n != -POLICY_DENIED)
			return -1;
		out->nbenefits = part(n);
		snprintf(today, sizeof(today), "%.10s", now);
		out->long_term_unemployed = labour_long_term(out->statuses, out->nstatuses, today) == 1;
	}
	if (read_access(r->db, r->arena, id, out) != 0)
		return -1;
	/* the report itself, besides the reads of its parts */
	if (audit_reads_add(r->log, "person.report", "person", arena_printf(r->arena, "%lld", (long long)id),
			    arena_printf(r->arena, "purpose=%s art. 15 RODO",
					 policy_purpose_code(r->purpose))) != 0)
		return -1;
	return POLICY_OK;
}

/* ------------------------------------------------------------------ */
/* Rendering                                                           */
/* ------------------------------------------------------------------ */

/* A section is a heading and rows of label/value pairs, or a table. Both renderers walk the same data. */
struct out {
	struct buf *b;
	struct arena *a;
	int html;
	int in_table;
};

static const char *v(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : "—";
}

static void heading(struct out *o, const char *title)
{
	if (o->html)
		html_fmt(o->b, "<h2>%s</h2>\n", title);
	else
		buf_addf(o->b, "\n%s\n%.*s\n", title, (int)strlen(title),
			 "================================================================================");
}

static void dl_begin(struct out *o)
{
	if (o->html)
		html_raw(o->b, "<dl class=\"details\">\n");
}

static void dl_end(struct out *o)
{
	if (o->html)
		html_raw(o->b, "</dl>\n");
}

static void fact(struct out *o, const char *label, const char *value)
{
	if (o->html)
		html_fmt(o->b, "<dt>%s</dt><dd>%s</dd>\n", label, v(value));
	else
		buf_addf(o->b, "  %-32s %s\n", label, v(value));
}

static void none(struct out *o, const char *message)
{
	if (o->html)
		html_fmt(o->b, "<p>%s</p>\n", message);
	else
		buf_addf(o->b, "  %s\n", message);
}

/* row() writes one table row of n cells (the header row when head). */
static void row(struct out *o, int head, int n, const char *const *cells)
{
	int i;

	if (o->html) {
		if (head)
			html_raw(o->b, "<table class=\"list\">\n<thead><tr>");
		else
			html_raw(o->b, "<tr>");
		for (i = 0; i < n; i++)
			html_fmt(o->b, head ? "<th scope=\"col\">%s</th>" : "<td>%s</td>", v(cells[i]));
		html_raw(o->b, head ? "</tr></thead>\n<tbody>\n" : "</tr>\n");
		return;
	}
	buf_adds(o->b, "  ");
	for (i = 0; i < n; i++)
		buf_addf(o->b, "%s%s", i > 0 ? " | " : "", v(cells[i]));
	buf_adds(o->b, head ? "\n  ----\n" : "\n");
}

static void table_end(struct out *o)
{
	if (o->html)
		html_raw(o->b, "</tbody>\n</table>\n");
}

/* ts() shows a stored UTC timestamp as local time, day() a date, in the thread's language. */
static const char *ts(struct out *o, const char *iso)
{
	char t[32];

	if (iso == NULL)
		return NULL;
	clock_show(iso, i18n_lang(), t);
	return arena_strdup(o->a, t);
}

static const char *day(struct out *o, const char *date)
{
	char d[16];

	if (date == NULL)
		return NULL;
	clock_show_date(date, i18n_lang(), d);
	return arena_strdup(o->a, d);
}

static const char *period(struct out *o, const char *from, const char *to)
{
	return arena_printf(o->a, "%s – %s", v(day(o, from)), to != NULL ? day(o, to) : _("ongoing"));
}

/* address() writes "ul. Lipowa 2/5, 99-300 Przykładowo", or "Dębina 39, 99-330 Dębina" without a street. */
static const char *address(struct out *o, const char *street, const char *house, const char *flat,
			   const char *postcode, const char *town)
{
	if (town == NULL && street == NULL)
		return NULL;
	return arena_printf(o->a, "%s %s%s%s, %s %s", street != NULL ? street : v(town), v(house),
			    flat != NULL ? "/" : "", flat != NULL ? flat : "", v(postcode), v(town));
}

static void identity(struct out *o, const struct person *p)
{
	heading(o, _("Identity and contact"));
	dl_begin(o);
	fact(o, _("Record number"), arena_printf(o->a, "%lld", (long long)p->id));
	fact(o, _("First names"), p->first_names);
	fact(o, _("Surname"), p->surname);
	fact(o, _("Family name at birth"), p->birth_surname);
	fact(o, _("PESEL"), p->pesel);
	fact(o, _("Identity document"),
	     p->doc_kind != NULL ? arena_printf(o->a, "%s %s", person_doc_kind_label(p->doc_kind),
						v(p->doc_number))
				 : NULL);
	fact(o, _("Sex"), p->sex == NULL ? NULL : strcmp(p->sex, "K") == 0 ? _("female") : _("male"));
	fact(o, _("Birth date"), day(o, p->birth_date));
	fact(o, _("Citizenship"), p->citizenship);
	fact(o, _("Address"), address(o, p->street, p->house_no, p->flat_no, p->postcode, p->town));
	fact(o, _("Gmina (TERC)"), p->terc);
	fact(o, _("Correspondence address"), p->corr_address);
	fact(o, _("Phone"), p->phone);
	fact(o, _("E-mail"), p->email);
	fact(o, _("Education"), p->education != NULL ? person_education_label(p->education) : NULL);
	fact(o, _("Disability degree"),
	     p->disability != NULL
		     ? arena_printf(o->a, "%s (%s)", person_disability_label(p->disability),
				    period(o, p->disability_from, p->disability_to))
		     : NULL);
	fact(o, _("Institution"), p->institution_name);
	fact(o, _("Lead worker"), p->lead_worker_name);
	fact(o, _("Created"), ts(o, p->created_at));
	fact(o, _("Last changed"), ts(o, p->updated_at));
	dl_end(o);
}

static void household(struct out *o, const struct dataprot_report *rep)
{
	int i;

	heading(o, _("Household"));
	if (rep->family_id == 0) {
		none(o, _("The person belongs to no household in the register."));
		return;
	}
	dl_begin(o);
	fact(o, _("Household number"), arena_printf(o->a, "%lld", (long long)rep->family_id));
	fact(o, _("Address"), address(o, rep->family.street, rep->family.house_no, rep->family.flat_no,
				      rep->family.postcode, rep->family.town));
	fact(o, _("Lead worker"), rep->family.lead_worker_name);
	dl_end(o);
	{
		const char *h[] = { _("Member"), _("Birth date"), _("Relation to the applicant"), _("Period") };

		row(o, 1, 4, h);
	}
	for (i = 0; i < rep->nmembers; i++) {
		const struct family_member *m = &rep->members[i];
		const char *c[] = { arena_printf(o->a, "%s %s", v(m->first_names), v(m->surname)),
				    day(o, m->birth_date), family_relation_label(m->relation),
				    period(o, m->member_from, m->member_to) };

		row(o, 0, 4, c);
	}
	table_end(o);
}

static void situation(struct out *o, const struct dataprot_report *rep)
{
	int i;

	heading(o, _("Reasons for assistance"));
	if (rep->nreasons == 0) {
		none(o, _("None recorded."));
	} else {
		const char *h[] = { _("Reason"), _("Legal basis"), _("Period") };

		row(o, 1, 3, h);
		for (i = 0; i < rep->nreasons; i++) {
			const char *c[] = { rep->reasons[i].label, rep->reasons[i].legal_basis,
					    period(o, rep->reasons[i].period_from, rep->reasons[i].period_to) };

			row(o, 0, 3, c);
		}
		table_end(o);
	}
	heading(o, _("Labour-market status"));
	if (rep->nstatuses == 0) {
		none(o, _("None recorded."));
	} else {
		const char *h[] = { _("Status"), _("Period"), _("Reason for deregistration"), _("Source") };

		row(o, 1, 4, h);
		for (i = 0; i < rep->nstatuses; i++) {
			const struct labour_status *s = &rep->statuses[i];
			const char *c[] = { labour_status_label(s->status), period(o, s->from_date, s->to_date),
					    s->dereg_reason != NULL ? labour_dereg_label(s->dereg_reason) : NULL,
					    s->source };

			row(o, 0, 4, c);
		}
		table_end(o);
		if (rep->long_term_unemployed)
			none(o, _("Long-term unemployed today (more than 12 months registered in the last 2 years), computed from these periods."));
	}
	heading(o, _("Benefits granted"));
	if (rep->nbenefits == 0) {
		none(o, _("None recorded."));
	} else {
		const char *h[] = { _("Form of assistance"), _("Amount"), _("Period"), _("Decision") };

		row(o, 1, 4, h);
		for (i = 0; i < rep->nbenefits; i++) {
			const struct benefit *b = &rep->benefits[i];
			const char *c[] = { b->form_label, b->amount_grosze >= 0 ? money_format(o->a, b->amount_grosze) : NULL,
					    period(o, b->period_from, b->period_to),
					    b->decision_number != NULL
						    ? arena_printf(o->a, "%s (%s)", b->decision_number, v(day(o, b->decision_date)))
						    : NULL };

			row(o, 0, 4, c);
		}
		table_end(o);
	}
	heading(o, _("Community interviews"));
	if (rep->ninterviews == 0)
		none(o, _("None recorded."));
	for (i = 0; i < rep->ninterviews; i++) {
		struct interview iv = rep->interviews[i];
		int k;

		if (o->html)
			html_fmt(o->b, "<h3>%s</h3>\n", arena_printf(o->a, "%s %s", _("Interview of"), v(day(o, iv.interview_date))));
		else
			buf_addf(o->b, "  %s %s\n", _("Interview of"), v(day(o, iv.interview_date)));
		dl_begin(o);
		fact(o, _("Worker"), iv.worker_name);
		for (k = 0; k < INTERVIEW_NAREAS; k++) {
			const char **text = interview_area(&iv, k);

			if (text != NULL && *text != NULL)
				fact(o, _(interview_area_labels[k]), *text);
		}
		dl_end(o);
	}
}

static void history(struct out *o, const struct dataprot_report *rep)
{
	int i;

	heading(o, _("History of changes"));
	if (rep->nhistory == 0) {
		none(o, _("None recorded."));
		return;
	}
	{
		const char *h[] = { _("When"), _("Who"), _("Record"), _("Change"), _("Field"), _("Old value"),
				    _("New value") };

		row(o, 1, 7, h);
	}
	for (i = 0; i < rep->nhistory; i++) {
		const struct history_row *x = &rep->history[i];
		const char *c[] = { ts(o, x->at), x->actor, word(x->entity), word(x->change), x->field,
				    x->old_value, x->new_value };

		row(o, 0, 7, c);
	}
	table_end(o);
}

static void access(struct out *o, const struct dataprot_report *rep)
{
	int i;

	heading(o, _("Who saw or changed the record"));
	none(o, _("From the audit log: every view, list or search that showed the person, and every change, with who, when, why and from where."));
	if (rep->naccess == 0) {
		none(o, _("None recorded."));
		return;
	}
	{
		const char *h[] = { _("When"), _("Who"), _("Institution"), _("What"), _("Purpose"), _("From where") };

		row(o, 1, 6, h);
	}
	for (i = 0; i < rep->naccess; i++) {
		const struct dataprot_access *x = &rep->access[i];
		const char *c[] = { ts(o, x->at), x->login, x->institution, x->what, word(x->purpose), x->ip };

		row(o, 0, 6, c);
	}
	table_end(o);
	if (rep->access_more)
		none(o, _("Older entries are left out; the audit log holds them all."));
}

static void render(struct out *o, const struct dataprot_report *rep)
{
	if (o->html) {
		html_fmt(o->b, "<p class=\"report-meta\">%s %s</p>\n", _("Prepared:"), ts(o, rep->generated_at));
	} else {
		buf_addf(o->b, "%s\n", _("Personal data held and its use (art. 15 RODO)"));
		buf_addf(o->b, "%s %s\n", _("Prepared:"), ts(o, rep->generated_at));
	}
	identity(o, &rep->person);
	household(o, rep);
	situation(o, rep);
	history(o, rep);
	access(o, rep);
}

void dataprot_html(struct buf *b, struct arena *a, const struct dataprot_report *rep)
{
	struct out o = { b, a, 1, 0 };

	render(&o, rep);
}

void dataprot_text(struct buf *b, struct arena *a, const struct dataprot_report *rep)
{
	struct out o = { b, a, 0, 0 };

	render(&o, rep);
}

/* ------------------------------------------------------------------ */
/* Retention                                                           */
/* ------------------------------------------------------------------ */

/*
 * A person is past the period when nothing about them changed since the
 * cut-off and every period of theirs ended before it: their history and
 * their households' history, the households' reasons, their benefits and
 * labour-market periods, the households' interviews. Arguments: cut-off
 * timestamp, cut-off date (repeated where used), institution (0 = all)
 * twice, one person (0 = all) twice.
 */
#define PERSON_PAST                                                                          \
	"FROM person p JOIN institution i ON i.id = p.institution_id "                       \
	"WHERE p.anonymised_at IS NULL AND p.updated_at < ? "                                \
	"AND (? = 0 OR p.institution_id = ?) AND (? = 0 OR p.id = ?) "                       \
	"AND NOT EXISTS (SELECT 1 FROM record_history h WHERE h.person_id = p.id AND h.at >= ?) " \
	"AND NOT EXISTS (SELECT 1 FROM family_member m JOIN record_history h ON h.family_id = " \
	"m.family_id WHERE m.person_id = p.id AND h.at >= ?) "                               \
	"AND NOT EXISTS (SELECT 1 FROM family_member m JOIN family_reason r ON r.family_id = " \
	"m.family_id WHERE m.person_id = p.id AND (r.period_to IS NULL OR r.period_to >= ?)) " \
	"AND NOT EXISTS (SELECT 1 FROM family_member m JOIN interview iv ON iv.family_id = " \
	"m.family_id WHERE m.person_id = p.id AND iv.interview_date >= ?) "                  \
	"AND NOT EXISTS (SELECT 1 FROM benefit b WHERE b.person_id = p.id AND (b.period_to IS " \
	"NULL OR b.period_to >= ?)) "                                                        \
	"AND NOT EXISTS (SELECT 1 FROM labour_status s WHERE s.person_id = p.id AND (s.to_date " \
	"IS NULL OR s.to_date >= ?)) "

static const struct db_sql SQL_PERSONS_PAST = DB_SQL(
	"SELECT p.id, p.institution_id, i.name, COALESCE((SELECT MAX(h.at) FROM record_history h "
	"WHERE h.person_id = p.id), p.updated_at) " PERSON_PAST "ORDER BY p.institution_id, p.id");
static const struct db_sql SQL_INTERVIEWS_PAST = DB_SQL(
	"SELECT iv.id, iv.institution_id, i.name, iv.interview_date FROM interview iv "
	"JOIN institution i ON i.id = iv.institution_id "
	"WHERE iv.anonymised_at IS NULL AND iv.interview_date < ? "
	"AND (? = 0 OR iv.institution_id = ?) AND (? = 0 OR iv.id = ?) "
	"ORDER BY iv.institution_id, iv.id");
static const struct db_sql SQL_ANON_PERSON = DB_SQL(
	"UPDATE person SET pesel = NULL, doc_kind = NULL, doc_number = NULL, first_names = '—', "
	"surname = '—', birth_surname = NULL, birth_date = CASE WHEN birth_date IS NULL THEN NULL "
	"ELSE substr(birth_date, 1, 4) || '-01-01' END, street = NULL, house_no = NULL, "
	"flat_no = NULL, postcode = NULL, town = NULL, corr_address = NULL, phone = NULL, "
	"email = NULL, surname_fold = '', first_fold = '', town_fold = NULL, street_fold = NULL, "
	"anonymised_at = ?, updated_at = ? WHERE id = ? AND anonymised_at IS NULL");
static const struct db_sql SQL_ANON_BENEFITS =
	DB_SQL("UPDATE benefit SET decision_number = NULL WHERE person_id = ?");
static const struct db_sql SQL_ANON_PERSON_HISTORY = DB_SQL(
	"UPDATE record_history SET old_value = NULL, new_value = NULL WHERE person_id = ? "
	"AND (old_value IS NOT NULL OR new_value IS NOT NULL)");
/* the person's households whose every member is now anonymised */
static const struct db_sql SQL_FAMILIES_DONE = DB_SQL(
	"SELECT f.id, f.institution_id FROM family f WHERE f.anonymised_at IS NULL AND f.id IN "
	"(SELECT m.family_id FROM family_member m WHERE m.person_id = ?) AND NOT EXISTS "
	"(SELECT 1 FROM family_member m2 JOIN person p2 ON p2.id = m2.person_id WHERE "
	"m2.family_id = f.id AND p2.anonymised_at IS NULL)");
static const struct db_sql SQL_ANON_FAMILY = DB_SQL(
	"UPDATE family SET street = NULL, house_no = NULL, flat_no = NULL, postcode = NULL, "
	"town = NULL, anonymised_at = ?, updated_at = ? WHERE id = ? AND anonymised_at IS NULL");
static const struct db_sql SQL_ANON_FAMILY_NOTES =
	DB_SQL("UPDATE family_reason SET note = NULL WHERE family_id = ?");
static const struct db_sql SQL_ANON_FAMILY_HISTORY = DB_SQL(
	"UPDATE record_history SET old_value = NULL, new_value = NULL WHERE family_id = ? "
	"AND (old_value IS NOT NULL OR new_value IS NOT NULL)");
static const struct db_sql SQL_FAMILY_INTERVIEWS =
	DB_SQL("SELECT id FROM interview WHERE family_id = ? AND anonymised_at IS NULL");
static const struct db_sql SQL_ANON_INTERVIEW = DB_SQL(
	"UPDATE interview SET housing = NULL, income = NULL, employment = NULL, health = NULL, "
	"family_relations = NULL, care_upbringing = NULL, other = NULL, conclusions = NULL, "
	"work_plan = NULL, anonymised_at = ?, updated_at = ? WHERE id = ? AND anonymised_at IS NULL");
static const struct db_sql SQL_INTERVIEW_OF =
	DB_SQL("SELECT family_id, person_id, institution_id FROM interview WHERE id = ?");

/* digits() reads n decimal digits of s (a date's year, month or day; 0 for anything else). */
static int digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* cutoff() writes the moment years before p->now, as a timestamp and as a date. */
static void cutoff(const struct retention_policy *p, int64_t years, char at[CLOCK_ISO_LEN], char date[11])
{
	int64_t now = p->now > 0 ? p->now : clock_now();
	char iso[CLOCK_ISO_LEN];
	int y;

	clock_iso(now, iso);
	y = digits(iso, 4) - (int)years;
	if (y < 1)
		y = 1;
	/* the same calendar day that many years ago (29 February → 1 March) */
	snprintf(at, CLOCK_ISO_LEN, "%04d%.16s", y % 10000, iso + 4);
	if (strncmp(at + 4, "-02-29", 6) == 0 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		memcpy(at + 4, "-03-01", 6);
	snprintf(date, 11, "%.10s", at);
}

static struct db_stmt *persons_past(struct db *db, const struct retention_policy *p, int64_t only)
{
	char at[CLOCK_ISO_LEN], date[11];

	cutoff(p, p->person_years, at, date);
	return db_query(db, &SQL_PERSONS_PAST, "tiiiitttttt", at, p->institution_id, p->institution_id,
			only, only, at, at, date, date, date, date);
}

static struct db_stmt *interviews_past(struct db *db, const struct retention_policy *p, int64_t only)
{
	char at[CLOCK_ISO_LEN], date[11];

	cutoff(p, p->interview_years, at, date);
	return db_query(db, &SQL_INTERVIEWS_PAST, "tiiii", date, p->institution_id, p->institution_id,
			only, only);
}

static void item_of(struct db_stmt *st, struct arena *a, const char *kind, const struct retention_policy *p,
		    struct retention_item *it)
{
	const char *last = db_col_text(st, 3);
	int64_t years = strcmp(kind, "person") == 0 ? p->person_years : p->interview_years;

	it->kind = kind;
	it->id = db_col_int(st, 0);
	it->institution_id = db_col_int(st, 1);
	it->institution = arena_strdup(a, db_col_text(st, 2));
	it->last_activity = arena_strndup(a, last != NULL ? last : "", 10);
	it->due = last != NULL && strlen(last) >= 10
			  ? arena_printf(a, "%04d%.6s", digits(last, 4) + (int)years, last + 4)
			  : NULL;
}

/* collect() reads a statement's items into memory: fn may write (anonymise) between them. */
static int collect(struct db_stmt *st, struct arena *a, const char *kind, const struct retention_policy *p,
		   struct retention_item **items, int64_t *n, int64_t *cap)
{
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == *cap) {
			int64_t c = *cap ? *cap * 2 : 256;
			struct retention_item *x = arena_alloc(a, (size_t)c * sizeof(*x));

			if (x == NULL) {
				db_reset(st);
				return -1;
			}
			if (*n > 0)
				memcpy(x, *items, (size_t)*n * sizeof(*x));
			*items = x;
			*cap = c;
		}
		item_of(st, a, kind, p, &(*items)[(*n)++]);
	}
	db_reset(st);
	return rc < 0 ? -1 : 0;
}

int64_t retention_scan(struct db *db, struct arena *a, const struct retention_policy *p,
		       int (*fn)(void *ctx, const struct retention_item *it), void *ctx)
{
	struct retention_item *items = NULL;
	int64_t n = 0, cap = 0, i;
	int rc;

	if (collect(persons_past(db, p, 0), a, "person", p, &items, &n, &cap) != 0 ||
	    collect(interviews_past(db, p, 0), a, "interview", p, &items, &n, &cap) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if ((rc = fn(ctx, &items[i])) != 0)
			return rc;
	return n;
}

static struct registry_writer writer_of(const struct audit_actor *who, int64_t institution_id)
{
	struct registry_writer w;

	memset(&w, 0, sizeof(w));
	w.audit = *who;
	w.policy.user_id = who->user_id;
	w.policy.institution_id = institution_id;
	w.policy.cli = who->user_id == 0;
	return w;
}

/* still_past() is 1 when the record is (still) past its period, 0 when not, -1 on error. */
static int still_past(struct db *db, const struct retention_policy *p, const struct retention_item *it)
{
	struct db_stmt *st = strcmp(it->kind, "person") == 0 ? persons_past(db, p, it->id)
							       : interviews_past(db, p, it->id);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int anonymise_interview(struct db *db, const struct audit_actor *who, int64_t id, const char *now,
			       const char *why)
{
	struct db_stmt *st = db_query(db, &SQL_INTERVIEW_OF, "i", id);
	struct history_entry e = { .entity = "interview", .entity_id = id, .change = HISTORY_ANONYMISE };
	struct registry_writer w;
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		e.family_id = db_col_int(st, 0);
		e.person_id = db_col_int(st, 1);
		e.institution_id = db_col_int(st, 2);
	}
	db_reset(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	w = writer_of(who, e.institution_id);
	if (db_run(db, &SQL_ANON_INTERVIEW, "tti", now, now, id) != DB_OK ||
	    history_add(db, &w, &e) != 0 ||
	    audit_write_id(db, who, "interview.anonymise", "interview", id, why) != DB_OK)
		return -1;
	return 0;
}

/* anonymise_families() blanks the households of person_id whose members are all anonymised now. */
static int anonymise_families(struct db *db, struct arena *a, const struct audit_actor *who,
			      int64_t person_id, const char *now, const char *why)
{
	struct db_stmt *st = db_query(db, &SQL_FAMILIES_DONE, "i", person_id);
	int64_t fam[16], inst[16];
	int n = 0, i, rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && n < 16) {
		fam[n] = db_col_int(st, 0);
		inst[n++] = db_col_int(st, 1);
	}
	db_reset(st);
	if (rc < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct history_entry e = { .entity = "family", .entity_id = fam[i], .family_id = fam[i],
					   .institution_id = inst[i], .change = HISTORY_ANONYMISE };
		struct registry_writer w = writer_of(who, inst[i]);
		int64_t ivs[64];
		int niv = 0, k;

		if (db_run(db, &SQL_ANON_FAMILY, "tti", now, now, fam[i]) != DB_OK ||
		    db_run(db, &SQL_ANON_FAMILY_NOTES, "i", fam[i]) != DB_OK ||
		    db_run(db, &SQL_ANON_FAMILY_HISTORY, "i", fam[i]) != DB_OK)
			return -1;
		/* the household's interviews describe it: their text goes with it */
		st = db_query(db, &SQL_FAMILY_INTERVIEWS, "i", fam[i]);
		if (st == NULL)
			return -1;
		while ((rc = db_step(st)) == DB_ROW && niv < 64)
			ivs[niv++] = db_col_int(st, 0);
		db_reset(st);
		if (rc < 0)
			return -1;
		for (k = 0; k < niv; k++)
			if (anonymise_interview(db, who, ivs[k], now, why) < 0)
				return -1;
		if (history_add(db, &w, &e) != 0 ||
		    audit_write_id(db, who, "family.anonymise", "family", fam[i], why) != DB_OK)
			return -1;
	}
	(void)a;
	return 0;
}

int retention_anonymise(struct db *db, struct arena *a, const struct retention_policy *p,
			const struct audit_actor *who, const struct retention_item *it)
{
	char now[CLOCK_ISO_LEN];
	const char *why;
	int rc = still_past(db, p, it);

	if (rc <= 0)
		return rc < 0 ? -1 : 1;
	clock_iso(clock_now(), now);
	why = arena_printf(a, "retention %s_years=%lld last_activity=%s",
			   strcmp(it->kind, "person") == 0 ? "person" : "interview",
			   (long long)(strcmp(it->kind, "person") == 0 ? p->person_years : p->interview_years),
			   it->last_activity != NULL ? it->last_activity : "");
	if (why == NULL)
		return -1;
	if (strcmp(it->kind, "interview") == 0)
		return anonymise_interview(db, who, it->id, now, why);
	{
		struct history_entry e = { .entity = "person", .entity_id = it->id, .person_id = it->id,
					   .institution_id = it->institution_id,
					   .change = HISTORY_ANONYMISE };
		struct registry_writer w = writer_of(who, it->institution_id);

		/* the values changed over time hold names and addresses too: blanked first */
		if (db_run(db, &SQL_ANON_PERSON_HISTORY, "i", it->id) != DB_OK ||
		    db_run(db, &SQL_ANON_PERSON, "tti", now, now, it->id) != DB_OK ||
		    db_run(db, &SQL_ANON_BENEFITS, "i", it->id) != DB_OK || history_add(db, &w, &e) != 0 ||
		    audit_write_id(db, who, "person.anonymise", "person", it->id, why) != DB_OK)
			return -1;
	}
	return anonymise_families(db, a, who, it->id, now, why);
}

const char retention_csv_header[] = "Rodzaj;Numer;Instytucja;Ostatnia aktywność;Termin minął;Stan\r\n";

int retention_anonymise_tx(struct db *db, struct arena *a, const struct retention_policy *p,
			   const struct audit_actor *who, const struct retention_item *it)
{
	int rc;

	if (db_begin(db) != 0)
		return -1;
	rc = retention_anonymise(db, a, p, who, it);
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db) != 0 ? -1 : rc;
}

const char *retention_csv_line(struct arena *a, const struct retention_item *it, int applied)
{
	char inst[400];
	size_t i, j = 0;

	/* the name quoted for CSV: doubled quotes inside */
	for (i = 0; it->institution != NULL && it->institution[i] != '\0' && j + 3 < sizeof(inst); i++) {
		if (it->institution[i] == '"')
			inst[j++] = '"';
		inst[j++] = it->institution[i];
	}
	inst[j] = '\0';
	return arena_printf(a, "%s;%lld;\"%s\";%s;%s;%s\r\n",
			    strcmp(it->kind, "person") == 0 ? "osoba" : "wywiad", (long long)it->id, inst,
			    it->last_activity != NULL ? it->last_activity : "", it->due != NULL ? it->due : "",
			    applied == 1 ? "zanonimizowano" : applied == 0 ? "do anonimizacji" : "pominięto");
}
