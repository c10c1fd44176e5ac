/*
 * agreements.c — partnership agreements (coop/agreement.h): the list, a
 * page per agreement, the forms to add, change and terminate one (for
 * coordinators and administrators), the same as JSON under
 * /api/v1/agreements; the cooperation report (/reports/cooperation, its
 * JSON, CSV and XLSX); the start-page panel of agreements to renew.
 *
 * Agreements are not personal data: every signed-in user reads them.
 */
#include <stdio.h>
#include <string.h>

#include "auth/role.h"
#include "coop/agreement.h"
#include "core/clock.h"
#include "core/html.h"
#include "core/sheet.h"
#include "core/str.h"
#include "registry/institution.h"
#include "web/handlers.h"
#include "web/input.h"
#include "web/list.h"
#include "web/page.h"
#include "web/registry_web.h"
#include "web/route.h"
#include "web/widget.h"

#define WRITERS (ROLE_BIT(ROLE_COORDINATOR) | ROLE_BIT(ROLE_ADMIN))

static const char *const form_codes[] = { "information_exchange", "socially_useful_work", "public_works",
	"intervention_works", "internships", "referrals", "referrals_2025", "job_offers",
	"information_point", "shared_premises", NULL };

enum { F_INSTITUTIONS, F_SUBJECT, F_SIGNED, F_FROM, F_TO, F_DURATION, F_STATUS, F_TERMINATED,
	F_ATTACHMENTS, F_FORMS, F_DATA, NFIELDS };

static const struct field fields[NFIELDS] = {
	[F_INSTITUTIONS] = { "institutions", N_("Parties"), F_INTS, 0, 1, INT64_MAX, NULL, NULL, 0, 0,
			     AGREEMENT_MAX_PARTIES },
	[F_SUBJECT] = { "subject", N_("Subject"), F_TEXT, 0, 0, 500 },
	[F_SIGNED] = { "signed_on", N_("Signed on"), F_TEXT, 0, 0, 10 },
	[F_FROM] = { "valid_from", N_("In force from"), F_TEXT, 0, 0, 10 },
	[F_TO] = { "valid_to", N_("In force until"), F_TEXT, 0, 0, 10 },
	[F_DURATION] = { "duration", N_("Duration"), F_CHOICE, 0, 0, 0, agreement_durations },
	[F_STATUS] = { "status", N_("Status"), F_CHOICE, 0, 0, 0, agreement_statuses },
	[F_TERMINATED] = { "terminated_on", N_("Terminated on"), F_TEXT, 0, 0, 10 },
	[F_ATTACHMENTS] = { "attachments", N_("Attachments (reference numbers)"), F_TEXT, 0, 0, 1000 },
	[F_FORMS] = { "forms", N_("Forms of cooperation"), F_MULTI, 0, 0, 0, form_codes },
	[F_DATA] = { "data", N_("Categories of data"), F_MULTI, 0, 0, 0, agreement_data_categories },
};

static const char *opt_text(const struct input *x, const char *old)
{
	return x->present ? x->text : old;
}

/*
 * read_agreement() reads the form or JSON body into ag. With partial (an
 * API PUT), members not sent keep ag's current values. Returns the number
 * of errors.
 */
