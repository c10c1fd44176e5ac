/*
 * episodes.c — pages and API of support episodes, duplicated-support
 * alerts and their report (coop/episode.h): the episodes section of the
 * person page (episode_person_section()), the episode form that shows
 * overlaps before saving ("save anyway" resubmits the same data with the
 * acknowledgement), the alerts list with resolution and history, the
 * start-page panel (alert_panel()), the duplicated-support report.
 *
 * Writes commit with their history and audit row; what a page tells about
 * the partner's episode follows the sharing rule (decided in the domain).
 */
#include <stdio.h>
#include <string.h>

#include "auth/role.h"
#include "coop/episode.h"
#include "core/clock.h"
#include "core/html.h"
#include "core/sheet.h"
#include "core/str.h"
#include "registry/situation.h"
#include "web/episodes.h"
#include "web/handlers.h"
#include "web/input.h"
#include "web/page.h"
#include "web/registry_web.h"
#include "web/route.h"
#include "web/widget.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static const char *period_text(struct req *req, const char *from, const char *to)
{
	if (from == NULL)
		return "";
	return to == NULL ? arena_printf(req->arena, _("from %s"), reg_date(req, from))
			  : arena_printf(req->arena, "%s – %s", reg_date(req, from), reg_date(req, to));
}

static int answer_write(struct req *req, int rc)
{
	if (rc == EPISODE_NOT_FOUND)
		return reg_not_found(req);
	if (rc < 0)
		return resp_server_error(req, "saving an episode");
	return rc;
}

static json_t *items(json_t *arr)
{
	return json_pack("{s:o}", "items", arr);
}

/* the person's read for casework: 0, or the status answered */
static int decide_person(struct req *req, struct policy_read *r, int64_t id)
{
	int rc;

	req_policy_read(req, POLICY_PERSON, PURPOSE_CASEWORK, r);
	rc = situation_decide(r, POLICY_PERSON, id);
	if (rc < 0)
		return resp_server_error(req, "deciding a read");
	if (rc == POLICY_NOT_FOUND)
		return reg_not_found(req);
	if (rc == POLICY_DENIED)
		return resp_denied(req, &r->decision);
	return 0;
}

