/*
 * contract.h — social contracts (migration 0021; docs/CONTRACTS.md):
 * the statutory individual contract in variants A and B (art. 108
 * u.p.s., the 2010 template), the family contract of the Schematom STOP!
 * model (every member, actions in four modules) and the individual
 * programme of exit from homelessness (art. 108 ust. 3, its stages).
 *
 * A contract is concluded by a social-assistance centre (the owner) with
 * one of its records (the party; for a family contract the household's
 * members). Its content is versioned: the version in force and, while an
 * amendment awaits approval, the pending one. The rules of submission
 * (contract_check_rules()) name the member or action at fault. The
 * workflow (contract_transition()) is
 *
 *   draft → submitted → approved (PZKW decision) | returned (comments)
 *   returned → submitted; approved → active
 *   active → amend (new pending version: draft → submitted → approved,
 *            then it is in force; returned goes back to its author)
 *   active → completed (every goal evaluated) | terminated (reason;
 *            non-cooperation records the art. 11 consequence and gives
 *            the social worker a task)
 *
 * Authors (the owner's social workers and guardians, the contract's
 * guardian) draft, change, submit, activate and amend; only coordinators
 * approve, return, complete and terminate. Every transition writes a
 * contract_event row and its audit row in one transaction.
 *
 * Who reads a contract (contract_access()): the owner's casework roles and
 * coordinators; with the family's consent for the purpose
 * social_contract recorded at drafting and still valid, the contract's
 * MGI guardian and the members of the county's PZKW; anyone else by the
 * sharing rule (agreement in force with the owner and a consent for
 * social_contract covering their institution, casework role). Readers of
 * a labour office (kind pup, or the labour-adviser role) never see the
 * special categories (special_notes). Every read is audited
 * (contract.read).
 */
#ifndef RAZEM_COOP_CONTRACT_H
#define RAZEM_COOP_CONTRACT_H

#include <stdint.h>

#include "coop/team.h"
#include "core/arena.h"
#include "core/verr.h"
#include "db/db.h"
#include "registry/person.h"

#define CONTRACT_MAX_MEMBERS 20
#define CONTRACT_MAX_GOALS 30
#define CONTRACT_MAX_ACTIONS 100
#define CONTRACT_MAX_BUDGET 30

/* Returned by contract functions besides 0, 1 (errors in v) and -1. */
#define CONTRACT_NOT_FOUND 2 /* no such contract, or not one the reader may see */
#define CONTRACT_FORBIDDEN 3 /* the role may not do this (v says why; API 403 "role") */
#define CONTRACT_STATE 4     /* not in this state (v says why; API 409 "state") */

extern const char *const contract_kinds[];    /* individual_a, individual_b, family, homelessness */
extern const char *const contract_states[];   /* draft … terminated */
extern const char *const contract_performers[]; /* client, family_member, worker, institution */
extern const char *const contract_action_statuses[]; /* planned, done, dropped */
extern const char *const contract_budget_sources[];  /* ops, pup, pfron, efs, gmina, powiat, other */
extern const char *const contract_homeless_stages[]; /* street … housing */
extern const char *const contract_end_reasons[];     /* non_cooperation, agreement, lost_contact, death, other */
extern const char *const contract_art11[];           /* refuse, revoke, suspend */
extern const char *const contract_evaluations[];     /* achieved, partly, not */
const char *contract_kind_label(const char *code);
const char *contract_state_label(const char *code);
const char *contract_performer_label(const char *code);
const char *contract_action_status_label(const char *code);
const char *contract_source_label(const char *code);
const char *contract_stage_label(const char *code);
const char *contract_end_reason_label(const char *code);
const char *contract_art11_label(const char *code);
const char *contract_evaluation_label(const char *code);

struct contract_member {
	int64_t person_id;
	const char *name, *birth_date; /* read */
	int child;                     /* read: under 18 on the version's first day */
};

struct contract_goal {
	int number;
	const char *kind;              /* main, specific */
	const char *text;
	const char *evaluation, *evaluation_reason; /* at completion */
};

struct contract_action {
	int number;                    /* 1.. in order (assigned on save) */
	const char *module, *title;
	int64_t member_person_id;      /* whom it is for; 0 = the whole family / the client */
	const char *performer;
	int64_t institution_id, lpiw_action_id;
	int outside_lpiw;
	const char *deadline;
	int64_t cost;                  /* grosze */
	const char *status, *drop_reason, *evidence;
	const char *institution_name, *member_name; /* read */
	int overdue;                   /* read: planned and the deadline has passed (computed) */
};

struct contract_budget {
	int number;
	const char *line, *source;
	int64_t planned, spent;        /* grosze */
};

