/*
 * contracts.c — social contracts (coop/contract.h): the list, a page per
 * contract with its version in force, the pending amendment, the history
 * and the forms of the transitions each role may take; drafting and
 * editing (the parts of the 2010 template: parties and members,
 * assessment, goals, numbered actions by module, budget), monitoring
 * (action done / dropped, spent amounts), two versions side by side; the
 * same under /api/v1/contracts; the start-page reminders.
 *
 * Every page or answer that shows a contract records contract.read (the
 * list: contract.list with the ids); the domain decides who may see it
 * (404 to anyone else) and writes every change with its audit row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/role.h"
#include "coop/contract.h"
#include "coop/contract_pdf.h"
#include "core/clock.h"
#include "core/html.h"
#include "core/str.h"
#include "web/handlers.h"
#include "web/input.h"
#include "web/page.h"
#include "web/registry_web.h"
#include "web/route.h"
#include "web/widget.h"

#define WORKERS (ROLE_BIT(ROLE_SOCIAL_WORKER) | ROLE_BIT(ROLE_GUARDIAN) | ROLE_BIT(ROLE_LABOUR_ADVISER) | \
		 ROLE_BIT(ROLE_COORDINATOR))

static const char *const consent_forms[] = { "written", "electronic", "oral_recorded", NULL };
static const char *const goal_kinds[] = { "main", "specific", NULL };

/* num() is the whole number s (a query value), 0 when absent or not one. */
static int64_t num(const char *s)
{
	int64_t v = 0;

	return s != NULL && str_to_int64(s, 0, INT64_MAX, &v) == 0 ? v : 0;
}

/* ------------------------------------------------------------------ */
/* Input                                                               */
/* ------------------------------------------------------------------ */

enum { G_KIND, G_TEXT, NG };
static const struct field goal_fields[NG] = {
	[G_KIND] = { "kind", N_("Kind of goal"), F_CHOICE, 0, 0, 0, goal_kinds },
	[G_TEXT] = { "text", N_("Goal"), F_TEXT, 0, 0, 2000 },
};

enum { A_MODULE, A_TITLE, A_MEMBER, A_PERFORMER, A_INST, A_LPIW_ACTION, A_OUTSIDE, A_DEADLINE, A_COST, A_STATUS,
	A_DROP, A_EVIDENCE, NA };
static const struct field action_fields[NA] = {
	[A_MODULE] = { "module", N_("Module"), F_CHOICE, 0, 0, 0, action_modules },
	[A_TITLE] = { "title", N_("Action"), F_TEXT, 0, 0, 1000 },
	[A_MEMBER] = { "member_person_id", N_("For whom"), F_INT, 0, 0, INT64_MAX },
	[A_PERFORMER] = { "performer", N_("Who does it"), F_CHOICE, 0, 0, 0, contract_performers },
	[A_INST] = { "institution_id", N_("Institution"), F_INT, 0, 0, INT64_MAX },
	[A_LPIW_ACTION] = { "lpiw_action_id", N_("Action of the local programme"), F_INT, 0, 0, INT64_MAX },
	[A_OUTSIDE] = { "outside_lpiw", N_("Outside the local programme"), F_BOOL },
	[A_DEADLINE] = { "deadline", N_("Deadline"), F_TEXT, 0, 0, 10 },
	[A_COST] = { "cost", N_("Cost (grosze)"), F_INT, 0, 0, 100000000000 },
	[A_STATUS] = { "status", N_("Status"), F_CHOICE, 0, 0, 0, contract_action_statuses },
	[A_DROP] = { "drop_reason", N_("Reason for dropping"), F_TEXT, 0, 0, 1000 },
	[A_EVIDENCE] = { "evidence", N_("Evidence"), F_TEXT, 0, 0, 2000 },
};

enum { B_LINE, B_SOURCE, B_PLANNED, B_SPENT, NB };
static const struct field budget_fields[NB] = {
	[B_LINE] = { "line", N_("Budget line"), F_TEXT, 0, 0, 300 },
	[B_SOURCE] = { "source", N_("Source"), F_CHOICE, 0, 0, 0, contract_budget_sources },
	[B_PLANNED] = { "planned", N_("Planned (grosze)"), F_INT, 0, 0, 100000000000 },
	[B_SPENT] = { "spent", N_("Spent (grosze)"), F_INT, 0, 0, 100000000000 },
};

enum { C_KIND, C_PERSON, C_FAMILY, C_GUARDIAN, C_REFERRAL, C_CONSENT, C_FROM, C_TO, C_LPIW, C_CAUSES,
	C_STRENGTHS, C_BARRIERS, C_SPECIAL, C_EDUCATION, C_QUALIFICATIONS, C_EXPERIENCE, C_EMP_BARRIERS, C_FORMS,
	C_STAGE, C_TARGET, C_MEMBERS, C_GOALS, C_ACTIONS, C_BUDGET, C_MAIN_GOAL, C_SPECIFIC, NC };
static const struct field contract_fields[NC] = {
	[C_KIND] = { "kind", N_("Kind of contract"), F_CHOICE, 0, 0, 0, contract_kinds },
	[C_PERSON] = { "person_id", N_("Party (record number)"), F_INT, 0, 0, INT64_MAX },
	[C_FAMILY] = { "family_id", N_("Household (number)"), F_INT, 0, 0, INT64_MAX },
	[C_GUARDIAN] = { "guardian_member_id", N_("Guardian (MGI member)"), F_INT, 0, 0, INT64_MAX },
	[C_REFERRAL] = { "referral_id", N_("PUP referral (number)"), F_INT, 0, 0, INT64_MAX },
	[C_CONSENT] = { "consent_form", N_("The family's consent (social contract)"), F_CHOICE, 0, 0, 0,
			consent_forms },
	[C_FROM] = { "valid_from", N_("In force from"), F_TEXT, 0, 0, 10 },
	[C_TO] = { "valid_to", N_("In force until"), F_TEXT, 0, 0, 10 },
	[C_LPIW] = { "lpiw_id", N_("Local programme (number)"), F_INT, 0, 0, INT64_MAX },
	[C_CAUSES] = { "causes", N_("Causes of the difficult situation"), F_TEXT, 0, 0, 4000 },
	[C_STRENGTHS] = { "strengths", N_("Strengths and resources"), F_TEXT, 0, 0, 4000 },
	[C_BARRIERS] = { "barriers", N_("Limitations and barriers"), F_TEXT, 0, 0, 4000 },
	[C_SPECIAL] = { "special_notes", N_("Health, addiction, violence"), F_TEXT, 0, 0, 4000 },
	[C_EDUCATION] = { "education", N_("Education"), F_TEXT, 0, 0, 500 },
	[C_QUALIFICATIONS] = { "qualifications", N_("Qualifications"), F_TEXT, 0, 0, 1000 },
	[C_EXPERIENCE] = { "work_experience", N_("Work experience"), F_TEXT, 0, 0, 2000 },
	[C_EMP_BARRIERS] = { "employment_barriers", N_("Barriers to employment"), F_TEXT, 0, 0, 2000 },
	[C_FORMS] = { "assistance_forms", N_("Forms of assistance"), F_TEXT, 0, 0, 2000 },
	[C_STAGE] = { "homeless_stage", N_("Stage of the pathway"), F_CHOICE, 0, 0, 0, contract_homeless_stages },
	[C_TARGET] = { "homeless_target", N_("Target stage"), F_CHOICE, 0, 0, 0, contract_homeless_stages },
	[C_MEMBERS] = { "members", N_("Members (record numbers)"), F_INTS, 0, 1, INT64_MAX, NULL, NULL, 0, 0,
			CONTRACT_MAX_MEMBERS },
	[C_GOALS] = { "goals", N_("Goals"), F_OBJECTS, 0, 0, 0, NULL, goal_fields, NG, 0, CONTRACT_MAX_GOALS },
	[C_ACTIONS] = { "actions", N_("Actions"), F_OBJECTS, 0, 0, 0, NULL, action_fields, NA, 0,
			CONTRACT_MAX_ACTIONS },
	[C_BUDGET] = { "budget", N_("Budget"), F_OBJECTS, 0, 0, 0, NULL, budget_fields, NB, 0, CONTRACT_MAX_BUDGET },
	/* the page's form: the goals as a main goal and specific ones, one a line */
	[C_MAIN_GOAL] = { "main_goal", N_("Main goal"), F_TEXT, 0, 0, 2000 },
	[C_SPECIFIC] = { "specific_goals", N_("Specific goals"), F_TEXT, 0, 0, 20000 },
};

static const char *txt(const struct input *x, const char *old, int partial)
{
	if (partial && !x->present)
		return old;
	return x->text;
}

static void read_goal_lines(struct req *req, struct contract_content *c, const char *main, const char *lines)
{
	char *s, *line, *save = NULL;

	c->ngoals = 0;
	if (!str_empty(main))
		c->goals[c->ngoals++] = (struct contract_goal){ .kind = "main", .text = main };
	if (lines == NULL)
		return;
	s = arena_strdup(req->arena, lines);
	for (line = s != NULL ? strtok_r(s, "\r\n", &save) : NULL; line != NULL && c->ngoals < CONTRACT_MAX_GOALS;
	     line = strtok_r(NULL, "\r\n", &save))
		if (!str_empty(line))
			c->goals[c->ngoals++] = (struct contract_goal){ .kind = "specific", .text = line };
}

