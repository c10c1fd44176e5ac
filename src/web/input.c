/*
 * input.c — reading declared fields from forms and JSON bodies.
 */
#include "web/input.h"

#include <stdio.h>
#include <string.h>

#include "core/str.h"

static int allowed(const struct field *f, const char *value)
{
	int i;

	for (i = 0; f->choices != NULL && f->choices[i] != NULL; i++)
		if (strcmp(f->choices[i], value) == 0)
			return 1;
	return 0;
}

/* check_text() trims (except secrets), checks length and choices; stores into in. */
static void check_text(struct req *req, const struct field *f, const char *raw, struct input *in,
		       struct verrs *v)
{
	char *s = arena_strdup(req->arena, raw != NULL ? raw : "");

	if (s == NULL)
		return;
	if (f->type != F_SECRET)
		str_trim(s);
	in->text = s;
	if (s[0] == '\0') {
		if (f->flags & F_REQUIRED)
			verrs_add(v, f->name, "required", _("%s: this field is required."), _(f->label));
		return;
	}
	if (!utf8_valid(s, strlen(s))) {
		verrs_add(v, f->name, "invalid", _("%s: the text contains invalid characters."),
			  _(f->label));
		return;
	}
	if ((f->type == F_TEXT || f->type == F_SECRET) && f->max > 0 &&
	    (int64_t)utf8_length(s) > f->max) {
		verrs_add(v, f->name, "too_long", _("%s: at most %lld characters (you gave %zu)."),
			  _(f->label), (long long)f->max, utf8_length(s));
		return;
	}
	if (f->type == F_CHOICE && !allowed(f, s))
		verrs_add(v, f->name, "invalid", _("%s: choose one of the listed options."), _(f->label));
	if (f->type == F_INT) {
		int64_t n;

		if (str_to_int64(s, INT64_MIN, INT64_MAX, &n) != 0)
			verrs_add(v, f->name, "not_a_number", _("%s: enter a whole number."), _(f->label));
		else if (n < f->min || n > f->max)
			verrs_add(v, f->name, "out_of_range", _("%s: enter a number from %lld to %lld."),
				  _(f->label), (long long)f->min, (long long)f->max);
		else
			in->num = n;
	}
}

static void read_form(struct req *req, const struct field *f, struct input *in, struct verrs *v)
{
	const char *raw = req_form(req, f->name);
	int i, k = 0, n;

	in->present = raw != NULL;
	switch (f->type) {
	case F_BOOL:
		in->num = raw != NULL && (strcmp(raw, "1") == 0 || strcmp(raw, "on") == 0 ||
					 strcmp(raw, "true") == 0);
		in->present = 1;
		return;
	case F_MULTI:
		n = params_count(&req->form, f->name);
		in->present = 1;
		in->multi = arena_zalloc(req->arena, sizeof(*in->multi) * (size_t)(n + 1));
		if (in->multi == NULL)
			return;
		for (i = 0; i < req->form.n; i++) {
			const char *val = req->form.v[i].value;

			if (strcmp(req->form.v[i].name, f->name) != 0 || val[0] == '\0')
				continue;
			if (!allowed(f, val)) {
				verrs_add(v, f->name, "invalid", _("%s: choose from the listed options."),
					  _(f->label));
				return;
			}
			in->multi[k++] = val;
		}
		in->nmulti = k;
		if (k == 0 && (f->flags & F_REQUIRED))
			verrs_add(v, f->name, "required", _("%s: choose at least one."), _(f->label));
		return;
	default:
		check_text(req, f, raw, in, v);
	}
}

static void read_json(struct req *req, const struct field *f, struct input *in, struct verrs *v)
{
	json_t *j = req->json != NULL ? json_object_get(req->json, f->name) : NULL;
	char num[32];
	size_t i;

	in->present = j != NULL && !json_is_null(j);
	if (!in->present) {
		in->text = "";
		if (f->flags & F_REQUIRED)
			verrs_add(v, f->name, "required", _("%s: this field is required."), _(f->label));
		return;
	}
	switch (f->type) {
	case F_BOOL:
		if (!json_is_boolean(j))
			verrs_add(v, f->name, "invalid", _("%s: expected true or false."), _(f->label));
		in->num = json_is_true(j);
		return;
	case F_INT:
		if (json_is_integer(j)) {
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(j));
			check_text(req, f, num, in, v);
		} else if (json_is_string(j)) {
			check_text(req, f, json_string_value(j), in, v);
		} else {
			verrs_add(v, f->name, "not_a_number", _("%s: enter a whole number."), _(f->label));
		}
		return;
	case F_MULTI:
		if (!json_is_array(j)) {
			verrs_add(v, f->name, "invalid", _("%s: expected a list."), _(f->label));
			return;
		}
		in->multi = arena_zalloc(req->arena, sizeof(*in->multi) * (json_array_size(j) + 1));
		if (in->multi == NULL)
			return;
		for (i = 0; i < json_array_size(j); i++) {
			json_t *e = json_array_get(j, i);

			if (!json_is_string(e) || !allowed(f, json_string_value(e))) {
				verrs_add(v, f->name, "invalid", _("%s: choose from the listed options."),
					  _(f->label));
				return;
			}
			in->multi[in->nmulti++] = json_string_value(e);
		}
		if (in->nmulti == 0 && (f->flags & F_REQUIRED))
			verrs_add(v, f->name, "required", _("%s: choose at least one."), _(f->label));
		return;
	default:
		if (!json_is_string(j)) {
			verrs_add(v, f->name, "invalid", _("%s: expected text."), _(f->label));
			return;
		}
		check_text(req, f, json_string_value(j), in, v);
	}
}

/* unknown_members() reports JSON members that no field declares. */
static void unknown_members(struct req *req, const struct field *fields, int n, struct verrs *v)
{
	const char *key;
	json_t *val;

	json_object_foreach(req->json, key, val) {
		int i, known = 0;

		(void)val;
		for (i = 0; i < n && !known; i++)
			known = strcmp(fields[i].name, key) == 0;
		if (!known)
			verrs_add(v, arena_strdup(req->arena, key), "unknown_field",
				  _("Unknown field \"%s\"."), key);
	}
}

int input_read(struct req *req, const struct field *fields, int n, struct input *out,
	       struct verrs *v)
{
	int before = v->n, i;

	memset(out, 0, sizeof(*out) * (size_t)n);
	for (i = 0; i < n; i++) {
		out[i].text = "";
		if (req->is_api)
			read_json(req, &fields[i], &out[i], v);
		else
			read_form(req, &fields[i], &out[i], v);
	}
	if (req->is_api && req->json != NULL)
		unknown_members(req, fields, n, v);
	return v->n - before;
}

/* rank() is the position of field among fields, n for any other. */
static int rank(const struct field *fields, int n, const char *field)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(fields[i].name, field) == 0)
			return i;
	return n;
}

void input_order_errors(const struct field *fields, int n, struct verrs *v)
{
	int i, j;

	/* insertion sort: stable, and there are at most VERR_MAX errors */
	for (i = 1; i < v->n; i++) {
		struct verr e = v->e[i];
		int r = rank(fields, n, e.field);

		for (j = i; j > 0 && rank(fields, n, v->e[j - 1].field) > r; j--)
			v->e[j] = v->e[j - 1];
		v->e[j] = e;
	}
}
