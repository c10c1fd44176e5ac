/*
 * http.c — request accessors and response writers shared by all handlers.
 */
#include "web/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/role.h"
#include "core/clock.h"
#include "core/html.h"
#include "core/jsonw.h"
#include "core/log.h"
#include "core/str.h"
#include "web/dispatch.h"
#include "web/page.h"

const char *req_query(const struct req *req, const char *name)
{
	return params_get(&req->query, name);
}

const char *req_form(const struct req *req, const char *name)
{
	return params_get(&req->form, name);
}

const char *req_cookie(const struct req *req, const char *name)
{
	return params_get(&req->cookies, name);
}

const char *req_param(const struct req *req, const char *name)
{
	int i;

	for (i = 0; i < req->params.n; i++)
		if (strcmp(req->params.name[i], name) == 0)
			return req->params.text[i];
	return NULL;
}

int64_t req_param_int(const struct req *req, const char *name)
{
	int i;

	for (i = 0; i < req->params.n; i++)
		if (strcmp(req->params.name[i], name) == 0)
			return req->params.num[i];
	return 0;
}

const char *req_header(const struct req *req, const char *name)
{
	return req->header_of != NULL ? req->header_of(req, name) : NULL;
}

int req_has_role(const struct req *req, unsigned mask)
{
	return req->sess != NULL && (req->sess->roles & mask) != 0;
}

void req_actor(const struct req *req, struct audit_actor *who)
{
	memset(who, 0, sizeof(*who));
	who->ip = req->ip;
	if (req->sess != NULL) {
		who->user_id = req->sess->user_id;
		who->login = req->sess->login;
		who->institution_id = req->sess->institution_id;
	}
}

int req_audit_read(struct req *req, const char *action, const char *entity, const char *entity_id,
		   const char *detail)
{
	return audit_reads_add(&req->reads, action, entity, entity_id, detail);
}

void req_policy_read(struct req *req, enum policy_kind kind, enum policy_purpose purpose,
		     struct policy_read *out)
{
	memset(out, 0, sizeof(*out));
	out->db = req->db;
	out->arena = req->arena;
	out->kind = kind;
	out->purpose = purpose;
	out->log = &req->reads;
	if (req->sess != NULL) {
		out->actor.user_id = req->sess->user_id;
		out->actor.roles = req->sess->roles;
		out->actor.institution_id = req->sess->institution_id;
		/* only the command line's jobs have a session without an account (razem export) */
		out->actor.cli = req->sess->user_id == 0;
	}
}

int tx_begin(struct req *req)
{
	return db_begin(req->db);
}

int tx_end(struct req *req, int rc)
{
	if (rc != 0) {
		db_rollback(req->db);
		return rc;
	}
	return db_commit(req->db) == 0 ? 0 : -1;
}

int tx_audit(struct req *req, int rc, const char *action, const char *entity, int64_t id,
	     const char *detail)
{
	struct audit_actor who;

	req_actor(req, &who);
	return audit_commit(req->db, &who, rc, action, entity, id, detail);
}

void resp_header(struct req *req, const char *name, const char *value)
{
	if (req->nheaders >= RESP_MAX_HEADERS || name == NULL || value == NULL) {
		log_error("dropped response header %s", name != NULL ? name : "(null)");
		return;
	}
	req->headers[req->nheaders].name = name;
	req->headers[req->nheaders].value = value;
	req->nheaders++;
}

void resp_cookie(struct req *req, const char *name, const char *value, int64_t max_age)
{
	char age[48] = "";
	const char *c;

	if (max_age >= 0)
		snprintf(age, sizeof(age), "; Max-Age=%lld", (long long)max_age);
	c = arena_printf(req->arena, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", name, value, age,
			 req->secure ? "; Secure" : "");
	if (c != NULL)
		resp_header(req, "set-cookie", c);
}