static void read_lists(const struct input *in, struct contract_content *c, int partial)
{
	int i;

	if (!partial || in[C_MEMBERS].present) {
		c->nmembers = 0;
		for (i = 0; i < in[C_MEMBERS].nnums && i < CONTRACT_MAX_MEMBERS; i++)
			c->members[c->nmembers++].person_id = in[C_MEMBERS].nums[i];
	}
	if (!partial || in[C_GOALS].present) {
		c->ngoals = 0;
		for (i = 0; i < in[C_GOALS].nitems && i < CONTRACT_MAX_GOALS; i++) {
			const struct input *g = input_item(&contract_fields[C_GOALS], &in[C_GOALS], i);

			c->goals[c->ngoals++] = (struct contract_goal){ .kind = g[G_KIND].present ? g[G_KIND].text : NULL,
									.text = g[G_TEXT].text };
		}
	}
	if (!partial || in[C_ACTIONS].present) {
		c->nactions = 0;
		for (i = 0; i < in[C_ACTIONS].nitems && i < CONTRACT_MAX_ACTIONS; i++) {
			const struct input *y = input_item(&contract_fields[C_ACTIONS], &in[C_ACTIONS], i);

			c->actions[c->nactions++] = (struct contract_action){
				.module = y[A_MODULE].text, .title = y[A_TITLE].text,
				.member_person_id = y[A_MEMBER].num,
				.performer = y[A_PERFORMER].present ? y[A_PERFORMER].text : NULL,
				.institution_id = y[A_INST].num, .lpiw_action_id = y[A_LPIW_ACTION].num,
				.outside_lpiw = (int)y[A_OUTSIDE].num, .deadline = y[A_DEADLINE].text,
				.cost = y[A_COST].num, .status = y[A_STATUS].present ? y[A_STATUS].text : NULL,
				.drop_reason = y[A_DROP].text, .evidence = y[A_EVIDENCE].text };
		}
	}
	if (!partial || in[C_BUDGET].present) {
		c->nbudget = 0;
		for (i = 0; i < in[C_BUDGET].nitems && i < CONTRACT_MAX_BUDGET; i++) {
			const struct input *b = input_item(&contract_fields[C_BUDGET], &in[C_BUDGET], i);

			c->budget[c->nbudget++] = (struct contract_budget){ .line = b[B_LINE].text,
									    .source = b[B_SOURCE].text,
									    .planned = b[B_PLANNED].num,
									    .spent = b[B_SPENT].num };
		}
	}
}

/*
 * read_contract() reads the form or JSON into n (new contracts) and x.
 * partial (an API PUT, a page's edit form): what is not sent keeps x's
 * value. Returns the number of errors.
 */
static int read_contract(struct req *req, struct contract_new *n, struct contract_content *x, int partial,
			 int64_t *guardian, struct verrs *v)
{
	struct input in[NC];

	input_read(req, contract_fields, NC, in, v);
	if (n != NULL) {
		n->kind = in[C_KIND].text;
		n->person_id = in[C_PERSON].num;
		n->family_id = in[C_FAMILY].num;
		n->guardian_member_id = in[C_GUARDIAN].num;
		n->referral_id = in[C_REFERRAL].num;
		n->consent_form = str_empty(in[C_CONSENT].text) ? NULL : in[C_CONSENT].text;
	}
	if (guardian != NULL)
		*guardian = in[C_GUARDIAN].num;
	x->valid_from = txt(&in[C_FROM], x->valid_from, partial);
	x->valid_to = txt(&in[C_TO], x->valid_to, partial);
	if (!partial || in[C_LPIW].present)
		x->lpiw_id = in[C_LPIW].num;
	x->causes = txt(&in[C_CAUSES], x->causes, partial);
	x->strengths = txt(&in[C_STRENGTHS], x->strengths, partial);
	x->barriers = txt(&in[C_BARRIERS], x->barriers, partial);
	x->special_notes = txt(&in[C_SPECIAL], x->special_notes, partial);
	x->education = txt(&in[C_EDUCATION], x->education, partial);
	x->qualifications = txt(&in[C_QUALIFICATIONS], x->qualifications, partial);
	x->work_experience = txt(&in[C_EXPERIENCE], x->work_experience, partial);
	x->employment_barriers = txt(&in[C_EMP_BARRIERS], x->employment_barriers, partial);
	x->assistance_forms = txt(&in[C_FORMS], x->assistance_forms, partial);
	x->homeless_stage = txt(&in[C_STAGE], x->homeless_stage, partial);
	x->homeless_target = txt(&in[C_TARGET], x->homeless_target, partial);
	read_lists(in, x, partial);
	if (!req->is_api && (in[C_MAIN_GOAL].present || !partial))
		read_goal_lines(req, x, in[C_MAIN_GOAL].text, in[C_SPECIFIC].text);
	input_order_errors(contract_fields, NC, v);
	return v->n;
}

/* ------------------------------------------------------------------ */
/* Common                                                              */
/* ------------------------------------------------------------------ */

static int actor(struct req *req, struct contract_actor *w)
{
	if (contract_actor_of(req->db, req->sess->user_id, req->sess->roles, req->sess->institution_id,
			      req->sess->login, req->ip, w) != 0)
		return resp_server_error(req, "reading the user's institution");
	return 0;
}

static int not_found(struct req *req)
{
	return resp_error(req, 404, "not_found", _("No such contract"),
			  _("There is no contract with this number that you may see."));
}

/* refused() answers a refused change: 403 (role), 409 (state), 404, or 422 with every error. */
static int refused(struct req *req, int rc, const struct verrs *v)
{
	const char *code = v->n > 0 ? v->e[0].code : "invalid";
	const char *msg = v->n > 0 ? v->e[0].message : "";

	if (rc == CONTRACT_NOT_FOUND)
		return not_found(req);
	if (rc == CONTRACT_FORBIDDEN)
		return req->is_api ? resp_api_error(req, 403, code, msg, NULL)
				   : page_error(req, 403, _("Not part of your role"), msg);
	if (rc == CONTRACT_STATE)
		return req->is_api ? resp_api_error(req, 409, code, msg, NULL)
				   : page_error(req, 409, _("Not possible in this state"), msg);
	if (req->is_api)
		return resp_api_verrs(req, v);
	return -1; /* the page shows its form again */
}

static const char *href(struct req *req, int64_t id)
{
	return arena_printf(req->arena, "/contracts/%lld", (long long)id);
}

static const char *money(struct req *req, int64_t grosze)
{
	return arena_printf(req->arena, "%lld,%02lld zł", (long long)(grosze / 100), (long long)(grosze % 100));
}

static int record_read(struct req *req, int64_t id, int version)
{
	if (req_audit_read(req, "contract.read", "contract", arena_printf(req->arena, "%lld", (long long)id),
			   arena_printf(req->arena, "version=%d", version)) != 0)
		return resp_server_error(req, "recording a read");
	return 0;
}

/* load() reads {id} (version from ?version=, 0 = in force) for the user and records the read. */
static int load(struct req *req, struct contract_actor *w, struct contract *c, struct contract_content *x)
{
	const char *ver = req_query(req, "version");
	int rc = actor(req, w);

	if (rc != 0)
		return rc;
	rc = contract_read(req->db, req->arena, w, req->id, (int)num(ver), c, x);
	if (rc == CONTRACT_NOT_FOUND)
		return not_found(req);
	if (rc != 0)
		return resp_server_error(req, "reading a contract");
	return record_read(req, c->id, x != NULL ? x->version : 0);
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

static json_t *content_json(const struct contract_content *x)
{
	json_t *members = json_array(), *goals = json_array(), *actions = json_array(), *budget = json_array();
	json_t *by_module = json_object(), *out;
	int64_t planned = 0, spent = 0;
	int i, done = 0, overdue = 0;

	for (i = 0; i < x->nmembers; i++)
		json_array_append_new(members, json_pack("{s:I, s:s?, s:s?, s:b}", "person_id",
							 (json_int_t)x->members[i].person_id, "name", x->members[i].name,
							 "birth_date", x->members[i].birth_date, "child",
							 x->members[i].child));
	for (i = 0; i < x->ngoals; i++)
		json_array_append_new(goals, json_pack("{s:i, s:s, s:s, s:s?, s:s?}", "number", x->goals[i].number, "kind",
						       x->goals[i].kind, "text", x->goals[i].text, "evaluation",
						       x->goals[i].evaluation, "evaluation_reason",
						       x->goals[i].evaluation_reason));
	for (i = 0; action_modules[i] != NULL; i++)
		json_object_set_new(by_module, action_modules[i], json_array());
	for (i = 0; i < x->nactions; i++) {
		const struct contract_action *y = &x->actions[i];
		json_t *j = json_pack("{s:i, s:s, s:s, s:s, s:s, s:I, s:s, s:s?, s:s?, s:b, s:b}", "number", y->number,
				      "module", y->module, "title", y->title, "performer", y->performer, "deadline",
				      y->deadline, "cost", (json_int_t)y->cost, "status", y->status, "drop_reason",
				      y->drop_reason, "evidence", y->evidence, "outside_lpiw", y->outside_lpiw,
				      "overdue", y->overdue);

		json_object_set_new(j, "member_person_id",
				    y->member_person_id > 0 ? json_integer(y->member_person_id) : json_null());
		json_object_set_new(j, "member", y->member_name != NULL ? json_string(y->member_name) : json_null());
		json_object_set_new(j, "institution_id",
				    y->institution_id > 0 ? json_integer(y->institution_id) : json_null());
		json_object_set_new(j, "institution",
				    y->institution_name != NULL ? json_string(y->institution_name) : json_null());
		json_object_set_new(j, "lpiw_action_id",
				    y->lpiw_action_id > 0 ? json_integer(y->lpiw_action_id) : json_null());
		json_array_append(json_object_get(by_module, y->module), j);
		json_array_append_new(actions, j);
		done += str_eq(y->status, "done");
		overdue += y->overdue;
	}
	for (i = 0; i < x->nbudget; i++) {
		json_array_append_new(budget, json_pack("{s:i, s:s, s:s, s:I, s:I}", "number", x->budget[i].number, "line",
							x->budget[i].line, "source", x->budget[i].source, "planned",
							(json_int_t)x->budget[i].planned, "spent",
							(json_int_t)x->budget[i].spent));
		planned += x->budget[i].planned;
		spent += x->budget[i].spent;
	}
	out = json_pack("{s:i, s:s, s:s, s:s, s:{s:s?, s:s?, s:s?, s:s?, s:b}, s:{s:s?, s:s?, s:s?, s:s?}, "
			 "s:s?, s:s?, s:s?, s:s?, s:o, s:o, s:o, s:o, s:o, s:{s:i, s:i, s:i, s:I, s:I}}",
			 "version", x->version, "state", x->state, "valid_from", x->valid_from, "valid_to", x->valid_to,
			 "assessment", "causes", x->causes, "strengths",
			 x->strengths, "barriers", x->barriers, "special_notes", x->special_notes, "special_withheld",
			 x->special_hidden, "vocational", "education", x->education, "qualifications",
			 x->qualifications, "work_experience", x->work_experience, "employment_barriers",
			 x->employment_barriers, "assistance_forms", x->assistance_forms, "homeless_stage",
			 x->homeless_stage, "homeless_target", x->homeless_target, "return_comment",
			 x->return_comment, "members", members, "goals", goals, "actions", actions,
			 "actions_by_module", by_module, "budget", budget, "monitoring", "actions", x->nactions,
			 "done", done, "overdue", overdue, "planned", (json_int_t)planned, "spent", (json_int_t)spent);
	if (out != NULL)
		json_object_set_new(out, "lpiw_id", x->lpiw_id > 0 ? json_integer(x->lpiw_id) : json_null());
	return out;
}

static json_t *contract_json(const struct contract *c)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:i, s:s, s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s}",
			      "id", (json_int_t)c->id, "kind", c->kind, "state", c->state, "version",
			      c->current_version, "county", c->county_terc, "institution_id",
			      (json_int_t)c->institution_id, "institution", c->institution_name, "party",
			      c->person_name, "social_worker", c->social_worker_name, "guardian", c->guardian_name,
			      "end_reason", c->end_reason, "end_note", c->end_note, "art11_consequence",
			      c->art11_consequence, "ended_on", c->ended_on, "updated_at", c->updated_at);

	json_object_set_new(j, "person_id", json_integer(c->person_id));
	json_object_set_new(j, "family_id", c->family_id > 0 ? json_integer(c->family_id) : json_null());
	json_object_set_new(j, "guardian_member_id",
			    c->guardian_member_id > 0 ? json_integer(c->guardian_member_id) : json_null());
	json_object_set_new(j, "referral_id", c->referral_id > 0 ? json_integer(c->referral_id) : json_null());
	json_object_set_new(j, "consent_id", c->consent_id > 0 ? json_integer(c->consent_id) : json_null());
	json_object_set_new(j, "pending_version", c->pending_version > 0 ? json_integer(c->pending_version) : json_null());
	return j;
}

