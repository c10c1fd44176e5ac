/*
 * situation.c — pages and API of the situation of persons and families
 * (registry/situation.h): reasons for assistance of a family by period,
 * labour-market status periods of a person with long-term unemployment
 * computed, benefit decisions, community interviews (printable); and
 * the sections the person and family pages show
 * (situation_person_sections(), situation_family_sections()).
 *
 * Every read decides for the person or family first (situation_decide())
 * and is recorded; writes are checked by the domain (own institution,
 * casework role) and commit with their history and audit row.
 */
#include <stdio.h>
#include <string.h>

#include "auth/role.h"
#include "core/clock.h"
#include "core/html.h"
#include "core/str.h"
#include "registry/check.h"
#include "registry/situation.h"
#include "web/handlers.h"
#include "web/input.h"
#include "web/page.h"
#include "web/registry_web.h"
#include "web/route.h"
#include "web/situation.h"
#include "web/widget.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static const char *period_text(struct req *req, const char *from, const char *to)
{
	return to == NULL ? arena_printf(req->arena, _("from %s"), reg_date(req, from))
			  : arena_printf(req->arena, "%s – %s", reg_date(req, from), reg_date(req, to));
}

/*
 * decide() decides the read of person/family id for casework into r;
 * 0, or the status of the answer already given (404, 403, 500).
 */
static int decide(struct req *req, struct policy_read *r, enum policy_kind kind, int64_t id)
{
	int rc;

	req_policy_read(req, kind, PURPOSE_CASEWORK, r);
	rc = situation_decide(r, kind, id);
	if (rc < 0)
		return resp_server_error(req, "deciding a read");
	if (rc == POLICY_NOT_FOUND)
		return reg_not_found(req);
	if (rc == POLICY_DENIED)
		return resp_denied(req, &r->decision);
	return 0;
}

/* answer_read() turns a *_read() result into 0 or the answered status. */
static int answer_read(struct req *req, struct policy_read *r, int rc)
{
	if (rc < 0)
		return resp_server_error(req, "reading the situation");
	if (rc == POLICY_NOT_FOUND)
		return reg_not_found(req);
	if (rc == POLICY_DENIED)
		return resp_denied(req, &r->decision);
	return 0;
}

/* answer_write() ends a write: 0 done, 1 refused (the caller re-renders), else the answered status. */
static int answer_write(struct req *req, int rc)
{
	if (rc == SITUATION_NOT_FOUND)
		return reg_not_found(req);
	if (rc < 0)
		return resp_server_error(req, "saving the situation");
	return rc;
}

static int interviews_allowed(const struct req *req, const struct policy_decision *d)
{
	return d->allowed && (d->mask & SENS_SPECIAL) == SENS_SPECIAL && req->sess != NULL;
}

/* family_for_interviews() decides the family read and that this reader may see interviews. */
static int family_for_interviews(struct req *req, struct policy_read *r, int64_t family_id)
{
	int rc = decide(req, r, POLICY_FAMILY, family_id);

	if (rc != 0)
		return rc;
	if (!interviews_allowed(req, &r->decision))
		return resp_error(req, 403, "special_categories", _("No access"),
				  _("Community interviews may hold health, addiction and violence "
				    "matters; your role does not include them."));
	return 0;
}

static json_t *items(json_t *arr)
{
	return json_pack("{s:I, s:o}", "total", (json_int_t)json_array_size(arr), "items", arr);
}

/*
 * The kinds of situation records as data (as db/list.h declares lists):
 * whose they are (a person or a family), how one and the list of one
 * owner are read under the policy, their JSON and API collection. The
 * handlers share their load/list/reply skeleton through them.
 */
struct kind {
	enum policy_kind owner;
	int special; /* interviews: the reader must also see special categories */
	size_t size;
	const char *coll; /* /api/v1/<coll>/<id> */
	const char *what; /* for the log when the list cannot be read */
	int (*read)(struct policy_read *r, int64_t id, void *out);
	int (*list)(struct policy_read *r, int64_t owner_id, void **out);
	json_t *(*json)(struct req *req, const void *x);
	void (*summary)(json_t *j, const void *x, int n); /* adds to the list's answer, or NULL */
};

/* KIND_OPS(pre, T) adapts pre_read() and pre_list() of records T to struct kind. */
#define KIND_OPS(pre, T)                                                          \
	static int pre##_read_any(struct policy_read *r, int64_t id, void *out)     \
	{                                                                            \
		return pre##_read(r, id, out);                                       \
	}                                                                            \
	static int pre##_list_any(struct policy_read *r, int64_t owner_id, void **out) \
	{                                                                            \
		T *x;                                                                \
		int n = pre##_list(r, owner_id, &x);                                 \
                                                                                     \
		*out = x;                                                            \
		return n;                                                            \
	}

KIND_OPS(reason, struct family_reason)
KIND_OPS(status, struct labour_status)
KIND_OPS(benefit, struct benefit)
KIND_OPS(interview, struct interview)

static json_t *reason_json(struct req *req, const void *x);
static json_t *status_json(struct req *req, const void *x);
static json_t *benefit_json(struct req *req, const void *x);
static json_t *interview_json(struct req *req, const void *x);

/* ltu_summary() adds whether the person is long-term unemployed today to the list of statuses. */
static void ltu_summary(json_t *j, const void *x, int n)
{
	char t[16];

	registry_today(t);
	json_object_set_new(j, "long_term_unemployed",
			    json_pack("{s:s, s:b, s:i, s:i}", "as_of", t, "value",
				      labour_long_term(x, n, t) == 1, "days", labour_ltu_days(x, n, t),
				      "min_days", LTU_MIN_DAYS));
}

static const struct kind reasons = { POLICY_FAMILY, 0, sizeof(struct family_reason), "reasons",
				     "reading reasons", reason_read_any, reason_list_any, reason_json,
				     NULL };
static const struct kind statuses = { POLICY_PERSON, 0, sizeof(struct labour_status), "statuses",
				      "reading statuses", status_read_any, status_list_any, status_json,
				      ltu_summary };
static const struct kind benefits = { POLICY_PERSON, 0, sizeof(struct benefit), "benefits",
				      "reading benefits", benefit_read_any, benefit_list_any,
				      benefit_json, NULL };
static const struct kind interviews = { POLICY_FAMILY, 1, sizeof(struct interview), "interviews",
					"reading interviews", interview_read_any, interview_list_any,
					interview_json, NULL };

/* load() reads record id of kind k under the policy into out; 0 or the answered status. */
static int load(struct req *req, const struct kind *k, int64_t id, void *out)
{
	struct policy_read r;

	req_policy_read(req, k->owner, PURPOSE_CASEWORK, &r);
	return answer_read(req, &r, k->read(&r, id, out));
}

/* decide_owner() decides the read of the route's person or family for records of kind k. */
static int decide_owner(struct req *req, const struct kind *k, struct policy_read *r)
{
	return k->special ? family_for_interviews(req, r, req->id) : decide(req, r, k->owner, req->id);
}

/* api_list() answers the records of kind k of the route's person or family. */
static int api_list(struct req *req, const struct kind *k)
{
	struct policy_read r;
	json_t *arr, *j;
	void *x;
	int rc = decide_owner(req, k, &r), n, i;

	if (rc != 0)
		return rc;
	n = k->list(&r, req->id, &x);
	if (n < 0)
		return resp_server_error(req, k->what);
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, k->json(req, (const char *)x + (size_t)i * k->size));
	j = items(arr);
	if (k->summary != NULL)
		k->summary(j, x, n);
	return resp_json(req, 200, j);
}

/* api_reply() answers record id of kind k as read now; 201 also says where it is. */
static int api_reply(struct req *req, const struct kind *k, int status, int64_t id)
{
	void *x = arena_zalloc(req->arena, k->size);
	int rc;

	if (x == NULL)
		return resp_server_error(req, "allocating");
	rc = load(req, k, id, x);
	if (rc != 0)
		return rc;
	if (status == 201)
		resp_header(req, "location",
			    arena_printf(req->arena, "/api/v1/%s/%lld", k->coll, (long long)id));
	return resp_json(req, status, k->json(req, x));
}

