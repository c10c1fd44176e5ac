/*
 * handlers.h — every request handler, grouped by the file that holds it.
 * The route table (routes.c) is the only caller; see route.h for the
 * guarantees a handler can rely on (sign-in, role, CSRF already checked).
 */
#ifndef RAZEM_WEB_HANDLERS_H
#define RAZEM_WEB_HANDLERS_H

#include "web/http.h"

/* signin.c — sign-in and sign-out, pages and API; health; language switch */
int h_health(struct req *req);

/* resp_busy() answers 503 with Retry-After when the password threads have no room (signin.c). */
int resp_busy(struct req *req);

/*
 * password_exempt() is 1 for the seeded accounts of a demonstration
 * database, which keep their short password "demo"; every other account,
 * a new one in a demo database too, follows the password policy (account.c).
 */
int password_exempt(const struct req *req, const char *login);
int h_login_form(struct req *req);
int h_login_submit(struct req *req);
int h_logout(struct req *req);
int h_language(struct req *req);
int h_api_session_create(struct req *req);
int h_api_session_delete(struct req *req);
int h_api_me(struct req *req);

/* home.c — the start page for each role */
int h_home(struct req *req);

/* account.c — the user's own account */
int h_account(struct req *req);
int h_account_settings(struct req *req);
int h_password_form(struct req *req);
int h_password_submit(struct req *req);
int h_api_password(struct req *req);

/* institutions.c — institutions (admin) */
int h_institution_list(struct req *req);
int h_institution_new(struct req *req);
int h_institution_create(struct req *req);
int h_institution_show(struct req *req);
int h_institution_edit(struct req *req);
int h_institution_update(struct req *req);
int h_institution_deactivate_confirm(struct req *req);
int h_institution_deactivate(struct req *req);
int h_institution_reactivate(struct req *req);
int h_api_institution_list(struct req *req);
int h_api_institution_create(struct req *req);
int h_api_institution_get(struct req *req);
int h_api_institution_update(struct req *req);

/* users.c — user accounts (admin) */
int h_user_list(struct req *req);
int h_user_new(struct req *req);
int h_user_create(struct req *req);
int h_user_show(struct req *req);
int h_user_edit(struct req *req);
int h_user_update(struct req *req);
int h_user_disable_confirm(struct req *req);
int h_user_disable(struct req *req);
int h_user_enable(struct req *req);
int h_user_unlock(struct req *req);
int h_user_reset_confirm(struct req *req);
int h_user_reset(struct req *req);
int h_api_user_list(struct req *req);
int h_api_user_create(struct req *req);
int h_api_user_get(struct req *req);
int h_api_user_update(struct req *req);
int h_api_user_reset(struct req *req);
int h_api_user_unlock(struct req *req);

/* audit_log.c — browsing the audit log (admin) */
int h_audit_list(struct req *req);
int h_api_audit_list(struct req *req);

#endif
