/*
 * contracts.c — the demo's county teams, local programme and social
 * contracts (contracts.h), written through coop/team.c and
 * coop/contract.c as the demo's accounts would, with their audit rows.
 */
#include "demo/contracts.h"

#include <stdio.h>
#include <string.h>

#include "auth/role.h"
#include "coop/contract.h"
#include "core/clock.h"
#include "core/str.h"

static const struct db_sql SQL_USER = DB_SQL("SELECT id FROM app_user WHERE login = ?");
static const struct db_sql SQL_USER_INST = DB_SQL("SELECT institution_id FROM app_user WHERE login = ?");
static const struct db_sql SQL_INST = DB_SQL("SELECT id FROM institution WHERE kind = ? ORDER BY id LIMIT 1");
static const struct db_sql SQL_INST_NAME = DB_SQL("SELECT id FROM institution WHERE name LIKE ? ORDER BY id LIMIT 1");
/* households of the MOPS with three to eight members, at least one of them a child */
static const struct db_sql SQL_FAMILIES =
	DB_SQL("SELECT f.id, f.applicant_id FROM family f WHERE f.institution_id = ? AND f.deleted_at IS NULL "
	       "AND (SELECT COUNT(*) FROM family_member m WHERE m.family_id = f.id AND m.member_to IS NULL) BETWEEN 3 AND 8 "
	       "AND EXISTS (SELECT 1 FROM family_member m JOIN person p ON p.id = m.person_id WHERE m.family_id = f.id "
	       "AND m.member_to IS NULL AND p.birth_date > ?) "
	       "AND EXISTS (SELECT 1 FROM family_member m JOIN person p ON p.id = m.person_id WHERE m.family_id = f.id "
	       "AND m.member_to IS NULL AND p.id = f.applicant_id AND p.birth_date < ?) ORDER BY f.id LIMIT 10");
static const struct db_sql SQL_MEMBERS =
	DB_SQL("SELECT p.id, p.birth_date FROM family_member m JOIN person p ON p.id = m.person_id WHERE m.family_id = ? "
	       "AND m.member_to IS NULL ORDER BY m.id");
static const struct db_sql SQL_SINGLES =
	DB_SQL("SELECT p.id FROM person p WHERE p.institution_id = ? AND p.deleted_at IS NULL AND p.birth_date < ? "
	       "AND p.birth_date > ? AND NOT EXISTS (SELECT 1 FROM contract_member c WHERE c.person_id = p.id) "
	       "ORDER BY p.id LIMIT 20");

struct county {
	int64_t pup, mops, pcpr, cis, coop, ngo, school, starostwo, kis;
	int64_t pzkw, mgi, guardian, guardian2, meeting, lpiw;
	int64_t lpiw_actions[4];
	int64_t pzkw_members[6]; /* the PZKW's members, all present at its meetings */
	struct contract_actor worker, coordinator;
};

static void day(int days, char *out)
{
	char iso[CLOCK_ISO_LEN];

	clock_iso(clock_now() + (int64_t)days * 86400, iso);
	memcpy(out, iso, 10);
	out[10] = '\0';
}

static const char *date_in(struct arena *a, int days)
{
	char d[16];

	day(days, d);
	return arena_strdup(a, d);
}

static int64_t one(struct db *db, const struct db_sql *sql, const char *arg)
{
	int64_t id = 0;

	return db_get_int(db, &id, sql, "t", arg) == DB_ROW ? id : 0;
}

static int actor_of(struct db *db, const char *login, unsigned roles, struct contract_actor *w)
{
	int64_t uid = one(db, &SQL_USER, login), inst = one(db, &SQL_USER_INST, login);

	if (uid == 0)
		return -1;
	return contract_actor_of(db, uid, roles, inst, login, "127.0.0.1", w);
}

static int fail(char *err, size_t errlen, const char *what, const struct verrs *v, struct db *db)
{
	snprintf(err, errlen, "demo %s: %s", what, v->n > 0 ? v->e[0].message : db_errmsg(db));
	return -1;
}

static int member(struct db *db, const struct audit_actor *who, int64_t team, int64_t user, int64_t inst,
		  const char *role, int64_t *id)
{
	struct team_member m = { .team_id = team, .user_id = user, .institution_id = inst, .role = role };
	struct verrs v = VERRS_INIT;
	int64_t dummy;
	char from[16];

	day(-400, from);
	m.valid_from = from;
	return team_add_member(db, who, &m, id != NULL ? id : &dummy, &v);
}

