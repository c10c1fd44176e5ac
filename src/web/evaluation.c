/*
 * evaluation.c — outcomes of social contracts (coop/outcome.h) on the
 * contract's page and in the API, the six-month follow-up on the start
 * page, and the evaluation against a matched comparison group
 * (coop/evaluation.h): a printable page, CSV/XLSX and
 * GET /api/v1/evaluation, for coordinators and analysts, with counts
 * under small_count suppressed (the aggregates leave the institutions).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/role.h"
#include "coop/evaluation.h"
#include "coop/outcome.h"
#include "core/clock.h"
#include "core/html.h"
#include "core/sheet.h"
#include "core/str.h"
#include "web/handlers.h"
#include "web/input.h"
#include "web/page.h"
#include "web/registry_web.h"
#include "web/route.h"
#include "web/widget.h"

#define WORKERS (ROLE_BIT(ROLE_SOCIAL_WORKER) | ROLE_BIT(ROLE_GUARDIAN) | ROLE_BIT(ROLE_LABOUR_ADVISER) | \
		 ROLE_BIT(ROLE_COORDINATOR))
#define EVALUATORS (ROLE_BIT(ROLE_COORDINATOR) | ROLE_BIT(ROLE_ANALYST))

enum { O_POINT, O_KIND, O_PERSON, O_ACHIEVED, O_OBSERVED, O_NOTE, NO };
static const struct field outcome_fields[NO] = {
	[O_POINT] = { "point", N_("When"), F_CHOICE, F_REQUIRED, 0, 0, outcome_points },
	[O_KIND] = { "kind", N_("Outcome"), F_TEXT, F_REQUIRED, 0, 40 },
	[O_PERSON] = { "person_id", N_("Member"), F_INT, 0, 0, INT64_MAX },
	[O_ACHIEVED] = { "achieved", N_("Achieved"), F_BOOL },
	[O_OBSERVED] = { "observed_on", N_("Observed on"), F_TEXT, F_REQUIRED, 0, 10 },
	[O_NOTE] = { "note", N_("Note"), F_TEXT, 0, 0, 2000 },
};

static int actor(struct req *req, struct contract_actor *w)
{
	return contract_actor_of(req->db, req->sess->user_id, req->sess->roles, req->sess->institution_id,
				 req->sess->login, req->ip, w);
}

/* ------------------------------------------------------------------ */
/* Outcomes on the contract's page                                     */
/* ------------------------------------------------------------------ */

static const char *kind_label(struct req *req, const char *code)
{
	struct outcome_kind *k;
	int n = outcome_kinds(req->db, req->arena, &k), i;

	for (i = 0; i < n; i++)
		if (str_eq(k[i].code, code))
			return k[i].label;
	return code;
}

