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
 * boolean other than 0/1.
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

static const struct field fields[] = {
	{ "login", "Login", F_TEXT, F_REQUIRED, 0, 64, NULL },
	{ "full_name", "First name and surname", F_TEXT, 0, 0, 20, NULL },
	{ "institution_id", "Institution", F_INT, F_REQUIRED, 1, INT64_MAX, NULL },
	{ "n", "Number", F_INT, 0, -5, 5, NULL },
	{ "roles", "Roles", F_MULTI, F_REQUIRED, 0, 0, roles },
	{ "tags", "Tags", F_MULTI, 0, 0, 0, kinds },
	{ "kind", "Kind", F_CHOICE, 0, 0, 0, kinds },
	{ "active", "Active", F_BOOL, 0, 0, 1, NULL },
	{ "password", "Password", F_SECRET, 0, 0, 8, NULL },
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

/* check_inputs() checks the outcome of input_read() against the declarations. */
static void check_inputs(struct req *req)
{
	struct verrs v = VERRS_INIT;
	struct input in[NF];
	int i, k, got;

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
	if (v.n >= VERR_MAX)
		return; /* later errors were dropped: fields cannot be judged */
	for (i = 0; i < NF; i++) {
		const struct field *f = &fields[i];
		const struct input *x = &in[i];
		size_t n;

		if (verrs_has(&v, f->name))
			continue;
		switch (f->type) {
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
