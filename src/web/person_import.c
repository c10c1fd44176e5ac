/*
 * person_import.c — the import page of an institution's client register:
 * upload (multipart, up to max_upload_body) → preview of the first rows
 * with the mapping applied → confirm → the import's page with its counts
 * and its rejects (downloaded through the access policy, each download
 * audited). Only a social worker or an analyst imports, into their own
 * institution; administrators manage accounts, not personal data.
 *
 * Between the preview and the import the file waits in job_dir as
 * import-USER-TOKEN.csv, TOKEN 32 random hex digits carried by the
 * confirm form: another user cannot name it (their id is not in the
 * name). Files left by a preview never confirmed are removed after a day
 * by the next upload.
 *
 * The confirmation queues a background job (kind "person_import", listed
 * in jobs.c) and shows its page: a register of hundreds of thousands of
 * rows takes seconds, which must not hold an event loop. The job imports
 * as its owner is when it runs (account active, role still held), in the
 * import's one transaction; cancelling it keeps nothing. The import then
 * appears, with its counts and rejects, among the institution's imports.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "auth/role.h"
#include "auth/session.h"
#include "auth/user.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/html.h"
#include "core/str.h"
#include "job/job.h"
#include "registry/person_import.h"
#include "web/dispatch.h"
#include "web/handlers.h"
#include "web/multipart.h"
#include "web/page.h"
#include "web/widget.h"

#define IMPORTERS (ROLE_BIT(ROLE_SOCIAL_WORKER) | ROLE_BIT(ROLE_ANALYST))
#define PREVIEW_ROWS 10
#define SPOOL_KEEP_S (24 * 3600)
#define IMPORT_ARENA ((size_t)1 << 30)

static const struct option encodings[] = {
	{ "auto", N_("detect (UTF-8 or Windows-1250)") },
	{ "utf-8", "UTF-8" },
	{ "cp1250", "Windows-1250" },
	{ "iso-8859-2", "ISO-8859-2" },
};

/* spool_path() is the waiting file of this user's token, or NULL when token is malformed. */
static const char *spool_path(struct req *req, const char *token)
{
	char dir[1024];

	if (token == NULL || strlen(token) != 32 || strspn(token, "0123456789abcdef") != 32)
		return NULL;
	config_job_dir(&req->app->cfg, dir, sizeof(dir));
	return arena_printf(req->arena, "%s/import-%lld-%s.csv", dir, (long long)req->sess->user_id, token);
}

/* spool_sweep() removes waiting files older than a day (previews never confirmed). */
static void spool_sweep(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[1400];
	struct stat st;
	time_t now = time(NULL);

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "import-", 7) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) == 0 && now - st.st_mtime > SPOOL_KEEP_S)
			unlink(path);
	}
	closedir(d);
}

/* spool_write() saves the upload; returns its token (arena), or NULL. */
static const char *spool_write(struct req *req, const struct mpart *f)
{
	unsigned char rnd[16];
	char dir[1024], err[256], *token = arena_alloc(req->arena, 33);
	const char *path;
	int fd;
	size_t off = 0;

	config_job_dir(&req->app->cfg, dir, sizeof(dir));
	if (token == NULL || job_prepare_dir(dir, err, sizeof(err)) != 0)
		return NULL;
	spool_sweep(dir);
	randombytes_buf(rnd, sizeof(rnd));
	hex_encode(token, rnd, sizeof(rnd));
	path = spool_path(req, token);
	fd = path != NULL ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) : -1;
	if (fd < 0)
		return NULL;
	while (off < f->len) {
		ssize_t n = write(fd, f->data + off, f->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			unlink(path);
			return NULL;
		}
		off += (size_t)n;
	}
	if (close(fd) != 0) {
		unlink(path);
		return NULL;
	}
	return token;
}

/* recent_imports() lists the institution's latest imports under the form. */
static void recent_imports(struct buf *b, struct req *req)
{
	struct person_import_info im[10];
	int n = person_import_recent(req->db, req->arena, req->sess->institution_id, im, 10), i;

	if (n <= 0)
		return;
	html_fmt(b, "<h2>%s</h2><div class=\"table-wrap\"><table class=\"list\"><thead><tr><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		 _("Earlier imports"), _("When"), _("File"), _("Imported by"), _("Persons imported"), _("Rows refused"),
		 _("Duplicates (PESEL already registered)"));
	for (i = 0; i < n; i++)
		html_fmt(b, "<tr><td><a href=\"/persons/imports/%lld\">%s</a></td><td>%s</td><td>%s</td><td>%s</td>"
			    "<td>%s</td><td>%s</td></tr>",
			 (long long)im[i].id, fmt_time(req, im[i].at), im[i].file_name, im[i].actor,
			 fmt_int(req, im[i].imported), fmt_int(req, im[i].refused), fmt_int(req, im[i].duplicates));
	html_raw(b, "</tbody></table></div>");
}