static void outcome_form(struct buf *b, struct req *req, const struct contract *c, const struct contract_content *x,
			 const struct outcome *o, const struct verrs *v)
{
	struct option points[2], yn[2], *kinds, *who;
	struct outcome_kind *k;
	int nk = outcome_kinds(req->db, req->arena, &k), i, nw = 0;
	char today[11], now[CLOCK_ISO_LEN];

	clock_iso(clock_now(), now);
	snprintf(today, sizeof(today), "%.10s", now);
	kinds = arena_zalloc(req->arena, sizeof(*kinds) * (size_t)(nk > 0 ? nk : 1));
	who = arena_zalloc(req->arena, sizeof(*who) * (size_t)(x->nmembers + 1));
	if (kinds == NULL || who == NULL)
		return;
	for (i = 0; i < nk; i++) {
		kinds[i].value = k[i].code;
		kinds[i].label = k[i].label;
	}
	if (x->nmembers == 0) {
		who[nw].value = arena_printf(req->arena, "%lld", (long long)c->person_id);
		who[nw++].label = c->person_name;
	}
	for (i = 0; i < x->nmembers; i++) {
		who[nw].value = arena_printf(req->arena, "%lld", (long long)x->members[i].person_id);
		who[nw++].label = x->members[i].name;
	}
	points[0] = (struct option){ "completion", outcome_point_label("completion") };
	points[1] = (struct option){ "follow_up", outcome_point_label("follow_up") };
	yn[0] = (struct option){ "1", _("yes") };
	yn[1] = (struct option){ "0", _("no") };
	form_begin(b, req, arena_printf(req->arena, "/contracts/%lld/outcomes", (long long)c->id), "form no-print");
	html_fmt(b, "<fieldset><legend>%s</legend>", _("Record an outcome"));
	field_select(b, "point", _("When"), points, 2, o != NULL ? o->point : NULL, NULL, v, W_REQUIRED, NULL);
	field_select(b, "kind", _("Outcome"), kinds, nk > 0 ? nk : 0, o != NULL ? o->kind : NULL, _("— choose —"), v,
		     W_REQUIRED, NULL);
	field_select(b, "person_id", _("Member"), who, nw, o != NULL && o->person_id > 0 ?
		     arena_printf(req->arena, "%lld", (long long)o->person_id) : NULL, _("— the whole family —"), v, 0,
		     _("Employment and school attendance concern a member; leaving benefits and housing the family."));
	field_select(b, "achieved", _("Achieved"), yn, 2, o != NULL && !o->achieved ? "0" : "1", NULL, v, W_REQUIRED,
		     NULL);
	field_input(b, "date", "observed_on", _("Observed on"), o != NULL && o->observed_on != NULL ? o->observed_on : today,
		    v, W_REQUIRED, NULL, NULL);
	field_input(b, "text", "note", _("Note"), o != NULL ? o->note : NULL, v, W_WIDE, NULL, NULL);
	button(b, _("Record"), "primary");
	html_raw(b, "</fieldset>");
	form_end(b);
}

static void outcome_rows(struct buf *b, struct req *req, const struct outcome *o, int n, int superseded)
{
	int i;

	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		 _("When"), _("Outcome"), _("Member"), _("Achieved"), _("Observed on"), _("Recorded"), _("Note"));
	for (i = 0; i < n; i++) {
		if ((o[i].superseded_by > 0) != superseded)
			continue;
		html_fmt(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s — %s%s</td><td>%s</td></tr>",
			 outcome_point_label(o[i].point), o[i].kind_label,
			 o[i].person_name != NULL ? o[i].person_name : _("the whole family"),
			 o[i].achieved ? _("yes") : _("no"), reg_date(req, o[i].observed_on),
			 fmt_time(req, o[i].recorded_at), o[i].recorded_by_name != NULL ? o[i].recorded_by_name : "—",
			 superseded ? arena_printf(req->arena, " (%s %s)", _("corrected"), fmt_time(req, o[i].superseded_at))
				    : "",
			 o[i].note != NULL ? o[i].note : "");
	}
	html_raw(b, "</tbody></table></div>");
}

int outcome_section(struct req *req, struct buf *b, const struct contract_actor *w, const struct contract *c,
		    const struct contract_content *x)
{
	struct outcome *o;
	int n = outcome_list(req->db, req->arena, c->id, 1, &o), i, current = 0, old = 0;
	int ended = str_eq(c->state, "completed") || str_eq(c->state, "terminated");
	char due[11];

	if (n < 0)
		return -1;
	if (!ended && n == 0)
		return 0;
	for (i = 0; i < n; i++)
		o[i].superseded_by > 0 ? old++ : current++;
	html_fmt(b, "<h2 id=\"outcomes\">%s</h2>", _("Outcomes"));
	outcome_follow_up_on(c->ended_on, due);
	if (due[0] != '\0')
		html_fmt(b, "<p class=\"meta\">%s</p>",
			 arena_printf(req->arena, _("The six-month follow-up is due on %s."), reg_date(req, due)));
	if (current == 0)
		html_fmt(b, "<p>%s</p>", _("No outcomes recorded yet."));
	else
		outcome_rows(b, req, o, n, 0);
	if (old > 0) {
		html_fmt(b, "<details><summary>%s</summary>", arena_printf(req->arena, _("Corrected entries: %d"), old));
		outcome_rows(b, req, o, n, 1);
		html_raw(b, "</details>");
	}
	if (ended && (contract_is_author(w, c) || req_has_role(req, ROLE_BIT(ROLE_COORDINATOR))))
		outcome_form(b, req, c, x, NULL, NULL);
	return 0;
}

