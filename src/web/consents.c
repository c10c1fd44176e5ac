/*
 * consents.c — a person's consents and statutory bases for sharing the
 * record with partner institutions (coop/consent.h): the list with the
 * add form, withdrawal, the printable consent form with the information
 * clause (art. 13 RODO), the API, the start-page panel of consents about
 * to expire, and taking a partner's person over as one's own record.
 *
 * Consents are written only by the workers of the person's institution
 * (registry_may_write()); their pages read the person first under the
 * access policy (casework of one's own institution), so the read is
 * audited. The take-over reads the partner's person under the sharing
 * rule.
 */
#include <string.h>

#include "auth/role.h"
#include "coop/consent.h"
#include "core/clock.h"
#include "core/html.h"
#include "core/i18n.h"
#include "core/str.h"
#include "registry/history.h"
#include "registry/institution.h"
#include "web/consents.h"
#include "web/handlers.h"
#include "web/input.h"
#include "web/page.h"
#include "web/registry_web.h"
#include "web/route.h"
#include "web/widget.h"

#define EXPIRING_MAX 100 /* consents listed as ending soon */

#define MAX_CONSENTS 100

static const char *const purposes[] = { "labour_market_activation", "social_contract", "interdisciplinary_team",
					"project_participation", "data_quality", "statistics", NULL };
static const char *const purpose_labels[] = { N_("labour-market activation"), N_("social contract"),
					      N_("interdisciplinary team"), N_("project participation"),
					      N_("data quality (record reconciliation)"), N_("statistics") };
static const char *const bases[] = { "consent", "statute", NULL };
static const char *const forms[] = { "written", "electronic", "oral_recorded", NULL };

static const struct db_sql SQL_OWN_PESEL = DB_SQL(
	"SELECT id FROM person WHERE institution_id = ? AND pesel = ? AND deleted_at IS NULL ORDER BY id LIMIT 1");

static const char *basis_label(const char *b)
{
	return str_eq(b, "statute") ? _("statutory basis") : _("the person's consent");
}

static const char *form_label(const char *f)
{
	return str_eq(f, "written")	   ? _("in writing")
	       : str_eq(f, "electronic")	   ? _("electronically")
	       : str_eq(f, "oral_recorded") ? _("orally, recorded")
					    : "—";
}

const char *consent_view_purpose(struct req *req)
{
	const char *p = req_query(req, "purpose");
	int i;

	for (i = 0; p != NULL && purposes[i] != NULL; i++)
		if (str_eq(p, purposes[i]))
			return purposes[i];
	return purposes[0];
}

/* ------------------------------------------------------------------ */
/* Input                                                               */
/* ------------------------------------------------------------------ */

enum { CF_PERSON, CF_RECIPIENT, CF_AGREEMENT, CF_PURPOSE, CF_BASIS, CF_ARTICLE, CF_FORM, CF_FROM, CF_TO,
       CF_NOTE, NCF };

static const struct field consent_fields[NCF] = {
	[CF_PERSON] = { "person_id", N_("Person"), F_INT, 0, 1, INT64_MAX / 2 },
	[CF_RECIPIENT] = { "recipient_institution_id", N_("Receiving institution"), F_INT, 0, 0, INT64_MAX / 2 },
	[CF_AGREEMENT] = { "agreement_id", N_("Agreement"), F_INT, 0, 0, INT64_MAX / 2 },
	[CF_PURPOSE] = { "purpose", N_("Purpose"), F_CHOICE, F_REQUIRED, 0, 0, purposes },
	[CF_BASIS] = { "basis", N_("Basis"), F_CHOICE, F_REQUIRED, 0, 0, bases },
	[CF_ARTICLE] = { "statute_article", N_("Article of the statute"), F_TEXT, 0, 0, 200 },
	[CF_FORM] = { "given_form", N_("Form of the consent"), F_TEXT, 0, 0, 20 },
	[CF_FROM] = { "valid_from", N_("Valid from"), F_TEXT, F_REQUIRED, 0, 20 },
	[CF_TO] = { "valid_to", N_("Valid to"), F_TEXT, 0, 0, 20 },
	[CF_NOTE] = { "note", N_("Note"), F_TEXT, 0, 0, 1000 },
};

static const char *opt(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : NULL;
}

