/*
 * dataprot.c — data-protection pages: the data-subject report of a
 * person (/persons/{id}/dataprot, printable; the owning institution only,
 * as the access policy decides) and retention (/admin/retention: the
 * settings, a dry run or an anonymisation run as a background job whose
 * CSV list is downloadable from the job's page).
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "auth/role.h"
#include "core/clock.h"
#include "core/html.h"
#include "core/str.h"
#include "job/job.h"
#include "registry/dataprot.h"
#include "registry/institution.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/widget.h"

#define ADMIN ROLE_BIT(ROLE_ADMIN)

/* ------------------------------------------------------------------ */
/* The data-subject report                                             */
/* ------------------------------------------------------------------ */

int h_person_dataprot(struct req *req)
{
	struct dataprot_report *rep = arena_zalloc(req->arena, sizeof(*rep));
	struct policy_read rd;
	struct buf *b;
	int rc;

	if (rep == NULL)
		return resp_oom(req);
	req_policy_read(req, POLICY_PERSON, PURPOSE_CASEWORK, &rd);
	rc = dataprot_report(&rd, req->id, rep);
	if (rc == POLICY_DENIED)
		return resp_denied(req, &rd.decision);
	if (rc == POLICY_NOT_FOUND)
		return resp_error(req, 404, "not_found", _("No such person"),
				  _("There is no person with this number in your institution's register."));
	if (rc < 0)
		return resp_server_error(req, "preparing a data-subject report");
	page_crumb(req, arena_printf(req->arena, "/persons/%lld", (long long)req->id),
		   arena_printf(req->arena, "%s %s", rep->person.first_names != NULL ? rep->person.first_names : "",
				rep->person.surname != NULL ? rep->person.surname : ""));
	page_crumb(req, NULL, _("Data-subject report"));
	b = page_begin(req, _("Personal data held and its use (art. 15 RODO)"));
	html_fmt(b, "<p class=\"lead\">%s</p>\n",
		 _("Everything the register holds about the person and who has seen or changed it, "
		   "for a request of the data subject. Print this page (the navigation is left out of "
		   "print); preparing it is recorded in the audit log."));
	dataprot_html(b, req->arena, rep);
	return page_end(req, 200);
}

/* ------------------------------------------------------------------ */
/* Retention                                                           */
/* ------------------------------------------------------------------ */

struct retention_job {
	struct job_ctx *ctx;
	struct db *db;
	struct arena *a;
	struct retention_policy p;
	struct audit_actor who;
	FILE *f;
	int apply;
	int64_t found, done;
};

static int job_each(void *arg, const struct retention_item *it)
{
	struct retention_job *x = arg;
	int applied = 0;

	x->found++;
	if (x->apply) {
		applied = retention_anonymise_tx(x->db, x->a, &x->p, &x->who, it);
		if (applied < 0)
			return -1;
		applied = applied == 0 ? 1 : -1;
		x->done += applied == 1;
	}
	if (fputs(retention_csv_line(x->a, it, applied), x->f) < 0)
		return -1;
	return job_progress(x->ctx, x->found, 0);
}

static int run_retention(struct job_ctx *ctx)
{
	const struct job *j = job_of(ctx);
	const struct app *app = job_app(ctx);
	struct retention_job x;
	json_t *params = json_loads(j->params != NULL ? j->params : "{}", 0, NULL);
	const char *path;
	char name[64];
	int64_t n;

	memset(&x, 0, sizeof(x));
	x.ctx = ctx;
	x.db = job_db(ctx);
	x.a = job_arena(ctx);
	x.apply = json_is_true(json_object_get(params, "apply"));
	x.p.institution_id = json_integer_value(json_object_get(params, "institution_id"));
	x.p.person_years = app->cfg.retention_person_years;
	x.p.interview_years = app->cfg.retention_interview_years;
	json_decref(params);
	x.who.user_id = j->user_id;
	x.who.login = j->login;
	x.who.institution_id = j->institution_id;
	x.who.ip = "job";
	snprintf(name, sizeof(name), "razem-retencja-%d.csv", clock_today_ymd());
	path = job_result_path(ctx, name, "text/csv; charset=utf-8");
	if (path == NULL || (x.f = fopen(path, "wb")) == NULL) {
		job_fail(ctx, N_("The list of records could not be written."));
		return -1;
	}
	fputs("\xEF\xBB\xBF", x.f);
	fputs(retention_csv_header, x.f);
	n = retention_scan(x.db, x.a, &x.p, job_each, &x);
	if (fclose(x.f) != 0 && n >= 0)
		n = -1;
	if (n == 1 && job_cancelled(ctx))
		return 1;
	if (n < 0) {
		job_fail(ctx, N_("The retention run failed; what was anonymised before the failure stays anonymised."));
		return -1;
	}
	if (audit_write(x.db, &x.who, x.apply ? "retention.apply" : "retention.dry_run", "job",
			arena_printf(x.a, "%lld", (long long)j->id),
			arena_printf(x.a, "found=%lld anonymised=%lld person_years=%lld interview_years=%lld "
					  "institution=%lld",
				     (long long)x.found, (long long)x.done, (long long)x.p.person_years,
				     (long long)x.p.interview_years, (long long)x.p.institution_id)) != DB_OK) {
		job_fail(ctx, N_("The retention run could not be recorded in the audit log."));
		return -1;
	}
	job_progress(ctx, x.found, x.found);
	return 0;
}