static json_t *events_json(const struct contract_event *e, int n)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:i, s:s, s:s?, s:s, s:s?, s:s, s:s?}", "version", e[i].version,
						   "action", e[i].action, "from", e[i].from_state, "to", e[i].to_state,
						   "comment", e[i].comment, "at", e[i].at, "by", e[i].by_name));
	return a;
}

/* full_json() is the whole contract: the head, the version shown, the pending one, the history. */
static int full_json(struct req *req, int status, const struct contract_actor *w, const struct contract *c,
		     const struct contract_content *x)
{
	struct contract_event *ev;
	struct contract_content *p = NULL;
	struct contract pc;
	json_t *j = contract_json(c);
	int n = contract_events(req->db, req->arena, c->id, &ev);

	if (n < 0)
		return resp_server_error(req, "reading a contract's history");
	json_object_set_new(j, "content", content_json(x));
	if (c->pending_version > 0 && x->version != c->pending_version) {
		p = arena_zalloc(req->arena, sizeof(*p));
		if (p == NULL || contract_read(req->db, req->arena, w, c->id, c->pending_version, &pc, p) != 0)
			return resp_server_error(req, "reading a pending version");
		json_object_set_new(j, "pending", content_json(p));
	}
	json_object_set_new(j, "events", events_json(ev, n));
	return resp_json(req, status, j);
}

/* ------------------------------------------------------------------ */
/* API                                                                 */
/* ------------------------------------------------------------------ */

/* reread_json() answers an API change with the contract as it now stands. */
static int reread_json(struct req *req, int status, const struct contract_actor *w, int64_t id, struct contract *c,
		       struct contract_content *x)
{
	if (contract_read(req->db, req->arena, w, id, 0, c, x) != 0)
		return resp_server_error(req, "reading a contract");
	return full_json(req, status, w, c, x);
}

static int filters(struct req *req, struct contract_filter *f)
{
	const char *s = req_query(req, "state"), *k = req_query(req, "kind"), *g = req_query(req, "guardian");

	memset(f, 0, sizeof(*f));
	if (!str_empty(s) && !coop_code_ok(contract_states, s))
		return resp_error(req, 400, "bad_parameter", _("Wrong address"),
				  _("state: draft, submitted, returned, approved, active, completed or terminated."));
	if (!str_empty(k) && !coop_code_ok(contract_kinds, k))
		return resp_error(req, 400, "bad_parameter", _("Wrong address"),
				  _("kind: individual_a, individual_b, family or homelessness."));
	f->state = str_empty(s) ? NULL : s;
	f->kind = str_empty(k) ? NULL : k;
	f->guardian_member_id = num(g);
	f->mine = str_eq(req_query(req, "mine"), "1");
	return 0;
}

static int list_rows(struct req *req, struct contract_actor *w, struct contract_row **rows, int *n)
{
	struct contract_filter f;
	struct audit_ids ids = AUDIT_IDS_INIT;
	const char *detail;
	int rc = filters(req, &f), i;

	if (rc != 0 || (rc = actor(req, w)) != 0)
		return rc;
	*rows = arena_zalloc(req->arena, sizeof(**rows) * 500);
	*n = *rows != NULL ? contract_list(req->db, req->arena, w, &f, *rows, 500) : -1;
	if (*n < 0)
		return resp_server_error(req, "listing contracts");
	for (i = 0; i < *n; i++)
		audit_ids_add(&ids, arena_printf(req->arena, "%lld", (long long)(*rows)[i].id));
	detail = audit_ids_detail(req->arena, &ids, *n, "contracts");
	if (detail == NULL || req_audit_read(req, "contract.list", "contract", NULL, detail) != 0)
		return resp_server_error(req, "recording a read");
	return 0;
}

static int h_api_contract_list(struct req *req)
{
	struct contract_actor w;
	struct contract_row *r;
	json_t *items;
	int n, i, rc = list_rows(req, &w, &r, &n);

	if (rc != 0)
		return rc;
	items = json_array();
	for (i = 0; i < n; i++) {
		json_t *j = json_pack("{s:I, s:s, s:s, s:i, s:s?, s:s, s:s?, s:s?, s:i, s:i}", "id", (json_int_t)r[i].id,
				      "kind", r[i].kind, "state", r[i].state, "version", r[i].version, "guardian",
				      r[i].guardian_name, "county", r[i].county_terc, "party", r[i].person_name,
				      "valid_to", r[i].valid_to, "overdue_actions", r[i].overdue, "due_actions", r[i].due);

		json_object_set_new(j, "guardian_member_id",
				    r[i].guardian_member_id > 0 ? json_integer(r[i].guardian_member_id) : json_null());
		json_object_set_new(j, "pending_version",
				    r[i].pending_version > 0 ? json_integer(r[i].pending_version) : json_null());
		json_array_append_new(items, j);
	}
	return resp_json(req, 200, json_pack("{s:o}", "items", items));
}

/* pdf_reply() sends the contract as a PDF (the date of conclusion: the day it was activated, if it was). */
static int pdf_reply(struct req *req, const struct contract *c, const struct contract_content *x)
{
	struct contract_event *ev;
	const char *concluded = NULL;
	int n = contract_events(req->db, req->arena, c->id, &ev), i;

	if (n < 0)
		return resp_server_error(req, "reading a contract's history");
	for (i = 0; i < n; i++)
		if (str_eq(ev[i].action, "activate") && ev[i].at != NULL)
			concluded = arena_printf(req->arena, "%.10s", ev[i].at);
	buf_reset(&req->out);
	if (contract_pdf(c, x, concluded, &req->out) != 0)
		return resp_server_error(req, "drawing a contract's PDF");
	resp_header(req, "content-disposition",
		    arena_printf(req->arena, "attachment; filename=\"kontrakt-%lld-v%d.pdf\"", (long long)c->id, x->version));
	req->out_type = "application/pdf";
	return 200;
}

static int h_contract_pdf(struct req *req)
{
	struct contract_actor w;
	struct contract c;
	struct contract_content *x = arena_zalloc(req->arena, sizeof(*x));
	int rc = x != NULL ? load(req, &w, &c, x) : resp_oom(req);

	return rc != 0 ? rc : pdf_reply(req, &c, x);
}

static int h_api_contract_get(struct req *req)
{
	struct contract_actor w;
	struct contract c;
	struct contract_content *x = arena_zalloc(req->arena, sizeof(*x));
	int rc;

	if (x == NULL)
		return resp_oom(req);
	rc = load(req, &w, &c, x);
	if (rc != 0)
		return rc;
	if (str_eq(req_query(req, "format"), "pdf"))
		return pdf_reply(req, &c, x);
	if (!str_empty(req_query(req, "format")) && !str_eq(req_query(req, "format"), "json"))
		return resp_error(req, 400, "bad_parameter", _("Wrong address"), _("format: choose pdf or json."));
	return full_json(req, 200, &w, &c, x);
}

/* A creation is a new contract as the request gives it, with who creates it and what was wrong. */
struct creation {
	struct contract_actor w;
	struct contract_new n;
	struct contract_content *x;
	struct verrs v;
	int64_t id;
	int answer; /* the response already given, with CREATE_ANSWERED */
};
#define CREATE_ANSWERED (-2)

/* create_new() reads a new contract from the request and writes it: 0 (k->id), 1 (k->v), CONTRACT_FORBIDDEN,
 * or CREATE_ANSWERED when the request is already answered (the actor not read, no memory, a failure). */
static int create_new(struct req *req, struct creation *k)
{
	int rc;

	k->x = arena_zalloc(req->arena, sizeof(*k->x));
	k->v = (struct verrs)VERRS_INIT;
	k->id = 0;
	memset(&k->n, 0, sizeof(k->n));
	rc = actor(req, &k->w);
	if (rc == 0 && k->x == NULL)
		rc = resp_oom(req);
	if (rc == 0 && read_contract(req, &k->n, k->x, 0, NULL, &k->v) > 0)
		return 1;
	if (rc == 0) {
		rc = contract_create(req->db, req->arena, &k->w, &k->n, k->x, &k->id, &k->v);
		if (rc >= 0)
			return rc;
		rc = resp_server_error(req, "creating a contract");
	}
	k->answer = rc;
	return CREATE_ANSWERED;
}

