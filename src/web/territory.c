/*
 * territory.c — the territorial units of the TERYT register: the
 * voivodeships, and one unit with its parent, the units in it and its
 * institutions; HTML pages and their JSON twins, for every signed-in user.
 */
#include <string.h>

#include "auth/role.h"
#include "core/html.h"
#include "registry/institution.h"
#include "territory/boundary.h"
#include "territory/territory.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/route.h"
#include "web/widget.h"

#define UNIT_INSTITUTIONS_MAX 200 /* a powiat has tens; a voivodeship's page lists the first */

/* A unit with what its page shows. */
struct unit_view {
	struct territory_unit u, parent;
	int has_parent;
	struct territory_unit *kids;
	int nkids;
	struct territory_unit *nb; /* units of the same level sharing a border */
	int nnb;
	struct institution_option *inst;
	int ninst;
};

/* inst_prefix() is the TERC prefix of a unit's institutions: an urban-rural gmina covers its parts. */
static const char *inst_prefix(struct req *req, const struct territory_unit *u)
{
	if (u->kind == UNIT_URBAN_RURAL)
		return arena_strndup(req->arena, u->code, 6);
	return u->code;
}

/* load() reads the route's {code} unit; 0, or the status already answered. */
static int load(struct req *req, struct unit_view *v)
{
	int rc = territory_get(req->db, req->arena, req_param(req, "code"), &v->u);

	memset(&v->parent, 0, sizeof(v->parent));
	if (rc < 0)
		return resp_server_error(req, "reading a territorial unit");
	if (rc > 0)
		return resp_error(req, 404, "not_found", _("No such territorial unit"),
				  _("There is no unit with this TERC code in the TERYT register."));
	v->has_parent = v->u.parent_code != NULL &&
			territory_get(req->db, req->arena, v->u.parent_code, &v->parent) == 0;
	v->nkids = territory_children(req->db, req->arena, v->u.code, &v->kids);
	v->ninst = v->nkids < 0 ? -1
				: institution_in_unit(req->db, req->arena, inst_prefix(req, &v->u),
						      UNIT_INSTITUTIONS_MAX, &v->inst);
	v->nnb = v->ninst < 0 ? -1 : boundary_neighbours(req->db, req->arena, v->u.code, &v->nb);
	if (v->nkids < 0 || v->ninst < 0 || v->nnb < 0)
		return resp_server_error(req, "reading a territorial unit");
	return 0;
}