/* The PZKW and the MGI of the county, with their members. */
static int teams(struct db *db, struct county *c, char *err, size_t errlen)
{
	const struct audit_actor *who = &c->coordinator.audit;
	struct team t = { .kind = "pzkw", .terc = "3050",
			  .name = "Powiatowy Zespół Koordynujący ds. Współpracy Interdyscyplinarnej w Przykładowie" };
	struct verrs v = VERRS_INIT;
	int64_t team_id;

	if (team_create(db, who, &t, &c->pzkw, &v) != 0)
		return fail(err, errlen, "PZKW", &v, db);
	t = (struct team){ .kind = "mgi", .terc = "3050", .name = "Mobilna Grupa Interdyscyplinarna powiatu przykładowskiego" };
	if (team_create(db, who, &t, &c->mgi, &v) != 0)
		return fail(err, errlen, "MGI", &v, db);
	t = (struct team){ .kind = "interdisciplinary", .terc = "3050", .name = "Zespół Interdyscyplinarny w Przykładowie" };
	if (team_create(db, who, &t, &team_id, &v) != 0)
		return fail(err, errlen, "interdisciplinary team", &v, db);
	if (member(db, who, c->pzkw, c->coordinator.policy.user_id, 0, "chair", &c->pzkw_members[0]) != 0 ||
	    member(db, who, c->pzkw, 0, c->pup, "member", &c->pzkw_members[1]) != 0 ||
	    member(db, who, c->pzkw, 0, c->mops, "member", &c->pzkw_members[2]) != 0 ||
	    member(db, who, c->pzkw, 0, c->pcpr, "member", &c->pzkw_members[3]) != 0 ||
	    member(db, who, c->pzkw, 0, c->cis, "member", &c->pzkw_members[4]) != 0 ||
	    member(db, who, c->pzkw, 0, c->starostwo, "honorary", &c->pzkw_members[5]) != 0 ||
	    member(db, who, c->mgi, one(db, &SQL_USER, "opiekun"), 0, "guardian", &c->guardian) != 0 ||
	    member(db, who, c->mgi, one(db, &SQL_USER, "pcpr.pracownik"), 0, "guardian", &c->guardian2) != 0 ||
	    member(db, who, c->mgi, one(db, &SQL_USER, "doradca"), 0, "member", NULL) != 0 ||
	    member(db, who, c->mgi, one(db, &SQL_USER, "pracownik"), 0, "member", NULL) != 0 ||
	    member(db, who, c->mgi, 0, c->coop, "member", NULL) != 0 ||
	    member(db, who, c->mgi, 0, c->ngo, "member", NULL) != 0 ||
	    member(db, who, team_id, 0, c->mops, "chair", NULL) != 0 ||
	    member(db, who, team_id, 0, c->school, "member", NULL) != 0)
		return fail(err, errlen, "team members", &v, db);
	return 0;
}

