/*
 * institutions.c — institutions for administrators: list, details,
 * create, edit, deactivate and reactivate; the same as JSON under
 * /api/v1/institutions.
 */
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/role.h"
#include "core/html.h"
#include "core/str.h"
#include "registry/institution.h"
#include "territory/territory.h"
#include "web/handlers.h"
#include "web/session_cache.h"
#include "web/route.h"
#include "web/input.h"
#include "web/list.h"
#include "web/page.h"
#include "web/widget.h"

enum { F_KIND, F_NAME, F_REGON, F_NIP, F_STREET, F_POSTCODE, F_CITY, F_TERC, F_PHONE, F_EMAIL,
	F_WEBSITE, F_LATITUDE, F_LONGITUDE, F_ACTIVE, NFIELDS };

static const struct field fields[NFIELDS] = {
	[F_KIND] = { "kind", N_("Type"), F_CHOICE, F_REQUIRED, 0, 0, institution_kinds },
	[F_NAME] = { "name", N_("Name"), F_TEXT, F_REQUIRED, 0, 300 },
	[F_REGON] = { "regon", N_("REGON"), F_TEXT, 0, 0, 20 },
	[F_NIP] = { "nip", N_("NIP"), F_TEXT, 0, 0, 20 },
	[F_STREET] = { "street", N_("Street and number"), F_TEXT, 0, 0, 200 },
	[F_POSTCODE] = { "postcode", N_("Postcode"), F_TEXT, 0, 0, 10 },
	[F_CITY] = { "city", N_("Locality"), F_TEXT, 0, 0, 100 },
	[F_TERC] = { "terc", N_("Gmina (TERC code)"), F_TEXT, 0, 0, 150 }, /* a code or a name */
	[F_PHONE] = { "phone", N_("Phone"), F_TEXT, 0, 0, 40 },
	[F_EMAIL] = { "email", N_("E-mail"), F_TEXT, 0, 0, 254 },
	[F_WEBSITE] = { "website", N_("Website"), F_TEXT, 0, 0, 300 },
	[F_LATITUDE] = { "latitude", N_("Latitude"), F_TEXT, 0, 0, 20 },
	[F_LONGITUDE] = { "longitude", N_("Longitude"), F_TEXT, 0, 0, 20 },
	[F_ACTIVE] = { "active", N_("Active"), F_BOOL, 0, 0, 1 },
};

static const char *const *kind_list = institution_kinds;

/* read_institution() reads and validates the form or JSON body into in. */
static int read_institution(struct req *req, struct institution *in, struct verrs *v, int with_active)
{
	struct input x[NFIELDS];

	input_read(req, fields, with_active ? NFIELDS : NFIELDS - 1, x, v);
	in->kind = x[F_KIND].text;
	in->name = x[F_NAME].text;
	in->regon = x[F_REGON].text;
	in->nip = x[F_NIP].text;
	in->street = x[F_STREET].text;
	in->postcode = x[F_POSTCODE].text;
	in->city = x[F_CITY].text;
	in->terc = x[F_TERC].text;
	in->phone = x[F_PHONE].text;
	in->email = x[F_EMAIL].text;
	in->website = x[F_WEBSITE].text;
	in->latitude = x[F_LATITUDE].text;
	in->longitude = x[F_LONGITUDE].text;
	/* a missing "active" keeps the current state (in->active as the caller set it) */
	if (with_active && x[F_ACTIVE].present)
		in->active = (int)x[F_ACTIVE].num;
	/* a gmina typed by name becomes its code first, so the code rules then apply */
	if (institution_resolve_gmina(req->db, req->arena, in, v) < 0)
		verrs_add(v, "", "db", "%s", _("The TERYT register could not be read; try again."));
	institution_validate(in, req->arena, v); /* all fields at once; one error per field */
	if (institution_check_terc(req->db, req->arena, in, v) < 0)
		verrs_add(v, "", "db", "%s", _("The TERYT register could not be read; try again."));
	input_order_errors(fields, NFIELDS, v);
	return v->n;
}

/* ------------------------------------------------------------------ */
/* Pages                                                               */
/* ------------------------------------------------------------------ */

