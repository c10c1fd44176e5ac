/*
 * tests/unit/link/compare.c — every comparison with Polish vectors: PESEL
 * exact / one digit / transposition (checked against the encoded date and
 * sex), names folded (Łukasz = Lukasz), diminutives (Kasia → Katarzyna,
 * Jurek → Jerzy), Kowalski/Kowalska as a family form, Nowak-Kowalska ~
 * Kowalska, the birth surname, swapped names, typos; birth date day/month
 * swap and one digit; addresses, postcode, TERC, sex; level names.
 */
#include "linktest.h"

#define LV(lv, f) link_level((lv), (f))

static void test_link__compare__pesel_levels(void **state)
{
	struct link_record a = person("a", "Jan", "Kowalski", 19440514, LINK_SEX_M, "44051401458");
	struct link_record b = a;
	(void)state;

	assert_int_equal(LV(levels_of(&a, &b), LINK_F_ID), 1);
	b.pesel = "44051401358"; /* one digit of the serial mistyped: the checksum fails */
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_ID), 2);
	b.pesel = "44051410458"; /* two adjacent digits swapped */
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_ID), 2);
	b.pesel = "85123101236"; /* another valid PESEL: another person */
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_ID), 3);
	b.pesel = "";
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_ID), 0);
}

static void test_link__compare__pesel_near_contradicts_record(void **state)
{
	/* one digit off, but the typo'd PESEL encodes a woman while the record says a man */
	struct link_record a = person("a", "Jan", "Nowak", 19440514, LINK_SEX_M, "44051401458");
	struct link_record b = person("b", "Jan", "Nowak", 19440514, LINK_SEX_M, "44051401448");
	(void)state;

	assert_int_equal(LV(levels_of(&a, &b), LINK_F_ID), 3);
	/* one digit off, but the other record was born on another day altogether */
	b.pesel = "44051401358";
	b.birth = 19700101;
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_ID), 3);
	b.birth = 19440514; /* the same typo with agreeing facts: near */
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_ID), 2);
}

static void test_link__compare__pesel_fills_birth_and_sex(void **state)
{
	struct link_record a = person("a", "Ewa", "Nowak", 0, LINK_SEX_UNKNOWN, "02270803624");
	struct link_record b = person("b", "Ewa", "Nowak", 20020708, LINK_SEX_F, NULL);
	link_levels lv;
	(void)state;

	lv = levels_of(&a, &b);
	assert_int_equal(LV(lv, LINK_F_BIRTH), 1);
	assert_int_equal(LV(lv, LINK_F_SEX), 1);
}

static void test_link__compare__folding(void **state)
{
	struct link_record a = person("a", "Łukasz", "Żółkiewski", 19800101, LINK_SEX_M, NULL);
	struct link_record b = person("b", "LUKASZ", "zolkiewski", 19800101, LINK_SEX_M, NULL);
	link_levels lv;
	char out[LINK_TEXT_MAX];
	(void)state;

	lv = levels_of(&a, &b);
	assert_int_equal(LV(lv, LINK_F_GIVEN), 1);
	assert_int_equal(LV(lv, LINK_F_SURNAME), 1);
	assert_int_equal(link_fold("  Łódź,  ul. Piotrkowska ", out), strlen("lodz ul piotrkowska"));
	assert_string_equal(out, "lodz ul piotrkowska");
	link_fold("Nowak - Kowalska", out);
	assert_string_equal(out, "nowak-kowalska");
	link_fold("Ærø Ñuñez", out); /* beyond Polish: Unicode folding */
	assert_string_equal(out, "ærø nunez");
}

static void test_link__compare__diminutives(void **state)
{
	struct link_record a = person("a", "Kasia", "Nowak", 0, 0, NULL), b = person("b", "Katarzyna", "Nowak", 0, 0, NULL);
	(void)state;

	assert_int_equal(LV(levels_of(&a, &b), LINK_F_GIVEN), 2);
	a.given = "Jurek";
	b.given = "Jerzy";
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_GIVEN), 2);
	a.given = "Gosia";
	b.given = "Małgorzata";
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_GIVEN), 2);
	a.given = "Anna Maria"; /* one of two names */
	b.given = "Maria";
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_GIVEN), 2);
	a.given = "Jan";
	b.given = "Zbigniew";
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_GIVEN), 5);
}

