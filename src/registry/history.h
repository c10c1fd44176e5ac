/*
 * history.h — the history of registry records: every change to a person,
 * family, membership, reason, labour-market status, benefit or interview,
 * as old and new value of each field, who and when (table
 * record_history, 0007_registry.sql).
 *
 * Writers call history_add() in the transaction of the change, so a change
 * never commits without its history. The person and family pages show it
 * through history_read(), under the access policy of the record it
 * belongs to.
 */
#ifndef RAZEM_REGISTRY_HISTORY_H
#define RAZEM_REGISTRY_HISTORY_H

#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "policy/policy.h"
#include "registry/person.h"

/* What a history row says happened. */
enum history_change { HISTORY_CREATE, HISTORY_UPDATE, HISTORY_DELETE, HISTORY_MOVE, HISTORY_ANONYMISE };

/* One change of one record. */
struct history_entry {
	const char *entity;     /* "person", "family", "member", "reason", "status", "benefit", "interview" */
	int64_t entity_id;
	int64_t person_id;      /* whose page shows it (0 = none) */
	int64_t family_id;      /* (0 = none) */
	int64_t institution_id; /* owning institution of the record */
	enum history_change change;
	const char *field;      /* NULL for a whole record */
	const char *old_value;  /* NULL = none */
	const char *new_value;
};

/* history_add() writes one row as w. Returns 0 or -1. */
int history_add(struct db *db, const struct registry_writer *w, const struct history_entry *e);

/*
 * history_field() adds an "update" row for field when old and new differ
 * (NULL and "" are the same). Returns 1 when a row was written, 0 when
 * the values are equal, -1 on error.
 */
int history_field(struct db *db, const struct registry_writer *w, const struct history_entry *base,
		  const char *field, const char *old_value, const char *new_value);

/*
 * history_field_sens() is the column class of the values of a history
 * row of entity and field ("person", "pesel" → SENS_IDENTITY; a reason,
 * status or benefit row → SENS_SOCIAL): history_read() blanks the values
 * of classes the reader may not see.
 */
enum list_sens history_field_sens(const char *entity, const char *field);

/* A row as read back. */
struct history_row {
	int64_t id;
	const char *at, *actor, *entity, *change, *field, *old_value, *new_value;
	int64_t entity_id;
};

/*
 * history_read() reads the history shown on a person's page (person_id)
 * or a family's (family_id; the other 0), newest first, under the policy
 * of that record (r->kind POLICY_PERSON or POLICY_FAMILY), values of
 * fields the reader may not see masked. Returns the number of rows
 * (0..max), POLICY_DENIED as a negative -POLICY_DENIED, or -1.
 */
int history_read(struct policy_read *r, int64_t person_id, int64_t family_id,
		 struct history_row *out, int max);

#endif
