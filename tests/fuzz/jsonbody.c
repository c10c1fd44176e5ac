/*
 * tests/fuzz/jsonbody.c — libFuzzer target for jsonbody_parse()
 * (src/web/jsonbody.c) and the typed input layer input_read()
 * (src/web/input.c), which needs only a struct req with an arena and the
 * decoded body, so no server is involved.
 *
 * The input is a request body. It is parsed with tight limits and with the
 * limits the server uses. Aborts when:
 *   - the result and the return value disagree (0 without an object, -1
 *     with one), the error text is empty or unterminated, or line/column
 *     are negative;
 *   - an accepted document is nested deeper than max_depth, holds more
 *     members and elements in total than max_members, or the body was
 *     longer than max_bytes (or empty);
 *   - the tight limits accept what the server limits refuse;
 *   - an accepted object, dumped by jansson and parsed again, is refused or
 *     differs (round trip).
 * Then the same bytes go through input_read() against a declared field list
 * modelled on the users form, once as a JSON API body (when accepted) and
 * once as a urlencoded form (when params_urlencoded() accepts them), with
 * the UI language taken from the last byte. Aborts when the returned count
 * disagrees with the errors added, a message is empty or unterminated, or a
 * field reported without error breaks its declaration: text not trimmed,
 * not valid UTF-8 or too long, a required field empty, a number out of its
 * range, a choice (or one of a multi-choice) not among the choices, a
 * boolean other than 0/1, a list of numbers (F_INTS) longer than its
 * limit, with a value out of range or repeated; a list of objects
 * (F_OBJECTS) longer than its limit or whose members break their own
 * declarations; an error on a nested value whose path does not start
 * with a declared field or an unknown member's name.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/str.h"
#include "core/verr.h"
#include "web/http.h"
#include "web/input.h"
#include "web/jsonbody.h"
#include "web/params.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	i18n_init();
	return 0;
}

static const char *const roles[] = { "admin", "registrar", "viewer", NULL };
static const char *const kinds[] = { "gmina", "powiat", "województwo", NULL };

static const struct field sub_fields[] = {
	{ "role", "Role", F_CHOICE, F_REQUIRED, 0, 0, roles, NULL, 0, 0, 0 },
	{ "hours", "Hours", F_INT, 0, 0, 100, NULL, NULL, 0, 0, 0 },
	{ "ids", "Ids", F_INTS, F_UNIQUE, 1, 9, NULL, NULL, 0, 0, 3 },
};
#define NSUB ((int)(sizeof(sub_fields) / sizeof(sub_fields[0])))

static const struct field fields[] = {
	{ "login", "Login", F_TEXT, F_REQUIRED, 0, 64, NULL, NULL, 0, 0, 0 },
	{ "full_name", "First name and surname", F_TEXT, 0, 0, 20, NULL, NULL, 0, 0, 0 },
	{ "institution_id", "Institution", F_INT, F_REQUIRED, 1, INT64_MAX, NULL, NULL, 0, 0, 0 },
	{ "n", "Number", F_INT, 0, -5, 5, NULL, NULL, 0, 0, 0 },
	{ "roles", "Roles", F_MULTI, F_REQUIRED, 0, 0, roles, NULL, 0, 0, 0 },
	{ "tags", "Tags", F_MULTI, 0, 0, 0, kinds, NULL, 0, 0, 0 },
	{ "kind", "Kind", F_CHOICE, 0, 0, 0, kinds, NULL, 0, 0, 0 },
	{ "active", "Active", F_BOOL, 0, 0, 1, NULL, NULL, 0, 0, 0 },
	{ "password", "Password", F_SECRET, 0, 0, 8, NULL, NULL, 0, 0, 0 },
	{ "institutions", "Institutions", F_INTS, F_UNIQUE, 1, 1000, NULL, NULL, 0, 0, 5 },
	{ "members", "Members", F_OBJECTS, 0, 0, 0, NULL, sub_fields, NSUB, 0, 4 },
	{ "contract", "Contract", F_OBJECT, 0, 0, 0, NULL, sub_fields, NSUB, 0, 0 },
};
#define NF ((int)(sizeof(fields) / sizeof(fields[0])))

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int in_choices(const struct field *f, const char *s)
{
	int i;

	for (i = 0; f->choices[i] != NULL; i++)
		if (strcmp(f->choices[i], s) == 0)
			return 1;
	return 0;
}

/* depth() is the nesting of j (a scalar is 0); *count adds its members and elements. */
static int depth(json_t *j, size_t *count)
{
	int d = 0, e;

	if (json_is_object(j)) {
		const char *k;
		json_t *v;

		json_object_foreach(j, k, v) {
			(*count)++;
			e = depth(v, count);
			if (e > d)
				d = e;
		}
		return d + 1;
	}
	if (json_is_array(j)) {
		size_t i;
		json_t *v;

		json_array_foreach(j, i, v) {
			(*count)++;
			e = depth(v, count);
			if (e > d)
				d = e;
		}
		return d + 1;
	}
	return 0;
}

