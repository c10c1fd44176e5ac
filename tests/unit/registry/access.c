/*
 * tests/unit/registry/access.c — the access rule of persons and families
 * (policy.c registry_rule) as a matrix: every role alone × the owner
 * (own institution, another, a list) × every purpose, for both kinds,
 * with the code of every refusal, the mask of every permission, the list
 * scope, and the combinations that matter (an administrator who is also
 * a social worker; a social worker who is also an adviser; the command
 * line; nobody signed in). Reasons in Polish.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "auth/role.h"
#include "core/i18n.h"
#include "core/log.h"
#include "policy/policy.h"

#define OWN 5
#define OTHER 6
#define IDENT_CONTACT (SENS_BIT(SENS_IDENTITY) | SENS_BIT(SENS_CONTACT))

enum owner { O_OWN, O_OTHER, O_LIST };

/* expect() is the code the rule must give (NULL = allowed) for one role, owner and purpose. */
static const char *expect(enum role role, enum owner o, enum policy_purpose p)
{
	unsigned casework = ROLE_BIT(ROLE_SOCIAL_WORKER) | ROLE_BIT(ROLE_GUARDIAN) |
			    ROLE_BIT(ROLE_LABOUR_ADVISER);
	unsigned stats = casework | ROLE_BIT(ROLE_ANALYST) | ROLE_BIT(ROLE_COORDINATOR);

	if (p == PURPOSE_ADMINISTRATION || p == PURPOSE_AUDIT)
		return "purpose";
	if (p == PURPOSE_COOPERATION)
		return "no_agreement";
	if (o == O_OTHER)
		return "other_institution";
	if (role == ROLE_ADMIN)
		return "admin_not_casework";
	if (!(ROLE_BIT(role) & (p == PURPOSE_CASEWORK ? casework : stats)))
		return "role";
	return NULL;
}

static void check(enum policy_kind kind, unsigned roles, enum owner o, enum policy_purpose p,
		  const char *code)
{
	struct policy_actor who = { 7, roles, OWN, 0 };
	struct policy_subject s = { kind, o == O_LIST ? 0 : 42, o == O_OWN ? OWN : o == O_OTHER ? OTHER : 0,
				    0 };
	struct policy_decision d;
	int rc = policy_decide(&who, &s, p, &d);

	if (code == NULL) {
		if (rc != 0)
			fail_msg("roles %x owner %d purpose %s: refused (%s), expected allowed", roles, o,
				 policy_purpose_code(p), d.code);
		assert_int_equal(d.allowed, 1);
		assert_int_equal(d.record, 1);
		assert_int_equal(d.conceal, 0);
		assert_int_equal(d.mask, policy_mask(roles, p));
		assert_string_equal(d.scope.sql, kind == POLICY_FAMILY ? "f.institution_id = ?"
									: "p.institution_id = ?");
		assert_int_equal(d.scope.nargs, 1);
		assert_int_equal(list_scope_arg(&d.scope, 0)->i, OWN);
		return;
	}
	if (rc != POLICY_DENIED || strcmp(d.code, code) != 0)
		fail_msg("roles %x owner %d purpose %s: got %s, expected %s", roles, o,
			 policy_purpose_code(p), rc == 0 ? "allowed" : d.code, code);
	assert_int_equal(d.allowed, 0);
	assert_int_equal(d.mask, 0);
	assert_int_equal(d.record, 0);
	assert_int_equal(d.conceal, 0); /* 403 with its reason, not a 404 */
	assert_string_equal(d.scope.sql, "0 = 1");
	assert_true(d.reason != NULL && d.reason[0] != '\0');
}

/* coop_list() checks a cooperation list of persons: the sharing rule's scope (tests/unit/coop/sharing.c). */
static void coop_list(unsigned roles)
{
	struct policy_actor who = { 7, roles, OWN, 0 };
	struct policy_subject s = { POLICY_PERSON, 0, 0, 0, NULL };
	struct policy_decision d;

	assert_int_equal(policy_decide(&who, &s, PURPOSE_COOPERATION, &d), 0);
	assert_non_null(strstr(d.scope.sql, "p.institution_id = ? OR EXISTS (SELECT 1 FROM consent c"));
	assert_int_equal(list_scope_arg(&d.scope, 0)->i, OWN);
}

