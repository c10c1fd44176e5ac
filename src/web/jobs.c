/*
 * jobs.c — the user's background jobs: /jobs (their own, newest first),
 * /jobs/{id} with its progress (a <progress> bar that reloads itself
 * without JavaScript and follows GET /api/v1/jobs/{id} with
 * assets/jobs.js), the result download (streamed from its file) and
 * cancelling; the same under /api/v1/jobs. Only the owner, or an
 * administrator, sees a job; anybody else gets 404 as if it did not exist.
 *
 * job_kinds[] is the table of every kind this program runs: a module adds
 * its kind there.
 */
#include <stdio.h>
#include <string.h>

#include "auth/role.h"
#include "core/html.h"
#include "job/job.h"
#include "web/handlers.h"
#include "web/list.h"
#include "web/page.h"
#include "web/widget.h"

#define REFRESH_S 2 /* the job page reloads itself this often while the job runs */

const struct job_kind *const job_kinds[] = {
	&list_export_kind,
	&person_import_kind,
	&retention_kind,
	NULL,
};

/* load() reads the job of the URL, or answers 404 when there is none this user may see. */
static int load(struct req *req, struct job *j)
{
	int rc = job_get(req->db, req->arena, req->id, j);
	struct policy_read rd;
	struct policy_subject s = { POLICY_JOB, req->id, 0, 0 };

	if (rc < 0)
		return resp_server_error(req, "reading a job");
	if (rc > 0)
		return resp_error(req, 404, "not_found", _("Page not found"),
				  _("There is no such job, or it is not yours."));
	s.owner_id = j->user_id;
	req_policy_read(req, POLICY_JOB, PURPOSE_ADMINISTRATION, &rd);
	if (policy_decide(&rd.actor, &s, rd.purpose, &rd.decision) != 0)
		return resp_denied(req, &rd.decision);
	return 0;
}

static int ended(const struct job *j)
{
	return j->state == JOB_DONE || j->state == JOB_FAILED || j->state == JOB_CANCELLED;
}

static json_t *job_json(const struct job *j)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:s?, s:s?, s:s?, s:s?}",
			      "id", (json_int_t)j->id, "kind", j->kind, "kind_label", job_kind_label(j->kind),
			      "state", job_state_code(j->state), "done", (json_int_t)j->done, "total",
			      (json_int_t)j->total, "created_at", j->created_at, "started_at", j->started_at,
			      "finished_at", j->finished_at, "error", j->error != NULL ? _(j->error) : NULL);

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "state_label", json_string(job_state_label(job_state_code(j->state))));
	if (j->state == JOB_DONE && j->result_file != NULL) {
		char url[64];

		snprintf(url, sizeof(url), "/api/v1/jobs/%lld/result", (long long)j->id);
		json_object_set_new(o, "result", json_pack("{s:s, s:s?, s:s?, s:I}", "url", url, "name",
							   j->result_name, "type", j->result_type,
							   "size", (json_int_t)j->result_size));
	}
	return o;
}

/* ------------------------------------------------------------------ */
/* Pages                                                               */
/* ------------------------------------------------------------------ */

int h_job_list(struct req *req)
{
	struct list_view view = {
		.def = &job_list,
		.title = _("My background jobs"),
		.row_href = "/jobs/%s",
		.kind = POLICY_JOB, /* the policy scopes the list to the user's own jobs */
		.purpose = PURPOSE_ADMINISTRATION,
		.empty = _("You have no background jobs. Long exports appear here."),
	};

	return list_respond(req, &view);
}

static void progress_bar(struct buf *b, struct req *req, const struct job *j)
{
	int64_t pct = j->total > 0 ? j->done * 100 / j->total : 0;

	html_fmt(b, "<div class=\"job-progress\" data-job=\"%lld\" data-state=\"%s\">",
		 (long long)j->id, job_state_code(j->state));
	html_fmt(b, "<label for=\"job-bar\">%s</label> ", _("Progress"));
	if (j->total > 0)
		html_fmt(b, "<progress id=\"job-bar\" max=\"%lld\" value=\"%lld\">%lld%%</progress>",
			 (long long)j->total, (long long)j->done, (long long)pct);
	else
		html_fmt(b, "<progress id=\"job-bar\">%s</progress>", _("not known yet"));
	html_fmt(b, " <span class=\"job-count\" role=\"status\">%s</span></div>",
		 arena_printf(req->arena, _("%s of %s"), fmt_int(req, j->done), fmt_int(req, j->total)));
}

