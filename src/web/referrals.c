/*
 * referrals.c — referrals between institutions (coop/referral.h): the
 * inbox and outbox, a new referral (from a person's page, or by PESEL to
 * one institution or every partner), the referral's page with the forms
 * of its transitions (accept, optionally with the person's consent;
 * refuse with a reason; link to what followed), the printable letter, the
 * start-page panel; the same as JSON under /api/v1/referrals.
 *
 * Only the two institutions of a referral read it: anyone else gets 404,
 * as for a referral that does not exist. Every page or answer showing a
 * referral records the read (referral.read / referral.list).
 */
#include <stdio.h>
#include <string.h>

#include "coop/agreement.h"
#include "coop/referral.h"
#include "core/clock.h"
#include "core/html.h"
#include "core/str.h"
#include "registry/institution.h"
#include "web/handlers.h"
#include "web/input.h"
#include "web/page.h"
#include "web/registry_web.h"
#include "web/route.h"
#include "web/widget.h"

#define LIST_MAX 100
#define PANEL_MAX 5

static const char *const consent_forms[] = { "written", "electronic", "oral_recorded", NULL };

enum { N_PERSON, N_PESEL, N_TO, N_PURPOSE, N_MESSAGE, NNEW };

static const struct field new_fields[NNEW] = {
	[N_PERSON] = { "person_id", N_("Person record"), F_INT, 0, 1, INT64_MAX },
	[N_PESEL] = { "pesel", N_("PESEL"), F_TEXT, 0, 0, 11 },
	[N_TO] = { "to_institution_id", N_("To institution"), F_INT, 0, 0, INT64_MAX },
	[N_PURPOSE] = { "purpose", N_("Purpose"), F_CHOICE, F_REQUIRED, 0, 0, referral_purposes },
	[N_MESSAGE] = { "message", N_("Message"), F_TEXT, 0, 0, 4000 },
};

enum { A_PERSON, A_CONSENT, A_FORM, A_VALID_TO, NACC };

static const struct field accept_fields[NACC] = {
	[A_PERSON] = { "person_id", N_("Person record"), F_INT, 0, 1, INT64_MAX },
	[A_CONSENT] = { "consent", N_("The person's consent"), F_BOOL, 0, 0, 1 },
	[A_FORM] = { "consent_form", N_("Form of the consent"), F_CHOICE, 0, 0, 0, consent_forms },
	[A_VALID_TO] = { "consent_valid_to", N_("Consent valid until"), F_TEXT, 0, 0, 10 },
};

static const struct field refuse_fields[] = {
	{ "reason", N_("Reason"), F_TEXT, 0, 0, 1000 },
};

enum { L_KIND, L_ID, NLINK };

static const struct field link_fields[NLINK] = {
	[L_KIND] = { "kind", N_("What followed"), F_CHOICE, F_REQUIRED, 0, 0, referral_link_kinds },
	[L_ID] = { "linked_id", N_("Its number"), F_INT, F_REQUIRED, 1, INT64_MAX },
};

static const char *href(struct req *req, int64_t id)
{
	return arena_printf(req->arena, "/referrals/%lld", (long long)id);
}

static const char *title_of(struct req *req, int64_t id)
{
	return arena_printf(req->arena, _("Referral no. %lld"), (long long)id);
}

/* may_work() is 0 when the user works with referrals, else the 403 already answered. */
static int may_work(struct req *req, struct registry_writer *w)
{
	reg_writer(req, w);
	if (referral_may_work(w))
		return 0;
	return resp_error(req, 403, "role", _("Referrals are not part of your role"),
			  _("Referrals are sent and answered by social workers, family guardians and "
			    "labour-office advisers."));
}

static int not_found(struct req *req)
{
	return resp_error(req, 404, "not_found", _("No such referral"),
			  _("There is no referral with this number between your institution and another."));
}

/* load() reads the route's referral for the user's institution and records the read when audited. */
static int load(struct req *req, struct referral *r, int audited)
{
	int rc = referral_get(req->db, req->arena, req->sess->institution_id, req->id, r);

	if (rc == REFERRAL_NOT_FOUND)
		return not_found(req);
	if (rc != 0)
		return resp_server_error(req, "reading a referral");
	if (audited && req_audit_read(req, "referral.read", "referral",
				      arena_printf(req->arena, "%lld", (long long)r->id), NULL) != 0)
		return resp_server_error(req, "recording a read");
	return 0;
}