/* read_outcome() reads the form or the JSON body into o. */
static int read_outcome(struct req *req, struct outcome *o, struct verrs *v)
{
	struct input in[NO];

	memset(o, 0, sizeof(*o));
	input_read(req, outcome_fields, NO, in, v);
	o->point = in[O_POINT].text;
	o->kind = in[O_KIND].text;
	o->person_id = in[O_PERSON].num;
	o->achieved = (int)in[O_ACHIEVED].num;
	o->observed_on = in[O_OBSERVED].text;
	o->note = in[O_NOTE].text;
	if (req->is_api && !in[O_ACHIEVED].present)
		verrs_add(v, "achieved", "required", "%s", _("Achieved: true or false."));
	return v->n;
}

static json_t *outcome_json(const struct outcome *o)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:b, s:s, s:s?, s:s?, s:s?}", "id", (json_int_t)o->id, "point",
			      o->point, "kind", o->kind, "label", o->kind_label, "achieved", o->achieved, "observed_on",
			      o->observed_on, "note", o->note, "recorded_at", o->recorded_at, "recorded_by",
			      o->recorded_by_name);

	json_object_set_new(j, "person_id", o->person_id > 0 ? json_integer(o->person_id) : json_null());
	json_object_set_new(j, "superseded_by", o->superseded_by > 0 ? json_integer(o->superseded_by) : json_null());
	json_object_set_new(j, "superseded_at", o->superseded_at != NULL ? json_string(o->superseded_at) : json_null());
	return j;
}

static int not_found(struct req *req)
{
	return resp_error(req, 404, "not_found", _("No such contract"),
			  _("There is no contract with this number that you may see."));
}

/* outcomes_json() answers the contract's outcomes (in force and corrected), status 200 or 201. */
static int outcomes_json(struct req *req, int status, int64_t id, int64_t new_id)
{
	struct outcome *o;
	json_t *arr = json_array(), *hist = json_array();
	int n = outcome_list(req->db, req->arena, id, 1, &o), i;

	if (n < 0) {
		json_decref(arr), json_decref(hist);
		return resp_server_error(req, "reading outcomes");
	}
	for (i = 0; i < n; i++)
		json_array_append_new(o[i].superseded_by > 0 ? hist : arr, outcome_json(&o[i]));
	return resp_json(req, status, json_pack("{s:I, s:I, s:o, s:o}", "contract_id", (json_int_t)id, "id",
						(json_int_t)new_id, "outcomes", arr, "history", hist));
}

static int outcome_page(struct req *req, int status, const struct contract *c, const struct contract_content *x,
			const struct outcome *o, const struct verrs *v)
{
	struct buf *b;

	page_crumb(req, "/contracts", _("Social contracts"));
	page_crumb(req, arena_printf(req->arena, "/contracts/%lld", (long long)c->id), c->person_name);
	page_crumb(req, NULL, _("Record an outcome"));
	b = page_begin(req, _("Record an outcome"));
	form_errors(b, v);
	outcome_form(b, req, c, x, o, v);
	return page_end(req, status);
}

static int refusal(struct req *req, int rc, const struct verrs *v)
{
	const char *code = v->n > 0 ? v->e[0].code : "invalid", *msg = v->n > 0 ? v->e[0].message : "";

	if (rc == CONTRACT_NOT_FOUND)
		return not_found(req);
	if (rc == CONTRACT_FORBIDDEN)
		return req->is_api ? resp_api_error(req, 403, code, msg, NULL)
				   : page_error(req, 403, _("Not part of your role"), msg);
	return req->is_api ? resp_api_error(req, 409, code, msg, NULL)
			   : page_error(req, 409, _("Not possible in this state"), msg);
}

