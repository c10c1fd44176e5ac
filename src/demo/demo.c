/*
 * demo.c — builds the fictional county through the same domain functions
 * the pages use, so demo data obeys every rule real data does.
 *
 * The powiat code 3050 lies in wielkopolskie (30) but is not used by any
 * real powiat (real ones are 3001–3031 and 3061–3064), so demo data can
 * sit next to an imported TERYT register without clashing. Every demo
 * unit is flagged fictional.
 */
#include "demo/demo.h"

#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/password.h"
#include "auth/role.h"
#include "auth/user.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/verr.h"
#include "demo/agreements.h"
#include "demo/consents.h"
#include "demo/contracts.h"
#include "demo/outcomes.h"
#include "demo/episodes.h"
#include "demo/linkage.h"
#include "demo/referrals.h"
#include "demo/people.h"
#include "registry/institution.h"
#include "territory/boundary.h"
#include "territory/territory.h"

/* Statements */
static const struct db_sql SQL_DEMO_MARK =
	DB_SQL("INSERT INTO app_meta (key, value) VALUES ('demo', '1'), ('demo_created_at', ?)");
static const struct db_sql SQL_DEMO_FLAG = DB_SQL("SELECT value FROM app_meta WHERE key = 'demo'");

const char *const demo_logins[] = {
	"admin", "pracownik", "doradca", "opiekun", "koordynator", "analityk", "biuro", NULL,
};

static const struct territory_unit units[] = {
	{ "30", "WIELKOPOLSKIE", UNIT_VOIVODESHIP, NULL, 0 },
	{ "3050", "przykładowy", UNIT_POWIAT, "30", 1 },
	{ "3050011", "Przykładowo", UNIT_URBAN, "3050", 1 },
	{ "3050022", "Brzozowo", UNIT_RURAL, "3050", 1 },
	{ "3050032", "Dębina", UNIT_RURAL, "3050", 1 },
	{ "3050043", "Jarzębin", UNIT_URBAN_RURAL, "3050", 1 },
	{ "3050044", "Jarzębin", UNIT_TOWN_PART, "3050", 1 },
	{ "3050045", "Jarzębin", UNIT_RURAL_PART, "3050", 1 },
	{ "3050052", "Kalinowo", UNIT_RURAL, "3050", 1 },
	{ "3050062", "Lipnica", UNIT_RURAL, "3050", 1 },
	{ "3050073", "Olszyny", UNIT_URBAN_RURAL, "3050", 1 },
	{ "3050074", "Olszyny", UNIT_TOWN_PART, "3050", 1 },
	{ "3050075", "Olszyny", UNIT_RURAL_PART, "3050", 1 },
	{ "3050082", "Przykładowo", UNIT_RURAL, "3050", 1 },
	{ "3050092", "Wierzbno", UNIT_RURAL, "3050", 1 },
	{ "3050102", "Zielonka Mała", UNIT_RURAL, "3050", 1 },
};

struct demo_institution {
	const char *kind;
	const char *name;
	const char *street;
	const char *postcode;
	const char *city;
	const char *terc;
	const char *phone;
	const char *email;
};

/* The first five are referred to by index below (accounts). */
enum { PCPR, PUP, MOPS, STAROSTWO, CIS };

