/*
 * persons.c — the persons of the registry: search (/persons), the
 * new-person form with its look-up of likely existing records, the
 * person page with household and history, edit, soft deletion, the
 * printable card; the same as JSON under /api/v1/persons.
 *
 * The look-up before creating works without JavaScript as a first step:
 * a form whose data matches existing records (the same PESEL, or the same
 * folded names and birth date: person_candidates()) answers with those
 * records and a button "to jednak nowa osoba" that posts the same data
 * again with confirm_new=1. With JavaScript (assets/registry.js) the form
 * asks GET /api/v1/persons/candidates while the user types. The API
 * answers 409 possible_duplicate unless "confirm_new": true.
 *
 * Every read goes through person_read(), person_search(), family_read()
 * and history_read() (registry/), which decide under the access policy
 * and record the read; a denial is a 403 page with the policy's reason.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "auth/role.h"
#include "auth/user.h"
#include "core/clock.h"
#include "core/html.h"
#include "core/jsonw.h"
#include "core/str.h"
#include "coop/view.h"
#include "web/consents.h"
#include "web/handlers.h"
#include "web/input.h"
#include "web/page.h"
#include "web/registry_web.h"
#include "web/route.h"
#include "web/episodes.h"
#include "web/links.h"
#include "link/store.h"
#include "web/situation.h"
#include "web/widget.h"

#define SEARCH_PER_PAGE 20
#define MAX_CANDIDATES 10
#define MAX_MEMBERS 50
#define MAX_HISTORY 200

static const char *const sexes[] = { "K", "M", NULL };

enum { P_PESEL, P_DOC_KIND, P_DOC_NUMBER, P_FIRST, P_SURNAME, P_BIRTH_SURNAME, P_SEX, P_BIRTH_DATE,
	P_CITIZENSHIP, P_STREET, P_HOUSE, P_FLAT, P_POSTCODE, P_TOWN, P_TERC, P_CORR, P_PHONE, P_EMAIL,
	P_EDUCATION, P_DISABILITY, P_DIS_FROM, P_DIS_TO, P_LEAD, P_CONFIRM, NFIELDS };

static const struct field fields[NFIELDS] = {
	[P_PESEL] = { "pesel", N_("PESEL"), F_TEXT, 0, 0, 11 },
	[P_DOC_KIND] = { "doc_kind", N_("Identity document"), F_CHOICE, 0, 0, 0, person_doc_kinds },
	[P_DOC_NUMBER] = { "doc_number", N_("Document number"), F_TEXT, 0, 0, 40 },
	[P_FIRST] = { "first_names", N_("First names"), F_TEXT, F_REQUIRED, 0, 200 },
	[P_SURNAME] = { "surname", N_("Surname"), F_TEXT, F_REQUIRED, 0, 200 },
	[P_BIRTH_SURNAME] = { "birth_surname", N_("Family name at birth"), F_TEXT, 0, 0, 200 },
	[P_SEX] = { "sex", N_("Sex"), F_CHOICE, 0, 0, 0, sexes },
	[P_BIRTH_DATE] = { "birth_date", N_("Date of birth"), F_TEXT, 0, 0, 10 },
	[P_CITIZENSHIP] = { "citizenship", N_("Citizenship"), F_TEXT, 0, 0, 2 },
	[P_STREET] = { "street", N_("Street"), F_TEXT, 0, 0, 200 },
	[P_HOUSE] = { "house_no", N_("House number"), F_TEXT, 0, 0, 20 },
	[P_FLAT] = { "flat_no", N_("Flat number"), F_TEXT, 0, 0, 20 },
	[P_POSTCODE] = { "postcode", N_("Postcode"), F_TEXT, 0, 0, 10 },
	[P_TOWN] = { "town", N_("Town"), F_TEXT, 0, 0, 100 },
	[P_TERC] = { "terc", N_("Gmina (TERC code)"), F_TEXT, 0, 0, 7 },
	[P_CORR] = { "corr_address", N_("Correspondence address"), F_TEXT, 0, 0, 300 },
	[P_PHONE] = { "phone", N_("Phone"), F_TEXT, 0, 0, 40 },
	[P_EMAIL] = { "email", N_("E-mail"), F_TEXT, 0, 0, 254 },
	[P_EDUCATION] = { "education", N_("Education"), F_CHOICE, 0, 0, 0, person_educations },
	[P_DISABILITY] = { "disability", N_("Degree of disability"), F_CHOICE, 0, 0, 0, person_disabilities },
	[P_DIS_FROM] = { "disability_from", N_("Disability degree valid from"), F_TEXT, 0, 0, 10 },
	[P_DIS_TO] = { "disability_to", N_("Disability degree valid to"), F_TEXT, 0, 0, 10 },
	[P_LEAD] = { "lead_worker_id", N_("Lead worker"), F_INT, 0, 0, INT64_MAX },
	[P_CONFIRM] = { "confirm_new", N_("A new person after all"), F_BOOL, 0, 0, 1 },
};

/* ------------------------------------------------------------------ */
/* Shared with families.c and worklists.c (registry_web.h)             */
/* ------------------------------------------------------------------ */

void reg_writer(struct req *req, struct registry_writer *w)
{
	struct policy_read rd;

	memset(w, 0, sizeof(*w));
	req_policy_read(req, POLICY_PERSON, PURPOSE_CASEWORK, &rd);
	w->policy = rd.actor;
	req_actor(req, &w->audit);
}

void reg_session_writer(struct req *req, struct registry_writer *w)
{
	memset(w, 0, sizeof(*w));
	if (req->sess != NULL) {
		w->policy.user_id = req->sess->user_id;
		w->policy.roles = req->sess->roles;
		w->policy.institution_id = req->sess->institution_id;
	}
	req_actor(req, &w->audit);
}

int reg_not_found(struct req *req)
{
	return resp_error(req, 404, "not_found", _("Not found"),
			  _("There is no such record, or it is not one of your institution's."));
}

/* decide_own() asks the policy about the records of kind of the user's own institution. */
static int decide_own(struct req *req, enum policy_kind kind, struct policy_read *rd)
{
	struct policy_subject s = { kind, 0, 0, 0 };

	req_policy_read(req, kind, PURPOSE_CASEWORK, rd);
	s.institution_id = rd->actor.institution_id;
	return policy_decide(&rd->actor, &s, rd->purpose, &rd->decision);
}

int reg_may_work(struct req *req, enum policy_kind kind)
{
	struct policy_read rd;

	if (decide_own(req, kind, &rd) != 0) {
		/* a refusal to work with personal data is audited like a refused read */
		if (policy_record_denied(&rd, 0) != 0)
			return resp_server_error(req, "recording a refusal");
		return resp_denied(req, &rd.decision);
	}
	return 0;
}

int reg_may_see(struct req *req, enum policy_kind kind)
{
	struct policy_read rd;

	return req->sess != NULL && decide_own(req, kind, &rd) == 0;
}

/* person_answer() answers a person read that did not return the record (rc of person_read()). */
static int person_answer(struct req *req, struct policy_read *rd, int rc, const struct person *p)
{
	if (rc == POLICY_DENIED)
		return resp_denied(req, &rd->decision);
	if (rc < 0)
		return resp_server_error(req, "reading a person");
	if (rc == POLICY_NOT_FOUND || p->deleted)
		return resp_error(req, 404, "not_found", _("No such person"),
				  _("There is no person with this number in the register of your "
				    "institution."));
	return 0;
}

/*
 * load_view() reads person id as the user may see it: one's own record
 * whole, a partner's as the sharing rule's view (coop/view.h) — one
 * decision, one audit row.
 */
static int load_view(struct req *req, int64_t id, struct coop_view *v)
{
	struct policy_read rd;

	req_policy_read(req, POLICY_PERSON, PURPOSE_CASEWORK, &rd);
	rd.coop_purpose = consent_view_purpose(req);
	return person_answer(req, &rd, coop_view_read(&rd, id, v), &v->person);
}

int reg_load_person(struct req *req, int64_t id, struct person *p, int audited)
{
	struct policy_read rd;
	struct audit_reads none = AUDIT_READS_INIT;
	int rc;

	req_policy_read(req, POLICY_PERSON, PURPOSE_CASEWORK, &rd);
	rd.coop_purpose = consent_view_purpose(req); /* a partner's record: the sharing rule's purpose */
	if (!audited)
		rd.log = &none;
	memset(p, 0, sizeof(*p));
	rc = person_read(&rd, id, p);
	return person_answer(req, &rd, rc, p);
}