static void consent_in(const struct input *x, struct consent *c)
{
	memset(c, 0, sizeof(*c));
	c->person_id = x[CF_PERSON].num;
	c->recipient_institution_id = x[CF_RECIPIENT].num;
	c->agreement_id = x[CF_AGREEMENT].num;
	c->purpose = opt(x[CF_PURPOSE].text);
	c->basis = opt(x[CF_BASIS].text);
	c->statute_article = opt(x[CF_ARTICLE].text);
	c->given_form = opt(x[CF_FORM].text);
	c->valid_from = opt(x[CF_FROM].text);
	c->valid_to = opt(x[CF_TO].text);
	c->note = opt(x[CF_NOTE].text);
}

/* save() records c with its audit row. 0, 1 refused (v), or the status already answered. */
static int save(struct req *req, struct consent *c, struct verrs *v)
{
	struct registry_writer w;
	int rc;

	reg_writer(req, &w);
	if (consent_validate(c, v) != 0)
		return 1;
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = consent_create(req->db, &w, c, v);
	rc = tx_audit(req, rc, "consent.create", "consent", c->id,
		      arena_printf(req->arena, "person=%lld purpose=%s basis=%s", (long long)c->person_id,
				   c->purpose, c->basis));
	if (rc == PERSON_NOT_FOUND)
		return resp_error(req, 404, "not_found", _("No such person"),
				  _("There is no person with this number in the register of your institution."));
	if (rc < 0)
		return resp_server_error(req, "recording a consent");
	return rc;
}

static int withdraw(struct req *req, int64_t id, const char *date, struct verrs *v)
{
	struct registry_writer w;
	int rc;

	reg_writer(req, &w);
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = consent_withdraw(req->db, &w, id, opt(date), v);
	rc = tx_audit(req, rc, "consent.withdraw", "consent", id, opt(date));
	if (rc == PERSON_NOT_FOUND)
		return resp_error(req, 404, "not_found", _("No such consent"),
				  _("Your institution holds no consent with this number."));
	if (rc < 0)
		return resp_server_error(req, "withdrawing a consent");
	return rc;
}

/* ------------------------------------------------------------------ */
/* Pages                                                               */
/* ------------------------------------------------------------------ */

static const char *state_label(struct req *req, const struct consent *c)
{
	char t[11], iso[CLOCK_ISO_LEN];

	clock_iso(clock_now(), iso);
	memcpy(t, iso, 10);
	t[10] = '\0';
	if (c->withdrawn_on != NULL && strcmp(c->withdrawn_on, t) <= 0)
		return arena_printf(req->arena, _("withdrawn %s"), reg_date(req, c->withdrawn_on));
	if (strcmp(c->valid_from, t) > 0)
		return _("not yet in force");
	if (c->valid_to != NULL && strcmp(c->valid_to, t) < 0)
		return _("expired");
	return _("in force");
}

static const char *recipient_label(struct req *req, const struct consent *c)
{
	if (c->recipient_institution_id > 0)
		return c->recipient_name;
	return arena_printf(req->arena, _("all partners under agreement no. %lld"), (long long)c->agreement_id);
}