static const struct demo_institution institutions[] = {
	[PCPR] = { "pcpr", "Powiatowe Centrum Pomocy Rodzinie w Przykładowie", "ul. Lipowa 2",
		   "99-300", "Przykładowo", "3050011", "+48 11 100 20 00", "pcpr@przykladowo.example" },
	[PUP] = { "pup", "Powiatowy Urząd Pracy w Przykładowie", "ul. Kolejowa 5", "99-300",
		  "Przykładowo", "3050011", "+48 11 100 30 00", "pup@przykladowo.example" },
	[MOPS] = { "mops", "Miejski Ośrodek Pomocy Społecznej w Przykładowie", "ul. Rynek 12",
		   "99-300", "Przykładowo", "3050011", "+48 11 100 40 00", "mops@przykladowo.example" },
	[STAROSTWO] = { "other", "Starostwo Powiatowe w Przykładowie", "ul. Rynek 1", "99-300",
			"Przykładowo", "3050011", "+48 11 100 10 00", "starostwo@przykladowo.example" },
	[CIS] = { "cis", "Centrum Integracji Społecznej w Jarzębinie", "ul. Fabryczna 8", "99-320",
		  "Jarzębin", "3050044", "+48 11 120 10 00", "cis@jarzebin.example" },
	{ "ops", "Gminny Ośrodek Pomocy Społecznej w Brzozowie", "Brzozowo 14", "99-310", "Brzozowo",
	  "3050022", "+48 11 110 10 00", "gops@brzozowo.example" },
	{ "ops", "Gminny Ośrodek Pomocy Społecznej w Dębinie", "ul. Szkolna 3", "99-330", "Dębina",
	  "3050032", "+48 11 130 10 00", "gops@debina.example" },
	{ "ops", "Miejsko-Gminny Ośrodek Pomocy Społecznej w Jarzębinie", "ul. Ratuszowa 1", "99-320",
	  "Jarzębin", "3050044", "+48 11 120 20 00", "mgops@jarzebin.example" },
	{ "ops", "Gminny Ośrodek Pomocy Społecznej w Kalinowie", "Kalinowo 40", "99-340", "Kalinowo",
	  "3050052", "+48 11 140 10 00", "gops@kalinowo.example" },
	{ "ops", "Gminny Ośrodek Pomocy Społecznej w Lipnicy", "ul. Długa 22", "99-350", "Lipnica",
	  "3050062", "+48 11 150 10 00", "gops@lipnica.example" },
	{ "ops", "Miejsko-Gminny Ośrodek Pomocy Społecznej w Olszynach", "pl. Wolności 4", "99-360",
	  "Olszyny", "3050074", "+48 11 160 10 00", "mgops@olszyny.example" },
	{ "ops", "Gminny Ośrodek Pomocy Społecznej gminy Przykładowo", "ul. Polna 9", "99-300",
	  "Przykładowo", "3050082", "+48 11 100 50 00", "gops@gmina-przykladowo.example" },
	{ "ops", "Gminny Ośrodek Pomocy Społecznej w Wierzbnie", "Wierzbno 1", "99-370", "Wierzbno",
	  "3050092", "+48 11 170 10 00", "gops@wierzbno.example" },
	{ "ops", "Gminny Ośrodek Pomocy Społecznej w Zielonce Małej", "ul. Leśna 6", "99-380",
	  "Zielonka Mała", "3050102", "+48 11 180 10 00", "gops@zielonka.example" },
	{ "kis", "Klub Integracji Społecznej przy GOPS w Dębinie", "ul. Szkolna 3", "99-330", "Dębina",
	  "3050032", "+48 11 130 10 10", "kis@debina.example" },
	{ "social_coop", "Spółdzielnia Socjalna „Razem” w Olszynach", "ul. Ogrodowa 15", "99-360",
	  "Olszyny", "3050074", "+48 11 160 20 00", "biuro@spoldzielnia-razem.example" },
	{ "ngo", "Stowarzyszenie „Pomocna Dłoń”", "ul. Kościelna 7", "99-300", "Przykładowo",
	  "3050011", "+48 11 100 60 00", "kontakt@pomocna-dlon.example" },
	{ "wtz", "Warsztat Terapii Zajęciowej w Kalinowie", "Kalinowo 12", "99-340", "Kalinowo",
	  "3050052", "+48 11 140 20 00", "wtz@kalinowo.example" },
	{ "sds", "Środowiskowy Dom Samopomocy w Przykładowie", "ul. Zielona 3", "99-300",
	  "Przykładowo", "3050011", "+48 11 100 70 00", "sds@przykladowo.example" },
	{ "dps", "Dom Pomocy Społecznej w Lipnicy", "ul. Parkowa 1", "99-350", "Lipnica", "3050062",
	  "+48 11 150 20 00", "dps@lipnica.example" },
	{ "shelter", "Noclegownia dla Osób Bezdomnych w Przykładowie", "ul. Torowa 2", "99-300",
	  "Przykładowo", "3050011", "+48 11 100 80 00", "noclegownia@przykladowo.example" },
	{ "court", "Sąd Rejonowy w Przykładowie — Zespół Kuratorskiej Służby Sądowej",
	  "ul. Sądowa 1", "99-300", "Przykładowo", "3050011", "+48 11 100 90 00",
	  "kuratorzy@sad-przykladowo.example" },
	{ "police", "Komenda Powiatowa Policji w Przykładowie", "ul. Wojska Polskiego 10", "99-300",
	  "Przykładowo", "3050011", "+48 11 100 99 97", "kpp@przykladowo.example" },
	{ "school", "Szkoła Podstawowa nr 1 w Przykładowie", "ul. Szkolna 1", "99-300", "Przykładowo",
	  "3050011", "+48 11 100 11 00", "sp1@przykladowo.example" },
};

