/*
 * links.c — pages and API of record linkage (link/store.h): the review
 * queue (/links/review: the pair side by side, differing fields marked,
 * the score explained, "to ta sama osoba" / "różne osoby" / "pomiń"),
 * the linked records on the person page (link_person_section()) with
 * unlink, the start-page panel (link_panel()), and the JSON twins.
 *
 * Reviewing is the purpose data_quality of the sharing rule: each record
 * of a pair is read through person_read() with that cooperation purpose,
 * so a reviewer sees a partner's record only with an agreement in force
 * and a consent or statutory basis for data quality, and is refused the
 * decision otherwise. Only identity and address fields are shown: never
 * special categories or free text.
 */
#include <stdio.h>
#include <string.h>

#include "core/html.h"
#include "core/str.h"
#include "link/store.h"
#include "web/handlers.h"
#include "web/input.h"
#include "web/links.h"
#include "web/page.h"
#include "web/registry_web.h"
#include "web/route.h"
#include "web/widget.h"

#define REVIEW_PURPOSE "data_quality"

/* ------------------------------------------------------------------ */
/* Reading a pair                                                      */
/* ------------------------------------------------------------------ */

/*
 * read_side() reads one record of a pair for data quality: POLICY_OK,
 * POLICY_DENIED (d says why) or POLICY_NOT_FOUND, or -1. audited 0 for
 * the check that precedes a decision (the decision's audit row names it).
 */
static int read_side(struct req *req, int64_t id, struct person *p, struct policy_decision *d, int audited)
{
	struct audit_reads none = AUDIT_READS_INIT;
	struct policy_read rd;
	int rc;

	req_policy_read(req, POLICY_PERSON, PURPOSE_CASEWORK, &rd);
	rd.coop_purpose = REVIEW_PURPOSE;
	if (!audited)
		rd.log = &none;
	memset(p, 0, sizeof(*p));
	rc = person_read(&rd, id, p);
	if (d != NULL)
		*d = rd.decision;
	if (rc == POLICY_OK && p->deleted)
		return POLICY_NOT_FOUND;
	return rc;
}

/* load_cand(): the candidate of the path with one record of the user's institution, or the status */
static int load_cand(struct req *req, struct link_cand *c)
{
	int rc = link_cand_get(req->db, req_param_int(req, "id"), c);

	if (rc < 0)
		return resp_server_error(req, "reading a link candidate");
	if (rc != 0 || req->sess == NULL ||
	    (c->institution_a != req->sess->institution_id && c->institution_b != req->sess->institution_id))
		return resp_error(req, 404, "not_found", _("No such pair"),
				  _("There is no such pair in your institution's review queue."));
	return 0;
}

/* both(): both records read (audited or not); 0, or the status answered (403 with the reason) */
static int both(struct req *req, const struct link_cand *c, struct person *a, struct person *b, int audited)
{
	struct policy_decision d;
	int rc = read_side(req, c->person_a, a, &d, audited);

	if (rc == POLICY_OK)
		rc = read_side(req, c->person_b, b, &d, audited);
	if (rc < 0)
		return resp_server_error(req, "reading a pair");
	if (rc == POLICY_DENIED)
		return resp_denied(req, &d);
	if (rc != POLICY_OK)
		return resp_error(req, 404, "not_found", _("No such pair"),
				  _("One of the records no longer exists."));
	return 0;
}

/* ------------------------------------------------------------------ */
/* The pair side by side                                               */
/* ------------------------------------------------------------------ */

/* The fields a reviewer compares: identity and address only. */
enum side_show { SHOW_TEXT, SHOW_DATE, SHOW_SEX }; /* how a value is shown; compared as stored */
struct side_field {
	const char *label;
	size_t off;
	enum side_show show;
};
#define SF(l, m) { l, offsetof(struct person, m), SHOW_TEXT }
static const struct side_field side_fields[] = {
	SF(N_("First names"), first_names), SF(N_("Surname"), surname), SF(N_("Family name at birth"), birth_surname),
	SF(N_("PESEL"), pesel),
	{ N_("Date of birth"), offsetof(struct person, birth_date), SHOW_DATE },
	{ N_("Sex"), offsetof(struct person, sex), SHOW_SEX },
	SF(N_("Street"), street),	       SF(N_("House number"), house_no), SF(N_("Flat number"), flat_no),
	SF(N_("Postcode"), postcode),     SF(N_("Town"), town),
};
#define NSIDE (sizeof(side_fields) / sizeof(side_fields[0]))