/* The LPIW: drafted, then adopted at the PZKW's meeting two months ago; a second meeting ten days ago. */
static int programme(struct db *db, struct arena *a, struct county *c, char *err, size_t errlen)
{
	const struct audit_actor *who = &c->coordinator.audit;
	struct lpiw_action act[4];
	struct lpiw l;
	struct meeting m = { .team_id = c->pzkw, .place = "Starostwo Powiatowe, sala 12",
			     .agenda = "1. Przyjęcie Lokalnego Programu Interdyscyplinarnej Współpracy. 2. Sprawy bieżące.",
			     .minutes = "Zespół omówił projekt programu i przyjął go w głosowaniu.",
			     .attendees = c->pzkw_members, .nattendees = 6 };
	struct decision d;
	struct verrs v = VERRS_INIT;
	int64_t mid;
	int i;

	memset(act, 0, sizeof(act));
	act[0] = (struct lpiw_action){ .title = "Rodzinne ścieżki zawodowe: doradztwo, szkolenia i staże dla dorosłych",
				       .module = "pro_employment", .responsible_id = c->pup,
				       .partners = { c->cis, c->coop, c->mops }, .npartners = 3,
				       .target_group = "dorośli członkowie rodzin wielodzietnych długotrwale bezrobotni",
				       .infrastructure = "sala szkoleniowa PUP", .rules_of_use = "rezerwacja u doradcy PUP, dni robocze 8–15",
				       .funding = "Fundusz Pracy", .funding_amount = 12000000 };
	act[1] = (struct lpiw_action){ .title = "Reintegracja społeczna i zawodowa w CIS i KIS", .module = "social_integration",
				       .responsible_id = c->cis, .partners = { c->kis, c->mops }, .npartners = 2,
				       .target_group = "osoby zagrożone wykluczeniem", .infrastructure = "warsztaty CIS",
				       .rules_of_use = "zajęcia w grupach do 12 osób", .funding = "budżet gminy", .funding_amount = -1 };
	act[2] = (struct lpiw_action){ .title = "Wsparcie rodziny: asystent rodziny, poradnictwo, terapia",
				       .module = "family", .responsible_id = c->pcpr, .partners = { c->ngo, c->school, c->mops },
				       .npartners = 3, .target_group = "rodziny z dziećmi", .funding = "EFS", .funding_amount = 4000000 };
	act[3] = (struct lpiw_action){ .title = "Zajęcia sportowe i kulturalne dla dzieci i rodziców", .module = "sport_culture",
				       .responsible_id = c->mops, .partners = { c->school, c->starostwo }, .npartners = 2,
				       .target_group = "dzieci i rodzice", .infrastructure = "sala gimnastyczna Szkoły Podstawowej nr 1",
				       .rules_of_use = "wtorki i czwartki 16–19, pod opieką instruktora",
				       .funding = "budżet powiatu", .funding_amount = 1500000 };
	l = (struct lpiw){ .terc = "3050", .title = "Lokalny Program Interdyscyplinarnej Współpracy na rzecz rodzin powiatu przykładowskiego",
			   .valid_from = date_in(a, -90), .valid_to = date_in(a, 640), .contract_limit = 800000,
			   .actions = act, .nactions = 4 };
	if (lpiw_create(db, a, who, &l, &c->lpiw, &v) != 0)
		return fail(err, errlen, "LPIW", &v, db);
	for (i = 0; i < 4; i++)
		c->lpiw_actions[i] = act[i].id;
	m.held_on = date_in(a, -60);
	if (meeting_create(db, a, who, &m, &mid, &v) != 0)
		return fail(err, errlen, "meeting", &v, db);
	memset(&d, 0, sizeof(d));
	d.meeting_id = mid;
	d.method = "vote";
	d.votes_for = 4; /* the five voting members present (the honorary member has no vote) */
	d.votes_abstain = 1;
	d.text = "Zespół przyjmuje Lokalny Program Interdyscyplinarnej Współpracy.";
	if (lpiw_adopt(db, who, c->lpiw, &d, &v) != 0)
		return fail(err, errlen, "LPIW adoption", &v, db);
	m = (struct meeting){ .team_id = c->pzkw, .held_on = date_in(a, -10), .place = "Starostwo Powiatowe, sala 12",
			      .agenda = "Rozpatrzenie rodzinnych kontraktów socjalnych i kontraktów indywidualnych.",
			      .minutes = "Zespół rozpatrzył złożone kontrakty.",
			      .attendees = c->pzkw_members, .nattendees = 6 };
	if (meeting_create(db, a, who, &m, &c->meeting, &v) != 0)
		return fail(err, errlen, "meeting", &v, db);
	return 0;
}

/* A path through the workflow: the states a demo contract passes, ending in its own. */
enum path { P_DRAFT, P_SUBMITTED, P_RETURNED, P_APPROVED, P_ACTIVE, P_AMENDING, P_COMPLETED, P_TERMINATED,
	P_LOST };

static int go(struct db *db, struct arena *a, const struct contract_actor *w, int64_t id, enum contract_op op,
	      struct contract_step *s)
{
	struct verrs v = VERRS_INIT;
	struct contract_step none;

	if (s == NULL) {
		memset(&none, 0, sizeof(none));
		s = &none;
	}
	return contract_transition(db, a, w, id, op, s, &v) == 0 ? 0 : -1;
}