static int read_agreement(struct req *req, struct agreement *ag, struct verrs *v, int partial)
{
	struct input x[NFIELDS];
	int i;

	input_read(req, fields, NFIELDS, x, v);
	if (!partial || x[F_INSTITUTIONS].present) {
		ag->nparties = 0;
		for (i = 0; i < x[F_INSTITUTIONS].nnums && i < AGREEMENT_MAX_PARTIES; i++)
			ag->parties[ag->nparties++] = x[F_INSTITUTIONS].nums[i];
	}
	if (!partial || x[F_FORMS].present) {
		ag->nforms = 0;
		for (i = 0; i < x[F_FORMS].nmulti && i < AGREEMENT_MAX_FORMS; i++)
			ag->forms[ag->nforms++] = x[F_FORMS].multi[i];
	}
	if (!partial || x[F_DATA].present) {
		ag->ndata = 0;
		for (i = 0; i < x[F_DATA].nmulti && i < AGREEMENT_MAX_DATA; i++)
			ag->data[ag->ndata++] = x[F_DATA].multi[i];
	}
	ag->subject = partial ? opt_text(&x[F_SUBJECT], ag->subject) : x[F_SUBJECT].text;
	ag->signed_on = partial ? opt_text(&x[F_SIGNED], ag->signed_on) : x[F_SIGNED].text;
	ag->valid_from = partial ? opt_text(&x[F_FROM], ag->valid_from) : x[F_FROM].text;
	/* an end date sent as null makes the agreement indefinite: partial or not, null is a value */
	if (!partial || x[F_TO].present || (req->json != NULL && json_object_get(req->json, "valid_to") != NULL))
		ag->valid_to = x[F_TO].text;
	if (!partial || x[F_DURATION].present || x[F_TO].present ||
	    (req->json != NULL && json_object_get(req->json, "valid_to") != NULL))
		ag->duration = x[F_DURATION].text; /* "" = derived from the dates again */
	ag->status = partial ? opt_text(&x[F_STATUS], ag->status) : x[F_STATUS].text;
	ag->terminated_on = partial ? opt_text(&x[F_TERMINATED], ag->terminated_on) : x[F_TERMINATED].text;
	ag->attachments = partial ? opt_text(&x[F_ATTACHMENTS], ag->attachments) : x[F_ATTACHMENTS].text;
	if (v->n == 0 && agreement_validate(req->db, req->arena, ag, v) < 0)
		verrs_add(v, "", "db", "%s", _("The database could not be read; try again."));
	input_order_errors(fields, NFIELDS, v);
	return v->n;
}

/* load() reads the agreement of {id}; 0, or the status already answered. */
static int load(struct req *req, struct agreement *ag)
{
	int rc = agreement_get(req->db, req->arena, req->id, ag);

	if (rc < 0)
		return resp_server_error(req, "reading an agreement");
	if (rc > 0)
		return resp_error(req, 404, "not_found", _("No such agreement"),
				  _("There is no agreement with this number."));
	return 0;
}