int reg_load_family(struct req *req, int64_t id, struct family *f, struct family_member *m, int max,
		    int *nm, int audited)
{
	struct policy_read rd;
	struct audit_reads none = AUDIT_READS_INIT;
	int rc;

	req_policy_read(req, POLICY_FAMILY, PURPOSE_CASEWORK, &rd);
	if (!audited)
		rd.log = &none;
	memset(f, 0, sizeof(*f));
	*nm = 0;
	rc = family_read(&rd, id, f, m, max, nm);
	if (rc == POLICY_DENIED)
		return resp_denied(req, &rd.decision);
	if (rc < 0)
		return resp_server_error(req, "reading a household");
	if (rc == POLICY_NOT_FOUND || f->deleted)
		return resp_error(req, 404, "not_found", _("No such household"),
				  _("There is no household with this number in the register of your "
				    "institution."));
	return 0;
}

const char *reg_date(struct req *req, const char *ymd)
{
	char out[16];

	if (ymd == NULL || ymd[0] == '\0')
		return "";
	clock_show_date(ymd, req->lang, out);
	return arena_strdup(req->arena, out);
}

const char *reg_name(struct req *req, const char *first, const char *surname)
{
	if (first == NULL && surname == NULL)
		return "—";
	return arena_printf(req->arena, "%s%s%s", first != NULL ? first : "",
			    first != NULL && surname != NULL ? " " : "", surname != NULL ? surname : "");
}

const char *reg_person_href(struct req *req, int64_t id)
{
	return arena_printf(req->arena, "/persons/%lld", (long long)id);
}

const char *reg_family_href(struct req *req, int64_t id)
{
	return arena_printf(req->arena, "/families/%lld", (long long)id);
}

void reg_lead_select(struct buf *b, struct req *req, int64_t selected, const char *selected_name,
		     const struct verrs *v)
{
	struct user_option *users;
	struct option *opts;
	char sel[24];
	int n = user_colleagues(req->db, req->arena, req->sess->institution_id, 500, &users), i, found = 0;

	if (n < 0)
		n = 0;
	opts = arena_zalloc(req->arena, sizeof(*opts) * (size_t)(n + 2));
	if (opts == NULL)
		return;
	for (i = 0; i < n; i++) {
		opts[i].value = arena_printf(req->arena, "%lld", (long long)users[i].id);
		opts[i].label = users[i].full_name;
		found |= users[i].id == selected;
	}
	/* a lead worker no longer active stays chosen until someone picks another */
	if (!found && selected > 0) {
		opts[n].value = arena_printf(req->arena, "%lld", (long long)selected);
		opts[n].label = selected_name != NULL ? selected_name : opts[n].value;
		n++;
	}
	snprintf(sel, sizeof(sel), "%lld", (long long)selected);
	field_select(b, "lead_worker_id", _("Lead worker"), opts, n, sel, NULL, v, 0,
		     _("The worker of your institution who leads the case."));
}

/* ------------------------------------------------------------------ */
/* Labels                                                              */
/* ------------------------------------------------------------------ */

const char *reg_sex_label(const char *code)
{
	if (str_eq(code, "K"))
		return _("female");
	if (str_eq(code, "M"))
		return _("male");
	return code;
}

/* A code and its (untranslated) label, in the small tables below. */
struct code_label {
	const char *code, *label;
};

/* label_in() is the translated label of code in t[0..n), else code itself ("" for NULL). */
static const char *label_in(const struct code_label *t, size_t n, const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < n; i++)
		if (strcmp(t[i].code, code) == 0)
			return _(t[i].label);
	return code != NULL ? code : "";
}

/* matched_label() names the field a search hit matched on. */
static const char *matched_label(const char *m)
{
	static const struct code_label t[] = {
		{ "pesel", N_("PESEL") }, { "surname", N_("surname") }, { "first_names", N_("first name") },
		{ "birth_date", N_("date of birth") }, { "town", N_("town") }, { "street", N_("street") },
		{ "name", N_("first name and surname") },
	};

	return label_in(t, sizeof(t) / sizeof(t[0]), m);
}

/* field_label() is a history row's field as the form names it. */
static const char *field_label(const char *name)
{
	static const struct code_label extra[] = {
		{ "relation", N_("Relation to the applicant") }, { "member_from", N_("Member from") },
		{ "member_to", N_("Member to") }, { "applicant_id", N_("Applicant") },
		{ "family_id", N_("Household") }, { "person_id", N_("Person") },
	};
	size_t i;

	if (name == NULL)
		return "";
	for (i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].name, name) == 0)
			return _(fields[i].label);
	return label_in(extra, sizeof(extra) / sizeof(extra[0]), name);
}

static const char *entity_label(const char *e)
{
	static const struct code_label t[] = {
		{ "person", N_("person") }, { "family", N_("household") }, { "member", N_("membership") },
		{ "reason", N_("reason for assistance") }, { "status", N_("labour-market status") },
		{ "benefit", N_("benefit") }, { "interview", N_("community interview") },
		{ "episode", N_("support episode") },
	};

	return label_in(t, sizeof(t) / sizeof(t[0]), e);
}

static const char *change_label(const char *c)
{
	static const struct code_label t[] = {
		{ "create", N_("created") }, { "update", N_("changed") }, { "delete", N_("deleted") },
		{ "move", N_("moved") }, { "anonymise", N_("anonymised") },
	};

	return label_in(t, sizeof(t) / sizeof(t[0]), c);
}

/* ------------------------------------------------------------------ */
/* Reading input                                                       */
/* ------------------------------------------------------------------ */

/*
 * read_person() reads the fields into p (and confirm_new into *confirm
 * when it is not NULL), validates with person_validate() and orders the
 * errors as the form. A lead worker left out keeps p's (the creator for
 * a new person). Returns the number of errors.
 */
static int read_person(struct req *req, struct person *p, int *confirm, struct verrs *v)
{
	struct input x[NFIELDS];
	int n = confirm != NULL ? NFIELDS : NFIELDS - 1;

	input_read(req, fields, n, x, v);
	p->pesel = x[P_PESEL].text;
	p->doc_kind = x[P_DOC_KIND].text;
	p->doc_number = x[P_DOC_NUMBER].text;
	p->first_names = x[P_FIRST].text;
	p->surname = x[P_SURNAME].text;
	p->birth_surname = x[P_BIRTH_SURNAME].text;
	p->sex = x[P_SEX].text;
	p->birth_date = x[P_BIRTH_DATE].text;
	p->citizenship = x[P_CITIZENSHIP].text;
	p->street = x[P_STREET].text;
	p->house_no = x[P_HOUSE].text;
	p->flat_no = x[P_FLAT].text;
	p->postcode = x[P_POSTCODE].text;
	p->town = x[P_TOWN].text;
	p->terc = x[P_TERC].text;
	p->corr_address = x[P_CORR].text;
	p->phone = x[P_PHONE].text;
	p->email = x[P_EMAIL].text;
	p->education = x[P_EDUCATION].text;
	p->disability = x[P_DISABILITY].text;
	p->disability_from = x[P_DIS_FROM].text;
	p->disability_to = x[P_DIS_TO].text;
	if (x[P_LEAD].present && x[P_LEAD].num > 0)
		p->lead_worker_id = x[P_LEAD].num;
	if (confirm != NULL)
		*confirm = (int)x[P_CONFIRM].num;
	person_validate(p, req->arena, v); /* all fields at once; one error per field */
	input_order_errors(fields, NFIELDS, v);
	return v->n;
}

/* value_of() is field i of p as text (for hidden fields and the form). */
static const char *value_of(struct req *req, const struct person *p, int i)
{
	switch (i) {
	case P_PESEL: return p->pesel;
	case P_DOC_KIND: return p->doc_kind;
	case P_DOC_NUMBER: return p->doc_number;
	case P_FIRST: return p->first_names;
	case P_SURNAME: return p->surname;
	case P_BIRTH_SURNAME: return p->birth_surname;
	case P_SEX: return p->sex;
	case P_BIRTH_DATE: return p->birth_date;
	case P_CITIZENSHIP: return p->citizenship;
	case P_STREET: return p->street;
	case P_HOUSE: return p->house_no;
	case P_FLAT: return p->flat_no;
	case P_POSTCODE: return p->postcode;
	case P_TOWN: return p->town;
	case P_TERC: return p->terc;
	case P_CORR: return p->corr_address;
	case P_PHONE: return p->phone;
	case P_EMAIL: return p->email;
	case P_EDUCATION: return p->education;
	case P_DISABILITY: return p->disability;
	case P_DIS_FROM: return p->disability_from;
	case P_DIS_TO: return p->disability_to;
	case P_LEAD:
		return p->lead_worker_id > 0 ? arena_printf(req->arena, "%lld", (long long)p->lead_worker_id)
					     : NULL;
	default: return NULL;
	}
}

