/*
 * partner.c — the page and the API answer of a partner's person
 * (coop/view.h): what the sharing rule and the agreement's data
 * categories allow, and nothing else. A section outside the agreement's
 * categories is not written at all (the page says which categories the
 * agreement lets flow); a household member the rule does not open shows
 * only the relation.
 */
#include <string.h>

#include "coop/agreement.h"
#include "coop/episode.h"
#include "coop/view.h"
#include "core/html.h"
#include "core/str.h"
#include "registry/family.h"
#include "web/consents.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/registry_web.h"
#include "web/widget.h"

static int has(const struct coop_view *v, enum policy_data d)
{
	return (v->data & DATA_BIT(d)) != 0;
}

/* categories_text() lists the agreement's categories shown ("Identity, Labour-market status"). */
static const char *categories_text(struct req *req, unsigned data)
{
	const char *s = "";
	int d;

	for (d = 0; d < DATA__MAX; d++)
		if (data & DATA_BIT(d))
			s = arena_printf(req->arena, "%s%s%s", s, s[0] != '\0' ? ", " : "",
					 agreement_data_label(policy_data_code((enum policy_data)d)));
	return s[0] != '\0' ? s : "—";
}

static const char *period(struct req *req, const char *from, const char *to)
{
	if (from == NULL)
		return "";
	return to == NULL ? arena_printf(req->arena, _("from %s"), reg_date(req, from))
			  : arena_printf(req->arena, "%s – %s", reg_date(req, from), reg_date(req, to));
}

static void identity_section(struct buf *b, struct req *req, const struct person *p)
{
	html_fmt(b, "<section class=\"card identity\"><h2>%s</h2><dl class=\"details\">", _("Identity"));
	dl_row(b, _("PESEL"), p->pesel);
	dl_row(b, _("First names"), p->first_names);
	dl_row(b, _("Surname"), p->surname);
	dl_row(b, _("Date of birth"), reg_date(req, p->birth_date));
	html_raw(b, "</dl></section>");
}

static void contact_section(struct buf *b, struct req *req, const struct person *p)
{
	html_fmt(b, "<section class=\"card contact\"><h2>%s</h2><dl class=\"details\">", _("Contact details"));
	dl_row(b, _("Address"),
	       arena_printf(req->arena, "%s %s%s%s, %s %s", p->street != NULL ? p->street : "",
			    p->house_no != NULL ? p->house_no : "", p->flat_no != NULL ? "/" : "",
			    p->flat_no != NULL ? p->flat_no : "", p->postcode != NULL ? p->postcode : "",
			    p->town != NULL ? p->town : ""));
	dl_row(b, _("Phone"), p->phone);
	dl_row(b, _("E-mail"), p->email);
	html_raw(b, "</dl></section>");
}

/* table_begin() opens a section's table up to its body, with n column headings. */
static void table_begin(struct buf *b, const char *const *heads, int n)
{
	int i;

	html_raw(b, "<div class=\"table-wrap\"><table class=\"list\"><thead><tr>");
	for (i = 0; i < n; i++)
		html_fmt(b, "<th scope=\"col\">%s</th>", heads[i]);
	html_raw(b, "</tr></thead><tbody>");
}

static void household_section(struct buf *b, struct req *req, const struct coop_view *v)
{
	int i;

	html_fmt(b, "<section class=\"card household\"><h2>%s</h2>", _("Household"));
	if (v->relation != NULL)
		html_fmt(b, "<p>%s</p>", arena_printf(req->arena, _("The person's relation to the applicant: %s."),
						      family_relation_label(v->relation)));
	if (v->nmembers == 0) {
		html_fmt(b, "<p>%s</p></section>", _("No other members of the household are recorded."));
		return;
	}
	table_begin(b, (const char *[]){ _("Relation to the applicant"), _("Name"), _("Date of birth") }, 3);
	for (i = 0; i < v->nmembers; i++) {
		const struct view_member *m = &v->members[i];

		if (m->person_id > 0)
			html_fmt(b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>", family_relation_label(m->relation),
				 reg_name(req, m->first_names, m->surname), reg_date(req, m->birth_date));
		else
			html_fmt(b, "<tr><td>%s</td><td colspan=\"2\" class=\"meta\">%s</td></tr>",
				 family_relation_label(m->relation),
				 _("not shared: no consent of this member covers your institution"));
	}
	html_raw(b, "</tbody></table></div></section>");
}