struct demo_user {
	const char *login;
	const char *name;
	int institution; /* index in institutions[] */
	enum role role;
};

static const struct demo_user users[] = {
	{ "admin", "Adam Administrator", STAROSTWO, ROLE_ADMIN },
	{ "pracownik", "Paulina Pracownik", MOPS, ROLE_SOCIAL_WORKER },
	{ "doradca", "Damian Doradca", PUP, ROLE_LABOUR_ADVISER },
	{ "opiekun", "Olga Opiekun", PCPR, ROLE_GUARDIAN },
	{ "koordynator", "Karol Koordynator", PCPR, ROLE_COORDINATOR },
	{ "analityk", "Anita Analityk", PCPR, ROLE_ANALYST },
	{ "biuro", "Bartosz Biuro", PCPR, ROLE_PROJECT_OFFICE },
};

/*
 * The social workers who lead the generated cases (demo/people.c): a few
 * in each social-assistance centre, by the name of the centre's gmina,
 * plus a second one in the MOPS. Not in demo_logins (one account per
 * role); same password. Indexes are those of institutions[] (the OPS
 * follow CIS in gmina order).
 */
static const struct demo_user workers[] = {
	{ "pracownik2", "Monika Socjalna", MOPS, ROLE_SOCIAL_WORKER },
	{ "pcpr.pracownik", "Piotr Rodzinny", PCPR, ROLE_SOCIAL_WORKER },
	{ "brzozowo", "Beata Brzozowska", CIS + 1, ROLE_SOCIAL_WORKER },
	{ "debina", "Dorota Dębińska", CIS + 2, ROLE_SOCIAL_WORKER },
	{ "jarzebin", "Jan Jarzębiński", CIS + 3, ROLE_SOCIAL_WORKER },
	{ "kalinowo", "Katarzyna Kalinowska", CIS + 4, ROLE_SOCIAL_WORKER },
	{ "lipnica", "Lucyna Lipnicka", CIS + 5, ROLE_SOCIAL_WORKER },
	{ "olszyny", "Olga Olszyńska", CIS + 6, ROLE_SOCIAL_WORKER },
	{ "przykladowo", "Paweł Przykładowski", CIS + 7, ROLE_SOCIAL_WORKER },
	{ "wierzbno", "Wiesława Wierzbicka", CIS + 8, ROLE_SOCIAL_WORKER },
	{ "zielonka", "Zofia Zielińska", CIS + 9, ROLE_SOCIAL_WORKER },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int add_institutions(struct db *db, struct arena *a, int64_t *ids, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < N(institutions); i++) {
		const struct demo_institution *d = &institutions[i];
		struct institution in = { .kind = d->kind, .name = d->name, .street = d->street,
					  .postcode = d->postcode, .city = d->city, .terc = d->terc,
					  .phone = d->phone, .email = d->email, .active = 1 };
		struct verrs v = VERRS_INIT;

		if (institution_validate(&in, a, &v) > 0 ||
		    institution_create(db, a, &in, &ids[i], &v) != 0) {
			snprintf(err, errlen, "demo institution \"%s\": %s", d->name,
				 v.n > 0 ? v.e[0].message : db_errmsg(db));
			return -1;
		}
	}
	return 0;
}