/* ------------------------------------------------------------------ */
/* The form                                                            */
/* ------------------------------------------------------------------ */

/* choice_select() writes a select of codes with their labels. */
static void choice_select(struct buf *b, const char *name, const char *label,
			  const char *const *codes, const char *(*label_of)(const char *),
			  const char *selected, const struct verrs *v, const char *hint)
{
	struct option opts[16];
	int n;

	for (n = 0; codes[n] != NULL && n < 16; n++) {
		opts[n].value = codes[n];
		opts[n].label = label_of(codes[n]);
	}
	field_select(b, name, label, opts, n, selected, _("— not given —"), v, 0, hint);
}

/* family_hidden() carries the household a new person is being added to, if any. */
static int64_t family_hidden(struct req *req)
{
	const char *s = req->method == HTTP_GET ? req_query(req, "family_id") : req_form(req, "family_id");
	int64_t id = 0;

	if (s == NULL || str_to_int64(s, 1, INT64_MAX, &id) != 0)
		return 0;
	return id;
}

static void person_fields(struct buf *b, struct req *req, const struct person *p, const struct verrs *v)
{
	html_fmt(b, "<fieldset><legend>%s</legend>", _("Identity"));
	field_input(b, "text", "pesel", _("PESEL"), p->pesel, v, W_NARROW,
		    _("11 digits. The date of birth and sex are taken from it when left empty."), "off");
	field_input(b, "text", "first_names", _("First names"), p->first_names, v, W_REQUIRED, NULL, "off");
	field_input(b, "text", "surname", _("Surname"), p->surname, v, W_REQUIRED, NULL, "off");
	field_input(b, "text", "birth_surname", _("Family name at birth"), p->birth_surname, v, 0, NULL,
		    "off");
	field_input(b, "text", "birth_date", _("Date of birth"), p->birth_date, v, W_NARROW,
		    _("As RRRR-MM-DD, e.g. 1980-05-17."), "off");
	choice_select(b, "sex", _("Sex"), sexes, reg_sex_label, p->sex, v, NULL);
	field_input(b, "text", "citizenship", _("Citizenship"), p->citizenship, v, W_NARROW,
		    _("Two-letter country code, e.g. PL."), "off");
	html_fmt(b, "<p class=\"hint\">%s</p>",
		 _("Without a PESEL give an identity document (its kind and number) or at least the "
		   "date of birth."));
	choice_select(b, "doc_kind", _("Identity document"), person_doc_kinds, person_doc_kind_label,
		      p->doc_kind, v, NULL);
	field_input(b, "text", "doc_number", _("Document number"), p->doc_number, v, W_NARROW, NULL, "off");
	html_fmt(b, "</fieldset><fieldset><legend>%s</legend>", _("Address"));
	field_input(b, "text", "street", _("Street"), p->street, v, 0, NULL, "off");
	field_input(b, "text", "house_no", _("House number"), p->house_no, v, W_NARROW, NULL, "off");
	field_input(b, "text", "flat_no", _("Flat number"), p->flat_no, v, W_NARROW, NULL, "off");
	field_input(b, "text", "postcode", _("Postcode"), p->postcode, v, W_NARROW,
		    _("As NN-NNN, e.g. 99-300."), "off");
	field_input(b, "text", "town", _("Town"), p->town, v, 0, NULL, "off");
	field_input(b, "text", "terc", _("Gmina (TERC code)"), p->terc, v, W_NARROW,
		    _("The 7-digit TERC code of the gmina."), "off");
	field_input(b, "text", "corr_address", _("Correspondence address"), p->corr_address, v, W_WIDE,
		    _("Only when different from the address above."), "off");
	html_fmt(b, "</fieldset><fieldset><legend>%s</legend>", _("Contact"));
	field_input(b, "tel", "phone", _("Phone"), p->phone, v, 0, NULL, "off");
	field_input(b, "email", "email", _("E-mail"), p->email, v, 0, NULL, "off");
	html_fmt(b, "</fieldset><fieldset><legend>%s</legend>", _("Education and disability"));
	choice_select(b, "education", _("Education"), person_educations, person_education_label,
		      p->education, v, NULL);
	choice_select(b, "disability", _("Degree of disability"), person_disabilities,
		      person_disability_label, p->disability, v, NULL);
	field_input(b, "text", "disability_from", _("Disability degree valid from"), p->disability_from, v,
		    W_NARROW, _("As RRRR-MM-DD."), "off");
	field_input(b, "text", "disability_to", _("Disability degree valid to"), p->disability_to, v,
		    W_NARROW, _("As RRRR-MM-DD; empty when permanent."), "off");
	html_fmt(b, "</fieldset><fieldset><legend>%s</legend>", _("Case"));
	reg_lead_select(b, req, p->lead_worker_id != 0 ? p->lead_worker_id : req->sess->user_id,
			p->lead_worker_id != 0 ? p->lead_worker_name : req->sess->full_name, v);
	html_raw(b, "</fieldset>");
}

static int form_page(struct req *req, int status, const struct person *p, const struct verrs *v)
{
	const char *title = p->id == 0 ? _("New person") : _("Edit person");
	const char *action = p->id == 0 ? "/persons/new"
					: arena_printf(req->arena, "/persons/%lld/edit", (long long)p->id);
	int64_t fam = p->id == 0 ? family_hidden(req) : 0;
	struct buf *b;

	page_crumb(req, "/persons", _("Persons"));
	if (p->id != 0)
		page_crumb(req, reg_person_href(req, p->id), reg_name(req, p->first_names, p->surname));
	page_crumb(req, NULL, title);
	b = page_begin(req, title);
	form_errors(b, v);
	if (p->id == 0)
		html_fmt(b, "<p class=\"lead\">%s</p>",
			 _("Before saving, razem looks for persons of your institution with the same "
			   "PESEL, or with the same names and date of birth, so that nobody is "
			   "registered twice."));
	form_begin(b, req, action, p->id == 0 ? "form person-form" : "form");
	if (fam > 0)
		html_fmt(b, "<input type=\"hidden\" name=\"family_id\" value=\"%lld\">", (long long)fam);
	/* the live look-up (assets/registry.js) writes what it finds here */
	if (p->id == 0)
		html_fmt(b, "<div id=\"candidates\" class=\"candidates\" aria-live=\"polite\" "
			    "data-lookup=\"/api/v1/persons/candidates\" data-title=\"%s\" data-open=\"%s\"></div>",
			 _("Possibly already registered:"), _("open"));
	person_fields(b, req, p, v);
	html_raw(b, "<div class=\"actions\">");
	button(b, _("Save"), "primary");
	html_fmt(b, " <a class=\"btn secondary\" href=\"%s\">%s</a></div>",
		 p->id == 0 ? (fam > 0 ? reg_family_href(req, fam) : "/persons") : reg_person_href(req, p->id),
		 _("Cancel"));
	form_end(b);
	if (p->id == 0)
		html_fmt(b, "<script src=\"%s\" defer></script>", asset_url("registry.js"));
	return page_end(req, status);
}

/* prefill() takes the search terms a "not found" page carried over into a new form. */
static void prefill(struct req *req, struct person *p)
{
	static const char *const keys[] = { "pesel", "first_names", "surname", "birth_date", "town" };
	const char **dst[] = { &p->pesel, &p->first_names, &p->surname, &p->birth_date, &p->town };
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *s = req_query(req, keys[i]);

		/* shown back in the form only: validated when the form is sent */
		if (s != NULL && utf8_valid(s, strlen(s)) && utf8_length(s) <= 200)
			*dst[i] = s;
	}
}

int h_person_new(struct req *req)
{
	struct person p;
	int rc = reg_may_work(req, POLICY_PERSON);

	if (rc != 0)
		return rc;
	memset(&p, 0, sizeof(p));
	p.citizenship = "PL";
	prefill(req, &p);
	return form_page(req, 200, &p, NULL);
}

/* ------------------------------------------------------------------ */
/* Duplicate look-up                                                   */
/* ------------------------------------------------------------------ */

/*
 * find_candidates() looks up the records p may duplicate and records in
 * the read log that they were shown (their names and birth dates are
 * disclosed by the answer: person_record_candidates()). Returns the count
 * or -1.
 */
