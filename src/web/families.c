/*
 * families.c — households (rodziny): set up from a person ("załóż
 * gospodarstwo"), the household page (applicant, members with their
 * relation and dates, address, history), adding a member found by search
 * or newly registered, ending a membership, moving a member from another
 * household (the old membership ends, both stay in the history; the move
 * is confirmed first), editing the address and lead worker; the same as
 * JSON under /api/v1/families.
 */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/html.h"
#include "core/str.h"
#include "web/handlers.h"
#include "web/input.h"
#include "web/list.h"
#include "web/page.h"
#include "web/registry_web.h"
#include "web/route.h"
#include "web/situation.h"
#include "web/widget.h"

#define MAX_MEMBERS 50
#define ADD_PER_PAGE 20

enum { H_APPLICANT, H_STREET, H_HOUSE, H_FLAT, H_POSTCODE, H_TOWN, H_TERC, H_LEAD, NFIELDS };

static const struct field fields[NFIELDS] = {
	[H_APPLICANT] = { "applicant_id", N_("Applicant"), F_INT, F_REQUIRED, 1, INT64_MAX },
	[H_STREET] = { "street", N_("Street"), F_TEXT, 0, 0, 200 },
	[H_HOUSE] = { "house_no", N_("House number"), F_TEXT, 0, 0, 20 },
	[H_FLAT] = { "flat_no", N_("Flat number"), F_TEXT, 0, 0, 20 },
	[H_POSTCODE] = { "postcode", N_("Postcode"), F_TEXT, 0, 0, 10 },
	[H_TOWN] = { "town", N_("Town"), F_TEXT, 0, 0, 100 },
	[H_TERC] = { "terc", N_("Gmina (TERC code)"), F_TEXT, 0, 0, 7 },
	[H_LEAD] = { "lead_worker_id", N_("Lead worker"), F_INT, 0, 0, INT64_MAX },
};

enum { M_PERSON, M_RELATION, M_FROM, M_MOVE, NMFIELDS };

static const struct field mfields[NMFIELDS] = {
	[M_PERSON] = { "person_id", N_("Person"), F_INT, F_REQUIRED, 1, INT64_MAX },
	[M_RELATION] = { "relation", N_("Relation to the applicant"), F_CHOICE, F_REQUIRED, 0, 0,
			 family_relations },
	[M_FROM] = { "member_from", N_("Member from"), F_TEXT, 0, 0, 10 },
	[M_MOVE] = { "move", N_("Move from the other household"), F_BOOL, 0, 0, 1 },
};

static const char *address_of(struct req *req, const struct family *f)
{
	if (f->street == NULL && f->house_no == NULL && f->postcode == NULL && f->town == NULL)
		return NULL;
	return arena_printf(req->arena, "%s%s%s%s%s%s%s%s", f->street != NULL ? f->street : "",
			    f->house_no != NULL ? " " : "", f->house_no != NULL ? f->house_no : "",
			    f->flat_no != NULL ? "/" : "", f->flat_no != NULL ? f->flat_no : "",
			    f->street != NULL || f->house_no != NULL ? ", " : "",
			    f->postcode != NULL ? arena_printf(req->arena, "%s ", f->postcode) : "",
			    f->town != NULL ? f->town : "");
}

static const char *family_title(struct req *req, int64_t id)
{
	return arena_printf(req->arena, _("Household no. %lld"), (long long)id);
}

/* load() reads the household of the route's {id}; 0, or the status already answered. */
static int load(struct req *req, struct family *f, struct family_member *m, int *nm, int audited)
{
	return reg_load_family(req, req->id, f, m, MAX_MEMBERS, nm, audited);
}

/* read_family() reads and validates the address fields (and the applicant when creating). */
static int read_family(struct req *req, struct family *f, int creating, struct verrs *v)
{
	struct field fs[NFIELDS];
	struct input x[NFIELDS];

	memcpy(fs, fields, sizeof(fs));
	if (!creating) /* a change of applicant is optional (a current member of the household) */
		fs[H_APPLICANT].flags &= ~(unsigned)F_REQUIRED;
	input_read(req, fs, NFIELDS, x, v);
	if (creating || (x[H_APPLICANT].present && x[H_APPLICANT].num > 0))
		f->applicant_id = x[H_APPLICANT].num;
	f->street = x[H_STREET].text;
	f->house_no = x[H_HOUSE].text;
	f->flat_no = x[H_FLAT].text;
	f->postcode = x[H_POSTCODE].text;
	f->town = x[H_TOWN].text;
	f->terc = x[H_TERC].text;
	if (x[H_LEAD].present && x[H_LEAD].num > 0)
		f->lead_worker_id = x[H_LEAD].num;
	family_validate(f, req->arena, v);
	input_order_errors(fields, NFIELDS, v);
	return v->n;
}