/* h_outcome_create(): POST /contracts/{id}/outcomes and /api/v1/contracts/{id}/outcomes. */
static int h_outcome_create(struct req *req)
{
	struct contract_actor w;
	struct contract c;
	struct contract_content *x = arena_zalloc(req->arena, sizeof(*x));
	struct outcome o;
	struct verrs v = VERRS_INIT;
	int64_t new_id = 0;
	int rc;

	if (x == NULL)
		return resp_oom(req);
	if (actor(req, &w) != 0)
		return resp_server_error(req, "reading the user's institution");
	rc = contract_read(req->db, req->arena, &w, req->id, 0, &c, x);
	if (rc == CONTRACT_NOT_FOUND)
		return not_found(req);
	if (rc != 0)
		return resp_server_error(req, "reading a contract");
	if (read_outcome(req, &o, &v) == 0)
		rc = outcome_record(req->db, req->arena, &w, req->id, &o, &new_id, &v);
	else
		rc = 1;
	if (rc < 0)
		return resp_server_error(req, "recording an outcome");
	if (rc == 1)
		return req->is_api ? resp_api_verrs(req, &v) : outcome_page(req, 422, &c, x, &o, &v);
	if (rc != 0)
		return refusal(req, rc, &v);
	if (!req->is_api)
		return resp_redirect(req, arena_printf(req->arena, "/contracts/%lld#outcomes", (long long)req->id),
				     _("Saved."));
	return outcomes_json(req, 201, req->id, new_id);
}

/* h_api_outcomes(): GET /api/v1/contracts/{id}/outcomes — a read of the contract. */
static int h_api_outcomes(struct req *req)
{
	struct contract_actor w;
	struct contract c;
	int rc;

	if (actor(req, &w) != 0)
		return resp_server_error(req, "reading the user's institution");
	rc = contract_read(req->db, req->arena, &w, req->id, 0, &c, NULL);
	if (rc == CONTRACT_NOT_FOUND)
		return not_found(req);
	if (rc != 0)
		return resp_server_error(req, "reading a contract");
	if (req_audit_read(req, "contract.read", "contract", arena_printf(req->arena, "%lld", (long long)req->id),
			   "outcomes") != 0)
		return resp_server_error(req, "recording a read");
	return outcomes_json(req, 200, req->id, 0);
}

/* visible() is 1 when w may read contract id (a reminder never links to a 404), 0, or -1. */
static int visible(struct req *req, const struct contract_actor *w, int64_t id)
{
	struct contract c;
	int rc = contract_read(req->db, req->arena, w, id, 0, &c, NULL);

	return rc == 0 ? 1 : rc == CONTRACT_NOT_FOUND ? 0 : -1;
}

int outcome_panel(struct req *req, struct buf *b)
{
	struct contract_actor w;
	struct outcome_due due[20];
	int n, i, shown = 0, ok;

	if (!req_has_role(req, ROLE_BIT(ROLE_SOCIAL_WORKER) | ROLE_BIT(ROLE_GUARDIAN)))
		return 0;
	n = outcome_due(req->db, req->arena, req->sess->user_id, due, 20);
	if (n <= 0)
		return n;
	if (actor(req, &w) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if ((ok = visible(req, &w, due[i].contract_id)) < 0)
			return -1;
		if (!ok)
			continue;
		if (shown++ == 0) /* its own wrapper, like the contracts' card: nothing at all when none is due */
			html_fmt(b, "<div class=\"cards panels\" aria-label=\"%s\"><section class=\"card\"><h2>%s</h2><ul>",
				 _("Six-month follow-up due"), _("Six-month follow-up due"));
		html_fmt(b, "<li><a href=\"/contracts/%lld#outcomes\">%s</a></li>", (long long)due[i].contract_id,
			 arena_printf(req->arena, _("%s: outcomes six months after the contract (due %s)"),
				      due[i].person_name, reg_date(req, due[i].due_on)));
	}
	if (shown > 0)
		html_raw(b, "</ul></section></div>");
	return 0;
}

/* ------------------------------------------------------------------ */
/* The evaluation                                                      */
/* ------------------------------------------------------------------ */

struct report {
	const char *terc, *point;
	int threshold;
	struct eval_result r;
};