static int find_candidates(struct req *req, struct person *p, struct person_candidate *c, int max)
{
	struct policy_read rd;
	int n;

	req_policy_read(req, POLICY_PERSON, PURPOSE_CASEWORK, &rd);
	p->institution_id = req->sess->institution_id;
	n = person_candidates(req->db, req->arena, p, c, max);
	if (n < 0 || person_record_candidates(&rd, c, n) != 0)
		return -1;
	return n;
}

static const char *why_label(const char *why)
{
	if (str_eq(why, "pesel"))
		return _("the same PESEL");
	if (str_eq(why, "name_birth"))
		return _("the same first name, surname and date of birth");
	return why != NULL ? why : "";
}

/* hidden_person() writes every field of p as a hidden input (the confirm step). */
static void hidden_person(struct buf *b, struct req *req, const struct person *p)
{
	int i;

	for (i = 0; i < P_CONFIRM; i++) {
		const char *val = value_of(req, p, i);

		if (val != NULL && val[0] != '\0')
			html_fmt(b, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", fields[i].name, val);
	}
}

/*
 * candidates_page() is the first step of a create that found likely
 * existing records: the records with links, and the same data ready to
 * post again as a new person after all, or to correct.
 */
static int candidates_page(struct req *req, const struct person *p, const struct person_candidate *c,
			   int n)
{
	int64_t fam = family_hidden(req);
	struct buf *b;
	int i;

	page_crumb(req, "/persons", _("Persons"));
	page_crumb(req, NULL, _("New person"));
	b = page_begin(req, _("Is this person already registered?"));
	html_fmt(b, "<p class=\"lead\">%s</p>",
		 i18n_ngettext("Your institution already holds a person who may be the one you are "
			       "registering. Open the record to check it before creating a new one.",
			       "Your institution already holds persons who may be the one you are "
			       "registering. Open the records to check them before creating a new one.",
			       (unsigned long)n));
	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list candidates-found\"><caption class=\"sr\">%s"
		    "</caption><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s"
		    "</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		 _("Possibly the same person"), _("Person"), _("PESEL"), _("Date of birth"), _("Town"),
		 _("Matches by"));
	for (i = 0; i < n; i++)
		html_fmt(b, "<tr><th scope=\"row\"><a href=\"%s\">%s</a> <span class=\"sub\">%s</span></th>"
			    "<td class=\"nowrap\">%s</td><td class=\"nowrap\">%s</td><td>%s</td><td>%s</td></tr>",
			 reg_person_href(req, c[i].id), reg_name(req, c[i].first_names, c[i].surname),
			 _("open"), c[i].pesel != NULL ? c[i].pesel : "—", reg_date(req, c[i].birth_date),
			 c[i].town != NULL ? c[i].town : "", why_label(c[i].why));
	html_raw(b, "</tbody></table></div>");
	html_fmt(b, "<h2>%s</h2><p>%s</p>", reg_name(req, p->first_names, p->surname),
		 _("If none of them is this person, register them as a new person. Registering the same "
		   "person twice splits their case between two records."));
	form_begin(b, req, "/persons/new", "inline");
	hidden_person(b, req, p);
	if (fam > 0)
		html_fmt(b, "<input type=\"hidden\" name=\"family_id\" value=\"%lld\">", (long long)fam);
	html_raw(b, "<input type=\"hidden\" name=\"confirm_new\" value=\"1\">");
	button(b, _("This is a new person after all"), "primary");
	form_end(b);
	html_raw(b, " ");
	form_begin(b, req, "/persons/new", "inline");
	hidden_person(b, req, p);
	if (fam > 0)
		html_fmt(b, "<input type=\"hidden\" name=\"family_id\" value=\"%lld\">", (long long)fam);
	html_raw(b, "<input type=\"hidden\" name=\"correct\" value=\"1\">");
	button(b, _("Correct the data"), "secondary");
	form_end(b);
	return page_end(req, 200);
}

static json_t *candidates_json(const struct person_candidate *c, int n)
{
	json_t *a = json_array();
	int i;

	for (i = 0; a != NULL && i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "id",
						   (json_int_t)c[i].id, "first_names", c[i].first_names,
						   "surname", c[i].surname, "birth_date", c[i].birth_date,
						   "pesel", c[i].pesel, "town", c[i].town, "why", c[i].why));
	return a;
}

/* h_api_person_candidates() is the live look-up of the new-person form. */
int h_api_person_candidates(struct req *req)
{
	struct person_candidate c[MAX_CANDIDATES];
	struct person p;
	int rc = reg_may_work(req, POLICY_PERSON), n;

	if (rc != 0)
		return rc;
	memset(&p, 0, sizeof(p));
	p.pesel = req_query(req, "pesel");
	p.first_names = req_query(req, "first_names");
	p.surname = req_query(req, "surname");
	p.birth_date = req_query(req, "birth_date");
	if (p.pesel != NULL && (strlen(p.pesel) != 11 || strspn(p.pesel, "0123456789") != 11))
		p.pesel = NULL; /* only a whole PESEL is looked up */
	if (p.birth_date != NULL && !clock_valid_date(p.birth_date))
		p.birth_date = NULL;
	if ((p.first_names != NULL && utf8_length(p.first_names) > 200) ||
	    (p.surname != NULL && utf8_length(p.surname) > 200) ||
	    (p.first_names != NULL && !utf8_valid(p.first_names, strlen(p.first_names))) ||
	    (p.surname != NULL && !utf8_valid(p.surname, strlen(p.surname))))
		return resp_api_error(req, 400, "invalid_parameter", _("The names are too long or not text."),
				      "surname");
	if (p.pesel == NULL && (str_empty(p.surname) || str_empty(p.first_names) || p.birth_date == NULL))
		return resp_json(req, 200, json_pack("{s:[]}", "items"));
	n = find_candidates(req, &p, c, MAX_CANDIDATES);
	if (n < 0)
		return resp_server_error(req, "looking up candidates");
	return resp_json(req, 200, json_pack("{s:o}", "items", candidates_json(c, n)));
}

/* ------------------------------------------------------------------ */
/* Create                                                              */
/* ------------------------------------------------------------------ */

/* create_person() saves p with its audit row; 0 with p->id set, 1 refused (v), -1. */
static int create_person(struct req *req, struct person *p, struct verrs *v)
{
	struct registry_writer w;
	int rc;

	reg_writer(req, &w);
	p->institution_id = req->sess->institution_id;
	if (p->lead_worker_id == 0)
		p->lead_worker_id = req->sess->user_id;
	if (tx_begin(req) != 0)
		return -1;
	rc = person_create(req->db, req->arena, &w, p, &p->id, v);
	if (rc == 0) /* the new record linked against the register (link/store.h) */
		rc = link_store_one(req->db, p->id, NULL, NULL) != 0 ? -1 : 0;
	/* no name in the audit row: the audit log is read by administrators, not caseworkers */
	return tx_audit(req, rc, "person.create", "person", p->id, NULL);
}

int h_person_create(struct req *req)
{
	struct person_candidate c[MAX_CANDIDATES];
	struct verrs v = VERRS_INIT;
	struct person p;
	int confirm = 0, rc = reg_may_work(req, POLICY_PERSON), n;
	int64_t fam;

	if (rc != 0)
		return rc;
	memset(&p, 0, sizeof(p));
	if (read_person(req, &p, &confirm, &v) > 0)
		return form_page(req, 422, &p, &v);
	if (str_eq(req_form(req, "correct"), "1"))
		return form_page(req, 200, &p, NULL);
	if (!confirm) {
		n = find_candidates(req, &p, c, MAX_CANDIDATES);
		if (n < 0)
			return resp_server_error(req, "looking up candidates");
		if (n > 0)
			return candidates_page(req, &p, c, n);
	}
	rc = create_person(req, &p, &v);
	if (rc > 0)
		return form_page(req, 422, &p, &v);
	if (rc < 0)
		return resp_server_error(req, "creating a person");
	fam = family_hidden(req);
	if (fam > 0)
		return resp_redirect(req, arena_printf(req->arena, "/families/%lld/add?person_id=%lld",
						       (long long)fam, (long long)p.id),
				     arena_printf(req->arena, _("Registered %s."),
						  reg_name(req, p.first_names, p.surname)));
	return resp_redirect(req, reg_person_href(req, p.id),
			     arena_printf(req->arena, _("Registered %s."),
					  reg_name(req, p.first_names, p.surname)));
}

/* ------------------------------------------------------------------ */
/* Search                                                              */
/* ------------------------------------------------------------------ */