/* refused_status() is the status of a transition refused (v): 403, 409 (its state) or 422. */
static int refused_status(const struct verrs *v)
{
	return v->n > 0 && (strcmp(v->e[0].code, "forbidden") == 0 || strcmp(v->e[0].code, "role") == 0) ? 403
	       : v->n > 0 && strcmp(v->e[0].code, "state") == 0					   ? 409
														   : 422;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

static json_t *referral_json(const struct referral *r)
{
	json_t *j = json_pack("{s:I, s:{s:I, s:s?}, s:{s:I, s:s?}, s:s?, s:s?, s:s?, s:s, s:s?, s:s?, s:s?, s:s?}",
			      "id", (json_int_t)r->id, "from_institution", "id",
			      (json_int_t)r->from_institution_id, "name", r->from_name, "to_institution", "id",
			      (json_int_t)r->to_institution_id, "name", r->to_name, "pesel", r->pesel,
			      "purpose", r->purpose, "message", r->message, "state", r->state,
			      "refusal_reason", r->refusal_reason, "created_at", r->created_at, "decided_at",
			      r->decided_at, "linked_at", r->linked_at);

	if (j == NULL)
		return NULL;
	json_object_set_new(j, "batch", r->batch > 0 ? json_integer(r->batch) : json_null());
	json_object_set_new(j, "person_id", r->person_id > 0 ? json_integer(r->person_id) : json_null());
	if (r->person_name != NULL)
		json_object_set_new(j, "person", json_pack("{s:s, s:s?}", "name", r->person_name, "pesel",
							   r->person_pesel));
	json_object_set_new(j, "linked", r->linked_kind != NULL
						 ? json_pack("{s:s, s:I}", "kind", r->linked_kind, "id",
							     (json_int_t)r->linked_id)
						 : json_null());
	return j;
}

/* ------------------------------------------------------------------ */
/* Lists                                                               */
/* ------------------------------------------------------------------ */

/* record_list() records the list read naming the referrals shown. */
static int record_list(struct req *req, const struct referral *rows, int n, const char *what)
{
	struct audit_ids ids = AUDIT_IDS_INIT;
	const char *detail;
	int i;

	for (i = 0; i < n; i++)
		audit_ids_add(&ids, arena_printf(req->arena, "%lld", (long long)rows[i].id));
	detail = audit_ids_detail(req->arena, &ids, n, what);
	return detail == NULL || req_audit_read(req, "referral.list", "referral", NULL, detail) != 0 ? -1 : 0;
}

static const char *state_param(struct req *req)
{
	const char *s = req_query(req, "state");
	int i;

	for (i = 0; s != NULL && referral_states[i] != NULL; i++)
		if (strcmp(s, referral_states[i]) == 0)
			return referral_states[i];
	return NULL;
}

static void rows_table(struct buf *b, struct req *req, const struct referral *rows, int n,
		       enum referral_box box)
{
	int i;

	html_fmt(b, "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th></tr></thead><tbody>",
		 _("No."), box == REFERRAL_RECEIVED ? _("From") : _("To"), _("Person"), _("Purpose"),
		 _("State"), _("Sent"));
	for (i = 0; i < n; i++) {
		const struct referral *r = &rows[i];

		html_fmt(b, "<tr><td><a href=\"%s\">%lld</a></td><td>%s</td><td>%s</td><td>%s</td>"
			    "<td><span class=\"state state-%s\">%s</span></td><td>%s</td></tr>",
			 href(req, r->id), (long long)r->id,
			 box == REFERRAL_RECEIVED ? r->from_name : r->to_name,
			 r->pesel != NULL ? arena_printf(req->arena, _("PESEL %s"), r->pesel)
					  : arena_printf(req->arena, _("record no. %lld"), (long long)r->person_id),
			 referral_purpose_label(r->purpose), r->state, referral_state_label(r->state),
			 fmt_time(req, r->created_at));
	}
	html_raw(b, "</tbody></table>");
}

static int h_referral_list(struct req *req)
{
	struct registry_writer w;
	struct referral *rows;
	const char *box_s = req_query(req, "box");
	enum referral_box box = box_s != NULL && strcmp(box_s, "sent") == 0 ? REFERRAL_SENT : REFERRAL_RECEIVED;
	const char *state = state_param(req);
	struct buf *b;
	int rc = may_work(req, &w), n, i;

	if (rc != 0)
		return rc;
	n = referral_list(req->db, req->arena, req->sess->institution_id, box, state, &rows, LIST_MAX);
	if (n < 0)
		return resp_server_error(req, "listing referrals");
	if (record_list(req, rows, n, box == REFERRAL_SENT ? "box=sent" : "box=received") != 0)
		return resp_server_error(req, "recording a read");
	page_crumb(req, NULL, _("Referrals"));
	b = page_begin(req, _("Referrals"));
	html_fmt(b, "<div class=\"page-actions\"><a class=\"btn primary\" href=\"/referrals/new\">%s</a></div>",
		 _("New referral by PESEL"));
	html_fmt(b, "<nav class=\"tabs\" aria-label=\"%s\"><a href=\"/referrals\"%s>%s</a> "
		    "<a href=\"/referrals?box=sent\"%s>%s</a></nav>",
		 _("Referrals"), box == REFERRAL_RECEIVED ? " aria-current=\"page\"" : "", _("Received"),
		 box == REFERRAL_SENT ? " aria-current=\"page\"" : "", _("Sent"));
	html_raw(b, "<p class=\"filters\">");
	html_fmt(b, "<a href=\"%s\">%s</a>", req_url_with(req, "state", NULL), _("all"));
	for (i = 0; referral_states[i] != NULL; i++)
		html_fmt(b, " · <a href=\"%s\"%s>%s</a>", req_url_with(req, "state", referral_states[i]),
			 state == referral_states[i] ? " aria-current=\"true\"" : "",
			 referral_state_label(referral_states[i]));
	html_raw(b, "</p>");
	if (n == 0)
		page_notice(b, NULL, box == REFERRAL_RECEIVED ? _("No referral received.") : _("No referral sent."));
	else
		rows_table(b, req, rows, n, box);
	return page_end(req, 200);
}

static int h_api_referral_list(struct req *req)
{
	struct registry_writer w;
	struct referral *rows;
	const char *box_s = req_query(req, "box");
	enum referral_box box = box_s != NULL && strcmp(box_s, "sent") == 0 ? REFERRAL_SENT : REFERRAL_RECEIVED;
	json_t *items;
	int rc = may_work(req, &w), n, i;

	if (rc != 0)
		return rc;
	if (box_s != NULL && strcmp(box_s, "sent") != 0 && strcmp(box_s, "received") != 0)
		return resp_api_error(req, 422, "invalid", _("box is \"received\" or \"sent\"."), "box");
	n = referral_list(req->db, req->arena, req->sess->institution_id, box, state_param(req), &rows,
			  LIST_MAX);
	if (n < 0)
		return resp_server_error(req, "listing referrals");
	if (record_list(req, rows, n, box == REFERRAL_SENT ? "box=sent" : "box=received") != 0)
		return resp_server_error(req, "recording a read");
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, referral_json(&rows[i]));
	return resp_json(req, 200, json_pack("{s:s, s:o}", "box", box == REFERRAL_SENT ? "sent" : "received",
					     "items", items));
}