/* form_page() renders the upload form, with an error above it when given. */
static int form_page(struct req *req, int status, const char *error)
{
	struct buf *b;
	size_t i;

	page_crumb(req, NULL, _("Import of persons"));
	b = page_begin(req, _("Import of persons"));
	if (error != NULL)
		page_notice(b, "error", error);
	html_fmt(b, "<p>%s</p>", _("Import your institution's client register from a CSV file exported by the "
				  "office's software: UTF-8 or Windows-1250, separated by semicolons, commas or tabs. "
				  "Columns are recognised by their Polish names (PESEL, Imię, Nazwisko, Data "
				  "urodzenia, Kod pocztowy, Miejscowość, Ulica, Nr domu, Nr gospodarstwa, …); a "
				  "mapping names other columns. You see the first rows before anything is saved."));
	html_fmt(b, "<form method=\"post\" action=\"/persons/import\" enctype=\"multipart/form-data\" class=\"form\">"
		    "<input type=\"hidden\" name=\"%s\" value=\"%s\">",
		 CSRF_FIELD, req->sess->csrf);
	html_fmt(b, "<div class=\"field\"><label for=\"f-file\">%s</label>"
		    "<input type=\"file\" id=\"f-file\" name=\"file\" accept=\".csv,.txt,text/csv\" required></div>",
		 _("CSV file"));
	html_fmt(b, "<div class=\"field\"><label for=\"f-encoding\">%s</label><select id=\"f-encoding\" name=\"encoding\">",
		 _("Encoding"));
	for (i = 0; i < sizeof(encodings) / sizeof(encodings[0]); i++)
		html_fmt(b, "<option value=\"%s\">%s</option>", encodings[i].value, _(encodings[i].label));
	html_raw(b, "</select></div>");
	html_fmt(b, "<div class=\"field\"><label for=\"f-mapping\">%s</label><p class=\"hint\" id=\"f-mapping-hint\">%s</p>"
		    "<textarea id=\"f-mapping\" name=\"mapping\" rows=\"6\" aria-describedby=\"f-mapping-hint\"></textarea></div>",
		 _("Mapping (optional)"),
		 _("One line per field: \"field = column name\", e.g. \"surname = NAZW\" (see docs/IMPORT.md)."));
	html_fmt(b, "<div class=\"field check\"><input type=\"checkbox\" id=\"f-update\" name=\"update\" value=\"1\">"
		    "<label for=\"f-update\">%s</label></div>",
		 _("Update the persons whose PESEL is already registered (each change kept in their history)"));
	button(b, _("Show the first rows"), "primary");
	html_raw(b, "</form>");
	recent_imports(b, req);
	return page_end(req, status);
}

static int h_import_form(struct req *req)
{
	return form_page(req, 200, NULL);
}

/* preview_rows() shows the first rows as the mapping reads them. */
static void preview_rows(struct buf *b, struct req *req, struct csv *in, const struct pi_mapping *m)
{
	struct csv_record rec;
	int shown = 0, rc, i;

	html_fmt(b, "<h2>%s</h2><div class=\"table-wrap\"><table class=\"list\"><thead><tr><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		 _("First rows"), _("Line"), pi_field_label(PI_PESEL), pi_field_label(PI_FIRST_NAMES),
		 pi_field_label(PI_SURNAME), pi_field_label(PI_BIRTH_DATE), pi_field_label(PI_TOWN),
		 pi_field_label(PI_HOUSEHOLD), _("Check"));
	while (shown < PREVIEW_ROWS && (rc = csv_next(in, &rec)) != CSV_DONE && rc != CSV_ERROR) {
		struct verrs v = VERRS_INIT;
		struct pi_row row;

		if (rc == CSV_ROW && rec.blank)
			continue;
		shown++;
		if (rc == CSV_BAD) {
			html_fmt(b, "<tr><td>%ld</td><td colspan=\"6\"></td><td class=\"error\">%s</td></tr>",
				 csv_error_line(in), csv_error(in));
			continue;
		}
		pi_convert(m, rec.field, rec.n, req->arena, &row, &v);
		html_fmt(b, "<tr><td>%ld</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>",
			 rec.line, row.p.pesel ? row.p.pesel : "", row.p.first_names ? row.p.first_names : "",
			 row.p.surname ? row.p.surname : "", row.p.birth_date ? row.p.birth_date : "",
			 row.p.town ? row.p.town : "", row.household ? row.household : "");
		if (v.n == 0)
			html_fmt(b, "%s", _("OK"));
		for (i = 0; i < v.n; i++)
			html_fmt(b, "<span class=\"error\">%s: %s</span> ", pi_field_label(pi_field_parse(v.e[i].field)),
				 v.e[i].message);
		html_raw(b, "</td></tr>");
	}
	html_raw(b, "</tbody></table></div>");
}