static int h_api_contract_create(struct req *req)
{
	struct creation k;
	struct contract c;
	int rc = create_new(req, &k);

	if (rc == CREATE_ANSWERED)
		return k.answer;
	if (rc != 0)
		return refused(req, rc, &k.v);
	resp_header(req, "location", arena_printf(req->arena, "/api/v1/contracts/%lld", (long long)k.id));
	return reread_json(req, 201, &k.w, k.id, &c, k.x);
}

/* working_version() is the version changed by an update: the pending amendment, else the first. */
static int working_version(const struct contract *c)
{
	return c->pending_version > 0 ? c->pending_version : c->current_version;
}

static int working(struct req *req, struct contract_actor *w, struct contract *c, struct contract_content *x);

static int h_api_contract_update(struct req *req)
{
	struct contract_actor w;
	struct contract c;
	struct contract_content *x = arena_zalloc(req->arena, sizeof(*x));
	struct verrs v = VERRS_INIT;
	int64_t guardian = 0;
	int rc = x != NULL ? working(req, &w, &c, x) : resp_oom(req);

	if (rc != 0)
		return rc;
	if (read_contract(req, NULL, x, 1, &guardian, &v) > 0)
		return resp_api_verrs(req, &v);
	rc = contract_update(req->db, req->arena, &w, req->id, x, guardian, &v);
	if (rc < 0)
		return resp_server_error(req, "saving a contract");
	if (rc != 0)
		return refused(req, rc, &v);
	return reread_json(req, 200, &w, req->id, &c, x);
}

enum { S_COMMENT, S_MEETING, S_METHOD, S_FOR, S_AGAINST, S_ABSTAIN, S_REASON, S_ART11, S_EVALUATIONS, NS };
enum { E_NUMBER, E_EVALUATION, E_REASON, NE };
static const struct field eval_fields[NE] = {
	[E_NUMBER] = { "number", N_("Goal number"), F_INT, F_REQUIRED, 1, CONTRACT_MAX_GOALS },
	[E_EVALUATION] = { "evaluation", N_("Evaluation"), F_CHOICE, 0, 0, 0, contract_evaluations },
	[E_REASON] = { "reason", N_("Reasons"), F_TEXT, 0, 0, 2000 },
};
static const struct field step_fields[NS] = {
	[S_COMMENT] = { "comment", N_("Comment"), F_TEXT, 0, 0, 4000 },
	[S_MEETING] = { "meeting_id", N_("Meeting"), F_INT, 0, 0, INT64_MAX },
	[S_METHOD] = { "method", N_("Method"), F_CHOICE, 0, 0, 0, decision_methods },
	[S_FOR] = { "votes_for", N_("Votes for"), F_INT, 0, 0, 1000 },
	[S_AGAINST] = { "votes_against", N_("Votes against"), F_INT, 0, 0, 1000 },
	[S_ABSTAIN] = { "votes_abstain", N_("Abstentions"), F_INT, 0, 0, 1000 },
	[S_REASON] = { "reason", N_("Reason"), F_CHOICE, 0, 0, 0, contract_end_reasons },
	[S_ART11] = { "art11_consequence", N_("Consequence (art. 11)"), F_CHOICE, 0, 0, 0, contract_art11 },
	[S_EVALUATIONS] = { "evaluations", N_("Evaluation of the goals"), F_OBJECTS, 0, 0, 0, NULL, eval_fields, NE, 0,
			    CONTRACT_MAX_GOALS },
};

/* read_step() reads a transition's body; the page's form names evaluations eval_N / reason_N. */
static int read_step(struct req *req, struct contract_step *s, struct verrs *v)
{
	struct input in[NS];
	int i;

	memset(s, 0, sizeof(*s));
	input_read(req, step_fields, NS, in, v);
	s->comment = str_empty(in[S_COMMENT].text) ? NULL : in[S_COMMENT].text;
	s->meeting_id = in[S_MEETING].num;
	s->method = str_empty(in[S_METHOD].text) ? NULL : in[S_METHOD].text;
	s->votes_for = (int)in[S_FOR].num;
	s->votes_against = (int)in[S_AGAINST].num;
	s->votes_abstain = (int)in[S_ABSTAIN].num;
	s->end_reason = str_empty(in[S_REASON].text) ? NULL : in[S_REASON].text;
	s->art11_consequence = str_empty(in[S_ART11].text) ? NULL : in[S_ART11].text;
	for (i = 0; i < in[S_EVALUATIONS].nitems; i++) {
		const struct input *e = input_item(&step_fields[S_EVALUATIONS], &in[S_EVALUATIONS], i);
		int k = (int)e[E_NUMBER].num - 1;

		if (k >= 0 && k < CONTRACT_MAX_GOALS) {
			s->evaluations[k] = e[E_EVALUATION].text;
			s->reasons[k] = e[E_REASON].text;
		}
	}
	for (i = 0; !req->is_api && i < CONTRACT_MAX_GOALS; i++) {
		s->evaluations[i] = req_form(req, arena_printf(req->arena, "eval_%d", i + 1));
		s->reasons[i] = req_form(req, arena_printf(req->arena, "reason_%d", i + 1));
	}
	return v->n;
}

static int op_of(const char *name)
{
	int i;

	for (i = 0; contract_op_codes[i] != NULL; i++)
		if (str_eq(contract_op_codes[i], name))
			return i;
	return -1;
}

static int show_page(struct req *req, int status, const struct verrs *v);

/* after_change() answers a state change or a progress record (rc from coop/contract.c): the refusal, the
 * page again, the contract's page, or for the API the contract as it now stands (with the decision made). */
static int after_change(struct req *req, int rc, struct verrs *v, const char *doing, const struct contract_actor *w,
			int64_t decision_id, struct contract_content *x)
{
	struct contract c;

	if (rc < 0)
		return resp_server_error(req, doing);
	if (rc != 0) {
		rc = refused(req, rc, v);
		return rc >= 0 ? rc : show_page(req, 422, v);
	}
	if (!req->is_api)
		return resp_redirect(req, href(req, req->id), _("Saved."));
	if (contract_read(req->db, req->arena, w, req->id, 0, &c, x) != 0)
		return resp_server_error(req, "reading a contract");
	if (decision_id > 0)
		resp_header(req, "x-decision-id", arena_printf(req->arena, "%lld", (long long)decision_id));
	return full_json(req, 200, w, &c, x);
}

static int transition(struct req *req, const char *name)
{
	struct contract_actor w;
	struct contract_step s;
	struct contract_content *x = arena_zalloc(req->arena, sizeof(*x));
	struct verrs v = VERRS_INIT;
	int op = op_of(name), rc = actor(req, &w);

	if (rc != 0)
		return rc;
	if (x == NULL || op < 0)
		return resp_oom(req);
	if (read_step(req, &s, &v) > 0)
		return req->is_api ? resp_api_verrs(req, &v) : show_page(req, 422, &v);
	rc = contract_transition(req->db, req->arena, &w, req->id, (enum contract_op)op, &s, &v);
	return after_change(req, rc, &v, "changing a contract's state", &w, s.decision_id, x);
}

static int h_submit(struct req *req) { return transition(req, "submit"); }
static int h_approve(struct req *req) { return transition(req, "approve"); }
static int h_return(struct req *req) { return transition(req, "return"); }
static int h_activate(struct req *req) { return transition(req, "activate"); }
static int h_amend(struct req *req) { return transition(req, "amend"); }
static int h_complete(struct req *req) { return transition(req, "complete"); }
static int h_terminate(struct req *req) { return transition(req, "terminate"); }

enum { P_STATUS, P_DROP, P_EVIDENCE, P_BUDGET, P_SPENT, NP };
static const struct field progress_fields[NP] = {
	[P_STATUS] = { "status", N_("Status"), F_CHOICE, 0, 0, 0, contract_action_statuses },
	[P_DROP] = { "drop_reason", N_("Reason for dropping"), F_TEXT, 0, 0, 1000 },
	[P_EVIDENCE] = { "evidence", N_("Evidence"), F_TEXT, 0, 0, 2000 },
	[P_BUDGET] = { "budget_line", N_("Budget line"), F_INT, 0, 0, CONTRACT_MAX_BUDGET },
	[P_SPENT] = { "spent", N_("Spent (grosze)"), F_INT, 0, 0, 100000000000 },
};

/* h_progress(): POST …/progress — an action's status and evidence, or a budget line's spent amount. */
static int h_progress(struct req *req)
{
	struct contract_actor w;
	struct contract_content *x = arena_zalloc(req->arena, sizeof(*x));
	struct input in[NP];
	struct verrs v = VERRS_INIT;
	int rc = actor(req, &w);

	if (rc != 0)
		return rc;
	if (x == NULL)
		return resp_oom(req);
	input_read(req, progress_fields, NP, in, &v);
	if (v.n > 0)
		return req->is_api ? resp_api_verrs(req, &v) : show_page(req, 422, &v);
	rc = contract_progress(req->db, req->arena, &w, req->id, (int)req_param_int(req, "number"),
			       in[P_STATUS].text, in[P_DROP].text, in[P_EVIDENCE].text, (int)in[P_BUDGET].num,
			       in[P_SPENT].present ? in[P_SPENT].num : 0, &v);
	return after_change(req, rc, &v, "recording progress", &w, 0, x);
}

/* ------------------------------------------------------------------ */
/* Pages                                                               */
/* ------------------------------------------------------------------ */

static void textarea(struct buf *b, const char *name, const char *label, const char *value, const struct verrs *v)
{
	const char *err = v != NULL ? verrs_for(v, name) : NULL;

	html_fmt(b, "<div class=\"field wide\"><label for=\"f-%s\">%s</label>", name, label);
	if (err != NULL)
		html_fmt(b, "<p class=\"field-error\" id=\"f-%s-err\">%s</p>", name, err);
	html_fmt(b, "<textarea id=\"f-%s\" name=\"%s\" rows=\"3\"%s>%s</textarea></div>", name, name,
		 err != NULL ? " aria-invalid=\"true\"" : "", value != NULL ? value : "");
}