/* an episode of the reader's own institution (the record's owner), or 404 */
static int load_episode(struct req *req, int64_t id, struct episode *out)
{
	int rc = episode_get(req->db, req->arena, id, out);

	if (rc < 0)
		return resp_server_error(req, "reading an episode");
	if (rc != 0 || req->sess == NULL || out->institution_id != req->sess->institution_id)
		return reg_not_found(req);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The person page's section                                           */
/* ------------------------------------------------------------------ */

int episode_person_section(struct req *req, struct buf *out, int64_t person_id)
{
	struct policy_read r;
	struct episode *x;
	int n, i;

	req_policy_read(req, POLICY_PERSON, PURPOSE_CASEWORK, &r);
	if (situation_decide(&r, POLICY_PERSON, person_id) < 0)
		return resp_server_error(req, "deciding a read");
	if (!r.decision.allowed || !(r.decision.mask & SENS_BIT(SENS_SOCIAL)))
		return 0;
	if ((n = episode_person_list(req->db, req->arena, person_id, &x)) < 0)
		return resp_server_error(req, "reading episodes");
	html_fmt(out, "<section class=\"card episodes\" id=\"episodes\"><h2>%s</h2>", _("Support received"));
	if (n == 0) {
		html_fmt(out, "<p>%s</p>", _("No support recorded."));
	} else {
		html_fmt(out, "<div class=\"table-wrap\"><table class=\"list\"><thead><tr><th>%s</th>"
			      "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th></th></tr></thead><tbody>",
			 _("Instrument"), _("Project"), _("Period"), _("Status"), _("Cost"));
		for (i = 0; i < n; i++)
			html_fmt(out, "<tr data-episode=\"%lld\"><td>%s</td><td>%s</td><td>%s</td><td>%s%s</td>"
				      "<td>%s</td><td><a href=\"/episodes/%lld/edit\">%s</a></td></tr>",
				 (long long)x[i].id, x[i].instrument_label, x[i].project != NULL ? x[i].project : "",
				 period_text(req, x[i].start_date,
					     x[i].actual_end != NULL ? x[i].actual_end : x[i].planned_end),
				 episode_status_label(x[i].status), x[i].withdrawn ? _(" (withdrawn)") : "",
				 x[i].cost_grosze >= 0 ? money_format(req->arena, x[i].cost_grosze) : "",
				 (long long)x[i].id, _("Edit"));
		html_raw(out, "</tbody></table></div>");
	}
	html_fmt(out, "<p><a class=\"btn secondary\" href=\"/persons/%lld/episodes/new\">%s</a></p></section>",
		 (long long)person_id, _("Add support"));
	return 0;
}

/* ------------------------------------------------------------------ */
/* The form                                                            */
/* ------------------------------------------------------------------ */

enum { EF_INSTRUMENT, EF_PROJECT, EF_START, EF_PLANNED, EF_ACTUAL, EF_COST, EF_STATUS, EF_OUTCOME,
       EF_ACK, NEF };
static const struct field episode_fields[NEF] = {
	[EF_INSTRUMENT] = { "instrument", N_("Instrument"), F_TEXT, 0, 0, 60 },
	[EF_PROJECT] = { "project", N_("Project"), F_TEXT, 0, 0, 200 },
	[EF_START] = { "start", N_("Start"), F_TEXT, 0, 0, 20 },
	[EF_PLANNED] = { "planned_end", N_("Planned end"), F_TEXT, 0, 0, 20 },
	[EF_ACTUAL] = { "actual_end", N_("Actual end"), F_TEXT, 0, 0, 20 },
	[EF_COST] = { "cost", N_("Cost"), F_TEXT, 0, 0, 40 },
	[EF_STATUS] = { "status", N_("Status"), F_TEXT, 0, 0, 20 },
	[EF_OUTCOME] = { "outcome", N_("Outcome"), F_TEXT, 0, 0, 2000 },
	[EF_ACK] = { "acknowledge_duplicate", N_("Save anyway"), F_BOOL, 0, 0, 1 },
};
/* the API: cost in grosze (an integer), and the person and institution */
enum { EA_GROSZE = NEF, EA_PERSON, EA_INST, NEA };
static const struct field episode_api_fields[NEA] = {
	[EF_INSTRUMENT] = { "instrument", N_("Instrument"), F_TEXT, 0, 0, 60 },
	[EF_PROJECT] = { "project", N_("Project"), F_TEXT, 0, 0, 200 },
	[EF_START] = { "start", N_("Start"), F_TEXT, 0, 0, 20 },
	[EF_PLANNED] = { "planned_end", N_("Planned end"), F_TEXT, 0, 0, 20 },
	[EF_ACTUAL] = { "actual_end", N_("Actual end"), F_TEXT, 0, 0, 20 },
	[EF_COST] = { "cost", N_("Cost"), F_TEXT, 0, 0, 40 },
	[EF_STATUS] = { "status", N_("Status"), F_TEXT, 0, 0, 20 },
	[EF_OUTCOME] = { "outcome", N_("Outcome"), F_TEXT, 0, 0, 2000 },
	[EF_ACK] = { "acknowledge_duplicate", N_("Save anyway"), F_BOOL, 0, 0, 1 },
	[EA_GROSZE] = { "cost_grosze", N_("Cost"), F_INT, 0, 0, MONEY_MAX_GROSZE },
	[EA_PERSON] = { "person_id", N_("Person"), F_INT, 0, 0, INT64_MAX },
	[EA_INST] = { "institution_id", N_("Institution"), F_INT, 0, 0, INT64_MAX },
};

/* the posted episode: fields, the cost text (NULL when cost_grosze came), the acknowledgement */
struct posted {
	struct episode e;
	const char *cost;
	int ack;
};

static void episode_in(const struct input *x, int api, struct posted *p)
{
	p->e.instrument_code = x[EF_INSTRUMENT].text;
	p->e.project = x[EF_PROJECT].text;
	p->e.start_date = x[EF_START].text;
	p->e.planned_end = x[EF_PLANNED].text;
	p->e.actual_end = x[EF_ACTUAL].text;
	p->e.status = x[EF_STATUS].text;
	p->e.outcome = x[EF_OUTCOME].text;
	p->ack = (int)x[EF_ACK].num;
	p->e.cost_grosze = -1;
	p->cost = x[EF_COST].text;
	if (api && x[EA_GROSZE].present && !x[EF_COST].present) {
		p->e.cost_grosze = x[EA_GROSZE].num;
		p->cost = NULL;
	}
	if (api && x[EA_PERSON].present && p->e.person_id == 0)
		p->e.person_id = x[EA_PERSON].num;
	if (api && x[EA_INST].present)
		p->e.institution_id = x[EA_INST].num;
}

/* overlap_text() is what the reader is told about one overlap */
static const char *overlap_text(struct req *req, const struct episode_overlap *o)
{
	if (!o->disclosed)
		return arena_printf(req->arena,
				    _("A partner institution reports overlapping support of the kind "
				      "\"%s\" and has been notified."),
				    o->kind);
	return arena_printf(req->arena, _("%s: %s, %s (kind \"%s\")."), o->institution_name,
			    o->instrument_label, period_text(req, o->from, o->to), o->kind);
}

static int episode_form(struct req *req, int status, const struct posted *p,
			const struct episode_overlap *ov, int nov, const struct verrs *v)
{
	const struct episode *x = &p->e;
	const char *title = x->id == 0 ? _("Add support") : _("Edit the support");
	struct instrument *ins;
	struct option *opts, st[4];
	struct buf *b;
	int n = instrument_list(req->db, req->arena, &ins), i;

	if (n < 0)
		return resp_server_error(req, "reading the instruments");
	opts = arena_zalloc(req->arena, sizeof(*opts) * (size_t)(n + 1));
	if (opts == NULL)
		return resp_server_error(req, "allocating");
	for (i = 0; i < n; i++)
		opts[i] = (struct option){ ins[i].code, arena_printf(req->arena, "%s — %s", ins[i].label,
								   instrument_category_label(ins[i].category)) };
	for (i = 0; i < 4; i++)
		st[i] = (struct option){ episode_statuses[i], episode_status_label(episode_statuses[i]) };
	page_crumb(req, arena_printf(req->arena, "/persons/%lld", (long long)x->person_id), _("Person"));
	page_crumb(req, NULL, title);
	b = page_begin(req, title);
	form_errors(b, v);
	if (nov > 0) {
		html_fmt(b, "<section class=\"notice warning duplicate\" role=\"alert\"><h2>%s</h2><ul>",
			 _("Duplicated support"));
		for (i = 0; i < nov; i++)
			html_fmt(b, "<li>%s</li>", overlap_text(req, &ov[i]));
		html_fmt(b, "</ul><p>%s</p></section>",
			 _("Check with the partner before saving. If you save anyway, both institutions "
			   "get an alert to resolve."));
	}
	form_begin(b, req,
		   x->id == 0 ? arena_printf(req->arena, "/persons/%lld/episodes/new", (long long)x->person_id)
			      : arena_printf(req->arena, "/episodes/%lld/edit", (long long)x->id),
		   "form");
	field_select(b, "instrument", _("Instrument"), opts, n, x->instrument_code, _("— choose —"), v,
		     W_REQUIRED | W_WIDE, NULL);
	field_input(b, "text", "project", _("Project"), x->project, v, W_WIDE,
		    _("Optional: the project or programme that funds it."), NULL);
	field_input(b, "date", "start", _("Start"), x->start_date, v, W_REQUIRED | W_NARROW, NULL, NULL);
	field_input(b, "date", "planned_end", _("Planned end"), x->planned_end, v, W_NARROW, NULL, NULL);
	field_input(b, "date", "actual_end", _("Actual end"), x->actual_end, v, W_NARROW, NULL, NULL);
	field_input(b, "text", "cost", _("Cost"),
		    p->cost != NULL ? p->cost : money_input(req->arena, x->cost_grosze), v, W_NARROW,
		    _("In złoty with a decimal comma, e.g. 1 234,56."), NULL);
	field_select(b, "status", _("Status"), st, 4, x->status != NULL ? x->status : "planned", NULL, v, 0,
		     NULL);
	field_input(b, "text", "outcome", _("Outcome"), x->outcome, v, W_WIDE, NULL, NULL);
	html_raw(b, "<div class=\"actions\">");
	if (nov > 0) {
		html_raw(b, "<input type=\"hidden\" name=\"acknowledge_duplicate\" value=\"1\">");
		button(b, _("Save anyway"), "primary");
	} else {
		button(b, _("Save"), "primary");
	}
	html_fmt(b, " <a class=\"btn secondary\" href=\"/persons/%lld\">%s</a></div>", (long long)x->person_id,
		 _("Cancel"));
	form_end(b);
	return page_end(req, status);
}

/*
 * save() validates and saves p: 0 saved, 1 refused (v), EPISODE_DUPLICATE
 * with ov and nov set, or the status answered.
 */
static int save(struct req *req, struct posted *p, struct episode_overlap **ov, int *nov,
		struct verrs *v)
{
	struct registry_writer w;
	int64_t id = p->e.id;
	int creating = p->e.id == 0, rc;

	reg_session_writer(req, &w);
	rc = episode_validate(req->db, req->arena, &p->e, p->cost, v);
	if (rc < 0)
		return resp_server_error(req, "checking an episode");
	if (rc > 0)
		return 1;
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = creating ? episode_create(req->db, req->arena, &w, &p->e, p->ack, &id, ov, nov, v)
		      : episode_update(req->db, req->arena, &w, &p->e, p->ack, ov, nov, v);
	if (rc == EPISODE_DUPLICATE) {
		tx_end(req, 1); /* nothing written: roll back */
		return rc;
	}
	rc = tx_audit(req, rc, creating ? "episode.create" : "episode.update", "episode",
		      creating ? id : p->e.id, p->e.instrument_code);
	if (rc == 0)
		p->e.id = id;
	return answer_write(req, rc);
}

/* post() reads and saves; -1 when saved (the caller answers), else the status answered */
static int post(struct req *req, struct posted *p, int api)
{
	struct input in[NEA];
	struct verrs v = VERRS_INIT;
	struct episode_overlap *ov = NULL;
	int nov = 0, rc, i;

	input_read(req, api ? episode_api_fields : episode_fields, api ? NEA : NEF, in, &v);
	episode_in(in, api, p);
	if (api && p->e.person_id == 0)
		verrs_add(&v, "person_id", "required", "%s", _("Person: this field is required."));
	rc = v.n > 0 ? 1 : save(req, p, &ov, &nov, &v);
	if (rc == EPISODE_DUPLICATE && api) {
		json_t *arr = json_array();

		for (i = 0; i < nov; i++) {
			json_t *o = json_pack("{s:s, s:b, s:s}", "kind", ov[i].kind, "disclosed", ov[i].disclosed,
					      "message", overlap_text(req, &ov[i]));

			if (ov[i].disclosed) {
				json_object_set_new(o, "institution_id", json_integer(ov[i].institution_id));
				json_object_set_new(o, "institution", json_string(ov[i].institution_name));
				json_object_set_new(o, "instrument", json_string(ov[i].instrument_code));
				json_object_set_new(o, "from", json_string(ov[i].from));
				json_object_set_new(o, "to", ov[i].to != NULL ? json_string(ov[i].to) : json_null());
			}
			json_array_append_new(arr, o);
		}
		return resp_json(req, 409,
				 json_pack("{s:s, s:s, s:o}", "code", "duplicated_support", "message",
					   _("Overlapping support of the same kind is recorded by a partner "
					     "institution; send \"acknowledge_duplicate\": true to save anyway."),
					   "overlaps", arr));
	}
	if (rc == EPISODE_DUPLICATE)
		return episode_form(req, 409, p, ov, nov, NULL);
	if (rc == 1 && api)
		return resp_api_verrs(req, &v);
	if (rc == 1) {
		input_order_errors(episode_fields, NEF, &v);
		return episode_form(req, 422, p, NULL, 0, &v);
	}
	return rc != 0 ? rc : -1;
}

static int h_episode_new(struct req *req)
{
	struct policy_read r;
	struct posted p = { .e = { .person_id = req->id, .cost_grosze = -1, .status = "planned" } };
	int rc = decide_person(req, &r, req->id);

	return rc != 0 ? rc : episode_form(req, 200, &p, NULL, 0, NULL);
}

static int h_episode_create(struct req *req)
{
	struct policy_read r;
	struct posted p = { .e = { .person_id = req->id } };
	int rc = decide_person(req, &r, req->id);

	if (rc != 0)
		return rc;
	rc = post(req, &p, 0);
	return rc != -1 ? rc
			: resp_redirect(req, arena_printf(req->arena, "/persons/%lld#episodes", (long long)req->id),
					_("Saved the support."));
}

static int h_episode_edit(struct req *req)
{
	struct posted p = { 0 };
	int rc = load_episode(req, req->id, &p.e);

	return rc != 0 ? rc : episode_form(req, 200, &p, NULL, 0, NULL);
}

static int h_episode_update(struct req *req)
{
	struct episode old;
	struct posted p = { 0 };
	int rc = load_episode(req, req->id, &old);

	if (rc != 0)
		return rc;
	p.e.id = old.id;
	p.e.person_id = old.person_id;
	rc = post(req, &p, 0);
	return rc != -1 ? rc
			: resp_redirect(req, arena_printf(req->arena, "/persons/%lld#episodes",
							  (long long)old.person_id),
					_("Saved the support."));
}

/* ------------------------------------------------------------------ */
/* API: instruments and episodes                                       */
/* ------------------------------------------------------------------ */

static int h_api_instruments(struct req *req)
{
	struct instrument *x;
	json_t *arr;
	int n = instrument_list(req->db, req->arena, &x), i;

	if (n < 0)
		return resp_server_error(req, "reading the instruments");
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?}", "code", x[i].code,
						     "name", x[i].label, "kind", x[i].kind, "category",
						     x[i].category, "legal_basis", x[i].legal_basis,
						     "valid_from", x[i].valid_from, "valid_to", x[i].valid_to));
	return resp_json(req, 200, items(arr));
}