/* ------------------------------------------------------------------ */
/* Create and edit                                                     */
/* ------------------------------------------------------------------ */

static int form_page(struct req *req, int status, const struct family *f, const char *applicant,
		     const struct verrs *v)
{
	const char *title = f->id == 0 ? _("New household") : _("Edit household");
	const char *action = f->id == 0 ? "/families/new"
					: arena_printf(req->arena, "/families/%lld/edit", (long long)f->id);
	struct buf *b;

	if (f->id != 0)
		page_crumb(req, reg_family_href(req, f->id), family_title(req, f->id));
	else if (f->applicant_id > 0)
		page_crumb(req, reg_person_href(req, f->applicant_id), applicant);
	page_crumb(req, NULL, title);
	b = page_begin(req, title);
	form_errors(b, v);
	form_begin(b, req, action, "form");
	if (f->id == 0) {
		html_fmt(b, "<input type=\"hidden\" name=\"applicant_id\" value=\"%lld\">",
			 (long long)f->applicant_id);
		html_fmt(b, "<p class=\"lead\">%s</p>",
			 arena_printf(req->arena, _("%s becomes the applicant of the new household. Add the "
						    "other members after saving."),
				      applicant != NULL ? applicant : "—"));
		if (v != NULL && verrs_for(v, "applicant_id") != NULL)
			html_fmt(b, "<p class=\"field-error\" id=\"f-applicant_id\">%s</p>",
				 verrs_for(v, "applicant_id"));
	}
	html_fmt(b, "<fieldset><legend>%s</legend>", _("Address of the household"));
	field_input(b, "text", "street", _("Street"), f->street, v, 0, NULL, "off");
	field_input(b, "text", "house_no", _("House number"), f->house_no, v, W_NARROW, NULL, "off");
	field_input(b, "text", "flat_no", _("Flat number"), f->flat_no, v, W_NARROW, NULL, "off");
	field_input(b, "text", "postcode", _("Postcode"), f->postcode, v, W_NARROW,
		    _("As NN-NNN, e.g. 99-300."), "off");
	field_input(b, "text", "town", _("Town"), f->town, v, 0, NULL, "off");
	field_input(b, "text", "terc", _("Gmina (TERC code)"), f->terc, v, W_NARROW,
		    _("The 7-digit TERC code of the gmina."), "off");
	html_fmt(b, "</fieldset><fieldset><legend>%s</legend>", _("Case"));
	reg_lead_select(b, req, f->lead_worker_id != 0 ? f->lead_worker_id : req->sess->user_id,
			f->lead_worker_id != 0 ? f->lead_worker_name : req->sess->full_name, v);
	html_raw(b, "</fieldset><div class=\"actions\">");
	button(b, _("Save"), "primary");
	html_fmt(b, " <a class=\"btn secondary\" href=\"%s\">%s</a></div>",
		 f->id != 0 ? reg_family_href(req, f->id)
			    : f->applicant_id > 0 ? reg_person_href(req, f->applicant_id) : "/persons",
		 _("Cancel"));
	form_end(b);
	return page_end(req, status);
}

int h_family_new(struct req *req)
{
	struct family f;
	struct person p;
	const char *s = req_query(req, "applicant_id");
	int64_t id = 0;
	int rc = reg_may_work(req, POLICY_FAMILY);

	if (rc != 0)
		return rc;
	if (s == NULL || str_to_int64(s, 1, INT64_MAX, &id) != 0)
		return resp_error(req, 404, "not_found", _("No such person"),
				  _("A household is set up from the page of its applicant: open the "
				    "person and choose \"Set up a household\"."));
	rc = reg_load_person(req, id, &p, 1);
	if (rc != 0)
		return rc;
	memset(&f, 0, sizeof(f));
	/* the applicant's address is the household's, usually */
	f.applicant_id = p.id;
	f.street = p.street;
	f.house_no = p.house_no;
	f.flat_no = p.flat_no;
	f.postcode = p.postcode;
	f.town = p.town;
	f.terc = p.terc;
	f.lead_worker_id = p.lead_worker_id;
	return form_page(req, 200, &f, reg_name(req, p.first_names, p.surname), NULL);
}

/* create_family() creates f with its audit row; 0 with *id, 1 (v), -1. */
static int create_family(struct req *req, struct family *f, int64_t *id, struct verrs *v)
{
	struct registry_writer w;
	int rc;

	reg_writer(req, &w);
	f->institution_id = req->sess->institution_id;
	if (f->lead_worker_id == 0)
		f->lead_worker_id = req->sess->user_id;
	if (tx_begin(req) != 0)
		return -1;
	rc = family_create(req->db, req->arena, &w, f, id, v);
	return tx_audit(req, rc, "family.create", "family", *id, NULL);
}