int local_path_ok(const char *p)
{
	const unsigned char *s = (const unsigned char *)p;

	if (s == NULL || s[0] != '/' || s[1] == '/')
		return 0;
	/*
	 * Browsers drop tabs and newlines from URLs and read '\' as '/', so
	 * "/\t/evil.example" would become "//evil.example": refuse them all.
	 */
	for (; *s != '\0'; s++)
		if (*s < 0x20 || *s == 0x7f || *s == '\\')
			return 0;
	return 1;
}

int resp_redirect(struct req *req, const char *location, const char *flash)
{
	if (!local_path_ok(location))
		location = "/";
	resp_header(req, "location", location);
	if (flash != NULL) {
		struct buf b = BUF_INIT(2048);

		url_encode(&b, flash);
		if (!b.failed)
			resp_cookie(req, COOKIE_FLASH, arena_strdup(req->arena, buf_str(&b)), 120);
		buf_release(&b);
	}
	buf_reset(&req->out);
	return 303;
}

int resp_json(struct req *req, int status, json_t *j)
{
	char *s;

	if (j == NULL)
		return resp_server_error(req, "building JSON");
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (s == NULL)
		return resp_server_error(req, "encoding JSON");
	buf_reset(&req->out);
	buf_adds(&req->out, s);
	buf_addc(&req->out, '\n');
	free(s);
	req->out_type = "application/json; charset=utf-8";
	return status;
}

int resp_json_written(struct req *req, int status, const struct jsonw *w)
{
	if (!jsonw_ok(w))
		return resp_server_error(req, "encoding JSON");
	buf_addc(&req->out, '\n');
	req->out_type = "application/json; charset=utf-8";
	return status;
}

int resp_api_error(struct req *req, int status, const char *code, const char *message,
		   const char *field)
{
	json_t *j = json_pack("{s:s, s:s}", "code", code, "message", message != NULL ? message : "");

	if (j != NULL && field != NULL)
		json_object_set_new(j, "field", json_string(field));
	return resp_json(req, status, j);
}

int resp_api_verrs(struct req *req, const struct verrs *v)
{
	json_t *j, *arr;
	int i;

	if (v->n == 0)
		return resp_api_error(req, 422, "invalid", _("The data is not valid."), NULL);
	j = json_pack("{s:s, s:s}", "code", v->e[0].code, "message", v->e[0].message);
	arr = json_array();
	if (j == NULL || arr == NULL) {
		json_decref(j);
		json_decref(arr);
		return resp_server_error(req, "building JSON");
	}
	if (v->e[0].field[0] != '\0')
		json_object_set_new(j, "field", json_string(v->e[0].field));
	for (i = 0; i < v->n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "field", v->e[i].field, "code",
						     v->e[i].code, "message", v->e[i].message));
	json_object_set_new(j, "errors", arr);
	return resp_json(req, 422, j);
}

int resp_error(struct req *req, int status, const char *code, const char *title,
	       const char *message)
{
	if (req->is_api)
		return resp_api_error(req, status, code, message, NULL);
	return page_error(req, status, title, message);
}

int resp_denied(struct req *req, const struct policy_decision *d)
{
	if (d->conceal)
		return resp_error(req, 404, "not_found", _("Page not found"),
				  _("There is no page at this address. Check the address or go back "
				    "to the start page."));
	return resp_error(req, 403, d->code, _("No access"), d->reason);
}

int resp_server_error(struct req *req, const char *what)
{
	log_error("%s %s: failed while %s: %s", http_method_name(req->method), req->path, what,
		  req->db != NULL ? db_errmsg(req->db) : "-");
	buf_reset(&req->out);
	req->nheaders = 0;
	return resp_error(req, 500, "internal_error", _("Something went wrong"),
			  _("The request could not be completed because of an error on the server. "
			    "Nothing was changed. Try again in a moment; if it happens again, tell "
			    "your administrator the time it happened."));
}

int resp_too_large(struct req *req, int64_t limit)
{
	const char *msg = arena_printf(req->arena,
				       _("The data sent is larger than this address accepts (at most %lld KiB)."),
				       (long long)(limit / 1024));

	return resp_error(req, 413, "too_large", _("Request too large"),
			  msg != NULL ? msg : _("The data sent is too large."));
}

