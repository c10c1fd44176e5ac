/*
 * page.c — the layout around every HTML page.
 */
#include "web/page.h"

#include <string.h>

#include "auth/role.h"
#include "core/embed.h"
#include "core/html.h"
#include "core/str.h"
#include "registry/institution.h"
#include "web/assets.h"
#include "web/dispatch.h"
#include "web/registry_web.h"
#include "web/widget.h"

#define MAX_CRUMBS 8

struct nav_item {
	const char *href;  /* target */
	const char *label; /* msgid */
	unsigned roles;    /* who sees it; 0 = everyone signed in */
	enum policy_kind kind; /* not POLICY_NONE: shown when the access policy lets the user read these */
};

static const struct nav_item nav[] = {
	{ "/", N_("Start"), 0 },
	{ "/my", N_("My cases"), 0, POLICY_PERSON },
	{ "/persons", N_("Persons"), 0, POLICY_PERSON },
	{ "/registry", N_("Register of persons"), 0, POLICY_PERSON },
	{ "/registry/families", N_("Households"), 0, POLICY_FAMILY },
	{ "/referrals", N_("Referrals"), ROLE_BIT(ROLE_SOCIAL_WORKER) | ROLE_BIT(ROLE_GUARDIAN) |
						ROLE_BIT(ROLE_LABOUR_ADVISER) },
	{ "/contracts", N_("Social contracts"), ROLE_BIT(ROLE_SOCIAL_WORKER) | ROLE_BIT(ROLE_GUARDIAN) |
						ROLE_BIT(ROLE_LABOUR_ADVISER) | ROLE_BIT(ROLE_COORDINATOR) },
	{ "/teams", N_("County teams"), 0 },
	{ "/evaluation", N_("Evaluation of social contracts"), ROLE_BIT(ROLE_COORDINATOR) | ROLE_BIT(ROLE_ANALYST) },
	{ "/agreements", N_("Partnership agreements"), 0 },
	{ "/reports/cooperation", N_("Cooperation report"), 0 },
	{ "/alerts", N_("Duplicated support"), 0 },
	{ "/persons/import", N_("Import of persons"), ROLE_BIT(ROLE_SOCIAL_WORKER) | ROLE_BIT(ROLE_ANALYST) },
	{ "/admin/institutions", N_("Institutions"), ROLE_BIT(ROLE_ADMIN) },
	{ "/admin/users", N_("Users"), ROLE_BIT(ROLE_ADMIN) },
	{ "/admin/audit", N_("Audit log"), ROLE_BIT(ROLE_ADMIN) },
	{ "/admin/retention", N_("Retention"), ROLE_BIT(ROLE_ADMIN) },
	{ "/territory", N_("Territorial units"), 0 },
	{ "/maps", N_("Maps"), 0 },
	{ "/jobs", N_("My background jobs"), 0 },
	{ "/account", N_("My account"), 0 },
};

void page_crumb(struct req *req, const char *href, const char *label)
{
	if (req->ncrumbs >= MAX_CRUMBS)
		return;
	req->crumb_href[req->ncrumbs] = href;
	req->crumb_label[req->ncrumbs] = label;
	req->ncrumbs++;
}

const char *asset_url(const char *name)
{
	return assets_url(name);
}