/* consent_form() writes the form recording a consent: 0, or -1 when its lists cannot be read. */
static int consent_form(struct buf *b, struct req *req, const struct person *p, const struct consent *c,
			const struct verrs *v)
{
	struct institution_option *inst;
	struct option po[8], bo[2], fo[3], *io;
	int n = institution_options(req->db, req->arena, &inst), i, k = 0;

	for (i = 0; purposes[i] != NULL; i++)
		po[i] = (struct option){ purposes[i], _(purpose_labels[i]) };
	bo[0] = (struct option){ "consent", basis_label("consent") };
	bo[1] = (struct option){ "statute", basis_label("statute") };
	for (i = 0; forms[i] != NULL; i++)
		fo[i] = (struct option){ forms[i], form_label(forms[i]) };
	io = arena_zalloc(req->arena, sizeof(*io) * (size_t)(n > 0 ? n : 1));
	for (i = 0; io != NULL && i < n; i++)
		if (inst[i].active && inst[i].id != p->institution_id)
			io[k++] = (struct option){ arena_printf(req->arena, "%lld", (long long)inst[i].id),
						   inst[i].name };
	html_fmt(b, "<section class=\"card\"><h2>%s</h2>", _("Record a consent or a statutory basis"));
	form_errors(b, v);
	form_begin(b, req, arena_printf(req->arena, "/persons/%lld/consents", (long long)p->id), "form");
	field_select(b, "purpose", _("Purpose"), po, 6, c != NULL ? c->purpose : NULL, _("— choose —"), v,
		     W_REQUIRED, NULL);
	field_select(b, "recipient_institution_id", _("Receiving institution"), io, k,
		     c != NULL && c->recipient_institution_id > 0
			     ? arena_printf(req->arena, "%lld", (long long)c->recipient_institution_id)
			     : NULL,
		     "", v, 0, _("Or leave empty and give the agreement: all its partners."));
	if (field_pick_agreement(b, req, p->institution_id, "agreement_id", _("Agreement"),
				 c != NULL ? c->agreement_id : 0, "", v, 0,
				 _("All partners under this agreement receive the data.")) != 0)
		return -1;
	field_select(b, "basis", _("Basis"), bo, 2, c != NULL ? c->basis : "consent", NULL, v, W_REQUIRED, NULL);
	field_input(b, "text", "statute_article", _("Article of the statute"), c != NULL ? c->statute_article : NULL,
		    v, 0, _("Only for a statutory basis, e.g. art. 9a ust. 15 of the act on preventing domestic violence."),
		    NULL);
	field_select(b, "given_form", _("Form of the consent"), fo, 3, c != NULL ? c->given_form : "written", "", v,
		     0, NULL);
	field_input(b, "date", "valid_from", _("Valid from"), c != NULL ? c->valid_from : NULL, v,
		    W_REQUIRED | W_NARROW, NULL, NULL);
	field_input(b, "date", "valid_to", _("Valid to"), c != NULL ? c->valid_to : NULL, v, W_NARROW,
		    _("Leave empty for a consent given until withdrawn."), NULL);
	html_fmt(b, "<input type=\"hidden\" name=\"person_id\" value=\"%lld\">", (long long)p->id);
	html_raw(b, "<div class=\"actions\">");
	button(b, _("Save"), "primary");
	html_raw(b, "</div>");
	form_end(b);
	html_raw(b, "</section>");
	return 0;
}

static int consents_page(struct req *req, int status, const struct person *p, const struct consent *c,
			 const struct verrs *v)
{
	struct consent *list = arena_zalloc(req->arena, sizeof(*list) * MAX_CONSENTS);
	const char *name = reg_name(req, p->first_names, p->surname), *title;
	struct buf *b;
	int n, i;

	if (list == NULL || (n = consent_list(req->db, req->arena, p->id, list, MAX_CONSENTS)) < 0)
		return resp_server_error(req, "reading consents");
	title = arena_printf(req->arena, _("Consents: %s"), name);
	page_crumb(req, "/persons", _("Persons"));
	page_crumb(req, reg_person_href(req, p->id), name);
	page_crumb(req, NULL, _("Consents"));
	b = page_begin(req, title);
	html_fmt(b, "<section class=\"card wide\"><h2>%s</h2>", _("Consents and statutory bases"));
	if (n == 0)
		html_fmt(b, "<p>%s</p>", _("No consent is recorded: the record is shown to no partner institution."));
	else {
		html_fmt(b, "<table class=\"data\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
			    "<th>%s</th><th>%s</th></tr></thead><tbody>",
			 _("Purpose"), _("Receiving institution"), _("Basis"), _("Period"), _("State"), _("Actions"));
		for (i = 0; i < n; i++) {
			const struct consent *x = &list[i];

			html_fmt(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s – %s</td><td>%s</td><td>",
				 x->purpose_label, recipient_label(req, x),
				 str_eq(x->basis, "statute")
					 ? arena_printf(req->arena, "%s (%s)", basis_label(x->basis), x->statute_article)
					 : arena_printf(req->arena, "%s, %s", basis_label(x->basis),
							form_label(x->given_form)),
				 reg_date(req, x->valid_from), x->valid_to != NULL ? reg_date(req, x->valid_to) : "…",
				 state_label(req, x));
			html_fmt(b, "<a href=\"/consents/%lld/print\">%s</a>", (long long)x->id, _("Form to sign"));
			if (x->withdrawn_on == NULL)
				html_fmt(b, " · <a href=\"/consents/%lld/withdraw\">%s</a>", (long long)x->id,
					 _("Withdraw"));
			html_raw(b, "</td></tr>");
		}
		html_raw(b, "</tbody></table>");
	}
	html_raw(b, "</section>");
	if (consent_form(b, req, p, c, v) != 0)
		return resp_server_error(req, "reading the agreements");
	return page_end(req, status);
}

