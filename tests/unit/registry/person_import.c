/*
 * tests/unit/registry/person_import.c — the import's header matching
 * (well-known Polish names without case, diacritics or punctuation; a
 * mapping file and its errors; columns nothing maps), row conversion (dates
 * as offices write them, sex and citizenship in words, postcode, a PESEL a
 * spreadsheet cut to 10 digits, relations and the applicant mark, second
 * names) and validation through person_validate(), and the fast fold
 * agreeing with str_fold().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/str.h"
#include "registry/person_import.h"

/* ---- header names ---- */

static void test_registry__person_import__header_names(void **state)
{
	static const struct {
		const char *header;
		int field;
	} cases[] = {
		{ "PESEL", PI_PESEL },           { "Nr PESEL", PI_PESEL },           { "Imię", PI_FIRST_NAMES },
		{ "IMIONA", PI_FIRST_NAMES },    { "imie", PI_FIRST_NAMES },         { "Drugie imię", PI_SECOND_NAME },
		{ "Nazwisko", PI_SURNAME },      { "NAZWISKO RODOWE", PI_BIRTH_SURNAME }, { "Płeć", PI_SEX },
		{ "Data urodzenia", PI_BIRTH_DATE }, { "Data ur.", PI_BIRTH_DATE },   { "Obywatelstwo", PI_CITIZENSHIP },
		{ "Ulica", PI_STREET },          { "ul.", PI_STREET },               { "Nr domu", PI_HOUSE_NO },
		{ "Nr. domu:", PI_HOUSE_NO },    { "Nr lokalu", PI_FLAT_NO },        { "numer_mieszkania", PI_FLAT_NO },
		{ "Kod pocztowy", PI_POSTCODE }, { "Miejscowość", PI_TOWN },         { "MIEJSCOWOSC", PI_TOWN },
		{ "TERC", PI_TERC },             { "Telefon", PI_PHONE },            { "E-mail", PI_EMAIL },
		{ "e-mail", PI_EMAIL },          { "Nr gospodarstwa", PI_HOUSEHOLD }, { "Nr rodziny", PI_HOUSEHOLD },
		{ "  Nr   gospodarstwa domowego ", PI_HOUSEHOLD }, { "Stopień pokrewieństwa", PI_RELATION },
		{ "Wnioskodawca", PI_APPLICANT }, { "Uwagi", -1 },                   { "", -1 },
		{ "Imię i nazwisko", -1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = pi_header_field(cases[i].header);

		if (got != cases[i].field)
			fail_msg("\"%s\": field %d, expected %d", cases[i].header, got, cases[i].field);
	}
	assert_string_equal(pi_field_code(PI_BIRTH_DATE), "birth_date");
	assert_int_equal(pi_field_parse("household"), PI_HOUSEHOLD);
	assert_int_equal(pi_field_parse("nonsense"), -1);
	assert_string_equal(pi_field_label(PI_TOWN), "Miejscowość");
}

/* ---- mapping ---- */

static const char *const std_header[] = { "PESEL", "Imię", "Nazwisko", "Uwagi", "Data urodzenia", "Nr gospodarstwa", "" };

static void test_registry__person_import__mapping_names(void **state)
{
	struct arena *a = arena_new(1 << 20);
	struct pi_mapping m;
	char err[400];

	(void)state;
	assert_int_equal(pi_mapping_build(&m, a, std_header, 7, NULL, err, sizeof(err)), 0);
	assert_int_equal(m.ncols, 7);
	assert_int_equal(m.col[PI_PESEL], 0);
	assert_int_equal(m.col[PI_FIRST_NAMES], 1);
	assert_int_equal(m.col[PI_SURNAME], 2);
	assert_int_equal(m.col[PI_BIRTH_DATE], 4);
	assert_int_equal(m.col[PI_HOUSEHOLD], 5);
	assert_int_equal(m.col[PI_TOWN], -1);
	assert_string_equal(m.unmapped, "Uwagi; ?");
	/* two columns for one field */
	{
		const char *const h[] = { "Imię", "Imiona", "Nazwisko" };

		assert_int_equal(pi_mapping_build(&m, a, h, 3, NULL, err, sizeof(err)), -1);
		assert_string_equal(err, "kolumny „Imię” i „Imiona” zawierają to samo pole (Imiona); podaj plik mapowania");
	}
	/* no surname */
	{
		const char *const h[] = { "PESEL", "Imię", "Name" };

		assert_int_equal(pi_mapping_build(&m, a, h, 3, NULL, err, sizeof(err)), -1);
		assert_string_equal(err, "plik nie ma kolumny z polem „Nazwisko” (jego kolumny: PESEL; Imię; Name); "
					 "wskaż ją w pliku mapowania");
	}
	arena_free(a);
}

static void test_registry__person_import__mapping_file(void **state)
{
	const char *const h[] = { "NR_EWID", "IMIE_1", "IMIE_2", "NAZW", "DT_UR", "KOD", "MIASTO", "ID_RODZ", "X" };
	struct arena *a = arena_new(1 << 20);
	struct pi_mapping m;
	char err[400];
	const char *map = "# the export of a typical office system\n"
			  "pesel = nr_ewid\n"
			  "first_names = IMIE_1   # first given name\n"
			  "second_name=IMIE_2\n"
			  "\n"
			  "surname = NAZW\n"
			  "birth_date = DT UR\n"
			  "postcode = KOD\n"
			  "town = Miasto\n"
			  "household = ID_RODZ\n";

	(void)state;
	assert_int_equal(pi_mapping_build(&m, a, h, 9, map, err, sizeof(err)), 0);
	assert_int_equal(m.col[PI_PESEL], 0);
	assert_int_equal(m.col[PI_FIRST_NAMES], 1);
	assert_int_equal(m.col[PI_SECOND_NAME], 2);
	assert_int_equal(m.col[PI_SURNAME], 3);
	assert_int_equal(m.col[PI_BIRTH_DATE], 4);
	assert_int_equal(m.col[PI_TOWN], 6);
	assert_int_equal(m.col[PI_HOUSEHOLD], 7);
	assert_string_equal(m.unmapped, "X");
	assert_int_equal(pi_mapping_build(&m, a, h, 9, "surname NAZW\n", err, sizeof(err)), -1);
	assert_string_equal(err, "wiersz 1 mapowania: oczekiwano „pole = nazwa kolumny”");
	assert_int_equal(pi_mapping_build(&m, a, h, 9, "\n# c\nsurnam = NAZW\n", err, sizeof(err)), -1);
	assert_string_equal(err, "wiersz 3 mapowania: nieznane pole „surnam”");
	assert_int_equal(pi_mapping_build(&m, a, h, 9, "surname = NAZW\nsurname = X\n", err, sizeof(err)), -1);
	assert_string_equal(err, "wiersz 2 mapowania: pole „surname” jest przypisane dwa razy");
	assert_int_equal(pi_mapping_build(&m, a, h, 9, "surname = NAZWISKO\n", err, sizeof(err)), -1);
	assert_string_equal(err, "wiersz 1 mapowania: plik nie ma kolumny „NAZWISKO”");
	/* a mapping that leaves out the first names */
	assert_int_equal(pi_mapping_build(&m, a, h, 9, "surname = NAZW\n", err, sizeof(err)), -1);
	arena_free(a);
}

/* ---- rows ---- */

static const char *const full_header[] = { "PESEL", "Imię", "Drugie imię", "Nazwisko", "Płeć", "Data urodzenia",
				     "Obywatelstwo", "Ulica", "Nr domu", "Nr lokalu", "Kod pocztowy", "Miejscowość",
				     "Telefon", "E-mail", "Nr rodziny", "Pokrewieństwo" };
#define NFULL 16

static void convert(struct arena *a, const char *const *row, struct pi_row *out, struct verrs *v)
{
	struct pi_mapping m;
	char err[400];

	assert_int_equal(pi_mapping_build(&m, a, full_header, NFULL, NULL, err, sizeof(err)), 0);
	v->n = 0;
	pi_convert(&m, row, NFULL, a, out, v);
}

static void test_registry__person_import__convert(void **state)
{
	const char *const row[NFULL] = { "44051401359", " Jan ", "Maria", "Kowalski", "mężczyzna", "14.05.1944", "polskie",
				   "ul. Długa", "5", "3", "99300", "Przykładowo", "+48 600 100 200", "Jan@Example.PL",
				   "G-17", "mąż" };
	struct arena *a = arena_new(1 << 20);
	struct pi_row r;
	struct verrs v;

	(void)state;
	convert(a, row, &r, &v);
	assert_int_equal(v.n, 0);
	assert_string_equal(r.p.pesel, "44051401359");
	assert_string_equal(r.p.first_names, "Jan Maria");
	assert_string_equal(r.p.surname, "Kowalski");
	assert_string_equal(r.p.sex, "M");
	assert_string_equal(r.p.birth_date, "1944-05-14");
	assert_string_equal(r.p.citizenship, "PL");
	assert_string_equal(r.p.postcode, "99-300");
	assert_string_equal(r.p.town, "Przykładowo");
	assert_string_equal(r.p.email, "jan@example.pl");
	assert_null(r.p.terc);
	assert_string_equal(r.household, "G-17");
	assert_string_equal(r.relation, "spouse");
	assert_false(r.applicant);
	assert_false(r.pesel_padded);
	arena_free(a);
}

static void test_registry__person_import__convert_forms(void **state)
{
	/* born 2005-03-07, a woman: 05230704922 with its check digit; as a spreadsheet number */
	const char *const row[NFULL] = { "5230704922", "Anna", "", "Nowak", "K", "2005-03-07 00:00:00", "UA", "", "", "",
				   "", "", "", "", "", "Wnioskodawca" };
	struct arena *a = arena_new(1 << 20);
	struct pi_row r;
	struct verrs v;

	(void)state;
	convert(a, row, &r, &v);
	assert_int_equal(v.n, 0);
	assert_string_equal(r.p.pesel, "05230704922");
	assert_true(r.pesel_padded);
	assert_string_equal(r.p.birth_date, "2005-03-07");
	assert_string_equal(r.p.citizenship, "UA");
	assert_null(r.p.town);
	assert_null(r.household);
	assert_string_equal(r.relation, "applicant");
	assert_true(r.applicant);
	arena_free(a);
}

static void test_registry__person_import__convert_errors(void **state)
{
	const char *const bad[NFULL] = { "44051401358", "", "", "Kowalski", "x", "31.02.1990", "Atlantyda", "", "", "",
				   "1234", "", "abc", "nie-mail", "", "" };
	const char *const mismatch[NFULL] = { "44051401359", "Jan", "", "Kowalski", "K", "1944-05-15", "", "", "", "",
					"", "", "", "", "", "" };
	struct arena *a = arena_new(1 << 20);
	struct pi_row r;
	struct verrs v;

	(void)state;
	convert(a, bad, &r, &v);
	assert_true(verrs_has(&v, "pesel"));
	assert_string_equal(verrs_for(&v, "sex"), "„x” to ani K (kobieta), ani M (mężczyzna)");
	assert_string_equal(verrs_for(&v, "birth_date"), "„31.02.1990” nie jest datą (DD.MM.RRRR lub RRRR-MM-DD)");
	assert_string_equal(verrs_for(&v, "citizenship"),
			    "„Atlantyda” nie jest znanym obywatelstwem (podaj kod kraju, np. PL lub UA)");
	assert_true(verrs_has(&v, "first_names"));
	assert_true(verrs_has(&v, "postcode"));
	assert_true(verrs_has(&v, "phone"));
	assert_true(verrs_has(&v, "email"));
	convert(a, mismatch, &r, &v);
	assert_int_equal(v.n, 2);
	assert_true(verrs_has(&v, "birth_date"));
	assert_true(verrs_has(&v, "sex"));
	arena_free(a);
}

/* ---- folding ---- */

static void test_registry__person_import__fold(void **state)
{
	static const char *const cases[] = {
		"Łukasz", "ŻÓŁĆ gęślą  jaźń", "  Kowalska-Nowak ", "ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż", "Müller", "O'Brien",
		"Straße", "ul. Jana Pawła II 5/3", "", "Ñandú",
	};
	struct arena *a = arena_new(1 << 20);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(pi_fold(a, cases[i]), str_fold(a, cases[i]));
	assert_null(pi_fold(a, NULL));
	assert_string_equal(pi_fold(a, "Łódź"), "lodz");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry__person_import__header_names),
		cmocka_unit_test(test_registry__person_import__mapping_names),
		cmocka_unit_test(test_registry__person_import__mapping_file),
		cmocka_unit_test(test_registry__person_import__convert),
		cmocka_unit_test(test_registry__person_import__convert_forms),
		cmocka_unit_test(test_registry__person_import__convert_errors),
		cmocka_unit_test(test_registry__person_import__fold),
	};

	if (i18n_init() != 0)
		return 1;
	i18n_set_lang(LANG_PL);
	return cmocka_run_group_tests_name("registry/person_import", tests, NULL, NULL);
}