/* ------------------------------------------------------------------ */
/* New                                                                 */
/* ------------------------------------------------------------------ */

static void textarea(struct buf *b, const char *name, const char *label, const char *value,
		     const struct verrs *v, const char *hint)
{
	const char *err = v != NULL ? verrs_for(v, name) : NULL;

	html_fmt(b, "<div class=\"field wide\"><label for=\"f-%s\">%s</label>", name, label);
	if (hint != NULL)
		html_fmt(b, "<p class=\"hint\" id=\"f-%s-hint\">%s</p>", name, hint);
	if (err != NULL)
		html_fmt(b, "<p class=\"field-error\" id=\"f-%s-err\">%s</p>", name, err);
	html_fmt(b, "<textarea id=\"f-%s\" name=\"%s\" rows=\"5\"", name, name);
	if (err != NULL)
		html_fmt(b, " aria-invalid=\"true\" aria-describedby=\"f-%s-err\"", name);
	html_fmt(b, ">%s</textarea></div>", value != NULL ? value : "");
}

static struct option *purpose_options(struct req *req, int *n)
{
	struct option *o;
	int i;

	for (i = 0; referral_purposes[i] != NULL; i++)
		;
	o = arena_zalloc(req->arena, sizeof(*o) * (size_t)(i + 1));
	for (*n = 0; o != NULL && referral_purposes[*n] != NULL; (*n)++) {
		o[*n].value = referral_purposes[*n];
		o[*n].label = referral_purpose_label(referral_purposes[*n]);
	}
	return o;
}

/* partner_options() are the institutions with an agreement in force with the user's (names). */
static struct option *partner_options(struct req *req, int *n)
{
	int64_t ids[REFERRAL_PARTNERS_MAX];
	struct option *o = arena_zalloc(req->arena, sizeof(*o) * REFERRAL_PARTNERS_MAX);
	int k = agreement_partners(req->db, req->sess->institution_id, NULL, ids, REFERRAL_PARTNERS_MAX), i;

	*n = 0;
	if (o == NULL || k < 0)
		return o;
	for (i = 0; i < k && i < REFERRAL_PARTNERS_MAX; i++) {
		struct institution in;

		if (institution_get(req->db, req->arena, ids[i], &in) != 0)
			continue;
		o[*n].value = arena_printf(req->arena, "%lld", (long long)ids[i]);
		o[*n].label = in.name;
		(*n)++;
	}
	return o;
}

static int new_page(struct req *req, int status, const struct referral_new *n, const struct person *p,
		    const struct verrs *v)
{
	struct option *po, *to;
	int npo, nto;
	const char *sel = n->to_institution_id > 0
				  ? arena_printf(req->arena, "%lld", (long long)n->to_institution_id)
				  : NULL;
	struct buf *b;

	po = purpose_options(req, &npo);
	to = partner_options(req, &nto);
	if (p != NULL)
		page_crumb(req, reg_person_href(req, p->id), reg_name(req, p->first_names, p->surname));
	else
		page_crumb(req, "/referrals", _("Referrals"));
	page_crumb(req, NULL, _("Send a request / referral"));
	b = page_begin(req, _("Send a request / referral"));
	form_errors(b, v);
	form_begin(b, req, "/referrals/new", "form");
	if (p != NULL) {
		html_fmt(b, "<input type=\"hidden\" name=\"person_id\" value=\"%lld\">", (long long)p->id);
		html_fmt(b, "<p class=\"lead\">%s</p>",
			 arena_printf(req->arena, _("About %s (record no. %lld of your institution)."),
				      reg_name(req, p->first_names, p->surname), (long long)p->id));
		if (v != NULL && verrs_for(v, "person_id") != NULL)
			html_fmt(b, "<p class=\"field-error\" id=\"f-person_id\">%s</p>", verrs_for(v, "person_id"));
		field_select(b, "to_institution_id", _("To institution"), to, nto, sel, _("— choose —"), v,
			     W_REQUIRED, NULL);
	} else {
		field_input(b, "text", "pesel", _("PESEL"), n->pesel, v, W_REQUIRED | W_NARROW | W_AUTOFOCUS,
			    _("Each partner sees the request and decides what to answer; you are not told "
			      "which of them holds the person."),
			    "off");
		field_select(b, "to_institution_id", _("To institution"), to, nto, sel,
			     _("every partner institution"), v, 0, NULL);
	}
	field_select(b, "purpose", _("Purpose"), po, npo, n->purpose, _("— choose —"), v, W_REQUIRED, NULL);
	textarea(b, "message", _("Message"), n->message, v,
		 _("Only the two institutions read it. Write only what the partner needs."));
	html_raw(b, "<div class=\"actions\">");
	button(b, _("Send"), "primary");
	html_fmt(b, " <a class=\"btn secondary\" href=\"%s\">%s</a></div>",
		 p != NULL ? reg_person_href(req, p->id) : "/referrals", _("Cancel"));
	form_end(b);
	return page_end(req, status);
}

