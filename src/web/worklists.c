/*
 * worklists.c — the registry's work lists: "Moje sprawy" (/my: the
 * persons and households the user leads, with what needs attention) and
 * the institution's lists (/registry: persons, /registry/families:
 * households) with their filters and CSV/XLSX exports, all under the
 * access policy (web/list.c: the policy scopes the rows and masks the
 * columns; every list read and export is recorded).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/html.h"
#include "core/str.h"
#include "web/handlers.h"
#include "web/list.h"
#include "web/page.h"
#include "web/registry_web.h"
#include "web/route.h"
#include "web/widget.h"

#define MY_MAX 100

int h_registry_persons(struct req *req)
{
	struct list_view view = {
		.def = &person_list,
		.title = _("Register of persons"),
		.row_href = "/persons/%s",
		.new_href = "/persons/new",
		.new_label = _("Add a new person"),
		.kind = POLICY_PERSON,
		.purpose = PURPOSE_CASEWORK,
		.empty = _("No person matches these filters."),
	};

	return list_respond(req, &view);
}

int h_registry_families(struct req *req)
{
	struct list_view view = {
		.def = &family_list,
		.title = _("Households"),
		.row_href = "/families/%s",
		.kind = POLICY_FAMILY,
		.purpose = PURPOSE_CASEWORK,
		.empty = _("No household matches these filters."),
	};

	return list_respond(req, &view);
}

/* date_plus() is today + days as YYYY-MM-DD (local date). */
static void date_plus(int days, char out[16])
{
	int ymd = clock_today_ymd();
	struct tm tm = { 0 };
	time_t t;

	tm.tm_year = ymd / 10000 - 1900;
	tm.tm_mon = ymd / 100 % 100 - 1;
	tm.tm_mday = ymd % 100 + days;
	tm.tm_hour = 12;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	snprintf(out, 16, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
		 tm.tm_mday % 100);
}

/*
 * attention() says what needs doing about person p now, from what the
 * registry holds: no current household; a disability degree that expires
 * within 60 days. NULL when nothing.
 */
static const char *attention(struct req *req, const struct person *p, int64_t fid)
{
	char soon[16], today[16];
	const char *what = NULL;

	if (fid == 0)
		what = _("no current household");
	date_plus(60, soon);
	date_plus(0, today);
	if (p->disability_to != NULL && strcmp(p->disability_to, today) >= 0 &&
	    strcmp(p->disability_to, soon) <= 0) {
		const char *d = arena_printf(req->arena, _("disability degree expires %s"),
					     reg_date(req, p->disability_to));

		what = what != NULL ? arena_printf(req->arena, "%s; %s", what, d) : d;
	}
	/* situation attention */
	return what;
}

/* my_families() lists the households the user leads, flagging those without current members. */
static int my_families(struct buf *b, struct req *req)
{
	struct list_query q = LIST_QUERY_INIT;
	struct policy_read rd;
	struct list_page p;
	const char *me = arena_printf(req->arena, "%lld", (long long)req->sess->user_id);
	int rc, i;

	q.limit = MY_MAX;
	if (me == NULL || list_add_filter(&q, FAMILY_COL_LEAD_WORKER_ID, LIST_EQ, me) != 0)
		return resp_oom(req);
	req_policy_read(req, POLICY_FAMILY, PURPOSE_CASEWORK, &rd);
	rd.query = "lead worker: me";
	rc = policy_list_fetch(&rd, &family_list, &q, &p);
	if (rc == POLICY_DENIED)
		return 0; /* households are not for this user: the persons are shown */
	if (rc != 0)
		return resp_server_error(req, "reading my households");
	html_fmt(b, "<h2>%s</h2>", _("My households"));
	if (p.nrows == 0) {
		html_fmt(b, "<p class=\"empty\">%s</p>", _("You do not lead any household yet."));
		return 0;
	}
	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list\"><caption class=\"sr\">%s</caption><thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th></tr></thead><tbody>",
		 _("My households"), _("Applicant"), _("Town"), _("Members"), _("Needs attention"));
	for (i = 0; i < p.nrows; i++) {
		const char *const *v = p.values[i];
		int empty = v[FAMILY_COL_MEMBERS] != NULL && strcmp(v[FAMILY_COL_MEMBERS], "0") == 0;

		html_fmt(b, "<tr><th scope=\"row\"><a href=\"/families/%s\">%s</a></th><td>%s</td>"
			    "<td class=\"num\">%s</td>",
			 p.ids[i], v[FAMILY_COL_APPLICANT] != NULL ? v[FAMILY_COL_APPLICANT] : "—",
			 v[FAMILY_COL_TOWN] != NULL ? v[FAMILY_COL_TOWN] : "", v[FAMILY_COL_MEMBERS]);
		html_raw(b, empty ? "<td class=\"attention\">" : "<td>");
		html_fmt(b, "%s</td></tr>", empty ? _("no current members") : "");
	}
	html_raw(b, "</tbody></table></div>");
	/* situation attention: reasons without an end older than a year, interviews older than 6 months */
	return 0;
}