static json_t *episode_json(const struct episode *x)
{
	json_t *j = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s?, s:s, s:s?, s:s?, s:s, s:s?, s:b}", "id",
			      (json_int_t)x->id, "institution_id", (json_int_t)x->institution_id, "person_id",
			      (json_int_t)x->person_id, "instrument", x->instrument_code, "kind", x->kind,
			      "project", x->project, "start", x->start_date, "planned_end", x->planned_end,
			      "actual_end", x->actual_end, "status", x->status, "outcome", x->outcome,
			      "withdrawn", x->withdrawn);

	json_object_set_new(j, "cost_grosze", x->cost_grosze >= 0 ? json_integer(x->cost_grosze) : json_null());
	return j;
}

static int api_episode_reply(struct req *req, int status, int64_t id)
{
	struct episode x;
	int rc = load_episode(req, id, &x);

	if (rc != 0)
		return rc;
	if (status == 201)
		resp_header(req, "location", arena_printf(req->arena, "/api/v1/episodes/%lld", (long long)id));
	return resp_json(req, status, episode_json(&x));
}

static int h_api_episode_create(struct req *req)
{
	struct posted p = { 0 };
	int rc = post(req, &p, 1);

	return rc != -1 ? rc : api_episode_reply(req, 201, p.e.id);
}