static int h_referral_new(struct req *req)
{
	struct registry_writer w;
	struct referral_new n = { 0 };
	struct person p;
	const char *s = req_query(req, "person_id");
	int64_t id = 0;
	int rc = may_work(req, &w);

	if (rc != 0)
		return rc;
	if (s != NULL && str_to_int64(s, 1, INT64_MAX, &id) == 0) {
		rc = reg_load_person(req, id, &p, 0);
		if (rc != 0)
			return rc;
		n.person_id = id;
		return new_page(req, 200, &n, &p, NULL);
	}
	n.pesel = req_query(req, "pesel");
	return new_page(req, 200, &n, NULL, NULL);
}

static int read_new(struct req *req, struct referral_new *n, struct verrs *v)
{
	struct input x[NNEW];

	input_read(req, new_fields, NNEW, x, v);
	memset(n, 0, sizeof(*n));
	n->person_id = x[N_PERSON].num;
	n->pesel = x[N_PESEL].text;
	n->to_institution_id = x[N_TO].num;
	n->purpose = x[N_PURPOSE].text;
	n->message = x[N_MESSAGE].text;
	return v->n;
}

/* create() creates n's referrals with one audit row each; 0 (ids), 1 (v), -1. */
static int create(struct req *req, struct registry_writer *w, struct referral_new *n, int64_t *ids,
		  int max, int *nids, struct verrs *v)
{
	struct audit_actor who;
	const char *detail;
	int rc, i;

	if (tx_begin(req) != 0)
		return -1;
	rc = referral_create(req->db, req->arena, w, n, ids, max, nids, v);
	/* the purpose and how the person was named; never the message (free text) */
	detail = arena_printf(req->arena, "purpose=%s by=%s", n->purpose != NULL ? n->purpose : "",
			      n->pesel != NULL ? "pesel" : "record");
	req_actor(req, &who);
	for (i = 0; rc == 0 && i < *nids - 1; i++) /* the last one's row commits the transaction */
		if (audit_write_id(req->db, &who, REFERRAL_ACTION_CREATE, "referral", ids[i], detail) != DB_OK)
			rc = -1;
	return tx_audit(req, rc, REFERRAL_ACTION_CREATE, "referral", rc == 0 ? ids[*nids - 1] : 0, detail);
}

static int h_referral_create(struct req *req)
{
	struct verrs v = VERRS_INIT;
	struct registry_writer w;
	struct referral_new n;
	struct person p, *pp = NULL;
	int64_t ids[REFERRAL_PARTNERS_MAX];
	int nids = 0, rc = may_work(req, &w);

	if (rc != 0)
		return rc;
	read_new(req, &n, &v);
	if (v.n == 0) {
		rc = create(req, &w, &n, ids, REFERRAL_PARTNERS_MAX, &nids, &v);
		if (rc < 0)
			return resp_server_error(req, "sending a referral");
		if (rc == 0 && nids == 1)
			return resp_redirect(req, href(req, ids[0]), _("The referral has been sent."));
		if (rc == 0)
			return resp_redirect(req, "/referrals?box=sent",
					     arena_printf(req->arena,
							  i18n_ngettext("The request has been sent to %d partner institution.",
									"The request has been sent to %d partner institutions.",
									(unsigned long)nids),
							  nids));
	}
	if (n.person_id > 0) {
		rc = reg_load_person(req, n.person_id, &p, 0);
		if (rc != 0)
			return rc; /* answered: the record is not the user's to name */
		pp = &p;
	}
	return new_page(req, 422, &n, pp, &v);
}