int h_institution_list(struct req *req)
{
	struct list_view view = {
		.def = &institution_list,
		.title = _("Institutions"),
		.row_href = "/admin/institutions/%s",
		.new_href = "/admin/institutions/new",
		.new_label = _("Add an institution"),
		.audit_export = "institution.export",
		.empty = _("No institution matches these filters."),
	};

	return list_respond(req, &view);
}

static void gmina_datalist(struct buf *b, struct req *req)
{
	struct territory_unit *units;
	int n = territory_gminas(req->db, req->arena, &units), i;

	if (n <= 0)
		return;
	html_raw(b, "<datalist id=\"dl-terc\">");
	for (i = 0; i < n; i++)
		html_fmt(b, "<option value=\"%s\">%s (%s)</option>", units[i].code, units[i].name,
			 unit_kind_label(units[i].kind));
	html_raw(b, "</datalist>");
}

static int form_page(struct req *req, int status, const struct institution *in, const struct verrs *v)
{
	const char *title = in->id == 0 ? _("New institution") : _("Edit institution");
	const char *action = in->id == 0 ? "/admin/institutions/new"
					 : arena_printf(req->arena, "/admin/institutions/%lld/edit",
							(long long)in->id);
	struct option kinds[32];
	struct buf *b;
	int n = 0;

	for (n = 0; kind_list[n] != NULL && n < 32; n++) {
		kinds[n].value = kind_list[n];
		kinds[n].label = institution_kind_label(kind_list[n]);
	}
	page_crumb(req, "/admin/institutions", _("Institutions"));
	if (in->id != 0)
		page_crumb(req, arena_printf(req->arena, "/admin/institutions/%lld", (long long)in->id),
			   in->name);
	page_crumb(req, NULL, title);
	b = page_begin(req, title);
	form_errors(b, v);
	form_begin(b, req, action, "form");
	html_fmt(b, "<fieldset><legend>%s</legend>", _("Institution"));
	field_select(b, "kind", _("Type"), kinds, n, in->kind, _("— choose —"), v, W_REQUIRED | W_WIDE, NULL);
	field_input(b, "text", "name", _("Name"), in->name, v, W_REQUIRED | W_WIDE, NULL, "organization");
	field_input(b, "text", "regon", _("REGON"), in->regon, v, W_NARROW,
		    _("9 or 14 digits; the check digit is verified."), NULL);
	field_input(b, "text", "nip", _("NIP"), in->nip, v, W_NARROW,
		    _("10 digits; dashes and a PL prefix are allowed."), NULL);
	html_fmt(b, "</fieldset><fieldset><legend>%s</legend>", _("Address"));
	field_input(b, "text", "street", _("Street and number"), in->street, v, W_WIDE, NULL,
		    "street-address");
	field_input(b, "text", "postcode", _("Postcode"), in->postcode, v, W_NARROW,
		    _("As NN-NNN, e.g. 00-950."), "postal-code");
	field_input(b, "text", "city", _("Locality"), in->city, v, 0, NULL, "address-level2");
	field_input(b, "text", "terc", _("Gmina (TERC code)"), in->terc, v, W_NARROW | W_DATALIST,
		    _("The 7-digit TERC code of the gmina; type the name or the code of the gmina and "
		      "pick it from the list."),
		    NULL);
	gmina_datalist(b, req);
	html_fmt(b, "</fieldset><fieldset><legend>%s</legend>", _("Contact"));
	field_input(b, "tel", "phone", _("Phone"), in->phone, v, 0, NULL, "tel");
	field_input(b, "email", "email", _("E-mail"), in->email, v, 0, NULL, "email");
	field_input(b, "url", "website", _("Website"), in->website, v, W_WIDE, NULL, "url");
	html_fmt(b, "</fieldset><fieldset><legend>%s</legend>", _("Position on the map (optional)"));
	field_input(b, "text", "latitude", _("Latitude"), in->latitude, v, W_NARROW,
		    _("Degrees north, e.g. 52,2297. Without a position the map shows the institution in "
		      "its gmina."),
		    NULL);
	field_input(b, "text", "longitude", _("Longitude"), in->longitude, v, W_NARROW,
		    _("Degrees east, e.g. 21,0122."), NULL);
	html_raw(b, "</fieldset><div class=\"actions\">");
	button(b, _("Save"), "primary");
	html_fmt(b, " <a class=\"btn secondary\" href=\"%s\">%s</a></div>",
		 in->id == 0 ? "/admin/institutions"
			     : arena_printf(req->arena, "/admin/institutions/%lld", (long long)in->id),
		 _("Cancel"));
	form_end(b);
	return page_end(req, status);
}

