/*
 * tests/unit/territory/terc.c — the TERC parser without a database: the
 * official CSV (CRLF, no BOM), the address variant (BOM, LF, districts and
 * delegations, no RODZ 3), quoted fields, columns in another order, both
 * XML forms, and bad rows named by line with their reason.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "territory/terc.h"

struct got {
	int n;
	struct terc_row r[16];
	char names[16][64];
};

static int keep(void *arg, const struct terc_row *r)
{
	struct got *g = arg;

	if (g->n < 16) {
		g->r[g->n] = *r;
		snprintf(g->names[g->n], sizeof(g->names[0]), "%s", r->name);
		g->r[g->n].name = g->names[g->n];
	}
	g->n++;
	return 0;
}

static int parse(const char *s, struct got *g, struct terc_errs *e)
{
	memset(g, 0, sizeof(*g));
	return terc_parse(s, strlen(s), keep, g, e);
}

static void test_csv_official(void **state)
{
	static const char csv[] =
		"WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\r\n"
		"02;;;;DOLNOŚLĄSKIE;województwo;2020-01-01\r\n"
		"02;01;;;bolesławiecki;powiat;2020-01-01\r\n"
		"02;01;01;1;Bolesławiec;gmina miejska;2020-01-01\r\n"
		"02;01;03;3;Nowogrodziec;gmina miejsko-wiejska;2020-01-01\r\n"
		"02;01;03;4;Nowogrodziec;miasto;2020-01-01\r\n"
		"02;01;03;5;Nowogrodziec;obszar wiejski;2020-01-01\r\n"
		"02;61;;;Jelenia Góra;miasto na prawach powiatu;2020-01-01\r\n"
		"\r\n";
	struct terc_errs e;
	struct got g;

	(void)state;
	assert_int_equal(parse(csv, &g, &e), 0);
	assert_int_equal(e.n, 0);
	assert_int_equal(g.n, 7);
	assert_string_equal(g.r[0].code, "02");
	assert_string_equal(g.r[0].parent, "");
	assert_int_equal(g.r[0].kind, UNIT_VOIVODESHIP);
	assert_string_equal(g.r[0].name, "DOLNOŚLĄSKIE");
	assert_string_equal(g.r[0].valid_from, "2020-01-01");
	assert_int_equal(g.r[0].line, 2);
	assert_string_equal(g.r[1].code, "0201");
	assert_string_equal(g.r[1].parent, "02");
	assert_int_equal(g.r[1].kind, UNIT_POWIAT);
	assert_string_equal(g.r[2].code, "0201011");
	assert_string_equal(g.r[2].parent, "0201");
	assert_int_equal(g.r[2].kind, UNIT_URBAN);
	assert_int_equal(g.r[3].kind, UNIT_URBAN_RURAL);
	assert_int_equal(g.r[4].kind, UNIT_TOWN_PART);
	assert_string_equal(g.r[5].code, "0201035");
	assert_int_equal(g.r[5].kind, UNIT_RURAL_PART);
	assert_string_equal(g.r[6].code, "0261");
	assert_int_equal(g.r[6].kind, UNIT_CITY_POWIAT);
	assert_string_equal(g.r[6].name, "Jelenia Góra");
}

static void test_csv_address_bom(void **state)
{
	static const char csv[] =
		"\xEF\xBB\xBFWOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n"
		"14;65;;;Warszawa;miasto stołeczne, na prawach powiatu;2024-01-01\n"
		"14;65;02;8;Bemowo;dzielnica;2024-01-01\n"
		"12;61;02;9;Kraków-Krowodrza;delegatura;2024-01-01\n";
	struct terc_errs e;
	struct got g;

	(void)state;
	assert_int_equal(parse(csv, &g, &e), 0);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.r[0].code, "1465");
	assert_int_equal(g.r[0].kind, UNIT_CITY_POWIAT);
	assert_string_equal(g.r[1].code, "1465028");
	assert_int_equal(g.r[1].kind, UNIT_DISTRICT);
	assert_string_equal(g.r[1].parent, "1465");
	assert_string_equal(g.r[2].code, "1261029");
	assert_int_equal(g.r[2].kind, UNIT_DELEGATION);
	assert_int_equal(g.r[2].line, 4);
}

static void test_csv_quoted_reordered(void **state)
{
	/* columns by name, quotes with ; and "" inside, a quoted newline counted as a line */
	static const char csv[] =
		"NAZWA;\"STAN_NA\";WOJ;POW;GMI;RODZ;NAZWA_DOD\n"
		"\"Gmina \"\"A;B\"\"\";2021-01-01;02;01;02;2;\"gmina\nwiejska\"\n"
		"Zła;2021-01-01;02;01;02;7;gmina\n";
	struct terc_errs e;
	struct got g;

	(void)state;
	assert_int_equal(parse(csv, &g, &e), 1);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.r[0].code, "0201022");
	assert_string_equal(g.r[0].name, "Gmina \"A;B\"");
	assert_string_equal(g.r[0].valid_from, "2021-01-01");
	assert_int_equal(e.n, 1);
	assert_string_equal(e.msg[0], "line 4: RODZ '7' is not a kind of unit (1-5, 8, 9)");
}

