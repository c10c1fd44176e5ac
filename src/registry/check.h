/*
 * check.h — the checks of text fields the person, family and institution
 * records share, so that an address or a phone number is taken and
 * refused the same way on every form: blank fields become NULL, text
 * must be readable and short enough, "99300" is the postcode 99-300,
 * a TERC field holds a gmina. The registry's and cooperation's stores
 * also share here how they read a text column and today's date.
 */
#ifndef RAZEM_REGISTRY_CHECK_H
#define RAZEM_REGISTRY_CHECK_H

#include <stddef.h>

#include "core/arena.h"
#include "core/verr.h"
#include "db/db.h"

/* registry_blank() trims a copy of *s into a and turns "" into NULL. */
void registry_blank(struct arena *a, const char **s);

/* registry_text_ok() checks that a text field is readable text of at most max characters; 1 or 0 (v). */
int registry_text_ok(struct verrs *v, const char *field, const char *s, size_t max);

/* registry_phone_ok() is 1 when s has 7 to 15 digits and only spaces, +, -, (, ), / besides. */
int registry_phone_ok(const char *s);

/* registry_postcode() normalises *postcode (NULL: none) to NN-NNN and checks it (field "postcode"). */
void registry_postcode(struct arena *a, struct verrs *v, const char **postcode);

/* registry_terc() checks that terc (NULL: none) is the TERC code of a gmina (field "terc"). */
void registry_terc(struct verrs *v, const char *terc);

/*
 * registry_check_date() checks a date field (label: its msgid): NULL is
 * refused only when required, else it must be a real YYYY-MM-DD; 0 or -1 (v).
 */
int registry_check_date(struct verrs *v, const char *field, const char *label, const char *value,
			int required);

/* registry_col() is an arena copy of text column i of st, NULL for SQL NULL. */
const char *registry_col(struct arena *a, struct db_stmt *st, int i);

/* registry_clean() is a trimmed arena copy of s, NULL when s is NULL or only white space. */
const char *registry_clean(struct arena *a, const char *s);

/* registry_today() writes today's local date as YYYY-MM-DD into out. */
void registry_today(char out[16]);

#endif
