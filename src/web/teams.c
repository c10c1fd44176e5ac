/*
 * teams.c — county teams (PZKW, MGI, interdisciplinary), their members,
 * meetings and decisions, and the county's local programme (LPIW), as
 * pages and under /api/v1/teams, /api/v1/meetings, /api/v1/lpiw
 * (coop/team.h). Not personal data: every signed-in user reads them;
 * coordinators and administrators write them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/role.h"
#include "coop/lpiw_pdf.h"
#include "coop/team.h"
#include "core/clock.h"
#include "core/html.h"
#include "core/str.h"
#include "web/handlers.h"
#include "web/input.h"
#include "web/page.h"
#include "web/registry_web.h"
#include "web/route.h"
#include "web/widget.h"

#define WRITERS (ROLE_BIT(ROLE_COORDINATOR) | ROLE_BIT(ROLE_ADMIN))

/* num() is the whole number s (a query value), 0 when absent or not one. */
static int64_t num(const char *s)
{
	int64_t v = 0;

	return s != NULL && str_to_int64(s, 0, INT64_MAX, &v) == 0 ? v : 0;
}

static int answer_refusal(struct req *req, int rc, const struct verrs *v, const char *what)
{
	if (rc < 0)
		return resp_server_error(req, what);
	if (req->is_api)
		return resp_api_verrs(req, v);
	return page_error(req, 422, _("Not saved"), v->n > 0 ? v->e[0].message : "");
}

/* saved() sends the page back to what was saved: base is "/teams", "/meetings" or "/lpiw". */
static int saved(struct req *req, const char *base, int64_t id)
{
	return resp_redirect(req, arena_printf(req->arena, "%s/%lld", base, (long long)id), _("Saved."));
}

static int no_such_meeting(struct req *req)
{
	return resp_error(req, 404, "not_found", _("No such meeting"), _("There is no meeting with this number."));
}

static int no_such_programme(struct req *req)
{
	return resp_error(req, 404, "not_found", _("No such programme"), _("There is no programme with this number."));
}

/* options() fills o with the n codes and their labels, for a field_select(). */
static void options(struct option *o, const char *const *codes, const char *(*label)(const char *), int n)
{
	int i;

	for (i = 0; i < n; i++) {
		o[i].value = codes[i];
		o[i].label = label(codes[i]);
	}
}

/* fieldset_form() opens a form posting to action with its fieldset and legend; fieldset_form_end() closes both. */
static void fieldset_form(struct buf *b, struct req *req, const char *action, const char *legend)
{
	form_begin(b, req, action, "form");
	html_fmt(b, "<fieldset><legend>%s</legend>", legend);
}

static void fieldset_form_end(struct buf *b, const char *label, const char *kind)
{
	button(b, label, kind);
	html_raw(b, "</fieldset>");
	form_end(b);
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

static json_t *member_json(const struct team_member *m)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:s?, s:s?}", "id", (json_int_t)m->id, "role", m->role, "valid_from",
			      m->valid_from, "valid_to", m->valid_to, "name", m->name);

	json_object_set_new(j, "user_id", m->user_id > 0 ? json_integer(m->user_id) : json_null());
	json_object_set_new(j, "institution_id", m->institution_id > 0 ? json_integer(m->institution_id) : json_null());
	return j;
}

static json_t *team_json(const struct team *t)
{
	json_t *members = json_array();
	int i;

	for (i = 0; i < t->nmembers; i++)
		json_array_append_new(members, member_json(&t->members[i]));
	return json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)t->id, "kind", t->kind, "terc", t->terc, "name",
			 t->name, "members", members);
}

static json_t *decision_json(const struct decision *d)
{
	json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s?, s:s}", "id", (json_int_t)d->id, "team_id",
			      (json_int_t)d->team_id, "kind", d->kind, "method", d->method, "text", d->text,
			      "decided_on", d->decided_on);

	json_object_set_new(j, "meeting_id", d->meeting_id > 0 ? json_integer(d->meeting_id) : json_null());
	json_object_set_new(j, "subject", d->subject_kind != NULL
						  ? json_pack("{s:s, s:I, s:I}", "kind", d->subject_kind, "id",
							      (json_int_t)d->subject_id, "version",
							      (json_int_t)d->subject_version)
						  : json_null());
	if (str_eq(d->method, "vote"))
		json_object_set_new(j, "votes", json_pack("{s:i, s:i, s:i}", "for", d->votes_for, "against",
							  d->votes_against, "abstain", d->votes_abstain));
	return j;
}

static json_t *meeting_json(const struct meeting *m, const struct decision *d, int nd)
{
	json_t *att = json_array(), *dec = json_array();
	int i;

	for (i = 0; i < m->nattendees; i++)
		json_array_append_new(att, json_integer(m->attendees[i]));
	for (i = 0; i < nd; i++)
		json_array_append_new(dec, decision_json(&d[i]));
	return json_pack("{s:I, s:I, s:s?, s:s, s:s?, s:s?, s:s?, s:o, s:o}", "id", (json_int_t)m->id, "team_id",
			 (json_int_t)m->team_id, "team", m->team_name, "held_on", m->held_on, "place", m->place,
			 "agenda", m->agenda, "minutes", m->minutes, "attendees", att, "decisions", dec);
}