static const char *field_of(const struct person *p, size_t i)
{
	const char *v = *(const char *const *)((const char *)p + side_fields[i].off);

	return v != NULL ? v : "";
}

static const char *shown(struct req *req, size_t i, const char *v)
{
	if (*v == '\0')
		return "—";
	if (side_fields[i].show == SHOW_DATE)
		return reg_date(req, v);
	return side_fields[i].show == SHOW_SEX ? reg_sex_label(v) : v;
}

/* differ(): folded for case and Polish letters, so "Łukasz" and "LUKASZ" are equal */
static int differ(struct req *req, const char *x, const char *y)
{
	const char *fx = str_fold(req->arena, x), *fy = str_fold(req->arena, y);

	return fx == NULL || fy == NULL ? strcmp(x, y) != 0 : strcmp(fx, fy) != 0;
}

static void pair_table(struct buf *b, struct req *req, const struct person *a, const struct person *pb)
{
	size_t i;

	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list pair\"><thead><tr><th>%s</th><th>%s</th>"
		    "<th>%s</th></tr></thead><tbody>",
		 _("Field"), a->institution_name != NULL ? a->institution_name : "",
		 pb->institution_name != NULL ? pb->institution_name : "");
	for (i = 0; i < NSIDE; i++) {
		const char *x = field_of(a, i), *y = field_of(pb, i);
		int d = differ(req, x, y);

		html_raw(b, d ? "<tr class=\"differs\">" : "<tr>"); /* markup: not through %s, which escapes */
		html_fmt(b, "<th scope=\"row\">%s%s</th><td>%s</td><td>%s</td></tr>", _(side_fields[i].label),
			 d ? _(" (differs)") : "", shown(req, i, x), shown(req, i, y));
	}
	html_raw(b, "</tbody></table></div>");
}

/*
 * The level names link.h gives (English msgids, link/compare.c), listed
 * here so that the catalogue has them; _() translates them when shown.
 */
static const char *const level_msgids[] = {
	N_("missing"), N_("exact"), N_("one digit or transposition"), N_("different"), N_("name variant"),
	N_("similar"), N_("somewhat similar"), N_("birth surname or part"), N_("other gender form"),
	N_("day and month swapped"), N_("one digit typo"), N_("agree"), N_("same powiat"),
};

static const char *level_label(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < sizeof(level_msgids) / sizeof(level_msgids[0]); i++)
		if (strcmp(name, level_msgids[i]) == 0)
			return _(level_msgids[i]);
	return name != NULL ? name : "";
}

/* the comparisons of link.h in the reader's words */
static const char *comparison_label(enum link_field f)
{
	static const char *const labels[LINK_F__MAX] = {
		[LINK_F_ID] = N_("PESEL"),		 [LINK_F_GIVEN] = N_("First names"),
		[LINK_F_SURNAME] = N_("Surname"),	 [LINK_F_BIRTH] = N_("Date of birth"),
		[LINK_F_SEX] = N_("Sex"),		 [LINK_F_STREET] = N_("Street"),
		[LINK_F_NUMBER] = N_("House number"), [LINK_F_ADDRESS2] = N_("Address"),
		[LINK_F_POSTCODE] = N_("Postcode"),	 [LINK_F_CITY] = N_("Town"),
		[LINK_F_REGION] = N_("Voivodeship"),	 [LINK_F_TERC] = N_("Gmina"),
	};

	return (unsigned)f < LINK_F__MAX && labels[f] != NULL ? _(labels[f]) : link_field_name(f);
}