int h_job_show(struct req *req)
{
	struct job j;
	struct buf *b;
	const char *title;
	int rc = load(req, &j);

	if (rc != 0)
		return rc;
	if (!ended(&j))
		req->refresh = REFRESH_S;
	title = arena_printf(req->arena, _("Job %lld: %s"), (long long)j.id, job_kind_label(j.kind));
	page_crumb(req, "/jobs", _("My background jobs"));
	page_crumb(req, NULL, title);
	b = page_begin(req, title);
	html_fmt(b, "<p class=\"status job-state\" id=\"job-state\">%s</p>",
		 job_state_label(job_state_code(j.state)));
	progress_bar(b, req, &j);
	html_raw(b, "<dl class=\"details\">");
	dl_row(b, _("Requested"), fmt_time(req, j.created_at));
	dl_row(b, _("Started"), fmt_time(req, j.started_at));
	dl_row(b, _("Finished"), fmt_time(req, j.finished_at));
	if (j.user_id != req->sess->user_id)
		dl_row(b, _("Requested by"), j.login);
	html_raw(b, "</dl>");
	if (j.state == JOB_FAILED && j.error != NULL)
		page_notice(b, "warn", _(j.error));
	html_raw(b, "<div class=\"actions\" id=\"job-actions\">");
	if (j.state == JOB_DONE && j.result_file != NULL)
		html_fmt(b, "<a class=\"btn primary\" id=\"job-download\" href=\"/jobs/%lld/result\" download>%s</a> ",
			 (long long)j.id,
			 arena_printf(req->arena, _("Download %s (%s bytes)"), j.result_name != NULL ? j.result_name : "",
				      fmt_int(req, j.result_size)));
	else if (j.state == JOB_DONE)
		html_fmt(b, "<p>%s</p>", _("The file has been deleted: results are kept for a limited time. "
					  "Start the export again."));
	if (!ended(&j))
		action_form(b, req, arena_printf(req->arena, "/jobs/%lld/cancel", (long long)j.id),
			    _("Cancel the job"), "danger");
	html_fmt(b, "</div><script src=\"%s\" defer></script>", asset_url("jobs.js"));
	return page_end(req, 200);
}

/* send_result() streams the result file of job j and records the download as a read of the export. */
static int send_result(struct req *req, const struct job *j)
{
	json_t *params;
	const char *action = NULL, *entity = NULL, *disp;
	char dir[1024], id[24];

	if (j->state != JOB_DONE || j->result_file == NULL)
		return resp_error(req, 404, "not_found", _("Page not found"),
				  _("This job has no file to download (yet, or any more)."));
	params = json_loads(j->params, 0, NULL);
	action = arena_strdup(req->arena, json_string_value(json_object_get(params, "audit")));
	entity = arena_strdup(req->arena, json_string_value(json_object_get(params, "entity")));
	json_decref(params);
	snprintf(id, sizeof(id), "job %lld", (long long)j->id);
	if (req_audit_read(req, action != NULL ? action : "job.download", entity != NULL ? entity : "job",
			   NULL, arena_strdup(req->arena, id)) != 0)
		return resp_server_error(req, "recording the read in the audit log");
	config_job_dir(&req->app->cfg, dir, sizeof(dir));
	req->out_file = arena_printf(req->arena, "%s/%s", dir, j->result_file);
	req->out_type = j->result_type;
	disp = arena_printf(req->arena, "attachment; filename=\"%s\"",
			    j->result_name != NULL ? j->result_name : "result");
	if (req->out_file == NULL || disp == NULL)
		return resp_oom(req);
	resp_header(req, "content-disposition", disp);
	return 200;
}

int h_job_result(struct req *req)
{
	struct job j;
	int rc = load(req, &j);

	return rc != 0 ? rc : send_result(req, &j);
}

static int cancel(struct req *req, struct job *j)
{
	struct audit_actor who;
	int rc = load(req, j);

	if (rc != 0)
		return rc;
	req_actor(req, &who);
	rc = job_cancel(req->db, &who, j->id);
	if (rc < 0)
		return resp_server_error(req, "cancelling a job");
	if (job_get(req->db, req->arena, j->id, j) != 0)
		return resp_server_error(req, "reading a job");
	return rc == 0 ? 0 : 1;
}

int h_job_cancel(struct req *req)
{
	struct job j;
	int rc = cancel(req, &j);

	if (rc > 1)
		return rc;
	return resp_redirect(req, arena_printf(req->arena, "/jobs/%lld", (long long)req->id),
			     rc == 0 ? _("The job is being cancelled.") : _("The job had already ended."));
}

/* ------------------------------------------------------------------ */
/* API                                                                 */
/* ------------------------------------------------------------------ */

int h_api_job_list(struct req *req)
{
	return h_job_list(req);
}

int h_api_job_get(struct req *req)
{
	struct job j;
	int rc = load(req, &j);

	return rc != 0 ? rc : resp_json(req, 200, job_json(&j));
}

int h_api_job_cancel(struct req *req)
{
	struct job j;
	int rc = cancel(req, &j);

	if (rc > 1)
		return rc;
	if (rc == 1)
		return resp_api_error(req, 409, "job_ended", _("The job had already ended."), NULL);
	return resp_json(req, 200, job_json(&j));
}

int h_api_job_result(struct req *req)
{
	return h_job_result(req);
}

/* the user's own jobs (an administrator may open anybody's by id) */
ROUTES(jobs) = {
	{ HTTP_GET, "/jobs", h_job_list, 0, 0 },
	{ HTTP_GET, "/jobs/{id:int}", h_job_show, 0, 0 },
	{ HTTP_POST, "/jobs/{id:int}/cancel", h_job_cancel, 0, 0 },
	{ HTTP_GET, "/jobs/{id:int}/result", h_job_result, 0, 0 },
	{ HTTP_GET, "/api/v1/jobs", h_api_job_list, 0, 0 },
	{ HTTP_GET, "/api/v1/jobs/{id:int}", h_api_job_get, 0, 0 },
	{ HTTP_POST, "/api/v1/jobs/{id:int}/cancel", h_api_job_cancel, 0, 0 },
	{ HTTP_GET, "/api/v1/jobs/{id:int}/result", h_api_job_result, 0, 0 },
};
ROUTES_END(jobs);