int h_institution_new(struct req *req)
{
	struct institution in = { 0 };

	return form_page(req, 200, &in, NULL);
}

/*
 * create_from_request() reads, validates and creates an institution with
 * its audit row, for the page and the API alike. Returns 0 with *id set,
 * 1 when refused (errors in v), or the status of an answered failure.
 */
static int create_from_request(struct req *req, struct institution *in, int64_t *id, struct verrs *v)
{
	int rc;

	in->active = 1;
	if (read_institution(req, in, v, 0) > 0)
		return 1;
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = institution_create(req->db, req->arena, in, id, v);
	rc = tx_audit(req, rc, "institution.create", "institution", *id, in->name);
	if (rc < 0)
		return resp_server_error(req, "creating an institution");
	return rc;
}

int h_institution_create(struct req *req)
{
	struct institution in = { 0 };
	struct verrs v = VERRS_INIT;
	int64_t id = 0;
	int rc = create_from_request(req, &in, &id, &v);

	if (rc == 1)
		return form_page(req, 422, &in, &v);
	if (rc != 0)
		return rc;
	return resp_redirect(req, arena_printf(req->arena, "/admin/institutions/%lld", (long long)id),
			     arena_printf(req->arena, _("Saved institution \"%s\"."), in.name));
}

/* load() reads the institution of the route's {id}; 0, or the status already answered. */
static int load(struct req *req, struct institution *in)
{
	int rc = institution_get(req->db, req->arena, req->id, in);

	if (rc < 0)
		return resp_server_error(req, "reading an institution");
	if (rc > 0)
		return resp_error(req, 404, "not_found", _("No such institution"),
				  _("There is no institution with this number."));
	return 0;
}

int h_institution_show(struct req *req)
{
	struct institution in;
	const char *where;
	struct buf *b;
	int rc = load(req, &in);

	if (rc != 0)
		return rc;
	page_crumb(req, "/admin/institutions", _("Institutions"));
	page_crumb(req, NULL, in.name);
	b = page_begin(req, in.name);
	if (!in.active)
		html_fmt(b, "<p class=\"status inactive\">%s</p>",
			 _("Inactive: its users cannot sign in."));
	html_raw(b, "<dl class=\"details\">");
	dl_row(b, _("Type"), institution_kind_label(in.kind));
	dl_row(b, _("REGON"), in.regon);
	dl_row(b, _("NIP"), in.nip);
	dl_row(b, _("Street and number"), in.street);
	dl_row(b, _("Postcode"), in.postcode);
	dl_row(b, _("Locality"), in.city);
	where = in.terc_text;
	dl_row(b, _("Gmina (TERC code)"),
	       in.terc == NULL ? NULL
			       : where != NULL ? arena_printf(req->arena, "%s — %s", in.terc, where)
					       : in.terc);
	dl_row(b, _("Phone"), in.phone);
	dl_row(b, _("E-mail"), in.email);
	dl_row(b, _("Website"), in.website);
	if (in.latitude != NULL)
		dl_row(b, _("Position on the map"), arena_printf(req->arena, "%s, %s", in.latitude, in.longitude));
	dl_row(b, _("Created"), fmt_time(req, in.created_at));
	dl_row(b, _("Last changed"), fmt_time(req, in.updated_at));
	html_raw(b, "</dl><div class=\"actions\">");
	html_fmt(b, "<a class=\"btn primary\" href=\"/admin/institutions/%lld/edit\">%s</a> ",
		 (long long)in.id, _("Edit"));
	html_fmt(b, "<a class=\"btn secondary\" href=\"/admin/users?institution_id=%lld\">%s</a> ",
		 (long long)in.id, _("Users of this institution"));
	if (in.active)
		html_fmt(b, "<a class=\"btn danger\" href=\"/admin/institutions/%lld/deactivate\">%s</a>",
			 (long long)in.id, _("Deactivate"));
	else
		action_form(b, req, arena_printf(req->arena, "/admin/institutions/%lld/reactivate",
						 (long long)in.id),
			    _("Reactivate"), "secondary");
	html_raw(b, "</div>");
	return page_end(req, 200);
}