/*
 * form_page() begins the page of a form titled title, under the page of
 * its person or family (back, crumb), with v's errors, posting to action.
 */
static struct buf *form_page(struct req *req, const char *back, const char *crumb, const char *title,
			     const char *action, const struct verrs *v)
{
	struct buf *b;

	page_crumb(req, back, crumb);
	page_crumb(req, NULL, title);
	b = page_begin(req, title);
	form_errors(b, v);
	form_begin(b, req, action, "form");
	return b;
}

/* form_done() ends a form with its primary button and Cancel back to back; the page's answer. */
static int form_done(struct req *req, struct buf *b, int status, const char *label, const char *back)
{
	html_raw(b, "<div class=\"actions\">");
	button(b, label, "primary");
	html_fmt(b, " <a class=\"btn secondary\" href=\"%s\">%s</a></div>", back, _("Cancel"));
	form_end(b);
	return page_end(req, status);
}

/*
 * commit() ends a create or update in its transaction: the audit row
 * (action, entity saved, detail), and *id = saved when it committed; the
 * answer as answer_write().
 */
static int commit(struct req *req, int rc, const char *action, const char *entity, int64_t *id,
		  int64_t saved, const char *detail)
{
	rc = tx_audit(req, rc, action, entity, saved, detail);
	if (rc == 0)
		*id = saved;
	return answer_write(req, rc);
}

/* textarea() writes a labelled textarea like field_input(). */
static void textarea(struct buf *b, const char *name, const char *label, const char *value,
		     const struct verrs *v)
{
	const char *err = v != NULL ? verrs_for(v, name) : NULL;

	html_fmt(b, "<div class=\"field wide\"><label for=\"f-%s\">%s</label>", name, label);
	if (err != NULL)
		html_fmt(b, "<p class=\"field-error\" id=\"f-%s-err\">%s</p>", name, err);
	html_fmt(b, "<textarea id=\"f-%s\" name=\"%s\" rows=\"5\"", name, name);
	if (err != NULL)
		html_fmt(b, " aria-invalid=\"true\" aria-describedby=\"f-%s-err\"", name);
	html_fmt(b, ">%s</textarea></div>", value != NULL ? value : "");
}

/* ------------------------------------------------------------------ */
/* Sections of the person and family pages                             */
/* ------------------------------------------------------------------ */

static void status_table(struct req *req, struct buf *b, const struct labour_status *s, int n)
{
	int i;

	if (n == 0) {
		html_fmt(b, "<p>%s</p>", _("No labour-market status recorded."));
		return;
	}
	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list\"><thead><tr><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th><th>%s</th><th></th></tr></thead><tbody>",
		 _("Status"), _("Period"), _("Reason for deregistration"), _("Assistance profile"),
		 _("Source"));
	for (i = 0; i < n; i++)
		html_fmt(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
			    "<td><a href=\"/statuses/%lld/edit\">%s</a></td></tr>",
			 labour_status_label(s[i].status), period_text(req, s[i].from_date, s[i].to_date),
			 s[i].dereg_reason != NULL ? labour_dereg_label(s[i].dereg_reason) : "",
			 s[i].profile != NULL ? s[i].profile : "", s[i].source != NULL ? s[i].source : "",
			 (long long)s[i].id, _("Edit"));
	html_raw(b, "</tbody></table></div>");
}

static void ltu_line(struct req *req, struct buf *b, const struct labour_status *s, int n)
{
	char t[16];
	int days, yes, i;

	for (i = 0; i < n && !str_eq(s[i].status, "registered_unemployed"); i++)
		;
	if (i == n)
		return; /* never registered: nothing to compute */
	registry_today(t);
	days = labour_ltu_days(s, n, t);
	yes = labour_long_term(s, n, t);
	if (days < 0)
		return;
	html_fmt(b, "<p class=\"ltu %s\" data-ltu=\"%d\"><strong>%s</strong> %s</p>", yes ? "yes" : "no",
		 yes, yes ? _("Long-term unemployed.") : _("Not long-term unemployed."),
		 arena_printf(req->arena,
			      _("Registered as unemployed for %d days in the last two years as of %s "
				"(long-term: more than 12 months, i.e. at least %d days; traineeships "
				"are not recorded here and are not left out)."),
			      days, reg_date(req, t), LTU_MIN_DAYS));
}

static void benefit_table(struct req *req, struct buf *b, const struct benefit *x, int n)
{
	int i;

	if (n == 0) {
		html_fmt(b, "<p>%s</p>", _("No benefit decisions recorded."));
		return;
	}
	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list\"><thead><tr><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th><th></th></tr></thead><tbody>",
		 _("Form of assistance"), _("Amount"), _("Period"), _("Decision"));
	for (i = 0; i < n; i++)
		html_fmt(b, "<tr><td>%s<br><small>%s</small></td><td class=\"num\">%s</td><td>%s</td>"
			    "<td>%s%s%s</td><td><a href=\"/benefits/%lld/edit\">%s</a></td></tr>",
			 x[i].form_label, x[i].legal_basis, money_format(req->arena, x[i].amount_grosze),
			 period_text(req, x[i].period_from, x[i].period_to),
			 x[i].decision_number != NULL ? x[i].decision_number : "",
			 x[i].decision_date != NULL ? " " : "",
			 x[i].decision_date != NULL
				 ? arena_printf(req->arena, _("of %s"), reg_date(req, x[i].decision_date))
				 : "",
			 (long long)x[i].id, _("Edit"));
	html_raw(b, "</tbody></table></div>");
}

int situation_person_sections(struct req *req, struct buf *out, int64_t person_id,
			      const struct policy_decision *d)
{
	struct policy_read r;
	struct labour_status *s;
	struct benefit *x;
	int n, m;

	req_policy_read(req, POLICY_PERSON, PURPOSE_CASEWORK, &r);
	if (d == NULL) { /* the caller did not keep its decision: decide again (not recorded twice) */
		if (situation_decide(&r, POLICY_PERSON, person_id) < 0)
			return resp_server_error(req, "deciding a read");
		d = &r.decision;
	}
	if (!d->allowed || !(d->mask & SENS_BIT(SENS_SOCIAL)))
		return 0;
	r.decision = *d;
	n = status_list(&r, person_id, &s);
	m = n < 0 ? n : benefit_list(&r, person_id, &x);
	if (n < 0 || m < 0)
		return resp_server_error(req, "reading the situation of a person");
	html_fmt(out, "<section class=\"card situation labour\" id=\"labour\"><h2>%s</h2>",
		 _("Labour-market status"));
	ltu_line(req, out, s, n);
	status_table(req, out, s, n);
	html_fmt(out, "<p><a class=\"btn secondary\" href=\"/persons/%lld/statuses/new\">%s</a></p>"
		      "</section>",
		 (long long)person_id, _("Add a status period"));
	html_fmt(out, "<section class=\"card situation benefits\" id=\"benefits\"><h2>%s</h2>",
		 _("Benefits granted"));
	benefit_table(req, out, x, m);
	html_fmt(out, "<p><a class=\"btn secondary\" href=\"/persons/%lld/benefits/new\">%s</a></p>"
		      "</section>",
		 (long long)person_id, _("Add a benefit decision"));
	return 0;
}

static void reason_table(struct req *req, struct buf *b, const struct family_reason *x, int n)
{
	int i;

	if (n == 0) {
		html_fmt(b, "<p>%s</p>", _("No reasons for assistance recorded."));
		return;
	}
	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list\"><thead><tr><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th><th></th></tr></thead><tbody>",
		 _("Reason"), _("Legal basis"), _("Period"), _("Note"));
	for (i = 0; i < n; i++) {
		html_fmt(b, "<tr data-reason=\"%s\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>"
			    "<a href=\"/reasons/%lld/edit\">%s</a>",
			 x[i].reason_code, x[i].label, x[i].legal_basis,
			 period_text(req, x[i].period_from, x[i].period_to),
			 x[i].note != NULL ? x[i].note : "", (long long)x[i].id, _("Edit"));
		if (x[i].period_to == NULL)
			html_fmt(b, " · <a href=\"/reasons/%lld/end\">%s</a>", (long long)x[i].id, _("End"));
		html_raw(b, "</td></tr>");
	}
	html_raw(b, "</tbody></table></div>");
}