/* read_query() takes the search fields from the query string; errors name them. */
static void read_query(struct req *req, struct person_query *q, struct verrs *v)
{
	static const struct { const char *name, *label; size_t max; } f[] = {
		{ "q", N_("Search"), 200 }, { "pesel", N_("PESEL"), 11 },
		{ "birth_date", N_("Date of birth"), 10 }, { "town", N_("Town or street"), 100 },
	};
	const char *val[4];
	size_t i;

	memset(q, 0, sizeof(*q));
	for (i = 0; i < 4; i++) {
		char *s = arena_strdup(req->arena, req_query(req, f[i].name) != NULL ? req_query(req, f[i].name) : "");

		if (s == NULL)
			return;
		str_trim(s);
		val[i] = s[0] != '\0' ? s : NULL;
		if (val[i] == NULL)
			continue;
		if (!utf8_valid(s, strlen(s)) || utf8_has_hidden(s, 0))
			verrs_add(v, f[i].name, "invalid", _("%s: the text contains invalid characters."),
				  _(f[i].label));
		else if (utf8_length(s) > f[i].max)
			verrs_add(v, f[i].name, "too_long", _("%s: at most %lld characters (you gave %zu)."),
				  _(f[i].label), (long long)f[i].max, utf8_length(s));
	}
	q->q = val[0];
	q->pesel = val[1];
	q->birth_date = val[2];
	q->town = val[3];
	if (q->pesel != NULL && !verrs_has(v, "pesel") && strspn(q->pesel, "0123456789") != strlen(q->pesel))
		verrs_add(v, "pesel", "invalid", "%s", _("PESEL: digits only."));
	if (q->birth_date != NULL && !verrs_has(v, "birth_date") && !clock_valid_date(q->birth_date))
		verrs_add(v, "birth_date", "invalid", "%s",
			  _("Date of birth: give a real date as RRRR-MM-DD."));
	q->limit = SEARCH_PER_PAGE;
}

static int query_given(const struct person_query *q)
{
	return q->q != NULL || q->pesel != NULL || q->birth_date != NULL || q->town != NULL;
}

static void search_form(struct buf *b, const struct person_query *q, const struct verrs *v)
{
	form_errors(b, v);
	html_fmt(b, "<form method=\"get\" action=\"/persons\" class=\"form search-form\" role=\"search\">");
	field_input(b, "search", "q", _("Search"), q->q, v, W_WIDE,
		    _("A surname or its beginning and a first name (\"kowal anna\"), a PESEL or a date of "
		      "birth. Letters with or without Polish marks, in any case."),
		    "off");
	field_input(b, "text", "pesel", _("PESEL"), q->pesel, v, W_NARROW, NULL, "off");
	field_input(b, "text", "birth_date", _("Date of birth"), q->birth_date, v, W_NARROW,
		    _("As RRRR-MM-DD."), "off");
	field_input(b, "text", "town", _("Town or street"), q->town, v, 0, NULL, "off");
	html_raw(b, "<div class=\"actions\">");
	button(b, _("Search"), "primary");
	html_raw(b, "</div></form>");
}

/* new_link() is the "add a new person" address carrying what was searched for. */
static const char *new_link(struct req *req, const struct person_query *q)
{
	struct buf u = BUF_INIT(2048);
	const char *out;

	buf_adds(&u, "/persons/new?");
	if (q->pesel != NULL) {
		buf_adds(&u, "pesel=");
		url_encode(&u, q->pesel);
		buf_adds(&u, "&");
	}
	if (q->birth_date != NULL) {
		buf_adds(&u, "birth_date=");
		url_encode(&u, q->birth_date);
		buf_adds(&u, "&");
	}
	if (q->q != NULL && strspn(q->q, "0123456789-") != strlen(q->q)) {
		/* "kowalska anna": the surname first, as the hint asks */
		const char *sp = strchr(q->q, ' ');

		buf_adds(&u, "surname=");
		if (sp != NULL) {
			char *sur = arena_strndup(req->arena, q->q, (size_t)(sp - q->q));

			url_encode(&u, sur != NULL ? sur : "");
			buf_adds(&u, "&first_names=");
			url_encode(&u, sp + 1);
		} else {
			url_encode(&u, q->q);
		}
	}
	out = arena_strdup(req->arena, buf_str(&u));
	buf_release(&u);
	return out != NULL ? out : "/persons/new";
}

static void hits_table(struct buf *b, struct req *req, const struct person_hits *h)
{
	int i;

	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list\"><caption class=\"sr\">%s</caption>"
		    "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		 _("Persons found"), _("Person"), _("PESEL"), _("Date of birth"), _("Address"), _("Matched"));
	for (i = 0; i < h->n; i++) {
		const struct person_hit *x = &h->hits[i];

		html_fmt(b, "<tr><th scope=\"row\"><a href=\"%s\">%s</a></th><td class=\"nowrap\">%s</td>"
			    "<td class=\"nowrap\">%s</td><td>%s%s%s</td><td>%s%s</td></tr>",
			 reg_person_href(req, x->id), reg_name(req, x->first_names, x->surname),
			 x->pesel != NULL ? x->pesel : "—", reg_date(req, x->birth_date),
			 x->street != NULL ? x->street : "", x->street != NULL && x->town != NULL ? ", " : "",
			 x->town != NULL ? x->town : "", matched_label(x->matched),
			 x->rank == 0 ? _(" (exact)") : "");
	}
	html_raw(b, "</tbody></table></div>");
}

static void search_pager(struct buf *b, struct req *req, int64_t page, int64_t total)
{
	int64_t pages = (total + SEARCH_PER_PAGE - 1) / SEARCH_PER_PAGE;
	char num[24];

	if (pages <= 1)
		return;
	html_fmt(b, "<nav class=\"pager\" aria-label=\"%s\">", _("Pages"));
	if (page > 1) {
		snprintf(num, sizeof(num), "%lld", (long long)(page - 1));
		html_fmt(b, "<a href=\"%s\" rel=\"prev\">%s</a> ", req_url_with(req, "page", num),
			 _("« Previous"));
	}
	html_raw(b, "<span>");
	html_fmt(b, _("Page %lld of %lld"), (long long)page, (long long)pages);
	html_raw(b, "</span>");
	if (page < pages) {
		snprintf(num, sizeof(num), "%lld", (long long)(page + 1));
		html_fmt(b, " <a href=\"%s\" rel=\"next\">%s</a>", req_url_with(req, "page", num),
			 _("Next »"));
	}
	html_raw(b, "</nav>");
}

/* search() runs q under the policy; 0 with *h filled, or the status already answered. */
static int search(struct req *req, const struct person_query *q, struct person_hits *h)
{
	struct policy_read rd;
	int rc;

	req_policy_read(req, POLICY_PERSON, PURPOSE_CASEWORK, &rd);
	rd.query = arena_printf(req->arena, "q=%s pesel=%s birth_date=%s town=%s", q->q ? q->q : "",
				q->pesel ? q->pesel : "", q->birth_date ? q->birth_date : "",
				q->town ? q->town : "");
	memset(h, 0, sizeof(*h));
	rc = person_search(&rd, q, h);
	if (rc == POLICY_DENIED)
		return resp_denied(req, &rd.decision);
	if (rc != 0)
		return resp_server_error(req, "searching persons");
	return 0;
}

int h_person_search(struct req *req)
{
	struct verrs v = VERRS_INIT;
	struct person_query q;
	struct person_hits h;
	int64_t page = 1;
	const char *ps = req_query(req, "page");
	struct buf *b;
	int rc = reg_may_work(req, POLICY_PERSON);

	if (rc != 0)
		return rc;
	read_query(req, &q, &v);
	if (ps != NULL && str_to_int64(ps, 1, 1000000, &page) != 0)
		verrs_add(&v, "page", "invalid", "%s", _("Page: a whole number from 1."));
	page_crumb(req, NULL, _("Persons"));
	if (v.n > 0 || !query_given(&q)) {
		b = page_begin(req, _("Persons"));
		html_fmt(b, "<p class=\"page-actions\"><a class=\"btn primary\" href=\"/persons/new\">%s</a> "
			    "<a class=\"btn secondary\" href=\"/my\">%s</a> <a class=\"btn secondary\" "
			    "href=\"/registry\">%s</a></p>",
			 _("Add a new person"), _("My cases"), _("Register of persons"));
		search_form(b, &q, &v);
		return page_end(req, v.n > 0 ? 400 : 200);
	}
	q.offset = (page - 1) * SEARCH_PER_PAGE;
	rc = search(req, &q, &h);
	if (rc != 0)
		return rc;
	b = page_begin(req, _("Persons"));
	search_form(b, &q, NULL);
	html_raw(b, "<p class=\"count\" role=\"status\">");
	html_fmt(b, i18n_ngettext("%s person found", "%s persons found", (unsigned long)h.total),
		 fmt_int(req, h.total));
	html_raw(b, "</p>");
	if (h.n == 0) {
		html_fmt(b, "<div class=\"empty\"><p>%s</p><p><a class=\"btn primary\" href=\"%s\">%s</a></p></div>",
			 _("No person of your institution matches. Check the spelling, or register the "
			   "person."),
			 new_link(req, &q), _("Add a new person"));
		return page_end(req, 200);
	}
	hits_table(b, req, &h);
	search_pager(b, req, page, h.total);
	html_fmt(b, "<p><a href=\"%s\">%s</a></p>", new_link(req, &q), _("Not on the list? Add a new person"));
	return page_end(req, 200);
}