/* One version: the contract's content. */
struct contract_content {
	int version;
	const char *state;             /* draft, submitted, returned, approved, superseded */
	const char *valid_from, *valid_to;
	int64_t lpiw_id;
	const char *causes, *strengths, *barriers, *special_notes;
	const char *education, *qualifications, *work_experience, *employment_barriers;
	const char *assistance_forms;
	const char *homeless_stage, *homeless_target;
	const char *return_comment;
	int64_t decision_id;
	struct contract_member members[CONTRACT_MAX_MEMBERS];
	int nmembers;
	struct contract_goal goals[CONTRACT_MAX_GOALS];
	int ngoals;
	struct contract_action actions[CONTRACT_MAX_ACTIONS];
	int nactions;
	struct contract_budget budget[CONTRACT_MAX_BUDGET];
	int nbudget;
	int special_hidden;            /* read: special_notes withheld from this reader */
};

struct contract {
	int64_t id;
	const char *kind, *state;
	int64_t institution_id;
	const char *county_terc;
	int64_t person_id, family_id, social_worker_id, guardian_member_id, referral_id, consent_id;
	int current_version, pending_version; /* pending 0 = none */
	const char *end_reason, *end_note, *art11_consequence, *ended_on;
	const char *created_at, *updated_at;
	/* read */
	const char *person_name, *institution_name, *guardian_name, *social_worker_name;
	int64_t guardian_user_id;
};

/* Who acts: the policy actor (roles, institution) and the audit actor. */
struct contract_actor {
	struct policy_actor policy;
	struct audit_actor audit;
	int labour_office;             /* the actor's institution is a PUP */
};

/* What a new contract starts with besides its content. */
struct contract_new {
	const char *kind;
	int64_t person_id, family_id, guardian_member_id, referral_id;
	const char *consent_form;      /* the family's consent for social_contract: written, electronic,
					  oral_recorded; NULL = not given */
};

/*
 * contract_validate() checks the fields of a version (not the rules of
 * submission) and normalises (blank text to NULL, numbers of goals,
 * actions and budget lines): codes, dates, lengths, actions' members among
 * the members, a dropped action has its reason. 0, or the number of errors.
 */
int contract_validate(struct db *db, struct arena *a, const struct contract *c, struct contract_content *x,
		      struct verrs *v);

/*
 * contract_check_rules() checks the rules of submission on x, each error
 * naming the member or the action: a family's every adult has a
 * pro-employment action and every child a support action; deadlines within
 * the validity period; the budget within the programme's limit per
 * contract; actions' institutions are partners of their LPIW action (or
 * the action is marked outside the programme); variant B has the
 * vocational data; a homelessness programme has its stage. Returns the
 * number of errors added, -1 on a database error.
 */
int contract_check_rules(struct db *db, struct arena *a, const struct contract *c,
			 const struct contract_content *x, struct verrs *v);

/*
 * contract_create() drafts a contract of the actor's institution: the
 * party must be a live record of it, the guardian a current guardian of
 * the county's MGI, the referral one the institution received or sent for
 * the person and accepted. With n->consent_form the family's consent for
 * social_contract is recorded (to the guardian's institution). Audited
 * contract.create. 0 (*id), 1 (v), CONTRACT_FORBIDDEN, -1.
 */
int contract_create(struct db *db, struct arena *a, const struct contract_actor *who, const struct contract_new *n,
		    struct contract_content *x, int64_t *id, struct verrs *v);

/*
 * contract_update() replaces the content of the version being worked on
 * (the first version while draft or returned, or the pending amendment
 * while draft or returned), and, with guardian_member_id > 0, the
 * guardian. Audited contract.update. 0, 1, NOT_FOUND, FORBIDDEN, STATE, -1.
 */
int contract_update(struct db *db, struct arena *a, const struct contract_actor *who, int64_t id,
		    struct contract_content *x, int64_t guardian_member_id, struct verrs *v);

enum contract_op { CONTRACT_SUBMIT, CONTRACT_APPROVE, CONTRACT_RETURN, CONTRACT_ACTIVATE, CONTRACT_AMEND,
	CONTRACT_COMPLETE, CONTRACT_TERMINATE };
extern const char *const contract_op_codes[]; /* "submit" … "terminate" */

/* What a transition carries. */
struct contract_step {
	const char *comment;           /* why (return: required) */
	int64_t meeting_id;            /* approve/return: the PZKW meeting (0 = outside one) */
	const char *method;            /* approve/return: vote or consensus (NULL = consensus) */
	int votes_for, votes_against, votes_abstain;
	const char *end_reason, *art11_consequence; /* terminate */
	const char *evaluations[CONTRACT_MAX_GOALS]; /* complete: per goal number - 1 */
	const char *reasons[CONTRACT_MAX_GOALS];
	int64_t decision_id;           /* out: the decision recorded */
};