int situation_family_sections(struct req *req, struct buf *out, int64_t family_id,
			      const struct policy_decision *d)
{
	struct policy_read r;
	struct family_reason *x;
	struct interview *iv;
	int n, m = 0, i;

	req_policy_read(req, POLICY_FAMILY, PURPOSE_CASEWORK, &r);
	if (d == NULL) { /* the caller did not keep its decision: decide again (not recorded twice) */
		if (situation_decide(&r, POLICY_FAMILY, family_id) < 0)
			return resp_server_error(req, "deciding a read");
		d = &r.decision;
	}
	if (!d->allowed || !(d->mask & SENS_BIT(SENS_SOCIAL)))
		return 0;
	r.decision = *d;
	n = reason_list(&r, family_id, &x);
	if (n >= 0 && interviews_allowed(req, d))
		m = interview_list(&r, family_id, &iv);
	if (n < 0 || m < 0)
		return resp_server_error(req, "reading the situation of a family");
	html_fmt(out, "<section class=\"card situation reasons\" id=\"reasons\"><h2>%s</h2>",
		 _("Reasons for assistance"));
	reason_table(req, out, x, n);
	html_fmt(out, "<p><a class=\"btn secondary\" href=\"/families/%lld/reasons/new\">%s</a></p>"
		      "</section>",
		 (long long)family_id, _("Add reasons"));
	if (!interviews_allowed(req, d))
		return 0;
	html_fmt(out, "<section class=\"card situation interviews\" id=\"interviews\"><h2>%s</h2>",
		 _("Community interviews"));
	if (m == 0)
		html_fmt(out, "<p>%s</p>", _("No community interview recorded."));
	else
		html_raw(out, "<ul>");
	for (i = 0; i < m; i++)
		html_fmt(out, "<li><a href=\"/interviews/%lld\">%s</a> — %s</li>", (long long)iv[i].id,
			 arena_printf(req->arena, _("Interview of %s"), reg_date(req, iv[i].interview_date)),
			 iv[i].worker_name != NULL ? iv[i].worker_name : "");
	if (m > 0)
		html_raw(out, "</ul>");
	html_fmt(out, "<p><a class=\"btn secondary\" href=\"/families/%lld/interviews/new\">%s</a></p>"
		      "</section>",
		 (long long)family_id, _("Add a community interview"));
	return 0;
}

/* The sections on their own pages (until and besides the person and family pages). */
static int h_situation_person(struct req *req)
{
	struct policy_read r;
	struct buf *b;
	int rc = decide(req, &r, POLICY_PERSON, req->id);

	if (rc != 0)
		return rc;
	page_crumb(req, reg_person_href(req, req->id), _("Person"));
	page_crumb(req, NULL, _("Situation"));
	b = page_begin(req, _("Situation of the person"));
	rc = situation_person_sections(req, b, req->id, &r.decision);
	return rc != 0 ? rc : page_end(req, 200);
}

static int h_situation_family(struct req *req)
{
	struct policy_read r;
	struct buf *b;
	int rc = decide(req, &r, POLICY_FAMILY, req->id);

	if (rc != 0)
		return rc;
	page_crumb(req, reg_family_href(req, req->id), _("Family"));
	page_crumb(req, NULL, _("Situation"));
	b = page_begin(req, _("Situation of the family"));
	rc = situation_family_sections(req, b, req->id, &r.decision);
	return rc != 0 ? rc : page_end(req, 200);
}

/* ------------------------------------------------------------------ */
/* Reasons                                                             */
/* ------------------------------------------------------------------ */

enum { RF_CODE, RF_FROM, RF_TO, RF_NOTE, NRF };

static const struct field reason_fields[NRF] = {
	[RF_CODE] = { "reason_code", N_("Reason"), F_TEXT, 0, 0, 40 },
	[RF_FROM] = { "period_from", N_("Period from"), F_TEXT, 0, 0, 20 },
	[RF_TO] = { "period_to", N_("Period to"), F_TEXT, 0, 0, 20 },
	[RF_NOTE] = { "note", N_("Note"), F_TEXT, 0, 0, 2000 },
};

/* The reasons this reader may choose, as options and as the codes input_read() accepts. */
struct reason_choices {
	struct reason_def *defs;
	struct option *opts;
	const char **codes;
	int n;
};

static int reason_choices(struct req *req, unsigned mask, struct reason_choices *c)
{
	char t[16];
	int i, k = 0;

	c->n = reason_dictionary(req->db, req->arena, mask, &c->defs);
	if (c->n < 0)
		return -1;
	c->opts = arena_zalloc(req->arena, sizeof(*c->opts) * (size_t)(c->n + 1));
	c->codes = arena_zalloc(req->arena, sizeof(*c->codes) * (size_t)(c->n + 1));
	if (c->opts == NULL || c->codes == NULL)
		return -1;
	registry_today(t);
	for (i = 0; i < c->n; i++) {
		const struct reason_def *d = &c->defs[i];

		c->codes[i] = d->code; /* every code is accepted; validity is the domain's check */
		if (d->valid_to != NULL && strcmp(d->valid_to, t) < 0)
			continue; /* repealed: not offered on the form */
		c->opts[k].value = d->code;
		c->opts[k].label = arena_printf(req->arena, "%s%s (%s)", d->parent_code != NULL ? "— " : "",
						d->label, d->legal_basis);
		k++;
	}
	c->codes[c->n] = NULL;
	c->n = k;
	return 0;
}

static unsigned req_mask(const struct req *req)
{
	return policy_mask(req->sess != NULL ? req->sess->roles : 0, PURPOSE_CASEWORK);
}

/* reason_form() is the page to add reasons (r->id 0: several at once) or edit one. */
static int reason_form(struct req *req, int status, int64_t family_id, const struct family_reason *r,
		       const char *const *picked, int npicked, const struct verrs *v)
{
	struct reason_choices c;
	const char *title = r->id == 0 ? _("Add reasons for assistance") : _("Edit the reason for assistance");
	struct buf *b;
	int *checked, i, j;

	if (reason_choices(req, req_mask(req), &c) != 0)
		return resp_server_error(req, "reading the reasons");
	b = form_page(req, reg_family_href(req, family_id), _("Family"), title,
		      r->id == 0 ? arena_printf(req->arena, "/families/%lld/reasons/new",
						(long long)family_id)
				 : arena_printf(req->arena, "/reasons/%lld/edit", (long long)r->id),
		      v);
	if (r->id == 0) {
		checked = arena_zalloc(req->arena, sizeof(int) * (size_t)(c.n + 1));
		for (i = 0; checked != NULL && i < c.n; i++)
			for (j = 0; j < npicked; j++)
				checked[i] |= str_eq(c.opts[i].value, picked[j]);
		field_checks(b, "reason_code", _("Reasons (art. 7 u.p.s.)"), c.opts, c.n, checked, v,
			     W_REQUIRED, _("Choose every reason that applies; each is kept with the period below."));
	} else {
		field_select(b, "reason_code", _("Reason"), c.opts, c.n, r->reason_code, _("— choose —"), v,
			     W_REQUIRED | W_WIDE, NULL);
	}
	field_input(b, "date", "period_from", _("Period from"), r->period_from, v, W_REQUIRED | W_NARROW,
		    NULL, NULL);
	field_input(b, "date", "period_to", _("Period to"), r->period_to, v, W_NARROW,
		    _("Leave empty while the reason lasts."), NULL);
	textarea(b, "note", _("Note"), r->note, v);
	return form_done(req, b, status, _("Save"), reg_family_href(req, family_id));
}

static void reason_in(struct req *req, const struct input *x, struct family_reason *r)
{
	(void)req;
	r->reason_code = x[RF_CODE].text;
	r->period_from = x[RF_FROM].text;
	r->period_to = x[RF_TO].text;
	r->note = x[RF_NOTE].text;
}