static void explain_table(struct buf *b, struct req *req, const struct link_cand *c)
{
	struct link_explain_row rows[LINK_F__MAX];
	int i;

	if (link_cand_explain(req->db, c->levels, rows) != 0)
		return;
	html_fmt(b, "<h2>%s</h2><p>%s</p>", _("Why these records"),
		 arena_printf(req->arena, _("Probability that they are one person: %s %% (weight %s)."),
			      page_num(req, c->score * 100.0, 0), page_num(req, c->weight, 1)));
	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list explain\"><thead><tr><th>%s</th><th>%s</th>"
		    "<th>%s</th></tr></thead><tbody>",
		 _("Comparison"), _("Result"), _("Weight"));
	for (i = 0; i < LINK_F__MAX; i++) {
		if (rows[i].level == LINK_LEVEL_MISSING)
			continue;
		html_fmt(b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>", comparison_label(rows[i].field),
			 level_label(rows[i].level_name),
			 arena_printf(req->arena, "%s%s", rows[i].weight > 0 ? "+" : "", page_num(req, rows[i].weight, 1)));
	}
	html_raw(b, "</tbody></table></div>");
}

static void decision_buttons(struct buf *b, struct req *req, const struct link_cand *c)
{
	static const char *const labels[] = { N_("Same person"), N_("Different people"), N_("Skip") };
	static const char *const cls[] = { "primary", "danger", "secondary" };
	const char *action = arena_printf(req->arena, "/links/candidates/%lld/decision", (long long)c->id);
	int i;

	html_raw(b, "<div class=\"actions decisions\">");
	for (i = 0; i < 3; i++) {
		form_begin(b, req, action, "inline");
		html_fmt(b, "<input type=\"hidden\" name=\"decision\" value=\"%s\">", link_decisions[i]);
		button(b, _(labels[i]), cls[i]);
		form_end(b);
	}
	html_raw(b, "</div>");
}

/* ------------------------------------------------------------------ */
/* The queue page                                                      */
/* ------------------------------------------------------------------ */

static int may_review(struct req *req)
{
	if (req->sess == NULL || req->sess->institution_id <= 0 || !reg_may_see(req, POLICY_PERSON))
		return resp_error(req, 403, "role", _("Not allowed"),
				  _("Reviewing record links is for the casework staff of an institution."));
	return 0;
}

static int review_page(struct req *req, int status, const struct link_cand *c, const struct verrs *v)
{
	int64_t open = 0, all = 0;
	struct person a, pb;
	struct buf *b;
	int rc;

	if (link_queue_count(req->db, req->sess->institution_id, 1, &open) != 0 ||
	    link_queue_count(req->db, req->sess->institution_id, 0, &all) != 0)
		return resp_server_error(req, "counting the review queue");
	if (c != NULL && (rc = both(req, c, &a, &pb, 1)) != 0)
		return rc;
	page_crumb(req, NULL, _("Record review"));
	b = page_begin(req, _("Record review"));
	html_fmt(b, "<p class=\"queue-count\">%s</p>",
		 arena_printf(req->arena,
			      i18n_ngettext("%lld pair waits for a decision", "%lld pairs wait for a decision",
					    (unsigned long)open),
			      (long long)open));
	if (all > open)
		html_fmt(b, "<p>%s</p>", arena_printf(req->arena, _("Skipped: %lld."), (long long)(all - open)));
	if (c == NULL) {
		html_fmt(b, "<p>%s</p>", open > 0 ? _("The pairs waiting cannot be shown to you: the partner "
						       "institution has no agreement with yours or no basis to show "
						       "its record for data quality.")
						    : _("Nothing to review."));
		return page_end(req, status);
	}
	form_errors(b, v);
	html_fmt(b, "<section class=\"card wide\" data-candidate=\"%lld\"><h2>%s</h2>", (long long)c->id,
		 _("Are these records one person?"));
	if (c->institution_a == c->institution_b) /* a duplicate: the decision merges, not links */
		html_fmt(b, "<p class=\"duplicate\">%s</p>",
			 _("Both records are in one institution: a possible duplicate. \"Same person\" merges them "
			   "into the older record (every reference moved; the merge can be undone)."));
	pair_table(b, req, &a, &pb);
	explain_table(b, req, c);
	decision_buttons(b, req, c);
	html_raw(b, "</section>");
	return page_end(req, status);
}