static void test_csv_bad_rows(void **state)
{
	static const char csv[] =
		"WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n"
		"2;;;;X;województwo;2020-01-01\n"
		"02;1a;;;X;powiat;2020-01-01\n"
		"02;01;01;;X;gmina;2020-01-01\n"
		"02;01;01;1;;gmina;2020-01-01\n"
		"02;01;01;1;X;gmina;01.01.2020\n"
		"02;;01;1;X;gmina;2020-01-01\n"
		"02;01;01;1;\"X;gmina;2020-01-01\n";
	struct terc_errs e;
	struct got g;

	(void)state;
	assert_int_equal(parse(csv, &g, &e), 1);
	assert_int_equal(g.n, 0);
	assert_int_equal(e.n, 7);
	assert_string_equal(e.msg[0], "line 2: WOJ '2' is not a 2-digit voivodeship code");
	assert_string_equal(e.msg[1], "line 3: POW '1a' is not a 2-digit powiat code");
	assert_string_equal(e.msg[2], "line 4: RODZ must be given exactly for a gmina row");
	assert_string_equal(e.msg[3], "line 5: NAZWA is empty");
	assert_string_equal(e.msg[4], "line 6: STAN_NA '01.01.2020' is not a date YYYY-MM-DD");
	assert_string_equal(e.msg[5], "line 7: GMI '01' is not a 2-digit gmina code of a powiat");
	assert_string_equal(e.msg[6], "line 8: unterminated quote or line too long");
}

static void test_csv_long_lines(void **state)
{
	/* a record too long or with too many fields is refused and the next line still read */
	char csv[6000];
	struct terc_errs e;
	struct got g;

	(void)state;
	snprintf(csv, sizeof(csv), "WOJ;POW;GMI;RODZ;NAZWA;STAN_NA\n02;;;;%03000d;2020-01-01\n"
		 "02;;;;A;;;;;;;;;;;;;;;;;;;;;;;\n04;;;;KUJAWSKO-POMORSKIE;2020-01-01\n", 0);
	assert_int_equal(parse(csv, &g, &e), 1);
	assert_int_equal(e.n, 2);
	assert_string_equal(e.msg[0], "line 2: unterminated quote or line too long");
	assert_string_equal(e.msg[1], "line 3: unterminated quote or line too long");
	assert_int_equal(g.n, 1);
	assert_string_equal(g.r[0].code, "04");
	assert_int_equal(g.r[0].line, 4);
}

static void test_not_a_register(void **state)
{
	struct terc_errs e;
	struct got g;

	(void)state;
	assert_int_equal(parse("a;b;c\n1;2;3\n", &g, &e), 1);
	assert_string_equal(e.msg[0], "line 1: the header has no column WOJ (is this a TERC file?)");
	assert_int_equal(parse("\xEF\xBB\xBF\r\n", &g, &e), 1);
	assert_string_equal(e.msg[0], "line 1: the file is empty");
	assert_int_equal(parse("WOJ;POW;GMI;RODZ;NAZWA;STAN_NA\n02;;;;\xC5;2020-01-01\n", &g, &e), 1);
	assert_string_equal(e.msg[0], "line 2: NAZWA is not UTF-8");
}