int h_institution_edit(struct req *req)
{
	struct institution in;
	int rc = load(req, &in);

	return rc != 0 ? rc : form_page(req, 200, &in, NULL);
}

int h_institution_update(struct req *req)
{
	struct institution in = { 0 }, old;
	struct verrs v = VERRS_INIT;
	int rc = load(req, &old);

	if (rc != 0)
		return rc;
	in.id = req->id;
	in.active = old.active;
	if (read_institution(req, &in, &v, 0) > 0)
		return form_page(req, 422, &in, &v);
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = institution_update(req->db, req->arena, &in, &v);
	rc = tx_audit(req, rc, "institution.update", "institution", in.id, in.name);
	if (rc == 0)
		session_cache_invalidate(); /* its members' sessions carry its name, the start page its card */
	if (rc > 0)
		return form_page(req, 422, &in, &v);
	if (rc < 0)
		return resp_server_error(req, "saving an institution");
	return resp_redirect(req, arena_printf(req->arena, "/admin/institutions/%lld", (long long)in.id),
			     arena_printf(req->arena, _("Saved institution \"%s\"."), in.name));
}

/* own_institution_refused(): an administrator would lock themselves out. */
static int own_institution_refused(struct req *req)
{
	return resp_error(req, 409, "own_institution", _("Not possible"),
			  _("You cannot deactivate your own institution: your account would stop "
			    "working. Ask an administrator from another institution."));
}

int h_institution_deactivate_confirm(struct req *req)
{
	struct institution in;
	int rc = load(req, &in);

	if (rc != 0)
		return rc;
	if (in.id == req->sess->institution_id)
		return own_institution_refused(req);
	page_crumb(req, "/admin/institutions", _("Institutions"));
	page_crumb(req, arena_printf(req->arena, "/admin/institutions/%lld", (long long)in.id), in.name);
	page_crumb(req, NULL, _("Deactivate"));
	return confirm_page(req, _("Deactivate the institution?"),
			    arena_printf(req->arena,
					 _("\"%s\" will be marked inactive and none of its users will "
					   "be able to sign in until it is reactivated. Its records stay "
					   "unchanged."),
					 in.name),
			    arena_printf(req->arena, "/admin/institutions/%lld/deactivate", (long long)in.id),
			    _("Deactivate"),
			    arena_printf(req->arena, "/admin/institutions/%lld", (long long)in.id));
}

static int set_active(struct req *req, int active)
{
	struct institution in;
	int rc = load(req, &in);

	if (rc != 0)
		return rc;
	if (!active && in.id == req->sess->institution_id)
		return own_institution_refused(req);
	if (!active && !str_eq(req_form(req, "confirm"), "1"))
		return h_institution_deactivate_confirm(req);
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = institution_set_active(req->db, in.id, active);
	if (tx_audit(req, rc, active ? "institution.reactivate" : "institution.deactivate",
		     "institution", in.id, in.name) != 0)
		return resp_server_error(req, "changing an institution");
	session_cache_invalidate(); /* its members are signed in only while it is active */
	return resp_redirect(req, arena_printf(req->arena, "/admin/institutions/%lld", (long long)in.id),
			     arena_printf(req->arena,
					  active ? _("Institution \"%s\" is active again.")
						 : _("Institution \"%s\" has been deactivated."),
					  in.name));
}

int h_institution_deactivate(struct req *req)
{
	return set_active(req, 0);
}

int h_institution_reactivate(struct req *req)
{
	return set_active(req, 1);
}

/* ------------------------------------------------------------------ */
/* API                                                                 */
/* ------------------------------------------------------------------ */

static json_t *institution_json(const struct institution *in)
{
	return json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:b, "
			 "s:s, s:s, s:s?, s:s?}",
			 "id", (json_int_t)in->id, "kind", in->kind, "name", in->name, "regon",
			 in->regon, "nip", in->nip, "street", in->street, "postcode", in->postcode,
			 "city", in->city, "terc", in->terc, "phone", in->phone, "email", in->email,
			 "website", in->website, "active", in->active, "created_at", in->created_at,
			 "updated_at", in->updated_at, "latitude", in->latitude, "longitude", in->longitude);
}