/* visible(): 1 when the reviewer may read both records of c for data quality (nothing recorded), 0, -1 */
static int visible(struct req *req, const struct link_cand *c)
{
	struct person a, b;
	int rc = read_side(req, c->person_a, &a, NULL, 0);

	if (rc == POLICY_OK)
		rc = read_side(req, c->person_b, &b, NULL, 0);
	return rc < 0 ? -1 : rc == POLICY_OK;
}

/*
 * next_visible() sets *out to the first pair of the queue (among the first
 * REVIEW_LOOKAHEAD) whose two records the reviewer may see, or NULL: a pair
 * the sharing rule keeps closed waits for the partner's basis and does not
 * block the others. 0 or -1.
 */
#define REVIEW_LOOKAHEAD 50
static int next_visible(struct req *req, struct link_cand **out)
{
	struct link_cand *c;
	int n = link_queue_list(req->db, req->arena, req->sess->institution_id, 0, REVIEW_LOOKAHEAD, &c), i, v;

	*out = NULL;
	for (i = 0; i < n; i++) {
		if ((v = visible(req, &c[i])) < 0)
			return -1;
		if (v) {
			*out = &c[i];
			return 0;
		}
	}
	return n < 0 ? -1 : 0;
}

static int h_review(struct req *req)
{
	struct link_cand *c = NULL, one;
	const char *id = req_query(req, "id");
	int64_t n = 0;
	int rc;

	if ((rc = may_review(req)) != 0)
		return rc;
	if (id != NULL) {
		if (str_to_int64(id, 1, INT64_MAX, &n) != 0)
			return resp_error(req, 400, "invalid_parameter", _("Wrong address"), _("No such pair."));
		req->params.n = 0;
		if ((rc = link_cand_get(req->db, n, &one)) < 0)
			return resp_server_error(req, "reading a link candidate");
		if (rc != 0 || (one.institution_a != req->sess->institution_id &&
				one.institution_b != req->sess->institution_id))
			return resp_error(req, 404, "not_found", _("No such pair"),
					  _("There is no such pair in your institution's review queue."));
		return review_page(req, 200, &one, NULL);
	}
	if ((rc = next_visible(req, &c)) < 0)
		return resp_server_error(req, "reading the review queue");
	return review_page(req, 200, c, NULL);
}

enum { DF_DECISION, NDF };
static const struct field decision_fields[NDF] = {
	[DF_DECISION] = { "decision", N_("Decision"), F_TEXT, F_REQUIRED, 0, 20 },
};

/* decide(): 0 done, 1 refused (v), or the status answered */
static int decide(struct req *req, const struct link_cand *c, struct verrs *v)
{
	struct input in[NDF];
	struct registry_writer w;
	struct person a, b;
	int rc;

	if (input_read(req, decision_fields, NDF, in, v) > 0)
		return 1;
	if ((rc = both(req, c, &a, &b, 0)) != 0)
		return rc;
	reg_session_writer(req, &w);
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = link_decide(req->db, &w, c->id, in[DF_DECISION].text, v);
	rc = tx_audit(req, rc, "link.decide", "link_candidate", c->id, in[DF_DECISION].text);
	if (rc == LINK_NOT_FOUND)
		return reg_not_found(req);
	return rc < 0 ? resp_server_error(req, "saving a decision") : rc;
}

static int h_decide(struct req *req)
{
	struct verrs v = VERRS_INIT;
	struct link_cand c;
	int rc;

	if ((rc = may_review(req)) != 0 || (rc = load_cand(req, &c)) != 0)
		return rc;
	rc = decide(req, &c, &v);
	if (rc == 1)
		return review_page(req, 422, &c, &v);
	return rc != 0 ? rc : resp_redirect(req, "/links/review", _("Saved the decision."));
}

/* ------------------------------------------------------------------ */
/* The person page's section and unlink                                */
/* ------------------------------------------------------------------ */

static const char *link_state_label(const char *s)
{
	if (s != NULL && strcmp(s, "confirmed") == 0)
		return _("confirmed by a reviewer");
	if (s != NULL && strcmp(s, "auto") == 0)
		return _("found automatically");
	return s != NULL ? s : "";
}

