/*
 * home.c — the start page: who you are, where you work, what your role
 * does here, your previous sign-in (so an unknown one stands out), and
 * for administrators the state of the system and its latest events.
 */
#include <string.h>

#include "audit/audit.h"
#include "auth/role.h"
#include "auth/throttle.h"
#include "auth/user.h"
#include "core/clock.h"
#include "core/html.h"
#include "registry/institution.h"
#include "territory/territory.h"
#include "web/consents.h"
#include "web/episodes.h"
#include "web/links.h"
#include "web/handlers.h"
#include "web/route.h"
#include "web/page.h"
#include "web/session_cache.h"
#include "web/widget.h"

/* institution_card() shows the user's institution: where it is and how to reach it. */
static void institution_card(struct buf *b, struct req *req)
{
	struct institution in;
	size_t start = b->len, len;
	const char *html;
	uint64_t seen;

	/* the same for all its staff: kept per worker for a second (session_cache.h) */
	html = fragment_cache_get(FRAGMENT_INSTITUTION_CARD, req->sess->institution_id, (int)req->lang, &len);
	if (html != NULL) {
		buf_add(b, html, len);
		return;
	}
	seen = fragment_cache_epoch();
	if (institution_get(req->db, req->arena, req->sess->institution_id, &in) != 0)
		return; /* gone since the session was read: the header still names it */
	html_fmt(b, "<section class=\"card\"><h2>%s</h2><p class=\"big\">%s</p>", _("Your institution"),
		 in.name);
	html_raw(b, "<dl class=\"details\">");
	dl_row(b, _("Type"), institution_kind_label(in.kind));
	dl_row(b, _("Address"),
	       arena_printf(req->arena, "%s%s%s %s", in.street != NULL ? in.street : "",
			    in.street != NULL ? ", " : "", in.postcode != NULL ? in.postcode : "",
			    in.city != NULL ? in.city : ""));
	if (in.terc_text != NULL)
		dl_row(b, _("Gmina"), in.terc_text);
	dl_row(b, _("Phone"), in.phone);
	dl_row(b, _("E-mail"), in.email);
	html_raw(b, "</dl></section>");
	if (!b->failed)
		fragment_cache_put(FRAGMENT_INSTITUTION_CARD, in.id, (int)req->lang, b->data + start,
				   b->len - start, seen);
}

static void roles_card(struct buf *b, struct req *req)
{
	int i;

	html_fmt(b, "<section class=\"card\"><h2>%s</h2><dl class=\"roles\">",
		 i18n_ngettext("Your role", "Your roles", (unsigned long)__builtin_popcount(req->sess->roles)));
	for (i = 0; i < ROLE__MAX; i++)
		if (req->sess->roles & ROLE_BIT(i))
			html_fmt(b, "<dt>%s</dt><dd>%s</dd>", role_label((enum role)i),
				 role_about((enum role)i));
	html_raw(b, "</dl></section>");
}

static void security_card(struct buf *b, struct req *req)
{
	struct session_history hist;
	const struct session_history *s = &hist;
	int64_t failures;

	/* it never changes while the session lives: kept beside the cached session */
	if (!session_cache_history(req->sess->token_hash, req->arena, &hist)) {
		if (session_history(req->db, req->arena, req->sess->token_hash, &hist) != 0)
			return;
		session_cache_put_history(req->sess->token_hash, &hist);
	}
	failures = s->failures_since;

	html_fmt(b, "<section class=\"card\"><h2>%s</h2>", _("Your sign-ins"));
	if (s->prev_login_at != NULL)
		html_fmt(b, "<p>%s</p>",
			 arena_printf(req->arena, _("Previous sign-in: %s from address %s."),
				      fmt_time(req, s->prev_login_at),
				      s->prev_login_ip != NULL ? s->prev_login_ip : "—"));
	else
		html_fmt(b, "<p>%s</p>", _("This is your first sign-in."));
	if (s->prev_login_at != NULL && failures > 0)
		html_fmt(b, "<p class=\"warn\">%s</p>",
			 arena_printf(req->arena,
				      i18n_ngettext("Since then there was %lld failed attempt to sign "
						    "in to your account. If it was not you, change "
						    "your password.",
						    "Since then there were %lld failed attempts to sign "
						    "in to your account. If it was not you, change "
						    "your password.",
						    (unsigned long)failures),
				      (long long)failures));
	html_fmt(b, "<p><a href=\"/account/password\">%s</a></p></section>", _("Change password"));
}

/* stat_item() is one figure of the admin card: "<n> <what> (of <all>)", linked to its list. */
static void stat_item(struct buf *b, struct req *req, const char *href, int64_t n, const char *what,
		      int64_t all, int warn)
{
	html_raw(b, warn ? "<li class=\"warn\">" : "<li>"); /* markup: not through %s, which escapes */
	html_fmt(b, "<a href=\"%s\"><strong>%s</strong> %s</a>", href, fmt_int(req, n), what);
	if (all >= 0)
		html_fmt(b, " <span>%s</span>", arena_printf(req->arena, _("(of %lld)"), (long long)all));
	html_raw(b, "</li>");
}