static int h_api_referral_create(struct req *req)
{
	struct verrs v = VERRS_INIT;
	struct registry_writer w;
	struct referral_new n;
	int64_t ids[REFERRAL_PARTNERS_MAX];
	json_t *a;
	int nids = 0, i, rc = may_work(req, &w);

	if (rc != 0)
		return rc;
	if (read_new(req, &n, &v) > 0)
		return resp_api_verrs(req, &v);
	rc = create(req, &w, &n, ids, REFERRAL_PARTNERS_MAX, &nids, &v);
	if (rc > 0)
		return resp_api_verrs(req, &v);
	if (rc < 0)
		return resp_server_error(req, "sending a referral");
	a = json_array();
	for (i = 0; i < nids; i++)
		json_array_append_new(a, json_integer(ids[i]));
	resp_header(req, "location", arena_printf(req->arena, "/api/v1/referrals/%lld", (long long)ids[0]));
	return resp_json(req, 201, json_pack("{s:I, s:o}", "id", (json_int_t)ids[0], "ids", a));
}

/* ------------------------------------------------------------------ */
/* One referral                                                        */
/* ------------------------------------------------------------------ */

/* own_record() is the user's institution's live record with r's PESEL, 0 if none (a recorded read). */
static int64_t own_record(struct req *req, const struct referral *r)
{
	struct person_query q = { .pesel = r->pesel, .limit = 1 };
	struct person_hits hits;
	struct policy_read rd;

	if (r->pesel == NULL || r->to_institution_id != req->sess->institution_id)
		return 0;
	req_policy_read(req, POLICY_PERSON, PURPOSE_CASEWORK, &rd);
	if (person_search(&rd, &q, &hits) != 0 || hits.n == 0)
		return 0;
	return hits.hits[0].id;
}

static void details(struct buf *b, struct req *req, const struct referral *r)
{
	html_raw(b, "<dl class=\"details\">");
	dl_row(b, _("From"), r->from_name);
	dl_row(b, _("To"), r->to_name);
	dl_row(b, _("Purpose"), referral_purpose_label(r->purpose));
	dl_row(b, _("State"), referral_state_label(r->state));
	if (r->pesel != NULL)
		dl_row(b, _("PESEL"), r->pesel);
	if (r->person_name != NULL)
		dl_row(b, _("Person"), r->person_name);
	if (r->person_id > 0 && r->person_institution_id == req->sess->institution_id) {
		html_fmt(b, "<dt>%s</dt><dd><a href=\"%s\">%s</a></dd>", _("Record"), reg_person_href(req, r->person_id),
			 arena_printf(req->arena, _("record no. %lld"), (long long)r->person_id));
	} else if (r->person_id > 0) {
		/* the partner's record: opening it says whether the sharing rule lets the user see it */
		html_fmt(b, "<dt>%s</dt><dd><a href=\"%s\">%s</a></dd>", _("Record"),
			 reg_person_href(req, r->person_id),
			 arena_printf(req->arena, _("record no. %lld of %s"), (long long)r->person_id,
				      r->person_institution_id == r->from_institution_id ? r->from_name : r->to_name));
	}
	dl_row(b, _("Message"), r->message);
	dl_row(b, _("Sent"), arena_printf(req->arena, "%s (%s)", fmt_time(req, r->created_at),
					  r->created_by_name != NULL ? r->created_by_name : "—"));
	if (r->decided_at != NULL)
		dl_row(b, _("Answered"), arena_printf(req->arena, "%s (%s)", fmt_time(req, r->decided_at),
						      r->decided_by_name != NULL ? r->decided_by_name : "—"));
	if (r->refusal_reason != NULL)
		dl_row(b, _("Reason for refusal"), r->refusal_reason);
	if (r->linked_kind != NULL)
		dl_row(b, _("Linked to"), arena_printf(req->arena, "%s %lld", referral_link_kind_label(r->linked_kind),
						      (long long)r->linked_id));
	html_raw(b, "</dl>");
}

static void decide_forms(struct buf *b, struct req *req, const struct referral *r, int64_t own,
			 const struct verrs *v)
{
	static const struct option forms[] = { { "written", N_("written") }, { "electronic", N_("electronic") },
					       { "oral_recorded", N_("oral, recorded") } };
	struct option fo[3];
	int i;

	for (i = 0; i < 3; i++) {
		fo[i].value = forms[i].value;
		fo[i].label = _(forms[i].label);
	}
	html_fmt(b, "<section class=\"card\"><h2>%s</h2>", _("Accept"));
	if (r->pesel != NULL)
		html_fmt(b, "<p>%s</p>",
			 own > 0 ? arena_printf(req->arena, _("Your institution holds this person: record no. %lld."),
						(long long)own)
				 : _("Your institution holds no record with this PESEL. Register the person "
				     "before accepting with a consent, or refuse: not our client."));
	form_begin(b, req, arena_printf(req->arena, "/referrals/%lld/accept", (long long)r->id), "form");
	if (own > 0)
		html_fmt(b, "<input type=\"hidden\" name=\"person_id\" value=\"%lld\">", (long long)own);
	html_fmt(b, "<div class=\"field\"><label><input type=\"checkbox\" name=\"consent\" value=\"1\" id=\"f-consent\"> "
		    "%s</label></div>", _("The person consents to sharing the record with the sender for this purpose"));
	if (v != NULL && verrs_for(v, "consent") != NULL)
		html_fmt(b, "<p class=\"field-error\" id=\"f-consent-err\">%s</p>", verrs_for(v, "consent"));
	field_select(b, "consent_form", _("Form of the consent"), fo, 3, "written", NULL, v, 0, NULL);
	field_input(b, "date", "consent_valid_to", _("Consent valid until"), NULL, v, 0,
		    _("Empty: until withdrawn."), "off");
	button(b, _("Accept"), "primary");
	form_end(b);
	html_fmt(b, "</section><section class=\"card\"><h2>%s</h2>", _("Refuse"));
	form_begin(b, req, arena_printf(req->arena, "/referrals/%lld/refuse", (long long)r->id), "form");
	textarea(b, "reason", _("Reason"), NULL, v, _("The sender reads it. For example: not our client."));
	button(b, _("Refuse"), "danger");
	form_end(b);
	html_raw(b, "</section>");
}