static void status_section(struct buf *b, struct req *req, const struct coop_view *v)
{
	int i;

	html_fmt(b, "<section class=\"card labour\"><h2>%s</h2>", _("Labour-market status"));
	if (v->nstatuses == 0) {
		html_fmt(b, "<p>%s</p></section>", _("No labour-market status recorded."));
		return;
	}
	html_fmt(b, "<p><strong>%s</strong></p>", v->long_term ? _("Long-term unemployed.") : _("Not long-term unemployed."));
	table_begin(b, (const char *[]){ _("Status"), _("Period") }, 2);
	for (i = 0; i < v->nstatuses; i++)
		html_fmt(b, "<tr><td>%s</td><td>%s</td></tr>", labour_status_label(v->statuses[i].status),
			 period(req, v->statuses[i].from_date, v->statuses[i].to_date));
	html_raw(b, "</tbody></table></div></section>");
}

static void support_section(struct buf *b, struct req *req, const struct coop_view *v)
{
	int i;

	html_fmt(b, "<section class=\"card episodes\"><h2>%s</h2>", _("Support received"));
	if (v->nsupport == 0) {
		html_fmt(b, "<p>%s</p></section>", _("No support recorded."));
		return;
	}
	table_begin(b, (const char *[]){ _("Institution"), _("Instrument"), _("Period"), _("Status") }, 4);
	for (i = 0; i < v->nsupport; i++) {
		const struct view_support *s = &v->support[i];

		html_fmt(b, "<tr><td>%s%s</td><td>%s</td><td>%s</td><td>%s</td></tr>", s->institution_name,
			 s->own ? arena_printf(req->arena, " (%s)", _("your institution")) : "", s->instrument_label,
			 period(req, s->from, s->to), episode_status_label(s->status));
	}
	html_raw(b, "</tbody></table></div></section>");
}

int partner_page(struct req *req, const struct coop_view *v)
{
	const struct person *p = &v->person;
	const char *name = reg_name(req, p->first_names, p->surname);
	struct buf *b;

	page_crumb(req, "/persons", _("Persons"));
	page_crumb(req, NULL, name);
	b = page_begin(req, name);
	html_fmt(b, "<p class=\"notice\">%s</p>",
		 arena_printf(req->arena,
			      _("A record of %s, shared with your institution under an agreement and the person's "
				"consent. The agreement lets these data flow: %s. Health, addiction and violence "
				"data and the partner's notes are never shown."),
			      p->institution_name != NULL ? p->institution_name : "?",
			      categories_text(req, v->data)));
	html_raw(b, "<div class=\"page-actions\">");
	action_form(b, req, arena_printf(req->arena, "/persons/%lld/take-over", (long long)p->id),
		    _("Take over as our client"), "primary");
	html_raw(b, "</div>");
	identity_section(b, req, p);
	if (has(v, DATA_CONTACT))
		contact_section(b, req, p);
	if (has(v, DATA_SOCIAL))
		household_section(b, req, v);
	if (has(v, DATA_LABOUR_STATUS))
		status_section(b, req, v);
	if (has(v, DATA_SUPPORT) || v->nsupport > 0)
		support_section(b, req, v);
	return page_end(req, 200);
}

/* set() adds key = s (JSON null for NULL). */
static void set(json_t *j, const char *key, const char *s)
{
	json_object_set_new(j, key, s != NULL ? json_string(s) : json_null());
}

