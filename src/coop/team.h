/*
 * team.h — county teams and the county's local programme
 * (migration 0020; docs/CONTRACTS.md).
 *
 * A team belongs to a powiat (4-digit TERC): the coordinating team of
 * institutions (PZKW) that adopts the programme and approves contracts,
 * the mobile interdisciplinary group (MGI) whose members guide families
 * as guardians, or an interdisciplinary team. Members are users or whole
 * institutions, each with a role and a period; a user belongs to a county
 * through a current membership (team_member_of()), which the contracts'
 * visibility rule asks. Meetings keep agenda, attendance and minutes;
 * decisions (team_decide()) are linked to what they decided.
 *
 * The LPIW (lokalny program interdyscyplinarnej współpracy) is the
 * county's catalogue of joint actions: responsible and partner
 * institutions, target group, shared infrastructure and its rules of use,
 * funding, period; drafted, adopted by a PZKW decision, versioned (a new
 * adoption supersedes the earlier version). Teams and the programme are
 * not personal data: every signed-in user reads them; coordinators and
 * administrators write them (team_may_write()).
 */
#ifndef RAZEM_COOP_TEAM_H
#define RAZEM_COOP_TEAM_H

#include <stdint.h>

#include "audit/audit.h"
#include "core/arena.h"
#include "core/verr.h"
#include "db/db.h"

#define TEAM_MAX_MEMBERS 64
#define LPIW_MAX_ACTIONS 64
#define LPIW_MAX_PARTNERS 12

extern const char *const team_kinds[];         /* pzkw, mgi, interdisciplinary */
extern const char *const team_member_roles[];  /* chair, member, honorary, guardian */
extern const char *const decision_kinds[];     /* adopt_lpiw, approve_contract, return_contract, other */
extern const char *const decision_methods[];   /* vote, consensus */
extern const char *const action_modules[];     /* pro_employment, social_integration, family, sport_culture */
extern const char *const lpiw_states[];        /* draft, adopted, superseded */
const char *team_kind_label(const char *code);
const char *team_member_role_label(const char *code);
const char *decision_kind_label(const char *code);
const char *action_module_label(const char *code);
const char *lpiw_state_label(const char *code);

/* team_may_write() is 1 for the roles that create teams, meetings, decisions and programmes. */
int team_may_write(unsigned roles);

struct team_member {
	int64_t id, team_id;
	int64_t user_id;        /* one of user_id, institution_id */
	int64_t institution_id;
	const char *role, *valid_from, *valid_to; /* valid_to NULL = open */
	const char *name;       /* read: the user's or institution's name */
	const char *institution_kind; /* read: the user's institution's kind, or the institution's */
};

struct team {
	int64_t id;
	const char *kind, *terc, *name;
	struct team_member *members; /* team_get(): arena array */
	int nmembers;
};

/* team_create() validates and stores t; audited team.create. 0 (*id), 1 refused (v), -1. */
int team_create(struct db *db, const struct audit_actor *who, struct team *t, int64_t *id, struct verrs *v);

/* team_add_member() validates m (a user or an institution, role, period); audited team.member. 0, 1 (v), -1. */
int team_add_member(struct db *db, const struct audit_actor *who, struct team_member *m, int64_t *id,
		    struct verrs *v);

/* team_get() reads a team and its members (current and past). 0, 1 none, -1. */
int team_get(struct db *db, struct arena *a, int64_t id, struct team *out);

/* team_list() reads the teams of powiat terc (NULL: all), by county and kind. Count or -1. */
int team_list(struct db *db, struct arena *a, const char *terc, struct team **out);

/*
 * team_of_county() is the id of the county's team of kind (the first one
 * created), 0 when it has none, -1 on error.
 */
int64_t team_of_county(struct db *db, const char *terc, const char *kind);

/*
 * team_member_of() is the id of user's membership on date (NULL = today)
 * in a team of kind of powiat terc — as a user, or through a membership of
 * the user's institution — 0 when none, -1 on error. guardian_only: only
 * memberships with the role guardian (and only user ones).
 */
int64_t team_member_of(struct db *db, int64_t user_id, int64_t institution_id, const char *terc,
		       const char *kind, int guardian_only, const char *date);

/* team_member_get() reads one membership with its team's kind and county (out params may be NULL). 0, 1, -1. */
int team_member_get(struct db *db, struct arena *a, int64_t id, struct team_member *out,
		    const char **kind, const char **terc);

struct meeting {
	int64_t id, team_id;
	const char *held_on, *place, *agenda, *minutes;
	int64_t *attendees;     /* team_member ids present */
	int nattendees;
	const char *team_name;  /* read */
};

/* meeting_create() validates m (attendees must be members of its team on held_on); audited meeting.create. */
int meeting_create(struct db *db, struct arena *a, const struct audit_actor *who, struct meeting *m,
		   int64_t *id, struct verrs *v);

/* meeting_get() reads a meeting with its attendance. 0, 1, -1. */
int meeting_get(struct db *db, struct arena *a, int64_t id, struct meeting *out);