static int h_consents(struct req *req)
{
	struct person p;
	int rc = reg_load_person(req, req->id, &p, 1);

	if (rc != 0)
		return rc;
	if (p.institution_id != req->sess->institution_id)
		return resp_error(req, 403, "other_institution", _("No access"),
				  _("Consents are recorded by the institution that holds the person's record."));
	return consents_page(req, 200, &p, NULL, NULL);
}

static int h_consent_create(struct req *req)
{
	struct input x[NCF];
	struct verrs v = VERRS_INIT;
	struct consent c;
	struct person p;
	int rc = reg_load_person(req, req->id, &p, 0);

	if (rc != 0)
		return rc;
	input_read(req, consent_fields, NCF, x, &v);
	consent_in(x, &c);
	c.person_id = req->id;
	rc = v.n > 0 ? 1 : save(req, &c, &v);
	if (rc == 1) {
		input_order_errors(consent_fields, NCF, &v);
		return consents_page(req, 422, &p, &c, &v);
	}
	return rc != 0 ? rc
		       : resp_redirect(req, arena_printf(req->arena, "/persons/%lld/consents", (long long)req->id),
				       _("Recorded the consent."));
}

/* load() reads consent id of the user's institution, and its person (audited). 0 or the status answered. */
static int load(struct req *req, int64_t id, struct consent *c, struct person *p)
{
	int rc = consent_get(req->db, req->arena, id, c);

	if (rc < 0)
		return resp_server_error(req, "reading a consent");
	if (rc > 0 || c->institution_id != req->sess->institution_id)
		return resp_error(req, 404, "not_found", _("No such consent"),
				  _("Your institution holds no consent with this number."));
	return reg_load_person(req, c->person_id, p, 1);
}

static int withdraw_form(struct req *req, int status, const struct consent *c, const struct person *p,
			 const struct verrs *v)
{
	const char *name = reg_name(req, p->first_names, p->surname);
	char iso[CLOCK_ISO_LEN];
	struct buf *b;

	clock_iso(clock_now(), iso);
	iso[10] = '\0';
	page_crumb(req, reg_person_href(req, p->id), name);
	page_crumb(req, arena_printf(req->arena, "/persons/%lld/consents", (long long)p->id), _("Consents"));
	page_crumb(req, NULL, _("Withdraw the consent"));
	b = page_begin(req, _("Withdraw the consent"));
	html_fmt(b, "<p>%s</p>",
		 arena_printf(req->arena, _("Consent for \"%s\" to %s. From the day of withdrawal no partner sees the "
					    "record for this purpose."),
			      c->purpose_label, recipient_label(req, c)));
	form_errors(b, v);
	form_begin(b, req, arena_printf(req->arena, "/consents/%lld/withdraw", (long long)c->id), "form");
	field_input(b, "date", "withdrawn_on", _("Date of withdrawal"), iso, v, W_REQUIRED | W_NARROW, NULL, NULL);
	html_raw(b, "<div class=\"actions\">");
	button(b, _("Withdraw"), "danger");
	html_raw(b, "</div>");
	form_end(b);
	return page_end(req, status);
}

static int h_withdraw_form(struct req *req)
{
	struct consent c;
	struct person p;
	int rc = load(req, req->id, &c, &p);

	return rc != 0 ? rc : withdraw_form(req, 200, &c, &p, NULL);
}

static int h_withdraw(struct req *req)
{
	static const struct field f[] = { { "withdrawn_on", N_("Date of withdrawal"), F_TEXT, 0, 0, 20 } };
	struct input in[1];
	struct verrs v = VERRS_INIT;
	struct consent c;
	struct person p;
	int rc = load(req, req->id, &c, &p);

	if (rc != 0)
		return rc;
	input_read(req, f, 1, in, &v);
	rc = v.n > 0 ? 1 : withdraw(req, c.id, in[0].text, &v);
	if (rc == 1)
		return withdraw_form(req, 422, &c, &p, &v);
	return rc != 0 ? rc
		       : resp_redirect(req, arena_printf(req->arena, "/persons/%lld/consents", (long long)p.id),
				       _("Recorded the withdrawal of the consent."));
}