static void test_xml_2017(void **state)
{
	static const char xml[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<teryt><catalog name=\"TERC\" type=\"all\" date=\"2017-01-01\">\n"
		"<row><col name=\"WOJ\">02</col><col name=\"POW\"/><col name=\"GMI\"/><col name=\"RODZ\"/>"
		"<col name=\"NAZWA\">DOLNOŚLĄSKIE</col><col name=\"NAZDOD\">województwo</col>"
		"<col name=\"STAN_NA\">2017-01-01</col></row>\n"
		"<row><col name=\"WOJ\">02</col><col name=\"POW\">01</col><col name=\"GMI\">02</col>"
		"<col name=\"RODZ\">2</col><col name=\"NAZWA\">Bolesławiec &amp; okolice</col>"
		"<col name=\"STAN_NA\">2017-01-01</col></row>\n"
		"<row><col name=\"WOJ\">02</col><col name=\"POW\">01</col><col name=\"GMI\">02</col>"
		"<col name=\"RODZ\">6</col><col name=\"NAZWA\">X</col></row>\n"
		"</catalog></teryt>\n";
	struct terc_errs e;
	struct got g;

	(void)state;
	assert_int_equal(parse(xml, &g, &e), 1);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.r[0].code, "02");
	assert_string_equal(g.r[0].name, "DOLNOŚLĄSKIE");
	assert_string_equal(g.r[1].code, "0201022");
	assert_string_equal(g.r[1].name, "Bolesławiec & okolice");
	assert_int_equal(e.n, 1);
	assert_string_equal(e.msg[0], "XML <row> ending on line 5: RODZ '6' is not a kind of unit (1-5, 8, 9)");
}

static void test_xml_2025(void **state)
{
	/* one element per column; a row without STAN_NA takes the catalogue's date */
	static const char xml[] =
		"\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?><teryt>"
		"<catalog name=\"TERC\" type=\"ALL\" date=\"2025-01-01\"><row><WOJ>02</WOJ><POW /><GMI />"
		"<RODZ /><NAZWA>DOLNOŚLĄSKIE</NAZWA><NAZWA_DOD>województwo</NAZWA_DOD>"
		"<STAN_NA>2025-01-01</STAN_NA></row>"
		"<row><WOJ>02</WOJ><POW>01</POW><GMI /><RODZ /><NAZWA>bolesławiecki</NAZWA></row>"
		"</catalog></teryt>";
	struct terc_errs e;
	struct got g;

	(void)state;
	assert_int_equal(parse(xml, &g, &e), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.r[0].code, "02");
	assert_string_equal(g.r[0].valid_from, "2025-01-01");
	assert_string_equal(g.r[1].code, "0201");
	assert_string_equal(g.r[1].valid_from, "2025-01-01");
}

static void test_xml_broken(void **state)
{
	struct terc_errs e;
	struct got g;

	(void)state;
	assert_int_equal(parse("<teryt><catalog>\n<row><WOJ>02</WOJ>\n</catalog>", &g, &e), 1);
	assert_int_equal(g.n, 0);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.msg[0], "XML line 3: mismatched tag");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_official),
		cmocka_unit_test(test_csv_address_bom),
		cmocka_unit_test(test_csv_quoted_reordered),
		cmocka_unit_test(test_csv_bad_rows),
		cmocka_unit_test(test_csv_long_lines),
		cmocka_unit_test(test_not_a_register),
		cmocka_unit_test(test_xml_2017),
		cmocka_unit_test(test_xml_2025),
		cmocka_unit_test(test_xml_broken),
	};

	return cmocka_run_group_tests_name("terc", tests, NULL, NULL);
}