static struct option *code_options(struct req *req, const char *const *codes, const char *(*lab)(const char *), int *n)
{
	struct option *o;
	int i;

	for (i = 0; codes[i] != NULL; i++)
		;
	o = arena_zalloc(req->arena, sizeof(*o) * (size_t)(i + 1));
	for (*n = 0; o != NULL && codes[*n] != NULL; (*n)++) {
		o[*n].value = codes[*n];
		o[*n].label = lab(codes[*n]);
	}
	return o;
}

static const char *consent_label_of(const char *c)
{
	return str_eq(c, "written") ? _("Written") : str_eq(c, "electronic") ? _("Electronic") : _("Oral (recorded)");
}

static int h_contract_list(struct req *req)
{
	struct contract_actor w;
	struct contract_row *r;
	struct option *states;
	struct buf *b;
	int n, i, ns, rc = list_rows(req, &w, &r, &n);

	if (rc != 0)
		return rc;
	page_crumb(req, NULL, _("Social contracts"));
	b = page_begin(req, _("Social contracts"));
	html_raw(b, "<form class=\"filters\" method=\"get\" action=\"/contracts\">");
	states = code_options(req, contract_states, contract_state_label, &ns);
	field_select(b, "state", _("State"), states, ns, req_query(req, "state"), _("— any —"), NULL, 0, NULL);
	button(b, _("Show"), "secondary");
	html_raw(b, "</form>");
	if (req_has_role(req, ROLE_BIT(ROLE_SOCIAL_WORKER) | ROLE_BIT(ROLE_GUARDIAN)))
		html_fmt(b, "<p class=\"page-actions\"><a class=\"btn primary\" href=\"/contracts/new\">%s</a></p>",
			 _("Draft a contract"));
	if (n == 0) {
		page_notice(b, "info", _("No contract you may see matches these filters."));
		return page_end(req, 200);
	}
	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list\"><thead><tr><th scope=\"col\">%s</th>"
		 "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		 "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		 _("Number"), _("Party"), _("Kind of contract"), _("State"), _("Guardian"), _("In force until"),
		 _("Overdue actions"));
	for (i = 0; i < n; i++)
		html_fmt(b, "<tr><td><a href=\"/contracts/%lld\">%lld</a></td><td>%s</td><td>%s</td><td>%s%s</td>"
			 "<td>%s</td><td>%s</td><td>%d</td></tr>",
			 (long long)r[i].id, (long long)r[i].id, r[i].person_name, contract_kind_label(r[i].kind),
			 contract_state_label(r[i].state), r[i].pending_version > 0 ? _(" (amendment pending)") : "",
			 r[i].guardian_name != NULL ? r[i].guardian_name : "—", reg_date(req, r[i].valid_to), r[i].overdue);
	html_raw(b, "</tbody></table></div>");
	return page_end(req, 200);
}

static void content_section(struct buf *b, struct req *req, const struct contract *c, const struct contract_content *x)
{
	int i, m;
	int64_t planned = 0, spent = 0;

	html_raw(b, "<dl class=\"details\">");
	dl_row(b, _("In force from"), reg_date(req, x->valid_from));
	dl_row(b, _("In force until"), reg_date(req, x->valid_to));
	if (x->homeless_stage != NULL)
		dl_row(b, _("Stage of the pathway"), contract_stage_label(x->homeless_stage));
	if (x->homeless_target != NULL)
		dl_row(b, _("Target stage"), contract_stage_label(x->homeless_target));
	html_raw(b, "</dl>");
	html_fmt(b, "<h3>%s</h3><ul class=\"members\">", c->family_id > 0 ? _("The family") : _("Members"));
	for (i = 0; i < x->nmembers; i++)
		html_fmt(b, "<li>%s <span class=\"sub\">%s</span></li>", x->members[i].name,
			 x->members[i].child ? _("child") : _("adult"));
	html_fmt(b, "</ul><h3>%s</h3><dl class=\"details\">", _("I. Assessment of the situation"));
	dl_row(b, _("Causes of the difficult situation"), x->causes);
	dl_row(b, _("Strengths and resources"), x->strengths);
	dl_row(b, _("Limitations and barriers"), x->barriers);
	dl_row(b, _("Health, addiction, violence"), x->special_hidden ? _("(not shown to labour offices)") : x->special_notes);
	if (str_eq(c->kind, "individual_b")) {
		dl_row(b, _("Education"), x->education);
		dl_row(b, _("Qualifications"), x->qualifications);
		dl_row(b, _("Work experience"), x->work_experience);
		dl_row(b, _("Barriers to employment"), x->employment_barriers);
	}
	html_fmt(b, "</dl><h3>%s</h3><ol class=\"goals\">", _("Goals"));
	for (i = 0; i < x->ngoals; i++)
		html_fmt(b, "<li><strong>%s:</strong> %s%s%s</li>",
			 str_eq(x->goals[i].kind, "main") ? _("Main goal") : _("Specific goal"), x->goals[i].text,
			 x->goals[i].evaluation != NULL ? " — " : "",
			 x->goals[i].evaluation != NULL ? contract_evaluation_label(x->goals[i].evaluation) : "");
	html_fmt(b, "</ol><h3>%s</h3>", _("II. Actions"));
	for (m = 0; action_modules[m] != NULL; m++) {
		int any = 0;

		for (i = 0; i < x->nactions; i++) {
			const struct contract_action *y = &x->actions[i];

			if (!str_eq(y->module, action_modules[m]))
				continue;
			if (!any)
				html_fmt(b, "<h4>%s</h4><table class=\"list actions\"><thead><tr><th>%s</th><th>%s</th>"
					 "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
					 arena_printf(req->arena, _("Module: %s"), action_module_label(action_modules[m])),
					 _("No."), _("Action"), _("For whom"), _("Who does it"), _("Deadline"), _("Cost"),
					 _("Status"));
			any = 1;
			html_fmt(b, "<tr class=\"%s\"><td>%d</td><td>%s%s%s</td><td>%s</td><td>%s%s%s</td><td>%s</td>"
				 "<td>%s</td><td>%s%s%s</td></tr>",
				 y->overdue ? "overdue" : "", y->number, y->title, y->evidence != NULL ? " — " : "",
				 y->evidence != NULL ? y->evidence : "", y->member_name != NULL ? y->member_name : "—",
				 contract_performer_label(y->performer), y->institution_name != NULL ? ": " : "",
				 y->institution_name != NULL ? y->institution_name : "", reg_date(req, y->deadline),
				 money(req, y->cost), y->overdue ? _("Overdue") : contract_action_status_label(y->status),
				 y->drop_reason != NULL ? " — " : "", y->drop_reason != NULL ? y->drop_reason : "");
		}
		if (any)
			html_raw(b, "</tbody></table>");
	}
	if (x->nactions == 0)
		html_fmt(b, "<p>%s</p>", _("No action yet."));
	html_fmt(b, "<h3>%s</h3><table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>"
		 "</thead><tbody>", _("Budget"), _("Budget line"), _("Source"), _("Planned"), _("Spent"));
	for (i = 0; i < x->nbudget; i++) {
		html_fmt(b, "<tr><td>%d. %s</td><td>%s</td><td>%s</td><td>%s</td></tr>", x->budget[i].number,
			 x->budget[i].line, contract_source_label(x->budget[i].source), money(req, x->budget[i].planned),
			 money(req, x->budget[i].spent));
		planned += x->budget[i].planned;
		spent += x->budget[i].spent;
	}
	html_fmt(b, "<tr><th>%s</th><td></td><th>%s</th><th>%s</th></tr></tbody></table>", _("Total"),
		 money(req, planned), money(req, spent));
	html_raw(b, "<dl class=\"details\">");
	dl_row(b, _("Forms of assistance"), x->assistance_forms);
	html_raw(b, "</dl>");
}

static void step_form(struct buf *b, struct req *req, const char *op, const char *label, int decide, int comment)
{
	form_begin(b, req, arena_printf(req->arena, "/contracts/%lld/%s", (long long)req->id, op), "form inline");
	if (decide) {
		struct meeting *m;
		struct option *o;
		int n = meeting_list(req->db, req->arena, 0, &m), i;

		o = arena_zalloc(req->arena, sizeof(*o) * (size_t)(n > 0 ? n : 1));
		for (i = 0; o != NULL && i < n; i++) {
			o[i].value = arena_printf(req->arena, "%lld", (long long)m[i].id);
			o[i].label = arena_printf(req->arena, "%s — %s", reg_date(req, m[i].held_on), m[i].team_name);
		}
		field_select(b, "meeting_id", _("At the meeting"), o, n > 0 ? n : 0, NULL, _("— outside a meeting —"), NULL,
			     0, NULL);
	}
	if (comment)
		textarea(b, "comment", _("Comment"), NULL, NULL);
	button(b, label, "primary");
	form_end(b);
}

static void terminate_form(struct buf *b, struct req *req)
{
	struct option *o;
	int n;

	form_begin(b, req, arena_printf(req->arena, "/contracts/%lld/terminate", (long long)req->id), "form");
	html_fmt(b, "<fieldset><legend>%s</legend>", _("Terminate the contract"));
	o = code_options(req, contract_end_reasons, contract_end_reason_label, &n);
	field_select(b, "reason", _("Reason"), o, n, NULL, _("— choose —"), NULL, W_REQUIRED, NULL);
	o = code_options(req, contract_art11, contract_art11_label, &n);
	field_select(b, "art11_consequence", _("Consequence (art. 11)"), o, n, NULL, _("— none —"), NULL, 0,
		     _("Required when the client did not cooperate."));
	textarea(b, "comment", _("Comment"), NULL, NULL);
	button(b, _("Terminate"), "danger");
	html_raw(b, "</fieldset>");
	form_end(b);
}