static json_t *lpiw_json(const struct lpiw *l)
{
	json_t *actions = json_array();
	int i, k;

	for (i = 0; i < l->nactions; i++) {
		const struct lpiw_action *x = &l->actions[i];
		json_t *p = json_array();

		for (k = 0; k < x->npartners; k++)
			json_array_append_new(p, json_integer(x->partners[k]));
		json_array_append_new(actions,
				      json_pack("{s:I, s:i, s:s, s:s, s:I, s:s?, s:o, s:s?, s:s?, s:s?, s:s?, s:o, s:s, s:s}",
						"id", (json_int_t)x->id, "number", x->number, "title", x->title, "module",
						x->module, "responsible_institution_id", (json_int_t)x->responsible_id,
						"responsible", x->responsible_name, "partners", p, "target_group",
						x->target_group, "infrastructure", x->infrastructure, "rules_of_use",
						x->rules_of_use, "funding", x->funding, "funding_amount",
						x->funding_amount >= 0 ? json_integer(x->funding_amount) : json_null(),
						"period_from", x->period_from, "period_to", x->period_to));
	}
	return json_pack("{s:I, s:s, s:i, s:s, s:s, s:s, s:s, s:I, s:o, s:o}", "id", (json_int_t)l->id, "terc", l->terc,
			 "version", l->version, "title", l->title, "state", l->state, "valid_from", l->valid_from,
			 "valid_to", l->valid_to, "contract_limit", (json_int_t)l->contract_limit, "decision_id",
			 l->decision_id > 0 ? json_integer(l->decision_id) : json_null(), "actions", actions);
}

/* ------------------------------------------------------------------ */
/* Teams                                                               */
/* ------------------------------------------------------------------ */

enum { T_KIND, T_TERC, T_NAME, NT };
static const struct field team_fields[NT] = {
	[T_KIND] = { "kind", N_("Kind of team"), F_CHOICE, F_REQUIRED, 0, 0, team_kinds },
	[T_TERC] = { "terc", N_("County (TERC)"), F_TEXT, F_REQUIRED, 0, 4 },
	[T_NAME] = { "name", N_("Name"), F_TEXT, F_REQUIRED, 0, 300 },
};

enum { M_USER, M_INST, M_ROLE, M_FROM, M_TO, NM };
static const struct field member_fields[NM] = {
	[M_USER] = { "user_id", N_("User (number)"), F_INT, 0, 0, INT64_MAX },
	[M_INST] = { "institution_id", N_("Institution (number)"), F_INT, 0, 0, INT64_MAX },
	[M_ROLE] = { "role", N_("Role"), F_CHOICE, F_REQUIRED, 0, 0, team_member_roles },
	[M_FROM] = { "valid_from", N_("Member from"), F_TEXT, F_REQUIRED, 0, 10 },
	[M_TO] = { "valid_to", N_("Member until"), F_TEXT, 0, 0, 10 },
};

static const char *terc_param(struct req *req)
{
	const char *t = req_query(req, "terc");

	return str_empty(t) ? NULL : t;
}

/* items_reply() answers a list for the API: {"items": [...]}. */
static int items_reply(struct req *req, json_t *items)
{
	return resp_json(req, 200, json_pack("{s:o}", "items", items));
}

/* teams_reply() answers the API's list of teams, each with its members. */
static int teams_reply(struct req *req, const struct team *t, int n)
{
	json_t *items = json_array();
	int i;

	for (i = 0; i < n; i++) {
		struct team full;

		if (team_get(req->db, req->arena, t[i].id, &full) != 0)
			return resp_server_error(req, "reading a team");
		json_array_append_new(items, team_json(&full));
	}
	return items_reply(req, items);
}

/* top_page() begins a page at the top of its section: the title is also the last crumb. */
static struct buf *top_page(struct req *req, const char *title)
{
	page_crumb(req, NULL, title);
	return page_begin(req, title);
}

/* team_form() is the list page's form of a new team. */
static void team_form(struct buf *b, struct req *req)
{
	struct option o[3];

	options(o, team_kinds, team_kind_label, 3);
	fieldset_form(b, req, "/teams", _("New team"));
	field_select(b, "kind", _("Kind of team"), o, 3, "pzkw", NULL, NULL, W_REQUIRED, NULL);
	field_input(b, "text", "terc", _("County (TERC)"), NULL, NULL, W_NARROW | W_REQUIRED, NULL, NULL);
	field_input(b, "text", "name", _("Name"), NULL, NULL, W_WIDE | W_REQUIRED, NULL, NULL);
	fieldset_form_end(b, _("Add"), "primary");
}

static int h_team_list(struct req *req)
{
	struct team *t;
	struct buf *b;
	int n = team_list(req->db, req->arena, terc_param(req), &t), i;

	if (n < 0)
		return resp_server_error(req, "listing teams");
	if (req->is_api)
		return teams_reply(req, t, n);
	b = top_page(req, _("County teams"));
	html_raw(b, "<ul class=\"teams\">");
	for (i = 0; i < n; i++)
		html_fmt(b, "<li><a href=\"/teams/%lld\">%s</a> <span class=\"sub\">%s · %s</span></li>", (long long)t[i].id,
			 t[i].name, team_kind_label(t[i].kind), t[i].terc);
	html_fmt(b, "</ul><p><a href=\"/lpiw\">%s</a></p>", _("Local programmes (LPIW)"));
	if (req_has_role(req, WRITERS))
		team_form(b, req);
	return page_end(req, 200);
}

/* team_saved() answers a change of team id: its page, or for the API the team as it now stands. */
static int team_saved(struct req *req, int64_t id)
{
	struct team t;

	if (!req->is_api)
		return saved(req, "/teams", id);
	if (team_get(req->db, req->arena, id, &t) != 0)
		return resp_server_error(req, "reading a team");
	return resp_json(req, 201, team_json(&t));
}

static int h_team_create(struct req *req)
{
	struct input in[NT];
	struct verrs v = VERRS_INIT;
	struct audit_actor who;
	struct team t;
	int64_t id = 0;
	int rc;

	if (input_read(req, team_fields, NT, in, &v) > 0)
		return answer_refusal(req, 1, &v, NULL);
	t = (struct team){ .kind = in[T_KIND].text, .terc = in[T_TERC].text, .name = in[T_NAME].text };
	req_actor(req, &who);
	rc = team_create(req->db, &who, &t, &id, &v);
	if (rc != 0)
		return answer_refusal(req, rc, &v, "creating a team");
	return team_saved(req, id);
}