static int walk(struct db *db, struct arena *a, const struct county *c, int64_t id, enum path p, int ngoals)
{
	struct contract_step s;
	int i;

	if (p == P_DRAFT)
		return 0;
	if (go(db, a, &c->worker, id, CONTRACT_SUBMIT, NULL) != 0)
		return -1;
	if (p == P_SUBMITTED)
		return 0;
	memset(&s, 0, sizeof(s));
	s.meeting_id = c->meeting;
	if (p == P_RETURNED) {
		s.comment = "Proszę uzupełnić terminy działań i opis zasobów rodziny.";
		return go(db, a, &c->coordinator, id, CONTRACT_RETURN, &s);
	}
	s.method = "consensus";
	if (go(db, a, &c->coordinator, id, CONTRACT_APPROVE, &s) != 0)
		return -1;
	if (p == P_APPROVED)
		return 0;
	if (go(db, a, &c->worker, id, CONTRACT_ACTIVATE, NULL) != 0)
		return -1;
	memset(&s, 0, sizeof(s));
	switch (p) {
	case P_AMENDING:
		s.comment = "Aneks: dodatkowe szkolenie po zmianie sytuacji rodziny.";
		return go(db, a, &c->worker, id, CONTRACT_AMEND, &s) != 0 || go(db, a, &c->worker, id, CONTRACT_SUBMIT, NULL);
	case P_COMPLETED:
		for (i = 0; i < ngoals; i++) {
			s.evaluations[i] = i == 0 ? "achieved" : "partly";
			s.reasons[i] = i == 0 ? NULL : "Część zajęć odbyła się z opóźnieniem.";
		}
		return go(db, a, &c->coordinator, id, CONTRACT_COMPLETE, &s);
	case P_TERMINATED:
		s.end_reason = "non_cooperation";
		s.art11_consequence = "suspend";
		s.comment = "Klient nie podjął ustalonych działań mimo dwukrotnego wezwania.";
		return go(db, a, &c->coordinator, id, CONTRACT_TERMINATE, &s);
	case P_LOST:
		s.end_reason = "lost_contact";
		s.comment = "Brak kontaktu od trzech miesięcy.";
		return go(db, a, &c->coordinator, id, CONTRACT_TERMINATE, &s);
	default:
		return 0;
	}
}

static const enum path family_paths[10] = { P_DRAFT, P_SUBMITTED, P_SUBMITTED, P_RETURNED, P_APPROVED, P_ACTIVE,
					    P_ACTIVE, P_AMENDING, P_COMPLETED, P_TERMINATED };

/* A family contract: every adult a pro-employment action, every child a sport or family one. */
static int family_contract(struct db *db, struct arena *a, const struct county *c, int64_t family, int64_t applicant,
			   int k, char *err, size_t errlen)
{
	struct contract_content *x = arena_zalloc(a, sizeof(*x));
	struct contract_new n = { .kind = "family", .person_id = applicant, .family_id = family,
				  .guardian_member_id = k % 2 == 0 ? c->guardian : c->guardian2,
				  .consent_form = k == 0 ? NULL : "written" };
	struct verrs v = VERRS_INIT;
	struct db_stmt *st;
	int64_t id;
	int rc;

	if (x == NULL)
		return -1;
	x->valid_from = date_in(a, -45);
	x->valid_to = date_in(a, 320);
	x->lpiw_id = c->lpiw;
	x->causes = "Długotrwałe bezrobocie obojga rodziców, zadłużenie, trudności wychowawcze.";
	x->strengths = "Silne więzi rodzinne, gotowość do zmiany, wsparcie dziadków.";
	x->barriers = "Brak kwalifikacji zawodowych, opieka nad małymi dziećmi, dojazdy.";
	x->assistance_forms = "zasiłek okresowy, zasiłek celowy na dożywianie dzieci, praca socjalna";
	x->goals[0] = (struct contract_goal){ .kind = "main", .text = "Podjęcie pracy przez dorosłych członków rodziny" };
	x->goals[1] = (struct contract_goal){ .kind = "specific", .text = "Regularne uczęszczanie dzieci do szkoły" };
	x->goals[2] = (struct contract_goal){ .kind = "specific", .text = "Spłata zaległości czynszowych" };
	x->ngoals = 3;
	st = db_query(db, &SQL_MEMBERS, "i", family);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && x->nactions < CONTRACT_MAX_ACTIONS - 1) {
		int64_t pid = db_col_int(st, 0);
		int child = contract_child_on(db_col_text(st, 1), x->valid_from); /* as the contract sees one */
		struct contract_action *y = &x->actions[x->nactions++];

		*y = (struct contract_action){ .member_person_id = pid, .performer = "institution",
					       .deadline = date_in(a, child ? 120 : (x->nactions % 3 == 0 ? -5 : 90)),
					       .cost = child ? 20000 : 150000 };
		if (child) {
			y->module = "sport_culture";
			y->title = "Zajęcia sportowe w sali gimnastycznej szkoły";
			y->institution_id = c->mops;
			y->lpiw_action_id = c->lpiw_actions[3];
		} else {
			y->module = "pro_employment";
			y->title = "Szkolenie zawodowe i staż w CIS";
			y->institution_id = c->cis;
			y->lpiw_action_id = c->lpiw_actions[0];
		}
	}
	db_reset(st);
	if (rc < 0)
		return -1;
	x->actions[x->nactions++] = (struct contract_action){ .module = "family", .title = "Spotkania z asystentem rodziny",
							       .performer = "worker", .deadline = date_in(a, 200) };
	x->budget[0] = (struct contract_budget){ .line = "Szkolenia i staże", .source = "pup", .planned = 300000, .spent = 90000 };
	x->budget[1] = (struct contract_budget){ .line = "Zajęcia dla dzieci", .source = "powiat", .planned = 60000 };
	x->nbudget = 2;
	if (contract_create(db, a, &c->worker, &n, x, &id, &v) != 0)
		return fail(err, errlen, "family contract", &v, db);
	if (walk(db, a, c, id, family_paths[k], x->ngoals) != 0) {
		snprintf(err, errlen, "demo family contract %lld: its workflow failed: %s", (long long)id, db_errmsg(db));
		return -1;
	}
	return 0;
}