static int h_api_episode_get(struct req *req)
{
	return api_episode_reply(req, 200, req->id);
}

static int h_api_episode_update(struct req *req)
{
	struct episode old;
	struct posted p = { 0 };
	int rc = load_episode(req, req->id, &old);

	if (rc != 0)
		return rc;
	p.e.id = old.id;
	p.e.person_id = old.person_id;
	rc = post(req, &p, 1);
	return rc != -1 ? rc : api_episode_reply(req, 200, old.id);
}

/* ------------------------------------------------------------------ */
/* Alerts                                                              */
/* ------------------------------------------------------------------ */

static const char *partner_text(struct req *req, const struct alert *x)
{
	if (!x->disclosed)
		return _("A partner institution reports overlapping support of this kind and has been "
			 "notified.");
	return arena_printf(req->arena, "%s: %s, %s", x->other_institution_name, x->other_instrument_label,
			    period_text(req, x->other_from, x->other_to));
}

int alert_panel(struct req *req, struct buf *out)
{
	struct alert *x;
	int n, i;

	if (req->sess == NULL || req->sess->institution_id <= 0)
		return 0;
	n = alert_list(req->db, req->arena, &(struct policy_actor){ req->sess->user_id, req->sess->roles,
								    req->sess->institution_id, 0 },
		       req->sess->institution_id, "open", 5, &x);
	if (n <= 0)
		return n < 0 ? -1 : 0;
	html_fmt(out, "<section class=\"card alerts\"><h2>%s</h2><ul>", _("Duplicated support to resolve"));
	for (i = 0; i < n; i++)
		html_fmt(out, "<li><a href=\"/alerts/%lld\">%s</a> — %s</li>", (long long)x[i].id,
			 x[i].instrument_label, period_text(req, x[i].overlap_from, x[i].overlap_to));
	html_fmt(out, "</ul><p><a href=\"/alerts\">%s</a></p></section>", _("All alerts"));
	return 0;
}