static void test_matrix(void **state)
{
	int k, r, o, p;

	(void)state;
	for (k = POLICY_PERSON; k <= POLICY_FAMILY; k++)
		for (r = 0; r < ROLE__MAX; r++)
			for (o = O_OWN; o <= O_LIST; o++)
				for (p = 0; p < PURPOSE__MAX; p++)
					if (k == POLICY_PERSON && o == O_LIST && p == PURPOSE_COOPERATION &&
					    !expect((enum role)r, O_LIST, PURPOSE_CASEWORK))
						coop_list(ROLE_BIT(r)); /* own rows and the partners' the rule opens */
					else
					check((enum policy_kind)k, ROLE_BIT(r), (enum owner)o,
					      (enum policy_purpose)p,
					      expect((enum role)r, (enum owner)o, (enum policy_purpose)p));
}

static void test_masks_and_combinations(void **state)
{
	struct policy_actor who = { 7, ROLE_BIT(ROLE_LABOUR_ADVISER), OWN, 0 };
	struct policy_subject s = { POLICY_PERSON, 42, OWN, 0 };
	struct policy_decision d;

	(void)state;
	/* the adviser works cases without the special categories */
	assert_int_equal(policy_decide(&who, &s, PURPOSE_CASEWORK, &d), 0);
	assert_int_equal(d.mask & SENS_SPECIAL, 0);
	assert_true(d.mask & SENS_BIT(SENS_SOCIAL));
	assert_true(d.mask & IDENT_CONTACT);
	/* statistics: never identity or contact */
	who.roles = ROLE_BIT(ROLE_ANALYST);
	assert_int_equal(policy_decide(&who, &s, PURPOSE_STATISTICS, &d), 0);
	assert_int_equal(d.mask & IDENT_CONTACT, 0);
	assert_true(d.mask & SENS_BIT(SENS_HEALTH));
	/* an administrator who is also a social worker reads as the social worker */
	who.roles = ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_SOCIAL_WORKER);
	assert_int_equal(policy_decide(&who, &s, PURPOSE_CASEWORK, &d), 0);
	assert_int_equal(d.mask, SENS_ALL);
	/* an administrator with a role that does not work cases: refused for the role */
	who.roles = ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_ANALYST);
	assert_int_equal(policy_decide(&who, &s, PURPOSE_CASEWORK, &d), POLICY_DENIED);
	assert_string_equal(d.code, "role");
	/* the command line, for the institution it names */
	who = (struct policy_actor){ 0, 0, OWN, 1 };
	assert_int_equal(policy_decide(&who, &s, PURPOSE_CASEWORK, &d), 0);
	s.institution_id = OTHER;
	assert_int_equal(policy_decide(&who, &s, PURPOSE_CASEWORK, &d), POLICY_DENIED);
	assert_string_equal(d.code, "other_institution");
	/* nobody signed in */
	who = (struct policy_actor){ 0, ROLES_ALL, OWN, 0 };
	s.institution_id = OWN;
	assert_int_equal(policy_decide(&who, &s, PURPOSE_CASEWORK, &d), POLICY_DENIED);
	assert_string_equal(d.code, "signed_out");
	assert_string_equal(policy_action(POLICY_PERSON, POLICY_READ_ONE), "person.read");
	assert_string_equal(policy_action(POLICY_FAMILY, POLICY_READ_PAGE), "family.list");
}

static void test_reasons_in_polish(void **state)
{
	struct policy_actor who = { 7, ROLE_BIT(ROLE_SOCIAL_WORKER), OWN, 0 };
	struct policy_subject s = { POLICY_PERSON, 42, OTHER, 0 };
	struct policy_decision d;

	(void)state;
	i18n_set_lang(LANG_PL);
	policy_decide(&who, &s, PURPOSE_CASEWORK, &d);
	assert_string_equal(d.reason, "Te dane prowadzi inna instytucja. Instytucje udostępniają sobie "
				      "dane tylko na podstawie porozumienia o współpracy, a ono ich nie "
				      "obejmuje.");
	who.roles = ROLE_BIT(ROLE_ADMIN);
	s.institution_id = OWN;
	policy_decide(&who, &s, PURPOSE_CASEWORK, &d);
	assert_non_null(strstr(d.reason, "Administratorzy zarządzają kontami"));
	who.roles = ROLE_BIT(ROLE_SOCIAL_WORKER);
	policy_decide(&who, &s, PURPOSE_CASEWORK, &d);
	assert_string_equal(d.reason, "Osoba jest podopieczną Twojej instytucji.");
	policy_decide(&who, &s, PURPOSE_AUDIT, &d);
	assert_string_equal(d.code, "purpose");
	assert_non_null(strstr(d.reason, "Dane osób i rodzin odczytuje się do pracy ze sprawami"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_masks_and_combinations),
		cmocka_unit_test(test_reasons_in_polish),
	};

	log_set_level(LOG_ERROR + 1);
	if (i18n_init() != 0)
		return 1;
	return cmocka_run_group_tests_name("registry/access", tests, NULL, NULL);
}