/* ------------------------------------------------------------------ */
/* The person page                                                     */
/* ------------------------------------------------------------------ */

static const char *address_of(struct req *req, const char *street, const char *house, const char *flat,
			      const char *postcode, const char *town)
{
	if (street == NULL && house == NULL && postcode == NULL && town == NULL)
		return NULL;
	return arena_printf(req->arena, "%s%s%s%s%s%s%s%s", street != NULL ? street : "",
			    house != NULL ? " " : "", house != NULL ? house : "", flat != NULL ? "/" : "",
			    flat != NULL ? flat : "", street != NULL || house != NULL ? ", " : "",
			    postcode != NULL ? arena_printf(req->arena, "%s ", postcode) : "",
			    town != NULL ? town : "");
}

static void identity_rows(struct buf *b, struct req *req, const struct person *p)
{
	html_raw(b, "<dl class=\"details\">");
	dl_row(b, _("PESEL"), p->pesel);
	if (p->doc_number != NULL)
		dl_row(b, _("Identity document"),
		       arena_printf(req->arena, "%s %s", person_doc_kind_label(p->doc_kind), p->doc_number));
	dl_row(b, _("First names"), p->first_names);
	dl_row(b, _("Surname"), p->surname);
	dl_row(b, _("Family name at birth"), p->birth_surname);
	dl_row(b, _("Date of birth"), reg_date(req, p->birth_date));
	dl_row(b, _("Sex"), p->sex != NULL ? reg_sex_label(p->sex) : NULL);
	dl_row(b, _("Citizenship"), p->citizenship);
	dl_row(b, _("Address"), address_of(req, p->street, p->house_no, p->flat_no, p->postcode, p->town));
	dl_row(b, _("Gmina (TERC code)"), p->terc);
	dl_row(b, _("Correspondence address"), p->corr_address);
	dl_row(b, _("Phone"), p->phone);
	dl_row(b, _("E-mail"), p->email);
	dl_row(b, _("Education"), p->education != NULL ? person_education_label(p->education) : NULL);
	if (p->disability != NULL)
		dl_row(b, _("Degree of disability"),
		       p->disability_from != NULL || p->disability_to != NULL
			       ? arena_printf(req->arena, _("%s (valid %s – %s)"),
					      person_disability_label(p->disability),
					      reg_date(req, p->disability_from),
					      p->disability_to != NULL ? reg_date(req, p->disability_to)
								       : _("permanently"))
			       : person_disability_label(p->disability));
	dl_row(b, _("Lead worker"), p->lead_worker_name);
	html_raw(b, "</dl>");
}