/* linked_records(): the linked records the user may see, each with "unlink" */
static int linked_records(struct req *req, struct buf *out, int64_t person_id)
{
	struct link_row *l;
	int n = link_person_links(req->db, req->arena, person_id, &l), i, shown = 0;

	if (n < 0)
		return resp_server_error(req, "reading the links of a person");
	for (i = 0; i < n; i++) {
		struct person o;

		/* only the records the sharing rule lets this user see for data quality; asked first
		   without recording, so that a closed partner record is not a denial on every page view */
		if (read_side(req, l[i].other_id, &o, NULL, 0) != POLICY_OK ||
		    read_side(req, l[i].other_id, &o, NULL, 1) != POLICY_OK)
			continue;
		if (shown++ == 0)
			html_fmt(out, "<h3>%s</h3><ul>", _("The same person in other institutions"));
		html_fmt(out, "<li data-link=\"%lld\"><strong>%s</strong> — %s, %s (%s, %s)", (long long)l[i].id,
			 o.institution_name != NULL ? o.institution_name : "", reg_name(req, o.first_names, o.surname),
			 o.birth_date != NULL ? reg_date(req, o.birth_date) : "—", link_state_label(l[i].state),
			 arena_printf(req->arena, "%s %%", page_num(req, l[i].score * 100.0, 0)));
		action_form(out, req, arena_printf(req->arena, "/links/%lld/unlink", (long long)l[i].id),
			    _("Unlink"), "secondary");
		html_raw(out, "</li>");
	}
	if (shown > 0)
		html_raw(out, "</ul>");
	return shown;
}

/* merges(): the merges into or of this record with "undo", and the form merging a duplicate */
static int merges(struct req *req, struct buf *out, const struct person *p)
{
	struct person_merge_row *m;
	int n = person_merges(req->db, req->arena, p->id, &m), i;

	if (n < 0)
		return resp_server_error(req, "reading the merges of a person");
	html_fmt(out, "<h3>%s</h3>", _("Duplicates in your institution"));
	for (i = 0; i < n; i++) {
		if (m[i].undone_at != NULL || m[i].kept_id != p->id)
			continue;
		html_fmt(out, "<p data-merge=\"%lld\">%s ", (long long)m[i].id,
			 arena_printf(req->arena, _("Record no. %lld was merged into this one on %s."),
				      (long long)m[i].merged_id, reg_date(req, m[i].merged_at)));
		action_form(out, req, arena_printf(req->arena, "/merges/%lld/undo", (long long)m[i].id),
			    _("Undo the merge"), "secondary");
		html_raw(out, "</p>");
	}
	form_begin(out, req, arena_printf(req->arena, "/persons/%lld/merge", (long long)p->id), "form inline");
	field_input(out, "number", "merged_id", _("Number of a duplicate record to merge into this one"), NULL, NULL,
		    0, _("Its household, situation, consents, referrals and support move here; its "
			 "history stays with it; the merge can be undone."),
		    NULL);
	button(out, _("Merge"), "secondary");
	form_end(out);
	return 0;
}

int link_person_section(struct req *req, struct buf *out, const struct person *p)
{
	struct registry_writer w;
	struct verrs v = VERRS_INIT;
	struct buf part;
	int shown, own, rc;

	reg_session_writer(req, &w);
	own = registry_may_write(&w, p->institution_id, &v) == 0;
	buf_init(&part, 1u << 20);
	if ((shown = linked_records(req, &part, p->id)) < 0 || (own && (rc = merges(req, &part, p)) != 0)) {
		buf_release(&part);
		return shown < 0 ? shown : rc;
	}
	if (shown > 0 || own) {
		html_fmt(out, "<section class=\"card links\" id=\"links\"><h2>%s</h2>", _("Linked records"));
		buf_add(out, part.data, part.len);
		html_raw(out, "</section>");
	}
	buf_release(&part);
	return 0;
}