/*
 * create_reasons() validates and creates one reason per code for the
 * family, all or none, with one audit row. 0 (ids[] set), 1 refused (v),
 * or an answered status.
 */
static int create_reasons(struct req *req, int64_t family_id, struct family_reason *tmpl,
			  const char *const *codes, int n, int64_t *ids, struct verrs *v)
{
	struct registry_writer w;
	int i, rc = 0;

	reg_session_writer(req, &w);
	if (n == 0)
		verrs_add(v, "reason_code", "required", "%s", _("Reason: choose a reason for assistance."));
	for (i = 0; i < n; i++) {
		struct family_reason r = *tmpl;

		r.reason_code = codes[i];
		r.family_id = family_id;
		if (reason_validate(req->db, req->arena, &r, req_mask(req), v) < 0)
			return resp_server_error(req, "checking a reason");
	}
	if (v->n > 0)
		return 1;
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	for (i = 0; i < n && rc == 0; i++) {
		struct family_reason r = *tmpl;

		r.reason_code = codes[i];
		r.family_id = family_id;
		reason_validate(req->db, req->arena, &r, req_mask(req), v); /* normalises */
		rc = reason_create(req->db, req->arena, &w, &r, &ids[i], v);
	}
	rc = tx_audit(req, rc, "reason.create", "family", family_id, NULL);
	return answer_write(req, rc);
}

static int h_reason_new(struct req *req)
{
	struct policy_read r;
	struct family_reason x = { 0 };
	char t[16];
	int rc = decide(req, &r, POLICY_FAMILY, req->id);

	if (rc != 0)
		return rc;
	registry_today(t);
	x.period_from = t;
	return reason_form(req, 200, req->id, &x, NULL, 0, NULL);
}

static int h_reason_create(struct req *req)
{
	struct field f[NRF];
	struct input x[NRF];
	struct reason_choices c;
	struct family_reason tmpl = { 0 };
	struct verrs v = VERRS_INIT;
	struct policy_read r;
	int64_t *ids;
	int rc = decide(req, &r, POLICY_FAMILY, req->id);

	if (rc != 0)
		return rc;
	if (reason_choices(req, req_mask(req), &c) != 0)
		return resp_server_error(req, "reading the reasons");
	memcpy(f, reason_fields, sizeof(f));
	f[RF_CODE].type = F_MULTI;
	f[RF_CODE].choices = c.codes;
	input_read(req, f, NRF, x, &v);
	reason_in(req, x, &tmpl);
	ids = arena_zalloc(req->arena, sizeof(*ids) * (size_t)(x[RF_CODE].nmulti + 1));
	if (ids == NULL)
		return resp_server_error(req, "allocating");
	if (v.n == 0)
		rc = create_reasons(req, req->id, &tmpl, x[RF_CODE].multi, x[RF_CODE].nmulti, ids, &v);
	else
		rc = 1;
	if (rc == 1) {
		input_order_errors(f, NRF, &v);
		return reason_form(req, 422, req->id, &tmpl, x[RF_CODE].multi, x[RF_CODE].nmulti, &v);
	}
	if (rc != 0)
		return rc;
	return resp_redirect(req, reg_family_href(req, req->id),
			     arena_printf(req->arena,
					  i18n_ngettext("Saved %d reason for assistance.",
							"Saved %d reasons for assistance.",
							(unsigned long)x[RF_CODE].nmulti),
					  x[RF_CODE].nmulti));
}

static int h_reason_edit(struct req *req)
{
	struct family_reason x;
	int rc = load(req, &reasons, req->id, &x);

	return rc != 0 ? rc : reason_form(req, 200, x.family_id, &x, NULL, 0, NULL);
}

/* update_reason() validates and saves x (x->id set) with its audit row; 0, 1 (v) or answered. */
static int update_reason(struct req *req, struct family_reason *x, struct verrs *v)
{
	struct registry_writer w;
	int rc;

	reg_session_writer(req, &w);
	if (reason_validate(req->db, req->arena, x, req_mask(req), v) < 0)
		return resp_server_error(req, "checking a reason");
	if (v->n > 0)
		return 1;
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = reason_update(req->db, req->arena, &w, x, v);
	rc = tx_audit(req, rc, "reason.update", "reason", x->id, x->reason_code);
	return answer_write(req, rc);
}

static int h_reason_update(struct req *req)
{
	struct family_reason old, x = { 0 };
	struct input in[NRF];
	struct verrs v = VERRS_INIT;
	int rc = load(req, &reasons, req->id, &old);

	if (rc != 0)
		return rc;
	input_read(req, reason_fields, NRF, in, &v);
	reason_in(req, in, &x);
	x.id = old.id;
	x.family_id = old.family_id;
	rc = v.n > 0 ? 1 : update_reason(req, &x, &v);
	if (rc == 1)
		return reason_form(req, 422, old.family_id, &x, NULL, 0, &v);
	if (rc != 0)
		return rc;
	return resp_redirect(req, reg_family_href(req, old.family_id), _("Saved the reason for assistance."));
}

static int end_form(struct req *req, int status, const struct family_reason *x, const char *date,
		    const struct verrs *v)
{
	const char *title = _("End the reason for assistance");
	struct buf *b;

	page_crumb(req, reg_family_href(req, x->family_id), _("Family"));
	page_crumb(req, NULL, title);
	b = page_begin(req, title);
	form_errors(b, v);
	html_fmt(b, "<p>%s</p>",
		 arena_printf(req->arena, _("%s (%s), %s."), x->label, x->legal_basis,
			      period_text(req, x->period_from, x->period_to)));
	form_begin(b, req, arena_printf(req->arena, "/reasons/%lld/end", (long long)x->id), "form");
	field_input(b, "date", "period_to", _("Period to"), date, v, W_REQUIRED | W_NARROW,
		    _("The last day the reason applied."), NULL);
	return form_done(req, b, status, _("End the reason"), reg_family_href(req, x->family_id));
}

static int h_reason_end_form(struct req *req)
{
	struct family_reason x;
	char t[16];
	int rc = load(req, &reasons, req->id, &x);

	registry_today(t);
	return rc != 0 ? rc : end_form(req, 200, &x, t, NULL);
}

/* end_reason() ends reason x on date with its audit row; 0, 1 (v) or answered. */
static int end_reason(struct req *req, const struct family_reason *x, const char *date, struct verrs *v)
{
	struct registry_writer w;
	int rc;

	reg_session_writer(req, &w);
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = reason_end(req->db, req->arena, &w, x->id, date, v);
	rc = tx_audit(req, rc, "reason.end", "reason", x->id, date);
	return answer_write(req, rc);
}

static int h_reason_end(struct req *req)
{
	static const struct field f[] = { { "period_to", N_("Period to"), F_TEXT, 0, 0, 20 } };
	struct family_reason x;
	struct input in[1];
	struct verrs v = VERRS_INIT;
	int rc = load(req, &reasons, req->id, &x);

	if (rc != 0)
		return rc;
	input_read(req, f, 1, in, &v);
	rc = v.n > 0 ? 1 : end_reason(req, &x, in[0].text, &v);
	if (rc == 1)
		return end_form(req, 422, &x, in[0].text, &v);
	if (rc != 0)
		return rc;
	return resp_redirect(req, reg_family_href(req, x.family_id),
			     _("The reason for assistance has ended."));
}

static json_t *reason_json(struct req *req, const void *x)
{
	const struct family_reason *r = x;

	(void)req;
	return json_pack("{s:I, s:I, s:s, s:s?, s:s?, s:s, s:s?, s:s?}", "id", (json_int_t)r->id,
			 "family_id", (json_int_t)r->family_id, "reason_code", r->reason_code, "label",
			 r->label, "legal_basis", r->legal_basis, "period_from", r->period_from,
			 "period_to", r->period_to, "note", r->note);
}

static int h_api_reason_list(struct req *req)
{
	return api_list(req, &reasons);
}

