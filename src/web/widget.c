/*
 * widget.c — form controls (see widget.h for the conventions).
 */
#include "web/widget.h"

#include <string.h>

#include "auth/user.h"
#include "coop/agreement.h"
#include "coop/team.h"
#include "core/html.h"
#include "registry/institution.h"
#include "web/registry_web.h"
#include "web/dispatch.h"
#include "web/page.h"

void form_begin(struct buf *b, struct req *req, const char *action, const char *cls)
{
	const char *token = req->sess != NULL ? req->sess->csrf : req_cookie(req, COOKIE_PRE_CSRF);

	html_fmt(b, "<form method=\"post\" action=\"%s\" class=\"%s\" novalidate>", action,
		 cls != NULL ? cls : "form");
	html_fmt(b, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", CSRF_FIELD,
		 token != NULL ? token : "");
}

void form_end(struct buf *b)
{
	html_raw(b, "</form>");
}

void form_errors(struct buf *b, const struct verrs *v)
{
	int i;

	if (v == NULL || v->n == 0)
		return;
	html_fmt(b,
		 "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" id=\"errors\">"
		 "<h2>%s</h2><ul>",
		 _("Please correct the following:"));
	for (i = 0; i < v->n; i++) {
		if (v->e[i].field[0] != '\0')
			html_fmt(b, "<li><a href=\"#f-%s\">%s</a></li>", v->e[i].field, v->e[i].message);
		else
			html_fmt(b, "<li>%s</li>", v->e[i].message);
	}
	html_raw(b, "</ul></div>");
}

/* label_and_help() writes the label, hint and error of a field; returns whether it has an error. */
static int label_and_help(struct buf *b, const char *name, const char *label, const char *hint,
			  const struct verrs *v, unsigned flags)
{
	const char *err = v != NULL ? verrs_for(v, name) : NULL;

	html_fmt(b, "<label for=\"f-%s\">%s", name, label);
	if (flags & W_REQUIRED)
		html_fmt(b, " <span class=\"req\" aria-hidden=\"true\">*</span><span class=\"sr\">%s</span>",
			 _("(required)"));
	html_raw(b, "</label>");
	if (hint != NULL)
		html_fmt(b, "<p class=\"hint\" id=\"f-%s-hint\">%s</p>", name, hint);
	if (err != NULL)
		html_fmt(b, "<p class=\"field-error\" id=\"f-%s-err\">%s</p>", name, err);
	return err != NULL;
}

static void described_by(struct buf *b, const char *name, int has_hint, int has_err)
{
	if (!has_hint && !has_err)
		return;
	html_raw(b, " aria-describedby=\"");
	if (has_err)
		html_fmt(b, "f-%s-err%s", name, has_hint ? " " : "");
	if (has_hint)
		html_fmt(b, "f-%s-hint", name);
	html_raw(b, "\"");
}

void field_input(struct buf *b, const char *type, const char *name, const char *label,
		 const char *value, const struct verrs *v, unsigned flags, const char *hint,
		 const char *autocomplete)
{
	int err;

	html_fmt(b, "<div class=\"field%s%s\">", flags & W_WIDE ? " wide" : "",
		 flags & W_NARROW ? " narrow" : "");
	err = label_and_help(b, name, label, hint, v, flags);
	html_fmt(b, "<input type=\"%s\" id=\"f-%s\" name=\"%s\"", type, name, name);
	if (value != NULL && strcmp(type, "password") != 0)
		html_fmt(b, " value=\"%s\"", value);
	if (autocomplete != NULL)
		html_fmt(b, " autocomplete=\"%s\"", autocomplete);
	if (flags & W_REQUIRED)
		html_raw(b, " required");
	if (flags & W_AUTOFOCUS)
		html_raw(b, " autofocus");
	if (flags & W_DATALIST)
		html_fmt(b, " list=\"dl-%s\"", name);
	described_by(b, name, hint != NULL, err);
	if (err)
		html_raw(b, " aria-invalid=\"true\"");
	html_raw(b, "></div>");
}

void field_select(struct buf *b, const char *name, const char *label, const struct option *opts,
		  int nopts, const char *selected, const char *empty_label, const struct verrs *v,
		  unsigned flags, const char *hint)
{
	int err, i;

	html_fmt(b, "<div class=\"field%s\">", flags & W_WIDE ? " wide" : "");
	err = label_and_help(b, name, label, hint, v, flags);
	html_fmt(b, "<select id=\"f-%s\" name=\"%s\"%s", name, name,
		 flags & W_REQUIRED ? " required" : "");
	described_by(b, name, hint != NULL, err);
	if (err)
		html_raw(b, " aria-invalid=\"true\"");
	html_raw(b, ">");
	if (empty_label != NULL)
		html_fmt(b, "<option value=\"\">%s</option>", empty_label);
	for (i = 0; i < nopts; i++)
		html_fmt(b, "<option value=\"%s\"%s>%s</option>", opts[i].value,
			 selected != NULL && strcmp(selected, opts[i].value) == 0 ? " selected" : "",
			 opts[i].label);
	html_raw(b, "</select></div>");
}