static int h_team_show(struct req *req)
{
	struct team t;
	struct meeting *m;
	struct buf *b;
	int rc = team_get(req->db, req->arena, req->id, &t), n, i;

	if (rc < 0)
		return resp_server_error(req, "reading a team");
	if (rc > 0)
		return resp_error(req, 404, "not_found", _("No such team"), _("There is no team with this number."));
	if (req->is_api)
		return resp_json(req, 200, team_json(&t));
	n = meeting_list(req->db, req->arena, t.id, &m);
	if (n < 0)
		return resp_server_error(req, "listing meetings");
	page_crumb(req, "/teams", _("County teams"));
	page_crumb(req, NULL, t.name);
	b = page_begin(req, t.name);
	html_fmt(b, "<p class=\"status\">%s · %s</p><h2>%s</h2><table class=\"list\"><thead><tr><th>%s</th><th>%s</th>"
		 "<th>%s</th><th>%s</th></tr></thead><tbody>",
		 team_kind_label(t.kind), t.terc, _("Members"), _("Number"), _("Member"), _("Role"), _("Period"));
	for (i = 0; i < t.nmembers; i++)
		html_fmt(b, "<tr><td>%lld</td><td>%s</td><td>%s</td><td>%s – %s</td></tr>", (long long)t.members[i].id,
			 t.members[i].name, team_member_role_label(t.members[i].role),
			 reg_date(req, t.members[i].valid_from),
			 reg_date(req, t.members[i].valid_to));
	html_fmt(b, "</tbody></table><h2>%s</h2><ul>", _("Meetings"));
	for (i = 0; i < n; i++)
		html_fmt(b, "<li><a href=\"/meetings/%lld\">%s</a> %s</li>", (long long)m[i].id, reg_date(req, m[i].held_on),
			 m[i].place != NULL ? m[i].place : "");
	html_raw(b, "</ul>");
	if (req_has_role(req, WRITERS)) {
		struct option o[4];

		options(o, team_member_roles, team_member_role_label, 4);
		fieldset_form(b, req, arena_printf(req->arena, "/teams/%lld/members", (long long)t.id), _("Add a member"));
		if (field_pick_user(b, req, "user_id", _("Member: a person (user)"), 0, pick_empty(), NULL, 0,
				    _("Choose a user or an institution (one of them).")) != 0 ||
		    field_pick_institution(b, req, "institution_id", _("Member: an institution"), 0, pick_empty(), NULL, 0,
					   NULL) != 0)
			return resp_server_error(req, "listing users and institutions");
		field_select(b, "role", _("Role"), o, 4, "member", NULL, NULL, W_REQUIRED, NULL);
		field_input(b, "date", "valid_from", _("Member from"), NULL, NULL, W_NARROW | W_REQUIRED, NULL, NULL);
		field_input(b, "date", "valid_to", _("Member until"), NULL, NULL, W_NARROW, NULL, NULL);
		fieldset_form_end(b, _("Add"), "secondary");
		form_begin(b, req, "/meetings", "form");
		html_fmt(b, "<fieldset><legend>%s</legend><input type=\"hidden\" name=\"team_id\" value=\"%lld\">",
			 _("Record a meeting"), (long long)t.id);
		field_input(b, "date", "held_on", _("Held on"), NULL, NULL, W_NARROW | W_REQUIRED, NULL, NULL);
		field_input(b, "text", "place", _("Place"), NULL, NULL, W_WIDE, NULL, NULL);
		field_input(b, "text", "agenda", _("Agenda"), NULL, NULL, W_WIDE, NULL, NULL);
		field_input(b, "text", "minutes", _("Minutes"), NULL, NULL, W_WIDE, NULL, NULL);
		for (i = 0; i < t.nmembers; i++)
			html_fmt(b, "<label><input type=\"checkbox\" name=\"attendees\" value=\"%lld\" checked> %s</label> ",
				 (long long)t.members[i].id, t.members[i].name);
		fieldset_form_end(b, _("Save"), "secondary");
	}
	return page_end(req, 200);
}

static int h_member_add(struct req *req)
{
	struct input in[NM];
	struct verrs v = VERRS_INIT;
	struct audit_actor who;
	struct team_member m;
	int64_t id = 0;
	int rc;

	if (input_read(req, member_fields, NM, in, &v) > 0)
		return answer_refusal(req, 1, &v, NULL);
	m = (struct team_member){ .team_id = req->id, .user_id = in[M_USER].num, .institution_id = in[M_INST].num,
				  .role = in[M_ROLE].text, .valid_from = in[M_FROM].text,
				  .valid_to = str_empty(in[M_TO].text) ? NULL : in[M_TO].text };
	req_actor(req, &who);
	rc = team_add_member(req->db, &who, &m, &id, &v);
	if (rc != 0)
		return answer_refusal(req, rc, &v, "adding a member");
	return team_saved(req, req->id);
}

/* ------------------------------------------------------------------ */
/* Meetings and decisions                                              */
/* ------------------------------------------------------------------ */

enum { MT_TEAM, MT_HELD, MT_PLACE, MT_AGENDA, MT_MINUTES, MT_ATTENDEES, NMT };
static const struct field meeting_fields[NMT] = {
	[MT_TEAM] = { "team_id", N_("Team"), F_INT, F_REQUIRED, 1, INT64_MAX },
	[MT_HELD] = { "held_on", N_("Held on"), F_TEXT, F_REQUIRED, 0, 10 },
	[MT_PLACE] = { "place", N_("Place"), F_TEXT, 0, 0, 300 },
	[MT_AGENDA] = { "agenda", N_("Agenda"), F_TEXT, 0, 0, 4000 },
	[MT_MINUTES] = { "minutes", N_("Minutes"), F_TEXT, 0, 0, 20000 },
	[MT_ATTENDEES] = { "attendees", N_("Attendance"), F_INTS, 0, 1, INT64_MAX, NULL, NULL, 0, 0, TEAM_MAX_MEMBERS },
};

