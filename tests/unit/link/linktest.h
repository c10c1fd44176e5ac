/*
 * linktest.h — what the link unit tests share: cmocka includes and a way
 * to write a record in one line.
 */
#ifndef RAZEM_TESTS_LINKTEST_H
#define RAZEM_TESTS_LINKTEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link/link.h"
#include "link/link_int.h"

/* person() is a record with the fields most tests need (others empty). */
static inline struct link_record person(const char *id, const char *given, const char *surname, int birth,
	enum link_sex sex, const char *pesel)
{
	struct link_record r;

	memset(&r, 0, sizeof(r));
	r.id = id;
	r.given = given;
	r.surname = surname;
	r.birth = birth;
	r.sex = sex;
	r.pesel = pesel;
	return r;
}

/* levels_of() adds a and b to a fresh set and compares them. */
static inline link_levels levels_of(const struct link_record *a, const struct link_record *b)
{
	struct link_set *s = link_set_new();
	link_levels lv;

	assert_non_null(s);
	assert_int_equal(link_set_add(s, a), 0);
	assert_int_equal(link_set_add(s, b), 1);
	lv = link_compare(s, 0, 1);
	link_set_free(s);
	return lv;
}

#endif