static struct policy_actor actor(const struct req *req)
{
	return (struct policy_actor){ req->sess->user_id, req->sess->roles, req->sess->institution_id, 0 };
}

static const char *state_filter(struct req *req)
{
	const char *s = req_query(req, "state");

	int i;

	if (s != NULL && strcmp(s, "open") == 0)
		return s;
	for (i = 0; s != NULL && alert_resolutions[i] != NULL; i++)
		if (strcmp(s, alert_resolutions[i]) == 0)
			return s;
	return NULL;
}

static int h_alerts(struct req *req)
{
	struct policy_actor who = actor(req);
	struct alert *x;
	struct buf *b;
	int n = alert_list(req->db, req->arena, &who, who.institution_id, state_filter(req), 500, &x), i;

	if (n < 0)
		return resp_server_error(req, "reading alerts");
	page_crumb(req, NULL, _("Duplicated support"));
	b = page_begin(req, _("Duplicated support"));
	html_fmt(b, "<p><a href=\"/alerts?state=open\">%s</a> · <a href=\"/alerts\">%s</a> · "
		    "<a href=\"/reports/duplicated-support\">%s</a></p>",
		 _("Open"), _("All"), _("Report"));
	if (n == 0) {
		html_fmt(b, "<p>%s</p>", _("No alerts."));
		return page_end(req, 200);
	}
	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list\"><thead><tr><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		 _("Your support"), _("Overlap"), _("Partner"), _("State"), _("Person"));
	for (i = 0; i < n; i++)
		html_fmt(b, "<tr data-alert=\"%lld\"><td><a href=\"/alerts/%lld\">%s</a></td><td>%s</td><td>%s</td>"
			    "<td>%s</td><td><a href=\"/persons/%lld\">%lld</a></td></tr>",
			 (long long)x[i].id, (long long)x[i].id, x[i].instrument_label,
			 period_text(req, x[i].overlap_from, x[i].overlap_to), partner_text(req, &x[i]),
			 alert_state_label(x[i].state), (long long)x[i].person_id, (long long)x[i].person_id);
	html_raw(b, "</tbody></table></div>");
	return page_end(req, 200);
}