static void admin_card(struct buf *b, struct req *req)
{
	int64_t inst = institution_count(req->db, 1), inst_all = institution_count(req->db, 0);
	int64_t users = user_count(req->db, 1), users_all = user_count(req->db, 0);
	int64_t locked = user_locked_count(req->db, clock_now());
	int64_t addrs = throttle_address_locked_count(req->db, clock_now());

	html_fmt(b, "<section class=\"card wide\"><h2>%s</h2><ul class=\"stats\">", _("Administration"));
	stat_item(b, req, "/admin/institutions?active=1", inst,
		  i18n_ngettext("active institution", "active institutions", (unsigned long)inst), inst_all, 0);
	stat_item(b, req, "/admin/users?active=1", users,
		  i18n_ngettext("active account", "active accounts", (unsigned long)users), users_all, 0);
	stat_item(b, req, "/admin/users?locked=1", locked,
		  i18n_ngettext("account with sign-in locked (too many failures)",
				"accounts with sign-in locked (too many failures)", (unsigned long)locked),
		  -1, locked > 0);
	stat_item(b, req, "/admin/locks", addrs,
		  i18n_ngettext("address with sign-in locked (everyone behind it)",
				"addresses with sign-in locked (everyone behind them)", (unsigned long)addrs),
		  -1, addrs > 0);
	html_raw(b, "</ul>");
	html_fmt(b, "<p><a href=\"/admin/audit\">%s</a></p>", _("Audit log: who did what and when"));
	html_raw(b, "</section>");
}

/*
 * panels() writes what waits for the user: alerts of duplicated support,
 * referrals to answer, consents ending soon (a count), agreements to
 * renew, pairs of records to review, in that order; a panel writes nothing when it has nothing to say
 * or the role has nothing to do with it. None names a person, and all
 * depend only on the institution and
 * the roles, so the section is one fragment kept per worker for a second
 * (session_cache.h) for everyone who shares them: a new alert or referral
 * shows within a second, on every server.
 */
static int panels(struct buf *b, struct req *req)
{
	int64_t key = req->sess->institution_id * 256 + (int64_t)(req->sess->roles & 0xff);
	size_t start = b->len, len;
	const char *html = fragment_cache_get(FRAGMENT_PANELS, key, (int)req->lang, &len);
	uint64_t seen;

	if (html != NULL) {
		buf_add(b, html, len);
		return 0;
	}
	seen = fragment_cache_epoch();
	html_fmt(b, "<div class=\"cards panels\" aria-label=\"%s\">", _("Waiting for you"));
	if (alert_panel(req, b) < 0 || referral_panel(req, b) != 0 || consent_panel(req, b) < 0 ||
	    agreement_panel(req, b) < 0 || link_panel(req, b) < 0)
		return -1;
	html_raw(b, "</div>");
	if (!b->failed)
		fragment_cache_put(FRAGMENT_PANELS, key, (int)req->lang, b->data + start, b->len - start, seen);
	return 0;
}

/*
 * user_panels() writes the reminders that depend on the user (a guardian's
 * own contracts, the follow-ups due): kept per user for a second like the
 * shared panels, so a start page reloaded in a burst reads them once; the
 * user's own changes drop it at once (fragment_cache_invalidate()).
 */
static int user_panels(struct buf *b, struct req *req)
{
	size_t start = b->len, len;
	const char *html = fragment_cache_get(FRAGMENT_USER_PANELS, req->sess->user_id, (int)req->lang, &len);
	uint64_t seen;

	if (html != NULL) {
		buf_add(b, html, len);
		return 0;
	}
	seen = fragment_cache_epoch();
	if (contract_panel(req, b) != 0 || outcome_panel(req, b) != 0)
		return -1;
	if (!b->failed)
		fragment_cache_put(FRAGMENT_USER_PANELS, req->sess->user_id, (int)req->lang, b->data + start,
				   b->len - start, seen);
	return 0;
}

int h_home(struct req *req)
{
	struct buf *b = page_begin(req, arena_printf(req->arena, _("Hello, %s"), req->sess->full_name));

	html_raw(b, "<div class=\"cards\">");
	if (req_has_role(req, ROLE_BIT(ROLE_ADMIN)))
		admin_card(b, req);
	institution_card(b, req);
	roles_card(b, req);
	security_card(b, req);
	html_raw(b, "</div>");
	if (panels(b, req) != 0)
		return resp_server_error(req, "writing the start page");
	/* the contracts' reminders depend on the user (the guardian's own contracts): outside the shared fragment */
	if (user_panels(b, req) != 0)
		return resp_server_error(req, "writing the start page");
	return page_end(req, 200);
}

ROUTES(home) = {
	{ HTTP_GET, "/", h_home, 0, 0 },
};
ROUTES_END(home);