/* unlink(): 0 done, 1 refused (v), or the status answered */
static int unlink_one(struct req *req, int64_t id, int64_t *person, struct verrs *v)
{
	struct registry_writer w;
	struct link_row l;
	int rc = link_get(req->db, req->arena, id, &l);

	if (rc < 0)
		return resp_server_error(req, "reading a link");
	if (rc != 0 || req->sess == NULL)
		return reg_not_found(req);
	*person = l.other_institution == req->sess->institution_id ? l.person_id : l.other_id;
	reg_session_writer(req, &w);
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = link_unlink(req->db, &w, id, v);
	rc = tx_audit(req, rc, "link.unlink", "person_link", id, NULL);
	if (rc == LINK_NOT_FOUND)
		return reg_not_found(req);
	return rc < 0 ? resp_server_error(req, "unlinking") : rc;
}

static int h_unlink(struct req *req)
{
	struct verrs v = VERRS_INIT;
	int64_t person = 0;
	int rc = unlink_one(req, req_param_int(req, "id"), &person, &v);

	if (rc == 1)
		return resp_error(req, 409, "unlinked", _("Not linked"), v.n > 0 ? v.e[0].message : "");
	return rc != 0 ? rc
		       : resp_redirect(req, arena_printf(req->arena, "/persons/%lld", (long long)person),
				       _("The records are no longer linked."));
}

/* ------------------------------------------------------------------ */
/* The start page                                                      */
/* ------------------------------------------------------------------ */

int link_panel(struct req *req, struct buf *out)
{
	int64_t n = 0;

	if (req->sess == NULL || req->sess->institution_id <= 0 || !reg_may_see(req, POLICY_PERSON))
		return 0;
	if (link_queue_count(req->db, req->sess->institution_id, 1, &n) != 0)
		return -1;
	if (n == 0)
		return 0;
	html_fmt(out, "<section class=\"card links\"><h2>%s</h2><p><a href=\"/links/review\">%s</a></p></section>",
		 _("Record review"),
		 arena_printf(req->arena,
			      i18n_ngettext("%lld pair of records to review", "%lld pairs of records to review",
					    (unsigned long)n),
			      (long long)n));
	return 0;
}

/* ------------------------------------------------------------------ */
/* API                                                                 */
/* ------------------------------------------------------------------ */

static json_t *cand_json(struct req *req, const struct link_cand *c)
{
	struct link_explain_row rows[LINK_F__MAX];
	json_t *ex = json_array();
	char lv[17];
	int i;

	link_levels_text(c->levels, lv);
	if (link_cand_explain(req->db, c->levels, rows) == 0)
		for (i = 0; i < LINK_F__MAX; i++)
			if (rows[i].level != LINK_LEVEL_MISSING)
				json_array_append_new(ex, json_pack("{s:s, s:s?, s:f}", "field",
								    link_field_name(rows[i].field), "level",
								    rows[i].level_name, "weight", rows[i].weight));
	/* two records of one institution are a duplicate (merged when the same person), else a link */
	return json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:f, s:f, s:s, s:s?, s:s?, s:o}", "id", (json_int_t)c->id,
			 "kind", c->institution_a == c->institution_b ? "duplicate" : "link", "person_a",
			 (json_int_t)c->person_a, "person_b", (json_int_t)c->person_b, "institution_a",
			 (json_int_t)c->institution_a, "institution_b", (json_int_t)c->institution_b, "score",
			 c->score, "weight", c->weight, "levels", lv, "state", c->state, "created_at",
			 c->created_at, "explanation", ex);
}

/* paging(): offset and limit of docs/api, or the status answered */
static int paging(struct req *req, int64_t *offset, int64_t *limit)
{
	const char *o = req_query(req, "offset"), *l = req_query(req, "limit");

	*offset = 0, *limit = 100;
	if (o != NULL && str_to_int64(o, 0, INT64_MAX / 2, offset) != 0)
		return resp_api_error(req, 400, "invalid_parameter",
				      _("Parameter \"offset\": a whole number, 0 or more."), "offset");
	if (l != NULL && str_to_int64(l, 1, 1000, limit) != 0)
		return resp_api_error(req, 400, "invalid_parameter",
				      _("Parameter \"limit\": a whole number from 1 to 1000."), "limit");
	return 0;
}