static const char *iso_today(struct req *req)
{
	int ymd = clock_today_ymd();

	return arena_printf(req->arena, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

/* in_force_label() is the computed state: what the dates and the status say today. */
static const char *in_force_label(struct req *req, const struct agreement *ag)
{
	const char *t = iso_today(req);

	if (str_eq(ag->status, "negotiating"))
		return _("Not yet in force (in negotiation)");
	if (str_eq(ag->status, "terminated") && ag->terminated_on != NULL && strcmp(ag->terminated_on, t) <= 0)
		return _("Terminated");
	if (strcmp(ag->valid_from, t) > 0)
		return _("Not yet in force");
	if (ag->valid_to != NULL && strcmp(ag->valid_to, t) < 0)
		return _("Expired");
	return _("In force");
}

/* ------------------------------------------------------------------ */
/* Pages                                                               */
/* ------------------------------------------------------------------ */

static int h_agreement_list(struct req *req)
{
	struct list_view view = {
		.def = &agreement_list,
		.title = _("Partnership agreements"),
		.row_href = "/agreements/%s",
		.new_href = req_has_role(req, WRITERS) ? "/agreements/new" : NULL,
		.new_label = _("Add an agreement"),
		.audit_export = "agreement.export",
		.empty = _("No agreement matches these filters."),
	};

	return list_respond(req, &view);
}

static int h_agreement_show(struct req *req)
{
	struct agreement ag;
	struct buf *b;
	int rc = load(req, &ag), i;

	if (rc != 0)
		return rc;
	page_crumb(req, "/agreements", _("Partnership agreements"));
	page_crumb(req, NULL, ag.subject);
	b = page_begin(req, ag.subject);
	html_fmt(b, "<p class=\"status\">%s</p>", in_force_label(req, &ag));
	html_raw(b, "<dl class=\"details\">");
	dl_row(b, _("Status"), agreement_status_label(ag.status));
	dl_row(b, _("Signed on"), reg_date(req, ag.signed_on));
	dl_row(b, _("In force from"), reg_date(req, ag.valid_from));
	dl_row(b, _("In force until"), ag.valid_to != NULL ? reg_date(req, ag.valid_to) : _("Indefinite"));
	dl_row(b, _("Duration"), agreement_duration_label(ag.duration));
	if (ag.terminated_on != NULL)
		dl_row(b, _("Terminated on"), reg_date(req, ag.terminated_on));
	dl_row(b, _("Attachments (reference numbers)"), ag.attachments);
	dl_row(b, _("Last changed"), fmt_time(req, ag.updated_at));
	html_raw(b, "</dl>");
	html_fmt(b, "<h2>%s</h2><ul class=\"parties\">", _("Parties"));
	for (i = 0; i < ag.nparties; i++)
		html_fmt(b, "<li>%s <span class=\"sub\">%s</span></li>", ag.party_names[i],
			 institution_kind_short(ag.party_kinds[i]));
	html_fmt(b, "</ul><h2>%s</h2><ul>", _("Forms of cooperation"));
	for (i = 0; i < ag.nforms; i++)
		html_fmt(b, "<li>%s</li>", agreement_form_label(ag.forms[i]));
	if (ag.nforms == 0)
		html_fmt(b, "<li>%s</li>", _("none named"));
	html_fmt(b, "</ul><h2>%s</h2><ul>", _("Categories of data that may be shared"));
	for (i = 0; i < ag.ndata; i++)
		html_fmt(b, "<li>%s</li>", agreement_data_label(ag.data[i]));
	if (ag.ndata == 0)
		html_fmt(b, "<li>%s</li>", _("none named"));
	html_raw(b, "</ul>");
	if (req_has_role(req, WRITERS)) {
		html_raw(b, "<div class=\"actions\">");
		html_fmt(b, "<a class=\"btn primary\" href=\"/agreements/%lld/edit\">%s</a> ", (long long)ag.id,
			 _("Edit"));
		if (!str_eq(ag.status, "terminated"))
			html_fmt(b, "<a class=\"btn danger\" href=\"/agreements/%lld/terminate\">%s</a>",
				 (long long)ag.id, _("Terminate"));
		html_raw(b, "</div>");
	}
	return page_end(req, 200);
}

static int form_page(struct req *req, int status, const struct agreement *ag, const struct verrs *v)
{
	const char *title = ag->id == 0 ? _("New agreement") : _("Edit agreement");
	const char *action = ag->id == 0 ? "/agreements/new"
					 : arena_printf(req->arena, "/agreements/%lld/edit", (long long)ag->id);
	struct institution_option *insts;
	struct coop_form *cf;
	struct option *opts, st[3], du[3];
	int *checked, n, i, j, nf, room;
	struct buf *b;

	page_crumb(req, "/agreements", _("Partnership agreements"));
	page_crumb(req, NULL, title);
	b = page_begin(req, title);
	form_errors(b, v);
	form_begin(b, req, action, "form");
	html_fmt(b, "<fieldset><legend>%s</legend>", _("Agreement"));
	field_input(b, "text", "subject", _("Subject"), ag->subject, v, W_REQUIRED | W_WIDE, NULL, NULL);
	for (i = 0; i < 3; i++) {
		st[i].value = agreement_statuses[i];
		st[i].label = agreement_status_label(agreement_statuses[i]);
		du[i].value = agreement_durations[i];
		du[i].label = agreement_duration_label(agreement_durations[i]);
	}
	field_select(b, "status", _("Status"), st, 3, ag->status != NULL ? ag->status : "negotiating", NULL, v,
		     W_REQUIRED, NULL);
	field_input(b, "date", "signed_on", _("Signed on"), ag->signed_on, v, W_NARROW,
		    _("Required once the agreement is signed."), NULL);
	field_input(b, "date", "valid_from", _("In force from"), ag->valid_from, v, W_NARROW | W_REQUIRED, NULL,
		    NULL);
	field_input(b, "date", "valid_to", _("In force until"), ag->valid_to, v, W_NARROW,
		    _("Leave empty for an agreement for an indefinite period."), NULL);
	field_select(b, "duration", _("Duration"), du, 3, ag->duration, _("— from the dates —"), v, 0, NULL);
	if (ag->id != 0 && str_eq(ag->status, "terminated"))
		field_input(b, "date", "terminated_on", _("Terminated on"), ag->terminated_on, v, W_NARROW, NULL,
			    NULL);
	field_input(b, "text", "attachments", _("Attachments (reference numbers)"), ag->attachments, v, W_WIDE,
		    NULL, NULL);
	html_raw(b, "</fieldset>");
	n = institution_options(req->db, req->arena, &insts);
	nf = coop_forms(req->db, req->arena, &cf);
	/* every active institution may be a party: room for all of them (and the forms, the categories) */
	room = (n > 0 ? n : 0) + (nf > 0 ? nf : 0) + 16;
	opts = arena_zalloc(req->arena, sizeof(*opts) * (size_t)room);
	checked = arena_zalloc(req->arena, sizeof(*checked) * (size_t)room);
	if (opts == NULL || checked == NULL)
		return resp_oom(req);
	for (i = j = 0; i < n; i++) {
		int k;

		if (!insts[i].active)
			continue;
		opts[j].value = arena_printf(req->arena, "%lld", (long long)insts[i].id);
		opts[j].label = arena_printf(req->arena, "%s (%s)", insts[i].name, institution_kind_short(insts[i].kind));
		checked[j] = 0;
		for (k = 0; k < ag->nparties; k++)
			if (ag->parties[k] == insts[i].id)
				checked[j] = 1;
		j++;
	}
	field_checks(b, "institutions", _("Parties"), opts, j, checked, v, W_REQUIRED,
		     _("At least two institutions."));
	for (i = 0; i < nf; i++) {
		int k;

		opts[i].value = cf[i].code;
		opts[i].label = cf[i].valid_to != NULL
					? arena_printf(req->arena, _("%s (until %s)"), cf[i].label, reg_date(req, cf[i].valid_to))
					: cf[i].label;
		checked[i] = 0;
		for (k = 0; k < ag->nforms; k++)
			if (str_eq(ag->forms[k], cf[i].code))
				checked[i] = 1;
	}
	field_checks(b, "forms", _("Forms of cooperation"), opts, nf > 0 ? nf : 0, checked, v, 0, NULL);
	for (i = 0; agreement_data_categories[i] != NULL; i++) {
		int k;

		opts[i].value = agreement_data_categories[i];
		opts[i].label = agreement_data_label(agreement_data_categories[i]);
		checked[i] = 0;
		for (k = 0; k < ag->ndata; k++)
			if (str_eq(ag->data[k], opts[i].value))
				checked[i] = 1;
	}
	field_checks(b, "data", _("Categories of data that may be shared"), opts, i, checked, v, 0,
		     _("Special categories (health, addiction, violence) are never shared."));
	html_raw(b, "<div class=\"actions\">");
	button(b, _("Save"), "primary");
	html_fmt(b, " <a class=\"btn secondary\" href=\"%s\">%s</a></div>",
		 ag->id == 0 ? "/agreements" : arena_printf(req->arena, "/agreements/%lld", (long long)ag->id),
		 _("Cancel"));
	form_end(b);
	return page_end(req, status);
}

static int h_agreement_new(struct req *req)
{
	struct agreement ag;

	memset(&ag, 0, sizeof(ag));
	return form_page(req, 200, &ag, NULL);
}

static int h_agreement_create(struct req *req)
{
	struct agreement ag;
	struct verrs v = VERRS_INIT;
	struct audit_actor who;
	int64_t id = 0;
	int rc;

	memset(&ag, 0, sizeof(ag));
	if (read_agreement(req, &ag, &v, 0) > 0)
		return form_page(req, 422, &ag, &v);
	req_actor(req, &who);
	rc = agreement_create(req->db, req->arena, &who, &ag, &id, &v);
	if (rc > 0)
		return form_page(req, 422, &ag, &v);
	if (rc < 0)
		return resp_server_error(req, "creating an agreement");
	return resp_redirect(req, arena_printf(req->arena, "/agreements/%lld", (long long)id),
			     arena_printf(req->arena, _("Saved agreement \"%s\"."), ag.subject));
}

static int h_agreement_edit(struct req *req)
{
	struct agreement ag;
	int rc = load(req, &ag);

	return rc != 0 ? rc : form_page(req, 200, &ag, NULL);
}

static int h_agreement_update(struct req *req)
{
	struct agreement ag;
	struct verrs v = VERRS_INIT;
	struct audit_actor who;
	int rc = load(req, &ag);

	if (rc != 0)
		return rc;
	if (read_agreement(req, &ag, &v, 0) > 0)
		return form_page(req, 422, &ag, &v);
	req_actor(req, &who);
	rc = agreement_update(req->db, req->arena, &who, &ag, &v);
	if (rc > 0)
		return form_page(req, 422, &ag, &v);
	if (rc < 0)
		return resp_server_error(req, "saving an agreement");
	return resp_redirect(req, arena_printf(req->arena, "/agreements/%lld", (long long)ag.id),
			     arena_printf(req->arena, _("Saved agreement \"%s\"."), ag.subject));
}

static int h_agreement_terminate_confirm(struct req *req)
{
	struct agreement ag;
	int rc = load(req, &ag);

	if (rc != 0)
		return rc;
	page_crumb(req, "/agreements", _("Partnership agreements"));
	page_crumb(req, arena_printf(req->arena, "/agreements/%lld", (long long)ag.id), ag.subject);
	page_crumb(req, NULL, _("Terminate"));
	return confirm_page(req, _("Terminate the agreement?"),
			    arena_printf(req->arena,
					 _("\"%s\" ends today: from the next request no partner sees "
					   "records shared under it."),
					 ag.subject),
			    arena_printf(req->arena, "/agreements/%lld/terminate", (long long)ag.id),
			    _("Terminate"), arena_printf(req->arena, "/agreements/%lld", (long long)ag.id));
}

static int h_agreement_terminate(struct req *req)
{
	struct agreement ag;
	struct verrs v = VERRS_INIT;
	struct audit_actor who;
	int rc = load(req, &ag);

	if (rc != 0)
		return rc;
	if (!str_eq(req_form(req, "confirm"), "1"))
		return h_agreement_terminate_confirm(req);
	req_actor(req, &who);
	rc = agreement_terminate(req->db, &who, ag.id, NULL, &v);
	if (rc < 0)
		return resp_server_error(req, "terminating an agreement");
	if (rc > 0)
		return resp_error(req, 409, "terminated", _("Not possible"),
				  v.n > 0 ? v.e[0].message : _("The agreement has already been terminated."));
	return resp_redirect(req, arena_printf(req->arena, "/agreements/%lld", (long long)ag.id),
			     arena_printf(req->arena, _("Agreement \"%s\" has been terminated."), ag.subject));
}

/* ------------------------------------------------------------------ */
/* API                                                                 */
/* ------------------------------------------------------------------ */

static json_t *agreement_json(struct req *req, const struct agreement *ag)
{
	json_t *parties = json_array(), *forms = json_array(), *data = json_array();
	const char *t = iso_today(req);
	int i, in_force;

	for (i = 0; i < ag->nparties; i++)
		json_array_append_new(parties, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)ag->parties[i],
							 "name", ag->party_names[i], "kind",
							 ag->party_kinds[i]));
	for (i = 0; i < ag->nforms; i++)
		json_array_append_new(forms, json_string(ag->forms[i]));
	for (i = 0; i < ag->ndata; i++)
		json_array_append_new(data, json_string(ag->data[i]));
	in_force = (str_eq(ag->status, "signed") ||
		    (str_eq(ag->status, "terminated") && ag->terminated_on != NULL &&
		     strcmp(ag->terminated_on, t) > 0)) &&
		   strcmp(ag->valid_from, t) <= 0 && (ag->valid_to == NULL || strcmp(ag->valid_to, t) >= 0);
	return json_pack("{s:I, s:s, s:s?, s:s, s:s?, s:s, s:s, s:s?, s:s?, s:o, s:o, s:o, s:b, s:b, s:s, s:s}",
			 "id", (json_int_t)ag->id, "subject", ag->subject, "signed_on", ag->signed_on,
			 "valid_from", ag->valid_from, "valid_to", ag->valid_to, "duration", ag->duration,
			 "status", ag->status, "terminated_on", ag->terminated_on, "attachments",
			 ag->attachments, "institutions", parties, "forms", forms, "data", data, "in_force",
			 in_force, "expired", ag->valid_to != NULL && strcmp(ag->valid_to, t) < 0, "created_at",
			 ag->created_at, "updated_at", ag->updated_at);
}