enum { D_KIND, D_METHOD, D_FOR, D_AGAINST, D_ABSTAIN, D_TEXT, D_MEETING, ND };
static const struct field decision_fields[ND] = {
	[D_KIND] = { "kind", N_("Kind of decision"), F_CHOICE, 0, 0, 0, decision_kinds },
	[D_METHOD] = { "method", N_("Method"), F_CHOICE, 0, 0, 0, decision_methods },
	[D_FOR] = { "votes_for", N_("Votes for"), F_INT, 0, 0, 1000 },
	[D_AGAINST] = { "votes_against", N_("Votes against"), F_INT, 0, 0, 1000 },
	[D_ABSTAIN] = { "votes_abstain", N_("Abstentions"), F_INT, 0, 0, 1000 },
	[D_TEXT] = { "text", N_("Decision"), F_TEXT, 0, 0, 4000 },
	[D_MEETING] = { "meeting_id", N_("Meeting"), F_INT, 0, 0, INT64_MAX },
};

static void read_decision(const struct input *in, struct decision *d)
{
	memset(d, 0, sizeof(*d));
	d->kind = str_empty(in[D_KIND].text) ? "other" : in[D_KIND].text;
	d->method = str_empty(in[D_METHOD].text) ? NULL : in[D_METHOD].text;
	d->votes_for = (int)in[D_FOR].num;
	d->votes_against = (int)in[D_AGAINST].num;
	d->votes_abstain = (int)in[D_ABSTAIN].num;
	d->text = str_empty(in[D_TEXT].text) ? NULL : in[D_TEXT].text;
	d->meeting_id = in[D_MEETING].num;
}

/* decision_subject() names what a decision was about, " (programme no. 1, version 1)", or "". */
static const char *decision_subject(struct req *req, const struct decision *d)
{
	if (d->subject_kind == NULL)
		return "";
	return arena_printf(req->arena,
			    str_eq(d->subject_kind, "lpiw") ? _(" (programme no. %lld, version %lld)")
							    : _(" (contract no. %lld, version %lld)"),
			    (long long)d->subject_id, (long long)d->subject_version);
}

static int meeting_reply(struct req *req, int status, int64_t id)
{
	struct meeting m;
	struct decision *d;
	struct buf *b;
	int rc = meeting_get(req->db, req->arena, id, &m), n, i;

	if (rc < 0)
		return resp_server_error(req, "reading a meeting");
	if (rc > 0)
		return no_such_meeting(req);
	n = decision_list(req->db, req->arena, 0, id, &d);
	if (n < 0)
		return resp_server_error(req, "listing decisions");
	if (req->is_api)
		return resp_json(req, status, meeting_json(&m, d, n));
	page_crumb(req, "/teams", _("County teams"));
	page_crumb(req, arena_printf(req->arena, "/teams/%lld", (long long)m.team_id), m.team_name);
	page_crumb(req, NULL, reg_date(req, m.held_on));
	b = page_begin(req, arena_printf(req->arena, _("Meeting of %s"), reg_date(req, m.held_on)));
	html_raw(b, "<dl class=\"details\">");
	dl_row(b, _("Place"), m.place);
	dl_row(b, _("Agenda"), m.agenda);
	dl_row(b, _("Minutes"), m.minutes);
	dl_row(b, _("Attendance"), arena_printf(req->arena, "%d", m.nattendees));
	html_fmt(b, "</dl><h2>%s</h2><ul>", _("Decisions"));
	for (i = 0; i < n; i++)
		html_fmt(b, "<li>%s%s — %s%s</li>", decision_kind_label(d[i].kind), decision_subject(req, &d[i]),
			 str_eq(d[i].method, "vote")
				 ? arena_printf(req->arena, _("vote %d for, %d against, %d abstaining"), d[i].votes_for,
						d[i].votes_against, d[i].votes_abstain)
				 : _("consensus"),
			 d[i].text != NULL ? arena_printf(req->arena, ": %s", d[i].text) : "");
	html_raw(b, "</ul>");
	return page_end(req, status);
}

static int h_meeting_show(struct req *req)
{
	return meeting_reply(req, 200, req->id);
}

static int h_meeting_list(struct req *req)
{
	const char *team = req_query(req, "team");
	struct meeting *m;
	json_t *items = json_array();
	int n = meeting_list(req->db, req->arena, num(team), &m), i;

	if (n < 0)
		return resp_server_error(req, "listing meetings");
	for (i = 0; i < n; i++)
		json_array_append_new(items, meeting_json(&m[i], NULL, 0));
	return items_reply(req, items);
}

static int h_meeting_create(struct req *req)
{
	struct input in[NMT];
	struct verrs v = VERRS_INIT;
	struct audit_actor who;
	struct meeting m;
	int64_t id = 0;
	int rc;

	if (input_read(req, meeting_fields, NMT, in, &v) > 0)
		return answer_refusal(req, 1, &v, NULL);
	m = (struct meeting){ .team_id = in[MT_TEAM].num, .held_on = in[MT_HELD].text, .place = in[MT_PLACE].text,
			      .agenda = in[MT_AGENDA].text, .minutes = in[MT_MINUTES].text,
			      .attendees = in[MT_ATTENDEES].nums, .nattendees = in[MT_ATTENDEES].nnums };
	req_actor(req, &who);
	rc = meeting_create(req->db, req->arena, &who, &m, &id, &v);
	if (rc != 0)
		return answer_refusal(req, rc, &v, "recording a meeting");
	if (!req->is_api)
		return saved(req, "/meetings", id);
	return meeting_reply(req, 201, id);
}

