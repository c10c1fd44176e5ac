/*
 * audit_log.c — the audit log for administrators: filter by login,
 * action (prefix, e.g. "session." or "user.create"), record type and id,
 * address and date range; export as CSV/XLSX; JSON under /api/v1/audit.
 * Browsing it is itself recorded (audit.list, audit.export, with the ids
 * of the entries shown), since it shows who did what; the access policy
 * lets administrators only.
 */
#include "audit/audit.h"
#include "auth/role.h"
#include "web/handlers.h"
#include "web/route.h"
#include "web/list.h"

int h_audit_list(struct req *req)
{
	struct list_view view = {
		.def = &audit_list,
		.title = _("Audit log"),
		.kind = POLICY_AUDIT,
		.purpose = PURPOSE_AUDIT,
		.empty = _("No event matches these filters."),
	};

	return list_respond(req, &view);
}

int h_api_audit_list(struct req *req)
{
	return h_audit_list(req);
}

#define ADMIN ROLE_BIT(ROLE_ADMIN)

ROUTES(audit_log) = {
	{ HTTP_GET, "/admin/audit", h_audit_list, 0, ADMIN },
	{ HTTP_GET, "/api/v1/audit", h_api_audit_list, 0, ADMIN },
};
ROUTES_END(audit_log);