static int report_read(struct req *req, struct report *rep)
{
	const char *terc = req_query(req, "terc"), *point = req_query(req, "point");
	size_t i;

	rep->terc = "";
	if (terc != NULL && terc[0] != '\0') {
		for (i = 0; terc[i] != '\0'; i++)
			if (terc[i] < '0' || terc[i] > '9' || i >= 7)
				return resp_error(req, 422, "invalid", _("Invalid request"),
						  _("TERC: up to 7 digits, e.g. 3050."));
		rep->terc = terc;
	}
	rep->point = "follow_up";
	if (point != NULL && point[0] != '\0') {
		if (!str_eq(point, "completion") && !str_eq(point, "follow_up"))
			return resp_error(req, 422, "invalid", _("Invalid request"),
					  _("When: completion or follow_up."));
		rep->point = point;
	}
	rep->threshold = (int)req->app->cfg.small_count;
	if (evaluation_run(req->db, req->arena, rep->terc, rep->point, rep->threshold, &rep->r) != 0)
		return resp_server_error(req, "running the evaluation");
	return 0;
}

static const char *outcome_name(struct req *req, int k)
{
	return kind_label(req, eval_outcomes[k]);
}

/* pct() shows a share as a percentage for the page ("12,3" in Polish). */
static const char *pct(struct req *req, double x)
{
	return page_num(req, x * 100, 1);
}

/*
 * sheet_pct() is a percentage in a CSV/XLSX cell: always a dot ("12.3"),
 * the export convention of razem (sheet.h) so that scripts read it the same
 * in every locale; a Polish Excel reads the ';'-separated file and keeps it as text.
 */
static const char *sheet_pct(struct req *req, double x)
{
	return arena_printf(req->arena, "%.1f", x * 100);
}

static const char *num2(struct req *req, double x)
{
	return page_num(req, x, 2);
}

static const char *county_name(const struct eval_row *row)
{
	return row->county != NULL ? row->county : _("overall");
}

static int report_sheet(struct req *req, const struct report *rep, enum sheet_format fmt)
{
	const char *head[] = { _("Powiat (TERC)"), _("Outcome"), _("Matched pairs"), _("With a contract: yes"),
			       _("With a contract (%)"), _("Comparison: yes"), _("Comparison (%)"),
			       _("Difference (percentage points)"), _("95% CI from"), _("95% CI to") };
	static const enum sheet_cell types[] = { CELL_TEXT, CELL_TEXT, CELL_INT, CELL_INT, CELL_TEXT, CELL_INT,
						 CELL_TEXT, CELL_TEXT, CELL_TEXT, CELL_TEXT };
	struct sheet *s = sheet_new(fmt, _("Evaluation of social contracts"), NULL);
	int i, rc;

	if (s == NULL)
		return resp_server_error(req, "starting a sheet");
	rc = sheet_row(s, head, NULL, 10);
	for (i = 0; rc == 0 && i < rep->r.nrows; i++) {
		const struct eval_row *x = &rep->r.rows[i];
		const struct eval_diff *d = &x->d;
		int hide = x->suppressed;
		const char *cells[] = { county_name(x), outcome_name(req, x->outcome),
					hide ? _("fewer than the threshold") : arena_printf(req->arena, "%d", d->pairs),
					hide ? NULL : arena_printf(req->arena, "%d", d->t_yes), hide ? NULL : sheet_pct(req, d->rate_t),
					hide ? NULL : arena_printf(req->arena, "%d", d->c_yes), hide ? NULL : sheet_pct(req, d->rate_c),
					hide ? NULL : sheet_pct(req, d->diff), hide ? NULL : sheet_pct(req, d->lo),
					hide ? NULL : sheet_pct(req, d->hi) };
		static const enum sheet_cell hidden[] = { CELL_TEXT, CELL_TEXT, CELL_TEXT, CELL_TEXT, CELL_TEXT,
							  CELL_TEXT, CELL_TEXT, CELL_TEXT, CELL_TEXT, CELL_TEXT };

		rc = sheet_row(s, cells, hide ? hidden : types, 10);
	}
	return page_sheet_send(req, s, rc, fmt,
			       arena_printf(req->arena, "evaluation-%s", rep->terc[0] != '\0' ? rep->terc : "all"));
}

static int report_format(struct req *req, const struct report *rep, int api)
{
	enum sheet_format fmt;
	int rc = page_sheet_format(req, api, &fmt);

	return rc == 1 ? report_sheet(req, rep, fmt) : rc;
}