static int add_users(struct db *db, struct arena *a, const int64_t *ids, const struct demo_user *list,
		     size_t nusers, char *err, size_t errlen)
{
	char hash[PASSWORD_HASH_MAX];
	struct audit_actor who = { 0, "(demo)", 0, "local" };
	size_t i;

	if (password_hash(DEMO_PASSWORD, hash) != 0) {
		snprintf(err, errlen, "out of memory hashing the demo password");
		return -1;
	}
	for (i = 0; i < nusers; i++) {
		struct user u = { .login = list[i].login, .full_name = list[i].name,
				  .institution_id = ids[list[i].institution],
				  .roles = ROLE_BIT(list[i].role), .active = 1 };
		struct verrs v = VERRS_INIT;
		int64_t id;

		u.email = arena_printf(a, "%s@przykladowo.example", list[i].login);
		if (user_validate(&u, a, &v) > 0 || user_create(db, a, &u, hash, &id, &v) != 0 ||
		    audit_write_id(db, &who, "user.create", "user", id, u.login) != DB_OK) {
			snprintf(err, errlen, "demo user %s: %s", list[i].login,
				 v.n > 0 ? v.e[0].message : db_errmsg(db));
			return -1;
		}
	}
	return 0;
}

int demo_build(struct db *db, char *err, size_t errlen)
{
	return demo_build_people(db, DEMO_HOUSEHOLDS, err, errlen);
}

int demo_build_people(struct db *db, int people, char *err, size_t errlen)
{
	struct arena *a = arena_new(64u * 1024u * 1024u);
	struct demo_people_stats st;
	int64_t ids[N(institutions)];
	char now[CLOCK_ISO_LEN];
	size_t i;
	int ret = -1;

	if (a == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (db_begin(db) != 0) {
		snprintf(err, errlen, "cannot start a transaction: %s", db_errmsg(db));
		goto out;
	}
	for (i = 0; i < N(units); i++) {
		if (territory_put(db, &units[i]) != DB_OK) {
			snprintf(err, errlen, "demo territory %s: %s", units[i].code, db_errmsg(db));
			goto fail;
		}
	}
	if (boundary_demo(db, err, errlen) != 0)
		goto fail;
	if (add_institutions(db, a, ids, err, errlen) != 0 ||
	    add_users(db, a, ids, users, N(users), err, errlen) != 0 ||
	    add_users(db, a, ids, workers, N(workers), err, errlen) != 0 ||
	    demo_agreements(db, a, err, errlen) != 0)
		goto fail;
	if (people > 0 && demo_people_build(db, people, DEMO_SEED, &st, err, errlen) != 0)
		goto fail;
	if (demo_consents(db, err, errlen) != 0) /* after the agreements and the people */
		goto fail;
	if (people > 0 && demo_episodes(db, a, err, errlen) != 0)
		goto fail;
	if (people > 0 && demo_referrals(db, a, err, errlen) != 0)
		goto fail;
	if (people > 0 && (demo_contracts(db, a, err, errlen) != 0 || /* after the people, consents, referrals */
			   demo_outcomes(db, a, err, errlen) != 0))
		goto fail;
	if (people > 0 && demo_linkage(db, a, err, errlen) != 0) /* last: links what the others made */
		goto fail;
	clock_iso(clock_now(), now);
	if (db_run(db, &SQL_DEMO_MARK, "t", now) != DB_OK) {
		snprintf(err, errlen, "marking the demo database: %s", db_errmsg(db));
		goto fail;
	}
	if (db_commit(db) != 0) {
		snprintf(err, errlen, "saving the demo data: %s", db_errmsg(db));
		goto out;
	}
	ret = 0;
	goto out;
fail:
	db_rollback(db);
out:
	arena_free(a);
	return ret;
}

int demo_is_demo(struct db *db)
{
	struct db_stmt *st = db_query(db, &SQL_DEMO_FLAG, NULL);
	int rc, demo = 0;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		demo = strcmp(db_col_text(st, 0), "1") == 0;
	db_reset(st);
	return rc < 0 ? -1 : demo;
}

int demo_account(size_t i, const char **role, const char **institution)
{
	if (i >= N(users))
		return -1;
	*role = role_code(users[i].role);
	*institution = institutions[users[i].institution].name;
	return 0;
}