int h_api_institution_list(struct req *req)
{
	return h_institution_list(req);
}

static int api_reply(struct req *req, int status, int64_t id)
{
	struct institution in;

	if (institution_get(req->db, req->arena, id, &in) != 0)
		return resp_server_error(req, "reading an institution");
	return resp_json(req, status, institution_json(&in));
}

int h_api_institution_create(struct req *req)
{
	struct institution in = { 0 };
	struct verrs v = VERRS_INIT;
	int64_t id = 0;
	int rc = create_from_request(req, &in, &id, &v);

	if (rc == 1)
		return resp_api_verrs(req, &v);
	if (rc != 0)
		return rc;
	resp_header(req, "location", arena_printf(req->arena, "/api/v1/institutions/%lld", (long long)id));
	return api_reply(req, 201, id);
}

int h_api_institution_get(struct req *req)
{
	struct institution in;
	int rc = load(req, &in);

	return rc != 0 ? rc : resp_json(req, 200, institution_json(&in));
}

int h_api_institution_update(struct req *req)
{
	struct institution in = { 0 }, old;
	struct verrs v = VERRS_INIT;
	struct audit_actor who;
	int rc = load(req, &old);

	if (rc != 0)
		return rc;
	in.id = req->id;
	in.active = old.active;
	if (read_institution(req, &in, &v, 1) > 0)
		return resp_api_verrs(req, &v);
	if (!in.active && old.active && in.id == req->sess->institution_id)
		return own_institution_refused(req);
	if (tx_begin(req) != 0)
		return resp_server_error(req, "starting a transaction");
	rc = institution_update(req->db, req->arena, &in, &v);
	if (rc == 0 && in.active != old.active) {
		req_actor(req, &who);
		rc = institution_set_active(req->db, in.id, in.active);
		if (rc == 0 && audit_write_id(req->db, &who,
					      in.active ? "institution.reactivate" : "institution.deactivate",
					      "institution", in.id, in.name) != DB_OK)
			rc = -1;
	}
	rc = tx_audit(req, rc, "institution.update", "institution", in.id, in.name);
	if (rc == 0)
		session_cache_invalidate(); /* name and active flag are in its members' sessions */
	if (rc > 0)
		return resp_api_verrs(req, &v);
	if (rc < 0)
		return resp_server_error(req, "saving an institution");
	return api_reply(req, 200, in.id);
}

#define ADMIN ROLE_BIT(ROLE_ADMIN)

ROUTES(institutions) = {
	{ HTTP_GET, "/admin/institutions", h_institution_list, 0, ADMIN },
	{ HTTP_GET, "/admin/institutions/new", h_institution_new, 0, ADMIN },
	{ HTTP_POST, "/admin/institutions/new", h_institution_create, 0, ADMIN },
	{ HTTP_GET, "/admin/institutions/{id:int}", h_institution_show, 0, ADMIN },
	{ HTTP_GET, "/admin/institutions/{id:int}/edit", h_institution_edit, 0, ADMIN },
	{ HTTP_POST, "/admin/institutions/{id:int}/edit", h_institution_update, 0, ADMIN },
	{ HTTP_GET, "/admin/institutions/{id:int}/deactivate", h_institution_deactivate_confirm, 0, ADMIN },
	{ HTTP_POST, "/admin/institutions/{id:int}/deactivate", h_institution_deactivate, 0, ADMIN },
	{ HTTP_POST, "/admin/institutions/{id:int}/reactivate", h_institution_reactivate, 0, ADMIN },
	{ HTTP_GET, "/api/v1/institutions", h_api_institution_list, 0, ADMIN },
	{ HTTP_POST, "/api/v1/institutions", h_api_institution_create, 0, ADMIN },
	{ HTTP_GET, "/api/v1/institutions/{id:int}", h_api_institution_get, 0, ADMIN },
	{ HTTP_PUT, "/api/v1/institutions/{id:int}", h_api_institution_update, 0, ADMIN },
};
ROUTES_END(institutions);