int h_family_create(struct req *req)
{
	struct verrs v = VERRS_INIT;
	struct family f;
	struct person p;
	int64_t id = 0;
	int rc = reg_may_work(req, POLICY_FAMILY);
	const char *name = NULL;

	if (rc != 0)
		return rc;
	memset(&f, 0, sizeof(f));
	if (read_family(req, &f, 1, &v) == 0) {
		rc = create_family(req, &f, &id, &v);
		if (rc < 0)
			return resp_server_error(req, "creating a household");
		if (rc == 0)
			return resp_redirect(req, reg_family_href(req, id),
					     arena_printf(req->arena, _("Set up household no. %lld."), (long long)id));
	}
	if (f.applicant_id > 0) {
		rc = reg_load_person(req, f.applicant_id, &p, 0);
		if (rc != 0)
			return rc;
		name = reg_name(req, p.first_names, p.surname);
	}
	return form_page(req, 422, &f, name, &v);
}

int h_family_edit(struct req *req)
{
	struct family_member m[MAX_MEMBERS];
	struct family f;
	int n, rc = load(req, &f, m, &n, 1);

	return rc != 0 ? rc : form_page(req, 200, &f, f.applicant_name, NULL);
}

/* update_family() reads the address over the stored f and saves; 0, 1 (v), PERSON_NOT_FOUND, -1. */
static int update_family(struct req *req, struct family *f, struct verrs *v)
{
	struct registry_writer w;
	int rc;

	if (read_family(req, f, 0, v) > 0)
		return 1;
	reg_writer(req, &w);
	if (tx_begin(req) != 0)
		return -1;
	rc = family_update(req->db, req->arena, &w, f, v);
	if (rc == PERSON_NOT_FOUND) {
		tx_end(req, 1);
		return PERSON_NOT_FOUND;
	}
	return tx_audit(req, rc, "family.update", "family", f->id, NULL);
}

static int family_gone(struct req *req)
{
	return resp_error(req, 404, "not_found", _("No such household"),
			  _("There is no household with this number in the register of your institution."));
}

/*
 * answered() answers a change that found no household or failed (doing
 * says what, for the log); 0 (done) and 1 (refused, v) go back to the
 * caller, which answers them its own way (page or API).
 */
static int answered(struct req *req, int rc, const char *doing)
{
	if (rc == PERSON_NOT_FOUND)
		return family_gone(req);
	if (rc < 0)
		return resp_server_error(req, doing);
	return rc;
}

int h_family_update(struct req *req)
{
	struct family_member m[MAX_MEMBERS];
	struct verrs v = VERRS_INIT;
	struct family f;
	int n, rc = load(req, &f, m, &n, 0);

	if (rc != 0)
		return rc;
	rc = answered(req, update_family(req, &f, &v), "saving a household");
	if (rc == 1)
		return form_page(req, 422, &f, f.applicant_name, &v);
	if (rc != 0)
		return rc;
	return resp_redirect(req, reg_family_href(req, f.id),
			     arena_printf(req->arena, _("Saved household no. %lld."), (long long)f.id));
}

/* ------------------------------------------------------------------ */
/* The household page                                                  */
/* ------------------------------------------------------------------ */

static void members_table(struct buf *b, struct req *req, const struct family *f,
			  const struct family_member *m, int n, int current)
{
	int i, any = 0;

	for (i = 0; i < n; i++)
		any |= (m[i].member_to == NULL) == current;
	if (!any) {
		if (current)
			html_fmt(b, "<p>%s</p>", _("The household has no current members."));
		return;
	}
	if (!current)
		html_fmt(b, "<h3>%s</h3>", _("Former members"));
	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list members\"><caption class=\"sr\">%s</caption>"
		    "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
		 current ? _("Members of the household") : _("Former members"), _("Person"),
		 _("Relation to the applicant"), _("Date of birth"), _("Member from"), _("Member to"));
	if (current)
		html_fmt(b, "<th scope=\"col\"><span class=\"sr\">%s</span></th>", _("Actions"));
	html_raw(b, "</tr></thead><tbody>");
	for (i = 0; i < n; i++) {
		if ((m[i].member_to == NULL) != current)
			continue;
		html_fmt(b, "<tr><th scope=\"row\"><a href=\"%s\">%s</a></th><td>%s</td><td class=\"nowrap\">%s</td>"
			    "<td class=\"nowrap\">%s</td><td class=\"nowrap\">%s</td>",
			 reg_person_href(req, m[i].person_id), reg_name(req, m[i].first_names, m[i].surname),
			 family_relation_label(m[i].relation), reg_date(req, m[i].birth_date),
			 reg_date(req, m[i].member_from), m[i].member_to != NULL ? reg_date(req, m[i].member_to) : "—");
		if (current)
			html_fmt(b, "<td><a href=\"/families/%lld/members/%lld/end\">%s</a></td>", (long long)f->id,
				 (long long)m[i].id, _("End membership"));
		html_raw(b, "</tr>");
	}
	html_raw(b, "</tbody></table></div>");
}