static void test_link__compare__surname_forms(void **state)
{
	struct link_record a = person("a", "Jan", "Kowalski", 0, LINK_SEX_M, NULL);
	struct link_record b = person("b", "Janina", "Kowalska", 0, LINK_SEX_F, NULL);
	link_levels lv;
	(void)state;

	lv = levels_of(&a, &b); /* a family, not one person */
	assert_int_equal(LV(lv, LINK_F_SURNAME), 5);
	assert_int_equal(LV(lv, LINK_F_SEX), 2);
	a.surname = "Nowicki";
	b.surname = "Nowicka";
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_SURNAME), 5);
	a.surname = "Nowak-Kowalska"; /* double-barrelled */
	b.surname = "Kowalska";
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_SURNAME), 2);
	a.surname = "Kowalska"; /* married: the birth surname on the other record */
	b.surname = "Nowak";
	b.birth_surname = NULL;
	a.birth_surname = "Nowak";
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_SURNAME), 2);
	a.birth_surname = NULL;
	a.surname = "Kowalczyk"; /* a typo */
	b.surname = "Kowalczyl";
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_SURNAME), 3);
	b.surname = "Wiśniewska";
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_SURNAME), 6);
	assert_true(link_surname_gender_pair("zielinski", 9, "zielinska", 9));
	assert_true(link_surname_gender_pair("bialy", 5, "biala", 5));
	assert_false(link_surname_gender_pair("nowak", 5, "nowaka", 6));
}

static void test_link__compare__swapped_names(void **state)
{
	struct link_record a = person("a", "Kowalski", "Jan", 19800101, LINK_SEX_M, NULL);
	struct link_record b = person("b", "Jan", "Kowalski", 19800101, LINK_SEX_M, NULL);
	link_levels lv;
	(void)state;

	lv = levels_of(&a, &b);
	assert_int_equal(LV(lv, LINK_F_GIVEN), 1);
	assert_int_equal(LV(lv, LINK_F_SURNAME), 1);
}

static void test_link__compare__birth_dates(void **state)
{
	struct link_record a = person("a", "Jan", "Nowak", 19800305, 0, NULL), b = a;
	(void)state;

	assert_int_equal(LV(levels_of(&a, &b), LINK_F_BIRTH), 1);
	b.birth = 19800503; /* day and month swapped */
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_BIRTH), 2);
	b.birth = 19800306; /* one digit */
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_BIRTH), 3);
	b.birth = 19080305; /* adjacent digits transposed */
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_BIRTH), 3);
	b.birth = 19751224;
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_BIRTH), 4);
	b.birth = 0;
	assert_int_equal(LV(levels_of(&a, &b), LINK_F_BIRTH), 0);
}

static void test_link__compare__address_fields(void **state)
{
	struct link_record a = person("a", "Jan", "Nowak", 0, 0, NULL), b;
	link_levels lv;
	(void)state;

	a.street = "ul. Piotrkowska";
	a.street_number = "12/3";
	a.postcode = "90-001";
	a.city = "Łódź";
	a.region = "łódzkie";
	a.terc = "1061011";
	b = a;
	b.street = "ul. Piotrkowsak";
	b.postcode = "90-010";
	b.city = "LODZ";
	b.terc = "1061029";
	lv = levels_of(&a, &b);
	assert_int_equal(LV(lv, LINK_F_STREET), 2);
	assert_int_equal(LV(lv, LINK_F_NUMBER), 1);
	assert_int_equal(LV(lv, LINK_F_POSTCODE), 2);
	assert_int_equal(LV(lv, LINK_F_CITY), 1);
	assert_int_equal(LV(lv, LINK_F_REGION), 1);
	assert_int_equal(LV(lv, LINK_F_TERC), 2);
	assert_int_equal(LV(lv, LINK_F_ADDRESS2), 0);
}

static void test_link__compare__level_names(void **state)
{
	int f, l;
	(void)state;

	for (f = 0; f < LINK_F__MAX; f++) {
		assert_non_null(link_field_name((enum link_field)f));
		assert_true(link_level_count((enum link_field)f) >= 3);
		assert_string_equal(link_level_name((enum link_field)f, 0), "missing");
		for (l = 0; l < link_level_count((enum link_field)f); l++)
			assert_non_null(link_level_name((enum link_field)f, l));
	}
	assert_string_equal(link_level_name(LINK_F_SURNAME, 5), "other gender form");
	assert_null(link_level_name(LINK_F__MAX, 0));
	assert_null(link_field_name(LINK_F__MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link__compare__pesel_levels),
		cmocka_unit_test(test_link__compare__pesel_near_contradicts_record),
		cmocka_unit_test(test_link__compare__pesel_fills_birth_and_sex),
		cmocka_unit_test(test_link__compare__folding),
		cmocka_unit_test(test_link__compare__diminutives),
		cmocka_unit_test(test_link__compare__surname_forms),
		cmocka_unit_test(test_link__compare__swapped_names),
		cmocka_unit_test(test_link__compare__birth_dates),
		cmocka_unit_test(test_link__compare__address_fields),
		cmocka_unit_test(test_link__compare__level_names),
	};

	return cmocka_run_group_tests_name("link/compare", tests, NULL, NULL);
}