static int load_alert(struct req *req, struct alert *out)
{
	struct policy_actor who = actor(req);
	int rc = alert_get(req->db, req->arena, &who, req->id, out);

	if (rc < 0)
		return resp_server_error(req, "reading an alert");
	return rc != 0 ? reg_not_found(req) : 0;
}

static int alert_page(struct req *req, int status, const struct alert *x, const struct verrs *v)
{
	struct alert_event *h;
	struct option opts[3];
	struct buf *b;
	int n = alert_history_read(req->db, req->arena, x->id, &h), i;

	if (n < 0)
		return resp_server_error(req, "reading an alert's history");
	for (i = 0; i < 3; i++)
		opts[i] = (struct option){ alert_resolutions[i], alert_state_label(alert_resolutions[i]) };
	page_crumb(req, "/alerts", _("Duplicated support"));
	page_crumb(req, NULL, _("Alert"));
	b = page_begin(req, _("Duplicated support: alert"));
	html_raw(b, "<dl class=\"fields\">");
	dl_row(b, _("Your support"), x->instrument_label);
	dl_row(b, _("Overlap"), period_text(req, x->overlap_from, x->overlap_to));
	dl_row(b, _("Kind of support"), x->kind);
	dl_row(b, _("Partner"), partner_text(req, x));
	dl_row(b, _("State"), alert_state_label(x->state));
	if (x->comment != NULL)
		dl_row(b, _("Comment"), x->comment);
	html_raw(b, "</dl>");
	html_fmt(b, "<p><a href=\"/persons/%lld#episodes\">%s</a></p>", (long long)x->person_id,
		 _("The person's support"));
	html_fmt(b, "<h2>%s</h2>", _("Resolve"));
	form_errors(b, v);
	form_begin(b, req, arena_printf(req->arena, "/alerts/%lld/resolve", (long long)x->id), "form");
	field_select(b, "resolution", _("Resolution"), opts, 3, NULL, _("— choose —"), v, W_REQUIRED, NULL);
	field_input(b, "text", "comment", _("Comment"), NULL, v, W_WIDE, NULL, NULL);
	html_raw(b, "<div class=\"actions\">");
	button(b, _("Save"), "primary");
	html_raw(b, "</div>");
	form_end(b);
	html_fmt(b, "<h2>%s</h2><ul class=\"history\">", _("History"));
	for (i = 0; i < n; i++)
		html_fmt(b, "<li>%s — %s%s%s%s</li>", h[i].at, alert_state_label(h[i].state),
			 h[i].by != NULL ? " — " : "", h[i].by != NULL ? h[i].by : "",
			 h[i].comment != NULL ? arena_printf(req->arena, ": %s", h[i].comment) : "");
	html_raw(b, "</ul>");
	return page_end(req, status);
}

static int h_alert_show(struct req *req)
{
	struct alert x;
	int rc = load_alert(req, &x);

	return rc != 0 ? rc : alert_page(req, 200, &x, NULL);
}

enum { AF_RESOLUTION, AF_COMMENT, NAF };
static const struct field alert_fields[NAF] = {
	[AF_RESOLUTION] = { "resolution", N_("Resolution"), F_TEXT, 0, 0, 20 },
	[AF_COMMENT] = { "comment", N_("Comment"), F_TEXT, 0, 0, 2000 },
};

/* resolve(): 0 done, 1 refused (v), or the status answered */
static int resolve(struct req *req, const struct alert *x, struct verrs *v)
{
	struct input in[NAF];
	struct registry_writer w;
	int rc;

	if (input_read(req, alert_fields, NAF, in, v) > 0)
		return 1;
	reg_session_writer(req, &w);
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = alert_resolve(req->db, req->arena, &w, x->id, in[AF_RESOLUTION].text, in[AF_COMMENT].text, v);
	rc = tx_audit(req, rc, "alert.resolve", "alert", x->id, in[AF_RESOLUTION].text);
	return answer_write(req, rc);
}

static int h_alert_resolve(struct req *req)
{
	struct alert x;
	struct verrs v = VERRS_INIT;
	int rc = load_alert(req, &x);

	if (rc != 0)
		return rc;
	rc = resolve(req, &x, &v);
	if (rc == 1)
		return alert_page(req, 422, &x, &v);
	return rc != 0 ? rc
		       : resp_redirect(req, arena_printf(req->arena, "/alerts/%lld", (long long)x.id),
				       _("Saved the resolution."));
}

static json_t *alert_json(const struct alert *x)
{
	json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s?, s:s?, s:I, s:b}", "id", (json_int_t)x->id,
			      "episode_id", (json_int_t)x->episode_id, "state", x->state, "kind", x->kind,
			      "overlap_from", x->overlap_from, "overlap_to", x->overlap_to, "comment",
			      x->comment, "person_id", (json_int_t)x->person_id, "disclosed", x->disclosed);

	if (x->disclosed)
		json_object_set_new(j, "partner",
				    json_pack("{s:I, s:s, s:I, s:s, s:s, s:s?}", "institution_id",
					      (json_int_t)x->other_institution, "institution",
					      x->other_institution_name, "episode_id", (json_int_t)x->other_episode,
					      "instrument", x->other_instrument_label, "from", x->other_from, "to",
					      x->other_to));
	return j;
}