int h_family_show(struct req *req)
{
	struct family_member m[MAX_MEMBERS];
	struct family f;
	const char *title;
	struct buf *b;
	int n, rc = load(req, &f, m, &n, 1);

	if (rc != 0)
		return rc;
	title = family_title(req, f.id);
	if (f.applicant_id > 0)
		page_crumb(req, reg_person_href(req, f.applicant_id), f.applicant_name);
	page_crumb(req, NULL, title);
	b = page_begin(req, title);
	html_fmt(b, "<div class=\"page-actions\"><a class=\"btn primary\" href=\"/families/%lld/add\">%s</a> "
		    "<a class=\"btn secondary\" href=\"/families/%lld/edit\">%s</a></div>",
		 (long long)f.id, _("Add a member"), (long long)f.id, _("Edit address and lead worker"));
	html_raw(b, "<dl class=\"details\">");
	html_fmt(b, "<dt>%s</dt><dd><a href=\"%s\">%s</a></dd>", _("Applicant"),
		 reg_person_href(req, f.applicant_id), f.applicant_name != NULL ? f.applicant_name : "—");
	dl_row(b, _("Address"), address_of(req, &f));
	dl_row(b, _("Gmina (TERC code)"), f.terc);
	dl_row(b, _("Lead worker"), f.lead_worker_name);
	dl_row(b, _("Set up"), fmt_time(req, f.created_at));
	html_raw(b, "</dl>");
	html_fmt(b, "<section class=\"card\"><h2>%s</h2>", _("Members"));
	members_table(b, req, &f, m, n, 1);
	members_table(b, req, &f, m, n, 0);
	html_raw(b, "</section>");
	rc = situation_family_sections(req, b, f.id, NULL);
	if (rc != 0)
		return rc;
	rc = reg_history_section(b, req, 0, f.id);
	if (rc != 0)
		return rc;
	return page_end(req, 200);
}

/* ------------------------------------------------------------------ */
/* Members                                                             */
/* ------------------------------------------------------------------ */

static void relation_select(struct buf *b, const char *selected, const struct verrs *v)
{
	struct option opts[16];
	int n, k = 0;

	for (n = 0; family_relations[n] != NULL && k < 16; n++) {
		if (strcmp(family_relations[n], "applicant") == 0)
			continue; /* the applicant is set when the household is set up */
		opts[k].value = family_relations[n];
		opts[k++].label = family_relation_label(family_relations[n]);
	}
	field_select(b, "relation", _("Relation to the applicant"), opts, k, selected, _("— choose —"), v,
		     W_REQUIRED, NULL);
}

/* add_form() is the form adding person p to household f. */
static void add_form(struct buf *b, struct req *req, const struct family *f, const struct person *p,
		     const char *relation, const char *from, const struct verrs *v)
{
	int64_t elsewhere = family_of_person(req->db, p->id);

	html_fmt(b, "<section class=\"card\"><h2>%s</h2>", reg_name(req, p->first_names, p->surname));
	html_fmt(b, "<p>%s %s</p>", p->pesel != NULL ? p->pesel : "", reg_date(req, p->birth_date));
	if (elsewhere == f->id) {
		html_fmt(b, "<p class=\"status\">%s</p></section>", _("Already a member of this household."));
		return;
	}
	if (elsewhere > 0)
		html_fmt(b, "<p class=\"status\">%s</p>",
			 arena_printf(req->arena, _("Now a member of household no. %lld: you will be asked to "
						    "confirm the move."),
				      (long long)elsewhere));
	form_errors(b, v);
	form_begin(b, req, arena_printf(req->arena, "/families/%lld/members", (long long)f->id), "form");
	html_fmt(b, "<input type=\"hidden\" name=\"person_id\" value=\"%lld\">", (long long)p->id);
	relation_select(b, relation, v);
	field_input(b, "text", "member_from", _("Member from"), from, v, W_NARROW,
		    _("As RRRR-MM-DD; empty = today."), "off");
	html_raw(b, "<div class=\"actions\">");
	button(b, _("Add to the household"), "primary");
	html_fmt(b, " <a class=\"btn secondary\" href=\"%s\">%s</a></div>", reg_family_href(req, f->id),
		 _("Cancel"));
	form_end(b);
	html_raw(b, "</section>");
}