/* The individual ones: ten in variant A, six in B, four programmes of exit from homelessness. */
static const struct {
	const char *kind;
	enum path path;
} singles[20] = {
	{ "individual_a", P_DRAFT }, { "individual_a", P_DRAFT }, { "individual_a", P_SUBMITTED },
	{ "individual_a", P_RETURNED }, { "individual_a", P_APPROVED }, { "individual_a", P_ACTIVE },
	{ "individual_a", P_ACTIVE }, { "individual_a", P_ACTIVE }, { "individual_a", P_COMPLETED },
	{ "individual_a", P_TERMINATED }, { "individual_b", P_DRAFT }, { "individual_b", P_SUBMITTED },
	{ "individual_b", P_ACTIVE }, { "individual_b", P_ACTIVE }, { "individual_b", P_AMENDING },
	{ "individual_b", P_COMPLETED }, { "homelessness", P_DRAFT }, { "homelessness", P_ACTIVE },
	{ "homelessness", P_ACTIVE }, { "homelessness", P_LOST },
};

static int single_contract(struct db *db, struct arena *a, const struct county *c, int64_t person, int k, char *err,
			   size_t errlen)
{
	struct contract_content *x = arena_zalloc(a, sizeof(*x));
	struct contract_new n = { .kind = singles[k].kind, .person_id = person, .consent_form = "written",
				  .guardian_member_id = k % 3 == 0 ? c->guardian : 0 };
	struct verrs v = VERRS_INIT;
	int homeless = str_eq(n.kind, "homelessness");
	int64_t id;

	if (x == NULL)
		return -1;
	x->valid_from = date_in(a, -30);
	x->valid_to = date_in(a, homeless ? 335 : 150);
	x->lpiw_id = c->lpiw;
	x->causes = homeless ? "Utrata mieszkania po eksmisji, zerwane więzi rodzinne." : "Długotrwałe bezrobocie, brak kwalifikacji.";
	x->strengths = "Motywacja do zmiany, dobry stan zdrowia.";
	x->barriers = "Brak doświadczenia zawodowego.";
	if (str_eq(n.kind, "individual_b")) {
		x->education = "zasadnicze zawodowe (sprzedawca)";
		x->qualifications = "prawo jazdy kat. B";
		x->work_experience = "2 lata pracy w handlu, ostatnio 5 lat temu";
		x->employment_barriers = "długa przerwa w zatrudnieniu";
	}
	if (homeless) {
		x->homeless_stage = k == 17 ? "night_shelter" : k == 18 ? "training_flat" : "shelter";
		x->homeless_target = "housing";
	}
	x->goals[0] = (struct contract_goal){ .kind = "main",
					      .text = homeless ? "Uzyskanie mieszkania socjalnego" : "Podjęcie zatrudnienia" };
	x->goals[1] = (struct contract_goal){ .kind = "specific", .text = "Udział w szkoleniu zawodowym" };
	x->ngoals = 2;
	x->actions[0] = (struct contract_action){ .module = "pro_employment", .title = "Rejestracja w PUP i IPD",
						  .performer = "institution", .institution_id = c->pup,
						  .lpiw_action_id = c->lpiw_actions[0], .deadline = date_in(a, k % 4 == 0 ? -3 : 20) };
	x->actions[1] = (struct contract_action){ .module = "social_integration", .title = "Zajęcia reintegracyjne w CIS",
						  .performer = "institution", .institution_id = c->cis,
						  .lpiw_action_id = c->lpiw_actions[1], .deadline = date_in(a, 100), .cost = 120000 };
	x->actions[2] = (struct contract_action){ .module = "social_integration", .title = "Regularne spotkania z pracownikiem socjalnym",
						  .performer = "client", .deadline = date_in(a, 10), .status = k % 2 ? "done" : "planned",
						  .evidence = k % 2 ? "notatki z wizyt" : NULL };
	x->nactions = 3;
	x->budget[0] = (struct contract_budget){ .line = "Koszty zajęć w CIS", .source = "gmina", .planned = 120000 };
	x->nbudget = 1;
	if (contract_create(db, a, &c->worker, &n, x, &id, &v) != 0)
		return fail(err, errlen, "individual contract", &v, db);
	if (walk(db, a, c, id, singles[k].path, x->ngoals) != 0) {
		snprintf(err, errlen, "demo contract %lld: its workflow failed: %s", (long long)id, db_errmsg(db));
		return -1;
	}
	return 0;
}