/* household_section() shows the person's current household with its members, or offers one. */
static int household_section(struct buf *b, struct req *req, const struct person *p, int actions)
{
	struct family_member m[MAX_MEMBERS];
	struct family f;
	int64_t fid = family_of_person(req->db, p->id);
	int n = 0, i, rc;

	html_fmt(b, "<section class=\"card household\"><h2>%s</h2>", _("Household"));
	if (fid < 0)
		return resp_server_error(req, "reading the household");
	if (fid == 0) {
		html_fmt(b, "<p>%s</p>", _("Not a member of any household now."));
		if (actions)
			html_fmt(b, "<p><a class=\"btn secondary\" href=\"/families/new?applicant_id=%lld\">%s</a></p>",
				 (long long)p->id, _("Set up a household"));
		html_raw(b, "</section>");
		return 0;
	}
	rc = reg_load_family(req, fid, &f, m, MAX_MEMBERS, &n, 1);
	if (rc != 0)
		return rc;
	html_fmt(b, "<p><a href=\"%s\">%s</a>%s%s</p>", reg_family_href(req, fid),
		 arena_printf(req->arena, _("Household no. %lld"), (long long)fid),
		 f.town != NULL ? " — " : "", address_of(req, f.street, f.house_no, f.flat_no, f.postcode, f.town));
	html_fmt(b, "<table class=\"list\"><caption class=\"sr\">%s</caption><thead><tr><th scope=\"col\">%s"
		    "</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		 _("Members of the household"), _("Person"), _("Relation to the applicant"), _("Member since"));
	for (i = 0; i < n; i++) {
		if (m[i].member_to != NULL)
			continue;
		html_fmt(b, "<tr><th scope=\"row\"><a href=\"%s\">%s</a>%s</th><td>%s</td><td class=\"nowrap\">%s</td></tr>",
			 reg_person_href(req, m[i].person_id), reg_name(req, m[i].first_names, m[i].surname),
			 m[i].person_id == p->id ? _(" (this person)") : "", family_relation_label(m[i].relation),
			 reg_date(req, m[i].member_from));
	}
	html_raw(b, "</tbody></table></section>");
	return 0;
}

/* history_value() shows a stored value as the form shows it (codes by their labels). */
static const char *history_value(const char *field, const char *value)
{
	if (value == NULL)
		return "—";
	if (str_eq(field, "relation"))
		return family_relation_label(value);
	if (str_eq(field, "sex"))
		return reg_sex_label(value);
	if (str_eq(field, "education"))
		return person_education_label(value);
	if (str_eq(field, "disability"))
		return person_disability_label(value);
	if (str_eq(field, "doc_kind"))
		return person_doc_kind_label(value);
	return value;
}

/* history_section() shows who changed what, when (newest first). */
static int history_section(struct buf *b, struct req *req, int64_t person_id, int64_t family_id)
{
	struct history_row *rows = arena_zalloc(req->arena, sizeof(*rows) * MAX_HISTORY);
	struct policy_read rd;
	int n, i;

	if (rows == NULL)
		return resp_oom(req);
	req_policy_read(req, person_id != 0 ? POLICY_PERSON : POLICY_FAMILY, PURPOSE_CASEWORK, &rd);
	n = history_read(&rd, person_id, family_id, rows, MAX_HISTORY);
	if (n == -POLICY_DENIED)
		return resp_denied(req, &rd.decision);
	if (n < 0)
		return resp_server_error(req, "reading the history");
	html_fmt(b, "<section class=\"card history\" id=\"history\"><h2>%s</h2>", _("History of the record"));
	if (n == 0) {
		html_fmt(b, "<p>%s</p></section>", _("No changes recorded."));
		return 0;
	}
	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list\"><caption class=\"sr\">%s</caption><thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		 _("History of the record"), _("When"), _("Who"), _("What"), _("Field"), _("Before"), _("After"));
	for (i = 0; i < n; i++)
		html_fmt(b, "<tr><td class=\"nowrap\">%s</td><td>%s</td><td>%s: %s</td><td>%s</td><td>%s</td>"
			    "<td>%s</td></tr>",
			 fmt_time(req, rows[i].at), rows[i].actor, entity_label(rows[i].entity),
			 change_label(rows[i].change), field_label(rows[i].field),
			 history_value(rows[i].field, rows[i].old_value),
			 history_value(rows[i].field, rows[i].new_value));
	html_raw(b, "</tbody></table></div></section>");
	return 0;
}

int reg_history_section(struct buf *b, struct req *req, int64_t person_id, int64_t family_id)
{
	return history_section(b, req, person_id, family_id);
}

int h_person_show(struct req *req)
{
	struct coop_view *v = arena_zalloc(req->arena, sizeof(*v));
	struct person p;
	const char *name;
	struct buf *b;
	int rc = v != NULL ? load_view(req, req->id, v) : resp_server_error(req, "out of memory");

	if (rc != 0)
		return rc;
	if (v->person.institution_id != req->sess->institution_id)
		return partner_page(req, v); /* shared by a partner: the rule's view */
	p = v->person;
	name = reg_name(req, p.first_names, p.surname);
	page_crumb(req, "/persons", _("Persons"));
	page_crumb(req, NULL, name);
	b = page_begin(req, name);
	html_raw(b, "<div class=\"page-actions\">");
	html_fmt(b, "<a class=\"btn primary\" href=\"/persons/%lld/edit\">%s</a> ", (long long)p.id, _("Edit"));
	html_fmt(b, "<a class=\"btn secondary\" href=\"/persons/%lld/card\">%s</a> ", (long long)p.id,
		 _("Person card (print)"));
	html_fmt(b, "<a class=\"btn secondary\" href=\"/persons/%lld/dataprot\">%s</a> ", (long long)p.id,
		 _("What we hold and who saw it (GDPR)"));
	html_fmt(b, "<a class=\"btn secondary\" href=\"/persons/%lld/consents\">%s</a> ", (long long)p.id,
		 _("Consents"));
	html_fmt(b, "<a class=\"btn secondary\" href=\"/referrals/new?person_id=%lld\">%s</a> ", (long long)p.id,
		 _("Send a request / referral"));
	html_fmt(b, "<a class=\"btn danger\" href=\"/persons/%lld/delete\">%s</a>", (long long)p.id, _("Delete"));
	html_raw(b, "</div>");
	html_fmt(b, "<section class=\"card identity\"><h2>%s</h2>", _("Identity and address"));
	identity_rows(b, req, &p);
	html_raw(b, "</section>");
	rc = household_section(b, req, &p, 1);
	if (rc != 0)
		return rc;
	rc = situation_person_sections(req, b, p.id, NULL);
	if (rc != 0 || (rc = episode_person_section(req, b, p.id)) != 0 ||
	    (rc = link_person_section(req, b, &p)) != 0)
		return rc;
	rc = history_section(b, req, p.id, 0);
	if (rc != 0)
		return rc;
	html_fmt(b, "<p class=\"meta\">%s</p>",
		 arena_printf(req->arena, _("Registered %s; last changed %s."), fmt_time(req, p.created_at),
			      fmt_time(req, p.updated_at)));
	return page_end(req, 200);
}

/* h_person_card() is the printable person card (identity, address, household; no history). */
int h_person_card(struct req *req)
{
	struct person p;
	char now[CLOCK_ISO_LEN];
	struct buf *b;
	int rc = reg_load_person(req, req->id, &p, 1);

	if (rc != 0)
		return rc;
	page_crumb(req, "/persons", _("Persons"));
	page_crumb(req, reg_person_href(req, p.id), reg_name(req, p.first_names, p.surname));
	page_crumb(req, NULL, _("Person card"));
	b = page_begin(req, arena_printf(req->arena, _("Person card: %s"),
					 reg_name(req, p.first_names, p.surname)));
	html_raw(b, "<div class=\"person-card\">");
	html_fmt(b, "<p class=\"page-actions\"><span data-print=\"%s\"></span> <a class=\"btn secondary\" "
		    "href=\"%s\">%s</a></p>",
		 _("Print"), reg_person_href(req, p.id), _("Back to the person"));
	html_fmt(b, "<p class=\"hint no-print\">%s</p>",
		 _("The card is laid out for paper: use your browser's Print command (Ctrl+P)."));
	html_fmt(b, "<p>%s</p>", p.institution_name);
	identity_rows(b, req, &p);
	rc = household_section(b, req, &p, 0);
	if (rc != 0)
		return rc;
	clock_iso(clock_now(), now);
	html_fmt(b, "<p class=\"meta\">%s</p></div>",
		 arena_printf(req->arena, _("Printed %s by %s. Contains personal data: keep it safe and "
					    "destroy it when no longer needed."),
			      fmt_time(req, now), req->sess->full_name));
	html_fmt(b, "<script src=\"%s\" defer></script>", asset_url("registry.js"));
	return page_end(req, 200);
}

/* ------------------------------------------------------------------ */
/* Edit, delete                                                        */
/* ------------------------------------------------------------------ */

int h_person_edit(struct req *req)
{
	struct person p;
	int rc = reg_load_person(req, req->id, &p, 1);

	return rc != 0 ? rc : form_page(req, 200, &p, NULL);
}

static int gone(struct req *req)
{
	return resp_error(req, 404, "not_found", _("No such person"),
			  _("There is no person with this number in the register of your institution."));
}

/*
 * update_person() reads the form or body over the stored p and saves;
 * 0, 1 (v), or the answered status (no such person, a failure).
 */
static int update_person(struct req *req, struct person *p, struct verrs *v)
{
	struct registry_writer w;
	struct person in;
	int rc;

	memset(&in, 0, sizeof(in));
	in.id = p->id;
	in.institution_id = p->institution_id;
	in.lead_worker_id = p->lead_worker_id;
	if (read_person(req, &in, NULL, v) > 0) {
		*p = in;
		return 1;
	}
	*p = in;
	reg_writer(req, &w);
	if (tx_begin(req) != 0)
		return resp_server_error(req, "saving a person");
	rc = person_update(req->db, req->arena, &w, p, v);
	if (rc == PERSON_NOT_FOUND) {
		tx_end(req, 1);
		return gone(req);
	}
	if (rc == 0) /* linked again as it is now */
		rc = link_store_one(req->db, p->id, NULL, NULL) != 0 ? -1 : 0;
	rc = tx_audit(req, rc, "person.update", "person", p->id, NULL);
	return rc < 0 ? resp_server_error(req, "saving a person") : rc;
}

int h_person_update(struct req *req)
{
	struct verrs v = VERRS_INIT;
	struct person p;
	int rc = reg_load_person(req, req->id, &p, 0);

	if (rc != 0)
		return rc;
	rc = update_person(req, &p, &v);
	if (rc == 1)
		return form_page(req, 422, &p, &v);
	if (rc != 0)
		return rc;
	return resp_redirect(req, reg_person_href(req, p.id),
			     arena_printf(req->arena, _("Saved the changes of %s."),
					  reg_name(req, p.first_names, p.surname)));
}

int h_person_delete_confirm(struct req *req)
{
	struct person p;
	int rc = reg_load_person(req, req->id, &p, 1);
	const char *name;

	if (rc != 0)
		return rc;
	name = reg_name(req, p.first_names, p.surname);
	page_crumb(req, "/persons", _("Persons"));
	page_crumb(req, reg_person_href(req, p.id), name);
	page_crumb(req, NULL, _("Delete"));
	return confirm_page(req, _("Delete the person?"),
			    arena_printf(req->arena,
					 _("%s will no longer be found in searches and lists. The record "
					   "and its history are kept (the deletion is recorded) as the law "
					   "on retention requires."),
					 name),
			    arena_printf(req->arena, "/persons/%lld/delete", (long long)p.id), _("Delete"),
			    reg_person_href(req, p.id));
}

int h_person_delete(struct req *req)
{
	struct registry_writer w;
	struct person p;
	int rc = reg_load_person(req, req->id, &p, 0);

	if (rc != 0)
		return rc;
	if (!str_eq(req_form(req, "confirm"), "1"))
		return h_person_delete_confirm(req);
	reg_writer(req, &w);
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = person_delete(req->db, req->arena, &w, p.id);
	if (rc == 0) /* its automatic links and open review pairs go with it */
		rc = link_store_one(req->db, p.id, NULL, NULL) != 0 ? -1 : 0;
	if (rc == PERSON_NOT_FOUND) {
		tx_end(req, 1);
		return gone(req);
	}
	if (tx_audit(req, rc, "person.delete", "person", p.id, NULL) != 0)
		return resp_server_error(req, "deleting a person");
	return resp_redirect(req, "/persons",
			     arena_printf(req->arena, _("Deleted %s from the register."),
					  reg_name(req, p.first_names, p.surname)));
}

/* ------------------------------------------------------------------ */
/* API                                                                 */
/* ------------------------------------------------------------------ */

/*
 * person_reply() answers the person as JSON, written straight into the
 * response (core/jsonw.h): the person read is the API's commonest call,
 * and building a jansson tree of some thirty nodes per read was a tenth
 * of its time.
 */
static int person_reply(struct req *req, int status, const struct person *p)
{
	static const struct {
		const char *key;
		size_t off;
	} json_fields[] = {
#define F(name) { #name, offsetof(struct person, name) }
		F(pesel), F(doc_kind), F(doc_number), F(first_names), F(surname), F(birth_surname), F(sex),
		F(birth_date), F(citizenship), F(street), F(house_no), F(flat_no), F(postcode), F(town),
		F(terc), F(corr_address), F(phone), F(email), F(education), F(disability), F(disability_from),
		F(disability_to),
#undef F
	};
	int64_t fid = family_of_person(req->db, p->id);
	struct jsonw w;
	size_t i;

	buf_reset(&req->out);
	jsonw_init(&w, &req->out);
	jsonw_object(&w, NULL);
	jsonw_int(&w, "id", p->id);
	for (i = 0; i < sizeof(json_fields) / sizeof(json_fields[0]); i++)
		jsonw_string(&w, json_fields[i].key, *(const char *const *)(const void *)((const char *)p + json_fields[i].off));
	jsonw_object(&w, "institution");
	jsonw_int(&w, "id", p->institution_id);
	jsonw_string(&w, "name", p->institution_name);
	jsonw_end(&w);
	if (p->lead_worker_id > 0) {
		jsonw_object(&w, "lead_worker");
		jsonw_int(&w, "id", p->lead_worker_id);
		jsonw_string(&w, "name", p->lead_worker_name);
		jsonw_end(&w);
	} else {
		jsonw_null(&w, "lead_worker");
	}
	if (fid > 0)
		jsonw_int(&w, "family_id", fid);
	else
		jsonw_null(&w, "family_id");
	jsonw_string(&w, "created_at", p->created_at);
	jsonw_string(&w, "updated_at", p->updated_at);
	jsonw_end(&w);
	return resp_json_written(req, status, &w);
}

/* api_reply() answers the stored person id (read back without a second audit row). */
static int api_reply(struct req *req, int status, int64_t id)
{
	struct person p;
	int rc = reg_load_person(req, id, &p, 0);

	return rc != 0 ? rc : person_reply(req, status, &p);
}

static int api_bad_param(struct req *req, const struct verrs *v)
{
	return resp_api_error(req, 400, "invalid_parameter", v->e[0].message, v->e[0].field);
}

int h_api_person_list(struct req *req)
{
	struct verrs v = VERRS_INIT;
	struct person_query q;
	struct person_hits h;
	const char *off = req_query(req, "offset"), *lim = req_query(req, "limit");
	int64_t offset = 0, limit = SEARCH_PER_PAGE;
	json_t *items;
	int rc = reg_may_work(req, POLICY_PERSON), i;

	if (rc != 0)
		return rc;
	read_query(req, &q, &v);
	if (v.n == 0 && off != NULL && str_to_int64(off, 0, INT64_MAX / 2, &offset) != 0)
		verrs_add(&v, "offset", "invalid", "%s", _("offset: a whole number from 0."));
	if (v.n == 0 && lim != NULL && str_to_int64(lim, 1, 100, &limit) != 0)
		verrs_add(&v, "limit", "invalid", "%s", _("limit: a whole number from 1 to 100."));
	if (v.n > 0)
		return api_bad_param(req, &v);
	q.offset = offset;
	q.limit = (int)limit;
	rc = search(req, &q, &h);
	if (rc != 0)
		return rc;
	items = json_array();
	for (i = 0; items != NULL && i < h.n; i++) {
		const struct person_hit *x = &h.hits[i];

		json_array_append_new(items, json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:i}",
						       "id", (json_int_t)x->id, "first_names", x->first_names,
						       "surname", x->surname, "pesel", x->pesel, "birth_date",
						       x->birth_date, "town", x->town, "street", x->street,
						       "matched", x->matched, "rank", x->rank));
	}
	return resp_json(req, 200, json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)h.total, "offset",
					     (json_int_t)offset, "limit", (json_int_t)limit, "items", items));
}