/* is_current() decides whether a nav item is the section of the current path. */
static int is_current(const char *href, const char *path)
{
	size_t n = strlen(href);

	if (strcmp(href, "/") == 0)
		return strcmp(path, "/") == 0;
	return strncmp(path, href, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static void write_nav(struct buf *b, struct req *req)
{
	size_t i;

	html_fmt(b, "<nav class=\"side\" aria-label=\"%s\"><ul>", _("Main menu"));
	for (i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
		if (nav[i].roles != 0 && !req_has_role(req, nav[i].roles))
			continue;
		if (nav[i].kind != POLICY_NONE && !reg_may_see(req, nav[i].kind))
			continue;
		if (is_current(nav[i].href, req->path))
			html_fmt(b, "<li><a href=\"%s\" aria-current=\"page\">%s</a></li>", nav[i].href,
				 _(nav[i].label));
		else
			html_fmt(b, "<li><a href=\"%s\">%s</a></li>", nav[i].href, _(nav[i].label));
	}
	html_raw(b, "</ul></nav>");
}

static void write_header(struct buf *b, struct req *req)
{
	const struct session *s = req->sess;

	html_raw(b, "<header class=\"top\"><a class=\"brand\" href=\"/\">razem</a>");
	if (s == NULL) {
		html_raw(b, "</header>");
		return;
	}
	html_fmt(b,
		 "<div class=\"who\"><span class=\"name\">%s</span> <span class=\"roles\">%s</span> "
		 "<span class=\"inst\">%s</span></div>",
		 s->full_name, role_set_labels(req->arena, s->roles), s->institution_name);
	form_begin(b, req, "/logout", "logout");
	button(b, _("Sign out"), "link");
	form_end(b);
	html_raw(b, "</header>");
}

static void write_crumbs(struct buf *b, const struct req *req)
{
	int i;

	if (req->ncrumbs == 0)
		return;
	html_fmt(b, "<nav class=\"crumbs\" aria-label=\"%s\"><ol>", _("You are here"));
	for (i = 0; i < req->ncrumbs; i++) {
		if (req->crumb_href[i] != NULL && i < req->ncrumbs - 1)
			html_fmt(b, "<li><a href=\"%s\">%s</a></li>", req->crumb_href[i],
				 req->crumb_label[i]);
		else
			html_fmt(b, "<li aria-current=\"page\">%s</li>", req->crumb_label[i]);
	}
	html_raw(b, "</ol></nav>");
}

struct buf *page_begin(struct req *req, const char *title)
{
	struct buf *b = &req->out;
	buf_reset(b);
	req->out_type = NULL;
	html_fmt(b,
		 "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		 "<title>%s — razem</title>"
		 "<link rel=\"icon\" href=\"%s\" type=\"image/svg+xml\">"
		 "<link rel=\"stylesheet\" href=\"%s\">"
		 "<script src=\"%s\" defer></script>",
		 i18n_code(req->lang), title, asset_url("favicon.svg"), asset_url("style.css"),
		 asset_url("app.js"));
	/* a page that follows work in progress: reloads itself, unless its script does better */
	if (req->refresh > 0)
		html_fmt(b, "<noscript><meta http-equiv=\"refresh\" content=\"%d\"></noscript>",
			 req->refresh);
	html_raw(b, "</head><body>");
	html_fmt(b, "<a class=\"skip\" href=\"#main\">%s</a>", _("Skip to content"));
	if (req->app->demo)
		html_fmt(b,
			 "<div class=\"demo-band\" role=\"note\"><strong>%s</strong> %s</div>",
			 _("DEMO"),
			 _("Demonstration database: a fictional county (powiat przykładowy). No data "
			   "here concerns real people or institutions."));
	write_header(b, req);
	html_raw(b, "<div class=\"layout\">");
	if (req->sess != NULL && !req->sess->must_change_password)
		write_nav(b, req);
	html_raw(b, "<main id=\"main\" tabindex=\"-1\">");
	write_crumbs(b, req);
	req->ncrumbs = 0;
	html_fmt(b, "<h1>%s</h1>", title);
	/*
	 * A flash (the message after a redirect) confirms what was just done,
	 * so it looks the same on every page: the success box. On the sign-in
	 * page it says why one is there (signed out, session ended): a plain
	 * information.
	 */
	if (req->flash != NULL)
		page_notice(b, strcmp(req->path, "/login") == 0 ? "info" : "success", req->flash);
	return b;
}

int page_end(struct req *req, int status)
{
	struct buf *b = &req->out;
	const char *switch_to = req->lang == LANG_PL ? "en" : "pl";
	struct buf next = BUF_INIT(4096);

	url_encode(&next, req_url_with(req, "lang", NULL));
	html_raw(b, "</main></div><footer class=\"foot\">");
	html_fmt(b, "<span>razem %s</span> <a href=\"/language?set=%s&amp;next=%s\" lang=\"%s\">%s</a>",
		 req->app->version, switch_to, buf_str(&next), switch_to,
		 req->lang == LANG_PL ? "English" : "Polski");
	html_raw(b, "</footer></body></html>\n");
	buf_release(&next);
	if (b->failed)
		return resp_oom(req);
	return status;
}

void page_notice(struct buf *b, const char *kind, const char *message)
{
	html_fmt(b, "<div class=\"notice%s%s\" role=\"status\">%s</div>", kind != NULL ? " " : "",
		 kind != NULL ? kind : "", message);
}

int page_error(struct req *req, int status, const char *title, const char *message)
{
	return page_error_back(req, status, title, message, NULL, NULL);
}

int page_error_back(struct req *req, int status, const char *title, const char *message,
		    const char *back_href, const char *back_label)
{
	struct buf *b;

	req->ncrumbs = 0;
	b = page_begin(req, title);
	html_fmt(b, "<p class=\"lead\">%s</p>", message);
	if (back_href != NULL)
		html_fmt(b, "<p><a href=\"%s\">%s</a></p>", back_href, back_label);
	if (req->sess != NULL)
		html_fmt(b, "<p><a href=\"/\">%s</a></p>", _("Go to the start page"));
	else
		html_fmt(b, "<p><a href=\"/login\">%s</a></p>", _("Go to the sign-in page"));
	return page_end(req, status);
}

int page_sheet_format(struct req *req, int api, enum sheet_format *fmt)
{
	const char *f = req_query(req, "format");

	if (str_eq(f, "csv") || str_eq(f, "xlsx")) {
		*fmt = str_eq(f, "csv") ? SHEET_CSV : SHEET_XLSX;
		return 1;
	}
	if (f != NULL && f[0] != '\0' && !(api && str_eq(f, "json")))
		return resp_error(req, 422, "invalid", _("Invalid request"), _("Format: csv or xlsx."));
	return 0;
}

int page_sheet_send(struct req *req, struct sheet *s, int rc, enum sheet_format fmt, const char *name)
{
	if (rc == 0)
		rc = sheet_finish(s, &req->out);
	sheet_free(s);
	if (rc != 0)
		return resp_server_error(req, "writing a sheet");
	resp_header(req, "content-disposition",
		    arena_printf(req->arena, "attachment; filename=\"%s.%s\"", name, sheet_extension(fmt)));
	req->out_type = sheet_content_type(fmt);
	return 200;
}

const char *page_num(struct req *req, double x, int decimals)
{
	char out[64];

	return arena_strdup(req->arena, i18n_fmt_num(out, sizeof(out), x, decimals));
}