static int institutions(struct db *db, struct county *c, char *err, size_t errlen)
{
	c->pup = one(db, &SQL_INST, "pup");
	c->mops = one(db, &SQL_INST, "mops");
	c->pcpr = one(db, &SQL_INST, "pcpr");
	c->cis = one(db, &SQL_INST, "cis");
	c->kis = one(db, &SQL_INST, "kis");
	c->coop = one(db, &SQL_INST, "social_coop");
	c->ngo = one(db, &SQL_INST, "ngo");
	c->school = one(db, &SQL_INST, "school");
	c->starostwo = one(db, &SQL_INST_NAME, "Starostwo%");
	if (c->pup == 0 || c->mops == 0 || c->pcpr == 0 || c->cis == 0 || c->kis == 0 || c->coop == 0 || c->ngo == 0 ||
	    c->school == 0 || c->starostwo == 0) {
		snprintf(err, errlen, "demo contracts: an institution of the demo county is missing");
		return -1;
	}
	if (actor_of(db, "pracownik", ROLE_BIT(ROLE_SOCIAL_WORKER), &c->worker) != 0 ||
	    actor_of(db, "koordynator", ROLE_BIT(ROLE_COORDINATOR), &c->coordinator) != 0) {
		snprintf(err, errlen, "demo contracts: the demo accounts are missing");
		return -1;
	}
	return 0;
}

int demo_contracts(struct db *db, struct arena *a, char *err, size_t errlen)
{
	struct county c;
	struct db_stmt *st;
	int64_t fam[10], app[10], single[20];
	int nf = 0, ns = 0, rc, i;

	memset(&c, 0, sizeof(c));
	if (institutions(db, &c, err, errlen) != 0 || teams(db, &c, err, errlen) != 0 ||
	    programme(db, a, &c, err, errlen) != 0)
		return -1;
	st = db_query(db, &SQL_FAMILIES, "itt", c.mops, date_in(a, -18 * 365 + 60), date_in(a, -20 * 365));
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && nf < 10) {
		fam[nf] = db_col_int(st, 0);
		app[nf++] = db_col_int(st, 1);
	}
	db_reset(st);
	if (rc < 0)
		return -1;
	for (i = 0; i < nf; i++)
		if (family_contract(db, a, &c, fam[i], app[i], i, err, errlen) != 0)
			return -1;
	st = db_query(db, &SQL_SINGLES, "itt", c.mops, date_in(a, -20 * 365), date_in(a, -60 * 365));
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && ns < 20)
		single[ns++] = db_col_int(st, 0);
	db_reset(st);
	if (rc < 0)
		return -1;
	for (i = 0; i < ns; i++)
		if (single_contract(db, a, &c, single[i], i, err, errlen) != 0)
			return -1;
	return 0;
}