static int h_api_candidates(struct req *req)
{
	int64_t offset, limit, total = 0;
	struct link_cand *c;
	json_t *arr;
	int rc, n, i;

	if ((rc = may_review(req)) != 0 || (rc = paging(req, &offset, &limit)) != 0)
		return rc;
	if (link_queue_count(req->db, req->sess->institution_id, 0, &total) != 0 ||
	    (n = link_queue_list(req->db, req->arena, req->sess->institution_id, offset, (int)limit, &c)) < 0)
		return resp_server_error(req, "reading the review queue");
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, cand_json(req, &c[i]));
	return resp_json(req, 200, json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "offset",
					     (json_int_t)offset, "limit", (json_int_t)limit, "items", arr));
}

static int h_api_decide(struct req *req)
{
	struct verrs v = VERRS_INIT;
	struct link_cand c;
	int rc;

	if ((rc = may_review(req)) != 0 || (rc = load_cand(req, &c)) != 0)
		return rc;
	rc = decide(req, &c, &v);
	if (rc == 1)
		return resp_api_verrs(req, &v);
	if (rc != 0)
		return rc;
	if (link_cand_get(req->db, c.id, &c) != 0)
		return resp_server_error(req, "reading a link candidate");
	return resp_json(req, 200, cand_json(req, &c));
}

static int h_api_person_links(struct req *req)
{
	int64_t id = req_param_int(req, "id");
	struct link_row *l;
	struct person p;
	json_t *arr;
	int rc = reg_load_person(req, id, &p, 1), n, i;

	if (rc != 0)
		return rc;
	if ((n = link_person_links(req->db, req->arena, id, &l)) < 0)
		return resp_server_error(req, "reading the links of a person");
	arr = json_array();
	for (i = 0; i < n; i++) {
		struct person o;

		if (read_side(req, l[i].other_id, &o, NULL, 0) != POLICY_OK ||
		    read_side(req, l[i].other_id, &o, NULL, 1) != POLICY_OK)
			continue;
		json_array_append_new(arr, json_pack("{s:I, s:I, s:I, s:s?, s:s?, s:s?, s:s?, s:f, s:s, s:s, s:s?}",
						     "id", (json_int_t)l[i].id, "person_id", (json_int_t)o.id,
						     "institution_id", (json_int_t)o.institution_id, "institution",
						     o.institution_name, "first_names", o.first_names, "surname",
						     o.surname, "birth_date", o.birth_date, "score", l[i].score, "state",
						     l[i].state, "method", l[i].method, "decided_at", l[i].decided_at));
	}
	return resp_json(req, 200, json_pack("{s:o}", "items", arr));
}

static int h_api_unlink(struct req *req)
{
	struct verrs v = VERRS_INIT;
	int64_t person = 0;
	int rc = unlink_one(req, req_param_int(req, "id"), &person, &v);

	if (rc == 1)
		return resp_api_error(req, 409, "unlinked", v.n > 0 ? v.e[0].message : "", NULL);
	return rc != 0 ? rc : resp_json(req, 200, json_pack("{s:I, s:s}", "id", (json_int_t)req_param_int(req, "id"),
							     "state", "unlinked"));
}

/* ------------------------------------------------------------------ */
/* Merging duplicates within one institution                           */
/* ------------------------------------------------------------------ */

enum { MF_MERGED, NMF };
static const struct field merge_fields[NMF] = {
	[MF_MERGED] = { "merged_id", N_("Record merged into this one"), F_INT, F_REQUIRED, 1, INT64_MAX },
};