/* h_print() is the consent form for signature, with the information clause of art. 13 RODO. */
static int h_print(struct req *req)
{
	struct institution own;
	struct consent c;
	struct person p;
	const char *name;
	struct buf *b;
	int rc = load(req, req->id, &c, &p);

	if (rc != 0)
		return rc;
	if (institution_get(req->db, req->arena, c.institution_id, &own) != 0)
		return resp_server_error(req, "reading the institution");
	name = reg_name(req, p.first_names, p.surname);
	page_crumb(req, reg_person_href(req, p.id), name);
	page_crumb(req, NULL, _("Consent form"));
	b = page_begin(req, _("Consent to sharing personal data"));
	html_raw(b, "<div class=\"person-card consent-form\">");
	html_fmt(b, "<p class=\"page-actions\"><span data-print=\"%s\"></span></p>", _("Print"));
	html_fmt(b, "<p class=\"hint no-print\">%s</p>",
		 _("TEMPLATE: the information clause below must be checked by your institution's data "
		   "protection officer (IOD) before use."));
	html_fmt(b, "<p>%s, %s</p>", own.name, own.city != NULL ? own.city : "");
	html_fmt(b, "<p>%s</p>",
		 arena_printf(req->arena,
			      _("I, %s (PESEL %s), consent to %s passing my personal data (identity, contact "
				"details, household and labour-market situation, the support I receive) to %s for "
				"the purpose: %s, from %s %s."),
			      name, p.pesel != NULL ? p.pesel : "—", own.name, recipient_label(req, &c),
			      c.purpose_label, reg_date(req, c.valid_from),
			      c.valid_to != NULL ? arena_printf(req->arena, _("to %s"), reg_date(req, c.valid_to))
						 : _("until I withdraw the consent")));
	html_fmt(b, "<p>%s</p>",
		 _("The data of special categories (health, disability, addiction, domestic violence) are not "
		   "passed to labour-market institutions."));
	html_fmt(b, "<p class=\"signature\">%s</p>", _("Date and signature of the person: ........................"));
	html_fmt(b, "<h2>%s</h2><ol class=\"clause\">", _("Information on the processing of personal data (art. 13 RODO)"));
	html_fmt(b, "<li>%s</li>",
		 arena_printf(req->arena, _("The controller of your personal data is %s, %s %s %s."), own.name,
			      own.street != NULL ? own.street : "", own.postcode != NULL ? own.postcode : "",
			      own.city != NULL ? own.city : ""));
	html_fmt(b, "<li>%s</li>",
		 _("You can contact the data protection officer at the controller's address or by e-mail "
		   "given on the controller's website."));
	html_fmt(b, "<li>%s</li>",
		 arena_printf(req->arena, _("Your data will be passed for the purpose: %s."), c.purpose_label));
	html_fmt(b, "<li>%s</li>",
		 _("The legal basis is your consent: art. 6(1)(a) RODO and, for data of special categories, "
		   "art. 9(2)(a) RODO."));
	html_fmt(b, "<li>%s</li>",
		 arena_printf(req->arena, _("The recipient of the data: %s."), recipient_label(req, &c)));
	html_fmt(b, "<li>%s</li>",
		 _("The data will be passed for the period of the consent and kept by the recipient no longer "
		   "than the purpose requires and the archiving rules allow."));
	html_fmt(b, "<li>%s</li>",
		 _("You have the right of access to your data, to rectify them, to erase them or restrict their "
		   "processing, and to lodge a complaint with the President of the Personal Data Protection Office "
		   "(UODO)."));
	html_fmt(b, "<li>%s</li>",
		 _("You may withdraw the consent at any time, without affecting the lawfulness of the processing "
		   "before its withdrawal. Giving consent is voluntary; refusing it does not affect the assistance "
		   "you receive."));
	html_raw(b, "</ol></div>");
	html_fmt(b, "<script src=\"%s\" defer></script>", asset_url("registry.js"));
	return page_end(req, 200);
}

/* ------------------------------------------------------------------ */
/* API                                                                 */
/* ------------------------------------------------------------------ */

