/*
 * contract.c — social contracts: content and its versions, the rules of
 * submission, the workflow, who reads them (contract.h).
 */
#include "coop/contract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/role.h"
#include "coop/agreement.h"
#include "coop/consent.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/str.h"
#include "registry/check.h"
#include "registry/situation.h"

const char *const contract_kinds[] = { "individual_a", "individual_b", "family", "homelessness", NULL };
const char *const contract_states[] = { "draft", "submitted", "returned", "approved", "active", "completed",
					"terminated", NULL };
const char *const contract_performers[] = { "client", "family_member", "worker", "institution", NULL };
const char *const contract_action_statuses[] = { "planned", "done", "dropped", NULL };
const char *const contract_budget_sources[] = { "ops", "pup", "pfron", "efs", "gmina", "powiat", "other", NULL };
const char *const contract_homeless_stages[] = { "street", "night_shelter", "shelter", "training_flat", "housing",
						 NULL };
const char *const contract_end_reasons[] = { "non_cooperation", "agreement", "lost_contact", "death", "other",
					     NULL };
const char *const contract_art11[] = { "refuse", "revoke", "suspend", NULL };
const char *const contract_evaluations[] = { "achieved", "partly", "not", NULL };
const char *const contract_op_codes[] = { "submit", "approve", "return", "activate", "amend", "complete",
					  "terminate", NULL };

static const char *const kind_labels[] = { N_("Individual contract, variant A"),
	N_("Individual contract, variant B"), N_("Family contract"),
	N_("Individual programme of exit from homelessness") };
/* Not the shared "Active", "Completed", "Terminated": their Polish is neuter (accounts, agreements), a contract is masculine. */
static const char *const state_labels[] = { N_("Draft"), N_("Submitted to the PZKW"), N_("Returned"),
	N_("Approved"), N_("In force"), N_("Ended"), N_("Terminated early") };
static const char *const performer_labels[] = { N_("The client"), N_("A family member"), N_("The social worker"),
	N_("An institution") };
static const char *const status_labels[] = { N_("Planned"), N_("Done"), N_("Dropped") };
static const char *const source_labels[] = { N_("Social-assistance centre"), N_("Labour office"), N_("PFRON"),
	N_("European Social Fund"), N_("Gmina"), N_("Powiat"), N_("Other") };
static const char *const stage_labels[] = { N_("Street"), N_("Night shelter"), N_("Shelter"),
	N_("Training flat"), N_("Social or rented housing") };
static const char *const end_labels[] = { N_("The client's non-cooperation"), N_("By agreement"),
	N_("Loss of contact"), N_("Death"), N_("Other") };
static const char *const art11_labels[] = { N_("Refusal of a benefit (art. 11(2))"),
	N_("Revocation of the decision granting a benefit (art. 11(2))"),
	N_("Suspension of cash benefits (art. 11(2))") };
static const char *const evaluation_labels[] = { N_("Achieved"), N_("Partly achieved"), N_("Not achieved") };

static const char *label(const char *const *codes, const char *const *labels, const char *code)
{
	int i;

	for (i = 0; code != NULL && codes[i] != NULL; i++)
		if (strcmp(codes[i], code) == 0)
			return _(labels[i]);
	return code;
}

const char *contract_kind_label(const char *c) { return label(contract_kinds, kind_labels, c); }
const char *contract_state_label(const char *c) { return label(contract_states, state_labels, c); }
const char *contract_performer_label(const char *c) { return label(contract_performers, performer_labels, c); }
const char *contract_action_status_label(const char *c) { return label(contract_action_statuses, status_labels, c); }
const char *contract_source_label(const char *c) { return label(contract_budget_sources, source_labels, c); }
const char *contract_stage_label(const char *c) { return label(contract_homeless_stages, stage_labels, c); }
const char *contract_end_reason_label(const char *c) { return label(contract_end_reasons, end_labels, c); }
const char *contract_art11_label(const char *c) { return label(contract_art11, art11_labels, c); }
const char *contract_evaluation_label(const char *c) { return label(contract_evaluations, evaluation_labels, c); }

#define CASEWORK (ROLE_BIT(ROLE_SOCIAL_WORKER) | ROLE_BIT(ROLE_GUARDIAN) | ROLE_BIT(ROLE_LABOUR_ADVISER))
#define AUTHORS (ROLE_BIT(ROLE_SOCIAL_WORKER) | ROLE_BIT(ROLE_GUARDIAN))

/* A consent row in force today (withdrawal takes effect on its day). */
#define CONSENT_VALID(alias)                                                                           \
	alias ".valid_from <= ? AND (" alias ".valid_to IS NULL OR " alias ".valid_to >= ?) AND ("     \
	alias ".withdrawn_on IS NULL OR " alias ".withdrawn_on > ?)"

static const struct db_sql SQL_HEAD =
	DB_SQL("SELECT c.id, c.kind, c.state, c.institution_id, c.county_terc, c.person_id, c.family_id, "
	       "c.social_worker_id, c.guardian_member_id, c.referral_id, c.consent_id, c.current_version, "
	       "c.pending_version, c.end_reason, c.end_note, c.art11_consequence, c.ended_on, c.created_at, "
	       "c.updated_at, p.first_names || ' ' || p.surname, i.name, gu.full_name, sw.full_name, g.user_id "
	       "FROM contract c JOIN person p ON p.id = c.person_id JOIN institution i ON i.id = c.institution_id "
	       "JOIN app_user sw ON sw.id = c.social_worker_id LEFT JOIN team_member g ON g.id = "
	       "c.guardian_member_id LEFT JOIN app_user gu ON gu.id = g.user_id WHERE c.id = ?");
static const struct db_sql SQL_CONSENT_OK =
	DB_SQL("SELECT COUNT(*) FROM consent k WHERE k.id = ? AND k.purpose = 'social_contract' AND " CONSENT_VALID("k"));
static const struct db_sql SQL_INST_KIND = DB_SQL("SELECT kind FROM institution WHERE id = ?");
static const struct db_sql SQL_INST_TERC = DB_SQL("SELECT terc FROM institution WHERE id = ?");
static const struct db_sql SQL_PERSON =
	DB_SQL("SELECT institution_id, first_names || ' ' || surname, birth_date FROM person WHERE id = ? "
	       "AND deleted_at IS NULL");
static const struct db_sql SQL_FAMILY_OF =
	DB_SQL("SELECT COUNT(*) FROM family_member WHERE family_id = ? AND person_id = ? AND member_to IS NULL");
static const struct db_sql SQL_FAMILY_MEMBERS =
	DB_SQL("SELECT person_id FROM family_member WHERE family_id = ? AND member_to IS NULL ORDER BY id");
static const struct db_sql SQL_REFERRAL =
	DB_SQL("SELECT COUNT(*) FROM referral WHERE id = ? AND state IN ('accepted', 'linked') AND "
	       "(to_institution_id = ? OR from_institution_id = ?)");
static const struct db_sql SQL_LPIW_OF =
	DB_SQL("SELECT terc, state, contract_limit FROM lpiw WHERE id = ?");