static json_t *members_json(const struct coop_view *v)
{
	json_t *a = json_array();
	int i;

	for (i = 0; a != NULL && i < v->nmembers; i++) {
		const struct view_member *m = &v->members[i];
		json_t *o = json_pack("{s:s?, s:b}", "relation", m->relation, "shared", m->person_id > 0);

		if (o != NULL && m->person_id > 0) {
			json_object_set_new(o, "person_id", json_integer(m->person_id));
			set(o, "first_names", m->first_names);
			set(o, "surname", m->surname);
			set(o, "birth_date", m->birth_date);
		}
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *statuses_json(const struct coop_view *v)
{
	json_t *a = json_array();
	int i;

	for (i = 0; a != NULL && i < v->nstatuses; i++)
		json_array_append_new(a, json_pack("{s:s?, s:s?, s:s?}", "status", v->statuses[i].status, "from",
						   v->statuses[i].from_date, "to", v->statuses[i].to_date));
	return json_pack("{s:o, s:b, s:i}", "periods", a, "long_term_unemployed", v->long_term, "ltu_days",
			 v->ltu_days);
}

static json_t *support_json(const struct coop_view *v)
{
	json_t *a = json_array();
	int i;

	for (i = 0; a != NULL && i < v->nsupport; i++) {
		const struct view_support *s = &v->support[i];

		json_array_append_new(a, json_pack("{s:{s:I, s:s?}, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}",
						   "institution", "id", (json_int_t)s->institution_id, "name",
						   s->institution_name, "instrument", s->instrument_code,
						   "instrument_label", s->instrument_label, "kind", s->kind, "from",
						   s->from, "to", s->to, "status", s->status));
	}
	return a;
}

/* The fields of a class, in the answer only when the decision's mask holds it. */
static void identity_json(json_t *j, const struct person *p)
{
	set(j, "pesel", p->pesel);
	set(j, "first_names", p->first_names);
	set(j, "surname", p->surname);
	set(j, "birth_surname", p->birth_surname);
	set(j, "sex", p->sex);
	set(j, "birth_date", p->birth_date);
	set(j, "citizenship", p->citizenship);
	set(j, "doc_kind", p->doc_kind);
	set(j, "doc_number", p->doc_number);
}

static void contact_json(json_t *j, const struct person *p)
{
	set(j, "street", p->street);
	set(j, "house_no", p->house_no);
	set(j, "flat_no", p->flat_no);
	set(j, "postcode", p->postcode);
	set(j, "town", p->town);
	set(j, "corr_address", p->corr_address);
	set(j, "phone", p->phone);
	set(j, "email", p->email);
}

json_t *partner_json(struct req *req, const struct coop_view *v)
{
	const struct person *p = &v->person;
	json_t *j = json_pack("{s:I, s:{s:I, s:s?}, s:s?}", "id", (json_int_t)p->id, "institution", "id",
			      (json_int_t)p->institution_id, "name", p->institution_name, "terc", p->terc);
	json_t *sections = json_array();
	int d;

	(void)req;
	if (j == NULL || sections == NULL)
		return j;
	for (d = 0; d < DATA__MAX; d++)
		if (v->data & DATA_BIT(d))
			json_array_append_new(sections, json_string(policy_data_code((enum policy_data)d)));
	json_object_set_new(j, "shared", json_pack("{s:b, s:o}", "partner", 1, "sections", sections));
	identity_json(j, p);
	if (has(v, DATA_CONTACT))
		contact_json(j, p);
	if (has(v, DATA_SOCIAL)) {
		set(j, "education", p->education);
		set(j, "household_relation", v->relation);
		json_object_set_new(j, "household", members_json(v));
	}
	if (has(v, DATA_LABOUR_STATUS))
		json_object_set_new(j, "labour_status", statuses_json(v));
	if (has(v, DATA_SUPPORT) || v->nsupport > 0)
		json_object_set_new(j, "support", support_json(v));
	return j;
}