static int h_api_reason_create(struct req *req)
{
	struct input x[NRF];
	struct family_reason tmpl = { 0 };
	struct verrs v = VERRS_INIT;
	struct policy_read r;
	int64_t id = 0;
	const char *code;
	int rc = decide(req, &r, POLICY_FAMILY, req->id);

	if (rc != 0)
		return rc;
	input_read(req, reason_fields, NRF, x, &v);
	reason_in(req, x, &tmpl);
	code = tmpl.reason_code;
	rc = v.n > 0 ? 1 : create_reasons(req, req->id, &tmpl, &code, str_empty(code) ? 0 : 1, &id, &v);
	if (rc == 1)
		return resp_api_verrs(req, &v);
	return rc != 0 ? rc : api_reply(req, &reasons, 201, id);
}

static int h_api_reason_update(struct req *req)
{
	struct family_reason old, x = { 0 };
	struct input in[NRF];
	struct verrs v = VERRS_INIT;
	int rc = load(req, &reasons, req->id, &old);

	if (rc != 0)
		return rc;
	input_read(req, reason_fields, NRF, in, &v);
	reason_in(req, in, &x);
	x.id = old.id;
	x.family_id = old.family_id;
	rc = v.n > 0 ? 1 : update_reason(req, &x, &v);
	if (rc == 1)
		return resp_api_verrs(req, &v);
	return rc != 0 ? rc : api_reply(req, &reasons, 200, x.id);
}

/* DELETE ends the reason (a reason is history, never erased): on period_to, or today. */
static int h_api_reason_end(struct req *req)
{
	static const struct field f[] = { { "period_to", N_("Period to"), F_TEXT, 0, 0, 20 } };
	struct family_reason x;
	struct input in[1];
	struct verrs v = VERRS_INIT;
	char t[16];
	int rc = load(req, &reasons, req->id, &x);

	if (rc != 0)
		return rc;
	registry_today(t);
	in[0].text = "";
	if (req->json != NULL)
		input_read(req, f, 1, in, &v);
	rc = v.n > 0 ? 1 : end_reason(req, &x, str_empty(in[0].text) ? t : in[0].text, &v);
	if (rc == 1)
		return resp_api_verrs(req, &v);
	return rc != 0 ? rc : api_reply(req, &reasons, 200, x.id);
}

/* ------------------------------------------------------------------ */
/* Labour-market status                                                */
/* ------------------------------------------------------------------ */

enum { SF_STATUS, SF_FROM, SF_TO, SF_DEREG, SF_PROFILE, SF_SOURCE, NSF };

static const struct field status_fields[NSF] = {
	[SF_STATUS] = { "status", N_("Status"), F_TEXT, 0, 0, 40 },
	[SF_FROM] = { "from_date", N_("From"), F_TEXT, 0, 0, 20 },
	[SF_TO] = { "to_date", N_("To"), F_TEXT, 0, 0, 20 },
	[SF_DEREG] = { "dereg_reason", N_("Reason for deregistration"), F_TEXT, 0, 0, 40 },
	[SF_PROFILE] = { "profile", N_("Assistance profile"), F_TEXT, 0, 0, 10 },
	[SF_SOURCE] = { "source", N_("Source"), F_TEXT, 0, 0, 200 },
};

static void status_in(const struct input *x, struct labour_status *s)
{
	s->status = x[SF_STATUS].text;
	s->from_date = x[SF_FROM].text;
	s->to_date = x[SF_TO].text;
	s->dereg_reason = x[SF_DEREG].text;
	s->profile = x[SF_PROFILE].text;
	s->source = x[SF_SOURCE].text;
}

static int status_form(struct req *req, int status, const struct labour_status *s, const struct verrs *v)
{
	const char *title = s->id == 0 ? _("Add a labour-market status period")
				       : _("Edit the labour-market status period");
	struct option st[8], dr[12], pr[4];
	struct buf *b;
	int i;

	for (i = 0; labour_statuses[i] != NULL; i++)
		st[i] = (struct option){ labour_statuses[i], labour_status_label(labour_statuses[i]) };
	for (i = 0; labour_dereg_reasons[i] != NULL; i++)
		dr[i] = (struct option){ labour_dereg_reasons[i], labour_dereg_label(labour_dereg_reasons[i]) };
	for (i = 0; labour_profiles[i] != NULL; i++)
		pr[i] = (struct option){ labour_profiles[i], labour_profiles[i] };
	b = form_page(req, reg_person_href(req, s->person_id), _("Person"), title,
		      s->id == 0 ? arena_printf(req->arena, "/persons/%lld/statuses/new",
						(long long)s->person_id)
				 : arena_printf(req->arena, "/statuses/%lld/edit", (long long)s->id),
		      v);
	field_select(b, "status", _("Status"), st, 4, s->status, _("— choose —"), v, W_REQUIRED, NULL);
	field_input(b, "date", "from_date", _("From"), s->from_date, v, W_REQUIRED | W_NARROW, NULL, NULL);
	field_input(b, "date", "to_date", _("To"), s->to_date, v, W_NARROW,
		    _("Leave empty while the status lasts."), NULL);
	field_select(b, "dereg_reason", _("Reason for deregistration"), dr, 7, s->dereg_reason, "", v, 0,
		     _("Only for an ended registration as unemployed."));
	field_select(b, "profile", _("Assistance profile"), pr, 3, s->profile, "", v, 0,
		     _("Profiles I–III were assigned by labour offices from 27.05.2014 to 14.06.2019 only."));
	field_input(b, "text", "source", _("Source"), s->source, v, 0,
		    _("Where the information comes from, e.g. a PUP certificate or the person's statement."),
		    NULL);
	return form_done(req, b, status, _("Save"), reg_person_href(req, s->person_id));
}

/* save_status() validates and creates (s->id 0) or updates s with its audit row. */
static int save_status(struct req *req, struct labour_status *s, struct verrs *v)
{
	struct registry_writer w;
	int64_t id = s->id;
	int rc;

	reg_session_writer(req, &w);
	if (status_validate(s, req->arena, v) > 0)
		return 1;
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = s->id == 0 ? status_create(req->db, req->arena, &w, s, &id, v)
			: status_update(req->db, req->arena, &w, s, v);
	return commit(req, rc, s->id == 0 ? "status.create" : "status.update", "status", &s->id, id,
		      s->status);
}

static int status_post(struct req *req, struct labour_status *s, int api)
{
	struct input x[NSF];
	struct verrs v = VERRS_INIT;
	int rc;

	input_read(req, status_fields, NSF, x, &v);
	status_in(x, s);
	rc = v.n > 0 ? 1 : save_status(req, s, &v);
	if (rc == 1 && api)
		return resp_api_verrs(req, &v);
	if (rc == 1) {
		input_order_errors(status_fields, NSF, &v);
		return status_form(req, 422, s, &v);
	}
	return rc != 0 ? rc : -1;
}

static int h_status_new(struct req *req)
{
	struct policy_read r;
	struct labour_status s = { .person_id = req->id };
	int rc = decide(req, &r, POLICY_PERSON, req->id);

	return rc != 0 ? rc : status_form(req, 200, &s, NULL);
}

static int h_status_create(struct req *req)
{
	struct policy_read r;
	struct labour_status s = { .person_id = req->id };
	int rc = decide(req, &r, POLICY_PERSON, req->id);

	if (rc != 0)
		return rc;
	rc = status_post(req, &s, 0);
	return rc != -1 ? rc
			: resp_redirect(req, reg_person_href(req, req->id), _("Saved the status period."));
}

static int h_status_edit(struct req *req)
{
	struct labour_status s;
	int rc = load(req, &statuses, req->id, &s);

	return rc != 0 ? rc : status_form(req, 200, &s, NULL);
}

static int h_status_update(struct req *req)
{
	struct labour_status old, s = { 0 };
	int rc = load(req, &statuses, req->id, &old);

	if (rc != 0)
		return rc;
	s.id = old.id;
	s.person_id = old.person_id;
	rc = status_post(req, &s, 0);
	return rc != -1 ? rc
			: resp_redirect(req, reg_person_href(req, old.person_id),
					_("Saved the status period."));
}