static int parse(const char *s, size_t size, const struct jsonbody_limits *lim, json_t **out)
{
	struct jsonbody_error je;
	int rc = jsonbody_parse(s, size, lim, out, &je);

	if (rc == 0) {
		size_t count = 0;

		if (*out == NULL || !json_is_object(*out))
			abort();
		if (size == 0 || size > lim->max_bytes)
			abort();
		if (depth(*out, &count) > lim->max_depth || count > lim->max_members)
			abort();
	} else {
		if (rc != -1 || *out != NULL)
			abort();
		if (memchr(je.text, '\0', sizeof(je.text)) == NULL || je.text[0] == '\0')
			abort();
		if (je.line < 0 || je.column < 0 || je.kind < JB_OTHER || je.kind > JB_GARBAGE)
			abort();
	}
	return rc;
}

/* nested_error() is true when v has an error at path or inside it ("x[1]", "x.y"). */
static int nested_error(const struct verrs *v, const char *path)
{
	size_t k = strlen(path);
	int i;

	for (i = 0; i < v->n; i++)
		if (strncmp(v->e[i].field, path, k) == 0 &&
		    (v->e[i].field[k] == '\0' || v->e[i].field[k] == '[' || v->e[i].field[k] == '.'))
			return 1;
	return 0;
}

/* check_ints() checks an F_INTS value read without error. */
static void check_ints(const struct field *f, const struct input *x)
{
	int k, m;

	if (x->nnums < 0 || x->nnums > f->max_items || (x->nnums > 0 && x->nums == NULL))
		abort();
	for (k = 0; k < x->nnums; k++) {
		if (x->nums[k] < f->min || x->nums[k] > f->max)
			abort();
		for (m = 0; m < k; m++)
			if (x->nums[m] == x->nums[k])
				abort();
	}
}

/* check_sub() checks one object read against sub_fields without error at prefix. */
static void check_sub(const struct input *x)
{
	if (x[0].text == NULL || !in_choices(&sub_fields[0], x[0].text))
		abort();
	if (x[1].present && (x[1].num < 0 || x[1].num > 100))
		abort();
	check_ints(&sub_fields[2], &x[2]);
}