const struct job_kind retention_kind = { "retention", N_("Retention of records"), run_retention };

int h_retention(struct req *req)
{
	struct institution_option *opts = NULL;
	struct option *sel;
	struct buf *b;
	int n = institution_options(req->db, req->arena, &opts), i;

	if (n < 0)
		return resp_server_error(req, "listing institutions");
	sel = arena_zalloc(req->arena, (size_t)(n + 1) * sizeof(*sel));
	if (sel == NULL)
		return resp_oom(req);
	for (i = 0; i < n; i++) {
		sel[i].value = arena_printf(req->arena, "%lld", (long long)opts[i].id);
		sel[i].label = opts[i].name;
	}
	page_crumb(req, NULL, _("Retention"));
	b = page_begin(req, _("Retention of records"));
	html_fmt(b, "<p class=\"lead\">%s</p>\n",
		 _("Records kept longer than their retention period are anonymised: names, PESEL, "
		   "documents, addresses and contact details are removed, while sex, birth year, gmina "
		   "and the statistics stay. A dry run only lists them; the list names records by "
		   "number, never by name."));
	html_raw(b, "<dl class=\"details\">\n");
	dl_row(b, _("A person, after their last activity"),
	       arena_printf(req->arena,
			    i18n_ngettext("%lld year (retention_person_years)", "%lld years (retention_person_years)",
					  (unsigned long)req->app->cfg.retention_person_years),
			    (long long)req->app->cfg.retention_person_years));
	dl_row(b, _("A community interview, after its date"),
	       arena_printf(req->arena,
			    i18n_ngettext("%lld year (retention_interview_years)",
					  "%lld years (retention_interview_years)",
					  (unsigned long)req->app->cfg.retention_interview_years),
			    (long long)req->app->cfg.retention_interview_years));
	html_raw(b, "</dl>\n");
	html_fmt(b, "<p class=\"hint\">%s</p>\n",
		 _("The periods are settings of the server (razem config --doc). Check them against "
		   "your office's instrukcja kancelaryjna and JRWA before anonymising."));
	form_begin(b, req, "/admin/retention", NULL);
	field_select(b, "institution_id", _("Institution"), sel, n, req_form(req, "institution_id"),
		     _("All institutions"), NULL, 0, NULL);
	html_raw(b, "<div class=\"actions\">");
	html_fmt(b, "<button type=\"submit\" name=\"mode\" value=\"dry_run\" class=\"primary\">%s</button> ",
		 _("List the records (dry run)"));
	html_fmt(b, "<button type=\"submit\" name=\"mode\" value=\"apply\" class=\"danger\">%s</button>",
		 _("Anonymise them"));
	html_raw(b, "</div>");
	form_end(b);
	return page_end(req, 200);
}

int h_retention_run(struct req *req)
{
	/* the confirmation step posts to the same URL with the choice in its query */
	const char *mode = req_form(req, "mode") != NULL ? req_form(req, "mode") : req_query(req, "mode");
	const char *inst = req_form(req, "institution_id") != NULL ? req_form(req, "institution_id")
								  : req_query(req, "institution_id");
	struct audit_actor who;
	int64_t institution = 0, id = 0;
	char *params;
	int rc;

	if (mode == NULL || (strcmp(mode, "dry_run") != 0 && strcmp(mode, "apply") != 0))
		return page_error(req, 400, _("Retention of records"), _("Choose a dry run or anonymisation."));
	if (inst != NULL && inst[0] != '\0' && str_to_int64(inst, 1, INT64_MAX, &institution) != 0)
		return page_error(req, 400, _("Retention of records"), _("No such institution."));
	if (strcmp(mode, "apply") == 0 && req_form(req, "confirm") == NULL)
		return confirm_page(req, _("Anonymise records past their retention period?"),
				    _("Their identity and contact details will be removed for good; this "
				      "cannot be undone. Consider a dry run first."),
				    arena_printf(req->arena, "/admin/retention?mode=apply&institution_id=%lld",
						 (long long)institution),
				    _("Anonymise them"), "/admin/retention");
	params = arena_printf(req->arena, "{\"apply\":%s,\"institution_id\":%lld}",
			      strcmp(mode, "apply") == 0 ? "true" : "false", (long long)institution);
	req_actor(req, &who);
	if (params == NULL || tx_begin(req) != 0)
		return resp_server_error(req, "starting the retention job");
	rc = job_create(req->db, &who, "retention", params, &id);
	if (tx_end(req, rc) != 0)
		return resp_server_error(req, "queueing the retention job");
	job_runner_wake();
	return resp_redirect(req, arena_printf(req->arena, "/jobs/%lld", (long long)id),
			     strcmp(mode, "apply") == 0 ? _("The records are being anonymised in the background.")
							: _("The records are being listed in the background."));
}

ROUTES(dataprot) = {
	/* the access policy decides (the owning institution's casework roles; others 403) */
	{ HTTP_GET, "/persons/{id:int}/dataprot", h_person_dataprot, 0, 0 },
	{ HTTP_GET, "/admin/retention", h_retention, 0, ADMIN },
	{ HTTP_POST, "/admin/retention", h_retention_run, 0, ADMIN },
};
ROUTES_END(dataprot);