static int api_reply(struct req *req, int status, int64_t id)
{
	struct agreement ag;

	if (agreement_get(req->db, req->arena, id, &ag) != 0)
		return resp_server_error(req, "reading an agreement");
	return resp_json(req, status, agreement_json(req, &ag));
}

static int h_api_agreement_create(struct req *req)
{
	struct agreement ag;
	struct verrs v = VERRS_INIT;
	struct audit_actor who;
	int64_t id = 0;
	int rc;

	memset(&ag, 0, sizeof(ag));
	if (read_agreement(req, &ag, &v, 0) > 0)
		return resp_api_verrs(req, &v);
	req_actor(req, &who);
	rc = agreement_create(req->db, req->arena, &who, &ag, &id, &v);
	if (rc > 0)
		return resp_api_verrs(req, &v);
	if (rc < 0)
		return resp_server_error(req, "creating an agreement");
	resp_header(req, "location", arena_printf(req->arena, "/api/v1/agreements/%lld", (long long)id));
	return api_reply(req, 201, id);
}

static int h_api_agreement_get(struct req *req)
{
	struct agreement ag;
	int rc = load(req, &ag);

	return rc != 0 ? rc : resp_json(req, 200, agreement_json(req, &ag));
}

static int h_api_agreement_update(struct req *req)
{
	struct agreement ag;
	struct verrs v = VERRS_INIT;
	struct audit_actor who;
	int rc = load(req, &ag);

	if (rc != 0)
		return rc;
	if (read_agreement(req, &ag, &v, 1) > 0)
		return resp_api_verrs(req, &v);
	req_actor(req, &who);
	rc = agreement_update(req->db, req->arena, &who, &ag, &v);
	if (rc > 0)
		return resp_api_verrs(req, &v);
	if (rc < 0)
		return resp_server_error(req, "saving an agreement");
	return api_reply(req, 200, ag.id);
}