int resp_finish(struct req *req, int status)
{
	if (!req->out.failed)
		return status;
	log_error("%s %s: the response (status %d) did not fit in its buffer; answering 503",
		  http_method_name(req->method), req->path != NULL ? req->path : "-", status);
	buf_reset(&req->out);
	req->nheaders = 0;
	req->out_type = NULL;
	req->cacheable = 0;
	status = resp_error(req, 503, "response_too_large", _("The answer is too large"),
			    _("The answer to this request is too large to send. Narrow it down (a "
			      "filter, a shorter period) and try again."));
	return req->out.failed ? resp_oom(req) : status;
}

int resp_oom(struct req *req)
{
	log_error("%s %s: out of memory (request arena exhausted)", http_method_name(req->method),
		  req->path);
	buf_release(&req->out);
	req->nheaders = 0;
	req->out_type = "text/plain; charset=utf-8";
	buf_adds(&req->out, "503 Service Unavailable: the server is out of memory for this request.\n");
	return 503;
}

const char *req_url_edit(struct req *req, const char *const *keys, const char *const *values,
			 int n)
{
	struct buf b = BUF_INIT(8192);
	const char *out;
	int i, k, first = 1;

	buf_adds(&b, req->path != NULL ? req->path : "/"); /* no path: a request refused unread */
	for (i = 0; i < req->query.n; i++) {
		int replaced = 0;

		for (k = 0; k < n; k++)
			replaced |= strcmp(req->query.v[i].name, keys[k]) == 0;
		if (replaced)
			continue;
		buf_addc(&b, first ? '?' : '&');
		url_encode(&b, req->query.v[i].name);
		buf_addc(&b, '=');
		url_encode(&b, req->query.v[i].value);
		first = 0;
	}
	for (k = 0; k < n; k++) {
		if (values[k] == NULL)
			continue;
		buf_addc(&b, first ? '?' : '&');
		url_encode(&b, keys[k]);
		buf_addc(&b, '=');
		url_encode(&b, values[k]);
		first = 0;
	}
	out = b.failed ? req->path : arena_strdup(req->arena, buf_str(&b));
	buf_release(&b);
	return out;
}

const char *req_url_with(struct req *req, const char *key, const char *value)
{
	return req_url_edit(req, &key, &value, 1);
}

const char *http_method_name(enum http_method m)
{
	static const char *const names[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OTHER" };

	return m >= 0 && m <= HTTP_OTHER ? names[m] : "OTHER";
}

const char *fmt_int(struct req *req, int64_t v)
{
	char digits[32], out[64];
	const char *sep = req->lang == LANG_PL ? "\u00a0" : ",";
	size_t n, i, j = 0, seplen = strlen(sep);
	int neg = v < 0;

	snprintf(digits, sizeof(digits), "%llu",
		 neg ? (unsigned long long)(-(v + 1)) + 1 : (unsigned long long)v);
	n = strlen(digits);
	if (neg)
		out[j++] = '-';
	for (i = 0; i < n; i++) {
		/* Polish style groups only from 5 digits up (1000, but 10 000) */
		if (i > 0 && (n - i) % 3 == 0 && (req->lang != LANG_PL || n > 4)) {
			memcpy(out + j, sep, seplen);
			j += seplen;
		}
		out[j++] = digits[i];
	}
	out[j] = '\0';
	return arena_strdup(req->arena, out);
}

const char *fmt_time(struct req *req, const char *iso)
{
	char out[32];

	if (iso == NULL)
		return "";
	clock_show(iso, req->lang, out);
	return arena_strdup(req->arena, out);
}

json_t *roles_json(unsigned roles)
{
	json_t *a = json_array();
	int i;

	for (i = 0; a != NULL && i < ROLE__MAX; i++)
		if (roles & ROLE_BIT(i))
			json_array_append_new(a, json_string(role_code((enum role)i)));
	return a;
}