/* h_decision_create() records a decision of the meeting's team not tied to a contract or programme. */
static int h_decision_create(struct req *req)
{
	struct input in[ND];
	struct verrs v = VERRS_INIT;
	struct audit_actor who;
	struct meeting m;
	struct decision d;
	int64_t id = 0;
	int rc;

	if (input_read(req, decision_fields, ND, in, &v) > 0)
		return answer_refusal(req, 1, &v, NULL);
	rc = meeting_get(req->db, req->arena, req->id, &m);
	if (rc != 0)
		return rc < 0 ? resp_server_error(req, "reading a meeting") : no_such_meeting(req);
	read_decision(in, &d);
	if (!str_eq(d.kind, "other")) {
		verrs_add(&v, "kind", "not_here", "%s",
			  _("Kind of decision: programmes and contracts are decided through their own calls."));
		return answer_refusal(req, 1, &v, NULL);
	}
	d.team_id = m.team_id;
	d.meeting_id = m.id;
	req_actor(req, &who);
	if (db_begin(req->db) != 0)
		return resp_server_error(req, "recording a decision");
	rc = team_decide(req->db, &who, &d, &id, &v);
	if (rc > 0) {
		db_rollback(req->db);
		return answer_refusal(req, 1, &v, NULL);
	}
	rc = audit_commit(req->db, &who, rc, "decision.create", "decision", rc == 0 ? id : 0, d.kind);
	if (rc != 0)
		return resp_server_error(req, "recording a decision");
	return meeting_reply(req, 201, m.id);
}

/* ------------------------------------------------------------------ */
/* The local programme                                                 */
/* ------------------------------------------------------------------ */

enum { LA_TITLE, LA_MODULE, LA_RESP, LA_PARTNERS, LA_TARGET, LA_INFRA, LA_RULES, LA_FUNDING, LA_AMOUNT, LA_FROM,
	LA_TO, NLA };
static const struct field lpiw_action_fields[NLA] = {
	[LA_TITLE] = { "title", N_("Action"), F_TEXT, F_REQUIRED, 0, 500 },
	[LA_MODULE] = { "module", N_("Module"), F_CHOICE, F_REQUIRED, 0, 0, action_modules },
	[LA_RESP] = { "responsible_institution_id", N_("Responsible institution"), F_INT, F_REQUIRED, 1, INT64_MAX },
	[LA_PARTNERS] = { "partners", N_("Partner institutions"), F_INTS, 0, 1, INT64_MAX, NULL, NULL, 0, 0,
			  LPIW_MAX_PARTNERS },
	[LA_TARGET] = { "target_group", N_("Target group"), F_TEXT, 0, 0, 1000 },
	[LA_INFRA] = { "infrastructure", N_("Shared infrastructure"), F_TEXT, 0, 0, 1000 },
	[LA_RULES] = { "rules_of_use", N_("Rules of use"), F_TEXT, 0, 0, 2000 },
	[LA_FUNDING] = { "funding", N_("Funding"), F_TEXT, 0, 0, 500 },
	[LA_AMOUNT] = { "funding_amount", N_("Funding amount (grosze)"), F_INT, 0, 0, 100000000000 },
	[LA_FROM] = { "period_from", N_("From"), F_TEXT, 0, 0, 10 },
	[LA_TO] = { "period_to", N_("Until"), F_TEXT, 0, 0, 10 },
};

enum { L_TERC, L_TITLE, L_FROM, L_TO, L_LIMIT, L_ACTIONS, NL };
static const struct field lpiw_fields[NL] = {
	[L_TERC] = { "terc", N_("County (TERC)"), F_TEXT, F_REQUIRED, 0, 4 },
	[L_TITLE] = { "title", N_("Title"), F_TEXT, F_REQUIRED, 0, 300 },
	[L_FROM] = { "valid_from", N_("In force from"), F_TEXT, F_REQUIRED, 0, 10 },
	[L_TO] = { "valid_to", N_("In force until"), F_TEXT, F_REQUIRED, 0, 10 },
	[L_LIMIT] = { "contract_limit", N_("Limit per contract (grosze)"), F_INT, 0, 0, 100000000000 },
	[L_ACTIONS] = { "actions", N_("Actions"), F_OBJECTS, F_REQUIRED, 0, 0, NULL, lpiw_action_fields, NLA, 1,
			LPIW_MAX_ACTIONS },
};