static void complete_form(struct buf *b, struct req *req, const struct contract_content *x)
{
	struct option *o;
	int n, i;

	form_begin(b, req, arena_printf(req->arena, "/contracts/%lld/complete", (long long)req->id), "form");
	html_fmt(b, "<fieldset><legend>%s</legend>", _("Complete: evaluation of each goal"));
	o = code_options(req, contract_evaluations, contract_evaluation_label, &n);
	for (i = 0; i < x->ngoals; i++) {
		field_select(b, arena_printf(req->arena, "eval_%d", i + 1), x->goals[i].text, o, n, NULL, _("— choose —"),
			     NULL, W_REQUIRED, NULL);
		field_input(b, "text", arena_printf(req->arena, "reason_%d", i + 1), _("Reasons"), NULL, NULL, W_WIDE,
			    NULL, NULL);
	}
	button(b, _("Complete"), "primary");
	html_raw(b, "</fieldset>");
	form_end(b);
}

static void action_form_new(struct buf *b, struct req *req, const struct contract_content *x, const char *terc)
{
	struct option *o, *mem;
	int n, i;

	form_begin(b, req, arena_printf(req->arena, "/contracts/%lld/actions", (long long)req->id), "form");
	html_fmt(b, "<fieldset><legend>%s</legend>", _("Add an action"));
	field_input(b, "text", "title", _("Action"), NULL, NULL, W_REQUIRED | W_WIDE, NULL, NULL);
	o = code_options(req, action_modules, action_module_label, &n);
	field_select(b, "module", _("Module"), o, n, NULL, NULL, NULL, W_REQUIRED, NULL);
	mem = arena_zalloc(req->arena, sizeof(*mem) * (size_t)(x->nmembers + 1));
	for (i = 0; mem != NULL && i < x->nmembers; i++) {
		mem[i].value = arena_printf(req->arena, "%lld", (long long)x->members[i].person_id);
		mem[i].label = x->members[i].name;
	}
	field_select(b, "member_person_id", _("For whom"), mem, x->nmembers, NULL, _("— the whole family —"), NULL, 0,
		     NULL);
	o = code_options(req, contract_performers, contract_performer_label, &n);
	field_select(b, "performer", _("Who does it"), o, n, NULL, NULL, NULL, 0, NULL);
	field_pick_institution(b, req, "institution_id", _("Institution that does it"), 0, pick_empty(), NULL, 0, NULL);
	field_pick_lpiw_action(b, req, terc, "lpiw_action_id", _("Action of the local programme"), 0, pick_empty(), NULL, 0,
			       NULL);
	field_input(b, "checkbox", "outside_lpiw", _("Outside the local programme"), "1", NULL, 0, NULL, NULL);
	field_input(b, "date", "deadline", _("Deadline"), NULL, NULL, W_NARROW | W_REQUIRED, NULL, NULL);
	field_input(b, "number", "cost", _("Cost (grosze)"), NULL, NULL, W_NARROW, NULL, NULL);
	button(b, _("Add"), "secondary");
	html_raw(b, "</fieldset>");
	form_end(b);
	form_begin(b, req, arena_printf(req->arena, "/contracts/%lld/budget", (long long)req->id), "form");
	html_fmt(b, "<fieldset><legend>%s</legend>", _("Add a budget line"));
	field_input(b, "text", "line", _("Budget line"), NULL, NULL, W_REQUIRED, NULL, NULL);
	o = code_options(req, contract_budget_sources, contract_source_label, &n);
	field_select(b, "source", _("Source"), o, n, NULL, NULL, NULL, W_REQUIRED, NULL);
	field_input(b, "number", "planned", _("Planned (grosze)"), NULL, NULL, W_NARROW | W_REQUIRED, NULL, NULL);
	button(b, _("Add"), "secondary");
	html_raw(b, "</fieldset>");
	form_end(b);
}

static void progress_forms(struct buf *b, struct req *req, const struct contract_content *x)
{
	struct option *o;
	int n, i;

	o = code_options(req, contract_action_statuses, contract_action_status_label, &n);
	html_fmt(b, "<h3>%s</h3>", _("Record progress"));
	for (i = 0; i < x->nactions; i++) {
		if (!str_eq(x->actions[i].status, "planned"))
			continue;
		form_begin(b, req, arena_printf(req->arena, "/contracts/%lld/actions/%d/progress", (long long)req->id,
						x->actions[i].number), "form inline");
		html_fmt(b, "<p>%d. %s</p>", x->actions[i].number, x->actions[i].title);
		field_select(b, "status", _("Status"), o, n, "done", NULL, NULL, 0, NULL);
		field_input(b, "text", "evidence", _("Evidence"), NULL, NULL, 0, NULL, NULL);
		field_input(b, "text", "drop_reason", _("Reason for dropping"), NULL, NULL, 0, NULL, NULL);
		button(b, _("Save"), "secondary");
		form_end(b);
	}
}

/* actions_for() writes the forms of what the user may do now (the domain checks again). */
static void actions_for(struct buf *b, struct req *req, const struct contract_actor *w, const struct contract *c,
			const struct contract_content *work)
{
	int coord = req_has_role(req, ROLE_BIT(ROLE_COORDINATOR));
	int author = (c->guardian_user_id == w->policy.user_id) ||
		     (w->policy.institution_id == c->institution_id &&
		      req_has_role(req, ROLE_BIT(ROLE_SOCIAL_WORKER) | ROLE_BIT(ROLE_GUARDIAN)));
	int editable = str_eq(work->state, "draft") || str_eq(work->state, "returned");

	html_raw(b, "<div class=\"actions\">");
	if (author && editable && (c->pending_version > 0 || !str_eq(c->state, "active"))) {
		html_fmt(b, "<a class=\"btn secondary\" href=\"/contracts/%lld/edit\">%s</a>", (long long)c->id,
			 _("Edit"));
		step_form(b, req, "submit", _("Submit to the PZKW"), 0, 0);
	}
	if (coord && str_eq(work->state, "submitted")) {
		step_form(b, req, "approve", _("Approve"), 1, 1);
		step_form(b, req, "return", _("Return with comments"), 1, 1);
	}
	if ((author || coord) && str_eq(c->state, "approved"))
		step_form(b, req, "activate", _("Activate (signed)"), 0, 0);
	if (author && str_eq(c->state, "active") && c->pending_version == 0)
		step_form(b, req, "amend", _("Amend (new version)"), 0, 1);
	html_raw(b, "</div>");
	if (author && editable && (c->pending_version > 0 || !str_eq(c->state, "active")))
		action_form_new(b, req, work, c->county_terc);
	if ((author || coord) && str_eq(c->state, "active"))
		progress_forms(b, req, work);
	if (coord && str_eq(c->state, "active") && c->pending_version == 0)
		complete_form(b, req, work);
	if (coord && (str_eq(c->state, "active") || str_eq(c->state, "approved")))
		terminate_form(b, req);
}

/* event_label() names a recorded event for the history. */
static const char *event_label(const char *action)
{
	static const char *const codes[] = { "create", "update", "submit", "approve", "return", "activate", "amend",
					     "complete", "terminate", NULL };
	static const char *const labels[] = { N_("drafted"), N_("changed"), N_("submitted"), N_("approved"),
					      N_("returned"), N_("activated"), N_("amended"), N_("completed"),
					      N_("terminated") };
	int i;

	for (i = 0; codes[i] != NULL; i++)
		if (str_eq(codes[i], action))
			return _(labels[i]);
	return action;
}

static int show_page(struct req *req, int status, const struct verrs *v)
{
	struct contract_actor w;
	struct contract c;
	struct contract_content *x = arena_zalloc(req->arena, sizeof(*x)), *p = NULL;
	struct contract_event *ev;
	struct buf *b;
	int rc, n, i;

	if (x == NULL)
		return resp_oom(req);
	rc = load(req, &w, &c, x);
	if (rc != 0)
		return rc;
	if (c.pending_version > 0 && x->version != c.pending_version) {
		p = arena_zalloc(req->arena, sizeof(*p));
		if (p == NULL || contract_read(req->db, req->arena, &w, c.id, c.pending_version, &c, p) != 0)
			return resp_server_error(req, "reading a pending version");
	}
	page_crumb(req, "/contracts", _("Social contracts"));
	page_crumb(req, NULL, c.person_name);
	b = page_begin(req, arena_printf(req->arena, _("%s: %s"), contract_kind_label(c.kind), c.person_name));
	if (v != NULL)
		form_errors(b, v);
	html_fmt(b, "<p class=\"status\">%s — %s</p>", contract_state_label(c.state),
		 arena_printf(req->arena, _("version %d in force"), c.current_version));
	html_fmt(b, "<p class=\"page-actions\"><a href=\"/contracts/%lld/pdf?version=%d\">%s</a></p>",
		 (long long)c.id, x->version, _("Download the contract (PDF)"));
	if (x->return_comment != NULL && str_eq(x->state, "returned"))
		page_notice(b, "warning", arena_printf(req->arena, _("Returned by the PZKW: %s"), x->return_comment));
	html_raw(b, "<dl class=\"details\">");
	dl_row(b, _("Centre"), c.institution_name);
	dl_row(b, _("Social worker"), c.social_worker_name);
	dl_row(b, _("Guardian"), c.guardian_name);
	dl_row(b, _("County"), c.county_terc);
	if (c.referral_id > 0)
		dl_row(b, _("PUP referral (number)"), arena_printf(req->arena, "%lld", (long long)c.referral_id));
	dl_row(b, _("The family's consent (social contract)"), c.consent_id > 0 ? _("recorded") : _("none"));
	if (c.end_reason != NULL) {
		dl_row(b, _("Reason"), contract_end_reason_label(c.end_reason));
		if (c.art11_consequence != NULL)
			dl_row(b, _("Consequence (art. 11)"), contract_art11_label(c.art11_consequence));
	}
	html_raw(b, "</dl>");
	content_section(b, req, &c, x);
	if (p != NULL) {
		html_fmt(b, "<h2>%s</h2>", arena_printf(req->arena, _("Amendment: version %d (%s)"), p->version,
							contract_state_label(p->state)));
		if (p->return_comment != NULL && str_eq(p->state, "returned"))
			page_notice(b, "warning", arena_printf(req->arena, _("Returned by the PZKW: %s"), p->return_comment));
		html_fmt(b, "<p><a href=\"/contracts/%lld/compare?a=%d&amp;b=%d\">%s</a></p>", (long long)c.id,
			 c.current_version, p->version, _("Compare with the version in force"));
		content_section(b, req, &c, p);
	}
	actions_for(b, req, &w, &c, p != NULL ? p : x);
	if (outcome_section(req, b, &w, &c, x) != 0)
		return resp_server_error(req, "reading a contract's outcomes");
	n = contract_events(req->db, req->arena, c.id, &ev);
	if (n < 0)
		return resp_server_error(req, "reading a contract's history");
	html_fmt(b, "<h2>%s</h2><ol class=\"history\">", _("History"));
	for (i = 0; i < n; i++)
		html_fmt(b, "<li>%s — %s (%s → %s)%s%s <span class=\"sub\">%s</span></li>", fmt_time(req, ev[i].at),
			 ev[i].by_name != NULL ? ev[i].by_name : "—", ev[i].from_state != NULL ? contract_state_label(ev[i].from_state) : "—",
			 contract_state_label(ev[i].to_state), ev[i].comment != NULL ? ": " : "",
			 ev[i].comment != NULL ? ev[i].comment : "", event_label(ev[i].action));
	html_raw(b, "</ol>");
	return page_end(req, status);
}