static json_t *status_json(struct req *req, const void *x)
{
	const struct labour_status *s = x;

	(void)req;
	return json_pack("{s:I, s:I, s:s, s:s, s:s?, s:s?, s:s?, s:s?}", "id", (json_int_t)s->id,
			 "person_id", (json_int_t)s->person_id, "status", s->status, "from_date",
			 s->from_date, "to_date", s->to_date, "dereg_reason", s->dereg_reason, "profile",
			 s->profile, "source", s->source);
}

static int h_api_status_list(struct req *req)
{
	return api_list(req, &statuses);
}

static int h_api_status_create(struct req *req)
{
	struct policy_read r;
	struct labour_status s = { .person_id = req->id };
	int rc = decide(req, &r, POLICY_PERSON, req->id);

	if (rc != 0)
		return rc;
	rc = status_post(req, &s, 1);
	return rc != -1 ? rc : api_reply(req, &statuses, 201, s.id);
}

static int h_api_status_update(struct req *req)
{
	struct labour_status old, s = { 0 };
	int rc = load(req, &statuses, req->id, &old);

	if (rc != 0)
		return rc;
	s.id = old.id;
	s.person_id = old.person_id;
	rc = status_post(req, &s, 1);
	return rc != -1 ? rc : api_reply(req, &statuses, 200, s.id);
}

/* ------------------------------------------------------------------ */
/* Benefits                                                            */
/* ------------------------------------------------------------------ */

enum { BF_FORM, BF_AMOUNT, BF_FROM, BF_TO, BF_NUMBER, BF_DATE, BF_FAMILY, NBF };

static const struct field benefit_fields[NBF] = {
	[BF_FORM] = { "form_code", N_("Form of assistance"), F_TEXT, 0, 0, 40 },
	[BF_AMOUNT] = { "amount", N_("Amount"), F_TEXT, 0, 0, 40 },
	[BF_FROM] = { "period_from", N_("Period from"), F_TEXT, 0, 0, 20 },
	[BF_TO] = { "period_to", N_("Period to"), F_TEXT, 0, 0, 20 },
	[BF_NUMBER] = { "decision_number", N_("Decision number"), F_TEXT, 0, 0, 100 },
	[BF_DATE] = { "decision_date", N_("Decision date"), F_TEXT, 0, 0, 20 },
	[BF_FAMILY] = { "family_id", N_("Family"), F_INT, 0, 0, INT64_MAX },
};

/*
 * The API takes the amount as amount_grosze (an integer) or amount (text
 * in złoty, as the form); the form sends amount only.
 */
enum { BA_GROSZE = NBF, NBA };
static const struct field benefit_api_fields[NBA] = {
	[BF_FORM] = { "form_code", N_("Form of assistance"), F_TEXT, 0, 0, 40 },
	[BF_AMOUNT] = { "amount", N_("Amount"), F_TEXT, 0, 0, 40 },
	[BF_FROM] = { "period_from", N_("Period from"), F_TEXT, 0, 0, 20 },
	[BF_TO] = { "period_to", N_("Period to"), F_TEXT, 0, 0, 20 },
	[BF_NUMBER] = { "decision_number", N_("Decision number"), F_TEXT, 0, 0, 100 },
	[BF_DATE] = { "decision_date", N_("Decision date"), F_TEXT, 0, 0, 20 },
	[BF_FAMILY] = { "family_id", N_("Family"), F_INT, 0, 0, INT64_MAX },
	[BA_GROSZE] = { "amount_grosze", N_("Amount"), F_INT, 0, 0, MONEY_MAX_GROSZE },
};

/* benefit_in() fills b from x; returns the amount text to parse (NULL when amount_grosze was given). */
static const char *benefit_in(const struct input *x, int api, struct benefit *b)
{
	b->form_code = x[BF_FORM].text;
	b->period_from = x[BF_FROM].text;
	b->period_to = x[BF_TO].text;
	b->decision_number = x[BF_NUMBER].text;
	b->decision_date = x[BF_DATE].text;
	if (api || x[BF_FAMILY].present) /* the page has no family field: it keeps b's */
		b->family_id = x[BF_FAMILY].present ? x[BF_FAMILY].num : 0;
	b->amount_grosze = -1;
	if (api && x[BA_GROSZE].present && !x[BF_AMOUNT].present) {
		b->amount_grosze = x[BA_GROSZE].num;
		return NULL;
	}
	return x[BF_AMOUNT].text;
}

static int benefit_form_page(struct req *req, int status, const struct benefit *x, const char *amount,
			     const struct verrs *v)
{
	const char *title = x->id == 0 ? _("Add a benefit decision") : _("Edit the benefit decision");
	struct form_def *forms;
	struct option *opts;
	struct buf *b;
	int n = benefit_forms(req->db, req->arena, &forms), i;

	if (n < 0)
		return resp_server_error(req, "reading the forms of assistance");
	opts = arena_zalloc(req->arena, sizeof(*opts) * (size_t)(n + 1));
	if (opts == NULL)
		return resp_server_error(req, "allocating");
	for (i = 0; i < n; i++)
		opts[i] = (struct option){ forms[i].code,
					   arena_printf(req->arena, "%s (%s)%s", forms[i].label,
							forms[i].legal_basis,
							forms[i].cash ? _(" — in money") : "") };
	b = form_page(req, reg_person_href(req, x->person_id), _("Person"), title,
		      x->id == 0 ? arena_printf(req->arena, "/persons/%lld/benefits/new",
						(long long)x->person_id)
				 : arena_printf(req->arena, "/benefits/%lld/edit", (long long)x->id),
		      v);
	field_select(b, "form_code", _("Form of assistance"), opts, n, x->form_code, _("— choose —"), v,
		     W_REQUIRED | W_WIDE, NULL);
	field_input(b, "text", "amount", _("Amount"),
		    amount != NULL ? amount : money_input(req->arena, x->amount_grosze), v, W_NARROW,
		    _("In złoty with a decimal comma, e.g. 1 234,56; only for allowances paid in money."),
		    NULL);
	field_input(b, "date", "period_from", _("Period from"), x->period_from, v, W_REQUIRED | W_NARROW,
		    NULL, NULL);
	field_input(b, "date", "period_to", _("Period to"), x->period_to, v, W_NARROW, NULL, NULL);
	field_input(b, "text", "decision_number", _("Decision number"), x->decision_number, v, 0, NULL,
		    NULL);
	field_input(b, "date", "decision_date", _("Decision date"), x->decision_date, v, W_NARROW, NULL,
		    NULL);
	return form_done(req, b, status, _("Save"), reg_person_href(req, x->person_id));
}

static int save_benefit(struct req *req, struct benefit *x, const char *amount, struct verrs *v)
{
	struct registry_writer w;
	int64_t id = x->id;
	int rc;

	reg_session_writer(req, &w);
	rc = benefit_validate(req->db, req->arena, x, amount, v);
	if (rc < 0)
		return resp_server_error(req, "checking a benefit");
	if (rc > 0)
		return 1;
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = x->id == 0 ? benefit_create(req->db, req->arena, &w, x, &id, v)
			: benefit_update(req->db, req->arena, &w, x, v);
	return commit(req, rc, x->id == 0 ? "benefit.create" : "benefit.update", "benefit", &x->id, id,
		      x->form_code);
}

static int h_benefit_new(struct req *req)
{
	struct policy_read r;
	struct benefit x = { .person_id = req->id, .amount_grosze = -1 };
	int rc = decide(req, &r, POLICY_PERSON, req->id);

	return rc != 0 ? rc : benefit_form_page(req, 200, &x, NULL, NULL);
}

static int benefit_post(struct req *req, struct benefit *x, int api)
{
	struct input in[NBA];
	struct verrs v = VERRS_INIT;
	const char *amount;
	int rc;

	input_read(req, api ? benefit_api_fields : benefit_fields, api ? NBA : NBF, in, &v);
	amount = benefit_in(in, api, x);
	rc = v.n > 0 ? 1 : save_benefit(req, x, amount, &v);
	if (rc == 1 && api)
		return resp_api_verrs(req, &v);
	if (rc == 1) {
		input_order_errors(benefit_fields, NBF, &v);
		return benefit_form_page(req, 422, x, amount, &v);
	}
	return rc != 0 ? rc : -1;
}