static int lpiw_reply(struct req *req, int status, int64_t id)
{
	struct lpiw l;
	struct buf *b;
	int rc = lpiw_get(req->db, req->arena, id, &l), i;

	if (rc < 0)
		return resp_server_error(req, "reading a programme");
	if (rc > 0)
		return no_such_programme(req);
	if (req->is_api)
		return resp_json(req, status, lpiw_json(&l));
	page_crumb(req, "/lpiw", _("Local programmes (LPIW)"));
	page_crumb(req, NULL, l.title);
	b = page_begin(req, l.title);
	html_fmt(b, "<p class=\"status\">%s</p><dl class=\"details\">",
		 arena_printf(req->arena, _("Version %d: %s"), l.version, lpiw_state_label(l.state)));
	dl_row(b, _("County (TERC)"), l.terc);
	dl_row(b, _("In force from"), reg_date(req, l.valid_from));
	dl_row(b, _("In force until"), reg_date(req, l.valid_to));
	dl_row(b, _("Limit per contract"), arena_printf(req->arena, "%lld,%02lld zł", (long long)(l.contract_limit / 100),
							(long long)(l.contract_limit % 100)));
	html_fmt(b, "</dl><table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
		 "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		 _("No."), _("Action"), _("Module"), _("Responsible institution"), _("Partner institutions"),
		 _("Target group"), _("Shared infrastructure"), _("Rules of use"));
	for (i = 0; i < l.nactions; i++) {
		const struct lpiw_action *x = &l.actions[i];

		html_fmt(b, "<tr><td>%d <span class=\"sub\">(%lld)</span></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
			 "<td>%s</td><td>%s</td><td>%s</td></tr>",
			 x->number, (long long)x->id, x->title, action_module_label(x->module), x->responsible_name,
			 x->partner_names != NULL ? x->partner_names : "—", x->target_group != NULL ? x->target_group : "",
			 x->infrastructure != NULL ? x->infrastructure : "", x->rules_of_use != NULL ? x->rules_of_use : "");
	}
	html_raw(b, "</tbody></table>");
	html_fmt(b, "<p class=\"page-actions\"><a href=\"/lpiw/%lld/pdf\">%s</a></p>", (long long)l.id,
		 _("Download the programme (PDF)"));
	if (req_has_role(req, WRITERS) && str_eq(l.state, "draft")) {
		form_begin(b, req, arena_printf(req->arena, "/lpiw/%lld/adopt", (long long)l.id), "form inline");
		if (field_pick_meeting(b, req, 0, "meeting_id", _("Meeting of the PZKW"), 0, pick_empty(), NULL, 0, NULL) != 0)
			return resp_server_error(req, "listing meetings");
		button(b, _("Adopt by a decision of the PZKW"), "primary");
		form_end(b);
	}
	return page_end(req, status);
}

/* lpiw_pdf_reply() sends programme id as a PDF (the pilot's structure, coop/lpiw_pdf.c). */
static int lpiw_pdf_reply(struct req *req, int64_t id)
{
	struct lpiw_doc *d = arena_zalloc(req->arena, sizeof(*d));
	int rc = d != NULL ? lpiw_doc_get(req->db, req->arena, id, d) : -1;

	if (rc < 0)
		return resp_server_error(req, "reading a programme");
	if (rc > 0)
		return no_such_programme(req);
	buf_reset(&req->out);
	if (lpiw_pdf(d, &req->out) != 0)
		return resp_server_error(req, "drawing a programme's PDF");
	resp_header(req, "content-disposition",
		    arena_printf(req->arena, "attachment; filename=\"lpiw-%s-v%d.pdf\"", d->l.terc, d->l.version));
	req->out_type = "application/pdf";
	return 200;
}

/* GET /lpiw/{id} and /api/v1/lpiw/{id}: the API's ?format=pdf is the download convention of the contracts. */
static int h_lpiw_show(struct req *req)
{
	const char *format = req_query(req, "format");

	if (req->is_api && str_eq(format, "pdf"))
		return lpiw_pdf_reply(req, req->id);
	if (req->is_api && !str_empty(format) && !str_eq(format, "json"))
		return resp_error(req, 400, "bad_parameter", _("Wrong address"), _("format: choose pdf or json."));
	return lpiw_reply(req, 200, req->id);
}

static int h_lpiw_pdf(struct req *req)
{
	return lpiw_pdf_reply(req, req->id);
}

#define FORM_ACTIONS 4


/* lpiw_form() is the page's form of a new programme: its period and limit, and a row per module. */
static int lpiw_form(struct buf *b, struct req *req)
{
	struct option o[4];
	int i;

	options(o, action_modules, action_module_label, 4);
	fieldset_form(b, req, "/lpiw", _("Draft a programme"));
	field_input(b, "text", "terc", _("County (TERC)"), NULL, NULL, W_NARROW | W_REQUIRED, NULL, NULL);
	field_input(b, "text", "title", _("Title"), NULL, NULL, W_WIDE | W_REQUIRED, NULL, NULL);
	field_input(b, "date", "valid_from", _("In force from"), NULL, NULL, W_NARROW | W_REQUIRED, NULL, NULL);
	field_input(b, "date", "valid_to", _("In force until"), NULL, NULL, W_NARROW | W_REQUIRED, NULL, NULL);
	field_input(b, "number", "contract_limit", _("Limit per contract (grosze)"), NULL, NULL, W_NARROW, NULL, NULL);
	html_raw(b, "</fieldset>");
	for (i = 0; i < FORM_ACTIONS; i++) {
		html_fmt(b, "<fieldset><legend>%s</legend>", arena_printf(req->arena, _("Action %d"), i + 1));
		field_input(b, "text", arena_printf(req->arena, "a%d_title", i), _("Action"), NULL, NULL, W_WIDE,
			    i == 0 ? _("Leave empty to skip the row.") : NULL, NULL);
		field_select(b, arena_printf(req->arena, "a%d_module", i), _("Module"), o, 4, action_modules[i], NULL,
			     NULL, 0, NULL);
		if (field_pick_institution(b, req, arena_printf(req->arena, "a%d_responsible", i),
					   _("Responsible institution"), 0, pick_empty(), NULL, 0, NULL) != 0 ||
		    field_pick_institutions(b, req, arena_printf(req->arena, "a%d_partners", i),
					    _("Partner institutions"), NULL, 0, NULL) != 0)
			return -1;
		field_input(b, "text", arena_printf(req->arena, "a%d_target", i), _("Target group"), NULL, NULL, W_WIDE,
			    NULL, NULL);
		field_input(b, "text", arena_printf(req->arena, "a%d_infrastructure", i), _("Shared infrastructure"), NULL,
			    NULL, W_WIDE, NULL, NULL);
		field_input(b, "text", arena_printf(req->arena, "a%d_rules", i), _("Rules of use"), NULL, NULL, W_WIDE,
			    NULL, NULL);
		html_raw(b, "</fieldset>");
	}
	html_raw(b, "<div class=\"actions\">");
	button(b, _("Save the draft"), "primary");
	html_raw(b, "</div>");
	form_end(b);
	return 0;
}

