/*
 * handlers.h — every request handler, grouped by the file that holds it,
 * and each file's route table (ROUTES_DECLARE; routes.c lists them). The
 * route tables are the only callers; see route.h for the guarantees a
 * handler can rely on (sign-in, role, CSRF, body size already checked).
 */
#ifndef RAZEM_WEB_HANDLERS_H
#define RAZEM_WEB_HANDLERS_H

#include "web/http.h"
#include "web/route.h"

struct job_kind;

/* signin.c — sign-in and sign-out, pages and API; health; language switch */
ROUTES_DECLARE(signin);
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
ROUTES_DECLARE(home);
int h_home(struct req *req);

/* account.c — the user's own account */
ROUTES_DECLARE(account);
int h_account(struct req *req);
int h_account_settings(struct req *req);
int h_password_form(struct req *req);
int h_password_submit(struct req *req);
int h_api_password(struct req *req);

/* institutions.c — institutions (admin) */
ROUTES_DECLARE(institutions);
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

/* locks.c — sign-in locks of addresses (admin) */
ROUTES_DECLARE(locks);
int h_lock_list(struct req *req);
int h_lock_unlock(struct req *req);
int h_api_lock_list(struct req *req);
int h_api_lock_unlock(struct req *req);

/* users.c — user accounts (admin) */
ROUTES_DECLARE(users);
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
ROUTES_DECLARE(audit_log);
int h_audit_list(struct req *req);
int h_api_audit_list(struct req *req);

/* jobs.c — the user's background jobs (exports), pages and API */
extern const struct job_kind *const job_kinds[]; /* every kind this program runs, NULL-ended */
int h_job_list(struct req *req);
int h_job_show(struct req *req);
int h_job_cancel(struct req *req);
int h_job_result(struct req *req);
int h_api_job_list(struct req *req);
int h_api_job_get(struct req *req);
int h_api_job_cancel(struct req *req);
int h_api_job_result(struct req *req);
ROUTES_DECLARE(jobs);

/* territory.c */
int h_territory_index(struct req *req);
int h_territory_show(struct req *req);
int h_api_territory_index(struct req *req);
int h_api_territory_get(struct req *req);
ROUTES_DECLARE(territory);

/* person_import.c: the import page of a client register, and its job */
ROUTES_DECLARE(person_import);
extern const struct job_kind person_import_kind;
/* persons.c — the persons of the registry, pages and API */
ROUTES_DECLARE(persons);
int h_person_search(struct req *req);
int h_person_new(struct req *req);
int h_person_create(struct req *req);
int h_person_show(struct req *req);
int h_person_card(struct req *req);
int h_person_edit(struct req *req);
int h_person_update(struct req *req);
int h_person_delete_confirm(struct req *req);
int h_person_delete(struct req *req);
int h_api_person_list(struct req *req);
int h_api_person_create(struct req *req);
int h_api_person_candidates(struct req *req);
int h_api_person_get(struct req *req);
int h_api_person_update(struct req *req);
int h_api_person_history(struct req *req);

/* families.c — households, pages and API */
ROUTES_DECLARE(families);
int h_family_new(struct req *req);
int h_family_create(struct req *req);
int h_family_show(struct req *req);
int h_family_edit(struct req *req);
int h_family_update(struct req *req);
int h_family_add(struct req *req);
int h_family_member_add(struct req *req);
int h_family_member_end_confirm(struct req *req);
int h_family_member_end(struct req *req);
int h_api_family_list(struct req *req);
int h_api_family_create(struct req *req);
int h_api_family_get(struct req *req);
int h_api_family_update(struct req *req);
int h_api_family_history(struct req *req);
int h_api_family_members(struct req *req);
int h_api_family_member_add(struct req *req);
int h_api_family_member_end(struct req *req);

/* worklists.c — "Moje sprawy" and the institution's registry lists */
ROUTES_DECLARE(worklists);
int h_my_cases(struct req *req);
int h_registry_persons(struct req *req);
int h_registry_families(struct req *req);
/* situation.c — reasons, labour status, benefits, interviews (handlers are static) */
ROUTES_DECLARE(situation);
/* episodes.c — support episodes, duplicated-support alerts and report */
ROUTES_DECLARE(episodes);
/* links.c — record linkage: the review queue, links of a person, merges */
ROUTES_DECLARE(links);

/* consents.c — consents, statutory bases, the consent form, taking a partner's person over */
ROUTES_DECLARE(consents);

/* dataprot.c — the data-subject report of a person, retention of records (admin) */
int h_person_dataprot(struct req *req);
int h_retention(struct req *req);
int h_retention_run(struct req *req);
extern const struct job_kind retention_kind;
ROUTES_DECLARE(dataprot);
/* maps.c — /maps, drill-down, the SVG and PNG of a map */
int h_maps(struct req *req);
int h_maps_svg(struct req *req);
int h_maps_png(struct req *req);
/* maps_unit_section() writes the map of the units in code (a voivodeship or powiat) into b, if there is one. */
void maps_unit_section(struct req *req, struct buf *b, const char *code);
ROUTES_DECLARE(maps);
/* referrals.c — referrals between institutions, pages and API; the start-page panel */
ROUTES_DECLARE(referrals);
int referral_panel(struct req *req, struct buf *b);

/* contracts.c — social contracts (coop/contract.h) */
ROUTES_DECLARE(contracts);
/* contract_panel() writes the start-page card of due and overdue actions, decisions and tasks; 0 or -1. */
int contract_panel(struct req *req, struct buf *b);
/* evaluation.c — outcomes of contracts and the evaluation (coop/outcome.h, coop/evaluation.h) */
ROUTES_DECLARE(evaluation);
/* outcome_panel() writes the start-page card of the user's contracts due for the six-month follow-up; 0 or -1. */
int outcome_panel(struct req *req, struct buf *b);
struct contract_actor;
struct contract;
struct contract_content;
/* outcome_section() writes a contract's outcomes, their corrections and the form to record one; 0 or -1. */
int outcome_section(struct req *req, struct buf *b, const struct contract_actor *w, const struct contract *c,
		    const struct contract_content *x);
/* teams.c — county teams, meetings, decisions, the local programme (coop/team.h) */
ROUTES_DECLARE(teams);
/* agreements.c — partnership agreements, the cooperation report (coop/agreement.h) */
ROUTES_DECLARE(agreements);
/* agreement_panel() writes the start-page card of agreements to renew (coordinators, admins); 0 or -1. */
int agreement_panel(struct req *req, struct buf *b);

#endif