/* preview_mapping() lists which column holds which field. */
static void preview_mapping(struct buf *b, const struct pi_mapping *m)
{
	int f;

	html_fmt(b, "<h2>%s</h2><dl class=\"details\">", _("Columns"));
	for (f = 0; f < PI__MAX; f++)
		if (m->col[f] >= 0)
			dl_row(b, pi_field_label((enum pi_field)f), m->header[m->col[f]]);
	dl_row(b, _("Ignored columns"), m->unmapped);
	html_raw(b, "</dl>");
}

static int h_import_upload(struct req *req)
{
	struct mpart parts[MULTIPART_MAX_PARTS];
	const struct mpart *f;
	struct csv_opts o = { 0 };
	const char *enc = req_form(req, "encoding"), *mapping = req_form(req, "mapping"), *token;
	struct pi_mapping m;
	struct csv_record rec;
	struct csv *in;
	struct buf *b;
	char err[400];
	int n, rc;

	n = multipart_parse(req->arena, req->content_type, req->body, req->body_len, parts);
	f = n > 0 ? multipart_file(parts, n, "file") : NULL;
	if (f == NULL || f->len == 0)
		return form_page(req, 422, _("Choose the CSV file to import."));
	if (enc != NULL && csv_parse_encoding(enc, &o.encoding) != 0)
		return form_page(req, 422, _("Choose the file's encoding from the list."));
	if (str_empty(mapping))
		mapping = NULL;
	in = csv_open_mem(f->data, f->len, &o);
	if (in == NULL)
		return resp_oom(req);
	do
		rc = csv_next(in, &rec);
	while (rc == CSV_ROW && rec.blank);
	if (rc != CSV_ROW) {
		snprintf(err, sizeof(err), _("The file cannot be read: %s"),
			 rc == CSV_DONE ? _("the file is empty") : csv_error(in));
		csv_free(in);
		return form_page(req, 422, err);
	}
	if (pi_mapping_build(&m, req->arena, rec.field, rec.n, mapping, err, sizeof(err)) != 0) {
		csv_free(in);
		return form_page(req, 422, err);
	}
	token = spool_write(req, f);
	if (token == NULL) {
		csv_free(in);
		return resp_server_error(req, "keeping an uploaded file");
	}
	page_crumb(req, "/persons/import", _("Import of persons"));
	page_crumb(req, NULL, _("Preview"));
	b = page_begin(req, _("Preview of the import"));
	html_fmt(b, "<p>%s</p>", _("Nothing is saved yet. Check that the columns are read as they should be."));
	html_fmt(b, "<dl class=\"details\">");
	dl_row(b, _("File"), f->filename);
	dl_row(b, _("Encoding"), csv_encoding_name(csv_encoding(in) == CSV_ENC_AUTO ? CSV_ENC_UTF8 : csv_encoding(in)));
	dl_row(b, _("Separator"), csv_sep(in) == '\t' ? "TAB" : arena_printf(req->arena, "%c", csv_sep(in)));
	html_raw(b, "</dl>");
	preview_mapping(b, &m);
	preview_rows(b, req, in, &m);
	csv_free(in);
	form_begin(b, req, "/persons/import/confirm", NULL);
	html_fmt(b, "<input type=\"hidden\" name=\"token\" value=\"%s\"><input type=\"hidden\" name=\"name\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"encoding\" value=\"%s\"><input type=\"hidden\" name=\"update\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"mapping\" value=\"%s\">",
		 token, f->filename[0] != '\0' ? f->filename : "import.csv", enc != NULL ? enc : "auto",
		 str_eq(req_form(req, "update"), "1") ? "1" : "0", mapping != NULL ? mapping : "");
	button(b, _("Import the file"), "primary");
	form_end(b);
	html_fmt(b, "<p><a href=\"/persons/import\">%s</a></p>", _("Choose another file"));
	return page_end(req, 200);
}