/* check_inputs() checks the outcome of input_read() against the declarations. */
static void check_inputs(struct req *req)
{
	struct verrs v = VERRS_INIT;
	struct input in[NF];
	int i, k, k2, got;

	v.n = 1; /* input_read() counts only what it adds */
	v.e[0].field = "";
	v.e[0].code = "x";
	snprintf(v.e[0].message, sizeof(v.e[0].message), "x");
	got = input_read(req, fields, NF, in, &v);
	if (got != v.n - 1 || got < 0)
		abort();
	for (i = 0; i < v.n; i++)
		if (v.e[i].field == NULL || v.e[i].code == NULL || v.e[i].message[0] == '\0' ||
		    memchr(v.e[i].message, '\0', sizeof(v.e[i].message)) == NULL)
			abort();
	for (i = 1; i < v.n; i++) {
		/* a nested path starts with a top-level name: declared, or an unknown member */
		const char *f = v.e[i].field;
		size_t k = strcspn(f, "[.");

		if (f[k] != '\0' && strcmp(v.e[i].code, "unknown_field") != 0) {
			for (k2 = 0; k2 < NF; k2++)
				if (strlen(fields[k2].name) == k && strncmp(fields[k2].name, f, k) == 0)
					break;
			if (k2 == NF)
				abort();
		}
	}
	if (v.n >= VERR_MAX)
		return; /* later errors were dropped: fields cannot be judged */
	for (i = 0; i < NF; i++) {
		const struct field *f = &fields[i];
		const struct input *x = &in[i];
		size_t n;

		if (nested_error(&v, f->name))
			continue;
		switch (f->type) {
		case F_INTS:
			check_ints(f, x);
			break;
		case F_OBJECT:
			if (x->present && (x->sub == NULL || !req->is_api))
				abort();
			if (x->present)
				check_sub(x->sub);
			break;
		case F_OBJECTS:
			if (x->nitems < 0 || x->nitems > f->max_items)
				abort();
			for (k = 0; k < x->nitems; k++)
				check_sub(input_item(f, x, k));
			break;
		case F_TEXT:
		case F_SECRET:
		case F_CHOICE:
		case F_INT:
			if (x->text == NULL)
				abort();
			n = strlen(x->text);
			if ((f->flags & F_REQUIRED) && n == 0)
				abort();
			if (!utf8_valid(x->text, n))
				abort();
			if (f->type != F_SECRET && n > 0 &&
			    (is_space(x->text[0]) || is_space(x->text[n - 1])))
				abort();
			if ((f->type == F_TEXT || f->type == F_SECRET) && f->max > 0 &&
			    (int64_t)utf8_length(x->text) > f->max)
				abort();
			if (f->type == F_CHOICE && n > 0 && !in_choices(f, x->text))
				abort();
			if (f->type == F_INT && n > 0 && (x->num < f->min || x->num > f->max))
				abort();
			break;
		case F_BOOL:
			if (x->num != 0 && x->num != 1)
				abort();
			break;
		case F_MULTI:
			if (x->nmulti < 0 || (x->nmulti > 0 && x->multi == NULL))
				abort();
			if ((f->flags & F_REQUIRED) && x->nmulti == 0)
				abort();
			for (k = 0; k < x->nmulti; k++)
				if (x->multi[k] == NULL || !in_choices(f, x->multi[k]))
					abort();
			if (x->multi != NULL && x->multi[x->nmulti] != NULL)
				abort();
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct jsonbody_limits tight = { 256, 4, 16 }, server = { 1 << 20, 32, 4000 };
	const struct jsonbody_limits huge = { (size_t)1 << 30, 32, 4000 };
	const struct params_limits plim = { 1000, 1 << 20 };
	const char *s = (const char *)data;
	json_t *j = NULL, *t = NULL;
	struct arena *a;
	struct req req;
	int rc;

	i18n_set_lang(size > 0 && data[size - 1] % 2 == 1 ? LANG_EN : LANG_PL);

	rc = parse(s, size, &server, &j);
	if (parse(s, size, &tight, &t) == 0) {
		if (rc != 0 || !json_equal(j, t))
			abort();
	}
	json_decref(t);
	if (rc == 0) {
		char *dump = json_dumps(j, JSON_COMPACT);
		json_t *back = NULL;

		if (dump == NULL)
			abort();
		if (parse(dump, strlen(dump), &huge, &back) != 0 || !json_equal(j, back))
			abort();
		json_decref(back);
		free(dump);
	}

	a = arena_new(1 << 24);
	if (a == NULL) {
		json_decref(j);
		return 0;
	}
	memset(&req, 0, sizeof(req));
	req.arena = a;
	if (rc == 0) {
		req.is_api = 1;
		req.json = j;
		check_inputs(&req);
	}
	req.is_api = 0;
	req.json = NULL;
	if (params_urlencoded(a, s, size, &plim, &req.form) == PARAMS_OK)
		check_inputs(&req);
	arena_free(a);
	json_decref(j);
	return 0;
}