/* ------------------------------------------------------------------ */
/* The cooperation report                                              */
/* ------------------------------------------------------------------ */

static const char *pct(struct req *req, int n, int total)
{
	if (total == 0)
		return "—";
	return arena_printf(req->arena, "%d%%", (int)((n * 100 + total / 2) / total));
}

static const char *group_label(const char *group)
{
	return str_eq(group, "pcpr") ? _("PCPR") : _("OPS/MOPS");
}

static int report_terc(struct req *req, const char **terc)
{
	const char *t = req_query(req, "terc");
	size_t i;

	*terc = NULL;
	if (str_empty(t))
		return 0;
	for (i = 0; t[i] != '\0'; i++)
		if (t[i] < '0' || t[i] > '9' || i >= 7)
			return resp_error(req, 400, "bad_parameter", _("Wrong address"),
					  _("terc: enter the TERC code of a voivodeship, powiat or gmina "
					    "(2, 4 or 7 digits)."));
	*terc = t;
	return 0;
}

static json_t *report_json(const struct coop_report *r)
{
	json_t *rows = json_array(), *forms = json_array();
	int i, f;

	for (f = 0; f < r->nforms; f++)
		json_array_append_new(forms, json_pack("{s:s, s:s}", "code", r->forms[f].code, "label",
						       r->forms[f].label));
	for (i = 0; i < r->nrows; i++) {
		const struct coop_report_row *w = &r->rows[i];
		json_t *bf = json_object();

		for (f = 0; f < r->nforms; f++)
			json_object_set_new(bf, r->forms[f].code, json_integer(w->by_form[f]));
		json_array_append_new(rows,
				      json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:{s:i, s:i, s:i}, s:o}",
						"terc", w->terc, "level", strlen(w->terc) == 4 ? "powiat" : "voivodeship",
						"name", w->name, "group", w->group, "total", w->total, "signed",
						w->signed_n, "negotiating", w->negotiating, "none", w->none,
						"by_duration", "one_year", w->one_year, "multi_year", w->multi_year,
						"indefinite", w->indefinite, "by_form", bf));
	}
	return json_pack("{s:s, s:o, s:o}", "date", r->date, "forms", forms, "rows", rows);
}