static int h_import_confirm(struct req *req)
{
	const char *token = req_form(req, "token"), *path = spool_path(req, token), *enc = req_form(req, "encoding");
	struct audit_actor who;
	enum csv_encoding e;
	int64_t id = 0;
	char *text;
	json_t *p;
	int rc;

	if (path == NULL || access(path, R_OK) != 0)
		return form_page(req, 422, _("The file of that preview is no longer here; choose it again."));
	p = json_pack("{s:s, s:s, s:s, s:s, s:b}", "token", token, "name",
		      str_empty(req_form(req, "name")) ? "import.csv" : req_form(req, "name"), "encoding",
		      enc != NULL && csv_parse_encoding(enc, &e) == 0 ? enc : "auto", "mapping",
		      str_empty(req_form(req, "mapping")) ? "" : req_form(req, "mapping"), "update",
		      str_eq(req_form(req, "update"), "1"));
	text = p != NULL ? json_dumps(p, JSON_COMPACT) : NULL;
	json_decref(p);
	if (text == NULL)
		return resp_oom(req);
	req_actor(req, &who);
	rc = job_create(req->db, &who, "person_import", text, &id);
	free(text);
	if (rc != 0)
		return resp_server_error(req, "queueing an import");
	job_runner_wake();
	return resp_redirect(req, arena_printf(req->arena, "/jobs/%lld", (long long)id),
			     _("The import has started; when it is done it is listed under Import of persons."));
}

/* ------------------------------------------------------------------ */
/* The job                                                             */
/* ------------------------------------------------------------------ */

static int job_progress_cb(void *arg, long rows)
{
	return job_progress(arg, rows, 0);
}

/* import_writer() is the job's owner as they are now, if they may still import; -1 otherwise. */
static int import_writer(struct job_ctx *ctx, struct user *u, struct registry_writer *w)
{
	struct db *db = job_db(ctx);
	const struct job *j = job_of(ctx);
	int rc;

	if (db_begin_read(db) != 0)
		return -1;
	rc = user_get(db, job_arena(ctx), j->user_id, u);
	db_commit(db);
	if (rc != 0 || !u->active || !u->institution_active || !(u->roles & IMPORTERS))
		return -1;
	memset(w, 0, sizeof(*w));
	w->policy.user_id = u->id;
	w->policy.roles = u->roles;
	w->policy.institution_id = u->institution_id;
	w->audit.user_id = u->id;
	w->audit.login = u->login;
	w->audit.institution_id = u->institution_id;
	w->audit.ip = "job";
	return 0;
}

static int import_run(struct job_ctx *ctx)
{
	const struct job *j = job_of(ctx);
	const struct app *app = job_app(ctx);
	struct person_import_opts opts = { 0 };
	struct person_import_result r;
	struct csv_opts o = { 0 };
	struct registry_writer w;
	struct user u;
	const char *token = NULL, *name = NULL, *enc = NULL, *mapping = NULL, *path;
	char dir[1024];
	json_t *p = json_loads(j->params, 0, NULL);
	struct csv *in = NULL;
	int update = 0, fd = -1, rc = -1;

	if (p == NULL || json_unpack(p, "{s:s, s:s, s:s, s:s, s:b}", "token", &token, "name", &name, "encoding",
				     &enc, "mapping", &mapping, "update", &update) != 0 ||
	    strlen(token) != 32 || strspn(token, "0123456789abcdef") != 32) {
		job_fail(ctx, N_("The import's settings could not be read."));
		goto out;
	}
	if (import_writer(ctx, &u, &w) != 0) {
		job_fail(ctx, N_("Your account may no longer import persons, so nothing was imported."));
		goto out;
	}
	config_job_dir(&app->cfg, dir, sizeof(dir));
	path = arena_printf(job_arena(ctx), "%s/import-%lld-%s.csv", dir, (long long)j->user_id, token);
	fd = path != NULL ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0) {
		job_fail(ctx, N_("The uploaded file is no longer there; upload it again."));
		goto out;
	}
	if (csv_parse_encoding(enc, &o.encoding) != 0)
		o.encoding = CSV_ENC_AUTO;
	in = csv_open_fd(fd, &o);
	opts.institution_id = u.institution_id;
	opts.file_name = name;
	opts.mapping = str_empty(mapping) ? NULL : mapping;
	opts.update = update;
	opts.progress = job_progress_cb;
	opts.progress_arg = ctx;
	{
		struct stat sb;

		opts.size_hint = fd >= 0 && fstat(fd, &sb) == 0 ? (int64_t)sb.st_size : 0;
	}
	rc = in != NULL ? person_import(job_db(ctx), job_arena(ctx), &w, in, &opts, &r) : -1;
	if (rc == 1 && job_cancelled(ctx))
		rc = 1; /* cancelled: the runner records it */
	else if (rc == 1)
		job_fail(ctx, r.error), rc = -1;
	else if (rc < 0)
		job_fail(ctx, N_("The import failed; nothing was imported."));
	else
		job_progress(ctx, r.read, r.read);
	unlink(path);