void field_checks(struct buf *b, const char *name, const char *legend, const struct option *opts,
		  int nopts, const int *checked, const struct verrs *v, unsigned flags,
		  const char *hint)
{
	const char *err = v != NULL ? verrs_for(v, name) : NULL;
	int i;

	html_fmt(b, "<fieldset class=\"field checks\" id=\"f-%s\"", name);
	described_by(b, name, hint != NULL, err != NULL);
	html_fmt(b, "><legend>%s", legend);
	if (flags & W_REQUIRED)
		html_fmt(b, " <span class=\"req\" aria-hidden=\"true\">*</span><span class=\"sr\">%s</span>",
			 _("(required)"));
	html_raw(b, "</legend>");
	if (hint != NULL)
		html_fmt(b, "<p class=\"hint\" id=\"f-%s-hint\">%s</p>", name, hint);
	if (err != NULL)
		html_fmt(b, "<p class=\"field-error\" id=\"f-%s-err\">%s</p>", name, err);
	for (i = 0; i < nopts; i++)
		html_fmt(b,
			 "<label class=\"check\"><input type=\"checkbox\" name=\"%s\" value=\"%s\"%s> "
			 "%s</label>",
			 name, opts[i].value, checked != NULL && checked[i] ? " checked" : "",
			 opts[i].label);
	html_raw(b, "</fieldset>");
}

void button(struct buf *b, const char *label, const char *cls)
{
	html_fmt(b, "<button type=\"submit\" class=\"btn %s\">%s</button>", cls != NULL ? cls : "primary",
		 label);
}

void action_form(struct buf *b, struct req *req, const char *action, const char *label,
		 const char *cls)
{
	form_begin(b, req, action, "inline");
	button(b, label, cls);
	form_end(b);
}

int confirm_page(struct req *req, const char *title, const char *question, const char *action,
		 const char *button_label, const char *back_href)
{
	struct buf *b = page_begin(req, title);

	html_fmt(b, "<div class=\"confirm\"><p class=\"lead\">%s</p>", question);
	form_begin(b, req, action, "inline");
	html_raw(b, "<input type=\"hidden\" name=\"confirm\" value=\"1\">");
	button(b, button_label, "danger");
	form_end(b);
	html_fmt(b, " <a class=\"btn secondary\" href=\"%s\">%s</a></div>", back_href, _("Cancel"));
	return page_end(req, 200);
}

void dl_row(struct buf *b, const char *term, const char *value)
{
	html_fmt(b, "<dt>%s</dt><dd>%s</dd>", term, value != NULL && value[0] != '\0' ? value : "—");
}

const char *pick_empty(void)
{
	return _("— choose —");
}

/* arena_realloc_options() grows o (of *max entries) to at least want entries in the request's arena. */
static struct option *arena_realloc_options(struct req *req, struct option *o, int *max, int want)
{
	struct option *bigger;

	if (want <= *max)
		return o;
	bigger = arena_zalloc(req->arena, sizeof(*bigger) * (size_t)want * 2);
	if (bigger != NULL && o != NULL)
		memcpy(bigger, o, sizeof(*o) * (size_t)*max);
	*max = want * 2;
	return bigger;
}

/* pick_write() writes the picker's select of n options with the id selected chosen. */
static void pick_write(struct buf *b, struct req *req, const char *name, const char *label, struct option *o, int n,
		       int64_t selected, const char *empty_label, const struct verrs *v, unsigned flags,
		       const char *hint)
{
	field_select(b, name, label, o, n, selected > 0 ? arena_printf(req->arena, "%lld", (long long)selected) : NULL,
		     empty_label, v, flags, hint);
}

/* institution_label(): "name (kind, gmina)", the way every institution picker names one */
static const char *institution_label(struct req *req, const struct institution_option *in)
{
	if (in->gmina != NULL)
		return arena_printf(req->arena, "%s (%s, %s)", in->name, institution_kind_short(in->kind), in->gmina);
	return arena_printf(req->arena, "%s (%s)", in->name, institution_kind_short(in->kind));
}

