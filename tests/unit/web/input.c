/*
 * tests/unit/web/input.c — reading declared fields from JSON bodies and
 * forms: text and numbers as before; F_INTS (a JSON array of numbers or a
 * repeated form field) with element count limits, range, F_UNIQUE and
 * per-element errors naming "institutions[1]"; F_OBJECT and F_OBJECTS
 * read against their own field tables with errors naming the path
 * ("members[0].role") and unknown members refused at every level; error
 * messages in Polish (the test's own labels are not in the catalogue and
 * stay English); ordering of nested errors with their field.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/i18n.h"
#include "web/input.h"
#include "web/jsonbody.h"

static const char *const roles[] = { "lead", "partner", NULL };

static const struct field action_fields[] = {
	{ "title", N_("Test title"), F_TEXT, F_REQUIRED, 0, 20 },
	{ "hours", N_("Hours"), F_INT, 0, 0, 100 },
};

static const struct field member_fields[] = {
	{ "institution", N_("Institution"), F_INT, F_REQUIRED, 1, 1000000 },
	{ "role", N_("Test role"), F_CHOICE, F_REQUIRED, 0, 0, roles },
	{ "actions", N_("Test actions"), F_OBJECTS, 0, 0, 0, NULL, action_fields, 2, 0, 3 },
};

static const struct field contract_fields[] = {
	{ "name", N_("Name"), F_TEXT, F_REQUIRED, 0, 50 },
	{ "institutions", N_("Institutions"), F_INTS, F_REQUIRED | F_UNIQUE, 1, 1000000, NULL, NULL, 0, 1, 6 },
	{ "members", N_("Test members"), F_OBJECTS, 0, 0, 0, NULL, member_fields, 3, 0, 5 },
	{ "address", N_("Address"), F_OBJECT, 0, 0, 0, NULL, action_fields, 2 },
};

#define NC ((int)(sizeof(contract_fields) / sizeof(contract_fields[0])))

struct fixture {
	struct arena *a;
	struct req req;
	struct verrs v;
	struct input in[NC];
};

static int setup(void **state)
{
	static struct fixture f;

	memset(&f, 0, sizeof(f));
	f.a = arena_new(1 << 20);
	f.req.arena = f.a;
	f.req.is_api = 1;
	f.v.n = 0;
	i18n_set_lang(LANG_PL);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f->req.json != NULL)
		json_decref(f->req.json);
	arena_free(f->a);
	return 0;
}

/* read() parses body as the request's JSON and reads the contract fields. */
static int read(struct fixture *f, const char *body)
{
	struct jsonbody_limits lim = { 1 << 16, 32, 1000 };
	struct jsonbody_error je;

	assert_int_equal(jsonbody_parse(body, strlen(body), &lim, &f->req.json, &je), 0);
	return input_read(&f->req, contract_fields, NC, f->in, &f->v);
}

static void expect_error(const struct fixture *f, const char *field, const char *code, const char *msg)
{
	int i;

	for (i = 0; i < f->v.n; i++)
		if (strcmp(f->v.e[i].field, field) == 0) {
			assert_string_equal(f->v.e[i].code, code);
			if (msg != NULL)
				assert_string_equal(f->v.e[i].message, msg);
			return;
		}
	fail_msg("no error for %s (%d errors, first %s: %s)", field, f->v.n,
		 f->v.n > 0 ? f->v.e[0].field : "-", f->v.n > 0 ? f->v.e[0].message : "-");
}

static void test_web__input__nested_ok(void **state)
{
	struct fixture *f = *state;
	const struct input *m;

	assert_int_equal(read(f, "{\"name\":\" Umowa \",\"institutions\":[3,7],"
			       "\"members\":[{\"institution\":3,\"role\":\"lead\",\"actions\":"
			       "[{\"title\":\"Szkolenie\",\"hours\":12}]},"
			       "{\"institution\":\"7\",\"role\":\"partner\"}],"
			       "\"address\":{\"title\":\"Biuro\"}}"),
			 0);
	assert_string_equal(f->in[0].text, "Umowa");
	assert_int_equal(f->in[1].nnums, 2);
	assert_int_equal(f->in[1].nums[0], 3);
	assert_int_equal(f->in[1].nums[1], 7);
	assert_int_equal(f->in[2].nitems, 2);
	m = input_item(&contract_fields[2], &f->in[2], 0);
	assert_non_null(m);
	assert_int_equal(m[0].num, 3);
	assert_string_equal(m[1].text, "lead");
	assert_int_equal(m[2].nitems, 1);
	assert_string_equal(input_item(&member_fields[2], &m[2], 0)[0].text, "Szkolenie");
	assert_int_equal(input_item(&member_fields[2], &m[2], 0)[1].num, 12);
	m = input_item(&contract_fields[2], &f->in[2], 1);
	assert_int_equal(m[0].num, 7);
	assert_false(m[2].present);
	assert_null(input_item(&contract_fields[2], &f->in[2], 2));
	assert_true(f->in[3].present);
	assert_string_equal(f->in[3].sub[0].text, "Biuro");
}