static int h_contract_show(struct req *req)
{
	return show_page(req, 200, NULL);
}

static int h_contract_compare(struct req *req)
{
	struct contract_actor w;
	struct contract c;
	struct contract_content *x = arena_zalloc(req->arena, sizeof(*x)), *y = arena_zalloc(req->arena, sizeof(*y));
	const char *va = req_query(req, "a"), *vb = req_query(req, "b");
	struct buf *b;
	int rc = actor(req, &w);

	if (rc != 0)
		return rc;
	if (x == NULL || y == NULL)
		return resp_oom(req);
	rc = contract_read(req->db, req->arena, &w, req->id, va != NULL ? (int)num(va) : 1, &c, x);
	if (rc == 0)
		rc = contract_read(req->db, req->arena, &w, req->id, vb != NULL ? (int)num(vb) : c.current_version, &c, y);
	if (rc == CONTRACT_NOT_FOUND)
		return not_found(req);
	if (rc != 0)
		return resp_server_error(req, "reading a contract");
	if (record_read(req, c.id, x->version) != 0 || record_read(req, c.id, y->version) != 0)
		return -1;
	page_crumb(req, "/contracts", _("Social contracts"));
	page_crumb(req, href(req, c.id), c.person_name);
	page_crumb(req, NULL, _("Versions side by side"));
	b = page_begin(req, _("Versions side by side"));
	html_raw(b, "<div class=\"cards compare\"><section class=\"card\">");
	html_fmt(b, "<h2>%s</h2>", arena_printf(req->arena, _("Version %d (%s)"), x->version, contract_state_label(x->state)));
	content_section(b, req, &c, x);
	html_raw(b, "</section><section class=\"card\">");
	html_fmt(b, "<h2>%s</h2>", arena_printf(req->arena, _("Version %d (%s)"), y->version, contract_state_label(y->state)));
	content_section(b, req, &c, y);
	html_raw(b, "</section></div>");
	return page_end(req, 200);
}

static void head_fields(struct buf *b, struct req *req, const struct contract_content *x, const struct verrs *v)
{
	struct option *o;
	struct lpiw *l;
	char goals[8192];
	size_t len = 0;
	int n, i;

	field_input(b, "date", "valid_from", _("In force from"), x->valid_from, v, W_NARROW | W_REQUIRED, NULL, NULL);
	field_input(b, "date", "valid_to", _("In force until"), x->valid_to, v, W_NARROW | W_REQUIRED, NULL, NULL);
	n = lpiw_list(req->db, req->arena, NULL, &l);
	o = arena_zalloc(req->arena, sizeof(*o) * (size_t)(n > 0 ? n : 1));
	for (i = 0; o != NULL && i < n; i++) {
		o[i].value = arena_printf(req->arena, "%lld", (long long)l[i].id);
		o[i].label = arena_printf(req->arena, "%s (%s, %s)", l[i].title, lpiw_state_label(l[i].state),
					   arena_printf(req->arena, _("version %d"), l[i].version));
	}
	field_select(b, "lpiw_id", _("Local programme (number)"), o, n > 0 ? n : 0,
		     x->lpiw_id > 0 ? arena_printf(req->arena, "%lld", (long long)x->lpiw_id) : NULL, _("— none —"), v, 0,
		     NULL);
	textarea(b, "causes", _("Causes of the difficult situation"), x->causes, v);
	textarea(b, "strengths", _("Strengths and resources"), x->strengths, v);
	textarea(b, "barriers", _("Limitations and barriers"), x->barriers, v);
	textarea(b, "special_notes", _("Health, addiction, violence"), x->special_notes, v);
	field_input(b, "text", "education", _("Education"), x->education, v, W_WIDE, _("Variant B: required."), NULL);
	textarea(b, "qualifications", _("Qualifications"), x->qualifications, v);
	textarea(b, "work_experience", _("Work experience"), x->work_experience, v);
	textarea(b, "employment_barriers", _("Barriers to employment"), x->employment_barriers, v);
	textarea(b, "assistance_forms", _("Forms of assistance"), x->assistance_forms, v);
	o = code_options(req, contract_homeless_stages, contract_stage_label, &n);
	field_select(b, "homeless_stage", _("Stage of the pathway"), o, n, x->homeless_stage, _("— not homeless —"), v, 0,
		     NULL);
	field_select(b, "homeless_target", _("Target stage"), o, n, x->homeless_target, _("— none —"), v, 0, NULL);
	goals[0] = '\0';
	for (i = 0; i < x->ngoals; i++)
		if (str_eq(x->goals[i].kind, "specific") && len + strlen(x->goals[i].text) + 2 < sizeof(goals))
			len += (size_t)snprintf(goals + len, sizeof(goals) - len, "%s\n", x->goals[i].text);
	field_input(b, "text", "main_goal", _("Main goal"), x->ngoals > 0 && str_eq(x->goals[0].kind, "main") ? x->goals[0].text : NULL,
		    v, W_WIDE | W_REQUIRED, NULL, NULL);
	textarea(b, "specific_goals", _("Specific goals (one a line)"), goals, v);
}

static int new_page(struct req *req, int status, const struct contract_new *n, const struct contract_content *x,
		    const struct verrs *v)
{
	struct option *o;
	struct buf *b;
	int k;

	page_crumb(req, "/contracts", _("Social contracts"));
	page_crumb(req, NULL, _("Draft a contract"));
	b = page_begin(req, _("Draft a contract"));
	form_errors(b, v);
	form_begin(b, req, "/contracts/new", "form");
	html_fmt(b, "<fieldset><legend>%s</legend>", _("Parties"));
	o = code_options(req, contract_kinds, contract_kind_label, &k);
	field_select(b, "kind", _("Kind of contract"), o, k, n->kind, NULL, v, W_REQUIRED, NULL);
	field_input(b, "number", "person_id", _("Party (record number)"),
		    n->person_id > 0 ? arena_printf(req->arena, "%lld", (long long)n->person_id) : NULL, v,
		    W_NARROW | W_REQUIRED, NULL, NULL);
	field_input(b, "number", "family_id", _("Household (number)"),
		    n->family_id > 0 ? arena_printf(req->arena, "%lld", (long long)n->family_id) : NULL, v, W_NARROW,
		    _("A family contract: every current member of the household takes part."), NULL);
	field_pick_guardian(b, req, "guardian_member_id", _("Guardian (MGI member)"), n->guardian_member_id, pick_empty(),
			    v, 0, NULL);
	field_input(b, "number", "referral_id", _("PUP referral (number)"), NULL, v, W_NARROW, NULL, NULL);
	o = code_options(req, consent_forms, consent_label_of, &k);
	field_select(b, "consent_form", _("The family's consent (social contract)"), o, k, n->consent_form,
		     _("— not given —"), v, 0,
		     _("With the consent the guardian and the county's PZKW see the contract."));
	html_fmt(b, "</fieldset><fieldset><legend>%s</legend>", _("Contract"));
	head_fields(b, req, x, v);
	html_raw(b, "</fieldset><div class=\"actions\">");
	button(b, _("Save the draft"), "primary");
	html_raw(b, "</div>");
	form_end(b);
	return page_end(req, status);
}

static int h_contract_new(struct req *req)
{
	struct contract_new n;
	struct contract_content *x = arena_zalloc(req->arena, sizeof(*x));

	if (x == NULL)
		return resp_oom(req);
	memset(&n, 0, sizeof(n));
	n.kind = "family";
	if (req_query(req, "person") != NULL)
		n.person_id = num(req_query(req, "person"));
	return new_page(req, 200, &n, x, NULL);
}

static int h_contract_create(struct req *req)
{
	struct creation k;
	int rc = create_new(req, &k);

	if (rc == CREATE_ANSWERED)
		return k.answer;
	if (rc == CONTRACT_FORBIDDEN)
		return refused(req, rc, &k.v);
	if (rc != 0)
		return new_page(req, 422, &k.n, k.x, &k.v);
	return resp_redirect(req, href(req, k.id), _("The draft has been saved."));
}

/* working() reads the version an edit changes into x. */
static int working(struct req *req, struct contract_actor *w, struct contract *c, struct contract_content *x)
{
	int rc = actor(req, w);

	if (rc != 0)
		return rc;
	rc = contract_read(req->db, req->arena, w, req->id, 0, c, NULL);
	if (rc == 0)
		rc = contract_read(req->db, req->arena, w, req->id, working_version(c), c, x);
	if (rc == CONTRACT_NOT_FOUND)
		return not_found(req);
	return rc != 0 ? resp_server_error(req, "reading a contract") : 0;
}

/* A draft is the working version an edit handler changes, with who changes it and the form's errors. */
struct draft {
	struct contract_actor w;
	struct contract c;
	struct contract_content *x;
	struct verrs v;
};

/* open_draft() reads the working version into d; non-zero is the answer already given. */
static int open_draft(struct req *req, struct draft *d)
{
	d->x = arena_zalloc(req->arena, sizeof(*d->x));
	d->v = (struct verrs)VERRS_INIT;
	return d->x != NULL ? working(req, &d->w, &d->c, d->x) : resp_oom(req);
}