/* meeting_list() reads the meetings of team (0 = all), newest first. Count or -1. */
int meeting_list(struct db *db, struct arena *a, int64_t team_id, struct meeting **out);

struct decision {
	int64_t id, team_id, meeting_id;  /* meeting_id 0 = outside a meeting */
	const char *kind, *subject_kind;  /* subject_kind "lpiw", "contract" or NULL */
	int64_t subject_id, subject_version;
	const char *method;               /* vote or consensus */
	int votes_for, votes_against, votes_abstain;
	const char *text, *decided_on;    /* decided_on NULL = the meeting's day, else today */
	char day[16];                     /* where team_decide() keeps a decided_on it found */
};

/*
 * team_decide() validates and records d in the caller's transaction (the
 * caller commits with its audit row): the meeting must be of d's team; a
 * vote needs its counts, a consensus has none. 0 (*id), 1 (v), -1.
 */
int team_decide(struct db *db, const struct audit_actor *who, struct decision *d, int64_t *id,
		struct verrs *v);

/* decision_list() reads the decisions of team (0 = all) or of a meeting (meeting_id > 0). Count or -1. */
int decision_list(struct db *db, struct arena *a, int64_t team_id, int64_t meeting_id, struct decision **out);

struct lpiw_action {
	int64_t id;
	int number;
	const char *title, *module;
	int64_t responsible_id;
	int64_t partners[LPIW_MAX_PARTNERS];
	int npartners;
	const char *target_group, *infrastructure, *rules_of_use, *funding;
	int64_t funding_amount;   /* grosze, -1 = not given */
	const char *period_from, *period_to;
	const char *responsible_name; /* read */
	const char *partner_names;    /* read: comma-separated */
};

struct lpiw {
	int64_t id;
	const char *terc, *title, *state, *valid_from, *valid_to;
	int version;
	int64_t contract_limit;   /* grosze */
	int64_t decision_id;
	struct lpiw_action *actions;
	int nactions;
};

/*
 * lpiw_create() stores a new draft (version = the county's last + 1) with
 * its actions; audited lpiw.create. 0 (*id), 1 (v), -1.
 */
int lpiw_create(struct db *db, struct arena *a, const struct audit_actor *who, struct lpiw *l, int64_t *id,
		struct verrs *v);

/*
 * lpiw_adopt() adopts draft id by a decision of the county's PZKW (d: its
 * meeting, method, votes; kind and subject are set here): state adopted,
 * the county's earlier adopted version superseded; audited lpiw.adopt.
 * 0, 1 refused (v: not a draft, no PZKW, a bad decision), -1.
 */
int lpiw_adopt(struct db *db, const struct audit_actor *who, int64_t id, struct decision *d, struct verrs *v);

/* lpiw_get() reads a programme with its actions. 0, 1, -1. */
int lpiw_get(struct db *db, struct arena *a, int64_t id, struct lpiw *out);

/* lpiw_list() reads the programmes of terc (NULL: all), newest version first (no actions). Count or -1. */
int lpiw_list(struct db *db, struct arena *a, const char *terc, struct lpiw **out);

/* lpiw_adopted() is the id of the county's adopted programme, 0 when none, -1. */
int64_t lpiw_adopted(struct db *db, const char *terc);

/*
 * lpiw_partner() is 1 when institution is the responsible institution or
 * a partner of action action_id of programme lpiw_id, 0 when not (or the
 * action is not of that programme), -1 on error.
 */
int lpiw_partner(struct db *db, int64_t lpiw_id, int64_t action_id, int64_t institution);

/*
 * What the printed programme shows beside the programme itself: the
 * county's name, the team that adopted it and its decision, and every
 * institution taking part (responsible for an action or its partner).
 */
struct lpiw_doc {
	struct lpiw l;
	const char *county_name;    /* the powiat's name, else its TERC */
	const char *team_name;      /* the adopting PZKW's, NULL while a draft */
	struct decision decision;   /* valid when decision.id > 0 */
	const char *meeting_on;     /* the day of the decision's meeting, NULL outside one */
	const char **institutions;  /* by name */
	int ninstitutions;
};

/* lpiw_doc_get() reads programme id and what its print shows. 0, 1 none, -1. */
int lpiw_doc_get(struct db *db, struct arena *a, int64_t id, struct lpiw_doc *out);

/* check_text() (shared with contract.c): s at most max characters, else an error naming label. */
void coop_check_text(struct verrs *v, const char *field, const char *label, const char *s, size_t max);

/* coop_code_ok() is 1 when code is one of codes (NULL-terminated). */
int coop_code_ok(const char *const *codes, const char *code);

/*
 * coop_query() is db_query() with two more type letters for optional
 * values: 'I' an int64_t bound as NULL when 0, 'N' an int64_t bound as
 * NULL when negative. coop_insert() runs an INSERT … RETURNING id built
 * the same way and sets *id; DB_OK or an error.
 */
struct db_stmt *coop_query(struct db *db, const struct db_sql *sql, const char *types, ...);
int coop_insert(struct db *db, int64_t *id, const struct db_sql *sql, const char *types, ...);
int coop_run(struct db *db, const struct db_sql *sql, const char *types, ...);

#endif
