/*
 * role.h — the roles a user can hold, and what each may do.
 *
 * A user belongs to one institution and holds one or more roles; a set of
 * roles is a bitmask of ROLE_BIT(role). Codes are stored in user_role.role.
 */
#ifndef RAZEM_AUTH_ROLE_H
#define RAZEM_AUTH_ROLE_H

#include "core/arena.h"

enum role {
	ROLE_ADMIN,          /* manages institutions, users, reads the audit log */
	ROLE_SOCIAL_WORKER,  /* OPS/MOPS/PCPR pracownik socjalny */
	ROLE_LABOUR_ADVISER, /* PUP doradca klienta / zawodowy */
	ROLE_GUARDIAN,       /* opiekun rodziny from the MGI */
	ROLE_COORDINATOR,    /* member of the county coordinating team (PZKW) */
	ROLE_ANALYST,        /* prepares diagnoses and reports */
	ROLE_PROJECT_OFFICE, /* runs project recruitment, trainings, indicators */
	ROLE__MAX
};

#define ROLE_BIT(r) (1u << (r))
#define ROLES_ALL ((1u << ROLE__MAX) - 1)

/* role_code() is the stored code ("social_worker"); role_parse() the reverse, -1 if unknown. */
const char *role_code(enum role r);
int role_parse(const char *code);

/* role_label() is the translated name ("Pracownik socjalny"). */
const char *role_label(enum role r);

/* role_about() is a translated sentence on what the role does in razem. */
const char *role_about(enum role r);

/* role_set_parse() turns "admin,analyst" into a role set; unknown codes are ignored. */
unsigned role_set_parse(const char *csv);

/* role_set_labels() is "Administrator, Analityk" for a set, in arena memory (NULL if out of memory). */
const char *role_set_labels(struct arena *a, unsigned roles);

/* role_codes is the NULL-terminated list of codes, in enum order. */
extern const char *const role_codes[];

/* Who may see special-category data is decided by the access policy (policy/policy.h). */

/* roles_first() is the lowest role in the set (for a "main" role to show), -1 if empty. */
int roles_first(unsigned roles);

#endif