static int report_sheet(struct req *req, const struct coop_report *r, enum sheet_format fmt)
{
	struct sheet *s = sheet_new(fmt, _("Cooperation report"), NULL);
	const char *cells[64];
	enum sheet_cell types[64];
	int i, f, n, rc = 0;

	if (s == NULL)
		return resp_server_error(req, "starting an export");
	n = 0;
	cells[n++] = _("TERC code");
	cells[n++] = _("Unit");
	cells[n++] = _("Institutions");
	cells[n++] = _("Total");
	cells[n++] = _("Signed");
	cells[n++] = _("In negotiation");
	cells[n++] = _("None");
	cells[n++] = _("One year");
	cells[n++] = _("Multi-year");
	cells[n++] = _("Indefinite");
	for (f = 0; f < r->nforms && n < 64; f++)
		cells[n++] = r->forms[f].label;
	rc |= sheet_row(s, cells, NULL, (size_t)n);
	for (i = 0; i < r->nrows && rc == 0; i++) {
		const struct coop_report_row *w = &r->rows[i];
		int nums[8] = { w->total, w->signed_n, w->negotiating, w->none, w->one_year, w->multi_year,
				w->indefinite };
		int k;

		n = 0;
		types[n] = CELL_TEXT;
		cells[n++] = w->terc;
		types[n] = CELL_TEXT;
		cells[n++] = w->name;
		types[n] = CELL_TEXT;
		cells[n++] = group_label(w->group);
		for (k = 0; k < 7; k++) {
			types[n] = CELL_INT;
			cells[n++] = arena_printf(req->arena, "%d", nums[k]);
		}
		for (f = 0; f < r->nforms && n < 64; f++) {
			types[n] = CELL_INT;
			cells[n++] = arena_printf(req->arena, "%d", w->by_form[f]);
		}
		rc |= sheet_row(s, cells, types, (size_t)n);
	}
	buf_reset(&req->out);
	if (rc != 0 || sheet_finish(s, &req->out) != 0) {
		sheet_free(s);
		return resp_server_error(req, "writing an export");
	}
	sheet_free(s);
	resp_header(req, "content-disposition",
		    arena_printf(req->arena, "attachment; filename=\"razem-cooperation-%d.%s\"", clock_today_ymd(),
				 sheet_extension(fmt)));
	req->out_type = sheet_content_type(fmt);
	return 200;
}

