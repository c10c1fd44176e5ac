/*
 * routes.c — the route table: every URL of razem in one place. Pages and
 * their JSON twins under /api/v1/ call the same domain functions.
 */
#include "auth/role.h"
#include "web/handlers.h"
#include "web/route.h"

#define ADMIN ROLE_BIT(ROLE_ADMIN)

const struct route routes[] = {
	/* public */
	{ HTTP_GET, "/healthz", h_health, R_PUBLIC, 0 },
	{ HTTP_GET, "/login", h_login_form, R_PUBLIC, 0 },
	{ HTTP_POST, "/login", h_login_submit, R_PUBLIC | R_PRE_CSRF, 0 },
	{ HTTP_GET, "/language", h_language, R_PUBLIC, 0 },
	{ HTTP_POST, "/api/v1/session", h_api_session_create, R_PUBLIC | R_NO_CSRF, 0 },

	/* every signed-in user */
	{ HTTP_POST, "/logout", h_logout, R_PASSWORD, 0 },
	{ HTTP_DELETE, "/api/v1/session", h_api_session_delete, R_PASSWORD, 0 },
	{ HTTP_GET, "/api/v1/me", h_api_me, R_PASSWORD, 0 },
	{ HTTP_POST, "/api/v1/me/password", h_api_password, R_PASSWORD, 0 },
	{ HTTP_GET, "/", h_home, 0, 0 },
	{ HTTP_GET, "/account", h_account, 0, 0 },
	{ HTTP_POST, "/account/settings", h_account_settings, 0, 0 },
	{ HTTP_GET, "/account/password", h_password_form, R_PASSWORD, 0 },
	{ HTTP_POST, "/account/password", h_password_submit, R_PASSWORD, 0 },

	/* institutions */
	{ HTTP_GET, "/admin/institutions", h_institution_list, 0, ADMIN },
	{ HTTP_GET, "/admin/institutions/new", h_institution_new, 0, ADMIN },
	{ HTTP_POST, "/admin/institutions/new", h_institution_create, 0, ADMIN },
	{ HTTP_GET, "/admin/institutions/{id}", h_institution_show, 0, ADMIN },
	{ HTTP_GET, "/admin/institutions/{id}/edit", h_institution_edit, 0, ADMIN },
	{ HTTP_POST, "/admin/institutions/{id}/edit", h_institution_update, 0, ADMIN },
	{ HTTP_GET, "/admin/institutions/{id}/deactivate", h_institution_deactivate_confirm, 0, ADMIN },
	{ HTTP_POST, "/admin/institutions/{id}/deactivate", h_institution_deactivate, 0, ADMIN },
	{ HTTP_POST, "/admin/institutions/{id}/reactivate", h_institution_reactivate, 0, ADMIN },
	{ HTTP_GET, "/api/v1/institutions", h_api_institution_list, 0, ADMIN },
	{ HTTP_POST, "/api/v1/institutions", h_api_institution_create, 0, ADMIN },
	{ HTTP_GET, "/api/v1/institutions/{id}", h_api_institution_get, 0, ADMIN },
	{ HTTP_PUT, "/api/v1/institutions/{id}", h_api_institution_update, 0, ADMIN },

	/* users */
	{ HTTP_GET, "/admin/users", h_user_list, 0, ADMIN },
	{ HTTP_GET, "/admin/users/new", h_user_new, 0, ADMIN },
	{ HTTP_POST, "/admin/users/new", h_user_create, 0, ADMIN },
	{ HTTP_GET, "/admin/users/{id}", h_user_show, 0, ADMIN },
	{ HTTP_GET, "/admin/users/{id}/edit", h_user_edit, 0, ADMIN },
	{ HTTP_POST, "/admin/users/{id}/edit", h_user_update, 0, ADMIN },
	{ HTTP_GET, "/admin/users/{id}/disable", h_user_disable_confirm, 0, ADMIN },
	{ HTTP_POST, "/admin/users/{id}/disable", h_user_disable, 0, ADMIN },
	{ HTTP_POST, "/admin/users/{id}/enable", h_user_enable, 0, ADMIN },
	{ HTTP_POST, "/admin/users/{id}/unlock", h_user_unlock, 0, ADMIN },
	{ HTTP_GET, "/admin/users/{id}/reset-password", h_user_reset_confirm, 0, ADMIN },
	{ HTTP_POST, "/admin/users/{id}/reset-password", h_user_reset, 0, ADMIN },
	{ HTTP_GET, "/api/v1/users", h_api_user_list, 0, ADMIN },
	{ HTTP_POST, "/api/v1/users", h_api_user_create, 0, ADMIN },
	{ HTTP_GET, "/api/v1/users/{id}", h_api_user_get, 0, ADMIN },
	{ HTTP_PUT, "/api/v1/users/{id}", h_api_user_update, 0, ADMIN },
	{ HTTP_POST, "/api/v1/users/{id}/password-reset", h_api_user_reset, 0, ADMIN },
	{ HTTP_POST, "/api/v1/users/{id}/unlock", h_api_user_unlock, 0, ADMIN },

	/* audit log */
	{ HTTP_GET, "/admin/audit", h_audit_list, 0, ADMIN },
	{ HTTP_GET, "/api/v1/audit", h_api_audit_list, 0, ADMIN },
};

const int nroutes = sizeof(routes) / sizeof(routes[0]);