static void unit_table(struct buf *b, const struct territory_unit *u, int n, const char *caption)
{
	int i;

	html_fmt(b, "<div class=\"table-wrap\"><table class=\"list\"><caption>%s</caption><thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		 caption, _("Name"), _("Kind of unit"), _("TERC code"));
	for (i = 0; i < n; i++)
		html_fmt(b, "<tr><th scope=\"row\"><a href=\"/territory/%s\">%s</a></th><td>%s</td><td>%s</td></tr>",
			 u[i].code, u[i].name, unit_kind_label(u[i].kind), u[i].code);
	html_raw(b, "</tbody></table></div>");
}

int h_territory_index(struct req *req)
{
	struct territory_unit *v;
	int n = territory_voivodeships(req->db, req->arena, &v);
	struct buf *b;

	if (n < 0)
		return resp_server_error(req, "reading the voivodeships");
	page_crumb(req, NULL, _("Territorial units"));
	b = page_begin(req, _("Territorial units"));
	if (n == 0)
		page_notice(b, "info",
			    req_has_role(req, ROLE_BIT(ROLE_ADMIN))
				    ? _("The TERYT register has not been imported yet "
					"(razem import teryt FILE).")
				    : _("The TERYT register has not been imported yet. Ask your "
					"administrator to import it."));
	else
		unit_table(b, v, n, _("Voivodeships"));
	if (n > 0 && req_has_role(req, ROLE_BIT(ROLE_ADMIN)) && boundary_count(req->db, TOPO_LEVEL_GMINA) == 0)
		page_notice(b, "info", _("No boundaries of the units have been imported yet, so maps and "
					 "neighbours are missing (razem import boundaries FILE)."));
	return page_end(req, 200);
}

static void crumbs(struct req *req, const struct unit_view *v)
{
	page_crumb(req, "/territory", _("Territorial units"));
	if (v->has_parent && v->parent.parent_code != NULL) {
		struct territory_unit top; /* the voivodeship above a gmina's powiat: named, not numbered */
		const char *label = territory_get(req->db, req->arena, v->parent.parent_code, &top) == 0
					    ? top.name
					    : v->parent.parent_code;

		page_crumb(req, arena_printf(req->arena, "/territory/%s", v->parent.parent_code), label);
	}
	if (v->has_parent)
		page_crumb(req, arena_printf(req->arena, "/territory/%s", v->parent.code), v->parent.name);
	page_crumb(req, NULL, v->u.name);
}

static void institutions_section(struct buf *b, struct req *req, const struct unit_view *v)
{
	int admin = req_has_role(req, ROLE_BIT(ROLE_ADMIN)), i;

	html_fmt(b, "<section class=\"card\"><h2>%s</h2>", _("Institutions"));
	if (v->ninst == 0) {
		html_fmt(b, "<p>%s</p></section>", _("No institution in the registry lies in this unit."));
		return;
	}
	html_raw(b, "<ul>");
	for (i = 0; i < v->ninst; i++) {
		const struct institution_option *o = &v->inst[i];

		if (admin)
			html_fmt(b, "<li><a href=\"/admin/institutions/%lld\">%s</a> — %s%s</li>", (long long)o->id,
				 o->name, institution_kind_label(o->kind), o->active ? "" : _(" (inactive)"));
		else
			html_fmt(b, "<li>%s — %s%s</li>", o->name, institution_kind_label(o->kind),
				 o->active ? "" : _(" (inactive)"));
	}
	html_raw(b, "</ul></section>");
}

int h_territory_show(struct req *req)
{
	struct unit_view v;
	struct buf *b;
	int rc = load(req, &v);

	if (rc != 0)
		return rc;
	crumbs(req, &v);
	b = page_begin(req, v.u.name);
	if (v.u.valid_to != NULL)
		page_notice(b, "info", arena_printf(req->arena, _("This unit was closed in the TERYT register of %s."),
						    v.u.valid_to));
	if (v.u.fictional)
		page_notice(b, "info", _("A fictional unit of the demonstration data."));
	html_raw(b, "<section class=\"card\"><dl class=\"details\">");
	dl_row(b, _("Kind of unit"), unit_kind_label(v.u.kind));
	dl_row(b, _("TERC code"), v.u.code);
	html_fmt(b, "<dt>%s</dt><dd>", _("Lies in"));
	if (v.has_parent)
		html_fmt(b, "<a href=\"/territory/%s\">%s</a> (%s)", v.parent.code, v.parent.name,
			 unit_kind_label(v.parent.kind));
	else
		html_fmt(b, "%s", _("Poland"));
	html_raw(b, "</dd>");
	dl_row(b, _("In the register since"), v.u.valid_from);
	if (v.u.valid_to != NULL)
		dl_row(b, _("Closed on"), v.u.valid_to);
	html_raw(b, "</dl></section>");
	maps_unit_section(req, b, v.u.code);
	if (v.nkids > 0)
		unit_table(b, v.kids, v.nkids, _("Units in it"));
	if (v.nnb > 0)
		unit_table(b, v.nb, v.nnb, _("Neighbours (sharing a border)"));
	institutions_section(b, req, &v);
	return page_end(req, 200);
}

static json_t *unit_json(const struct territory_unit *u)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:b, s:s?, s:s?}", "code", u->code, "name", u->name,
			 "kind", unit_kind_code(u->kind), "kind_label", unit_kind_label(u->kind), "parent_code",
			 u->parent_code, "fictional", u->fictional, "valid_from", u->valid_from, "valid_to",
			 u->valid_to);
}

static json_t *units_json(const struct territory_unit *u, int n)
{
	json_t *a = json_array();
	int i;

	for (i = 0; a != NULL && i < n; i++)
		json_array_append_new(a, unit_json(&u[i]));
	return a;
}

int h_api_territory_index(struct req *req)
{
	struct territory_unit *v;
	int n = territory_voivodeships(req->db, req->arena, &v);

	if (n < 0)
		return resp_server_error(req, "reading the voivodeships");
	return resp_json(req, 200, json_pack("{s:o}", "units", units_json(v, n)));
}

int h_api_territory_get(struct req *req)
{
	struct unit_view v;
	json_t *j, *inst;
	int rc = load(req, &v), i;

	if (rc != 0)
		return rc;
	j = unit_json(&v.u);
	inst = json_array();
	for (i = 0; inst != NULL && i < v.ninst; i++)
		json_array_append_new(inst, json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)v.inst[i].id,
						      "name", v.inst[i].name, "kind", v.inst[i].kind,
						      "active", v.inst[i].active));
	if (j == NULL || inst == NULL)
		return resp_oom(req);
	json_object_set_new(j, "parent", v.has_parent ? unit_json(&v.parent) : json_null());
	json_object_set_new(j, "children", units_json(v.kids, v.nkids));
	json_object_set_new(j, "neighbours", units_json(v.nb, v.nnb));
	json_object_set_new(j, "institutions", inst);
	return resp_json(req, 200, j);
}

ROUTES(territory) = {
	{ HTTP_GET, "/territory", h_territory_index, 0, 0 },
	{ HTTP_GET, "/territory/{code:terc}", h_territory_show, 0, 0 },
	{ HTTP_GET, "/api/v1/territory", h_api_territory_index, 0, 0 },
	{ HTTP_GET, "/api/v1/territory/{code:terc}", h_api_territory_get, 0, 0 },
};
ROUTES_END(territory);