static void report_table(struct buf *b, struct req *req, const struct coop_report *r, int powiats)
{
	int i, f;

	html_fmt(b, "<h2>%s</h2>", powiats ? _("By powiat") : _("By voivodeship"));
	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list report\"><thead><tr><th scope=\"col\">%s</th>"
		 "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		 "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		 "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
		 _("Unit"), _("Institutions"), _("Total"), _("Signed"), _("In negotiation"), _("None"),
		 _("One year"), _("Multi-year"), _("Indefinite"));
	for (f = 0; f < r->nforms; f++)
		html_fmt(b, "<th scope=\"col\">%s</th>", r->forms[f].label);
	html_raw(b, "</tr></thead><tbody>");
	for (i = 0; i < r->nrows; i++) {
		const struct coop_report_row *w = &r->rows[i];

		if ((strlen(w->terc) == 4) != powiats)
			continue;
		html_fmt(b, "<tr><th scope=\"row\">%s <span class=\"sub\">%s</span></th><td>%s</td><td>%d</td>",
			 w->name, w->terc, group_label(w->group), w->total);
		html_fmt(b, "<td>%d <span class=\"sub\">%s</span></td>", w->signed_n, pct(req, w->signed_n, w->total));
		html_fmt(b, "<td>%d <span class=\"sub\">%s</span></td>", w->negotiating,
			 pct(req, w->negotiating, w->total));
		html_fmt(b, "<td>%d <span class=\"sub\">%s</span></td>", w->none, pct(req, w->none, w->total));
		html_fmt(b, "<td>%d</td><td>%d</td><td>%d</td>", w->one_year, w->multi_year, w->indefinite);
		for (f = 0; f < r->nforms; f++)
			html_fmt(b, "<td>%d <span class=\"sub\">%s</span></td>", w->by_form[f],
				 pct(req, w->by_form[f], w->signed_n));
		html_raw(b, "</tr>");
	}
	html_raw(b, "</tbody></table></div>");
}