static int edit_page(struct req *req, int status, const struct contract *c, const struct contract_content *x,
		     const struct verrs *v)
{
	struct buf *b;

	page_crumb(req, "/contracts", _("Social contracts"));
	page_crumb(req, href(req, c->id), c->person_name);
	page_crumb(req, NULL, _("Edit"));
	b = page_begin(req, arena_printf(req->arena, _("Edit version %d"), x->version));
	form_errors(b, v);
	form_begin(b, req, arena_printf(req->arena, "/contracts/%lld/edit", (long long)c->id), "form");
	head_fields(b, req, x, v);
	html_raw(b, "<div class=\"actions\">");
	button(b, _("Save"), "primary");
	html_fmt(b, " <a class=\"btn secondary\" href=\"%s\">%s</a></div>", href(req, c->id), _("Cancel"));
	form_end(b);
	return page_end(req, status);
}

static int h_contract_edit(struct req *req)
{
	struct draft d;
	int rc = open_draft(req, &d);

	if (rc != 0)
		return rc;
	if (record_read(req, d.c.id, d.x->version) != 0)
		return -1;
	return edit_page(req, 200, &d.c, d.x, NULL);
}

/* save() writes the draft as the working version; the page answers with the contract or its form again. */
static int save(struct req *req, struct draft *d, int form)
{
	int rc = contract_update(req->db, req->arena, &d->w, req->id, d->x, 0, &d->v);

	if (rc < 0)
		return resp_server_error(req, "saving a contract");
	if (rc == 0)
		return resp_redirect(req, href(req, req->id), _("Saved."));
	if (rc == 1 && form)
		return edit_page(req, 422, &d->c, d->x, &d->v);
	rc = refused(req, rc, &d->v);
	return rc >= 0 ? rc : show_page(req, 422, &d->v);
}

static int h_contract_update(struct req *req)
{
	struct draft d;
	int rc = open_draft(req, &d);

	if (rc != 0)
		return rc;
	if (read_contract(req, NULL, d.x, 1, NULL, &d.v) > 0)
		return edit_page(req, 422, &d.c, d.x, &d.v);
	return save(req, &d, 1);
}

/* open_draft_form() opens the draft and reads the form of one line added to it. */
static int open_draft_form(struct req *req, struct draft *d, const struct field *fields, int n, struct input *in)
{
	int rc = open_draft(req, d);

	if (rc != 0)
		return rc;
	input_read(req, fields, n, in, &d->v);
	return d->v.n > 0 ? show_page(req, 422, &d->v) : 0;
}

static int h_action_add(struct req *req)
{
	struct draft d;
	struct input in[NA];
	int rc = open_draft_form(req, &d, action_fields, NA, in);
	struct contract_content *x = d.x;

	if (rc != 0)
		return rc;
	if (x->nactions >= CONTRACT_MAX_ACTIONS)
		return page_error(req, 422, _("Not possible"), _("The contract has as many actions as it may have."));
	x->actions[x->nactions++] = (struct contract_action){
		.module = in[A_MODULE].text, .title = in[A_TITLE].text, .member_person_id = in[A_MEMBER].num,
		.performer = str_empty(in[A_PERFORMER].text) ? NULL : in[A_PERFORMER].text,
		.institution_id = in[A_INST].num, .lpiw_action_id = in[A_LPIW_ACTION].num,
		.outside_lpiw = (int)in[A_OUTSIDE].num, .deadline = in[A_DEADLINE].text, .cost = in[A_COST].num };
	return save(req, &d, 0);
}

static int h_action_remove(struct req *req)
{
	struct draft d;
	int rc = open_draft(req, &d), k = (int)req_param_int(req, "number") - 1;
	struct contract_content *x = d.x;

	if (rc != 0)
		return rc;
	if (k < 0 || k >= x->nactions)
		return not_found(req);
	memmove(&x->actions[k], &x->actions[k + 1], sizeof(x->actions[0]) * (size_t)(x->nactions - k - 1));
	x->nactions--;
	return save(req, &d, 0);
}

static int h_budget_add(struct req *req)
{
	struct draft d;
	struct input in[NB];
	int rc = open_draft_form(req, &d, budget_fields, NB, in);
	struct contract_content *x = d.x;

	if (rc != 0)
		return rc;
	if (x->nbudget >= CONTRACT_MAX_BUDGET)
		return page_error(req, 422, _("Not possible"), _("The contract has as many budget lines as it may have."));
	x->budget[x->nbudget++] = (struct contract_budget){ .line = in[B_LINE].text, .source = in[B_SOURCE].text,
							    .planned = in[B_PLANNED].num, .spent = in[B_SPENT].num };
	return save(req, &d, 0);
}

/* ------------------------------------------------------------------ */
/* The start page                                                      */
/* ------------------------------------------------------------------ */

int contract_panel(struct req *req, struct buf *b)
{
	struct contract_actor w;
	struct contract_task tasks[20];
	int overdue, due, decide, n, i;

	if (!req_has_role(req, WORKERS))
		return 0;
	if (contract_actor_of(req->db, req->sess->user_id, req->sess->roles, req->sess->institution_id,
			      req->sess->login, req->ip, &w) != 0 ||
	    contract_reminders(req->db, &w, &overdue, &due, &decide) != 0)
		return -1;
	n = contract_tasks(req->db, req->arena, req->sess->user_id, tasks, 20);
	if (n < 0)
		return -1;
	if (overdue + due + decide + n == 0)
		return 0;
	html_fmt(b, "<div class=\"cards panels\" aria-label=\"%s\"><section class=\"card\"><h2>%s</h2><ul>",
		 _("Social contracts"), _("Social contracts"));
	if (overdue > 0)
		html_fmt(b, "<li><a href=\"/contracts?state=active&amp;mine=%d\">%s</a></li>",
			 !req_has_role(req, ROLE_BIT(ROLE_COORDINATOR)),
			 arena_printf(req->arena, _("Overdue actions: %d"), overdue));
	if (due > 0)
		html_fmt(b, "<li>%s</li>", arena_printf(req->arena, _("Actions due within 14 days: %d"), due));
	if (decide > 0 && req_has_role(req, ROLE_BIT(ROLE_COORDINATOR)))
		html_fmt(b, "<li><a href=\"/contracts?state=submitted\">%s</a></li>",
			 arena_printf(req->arena, _("Contracts awaiting the PZKW's decision: %d"), decide));
	for (i = 0; i < n; i++)
		html_fmt(b, "<li><a href=\"/contracts/%lld\">%s</a></li>", (long long)tasks[i].contract_id,
			 arena_printf(req->arena, _("Return %s to statutory assistance (contract terminated)"),
				      tasks[i].person_name));
	html_raw(b, "</ul></section></div>");
	return 0;
}

ROUTES(contracts) = {
	{ HTTP_GET, "/contracts", h_contract_list, 0, WORKERS },
	{ HTTP_GET, "/contracts/new", h_contract_new, 0, WORKERS },
	{ HTTP_POST, "/contracts/new", h_contract_create, 0, WORKERS },
	{ HTTP_GET, "/contracts/{id:int}", h_contract_show, 0, WORKERS },
	{ HTTP_GET, "/contracts/{id:int}/edit", h_contract_edit, 0, WORKERS },
	{ HTTP_POST, "/contracts/{id:int}/edit", h_contract_update, 0, WORKERS },
	{ HTTP_GET, "/contracts/{id:int}/compare", h_contract_compare, 0, WORKERS },
	{ HTTP_GET, "/contracts/{id:int}/pdf", h_contract_pdf, 0, WORKERS },
	{ HTTP_POST, "/contracts/{id:int}/actions", h_action_add, 0, WORKERS },
	{ HTTP_POST, "/contracts/{id:int}/actions/{number:int}/remove", h_action_remove, 0, WORKERS },
	{ HTTP_POST, "/contracts/{id:int}/actions/{number:int}/progress", h_progress, 0, WORKERS },
	{ HTTP_POST, "/contracts/{id:int}/budget", h_budget_add, 0, WORKERS },
	{ HTTP_POST, "/contracts/{id:int}/submit", h_submit, 0, WORKERS },
	{ HTTP_POST, "/contracts/{id:int}/approve", h_approve, 0, WORKERS },
	{ HTTP_POST, "/contracts/{id:int}/return", h_return, 0, WORKERS },
	{ HTTP_POST, "/contracts/{id:int}/activate", h_activate, 0, WORKERS },
	{ HTTP_POST, "/contracts/{id:int}/amend", h_amend, 0, WORKERS },
	{ HTTP_POST, "/contracts/{id:int}/complete", h_complete, 0, WORKERS },
	{ HTTP_POST, "/contracts/{id:int}/terminate", h_terminate, 0, WORKERS },
	{ HTTP_GET, "/api/v1/contracts", h_api_contract_list, 0, WORKERS },
	{ HTTP_POST, "/api/v1/contracts", h_api_contract_create, 0, WORKERS },
	{ HTTP_GET, "/api/v1/contracts/{id:int}", h_api_contract_get, 0, WORKERS },
	{ HTTP_PUT, "/api/v1/contracts/{id:int}", h_api_contract_update, 0, WORKERS },
	{ HTTP_POST, "/api/v1/contracts/{id:int}/submit", h_submit, 0, WORKERS },
	{ HTTP_POST, "/api/v1/contracts/{id:int}/approve", h_approve, 0, WORKERS },
	{ HTTP_POST, "/api/v1/contracts/{id:int}/return", h_return, 0, WORKERS },
	{ HTTP_POST, "/api/v1/contracts/{id:int}/activate", h_activate, 0, WORKERS },
	{ HTTP_POST, "/api/v1/contracts/{id:int}/amend", h_amend, 0, WORKERS },
	{ HTTP_POST, "/api/v1/contracts/{id:int}/complete", h_complete, 0, WORKERS },
	{ HTTP_POST, "/api/v1/contracts/{id:int}/terminate", h_terminate, 0, WORKERS },
	{ HTTP_POST, "/api/v1/contracts/{id:int}/actions/{number:int}/progress", h_progress, 0, WORKERS },
};
ROUTES_END(contracts);