/* form_num() reads a whole number of the form (0 when empty); an error names the field. */
static int64_t form_num(struct req *req, const char *name, const char *label, struct verrs *v)
{
	const char *s = req_form(req, name);
	int64_t n = 0;

	if (str_empty(s))
		return 0;
	if (str_to_int64(s, 0, INT64_MAX, &n) != 0)
		verrs_add(v, arena_strdup(req->arena, name), "not_a_number", _("%s: enter a whole number."), label);
	return n;
}

/* partner_values() joins the posted values of name (one per ticked checkbox, or "1, 2" typed) with commas. */
static char *partner_values(struct req *req, const char *name)
{
	char *all = arena_strdup(req->arena, "");
	int i;

	for (i = 0; all != NULL && i < req->form.n; i++)
		if (strcmp(req->form.v[i].name, name) == 0)
			all = arena_printf(req->arena, "%s%s,", all, req->form.v[i].value);
	return all;
}

/* read_lpiw_form() reads the page's form into l (rows without a title are skipped). */
static void read_lpiw_form(struct req *req, struct lpiw *l, struct verrs *v)
{
	int i;

	l->terc = req_form(req, "terc");
	l->title = req_form(req, "title");
	l->valid_from = req_form(req, "valid_from");
	l->valid_to = req_form(req, "valid_to");
	l->contract_limit = form_num(req, "contract_limit", _("Limit per contract (grosze)"), v);
	l->actions = arena_zalloc(req->arena, sizeof(*l->actions) * FORM_ACTIONS);
	for (i = 0; l->actions != NULL && i < FORM_ACTIONS; i++) {
		struct lpiw_action *y = &l->actions[l->nactions];
		char *partners, *tok, *save = NULL;

		if (str_empty(req_form(req, arena_printf(req->arena, "a%d_title", i))))
			continue;
		y->title = req_form(req, arena_printf(req->arena, "a%d_title", i));
		y->module = req_form(req, arena_printf(req->arena, "a%d_module", i));
		y->responsible_id = form_num(req, arena_printf(req->arena, "a%d_responsible", i),
					     _("Responsible institution (number)"), v);
		y->target_group = req_form(req, arena_printf(req->arena, "a%d_target", i));
		y->infrastructure = req_form(req, arena_printf(req->arena, "a%d_infrastructure", i));
		y->rules_of_use = req_form(req, arena_printf(req->arena, "a%d_rules", i));
		y->funding_amount = -1;
		partners = partner_values(req, arena_printf(req->arena, "a%d_partners", i));
		for (tok = partners != NULL ? strtok_r(partners, ", ", &save) : NULL; tok != NULL && y->npartners < LPIW_MAX_PARTNERS;
		     tok = strtok_r(NULL, ", ", &save)) {
			int64_t n = 0;

			if (str_to_int64(tok, 1, INT64_MAX, &n) != 0) {
				verrs_add(v, arena_printf(req->arena, "a%d_partners", i), "not_a_number",
					  _("Action %d: partner institutions are numbers separated by commas."), i + 1);
				break;
			}
			y->partners[y->npartners++] = n;
		}
		l->nactions++;
	}
}

/* lpiws_reply() answers the API's list of programmes. */
static int lpiws_reply(struct req *req, const struct lpiw *l, int n)
{
	json_t *items = json_array();
	int i;

	for (i = 0; i < n; i++)
		json_array_append_new(items, lpiw_json(&l[i]));
	return items_reply(req, items);
}

static int h_lpiw_list(struct req *req)
{
	struct lpiw *l;
	struct buf *b;
	int n = lpiw_list(req->db, req->arena, terc_param(req), &l), i;

	if (n < 0)
		return resp_server_error(req, "listing programmes");
	if (req->is_api)
		return lpiws_reply(req, l, n);
	b = top_page(req, _("Local programmes (LPIW)"));
	html_raw(b, "<ul>");
	for (i = 0; i < n; i++)
		html_fmt(b, "<li><a href=\"/lpiw/%lld\">%s</a> <span class=\"sub\">%s · %s · %s</span></li>",
			 (long long)l[i].id, l[i].title, l[i].terc,
			 arena_printf(req->arena, _("version %d"), l[i].version), lpiw_state_label(l[i].state));
	html_raw(b, "</ul>");
	if (n == 0)
		page_notice(b, "info", _("No programme yet."));
	if (req_has_role(req, WRITERS) && lpiw_form(b, req) != 0)
		return resp_server_error(req, "listing institutions");
	return page_end(req, 200);
}