static void link_form(struct buf *b, struct req *req, const struct referral *r, const struct verrs *v)
{
	struct option ko[3];
	int i;

	for (i = 0; i < 3; i++) {
		ko[i].value = referral_link_kinds[i];
		ko[i].label = referral_link_kind_label(referral_link_kinds[i]);
	}
	html_fmt(b, "<section class=\"card\"><h2>%s</h2>", _("Link to what followed"));
	form_begin(b, req, arena_printf(req->arena, "/referrals/%lld/link", (long long)r->id), "form");
	field_select(b, "kind", _("What followed"), ko, 3, NULL, _("— choose —"), v, W_REQUIRED, NULL);
	field_input(b, "text", "linked_id", _("Its number"), NULL, v, W_REQUIRED | W_NARROW, NULL, "off");
	button(b, _("Link"), "primary");
	form_end(b);
	html_raw(b, "</section>");
}

static int show_page(struct req *req, int status, const struct referral *r, const struct verrs *v)
{
	int recipient = r->to_institution_id == req->sess->institution_id;
	int64_t own = recipient && strcmp(r->state, "requested") == 0 ? own_record(req, r) : 0;
	struct buf *b;

	page_crumb(req, "/referrals", _("Referrals"));
	page_crumb(req, NULL, title_of(req, r->id));
	b = page_begin(req, title_of(req, r->id));
	form_errors(b, v);
	html_fmt(b, "<div class=\"page-actions\"><a class=\"btn secondary\" href=\"/referrals/%lld/print\">%s</a></div>",
		 (long long)r->id, _("Referral letter (print)"));
	html_fmt(b, "<section class=\"card wide\"><h2>%s</h2>", recipient ? _("Received") : _("Sent"));
	details(b, req, r);
	html_raw(b, "</section>");
	if (recipient && strcmp(r->state, "requested") == 0)
		decide_forms(b, req, r, own, v);
	else if (!recipient && strcmp(r->state, "requested") == 0)
		page_notice(b, "info", _("Awaiting the answer of the institution it was sent to."));
	if (strcmp(r->state, "accepted") == 0)
		link_form(b, req, r, v);
	return page_end(req, status);
}

static int h_referral_show(struct req *req)
{
	struct registry_writer w;
	struct referral r;
	int rc = may_work(req, &w);

	if (rc == 0)
		rc = load(req, &r, 1);
	return rc != 0 ? rc : show_page(req, 200, &r, NULL);
}

static int h_api_referral_get(struct req *req)
{
	struct registry_writer w;
	struct referral r;
	int rc = may_work(req, &w);

	if (rc == 0)
		rc = load(req, &r, 1);
	return rc != 0 ? rc : resp_json(req, 200, referral_json(&r));
}

/* ------------------------------------------------------------------ */
/* Transitions                                                         */
/* ------------------------------------------------------------------ */

enum transition { T_ACCEPT, T_REFUSE, T_LINK };

/* transition() reads the form or body of t and runs it with its audit row; 0, 1 (v), NOT_FOUND, -1. */
static int transition(struct req *req, enum transition t, struct registry_writer *w, struct verrs *v,
		      const char **flash)
{
	struct input x[NACC];
	struct referral_accept acc = { 0 };
	const char *action, *detail = NULL;
	int rc;

	if (t == T_ACCEPT) {
		input_read(req, accept_fields, NACC, x, v);
		acc.person_id = x[A_PERSON].num;
		acc.consent = (int)x[A_CONSENT].num;
		acc.consent_form = x[A_FORM].text;
		acc.consent_valid_to = x[A_VALID_TO].text;
	} else if (t == T_REFUSE) {
		input_read(req, refuse_fields, 1, x, v);
	} else {
		input_read(req, link_fields, NLINK, x, v);
	}
	if (v->n > 0)
		return 1;
	if (tx_begin(req) != 0)
		return -1;
	if (t == T_ACCEPT) {
		rc = referral_accept(req->db, req->arena, w, req->id, &acc, v);
		action = REFERRAL_ACTION_ACCEPT;
		if (acc.consent_id > 0)
			detail = arena_printf(req->arena, "consent=%lld", (long long)acc.consent_id);
		*flash = acc.consent_id > 0 ? _("The referral has been accepted and the consent recorded.")
					    : _("The referral has been accepted.");
	} else if (t == T_REFUSE) {
		rc = referral_refuse(req->db, req->arena, w, req->id, x[0].text, v);
		action = REFERRAL_ACTION_REFUSE;
		*flash = _("The referral has been refused.");
	} else {
		rc = referral_link(req->db, req->arena, w, req->id, x[L_KIND].text, x[L_ID].num, v);
		action = REFERRAL_ACTION_LINK;
		detail = rc == 0 ? arena_printf(req->arena, "%s=%lld", x[L_KIND].text, (long long)x[L_ID].num) : NULL;
		*flash = _("The referral has been linked to what followed.");
	}
	if (rc == 0 && acc.consent_id > 0) { /* the consent's own row, as the consent pages write it */
		struct audit_actor who;

		req_actor(req, &who);
		if (audit_write_id(req->db, &who, "consent.create", "consent", acc.consent_id,
				   arena_printf(req->arena, "referral=%lld", (long long)req->id)) != DB_OK)
			rc = -1;
	}
	return tx_audit(req, rc, action, "referral", req->id, detail);
}