static void balance_table(struct buf *b, struct req *req, const struct eval_result *r)
{
	int j;

	html_fmt(b, "<h2>%s</h2>", _("Balance before and after matching"));
	if (r->balance_suppressed) {
		html_fmt(b, "<p>%s</p>", _("Fewer families than the threshold: the means are not shown."));
		return;
	}
	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list report\"><thead><tr><th rowspan=\"2\">%s</th>"
		    "<th colspan=\"3\">%s</th><th colspan=\"3\">%s</th></tr><tr><th>%s</th><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		 _("Covariate"), _("Before matching"), _("After matching"), _("With a contract"), _("Comparison group"),
		 _("SMD"), _("With a contract"), _("Comparison group"), _("SMD"));
	for (j = 0; j < EV_NCOV; j++) {
		const struct eval_balance *x = &r->balance[j];

		html_fmt(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>",
			 eval_covariate_label(j), num2(req, x->mean_t[0]), num2(req, x->mean_c[0]), num2(req, x->smd[0]),
			 num2(req, x->mean_t[1]), num2(req, x->mean_c[1]), num2(req, x->smd[1]));
	}
	html_fmt(b, "</tbody></table></div><p class=\"meta\">%s</p>",
		 _("SMD: the standardised mean difference, the difference of the means in standard deviations; "
		   "the closer to 0, the more alike the groups."));
}

static void outcome_table(struct buf *b, struct req *req, const struct eval_result *r)
{
	int i;

	html_fmt(b, "<h2>%s</h2>", _("Outcomes: families with a contract and matched comparison families"));
	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list report\"><thead><tr><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		 _("Powiat"), _("Outcome"), _("Matched pairs"), _("With a contract"), _("Comparison group"),
		 _("Difference (percentage points)"), _("95% confidence interval"));
	for (i = 0; i < r->nrows; i++) {
		const struct eval_row *x = &r->rows[i];
		const struct eval_diff *d = &x->d;

		if (x->suppressed)
			html_fmt(b, "<tr><td>%s</td><td>%s</td><td colspan=\"5\">%s</td></tr>", county_name(x),
				 outcome_name(req, x->outcome), _("fewer than the threshold"));
		else
			html_fmt(b, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%d (%s%%)</td><td>%d (%s%%)</td><td>%s</td>"
				    "<td>%s … %s</td></tr>",
				 county_name(x), outcome_name(req, x->outcome), d->pairs, d->t_yes, pct(req, d->rate_t),
				 d->c_yes, pct(req, d->rate_c), pct(req, d->diff), pct(req, d->lo), pct(req, d->hi));
	}
	html_raw(b, "</tbody></table></div>");
}

static void plain_table(struct buf *b, struct req *req, const struct eval_result *r)
{
	int i;

	if (r->nplain == 0)
		return;
	html_fmt(b, "<h2>%s</h2><p>%s</p>", _("Outcomes without a comparison"),
		 _("The registry holds no equivalent of these for families without a contract: the contract families only."));
	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list report\"><thead><tr><th>%s</th><th>%s</th>"
		    "<th>%s</th></tr></thead><tbody>",
		 _("Outcome"), _("Families"), _("Achieved"));
	for (i = 0; i < r->nplain; i++) {
		const struct eval_plain *p = &r->plain[i];

		if (p->suppressed)
			html_fmt(b, "<tr><td>%s</td><td colspan=\"2\">%s</td></tr>", kind_label(req, p->kind),
				 _("fewer than the threshold"));
		else
			html_fmt(b, "<tr><td>%s</td><td>%d</td><td>%d (%s%%)</td></tr>", kind_label(req, p->kind),
				 p->families, p->yes, pct(req, p->families > 0 ? (double)p->yes / p->families : 0));
	}
	html_raw(b, "</tbody></table></div>");
}