static json_t *consent_json(const struct consent *c)
{
	json_t *j = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s?, s:s?, s:s, s:s?, s:s?, s:s?}", "id",
			      (json_int_t)c->id, "person_id", (json_int_t)c->person_id, "institution_id",
			      (json_int_t)c->institution_id, "purpose", c->purpose, "basis", c->basis,
			      "statute_article", c->statute_article, "given_form", c->given_form, "valid_from",
			      c->valid_from, "valid_to", c->valid_to, "withdrawn_on", c->withdrawn_on,
			      "created_at", c->created_at);

	if (j == NULL)
		return NULL;
	json_object_set_new(j, "recipient_institution_id",
			    c->recipient_institution_id > 0 ? json_integer(c->recipient_institution_id) : json_null());
	json_object_set_new(j, "agreement_id", c->agreement_id > 0 ? json_integer(c->agreement_id) : json_null());
	return j;
}

static int api_reply(struct req *req, int status, int64_t id)
{
	struct consent c;
	int rc = consent_get(req->db, req->arena, id, &c);

	if (rc != 0)
		return resp_server_error(req, "reading a consent back");
	if (status == 201)
		resp_header(req, "location", arena_printf(req->arena, "/api/v1/consents/%lld", (long long)id));
	return resp_json(req, status, consent_json(&c));
}

static int h_api_create(struct req *req)
{
	struct input x[NCF];
	struct verrs v = VERRS_INIT;
	struct consent c;
	struct person p;
	int rc;

	input_read(req, consent_fields, NCF, x, &v);
	if (v.n > 0)
		return resp_api_verrs(req, &v);
	consent_in(x, &c);
	if (c.person_id <= 0) {
		verrs_add(&v, "person_id", "required", "%s", _("Choose the person."));
		return resp_api_verrs(req, &v);
	}
	rc = reg_load_person(req, c.person_id, &p, 0);
	if (rc != 0)
		return rc;
	rc = save(req, &c, &v);
	if (rc == 1)
		return resp_api_verrs(req, &v);
	return rc != 0 ? rc : api_reply(req, 201, c.id);
}

static int h_api_withdraw(struct req *req)
{
	static const struct field f[] = { { "withdrawn_on", N_("Date of withdrawal"), F_TEXT, 0, 0, 20 } };
	struct input in[1] = { { 0 } };
	struct verrs v = VERRS_INIT;
	int rc;

	if (req->json != NULL)
		input_read(req, f, 1, in, &v);
	rc = v.n > 0 ? 1 : withdraw(req, req->id, in[0].text, &v);
	if (rc == 1)
		return resp_api_verrs(req, &v);
	return rc != 0 ? rc : api_reply(req, 200, req->id);
}

static int h_api_list(struct req *req)
{
	struct consent *list = arena_zalloc(req->arena, sizeof(*list) * MAX_CONSENTS);
	struct person p;
	json_t *arr;
	int rc = reg_load_person(req, req->id, &p, 1), n, i;

	if (rc != 0)
		return rc;
	if (p.institution_id != req->sess->institution_id)
		return resp_api_error(req, 403, "other_institution",
				      _("Consents are recorded by the institution that holds the person's record."),
				      NULL);
	if (list == NULL || (n = consent_list(req->db, req->arena, p.id, list, MAX_CONSENTS)) < 0)
		return resp_server_error(req, "reading consents");
	arr = json_array();
	for (i = 0; arr != NULL && i < n; i++)
		json_array_append_new(arr, consent_json(&list[i]));
	return resp_json(req, 200, json_pack("{s:o}", "items", arr));
}

/* ------------------------------------------------------------------ */
/* Take-over                                                           */
/* ------------------------------------------------------------------ */

/*
 * take_over() creates the user's institution's own record of partner's
 * person src (read under the sharing rule): identity and address copied,
 * the user its lead worker, a history row naming the source. 0 (*id),
 * 409 answered with the existing id when the institution already holds
 * the PESEL, or the status answered.
 */