static int h_api_alerts(struct req *req)
{
	struct policy_actor who = actor(req);
	struct alert *x;
	json_t *arr;
	int n = alert_list(req->db, req->arena, &who, who.institution_id, state_filter(req), 500, &x), i;

	if (n < 0)
		return resp_server_error(req, "reading alerts");
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, alert_json(&x[i]));
	return resp_json(req, 200, items(arr));
}

static int h_api_alert_resolve(struct req *req)
{
	struct alert x;
	struct verrs v = VERRS_INIT;
	int rc = load_alert(req, &x);

	if (rc != 0)
		return rc;
	rc = resolve(req, &x, &v);
	if (rc == 1)
		return resp_api_verrs(req, &v);
	if (rc != 0)
		return rc;
	if ((rc = load_alert(req, &x)) != 0)
		return rc;
	return resp_json(req, 200, alert_json(&x));
}

/* ------------------------------------------------------------------ */
/* The duplicated-support report                                       */
/* ------------------------------------------------------------------ */

/*
 * Coordinators and analysts see every institution's overlaps, with counts
 * under small_count suppressed (the report leaves the institution);
 * others see their own institution's, in full.
 */
struct report {
	const char *terc;
	int year;
	int across;
	struct dup_row *rows;
	int n;
};

static int report_read(struct req *req, struct report *r)
{
	const char *terc = req_query(req, "terc"), *year = req_query(req, "year");
	int64_t y = 0;
	size_t i;

	r->terc = "";
	if (terc != NULL && terc[0] != '\0') {
		for (i = 0; terc[i] != '\0'; i++)
			if (terc[i] < '0' || terc[i] > '9' || i >= 7)
				return resp_error(req, 422, "invalid", _("Invalid request"),
						  _("TERC: up to 7 digits, e.g. 3201."));
		r->terc = terc;
	}
	if (year != NULL && year[0] != '\0') {
		if (str_to_int64(year, 2000, 2100, &y) != 0)
			return resp_error(req, 422, "invalid", _("Invalid request"),
					  _("Year: enter a year between 2000 and 2100."));
		r->year = (int)y;
	} else {
		r->year = clock_today_ymd() / 10000;
	}
	r->across = req_has_role(req, ROLE_BIT(ROLE_COORDINATOR) | ROLE_BIT(ROLE_ANALYST));
	r->n = dup_report(req->db, req->arena, r->terc, r->year, r->across ? 0 : req->sess->institution_id,
			  r->across ? (int)req->app->cfg.small_count : 0, &r->rows);
	return r->n < 0 ? resp_server_error(req, "reading the report") : 0;
}

static int report_sheet(struct req *req, const struct report *r, enum sheet_format fmt)
{
	static const enum sheet_cell types[] = { CELL_TEXT, CELL_TEXT, CELL_TEXT, CELL_INT, CELL_INT, CELL_TEXT };
	const char *head[] = { _("Powiat (TERC)"), _("Powiat"), _("Kind of support"), _("Overlaps"), _("Persons"), _("Cost") };
	struct sheet *s = sheet_new(fmt, _("Duplicated support"), NULL);
	int i, rc;

	if (s == NULL)
		return resp_server_error(req, "starting a sheet");
	rc = sheet_row(s, head, NULL, 6);
	for (i = 0; rc == 0 && i < r->n; i++) {
		const struct dup_row *x = &r->rows[i];
		const char *cells[] = { x->terc, x->powiat, x->kind,
					x->suppressed ? NULL : arena_printf(req->arena, "%lld", (long long)x->overlaps),
					x->suppressed ? NULL : arena_printf(req->arena, "%lld", (long long)x->persons),
					x->suppressed ? _("fewer than the threshold") : money_format(req->arena, x->cost_grosze) };

		rc = sheet_row(s, cells, types, 6);
	}
	return page_sheet_send(req, s, rc, fmt, arena_printf(req->arena, "duplicated-support-%d", r->year));
}

static int report_format(struct req *req, const struct report *r, int api)
{
	enum sheet_format fmt;
	int rc = page_sheet_format(req, api, &fmt);

	return rc == 1 ? report_sheet(req, r, fmt) : rc;
}