static const struct db_sql SQL_INST_ACTIVE = DB_SQL("SELECT active FROM institution WHERE id = ?");
static const struct db_sql SQL_CONTRACT_INSERT =
	DB_SQL("INSERT INTO contract (kind, state, institution_id, county_terc, person_id, family_id, "
	       "social_worker_id, guardian_member_id, referral_id, consent_id, current_version, created_at, "
	       "created_by, updated_at) VALUES (?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_VERSION_INSERT =
	DB_SQL("INSERT INTO contract_version (contract_id, version, state, valid_from, valid_to, lpiw_id, causes, "
	       "strengths, barriers, special_notes, education, qualifications, work_experience, "
	       "employment_barriers, assistance_forms, homeless_stage, homeless_target, created_at, created_by) "
	       "VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
static const struct db_sql SQL_VERSION_UPDATE =
	DB_SQL("UPDATE contract_version SET valid_from = ?, valid_to = ?, lpiw_id = ?, causes = ?, strengths = ?, "
	       "barriers = ?, special_notes = ?, education = ?, qualifications = ?, work_experience = ?, "
	       "employment_barriers = ?, assistance_forms = ?, homeless_stage = ?, homeless_target = ? WHERE id = ?");
static const struct db_sql SQL_VERSION_ID =
	DB_SQL("SELECT id FROM contract_version WHERE contract_id = ? AND version = ?");
static const struct db_sql SQL_VERSION_GET =
	DB_SQL("SELECT version, state, valid_from, valid_to, lpiw_id, causes, strengths, barriers, special_notes, "
	       "education, qualifications, work_experience, employment_barriers, assistance_forms, homeless_stage, "
	       "homeless_target, return_comment, decision_id, id FROM contract_version WHERE contract_id = ? AND "
	       "version = ?");
static const struct db_sql SQL_DEL_MEMBERS = DB_SQL("DELETE FROM contract_member WHERE version_id = ?");
static const struct db_sql SQL_DEL_GOALS = DB_SQL("DELETE FROM contract_goal WHERE version_id = ?");
static const struct db_sql SQL_DEL_ACTIONS = DB_SQL("DELETE FROM contract_action WHERE version_id = ?");
static const struct db_sql SQL_DEL_BUDGET = DB_SQL("DELETE FROM contract_budget WHERE version_id = ?");
static const struct db_sql SQL_ADD_MEMBER =
	DB_SQL("INSERT INTO contract_member (version_id, person_id) VALUES (?, ?)");
static const struct db_sql SQL_ADD_GOAL =
	DB_SQL("INSERT INTO contract_goal (version_id, number, kind, text, evaluation, evaluation_reason) "
	       "VALUES (?, ?, ?, ?, ?, ?)");
static const struct db_sql SQL_ADD_ACTION =
	DB_SQL("INSERT INTO contract_action (version_id, number, module, title, member_person_id, performer, "
	       "institution_id, lpiw_action_id, outside_lpiw, deadline, cost, status, drop_reason, evidence) "
	       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
static const struct db_sql SQL_ADD_BUDGET =
	DB_SQL("INSERT INTO contract_budget (version_id, number, line, source, planned, spent) VALUES (?, ?, ?, ?, ?, ?)");
static const struct db_sql SQL_MEMBERS =
	DB_SQL("SELECT m.person_id, p.first_names || ' ' || p.surname, p.birth_date FROM contract_member m "
	       "JOIN person p ON p.id = m.person_id WHERE m.version_id = ? ORDER BY p.birth_date, p.id");
static const struct db_sql SQL_GOALS =
	DB_SQL("SELECT number, kind, text, evaluation, evaluation_reason FROM contract_goal WHERE version_id = ? "
	       "ORDER BY number");
static const struct db_sql SQL_ACTIONS =
	DB_SQL("SELECT a.number, a.module, a.title, a.member_person_id, a.performer, a.institution_id, "
	       "a.lpiw_action_id, a.outside_lpiw, a.deadline, a.cost, a.status, a.drop_reason, a.evidence, i.name, "
	       "p.first_names || ' ' || p.surname FROM contract_action a LEFT JOIN institution i ON i.id = "
	       "a.institution_id LEFT JOIN person p ON p.id = a.member_person_id WHERE a.version_id = ? "
	       "ORDER BY a.number");
static const struct db_sql SQL_BUDGET =
	DB_SQL("SELECT number, line, source, planned, spent FROM contract_budget WHERE version_id = ? ORDER BY number");
static const struct db_sql SQL_EVENT =
	DB_SQL("INSERT INTO contract_event (contract_id, version, action, from_state, to_state, comment, "
	       "decision_id, at, by_user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
static const struct db_sql SQL_EVENTS =
	DB_SQL("SELECT e.version, e.action, e.from_state, e.to_state, e.comment, e.at, u.full_name, e.decision_id "
	       "FROM contract_event e LEFT JOIN app_user u ON u.id = e.by_user WHERE e.contract_id = ? ORDER BY e.id");
static const struct db_sql SQL_SET_STATE =
	DB_SQL("UPDATE contract SET state = ?, updated_at = ? WHERE id = ?");
static const struct db_sql SQL_SET_VSTATE =
	DB_SQL("UPDATE contract_version SET state = ?, decision_id = COALESCE(?, decision_id), return_comment = ? "
	       "WHERE contract_id = ? AND version = ?");
static const struct db_sql SQL_SET_GUARDIAN =
	DB_SQL("UPDATE contract SET guardian_member_id = ?, updated_at = ? WHERE id = ?");
static const struct db_sql SQL_TOUCH = DB_SQL("UPDATE contract SET updated_at = ? WHERE id = ?");
static const struct db_sql SQL_SET_PENDING =
	DB_SQL("UPDATE contract SET pending_version = ?, updated_at = ? WHERE id = ?");
static const struct db_sql SQL_PROMOTE =
	DB_SQL("UPDATE contract SET current_version = pending_version, pending_version = NULL, updated_at = ? "
	       "WHERE id = ?");
static const struct db_sql SQL_END =
	DB_SQL("UPDATE contract SET state = ?, end_reason = ?, end_note = ?, art11_consequence = ?, ended_on = ?, "
	       "updated_at = ? WHERE id = ?");
static const struct db_sql SQL_EVALUATE =
	DB_SQL("UPDATE contract_goal SET evaluation = ?, evaluation_reason = ? WHERE version_id = ? AND number = ?");
static const struct db_sql SQL_TASK =
	DB_SQL("INSERT INTO contract_task (contract_id, user_id, kind, created_at) VALUES (?, ?, "
	       "'return_to_statutory', ?)");
static const struct db_sql SQL_TASKS =
	DB_SQL("SELECT t.id, t.contract_id, t.kind, p.first_names || ' ' || p.surname, t.created_at FROM "
	       "contract_task t JOIN contract c ON c.id = t.contract_id JOIN person p ON p.id = c.person_id "
	       "WHERE t.user_id = ? AND t.done_at IS NULL ORDER BY t.id");
static const struct db_sql SQL_COPY_VERSION =
	DB_SQL("INSERT INTO contract_version (contract_id, version, state, valid_from, valid_to, lpiw_id, causes, "
	       "strengths, barriers, special_notes, education, qualifications, work_experience, "
	       "employment_barriers, assistance_forms, homeless_stage, homeless_target, created_at, created_by) "
	       "SELECT contract_id, ?, 'draft', valid_from, valid_to, lpiw_id, causes, strengths, barriers, "
	       "special_notes, education, qualifications, work_experience, employment_barriers, assistance_forms, "
	       "homeless_stage, homeless_target, ?, ? FROM contract_version WHERE id = ? RETURNING id");
static const struct db_sql SQL_COPY_MEMBERS =
	DB_SQL("INSERT INTO contract_member (version_id, person_id) SELECT ?, person_id FROM contract_member "
	       "WHERE version_id = ?");
static const struct db_sql SQL_COPY_GOALS =
	DB_SQL("INSERT INTO contract_goal (version_id, number, kind, text) SELECT ?, number, kind, text FROM "
	       "contract_goal WHERE version_id = ?");
static const struct db_sql SQL_COPY_ACTIONS =
	DB_SQL("INSERT INTO contract_action (version_id, number, module, title, member_person_id, performer, "
	       "institution_id, lpiw_action_id, outside_lpiw, deadline, cost, status, drop_reason, evidence) "
	       "SELECT ?, number, module, title, member_person_id, performer, institution_id, lpiw_action_id, "
	       "outside_lpiw, deadline, cost, status, drop_reason, evidence FROM contract_action WHERE version_id = ?");
static const struct db_sql SQL_COPY_BUDGET =
	DB_SQL("INSERT INTO contract_budget (version_id, number, line, source, planned, spent) SELECT ?, number, "
	       "line, source, planned, spent FROM contract_budget WHERE version_id = ?");
static const struct db_sql SQL_SUPERSEDE =
	DB_SQL("UPDATE contract_version SET state = 'superseded' WHERE contract_id = ? AND version = ?");

static void today(char t[16])
{
	registry_today(t);
}

/* year_of() is the year of a YYYY-MM-DD date (0 when it is not one). */
static int year_of(const char *date)
{
	char y[5];
	int64_t v = 0;

	if (date == NULL || strlen(date) < 4)
		return 0;
	memcpy(y, date, 4);
	y[4] = '\0';
	return str_to_int64(y, 0, 9999, &v) == 0 ? (int)v : 0;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

int contract_head(struct db *db, struct arena *a, int64_t id, struct contract *c)
{
	struct db_stmt *st = db_query(db, &SQL_HEAD, "i", id);
	int rc = st != NULL ? db_step(st) : DB_ERROR;

	memset(c, 0, sizeof(*c));
	if (rc == DB_ROW) {
		c->id = db_col_int(st, 0);
		c->kind = registry_col(a, st, 1);
		c->state = registry_col(a, st, 2);
		c->institution_id = db_col_int(st, 3);
		c->county_terc = registry_col(a, st, 4);
		c->person_id = db_col_int(st, 5);
		c->family_id = db_col_int(st, 6);
		c->social_worker_id = db_col_int(st, 7);
		c->guardian_member_id = db_col_int(st, 8);
		c->referral_id = db_col_int(st, 9);
		c->consent_id = db_col_int(st, 10);
		c->current_version = (int)db_col_int(st, 11);
		c->pending_version = (int)db_col_int(st, 12);
		c->end_reason = registry_col(a, st, 13);
		c->end_note = registry_col(a, st, 14);
		c->art11_consequence = registry_col(a, st, 15);
		c->ended_on = registry_col(a, st, 16);
		c->created_at = registry_col(a, st, 17);
		c->updated_at = registry_col(a, st, 18);
		c->person_name = registry_col(a, st, 19);
		c->institution_name = registry_col(a, st, 20);
		c->guardian_name = registry_col(a, st, 21);
		c->social_worker_name = registry_col(a, st, 22);
		c->guardian_user_id = db_col_int(st, 23);
	}
	db_reset(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

static int consent_valid(struct db *db, int64_t consent_id)
{
	char t[16];
	int64_t n = 0;

	if (consent_id <= 0)
		return 0;
	today(t);
	if (db_get_int(db, &n, &SQL_CONSENT_OK, "ittt", consent_id, t, t, t) < 0)
		return -1;
	return n > 0;
}

int contract_access(struct db *db, const struct contract_actor *who, const struct contract *c)
{
	const struct policy_actor *p = &who->policy;
	int full = who->labour_office || (p->roles & ROLE_BIT(ROLE_LABOUR_ADVISER)) ? CONTRACT_VIEW_NO_SPECIAL
										   : CONTRACT_VIEW_FULL;
	int64_t m;
	int ok;

	if (p->cli)
		return CONTRACT_VIEW_FULL;
	if (p->user_id <= 0)
		return CONTRACT_VIEW_NONE;
	/* the owner: its casework roles and its coordinators */
	if (p->institution_id == c->institution_id && (p->roles & (CASEWORK | ROLE_BIT(ROLE_COORDINATOR))))
		return full;
	ok = consent_valid(db, c->consent_id);
	if (ok < 0)
		return -1;
	if (ok) {
		/* the family's consent opens it to its guardian and the county's PZKW */
		if (c->guardian_user_id == p->user_id)
			return full;
		m = team_member_of(db, p->user_id, p->institution_id, c->county_terc, "pzkw", 0, NULL);
		if (m < 0)
			return -1;
		if (m > 0)
			return full;
	}
	/* everyone else: the sharing rule, as for any record of the owner */
	if (!(p->roles & CASEWORK))
		return CONTRACT_VIEW_NONE;
	ok = agreement_in_force(db, c->institution_id, p->institution_id, NULL, NULL, NULL);
	if (ok <= 0)
		return ok < 0 ? -1 : CONTRACT_VIEW_NONE;
	ok = consent_covers(db, c->person_id, p->institution_id, "social_contract", NULL);
	if (ok < 0)
		return -1;
	return ok ? full : CONTRACT_VIEW_NONE;
}

static int version_id(struct db *db, int64_t id, int version, int64_t *vid)
{
	int rc = db_get_int(db, vid, &SQL_VERSION_ID, "ii", id, (int64_t)version);

	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int contract_child_on(const char *birth, const char *date)
{
	char cut[16];

	if (birth == NULL || date == NULL || strlen(date) != 10)
		return 0;
	snprintf(cut, sizeof(cut), "%04d%s", year_of(date) - 18, date + 4);
	return strcmp(birth, cut) > 0;
}

static int read_parts(struct db *db, struct arena *a, int64_t vid, struct contract_content *x)
{
	char t[16];
	struct db_stmt *st;
	int rc;

	today(t);
	st = db_query(db, &SQL_MEMBERS, "i", vid);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && x->nmembers < CONTRACT_MAX_MEMBERS) {
		struct contract_member *m = &x->members[x->nmembers++];

		m->person_id = db_col_int(st, 0);
		m->name = registry_col(a, st, 1);
		m->birth_date = registry_col(a, st, 2);
		m->child = contract_child_on(m->birth_date, x->valid_from);
	}
	db_reset(st);
	if (rc < 0 || (st = db_query(db, &SQL_GOALS, "i", vid)) == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && x->ngoals < CONTRACT_MAX_GOALS) {
		struct contract_goal *g = &x->goals[x->ngoals++];

		g->number = (int)db_col_int(st, 0);
		g->kind = registry_col(a, st, 1);
		g->text = registry_col(a, st, 2);
		g->evaluation = registry_col(a, st, 3);
		g->evaluation_reason = registry_col(a, st, 4);
	}
	db_reset(st);
	if (rc < 0 || (st = db_query(db, &SQL_ACTIONS, "i", vid)) == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && x->nactions < CONTRACT_MAX_ACTIONS) {
		struct contract_action *y = &x->actions[x->nactions++];

		y->number = (int)db_col_int(st, 0);
		y->module = registry_col(a, st, 1);
		y->title = registry_col(a, st, 2);
		y->member_person_id = db_col_int(st, 3);
		y->performer = registry_col(a, st, 4);
		y->institution_id = db_col_int(st, 5);
		y->lpiw_action_id = db_col_int(st, 6);
		y->outside_lpiw = (int)db_col_int(st, 7);
		y->deadline = registry_col(a, st, 8);
		y->cost = db_col_int(st, 9);
		y->status = registry_col(a, st, 10);
		y->drop_reason = registry_col(a, st, 11);
		y->evidence = registry_col(a, st, 12);
		y->institution_name = registry_col(a, st, 13);
		y->member_name = registry_col(a, st, 14);
		y->overdue = str_eq(y->status, "planned") && strcmp(y->deadline, t) < 0;
	}
	db_reset(st);
	if (rc < 0 || (st = db_query(db, &SQL_BUDGET, "i", vid)) == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && x->nbudget < CONTRACT_MAX_BUDGET) {
		struct contract_budget *b = &x->budget[x->nbudget++];

		b->number = (int)db_col_int(st, 0);
		b->line = registry_col(a, st, 1);
		b->source = registry_col(a, st, 2);
		b->planned = db_col_int(st, 3);
		b->spent = db_col_int(st, 4);
	}
	db_reset(st);
	return rc < 0 ? -1 : 0;
}

static int read_version(struct db *db, struct arena *a, int64_t id, int version, struct contract_content *x)
{
	struct db_stmt *st = db_query(db, &SQL_VERSION_GET, "ii", id, (int64_t)version);
	int rc = st != NULL ? db_step(st) : DB_ERROR;
	int64_t vid = 0;

	memset(x, 0, sizeof(*x));
	if (rc == DB_ROW) {
		x->version = (int)db_col_int(st, 0);
		x->state = registry_col(a, st, 1);
		x->valid_from = registry_col(a, st, 2);
		x->valid_to = registry_col(a, st, 3);
		x->lpiw_id = db_col_int(st, 4);
		x->causes = registry_col(a, st, 5);
		x->strengths = registry_col(a, st, 6);
		x->barriers = registry_col(a, st, 7);
		x->special_notes = registry_col(a, st, 8);
		x->education = registry_col(a, st, 9);
		x->qualifications = registry_col(a, st, 10);
		x->work_experience = registry_col(a, st, 11);
		x->employment_barriers = registry_col(a, st, 12);
		x->assistance_forms = registry_col(a, st, 13);
		x->homeless_stage = registry_col(a, st, 14);
		x->homeless_target = registry_col(a, st, 15);
		x->return_comment = registry_col(a, st, 16);
		x->decision_id = db_col_int(st, 17);
		vid = db_col_int(st, 18);
	}
	db_reset(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	return read_parts(db, a, vid, x);
}

int contract_read(struct db *db, struct arena *a, const struct contract_actor *who, int64_t id, int version,
		  struct contract *c, struct contract_content *x)
{
	int rc = contract_head(db, a, id, c), view;

	if (rc != 0)
		return rc < 0 ? -1 : CONTRACT_NOT_FOUND;
	view = contract_access(db, who, c);
	if (view < 0)
		return -1;
	if (view == CONTRACT_VIEW_NONE)
		return CONTRACT_NOT_FOUND;
	if (x == NULL)
		return 0;
	rc = read_version(db, a, id, version > 0 ? version : c->current_version, x);
	if (rc != 0)
		return rc < 0 ? -1 : CONTRACT_NOT_FOUND;
	if (view == CONTRACT_VIEW_NO_SPECIAL) {
		x->special_notes = NULL;
		x->special_hidden = 1;
	}
	return 0;
}

int contract_events(struct db *db, struct arena *a, int64_t id, struct contract_event **out)
{
	struct db_stmt *st = db_query(db, &SQL_EVENTS, "i", id);
	struct contract_event *r = arena_zalloc(a, sizeof(*r) * 200);
	int n = 0, rc;

	*out = r;
	if (st == NULL || r == NULL) {
		db_reset(st);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW && n < 200) {
		r[n].version = (int)db_col_int(st, 0);
		r[n].action = registry_col(a, st, 1);
		r[n].from_state = registry_col(a, st, 2);
		r[n].to_state = registry_col(a, st, 3);
		r[n].comment = registry_col(a, st, 4);
		r[n].at = registry_col(a, st, 5);
		r[n].by_name = registry_col(a, st, 6);
		r[n].decision_id = db_col_int(st, 7);
		n++;
	}
	db_reset(st);
	return rc < 0 ? -1 : n;
}

int contract_tasks(struct db *db, struct arena *a, int64_t user_id, struct contract_task *out, int max)
{
	struct db_stmt *st = db_query(db, &SQL_TASKS, "i", user_id);
	int n = 0, rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && n < max) {
		out[n].id = db_col_int(st, 0);
		out[n].contract_id = db_col_int(st, 1);
		out[n].kind = registry_col(a, st, 2);
		out[n].person_name = registry_col(a, st, 3);
		out[n].created_at = registry_col(a, st, 4);
		n++;
	}
	db_reset(st);
	return rc < 0 ? -1 : n;
}

int contract_actor_of(struct db *db, int64_t user_id, unsigned roles, int64_t institution_id, const char *login,
		      const char *ip, struct contract_actor *who)
{
	struct db_stmt *st = db_query(db, &SQL_INST_KIND, "i", institution_id);
	int rc = st != NULL ? db_step(st) : DB_ERROR;

	memset(who, 0, sizeof(*who));
	who->labour_office = rc == DB_ROW && str_eq(db_col_text(st, 0), "pup");
	db_reset(st);
	who->policy = (struct policy_actor){ user_id, roles, institution_id, 0 };
	who->audit = (struct audit_actor){ user_id, login, institution_id, ip };
	return rc < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Validation                                                          */
/* ------------------------------------------------------------------ */

static const char *fieldf(struct arena *a, const char *list, int i, const char *member)
{
	return arena_printf(a, "%s[%d].%s", list, i, member);
}

static int member_index(const struct contract_content *x, int64_t person)
{
	int i;

	for (i = 0; i < x->nmembers; i++)
		if (x->members[i].person_id == person)
			return i;
	return -1;
}

/* members_ok() reads each member's name and birth date; they must be live records of the owner. */
static int members_ok(struct db *db, struct arena *a, const struct contract *c, struct contract_content *x,
		      struct verrs *v)
{
	int i, j;

	for (i = 0; i < x->nmembers; i++) {
		struct contract_member *m = &x->members[i];
		struct db_stmt *st = db_query(db, &SQL_PERSON, "i", m->person_id);
		int rc = st != NULL ? db_step(st) : DB_ERROR;
		int ok = rc == DB_ROW && db_col_int(st, 0) == c->institution_id;

		if (ok) {
			m->name = registry_col(a, st, 1);
			m->birth_date = registry_col(a, st, 2);
			m->child = contract_child_on(m->birth_date, x->valid_from);
		}
		db_reset(st);
		if (rc < 0)
			return -1;
		for (j = 0; j < i; j++)
			if (x->members[j].person_id == m->person_id)
				ok = 0;
		if (!ok)
			verrs_add(v, fieldf(a, "members", i, "person_id"), "invalid",
				  _("Members: number %lld is not a record of the centre concluding the contract (or is "
				    "named twice)."),
				  (long long)m->person_id);
	}
	return 0;
}

static void clean_text(struct arena *a, const char **s)
{
	*s = registry_clean(a, *s);
}

static void check_goals(struct arena *a, struct contract_content *x, struct verrs *v)
{
	int i;

	for (i = 0; i < x->ngoals; i++) {
		struct contract_goal *g = &x->goals[i];

		g->number = i + 1;
		clean_text(a, &g->text);
		if (g->kind == NULL)
			g->kind = i == 0 ? "main" : "specific";
		if (!str_eq(g->kind, "main") && !str_eq(g->kind, "specific"))
			verrs_add(v, fieldf(a, "goals", i, "kind"), "invalid", _("Goal %d: the kind is main or specific."),
				  i + 1);
		if (g->text == NULL)
			verrs_add(v, fieldf(a, "goals", i, "text"), "required", _("Goal %d: enter the goal."), i + 1);
		coop_check_text(v, fieldf(a, "goals", i, "text"), N_("Goal"), g->text, 2000);
	}
}

static int check_actions(struct db *db, struct arena *a, struct contract_content *x, struct verrs *v)
{
	int i;

	for (i = 0; i < x->nactions; i++) {
		struct contract_action *y = &x->actions[i];
		int64_t active = 0;

		y->number = i + 1;
		clean_text(a, &y->title);
		clean_text(a, &y->drop_reason);
		clean_text(a, &y->evidence);
		if (y->status == NULL)
			y->status = "planned";
		if (y->performer == NULL)
			y->performer = y->institution_id > 0 ? "institution" : "client";
		if (y->title == NULL)
			verrs_add(v, fieldf(a, "actions", i, "title"), "required", _("Action %d: enter what is to be done."),
				  i + 1);
		coop_check_text(v, fieldf(a, "actions", i, "title"), N_("Action"), y->title, 1000);
		coop_check_text(v, fieldf(a, "actions", i, "evidence"), N_("Evidence"), y->evidence, 2000);
		coop_check_text(v, fieldf(a, "actions", i, "drop_reason"), N_("Reason for dropping"), y->drop_reason,
				1000);
		if (!coop_code_ok(action_modules, y->module))
			verrs_add(v, fieldf(a, "actions", i, "module"), "invalid",
				  _("Action %d: choose one of the four modules."), i + 1);
		if (!coop_code_ok(contract_performers, y->performer))
			verrs_add(v, fieldf(a, "actions", i, "performer"), "invalid",
				  _("Action %d: choose who does it (the client, a family member, the worker, an "
				    "institution)."),
				  i + 1);
		if (!coop_code_ok(contract_action_statuses, y->status))
			verrs_add(v, fieldf(a, "actions", i, "status"), "invalid",
				  _("Action %d: the status is planned, done or dropped."), i + 1);
		else if (str_eq(y->status, "dropped") && y->drop_reason == NULL)
			verrs_add(v, fieldf(a, "actions", i, "drop_reason"), "required",
				  _("Action %d: a dropped action needs the reason."), i + 1);
		if (!str_eq(y->status, "dropped"))
			y->drop_reason = NULL;
		if (y->deadline == NULL || !clock_valid_date(y->deadline))
			verrs_add(v, fieldf(a, "actions", i, "deadline"), "invalid",
				  _("Action %d: enter the deadline as a real date (YYYY-MM-DD)."), i + 1);
		if (y->cost < 0)
			verrs_add(v, fieldf(a, "actions", i, "cost"), "invalid",
				  _("Action %d: the cost cannot be negative."), i + 1);
		if (str_eq(y->performer, "institution") && y->institution_id <= 0)
			verrs_add(v, fieldf(a, "actions", i, "institution_id"), "required",
				  _("Action %d: an action done by an institution names the institution."), i + 1);
		if (y->institution_id > 0) {
			if (db_get_int(db, &active, &SQL_INST_ACTIVE, "i", y->institution_id) < 0)
				return -1;
			if (active != 1)
				verrs_add(v, fieldf(a, "actions", i, "institution_id"), "invalid",
					  _("Action %d: there is no active institution with number %lld."), i + 1,
					  (long long)y->institution_id);
		}
		if (y->member_person_id > 0 && member_index(x, y->member_person_id) < 0)
			verrs_add(v, fieldf(a, "actions", i, "member_person_id"), "not_member",
				  _("Action %d: the person it is for is not a member of the contract."), i + 1);
		if (y->outside_lpiw)
			y->lpiw_action_id = 0;
	}
	return 0;
}

static void check_budget(struct arena *a, struct contract_content *x, struct verrs *v)
{
	int i;

	for (i = 0; i < x->nbudget; i++) {
		struct contract_budget *b = &x->budget[i];

		b->number = i + 1;
		clean_text(a, &b->line);
		if (b->line == NULL)
			verrs_add(v, fieldf(a, "budget", i, "line"), "required", _("Budget line %d: enter what it is for."),
				  i + 1);
		coop_check_text(v, fieldf(a, "budget", i, "line"), N_("Budget line"), b->line, 300);
		if (!coop_code_ok(contract_budget_sources, b->source))
			verrs_add(v, fieldf(a, "budget", i, "source"), "invalid",
				  _("Budget line %d: choose the source of funding."), i + 1);
		if (b->planned < 0 || b->spent < 0)
			verrs_add(v, fieldf(a, "budget", i, "planned"), "invalid",
				  _("Budget line %d: amounts cannot be negative."), i + 1);
	}
}

int contract_validate(struct db *db, struct arena *a, const struct contract *c, struct contract_content *x,
		      struct verrs *v)
{
	int before = v->n;
	const char **texts[] = { &x->causes, &x->strengths, &x->barriers, &x->special_notes, &x->education,
				 &x->qualifications, &x->work_experience, &x->employment_barriers,
				 &x->assistance_forms, &x->homeless_stage, &x->homeless_target };
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		clean_text(a, texts[i]);
	if (registry_check_date(v, "valid_from", N_("In force from"), x->valid_from, 1) == 0 &&
	    registry_check_date(v, "valid_to", N_("In force until"), x->valid_to, 1) == 0 &&
	    strcmp(x->valid_to, x->valid_from) < 0)
		verrs_add(v, "valid_to", "before_start", "%s", _("In force until: the end cannot be before the start."));
	coop_check_text(v, "causes", N_("Causes of the difficult situation"), x->causes, 4000);
	coop_check_text(v, "strengths", N_("Strengths and resources"), x->strengths, 4000);
	coop_check_text(v, "barriers", N_("Limitations and barriers"), x->barriers, 4000);
	coop_check_text(v, "special_notes", N_("Health, addiction, violence"), x->special_notes, 4000);
	coop_check_text(v, "education", N_("Education"), x->education, 500);
	coop_check_text(v, "qualifications", N_("Qualifications"), x->qualifications, 1000);
	coop_check_text(v, "work_experience", N_("Work experience"), x->work_experience, 2000);
	coop_check_text(v, "employment_barriers", N_("Barriers to employment"), x->employment_barriers, 2000);
	coop_check_text(v, "assistance_forms", N_("Forms of assistance"), x->assistance_forms, 2000);
	if (x->homeless_stage != NULL && !coop_code_ok(contract_homeless_stages, x->homeless_stage))
		verrs_add(v, "homeless_stage", "invalid", "%s", _("Stage: choose a stage of the pathway."));
	if (x->homeless_target != NULL && !coop_code_ok(contract_homeless_stages, x->homeless_target))
		verrs_add(v, "homeless_target", "invalid", "%s", _("Target stage: choose a stage of the pathway."));
	if (!str_eq(c->kind, "homelessness"))
		x->homeless_stage = x->homeless_target = NULL;
	if (x->lpiw_id > 0) {
		struct db_stmt *st = db_query(db, &SQL_LPIW_OF, "i", x->lpiw_id);
		int rc = st != NULL ? db_step(st) : DB_ERROR;
		int ok = rc == DB_ROW && str_eq(db_col_text(st, 0), c->county_terc);

		db_reset(st);
		if (rc < 0)
			return -1;
		if (!ok)
			verrs_add(v, "lpiw_id", "invalid", "%s",
				  _("Local programme: choose the programme of the contract's county."));
	}
	if (members_ok(db, a, c, x, v) != 0)
		return -1;
	check_goals(a, x, v);
	if (check_actions(db, a, x, v) != 0)
		return -1;
	check_budget(a, x, v);
	return v->n - before;
}

/* ------------------------------------------------------------------ */
/* The rules of submission                                             */
/* ------------------------------------------------------------------ */

static void rule_family(struct arena *a, const struct contract_content *x, struct verrs *v)
{
	int i, k;

	for (i = 0; i < x->nmembers; i++) {
		const struct contract_member *m = &x->members[i];
		int found = 0;

		for (k = 0; k < x->nactions; k++) {
			const struct contract_action *y = &x->actions[k];

			if (y->member_person_id != m->person_id || str_eq(y->status, "dropped"))
				continue;
			if (m->child || str_eq(y->module, "pro_employment"))
				found = 1;
		}
		if (found)
			continue;
		if (m->child)
			verrs_add(v, fieldf(a, "members", i, "person_id"), "child_support",
				  _("Member %s (a child): plan at least one support action for them."),
				  m->name != NULL ? m->name : "?");
		else
			verrs_add(v, fieldf(a, "members", i, "person_id"), "adult_pro_employment",
				  _("Member %s (an adult): plan at least one action of the pro-employment module for "
				    "them."),
				  m->name != NULL ? m->name : "?");
	}
}

static int rule_lpiw(struct db *db, struct arena *a, const struct contract_content *x, struct verrs *v)
{
	int k;

	for (k = 0; k < x->nactions; k++) {
		const struct contract_action *y = &x->actions[k];
		int ok;

		if (y->outside_lpiw || y->institution_id <= 0)
			continue;
		if (x->lpiw_id <= 0 || y->lpiw_action_id <= 0) {
			verrs_add(v, fieldf(a, "actions", k, "lpiw_action_id"), "no_lpiw_action",
				  _("Action %d \"%s\": choose the action of the local programme it carries out, or mark "
				    "it as outside the programme."),
				  y->number, y->title);
			continue;
		}
		ok = lpiw_partner(db, x->lpiw_id, y->lpiw_action_id, y->institution_id);
		if (ok < 0)
			return -1;
		if (!ok)
			verrs_add(v, fieldf(a, "actions", k, "institution_id"), "not_lpiw_partner",
				  _("Action %d \"%s\": the institution is not a partner of that action of the local "
				    "programme."),
				  y->number, y->title);
	}
	return 0;
}

int contract_check_rules(struct db *db, struct arena *a, const struct contract *c,
			 const struct contract_content *x, struct verrs *v)
{
	int before = v->n, k, main_goal = 0;
	int64_t planned = 0;

	for (k = 0; k < x->ngoals; k++)
		main_goal |= str_eq(x->goals[k].kind, "main");
	if (!main_goal)
		verrs_add(v, "goals", "main_goal", "%s", _("Goals: enter the main goal of the contract."));
	if (x->nactions == 0)
		verrs_add(v, "actions", "no_actions", "%s", _("Actions: the contract needs at least one action."));
	if (str_eq(c->kind, "family"))
		rule_family(a, x, v);
	for (k = 0; k < x->nactions; k++) {
		const struct contract_action *y = &x->actions[k];

		if (y->deadline != NULL && x->valid_from != NULL && x->valid_to != NULL &&
		    (strcmp(y->deadline, x->valid_from) < 0 || strcmp(y->deadline, x->valid_to) > 0))
			verrs_add(v, fieldf(a, "actions", k, "deadline"), "deadline_outside",
				  _("Action %d \"%s\": the deadline %s falls outside the contract's validity (%s – %s)."),
				  y->number, y->title, y->deadline, x->valid_from, x->valid_to);
	}
	for (k = 0; k < x->nbudget; k++)
		planned += x->budget[k].planned;
	if (x->lpiw_id > 0) {
		struct db_stmt *st = db_query(db, &SQL_LPIW_OF, "i", x->lpiw_id);
		int rc = st != NULL ? db_step(st) : DB_ERROR;
		int64_t limit = rc == DB_ROW ? db_col_int(st, 2) : 0;

		db_reset(st);
		if (rc < 0)
			return -1;
		if (planned > limit)
			verrs_add(v, "budget", "budget_limit",
				  _("Budget: %s is planned, above the local programme's limit of %s per contract."),
				  money_format(a, planned), money_format(a, limit));
	}
	if (rule_lpiw(db, a, x, v) != 0)
		return -1;
	if (str_eq(c->kind, "individual_b")) {
		static const char *const names[] = { "education", "qualifications", "work_experience",
						     "employment_barriers" };
		static const char *const labels[] = { N_("Education"), N_("Qualifications"), N_("Work experience"),
						      N_("Barriers to employment") };
		const char *vals[] = { x->education, x->qualifications, x->work_experience, x->employment_barriers };

		for (k = 0; k < 4; k++)
			if (vals[k] == NULL)
				verrs_add(v, names[k], "vocational",
					  _("%s: variant B needs the vocational data (education, qualifications, work "
					    "experience, barriers to employment)."),
					  _(labels[k]));
	}
	if (str_eq(c->kind, "homelessness") && x->homeless_stage == NULL)
		verrs_add(v, "homeless_stage", "required", "%s",
			  _("Stage: a programme of exit from homelessness names the stage the person is at."));
	return v->n - before;
}

/* ------------------------------------------------------------------ */
/* Writes                                                              */
/* ------------------------------------------------------------------ */

static int save_parts(struct db *db, int64_t vid, const struct contract_content *x)
{
	int i;

	if (db_run(db, &SQL_DEL_MEMBERS, "i", vid) != DB_OK || db_run(db, &SQL_DEL_GOALS, "i", vid) != DB_OK ||
	    db_run(db, &SQL_DEL_ACTIONS, "i", vid) != DB_OK || db_run(db, &SQL_DEL_BUDGET, "i", vid) != DB_OK)
		return -1;
	for (i = 0; i < x->nmembers; i++)
		if (db_run(db, &SQL_ADD_MEMBER, "ii", vid, x->members[i].person_id) != DB_OK)
			return -1;
	for (i = 0; i < x->ngoals; i++) {
		const struct contract_goal *g = &x->goals[i];

		if (coop_run(db, &SQL_ADD_GOAL, "iitttt", vid, (int64_t)g->number, g->kind, g->text, g->evaluation,
			     g->evaluation_reason) != DB_OK)
			return -1;
	}
	for (i = 0; i < x->nactions; i++) {
		const struct contract_action *y = &x->actions[i];

		if (coop_run(db, &SQL_ADD_ACTION, "iittItIIitittt", vid, (int64_t)y->number, y->module, y->title,
			     y->member_person_id, y->performer, y->institution_id, y->lpiw_action_id,
			     (int64_t)(y->outside_lpiw != 0), y->deadline, y->cost, y->status, y->drop_reason,
			     y->evidence) != DB_OK)
			return -1;
	}
	for (i = 0; i < x->nbudget; i++) {
		const struct contract_budget *b = &x->budget[i];

		if (coop_run(db, &SQL_ADD_BUDGET, "iittii", vid, (int64_t)b->number, b->line, b->source, b->planned,
			     b->spent) != DB_OK)
			return -1;
	}
	return 0;
}

static int event(struct db *db, const struct contract_actor *who, int64_t id, int version, const char *action,
		 const char *from, const char *to, const char *comment, int64_t decision)
{
	char now[CLOCK_ISO_LEN];

	clock_iso(clock_now(), now);
	return coop_run(db, &SQL_EVENT, "iittttItI", id, (int64_t)version, action, from, to, comment,
			decision, now, who->audit.user_id) == DB_OK ? 0 : -1;
}

/* guardian_ok() checks that member is a current guardian of the county's MGI. */
static int guardian_ok(struct db *db, struct arena *a, int64_t member, const char *terc, struct verrs *v)
{
	struct team_member m;
	const char *kind = NULL, *county = NULL;
	char t[16];
	int rc;

	if (member <= 0)
		return 0;
	rc = team_member_get(db, a, member, &m, &kind, &county);
	if (rc < 0)
		return -1;
	today(t);
	if (rc != 0 || !str_eq(kind, "mgi") || !str_eq(county, terc) || !str_eq(m.role, "guardian") ||
	    strcmp(m.valid_from, t) > 0 || (m.valid_to != NULL && strcmp(m.valid_to, t) < 0))
		verrs_add(v, "guardian_member_id", "invalid", "%s",
			  _("Guardian: choose a current guardian of the county's mobile interdisciplinary group (MGI)."));
	return 0;
}

static int is_author(const struct contract_actor *who, const struct contract *c)
{
	const struct policy_actor *p = &who->policy;

	if (p->cli)
		return 1;
	if (c->guardian_user_id > 0 && c->guardian_user_id == p->user_id)
		return 1;
	return p->institution_id == c->institution_id && (p->roles & AUTHORS) != 0;
}

static int refuse(struct verrs *v, int rc, const char *code, const char *msg)
{
	verrs_add(v, "", code, "%s", msg);
	return rc;
}

/* start_family() fills the members from the household when none were given. */
static int start_family(struct db *db, const struct contract_new *n, struct contract_content *x)
{
	struct db_stmt *st;
	int rc;

	if (x->nmembers > 0)
		return 0;
	if (n->family_id <= 0) {
		x->members[0].person_id = n->person_id;
		x->nmembers = 1;
		return 0;
	}
	st = db_query(db, &SQL_FAMILY_MEMBERS, "i", n->family_id);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && x->nmembers < CONTRACT_MAX_MEMBERS)
		x->members[x->nmembers++].person_id = db_col_int(st, 0);
	db_reset(st);
	return rc < 0 ? -1 : 0;
}

static int new_checks(struct db *db, struct arena *a, const struct contract_actor *who, const struct contract_new *n,
		      struct contract *c, struct verrs *v)
{
	struct db_stmt *st;
	int64_t cnt = 0;
	int rc;

	memset(c, 0, sizeof(*c));
	c->kind = n->kind;
	c->institution_id = who->policy.institution_id;
	if (!coop_code_ok(contract_kinds, n->kind))
		verrs_add(v, "kind", "invalid", "%s",
			  _("Kind: choose variant A, variant B, a family contract or a programme of exit from "
			    "homelessness."));
	st = db_query(db, &SQL_PERSON, "i", n->person_id);
	rc = st != NULL ? db_step(st) : DB_ERROR;
	cnt = rc == DB_ROW && db_col_int(st, 0) == c->institution_id;
	db_reset(st);
	if (rc < 0)
		return -1;
	if (!cnt)
		verrs_add(v, "person_id", "invalid", "%s",
			  _("Party: choose a record of your institution (the person the contract is concluded with)."));
	if (str_eq(n->kind, "family")) {
		cnt = 0;
		if (n->family_id <= 0 || db_get_int(db, &cnt, &SQL_FAMILY_OF, "ii", n->family_id, n->person_id) < 0 ||
		    cnt == 0)
			verrs_add(v, "family_id", "invalid", "%s",
				  _("Family: a family contract names the household the party belongs to."));
	}
	st = db_query(db, &SQL_INST_TERC, "i", c->institution_id);
	rc = st != NULL ? db_step(st) : DB_ERROR;
	if (rc == DB_ROW && db_col_text(st, 0) != NULL && strlen(db_col_text(st, 0)) >= 4)
		c->county_terc = arena_printf(a, "%.4s", db_col_text(st, 0));
	db_reset(st);
	if (rc < 0)
		return -1;
	if (c->county_terc == NULL)
		verrs_add(v, "", "no_county", "%s", _("Your institution has no TERC code: its county is not known."));
	else if (guardian_ok(db, a, n->guardian_member_id, c->county_terc, v) != 0)
		return -1;
	if (n->referral_id > 0) {
		cnt = 0;
		if (db_get_int(db, &cnt, &SQL_REFERRAL, "iii", n->referral_id, c->institution_id, c->institution_id) < 0)
			return -1;
		if (cnt == 0)
			verrs_add(v, "referral_id", "invalid", "%s",
				  _("Referral: choose an accepted referral of your institution."));
	}
	if (n->consent_form != NULL && !str_eq(n->consent_form, "written") && !str_eq(n->consent_form, "electronic") &&
	    !str_eq(n->consent_form, "oral_recorded"))
		verrs_add(v, "consent_form", "invalid", "%s",
			  _("Consent: the form is written, electronic or oral (recorded)."));
	return 0;
}

static const struct db_sql SQL_USER_INST = DB_SQL("SELECT institution_id FROM app_user WHERE id = ?");
static const struct db_sql SQL_PZKW_INSTS =
	DB_SQL("SELECT COALESCE(u.institution_id, m.institution_id) FROM team t JOIN team_member m ON m.team_id = t.id "
	       "LEFT JOIN app_user u ON u.id = m.user_id WHERE t.terc = ? AND t.kind = 'pzkw' ORDER BY "
	       "CASE m.role WHEN 'chair' THEN 0 ELSE 1 END, m.id");

/*
 * consent_recipient() is the institution the family's consent names: the
 * guardian's, else the one of the county's PZKW (its chair first) — the
 * consent row names one institution, the contract's rule reads it as
 * opening the contract to the guardian and the whole PZKW. 0 when there
 * is none other than the owner's, -1 on error.
 */
static int64_t consent_recipient(struct db *db, struct arena *a, const struct contract *c, int64_t guardian)
{
	struct team_member m;
	struct db_stmt *st;
	int64_t inst = 0;
	int rc;

	if (guardian > 0 && team_member_get(db, a, guardian, &m, NULL, NULL) == 0 && m.user_id > 0 &&
	    db_get_int(db, &inst, &SQL_USER_INST, "i", m.user_id) == DB_ROW && inst != c->institution_id)
		return inst;
	st = db_query(db, &SQL_PZKW_INSTS, "t", c->county_terc);
	if (st == NULL)
		return -1;
	inst = 0;
	while ((rc = db_step(st)) == DB_ROW)
		if (db_col_int(st, 0) != c->institution_id) {
			inst = db_col_int(st, 0);
			break;
		}
	db_reset(st);
	return rc < 0 ? -1 : inst;
}

/* record_consent() records the family's consent for social_contract (see consent_recipient()). */
static int record_consent(struct db *db, struct arena *a, const struct contract_actor *who, const struct contract *c,
			  const struct contract_new *n, const struct contract_content *x, int64_t *consent_id,
			  struct verrs *v)
{
	struct registry_writer w = { who->policy, who->audit };
	struct consent k;
	int rc;

	*consent_id = 0;
	if (n->consent_form == NULL)
		return 0;
	memset(&k, 0, sizeof(k));
	k.person_id = n->person_id;
	k.recipient_institution_id = consent_recipient(db, a, c, n->guardian_member_id);
	if (k.recipient_institution_id < 0)
		return -1;
	if (k.recipient_institution_id == 0) {
		verrs_add(v, "consent_form", "no_recipient", "%s",
			  _("Consent: the county has no guardian or coordinating team outside your centre to open the "
			    "contract to."));
		return 1;
	}
	k.purpose = "social_contract";
	k.basis = "consent";
	k.given_form = n->consent_form;
	k.valid_from = x->valid_from;
	k.note = "kontrakt socjalny";
	rc = consent_create(db, &w, &k, v);
	*consent_id = k.id;
	return rc == 0 ? 0 : rc > 0 ? 1 : -1;
}

int contract_create(struct db *db, struct arena *a, const struct contract_actor *who, const struct contract_new *n,
		    struct contract_content *x, int64_t *id, struct verrs *v)
{
	char now[CLOCK_ISO_LEN];
	struct contract c;
	int64_t vid = 0, consent = 0;
	int rc, before = v->n;

	if (!who->policy.cli && !(who->policy.roles & AUTHORS))
		return refuse(v, CONTRACT_FORBIDDEN, "role",
			      _("Contracts are drafted by social workers and family guardians."));
	if (new_checks(db, a, who, n, &c, v) != 0)
		return -1;
	if (start_family(db, n, x) != 0)
		return -1;
	if (member_index(x, n->person_id) < 0 && x->nmembers < CONTRACT_MAX_MEMBERS)
		x->members[x->nmembers++].person_id = n->person_id; /* the party is always a member */
	if (v->n > before)
		return 1;
	rc = contract_validate(db, a, &c, x, v);
	if (rc != 0)
		return rc < 0 ? -1 : 1;
	clock_iso(clock_now(), now);
	if (db_begin(db) != 0)
		return -1;
	rc = record_consent(db, a, who, &c, n, x, &consent, v);
	if (rc == 0)
		rc = coop_insert(db, id, &SQL_CONTRACT_INSERT, "titIIiIIItIt", n->kind, c.institution_id, c.county_terc,
				 n->person_id, n->family_id, who->policy.cli ? (int64_t)0 : who->policy.user_id,
				 n->guardian_member_id, n->referral_id, consent, now, who->audit.user_id, now) == DB_OK
			     ? 0 : -1;
	if (rc == 0)
		rc = coop_insert(db, &vid, &SQL_VERSION_INSERT, "iittIttttttttttttI", *id, (int64_t)1, x->valid_from,
				 x->valid_to, x->lpiw_id, x->causes, x->strengths, x->barriers, x->special_notes,
				 x->education, x->qualifications, x->work_experience, x->employment_barriers,
				 x->assistance_forms, x->homeless_stage, x->homeless_target, now, who->audit.user_id) == DB_OK
			     ? 0 : -1;
	if (rc == 0)
		rc = save_parts(db, vid, x);
	if (rc == 0)
		rc = event(db, who, *id, 1, "create", NULL, "draft", NULL, 0);
	if (rc > 0) {
		db_rollback(db);
		return 1;
	}
	if (rc == 0 && consent > 0 && audit_write_id(db, &who->audit, "consent.create", "consent", consent,
						     "purpose=social_contract") != DB_OK)
		rc = -1;
	return audit_commit(db, &who->audit, rc, "contract.create", "contract", rc == 0 ? *id : 0, n->kind);
}

/* working() is the version being worked on: the pending amendment, else the first version. */
static int working(const struct contract *c)
{
	return c->pending_version > 0 ? c->pending_version : c->current_version;
}

int contract_update(struct db *db, struct arena *a, const struct contract_actor *who, int64_t id,
		    struct contract_content *x, int64_t guardian_member_id, struct verrs *v)
{
	char now[CLOCK_ISO_LEN];
	struct contract c;
	struct contract_content *old = arena_zalloc(a, sizeof(*old));
	int64_t vid = 0;
	int rc = contract_read(db, a, who, id, 0, &c, NULL), ver, before = v->n;

	if (rc != 0)
		return rc;
	if (old == NULL)
		return -1;
	if (!is_author(who, &c))
		return refuse(v, CONTRACT_FORBIDDEN, "role",
			      _("Only the centre's social workers and the contract's guardian change a contract."));
	ver = working(&c);
	if (read_version(db, a, id, ver, old) != 0)
		return -1;
	if (!str_eq(old->state, "draft") && !str_eq(old->state, "returned"))
		return refuse(v, CONTRACT_STATE, "state",
			      _("Only a draft or a returned contract can be changed; to change an active one, amend it."));
	if (x->nmembers == 0) { /* members not given: the version's stay */
		memcpy(x->members, old->members, sizeof(x->members));
		x->nmembers = old->nmembers;
	}
	if (x->special_notes == NULL && who->labour_office)
		x->special_notes = old->special_notes; /* a reader who cannot see them cannot erase them */
	if (guardian_member_id > 0 && guardian_ok(db, a, guardian_member_id, c.county_terc, v) != 0)
		return -1;
	rc = contract_validate(db, a, &c, x, v);
	if (rc != 0 || v->n > before)
		return rc < 0 ? -1 : 1;
	if (version_id(db, id, ver, &vid) != 0)
		return -1;
	clock_iso(clock_now(), now);
	if (db_begin(db) != 0)
		return -1;
	rc = coop_run(db, &SQL_VERSION_UPDATE, "ttIttttttttttti", x->valid_from, x->valid_to, x->lpiw_id, x->causes,
		      x->strengths, x->barriers, x->special_notes, x->education, x->qualifications, x->work_experience,
		      x->employment_barriers, x->assistance_forms, x->homeless_stage, x->homeless_target, vid) == DB_OK
		     ? 0 : -1;
	if (rc == 0)
		rc = save_parts(db, vid, x);
	if (rc == 0 && guardian_member_id > 0)
		rc = db_run(db, &SQL_SET_GUARDIAN, "iti", guardian_member_id, now, id) == DB_OK ? 0 : -1;
	else if (rc == 0)
		rc = db_run(db, &SQL_TOUCH, "ti", now, id) == DB_OK ? 0 : -1;
	if (rc == 0)
		rc = event(db, who, id, ver, "update", old->state, old->state, NULL, 0);
	return audit_commit(db, &who->audit, rc, "contract.update", "contract", id,
			    arena_printf(a, "version=%d", ver));
}

/* ------------------------------------------------------------------ */
/* The workflow                                                        */
/* ------------------------------------------------------------------ */

static int set_state(struct db *db, int64_t id, const char *state)
{
	char now[CLOCK_ISO_LEN];

	clock_iso(clock_now(), now);
	return db_run(db, &SQL_SET_STATE, "tti", state, now, id) == DB_OK ? 0 : -1;
}

static int do_submit(struct db *db, struct arena *a, const struct contract *c, struct contract_content *x,
		     struct verrs *v)
{
	int rc;

	if (!str_eq(x->state, "draft") && !str_eq(x->state, "returned"))
		return refuse(v, CONTRACT_STATE, "state", _("Only a draft or a returned contract can be submitted."));
	rc = contract_check_rules(db, a, c, x, v);
	if (rc != 0)
		return rc < 0 ? -1 : 1;
	if (db_run(db, &SQL_SET_VSTATE, "tnnii", "submitted", c->id, (int64_t)x->version) != DB_OK)
		return -1;
	return c->pending_version > 0 ? 0 : set_state(db, c->id, "submitted");
}

/* decide() records the county PZKW's decision on the submitted version (approve or return). */
static int decide(struct db *db, const struct contract_actor *who, const struct contract *c,
		  const struct contract_content *x, int approve, struct contract_step *s, struct verrs *v)
{
	struct decision d;
	char now[CLOCK_ISO_LEN];
	int rc;

	if (!str_eq(x->state, "submitted"))
		return refuse(v, CONTRACT_STATE, "state", _("Only a submitted contract can be approved or returned."));
	if (!approve && str_empty(s->comment))
		return refuse(v, 1, "comment_required", _("Comment: say what is to be corrected."));
	memset(&d, 0, sizeof(d));
	d.team_id = team_of_county(db, c->county_terc, "pzkw");
	if (d.team_id < 0)
		return -1;
	if (d.team_id == 0)
		return refuse(v, CONTRACT_STATE, "no_pzkw", _("The county has no coordinating team (PZKW) to decide."));
	d.meeting_id = s->meeting_id;
	d.kind = approve ? "approve_contract" : "return_contract";
	d.subject_kind = "contract";
	d.subject_id = c->id;
	d.subject_version = x->version;
	d.method = s->method;
	d.votes_for = s->votes_for;
	d.votes_against = s->votes_against;
	d.votes_abstain = s->votes_abstain;
	d.text = s->comment;
	rc = team_decide(db, &who->audit, &d, &s->decision_id, v);
	if (rc != 0)
		return rc;
	if (coop_run(db, &SQL_SET_VSTATE, "tItii", approve ? "approved" : "returned", s->decision_id,
		     approve ? NULL : s->comment, c->id, (int64_t)x->version) != DB_OK)
		return -1;
	if (c->pending_version > 0) {
		if (!approve)
			return 0;
		clock_iso(clock_now(), now);
		return db_run(db, &SQL_SUPERSEDE, "ii", c->id, (int64_t)c->current_version) == DB_OK &&
			       db_run(db, &SQL_PROMOTE, "ti", now, c->id) == DB_OK
			       ? 0 : -1;
	}
	return set_state(db, c->id, approve ? "approved" : "returned");
}

static int do_amend(struct db *db, const struct contract_actor *who, const struct contract *c, struct verrs *v)
{
	char now[CLOCK_ISO_LEN];
	int64_t from = 0, to = 0;
	int next = c->current_version + 1;

	if (!str_eq(c->state, "active"))
		return refuse(v, CONTRACT_STATE, "state", _("Only an active contract can be amended."));
	if (c->pending_version > 0)
		return refuse(v, CONTRACT_STATE, "pending", _("An amendment of this contract already awaits approval."));
	if (version_id(db, c->id, c->current_version, &from) != 0)
		return -1;
	clock_iso(clock_now(), now);
	if (coop_insert(db, &to, &SQL_COPY_VERSION, "itIi", (int64_t)next, now, who->audit.user_id, from) != DB_OK ||
	    db_run(db, &SQL_COPY_MEMBERS, "ii", to, from) != DB_OK || db_run(db, &SQL_COPY_GOALS, "ii", to, from) != DB_OK ||
	    db_run(db, &SQL_COPY_ACTIONS, "ii", to, from) != DB_OK || db_run(db, &SQL_COPY_BUDGET, "ii", to, from) != DB_OK)
		return -1;
	return db_run(db, &SQL_SET_PENDING, "iti", (int64_t)next, now, c->id) == DB_OK ? 0 : -1;
}

static int do_complete(struct db *db, struct arena *a, const struct contract *c, const struct contract_content *x,
		       const struct contract_step *s, struct verrs *v)
{
	char t[16], now[CLOCK_ISO_LEN];
	int64_t vid = 0;
	int i, before = v->n;

	if (!str_eq(c->state, "active"))
		return refuse(v, CONTRACT_STATE, "state", _("Only an active contract can be completed."));
	if (c->pending_version > 0)
		return refuse(v, CONTRACT_STATE, "pending", _("An amendment awaits approval: decide on it first."));
	for (i = 0; i < x->ngoals; i++) {
		const char *e = s->evaluations[i], *r = s->reasons[i];

		if (!coop_code_ok(contract_evaluations, e))
			verrs_add(v, fieldf(a, "goals", i, "evaluation"), "evaluation_required",
				  _("Goal %d \"%s\": evaluate it as achieved, partly achieved or not achieved."), i + 1,
				  x->goals[i].text);
		else if (!str_eq(e, "achieved") && str_empty(r))
			verrs_add(v, fieldf(a, "goals", i, "reason"), "reason_required",
				  _("Goal %d \"%s\": give the reasons it was not fully achieved."), i + 1, x->goals[i].text);
		coop_check_text(v, fieldf(a, "goals", i, "reason"), N_("Reasons"), r, 2000);
	}
	if (v->n > before)
		return 1;
	if (version_id(db, c->id, c->current_version, &vid) != 0)
		return -1;
	for (i = 0; i < x->ngoals; i++)
		if (db_run(db, &SQL_EVALUATE, "ttii", s->evaluations[i], registry_clean(a, s->reasons[i]), vid,
			   (int64_t)x->goals[i].number) != DB_OK)
			return -1;
	today(t);
	clock_iso(clock_now(), now);
	return coop_run(db, &SQL_END, "tttttti", "completed", (const char *)NULL, s->comment,
			(const char *)NULL, t, now, c->id) == DB_OK ? 0 : -1;
}

static int do_terminate(struct db *db, const struct contract *c, const struct contract_step *s, struct verrs *v)
{
	char t[16], now[CLOCK_ISO_LEN];
	int noncoop = str_eq(s->end_reason, "non_cooperation"), before = v->n;

	if (!str_eq(c->state, "active") && !str_eq(c->state, "approved"))
		return refuse(v, CONTRACT_STATE, "state", _("Only an approved or active contract can be terminated."));
	if (!coop_code_ok(contract_end_reasons, s->end_reason))
		verrs_add(v, "reason", "required", "%s",
			  _("Reason: choose why the contract ends (non-cooperation, by agreement, loss of contact, death, "
			    "other)."));
	if (noncoop && !coop_code_ok(contract_art11, s->art11_consequence))
		verrs_add(v, "art11_consequence", "required", "%s",
			  _("Consequence: termination for non-cooperation records the art. 11 consequence (refusal, "
			    "revocation or suspension of benefits)."));
	coop_check_text(v, "comment", N_("Comment"), s->comment, 2000);
	if (v->n > before)
		return 1;
	today(t);
	clock_iso(clock_now(), now);
	if (coop_run(db, &SQL_END, "tttttti", "terminated", s->end_reason, s->comment,
		     noncoop ? s->art11_consequence : NULL, t, now, c->id) != DB_OK)
		return -1;
	/* non-cooperation: the social worker returns the family to statutory assistance */
	return noncoop && db_run(db, &SQL_TASK, "iit", c->id, c->social_worker_id, now) != DB_OK ? -1 : 0;
}

static int may_do(const struct contract_actor *who, const struct contract *c, enum contract_op op, struct verrs *v)
{
	int coordinator = who->policy.cli || (who->policy.roles & ROLE_BIT(ROLE_COORDINATOR)) != 0;

	switch (op) {
	case CONTRACT_APPROVE:
	case CONTRACT_RETURN:
	case CONTRACT_COMPLETE:
	case CONTRACT_TERMINATE:
		if (!coordinator)
			return refuse(v, CONTRACT_FORBIDDEN, "role",
				      _("Only a coordinator of the county team (PZKW) decides on contracts."));
		return 0;
	case CONTRACT_ACTIVATE:
		if (!coordinator && !is_author(who, c))
			return refuse(v, CONTRACT_FORBIDDEN, "role",
				      _("The contract is activated by its social worker, guardian or a coordinator."));
		return 0;
	default:
		if (!is_author(who, c))
			return refuse(v, CONTRACT_FORBIDDEN, "role",
				      _("Only the centre's social workers and the contract's guardian submit and amend a "
					"contract."));
		return 0;
	}
}

static const char *new_state(const struct contract *before, struct db *db, struct arena *a, int64_t id)
{
	struct contract after;

	return contract_head(db, a, id, &after) == 0 ? after.state : before->state;
}

int contract_transition(struct db *db, struct arena *a, const struct contract_actor *who, int64_t id,
			enum contract_op op, struct contract_step *s, struct verrs *v)
{
	struct contract c;
	struct contract_content *x = arena_zalloc(a, sizeof(*x));
	const char *code = contract_op_codes[op], *to;
	int rc, ver;

	if (x == NULL)
		return -1;
	rc = contract_read(db, a, who, id, 0, &c, NULL);
	if (rc != 0)
		return rc;
	rc = may_do(who, &c, op, v);
	if (rc != 0)
		return rc;
	ver = working(&c);
	if (read_version(db, a, id, ver, x) != 0)
		return -1;
	s->decision_id = 0;
	if (db_begin(db) != 0)
		return -1;
	switch (op) {
	case CONTRACT_SUBMIT:
		rc = do_submit(db, a, &c, x, v);
		break;
	case CONTRACT_APPROVE:
	case CONTRACT_RETURN:
		rc = decide(db, who, &c, x, op == CONTRACT_APPROVE, s, v);
		break;
	case CONTRACT_ACTIVATE:
		rc = str_eq(c.state, "approved") ? set_state(db, id, "active")
						 : refuse(v, CONTRACT_STATE, "state",
							  _("Only an approved contract can be activated."));
		break;
	case CONTRACT_AMEND:
		rc = do_amend(db, who, &c, v);
		if (rc == 0)
			ver = c.current_version + 1;
		break;
	case CONTRACT_COMPLETE:
		rc = do_complete(db, a, &c, x, s, v);
		break;
	default:
		rc = do_terminate(db, &c, s, v);
	}
	if (rc != 0) {
		db_rollback(db);
		return rc;
	}
	to = new_state(&c, db, a, id);
	if (c.pending_version > 0 && (op == CONTRACT_SUBMIT || op == CONTRACT_RETURN))
		to = op == CONTRACT_SUBMIT ? "submitted" : "returned"; /* the amendment's own state */
	rc = event(db, who, id, ver, code, c.state, to, s->comment, s->decision_id);
	return audit_commit(db, &who->audit, rc, arena_printf(a, "contract.%s", code), "contract", id,
			    arena_printf(a, "version=%d %s→%s", ver, c.state, to));
}

/* ------------------------------------------------------------------ */
/* The list and the reminders                                          */
/* ------------------------------------------------------------------ */

/*
 * Candidates: the owner's, those guarded by the reader, those of counties
 * whose PZKW the reader (or the reader's institution) sits on, those with
 * a social_contract consent naming the reader's institution; each is then
 * decided by contract_access(), so the list never shows more than a read.
 */
static const struct db_sql SQL_LIST =
	DB_SQL("SELECT c.id, c.kind, c.state, c.county_terc, p.first_names || ' ' || p.surname, gu.full_name, "
	       "v.valid_to, c.current_version, c.pending_version, c.guardian_member_id, "
	       "(SELECT COUNT(*) FROM contract_action a WHERE a.version_id = v.id AND a.status = 'planned' "
	       "AND a.deadline < ?), "
	       "(SELECT COUNT(*) FROM contract_action a WHERE a.version_id = v.id AND a.status = 'planned' "
	       "AND a.deadline >= ? AND a.deadline <= ?) "
	       "FROM contract c JOIN person p ON p.id = c.person_id "
	       "JOIN contract_version v ON v.contract_id = c.id AND v.version = c.current_version "
	       "LEFT JOIN team_member g ON g.id = c.guardian_member_id LEFT JOIN app_user gu ON gu.id = g.user_id "
	       "WHERE (CAST(? AS TEXT) IS NULL OR c.state = ?) AND (CAST(? AS TEXT) IS NULL OR c.kind = ?) AND (? = 0 OR c.guardian_member_id = ?) "
	       "AND (? = 0 OR g.user_id = ? OR c.social_worker_id = ?) "
	       "AND (c.institution_id = ? OR g.user_id = ? OR c.county_terc IN (SELECT t.terc FROM team t JOIN "
	       "team_member m ON m.team_id = t.id WHERE t.kind = 'pzkw' AND (m.user_id = ? OR m.institution_id = ?)) "
	       "OR EXISTS (SELECT 1 FROM consent k WHERE k.person_id = c.person_id AND k.purpose = 'social_contract' "
	       "AND (k.recipient_institution_id = ? OR k.recipient_institution_id IS NULL))) "
	       "ORDER BY c.id DESC LIMIT 2000");

static void day_after(int days, char out[16])
{
	char iso[CLOCK_ISO_LEN];

	clock_iso(clock_now() + (int64_t)days * 86400, iso);
	memcpy(out, iso, 10);
	out[10] = '\0';
}

int contract_list(struct db *db, struct arena *a, const struct contract_actor *who,
		  const struct contract_filter *f, struct contract_row *out, int max)
{
	char t[16], soon[16];
	const struct policy_actor *p = &who->policy;
	struct db_stmt *st;
	int n = 0, rc;
	int64_t ids[2000];
	int nids = 0, i, k;

	today(t);
	day_after(14, soon);
	st = coop_query(db, &SQL_LIST, "tttttttiiiiiiiiii", t, t, soon, f->state, f->state, f->kind, f->kind,
			f->guardian_member_id, f->guardian_member_id, (int64_t)f->mine, p->user_id, p->user_id,
			p->institution_id, p->user_id, p->user_id, p->institution_id, p->institution_id);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && n < max && nids < 2000) {
		struct contract_row *r = &out[n++];

		r->id = db_col_int(st, 0);
		r->kind = registry_col(a, st, 1);
		r->state = registry_col(a, st, 2);
		r->county_terc = registry_col(a, st, 3);
		r->person_name = registry_col(a, st, 4);
		r->guardian_name = registry_col(a, st, 5);
		r->valid_to = registry_col(a, st, 6);
		r->version = (int)db_col_int(st, 7);
		r->pending_version = (int)db_col_int(st, 8);
		r->guardian_member_id = db_col_int(st, 9);
		r->overdue = (int)db_col_int(st, 10);
		r->due = (int)db_col_int(st, 11);
		ids[nids++] = r->id;
	}
	db_reset(st);
	if (rc < 0)
		return -1;
	/* the rule decides each candidate (read after the statement is done: one at a time on PostgreSQL) */
	for (i = k = 0; i < n; i++) {
		struct contract c;
		int view;

		if (contract_head(db, a, ids[i], &c) != 0)
			return -1;
		view = contract_access(db, who, &c);
		if (view < 0)
			return -1;
		if (view != CONTRACT_VIEW_NONE)
			out[k++] = out[i];
	}
	return k;
}

/*
 * The reminders count in SQL over the contracts that are the user's to
 * follow — the same as contract_access() for those cases, without the
 * sharing rule (a partner's contracts are not on anyone's start page):
 * mine = 1 (guardians, social workers): drafted by the user, or guarded by
 * the user with the family's consent in force; mine = 0 (coordinators):
 * the user's institution's, and, with the consent, those of the counties
 * whose PZKW the user or the user's institution sits on today.
 * Parameters: today ×3 (consent), uid, uid, mine, inst, uid, inst, today ×2
 * (membership), mine; then today (overdue), today and in 14 days (due): one pass over the
 * planned actions of the active contracts, due by the 14th day.
 */
static const struct db_sql SQL_REMINDERS =
	DB_SQL("WITH vis AS (SELECT c.id, c.state, c.current_version, c.pending_version FROM contract c "
	       "LEFT JOIN team_member g ON g.id = c.guardian_member_id "
	       "LEFT JOIN consent k ON k.id = c.consent_id AND " CONSENT_VALID("k") " "
	       "WHERE (c.social_worker_id = ? OR (g.user_id = ? AND k.id IS NOT NULL)) AND ? = 1 "
	       "OR (c.institution_id = ? OR (k.id IS NOT NULL AND c.county_terc IN (SELECT t.terc FROM team t "
	       "JOIN team_member m ON m.team_id = t.id WHERE t.kind = 'pzkw' AND (m.user_id = ? OR m.institution_id = ?) "
	       "AND m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to >= ?)))) AND ? = 0) "
	       "SELECT COALESCE(SUM(CASE WHEN a.deadline < ? THEN 1 ELSE 0 END), 0), "
	       "COALESCE(SUM(CASE WHEN a.deadline >= ? THEN 1 ELSE 0 END), 0), "
	       "(SELECT COUNT(*) FROM vis LEFT JOIN contract_version pv ON pv.contract_id = vis.id AND pv.version = "
	       "vis.pending_version WHERE vis.state = 'submitted' OR pv.state = 'submitted') "
	       "FROM vis JOIN contract_version v ON v.contract_id = vis.id AND v.version = vis.current_version "
	       "JOIN contract_action a ON a.version_id = v.id WHERE vis.state = 'active' AND a.status = 'planned' "
	       "AND a.deadline <= ?");

int contract_reminders(struct db *db, const struct contract_actor *who, int *overdue, int *due, int *to_decide)
{
	const struct policy_actor *p = &who->policy;
	int64_t mine = !(p->roles & ROLE_BIT(ROLE_COORDINATOR));
	char t[16], soon[16];
	struct db_stmt *st;
	int rc;

	*overdue = *due = *to_decide = 0;
	today(t);
	day_after(14, soon);
	st = db_query(db, &SQL_REMINDERS, "tttiiiiiittittt", t, t, t, p->user_id, p->user_id, mine, p->institution_id,
		      p->user_id, p->institution_id, t, t, mine, t, t, soon);
	rc = st != NULL ? db_step(st) : DB_ERROR;
	if (rc == DB_ROW) {
		*overdue = (int)db_col_int(st, 0);
		*due = (int)db_col_int(st, 1);
		*to_decide = (int)db_col_int(st, 2);
	}
	db_reset(st);
	return rc == DB_ROW ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* Monitoring                                                          */
/* ------------------------------------------------------------------ */

static const struct db_sql SQL_PROGRESS =
	DB_SQL("UPDATE contract_action SET status = ?, drop_reason = ?, evidence = ? WHERE version_id = ? AND number = ?");
static const struct db_sql SQL_SPENT =
	DB_SQL("UPDATE contract_budget SET spent = ? WHERE version_id = ? AND number = ?");

int contract_progress(struct db *db, struct arena *a, const struct contract_actor *who, int64_t id, int number,
		      const char *status, const char *drop_reason, const char *evidence, int budget_no, int64_t spent,
		      struct verrs *v)
{
	struct contract c;
	struct contract_content *x = arena_zalloc(a, sizeof(*x));
	int64_t vid = 0;
	int rc = contract_read(db, a, who, id, 0, &c, x), before = v->n;

	if (rc != 0)
		return rc;
	if (!is_author(who, &c) && !(who->policy.roles & ROLE_BIT(ROLE_COORDINATOR)))
		return refuse(v, CONTRACT_FORBIDDEN, "role",
			      _("The progress of a contract is recorded by its social worker, guardian or a coordinator."));
	if (!str_eq(c.state, "active"))
		return refuse(v, CONTRACT_STATE, "state", _("Progress is recorded only in an active contract."));
	drop_reason = registry_clean(a, drop_reason);
	evidence = registry_clean(a, evidence);
	if (number > 0) {
		if (number > x->nactions)
			verrs_add(v, "number", "not_found", _("Action %d: the contract has no such action."), number);
		else if (!coop_code_ok(contract_action_statuses, status))
			verrs_add(v, "status", "invalid", _("Action %d: the status is planned, done or dropped."), number);
		else if (str_eq(status, "dropped") && drop_reason == NULL)
			verrs_add(v, "drop_reason", "required", _("Action %d: a dropped action needs the reason."), number);
		coop_check_text(v, "evidence", N_("Evidence"), evidence, 2000);
		coop_check_text(v, "drop_reason", N_("Reason for dropping"), drop_reason, 1000);
	}
	if (budget_no > 0 && budget_no > x->nbudget)
		verrs_add(v, "budget_no", "not_found", _("Budget line %d: the contract has no such line."), budget_no);
	if (budget_no > 0 && spent < 0)
		verrs_add(v, "spent", "invalid", _("Budget line %d: amounts cannot be negative."), budget_no);
	if (v->n > before)
		return 1;
	if (version_id(db, id, c.current_version, &vid) != 0 || db_begin(db) != 0)
		return -1;
	rc = 0;
	if (number > 0 && coop_run(db, &SQL_PROGRESS, "tttii", status, str_eq(status, "dropped") ? drop_reason : NULL,
				   evidence, vid, (int64_t)number) != DB_OK)
		rc = -1;
	if (rc == 0 && budget_no > 0 && db_run(db, &SQL_SPENT, "iii", spent, vid, (int64_t)budget_no) != DB_OK)
		rc = -1;
	if (rc == 0)
		rc = event(db, who, id, c.current_version, "update", c.state, c.state,
			   number > 0 ? arena_printf(a, "action %d: %s", number, status) : NULL, 0);
	return audit_commit(db, &who->audit, rc, "contract.progress", "contract", id,
			    arena_printf(a, "action=%d budget=%d", number, budget_no));
}

int contract_is_author(const struct contract_actor *who, const struct contract *c)
{
	return is_author(who, c);
}