/* search_hits() lists persons found for q with a link adding each. */
static int search_hits(struct buf *b, struct req *req, const struct family *f, const char *q)
{
	struct person_query pq = { .q = q, .limit = ADD_PER_PAGE };
	struct person_hits h;
	struct policy_read rd;
	int i, rc;

	if (utf8_length(q) > 200 || !utf8_valid(q, strlen(q))) {
		html_fmt(b, "<p class=\"field-error\">%s</p>", _("Search: at most 200 characters."));
		return 0;
	}
	req_policy_read(req, POLICY_PERSON, PURPOSE_CASEWORK, &rd);
	rd.query = arena_printf(req->arena, "q=%s", q);
	memset(&h, 0, sizeof(h));
	rc = person_search(&rd, &pq, &h);
	if (rc == POLICY_DENIED)
		return resp_denied(req, &rd.decision);
	if (rc != 0)
		return resp_server_error(req, "searching persons");
	html_raw(b, "<p class=\"count\" role=\"status\">");
	html_fmt(b, i18n_ngettext("%s person found", "%s persons found", (unsigned long)h.total),
		 fmt_int(req, h.total));
	html_raw(b, "</p>");
	if (h.n == 0)
		return 0;
	html_fmt(b, "<ul class=\"hits\">");
	for (i = 0; i < h.n; i++)
		html_fmt(b, "<li><a href=\"/families/%lld/add?person_id=%lld\">%s</a> %s %s</li>", (long long)f->id,
			 (long long)h.hits[i].id, reg_name(req, h.hits[i].first_names, h.hits[i].surname),
			 h.hits[i].pesel != NULL ? h.hits[i].pesel : "", reg_date(req, h.hits[i].birth_date));
	html_raw(b, "</ul>");
	return 0;
}

/* add_page() is the page adding a member: search, or the form for a chosen person. */
static int add_page(struct req *req, int status, const struct family *f, const struct person *chosen,
		    const char *relation, const char *from, const struct verrs *v)
{
	const char *q = req_query(req, "q");
	struct buf *b;
	int rc;

	page_crumb(req, reg_family_href(req, f->id), family_title(req, f->id));
	page_crumb(req, NULL, _("Add a member"));
	b = page_begin(req, _("Add a member"));
	if (chosen != NULL) {
		add_form(b, req, f, chosen, relation, from, v);
		return page_end(req, status);
	}
	form_errors(b, v);
	html_fmt(b, "<form method=\"get\" action=\"/families/%lld/add\" class=\"form\" role=\"search\">",
		 (long long)f->id);
	field_input(b, "search", "q", _("Find the person in your institution's register"), q, NULL, W_WIDE,
		    _("A surname and a first name, a PESEL or a date of birth."), "off");
	html_raw(b, "<div class=\"actions\">");
	button(b, _("Search"), "primary");
	html_raw(b, "</div></form>");
	if (q != NULL && q[0] != '\0') {
		rc = search_hits(b, req, f, q);
		if (rc != 0)
			return rc;
	}
	html_fmt(b, "<p><a class=\"btn secondary\" href=\"/persons/new?family_id=%lld\">%s</a></p>",
		 (long long)f->id, _("Not registered yet? Register a new person"));
	return page_end(req, status);
}

int h_family_add(struct req *req)
{
	struct family_member m[MAX_MEMBERS];
	struct family f;
	struct person p;
	const char *s = req_query(req, "person_id");
	int64_t pid = 0;
	int n, rc = load(req, &f, m, &n, 1);

	if (rc != 0)
		return rc;
	if (s != NULL && str_to_int64(s, 1, INT64_MAX, &pid) == 0) {
		rc = reg_load_person(req, pid, &p, 1);
		if (rc != 0)
			return rc;
		return add_page(req, 200, &f, &p, NULL, NULL, NULL);
	}
	return add_page(req, 200, &f, NULL, NULL, NULL, NULL);
}

/* move_confirm() asks before moving a person from their current household into f. */
static int move_confirm(struct req *req, const struct family *f, const struct person *p, int64_t from_fid,
			const char *relation, const char *date)
{
	const char *name = reg_name(req, p->first_names, p->surname);
	struct buf *b;

	page_crumb(req, reg_family_href(req, f->id), family_title(req, f->id));
	page_crumb(req, NULL, _("Move a member"));
	b = page_begin(req, _("Move to this household?"));
	html_fmt(b, "<div class=\"confirm\"><p class=\"lead\">%s</p>",
		 arena_printf(req->arena,
			      _("%s is now a member of household no. %lld. Moving them ends that membership "
				"the day before and makes them a member of household no. %lld; both stay "
				"in the history."),
			      name, (long long)from_fid, (long long)f->id));
	form_begin(b, req, arena_printf(req->arena, "/families/%lld/members", (long long)f->id), "inline");
	html_fmt(b, "<input type=\"hidden\" name=\"person_id\" value=\"%lld\">"
		    "<input type=\"hidden\" name=\"relation\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"move\" value=\"1\">",
		 (long long)p->id, relation);
	if (date != NULL && date[0] != '\0')
		html_fmt(b, "<input type=\"hidden\" name=\"member_from\" value=\"%s\">", date);
	button(b, _("Move"), "danger");
	form_end(b);
	html_fmt(b, " <a class=\"btn secondary\" href=\"%s\">%s</a></div>", reg_family_href(req, f->id),
		 _("Cancel"));
	return page_end(req, 200);
}