static void summary(struct buf *b, struct req *req, const struct report *rep)
{
	const struct eval_result *r = &rep->r;

	html_raw(b, "<dl class=\"details\">");
	dl_row(b, _("Area (TERC)"), rep->terc[0] != '\0' ? rep->terc : _("all"));
	dl_row(b, _("Outcomes"), outcome_point_label(rep->point));
	dl_row(b, _("Reference day of the comparison families"), reg_date(req, r->reference_day));
	dl_row(b, _("Families with a contract and outcomes"), arena_printf(req->arena, "%d", r->treated));
	dl_row(b, _("Eligible comparison families"), arena_printf(req->arena, "%d", r->controls));
	dl_row(b, _("Matched / without a match within the caliper"),
	       arena_printf(req->arena, "%d / %d", r->matched, r->unmatched));
	if (r->fitted)
		dl_row(b, _("Caliper (logit of the score)"),
		       arena_printf(req->arena, "%s%s", page_num(req, r->caliper, 3),
				    r->converged ? "" : _(" (model did not converge)")));
	html_raw(b, "</dl>");
}

static int h_evaluation(struct req *req)
{
	struct report rep = { 0 };
	struct buf *b;
	int rc = report_read(req, &rep);

	if (rc != 0 || (rc = report_format(req, &rep, 0)) != 0)
		return rc;
	page_crumb(req, NULL, _("Evaluation of social contracts"));
	b = page_begin(req, _("Evaluation of social contracts against a comparison group"));
	html_fmt(b, "<form method=\"get\" action=\"/evaluation\" class=\"inline no-print\">"
		    "<label>%s <input name=\"terc\" value=\"%s\" size=\"7\"></label> <label>%s <select name=\"point\">"
		    "<option value=\"follow_up\"%s>%s</option><option value=\"completion\"%s>%s</option></select></label> "
		    "<button>%s</button></form>",
		 _("TERC"), rep.terc, _("Outcomes"), str_eq(rep.point, "follow_up") ? " selected" : "",
		 outcome_point_label("follow_up"), str_eq(rep.point, "completion") ? " selected" : "",
		 outcome_point_label("completion"), _("Show"));
	html_fmt(b, "<p class=\"meta\">%s</p>",
		 arena_printf(req->arena, _("Counts below %lld are not shown."), (long long)rep.threshold));
	summary(b, req, &rep);
	if (!rep.r.fitted) {
		html_fmt(b, "<p>%s</p>", _("No families with recorded outcomes and comparison families in this area."));
	} else {
		outcome_table(b, req, &rep.r);
		balance_table(b, req, &rep.r);
	}
	plain_table(b, req, &rep.r);
	html_fmt(b, "<h2>%s</h2><p>%s</p>", _("Method"),
		 _("Families with a contract are matched one to one, without replacement and within their powiat, with "
		   "the nearest family of the registry that never had a contract, on the logit of a propensity score "
		   "(logistic regression on household size, the reasons for assistance, the time registered as "
		   "unemployed and the gmina kind), within a caliper of 0.2 standard deviations. The comparison "
		   "family's outcome is read from the registry over the same period. The interval is the Wald "
		   "interval for the difference of paired proportions."));
	html_fmt(b, "<p class=\"no-print\"><a href=\"?terc=%s&amp;point=%s&amp;format=csv\">CSV</a> · "
		    "<a href=\"?terc=%s&amp;point=%s&amp;format=xlsx\">XLSX</a></p>",
		 rep.terc, rep.point, rep.terc, rep.point);
	return page_end(req, 200);
}

static int h_api_evaluation(struct req *req)
{
	struct report rep = { 0 };
	const struct eval_result *r = &rep.r;
	int rc = report_read(req, &rep);

	if (rc != 0 || (rc = report_format(req, &rep, 1)) != 0)
		return rc;
	return resp_json(req, 200, evaluation_json(r, rep.terc, rep.point, rep.threshold));
}

ROUTES(evaluation) = {
	{ HTTP_POST, "/contracts/{id:int}/outcomes", h_outcome_create, 0, WORKERS },
	{ HTTP_GET, "/api/v1/contracts/{id:int}/outcomes", h_api_outcomes, 0, WORKERS },
	{ HTTP_POST, "/api/v1/contracts/{id:int}/outcomes", h_outcome_create, 0, WORKERS },
	{ HTTP_GET, "/evaluation", h_evaluation, 0, EVALUATORS },
	{ HTTP_GET, "/api/v1/evaluation", h_api_evaluation, 0, EVALUATORS },
};
ROUTES_END(evaluation);
