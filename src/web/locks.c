/*
 * locks.c — sign-in locks of addresses (admin): too many failures from one
 * address lock everyone behind it (an office behind one NAT), so an
 * administrator sees them and lifts them, on a page and in the API.
 * Account locks are shown and lifted on the user's page (users.c).
 */
#include <string.h>

#include "auth/role.h"
#include "auth/throttle.h"
#include "auth/user.h"
#include "core/clock.h"
#include "core/html.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/route.h"
#include "web/widget.h"

#define ADMIN ROLE_BIT(ROLE_ADMIN)

/* Locks listed at most (a list this long means an attack: the count still says how many). */
#define MAX_LOCKS 500

/* read_locks() lists the active address locks; 0, or the status already answered. */
static int read_locks(struct req *req, struct throttle_lock **l, int *n)
{
	if (throttle_address_locks(req->db, req->arena, clock_now(), MAX_LOCKS, l, n) != 0)
		return resp_server_error(req, "listing address locks");
	return 0;
}

static void lock_row(struct buf *b, struct req *req, const struct throttle_lock *l)
{
	char iso[CLOCK_ISO_LEN];

	clock_iso(l->until, iso);
	html_fmt(b, "<tr><th scope=\"row\" class=\"nowrap\">%s</th><td class=\"num\">%s</td><td>%s</td><td>",
		 l->address, fmt_int(req, l->failures), fmt_time(req, iso));
	form_begin(b, req, "/admin/locks/unlock", "inline");
	html_fmt(b, "<input type=\"hidden\" name=\"address\" value=\"%s\">", l->address);
	button(b, _("Unlock"), "secondary");
	form_end(b);
	html_raw(b, "</td></tr>");
}

int h_lock_list(struct req *req)
{
	struct throttle_lock *l;
	struct buf *b;
	int n, i, rc = read_locks(req, &l, &n);

	if (rc != 0)
		return rc;
	page_crumb(req, NULL, _("Locked addresses"));
	b = page_begin(req, _("Locked addresses"));
	html_fmt(b, "<p class=\"lead\">%s</p>",
		 _("Too many failed sign-ins from one address lock sign-in for everyone using it, "
		   "for example a whole office behind one router. Unlock an address once you know "
		   "why it happened."));
	if (n == 0) {
		html_fmt(b, "<p class=\"empty\">%s</p>", _("No address is locked."));
		return page_end(req, 200);
	}
	html_raw(b, "<div class=\"table-wrap\"><table class=\"list\">");
	html_fmt(b, "<caption class=\"sr\">%s</caption>", _("Locked addresses"));
	html_fmt(b, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\"><span class=\"sr\">%s</span></th></tr></thead><tbody>",
		 _("IP address"), _("Failed attempts"), _("Locked until"), _("Unlock"));
	for (i = 0; i < n; i++)
		lock_row(b, req, &l[i]);
	html_raw(b, "</tbody></table></div>");
	return page_end(req, 200);
}

/*
 * unlock() lifts the lock of address (audited throttle.unlock_address):
 * 0 lifted, 1 not locked, or the status of an error already answered.
 */
static int unlock(struct req *req, const char *address)
{
	struct audit_actor who;
	int rc;

	req_actor(req, &who);
	rc = throttle_unlock_address(req->db, &who, address, clock_now());
	if (rc < 0)
		return resp_server_error(req, "unlocking an address");
	return rc;
}

int h_lock_unlock(struct req *req)
{
	const char *address = req_form(req, "address");
	int rc = unlock(req, address != NULL ? address : "");

	if (rc == 0)
		return resp_redirect(req, "/admin/locks",
				     arena_printf(req->arena, _("Sign-in from address %s is unlocked."),
						  address));
	if (rc == 1)
		return resp_redirect(req, "/admin/locks", _("That address was not locked (any more)."));
	return rc;
}

int h_api_lock_list(struct req *req)
{
	struct throttle_lock *l;
	char iso[CLOCK_ISO_LEN];
	json_t *items;
	int n, i, rc = read_locks(req, &l, &n);

	if (rc != 0)
		return rc;
	items = json_array();
	for (i = 0; items != NULL && i < n; i++) {
		clock_iso(l[i].until, iso);
		json_array_append_new(items, json_pack("{s:s, s:I, s:s}", "address", l[i].address,
						       "failures", (json_int_t)l[i].failures,
						       "locked_until", iso));
	}
	return resp_json(req, 200, json_pack("{s:o?, s:I}", "items", items, "accounts_locked",
					     (json_int_t)user_locked_count(req->db, clock_now())));
}

int h_api_lock_unlock(struct req *req)
{
	json_t *a = req->json != NULL ? json_object_get(req->json, "address") : NULL;
	const char *address = json_is_string(a) ? json_string_value(a) : NULL;
	int rc;

	if (address == NULL || address[0] == '\0')
		return resp_api_error(req, 422, "required", _("Give the locked address."), "address");
	rc = unlock(req, address);
	if (rc == 1)
		return resp_api_error(req, 404, "not_locked", _("That address is not locked."),
				      "address");
	if (rc != 0)
		return rc;
	return resp_json(req, 200, json_pack("{s:s, s:b}", "address", address, "locked", 0));
}

ROUTES(locks) = {
	{ HTTP_GET, "/admin/locks", h_lock_list, 0, ADMIN },
	{ HTTP_POST, "/admin/locks/unlock", h_lock_unlock, 0, ADMIN },
	{ HTTP_GET, "/api/v1/locks", h_api_lock_list, 0, ADMIN },
	{ HTTP_POST, "/api/v1/locks/unlock", h_api_lock_unlock, 0, ADMIN },
};
ROUTES_END(locks);