static void test_web__input__ints_errors(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(read(f, "{\"name\":\"x\",\"institutions\":[3,\"7\",0,3,2.5,null]}"), 5);
	expect_error(f, "institutions[1]", "not_a_number",
		     "Instytucje, pozycja 2: wpisz liczbę całkowitą.");
	expect_error(f, "institutions[2]", "out_of_range",
		     "Instytucje, pozycja 3: wpisz liczbę od 1 do 1000000.");
	expect_error(f, "institutions[3]", "duplicate",
		     "Instytucje, pozycja 4: ta wartość już jest na liście.");
	expect_error(f, "institutions[4]", "not_a_number", NULL);
	expect_error(f, "institutions[5]", "not_a_number", NULL);
	assert_int_equal(f->in[1].nnums, 1);
}

static void test_web__input__ints_counts(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(read(f, "{\"name\":\"x\",\"institutions\":[1,2,3,4,5,6,7]}"), 1);
	expect_error(f, "institutions", "too_many", "Instytucje: liczba pozycji najwyżej 6 (podano 7).");
	teardown(state);
	setup(state);
	f = *state;
	assert_int_equal(read(f, "{\"name\":\"x\",\"institutions\":[]}"), 1);
	expect_error(f, "institutions", "required", NULL);
	teardown(state);
	setup(state);
	f = *state;
	assert_int_equal(read(f, "{\"name\":\"x\",\"institutions\":5}"), 1);
	expect_error(f, "institutions", "invalid", "Instytucje: oczekiwano listy liczb.");
}

static void test_web__input__nested_errors(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(read(f, "{\"name\":\"x\",\"institutions\":[1],\"members\":["
			       "{\"institution\":1,\"role\":\"boss\",\"extra\":1,"
			       "\"actions\":[{\"title\":\"\"},{\"title\":\"t\",\"hours\":101,\"x\":0}]},"
			       "5],\"address\":[],\"surplus\":true}"),
			 8);
	expect_error(f, "members[0].role", "invalid",
		     "Test members, pozycja 1, Test role: wybierz jedną z dostępnych opcji.");
	expect_error(f, "members[0].extra", "unknown_field", "Nieznane pole „members[0].extra”.");
	expect_error(f, "members[0].actions[0].title", "required",
		     "Test members, pozycja 1, Test actions, pozycja 1, Test title: to pole jest wymagane.");
	expect_error(f, "members[0].actions[1].hours", "out_of_range", NULL);
	expect_error(f, "members[0].actions[1].x", "unknown_field", NULL);
	expect_error(f, "members[1]", "invalid", "Test members, pozycja 2: oczekiwano obiektu {...}.");
	expect_error(f, "address", "invalid", NULL);
	expect_error(f, "surplus", "unknown_field", NULL);
}

static void test_web__input__objects_count(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(read(f, "{\"name\":\"x\",\"institutions\":[1],\"members\":[{\"institution\":1,"
			       "\"role\":\"lead\",\"actions\":[{\"title\":\"a\"},{\"title\":\"b\"},"
			       "{\"title\":\"c\"},{\"title\":\"d\"}]}]}"),
			 1);
	expect_error(f, "members[0].actions", "too_many", NULL);
}

static void test_web__input__order(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(read(f, "{\"surplus\":1,\"members\":[{\"role\":\"lead\",\"institution\":1,"
			       "\"bad\":1}],\"institutions\":[\"x\"]}"),
			 4);
	input_order_errors(contract_fields, NC, &f->v);
	assert_string_equal(f->v.e[0].field, "name");
	assert_string_equal(f->v.e[1].field, "institutions[0]");
	assert_string_equal(f->v.e[2].field, "members[0].bad");
	assert_string_equal(f->v.e[3].field, "surplus");
}

static void test_web__input__form_ints(void **state)
{
	struct fixture *f = *state;
	struct params_limits lim = { 100, 1000 };
	const char *body = "name=Umowa&institutions=3&institutions=7&institutions=x";

	f->req.is_api = 0;
	assert_int_equal(params_urlencoded(f->a, body, strlen(body), &lim, &f->req.form), PARAMS_OK);
	assert_int_equal(input_read(&f->req, contract_fields, NC, f->in, &f->v), 1);
	expect_error(f, "institutions[2]", "not_a_number", NULL);
	assert_int_equal(f->in[1].nnums, 2);
	assert_int_equal(f->in[1].nums[1], 7);
	assert_false(f->in[2].present); /* nested values come only as JSON */
}

/* found by the fuzzer: an element of only spaces was read as 0 */
static void test_web__input__form_ints_blank(void **state)
{
	struct fixture *f = *state;
	struct params_limits lim = { 100, 1000 };
	const char *body = "name=Umowa&institutions=%0C%20%09";

	f->req.is_api = 0;
	assert_int_equal(params_urlencoded(f->a, body, strlen(body), &lim, &f->req.form), PARAMS_OK);
	assert_int_equal(input_read(&f->req, contract_fields, NC, f->in, &f->v), 1);
	expect_error(f, "institutions[0]", "required", NULL); /* a required list: its element too */
	assert_int_equal(f->in[1].nnums, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_web__input__nested_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web__input__ints_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web__input__ints_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web__input__nested_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web__input__objects_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web__input__order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web__input__form_ints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web__input__form_ints_blank, setup, teardown),
	};

	if (i18n_init() != 0)
		return 1;
	return cmocka_run_group_tests_name("web/input", tests, NULL, NULL);
}
