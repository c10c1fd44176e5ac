/*
 * routes.c — the modules whose routes the server answers. Each module
 * declares its own URLs (ROUTES(...) at the end of its file, see
 * route.h); pages and their JSON twins under /api/v1/ call the same
 * domain functions. Order matters only where two patterns could match
 * the same path: the earlier module wins.
 */
#include "web/handlers.h"
#include "web/route.h"

#define MODULE(m) { #m, m##_routes, &m##_nroutes }

const struct route_module route_modules[] = {
	MODULE(signin),
	MODULE(home),
	MODULE(account),
	MODULE(institutions),
	MODULE(users),
	MODULE(locks),
	MODULE(audit_log),
	MODULE(jobs),
	MODULE(territory),
	MODULE(person_import),
	MODULE(dataprot),
	MODULE(persons),
	MODULE(families),
	MODULE(worklists),
	MODULE(situation),
	MODULE(consents),
	MODULE(maps),
	MODULE(agreements),
	MODULE(referrals),
	MODULE(episodes),
	MODULE(contracts),
	MODULE(evaluation),
	MODULE(teams),
	MODULE(links),
	{ NULL, NULL, NULL },
};