static int h_benefit_create(struct req *req)
{
	struct policy_read r;
	struct benefit x = { .person_id = req->id };
	int rc = decide(req, &r, POLICY_PERSON, req->id);

	if (rc != 0)
		return rc;
	rc = benefit_post(req, &x, 0);
	return rc != -1 ? rc
			: resp_redirect(req, reg_person_href(req, req->id), _("Saved the benefit decision."));
}

static int h_benefit_edit(struct req *req)
{
	struct benefit x;
	int rc = load(req, &benefits, req->id, &x);

	return rc != 0 ? rc : benefit_form_page(req, 200, &x, NULL, NULL);
}

static int h_benefit_update(struct req *req)
{
	struct benefit old, x = { 0 };
	int rc = load(req, &benefits, req->id, &old);

	if (rc != 0)
		return rc;
	x.id = old.id;
	x.person_id = old.person_id;
	x.family_id = old.family_id;
	rc = benefit_post(req, &x, 0);
	return rc != -1 ? rc
			: resp_redirect(req, reg_person_href(req, old.person_id),
					_("Saved the benefit decision."));
}

static json_t *benefit_json(struct req *req, const void *p)
{
	const struct benefit *x = p;
	json_t *j = json_pack("{s:I, s:I, s:s, s:s?, s:b, s:s, s:s?, s:s?, s:s?}", "id", (json_int_t)x->id,
			      "person_id", (json_int_t)x->person_id, "form_code", x->form_code, "form_label",
			      x->form_label, "cash", x->cash, "period_from", x->period_from, "period_to",
			      x->period_to, "decision_number", x->decision_number, "decision_date",
			      x->decision_date);

	json_object_set_new(j, "family_id", x->family_id > 0 ? json_integer(x->family_id) : json_null());
	json_object_set_new(j, "amount_grosze",
			    x->amount_grosze >= 0 ? json_integer(x->amount_grosze) : json_null());
	json_object_set_new(j, "amount", x->amount_grosze >= 0
						 ? json_string(money_format(req->arena, x->amount_grosze))
						 : json_null());
	return j;
}

static int h_api_benefit_list(struct req *req)
{
	return api_list(req, &benefits);
}

static int h_api_benefit_create(struct req *req)
{
	struct policy_read r;
	struct benefit x = { .person_id = req->id };
	int rc = decide(req, &r, POLICY_PERSON, req->id);

	if (rc != 0)
		return rc;
	rc = benefit_post(req, &x, 1);
	return rc != -1 ? rc : api_reply(req, &benefits, 201, x.id);
}

static int h_api_benefit_update(struct req *req)
{
	struct benefit old, x = { 0 };
	int rc = load(req, &benefits, req->id, &old);

	if (rc != 0)
		return rc;
	x.id = old.id;
	x.person_id = old.person_id;
	rc = benefit_post(req, &x, 1);
	return rc != -1 ? rc : api_reply(req, &benefits, 200, x.id);
}

/* ------------------------------------------------------------------ */
/* Community interviews                                                */
/* ------------------------------------------------------------------ */

enum { IF_DATE, IF_PERSON, IF_WORKER, IF_AREAS, NIF = IF_AREAS + INTERVIEW_NAREAS };

static struct field interview_fields[NIF] = {
	[IF_DATE] = { "interview_date", N_("Date of the interview"), F_TEXT, 0, 0, 20 },
	[IF_PERSON] = { "person_id", N_("Person interviewed"), F_INT, 0, 0, INT64_MAX },
	[IF_WORKER] = { "worker_id", N_("Worker"), F_INT, 0, 0, INT64_MAX },
};

/* fields() completes the area fields of the table once (their names are the domain's). */
static const struct field *ifields(void)
{
	int k;

	if (interview_fields[IF_AREAS].name == NULL)
		for (k = 0; k < INTERVIEW_NAREAS; k++)
			interview_fields[IF_AREAS + k] = (struct field){ interview_areas[k],
									 interview_area_labels[k], F_TEXT,
									 0, 0, 20000 };
	return interview_fields;
}

/* interview_in() fills i from x; the page, which has no person and worker fields, keeps i's. */
static void interview_in(const struct input *x, int api, struct interview *i)
{
	int k;

	i->interview_date = x[IF_DATE].text;
	if (api || x[IF_PERSON].present)
		i->person_id = x[IF_PERSON].present ? x[IF_PERSON].num : 0;
	if (api || x[IF_WORKER].present)
		i->worker_id = x[IF_WORKER].present ? x[IF_WORKER].num : 0;
	for (k = 0; k < INTERVIEW_NAREAS; k++)
		*interview_area(i, k) = x[IF_AREAS + k].text;
}

static int interview_form(struct req *req, int status, struct interview *i, const struct verrs *v)
{
	const char *title = i->id == 0 ? _("New community interview") : _("Edit the community interview");
	struct buf *b;
	int k;

	b = form_page(req, reg_family_href(req, i->family_id), _("Family"), title,
		      i->id == 0 ? arena_printf(req->arena, "/families/%lld/interviews/new",
						(long long)i->family_id)
				 : arena_printf(req->arena, "/interviews/%lld/edit", (long long)i->id),
		      v);
	field_input(b, "date", "interview_date", _("Date of the interview"), i->interview_date, v,
		    W_REQUIRED | W_NARROW, NULL, NULL);
	html_fmt(b, "<fieldset><legend>%s</legend>", _("The family's situation"));
	for (k = 0; k < INTERVIEW_NAREAS; k++) {
		if (k == INTERVIEW_NAREAS - 2)
			html_fmt(b, "</fieldset><fieldset><legend>%s</legend>", _("Assessment"));
		textarea(b, interview_areas[k], _(interview_area_labels[k]), *interview_area(i, k), v);
	}
	html_raw(b, "</fieldset>");
	return form_done(req, b, status, _("Save"), reg_family_href(req, i->family_id));
}

static int save_interview(struct req *req, struct interview *i, struct verrs *v)
{
	struct registry_writer w;
	int64_t id = i->id;
	int rc;

	reg_session_writer(req, &w);
	if (interview_validate(i, req->arena, v) > 0)
		return 1;
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = i->id == 0 ? interview_create(req->db, req->arena, &w, i, &id, v)
			: interview_update(req->db, req->arena, &w, i, v);
	return commit(req, rc, i->id == 0 ? "interview.create" : "interview.update", "interview", &i->id,
		      id, i->interview_date);
}

static int h_interview_new(struct req *req)
{
	struct policy_read r;
	struct interview i = { .family_id = req->id };
	char t[16];
	int rc = family_for_interviews(req, &r, req->id);

	if (rc != 0)
		return rc;
	registry_today(t);
	i.interview_date = t;
	return interview_form(req, 200, &i, NULL);
}

static int interview_post(struct req *req, struct interview *i, int api)
{
	struct input x[NIF];
	struct verrs v = VERRS_INIT;
	int rc;

	input_read(req, ifields(), NIF, x, &v);
	interview_in(x, api, i);
	rc = v.n > 0 ? 1 : save_interview(req, i, &v);
	if (rc == 1 && api)
		return resp_api_verrs(req, &v);
	if (rc == 1) {
		input_order_errors(ifields(), NIF, &v);
		return interview_form(req, 422, i, &v);
	}
	return rc != 0 ? rc : -1;
}

static int h_interview_create(struct req *req)
{
	struct policy_read r;
	struct interview i = { .family_id = req->id };
	int rc = family_for_interviews(req, &r, req->id);

	if (rc != 0)
		return rc;
	rc = interview_post(req, &i, 0);
	return rc != -1 ? rc
			: resp_redirect(req, arena_printf(req->arena, "/interviews/%lld", (long long)i.id),
					_("Saved the community interview."));
}