static int take_over(struct req *req, const struct person *src, int64_t *id)
{
	struct registry_writer w;
	struct verrs v = VERRS_INIT;
	struct history_entry e;
	struct person p;
	int64_t have = 0;
	int rc;

	if (src->institution_id == req->sess->institution_id)
		return resp_error(req, 409, "own_record", _("Already your record"),
				  _("The person is already your institution's record."));
	if (src->pesel != NULL) {
		rc = db_get_int(req->db, &have, &SQL_OWN_PESEL, "it", req->sess->institution_id, src->pesel);
		if (rc < 0)
			return resp_server_error(req, "looking up the PESEL");
		if (rc == DB_ROW) {
			if (!req->is_api)
				return resp_redirect(req, reg_person_href(req, have),
						     _("Your institution already holds this person."));
			resp_header(req, "location", arena_printf(req->arena, "/api/v1/persons/%lld", (long long)have));
			return resp_json(req, 409, json_pack("{s:s, s:s, s:I}", "code", "duplicate", "message",
							     _("Your institution already holds a person with this PESEL."),
							     "id", (json_int_t)have));
		}
	}
	memset(&p, 0, sizeof(p));
	p.institution_id = req->sess->institution_id;
	p.lead_worker_id = req->sess->user_id;
	p.pesel = src->pesel;
	p.doc_kind = src->doc_kind;
	p.doc_number = src->doc_number;
	p.first_names = src->first_names;
	p.surname = src->surname;
	p.birth_surname = src->birth_surname;
	p.sex = src->sex;
	p.birth_date = src->birth_date;
	p.citizenship = src->citizenship;
	p.street = src->street;
	p.house_no = src->house_no;
	p.flat_no = src->flat_no;
	p.postcode = src->postcode;
	p.town = src->town;
	p.terc = src->terc;
	if (person_validate(&p, req->arena, &v) != 0)
		return resp_error(req, 422, "invalid", _("The data is not valid."), v.n > 0 ? v.e[0].message : NULL);
	reg_writer(req, &w);
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = person_create(req->db, req->arena, &w, &p, id, &v);
	if (rc == 0) {
		memset(&e, 0, sizeof(e));
		e.entity = "person";
		e.entity_id = *id;
		e.person_id = *id;
		e.institution_id = p.institution_id;
		e.change = HISTORY_CREATE;
		e.field = "source";
		e.new_value = arena_printf(req->arena, "take-over of person %lld of %s", (long long)src->id,
					   src->institution_name != NULL ? src->institution_name : "?");
		rc = history_add(req->db, &w, &e);
	}
	rc = tx_audit(req, rc, "person.take_over", "person", rc == 0 ? *id : 0,
		      arena_printf(req->arena, "source=%lld", (long long)src->id));
	if (rc == 1)
		return resp_error(req, 409, "duplicate", _("Already your record"),
				  v.n > 0 ? v.e[0].message : _("Your institution already holds this person."));
	return rc != 0 ? resp_server_error(req, "taking a person over") : 0;
}

/* load_partner() reads the person to take over: a partner's under the sharing rule (purpose from ?purpose=). */
static int load_partner(struct req *req, struct person *p)
{
	return reg_load_person(req, req->id, p, 1);
}

static int h_api_take_over(struct req *req)
{
	struct person src;
	int64_t id = 0;
	int rc = load_partner(req, &src);

	if (rc != 0)
		return rc;
	rc = take_over(req, &src, &id);
	if (rc != 0)
		return rc;
	resp_header(req, "location", arena_printf(req->arena, "/api/v1/persons/%lld", (long long)id));
	return resp_json(req, 201, json_pack("{s:I, s:I, s:s?, s:s?, s:s?, s:s?, s:I}", "id", (json_int_t)id,
					     "institution_id", (json_int_t)req->sess->institution_id, "pesel",
					     src.pesel, "first_names", src.first_names, "surname", src.surname,
					     "birth_date", src.birth_date, "source_person_id", (json_int_t)src.id));
}

static int h_take_over(struct req *req)
{
	struct person src;
	int64_t id = 0;
	int rc = load_partner(req, &src);

	if (rc != 0)
		return rc;
	rc = take_over(req, &src, &id);
	return rc != 0 ? rc : resp_redirect(req, reg_person_href(req, id), _("The person is now your institution's record too."));
}

/* ------------------------------------------------------------------ */
/* Start page                                                          */
/* ------------------------------------------------------------------ */

/*
 * expiring_decide() is the access policy's answer for a list of the
 * institution's persons (casework, identity shown): 0 allowed, else not.
 */