static int page_transition(struct req *req, enum transition t)
{
	struct verrs v = VERRS_INIT;
	struct registry_writer w;
	struct referral r;
	const char *flash = NULL;
	int rc = may_work(req, &w);

	if (rc != 0)
		return rc;
	rc = transition(req, t, &w, &v, &flash);
	if (rc == REFERRAL_NOT_FOUND)
		return not_found(req);
	if (rc < 0)
		return resp_server_error(req, "answering a referral");
	if (rc == 0)
		return resp_redirect(req, href(req, req->id), flash);
	rc = load(req, &r, 0);
	return rc != 0 ? rc : show_page(req, refused_status(&v), &r, &v);
}

static int api_transition(struct req *req, enum transition t)
{
	struct verrs v = VERRS_INIT;
	struct registry_writer w;
	struct referral r;
	const char *flash = NULL;
	int rc = may_work(req, &w);

	if (rc != 0)
		return rc;
	rc = transition(req, t, &w, &v, &flash);
	if (rc == REFERRAL_NOT_FOUND)
		return not_found(req);
	if (rc < 0)
		return resp_server_error(req, "answering a referral");
	if (rc == 1) {
		int status = refused_status(&v);

		if (status == 422)
			return resp_api_verrs(req, &v);
		return resp_api_error(req, status, v.e[0].code, v.e[0].message, NULL);
	}
	rc = load(req, &r, 0);
	return rc != 0 ? rc : resp_json(req, 200, referral_json(&r));
}

static int h_referral_accept(struct req *req) { return page_transition(req, T_ACCEPT); }
static int h_referral_refuse(struct req *req) { return page_transition(req, T_REFUSE); }
static int h_referral_link(struct req *req) { return page_transition(req, T_LINK); }
static int h_api_referral_accept(struct req *req) { return api_transition(req, T_ACCEPT); }
static int h_api_referral_refuse(struct req *req) { return api_transition(req, T_REFUSE); }
static int h_api_referral_link(struct req *req) { return api_transition(req, T_LINK); }

/* ------------------------------------------------------------------ */
/* The letter                                                          */
/* ------------------------------------------------------------------ */

static void address_block(struct buf *b, struct req *req, int64_t id, const char *cls)
{
	struct institution in;

	if (institution_get(req->db, req->arena, id, &in) != 0)
		return;
	html_fmt(b, "<address class=\"%s\"><strong>%s</strong><br>%s<br>%s %s", cls, in.name,
		 in.street != NULL ? in.street : "", in.postcode != NULL ? in.postcode : "",
		 in.city != NULL ? in.city : "");
	if (in.phone != NULL)
		html_fmt(b, "<br>%s %s", _("Phone"), in.phone);
	if (in.email != NULL)
		html_fmt(b, "<br>%s", in.email);
	html_raw(b, "</address>");
}

static int h_referral_print(struct req *req)
{
	struct registry_writer w;
	struct referral r;
	char now[CLOCK_ISO_LEN];
	struct buf *b;
	int rc = may_work(req, &w);

	if (rc == 0)
		rc = load(req, &r, 1);
	if (rc != 0)
		return rc;
	page_crumb(req, "/referrals", _("Referrals"));
	page_crumb(req, href(req, r.id), title_of(req, r.id));
	page_crumb(req, NULL, _("Referral letter"));
	b = page_begin(req, arena_printf(req->arena, _("Referral letter no. %lld"), (long long)r.id));
	html_raw(b, "<div class=\"letter\">");
	html_fmt(b, "<p class=\"page-actions\"><span data-print=\"%s\"></span> <a class=\"btn secondary\" "
		    "href=\"%s\">%s</a></p>",
		 _("Print"), href(req, r.id), _("Back to the referral"));
	clock_iso(clock_now(), now);
	html_fmt(b, "<p class=\"date\">%s</p>",
		 arena_printf(req->arena, _("Date: %s"), reg_date(req, arena_strndup(req->arena, r.created_at, 10))));
	address_block(b, req, r.from_institution_id, "from");
	html_fmt(b, "<p>%s</p>", _("To:"));
	address_block(b, req, r.to_institution_id, "to");
	html_fmt(b, "<h2>%s</h2>",
		 arena_printf(req->arena, _("Information request / referral no. %lld"), (long long)r.id));
	html_raw(b, "<dl class=\"details\">");
	dl_row(b, _("Purpose"), referral_purpose_label(r.purpose));
	if (r.person_name != NULL)
		dl_row(b, _("Person"), r.person_name);
	if (r.pesel != NULL || r.person_pesel != NULL)
		dl_row(b, _("PESEL"), r.pesel != NULL ? r.pesel : r.person_pesel);
	dl_row(b, _("State"), referral_state_label(r.state));
	if (r.refusal_reason != NULL)
		dl_row(b, _("Reason for refusal"), r.refusal_reason);
	html_raw(b, "</dl>");
	html_fmt(b, "<h3>%s</h3><p class=\"message\">%s</p>", _("Message"), r.message != NULL ? r.message : "—");
	html_fmt(b, "<div class=\"signatures\"><p>……………………………………<br>%s</p><p>……………………………………<br>%s</p></div>",
		 _("signature of the sending worker"), _("signature of the receiving worker"));
	html_fmt(b, "<p class=\"meta\">%s</p></div>",
		 arena_printf(req->arena, _("Printed %s by %s. Contains personal data: keep it safe and "
					    "destroy it when no longer needed."),
			      fmt_time(req, now), req->sess->full_name));
	html_fmt(b, "<script src=\"%s\" defer></script>", asset_url("registry.js"));
	return page_end(req, 200);
}