struct member_in {
	int64_t person_id;
	const char *relation, *from;
	int move;
};

static int read_member(struct req *req, struct member_in *mi, struct verrs *v)
{
	struct input x[NMFIELDS];

	input_read(req, mfields, NMFIELDS, x, v);
	mi->person_id = x[M_PERSON].num;
	mi->relation = x[M_RELATION].text;
	mi->from = x[M_FROM].text[0] != '\0' ? x[M_FROM].text : NULL;
	mi->move = (int)x[M_MOVE].num;
	if (mi->from != NULL && !verrs_has(v, "member_from") && !clock_valid_date(mi->from))
		verrs_add(v, "member_from", "invalid", "%s",
			  _("Member from: give a real date as RRRR-MM-DD."));
	input_order_errors(mfields, NMFIELDS, v);
	return v->n;
}

/* add_member() saves the membership with its audit row; 0, 1 (v), PERSON_NOT_FOUND, -1. */
static int add_member(struct req *req, int64_t fid, const struct member_in *mi, struct verrs *v)
{
	struct registry_writer w;
	int rc;

	reg_writer(req, &w);
	if (tx_begin(req) != 0)
		return -1;
	rc = family_add_member(req->db, req->arena, &w, fid, mi->person_id, mi->relation, mi->from,
			       mi->move, v);
	if (rc == PERSON_NOT_FOUND) {
		tx_end(req, 1);
		return PERSON_NOT_FOUND;
	}
	return tx_audit(req, rc, mi->move ? "family.member_move" : "family.member_add", "family", fid,
			arena_printf(req->arena, "person %lld", (long long)mi->person_id));
}

static int in_household(const struct verrs *v)
{
	int i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->e[i].field, "person_id") == 0 && strcmp(v->e[i].code, "in_household") == 0)
			return 1;
	return 0;
}

int h_family_member_add(struct req *req)
{
	struct family_member m[MAX_MEMBERS];
	struct verrs v = VERRS_INIT;
	struct member_in mi;
	struct family f;
	struct person p;
	int n, rc = load(req, &f, m, &n, 0);

	if (rc != 0)
		return rc;
	read_member(req, &mi, &v);
	if (mi.person_id <= 0)
		return add_page(req, 422, &f, NULL, NULL, NULL, &v);
	rc = reg_load_person(req, mi.person_id, &p, 0);
	if (rc != 0)
		return rc;
	if (v.n > 0)
		return add_page(req, 422, &f, &p, mi.relation, mi.from, &v);
	rc = answered(req, add_member(req, f.id, &mi, &v), "adding a member");
	if (rc == 1 && !mi.move && in_household(&v))
		return move_confirm(req, &f, &p, family_of_person(req->db, p.id), mi.relation, mi.from);
	if (rc == 1)
		return add_page(req, 422, &f, &p, mi.relation, mi.from, &v);
	if (rc != 0)
		return rc;
	return resp_redirect(req, reg_family_href(req, f.id),
			     arena_printf(req->arena, mi.move ? _("Moved %s to this household.")
							      : _("Added %s to the household."),
					  reg_name(req, p.first_names, p.surname)));
}

/* find_member() is the current membership mid of f among m, or NULL. */
static const struct family_member *find_member(const struct family_member *m, int n, int64_t mid)
{
	int i;

	for (i = 0; i < n; i++)
		if (m[i].id == mid)
			return &m[i];
	return NULL;
}

static int no_member(struct req *req)
{
	return resp_error(req, 404, "not_found", _("No such membership"),
			  _("This household has no current member with this number."));
}