static int h_report(struct req *req)
{
	struct report r = { 0 };
	struct buf *b;
	int rc = report_read(req, &r), i;

	if (rc != 0 || (rc = report_format(req, &r, 0)) != 0)
		return rc;
	page_crumb(req, NULL, _("Duplicated support"));
	b = page_begin(req, arena_printf(req->arena, _("Duplicated support in %d"), r.year));
	html_fmt(b, "<form method=\"get\" action=\"/reports/duplicated-support\" class=\"inline no-print\">"
		    "<label>%s <input name=\"terc\" value=\"%s\" size=\"7\"></label> "
		    "<label>%s <input name=\"year\" value=\"%d\" size=\"4\"></label> <button>%s</button></form>",
		 _("TERC"), r.terc, _("Year"), r.year, _("Show"));
	if (r.across)
		html_fmt(b, "<p class=\"meta\">%s</p>",
			 arena_printf(req->arena, _("Counts below %lld are not shown."),
				      (long long)req->app->cfg.small_count));
	if (r.n == 0) {
		html_fmt(b, "<p>%s</p>", _("No duplicated support found."));
	} else {
		html_fmt(b, "<div class=\"table-wrap\"><table class=\"list report\"><thead><tr><th>%s</th><th>%s</th>"
			    "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
			 _("Powiat"), _("Kind of support"), _("Overlaps"), _("Persons"), _("Cost"));
		for (i = 0; i < r.n; i++) {
			const struct dup_row *x = &r.rows[i];

			if (x->suppressed)
				html_fmt(b, "<tr><td>%s %s</td><td>%s</td><td colspan=\"3\">%s</td></tr>", x->terc,
					 x->powiat != NULL ? x->powiat : "", x->kind, _("fewer than the threshold"));
			else
				html_fmt(b, "<tr><td>%s %s</td><td>%s</td><td>%lld</td><td>%lld</td><td>%s</td></tr>",
					 x->terc, x->powiat != NULL ? x->powiat : "", x->kind, (long long)x->overlaps,
					 (long long)x->persons, money_format(req->arena, x->cost_grosze));
		}
		html_raw(b, "</tbody></table></div>");
	}
	html_fmt(b, "<p class=\"no-print\"><a href=\"?terc=%s&amp;year=%d&amp;format=csv\">CSV</a> · "
		    "<a href=\"?terc=%s&amp;year=%d&amp;format=xlsx\">XLSX</a></p>",
		 r.terc, r.year, r.terc, r.year);
	return page_end(req, 200);
}

static int h_api_report(struct req *req)
{
	struct report r = { 0 };
	json_t *arr;
	int rc = report_read(req, &r), i;

	if (rc != 0 || (rc = report_format(req, &r, 1)) != 0)
		return rc;
	arr = json_array();
	for (i = 0; i < r.n; i++) {
		const struct dup_row *x = &r.rows[i];
		json_t *o = json_pack("{s:s, s:s?, s:s, s:b}", "terc", x->terc, "powiat", x->powiat, "kind", x->kind,
				      "suppressed", x->suppressed);

		json_object_set_new(o, "overlaps", x->suppressed ? json_null() : json_integer(x->overlaps));
		json_object_set_new(o, "persons", x->suppressed ? json_null() : json_integer(x->persons));
		json_object_set_new(o, "cost_grosze", x->suppressed ? json_null() : json_integer(x->cost_grosze));
		json_array_append_new(arr, o);
	}
	return resp_json(req, 200, json_pack("{s:i, s:s, s:o}", "year", r.year, "terc", r.terc, "items", arr));
}

ROUTES(episodes) = {
	{ HTTP_GET, "/persons/{id:int}/episodes/new", h_episode_new, 0, 0 },
	{ HTTP_POST, "/persons/{id:int}/episodes/new", h_episode_create, 0, 0 },
	{ HTTP_GET, "/episodes/{id:int}/edit", h_episode_edit, 0, 0 },
	{ HTTP_POST, "/episodes/{id:int}/edit", h_episode_update, 0, 0 },
	{ HTTP_GET, "/alerts", h_alerts, 0, 0 },
	{ HTTP_GET, "/alerts/{id:int}", h_alert_show, 0, 0 },
	{ HTTP_POST, "/alerts/{id:int}/resolve", h_alert_resolve, 0, 0 },
	{ HTTP_GET, "/reports/duplicated-support", h_report, 0, 0 },
	{ HTTP_GET, "/api/v1/instruments", h_api_instruments, 0, 0 },
	{ HTTP_POST, "/api/v1/episodes", h_api_episode_create, 0, 0 },
	{ HTTP_GET, "/api/v1/episodes/{id:int}", h_api_episode_get, 0, 0 },
	{ HTTP_PUT, "/api/v1/episodes/{id:int}", h_api_episode_update, 0, 0 },
	{ HTTP_GET, "/api/v1/alerts", h_api_alerts, 0, 0 },
	{ HTTP_POST, "/api/v1/alerts/{id:int}/resolve", h_api_alert_resolve, 0, 0 },
	{ HTTP_GET, "/api/v1/reports/duplicated-support", h_api_report, 0, 0 },
};
ROUTES_END(episodes);