out:
	csv_free(in);
	if (fd >= 0)
		close(fd);
	json_decref(p);
	return rc;
}

const struct job_kind person_import_kind = { "person_import", N_("Import of persons"), import_run };

/* load_import() reads the import of the URL if it is this institution's; else answers 404. */
static int load_import(struct req *req, struct person_import_info *im)
{
	int rc = person_import_get(req->db, req->arena, req->id, req->sess->institution_id, im);

	if (rc < 0)
		return resp_server_error(req, "reading an import");
	if (rc != 0)
		return resp_error(req, 404, "not_found", _("Page not found"),
				  _("There is no such import of your institution."));
	return 0;
}

static int h_import_show(struct req *req)
{
	struct person_import_info im;
	struct buf *b;
	int rc = load_import(req, &im);

	if (rc != 0)
		return rc;
	page_crumb(req, "/persons/import", _("Import of persons"));
	page_crumb(req, NULL, im.file_name);
	b = page_begin(req, arena_printf(req->arena, _("Import no. %lld"), (long long)im.id));
	if (req->flash != NULL)
		page_notice(b, im.refused + im.duplicates > 0 ? "warning" : "success", req->flash);
	html_raw(b, "<dl class=\"details\">");
	dl_row(b, _("File"), im.file_name);
	dl_row(b, _("Imported by"), im.actor);
	dl_row(b, _("When"), fmt_time(req, im.at));
	dl_row(b, _("Encoding"), im.encoding);
	dl_row(b, _("Rows read"), fmt_int(req, im.read));
	dl_row(b, _("Persons imported"), fmt_int(req, im.imported));
	dl_row(b, _("Persons updated"), fmt_int(req, im.updated));
	dl_row(b, _("Rows refused"), fmt_int(req, im.refused));
	dl_row(b, _("Duplicates (PESEL already registered)"), fmt_int(req, im.duplicates));
	dl_row(b, _("Rows with warnings"), fmt_int(req, im.warnings));
	dl_row(b, _("Households created"), fmt_int(req, im.households));
	dl_row(b, _("Ignored columns"), im.unmapped);
	html_raw(b, "</dl>");
	if (im.rejects_size > 0)
		html_fmt(b, "<p><a class=\"btn\" href=\"/persons/imports/%lld/rejects\">%s</a>%s</p>", (long long)im.id,
			 _("Download the refused rows with their reasons (CSV)"),
			 im.rejects_truncated ? _(" — only the first 32 MB were kept") : "");
	html_fmt(b, "<p><a href=\"/persons/import\">%s</a></p>", _("Import another file"));
	return page_end(req, 200);
}

static int h_import_rejects(struct req *req)
{
	struct policy_read rd;
	const void *data;
	size_t len;
	int rc;

	req_policy_read(req, POLICY_PERSON, PURPOSE_CASEWORK, &rd);
	rc = person_import_rejects(&rd, req->id, &data, &len);
	if (rc == POLICY_NOT_FOUND || (rc == POLICY_OK && len == 0))
		return resp_error(req, 404, "not_found", _("Page not found"),
				  _("There is no such import of your institution, or it refused no rows."));
	if (rc == POLICY_DENIED)
		return resp_denied(req, &rd.decision);
	if (rc != POLICY_OK)
		return resp_server_error(req, "reading the rejects of an import");
	buf_add(&req->out, data, len);
	req->out_type = "text/csv; charset=utf-8";
	resp_header(req, "content-disposition",
		    arena_printf(req->arena, "attachment; filename=\"import-%lld-odrzucone.csv\"", (long long)req->id));
	return 200;
}

ROUTES(person_import) = {
	{ HTTP_GET, "/persons/import", h_import_form, 0, IMPORTERS },
	{ HTTP_POST, "/persons/import", h_import_upload, 0, IMPORTERS, BODY_UPLOAD },
	{ HTTP_POST, "/persons/import/confirm", h_import_confirm, 0, IMPORTERS },
	{ HTTP_GET, "/persons/imports/{id:int}", h_import_show, 0, IMPORTERS },
	{ HTTP_GET, "/persons/imports/{id:int}/rejects", h_import_rejects, 0, IMPORTERS },
};
ROUTES_END(person_import);