int h_family_member_end_confirm(struct req *req)
{
	struct family_member m[MAX_MEMBERS];
	const struct family_member *x;
	struct family f;
	int n, rc = load(req, &f, m, &n, 1);

	if (rc != 0)
		return rc;
	x = find_member(m, n, req_param_int(req, "mid"));
	if (x == NULL || x->member_to != NULL)
		return no_member(req);
	page_crumb(req, reg_family_href(req, f.id), family_title(req, f.id));
	page_crumb(req, NULL, _("End membership"));
	return confirm_page(req, _("End the membership?"),
			    arena_printf(req->arena,
					 _("%s will no longer be a member of this household from today. "
					   "The membership stays in the history."),
					 reg_name(req, x->first_names, x->surname)),
			    arena_printf(req->arena, "/families/%lld/members/%lld/end", (long long)f.id,
					 (long long)x->id),
			    _("End membership"), reg_family_href(req, f.id));
}

/* end_member() ends membership mid of the route's household; 0, or the status already answered. */
static int end_member(struct req *req, struct family *f, const char **name)
{
	struct family_member m[MAX_MEMBERS];
	const struct family_member *x;
	struct registry_writer w;
	int n, rc = load(req, f, m, &n, 0);

	if (rc != 0)
		return rc;
	x = find_member(m, n, req_param_int(req, "mid"));
	if (x == NULL || x->member_to != NULL)
		return no_member(req);
	*name = reg_name(req, x->first_names, x->surname);
	reg_writer(req, &w);
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = family_end_member(req->db, req->arena, &w, x->id, NULL);
	if (rc == PERSON_NOT_FOUND) {
		tx_end(req, 1);
		return no_member(req);
	}
	if (tx_audit(req, rc, "family.member_end", "family", f->id,
		     arena_printf(req->arena, "person %lld", (long long)x->person_id)) != 0)
		return resp_server_error(req, "ending a membership");
	return 0;
}

int h_family_member_end(struct req *req)
{
	struct family f;
	const char *name = NULL;
	int rc;

	if (!str_eq(req_form(req, "confirm"), "1"))
		return h_family_member_end_confirm(req);
	rc = end_member(req, &f, &name);
	if (rc != 0)
		return rc;
	return resp_redirect(req, reg_family_href(req, f.id),
			     arena_printf(req->arena, _("%s is no longer a member of the household."), name));
}

/* ------------------------------------------------------------------ */
/* API                                                                 */
/* ------------------------------------------------------------------ */

static json_t *members_json(const struct family_member *m, int n)
{
	json_t *a = json_array();
	int i;

	for (i = 0; a != NULL && i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:I, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?}", "id",
						   (json_int_t)m[i].id, "person_id", (json_int_t)m[i].person_id,
						   "relation", m[i].relation, "member_from", m[i].member_from,
						   "member_to", m[i].member_to, "first_names", m[i].first_names,
						   "surname", m[i].surname, "birth_date", m[i].birth_date,
						   "pesel", m[i].pesel));
	return a;
}

static json_t *family_json(const struct family *f, const struct family_member *m, int n)
{
	json_t *j = json_pack("{s:I, s:{s:I, s:s?}, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}",
			      "id", (json_int_t)f->id, "applicant", "id", (json_int_t)f->applicant_id, "name",
			      f->applicant_name, "street", f->street, "house_no", f->house_no, "flat_no",
			      f->flat_no, "postcode", f->postcode, "town", f->town, "terc", f->terc,
			      "created_at", f->created_at, "updated_at", f->updated_at);

	if (j == NULL)
		return NULL;
	json_object_set_new(j, "lead_worker",
			    f->lead_worker_id > 0 ? json_pack("{s:I, s:s?}", "id", (json_int_t)f->lead_worker_id,
							      "name", f->lead_worker_name)
						  : json_null());
	json_object_set_new(j, "members", members_json(m, n));
	return j;
}

static int api_reply(struct req *req, int status, int64_t id)
{
	struct family_member m[MAX_MEMBERS];
	struct family f;
	int n, rc = reg_load_family(req, id, &f, m, MAX_MEMBERS, &n, 0);

	return rc != 0 ? rc : resp_json(req, status, family_json(&f, m, n));
}

/* The API's list is the register's (list_respond() answers JSON on /api/). */
int h_api_family_list(struct req *req)
{
	return h_registry_families(req);
}

int h_api_family_create(struct req *req)
{
	struct verrs v = VERRS_INIT;
	struct family f;
	int64_t id = 0;
	int rc = reg_may_work(req, POLICY_FAMILY);

	if (rc != 0)
		return rc;
	memset(&f, 0, sizeof(f));
	if (read_family(req, &f, 1, &v) > 0)
		return resp_api_verrs(req, &v);
	rc = create_family(req, &f, &id, &v);
	if (rc > 0)
		return resp_api_verrs(req, &v);
	if (rc < 0)
		return resp_server_error(req, "creating a household");
	resp_header(req, "location", arena_printf(req->arena, "/api/v1/families/%lld", (long long)id));
	return api_reply(req, 201, id);
}