int field_pick_institution(struct buf *b, struct req *req, const char *name, const char *label, int64_t selected,
			   const char *empty_label, const struct verrs *v, unsigned flags, const char *hint)
{
	struct institution_option *in;
	struct option *o;
	int n = institution_options(req->db, req->arena, &in), i, k = 0;

	if (n < 0 || (o = arena_zalloc(req->arena, sizeof(*o) * (size_t)(n + 1))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (!in[i].active && in[i].id != selected)
			continue;
		o[k].value = arena_printf(req->arena, "%lld", (long long)in[i].id);
		o[k++].label = institution_label(req, &in[i]);
	}
	pick_write(b, req, name, label, o, k, selected, empty_label, v, flags, hint);
	return 0;
}

int field_pick_user(struct buf *b, struct req *req, const char *name, const char *label, int64_t selected,
		    const char *empty_label, const struct verrs *v, unsigned flags, const char *hint)
{
	struct user_option *u;
	struct option *o;
	int n = user_options(req->db, req->arena, &u), i, k = 0;

	if (n < 0 || (o = arena_zalloc(req->arena, sizeof(*o) * (size_t)(n + 1))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (!u[i].active && u[i].id != selected)
			continue;
		o[k].value = arena_printf(req->arena, "%lld", (long long)u[i].id);
		o[k++].label = u[i].institution_name != NULL
				       ? arena_printf(req->arena, "%s (%s)", u[i].full_name, u[i].institution_name)
				       : u[i].full_name;
	}
	pick_write(b, req, name, label, o, k, selected, empty_label, v, flags, hint);
	return 0;
}

int field_pick_meeting(struct buf *b, struct req *req, int64_t team_id, const char *name, const char *label,
		       int64_t selected, const char *empty_label, const struct verrs *v, unsigned flags,
		       const char *hint)
{
	struct meeting *m;
	struct option *o;
	int n = meeting_list(req->db, req->arena, team_id, &m), i;

	if (n < 0 || (o = arena_zalloc(req->arena, sizeof(*o) * (size_t)(n + 1))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		o[i].value = arena_printf(req->arena, "%lld", (long long)m[i].id);
		o[i].label = arena_printf(req->arena, "%s — %s", reg_date(req, m[i].held_on), m[i].team_name);
	}
	pick_write(b, req, name, label, o, n, selected, empty_label, v, flags, hint);
	return 0;
}

int field_pick_agreement(struct buf *b, struct req *req, int64_t inst, const char *name, const char *label,
			 int64_t selected, const char *empty_label, const struct verrs *v, unsigned flags,
			 const char *hint)
{
	struct agreement_option *ag = arena_zalloc(req->arena, sizeof(*ag) * AGREEMENT_OPTIONS_MAX);
	struct option *o = arena_zalloc(req->arena, sizeof(*o) * AGREEMENT_OPTIONS_MAX);
	int n = ag != NULL && o != NULL ? agreement_options(req->db, req->arena, inst, NULL, ag, AGREEMENT_OPTIONS_MAX)
					: -1,
	    i;

	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		o[i].value = arena_printf(req->arena, "%lld", (long long)ag[i].id);
		o[i].label = arena_printf(req->arena, _("No. %lld — %s (from %s)"), (long long)ag[i].id, ag[i].subject,
					  reg_date(req, ag[i].valid_from));
	}
	if (n == 0) /* say why the list is empty rather than offer nothing */
		hint = _("No agreement of this institution is in force today.");
	pick_write(b, req, name, label, o, n, selected, empty_label, v, flags, hint);
	return 0;
}

int field_pick_institutions(struct buf *b, struct req *req, const char *name, const char *legend,
			    const struct verrs *v, unsigned flags, const char *hint)
{
	struct institution_option *in;
	struct option *o;
	int n = institution_options(req->db, req->arena, &in), i, k = 0;

	if (n < 0 || (o = arena_zalloc(req->arena, sizeof(*o) * (size_t)(n + 1))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (in[i].active) {
			o[k].value = arena_printf(req->arena, "%lld", (long long)in[i].id);
			o[k++].label = institution_label(req, &in[i]);
		}
	field_checks(b, name, legend, o, k, NULL, v, flags, hint);
	return 0;
}

int field_pick_guardian(struct buf *b, struct req *req, const char *name, const char *label, int64_t selected,
			const char *empty_label, const struct verrs *v, unsigned flags, const char *hint)
{
	struct team *t, one;
	struct option *o = NULL;
	int n = team_list(req->db, req->arena, NULL, &t), i, j, k = 0, max = 0;

	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (strcmp(t[i].kind, "mgi") != 0 || team_get(req->db, req->arena, t[i].id, &one) != 0)
			continue;
		o = arena_realloc_options(req, o, &max, k + one.nmembers + 1);
		if (o == NULL)
			return -1;
		for (j = 0; j < one.nmembers; j++)
			if (strcmp(one.members[j].role, "guardian") == 0) {
				o[k].value = arena_printf(req->arena, "%lld", (long long)one.members[j].id);
				o[k++].label = arena_printf(req->arena, "%s (%s)", one.members[j].name, one.name);
			}
	}
	pick_write(b, req, name, label, o, k, selected, empty_label, v, flags, hint);
	return 0;
}

int field_pick_lpiw_action(struct buf *b, struct req *req, const char *terc, const char *name, const char *label,
			   int64_t selected, const char *empty_label, const struct verrs *v, unsigned flags,
			   const char *hint)
{
	int64_t id = terc != NULL ? lpiw_adopted(req->db, terc) : 0;
	struct option *o = NULL;
	struct lpiw l;
	int i, n = 0;

	if (id < 0)
		return -1;
	if (id > 0 && lpiw_get(req->db, req->arena, id, &l) == 0 &&
	    (o = arena_zalloc(req->arena, sizeof(*o) * (size_t)(l.nactions + 1))) != NULL)
		for (i = 0; i < l.nactions; i++) {
			o[n].value = arena_printf(req->arena, "%lld", (long long)l.actions[i].id);
			o[n++].label = arena_printf(req->arena, "%d — %s", l.actions[i].number, l.actions[i].title);
		}
	pick_write(b, req, name, label, o, n, selected, empty_label, v, flags, hint);
	return 0;
}