/* merge_post(): the merge of the path's record with merged_id (form or JSON) */
static int merge_post(struct req *req, int api)
{
	struct verrs v = VERRS_INIT;
	struct input in[NMF];
	struct registry_writer w;
	int64_t kept = req_param_int(req, "id"), merge = 0;
	const char *back = arena_printf(req->arena, "/persons/%lld", (long long)kept);
	struct person p;
	int rc = reg_load_person(req, kept, &p, 0);

	if (rc != 0)
		return rc;
	if (input_read(req, merge_fields, NMF, in, &v) > 0)
		return api ? resp_api_verrs(req, &v)
			   : page_error_back(req, 422, _("Not merged"), v.e[0].message, back, _("Back to the person"));
	reg_session_writer(req, &w);
	if (registry_may_write(&w, p.institution_id, &v) != 0)
		return resp_error(req, 403, "role", _("Not allowed"), v.n > 0 ? v.e[0].message : "");
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = person_merge(req->db, req->arena, &w, kept, in[MF_MERGED].num, &merge, &v);
	rc = tx_audit(req, rc, "person.merge", "person", kept,
		      arena_printf(req->arena, "merged=%lld", (long long)in[MF_MERGED].num));
	if (rc == PERSON_NOT_FOUND)
		return reg_not_found(req);
	if (rc == 1)
		return api ? resp_api_verrs(req, &v)
			   : page_error_back(req, 422, _("Not merged"), v.e[0].message, back, _("Back to the person"));
	if (rc != 0)
		return resp_server_error(req, "merging records");
	if (!api)
		return resp_redirect(req, back, _("The records are merged."));
	return resp_json(req, 201, json_pack("{s:I, s:I, s:I}", "id", (json_int_t)merge, "kept_id",
					     (json_int_t)kept, "merged_id", (json_int_t)in[MF_MERGED].num));
}

static int unmerge_post(struct req *req, int api)
{
	struct verrs v = VERRS_INIT;
	struct registry_writer w;
	int64_t id = req_param_int(req, "id");
	int rc;

	if (req->sess == NULL)
		return reg_not_found(req);
	reg_session_writer(req, &w);
	if (registry_may_write(&w, req->sess->institution_id, &v) != 0)
		return resp_error(req, 403, "role", _("Not allowed"), v.n > 0 ? v.e[0].message : "");
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = person_unmerge(req->db, req->arena, &w, id, &v);
	rc = tx_audit(req, rc, "person.unmerge", "person_merge", id, NULL);
	if (rc == LINK_NOT_FOUND)
		return reg_not_found(req);
	if (rc == 1)
		return api ? resp_api_verrs(req, &v)
			   : page_error_back(req, 422, _("Not undone"), v.e[0].message, "/", _("Back"));
	if (rc != 0)
		return resp_server_error(req, "undoing a merge");
	if (!api) {
		struct person_merge_row m;

		if (person_merge_get(req->db, req->arena, id, &m) != 0)
			return resp_server_error(req, "reading a merge");
		return resp_redirect(req, arena_printf(req->arena, "/persons/%lld", (long long)m.kept_id),
				     _("The merge is undone: both records are back."));
	}
	return resp_json(req, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "state", "undone"));
}

static int h_merge(struct req *req)
{
	return merge_post(req, 0);
}

static int h_unmerge(struct req *req)
{
	return unmerge_post(req, 0);
}

static int h_api_merge(struct req *req)
{
	return merge_post(req, 1);
}

static int h_api_unmerge(struct req *req)
{
	return unmerge_post(req, 1);
}

ROUTES(links) = {
	{ HTTP_GET, "/links/review", h_review, 0, 0 },
	{ HTTP_POST, "/links/candidates/{id:int}/decision", h_decide, 0, 0 },
	{ HTTP_POST, "/links/{id:int}/unlink", h_unlink, 0, 0 },
	{ HTTP_POST, "/persons/{id:int}/merge", h_merge, 0, 0 },
	{ HTTP_POST, "/merges/{id:int}/undo", h_unmerge, 0, 0 },
	{ HTTP_GET, "/api/v1/link-candidates", h_api_candidates, 0, 0 },
	{ HTTP_POST, "/api/v1/link-candidates/{id:int}/decision", h_api_decide, 0, 0 },
	{ HTTP_GET, "/api/v1/persons/{id:int}/links", h_api_person_links, 0, 0 },
	{ HTTP_POST, "/api/v1/links/{id:int}/unlink", h_api_unlink, 0, 0 },
	{ HTTP_POST, "/api/v1/persons/{id:int}/merge", h_api_merge, 0, 0 },
	{ HTTP_POST, "/api/v1/merges/{id:int}/undo", h_api_unmerge, 0, 0 },
};
ROUTES_END(links);