/*
 * contract_transition() applies op to contract id: checks the role
 * (CONTRACT_FORBIDDEN), the state (CONTRACT_STATE), the rules on submit
 * (1 with their errors), records the PZKW decision on approve and return,
 * the goals' evaluation on complete, the reason (and on non-cooperation
 * the art. 11 consequence and the social worker's task) on terminate,
 * the event and the audit row (contract.<op>). 0, 1, NOT_FOUND,
 * FORBIDDEN, STATE, -1.
 */
int contract_transition(struct db *db, struct arena *a, const struct contract_actor *who, int64_t id,
			enum contract_op op, struct contract_step *s, struct verrs *v);

/*
 * contract_progress() records the monitoring of an active contract's
 * version in force: action number's status (planned, done, dropped with
 * a reason) and evidence note, when number > 0; budget line budget_no's
 * spent amount, when budget_no > 0 (spent >= 0). Authors and
 * coordinators; audited contract.progress. 0, 1, NOT_FOUND, FORBIDDEN,
 * STATE, -1.
 */
int contract_progress(struct db *db, struct arena *a, const struct contract_actor *who, int64_t id, int number,
		      const char *status, const char *drop_reason, const char *evidence, int budget_no, int64_t spent,
		      struct verrs *v);

/* Levels of contract_access(). */
enum contract_view { CONTRACT_VIEW_NONE, CONTRACT_VIEW_FULL, CONTRACT_VIEW_NO_SPECIAL };

/* contract_access() decides what who may read of c (read with contract_head()). Level, or -1 on error. */
int contract_access(struct db *db, const struct contract_actor *who, const struct contract *c);

/* contract_head() reads the contract row without any check (for the rule itself). 0, 1, -1. */
int contract_head(struct db *db, struct arena *a, int64_t id, struct contract *out);

/*
 * contract_read() reads contract id for who: the head, and version
 * (0 = in force) into *x (its special_notes withheld as contract_access()
 * says); audited contract.read by the caller's read log (entity contract).
 * 0, CONTRACT_NOT_FOUND (also when who may not see it), -1. version may
 * be the pending one or a superseded one.
 */
int contract_read(struct db *db, struct arena *a, const struct contract_actor *who, int64_t id, int version,
		  struct contract *c, struct contract_content *x);

/* One row of the list. */
struct contract_row {
	int64_t id;
	const char *kind, *state, *county_terc, *person_name, *guardian_name, *valid_to;
	int version, pending_version;
	int64_t guardian_member_id;
	int overdue, due;              /* planned actions past / within 14 days of their deadline */
};

/* Filters of contract_list(); NULL / 0 = any. */
struct contract_filter {
	const char *state, *kind;
	int64_t guardian_member_id;
	int mine;                      /* only contracts the actor guards or drafted */
};

/*
 * contract_list() lists the contracts who may see (the same rule as
 * contract_access(), in SQL), newest first, at most max. Count or -1.
 */
int contract_list(struct db *db, struct arena *a, const struct contract_actor *who,
		  const struct contract_filter *f, struct contract_row *out, int max);

/* A transition as recorded. */
struct contract_event {
	int version;
	const char *action, *from_state, *to_state, *comment, *at, *by_name;
	int64_t decision_id;
};

/* contract_events() reads the history of id, oldest first. Count or -1. */
int contract_events(struct db *db, struct arena *a, int64_t id, struct contract_event **out);

/* A task left to a worker (termination for non-cooperation). */
struct contract_task {
	int64_t id, contract_id;
	const char *kind, *person_name, *created_at;
};

/* contract_tasks() reads the open tasks of user. Count or -1. */
int contract_tasks(struct db *db, struct arena *a, int64_t user_id, struct contract_task *out, int max);

/*
 * contract_reminders() counts, over the contracts who may see, the
 * planned actions past their deadline and due within 14 days; *to_decide
 * the contracts submitted (for coordinators). 0 or -1.
 */
int contract_reminders(struct db *db, const struct contract_actor *who, int *overdue, int *due, int *to_decide);

/* contract_actor_of() fills who from a user's session facts (institution kind looked up). 0 or -1. */
int contract_actor_of(struct db *db, int64_t user_id, unsigned roles, int64_t institution_id, const char *login,
		      const char *ip, struct contract_actor *who);

/* contract_child_on() is 1 when a person born on birth (YYYY-MM-DD) is under 18 on date: born after the day 18
 * years before; what a contract's member "child" means (its version's first day), the demo's data too. */
int contract_child_on(const char *birth, const char *date);

/* contract_is_author() is 1 when who drafts and changes c (its centre's social workers and guardians, its guardian). */
int contract_is_author(const struct contract_actor *who, const struct contract *c);

#endif