static int h_report_cooperation(struct req *req)
{
	struct coop_report r;
	const char *terc, *format = req_query(req, "format");
	struct buf *b;
	int rc = report_terc(req, &terc);

	if (rc != 0)
		return rc;
	if (coop_report_build(req->db, req->arena, terc, NULL, &r) != 0)
		return resp_server_error(req, "building the cooperation report");
	if (str_eq(format, "csv"))
		return report_sheet(req, &r, SHEET_CSV);
	if (str_eq(format, "xlsx"))
		return report_sheet(req, &r, SHEET_XLSX);
	if (!str_empty(format) && !str_eq(format, "html") && !str_eq(format, "json"))
		return resp_error(req, 400, "bad_parameter", _("Wrong address"),
				  _("format: choose csv or xlsx."));
	if (req->is_api)
		return resp_json(req, 200, report_json(&r));
	page_crumb(req, NULL, _("Cooperation report"));
	b = page_begin(req, _("Cooperation report"));
	html_fmt(b, "<p>%s</p>",
		 arena_printf(req->arena,
			      _("Social-assistance centres (OPS, MOPS, GOPS) and, separately, PCPRs with a signed "
				"agreement in force on %s with a labour office (PUP) of their powiat; the forms "
				"are counted among those with a signed agreement."),
			      reg_date(req, r.date)));
	html_raw(b, "<form class=\"filters\" method=\"get\" action=\"/reports/cooperation\">");
	field_input(b, "text", "terc", _("TERC code of the unit"), terc, NULL, W_NARROW,
		    _("2 digits: a voivodeship, 4: a powiat; empty: all."), NULL);
	button(b, _("Show"), "secondary");
	html_raw(b, "</form><p class=\"page-actions\">");
	html_fmt(b, "<a href=\"%s\">CSV</a> · <a href=\"%s\">XLSX</a> · <a href=\"#\" onclick=\"window.print();return false\">%s</a>",
		 req_url_with(req, "format", "csv"), req_url_with(req, "format", "xlsx"), _("Print"));
	html_raw(b, "</p>");
	if (r.nrows == 0)
		page_notice(b, "info", _("No social-assistance centre in this unit."));
	else {
		report_table(b, req, &r, 1);
		report_table(b, req, &r, 0);
	}
	return page_end(req, 200);
}

/* ------------------------------------------------------------------ */
/* The start-page panel                                                */
/* ------------------------------------------------------------------ */

int agreement_panel(struct req *req, struct buf *b)
{
	struct agreement_brief *e;
	int n, i;

	if (!req_has_role(req, WRITERS))
		return 0;
	/* a coordinator watches the county's agreements; an administrator those of every institution */
	n = agreement_expiring(req->db, req->arena, 0, 60, &e);
	if (n < 0)
		return -1;
	html_fmt(b, "<section class=\"card\"><h2>%s</h2>", _("Agreements to renew"));
	if (n == 0)
		html_fmt(b, "<p>%s</p>", _("No agreement ends within 60 days."));
	else {
		html_raw(b, "<ul>");
		for (i = 0; i < n; i++)
			html_fmt(b, "<li><a href=\"/agreements/%lld\">%s</a> — %s <span class=\"sub\">%s</span></li>",
				 (long long)e[i].id, e[i].subject,
				 arena_printf(req->arena, _("ends on %s"), reg_date(req, e[i].valid_to)),
				 e[i].parties != NULL ? e[i].parties : "");
		html_raw(b, "</ul>");
	}
	html_fmt(b, "<p><a href=\"/agreements?in_force=1\">%s</a></p></section>", _("All agreements in force"));
	return 0;
}

ROUTES(agreements) = {
	{ HTTP_GET, "/agreements", h_agreement_list, 0, 0 },
	{ HTTP_GET, "/agreements/new", h_agreement_new, 0, WRITERS },
	{ HTTP_POST, "/agreements/new", h_agreement_create, 0, WRITERS },
	{ HTTP_GET, "/agreements/{id:int}", h_agreement_show, 0, 0 },
	{ HTTP_GET, "/agreements/{id:int}/edit", h_agreement_edit, 0, WRITERS },
	{ HTTP_POST, "/agreements/{id:int}/edit", h_agreement_update, 0, WRITERS },
	{ HTTP_GET, "/agreements/{id:int}/terminate", h_agreement_terminate_confirm, 0, WRITERS },
	{ HTTP_POST, "/agreements/{id:int}/terminate", h_agreement_terminate, 0, WRITERS },
	{ HTTP_GET, "/reports/cooperation", h_report_cooperation, 0, 0 },
	{ HTTP_GET, "/api/v1/agreements", h_agreement_list, 0, 0 },
	{ HTTP_POST, "/api/v1/agreements", h_api_agreement_create, 0, WRITERS },
	{ HTTP_GET, "/api/v1/agreements/{id:int}", h_api_agreement_get, 0, 0 },
	{ HTTP_PUT, "/api/v1/agreements/{id:int}", h_api_agreement_update, 0, WRITERS },
	{ HTTP_GET, "/api/v1/reports/cooperation", h_report_cooperation, 0, 0 },
};
ROUTES_END(agreements);
