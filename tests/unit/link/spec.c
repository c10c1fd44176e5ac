/*
 * tests/unit/link/spec.c — the SPEC parser (the FEBRL example, spaces,
 * formats, every refusal with its message), role names, dates in every
 * format (calendar check, one-digit day and month, time ignored), sex codes.
 */
#include "linktest.h"

#define FEBRL_SPEC "id=rec_id,given=given_name,surname=surname,birth=date_of_birth:YYYYMMDD," \
	"street_number=street_number,street=address_1,address2=address_2,city=suburb,postcode=postcode," \
	"region=state,national_id=soc_sec_id"

static void test_link__spec__febrl(void **state)
{
	struct link_spec sp;
	char err[256];
	(void)state;

	assert_int_equal(link_spec_parse(FEBRL_SPEC, &sp, err, sizeof(err)), 0);
	assert_string_equal(sp.column[LINK_ROLE_ID], "rec_id");
	assert_string_equal(sp.column[LINK_ROLE_BIRTH], "date_of_birth");
	assert_string_equal(sp.date_format, "YYYYMMDD");
	assert_string_equal(sp.column[LINK_ROLE_NATIONAL_ID], "soc_sec_id");
	assert_null(sp.column[LINK_ROLE_PESEL]);
}

static void test_link__spec__spaces_and_format(void **state)
{
	struct link_spec sp;
	char err[256];
	(void)state;

	assert_int_equal(link_spec_parse(" id = Nr klienta , birth = Data urodzenia : DD.MM.YYYY,pesel=PESEL", &sp, err,
				 sizeof(err)),
		0);
	assert_string_equal(sp.column[LINK_ROLE_ID], "Nr klienta");
	assert_string_equal(sp.column[LINK_ROLE_BIRTH], "Data urodzenia");
	assert_string_equal(sp.date_format, "DD.MM.YYYY");
}

static void test_link__spec__refusals(void **state)
{
	static const struct {
		const char *spec, *message;
	} bad[] = {
		{ "", "SPEC is empty" },
		{ "given=x", "SPEC: the id role is required" },
		{ "id=x", "SPEC: map at least one role besides id" },
		{ "id=x,nick=y", "SPEC: unknown role in \"nick=y\" (see razem link --help)" },
		{ "id=x,given", "SPEC item \"given\" is not role=column" },
		{ "id=x,given=", "SPEC: no column name in \"given=\"" },
		{ "id=x,id=y,given=z", "SPEC: role id given twice" },
		{ "id=x,birth=d:DDMMYY", "SPEC: unknown date format in \"birth=d:DDMMYY\" (see razem link --help)" },
	};
	struct link_spec sp;
	char err[256];
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(link_spec_parse(bad[i].spec, &sp, err, sizeof(err)), -1);
		assert_string_equal(err, bad[i].message);
	}
	assert_int_equal(link_spec_parse(NULL, &sp, err, sizeof(err)), -1);
	assert_int_equal(link_spec_parse("x", &sp, err, 0), -1); /* no room for a message: none written */
}

static void test_link__spec__too_long(void **state)
{
	char spec[2048], err[256];
	struct link_spec sp;
	size_t n;
	(void)state;

	n = (size_t)snprintf(spec, sizeof(spec), "id=");
	memset(spec + n, 'c', 600);
	snprintf(spec + n + 600, sizeof(spec) - n - 600, ",given=g");
	assert_int_equal(link_spec_parse(spec, &sp, err, sizeof(err)), -1);
}

static void test_link__spec__role_names(void **state)
{
	struct link_spec sp;
	char spec[64], err[256];
	int r;
	(void)state;

	for (r = 0; r < LINK_ROLE__MAX; r++) {
		assert_non_null(link_role_name((enum link_role)r));
		snprintf(spec, sizeof(spec), "id=i,%s=c", link_role_name((enum link_role)r));
		if (r != LINK_ROLE_ID)
			assert_int_equal(link_spec_parse(spec, &sp, err, sizeof(err)), 0);
	}
	assert_null(link_role_name(LINK_ROLE__MAX));
}

static void test_link__spec__dates(void **state)
{
	static const struct {
		const char *s, *fmt;
		int rc, out;
	} v[] = {
		{ "19440514", "YYYYMMDD", 0, 19440514 },
		{ "1944-05-14", "YYYY-MM-DD", 0, 19440514 },
		{ "14.05.1944", "DD.MM.YYYY", 0, 19440514 },
		{ "4.5.1944", "DD.MM.YYYY", 0, 19440504 },
		{ "14/05/1944", "DD/MM/YYYY", 0, 19440514 },
		{ "14-05-1944", "DD-MM-YYYY", 0, 19440514 },
		{ "1944/05/14", "YYYY/MM/DD", 0, 19440514 },
		{ "05/14/1944", "MM/DD/YYYY", 0, 19440514 },
		{ "1944.05.14", "YYYY.MM.DD", 0, 19440514 },
		{ "1944-05-14T00:00:00", "YYYY-MM-DD", 0, 19440514 },
		{ "1944-05-14 12:00", "YYYY-MM-DD", 0, 19440514 },
		{ " 19440514 ", "YYYYMMDD", 0, 19440514 },
		{ "20000229", "YYYYMMDD", 0, 20000229 },
		{ "19000229", "YYYYMMDD", 2, 19000229 }, /* not a leap year: kept as digits */
		{ "19441314", "YYYYMMDD", 2, 19441314 },
		{ "", "YYYYMMDD", 1, 0 },
		{ "1944514", "YYYYMMDD", -1, 0 },
		{ "1944-05-14", "YYYYMMDD", -1, 0 },
		{ "14.05.44", "DD.MM.YYYY", -1, 0 },
		{ "abc", "YYYY-MM-DD", -1, 0 },
		{ "19440514", "YYMMDD", -1, 0 },
	};
	size_t i;
	int out;
	(void)state;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(link_date_parse(v[i].s, v[i].fmt, &out), v[i].rc);
		if (v[i].rc >= 0)
			assert_int_equal(out, v[i].out);
	}
	assert_int_equal(link_date_parse(NULL, "YYYYMMDD", &out), 1);
	assert_true(link_date_format_ok("DD.MM.YYYY"));
	assert_false(link_date_format_ok(NULL));
}

static void test_link__spec__sex(void **state)
{
	(void)state;
	assert_int_equal(link_sex_parse("K"), LINK_SEX_F);
	assert_int_equal(link_sex_parse("kobieta"), LINK_SEX_F);
	assert_int_equal(link_sex_parse("Female"), LINK_SEX_F);
	assert_int_equal(link_sex_parse("M"), LINK_SEX_M);
	assert_int_equal(link_sex_parse("Mężczyzna"), LINK_SEX_M);
	assert_int_equal(link_sex_parse("1"), LINK_SEX_M);
	assert_int_equal(link_sex_parse("x"), LINK_SEX_UNKNOWN);
	assert_int_equal(link_sex_parse(""), LINK_SEX_UNKNOWN);
	assert_int_equal(link_sex_parse(NULL), LINK_SEX_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link__spec__febrl),
		cmocka_unit_test(test_link__spec__spaces_and_format),
		cmocka_unit_test(test_link__spec__refusals),
		cmocka_unit_test(test_link__spec__too_long),
		cmocka_unit_test(test_link__spec__role_names),
		cmocka_unit_test(test_link__spec__dates),
		cmocka_unit_test(test_link__spec__sex),
	};

	return cmocka_run_group_tests_name("link/spec", tests, NULL, NULL);
}