/* ------------------------------------------------------------------ */
/* The start-page panel                                                */
/* ------------------------------------------------------------------ */

static void panel_box(struct buf *b, struct req *req, enum referral_box box, const char *heading,
		      const char *empty)
{
	struct referral *rows;
	int64_t total = referral_count(req->db, req->sess->institution_id, box, "requested");
	int n = referral_list(req->db, req->arena, req->sess->institution_id, box, "requested", &rows, PANEL_MAX), i;

	html_fmt(b, "<h3>%s</h3>", heading);
	if (n <= 0) {
		html_fmt(b, "<p>%s</p>", empty);
		return;
	}
	html_raw(b, "<ul>");
	for (i = 0; i < n; i++)
		html_fmt(b, "<li><a href=\"%s\">%s</a> — %s, %s</li>", href(req, rows[i].id), title_of(req, rows[i].id),
			 box == REFERRAL_RECEIVED ? rows[i].from_name : rows[i].to_name,
			 referral_purpose_label(rows[i].purpose));
	html_raw(b, "</ul>");
	if (total > n)
		html_fmt(b, "<p><a href=\"/referrals%s\">%s</a></p>", box == REFERRAL_SENT ? "?box=sent&amp;state=requested" : "?state=requested",
			 arena_printf(req->arena, _("All %lld"), (long long)total));
	/*
	 * Numbers, partner institutions and purposes, nothing about a person:
	 * not a read of personal data (the start page keeps it a second for
	 * all who share the institution and roles); the lists and the
	 * referral's page, which may name the person, record their reads.
	 */
}

int referral_panel(struct req *req, struct buf *b)
{
	struct registry_writer w;

	reg_writer(req, &w);
	if (!referral_may_work(&w))
		return 0;
	html_fmt(b, "<section class=\"card\" id=\"panel-referrals\"><h2>%s</h2>", _("Referrals"));
	panel_box(b, req, REFERRAL_RECEIVED, _("Received, to answer"), _("Nothing to answer."));
	panel_box(b, req, REFERRAL_SENT, _("Sent, awaiting an answer"), _("Nothing awaiting an answer."));
	html_fmt(b, "<p><a href=\"/referrals\">%s</a></p></section>", _("All referrals"));
	return 0;
}

ROUTES(referrals) = {
	/* who may work with referrals is checked by may_work() (403 with the reason) */
	{ HTTP_GET, "/referrals", h_referral_list, 0, 0 },
	{ HTTP_GET, "/referrals/new", h_referral_new, 0, 0 },
	{ HTTP_POST, "/referrals/new", h_referral_create, 0, 0 },
	{ HTTP_GET, "/referrals/{id:int}", h_referral_show, 0, 0 },
	{ HTTP_GET, "/referrals/{id:int}/print", h_referral_print, 0, 0 },
	{ HTTP_POST, "/referrals/{id:int}/accept", h_referral_accept, 0, 0 },
	{ HTTP_POST, "/referrals/{id:int}/refuse", h_referral_refuse, 0, 0 },
	{ HTTP_POST, "/referrals/{id:int}/link", h_referral_link, 0, 0 },
	{ HTTP_GET, "/api/v1/referrals", h_api_referral_list, 0, 0 },
	{ HTTP_POST, "/api/v1/referrals", h_api_referral_create, 0, 0 },
	{ HTTP_GET, "/api/v1/referrals/{id:int}", h_api_referral_get, 0, 0 },
	{ HTTP_POST, "/api/v1/referrals/{id:int}/accept", h_api_referral_accept, 0, 0 },
	{ HTTP_POST, "/api/v1/referrals/{id:int}/refuse", h_api_referral_refuse, 0, 0 },
	{ HTTP_POST, "/api/v1/referrals/{id:int}/link", h_api_referral_link, 0, 0 },
};
ROUTES_END(referrals);