int h_api_person_create(struct req *req)
{
	struct person_candidate c[MAX_CANDIDATES];
	struct verrs v = VERRS_INIT;
	struct person p;
	int confirm = 0, rc = reg_may_work(req, POLICY_PERSON), n;

	if (rc != 0)
		return rc;
	memset(&p, 0, sizeof(p));
	if (read_person(req, &p, &confirm, &v) > 0)
		return resp_api_verrs(req, &v);
	if (!confirm) {
		n = find_candidates(req, &p, c, MAX_CANDIDATES);
		if (n < 0)
			return resp_server_error(req, "looking up candidates");
		if (n > 0)
			return resp_json(req, 409, json_pack("{s:s, s:s, s:s, s:o}", "code", "possible_duplicate",
							     "error", "possible_duplicate", "message",
							     _("The institution may already hold this person: "
							       "check the candidates, or send the same data "
							       "with \"confirm_new\": true."),
							     "candidates", candidates_json(c, n)));
	}
	rc = create_person(req, &p, &v);
	if (rc > 0)
		return resp_api_verrs(req, &v);
	if (rc < 0)
		return resp_server_error(req, "creating a person");
	resp_header(req, "location", arena_printf(req->arena, "/api/v1/persons/%lld", (long long)p.id));
	return api_reply(req, 201, p.id);
}

int h_api_person_get(struct req *req)
{
	struct coop_view *v = arena_zalloc(req->arena, sizeof(*v));
	int rc = v != NULL ? load_view(req, req->id, v) : resp_server_error(req, "out of memory");

	if (rc != 0)
		return rc;
	if (v->person.institution_id != req->sess->institution_id)
		return resp_json(req, 200, partner_json(req, v)); /* only what the rule allows */
	return person_reply(req, 200, &v->person);
}

int h_api_person_update(struct req *req)
{
	struct verrs v = VERRS_INIT;
	struct person p;
	int rc = reg_load_person(req, req->id, &p, 0);

	if (rc != 0)
		return rc;
	rc = update_person(req, &p, &v);
	if (rc == 1)
		return resp_api_verrs(req, &v);
	if (rc != 0)
		return rc;
	return api_reply(req, 200, p.id);
}

json_t *reg_history_json(const struct history_row *rows, int n)
{
	json_t *a = json_array();
	int i;

	for (i = 0; a != NULL && i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:s?, s:s?, s:s?, s:I, s:s?, s:s?, s:s?, s:s?}", "id",
						   (json_int_t)rows[i].id, "at", rows[i].at, "actor",
						   rows[i].actor, "entity", rows[i].entity, "entity_id",
						   (json_int_t)rows[i].entity_id, "change", rows[i].change,
						   "field", rows[i].field, "old_value", rows[i].old_value,
						   "new_value", rows[i].new_value));
	return a;
}

int h_api_person_history(struct req *req)
{
	struct history_row *rows = arena_zalloc(req->arena, sizeof(*rows) * MAX_HISTORY);
	struct policy_read rd;
	struct person p;
	int rc = reg_load_person(req, req->id, &p, 0), n;

	if (rc != 0)
		return rc;
	if (rows == NULL)
		return resp_oom(req);
	req_policy_read(req, POLICY_PERSON, PURPOSE_CASEWORK, &rd);
	n = history_read(&rd, p.id, 0, rows, MAX_HISTORY);
	if (n == -POLICY_DENIED)
		return resp_denied(req, &rd.decision);
	if (n < 0)
		return resp_server_error(req, "reading the history");
	return resp_json(req, 200, json_pack("{s:o}", "items", reg_history_json(rows, n)));
}

ROUTES(persons) = {
	/* the access policy decides who works with persons (403 with its reason) */
	{ HTTP_GET, "/persons", h_person_search, 0, 0 },
	{ HTTP_GET, "/persons/new", h_person_new, 0, 0 },
	{ HTTP_POST, "/persons/new", h_person_create, 0, 0 },
	{ HTTP_GET, "/persons/{id:int}", h_person_show, 0, 0 },
	{ HTTP_GET, "/persons/{id:int}/card", h_person_card, 0, 0 },
	{ HTTP_GET, "/persons/{id:int}/edit", h_person_edit, 0, 0 },
	{ HTTP_POST, "/persons/{id:int}/edit", h_person_update, 0, 0 },
	{ HTTP_GET, "/persons/{id:int}/delete", h_person_delete_confirm, 0, 0 },
	{ HTTP_POST, "/persons/{id:int}/delete", h_person_delete, 0, 0 },
	{ HTTP_GET, "/api/v1/persons", h_api_person_list, 0, 0 },
	{ HTTP_POST, "/api/v1/persons", h_api_person_create, 0, 0 },
	{ HTTP_GET, "/api/v1/persons/candidates", h_api_person_candidates, 0, 0 },
	{ HTTP_GET, "/api/v1/persons/{id:int}", h_api_person_get, 0, 0 },
	{ HTTP_PUT, "/api/v1/persons/{id:int}", h_api_person_update, 0, 0 },
	{ HTTP_GET, "/api/v1/persons/{id:int}/history", h_api_person_history, 0, 0 },
};
ROUTES_END(persons);