int h_api_family_get(struct req *req)
{
	struct family_member m[MAX_MEMBERS];
	struct family f;
	int n, rc = load(req, &f, m, &n, 1);

	return rc != 0 ? rc : resp_json(req, 200, family_json(&f, m, n));
}

int h_api_family_update(struct req *req)
{
	struct family_member m[MAX_MEMBERS];
	struct verrs v = VERRS_INIT;
	struct family f;
	int n, rc = load(req, &f, m, &n, 0);

	if (rc != 0)
		return rc;
	/* PUT: the address is replaced as sent; a lead worker left out is kept */
	rc = answered(req, update_family(req, &f, &v), "saving a household");
	if (rc == 1)
		return resp_api_verrs(req, &v);
	if (rc != 0)
		return rc;
	return api_reply(req, 200, f.id);
}

int h_api_family_members(struct req *req)
{
	struct family_member m[MAX_MEMBERS];
	struct family f;
	int n, rc = load(req, &f, m, &n, 1);

	return rc != 0 ? rc : resp_json(req, 200, json_pack("{s:o}", "items", members_json(m, n)));
}

int h_api_family_member_add(struct req *req)
{
	struct family_member m[MAX_MEMBERS];
	struct verrs v = VERRS_INIT;
	struct member_in mi;
	struct family f;
	struct person p;
	int n, rc = load(req, &f, m, &n, 0);

	if (rc != 0)
		return rc;
	if (read_member(req, &mi, &v) > 0)
		return resp_api_verrs(req, &v);
	rc = reg_load_person(req, mi.person_id, &p, 0);
	if (rc != 0)
		return rc;
	rc = answered(req, add_member(req, f.id, &mi, &v), "adding a member");
	if (rc == 1)
		return resp_api_verrs(req, &v);
	if (rc != 0)
		return rc;
	return api_reply(req, 201, f.id);
}

int h_api_family_member_end(struct req *req)
{
	struct family f;
	const char *name = NULL;
	int rc = end_member(req, &f, &name);

	if (rc != 0)
		return rc;
	return api_reply(req, 200, f.id);
}

int h_api_family_history(struct req *req)
{
	struct family_member m[MAX_MEMBERS];
	struct history_row *rows = arena_zalloc(req->arena, sizeof(*rows) * 200);
	struct policy_read rd;
	struct family f;
	int n, rc = load(req, &f, m, &n, 0);

	if (rc != 0)
		return rc;
	if (rows == NULL)
		return resp_oom(req);
	req_policy_read(req, POLICY_FAMILY, PURPOSE_CASEWORK, &rd);
	n = history_read(&rd, 0, f.id, rows, 200);
	if (n == -POLICY_DENIED)
		return resp_denied(req, &rd.decision);
	if (n < 0)
		return resp_server_error(req, "reading the history");
	return resp_json(req, 200, json_pack("{s:o}", "items", reg_history_json(rows, n)));
}

ROUTES(families) = {
	/* the access policy decides who works with households (403 with its reason) */
	{ HTTP_GET, "/families/new", h_family_new, 0, 0 },
	{ HTTP_POST, "/families/new", h_family_create, 0, 0 },
	{ HTTP_GET, "/families/{id:int}", h_family_show, 0, 0 },
	{ HTTP_GET, "/families/{id:int}/edit", h_family_edit, 0, 0 },
	{ HTTP_POST, "/families/{id:int}/edit", h_family_update, 0, 0 },
	{ HTTP_GET, "/families/{id:int}/add", h_family_add, 0, 0 },
	{ HTTP_POST, "/families/{id:int}/members", h_family_member_add, 0, 0 },
	{ HTTP_GET, "/families/{id:int}/members/{mid:int}/end", h_family_member_end_confirm, 0, 0 },
	{ HTTP_POST, "/families/{id:int}/members/{mid:int}/end", h_family_member_end, 0, 0 },
	{ HTTP_GET, "/api/v1/families", h_api_family_list, 0, 0 },
	{ HTTP_POST, "/api/v1/families", h_api_family_create, 0, 0 },
	{ HTTP_GET, "/api/v1/families/{id:int}", h_api_family_get, 0, 0 },
	{ HTTP_PUT, "/api/v1/families/{id:int}", h_api_family_update, 0, 0 },
	{ HTTP_GET, "/api/v1/families/{id:int}/history", h_api_family_history, 0, 0 },
	{ HTTP_GET, "/api/v1/families/{id:int}/members", h_api_family_members, 0, 0 },
	{ HTTP_POST, "/api/v1/families/{id:int}/members", h_api_family_member_add, 0, 0 },
	{ HTTP_DELETE, "/api/v1/families/{id:int}/members/{mid:int}", h_api_family_member_end, 0, 0 },
};
ROUTES_END(families);