static int h_lpiw_create(struct req *req)
{
	struct input in[NL];
	struct verrs v = VERRS_INIT;
	struct audit_actor who;
	struct lpiw l;
	int64_t id = 0;
	int rc, i;

	memset(&l, 0, sizeof(l));
	if (!req->is_api) {
		read_lpiw_form(req, &l, &v);
		req_actor(req, &who);
		rc = v.n > 0 ? 1 : lpiw_create(req->db, req->arena, &who, &l, &id, &v);
		if (rc < 0)
			return resp_server_error(req, "drafting a programme");
		if (rc > 0) {
			const char *all = "";

			for (i = 0; i < v.n; i++)
				all = arena_printf(req->arena, "%s%s%s", all, i > 0 ? " " : "", v.e[i].message);
			return page_error_back(req, 422, _("Not saved"), all, "/lpiw", _("Back to the programmes"));
		}
		return saved(req, "/lpiw", id);
	}
	if (input_read(req, lpiw_fields, NL, in, &v) > 0)
		return resp_api_verrs(req, &v);
	l.terc = in[L_TERC].text;
	l.title = in[L_TITLE].text;
	l.valid_from = in[L_FROM].text;
	l.valid_to = in[L_TO].text;
	l.contract_limit = in[L_LIMIT].num;
	l.nactions = in[L_ACTIONS].nitems;
	l.actions = arena_zalloc(req->arena, sizeof(*l.actions) * (size_t)(l.nactions + 1));
	if (l.actions == NULL)
		return resp_oom(req);
	for (i = 0; i < l.nactions; i++) {
		const struct input *x = input_item(&lpiw_fields[L_ACTIONS], &in[L_ACTIONS], i);
		struct lpiw_action *y = &l.actions[i];
		int k;

		y->title = x[LA_TITLE].text;
		y->module = x[LA_MODULE].text;
		y->responsible_id = x[LA_RESP].num;
		for (k = 0; k < x[LA_PARTNERS].nnums && k < LPIW_MAX_PARTNERS; k++)
			y->partners[y->npartners++] = x[LA_PARTNERS].nums[k];
		y->target_group = x[LA_TARGET].text;
		y->infrastructure = x[LA_INFRA].text;
		y->rules_of_use = x[LA_RULES].text;
		y->funding = x[LA_FUNDING].text;
		y->funding_amount = x[LA_AMOUNT].present ? x[LA_AMOUNT].num : -1;
		y->period_from = str_empty(x[LA_FROM].text) ? NULL : x[LA_FROM].text;
		y->period_to = str_empty(x[LA_TO].text) ? NULL : x[LA_TO].text;
	}
	req_actor(req, &who);
	rc = lpiw_create(req->db, req->arena, &who, &l, &id, &v);
	if (rc != 0)
		return answer_refusal(req, rc, &v, "drafting a programme");
	resp_header(req, "location", arena_printf(req->arena, "/api/v1/lpiw/%lld", (long long)id));
	return lpiw_reply(req, 201, id);
}

/*
 * adopt_refused() answers an adoption the rules refuse: 409 when the
 * programme's state or the county (no PZKW) stands in the way, 422 for a
 * field of the decision.
 */
static int adopt_refused(struct req *req, const struct verr *e)
{
	int conflict = str_eq(e->code, "state") || str_eq(e->code, "no_pzkw");

	if (!req->is_api)
		return page_error(req, 409, _("Not possible"), e->message);
	return resp_api_error(req, conflict ? 409 : 422, e->code, e->message, e->field[0] != '\0' ? e->field : NULL);
}

static int h_lpiw_adopt(struct req *req)
{
	struct input in[ND];
	struct verrs v = VERRS_INIT;
	struct audit_actor who;
	struct decision d;
	int rc;

	if (input_read(req, decision_fields, ND, in, &v) > 0)
		return answer_refusal(req, 1, &v, NULL);
	read_decision(in, &d);
	req_actor(req, &who);
	rc = lpiw_adopt(req->db, &who, req->id, &d, &v);
	if (rc < 0)
		return resp_server_error(req, "adopting a programme");
	if (rc > 0 && v.n == 0)
		return no_such_programme(req);
	if (rc > 0)
		return adopt_refused(req, &v.e[0]);
	if (!req->is_api)
		return saved(req, "/lpiw", req->id);
	return lpiw_reply(req, 200, req->id);
}

ROUTES(teams) = {
	{ HTTP_GET, "/teams", h_team_list, 0, 0 },
	{ HTTP_POST, "/teams", h_team_create, 0, WRITERS },
	{ HTTP_GET, "/teams/{id:int}", h_team_show, 0, 0 },
	{ HTTP_POST, "/teams/{id:int}/members", h_member_add, 0, WRITERS },
	{ HTTP_POST, "/meetings", h_meeting_create, 0, WRITERS },
	{ HTTP_GET, "/meetings/{id:int}", h_meeting_show, 0, 0 },
	{ HTTP_GET, "/lpiw", h_lpiw_list, 0, 0 },
	{ HTTP_POST, "/lpiw", h_lpiw_create, 0, WRITERS },
	{ HTTP_GET, "/lpiw/{id:int}", h_lpiw_show, 0, 0 },
	{ HTTP_GET, "/lpiw/{id:int}/pdf", h_lpiw_pdf, 0, 0 },
	{ HTTP_POST, "/lpiw/{id:int}/adopt", h_lpiw_adopt, 0, WRITERS },
	{ HTTP_GET, "/api/v1/teams", h_team_list, 0, 0 },
	{ HTTP_POST, "/api/v1/teams", h_team_create, 0, WRITERS },
	{ HTTP_GET, "/api/v1/teams/{id:int}", h_team_show, 0, 0 },
	{ HTTP_POST, "/api/v1/teams/{id:int}/members", h_member_add, 0, WRITERS },
	{ HTTP_GET, "/api/v1/meetings", h_meeting_list, 0, 0 },
	{ HTTP_POST, "/api/v1/meetings", h_meeting_create, 0, WRITERS },
	{ HTTP_GET, "/api/v1/meetings/{id:int}", h_meeting_show, 0, 0 },
	{ HTTP_POST, "/api/v1/meetings/{id:int}/decisions", h_decision_create, 0, WRITERS },
	{ HTTP_GET, "/api/v1/lpiw", h_lpiw_list, 0, 0 },
	{ HTTP_POST, "/api/v1/lpiw", h_lpiw_create, 0, WRITERS },
	{ HTTP_GET, "/api/v1/lpiw/{id:int}", h_lpiw_show, 0, 0 },
	{ HTTP_POST, "/api/v1/lpiw/{id:int}/adopt", h_lpiw_adopt, 0, WRITERS },
};
ROUTES_END(teams);