int h_my_cases(struct req *req)
{
	struct person_query q = { .lead_worker_id = 0, .limit = MY_MAX };
	struct policy_read rd;
	struct person_hits h;
	struct buf *b;
	int rc = reg_may_work(req, POLICY_PERSON), i;

	if (rc != 0)
		return rc;
	q.lead_worker_id = req->sess->user_id;
	req_policy_read(req, POLICY_PERSON, PURPOSE_CASEWORK, &rd);
	rd.query = "lead worker: me";
	memset(&h, 0, sizeof(h));
	rc = person_search(&rd, &q, &h);
	if (rc == POLICY_DENIED)
		return resp_denied(req, &rd.decision);
	if (rc != 0)
		return resp_server_error(req, "reading my cases");
	page_crumb(req, NULL, _("My cases"));
	b = page_begin(req, _("My cases"));
	html_fmt(b, "<p class=\"page-actions\"><a class=\"btn primary\" href=\"/persons/new\">%s</a> "
		    "<a class=\"btn secondary\" href=\"/persons\">%s</a></p>",
		 _("Add a new person"), _("Find a person"));
	html_fmt(b, "<p class=\"count\" role=\"status\">%s</p>",
		 arena_printf(req->arena,
			      i18n_ngettext("You lead the case of %s person.", "You lead the cases of %s persons.",
					    (unsigned long)h.total),
			      fmt_int(req, h.total)));
	if (h.n == 0) {
		html_fmt(b, "<p class=\"empty\">%s</p>", _("You are not the lead worker of anybody yet."));
		rc = my_families(b, req);
		return rc != 0 ? rc : page_end(req, 200);
	}
	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list\"><caption class=\"sr\">%s</caption><thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th></tr></thead><tbody>",
		 _("My cases"), _("Person"), _("Date of birth"), _("Household"), _("Needs attention"));
	for (i = 0; i < h.n; i++) {
		struct person p;
		int64_t fid = family_of_person(req->db, h.hits[i].id);
		const char *what;

		/*
		 * The attention checks need fields the hit lacks (the degree's
		 * dates). The search above decided and recorded the read of these
		 * ids; the record is masked by that same decision, so a reader
		 * without health data is not told about a disability degree.
		 */
		if (person_get(req->db, req->arena, h.hits[i].id, &p) != 0)
			return resp_server_error(req, "reading a person");
		person_mask(&p, rd.decision.mask);
		if (fid < 0)
			return resp_server_error(req, "reading a household");
		what = attention(req, &p, fid);
		html_fmt(b, "<tr><th scope=\"row\"><a href=\"%s\">%s</a></th><td class=\"nowrap\">%s</td><td>",
			 reg_person_href(req, p.id), reg_name(req, p.first_names, p.surname),
			 reg_date(req, p.birth_date));
		if (fid > 0)
			html_fmt(b, "<a href=\"%s\">%s</a>", reg_family_href(req, fid),
				 arena_printf(req->arena, _("no. %lld"), (long long)fid));
		else
			html_raw(b, "—");
		html_raw(b, what != NULL ? "</td><td class=\"attention\">" : "</td><td>");
		html_fmt(b, "%s</td></tr>", what != NULL ? what : "");
	}
	html_raw(b, "</tbody></table></div>");
	rc = my_families(b, req);
	if (rc != 0)
		return rc;
	if (h.total > h.n)
		html_fmt(b, "<p>%s <a href=\"/registry?lead_worker_id=%lld\">%s</a></p>",
			 arena_printf(req->arena, _("Shown: the first %d."), h.n), (long long)req->sess->user_id,
			 _("All in the register"));
	return page_end(req, 200);
}

ROUTES(worklists) = {
	{ HTTP_GET, "/my", h_my_cases, 0, 0 },
	{ HTTP_GET, "/registry", h_registry_persons, 0, 0 },
	{ HTTP_GET, "/registry/families", h_registry_families, 0, 0 },
};
ROUTES_END(worklists);