static int expiring_decide(struct req *req, struct policy_decision *d)
{
	struct policy_actor who = { req->sess->user_id, req->sess->roles, req->sess->institution_id, 0 };
	struct policy_subject list = { POLICY_PERSON, 0, req->sess->institution_id, 0 };

	return policy_decide(&who, &list, PURPOSE_CASEWORK, d) != 0 || !(d->mask & SENS_BIT(SENS_IDENTITY));
}

/*
 * consent_panel() says on the start page how many consents of the
 * institution end within 30 days, with a link to their list: the start
 * page shows no names (it is often on screen), the list is a read of
 * personal data decided and recorded like any other.
 */
int consent_panel(struct req *req, struct buf *b)
{
	struct consent_expiring e[EXPIRING_MAX];
	struct policy_decision d;
	int n;

	if (expiring_decide(req, &d) != 0)
		return 0;
	n = consent_expiring(req->db, req->arena, req->sess->institution_id, 30, e, EXPIRING_MAX);
	if (n <= 0)
		return n;
	html_fmt(b, "<section class=\"card\"><h2>%s</h2><p><a href=\"/consents/expiring\">%s</a></p></section>",
		 _("Consents ending within 30 days"),
		 arena_printf(req->arena, i18n_ngettext("%d consent of a person ends within 30 days",
							"%d consents of persons end within 30 days", (unsigned long)n),
			      n));
	return 0;
}

/* h_consents_expiring() lists the consents ending within 30 days, with the persons' names (recorded). */
static int h_consents_expiring(struct req *req)
{
	struct consent_expiring e[EXPIRING_MAX];
	struct policy_decision d;
	struct audit_ids *ids;
	const char *detail;
	struct buf *b;
	int n, i;

	if (expiring_decide(req, &d) != 0)
		return resp_denied(req, &d);
	n = consent_expiring(req->db, req->arena, req->sess->institution_id, 30, e, EXPIRING_MAX);
	if (n < 0)
		return resp_server_error(req, "reading consents");
	ids = arena_zalloc(req->arena, sizeof(*ids));
	if (ids == NULL)
		return resp_server_error(req, "out of memory");
	for (i = 0; i < n; i++)
		audit_ids_add(ids, arena_printf(req->arena, "%lld", (long long)e[i].person_id));
	detail = audit_ids_detail(req->arena, ids, n, "consents ending within 30 days");
	if (d.record && (detail == NULL || req_audit_read(req, policy_action(POLICY_PERSON, POLICY_READ_PAGE),
							    "person", NULL, detail) != 0))
		return resp_server_error(req, "recording the read");
	page_crumb(req, NULL, _("Consents ending within 30 days"));
	b = page_begin(req, _("Consents ending within 30 days"));
	if (n == 0)
		html_fmt(b, "<p>%s</p>", _("None recorded."));
	else
		html_raw(b, "<ul>");
	for (i = 0; i < n; i++)
		html_fmt(b, "<li><a href=\"/persons/%lld/consents\">%s</a> — %s, %s</li>", (long long)e[i].person_id,
			 reg_name(req, e[i].first_names, e[i].surname), e[i].purpose_label,
			 arena_printf(req->arena, _("until %s"), reg_date(req, e[i].valid_to)));
	if (n > 0)
		html_raw(b, "</ul>");
	return page_end(req, 200);
}

ROUTES(consents) = {
	{ HTTP_GET, "/consents/expiring", h_consents_expiring, 0, 0 },
	{ HTTP_GET, "/persons/{id:int}/consents", h_consents, 0, 0 },
	{ HTTP_POST, "/persons/{id:int}/consents", h_consent_create, 0, 0 },
	{ HTTP_GET, "/consents/{id:int}/withdraw", h_withdraw_form, 0, 0 },
	{ HTTP_POST, "/consents/{id:int}/withdraw", h_withdraw, 0, 0 },
	{ HTTP_GET, "/consents/{id:int}/print", h_print, 0, 0 },
	{ HTTP_POST, "/persons/{id:int}/take-over", h_take_over, 0, 0 },
	{ HTTP_POST, "/api/v1/consents", h_api_create, 0, 0 },
	{ HTTP_POST, "/api/v1/consents/{id:int}/withdraw", h_api_withdraw, 0, 0 },
	{ HTTP_GET, "/api/v1/persons/{id:int}/consents", h_api_list, 0, 0 },
	{ HTTP_POST, "/api/v1/persons/{id:int}/take-over", h_api_take_over, 0, 0 },
};
ROUTES_END(consents);