static int h_interview_show(struct req *req)
{
	struct interview i;
	char now[CLOCK_ISO_LEN];
	struct buf *b;
	const char *title;
	int rc = load(req, &interviews, req->id, &i), k;

	if (rc != 0)
		return rc;
	title = arena_printf(req->arena, _("Community interview of %s"), reg_date(req, i.interview_date));
	page_crumb(req, reg_family_href(req, i.family_id), _("Family"));
	page_crumb(req, NULL, title);
	b = page_begin(req, title);
	html_fmt(b, "<div class=\"page-actions\"><a class=\"btn primary\" href=\"/interviews/%lld/edit\">%s</a>"
		    "</div>",
		 (long long)i.id, _("Edit"));
	html_raw(b, "<article class=\"interview printable\"><dl class=\"details\">");
	dl_row(b, _("Date of the interview"), reg_date(req, i.interview_date));
	dl_row(b, _("Worker"), i.worker_name);
	dl_row(b, _("Family"), arena_printf(req->arena, _("number %lld"), (long long)i.family_id));
	html_raw(b, "</dl>");
	for (k = 0; k < INTERVIEW_NAREAS; k++) {
		const char *t = *interview_area(&i, k);

		html_fmt(b, "<section class=\"area\" id=\"%s\"><h2>%s</h2><p class=\"text\">%s</p></section>",
			 interview_areas[k], _(interview_area_labels[k]), t != NULL ? t : "—");
	}
	clock_iso(clock_now(), now);
	html_fmt(b, "<p class=\"print-only\">%s</p></article>",
		 arena_printf(req->arena, _("Printed from razem on %s. Contains personal data: keep it "
					    "in the case file."),
			      fmt_time(req, now)));
	return page_end(req, 200);
}

static int h_interview_edit(struct req *req)
{
	struct interview i;
	int rc = load(req, &interviews, req->id, &i);

	return rc != 0 ? rc : interview_form(req, 200, &i, NULL);
}

static int h_interview_update(struct req *req)
{
	struct interview old, i = { 0 };
	int rc = load(req, &interviews, req->id, &old);

	if (rc != 0)
		return rc;
	i.id = old.id;
	i.family_id = old.family_id;
	i.person_id = old.person_id;
	i.worker_id = old.worker_id;
	rc = interview_post(req, &i, 0);
	return rc != -1 ? rc
			: resp_redirect(req, arena_printf(req->arena, "/interviews/%lld", (long long)i.id),
					_("Saved the community interview."));
}

static json_t *interview_json(struct req *req, const void *x)
{
	const struct interview *i = x;
	json_t *j = json_pack("{s:I, s:I, s:s, s:s?, s:s?, s:s?}", "id", (json_int_t)i->id, "family_id",
			      (json_int_t)i->family_id, "interview_date", i->interview_date, "worker_name",
			      i->worker_name, "created_at", i->created_at, "updated_at", i->updated_at);
	int k;

	(void)req;
	json_object_set_new(j, "person_id", i->person_id > 0 ? json_integer(i->person_id) : json_null());
	json_object_set_new(j, "worker_id", i->worker_id > 0 ? json_integer(i->worker_id) : json_null());
	for (k = 0; k < INTERVIEW_NAREAS; k++) {
		const char *t = *interview_area((struct interview *)i, k);

		json_object_set_new(j, interview_areas[k], t != NULL ? json_string(t) : json_null());
	}
	return j;
}

static int h_api_interview_list(struct req *req)
{
	return api_list(req, &interviews);
}

static int h_api_interview_create(struct req *req)
{
	struct policy_read r;
	struct interview i = { .family_id = req->id };
	int rc = family_for_interviews(req, &r, req->id);

	if (rc != 0)
		return rc;
	rc = interview_post(req, &i, 1);
	return rc != -1 ? rc : api_reply(req, &interviews, 201, i.id);
}

static int h_api_interview_get(struct req *req)
{
	return api_reply(req, &interviews, 200, req->id);
}

static int h_api_interview_update(struct req *req)
{
	struct interview old, i = { 0 };
	int rc = load(req, &interviews, req->id, &old);

	if (rc != 0)
		return rc;
	i.id = old.id;
	i.family_id = old.family_id;
	rc = interview_post(req, &i, 1);
	return rc != -1 ? rc : api_reply(req, &interviews, 200, i.id);
}

ROUTES(situation) = {
	{ HTTP_GET, "/persons/{id:int}/situation", h_situation_person, 0, 0 },
	{ HTTP_GET, "/families/{id:int}/situation", h_situation_family, 0, 0 },
	{ HTTP_GET, "/families/{id:int}/reasons/new", h_reason_new, 0, 0 },
	{ HTTP_POST, "/families/{id:int}/reasons/new", h_reason_create, 0, 0 },
	{ HTTP_GET, "/reasons/{id:int}/edit", h_reason_edit, 0, 0 },
	{ HTTP_POST, "/reasons/{id:int}/edit", h_reason_update, 0, 0 },
	{ HTTP_GET, "/reasons/{id:int}/end", h_reason_end_form, 0, 0 },
	{ HTTP_POST, "/reasons/{id:int}/end", h_reason_end, 0, 0 },
	{ HTTP_GET, "/persons/{id:int}/statuses/new", h_status_new, 0, 0 },
	{ HTTP_POST, "/persons/{id:int}/statuses/new", h_status_create, 0, 0 },
	{ HTTP_GET, "/statuses/{id:int}/edit", h_status_edit, 0, 0 },
	{ HTTP_POST, "/statuses/{id:int}/edit", h_status_update, 0, 0 },
	{ HTTP_GET, "/persons/{id:int}/benefits/new", h_benefit_new, 0, 0 },
	{ HTTP_POST, "/persons/{id:int}/benefits/new", h_benefit_create, 0, 0 },
	{ HTTP_GET, "/benefits/{id:int}/edit", h_benefit_edit, 0, 0 },
	{ HTTP_POST, "/benefits/{id:int}/edit", h_benefit_update, 0, 0 },
	{ HTTP_GET, "/families/{id:int}/interviews/new", h_interview_new, 0, 0 },
	{ HTTP_POST, "/families/{id:int}/interviews/new", h_interview_create, 0, 0 },
	{ HTTP_GET, "/interviews/{id:int}", h_interview_show, 0, 0 },
	{ HTTP_GET, "/interviews/{id:int}/edit", h_interview_edit, 0, 0 },
	{ HTTP_POST, "/interviews/{id:int}/edit", h_interview_update, 0, 0 },
	{ HTTP_GET, "/api/v1/families/{id:int}/reasons", h_api_reason_list, 0, 0 },
	{ HTTP_POST, "/api/v1/families/{id:int}/reasons", h_api_reason_create, 0, 0 },
	{ HTTP_PUT, "/api/v1/reasons/{id:int}", h_api_reason_update, 0, 0 },
	{ HTTP_DELETE, "/api/v1/reasons/{id:int}", h_api_reason_end, 0, 0 },
	{ HTTP_GET, "/api/v1/persons/{id:int}/statuses", h_api_status_list, 0, 0 },
	{ HTTP_POST, "/api/v1/persons/{id:int}/statuses", h_api_status_create, 0, 0 },
	{ HTTP_PUT, "/api/v1/statuses/{id:int}", h_api_status_update, 0, 0 },
	{ HTTP_GET, "/api/v1/persons/{id:int}/benefits", h_api_benefit_list, 0, 0 },
	{ HTTP_POST, "/api/v1/persons/{id:int}/benefits", h_api_benefit_create, 0, 0 },
	{ HTTP_PUT, "/api/v1/benefits/{id:int}", h_api_benefit_update, 0, 0 },
	{ HTTP_GET, "/api/v1/families/{id:int}/interviews", h_api_interview_list, 0, 0 },
	{ HTTP_POST, "/api/v1/families/{id:int}/interviews", h_api_interview_create, 0, 0 },
	{ HTTP_GET, "/api/v1/interviews/{id:int}", h_api_interview_get, 0, 0 },
	{ HTTP_PUT, "/api/v1/interviews/{id:int}", h_api_interview_update, 0, 0 },
};
ROUTES_END(situation);
